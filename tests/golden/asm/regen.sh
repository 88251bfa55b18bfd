#!/bin/sh
# Regenerates the expected section bytes (*.golden) of every *.s here and of
# assets/examples/*.s with GNU as + ld (golden.sh has the format). Run once
# after changing a source; the results are committed and
# tests/asm_golden.rs compares against them.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
golden_dir=$here
. "$here/golden.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
march=rv32im_zicsr_zifencei
for src in "$here"/*.s; do
  golden $march noflags "$src" "${src%.s}.golden"
done
for src in "$here"/../../../assets/examples/*.s; do
  golden $march noflags "$src" "$here/example_$(basename "$src" .s).golden"
done
