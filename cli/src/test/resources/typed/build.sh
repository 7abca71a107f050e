#!/usr/bin/env bash
# Rebuilds typed_maps.o from typed_maps.c: run it after changing the source and commit both.
# Needs clang and libbpf's headers (Debian/Ubuntu: clang llvm libbpf-dev).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
arch_inc="/usr/include/$(uname -m)-linux-gnu"
clang -target bpf -g -O2 -I"$arch_inc" -fdebug-prefix-map="$PWD"=. -c typed_maps.c -o typed_maps.o
clang --version | head -n1 > CLANG_VERSION
