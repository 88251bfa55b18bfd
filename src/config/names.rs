//! Configurations as independent choices: a whole configuration (a preset
//! or a file) as the base, and on top of it the core variant, the branch
//! predictor and the memory hierarchy, each picked from the presets that
//! set that part. Picking one part keeps the others, so a lesson changes
//! one thing at a time (`--config default --core no-forwarding` keeps the
//! default caches).

use super::{ConfigError, MachineConfig, PRESETS};
use std::fmt;
use std::path::Path;

/// One independently chosen part of a machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// The core model and its variant: forwarding, hazard unit, branch
    /// stage, multiply and divide latencies (everything in `core` but the
    /// predictor).
    Core,
    /// `core.predictor`.
    Predictor,
    /// `memory`: the caches and main memory.
    Memory,
}

/// Which parts a preset file names itself (not through its `base`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Parts {
    pub core: bool,
    pub predictor: bool,
    pub memory: bool,
    /// `ram_size`, `misaligned`, `semihosting` or `devices`.
    pub machine: bool,
}

impl Parts {
    pub fn has(&self, part: Part) -> bool {
        match part {
            Part::Core => self.core,
            Part::Predictor => self.predictor,
            Part::Memory => self.memory,
        }
    }
}

impl Part {
    pub const ALL: [Part; 3] = [Part::Core, Part::Predictor, Part::Memory];

    /// The word used on the command line (`--core`) and in names.
    pub fn name(self) -> &'static str {
        match self {
            Part::Core => "core",
            Part::Predictor => "predictor",
            Part::Memory => "memory",
        }
    }

    /// Copies this part of `from` into `to`, leaving everything else.
    pub fn copy(self, from: &MachineConfig, to: &mut MachineConfig) {
        match self {
            Part::Core => {
                let predictor = to.core.predictor;
                to.core = from.core.clone();
                to.core.predictor = predictor;
            }
            Part::Predictor => to.core.predictor = from.core.predictor,
            Part::Memory => to.memory = from.memory.clone(),
        }
    }

    /// Whether `a` and `b` agree on this part.
    pub fn same(self, a: &MachineConfig, b: &MachineConfig) -> bool {
        let mut b2 = b.clone();
        self.copy(a, &mut b2);
        b2 == *b
    }
}

/// Every preset, parsed once: (name, configuration, parts it sets).
fn table() -> &'static [(&'static str, MachineConfig, Parts)] {
    static TABLE: std::sync::OnceLock<Vec<(&'static str, MachineConfig, Parts)>> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        PRESETS
            .iter()
            .filter_map(|(name, text)| {
                let parts = super::parse_patch(text, name).ok()?.parts();
                Some((*name, MachineConfig::preset(name)?, parts))
            })
            .collect()
    })
}

/// The parts a built-in preset sets, or `None` for an unknown name.
pub fn preset_parts(name: &str) -> Option<Parts> {
    table().iter().find(|(n, ..)| *n == name).map(|(.., p)| *p)
}

/// The presets that set `part`, in `PRESETS` order.
pub fn presets_for(part: Part) -> Vec<&'static str> {
    table()
        .iter()
        .filter(|(.., p)| p.has(part))
        .map(|(n, ..)| *n)
        .collect()
}

/// The first preset equal to `cfg` as a whole.
pub fn preset_equal_to(cfg: &MachineConfig) -> Option<&'static str> {
    table()
        .iter()
        .find(|(_, pc, _)| pc == cfg)
        .map(|(n, ..)| *n)
}

/// The first preset that sets `part` and agrees with `cfg` on it.
pub fn preset_with_part(part: Part, cfg: &MachineConfig) -> Option<&'static str> {
    table()
        .iter()
        .find(|(_, pc, p)| p.has(part) && part.same(cfg, pc))
        .map(|(n, ..)| *n)
}

/// Every preset name, in `PRESETS` order.
pub fn preset_names() -> Vec<&'static str> {
    PRESETS.iter().map(|(n, _)| *n).collect()
}

/// A configuration by its choices: `base` is a preset name or a RON file;
/// each part given replaces that part of the base with the same part of a
/// preset (or file). This is what `--config`, `--core`, `--predictor` and
/// `--memory` say, and what the window shows as the configuration's name.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ConfigName {
    pub base: String,
    pub core: Option<String>,
    pub predictor: Option<String>,
    pub memory: Option<String>,
}

impl ConfigName {
    /// A base alone.
    pub fn base(base: impl Into<String>) -> ConfigName {
        ConfigName {
            base: base.into(),
            ..ConfigName::default()
        }
    }

    pub fn part(&self, part: Part) -> Option<&str> {
        match part {
            Part::Core => self.core.as_deref(),
            Part::Predictor => self.predictor.as_deref(),
            Part::Memory => self.memory.as_deref(),
        }
    }

    pub fn set_part(&mut self, part: Part, name: Option<String>) {
        let slot = match part {
            Part::Core => &mut self.core,
            Part::Predictor => &mut self.predictor,
            Part::Memory => &mut self.memory,
        };
        *slot = name;
    }

    /// The replaced parts as the name shows them after its base:
    /// `, core: no-forwarding, memory: classic-l1` (empty when none).
    pub fn parts_text(&self) -> String {
        Part::ALL
            .into_iter()
            .filter_map(|part| Some(format!(", {}: {}", part.name(), self.part(part)?)))
            .collect()
    }

    /// The configuration these choices denote.
    pub fn resolve(&self) -> Result<MachineConfig, ConfigError> {
        let mut cfg = MachineConfig::from_file_or_preset(Path::new(&self.base))?;
        for part in Part::ALL {
            if let Some(name) = self.part(part) {
                part.copy(&part_source(part, name)?, &mut cfg);
            }
        }
        cfg.validate()?;
        Ok(cfg)
    }

    /// The shortest name built from presets that denotes exactly `cfg`:
    /// a whole preset if one is equal, else a preset base with the fewest
    /// parts replaced (earlier presets first on ties). `None` when no
    /// combination of presets makes `cfg`.
    pub fn describe(cfg: &MachineConfig) -> Option<ConfigName> {
        let mut best: Option<(usize, ConfigName)> = None;
        for (base_name, base, _) in table() {
            if base.ram_size != cfg.ram_size
                || base.misaligned != cfg.misaligned
                || base.semihosting != cfg.semihosting
                || base.devices != cfg.devices
            {
                continue;
            }
            let mut name = ConfigName::base(*base_name);
            let mut count = 0;
            let mut ok = true;
            for part in Part::ALL {
                if part.same(cfg, base) {
                    continue;
                }
                let found = presets_for(part)
                    .into_iter()
                    .find(|p| MachineConfig::preset(p).is_some_and(|pc| part.same(cfg, &pc)));
                match found {
                    Some(p) => {
                        name.set_part(part, Some(p.to_string()));
                        count += 1;
                    }
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok && best.as_ref().is_none_or(|(c, _)| count < *c) {
                best = Some((count, name));
            }
        }
        best.map(|(_, n)| n)
    }

    /// How the window names `cfg` when it was last chosen as `self`, which
    /// denotes `named`: the name itself, else a name built from presets,
    /// else the name marked "(modified)".
    pub fn label_for(&self, named: &MachineConfig, cfg: &MachineConfig) -> String {
        if named == cfg {
            return self.to_string();
        }
        match ConfigName::describe(cfg) {
            Some(n) => n.to_string(),
            None => format!("{self} (modified)"),
        }
    }
}

impl fmt::Display for ConfigName {
    /// `default`, or `default, core: no-forwarding, memory: classic-l1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let base = Path::new(&self.base)
            .file_name()
            .map_or_else(|| self.base.clone(), |n| n.to_string_lossy().into_owned());
        write!(f, "{base}{}", self.parts_text())
    }
}

/// The configuration a part comes from: a preset that sets that part, or
/// a RON file.
fn part_source(part: Part, name: &str) -> Result<MachineConfig, ConfigError> {
    if let Some(parts) = preset_parts(name) {
        if parts.has(part) {
            return MachineConfig::preset(name).ok_or_else(|| unknown_part(part, name));
        }
        return Err(unknown_part(part, name));
    }
    let path = Path::new(name);
    if path.is_file() {
        return MachineConfig::from_file(path);
    }
    Err(unknown_part(part, name))
}

fn unknown_part(part: Part, name: &str) -> ConfigError {
    ConfigError::Unknown {
        name: name.to_string(),
        what: format!("a {} preset or a configuration file", part.name()),
        choices: format!(
            "the {} presets are: {}",
            part.name(),
            presets_for(part).join(", ")
        ),
    }
}
