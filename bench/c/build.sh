#!/usr/bin/env bash
# Builds the C benchmark programs (bench/c/*.c) into bench/build/.
# A program is only recompiled when its source or common.h is newer than the
# binary. Prints nothing on success except compiler messages.
#   usage: bench/c/build.sh        (from any directory)
set -euo pipefail

src_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out_dir="$(dirname "$src_dir")/build"
mkdir -p "$out_dir"
[[ -e "$out_dir/.gitignore" ]] || echo '*' > "$out_dir/.gitignore"

CC="${CC:-gcc}"
CFLAGS=(-std=c11 -O2 -Wall -Wextra -pthread)

for src in "$src_dir"/*.c; do
    bin="$out_dir/$(basename "$src" .c)"
    if [[ ! -x "$bin" || "$src" -nt "$bin" || "$src_dir/common.h" -nt "$bin" ]]; then
        # build beside it and rename, so a benchmark starting meanwhile never runs half a file
        "$CC" "${CFLAGS[@]}" -o "$bin.tmp" "$src"
        mv -f "$bin.tmp" "$bin"
    fi
done
