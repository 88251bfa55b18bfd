#!/bin/sh
# Regenerates the expected section bytes (*.golden) of every *.s here and of
# assets/examples/*.s with GNU as + ld. Run once after changing a source;
# the results are committed and tests/asm_golden.rs compares against them.
#   Format: "<section> <addr> <size>" lines, each followed by the bytes in
#   hex (32 per line); .bss has no bytes. Sections ld drops (empty) are absent.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
examples="$here/../../../assets/examples"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gen() { # source golden
  out=$2
  riscv64-unknown-elf-as -march=rv32im_zicsr_zifencei -mabi=ilp32 -mno-relax "$1" -o "$tmp/o.o"
  riscv64-unknown-elf-ld -m elf32lriscv --no-relax -T "$here/layout.ld" "$tmp/o.o" -o "$tmp/a.elf" 2>/dev/null
  : > "$out"
  for sec in .text .rodata .data .bss; do
    row=$(riscv64-unknown-elf-readelf -SW "$tmp/a.elf" | sed 's/^ *\[ *[0-9]*\] *//' | awk -v s="$sec" '$1 == s { print $3, $5 }')
    [ -n "$row" ] || continue
    echo "$sec 0x${row% *} 0x${row#* }" >> "$out"
    if [ "$sec" != .bss ]; then
      riscv64-unknown-elf-objcopy -O binary -j "$sec" "$tmp/a.elf" "$tmp/s.bin"
      od -An -v -tx1 "$tmp/s.bin" | tr -d ' \n' | fold -w 64 >> "$out"
      echo >> "$out"
    fi
  done
}
for src in "$here"/*.s; do
  gen "$src" "${src%.s}.golden"
done
for src in $(ls "$examples"/*.s 2>/dev/null); do
  name=$(basename "$src" .s)
  gen "$src" "$here/example_$name.golden"
done
