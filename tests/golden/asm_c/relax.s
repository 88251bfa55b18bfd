# Branch and jump relaxation with C: c.beqz/c.bnez/c.j when in reach,
# 4-byte forms beyond, an inverted c.b* over a jal when far, and 8 bytes
# to another section; pseudo-instructions with labels; .option.
    .text
    .globl _start
_start:
    beqz    a0, near
    bnez    s1, near
    beqz    t0, near            # not x8..x15: 4 bytes
    beq     a0, zero, near
    beq     zero, a0, near      # operands the other way: 4 bytes
    bne     a5, x0, near
    blt     a0, a1, near
    j       near
    jal     near                # jal stays 4 bytes
    jal     zero, near
    jal     t0, near
near:
    c.beqz  a0, near
    c.bnez  a5, _start
    c.j     near
    c.jal   _start
edge_b:
    beqz    a0, edge_b + 254    # the last c.beqz offset
    beqz    a0, edge_b + 256
    .skip   240
    nop
    j       edge_j
    bnez    a0, far
    .skip   2030
edge_j:
    j       _start              # -2048 away is c.j, beyond is jal
    j       edge_b
    .skip   4000
far:
    beqz    a0, _start          # far back: inverted c.bnez over a jal
    bltu    a0, a1, _start      # far back: inverted bgeu over a jal
    beqz    a0, other           # another section: 8 bytes
    bnez    a2, other
    j       other
    call    far
    tail    far
    la      a0, far
    lla     a1, data
    lw      a2, data
    sw      a2, data, t0
    .option push
    .option norvc
    beqz    a0, far
    j       far
    li      a0, 1
    .option pop
    beqz    a0, far
    li      a0, 1
    .option norvc
    addi    sp, sp, -16
    .option rvc
    addi    sp, sp, -16
    .p2align 2
    c.nop
    .p2align 3
    c.addi  a0, 1
    .balign 16
    # Every explicit c.* mnemonic, with edge operands.
    c.addi4spn s0, sp, 4
    c.addi4spn a5, sp, 1020
    c.lw    a0, 0(a1)
    c.lw    s0, 124(a5)
    c.sw    a0, 0(a1)
    c.sw    s1, 124(a5)
    c.nop
    c.addi  a0, -32
    c.addi  t6, 31
    c.li    ra, -1
    c.li    t6, 31
    c.addi16sp sp, -512
    c.addi16sp sp, 496
    c.lui   a0, 1
    c.lui   t0, 0x1f
    c.lui   s1, 0xfffe0
    c.lui   ra, 0xfffff
    c.srli  a0, 1
    c.srli  a5, 31
    c.srai  s0, 31
    c.andi  a0, -32
    c.andi  a5, 31
    c.sub   s0, a5
    c.xor   a0, a1
    c.or    a1, s0
    c.and   a5, a5
    c.slli  t6, 31
    c.slli  ra, 1
    c.lwsp  ra, 0(sp)
    c.lwsp  t6, 252(sp)
    c.swsp  zero, 0(sp)
    c.swsp  t6, 252(sp)
    c.jr    ra
    c.jr    t6
    c.mv    a0, t6
    c.mv    t6, ra
    c.add   sp, a0
    c.add   t6, t6
    c.jalr  t0
    c.jalr  t6
    c.ebreak
    c.unimp
    ret

    .section .text.other, "ax"
other:
    c.nop
    j       other
    ret

    .data
data:
    .word   0x11223344
