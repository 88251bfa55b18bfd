//! Statistics: every figure has a hierarchical name, a unit and a one-line
//! description, and this list is the single source that the CLI, the GUI and
//! the tests read.

use crate::machine::{Halt, Machine};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
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
        if let Some(h) = &self.memory {
            memory_stats(h, &mut out);
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
    let stalls = p.stall_load_use
        + p.stall_data
        + p.stall_ex_busy
        + p.stall_serialize
        + p.stall_wfi
        + p.stall_icache
        + p.stall_dcache;
    out.extend([
        count(
            "pipeline.stall.total",
            "cycles",
            "stall cycles summed over all causes (two causes can overlap in one cycle)",
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
            "pipeline.stall.icache",
            "cycles",
            "IF waited for an instruction-cache fill",
            p.stall_icache,
        ),
        count(
            "pipeline.stall.dcache",
            "cycles",
            "the pipeline froze for a data-cache miss in MEM",
            p.stall_dcache,
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

/// Per-level cache figures: `l1i.*`, `l1d.*`, `l2.*`.
fn memory_stats(h: &crate::memory::Hierarchy, out: &mut Vec<Stat>) {
    use crate::memory::Level;
    // Names must be 'static: one table per level.
    struct Names {
        accesses: &'static str,
        hits: &'static str,
        misses: &'static str,
        hit_rate: &'static str,
        reads: &'static str,
        read_misses: &'static str,
        writes: &'static str,
        write_misses: &'static str,
        fetches: &'static str,
        fetch_misses: &'static str,
        compulsory: &'static str,
        capacity: &'static str,
        conflict: &'static str,
        writebacks: &'static str,
        amat: &'static str,
    }
    macro_rules! names {
        ($p:literal) => {
            Names {
                accesses: concat!($p, ".accesses"),
                hits: concat!($p, ".hits"),
                misses: concat!($p, ".misses"),
                hit_rate: concat!($p, ".hit_rate"),
                reads: concat!($p, ".reads"),
                read_misses: concat!($p, ".read_misses"),
                writes: concat!($p, ".writes"),
                write_misses: concat!($p, ".write_misses"),
                fetches: concat!($p, ".fetches"),
                fetch_misses: concat!($p, ".fetch_misses"),
                compulsory: concat!($p, ".misses.compulsory"),
                capacity: concat!($p, ".misses.capacity"),
                conflict: concat!($p, ".misses.conflict"),
                writebacks: concat!($p, ".writebacks"),
                amat: concat!($p, ".amat"),
            }
        };
    }
    let levels = [
        (Level::L1i, names!("l1i")),
        (Level::L1d, names!("l1d")),
        (Level::L2, names!("l2")),
    ];
    for (level, n) in levels {
        let Some(c) = h.cache(level) else { continue };
        let st = c.stats();
        out.extend([
            count(
                n.accesses,
                "accesses",
                "accesses of every kind",
                st.accesses(),
            ),
            count(n.hits, "accesses", "accesses that hit", st.hits()),
            count(n.misses, "accesses", "accesses that missed", st.misses()),
            ratio(
                n.hit_rate,
                "share of accesses that hit",
                st.hits(),
                st.accesses(),
            ),
            count(n.reads, "accesses", "data reads", st.read.accesses),
            count(
                n.read_misses,
                "accesses",
                "data reads that missed",
                st.read.misses,
            ),
            count(n.writes, "accesses", "data writes", st.write.accesses),
            count(
                n.write_misses,
                "accesses",
                "data writes that missed",
                st.write.misses,
            ),
            count(
                n.fetches,
                "accesses",
                "instruction fetches",
                st.fetch.accesses,
            ),
            count(
                n.fetch_misses,
                "accesses",
                "instruction fetches that missed",
                st.fetch.misses,
            ),
            count(
                n.compulsory,
                "misses",
                "misses on a line never cached before",
                st.compulsory,
            ),
            count(
                n.capacity,
                "misses",
                "misses a fully associative LRU cache of the same size would also have",
                st.capacity,
            ),
            count(
                n.conflict,
                "misses",
                "misses a fully associative LRU cache of the same size would not have",
                st.conflict,
            ),
            count(
                n.writebacks,
                "lines",
                "dirty lines written to the level below",
                st.writebacks,
            ),
        ]);
        if level != Level::L2 {
            // AMAT seen by the CPU: the hit time plus the stall cycles the
            // misses (and write-backs) of this L1 cost, per access.
            let hit = c.config().hit_latency as f64;
            let value = if st.accesses() == 0 {
                StatValue::Missing
            } else {
                StatValue::Real(
                    hit + h.penalty_cycles[level as usize] as f64 / st.accesses() as f64,
                )
            };
            out.push(Stat {
                name: n.amat,
                unit: "cycles",
                description: "average memory access time: hit time plus stall cycles per access",
                value,
            });
        }
    }
    out.push(count(
        "memory.write_buffer_full",
        "writes",
        "writes that found the L1D write buffer full and waited",
        h.buffer_full.0,
    ));
}
