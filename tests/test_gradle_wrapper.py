"""The committed Gradle wrapper of the Android app: files, the jar's recorded checksum, the pinned distribution."""

import hashlib
import os
import re
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ANDROID = REPO / "android_app"
WRAPPER = ANDROID / "gradle" / "wrapper"
JAR = WRAPPER / "gradle-wrapper.jar"
PROPERTIES = WRAPPER / "gradle-wrapper.properties"


def properties():
    """The key=value lines of gradle-wrapper.properties (comments skipped)."""
    values = {}
    for line in PROPERTIES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith(("#", "!")):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def recorded_jar_sha256():
    """The jar's sha256 as written in the properties' comment: the one home for that value."""
    found = re.findall(r"^#.*gradle-wrapper\.jar sha256:\s*([0-9a-f]{64})\s*$",
                       PROPERTIES.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert len(found) == 1, "the properties comment should record the jar's sha256 once"
    return found[0]


def test_the_four_wrapper_files_exist():
    for path in (ANDROID / "gradlew", ANDROID / "gradlew.bat", JAR, PROPERTIES):
        assert path.is_file(), path


def test_gradlew_is_an_executable_posix_shell_script():
    gradlew = ANDROID / "gradlew"
    assert os.access(gradlew, os.X_OK)
    assert gradlew.read_bytes().startswith(b"#!/bin/sh\n")
    assert b"\r\n" not in gradlew.read_bytes()
    assert "gradle/wrapper/gradle-wrapper.jar" in gradlew.read_text(encoding="utf-8")


def test_gradlew_bat_runs_the_same_jar():
    assert "gradle\\wrapper\\gradle-wrapper.jar" in (ANDROID / "gradlew.bat").read_text(encoding="ascii")


def test_the_jar_is_the_gradle_wrapper():
    assert zipfile.is_zipfile(JAR)
    with zipfile.ZipFile(JAR) as jar:
        assert "org/gradle/wrapper/GradleWrapperMain.class" in jar.namelist()
        assert "Main-Class: org.gradle.wrapper.GradleWrapperMain" in jar.read("META-INF/MANIFEST.MF").decode()


def test_the_jar_matches_the_recorded_sha256():
    assert hashlib.sha256(JAR.read_bytes()).hexdigest() == recorded_jar_sha256()


def test_the_distribution_is_gradle_9_5():
    values = properties()
    assert re.fullmatch(r"https\\://services\.gradle\.org/distributions/gradle-9\.5\.\d+-bin\.zip",
                        values["distributionUrl"]), values["distributionUrl"]
    if "distributionSha256Sum" in values:
        assert re.fullmatch(r"[0-9a-f]{64}", values["distributionSha256Sum"])
