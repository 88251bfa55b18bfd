//! Branch prediction for the five-stage core, done in IF (timing contract
//! rule 8): static not-taken, static backward-taken/forward-not-taken,
//! 1- and 2-bit bimodal, and gshare, the dynamic ones with a direct-mapped
//! branch target buffer.
//!
//! The pipeline asks [`Predictor::predict`] for the next fetch pc every
//! cycle and reports each resolved control transfer to
//! [`Predictor::update`]. Neither allocates; both are a few table reads.

use serde::{Deserialize, Serialize};

use crate::config::PredictorConfig;
use crate::isa::{Inst, Op, decode, inst_len};

/// The kind of a control-transfer instruction, as the BTB records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BranchKind {
    /// `beq`, `bne`, `blt`, `bge`, `bltu`, `bgeu`: direction from a counter.
    Conditional,
    /// `jal`: always taken, fixed target.
    Jal,
    /// `jalr`: always taken, target from a register (the BTB remembers the
    /// last one).
    Jalr,
}

/// Where BTFNT fetches after `inst` at `pc` if it guesses taken: `pc +
/// imm` for a conditional branch with a negative offset and for `jal`
/// (`None`: it falls through). `Predictor::predict` applies it to the
/// word it predecodes; the fast path to the instruction it has decoded.
#[inline(always)]
pub fn btfnt_target(pc: u32, inst: &Inst) -> Option<u32> {
    match BranchKind::of(inst.op) {
        Some(BranchKind::Conditional) if inst.imm < 0 => Some(pc.wrapping_add(inst.imm as u32)),
        Some(BranchKind::Jal) => Some(pc.wrapping_add(inst.imm as u32)),
        _ => None,
    }
}

impl BranchKind {
    /// The kind of `op`, or `None` if it is not a control transfer.
    #[inline]
    pub fn of(op: Op) -> Option<BranchKind> {
        use Op::*;
        match op {
            Beq | Bne | Blt | Bge | Bltu | Bgeu => Some(BranchKind::Conditional),
            Jal => Some(BranchKind::Jal),
            Jalr => Some(BranchKind::Jalr),
            _ => None,
        }
    }

    /// Short lowercase name: "branch", "jal" or "jalr".
    pub fn name(self) -> &'static str {
        match self {
            BranchKind::Conditional => "branch",
            BranchKind::Jal => "jal",
            BranchKind::Jalr => "jalr",
        }
    }
}

/// What IF fetches next, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prediction {
    pub taken: bool,
    /// The next fetch pc: the predicted target if `taken`, else the next
    /// instruction in program order (pc + 2 or pc + 4).
    pub next_pc: u32,
    pub source: PredictionSource,
}

/// Where a prediction came from, for the GUI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PredictionSource {
    /// A static predictor (not-taken or BTFNT).
    Static,
    /// A dynamic predictor whose BTB has no entry for the pc: not taken.
    BtbMiss,
    /// A BTB hit. `counter` is the counter value used for a conditional
    /// branch; for a `jal`/`jalr` entry (always taken, no counter is read)
    /// it is the saturated maximum (1 for 1-bit, 3 for 2-bit counters).
    Btb { counter: u8 },
}

/// One BTB entry: tagged with the full pc of the branch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BtbEntry {
    pub pc: u32,
    pub target: u32,
    pub kind: BranchKind,
}

/// A read-only description of the predictor's tables, for the GUI.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PredictorView {
    /// E.g. "2-bit bimodal, 256 counters, 64-entry BTB".
    pub name: String,
    /// Gshare's global history value and its bit count (newest outcome in
    /// bit 0); `None` for the other predictors.
    pub history: Option<(u32, u8)>,
    /// The counter table; empty for static predictors.
    pub counters: Vec<u8>,
    /// Bits per counter: 1 or 2; 0 for static predictors.
    pub counter_bits: u8,
    /// The BTB, one slot per entry; empty for static predictors.
    pub btb: Vec<Option<BtbEntry>>,
}

/// The prediction scheme, flattened from the configuration so `predict`
/// dispatches on one small tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Scheme {
    NotTaken,
    Btfnt,
    Bimodal,
    Gshare,
}

/// A branch predictor: configuration plus tables.
///
/// Decisions:
/// - Table sizes are expected validated (powers of two); a size that is not
///   is rounded up to one (and 0 to 1) so indexing always stays in bounds.
/// - The BTB is direct-mapped, indexed by `(pc >> 2) & (btb_entries - 1)`
///   and tagged with the full pc; it is filled only by taken outcomes, so a
///   branch never seen taken is predicted not taken whatever its counter.
///   The index drops bit 1 although compressed instructions start at any
///   2-byte boundary: programs without them use every entry, and two
///   branches in one 4-byte word (both compressed) share a BTB slot and a
///   counter (the full-pc tag keeps BTB hits exact).
/// - Counters: 2-bit ones saturate in 0..=3, start at 1 (weakly not taken)
///   and predict taken at >= 2; 1-bit ones start at 0 and hold the last
///   outcome. Only conditional branches touch them.
/// - Gshare always uses 2-bit counters, indexed by
///   `((pc >> 2) ^ history) & (entries - 1)`. The history (masked to
///   `history_bits`, newest outcome in bit 0) is updated non-speculatively
///   when a conditional branch resolves; `update` indexes the counter with
///   the history as it is before shifting that branch's outcome in.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Predictor {
    cfg: PredictorConfig,
    scheme: Scheme,
    /// 1 or 2 for dynamic predictors, 0 for static ones.
    counter_bits: u8,
    /// Largest counter value: 1 or 3.
    counter_max: u8,
    /// Counter value from which a conditional branch is predicted taken.
    taken_at: u8,
    counters: Vec<u8>,
    counter_mask: u32,
    btb: Vec<Option<BtbEntry>>,
    btb_mask: u32,
    history: u32,
    history_mask: u32,
    history_bits: u8,
}

/// `n` rounded up to a power of two, at least 1.
fn table_size(n: u32) -> u32 {
    n.max(1).checked_next_power_of_two().unwrap_or(1 << 31)
}

impl Predictor {
    pub fn new(cfg: &PredictorConfig) -> Predictor {
        let mut p = Predictor {
            cfg: *cfg,
            scheme: Scheme::NotTaken,
            counter_bits: 0,
            counter_max: 0,
            taken_at: 0,
            counters: Vec::new(),
            counter_mask: 0,
            btb: Vec::new(),
            btb_mask: 0,
            history: 0,
            history_mask: 0,
            history_bits: 0,
        };
        let (entries, btb_entries) = match *cfg {
            PredictorConfig::StaticNotTaken => return p,
            PredictorConfig::StaticBtfnt => {
                p.scheme = Scheme::Btfnt;
                return p;
            }
            PredictorConfig::Bimodal {
                counter_bits,
                entries,
                btb_entries,
            } => {
                p.scheme = Scheme::Bimodal;
                p.counter_bits = if counter_bits == 1 { 1 } else { 2 };
                (entries, btb_entries)
            }
            PredictorConfig::Gshare {
                history_bits,
                entries,
                btb_entries,
            } => {
                p.scheme = Scheme::Gshare;
                p.counter_bits = 2;
                let log2 = table_size(entries).trailing_zeros() as u8;
                p.history_bits = history_bits.min(log2);
                p.history_mask = (1u32 << p.history_bits) - 1;
                (entries, btb_entries)
            }
        };
        let (max, taken_at, init) = if p.counter_bits == 1 {
            (1, 1, 0)
        } else {
            (3, 2, 1)
        };
        p.counter_max = max;
        p.taken_at = taken_at;
        let entries = table_size(entries);
        p.counters = vec![init; entries as usize];
        p.counter_mask = entries - 1;
        let btb_entries = table_size(btb_entries);
        p.btb = vec![None; btb_entries as usize];
        p.btb_mask = btb_entries - 1;
        p
    }

    /// The configuration this predictor was built from.
    pub fn config(&self) -> &PredictorConfig {
        &self.cfg
    }

    /// The counter-table index for a conditional branch at `pc` now. The
    /// history stays 0 except under gshare, so one formula serves both.
    #[inline(always)]
    fn counter_index(&self, pc: u32) -> usize {
        (((pc >> 2) ^ self.history) & self.counter_mask) as usize
    }

    #[inline(always)]
    fn btb_index(&self, pc: u32) -> usize {
        ((pc >> 2) & self.btb_mask) as usize
    }

    /// Whether this is the static backward-taken, forward-not-taken
    /// scheme. (The fast path runs only under the two static schemes, so
    /// there `false` means static not-taken.)
    pub fn is_btfnt(&self) -> bool {
        matches!(self.scheme, Scheme::Btfnt)
    }

    /// The pc to fetch after `pc`: `predict(pc, word).next_pc`, with the
    /// static not-taken case inlined into the fetch stage.
    #[inline(always)]
    pub fn predict_next(&self, pc: u32, word: u32) -> u32 {
        if matches!(self.scheme, Scheme::NotTaken) {
            pc.wrapping_add(inst_len(word))
        } else {
            self.predict(pc, word).next_pc
        }
    }

    /// The next fetch pc for the word `word` fetched at `pc`.
    ///
    /// Static not-taken does no table work. BTFNT predecodes the word:
    /// a conditional branch with a negative offset and `jal` are taken to
    /// pc + imm, everything else (including `jalr` and a branch to itself,
    /// offset 0) falls through. Dynamic predictors ignore `word` and read
    /// only the BTB and counters: a miss is not taken, a `jal`/`jalr` entry
    /// is taken to its stored target, a conditional entry is taken to its
    /// stored target iff its counter says so. (An entry can outlive the
    /// code it describes; the pipeline sees that as a misprediction.)
    #[inline]
    pub fn predict(&self, pc: u32, word: u32) -> Prediction {
        // The next instruction in program order: the word's length is
        // known from its first parcel, as in a real fetch unit.
        let fall_through = pc.wrapping_add(inst_len(word));
        match self.scheme {
            Scheme::NotTaken => Prediction {
                taken: false,
                next_pc: fall_through,
                source: PredictionSource::Static,
            },
            Scheme::Btfnt => {
                // Only the BRANCH and JAL major opcodes (and compressed
                // instructions, among them c.j, c.jal, c.beqz and c.bnez)
                // can be taken; skip the decoder for everything else.
                let opcode = word & 0x7f;
                let taken_target = if opcode == 0x63 || opcode == 0x6f || inst_len(word) == 2 {
                    btfnt_target(pc, &decode(word))
                } else {
                    None
                };
                Prediction {
                    taken: taken_target.is_some(),
                    next_pc: taken_target.unwrap_or(fall_through),
                    source: PredictionSource::Static,
                }
            }
            Scheme::Bimodal | Scheme::Gshare => match self.btb[self.btb_index(pc)] {
                Some(e) if e.pc == pc => {
                    let (taken, counter) = match e.kind {
                        BranchKind::Conditional => {
                            let c = self.counters[self.counter_index(pc)];
                            (c >= self.taken_at, c)
                        }
                        BranchKind::Jal | BranchKind::Jalr => (true, self.counter_max),
                    };
                    Prediction {
                        taken,
                        next_pc: if taken { e.target } else { fall_through },
                        source: PredictionSource::Btb { counter },
                    }
                }
                _ => Prediction {
                    taken: false,
                    next_pc: fall_through,
                    source: PredictionSource::BtbMiss,
                },
            },
        }
    }

    /// Records the actual outcome of the control transfer at `pc`.
    ///
    /// Conditional branches move their counter (saturating; a 1-bit counter
    /// takes the outcome) and, for gshare, shift the outcome into the
    /// history. Any taken outcome inserts or refreshes the BTB entry with
    /// `kind` and `target`, replacing whatever held the slot; a not-taken
    /// one leaves the BTB alone. Static predictors ignore updates.
    #[inline]
    pub fn update(&mut self, pc: u32, kind: BranchKind, taken: bool, target: u32) {
        if matches!(self.scheme, Scheme::NotTaken | Scheme::Btfnt) {
            return;
        }
        if kind == BranchKind::Conditional {
            let i = self.counter_index(pc);
            let c = &mut self.counters[i];
            *c = if self.counter_bits == 1 {
                taken as u8
            } else if taken {
                (*c + 1).min(self.counter_max)
            } else {
                c.saturating_sub(1)
            };
            if self.scheme == Scheme::Gshare {
                self.history = ((self.history << 1) | taken as u32) & self.history_mask;
            }
        }
        if taken {
            let i = self.btb_index(pc);
            self.btb[i] = Some(BtbEntry { pc, target, kind });
        }
    }

    /// A snapshot of the tables for the GUI (allocates; not for the hot path).
    pub fn view(&self) -> PredictorView {
        let name = match self.scheme {
            Scheme::NotTaken => "static not-taken".to_string(),
            Scheme::Btfnt => "static backward-taken/forward-not-taken".to_string(),
            Scheme::Bimodal => format!(
                "{}-bit bimodal, {} counters, {}-entry BTB",
                self.counter_bits,
                self.counters.len(),
                self.btb.len()
            ),
            Scheme::Gshare => format!(
                "gshare, {}-bit history, {} counters, {}-entry BTB",
                self.history_bits,
                self.counters.len(),
                self.btb.len()
            ),
        };
        PredictorView {
            name,
            history: (self.scheme == Scheme::Gshare).then_some((self.history, self.history_bits)),
            counters: self.counters.clone(),
            counter_bits: self.counter_bits,
            btb: self.btb.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // --- A tiny encoder for the few instructions the tests need. ---

    fn enc_b(funct3: u32, rs1: u32, rs2: u32, imm: i32) -> u32 {
        let i = imm as u32;
        (((i >> 12) & 1) << 31)
            | (((i >> 5) & 0x3f) << 25)
            | (rs2 << 20)
            | (rs1 << 15)
            | (funct3 << 12)
            | (((i >> 1) & 0xf) << 8)
            | (((i >> 11) & 1) << 7)
            | 0x63
    }
    fn beq(rs1: u32, rs2: u32, imm: i32) -> u32 {
        enc_b(0, rs1, rs2, imm)
    }
    fn bne(rs1: u32, rs2: u32, imm: i32) -> u32 {
        enc_b(1, rs1, rs2, imm)
    }
    fn jal(rd: u32, imm: i32) -> u32 {
        let i = imm as u32;
        (((i >> 20) & 1) << 31)
            | (((i >> 1) & 0x3ff) << 21)
            | (((i >> 11) & 1) << 20)
            | (((i >> 12) & 0xff) << 12)
            | (rd << 7)
            | 0x6f
    }
    fn jalr(rd: u32, rs1: u32, imm: i32) -> u32 {
        ((imm as u32 & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x67
    }
    const ADDI_X1_X1_1: u32 = 0x0010_8093;
    /// Any 32-bit instruction that is not a control transfer.
    const NOP: u32 = 0x0000_0013;

    fn bimodal(counter_bits: u8, entries: u32, btb_entries: u32) -> Predictor {
        Predictor::new(&PredictorConfig::Bimodal {
            counter_bits,
            entries,
            btb_entries,
        })
    }
    fn gshare(history_bits: u8, entries: u32, btb_entries: u32) -> Predictor {
        Predictor::new(&PredictorConfig::Gshare {
            history_bits,
            entries,
            btb_entries,
        })
    }
    fn not_taken(pc: u32, source: PredictionSource) -> Prediction {
        Prediction {
            taken: false,
            next_pc: pc.wrapping_add(4),
            source,
        }
    }
    fn taken(target: u32, source: PredictionSource) -> Prediction {
        Prediction {
            taken: true,
            next_pc: target,
            source,
        }
    }
    const COND: BranchKind = BranchKind::Conditional;

    #[test]
    fn encoder_matches_known_words() {
        assert_eq!(beq(0, 0, -8), 0xfe00_0ce3);
        assert_eq!(jal(0, -4), 0xffdf_f06f);
        for (w, op, imm) in [
            (beq(1, 2, -8), Op::Beq, -8),
            (beq(1, 2, 4094), Op::Beq, 4094),
            (bne(3, 4, -4096), Op::Bne, -4096),
            (jal(1, 2048), Op::Jal, 2048),
            (jal(0, -1_048_576), Op::Jal, -1_048_576),
            (jalr(0, 1, -12), Op::Jalr, -12),
        ] {
            let inst = decode(w);
            assert_eq!((inst.op, inst.imm), (op, imm), "{w:#010x}");
        }
    }

    #[test]
    fn branch_kind_of_and_name() {
        for op in [Op::Beq, Op::Bne, Op::Blt, Op::Bge, Op::Bltu, Op::Bgeu] {
            assert_eq!(BranchKind::of(op), Some(COND));
        }
        assert_eq!(BranchKind::of(Op::Jal), Some(BranchKind::Jal));
        assert_eq!(BranchKind::of(Op::Jalr), Some(BranchKind::Jalr));
        for op in [Op::Addi, Op::Lw, Op::Ecall, Op::Mret, Op::Illegal] {
            assert_eq!(BranchKind::of(op), None);
        }
        assert_eq!(COND.name(), "branch");
        assert_eq!(BranchKind::Jal.name(), "jal");
        assert_eq!(BranchKind::Jalr.name(), "jalr");
    }

    #[test]
    fn static_not_taken_always_falls_through() {
        let mut p = Predictor::new(&PredictorConfig::StaticNotTaken);
        let pc = 0x8000_0100;
        for w in [
            beq(0, 0, -8),
            beq(0, 0, 8),
            jal(0, -4),
            jalr(0, 1, 0),
            ADDI_X1_X1_1,
            NOP,
        ] {
            // Even after it was taken many times.
            p.update(pc, BranchKind::of(decode(w).op).unwrap_or(COND), true, 0x10);
            assert_eq!(p.predict(pc, w), not_taken(pc, PredictionSource::Static));
        }
        // A compressed instruction falls through to pc + 2 (c.j -2048).
        assert_eq!(p.predict_next(pc, 0xb001), pc + 2);
        assert_eq!(p.predict(pc, 0xb001).next_pc, pc + 2);
        assert_eq!(
            p.predict(0xffff_fffc, NOP),
            not_taken(0xffff_fffc, PredictionSource::Static)
        );
        let v = p.view();
        assert_eq!(v.name, "static not-taken");
        assert_eq!(
            (v.history, v.counters.len(), v.counter_bits, v.btb.len()),
            (None, 0, 0, 0)
        );
    }

    #[test]
    fn btfnt_predecodes() {
        let p = Predictor::new(&PredictorConfig::StaticBtfnt);
        let pc = 0x8000_0100;
        let s = PredictionSource::Static;
        // beq x0,x0,-8: backward, taken.
        assert_eq!(p.predict(pc, 0xfe00_0ce3), taken(0x8000_00f8, s));
        assert_eq!(p.predict(pc, bne(5, 6, -4096)), taken(0x7fff_f100, s));
        // Forward and zero-offset branches fall through.
        assert_eq!(p.predict(pc, beq(0, 0, 8)), not_taken(pc, s));
        assert_eq!(p.predict(pc, bne(1, 2, 4094)), not_taken(pc, s));
        assert_eq!(p.predict(pc, beq(0, 0, 0)), not_taken(pc, s));
        // jal: taken both ways.
        assert_eq!(p.predict(pc, 0xffdf_f06f), taken(0x8000_00fc, s));
        assert_eq!(p.predict(pc, jal(1, 0x800)), taken(0x8000_0900, s));
        // jalr and non-control words fall through.
        assert_eq!(p.predict(pc, jalr(0, 1, -8)), not_taken(pc, s));
        assert_eq!(p.predict(pc, ADDI_X1_X1_1), not_taken(pc, s));
        assert_eq!(p.predict(pc, NOP), not_taken(pc, s));
        // A BRANCH-opcode word with a reserved funct3 is illegal: not taken.
        assert_eq!(p.predict(pc, enc_b(2, 0, 0, -8)), not_taken(pc, s));
        // Targets wrap like the pc does.
        assert_eq!(p.predict(0, beq(0, 0, -8)), taken(0xffff_fff8, s));
        // Compressed: c.j and c.jal taken, c.beqz/c.bnez backward taken,
        // the rest fall through to pc + 2 (words from GNU as).
        let c_not_taken = Prediction {
            taken: false,
            next_pc: pc + 2,
            source: s,
        };
        assert_eq!(p.predict(pc, 0xb001), taken(0x7fff_f900, s)); // c.j -2048
        assert_eq!(p.predict(pc, 0x2ffd), taken(0x8000_08fe, s)); // c.jal +2046
        assert_eq!(p.predict(pc, 0xd101), taken(0x8000_0000, s)); // c.beqz a0,-256
        assert_eq!(p.predict(pc, 0xed7d), c_not_taken); // c.bnez a0,+254
        assert_eq!(p.predict(pc, 0x8082), c_not_taken); // c.jr ra
        assert_eq!(p.predict(pc, 0x0505), c_not_taken); // c.addi a0,1
        assert_eq!(p.view().name, "static backward-taken/forward-not-taken");
        assert!(p.view().counters.is_empty() && p.view().btb.is_empty());
    }

    #[test]
    fn bimodal_2bit_saturates() {
        let mut p = bimodal(2, 16, 16);
        let pc = 0x8000_0014; // counter and BTB index 5
        let target = 0x8000_0000;
        let w = beq(0, 0, -20);
        assert_eq!(p.view().counters, vec![1; 16]);
        assert_eq!(p.predict(pc, w), not_taken(pc, PredictionSource::BtbMiss));
        let mut counters = Vec::new();
        let mut preds = Vec::new();
        for t in [true, true, true, false] {
            p.update(pc, COND, t, target);
            counters.push(p.view().counters[5]);
            preds.push(p.predict(pc, w));
        }
        assert_eq!(counters, [2, 3, 3, 2]);
        assert_eq!(
            preds,
            [
                taken(target, PredictionSource::Btb { counter: 2 }),
                taken(target, PredictionSource::Btb { counter: 3 }),
                taken(target, PredictionSource::Btb { counter: 3 }),
                taken(target, PredictionSource::Btb { counter: 2 }),
            ]
        );
        p.update(pc, COND, false, target);
        assert_eq!(p.view().counters[5], 1);
        assert_eq!(
            p.predict(pc, w),
            not_taken(pc, PredictionSource::Btb { counter: 1 })
        );
        p.update(pc, COND, false, target);
        p.update(pc, COND, false, target);
        assert_eq!(p.view().counters[5], 0);
        assert_eq!(
            p.predict(pc, w),
            not_taken(pc, PredictionSource::Btb { counter: 0 })
        );
        // Only index 5 ever moved; the not-taken outcomes kept the BTB entry.
        let v = p.view();
        assert!(
            v.counters
                .iter()
                .enumerate()
                .all(|(i, &c)| c == if i == 5 { 0 } else { 1 })
        );
        assert_eq!(
            v.btb[5],
            Some(BtbEntry {
                pc,
                target,
                kind: COND
            })
        );
        assert_eq!(v.btb.iter().filter(|e| e.is_some()).count(), 1);
        assert_eq!(v.name, "2-bit bimodal, 16 counters, 16-entry BTB");
        assert_eq!((v.counter_bits, v.history), (2, None));
    }

    #[test]
    fn bimodal_1bit_flips() {
        let mut p = bimodal(1, 8, 8);
        let pc = 0x100; // index 0
        let target = 0x40;
        assert_eq!(p.view().counters, vec![0; 8]);
        p.update(pc, COND, true, target);
        for t in [false, true, false, false, true, true] {
            let before = p.predict(pc, NOP);
            p.update(pc, COND, t, target);
            let after = p.predict(pc, NOP);
            // The prediction is always the previous outcome.
            assert!(before.taken, "{t}");
            assert_eq!(p.view().counters[0], t as u8);
            assert_eq!(after.taken, t);
            assert_eq!(after.source, PredictionSource::Btb { counter: t as u8 });
            assert_eq!(after.next_pc, if t { target } else { pc + 4 });
            // Restore "taken" for the next round's `before` check.
            p.update(pc, COND, true, target);
        }
        let v = p.view();
        assert_eq!(v.name, "1-bit bimodal, 8 counters, 8-entry BTB");
        assert_eq!(v.counter_bits, 1);
    }

    #[test]
    fn btb_miss_predicts_not_taken_whatever_the_counter() {
        // 4 counters, 16 BTB entries: 0x0 and 0x10 share counter 0 but not
        // a BTB slot (0 and 4).
        let mut p = bimodal(2, 4, 16);
        p.update(0x0, COND, true, 0x80);
        p.update(0x0, COND, true, 0x80);
        assert_eq!(p.view().counters[0], 3);
        assert_eq!(
            p.predict(0x0, NOP),
            taken(0x80, PredictionSource::Btb { counter: 3 })
        );
        assert_eq!(
            p.predict(0x10, NOP),
            not_taken(0x10, PredictionSource::BtbMiss)
        );
        // A branch only ever seen not taken never enters the BTB.
        let mut p = bimodal(1, 4, 16);
        p.update(0x8, COND, false, 0x80);
        assert!(p.view().btb.iter().all(Option::is_none));
    }

    #[test]
    fn btb_conflict_replaces() {
        // 4 BTB entries: 0x104 and 0x114 both map to slot 1 (counters 65, 69).
        let mut p = bimodal(2, 256, 4);
        let (a, b) = (0x104, 0x114);
        p.update(a, COND, true, 0x200);
        p.update(a, COND, true, 0x200);
        assert_eq!(
            p.predict(a, NOP),
            taken(0x200, PredictionSource::Btb { counter: 3 })
        );
        p.update(b, BranchKind::Jal, true, 0x300);
        assert_eq!(
            p.view().btb,
            vec![
                None,
                Some(BtbEntry {
                    pc: b,
                    target: 0x300,
                    kind: BranchKind::Jal
                }),
                None,
                None
            ]
        );
        assert_eq!(
            p.predict(b, NOP),
            taken(0x300, PredictionSource::Btb { counter: 3 })
        );
        // a's counter still says taken, but its entry is gone.
        assert_eq!(p.view().counters[0x104 >> 2], 3);
        assert_eq!(p.predict(a, NOP), not_taken(a, PredictionSource::BtbMiss));
        // And back.
        p.update(a, COND, true, 0x204);
        assert_eq!(
            p.predict(a, NOP),
            taken(0x204, PredictionSource::Btb { counter: 3 })
        );
        assert_eq!(p.predict(b, NOP), not_taken(b, PredictionSource::BtbMiss));
    }

    #[test]
    fn jumps_predict_taken_to_stored_target() {
        for bits in [1, 2] {
            let mut p = bimodal(bits, 64, 64);
            let max = if bits == 1 { 1 } else { 3 };
            let (j, r) = (0x8000_0040, 0x8000_0044);
            assert_eq!(
                p.predict(j, jal(1, 0x100)),
                not_taken(j, PredictionSource::BtbMiss)
            );
            p.update(j, BranchKind::Jal, true, 0x8000_0140);
            p.update(r, BranchKind::Jalr, true, 0x8000_1000);
            let src = PredictionSource::Btb { counter: max };
            assert_eq!(p.predict(j, jal(1, 0x100)), taken(0x8000_0140, src));
            assert_eq!(p.predict(r, jalr(0, 1, 0)), taken(0x8000_1000, src));
            // A jalr that goes somewhere else next time: the entry follows.
            p.update(r, BranchKind::Jalr, true, 0x8000_2000);
            assert_eq!(p.predict(r, jalr(0, 1, 0)), taken(0x8000_2000, src));
            assert_eq!(
                p.view().btb[(r as usize >> 2) & 63],
                Some(BtbEntry {
                    pc: r,
                    target: 0x8000_2000,
                    kind: BranchKind::Jalr
                })
            );
            // Jumps never touch the counters.
            let init = if bits == 1 { 0 } else { 1 };
            assert!(p.view().counters.iter().all(|&c| c == init));
        }
        // Nor gshare's history.
        let mut g = gshare(4, 16, 16);
        g.update(0x40, BranchKind::Jal, true, 0x80);
        g.update(0x44, BranchKind::Jalr, true, 0x90);
        assert_eq!(g.view().history, Some((0, 4)));
        assert_eq!(
            g.predict(0x44, NOP),
            taken(0x90, PredictionSource::Btb { counter: 3 })
        );
    }

    #[test]
    fn gshare_indexes_by_pc_xor_history() {
        // 8 counters, 2 history bits; pc >> 2 = 0x2000_0005, base index 5.
        let mut p = gshare(2, 8, 8);
        let pc = 0x8000_0014;
        let t = 0x8000_0000;
        assert_eq!(p.view().history, Some((0, 2)));
        p.update(pc, COND, true, t); // history 0 -> counter 5; history 0b01
        p.update(pc, COND, true, t); // history 1 -> counter 4; history 0b11
        p.update(pc, COND, false, t); // history 3 -> counter 6; history 0b10
        let v = p.view();
        assert_eq!(v.counters, vec![1, 1, 1, 1, 2, 2, 0, 1]);
        assert_eq!(v.history, Some((0b10, 2)));
        // History 2 -> counter 7, still weakly not taken.
        assert_eq!(
            p.predict(pc, NOP),
            not_taken(pc, PredictionSource::Btb { counter: 1 })
        );
        p.update(pc, COND, true, t); // counter 7 -> 2; history 0b01
        // History 1 -> counter 4 (2): taken.
        assert_eq!(
            p.predict(pc, NOP),
            taken(t, PredictionSource::Btb { counter: 2 })
        );
        p.update(pc, COND, false, t); // counter 4 -> 1; history 0b10
        // History 2 -> counter 7 (2): taken. Same pc, different counter.
        assert_eq!(
            p.predict(pc, NOP),
            taken(t, PredictionSource::Btb { counter: 2 })
        );
        assert_eq!(p.view().counters, vec![1, 1, 1, 1, 1, 2, 0, 2]);
        let v = p.view();
        assert_eq!(v.name, "gshare, 2-bit history, 8 counters, 8-entry BTB");
        assert_eq!(v.counter_bits, 2);
    }

    #[test]
    fn gshare_history_shifts_and_masks() {
        let mut p = gshare(3, 64, 4);
        let mut seen = Vec::new();
        for t in [true, false, true, true, true, false, false, true] {
            p.update(0x1000, COND, t, 0x2000);
            seen.push(p.view().history.unwrap().0);
        }
        assert_eq!(
            seen,
            [0b001, 0b010, 0b101, 0b011, 0b111, 0b110, 0b100, 0b001]
        );
        assert_eq!(p.view().history, Some((0b001, 3)));
        // Counters are 2-bit whatever; the history never exceeds its bits.
        assert!(p.view().counters.iter().all(|&c| c <= 3));
        // Full-width history (history_bits == log2(entries)).
        let mut p = gshare(4, 16, 4);
        for _ in 0..10 {
            p.update(0x1000, COND, true, 0x2000);
        }
        assert_eq!(p.view().history, Some((0b1111, 4)));
    }

    /// Runs `periods` of the loop pattern T,T,T,N on one branch, predicting
    /// before each resolution; returns correct predictions per period.
    fn run_loop(p: &mut Predictor, periods: usize) -> Vec<usize> {
        let pc = 0x8000_0000; // pc >> 2 = 0x2000_0000: index bits all 0
        let target = 0x7fff_fff0;
        let w = bne(5, 0, -16);
        (0..periods)
            .map(|_| {
                [true, true, true, false]
                    .into_iter()
                    .filter(|&t| {
                        let pred = p.predict(pc, w);
                        let expected = if t { target } else { pc + 4 };
                        p.update(pc, COND, t, target);
                        pred.taken == t && pred.next_pc == expected
                    })
                    .count()
            })
            .collect()
    }

    #[test]
    fn loop_pattern_bimodal_vs_gshare() {
        // 2-bit bimodal: period 1 misses the first T (BTB miss) and the N;
        // afterwards the counter cycles 2,3,3,3 -> only the N is wrong.
        let per = run_loop(&mut bimodal(2, 256, 64), 100);
        assert_eq!(per[0], 2);
        assert!(per[1..].iter().all(|&c| c == 3));
        assert_eq!(per.iter().sum::<usize>(), 2 + 3 * 99);

        // 1-bit bimodal: after the first period, both the first T and the
        // N are wrong every time.
        let per = run_loop(&mut bimodal(1, 256, 64), 100);
        assert!(per.iter().all(|&c| c == 2));
        assert_eq!(per.iter().sum::<usize>(), 200);

        // Gshare, 4 bits of history: index = history. Period 1 sees
        // histories 0000,0001,0011,0111 and period 2 1110,1101,1011,0111:
        // only the N (counter 7, 1 -> 0) is right. From period 3 the four
        // steady histories 1110,1101,1011 (counters 2 -> taken) and 0111
        // (counter 0) predict everything.
        let mut g = gshare(4, 16, 16);
        let per = run_loop(&mut g, 100);
        assert_eq!(&per[..3], &[1, 1, 4]);
        assert!(per[2..].iter().all(|&c| c == 4));
        assert_eq!(per.iter().sum::<usize>(), 2 + 4 * 98);
        let v = g.view();
        let mut expect = vec![1u8; 16];
        expect[0b0000] = 2;
        expect[0b0001] = 2;
        expect[0b0011] = 2;
        expect[0b0111] = 0;
        expect[0b1110] = 3;
        expect[0b1101] = 3;
        expect[0b1011] = 3;
        assert_eq!(v.counters, expect);
        assert_eq!(v.history, Some((0b1110, 4)));
    }

    #[test]
    fn rounds_unvalidated_sizes() {
        let p = bimodal(2, 0, 3);
        let v = p.view();
        assert_eq!((v.counters.len(), v.btb.len()), (1, 4));
        let g = gshare(9, 8, 8);
        assert_eq!(g.view().history, Some((0, 3)));
    }

    #[test]
    fn serde_round_trip_keeps_state() {
        let mut p = gshare(3, 8, 4);
        p.update(0x20, COND, true, 0x40);
        p.update(0x24, BranchKind::Jalr, true, 0x80);
        let text = ron::to_string(&p).unwrap();
        let q: Predictor = ron::from_str(&text).unwrap();
        assert_eq!(q.view(), p.view());
        assert_eq!(q.config(), p.config());
        assert_eq!(q.predict(0x24, NOP), p.predict(0x24, NOP));
    }
}
