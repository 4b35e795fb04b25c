import org.junit.runner.JUnitCore
import org.junit.runner.Request
import org.junit.runner.notification.Failure

/**
 * Runs the app's JUnit 4 test classes named on the command line (used by `jvm-tests.sh`, where
 * there is no Gradle) and ends with the line `N passed, N failed[, N skipped]`.
 * Exit status: 0 when every test passed and at least one ran, 1 otherwise.
 */
fun main(args: Array<String>) {
    val core = JUnitCore()
    var run = 0
    var failed = 0
    var skipped = 0
    val failures = ArrayList<Failure>()
    for (name in args) {
        val result = core.run(Request.aClass(Class.forName(name)))
        val count = result.runCount
        println("${if (result.failureCount == 0) "ok  " else "FAIL"} $name ($count tests)")
        run += count
        failed += result.failureCount
        skipped += result.ignoreCount
        failures.addAll(result.failures)
    }
    for (failure in failures) {
        println()
        println("FAILED ${failure.testHeader}")
        // The assertion and the test's own frames; JUnit's and reflection's frames are noise here.
        failure.trace.trim().lines()
            .filter { !it.trimStart().startsWith("at ") || it.contains("dev.posepipeline") }
            .forEach { println(it) }
    }
    println()
    val skippedText = if (skipped > 0) ", $skipped skipped" else ""
    println("${run - failed} passed, $failed failed$skippedText")
    if (failed > 0 || run == 0) System.exit(1)
}
