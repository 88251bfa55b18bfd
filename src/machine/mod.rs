//! The whole emulated machine as one plain value: hart, memory, devices,
//! counters and run status. `Clone` gives a snapshot; nothing in it refers
//! to the host (no files, no clocks, no threads), so a run is a pure
//! function of the program, the configuration and the console input.

mod atomic;
mod csr;
mod decode_cache;
mod functional;
pub mod hart;
pub mod semihost;
mod syscall;
pub mod trap;
pub mod triggers;

use crate::config::{CoreModel, MachineConfig};
use crate::loader::{Image, MemRegion};
use crate::memory::{AccessKind, Hierarchy};
use crate::pipeline::Pipeline;
use crate::platform::{Bus, RAM_BASE};
use crate::symbols::SymbolTable;
use decode_cache::DecodeCache;
pub(crate) use decode_cache::Table as DecodeTable;
use hart::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, VecDeque};
use std::sync::Arc;
use trap::{Exception, Interrupt, Trap, interrupt_cause};
pub use triggers::{EventHit, EventKind, Triggers, WatchHit, WatchKind};

/// How a run ended for good.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Halt {
    /// The program exited (syscall or HTIF) with this code.
    Exited(i32),
    /// The machine cannot go on: the message says why, for the user.
    Error(String),
}

/// Why `run` returned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StopReason {
    Halted(Halt),
    /// The cycle limit given to `run` was reached.
    CycleLimit,
    /// The guest waits for console input: supply some with `push_input` or
    /// call `close_input`, then run again.
    NeedInput,
    /// The pc reached a breakpoint; the instruction there has not run.
    Breakpoint(u32),
    /// A watchpoint fired (`triggers.rs` says where each core stops).
    Watchpoint(WatchHit),
    /// An armed event happened (trap, interrupt, `ecall`, `tohost`).
    Event(EventHit),
}

impl std::fmt::Display for StopReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StopReason::Halted(Halt::Exited(c)) => write!(f, "exited with code {c}"),
            StopReason::Halted(Halt::Error(e)) => write!(f, "stopped: {e}"),
            StopReason::CycleLimit => f.write_str("paused"),
            StopReason::NeedInput => f.write_str("waiting for console input"),
            StopReason::Breakpoint(pc) => write!(f, "breakpoint at {pc:#010x}"),
            StopReason::Watchpoint(h) => h.fmt(f),
            StopReason::Event(e) => e.fmt(f),
        }
    }
}

/// What the loaded program tells the platform, shared between snapshots.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ProgramInfo {
    pub entry: u32,
    pub symbols: SymbolTable,
    pub tohost: Option<u32>,
    pub fromhost: Option<u32>,
    /// Executable regions, for disassembly views.
    pub code: Vec<(u32, u32)>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Machine {
    pub config: MachineConfig,
    pub hart: Hart,
    pub bus: Bus,
    /// Completed cycles since reset (drives `mtime`).
    pub cycle: u64,
    /// Instructions retired since reset.
    pub instret: u64,
    pub halt: Option<Halt>,
    pub program: Arc<ProgramInfo>,
    pub breakpoints: BTreeSet<u32>,
    /// Watchpoints and event stops (`triggers.rs`); set with
    /// `set_triggers`.
    triggers: Triggers,
    /// Some watchpoint is armed: the one flag loads and stores test.
    watching: bool,
    /// Stops found and not yet reported by `run`, oldest first.
    #[serde(skip)]
    stops: VecDeque<StopReason>,
    /// Interrupts come from outside (the co-simulation checker injects
    /// them where the pipeline took them) and are never taken on their own.
    pub external_interrupts: bool,
    /// The five-stage pipeline's own state, when that core is configured.
    pub pipeline: Option<Box<Pipeline>>,
    /// The caches, when configured (timing cores only: the functional core
    /// has no notion of time, so it reads memory directly).
    pub memory: Option<Box<Hierarchy>>,
    /// Stall cycles the last cache access cost, for the core to charge to
    /// the stage that made it.
    #[serde(skip)]
    pub(crate) pending_stall: u64,
    /// The program break for the `brk` syscall.
    brk: u32,
    /// The `lr.w` reservation: the word address it holds, if any.
    #[serde(default)]
    pub reservation: Option<u32>,
    /// Traps (exceptions and interrupts) entered since reset, and the
    /// cycle of the last one: the debugger's timeline marks them.
    #[serde(default)]
    pub traps: u64,
    #[serde(default)]
    pub last_trap_cycle: u64,
    /// Semihosting's open handles, errno and notes.
    #[serde(default)]
    pub semihost: semihost::Semihost,
    /// A syscall is blocked on console input; the run loop reports it.
    #[serde(skip)]
    pub(crate) waiting_for_input: bool,
    /// The last data store (address, width, value), for the co-simulation
    /// checker.
    #[serde(skip)]
    pub last_store: Option<(u32, u32, u32)>,
    /// The current instruction did not execute (input wait, wfi sleep)
    /// and must run again.
    #[serde(skip)]
    stalled: bool,
    /// The cycle at which the current `run` must stop (bounds `wfi` sleep).
    #[serde(skip)]
    pub(crate) run_limit: u64,
    /// Set by anything that may change interrupt or run state, so the run
    /// loop re-examines it; cleared by the loop. A loaded machine starts
    /// with it set, like a new one.
    #[serde(skip, default = "always")]
    events: bool,
    #[serde(skip)]
    decode_cache: DecodeCache,
}

impl Machine {
    /// A machine with empty RAM and pc at the start of RAM.
    pub fn new(config: MachineConfig) -> Result<Machine, crate::config::ConfigError> {
        config.validate()?;
        let bus = Bus::new(config.ram_size, &config.devices);
        let pipeline = (config.core.model == CoreModel::FiveStage)
            .then(|| Box::new(Pipeline::new(&config.core, RAM_BASE)));
        let memory = if config.memory.has_caches() && config.core.model != CoreModel::Functional {
            // Validated above, so this cannot fail.
            Hierarchy::new(&config.memory).ok().map(Box::new)
        } else {
            None
        };
        // Top of RAM (sizes are multiples of 4 KiB, so it is aligned). A
        // 2 GiB RAM ends at 4 GiB, where sp wraps to 0 and the first push
        // lands at the top of RAM, as on hardware.
        let sp = RAM_BASE.wrapping_add(config.ram_size);
        Ok(Machine {
            config,
            hart: Hart::new(RAM_BASE, sp),
            bus,
            cycle: 0,
            instret: 0,
            halt: None,
            program: Arc::default(),
            breakpoints: BTreeSet::new(),
            triggers: Triggers::default(),
            watching: false,
            stops: VecDeque::new(),
            external_interrupts: false,
            pipeline,
            memory,
            pending_stall: 0,
            brk: RAM_BASE,
            reservation: None,
            traps: 0,
            last_trap_cycle: 0,
            semihost: semihost::Semihost::default(),
            waiting_for_input: false,
            stalled: false,
            last_store: None,
            run_limit: 0,
            events: true,
            decode_cache: DecodeCache::default(),
        })
    }

    /// Builds a machine and loads `image` into it, ready at its entry point.
    pub fn with_image(
        config: MachineConfig,
        image: &Image,
    ) -> Result<Machine, crate::config::ConfigError> {
        let mut m = Machine::new(config)?;
        m.load(image);
        Ok(m)
    }

    /// The RAM region, for the loader.
    pub fn ram_region(&self) -> MemRegion {
        MemRegion {
            base: self.bus.ram.base(),
            size: self.bus.ram.size(),
        }
    }

    /// Copies an image (validated by the loader against `ram_region`) into
    /// RAM and points the hart at its entry.
    pub fn load(&mut self, image: &Image) {
        let mut end = RAM_BASE;
        for seg in &image.segments {
            // The loader guarantees segments lie inside RAM; .bss is zeroed
            // here because the machine may have run something before.
            let mut bytes = seg.data.clone();
            bytes.resize(seg.mem_size as usize, 0);
            self.bus.ram.write_bytes(seg.addr, &bytes);
            end = end.max(seg.addr.saturating_add(seg.mem_size));
        }
        self.brk = end.checked_add(15).map_or(end, |e| e & !15);
        self.hart.pc = image.entry;
        if let Some(p) = &mut self.pipeline {
            p.fetch_pc = image.entry;
        }
        self.program = Arc::new(ProgramInfo {
            entry: image.entry,
            symbols: image.symbols.clone(),
            tohost: image.tohost(),
            fromhost: image.fromhost(),
            code: image.code.clone(),
        });
    }

    /// An objdump-style listing of the program's executable regions.
    pub fn listing(&self) -> String {
        let regions: Vec<(u32, &[u8])> = self
            .program
            .code
            .iter()
            .filter_map(|&(addr, len)| Some((addr, self.bus.ram.slice(addr, len)?)))
            .collect();
        crate::disasm::listing(&regions, &self.program.symbols)
    }

    pub fn symbols(&self) -> &SymbolTable {
        &self.program.symbols
    }

    /// Queues console input for the guest.
    pub fn push_input(&mut self, bytes: &[u8]) {
        self.bus.uart.input.extend(bytes);
        // The UART's receive interrupt may rise.
        self.events = true;
    }

    /// Marks console input as ended: reads return end-of-file.
    pub fn close_input(&mut self) {
        self.bus.uart.input_closed = true;
    }

    /// Takes the console output produced since the last call.
    pub fn take_output(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.bus.uart.output)
    }

    /// Side-effect-free memory read for debuggers: what the CPU sees
    /// (cached copies included), no state changes anywhere.
    pub fn peek(&self, addr: u32, width: u32) -> Option<u32> {
        if self.memory.is_some() && self.bus.ram.offset(addr, width).is_some() {
            let b = self.guest_bytes(addr, width)?;
            let mut w = [0u8; 4];
            w[..width as usize].copy_from_slice(&b);
            return Some(u32::from_le_bytes(w));
        }
        self.bus.peek(addr, width, self.cycle)
    }

    /// The instruction bits at `pc` as a fetch would read them, without its
    /// side effects (for views and reports): the low 16 bits for a
    /// compressed instruction, which needs only its own two bytes (so one
    /// in the last two bytes of RAM shows), all 32 otherwise.
    pub fn peek_inst(&self, pc: u32) -> Option<u32> {
        let lo = self.peek(pc, 2)?;
        if crate::isa::inst_len(lo) == 2 {
            return Some(lo);
        }
        Some(lo | self.peek(pc.wrapping_add(2), 2)? << 16)
    }

    /// What RAM itself holds (under write-back caches it may be stale).
    pub fn peek_ram(&self, addr: u32, width: u32) -> Option<u32> {
        self.bus.peek(addr, width, self.cycle)
    }

    /// Debugger write to memory or a device register, without device
    /// actions; cached copies are kept coherent.
    pub fn poke(&mut self, addr: u32, width: u32, value: u32) -> bool {
        self.events = true;
        if self.bus.ram.offset(addr, width).is_some() {
            self.set_guest_bytes(addr, &value.to_le_bytes()[..width as usize]);
            return true;
        }
        self.bus.poke(addr, width, value, self.cycle)
    }

    /// The stall cycles of the last cache accesses, for the core to charge.
    #[inline(always)]
    pub(crate) fn take_stall(&mut self) -> u64 {
        std::mem::take(&mut self.pending_stall)
    }

    /// A CPU access to RAM through the caches.
    #[inline(never)]
    fn cached_access(&mut self, addr: u32, width: u32, kind: AccessKind, value: u32) -> u32 {
        let now = self.cycle;
        let Some(h) = self.memory.as_deref_mut() else {
            return 0;
        };
        let (v, stall) = h.access(&mut self.bus.ram, addr, width, kind, value, now);
        self.pending_stall += stall;
        v
    }

    /// `fence.i` with caches: returns the cycles its write-backs cost.
    pub(crate) fn fence_i_caches(&mut self) -> u64 {
        match self.memory.as_deref_mut() {
            Some(h) => h.fence_i(&mut self.bus.ram),
            None => 0,
        }
    }

    /// Interrupt that would be taken now, if any (highest priority first).
    pub(crate) fn pending_interrupt(&self) -> Option<Interrupt> {
        if !self.hart.interrupts_enabled() || self.external_interrupts {
            return None;
        }
        let pending = self.mip() & self.hart.mie;
        // The privileged specification's order: external, software, timer.
        if pending & MIP_MEIP != 0 {
            Some(Interrupt::MachineExternal)
        } else if pending & MIP_MSIP != 0 {
            Some(Interrupt::MachineSoftware)
        } else if pending & MIP_MTIP != 0 {
            Some(Interrupt::MachineTimer)
        } else {
            None
        }
    }

    /// Enters the trap handler: the common part of exceptions and interrupts.
    /// Without a handler (`mtvec` = 0) the machine halts with a message
    /// instead of jumping to address 0, and pc stays on the culprit.
    fn enter_trap(&mut self, cause: u32, tval: u32, epc: u32, what: &str) {
        // A trap ends any `lr.w`/`sc.w` sequence.
        self.reservation = None;
        let h = &mut self.hart;
        h.mepc = epc;
        h.mcause = cause;
        h.mtval = tval;
        let mie = h.mstatus & MSTATUS_MIE != 0;
        h.mstatus =
            (h.mstatus & !(MSTATUS_MIE | MSTATUS_MPIE)) | if mie { MSTATUS_MPIE } else { 0 };
        self.events = true;
        self.traps += 1;
        self.last_trap_cycle = self.cycle;
        if self.triggers.events.any() {
            self.note_trap(cause, tval, epc);
        }
        let h = &mut self.hart;
        if h.mtvec == 0 {
            h.pc = epc;
            let hint = if cause == Exception::IllegalInstruction as u32 {
                trap::missing_extension_hint(tval)
            } else {
                String::new()
            };
            self.halt = Some(Halt::Error(format!(
                "{what} at pc {epc:#010x} (mtval {tval:#x}), and no trap handler is installed (mtvec = 0){hint}"
            )));
            return;
        }
        let base = h.mtvec & !3;
        let vectored = h.mtvec & 3 == 1 && cause & 0x8000_0000 != 0;
        h.pc = if vectored {
            base.wrapping_add(4 * (cause & 0x7fff_ffff))
        } else {
            base
        };
    }

    /// Takes a synchronous exception raised by the instruction at `pc`.
    pub fn take_exception(&mut self, trap: Trap, pc: u32) {
        self.enter_trap(trap.cause as u32, trap.tval, pc, trap.cause.describe());
    }

    /// Takes an interrupt before the instruction at the current pc.
    pub fn take_interrupt(&mut self, i: Interrupt) {
        let pc = self.hart.pc;
        self.enter_trap(interrupt_cause(i), 0, pc, i.describe());
    }

    /// `mret`: back to `mepc`, restoring MIE from MPIE.
    pub fn exec_mret(&mut self) -> u32 {
        let h = &mut self.hart;
        let mpie = h.mstatus & MSTATUS_MPIE != 0;
        h.mstatus = (h.mstatus & !MSTATUS_MIE) | MSTATUS_MPIE | if mpie { MSTATUS_MIE } else { 0 };
        self.events = true;
        h.mepc
    }

    /// The cycle at which the machine next needs attention for an
    /// interrupt that time alone raises: the timer, or a device line that
    /// rises with time (vsync). Earlier is harmless (the run loops only
    /// look again), later would take an interrupt late.
    fn timer_deadline(&self) -> u64 {
        self.bus
            .clint
            .timer_deadline(self.cycle)
            .min(self.bus.device_deadline(self.cycle))
    }

    /// The devices (display, keyboard, GPIO, PLIC), for hosts to read.
    pub fn devices(&self) -> &crate::platform::Devices {
        &self.bus.devices
    }

    /// A key pressed or released on the host (HID code, see
    /// `platform::keys`). Hosts with a timeline go through
    /// `Timeline::key`, which journals it.
    pub fn key(&mut self, code: u16, pressed: bool) {
        self.bus.devices.keyboard.key(code, pressed);
        self.events = true;
    }

    /// Sets the buttons (bit i = button i, see `platform::gpio`).
    pub fn set_buttons(&mut self, bits: u8) {
        self.bus.devices.gpio.set_buttons(bits);
        self.events = true;
    }

    /// Sets the 16 switches.
    pub fn set_switches(&mut self, bits: u16) {
        self.bus.devices.gpio.set_switches(bits);
        self.events = true;
    }

    /// Decodes through the decode cache.
    #[inline(always)]
    pub(crate) fn decode_cached(&mut self, pc: u32, word: u32) -> crate::isa::Inst {
        self.decode_cache.get(pc, word)
    }

    /// The decode cache's table, taken out for a hot loop (the fast
    /// path); `put_decode_table` gives it back.
    pub(crate) fn take_decode_table(&mut self) -> DecodeTable {
        self.decode_cache.take()
    }

    pub(crate) fn put_decode_table(&mut self, table: DecodeTable) {
        self.decode_cache.put(table);
    }

    /// An instruction fetch on the timing path: RAM only (MMIO holds no
    /// code), at any 2-byte boundary. Returns the instruction's bits (the
    /// low 16 for a compressed one, see `isa::inst_bits`), or an access
    /// fault whose `mtval` is the address of the parcel outside RAM (`pc`,
    /// or `pc + 2` for a 32-bit instruction whose second half is). With
    /// caches the stall cycles go to `pending_stall`.
    #[inline(always)]
    pub(crate) fn fetch_inst(&mut self, pc: u32) -> Result<u32, Trap> {
        if self.memory.is_some() {
            return self.fetch_cached_inst(pc);
        }
        self.fetch_ram(pc)
    }

    /// An instruction fetch straight from RAM (no caches).
    #[inline(always)]
    pub(crate) fn fetch_ram(&self, pc: u32) -> Result<u32, Trap> {
        match self.bus.ram.fetch(pc) {
            Some(w) => Ok(crate::isa::inst_bits(w)),
            None => self.fetch_ram_edge(pc),
        }
    }

    /// A fetch whose four bytes are not all in RAM: a compressed
    /// instruction in the last two bytes of RAM is fine.
    #[cold]
    fn fetch_ram_edge(&self, pc: u32) -> Result<u32, Trap> {
        if self.bus.ram.offset(pc, 2).is_none() {
            return Err(Trap::new(Exception::InstructionAccessFault, pc));
        }
        let parcel = self.bus.ram.read(pc, 2);
        if crate::isa::inst_len(parcel) == 2 {
            return Ok(parcel);
        }
        Err(Trap::new(
            Exception::InstructionAccessFault,
            pc.wrapping_add(2),
        ))
    }

    /// A fetch through the instruction cache (`Hierarchy::fetch`).
    #[inline(never)]
    fn fetch_cached_inst(&mut self, pc: u32) -> Result<u32, Trap> {
        if self.bus.ram.offset(pc, 2).is_none() {
            return Err(Trap::new(Exception::InstructionAccessFault, pc));
        }
        let now = self.cycle;
        let Some(h) = self.memory.as_deref_mut() else {
            return self.fetch_ram(pc);
        };
        let (bits, stall) = h.fetch(&mut self.bus.ram, pc, now);
        self.pending_stall += stall;
        bits.ok_or(Trap::new(
            Exception::InstructionAccessFault,
            pc.wrapping_add(2),
        ))
    }

    /// Runs until the program halts, needs input, hits a breakpoint, or
    /// `max_cycles` more cycles have passed, on the configured core. A
    /// breakpoint stops the functional core before the instruction runs,
    /// and the pipeline when the instruction is next to be fetched; one at
    /// the starting point does not stop the run.
    pub fn run(&mut self, max_cycles: u64) -> StopReason {
        match self.pipeline.take() {
            None => self.run_functional(max_cycles),
            Some(mut p) => {
                let stop = p.run(self, max_cycles);
                self.pipeline = Some(p);
                stop
            }
        }
    }

    /// One step: one cycle (one instruction on the functional and
    /// single-cycle cores).
    pub fn step(&mut self) -> StopReason {
        self.run(1)
    }

    /// Runs until one more instruction retires (or the run stops for
    /// another reason, or `max_cycles` pass).
    pub fn step_instruction(&mut self, max_cycles: u64) -> StopReason {
        let target = self.instret + 1;
        let limit = self.cycle.saturating_add(max_cycles);
        loop {
            let stop = self.run(1);
            if self.instret >= target || stop != StopReason::CycleLimit || self.cycle >= limit {
                return stop;
            }
        }
    }
}

/// Exceptions raised by memory accesses on the functional path.
pub(crate) fn misaligned(load: bool, addr: u32) -> Trap {
    let cause = if load {
        Exception::LoadMisaligned
    } else {
        Exception::StoreMisaligned
    };
    Trap::new(cause, addr)
}

fn always() -> bool {
    true
}

/// The debugger's triggers, taken out of a machine (`take_armed`).
pub(crate) struct Armed {
    breakpoints: BTreeSet<u32>,
    triggers: Triggers,
}

/// What the debugger's timeline (`debug::timeline`) needs of a machine:
/// cheap copies without RAM's bytes, restoring from them, and a digest of
/// everything observable.
impl Machine {
    /// A copy of everything but RAM's bytes, host-side caches (decode
    /// cache, fast-path scratch, chart history) and debugger triggers
    /// (breakpoints): what a snapshot keeps besides RAM pages.
    pub(crate) fn clone_without_ram(&mut self) -> Machine {
        let bytes = self.bus.ram.take_bytes();
        let decode = std::mem::take(&mut self.decode_cache);
        let armed = self.take_armed();
        let host = self.pipeline.as_mut().map(|p| p.take_host_state());
        let copy = self.clone();
        self.bus.ram.put_bytes(bytes);
        self.decode_cache = decode;
        self.put_armed(armed);
        if let (Some(p), Some(h)) = (self.pipeline.as_mut(), host) {
            p.put_host_state(h);
        }
        copy
    }

    /// Becomes `snap` (a `clone_without_ram`), keeping this machine's RAM
    /// (the caller restores its pages), host-side caches, debugger
    /// triggers and chart-history setting. Stops found and not yet
    /// reported belong to the state left, and go.
    pub(crate) fn restore_from(&mut self, snap: &Machine) {
        let ram = std::mem::replace(&mut self.bus.ram, crate::platform::Ram::new(0, 0));
        let decode = std::mem::take(&mut self.decode_cache);
        let armed = self.take_armed();
        let host = self.pipeline.as_mut().map(|p| p.take_host_state());
        *self = snap.clone();
        self.bus.ram = ram;
        self.decode_cache = decode;
        self.put_armed(armed);
        if let (Some(p), Some(h)) = (self.pipeline.as_mut(), host) {
            p.put_host_state(h);
        }
    }

    /// Checks what a loaded (deserialized) machine's parts must agree on,
    /// so that running it cannot fail on an inconsistency: the cores and
    /// caches present are the configured ones, RAM is where the map says.
    pub fn check_loaded(&self) -> Result<(), String> {
        let five = self.config.core.model == CoreModel::FiveStage;
        if self.pipeline.is_some() != five {
            return Err("the pipeline state does not match the configured core".into());
        }
        if let Some(p) = &self.pipeline
            && p.config != self.config.core
        {
            return Err("the pipeline's configuration differs from the machine's".into());
        }
        let caches =
            self.config.memory.has_caches() && self.config.core.model != CoreModel::Functional;
        if self.memory.is_some() != caches {
            return Err("the cache state does not match the configured memory".into());
        }
        if let Some(h) = &self.memory
            && h.config != self.config.memory
        {
            return Err("the caches' configuration differs from the machine's".into());
        }
        if self.bus.ram.base() != RAM_BASE || self.bus.ram.size() != self.config.ram_size {
            return Err("RAM does not match the configuration".into());
        }
        let d = &self.bus.devices.display;
        let c = &self.config.devices;
        if let Err((field, rule)) = c.check() {
            return Err(format!("the configuration's {field} {rule}"));
        }
        if (d.width(), d.height(), d.frame_cycles())
            != (c.display_width, c.display_height, c.frame_cycles)
            || d.bytes().len() as u64 != c.display_width as u64 * c.display_height as u64 * 4
        {
            return Err("the display does not match the configuration".into());
        }
        Ok(())
    }

    /// Takes the debugger's triggers out (breakpoints, watchpoints, event
    /// stops) with the stops not yet reported: the machine then runs
    /// unwatched, fast path included.
    pub(crate) fn take_armed(&mut self) -> Armed {
        let breakpoints = std::mem::take(&mut self.breakpoints);
        let triggers = std::mem::take(&mut self.triggers);
        self.watching = false;
        self.stops.clear();
        Armed {
            breakpoints,
            triggers,
        }
    }

    pub(crate) fn put_armed(&mut self, a: Armed) {
        self.breakpoints = a.breakpoints;
        self.set_triggers(a.triggers);
    }

    /// Writes everything observable except RAM's bytes and debugger
    /// triggers, in a fixed binary layout: hart, devices, counters, run
    /// state, pipeline registers and last cycle record, predictor, caches
    /// with replacement state, statistics.
    pub(crate) fn write_observable(&self, mut w: &mut dyn std::io::Write) -> bincode::Result<()> {
        #[derive(Serialize)]
        struct View<'a> {
            config: &'a MachineConfig,
            hart: &'a Hart,
            ram: (u32, u32),
            uart: &'a crate::platform::Uart,
            clint: &'a crate::platform::Clint,
            devices: &'a crate::platform::Devices,
            cycle: u64,
            instret: u64,
            halt: &'a Option<Halt>,
            program: &'a ProgramInfo,
            external_interrupts: bool,
            memory: &'a Option<Box<Hierarchy>>,
            brk: u32,
            traps: u64,
            last_trap_cycle: u64,
            semihost: &'a semihost::Semihost,
        }
        bincode::serialize_into(
            &mut w,
            &View {
                config: &self.config,
                hart: &self.hart,
                ram: (self.bus.ram.base(), self.bus.ram.size()),
                uart: &self.bus.uart,
                clint: &self.bus.clint,
                devices: &self.bus.devices,
                cycle: self.cycle,
                instret: self.instret,
                halt: &self.halt,
                program: &self.program,
                external_interrupts: self.external_interrupts,
                memory: &self.memory,
                brk: self.brk,
                traps: self.traps,
                last_trap_cycle: self.last_trap_cycle,
                semihost: &self.semihost,
            },
        )?;
        bincode::serialize_into(w, &self.pipeline.as_deref().map(|p| p.observable()))
    }
}
