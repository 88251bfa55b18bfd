/*
 * hello_syscall: print "Hello from Glassbox!\n" with one Linux-style
 * write(1, buf, len) syscall (ecall, a7 = 64), then exit(0) (a7 = 93).
 * Pure assembly, no runtime.
 */
    .option norelax
    .section .text.init, "ax", @progbits
    .globl _start
_start:
    li      a0, 1                       /* fd = stdout */
    la      a1, message                 /* buf */
    la      a2, message_end
    sub     a2, a2, a1                  /* len */
    li      a7, 64                      /* write */
    ecall
    li      a0, 0                       /* exit code */
    li      a7, 93                      /* exit */
    ecall
hang:
    j       hang

    .section .rodata
message:
    .ascii  "Hello from Glassbox!\n"
message_end:
