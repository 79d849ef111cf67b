#!/usr/bin/env bash
# Builds the browser pages into ../target/classes/static; Maven runs it in generate-resources.
# Installs the locked dependencies first when node_modules is missing or older than
# package-lock.json (npm ci keeps its own copy of the lock in node_modules/.package-lock.json).
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "frontend: npm ci"
  npm ci --no-audit --no-fund
fi
npm run build
