/*
 * hello_uart: print "Hello from Glassbox!\n" byte by byte through the 16550
 * UART at 0x10000000 (polling LSR.THRE), then exit(0) via ecall 93.
 * Pure assembly, no runtime: the first ROM to bring up.
 */
    .option norelax
    .equ UART_BASE, 0x10000000
    .equ UART_THR,  0
    .equ UART_LSR,  5
    .equ LSR_THRE,  0x20

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
    sb      a2, UART_THR(a1)
    addi    a0, a0, 1
    j       next_char
finished:
    li      a0, 0               /* exit code */
    li      a7, 93              /* exit */
    ecall
hang:
    j       hang

    .section .rodata
message:
    .asciz  "Hello from Glassbox!\n"
