# syscalls.s - RARS-style console calls: a7 selects the service.
#   1 print integer (a0)   4 print string (a0)   11 print character (a0)
#   34 print hex (a0)      93 exit with status a0
    .section .rodata
hello:  .string "Hello from RISC-V!\n"
answer: .asciz  "The answer is "

    .text
    .globl _start
_start:
    la      a0, hello
    li      a7, 4
    ecall
    la      a0, answer
    li      a7, 4
    ecall
    li      a0, 42
    li      a7, 1
    ecall
    li      a0, '\n'
    li      a7, 11
    ecall
    li      a0, 0xcafe
    li      a7, 34
    ecall
    li      a0, '\n'
    li      a7, 11
    ecall
    li      a0, 0
    li      a7, 93
    ecall
