//! What a sweep runs: base configurations, parameters each set to every
//! value of a list or range (the cartesian product), and ROMs. From the
//! command line (`--config`, `--set`, ROMs) or a sweep file:
//!
//! ```ron
//! Sweep(
//!     configs: ["classic-l1"],
//!     vary: [
//!         (field: "memory.l1d.size", pow2: (1024, 65536)),
//!         (field: "memory.l1d.ways", values: [1, 2, 4, 8]),
//!     ],
//!     roms: ["../roms/matmul*.elf"],
//!     max_cycles: 100000000,
//! )
//! ```
//!
//! Configuration files and ROM patterns in a sweep file are relative to
//! the file. A field path is set with `MachineConfig::with_field`, so every
//! configuration a sweep builds is checked as a configuration file is.

use crate::asm::Isa;
use crate::config::{ConfigError, ConfigName, FieldValue, MachineConfig};
use serde::{Deserialize, Deserializer};
use std::path::{Path, PathBuf};

/// A parameter: a field path and the values it takes, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub field: String,
    pub values: Vec<FieldValue>,
}

impl Param {
    /// Reads `FIELD=V1,V2,...` (a `--set` flag).
    pub fn parse(text: &str) -> Result<Param, String> {
        let (field, values) = text
            .split_once('=')
            .ok_or_else(|| format!("--set {text}: expected FIELD=VALUE[,VALUE...]"))?;
        let field = field.trim();
        if field.is_empty() || values.trim().is_empty() {
            return Err(format!("--set {text}: expected FIELD=VALUE[,VALUE...]"));
        }
        Ok(Param {
            field: field.to_string(),
            values: values.split(',').map(FieldValue::parse).collect(),
        })
    }
}

/// A base configuration: how it was named, what to pass to `--config` to
/// get it again, and the configuration.
#[derive(Clone, Debug)]
pub struct Base {
    pub name: String,
    pub arg: String,
    pub config: MachineConfig,
}

/// `--core`, `--predictor` and `--memory` of a sweep: parts that replace
/// the same parts of every base configuration, before any parameter is
/// set, exactly as `glassbox run` replaces them (through `ConfigName`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PartChoices {
    pub core: Option<String>,
    pub predictor: Option<String>,
    pub memory: Option<String>,
}

impl PartChoices {
    /// The name of `base` with these parts replaced.
    pub fn on(&self, base: &str) -> ConfigName {
        ConfigName {
            base: base.to_string(),
            core: self.core.clone(),
            predictor: self.predictor.clone(),
            memory: self.memory.clone(),
        }
    }
}

/// A whole sweep.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Where the plan comes from, for messages (`command line` or a file).
    pub origin: String,
    pub bases: Vec<Base>,
    /// Parts replaced in every base (`set_parts`).
    pub parts: PartChoices,
    pub params: Vec<Param>,
    pub roms: Vec<PathBuf>,
    /// The ISA assembly-source ROMs are assembled for (`--march`; rv32im
    /// when `None`).
    pub isa: Option<Isa>,
    pub max_cycles: Option<u64>,
}

/// One run of a sweep.
#[derive(Clone, Debug)]
pub struct Job {
    /// Position in the plan (configuration-major, then parameters, then ROM).
    pub index: usize,
    /// The base configuration's name and its `--config` argument (the
    /// name shows the replaced parts, the argument does not).
    pub config: String,
    pub config_arg: String,
    /// The parts replaced in the base (`--core`, ...).
    pub parts: PartChoices,
    /// `--march`, for an assembly-source ROM.
    pub isa: Option<Isa>,
    /// Each varied field with its value in this run.
    pub params: Vec<(String, FieldValue)>,
    /// The configuration, or why the parameters make none.
    pub machine: Result<MachineConfig, String>,
    pub rom: PathBuf,
}

/// Resolves a `--config` argument as `glassbox run --config` does.
pub fn resolve_config(name: &str) -> Result<MachineConfig, ConfigError> {
    ConfigName::base(name).resolve()
}

impl Plan {
    /// A plan from command-line flags: configurations (preset names or
    /// files; `default` when none), `--set` parameters and ROMs.
    pub fn from_args(
        configs: &[String],
        params: Vec<Param>,
        roms: Vec<PathBuf>,
        max_cycles: Option<u64>,
    ) -> Result<Plan, String> {
        let names: Vec<String> = if configs.is_empty() {
            vec!["default".into()]
        } else {
            configs.to_vec()
        };
        let mut bases = Vec::new();
        for name in names {
            let config = resolve_config(&name).map_err(|e| format!("--config {name}: {e}"))?;
            bases.push(Base {
                arg: name.clone(),
                name,
                config,
            });
        }
        let plan = Plan {
            origin: "command line".into(),
            bases,
            parts: PartChoices::default(),
            params,
            roms,
            isa: None,
            max_cycles,
        };
        plan.check()?;
        Ok(plan)
    }

    /// Reads a sweep file.
    pub fn from_file(path: &Path) -> Result<Plan, String> {
        let origin = path.display().to_string();
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("cannot read {origin}: {e}"))?;
        let file: SweepFile = ron::from_str(&text).map_err(|e| {
            format!(
                "{origin}:{}:{}: {}",
                e.span.start.line, e.span.start.col, e.code
            )
        })?;
        let dir = path.parent().unwrap_or(Path::new(""));
        let mut bases = Vec::new();
        for (i, name) in file.configs.iter().enumerate() {
            // A file next to the sweep file, else a preset or a path from
            // here (as `--config` takes it).
            let beside = tidy(&dir.join(name));
            let arg = if !dir.as_os_str().is_empty() && beside.is_file() {
                beside.display().to_string()
            } else {
                name.clone()
            };
            let config =
                resolve_config(&arg).map_err(|e| format!("{origin}: configs[{i}] {name}: {e}"))?;
            bases.push(Base {
                name: name.clone(),
                arg,
                config,
            });
        }
        let mut params = Vec::new();
        for (i, p) in file.vary.into_iter().enumerate() {
            params.push(
                p.into_param()
                    .map_err(|e| format!("{origin}: vary[{i}] (`{}`): {e}", e.field))?,
            );
        }
        let mut roms = Vec::new();
        for (i, pattern) in file.roms.iter().enumerate() {
            let full = tidy(&dir.join(pattern));
            let full_text = full.display().to_string();
            if !pattern.contains(['*', '?', '[']) {
                // A plain path is taken as it is: if it does not load, its
                // rows say so.
                roms.push(full);
                continue;
            }
            let mut found: Vec<PathBuf> = glob::glob(&full_text)
                .map_err(|e| format!("{origin}: roms[{i}] `{pattern}`: {e}"))?
                .filter_map(Result::ok)
                .collect();
            if found.is_empty() {
                return Err(format!(
                    "{origin}: roms[{i}] `{pattern}` matches no file (looked for {full_text})"
                ));
            }
            found.sort();
            roms.append(&mut found);
        }
        let plan = Plan {
            origin,
            bases,
            parts: PartChoices::default(),
            params,
            roms,
            isa: None,
            max_cycles: file.max_cycles,
        };
        plan.check()?;
        Ok(plan)
    }

    /// Replaces `parts` in every base configuration (`--core`,
    /// `--predictor`, `--memory`); parameters are set on the result. Each
    /// base's name then shows the parts, as the window names such a
    /// configuration (`default, core: no-forwarding`).
    pub fn set_parts(&mut self, parts: PartChoices) -> Result<(), String> {
        if parts == self.parts {
            return Ok(());
        }
        for base in &mut self.bases {
            let name = parts.on(&base.arg);
            base.config = name
                .resolve()
                .map_err(|e| format!("{}: configuration {}: {e}", self.origin, base.name))?;
            base.name = format!("{}{}", base.name, name.parts_text());
        }
        self.parts = parts;
        self.check()
    }

    /// Assembles the plan's assembly-source ROMs for `isa` (`--march`),
    /// which is refused when a ROM is not a source (as `glassbox run`
    /// refuses it), before anything runs.
    pub fn set_isa(&mut self, isa: Option<Isa>) -> Result<(), String> {
        if let Some(isa) = isa
            && let Some(rom) = self.roms.iter().find(|r| !crate::headless::is_source(r))
        {
            return Err(format!(
                "--march {isa} is for assembly sources (.s) only; {} is machine code already \
                 (drop --march, or sweep the .s sources)",
                rom.display()
            ));
        }
        self.isa = isa;
        Ok(())
    }

    /// The plan's own mistakes: no ROM, no configuration, a parameter
    /// named twice or with no value, and a field that no combination of
    /// values can set (a misspelt path, say).
    fn check(&self) -> Result<(), String> {
        let origin = &self.origin;
        if self.roms.is_empty() {
            return Err(format!("{origin}: no ROM to run"));
        }
        if self.bases.is_empty() {
            return Err(format!("{origin}: no configuration"));
        }
        for (i, p) in self.params.iter().enumerate() {
            if p.values.is_empty() {
                return Err(format!("{origin}: `{}` has no value", p.field));
            }
            if self.params[..i].iter().any(|q| q.field == p.field) {
                return Err(format!("{origin}: `{}` is varied twice", p.field));
            }
        }
        for base in &self.bases {
            let combos = self.combinations();
            let results: Vec<_> = combos.iter().map(|c| configure(&base.config, c)).collect();
            if let Some(Err(first)) = results.first()
                && results.iter().all(Result::is_err)
            {
                return Err(format!(
                    "{origin}: configuration {}: every combination of the parameters is invalid; the first: {first}",
                    base.name
                ));
            }
        }
        Ok(())
    }

    /// Every combination of the parameters' values, the first parameter
    /// varying slowest.
    pub fn combinations(&self) -> Vec<Vec<(String, FieldValue)>> {
        let mut out = vec![Vec::new()];
        for p in &self.params {
            out = out
                .into_iter()
                .flat_map(|prefix: Vec<(String, FieldValue)>| {
                    p.values.iter().map(move |v| {
                        let mut c = prefix.clone();
                        c.push((p.field.clone(), v.clone()));
                        c
                    })
                })
                .collect();
        }
        out
    }

    /// Every run, configuration-major.
    pub fn jobs(&self) -> Vec<Job> {
        let combos = self.combinations();
        let mut jobs = Vec::new();
        for base in &self.bases {
            for combo in &combos {
                let machine = configure(&base.config, combo)
                    .map_err(|e| format!("{}: configuration {}: {e}", self.origin, base.name));
                for rom in &self.roms {
                    jobs.push(Job {
                        index: jobs.len(),
                        config: base.name.clone(),
                        config_arg: base.arg.clone(),
                        parts: self.parts.clone(),
                        isa: self.isa,
                        params: combo.clone(),
                        machine: machine.clone(),
                        rom: rom.clone(),
                    });
                }
            }
        }
        jobs
    }
}

/// `path` with `dir/..` pairs taken out, so that rows name
/// `roms/a.elf` rather than `docs/sweeps/../../roms/a.elf` (lexically: a
/// symbolic link is not followed).
fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match (c, out.last()) {
            (Component::CurDir, _) => {}
            (Component::ParentDir, Some(Component::Normal(_))) => {
                out.pop();
            }
            _ => out.push(c),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}

/// `base` with every field of `combo` set.
fn configure(
    base: &MachineConfig,
    combo: &[(String, FieldValue)],
) -> Result<MachineConfig, ConfigError> {
    let mut cfg = base.clone();
    for (field, value) in combo {
        cfg = cfg.with_field(field, value)?;
    }
    cfg.validate()?;
    Ok(cfg)
}

/// Reads a present field as `Some(value)`, so that RON needs no `Some(...)`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// A sweep file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename = "Sweep")]
struct SweepFile {
    /// Preset names or configuration files.
    configs: Vec<String>,
    #[serde(default)]
    vary: Vec<ParamSpec>,
    /// ROM paths or glob patterns.
    roms: Vec<String>,
    #[serde(default, deserialize_with = "present")]
    max_cycles: Option<u64>,
}

/// One varied parameter: exactly one of a list, powers of two or a range.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamSpec {
    field: String,
    #[serde(default, deserialize_with = "present")]
    values: Option<Vec<FieldValue>>,
    /// Every power of two from the first to the second, inclusive.
    #[serde(default, deserialize_with = "present")]
    pow2: Option<(u64, u64)>,
    /// From, to (inclusive), step.
    #[serde(default, deserialize_with = "present")]
    range: Option<(u64, u64, u64)>,
}

/// A parameter that cannot be read, with its field path.
struct SpecError {
    field: String,
    message: String,
}

impl std::fmt::Display for SpecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl ParamSpec {
    fn into_param(self) -> Result<Param, SpecError> {
        let field = self.field;
        let err = |message: String| SpecError {
            field: field.clone(),
            message,
        };
        let values = match (self.values, self.pow2, self.range) {
            (Some(v), None, None) => v,
            (None, Some((from, to)), None) => {
                if !from.is_power_of_two() || !to.is_power_of_two() || from > to {
                    return Err(err(format!(
                        "pow2: ({from}, {to}) must be two powers of two, the smaller first"
                    )));
                }
                let mut v = Vec::new();
                let mut n = from;
                while n <= to {
                    v.push(FieldValue::Int(n));
                    n <<= 1;
                }
                v
            }
            (None, None, Some((from, to, step))) => {
                if step == 0 || from > to {
                    return Err(err(format!(
                        "range: ({from}, {to}, {step}) needs from <= to and a step above 0"
                    )));
                }
                (from..=to)
                    .step_by(step as usize)
                    .map(FieldValue::Int)
                    .collect()
            }
            _ => {
                return Err(err(
                    "give exactly one of `values: [...]`, `pow2: (from, to)` and `range: (from, to, step)`"
                        .into(),
                ));
            }
        };
        if values.is_empty() {
            return Err(err("has no value".into()));
        }
        Ok(Param { field, values })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combinations_vary_the_first_parameter_slowest() {
        let plan = Plan::from_args(
            &["classic-l1".into()],
            vec![
                Param::parse("memory.l1d.size=1K,2K").unwrap(),
                Param::parse("memory.l1d.ways=1,2").unwrap(),
            ],
            vec!["a.elf".into(), "b.elf".into()],
            None,
        )
        .unwrap();
        let jobs = plan.jobs();
        assert_eq!(jobs.len(), 8);
        let c = jobs[2].machine.as_ref().unwrap();
        assert_eq!(c.memory.l1d.as_ref().unwrap().size, 1024);
        assert_eq!(c.memory.l1d.as_ref().unwrap().ways, 2);
        assert_eq!(jobs[2].rom, PathBuf::from("a.elf"));
        assert_eq!(jobs[7].params[0].1, FieldValue::Int(2048));
    }

    #[test]
    fn tidy_takes_out_parent_steps() {
        assert_eq!(
            tidy(Path::new("docs/sweeps/../../roms/a.elf")),
            PathBuf::from("roms/a.elf")
        );
        assert_eq!(tidy(Path::new("../x/./y")), PathBuf::from("../x/y"));
        assert_eq!(tidy(Path::new("/a/../b")), PathBuf::from("/b"));
    }

    #[test]
    fn a_misspelt_field_is_a_plan_error() {
        let e = Plan::from_args(
            &["classic-l1".into()],
            vec![Param::parse("memory.l1d.sise=1K").unwrap()],
            vec!["a.elf".into()],
            None,
        )
        .unwrap_err();
        assert!(
            e.contains("memory.l1d.sise") && e.contains("no field"),
            "{e}"
        );
    }
}
