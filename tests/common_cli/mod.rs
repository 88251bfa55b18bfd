//! Shared helpers for `tests/cli_run.rs` and `tests/roms.rs`: where the ROMs
//! are, what each program ROM must print and return, unique temp dirs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// The program ROMs `roms/README.md` documents; discovery must find them all.
pub const KNOWN_PROGRAM_ROMS: &[&str] = &[
    "bubble_sort",
    "echo",
    "exit_code",
    "fibonacci",
    "hello_syscall",
    "hello_uart",
    "htif_hello",
    "matmul",
    "timer_irq",
];

/// The memory-hierarchy teaching ROMs: long-running on purpose, so they
/// have their own tests (`tests/memory_roms.rs`) on the cache presets
/// instead of running on every preset here.
pub fn is_memory_teaching_rom(name: &str) -> bool {
    name.starts_with("cache_") || name.starts_with("matmul_")
}

/// The ISA ROMs `roms/README.md` documents (17 of them).
pub const KNOWN_ISA_ROMS: &[&str] = &[
    "alu_imm",
    "atomic",
    "alu_rr",
    "branch",
    "csr",
    "div",
    "fence",
    "interrupts",
    "jump",
    "load",
    "lui_auipc",
    "mul",
    "rvc_alu",
    "rvc_control",
    "rvc_mem",
    "store",
    "traps",
];

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn roms_dir() -> PathBuf {
    root().join("roms")
}

/// A program ROM with the console input it gets and what it must produce.
#[derive(Clone, Debug)]
pub struct ProgramRom {
    pub name: String,
    pub path: PathBuf,
    pub stdin: Vec<u8>,
    pub expected_stdout: Vec<u8>,
    pub exit_code: i32,
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// `*.elf` files directly in `dir`, sorted by name, as (stem, path).
fn elfs_in(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut v: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "elf"))
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            (stem, p)
        })
        .collect();
    v.sort();
    v
}

fn assert_covers(found: &[(String, PathBuf)], known: &[&str], dir: &str) {
    for k in known {
        assert!(
            found.iter().any(|(n, _)| n == k),
            "{dir}/{k}.elf is missing (found {:?})",
            found.iter().map(|(n, _)| n).collect::<Vec<_>>()
        );
    }
}

/// Every `roms/*.elf` with its expected console output and exit code.
pub fn program_roms() -> Vec<ProgramRom> {
    let mut found = elfs_in(&roms_dir());
    found.retain(|(name, _)| !is_memory_teaching_rom(name));
    assert_covers(&found, KNOWN_PROGRAM_ROMS, "roms");
    let expected = roms_dir().join("expected");
    found
        .into_iter()
        .map(|(name, path)| {
            let out = expected.join(format!("{name}.stdout"));
            assert!(out.is_file(), "program ROM {name} has no {}", out.display());
            let stdin_file = expected.join(format!("{name}.stdin"));
            let stdin = if stdin_file.is_file() {
                read(&stdin_file)
            } else {
                Vec::new()
            };
            ProgramRom {
                exit_code: if name == "exit_code" { 3 } else { 0 },
                expected_stdout: read(&out),
                stdin,
                name,
                path,
            }
        })
        .collect()
}

/// One program ROM by name.
pub fn program_rom(name: &str) -> ProgramRom {
    program_roms()
        .into_iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no program ROM {name}"))
}

/// Every `roms/isa/*.elf`, as (name, path).
pub fn isa_roms() -> Vec<(String, PathBuf)> {
    let found = elfs_in(&roms_dir().join("isa"));
    assert_covers(&found, KNOWN_ISA_ROMS, "roms/isa");
    found
}

/// A fresh, empty directory under the system temp dir, unique to this
/// process and call. Removed by [`TempDir`]'s `Drop`.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicU32 = AtomicU32::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "glassbox-test-{tag}-{}-{n}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `bytes` to a file in the directory and returns its path.
    pub fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", p.display()));
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
