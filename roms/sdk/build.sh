#!/usr/bin/env bash
# Rebuild the SDK example ROMs: the same C built the two documented ways.
#
#   picolibc + semihosting (Debian: apt-get install picolibc-riscv64-unknown-elf):
#     riscv64-unknown-elf-gcc --specs=picolibc.specs --oslib=semihost --crt0=semihost \
#         -march=$MARCH -mabi=ilp32 -O2 -T assets/sdk/glassbox.ld prog.c -o prog.elf
#   the project's tiny runtime (roms/common, no libc): see tiny_*.c below.
#
# Usage: roms/sdk/build.sh   (MARCH=rv32im roms/sdk/build.sh for cores without C)
set -euo pipefail
SDK="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SDK/../.." && pwd)"
cd "$SDK"
CC="${CROSS:-riscv64-unknown-elf-}gcc"
MARCH="${MARCH:-rv32imac}"
export LC_ALL=C SOURCE_DATE_EPOCH=0
COMMON=(-march="$MARCH" -mabi=ilp32 -O2 -g0 -Wall -Wextra -Werror
        -ffile-prefix-map="$ROOT"=. -fno-ident
        -Wl,--build-id=none -Wl,--no-warn-rwx-segments)

for prog in hello scanf malloc; do
    echo "  picolibc  $prog.elf ($MARCH)"
    "$CC" --specs=picolibc.specs --oslib=semihost --crt0=semihost "${COMMON[@]}" \
        -T "$ROOT/assets/sdk/glassbox.ld" -o "$prog.elf" "$prog.c"
done
echo OK
