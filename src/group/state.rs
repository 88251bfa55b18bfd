//! Two machines' architectural state compared where they stand: the pc,
//! then the integer registers. Compare mode shows it whenever its
//! machines have retired the same number of instructions, so a
//! configuration that computes differently (no hazard unit: stale
//! operands) is visible however the machines got there, also after a run
//! at full speed, where retirements are not watched one by one. (`Group`
//! reports the first differing retirement, memory writes included, when
//! it watches them.)
//!
//! Memory is left out on purpose: at a retirement boundary it is not
//! comparable between cores. A pipeline's store writes in MEM, a cycle
//! before it retires, so the five-stage core's RAM holds a store the
//! functional core has not made at the same count; and a write-back
//! cache keeps a dirty line's data out of RAM altogether.

use crate::isa::reg::abi_name;
use crate::machine::Machine;
use std::fmt;

/// The first difference found, in the order pc, x1..x31. Each holds this
/// machine's value, then the reference machine's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateDifference {
    Pc { this: u32, first: u32 },
    Register { reg: u8, this: u32, first: u32 },
}

impl fmt::Display for StateDifference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            StateDifference::Pc { this, first } => {
                write!(f, "pc = {this:#010x} (machine 1: {first:#010x})")
            }
            StateDifference::Register { reg, this, first } => write!(
                f,
                "{} = {this:#010x} (machine 1: {first:#010x})",
                abi_name(reg)
            ),
        }
    }
}

/// Where `this` machine's architectural state first differs from
/// `first`'s (`None`: the same pc and registers).
pub fn state_difference(first: &Machine, this: &Machine) -> Option<StateDifference> {
    let (a, b) = (&first.hart, &this.hart);
    if a.pc != b.pc {
        return Some(StateDifference::Pc {
            this: b.pc,
            first: a.pc,
        });
    }
    let reg = (1..32u8).find(|&r| a.reg(r) != b.reg(r))?;
    Some(StateDifference::Register {
        reg,
        this: b.reg(reg),
        first: a.reg(reg),
    })
}
