package dev.posepipeline.app

import java.io.File
import java.net.JarURLConnection

/**
 * Test inputs, found the same way under Gradle (Android Studio) and under `jvm-tests.sh`.
 *
 * - Golden vectors are test resources (`src/test/resources/golden`), read from the classpath.
 * - The deployed metadata is an app asset, not a test resource: it is read from the folder in the
 *   system property `pose.assets.dir` if set, else from `src/main/assets` relative to the working
 *   directory, which is the module folder `app/` under Gradle and in `jvm-tests.sh`.
 */
object TestFiles {
    /** The text of the app asset [name]. */
    fun assetText(name: String): String {
        val folder = System.getProperty("pose.assets.dir") ?: "src/main/assets"
        val file = File(folder, name)
        check(file.isFile) { "Cannot find the asset $file (working directory ${File(".").absolutePath})" }
        return file.readText()
    }

    /** Bytes of the classpath resource [path] (starting with '/'). */
    fun resourceBytes(path: String): ByteArray {
        val stream = TestFiles::class.java.getResourceAsStream(path)
            ?: throw IllegalStateException("Test resource $path is not on the classpath")
        return stream.use { it.readBytes() }
    }

    /** Text of the classpath resource [path]. */
    fun resourceText(path: String): String = String(resourceBytes(path), Charsets.UTF_8)

    /** The golden-vector stems (`im09001`, ...) written by the pipeline's deploy stage, sorted. */
    fun goldenStems(): List<String> {
        val names = resourceNames("/golden")
            ?: throw IllegalStateException("No /golden folder on the test classpath; run the pipeline's deploy stage")
        val stems = names.filter { it.endsWith(".json") }.map { it.removeSuffix(".json") }.sorted()
        check(stems.isNotEmpty()) { "No golden vectors in /golden; run the pipeline's deploy stage" }
        return stems
    }

    /**
     * The names of the files directly in the classpath folder [folder] (starting with '/'), or
     * null when there is no such folder.
     */
    fun resourceNames(folder: String): List<String>? {
        val url = TestFiles::class.java.getResource(folder) ?: return null
        // A folder on disk (kotlinc runner, Gradle's processed resources) or, should a runner pack
        // the resources, a jar.
        if (url.protocol == "jar") {
            val prefix = folder.removePrefix("/").removeSuffix("/") + "/"
            val jar = (url.openConnection() as JarURLConnection).jarFile
            return jar.entries().toList()
                .map { it.name.removePrefix(prefix) }
                .filter { it.isNotEmpty() && !it.contains('/') && jar.getEntry(prefix + it) != null }
        }
        return (File(url.toURI()).listFiles() ?: emptyArray()).filter { it.isFile }.map { it.name }
    }
}
