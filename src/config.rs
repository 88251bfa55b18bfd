//! The machine's configuration: a RON file, strict about what it accepts.

mod field;
mod names;
mod patch;

pub use field::FieldValue;

pub use names::{
    ConfigName, Part, Parts, preset_equal_to, preset_names, preset_parts, preset_with_part,
    presets_for,
};

use serde::{Deserialize, Serialize};
use std::path::Path;

/// How deep `base` references may nest (a loop is an error, not a hang).
const MAX_BASE_DEPTH: usize = 8;

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
    /// The memory-mapped devices (display size, frame length).
    pub devices: DevicesConfig,
}

/// The devices of `docs/platform.md` ("Devices"): the display's size and
/// how many cycles a frame lasts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DevicesConfig {
    /// Display width in pixels (8..=1024).
    pub display_width: u32,
    /// Display height in pixels (8..=1024).
    pub display_height: u32,
    /// Cycles per frame (1000..=100,000,000): the frame counter and vsync
    /// follow the cycle count, never host time.
    pub frame_cycles: u32,
}

impl Default for DevicesConfig {
    fn default() -> Self {
        DevicesConfig {
            display_width: 320,
            display_height: 240,
            frame_cycles: 200_000,
        }
    }
}

impl DevicesConfig {
    /// The first rule a field breaks, as (field, rule).
    pub fn check(&self) -> Result<(), (&'static str, &'static str)> {
        if !(8..=1024).contains(&self.display_width) {
            return Err(("devices.display_width", "must be between 8 and 1024 pixels"));
        }
        if !(8..=1024).contains(&self.display_height) {
            return Err((
                "devices.display_height",
                "must be between 8 and 1024 pixels",
            ));
        }
        if !(1000..=100_000_000).contains(&self.frame_cycles) {
            return Err((
                "devices.frame_cycles",
                "must be between 1000 and 100000000 cycles",
            ));
        }
        Ok(())
    }
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
            devices: DevicesConfig::default(),
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
    /// An invalid value in a file: the file, then the field and the rule.
    #[error("{path}: {error}")]
    File {
        path: String,
        error: Box<ConfigError>,
    },
    /// A name that is neither a file nor a preset of the right kind.
    #[error("`{name}` is not {what}; {choices}")]
    Unknown {
        name: String,
        what: String,
        choices: String,
    },
    /// A `base` that cannot be resolved (missing, or nested too deep).
    #[error("{origin}: base `{base}`: {message}")]
    Base {
        origin: String,
        base: String,
        message: String,
    },
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
    ("ideal", include_str!("../assets/configs/ideal.ron")),
    ("not-taken", include_str!("../assets/configs/not-taken.ron")),
    ("btfnt", include_str!("../assets/configs/btfnt.ron")),
];

/// Names the file in a value error (syntax errors name it already).
fn in_file(path: &Path, e: ConfigError) -> ConfigError {
    match e {
        ConfigError::Invalid { .. } => ConfigError::File {
            path: path.display().to_string(),
            error: Box::new(e),
        },
        other => other,
    }
}

/// Parses what a file says, without applying it. A message that names no
/// field (`Expected boolean`) gets the field path at its position.
fn parse_patch(text: &str, origin: &str) -> Result<patch::MachinePatch, ConfigError> {
    ron::from_str(text).map_err(|e| {
        let (line, col) = (e.span.start.line, e.span.start.col);
        let mut message = e.code.to_string();
        if !message.contains('`')
            && let Some(field) = field_at(text, line, col)
        {
            message = format!("{message} for `{field}`");
        }
        ConfigError::Syntax {
            location: format!("{origin}:{line}:{col}"),
            message,
        }
    })
}

/// The dotted path of the field whose value is at (line, column), both
/// 1-based: the `name:` keys of the enclosing parentheses and the last key
/// before the position. Strings and `//` comments are skipped.
fn field_at(text: &str, line: usize, col: usize) -> Option<String> {
    let end = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>()
        + text
            .lines()
            .nth(line.saturating_sub(1))?
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(0, |(i, _)| i);
    let text = text.get(..end)?;
    // Keys of the open parentheses (None: a value's own parentheses, like
    // `Some(`), and the last key seen at the current depth.
    let mut stack: Vec<Option<String>> = Vec::new();
    let mut key: Option<String> = None;
    let mut word = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
                word.clear();
            }
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                word.clear();
            }
            c if c.is_alphanumeric() || c == '_' => word.push(c),
            ':' => key = Some(std::mem::take(&mut word)),
            '(' => {
                stack.push(key.take());
                word.clear();
            }
            ')' => {
                key = stack.pop().flatten();
                word.clear();
            }
            ',' => {
                key = None;
                word.clear();
            }
            _ => word.clear(),
        }
    }
    let path: Vec<String> = stack.into_iter().flatten().chain(key).collect();
    (!path.is_empty()).then(|| path.join("."))
}

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
    /// of that name (with or without `.ron`). A name that is neither lists
    /// the presets.
    pub fn from_file_or_preset(path: &Path) -> Result<MachineConfig, ConfigError> {
        if !path.exists() {
            let name = path.to_string_lossy();
            if let Some(cfg) = Self::preset(name.trim_end_matches(".ron")) {
                return Ok(cfg);
            }
            // A bare word was meant as a preset; a path as a file.
            if path.components().count() == 1 && path.extension().is_none() {
                return Err(ConfigError::Unknown {
                    name: name.into_owned(),
                    what: "a configuration file or a preset".into(),
                    choices: format!("the presets are: {}", preset_names().join(", ")),
                });
            }
        }
        Self::from_file(path)
    }

    /// Parses RON text. `origin` names the source in messages (a path);
    /// a `base` file is looked up next to it.
    pub fn from_ron(text: &str, origin: &str) -> Result<MachineConfig, ConfigError> {
        Self::from_ron_at(text, origin, 0)
    }

    fn from_ron_at(text: &str, origin: &str, depth: usize) -> Result<MachineConfig, ConfigError> {
        let patch = parse_patch(text, origin)?;
        let mut cfg = match &patch.base {
            None => MachineConfig::default(),
            Some(base) => Self::base_config(base, origin, depth + 1)?,
        };
        patch.apply(&mut cfg);
        cfg.validate()?;
        Ok(cfg)
    }

    /// What a `base` names: a preset, or a file next to `origin`.
    fn base_config(base: &str, origin: &str, depth: usize) -> Result<MachineConfig, ConfigError> {
        let err = |message: String| ConfigError::Base {
            origin: origin.to_string(),
            base: base.to_string(),
            message,
        };
        if depth > MAX_BASE_DEPTH {
            return Err(err(format!(
                "bases nest more than {MAX_BASE_DEPTH} deep (does one name itself?)"
            )));
        }
        if let Some((name, text)) = PRESETS.iter().find(|(n, _)| *n == base) {
            return Self::from_ron_at(text, name, depth);
        }
        let path = match Path::new(origin).parent() {
            Some(dir) => dir.join(base),
            None => Path::new(base).to_path_buf(),
        };
        if !path.is_file() {
            return Err(err(format!(
                "no such preset or file; the presets are: {}",
                preset_names().join(", ")
            )));
        }
        let text = std::fs::read_to_string(&path).map_err(|e| err(e.to_string()))?;
        Self::from_ron_at(&text, &path.display().to_string(), depth).map_err(|e| in_file(&path, e))
    }

    /// Reads a RON file; every error names the file.
    pub fn from_file(path: &Path) -> Result<MachineConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Self::from_ron(&text, &path.display().to_string()).map_err(|e| in_file(path, e))
    }

    /// The fields that have no effect in this configuration, each with
    /// why (the Configuration view disables them and shows the reason). A
    /// field path ends where everything below it is affected alike
    /// (`memory` covers every memory field).
    pub fn inert_fields(&self) -> Vec<(&'static str, &'static str)> {
        let mut v = Vec::new();
        if self.core.model != CoreModel::FiveStage {
            const WHY: &str = "only the five-stage pipeline has this: choose the five-stage model";
            for f in [
                "core.forwarding",
                "core.hazard_detection",
                "core.branch_resolution",
                "core.predictor",
                "core.mul_latency",
                "core.div_latency",
            ] {
                v.push((f, WHY));
            }
        }
        if self.core.model == CoreModel::Functional {
            v.push((
                "memory",
                "the functional model has no timing, so it uses no caches: choose \
                 single-cycle or five-stage",
            ));
        } else if !self.memory.has_caches() {
            const WHY: &str =
                "without caches memory is ideal (no stalls): this takes effect once a cache is on";
            for f in [
                "memory.latency",
                "memory.transfer_per_word",
                "memory.sample_interval",
            ] {
                v.push((f, WHY));
            }
        }
        v
    }

    /// Why `field` has no effect in this configuration, if it has none.
    pub fn inert(&self, field: &str) -> Option<&'static str> {
        self.inert_fields()
            .into_iter()
            .find(|(f, _)| field == *f || field.strip_prefix(f).is_some_and(|r| r.starts_with('.')))
            .map(|(_, why)| why)
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
        if let Err((field, rule)) = self.devices.check() {
            return invalid(field, rule);
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
