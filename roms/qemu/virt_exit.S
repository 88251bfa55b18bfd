/*
 * virt_exit: a bare-metal program written for QEMU's virt board
 * (qemu-system-riscv32 -machine virt -bios none -kernel virt_exit.elf).
 * It prints through the 16550 UART at 0x10000000 and exits with status 3
 * through the SiFive test finisher at 0x100000: (3 << 16) | 0x3333.
 * Nothing in it is Glassbox-specific; Glassbox runs it unchanged.
 */
    .option norelax
    .equ UART_BASE, 0x10000000
    .equ UART_LSR,  5
    .equ LSR_THRE,  0x20
    .equ FINISHER,  0x100000
    .equ EXIT_CODE, 3

    .section .text.init, "ax", @progbits
    .globl _start
_start:
    la      a0, message
    li      a1, UART_BASE
next_char:
    lbu     a2, 0(a0)
    beqz    a2, finished
wait_thre:
    lbu     a3, UART_LSR(a1)
    andi    a3, a3, LSR_THRE
    beqz    a3, wait_thre
    sb      a2, 0(a1)
    addi    a0, a0, 1
    j       next_char
finished:
    li      t0, FINISHER
    li      t1, (EXIT_CODE << 16) | 0x3333
    sw      t1, 0(t0)
hang:
    j       hang

    .section .rodata
message:
    .asciz  "Hello from QEMU virt!\n"
