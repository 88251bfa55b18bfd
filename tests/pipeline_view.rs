//! What the pipeline view and the chart say, cycle by cycle: the stages
//! show the cycle just finished (the chart's newest column), each badge and
//! reason is about the instruction shown, a frozen IF is held, the first
//! cycle of a miss is a miss, and the chart's cells carry the view's words.

use glassbox::Machine;
use glassbox::asm::{AsmOptions, assemble};
use glassbox::config::MachineConfig;
use glassbox::memory::Level;
use glassbox::pipeline::history::replay_chart;
use glassbox::pipeline::record::{Stage, StageEvent, StallCause};
use glassbox::pipeline::trace::{CellNote, CellState, ChartRecorder};
use glassbox::pipeline::view::{StageState, describe_cell};

/// The program: a store, then a load of the same word.
const STORE_LOAD: &str = "    .globl _start
_start:
    addi sp, sp, -16
    li t1, 5
    sw t1, 0(sp)
    lw t0, 0(sp)
    mv a0, t1
    add a0, a0, t0
    li a7, 93
    ecall
";

fn machine(preset: &str, source: &str) -> Machine {
    let program = assemble(source, &AsmOptions::default()).expect("assembles");
    let mut m = Machine::new(MachineConfig::preset(preset).expect("preset")).unwrap();
    m.load(&program.image);
    m
}

/// Steps to the end, recording the chart and the view after every cycle.
fn walk(m: &mut Machine) -> (ChartRecorder, Vec<glassbox::pipeline::view::PipelineView>) {
    let mut chart = ChartRecorder::new(0, 100_000);
    let mut views = Vec::new();
    while m.halt.is_none() && m.cycle < 100_000 {
        m.step();
        chart.record(&m.pipeline.as_ref().unwrap().last());
        views.push(m.pipeline_view().unwrap());
    }
    (chart, views)
}

#[test]
fn the_view_and_the_charts_newest_column_are_one_cycle() {
    for preset in ["default", "textbook", "classic-l1", "no-forwarding"] {
        let mut m = machine(preset, STORE_LOAD);
        let mut chart = ChartRecorder::new(0, 100_000);
        while m.halt.is_none() {
            m.step();
            chart.record(&m.pipeline.as_ref().unwrap().last());
            let view = m.pipeline_view().unwrap();
            // The chart's newest column is labelled with the cycle count.
            let (_, last) = chart.recorded_cycles().unwrap();
            assert_eq!(last + 1, view.cycle);
            for sv in &view.stages {
                let in_chart: Vec<u64> = chart
                    .rows()
                    .filter(|r| r.cell_at(last).is_some_and(|c| c.stage == sv.stage))
                    .map(|r| r.seq)
                    .collect();
                let shown: Vec<u64> = sv.instr.iter().filter_map(|i| i.seq).collect();
                assert_eq!(
                    shown,
                    in_chart,
                    "{preset}, cycle {}, {}",
                    view.cycle,
                    sv.stage.name()
                );
            }
        }
    }
}

#[test]
fn a_cache_miss_badge_is_about_the_instruction_shown() {
    let mut m = machine("default", STORE_LOAD);
    let (_, views) = walk(&mut m);
    let text = |sv: &glassbox::pipeline::view::StageView| {
        sv.instr.as_ref().map(|i| i.text.replace('\t', " "))
    };
    // The last cycle of the store's data-cache fill: MEM shows the store,
    // whose miss it is, and says the fill completes.
    let k = views
        .iter()
        .position(|v| {
            matches!(
                v.stages[Stage::Mem as usize].last,
                StageEvent::Stalled(
                    _,
                    StallCause::CacheMiss {
                        data: true,
                        left: 0,
                        ..
                    }
                )
            )
        })
        .expect("the store misses in L1D");
    let mem = &views[k].stages[Stage::Mem as usize];
    assert_eq!(text(mem).as_deref(), Some("sw t1,0(sp)"));
    assert_eq!(mem.state, Some(StageState::CacheMiss));
    let sp = m.hart.reg(2);
    assert_eq!(
        mem.note.as_deref(),
        Some(format!("data-cache miss at {sp:#010x}: the fill completes in this cycle").as_str())
    );
    // The next cycle the load is in MEM: the line is there, no badge.
    let mem = &views[k + 1].stages[Stage::Mem as usize];
    assert_eq!(text(mem).as_deref(), Some("lw t0,0(sp)"));
    assert_eq!((mem.state, &mem.note), (None, &None));
    // Every badge is about its own instruction.
    for v in &views {
        for sv in &v.stages {
            assert_eq!(sv.instr.as_ref().map(|i| i.pc), sv.last.tag().map(|t| t.pc));
            assert_eq!(sv.state, StageState::of(&sv.last));
        }
    }
}

#[test]
fn a_frozen_if_is_held_not_a_bubble() {
    let mut m = machine("default", STORE_LOAD);
    let (chart, views) = walk(&mut m);
    // Cycles in which the store's data-cache miss freezes the pipeline
    // (all but the fill's last).
    let frozen: Vec<&glassbox::pipeline::view::PipelineView> = views
        .iter()
        .filter(|v| {
            matches!(
                v.stages[Stage::Mem as usize].last,
                StageEvent::Stalled(_, StallCause::CacheMiss { data: true, left, .. }) if left > 0
            )
        })
        .collect();
    assert!(frozen.len() > 50, "{} frozen cycles", frozen.len());
    // IF holds the instruction at its PC, the one fetched when the
    // pipeline moves again: the `add` after `mv a0,t1`'s fetch... whichever
    // it is, it is held, and the chart marks it IF* in those cycles.
    let held_pc = frozen[0].stages[Stage::If as usize]
        .instr
        .as_ref()
        .expect("IF holds an instruction")
        .pc;
    for v in &frozen {
        let sv = &v.stages[Stage::If as usize];
        assert_eq!(sv.state, Some(StageState::Held), "cycle {}", v.cycle);
        assert_eq!(sv.instr.as_ref().map(|i| i.pc), Some(held_pc));
        assert_eq!(sv.note.as_deref(), Some("held: the stage ahead is stalled"));
    }
    let row = chart
        .rows()
        .find(|r| r.pc == held_pc && r.cell_at(frozen[0].cycle - 1).is_some())
        .expect("a chart row for the held instruction");
    for v in &frozen {
        let cell = row
            .cell_at(v.cycle - 1)
            .expect("a cell in every frozen cycle");
        assert_eq!((cell.stage, cell.state), (Stage::If, CellState::Stalled));
        // The chart's tooltip, in the view's words.
        assert_eq!(
            describe_cell(&m, &cell),
            "held in IF: the stage ahead is stalled"
        );
    }
    // It is fetched (worked in IF) in the cycle the pipeline moves again.
    let after = frozen.last().unwrap().cycle;
    let cell = row.cell_at(after).expect("fetched next");
    assert_eq!((cell.stage, cell.state), (Stage::If, CellState::Ran));
}

#[test]
fn the_first_cycle_of_an_instruction_cache_miss_is_a_miss() {
    // default: L1I and L2 miss: the L2's 10 cycles and memory's 100.
    let mut m = machine("default", STORE_LOAD);
    m.step();
    let v = m.pipeline_view().unwrap();
    let fetch = &v.stages[Stage::If as usize];
    assert_eq!(fetch.state, Some(StageState::CacheMiss));
    assert_eq!(
        fetch.note.as_deref(),
        Some("instruction-cache miss at 0x80000000: the fill needs 110 more cycles")
    );
    let mut chart = ChartRecorder::new(0, 10);
    chart.record(&m.pipeline.as_ref().unwrap().last());
    let row = chart.rows().next().expect("the first instruction");
    let cell = row.cell_at(0).expect("cycle 1");
    assert_eq!((cell.stage, cell.state), (Stage::If, CellState::Stalled));
    assert_eq!(
        describe_cell(&m, &cell),
        "held in IF: instruction-cache miss at 0x80000000: the fill needs 110 more cycles"
    );
}

#[test]
fn chart_cells_explain_themselves_with_the_views_words() {
    let source = "    .globl _start
_start:
    lw t0, -4(sp)
    add t1, t0, t0
    li a7, 93
    ecall
";
    let mut m = machine("textbook", source);
    let (chart, views) = walk(&mut m);
    let add = chart.rows().nth(1).expect("the add");
    let stalled: Vec<_> = add
        .cells()
        .filter(|c| c.2 == CellState::Stalled)
        .map(|c| add.cell_at(c.0).unwrap())
        .collect();
    assert_eq!(stalled.len(), 1);
    let cell = stalled[0];
    assert_eq!(
        cell.note,
        Some(CellNote::Stall(StallCause::LoadUse {
            reg: 5,
            producer_pc: 0x8000_0000
        }))
    );
    assert_eq!(
        describe_cell(&m, &cell),
        "stalled in ID: load-use: t0 from lw at 0x80000000"
    );
    // The datapath view said the same in that cycle.
    let view = &views[cell.cycle as usize];
    assert_eq!(
        view.stages[Stage::Id as usize].note.as_deref(),
        Some("load-use: t0 from lw at 0x80000000")
    );
    // The legend's marks: the stall in ID and the one in IF behind it.
    assert_eq!(
        chart.marks_used(),
        [
            (Stage::If, CellState::Stalled),
            (Stage::Id, CellState::Stalled)
        ]
    );
}

#[test]
fn a_replayed_chart_equals_the_one_recorded_cycle_by_cycle() {
    for preset in ["default", "textbook", "classic-l1", "no-forwarding"] {
        let mut stepped = machine(preset, STORE_LOAD);
        let (full, _) = walk(&mut stepped);
        let base = machine(preset, STORE_LOAD);
        let mut fast = base.clone();
        fast.run(u64::MAX);
        assert_eq!(fast.cycle, stepped.cycle);
        let window = fast.cycle / 2;
        let replayed = replay_chart(&base, &fast, window).expect("a replay");
        let (first, last) = replayed.recorded_cycles().unwrap();
        assert_eq!(
            (first, last + 1),
            (fast.cycle - window, fast.cycle),
            "{preset}"
        );
        // The same cells, with their causes, as the last columns recorded
        // cycle by cycle.
        let mut tail = ChartRecorder::new(fast.cycle - window, fast.cycle);
        let mut again = base.clone();
        while again.cycle < fast.cycle {
            again.step();
            tail.record(&again.pipeline.as_ref().unwrap().last());
        }
        assert_eq!(
            replayed.to_csv(fast.symbols()),
            tail.to_csv(fast.symbols()),
            "{preset}"
        );
        assert!(full.recorded_cycles().is_some());
        // A base from another run does not lead here.
        let other = machine(preset, "    .globl _start\n_start:\n    j _start\n");
        assert!(replay_chart(&other, &fast, window).is_none());
    }
}

#[test]
fn the_last_cache_access_is_kept_however_the_machine_runs() {
    let mut stepped = machine("default", STORE_LOAD);
    let mut seen = [None; 3];
    while stepped.halt.is_none() {
        let now = stepped.cycle;
        stepped.step();
        for (level, ev) in &stepped.memory.as_ref().unwrap().events {
            seen[*level as usize] = Some((now, *ev));
        }
    }
    let mut fast = machine("default", STORE_LOAD);
    fast.run(u64::MAX);
    let h = fast.memory.as_ref().unwrap();
    for level in [Level::L1i, Level::L1d, Level::L2] {
        assert!(seen[level as usize].is_some());
        assert_eq!(h.last_access(level), seen[level as usize], "{level:?}");
    }
}

#[test]
fn every_instruction_cache_miss_is_marked_from_its_first_cycle() {
    for preset in ["default", "classic-l1"] {
        let mut m = machine(preset, STORE_LOAD);
        let mut chart = ChartRecorder::new(0, 100_000);
        let mut misses = 0;
        while m.halt.is_none() {
            m.step();
            chart.record(&m.pipeline.as_ref().unwrap().last());
            let missed = m
                .memory
                .as_ref()
                .unwrap()
                .events
                .iter()
                .any(|(level, ev)| *level == Level::L1i && !ev.hit);
            if !missed {
                continue;
            }
            misses += 1;
            // The cycle the Caches view reports the miss, IF shows it.
            let v = m.pipeline_view().unwrap();
            let fetch = &v.stages[Stage::If as usize];
            assert_eq!(
                fetch.state,
                Some(StageState::CacheMiss),
                "{preset}, cycle {}",
                v.cycle
            );
            let pc = fetch.instr.as_ref().expect("IF holds the instruction").pc;
            let row = chart.rows().rev().find(|r| r.pc == pc).unwrap();
            let cell = row.cell_at(v.cycle - 1).expect("a chart cell");
            assert_eq!((cell.stage, cell.state), (Stage::If, CellState::Stalled));
            assert!(
                describe_cell(&m, &cell).starts_with("held in IF: instruction-cache miss at "),
                "{}",
                describe_cell(&m, &cell)
            );
        }
        assert!(misses >= 2, "{preset}: {misses} misses");
    }
}

/// A chart that slides by one cycle per step past its end equals one
/// recorded for the final window from the start: same rows, same cells,
/// same causes.
#[test]
fn a_sliding_chart_equals_the_chart_of_its_last_window() {
    for preset in ["default", "textbook", "no-forwarding"] {
        let base = machine(preset, STORE_LOAD);
        let mut m = base.clone();
        let window = 4;
        let mut sliding = ChartRecorder::new(0, window);
        while m.halt.is_none() {
            m.step();
            let now = m.cycle - 1;
            if !sliding.wants(now) {
                sliding.slide(now + 1 - window);
            }
            sliding.record(&m.pipeline.as_ref().unwrap().last());
        }
        let end = m.cycle;
        assert!(end >= 3 * window, "{preset}: {end} cycles");
        assert_eq!(sliding.range(), (end - window, end), "{preset}");
        let mut direct = ChartRecorder::new(end - window, end);
        let mut again = base.clone();
        while again.cycle < end {
            again.step();
            direct.record(&again.pipeline.as_ref().unwrap().last());
        }
        assert_eq!(
            sliding.to_csv(m.symbols()),
            direct.to_csv(m.symbols()),
            "{preset}"
        );
        assert_eq!(sliding.to_text(m.symbols()), direct.to_text(m.symbols()));
    }
}
