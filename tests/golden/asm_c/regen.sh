#!/bin/sh
# Regenerates forms.s (gen_forms.py) and the expected section bytes
# (*.golden) of every *.s here, and of assets/examples/*.s (as
# example_NAME.golden), with GNU as -march=rv32imac + ld, in the format and
# layout of ../asm/regen.sh plus a line with the ELF flags.
# tests/asm_golden.rs assembles the sources for rv32imac and compares.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
python3 "$here/gen_forms.py" > "$here/forms.s"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gen() { # source golden
  src=$1
  out=$2
  riscv64-unknown-elf-as -march=rv32imac_zicsr_zifencei -mabi=ilp32 -mno-relax "$src" -o "$tmp/o.o"
  riscv64-unknown-elf-ld -m elf32lriscv --no-relax -T "$here/../asm/layout.ld" "$tmp/o.o" -o "$tmp/a.elf" 2>/dev/null
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
  # The ELF header's flags (EF_RISCV_RVC), which write_elf must match.
  riscv64-unknown-elf-readelf -h "$tmp/o.o" | awk '/Flags:/ { print "flags", $2 }' | tr -d ',' >> "$out"
}
for src in "$here"/*.s; do
  gen "$src" "${src%.s}.golden"
done
for src in "$here"/../../../assets/examples/*.s; do
  gen "$src" "$here/example_$(basename "$src" .s).golden"
done
