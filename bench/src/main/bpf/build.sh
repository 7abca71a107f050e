#!/usr/bin/env bash
# Rebuilds the benchmark's BPF object from its C source into the bench's resources; commit the .o
# with the source. Needs clang and libbpf's headers (Debian/Ubuntu: clang llvm libbpf-dev).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
out=../resources/io/bpf4j/bench
mkdir -p "$out"
clang -target bpf -g -O2 -I"/usr/include/$(uname -m)-linux-gnu" -fdebug-prefix-map="$PWD"=. -c load_many.c -o "$out/load_many.o"
echo "built $out/load_many.o with $(clang --version | head -n1)"
