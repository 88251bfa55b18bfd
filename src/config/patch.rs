//! What a configuration file says, field by field: every field is optional
//! so that a file can name its `base` and change only what it names. The
//! shapes mirror `MachineConfig`, `CoreConfig` and `MemoryConfig` (the
//! round-trip tests in `tests/config.rs` fail if a field is missing here);
//! they carry the same serde names, so messages about unknown fields read
//! as before.

use super::{
    BranchStage, CoreConfig, CoreModel, DevicesConfig, MachineConfig, Misaligned, PredictorConfig,
    SemihostConfig,
};
use crate::memory::{CacheConfig, MemoryConfig};
use serde::{Deserialize, Deserializer};

/// Reads a present field as `Some(value)`, so that RON needs no `Some(...)`
/// around it (and `l1d: None` reads as `Some(None)`: "no L1D").
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename = "MachineConfig")]
pub struct MachinePatch {
    /// A preset name or a file (relative to this one) that supplies every
    /// field this file does not name.
    #[serde(default, deserialize_with = "present")]
    pub base: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub ram_size: Option<u32>,
    #[serde(default, deserialize_with = "present")]
    pub misaligned: Option<Misaligned>,
    #[serde(default, deserialize_with = "present")]
    pub core: Option<CorePatch>,
    #[serde(default, deserialize_with = "present")]
    pub memory: Option<MemoryPatch>,
    /// Replaces the base's semihosting settings whole.
    #[serde(default, deserialize_with = "present")]
    pub semihosting: Option<SemihostConfig>,
    /// Replaces the base's device settings whole.
    #[serde(default, deserialize_with = "present")]
    pub devices: Option<DevicesConfig>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename = "CoreConfig")]
pub struct CorePatch {
    #[serde(default, deserialize_with = "present")]
    pub model: Option<CoreModel>,
    #[serde(default, deserialize_with = "present")]
    pub forwarding: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    pub hazard_detection: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    pub branch_resolution: Option<BranchStage>,
    #[serde(default, deserialize_with = "present")]
    pub predictor: Option<PredictorConfig>,
    #[serde(default, deserialize_with = "present")]
    pub mul_latency: Option<u32>,
    #[serde(default, deserialize_with = "present")]
    pub div_latency: Option<u32>,
}

/// A cache named in a file replaces the base's cache whole.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename = "MemoryConfig")]
pub struct MemoryPatch {
    #[serde(default, deserialize_with = "present")]
    pub l1i: Option<Option<CacheConfig>>,
    #[serde(default, deserialize_with = "present")]
    pub l1d: Option<Option<CacheConfig>>,
    #[serde(default, deserialize_with = "present")]
    pub l2: Option<Option<CacheConfig>>,
    #[serde(default, deserialize_with = "present")]
    pub latency: Option<u32>,
    #[serde(default, deserialize_with = "present")]
    pub transfer_per_word: Option<u32>,
    #[serde(default, deserialize_with = "present")]
    pub sample_interval: Option<u64>,
}

fn set<T>(field: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *field = v;
    }
}

impl MachinePatch {
    /// Writes the named fields over `cfg`.
    pub fn apply(self, cfg: &mut MachineConfig) {
        set(&mut cfg.ram_size, self.ram_size);
        set(&mut cfg.misaligned, self.misaligned);
        set(&mut cfg.semihosting, self.semihosting);
        set(&mut cfg.devices, self.devices);
        if let Some(c) = self.core {
            c.apply(&mut cfg.core);
        }
        if let Some(m) = self.memory {
            m.apply(&mut cfg.memory);
        }
    }

    /// The parts of a machine this file names itself (not through its base).
    pub fn parts(&self) -> super::Parts {
        let core = self.core.as_ref();
        super::Parts {
            core: core.is_some_and(|c| {
                c.model.is_some()
                    || c.forwarding.is_some()
                    || c.hazard_detection.is_some()
                    || c.branch_resolution.is_some()
                    || c.mul_latency.is_some()
                    || c.div_latency.is_some()
            }),
            predictor: core.is_some_and(|c| c.predictor.is_some()),
            memory: self.memory.is_some(),
            machine: self.ram_size.is_some()
                || self.misaligned.is_some()
                || self.semihosting.is_some()
                || self.devices.is_some(),
        }
    }
}

impl CorePatch {
    fn apply(self, c: &mut CoreConfig) {
        set(&mut c.model, self.model);
        set(&mut c.forwarding, self.forwarding);
        set(&mut c.hazard_detection, self.hazard_detection);
        set(&mut c.branch_resolution, self.branch_resolution);
        set(&mut c.predictor, self.predictor);
        set(&mut c.mul_latency, self.mul_latency);
        set(&mut c.div_latency, self.div_latency);
    }
}

impl MemoryPatch {
    fn apply(self, m: &mut MemoryConfig) {
        set(&mut m.l1i, self.l1i);
        set(&mut m.l1d, self.l1d);
        set(&mut m.l2, self.l2);
        set(&mut m.latency, self.latency);
        set(&mut m.transfer_per_word, self.transfer_per_word);
        set(&mut m.sample_interval, self.sample_interval);
    }
}
