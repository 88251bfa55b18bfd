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
        let mut out = vec![
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
        ];
        if let Some(p) = &self.pipeline {
            pipeline_stats(&p.stats, &mut out);
        }
        out
    }
}

fn count(name: &'static str, unit: &'static str, description: &'static str, v: u64) -> Stat {
    Stat {
        name,
        unit,
        description,
        value: StatValue::Count(v),
    }
}

fn ratio(name: &'static str, description: &'static str, num: u64, den: u64) -> Stat {
    Stat {
        name,
        unit: "fraction",
        description,
        value: if den == 0 {
            StatValue::Missing
        } else {
            StatValue::Real(num as f64 / den as f64)
        },
    }
}

fn pipeline_stats(p: &crate::pipeline::PipelineStats, out: &mut Vec<Stat>) {
    use crate::isa::InstClass;
    let stalls =
        p.stall_load_use + p.stall_data + p.stall_ex_busy + p.stall_serialize + p.stall_wfi;
    out.extend([
        count(
            "pipeline.stall.total",
            "cycles",
            "cycles in which some stage stalled, all causes",
            stalls,
        ),
        count(
            "pipeline.stall.load_use",
            "cycles",
            "ID stalled behind a load whose value is not ready",
            p.stall_load_use,
        ),
        count(
            "pipeline.stall.data_hazard",
            "cycles",
            "ID waited for a producer to reach write-back (no forwarding path)",
            p.stall_data,
        ),
        count(
            "pipeline.stall.ex_busy",
            "cycles",
            "a multi-cycle multiply or divide held EX",
            p.stall_ex_busy,
        ),
        count(
            "pipeline.stall.serialize",
            "cycles",
            "a CSR instruction or mret waited for older instructions",
            p.stall_serialize,
        ),
        count(
            "pipeline.stall.wfi",
            "cycles",
            "wfi waited in ID for an interrupt",
            p.stall_wfi,
        ),
        count(
            "pipeline.flush.mispredict",
            "flushes",
            "flushes after a mispredicted branch or jump",
            p.flush_mispredict,
        ),
        count(
            "pipeline.flush.trap",
            "flushes",
            "flushes when a trap was taken",
            p.flush_trap,
        ),
        count(
            "pipeline.flush.other",
            "flushes",
            "flushes by interrupts, syscalls, mret and fence.i",
            p.flush_other,
        ),
        count(
            "pipeline.squashed",
            "instructions",
            "instructions thrown away by flushes",
            p.squashed,
        ),
        count(
            "pipeline.forwards",
            "operands",
            "operands delivered by a forwarding path",
            p.forwards,
        ),
        count(
            "pipeline.stale_reads",
            "operands",
            "operands read stale because the hazard unit is off",
            p.stale_reads,
        ),
        count("pipeline.traps", "traps", "exceptions taken", p.traps),
        count(
            "pipeline.interrupts",
            "interrupts",
            "interrupts taken",
            p.interrupts,
        ),
    ]);
    let kinds = [
        (
            "predictor.branch.resolved",
            "predictor.branch.correct",
            "predictor.branch.accuracy",
            "conditional branches",
        ),
        (
            "predictor.jal.resolved",
            "predictor.jal.correct",
            "predictor.jal.accuracy",
            "jal",
        ),
        (
            "predictor.jalr.resolved",
            "predictor.jalr.correct",
            "predictor.jalr.accuracy",
            "jalr",
        ),
    ];
    let descriptions = [
        (
            "conditional branches resolved",
            "conditional branches whose next pc was predicted right",
            "share of conditional branches predicted right",
        ),
        (
            "jal instructions resolved",
            "jal instructions whose target was predicted right",
            "share of jal predicted right",
        ),
        (
            "jalr instructions resolved",
            "jalr instructions whose target was predicted right",
            "share of jalr predicted right",
        ),
    ];
    let (mut all, mut all_ok) = (0, 0);
    for (i, ((n, c, a, _), (dn, dc, da))) in kinds.iter().zip(descriptions).enumerate() {
        let (resolved, correct) = p.predictions[i];
        all += resolved;
        all_ok += correct;
        out.push(count(n, "instructions", dn, resolved));
        out.push(count(c, "instructions", dc, correct));
        out.push(ratio(a, da, correct, resolved));
    }
    out.push(ratio(
        "predictor.accuracy",
        "share of all branches and jumps predicted right",
        all_ok,
        all,
    ));
    const CLASS_STATS: [(&str, &str); 11] = [
        ("class.alu", "retired ALU instructions (incl. lui, auipc)"),
        ("class.mul", "retired multiplies"),
        ("class.div", "retired divides and remainders"),
        ("class.load", "retired loads"),
        ("class.store", "retired stores"),
        ("class.branch", "retired conditional branches"),
        ("class.jump", "retired jal and jalr"),
        ("class.csr", "retired CSR instructions"),
        ("class.system", "retired ecall, ebreak, mret, wfi"),
        ("class.fence", "retired fence and fence.i"),
        (
            "class.illegal",
            "retired illegal instructions (always 0: they trap)",
        ),
    ];
    for (c, (name, description)) in InstClass::ALL.iter().zip(CLASS_STATS) {
        out.push(count(
            name,
            "instructions",
            description,
            p.class_counts[*c as usize],
        ));
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
            "{:<28} {:>14} {:<20} {}\n",
            s.name, v, s.unit, s.description
        ));
    }
    out
}
