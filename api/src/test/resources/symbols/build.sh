#!/usr/bin/env bash
# Rebuilds the symbol test fixtures from their C sources: run it after changing a .c file and
# commit the outputs with it. Needs gcc and <sys/sdt.h> (Debian/Ubuntu: gcc systemtap-sdt-dev).
# The outputs are x86-64 Linux files; the tests that run them skip elsewhere with the reason.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
gcc -shared -fPIC -O2 -Wl,--version-script=libsyms.map -o libsyms.so libsyms.c libsyms_dup.c
gcc -O2 -fPIE -pie -o usdt_app_pie usdt_app.c
gcc -O2 -fno-pie -no-pie -o usdt_app_nopie usdt_app.c
gcc --version | head -n1 > GCC_VERSION
echo "built libsyms.so usdt_app_pie usdt_app_nopie with $(cat GCC_VERSION)"
