# Every pseudo-instruction, li with edge values.
    .text
    .globl main
main:
    li      a0, 0
    li      a0, -1
    li      a0, 2047
    li      a0, 2048
    li      a0, -2048
    li      a0, -2049
    li      a0, 0x7fffffff
    li      a0, 0x80000000
    li      a0, 0xfffff000
    li      a0, 0x12345678
    li      a0, 0xfff
    li      a0, 0x800
    li      a0, 0x1000
    li      a0, -4096
    li      a0, 0xffffffff
    li      a0, 0x7ffff800
    li      a0, 0x80000800
    li      t6, 'A'
    li      s0, (1 << 20) - 1
    li      s1, -2147483648
    mv      a0, a1
    not     a0, a1
    neg     a0, a1
    seqz    a0, a1
    snez    a0, a1
    sltz    a0, a1
    sgtz    a0, a1
    nop
    beqz    a0, main
    bnez    a0, main
    blez    a0, main
    bgez    a0, main
    bltz    a0, main
    bgtz    a0, main
    bgt     a0, a1, main
    ble     a0, a1, main
    bgtu    a0, a1, main
    bleu    a0, a1, main
    j       main
    jal     main
    jr      t0
    jalr    t1
    jalr    ra, t2
    ret
    call    func
    call    t0, func
    tail    func
    la      a0, value
    lla     a1, value
    lw      a2, value
    lbu     a3, value
    sw      a2, value, t0
    sb      a3, value+3, t1
    csrr    a0, mstatus
    csrw    mtvec, a0
    csrs    mie, a1
    csrc    mip, a2
    csrwi   mscratch, 5
    csrsi   mstatus, 8
    csrci   mstatus, 0x1f
    csrw    mscratch, 7
    csrs    0x304, 1
    rdcycle a0
    rdcycleh a1
    rdtime  a2
    rdtimeh a3
    rdinstret a4
    rdinstreth a5
    sext.b  a0, a1
    sext.h  a0, a1
    zext.b  a0, a1
    zext.h  a0, a1
func:
    ret
    .data
value:
    .word   0x11223344
