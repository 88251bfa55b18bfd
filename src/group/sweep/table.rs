//! A sweep's results: one `Row` per run, printed as an aligned table and
//! written as CSV and JSON. A JSON results file carries the Glassbox
//! version and each row's statistics by name, so that result files written
//! by separate jobs can be merged (`jobs::merge`) and checked to belong
//! together.

use crate::group::compare::StatMap;
use crate::headless::Ending;
use crate::stats::StatValue;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// How a run ended, as a row shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The program exited with this code.
    Exited(i32),
    /// The cycle limit came first (`glassbox run` exits 124).
    CycleLimit,
    /// The machine stopped with an error (`glassbox run` exits 125).
    MachineError(String),
    /// The parameters make no valid configuration.
    ConfigError(String),
    /// The ROM could not be loaded.
    LoadError(String),
}

impl From<Ending> for Status {
    fn from(e: Ending) -> Status {
        match e {
            Ending::Exited(c) => Status::Exited(c),
            Ending::CycleLimit => Status::CycleLimit,
            Ending::Error(m) => Status::MachineError(m),
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Exited(c) => write!(f, "exit {c}"),
            Status::CycleLimit => f.write_str("cycle limit"),
            Status::MachineError(m) => write!(f, "error: {m}"),
            Status::ConfigError(m) => write!(f, "config error: {m}"),
            Status::LoadError(m) => write!(f, "load error: {m}"),
        }
    }
}

/// One run's result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The run's place in its plan.
    pub index: usize,
    /// The base configuration as named.
    pub config: String,
    /// Each varied field and its value, in the plan's order.
    pub params: Vec<(String, String)>,
    pub rom: String,
    pub status: Status,
    /// The statistics `glassbox run --stats` prints, by name (empty when
    /// the run could not start).
    pub stats: StatMap,
}

impl Row {
    /// The value of column `key`: `config`, `rom`, a parameter's field.
    pub fn key(&self, key: &str) -> Option<String> {
        match key {
            "config" => Some(self.config.clone()),
            "rom" => Some(self.rom.clone()),
            _ => self
                .params
                .iter()
                .find(|(f, _)| f == key)
                .map(|(_, v)| v.clone()),
        }
    }

    pub fn stat(&self, name: &str) -> Option<f64> {
        match self.stats.get(name)? {
            StatValue::Count(n) => Some(*n as f64),
            StatValue::Int(n) => Some(*n as f64),
            StatValue::Real(x) => Some(*x),
            StatValue::Missing => None,
        }
    }
}

/// The version written into results files.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A results file: the version that wrote it and its rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Results {
    pub glassbox_version: String,
    pub rows: Vec<Row>,
}

impl Results {
    pub fn new(rows: Vec<Row>) -> Results {
        Results {
            glassbox_version: VERSION.to_string(),
            rows,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("results serialize") + "\n"
    }

    /// Every parameter field, in first-seen order.
    pub fn param_fields(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in &self.rows {
            for (f, _) in &r.params {
                if !out.contains(f) {
                    out.push(f.clone());
                }
            }
        }
        out
    }

    /// Every statistic name any row has: the first few in the table's
    /// order, the rest by name.
    pub fn stat_names(&self) -> Vec<String> {
        const FIRST: [&str; 4] = ["cycles", "instret", "cpi", "exit_code"];
        let mut all: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
        for r in &self.rows {
            all.extend(r.stats.keys().map(String::as_str));
        }
        let mut out: Vec<String> = FIRST
            .iter()
            .filter(|n| all.contains(**n))
            .map(|n| n.to_string())
            .collect();
        out.extend(
            all.into_iter()
                .filter(|n| !FIRST.contains(n))
                .map(str::to_string),
        );
        out
    }

    /// The aligned table printed at the end of a sweep: configuration,
    /// parameters, ROM, cycles, instructions, CPI, status.
    pub fn to_text(&self) -> String {
        let fields = self.param_fields();
        let mut head: Vec<String> = vec!["config".into()];
        head.extend(fields.iter().cloned());
        // The status goes last: an error message may be long.
        head.extend(["rom", "cycles", "instret", "cpi", "status"].map(String::from));
        let numeric = head.len() - 4..head.len() - 1;
        let mut lines = vec![head];
        for r in &self.rows {
            let mut line = vec![r.config.clone()];
            line.extend(fields.iter().map(|f| r.key(f).unwrap_or_default()));
            line.push(r.rom.clone());
            for s in ["cycles", "instret", "cpi"] {
                line.push(value_text(r.stats.get(s), 4));
            }
            line.push(r.status.to_string());
            lines.push(line);
        }
        let widths: Vec<usize> = (0..lines[0].len())
            .map(|c| {
                lines
                    .iter()
                    .map(|l| l[c].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for l in &lines {
            let mut text = String::new();
            for (c, cell) in l.iter().enumerate() {
                if c > 0 {
                    text.push_str("  ");
                }
                if numeric.contains(&c) {
                    let _ = write!(text, "{cell:>w$}", w = widths[c]);
                } else if c + 1 < l.len() {
                    let _ = write!(text, "{cell:<w$}", w = widths[c]);
                } else {
                    text.push_str(cell);
                }
            }
            out.push_str(text.trim_end());
            out.push('\n');
        }
        out
    }

    /// CSV with a header: config, each parameter, rom, status, message,
    /// then every statistic (empty where a row has none).
    pub fn to_csv(&self) -> String {
        let fields = self.param_fields();
        let stats = self.stat_names();
        let mut head: Vec<String> = vec!["config".into()];
        head.extend(fields.iter().cloned());
        head.extend(["rom", "status", "message"].map(String::from));
        head.extend(stats.iter().cloned());
        let mut out = csv_line(&head);
        for r in &self.rows {
            let (status, message) = match &r.status {
                Status::Exited(c) => (format!("exit {c}"), String::new()),
                Status::CycleLimit => ("cycle limit".into(), String::new()),
                Status::MachineError(m) => ("error".into(), m.clone()),
                Status::ConfigError(m) => ("config error".into(), m.clone()),
                Status::LoadError(m) => ("load error".into(), m.clone()),
            };
            let mut line = vec![r.config.clone()];
            line.extend(fields.iter().map(|f| r.key(f).unwrap_or_default()));
            line.extend([r.rom.clone(), status, message]);
            line.extend(stats.iter().map(|s| match r.stats.get(s) {
                None | Some(StatValue::Missing) => String::new(),
                // Full precision: CSV is for further work.
                Some(StatValue::Real(x)) => x.to_string(),
                v => value_text(v, 0),
            }));
            out.push_str(&csv_line(&line));
        }
        out
    }
}

fn value_text(v: Option<&StatValue>, decimals: usize) -> String {
    match v {
        Some(StatValue::Count(n)) => n.to_string(),
        Some(StatValue::Int(n)) => n.to_string(),
        Some(StatValue::Real(x)) => format!("{x:.decimals$}"),
        Some(StatValue::Missing) | None => "-".into(),
    }
}

/// One CSV record (RFC 4180 quoting).
fn csv_line(cells: &[String]) -> String {
    let mut out = cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(index: usize, size: &str, cycles: u64) -> Row {
        let mut stats = StatMap::new();
        stats.insert("cycles".into(), StatValue::Count(cycles));
        stats.insert("cpi".into(), StatValue::Real(1.5));
        Row {
            index,
            config: "classic-l1".into(),
            params: vec![("memory.l1d.size".into(), size.into())],
            rom: "a, b.elf".into(),
            status: Status::Exited(0),
            stats,
        }
    }

    #[test]
    fn csv_quotes_and_orders_columns() {
        let r = Results::new(vec![row(0, "1024", 10), row(1, "2048", 9)]);
        assert_eq!(
            r.to_csv(),
            "config,memory.l1d.size,rom,status,message,cycles,cpi\n\
             classic-l1,1024,\"a, b.elf\",exit 0,,10,1.5\n\
             classic-l1,2048,\"a, b.elf\",exit 0,,9,1.5\n"
        );
    }

    #[test]
    fn text_table_aligns_columns() {
        let r = Results::new(vec![row(0, "1024", 10), row(1, "2048", 9)]);
        assert_eq!(
            r.to_text(),
            "config      memory.l1d.size  rom       cycles  instret     cpi  status\n\
             classic-l1  1024             a, b.elf      10        -  1.5000  exit 0\n\
             classic-l1  2048             a, b.elf       9        -  1.5000  exit 0\n"
        );
    }

    #[test]
    fn results_round_trip_through_json() {
        let r = Results::new(vec![row(0, "1024", 10)]);
        let back: Results = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(back, r);
    }
}
