//! What happened in the last cycle, as data. The pipeline overwrites one
//! small record per cycle (no allocation); views and the pipeline chart turn
//! it into words and pictures.

use super::latch::Tag;
use crate::machine::trap::{Exception, Interrupt};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stage {
    If,
    Id,
    Ex,
    Mem,
    Wb,
}

impl Stage {
    pub const ALL: [Stage; 5] = [Stage::If, Stage::Id, Stage::Ex, Stage::Mem, Stage::Wb];

    pub fn name(self) -> &'static str {
        match self {
            Stage::If => "IF",
            Stage::Id => "ID",
            Stage::Ex => "EX",
            Stage::Mem => "MEM",
            Stage::Wb => "WB",
        }
    }
}

/// Why an instruction could not advance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StallCause {
    /// Reads the destination of the load just ahead (forwarding on).
    LoadUse { reg: u8, producer_pc: u32 },
    /// Waits for a producer to reach WB (forwarding off, or a branch in ID).
    DataHazard { reg: u8, producer_pc: u32 },
    /// A multi-cycle multiply or divide occupies EX.
    ExBusy { pc: u32, left: u32 },
    /// A CSR instruction or `mret` waits for older instructions to finish.
    Serialize,
    /// `wfi` waits for an interrupt.
    Wfi,
    /// A cache miss holds the stage for the fill (`data`: L1D in MEM,
    /// otherwise L1I in IF); `left` more cycles to go.
    CacheMiss { data: bool, addr: u32, left: u32 },
    /// The stage ahead is stalled.
    Behind,
}

/// Why instructions were thrown away.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlushCause {
    /// A branch or jump went elsewhere than predicted.
    Mispredict {
        branch_pc: u32,
        /// The direction was wrong (false: the direction was right but the
        /// target was not).
        direction: bool,
        taken: bool,
        target: u32,
    },
    /// A trap was taken in WB.
    Trap {
        pc: u32,
        cause: Exception,
    },
    Interrupt {
        cause: Interrupt,
    },
    /// `ecall` served as a syscall in WB: younger instructions refetch.
    Syscall {
        pc: u32,
    },
    /// `mret` returns to `mepc`.
    Mret {
        pc: u32,
    },
    /// `fence.i` refetches everything after it.
    FenceI {
        pc: u32,
    },
}

/// Where a forwarded operand came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ForwardFrom {
    /// EX/MEM register (the instruction now in MEM).
    ExMem,
    /// MEM/WB register (the instruction now in WB).
    MemWb,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Forward {
    /// The stage that received the value (EX, or ID for branches in ID).
    pub to: Stage,
    /// 1 for rs1, 2 for rs2.
    pub operand: u8,
    pub reg: u8,
    pub from: ForwardFrom,
    pub producer_pc: u32,
    pub value: u32,
}

/// A read that got a stale value because the hazard unit is off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaleRead {
    pub stage: Stage,
    pub reg: u8,
    pub producer_pc: u32,
    pub value: u32,
}

/// A resolved control transfer and whether the prediction held.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    pub pc: u32,
    pub stage: Stage,
    pub kind: super::predictor::BranchKind,
    pub taken: bool,
    pub target: u32,
    pub predicted_next: u32,
    /// Whether IF predicted it taken (`predicted_next` is not the next
    /// instruction in program order).
    pub predicted_taken: bool,
    pub correct: bool,
}

/// What each stage did with its instruction this cycle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum StageEvent {
    /// Nothing there.
    #[default]
    Bubble,
    /// Worked on its instruction and passed it on.
    Ran(Tag),
    Stalled(Tag, StallCause),
    Flushed(Tag, FlushCause),
}

impl StageEvent {
    pub fn tag(&self) -> Option<Tag> {
        match *self {
            StageEvent::Bubble => None,
            StageEvent::Ran(t) | StageEvent::Stalled(t, _) | StageEvent::Flushed(t, _) => Some(t),
        }
    }
}

/// Everything that happened in one cycle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CycleRecord {
    /// The cycle number (cycles completed before it).
    pub cycle: u64,
    /// Indexed by `Stage as usize`.
    pub stages: [StageEvent; 5],
    /// Up to two forwarded operands (rs1 and rs2 of one instruction).
    pub forwards: [Option<Forward>; 2],
    pub stale_reads: [Option<StaleRead>; 2],
    pub resolution: Option<Resolution>,
    pub flush: Option<FlushCause>,
    pub retired: Option<Tag>,
    pub trap: Option<(u32, Exception)>,
    pub interrupt: Option<Interrupt>,
}

impl CycleRecord {
    /// Starts the record of a new cycle. Field by field, because building a
    /// whole default record every cycle costs more than the cycle's events.
    #[inline(always)]
    pub(crate) fn begin(&mut self, cycle: u64) {
        self.cycle = cycle;
        self.stages = [StageEvent::Bubble; 5];
        self.forwards = [None; 2];
        self.stale_reads = [None; 2];
        self.resolution = None;
        self.flush = None;
        self.retired = None;
        self.trap = None;
        self.interrupt = None;
    }
}
