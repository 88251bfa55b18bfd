//! The pipeline as a student sees it: what each stage holds, what happened
//! to it in the last cycle and why (in words), the pipeline registers with
//! textbook labels, and the predictor's tables. Building a view reads the
//! machine and never changes it.

use super::Pipeline;
use super::latch::Tag;
use super::predictor::PredictorView;
use super::record::*;
use super::trace::{CellNote, CellState, ChartCell, mark_meaning};
use crate::disasm::disasm;
use crate::isa::reg::abi_name;
use crate::isa::{Inst, InstClass, decode};
use crate::machine::Machine;
use serde::Serialize;

/// An instruction as shown in a stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InstrView {
    pub seq: Option<u64>,
    pub pc: u32,
    pub word: u32,
    pub text: String,
}

/// One stage in the cycle just finished (the cycle the machine's cycle
/// count names, the pipeline chart's newest column): the instruction it
/// held then and what happened to it; and, for a look ahead, what it holds
/// for the coming cycle.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StageView {
    pub stage: Stage,
    /// The instruction the stage worked on, held or flushed in the cycle
    /// just finished (`None`: a bubble). `last`, `state` and `note` are
    /// about this instruction.
    pub instr: Option<InstrView>,
    pub last: StageEvent,
    /// What happened to it, in one word (the stage's badge): `None` when
    /// it worked normally or the stage was empty.
    pub state: Option<StageState>,
    /// The reason in words for a stall or flush in the last cycle.
    pub note: Option<String>,
    /// Its occupant for the coming cycle (for IF with nothing held: the
    /// instruction at the PC, with no sequence number yet).
    pub next: Option<InstrView>,
}

/// What happened to a stage's instruction in a cycle, as a badge says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum StageState {
    /// Held because a stage ahead could not take it (or the pipeline is
    /// frozen behind a data-cache miss).
    Held,
    /// Stalled by a hazard, a busy unit, serialization or `wfi`.
    Stalled,
    /// Waiting for a cache fill.
    CacheMiss,
    /// Thrown away.
    Flushed,
}

impl StageState {
    pub fn of(event: &StageEvent) -> Option<StageState> {
        match event {
            StageEvent::Stalled(_, StallCause::CacheMiss { .. }) => Some(StageState::CacheMiss),
            StageEvent::Stalled(_, StallCause::Behind) => Some(StageState::Held),
            StageEvent::Stalled(..) => Some(StageState::Stalled),
            StageEvent::Flushed(..) => Some(StageState::Flushed),
            StageEvent::Bubble | StageEvent::Ran(_) => None,
        }
    }

    /// The badge's word.
    pub fn word(self) -> &'static str {
        match self {
            StageState::Held => "held",
            StageState::Stalled => "stalled",
            StageState::CacheMiss => "cache miss",
            StageState::Flushed => "flushed",
        }
    }
}

/// A pipeline register's fields, labelled as a textbook datapath labels
/// them. `valid` is false for a bubble.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LatchView {
    pub name: &'static str,
    pub valid: bool,
    pub fields: Vec<(&'static str, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PipelineView {
    /// Cycles completed: also the number (1-based, as the chart labels
    /// it) of the cycle the stages show.
    pub cycle: u64,
    pub stages: Vec<StageView>,
    pub registers: Vec<LatchView>,
    /// The last cycle's events (forwards, stalls, flushes, predictions,
    /// retirements, traps, interrupts), in words.
    pub events: Vec<String>,
    pub predictor: PredictorView,
}

pub use crate::words::{plural, plural_s};

fn hex(v: u32) -> String {
    format!("{v:#010x}")
}

/// `lw` for the instruction at `pc`, for short explanations.
fn mnemonic(m: &Machine, pc: u32) -> String {
    let word = m.peek_inst(pc).unwrap_or(0);
    let text = disasm(word, pc, m.symbols());
    text.split_whitespace().next().unwrap_or("?").to_string()
}

fn what_at(m: &Machine, pc: u32) -> String {
    format!("{} at {pc:#010x}", mnemonic(m, pc))
}

/// A stall cause in words.
pub fn describe_stall(m: &Machine, cause: &StallCause) -> String {
    match *cause {
        StallCause::LoadUse { reg, producer_pc } => format!(
            "load-use: {} from {}",
            abi_name(reg),
            what_at(m, producer_pc)
        ),
        StallCause::DataHazard { reg, producer_pc } => format!(
            "data hazard: waits for {} from {} to reach write-back",
            abi_name(reg),
            what_at(m, producer_pc)
        ),
        StallCause::ExBusy { pc, left } => format!(
            "EX busy: {} needs {}",
            what_at(m, pc),
            plural(left as u64, "more cycle")
        ),
        StallCause::Serialize => {
            "serializing: waits until older instructions have left EX and MEM".into()
        }
        StallCause::Wfi => "wfi: waiting for an interrupt".into(),
        StallCause::CacheMiss { data, addr, left } => format!(
            "{} miss at {addr:#010x}: {}",
            if data {
                "data-cache"
            } else {
                "instruction-cache"
            },
            if left == 0 {
                "the fill completes in this cycle".to_string()
            } else {
                format!("the fill needs {}", plural(left as u64, "more cycle"))
            }
        ),
        StallCause::Behind => "held: the stage ahead is stalled".into(),
    }
}

/// A chart cell in words, with the datapath view's reasons: "stalled in
/// ID: load-use: t0 from lw at 0x80000000".
pub fn describe_cell(m: &Machine, cell: &ChartCell) -> String {
    let stage = cell.stage.name();
    match (cell.state, cell.note) {
        (CellState::Ran, _) => format!("worked in {stage}"),
        // Not "held in IF: held: ...": the reason without its first word.
        (CellState::Stalled, Some(CellNote::Stall(StallCause::Behind))) => {
            format!("held in {stage}: the stage ahead is stalled")
        }
        (CellState::Stalled, Some(CellNote::Stall(c @ StallCause::CacheMiss { .. }))) => {
            format!("held in {stage}: {}", describe_stall(m, &c))
        }
        (CellState::Stalled, Some(CellNote::Stall(c))) => {
            format!("stalled in {stage}: {}", describe_stall(m, &c))
        }
        (CellState::Flushed, Some(CellNote::Flush(c))) => {
            format!("thrown away from {stage}, {}", describe_flush(m, &c))
        }
        (state, _) => format!("{stage}: {}", mark_meaning(cell.stage, state)),
    }
}

/// A flush cause in words.
pub fn describe_flush(m: &Machine, cause: &FlushCause) -> String {
    match *cause {
        FlushCause::Mispredict {
            branch_pc,
            direction,
            taken,
            target,
        } => {
            let outcome = if taken {
                format!("taken to {target:#010x}")
            } else {
                "not taken".to_string()
            };
            let why = if direction {
                "mispredicted direction"
            } else {
                "mispredicted target"
            };
            format!("flushed by {}: {why} ({outcome})", what_at(m, branch_pc))
        }
        FlushCause::Trap { pc, cause } => {
            format!(
                "flushed: {} at {pc:#010x} trapped ({})",
                mnemonic(m, pc),
                cause.describe()
            )
        }
        FlushCause::Interrupt { cause } => format!("flushed: {} taken", cause.describe()),
        FlushCause::Syscall { pc } => {
            format!("flushed: ecall at {pc:#010x} was served as a syscall; refetching after it")
        }
        FlushCause::Mret { pc } => format!("flushed: mret at {pc:#010x} returns to mepc"),
        FlushCause::FenceI { pc } => {
            format!("flushed: fence.i at {pc:#010x} refetches the instructions after it")
        }
    }
}

fn forward_text(m: &Machine, f: &Forward) -> String {
    let from = match f.from {
        ForwardFrom::ExMem => "EX/MEM",
        ForwardFrom::MemWb => "MEM/WB",
    };
    format!(
        "forward to {}: rs{} = {} = {:#x} from {from} ({})",
        f.to.name(),
        f.operand,
        abi_name(f.reg),
        f.value,
        what_at(m, f.producer_pc)
    )
}

fn stale_text(m: &Machine, s: &StaleRead) -> String {
    format!(
        "stale read in {}: {} = {:#x}, but {} has not written it back (no hazard unit)",
        s.stage.name(),
        abi_name(s.reg),
        s.value,
        what_at(m, s.producer_pc)
    )
}

/// Control signals of an instruction, as the textbook's control unit
/// produces them.
fn control(inst: &Inst) -> String {
    let c = inst.class();
    let reg_write = inst.dest().is_some();
    let alu_src_imm = !matches!(c, InstClass::Branch) && !inst.reads_rs2() || inst.is_store();
    format!(
        "RegWrite={} MemRead={} MemWrite={} MemToReg={} ALUSrc={} Branch={} Jump={}",
        reg_write as u8,
        inst.is_load() as u8,
        inst.is_store() as u8,
        inst.is_load() as u8,
        if alu_src_imm { "imm" } else { "rs2" },
        (c == InstClass::Branch) as u8,
        (c == InstClass::Jump) as u8,
    )
}

impl Pipeline {
    fn instr(&self, m: &Machine, tag: Tag) -> InstrView {
        InstrView {
            seq: Some(tag.seq),
            pc: tag.pc,
            word: tag.word,
            text: disasm(tag.word, tag.pc, m.symbols()),
        }
    }

    /// The whole inspection view. Pure: reading it changes nothing.
    pub fn view(&self, m: &Machine) -> PipelineView {
        // A record of a cycle that did not happen (a syscall waiting for
        // input repeats its cycle) shows nothing.
        let mut record = self.last();
        if record.cycle >= m.cycle {
            record = CycleRecord::default();
        }
        let fetch_next = match self.if_hold() {
            Some(h) => Some(self.instr(m, h.tag)),
            None => m.peek_inst(self.fetch_pc).map(|word| InstrView {
                seq: None,
                pc: self.fetch_pc,
                word,
                text: disasm(word, self.fetch_pc, m.symbols()),
            }),
        };
        let next = [
            fetch_next,
            self.if_id().map(|x| self.instr(m, x.tag)),
            self.id_ex().map(|x| self.instr(m, x.tag)),
            self.ex_mem().map(|x| self.instr(m, x.tag)),
            self.mem_wb().map(|x| self.instr(m, x.tag)),
        ];
        let stages = Stage::ALL
            .iter()
            .zip(next)
            .map(|(&stage, next)| {
                let last = record.stages[stage as usize];
                let note = match &last {
                    StageEvent::Stalled(_, c) => Some(describe_stall(m, c)),
                    StageEvent::Flushed(_, c) => Some(describe_flush(m, c)),
                    _ => None,
                };
                StageView {
                    stage,
                    instr: last.tag().map(|t| self.instr(m, t)),
                    last,
                    state: StageState::of(&last),
                    note,
                    next,
                }
            })
            .collect();
        PipelineView {
            cycle: m.cycle,
            stages,
            registers: self.latch_views(m),
            events: self.events(m),
            predictor: self.predictor.view(),
        }
    }

    fn latch_views(&self, m: &Machine) -> Vec<LatchView> {
        let fault = |f: Option<crate::machine::trap::Trap>| {
            f.map(|t| format!("{} (mtval {:#x})", t.cause.describe(), t.tval))
                .unwrap_or_else(|| "none".into())
        };
        let text = |t: Tag| disasm(t.word, t.pc, m.symbols());
        let if_id = match self.if_id() {
            None => vec![],
            Some(x) => vec![
                ("PC", hex(x.tag.pc)),
                (
                    "Instruction",
                    format!("{:08x}  {}", x.tag.word, text(x.tag)),
                ),
                ("Predicted next PC", hex(x.predicted_next)),
                ("Exception", fault(x.fault)),
            ],
        };
        let id_ex = match self.id_ex() {
            None => vec![],
            Some(x) => vec![
                ("PC", hex(x.tag.pc)),
                ("Instruction", text(x.tag)),
                (
                    "rs1",
                    format!("{} = {}", abi_name(x.inst.rs1), hex(x.rs1_value)),
                ),
                (
                    "rs2",
                    format!("{} = {}", abi_name(x.inst.rs2), hex(x.rs2_value)),
                ),
                ("Immediate", format!("{} ({:#x})", x.inst.imm, x.inst.imm)),
                ("rd", abi_name(x.inst.rd).to_string()),
                ("Control", control(&x.inst)),
                ("Predicted next PC", hex(x.predicted_next)),
                ("Exception", fault(x.fault)),
            ],
        };
        let ex_mem = match self.ex_mem() {
            None => vec![],
            Some(x) => vec![
                ("PC", hex(x.tag.pc)),
                ("Instruction", text(x.tag)),
                ("ALU result", hex(x.alu_result)),
                ("Store data", hex(x.store_data)),
                ("rd", abi_name(x.inst.rd).to_string()),
                ("Next PC", hex(x.next_pc)),
                ("Control", control(&x.inst)),
                ("Exception", fault(x.fault)),
            ],
        };
        let mem_wb = match self.mem_wb() {
            None => vec![],
            Some(x) => vec![
                ("PC", hex(x.tag.pc)),
                ("Instruction", text(x.tag)),
                ("Write-back value", hex(x.wb_value)),
                ("Memory address", hex(x.mem_addr())),
                ("rd", abi_name(x.inst.rd).to_string()),
                ("RegWrite", (x.inst.dest().is_some() as u8).to_string()),
                ("Exception", fault(x.fault)),
            ],
        };
        [
            ("IF/ID", if_id),
            ("ID/EX", id_ex),
            ("EX/MEM", ex_mem),
            ("MEM/WB", mem_wb),
        ]
        .into_iter()
        .map(|(name, fields)| LatchView {
            name,
            valid: !fields.is_empty(),
            fields,
        })
        .collect()
    }

    /// The last cycle's events, in words.
    pub fn events(&self, m: &Machine) -> Vec<String> {
        let r = self.last();
        let mut out = Vec::new();
        for (stage, ev) in Stage::ALL.iter().zip(&r.stages) {
            match ev {
                StageEvent::Stalled(t, c) if !matches!(c, StallCause::Behind) => out.push(format!(
                    "{} stalled {}: {}",
                    stage.name(),
                    text_of(m, *t),
                    describe_stall(m, c)
                )),
                _ => {}
            }
        }
        for f in r.forwards.iter().flatten() {
            out.push(forward_text(m, f));
        }
        for s in r.stale_reads.iter().flatten() {
            out.push(stale_text(m, s));
        }
        if let Some(res) = &r.resolution {
            let predicted = if !res.predicted_taken {
                "not taken".to_string()
            } else {
                format!("taken to {:#010x}", res.predicted_next)
            };
            let outcome = if res.taken {
                format!("taken to {:#010x}", res.target)
            } else {
                "not taken".to_string()
            };
            out.push(format!(
                "{} resolved in {}: {outcome}; predicted {predicted}: {}",
                what_at(m, res.pc),
                res.stage.name(),
                if res.correct {
                    "correct"
                } else {
                    "mispredicted"
                }
            ));
        }
        if let Some(f) = &r.flush {
            out.push(describe_flush(m, f));
        }
        if let Some(t) = r.retired {
            out.push(format!("retired {}", text_of(m, t)));
        }
        if let Some((pc, cause)) = r.trap {
            out.push(format!("trap: {} at {pc:#010x}", cause.describe()));
        }
        if let Some(i) = r.interrupt {
            out.push(format!("interrupt: {}", i.describe()));
        }
        out
    }
}

fn text_of(m: &Machine, t: Tag) -> String {
    format!("{} at {:#010x}", disasm(t.word, t.pc, m.symbols()), t.pc)
}

impl Machine {
    /// The pipeline inspection view, for the five-stage core.
    pub fn pipeline_view(&self) -> Option<PipelineView> {
        self.pipeline.as_ref().map(|p| p.view(self))
    }

    /// The decoded instruction at `pc`, if it is in memory (for views).
    pub fn instruction_at(&self, pc: u32) -> Option<Inst> {
        self.peek_inst(pc).map(decode)
    }
}
