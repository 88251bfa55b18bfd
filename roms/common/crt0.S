/*
 * crt0 for Glassbox C ROMs.
 *   - sets gp and sp (sp is also set by the platform at reset, we re-set it
 *     so the ROM does not depend on that),
 *   - zeroes .bss,
 *   - calls main(0, 0),
 *   - exits with main's return value via the Linux exit syscall (ecall 93).
 * ROMs that install a trap vector must restore mtvec to 0 before returning
 * from main, otherwise the final ecall would trap instead of being served.
 */
    .section .text.init, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top

    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sw      zero, 0(t0)
    addi    t0, t0, 4
    j       1b
2:
    li      a0, 0
    li      a1, 0
    call    main

    /* exit(main's return value) */
    li      a7, 93
    ecall
3:  j       3b
    .size _start, . - _start
