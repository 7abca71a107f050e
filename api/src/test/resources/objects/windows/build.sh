#!/usr/bin/env bash
# Rebuilds the eBPF for Windows test objects from their C sources: run it after changing a .c
# file and commit the .o files with it. Needs clang only: efw.h declares what eBPF for Windows'
# headers would give. EfwCorpusCurrentTest checks, wherever clang is installed, that the committed
# objects still match their sources.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
for c in *.c; do
  clang -target bpf -g -O2 -fdebug-prefix-map="$PWD"=. -c "$c" -o "${c%.c}.o"
done
clang --version | head -n1 > CLANG_VERSION
echo "built $(ls *.o | wc -l) objects with $(cat CLANG_VERSION)"
