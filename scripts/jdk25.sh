#!/usr/bin/env bash
# Prints the path of a java from JDK 25 or newer: $JAVA_HOME's if it is one, else the newest
# under /usr/lib/jvm (the machine's default java may be older). Fails, saying so, if none.
set -euo pipefail

java_major() {
  local v
  v=$("$1" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1) || return 1
  v=${v#1.}        # 1.8.0 -> 8.0
  v=${v%%[!0-9]*}  # 25.0.3 -> 25, 25-ea -> 25
  echo "${v:-0}"
}

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME/bin/java" || echo 0)" -ge 25 ]; then
  echo "$JAVA_HOME/bin/java"
  exit 0
fi
java=""
best=0
for candidate in /usr/lib/jvm/*/bin/java; do
  [ -x "$candidate" ] || continue
  major=$(java_major "$candidate" || echo 0)
  if [ "$major" -ge 25 ] && [ "$major" -gt "$best" ]; then
    best=$major
    java=$candidate
  fi
done
if [ -z "$java" ]; then
  echo "no JDK 25+ found: set JAVA_HOME to one (the default java is $(java_major java 2>/dev/null || echo none)), or install one under /usr/lib/jvm" >&2
  exit 1
fi
echo "$java"
