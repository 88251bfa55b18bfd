//! Instruction semantics as pure functions of operand values. The functional
//! core and every pipelined core call these, so an instruction means the same
//! thing everywhere; only *when* it is evaluated differs.

use super::inst::{Inst, Op};

/// Value written to `rd` by every instruction that writes a register from
/// the ALU (including `lui`, `auipc` and the link value of jumps).
/// `a` and `b` are the values of rs1 and rs2.
#[inline(always)]
pub fn alu(inst: &Inst, pc: u32, a: u32, b: u32) -> u32 {
    use Op::*;
    let imm = inst.imm as u32;
    match inst.op {
        Lui => imm,
        Auipc => pc.wrapping_add(imm),
        Jal | Jalr => inst.next_pc(pc),
        Addi => a.wrapping_add(imm),
        Slti => ((a as i32) < (imm as i32)) as u32,
        Sltiu => (a < imm) as u32,
        Xori => a ^ imm,
        Ori => a | imm,
        Andi => a & imm,
        Slli => a << (imm & 31),
        Srli => a >> (imm & 31),
        Srai => ((a as i32) >> (imm & 31)) as u32,
        Add => a.wrapping_add(b),
        Sub => a.wrapping_sub(b),
        Sll => a << (b & 31),
        Slt => ((a as i32) < (b as i32)) as u32,
        Sltu => (a < b) as u32,
        Xor => a ^ b,
        Srl => a >> (b & 31),
        Sra => ((a as i32) >> (b & 31)) as u32,
        Or => a | b,
        And => a & b,
        Mul => a.wrapping_mul(b),
        Mulh => ((a as i32 as i64 * b as i32 as i64) >> 32) as u32,
        Mulhsu => ((a as i32 as i64 * b as u64 as i64) >> 32) as u32,
        Mulhu => ((a as u64 * b as u64) >> 32) as u32,
        Div => {
            if b == 0 {
                u32::MAX
            } else {
                (a as i32).wrapping_div(b as i32) as u32
            }
        }
        Divu => a.checked_div(b).unwrap_or(u32::MAX),
        Rem => {
            if b == 0 {
                a
            } else {
                (a as i32).wrapping_rem(b as i32) as u32
            }
        }
        Remu => a.checked_rem(b).unwrap_or(a),
        _ => 0,
    }
}

/// Where a control-transfer instruction goes, or `None` if it falls through.
/// The target is not checked for alignment here; the caller traps on it.
#[inline(always)]
pub fn branch_target(inst: &Inst, pc: u32, a: u32, b: u32) -> Option<u32> {
    use Op::*;
    let taken = match inst.op {
        Jal => return Some(pc.wrapping_add(inst.imm as u32)),
        Jalr => return Some(a.wrapping_add(inst.imm as u32) & !1),
        Beq => a == b,
        Bne => a != b,
        Blt => (a as i32) < (b as i32),
        Bge => (a as i32) >= (b as i32),
        Bltu => a < b,
        Bgeu => a >= b,
        _ => return None,
    };
    taken.then(|| pc.wrapping_add(inst.imm as u32))
}

/// Effective address of a load or store.
#[inline(always)]
pub fn mem_addr(inst: &Inst, a: u32) -> u32 {
    a.wrapping_add(inst.imm as u32)
}

/// Access width in bytes of a load or store.
#[inline(always)]
pub fn mem_width(op: Op) -> u32 {
    match op {
        Op::Lb | Op::Lbu | Op::Sb => 1,
        Op::Lh | Op::Lhu | Op::Sh => 2,
        _ => 4,
    }
}

/// Sign- or zero-extends the raw bytes a load read (little-endian, in the
/// low bits of `raw`).
#[inline(always)]
pub fn load_extend(op: Op, raw: u32) -> u32 {
    match op {
        Op::Lb => raw as u8 as i8 as i32 as u32,
        Op::Lh => raw as u16 as i16 as i32 as u32,
        Op::Lbu => raw as u8 as u32,
        Op::Lhu => raw as u16 as u32,
        _ => raw,
    }
}

/// What a CSR instruction does, decided before the CSR is touched: whether
/// it reads (csrrw with rd = x0 does not) and whether it writes (set/clear
/// with a zero source register or immediate does not), which is what decides
/// side effects and read-only traps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsrAccess {
    pub csr: u16,
    pub reads: bool,
    pub writes: bool,
}

/// Classifies a CSR instruction. `rs1_is_zero` means the rs1 field is 0
/// (x0 or the immediate 0), not that the register's value is 0.
pub fn csr_access(inst: &Inst) -> CsrAccess {
    let csr = (inst.imm as u32 & 0xfff) as u16;
    match inst.op {
        Op::Csrrw | Op::Csrrwi => CsrAccess {
            csr,
            reads: inst.rd != 0,
            writes: true,
        },
        _ => CsrAccess {
            csr,
            reads: true,
            writes: inst.rs1 != 0,
        },
    }
}

/// The new CSR value: `old` combined with the source (rs1's value, or the
/// 5-bit immediate for the `*i` forms).
#[inline]
pub fn csr_new_value(inst: &Inst, old: u32, rs1_value: u32) -> u32 {
    let src = match inst.op {
        Op::Csrrwi | Op::Csrrsi | Op::Csrrci => inst.rs1 as u32,
        _ => rs1_value,
    };
    match inst.op {
        Op::Csrrw | Op::Csrrwi => src,
        Op::Csrrs | Op::Csrrsi => old | src,
        _ => old & !src,
    }
}

/// The value an AMO writes back to memory, from the value it read (`old`)
/// and rs2's value (`src`). `lr.w` and `sc.w` are not AMOs here (`None`).
#[inline]
pub fn amo_value(op: Op, old: u32, src: u32) -> Option<u32> {
    use Op::*;
    Some(match op {
        AmoswapW => src,
        AmoaddW => old.wrapping_add(src),
        AmoxorW => old ^ src,
        AmoandW => old & src,
        AmoorW => old | src,
        AmominW => (old as i32).min(src as i32) as u32,
        AmomaxW => (old as i32).max(src as i32) as u32,
        AmominuW => old.min(src),
        AmomaxuW => old.max(src),
        _ => return None,
    })
}
