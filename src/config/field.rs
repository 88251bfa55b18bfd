//! One field of a configuration set by its dotted path
//! (`memory.l1d.size`, `core.predictor.entries`), as sweeps vary them. The
//! path names the same fields a configuration file does; the value goes
//! through the configuration's own serde shape and `validate`, so a sweep
//! can build no configuration a file could not.

use super::{ConfigError, MachineConfig};
use serde_json::Value;

/// A value for a field: a number, a truth value or a name (an enum
/// variant without fields, such as `FiveStage` or `StaticBtfnt`).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum FieldValue {
    Bool(bool),
    Int(u64),
    Name(String),
}

impl std::fmt::Display for FieldValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FieldValue::Bool(b) => write!(f, "{b}"),
            FieldValue::Int(n) => write!(f, "{n}"),
            FieldValue::Name(s) => f.write_str(s),
        }
    }
}

impl FieldValue {
    /// Reads a value written on a command line: a number (decimal, 0x hex,
    /// or with a K/M suffix for KiB/MiB), `true`/`false`, or a name.
    pub fn parse(text: &str) -> FieldValue {
        let t = text.trim().replace('_', "");
        let scaled = |digits: &str, shift: u32| digits.parse::<u64>().ok().map(|n| n << shift);
        let n = if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
            u64::from_str_radix(hex, 16).ok()
        } else if let Some(k) = t.strip_suffix(['K', 'k']) {
            scaled(k, 10)
        } else if let Some(m) = t.strip_suffix(['M', 'm']) {
            scaled(m, 20)
        } else {
            t.parse().ok()
        };
        match (n, t.as_str()) {
            (Some(n), _) => FieldValue::Int(n),
            (None, "true") => FieldValue::Bool(true),
            (None, "false") => FieldValue::Bool(false),
            _ => FieldValue::Name(text.trim().to_string()),
        }
    }

    fn json(&self) -> Value {
        match self {
            FieldValue::Bool(b) => Value::Bool(*b),
            FieldValue::Int(n) => Value::from(*n),
            FieldValue::Name(s) => Value::String(s.clone()),
        }
    }
}

fn invalid(field: &str, rule: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        field: field.to_string(),
        rule: rule.into(),
    }
}

impl MachineConfig {
    /// This configuration with the field at `path` set to `value`, checked
    /// as a file's would be. A field inside an enum variant is named
    /// without the variant (`core.predictor.entries` of a `Gshare`).
    pub fn with_field(&self, path: &str, value: &FieldValue) -> Result<MachineConfig, ConfigError> {
        let mut root = serde_json::to_value(self).map_err(|e| invalid(path, e.to_string()))?;
        let mut here = &mut root;
        let mut walked = String::new();
        for key in path.split('.') {
            // A variant with fields serializes as `{ "Gshare": { ... } }`:
            // step into it when the key is not the variant's name.
            let variant = matches!(&*here, Value::Object(map) if map.len() == 1
                && !map.contains_key(key)
                && map.keys().all(|k| k.starts_with(char::is_uppercase)));
            if variant && let Value::Object(map) = here {
                here = map.values_mut().next().expect("one entry");
            }
            here = match here {
                Value::Object(map) => {
                    let known: Vec<String> = map.keys().cloned().collect();
                    map.get_mut(key).ok_or_else(|| {
                        let at = if walked.is_empty() {
                            "the configuration"
                        } else {
                            &walked
                        };
                        invalid(
                            path,
                            format!(
                                "{at} has no field `{key}`; its fields are: {}",
                                known.join(", ")
                            ),
                        )
                    })?
                }
                Value::Null => {
                    return Err(invalid(
                        path,
                        format!(
                            "`{walked}` is None in this configuration: give it a value in the base configuration first"
                        ),
                    ));
                }
                _ => return Err(invalid(path, format!("`{walked}` has no fields"))),
            };
            if !walked.is_empty() {
                walked.push('.');
            }
            walked.push_str(key);
        }
        *here = value.json();
        let cfg: MachineConfig = serde_json::from_value(root)
            .map_err(|e| invalid(path, format!("cannot be {value}: {e}")))?;
        cfg.validate()?;
        Ok(cfg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_a_cache_field_and_validates() {
        let base = MachineConfig::preset("classic-l1").unwrap();
        let c = base
            .with_field("memory.l1d.size", &FieldValue::Int(2048))
            .unwrap();
        assert_eq!(c.memory.l1d.as_ref().unwrap().size, 2048);
        let e = base
            .with_field("memory.l1d.ways", &FieldValue::Int(3))
            .unwrap_err();
        assert!(e.to_string().contains("memory.l1d"), "{e}");
    }

    #[test]
    fn names_unknown_fields_and_missing_caches() {
        let base = MachineConfig::preset("textbook").unwrap();
        let e = base
            .with_field("memory.l1d.sise", &FieldValue::Int(1))
            .unwrap_err()
            .to_string();
        assert!(e.contains("memory.l1d"), "{e}");
        let e = base
            .with_field("core.forwardin", &FieldValue::Bool(false))
            .unwrap_err()
            .to_string();
        assert!(e.contains("no field `forwardin`"), "{e}");
    }

    #[test]
    fn steps_into_enum_variants_and_sets_names() {
        let base = MachineConfig::preset("gshare").unwrap();
        let c = base
            .with_field("core.predictor.entries", &FieldValue::Int(256))
            .unwrap();
        assert!(matches!(
            c.core.predictor,
            crate::config::PredictorConfig::Gshare { entries: 256, .. }
        ));
        let c = base
            .with_field("core.predictor", &FieldValue::parse("StaticBtfnt"))
            .unwrap();
        assert_eq!(
            c.core.predictor,
            crate::config::PredictorConfig::StaticBtfnt
        );
    }

    #[test]
    fn parses_command_line_values() {
        assert_eq!(FieldValue::parse("4K"), FieldValue::Int(4096));
        assert_eq!(FieldValue::parse("0x10"), FieldValue::Int(16));
        assert_eq!(FieldValue::parse("false"), FieldValue::Bool(false));
        assert_eq!(FieldValue::parse("Lru"), FieldValue::Name("Lru".into()));
    }
}
