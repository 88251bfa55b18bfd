//! The machine's configuration: a RON file, strict about what it accepts.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// What a misaligned load or store does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Misaligned {
    /// Raise a load/store address-misaligned exception, as Spike does.
    #[default]
    Trap,
    /// Perform the access byte by byte, like hardware that supports it.
    Emulate,
}

/// Which CPU model runs the program. The library's default is the
/// functional reference; the command line and the GUI start from
/// `assets/configs/default.ron`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CoreModel {
    /// No timing model: one instruction per step, at full speed.
    #[default]
    Functional,
    /// One instruction per cycle, plus memory stall cycles.
    SingleCycle,
    /// The classic IF/ID/EX/MEM/WB pipeline.
    FiveStage,
}

/// Where branches and jumps are resolved in the five-stage core.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum BranchStage {
    #[default]
    Ex,
    Id,
}

/// Branch prediction, done in IF.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum PredictorConfig {
    /// Always fetch the next instruction in program order (pc + 2 or 4).
    #[default]
    StaticNotTaken,
    /// Backward conditional branches taken, forward not taken; `jal`
    /// taken; `jalr` not taken. IF predecodes the fetched word.
    StaticBtfnt,
    /// Per-branch saturating counters (`counter_bits` 1 or 2) indexed by
    /// pc, with a direct-mapped branch target buffer.
    Bimodal {
        counter_bits: u8,
        entries: u32,
        btb_entries: u32,
    },
    /// 2-bit counters indexed by pc XOR global history, with a BTB.
    Gshare {
        history_bits: u8,
        entries: u32,
        btb_entries: u32,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CoreConfig {
    pub model: CoreModel,
    /// EX/MEM→EX and MEM/WB→EX forwarding (and →ID with branches in ID).
    pub forwarding: bool,
    /// The hazard unit: without it no stall is ever inserted and readers
    /// see stale values.
    pub hazard_detection: bool,
    pub branch_resolution: BranchStage,
    pub predictor: PredictorConfig,
    /// Cycles `mul*` occupies EX (at least 1).
    pub mul_latency: u32,
    /// Cycles `div*`/`rem*` occupy EX (at least 1).
    pub div_latency: u32,
}

impl CoreConfig {
    /// Cycles an instruction of `class` occupies EX (`fence.i` adds its
    /// write-backs to this).
    pub fn ex_cycles(&self, class: crate::isa::InstClass) -> u32 {
        use crate::isa::InstClass::{Div, Mul};
        match class {
            Mul => self.mul_latency.max(1),
            Div => self.div_latency.max(1),
            _ => 1,
        }
    }
}

impl Default for CoreConfig {
    fn default() -> Self {
        CoreConfig {
            model: CoreModel::Functional,
            forwarding: true,
            hazard_detection: true,
            branch_resolution: BranchStage::Ex,
            predictor: PredictorConfig::StaticNotTaken,
            mul_latency: 1,
            div_latency: 1,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MachineConfig {
    /// RAM size in bytes, at 0x8000_0000. A multiple of 4 KiB, at most 2 GiB.
    pub ram_size: u32,
    pub misaligned: Misaligned,
    pub core: CoreConfig,
    /// Caches and main memory; without caches memory is ideal.
    pub memory: crate::memory::MemoryConfig,
    /// RISC-V semihosting (`ebreak` between the marker instructions).
    pub semihosting: SemihostConfig,
}

/// Semihosting: on by default, with no host files unless a directory is
/// named (`--semihost-dir DIR`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SemihostConfig {
    /// Off: the marked `ebreak` is an ordinary breakpoint exception.
    pub enabled: bool,
    /// The only host directory whose files the guest may open.
    pub dir: Option<std::path::PathBuf>,
}

impl Default for SemihostConfig {
    fn default() -> Self {
        SemihostConfig {
            enabled: true,
            dir: None,
        }
    }
}

impl Default for MachineConfig {
    fn default() -> Self {
        MachineConfig {
            ram_size: 64 << 20,
            misaligned: Misaligned::Trap,
            core: CoreConfig::default(),
            memory: crate::memory::MemoryConfig::default(),
            semihosting: SemihostConfig::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {message}")]
    Io { path: String, message: String },
    #[error("{location}: {message}")]
    Syntax { location: String, message: String },
    #[error("invalid configuration: {field}: {rule}")]
    Invalid { field: String, rule: String },
}

/// The presets in `assets/configs/`, built into the binary so that they
/// work from any directory: `--config textbook` finds them by name.
pub const PRESETS: &[(&str, &str)] = &[
    ("default", include_str!("../assets/configs/default.ron")),
    ("textbook", include_str!("../assets/configs/textbook.ron")),
    (
        "single-cycle",
        include_str!("../assets/configs/single-cycle.ron"),
    ),
    (
        "functional",
        include_str!("../assets/configs/functional.ron"),
    ),
    (
        "no-forwarding",
        include_str!("../assets/configs/no-forwarding.ron"),
    ),
    (
        "no-hazard-detection",
        include_str!("../assets/configs/no-hazard-detection.ron"),
    ),
    (
        "bare-pipeline",
        include_str!("../assets/configs/bare-pipeline.ron"),
    ),
    (
        "branch-in-id",
        include_str!("../assets/configs/branch-in-id.ron"),
    ),
    ("bimodal", include_str!("../assets/configs/bimodal.ron")),
    ("gshare", include_str!("../assets/configs/gshare.ron")),
    (
        "classic-l1",
        include_str!("../assets/configs/classic-l1.ron"),
    ),
    (
        "l1-l2-dram",
        include_str!("../assets/configs/l1-l2-dram.ron"),
    ),
];

impl MachineConfig {
    /// A built-in preset by name (`"textbook"`, `"gshare"`, ...).
    pub fn preset(name: &str) -> Option<MachineConfig> {
        let (_, text) = PRESETS.iter().find(|(n, _)| *n == name)?;
        // Presets are tested to parse; a broken one is a build defect.
        Self::from_ron(text, name).ok()
    }

    /// What runs when no configuration is given (`default.ron`).
    pub fn default_preset() -> MachineConfig {
        Self::preset("default").unwrap_or_default()
    }

    /// Reads a configuration file, or, when no such file exists, a preset
    /// of that name (with or without `.ron`).
    pub fn from_file_or_preset(path: &Path) -> Result<MachineConfig, ConfigError> {
        if !path.exists() {
            let name = path.to_string_lossy();
            if let Some(cfg) = Self::preset(name.trim_end_matches(".ron")) {
                return Ok(cfg);
            }
        }
        Self::from_file(path)
    }

    /// Parses RON text. `origin` names the source in messages (a path).
    pub fn from_ron(text: &str, origin: &str) -> Result<MachineConfig, ConfigError> {
        let cfg: MachineConfig = ron::from_str(text).map_err(|e| ConfigError::Syntax {
            location: format!("{origin}:{}:{}", e.span.start.line, e.span.start.col),
            message: e.code.to_string(),
        })?;
        cfg.validate()?;
        Ok(cfg)
    }

    pub fn from_file(path: &Path) -> Result<MachineConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Self::from_ron(&text, &path.display().to_string())
    }

    pub fn to_ron(&self) -> String {
        ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default())
            .expect("configuration serializes")
    }

    /// Checks every rule a configuration must meet before a machine is built.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |field: &str, rule: &str| {
            Err(ConfigError::Invalid {
                field: field.into(),
                rule: rule.into(),
            })
        };
        if self.ram_size == 0 || !self.ram_size.is_multiple_of(4096) {
            return invalid("ram_size", "must be a non-zero multiple of 4096 bytes");
        }
        if self.ram_size > 1 << 31 {
            return invalid("ram_size", "must be at most 2 GiB (RAM ends at 0xffffffff)");
        }
        self.memory.validate().map_err(|msg| {
            let (field, rule) = msg.split_once(": ").unwrap_or(("memory", &msg));
            ConfigError::Invalid {
                field: field.to_string(),
                rule: rule.to_string(),
            }
        })?;
        let core = &self.core;
        for (field, v) in [
            ("core.mul_latency", core.mul_latency),
            ("core.div_latency", core.div_latency),
        ] {
            if !(1..=1000).contains(&v) {
                return invalid(field, "must be between 1 and 1000 cycles");
            }
        }
        let pow2 = |field: &str, v: u32, max: u32| {
            if !v.is_power_of_two() || v > max {
                invalid(field, &format!("must be a power of two from 1 to {max}"))
            } else {
                Ok(())
            }
        };
        match core.predictor {
            PredictorConfig::StaticNotTaken | PredictorConfig::StaticBtfnt => {}
            PredictorConfig::Bimodal {
                counter_bits,
                entries,
                btb_entries,
            } => {
                if !(1..=2).contains(&counter_bits) {
                    return invalid("core.predictor.counter_bits", "must be 1 or 2");
                }
                pow2("core.predictor.entries", entries, 1 << 20)?;
                pow2("core.predictor.btb_entries", btb_entries, 1 << 16)?;
            }
            PredictorConfig::Gshare {
                history_bits,
                entries,
                btb_entries,
            } => {
                pow2("core.predictor.entries", entries, 1 << 20)?;
                pow2("core.predictor.btb_entries", btb_entries, 1 << 16)?;
                if history_bits == 0 || u32::from(history_bits) > entries.trailing_zeros() {
                    return invalid(
                        "core.predictor.history_bits",
                        "must be at least 1 and at most log2(entries)",
                    );
                }
            }
        }
        Ok(())
    }
}
