//! Save states: a whole debugging session in one file, loaded back
//! exactly.
//!
//! The file is a fixed header, then the state compressed with zlib (its
//! checksum catches corruption):
//!
//! | bytes | what |
//! | --- | --- |
//! | 8 | magic `GLASSBOX` |
//! | 4 | format version, little-endian (`VERSION`) |
//! | 8 | length of the compressed body, little-endian |
//! | n | zlib stream of the bincode-encoded `Body` |
//!
//! The body holds the machine (configuration, hart, devices, pipeline,
//! caches, program information) without RAM's bytes, RAM as its non-zero
//! 4 KiB pages, the user's stops, the console output so far and the
//! program's name. A machine's host-side fields (decode cache, fast-path
//! scratch, chart history) are rebuilt on load; `tests/savestate.rs`
//! checks that a loaded state runs to the same end, output and state hash
//! as the run it was saved from.

use super::stops::StopSet;
use crate::machine::Machine;
use crate::platform::Ram;
use bincode::Options;
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::Path;

pub const MAGIC: &[u8; 8] = b"GLASSBOX";
/// Bumped whenever the body's layout changes; other versions are refused.
pub const VERSION: u32 = 2;
const HEADER: usize = 8 + 4 + 8;
/// The largest body accepted (a 2 GiB RAM plus the rest).
const MAX_BODY: u64 = (2 << 30) + (256 << 20);

/// A debugging session at one cycle.
#[derive(Clone, Debug)]
pub struct SaveState {
    /// The name of the program (file name), for title bars and messages.
    pub program_name: String,
    /// The machine, its configuration (`machine.config`) and program.
    pub machine: Machine,
    /// Breakpoints, watchpoints and event stops, with their hit counts.
    pub stops: StopSet,
    /// Everything the program printed up to the machine's cycle.
    pub console: Vec<u8>,
}

#[derive(Serialize, Deserialize)]
struct Body {
    program_name: String,
    machine: Machine,
    ram_base: u32,
    ram_size: u32,
    pages: Vec<(u32, Vec<u8>)>,
    stops: StopSet,
    console: Vec<u8>,
}

/// Why a state could not be saved or loaded; on load, nothing changed.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("{0}")]
    Io(String),
    #[error("not a Glassbox save state (the file does not start with \"GLASSBOX\")")]
    NotAState,
    #[error(
        "save state of format version {found}; this Glassbox reads version {VERSION} only \
         (save it again with the Glassbox that wrote it, or start the program afresh)"
    )]
    Version { found: u32 },
    #[error("the save state is truncated ({have} of {need} bytes)")]
    Truncated { have: u64, need: u64 },
    #[error("the save state is corrupt: {0}")]
    Corrupt(String),
}

fn codec() -> impl Options {
    bincode::DefaultOptions::new()
        .with_fixint_encoding()
        .with_limit(MAX_BODY)
}

impl SaveState {
    /// The state of `machine` with `stops` and the console output so far.
    pub fn new(program_name: &str, machine: &Machine, stops: &StopSet, console: &[u8]) -> Self {
        SaveState {
            program_name: program_name.to_string(),
            machine: machine.clone(),
            stops: stops.clone(),
            console: console.to_vec(),
        }
    }

    /// The file's bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, StateError> {
        let mut machine = self.machine.clone();
        let pages = self.machine.bus.ram.nonzero_pages();
        // The pages carry RAM; the machine goes without its bytes.
        drop(machine.bus.ram.take_bytes());
        let body = Body {
            program_name: self.program_name.clone(),
            machine,
            ram_base: self.machine.bus.ram.base(),
            ram_size: self.machine.bus.ram.size(),
            pages,
            stops: self.stops.clone(),
            console: self.console.clone(),
        };
        let raw = codec()
            .serialize(&body)
            .map_err(|e| StateError::Io(format!("cannot encode the state: {e}")))?;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(&raw)
            .map_err(|e| StateError::Io(format!("cannot compress the state: {e}")))?;
        let packed = z
            .finish()
            .map_err(|e| StateError::Io(format!("cannot compress the state: {e}")))?;
        let mut out = Vec::with_capacity(HEADER + packed.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(packed.len() as u64).to_le_bytes());
        out.extend_from_slice(&packed);
        Ok(out)
    }

    /// Reads a state from the file's bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<SaveState, StateError> {
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return Err(StateError::NotAState);
        }
        if bytes.len() < HEADER {
            return Err(StateError::Truncated {
                have: bytes.len() as u64,
                need: HEADER as u64,
            });
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().unwrap());
        if version != VERSION {
            return Err(StateError::Version { found: version });
        }
        let len = u64::from_le_bytes(bytes[12..20].try_into().unwrap());
        let have = (bytes.len() - HEADER) as u64;
        if have < len {
            return Err(StateError::Truncated {
                have: bytes.len() as u64,
                need: HEADER as u64 + len,
            });
        }
        if have > len {
            return Err(StateError::Corrupt(format!(
                "{} after the end of the state",
                crate::words::plural(have - len, "byte")
            )));
        }
        let mut raw = Vec::new();
        flate2::read::ZlibDecoder::new(&bytes[HEADER..])
            .take(MAX_BODY)
            .read_to_end(&mut raw)
            .map_err(|e| StateError::Corrupt(e.to_string()))?;
        let body: Body = codec()
            .deserialize(&raw)
            .map_err(|e| StateError::Corrupt(e.to_string()))?;
        let mut machine = body.machine;
        if let Err(e) = machine.config.validate() {
            return Err(StateError::Corrupt(format!("its configuration: {e}")));
        }
        if body.ram_size != machine.config.ram_size {
            return Err(StateError::Corrupt(format!(
                "RAM of {} bytes, but the configuration says {}",
                body.ram_size, machine.config.ram_size
            )));
        }
        machine.bus.ram = Ram::from_pages(body.ram_base, body.ram_size, &body.pages)
            .ok_or_else(|| StateError::Corrupt("a RAM page lies outside RAM".into()))?;
        machine.check_loaded().map_err(StateError::Corrupt)?;
        Ok(SaveState {
            program_name: body.program_name,
            machine,
            stops: body.stops,
            console: body.console,
        })
    }

    pub fn save(&self, path: &Path) -> Result<(), StateError> {
        let bytes = self.to_bytes()?;
        std::fs::write(path, bytes)
            .map_err(|e| StateError::Io(format!("cannot write {}: {e}", path.display())))
    }

    pub fn load(path: &Path) -> Result<SaveState, StateError> {
        let bytes = std::fs::read(path)
            .map_err(|e| StateError::Io(format!("cannot read {}: {e}", path.display())))?;
        SaveState::from_bytes(&bytes)
    }
}
