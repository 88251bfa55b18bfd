//! Loader tests on ELF files built in memory, one per defect, plus raw images
//! and (when present) the project's own ROMs.

use glassbox::loader::*;
use glassbox::symbols::{Symbol, SymbolKind};

const RAM: MemRegion = MemRegion {
    base: 0x8000_0000,
    size: 64 << 20,
};
const RAM_END: u32 = 0x8400_0000;

// ---------------------------------------------------------------------------
// A minimal ELF32 writer: header, program headers, segment data and an
// optional .symtab/.strtab/.shstrtab with section headers.

const PT_LOAD: u32 = 1;
const PT_NOTE: u32 = 4;
const STT_NOTYPE: u8 = 0;
const STT_OBJECT: u8 = 1;
const STT_FUNC: u8 = 2;
const STT_SECTION: u8 = 3;
const STT_FILE: u8 = 4;
const SHN_ABS: u16 = 0xfff1;
const SHN_COMMON: u16 = 0xfff2;

#[derive(Clone)]
struct Ph {
    kind: u32,
    vaddr: u32,
    paddr: u32,
    data: Vec<u8>,
    mem_size: u32,
    flags: u32,
}

#[derive(Clone)]
struct Sym {
    name: String,
    value: u32,
    size: u32,
    info: u8,
    shndx: u16,
}

#[derive(Clone)]
struct ElfBuilder {
    class: u8,
    encoding: u8,
    machine: u16,
    kind: u16,
    entry: u32,
    phs: Vec<Ph>,
    syms: Option<Vec<Sym>>,
}

impl ElfBuilder {
    fn new(entry: u32) -> Self {
        ElfBuilder {
            class: 1,
            encoding: 1,
            machine: 243,
            kind: 2,
            entry,
            phs: Vec::new(),
            syms: None,
        }
    }

    fn seg(self, addr: u32, data: &[u8], mem_size: u32) -> Self {
        self.ph(PT_LOAD, addr, addr, data, mem_size)
    }

    fn ph(mut self, kind: u32, vaddr: u32, paddr: u32, data: &[u8], mem_size: u32) -> Self {
        self.phs.push(Ph {
            kind,
            vaddr,
            paddr,
            data: data.to_vec(),
            mem_size,
            flags: 7, // PF_R | PF_W | PF_X
        });
        self
    }

    /// Sets the p_flags of the last program header added.
    fn flags(mut self, flags: u32) -> Self {
        if let Some(ph) = self.phs.last_mut() {
            ph.flags = flags;
        }
        self
    }

    fn sym(mut self, name: &str, value: u32, size: u32, kind: u8, shndx: u16) -> Self {
        self.syms.get_or_insert_with(Vec::new).push(Sym {
            name: name.to_string(),
            value,
            size,
            info: 0x10 | kind, // STB_GLOBAL
            shndx,
        });
        self
    }

    fn build(&self) -> Vec<u8> {
        let mut out = vec![0u8; 52];
        let phoff = 52u32;
        out.resize(52 + 32 * self.phs.len(), 0);
        let mut offsets = Vec::new();
        for ph in &self.phs {
            offsets.push(out.len() as u32);
            out.extend_from_slice(&ph.data);
        }
        for (i, ph) in self.phs.iter().enumerate() {
            let at = 52 + 32 * i;
            put32(&mut out, at, ph.kind);
            put32(&mut out, at + 4, offsets[i]);
            put32(&mut out, at + 8, ph.vaddr);
            put32(&mut out, at + 12, ph.paddr);
            put32(&mut out, at + 16, ph.data.len() as u32);
            put32(&mut out, at + 20, ph.mem_size);
            put32(&mut out, at + 24, ph.flags);
            put32(&mut out, at + 28, 4);
        }
        let mut shoff = 0u32;
        let mut shnum = 0u16;
        if let Some(syms) = &self.syms {
            align4(&mut out);
            let mut strtab = vec![0u8];
            let mut symtab = vec![0u8; 16]; // null symbol
            for s in syms {
                let name_off = if s.name.is_empty() {
                    0
                } else {
                    let o = strtab.len() as u32;
                    strtab.extend_from_slice(s.name.as_bytes());
                    strtab.push(0);
                    o
                };
                symtab.extend_from_slice(&name_off.to_le_bytes());
                symtab.extend_from_slice(&s.value.to_le_bytes());
                symtab.extend_from_slice(&s.size.to_le_bytes());
                symtab.push(s.info);
                symtab.push(0);
                symtab.extend_from_slice(&s.shndx.to_le_bytes());
            }
            let shstrtab = b"\0.symtab\0.strtab\0.shstrtab\0";
            let symtab_off = out.len() as u32;
            out.extend_from_slice(&symtab);
            let strtab_off = out.len() as u32;
            out.extend_from_slice(&strtab);
            let shstrtab_off = out.len() as u32;
            out.extend_from_slice(shstrtab);
            align4(&mut out);
            shoff = out.len() as u32;
            shnum = 4;
            // [name, type, flags, addr, offset, size, link, info, align, entsize]
            let headers: [[u32; 10]; 4] = [
                [0; 10],
                [1, 2, 0, 0, symtab_off, symtab.len() as u32, 2, 1, 4, 16],
                [9, 3, 0, 0, strtab_off, strtab.len() as u32, 0, 0, 1, 0],
                [17, 3, 0, 0, shstrtab_off, shstrtab.len() as u32, 0, 0, 1, 0],
            ];
            for h in headers {
                for w in h {
                    out.extend_from_slice(&w.to_le_bytes());
                }
            }
        }
        out[..4].copy_from_slice(b"\x7fELF");
        out[4] = self.class;
        out[5] = self.encoding;
        out[6] = 1; // EV_CURRENT
        put16(&mut out, 16, self.kind);
        put16(&mut out, 18, self.machine);
        put32(&mut out, 20, 1);
        put32(&mut out, 24, self.entry);
        put32(&mut out, 28, if self.phs.is_empty() { 0 } else { phoff });
        put32(&mut out, 32, shoff);
        put16(&mut out, 40, 52);
        put16(&mut out, 42, 32);
        put16(&mut out, 44, self.phs.len() as u16);
        put16(&mut out, 46, 40);
        put16(&mut out, 48, shnum);
        put16(&mut out, 50, if shnum > 0 { 3 } else { 0 });
        out
    }
}

fn put16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

fn put32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

fn align4(b: &mut Vec<u8>) {
    while !b.len().is_multiple_of(4) {
        b.push(0);
    }
}

/// A typical small program: code, then data followed by .bss, with symbols.
fn sample() -> ElfBuilder {
    ElfBuilder::new(0x8000_0000)
        .seg(0x8000_0000, &[0x13, 0, 0, 0, 0x6f, 0, 0, 0], 8)
        .flags(5) // PF_R | PF_X
        .seg(0x8000_1000, &[1, 2, 3, 4], 0x100)
        .flags(6) // PF_R | PF_W
        .sym("_start", 0x8000_0000, 0, STT_NOTYPE, 1)
        .sym("main", 0x8000_0004, 4, STT_FUNC, 1)
        .sym("tohost", 0x8000_1000, 8, STT_OBJECT, 2)
        .sym("fromhost", 0x8000_1008, 8, STT_OBJECT, 2)
}

fn err(bytes: &[u8]) -> LoadError {
    load_elf(bytes, RAM).expect_err("load should fail")
}

// ---------------------------------------------------------------------------
// Good files

#[test]
fn loads_segments_entry_and_symbols() {
    let img = load_elf(&sample().build(), RAM).unwrap();
    assert_eq!(img.format, ImageFormat::Elf);
    assert_eq!(img.entry, 0x8000_0000);
    assert_eq!(
        img.segments,
        vec![
            Segment {
                addr: 0x8000_0000,
                data: vec![0x13, 0, 0, 0, 0x6f, 0, 0, 0],
                mem_size: 8,
                executable: true,
            },
            Segment {
                addr: 0x8000_1000,
                data: vec![1, 2, 3, 4],
                mem_size: 0x100,
                executable: false,
            },
        ]
    );
    let syms: Vec<Symbol> = img.symbols.iter().cloned().collect();
    let sym = |name: &str, addr, size, kind| Symbol {
        name: name.into(),
        addr,
        size,
        kind,
    };
    assert_eq!(
        syms,
        vec![
            sym("_start", 0x8000_0000, 0, SymbolKind::Other),
            sym("main", 0x8000_0004, 4, SymbolKind::Function),
            sym("tohost", 0x8000_1000, 8, SymbolKind::Object),
            sym("fromhost", 0x8000_1008, 8, SymbolKind::Object),
        ]
    );
    assert_eq!(img.tohost(), Some(0x8000_1000));
    assert_eq!(img.fromhost(), Some(0x8000_1008));
}

#[test]
fn bss_is_memory_size_beyond_file_data() {
    let img = load_elf(
        &ElfBuilder::new(0x8000_0000)
            .seg(0x8000_0000, &[0xaa; 16], 0x1000)
            .build(),
        RAM,
    )
    .unwrap();
    let seg = &img.segments[0];
    assert_eq!(seg.data, vec![0xaa; 16]);
    assert_eq!(seg.mem_size, 0x1000);
    assert!(seg.mem_size as usize > seg.data.len());
}

#[test]
fn pure_bss_segment_has_no_data() {
    let img = load_elf(
        &ElfBuilder::new(0x8000_0000)
            .seg(0x8000_0000, &[1, 2, 3, 4], 4)
            .seg(0x8000_2000, &[], 0x800)
            .build(),
        RAM,
    )
    .unwrap();
    assert_eq!(img.segments[1].data, Vec::<u8>::new());
    assert_eq!(img.segments[1].mem_size, 0x800);
}

#[test]
fn segments_are_sorted_whatever_the_header_order() {
    let img = load_elf(
        &ElfBuilder::new(0x8000_0000)
            .seg(0x8000_3000, &[3], 1)
            .seg(0x8000_0000, &[1], 1)
            .seg(0x8000_2000, &[2], 1)
            .build(),
        RAM,
    )
    .unwrap();
    let addrs: Vec<u32> = img.segments.iter().map(|s| s.addr).collect();
    assert_eq!(addrs, vec![0x8000_0000, 0x8000_2000, 0x8000_3000]);
}

#[test]
fn adjacent_segments_do_not_overlap() {
    let img = load_elf(
        &ElfBuilder::new(0x8000_0000)
            .seg(0x8000_0000, &[1; 4], 0x10)
            .seg(0x8000_0010, &[2; 4], 0x10)
            .build(),
        RAM,
    )
    .unwrap();
    assert_eq!(img.segments.len(), 2);
}

#[test]
fn skips_non_load_headers_and_empty_load_segments() {
    let img = load_elf(
        &ElfBuilder::new(0x8000_0000)
            .ph(PT_NOTE, 0, 0, &[9; 8], 0)
            .seg(0x8000_0000, &[1; 4], 4)
            .ph(PT_LOAD, 0x1234, 0x1234, &[], 0) // outside RAM but empty
            .build(),
        RAM,
    )
    .unwrap();
    assert_eq!(img.segments.len(), 1);
    assert_eq!(img.segments[0].addr, 0x8000_0000);
}

#[test]
fn segments_are_placed_at_their_physical_address() {
    // .data linked to run at 0x80002000 but stored (AT>) at 0x80001000.
    let img = load_elf(
        &ElfBuilder::new(0x8000_0000)
            .seg(0x8000_0000, &[1; 4], 4)
            .ph(PT_LOAD, 0x8000_2000, 0x8000_1000, &[5; 4], 4)
            .build(),
        RAM,
    )
    .unwrap();
    assert_eq!(img.segments[1].addr, 0x8000_1000);
}

#[test]
fn segment_may_end_exactly_at_end_of_ram() {
    let img = load_elf(
        &ElfBuilder::new(RAM_END - 4)
            .seg(RAM_END - 4, &[1; 4], 4)
            .build(),
        RAM,
    )
    .unwrap();
    assert_eq!(img.segments[0].addr, RAM_END - 4);
}

#[test]
fn ram_at_top_of_address_space() {
    let ram = MemRegion {
        base: 0xffff_0000,
        size: 0x1_0000,
    };
    let img = load_elf(
        &ElfBuilder::new(0xffff_fff0)
            .seg(0xffff_fff0, &[1; 4], 0x10)
            .build(),
        ram,
    )
    .unwrap();
    assert_eq!(img.segments[0].mem_size, 0x10);
    let e = load_elf(
        &ElfBuilder::new(0xffff_fff0)
            .seg(0xffff_fff0, &[1; 4], 0x11)
            .build(),
        ram,
    )
    .unwrap_err();
    assert!(matches!(
        e,
        LoadError::SegmentOutsideRam {
            end: 0x1_0000_0001,
            ..
        }
    ));
}

#[test]
fn shared_object_type_is_accepted_at_link_address() {
    let mut b = sample();
    b.kind = 3;
    assert!(load_elf(&b.build(), RAM).is_ok());
}

#[test]
fn no_symtab_gives_empty_symbols() {
    let img = load_elf(
        &ElfBuilder::new(0x8000_0000)
            .seg(0x8000_0000, &[1; 4], 4)
            .build(),
        RAM,
    )
    .unwrap();
    assert!(img.symbols.is_empty());
    assert_eq!(img.tohost(), None);
}

#[test]
fn symbol_filter_matches_objdump_labels() {
    let img = load_elf(
        &ElfBuilder::new(0x8000_0000)
            .seg(0x8000_0000, &[1; 16], 16)
            .sym("kept_notype", 0x8000_0000, 0, STT_NOTYPE, 1)
            .sym(".text", 0x8000_0000, 0, STT_SECTION, 1)
            .sym("prog.c", 0, 0, STT_FILE, SHN_ABS)
            .sym("undefined", 0, 0, STT_FUNC, 0)
            .sym("common", 4, 4, STT_OBJECT, SHN_COMMON)
            .sym("", 0x8000_0004, 0, STT_NOTYPE, 1)
            .sym("$x", 0x8000_0000, 0, STT_NOTYPE, 1)
            .sym("$d", 0x8000_0008, 0, STT_NOTYPE, 1)
            .sym("$xrv32i2p1_m2p0", 0x8000_0000, 0, STT_NOTYPE, 1)
            .sym("$not_mapping", 0x8000_0004, 0, STT_NOTYPE, 1)
            .sym("__global_pointer$", 0x8000_0800, 0, STT_NOTYPE, SHN_ABS)
            .sym(".Llocal", 0x8000_000c, 0, STT_NOTYPE, 1)
            .sym("func", 0x8000_0008, 8, STT_FUNC, 1)
            .build(),
        RAM,
    )
    .unwrap();
    let names: Vec<&str> = img.symbols.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "kept_notype",
            "$not_mapping",
            "func",
            ".Llocal",
            "__global_pointer$"
        ]
    );
    assert_eq!(img.symbols.label_at(0x8000_0008), Some("func"));
}

#[test]
fn overlong_symbol_names_are_skipped() {
    let long = "x".repeat(5000);
    let img = load_elf(
        &sample().sym(&long, 0x8000_0000, 0, STT_FUNC, 1).build(),
        RAM,
    )
    .unwrap();
    assert_eq!(img.symbols.iter().count(), 4);
    assert_eq!(img.symbols.lookup(&long), None);
}

// ---------------------------------------------------------------------------
// Malformed files: one exact error each

#[test]
fn empty_file() {
    assert_eq!(err(&[]), LoadError::Empty);
    assert_eq!(load_bytes(&[], RAM, None).unwrap_err(), LoadError::Empty);
    assert_eq!(load_raw(&[], RAM.base, RAM).unwrap_err(), LoadError::Empty);
}

#[test]
fn not_elf() {
    assert_eq!(err(b"hello world"), LoadError::NotElf);
    assert_eq!(err(b"\x7fEL"), LoadError::NotElf);
    assert_eq!(err(b"\x7fELG...."), LoadError::NotElf);
}

#[test]
fn elf64() {
    let mut b = sample();
    b.class = 2;
    assert_eq!(err(&b.build()), LoadError::Elf64);
}

#[test]
fn bad_class_and_encoding() {
    let mut b = sample();
    b.class = 0;
    assert_eq!(err(&b.build()), LoadError::BadClass(0));
    let mut b = sample();
    b.encoding = 7;
    assert_eq!(err(&b.build()), LoadError::BadEncoding(7));
}

#[test]
fn big_endian() {
    let mut b = sample();
    b.encoding = 2;
    assert_eq!(err(&b.build()), LoadError::BigEndian);
}

#[test]
fn wrong_machine() {
    let mut b = sample();
    b.machine = 62;
    let e = err(&b.build());
    assert_eq!(e, LoadError::WrongMachine(62));
    let text = e.to_string();
    assert!(text.contains("x86-64") && text.contains("62") && text.contains("RISC-V"));
    b.machine = 40000;
    assert!(
        err(&b.build())
            .to_string()
            .contains("unknown machine (40000)")
    );
}

#[test]
fn relocatable_is_not_executable() {
    let mut b = sample();
    b.kind = 1;
    let e = err(&b.build());
    assert_eq!(e, LoadError::NotExecutable(1));
    assert!(
        e.to_string()
            .contains("not an executable (ELF type relocatable)")
    );
    b.kind = 4;
    assert_eq!(err(&b.build()), LoadError::NotExecutable(4));
}

#[test]
fn segment_outside_ram() {
    let below = ElfBuilder::new(0x8000_0000)
        .seg(0x7fff_f000, &[1; 4], 0x2000)
        .build();
    let e = err(&below);
    assert_eq!(
        e,
        LoadError::SegmentOutsideRam {
            start: 0x7fff_f000,
            end: 0x8000_1000,
            ram: RAM
        }
    );
    let text = e.to_string();
    assert!(
        text.contains("0x7ffff000") && text.contains("0x80000fff"),
        "{text}"
    );
    assert!(text.contains("outside RAM 0x80000000–0x83ffffff"), "{text}");

    let past_end = ElfBuilder::new(0x8000_0000)
        .seg(0x8000_0000, &[1; 4], 4)
        .seg(RAM_END - 4, &[1; 4], 8)
        .build();
    assert!(matches!(
        err(&past_end),
        LoadError::SegmentOutsideRam { .. }
    ));

    let wraps = ElfBuilder::new(0x8000_0000)
        .seg(0x8000_0000, &[1; 4], 4)
        .seg(0xffff_fff0, &[], 0x100)
        .build();
    assert!(matches!(err(&wraps), LoadError::SegmentOutsideRam { .. }));
}

#[test]
fn overlapping_segments() {
    let e = err(&ElfBuilder::new(0x8000_0000)
        .seg(0x8000_0000, &[1; 4], 0x100)
        .seg(0x8000_00f0, &[2; 4], 0x20)
        .build());
    assert_eq!(
        e,
        LoadError::OverlappingSegments {
            first: (0x8000_0000, 0x8000_0100),
            second: (0x8000_00f0, 0x8000_0110),
        }
    );
    assert!(
        e.to_string()
            .starts_with("segments overlap: 0x80000000–0x800000ff and")
    );
}

#[test]
fn bss_overlapping_next_segment_is_an_overlap() {
    let e = err(&ElfBuilder::new(0x8000_0000)
        .seg(0x8000_0000, &[1; 4], 0x1000)
        .seg(0x8000_0800, &[2; 4], 4)
        .build());
    assert!(matches!(e, LoadError::OverlappingSegments { .. }));
}

#[test]
fn truncated_at_every_cut_point() {
    let full = sample().build();
    for cut in 4..full.len() {
        match err(&full[..cut]) {
            LoadError::Truncated {
                file_size, what, ..
            } => {
                assert_eq!(file_size, cut as u64);
                assert!(!what.is_empty());
            }
            other => panic!("cut at {cut}: expected Truncated, got {other:?}"),
        }
    }
}

#[test]
fn truncated_names_the_structure() {
    let full = sample().build();
    let what = |cut: usize| match err(&full[..cut]) {
        LoadError::Truncated { what, .. } => what,
        other => panic!("cut at {cut}: {other:?}"),
    };
    assert!(what(10).contains("e_ident"));
    assert!(what(40).contains("ELF header"));
    assert_eq!(what(52 + 32 + 10), "program header 1");
    assert!(what(52 + 64 + 2).contains("segment 0"));
    let e = err(&full[..52 + 32 + 10]);
    assert_eq!(
        e.to_string(),
        "file truncated: program header 1 extends past end of file \
         (offset 84, 32 bytes, file size 94)"
    );
    let one = LoadError::Truncated {
        what: "segment 0".into(),
        offset: 200,
        len: 1,
        file_size: 200,
    };
    assert_eq!(
        one.to_string(),
        "file truncated: segment 0 extends past end of file \
         (offset 200, 1 byte, file size 200)"
    );
}

#[test]
fn huge_offsets_are_truncation_not_overflow() {
    let mut bytes = sample().build();
    put32(&mut bytes, 52 + 4, u32::MAX); // p_offset of segment 0
    assert!(matches!(err(&bytes), LoadError::Truncated { .. }));
    let mut bytes = sample().build();
    put32(&mut bytes, 28, u32::MAX - 8); // e_phoff
    assert!(matches!(err(&bytes), LoadError::Truncated { .. }));
    let mut bytes = sample().build();
    put16(&mut bytes, 44, u16::MAX - 1); // e_phnum
    assert!(matches!(err(&bytes), LoadError::Truncated { .. }));
    let mut bytes = sample().build();
    put32(&mut bytes, 32, u32::MAX); // e_shoff
    assert!(matches!(err(&bytes), LoadError::Truncated { .. }));
}

#[test]
fn elf_segment_larger_than_ram() {
    let e = err(&ElfBuilder::new(0x8000_0000)
        .seg(0x8000_0000, &[1; 4], (64 << 20) + 1)
        .build());
    assert_eq!(
        e,
        LoadError::TooLarge {
            size: (64 << 20) + 1,
            ram_size: 64 << 20
        }
    );
    assert!(e.to_string().contains("larger than RAM (67108864 bytes)"));
}

#[test]
fn entry_outside_segments() {
    let e = err(&ElfBuilder::new(0x8000_0100)
        .seg(0x8000_0000, &[1; 4], 0x100)
        .build());
    assert_eq!(e, LoadError::EntryOutsideSegments(0x8000_0100));
    assert!(e.to_string().contains("entry point 0x80000100"));
}

#[test]
fn no_loadable_segments() {
    assert_eq!(
        err(&ElfBuilder::new(0x8000_0000).build()),
        LoadError::NoLoadableSegments
    );
    assert_eq!(
        err(&ElfBuilder::new(0x8000_0000)
            .ph(PT_NOTE, 0, 0, &[1; 4], 4)
            .ph(PT_LOAD, 0x8000_0000, 0x8000_0000, &[], 0)
            .build()),
        LoadError::NoLoadableSegments
    );
}

#[test]
fn file_size_larger_than_memory_size() {
    let e = err(&ElfBuilder::new(0x8000_0000)
        .seg(0x8000_0000, &[1; 8], 4)
        .build());
    assert!(
        matches!(e, LoadError::Malformed(ref m) if m.contains("file size (8)")),
        "{e}"
    );
}

#[test]
fn bad_header_entry_sizes() {
    let mut bytes = sample().build();
    put16(&mut bytes, 42, 20);
    assert!(matches!(err(&bytes), LoadError::Malformed(m) if m.contains("e_phentsize")));
    let mut bytes = sample().build();
    put16(&mut bytes, 46, 64);
    assert!(matches!(err(&bytes), LoadError::Malformed(m) if m.contains("e_shentsize")));
}

/// Offset of section header `i` in a file from `ElfBuilder::build`.
fn shdr(bytes: &[u8], i: usize) -> usize {
    u32::from_le_bytes(bytes[32..36].try_into().unwrap()) as usize + 40 * i
}

#[test]
fn broken_symbol_tables() {
    let good = sample().build();

    let mut bytes = good.clone();
    let at = shdr(&bytes, 1) + 24; // .symtab sh_link
    put32(&mut bytes, at, 9);
    assert!(matches!(err(&bytes), LoadError::Malformed(m) if m.contains("string table")));

    let mut bytes = good.clone();
    let at = shdr(&bytes, 1) + 36; // .symtab sh_entsize
    put32(&mut bytes, at, 24);
    assert!(matches!(err(&bytes), LoadError::Malformed(m) if m.contains("sh_entsize")));

    let mut bytes = good.clone();
    let at = shdr(&bytes, 2) + 20; // .strtab sh_size: cut names short
    put32(&mut bytes, at, 3);
    assert!(matches!(err(&bytes), LoadError::Malformed(m) if m.contains("symbol 1")));

    let mut bytes = good.clone();
    let at = shdr(&bytes, 1) + 20; // .symtab sh_size past end of file
    put32(&mut bytes, at, 0x0010_0000);
    assert!(matches!(err(&bytes), LoadError::Truncated { what, .. } if what.contains(".symtab")));
}

#[test]
fn extended_section_count_is_read_from_section_zero() {
    let mut bytes = sample().build();
    put16(&mut bytes, 48, 0); // e_shnum = 0: count in section 0's sh_size
    let at = shdr(&bytes, 0) + 20;
    put32(&mut bytes, at, 4);
    let img = load_elf(&bytes, RAM).unwrap();
    assert_eq!(img.tohost(), Some(0x8000_1000));
}

#[test]
fn extended_program_header_count_is_read_from_section_zero() {
    let mut bytes = sample().build();
    put16(&mut bytes, 44, 0xffff); // PN_XNUM: count in section 0's sh_info
    let at = shdr(&bytes, 0) + 28;
    put32(&mut bytes, at, 2);
    let img = load_elf(&bytes, RAM).unwrap();
    assert_eq!(img.segments.len(), 2);

    let mut no_sections = ElfBuilder::new(0x8000_0000)
        .seg(0x8000_0000, &[1; 4], 4)
        .build();
    put16(&mut no_sections, 44, 0xffff);
    assert!(matches!(err(&no_sections), LoadError::Malformed(m) if m.contains("0xffff")));
}

// ---------------------------------------------------------------------------
// Raw images and dispatch

#[test]
fn raw_image_at_ram_base_by_default() {
    let img = load_bytes(&[1, 2, 3, 4, 5], RAM, None).unwrap();
    assert_eq!(img.format, ImageFormat::Raw);
    assert_eq!(img.entry, RAM.base);
    assert_eq!(
        img.segments,
        vec![Segment {
            addr: RAM.base,
            data: vec![1, 2, 3, 4, 5],
            mem_size: 5,
            executable: true,
        }]
    );
    assert!(img.symbols.is_empty());
}

#[test]
fn raw_image_at_given_address() {
    let img = load_bytes(&[1; 8], RAM, Some(0x8000_1000)).unwrap();
    assert_eq!(img.entry, 0x8000_1000);
    assert_eq!(img.segments[0].addr, 0x8000_1000);
    let img = load_raw(&[1; 8], RAM_END - 8, RAM).unwrap();
    assert_eq!(img.segments[0].mem_size, 8);
}

#[test]
fn raw_image_address_outside_ram() {
    for addr in [0, RAM.base - 1, RAM_END, u32::MAX] {
        let e = load_raw(&[1; 4], addr, RAM).unwrap_err();
        assert_eq!(e, LoadError::RawAddrOutsideRam { addr, ram: RAM });
    }
    assert!(
        load_raw(&[1; 4], 0x1000, RAM)
            .unwrap_err()
            .to_string()
            .contains("0x00001000 is outside RAM 0x80000000–0x83ffffff")
    );
}

#[test]
fn raw_image_runs_past_end_of_ram() {
    let e = load_raw(&[1; 16], RAM_END - 8, RAM).unwrap_err();
    assert_eq!(
        e,
        LoadError::RawPastEndOfRam {
            addr: RAM_END - 8,
            len: 16,
            ram: RAM
        }
    );
    assert!(e.to_string().contains("runs past the end of RAM"));
}

#[test]
fn raw_image_larger_than_ram() {
    let ram = MemRegion {
        base: 0x8000_0000,
        size: 16,
    };
    let e = load_bytes(&[0; 17], ram, None).unwrap_err();
    assert_eq!(
        e,
        LoadError::TooLarge {
            size: 17,
            ram_size: 16
        }
    );
    assert_eq!(
        e.to_string(),
        "image of 17 bytes is larger than RAM (16 bytes)"
    );
}

#[test]
fn load_bytes_dispatches_on_magic() {
    let img = load_bytes(&sample().build(), RAM, Some(0x8000_2000)).unwrap();
    assert_eq!(img.format, ImageFormat::Elf);
    // A damaged ELF is reported as such, not loaded as a raw binary.
    let mut b = sample();
    b.machine = 3;
    assert_eq!(
        load_bytes(&b.build(), RAM, None).unwrap_err(),
        LoadError::WrongMachine(3)
    );
}

#[test]
fn load_file_reads_and_reports_missing_files() {
    let dir = std::env::temp_dir().join(format!("glassbox-loader-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("prog.elf");
    std::fs::write(&path, sample().build()).unwrap();
    let img = load_file(&path, RAM, None).unwrap();
    assert_eq!(img.entry, 0x8000_0000);
    std::fs::remove_dir_all(&dir).unwrap();

    let missing = dir.join("missing.bin");
    match load_file(&missing, RAM, None).unwrap_err() {
        LoadError::Io(msg) => assert!(msg.contains("missing.bin"), "{msg}"),
        other => panic!("expected Io, got {other:?}"),
    }
}

#[test]
fn contains_range_is_overflow_safe() {
    assert!(RAM.contains_range(RAM.base, 64 << 20));
    assert!(RAM.contains_range(RAM_END, 0));
    assert!(!RAM.contains_range(RAM_END, 1));
    assert!(!RAM.contains_range(RAM.base - 1, 1));
    assert!(!RAM.contains_range(RAM.base, u32::MAX));
    assert!(!RAM.contains_range(u32::MAX, u32::MAX));
    let top = MemRegion {
        base: 0xffff_0000,
        size: 0x1_0000,
    };
    assert!(top.contains_range(0xffff_fff0, 0x10));
    assert!(!top.contains_range(0xffff_ffff, 2));
}

// ---------------------------------------------------------------------------
// The project's ROMs, when they have been built.

fn find_elves(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // roms/loading holds fixtures that must not load (tests/ext_loading.rs).
        if path.is_dir() && !path.ends_with("loading") {
            find_elves(&path, out);
        } else if path.extension().is_some_and(|e| e == "elf") {
            out.push(path);
        }
    }
}

#[test]
fn every_rom_loads() {
    let mut roms = Vec::new();
    find_elves(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("roms"),
        &mut roms,
    );
    for path in &roms {
        let img = load_file(path, RAM, None).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(img.format, ImageFormat::Elf, "{}", path.display());
        assert!(
            img.segments.iter().any(|s| s.contains(img.entry)),
            "{}: entry {:#x}",
            path.display(),
            img.entry
        );
        assert_eq!(img.entry % 2, 0, "{}: misaligned entry", path.display());
        assert!(!img.symbols.is_empty(), "{}: no symbols", path.display());
    }
}
