//! The debugger's model of a run, without any GUI code: the machine's
//! timeline (every cycle from reset to the furthest one reached), how it
//! is being run, and what the views need to remember between frames. The
//! app applies `Command`s to it once per frame; tests drive it directly.

use crate::asm::{AsmOptions, Isa, Program, assemble};
use crate::config::{ConfigName, MachineConfig};
use crate::debug::savestate::SaveState;
use crate::debug::stops::{EventStops, StopError, StopSet};
use crate::debug::{ReverseStop, Timeline};
use crate::loader::{self, Image};
use crate::machine::{Halt, Machine, StopReason, WatchKind};
use crate::pipeline::trace::ChartRecorder;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Cycles the pipeline chart keeps while recording.
pub const CHART_WINDOW: u64 = 2_000;

/// Cycles a full-speed run executes per call of `run_bulk` in the GUI:
/// about half a millisecond, so the clock and the UI's requests are checked
/// often while the per-call overhead stays negligible.
pub const BULK_CYCLES: u64 = 10_000;

/// How fast `Run` goes.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Speed {
    /// Cycles per second, to watch (1 to 10_000).
    PerSecond(f64),
    /// As fast as the host allows.
    Full,
}

/// Something a view asks for; applied by the app at one point per frame.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Reset,
    StepCycle,
    StepInstruction,
    Run,
    Pause,
    RunCycles(u64),
    RunTo(u32),
    /// Back to the state one cycle earlier.
    StepBackCycle,
    /// Back to the state just before the last retired instruction retired.
    StepBackInstruction,
    /// Backwards to the previous stop, or to reset.
    ReverseRun,
    /// To any cycle between reset and the furthest cycle reached.
    Seek(u64),
    /// Removes the breakpoints at the address, or adds one there.
    ToggleBreakpoint(u32),
    /// A breakpoint with an optional condition (empty text: none).
    AddBreakpoint {
        pc: u32,
        condition: String,
    },
    /// Sets or clears (empty text) the condition of a breakpoint.
    SetCondition(u32, String),
    /// Stop from the (n+1)-th hit on.
    SetIgnore(u32, u64),
    SetEnabled(u32, bool),
    /// Deletes a breakpoint or watchpoint.
    RemoveStop(u32),
    AddWatchpoint {
        kind: WatchKind,
        addr: u32,
        len: u32,
        value: Option<u32>,
    },
    SetEvents(EventStops),
    /// Writes the whole session to a save-state file.
    SaveState(PathBuf),
    /// Replaces the session with a save state; a bad file keeps this one.
    LoadState(PathBuf),
    SetRegister(u8, u32),
    SetPc(u32),
    SetCsr(u16, u32),
    PokeByte(u32, u8),
    PushInput(Vec<u8>),
    /// A key pressed (true) or released on the guest's keyboard (HID code).
    Key(u16, bool),
    /// The GPIO buttons held now (bit i = button i).
    SetButtons(u8),
    /// The 16 GPIO switches.
    SetSwitches(u16),
    /// Ends console input: the guest's reads return end-of-file.
    CloseInput,
    Open(PathBuf),
    OpenBytes(String, Vec<u8>),
    Assemble {
        name: String,
        source: String,
    },
    /// The ISA later `Assemble`s target (the editor's choice).
    SetIsa(Isa),
    ApplyConfig(MachineConfig),
    /// A new configuration chosen by name (presets, parts, a file):
    /// `named` is what the name denotes, `config` what runs (they differ
    /// when fields were edited after the choice).
    ApplyNamedConfig {
        name: ConfigName,
        named: Box<MachineConfig>,
        config: Box<MachineConfig>,
    },
    SetSpeed(Speed),
}

/// Where the loaded program came from, so Reset and Apply can rebuild.
#[derive(Clone, Debug)]
enum Origin {
    Image(Image),
    /// A source and the ISA it was assembled for.
    Source(String, Isa),
    /// A loaded save state: Reset goes back to it.
    State(Box<SaveState>),
}

pub struct Session {
    /// The machine at the current cycle, with its history. Every change
    /// goes through it, so that going back and forth is exact.
    tl: Timeline,
    /// Breakpoints, watchpoints and event stops; armed into the machine
    /// after every change, consulted at every raw stop.
    pub stops: StopSet,
    /// What the last change to `stops` said (an error with its column, or
    /// a warning), for the Breakpoints view.
    pub stops_message: Option<String>,
    pub config: MachineConfig,
    /// The name the configuration was last chosen by, and what it denotes.
    pub config_name: (ConfigName, MachineConfig),
    /// How the window names the configuration (title and status bar).
    pub config_label: String,
    /// Shown in the title bar and status line.
    pub program_name: String,
    pub program_path: Option<PathBuf>,
    origin: Origin,
    /// The assembled program, when it came from source (for its source map).
    pub source: Option<Program>,
    pub running: bool,
    pub speed: Speed,
    /// Why the machine last stopped, in words.
    pub last_stop: Option<String>,
    /// What the last step or run returned (compare mode asks which
    /// machine stopped and why).
    pub last_reason: Option<StopReason>,
    /// An error to show (bad file, bad config); the machine is unchanged.
    pub error: Option<String>,
    /// Assembly errors of the last `Assemble`, for the editor.
    pub asm_errors: Vec<crate::asm::Diagnostic>,
    /// The ISA sources are assembled for (rv32im unless the editor's
    /// choice says otherwise; with C they are compressed as GNU `as` does).
    pub isa: Isa,
    /// Registers before the last step or run, to highlight changes.
    pub prev_regs: [u32; 32],
    pub prev_pc: u32,
    pub chart: ChartRecorder,
    pub record_chart: bool,
    run_target: Option<u32>,
    /// "Run N cycles": the cycle at which the run pauses. It runs at full
    /// speed like `Run`, in the background, so a large N never freezes
    /// the window.
    stop_cycle: Option<u64>,
    /// The last run stopped for console input; running again is pointless
    /// until a command (such as input) arrives.
    waiting_input: bool,
    /// Fractional cycles owed at slow speeds.
    owed: f64,
    last_tick: Option<Instant>,
}

pub(crate) fn describe(stop: &StopReason) -> String {
    match stop {
        StopReason::Halted(Halt::Exited(c)) => format!("exited with code {c}"),
        StopReason::Halted(Halt::Error(e)) => format!("stopped: {e}"),
        StopReason::CycleLimit => "paused".into(),
        StopReason::NeedInput => "waiting for console input".into(),
        StopReason::Breakpoint(pc) => format!("breakpoint at {pc:#010x}"),
        StopReason::Watchpoint(_) | StopReason::Event(_) => stop.to_string(),
    }
}

impl Session {
    /// A session on the built-in demo ROM.
    pub fn demo(config: MachineConfig) -> Result<Session, String> {
        let image = {
            let m = Machine::new(config.clone()).map_err(|e| e.to_string())?;
            loader::load_bytes(crate::demo::DEMO_ROM, m.ram_region(), None)
                .map_err(|e| format!("built-in demo: {e}"))?
        };
        Session::with_origin(
            config,
            crate::demo::DEMO_NAME.into(),
            None,
            Origin::Image(image),
        )
    }

    fn with_origin(
        config: MachineConfig,
        name: String,
        path: Option<PathBuf>,
        origin: Origin,
    ) -> Result<Session, String> {
        let (machine, source) = build(&config, &origin)?;
        let regs = machine.hart.x;
        let pc = machine.hart.pc;
        let config_name =
            ConfigName::describe(&config).unwrap_or_else(|| ConfigName::base("custom"));
        let config_label = config_name.label_for(&config, &config);
        Ok(Session {
            tl: Timeline::new(machine),
            config_name: (config_name, config.clone()),
            config_label,
            stops: StopSet::new(),
            stops_message: None,
            config,
            program_name: name,
            program_path: path,
            origin,
            source,
            running: false,
            speed: Speed::Full,
            last_stop: None,
            last_reason: None,
            error: None,
            asm_errors: Vec::new(),
            isa: Isa::default(),
            prev_regs: regs,
            prev_pc: pc,
            chart: ChartRecorder::new(0, CHART_WINDOW),
            record_chart: true,
            run_target: None,
            stop_cycle: None,
            waiting_input: false,
            owed: 0.0,
            last_tick: None,
        })
    }

    /// A new session on the same program (and breakpoints) with another
    /// configuration: a machine of compare mode.
    /// `name` is what the configuration was chosen by and what that name
    /// denotes (they differ when fields were edited after the choice).
    pub fn with_config(
        &self,
        config: MachineConfig,
        name: (ConfigName, MachineConfig),
    ) -> Result<Session, String> {
        let mut s = Session::with_origin(
            config,
            self.program_name.clone(),
            self.program_path.clone(),
            self.origin.clone(),
        )?;
        s.config_label = name.0.label_for(&name.1, &s.config);
        s.config_name = name;
        s.stops = self.stops.clone();
        s.stops.truncate_hits_after(0);
        s.stops.arm(s.tl.triggers_mut());
        Ok(s)
    }

    /// Replaces the program; on error the current machine is kept and the
    /// message is in `error`.
    fn replace(&mut self, name: String, path: Option<PathBuf>, origin: Origin) {
        match build(&self.config, &origin) {
            Ok((machine, source)) => {
                self.program_name = name;
                self.program_path = path;
                self.origin = origin;
                self.source = source;
                self.asm_errors.clear();
                self.install(machine);
            }
            Err(e) => self.error = Some(e),
        }
    }

    fn install(&mut self, machine: Machine) {
        self.tl = Timeline::new(machine);
        // Stops stay (addresses may mean something else in a new program,
        // as in GDB); their hits belonged to the old run.
        self.stops.truncate_hits_after(0);
        self.stops.arm(self.tl.triggers_mut());
        self.running = false;
        self.last_stop = None;
        self.error = None;
        self.prev_regs = self.machine().hart.x;
        self.prev_pc = self.machine().hart.pc;
        self.chart = ChartRecorder::new(0, CHART_WINDOW);
        self.run_target = None;
        self.stop_cycle = None;
    }

    pub fn open(&mut self, path: &Path) {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        match std::fs::read(path) {
            Ok(bytes) => self.open_bytes(name, Some(path.to_path_buf()), bytes),
            Err(e) => self.error = Some(format!("{}: {e}", path.display())),
        }
    }

    fn open_bytes(&mut self, name: String, path: Option<PathBuf>, bytes: Vec<u8>) {
        let is_source = name.ends_with(".s") || name.ends_with(".asm");
        if is_source {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            return self.assemble_source(name, path, text);
        }
        let ram = self.machine().ram_region();
        match loader::load_bytes(&bytes, ram, None) {
            Ok(image) if image.format == loader::ImageFormat::Elf => {
                self.replace(name, path, Origin::Image(image))
            }
            Ok(_) => {
                self.error = Some(format!(
                    "{name}: not an ELF file (bad magic). Open an ELF executable or an \
                     assembly source (.s)."
                ))
            }
            Err(e) => self.error = Some(format!("{name}: {e}")),
        }
    }

    fn assemble_source(&mut self, name: String, path: Option<PathBuf>, source: String) {
        let opts = AsmOptions {
            file_name: name.clone(),
            isa: self.isa,
            ..AsmOptions::default()
        };
        match assemble(&source, &opts) {
            Ok(_) => self.replace(name, path, Origin::Source(source, self.isa)),
            Err(diags) => {
                self.error = Some(format!(
                    "{name}: {} assembly error{}",
                    diags.len(),
                    if diags.len() == 1 { "" } else { "s" }
                ));
                self.asm_errors = diags;
            }
        }
    }

    pub fn reset(&mut self) {
        if matches!(self.origin, Origin::State(_)) {
            return self.restore_state();
        }
        match build(&self.config, &self.origin) {
            Ok((machine, _)) => self.install(machine),
            Err(e) => self.error = Some(e),
        }
    }

    /// Rebuilds the machine with a new configuration (the program restarts).
    pub fn apply_config(&mut self, config: MachineConfig) {
        match build(&config, &self.origin) {
            Ok((machine, source)) => {
                let (name, named) = &self.config_name;
                self.config_label = name.label_for(named, &config);
                self.config = config;
                self.source = source;
                self.install(machine);
            }
            Err(e) => self.error = Some(e),
        }
    }

    fn remember(&mut self) {
        self.prev_regs = self.machine().hart.x;
        self.prev_pc = self.machine().hart.pc;
    }

    /// Runs forward up to `cycles` cycles; the stop set decides which raw
    /// stops are the user's (conditions, ignore counts) and counts hits.
    fn forward(&mut self, cycles: u64) -> StopReason {
        let stops = &mut self.stops;
        self.tl.run(cycles, &mut |m, r| stops.accept(m, r))
    }

    /// A stop in words, naming the breakpoints behind it and their hits.
    fn stop_text(&self, stop: &StopReason) -> String {
        match stop {
            StopReason::Breakpoint(_) | StopReason::Watchpoint(_) => {
                self.stops.describe_stop(self.machine(), stop)
            }
            other => describe(other),
        }
    }

    fn after_run(&mut self, stop: StopReason) {
        self.waiting_input = stop == StopReason::NeedInput;
        self.last_reason = Some(stop.clone());
        match stop {
            StopReason::CycleLimit if !self.running => {
                self.last_stop = Some("paused".into());
            }
            StopReason::CycleLimit => {}
            StopReason::NeedInput => {
                self.last_stop = Some(describe(&stop));
            }
            other => {
                self.running = false;
                self.last_stop = Some(self.stop_text(&other));
            }
        }
        if let Some(t) = self.run_target
            && self.machine().hart.pc == t
        {
            self.running = false;
            self.run_target = None;
            self.last_stop = Some(format!("reached {t:#010x}"));
        }
        if let Some(end) = self.stop_cycle
            && (self.machine().cycle >= end || !self.running)
        {
            self.stop_cycle = None;
            if self.running {
                self.running = false;
                self.last_stop = Some(format!("paused at cycle {end}"));
            }
        }
    }

    /// One cycle (recording the chart).
    fn cycle(&mut self) -> StopReason {
        let stop = self.forward(1);
        self.record_cycle();
        stop
    }

    /// Adds the last cycle to the chart.
    fn record_cycle(&mut self) {
        if self.record_chart
            && let Some(p) = &self.tl.machine().pipeline
        {
            let now = p.last().cycle;
            if !self.chart.wants(now) {
                match self.chart.recorded_cycles() {
                    // The cycle right after the chart's last: slide the
                    // window by one, keeping the cycles that led here.
                    Some((_, last)) if last + 1 == now => {
                        self.chart.slide((now + 1).saturating_sub(CHART_WINDOW));
                    }
                    _ => self.chart = ChartRecorder::new(now, now + CHART_WINDOW),
                }
            }
            self.chart.record(&p.last());
        }
    }

    pub fn step_cycle(&mut self) {
        self.remember();
        let stop = self.cycle();
        self.after_run(stop);
    }

    pub fn step_instruction(&mut self) {
        self.remember();
        let target = self.machine().instret + 1;
        let mut stop = StopReason::CycleLimit;
        for _ in 0..100_000 {
            stop = self.cycle();
            if self.machine().instret >= target || stop != StopReason::CycleLimit {
                break;
            }
        }
        self.after_run(stop);
    }

    /// Runs `n` cycles at full speed: the first bulk now (so a small `n`
    /// is done at once), the rest like `Run`, in the background.
    pub fn run_cycles(&mut self, n: u64) {
        if n == 0 || self.machine().halt.is_some() {
            return;
        }
        self.start();
        self.stop_cycle = Some(self.machine().cycle.saturating_add(n));
        self.run_bulk(BULK_CYCLES);
    }

    pub fn start(&mut self) {
        if self.machine().halt.is_some() {
            return;
        }
        self.stop_cycle = None;
        self.remember();
        self.running = true;
        self.last_stop = None;
        self.last_tick = None;
        self.owed = 0.0;
    }

    pub fn run_to(&mut self, pc: u32) {
        self.run_target = Some(pc);
        self.start();
    }

    pub fn pause(&mut self) {
        self.stop_cycle = None;
        if self.running {
            self.running = false;
            self.last_stop = Some("paused".into());
        }
    }

    /// Whether the machine is running at full speed and can make progress
    /// (not waiting for console input): the worker thread's condition.
    pub fn wants_cycles(&self) -> bool {
        self.running && self.full_speed() && !self.waiting_input
    }

    /// Running at full speed: `Run` at that speed, or "Run N cycles".
    fn full_speed(&self) -> bool {
        self.speed == Speed::Full || self.stop_cycle.is_some()
    }

    /// Up to `cycles` cycles at full speed without recording the chart:
    /// the bulk of a full-speed run. Stops early where the run stops.
    pub fn run_bulk(&mut self, cycles: u64) {
        if !self.running {
            return;
        }
        let cycles = match self.stop_cycle {
            Some(end) => cycles.min(end.saturating_sub(self.machine().cycle)),
            None => cycles,
        };
        match self.run_target {
            None => {
                let stop = self.forward(cycles);
                self.after_run(stop);
            }
            // Run to cursor looks at the pc after every cycle.
            Some(_) => {
                for _ in 0..cycles {
                    let stop = self.forward(1);
                    self.after_run(stop);
                    if !self.running || self.waiting_input {
                        break;
                    }
                }
            }
        }
        // A stop inside a bulk (or a wait for input): chart the cycles that
        // led to it.
        if !self.running || self.waiting_input {
            self.sync_chart();
        }
    }

    /// Makes the chart end at the current cycle, rebuilding its window by
    /// replay when it does not (after going back, seeking, or a stop inside
    /// a bulk run): the timeline goes to the window's first cycle and steps
    /// forward to the current one, recording each cycle.
    pub fn sync_chart(&mut self) {
        if !self.record_chart || self.machine().pipeline.is_none() {
            return;
        }
        let now = self.machine().cycle;
        let from = now.saturating_sub(CHART_WINDOW).max(self.tl.start());
        // Up to date only if it ends now and holds the whole window: a run
        // whose last frame recorded only a few cycles before it stopped
        // (how many depends on host timing) is rebuilt too.
        let complete = match self.chart.recorded_cycles() {
            Some((first, last)) => last + 1 == now && first <= from,
            None => now == self.tl.start(),
        };
        if complete {
            return;
        }
        if self.tl.seek(from).is_err() {
            return;
        }
        self.chart = ChartRecorder::new(from, from + CHART_WINDOW);
        while self.machine().cycle < now {
            // Stops were reported when these cycles first ran.
            let stop = self.tl.run(1, &mut |_, _| false);
            self.record_cycle();
            if matches!(stop, StopReason::Halted(_) | StopReason::NeedInput) {
                break;
            }
        }
    }

    /// Steps the next `CHART_WINDOW` cycles one at a time, recording them
    /// in a fresh chart window: called once per frame at full speed, so
    /// the chart shows the newest cycles while the bulk of the run costs
    /// nothing extra. A stop inside a bulk leaves the previous window, unless
    /// the pipeline kept the chart's history (see `run_bulk`).
    pub fn record_tail(&mut self) {
        if !(self.running && self.record_chart && self.machine().pipeline.is_some()) {
            return;
        }
        let now = self.machine().cycle;
        self.chart = ChartRecorder::new(now, now + CHART_WINDOW);
        for _ in 0..CHART_WINDOW {
            let stop = self.cycle();
            self.after_run(stop);
            if !self.running || self.waiting_input {
                // Stopped a few cycles into the tail: chart the whole
                // window that led here, not just those cycles.
                self.sync_chart();
                break;
            }
        }
    }

    /// Advances a running machine for one frame on the calling thread: at
    /// full speed for up to `budget` of host time (the chart records the
    /// newest cycles), otherwise as many cycles as the speed owes.
    pub fn tick(&mut self, budget: Duration) {
        if !self.running {
            return;
        }
        let now = Instant::now();
        let elapsed = self.last_tick.map_or(0.0, |t| (now - t).as_secs_f64());
        self.last_tick = Some(now);
        let speed = if self.full_speed() {
            Speed::Full
        } else {
            self.speed
        };
        match speed {
            Speed::PerSecond(rate) => {
                self.owed = (self.owed + elapsed * rate).min(rate.max(1.0));
                let n = self.owed.floor() as u64;
                self.owed -= n as f64;
                for _ in 0..n {
                    let stop = self.cycle();
                    self.after_run(stop);
                    if !self.running {
                        break;
                    }
                }
            }
            Speed::Full => {
                let deadline = now + budget;
                while self.wants_cycles() && Instant::now() < deadline {
                    self.run_bulk(BULK_CYCLES);
                }
                self.record_tail();
            }
        }
    }

    /// Applies one command.
    pub fn apply(&mut self, cmd: Command) {
        self.error = None;
        // Whatever changed (input, registers, breakpoints), try again.
        self.waiting_input = false;
        match cmd {
            Command::Reset => self.reset(),
            Command::StepCycle => self.step_cycle(),
            Command::StepInstruction => self.step_instruction(),
            Command::Run => self.start(),
            Command::Pause => self.pause(),
            Command::RunCycles(n) => self.run_cycles(n),
            Command::RunTo(pc) => self.run_to(pc),
            Command::StepBackCycle => self.step_back_cycle(),
            Command::StepBackInstruction => self.step_back_instruction(),
            Command::ReverseRun => self.reverse_run(),
            Command::Seek(cycle) => self.seek(cycle),
            Command::ToggleBreakpoint(pc) => self.change_stops(|st, _| {
                let ids: Vec<u32> = st
                    .breakpoints
                    .iter()
                    .filter(|b| b.pc == pc)
                    .map(|b| b.id)
                    .collect();
                if ids.is_empty() {
                    st.add_breakpoint(pc, None)?;
                }
                for id in ids {
                    st.remove(id);
                }
                Ok(None)
            }),
            Command::AddBreakpoint { pc, condition } => self.change_stops(|st, _| {
                st.add_breakpoint(pc, Some(&condition))?;
                Ok(None)
            }),
            Command::SetCondition(id, c) => self.change_stops(|st, _| {
                st.set_condition(id, Some(&c))?;
                Ok(None)
            }),
            Command::SetIgnore(id, n) => self.change_stops(|st, _| {
                st.set_ignore(id, n);
                Ok(None)
            }),
            Command::SetEnabled(id, on) => self.change_stops(|st, _| {
                st.set_enabled(id, on);
                Ok(None)
            }),
            Command::RemoveStop(id) => self.change_stops(|st, _| {
                st.remove(id);
                Ok(None)
            }),
            Command::AddWatchpoint {
                kind,
                addr,
                len,
                value,
            } => self.change_stops(|st, m| Ok(st.add_watchpoint(m, kind, addr, len, value)?.1)),
            Command::SetEvents(ev) => self.change_stops(|st, _| {
                st.events = ev;
                Ok(None)
            }),
            Command::SaveState(path) => self.save_state(&path),
            Command::LoadState(path) => self.load_state(&path),
            Command::SetRegister(r, v) => self.edited(|tl| tl.set_reg(r, v)),
            Command::SetPc(pc) => self.edited(|tl| tl.set_pc(pc)),
            Command::SetCsr(csr, v) => self.edited(|tl| tl.set_csr(csr, v)),
            Command::PokeByte(addr, b) => self.edited(|tl| tl.poke(addr, 1, b as u32)),
            Command::PushInput(bytes) => self.edited(|tl| {
                tl.push_input(&bytes);
                Ok(())
            }),
            Command::Key(code, pressed) => self.edited(|tl| {
                tl.key(code, pressed);
                Ok(())
            }),
            Command::SetButtons(bits) => self.edited(|tl| {
                tl.set_buttons(bits);
                Ok(())
            }),
            Command::SetSwitches(bits) => self.edited(|tl| {
                tl.set_switches(bits);
                Ok(())
            }),
            Command::CloseInput => self.edited(|tl| {
                tl.close_input();
                Ok(())
            }),
            Command::Open(path) => self.open(&path),
            Command::OpenBytes(name, bytes) => self.open_bytes(name, None, bytes),
            Command::Assemble { name, source } => self.assemble_source(name, None, source),
            Command::SetIsa(isa) => self.isa = isa,
            Command::ApplyConfig(cfg) => self.apply_config(cfg),
            Command::ApplyNamedConfig {
                name,
                named,
                config,
            } => {
                let old = std::mem::replace(&mut self.config_name, (name, *named));
                self.apply_config(*config);
                if self.error.is_some() {
                    self.config_name = old;
                }
            }
            Command::SetSpeed(s) => self.speed = s,
        }
    }

    /// Names the configuration as chosen on the command line.
    pub fn name_config(&mut self, name: ConfigName) {
        self.config_label = name.label_for(&self.config, &self.config);
        self.config_name = (name, self.config.clone());
    }

    /// The machine at the current cycle (views only read it).
    pub fn machine(&self) -> &Machine {
        self.tl.machine()
    }

    /// The machine's history: marks, furthest cycle, console stamps.
    pub fn timeline(&self) -> &Timeline {
        &self.tl
    }

    /// Console output up to the current cycle.
    pub fn console(&self) -> &[u8] {
        self.tl.console()
    }

    /// Whether the current cycle is before the furthest one reached: an
    /// edit now drops the recorded future (the app asks first).
    pub fn in_past(&self) -> bool {
        self.tl.in_past()
    }

    /// Cycles of recorded future an edit now would drop.
    pub fn future_cycles(&self) -> u64 {
        self.tl.furthest() - self.machine().cycle
    }

    /// Applies a debugger edit through the timeline (journaled; in the
    /// past it drops the future). A refused edit changes nothing.
    fn edited(&mut self, edit: impl FnOnce(&mut Timeline) -> Result<(), crate::debug::EditError>) {
        match edit(&mut self.tl) {
            // Hits in the dropped future did not happen.
            Ok(()) => self.stops.truncate_hits_after(self.machine().cycle),
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Applies a change to the stops and arms them.
    fn change_stops(
        &mut self,
        change: impl FnOnce(&mut StopSet, &Machine) -> Result<Option<String>, StopError>,
    ) {
        self.stops_message = match change(&mut self.stops, self.tl.machine()) {
            Ok(warning) => warning,
            Err(e) => Some(e.to_string()),
        };
        self.stops.arm(self.tl.triggers_mut());
    }

    /// Going back pauses a run and shows the state there.
    fn went_back(&mut self, what: String) {
        self.running = false;
        self.run_target = None;
        self.stop_cycle = None;
        self.last_stop = Some(what);
        self.sync_chart();
    }

    pub fn step_back_cycle(&mut self) {
        self.remember();
        match self.tl.step_back_cycle() {
            Ok(()) => {
                let c = self.machine().cycle;
                self.went_back(format!("stepped back to cycle {c}"));
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    pub fn step_back_instruction(&mut self) {
        self.remember();
        match self.tl.step_back_instruction() {
            Ok(()) => {
                let c = self.machine().cycle;
                self.went_back(format!("stepped back one instruction, to cycle {c}"));
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    pub fn reverse_run(&mut self) {
        self.remember();
        let stops = &mut self.stops;
        let what = match self.tl.reverse_run(&mut |m, r| stops.accept(m, r)) {
            ReverseStop::Stopped(stop) => format!("reverse run: {}", self.stop_text(&stop)),
            ReverseStop::Start => "reverse run: back at reset".to_string(),
        };
        self.went_back(what);
    }

    pub fn seek(&mut self, cycle: u64) {
        self.remember();
        match self.tl.seek(cycle) {
            Ok(()) => {
                let c = self.machine().cycle;
                self.went_back(format!("at cycle {c}"));
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    pub fn save_state(&mut self, path: &Path) {
        let state = SaveState::new(
            &self.program_name,
            self.machine(),
            &self.stops,
            self.console(),
        );
        match state.save(path) {
            Ok(()) => {
                self.last_stop = Some(format!(
                    "saved the state at cycle {} to {}",
                    self.machine().cycle,
                    path.display()
                ))
            }
            Err(e) => self.error = Some(format!("cannot save {}: {e}", path.display())),
        }
    }

    /// Loads a save state; on any error the current session stays as it
    /// was and `error` says what is wrong with the file.
    pub fn load_state(&mut self, path: &Path) {
        match SaveState::load(path) {
            Ok(state) => {
                self.program_name = state.program_name.clone();
                self.program_path = None;
                self.source = None;
                self.asm_errors.clear();
                self.origin = Origin::State(Box::new(state));
                self.restore_state();
            }
            Err(e) => self.error = Some(format!("{}: {e}", path.display())),
        }
    }

    /// Installs the loaded save state (again): its cycle is the start of
    /// the new timeline.
    fn restore_state(&mut self) {
        let Origin::State(state) = &self.origin else {
            return;
        };
        let state = (**state).clone();
        let cycle = state.machine.cycle;
        self.config = state.machine.config.clone();
        let mut machine = state.machine;
        // Printed before the state was saved: the timeline's console
        // starts with it (it takes the machine's pending output).
        let mut out = state.console;
        out.extend_from_slice(&machine.take_output());
        machine.bus.uart.output = out;
        self.install(machine);
        // After `install`, which forgets the old run's hits: these happened.
        self.stops = state.stops;
        self.stops.arm(self.tl.triggers_mut());
        self.last_stop = Some(format!("loaded a state at cycle {cycle}"));
    }

    /// The source line of `pc`, when the program was assembled here.
    pub fn source_line(&self, pc: u32) -> Option<u32> {
        self.source.as_ref()?.line_of(pc)
    }

    /// The program's assembly source, if it came from one.
    pub fn source_text(&self) -> Option<&str> {
        match &self.origin {
            Origin::Source(s, _) => Some(s),
            Origin::Image(_) | Origin::State(_) => None,
        }
    }
}

/// A fresh machine running the program.
fn build(config: &MachineConfig, origin: &Origin) -> Result<(Machine, Option<Program>), String> {
    let mut m = Machine::new(config.clone()).map_err(|e| e.to_string())?;
    match origin {
        Origin::Image(image) => {
            // Images were validated for a RAM that may have shrunk since.
            let image = revalidate(image, &m)?;
            m.load(&image);
            Ok((m, None))
        }
        Origin::State(_) => Err(
            "a loaded save state cannot restart with another configuration: open its program \
             instead"
                .into(),
        ),
        Origin::Source(text, isa) => {
            let opts = AsmOptions {
                isa: *isa,
                ..AsmOptions::default()
            };
            let program = assemble(text, &opts).map_err(|d| {
                d.iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            })?;
            program
                .check_fits(m.ram_region())
                .map_err(|e| e.to_string())?;
            m.load(&program.image);
            Ok((m, Some(program)))
        }
    }
}

fn revalidate(image: &Image, m: &Machine) -> Result<Image, String> {
    let ram = m.ram_region();
    for s in &image.segments {
        if !ram.contains_range(s.addr, s.mem_size) {
            return Err(format!(
                "the program does not fit the configured RAM (segment at {:#010x})",
                s.addr
            ));
        }
    }
    Ok(image.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts to `n` in a loop, then spins on `done` forever. `done` is
    /// reached only by a taken branch, so no wrong-path fetch meets it.
    fn counting(n: u32) -> Session {
        let source = format!(
            "    .globl _start\n_start:\n    li t0, 0\n    li t1, {n}\nloop:\n    \
             addi t0, t0, 1\n    beq t0, t1, done\n    j loop\n    nop\n    nop\n    \
             nop\n    nop\ndone:\n    j done\n"
        );
        let cfg = MachineConfig::preset("textbook").unwrap();
        let mut s = Session::demo(cfg).unwrap();
        s.apply(Command::Assemble {
            name: "count.s".into(),
            source,
        });
        assert!(s.error.is_none(), "{:?}", s.error);
        s
    }

    /// The editor's ISA choice applies to the next assembly, and Reset
    /// rebuilds with the ISA the program was assembled for.
    #[test]
    fn isa_choice_compresses_the_next_assembly() {
        let cfg = MachineConfig::preset("functional").unwrap();
        let mut s = Session::demo(cfg).unwrap();
        let source = "_start:\n    li a0, 1\n    addi a0, a0, 2\n    j _start\n".to_string();
        let text_size = |s: &Session| s.source.as_ref().unwrap().section(".text").unwrap().size;
        s.apply(Command::Assemble {
            name: "a.s".into(),
            source: source.clone(),
        });
        assert_eq!(text_size(&s), 12);
        s.apply(Command::SetIsa(Isa::RV32IMAC));
        s.apply(Command::Assemble {
            name: "a.s".into(),
            source,
        });
        assert_eq!(text_size(&s), 6);
        s.apply(Command::SetIsa(Isa::RV32IM));
        s.reset();
        assert_eq!(text_size(&s), 6);
        assert_eq!(s.machine().peek_ram(0x8000_0000, 2), Some(0x4505)); // c.li a0, 1
    }

    #[test]
    fn full_speed_records_the_newest_cycles_of_the_frame() {
        let mut s = counting(u32::MAX);
        s.apply(Command::Run);
        s.tick(Duration::from_millis(2));
        assert!(s.running);
        let now = s.machine().cycle;
        assert!(now >= CHART_WINDOW);
        assert_eq!(
            s.chart.recorded_cycles(),
            Some((now - CHART_WINDOW, now - 1))
        );
        assert!(s.chart.row_count() > 0);
        // The next frame replaces the window with its own newest cycles.
        s.tick(Duration::from_millis(2));
        let later = s.machine().cycle;
        assert!(later >= now + CHART_WINDOW);
        assert_eq!(
            s.chart.recorded_cycles(),
            Some((later - CHART_WINDOW, later - 1))
        );
    }

    #[test]
    fn a_breakpoint_inside_a_bulk_stops_where_one_whole_run_does() {
        let mut s = counting(50_000);
        let done = s.machine().symbols().lookup("done").expect("label");
        s.apply(Command::ToggleBreakpoint(done));
        // The reference: one uninterrupted run.
        let mut whole = s.machine().clone();
        assert_eq!(whole.run(u64::MAX), StopReason::Breakpoint(done));
        s.apply(Command::Run);
        for _ in 0..10_000 {
            s.run_bulk(BULK_CYCLES);
            if !s.running {
                break;
            }
        }
        assert!(!s.running);
        assert_eq!(
            s.last_stop,
            Some(format!("breakpoint 1 at {done:#010x} <done> (hit 1 time)"))
        );
        assert!(
            s.machine().cycle > BULK_CYCLES,
            "the stop was not at a bulk's start"
        );
        assert_eq!(s.machine().cycle, whole.cycle);
        assert_eq!(s.machine().hart.x, whole.hart.x);
        // The chart shows the cycles that led to the breakpoint.
        let (first, last) = s.chart.recorded_cycles().expect("a chart");
        assert_eq!(
            (first, last + 1),
            (s.machine().cycle - CHART_WINDOW, s.machine().cycle)
        );
    }

    #[test]
    fn waiting_for_input_idles_the_worker_until_input_arrives() {
        let cfg = MachineConfig::preset("textbook").unwrap();
        let mut s = Session::demo(cfg).unwrap();
        s.open(Path::new("roms/echo.elf"));
        assert!(s.error.is_none(), "{:?}", s.error);
        s.apply(Command::Run);
        for _ in 0..1_000 {
            if !s.wants_cycles() {
                break;
            }
            s.run_bulk(BULK_CYCLES);
        }
        assert!(s.running, "still running, waiting");
        assert!(!s.wants_cycles(), "nothing to do until input arrives");
        assert_eq!(s.last_stop.as_deref(), Some("waiting for console input"));
        s.apply(Command::PushInput(b"hi\n".to_vec()));
        assert!(s.wants_cycles());
        for _ in 0..1_000 {
            s.run_bulk(BULK_CYCLES);
            if !s.wants_cycles() {
                break;
            }
        }
        assert_eq!(s.console(), b"HI\n");
    }

    #[test]
    fn run_n_cycles_stops_at_exactly_n_and_large_n_runs_in_the_background() {
        let mut s = counting(u32::MAX);
        s.apply(Command::RunCycles(7));
        assert_eq!(s.machine().cycle, 7);
        assert!(!s.running);
        assert_eq!(s.last_stop.as_deref(), Some("paused at cycle 7"));
        // More than one bulk: the command returns after the first one and
        // the rest runs like `Run` (here, frames without a worker).
        s.speed = Speed::PerSecond(1.0);
        let n = 3 * BULK_CYCLES + 123;
        s.apply(Command::RunCycles(n));
        assert_eq!(s.machine().cycle, 7 + BULK_CYCLES);
        assert!(s.running && s.wants_cycles());
        for _ in 0..100 {
            if !s.running {
                break;
            }
            s.tick(Duration::from_millis(50));
        }
        assert_eq!(s.machine().cycle, 7 + n);
        assert!(!s.running);
        assert_eq!(s.last_stop, Some(format!("paused at cycle {}", 7 + n)));
        // Pause ends it early, and a later Run has no limit.
        s.apply(Command::RunCycles(n));
        s.apply(Command::Pause);
        assert!(!s.running);
        s.apply(Command::Run);
        assert!(!s.wants_cycles(), "Run keeps the chosen slow speed");
    }

    #[test]
    fn closing_input_lets_a_guest_that_reads_to_the_end_finish() {
        let cfg = MachineConfig::preset("textbook").unwrap();
        let mut s = Session::demo(cfg).unwrap();
        s.open(Path::new("roms/echo.elf"));
        s.apply(Command::PushInput(b"abc\n".to_vec()));
        s.apply(Command::Run);
        for _ in 0..1_000 {
            if !s.wants_cycles() {
                break;
            }
            s.run_bulk(BULK_CYCLES);
        }
        assert_eq!(s.last_stop.as_deref(), Some("waiting for console input"));
        s.apply(Command::CloseInput);
        for _ in 0..1_000 {
            if !s.wants_cycles() {
                break;
            }
            s.run_bulk(BULK_CYCLES);
        }
        assert_eq!(s.console(), b"ABC\n");
        assert!(!s.running);
        assert_eq!(s.last_stop.as_deref(), Some("exited with code 0"));
    }

    #[test]
    fn run_to_cursor_stops_at_the_pc_at_full_speed() {
        let mut s = counting(1_000);
        let done = s.machine().symbols().lookup("done").expect("label");
        s.apply(Command::RunTo(done));
        for _ in 0..10_000 {
            s.run_bulk(BULK_CYCLES);
            if !s.running {
                break;
            }
        }
        assert_eq!(s.machine().hart.pc, done);
        assert_eq!(s.last_stop, Some(format!("reached {done:#010x}")));
    }

    /// Runs at full speed (frames without a worker) until the run stops.
    fn run_to_stop(s: &mut Session) {
        for _ in 0..100_000 {
            if !s.wants_cycles() {
                break;
            }
            s.tick(Duration::from_millis(5));
        }
    }

    /// The chart of the last `CHART_WINDOW` cycles before `now`, recorded
    /// by stepping a fresh machine one cycle at a time.
    fn stepped_chart(fresh: &Machine, now: u64) -> String {
        let mut m = fresh.clone();
        let from = now.saturating_sub(CHART_WINDOW);
        let mut chart = ChartRecorder::new(from, now);
        while m.cycle < now {
            m.step();
            chart.record(&m.pipeline.as_ref().unwrap().last());
        }
        chart.to_csv(m.symbols())
    }

    #[test]
    fn after_any_stop_the_chart_ends_at_the_current_cycle() {
        for preset in ["default", "no-forwarding", "classic-l1", "textbook"] {
            let cfg = MachineConfig::preset(preset).unwrap();
            let mut s = Session::demo(cfg).unwrap();
            let fresh = s.machine().clone();
            // Run to the end.
            s.apply(Command::Run);
            run_to_stop(&mut s);
            assert_eq!(s.last_stop.as_deref(), Some("exited with code 0"));
            let now = s.machine().cycle;
            assert!(now > 1_000, "{preset}: {now} cycles");
            assert_eq!(
                s.chart.recorded_cycles(),
                Some((now.saturating_sub(CHART_WINDOW), now - 1)),
                "{preset}"
            );
            assert_eq!(
                s.chart.to_csv(s.machine().symbols()),
                stepped_chart(&fresh, now),
                "{preset}"
            );
            // Run N cycles, from reset and then on.
            s.apply(Command::Reset);
            s.apply(Command::RunCycles(226));
            assert_eq!(s.machine().cycle, 226);
            assert_eq!(s.chart.recorded_cycles(), Some((0, 225)), "{preset}");
            s.apply(Command::RunCycles(1_000));
            run_to_stop(&mut s);
            let now = s.machine().cycle;
            assert_eq!(now, 226 + 1_000);
            assert_eq!(s.chart.recorded_cycles(), Some((0, now - 1)), "{preset}");
            assert_eq!(
                s.chart.to_csv(s.machine().symbols()),
                stepped_chart(&fresh, now),
                "{preset}"
            );
        }
    }

    /// The labels (1-based cycles) of a chart's CSV lines, and the lines
    /// themselves, from label `from` on.
    fn csv_from(csv: &str, from: u64) -> Vec<&str> {
        csv.lines()
            .skip(1)
            .filter(|l| l.split(',').nth_back(2).and_then(|c| c.parse::<u64>().ok()) >= Some(from))
            .collect()
    }

    #[test]
    fn stepping_after_a_stop_slides_the_chart_by_one_cycle() {
        let mut s = Session::demo(MachineConfig::preset("default").unwrap()).unwrap();
        let fresh = s.machine().clone();
        s.apply(Command::RunCycles(2_500));
        run_to_stop(&mut s);
        let n = s.machine().cycle;
        assert_eq!(n, 2_500);
        // Labels N-1999..=N before the step.
        assert_eq!(s.chart.recorded_cycles(), Some((n - CHART_WINDOW, n - 1)));
        let before = s.chart.to_csv(s.machine().symbols());
        assert_eq!(before, stepped_chart(&fresh, n));
        s.apply(Command::StepCycle);
        // Labels N-1998..=N+1: the same length, ending at the cycle counter.
        assert_eq!(s.machine().cycle, n + 1);
        assert_eq!(s.chart.recorded_cycles(), Some((n + 1 - CHART_WINDOW, n)));
        assert_eq!(s.chart.range(), (n + 1 - CHART_WINDOW, n + 1));
        let after = s.chart.to_csv(s.machine().symbols());
        assert_eq!(after, stepped_chart(&fresh, n + 1));
        // The old rows' cells that stay in the window are unchanged.
        let kept = csv_from(&before, n + 2 - CHART_WINDOW);
        let now: Vec<&str> = csv_from(&after, n + 2 - CHART_WINDOW)
            .into_iter()
            .filter(|l| !l.contains(&format!(",{},", n + 1)))
            .collect();
        assert_eq!(kept, now);
        assert!(
            kept.len() > 2 * CHART_WINDOW as usize,
            "{} cells",
            kept.len()
        );
        // Instruction steps go on sliding.
        for _ in 0..3 {
            s.apply(Command::StepInstruction);
        }
        let m = s.machine().cycle;
        assert_eq!(s.chart.recorded_cycles(), Some((m - CHART_WINDOW, m - 1)));
        assert_eq!(
            s.chart.to_csv(s.machine().symbols()),
            stepped_chart(&fresh, m)
        );
    }

    #[test]
    fn a_run_on_the_fast_path_ends_with_the_chart_of_its_last_cycles() {
        let source = "    .globl _start\n_start:\n    li t0, 0\n    li t1, 20000\nloop:\n    \
                      addi t0, t0, 1\n    bne t0, t1, loop\n    li a0, 0\n    li a7, 93\n    \
                      ecall\n";
        let cfg = MachineConfig::preset("textbook").unwrap();
        let mut s = Session::demo(cfg).unwrap();
        s.apply(Command::Assemble {
            name: "loop.s".into(),
            source: source.into(),
        });
        let fresh = s.machine().clone();
        s.apply(Command::Run);
        run_to_stop(&mut s);
        assert_eq!(s.last_stop.as_deref(), Some("exited with code 0"));
        let p = s.machine().pipeline.as_ref().unwrap();
        assert!(p.fast_path_cycles > 40_000, "the fast path ran the loop");
        let now = s.machine().cycle;
        assert_eq!(
            s.chart.recorded_cycles(),
            Some((now - CHART_WINDOW, now - 1))
        );
        assert_eq!(
            s.chart.to_csv(s.machine().symbols()),
            stepped_chart(&fresh, now)
        );
    }

    #[test]
    fn a_stop_for_input_and_an_edit_keep_the_chart_right() {
        let cfg = MachineConfig::preset("textbook").unwrap();
        let mut s = Session::demo(cfg).unwrap();
        s.open(Path::new("roms/echo.elf"));
        s.apply(Command::Run);
        run_to_stop(&mut s);
        assert_eq!(s.last_stop.as_deref(), Some("waiting for console input"));
        let now = s.machine().cycle;
        let (_, last) = s.chart.recorded_cycles().expect("a chart");
        assert_eq!(last + 1, now);
        // Input edits the run: the chart after the next stop comes from
        // a base taken after it.
        s.apply(Command::PushInput(b"hi\n".to_vec()));
        s.apply(Command::CloseInput);
        run_to_stop(&mut s);
        assert_eq!(s.last_stop.as_deref(), Some("exited with code 0"));
        let (_, last) = s.chart.recorded_cycles().expect("a chart");
        assert_eq!(last + 1, s.machine().cycle);
    }
}
