//! `glassbox gdb` driven by the real GDB (`gdb-multiarch`, which CI
//! installs; without it these tests fail, they do not skip) in batch mode
//! over `target remote | glassbox gdb ELF --stdio`, asserting GDB's exact
//! output. The program is `tests/gdb/counter.s`, assembled by `glassbox
//! asm`: 300 rounds of a store to `counter`, a load of `other` and a call
//! of `twice`, then exit(7).

mod common_cli;

use common_cli::{TempDir, root};
use glassbox::machine::Machine;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_glassbox");
const GDB: &str = "gdb-multiarch";

/// `tests/gdb/counter.s` assembled into `dir`.
fn counter_elf(dir: &TempDir) -> PathBuf {
    let elf = dir.path().join("counter.elf");
    let out = Command::new(BIN)
        .arg("asm")
        .arg(root().join("tests/gdb/counter.s"))
        .arg("-o")
        .arg(&elf)
        .output()
        .expect("glassbox asm runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    elf
}

struct Session {
    stdout: String,
    stderr: String,
}

/// Runs GDB in batch mode on `elf` with the stub under `config`, then the
/// commands `cmds` (one per line, from a command file).
fn gdb(elf: &Path, config: &str, cmds: &[String]) -> Session {
    let dir = elf.parent().unwrap();
    let script = dir.join(format!("cmds-{config}.gdb"));
    let mut text = format!(
        "target remote | {BIN} gdb {} --stdio --config {config}\n",
        elf.display()
    );
    for c in cmds {
        text += c;
        text.push('\n');
    }
    std::fs::write(&script, text).unwrap();
    let out = Command::new(GDB)
        .args(["-nx", "-batch", "-x"])
        .arg(&script)
        .arg(elf)
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {GDB} ({e}): install it (apt-get install -y gdb-multiarch)")
        });
    let s = Session {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !s.stderr.contains("panicked"),
        "the stub panicked:\n{}",
        s.stderr
    );
    s
}

fn cmds(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn breakpoint_with_ignore_count_then_continue_to_exit() {
    let dir = TempDir::new("gdb-bp");
    let elf = counter_elf(&dir);
    for config in ["default", "functional"] {
        let s = gdb(
            &elf,
            config,
            &cmds(&[
                "break *here",
                "ignore 1 9",
                "continue",
                "p $s1",
                "p $t2",
                "info breakpoints",
                "hbreak *twice",
                "delete 1",
                "continue",
                "p $a0",
                "delete",
                "continue",
            ]),
        );
        assert_eq!(
            s.stdout,
            "0x80000000 in _start ()\n\
             Breakpoint 1 at 0x80000034\n\
             \n\
             Breakpoint 1, 0x80000034 in here ()\n\
             $1 = 10\n\
             $2 = 20\n\
             Num     Type           Disp Enb Address    What\n\
             1       breakpoint     keep y   0x80000034 <here>\n\
             \tbreakpoint already hit 10 times\n\
             Hardware assisted breakpoint 2 at 0x80000048\n\
             \n\
             Breakpoint 2, 0x80000048 in twice ()\n\
             $3 = 11\n\
             [Inferior 1 (process 1) exited with code 07]\n",
            "config {config}; stderr:\n{}",
            s.stderr
        );
        assert_eq!(s.stderr, "", "config {config}");
    }
}

#[test]
fn watchpoints_write_read_and_access() {
    let dir = TempDir::new("gdb-watch");
    let elf = counter_elf(&dir);
    for config in ["default", "functional", "textbook"] {
        let s = gdb(
            &elf,
            config,
            &cmds(&[
                "watch *(int*)&counter",
                "continue",
                "continue",
                "p $pc",
                "delete",
                "rwatch *(int*)&other",
                "continue",
                "p $pc",
                "delete",
                "awatch *(int*)&counter",
                "continue",
                "delete",
                "watch *(int*)0x70000000",
                // An error ends GDB's command file here.
                "continue",
            ]),
        );
        assert_eq!(
            s.stdout,
            "0x80000000 in _start ()\n\
             Hardware watchpoint 1: *(int*)&counter\n\
             \n\
             Hardware watchpoint 1: *(int*)&counter\n\
             \n\
             Old value = 0\n\
             New value = 1\n\
             0x8000001c in loop ()\n\
             \n\
             Hardware watchpoint 1: *(int*)&counter\n\
             \n\
             Old value = 1\n\
             New value = 2\n\
             0x8000001c in loop ()\n\
             $1 = (void (*)()) 0x8000001c <loop+8>\n\
             Hardware read watchpoint 2: *(int*)&other\n\
             \n\
             Hardware read watchpoint 2: *(int*)&other\n\
             \n\
             Value = 5\n\
             0x80000020 in loop ()\n\
             $2 = (void (*)()) 0x80000020 <loop+12>\n\
             Hardware access (read/write) watchpoint 3: *(int*)&counter\n\
             \n\
             Hardware access (read/write) watchpoint 3: *(int*)&counter\n\
             \n\
             Old value = 2\n\
             New value = 3\n\
             0x8000001c in loop ()\n\
             Hardware watchpoint 4: *(int*)0x70000000\n\
             [Inferior 1 (process 1) detached]\n",
            "config {config}; stderr:\n{}",
            s.stderr
        );
        // Nothing is mapped there: the stub refuses the watchpoint, and GDB
        // says so.
        assert!(
            s.stderr.contains("Could not insert hardware watchpoint 4."),
            "{}",
            s.stderr
        );
    }
}

#[test]
fn stepping_registers_csrs_and_memory_writes() {
    let dir = TempDir::new("gdb-step");
    let elf = counter_elf(&dir);
    let s = gdb(
        &elf,
        "functional",
        &cmds(&[
            "stepi",
            "stepi",
            "info registers pc s0",
            "stepi 3",
            "p/x $mscratch",
            "info registers mstatus misa mcause",
            "p $mcycle",
            "p $minstret",
            "set var $mscratch = 0x1234",
            "p/x $mscratch",
            "set var $s1 = 41",
            "set var *(int*)&other = 100",
            "x/3dw &counter",
            "break *here",
            "continue",
            "p $s1",
            "p $t1",
            "p $t2",
            "x/2dw &counter",
            "set var $pc = 0x8000003c",
            "continue",
        ]),
    );
    assert_eq!(
        s.stdout,
        "0x80000000 in _start ()\n\
         0x80000004 in _start ()\n\
         0x80000008 in _start ()\n\
         pc             0x80000008\t0x80000008 <_start+8>\n\
         s0             0x80000050          0x80000050\n\
         0x80000014 in loop ()\n\
         $1 = 0x55\n\
         mstatus        0x1800\tSD:0 VM:00 MXR:0 PUM:0 MPRV:0 XS:0 FS:0 MPP:3 HPP:0 SPP:0 MPIE:0 HPIE:0 SPIE:0 UPIE:0 MIE:0 HIE:0 SIE:0 UIE:0\n\
         misa           0x40001105\tRV32ACIM\n\
         mcause         0x0\t0\n\
         $2 = 5\n\
         $3 = 5\n\
         $4 = 0x1234\n\
         0x80000050:\t0\t100\t7\n\
         Breakpoint 1 at 0x80000034\n\
         \n\
         Breakpoint 1, 0x80000034 in here ()\n\
         $5 = 42\n\
         $6 = 142\n\
         $7 = 84\n\
         0x80000050:\t42\t100\n\
         [Inferior 1 (process 1) exited with code 07]\n",
        "stderr:\n{}",
        s.stderr
    );
}

/// The statistics table at a cycle, as the library makes it.
fn stats_at(elf: &Path, config: &str, cycle: u64) -> String {
    let cfg = glassbox::MachineConfig::from_file_or_preset(Path::new(config)).unwrap();
    let image =
        glassbox::loader::load_file(elf, Machine::new(cfg.clone()).unwrap().ram_region(), None)
            .unwrap();
    let mut m = Machine::with_image(cfg, &image).unwrap();
    m.close_input();
    while m.cycle < cycle {
        m.run(cycle - m.cycle);
    }
    glassbox::stats::to_text(&m.stats())
}

#[test]
fn monitor_commands() {
    let dir = TempDir::new("gdb-monitor");
    let elf = counter_elf(&dir);
    let s = gdb(
        &elf,
        "textbook",
        &cmds(&[
            "monitor help",
            "monitor cycle",
            "monitor stepc 10",
            "maintenance flush register-cache",
            "p $pc",
            "monitor cycle",
            "monitor seek 4",
            "maintenance flush register-cache",
            "p $pc",
            "monitor seek 11",
            "monitor seek 10",
            "monitor stepc -3",
            "monitor stepc",
            "monitor bogus 1",
            "monitor cycle 2",
            "monitor stats",
        ]),
    );
    let stats = stats_at(&elf, "textbook", 10);
    // GDB prints what a `monitor` command answers on its stderr.
    let expected = format!(
        "{help}\
         cycle 0 (instret 0)\n\
         cycle 10 pc 0x80000010\n\
         cycle 10 (instret 4)\n\
         cycle 4 pc 0x80000000\n\
         error: seek: cycle 11 has not been reached yet (the furthest cycle reached is 10)\n\
         cycle 10 pc 0x80000010\n\
         error: stepc N: `-3` is not a cycle count\n\
         error: `stepc` takes one number\n\
         error: unknown command `bogus` (try `monitor help`)\n\
         error: `cycle` takes no arguments\n\
         {stats}",
        help = glassbox::gdb::monitor::HELP
    );
    assert_eq!(s.stderr, expected);
    assert_eq!(
        s.stdout,
        "0x80000000 in _start ()\n\
         $1 = (void (*)()) 0x80000010 <_start+16>\n\
         $2 = (void (*)()) 0x80000000 <_start>\n\
         [Inferior 1 (process 1) detached]\n"
    );
}

/// `info registers` and the counters, once per `@@` marker.
fn blocks(out: &str) -> Vec<String> {
    out.split("@@\n")
        .skip(1)
        .map(|b| {
            // Drop the step's own line ("0x... in loop ()").
            b.lines()
                .filter(|l| !l.starts_with("0x") && !l.starts_with("[Inferior"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

#[test]
fn reverse_stepping_200_instructions_matches_the_way_forward() {
    let dir = TempDir::new("gdb-reverse");
    let elf = counter_elf(&dir);
    for config in ["default", "functional"] {
        let show = [
            "echo @@\\n",
            "info registers",
            "info registers minstret mcycle mscratch",
        ];
        let mut c = cmds(&["break *here", "continue", "delete"]);
        c.extend(show.iter().map(|s| s.to_string()));
        for _ in 0..200 {
            c.push("stepi".into());
            c.extend(show.iter().map(|s| s.to_string()));
        }
        for _ in 0..200 {
            c.push("reverse-stepi".into());
            c.extend(show.iter().map(|s| s.to_string()));
        }
        let s = gdb(&elf, config, &c);
        let b = blocks(&s.stdout);
        assert_eq!(b.len(), 401, "config {config}: {}\n{}", s.stdout, s.stderr);
        let (fwd, back) = b.split_at(201);
        // Every step moved: no two neighbours are the same state.
        assert!(fwd.windows(2).all(|w| w[0] != w[1]), "{config}");
        for (j, state) in back.iter().enumerate() {
            assert_eq!(
                state,
                &fwd[199 - j],
                "config {config}: after {} reverse steps",
                j + 1
            );
        }
        assert!(fwd[0].contains("s1             0x1\t1"), "{}", fwd[0]);
    }
}

#[test]
fn reverse_continue_and_reverse_finish() {
    let dir = TempDir::new("gdb-rcont");
    let elf = counter_elf(&dir);
    for config in ["default", "functional"] {
        let s = gdb(
            &elf,
            config,
            &cmds(&[
                "break *twice",
                "continue",
                "continue",
                "continue",
                "p $a0",
                "reverse-continue",
                "p $a0",
                "stepi",
                "delete",
                "reverse-finish",
                "p $pc",
                "p $s1",
                "reverse-continue",
                "p $pc",
                "monitor cycle",
            ]),
        );
        assert_eq!(
            s.stdout,
            "0x80000000 in _start ()\n\
             Breakpoint 1 at 0x80000048\n\
             \n\
             Breakpoint 1, 0x80000048 in twice ()\n\
             \n\
             Breakpoint 1, 0x80000048 in twice ()\n\
             \n\
             Breakpoint 1, 0x80000048 in twice ()\n\
             $1 = 3\n\
             \n\
             Breakpoint 1, 0x80000048 in twice ()\n\
             $2 = 2\n\
             0x8000004c in twice ()\n\
             0x8000002c in loop ()\n\
             $3 = (void (*)()) 0x8000002c <loop+24>\n\
             $4 = 2\n\
             \n\
             No more reverse-execution history.\n\
             0x80000000 in _start ()\n\
             $5 = (void (*)()) 0x80000000 <_start>\n\
             [Inferior 1 (process 1) detached]\n",
            "config {config}; stderr:\n{}",
            s.stderr
        );
        assert_eq!(s.stderr, "cycle 0 (instret 0)\n");
    }
}

/// Runs `glassbox gdb` on `source` (an assembly file) over stdio with
/// `input` as everything GDB sends, then end of input.
fn stub_with_input(dir: &TempDir, source: &str, input: &[u8]) -> (Option<i32>, String, String) {
    use std::io::Write;
    let src = dir.path().join("prog.s");
    std::fs::write(&src, source).unwrap();
    let mut child = Command::new(BIN)
        .args(["gdb", "--stdio", "--config", "functional"])
        .arg(&src)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn exit_statuses_of_the_gdb_command() {
    let dir = TempDir::new("gdb-exit");
    let forever = "_start:\n addi a0, a0, 1\n j _start\n";
    // GDB gone while the machine runs: status 1 and a message.
    let (code, stdout, stderr) = stub_with_input(&dir, forever, b"+$c#63");
    assert_eq!(code, Some(1));
    assert_eq!(stdout, "+");
    assert_eq!(
        stderr,
        "glassbox gdb: the debugger disconnected while the machine was running\n"
    );
    // Gone while stopped: a clean end.
    let (code, _, stderr) = stub_with_input(&dir, forever, b"+$g#67+");
    assert_eq!(code, Some(0));
    assert_eq!(stderr, "glassbox gdb: the debugger closed the connection\n");
    // Detach: status 0, nothing said.
    let (code, stdout, stderr) = stub_with_input(&dir, forever, b"+$D#44+");
    assert_eq!(
        (code, stdout.as_str(), stderr.as_str()),
        (Some(0), "+$OK#9a", "")
    );
    // A bad ROM or a missing channel flag is a usage error.
    let out = Command::new(BIN)
        .args(["gdb", "no-such.elf", "--stdio"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(BIN)
        .args(["gdb", "roms/fibonacci.elf"])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
