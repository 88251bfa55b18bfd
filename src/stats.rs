//! Statistics: every figure has a hierarchical name, a unit and a one-line
//! description, and this list is the single source that the CLI, the GUI and
//! the tests read.

use crate::machine::{Halt, Machine};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum StatValue {
    Count(u64),
    Int(i64),
    Real(f64),
    /// Not defined for this run (e.g. `exit_code` before an exit).
    Missing,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stat {
    pub name: &'static str,
    pub unit: &'static str,
    pub description: &'static str,
    pub value: StatValue,
}

impl Machine {
    /// Every statistic of the run so far, in a stable order.
    pub fn stats(&self) -> Vec<Stat> {
        let exit = match &self.halt {
            Some(Halt::Exited(code)) => StatValue::Int(*code as i64),
            _ => StatValue::Missing,
        };
        let cpi = if self.instret == 0 {
            StatValue::Missing
        } else {
            StatValue::Real(self.cycle as f64 / self.instret as f64)
        };
        vec![
            Stat {
                name: "cycles",
                unit: "cycles",
                description: "clock cycles completed since reset",
                value: StatValue::Count(self.cycle),
            },
            Stat {
                name: "instret",
                unit: "instructions",
                description: "instructions retired since reset",
                value: StatValue::Count(self.instret),
            },
            Stat {
                name: "cpi",
                unit: "cycles/instruction",
                description: "average cycles per retired instruction",
                value: cpi,
            },
            Stat {
                name: "exit_code",
                unit: "",
                description: "the program's exit code, once it has exited",
                value: exit,
            },
        ]
    }
}

/// One flat JSON object keyed by stat name.
pub fn to_json(stats: &[Stat]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = stats
        .iter()
        .map(|s| {
            let v = serde_json::to_value(s.value).unwrap_or(serde_json::Value::Null);
            (s.name.to_string(), v)
        })
        .collect();
    serde_json::to_string_pretty(&map).unwrap_or_default()
}

/// The same map in RON (a missing value is `()`).
pub fn to_ron(stats: &[Stat]) -> String {
    let map: std::collections::BTreeMap<&str, StatValue> =
        stats.iter().map(|s| (s.name, s.value)).collect();
    ron::ser::to_string_pretty(&map, ron::ser::PrettyConfig::default()).unwrap_or_default()
}

/// Aligned human-readable table.
pub fn to_text(stats: &[Stat]) -> String {
    let mut out = String::new();
    for s in stats {
        let v = match s.value {
            StatValue::Count(n) => n.to_string(),
            StatValue::Int(n) => n.to_string(),
            StatValue::Real(x) => format!("{x:.4}"),
            StatValue::Missing => "-".into(),
        };
        out.push_str(&format!(
            "{:<24} {:>16} {:<20} {}\n",
            s.name, v, s.unit, s.description
        ));
    }
    out
}
