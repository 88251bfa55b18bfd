#!/bin/sh
# Regenerates the disassembler golden files from all_forms.S with the GNU
# RISC-V toolchain (binutils-riscv64-unknown-elf; recorded with 2.40).
#   all_forms.bin          .text bytes (loaded at 0x80000000)
#   all_forms.sym          symbols: "<hex addr> <F|O|N> <name>", in the order
#                          objdump prefers them at one address
#   all_forms.objdump.txt  `objdump -d` output without its title lines
# Usage: regen.sh [source.S [output-prefix]]
set -eu
cd "$(dirname "$0")"
SRC=${1:-all_forms.S}
OUT=${2:-all_forms}
P=${CROSS:-riscv64-unknown-elf-}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

"${P}as" -march="${MARCH:-rv32ima_zicsr_zifencei}" -mabi=ilp32 "$SRC" -o "$TMP/a.o"
"${P}ld" -m elf32lriscv -Ttext=0x80000000 "$TMP/a.o" -o "$TMP/a.elf"
# `.word` in .text makes gas emit `$d` mapping symbols, which would make
# objdump print those words as data; drop them so it disassembles them.
"${P}objcopy" --strip-symbol='$d' "$TMP/a.elf" "$TMP/b.elf"
"${P}objcopy" -O binary -j .text "$TMP/b.elf" "$OUT.bin"
./elf2sym.sh "$TMP/b.elf" > "$OUT.sym"
"${P}objdump" -d "$TMP/b.elf" | tail -n +6 > "$OUT.objdump.txt"
