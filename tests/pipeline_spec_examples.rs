//! The three examples of the timing contract, to the cycle.

mod support;

use glassbox::config::{CoreModel, MachineConfig};
use glassbox::{Halt, Machine, StopReason};
use support::enc::*;

const T0: u8 = 5;
const T1: u8 = 6;
const A0: u8 = 10;
const A7: u8 = 17;
const SP: u8 = 2;

fn textbook() -> MachineConfig {
    let mut c = MachineConfig::default();
    c.core.model = CoreModel::FiveStage;
    c
}

fn run(words: &[u32]) -> Machine {
    let mut m = Machine::new(textbook()).unwrap();
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    m.bus.ram.write_bytes(0x8000_0000, &bytes);
    let stop = m.run(1000);
    assert_eq!(stop, StopReason::Halted(Halt::Exited(0)));
    m
}

#[test]
fn straight_line_of_five_takes_nine_cycles() {
    let m = run(&[
        addi(T0, 0, 1),
        addi(T1, 0, 2),
        addi(A0, 0, 0),
        addi(A7, 0, 93),
        ecall(),
    ]);
    assert_eq!((m.cycle, m.instret), (9, 5));
}

#[test]
fn load_use_costs_one_cycle() {
    let m = run(&[
        lw(T0, SP, -4),
        add(T1, T0, T0),
        addi(A0, 0, 0),
        addi(A7, 0, 93),
        ecall(),
    ]);
    assert_eq!((m.cycle, m.instret), (10, 5));
}

#[test]
fn taken_branches_cost_two_cycles_each() {
    let m = run(&[
        addi(T0, 0, 3),
        addi(T0, T0, -1),
        bne(T0, 0, -4),
        addi(A0, 0, 0),
        addi(A7, 0, 93),
        ecall(),
    ]);
    assert_eq!((m.cycle, m.instret), (18, 10));
}
