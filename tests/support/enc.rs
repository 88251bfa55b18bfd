//! A small RV32IM + Zicsr + Zifencei instruction encoder for the tests,
//! written from the base ISA's encoding tables (not from the decoder under
//! test). Registers are plain numbers 0..=31; immediates are the values an
//! assembler takes (byte offsets for branches and jumps, the 20-bit field
//! for `lui`/`auipc`, the CSR number for CSR instructions).

pub type Reg = u8;

const OP_LUI: u32 = 0b011_0111;
const OP_AUIPC: u32 = 0b001_0111;
const OP_JAL: u32 = 0b110_1111;
const OP_JALR: u32 = 0b110_0111;
const OP_BRANCH: u32 = 0b110_0011;
const OP_LOAD: u32 = 0b000_0011;
const OP_STORE: u32 = 0b010_0011;
const OP_IMM: u32 = 0b001_0011;
const OP_REG: u32 = 0b011_0011;
const OP_MISC_MEM: u32 = 0b000_1111;
const OP_SYSTEM: u32 = 0b111_0011;

fn reg(r: Reg) -> u32 {
    assert!(r < 32, "register x{r} does not exist");
    r as u32
}

/// R-type: funct7 | rs2 | rs1 | funct3 | rd | opcode.
pub fn r_type(funct7: u32, rs2: Reg, rs1: Reg, funct3: u32, rd: Reg, opcode: u32) -> u32 {
    (funct7 << 25) | (reg(rs2) << 20) | (reg(rs1) << 15) | (funct3 << 12) | (reg(rd) << 7) | opcode
}

/// I-type: imm[11:0] | rs1 | funct3 | rd | opcode.
pub fn i_type(imm: i32, rs1: Reg, funct3: u32, rd: Reg, opcode: u32) -> u32 {
    assert!(
        (-2048..=2047).contains(&imm),
        "I-immediate {imm} out of range"
    );
    ((imm as u32 & 0xfff) << 20) | (reg(rs1) << 15) | (funct3 << 12) | (reg(rd) << 7) | opcode
}

/// S-type: imm[11:5] | rs2 | rs1 | funct3 | imm[4:0] | opcode.
pub fn s_type(imm: i32, rs2: Reg, rs1: Reg, funct3: u32, opcode: u32) -> u32 {
    assert!(
        (-2048..=2047).contains(&imm),
        "S-immediate {imm} out of range"
    );
    let imm = imm as u32;
    (((imm >> 5) & 0x7f) << 25)
        | (reg(rs2) << 20)
        | (reg(rs1) << 15)
        | (funct3 << 12)
        | ((imm & 0x1f) << 7)
        | opcode
}

/// B-type: imm[12|10:5] | rs2 | rs1 | funct3 | imm[4:1|11] | opcode.
pub fn b_type(offset: i32, rs2: Reg, rs1: Reg, funct3: u32) -> u32 {
    assert!(
        (-4096..=4094).contains(&offset) && offset % 2 == 0,
        "branch offset {offset} not encodable"
    );
    let imm = offset as u32;
    (((imm >> 12) & 1) << 31)
        | (((imm >> 5) & 0x3f) << 25)
        | (reg(rs2) << 20)
        | (reg(rs1) << 15)
        | (funct3 << 12)
        | (((imm >> 1) & 0xf) << 8)
        | (((imm >> 11) & 1) << 7)
        | OP_BRANCH
}

/// J-type: imm[20|10:1|11|19:12] | rd | opcode.
pub fn j_type(offset: i32, rd: Reg) -> u32 {
    assert!(
        (-(1 << 20)..(1 << 20)).contains(&offset) && offset % 2 == 0,
        "jump offset {offset} not encodable"
    );
    let imm = offset as u32;
    (((imm >> 20) & 1) << 31)
        | (((imm >> 1) & 0x3ff) << 21)
        | (((imm >> 11) & 1) << 20)
        | (((imm >> 12) & 0xff) << 12)
        | (reg(rd) << 7)
        | OP_JAL
}

/// U-type: imm[31:12] | rd | opcode; `imm20` is the 20-bit field.
pub fn u_type(imm20: u32, rd: Reg, opcode: u32) -> u32 {
    assert!(imm20 < (1 << 20), "U-immediate {imm20:#x} out of range");
    (imm20 << 12) | (reg(rd) << 7) | opcode
}

// ---- RV32I: upper immediates and jumps -----------------------------------

pub fn lui(rd: Reg, imm20: u32) -> u32 {
    u_type(imm20, rd, OP_LUI)
}
pub fn auipc(rd: Reg, imm20: u32) -> u32 {
    u_type(imm20, rd, OP_AUIPC)
}
pub fn jal(rd: Reg, offset: i32) -> u32 {
    j_type(offset, rd)
}
pub fn jalr(rd: Reg, rs1: Reg, imm: i32) -> u32 {
    i_type(imm, rs1, 0, rd, OP_JALR)
}

// ---- branches --------------------------------------------------------------

pub fn beq(rs1: Reg, rs2: Reg, offset: i32) -> u32 {
    b_type(offset, rs2, rs1, 0)
}
pub fn bne(rs1: Reg, rs2: Reg, offset: i32) -> u32 {
    b_type(offset, rs2, rs1, 1)
}
pub fn blt(rs1: Reg, rs2: Reg, offset: i32) -> u32 {
    b_type(offset, rs2, rs1, 4)
}
pub fn bge(rs1: Reg, rs2: Reg, offset: i32) -> u32 {
    b_type(offset, rs2, rs1, 5)
}
pub fn bltu(rs1: Reg, rs2: Reg, offset: i32) -> u32 {
    b_type(offset, rs2, rs1, 6)
}
pub fn bgeu(rs1: Reg, rs2: Reg, offset: i32) -> u32 {
    b_type(offset, rs2, rs1, 7)
}

// ---- loads and stores --------------------------------------------------------

pub fn lb(rd: Reg, rs1: Reg, imm: i32) -> u32 {
    i_type(imm, rs1, 0, rd, OP_LOAD)
}
pub fn lh(rd: Reg, rs1: Reg, imm: i32) -> u32 {
    i_type(imm, rs1, 1, rd, OP_LOAD)
}
pub fn lw(rd: Reg, rs1: Reg, imm: i32) -> u32 {
    i_type(imm, rs1, 2, rd, OP_LOAD)
}
pub fn lbu(rd: Reg, rs1: Reg, imm: i32) -> u32 {
    i_type(imm, rs1, 4, rd, OP_LOAD)
}
pub fn lhu(rd: Reg, rs1: Reg, imm: i32) -> u32 {
    i_type(imm, rs1, 5, rd, OP_LOAD)
}
/// `sb rs2, imm(rs1)`.
pub fn sb(rs2: Reg, rs1: Reg, imm: i32) -> u32 {
    s_type(imm, rs2, rs1, 0, OP_STORE)
}
/// `sh rs2, imm(rs1)`.
pub fn sh(rs2: Reg, rs1: Reg, imm: i32) -> u32 {
    s_type(imm, rs2, rs1, 1, OP_STORE)
}
/// `sw rs2, imm(rs1)`.
pub fn sw(rs2: Reg, rs1: Reg, imm: i32) -> u32 {
    s_type(imm, rs2, rs1, 2, OP_STORE)
}

// ---- register-immediate ALU --------------------------------------------------

pub fn addi(rd: Reg, rs1: Reg, imm: i32) -> u32 {
    i_type(imm, rs1, 0, rd, OP_IMM)
}
pub fn slti(rd: Reg, rs1: Reg, imm: i32) -> u32 {
    i_type(imm, rs1, 2, rd, OP_IMM)
}
pub fn sltiu(rd: Reg, rs1: Reg, imm: i32) -> u32 {
    i_type(imm, rs1, 3, rd, OP_IMM)
}
pub fn xori(rd: Reg, rs1: Reg, imm: i32) -> u32 {
    i_type(imm, rs1, 4, rd, OP_IMM)
}
pub fn ori(rd: Reg, rs1: Reg, imm: i32) -> u32 {
    i_type(imm, rs1, 6, rd, OP_IMM)
}
pub fn andi(rd: Reg, rs1: Reg, imm: i32) -> u32 {
    i_type(imm, rs1, 7, rd, OP_IMM)
}
fn shift_imm(funct7: u32, shamt: u32, rs1: Reg, funct3: u32, rd: Reg) -> u32 {
    assert!(shamt < 32, "shift amount {shamt} out of range for RV32");
    (funct7 << 25) | (shamt << 20) | (reg(rs1) << 15) | (funct3 << 12) | (reg(rd) << 7) | OP_IMM
}
pub fn slli(rd: Reg, rs1: Reg, shamt: u32) -> u32 {
    shift_imm(0, shamt, rs1, 1, rd)
}
pub fn srli(rd: Reg, rs1: Reg, shamt: u32) -> u32 {
    shift_imm(0, shamt, rs1, 5, rd)
}
pub fn srai(rd: Reg, rs1: Reg, shamt: u32) -> u32 {
    shift_imm(0b010_0000, shamt, rs1, 5, rd)
}

// ---- register-register ALU -----------------------------------------------------

pub fn add(rd: Reg, rs1: Reg, rs2: Reg) -> u32 {
    r_type(0, rs2, rs1, 0, rd, OP_REG)
}
pub fn sub(rd: Reg, rs1: Reg, rs2: Reg) -> u32 {
    r_type(0b010_0000, rs2, rs1, 0, rd, OP_REG)
}
pub fn sll(rd: Reg, rs1: Reg, rs2: Reg) -> u32 {
    r_type(0, rs2, rs1, 1, rd, OP_REG)
}
pub fn slt(rd: Reg, rs1: Reg, rs2: Reg) -> u32 {
    r_type(0, rs2, rs1, 2, rd, OP_REG)
}
pub fn sltu(rd: Reg, rs1: Reg, rs2: Reg) -> u32 {
    r_type(0, rs2, rs1, 3, rd, OP_REG)
}
pub fn xor(rd: Reg, rs1: Reg, rs2: Reg) -> u32 {
    r_type(0, rs2, rs1, 4, rd, OP_REG)
}
pub fn srl(rd: Reg, rs1: Reg, rs2: Reg) -> u32 {
    r_type(0, rs2, rs1, 5, rd, OP_REG)
}
pub fn sra(rd: Reg, rs1: Reg, rs2: Reg) -> u32 {
    r_type(0b010_0000, rs2, rs1, 5, rd, OP_REG)
}
pub fn or(rd: Reg, rs1: Reg, rs2: Reg) -> u32 {
    r_type(0, rs2, rs1, 6, rd, OP_REG)
}
pub fn and(rd: Reg, rs1: Reg, rs2: Reg) -> u32 {
    r_type(0, rs2, rs1, 7, rd, OP_REG)
}

// ---- M extension -------------------------------------------------------------------

pub fn mul(rd: Reg, rs1: Reg, rs2: Reg) -> u32 {
    r_type(1, rs2, rs1, 0, rd, OP_REG)
}
pub fn mulh(rd: Reg, rs1: Reg, rs2: Reg) -> u32 {
    r_type(1, rs2, rs1, 1, rd, OP_REG)
}
pub fn mulhsu(rd: Reg, rs1: Reg, rs2: Reg) -> u32 {
    r_type(1, rs2, rs1, 2, rd, OP_REG)
}
pub fn mulhu(rd: Reg, rs1: Reg, rs2: Reg) -> u32 {
    r_type(1, rs2, rs1, 3, rd, OP_REG)
}
pub fn div(rd: Reg, rs1: Reg, rs2: Reg) -> u32 {
    r_type(1, rs2, rs1, 4, rd, OP_REG)
}
pub fn divu(rd: Reg, rs1: Reg, rs2: Reg) -> u32 {
    r_type(1, rs2, rs1, 5, rd, OP_REG)
}
pub fn rem(rd: Reg, rs1: Reg, rs2: Reg) -> u32 {
    r_type(1, rs2, rs1, 6, rd, OP_REG)
}
pub fn remu(rd: Reg, rs1: Reg, rs2: Reg) -> u32 {
    r_type(1, rs2, rs1, 7, rd, OP_REG)
}

// ---- fences and system -------------------------------------------------------------

/// `fence pred, succ` with 4-bit I/O/R/W sets (`fence` alone is 0xf, 0xf).
pub fn fence(pred: u32, succ: u32) -> u32 {
    assert!(pred < 16 && succ < 16);
    (pred << 24) | (succ << 20) | OP_MISC_MEM
}
pub fn fence_i() -> u32 {
    (1 << 12) | OP_MISC_MEM
}
pub fn ecall() -> u32 {
    OP_SYSTEM
}
pub fn ebreak() -> u32 {
    (1 << 20) | OP_SYSTEM
}
pub fn mret() -> u32 {
    (0x302 << 20) | OP_SYSTEM
}
pub fn wfi() -> u32 {
    (0x105 << 20) | OP_SYSTEM
}

// ---- Zicsr ----------------------------------------------------------------------------

fn csr_type(csr: u16, src: u32, funct3: u32, rd: Reg) -> u32 {
    assert!(csr < 0x1000 && src < 32);
    ((csr as u32) << 20) | (src << 15) | (funct3 << 12) | (reg(rd) << 7) | OP_SYSTEM
}
pub fn csrrw(rd: Reg, csr: u16, rs1: Reg) -> u32 {
    csr_type(csr, reg(rs1), 1, rd)
}
pub fn csrrs(rd: Reg, csr: u16, rs1: Reg) -> u32 {
    csr_type(csr, reg(rs1), 2, rd)
}
pub fn csrrc(rd: Reg, csr: u16, rs1: Reg) -> u32 {
    csr_type(csr, reg(rs1), 3, rd)
}
pub fn csrrwi(rd: Reg, csr: u16, uimm: u32) -> u32 {
    csr_type(csr, uimm, 5, rd)
}
pub fn csrrsi(rd: Reg, csr: u16, uimm: u32) -> u32 {
    csr_type(csr, uimm, 6, rd)
}
pub fn csrrci(rd: Reg, csr: u16, uimm: u32) -> u32 {
    csr_type(csr, uimm, 7, rd)
}

// ---- pseudo-instructions ----------------------------------------------------------------

pub fn nop() -> u32 {
    addi(0, 0, 0)
}
pub fn mv(rd: Reg, rs: Reg) -> u32 {
    addi(rd, rs, 0)
}
/// `j offset` (jal x0).
pub fn j(offset: i32) -> u32 {
    jal(0, offset)
}
/// `ret` (jalr x0, 0(ra)).
pub fn ret() -> u32 {
    jalr(0, 1, 0)
}
/// `csrr rd, csr` (csrrs rd, csr, x0).
pub fn csrr(rd: Reg, csr: u16) -> u32 {
    csrrs(rd, csr, 0)
}
/// `csrw csr, rs` (csrrw x0, csr, rs).
pub fn csrw(csr: u16, rs: Reg) -> u32 {
    csrrw(0, csr, rs)
}
/// `li rd, value`: one `addi` when the value fits 12 signed bits, otherwise
/// `lui` + `addi` (always two words then, even if the low part is 0).
pub fn li(rd: Reg, value: u32) -> Vec<u32> {
    let v = value as i32;
    if (-2048..=2047).contains(&v) {
        return vec![addi(rd, 0, v)];
    }
    let hi = value.wrapping_add(0x800) >> 12;
    let lo = ((value & 0xfff) as i32) << 20 >> 20;
    vec![lui(rd, hi), addi(rd, rd, lo)]
}

// ---- RV32C -------------------------------------------------------------------
//
// 16-bit encodings from the C extension's format tables (CR, CI, CSS, CIW,
// CL, CS, CA, CB, CJ). Each returns the parcel in the low 16 bits; `cpair`
// packs two parcels into the little-endian word the word-based helpers
// load, and `parcels` packs a stream of parcels (a 32-bit instruction is
// two parcels, low half first) into words.

/// A compressed register field: x8..x15 as 0..7.
fn creg(r: Reg) -> u32 {
    assert!((8..16).contains(&r), "x{r} is not a compressed register");
    (r - 8) as u32
}

fn fits_signed(v: i32, bits: u32) -> bool {
    let lim = 1 << (bits - 1);
    (-lim..lim).contains(&v)
}

/// CI: funct3 | imm[5] | rd/rs1 | imm[4:0] | op.
fn ci(funct3: u32, rd: Reg, imm6: u32, op: u32) -> u32 {
    (funct3 << 13) | (((imm6 >> 5) & 1) << 12) | (reg(rd) << 7) | ((imm6 & 31) << 2) | op
}

pub fn c_addi(rd: Reg, imm: i32) -> u32 {
    assert!(fits_signed(imm, 6));
    ci(0, rd, imm as u32 & 63, 1)
}
pub fn c_nop() -> u32 {
    c_addi(0, 0)
}
pub fn c_li(rd: Reg, imm: i32) -> u32 {
    assert!(fits_signed(imm, 6));
    ci(2, rd, imm as u32 & 63, 1)
}
/// `c.lui rd, imm6` with the 6-bit signed field (`lui rd, imm6 << 12`).
pub fn c_lui(rd: Reg, imm6: i32) -> u32 {
    assert!(imm6 != 0 && fits_signed(imm6, 6) && rd != 0 && rd != 2);
    ci(3, rd, imm6 as u32 & 63, 1)
}
pub fn c_addi16sp(imm: i32) -> u32 {
    assert!(imm != 0 && imm % 16 == 0 && fits_signed(imm, 10));
    let i = imm as u32;
    (3 << 13)
        | (((i >> 9) & 1) << 12)
        | (2 << 7)
        | (((i >> 4) & 1) << 6)
        | (((i >> 6) & 1) << 5)
        | (((i >> 7) & 3) << 3)
        | (((i >> 5) & 1) << 2)
        | 1
}
pub fn c_addi4spn(rd: Reg, uimm: u32) -> u32 {
    assert!(uimm != 0 && uimm.is_multiple_of(4) && uimm < 1024);
    (((uimm >> 4) & 3) << 11)
        | (((uimm >> 6) & 15) << 7)
        | (((uimm >> 2) & 1) << 6)
        | (((uimm >> 3) & 1) << 5)
        | (creg(rd) << 2)
}
pub fn c_slli(rd: Reg, shamt: u32) -> u32 {
    assert!(shamt < 32);
    ci(0, rd, shamt, 2)
}
/// CB-format ALU ops: funct3 100 | imm[5] | funct2 | rd' | imm[4:0] | 01.
fn cb_alu(funct2: u32, rd: Reg, imm6: u32) -> u32 {
    (4 << 13)
        | (((imm6 >> 5) & 1) << 12)
        | (funct2 << 10)
        | (creg(rd) << 7)
        | ((imm6 & 31) << 2)
        | 1
}
pub fn c_srli(rd: Reg, shamt: u32) -> u32 {
    assert!(shamt < 32);
    cb_alu(0, rd, shamt)
}
pub fn c_srai(rd: Reg, shamt: u32) -> u32 {
    assert!(shamt < 32);
    cb_alu(1, rd, shamt)
}
pub fn c_andi(rd: Reg, imm: i32) -> u32 {
    assert!(fits_signed(imm, 6));
    cb_alu(2, rd, imm as u32 & 63)
}
/// CA: 100 | 0 | 11 | rd' | funct2 | rs2' | 01.
fn ca(funct2: u32, rd: Reg, rs2: Reg) -> u32 {
    (4 << 13) | (3 << 10) | (creg(rd) << 7) | (funct2 << 5) | (creg(rs2) << 2) | 1
}
pub fn c_sub(rd: Reg, rs2: Reg) -> u32 {
    ca(0, rd, rs2)
}
pub fn c_xor(rd: Reg, rs2: Reg) -> u32 {
    ca(1, rd, rs2)
}
pub fn c_or(rd: Reg, rs2: Reg) -> u32 {
    ca(2, rd, rs2)
}
pub fn c_and(rd: Reg, rs2: Reg) -> u32 {
    ca(3, rd, rs2)
}
/// CJ: funct3 | offset[11|4|9:8|10|6|7|3:1|5] | op.
fn cj(funct3: u32, offset: i32) -> u32 {
    assert!(
        offset % 2 == 0 && fits_signed(offset, 12),
        "c.j offset {offset}"
    );
    let i = offset as u32;
    (funct3 << 13)
        | (((i >> 11) & 1) << 12)
        | (((i >> 4) & 1) << 11)
        | (((i >> 8) & 3) << 9)
        | (((i >> 10) & 1) << 8)
        | (((i >> 6) & 1) << 7)
        | (((i >> 7) & 1) << 6)
        | (((i >> 1) & 7) << 3)
        | (((i >> 5) & 1) << 2)
        | 1
}
pub fn c_j(offset: i32) -> u32 {
    cj(5, offset)
}
pub fn c_jal(offset: i32) -> u32 {
    cj(1, offset)
}
/// CB branch: funct3 | offset[8|4:3] | rs1' | offset[7:6|2:1|5] | 01.
fn cb_branch(funct3: u32, rs1: Reg, offset: i32) -> u32 {
    assert!(
        offset % 2 == 0 && fits_signed(offset, 9),
        "c.b offset {offset}"
    );
    let i = offset as u32;
    (funct3 << 13)
        | (((i >> 8) & 1) << 12)
        | (((i >> 3) & 3) << 10)
        | (creg(rs1) << 7)
        | (((i >> 6) & 3) << 5)
        | (((i >> 1) & 3) << 3)
        | (((i >> 5) & 1) << 2)
        | 1
}
pub fn c_beqz(rs1: Reg, offset: i32) -> u32 {
    cb_branch(6, rs1, offset)
}
pub fn c_bnez(rs1: Reg, offset: i32) -> u32 {
    cb_branch(7, rs1, offset)
}
/// CL/CS word: funct3 | uimm[5:3] | rs1' | uimm[2|6] | rd'/rs2' | 00.
fn cls(funct3: u32, r: Reg, rs1: Reg, uimm: u32) -> u32 {
    assert!(
        uimm.is_multiple_of(4) && uimm < 128,
        "c.lw/c.sw offset {uimm}"
    );
    (funct3 << 13)
        | (((uimm >> 3) & 7) << 10)
        | (creg(rs1) << 7)
        | (((uimm >> 2) & 1) << 6)
        | (((uimm >> 6) & 1) << 5)
        | (creg(r) << 2)
}
pub fn c_lw(rd: Reg, rs1: Reg, uimm: u32) -> u32 {
    cls(2, rd, rs1, uimm)
}
pub fn c_sw(rs2: Reg, rs1: Reg, uimm: u32) -> u32 {
    cls(6, rs2, rs1, uimm)
}
pub fn c_lwsp(rd: Reg, uimm: u32) -> u32 {
    assert!(rd != 0 && uimm.is_multiple_of(4) && uimm < 256);
    (2 << 13)
        | (((uimm >> 5) & 1) << 12)
        | (reg(rd) << 7)
        | (((uimm >> 2) & 7) << 4)
        | (((uimm >> 6) & 3) << 2)
        | 2
}
pub fn c_swsp(rs2: Reg, uimm: u32) -> u32 {
    assert!(uimm.is_multiple_of(4) && uimm < 256);
    (6 << 13) | (((uimm >> 2) & 15) << 9) | (((uimm >> 6) & 3) << 7) | (reg(rs2) << 2) | 2
}
/// CR: funct4 | rd/rs1 | rs2 | 10.
fn cr(funct4: u32, rd: Reg, rs2: Reg) -> u32 {
    (funct4 << 12) | (reg(rd) << 7) | (reg(rs2) << 2) | 2
}
pub fn c_jr(rs1: Reg) -> u32 {
    assert!(rs1 != 0);
    cr(8, rs1, 0)
}
pub fn c_mv(rd: Reg, rs2: Reg) -> u32 {
    assert!(rs2 != 0);
    cr(8, rd, rs2)
}
pub fn c_ebreak() -> u32 {
    cr(9, 0, 0)
}
pub fn c_jalr(rs1: Reg) -> u32 {
    assert!(rs1 != 0);
    cr(9, rs1, 0)
}
pub fn c_add(rd: Reg, rs2: Reg) -> u32 {
    assert!(rs2 != 0);
    cr(9, rd, rs2)
}

/// Two parcels as one little-endian word: `lo` at the lower address.
pub fn cpair(lo: u32, hi: u32) -> u32 {
    assert!(lo < 0x10000 && hi < 0x10000 && lo & 3 != 3 && hi & 3 != 3);
    lo | hi << 16
}

/// A mixed stream of instructions (16-bit parcels and 32-bit words, in
/// program order) packed into little-endian words, padded with `c.nop`.
pub fn parcels(insts: &[u32]) -> Vec<u32> {
    let mut halves: Vec<u16> = Vec::new();
    for &i in insts {
        if i & 3 == 3 {
            halves.push(i as u16);
            halves.push((i >> 16) as u16);
        } else {
            assert!(i < 0x10000, "{i:#x}: not a parcel");
            halves.push(i as u16);
        }
    }
    if halves.len() % 2 == 1 {
        halves.push(c_nop() as u16);
    }
    halves
        .chunks(2)
        .map(|h| h[0] as u32 | (h[1] as u32) << 16)
        .collect()
}
