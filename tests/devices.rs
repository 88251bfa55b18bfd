//! The devices (display, keyboard, GPIO, PLIC) from a guest's side:
//! every register read and written on the timing path, access faults
//! outside the registers, the PLIC's claim/complete protocol and
//! priorities, the external interrupt's exact cycle, and the device ROMs
//! (`roms/devices/`) giving the same frames and output on the functional
//! and five-stage cores, with and without caches.

mod support;

use glassbox::config::MachineConfig;
use glassbox::loader;
use glassbox::platform::keys::KeyScript;
use glassbox::platform::{DISPLAY_BASE, FB_BASE, GPIO_BASE, KEYBOARD_BASE, PLIC_BASE, PixelFormat};
use glassbox::{Machine, StopReason};
use std::path::PathBuf;
use support::enc::*;
use support::*;

/// The cores the device tests run on: functional (no caches), single
/// cycle, the five-stage pipeline without caches and with L1 caches, and
/// `default` (L1 + L2 + DRAM). The functional core has no caches.
const PRESETS: &[&str] = &[
    "functional",
    "single-cycle",
    "textbook",
    "classic-l1",
    "default",
];

const PLIC_ENABLE: u32 = PLIC_BASE + 0x2000;
const PLIC_PENDING: u32 = PLIC_BASE + 0x1000;
const PLIC_THRESHOLD: u32 = PLIC_BASE + 0x20_0000;
const PLIC_CLAIM: u32 = PLIC_BASE + 0x20_0004;
const SOURCE_UART: u32 = 10;
const SOURCE_KEYBOARD: u32 = 11;
const SOURCE_VSYNC: u32 = 12;
const SOURCE_GPIO: u32 = 13;
const IRQ_EXTERNAL: u32 = 0x8000_000b;

fn plic_priority(source: u32) -> u32 {
    PLIC_BASE + 4 * source
}

fn preset(name: &str) -> MachineConfig {
    MachineConfig::preset(name).unwrap_or_else(|| panic!("preset {name} exists"))
}

fn rom(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("roms/devices")
        .join(name)
}

fn machine_with_rom(preset_name: &str, name: &str) -> Machine {
    let mut m = Machine::new(preset(preset_name)).expect("preset is valid");
    let path = rom(name);
    let img = loader::load_file(&path, m.ram_region(), None)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    m.load(&img);
    m
}

/// Runs to cycle `until`, pressing and releasing keys from `script` at
/// their cycles (as `glassbox run --keys` does).
fn run_with_keys(m: &mut Machine, script: &KeyScript, next: &mut usize, until: u64) -> StopReason {
    loop {
        while let Some(e) = script.events.get(*next).filter(|e| e.cycle <= m.cycle) {
            m.key(e.code, e.pressed);
            *next += 1;
        }
        let stop_at = script
            .events
            .get(*next)
            .map_or(until, |e| e.cycle.min(until));
        let stop = m.run(stop_at - m.cycle);
        if stop != StopReason::CycleLimit || m.cycle >= until {
            return stop;
        }
    }
}

/// FNV-1a over the frame's pixels as `0x00RRGGBB`: one number per frame.
fn frame_hash(m: &Machine) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in m.devices().display().xrgb8888() {
        for b in p.to_le_bytes() {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

// ---------------------------------------------------------------------
// Registers, on the timing path (`Bus::load` / `Bus::store`)
// ---------------------------------------------------------------------

fn load(m: &mut Machine, addr: u32) -> u32 {
    let now = m.cycle;
    m.bus
        .load(addr, 4, now)
        .unwrap_or_else(|_| panic!("load {addr:#x} faults"))
}

fn store(m: &mut Machine, addr: u32, value: u32) {
    let now = m.cycle;
    m.bus
        .store(addr, 4, value, now)
        .unwrap_or_else(|_| panic!("store {addr:#x} faults"));
}

#[test]
fn display_registers_read_and_write() {
    let mut m = Machine::new(MachineConfig::default()).unwrap();
    let d = DISPLAY_BASE;
    let frame_cycles = m.devices().display.frame_cycles();
    // Read-only geometry: writes are ignored.
    for (off, want) in [
        (0x00, 320),
        (0x04, 240),
        (0x0c, 320 * 4),
        (0x18, FB_BASE),
        (0x1c, frame_cycles),
    ] {
        assert_eq!(load(&mut m, d + off), want, "offset {off:#x}");
        store(&mut m, d + off, 0x1234);
        assert_eq!(load(&mut m, d + off), want, "offset {off:#x} after a write");
    }
    // FORMAT: 0 XRGB8888, 1 RGB565 (the stride follows), others ignored.
    assert_eq!(load(&mut m, d + 0x08), 0);
    store(&mut m, d + 0x08, 1);
    assert_eq!(load(&mut m, d + 0x08), 1);
    assert_eq!(m.devices().display().format(), PixelFormat::Rgb565);
    assert_eq!(load(&mut m, d + 0x0c), 320 * 2);
    store(&mut m, d + 0x08, 7);
    assert_eq!(load(&mut m, d + 0x08), 1);
    store(&mut m, d + 0x08, 0);
    // FRAME counts frames of FRAME_CYCLES cycles; STATUS.VSYNC is set
    // once a new frame began and cleared by writing 1.
    assert_eq!((load(&mut m, d + 0x10), load(&mut m, d + 0x14)), (0, 0));
    m.cycle = 2 * frame_cycles as u64 + 5;
    assert_eq!((load(&mut m, d + 0x10), load(&mut m, d + 0x14)), (2, 1));
    store(&mut m, d + 0x14, 1);
    assert_eq!(load(&mut m, d + 0x14), 0);
    m.cycle = 3 * frame_cycles as u64;
    assert_eq!((load(&mut m, d + 0x10), load(&mut m, d + 0x14)), (3, 1));
    // IRQ_ENABLE holds bit 0.
    store(&mut m, d + 0x20, 0xffff_ffff);
    assert_eq!(load(&mut m, d + 0x20), 1);
    store(&mut m, d + 0x20, 0);
    assert_eq!(load(&mut m, d + 0x20), 0);
    // The framebuffer takes bytes, halves and words.
    let now = m.cycle;
    m.bus.store(FB_BASE, 4, 0x00ff_8040, now).unwrap();
    m.bus.store(FB_BASE + 4, 1, 0x7f, now).unwrap();
    m.bus.store(FB_BASE + 6, 2, 0xbeef, now).unwrap();
    assert_eq!(m.bus.load(FB_BASE, 4, now), Ok(0x00ff_8040));
    assert_eq!(m.bus.load(FB_BASE + 4, 4, now), Ok(0xbeef_007f));
    assert_eq!(m.bus.load(FB_BASE + 6, 2, now), Ok(0xbeef));
    assert_eq!(m.devices().display().pixel(0, 0), 0x00ff_8040);
    let last = FB_BASE + 320 * 240 * 4 - 4;
    assert!(m.bus.store(last, 4, 1, now).is_ok());
    assert!(
        m.bus.load(last + 4, 4, now).is_err(),
        "past the framebuffer"
    );
}

#[test]
fn keyboard_registers_read_and_write() {
    let mut m = Machine::new(MachineConfig::default()).unwrap();
    let k = KEYBOARD_BASE;
    assert_eq!(load(&mut m, k), 0, "STATUS: empty");
    assert_eq!(load(&mut m, k + 4), 0, "DATA of an empty FIFO");
    m.key(0x04, true);
    m.key(0x04, false);
    assert_eq!(load(&mut m, k), 1, "STATUS.AVAILABLE");
    // DATA pops: code in bits 0..15, bit 16 set for a press.
    assert_eq!(load(&mut m, k + 4), 0x1_0004);
    assert_eq!(load(&mut m, k + 4), 0x0004);
    assert_eq!(load(&mut m, k), 0);
    // 16 events fit; the 17th is lost and sets OVERFLOW, which a read of
    // STATUS clears.
    for i in 0..17 {
        m.key(0x04 + i, true);
    }
    assert_eq!(load(&mut m, k), 3);
    assert_eq!(load(&mut m, k), 1);
    for i in 0..16 {
        assert_eq!(load(&mut m, k + 4), 0x1_0004 + i);
    }
    assert_eq!(load(&mut m, k), 0);
    // STATUS and DATA ignore writes; CTRL holds the interrupt enable.
    store(&mut m, k, 3);
    store(&mut m, k + 4, 0x1_0005);
    assert_eq!((load(&mut m, k), load(&mut m, k + 4)), (0, 0));
    store(&mut m, k + 8, 0xffff_ffff);
    assert_eq!(load(&mut m, k + 8), 1);
    store(&mut m, k + 8, 0);
    assert_eq!(load(&mut m, k + 8), 0);
}

#[test]
fn gpio_registers_read_and_write() {
    let mut m = Machine::new(MachineConfig::default()).unwrap();
    let g = GPIO_BASE;
    // LEDS: 16 bits.
    store(&mut m, g, 0xdead_beef);
    assert_eq!(load(&mut m, g), 0xbeef);
    assert_eq!(m.devices().leds(), 0xbeef);
    // SWITCHES and BUTTONS come from the host; guest writes are ignored.
    m.set_switches(0x00a5);
    m.set_buttons(0x11);
    store(&mut m, g + 4, 0);
    store(&mut m, g + 8, 0);
    assert_eq!((load(&mut m, g + 4), load(&mut m, g + 8)), (0xa5, 0x11));
    // SEVENSEG: 32 bits, a digit a byte.
    store(&mut m, g + 0xc, 0x8006_5b4f);
    assert_eq!(load(&mut m, g + 0xc), 0x8006_5b4f);
    assert_eq!(m.devices().sevenseg(), [0x4f, 0x5b, 0x06, 0x80]);
    // IRQ_ENABLE: bit 0.
    store(&mut m, g + 0x10, 0xffff_ffff);
    assert_eq!(load(&mut m, g + 0x10), 1);
    // CHANGED: switches in bits 0..15, buttons in 16..23; write 1 to clear.
    assert_eq!(load(&mut m, g + 0x14), 0x11_00a5);
    store(&mut m, g + 0x14, 0x00_00ff);
    assert_eq!(load(&mut m, g + 0x14), 0x11_0000);
    store(&mut m, g + 0x14, 0xffff_ffff);
    assert_eq!(load(&mut m, g + 0x14), 0);
}

#[test]
fn plic_registers_read_and_write() {
    let mut m = Machine::new(MachineConfig::default()).unwrap();
    // Priorities hold 3 bits; source 0's stays 0.
    store(&mut m, plic_priority(0), 7);
    assert_eq!(load(&mut m, plic_priority(0)), 0);
    for s in 1..32 {
        store(&mut m, plic_priority(s), 0xf0 | (s & 7));
        assert_eq!(load(&mut m, plic_priority(s)), s & 7, "source {s}");
    }
    // Sources past 31 read 0.
    assert_eq!(load(&mut m, plic_priority(40)), 0);
    // Enable: bit 0 stays 0. Threshold: 3 bits.
    store(&mut m, PLIC_ENABLE, 0xffff_ffff);
    assert_eq!(load(&mut m, PLIC_ENABLE), 0xffff_fffe);
    store(&mut m, PLIC_THRESHOLD, 0xf);
    assert_eq!(load(&mut m, PLIC_THRESHOLD), 7);
    store(&mut m, PLIC_THRESHOLD, 0);
    // Pending follows the lines and ignores writes.
    store(&mut m, PLIC_PENDING, 0xffff_ffff);
    assert_eq!(load(&mut m, PLIC_PENDING), 0);
    store(&mut m, KEYBOARD_BASE + 8, 1);
    m.key(0x04, true);
    assert_eq!(load(&mut m, PLIC_PENDING), 1 << SOURCE_KEYBOARD);
    store(&mut m, GPIO_BASE + 0x10, 1);
    m.set_switches(1);
    assert_eq!(
        load(&mut m, PLIC_PENDING),
        (1 << SOURCE_KEYBOARD) | (1 << SOURCE_GPIO)
    );
}

#[test]
fn plic_claim_and_complete_by_priority() {
    let mut m = Machine::new(MachineConfig::default()).unwrap();
    // Keyboard (11) and GPIO (13) raise their lines; the display's vsync
    // (12) too, once a frame has passed.
    store(&mut m, KEYBOARD_BASE + 8, 1);
    store(&mut m, GPIO_BASE + 0x10, 1);
    store(&mut m, DISPLAY_BASE + 0x20, 1);
    m.key(0x2c, true);
    m.set_buttons(1);
    m.cycle = m.devices().display.frame_cycles() as u64;
    for (s, p) in [(SOURCE_KEYBOARD, 2), (SOURCE_VSYNC, 2), (SOURCE_GPIO, 5)] {
        store(&mut m, plic_priority(s), p);
    }
    // Nothing enabled: nothing to claim.
    assert_eq!(load(&mut m, PLIC_CLAIM), 0);
    store(
        &mut m,
        PLIC_ENABLE,
        (1 << SOURCE_KEYBOARD) | (1 << SOURCE_VSYNC) | (1 << SOURCE_GPIO),
    );
    assert!(m.bus.meip(m.cycle));
    // Highest priority first; a claimed source is not offered again
    // until it completes.
    assert_eq!(load(&mut m, PLIC_CLAIM), SOURCE_GPIO);
    // Equal priorities: the lowest id.
    assert_eq!(load(&mut m, PLIC_CLAIM), SOURCE_KEYBOARD);
    assert_eq!(load(&mut m, PLIC_CLAIM), SOURCE_VSYNC);
    assert_eq!(load(&mut m, PLIC_CLAIM), 0);
    assert!(!m.bus.meip(m.cycle), "everything claimed");
    // Completing a source whose line is still high offers it again.
    store(&mut m, PLIC_CLAIM, SOURCE_GPIO);
    assert_eq!(load(&mut m, PLIC_CLAIM), SOURCE_GPIO);
    // A device that lowered its line is not offered after completion.
    store(&mut m, GPIO_BASE + 0x14, 0xffff_ffff);
    store(&mut m, PLIC_CLAIM, SOURCE_GPIO);
    assert_eq!(load(&mut m, PLIC_CLAIM), 0);
    // Completing a source that is not enabled is ignored.
    store(&mut m, PLIC_ENABLE, 1 << SOURCE_VSYNC);
    store(&mut m, PLIC_CLAIM, SOURCE_KEYBOARD);
    store(&mut m, PLIC_ENABLE, 1 << SOURCE_KEYBOARD);
    assert_eq!(load(&mut m, PLIC_CLAIM), 0, "keyboard still claimed");
    store(&mut m, PLIC_CLAIM, SOURCE_KEYBOARD);
    assert_eq!(load(&mut m, PLIC_CLAIM), SOURCE_KEYBOARD);
    store(&mut m, PLIC_CLAIM, SOURCE_KEYBOARD);
    // The threshold masks priorities at or below it.
    store(&mut m, PLIC_THRESHOLD, 2);
    assert!(!m.bus.meip(m.cycle));
    assert_eq!(load(&mut m, PLIC_CLAIM), 0);
    store(&mut m, PLIC_THRESHOLD, 1);
    assert!(m.bus.meip(m.cycle));
    // The UART's receive interrupt is source 10.
    store(&mut m, plic_priority(SOURCE_UART), 7);
    store(&mut m, PLIC_ENABLE, 1 << SOURCE_UART);
    assert_eq!(load(&mut m, PLIC_CLAIM), 0, "no input, IER clear");
    m.push_input(b"x");
    m.bus.store(UART + 1, 1, 1, 0).unwrap(); // IER: receive data available
    assert_eq!(load(&mut m, PLIC_CLAIM), SOURCE_UART);
}

#[test]
fn accesses_outside_the_registers_fault() {
    let mut m = Machine::new(MachineConfig::default()).unwrap();
    let now = m.cycle;
    // Past each device's last register, inside its page.
    for addr in [
        DISPLAY_BASE + 0x24,
        DISPLAY_BASE + 0xffc,
        KEYBOARD_BASE + 0xc,
        GPIO_BASE + 0x18,
        PLIC_BASE + 0x20_0008,
        PLIC_BASE + 0x3f_fffc,
    ] {
        assert!(m.bus.load(addr, 4, now).is_err(), "load {addr:#x}");
        assert!(m.bus.store(addr, 4, 0, now).is_err(), "store {addr:#x}");
    }
    // Registers take aligned words only.
    for addr in [DISPLAY_BASE, KEYBOARD_BASE + 8, GPIO_BASE, PLIC_ENABLE] {
        assert!(m.bus.load(addr, 1, now).is_err(), "lb {addr:#x}");
        assert!(m.bus.store(addr, 2, 0, now).is_err(), "sh {addr:#x}");
        assert!(m.bus.load(addr + 1, 4, now).is_err(), "lw {:#x}", addr + 1);
    }
}

/// A guest's store and load past the display's registers trap with an
/// access fault on every core, `mtval` the address.
#[test]
fn guest_accesses_outside_a_device_trap() {
    let bad = DISPLAY_BASE + 0x40;
    for name in PRESETS {
        let program = [lui(S0, bad >> 12), sw(ZERO, S0, 0x40), addi(A0, ZERO, 1)];
        let mut m = machine_with_config(preset(name), &program);
        spin_in_handler(&mut m);
        assert_eq!(m.run(2000), StopReason::CycleLimit);
        assert_eq!(
            trap_state(&m),
            TrapState {
                pc: HANDLER,
                mepc: RAM_BASE + 4,
                mcause: CAUSE_STORE_ACCESS,
                mtval: bad
            },
            "{name}: store"
        );
        assert_eq!(m.hart.reg(A0), 0, "{name}: nothing after the store ran");

        let program = [lui(S0, bad >> 12), lw(A1, S0, 0x40)];
        let mut m = machine_with_config(preset(name), &program);
        spin_in_handler(&mut m);
        assert_eq!(m.run(2000), StopReason::CycleLimit);
        assert_eq!(
            trap_state(&m),
            TrapState {
                pc: HANDLER,
                mepc: RAM_BASE + 4,
                mcause: CAUSE_LOAD_ACCESS,
                mtval: bad
            },
            "{name}: load"
        );
    }
}

/// A handler at HANDLER that jumps to itself.
fn spin_in_handler(m: &mut Machine) {
    support::load(m, HANDLER, &[jal(ZERO, 0)]);
    install_handler(m);
}

// ---------------------------------------------------------------------
// The external interrupt's exact cycle
// ---------------------------------------------------------------------

/// A machine on `name` running `nop`s with interrupts enabled and a
/// handler of `nop`s.
fn interruptible(name: &str, mie: u32) -> Machine {
    let mut m = machine_with_config(preset(name), &vec![nop(); 1024]);
    support::load(&mut m, HANDLER, &[nop(); 64]);
    install_handler(&mut m);
    m.hart.mie = mie;
    m.hart.mstatus = MSTATUS_MIE;
    m
}

/// Steps until the hart has entered the handler for `cause`; returns
/// (cycle, mepc) then.
fn interrupt_point(m: &mut Machine, cause: u32) -> (u64, u32) {
    for _ in 0..400 {
        if m.hart.mcause == cause {
            return (m.cycle, m.hart.mepc);
        }
        assert_eq!(m.step(), StopReason::CycleLimit);
    }
    panic!("no interrupt {cause:#x}");
}

/// A key pressed at cycle `at`, its interrupt routed through the PLIC
/// (priority 1, enabled, keyboard CTRL set, MEIE).
fn key_interrupt_point(name: &str, at: u64) -> (u64, u32) {
    let mut m = interruptible(name, MIE_MEIE);
    store(&mut m, plic_priority(SOURCE_KEYBOARD), 1);
    store(&mut m, PLIC_ENABLE, 1 << SOURCE_KEYBOARD);
    store(&mut m, KEYBOARD_BASE + 8, 1);
    assert_eq!(m.run(at), StopReason::CycleLimit);
    m.key(0x04, true);
    interrupt_point(&mut m, IRQ_EXTERNAL)
}

/// The timer interrupt made due by the host at cycle `at` (as a key
/// press is: between two runs).
fn timer_interrupt_point(name: &str, at: u64) -> (u64, u32) {
    let mut m = interruptible(name, MIE_MTIE);
    assert_eq!(m.run(at), StopReason::CycleLimit);
    let now = m.cycle;
    m.bus.store(MTIMECMP, 4, at as u32, now).unwrap();
    m.bus.store(MTIMECMP + 4, 4, 0, now).unwrap();
    interrupt_point(&mut m, IRQ_TIMER)
}

/// (preset, cycle of the key press), (cycle in the handler, mepc).
type Pinned = ((&'static str, u64), (u64, u32));

/// A key press interrupts at the exact point a timer interrupt due at
/// the same cycle does, on every core (the five-stage pipeline takes
/// both in the same stage); the points are pinned.
#[test]
fn key_interrupt_is_taken_at_the_exact_cycle() {
    // (preset, cycle of the key press) -> (cycle when the hart is in the
    // handler, mepc). The cache presets start cold: later presses.
    // Functional and single cycle: the instruction of the press's cycle
    // does not run (mepc = its pc). Five-stage: EX, ID and IF are
    // squashed, mepc is the instruction in EX (docs/timing.md,
    // "Interrupts"). With caches the press lands during fetch misses.
    let pinned: &[Pinned] = &[
        (("functional", 20), (21, 0x8000_0050)),
        (("functional", 37), (38, 0x8000_0094)),
        (("single-cycle", 20), (21, 0x8000_0050)),
        (("single-cycle", 37), (38, 0x8000_0094)),
        (("textbook", 20), (21, 0x8000_0048)),
        (("textbook", 37), (38, 0x8000_008c)),
        (("classic-l1", 600), (601, 0x8000_0140)),
        (("classic-l1", 637), (638, 0x8000_0154)),
        (("default", 600), (601, 0x8000_00a0)),
        (("default", 637), (638, 0x8000_00a0)),
    ];
    let mut got = Vec::new();
    for name in PRESETS {
        let cached = preset(name).memory.l1i.is_some();
        let ats: &[u64] = if cached { &[600, 637] } else { &[20, 37] };
        for &at in ats {
            let key = key_interrupt_point(name, at);
            assert_eq!(key, timer_interrupt_point(name, at), "{name}, cycle {at}");
            got.push(((*name, at), key));
        }
    }
    assert_eq!(got, pinned);
}

// ---------------------------------------------------------------------
// The device ROMs on every core
// ---------------------------------------------------------------------

/// `roms/devices/snake.keys` played on every core: the same frames at the
/// same cycles (the game keeps time in display frames), the same score on
/// the LEDs and the seven-segment display.
#[test]
fn scripted_snake_game_is_the_same_on_every_core() {
    let script = KeyScript::parse(&std::fs::read_to_string(rom("snake.keys")).unwrap()).unwrap();
    // Cycles late in a frame (200,000 cycles each), when its drawing is
    // done on every core.
    let checkpoints = [1_000_000 - 1, 9_000_000 - 1, 30_000_000 - 1, 35_000_000 - 1];
    let mut results = Vec::new();
    for name in PRESETS {
        let mut m = machine_with_rom(name, "snake.elf");
        let mut next = 0;
        let mut seen = Vec::new();
        for &c in &checkpoints {
            let stop = run_with_keys(&mut m, &script, &mut next, c);
            assert_eq!(stop, StopReason::CycleLimit, "{name} at cycle {c}");
            seen.push((frame_hash(&m), m.devices().leds(), m.devices().sevenseg()));
        }
        results.push((*name, seen));
    }
    // Digits show 0 (0x3f) and 2 (0x5b); the LED bar lights one LED a
    // point. At 35M the second game has just begun.
    let pinned = vec![
        (0xf3a4_edce_6ea4_080f, 0, [0, 0, 0, 0]),
        (0x0a94_ba1a_7c14_2a8f, 0, [0x3f; 4]),
        (0xa219_18c7_d592_7093, 3, [0x5b, 0x3f, 0x3f, 0x3f]),
        (0xf288_cdb5_6db8_2fa3, 0, [0x3f; 4]),
    ];
    for (name, seen) in &results {
        assert_eq!(seen, &pinned, "{name}");
    }
}

/// `keyboard_irq`: the handler drains the FIFO on each keyboard
/// interrupt; the main loop prints the events and lights LED n while key
/// a + n is held. Same output, LEDs and instructions on every core.
#[test]
fn keyboard_interrupt_demo_is_the_same_on_every_core() {
    let script = KeyScript::parse(
        "100000 press a\n150000 release a\n200000 press 0x05\n250000 press c\n\
         300000 release b\n300000 release c\n400000 press esc\n",
    )
    .unwrap();
    let expected = "keyboard: press keys; Esc ends\n\
                    press a (0x04)\nrelease a (0x04)\npress b (0x05)\npress c (0x06)\n\
                    release b (0x05)\nrelease c (0x06)\npress esc (0x29)\nevents: 7\n";
    for name in PRESETS {
        let mut m = machine_with_rom(name, "keyboard_irq.elf");
        let mut next = 0;
        assert_eq!(
            run_with_keys(&mut m, &script, &mut next, 280_000),
            StopReason::CycleLimit
        );
        assert_eq!(m.devices().leds(), 0b110, "{name}: b and c held");
        let stop = run_with_keys(&mut m, &script, &mut next, 2_000_000);
        assert_eq!(
            stop,
            StopReason::Halted(glassbox::Halt::Exited(0)),
            "{name}"
        );
        assert_eq!(
            String::from_utf8_lossy(&m.take_output()),
            expected,
            "{name}"
        );
        assert_eq!(m.instret, 3321, "{name}");
        assert_eq!(m.devices().leds(), 0, "{name}");
    }
}

/// `uart_echo_irq`: console input through the UART's receive interrupt
/// (PLIC source 10), as written for QEMU `virt`.
#[test]
fn uart_echo_by_interrupts_is_the_same_on_every_core() {
    for name in PRESETS {
        let mut m = machine_with_rom(name, "uart_echo_irq.elf");
        m.push_input(b"hi\n\x04");
        m.close_input();
        let stop = m.run(5_000_000);
        assert_eq!(
            stop,
            StopReason::Halted(glassbox::Halt::Exited(0)),
            "{name}"
        );
        assert_eq!(
            String::from_utf8_lossy(&m.take_output()),
            "echo: type; Ctrl-D ends\nhi\n\n[echo: 3 bytes, 1 lines]\n",
            "{name}"
        );
    }
}

/// `leds`: LED n shows switch n, inverted while button A is held; the
/// seven-segment display shows the switches in hex. Woken by the GPIO
/// change interrupt.
#[test]
fn leds_follow_switches_on_every_core() {
    for name in PRESETS {
        let mut m = machine_with_rom(name, "leds.elf");
        assert_eq!(m.run(200_000), StopReason::CycleLimit, "{name}");
        assert_eq!(m.devices().leds(), 0, "{name}");
        m.set_switches(0x12a5);
        assert_eq!(m.run(200_000), StopReason::CycleLimit, "{name}");
        assert_eq!(m.devices().leds(), 0x12a5, "{name}");
        let digits = m.devices().sevenseg();
        m.set_buttons(glassbox::platform::gpio::BUTTON_A);
        assert_eq!(m.run(200_000), StopReason::CycleLimit, "{name}");
        assert_eq!(m.devices().leds(), !0x12a5, "{name}: inverted");
        m.set_buttons(0);
        assert_eq!(m.run(200_000), StopReason::CycleLimit, "{name}");
        assert_eq!(m.devices().leds(), 0x12a5, "{name}");
        assert_eq!(digits, [0x6d, 0x77, 0x5b, 0x06], "{name}: 5, A, 2, 1");
    }
}

/// The UART's interrupt registers (IER, IIR) that the devices made real:
/// received data (PLIC source 10 line) before THR empty.
#[test]
fn uart_interrupt_registers_read_and_write() {
    let mut m = Machine::new(MachineConfig::default()).unwrap();
    let (ier, iir_fcr) = (UART + 1, UART + 2);
    let rd = |m: &mut Machine, a: u32| m.bus.load(a, 1, 0).unwrap();
    // IER keeps bits 0..3.
    m.bus.store(ier, 1, 0xff, 0).unwrap();
    assert_eq!(rd(&mut m, ier), 0x0f);
    m.bus.store(ier, 1, 0, 0).unwrap();
    // IIR: no interrupt; with FIFOs enabled (FCR bit 0) bits 7..6 read 11.
    assert_eq!(rd(&mut m, iir_fcr), 0x01);
    m.bus.store(iir_fcr, 1, 1, 0).unwrap();
    assert_eq!(rd(&mut m, iir_fcr), 0xc1);
    // Received data available: raised while input waits and IER bit 0 is set.
    m.push_input(b"ab");
    assert_eq!(rd(&mut m, iir_fcr), 0xc1, "not enabled");
    m.bus.store(ier, 1, 1, 0).unwrap();
    assert_eq!(rd(&mut m, iir_fcr), 0xc4);
    assert!(m.bus.irq_levels(0) & (1 << SOURCE_UART) != 0);
    assert_eq!(rd(&mut m, UART), b'a' as u32);
    assert_eq!(rd(&mut m, UART), b'b' as u32);
    assert_eq!(rd(&mut m, iir_fcr), 0xc1, "drained");
    assert_eq!(m.bus.irq_levels(0) & (1 << SOURCE_UART), 0);
    // THR empty: raised by enabling it and by each THR write, cleared by
    // the IIR read that reports it.
    m.bus.store(ier, 1, 2, 0).unwrap();
    assert_eq!(rd(&mut m, iir_fcr), 0xc2);
    assert_eq!(rd(&mut m, iir_fcr), 0xc1);
    m.bus.store(UART, 1, b'x' as u32, 0).unwrap();
    assert_eq!(rd(&mut m, iir_fcr), 0xc2);
    assert_eq!(rd(&mut m, iir_fcr), 0xc1);
    assert_eq!(m.take_output(), b"x");
}
