#!/usr/bin/env bash
# Rebuild every Glassbox guest ROM (.elf) from source.
#
# Toolchain (Debian/Ubuntu):
#     sudo apt-get install -y gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf
# (picolibc-riscv64-unknown-elf is NOT needed: the ROMs bring their own tiny
#  runtime in common/.)  Override the tool prefix with CROSS=... if needed.
#
# Usage:  roms/build.sh            (from anywhere)
#
# Output is deterministic: no build-id, no timestamps, sources referenced by
# relative path, -ffile-prefix-map, fixed flags.  Any error aborts the build.
set -euo pipefail

ROMS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROMS"

CROSS="${CROSS:-riscv64-unknown-elf-}"
CC="${CROSS}gcc"
command -v "$CC" >/dev/null || { echo "error: $CC not found (see header of $0)" >&2; exit 1; }

export LC_ALL=C
export SOURCE_DATE_EPOCH=0

COMMON=common
LDSCRIPT="$COMMON/link.ld"

# Pure assembly: full ISA string, no libgcc.
ASFLAGS=(-march=rv32im_zicsr_zifencei -mabi=ilp32 -mno-relax -nostdlib -nostartfiles
         -static -I"$COMMON" -T "$LDSCRIPT"
         -Wl,--build-id=none -Wl,--no-warn-rwx-segments)
# (-mno-relax: the asm ROMs never set gp, so no gp-relative relaxation.)

# C: rv32im with the 2.2 ISA spec (implies zicsr/zifencei) so that the rv32im
# multilib of libgcc is selected.
CFLAGS=(-march=rv32im -misa-spec=2.2 -mabi=ilp32 -mcmodel=medlow
        -O2 -g0 -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns
        -fno-common -fno-asynchronous-unwind-tables -fno-ident
        -ffile-prefix-map="$ROMS"=. -Wall -Wextra -Werror
        -I"$COMMON")
CLDFLAGS=(-nostdlib -nostartfiles -static -T "$LDSCRIPT"
          -Wl,--build-id=none -Wl,--no-warn-rwx-segments)

# Objects go to a fixed scratch directory (removed at the end) so that the
# FILE symbols the linker records are stable names, not random /tmp/ccXXXX.o.
OBJ=.obj
rm -rf "$OBJ"
mkdir -p "$OBJ"
trap 'rm -rf "$ROMS/$OBJ"' EXIT

build_asm() {   # build_asm out.elf src.S
    local out="$1" src="$2"
    local obj="$OBJ/$(basename "${src%.S}").o"
    echo "  AS+LD  $out"
    "$CC" "${ASFLAGS[@]}" -c -o "$obj" "$src"
    "$CC" "${ASFLAGS[@]}" -o "$out" "$obj"
}

build_c() {     # build_c out.elf src.c RT_BACKEND_DEFINE
    local out="$1" src="$2" backend="$3"
    local name; name="$(basename "${src%.c}")"
    echo "  CC+LD  $out  ($backend)"
    mkdir -p "$OBJ/$name"
    "$CC" "${CFLAGS[@]}" -D"$backend" -c -o "$OBJ/$name/crt0.o" "$COMMON/crt0.S"
    "$CC" "${CFLAGS[@]}" -D"$backend" -c -o "$OBJ/$name/$name.o" "$src"
    "$CC" "${CFLAGS[@]}" -D"$backend" -c -o "$OBJ/$name/rt.o" "$COMMON/rt.c"
    "$CC" "${CFLAGS[@]}" "${CLDFLAGS[@]}" -o "$out" \
        "$OBJ/$name/crt0.o" "$OBJ/$name/$name.o" "$OBJ/$name/rt.o" -lgcc
}

build_c_def() { # build_c_def out.elf src.c RT_BACKEND_DEFINE [-DMACRO=...]...
    # Like build_c, for several ROMs built from one source with different
    # macros; objects are named after the output so the variants never mix.
    local out="$1" src="$2" backend="$3"; shift 3
    local name; name="$(basename "${out%.elf}")"
    local base; base="$(basename "${src%.c}")"
    echo "  CC+LD  $out  ($backend${*:+ $*})"
    mkdir -p "$OBJ/$name"
    "$CC" "${CFLAGS[@]}" -D"$backend" -c -o "$OBJ/$name/crt0.o" "$COMMON/crt0.S"
    "$CC" "${CFLAGS[@]}" -D"$backend" "$@" -c -o "$OBJ/$name/$base.o" "$src"
    "$CC" "${CFLAGS[@]}" -D"$backend" -c -o "$OBJ/$name/rt.o" "$COMMON/rt.c"
    "$CC" "${CFLAGS[@]}" "${CLDFLAGS[@]}" -o "$out" \
        "$OBJ/$name/crt0.o" "$OBJ/$name/$base.o" "$OBJ/$name/rt.o" -lgcc
}

echo "Program ROMs:"
build_asm hello_uart.elf     hello_uart.S
build_asm hello_syscall.elf  hello_syscall.S
build_c   fibonacci.elf      fibonacci.c      RT_OUT_UART
build_c   bubble_sort.elf    bubble_sort.c    RT_OUT_SYSCALL
build_c   matmul.elf         matmul.c         RT_OUT_SYSCALL
build_c   timer_irq.elf      timer_irq.c      RT_OUT_UART
build_c   echo.elf           echo.c           RT_OUT_SYSCALL
build_c   exit_code.elf      exit_code.c      RT_OUT_SYSCALL
build_c   htif_hello.elf     htif_hello.c     RT_OUT_HTIF

echo "RV32C ROMs (roms/rvc/: the same sources built for rv32imac):"
mkdir -p rvc
CFLAGS_IM=("${CFLAGS[@]}")
CFLAGS=("${CFLAGS[@]/-march=rv32im/-march=rv32imac}")
build_c   rvc/matmul.elf     matmul.c         RT_OUT_SYSCALL
CFLAGS=("${CFLAGS_IM[@]}")

echo "Memory-hierarchy ROMs:"
build_c_def cache_row.elf        cache_rowcol.c   RT_OUT_SYSCALL -DROW_MAJOR
build_c_def cache_col.elf        cache_rowcol.c   RT_OUT_SYSCALL -DCOL_MAJOR
build_c_def cache_stride1.elf    cache_stride.c   RT_OUT_SYSCALL -DSTRIDE=1
build_c_def cache_stride4.elf    cache_stride.c   RT_OUT_SYSCALL -DSTRIDE=4
build_c_def cache_stride8.elf    cache_stride.c   RT_OUT_SYSCALL -DSTRIDE=8
build_c_def cache_stride16.elf   cache_stride.c   RT_OUT_SYSCALL -DSTRIDE=16
build_c_def matmul_naive.elf     matmul_cache.c   RT_OUT_SYSCALL
build_c_def matmul_blocked.elf   matmul_cache.c   RT_OUT_SYSCALL -DBLOCKED
build_c_def cache_conflict.elf   cache_conflict.c RT_OUT_SYSCALL
build_c_def cache_noconflict.elf cache_conflict.c RT_OUT_SYSCALL -DPAD=64
build_c_def cache_list.elf       cache_list.c     RT_OUT_SYSCALL
build_c_def cache_list_seq.elf   cache_list.c     RT_OUT_SYSCALL -DSEQUENTIAL

echo "Device demos (roms/devices/: framebuffer, keyboard, GPIO, PLIC):"
build_dev() {   # build_dev out.elf src.c: UART output, with devices/trap.S
    local out="$1" src="$2"
    local name; name="$(basename "${src%.c}")"
    echo "  CC+LD  $out  (RT_OUT_UART, devices)"
    mkdir -p "$OBJ/dev_$name"
    "$CC" "${CFLAGS[@]}" -DRT_OUT_UART -c -o "$OBJ/dev_$name/crt0.o" "$COMMON/crt0.S"
    "$CC" "${CFLAGS[@]}" -DRT_OUT_UART -c -o "$OBJ/dev_$name/trap.o" devices/trap.S
    "$CC" "${CFLAGS[@]}" -DRT_OUT_UART -Idevices -c -o "$OBJ/dev_$name/$name.o" "$src"
    "$CC" "${CFLAGS[@]}" -DRT_OUT_UART -c -o "$OBJ/dev_$name/rt.o" "$COMMON/rt.c"
    "$CC" "${CFLAGS[@]}" "${CLDFLAGS[@]}" -o "$out" "$OBJ/dev_$name/crt0.o" \
        "$OBJ/dev_$name/trap.o" "$OBJ/dev_$name/$name.o" "$OBJ/dev_$name/rt.o" -lgcc
}
build_dev devices/snake.elf         devices/snake.c
build_dev devices/leds.elf          devices/leds.c
build_dev devices/uart_echo_irq.elf devices/uart_echo_irq.c
build_dev devices/keyboard_irq.elf  devices/keyboard_irq.c

echo "Programs written for other platforms:"
# For qemu-system-riscv32 -machine virt -bios none; nothing Glassbox-specific.
build_asm qemu/virt_exit.elf qemu/virt_exit.S

echo "Loader and diagnostics fixtures (tests/ext_loading.rs):"
L=(-mno-relax -nostdlib -nostartfiles -static
   -Wl,--build-id=none -Wl,--no-warn-rwx-segments)
fixture() {     # fixture out.elf src.S march mabi [link flags...]
    local out="$1" src="$2" march="$3" mabi="$4"; shift 4
    local obj; obj="$OBJ/$(basename "${out%.elf}").o"
    echo "  AS+LD  $out"
    "$CC" -march="$march" -mabi="$mabi" "${L[@]}" -c -o "$obj" "$src"
    "$CC" -march="$march" -mabi="$mabi" "${L[@]}" "$@" -o "$out" "$obj"
}
# The classic link: no script, so the first segment holds the ELF headers
# just below RAM (0x7ffff000).
fixture loading/classic_link.elf hello_uart.S rv32im_zicsr ilp32 -Ttext=0x80000000
# Linked where there is no RAM.
fixture loading/linked_low.elf hello_uart.S rv32im_zicsr ilp32 -Ttext=0x1000
fixture loading/float_op.elf loading/float_op.S rv32imf_zicsr ilp32 -T "$LDSCRIPT"
fixture loading/vector_op.elf loading/vector_op.S rv32imv_zicsr ilp32 -T "$LDSCRIPT"
fixture loading/hard_float.elf hello_uart.S rv32imfd_zicsr ilp32d -T "$LDSCRIPT"

echo "ISA test ROMs:"
for src in isa/*.S; do
    case "$src" in
        isa/atomic.S) continue ;;   # needs the A extension, below
        isa/rvc_*.S) continue ;;    # need the C extension, below
    esac
    build_asm "${src%.S}.elf" "$src"
done
ASFLAGS[0]=-march=rv32ima_zicsr_zifencei
build_asm isa/atomic.elf isa/atomic.S
ASFLAGS[0]=-march=rv32imc_zicsr_zifencei
for src in isa/rvc_*.S; do
    build_asm "${src%.S}.elf" "$src"
done

echo "OK"
