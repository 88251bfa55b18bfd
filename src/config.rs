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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MachineConfig {
    /// RAM size in bytes, at 0x8000_0000. A multiple of 4 KiB, at most 2 GiB.
    pub ram_size: u32,
    pub misaligned: Misaligned,
}

impl Default for MachineConfig {
    fn default() -> Self {
        MachineConfig {
            ram_size: 64 << 20,
            misaligned: Misaligned::Trap,
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

impl MachineConfig {
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
        Ok(())
    }
}
