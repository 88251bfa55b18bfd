//! Lockstep co-simulation: the functional core runs beside a timing core
//! and every retired instruction's architectural effects are compared — pc,
//! register file, memory write, CSRs, traps, console output. The first
//! difference stops the run with a report naming the cycle, the instruction
//! and both states.
//!
//! Two things legitimately differ between the models and are carried over
//! from the timing core instead of compared: values that depend on time
//! (`cycle`, `time`, `mcycle`, their high halves, `mip`, and loads from the
//! CLINT), and the instruction boundary at which an interrupt is taken (the
//! reference never takes one by itself; it takes the same interrupt at the
//! same boundary).

use crate::disasm::disasm;
use crate::isa::csr::*;
use crate::isa::{InstClass, decode};
use crate::machine::{Halt, Machine, StopReason};
use crate::platform::{CLINT_BASE, CLINT_SIZE};
use std::fmt;

/// The architectural state the checker compares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchState {
    pub pc: u32,
    pub x: [u32; 32],
    pub csrs: Vec<(&'static str, u32)>,
    pub instret: u64,
    pub halt: Option<Halt>,
}

impl ArchState {
    fn of(m: &Machine) -> ArchState {
        let csrs = COMPARED_CSRS
            .iter()
            .map(|&n| (csr_name(n), m.csr_read(n).unwrap_or(0)))
            .collect();
        ArchState {
            pc: m.hart.pc,
            x: m.hart.x,
            csrs,
            instret: m.instret,
            halt: m.halt.clone(),
        }
    }
}

impl fmt::Display for ArchState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "    pc       {:#010x}   instret {}",
            self.pc, self.instret
        )?;
        for row in 0..8 {
            write!(f, "   ")?;
            for col in 0..4 {
                let r = row * 4 + col;
                let name = crate::isa::reg::abi_name(r as u8);
                write!(f, " {:>4}={:08x}", name, self.x[r])?;
            }
            writeln!(f)?;
        }
        write!(f, "   ")?;
        for (name, v) in &self.csrs {
            write!(f, " {name}={v:#x}")?;
        }
        writeln!(f)?;
        if let Some(h) = &self.halt {
            writeln!(f, "    halted: {h:?}")?;
        }
        Ok(())
    }
}

/// CSRs whose values do not depend on timing.
const COMPARED_CSRS: [u16; 7] = [MSTATUS, MIE, MTVEC, MSCRATCH, MEPC, MCAUSE, MTVAL];

fn csr_name(csr: u16) -> &'static str {
    crate::isa::csr::name(csr).unwrap_or("?")
}

/// CSRs whose value depends on when they are read.
fn timing_dependent_csr(csr: u16) -> bool {
    matches!(csr, CYCLE | CYCLEH | MCYCLE | MCYCLEH | TIME | TIMEH | MIP)
}

/// The first difference between the timing core and the reference.
#[derive(Clone, Debug)]
pub struct Divergence {
    /// The cycle in which it showed (cycles completed before it).
    pub cycle: u64,
    pub pc: u32,
    pub word: u32,
    pub instruction: String,
    pub what: String,
    pub timing_core: ArchState,
    pub reference: ArchState,
}

impl fmt::Display for Divergence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "co-simulation divergence in cycle {} (after {} retired)",
            self.cycle + 1,
            crate::pipeline::view::plural(self.reference.instret, "instruction")
        )?;
        writeln!(
            f,
            "  instruction: {:08x}: {:08x}  {}",
            self.pc, self.word, self.instruction
        )?;
        writeln!(f, "  {}", self.what)?;
        writeln!(f, "  timing core:")?;
        write!(f, "{}", self.timing_core)?;
        writeln!(f, "  reference (functional core):")?;
        write!(f, "{}", self.reference)
    }
}

/// A timing core and its functional reference, run in lockstep.
pub struct Cosim {
    pub dut: Machine,
    pub reference: Machine,
    /// Console output already taken from the timing core.
    dut_log: Vec<u8>,
    /// Bytes of the reference's output already compared.
    ref_checked: usize,
    /// An interrupt the timing core took while an older instruction was
    /// still to retire: the reference takes it once it reaches `mepc`.
    pending_interrupt: Option<crate::machine::trap::Interrupt>,
}

impl Cosim {
    /// Pairs a freshly loaded machine that has a pipeline with a functional
    /// copy of itself.
    pub fn new(dut: Machine) -> Result<Cosim, String> {
        if dut.pipeline.is_none() {
            return Err(
                "co-simulation needs a timing core (five-stage); this configuration runs \
                 the functional core, which is the reference itself"
                    .into(),
            );
        }
        let mut reference = dut.clone();
        reference.pipeline = None;
        reference.config.core.model = crate::config::CoreModel::Functional;
        reference.external_interrupts = true;
        Ok(Cosim {
            dut,
            reference,
            dut_log: Vec::new(),
            ref_checked: 0,
            pending_interrupt: None,
        })
    }

    pub fn push_input(&mut self, bytes: &[u8]) {
        self.dut.push_input(bytes);
        self.reference.push_input(bytes);
    }

    pub fn close_input(&mut self) {
        self.dut.close_input();
        self.reference.close_input();
    }

    /// The timing core's console output since the last call (it has been
    /// checked against the reference's).
    pub fn take_output(&mut self) -> Vec<u8> {
        let out = self.dut.take_output();
        self.dut_log.extend_from_slice(&out);
        out
    }

    fn diverge(&self, pc: u32, word: u32, what: String) -> Box<Divergence> {
        Box::new(Divergence {
            cycle: self.dut.cycle.saturating_sub(1),
            pc,
            word,
            instruction: disasm(word, pc, self.dut.symbols()),
            what,
            timing_core: ArchState::of(&self.dut),
            reference: ArchState::of(&self.reference),
        })
    }

    /// Runs the timing core for up to `max_cycles` cycles, checking every
    /// retirement, trap and interrupt.
    pub fn run(&mut self, max_cycles: u64) -> Result<StopReason, Box<Divergence>> {
        let limit = self.dut.cycle.saturating_add(max_cycles);
        loop {
            if self.dut.cycle >= limit {
                return Ok(StopReason::CycleLimit);
            }
            let stop = self.dut.step();
            self.check_cycle()?;
            match stop {
                StopReason::CycleLimit => {}
                other => return Ok(other),
            }
        }
    }

    /// Compares what the timing core did in its last cycle.
    fn check_cycle(&mut self) -> Result<(), Box<Divergence>> {
        let Some(p) = self.dut.pipeline.as_deref() else {
            return Ok(());
        };
        let rec = p.last();
        let wb = p.last_retired().filter(|_| rec.retired.is_some());
        let mut at = None;
        if rec.retired.is_some() || rec.trap.is_some() {
            let (pc, word) = match (rec.retired, rec.trap) {
                (Some(t), _) => (t.pc, t.word),
                (None, Some((pc, _))) => (pc, self.reference.peek_inst(pc).unwrap_or(0)),
                _ => unreachable!(),
            };
            if self.reference.hart.pc != pc {
                return Err(self.diverge(
                    pc,
                    word,
                    format!(
                        "the timing core completed the instruction at {pc:#010x}, but the \
                         reference is at {:#010x}",
                        self.reference.hart.pc
                    ),
                ));
            }
            self.reference.last_store = None;
            if !self.reference.exec_exactly_one() {
                return Err(self.diverge(pc, word, "the reference waited for input".into()));
            }
            if let Some(wb) = wb {
                self.carry_timing_values(&wb);
                self.compare_store(&wb)?;
            }
            at = Some((pc, word));
        }
        if let Some(i) = rec.interrupt {
            self.pending_interrupt = Some(i);
        }
        if let Some(i) = self.pending_interrupt {
            let epc = self.dut.hart.mepc;
            if self.reference.hart.pc != epc {
                // An older instruction has yet to retire; compare after it.
                return Ok(());
            }
            self.reference.take_interrupt(i);
            self.pending_interrupt = None;
            at = at.or(Some((epc, self.reference.peek_inst(epc).unwrap_or(0))));
        }
        match at {
            Some((pc, word)) => self.compare_state(pc, word),
            None => Ok(()),
        }
    }

    /// Gives the reference the timing core's value for reads whose result
    /// depends on time.
    fn carry_timing_values(&mut self, wb: &crate::pipeline::latch::Slot) {
        let inst = decode(wb.tag.word);
        let timed = match inst.class() {
            InstClass::Csr => timing_dependent_csr((inst.imm as u32 & 0xfff) as u16),
            InstClass::Load => wb.mem_addr().wrapping_sub(CLINT_BASE) < CLINT_SIZE,
            _ => false,
        };
        if timed && let Some(rd) = inst.dest() {
            self.reference.hart.set_reg(rd, wb.wb_value);
        }
    }

    fn compare_store(&self, wb: &crate::pipeline::latch::Slot) -> Result<(), Box<Divergence>> {
        let inst = decode(wb.tag.word);
        if !inst.is_store() || wb.fault.is_some() {
            return Ok(());
        }
        let width = crate::isa::exec::mem_width(inst.op);
        let mask = if width == 4 {
            u32::MAX
        } else {
            (1 << (8 * width)) - 1
        };
        let dut = (wb.mem_addr(), width, wb.store_data & mask);
        let reference = self.reference.last_store.map(|(a, w, v)| (a, w, v & mask));
        if reference != Some(dut) {
            return Err(self.diverge(
                wb.tag.pc,
                wb.tag.word,
                format!(
                    "memory write: timing core stored {:#x} ({}) at {:#010x}, reference {}",
                    dut.2,
                    crate::pipeline::view::plural(dut.1 as u64, "byte"),
                    dut.0,
                    match reference {
                        Some((a, w, v)) => format!(
                            "stored {v:#x} ({}) at {a:#010x}",
                            crate::pipeline::view::plural(w as u64, "byte")
                        ),
                        None => "stored nothing".into(),
                    }
                ),
            ));
        }
        Ok(())
    }

    /// Checks what the reference printed since the last check against the
    /// timing core's output at the same offset. The timing core may be
    /// ahead (a younger store prints in MEM), never behind.
    fn new_output_differs(&mut self) -> Option<String> {
        let r = &self.reference.bus.uart.output;
        if r.len() == self.ref_checked {
            return None;
        }
        let start = self.ref_checked;
        self.ref_checked = r.len();
        let d: Vec<u8> = self
            .dut_log
            .iter()
            .chain(&self.dut.bus.uart.output)
            .skip(start)
            .take(r.len() - start)
            .copied()
            .collect();
        (d[..] != r[start..]).then(|| {
            format!(
                "console output: timing core printed {:?}, reference {:?}",
                String::from_utf8_lossy(&d),
                String::from_utf8_lossy(&r[start..])
            )
        })
    }

    fn compare_state(&mut self, pc: u32, word: u32) -> Result<(), Box<Divergence>> {
        let (d, r) = (&self.dut, &self.reference);
        let what = if d.hart.pc != r.hart.pc {
            Some(format!(
                "next pc: timing core {:#010x}, reference {:#010x}",
                d.hart.pc, r.hart.pc
            ))
        } else if let Some(i) = (1..32).find(|&i| d.hart.x[i] != r.hart.x[i]) {
            Some(format!(
                "register {} (x{i}): timing core {:#010x}, reference {:#010x}",
                crate::isa::reg::abi_name(i as u8),
                d.hart.x[i],
                r.hart.x[i]
            ))
        } else if let Some(&n) = COMPARED_CSRS
            .iter()
            .find(|&&n| d.csr_read(n) != r.csr_read(n))
        {
            Some(format!(
                "CSR {}: timing core {:#x}, reference {:#x}",
                csr_name(n),
                d.csr_read(n).unwrap_or(0),
                r.csr_read(n).unwrap_or(0)
            ))
        } else if d.instret != r.instret {
            Some(format!(
                "instructions retired: timing core {}, reference {}",
                d.instret, r.instret
            ))
        } else if d.halt != r.halt {
            Some(format!(
                "run status: timing core {:?}, reference {:?}",
                d.halt, r.halt
            ))
        } else {
            self.new_output_differs()
        };
        match what {
            Some(w) => Err(self.diverge(pc, word, w)),
            None => Ok(()),
        }
    }
}
