//! The pipeline chart's view of the last cycles, kept while a run goes on
//! so that a chart can show what led to a stop anywhere inside a long run
//! (a breakpoint, a halt). Full `CycleRecord`s cost 380 bytes a cycle and
//! slowed the core 2.3 times; this keeps what the chart draws:
//! per cycle and stage, what happened and to which instruction (by the low
//! bits of its sequence number), and each instruction's tag once, in a
//! ring indexed by sequence number.

use super::Pipeline;
use super::latch::Tag;
use super::trace::{CellState, Cells};

/// Tags kept, by sequence number modulo this. At most one instruction is
/// fetched per cycle, so a window of `capacity` cycles spans fewer than
/// `capacity + 8` sequence numbers; `keep` sizes the ring above that.
const MIN_TAGS: usize = 64;

/// The most cycles kept: entries hold 16 bits of each sequence number, so
/// the tag ring (a power of two above the window) must fit in 16 bits.
pub const MAX_KEPT_CYCLES: usize = 65_000;

#[derive(Clone, Copy, Debug, Default)]
struct Entry {
    cycle: u64,
    /// Per stage: 0 nothing, else `CellState as u8 + 1`.
    state: [u8; 5],
    /// Per stage: the instruction's sequence number, low 16 bits.
    seq: [u16; 5],
}

#[derive(Clone, Debug)]
pub(super) struct History {
    entries: Vec<Entry>,
    /// Where the next entry goes, and how many are in.
    next: usize,
    len: usize,
    tags: Vec<Tag>,
}

impl History {
    fn new(cycles: usize) -> History {
        let tags = (cycles + 8).next_power_of_two().max(MIN_TAGS);
        History {
            entries: vec![Entry::default(); cycles],
            next: 0,
            len: 0,
            tags: vec![
                Tag {
                    seq: 0,
                    pc: 0,
                    word: 0
                };
                tags
            ],
        }
    }

    /// Cycles it can hold.
    pub(super) fn capacity(&self) -> usize {
        self.entries.len()
    }

    /// Adds a cycle.
    fn push(&mut self, cycle: u64, cells: &Cells) {
        let mask = self.tags.len() - 1;
        let mut e = Entry {
            cycle,
            ..Entry::default()
        };
        for (s, cell) in cells.iter().enumerate() {
            let Some((tag, state)) = *cell else {
                continue;
            };
            self.tags[tag.seq as usize & mask] = tag;
            e.state[s] = state as u8 + 1;
            e.seq[s] = tag.seq as u16;
        }
        self.entries[self.next] = e;
        self.next = (self.next + 1) % self.entries.len();
        self.len = (self.len + 1).min(self.entries.len());
    }

    fn cells(&self, e: &Entry) -> Cells {
        let mask = self.tags.len() - 1;
        std::array::from_fn(|s| {
            let state = match e.state[s] {
                0 => return None,
                1 => CellState::Ran,
                2 => CellState::Stalled,
                _ => CellState::Flushed,
            };
            Some((self.tags[e.seq[s] as usize & mask], state))
        })
    }
}

impl Pipeline {
    /// Keeps what the pipeline chart needs of the last `cycles` cycles from
    /// now on (0: keeps nothing, the default; at most `MAX_KEPT_CYCLES`). While on, the five-stage
    /// core runs about a third slower (matmul: 38 → 24–29 M cycles/s).
    /// Cycles of chart history kept (0: none).
    pub fn chart_history_capacity(&self) -> usize {
        self.history.as_ref().map_or(0, |h| h.capacity())
    }

    pub fn keep_chart_history(&mut self, cycles: usize) {
        let cycles = cycles.min(MAX_KEPT_CYCLES);
        match &self.history {
            _ if cycles == 0 => self.history = None,
            Some(h) if h.entries.len() == cycles => {}
            _ => self.history = Some(Box::new(History::new(cycles))),
        }
    }

    /// The kept cycles, oldest first: each cycle's number and, per stage
    /// (indexed as `Stage`), the instruction there and what it did.
    pub fn chart_history(&self) -> impl Iterator<Item = (u64, Cells)> + '_ {
        self.history.iter().flat_map(|h| {
            let cap = h.entries.len();
            let start = (h.next + cap - h.len) % cap;
            (0..h.len).map(move |k| {
                let e = &h.entries[(start + k) % cap];
                (e.cycle, h.cells(e))
            })
        })
    }

    /// Adds the last cycle to the kept history, if one is kept.
    #[inline(always)]
    pub(super) fn remember_cycle(&mut self) {
        if self.history.is_none() {
            return;
        }
        let cells: Cells = std::array::from_fn(|s| match self.ran_tag(s) {
            Some(tag) => Some((tag, CellState::Ran)),
            None => CellState::of(self.rec.stages[s]),
        });
        let cycle = self.rec.cycle;
        if let Some(h) = self.history.as_deref_mut() {
            h.push(cycle, &cells);
        }
    }
}

/// The pipeline chart of the last `window` cycles before `now`, rebuilt by
/// running a copy of `base`, an earlier state of the same run (nothing
/// edited in between: the run is a pure function of its state). This is
/// how a stop anywhere inside a run that kept no history (the fast path,
/// bulks at full speed) still gets the chart of the cycles that led to
/// it, with every stall and flush cause. `None` when `base` is not an
/// earlier state of `now`'s run (the copy does not arrive at the same
/// cycle, instruction count and pc).
pub fn replay_chart(
    base: &crate::machine::Machine,
    now: &crate::machine::Machine,
    window: u64,
) -> Option<super::trace::ChartRecorder> {
    use crate::machine::StopReason;
    if base.pipeline.is_none() || base.cycle > now.cycle || base.instret > now.instret {
        return None;
    }
    let mut m = base.clone();
    // The copy runs straight to the cycle: its breakpoints, watchpoints
    // and event stops are not stops.
    m.breakpoints.clear();
    m.set_triggers(crate::machine::Triggers::default());
    if let Some(p) = m.pipeline.as_mut() {
        p.keep_chart_history(0);
    }
    let start = now.cycle.saturating_sub(window).max(base.cycle);
    while m.cycle < start {
        if m.run(start - m.cycle) != StopReason::CycleLimit {
            return None;
        }
    }
    let mut chart = super::trace::ChartRecorder::new(start, start + window.max(1));
    while m.cycle < now.cycle {
        let stop = m.step();
        chart.record(&m.pipeline.as_ref()?.last());
        if stop != StopReason::CycleLimit && m.cycle < now.cycle {
            return None;
        }
    }
    let same = m.cycle == now.cycle && m.instret == now.instret && m.hart.pc == now.hart.pc;
    same.then_some(chart)
}
