mod support;

use glassbox::config::MachineConfig;
use glassbox::{Halt, Machine, StopReason};
use support::enc::*;
use support::*;

fn exit() -> Vec<u32> {
    vec![addi(A0, 0, 0), addi(A7, 0, 93), ecall()]
}

fn preset(name: &str) -> MachineConfig {
    MachineConfig::preset(name).expect("preset exists")
}

fn run(cfg: MachineConfig, body: &[u32], setup: impl Fn(&mut Machine)) -> Machine {
    let mut m = machine_with_config(cfg, &prog(&[body, &exit()]));
    setup(&mut m);
    assert_eq!(m.run(100_000), StopReason::Halted(Halt::Exited(0)));
    m
}

#[test]
fn explore() {
    for body in [
        vec![],
        vec![lw(T0, S0, 0)],
        vec![lw(T0, S0, 0), lw(T1, S0, 4)],
        vec![nop(); 5],
        vec![nop(); 6],
    ] {
        for name in ["textbook", "classic-l1", "l1-l2-dram"] {
            let m = run(preset(name), &body, |m| m.hart.set_reg(S0, DATA));
            let p = m.pipeline.as_ref().unwrap();
            eprintln!(
                "{} {name}: {} {} icache {} dcache {}",
                body.len(),
                m.cycle,
                m.instret,
                p.stats.stall_icache,
                p.stats.stall_dcache
            );
        }
    }
}
