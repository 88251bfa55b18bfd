# Golden input for the Glassbox disassembler: every RV32IM + Zicsr +
# Zifencei instruction form with edge-case operands. Regenerate the
# recorded outputs with regen.sh after editing.
    .option norelax
    .text
    .globl _start
    .type _start, @function
_start:
    # every register as rd, rs1 and rs2
    add zero, ra, sp
    add ra, sp, gp
    add sp, gp, tp
    add gp, tp, t0
    add tp, t0, t1
    add t0, t1, t2
    add t1, t2, s0
    add t2, s0, s1
    add s0, s1, a0
    add s1, a0, a1
    add a0, a1, a2
    add a1, a2, a3
    add a2, a3, a4
    add a3, a4, a5
    add a4, a5, a6
    add a5, a6, a7
    add a6, a7, s2
    add a7, s2, s3
    add s2, s3, s4
    add s3, s4, s5
    add s4, s5, s6
    add s5, s6, s7
    add s6, s7, s8
    add s7, s8, s9
    add s8, s9, s10
    add s9, s10, s11
    add s10, s11, t3
    add s11, t3, t4
    add t3, t4, t5
    add t4, t5, t6
    add t5, t6, zero
    add t6, zero, ra
    # U-type
    lui a0, 0
    lui a0, 1
    lui a0, 0x7ffff
    lui a0, 0x80000
    lui a0, 0xfffff
    lui zero, 0x12345
    lui t6, 0xabcde
    auipc a0, 0
    auipc a0, 1
    auipc a0, 0x7ffff
    auipc a0, 0x80000
    auipc a0, 0xfffff
    auipc zero, 0x12345
    auipc t6, 0xabcde
    # I-type ALU: min/max immediates, x0 operands, aliases
    addi a0, a1, 0
    addi a0, a1, 1
    addi a0, a1, -1
    addi a0, a1, 2047
    addi a0, a1, -2048
    addi t6, zero, 5
    addi zero, s11, -7
    addi zero, zero, 0
    slti a0, a1, 0
    slti a0, a1, 1
    slti a0, a1, -1
    slti a0, a1, 2047
    slti a0, a1, -2048
    slti t6, zero, 5
    slti zero, s11, -7
    slti zero, zero, 0
    sltiu a0, a1, 0
    sltiu a0, a1, 1
    sltiu a0, a1, -1
    sltiu a0, a1, 2047
    sltiu a0, a1, -2048
    sltiu t6, zero, 5
    sltiu zero, s11, -7
    sltiu zero, zero, 0
    xori a0, a1, 0
    xori a0, a1, 1
    xori a0, a1, -1
    xori a0, a1, 2047
    xori a0, a1, -2048
    xori t6, zero, 5
    xori zero, s11, -7
    xori zero, zero, 0
    ori a0, a1, 0
    ori a0, a1, 1
    ori a0, a1, -1
    ori a0, a1, 2047
    ori a0, a1, -2048
    ori t6, zero, 5
    ori zero, s11, -7
    ori zero, zero, 0
    andi a0, a1, 0
    andi a0, a1, 1
    andi a0, a1, -1
    andi a0, a1, 2047
    andi a0, a1, -2048
    andi t6, zero, 5
    andi zero, s11, -7
    andi zero, zero, 0
    # shifts by 0, 1, 31
    slli s2, s3, 0
    slli s2, s3, 1
    slli s2, s3, 31
    slli zero, zero, 7
    srli s2, s3, 0
    srli s2, s3, 1
    srli s2, s3, 31
    srli zero, zero, 7
    srai s2, s3, 0
    srai s2, s3, 1
    srai s2, s3, 31
    srai zero, zero, 7
    # R-type with x0 operands (neg, snez, sltz, sgtz aliases)
    add a0, a1, a2
    add t3, zero, t4
    add t3, t4, zero
    add zero, zero, zero
    sub a0, a1, a2
    sub t3, zero, t4
    sub t3, t4, zero
    sub zero, zero, zero
    sll a0, a1, a2
    sll t3, zero, t4
    sll t3, t4, zero
    sll zero, zero, zero
    slt a0, a1, a2
    slt t3, zero, t4
    slt t3, t4, zero
    slt zero, zero, zero
    sltu a0, a1, a2
    sltu t3, zero, t4
    sltu t3, t4, zero
    sltu zero, zero, zero
    xor a0, a1, a2
    xor t3, zero, t4
    xor t3, t4, zero
    xor zero, zero, zero
    srl a0, a1, a2
    srl t3, zero, t4
    srl t3, t4, zero
    srl zero, zero, zero
    sra a0, a1, a2
    sra t3, zero, t4
    sra t3, t4, zero
    sra zero, zero, zero
    or a0, a1, a2
    or t3, zero, t4
    or t3, t4, zero
    or zero, zero, zero
    and a0, a1, a2
    and t3, zero, t4
    and t3, t4, zero
    and zero, zero, zero
    mul a0, a1, a2
    mul t3, zero, t4
    mul t3, t4, zero
    mul zero, zero, zero
    mulh a0, a1, a2
    mulh t3, zero, t4
    mulh t3, t4, zero
    mulh zero, zero, zero
    mulhsu a0, a1, a2
    mulhsu t3, zero, t4
    mulhsu t3, t4, zero
    mulhsu zero, zero, zero
    mulhu a0, a1, a2
    mulhu t3, zero, t4
    mulhu t3, t4, zero
    mulhu zero, zero, zero
    div a0, a1, a2
    div t3, zero, t4
    div t3, t4, zero
    div zero, zero, zero
    divu a0, a1, a2
    divu t3, zero, t4
    divu t3, t4, zero
    divu zero, zero, zero
    rem a0, a1, a2
    rem t3, zero, t4
    rem t3, t4, zero
    rem zero, zero, zero
    remu a0, a1, a2
    remu t3, zero, t4
    remu t3, t4, zero
    remu zero, zero, zero
    # loads and stores: min/max offsets, x0/sp/gp/tp bases
    lb a5, 0(a0)
    lb a5, -2048(a1)
    lb a5, 2047(s0)
    lb a5, -1(sp)
    lb a5, 16(zero)
    lb a5, -4(gp)
    lb a5, 8(tp)
    lb zero, 0(t6)
    lh a5, 0(a0)
    lh a5, -2048(a1)
    lh a5, 2047(s0)
    lh a5, -1(sp)
    lh a5, 16(zero)
    lh a5, -4(gp)
    lh a5, 8(tp)
    lh zero, 0(t6)
    lw a5, 0(a0)
    lw a5, -2048(a1)
    lw a5, 2047(s0)
    lw a5, -1(sp)
    lw a5, 16(zero)
    lw a5, -4(gp)
    lw a5, 8(tp)
    lw zero, 0(t6)
    lbu a5, 0(a0)
    lbu a5, -2048(a1)
    lbu a5, 2047(s0)
    lbu a5, -1(sp)
    lbu a5, 16(zero)
    lbu a5, -4(gp)
    lbu a5, 8(tp)
    lbu zero, 0(t6)
    lhu a5, 0(a0)
    lhu a5, -2048(a1)
    lhu a5, 2047(s0)
    lhu a5, -1(sp)
    lhu a5, 16(zero)
    lhu a5, -4(gp)
    lhu a5, 8(tp)
    lhu zero, 0(t6)
    sb a5, 0(a0)
    sb a5, -2048(a1)
    sb a5, 2047(s0)
    sb a5, -1(sp)
    sb a5, 16(zero)
    sb a5, -4(gp)
    sb a5, 8(tp)
    sb zero, 4(t6)
    sh a5, 0(a0)
    sh a5, -2048(a1)
    sh a5, 2047(s0)
    sh a5, -1(sp)
    sh a5, 16(zero)
    sh a5, -4(gp)
    sh a5, 8(tp)
    sh zero, 4(t6)
    sw a5, 0(a0)
    sw a5, -2048(a1)
    sw a5, 2047(s0)
    sw a5, -1(sp)
    sw a5, 16(zero)
    sw a5, -4(gp)
    sw a5, 8(tp)
    sw zero, 4(t6)
    # address pairs objdump comments (lui/auipc + use)
    lui t0, 0x80000
    lw t1, 16(t0)
    auipc t2, 0
    addi t2, t2, 12
    lui a3, 0x10000
    sw a4, -4(a3)
    auipc ra, 0
    jalr ra, 8(ra)
    auipc t1, 0
    jr t1
    auipc gp, 0
    jalr zero, 4(gp)
    lui tp, 0x1
    jalr a0, -4(tp)
    auipc a0, 0
    mv a1, a0
    lw a2, 0(a0)
    .globl helper
    .type helper, @function
helper:
    # jalr forms: ret, jr, jalr with offsets
    jalr zero, 0(ra)
    jalr zero, 4(ra)
    jalr zero, -4(ra)
    jalr zero, 2047(ra)
    jalr zero, -2048(ra)
    jalr zero, 0(a0)
    jalr zero, 4(a0)
    jalr zero, -4(a0)
    jalr zero, 2047(a0)
    jalr zero, -2048(a0)
    jalr zero, 0(zero)
    jalr zero, 4(zero)
    jalr zero, -4(zero)
    jalr zero, 2047(zero)
    jalr zero, -2048(zero)
    jalr ra, 0(ra)
    jalr ra, 4(ra)
    jalr ra, -4(ra)
    jalr ra, 2047(ra)
    jalr ra, -2048(ra)
    jalr ra, 0(a0)
    jalr ra, 4(a0)
    jalr ra, -4(a0)
    jalr ra, 2047(a0)
    jalr ra, -2048(a0)
    jalr ra, 0(zero)
    jalr ra, 4(zero)
    jalr ra, -4(zero)
    jalr ra, 2047(zero)
    jalr ra, -2048(zero)
    jalr a1, 0(ra)
    jalr a1, 4(ra)
    jalr a1, -4(ra)
    jalr a1, 2047(ra)
    jalr a1, -2048(ra)
    jalr a1, 0(a0)
    jalr a1, 4(a0)
    jalr a1, -4(a0)
    jalr a1, 2047(a0)
    jalr a1, -2048(a0)
    jalr a1, 0(zero)
    jalr a1, 4(zero)
    jalr a1, -4(zero)
    jalr a1, 2047(zero)
    jalr a1, -2048(zero)
local_loop:
    # branches: forward and backward, every alias
    beq a0, a1, local_loop
    beq a0, a1, 1f
    beq a0, zero, local_loop
    beq a0, zero, 1f
    beq zero, a0, local_loop
    beq zero, a0, 1f
    beq zero, zero, local_loop
    beq zero, zero, 1f
    beq t6, s11, local_loop
    beq t6, s11, 1f
1:
    bne a0, a1, local_loop
    bne a0, a1, 1f
    bne a0, zero, local_loop
    bne a0, zero, 1f
    bne zero, a0, local_loop
    bne zero, a0, 1f
    bne zero, zero, local_loop
    bne zero, zero, 1f
    bne t6, s11, local_loop
    bne t6, s11, 1f
1:
    blt a0, a1, local_loop
    blt a0, a1, 1f
    blt a0, zero, local_loop
    blt a0, zero, 1f
    blt zero, a0, local_loop
    blt zero, a0, 1f
    blt zero, zero, local_loop
    blt zero, zero, 1f
    blt t6, s11, local_loop
    blt t6, s11, 1f
1:
    bge a0, a1, local_loop
    bge a0, a1, 1f
    bge a0, zero, local_loop
    bge a0, zero, 1f
    bge zero, a0, local_loop
    bge zero, a0, 1f
    bge zero, zero, local_loop
    bge zero, zero, 1f
    bge t6, s11, local_loop
    bge t6, s11, 1f
1:
    bltu a0, a1, local_loop
    bltu a0, a1, 1f
    bltu a0, zero, local_loop
    bltu a0, zero, 1f
    bltu zero, a0, local_loop
    bltu zero, a0, 1f
    bltu zero, zero, local_loop
    bltu zero, zero, 1f
    bltu t6, s11, local_loop
    bltu t6, s11, 1f
1:
    bgeu a0, a1, local_loop
    bgeu a0, a1, 1f
    bgeu a0, zero, local_loop
    bgeu a0, zero, 1f
    bgeu zero, a0, local_loop
    bgeu zero, a0, 1f
    bgeu zero, zero, local_loop
    bgeu zero, zero, 1f
    bgeu t6, s11, local_loop
    bgeu t6, s11, 1f
1:
    # jal: forward, backward, to function labels, ra/zero/other rd
    jal _start
    jal helper
    jal zero, local_loop
    jal t0, far_end
    jal ra, 2f
    j 2f
2:  j 2b
    # CSRs: every CSR the machine implements, all forms
    csrrs a0, mstatus, zero
    csrrs zero, mstatus, zero
    csrrw t0, mstatus, t1
    csrrs t0, mstatus, t1
    csrrc t0, mstatus, t1
    csrrs a0, misa, zero
    csrrs zero, misa, zero
    csrrw t0, misa, t1
    csrrs t0, misa, t1
    csrrc t0, misa, t1
    csrrs a0, mie, zero
    csrrs zero, mie, zero
    csrrw t0, mie, t1
    csrrs t0, mie, t1
    csrrc t0, mie, t1
    csrrs a0, mtvec, zero
    csrrs zero, mtvec, zero
    csrrw t0, mtvec, t1
    csrrs t0, mtvec, t1
    csrrc t0, mtvec, t1
    csrrs a0, mscratch, zero
    csrrs zero, mscratch, zero
    csrrw t0, mscratch, t1
    csrrs t0, mscratch, t1
    csrrc t0, mscratch, t1
    csrrs a0, mepc, zero
    csrrs zero, mepc, zero
    csrrw t0, mepc, t1
    csrrs t0, mepc, t1
    csrrc t0, mepc, t1
    csrrs a0, mcause, zero
    csrrs zero, mcause, zero
    csrrw t0, mcause, t1
    csrrs t0, mcause, t1
    csrrc t0, mcause, t1
    csrrs a0, mtval, zero
    csrrs zero, mtval, zero
    csrrw t0, mtval, t1
    csrrs t0, mtval, t1
    csrrc t0, mtval, t1
    csrrs a0, mip, zero
    csrrs zero, mip, zero
    csrrw t0, mip, t1
    csrrs t0, mip, t1
    csrrc t0, mip, t1
    csrrs a0, mvendorid, zero
    csrrs zero, mvendorid, zero
    csrrw t0, mvendorid, t1
    csrrs t0, mvendorid, t1
    csrrc t0, mvendorid, t1
    csrrs a0, marchid, zero
    csrrs zero, marchid, zero
    csrrw t0, marchid, t1
    csrrs t0, marchid, t1
    csrrc t0, marchid, t1
    csrrs a0, mimpid, zero
    csrrs zero, mimpid, zero
    csrrw t0, mimpid, t1
    csrrs t0, mimpid, t1
    csrrc t0, mimpid, t1
    csrrs a0, mhartid, zero
    csrrs zero, mhartid, zero
    csrrw t0, mhartid, t1
    csrrs t0, mhartid, t1
    csrrc t0, mhartid, t1
    csrrs a0, mcycle, zero
    csrrs zero, mcycle, zero
    csrrw t0, mcycle, t1
    csrrs t0, mcycle, t1
    csrrc t0, mcycle, t1
    csrrs a0, minstret, zero
    csrrs zero, minstret, zero
    csrrw t0, minstret, t1
    csrrs t0, minstret, t1
    csrrc t0, minstret, t1
    csrrs a0, mcycleh, zero
    csrrs zero, mcycleh, zero
    csrrw t0, mcycleh, t1
    csrrs t0, mcycleh, t1
    csrrc t0, mcycleh, t1
    csrrs a0, minstreth, zero
    csrrs zero, minstreth, zero
    csrrw t0, minstreth, t1
    csrrs t0, minstreth, t1
    csrrc t0, minstreth, t1
    csrrs a0, cycle, zero
    csrrs zero, cycle, zero
    csrrw t0, cycle, t1
    csrrs t0, cycle, t1
    csrrc t0, cycle, t1
    csrrs a0, time, zero
    csrrs zero, time, zero
    csrrw t0, time, t1
    csrrs t0, time, t1
    csrrc t0, time, t1
    csrrs a0, instret, zero
    csrrs zero, instret, zero
    csrrw t0, instret, t1
    csrrs t0, instret, t1
    csrrc t0, instret, t1
    csrrs a0, cycleh, zero
    csrrs zero, cycleh, zero
    csrrw t0, cycleh, t1
    csrrs t0, cycleh, t1
    csrrc t0, cycleh, t1
    csrrs a0, timeh, zero
    csrrs zero, timeh, zero
    csrrw t0, timeh, t1
    csrrs t0, timeh, t1
    csrrc t0, timeh, t1
    csrrs a0, instreth, zero
    csrrs zero, instreth, zero
    csrrw t0, instreth, t1
    csrrs t0, instreth, t1
    csrrc t0, instreth, t1
    csrrw zero, mstatus, a1
    csrrs zero, mstatus, a1
    csrrc zero, mstatus, a1
    csrrc a2, mstatus, zero
    csrrc zero, mstatus, zero
    csrrw a2, mstatus, zero
    csrrwi a3, mstatus, 0
    csrrwi zero, mstatus, 0
    csrrwi a3, mstatus, 1
    csrrwi zero, mstatus, 1
    csrrwi a3, mstatus, 31
    csrrwi zero, mstatus, 31
    csrrsi a3, mstatus, 0
    csrrsi zero, mstatus, 0
    csrrsi a3, mstatus, 1
    csrrsi zero, mstatus, 1
    csrrsi a3, mstatus, 31
    csrrsi zero, mstatus, 31
    csrrci a3, mstatus, 0
    csrrci zero, mstatus, 0
    csrrci a3, mstatus, 1
    csrrci zero, mstatus, 1
    csrrci a3, mstatus, 31
    # A extension
    lr.w a0, (a1)
    lr.w.aq t0, (sp)
    lr.w.rl a5, (s0)
    lr.w.aqrl zero, (a0)
    sc.w a0, a2, (a1)
    sc.w.aq t0, t1, (sp)
    sc.w.rl a5, a4, (s0)
    sc.w.aqrl zero, zero, (a0)
    amoswap.w a0, a2, (a1)
    amoswap.w.aq a0, a2, (a1)
    amoswap.w.rl a0, a2, (a1)
    amoswap.w.aqrl a0, a2, (a1)
    amoswap.w zero, t6, (t6)
    amoadd.w a0, a2, (a1)
    amoadd.w.aq a0, a2, (a1)
    amoadd.w.rl a0, a2, (a1)
    amoadd.w.aqrl a0, a2, (a1)
    amoadd.w zero, t6, (t6)
    amoxor.w a0, a2, (a1)
    amoxor.w.aq a0, a2, (a1)
    amoxor.w.rl a0, a2, (a1)
    amoxor.w.aqrl a0, a2, (a1)
    amoxor.w zero, t6, (t6)
    amoand.w a0, a2, (a1)
    amoand.w.aq a0, a2, (a1)
    amoand.w.rl a0, a2, (a1)
    amoand.w.aqrl a0, a2, (a1)
    amoand.w zero, t6, (t6)
    amoor.w a0, a2, (a1)
    amoor.w.aq a0, a2, (a1)
    amoor.w.rl a0, a2, (a1)
    amoor.w.aqrl a0, a2, (a1)
    amoor.w zero, t6, (t6)
    amomin.w a0, a2, (a1)
    amomin.w.aq a0, a2, (a1)
    amomin.w.rl a0, a2, (a1)
    amomin.w.aqrl a0, a2, (a1)
    amomin.w zero, t6, (t6)
    amomax.w a0, a2, (a1)
    amomax.w.aq a0, a2, (a1)
    amomax.w.rl a0, a2, (a1)
    amomax.w.aqrl a0, a2, (a1)
    amomax.w zero, t6, (t6)
    amominu.w a0, a2, (a1)
    amominu.w.aq a0, a2, (a1)
    amominu.w.rl a0, a2, (a1)
    amominu.w.aqrl a0, a2, (a1)
    amominu.w zero, t6, (t6)
    amomaxu.w a0, a2, (a1)
    amomaxu.w.aq a0, a2, (a1)
    amomaxu.w.rl a0, a2, (a1)
    amomaxu.w.aqrl a0, a2, (a1)
    amomaxu.w zero, t6, (t6)
    csrrci zero, mstatus, 31
    csrrw zero, mie, a1
    csrrs zero, mie, a1
    csrrc zero, mie, a1
    csrrc a2, mie, zero
    csrrc zero, mie, zero
    csrrw a2, mie, zero
    csrrwi a3, mie, 0
    csrrwi zero, mie, 0
    csrrwi a3, mie, 1
    csrrwi zero, mie, 1
    csrrwi a3, mie, 31
    csrrwi zero, mie, 31
    csrrsi a3, mie, 0
    csrrsi zero, mie, 0
    csrrsi a3, mie, 1
    csrrsi zero, mie, 1
    csrrsi a3, mie, 31
    csrrsi zero, mie, 31
    csrrci a3, mie, 0
    csrrci zero, mie, 0
    csrrci a3, mie, 1
    csrrci zero, mie, 1
    csrrci a3, mie, 31
    csrrci zero, mie, 31
    csrrw zero, mscratch, a1
    csrrs zero, mscratch, a1
    csrrc zero, mscratch, a1
    csrrc a2, mscratch, zero
    csrrc zero, mscratch, zero
    csrrw a2, mscratch, zero
    csrrwi a3, mscratch, 0
    csrrwi zero, mscratch, 0
    csrrwi a3, mscratch, 1
    csrrwi zero, mscratch, 1
    csrrwi a3, mscratch, 31
    csrrwi zero, mscratch, 31
    csrrsi a3, mscratch, 0
    csrrsi zero, mscratch, 0
    csrrsi a3, mscratch, 1
    csrrsi zero, mscratch, 1
    csrrsi a3, mscratch, 31
    csrrsi zero, mscratch, 31
    csrrci a3, mscratch, 0
    csrrci zero, mscratch, 0
    csrrci a3, mscratch, 1
    csrrci zero, mscratch, 1
    csrrci a3, mscratch, 31
    csrrci zero, mscratch, 31
    csrrw zero, cycle, a1
    csrrs zero, cycle, a1
    csrrc zero, cycle, a1
    csrrc a2, cycle, zero
    csrrc zero, cycle, zero
    csrrw a2, cycle, zero
    csrrwi a3, cycle, 0
    csrrwi zero, cycle, 0
    csrrwi a3, cycle, 1
    csrrwi zero, cycle, 1
    csrrwi a3, cycle, 31
    csrrwi zero, cycle, 31
    csrrsi a3, cycle, 0
    csrrsi zero, cycle, 0
    csrrsi a3, cycle, 1
    csrrsi zero, cycle, 1
    csrrsi a3, cycle, 31
    csrrsi zero, cycle, 31
    csrrci a3, cycle, 0
    csrrci zero, cycle, 0
    csrrci a3, cycle, 1
    csrrci zero, cycle, 1
    csrrci a3, cycle, 31
    csrrci zero, cycle, 31
    csrrw zero, 0x7c0, a1
    csrrs zero, 0x7c0, a1
    csrrc zero, 0x7c0, a1
    csrrc a2, 0x7c0, zero
    csrrc zero, 0x7c0, zero
    csrrw a2, 0x7c0, zero
    csrrwi a3, 0x7c0, 0
    csrrwi zero, 0x7c0, 0
    csrrwi a3, 0x7c0, 1
    csrrwi zero, 0x7c0, 1
    csrrwi a3, 0x7c0, 31
    csrrwi zero, 0x7c0, 31
    csrrsi a3, 0x7c0, 0
    csrrsi zero, 0x7c0, 0
    csrrsi a3, 0x7c0, 1
    csrrsi zero, 0x7c0, 1
    csrrsi a3, 0x7c0, 31
    csrrsi zero, 0x7c0, 31
    csrrci a3, 0x7c0, 0
    csrrci zero, 0x7c0, 0
    csrrci a3, 0x7c0, 1
    csrrci zero, 0x7c0, 1
    csrrci a3, 0x7c0, 31
    csrrci zero, 0x7c0, 31
    csrrw zero, 0xfff, a1
    csrrs zero, 0xfff, a1
    csrrc zero, 0xfff, a1
    csrrc a2, 0xfff, zero
    csrrc zero, 0xfff, zero
    csrrw a2, 0xfff, zero
    csrrwi a3, 0xfff, 0
    csrrwi zero, 0xfff, 0
    csrrwi a3, 0xfff, 1
    csrrwi zero, 0xfff, 1
    csrrwi a3, 0xfff, 31
    csrrwi zero, 0xfff, 31
    csrrsi a3, 0xfff, 0
    csrrsi zero, 0xfff, 0
    csrrsi a3, 0xfff, 1
    csrrsi zero, 0xfff, 1
    csrrsi a3, 0xfff, 31
    csrrsi zero, 0xfff, 31
    csrrci a3, 0xfff, 0
    csrrci zero, 0xfff, 0
    csrrci a3, 0xfff, 1
    csrrci zero, 0xfff, 1
    csrrci a3, 0xfff, 31
    csrrci zero, 0xfff, 31
    csrrw zero, 0x000, a1
    csrrs zero, 0x000, a1
    csrrc zero, 0x000, a1
    csrrc a2, 0x000, zero
    csrrc zero, 0x000, zero
    csrrw a2, 0x000, zero
    csrrwi a3, 0x000, 0
    csrrwi zero, 0x000, 0
    csrrwi a3, 0x000, 1
    csrrwi zero, 0x000, 1
    csrrwi a3, 0x000, 31
    csrrwi zero, 0x000, 31
    csrrsi a3, 0x000, 0
    csrrsi zero, 0x000, 0
    csrrsi a3, 0x000, 1
    csrrsi zero, 0x000, 1
    csrrsi a3, 0x000, 31
    csrrsi zero, 0x000, 31
    csrrci a3, 0x000, 0
    csrrci zero, 0x000, 0
    csrrci a3, 0x000, 1
    csrrci zero, 0x000, 1
    csrrci a3, 0x000, 31
    csrrci zero, 0x000, 31
    csrr a0, 0x7c0
    csrw mtvec, t0
    csrs mie, t1
    csrc mip, t2
    csrwi mstatus, 8
    csrsi mstatus, 8
    csrci mstatus, 8
    rdcycle a0
    rdcycleh a1
    rdtime a2
    rdtimeh a3
    rdinstret a4
    rdinstreth a5
    unimp
    # fences and system
    fence iorw, iorw
    fence rw, rw
    fence r, w
    fence w, r
    fence i, o
    fence o, i
    fence iorw, w
    fence r, iorw
    fence ir, ow
    fence
    fence.tso
    fence.i
    ecall
    ebreak
    mret
    wfi
    .globl data_words
data_words:
    # encodings objdump prints as aliases or special forms
    .word 0x00000013    # nop
    .word 0xfff00513    # li a0,-1
    .word 0x00050593    # mv a1,a0
    .word 0x00008067    # ret
    .word 0xc0001073    # unimp
    .word 0xc0002573    # rdcycle a0
    .word 0x8330000f    # fence.tso
    .word 0x0100000f    # pause (fence w,0)
    .word 0x0000000f    # fence 0,0
    .word 0x02001013    # slli with shamt[5] (RV64)
    .word 0x42005013    # srai with shamt[5] (RV64)
    .word 0x10200073    # sret
    .word 0x12a58073    # sfence.vma a1,a0
    # illegal encodings: reserved funct3/funct7, other extensions,
    # non-canonical system/fence fields, compressed and long encodings
    .word 0x00002063    # branch funct3 2
    .word 0x00003003    # ld
    .word 0x00006003    # lwu
    .word 0x00003023    # sd
    .word 0x80001033    # bad funct7
    .word 0x0a000033    # bad funct7 (Zbb-ish)
    .word 0x40001013    # slli with funct7 0x20
    .word 0x00004073    # SYSTEM funct3 4
    .word 0x00000173    # ecall with rd
    .word 0x30208073    # mret with rs1
    .word 0x0000200f    # MISC-MEM funct3 2
    .word 0x0ff0028f    # fence with rd
    .word 0x0ff2800f    # fence with rs1
    .word 0x8ff0000f    # fence fm=8 not tso
    .word 0x1233128f    # fence.i with fields
    .word 0x00001067    # jalr funct3 1
    .word 0x0000000b    # custom-0
    .word 0x02a5053b    # mulw
    .word 0x00002007    # flw
    .word 0x1000302f    # lr.d (RV64 only)
    .word 0x1010202f    # lr.w with rs2 != 0
    .word 0x0000102f    # amoadd.h (no such width)
    .word 0x00000053    # fadd.s
    .word 0xffffffff    # all ones (long encoding)
    .word 0x00000001    # compressed space
    .word 0x12345678    # compressed space
    .word 0, 0, 0    # a zero run objdump elides
    .type local_fn, @function
local_fn:
    beqz a0, data_words
    bnez a0, far_end
    nop
    .globl far_end
far_end:
    j _start
    ret
