//! Loads and stores: widths, extension, offsets, misalignment (trapping and
//! emulated), access faults, the ends of RAM and MMIO side effects.

mod support;

use glassbox::{Halt, Machine, StopReason};
use support::enc::*;
use support::*;

const PATTERN: [u8; 8] = [0x80, 0x7f, 0xff, 0x01, 0x34, 0x12, 0xcd, 0xab];

fn machine_with_data(program: &[u32]) -> Machine {
    let mut m = machine_with(program);
    assert!(m.bus.ram.write_bytes(DATA, &PATTERN));
    m
}

#[test]
fn loads_extend_exactly() {
    type L = fn(u8, u8, i32) -> u32;
    let cases: &[(&str, L, i32, u32)] = &[
        ("lb 0x80 sign-extends", lb, 0, 0xffff_ff80),
        ("lb 0x7f", lb, 1, 0x7f),
        ("lb 0xff", lb, 2, 0xffff_ffff),
        ("lbu 0x80 zero-extends", lbu, 0, 0x80),
        ("lbu 0xff", lbu, 2, 0xff),
        ("lh 0x7f80 positive", lh, 0, 0x7f80),
        ("lh 0x01ff", lh, 2, 0x01ff),
        ("lh 0xabcd sign-extends", lh, 6, 0xffff_abcd),
        ("lhu 0xabcd zero-extends", lhu, 6, 0xabcd),
        ("lhu 0x7f80", lhu, 0, 0x7f80),
        ("lw little-endian", lw, 0, 0x01ff_7f80),
        ("lw second word", lw, 4, 0xabcd_1234),
    ];
    for &(name, f, off, want) in cases {
        // Base register points 16 bytes past; reach back with a negative
        // offset, and also forward from below with a positive one.
        for (base, imm) in [
            (DATA, off),
            (DATA + 16, off - 16),
            (DATA - 2000, off + 2000),
        ] {
            let mut m = machine_with_data(&[f(A0, A1, imm)]);
            m.hart.set_reg(A1, base);
            steps(&mut m, 1);
            assert_eq!(m.hart.reg(A0), want, "{name} with base {base:#x} imm {imm}");
            assert_eq!(m.hart.reg(A1), base, "{name}: base unchanged");
        }
    }
}

#[test]
fn immediate_offset_extremes() {
    let mut m = machine_with(&[lw(A0, A1, -2048), lw(A2, A1, 2044), sw(A3, A1, 2047)]);
    m.config.misaligned = glassbox::config::Misaligned::Emulate;
    m.poke(DATA - 2048, 4, 0x1111_2222);
    m.poke(DATA + 2044, 4, 0x3333_4444);
    m.hart.set_reg(A1, DATA);
    m.hart.set_reg(A3, 0xa1b2_c3d4);
    steps(&mut m, 3);
    assert_eq!((m.hart.reg(A0), m.hart.reg(A2)), (0x1111_2222, 0x3333_4444));
    assert_eq!(ram_bytes(&m, DATA + 2047, 4), [0xd4, 0xc3, 0xb2, 0xa1]);
}

#[test]
fn stores_write_exactly_their_bytes() {
    type S = fn(u8, u8, i32) -> u32;
    let cases: &[(&str, S, i32, [u8; 8])] = &[
        (
            "sb",
            sb,
            1,
            [0xee, 0x88, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee],
        ),
        (
            "sb last",
            sb,
            7,
            [0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0x88],
        ),
        (
            "sh",
            sh,
            2,
            [0xee, 0xee, 0x88, 0x77, 0xee, 0xee, 0xee, 0xee],
        ),
        (
            "sw",
            sw,
            4,
            [0xee, 0xee, 0xee, 0xee, 0x88, 0x77, 0x66, 0x55],
        ),
    ];
    for &(name, f, off, want) in cases {
        for (base, imm) in [(DATA, off), (DATA + 8, off - 8)] {
            let mut m = machine_with(&[f(A2, A1, imm)]);
            assert!(m.bus.ram.write_bytes(DATA, &[0xee; 8]));
            m.hart.set_reg(A1, base);
            m.hart.set_reg(A2, 0x5566_7788);
            steps(&mut m, 1);
            assert_eq!(
                ram_bytes(&m, DATA, 8),
                want,
                "{name} base {base:#x} imm {imm}"
            );
            assert_eq!((m.hart.reg(A1), m.hart.reg(A2)), (base, 0x5566_7788));
        }
    }
}

#[test]
fn store_then_load_round_trip() {
    let mut m = machine_with(&[
        sw(A1, SP, -4),
        lw(A0, SP, -4),
        sh(A1, SP, -8),
        lh(A2, SP, -8),
        lhu(A3, SP, -8),
        sb(A1, SP, -12),
        lb(A4, SP, -12),
        lbu(A5, SP, -12),
    ]);
    assert_eq!(m.hart.reg(SP), RAM_END, "sp starts at the top of RAM");
    m.hart.set_reg(A1, 0xfedc_ba98);
    steps(&mut m, 8);
    let h = &m.hart;
    assert_eq!(h.reg(A0), 0xfedc_ba98);
    assert_eq!(h.reg(A2), 0xffff_ba98);
    assert_eq!(h.reg(A3), 0x0000_ba98);
    assert_eq!(h.reg(A4), 0xffff_ff98);
    assert_eq!(h.reg(A5), 0x0000_0098);
    assert_eq!((m.cycle, m.instret), (8, 8));
}

#[test]
fn misaligned_accesses_trap_by_default() {
    // (name, instruction with base a1 and offset 0, address, is_store)
    let cases: &[(&str, u32, u32, bool)] = &[
        ("lh +1", lh(A0, A1, 0), DATA + 1, false),
        ("lhu +3", lhu(A0, A1, 0), DATA + 3, false),
        ("lw +1", lw(A0, A1, 0), DATA + 1, false),
        ("lw +2", lw(A0, A1, 0), DATA + 2, false),
        ("lw +3", lw(A0, A1, 0), DATA + 3, false),
        ("sh +1", sh(A2, A1, 0), DATA + 1, true),
        ("sw +2", sw(A2, A1, 0), DATA + 2, true),
        ("sw +3", sw(A2, A1, 0), DATA + 3, true),
        // Misalignment is checked before the address is looked up.
        (
            "lw misaligned and unmapped",
            lw(A0, A1, 0),
            0x0000_0002,
            false,
        ),
        ("sh misaligned at RAM end", sh(A2, A1, 0), RAM_END - 1, true),
    ];
    for &(name, inst, addr, store) in cases {
        let mut m = machine_with_data(&[inst]);
        install_handler(&mut m);
        m.hart.set_reg(A0, 0x0bad_f00d);
        m.hart.set_reg(A1, addr);
        m.hart.set_reg(A2, 0x1122_3344);
        let before = ram_bytes(&m, DATA, 8);
        steps(&mut m, 1);
        let cause = if store {
            CAUSE_MISALIGNED_STORE
        } else {
            CAUSE_MISALIGNED_LOAD
        };
        assert_eq!(
            trap_state(&m),
            TrapState {
                pc: HANDLER,
                mepc: RAM_BASE,
                mcause: cause,
                mtval: addr
            },
            "{name}"
        );
        assert_eq!(m.hart.reg(A0), 0x0bad_f00d, "{name}: rd unchanged");
        assert_eq!(ram_bytes(&m, DATA, 8), before, "{name}: memory unchanged");
        assert_eq!(
            (m.cycle, m.instret),
            (1, 0),
            "{name}: a cycle, no retirement"
        );
    }
    // Byte accesses are never misaligned.
    let mut m = machine_with_data(&[lb(A0, A1, 0), sb(A0, A1, 2)]);
    m.hart.set_reg(A1, DATA + 1);
    steps(&mut m, 2);
    assert_eq!((m.hart.reg(A0), m.peek(DATA + 3, 1)), (0x7f, Some(0x7f)));
}

#[test]
fn misaligned_accesses_are_performed_when_emulated() {
    type L = fn(u8, u8, i32) -> u32;
    let loads: &[(&str, L, u32, u32)] = &[
        ("lh +1", lh, DATA + 1, 0xffff_ff7f),
        ("lhu +1", lhu, DATA + 1, 0xff7f),
        ("lh +3 crosses a word", lh, DATA + 3, 0x3401),
        ("lhu +5", lhu, DATA + 5, 0xcd12),
        ("lh +5 sign-extends", lh, DATA + 5, 0xffff_cd12),
        ("lw +1", lw, DATA + 1, 0x3401_ff7f),
        ("lw +2", lw, DATA + 2, 0x1234_01ff),
        ("lw +3", lw, DATA + 3, 0xcd12_3401),
    ];
    for &(name, f, addr, want) in loads {
        let mut m = machine_emulating_misaligned(&[f(A0, A1, 0)]);
        assert!(m.bus.ram.write_bytes(DATA, &PATTERN));
        m.hart.set_reg(A1, addr);
        steps(&mut m, 1);
        assert_eq!(m.hart.reg(A0), want, "{name}");
        assert_eq!((m.cycle, m.instret, m.hart.mcause), (1, 1, 0), "{name}");
    }
    type S = fn(u8, u8, i32) -> u32;
    let stores: &[(&str, S, u32, [u8; 8])] = &[
        ("sh +1", sh, DATA + 1, [0, 0x44, 0x33, 0, 0, 0, 0, 0]),
        ("sh +3", sh, DATA + 3, [0, 0, 0, 0x44, 0x33, 0, 0, 0]),
        ("sw +1", sw, DATA + 1, [0, 0x44, 0x33, 0x22, 0x11, 0, 0, 0]),
        ("sw +2", sw, DATA + 2, [0, 0, 0x44, 0x33, 0x22, 0x11, 0, 0]),
        ("sw +3", sw, DATA + 3, [0, 0, 0, 0x44, 0x33, 0x22, 0x11, 0]),
    ];
    for &(name, f, addr, want) in stores {
        let mut m = machine_emulating_misaligned(&[f(A2, A1, 0)]);
        m.hart.set_reg(A1, addr);
        m.hart.set_reg(A2, 0x1122_3344);
        steps(&mut m, 1);
        assert_eq!(ram_bytes(&m, DATA, 8), want, "{name}");
    }
    // Just inside the end of RAM: a word ending on the last byte, a half
    // straddling the last two.
    let mut m = machine_emulating_misaligned(&[
        sw(A2, A1, -5),
        lw(A0, A1, -5),
        lh(A3, A1, -3),
        lhu(A4, A1, -2),
    ]);
    m.hart.set_reg(A1, RAM_END);
    m.hart.set_reg(A2, 0x8899_aabb);
    steps(&mut m, 4);
    assert_eq!(ram_bytes(&m, RAM_END - 5, 5), [0xbb, 0xaa, 0x99, 0x88, 0]);
    assert_eq!(m.hart.reg(A0), 0x8899_aabb);
    assert_eq!(m.hart.reg(A3), 0xffff_8899);
    assert_eq!(m.hart.reg(A4), 0x0088);
}

#[test]
fn emulated_misaligned_access_straddling_the_end_of_ram_faults() {
    // (name, instruction, address, is_store); mtval is the access's address.
    let cases: &[(&str, u32, u32, bool)] = &[
        ("lw at end-2", lw(A0, A1, 0), RAM_END - 2, false),
        ("lw at end-1", lw(A0, A1, 0), RAM_END - 1, false),
        ("lh at end-1", lh(A0, A1, 0), RAM_END - 1, false),
        ("sw at end-3", sw(A2, A1, 0), RAM_END - 3, true),
        ("sh at end-1", sh(A2, A1, 0), RAM_END - 1, true),
        ("lw before RAM start", lw(A0, A1, 0), RAM_BASE - 1, false),
        ("sw before RAM start", sw(A2, A1, 0), RAM_BASE - 2, true),
    ];
    for &(name, inst, addr, store) in cases {
        let mut m = machine_emulating_misaligned(&[]);
        load(&mut m, RAM_BASE + 0x100, &[inst]);
        m.hart.pc = RAM_BASE + 0x100;
        install_handler(&mut m);
        assert!(m.bus.ram.write_bytes(RAM_END - 4, &[1, 2, 3, 4]));
        m.hart.set_reg(A0, 0x0bad_f00d);
        m.hart.set_reg(A1, addr);
        m.hart.set_reg(A2, 0xffff_ffff);
        steps(&mut m, 1);
        let cause = if store {
            CAUSE_STORE_ACCESS
        } else {
            CAUSE_LOAD_ACCESS
        };
        assert_eq!(
            trap_state(&m),
            TrapState {
                pc: HANDLER,
                mepc: RAM_BASE + 0x100,
                mcause: cause,
                mtval: addr
            },
            "{name}"
        );
        assert_eq!(m.hart.reg(A0), 0x0bad_f00d, "{name}: rd unchanged");
        assert_eq!(
            ram_bytes(&m, RAM_END - 4, 4),
            [1, 2, 3, 4],
            "{name}: nothing written"
        );
        assert_eq!(
            ram_bytes(&m, RAM_BASE, 4),
            [0; 4],
            "{name}: nothing written"
        );
    }
}

#[test]
fn accesses_at_the_last_bytes_of_ram() {
    let mut m = machine_with(&[
        sb(A2, A1, -1),
        lbu(A0, A1, -1),
        sh(A2, A1, -4),
        lh(A3, A1, -4),
        sw(A2, A1, -8),
        lw(A4, A1, -8),
        lw(A5, A1, -4),
    ]);
    m.hart.set_reg(A1, RAM_END);
    m.hart.set_reg(A2, 0x1234_89ab);
    steps(&mut m, 7);
    assert_eq!(m.hart.reg(A0), 0xab);
    assert_eq!(m.hart.reg(A3), 0xffff_89ab);
    assert_eq!(m.hart.reg(A4), 0x1234_89ab);
    assert_eq!(m.hart.reg(A5), 0xab00_89ab);
    assert_eq!(
        ram_bytes(&m, RAM_END - 8, 8),
        [0xab, 0x89, 0x34, 0x12, 0xab, 0x89, 0, 0xab]
    );
    assert_eq!((m.cycle, m.instret, m.hart.mcause), (7, 7, 0));
}

#[test]
fn accesses_to_unmapped_addresses_fault() {
    let cases: &[(&str, u32, u32, bool)] = &[
        ("lw at 0", lw(A0, A1, 0), 0, false),
        ("lb at RAM end", lb(A0, A1, 0), RAM_END, false),
        ("lw at RAM end", lw(A0, A1, 0), RAM_END, false),
        ("lbu just below RAM", lbu(A0, A1, 0), RAM_BASE - 1, false),
        ("lw at 0xfffffffc", lw(A0, A1, 0), 0xffff_fffc, false),
        ("lb just past the UART", lb(A0, A1, 0), UART + 0x100, false),
        (
            "lw just past the CLINT",
            lw(A0, A1, 0),
            CLINT + 0x1_0000,
            false,
        ),
        ("lw just below the CLINT", lw(A0, A1, 0), CLINT - 4, false),
        ("sw at 0", sw(A2, A1, 0), 0, true),
        ("sb at RAM end", sb(A2, A1, 0), RAM_END, true),
        ("sh at 0x40000000", sh(A2, A1, 0), 0x4000_0000, true),
        ("sw just past the UART", sw(A2, A1, 0), UART + 0x100, true),
    ];
    for &(name, inst, addr, store) in cases {
        let mut m = machine_with(&[inst]);
        install_handler(&mut m);
        m.hart.set_reg(A0, 0x0bad_f00d);
        m.hart.set_reg(A1, addr);
        m.hart.set_reg(A2, 0x41);
        steps(&mut m, 1);
        let cause = if store {
            CAUSE_STORE_ACCESS
        } else {
            CAUSE_LOAD_ACCESS
        };
        assert_eq!(
            trap_state(&m),
            TrapState {
                pc: HANDLER,
                mepc: RAM_BASE,
                mcause: cause,
                mtval: addr
            },
            "{name}"
        );
        assert_eq!(m.hart.reg(A0), 0x0bad_f00d, "{name}: rd unchanged");
        assert_eq!((m.cycle, m.instret), (1, 0), "{name}");
        assert!(m.take_output().is_empty(), "{name}: no console output");
    }
}

#[test]
fn access_fault_without_handler_halts_and_names_the_address() {
    let mut m = machine_with(&[nop(), lw(A0, ZERO, 16)]);
    let stop = m.run(10);
    let msg = halt_error(&m);
    assert_eq!(stop, StopReason::Halted(Halt::Error(msg.clone())));
    assert_eq!(
        trap_state(&m),
        TrapState {
            pc: RAM_BASE + 4,
            mepc: RAM_BASE + 4,
            mcause: CAUSE_LOAD_ACCESS,
            mtval: 16
        }
    );
    assert!(msg.contains("load access fault"), "{msg}");
    assert!(msg.contains("0x80000004"), "{msg}");
    assert_eq!((m.cycle, m.instret), (2, 1));
    // Running again changes nothing.
    assert_eq!(m.run(10), StopReason::Halted(Halt::Error(msg)));
    assert_eq!((m.cycle, m.instret, m.hart.pc), (2, 1, RAM_BASE + 4));
}

#[test]
fn uart_transmit_and_line_status() {
    let mut m = machine_with(&[
        lui(A1, UART >> 12),
        lbu(A0, A1, 5),
        addi(A2, ZERO, b'h' as i32),
        sb(A2, A1, 0),
        addi(A2, ZERO, b'i' as i32),
        sw(A2, A1, 0),
        lbu(A3, A1, 5),
    ]);
    steps(&mut m, 5);
    assert_eq!(m.hart.reg(A0), 0x60, "LSR: THR empty and idle, no data");
    m.push_input(b"z");
    steps(&mut m, 2);
    assert_eq!(m.hart.reg(A3), 0x61, "LSR: data ready");
    assert_eq!(m.take_output(), b"hi");
    assert!(m.take_output().is_empty());
}

#[test]
fn uart_peek_does_not_consume_but_a_load_does() {
    let mut m = machine_with(&[
        lui(A1, UART >> 12),
        lbu(A0, A1, 0),
        lbu(A2, A1, 0),
        lbu(ZERO, A1, 0),
        lbu(A3, A1, 0),
        lbu(A4, A1, 5),
    ]);
    m.push_input(b"abc");
    for _ in 0..3 {
        assert_eq!(
            m.peek(UART, 1),
            Some(b'a' as u32),
            "peek shows the next byte"
        );
        assert_eq!(m.peek(UART_LSR, 1), Some(0x61));
    }
    steps(&mut m, 2);
    assert_eq!(m.hart.reg(A0), b'a' as u32);
    assert_eq!(m.peek(UART, 1), Some(b'b' as u32));
    steps(&mut m, 1);
    assert_eq!(m.hart.reg(A2), b'b' as u32);
    // A load into x0 still performs the read, so it consumes 'c'.
    steps(&mut m, 1);
    assert_eq!(m.peek(UART, 1), Some(0));
    steps(&mut m, 2);
    assert_eq!(m.hart.reg(A3), 0, "an empty RBR reads 0");
    assert_eq!(m.hart.reg(A4), 0x60);
    assert!(m.bus.uart.input.is_empty());
}

#[test]
fn clint_mtime_reads_the_cycle_count() {
    let mut m = machine_with(&[
        lui(A1, CLINT >> 12),
        nop(),
        nop(),
        lw(A0, A1, 0x7f8), // not mtime: an unused CLINT word reads 0
        lw(A2, A1, 0),     // msip
        addi(A3, ZERO, 1),
        sw(A3, A1, 0), // msip = 1 (interrupts are disabled)
        lw(A4, A1, 0),
    ]);
    m.hart.set_reg(A0, 9);
    steps(&mut m, 8);
    assert_eq!((m.hart.reg(A0), m.hart.reg(A2), m.hart.reg(A4)), (0, 0, 1));
    assert!(m.bus.clint.msip);

    // mtime at CLINT + 0xbff8: lui a1, 0x200c; lw a0, -8(a1) runs at cycle 1.
    let mut m = machine_with(&[
        lui(A1, 0x200c),
        lw(A0, A1, -8),
        lw(A2, A1, -4),
        nop(),
        lw(A3, A1, -8),
    ]);
    steps(&mut m, 5);
    assert_eq!((m.hart.reg(A0), m.hart.reg(A2), m.hart.reg(A3)), (1, 0, 4));
}
