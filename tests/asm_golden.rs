//! The assembler against GNU `as` + `ld`: for every source in
//! `tests/golden/asm/` (and every example in `assets/examples/`), each
//! section's address and bytes must equal the committed GNU output
//! (`tests/golden/asm/regen.sh` made it, with the same layout). The sources
//! in `tests/golden/asm_c/` are assembled for rv32imac, where GNU `as`
//! compresses (`tests/golden/asm_c/regen.sh`); their ELF flags must match too.

use glassbox::asm::{AsmOptions, Isa, Program, assemble, write_elf};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `(section, addr, size, bytes)` from a `.golden` file.
fn parse_golden(text: &str) -> Vec<(String, u32, u32, Vec<u8>)> {
    let mut out: Vec<(String, u32, u32, Vec<u8>)> = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with("flags"))
    {
        if line.starts_with('.') {
            let f: Vec<&str> = line.split_whitespace().collect();
            let num = |s: &str| u32::from_str_radix(s.trim_start_matches("0x"), 16).unwrap();
            out.push((f[0].to_string(), num(f[1]), num(f[2]), Vec::new()));
        } else {
            let bytes = &mut out.last_mut().expect("bytes before a header").3;
            for i in (0..line.len()).step_by(2) {
                bytes.push(u8::from_str_radix(&line[i..i + 2], 16).unwrap());
            }
        }
    }
    out
}

/// The ELF header flags GNU `as` wrote, from a `.golden` file's `flags` line.
fn golden_flags(text: &str) -> Option<u32> {
    text.lines()
        .find_map(|l| l.strip_prefix("flags 0x"))
        .map(|h| u32::from_str_radix(h.trim(), 16).unwrap())
}

fn assemble_file(path: &Path, isa: Isa) -> Program {
    let src = std::fs::read_to_string(path).unwrap();
    let opts = AsmOptions {
        file_name: path.display().to_string(),
        isa,
        ..AsmOptions::default()
    };
    match assemble(&src, &opts) {
        Ok(p) => p,
        Err(diags) => panic!(
            "{}",
            diags
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

fn check(source: &Path, golden: &Path, isa: Isa) {
    let program = assemble_file(source, isa);
    let golden_text = std::fs::read_to_string(golden).unwrap();
    if let Some(flags) = golden_flags(&golden_text) {
        let elf = write_elf(&program);
        let ours = u32::from_le_bytes(elf[36..40].try_into().unwrap());
        assert_eq!(ours, flags, "{}: ELF e_flags", source.display());
    }
    let expected = parse_golden(&golden_text);
    for sec in &program.sections {
        let Some((_, addr, size, bytes)) = expected.iter().find(|e| e.0 == sec.name) else {
            assert_eq!(
                sec.size,
                0,
                "{}: {} is empty in GNU's output",
                source.display(),
                sec.name
            );
            continue;
        };
        let what = format!("{} {}", source.display(), sec.name);
        assert_eq!(sec.addr, *addr, "{what}: address");
        assert_eq!(sec.size, *size, "{what}: size");
        if sec.name != ".bss" {
            if let Some(i) = (0..bytes.len()).find(|&i| sec.bytes.get(i) != bytes.get(i)) {
                let w = |b: &[u8]| {
                    b.iter()
                        .skip(i & !1)
                        .take(4)
                        .map(|x| format!("{x:02x}"))
                        .collect::<String>()
                };
                panic!(
                    "{what}: first difference at {:#x} (line {:?}): ours {} GNU {}",
                    sec.addr as usize + i,
                    (0..4)
                        .filter_map(|k| program.line_of((sec.addr + i as u32) & !1).or_else(|| {
                            program.line_of(((sec.addr + i as u32) & !1).saturating_sub(2 * k))
                        }))
                        .next(),
                    w(&sec.bytes),
                    w(bytes)
                );
            }
            assert_eq!(sec.bytes.len(), bytes.len(), "{what}: length");
        }
    }
}

fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "s"))
        .collect();
    v.sort();
    v
}

#[test]
fn corpus_matches_gnu_as() {
    let dir = root().join("tests/golden/asm");
    let srcs = sources(&dir);
    assert!(srcs.len() >= 4, "golden sources missing");
    for src in srcs {
        check(&src, &src.with_extension("golden"), Isa::default());
    }
}

#[test]
fn compressed_corpus_matches_gnu_as() {
    let dir = root().join("tests/golden/asm_c");
    let srcs = sources(&dir);
    assert_eq!(srcs.len(), 4, "atomics.s, forms.s, options.s and relax.s");
    for src in srcs {
        check(&src, &src.with_extension("golden"), Isa::RV32IMAC);
    }
}

#[test]
fn examples_match_gnu_as() {
    let srcs = sources(&root().join("assets/examples"));
    assert_eq!(srcs.len(), 6, "the six examples");
    for src in srcs {
        let name = src.file_stem().unwrap().to_str().unwrap();
        for (dir, isa) in [("asm", Isa::default()), ("asm_c", Isa::RV32IMAC)] {
            check(
                &src,
                &root().join(format!("tests/golden/{dir}/example_{name}.golden")),
                isa,
            );
        }
    }
}
