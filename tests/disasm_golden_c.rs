//! Golden tests for compressed (RV32C) instructions: the disassembler
//! against `riscv64-unknown-elf-objdump -d` (binutils 2.40) on
//! `tests/golden/disasm/compressed.S` assembled for rv32imac, recorded by
//! `tests/golden/disasm/regen_compressed.sh`: every C instruction, the
//! HINTs and reserved encodings, objdump's address comments around them,
//! 32-bit instructions at 2-byte boundaries, and every 13th 16-bit parcel.

use glassbox::disasm::listing;
use glassbox::symbols::{Symbol, SymbolKind, SymbolTable};
use std::path::PathBuf;

const BASE: u32 = 0x8000_0000;

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/disasm")
        .join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(golden(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The `.sym` format of regen.sh: `<hex addr> <F|O|N> <name>`.
fn symbols() -> SymbolTable {
    let symbols = read("compressed.sym")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(f.len(), 3, "bad .sym line {l:?}");
            Symbol {
                name: f[2].to_string(),
                addr: u32::from_str_radix(f[0], 16).expect("hex address"),
                size: 0,
                kind: match f[1] {
                    "F" => SymbolKind::Function,
                    "O" => SymbolKind::Object,
                    _ => SymbolKind::Other,
                },
            }
        })
        .collect();
    SymbolTable::new(symbols)
}

#[test]
fn compressed_listing_matches_objdump() {
    let bytes = std::fs::read(golden("compressed.bin")).expect("compressed.bin");
    let got = listing(&[(BASE, &bytes)], &symbols());
    let got: Vec<&str> = got.lines().collect();
    let want: Vec<String> = read("compressed.objdump.txt")
        .lines()
        .filter(|l| !l.contains("file format") && !l.starts_with("Disassembly of section"))
        .map(str::to_string)
        .collect();
    let mut errors = Vec::new();
    for i in 0..got.len().max(want.len()) {
        let g = got.get(i).copied().unwrap_or("<missing>");
        let w = want.get(i).map(String::as_str).unwrap_or("<missing>");
        if g != w {
            errors.push(format!(
                "line {}:\n  objdump:  {w:?}\n  glassbox: {g:?}",
                i + 1
            ));
        }
    }
    assert!(
        errors.is_empty(),
        "{} of {} lines differ from objdump (first 20):\n{}",
        errors.len(),
        want.len(),
        errors[..errors.len().min(20)].join("\n")
    );
    // The hand-written part and the parcel sweep are both there.
    let compressed = want
        .iter()
        .filter(|l| l.split('\t').nth(1).is_some_and(|c| c.trim().len() == 4))
        .count();
    assert!(compressed > 3800, "only {compressed} 16-bit lines");
}
