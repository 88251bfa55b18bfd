#!/bin/sh
# Prints an ELF's symbols as "<hex addr> <F|O|N> <name>" lines, the way
# objdump -d sees them: no section, file, undefined or mapping ($x, $d)
# symbols; at one address in objdump's order of preference (functions,
# objects, then global, weak, local, then by name).
set -eu
P=${CROSS:-riscv64-unknown-elf-}
"${P}readelf" -sW "$1" | awk '
  $1 ~ /^[0-9]+:$/ && NF >= 8 {
    type = $4; bind = $5; ndx = $7; name = $8
    if (type == "SECTION" || type == "FILE" || ndx == "UND") next
    if (name == "" || name ~ /^\$/) next
    k = (type == "FUNC") ? "F" : (type == "OBJECT") ? "O" : "N"
    t = (type == "FUNC") ? 0 : (type == "OBJECT") ? 1 : 2
    b = (bind == "GLOBAL") ? 0 : (bind == "WEAK") ? 1 : 2
    printf "%s %d %d %s %s\n", $2, t, b, k, name
  }' | LC_ALL=C sort -k1,1 -k2,2n -k3,3n -k5,5 | awk '{ print $1, $4, $5 }'
