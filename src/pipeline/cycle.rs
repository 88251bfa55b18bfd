//! One clock cycle of the five-stage pipeline. See `docs/timing.md` for
//! the rules this implements and the reasons behind each decision.

use super::Pipeline;
use super::latch::{ExMem, IdEx, IfId, MemWb, Tag};
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

fn producer(tag: Tag, inst: &Inst, value: u32) -> Option<Producer> {
    inst.dest().map(|reg| Producer {
        reg,
        pc: tag.pc,
        is_load: inst.is_load(),
        value,
    })
}

/// The instructions ahead of ID at the start of a cycle.
#[derive(Clone, Copy)]
struct Ahead {
    in_ex: bool,
    in_mem: bool,
    ex_p: Option<Producer>,
    mem_p: Option<Producer>,
}

/// Registers an instruction reads (x0 excluded): [rs1, rs2].
fn sources(inst: &Inst) -> [Option<u8>; 2] {
    let r1 = (inst.reads_rs1() && inst.rs1 != 0).then_some(inst.rs1);
    let r2 = (inst.reads_rs2() && inst.rs2 != 0).then_some(inst.rs2);
    [r1, r2]
}

/// Instructions that execute in EX only once nothing older is in flight:
/// their side effects (CSRs, `mstatus`) must not happen if an older
/// instruction traps.
fn serializes(inst: &Inst) -> bool {
    matches!(inst.class(), InstClass::Csr) || inst.op == Op::Mret
}

impl Pipeline {
    fn squash(&mut self, n: usize) {
        self.stats.squashed += n as u64;
    }

    /// Flushes every instruction in flight and refetches from `pc`.
    fn flush_all(&mut self, pc: u32, cause: FlushCause) {
        let mut n = 0;
        if let Some(x) = self.if_hold.take() {
            self.last.stages[Stage::If as usize] = StageEvent::Flushed(x.tag, cause);
            n += 1;
        }
        if let Some(x) = self.if_id.take() {
            self.last.stages[Stage::Id as usize] = StageEvent::Flushed(x.tag, cause);
            n += 1;
        }
        if let Some(x) = self.id_ex.take() {
            self.last.stages[Stage::Ex as usize] = StageEvent::Flushed(x.tag, cause);
            n += 1;
        }
        if let Some(x) = self.ex_mem.take() {
            self.last.stages[Stage::Mem as usize] = StageEvent::Flushed(x.tag, cause);
            n += 1;
        }
        self.squash(n);
        self.ex_cycles = 0;
        self.fetch_pc = pc;
        self.last.flush = Some(cause);
    }

    /// Runs one cycle.
    pub(crate) fn cycle(&mut self, m: &mut Machine) -> Flow {
        self.last = CycleRecord {
            cycle: m.cycle,
            ..CycleRecord::default()
        };
        // What the stages need to know about the instructions ahead of
        // them, taken before any pipeline register changes this cycle.
        let wb_p = self
            .mem_wb
            .as_ref()
            .and_then(|x| producer(x.tag, &x.inst, x.wb_value));
        let mem_p = self
            .ex_mem
            .as_ref()
            .and_then(|x| producer(x.tag, &x.inst, x.alu_result));
        let ex_p = self
            .id_ex
            .as_ref()
            .and_then(|x| producer(x.tag, &x.inst, 0));
        let ahead = Ahead {
            in_ex: self.id_ex.is_some(),
            in_mem: self.ex_mem.is_some(),
            ex_p,
            mem_p,
        };

        // ---- WB ----
        if let Some(wb) = self.mem_wb.take()
            && let Some(flow) = self.write_back(m, &wb)
        {
            if flow == Flow::NeedInput {
                // The cycle did not happen: WB keeps its instruction.
                self.mem_wb = Some(wb);
            } else {
                m.cycle += 1;
            }
            return flow;
        }

        // ---- MEM ----
        let new_mem_wb = self.ex_mem.take().map(|ex| self.memory(m, &ex));

        // ---- interrupts ----
        // Instructions that have passed MEM complete; those in EX, ID and
        // IF have had no side effects yet and are squashed, so the
        // interrupt falls on the same instruction boundary as in the
        // functional model: right after whatever made it pending or enabled.
        if let Some(i) = m.pending_interrupt() {
            let oldest = match (&self.id_ex, self.if_id.or(self.if_hold)) {
                (Some(x), _) => Some((x.tag.pc, x.inst.op)),
                (None, Some(x)) => Some((x.tag.pc, m.decode_cached(x.tag.pc, x.tag.word).op)),
                (None, None) => None,
            };
            // A fault or syscall about to reach WB goes first; a `wfi`
            // completes before the interrupt it waited for is taken.
            let blocked = new_mem_wb.is_some_and(|w| w.fault.is_some() || w.inst.op == Op::Ecall)
                || oldest.is_some_and(|(_, op)| op == Op::Wfi);
            if !blocked {
                m.hart.pc = oldest.map_or(self.fetch_pc, |(pc, _)| pc);
                m.take_interrupt(i);
                self.stats.interrupts += 1;
                self.stats.flush_other += 1;
                self.last.interrupt = Some(i);
                let cause = FlushCause::Interrupt { cause: i };
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
        if let Some(ie) = self.id_ex.take() {
            let latency = match ie.inst.class() {
                InstClass::Mul => self.config.mul_latency,
                InstClass::Div => self.config.div_latency,
                _ => 1,
            };
            self.ex_cycles += 1;
            if self.ex_cycles < latency && ie.fault.is_none() {
                // The unit latches its operands in its first cycle; the
                // producers ahead may be gone by the last.
                let (a, b) = self.ex_operands(&ie, mem_p, wb_p);
                self.id_ex = Some(IdEx {
                    rs1_value: a,
                    rs2_value: b,
                    operands_latched: true,
                    ..ie
                });
                ex_hold = true;
                let left = latency - self.ex_cycles;
                self.last.stages[Stage::Ex as usize] = StageEvent::Stalled(
                    ie.tag,
                    StallCause::ExBusy {
                        pc: ie.tag.pc,
                        left,
                    },
                );
                self.stats.stall_ex_busy += 1;
            } else {
                self.ex_cycles = 0;
                self.ex_mem = Some(self.execute(m, &ie, mem_p, wb_p, &mut redirect));
            }
        }

        // ---- ID ----
        let mut id_stall = ex_hold;
        if ex_hold {
            if let Some(x) = &self.if_id {
                self.last.stages[Stage::Id as usize] =
                    StageEvent::Stalled(x.tag, StallCause::Behind);
            }
        } else if let Some(fi) = self.if_id.take() {
            match redirect {
                Some((_, cause)) => {
                    self.last.stages[Stage::Id as usize] = StageEvent::Flushed(fi.tag, cause);
                    self.squash(1);
                }
                None => match self.decode_stage(m, &fi, &ahead, &mut redirect) {
                    Some(ie) => self.id_ex = Some(ie),
                    None => {
                        id_stall = true;
                        self.if_id = Some(fi);
                    }
                },
            }
        }

        // ---- IF ----
        if id_stall {
            // IF fetches once and holds the instruction until ID moves on.
            if self.if_hold.is_none() {
                self.if_hold = self.fetch(m);
            }
            if let Some(x) = &self.if_hold {
                self.last.stages[Stage::If as usize] =
                    StageEvent::Stalled(x.tag, StallCause::Behind);
            }
        } else {
            let fetched = match self.if_hold.take() {
                Some(held) => {
                    self.last.stages[Stage::If as usize] = StageEvent::Ran(held.tag);
                    Some(held)
                }
                None => self.fetch(m),
            };
            match redirect {
                Some((target, cause)) => {
                    self.last.flush = Some(cause);
                    // This cycle's fetch was down the wrong path.
                    if let Some(f) = fetched {
                        self.last.stages[Stage::If as usize] = StageEvent::Flushed(f.tag, cause);
                        self.squash(1);
                    }
                    self.fetch_pc = target;
                }
                None => self.if_id = fetched,
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
    fn write_back(&mut self, m: &mut Machine, wb: &MemWb) -> Option<Flow> {
        let pc = wb.tag.pc;
        let trap = match (wb.fault, wb.inst.op) {
            (Some(t), _) => Some(t),
            (None, Op::Ecall) if m.hart.mtvec != 0 => Some(Trap::new(Exception::EcallFromM, 0)),
            _ => None,
        };
        if let Some(trap) = trap {
            self.last.stages[Stage::Wb as usize] = StageEvent::Ran(wb.tag);
            m.take_exception(trap, pc);
            self.stats.traps += 1;
            self.stats.flush_trap += 1;
            self.last.trap = Some((pc, trap.cause));
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
        if wb.inst.op == Op::Ecall {
            m.hart.pc = pc;
            if !m.syscall() {
                return Some(Flow::NeedInput);
            }
            self.retire(m, wb);
            if m.halt.is_some() {
                return Some(Flow::Halted);
            }
            self.stats.flush_other += 1;
            self.flush_all(wb.next_pc, FlushCause::Syscall { pc });
            return Some(Flow::Continue);
        }
        if let Some(rd) = wb.inst.dest() {
            m.hart.set_reg(rd, wb.wb_value);
        }
        self.retire(m, wb);
        if wb.tohost {
            m.htif_store();
            if m.halt.is_some() {
                return Some(Flow::Halted);
            }
        }
        None
    }

    fn retire(&mut self, m: &mut Machine, wb: &MemWb) {
        m.instret += 1;
        if !std::mem::take(&mut self.keep_pc_at_retire) {
            m.hart.pc = wb.next_pc;
        }
        self.stats.class_counts[wb.inst.class() as usize] += 1;
        self.last.stages[Stage::Wb as usize] = StageEvent::Ran(wb.tag);
        self.last.retired = Some(wb.tag);
        self.last_retired = Some(*wb);
    }

    /// MEM: loads and stores.
    fn memory(&mut self, m: &mut Machine, ex: &ExMem) -> MemWb {
        self.last.stages[Stage::Mem as usize] = StageEvent::Ran(ex.tag);
        let mut out = MemWb {
            tag: ex.tag,
            inst: ex.inst,
            wb_value: ex.alu_result,
            mem_addr: ex.alu_result,
            store_data: ex.store_data,
            next_pc: ex.next_pc,
            tohost: false,
            fault: ex.fault,
        };
        if ex.fault.is_some() {
            return out;
        }
        let width = mem_width(ex.inst.op);
        match ex.inst.class() {
            InstClass::Load => match m.load_data(ex.alu_result, width) {
                Ok(raw) => out.wb_value = load_extend(ex.inst.op, raw),
                Err(t) => out.fault = Some(t),
            },
            InstClass::Store => match m.store_data(ex.alu_result, width, ex.store_data) {
                Ok(tohost) => out.tohost = tohost,
                Err(t) => out.fault = Some(t),
            },
            _ => {}
        }
        out
    }

    /// An operand for EX: the value read in ID, or a forwarded one.
    fn ex_operand(
        &mut self,
        operand: u8,
        reg: u8,
        read: u32,
        mem: Option<Producer>,
        wb: Option<Producer>,
    ) -> u32 {
        if reg == 0 {
            return read;
        }
        let hit = |p: Option<Producer>| p.filter(|p| p.reg == reg);
        if self.config.forwarding {
            for (p, from) in [
                (hit(mem), ForwardFrom::ExMem),
                (hit(wb), ForwardFrom::MemWb),
            ] {
                if let Some(p) = p {
                    self.note_forward(Forward {
                        to: Stage::Ex,
                        operand,
                        reg,
                        from,
                        producer_pc: p.pc,
                        value: p.value,
                    });
                    // A load forwarded from EX/MEM hands over its address:
                    // only possible without the hazard unit.
                    if p.is_load && from == ForwardFrom::ExMem {
                        self.note_stale(Stage::Ex, reg, p.pc, p.value);
                    }
                    return p.value;
                }
            }
        } else if let Some(p) = hit(mem).or(hit(wb)) {
            // Read in ID before this producer wrote back.
            self.note_stale(Stage::Ex, reg, p.pc, read);
        }
        read
    }

    /// EX's operands: latched ones for a multi-cycle operation already
    /// under way, otherwise the values read in ID or forwarded.
    fn ex_operands(
        &mut self,
        ie: &IdEx,
        mem_p: Option<Producer>,
        wb_p: Option<Producer>,
    ) -> (u32, u32) {
        if ie.operands_latched {
            return (ie.rs1_value, ie.rs2_value);
        }
        let inst = &ie.inst;
        let a = if inst.reads_rs1() {
            self.ex_operand(1, inst.rs1, ie.rs1_value, mem_p, wb_p)
        } else {
            ie.rs1_value
        };
        let b = if inst.reads_rs2() {
            self.ex_operand(2, inst.rs2, ie.rs2_value, mem_p, wb_p)
        } else {
            ie.rs2_value
        };
        (a, b)
    }

    fn note_forward(&mut self, f: Forward) {
        self.stats.forwards += 1;
        let slot = &mut self.last.forwards[(f.operand - 1) as usize];
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
        if self.last.stale_reads[0].is_none() {
            self.last.stale_reads[0] = Some(r);
        } else {
            self.last.stale_reads[1] = Some(r);
        }
    }

    /// EX: the ALU, address generation, branch resolution, CSRs.
    fn execute(
        &mut self,
        m: &mut Machine,
        ie: &IdEx,
        mem_p: Option<Producer>,
        wb_p: Option<Producer>,
        redirect: &mut Option<(u32, FlushCause)>,
    ) -> ExMem {
        self.last.stages[Stage::Ex as usize] = StageEvent::Ran(ie.tag);
        let inst = ie.inst;
        let pc = ie.tag.pc;
        let (a, b) = self.ex_operands(ie, mem_p, wb_p);
        let mut out = ExMem {
            tag: ie.tag,
            inst,
            alu_result: 0,
            store_data: b,
            next_pc: pc.wrapping_add(4),
            fault: ie.fault,
        };
        if ie.fault.is_some() {
            return out;
        }
        match inst.class() {
            InstClass::Alu | InstClass::Mul | InstClass::Div => {
                out.alu_result = alu(&inst, pc, a, b)
            }
            InstClass::Load | InstClass::Store => out.alu_result = mem_addr(&inst, a),
            InstClass::Branch | InstClass::Jump => {
                out.alu_result = alu(&inst, pc, a, b);
                let next = match ie.resolved_next {
                    Some(n) => Ok(n),
                    None => {
                        self.resolve(Stage::Ex, ie.tag, &inst, ie.predicted_next, a, b, redirect)
                    }
                };
                match next {
                    Ok(n) => out.next_pc = n,
                    Err(t) => out.fault = Some(t),
                }
            }
            InstClass::Csr => match m.exec_csr(&inst, ie.tag.word, a) {
                Ok(v) => out.alu_result = v,
                Err(t) => out.fault = Some(t),
            },
            InstClass::System if inst.op == Op::Mret => {
                let target = m.exec_mret();
                out.next_pc = target;
                self.stats.flush_other += 1;
                *redirect = Some((target, FlushCause::Mret { pc }));
            }
            InstClass::Fence if inst.op == Op::FenceI => {
                self.stats.flush_other += 1;
                *redirect = Some((out.next_pc, FlushCause::FenceI { pc }));
            }
            _ => {}
        }
        out
    }

    /// Resolves a branch or jump in `stage`: returns the next pc in program
    /// order (or the misaligned-target trap), updates the predictor and
    /// requests a redirect if the prediction was wrong.
    #[allow(clippy::too_many_arguments)]
    fn resolve(
        &mut self,
        stage: Stage,
        tag: Tag,
        inst: &Inst,
        predicted_next: u32,
        a: u32,
        b: u32,
        redirect: &mut Option<(u32, FlushCause)>,
    ) -> Result<u32, Trap> {
        let pc = tag.pc;
        let target = branch_target(inst, pc, a, b);
        let taken = target.is_some();
        let next = target.unwrap_or(pc.wrapping_add(4));
        if next & 3 != 0 {
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
            let predicted_taken = predicted_next != pc.wrapping_add(4);
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
        self.last.resolution = Some(Resolution {
            pc,
            stage,
            kind,
            taken,
            target: next,
            predicted_next,
            correct,
        });
        Ok(next)
    }
}

impl Pipeline {
    /// ID: decode, read registers, detect hazards, and (with early
    /// resolution) resolve branches. Returns `None` when the instruction
    /// stalls in ID (a bubble enters EX).
    fn decode_stage(
        &mut self,
        m: &mut Machine,
        fi: &IfId,
        ahead: &Ahead,
        redirect: &mut Option<(u32, FlushCause)>,
    ) -> Option<IdEx> {
        let Ahead {
            in_ex,
            in_mem,
            ex_p,
            mem_p,
        } = *ahead;
        let inst = m.decode_cached(fi.tag.pc, fi.tag.word);
        let stall = |p: &mut Pipeline, cause: StallCause| {
            p.last.stages[Stage::Id as usize] = StageEvent::Stalled(fi.tag, cause);
            let s = &mut p.stats;
            match cause {
                StallCause::LoadUse { .. } => s.stall_load_use += 1,
                StallCause::DataHazard { .. } => s.stall_data += 1,
                StallCause::Serialize => s.stall_serialize += 1,
                StallCause::Wfi => s.stall_wfi += 1,
                StallCause::ExBusy { .. } | StallCause::Behind => {}
            }
            None
        };
        if fi.fault.is_none() {
            if serializes(&inst) && (in_ex || in_mem) {
                return stall(self, StallCause::Serialize);
            }
            if inst.op == Op::Wfi && m.mip() & m.hart.mie == 0 {
                if !in_ex && !in_mem {
                    m.hart.pc = fi.tag.pc;
                    if !m.wfi_can_wake() {
                        return None;
                    }
                    let before = m.cycle;
                    m.wfi_fast_forward();
                    // Skipped idle cycles count as wfi stall cycles too.
                    self.stats.stall_wfi += m.cycle - before;
                }
                return stall(self, StallCause::Wfi);
            }
        }
        let early = self.config.branch_resolution == BranchStage::Id
            && inst.is_control()
            && fi.fault.is_none();
        if self.config.hazard_detection && fi.fault.is_none() {
            for reg in sources(&inst).into_iter().flatten() {
                let hit = |p: Option<Producer>| p.filter(|p| p.reg == reg);
                let cause = if let Some(p) = hit(ex_p) {
                    // The producer is in EX now.
                    if self.config.forwarding && !early && !p.is_load {
                        None
                    } else if self.config.forwarding && !early {
                        Some(StallCause::LoadUse {
                            reg,
                            producer_pc: p.pc,
                        })
                    } else {
                        Some(StallCause::DataHazard {
                            reg,
                            producer_pc: p.pc,
                        })
                    }
                } else if let Some(p) = hit(mem_p) {
                    // The producer is in MEM now: forwarding reaches EX next
                    // cycle, and reaches ID now unless it is a load.
                    if self.config.forwarding && (!early || !p.is_load) {
                        None
                    } else {
                        Some(StallCause::DataHazard {
                            reg,
                            producer_pc: p.pc,
                        })
                    }
                } else {
                    None
                };
                if let Some(c) = cause {
                    return stall(self, c);
                }
            }
        }
        let read = |r: u8| m.hart.reg(r);
        let mut out = IdEx {
            tag: fi.tag,
            inst,
            rs1_value: read(inst.rs1),
            rs2_value: read(inst.rs2),
            predicted_next: fi.predicted_next,
            resolved_next: None,
            operands_latched: false,
            fault: fi.fault,
        };
        if out.fault.is_none() {
            out.fault = match inst.op {
                Op::Illegal => Some(Trap::new(Exception::IllegalInstruction, fi.tag.word)),
                Op::Ebreak => Some(Trap::new(Exception::Breakpoint, fi.tag.pc)),
                _ => None,
            };
        }
        self.last.stages[Stage::Id as usize] = StageEvent::Ran(fi.tag);
        if early && out.fault.is_none() {
            let a = self.id_operand(1, inst.rs1, inst.reads_rs1(), out.rs1_value, ex_p, mem_p);
            let b = self.id_operand(2, inst.rs2, inst.reads_rs2(), out.rs2_value, ex_p, mem_p);
            match self.resolve(Stage::Id, fi.tag, &inst, fi.predicted_next, a, b, redirect) {
                Ok(next) => out.resolved_next = Some(next),
                Err(t) => out.fault = Some(t),
            }
            // EX recomputes the link value from these operands.
            out.rs1_value = a;
            out.rs2_value = b;
        }
        Some(out)
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

    /// IF: fetch at the pc and predict the next one.
    fn fetch(&mut self, m: &mut Machine) -> Option<IfId> {
        let pc = self.fetch_pc;
        let seq = self.next_seq;
        self.next_seq += 1;
        let (word, fault) = match m.fetch_word(pc) {
            Ok(w) => (w, None),
            Err(t) => (0, Some(t)),
        };
        let tag = Tag { seq, pc, word };
        let predicted_next = if fault.is_some() {
            pc.wrapping_add(4)
        } else {
            self.predictor.predict(pc, word).next_pc
        };
        self.fetch_pc = predicted_next;
        self.last.stages[Stage::If as usize] = StageEvent::Ran(tag);
        Some(IfId {
            tag,
            predicted_next,
            fault,
        })
    }
}
