//! `glassbox run`: the headless runner.

use super::{ConfigArgs, EXIT_USAGE, load_config, parse_u32};
use clap::{Args, ValueEnum};
use glassbox::cosim::Cosim;
use glassbox::debug::stops::StopSet;
use glassbox::machine::WatchKind;
use glassbox::machine::{Halt, Machine, StopReason};
use glassbox::pipeline::trace::ChartRecorder;
use glassbox::platform::{KeyEvent, KeyScript};
use glassbox::stats;
use std::collections::VecDeque;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;

use glassbox::headless::{BATCH, Ending};
/// Exit status when `--cosim` found the pipeline and the reference apart.
pub const EXIT_DIVERGENCE: u8 = 126;

#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum StatsFormat {
    #[default]
    Text,
    Json,
    Ron,
}

#[derive(Args, Default)]
pub struct RunArgs {
    /// ELF file, raw binary or assembly source (.s); the built-in demo if
    /// omitted
    pub rom: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub march: super::MarchArg,
    /// Stop after this many cycles (exit status 124)
    #[arg(long)]
    pub max_cycles: Option<u64>,
    /// Print statistics when the run ends
    #[arg(long)]
    pub stats: bool,
    /// Format of the statistics
    #[arg(long, value_enum, default_value_t)]
    pub stats_format: StatsFormat,
    /// Write statistics to this file instead of stderr (implies --stats)
    #[arg(long)]
    pub stats_file: Option<PathBuf>,
    /// Load the ROM as a raw binary image at this address (ROMs are ELF files otherwise)
    #[arg(long, value_parser = parse_u32)]
    pub raw_addr: Option<u32>,
    /// Check every retired instruction against the functional reference
    /// (exit status 126 and a report at the first divergence)
    #[arg(long)]
    pub cosim: bool,
    /// Print the pipeline chart of cycles FROM..TO (1-based, TO inclusive)
    /// after the run
    #[arg(long, value_name = "FROM..TO", value_parser = parse_range)]
    pub pipeline_trace: Option<(u64, u64)>,
    /// Write the pipeline chart as CSV to this file (with --pipeline-trace)
    #[arg(long, value_name = "FILE")]
    pub pipeline_trace_csv: Option<PathBuf>,
    /// Stop at a breakpoint: an address or a symbol, with an optional
    /// condition after a colon (`--break 'loop:a0 == 3'`); repeatable.
    /// The run prints the stop and exits with status 123
    #[arg(long = "break", value_name = "ADDR|SYMBOL[:COND]")]
    pub breaks: Vec<String>,
    /// Stop at a watchpoint: an address or a symbol, its length in bytes
    /// (4 if omitted) and r, w or a (read, write, access; w if omitted),
    /// as in `--watch counter:4:w`; repeatable
    #[arg(long = "watch", value_name = "ADDR|SYMBOL[:LEN][:r|w|a]")]
    pub watches: Vec<String>,
    /// Let semihosting programs open host files inside DIR (and nowhere else)
    #[arg(long, value_name = "DIR")]
    pub semihost_dir: Option<PathBuf>,
    /// Turn semihosting off: its `ebreak` is then an ordinary breakpoint
    #[arg(long)]
    pub no_semihosting: bool,
    /// Save the whole machine to FILE when the run reaches cycle CYCLE,
    /// then go on (load it with --load-state)
    #[arg(long, num_args = 2, value_names = ["CYCLE", "FILE"])]
    pub save_state_at: Option<Vec<String>>,
    /// Continue a run saved with --save-state-at (its configuration and
    /// program come from the file; the output printed before the save is
    /// printed first)
    #[arg(long, value_name = "FILE", conflicts_with_all = ["rom", "config", "raw_addr", "march"])]
    pub load_state: Option<PathBuf>,
    /// Feed the keyboard from a script of timed key events, one
    /// `CYCLE press|release KEY` a line (docs/platform.md, "Keyboard")
    #[arg(long, value_name = "FILE", conflicts_with = "cosim")]
    pub keys: Option<PathBuf>,
    /// Save the display as a PNG when the run ends, however it ends
    #[arg(long, value_name = "FILE.png")]
    pub screenshot: Option<PathBuf>,
    /// Also save the display at this cycle, as FILE-CYCLE.png beside the
    /// --screenshot file; repeatable
    #[arg(long, value_name = "CYCLE", requires = "screenshot")]
    pub screenshot_at: Vec<u64>,
}

/// Exit status when a `--break` or `--watch` stopped the run.
pub const EXIT_STOPPED: u8 = 123;

/// An address or a symbol of the program.
fn resolve(m: &Machine, text: &str) -> Result<u32, String> {
    let text = text.trim();
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        return parse_u32(text).map_err(|e| format!("{text:?}: {e}"));
    }
    m.symbols()
        .lookup(text)
        .ok_or_else(|| format!("{text:?} is neither an address nor a symbol of the program"))
}

/// The stops asked for with `--break` and `--watch`.
fn stop_set(m: &Machine, breaks: &[String], watches: &[String]) -> Result<StopSet, String> {
    let mut set = StopSet::new();
    for b in breaks {
        let (at, cond) = match b.split_once(':') {
            Some((at, cond)) => (at, Some(cond)),
            None => (b.as_str(), None),
        };
        let pc = resolve(m, at).map_err(|e| format!("--break {b}: {e}"))?;
        set.add_breakpoint(pc, cond)
            .map_err(|e| format!("--break {b}: {e}"))?;
    }
    for w in watches {
        let mut parts = w.split(':');
        let at = parts.next().unwrap_or_default();
        let addr = resolve(m, at).map_err(|e| format!("--watch {w}: {e}"))?;
        let mut len = 4;
        let mut kind = WatchKind::Write;
        for part in parts {
            match part.trim() {
                "r" => kind = WatchKind::Read,
                "w" => kind = WatchKind::Write,
                "a" => kind = WatchKind::Access,
                n => {
                    len = parse_u32(n)
                        .map_err(|e| format!("--watch {w}: length {n:?}: {e}, or r, w, a"))?
                }
            }
        }
        let (_, warning) = set
            .add_watchpoint(m, kind, addr, len, None)
            .map_err(|e| format!("--watch {w}: {e}"))?;
        if let Some(warning) = warning {
            eprintln!("glassbox: warning: --watch {w}: {warning}");
        }
    }
    Ok(set)
}

/// Parses `FROM..TO` (cycles, 1-based, inclusive) into a 0-based
/// half-open range of cycle indices.
fn parse_range(s: &str) -> Result<(u64, u64), String> {
    let (a, b) = s
        .split_once("..")
        .ok_or_else(|| format!("expected FROM..TO, got {s:?}"))?;
    let from: u64 = a.trim().parse().map_err(|e| format!("FROM: {e}"))?;
    let to: u64 = b.trim().parse().map_err(|e| format!("TO: {e}"))?;
    if from == 0 || to < from {
        return Err("cycles count from 1, and TO must not be below FROM".into());
    }
    Ok((from - 1, to))
}

/// Where `--save-state-at` saves: the cycle and the file.
fn save_point(args: &RunArgs) -> Result<Option<(u64, PathBuf)>, String> {
    let Some(v) = &args.save_state_at else {
        return Ok(None);
    };
    let cycle = v[0]
        .parse::<u64>()
        .map_err(|e| format!("--save-state-at: cycle {:?}: {e}", v[0]))?;
    Ok(Some((cycle, PathBuf::from(&v[1]))))
}

/// `--keys FILE`, read and parsed; errors name the file and the line.
fn key_script(path: &Path) -> Result<KeyScript, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("--keys {}: {e}", path.display()))?;
    KeyScript::parse(&text).map_err(|e| format!("--keys {}: {e}", path.display()))
}

/// Where `--screenshot-at CYCLE` saves: `DIR/STEM-CYCLE.EXT` beside the
/// `--screenshot` file.
fn screenshot_path(base: &Path, cycle: u64) -> PathBuf {
    let stem = base
        .file_stem()
        .map_or("screenshot".into(), |s| s.to_string_lossy().into_owned());
    let name = match base.extension() {
        Some(ext) => format!("{stem}-{cycle}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{cycle}"),
    };
    base.with_file_name(name)
}

/// Saves the display; a file that cannot be written is reported and the
/// run goes on (its result does not depend on the screenshot).
fn save_screenshot(m: &Machine, path: &Path) {
    if let Err(e) = std::fs::write(path, m.devices().display().png()) {
        eprintln!(
            "glassbox: --screenshot: cannot write {}: {e}",
            path.display()
        );
    }
}

/// What happens at given cycles during a run: key events and
/// screenshots, in cycle order. The run loop stops at each one's cycle.
#[derive(Default)]
struct Schedule {
    keys: VecDeque<KeyEvent>,
    /// Cycles of `--screenshot-at`, ascending.
    shots: VecDeque<u64>,
    shot_base: Option<PathBuf>,
}

impl Schedule {
    /// The next cycle at which something is due.
    fn next(&self) -> Option<u64> {
        let k = self.keys.front().map(|e| e.cycle);
        let s = self.shots.front().copied();
        k.into_iter().chain(s).min()
    }

    /// Does everything due at or before the machine's cycle.
    fn apply(&mut self, target: &mut Target) {
        // `--keys` conflicts with `--cosim`: the reference has no cycles.
        if let Target::Plain(m) = target {
            while let Some(e) = self.keys.front().filter(|e| e.cycle <= m.cycle) {
                m.key(e.code, e.pressed);
                self.keys.pop_front();
            }
        }
        let m = target.machine();
        while let Some(c) = self.shots.front().copied().filter(|&c| c <= m.cycle) {
            self.shots.pop_front();
            if let Some(base) = &self.shot_base {
                if c == m.cycle {
                    save_screenshot(m, &screenshot_path(base, c));
                } else {
                    eprintln!(
                        "glassbox: --screenshot-at {c}: the run starts at cycle {}: not saved",
                        m.cycle
                    );
                }
            }
        }
    }

    /// Reports screenshots the run ended before.
    fn report_missed(&self, end: u64) {
        for c in &self.shots {
            eprintln!("glassbox: --screenshot-at {c}: the run ended at cycle {end}: not saved");
        }
    }
}

pub fn main(args: RunArgs) -> ExitCode {
    let save_at = match save_point(&args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("glassbox: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let mut schedule = Schedule::default();
    if let Some(path) = &args.keys {
        match key_script(path) {
            Ok(script) => schedule.keys = script.events.into(),
            Err(e) => {
                eprintln!("glassbox: {e}");
                return ExitCode::from(EXIT_USAGE);
            }
        }
    }
    let mut shots = args.screenshot_at.clone();
    shots.sort_unstable();
    shots.dedup();
    schedule.shots = shots.into();
    schedule.shot_base = args.screenshot.clone();
    let mut saved_output = Vec::new();
    let machine = if let Some(path) = &args.load_state {
        glassbox::debug::SaveState::load(path)
            .map(|state| {
                saved_output = state.console;
                state.machine
            })
            .map_err(|e| format!("{}: {e}", path.display()))
    } else {
        load_config(&args.config).and_then(|mut cfg| {
            if let Some(dir) = &args.semihost_dir {
                if !dir.is_dir() {
                    return Err(format!("--semihost-dir {}: not a directory", dir.display()));
                }
                cfg.semihosting.dir = Some(dir.clone());
            }
            if args.no_semihosting {
                cfg.semihosting.enabled = false;
            }
            // The same machine a sweep builds for this pair.
            glassbox::headless::start(cfg, args.rom.as_deref(), args.raw_addr, args.march.march)
                .map_err(super::report_rom_error)
        })
    };
    let m = match machine {
        Ok(m) => m,
        Err(e) => {
            eprintln!("glassbox: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let mut stops = match stop_set(&m, &args.breaks, &args.watches) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("glassbox: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let limit = args.max_cycles.unwrap_or(u64::MAX);
    let mut chart = args.pipeline_trace.map(|(a, b)| ChartRecorder::new(a, b));
    if chart.is_some() && m.pipeline.is_none() {
        eprintln!("glassbox: --pipeline-trace needs the five-stage core (try --config textbook)");
        return ExitCode::from(EXIT_USAGE);
    }
    let mut target = if args.cosim {
        match Cosim::new(m) {
            Ok(c) => Target::Cosim(Box::new(c)),
            Err(e) => {
                eprintln!("glassbox: --cosim: {e}");
                return ExitCode::from(EXIT_USAGE);
            }
        }
    } else {
        Target::Plain(Box::new(m))
    };
    // A loaded state had its earlier key events already.
    let start = target.machine().cycle;
    schedule.keys.retain(|e| e.cycle >= start);
    let chart_from = args.pipeline_trace.map_or(0, |(a, _)| a);
    {
        // What a loaded state had printed comes first.
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(&saved_output);
        let _ = out.flush();
    }
    let mut console = Console {
        open_line: saved_output.last().is_some_and(|&b| b != b'\n'),
        log: saved_output,
    };
    let mut stop = None;
    if let Some((cycle, path)) = &save_at {
        let first = run_with_console(
            &mut target,
            limit.min(*cycle),
            chart.as_mut(),
            chart_from,
            &mut stops,
            &mut console,
            &mut schedule,
        );
        let m = target.machine();
        if matches!(first, Ok(StopReason::CycleLimit)) && m.cycle == *cycle {
            let name = args
                .rom
                .as_ref()
                .and_then(|r| r.file_name())
                .map_or("demo".into(), |n| n.to_string_lossy().into_owned());
            let state = glassbox::debug::SaveState::new(&name, m, &stops, &console.log);
            if let Err(e) = state.save(path) {
                eprintln!("glassbox: --save-state-at: {e}");
                return ExitCode::from(EXIT_USAGE);
            }
        } else {
            eprintln!(
                "glassbox: the run stopped at cycle {} before cycle {cycle}: no state saved",
                m.cycle
            );
            stop = Some(first);
        }
    }
    let stop = match stop {
        Some(s) => s,
        None => run_with_console(
            &mut target,
            limit,
            chart.as_mut(),
            chart_from,
            &mut stops,
            &mut console,
            &mut schedule,
        ),
    };
    if let Some(chart) = &chart {
        let m = target.machine();
        print!("\n{}", chart.to_text(m.symbols()));
        if let Some(path) = &args.pipeline_trace_csv
            && let Err(e) = std::fs::write(path, chart.to_csv(m.symbols()))
        {
            eprintln!("glassbox: cannot write {}: {e}", path.display());
        }
    }
    let stop = match stop {
        Ok(stop) => stop,
        Err(d) => {
            eprintln!("glassbox: {d}");
            return ExitCode::from(EXIT_DIVERGENCE);
        }
    };
    // A screenshot due at the cycle the run ended on is still taken.
    schedule.keys.clear();
    schedule.apply(&mut target);
    let m = target.machine();
    schedule.report_missed(m.cycle);
    if let Some(path) = &args.screenshot {
        save_screenshot(m, path);
    }
    let stats_to_stderr = (args.stats || args.stats_file.is_some()) && args.stats_file.is_none();
    let exited = matches!(stop, StopReason::Halted(Halt::Exited(_)));
    if console.open_line && stats_to_stderr && exited {
        // On a terminal stderr shares the screen with the guest's output:
        // the table starts on a line of its own. (Other endings print a
        // message line first, and the table follows it.)
        eprintln!();
    }
    let code = match &stop {
        StopReason::Breakpoint(_) | StopReason::Watchpoint(_) | StopReason::Event(_) => {
            eprintln!(
                "glassbox: {} (cycle {}, pc {:#010x})",
                stops.describe_stop(m, &stop),
                m.cycle,
                m.hart.pc
            );
            ExitCode::from(EXIT_STOPPED)
        }
        // Every other stop is an ending, whose status the library gives
        // (the one a sweep's row reports). `NeedInput` cannot reach here:
        // `run_with_console` answers it.
        _ => {
            let ending = Ending::of(&stop);
            match &ending {
                Ending::Exited(_) => {}
                Ending::Error(msg) => eprintln!("glassbox: machine stopped: {msg}"),
                Ending::CycleLimit => eprintln!(
                    "glassbox: stopped at the cycle limit ({}) before the program exited",
                    glassbox::pipeline::view::plural(limit, "cycle")
                ),
            }
            ExitCode::from(ending.exit_status())
        }
    };
    if args.stats || args.stats_file.is_some() {
        let s = m.stats();
        let text = match args.stats_format {
            StatsFormat::Text => stats::to_text(&s),
            StatsFormat::Json => stats::to_json(&s) + "\n",
            StatsFormat::Ron => stats::to_ron(&s) + "\n",
        };
        match &args.stats_file {
            Some(path) => {
                if let Err(e) = std::fs::write(path, text) {
                    eprintln!("glassbox: cannot write {}: {e}", path.display());
                    return ExitCode::from(EXIT_USAGE);
                }
            }
            None => eprint!("{text}"),
        }
    }
    code
}

/// What runs: a machine, or a machine checked against the reference.
enum Target {
    Plain(Box<Machine>),
    Cosim(Box<Cosim>),
}

impl Target {
    fn machine(&self) -> &Machine {
        match self {
            Target::Plain(m) => m,
            Target::Cosim(c) => &c.dut,
        }
    }

    fn run(&mut self, cycles: u64) -> Result<StopReason, Box<glassbox::cosim::Divergence>> {
        match self {
            Target::Plain(m) => Ok(m.run(cycles)),
            Target::Cosim(c) => c.run(cycles),
        }
    }

    fn take_output(&mut self) -> Vec<u8> {
        match self {
            Target::Plain(m) => m.take_output(),
            Target::Cosim(c) => c.take_output(),
        }
    }

    fn push_input(&mut self, bytes: &[u8]) {
        match self {
            Target::Plain(m) => m.push_input(bytes),
            Target::Cosim(c) => c.push_input(bytes),
        }
    }

    fn take_notes(&mut self) -> Vec<String> {
        match self {
            Target::Plain(m) => m.take_notes(),
            Target::Cosim(c) => c.dut.take_notes(),
        }
    }

    fn close_input(&mut self) {
        match self {
            Target::Plain(m) => m.close_input(),
            Target::Cosim(c) => c.close_input(),
        }
    }
}

/// What the guest wrote to stdout, as far as the runner needs to know.
#[derive(Default)]
struct Console {
    /// The guest's output so far ends without a newline.
    open_line: bool,
    /// Everything printed, for `--save-state-at`.
    log: Vec<u8>,
}

/// Where console input comes from.
enum Input {
    /// Piped or redirected stdin, already queued whole: deterministic.
    Queued,
    /// A terminal, read by a thread so the machine runs meanwhile.
    Terminal(mpsc::Receiver<Vec<u8>>),
}

fn start_input(m: &mut Target) -> Input {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut all = Vec::new();
        // An unreadable stdin is the same as an empty one for the guest.
        let _ = stdin.lock().read_to_end(&mut all);
        m.push_input(&all);
        m.close_input();
        return Input::Queued;
    }
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        let mut stdin = std::io::stdin();
        loop {
            match stdin.read(&mut buf) {
                Ok(0) | Err(_) => {
                    let _ = tx.send(Vec::new());
                    return;
                }
                Ok(n) => {
                    if tx.send(buf[..n].to_vec()).is_err() {
                        return;
                    }
                }
            }
        }
    });
    Input::Terminal(rx)
}

/// Feeds console input from a chunk: an empty chunk means end of input.
fn feed(m: &mut Target, chunk: Vec<u8>) {
    if chunk.is_empty() {
        m.close_input();
    } else {
        m.push_input(&chunk);
    }
}

/// Runs until exit, error or `limit` cycles, connecting the guest console
/// to stdin and stdout, and recording the pipeline chart if asked.
fn run_with_console(
    m: &mut Target,
    limit: u64,
    mut chart: Option<&mut ChartRecorder>,
    chart_from: u64,
    stops: &mut StopSet,
    console: &mut Console,
    schedule: &mut Schedule,
) -> Result<StopReason, Box<glassbox::cosim::Divergence>> {
    if !stops.is_empty() {
        match m {
            Target::Plain(p) => stops.arm(p),
            Target::Cosim(c) => stops.arm(&mut c.dut),
        }
    }
    let input = start_input(m);
    let mut stdout = std::io::stdout().lock();
    loop {
        schedule.apply(m);
        let now = m.machine().cycle;
        // Runs end at the next scheduled event's cycle (a run does not
        // depend on how it is split, so this changes nothing else).
        let left = limit
            .saturating_sub(now)
            .min(schedule.next().map_or(u64::MAX, |c| c - now));
        let stop = match chart.as_deref_mut() {
            // Inside the chart's range: one cycle at a time.
            Some(c) if c.wants(now) => {
                let stop = m.run(1)?;
                if let Some(p) = &m.machine().pipeline {
                    c.record(&p.last());
                }
                stop
            }
            // Before the range: run up to its start.
            Some(_) if now < chart_from => m.run(left.min(BATCH).min(chart_from - now))?,
            _ => m.run(left.min(BATCH))?,
        };
        let out = m.take_output();
        if let Some(&last) = out.last() {
            console.open_line = last != b'\n';
        }
        // A closed stdout must not stop the machine.
        let _ = stdout.write_all(&out);
        console.log.extend_from_slice(&out);
        let _ = stdout.flush();
        for note in m.take_notes() {
            eprintln!("glassbox: note: {note}");
        }
        match (&stop, &input) {
            (StopReason::CycleLimit, _) if m.machine().cycle < limit => {
                if let Input::Terminal(rx) = &input {
                    while let Ok(chunk) = rx.try_recv() {
                        feed(m, chunk);
                    }
                }
            }
            (StopReason::NeedInput, Input::Terminal(rx)) => match rx.recv() {
                Ok(chunk) => feed(m, chunk),
                Err(_) => m.close_input(),
            },
            // Queued input is already closed, so the machine cannot wait.
            (StopReason::NeedInput, Input::Queued) => m.close_input(),
            // A raw stop the user did not ask for (false condition,
            // ignored hit): run on.
            (StopReason::Breakpoint(_) | StopReason::Watchpoint(_) | StopReason::Event(_), _)
                if !stops.accept(m.machine(), &stop) => {}
            _ => return Ok(stop),
        }
    }
}
