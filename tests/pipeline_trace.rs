//! The pipeline chart: golden charts for the timing contract's examples,
//! written by hand from the textbook rules, and the CSV export.

mod support;

use glassbox::Machine;
use glassbox::config::MachineConfig;
use glassbox::pipeline::trace::ChartRecorder;
use support::enc::*;
use support::{A0, A7, SP, T0, T1, load};

const BASE: u32 = 0x8000_0000;

fn machine(words: &[u32]) -> Machine {
    let config = MachineConfig::preset("textbook").expect("textbook preset");
    let mut m = Machine::new(config).unwrap();
    load(&mut m, BASE, words);
    m
}

// In the cycle where the exiting `ecall` is in WB, the machine halts
// before the younger stages work, so the instructions fetched behind the
// `ecall` (zero parcels, 16-bit `unimp` with C) show no cell in that last cycle.

/// Steps `cycles` cycles one at a time (past the end of the program too:
/// a step on a halted machine does nothing), recording `[from, to)`.
fn chart(words: &[u32], from: u64, to: u64, cycles: u64) -> (Machine, ChartRecorder) {
    let mut m = machine(words);
    let mut rec = ChartRecorder::new(from, to);
    for _ in 0..cycles {
        m.step();
        rec.record(&m.pipeline.as_ref().unwrap().last());
    }
    (m, rec)
}

fn straight_line() -> Vec<u32> {
    vec![
        addi(T0, 0, 1),
        addi(T1, 0, 2),
        addi(A0, 0, 0),
        addi(A7, 0, 93),
        ecall(),
    ]
}

fn load_use() -> Vec<u32> {
    vec![
        lw(T0, SP, -4),
        add(T1, T0, T0),
        addi(A0, 0, 0),
        addi(A7, 0, 93),
        ecall(),
    ]
}

fn branch_loop() -> Vec<u32> {
    vec![
        addi(T0, 0, 3),
        addi(T0, T0, -1),
        bne(T0, 0, -4),
        addi(A0, 0, 0),
        addi(A7, 0, 93),
        ecall(),
    ]
}

/// Compares line by line first, for a readable failure.
fn assert_chart(actual: &str, expected: &str) {
    for (i, (a, e)) in actual.lines().zip(expected.lines()).enumerate() {
        assert_eq!(a, e, "line {}\n--- actual:\n{actual}", i + 1);
    }
    assert_eq!(actual, expected, "\n--- actual:\n{actual}");
}

const LEGEND: &str =
    "legend: IF ID EX MEM WB = stage worked in   ID* = stalled in ID   ID/X = flushed from ID\n";

#[test]
fn straight_line_chart() {
    let (m, rec) = chart(&straight_line(), 0, 20, 20);
    assert_eq!(m.cycle, 9);
    let expected = String::from(
        "\
pc        instruction              1    2    3    4    5    6    7    8    9
80000000  li t0,1                  IF   ID   EX   MEM  WB
80000004  li t1,2                       IF   ID   EX   MEM  WB
80000008  li a0,0                            IF   ID   EX   MEM  WB
8000000c  li a7,93                                IF   ID   EX   MEM  WB
80000010  ecall                                        IF   ID   EX   MEM  WB
80000014  unimp                                             IF   ID   EX
80000016  unimp                                                  IF   ID
80000018  unimp                                                       IF
",
    ) + LEGEND;
    assert_chart(&rec.to_text(m.symbols()), &expected);
}

/// Rule 4: `add` is held in ID for a cycle (a bubble enters EX) and the
/// instruction behind it is held in IF for the same cycle.
#[test]
fn load_use_chart() {
    let (m, rec) = chart(&load_use(), 0, 20, 20);
    assert_eq!(m.cycle, 10);
    let expected = String::from(
        "\
pc        instruction              1    2    3    4    5    6    7    8    9    10
80000000  lw t0,-4(sp)             IF   ID   EX   MEM  WB
80000004  add t1,t0,t0                  IF   ID*  ID   EX   MEM  WB
80000008  li a0,0                            IF*  IF   ID   EX   MEM  WB
8000000c  li a7,93                                     IF   ID   EX   MEM  WB
80000010  ecall                                             IF   ID   EX   MEM  WB
80000014  unimp                                                  IF   ID   EX
80000016  unimp                                                       IF   ID
80000018  unimp                                                            IF
",
    ) + LEGEND;
    assert_chart(&rec.to_text(m.symbols()), &expected);
}

/// Rule 7: each taken `bne` resolves in EX and flushes the two younger
/// instructions, the one in ID and the one fetched in the same cycle.
#[test]
fn taken_branch_chart() {
    let (m, rec) = chart(&branch_loop(), 0, 20, 20);
    assert_eq!(m.cycle, 18);
    let expected = String::from(
        "\
pc        instruction              1    2    3    4    5    6    7    8    9    10   11   12   13   14   15   16   17   18
80000000  li t0,3                  IF   ID   EX   MEM  WB
80000004  add t0,t0,-1                  IF   ID   EX   MEM  WB
80000008  bnez t0,0x80000004                 IF   ID   EX   MEM  WB
8000000c  li a0,0                                 IF   ID/X
80000010  li a7,93                                     IF/X
80000004  add t0,t0,-1                                      IF   ID   EX   MEM  WB
80000008  bnez t0,0x80000004                                     IF   ID   EX   MEM  WB
8000000c  li a0,0                                                     IF   ID/X
80000010  li a7,93                                                         IF/X
80000004  add t0,t0,-1                                                          IF   ID   EX   MEM  WB
80000008  bnez t0,0x80000004                                                         IF   ID   EX   MEM  WB
8000000c  li a0,0                                                                         IF   ID   EX   MEM  WB
80000010  li a7,93                                                                             IF   ID   EX   MEM  WB
80000014  ecall                                                                                     IF   ID   EX   MEM  WB
80000018  unimp                                                                                          IF   ID   EX
8000001a  unimp                                                                                               IF   ID
8000001c  unimp                                                                                                    IF
",
    ) + LEGEND;
    assert_chart(&rec.to_text(m.symbols()), &expected);
}

#[test]
fn load_use_csv() {
    let (m, rec) = chart(&load_use(), 0, 3, 20);
    let expected = "\
seq,pc,instruction,cycle,stage,state
0,0x80000000,\"lw t0,-4(sp)\",1,IF,ran
0,0x80000000,\"lw t0,-4(sp)\",2,ID,ran
0,0x80000000,\"lw t0,-4(sp)\",3,EX,ran
1,0x80000004,\"add t1,t0,t0\",2,IF,ran
1,0x80000004,\"add t1,t0,t0\",3,ID,stalled
2,0x80000008,\"li a0,0\",3,IF,stalled
";
    assert_eq!(rec.to_csv(m.symbols()), expected);
}

#[test]
fn flushes_in_csv() {
    let (m, rec) = chart(&branch_loop(), 4, 5, 20);
    let csv = rec.to_csv(m.symbols());
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines,
        [
            "seq,pc,instruction,cycle,stage,state",
            "0,0x80000000,\"li t0,3\",5,WB,ran",
            "1,0x80000004,\"add t0,t0,-1\",5,MEM,ran",
            "2,0x80000008,\"bnez t0,0x80000004\",5,EX,ran",
            "3,0x8000000c,\"li a0,0\",5,ID,flushed",
            "4,0x80000010,\"li a7,93\",5,IF,flushed",
        ]
    );
}

/// Every data line splits into exactly six fields once quoted commas are
/// respected, and unquoted fields never hold a comma.
#[test]
fn csv_quoting_is_rfc4180() {
    let (m, rec) = chart(&branch_loop(), 0, 20, 20);
    let csv = rec.to_csv(m.symbols());
    for line in csv.lines() {
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' if quoted && chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = !quoted,
                ',' if !quoted => fields.push(std::mem::take(&mut field)),
                c => field.push(c),
            }
        }
        fields.push(field);
        assert!(!quoted, "unbalanced quotes: {line}");
        assert_eq!(fields.len(), 6, "{line}");
    }
    assert!(csv.contains(",\"bnez t0,0x80000004\","));
    assert!(csv.contains(",ecall,"), "no needless quotes");
}

/// A range starting later shows only its cycles, labelled as in the full
/// chart; instructions already in flight start mid-pipeline.
#[test]
fn range_from_later_cycle() {
    let (m, rec) = chart(&load_use(), 3, 6, 20);
    let expected = String::from(
        "\
pc        instruction              4    5    6
80000000  lw t0,-4(sp)             MEM  WB
80000004  add t1,t0,t0             ID   EX   MEM
80000008  li a0,0                  IF   ID   EX
8000000c  li a7,93                      IF   ID
80000010  ecall                              IF
",
    ) + LEGEND;
    assert_chart(&rec.to_text(m.symbols()), &expected);
    assert!(!rec.wants(2) && rec.wants(3) && rec.wants(5) && !rec.wants(6));
}

#[test]
fn range_past_the_end_records_nothing() {
    let (m, rec) = chart(&straight_line(), 50, 60, 20);
    assert!(rec.is_empty());
    assert_eq!(
        rec.to_csv(m.symbols()),
        "seq,pc,instruction,cycle,stage,state\n"
    );
    assert_eq!(rec.to_text(m.symbols()), "(no cycles recorded)\n");
}

/// Recording a cycle again replaces it: stepping a halted machine leaves the
/// last record in place, and a restored snapshot replays older cycles.
#[test]
fn repeated_and_replayed_cycles() {
    let mut m = machine(&load_use());
    let mut rec = ChartRecorder::new(0, 100);
    let mut snapshot = None;
    for i in 0..12 {
        if i == 4 {
            snapshot = Some(m.clone());
        }
        m.step();
        rec.record(&m.pipeline.as_ref().unwrap().last());
    }
    let full = rec.to_text(m.symbols());
    // Replay from cycle 4 on the restored machine.
    let mut m = snapshot.unwrap();
    for _ in 0..8 {
        m.step();
        rec.record(&m.pipeline.as_ref().unwrap().last());
    }
    assert_eq!(rec.to_text(m.symbols()), full);
}

/// Long ranges print as blocks of 32 cycles with their own headers, and
/// columns stay aligned when labels grow wider than the cells.
#[test]
fn long_ranges_print_in_aligned_blocks() {
    // An endless loop: `j .` (jal zero, 0).
    let (m, rec) = chart(&[jal(0, 0)], 0, 1000, 1000);
    let text = rec.to_text(m.symbols());
    let headers: Vec<&str> = text.lines().filter(|l| l.starts_with("pc ")).collect();
    assert_eq!(headers.len(), 1000usize.div_ceil(32));
    assert!(headers[0].ends_with(" 31   32"), "{}", headers[0]);
    let last = headers.last().unwrap();
    assert!(last.contains(" 993 ") && last.ends_with(" 1000"), "{last}");
    // Every non-header row's cells start at a column boundary.
    for block in text.split("\n\n") {
        let mut lines = block.lines();
        let header = lines.next().unwrap();
        let starts: Vec<usize> = header
            .match_indices(|c: char| c.is_ascii_digit())
            .map(|(i, _)| i)
            .filter(|&i| header.as_bytes()[i - 1] == b' ')
            .collect();
        for line in lines.filter(|l| !l.starts_with("legend")) {
            for (i, _) in line
                .match_indices(|c: char| c.is_ascii_uppercase())
                .filter(|&(i, _)| i > 34 && line.as_bytes()[i - 1] == b' ')
            {
                assert!(
                    starts.contains(&i),
                    "misaligned cell at {i}:\n{header}\n{line}"
                );
            }
        }
    }
}

/// Recording stops at `MAX_CYCLES` and both outputs say so.
#[test]
fn recording_is_bounded() {
    use glassbox::pipeline::trace::MAX_CYCLES;
    let mut m = machine(&[jal(0, 0)]);
    let mut rec = ChartRecorder::new(0, u64::MAX);
    for _ in 0..MAX_CYCLES + 5 {
        m.step();
        let last = &m.pipeline.as_ref().unwrap().last();
        if rec.wants(last.cycle) {
            rec.record(last);
        }
    }
    assert!(rec.is_truncated());
    let csv = rec.to_csv(m.symbols());
    assert!(
        csv.ends_with("\n,,,100001,,truncated\n"),
        "{}",
        &csv[csv.len() - 200..]
    );
    assert!(!csv.contains(",100001,IF"));
    assert!(csv.contains(",100000,IF,ran\n"));
    let text = rec.to_text(m.symbols());
    assert!(
        text.ends_with(
            "\nnote: recording stopped after 100000 cycles; cycles from 100001 on are not shown\n"
        ),
        "{}",
        &text[text.len() - 300..]
    );
}

#[test]
fn kept_chart_history_draws_the_same_chart_as_recording_every_cycle() {
    for words in [straight_line(), load_use(), branch_loop()] {
        // One run of up to 14 cycles (the program may halt sooner)
        // keeping only the last 5 for the chart.
        let mut run = machine(&words);
        run.pipeline.as_mut().unwrap().keep_chart_history(5);
        run.run(14);
        let (from, to) = (run.cycle - 5, run.cycle);
        // The reference: record every cycle while stepping.
        let (m, stepped) = chart(&words, from, to, to);
        assert_eq!(run.cycle, m.cycle);
        let p = run.pipeline.as_ref().unwrap();
        let kept: Vec<u64> = p.chart_history().map(|(c, _)| c).collect();
        assert_eq!(kept, (from..to).collect::<Vec<_>>());
        let mut from_history = ChartRecorder::new(from, to);
        for (cycle, cells) in p.chart_history() {
            from_history.record_cells(cycle, cells);
        }
        assert_eq!(
            from_history.to_text(run.symbols()),
            stepped.to_text(m.symbols())
        );
        assert!(!from_history.is_empty());
    }
    // Off again: nothing kept.
    let mut m = machine(&branch_loop());
    m.pipeline.as_mut().unwrap().keep_chart_history(4);
    m.run(6);
    m.pipeline.as_mut().unwrap().keep_chart_history(0);
    assert_eq!(m.pipeline.as_ref().unwrap().chart_history().count(), 0);
}

#[test]
fn kept_chart_history_is_bounded_and_matches_the_last_cycle() {
    use glassbox::pipeline::history::MAX_KEPT_CYCLES;
    use glassbox::pipeline::record::StageEvent;
    // A loop long enough to outlast the bound: t0 counts down from 10 << 12.
    let words = [lui(T0, 10), addi(T0, T0, -1), bne(T0, 0, -4)];
    let mut m = machine(&words);
    m.pipeline.as_mut().unwrap().keep_chart_history(usize::MAX);
    m.run(MAX_KEPT_CYCLES as u64 + 1_000);
    let p = m.pipeline.as_ref().unwrap();
    assert_eq!(p.chart_history().count(), MAX_KEPT_CYCLES);
    let (cycle, cells) = p.chart_history().last().unwrap();
    let last = p.last();
    assert_eq!(cycle, last.cycle);
    for (cell, event) in cells.iter().zip(last.stages) {
        assert_eq!(cell.map(|(tag, _)| tag), event.tag());
        assert_eq!(cell.is_none(), event == StageEvent::Bubble);
    }
}
