//! The assembler never panics or hangs: random text and mutations of valid
//! sources only ever give a program or diagnostics (each with a position),
//! for rv32im and for rv32imac (compression and its relaxation).

use glassbox::asm::{AsmOptions, Isa, assemble};
use proptest::prelude::*;

const VALID: &[&str] = &[
    include_str!("golden/asm/instructions.s"),
    include_str!("golden/asm/pseudos.s"),
    include_str!("golden/asm/directives.s"),
    include_str!("golden/asm/relocs.s"),
    include_str!("golden/asm_c/relax.s"),
];

/// Fragments that reach the interesting paths: numbers at the edges,
/// modifiers, labels, directives with sizes.
const PIECES: &[&str] = &[
    "li",
    "la",
    "call",
    "beq",
    "j",
    ".word",
    ".space",
    ".align",
    ".p2align",
    ".balign",
    ".equ",
    ".set",
    ".section",
    ".data",
    ".bss",
    ".text",
    ".string",
    "%hi(",
    "%lo(",
    "%pcrel_hi(",
    "%pcrel_lo(",
    "1b",
    "1f",
    "1:",
    "x:",
    "x",
    "a0",
    "sp",
    "(",
    ")",
    ",",
    "0x7fffffff",
    "-1",
    "4096",
    "999999999999",
    "<<",
    ">>",
    "/",
    "%",
    "'",
    "\"",
    "#",
    "//",
    "/*",
    "*/",
    ";",
    "\n",
    ".",
    "=",
    "csrr",
    "mstatus",
    "fence",
    "c.beqz",
    "c.j",
    "c.lw",
    "c.addi16sp",
    "c.lui",
    ".option rvc",
    ".option pop",
];

fn check(src: &str) {
    for isa in [Isa::RV32IM, Isa::RV32IMAC] {
        let opts = AsmOptions {
            isa,
            ..AsmOptions::default()
        };
        if let Err(diags) = assemble(src, &opts) {
            assert!(!diags.is_empty());
            for d in diags {
                assert!(d.line >= 1 && d.column >= 1, "{d}");
                assert!(!d.message.is_empty());
            }
        }
    }
}

fn mutate(src: &str, edits: &[(usize, u8, usize)]) -> String {
    let mut s: Vec<char> = src.chars().collect();
    for &(pos, kind, piece) in edits {
        if s.is_empty() {
            break;
        }
        let at = pos % s.len();
        match kind % 4 {
            0 => {
                s.remove(at);
            }
            1 => {
                let p = PIECES[piece % PIECES.len()];
                for (k, c) in p.chars().enumerate() {
                    s.insert(at + k, c);
                }
            }
            2 => s[at] = PIECES[piece % PIECES.len()].chars().next().unwrap_or(' '),
            _ => {
                // Duplicate a line: makes duplicate labels and far branches.
                let start = s[..at]
                    .iter()
                    .rposition(|&c| c == '\n')
                    .map_or(0, |i| i + 1);
                let end = s[at..]
                    .iter()
                    .position(|&c| c == '\n')
                    .map_or(s.len(), |i| at + i);
                let line: Vec<char> = s[start..end].to_vec();
                s.splice(end..end, std::iter::once('\n').chain(line));
            }
        }
    }
    s.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(src in "\\PC{0,200}") {
        check(&src);
    }

    #[test]
    fn random_token_soup_never_panics(ix in prop::collection::vec(0usize..1000, 0..60)) {
        let src: Vec<&str> = ix.iter().map(|&i| PIECES[i % PIECES.len()]).collect();
        check(&src.join(" "));
    }

    #[test]
    fn mutated_sources_never_panic(
        which in 0usize..VALID.len(),
        edits in prop::collection::vec((0usize..100_000, 0u8..4, 0usize..1000), 1..8),
    ) {
        check(&mutate(VALID[which], &edits));
    }
}

#[test]
fn pathological_inputs_are_bounded() {
    // Deep nesting, long equ chains, circular equs, huge sizes, many branches.
    check(&format!(
        "li a0, {}1{}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    ));
    check(&format!("li a0, {}1", "-".repeat(10_000)));
    check(&format!("li a0, 1{}", "+1".repeat(100_000)));
    check(".equ a, b\n.equ b, a\n.word a");
    check(".space 0xffffffff\n.space 0xffffffff");
    check(".p2align 16\n.p2align 16\n.balign 65536, 1, 0");
    let far: String = (0..2000)
        .map(|i| format!("beq a0, a1, l{}\n.space 8\nl{i}:\n", 1999 - i))
        .collect();
    check(&far);
}
