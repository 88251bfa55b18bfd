//! ELF32 little-endian RISC-V executables from a [`Program`]: one `PT_LOAD`
//! per non-empty section, section headers, and `.symtab`/`.strtab`/
//! `.shstrtab` so `objdump -d` shows the labels.

use super::Program;
use crate::symbols::SymbolKind;

const EHDR: usize = 52;
const PHDR: usize = 32;
const SHDR: usize = 40;
const SHT_PROGBITS: u32 = 1;
const SHT_SYMTAB: u32 = 2;
const SHT_STRTAB: u32 = 3;
const SHT_NOBITS: u32 = 8;
const SHF_WRITE: u32 = 1;
const SHF_ALLOC: u32 = 2;
const SHF_EXECINSTR: u32 = 4;
const PF_X: u32 = 1;
const PF_W: u32 = 2;
const PF_R: u32 = 4;

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// A string table under construction.
struct StrTab(Vec<u8>);

impl StrTab {
    fn add(&mut self, s: &str) -> u32 {
        let off = self.0.len() as u32;
        self.0.extend_from_slice(s.as_bytes());
        self.0.push(0);
        off
    }
}

struct Shdr {
    name: u32,
    kind: u32,
    flags: u32,
    addr: u32,
    offset: u32,
    size: u32,
    link: u32,
    info: u32,
    align: u32,
    entsize: u32,
}

/// The program as an ELF executable file.
pub fn write_elf(program: &Program) -> Vec<u8> {
    let secs: Vec<_> = program.sections.iter().filter(|s| s.size > 0).collect();
    let mut shstr = StrTab(vec![0]);
    let mut out = vec![0u8; EHDR + PHDR * secs.len()];
    let mut shdrs = vec![Shdr {
        name: 0,
        kind: 0,
        flags: 0,
        addr: 0,
        offset: 0,
        size: 0,
        link: 0,
        info: 0,
        align: 0,
        entsize: 0,
    }];
    let mut phdrs = Vec::new();
    for s in &secs {
        let align = s.align.max(4);
        while !out.len().is_multiple_of(align as usize) {
            out.push(0);
        }
        let offset = out.len() as u32;
        let bss = s.name == ".bss";
        if !bss {
            out.extend_from_slice(&s.bytes);
        }
        let (flags, pflags) = match s.name.as_str() {
            ".text" => (SHF_ALLOC | SHF_EXECINSTR, PF_R | PF_X),
            ".rodata" => (SHF_ALLOC, PF_R),
            _ => (SHF_ALLOC | SHF_WRITE, PF_R | PF_W),
        };
        let file_size = if bss { 0 } else { s.size };
        phdrs.push((offset, s.addr, file_size, s.size, pflags, align));
        let kind = if bss { SHT_NOBITS } else { SHT_PROGBITS };
        shdrs.push(Shdr {
            name: shstr.add(&s.name),
            kind,
            flags,
            addr: s.addr,
            offset,
            size: s.size,
            link: 0,
            info: 0,
            align: s.align,
            entsize: 0,
        });
    }
    // Symbols: the null symbol, then locals, then globals (ELF requires
    // locals first; sh_info is the index of the first global).
    let mut strtab = StrTab(vec![0]);
    let mut symtab = vec![0u8; 16];
    let first_global = 1 + program
        .image
        .symbols
        .iter()
        .filter(|s| !program.globals.contains(&s.name))
        .count() as u32;
    let section_of = |addr: u32| {
        secs.iter()
            .position(|s| {
                addr >= s.addr && u64::from(addr) <= u64::from(s.addr) + u64::from(s.size)
            })
            .map_or(0xfff1, |i| (i + 1) as u16)
    };
    for global in [false, true] {
        for sym in program
            .image
            .symbols
            .iter()
            .filter(|s| program.globals.contains(&s.name) == global)
        {
            put32(&mut symtab, strtab.add(&sym.name));
            put32(&mut symtab, sym.addr);
            put32(&mut symtab, sym.size);
            let kind = match sym.kind {
                SymbolKind::Function => 2,
                SymbolKind::Object => 1,
                SymbolKind::Other => 0,
            };
            symtab.push((u8::from(global) << 4) | kind);
            symtab.push(0);
            put16(&mut symtab, section_of(sym.addr));
        }
    }
    let symtab_index = shdrs.len() as u32;
    let tables = [
        (
            ".symtab",
            SHT_SYMTAB,
            symtab,
            symtab_index + 1,
            first_global,
            4,
            16,
        ),
        (".strtab", SHT_STRTAB, strtab.0, 0, 0, 1, 0),
    ];
    for (name, kind, data, link, info, align, entsize) in tables {
        while !out.len().is_multiple_of(4) {
            out.push(0);
        }
        let offset = out.len() as u32;
        let size = data.len() as u32;
        out.extend_from_slice(&data);
        shdrs.push(Shdr {
            name: shstr.add(name),
            kind,
            flags: 0,
            addr: 0,
            offset,
            size,
            link,
            info,
            align,
            entsize,
        });
    }
    let shstr_name = shstr.add(".shstrtab");
    let offset = out.len() as u32;
    out.extend_from_slice(&shstr.0);
    shdrs.push(Shdr {
        name: shstr_name,
        kind: SHT_STRTAB,
        flags: 0,
        addr: 0,
        offset,
        size: shstr.0.len() as u32,
        link: 0,
        info: 0,
        align: 1,
        entsize: 0,
    });
    while !out.len().is_multiple_of(4) {
        out.push(0);
    }
    let shoff = out.len() as u32;
    for s in &shdrs {
        for v in [
            s.name, s.kind, s.flags, s.addr, s.offset, s.size, s.link, s.info, s.align, s.entsize,
        ] {
            put32(&mut out, v);
        }
    }
    // Header and program headers, now that the offsets are known.
    let mut head = Vec::with_capacity(EHDR + PHDR * phdrs.len());
    head.extend_from_slice(&[0x7f, b'E', b'L', b'F', 1, 1, 1, 0]);
    head.extend_from_slice(&[0; 8]);
    put16(&mut head, 2); // ET_EXEC
    put16(&mut head, 243); // EM_RISCV
    put32(&mut head, 1);
    put32(&mut head, program.image.entry);
    put32(&mut head, EHDR as u32);
    put32(&mut head, shoff);
    // Flags: EF_RISCV_RVC when C was on; soft-float ABI either way.
    put32(&mut head, u32::from(program.rvc));
    put16(&mut head, EHDR as u16);
    put16(&mut head, PHDR as u16);
    put16(&mut head, phdrs.len() as u16);
    put16(&mut head, SHDR as u16);
    put16(&mut head, shdrs.len() as u16);
    put16(&mut head, (shdrs.len() - 1) as u16);
    for (offset, addr, filesz, memsz, flags, align) in phdrs {
        for v in [1, offset, addr, addr, filesz, memsz, flags, align] {
            put32(&mut head, v);
        }
    }
    out[..head.len()].copy_from_slice(&head);
    out
}
