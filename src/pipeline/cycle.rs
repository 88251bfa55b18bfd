//! One clock cycle of the five-stage pipeline. See `docs/timing.md` for
//! the rules this implements and the reasons behind each decision.

use super::Pipeline;
use super::latch::{Slot, Tag};
use super::predictor::BranchKind;
use super::record::*;
use crate::config::BranchStage;
use crate::isa::exec::{alu, branch_target, load_extend, mem_addr, mem_width};
use crate::isa::{Inst, InstClass, Op};
use crate::machine::Machine;
use crate::machine::trap::{Exception, Trap};

/// What a cycle asks of the run loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flow {
    Continue,
    /// WB holds a syscall waiting for console input; the cycle did not
    /// happen and will be repeated.
    NeedInput,
    /// The machine halted in this cycle (it is counted).
    Halted,
}

/// The producer of a register that an instruction in ID or EX may need.
#[derive(Clone, Copy)]
struct Producer {
    reg: u8,
    pc: u32,
    is_load: bool,
    /// The value it would forward (its ALU result; for a load, the address).
    value: u32,
}

fn producer(s: &Slot, value: u32) -> Option<Producer> {
    (s.dest != 0).then_some(Producer {
        reg: s.dest,
        pc: s.tag.pc,
        // An atomic's value, like a load's, exists only after MEM.
        is_load: matches!(s.class, InstClass::Load | InstClass::Atomic),
        value,
    })
}

/// The instructions in EX, MEM and WB at the start of a cycle, with the
/// register each writes (0: none or no instruction). Hazard and forwarding
/// checks compare these bytes; the details of a producer are looked up only
/// when one matches. A slot's fields that a producer exposes do not change
/// during the cycle, so reading them later in the cycle is reading them as
/// they were at its start.
#[derive(Clone, Copy)]
struct Ahead {
    ex: Option<u8>,
    mem: Option<u8>,
    wb: Option<u8>,
    ex_dest: u8,
    mem_dest: u8,
    wb_dest: u8,
}

/// Registers an instruction reads (0: none, or x0): [rs1, rs2].
pub(super) fn sources(inst: &Inst) -> [u8; 2] {
    let r1 = if inst.reads_rs1() { inst.rs1 } else { 0 };
    let r2 = if inst.reads_rs2() { inst.rs2 } else { 0 };
    [r1, r2]
}

impl Pipeline {
    fn squash(&mut self, n: usize) {
        self.stats.squashed += n as u64;
    }

    /// The producers in EX, MEM and WB at the start of the cycle, each
    /// with the value it would forward (its ALU result; for a load, the
    /// address; in WB, the write-back value).
    fn producers(&self, ahead: &Ahead) -> [Option<Producer>; 3] {
        [
            ahead.ex.and_then(|i| producer(self.at(i), 0)),
            ahead
                .mem
                .and_then(|i| producer(self.at(i), self.at(i).alu_result)),
            ahead
                .wb
                .and_then(|i| producer(self.at(i), self.at(i).wb_value)),
        ]
    }

    /// Records what a stage did other than run its instruction (a stage
    /// that ran is recorded by slot, in `ran`).
    fn mark(&mut self, stage: Stage, event: StageEvent) {
        self.ran[stage as usize] = 0;
        self.rec.stages[stage as usize] = event;
    }

    /// Flushes every instruction in flight and refetches from `pc`.
    fn flush_all(&mut self, pc: u32, cause: FlushCause) {
        let mut n = 0;
        let regs = [
            (self.if_hold.take(), Stage::If),
            (self.if_id.take(), Stage::Id),
            (self.id_ex.take(), Stage::Ex),
            (self.ex_mem.take(), Stage::Mem),
        ];
        for (reg, stage) in regs {
            if let Some(i) = reg {
                self.mark(stage, StageEvent::Flushed(self.at(i).tag, cause));
                n += 1;
            }
        }
        self.squash(n);
        self.ex_cycles = 0;
        self.fetch_pc = pc;
        self.rec.flush = Some(cause);
    }

    /// Runs one cycle.
    pub(crate) fn cycle(&mut self, m: &mut Machine) -> Flow {
        // An `ecall` in WB may wait for console input, and then the cycle
        // does not happen: the record of the last cycle that did must
        // survive for the views (copied only when an ecall is there).
        let before = match self.mem_wb {
            Some(i) if self.at(i).inst.op == Op::Ecall => {
                Some((self.rec, self.ran, self.retired_now))
            }
            _ => None,
        };
        self.rec.begin(m.cycle);
        (self.ran, self.retired_now) = ([0; 5], false);
        if let Some(h) = m.memory.as_deref_mut() {
            h.begin_cycle(m.cycle);
        }
        // A data-cache fill holds MEM for 1 + fill cycles. All but the last
        // freeze the pipeline; in the last, MEM's instruction is complete
        // and the stages behind it run, so both move on together.
        let mut mem_done = false;
        if self.mem_busy > 0 {
            self.mem_busy -= 1;
            if self.mem_busy > 0 {
                return self.mem_frozen_cycle(m);
            }
            mem_done = true;
            self.stats.stall_dcache += 1;
            if let Some(hit) = self.mem_hit.take() {
                m.push_stop(crate::machine::StopReason::Watchpoint(hit));
            }
        }
        // What the stages need to know about the instructions ahead of
        // them, taken before any pipeline register changes this cycle.
        let dest = |i: Option<u8>| i.map_or(0, |i| self.at(i).dest);
        let ahead = Ahead {
            ex: self.id_ex,
            mem: self.ex_mem,
            wb: self.mem_wb,
            ex_dest: dest(self.id_ex),
            mem_dest: dest(self.ex_mem),
            wb_dest: dest(self.mem_wb),
        };

        // ---- WB ----
        if let Some(i) = self.mem_wb.take()
            && let Some(flow) = self.write_back(m, i)
        {
            if flow == Flow::NeedInput {
                // The cycle did not happen: WB keeps its instruction.
                self.mem_wb = Some(i);
                if let Some((rec, ran, retired_now)) = before {
                    (self.rec, self.ran, self.retired_now) = (rec, ran, retired_now);
                }
            } else {
                m.cycle += 1;
            }
            return flow;
        }

        // ---- MEM ----
        let new_mem_wb = self.ex_mem.take();
        if let Some(i) = new_mem_wb
            && mem_done
        {
            let s = self.at(i);
            let cause = StallCause::CacheMiss {
                data: true,
                addr: s.alu_result,
                left: 0,
            };
            self.mark(Stage::Mem, StageEvent::Stalled(s.tag, cause));
        } else if let Some(i) = new_mem_wb {
            self.memory(m, i);
            let stall = m.take_stall();
            if stall > 0 {
                // A miss: MEM holds its instruction for the fill, and the
                // stages behind it freeze from this cycle on (rule 15).
                // The instruction in EX takes its forwarded operands now:
                // the producer in WB this cycle is gone when EX resumes.
                if let Some(e) = self.id_ex {
                    let (a, b) = self.ex_operands(e, &ahead);
                    let s = self.at_mut(e);
                    (s.rs1_value, s.rs2_value, s.operands_latched) = (a, b, true);
                }
                self.ex_mem = Some(i);
                self.mem_busy = stall.min(u32::MAX as u64) as u32;
                return self.mem_frozen_cycle(m);
            }
            if let Some(hit) = self.mem_hit.take() {
                m.push_stop(crate::machine::StopReason::Watchpoint(hit));
            }
        }

        // ---- interrupts ----
        // Instructions that have passed MEM complete; those in EX, ID and
        // IF have had no side effects yet and are squashed, so the
        // interrupt falls on the same instruction boundary as in the
        // functional model: right after whatever made it pending or enabled.
        if let Some(irq) = m.pending_interrupt() {
            let oldest = match (self.id_ex, self.if_id.or(self.if_hold)) {
                (Some(i), _) => Some((self.at(i).tag.pc, self.at(i).inst.op)),
                (None, Some(i)) => {
                    let t = self.at(i).tag;
                    Some((t.pc, m.decode_cached(t.pc, t.word).op))
                }
                (None, None) => None,
            };
            // A fault or syscall about to reach WB goes first; a `wfi`
            // completes before the interrupt it waited for is taken.
            let blocked = new_mem_wb.is_some_and(|i| {
                let s = self.at(i);
                s.fault.is_some() || s.inst.op == Op::Ecall
            }) || oldest.is_some_and(|(_, op)| op == Op::Wfi);
            if !blocked {
                m.hart.pc = oldest.map_or(self.fetch_pc, |(pc, _)| pc);
                m.take_interrupt(irq);
                self.stats.interrupts += 1;
                self.stats.flush_other += 1;
                self.rec.interrupt = Some(irq);
                let cause = FlushCause::Interrupt { cause: irq };
                // The instruction leaving MEM still retires, but the pc
                // after it is now the handler's.
                self.keep_pc_at_retire = new_mem_wb.is_some();
                self.flush_all(m.hart.pc, cause);
                self.mem_wb = new_mem_wb;
                m.cycle += 1;
                return if m.halt.is_some() {
                    Flow::Halted
                } else {
                    Flow::Continue
                };
            }
        }
        self.mem_wb = new_mem_wb;

        // ---- EX ----
        let mut redirect: Option<(u32, FlushCause)> = None;
        let mut ex_hold = false;
        if let Some(i) = self.id_ex {
            let multi_cycle = matches!(
                self.at(i).class,
                InstClass::Mul | InstClass::Div | InstClass::Fence
            );
            if multi_cycle && self.ex_busy(m, i, &ahead) {
                ex_hold = true;
            } else {
                self.ex_cycles = 0;
                self.execute(m, i, &ahead, &mut redirect);
                self.ex_mem = Some(i);
                self.id_ex = None;
            }
        }

        // ---- ID ----
        let mut id_stall = ex_hold;
        if ex_hold {
            if let Some(i) = self.if_id {
                self.mark(
                    Stage::Id,
                    StageEvent::Stalled(self.at(i).tag, StallCause::Behind),
                );
            }
        } else if let Some(i) = self.if_id {
            match redirect {
                Some((_, cause)) => {
                    self.mark(Stage::Id, StageEvent::Flushed(self.at(i).tag, cause));
                    self.squash(1);
                    self.if_id = None;
                }
                None => {
                    if self.decode_stage(m, i, &ahead, &mut redirect) {
                        self.id_ex = Some(i);
                        self.if_id = None;
                    } else {
                        id_stall = true;
                    }
                }
            }
        }

        // ---- IF ----
        if self.if_busy > 0 {
            // An instruction-cache fill is under way; it goes on even if
            // the fetch that started it is squashed (rule 16).
            self.if_busy -= 1;
            self.stats.stall_icache += 1;
            if let Some(i) = self.if_hold {
                let s = self.at(i);
                let cause = StallCause::CacheMiss {
                    data: false,
                    addr: s.tag.pc,
                    left: self.if_busy,
                };
                self.mark(Stage::If, StageEvent::Stalled(s.tag, cause));
            }
            if let Some((target, cause)) = redirect {
                if let Some(i) = self.if_hold.take() {
                    self.mark(Stage::If, StageEvent::Flushed(self.at(i).tag, cause));
                    self.squash(1);
                }
                self.rec.flush = Some(cause);
                self.fetch_pc = target;
            } else if self.if_busy == 0 && !id_stall {
                self.if_id = self.if_hold.take();
            }
        } else if id_stall {
            // IF fetches once and holds the instruction until ID moves on.
            if self.if_hold.is_none() {
                let (i, stall) = self.fetch(m);
                self.if_hold = Some(i);
                self.if_busy = stall;
            }
            if let Some(i) = self.if_hold {
                let tag = self.at(i).tag;
                // A fetch that missed in this very cycle shows its miss;
                // otherwise IF holds a fetched instruction behind ID.
                let cause = if self.if_busy > 0 {
                    StallCause::CacheMiss {
                        data: false,
                        addr: tag.pc,
                        left: self.if_busy,
                    }
                } else {
                    StallCause::Behind
                };
                self.mark(Stage::If, StageEvent::Stalled(tag, cause));
            }
        } else {
            let (fetched, stall) = match self.if_hold.take() {
                Some(i) => {
                    self.ran[Stage::If as usize] = i + 1;
                    (i, 0)
                }
                None => self.fetch(m),
            };
            match redirect {
                Some((target, cause)) => {
                    self.rec.flush = Some(cause);
                    // This cycle's fetch was down the wrong path.
                    self.mark(Stage::If, StageEvent::Flushed(self.at(fetched).tag, cause));
                    self.squash(1);
                    self.fetch_pc = target;
                    // A miss on the wrong path still fills its line.
                    self.if_busy = stall;
                }
                None if stall > 0 => {
                    // A miss: IF holds the instruction for the fill while
                    // bubbles enter ID (rule 15). Its first cycle is a
                    // miss cycle too: the fill starts here.
                    self.if_hold = Some(fetched);
                    self.if_busy = stall;
                    let tag = self.at(fetched).tag;
                    let cause = StallCause::CacheMiss {
                        data: false,
                        addr: tag.pc,
                        left: stall,
                    };
                    self.mark(Stage::If, StageEvent::Stalled(tag, cause));
                }
                None => self.if_id = Some(fetched),
            }
        }

        m.cycle += 1;
        if m.halt.is_some() {
            Flow::Halted
        } else {
            Flow::Continue
        }
    }

    /// WB: write the register file, retire, and take traps and syscalls.
    /// Returns `Some` when the cycle ends here.
    #[inline(always)]
    fn write_back(&mut self, m: &mut Machine, i: u8) -> Option<Flow> {
        let s = self.at(i);
        if (s.fault.is_some() || s.class == InstClass::System)
            && let Some(flow) = self.trap_or_syscall(m, i)
        {
            return Some(flow);
        }
        let s = self.at(i);
        let (dest, wb_value, tohost) = (s.dest, s.wb_value, s.tohost);
        if dest != 0 {
            m.hart.set_reg(dest, wb_value);
        }
        self.retire(m, i);
        if tohost {
            m.htif_store(self.at(i).tag.pc);
            if m.halt.is_some() {
                return Some(Flow::Halted);
            }
        }
        None
    }

    /// WB for a faulting instruction or a system one: takes the trap or
    /// serves the syscall and returns how the cycle ends; `None` for the
    /// others (`mret`, `wfi`), which retire as usual.
    fn trap_or_syscall(&mut self, m: &mut Machine, i: u8) -> Option<Flow> {
        let s = self.at(i);
        let (pc, op, fault, next_pc) = (s.tag.pc, s.inst.op, s.fault, s.next_pc);
        // A semihosting call is served here like a syscall (ID marked the
        // `ebreak` as a breakpoint; only WB looks at its neighbours).
        let semihost = op == Op::Ebreak
            && fault.is_some_and(|t| t.cause == Exception::Breakpoint)
            && m.is_semihost_call(pc);
        let trap = match (fault, op) {
            _ if semihost => None,
            (Some(t), _) => Some(t),
            (None, Op::Ecall) if m.hart.mtvec != 0 => Some(Trap::new(Exception::EcallFromM, 0)),
            _ => None,
        };
        if let Some(trap) = trap {
            self.ran[Stage::Wb as usize] = i + 1;
            m.take_exception(trap, pc);
            self.stats.traps += 1;
            self.stats.flush_trap += 1;
            self.rec.trap = Some((pc, trap.cause));
            self.flush_all(
                m.hart.pc,
                FlushCause::Trap {
                    pc,
                    cause: trap.cause,
                },
            );
            return Some(if m.halt.is_some() {
                Flow::Halted
            } else {
                Flow::Continue
            });
        }
        if op != Op::Ecall && !semihost {
            return None;
        }
        m.hart.pc = pc;
        let served = if semihost { m.semihost() } else { m.syscall() };
        if !served {
            return Some(Flow::NeedInput);
        }
        self.retire(m, i);
        if m.halt.is_some() {
            return Some(Flow::Halted);
        }
        self.stats.flush_other += 1;
        self.flush_all(next_pc, FlushCause::Syscall { pc });
        Some(Flow::Continue)
    }

    #[inline(always)]
    fn retire(&mut self, m: &mut Machine, i: u8) {
        let s = self.at(i);
        let (next_pc, class) = (s.next_pc, s.class);
        m.instret += 1;
        if !std::mem::take(&mut self.keep_pc_at_retire) {
            m.hart.pc = next_pc;
        }
        self.stats.class_counts[class as usize] += 1;
        self.ran[Stage::Wb as usize] = i + 1;
        self.retired_now = true;
        self.retired_slot = Some(i);
    }

    /// MEM: loads and stores.
    #[inline(always)]
    fn memory(&mut self, m: &mut Machine, i: u8) {
        let s = self.at(i);
        let (inst, class, addr, data) = (s.inst, s.class, s.alu_result, s.store_data);
        let tag = s.tag;
        let op = inst.op;
        let (mut wb_value, mut tohost, mut fault) = (addr, false, s.fault);
        self.ran[Stage::Mem as usize] = i + 1;
        if fault.is_none() {
            let width = mem_width(op);
            // A watched access: the hit waits in `mem_hit` until the
            // instruction leaves MEM.
            let old = if m.watching() && class == InstClass::Store {
                m.watch_before_store(addr, width)
            } else {
                None
            };
            let moved = match class {
                InstClass::Load => match m.load_data(addr, width) {
                    Ok(raw) => {
                        wb_value = load_extend(op, raw);
                        Some(raw)
                    }
                    Err(t) => {
                        fault = Some(t);
                        None
                    }
                },
                InstClass::Store => match m.store_data(addr, width, data) {
                    Ok(t) => {
                        tohost = t;
                        Some(data)
                    }
                    Err(t) => {
                        fault = Some(t);
                        None
                    }
                },
                InstClass::Atomic => match m.exec_atomic(&inst, addr, data, (tag.pc, tag.word)) {
                    Ok((v, t, hit)) => {
                        (wb_value, tohost) = (v, t);
                        self.mem_hit = hit;
                        None
                    }
                    Err(t) => {
                        fault = Some(t);
                        None
                    }
                },
                _ => None,
            };
            if m.watching()
                && let Some(v) = moved
                && (class == InstClass::Load || old.is_some())
            {
                self.mem_hit = m.watch_hit(tag.pc, tag.word, addr, width, old, v);
            }
        }
        let s = self.at_mut(i);
        (s.wb_value, s.tohost, s.fault) = (wb_value, tohost, fault);
    }

    /// An operand for EX: the value read in ID, or a forwarded one. The
    /// caller has checked that an instruction in MEM or WB writes `reg`
    /// (not x0); the one in MEM is the newer and wins.
    fn ex_operand(&mut self, operand: u8, reg: u8, read: u32, ahead: &Ahead) -> u32 {
        let (producer, from) = if reg == ahead.mem_dest {
            (ahead.mem, ForwardFrom::ExMem)
        } else {
            (ahead.wb, ForwardFrom::MemWb)
        };
        let Some(i) = producer else {
            return read;
        };
        let s = self.at(i);
        let (producer_pc, is_load) = (
            s.tag.pc,
            matches!(s.class, InstClass::Load | InstClass::Atomic),
        );
        let value = match from {
            ForwardFrom::ExMem => s.alu_result,
            ForwardFrom::MemWb => s.wb_value,
        };
        if !self.config.forwarding {
            // Read in ID before this producer wrote back.
            self.note_stale(Stage::Ex, reg, producer_pc, read);
            return read;
        }
        self.note_forward(Forward {
            to: Stage::Ex,
            operand,
            reg,
            from,
            producer_pc,
            value,
        });
        // A load forwarded from EX/MEM hands over its address: only
        // possible without the hazard unit.
        if is_load && from == ForwardFrom::ExMem {
            self.note_stale(Stage::Ex, reg, producer_pc, value);
        }
        value
    }

    /// EX's operands: latched ones for a multi-cycle operation already
    /// under way, otherwise the values read in ID or forwarded.
    #[inline(always)]
    fn ex_operands(&mut self, i: u8, ahead: &Ahead) -> (u32, u32) {
        let s = self.at(i);
        let (a, b) = (s.rs1_value, s.rs2_value);
        if s.operands_latched {
            return (a, b);
        }
        let [r1, r2] = s.srcs;
        let ahead_writes = |r: u8| r != 0 && (r == ahead.mem_dest || r == ahead.wb_dest);
        let a = if ahead_writes(r1) {
            self.ex_operand(1, r1, a, ahead)
        } else {
            a
        };
        let b = if ahead_writes(r2) {
            self.ex_operand(2, r2, b, ahead)
        } else {
            b
        };
        (a, b)
    }

    /// EX for an operation that may take more than one cycle: returns true
    /// while it holds EX.
    fn ex_busy(&mut self, m: &mut Machine, i: u8, ahead: &Ahead) -> bool {
        let s = self.at(i);
        let (op, class, fault) = (s.inst.op, s.class, s.fault);
        if self.ex_cycles == 0 && op == Op::FenceI && fault.is_none() {
            // Dirty data lines go back before fetches can see them.
            self.fence_cost = m.fence_i_caches().min(u32::MAX as u64 / 2) as u32;
        }
        let latency = match class {
            InstClass::Fence if op == Op::FenceI => 1 + self.fence_cost,
            _ => self.config.ex_cycles(class),
        };
        self.ex_cycles += 1;
        if self.ex_cycles >= latency || fault.is_some() {
            return false;
        }
        // The unit latches its operands in its first cycle; the producers
        // ahead may be gone by the last.
        let (a, b) = self.ex_operands(i, ahead);
        let s = self.at_mut(i);
        (s.rs1_value, s.rs2_value, s.operands_latched) = (a, b, true);
        let tag = s.tag;
        let left = latency - self.ex_cycles;
        self.mark(
            Stage::Ex,
            StageEvent::Stalled(tag, StallCause::ExBusy { pc: tag.pc, left }),
        );
        self.stats.stall_ex_busy += 1;
        true
    }

    fn note_forward(&mut self, f: Forward) {
        self.stats.forwards += 1;
        let slot = &mut self.rec.forwards[(f.operand - 1) as usize];
        *slot = Some(f);
    }

    fn note_stale(&mut self, stage: Stage, reg: u8, producer_pc: u32, value: u32) {
        self.stats.stale_reads += 1;
        let r = StaleRead {
            stage,
            reg,
            producer_pc,
            value,
        };
        if self.rec.stale_reads[0].is_none() {
            self.rec.stale_reads[0] = Some(r);
        } else {
            self.rec.stale_reads[1] = Some(r);
        }
    }

    /// EX: the ALU, address generation, branch resolution, CSRs.
    #[inline(always)]
    fn execute(
        &mut self,
        m: &mut Machine,
        i: u8,
        ahead: &Ahead,
        redirect: &mut Option<(u32, FlushCause)>,
    ) {
        let s = self.at(i);
        let (pc, inst, class, fault) = (s.tag.pc, s.inst, s.class, s.fault);
        self.ran[Stage::Ex as usize] = i + 1;
        let (a, b) = self.ex_operands(i, ahead);
        let mut alu_result = 0;
        let mut next_pc = inst.next_pc(pc);
        let mut fault = fault;
        if fault.is_none() {
            match class {
                InstClass::Alu | InstClass::Mul | InstClass::Div => {
                    alu_result = alu(&inst, pc, a, b)
                }
                InstClass::Load | InstClass::Store => alu_result = mem_addr(&inst, a),
                InstClass::Atomic => alu_result = a,
                InstClass::Branch | InstClass::Jump => {
                    alu_result = alu(&inst, pc, a, b);
                    let s = self.at(i);
                    let (predicted_next, resolved_next) = (s.predicted_next, s.resolved_next);
                    let next = match resolved_next {
                        Some(n) => Ok(n),
                        None => self.resolve(Stage::Ex, pc, &inst, predicted_next, a, b, redirect),
                    };
                    match next {
                        Ok(n) => next_pc = n,
                        Err(t) => fault = Some(t),
                    }
                }
                InstClass::Csr => match m.exec_csr(&inst, self.at(i).tag.word, a) {
                    Ok(v) => alu_result = v,
                    Err(t) => fault = Some(t),
                },
                InstClass::System if inst.op == Op::Mret => {
                    let target = m.exec_mret();
                    next_pc = target;
                    self.stats.flush_other += 1;
                    *redirect = Some((target, FlushCause::Mret { pc }));
                }
                InstClass::Fence if inst.op == Op::FenceI => {
                    self.stats.flush_other += 1;
                    *redirect = Some((next_pc, FlushCause::FenceI { pc }));
                }
                _ => {}
            }
        }
        let s = self.at_mut(i);
        (s.alu_result, s.store_data, s.next_pc, s.fault) = (alu_result, b, next_pc, fault);
    }

    /// Resolves a branch or jump in `stage`: returns the next pc in program
    /// order (or the misaligned-target trap), updates the predictor and
    /// requests a redirect if the prediction was wrong.
    #[allow(clippy::too_many_arguments)]
    fn resolve(
        &mut self,
        stage: Stage,
        pc: u32,
        inst: &Inst,
        predicted_next: u32,
        a: u32,
        b: u32,
        redirect: &mut Option<(u32, FlushCause)>,
    ) -> Result<u32, Trap> {
        let target = branch_target(inst, pc, a, b);
        let taken = target.is_some();
        let fall_through = inst.next_pc(pc);
        let next = target.unwrap_or(fall_through);
        // IALIGN = 16: only an odd target is misaligned (no encoding makes
        // one; the rule is kept).
        if next & 1 != 0 {
            return Err(Trap::new(Exception::InstructionMisaligned, next));
        }
        let kind = BranchKind::of(inst.op).unwrap_or(BranchKind::Conditional);
        self.predictor.update(pc, kind, taken, next);
        let correct = next == predicted_next;
        let k = kind as usize;
        self.stats.predictions[k].0 += 1;
        if correct {
            self.stats.predictions[k].1 += 1;
        } else {
            let predicted_taken = predicted_next != fall_through;
            self.stats.flush_mispredict += 1;
            *redirect = Some((
                next,
                FlushCause::Mispredict {
                    branch_pc: pc,
                    direction: predicted_taken != taken,
                    taken,
                    target: next,
                },
            ));
        }
        self.rec.resolution = Some(Resolution {
            pc,
            stage,
            kind,
            taken,
            target: next,
            predicted_next,
            predicted_taken: predicted_next != fall_through,
            correct,
        });
        Ok(next)
    }
}

impl Pipeline {
    /// ID: decode, read registers, detect hazards, and (with early
    /// resolution) resolve branches. Returns false when the instruction
    /// stalls in ID (a bubble enters EX).
    #[inline(always)]
    fn decode_stage(
        &mut self,
        m: &mut Machine,
        i: u8,
        ahead: &Ahead,
        redirect: &mut Option<(u32, FlushCause)>,
    ) -> bool {
        let s = self.at(i);
        // The fields IF filled (a small copy, not the whole slot).
        let (tag, predicted_next, fetch_fault) = (s.tag, s.predicted_next, s.fault);
        let inst = m.decode_cached(tag.pc, tag.word);
        let class = inst.class();
        let srcs = sources(&inst);
        if fetch_fault.is_none() {
            if matches!(class, InstClass::Csr | InstClass::System)
                && let Some(cause) = self.system_stall(m, tag, &inst, ahead)
            {
                if let Some(c) = cause {
                    self.id_stall(tag, c);
                }
                return false;
            }
            // Only a source that an instruction in EX or MEM writes can
            // be a hazard.
            let ahead_writes = |r: u8| r != 0 && (r == ahead.ex_dest || r == ahead.mem_dest);
            if self.config.hazard_detection
                && (ahead_writes(srcs[0]) || ahead_writes(srcs[1]))
                && let Some(cause) = self.data_hazard(class, srcs, ahead)
            {
                return self.id_stall(tag, cause);
            }
        }
        let (mut a, mut b) = (m.hart.reg(inst.rs1), m.hart.reg(inst.rs2));
        let mut fault = fetch_fault;
        if fault.is_none() && matches!(class, InstClass::Illegal | InstClass::System) {
            fault = match inst.op {
                Op::Illegal => Some(Trap::new(Exception::IllegalInstruction, tag.word)),
                Op::Ebreak => Some(Trap::new(Exception::Breakpoint, tag.pc)),
                _ => None,
            };
        }
        let mut resolved_next = None;
        self.ran[Stage::Id as usize] = i + 1;
        if self.config.branch_resolution == BranchStage::Id
            && matches!(class, InstClass::Branch | InstClass::Jump)
            && fault.is_none()
        {
            // EX recomputes the link value from these operands.
            let [ex_p, mem_p, _] = self.producers(ahead);
            a = self.id_operand(1, inst.rs1, inst.reads_rs1(), a, ex_p, mem_p);
            b = self.id_operand(2, inst.rs2, inst.reads_rs2(), b, ex_p, mem_p);
            match self.resolve(Stage::Id, tag.pc, &inst, predicted_next, a, b, redirect) {
                Ok(next) => resolved_next = Some(next),
                Err(t) => fault = Some(t),
            }
        }
        let s = self.at_mut(i);
        (s.inst, s.class, s.dest, s.srcs) = (inst, class, inst.dest().unwrap_or(0), srcs);
        (s.rs1_value, s.rs2_value, s.fault) = (a, b, fault);
        (s.resolved_next, s.operands_latched) = (resolved_next, false);
        true
    }

    /// An operand for a branch resolved in ID: the register file, or the
    /// EX/MEM register when forwarding is on.
    fn id_operand(
        &mut self,
        operand: u8,
        reg: u8,
        reads: bool,
        read: u32,
        ex_p: Option<Producer>,
        mem_p: Option<Producer>,
    ) -> u32 {
        if !reads || reg == 0 {
            return read;
        }
        if let Some(p) = mem_p.filter(|p| p.reg == reg) {
            if self.config.forwarding {
                if p.is_load {
                    self.note_stale(Stage::Id, reg, p.pc, p.value);
                }
                self.note_forward(Forward {
                    to: Stage::Id,
                    operand,
                    reg,
                    from: ForwardFrom::ExMem,
                    producer_pc: p.pc,
                    value: p.value,
                });
                return p.value;
            }
            self.note_stale(Stage::Id, reg, p.pc, read);
        } else if let Some(p) = ex_p.filter(|p| p.reg == reg) {
            self.note_stale(Stage::Id, reg, p.pc, read);
        }
        read
    }

    /// Records a stall in ID and counts it by cause; returns false (the
    /// instruction did not move on).
    fn id_stall(&mut self, tag: Tag, cause: StallCause) -> bool {
        self.mark(Stage::Id, StageEvent::Stalled(tag, cause));
        let s = &mut self.stats;
        match cause {
            StallCause::LoadUse { .. } => s.stall_load_use += 1,
            StallCause::DataHazard { .. } => s.stall_data += 1,
            StallCause::Serialize => s.stall_serialize += 1,
            StallCause::Wfi => s.stall_wfi += 1,
            StallCause::ExBusy { .. } | StallCause::Behind | StallCause::CacheMiss { .. } => {}
        }
        false
    }

    /// Why a CSR or system instruction waits in ID, if it does (`Some(None)`:
    /// it waits, but the wait is not a stall to record). CSR
    /// instructions and `mret` execute in EX only once nothing older is in
    /// flight: their side effects (CSRs, `mstatus`) must not happen if an
    /// older instruction traps. `wfi` waits for an interrupt.
    fn system_stall(
        &mut self,
        m: &mut Machine,
        tag: Tag,
        inst: &Inst,
        ahead: &Ahead,
    ) -> Option<Option<StallCause>> {
        let older_in_flight = ahead.ex.is_some() || ahead.mem.is_some();
        let serializes = inst.class() == InstClass::Csr || inst.op == Op::Mret;
        if serializes && older_in_flight {
            return Some(Some(StallCause::Serialize));
        }
        if inst.op == Op::Wfi && m.mip() & m.hart.mie == 0 {
            if !older_in_flight {
                m.hart.pc = tag.pc;
                if !m.wfi_can_wake() {
                    if m.waiting_for_input {
                        // Asleep until the host sends input: this cycle
                        // is a wfi cycle, then the run loop reports
                        // `NeedInput`.
                        return Some(Some(StallCause::Wfi));
                    }
                    // Halted: the cycle is not one of the program's, so
                    // no stall is recorded.
                    return Some(None);
                }
                // Skip the idle cycles of the sleep only once every stage
                // is idle (WB empty, IF holding), so that the cycle that
                // ends the skip looks like every sleeping cycle: the state
                // at any cycle of the sleep is then the same however the
                // run is split (the timeline's replays rely on it).
                if ahead.wb.is_none() && self.if_hold.is_some() && self.if_busy == 0 {
                    let before = m.cycle;
                    m.wfi_fast_forward();
                    // Skipped idle cycles count as wfi stall cycles too.
                    self.stats.stall_wfi += m.cycle - before;
                    self.rec.cycle = m.cycle;
                }
            }
            return Some(Some(StallCause::Wfi));
        }
        None
    }

    /// The load-use or data hazard that holds an instruction in ID, if any
    /// (called only when a source matches a destination ahead).
    fn data_hazard(&self, class: InstClass, srcs: [u8; 2], ahead: &Ahead) -> Option<StallCause> {
        let early = self.config.branch_resolution == BranchStage::Id
            && matches!(class, InstClass::Branch | InstClass::Jump);
        let forwarding = self.config.forwarding;
        let [ex_p, mem_p, _] = self.producers(ahead);
        for reg in srcs.into_iter().filter(|&r| r != 0) {
            let hit = |p: Option<Producer>| p.filter(|p| p.reg == reg);
            if let Some(p) = hit(ex_p) {
                // The producer is in EX now.
                let producer_pc = p.pc;
                if forwarding && !early && !p.is_load {
                    continue;
                }
                return Some(if forwarding && !early {
                    StallCause::LoadUse { reg, producer_pc }
                } else {
                    StallCause::DataHazard { reg, producer_pc }
                });
            }
            if let Some(p) = hit(mem_p) {
                // The producer is in MEM now: forwarding reaches EX next
                // cycle, and reaches ID now unless it is a load.
                if !(forwarding && (!early || !p.is_load)) {
                    return Some(StallCause::DataHazard {
                        reg,
                        producer_pc: p.pc,
                    });
                }
            }
        }
        None
    }

    /// IF: fetch at the pc and predict the next one. Returns the slot of
    /// the fetched instruction and the cycles its cache miss adds.
    #[inline(always)]
    fn fetch(&mut self, m: &mut Machine) -> (u8, u32) {
        let pc = self.fetch_pc;
        let seq = self.next_seq;
        self.next_seq += 1;
        let (word, fault) = match m.fetch_inst(pc) {
            Ok(w) => (w, None),
            Err(t) => (0, Some(t)),
        };
        let stall = m.take_stall().min(u32::MAX as u64) as u32;
        let tag = Tag { seq, pc, word };
        let predicted_next = if let Some(t) = fault {
            // Nothing useful follows a fetch fault (it traps in WB): IF
            // goes on after the parcel that faulted.
            t.tval.wrapping_add(2)
        } else {
            self.predictor.predict_next(pc, word)
        };
        self.fetch_pc = predicted_next;
        let i = (seq as usize & (super::SLOTS - 1)) as u8;
        if self.retired_slot == Some(i) {
            // The last retired instruction stays readable.
            self.retired_copy = Some(*self.at(i));
            self.retired_slot = None;
        }
        self.ran[Stage::If as usize] = i + 1;
        // Only what IF fills and later stages test before writing; ID, EX
        // and MEM write the rest before anything reads it.
        let s = self.at_mut(i);
        (s.tag, s.predicted_next, s.fault) = (tag, predicted_next, fault);
        (s.resolved_next, s.operands_latched, s.tohost) = (None, false, false);
        (i, stall)
    }

    /// The instruction IF will fetch next, as it shows while a data-cache
    /// miss freezes IF before the fetch: the sequence number it will get
    /// and the word at the PC (read once per freeze, without touching the
    /// caches).
    fn frozen_fetch(&mut self, m: &Machine) -> Option<Tag> {
        let (seq, pc) = (self.next_seq, self.fetch_pc);
        match self.frozen_fetch {
            Some(t) if t.seq == seq && t.pc == pc => Some(t),
            _ => {
                let word = m.peek_inst(pc)?;
                let tag = Tag { seq, pc, word };
                self.frozen_fetch = Some(tag);
                Some(tag)
            }
        }
    }

    /// A cycle in which a data-cache miss holds MEM: WB gets a bubble, and
    /// IF, ID, EX and MEM do nothing, except that an instruction-cache fill
    /// under way goes on (the two L1s have their own ports to the level
    /// below).
    fn mem_frozen_cycle(&mut self, m: &mut Machine) -> Flow {
        self.stats.stall_dcache += 1;
        let filling = self.if_busy > 0;
        if filling {
            self.if_busy -= 1;
            self.stats.stall_icache += 1;
        }
        match self.if_hold {
            // The instruction-cache fill goes on.
            Some(i) if filling => {
                let tag = self.at(i).tag;
                let cause = StallCause::CacheMiss {
                    data: false,
                    addr: tag.pc,
                    left: self.if_busy,
                };
                self.mark(Stage::If, StageEvent::Stalled(tag, cause));
            }
            Some(i) => self.mark(
                Stage::If,
                StageEvent::Stalled(self.at(i).tag, StallCause::Behind),
            ),
            // IF is frozen with its PC: it holds the instruction it will
            // fetch when the pipeline moves again (not a bubble).
            None if !filling => {
                if let Some(tag) = self.frozen_fetch(m) {
                    self.mark(Stage::If, StageEvent::Stalled(tag, StallCause::Behind));
                }
            }
            // A fill for a squashed fetch: nothing is held.
            None => {}
        }
        let held = [(self.if_id, Stage::Id), (self.id_ex, Stage::Ex)];
        for (reg, stage) in held {
            if let Some(i) = reg {
                self.mark(
                    stage,
                    StageEvent::Stalled(self.at(i).tag, StallCause::Behind),
                );
            }
        }
        if let Some(i) = self.ex_mem {
            let s = self.at(i);
            let cause = StallCause::CacheMiss {
                data: true,
                addr: s.alu_result,
                left: self.mem_busy,
            };
            self.mark(Stage::Mem, StageEvent::Stalled(s.tag, cause));
        }
        m.cycle += 1;
        if m.halt.is_some() {
            Flow::Halted
        } else {
            Flow::Continue
        }
    }
}
