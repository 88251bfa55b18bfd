//! Zicsr: the six CSR instructions, read-only and unknown CSRs, the WARL
//! behaviour of each implemented CSR, and the counters to the exact count.

mod support;

use glassbox::Machine;
use glassbox::isa::csr::*;
use support::enc::*;
use support::*;

const OLD: u32 = 0xf0f0_1234;

/// Runs one CSR instruction on mscratch = OLD with a0 = 0x55, a1 = `src`.
fn on_mscratch(inst: u32, src: u32) -> Machine {
    let mut m = machine_with(&[inst]);
    m.hart.mscratch = OLD;
    m.hart.set_reg(A0, 0x55);
    m.hart.set_reg(A1, src);
    steps(&mut m, 1);
    assert_eq!(
        (m.hart.pc, m.cycle, m.instret, m.hart.mcause),
        (RAM_BASE + 4, 1, 1, 0)
    );
    m
}

#[test]
fn csr_instructions_on_mscratch() {
    // (name, instruction, a1, expected a0, expected mscratch)
    let cases: &[(&str, u32, u32, u32, u32)] = &[
        (
            "csrrw",
            csrrw(A0, MSCRATCH, A1),
            0xdead_beef,
            OLD,
            0xdead_beef,
        ),
        (
            "csrrs",
            csrrs(A0, MSCRATCH, A1),
            0x0000_00ff,
            OLD,
            0xf0f0_12ff,
        ),
        (
            "csrrc",
            csrrc(A0, MSCRATCH, A1),
            0xf000_000f,
            OLD,
            0x00f0_1230,
        ),
        ("csrrwi 31", csrrwi(A0, MSCRATCH, 31), 0, OLD, 31),
        ("csrrwi 0 writes zero", csrrwi(A0, MSCRATCH, 0), 0, OLD, 0),
        (
            "csrrsi 0b01011",
            csrrsi(A0, MSCRATCH, 0b01011),
            0,
            OLD,
            0xf0f0_123f,
        ),
        (
            "csrrci 0b10100",
            csrrci(A0, MSCRATCH, 0b10100),
            0,
            OLD,
            0xf0f0_1220,
        ),
        (
            "csrrw rd = x0 still writes",
            csrrw(ZERO, MSCRATCH, A1),
            7,
            0x55,
            7,
        ),
        ("csrrs rd = x0", csrrs(ZERO, MSCRATCH, A1), 1, 0x55, OLD | 1),
        (
            "csrrs rs1 = x0 only reads",
            csrrs(A0, MSCRATCH, ZERO),
            0,
            OLD,
            OLD,
        ),
        (
            "csrrc rs1 = x0 only reads",
            csrrc(A0, MSCRATCH, ZERO),
            0,
            OLD,
            OLD,
        ),
        ("csrrsi 0 only reads", csrrsi(A0, MSCRATCH, 0), 0, OLD, OLD),
        ("csrrci 0 only reads", csrrci(A0, MSCRATCH, 0), 0, OLD, OLD),
        (
            "csrrs with a zero register value",
            csrrs(A0, MSCRATCH, A1),
            0,
            OLD,
            OLD,
        ),
        (
            "csrrw rd == rs1 swaps",
            csrrw(A1, MSCRATCH, A1),
            0x77,
            OLD,
            0x77,
        ),
    ];
    for &(name, inst, src, want_a0, want_csr) in cases {
        let m = on_mscratch(inst, src);
        let rd = if name.contains("rd == rs1") { A1 } else { A0 };
        assert_eq!(m.hart.reg(rd), want_a0, "{name}: rd");
        assert_eq!(m.hart.mscratch, want_csr, "{name}: mscratch");
        assert_eq!(m.csr_read(MSCRATCH), Some(want_csr), "{name}: csr_read");
        assert_eq!(m.hart.reg(ZERO), 0, "{name}");
    }
}

/// Runs `inst` with a handler installed; returns the machine after one step.
fn run_one(inst: u32, a1: u32) -> Machine {
    let mut m = machine_with(&[inst]);
    install_handler(&mut m);
    m.hart.set_reg(A0, 0x0bad_f00d);
    m.hart.set_reg(A1, a1);
    steps(&mut m, 1);
    m
}

fn assert_illegal(name: &str, inst: u32) {
    let m = run_one(inst, 0x1234);
    assert_eq!(
        trap_state(&m),
        TrapState {
            pc: HANDLER,
            mepc: RAM_BASE,
            mcause: CAUSE_ILLEGAL,
            mtval: inst
        },
        "{name}"
    );
    assert_eq!(m.hart.reg(A0), 0x0bad_f00d, "{name}: rd unchanged");
    assert_eq!((m.cycle, m.instret), (1, 0), "{name}");
}

fn assert_retires(name: &str, inst: u32) -> Machine {
    let m = run_one(inst, 0x1234);
    assert_eq!(
        (m.hart.pc, m.hart.mcause, m.instret),
        (RAM_BASE + 4, 0, 1),
        "{name}"
    );
    m
}

#[test]
fn read_only_csrs_read_without_writing_and_trap_on_writes() {
    for (csr, name) in [
        (CYCLE, "cycle"),
        (TIME, "time"),
        (INSTRET, "instret"),
        (CYCLEH, "cycleh"),
        (TIMEH, "timeh"),
        (INSTRETH, "instreth"),
        (MVENDORID, "mvendorid"),
        (MARCHID, "marchid"),
        (MIMPID, "mimpid"),
        (MHARTID, "mhartid"),
    ] {
        // Reads: set/clear with x0 or immediate 0 do not write.
        for (form, inst) in [
            ("csrrs rs1=x0", csrrs(A0, csr, ZERO)),
            ("csrrc rs1=x0", csrrc(A0, csr, ZERO)),
            ("csrrsi 0", csrrsi(A0, csr, 0)),
            ("csrrci 0", csrrci(A0, csr, 0)),
        ] {
            let m = assert_retires(&format!("{form} {name}"), inst);
            assert_eq!(m.hart.reg(A0), 0, "{form} {name} at cycle 0 reads 0");
        }
        // Writes trap, whatever the value written.
        for (form, inst) in [
            ("csrrw x0", csrrw(ZERO, csr, A1)),
            ("csrrw a0", csrrw(A0, csr, A1)),
            ("csrrs a1", csrrs(A0, csr, A1)),
            ("csrrc a1", csrrc(A0, csr, A1)),
            ("csrrwi 0", csrrwi(A0, csr, 0)),
            ("csrrsi 1", csrrsi(A0, csr, 1)),
            ("csrrci 1", csrrci(A0, csr, 1)),
            ("csrrs with a1 = 0 is still a write", csrrs(A0, csr, A2)),
        ] {
            assert_illegal(&format!("{form} {name}"), inst);
        }
    }
}

#[test]
fn unknown_csrs_are_illegal() {
    for (csr, name) in [
        (0x180u16, "satp"),
        (0x3a0, "pmpcfg0"),
        (0x3b0, "pmpaddr0"),
        (0x744, "mnstatus"),
        (0x001, "fflags"),
        (0x100, "sstatus"),
        (0x302, "medeleg"),
        (0x7b0, "dcsr"),
        (0xb03, "mhpmcounter3"),
        (0xc03, "hpmcounter3"),
        (0x320, "mcountinhibit"),
        (0xfff, "0xfff"),
    ] {
        assert_illegal(&format!("csrr {name}"), csrrs(A0, csr, ZERO));
        assert_illegal(&format!("csrw {name}"), csrrw(ZERO, csr, A1));
        assert_illegal(&format!("csrrci {name}"), csrrci(A0, csr, 0));
        assert_eq!(machine_with(&[]).csr_read(csr), None, "{name}");
    }
}

#[test]
fn warl_fields_of_each_csr() {
    // (name, csr, value written with csrrw, value read back)
    let cases: &[(&str, u16, u32, u32)] = &[
        ("misa ignores writes", MISA, 0, 0x4000_1105),
        ("misa ignores all ones", MISA, 0xffff_ffff, 0x4000_1105),
        (
            "mstatus keeps MIE|MPIE, MPP reads 3",
            MSTATUS,
            0xffff_ffff,
            0x1888,
        ),
        ("mstatus zero still reads MPP", MSTATUS, 0, 0x1800),
        ("mstatus MIE only", MSTATUS, MSTATUS_MIE, 0x1808),
        ("mie keeps MSIE|MTIE|MEIE", MIE, 0xffff_ffff, 0x888),
        ("mie MTIE", MIE, MIE_MTIE, 0x80),
        ("mip is not writable", MIP, 0xffff_ffff, 0),
        ("mtvec direct", MTVEC, 0x8000_0100, 0x8000_0100),
        ("mtvec vectored", MTVEC, 0x8000_0101, 0x8000_0101),
        (
            "mtvec mode 2 is reserved: direct",
            MTVEC,
            0x8000_0102,
            0x8000_0100,
        ),
        (
            "mtvec mode 3 is reserved: direct",
            MTVEC,
            0x8000_0103,
            0x8000_0100,
        ),
        ("mepc clears bit 0", MEPC, 0x8000_0003, 0x8000_0002),
        (
            "mepc keeps bit 1 (IALIGN = 16)",
            MEPC,
            0x8000_0006,
            0x8000_0006,
        ),
        ("mepc all ones", MEPC, 0xffff_ffff, 0xffff_fffe),
        ("mcause holds any value", MCAUSE, 0xffff_ffff, 0xffff_ffff),
        ("mtval holds any value", MTVAL, 0xdead_beef, 0xdead_beef),
        ("mscratch", MSCRATCH, 0x0123_4567, 0x0123_4567),
    ];
    for &(name, csr, write, want) in cases {
        let mut m = machine_with(&[csrrw(A0, csr, A1), csrrs(A2, csr, ZERO)]);
        m.hart.set_reg(A1, write);
        let before = m.csr_read(csr).unwrap();
        steps(&mut m, 2);
        assert_eq!(m.hart.reg(A0), before, "{name}: old value");
        assert_eq!(m.hart.reg(A2), want, "{name}: read back");
        assert_eq!(m.csr_read(csr), Some(want), "{name}: csr_read");
        assert_eq!(
            (m.cycle, m.instret, m.hart.mcause == 0 || csr == MCAUSE),
            (2, 2, true)
        );
    }
}

#[test]
fn identification_csrs_at_reset() {
    let m = machine_with(&[]);
    let want: &[(u16, u32)] = &[
        (MISA, 0x4000_1105),
        (MVENDORID, 0),
        (MARCHID, 0),
        (MIMPID, 0),
        (MHARTID, 0),
        (MSTATUS, 0x1800),
        (MIE, 0),
        (MIP, 0),
        (MTVEC, 0),
        (MEPC, 0),
        (MCAUSE, 0),
        (MTVAL, 0),
        (MSCRATCH, 0),
    ];
    for &(csr, v) in want {
        assert_eq!(m.csr_read(csr), Some(v), "{csr:#x}");
    }
}

#[test]
fn mip_mirrors_the_clint() {
    let mut m = machine_with(&[csrr(A0, MIP), csrr(A1, MIP), csrr(A2, MIP)]);
    m.bus.clint.msip = true;
    steps(&mut m, 1);
    m.bus.clint.mtimecmp = 2;
    steps(&mut m, 1); // runs at cycle 1: timer not yet due
    steps(&mut m, 1); // cycle 2: due
    assert_eq!(
        (m.hart.reg(A0), m.hart.reg(A1), m.hart.reg(A2)),
        (0x8, 0x8, 0x88)
    );
}

#[test]
fn counters_count_exactly() {
    let mut program = vec![nop(); 5];
    program.extend([
        csrr(A0, CYCLE),    // at cycle 5
        csrr(A1, INSTRET),  // 6 retired before it
        csrr(A2, MCYCLE),   // 7
        csrr(A3, MINSTRET), // 8
        csrr(A4, TIME),     // 9
        csrr(A5, CYCLEH),
        csrr(A6, INSTRETH),
        csrr(A7, MCYCLEH),
        csrr(S2, MINSTRETH),
        csrr(T3, TIMEH),
    ]);
    let mut m = machine_with(&program);
    m.hart.set_reg(A5, 9);
    m.hart.set_reg(A6, 9);
    m.hart.set_reg(A7, 9);
    m.hart.set_reg(S2, 9);
    m.hart.set_reg(T3, 9);
    steps(&mut m, 15);
    let h = &m.hart;
    assert_eq!(
        [h.reg(A0), h.reg(A1), h.reg(A2), h.reg(A3), h.reg(A4)],
        [5, 6, 7, 8, 9]
    );
    assert_eq!(
        [h.reg(A5), h.reg(A6), h.reg(A7), h.reg(S2), h.reg(T3)],
        [0; 5]
    );
    assert_eq!((m.cycle, m.instret), (15, 15));
    assert_eq!(m.csr_read(MCYCLE), Some(15));
    assert_eq!(m.csr_read(INSTRET), Some(15));
    assert_eq!(m.csr_read(TIME), Some(15));
}

#[test]
fn a_trapping_instruction_costs_a_cycle_but_does_not_retire() {
    // 0: ebreak -> handler at HANDLER: csrr a0, cycle; csrr a1, instret.
    let mut m = machine_with(&[ebreak()]);
    load(&mut m, HANDLER, &[csrr(A0, CYCLE), csrr(A1, INSTRET)]);
    install_handler(&mut m);
    steps(&mut m, 3);
    // The ebreak took cycle 0; the first handler instruction retired.
    assert_eq!((m.hart.reg(A0), m.hart.reg(A1)), (1, 1));
    assert_eq!((m.cycle, m.instret), (3, 2));
}

#[test]
fn writing_mcycle_sets_what_the_next_instruction_reads() {
    let mut m = machine_with(&[
        nop(),
        csrw(MCYCLE, A1),  // cycle 1: mcycle := 0xffff_fffe
        csrr(A0, MCYCLE),  // 0xffff_fffe
        csrr(A2, CYCLE),   // 0xffff_ffff
        csrr(A3, MCYCLEH), // mcycle = 0x1_0000_0000
        csrr(A4, CYCLEH),  // 1
        csrr(A5, CYCLE),   // 0x1_0000_0002 -> 2
        csrr(A6, TIME),    // mtime is not affected: cycle 7
    ]);
    m.hart.set_reg(A1, 0xffff_fffe);
    steps(&mut m, 8);
    let h = &m.hart;
    assert_eq!(
        [
            h.reg(A0),
            h.reg(A2),
            h.reg(A3),
            h.reg(A4),
            h.reg(A5),
            h.reg(A6)
        ],
        [0xffff_fffe, 0xffff_ffff, 1, 1, 2, 7]
    );
    assert_eq!(
        (m.cycle, m.instret),
        (8, 8),
        "the simulator's own counts are untouched"
    );
    assert_eq!(m.csr_read(MCYCLE), Some(4));
    assert_eq!(m.csr_read(MCYCLEH), Some(1));
}

#[test]
fn writing_mcycleh_sets_the_high_half() {
    let mut m = machine_with(&[
        nop(),
        nop(),
        csrw(MCYCLEH, A1), // at cycle 2
        csrr(A0, MCYCLEH),
        csrr(A2, MCYCLE), // low half continues from the written instruction's value
        csrrw(A3, MCYCLE, ZERO),
        csrr(A4, MCYCLE),
        csrr(A5, CYCLEH),
    ]);
    m.hart.set_reg(A1, 0x1234_5678);
    steps(&mut m, 8);
    let h = &m.hart;
    assert_eq!(
        [h.reg(A0), h.reg(A2), h.reg(A3), h.reg(A4), h.reg(A5)],
        [0x1234_5678, 3, 4, 0, 0x1234_5678]
    );
}

#[test]
fn writing_minstret_sets_what_the_next_instruction_reads() {
    let mut m = machine_with(&[
        csrw(MINSTRET, A1), // minstret := 1000
        csrr(A0, MINSTRET), // 1000
        csrr(A2, INSTRET),  // 1001
        csrrwi(ZERO, MINSTRETH, 7),
        csrr(A3, INSTRETH), // 7
        csrr(A4, MINSTRET), // 1003 (the low half went on counting)
        csrr(A5, CYCLE),    // the cycle counter is untouched: 6
    ]);
    m.hart.set_reg(A1, 1000);
    steps(&mut m, 7);
    let h = &m.hart;
    assert_eq!(
        [h.reg(A0), h.reg(A2), h.reg(A3), h.reg(A4), h.reg(A5)],
        [1000, 1001, 7, 1003, 6]
    );
    assert_eq!(m.csr_read(MINSTRET), Some(1005));
    assert_eq!(m.csr_read(MINSTRETH), Some(7));
    assert_eq!(m.instret, 7);
}

#[test]
fn minstret_carries_into_the_high_half() {
    let mut m = machine_with(&[
        csrw(MINSTRET, A1),
        csrr(A0, INSTRET),
        csrr(A2, INSTRETH),
        csrr(A3, INSTRET),
    ]);
    m.hart.set_reg(A1, 0xffff_ffff);
    steps(&mut m, 4);
    assert_eq!(
        (m.hart.reg(A0), m.hart.reg(A2), m.hart.reg(A3)),
        (0xffff_ffff, 1, 1)
    );
}

#[test]
fn csr_read_is_side_effect_free() {
    let mut m = machine_with(&[nop(), nop()]);
    steps(&mut m, 2);
    for _ in 0..3 {
        assert_eq!(m.csr_read(CYCLE), Some(2));
        assert_eq!(m.csr_read(INSTRET), Some(2));
        assert_eq!(m.csr_read(MHARTID), Some(0));
    }
    assert_eq!((m.cycle, m.instret), (2, 2));
}
