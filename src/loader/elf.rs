//! ELF32 little-endian RISC-V executables, parsed by hand so each defect in
//! the file maps to one precise [`LoadError`].
//!
//! Nothing here indexes the file directly: every read goes through
//! [`File::range`], which checks bounds in u64 so no header value can wrap.

use super::{ELF_MAGIC, Image, ImageFormat, LoadError, MemRegion, Segment};
use crate::symbols::{Symbol, SymbolKind, SymbolTable};

const EHDR_SIZE: u64 = 52;
const PHDR_SIZE: u64 = 32;
const SHDR_SIZE: u64 = 40;
const SYM_SIZE: u64 = 16;

const ELFCLASS32: u8 = 1;
const ELFCLASS64: u8 = 2;
const ELFDATA2LSB: u8 = 1;
const ELFDATA2MSB: u8 = 2;
const EM_RISCV: u16 = 243;
const ET_EXEC: u16 = 2;
const ET_DYN: u16 = 3;
const PT_LOAD: u32 = 1;
const PF_X: u32 = 1;
/// e_phnum value meaning "the real count is in section 0's sh_info".
const PN_XNUM: u16 = 0xffff;
const SHT_SYMTAB: u32 = 2;
const SHT_STRTAB: u32 = 3;
const SHN_UNDEF: u16 = 0;
const SHN_COMMON: u16 = 0xfff2;
const STT_OBJECT: u8 = 1;
const STT_FUNC: u8 = 2;
const STT_SECTION: u8 = 3;
const STT_FILE: u8 = 4;

/// Longest symbol name kept. Bounds the work a hostile symtab can cause
/// (many symbols sharing one huge name) while keeping long mangled
/// C++/Rust names. Longer names are skipped, not an error.
const MAX_NAME_LEN: usize = 4096;

/// The file's bytes with bounds-checked access.
struct File<'a> {
    bytes: &'a [u8],
}

impl<'a> File<'a> {
    fn size(&self) -> u64 {
        self.bytes.len() as u64
    }

    /// The `len` bytes at `offset`, or `Truncated` naming `what`.
    fn range(
        &self,
        offset: u64,
        len: u64,
        what: impl FnOnce() -> String,
    ) -> Result<&'a [u8], LoadError> {
        let truncated = || LoadError::Truncated {
            what: what(),
            offset,
            len,
            file_size: self.size(),
        };
        let end = match offset.checked_add(len) {
            Some(end) if end <= self.size() => end,
            _ => return Err(truncated()),
        };
        // Both fit in usize: they are at most the slice's length.
        let (Ok(start), Ok(end)) = (usize::try_from(offset), usize::try_from(end)) else {
            return Err(truncated());
        };
        self.bytes.get(start..end).ok_or_else(truncated)
    }
}

/// Little-endian field readers for records already cut to size; a short
/// record (impossible after `File::range`) reads as 0 rather than panicking.
fn u16_at(rec: &[u8], at: usize) -> u16 {
    rec.get(at..at + 2)
        .and_then(|s| s.try_into().ok())
        .map_or(0, u16::from_le_bytes)
}

fn u32_at(rec: &[u8], at: usize) -> u32 {
    rec.get(at..at + 4)
        .and_then(|s| s.try_into().ok())
        .map_or(0, u32::from_le_bytes)
}

fn u8_at(rec: &[u8], at: usize) -> u8 {
    rec.get(at).copied().unwrap_or(0)
}

/// The ELF header fields the loader uses.
struct Header {
    entry: u32,
    phoff: u32,
    shoff: u32,
    phentsize: u16,
    phnum: u16,
    shentsize: u16,
    shnum: u16,
}

/// The section header fields the loader uses.
struct SectionHeader {
    kind: u32,
    flags: u32,
    addr: u32,
    offset: u32,
    size: u32,
    link: u32,
    info: u32,
    entsize: u32,
}

/// A PT_LOAD header that passed the checks, before its data is copied.
struct LoadSeg {
    addr: u32,
    mem_size: u32,
    offset: u32,
    file_size: u32,
    flags: u32,
}

impl LoadSeg {
    fn end(&self) -> u64 {
        u64::from(self.addr) + u64::from(self.mem_size)
    }
}

/// Loads an ELF32 little-endian RISC-V executable into `ram`.
///
/// * Type: `ET_EXEC`, and also `ET_DYN` (position-independent executables),
///   which are placed at their link addresses without relocation: that is
///   right for the static PIEs some toolchains emit by default, and a PIE
///   linked at 0 is reported as lying outside RAM rather than silently
///   misplaced.
/// * Segments: every `PT_LOAD` with non-zero `p_memsz`, placed at `p_paddr`
///   (the load address, as Spike and QEMU do for bare-metal images; it equals
///   `p_vaddr` unless the linker script uses `AT>` to put initialised data
///   somewhere for the start-up code to copy from).
/// * Symbols: from `.symtab` if present; see [`read_symbols`] for which.
pub fn load_elf(bytes: &[u8], ram: MemRegion) -> Result<Image, LoadError> {
    if bytes.is_empty() {
        return Err(LoadError::Empty);
    }
    if !bytes.starts_with(&ELF_MAGIC) {
        return Err(LoadError::NotElf);
    }
    let file = File { bytes };
    // Check e_ident before the rest of the header so a 64-bit or big-endian
    // file is named as such, not as truncated or for the wrong machine.
    let ident = file.range(0, 16, || "ELF identification (e_ident)".into())?;
    match u8_at(ident, 4) {
        ELFCLASS32 => {}
        ELFCLASS64 => return Err(LoadError::Elf64),
        class => return Err(LoadError::BadClass(class)),
    }
    match u8_at(ident, 5) {
        ELFDATA2LSB => {}
        ELFDATA2MSB => return Err(LoadError::BigEndian),
        data => return Err(LoadError::BadEncoding(data)),
    }
    let eh = file.range(0, EHDR_SIZE, || "ELF header".into())?;
    let machine = u16_at(eh, 18);
    if machine != EM_RISCV {
        return Err(LoadError::WrongMachine(machine));
    }
    let kind = u16_at(eh, 16);
    if kind != ET_EXEC && kind != ET_DYN {
        return Err(LoadError::NotExecutable(kind));
    }
    // e_flags bits 1-2: the float ABI (0 = soft, ilp32).
    let float_abi = (u32_at(eh, 36) >> 1) & 3;
    if float_abi != 0 {
        return Err(LoadError::FloatAbi(float_abi));
    }
    let header = Header {
        entry: u32_at(eh, 24),
        phoff: u32_at(eh, 28),
        shoff: u32_at(eh, 32),
        phentsize: u16_at(eh, 42),
        phnum: u16_at(eh, 44),
        shentsize: u16_at(eh, 46),
        shnum: u16_at(eh, 48),
    };

    let sections = Sections::new(&file, &header)?;
    let segments = read_segments(&file, &header, &sections, ram)?;
    sections.check_in_file()?;
    if !segments.iter().any(|s| s.contains(header.entry)) {
        return Err(LoadError::EntryOutsideSegments(header.entry));
    }
    let symbols = read_symbols(&file, &sections)?;
    let code = code_regions(&sections, &segments)?;
    Ok(Image {
        format: ImageFormat::Elf,
        entry: header.entry,
        segments,
        symbols,
        code,
    })
}

/// Checks every PT_LOAD header before copying any data, so a file with
/// thousands of headers all pointing at the same bytes cannot make the
/// loader allocate more than the RAM size in total.
fn read_segments(
    file: &File,
    header: &Header,
    sections: &Sections,
    ram: MemRegion,
) -> Result<Vec<Segment>, LoadError> {
    let phnum = if header.phnum == PN_XNUM {
        // Extended numbering: the real count is in section 0's sh_info.
        match sections.header(0)? {
            Some(sh0) => sh0.info,
            None => {
                return Err(LoadError::Malformed(
                    "e_phnum is 0xffff (extended numbering) but there is no section header 0"
                        .into(),
                ));
            }
        }
    } else {
        u32::from(header.phnum)
    };
    if phnum > 0 && u64::from(header.phentsize) != PHDR_SIZE {
        return Err(LoadError::Malformed(format!(
            "program header entry size (e_phentsize) is {} bytes, expected {PHDR_SIZE}",
            header.phentsize
        )));
    }

    // Read every header before judging any, so a cut-short table is
    // reported as such. Each step reads 32 more bytes of the file, so a huge
    // phnum ends in `Truncated` after at most file_size / 32 steps.
    let mut headers = Vec::new();
    for i in 0..phnum {
        let offset = u64::from(header.phoff) + u64::from(i) * PHDR_SIZE;
        let ph = file.range(offset, PHDR_SIZE, || format!("program header {i}"))?;
        if u32_at(ph, 0) == PT_LOAD {
            headers.push((
                i,
                LoadSeg {
                    offset: u32_at(ph, 4),
                    addr: u32_at(ph, 12),
                    file_size: u32_at(ph, 16),
                    mem_size: u32_at(ph, 20),
                    flags: u32_at(ph, 24),
                },
            ));
        }
    }

    let mut loads = Vec::new();
    for (i, seg) in headers {
        if seg.mem_size == 0 {
            continue;
        }
        if seg.file_size > seg.mem_size {
            return Err(LoadError::Malformed(format!(
                "program header {i}: file size ({}) is larger than memory size ({})",
                seg.file_size, seg.mem_size
            )));
        }
        file.range(u64::from(seg.offset), u64::from(seg.file_size), || {
            format!("data of segment {i} (program header {i})")
        })?;
        let seg = skip_headers_below_ram(file, header, phnum, seg, ram);
        if seg.mem_size > ram.size {
            return Err(LoadError::TooLarge {
                size: u64::from(seg.mem_size),
                ram_size: ram.size,
            });
        }
        if !ram.contains_range(seg.addr, seg.mem_size) {
            return Err(LoadError::SegmentOutsideRam {
                start: seg.addr,
                end: seg.end(),
                ram,
            });
        }
        loads.push(seg);
    }
    if loads.is_empty() {
        return Err(LoadError::NoLoadableSegments);
    }

    loads.sort_by_key(|s| s.addr);
    for pair in loads.windows(2) {
        if let [a, b] = pair
            && a.end() > u64::from(b.addr)
        {
            return Err(LoadError::OverlappingSegments {
                first: (a.addr, a.end()),
                second: (b.addr, b.end()),
            });
        }
    }

    loads
        .iter()
        .map(|s| {
            let data = file.range(u64::from(s.offset), u64::from(s.file_size), || {
                "segment data".into()
            })?;
            Ok(Segment {
                addr: s.addr,
                data: data.to_vec(),
                mem_size: s.mem_size,
                executable: s.flags & PF_X != 0,
            })
        })
        .collect()
}

/// The classic `-Ttext=0x80000000` link puts the ELF and program headers
/// in the first segment, just below the code (at `0x7fff_f000`). When the
/// only bytes of a segment below RAM are those headers and the zero padding
/// after them, the segment is loaded from the start of RAM on, as if the
/// headers had not been part of it; anything else is left for the
/// outside-RAM check to report.
fn skip_headers_below_ram(
    file: &File,
    header: &Header,
    phnum: u32,
    seg: LoadSeg,
    ram: MemRegion,
) -> LoadSeg {
    if seg.offset != 0 || seg.addr >= ram.base {
        return seg;
    }
    let skip = ram.base - seg.addr;
    let headers_end = EHDR_SIZE.max(u64::from(header.phoff) + u64::from(phnum) * PHDR_SIZE);
    if skip >= seg.file_size || u64::from(skip) < headers_end {
        return seg;
    }
    let Ok(below) = file.range(0, u64::from(skip), String::new) else {
        return seg;
    };
    if below[headers_end as usize..].iter().any(|&b| b != 0) {
        return seg;
    }
    LoadSeg {
        offset: skip,
        addr: ram.base,
        file_size: seg.file_size - skip,
        mem_size: seg.mem_size - skip,
        flags: seg.flags,
    }
}

/// Where the instructions are, as `objdump -d` decides: allocated sections
/// flagged executable, kept where they lie inside loaded segments. Without
/// section headers, the executable segments stand in. Linker scripts often
/// put code and data in one RWX segment, so segments alone would make a
/// listing disassemble data.
fn code_regions(sections: &Sections, segments: &[Segment]) -> Result<Vec<(u32, u32)>, LoadError> {
    const SHF_ALLOC: u32 = 0x2;
    const SHF_EXECINSTR: u32 = 0x4;
    const SHT_NOBITS: u32 = 8;
    let mut code = Vec::new();
    for i in 0..sections.count {
        let Some(sh) = sections.header(i)? else {
            break;
        };
        let exec = sh.flags & (SHF_ALLOC | SHF_EXECINSTR) == SHF_ALLOC | SHF_EXECINSTR;
        let inside =
            |s: &Segment| s.contains(sh.addr) && u64::from(sh.addr) + u64::from(sh.size) <= s.end();
        if exec && sh.kind != SHT_NOBITS && sh.size > 0 && segments.iter().any(inside) {
            code.push((sh.addr, sh.size));
        }
    }
    if code.is_empty() {
        code = segments
            .iter()
            .filter(|s| s.executable)
            .map(|s| (s.addr, s.mem_size))
            .collect();
    }
    code.sort_unstable();
    Ok(code)
}

/// The section header table, read lazily: the loader needs at most the
/// symbol table, its string table and (for extended numbering) section 0.
struct Sections<'f, 'a> {
    file: &'f File<'a>,
    offset: u64,
    count: u32,
}

impl<'f, 'a> Sections<'f, 'a> {
    fn new(file: &'f File<'a>, header: &Header) -> Result<Self, LoadError> {
        let mut sections = Sections {
            file,
            offset: u64::from(header.shoff),
            count: 0,
        };
        // e_shoff == 0 means "no section header table" (a stripped-down file).
        if header.shoff == 0 {
            return Ok(sections);
        }
        if u64::from(header.shentsize) != SHDR_SIZE {
            return Err(LoadError::Malformed(format!(
                "section header entry size (e_shentsize) is {} bytes, expected {SHDR_SIZE}",
                header.shentsize
            )));
        }
        sections.count = if header.shnum == 0 {
            // Extended numbering: the real count is in section 0's sh_size.
            sections.count = 1;
            sections.header(0)?.map_or(0, |sh0| sh0.size)
        } else {
            u32::from(header.shnum)
        };
        Ok(sections)
    }

    /// The whole table must be in the file, or the file was cut short
    /// (checked even though the loader reads only a few of the headers).
    fn check_in_file(&self) -> Result<(), LoadError> {
        self.file
            .range(self.offset, u64::from(self.count) * SHDR_SIZE, || {
                "section header table".into()
            })
            .map(|_| ())
    }

    /// Section header `i`, `None` if there is no such section.
    fn header(&self, i: u32) -> Result<Option<SectionHeader>, LoadError> {
        if i >= self.count {
            return Ok(None);
        }
        let offset = self.offset + u64::from(i) * SHDR_SIZE;
        let sh = self
            .file
            .range(offset, SHDR_SIZE, || format!("section header {i}"))?;
        Ok(Some(SectionHeader {
            kind: u32_at(sh, 4),
            flags: u32_at(sh, 8),
            addr: u32_at(sh, 12),
            offset: u32_at(sh, 16),
            size: u32_at(sh, 20),
            link: u32_at(sh, 24),
            info: u32_at(sh, 28),
            entsize: u32_at(sh, 36),
        }))
    }

    /// The first `.symtab`, if any. Stops at the first hit, so the scan
    /// costs at most one section header per 40 bytes of file.
    fn find(&self, kind: u32) -> Result<Option<SectionHeader>, LoadError> {
        for i in 0..self.count {
            if let Some(sh) = self.header(i)?
                && sh.kind == kind
            {
                return Ok(Some(sh));
            }
        }
        Ok(None)
    }
}

/// Symbols for labels and look-ups, chosen as GNU objdump chooses the labels
/// it prints: every named, defined `.symtab` entry except section and file
/// symbols, common (unallocated) symbols and the RISC-V mapping symbols
/// `$x`/`$d` that mark code and data. Absolute symbols are kept, as objdump
/// keeps them. `.L` local labels are normally absent because the assembler
/// drops them; if a file has them, they are kept.
fn read_symbols(file: &File, sections: &Sections) -> Result<SymbolTable, LoadError> {
    let Some(symtab) = sections.find(SHT_SYMTAB)? else {
        return Ok(SymbolTable::default());
    };
    if u64::from(symtab.entsize) != SYM_SIZE {
        return Err(LoadError::Malformed(format!(
            "symbol table entry size (sh_entsize) is {} bytes, expected {SYM_SIZE}",
            symtab.entsize
        )));
    }
    if !u64::from(symtab.size).is_multiple_of(SYM_SIZE) {
        return Err(LoadError::Malformed(format!(
            "symbol table size ({} bytes) is not a multiple of {SYM_SIZE}",
            symtab.size
        )));
    }
    let strtab = match sections.header(symtab.link)? {
        Some(sh) if symtab.link != 0 && sh.kind == SHT_STRTAB => sh,
        _ => {
            return Err(LoadError::Malformed(format!(
                "symbol table links to section {}, which is not a string table",
                symtab.link
            )));
        }
    };
    let syms = file.range(u64::from(symtab.offset), u64::from(symtab.size), || {
        "symbol table (.symtab)".into()
    })?;
    let names = file.range(u64::from(strtab.offset), u64::from(strtab.size), || {
        "symbol string table (.strtab)".into()
    })?;

    let mut out = Vec::new();
    for (i, sym) in syms.chunks_exact(16).enumerate() {
        let name_off = u32_at(sym, 0);
        let addr = u32_at(sym, 4);
        let size = u32_at(sym, 8);
        let kind = u8_at(sym, 12) & 0xf;
        let shndx = u16_at(sym, 14);
        if name_off == 0
            || kind == STT_SECTION
            || kind == STT_FILE
            || shndx == SHN_UNDEF
            || shndx == SHN_COMMON
        {
            continue;
        }
        let Some(name) = symbol_name(names, name_off, i)? else {
            continue;
        };
        if name.is_empty() || is_mapping_symbol(&name) {
            continue;
        }
        let kind = match kind {
            STT_FUNC => SymbolKind::Function,
            STT_OBJECT => SymbolKind::Object,
            _ => SymbolKind::Other,
        };
        out.push(Symbol {
            name,
            addr,
            size,
            kind,
        });
    }
    Ok(SymbolTable::new(out))
}

/// The NUL-terminated name at `offset` in the string table; `None` if it is
/// longer than [`MAX_NAME_LEN`] (skipped, see there).
fn symbol_name(names: &[u8], offset: u32, index: usize) -> Result<Option<String>, LoadError> {
    let rest = usize::try_from(offset)
        .ok()
        .and_then(|o| names.get(o..))
        .filter(|r| !r.is_empty())
        .ok_or_else(|| {
            LoadError::Malformed(format!(
                "symbol {index}: name offset {offset} is outside the string table ({} bytes)",
                names.len()
            ))
        })?;
    let window = rest.get(..MAX_NAME_LEN + 1).unwrap_or(rest);
    match window.iter().position(|&b| b == 0) {
        Some(len) => Ok(Some(
            String::from_utf8_lossy(window.get(..len).unwrap_or_default()).into_owned(),
        )),
        None if window.len() > MAX_NAME_LEN => Ok(None),
        None => Err(LoadError::Malformed(format!(
            "symbol {index}: name at offset {offset} runs off the end of the string table (missing NUL)"
        ))),
    }
}

/// RISC-V mapping symbols (`$x`, `$d`, `$x.N`, `$xrv32i2p1...`) mark where
/// code and data start; objdump does not print them as labels.
fn is_mapping_symbol(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("$x").or_else(|| name.strip_prefix("$d")) else {
        return false;
    };
    rest.is_empty() || rest.starts_with('.') || rest.starts_with("rv")
}
