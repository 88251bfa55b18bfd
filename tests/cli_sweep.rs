//! `glassbox sweep` end to end: every row equals `glassbox run --stats`
//! of its pair, sweep files, bad input in rows, plots, and emitted jobs
//! merged back.

mod common_cli;

use common_cli::{TempDir, root};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_glassbox");

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the binary in the crate root with stdin from /dev/null.
fn glassbox<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Out {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .expect("glassbox binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "panicked:\n{stderr}");
    Out {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    }
}

fn p(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("results file written");
    serde_json::from_str(&text).expect("results file is JSON")
}

/// A ROM that executes an illegal instruction with no trap handler: the
/// run ends with a machine error (status 125).
fn illegal_rom(dir: &TempDir) -> String {
    p(&dir.file("illegal.s", b"    .globl _start\n_start:\n    .word 0\n"))
}

/// What `glassbox run` gives for the pair: exit status and stats JSON.
fn run_alone(rom: &str, config: &str, max_cycles: u64) -> (i32, Value) {
    run_alone_with(rom, &["--config", config], max_cycles)
}

/// What `glassbox run ROM FLAGS... --stats` gives: exit status and stats
/// JSON.
fn run_alone_with(rom: &str, flags: &[&str], max_cycles: u64) -> (i32, Value) {
    let limit = max_cycles.to_string();
    let mut args = vec!["run", rom];
    args.extend_from_slice(flags);
    args.extend(["--max-cycles", &limit, "--stats", "--stats-format", "json"]);
    let out = glassbox(&args);
    let start = out.stderr.find('{').expect("stats JSON on stderr");
    let stats = serde_json::from_str(&out.stderr[start..]).expect("stats are JSON");
    (out.code.expect("exit status"), stats)
}

fn status_code(status: &Value) -> i32 {
    match status {
        Value::String(s) if s == "cycle_limit" => 124,
        Value::Object(o) if o.contains_key("exited") => o["exited"].as_i64().unwrap() as i32 & 0xff,
        Value::Object(o) if o.contains_key("machine_error") => 125,
        other => panic!("unexpected status {other}"),
    }
}

#[test]
fn every_row_equals_glassbox_run_of_its_pair() {
    let dir = TempDir::new("sweep-equal");
    let illegal = illegal_rom(&dir);
    let roms = [
        "roms/fibonacci.elf",
        "roms/exit_code.elf",
        "roms/echo.elf",
        "roms/bubble_sort.elf",
        illegal.as_str(),
    ];
    let configs = ["functional", "textbook", "classic-l1", "gshare"];
    // Low enough that bubble_sort hits it on the slower configurations.
    let limit = 10_000u64;
    let mut args: Vec<String> = vec!["sweep".into(), "--jobs".into(), "2".into()];
    for c in configs {
        args.extend(["--config".into(), c.into()]);
    }
    args.extend(roms.iter().map(|r| r.to_string()));
    args.extend([
        "--max-cycles".into(),
        limit.to_string(),
        "--out".into(),
        p(&dir.path().join("all.json")),
    ]);
    let out = glassbox(&args);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let results = read_json(&dir.path().join("all.json"));
    assert_eq!(results["glassbox_version"], env!("CARGO_PKG_VERSION"));
    let rows = results["rows"].as_array().unwrap();
    assert_eq!(rows.len(), configs.len() * roms.len());
    let mut seen = std::collections::BTreeSet::new();
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row["index"], i);
        let (config, rom) = (
            row["config"].as_str().unwrap(),
            row["rom"].as_str().unwrap(),
        );
        assert_eq!(config, configs[i / roms.len()]);
        assert_eq!(rom, roms[i % roms.len()]);
        let (code, stats) = run_alone(rom, config, limit);
        assert_eq!(status_code(&row["status"]), code, "{config} {rom}");
        assert_eq!(
            row["stats"], stats,
            "{config} {rom}: stats differ from glassbox run"
        );
        seen.insert(code);
    }
    // The sweep covered an exit, a non-zero exit, the limit and an error.
    assert_eq!(seen, [0, 3, 124, 125].into_iter().collect());
}

#[test]
fn the_table_names_each_row_and_its_status() {
    let dir = TempDir::new("sweep-table");
    let missing = p(&dir.path().join("missing.elf"));
    let out = glassbox(&[
        "sweep",
        "--config",
        "textbook",
        "roms/exit_code.elf",
        &missing,
        "roms/fibonacci.elf",
    ]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(
        out.stderr, "",
        "no progress bar when stderr is not a terminal"
    );
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", out.stdout);
    let cols = |l: &str| l.split_whitespace().map(String::from).collect::<Vec<_>>();
    assert_eq!(
        cols(lines[0]),
        ["config", "rom", "cycles", "instret", "cpi", "status"]
    );
    assert_eq!(
        cols(lines[1]),
        [
            "textbook",
            "roms/exit_code.elf",
            "152",
            "91",
            "1.6703",
            "exit",
            "3"
        ]
    );
    assert!(
        lines[2].contains("load error:") && lines[2].contains("missing.elf: cannot read"),
        "{}",
        lines[2]
    );
    assert_eq!(
        cols(lines[3]),
        [
            "textbook",
            "roms/fibonacci.elf",
            "1557",
            "1189",
            "1.3095",
            "exit",
            "0"
        ]
    );
}

#[test]
fn a_sweep_file_varies_fields_over_ranges() {
    let dir = TempDir::new("sweep-file");
    let plan = dir.file(
        "cache.ron",
        format!(
            "// L1D size x ways on two ROMs\n\
             Sweep(\n\
               configs: [\"classic-l1\"],\n\
               vary: [\n\
                 (field: \"memory.l1d.size\", pow2: (1024, 4096)),\n\
                 (field: \"memory.l1d.ways\", values: [1, 2]),\n\
               ],\n\
               roms: [\"{}/roms/fib*.elf\", \"{}/roms/exit_code.elf\"],\n\
               max_cycles: 1000000,\n\
             )\n",
            p(&root()),
            p(&root())
        )
        .as_bytes(),
    );
    let csv = dir.path().join("out.csv");
    let out = glassbox(&["sweep", "--plan", &p(&plan), "--out", &p(&csv)]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + 3 * 2 * 2);
    assert!(
        lines[0].starts_with("config,memory.l1d.size,memory.l1d.ways,rom,status,message,cycles,"),
        "{}",
        lines[0]
    );
    assert!(lines[1].starts_with("classic-l1,1024,1,"), "{}", lines[1]);
    assert!(lines[3].starts_with("classic-l1,1024,2,"), "{}", lines[3]);
    assert!(lines[12].starts_with("classic-l1,4096,2,"), "{}", lines[12]);
    // A row equals `run` with the same configuration written as a file.
    let cfg = dir.file(
        "l1d-2k-2w.ron",
        b"(base: \"classic-l1\", memory: (l1d: Some((size: 2048, line_size: 32, ways: 2, \
          replacement: Lru, write_policy: WriteBackAllocate, write_buffer: 0, hit_latency: 1))))",
    );
    let base = glassbox(&[
        "run",
        "--config",
        "classic-l1",
        "--stats",
        "--stats-format",
        "json",
        "roms/fibonacci.elf",
    ]);
    let _ = base; // the preset's own l1d fields are what the file repeats
    let row = lines[7]; // 2048, 2 ways, fibonacci
    assert!(row.starts_with("classic-l1,2048,2,"), "{row}");
    let (_, stats) = run_alone(
        &format!("{}/roms/fibonacci.elf", p(&root())),
        &p(&cfg),
        1_000_000,
    );
    let cycles = row.split(',').nth(6).unwrap();
    assert_eq!(cycles, stats["cycles"].to_string(), "{row}");
}

#[test]
fn bad_sweep_input_is_named() {
    let dir = TempDir::new("sweep-bad");
    // A combination that fails validation is its rows' status, naming the
    // sweep file and the field; the rest goes on.
    let plan = dir.file(
        "ways.ron",
        format!(
            "Sweep(configs: [\"classic-l1\"], vary: [(field: \"memory.l1d.ways\", values: [1, 3])], \
             roms: [\"{}/roms/exit_code.elf\"])",
            p(&root())
        )
        .as_bytes(),
    );
    let out = glassbox(&["sweep", "--plan", &p(&plan)]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[1].contains("exit 3"), "{}", out.stdout);
    assert!(
        lines[2].contains("config error: ")
            && lines[2].contains("ways.ron")
            && lines[2].contains("memory.l1d"),
        "{}",
        out.stdout
    );
    // A configuration file that fails validation: its file and field.
    let bad = dir.file("slow.ron", b"(base: \"textbook\", core: (mul_latency: 0))");
    let out = glassbox(&["sweep", "--config", &p(&bad), "roms/exit_code.elf"]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("slow.ron") && out.stderr.contains("core.mul_latency"),
        "{}",
        out.stderr
    );
    // A misspelt field, in a file: the file, where, and the field.
    let plan = dir.file("typo.ron", b"Sweep(configs: [\"textbook\"], vary: [(field: \"core.forwardin\", values: [true])], roms: [\"x.elf\"])");
    let out = glassbox(&["sweep", "--plan", &p(&plan)]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("typo.ron") && out.stderr.contains("no field `forwardin`"),
        "{}",
        out.stderr
    );
    let plan = dir.file(
        "syntax.ron",
        b"Sweep(configs: [\"textbook\"], roms: [\"x.elf\"], colour: 3)",
    );
    let out = glassbox(&["sweep", "--plan", &p(&plan)]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("syntax.ron:1:") && out.stderr.contains("colour"),
        "{}",
        out.stderr
    );
}

#[test]
fn plots_are_written_and_unknown_statistics_listed() {
    let dir = TempDir::new("sweep-plot");
    let out = glassbox(&[
        "sweep",
        "roms/exit_code.elf",
        "--config",
        "classic-l1",
        "--set",
        "memory.l1d.ways=1,2,4",
        "--plot",
        "cylces",
    ]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("no statistic `cylces`")
            && out
                .stderr
                .contains("the statistics are: cycles, instret, cpi, exit_code,")
            && out.stderr.contains("l1d.misses"),
        "{}",
        out.stderr
    );
    for ext in ["svg", "png"] {
        let file = dir.path().join(format!("plot.{ext}"));
        let out = glassbox(&[
            "sweep",
            "roms/exit_code.elf",
            "roms/fibonacci.elf",
            "--config",
            "classic-l1",
            "--set",
            "memory.l1d.size=1K,2K,4K,8K",
            "--plot",
            "l1d.misses",
            "--plot-file",
            &p(&file),
            "--quiet",
        ]);
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        assert_eq!(out.stdout, "", "--quiet prints no table");
        let bytes = std::fs::read(&file).expect("plot written");
        if ext == "svg" {
            let svg = String::from_utf8(bytes).unwrap();
            assert!(svg.starts_with("<svg"), "{svg}");
            assert!(svg.contains("l1d.misses against memory.l1d.size"));
            assert!(svg.contains("rom=roms/fibonacci.elf"));
            assert!(svg.contains("\n8192\n</text>"), "x labels are the sizes");
        } else {
            assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        }
    }
}

#[test]
fn emitted_jobs_merge_into_the_same_results() {
    let dir = TempDir::new("sweep-jobs");
    let results = dir.path().join("results");
    let common = [
        "--config",
        "textbook",
        "--config",
        "bimodal",
        "--set",
        "core.mul_latency=1,4",
        "roms/exit_code.elf",
        "roms/fibonacci.elf",
    ];
    let mut args = vec!["sweep", "--emit-jobs", "-", "--out"];
    let results_s = p(&results);
    args.push(&results_s);
    args.extend(common);
    let out = glassbox(&args);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let commands: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(commands.len(), 8);
    assert_eq!(
        commands[3],
        format!(
            "{BIN} sweep --quiet --config textbook --set core.mul_latency=4 --index 3 --out {}/job-0003.json roms/fibonacci.elf",
            results_s
        )
    );
    // Run them as a shell would, in reverse order.
    for c in commands.iter().rev() {
        shell(c);
    }
    let merged = dir.path().join("merged.json");
    let out = glassbox(&["sweep", "--merge", &results_s, "--out", &p(&merged)]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let direct = dir.path().join("direct.json");
    let mut args = vec!["sweep", "--out"];
    let direct_s = p(&direct);
    args.push(&direct_s);
    args.extend(common);
    let out2 = glassbox(&args);
    assert_eq!(out2.code, Some(0), "{}", out2.stderr);
    assert_eq!(read_json(&merged), read_json(&direct));
    assert_eq!(out.stdout, out2.stdout, "the same table");

    // A result of another version is refused, by name.
    let job = results.join("job-0000.json");
    let text = std::fs::read_to_string(&job).unwrap().replace(
        &format!("\"glassbox_version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"glassbox_version\": \"0.0.1\"",
    );
    std::fs::write(&job, text).unwrap();
    let out = glassbox(&["sweep", "--merge", &results_s]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("different Glassbox versions")
            && out.stderr.contains("version 0.0.1: ")
            && out.stderr.contains("job-0000.json"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_documented_sweep_file_expands_to_its_forty_runs() {
    let out = glassbox(&[
        "sweep",
        "--plan",
        "docs/sweeps/l1d.ron",
        "--emit-jobs",
        "-",
        "--out",
        "results",
    ]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 40);
    assert_eq!(
        lines[0],
        format!(
            "{BIN} sweep --quiet --config classic-l1 --set memory.l1d.size=1024 \
             --set memory.l1d.ways=1 --max-cycles 50000000 --index 0 \
             --out results/job-0000.json roms/matmul_blocked.elf"
        )
    );
    assert!(lines[39].contains("memory.l1d.size=16384 --set memory.l1d.ways=8"));
}

#[test]
fn emitted_jobs_keep_the_sweep_files_names() {
    let dir = TempDir::new("sweep-labels");
    dir.file(
        "slow-mul.ron",
        b"(base: \"textbook\", core: (mul_latency: 8))",
    );
    let plan = dir.file(
        "plan.ron",
        format!(
            "Sweep(configs: [\"slow-mul.ron\", \"textbook\"], roms: [\"{}/roms/fibonacci.elf\"])",
            p(&root())
        )
        .as_bytes(),
    );
    let results = dir.path().join("results");
    let out = glassbox(&[
        "sweep",
        "--plan",
        &p(&plan),
        "--emit-jobs",
        "-",
        "--out",
        &p(&results),
    ]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    for c in out.stdout.lines() {
        shell(c);
    }
    let merged = dir.path().join("merged.json");
    let direct = dir.path().join("direct.json");
    let out = glassbox(&["sweep", "--merge", &p(&results), "--out", &p(&merged)]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let out = glassbox(&["sweep", "--plan", &p(&plan), "--out", &p(&direct)]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let merged = read_json(&merged);
    assert_eq!(merged, read_json(&direct));
    assert_eq!(merged["rows"][0]["config"], "slow-mul.ron");
}

#[test]
fn core_predictor_and_memory_replace_parts_of_every_configuration() {
    let dir = TempDir::new("sweep-parts");
    let roms = ["roms/fibonacci.elf", "roms/bubble_sort.elf"];
    let configs = ["default", "textbook"];
    let limit = 1_000_000u64;
    let mut args: Vec<String> = vec!["sweep".into(), "--core".into(), "no-forwarding".into()];
    for c in configs {
        args.extend(["--config".into(), c.into()]);
    }
    args.extend(roms.iter().map(|r| r.to_string()));
    let limit_s = limit.to_string();
    let out_file = p(&dir.path().join("nf.json"));
    args.extend(["--max-cycles".into(), limit_s, "--out".into(), out_file]);
    let out = glassbox(&args);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let results = read_json(&dir.path().join("nf.json"));
    let rows = results["rows"].as_array().unwrap();
    assert_eq!(rows.len(), configs.len() * roms.len());
    for (i, row) in rows.iter().enumerate() {
        let (config, rom) = (configs[i / roms.len()], roms[i % roms.len()]);
        // The row names the replaced part as the window does.
        assert_eq!(row["config"], format!("{config}, core: no-forwarding"));
        assert_eq!(row["rom"], rom);
        let (code, stats) =
            run_alone_with(rom, &["--config", config, "--core", "no-forwarding"], limit);
        assert_eq!(code, 0, "{config} {rom}");
        assert_eq!(status_code(&row["status"]), code, "{config} {rom}");
        assert_eq!(
            row["stats"], stats,
            "{config} {rom}: stats differ from glassbox run --core no-forwarding"
        );
        // ... and the part did change the machine.
        let (_, plain) = run_alone(rom, config, limit);
        assert_ne!(row["stats"]["cycles"], plain["cycles"], "{config} {rom}");
    }

    // Parts come before --set: the set field wins over the core preset's.
    let out = glassbox(&[
        "sweep",
        "--quiet",
        "--core",
        "no-forwarding",
        "--set",
        "core.forwarding=true",
        "--out",
        &p(&dir.path().join("set.json")),
        "roms/fibonacci.elf",
    ]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let set = read_json(&dir.path().join("set.json"));
    let (_, fwd) = run_alone_with("roms/fibonacci.elf", &["--core", "no-forwarding"], u64::MAX);
    assert_ne!(set["rows"][0]["stats"]["cycles"], fwd["cycles"]);

    // Emitted commands carry the parts.
    let out = glassbox(&[
        "sweep",
        "--emit-jobs",
        "-",
        "--out",
        "results",
        "--predictor",
        "gshare",
        "roms/fibonacci.elf",
    ]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(
        out.stdout,
        format!(
            "{BIN} sweep --quiet --config default --predictor gshare --index 0 --out results/job-0000.json roms/fibonacci.elf\n"
        )
    );

    // A part that is not a preset of its kind is named.
    let out = glassbox(&["sweep", "--memory", "gshare", "roms/fibonacci.elf"]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("`gshare` is not a memory preset"),
        "{}",
        out.stderr
    );
}

#[test]
fn march_assembles_every_source_rom_as_run_does() {
    let dir = TempDir::new("sweep-march");
    let src = p(&dir.file(
        "c.s",
        b"    .globl _start\n_start:\n    li a0, 0\n    c.addi a0, 5\n    c.j 1f\n    c.addi a0, 7\n1:\n    li a7, 93\n    ecall\n",
    ));
    let json = p(&dir.path().join("c.json"));
    let out = glassbox(&[
        "sweep", "--config", "textbook", "--march", "rv32imac", "--out", &json, &src,
    ]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let row = &read_json(&dir.path().join("c.json"))["rows"][0];
    let (code, stats) = run_alone_with(
        &src,
        &["--config", "textbook", "--march", "rv32imac"],
        u64::MAX,
    );
    assert_eq!(code, 5);
    assert_eq!(status_code(&row["status"]), 5);
    assert_eq!(row["stats"], stats);
    // Without --march the row says why the source does not assemble.
    let out = glassbox(&["sweep", "--config", "textbook", "--out", &json, &src]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let row = &read_json(&dir.path().join("c.json"))["rows"][0];
    assert!(
        row["status"]
            .to_string()
            .contains("3 errors in the assembly source"),
        "{}",
        row["status"]
    );
    // With an ELF ROM, --march is refused before anything runs.
    let out = glassbox(&["sweep", "--march", "rv32imc", &src, "roms/fibonacci.elf"]);
    assert_eq!(out.code, Some(2));
    assert_eq!(
        out.stderr,
        "glassbox: --march rv32imc is for assembly sources (.s) only; roms/fibonacci.elf is \
         machine code already (drop --march, or sweep the .s sources)\n"
    );
}

/// Runs an emitted job command as a shell would, from the repository root;
/// it must succeed.
fn shell(command: &str) {
    let status = Command::new("sh")
        .args(["-c", command])
        .current_dir(root())
        .stdin(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "{command}");
}
