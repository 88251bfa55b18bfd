//! Cases checked by hand against binutils 2.40 objdump; they need no
//! golden files.

use super::*;
use crate::symbols::Symbol;

fn table() -> SymbolTable {
    let sym = |name: &str, addr, kind| Symbol {
        name: name.to_string(),
        addr,
        size: 0,
        kind,
    };
    SymbolTable::new(vec![
        sym("_start", 0x8000_0000, SymbolKind::Function),
        sym("main", 0x8000_0040, SymbolKind::Function),
        sym("main_alias", 0x8000_0040, SymbolKind::Other),
        sym("__global_pointer$", 0x8000_0800, SymbolKind::Other),
    ])
}

fn d(word: u32) -> String {
    disasm(word, 0x8000_0000, &SymbolTable::default())
}

#[test]
fn objdump_aliases() {
    assert_eq!(d(0x0000_0013), "nop");
    assert_eq!(d(0xff01_0113), "add\tsp,sp,-16"); // addi: 2.40 prints `add`
    assert_eq!(d(0x0050_0513), "li\ta0,5");
    assert_eq!(d(0x0005_8513), "mv\ta0,a1");
    assert_eq!(d(0xfff5_c513), "not\ta0,a1");
    assert_eq!(d(0x0015_b513), "seqz\ta0,a1");
    assert_eq!(d(0x40c0_0533), "neg\ta0,a2");
    assert_eq!(d(0x00c0_3533), "snez\ta0,a2");
    assert_eq!(d(0x0005_a533), "sltz\ta0,a1");
    assert_eq!(d(0x00c0_2533), "sgtz\ta0,a2");
    assert_eq!(d(0x0035_9513), "sll\ta0,a1,0x3");
    assert_eq!(d(0x0000_8067), "ret");
    assert_eq!(d(0x0005_0067), "jr\ta0");
    assert_eq!(d(0x0085_00e7), "jalr\t8(a0)");
    assert_eq!(d(0x8005_05e7), "jalr\ta1,-2048(a0)");
    assert_eq!(d(0xfff5_f537), "lui\ta0,0xfff5f");
}

#[test]
fn csr_forms() {
    assert_eq!(d(0x3000_2573), "csrr\ta0,mstatus");
    assert_eq!(d(0x3005_9073), "csrw\tmstatus,a1");
    assert_eq!(d(0x300f_d573), "csrrw\ta0,mstatus,31"); // csrrwi
    assert_eq!(d(0x3002_e073), "csrs\tmstatus,5"); // csrrsi zero
    assert_eq!(d(0xc000_2573), "rdcycle\ta0");
    assert_eq!(d(0xc000_2073), "rdcycle\tzero");
    assert_eq!(d(0xc000_1073), "unimp");
    assert_eq!(d(0x7c00_2573), "csrr\ta0,0x7c0");
    assert_eq!(d(0x3a00_2573), "csrr\ta0,pmpcfg0"); // objdump's own table
}

#[test]
fn fences_and_illegal_words() {
    assert_eq!(d(0x0ff0_000f), "fence");
    assert_eq!(d(0x0210_000f), "fence\tr,w");
    assert_eq!(d(0x0100_000f), "fence\tw,unknown");
    assert_eq!(d(0x8330_000f), "fence.tso");
    assert_eq!(d(0x0000_100f), "fence.i");
    // The machine executes these as fence / fence.i; objdump does not.
    assert_eq!(d(0x0ff0_028f), ".4byte\t0xff0028f");
    assert_eq!(d(0x0010_100f), ".4byte\t0x10100f");
    // The all-zero parcel is the defined-illegal compressed encoding.
    assert_eq!(d(0x0000_0000), "unimp");
    assert_eq!(d(0xffff_ffff), ".4byte\t0xffffffff");
    assert_eq!(d(0x0000_2063), ".4byte\t0x2063");
    // RV64 shift amounts: illegal here, named by objdump.
    assert_eq!(d(0x0200_1013), "sll\tzero,zero,0x20");
    assert_eq!(d(0x1020_0073), "sret");
}

#[test]
fn targets_and_labels() {
    let t = table();
    // jal ra, +0x40: objdump omits ra; the first symbol at an address wins.
    assert_eq!(disasm(0x0400_00ef, 0x8000_0000, &t), "jal\t80000040 <main>");
    assert_eq!(
        disasm(0x0440_006f, 0x8000_0000, &t),
        "j\t80000044 <main+0x4>"
    );
    assert_eq!(
        disasm(0xfe05_0ee3, 0x8000_0004, &t),
        "beqz\ta0,80000000 <_start>"
    );
    // No symbols: a bare 0x address.
    assert_eq!(
        disasm(0x0400_00ef, 0x8000_0000, &SymbolTable::default()),
        "jal\t0x80000040"
    );
    // Addresses below every symbol are named from the lowest one.
    assert_eq!(
        disasm(0x0100_2503, 0x8000_0000, &t),
        "lw\ta0,16(zero) # 10 <_start-0x7ffffff0>"
    );
    // gp-relative accesses use __global_pointer$.
    assert_eq!(
        disasm(0xffc1_a503, 0x8000_0000, &t),
        "lw\ta0,-4(gp) # 800007fc <main+0x7bc>"
    );
}

#[test]
fn lui_auipc_pairs_need_state() {
    let t = table();
    let mut dis = Disassembler::new(&t);
    assert_eq!(dis.disasm(0x0000_0517, 0x8000_0010), "auipc\ta0,0x0");
    assert_eq!(
        dis.disasm(0x0305_0513, 0x8000_0014),
        "add\ta0,a0,48 # 80000040 <main>"
    );
    // The value is used once.
    assert_eq!(dis.disasm(0x0005_2583, 0x8000_0018), "lw\ta1,0(a0)");
    // jalr with an offset from gp: objdump's second lookup wins.
    assert_eq!(dis.disasm(0x0000_0197, 0x8000_001c), "auipc\tgp,0x0");
    assert_eq!(
        dis.disasm(0x0041_8067, 0x8000_0020),
        "jr\t4(gp) # 80000804 <__global_pointer$+0x4>"
    );
}

#[test]
fn listing_layout() {
    let t = table();
    let words: [u32; 6] = [0x0000_0013, 0, 0, 0x0000_8067, 0x0000_0001, 0x0040_00ef];
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    let got = listing(&[(0x8000_0000, &bytes)], &t);
    assert_eq!(
        got,
        "\n80000000 <_start>:\n\
         80000000:\t00000013          \tnop\n\
         \t...\n\
         8000000c:\t00008067          \tret\n\
         80000010:\t0001                \tnop\n\
         80000012:\t0000                \tunimp\n\
         80000014:\t004000ef          \tjal\t80000018 <_start+0x18>\n"
    );
    // Low addresses keep four hex digits; a symbol opens a new block.
    let got = listing(&[(0x3c, &bytes[..12])], &SymbolTable::default());
    assert_eq!(
        got,
        "\n0000003c <.text>:\n  3c:\t00000013          \tnop\n\t...\n"
    );
    let got = listing(&[(0x8000_003c, &bytes[..12])], &t);
    assert!(
        got.starts_with("\n8000003c <_start+0x3c>:\n8000003c:\t00000013 ")
            && got.ends_with("\n80000040 <main>:\n\t...\n"),
        "{got}"
    );
}

#[test]
fn long_and_truncated_encodings() {
    let t = SymbolTable::default();
    // 48-bit encoding: three halfword chunks, shown as bytes.
    let bytes = [0x1f, 0, 0, 0, 0x3f, 0];
    assert_eq!(
        listing(&[(0x8000_0000, &bytes)], &t),
        "\n80000000 <.text>:\n80000000:\t001f 0000 003f      \t.byte\t0x1f, 0x00, 0x00, 0x00, 0x3f, 0x00\n"
    );
    // A 4-byte instruction cut off by the region end.
    let bytes = [0x13, 0x05];
    assert_eq!(
        listing(&[(0x8000_0000, &bytes)], &t),
        "\n80000000 <.text>:\n80000000:\t13 05             \tAddress 0x80000000 is out of bounds.\n\n"
    );
}
