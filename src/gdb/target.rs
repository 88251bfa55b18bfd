//! The `gdbstub` target: registers, memory, breakpoints, resume actions
//! and `monitor` commands, all passed on to `Control`.

use super::arch::{CoreRegs, GlassboxRv32, Reg};
use super::control::{Control, Stop};
use super::monitor;
use crate::machine::WatchKind as MachineWatch;
use gdbstub::common::Signal;
use gdbstub::target::ext::base::BaseOps;
use gdbstub::target::ext::base::reverse_exec::{
    ReverseCont, ReverseContOps, ReverseStep, ReverseStepOps,
};
use gdbstub::target::ext::base::single_register_access::{
    SingleRegisterAccess, SingleRegisterAccessOps,
};
use gdbstub::target::ext::base::singlethread::{
    SingleThreadBase, SingleThreadResume, SingleThreadResumeOps, SingleThreadSingleStep,
    SingleThreadSingleStepOps,
};
use gdbstub::target::ext::breakpoints::{
    Breakpoints, BreakpointsOps, HwBreakpoint, HwBreakpointOps, HwWatchpoint, HwWatchpointOps,
    SwBreakpoint, SwBreakpointOps, WatchKind,
};
use gdbstub::target::ext::monitor_cmd::{ConsoleOutput, MonitorCmd, MonitorCmdOps};
use gdbstub::target::{Target, TargetError, TargetResult};
use std::io::Write;

/// What the stub reports for a stop.
pub type StopReason = gdbstub::stub::SingleThreadStopReason<u32>;

/// What GDB asked the machine to do when it resumed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Continue,
    Step,
    ReverseStep,
    ReverseContinue,
}

/// Cycles run between two looks at the connection (for Ctrl-C).
pub const BULK_CYCLES: u64 = 1 << 16;

pub struct GdbTarget {
    pub ctl: Control,
    action: Action,
    /// The machine is running for GDB (so a disconnect is mid-run).
    pub running: bool,
    /// No bulk of the current resume has run yet.
    fresh: bool,
    /// Where the guest's console output goes (stdout belongs to GDB).
    console: Box<dyn Write + Send>,
    /// Messages for the user (machine errors), on stderr.
    diag: Box<dyn Write + Send>,
}

impl GdbTarget {
    pub fn new(
        ctl: Control,
        console: Box<dyn Write + Send>,
        diag: Box<dyn Write + Send>,
    ) -> GdbTarget {
        GdbTarget {
            ctl,
            action: Action::Continue,
            running: false,
            fresh: false,
            console,
            diag,
        }
    }

    /// Does a bulk of the pending action; `None` while it goes on.
    pub fn run_bulk(&mut self) -> Option<StopReason> {
        let stop = match self.action {
            Action::Continue => self
                .ctl
                .resume(BULK_CYCLES, std::mem::take(&mut self.fresh)),
            Action::Step => Some(self.ctl.step_instruction()),
            Action::ReverseStep => Some(self.ctl.reverse_step_instruction()),
            Action::ReverseContinue => Some(self.ctl.reverse_continue()),
        };
        self.flush_console();
        stop.map(|s| self.report(s))
    }

    fn flush_console(&mut self) {
        let out = self.ctl.take_output();
        if !out.is_empty() {
            // A closed console must not stop the debugger.
            let _ = self.console.write_all(&out);
            let _ = self.console.flush();
        }
    }

    /// Turns a stop into what GDB is told, saying the rest on stderr.
    pub fn report(&mut self, stop: Stop) -> StopReason {
        match stop {
            Stop::Done => StopReason::DoneStep,
            Stop::Breakpoint(_) => StopReason::SwBreak(()),
            Stop::Watch { kind, addr } => StopReason::Watch {
                tid: (),
                kind: gdb_kind(kind),
                addr,
            },
            Stop::Exited(code) => StopReason::Exited(code as u8),
            Stop::Error(msg) => {
                let _ = writeln!(self.diag, "glassbox gdb: machine stopped: {msg}");
                StopReason::Signal(Signal::SIGABRT)
            }
            Stop::HistoryStart => StopReason::ReplayLog {
                tid: None,
                pos: gdbstub::target::ext::base::reverse_exec::ReplayLogPosition::Begin,
            },
        }
    }
}

impl Target for GdbTarget {
    type Arch = GlassboxRv32;
    type Error = String;

    fn base_ops(&mut self) -> BaseOps<'_, Self::Arch, Self::Error> {
        BaseOps::SingleThread(self)
    }

    fn support_breakpoints(&mut self) -> Option<BreakpointsOps<'_, Self>> {
        Some(self)
    }

    fn support_monitor_cmd(&mut self) -> Option<MonitorCmdOps<'_, Self>> {
        Some(self)
    }

    // Breakpoints are kept by the stub, never written into guest memory.
    fn guard_rail_implicit_sw_breakpoints(&self) -> bool {
        true
    }
}

impl SingleThreadBase for GdbTarget {
    fn read_registers(&mut self, regs: &mut CoreRegs) -> TargetResult<(), Self> {
        let h = &self.ctl.machine().hart;
        regs.x = h.x;
        regs.pc = h.pc;
        Ok(())
    }

    fn write_registers(&mut self, regs: &CoreRegs) -> TargetResult<(), Self> {
        for (r, &v) in regs.x.iter().enumerate().skip(1) {
            if self.ctl.machine().hart.x[r] != v {
                let _ = self.ctl.set_reg(r as u8, v);
            }
        }
        if self.ctl.machine().hart.pc != regs.pc {
            let _ = self.ctl.set_pc(regs.pc);
        }
        Ok(())
    }

    fn support_single_register_access(&mut self) -> Option<SingleRegisterAccessOps<'_, (), Self>> {
        Some(self)
    }

    fn read_addrs(&mut self, start: u32, data: &mut [u8]) -> TargetResult<usize, Self> {
        let m = self.ctl.machine();
        // Up to the first unmapped byte; none at all is an error for GDB.
        let mut n = 0;
        for (slot, addr) in data.iter_mut().zip(start..=u32::MAX) {
            match m.peek(addr, 1) {
                Some(b) => *slot = b as u8,
                None => break,
            }
            n += 1;
        }
        if n == 0 && !data.is_empty() {
            return Err(TargetError::NonFatal);
        }
        Ok(n)
    }

    fn write_addrs(&mut self, start: u32, data: &[u8]) -> TargetResult<(), Self> {
        if (start as u64) + data.len() as u64 > 1 << 32 || !self.ctl.poke(start, data) {
            return Err(TargetError::NonFatal);
        }
        Ok(())
    }

    fn support_resume(&mut self) -> Option<SingleThreadResumeOps<'_, Self>> {
        Some(self)
    }
}

impl SingleRegisterAccess<()> for GdbTarget {
    fn read_register(&mut self, _: (), reg: Reg, buf: &mut [u8]) -> TargetResult<usize, Self> {
        let m = self.ctl.machine();
        let v = match reg {
            Reg::X(n) => m.hart.reg(n),
            Reg::Pc => m.hart.pc,
            Reg::Csr(n) => m.csr_read(n).ok_or(TargetError::NonFatal)?,
        };
        let bytes = v.to_le_bytes();
        let n = buf.len().min(4);
        buf[..n].copy_from_slice(&bytes[..n]);
        Ok(n)
    }

    fn write_register(&mut self, _: (), reg: Reg, val: &[u8]) -> TargetResult<(), Self> {
        let v = u32::from_le_bytes(val.try_into().map_err(|_| TargetError::NonFatal)?);
        match reg {
            Reg::X(0) => {}
            Reg::X(n) => {
                self.ctl.set_reg(n, v);
            }
            Reg::Pc => {
                self.ctl.set_pc(v);
            }
            Reg::Csr(n) => {
                if !self.ctl.set_csr(n, v) {
                    return Err(TargetError::NonFatal);
                }
            }
        }
        Ok(())
    }
}

impl SingleThreadResume for GdbTarget {
    // A bare-metal hart has no signals: one GDB passes on is dropped.
    fn resume(&mut self, _signal: Option<Signal>) -> Result<(), Self::Error> {
        self.action = Action::Continue;
        self.fresh = true;
        Ok(())
    }

    fn support_single_step(&mut self) -> Option<SingleThreadSingleStepOps<'_, Self>> {
        Some(self)
    }

    fn support_reverse_step(&mut self) -> Option<ReverseStepOps<'_, (), Self>> {
        Some(self)
    }

    fn support_reverse_cont(&mut self) -> Option<ReverseContOps<'_, (), Self>> {
        Some(self)
    }
}

impl SingleThreadSingleStep for GdbTarget {
    fn step(&mut self, _signal: Option<Signal>) -> Result<(), Self::Error> {
        self.action = Action::Step;
        Ok(())
    }
}

impl ReverseStep<()> for GdbTarget {
    fn reverse_step(&mut self, _: ()) -> Result<(), Self::Error> {
        self.action = Action::ReverseStep;
        Ok(())
    }
}

impl ReverseCont<()> for GdbTarget {
    fn reverse_cont(&mut self) -> Result<(), Self::Error> {
        self.action = Action::ReverseContinue;
        Ok(())
    }
}

impl Breakpoints for GdbTarget {
    fn support_sw_breakpoint(&mut self) -> Option<SwBreakpointOps<'_, Self>> {
        Some(self)
    }

    fn support_hw_breakpoint(&mut self) -> Option<HwBreakpointOps<'_, Self>> {
        Some(self)
    }

    fn support_hw_watchpoint(&mut self) -> Option<HwWatchpointOps<'_, Self>> {
        Some(self)
    }
}

// Software and hardware breakpoints are the same thing here: the machine
// checks fetch addresses, so neither touches guest memory.
impl SwBreakpoint for GdbTarget {
    fn add_sw_breakpoint(&mut self, addr: u32, _: usize) -> TargetResult<bool, Self> {
        Ok(self.ctl.add_breakpoint(addr))
    }

    fn remove_sw_breakpoint(&mut self, addr: u32, _: usize) -> TargetResult<bool, Self> {
        Ok(self.ctl.remove_breakpoint(addr))
    }
}

impl HwBreakpoint for GdbTarget {
    fn add_hw_breakpoint(&mut self, addr: u32, _: usize) -> TargetResult<bool, Self> {
        Ok(self.ctl.add_breakpoint(addr))
    }

    fn remove_hw_breakpoint(&mut self, addr: u32, _: usize) -> TargetResult<bool, Self> {
        Ok(self.ctl.remove_breakpoint(addr))
    }
}

impl HwWatchpoint for GdbTarget {
    fn add_hw_watchpoint(
        &mut self,
        addr: u32,
        len: u32,
        kind: WatchKind,
    ) -> TargetResult<bool, Self> {
        Ok(self.ctl.add_watchpoint(addr, len, machine_kind(kind)))
    }

    fn remove_hw_watchpoint(
        &mut self,
        addr: u32,
        len: u32,
        kind: WatchKind,
    ) -> TargetResult<bool, Self> {
        Ok(self.ctl.remove_watchpoint(addr, len, machine_kind(kind)))
    }
}

fn machine_kind(k: WatchKind) -> MachineWatch {
    match k {
        WatchKind::Write => MachineWatch::Write,
        WatchKind::Read => MachineWatch::Read,
        WatchKind::ReadWrite => MachineWatch::Access,
    }
}

fn gdb_kind(k: MachineWatch) -> WatchKind {
    match k {
        MachineWatch::Write => WatchKind::Write,
        MachineWatch::Read => WatchKind::Read,
        MachineWatch::Access => WatchKind::ReadWrite,
    }
}

impl MonitorCmd for GdbTarget {
    fn handle_monitor_cmd(&mut self, cmd: &[u8], mut out: ConsoleOutput<'_>) -> Result<(), String> {
        let text = monitor::run(self, cmd);
        self.flush_console();
        gdbstub::output!(out, "{text}");
        Ok(())
    }
}
