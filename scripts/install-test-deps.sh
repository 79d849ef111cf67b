#!/usr/bin/env bash
# Installs what the test suite needs beyond Maven, if it is missing: Debian's Chromium for the
# browser tests (Playwright drives /usr/bin/chromium; it never downloads a browser of its own).
# Node.js and npm build the front end; the machine's own are used. gcc compiles the benchmark's C
# reference servers (bench/run, which .ci/run runs in quick mode).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing ${missing[*]} (Debian packages) for the tests"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
