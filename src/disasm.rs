//! Disassembler producing GNU objdump syntax.
//!
//! The output matches what `riscv64-unknown-elf-objdump -d` (binutils 2.40)
//! prints for an RV32 executable assembled with
//! `-march=rv32imac_zicsr_zifencei` (or, through [`listing_for`], without
//! C: `rv32im_zicsr_zifencei`): its alias choices (`li`, `mv`, `ret`,
//! `beqz`, `csrr`, ...), ABI register names, decimal immediates (hex for
//! `lui`/`auipc` and shift amounts), hex targets with `<symbol+0x..>` labels
//! and the `# address <symbol>` comments objdump adds for loads, stores and
//! `addi`/`jalr` whose base address it can work out. `tests/disasm_golden.rs`
//! holds the evidence.
//!
//! Version-specific choices (binutils 2.40): `addi`/`andi`/`ori`/`xori` with
//! a non-trivial immediate print as `add`/`and`/`or`/`xor`, shifts by an
//! immediate as `sll`/`srl`/`sra` with a hex amount, and the `*i` CSR forms
//! as `csrrw`/`csrw`/... with an immediate operand; encodings outside the
//! ISA print as `.4byte 0x...`.
//!
//! Compressed instructions print as objdump prints them: mostly as the
//! base instruction they expand to (`c.addi a0,1` is `add a0,a0,1`, `c.mv`
//! is `mv`, `c.jr ra` is `ret`), with `c.` names for the HINT encodings
//! (`c.nop 1`, `c.li zero,1`, `c.slli64 a0`), no `# address` comments on
//! compressed loads, stores, `c.jr` and `c.jalr`, and `.2byte` for the
//! reserved ones (`unimp` for the all-zero parcel).

mod csr_names;

use crate::isa::{self, Inst, Op};
use crate::symbols::{SymbolKind, SymbolTable};
use std::fmt::Write;

/// Name of the symbol objdump uses for the global pointer.
const GP_SYMBOL: &str = "__global_pointer$";

/// One instruction, objdump style: `"addi\tsp,sp,-16"` /
/// `"jal\tra,80000040 <main>"`.
///
/// Stateless: the `# address` comments objdump derives from an earlier
/// `lui`/`auipc` of the base register need [`Disassembler`], which a
/// listing uses. Comments for `gp`-, `tp`- and `zero`-based addresses are
/// produced here too.
pub fn disasm(word: u32, pc: u32, symbols: &SymbolTable) -> String {
    Disassembler::new(symbols).disasm(word, pc)
}

/// A whole listing like `objdump -d` of the given executable regions
/// (address, bytes): `"<addr> <label>:"` header lines where a symbol starts
/// and `"addr:\tword          \tinst"` lines in objdump's column layout.
///
/// Like objdump, instruction lengths follow the standard length encoding
/// (a halfword whose low bits are not `11` is a 2-byte parcel, printed as
/// `.2byte`), runs of zero bytes print as `\t...`, and each symbol starts a
/// new block. The output starts with the blank line that precedes each
/// header; it does not contain objdump's file and section title lines.
pub fn listing(regions: &[(u32, &[u8])], symbols: &SymbolTable) -> String {
    listing_for(regions, symbols, true)
}

/// [`listing`] as objdump prints a file whose ISA has the C extension
/// (`compressed`, the machine's own ISA) or not: without it every 16-bit
/// parcel is a `.2byte` line, as for an `rv32im` ELF.
pub fn listing_for(regions: &[(u32, &[u8])], symbols: &SymbolTable, compressed: bool) -> String {
    let mut out = String::new();
    let mut dis = Disassembler::new(symbols);
    dis.compressed = compressed;
    for &(start, bytes) in regions {
        dis.listing_region(start, bytes, &mut out);
    }
    out
}

/// Stateful disassembler: remembers the values `lui`/`auipc` put in each
/// register, as objdump does, to comment later address computations.
/// Feed it instructions in address order.
#[derive(Clone, Debug)]
pub struct Disassembler<'a> {
    symbols: &'a SymbolTable,
    gp: Option<u32>,
    hi: [Option<u32>; 32],
    /// Raw-bytes chunk size of the last listed instruction (objdump reuses
    /// it for data blocks).
    chunk: usize,
    /// Whether 16-bit parcels are decoded (C) or listed as `.2byte`.
    compressed: bool,
}

impl<'a> Disassembler<'a> {
    pub fn new(symbols: &'a SymbolTable) -> Self {
        Disassembler {
            symbols,
            gp: symbols.lookup(GP_SYMBOL),
            hi: [None; 32],
            chunk: 1,
            compressed: true,
        }
    }

    /// Forgets the register values learned from `lui`/`auipc`.
    pub fn reset(&mut self) {
        self.hi = [None; 32];
    }

    /// Disassembles one 32-bit word at `pc`, updating the register state.
    pub fn disasm(&mut self, word: u32, pc: u32) -> String {
        let mut out = String::with_capacity(40);
        self.disasm_into(word, pc, &mut out);
        out
    }

    /// Like [`Disassembler::disasm`], appending to `out`.
    pub fn disasm_into(&mut self, word: u32, pc: u32, out: &mut String) {
        let inst = isa::decode(word);
        let mut note = None;
        self.format(word, &inst, pc, out, &mut note);
        if let Some(addr) = note {
            out.push_str(" # ");
            self.address(addr, out);
        }
    }

    /// objdump's `maybe_print_address`: the address `base + offset` when the
    /// base register's value is known.
    fn base_address(&mut self, base: u8, offset: i32, note: &mut Option<u32>) {
        let b = base as usize;
        let value = if let Some(hi) = self.hi[b].take() {
            if base != 0 { hi } else { 0 }
        } else if base == 3 && self.gp.is_some() {
            self.gp.unwrap_or(0)
        } else if base == 4 || base == 0 {
            0
        } else {
            return;
        };
        *note = Some(value.wrapping_add(offset as u32));
    }

    /// A target address: `80000040 <main>`, `80000044 <main+0x4>`, or
    /// `0x80000040` when there are no symbols.
    fn address(&self, addr: u32, out: &mut String) {
        if self.symbols.is_empty() {
            let _ = write!(out, "0x{addr:x}");
            return;
        }
        let _ = write!(out, "{addr:x} <");
        self.label(addr, out);
        out.push('>');
    }

    /// The symbolic form of an address: `main`, `main+0x4`, or
    /// `first-0x10` below every symbol (objdump names the lowest one).
    fn label(&self, addr: u32, out: &mut String) {
        let syms = self.symbols;
        match syms.nearest(addr) {
            Some((name, off)) => {
                // Several symbols may share the address; the table's first
                // one is the label (nearest() returns the last).
                out.push_str(syms.label_at(addr - off).unwrap_or(name));
                if off != 0 {
                    let _ = write!(out, "+0x{off:x}");
                }
            }
            None => {
                if let Some(first) = syms.iter().next() {
                    out.push_str(&first.name);
                    let _ = write!(out, "-0x{:x}", first.addr.wrapping_sub(addr));
                }
            }
        }
    }

    fn format(&mut self, w: u32, inst: &Inst, pc: u32, out: &mut String, note: &mut Option<u32>) {
        use Op::*;
        if inst.is_compressed() && self.format_compressed(w, inst, out, note) {
            return;
        }
        let rd = reg(inst.rd);
        let rs1 = reg(inst.rs1);
        let rs2 = reg(inst.rs2);
        let imm = inst.imm;
        match inst.op {
            Lui | Auipc => {
                let value = inst.imm as u32;
                let (name, hi) = if inst.op == Lui {
                    ("lui", value)
                } else {
                    ("auipc", pc.wrapping_add(value))
                };
                self.hi[inst.rd as usize] = Some(hi);
                let _ = write!(out, "{name}\t{rd},0x{:x}", value >> 12);
            }
            Jal => {
                match inst.rd {
                    0 => out.push_str("j\t"),
                    1 => out.push_str("jal\t"),
                    _ => {
                        let _ = write!(out, "jal\t{rd},");
                    }
                }
                self.address(pc.wrapping_add(imm as u32), out);
            }
            Jalr => {
                if inst.rd == 0 && inst.rs1 == 1 && imm == 0 {
                    out.push_str("ret");
                    return;
                }
                self.base_address(inst.rs1, imm, note);
                if imm != 0 {
                    // objdump looks the `offset(base)` operand up twice; the
                    // second lookup finds the register value consumed and,
                    // for gp/tp/zero, replaces the note with gp/0 + offset.
                    self.base_address(inst.rs1, imm, note);
                }
                let name = if inst.rd == 0 { "jr" } else { "jalr" };
                out.push_str(name);
                out.push('\t');
                if inst.rd > 1 {
                    out.push_str(rd);
                    out.push(',');
                }
                if imm == 0 {
                    out.push_str(rs1);
                } else {
                    let _ = write!(out, "{imm}({rs1})");
                }
            }
            Beq | Bne | Blt | Bge | Bltu | Bgeu => {
                let (name, a, b) = branch_form(inst.op, inst.rs1, inst.rs2);
                out.push_str(name);
                out.push('\t');
                if let Some(a) = a {
                    out.push_str(reg(a));
                    out.push(',');
                }
                if let Some(b) = b {
                    out.push_str(reg(b));
                    out.push(',');
                }
                self.address(pc.wrapping_add(imm as u32), out);
            }
            Lb | Lh | Lw | Lbu | Lhu => {
                self.base_address(inst.rs1, imm, note);
                let _ = write!(out, "{}\t{rd},{imm}({rs1})", mnemonic(inst.op));
            }
            LrW => {
                let _ = write!(out, "lr.w{}\t{rd},({rs1})", aqrl(imm));
            }
            ScW | AmoswapW | AmoaddW | AmoxorW | AmoandW | AmoorW | AmominW | AmomaxW
            | AmominuW | AmomaxuW => {
                let _ = write!(
                    out,
                    "{}{}\t{rd},{rs2},({rs1})",
                    mnemonic(inst.op),
                    aqrl(imm)
                );
            }
            Sb | Sh | Sw => {
                self.base_address(inst.rs1, imm, note);
                let _ = write!(out, "{}\t{rs2},{imm}({rs1})", mnemonic(inst.op));
            }
            Addi => {
                if w == 0x0000_0013 {
                    out.push_str("nop");
                } else if inst.rs1 == 0 {
                    let _ = write!(out, "li\t{rd},{imm}");
                } else if imm == 0 {
                    let _ = write!(out, "mv\t{rd},{rs1}");
                } else {
                    self.base_address(inst.rs1, imm, note);
                    let _ = write!(out, "add\t{rd},{rs1},{imm}");
                }
            }
            Sltiu if imm == 1 => {
                let _ = write!(out, "seqz\t{rd},{rs1}");
            }
            Xori if imm == -1 => {
                let _ = write!(out, "not\t{rd},{rs1}");
            }
            Slti | Sltiu | Xori | Ori | Andi => {
                let name = match inst.op {
                    Slti => "slti",
                    Sltiu => "sltiu",
                    Xori => "xor",
                    Ori => "or",
                    _ => "and",
                };
                let _ = write!(out, "{name}\t{rd},{rs1},{imm}");
            }
            Slli | Srli | Srai => {
                let name = match inst.op {
                    Slli => "sll",
                    Srli => "srl",
                    _ => "sra",
                };
                let _ = write!(out, "{name}\t{rd},{rs1},0x{imm:x}");
            }
            Sub if inst.rs1 == 0 => {
                let _ = write!(out, "neg\t{rd},{rs2}");
            }
            Slt if inst.rs2 == 0 => {
                let _ = write!(out, "sltz\t{rd},{rs1}");
            }
            Slt if inst.rs1 == 0 => {
                let _ = write!(out, "sgtz\t{rd},{rs2}");
            }
            Sltu if inst.rs1 == 0 => {
                let _ = write!(out, "snez\t{rd},{rs2}");
            }
            Add | Sub | Sll | Slt | Sltu | Xor | Srl | Sra | Or | And | Mul | Mulh | Mulhsu
            | Mulhu | Div | Divu | Rem | Remu => {
                let _ = write!(out, "{}\t{rd},{rs1},{rs2}", mnemonic(inst.op));
            }
            Fence => {
                let fm = w >> 28;
                let pred = (w >> 24) & 15;
                let succ = (w >> 20) & 15;
                if inst.rd != 0 || inst.rs1 != 0 {
                    illegal(w, out);
                } else if fm == 0 && pred == 15 && succ == 15 {
                    out.push_str("fence");
                } else if fm == 0 {
                    let _ = write!(out, "fence\t{},{}", fence_set(pred), fence_set(succ));
                } else if w == 0x8330_000f {
                    out.push_str("fence.tso");
                } else {
                    illegal(w, out);
                }
            }
            FenceI if w == 0x0000_100f => out.push_str("fence.i"),
            FenceI => illegal(w, out),
            Ecall => out.push_str("ecall"),
            Ebreak => out.push_str("ebreak"),
            Mret => out.push_str("mret"),
            Wfi => out.push_str("wfi"),
            Csrrw | Csrrs | Csrrc | Csrrwi | Csrrsi | Csrrci => {
                csr_form(w, inst, out);
            }
            Illegal => illegal_or_foreign(w, out),
        }
    }

    /// The compressed instructions objdump prints differently from the
    /// base instruction they expand to (its `c.` names for HINTs, `mv` for
    /// `c.mv`, the immediate kept in `c.addi`), and the reserved encodings
    /// it still names. Returns false for the rest, which print as their
    /// expansion.
    fn format_compressed(
        &mut self,
        p: u32,
        inst: &Inst,
        out: &mut String,
        note: &mut Option<u32>,
    ) -> bool {
        use Op::*;
        let rd = reg(inst.rd);
        let (quadrant, funct3) = (p & 3, (p >> 13) & 7);
        match inst.op {
            Illegal => illegal_compressed(p, out),
            Addi if p == 0x0001 => out.push_str("nop"),
            // c.nop with an immediate and c.li to x0: HINTs.
            Addi if inst.rd == 0 && funct3 == 0 => {
                let _ = write!(out, "c.nop\t{}", inst.imm);
            }
            Addi if inst.rd == 0 => {
                let _ = write!(out, "c.li\tzero,{}", inst.imm);
            }
            // c.addi, c.addi4spn, c.addi16sp: `add` even for 0.
            Addi if inst.rs1 != 0 => {
                if quadrant == 1 && funct3 == 0 {
                    self.base_address(inst.rs1, inst.imm, note);
                }
                let _ = write!(out, "add\t{rd},{},{}", reg(inst.rs1), inst.imm);
            }
            Lui => {
                self.hi[inst.rd as usize] = Some(inst.imm as u32);
                let value = (inst.imm as u32 >> 12) & 0xfffff;
                if inst.rd == 0 {
                    let _ = write!(out, "c.lui\tzero,0x{value:x}");
                } else {
                    let _ = write!(out, "lui\t{rd},0x{value:x}");
                }
            }
            Slli | Srli | Srai if inst.imm == 0 => {
                let name = match inst.op {
                    Slli => "c.slli64",
                    Srli => "c.srli64",
                    _ => "c.srai64",
                };
                let _ = write!(out, "{name}\t{rd}");
            }
            Slli if inst.rd == 0 => {
                let _ = write!(out, "c.slli\tzero,0x{:x}", inst.imm);
            }
            Add if inst.rd == 0 => {
                // c.mv and c.add to x0 expand alike; bit 12 tells them apart.
                let name = if p >> 12 & 1 == 0 { "c.mv" } else { "c.add" };
                let _ = write!(out, "{name}\tzero,{}", reg(inst.rs2));
            }
            Add if inst.rs1 == 0 => {
                let _ = write!(out, "mv\t{rd},{}", reg(inst.rs2));
            }
            // Compressed loads, stores, c.jr and c.jalr: objdump adds no
            // address comment.
            Lw => {
                let _ = write!(out, "lw\t{rd},{}({})", inst.imm, reg(inst.rs1));
            }
            Sw => {
                let _ = write!(out, "sw\t{},{}({})", reg(inst.rs2), inst.imm, reg(inst.rs1));
            }
            Jalr if inst.rd == 0 && inst.rs1 == 1 => out.push_str("ret"),
            Jalr => {
                let name = if inst.rd == 0 { "jr" } else { "jalr" };
                let _ = write!(out, "{name}\t{}", reg(inst.rs1));
            }
            _ => return false,
        }
        true
    }

    fn listing_region(&mut self, start: u32, bytes: &[u8], out: &mut String) {
        let end = start as u64 + bytes.len() as u64;
        let width = address_width(start, end);
        // Block boundaries: the region start and every symbol inside it.
        let mut starts: Vec<u32> = self
            .symbols
            .iter()
            .map(|s| s.addr)
            .filter(|&a| a > start && (a as u64) < end)
            .collect();
        starts.dedup();
        let mut block_start = start;
        let mut next = starts.into_iter();
        loop {
            let block_end = next.next().map_or(end, |a| a as u64);
            let _ = write!(out, "\n{block_start:08x} <");
            if self.symbols.is_empty() {
                out.push_str(".text");
            } else {
                self.label(block_start, out);
            }
            out.push('>');
            out.push_str(":\n");
            let lo = (block_start - start) as usize;
            let hi = (block_end - start as u64) as usize;
            if self.is_object(block_start) {
                self.data_block(start, bytes, lo, hi, width, out);
            } else {
                self.listing_block(start, bytes, lo, hi, width, out);
            }
            if block_end >= end {
                break;
            }
            block_start = block_end as u32;
        }
    }

    /// Whether the symbol labelling a block at `addr` marks data (objdump
    /// dumps the bytes of blocks labelled by object symbols).
    fn is_object(&self, addr: u32) -> bool {
        let Some((_, off)) = self.symbols.nearest(addr) else {
            return false;
        };
        let at = addr - off;
        self.symbols
            .iter()
            .find(|s| s.addr == at)
            .is_some_and(|s| s.kind == SymbolKind::Object)
    }

    /// objdump's dump of a data block: 16 bytes a line, in chunks of the
    /// size the last instruction used, then the bytes as ASCII.
    fn data_block(
        &mut self,
        base: u32,
        bytes: &[u8],
        lo: usize,
        hi: usize,
        width: usize,
        out: &mut String,
    ) {
        let chunk = self.chunk;
        let mut pos = lo;
        while pos < hi {
            if let Some(skip) = zero_run(bytes, pos, hi) {
                out.push_str("\t...\n");
                pos += skip;
                continue;
            }
            let n = (hi - pos).min(16);
            address_column(base.wrapping_add(pos as u32), width, out);
            let mut j = 0;
            while j < n {
                hex_chunk(bytes, pos + j, chunk, hi, out);
                out.push(' ');
                j += chunk;
            }
            while j < 16 {
                for _ in 0..chunk {
                    out.push_str("  ");
                }
                out.push(' ');
                j += chunk;
            }
            out.push_str("    ");
            for &b in &bytes[pos..pos + n] {
                out.push(if (0x20..0x7f).contains(&b) {
                    b as char
                } else {
                    '.'
                });
            }
            out.push('\n');
            pos += n;
        }
    }

    /// Disassembles `bytes[lo..hi]` (one block between symbols).
    fn listing_block(
        &mut self,
        base: u32,
        bytes: &[u8],
        lo: usize,
        hi: usize,
        width: usize,
        out: &mut String,
    ) {
        let mut pos = lo;
        while pos < hi {
            // Zero runs: objdump skips 8 or more zero bytes (in whole words
            // unless the run reaches the block end) and short zero padding
            // at the end of a block.
            if let Some(skip) = zero_run(bytes, pos, hi) {
                out.push_str("\t...\n");
                pos += skip;
                continue;
            }
            let pc = base.wrapping_add(pos as u32);
            let avail = hi - pos;
            let len = if avail < 2 {
                0
            } else {
                insn_length(u16::from_le_bytes([bytes[pos], bytes[pos + 1]]))
            };
            if len == 0 || len > avail {
                // An instruction running past the block (symbol or region
                // end): objdump's read fails, it prints the error and, taking
                // the error code (EIO = 5) for a length, moves 5 bytes on.
                const EIO: usize = 5;
                address_column(pc, width, out);
                for j in 0..8 {
                    if j < EIO && pos + j < hi {
                        let _ = write!(out, "{:02x} ", bytes[pos + j]);
                    } else if j < EIO {
                        out.push(' ');
                    } else {
                        out.push_str("   ");
                    }
                }
                let _ = writeln!(out, "\tAddress 0x{pc:x} is out of bounds.\n");
                self.chunk = 1;
                pos += EIO;
                continue;
            }
            // Read up to 8 bytes in halfwords, stopping at the block end.
            let mut raw: u64 = 0;
            let mut n = 0;
            while n < len.min(8) {
                let h = u16::from_le_bytes([bytes[pos + n], bytes[pos + n + 1]]);
                raw |= (h as u64) << (8 * n);
                n += 2;
            }
            let chunk = if len % 4 == 0 { 4 } else { 2 };
            self.chunk = chunk;
            address_column(pc, width, out);
            let shown = len.min(8);
            let mut j = 0;
            while j < shown {
                hex_chunk(bytes, pos + j, chunk, hi, out);
                out.push(' ');
                j += chunk;
            }
            let mut pad = shown;
            while pad < 8 {
                for _ in 0..chunk {
                    out.push_str("  ");
                }
                out.push(' ');
                pad += chunk;
            }
            out.push('\t');
            match len {
                2 if !self.compressed => {
                    let _ = write!(out, ".2byte\t0x{raw:x}");
                }
                2 | 4 => self.disasm_into(raw as u32, pc, out),
                8 => {
                    let _ = write!(out, ".8byte\t0x{raw:x}");
                }
                _ => {
                    out.push_str(".byte\t");
                    for i in 0..len {
                        if i > 0 {
                            out.push_str(", ");
                        }
                        let b = bytes.get(pos + i).copied().unwrap_or(0);
                        let _ = write!(out, "0x{b:02x}");
                    }
                }
            }
            // Instructions longer than a line continue on further lines.
            let mut done = shown;
            while done < len {
                out.push('\n');
                address_column(base.wrapping_add((pos + done) as u32), width, out);
                let line_end = (done + 8).min(len);
                while done < line_end {
                    hex_chunk(bytes, pos + done, chunk, hi, out);
                    out.push(' ');
                    done += chunk;
                }
            }
            out.push('\n');
            pos += len;
        }
    }
}

/// Length of the run of zero bytes at `pos` that objdump prints as `...`:
/// 8 or more zero bytes (whole words unless the run reaches the block end),
/// or fewer than 3 at the block end.
fn zero_run(bytes: &[u8], pos: usize, end: usize) -> Option<usize> {
    let zeros = bytes[pos..end].iter().take_while(|&&b| b == 0).count();
    let to_end = pos + zeros == end;
    if zeros >= 8 || (to_end && zeros < 3) {
        Some(if to_end { zeros } else { zeros & !3 })
    } else {
        None
    }
}

/// objdump's `riscv_insn_length` for the first halfword of an instruction.
fn insn_length(h: u16) -> usize {
    if h & 3 != 3 {
        2
    } else if h & 0x1f != 0x1f {
        4
    } else if h & 0x3f == 0x1f {
        6
    } else if h & 0x7f == 0x3f {
        8
    } else if h & 0x7f == 0x7f && h & 0x7000 != 0x7000 {
        10 + ((h as usize >> 11) & 0xe)
    } else {
        2
    }
}

/// Hex digits kept in the address column: objdump drops leading zero
/// nibbles (in groups of four) that every address of the region shares.
fn address_width(start: u32, end: u64) -> usize {
    let digits = format!("{:08x}", end as u32);
    let zeros = digits.bytes().take_while(|&b| b == b'0').count();
    let skip = if zeros == 8 && start != 0 {
        0
    } else if zeros != 0 {
        (zeros - 1) & !3
    } else {
        0
    };
    8 - skip
}

fn address_column(pc: u32, width: usize, out: &mut String) {
    let _ = write!(
        out,
        "{:>width$x}:\t",
        pc as u64 & ((1u64 << (4 * width)) - 1)
    );
}

/// One little-endian chunk of the raw-bytes column (blank past the end).
fn hex_chunk(bytes: &[u8], at: usize, chunk: usize, end: usize, out: &mut String) {
    if at + chunk <= end {
        for k in (0..chunk).rev() {
            let _ = write!(out, "{:02x}", bytes[at + k]);
        }
    }
}

fn reg(n: u8) -> &'static str {
    isa::reg::abi_name(n)
}

fn mnemonic(op: Op) -> &'static str {
    use Op::*;
    match op {
        Lb => "lb",
        Lh => "lh",
        Lw => "lw",
        Lbu => "lbu",
        Lhu => "lhu",
        Sb => "sb",
        Sh => "sh",
        Sw => "sw",
        Add => "add",
        Sub => "sub",
        Sll => "sll",
        Slt => "slt",
        Sltu => "sltu",
        Xor => "xor",
        Srl => "srl",
        Sra => "sra",
        Or => "or",
        And => "and",
        Mul => "mul",
        Mulh => "mulh",
        Mulhsu => "mulhsu",
        Mulhu => "mulhu",
        Div => "div",
        Divu => "divu",
        Rem => "rem",
        Remu => "remu",
        ScW => "sc.w",
        AmoswapW => "amoswap.w",
        AmoaddW => "amoadd.w",
        AmoxorW => "amoxor.w",
        AmoandW => "amoand.w",
        AmoorW => "amoor.w",
        AmominW => "amomin.w",
        AmomaxW => "amomax.w",
        AmominuW => "amominu.w",
        AmomaxuW => "amomaxu.w",
        _ => "?",
    }
}

/// The ordering suffix of an atomic (`imm` holds aq in bit 1, rl in bit 0).
fn aqrl(imm: i32) -> &'static str {
    ["", ".rl", ".aq", ".aqrl"][(imm & 3) as usize]
}

/// Branch mnemonic and the registers it shows, with objdump's aliases
/// (`beqz`, `bnez`, `bltz`, `bgtz`, `blez`, `bgez`; never `bgt`/`ble`).
fn branch_form(op: Op, rs1: u8, rs2: u8) -> (&'static str, Option<u8>, Option<u8>) {
    use Op::*;
    match op {
        Beq if rs2 == 0 => ("beqz", Some(rs1), None),
        Bne if rs2 == 0 => ("bnez", Some(rs1), None),
        Blt if rs2 == 0 => ("bltz", Some(rs1), None),
        Blt if rs1 == 0 => ("bgtz", Some(rs2), None),
        Bge if rs1 == 0 => ("blez", Some(rs2), None),
        Bge if rs2 == 0 => ("bgez", Some(rs1), None),
        Beq => ("beq", Some(rs1), Some(rs2)),
        Bne => ("bne", Some(rs1), Some(rs2)),
        Blt => ("blt", Some(rs1), Some(rs2)),
        Bge => ("bge", Some(rs1), Some(rs2)),
        Bltu => ("bltu", Some(rs1), Some(rs2)),
        _ => ("bgeu", Some(rs1), Some(rs2)),
    }
}

fn fence_set(bits: u32) -> &'static str {
    const SETS: [&str; 16] = [
        "unknown", "w", "r", "rw", "o", "ow", "or", "orw", "i", "iw", "ir", "irw", "io", "iow",
        "ior", "iorw",
    ];
    SETS[(bits & 15) as usize]
}

fn csr_name(csr: u16, out: &mut String) {
    if let Some(name) = isa::csr::name(csr) {
        out.push_str(name);
    } else if let Ok(i) = csr_names::OBJDUMP_CSR_NAMES.binary_search_by_key(&csr, |&(n, _)| n) {
        out.push_str(csr_names::OBJDUMP_CSR_NAMES[i].1);
    } else {
        let _ = write!(out, "0x{csr:x}");
    }
}

fn csr_form(w: u32, inst: &Inst, out: &mut String) {
    use Op::*;
    let csr = (inst.imm & 0xfff) as u16;
    let rd = reg(inst.rd);
    let immediate = matches!(inst.op, Csrrwi | Csrrsi | Csrrci);
    let src = |out: &mut String| {
        if immediate {
            let _ = write!(out, "{}", inst.rs1);
        } else {
            out.push_str(reg(inst.rs1));
        }
    };
    if w == 0xc000_1073 {
        out.push_str("unimp");
        return;
    }
    if inst.op == Csrrs && inst.rs1 == 0 {
        let counter = match csr {
            0xc00 => Some("rdcycle"),
            0xc01 => Some("rdtime"),
            0xc02 => Some("rdinstret"),
            0xc80 => Some("rdcycleh"),
            0xc81 => Some("rdtimeh"),
            0xc82 => Some("rdinstreth"),
            _ => None,
        };
        if let Some(name) = counter {
            let _ = write!(out, "{name}\t{rd}");
        } else {
            let _ = write!(out, "csrr\t{rd},");
            csr_name(csr, out);
        }
        return;
    }
    let base = match inst.op {
        Csrrw | Csrrwi => "w",
        Csrrs | Csrrsi => "s",
        _ => "c",
    };
    if inst.rd == 0 {
        let _ = write!(out, "csr{base}\t");
        csr_name(csr, out);
    } else {
        let _ = write!(out, "csrr{base}\t{rd},");
        csr_name(csr, out);
    }
    out.push(',');
    src(out);
}

/// A compressed encoding the machine rejects: objdump names the all-zero
/// parcel, `c.addi16sp` by 0 and the RV32-reserved shift amounts (32 and
/// up), and prints the rest as `.2byte`.
fn illegal_compressed(p: u32, out: &mut String) {
    let (quadrant, funct3) = (p & 3, (p >> 13) & 7);
    let rd = ((p >> 7) & 31) as u8;
    let rd_c = 8 + ((p >> 7) & 7) as u8;
    let shamt = ((p >> 12) & 1) << 5 | ((p >> 2) & 31);
    match (quadrant, funct3) {
        _ if p == 0 => out.push_str("unimp"),
        (1, 0b011) if rd == 2 => out.push_str("add\tsp,sp,0"),
        (2, 0b000) if shamt >= 32 => {
            if rd == 0 {
                let _ = write!(out, "c.slli\tzero,0x{shamt:x}");
            } else {
                let r = reg(rd);
                let _ = write!(out, "sll\t{r},{r},0x{shamt:x}");
            }
        }
        (1, 0b100) if shamt >= 32 && (p >> 10) & 3 < 2 => {
            let name = if (p >> 10) & 3 == 0 { "srl" } else { "sra" };
            let r = reg(rd_c);
            let _ = write!(out, "{name}\t{r},{r},0x{shamt:x}");
        }
        _ => {
            let _ = write!(out, ".2byte\t0x{p:x}");
        }
    }
}

fn illegal(w: u32, out: &mut String) {
    let _ = write!(out, ".4byte\t0x{w:x}");
}

/// Words the machine rejects but objdump still names: RV64 shift amounts
/// and supervisor/debug-mode system instructions.
fn illegal_or_foreign(w: u32, out: &mut String) {
    let rd = reg(((w >> 7) & 31) as u8);
    let rs1 = reg(((w >> 15) & 31) as u8);
    let rs2n = (w >> 20) & 31;
    let rs1n = (w >> 15) & 31;
    let f3 = (w >> 12) & 7;
    if w & 0x7f == 0x13 && (f3 == 1 || f3 == 5) {
        let top = w >> 26;
        let shamt = (w >> 20) & 0x3f;
        let name = match (f3, top) {
            (1, 0) => Some("sll"),
            (5, 0) => Some("srl"),
            (5, 0x10) => Some("sra"),
            _ => None,
        };
        if let Some(name) = name {
            let _ = write!(out, "{name}\t{rd},{rs1},0x{shamt:x}");
            return;
        }
    }
    match w {
        0x0020_0073 => out.push_str("uret"),
        0x1020_0073 => out.push_str("sret"),
        0x7b20_0073 => out.push_str("dret"),
        _ if w & 0xfe00_7fff == 0x1200_0073 => {
            out.push_str("sfence.vma");
            if rs1n != 0 || rs2n != 0 {
                let _ = write!(out, "\t{rs1}");
                if rs2n != 0 {
                    let _ = write!(out, ",{}", reg(rs2n as u8));
                }
            }
        }
        _ if w & 0xfff0_7fff == 0x1040_0073 => {
            out.push_str("sfence.vm");
            if rs1n != 0 {
                let _ = write!(out, "\t{rs1}");
            }
        }
        _ => illegal(w, out),
    }
}

#[cfg(test)]
mod tests;
