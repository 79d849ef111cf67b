#!/usr/bin/env bash
# Makes a JDK 25 AOT cache for the app jar, so it starts in about half the time.
#
#   scripts/aot-cache.sh [JAR] [DIR]
#
# JAR defaults to the newest target/socketdeck-*.jar, DIR to target/aot. The jar is extracted
# into DIR (an AOT cache needs the classes in plain jars, not nested in the Spring Boot jar),
# then started once with -XX:AOTCacheOutput and spring.context.exit=onRefresh (a training run:
# the context is refreshed, then the JVM exits and writes DIR/app.aot with the classes it
# loaded and linked, and their profiles). Start it with the command this prints at the end.
# The cache is valid for that JDK and those jars only: run this again after each build.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

jar=${1:-$(ls -t target/socketdeck-*.jar 2>/dev/null | head -n 1 || true)}
dir=${2:-target/aot}
[ -n "$jar" ] && [ -f "$jar" ] || { echo "aot-cache: no jar (build one with ./mvnw -DskipTests package)" >&2; exit 1; }

java=$(scripts/jdk25.sh) || { echo "aot-cache: no JDK 25+ to make the cache with" >&2; exit 1; }

rm -rf "$dir"
mkdir -p "$dir"
"$java" -Djarmode=tools -jar "$jar" extract --destination "$dir" >/dev/null
app="$dir/$(basename "$jar")"
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
# the training run: port 0 and an empty data dir, so it neither clashes nor starts listeners
"$java" -XX:AOTCacheOutput="$dir/app.aot" -Dspring.context.exit=onRefresh -jar "$app" \
  --server.port=0 --socketdeck.listeners= --socketdeck.data-dir="$data" >"$dir/training.log" 2>&1 ||
  { echo "aot-cache: the training run failed; see $dir/training.log" >&2; exit 1; }
[ -f "$dir/app.aot" ] || { echo "aot-cache: no cache was written; see $dir/training.log" >&2; exit 1; }
echo "$java -XX:AOTCache=$dir/app.aot -jar $app"
