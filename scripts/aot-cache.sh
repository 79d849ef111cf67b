#!/usr/bin/env bash
# Makes the app jar start in about a third of the time: Spring's AOT processing plus a JDK 25
# AOT cache.
#
#   scripts/aot-cache.sh [JAR] [DIR]
#
# JAR defaults to the newest target/socketdeck-*.jar, DIR to target/aot. The jar is extracted
# into DIR (an AOT cache needs the classes in plain jars, not nested in the Spring Boot jar).
# Spring's AOT engine then works out the application context at build time and generates the
# code that sets it up; it is compiled with this JDK (the Maven plugin's process-aot cannot:
# it compiles with the JDK Maven runs on, often older than 25) and added to the extracted jar.
# Last, a training run (-XX:AOTCacheOutput, spring.context.exit=onRefresh: the context is
# refreshed, then the JVM exits) writes DIR/app.aot with the classes it loaded and linked and
# their profiles. Start the app with the command this prints at the end.
#
# Both fix things at the time this runs: the cache is valid for that JDK and those jars only,
# and the set of beans is decided here, so properties that switch beans on or off
# (spring.autoconfigure.exclude and the like) count when this runs, not at start-up. Settings
# read at run time (server.port, socketdeck.*) work as always. Run this again after each build.
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
jdk=$(dirname "$java")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
main=$(unzip -p "$app" META-INF/MANIFEST.MF | sed -n 's/^Main-Class: *//p' | tr -d '\r')
[ -n "$main" ] || { echo "aot-cache: $app names no Main-Class" >&2; exit 1; }

# Spring AOT: generate, compile with this JDK, add to the extracted jar (its manifest's
# Class-Path brings the libraries along for java -cp and javac alike)
"$java" -cp "$app" org.springframework.boot.SpringApplicationAotProcessor "$main" \
  "$work/sources" "$work/resources" "$work/classes" dev.socketdeck socketdeck >"$dir/aot-processing.log" 2>&1 ||
  { echo "aot-cache: Spring's AOT processing failed; see $dir/aot-processing.log" >&2; exit 1; }
mkdir -p "$work/classes"
find "$work/sources" -name '*.java' >"$work/sources.txt"
"$jdk/javac" -d "$work/classes" -cp "$app" -proc:none -parameters -nowarn @"$work/sources.txt" >>"$dir/aot-processing.log" 2>&1 ||
  { echo "aot-cache: compiling the AOT sources failed; see $dir/aot-processing.log" >&2; exit 1; }
cp -R "$work/resources/." "$work/classes/"
"$jdk/jar" --update --file "$app" -C "$work/classes" .

# the training run: port 0 and an empty data dir, so it neither clashes nor starts listeners
"$java" -XX:AOTCacheOutput="$dir/app.aot" -Dspring.aot.enabled=true -Dspring.context.exit=onRefresh -jar "$app" \
  --server.port=0 --socketdeck.listeners= --socketdeck.data-dir="$work/data" >"$dir/training.log" 2>&1 ||
  { echo "aot-cache: the training run failed; see $dir/training.log" >&2; exit 1; }
[ -f "$dir/app.aot" ] || { echo "aot-cache: no cache was written; see $dir/training.log" >&2; exit 1; }
echo "$java -XX:AOTCache=$dir/app.aot -Dspring.aot.enabled=true -jar $app"
