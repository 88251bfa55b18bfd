//! Property tests: the loader never panics on any input, and whatever it
//! accepts satisfies the `Image` invariants the machine relies on.

use glassbox::loader::*;
use proptest::prelude::*;

const RAM: MemRegion = MemRegion {
    base: 0x8000_0000,
    size: 64 << 20,
};

/// The promises `Image` makes: sorted, non-overlapping segments inside RAM,
/// data no longer than the segment, entry on a loaded byte.
fn check_invariants(img: &Image, ram: MemRegion) -> Result<(), TestCaseError> {
    prop_assert!(!img.segments.is_empty());
    for s in &img.segments {
        prop_assert!(s.data.len() as u64 <= u64::from(s.mem_size));
        prop_assert!(s.mem_size > 0);
        prop_assert!(
            ram.contains_range(s.addr, s.mem_size),
            "{:#x}+{:#x}",
            s.addr,
            s.mem_size
        );
    }
    for w in img.segments.windows(2) {
        prop_assert!(w[0].addr < w[1].addr, "not sorted");
        prop_assert!(w[0].end() <= u64::from(w[1].addr), "overlap");
    }
    prop_assert!(img.segments.iter().any(|s| s.contains(img.entry)));
    if img.format == ImageFormat::Raw {
        prop_assert!(img.symbols.is_empty());
    }
    Ok(())
}

fn check(result: Result<Image, LoadError>, ram: MemRegion) -> Result<(), TestCaseError> {
    match result {
        Ok(img) => check_invariants(&img, ram),
        // Every error must render a message.
        Err(e) => {
            prop_assert!(!e.to_string().is_empty());
            Ok(())
        }
    }
}

// ---------------------------------------------------------------------------
// A valid ELF with two segments (one with .bss) and a symbol table, laid out
// at fixed offsets so mutations can aim at its fields.

const PHOFF: usize = 52;
const PHNUM: usize = 2;
const DATA_OFF: usize = PHOFF + 32 * PHNUM; // 116: 16 bytes code, 8 bytes data
const SYMTAB_OFF: usize = DATA_OFF + 24; // 140: null + 3 symbols
const STRTAB_OFF: usize = SYMTAB_OFF + 16 * 4; // 204
const STRTAB: &[u8] = b"\0_start\0tohost\0data\0";
const SHOFF: usize = 228; // STRTAB_OFF + 20, rounded to 4
const SHNUM: usize = 3;

fn valid_elf() -> Vec<u8> {
    let mut b = vec![0u8; SHOFF + 40 * SHNUM];
    let mut put32 = |at: usize, v: u32| b[at..at + 4].copy_from_slice(&v.to_le_bytes());
    // Program headers: code at 0x80000000, data+bss at 0x80001000.
    for (i, (addr, off, filesz, memsz)) in [
        (0x8000_0000u32, DATA_OFF, 16u32, 16u32),
        (0x8000_1000, DATA_OFF + 16, 8, 0x400),
    ]
    .into_iter()
    .enumerate()
    {
        let at = PHOFF + 32 * i;
        put32(at, 1);
        put32(at + 4, off as u32);
        put32(at + 8, addr);
        put32(at + 12, addr);
        put32(at + 16, filesz);
        put32(at + 20, memsz);
        put32(at + 24, 7);
        put32(at + 28, 4);
    }
    // Symbols: [name, value, size], info and shndx set below.
    for (i, (name, value, size)) in [
        (1u32, 0x8000_0000u32, 0u32),
        (8, 0x8000_1000, 8),
        (15, 0x8000_1008, 0),
    ]
    .into_iter()
    .enumerate()
    {
        let at = SYMTAB_OFF + 16 * (i + 1);
        put32(at, name);
        put32(at + 4, value);
        put32(at + 8, size);
    }
    // Section headers: null, .symtab (link 2), .strtab.
    let sh = SHOFF + 40;
    put32(sh + 4, 2);
    put32(sh + 16, SYMTAB_OFF as u32);
    put32(sh + 20, 64);
    put32(sh + 24, 2);
    put32(sh + 36, 16);
    let sh = SHOFF + 80;
    put32(sh + 4, 3);
    put32(sh + 16, STRTAB_OFF as u32);
    put32(sh + 20, STRTAB.len() as u32);
    // ELF header.
    put32(24, 0x8000_0000);
    put32(28, PHOFF as u32);
    put32(32, SHOFF as u32);
    b[..8].copy_from_slice(b"\x7fELF\x01\x01\x01\x00");
    for (at, v) in [
        (16, 2u16),
        (18, 243),
        (40, 52),
        (42, 32),
        (44, PHNUM as u16),
        (46, 40),
        (48, SHNUM as u16),
    ] {
        b[at..at + 2].copy_from_slice(&v.to_le_bytes());
    }
    for (i, info, shndx) in [(1, 0x10u8, 1u16), (2, 0x11, 2), (3, 0x10, 2)] {
        let at = SYMTAB_OFF + 16 * i;
        b[at + 12] = info;
        b[at + 14..at + 16].copy_from_slice(&shndx.to_le_bytes());
    }
    b[DATA_OFF..DATA_OFF + 16].copy_from_slice(&[0x13; 16]);
    b[STRTAB_OFF..STRTAB_OFF + STRTAB.len()].copy_from_slice(STRTAB);
    b
}

/// Offsets of the 16- and 32-bit fields worth corrupting.
fn field_offsets() -> (Vec<usize>, Vec<usize>) {
    let mut f32 = vec![20, 24, 28, 32, 36];
    let f16 = vec![16, 18, 40, 42, 44, 46, 48, 50];
    for i in 0..PHNUM {
        f32.extend((0..8).map(|k| PHOFF + 32 * i + 4 * k));
    }
    for i in 0..SHNUM {
        f32.extend((0..10).map(|k| SHOFF + 40 * i + 4 * k));
    }
    for i in 0..4 {
        f32.extend((0..3).map(|k| SYMTAB_OFF + 16 * i + 4 * k));
    }
    (f16, f32)
}

#[derive(Clone, Debug)]
enum Mutation {
    Flip { at: usize, mask: u8 },
    Truncate { len: usize },
    Set16 { field: usize, value: u16 },
    Set32 { field: usize, value: u32 },
}

/// Values that sit on the edges a careless loader trips over.
fn interesting_u32() -> impl Strategy<Value = u32> {
    prop_oneof![
        any::<u32>(),
        Just(0),
        Just(1),
        Just(u32::MAX),
        Just(u32::MAX - 31),
        Just(0x7fff_ffff),
        Just(0x8000_0000),
        Just(0x8400_0000),
        Just(0x8400_0000 - 4),
        Just(64 << 20),
        0u32..512,
    ]
}

fn interesting_u16() -> impl Strategy<Value = u16> {
    prop_oneof![
        any::<u16>(),
        Just(0),
        Just(u16::MAX),
        Just(u16::MAX - 1),
        0u16..64
    ]
}

fn mutation(len: usize) -> impl Strategy<Value = Mutation> {
    let (f16, f32) = field_offsets();
    prop_oneof![
        (0..len, 1u8..=255).prop_map(|(at, mask)| Mutation::Flip { at, mask }),
        (0..len).prop_map(|len| Mutation::Truncate { len }),
        (prop::sample::select(f16), interesting_u16())
            .prop_map(|(field, value)| Mutation::Set16 { field, value }),
        (prop::sample::select(f32), interesting_u32())
            .prop_map(|(field, value)| Mutation::Set32 { field, value }),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    match *m {
        Mutation::Flip { at, mask } => {
            if let Some(b) = bytes.get_mut(at) {
                *b ^= mask;
            }
        }
        Mutation::Truncate { len } => bytes.truncate(len),
        Mutation::Set16 { field, value } => {
            if let Some(s) = bytes.get_mut(field..field + 2) {
                s.copy_from_slice(&value.to_le_bytes());
            }
        }
        Mutation::Set32 { field, value } => {
            if let Some(s) = bytes.get_mut(field..field + 4) {
                s.copy_from_slice(&value.to_le_bytes());
            }
        }
    }
}

fn any_ram() -> impl Strategy<Value = MemRegion> {
    prop_oneof![
        3 => Just(RAM),
        1 => (any::<u32>(), any::<u32>()).prop_map(|(base, size)| MemRegion { base, size: size % (256 << 20) }),
        1 => Just(MemRegion { base: 0xffff_f000, size: 0x1000 }),
        1 => Just(MemRegion { base: 0x8000_0000, size: 0 }),
    ]
}

#[test]
fn valid_elf_loads() {
    let img = load_elf(&valid_elf(), RAM).unwrap();
    assert_eq!(img.segments.len(), 2);
    assert_eq!(img.segments[1].mem_size, 0x400);
    assert_eq!(img.tohost(), Some(0x8000_1000));
    assert_eq!(img.symbols.iter().count(), 3);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096), ram in any_ram(), raw_addr in prop::option::of(any::<u32>())) {
        check(load_bytes(&bytes, ram, raw_addr), ram)?;
        check(load_elf(&bytes, ram), ram)?;
        check(load_raw(&bytes, raw_addr.unwrap_or(ram.base), ram), ram)?;
    }

    /// Random bytes behind a valid RV32 e_ident reach the deeper parsing.
    #[test]
    fn random_bytes_behind_elf_ident_never_panic(mut bytes in prop::collection::vec(any::<u8>(), 0..4096), ram in any_ram()) {
        let ident = b"\x7fELF\x01\x01\x01";
        for (i, b) in ident.iter().enumerate() {
            if let Some(x) = bytes.get_mut(i) { *x = *b; }
        }
        if let Some(s) = bytes.get_mut(18..20) { s.copy_from_slice(&243u16.to_le_bytes()); }
        check(load_elf(&bytes, ram), ram)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn mutated_elf_never_panics(
        mutations in prop::collection::vec(mutation(SHOFF + 40 * SHNUM), 1..8),
        ram in any_ram(),
    ) {
        let mut bytes = valid_elf();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        check(load_elf(&bytes, ram), ram)?;
        check(load_bytes(&bytes, ram, None), ram)?;
    }

    /// Well-formed files with random segment layouts load exactly as written.
    #[test]
    fn generated_layouts_round_trip(
        segs in prop::collection::vec((0u32..0x1000, prop::collection::vec(any::<u8>(), 0..64), 0u32..0x200), 1..6),
        entry_pick in any::<prop::sample::Index>(),
    ) {
        // Lay segments out in ascending, non-overlapping order from RAM base.
        let mut next = u64::from(RAM.base);
        let mut expected = Vec::new();
        for (gap, data, extra) in segs {
            let addr = (next + u64::from(gap)) as u32;
            let mem_size = data.len() as u32 + extra + 1;
            next = u64::from(addr) + u64::from(mem_size);
            expected.push(Segment { addr, data, mem_size, executable: true });
        }
        let entry = expected[entry_pick.index(expected.len())].addr;
        // Write them in reverse header order to exercise the sort.
        let mut file = vec![0u8; 52 + 32 * expected.len()];
        for (i, s) in expected.iter().rev().enumerate() {
            let off = file.len() as u32;
            file.extend_from_slice(&s.data);
            let at = 52 + 32 * i;
            for (k, v) in [1, off, s.addr, s.addr, s.data.len() as u32, s.mem_size, 7, 4].into_iter().enumerate() {
                file[at + 4 * k..at + 4 * k + 4].copy_from_slice(&v.to_le_bytes());
            }
        }
        file[..8].copy_from_slice(b"\x7fELF\x01\x01\x01\x00");
        for (at, v) in [(16, 2u16), (18, 243), (40, 52), (42, 32), (44, expected.len() as u16)] {
            file[at..at + 2].copy_from_slice(&v.to_le_bytes());
        }
        file[24..28].copy_from_slice(&entry.to_le_bytes());
        file[28..32].copy_from_slice(&52u32.to_le_bytes());
        let img = load_elf(&file, RAM).map_err(|e| TestCaseError::fail(e.to_string()))?;
        check_invariants(&img, RAM)?;
        prop_assert_eq!(img.entry, entry);
        prop_assert_eq!(img.segments, expected);
    }
}
