//! A group of machines on one program (issue #13, item 1): lockstep by
//! retired instruction and by cycle, a stop that names the member and
//! why, and the first instruction where a configuration computes
//! differently (the pipeline without a hazard unit really reads a stale
//! value). Exact cycles and values throughout; `docs/timing.md` explains
//! each pipeline figure (5 cycles to the first retirement, one load-use
//! stall).

use glassbox::asm::{AsmOptions, Program, assemble};
use glassbox::group::{Difference, Group, GroupReason, GroupStop, Lockstep, MemWrite};
use glassbox::{Halt, Machine, MachineConfig, StopReason};

/// A load followed at once by its user: the textbook pipeline stalls one
/// cycle and adds 21 + 21; without a hazard unit the `add` takes the
/// load's address from EX/MEM instead. Then the sum is stored and the
/// program exits with code 0.
const HAZARD: &str = "
    .text
    .globl _start
_start:
    la   s0, value
    li   t0, 7
    lw   t0, 0(s0)
    add  t1, t0, t0
    add  t2, t1, zero
    sw   t1, 4(s0)
    li   a0, 0
    li   a7, 93
    ecall
    .data
value: .word 21
sum:   .word 0
";

fn program(src: &str) -> Program {
    assemble(src, &AsmOptions::default()).unwrap_or_else(|d| panic!("{d:?}"))
}

fn group(presets: &[&str], lockstep: Lockstep) -> (Group<Machine>, Program) {
    let p = program(HAZARD);
    let configs = presets
        .iter()
        .map(|n| (n.to_string(), MachineConfig::preset(n).expect("preset")))
        .collect();
    let g = Group::from_configs(configs, &p.image, lockstep).expect("valid configs");
    (g, p)
}

fn label(p: &Program, name: &str) -> u32 {
    p.image.symbols.lookup(name).expect("label")
}

fn counts(g: &Group<Machine>) -> Vec<(u64, u64)> {
    (0..g.len())
        .map(|i| (g.machine(i).cycle, g.machine(i).instret))
        .collect()
}

#[test]
fn by_instruction_each_step_retires_one_more_on_every_member() {
    let (mut g, _) = group(&["textbook", "functional"], Lockstep::Instruction);
    assert_eq!(g.step(), None);
    // The pipeline needs five cycles for its first retirement, the
    // functional core one.
    assert_eq!(counts(&g), vec![(5, 1), (1, 1)]);
    assert_eq!(g.run(3), None);
    assert_eq!(counts(&g), vec![(8, 4), (4, 4)]);
    // The fifth instruction is the load's user: one load-use stall.
    assert_eq!(g.step(), None);
    assert_eq!(counts(&g), vec![(10, 5), (5, 5)]);
    assert_eq!(g.divergence(), None);
}

#[test]
fn by_cycle_each_step_is_one_cycle_on_every_member() {
    let (mut g, _) = group(
        &["textbook", "no-forwarding", "functional"],
        Lockstep::Cycle,
    );
    assert_eq!(g.step(), None);
    assert_eq!(counts(&g), vec![(1, 0), (1, 0), (1, 1)]);
    assert_eq!(g.run(5), None);
    // Cycle 6: the pipelines have retired their first two instructions
    // (no-forwarding stalls `addi s0` behind `auipc s0`, so only one).
    assert_eq!(counts(&g), vec![(6, 2), (6, 1), (6, 6)]);
    assert_eq!(g.divergence(), None);
}

#[test]
fn the_first_member_to_stop_is_named_with_its_reason() {
    let (mut g, _) = group(&["textbook", "functional"], Lockstep::Cycle);
    // The functional core runs the 10 instructions in 10 cycles and exits
    // first.
    let stop = g.run(1000).expect("a member stopped");
    assert_eq!(
        stop,
        GroupStop {
            member: 1,
            label: "functional".into(),
            reason: GroupReason::Machine(StopReason::Halted(Halt::Exited(0))),
        }
    );
    assert_eq!(stop.to_string(), "functional: exited with code 0");
    assert_eq!(g.last_stops(), std::slice::from_ref(&stop));
    // The group stopped in the cycle it happened: the pipeline is there too.
    assert_eq!(counts(&g), vec![(10, 5), (10, 10)]);
    assert_eq!(g.divergence(), None);
}

#[test]
fn a_breakpoint_on_one_member_stops_the_group_and_names_it() {
    let (mut g, p) = group(&["textbook", "functional"], Lockstep::Instruction);
    let store = label(&p, "_start") + 6 * 4;
    g.member_mut(1).breakpoints.insert(store);
    let stop = g.run(1000).expect("the breakpoint stops the group");
    assert_eq!(stop.member, 1);
    assert_eq!(
        stop.reason,
        GroupReason::Machine(StopReason::Breakpoint(store))
    );
    assert_eq!(
        stop.to_string(),
        format!("functional: breakpoint at {store:#010x}")
    );
    // Both stand before the store: six instructions retired on each.
    assert_eq!(counts(&g), vec![(11, 6), (6, 6)]);
    assert_eq!(g.machine(1).hart.pc, store);
}

#[test]
fn without_a_hazard_unit_the_first_differing_instruction_is_the_load_user() {
    let (mut g, p) = group(&["textbook", "no-hazard-detection"], Lockstep::Instruction);
    let start = label(&p, "_start");
    let value = label(&p, "value");
    let stop = g.run(1000).expect("the divergence stops the group");
    assert_eq!(
        stop,
        GroupStop {
            member: 1,
            label: "no-hazard-detection".into(),
            reason: GroupReason::Diverged,
        }
    );
    let d = g.divergence().expect("a divergence").clone();
    // `la` is two instructions and `li t0, 7` one: the fifth is the add.
    assert_eq!((d.index, d.pc), (4, start + 16));
    assert_eq!(d.disassembly, "add\tt1,t0,t0");
    assert_eq!(d.what, Difference::Register);
    assert_eq!(d.members[0].rd, Some((6, 42)));
    assert_eq!(d.members[1].rd, Some((6, value.wrapping_mul(2))));
    // The textbook pipeline paid one load-use stall for the right value.
    assert_eq!((d.members[0].cycle, d.members[1].cycle), (10, 9));
    assert_eq!(d.first_differing(), 1);
    assert_eq!(
        d.to_string(),
        format!(
            "the machines compute differently at instruction 5 ({:#010x}: add\tt1,t0,t0): \
             the register written differs\n  \
             textbook: t1 = 0x0000002a (cycle 10)\n  \
             no-hazard-detection: t1 = {:#010x} (cycle 9)\n",
            start + 16,
            value.wrapping_mul(2)
        )
    );
    assert_eq!(
        stop.to_string(),
        "no-hazard-detection: computes differently from the first machine"
    );
    // Reported once and kept: running on goes to the exit and does not
    // replace it.
    assert_eq!(
        g.run(1000).map(|s| s.reason),
        Some(GroupReason::Machine(StopReason::Halted(Halt::Exited(0))))
    );
    assert_eq!(g.divergence(), Some(&d));
}

#[test]
fn by_cycle_a_divergence_in_the_step_a_member_exits_is_listed_after_the_exit() {
    let (mut g, p) = group(
        &["functional", "textbook", "no-hazard-detection"],
        Lockstep::Cycle,
    );
    let stop = g.run(1000).expect("a stop");
    // Cycle 10: the functional core exits, and the textbook pipeline
    // retires the load's user (the slowest member to get there), so the
    // add is compared in the same step.
    assert_eq!(counts(&g), vec![(10, 10), (10, 5), (10, 6)]);
    let exit = GroupStop {
        member: 0,
        label: "functional".into(),
        reason: GroupReason::Machine(StopReason::Halted(Halt::Exited(0))),
    };
    let diverged = GroupStop {
        member: 2,
        label: "no-hazard-detection".into(),
        reason: GroupReason::Diverged,
    };
    assert_eq!(stop, exit);
    assert_eq!(g.last_stops(), &[exit, diverged][..]);
    let d = g.divergence().unwrap();
    assert_eq!((d.index, d.pc), (4, label(&p, "_start") + 16));
    let rd: Vec<_> = d.members.iter().map(|m| m.rd).collect();
    let value = label(&p, "value");
    assert_eq!(
        rd,
        vec![
            Some((6, 42)),
            Some((6, 42)),
            Some((6, value.wrapping_mul(2)))
        ]
    );
    let cycles: Vec<_> = d.members.iter().map(|m| m.cycle).collect();
    assert_eq!(cycles, vec![5, 10, 9]);
}

#[test]
fn the_same_results_on_every_core_are_no_divergence() {
    let (mut g, p) = group(
        &["functional", "textbook", "no-forwarding", "bare-pipeline"][..3],
        Lockstep::Instruction,
    );
    let stop = g.run(1000).expect("an exit");
    assert_eq!(
        stop.reason,
        GroupReason::Machine(StopReason::Halted(Halt::Exited(0)))
    );
    assert_eq!(g.divergence(), None);
    for i in 0..3 {
        let m = g.machine(i);
        assert_eq!(m.peek(label(&p, "sum"), 4), Some(42), "{}", g.label(i));
    }
}

#[test]
fn a_stale_store_is_reported_as_a_memory_difference() {
    // The store right after the load stores the load's address without a
    // hazard unit (EX/MEM holds it); no register differs before it.
    let src = "
    .text
    .globl _start
_start:
    la   s0, value
    lw   t0, 0(s0)
    sw   t0, 4(s0)
    li   a0, 0
    li   a7, 93
    ecall
    .data
value: .word 21
sum:   .word 0
";
    let p = program(src);
    let configs = ["textbook", "no-hazard-detection"]
        .iter()
        .map(|n| (n.to_string(), MachineConfig::preset(n).unwrap()))
        .collect();
    let mut g = Group::from_configs(configs, &p.image, Lockstep::Instruction).unwrap();
    let stop = g.run(1000).expect("a stop");
    assert_eq!((stop.member, stop.reason), (1, GroupReason::Diverged));
    let (value, sum) = (label(&p, "value"), label(&p, "sum"));
    let d = g.divergence().unwrap();
    assert_eq!((d.index, d.what), (3, Difference::Memory));
    assert_eq!(d.disassembly, "sw\tt0,4(s0)");
    let stores: Vec<_> = d.members.iter().map(|m| m.store).collect();
    assert_eq!(
        stores,
        vec![
            Some(MemWrite {
                addr: sum,
                width: 4,
                value: 21
            }),
            Some(MemWrite {
                addr: sum,
                width: 4,
                value
            }),
        ]
    );
    assert_eq!(
        d.members[1].describe(d.what),
        format!("mem32[{sum:#010x}] = {value:#x}")
    );
}

#[test]
fn unchecked_cycle_runs_equal_solo_runs() {
    let (mut g, p) = group(
        &["textbook", "no-forwarding", "functional"],
        Lockstep::Cycle,
    );
    g.set_check(false);
    for chunk in [3, 4, 1000] {
        let _ = g.run(chunk);
    }
    for i in 0..3 {
        let mut solo =
            Machine::with_image(MachineConfig::preset(g.label(i)).unwrap(), &p.image).unwrap();
        let _ = solo.run(3);
        let _ = solo.run(4);
        let _ = solo.run(1000);
        assert_eq!(
            (
                g.machine(i).cycle,
                g.machine(i).instret,
                g.machine(i).hart.x
            ),
            (solo.cycle, solo.instret, solo.hart.x),
            "{}",
            g.label(i)
        );
    }
}

#[test]
fn the_comparison_table_of_a_finished_group() {
    let (mut g, _) = group(&["textbook", "no-forwarding"], Lockstep::Cycle);
    g.set_check(false);
    let _ = g.run(1000);
    let _ = g.run(1000);
    let c = g.comparison();
    // 10 instructions + 4 to drain + stalls: one load-use stall with
    // forwarding; without it, 2 (auipc → addi s0) + 1 (addi s0 → lw) +
    // 2 (lw → add) + 2 (add t1 → add t2), the store's t1 being written
    // back by then. No caches, no branches: no miss or predictor rows.
    assert_eq!(
        c.to_text(),
        "                       textbook  no-forwarding
cycles                       15             21
instructions retired         10             10
CPI                      1.5000         2.1000
speed-up vs first        1.0000         0.7143
stall cycles                  1              7
stall: load-use               1              0
stall: data hazard            0              7
stall: multi-cycle EX         0              0
stall: serialize              0              0
stall: wfi                    0              0
stall: I-cache                0              0
stall: D-cache                0              0
mispredict flushes            0              0
"
    );
    assert_eq!(c.row("cycles").unwrap().bars(), vec![15.0 / 21.0, 1.0]);
}

#[test]
fn debugger_members_apply_their_breakpoint_conditions_each() {
    use glassbox::debug::Debugger;
    // Four nops after the store, so the sum is in the register file when
    // `here` is fetched (a pipeline stops where an instruction at a
    // breakpoint becomes the next to fetch).
    let src = HAZARD.replace(
        "    li   a0, 0",
        "    nop\n    nop\n    nop\n    nop\nhere:\n    li   a0, 0",
    );
    let p = program(&src);
    let here = label(&p, "here");
    let mut g = Group::new(Lockstep::Instruction);
    for name in ["no-hazard-detection", "textbook"] {
        let m = Machine::with_image(MachineConfig::preset(name).unwrap(), &p.image).unwrap();
        let mut d = Debugger::new(m);
        d.stops_mut()
            .add_breakpoint(here, Some("t1 == 42"))
            .unwrap();
        d.rearm();
        g.add(name, d);
    }
    g.set_stop_on_divergence(false);
    // The same breakpoint on both; its condition holds only where the
    // hazard unit made the add right.
    let stop = g.run(1000).expect("the textbook pipeline stops");
    assert_eq!(
        (stop.member, stop.label.as_str(), &stop.reason),
        (
            1,
            "textbook",
            &GroupReason::Machine(StopReason::Breakpoint(here))
        )
    );
    assert_eq!(g.last_stops().len(), 1);
    assert_eq!(g.member(1).hits(1), 1);
    assert_eq!(g.member(0).hits(1), 0);
    assert_eq!(g.divergence().map(|d| d.index), Some(4));
}

/// Compare mode's check of the machines' state where they stand
/// (`group::state_difference`): the pc first, then x1..x31.
#[test]
fn the_state_difference_names_the_stale_register() {
    use glassbox::group::{StateDifference, state_difference};
    let (mut g, p) = group(&["textbook", "no-hazard-detection"], Lockstep::Instruction);
    g.set_stop_on_divergence(false);
    let value = label(&p, "value");
    // Four instructions in, both have the same state.
    assert_eq!(g.run(4), None);
    assert_eq!(counts(&g), vec![(8, 4), (8, 4)]);
    assert_eq!(state_difference(g.machine(0), g.machine(1)), None);
    // The fifth, the load's user, reads the load's address without a
    // hazard unit.
    assert_eq!(g.step(), None);
    let stale = StateDifference::Register {
        reg: 6,
        this: value.wrapping_mul(2),
        first: 42,
    };
    assert_eq!(state_difference(g.machine(0), g.machine(1)), Some(stale));
    assert_eq!(
        stale.to_string(),
        format!(
            "t1 = {:#010x} (machine 1: 0x0000002a)",
            value.wrapping_mul(2)
        )
    );
    assert_eq!(
        state_difference(g.machine(1), g.machine(0)).map(|d| d.to_string()),
        Some(format!(
            "t1 = 0x0000002a (machine 1: {:#010x})",
            value.wrapping_mul(2)
        ))
    );
    // At the exit t1 still differs (t2 too, but x6 comes first).
    assert_eq!(
        g.run(1000).map(|s| s.reason),
        Some(GroupReason::Machine(StopReason::Halted(Halt::Exited(0))))
    );
    assert_eq!(state_difference(g.machine(0), g.machine(1)), Some(stale));
    // A different pc comes before any register.
    let (a, mut b) = (g.machine(0).clone(), g.machine(1).clone());
    b.hart.pc += 4;
    assert_eq!(
        state_difference(&a, &b),
        Some(StateDifference::Pc {
            this: a.hart.pc + 4,
            first: a.hart.pc
        })
    );
}

/// Every core computes the hazard program alike: the same pc and
/// registers after every instruction, also with a write-back cache.
#[test]
fn the_same_results_are_the_same_state_at_every_instruction() {
    use glassbox::group::state_difference;
    let (mut g, _) = group(
        &["textbook", "functional", "default"],
        Lockstep::Instruction,
    );
    let mut steps = 0;
    while g.step().is_none() {
        steps += 1;
        for i in 1..3 {
            assert_eq!(
                state_difference(g.machine(0), g.machine(i)),
                None,
                "{steps}"
            );
        }
    }
    assert_eq!(steps, 9);
}
