//! `monitor` commands: what GDB has no word for (cycles, statistics,
//! seeking in the recorded history). Each returns the text GDB prints;
//! bad arguments get a message and change nothing.

use super::control::Stop;
use super::target::GdbTarget;

pub const HELP: &str = "\
Glassbox monitor commands:
  monitor cycle         the current cycle and instructions retired
  monitor stepc N       run N cycles forward (stops early at a breakpoint or exit)
  monitor seek CYCLE    go to CYCLE, between reset and the furthest cycle reached
  monitor stats         the statistics table, as `glassbox run --stats` prints it
  monitor help          this text
GDB keeps its copy of the registers: after stepc or seek, run
`maintenance flush register-cache`.
";

/// Runs one command line and returns its output.
pub fn run(t: &mut GdbTarget, cmd: &[u8]) -> String {
    let Ok(line) = std::str::from_utf8(cmd) else {
        return "error: the command is not text\n".into();
    };
    let mut words = line.split_whitespace();
    let (Some(name), args) = (words.next(), words.collect::<Vec<_>>()) else {
        return HELP.into();
    };
    match (name, args.as_slice()) {
        ("help", []) => HELP.into(),
        ("cycle", []) => {
            let m = t.ctl.machine();
            format!("cycle {} (instret {})\n", m.cycle, m.instret)
        }
        ("stats", []) => crate::stats::to_text(&t.ctl.machine().stats()),
        ("stepc", [n]) => match parse_count(n) {
            Ok(n) => {
                let stop = t.ctl.step_cycles(n);
                let m = t.ctl.machine();
                let at = format!("cycle {} pc {:#010x}", m.cycle, m.hart.pc);
                match stop {
                    Stop::Done => format!("{at}\n"),
                    other => format!("{at}: {}\n", describe(&other)),
                }
            }
            Err(e) => format!("error: stepc N: {e}\n"),
        },
        ("seek", [c]) => match parse_count(c) {
            Ok(c) => match t.ctl.seek(c) {
                Ok(()) => {
                    let m = t.ctl.machine();
                    format!("cycle {} pc {:#010x}\n", m.cycle, m.hart.pc)
                }
                Err(e) => format!("error: seek: {e}\n"),
            },
            Err(e) => format!("error: seek CYCLE: {e}\n"),
        },
        ("help" | "cycle" | "stats", _) => format!("error: `{name}` takes no arguments\n"),
        ("stepc" | "seek", _) => format!("error: `{name}` takes one number\n"),
        _ => format!("error: unknown command `{name}` (try `monitor help`)\n"),
    }
}

/// A cycle count: decimal, `0x` hexadecimal, `_` separators allowed.
fn parse_count(s: &str) -> Result<u64, String> {
    let s = s.replace('_', "");
    let r = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => s.parse(),
    };
    r.map_err(|_| format!("`{s}` is not a cycle count"))
}

fn describe(stop: &Stop) -> String {
    match stop {
        Stop::Done => "done".into(),
        Stop::Breakpoint(pc) => format!("breakpoint at {pc:#010x}"),
        Stop::Watch { addr, .. } => format!("watchpoint on {addr:#010x}"),
        Stop::Exited(c) => format!("the program exited with code {c}"),
        Stop::Error(e) => format!("machine stopped: {e}"),
        Stop::HistoryStart => "at the start of the history".into(),
    }
}
