//! The linking half: places chunks in the default layout, sizes branches
//! (relaxation, as GNU `as` does for far or cross-section targets), then
//! computes every immediate and emits the bytes.

use super::Diag;
use super::assembler::{Asm, SymDef, is_local_name};
use super::encode::encode;
use super::expr::{self, EvalError, Expr};
use super::model::{Chunk, FragKind, Imm, ImmKind, Reach, SectionKind};
use super::suggest;
use crate::isa::Op;
use crate::isa::decode_c::{COp, encode_compressed};
use std::collections::HashMap;

/// Relaxation passes that may also shorten branches; after them branches
/// only grow, so relaxation always ends (real programs settle in two or
/// three passes).
const FREE_PASSES: usize = 32;
/// Passes in all.
const MAX_PASSES: usize = 96;
/// Symbol definitions followed through `.equ` chains before calling it circular.
const MAX_EQU_DEPTH: u32 = 64;

/// Where everything went.
pub struct Placement {
    pub chunk_base: Vec<u64>,
    /// Offset of each fragment in its chunk, plus the chunk's end.
    pub frag_off: Vec<Vec<u64>>,
    /// Output sections: kind, address, size, alignment.
    pub sections: Vec<(SectionKind, u64, u64, u32)>,
}

fn align_up(v: u64, a: u64) -> u64 {
    v.div_ceil(a.max(1)) * a.max(1)
}

/// Padding to reach `align` from `off`, honouring a maximum skip.
fn align_pad(off: u64, align: u32, max: Option<u32>) -> u64 {
    let pad = (u64::from(align) - off % u64::from(align)) % u64::from(align);
    if max.is_some_and(|m| pad > u64::from(m)) {
        0
    } else {
        pad
    }
}

fn frag_size(kind: &FragKind, off: u64) -> u64 {
    match kind {
        FragKind::Code(parts) => parts.iter().map(|p| p.size()).sum(),
        FragKind::Branch { len, .. } | FragKind::Jump { len, .. } => u64::from(*len),
        FragKind::Data { width, values } => u64::from(*width) * values.len() as u64,
        FragKind::Bytes(b) => b.len() as u64,
        FragKind::Fill { len, .. } => u64::from(*len),
        FragKind::Align { align, max, .. } => align_pad(off, *align, *max),
    }
}

/// Code sections end padded to their alignment (GNU `as` does this so the
/// linker can place the next one).
fn chunk_size(c: &Chunk, off: u64) -> u64 {
    if c.kind == SectionKind::Text {
        align_up(off, u64::from(c.align))
    } else {
        off
    }
}

pub fn place(chunks: &[Chunk], text_base: u32) -> Placement {
    let mut frag_off = Vec::with_capacity(chunks.len());
    let mut sizes = Vec::with_capacity(chunks.len());
    for c in chunks {
        let mut offs = Vec::with_capacity(c.frags.len() + 1);
        let mut off = 0u64;
        for f in &c.frags {
            offs.push(off);
            off += frag_size(&f.kind, off);
        }
        offs.push(off);
        sizes.push(chunk_size(c, off));
        frag_off.push(offs);
    }
    let mut chunk_base = vec![0u64; chunks.len()];
    let mut sections = Vec::new();
    let mut cursor = u64::from(text_base);
    for kind in SectionKind::ALL {
        let members: Vec<usize> = (0..chunks.len())
            .filter(|&i| chunks[i].kind == kind)
            .collect();
        let align = members
            .iter()
            .map(|&i| chunks[i].align)
            .max()
            .unwrap_or(1)
            .max(1);
        // Text starts at the base; each later section at the next multiple
        // of max(16, its alignment).
        let min = if kind == SectionKind::Text { 1 } else { 16 };
        let start = align_up(cursor, u64::from(align.max(min)));
        let mut at = start;
        for &i in &members {
            at = align_up(at, u64::from(chunks[i].align));
            chunk_base[i] = at;
            at += sizes[i];
        }
        sections.push((kind, start, at - start, align));
        cursor = at;
    }
    Placement {
        chunk_base,
        frag_off,
        sections,
    }
}

/// Symbol values once addresses are known.
pub struct Resolver<'a> {
    pub asm: &'a Asm,
    pub at: &'a Placement,
}

impl Resolver<'_> {
    fn position(&self, chunk: usize, frag: usize) -> i64 {
        let base = self.at.chunk_base.get(chunk).copied().unwrap_or(0);
        let off = self
            .at
            .frag_off
            .get(chunk)
            .and_then(|o| o.get(frag))
            .copied()
            .unwrap_or(0);
        (base + off) as i64
    }

    pub fn eval(&self, e: &Expr) -> Result<i64, EvalError> {
        self.eval_depth(e, 0)
    }

    fn eval_depth(&self, e: &Expr, depth: u32) -> Result<i64, EvalError> {
        expr::eval(e, &mut |s| match s {
            Expr::Here { chunk, frag } => Ok(self.position(*chunk, *frag)),
            Expr::Sym { name, shown, col } => match self.asm.symbols.get(name) {
                Some(SymDef::Label { chunk, frag, .. }) => Ok(self.position(*chunk, *frag)),
                Some(SymDef::Abs(v)) => Ok(*v),
                Some(SymDef::Deferred(inner)) if depth < MAX_EQU_DEPTH => {
                    self.eval_depth(inner, depth + 1)
                }
                Some(SymDef::Deferred(_)) => Err(EvalError::Circular(shown.clone())),
                None => Err(EvalError::Undefined {
                    shown: shown.clone(),
                    col: *col,
                }),
            },
            _ => Ok(0),
        })
    }

    /// The chunk an expression's address lies in (its first label), if any.
    fn chunk_of(&self, e: &Expr, depth: u32) -> Option<usize> {
        match e {
            Expr::Here { chunk, .. } => Some(*chunk),
            Expr::Sym { name, .. } => match self.asm.symbols.get(name) {
                Some(SymDef::Label { chunk, .. }) => Some(*chunk),
                Some(SymDef::Deferred(inner)) if depth < MAX_EQU_DEPTH => {
                    self.chunk_of(inner, depth + 1)
                }
                _ => None,
            },
            Expr::Unary(_, a) => self.chunk_of(a, depth),
            Expr::Binary(_, a, b) => self.chunk_of(a, depth).or_else(|| self.chunk_of(b, depth)),
            Expr::Num(_) => None,
        }
    }

    /// A diagnostic for an expression that has no value.
    pub fn eval_error(&self, err: EvalError, line: u32, col: u32) -> Diag {
        match err {
            EvalError::DivByZero => Diag::new(line, col, "division by zero".into()),
            EvalError::Circular(n) => {
                Diag::new(line, col, format!("`{n}` is defined in terms of itself"))
            }
            EvalError::Undefined { shown, col: c } => {
                let col = if c > 0 { c } else { col };
                let msg = if let Some(n) = shown
                    .strip_suffix('f')
                    .filter(|n| n.chars().all(|c| c.is_ascii_digit()))
                {
                    format!(
                        "`{shown}` refers to a following `{n}:` label, but there is none after this line"
                    )
                } else if let Some(n) = shown
                    .strip_suffix('b')
                    .filter(|n| n.chars().all(|c| c.is_ascii_digit()))
                {
                    format!(
                        "`{shown}` refers to a preceding `{n}:` label, but there is none before this line"
                    )
                } else {
                    let names = self.asm.label_order.iter().map(String::as_str);
                    // No label is close: a register may be (`add t0, t1, t2q`
                    // reads `t2q` as an immediate, so it lands here).
                    let hint = suggest::closest(&shown, names)
                        .map(|s| format!("; did you mean `{s}`?"))
                        .or_else(|| {
                            suggest::register(&shown)
                                .map(|r| format!("; did you mean the register `{r}`?"))
                        })
                        .unwrap_or_default();
                    format!("undefined label `{shown}`{hint}")
                };
                Diag::new(line, col, msg)
            }
        }
    }
}

/// The size GNU `as` gives a branch or jump whose target is `dist` bytes
/// away (`None`: in another section, or not an address in this program).
fn relaxed_len(jump: bool, reach: Reach, dist: Option<i64>, absolute: bool) -> u8 {
    let within = |lo: i64, hi: i64| dist.is_some_and(|d| (lo..=hi).contains(&d));
    match (jump, reach) {
        (_, Reach::OnlyCompressed) => 2,
        // A plain number as target: GNU leaves that to the linker; it is
        // used here as an address, with the short form.
        (false, _) if absolute => 4,
        (true, Reach::Base) => 4,
        (true, Reach::Compressible) if within(-2048, 2046) => 2,
        (true, Reach::Compressible) => 4,
        (false, Reach::Compressible) if within(-256, 254) => 2,
        (false, _) if within(-4096, 4094) => 4,
        // Far in the same section: an inverted `c.b*` (or branch) over a `jal`.
        (false, Reach::Compressible) if dist.is_some() => 6,
        (false, _) => 8,
    }
}

/// Sizes branches and jumps until every one fits its target. Like GNU
/// `as`, each pass sizes every branch afresh from the last placement, so
/// a branch may shrink again; after [`FREE_PASSES`] they only grow.
pub fn relax(asm: &mut Asm, text_base: u32) -> Placement {
    for pass in 0..MAX_PASSES {
        let at = place(&asm.chunks, text_base);
        let mut change = Vec::new();
        {
            let r = Resolver { asm, at: &at };
            for (ci, c) in asm.chunks.iter().enumerate() {
                for (fi, f) in c.frags.iter().enumerate() {
                    let (jump, target, reach, len) = match &f.kind {
                        FragKind::Branch {
                            target, reach, len, ..
                        } => (false, target, *reach, *len),
                        FragKind::Jump {
                            target, reach, len, ..
                        } => (true, target, *reach, *len),
                        _ => continue,
                    };
                    let (dist, absolute) = match r.chunk_of(target, 0) {
                        // GNU `as` cannot know the distance to another section.
                        Some(tc) if tc != ci => (None, false),
                        Some(_) => (r.eval(target).ok().map(|t| t - r.position(ci, fi)), false),
                        None => (None, true),
                    };
                    let want = relaxed_len(jump, reach, dist, absolute);
                    if want > len || (want < len && pass < FREE_PASSES) {
                        change.push((ci, fi, want));
                    }
                }
            }
        }
        if change.is_empty() {
            return at;
        }
        for (ci, fi, want) in change {
            if let FragKind::Branch { len, .. } | FragKind::Jump { len, .. } =
                &mut asm.chunks[ci].frags[fi].kind
            {
                *len = want;
            }
        }
    }
    place(&asm.chunks, text_base)
}

fn sext12(v: i64) -> i32 {
    (((v & 0xfff) as i32) << 20) >> 20
}

fn hi20(v: i64) -> i32 {
    ((v.wrapping_add(0x800) >> 12) & 0xfffff) as i32
}

fn inverted(op: Op) -> Op {
    match op {
        Op::Beq => Op::Bne,
        Op::Bne => Op::Beq,
        Op::Blt => Op::Bge,
        Op::Bge => Op::Blt,
        Op::Bltu => Op::Bgeu,
        _ => Op::Bltu,
    }
}

fn mnemonic(op: Op) -> String {
    format!("{op:?}").to_ascii_lowercase()
}

/// Bytes of every chunk, the source map, and the errors found.
pub struct Emitted {
    pub chunk_bytes: Vec<Vec<u8>>,
    pub source_map: Vec<(u32, u32)>,
}

pub fn emit(asm: &Asm, at: &Placement, diags: &mut Vec<Diag>) -> Emitted {
    let r = Resolver { asm, at };
    // `%pcrel_lo(label)` needs the `%pcrel_hi` target of the auipc at label.
    let mut anchors: HashMap<i64, i64> = HashMap::new();
    for (ci, c) in asm.chunks.iter().enumerate() {
        for (fi, f) in c.frags.iter().enumerate() {
            if let FragKind::Code(parts) = &f.kind {
                let mut pc = r.position(ci, fi);
                for p in parts {
                    if let Imm::Expr {
                        e,
                        kind: ImmKind::PcrelHi,
                        ..
                    } = &p.imm
                        && let Ok(t) = r.eval(e)
                    {
                        anchors.insert(pc, t);
                    }
                    pc += p.size() as i64;
                }
            }
        }
    }
    let mut chunk_bytes = Vec::new();
    let mut source_map = Vec::new();
    for (ci, c) in asm.chunks.iter().enumerate() {
        let mut out: Vec<u8> = Vec::new();
        for (fi, f) in c.frags.iter().enumerate() {
            let addr = r.position(ci, fi);
            let line = f.line;
            // One instruction's bytes (4, or 2 when compressed) at `a`.
            let mut put = |out: &mut Vec<u8>, bytes: &[u8], a: i64| {
                out.extend_from_slice(bytes);
                source_map.push((a as u32, line));
            };
            match &f.kind {
                FragKind::Code(parts) => {
                    let mut pc = addr;
                    for p in parts {
                        if let Some(h) = p.half {
                            put(&mut out, &(h).to_le_bytes(), pc);
                            pc += 2;
                            continue;
                        }
                        let imm = match immediate(&r, &anchors, p.op, &p.imm, pc, line) {
                            Ok(v) => v,
                            Err(d) => {
                                diags.push(d);
                                0
                            }
                        };
                        put(
                            &mut out,
                            &(encode(p.op, p.rd, p.rs1, p.rs2, imm)).to_le_bytes(),
                            pc,
                        );
                        pc += 4;
                    }
                }
                FragKind::Branch {
                    op,
                    rs1,
                    rs2,
                    target,
                    col,
                    len,
                    ..
                } => {
                    let t =
                        target_addr(&r, asm, target, line, *col, "branch").unwrap_or_else(|d| {
                            diags.push(d);
                            addr
                        });
                    let cop = |op: Op| if op == Op::Beq { COp::Beqz } else { COp::Bnez };
                    match len {
                        2 => {
                            let d = t - addr;
                            if !COp::Beqz.imm_fits(d.clamp(-4096, 4096) as i32) {
                                diags.push(Diag::new(line, *col, format!("branch target is too far away: {d} bytes, but c.beqz and c.bnez reach -256 to 254")));
                            }
                            put(
                                &mut out,
                                &(encode_compressed(cop(*op), 0, *rs1, 0, d as i32)).to_le_bytes(),
                                addr,
                            );
                        }
                        4 => {
                            let d = t - addr;
                            if !(-4096..=4094).contains(&d) {
                                diags.push(Diag::new(line, *col, format!("branch target is too far away: {d} bytes, but branches reach -4096 to 4094")));
                            }
                            put(
                                &mut out,
                                &(encode(*op, 0, *rs1, *rs2, d as i32)).to_le_bytes(),
                                addr,
                            );
                        }
                        _ => {
                            // The inverted branch skips the `jal` that follows it.
                            let skip = i64::from(*len);
                            if *len == 6 {
                                put(
                                    &mut out,
                                    &(encode_compressed(cop(inverted(*op)), 0, *rs1, 0, 6))
                                        .to_le_bytes(),
                                    addr,
                                );
                            } else {
                                put(
                                    &mut out,
                                    &(encode(inverted(*op), 0, *rs1, *rs2, 8)).to_le_bytes(),
                                    addr,
                                );
                            }
                            let at = addr + skip - 4;
                            let d = check_jal(t - at, line, *col).unwrap_or_else(|d| {
                                diags.push(d);
                                0
                            });
                            put(&mut out, &(encode(Op::Jal, 0, 0, 0, d)).to_le_bytes(), at);
                        }
                    }
                }
                FragKind::Jump {
                    rd,
                    target,
                    col,
                    len,
                    ..
                } => {
                    let t = target_addr(&r, asm, target, line, *col, "jump").unwrap_or_else(|d| {
                        diags.push(d);
                        addr
                    });
                    let d = t - addr;
                    if *len == 2 {
                        let c = if *rd == 0 { COp::J } else { COp::Jal };
                        if !c.imm_fits(d.clamp(-4096, 4096) as i32) {
                            diags.push(Diag::new(line, *col, format!("jump target is too far away: {d} bytes, but {} reaches -2048 to 2046", c.name())));
                        }
                        put(
                            &mut out,
                            &(encode_compressed(c, *rd, 0, 0, d as i32)).to_le_bytes(),
                            addr,
                        );
                    } else {
                        let d = check_jal(d, line, *col).unwrap_or_else(|d| {
                            diags.push(d);
                            0
                        });
                        put(
                            &mut out,
                            &(encode(Op::Jal, *rd, 0, 0, d)).to_le_bytes(),
                            addr,
                        );
                    }
                }
                FragKind::Data { width, values } => {
                    for (e, col) in values {
                        let v = r.eval(e).unwrap_or_else(|err| {
                            diags.push(r.eval_error(err, line, *col));
                            0
                        });
                        if *width < 8 {
                            let bits = 8 * u32::from(*width);
                            let (lo, hi) = (-(1i64 << (bits - 1)), (1i64 << bits) - 1);
                            if !(lo..=hi).contains(&v) {
                                diags.push(Diag::new(line, *col, format!("value {v} does not fit in {width} byte{}: the range is {lo} to {hi}", if *width == 1 { "" } else { "s" })));
                            }
                        }
                        out.extend_from_slice(&v.to_le_bytes()[..usize::from(*width)]);
                    }
                }
                FragKind::Bytes(b) => out.extend_from_slice(b),
                FragKind::Fill { len, byte } => out.resize(out.len() + *len as usize, *byte),
                FragKind::Align { align, fill, max } => {
                    let pad = align_pad(at.frag_off[ci][fi], *align, *max) as usize;
                    match fill {
                        Some(b) => out.resize(out.len() + pad, *b),
                        None => code_fill(&mut out, pad),
                    }
                }
            }
        }
        let end = chunk_size(c, out.len() as u64) as usize;
        let pad = end - out.len();
        code_fill(&mut out, pad);
        chunk_bytes.push(out);
    }
    source_map.sort_unstable();
    Emitted {
        chunk_bytes,
        source_map,
    }
}

/// The address of a branch or jump target, which must be an instruction
/// boundary: 4-byte aligned, or 2 once C is on anywhere in the program.
fn target_addr(
    r: &Resolver,
    asm: &Asm,
    target: &Expr,
    line: u32,
    col: u32,
    what: &str,
) -> Result<i64, Diag> {
    let t = r.eval(target).map_err(|e| r.eval_error(e, line, col))?;
    misaligned(asm, t, what).map_or(Ok(t), |msg| Err(Diag::new(line, col, msg)))
}

/// The complaint about a target address that is not an instruction boundary.
fn misaligned(asm: &Asm, t: i64, what: &str) -> Option<String> {
    let (unit, why) = if asm.any_rvc {
        (2, "instructions are 2 or 4 bytes")
    } else {
        (4, "instructions are 4 bytes")
    };
    (t % unit != 0)
        .then(|| format!("misaligned {what} target: {t:#x} is not a multiple of {unit} ({why})"))
}

/// Code padding as GNU `as` writes it without linker relaxation, with or
/// without C: a zero byte if the gap is odd, a 2-byte `c.nop` if needed,
/// then `nop`s.
fn code_fill(out: &mut Vec<u8>, pad: usize) {
    let mut left = pad;
    if left % 2 == 1 {
        out.push(0);
        left -= 1;
    }
    if left % 4 == 2 {
        out.extend_from_slice(&[0x01, 0x00]);
        left -= 2;
    }
    for _ in 0..left / 4 {
        out.extend_from_slice(&0x0000_0013u32.to_le_bytes());
    }
}

fn check_jal(d: i64, line: u32, col: u32) -> Result<i32, Diag> {
    if !(-(1 << 20)..(1 << 20)).contains(&d) {
        return Err(Diag::new(
            line,
            col,
            format!(
                "jump target is too far away: {d} bytes, but jal reaches -1048576 to 1048574; use `call` or `tail`"
            ),
        ));
    }
    Ok(d as i32)
}

/// The immediate field value of one instruction, range-checked.
fn immediate(
    r: &Resolver,
    anchors: &HashMap<i64, i64>,
    op: Op,
    imm: &Imm,
    pc: i64,
    line: u32,
) -> Result<i32, Diag> {
    let (e, col, kind) = match imm {
        Imm::Fixed(v) => return Ok(*v),
        Imm::Expr { e, col, kind } => (e, *col, *kind),
    };
    let v = r.eval(e).map_err(|err| r.eval_error(err, line, col))?;
    let range = |lo: i64, hi: i64, what: &str| {
        if (lo..=hi).contains(&v) {
            Ok(v as i32)
        } else {
            Err(Diag::new(
                line,
                col,
                format!(
                    "immediate {v} is out of range for `{}`: {what} {lo} to {hi}",
                    mnemonic(op)
                ),
            ))
        }
    };
    match kind {
        ImmKind::Signed12 => range(-2048, 2047, "it takes"),
        ImmKind::Shamt => range(0, 31, "shift amounts are"),
        ImmKind::Upper20 => range(0, 0xfffff, "it takes"),
        ImmKind::Hi => Ok(hi20(v)),
        ImmKind::Lo => Ok(sext12(v)),
        ImmKind::PcrelHi => Ok(hi20(v.wrapping_sub(pc))),
        ImmKind::PcrelLoPrev => Ok(sext12(v.wrapping_sub(pc - 4))),
        ImmKind::PcrelLo => match anchors.get(&v) {
            Some(t) => Ok(sext12(t.wrapping_sub(v))),
            None => Err(Diag::new(
                line,
                col,
                "`%pcrel_lo` needs the label of an `auipc` that uses `%pcrel_hi`".into(),
            )),
        },
        ImmKind::Jal => {
            if let Some(msg) = misaligned(r.asm, v, "jump") {
                return Err(Diag::new(line, col, msg));
            }
            check_jal(v.wrapping_sub(pc), line, col)
        }
    }
}

/// Whether a label name goes into the symbol table (GNU drops `.L` locals).
pub fn is_exported_label(name: &str) -> bool {
    !name.starts_with(".L") && !is_local_name(name)
}
