#!/bin/sh
# Regenerates forms.s (gen_forms.py) and the expected section bytes
# (*.golden) of every *.s here, and of assets/examples/*.s (as
# example_NAME.golden), with GNU as -march=rv32imac + ld, in the format of
# ../asm/golden.sh plus a line with the ELF flags.
# tests/asm_golden.rs assembles the sources for rv32imac and compares.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
golden_dir="$here/../asm"
. "$golden_dir/golden.sh"
python3 "$here/gen_forms.py" > "$here/forms.s"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
march=rv32imac_zicsr_zifencei
for src in "$here"/*.s; do
  golden $march flags "$src" "${src%.s}.golden"
done
for src in "$here"/../../../assets/examples/*.s; do
  golden $march flags "$src" "$here/example_$(basename "$src" .s).golden"
done
