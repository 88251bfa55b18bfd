# Every base instruction form of RV32IM + Zicsr + Zifencei.
    .text
    .globl _start
_start:
    lui     a0, 0x12345
    lui     x31, 0xfffff
    lui     t0, 0
    auipc   a1, 0x1
    auipc   s11, 0xfffff
    jal     ra, _start
    jal     zero, forward
    jalr    ra, 0(a0)
    jalr    t0, -4(sp)
    jalr    x0, 2047(x31)
    beq     a0, a1, _start
    bne     s0, fp, forward
    blt     t1, t2, _start
    bge     a2, a3, forward
    bltu    a4, a5, _start
    bgeu    a6, a7, forward
forward:
    lb      a0, 0(sp)
    lh      a1, -2048(gp)
    lw      a2, 2047(tp)
    lbu     a3, (a4)
    lhu     a5, 12(s1)
    sb      a0, 0(sp)
    sh      a1, -1(s2)
    sw      a2, 2044(s3)
    addi    a0, a1, -2048
    slti    a0, a1, 2047
    sltiu   a0, a1, -1
    xori    a0, a1, 0x7ff
    ori     a0, a1, -0x800
    andi    a0, a1, 0b1010
    slli    a0, a1, 0
    srli    a0, a1, 31
    srai    a0, a1, 017
    add     a0, a1, a2
    sub     s4, s5, s6
    sll     s7, s8, s9
    slt     s10, s11, t3
    sltu    t4, t5, t6
    xor     x1, x2, x3
    srl     x4, x5, x6
    sra     x7, x8, x9
    or      x10, x11, x12
    and     x13, x14, x15
    mul     a0, a1, a2
    mulh    a0, a1, a2
    mulhsu  a0, a1, a2
    mulhu   a0, a1, a2
    div     a0, a1, a2
    divu    a0, a1, a2
    rem     a0, a1, a2
    remu    a0, a1, a2
    add     a0, a0, 5          # GNU alias for addi
    and     a0, a0, -1
    sll     a0, a0, 3
    fence
    fence   rw, rw
    fence   i, o
    fence   iorw, w
    fence.i
    fence.tso
    ecall
    ebreak
    mret
    wfi
    csrrw   a0, mstatus, a1
    csrrs   a0, 0x305, zero
    csrrc   a0, mie, t0
    csrrwi  a0, mscratch, 31
    csrrsi  zero, mstatus, 8
    csrrci  a0, 0x344, 0
    csrrw   a0, mepc, 3        # immediate selects csrrwi
    csrrs   a0, mcause, a0
    csrrs   a0, mtval, a0
    csrrs   a0, mhartid, x0
    csrrs   a0, cycleh, x0
    csrrs   a0, minstret, x0
    unimp
