#!/bin/sh
# Regenerates the compressed-instruction golden files (compressed.bin,
# compressed.sym, compressed.objdump.txt) from compressed.S, assembled for
# rv32imac, with regen.sh. compressed.S's last part (every 13th 16-bit
# parcel, as `.2byte`) was written by:
#   for p in range(0, 65536, 13): if p & 3 != 3: print(f"    .2byte  0x{p:04x}")
set -eu
cd "$(dirname "$0")"
MARCH=rv32imac_zicsr_zifencei ./regen.sh compressed.S compressed
