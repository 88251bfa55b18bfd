//! The comparison table of a group (or of a sweep's rows): cycles, CPI,
//! stall cycles by cause, misses per cache level, predictor accuracy and
//! the speed-up against the first machine. A pure function of the members'
//! statistics (`stats`), so the GUI, `glassbox sweep` and the tests build
//! the same table.

use crate::stats::{Stat, StatValue};
use std::collections::BTreeMap;

/// Statistics by name, as `Machine::stats` gives them or as read back from
/// a JSON result file.
pub type StatMap = BTreeMap<String, StatValue>;

/// A machine's statistics as a map by name.
pub fn stat_map(stats: &[Stat]) -> StatMap {
    stats
        .iter()
        .map(|s| (s.name.to_string(), s.value))
        .collect()
}

/// The rows of the table, in order: (statistic name, row title, unit).
/// `speedup` is computed, not a statistic.
pub const ROWS: [(&str, &str, &str); 17] = [
    ("cycles", "cycles", "cycles"),
    ("instret", "instructions retired", "instructions"),
    ("cpi", "CPI", "cycles/instruction"),
    ("speedup", "speed-up vs first", "×"),
    ("pipeline.stall.total", "stall cycles", "cycles"),
    ("pipeline.stall.load_use", "stall: load-use", "cycles"),
    ("pipeline.stall.data_hazard", "stall: data hazard", "cycles"),
    ("pipeline.stall.ex_busy", "stall: multi-cycle EX", "cycles"),
    ("pipeline.stall.serialize", "stall: serialize", "cycles"),
    ("pipeline.stall.wfi", "stall: wfi", "cycles"),
    ("pipeline.stall.icache", "stall: I-cache", "cycles"),
    ("pipeline.stall.dcache", "stall: D-cache", "cycles"),
    ("pipeline.flush.mispredict", "mispredict flushes", "flushes"),
    ("l1i.misses", "L1I misses", "accesses"),
    ("l1d.misses", "L1D misses", "accesses"),
    ("l2.misses", "L2 misses", "accesses"),
    ("predictor.accuracy", "predictor accuracy", "fraction"),
];

/// One row: a figure for every member (`None`: the member has no such
/// figure, e.g. cache misses without caches, or it is undefined).
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The statistic's name (`speedup` for the computed speed-up).
    pub stat: &'static str,
    pub title: &'static str,
    pub unit: &'static str,
    pub values: Vec<Option<f64>>,
}

impl Row {
    /// Each value as a share of the row's largest, for bars (0 when
    /// missing or when every value is 0).
    pub fn bars(&self) -> Vec<f64> {
        let max = self.values.iter().flatten().fold(0.0f64, |a, &b| a.max(b));
        self.values
            .iter()
            .map(|v| match v {
                Some(v) if max > 0.0 => v / max,
                _ => 0.0,
            })
            .collect()
    }

    /// A value as text: counts whole, fractions and ratios with 4 decimals.
    pub fn text(&self, i: usize) -> String {
        match self.values.get(i).copied().flatten() {
            None => "-".into(),
            Some(v) if v.fract() == 0.0 && v.abs() < 1e15 && !self.is_ratio() => {
                format!("{}", v as i64)
            }
            Some(v) => format!("{v:.4}"),
        }
    }

    fn is_ratio(&self) -> bool {
        matches!(self.stat, "cpi" | "speedup" | "predictor.accuracy")
    }
}

/// The comparison of several machines: one column per member.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub labels: Vec<String>,
    /// Only rows at least one member has a figure for.
    pub rows: Vec<Row>,
}

impl Comparison {
    pub fn row(&self, stat: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.stat == stat)
    }

    /// The table as aligned text.
    pub fn to_text(&self) -> String {
        let title_w = self.rows.iter().map(|r| r.title.len()).max().unwrap_or(0);
        let widths: Vec<usize> = (0..self.labels.len())
            .map(|i| {
                self.rows
                    .iter()
                    .map(|r| r.text(i).len())
                    .chain([self.labels[i].len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = format!("{:title_w$}", "");
        for (l, w) in self.labels.iter().zip(&widths) {
            out.push_str(&format!("  {l:>w$}"));
        }
        out.push('\n');
        for r in &self.rows {
            out.push_str(&format!("{:title_w$}", r.title));
            for (i, w) in widths.iter().enumerate() {
                out.push_str(&format!("  {:>w$}", r.text(i)));
            }
            out.push('\n');
        }
        out
    }
}

fn number(v: Option<&StatValue>) -> Option<f64> {
    match v? {
        StatValue::Count(n) => Some(*n as f64),
        StatValue::Int(n) => Some(*n as f64),
        StatValue::Real(x) => Some(*x),
        StatValue::Missing => None,
    }
}

/// The comparison table of members with these labels and statistics (the
/// first member is the baseline of the speed-up: its cycles over each
/// member's cycles).
pub fn compare(labels: &[String], stats: &[StatMap]) -> Comparison {
    let base = stats.first().and_then(|s| number(s.get("cycles")));
    let mut rows = Vec::new();
    for (stat, title, unit) in ROWS {
        let values: Vec<Option<f64>> = if stat == "speedup" {
            stats
                .iter()
                .map(|s| match (base, number(s.get("cycles"))) {
                    (Some(b), Some(c)) if c > 0.0 => Some(b / c),
                    _ => None,
                })
                .collect()
        } else {
            stats.iter().map(|s| number(s.get(stat))).collect()
        };
        if values.iter().any(Option::is_some) {
            rows.push(Row {
                stat,
                title,
                unit,
                values,
            });
        }
    }
    Comparison {
        labels: labels.to_vec(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, StatValue)]) -> StatMap {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn speedup_is_first_cycles_over_each() {
        let a = map(&[
            ("cycles", StatValue::Count(200)),
            ("cpi", StatValue::Real(2.0)),
        ]);
        let b = map(&[
            ("cycles", StatValue::Count(100)),
            ("cpi", StatValue::Real(1.0)),
            ("l1d.misses", StatValue::Count(7)),
        ]);
        let c = compare(&["a".into(), "b".into()], &[a, b]);
        assert_eq!(c.row("speedup").unwrap().values, vec![Some(1.0), Some(2.0)]);
        assert_eq!(c.row("l1d.misses").unwrap().values, vec![None, Some(7.0)]);
        assert_eq!(c.row("cycles").unwrap().bars(), vec![1.0, 0.5]);
        // Rows nobody has are left out.
        assert!(c.row("l2.misses").is_none());
        assert_eq!(
            c.to_text(),
            "                        a       b\n\
             cycles                200     100\n\
             CPI                2.0000  1.0000\n\
             speed-up vs first  1.0000  2.0000\n\
             L1D misses              -       7\n"
        );
    }
}
