# %hi/%lo/%pcrel, numeric local labels, branch relaxation, sections.
    .text
start:
    lui     a0, %hi(var)
    addi    a0, a0, %lo(var)
    lw      a1, %lo(var)(a0)
    sw      a1, %lo(var+4)(a0)
    lui     a2, %hi(0x12345fff)
    addi    a2, a2, %lo(0x12345fff)
1:  auipc   a3, %pcrel_hi(var)
    addi    a3, a3, %pcrel_lo(1b)
2:  auipc   a4, %pcrel_hi(var + 8)
    lw      a5, %pcrel_lo(2b)(a4)
    sw      a5, %pcrel_lo(2b)(a4)
1:  addi    t0, t0, -1
    bnez    t0, 1b
    beqz    t0, 1f
    j       1b
1:  beq     a0, a1, far          # more than 4 KiB away: inverted branch + jal
    bne     a0, a1, other        # other section: always the long form
    bltu    a0, a1, near
    beq     a0, a1, .+8
near:
    jal     other
    j       .
    .space  4096
far:
    bgeu    a0, a1, start        # backward, too far
    ret
    .section .text.other, "ax"
other:
    ret
    .data
var:    .word 1, 2, 3
    .word   start, other, var + 4, 1f
1:
