# Sourced by tests/golden/asm/regen.sh and tests/golden/asm_c/regen.sh:
# `golden MARCH FLAGS SOURCE GOLDEN` assembles SOURCE with GNU as -march=MARCH
# + ld (layout.ld beside this file) and writes its expected section bytes.
#   Format: "<section> <addr> <size>" lines, each followed by the bytes in
#   hex (32 per line); .bss has no bytes. Sections ld drops (empty) are absent.
#   With FLAGS=flags, a last line gives the ELF header's flags (EF_RISCV_RVC),
#   which write_elf must match.
# The caller sets $tmp (a scratch directory) and $golden_dir (this one).
golden() {
  riscv64-unknown-elf-as -march="$1" -mabi=ilp32 -mno-relax "$3" -o "$tmp/o.o"
  riscv64-unknown-elf-ld -m elf32lriscv --no-relax -T "$golden_dir/layout.ld" "$tmp/o.o" -o "$tmp/a.elf" 2>/dev/null
  : > "$4"
  for sec in .text .rodata .data .bss; do
    row=$(riscv64-unknown-elf-readelf -SW "$tmp/a.elf" | sed 's/^ *\[ *[0-9]*\] *//' | awk -v s="$sec" '$1 == s { print $3, $5 }')
    [ -n "$row" ] || continue
    echo "$sec 0x${row% *} 0x${row#* }" >> "$4"
    if [ "$sec" != .bss ]; then
      riscv64-unknown-elf-objcopy -O binary -j "$sec" "$tmp/a.elf" "$tmp/s.bin"
      od -An -v -tx1 "$tmp/s.bin" | tr -d ' \n' | fold -w 64 >> "$4"
      echo >> "$4"
    fi
  done
  if [ "$2" = flags ]; then
    riscv64-unknown-elf-readelf -h "$tmp/o.o" | awk '/Flags:/ { print "flags", $2 }' | tr -d ',' >> "$4"
  fi
}
