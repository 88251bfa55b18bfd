//! Synchronous exceptions: causes, mepc/mtval, mstatus stacking, mret,
//! direct and vectored mtvec, and halting when no handler is installed.

mod support;

use glassbox::isa::csr::*;
use glassbox::{Halt, StopReason};
use support::enc::*;
use support::*;

#[test]
fn ecall_with_a_handler_traps() {
    let mut m = machine_with(&[nop(), ecall()]);
    install_handler(&mut m);
    m.hart.set_reg(A7, 93);
    steps(&mut m, 2);
    assert_eq!(
        trap_state(&m),
        TrapState {
            pc: HANDLER,
            mepc: RAM_BASE + 4,
            mcause: CAUSE_ECALL_M,
            mtval: 0
        }
    );
    assert_eq!((m.cycle, m.instret, m.halt.clone()), (2, 1, None));
}

#[test]
fn ebreak_traps_with_the_pc_in_mtval() {
    let mut m = machine_with(&[nop(), nop(), ebreak()]);
    install_handler(&mut m);
    steps(&mut m, 3);
    assert_eq!(
        trap_state(&m),
        TrapState {
            pc: HANDLER,
            mepc: RAM_BASE + 8,
            mcause: CAUSE_BREAKPOINT,
            mtval: RAM_BASE + 8
        }
    );
    assert_eq!((m.cycle, m.instret), (3, 2));
}

#[test]
fn illegal_instructions_trap_with_their_bits() {
    let cases: &[(&str, u32)] = &[
        ("all zeros (the all-zero parcel)", 0x0000_0000),
        ("all ones", 0xffff_ffff),
        // Reserved compressed encodings: mtval is the 16-bit parcel.
        ("c.addi4spn with 0", 0x0000_0004),
        ("c.fld (no D extension)", 0x0000_2000),
        ("c.lwsp to x0", 0x0000_4002),
        ("c.jr x0", 0x0000_8002),
        ("c.lui with 0", 0x0000_6501),
        ("c.srli by 32 (RV32)", 0x0000_9001),
        ("flw (no F extension)", 0x0005_2507),
        ("lr.w with rs2 != 0 (reserved)", 0x1015_252f),
        ("amoadd.d (RV64)", 0x0005_352f),
        ("ld (RV64)", 0x0005_3503),
        ("sd (RV64)", 0x00a5_3023),
        ("addiw (RV64)", 0x0015_051b),
        ("branch funct3 2", beq(A0, A1, 8) | (2 << 12)),
        ("load funct3 6 (lwu)", lw(A0, A1, 0) | (4 << 12)),
        ("store funct3 3", sw(A0, A1, 0) | (1 << 12)),
        ("jalr funct3 1", jalr(RA, A1, 0) | (1 << 12)),
        ("sret (no S mode)", 0x1020_0073),
        ("uret", 0x0020_0073),
        ("dret", 0x7b20_0073),
        ("sfence.vma", 0x1200_0073),
        ("ecall with rd != 0", ecall() | (1 << 7)),
        ("ebreak with rs1 != 0", ebreak() | (1 << 15)),
        ("mret with rd != 0", mret() | (5 << 7)),
        ("SYSTEM funct3 4", 0x0000_4073),
        ("misc-mem funct3 2", 0x0000_200f),
        ("OP funct7 0100000 with xor", xor(A0, A1, A2) | (0x20 << 25)),
    ];
    for &(name, word) in cases {
        let mut m = machine_with(&[word]);
        install_handler(&mut m);
        m.hart.set_reg(A0, 0x0bad_f00d);
        m.hart.set_reg(RA, 0x1111);
        steps(&mut m, 1);
        assert_eq!(
            trap_state(&m),
            TrapState {
                pc: HANDLER,
                mepc: RAM_BASE,
                mcause: CAUSE_ILLEGAL,
                mtval: word
            },
            "{name}"
        );
        assert_eq!(
            (m.hart.reg(A0), m.hart.reg(RA)),
            (0x0bad_f00d, 0x1111),
            "{name}"
        );
        assert_eq!((m.cycle, m.instret), (1, 0), "{name}");
    }
}

#[test]
fn trap_entry_stacks_mie_into_mpie() {
    for (mstatus, want) in [
        (MSTATUS_MIE, MSTATUS_MPIE),
        (0, 0),
        (MSTATUS_MPIE, 0),
        (MSTATUS_MIE | MSTATUS_MPIE, MSTATUS_MPIE),
    ] {
        let mut m = machine_with(&[ebreak()]);
        install_handler(&mut m);
        m.hart.mstatus = mstatus;
        steps(&mut m, 1);
        assert_eq!(m.hart.mstatus, want, "mstatus {mstatus:#x}");
        assert_eq!(
            m.csr_read(MSTATUS),
            Some(want | MSTATUS_MPP),
            "mstatus {mstatus:#x}"
        );
    }
}

#[test]
fn mret_returns_to_mepc_and_unstacks() {
    // (mstatus before, mstatus after)
    for (before, after) in [
        (MSTATUS_MPIE, MSTATUS_MIE | MSTATUS_MPIE),
        (0, MSTATUS_MPIE),
        (MSTATUS_MIE, MSTATUS_MPIE),
        (MSTATUS_MIE | MSTATUS_MPIE, MSTATUS_MIE | MSTATUS_MPIE),
    ] {
        let mut m = machine_with(&[mret()]);
        m.hart.mepc = RAM_BASE + 0x120;
        m.hart.mstatus = before;
        let stop = m.step();
        assert_eq!(stop, StopReason::CycleLimit);
        assert_eq!(m.hart.pc, RAM_BASE + 0x120, "{before:#x}");
        assert_eq!(m.hart.mstatus, after, "{before:#x}");
        assert_eq!((m.cycle, m.instret), (1, 1));
    }
}

#[test]
fn a_handler_round_trip() {
    // main: li a0, 5; ecall; addi a0, a0, 100; ebreak (stop: mtvec = 0 later)
    // handler: csrr t0, mepc; addi t0, t0, 4; csrw mepc, t0; addi a0, a0, 1;
    //          csrw mtvec, zero; mret
    let mut m = machine_with(&[addi(A0, ZERO, 5), ecall(), addi(A0, A0, 100), ebreak()]);
    load(
        &mut m,
        HANDLER,
        &[
            csrr(T0, MEPC),
            addi(T0, T0, 4),
            csrw(MEPC, T0),
            addi(A0, A0, 1),
            csrw(MTVEC, ZERO),
            mret(),
        ],
    );
    m.hart.mstatus = MSTATUS_MIE;
    install_handler(&mut m);
    let stop = m.run(100);
    let msg = halt_error(&m);
    assert_eq!(stop, StopReason::Halted(Halt::Error(msg.clone())));
    assert!(msg.contains("breakpoint"), "{msg}");
    assert!(msg.contains("0x8000000c"), "{msg}");
    assert_eq!(m.hart.reg(A0), 106);
    // 1 + ecall + 6 handler + addi + ebreak = 10 cycles; 8 retired.
    assert_eq!((m.cycle, m.instret), (10, 8));
    // mret restored MIE; the final ebreak stacked it into MPIE again (the
    // trap CSRs are written even when there is no handler).
    assert_eq!(m.hart.mstatus, MSTATUS_MPIE);
    assert_eq!(
        trap_state(&m),
        TrapState {
            pc: RAM_BASE + 12,
            mepc: RAM_BASE + 12,
            mcause: CAUSE_BREAKPOINT,
            mtval: RAM_BASE + 12
        }
    );
}

#[test]
fn exceptions_go_to_the_base_even_when_vectored() {
    for (mtvec, target) in [
        (HANDLER, HANDLER),
        (HANDLER | 1, HANDLER),
        (HANDLER | 2, HANDLER),
    ] {
        for inst in [ecall(), ebreak(), 0, lw(A0, ZERO, 0)] {
            let mut m = machine_with(&[csrw(MTVEC, A1), inst]);
            m.hart.set_reg(A1, mtvec);
            steps(&mut m, 2);
            assert_eq!(m.hart.pc, target, "mtvec {mtvec:#x}, {inst:#010x}");
        }
    }
}

#[test]
fn without_a_handler_a_trap_halts_with_a_message() {
    // (name, instruction, cause, mtval, text the message must contain)
    let cases: &[(&str, u32, u32, u32, &str)] = &[
        (
            "illegal",
            0xffff_ffff,
            CAUSE_ILLEGAL,
            0xffff_ffff,
            "illegal instruction",
        ),
        (
            "ebreak",
            ebreak(),
            CAUSE_BREAKPOINT,
            RAM_BASE + 8,
            "breakpoint",
        ),
        (
            "misaligned load",
            lw(A0, ZERO, 2),
            CAUSE_MISALIGNED_LOAD,
            2,
            "load address misaligned",
        ),
        (
            "store fault",
            sw(A0, ZERO, 0),
            CAUSE_STORE_ACCESS,
            0,
            "store access fault",
        ),
        (
            // c.flw (no F): mtval holds the 16-bit parcel; c.nop follows.
            "illegal compressed",
            cpair(0x6000, c_nop()),
            CAUSE_ILLEGAL,
            0x6000,
            "illegal instruction",
        ),
    ];
    for &(name, inst, cause, tval, text) in cases {
        let mut m = machine_with(&[nop(), nop(), inst, nop()]);
        m.hart.set_reg(A0, 0x77);
        let stop = m.run(50);
        let msg = halt_error(&m);
        assert_eq!(stop, StopReason::Halted(Halt::Error(msg.clone())), "{name}");
        assert!(msg.contains(text), "{name}: {msg}");
        assert!(msg.contains("pc 0x80000008"), "{name}: {msg}");
        assert_eq!(
            trap_state(&m),
            TrapState {
                pc: RAM_BASE + 8,
                mepc: RAM_BASE + 8,
                mcause: cause,
                mtval: tval
            },
            "{name}"
        );
        assert_eq!((m.cycle, m.instret, m.hart.reg(A0)), (3, 2, 0x77), "{name}");
        // Stepping a halted machine does nothing.
        assert_eq!(m.step(), StopReason::Halted(Halt::Error(msg)), "{name}");
        assert_eq!((m.cycle, m.hart.pc), (3, RAM_BASE + 8), "{name}");
    }
}

#[test]
fn a_trap_inside_a_handler_restacks() {
    // ecall -> handler (MIE 1 -> MPIE 1, MIE 0); the handler's ebreak traps
    // again: MPIE takes MIE (0), mepc is the handler's ebreak.
    let mut m = machine_with(&[ecall()]);
    load(&mut m, HANDLER, &[nop(), ebreak()]);
    install_handler(&mut m);
    m.hart.mstatus = MSTATUS_MIE;
    steps(&mut m, 3);
    assert_eq!(
        trap_state(&m),
        TrapState {
            pc: HANDLER,
            mepc: HANDLER + 4,
            mcause: CAUSE_BREAKPOINT,
            mtval: HANDLER + 4
        }
    );
    assert_eq!(m.hart.mstatus, 0);
    assert_eq!((m.cycle, m.instret), (3, 1));
}

#[test]
fn mret_to_a_misaligned_or_unmapped_mepc() {
    // mepc holds 2-byte-aligned values (IALIGN = 16: bit 0 reads as 0,
    // bit 1 is kept); an unmapped one faults on fetch.
    let mut m = machine_with(&[csrw(MEPC, A1), mret()]);
    install_handler(&mut m);
    m.hart.set_reg(A1, 0x0000_2003);
    steps(&mut m, 3);
    assert_eq!(
        trap_state(&m),
        TrapState {
            pc: HANDLER,
            mepc: 0x2002,
            mcause: CAUSE_FETCH_ACCESS,
            mtval: 0x2002
        }
    );
    assert_eq!((m.cycle, m.instret), (3, 2));
}
