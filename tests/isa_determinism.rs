//! A run is a pure function of the program, the configuration and the
//! input: clones run identically, and so does a run split into pieces.

mod support;

use glassbox::isa::csr::*;
use glassbox::{Halt, Machine, StopReason};
use support::enc::*;
use support::*;

/// A program mixing ALU, multiply/divide, memory, console output and timer
/// interrupts, ending with `exit(checksum & 0xff)`.
///
/// main:   s0 = DATA, s1 = MTIMECMP (set by the test), t0 = 300 (loop count)
///   0  li a0, 0 ; a0 = checksum
///   4  loop: mul t1, t0, t0
///   8  divu t2, t1, t0  (rare div by 0 never: t0 >= 1)
///  12  xor a0, a0, t1
///  16  add a0, a0, t2
///  20  sw a0, 0(s0)
///  24  lw t3, 0(s0)
///  28  andi t3, t3, 0x3f
///  32  addi t3, t3, 0x30
///  36  sb t3, 0(s2)       ; print through the UART (s2 = UART)
///  40  addi t0, t0, -1
///  44  bne t0, zero, -40 (to 4)
///  48  add a0, a0, s3     ; s3 counts timer interrupts
///  52  csrw mtvec, zero
///  56  andi a0, a0, 0xff
///  60  addi a7, zero, 93
///  64  ecall
///
/// handler: s3 += 1; mtimecmp += 97 (low word; no wrap in this run); mret
fn program() -> Machine {
    let mut m = machine_with(&[
        addi(A0, ZERO, 0),
        mul(T1, T0, T0),
        divu(T2, T1, T0),
        xor(A0, A0, T1),
        add(A0, A0, T2),
        sw(A0, S0, 0),
        lw(T3, S0, 0),
        andi(T3, T3, 0x3f),
        addi(T3, T3, 0x30),
        sb(T3, S2, 0),
        addi(T0, T0, -1),
        bne(T0, ZERO, -40),
        add(A0, A0, S3),
        csrw(MTVEC, ZERO),
        andi(A0, A0, 0xff),
        addi(A7, ZERO, 93),
        ecall(),
    ]);
    load(
        &mut m,
        HANDLER,
        &[
            addi(S3, S3, 1),
            lw(T4, S1, 0),
            addi(T4, T4, 97),
            sw(T4, S1, 0),
            mret(),
        ],
    );
    m.hart.set_reg(S0, DATA);
    m.hart.set_reg(S1, MTIMECMP);
    m.hart.set_reg(S2, UART);
    m.hart.set_reg(T0, 300);
    install_handler(&mut m);
    m.hart.mie = MIE_MTIE;
    m.hart.mstatus = MSTATUS_MIE;
    m.bus.clint.mtimecmp = 50;
    m
}

const T4: u8 = 29;
const S3: u8 = 19;

fn assert_same(a: &Machine, b: &Machine, what: &str) {
    assert_eq!(a.hart, b.hart, "{what}: registers and CSRs");
    assert_eq!((a.cycle, a.instret), (b.cycle, b.instret), "{what}: counts");
    assert_eq!(a.halt, b.halt, "{what}: halt");
    assert_eq!(a.bus.uart.output, b.bus.uart.output, "{what}: output");
    assert_eq!(
        a.bus.clint.mtimecmp, b.bus.clint.mtimecmp,
        "{what}: mtimecmp"
    );
    assert!(a.bus.ram.as_bytes() == b.bus.ram.as_bytes(), "{what}: RAM");
}

#[test]
fn clones_run_identically() {
    let start = program();
    let mut a = start.clone();
    let mut b = start.clone();
    let ra = a.run(1_000_000);
    let rb = b.run(1_000_000);
    assert_eq!(ra, rb);
    let code = match ra {
        StopReason::Halted(Halt::Exited(code)) => code,
        other => panic!("expected an exit, got {other:?}"),
    };
    assert_same(&a, &b, "two clones");
    // 1 + 300 * 11 + 5 = 3306 main instructions, plus 5 per interrupt.
    let interrupts = a.hart.reg(S3) as u64;
    assert!(interrupts > 10, "the timer fired {interrupts} times");
    assert_eq!(a.instret, 3306 + 5 * interrupts);
    assert_eq!(a.cycle, a.instret);
    assert_eq!(a.bus.uart.output.len(), 300);
    assert_eq!(code as u32, a.hart.reg(A0));
    // The starting state was not disturbed by running its clones.
    assert_eq!((start.cycle, start.hart.pc), (0, RAM_BASE));
}

#[test]
fn a_run_split_into_pieces_matches_one_run() {
    let mut whole = program();
    whole.run(1_000_000);
    for piece in [1u64, 7, 97, 1000] {
        let mut m = program();
        let mut stops = 0;
        loop {
            match m.run(piece) {
                StopReason::CycleLimit => stops += 1,
                StopReason::Halted(_) => break,
                other => panic!("unexpected {other:?}"),
            }
            assert!(stops < 1_000_000);
        }
        assert_same(&whole, &m, &format!("pieces of {piece}"));
    }
}

#[test]
fn snapshot_mid_run_resumes_identically() {
    let mut m = program();
    m.run(1234);
    let snapshot = m.clone();
    m.run(1_000_000);
    let mut resumed = snapshot.clone();
    resumed.run(1_000_000);
    assert_same(&m, &resumed, "resumed snapshot");
}
