//! The pipeline chart ("pipeline trace"): the classic textbook picture with
//! one row per instruction and one column per cycle, built from the
//! per-cycle [`CycleRecord`]s the pipeline leaves in `Pipeline::last`.
//!
//! The recorder only copies what each stage did (a few bytes per occupied
//! stage); disassembly happens when the chart is rendered, so recording
//! costs little in the run loop. Recording is bounded by [`MAX_CYCLES`].

use super::latch::Tag;
use super::record::{CycleRecord, FlushCause, Stage, StageEvent, StallCause};
use crate::disasm::disasm;
use crate::symbols::SymbolTable;
use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write;

/// At most this many cycles are recorded; later cycles in the range are
/// dropped and the outputs say so.
pub const MAX_CYCLES: usize = 100_000;

/// Cycles per block of the text chart: a long range prints as successive
/// blocks, each with its own header, so the output stays proportional to
/// the number of cells rather than to rows times columns.
const BLOCK_CYCLES: u64 = 32;

/// Width of the disassembly in the text chart's left column.
const DISASM_WIDTH: usize = 24;

/// Per stage (indexed as `Stage`): the instruction there and what it did.
pub type Cells = [Option<(Tag, CellState)>; 5];

/// What an instruction did in one cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellState {
    /// Worked in the stage and moved on.
    Ran,
    /// Held in the stage (could not advance).
    Stalled,
    /// Thrown away from the stage.
    Flushed,
}

impl CellState {
    /// The instruction a stage event is about and what it did, if any.
    pub fn of(event: StageEvent) -> Option<(Tag, CellState)> {
        match event {
            StageEvent::Bubble => None,
            StageEvent::Ran(t) => Some((t, CellState::Ran)),
            StageEvent::Stalled(t, _) => Some((t, CellState::Stalled)),
            StageEvent::Flushed(t, _) => Some((t, CellState::Flushed)),
        }
    }

    fn name(self) -> &'static str {
        match self {
            CellState::Ran => "ran",
            CellState::Stalled => "stalled",
            CellState::Flushed => "flushed",
        }
    }
}

/// Why a cell is stalled or flushed, when the chart was recorded from
/// full records (`ChartRecorder::record`): the same cause the pipeline
/// view puts in words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellNote {
    Stall(StallCause),
    Flush(FlushCause),
}

impl CellNote {
    pub fn of(event: StageEvent) -> Option<CellNote> {
        match event {
            StageEvent::Stalled(_, c) => Some(CellNote::Stall(c)),
            StageEvent::Flushed(_, c) => Some(CellNote::Flush(c)),
            StageEvent::Bubble | StageEvent::Ran(_) => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cell {
    /// Cycles completed before this one (`CycleRecord::cycle`).
    cycle: u64,
    stage: Stage,
    state: CellState,
    note: Option<CellNote>,
}

/// One cell of the chart, for drawing and explaining it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChartCell {
    /// `CycleRecord::cycle` (labelled one more).
    pub cycle: u64,
    pub stage: Stage,
    pub state: CellState,
    /// The stall or flush cause, if recorded.
    pub note: Option<CellNote>,
}

impl Cell {
    /// The chart's notation: `ID` ran, `ID*` stalled, `ID/X` flushed.
    fn text(self) -> String {
        let name = self.stage.name();
        match self.state {
            CellState::Ran => name.to_string(),
            CellState::Stalled => format!("{name}*"),
            CellState::Flushed => format!("{name}/X"),
        }
    }
}

#[derive(Clone, Debug)]
struct Row {
    pc: u32,
    word: u32,
    /// In cycle order, at most one per cycle.
    cells: Vec<Cell>,
}

/// Records the classic pipeline chart: one row per instruction (by fetch
/// sequence number), one column per cycle.
///
/// **Cycle numbering.** `CycleRecord::cycle` counts the cycles completed
/// before a cycle, so the first cycle after reset is cycle 0 internally.
/// The range given to [`ChartRecorder::new`] uses those numbers (`[from,
/// to)`), but both outputs *label* cycle `k` as `k + 1`, so the first cycle
/// is 1 as in textbooks, and the label of the last cycle of a run equals
/// the machine's cycle count afterwards.
///
/// **Text chart** ([`ChartRecorder::to_text`]): a header row
/// `pc  instruction` followed by cycle labels, then one row per instruction
/// in fetch order: its pc (8 hex digits), its disassembly (truncated to a
/// fixed width, ending in `...` when cut) and one fixed-width cell per
/// cycle:
/// - `IF` `ID` `EX` `MEM` `WB`: the instruction worked in that stage;
/// - `ID*`: it was held (stalled) in that stage for the cycle;
/// - `ID/X`: it was flushed (squashed) from that stage in the cycle; its
///   row ends there;
/// - blank: not in the pipeline (not yet fetched, or gone).
///
/// Lines carry no trailing spaces. More than 32 cycles print as successive
/// blocks of 32 columns, each with its header, separated by a blank line.
/// A legend line closes the chart, followed by a note if recording was
/// truncated at [`MAX_CYCLES`].
///
/// **CSV** ([`ChartRecorder::to_csv`]): long format, one line per cell,
/// `seq,pc,instruction,cycle,stage,state`, ordered by `seq` then `cycle`:
/// `seq` is the fetch sequence number, `pc` is `0x`-prefixed hex (so
/// spreadsheets keep it as text), `instruction` the full disassembly
/// (quoted as RFC 4180 requires: it contains commas), `cycle` the 1-based
/// label as in the text chart, `stage` one of `IF ID EX MEM WB` and
/// `state` one of `ran stalled flushed`. If recording was truncated, a last
/// line `,,,N,,truncated` gives the label of the first cycle not recorded.
///
/// Recording the same cycle again (a `step` on a halted machine leaves the
/// last record in place; a cycle repeated while waiting for console input)
/// replaces that cycle's cells; recording an older cycle (after restoring
/// a snapshot) forgets everything from that cycle on. [`ChartRecorder::slide`]
/// moves the range later, keeping its length and the cycles still in it.
#[derive(Clone, Debug, Default)]
pub struct ChartRecorder {
    from: u64,
    to: u64,
    /// Rows by sequence number.
    rows: BTreeMap<u64, Row>,
    /// The recorded cycle numbers, increasing (a deque: `slide` drops
    /// from the front).
    cycles: VecDeque<u64>,
    /// The cells of the last recorded cycle, to skip a repeated record.
    last_cells: Cells,
    /// The first cycle dropped because of [`MAX_CYCLES`].
    truncated_at: Option<u64>,
}

impl ChartRecorder {
    /// A recorder for the cycles `from <= CycleRecord::cycle < to` (labelled
    /// `from + 1 ..= to` in the outputs).
    pub fn new(from_cycle: u64, to_cycle: u64) -> Self {
        ChartRecorder {
            from: from_cycle,
            to: to_cycle,
            ..ChartRecorder::default()
        }
    }

    /// Whether a cycle (`CycleRecord::cycle`) is in the recorded range: a
    /// cheap check for the run loop.
    #[inline]
    pub fn wants(&self, cycle: u64) -> bool {
        cycle >= self.from && cycle < self.to
    }

    /// Records one cycle; call after each cycle with `pipeline.last()`.
    /// Cycles outside the range are ignored.
    pub fn record(&mut self, rec: &CycleRecord) {
        self.record_noted(
            rec.cycle,
            rec.stages.map(CellState::of),
            rec.stages.map(CellNote::of),
        );
    }

    /// Records one cycle given, per stage, the instruction there and what
    /// it did (as `Pipeline::chart_history` yields them, without causes).
    pub fn record_cells(&mut self, cycle: u64, cells: Cells) {
        self.record_noted(cycle, cells, [None; 5]);
    }

    fn record_noted(&mut self, cycle: u64, cells: Cells, notes: [Option<CellNote>; 5]) {
        if !self.wants(cycle) {
            return;
        }
        match self.cycles.back() {
            Some(&last) if cycle == last && cells == self.last_cells => return,
            Some(&last) if cycle <= last => self.forget_from(cycle),
            _ => {}
        }
        if self.cycles.len() >= MAX_CYCLES {
            self.truncated_at.get_or_insert(cycle);
            return;
        }
        self.cycles.push_back(cycle);
        self.last_cells = cells;
        // Deepest stage first: if one instruction were reported in two
        // stages, the older position wins.
        let mut seen = [u64::MAX; 5];
        for (i, stage) in Stage::ALL.iter().enumerate().rev() {
            let Some((tag, state)) = cells[i] else {
                continue;
            };
            if seen.contains(&tag.seq) {
                continue;
            }
            seen[i] = tag.seq;
            let row = self.rows.entry(tag.seq).or_insert_with(|| Row {
                pc: tag.pc,
                word: tag.word,
                cells: Vec::new(),
            });
            row.cells.push(Cell {
                cycle,
                stage: *stage,
                state,
                note: notes[i],
            });
        }
    }

    /// Drops everything recorded for `cycle` and later.
    fn forget_from(&mut self, cycle: u64) {
        let keep = self.cycles.partition_point(|&c| c < cycle);
        self.cycles.truncate(keep);
        self.truncated_at = None;
        self.last_cells = [None; 5];
        self.rows.retain(|_, row| {
            let keep = row.cells.partition_point(|c| c.cycle < cycle);
            row.cells.truncate(keep);
            !row.cells.is_empty()
        });
    }

    /// Moves the range to start at `from_cycle`, keeping its length, and
    /// forgets the cycles before it: a sliding window, so that stepping on
    /// past the range's end keeps the cycles that led there. The result
    /// equals a recorder made for the new range that saw the same cycles.
    /// Costs what is dropped, not the window: rows enter in fetch order
    /// (at most one fetch a cycle), so their first cycles never decrease
    /// and the rows to trim are a prefix.
    pub fn slide(&mut self, from_cycle: u64) {
        if from_cycle <= self.from {
            return;
        }
        self.to = from_cycle.saturating_add(self.to.saturating_sub(self.from));
        self.from = from_cycle;
        while self.cycles.front().is_some_and(|&c| c < from_cycle) {
            self.cycles.pop_front();
        }
        let mut next = 0;
        while let Some((&seq, row)) = self.rows.range_mut(next..).next() {
            if row.cells.first().is_none_or(|c| c.cycle >= from_cycle) {
                break;
            }
            let gone = row.cells.partition_point(|c| c.cycle < from_cycle);
            row.cells.drain(..gone);
            if row.cells.is_empty() {
                self.rows.remove(&seq);
            }
            next = seq.saturating_add(1);
        }
        if self.cycles.is_empty() {
            self.last_cells = [None; 5];
        }
    }

    /// True when nothing has been recorded.
    pub fn is_empty(&self) -> bool {
        self.cycles.is_empty()
    }

    /// True when cycles in the range were dropped because of [`MAX_CYCLES`].
    pub fn is_truncated(&self) -> bool {
        self.truncated_at.is_some()
    }

    /// The chart as text (see the type's documentation for the notation).
    pub fn to_text(&self, symbols: &SymbolTable) -> String {
        let mut out = String::new();
        let (Some(&first), Some(&last)) = (self.cycles.front(), self.cycles.back()) else {
            out.push_str("(no cycles recorded)\n");
            self.truncation_note(&mut out);
            return out;
        };
        // Rows per block, in sequence order.
        let block_of = |cycle: u64| ((cycle - first) / BLOCK_CYCLES) as usize;
        let mut blocks: Vec<Vec<&Row>> = vec![Vec::new(); block_of(last) + 1];
        for row in self.rows.values() {
            let (Some(a), Some(b)) = (row.cells.first(), row.cells.last()) else {
                continue;
            };
            for block in &mut blocks[block_of(a.cycle)..=block_of(b.cycle)] {
                block.push(row);
            }
        }
        for (i, rows) in blocks.iter().enumerate() {
            let start = first + i as u64 * BLOCK_CYCLES;
            let end = (start + BLOCK_CYCLES).min(last + 1);
            if i > 0 {
                out.push('\n');
            }
            render_block(&mut out, start, end, rows, symbols);
        }
        out.push_str("legend: IF ID EX MEM WB = stage worked in   ID* = stalled in ID   ID/X = flushed from ID\n");
        self.truncation_note(&mut out);
        out
    }

    fn truncation_note(&self, out: &mut String) {
        if let Some(c) = self.truncated_at {
            let _ = writeln!(
                out,
                "note: recording stopped after {MAX_CYCLES} cycles; cycles from {} on are not shown",
                c + 1
            );
        }
    }

    /// The chart as long-format CSV (see the type's documentation).
    pub fn to_csv(&self, symbols: &SymbolTable) -> String {
        let mut out = String::from("seq,pc,instruction,cycle,stage,state\n");
        for (seq, row) in &self.rows {
            let inst = csv_field(&instruction_text(row, symbols));
            for cell in &row.cells {
                let _ = writeln!(
                    out,
                    "{seq},0x{:08x},{inst},{},{},{}",
                    row.pc,
                    cell.cycle + 1,
                    cell.stage.name(),
                    cell.state.name()
                );
            }
        }
        if let Some(c) = self.truncated_at {
            let _ = writeln!(out, ",,,{},,truncated", c + 1);
        }
        out
    }
}

/// One instruction's row of a [`ChartRecorder`], for drawing the chart
/// (read-only).
#[derive(Clone, Copy, Debug)]
pub struct ChartRow<'a> {
    /// The fetch sequence number.
    pub seq: u64,
    pub pc: u32,
    pub word: u32,
    cells: &'a [Cell],
}

impl<'a> ChartRow<'a> {
    /// The row's cells in cycle order: (`CycleRecord::cycle`, stage,
    /// state), at most one per cycle.
    pub fn cells(&self) -> impl DoubleEndedIterator<Item = (u64, Stage, CellState)> + 'a {
        self.cells.iter().map(|c| (c.cycle, c.stage, c.state))
    }

    /// The cells of the cycles `from <= cycle < to`, in cycle order.
    pub fn cells_in(
        &self,
        from: u64,
        to: u64,
    ) -> impl DoubleEndedIterator<Item = (u64, Stage, CellState)> + 'a {
        let lo = self.cells.partition_point(|c| c.cycle < from);
        let hi = self.cells.partition_point(|c| c.cycle < to).max(lo);
        self.cells[lo..hi]
            .iter()
            .map(|c| (c.cycle, c.stage, c.state))
    }

    /// The row's cell in a cycle, with its cause.
    pub fn cell_at(&self, cycle: u64) -> Option<ChartCell> {
        let i = self.cells.partition_point(|c| c.cycle < cycle);
        let c = self.cells.get(i).filter(|c| c.cycle == cycle)?;
        Some(ChartCell {
            cycle: c.cycle,
            stage: c.stage,
            state: c.state,
            note: c.note,
        })
    }

    /// The first and last cycle the row has a cell in.
    pub fn span(&self) -> Option<(u64, u64)> {
        Some((self.cells.first()?.cycle, self.cells.last()?.cycle))
    }

    /// The disassembly on one line.
    pub fn text(&self, symbols: &SymbolTable) -> String {
        disasm(self.word, self.pc, symbols).replace('\t', " ")
    }
}

/// What a mark of the chart means in general, for legends: `IF*` is
/// "held in IF: an instruction-cache miss, or a stall ahead".
pub fn mark_meaning(stage: Stage, state: CellState) -> &'static str {
    match (state, stage) {
        (CellState::Ran, _) => "worked in the stage",
        (CellState::Stalled, Stage::If) => {
            "held in IF: an instruction-cache miss, or a stall or a data-cache miss ahead"
        }
        (CellState::Stalled, Stage::Id) => {
            "stalled in ID: a data hazard (load-use), serialization or wfi, or held behind EX"
        }
        (CellState::Stalled, Stage::Ex) => {
            "held in EX: a multi-cycle operation (mul, div), or a data-cache miss ahead"
        }
        (CellState::Stalled, Stage::Mem) => "held in MEM: a data-cache miss (fill)",
        (CellState::Stalled, Stage::Wb) => "held in WB",
        (CellState::Flushed, _) => "flushed (thrown away) from the stage",
    }
}

/// The chart's notation for one cell: `ID` ran, `ID*` stalled, `ID/X`
/// flushed.
pub fn cell_text(stage: Stage, state: CellState) -> String {
    Cell {
        cycle: 0,
        stage,
        state,
        note: None,
    }
    .text()
}

impl ChartRecorder {
    /// The recorded range `[from, to)` given to [`ChartRecorder::new`].
    pub fn range(&self) -> (u64, u64) {
        (self.from, self.to)
    }

    /// The first and last recorded cycle (`CycleRecord::cycle`; labelled
    /// one more in the outputs), if any.
    pub fn recorded_cycles(&self) -> Option<(u64, u64)> {
        Some((*self.cycles.front()?, *self.cycles.back()?))
    }

    /// The marks the chart uses that are not plain stage names
    /// (`IF*`, `MEM*`, `ID/X`, ...), in stage order, stalls first.
    pub fn marks_used(&self) -> Vec<(Stage, CellState)> {
        let mut used = [[false; 5]; 2];
        for c in self.rows.values().flat_map(|r| &r.cells) {
            match c.state {
                CellState::Stalled => used[0][c.stage as usize] = true,
                CellState::Flushed => used[1][c.stage as usize] = true,
                CellState::Ran => {}
            }
        }
        let mut out = Vec::new();
        for (k, state) in [CellState::Stalled, CellState::Flushed]
            .into_iter()
            .enumerate()
        {
            for stage in Stage::ALL {
                if used[k][stage as usize] {
                    out.push((stage, state));
                }
            }
        }
        out
    }

    /// The number of rows (instructions).
    pub fn row_count(&self) -> usize {
        self.rows.len()
    }

    /// The rows in fetch order.
    pub fn rows(&self) -> impl DoubleEndedIterator<Item = ChartRow<'_>> + ExactSizeIterator {
        self.rows.iter().map(|(&seq, row)| ChartRow {
            seq,
            pc: row.pc,
            word: row.word,
            cells: &row.cells,
        })
    }

    /// The first cycle dropped because of [`MAX_CYCLES`], if any.
    pub fn truncated_at(&self) -> Option<u64> {
        self.truncated_at
    }
}

/// One block of the text chart: cycles `[start, end)`.
fn render_block(out: &mut String, start: u64, end: u64, rows: &[&Row], symbols: &SymbolTable) {
    // Every cell of the block is as wide as its widest label or content,
    // plus one space.
    let label_width = end.to_string().len();
    let content_width = rows
        .iter()
        .flat_map(|r| r.cells.iter())
        .filter(|c| (start..end).contains(&c.cycle))
        .map(|c| c.text().len())
        .max()
        .unwrap_or(0);
    let width = label_width.max(content_width).max(4) + 1;

    let mut header = format!("{:<8}  {:<DISASM_WIDTH$}", "pc", "instruction");
    for cycle in start..end {
        let _ = write!(header, " {:<w$}", cycle + 1, w = width - 1);
    }
    push_line(out, &header);

    for row in rows {
        let lo = row.cells.partition_point(|c| c.cycle < start);
        let hi = row.cells.partition_point(|c| c.cycle < end);
        if lo == hi {
            continue;
        }
        let text = truncate(&instruction_text(row, symbols), DISASM_WIDTH);
        let mut line = format!("{:08x}  {:<DISASM_WIDTH$}", row.pc, text);
        let mut cells = row.cells[lo..hi].iter().peekable();
        for cycle in start..end {
            match cells.next_if(|c| c.cycle == cycle) {
                Some(c) => {
                    let _ = write!(line, " {:<w$}", c.text(), w = width - 1);
                }
                None => line.push_str(&" ".repeat(width)),
            }
        }
        push_line(out, &line);
    }
}

/// Appends `line` without trailing spaces, and a newline.
fn push_line(out: &mut String, line: &str) {
    out.push_str(line.trim_end());
    out.push('\n');
}

/// The disassembly on one line (the disassembler separates mnemonic and
/// operands with a tab).
fn instruction_text(row: &Row, symbols: &SymbolTable) -> String {
    disasm(row.word, row.pc, symbols).replace('\t', " ")
}

/// `s` cut to `width` characters, ending in `...` when cut.
fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(width - 3).collect();
        t.push_str("...");
        t
    }
}

/// A CSV field, quoted when it holds a comma, quote or line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        assert_eq!(csv_field("ecall"), "ecall");
        assert_eq!(csv_field("add t1,t0,t0"), "\"add t1,t0,t0\"");
        assert_eq!(csv_field("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn truncation_keeps_the_width() {
        assert_eq!(truncate("abc", 5), "abc");
        assert_eq!(truncate("abcdefgh", 5), "ab...");
    }
}
