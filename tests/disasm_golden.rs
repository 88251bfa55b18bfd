//! Golden tests: the disassembler against `riscv64-unknown-elf-objdump -d`
//! (binutils 2.40) output recorded by `tests/golden/disasm/regen.sh`.

use glassbox::disasm::{Disassembler, disasm, listing_for};
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

/// Parses the `.sym` format regen.sh writes: `<hex addr> <F|O|N> <name>`,
/// in objdump's order of preference among symbols at one address.
fn symbols() -> SymbolTable {
    let symbols = read("all_forms.sym")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut f = l.split_whitespace();
            let (addr, kind, name) = (f.next(), f.next(), f.next());
            let (Some(addr), Some(kind), Some(name)) = (addr, kind, name) else {
                panic!("bad .sym line {l:?}");
            };
            Symbol {
                name: name.to_string(),
                addr: u32::from_str_radix(addr, 16).expect("hex address"),
                size: 0,
                kind: match kind {
                    "F" => SymbolKind::Function,
                    "O" => SymbolKind::Object,
                    _ => SymbolKind::Other,
                },
            }
        })
        .collect();
    SymbolTable::new(symbols)
}

fn bin() -> Vec<u8> {
    std::fs::read(golden("all_forms.bin")).expect("all_forms.bin")
}

/// objdump's listing without its title lines (regen.sh drops them; this
/// also accepts a full `objdump -d` output).
fn expected_listing() -> Vec<String> {
    read("all_forms.objdump.txt")
        .lines()
        .filter(|l| !l.contains("file format") && !l.starts_with("Disassembly of section"))
        .map(str::to_string)
        .collect()
}

#[test]
fn listing_matches_objdump() {
    let syms = symbols();
    let bytes = bin();
    // all_forms.S is assembled for rv32im: objdump lists 16-bit parcels
    // as `.2byte` there (tests/disasm_golden_c.rs covers C).
    let got = listing_for(&[(BASE, &bytes)], &syms, false);
    let got: Vec<&str> = got.lines().collect();
    let want = expected_listing();
    // Both start with the blank line before the first header.
    let mut errors = Vec::new();
    for i in 0..got.len().max(want.len()) {
        let g = got.get(i).copied().unwrap_or("<missing>");
        let w = want.get(i).map(String::as_str).unwrap_or("<missing>");
        if g != w {
            errors.push(format!(
                "line {}:\n  objdump: {w:?}\n  glassbox: {g:?}",
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
    assert!(want.len() > 700, "golden listing unexpectedly short");
}

/// One recorded 4-byte instruction: address, word and objdump's text.
struct Line {
    pc: u32,
    word: u32,
    text: String,
}

fn instruction_lines() -> Vec<Line> {
    let mut out = Vec::new();
    for l in expected_listing() {
        let mut parts = l.splitn(3, '\t');
        let (Some(addr), Some(raw), Some(text)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let Some(addr) = addr.trim().strip_suffix(':') else {
            continue;
        };
        let raw = raw.trim();
        if raw.len() != 8 || !raw.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue; // 2-byte parcels, data
        }
        out.push(Line {
            pc: u32::from_str_radix(addr, 16).unwrap(),
            word: u32::from_str_radix(raw, 16).unwrap(),
            text: text.to_string(),
        });
    }
    out
}

#[test]
fn each_instruction_matches_objdump() {
    let syms = symbols();
    let bytes = bin();
    let lines = instruction_lines();
    assert!(
        lines.len() > 650,
        "only {} instructions parsed",
        lines.len()
    );
    // Stateful, in address order (objdump remembers lui/auipc values).
    let mut dis = Disassembler::new(&syms);
    let mut errors = Vec::new();
    for l in &lines {
        let off = (l.pc - BASE) as usize;
        let word = u32::from_le_bytes(bytes[off..off + 4].try_into().unwrap());
        assert_eq!(
            word, l.word,
            "objdump's word at {:08x} differs from .bin",
            l.pc
        );
        let got = dis.disasm(l.word, l.pc);
        if got != l.text {
            errors.push(format!(
                "{:08x}: {:08x}\n  objdump:  {:?}\n  glassbox: {got:?}",
                l.pc, l.word, l.text
            ));
        }
        // The stateless form agrees except for comments that need the value
        // of an earlier lui/auipc.
        let alone = disasm(l.word, l.pc, &syms);
        let strip = |s: &str| s.split(" # ").next().unwrap_or_default().to_string();
        if alone != l.text && (strip(&alone) != strip(&l.text) || !l.text.contains(" # ")) {
            errors.push(format!(
                "{:08x}: {:08x} (stateless disasm)\n  objdump:  {:?}\n  glassbox: {alone:?}",
                l.pc, l.word, l.text
            ));
        }
    }
    assert!(
        errors.is_empty(),
        "{} instructions differ from objdump (first 20):\n{}",
        errors.len(),
        errors[..errors.len().min(20)].join("\n")
    );
}

#[test]
fn golden_source_covers_every_operation() {
    use glassbox::isa::{Op, decode};
    let bytes = bin();
    let mut seen = std::collections::HashSet::new();
    for w in bytes.chunks_exact(4) {
        seen.insert(decode(u32::from_le_bytes(w.try_into().unwrap())).op);
    }
    let missing: Vec<_> = Op::ALL.iter().filter(|op| !seen.contains(op)).collect();
    assert!(missing.is_empty(), "all_forms.S lacks {missing:?}");
}
