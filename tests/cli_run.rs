//! The `glassbox` binary end to end: console, exit status, statistics,
//! error reporting for bad ROMs and configurations, and `disasm`.

mod common_cli;

use common_cli::{TempDir, program_rom, program_roms, root};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_glassbox");

/// What one run of the binary produced.
struct Out {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

impl Out {
    fn stdout_str(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

/// Runs the binary in the crate root with `args`, feeding `stdin` through a
/// pipe (an empty pipe when `stdin` is empty).
fn glassbox<S: AsRef<std::ffi::OsStr>>(args: &[S], stdin: &[u8]) -> Out {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("glassbox binary starts");
    {
        let mut pipe = child.stdin.take().expect("stdin pipe");
        // The guest may exit without reading everything: ignore EPIPE.
        let _ = pipe.write_all(stdin);
    }
    let out = child.wait_with_output().expect("glassbox binary finishes");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !stderr.contains("panicked"),
        "glassbox {:?} panicked:\n{stderr}",
        args.iter().map(|a| a.as_ref()).collect::<Vec<_>>()
    );
    Out {
        code: out.status.code(),
        stdout: out.stdout,
        stderr,
    }
}

fn p(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

// ---------------------------------------------------------------- programs

#[test]
fn every_program_rom_prints_its_expected_output_and_exit_code() {
    let roms = program_roms();
    assert!(roms.len() >= 9, "found only {} program ROMs", roms.len());
    for rom in roms {
        let out = glassbox(&["run", &p(&rom.path)], &rom.stdin);
        assert_eq!(
            out.stdout_str(),
            String::from_utf8_lossy(&rom.expected_stdout),
            "stdout of {}",
            rom.name
        );
        assert_eq!(
            out.stdout, rom.expected_stdout,
            "stdout bytes of {}",
            rom.name
        );
        assert_eq!(
            out.code,
            Some(rom.exit_code),
            "exit status of {} (stderr: {})",
            rom.name,
            out.stderr
        );
        assert_eq!(out.stderr, "", "stderr of {}", rom.name);
    }
}

#[test]
fn exit_code_rom_exits_with_3() {
    let out = glassbox(&["run", "roms/exit_code.elf"], b"");
    assert_eq!(out.stdout_str(), "exiting with 3\n");
    assert_eq!(out.code, Some(3));
}

#[test]
fn echo_uppercases_piped_stdin() {
    let rom = program_rom("echo");
    let out = glassbox(&["run", "roms/echo.elf"], &rom.stdin);
    assert_eq!(out.stdout, rom.expected_stdout);
    assert_eq!(out.stdout_str(), "HELLO, GLASSBOX\nLINE TWO: 123 ABC!\n");
    assert_eq!(out.code, Some(0));

    // Empty stdin: empty output, clean exit.
    let out = glassbox(&["run", "roms/echo.elf"], b"");
    assert_eq!(out.stdout_str(), "");
    assert_eq!(out.code, Some(0), "stderr: {}", out.stderr);

    // More than one read(…, 128) worth of input, in one pipe.
    let input: Vec<u8> = (0..1000).map(|i| b"abcxyz{}09 \n"[i % 12]).collect();
    let expected: Vec<u8> = input.iter().map(u8::to_ascii_uppercase).collect();
    let out = glassbox(&["run", "roms/echo.elf"], &input);
    assert_eq!(out.stdout, expected);
    assert_eq!(out.code, Some(0));
}

#[test]
fn program_roms_run_on_named_presets() {
    for preset in ["functional", "textbook", "gshare", "functional.ron"] {
        let out = glassbox(&["run", "roms/fibonacci.elf", "--config", preset], b"");
        let expected = program_rom("fibonacci").expected_stdout;
        assert_eq!(out.stdout, expected, "fibonacci with --config {preset}");
        assert_eq!(out.code, Some(0), "--config {preset}: {}", out.stderr);
    }
    let cfg = root().join("assets/configs/branch-in-id.ron");
    let out = glassbox(&["run", "roms/hello_uart.elf", "--config", &p(&cfg)], b"");
    assert_eq!(out.stdout_str(), "Hello from Glassbox!\n");
    assert_eq!(out.code, Some(0));
}

/// `glassbox` alone opens the window on the demo; `glassbox run` without a
/// ROM runs the same built-in demo headless.
#[test]
fn run_without_a_rom_runs_the_fibonacci_demo() {
    let out = glassbox(&["run"], b"");
    assert_eq!(out.stdout, program_rom("fibonacci").expected_stdout);
    assert_eq!(
        out.stdout_str(),
        "0\n1\n1\n2\n3\n5\n8\n13\n21\n34\n55\n89\n144\n233\n377\n610\n987\n1597\n2584\n4181\n"
    );
    assert_eq!(out.code, Some(0), "stderr: {}", out.stderr);
    assert_eq!(out.stderr, "");
}

#[test]
fn demo_works_from_any_directory() {
    let dir = TempDir::new("demo-cwd");
    let out = Command::new(BIN)
        .arg("run")
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .output()
        .expect("glassbox runs");
    assert_eq!(out.stdout, program_rom("fibonacci").expected_stdout);
    assert_eq!(out.status.code(), Some(0));
}

// ---------------------------------------------------------------- statistics

/// Parses `text` as exactly one flat JSON object (no nested values).
fn flat_json(text: &str) -> serde_json::Map<String, serde_json::Value> {
    let v: serde_json::Value = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("stats are not one JSON value ({e}):\n{text}"));
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("stats are not a JSON object:\n{text}"))
        .clone();
    for (k, v) in &obj {
        assert!(!v.is_object() && !v.is_array(), "stat {k} is not flat: {v}");
    }
    obj
}

fn json_u64(obj: &serde_json::Map<String, serde_json::Value>, key: &str) -> u64 {
    obj.get(key)
        .unwrap_or_else(|| panic!("no `{key}` in {obj:?}"))
        .as_u64()
        .unwrap_or_else(|| panic!("`{key}` is not an unsigned integer in {obj:?}"))
}

#[test]
fn stats_json_on_functional_preset_counts_hello_syscall_exactly() {
    let out = glassbox(
        &[
            "run",
            "roms/hello_syscall.elf",
            "--config",
            "functional",
            "--stats",
            "--stats-format",
            "json",
        ],
        b"",
    );
    assert_eq!(out.code, Some(0), "stderr: {}", out.stderr);
    assert_eq!(out.stdout_str(), "Hello from Glassbox!\n");
    let s = flat_json(&out.stderr);
    // li, auipc, addi, auipc, addi, sub, li, ecall(write), li, li, ecall(exit)
    assert_eq!(json_u64(&s, "instret"), 11);
    assert_eq!(json_u64(&s, "cycles"), 11);
    assert_eq!(json_u64(&s, "cycles"), json_u64(&s, "instret"));
    assert_eq!(s.get("exit_code"), Some(&serde_json::json!(0)));
    assert_eq!(s.get("cpi").and_then(|v| v.as_f64()), Some(1.0));
}

#[test]
fn stats_json_on_the_default_pipeline() {
    let out = glassbox(
        &[
            "run",
            "roms/hello_syscall.elf",
            "--stats",
            "--stats-format",
            "json",
        ],
        b"",
    );
    assert_eq!(out.code, Some(0), "stderr: {}", out.stderr);
    let s = flat_json(&out.stderr);
    // The same program retires the same instructions on every model.
    assert_eq!(json_u64(&s, "instret"), 11);
    assert!(
        json_u64(&s, "cycles") > json_u64(&s, "instret"),
        "a five-stage pipeline needs fill cycles: {s:?}"
    );
    assert_eq!(s.get("exit_code"), Some(&serde_json::json!(0)));
}

#[test]
fn stats_report_a_non_zero_exit_code() {
    let out = glassbox(
        &[
            "run",
            "roms/exit_code.elf",
            "--config",
            "functional",
            "--stats",
            "--stats-format",
            "json",
        ],
        b"",
    );
    assert_eq!(out.code, Some(3));
    assert_eq!(out.stdout_str(), "exiting with 3\n");
    let s = flat_json(&out.stderr);
    assert_eq!(s.get("exit_code"), Some(&serde_json::json!(3)));
    assert_eq!(json_u64(&s, "cycles"), json_u64(&s, "instret"));
}

#[test]
fn stats_file_receives_the_statistics_and_stderr_stays_clean() {
    let dir = TempDir::new("stats-file");
    let file = dir.path().join("stats.json");
    let out = glassbox(
        &[
            "run",
            "roms/hello_syscall.elf",
            "--config",
            "functional",
            "--stats-format",
            "json",
            "--stats-file",
            &p(&file),
        ],
        b"",
    );
    assert_eq!(out.code, Some(0), "stderr: {}", out.stderr);
    assert_eq!(out.stdout_str(), "Hello from Glassbox!\n");
    assert_eq!(out.stderr, "", "--stats-file must not print the stats");
    let text = std::fs::read_to_string(&file).expect("the stats file was written");
    let s = flat_json(&text);
    assert_eq!(json_u64(&s, "instret"), 11);
    assert_eq!(json_u64(&s, "cycles"), 11);
    assert_eq!(s.get("exit_code"), Some(&serde_json::json!(0)));
}

#[test]
fn stats_file_in_a_missing_directory_is_an_error() {
    let dir = TempDir::new("stats-file-missing");
    let file = dir.path().join("no/such/dir/stats.json");
    let out = glassbox(
        &["run", "roms/hello_syscall.elf", "--stats-file", &p(&file)],
        b"",
    );
    assert_eq!(out.code, Some(2), "stderr: {}", out.stderr);
    assert!(out.stderr.contains(&p(&file)), "stderr: {}", out.stderr);
}

#[test]
fn stats_ron_parses_with_ron() {
    let out = glassbox(
        &[
            "run",
            "roms/hello_syscall.elf",
            "--config",
            "functional",
            "--stats",
            "--stats-format",
            "ron",
        ],
        b"",
    );
    assert_eq!(out.code, Some(0), "stderr: {}", out.stderr);
    let map: BTreeMap<String, ron::Value> = ron::from_str(&out.stderr)
        .unwrap_or_else(|e| panic!("RON stats do not parse ({e}):\n{}", out.stderr));
    let get = |k: &str| -> ron::Value {
        let v = map
            .get(k)
            .unwrap_or_else(|| panic!("no `{k}` in {map:?}"))
            .clone();
        assert_ne!(v, ron::Value::Unit, "`{k}` is missing in {map:?}");
        v
    };
    let instret: u64 = get("instret").into_rust().expect("instret is an integer");
    let cycles: u64 = get("cycles").into_rust().expect("cycles is an integer");
    let exit_code: i64 = get("exit_code")
        .into_rust()
        .expect("exit_code is an integer");
    assert_eq!(instret, 11);
    assert_eq!(cycles, 11);
    assert_eq!(exit_code, 0);
}

#[test]
fn stats_text_is_a_table_on_stderr() {
    let out = glassbox(
        &[
            "run",
            "roms/hello_syscall.elf",
            "--config",
            "functional",
            "--stats",
        ],
        b"",
    );
    assert_eq!(out.code, Some(0));
    assert_eq!(out.stdout_str(), "Hello from Glassbox!\n");
    let rows: BTreeMap<&str, &str> = out
        .stderr
        .lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            Some((w.next()?, w.next()?))
        })
        .collect();
    assert_eq!(rows.get("cycles"), Some(&"11"), "stderr: {}", out.stderr);
    assert_eq!(rows.get("instret"), Some(&"11"), "stderr: {}", out.stderr);
    assert_eq!(rows.get("exit_code"), Some(&"0"), "stderr: {}", out.stderr);
}

// ---------------------------------------------------------------- limits and errors

#[test]
fn max_cycles_cuts_matmul_off_with_status_124() {
    let out = glassbox(&["run", "roms/matmul.elf", "--max-cycles", "100"], b"");
    assert_eq!(out.code, Some(124), "stderr: {}", out.stderr);
    assert_eq!(out.stdout_str(), "", "matmul prints only at the end");
    assert!(
        out.stderr.contains("100 cycles") && out.stderr.contains("limit"),
        "message must name the limit: {}",
        out.stderr
    );
}

#[test]
fn one_cycle_is_singular() {
    let out = glassbox(&["run", "roms/matmul.elf", "--max-cycles", "1"], b"");
    assert_eq!(out.code, Some(124), "stderr: {}", out.stderr);
    assert!(
        out.stderr
            .contains("stopped at the cycle limit (1 cycle) before the program exited"),
        "{}",
        out.stderr
    );
}

#[test]
fn max_cycles_stops_at_exactly_the_limit() {
    for preset in ["functional", "default"] {
        let out = glassbox(
            &[
                "run",
                "roms/matmul.elf",
                "--config",
                preset,
                "--max-cycles",
                "100",
                "--stats-format",
                "json",
                "--stats",
            ],
            b"",
        );
        assert_eq!(out.code, Some(124), "{preset}: {}", out.stderr);
        // The limit message comes first, then the JSON object.
        let json_start = out.stderr.find('{').expect("stats follow the message");
        assert!(out.stderr[..json_start].contains("100 cycles"));
        let s = flat_json(&out.stderr[json_start..]);
        assert_eq!(json_u64(&s, "cycles"), 100, "{preset}");
        assert_eq!(
            s.get("exit_code"),
            Some(&serde_json::Value::Null),
            "{preset}: no exit yet"
        );
    }
}

/// Runs a bad ROM: status 2, nothing on stdout, and a message that names the
/// file and contains `what`.
fn assert_bad_rom(path: &Path, what: &str) {
    let out = glassbox(&["run", &p(path)], b"");
    assert_eq!(
        out.code,
        Some(2),
        "{} should be rejected ({what}); stderr: {}",
        path.display(),
        out.stderr
    );
    assert_eq!(out.stdout_str(), "", "{}", path.display());
    assert!(
        out.stderr.contains(&p(path)),
        "message must name the file {}: {}",
        path.display(),
        out.stderr
    );
    assert!(
        out.stderr.contains(what),
        "message for {} must say {what:?}: {}",
        path.display(),
        out.stderr
    );
}

#[test]
fn nonexistent_rom_is_a_usage_error() {
    let dir = TempDir::new("missing-rom");
    assert_bad_rom(&dir.path().join("no-such-rom.elf"), "cannot read");
}

#[test]
fn empty_rom_is_a_usage_error() {
    let dir = TempDir::new("empty-rom");
    assert_bad_rom(&dir.file("empty.elf", b""), "empty file");
}

#[test]
fn text_file_is_not_run_as_a_program() {
    // README: `run ROM` runs an ELF, or a raw binary *with `--raw-addr`*.
    let dir = TempDir::new("text-rom");
    let f = dir.file("notes.txt", b"hello world\nthis is not a program\n");
    assert_bad_rom(&f, "not an ELF");
}

#[test]
fn truncated_elf_is_a_usage_error() {
    let elf = std::fs::read(root().join("roms/fibonacci.elf")).unwrap();
    let dir = TempDir::new("truncated-rom");
    // Inside e_ident, inside the program headers, inside segment data, and
    // inside the section header table at the end.
    for len in [10, 60, 100, 4200, elf.len() - 1] {
        let f = dir.file(&format!("trunc{len}.elf"), &elf[..len]);
        assert_bad_rom(&f, "truncated");
    }
}

#[test]
fn elf64_header_is_a_usage_error() {
    // A minimal ELF64 RISC-V executable header (64 bytes), no program headers.
    let mut h = vec![0u8; 64];
    h[..4].copy_from_slice(b"\x7fELF");
    h[4] = 2; // ELFCLASS64
    h[5] = 1; // little-endian
    h[6] = 1; // EV_CURRENT
    h[16..18].copy_from_slice(&2u16.to_le_bytes()); // ET_EXEC
    h[18..20].copy_from_slice(&243u16.to_le_bytes()); // EM_RISCV
    h[20..24].copy_from_slice(&1u32.to_le_bytes()); // e_version
    h[24..32].copy_from_slice(&0x8000_0000u64.to_le_bytes()); // e_entry
    h[52..54].copy_from_slice(&64u16.to_le_bytes()); // e_ehsize
    let dir = TempDir::new("elf64-rom");
    let f = dir.file("rv64.elf", &h);
    assert_bad_rom(&f, "64-bit");
}

#[test]
fn bad_command_lines_exit_2() {
    for args in [
        &["run", "roms/hello_uart.elf", "--no-such-flag"][..],
        &["run", "roms/hello_uart.elf", "--max-cycles", "lots"],
        &["run", "roms/hello_uart.elf", "--stats-format", "xml"],
        &["run", "roms/hello_uart.elf", "--raw-addr", "0xzz"],
        &["no-such-command"],
    ] {
        let out = glassbox(args, b"");
        assert_eq!(out.code, Some(2), "{args:?}: {}", out.stderr);
        assert_eq!(out.stdout_str(), "", "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?} must explain itself");
    }
}

#[test]
fn unknown_preset_name_is_a_usage_error() {
    let out = glassbox(
        &["run", "roms/hello_uart.elf", "--config", "no-such-preset"],
        b"",
    );
    assert_eq!(out.code, Some(2), "stderr: {}", out.stderr);
    assert_eq!(out.stdout_str(), "");
    assert!(out.stderr.contains("no-such-preset"), "{}", out.stderr);
}

#[test]
fn config_syntax_error_reports_file_line_and_column() {
    let dir = TempDir::new("bad-config");
    let cfg = dir.file(
        "broken.ron",
        b"(\n  core: (\n    model: FiveStage,,\n  ),\n)\n",
    );
    let out = glassbox(&["run", "roms/hello_uart.elf", "--config", &p(&cfg)], b"");
    assert_eq!(out.code, Some(2), "stderr: {}", out.stderr);
    assert_eq!(out.stdout_str(), "", "nothing may run");
    // Line 3, column 22: the second comma.
    let location = format!("{}:3:22:", p(&cfg));
    assert!(
        out.stderr.contains(&location),
        "expected {location:?} in: {}",
        out.stderr
    );
}

#[test]
fn config_unknown_field_is_named() {
    let dir = TempDir::new("unknown-field-config");
    let cfg = dir.file(
        "typo.ron",
        b"(\n  core: (\n    modle: FiveStage,\n  ),\n)\n",
    );
    let out = glassbox(&["run", "roms/hello_uart.elf", "--config", &p(&cfg)], b"");
    assert_eq!(out.code, Some(2), "stderr: {}", out.stderr);
    assert_eq!(out.stdout_str(), "");
    assert!(out.stderr.contains("modle"), "stderr: {}", out.stderr);
    assert!(
        out.stderr.contains(&format!("{}:3:5:", p(&cfg))),
        "stderr: {}",
        out.stderr
    );
}

#[test]
fn config_invalid_value_is_a_usage_error() {
    let dir = TempDir::new("invalid-config");
    let cfg = dir.file("odd-ram.ron", b"(ram_size: 5000)\n");
    let out = glassbox(&["run", "roms/hello_uart.elf", "--config", &p(&cfg)], b"");
    assert_eq!(out.code, Some(2), "stderr: {}", out.stderr);
    assert_eq!(out.stdout_str(), "");
    assert!(out.stderr.contains("ram_size"), "stderr: {}", out.stderr);
    assert!(out.stderr.contains("4096"), "stderr: {}", out.stderr);
}

#[test]
fn unhandled_illegal_instruction_exits_125() {
    let dir = TempDir::new("illegal");
    let bin = dir.file("zero.bin", &[0, 0, 0, 0]);
    for preset in ["functional", "default"] {
        let out = glassbox(
            &[
                "run",
                &p(&bin),
                "--raw-addr",
                "0x80000000",
                "--config",
                preset,
            ],
            b"",
        );
        assert_eq!(out.code, Some(125), "{preset}: {}", out.stderr);
        assert_eq!(out.stdout_str(), "");
        assert!(
            out.stderr.contains("illegal instruction"),
            "{preset}: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains("0x80000000"),
            "{preset}: message names the pc: {}",
            out.stderr
        );
    }
}

// ---------------------------------------------------------------- disasm

#[test]
fn disasm_prints_an_objdump_style_listing() {
    let out = glassbox(&["disasm", "roms/hello_uart.elf"], b"");
    assert_eq!(out.code, Some(0), "stderr: {}", out.stderr);
    let text = out.stdout_str();
    assert!(text.contains("<_start>:"), "{text}");
    assert!(
        text.lines().any(|l| l.starts_with("80000000:\t")),
        "no `80000000:\\t` line in:\n{text}"
    );
    // Every instruction line is `addr:\tword  \tmnemonic...`.
    let insn_lines: Vec<&str> = text
        .lines()
        .filter(|l| l.len() > 9 && l.as_bytes()[8] == b':' && l.as_bytes()[9] == b'\t')
        .collect();
    assert!(insn_lines.len() > 5, "{text}");
    for l in insn_lines {
        let fields: Vec<&str> = l.split('\t').collect();
        assert!(fields.len() >= 3, "bad listing line {l:?}");
        assert!(
            u32::from_str_radix(&fields[0][..8], 16).is_ok(),
            "address in {l:?}"
        );
        assert!(
            u32::from_str_radix(fields[1].trim(), 16).is_ok(),
            "word in {l:?}"
        );
    }
}

#[test]
fn disasm_of_a_bad_file_exits_2() {
    let dir = TempDir::new("disasm-bad");
    let f = dir.file("empty.elf", b"");
    let out = glassbox(&["disasm", &p(&f)], b"");
    assert_eq!(out.code, Some(2), "stderr: {}", out.stderr);
    assert!(out.stderr.contains("empty file"), "{}", out.stderr);
}

#[test]
fn a_saved_state_continues_to_the_same_end() {
    let dir = TempDir::new("savestate");
    for config in ["functional", "textbook", "default"] {
        for (rom, stdin) in [("fibonacci", &b""[..]), ("echo", &b"Some input\n"[..])] {
            let rom_path = p(&program_rom(rom).path);
            let whole = glassbox(&["run", &rom_path, "--config", config, "--stats"], stdin);
            assert_eq!(whole.code, Some(0), "{config}/{rom}: {}", whole.stderr);
            let state = p(&dir.path().join(format!("{config}-{rom}.state")));
            let saved = glassbox(
                &[
                    "run",
                    &rom_path,
                    "--config",
                    config,
                    "--save-state-at",
                    "150",
                    &state,
                ],
                stdin,
            );
            assert_eq!(saved.code, Some(0), "{config}/{rom}: {}", saved.stderr);
            assert_eq!(saved.stdout, whole.stdout, "{config}/{rom}");
            let loaded = glassbox(&["run", "--load-state", &state, "--stats"], b"");
            assert_eq!(loaded.code, Some(0), "{config}/{rom}: {}", loaded.stderr);
            assert_eq!(loaded.stdout_str(), whole.stdout_str(), "{config}/{rom}");
            assert_eq!(loaded.stderr, whole.stderr, "{config}/{rom}: statistics");
        }
    }
}

#[test]
fn bad_save_states_are_refused_clearly() {
    let dir = TempDir::new("badstate");
    // A header of the current version whose body ends early.
    let mut header = b"GLASSBOX".to_vec();
    header.extend_from_slice(&glassbox::debug::savestate::VERSION.to_le_bytes());
    header.extend_from_slice(b"\xff\xff\x00\x00\x00\x00\x00\x00abc");
    let junk = dir.file("junk.state", &header);
    let out = glassbox(&["run", "--load-state", &p(&junk)], b"");
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr
            .contains("junk.state: the save state is truncated"),
        "{}",
        out.stderr
    );
    let other = dir.file("other.state", b"\x7fELF not a state");
    let out = glassbox(&["run", "--load-state", &p(&other)], b"");
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("not a Glassbox save state"),
        "{}",
        out.stderr
    );
    let rom = p(&program_rom("fibonacci").path);
    let out = glassbox(
        &[
            "run",
            &rom,
            "--save-state-at",
            "1000000000",
            &p(&dir.path().join("x")),
        ],
        b"",
    );
    assert_eq!(out.code, Some(0));
    assert!(
        out.stderr
            .contains("before cycle 1000000000: no state saved"),
        "{}",
        out.stderr
    );
    let out = glassbox(&["run", &rom, "--save-state-at", "soon", "x"], b"");
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("--save-state-at: cycle \"soon\""),
        "{}",
        out.stderr
    );
}
// ---------------------------------------------------------------- issue 15: configurations and the stats table

#[test]
fn unknown_preset_names_list_the_presets() {
    let out = glassbox(
        &["run", "roms/hello_uart.elf", "--config", "nosuchpreset"],
        b"",
    );
    assert_eq!(out.code, Some(2), "stderr: {}", out.stderr);
    assert_eq!(
        out.stderr,
        format!(
            "glassbox: `nosuchpreset` is not a configuration file or a preset; the presets are: {}\n",
            glassbox::config::preset_names().join(", ")
        )
    );
    let out = glassbox(&["run", "roms/hello_uart.elf", "--core", "fast"], b"");
    assert_eq!(out.code, Some(2), "stderr: {}", out.stderr);
    assert_eq!(
        out.stderr,
        "glassbox: `fast` is not a core preset or a configuration file; the core presets are: \
         textbook, single-cycle, functional, no-forwarding, no-hazard-detection, bare-pipeline, \
         branch-in-id\n"
    );
    let out = glassbox(
        &["run", "roms/hello_uart.elf", "--memory", "no-forwarding"],
        b"",
    );
    assert_eq!(out.code, Some(2), "stderr: {}", out.stderr);
    assert_eq!(
        out.stderr,
        "glassbox: `no-forwarding` is not a memory preset or a configuration file; the memory \
         presets are: classic-l1, l1-l2-dram, ideal\n"
    );
}

/// Cycles of a run, from its JSON statistics.
fn cycles_of(args: &[&str]) -> u64 {
    let mut all = vec![
        "run",
        "roms/fibonacci.elf",
        "--stats",
        "--stats-format",
        "json",
    ];
    all.extend_from_slice(args);
    let out = glassbox(&all, b"");
    assert_eq!(out.code, Some(0), "{args:?}: {}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stderr).expect("JSON stats");
    v["cycles"].as_u64().expect("cycles")
}

#[test]
fn a_core_preset_on_the_command_line_keeps_the_memory() {
    use glassbox::config::ConfigName;
    // What the library says `default` with the no-forwarding core is.
    let cfg = ConfigName {
        core: Some("no-forwarding".into()),
        ..ConfigName::base("default")
    }
    .resolve()
    .unwrap();
    assert!(cfg.memory.has_caches() && !cfg.core.forwarding);
    let rom = std::fs::read(root().join("roms/fibonacci.elf")).unwrap();
    let mut m = glassbox::Machine::new(cfg).unwrap();
    let image = glassbox::loader::load_bytes(&rom, m.ram_region(), None).unwrap();
    m.load(&image);
    m.run(u64::MAX);
    let expected = m.cycle;
    // The same machine three ways: flags, flags without --config, a file.
    assert_eq!(
        cycles_of(&["--config", "default", "--core", "no-forwarding"]),
        expected
    );
    assert_eq!(cycles_of(&["--core", "no-forwarding"]), expected);
    let dir = TempDir::new("based-config");
    let file = dir.file(
        "nf.ron",
        b"(base: \"default\", core: (forwarding: false, hazard_detection: true))\n",
    );
    assert_eq!(cycles_of(&["--config", &p(&file)]), expected);
    // Without the caches (the preset alone) the count differs.
    assert_ne!(cycles_of(&["--config", "no-forwarding"]), expected);
    // Parts combine: the predictor and the memory of other presets.
    assert_eq!(
        cycles_of(&[
            "--config",
            "no-forwarding",
            "--predictor",
            "not-taken",
            "--memory",
            "l1-l2-dram"
        ]),
        expected
    );
}

#[test]
fn the_stats_table_starts_on_a_new_line_after_unfinished_output() {
    let dir = TempDir::new("open-line");
    // Prints "abc" with no newline, then exits 0.
    let src = dir.file(
        "abc.s",
        b"    .globl _start\n_start:\n    li a0, 'a'\n    li a7, 11\n    ecall\n    \
          li a0, 'b'\n    ecall\n    li a0, 'c'\n    ecall\n    li a0, 0\n    li a7, 93\n    ecall\n",
    );
    let out = glassbox(&["run", &p(&src), "--config", "functional", "--stats"], b"");
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout_str(), "abc");
    assert!(
        out.stderr.starts_with("\ncycles "),
        "the table starts on its own line: {:?}",
        out.stderr
    );
    // Output that ended its line gets no blank line.
    let out = glassbox(
        &[
            "run",
            "roms/hello_syscall.elf",
            "--config",
            "functional",
            "--stats",
        ],
        b"",
    );
    assert!(out.stderr.starts_with("cycles "), "{:?}", out.stderr);
    // Nor does a run that prints nothing to stderr.
    let out = glassbox(&["run", &p(&src), "--config", "functional"], b"");
    assert_eq!(
        (out.stdout_str().as_str(), out.stderr.as_str()),
        ("abc", "")
    );
}

#[test]
fn break_with_a_condition_stops_the_run_with_status_123() {
    // fibonacci prints F(0)..; rt_put_udec is entered with a0 = 13 after
    // printing 0 1 1 2 3 5 8.
    let out = glassbox(
        &[
            "run",
            "roms/fibonacci.elf",
            "--config",
            "functional",
            "--break",
            "rt_put_udec:a0 == 13",
        ],
        b"",
    );
    assert_eq!(out.code, Some(123));
    assert_eq!(out.stdout_str(), "0\n1\n1\n2\n3\n5\n8\n");
    assert_eq!(
        out.stderr,
        "glassbox: breakpoint 1 at 0x800001a4 <rt_put_udec> (hit 1 time) (cycle 302, pc \
         0x800001a4)\n"
    );
}

#[test]
fn watch_stops_at_the_first_uart_store() {
    let out = glassbox(
        &[
            "run",
            "roms/fibonacci.elf",
            "--config",
            "textbook",
            "--watch",
            "0x10000000:1:w",
        ],
        b"",
    );
    assert_eq!(out.code, Some(123));
    // The store of '0' left MEM: the UART has it, the console printed it.
    assert_eq!(out.stdout_str(), "0");
    assert_eq!(
        out.stderr,
        "glassbox: write watchpoint 1 at 0x10000000: sb a2,0(a4) at 0x800001f4 changed 0x00 \
         -> 0x30 (hit 1 time) (cycle 53, pc 0x800001f4)\n"
    );
}

#[test]
fn bad_break_and_watch_flags_are_usage_errors() {
    let cases: [(&[&str], &str); 4] = [
        (
            &["--watch", "0x40000000"],
            "glassbox: --watch 0x40000000: cannot watch 0x40000000..0x40000004: no byte of it \
             is mapped, so no access could ever reach it (RAM is 0x80000000..0x84000000, the \
             UART is 0x10000000..0x10000100, the CLINT is 0x02000000..0x02010000, the test \
             finisher is 0x00100000..0x00101000)\n",
        ),
        (
            &["--break", "main:a0 =="],
            "glassbox: --break main:a0 ==: condition: expected register, number or '(', found \
             the end at column 6\n",
        ),
        (
            &["--break", "nowhere"],
            "glassbox: --break nowhere: \"nowhere\" is neither an address nor a symbol of the \
             program\n",
        ),
        (
            &["--watch", "main:x"],
            "glassbox: --watch main:x: length \"x\": not a 32-bit number: invalid digit found \
             in string, or r, w, a\n",
        ),
    ];
    for (flags, err) in cases {
        let mut args = vec!["run", "roms/fibonacci.elf"];
        args.extend_from_slice(flags);
        let out = glassbox(&args, b"");
        assert_eq!(out.code, Some(2), "{flags:?}");
        assert_eq!(out.stderr, err, "{flags:?}");
    }
}

// --keys and --screenshot (the devices)

/// Decodes the pixels of a PNG written by `--screenshot` with the `png`
/// crate, as any viewer would: (width, height, RGB bytes).
fn png_pixels(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut r = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("a PNG");
    let mut buf = vec![0; r.output_buffer_size().expect("a sane size")];
    let info = r.next_frame(&mut buf).expect("one frame");
    assert_eq!(
        (info.color_type, info.bit_depth),
        (png::ColorType::Rgb, png::BitDepth::Eight),
        "8-bit RGB"
    );
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// The scripted snake game: `--screenshot-at` and the final
/// `--screenshot` hold the frames the library draws with the same key
/// events at the same cycles.
#[test]
fn keys_script_and_screenshots_of_the_snake_game() {
    use glassbox::platform::KeyScript;
    let dir = TempDir::new("snake");
    let shot = dir.path().join("snake.png");
    let out = glassbox(
        &[
            "run",
            "roms/devices/snake.elf",
            "--config",
            "textbook",
            "--keys",
            "roms/devices/snake.keys",
            "--max-cycles",
            "30000000",
            "--screenshot",
            &p(&shot),
            "--screenshot-at",
            "9000000",
        ],
        b"",
    );
    assert_eq!(out.code, Some(124), "{}", out.stderr);
    // The library, same script, same cycles.
    let script =
        KeyScript::parse(&std::fs::read_to_string(root().join("roms/devices/snake.keys")).unwrap())
            .unwrap();
    let mut m =
        glassbox::Machine::new(glassbox::MachineConfig::preset("textbook").unwrap()).unwrap();
    let img =
        glassbox::loader::load_file(&root().join("roms/devices/snake.elf"), m.ram_region(), None)
            .unwrap();
    m.load(&img);
    for (cycle, file) in [(9_000_000, "snake-9000000.png"), (30_000_000, "snake.png")] {
        let from = m.cycle;
        for e in script
            .events
            .iter()
            .filter(|e| e.cycle < cycle && e.cycle >= from)
        {
            m.run(e.cycle - m.cycle);
            m.key(e.code, e.pressed);
        }
        m.run(cycle - m.cycle);
        let want: Vec<u8> = m
            .devices()
            .display()
            .xrgb8888()
            .iter()
            .flat_map(|p| [(p >> 16) as u8, (p >> 8) as u8, *p as u8])
            .collect();
        let (w, h, rgb) = png_pixels(&std::fs::read(dir.path().join(file)).unwrap());
        assert_eq!((w, h), (320, 240), "{file}");
        assert!(
            rgb == want,
            "{file}: pixels differ from the library's frame"
        );
    }
}

#[test]
fn a_bad_keys_line_is_refused_with_its_number() {
    let dir = TempDir::new("keys");
    let keys = dir.file("bad.keys", b"# a game\n1000 press space\n\n2000 push up\n");
    let out = glassbox(&["run", "roms/devices/snake.elf", "--keys", &p(&keys)], b"");
    assert_eq!(out.code, Some(2));
    assert_eq!(
        out.stderr,
        format!(
            "glassbox: --keys {}: line 4: `push` is not an action (expected `press` or `release`)\n",
            keys.display()
        )
    );
    let missing = dir.path().join("missing.keys");
    let out = glassbox(
        &["run", "roms/devices/snake.elf", "--keys", &p(&missing)],
        b"",
    );
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr
            .starts_with(&format!("glassbox: --keys {}: ", missing.display())),
        "{}",
        out.stderr
    );
}

/// A screenshot that cannot be written is reported; the run's output and
/// exit status stand.
#[test]
fn an_unwritable_screenshot_keeps_the_runs_result() {
    let dir = TempDir::new("shot");
    let bad = dir.path().join("no-such-dir").join("x.png");
    let rom = p(&program_rom("exit_code").path);
    let plain = glassbox(&["run", &rom], b"");
    let out = glassbox(
        &[
            "run",
            &rom,
            "--screenshot",
            &p(&bad),
            "--screenshot-at",
            "10",
        ],
        b"",
    );
    assert_eq!(out.code, plain.code);
    assert_eq!(out.code, Some(3));
    assert_eq!(out.stdout, plain.stdout);
    let at10 = bad.with_file_name("x-10.png");
    assert!(
        out.stderr.starts_with(&format!(
            "glassbox: --screenshot: cannot write {}: ",
            at10.display()
        )),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(&format!(
            "glassbox: --screenshot: cannot write {}: ",
            bad.display()
        )),
        "{}",
        out.stderr
    );
    // A cycle the run never reaches is reported too.
    let shot = dir.path().join("y.png");
    let out = glassbox(
        &[
            "run",
            &rom,
            "--screenshot",
            &p(&shot),
            "--screenshot-at",
            "99999999",
        ],
        b"",
    );
    assert_eq!(out.code, Some(3));
    assert!(
        out.stderr
            .contains("--screenshot-at 99999999: the run ended at cycle "),
        "{}",
        out.stderr
    );
    assert!(shot.is_file(), "the final screenshot is written");
}

/// A run saved part-way and continued with the same key script ends on
/// the same frame: the continued run skips the events before its start.
#[test]
fn keys_continue_across_a_saved_state() {
    let dir = TempDir::new("snake-state");
    let (whole, cont, state) = (
        dir.path().join("whole.png"),
        dir.path().join("cont.png"),
        dir.path().join("s.state"),
    );
    let keys = ["--keys", "roms/devices/snake.keys"];
    let out = glassbox(
        &[
            &["run", "roms/devices/snake.elf", "--max-cycles", "30000000"][..],
            &keys,
            &["--screenshot", &p(&whole)],
        ]
        .concat(),
        b"",
    );
    assert_eq!(out.code, Some(124), "{}", out.stderr);
    let out = glassbox(
        &[
            &["run", "roms/devices/snake.elf", "--max-cycles", "20000000"][..],
            &keys,
            &["--save-state-at", "20000000", &p(&state)],
        ]
        .concat(),
        b"",
    );
    assert_eq!(out.code, Some(124), "{}", out.stderr);
    let out = glassbox(
        &[
            &[
                "run",
                "--load-state",
                &p(&state),
                "--max-cycles",
                "30000000",
            ][..],
            &keys,
            &["--screenshot", &p(&cont)],
        ]
        .concat(),
        b"",
    );
    assert_eq!(out.code, Some(124), "{}", out.stderr);
    assert!(std::fs::read(&whole).unwrap() == std::fs::read(&cont).unwrap());
}

// ---------------------------------------------------------------- --march

/// A source with compressed instructions: `c.j` skips the second
/// `c.addi`, so the exit code is 5.
const COMPRESSED_SOURCE: &[u8] = b"    .globl _start
_start:
    li a0, 0
    c.addi a0, 5
    c.j 1f
    c.addi a0, 7
1:
    li a7, 93
    ecall
";

#[test]
fn march_assembles_a_source_rom_with_compressed_instructions() {
    let dir = TempDir::new("run-march");
    let src = p(&dir.file("c.s", COMPRESSED_SOURCE));
    let out = glassbox(
        &[
            "run",
            &src,
            "--march",
            "rv32imac",
            "--config",
            "textbook",
            "--stats",
            "--stats-format",
            "json",
        ],
        b"",
    );
    assert_eq!(out.code, Some(5), "{}", out.stderr);
    let s = flat_json(&out.stderr);
    // li, c.addi, c.j, li, ecall; 4 cycles to fill the pipeline, and c.j
    // (predicted not taken, resolved in EX) squashes the 2 behind it.
    assert_eq!(json_u64(&s, "instret"), 5);
    assert_eq!(json_u64(&s, "cycles"), 5 + 4 + 2);
    assert_eq!(json_u64(&s, "pipeline.squashed"), 2);

    // Without --march the assembler targets rv32im and names the extension
    // at each compressed instruction.
    let out = glassbox(&["run", &src, "--config", "textbook"], b"");
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains(&format!(
            "{src}:4:5: error: `c.addi` is a compressed instruction (the C extension), which is off"
        )) && out.stderr.contains(&format!("{src}:5:5: error: `c.j`"))
            && out.stderr.ends_with(&format!(
                "glassbox: {src}: 3 errors in the assembly source\n"
            )),
        "{}",
        out.stderr
    );
}

#[test]
fn march_is_refused_for_machine_code_and_bad_isas_as_asm_refuses_them() {
    let out = glassbox(&["run", "roms/exit_code.elf", "--march", "rv32imc"], b"");
    assert_eq!(out.code, Some(2));
    assert_eq!(
        out.stderr,
        "glassbox: --march rv32imc is for assembly sources (.s) only; roms/exit_code.elf is \
         machine code already (drop --march, or give the .s source)\n"
    );
    // The window refuses it the same way, before it opens (with the
    // `gui` feature) or as the headless run it falls back to.
    let out = glassbox(&["gui", "roms/exit_code.elf", "--march", "rv32imc"], b"");
    assert_eq!(out.code, Some(2));
    assert_eq!(
        out.stderr,
        "glassbox: --march rv32imc is for assembly sources (.s) only; roms/exit_code.elf is \
         machine code already (drop --march, or give the .s source)\n"
    );
    let out = glassbox(&["run", "--march", "rv32imc"], b"");
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr
            .contains("the built-in demo is machine code already")
    );
    // A bad ISA gets the same message from `run` as from `asm`.
    let dir = TempDir::new("run-march-bad");
    let src = p(&dir.file("c.s", COMPRESSED_SOURCE));
    let run = glassbox(&["run", &src, "--march", "rv64imac"], b"");
    let asm = glassbox(&["asm", &src, "--march", "rv64imac"], b"");
    assert_eq!(run.code, Some(2));
    assert_eq!(asm.code, Some(2));
    assert!(run.stderr.contains("32-bit machine"), "{}", run.stderr);
    assert_eq!(run.stderr, asm.stderr);
}
