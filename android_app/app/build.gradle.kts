// The app module. Kotlin is compiled by AGP's built-in Kotlin support (AGP 9+), so no Kotlin
// plugin is applied here; the Kotlin version is pinned in the top-level build file.
plugins {
    alias(libs.plugins.android.application)
}

android {
    namespace = "dev.posepipeline.app"
    compileSdk = 36

    defaultConfig {
        applicationId = "dev.posepipeline.app"
        minSdk = 24
        targetSdk = 36
        versionCode = 1
        versionName = "1.0"
    }

    buildTypes {
        release {
            // Shrinking is off so the demo builds without signing or keep-rule tuning;
            // proguard-rules.pro holds the LiteRT rules for when it is switched on.
            isMinifyEnabled = false
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    androidResources {
        // The interpreter memory-maps the model straight from the APK, which needs it uncompressed.
        noCompress += "tflite"
    }

    testOptions {
        // Unit tests run with the module folder (app/) as working directory; they read
        // src/main/assets/pose_model.json from there (see TestFiles).
        unitTests.all { it.systemProperty("pose.assets.dir", file("src/main/assets").absolutePath) }
    }
}

dependencies {
    implementation(libs.androidx.appcompat)
    implementation(libs.androidx.core)
    implementation(libs.camera.core)
    implementation(libs.camera.camera2)
    implementation(libs.camera.lifecycle)
    implementation(libs.camera.view)
    implementation(libs.litert)
    implementation(libs.litert.gpu)
    // GpuDelegateFactory and friends live here; without it the GPU delegate fails at run time.
    implementation(libs.litert.gpu.api)

    testImplementation(libs.junit)
    // The app reads its metadata with org.json, which is part of Android, so it needs no
    // dependency; but local unit tests run against the SDK's android.jar, whose org.json is stubs
    // that throw "not mocked". This is the same Android implementation of org.json, published on
    // Maven Central, so testDebugUnitTest runs the real parser (as jvm-tests.sh does with Debian's
    // libandroid-json-java).
    testImplementation(libs.android.json)
}
