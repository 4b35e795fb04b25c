// Top-level build file. Versions live in gradle/libs.versions.toml.
buildscript {
    repositories {
        google()
        mavenCentral()
    }
    dependencies {
        // AGP 9 compiles Kotlin itself ("built-in Kotlin", no org.jetbrains.kotlin.android plugin)
        // with the Kotlin Gradle plugin it depends on; this raises that to the catalog's Kotlin.
        classpath(libs.kotlin.gradle.plugin)
    }
}

plugins {
    alias(libs.plugins.android.application) apply false
}
