#!/usr/bin/env bash
# The app's JVM unit tests without Gradle or the Android SDK: compiles the pure-Kotlin main
# sources (every file under app/src/main/java that imports nothing from android.*, androidx.* or
# org.tensorflow.*) and all of app/src/test/java with Debian's kotlinc (Kotlin 1.3), then runs
# them with JUnit 4. Ends with "N passed, N failed"; exits non-zero on any failure.
# org.json counts as pure: Android ships it, and Debian's libandroid-json-java is the same code
# (Android's rewrite of json.org) for the JVM, so the tests run the parser the phone runs.
# Needs: apt-get install -y kotlin junit4 libandroid-json-java
set -euo pipefail
app="$(cd "$(dirname "$0")" && pwd)/app"
tools="$(cd "$(dirname "$0")" && pwd)/tools"

if ! command -v kotlinc >/dev/null 2>&1; then
    echo "jvm-tests.sh: kotlinc not found; install with apt-get install -y kotlin junit4 libandroid-json-java" >&2
    exit 2
fi
jar() { # first existing file among the arguments
    local candidate
    for candidate in "$@"; do
        if [ -f "$candidate" ]; then echo "$candidate"; return 0; fi
    done
    return 1
}
junit="$(jar /usr/share/java/junit4.jar)" || { echo "jvm-tests.sh: junit4.jar not found; install with apt-get install -y kotlin junit4" >&2; exit 2; }
hamcrest="$(jar /usr/share/java/hamcrest-core.jar /usr/share/java/hamcrest.jar)" || { echo "jvm-tests.sh: hamcrest not found; install with apt-get install -y kotlin junit4" >&2; exit 2; }
json="$(jar /usr/share/java/com.android.json.jar /usr/share/java/json-android.jar)" || { echo "jvm-tests.sh: Android's org.json (com.android.json.jar) not found; install with apt-get install -y libandroid-json-java" >&2; exit 2; }
stdlib="$(jar /usr/share/kotlin/kotlinc/lib/kotlin-stdlib.jar /usr/share/java/kotlin-stdlib.jar)" || { echo "jvm-tests.sh: kotlin-stdlib.jar not found; install with apt-get install -y kotlin" >&2; exit 2; }

cd "$app"
android_import='^import (android|androidx|org\.tensorflow)\.'
pure=()
android=()
while IFS= read -r file; do
    if grep -Eq "$android_import" "$file"; then android+=("$file"); else pure+=("$file"); fi
done < <(find src/main/java -name '*.kt' | sort)
tests=()
while IFS= read -r file; do tests+=("$file"); done < <(find src/test/java -name '*.kt' | sort)

# The decoding and geometry must stay Android-free: a data/ or json/ file, or a decoder, that
# starts importing Android is a design error, not something to skip silently.
for file in "${android[@]}"; do
    case "$file" in
        */data/* | */json/* | */ml/*Decoder*.kt | */ml/Dequantizer.kt | */ml/ModelSpec.kt | */camera/FrameGeometry.kt | */camera/InputSampler.kt | */camera/ViewTransform.kt)
            echo "jvm-tests.sh: $file must stay pure Kotlin but imports Android/LiteRT classes" >&2
            exit 1 ;;
    esac
done
echo "compiling ${#pure[@]} pure main files and ${#tests[@]} test files with $(kotlinc -version 2>&1 | grep -o 'kotlinc-jvm [^ ]*')"
echo "not compiled here (Android/LiteRT, built by Android Studio): ${android[*]#src/main/java/}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export JAVA_OPTS="${JAVA_OPTS:--Xss2m}"
# -Xverify:none warnings of kotlinc 1.3 on a newer JDK are noise; real diagnostics still show.
kotlinc -nowarn -d "$work/classes" -cp "$junit:$hamcrest:$json" "${pure[@]}" "${tests[@]}" "$tools/JvmTestRunner.kt" 2>&1 \
    | grep -v -e 'Options -Xverify:none and -noverify were deprecated' || true
if [ ! -f "$work/classes/JvmTestRunnerKt.class" ]; then
    echo "jvm-tests.sh: compilation failed" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

# Test classes: files named *Test.kt, by package + file name.
classes=()
for file in "${tests[@]}"; do
    case "$file" in
        *Test.kt)
            package="$(sed -n 's/^package \(.*\)$/\1/p' "$file" | head -n 1)"
            classes+=("$package.$(basename "$file" .kt)") ;;
    esac
done
java -Dpose.assets.dir=src/main/assets -cp "$work/classes:$stdlib:$junit:$hamcrest:$json:src/test/resources" \
    JvmTestRunnerKt "${classes[@]}"
