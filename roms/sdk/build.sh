#!/usr/bin/env bash
# Rebuild the SDK example ROMs: the same C built the two documented ways.
#
#   picolibc + semihosting (Debian: apt-get install picolibc-riscv64-unknown-elf):
#     riscv64-unknown-elf-gcc --specs=picolibc.specs --oslib=semihost --crt0=semihost \
#         -march=$MARCH -mabi=ilp32 -O2 -T assets/sdk/glassbox.ld prog.c -o prog.elf
#   the project's tiny runtime (roms/common, no libc):
#     riscv64-unknown-elf-gcc -march=$MARCH -mabi=ilp32 -O2 -ffreestanding \
#         -nostdlib -nostartfiles -static -Iroms/common -T roms/common/link.ld \
#         -Wl,--no-warn-rwx-segments roms/common/crt0.S prog.c roms/common/rt.c -lgcc
#   (tiny_*.c: the same three programs without libc).
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
# The same command in steps with fixed object names: a one-step build
# names its temporary objects at random, and the names end up in the ELF.
OBJ="$(mktemp -d)"
trap 'rm -rf "$OBJ"' EXIT
TINY=(-ffreestanding -nostdlib -nostartfiles -static "${COMMON[@]}" -I"$ROOT/roms/common")
for prog in tiny_hello tiny_scanf tiny_malloc; do
    echo "  tiny rt   $prog.elf ($MARCH)"
    "$CC" "${TINY[@]}" -c -o "$OBJ/crt0.o" "$ROOT/roms/common/crt0.S"
    "$CC" "${TINY[@]}" -c -o "$OBJ/$prog.o" "$prog.c"
    "$CC" "${TINY[@]}" -c -o "$OBJ/rt.o" "$ROOT/roms/common/rt.c"
    "$CC" "${TINY[@]}" -T "$ROOT/roms/common/link.ld" -o "$prog.elf" \
        "$OBJ/crt0.o" "$OBJ/$prog.o" "$OBJ/rt.o" -lgcc
done
echo OK
