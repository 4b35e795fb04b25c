#!/usr/bin/env bash
# What the full test suite needs beyond Python and npm: headless Chromium (the offline plots page),
# Kotlin 1.3 + JUnit 4 + Android's org.json for the JVM (the app's JVM tests) and a Java runtime
# (ktlint). Installs the missing ones
# with apt-get when it can (root, or sudo without a password); otherwise names the exact command
# and stops, so `make test` never fails later with a less clear message.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v kotlinc >/dev/null 2>&1 || missing+=(kotlin)
[ -f /usr/share/java/junit4.jar ] || missing+=(junit4)
[ -f /usr/share/java/com.android.json.jar ] || missing+=(libandroid-json-java)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: the tests need ${missing[*]} and this machine has no apt-get; install them with your package manager (Debian names: ${missing[*]})." >&2
    exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo)
else
    echo "setup: the tests need ${missing[*]}; run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "setup: installing ${missing[*]} with apt-get"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
