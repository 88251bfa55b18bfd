//! The classic five-stage pipeline (IF, ID, EX, MEM, WB), with its teaching
//! variants: forwarding on/off, hazard detection on/off, branches resolved
//! in EX or ID, several predictors, multi-cycle multiply/divide.
//!
//! The pipeline owns only what a pipeline adds: the pipeline registers, the
//! fetch pc, the predictor and per-cycle records. Architectural state (the
//! register file, CSRs, memory) stays in `Machine`, and every instruction's
//! meaning comes from `isa::exec`, so the pipeline decides only *when*.
//!
//! Each cycle evaluates the stages in reverse order, WB first: every stage
//! then reads the pipeline registers as they were at the start of the cycle,
//! and a write-back happens before the register read in ID (rule 2: written
//! in the first half of the cycle, read in the second). All registers latch
//! together at the end of the cycle.

mod cycle;
mod fast;
pub mod history;
pub mod latch;
pub mod predictor;
pub mod record;
mod run;
pub mod trace;
pub mod view;

use crate::config::CoreConfig;
use latch::{Slot, Tag};
use predictor::Predictor;
use record::CycleRecord;
use serde::{Deserialize, Serialize};

/// Slots for instructions in flight (a power of two).
const SLOTS: usize = 16;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pipeline {
    pub config: CoreConfig,
    /// The PC register: where IF fetches next.
    pub fetch_pc: u32,
    /// Every instruction in flight, indexed by sequence number modulo
    /// `SLOTS` (at most five are in flight, so a slot is free when it is
    /// reused, and the last one retired survives several fetches).
    slots: [Slot; SLOTS],
    /// The pipeline registers: the slot of the instruction each holds.
    /// `if_hold` is the instruction IF fetched while ID was stalled,
    /// waiting to enter IF/ID (so charts show it held in IF).
    if_hold: Option<u8>,
    if_id: Option<u8>,
    id_ex: Option<u8>,
    ex_mem: Option<u8>,
    mem_wb: Option<u8>,
    /// An interrupt was taken while an older instruction was leaving MEM:
    /// when that one retires, the architectural pc stays at the handler.
    pub keep_pc_at_retire: bool,
    /// Cycles IF still waits for an instruction-cache fill.
    pub if_busy: u32,
    /// Cycles MEM still holds its instruction for a data-cache fill.
    pub mem_busy: u32,
    /// Write-back cycles of the `fence.i` in EX.
    fence_cost: u32,
    /// Cycles the instruction in EX has spent there (multi-cycle ops).
    pub ex_cycles: u32,
    /// What IF shows while a data-cache miss freezes it before a fetch
    /// (`cycle.rs`); derived from the PC, so not part of a save state.
    #[serde(skip)]
    frozen_fetch: Option<Tag>,
    pub predictor: Predictor,
    /// Sequence number of the next fetched instruction.
    pub next_seq: u64,
    /// What happened in the last cycle.
    rec: CycleRecord,
    /// The stages that ran their instruction in the last cycle, by slot + 1
    /// (0: see `rec`), and whether one retired. Writing a byte per stage
    /// instead of a whole event keeps the cycle cheap; `last` assembles the
    /// record.
    ran: [u8; 5],
    retired_now: bool,
    /// What the chart needs of the last cycles, kept only when asked for
    /// (`history.rs`). Observation, not machine state.
    #[serde(skip)]
    history: Option<Box<history::History>>,
    /// The slot of the last instruction retired, while no fetch has reused
    /// it; IF copies it to `retired_copy` before reusing it.
    retired_slot: Option<u8>,
    retired_copy: Option<Slot>,
    pub stats: PipelineStats,
    /// A watchpoint hit by the access in MEM, reported when its
    /// instruction leaves MEM (after a cache fill, in the fill's last
    /// cycle).
    mem_hit: Option<crate::machine::WatchHit>,
    /// Never take the fast path (`fast.rs`): every cycle goes through the
    /// cycle model. Results are the same either way; tests and benchmarks
    /// compare the two.
    #[serde(skip)]
    pub cycle_by_cycle: bool,
    /// The fast path's scratch memory, kept between runs.
    #[serde(skip)]
    fast: Option<fast::Scratch>,
    /// The cycle at which the fast path last handed over: the cycle model
    /// runs at least one cycle from there.
    #[serde(skip)]
    fast_handed_over_at: Option<u64>,
    /// Cycles the fast path has covered (host-side, for benchmarks and
    /// tests: not a statistic of the simulated machine).
    #[serde(skip)]
    pub fast_path_cycles: u64,
}

/// Counters the pipeline keeps; `stats.rs` names and describes them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineStats {
    pub stall_load_use: u64,
    pub stall_data: u64,
    pub stall_ex_busy: u64,
    pub stall_serialize: u64,
    pub stall_wfi: u64,
    /// Cycles IF waited for an instruction-cache fill.
    pub stall_icache: u64,
    /// Cycles the pipeline froze for a data-cache miss in MEM.
    pub stall_dcache: u64,
    pub flush_mispredict: u64,
    pub flush_trap: u64,
    pub flush_other: u64,
    /// Instructions squashed by all flushes.
    pub squashed: u64,
    pub forwards: u64,
    pub stale_reads: u64,
    /// Per branch kind (conditional, jal, jalr): resolved, predicted right.
    pub predictions: [(u64, u64); 3],
    pub traps: u64,
    pub interrupts: u64,
    /// Retired instructions per `InstClass` (indexed as `InstClass::ALL`).
    pub class_counts: [u64; crate::isa::InstClass::ALL.len()],
}

/// The fields of a pipeline register that the stages before it have
/// filled (`stages`: 0 IF, 1 ID, 2 EX, 3 MEM); the others still hold what
/// the slot's previous instruction left, which the cycle model and the
/// fast path leave differently and nothing reads.
fn filled(s: &Slot, stages: u8) -> Slot {
    let mut v = Slot {
        tag: s.tag,
        predicted_next: s.predicted_next,
        fault: s.fault,
        resolved_next: s.resolved_next,
        operands_latched: s.operands_latched,
        tohost: s.tohost,
        ..Slot::EMPTY
    };
    if stages >= 1 {
        (v.inst, v.class, v.dest, v.srcs) = (s.inst, s.class, s.dest, s.srcs);
        (v.rs1_value, v.rs2_value) = (s.rs1_value, s.rs2_value);
    }
    if stages >= 2 {
        (v.alu_result, v.store_data, v.next_pc) = (s.alu_result, s.store_data, s.next_pc);
    }
    if stages >= 3 {
        v.wb_value = s.wb_value;
    }
    v
}

/// What a pipeline keeps for the host rather than as machine state: the
/// chart history's size, the fast path's scratch memory and the
/// cycle-by-cycle switch. Snapshots leave it out; a restored pipeline
/// keeps the live one's (with an empty history).
pub(crate) struct HostState {
    history: usize,
    cycle_by_cycle: bool,
    fast: Option<fast::Scratch>,
}

impl Pipeline {
    /// Everything observable of the pipeline, for state digests: the
    /// pipeline registers' contents (not the free slots, which hold
    /// whatever the cycle model or the fast path left there), the last
    /// cycle's record, the last retired instruction, predictor, counters.
    pub(crate) fn observable(&self) -> impl Serialize + '_ {
        #[derive(Serialize)]
        struct View<'a> {
            config: &'a CoreConfig,
            fetch_pc: u32,
            regs: [Option<Slot>; 5],
            keep_pc_at_retire: bool,
            if_busy: u32,
            mem_busy: u32,
            fence_cost: u32,
            ex_cycles: u32,
            predictor: &'a Predictor,
            next_seq: u64,
            last: CycleRecord,
            last_retired: Option<Slot>,
            stats: &'a PipelineStats,
        }
        View {
            config: &self.config,
            fetch_pc: self.fetch_pc,
            regs: [
                self.if_hold().map(|s| filled(s, 0)),
                self.if_id().map(|s| filled(s, 0)),
                self.id_ex().map(|s| filled(s, 1)),
                self.ex_mem().map(|s| filled(s, 2)),
                self.mem_wb().map(|s| filled(s, 3)),
            ],
            keep_pc_at_retire: self.keep_pc_at_retire,
            if_busy: self.if_busy,
            mem_busy: self.mem_busy,
            fence_cost: self.fence_cost,
            ex_cycles: self.ex_cycles,
            predictor: &self.predictor,
            next_seq: self.next_seq,
            last: self.last(),
            last_retired: self.last_retired(),
            stats: &self.stats,
        }
    }

    pub(crate) fn take_host_state(&mut self) -> HostState {
        HostState {
            history: self.history.take().map_or(0, |h| h.capacity()),
            cycle_by_cycle: self.cycle_by_cycle,
            fast: self.fast.take(),
        }
    }

    pub(crate) fn put_host_state(&mut self, h: HostState) {
        self.cycle_by_cycle = h.cycle_by_cycle;
        self.fast = h.fast;
        self.history = None;
        self.keep_chart_history(h.history);
    }

    pub fn new(config: &CoreConfig, reset_pc: u32) -> Pipeline {
        Pipeline {
            config: config.clone(),
            fetch_pc: reset_pc,
            slots: [Slot::EMPTY; SLOTS],
            if_hold: None,
            if_id: None,
            id_ex: None,
            ex_mem: None,
            mem_wb: None,
            keep_pc_at_retire: false,
            if_busy: 0,
            mem_busy: 0,
            fence_cost: 0,
            ex_cycles: 0,
            frozen_fetch: None,
            predictor: Predictor::new(&config.predictor),
            next_seq: 0,
            rec: CycleRecord::default(),
            ran: [0; 5],
            retired_now: false,
            history: None,
            retired_slot: None,
            retired_copy: None,
            stats: PipelineStats::default(),
            mem_hit: None,
            cycle_by_cycle: false,
            fast: None,
            fast_handed_over_at: None,
            fast_path_cycles: 0,
        }
    }

    #[inline(always)]
    fn at(&self, i: u8) -> &Slot {
        &self.slots[i as usize & (SLOTS - 1)]
    }

    #[inline(always)]
    fn at_mut(&mut self, i: u8) -> &mut Slot {
        &mut self.slots[i as usize & (SLOTS - 1)]
    }

    /// The instruction `stage` ran in the last cycle, if it ran one (see
    /// `ran`).
    #[inline(always)]
    fn ran_tag(&self, stage: usize) -> Option<Tag> {
        let i = self.ran[stage];
        (i != 0).then(|| self.at(i - 1).tag)
    }

    /// What happened in the last cycle.
    pub fn last(&self) -> CycleRecord {
        let mut r = self.rec;
        for (s, event) in r.stages.iter_mut().enumerate() {
            if let Some(tag) = self.ran_tag(s) {
                *event = record::StageEvent::Ran(tag);
            }
        }
        if self.retired_now {
            r.retired = self.last_retired().map(|s| s.tag);
        }
        r
    }

    /// The pipeline register of the last instruction to retire, with
    /// everything it did (for views and the co-simulation checker).
    pub fn last_retired(&self) -> Option<Slot> {
        match self.retired_slot {
            Some(i) => Some(*self.at(i)),
            None => self.retired_copy,
        }
    }

    fn slot(&self, i: Option<u8>) -> Option<&Slot> {
        i.map(|i| self.at(i))
    }

    /// The instruction IF holds while ID is stalled.
    pub fn if_hold(&self) -> Option<&Slot> {
        self.slot(self.if_hold)
    }

    /// The IF/ID register: the instruction in ID next cycle.
    pub fn if_id(&self) -> Option<&Slot> {
        self.slot(self.if_id)
    }

    /// The ID/EX register: the instruction in EX next cycle.
    pub fn id_ex(&self) -> Option<&Slot> {
        self.slot(self.id_ex)
    }

    /// The EX/MEM register: the instruction in MEM next cycle.
    pub fn ex_mem(&self) -> Option<&Slot> {
        self.slot(self.ex_mem)
    }

    /// The MEM/WB register: the instruction in WB next cycle.
    pub fn mem_wb(&self) -> Option<&Slot> {
        self.slot(self.mem_wb)
    }

    /// True when no instruction is in flight.
    pub fn is_empty(&self) -> bool {
        self.if_id.is_none()
            && self.id_ex.is_none()
            && self.ex_mem.is_none()
            && self.mem_wb.is_none()
    }
}
