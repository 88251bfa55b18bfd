//! Machine configuration files: the presets in `assets/configs/`, syntax
//! error locations, unknown fields, value rules and the RON round trip.

use glassbox::Machine;
use glassbox::config::{
    BranchStage, ConfigError, CoreModel, MachineConfig, Misaligned, PRESETS, PredictorConfig,
};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn configs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/configs")
}

/// Every `assets/configs/*.ron`, as (stem, path), sorted.
fn config_files() -> Vec<(String, PathBuf)> {
    let mut v: Vec<(String, PathBuf)> = std::fs::read_dir(configs_dir())
        .expect("assets/configs exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    v.sort();
    v
}

const DOCUMENTED_PRESETS: &[&str] = &[
    "default",
    "textbook",
    "single-cycle",
    "functional",
    "no-forwarding",
    "no-hazard-detection",
    "bare-pipeline",
    "branch-in-id",
    "bimodal",
    "gshare",
    "classic-l1",
    "l1-l2-dram",
    "ideal",
    "not-taken",
    "btfnt",
];

// ---------------------------------------------------------------- presets

#[test]
fn every_config_file_parses_and_equals_its_preset() {
    let files = config_files();
    assert_eq!(files.len(), DOCUMENTED_PRESETS.len(), "{files:?}");
    for (name, path) in files {
        let from_file = MachineConfig::from_file(&path)
            .unwrap_or_else(|e| panic!("{} does not load: {e}", path.display()));
        let preset = MachineConfig::preset(&name)
            .unwrap_or_else(|| panic!("no preset named {name} for {}", path.display()));
        assert_eq!(from_file, preset, "{name}");
        // By file path, by name, and by name with `.ron`.
        assert_eq!(
            MachineConfig::from_file_or_preset(&path).unwrap(),
            preset,
            "{name}"
        );
        assert_eq!(
            MachineConfig::from_file_or_preset(Path::new(&name)).unwrap(),
            preset,
            "{name}"
        );
        assert_eq!(
            MachineConfig::from_file_or_preset(Path::new(&format!("{name}.ron"))).unwrap(),
            preset,
            "{name}.ron"
        );
    }
}

#[test]
fn presets_and_files_match_one_to_one() {
    let files: BTreeSet<String> = config_files().into_iter().map(|(n, _)| n).collect();
    let names: Vec<&str> = PRESETS.iter().map(|(n, _)| *n).collect();
    let presets: BTreeSet<String> = names.iter().map(|n| n.to_string()).collect();
    assert_eq!(
        presets.len(),
        names.len(),
        "duplicate preset names: {names:?}"
    );
    assert_eq!(
        files.difference(&presets).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "config files without a preset entry"
    );
    assert_eq!(
        presets.difference(&files).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "preset entries without a config file"
    );
    let documented: BTreeSet<String> = DOCUMENTED_PRESETS.iter().map(|n| n.to_string()).collect();
    assert_eq!(presets, documented);
    // The built-in text is the file's text.
    for (name, text) in PRESETS {
        let file = std::fs::read_to_string(configs_dir().join(format!("{name}.ron"))).unwrap();
        assert_eq!(*text, file, "built-in {name} differs from its file");
        assert!(MachineConfig::preset(name).is_some(), "{name} parses");
    }
    assert_eq!(MachineConfig::preset("no-such-preset"), None);
}

#[test]
fn presets_say_what_their_names_promise() {
    let p = |n: &str| MachineConfig::preset(n).unwrap();
    assert_eq!(MachineConfig::default_preset(), p("default"));
    // Issue #4: what users see first is the real hierarchy.
    assert_eq!(p("default"), p("l1-l2-dram"));
    assert_eq!(p("default").core.model, CoreModel::FiveStage);
    assert!(
        !p("textbook").memory.has_caches(),
        "textbook is ideal memory"
    );
    let classic = p("classic-l1");
    assert_eq!(classic.core, p("textbook").core);
    for l1 in [&classic.memory.l1i, &classic.memory.l1d] {
        let l1 = l1.as_ref().expect("classic-l1 has both L1s");
        assert_eq!((l1.size, l1.ways, l1.line_size), (4096, 2, 32));
        assert_eq!(l1.replacement, glassbox::memory::Replacement::Lru);
        assert_eq!(
            l1.write_policy,
            glassbox::memory::WritePolicy::WriteBackAllocate
        );
    }
    assert_eq!(
        (classic.memory.l2.is_none(), classic.memory.latency),
        (true, 50)
    );
    let full = p("l1-l2-dram");
    assert_eq!(full.memory.l1i, classic.memory.l1i);
    assert_eq!(full.memory.l1d, classic.memory.l1d);
    let l2 = full.memory.l2.as_ref().expect("l1-l2-dram has an L2");
    assert_eq!((l2.size, l2.ways, l2.hit_latency), (65536, 8, 10));
    assert_eq!(full.memory.latency, 100);
    assert_eq!(p("functional").core.model, CoreModel::Functional);
    assert_eq!(p("functional"), MachineConfig::default());
    assert_eq!(p("single-cycle").core.model, CoreModel::SingleCycle);
    let nf = p("no-forwarding").core;
    assert!(!nf.forwarding && nf.hazard_detection);
    let nh = p("no-hazard-detection").core;
    assert!(nh.forwarding && !nh.hazard_detection);
    let bare = p("bare-pipeline").core;
    assert!(!bare.forwarding && !bare.hazard_detection);
    assert_eq!(p("branch-in-id").core.branch_resolution, BranchStage::Id);
    assert_eq!(
        p("bimodal").core.predictor,
        PredictorConfig::Bimodal {
            counter_bits: 2,
            entries: 256,
            btb_entries: 64
        }
    );
    assert_eq!(
        p("gshare").core.predictor,
        PredictorConfig::Gshare {
            history_bits: 8,
            entries: 1024,
            btb_entries: 64
        }
    );
    for (name, _) in PRESETS {
        let c = p(name);
        assert_eq!(c.ram_size, 64 << 20, "{name}");
        assert_eq!(c.misaligned, Misaligned::Trap, "{name}");
        assert!(Machine::new(c).is_ok(), "{name} builds a machine");
    }
}

#[test]
fn round_trip_through_ron_for_every_preset() {
    for (name, _) in PRESETS {
        let cfg = MachineConfig::preset(name).unwrap();
        let text = cfg.to_ron();
        let back = MachineConfig::from_ron(&text, name)
            .unwrap_or_else(|e| panic!("{name} does not read back: {e}\n{text}"));
        assert_eq!(back, cfg, "{name}:\n{text}");
        assert_eq!(back.to_ron(), text, "{name}: to_ron is stable");
    }
}

#[test]
fn round_trip_of_non_preset_values() {
    let mut cfg = MachineConfig {
        ram_size: 1 << 31,
        misaligned: Misaligned::Emulate,
        ..MachineConfig::default()
    };
    cfg.core.model = CoreModel::FiveStage;
    cfg.core.forwarding = false;
    cfg.core.branch_resolution = BranchStage::Id;
    cfg.core.mul_latency = 3;
    cfg.core.div_latency = 1000;
    for predictor in [
        PredictorConfig::StaticNotTaken,
        PredictorConfig::StaticBtfnt,
        PredictorConfig::Bimodal {
            counter_bits: 1,
            entries: 1 << 20,
            btb_entries: 1 << 16,
        },
        PredictorConfig::Gshare {
            history_bits: 10,
            entries: 1024,
            btb_entries: 1,
        },
    ] {
        cfg.core.predictor = predictor;
        let text = cfg.to_ron();
        assert_eq!(
            MachineConfig::from_ron(&text, "rt.ron"),
            Ok(cfg.clone()),
            "{text}"
        );
    }
}

#[test]
fn omitted_fields_take_their_defaults() {
    assert_eq!(
        MachineConfig::from_ron("()", "empty.ron"),
        Ok(MachineConfig::default())
    );
    let cfg = MachineConfig::from_ron("(core: (mul_latency: 4))", "m.ron").unwrap();
    let mut expected = MachineConfig::default();
    expected.core.mul_latency = 4;
    assert_eq!(cfg, expected);
}

// ---------------------------------------------------------------- syntax errors

fn syntax_location(text: &str, origin: &str) -> (String, String) {
    match MachineConfig::from_ron(text, origin) {
        Err(ConfigError::Syntax { location, message }) => (location, message),
        other => panic!("expected a syntax error for {text:?}, got {other:?}"),
    }
}

#[test]
fn syntax_error_reports_origin_line_and_column() {
    // A doubled comma: line 3, column 22 (1-based) is the second comma.
    let text = "(\n  core: (\n    model: FiveStage,,\n  ),\n)\n";
    let (location, message) = syntax_location(text, "lab1.ron");
    assert_eq!(location, "lab1.ron:3:22");
    assert!(!message.is_empty());
    let err = MachineConfig::from_ron(text, "lab1.ron").unwrap_err();
    assert!(err.to_string().starts_with("lab1.ron:3:22: "), "{err}");
}

#[test]
fn syntax_error_locations_on_other_lines() {
    // Unclosed parenthesis at the end of a one-line file.
    let (location, _) = syntax_location("(ram_size: 4096", "a.ron");
    assert!(location.starts_with("a.ron:1:"), "{location}");
    // A number where a bool belongs: reported on line 2.
    let (location, _) = syntax_location("(core: (\n    forwarding: 1))", "b.ron");
    assert!(location.starts_with("b.ron:2:"), "{location}");
    // Not RON at all.
    let (location, _) = syntax_location("\n\n  ]", "c.ron");
    assert_eq!(location, "c.ron:3:3");
}

#[test]
fn syntax_error_in_a_file_names_its_path() {
    let dir = std::env::temp_dir().join(format!(
        "glassbox-test-config-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.ron");
    std::fs::write(&path, "(\n  core: (\n    model: FiveStage,,\n  ),\n)\n").unwrap();
    let err = MachineConfig::from_file(&path).unwrap_err();
    let missing = MachineConfig::from_file(&dir.join("absent.ron")).unwrap_err();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        err,
        ConfigError::Syntax {
            location: format!("{}:3:22", path.display()),
            message: match err.clone() {
                ConfigError::Syntax { message, .. } => message,
                _ => unreachable!(),
            },
        }
    );
    assert!(
        matches!(&missing, ConfigError::Io { path: p, .. } if p.ends_with("absent.ron")),
        "{missing:?}"
    );
}

// ---------------------------------------------------------------- unknown fields

fn assert_unknown_field(text: &str, field: &str) {
    match MachineConfig::from_ron(text, "u.ron") {
        Err(e @ ConfigError::Syntax { .. }) => {
            assert!(
                e.to_string().contains(field),
                "message for {text:?} must name `{field}`: {e}"
            );
        }
        other => panic!("unknown field `{field}` in {text:?} was accepted: {other:?}"),
    }
}

#[test]
fn unknown_top_level_field_is_rejected() {
    assert_unknown_field("(ram_sise: 4096)", "ram_sise");
}

#[test]
fn unknown_core_field_is_rejected() {
    assert_unknown_field("(core: (modle: FiveStage))", "modle");
    let (location, _) = syntax_location("(\n  core: (\n    modle: FiveStage,\n  ),\n)\n", "u.ron");
    assert_eq!(location, "u.ron:3:5");
}

#[test]
fn unknown_predictor_field_is_rejected() {
    assert_unknown_field(
        "(core: (predictor: Bimodal(counter_bits: 2, entries: 256, btb_entries: 64, bogus: 1)))",
        "bogus",
    );
    assert_unknown_field(
        "(core: (predictor: Gshare(history_bits: 8, entries: 1024, btb_entries: 64, histroy: 1)))",
        "histroy",
    );
}

#[test]
fn unknown_variants_are_rejected() {
    assert_unknown_field("(misaligned: Emulat)", "Emulat");
    assert_unknown_field("(core: (model: Superscalar))", "Superscalar");
    assert_unknown_field("(core: (predictor: Perceptron))", "Perceptron");
}

// ---------------------------------------------------------------- value rules

/// `text` must be rejected as invalid `field`, with a rule containing `rule`;
/// `Machine::new` must reject the same configuration the same way.
fn assert_invalid(text: &str, field: &str, rule: &str) {
    let err = MachineConfig::from_ron(text, "v.ron").unwrap_err();
    match &err {
        ConfigError::Invalid { field: f, rule: r } => {
            assert_eq!(f, field, "{text}");
            assert!(r.contains(rule), "rule for {text}: {r:?} lacks {rule:?}");
        }
        other => panic!("{text}: expected Invalid {field}, got {other:?}"),
    }
    let shown = err.to_string();
    assert!(shown.contains(field) && shown.contains(rule), "{shown}");
    // The unchecked value (parsed without validation) cannot build a machine.
    let raw: MachineConfig = ron::from_str(text).expect("syntactically valid");
    assert_eq!(Machine::new(raw.clone()).err(), Some(err.clone()), "{text}");
    assert_eq!(raw.validate(), Err(err), "{text}");
}

#[test]
fn ram_size_must_be_a_non_zero_multiple_of_4096() {
    assert_invalid("(ram_size: 5000)", "ram_size", "multiple of 4096");
    assert_invalid("(ram_size: 4095)", "ram_size", "multiple of 4096");
    assert_invalid("(ram_size: 0)", "ram_size", "multiple of 4096");
    assert_invalid("(ram_size: 2147487744)", "ram_size", "2 GiB");
    for ok in [4096u32, 1 << 20, 1 << 31] {
        let cfg = MachineConfig::from_ron(&format!("(ram_size: {ok})"), "v.ron")
            .unwrap_or_else(|e| panic!("ram_size {ok}: {e}"));
        assert_eq!(cfg.ram_size, ok);
    }
}

#[test]
fn latencies_must_be_at_least_one() {
    assert_invalid(
        "(core: (mul_latency: 0))",
        "core.mul_latency",
        "between 1 and",
    );
    assert_invalid(
        "(core: (div_latency: 0))",
        "core.div_latency",
        "between 1 and",
    );
    assert_invalid("(core: (div_latency: 1001))", "core.div_latency", "1000");
    assert!(MachineConfig::from_ron("(core: (mul_latency: 1000, div_latency: 1))", "v").is_ok());
}

#[test]
fn predictor_tables_must_be_powers_of_two() {
    assert_invalid(
        "(core: (predictor: Bimodal(counter_bits: 2, entries: 100, btb_entries: 64)))",
        "core.predictor.entries",
        "power of two",
    );
    assert_invalid(
        "(core: (predictor: Bimodal(counter_bits: 2, entries: 0, btb_entries: 64)))",
        "core.predictor.entries",
        "power of two",
    );
    assert_invalid(
        "(core: (predictor: Bimodal(counter_bits: 2, entries: 256, btb_entries: 48)))",
        "core.predictor.btb_entries",
        "power of two",
    );
    assert_invalid(
        "(core: (predictor: Gshare(history_bits: 4, entries: 1000, btb_entries: 64)))",
        "core.predictor.entries",
        "power of two",
    );
    assert_invalid(
        "(core: (predictor: Gshare(history_bits: 4, entries: 1024, btb_entries: 3)))",
        "core.predictor.btb_entries",
        "power of two",
    );
}

#[test]
fn gshare_history_fits_the_table() {
    // 1024 entries: log2 = 10.
    assert_invalid(
        "(core: (predictor: Gshare(history_bits: 11, entries: 1024, btb_entries: 64)))",
        "core.predictor.history_bits",
        "log2(entries)",
    );
    assert_invalid(
        "(core: (predictor: Gshare(history_bits: 0, entries: 1024, btb_entries: 64)))",
        "core.predictor.history_bits",
        "at least 1",
    );
    // Shift amounts of 64 and more must not overflow (or wrap to "fits").
    for bits in [32, 63, 64, 65, 255] {
        assert_invalid(
            &format!(
                "(core: (predictor: Gshare(history_bits: {bits}, entries: 1024, btb_entries: 64)))"
            ),
            "core.predictor.history_bits",
            "log2(entries)",
        );
    }
    for bits in [1, 10] {
        let text = format!(
            "(core: (predictor: Gshare(history_bits: {bits}, entries: 1024, btb_entries: 64)))"
        );
        assert!(
            MachineConfig::from_ron(&text, "v").is_ok(),
            "history_bits {bits}"
        );
    }
}

#[test]
fn bimodal_counters_are_one_or_two_bits() {
    for bits in [0, 3, 8] {
        assert_invalid(
            &format!(
                "(core: (predictor: Bimodal(counter_bits: {bits}, entries: 256, btb_entries: 64)))"
            ),
            "core.predictor.counter_bits",
            "1 or 2",
        );
    }
    for bits in [1, 2] {
        let text = format!(
            "(core: (predictor: Bimodal(counter_bits: {bits}, entries: 256, btb_entries: 64)))"
        );
        assert!(
            MachineConfig::from_ron(&text, "v").is_ok(),
            "counter_bits {bits}"
        );
    }
}

// ---------------------------------------------------------------- parts and bases (issue 15, item 7)

use glassbox::config::{ConfigName, Part, presets_for};

fn name(
    base: &str,
    core: Option<&str>,
    predictor: Option<&str>,
    memory: Option<&str>,
) -> ConfigName {
    ConfigName {
        base: base.into(),
        core: core.map(String::from),
        predictor: predictor.map(String::from),
        memory: memory.map(String::from),
    }
}

#[test]
fn each_preset_sets_one_kind_of_part() {
    assert_eq!(
        presets_for(Part::Core),
        [
            "textbook",
            "single-cycle",
            "functional",
            "no-forwarding",
            "no-hazard-detection",
            "bare-pipeline",
            "branch-in-id"
        ]
    );
    assert_eq!(
        presets_for(Part::Predictor),
        ["bimodal", "gshare", "not-taken", "btfnt"]
    );
    assert_eq!(
        presets_for(Part::Memory),
        ["classic-l1", "l1-l2-dram", "ideal"]
    );
    // `default` is a whole configuration only.
    assert_eq!(
        glassbox::config::preset_parts("default"),
        Some(glassbox::config::Parts::default())
    );
    let p = |n: &str| MachineConfig::preset(n).unwrap();
    assert_eq!(p("not-taken"), p("textbook"));
    assert_eq!(p("ideal"), p("textbook"));
    assert_eq!(p("btfnt").core.predictor, PredictorConfig::StaticBtfnt);
}

#[test]
fn a_core_preset_keeps_the_memory_and_the_predictor() {
    let p = |n: &str| MachineConfig::preset(n).unwrap();
    // The lesson of issue 15: forwarding off must not take the caches away.
    let cfg = name("default", Some("no-forwarding"), None, None)
        .resolve()
        .unwrap();
    assert!(!cfg.core.forwarding && cfg.core.hazard_detection);
    assert_eq!(cfg.core.model, CoreModel::FiveStage);
    assert_eq!(cfg.memory, p("default").memory);
    assert!(cfg.memory.has_caches());
    // All three parts at once, on another base.
    let cfg = name(
        "default",
        Some("branch-in-id"),
        Some("gshare"),
        Some("classic-l1"),
    )
    .resolve()
    .unwrap();
    let mut expected = p("classic-l1");
    expected.core.branch_resolution = BranchStage::Id;
    expected.core.predictor = p("gshare").core.predictor;
    assert_eq!(cfg, expected);
    // A core preset replaces the whole core variant but not the predictor.
    let cfg = name("gshare", Some("no-forwarding"), None, None)
        .resolve()
        .unwrap();
    let mut expected = p("no-forwarding");
    expected.core.predictor = p("gshare").core.predictor;
    assert_eq!(cfg, expected);
    // A memory preset keeps the core.
    let cfg = name("no-forwarding", None, None, Some("l1-l2-dram"))
        .resolve()
        .unwrap();
    assert_eq!(cfg.core, p("no-forwarding").core);
    assert_eq!(cfg.memory, p("default").memory);
}

#[test]
fn a_part_must_come_from_a_preset_that_sets_it() {
    let err = name("default", Some("classic-l1"), None, None)
        .resolve()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "`classic-l1` is not a core preset or a configuration file; the core presets are: \
         textbook, single-cycle, functional, no-forwarding, no-hazard-detection, \
         bare-pipeline, branch-in-id"
    );
    let err = name("default", None, Some("gshar"), None)
        .resolve()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "`gshar` is not a predictor preset or a configuration file; the predictor presets \
         are: bimodal, gshare, not-taken, btfnt"
    );
    let err = name("default", None, None, Some("l3"))
        .resolve()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "`l3` is not a memory preset or a configuration file; the memory presets are: \
         classic-l1, l1-l2-dram, ideal"
    );
}

#[test]
fn an_unknown_preset_lists_the_presets() {
    let err = MachineConfig::from_file_or_preset(Path::new("nosuchpreset")).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "`nosuchpreset` is not a configuration file or a preset; the presets are: {}",
            DOCUMENTED_PRESETS.join(", ")
        )
    );
    // A path is taken as a file: the message is the file's.
    let err = MachineConfig::from_file_or_preset(Path::new("no/such.ron")).unwrap_err();
    assert!(matches!(err, ConfigError::Io { .. }), "{err:?}");
}

#[test]
fn a_file_names_its_base_and_changes_only_what_it_names() {
    let cfg = MachineConfig::from_ron(
        "(base: \"default\", core: (forwarding: false), memory: (latency: 200))",
        "lab.ron",
    )
    .unwrap();
    let mut expected = MachineConfig::preset("default").unwrap();
    expected.core.forwarding = false;
    expected.memory.latency = 200;
    assert_eq!(cfg, expected);
    // `None` removes a cache of the base.
    let cfg =
        MachineConfig::from_ron("(base: \"default\", memory: (l2: None))", "lab.ron").unwrap();
    let mut expected = MachineConfig::preset("default").unwrap();
    expected.memory.l2 = None;
    assert_eq!(cfg, expected);
}

#[test]
fn a_base_file_is_found_next_to_the_file() {
    let dir = std::env::temp_dir().join(format!("glassbox-test-base-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("course.ron"),
        "(base: \"classic-l1\", core: (mul_latency: 4))",
    )
    .unwrap();
    std::fs::write(
        dir.join("lab2.ron"),
        "(base: \"course.ron\", core: (div_latency: 20))",
    )
    .unwrap();
    std::fs::write(dir.join("loop.ron"), "(base: \"loop.ron\")").unwrap();
    std::fs::write(
        dir.join("bad.ron"),
        "(base: \"course.ron\", ram_size: 5000)",
    )
    .unwrap();
    let lab2 = MachineConfig::from_file(&dir.join("lab2.ron"));
    let looped = MachineConfig::from_file(&dir.join("loop.ron"));
    let bad = MachineConfig::from_file(&dir.join("bad.ron"));
    let missing = MachineConfig::from_ron("(base: \"nope\")", "m.ron");
    let _ = std::fs::remove_dir_all(&dir);
    let mut expected = MachineConfig::preset("classic-l1").unwrap();
    expected.core.mul_latency = 4;
    expected.core.div_latency = 20;
    assert_eq!(lab2, Ok(expected));
    let looped = looped.unwrap_err().to_string();
    assert!(looped.contains("nest more than 8 deep"), "{looped}");
    // A bad value names the file, then the field and the rule.
    assert_eq!(
        bad.unwrap_err().to_string(),
        format!(
            "{}: invalid configuration: ram_size: must be a non-zero multiple of 4096 bytes",
            dir.join("bad.ron").display()
        )
    );
    assert_eq!(
        missing.unwrap_err().to_string(),
        format!(
            "m.ron: base `nope`: no such preset or file; the presets are: {}",
            DOCUMENTED_PRESETS.join(", ")
        )
    );
}

#[test]
fn an_unknown_field_under_a_base_is_located() {
    let (location, message) = syntax_location(
        "(\n  base: \"default\",\n  core: (forwardng: false),\n)",
        "b.ron",
    );
    assert_eq!(location, "b.ron:3:10");
    assert!(message.contains("forwardng"), "{message}");
    assert!(message.contains("`CoreConfig`"), "{message}");
}

#[test]
fn a_configuration_is_named_by_its_presets() {
    let p = |n: &str| MachineConfig::preset(n).unwrap();
    let describe = |c: &MachineConfig| ConfigName::describe(c).map(|n| n.to_string());
    assert_eq!(describe(&p("default")).as_deref(), Some("default"));
    assert_eq!(describe(&p("textbook")).as_deref(), Some("textbook"));
    assert_eq!(describe(&p("classic-l1")).as_deref(), Some("classic-l1"));
    let mut c = p("default");
    c.core.forwarding = false;
    assert_eq!(
        describe(&c).as_deref(),
        Some("default, core: no-forwarding")
    );
    c.core.predictor = p("gshare").core.predictor;
    assert_eq!(
        describe(&c).as_deref(),
        Some("default, core: no-forwarding, predictor: gshare")
    );
    // No preset has this latency: nothing names it.
    c.core.mul_latency = 3;
    assert_eq!(describe(&c), None);
    // The window's label: the chosen name, else a name from presets, else
    // the chosen name marked modified.
    let chosen = name("default", Some("no-forwarding"), None, None);
    let named = chosen.resolve().unwrap();
    assert_eq!(
        chosen.label_for(&named, &named),
        "default, core: no-forwarding"
    );
    assert_eq!(chosen.label_for(&named, &p("textbook")), "textbook");
    assert_eq!(
        chosen.label_for(&named, &c),
        "default, core: no-forwarding (modified)"
    );
    // A file base shows its file name.
    assert_eq!(
        ConfigName::base("/tmp/labs/lab1.ron").to_string(),
        "lab1.ron"
    );
}

#[test]
fn fields_without_effect_are_named_with_the_reason() {
    let p = |n: &str| MachineConfig::preset(n).unwrap();
    assert_eq!(p("default").inert_fields(), []);
    let ideal = "without caches memory is ideal (no stalls): this takes effect once a cache is on";
    assert_eq!(
        p("textbook").inert_fields(),
        [
            ("memory.latency", ideal),
            ("memory.transfer_per_word", ideal),
            ("memory.sample_interval", ideal),
        ]
    );
    let single = p("single-cycle");
    let five = "only the five-stage pipeline has this: choose the five-stage model";
    assert_eq!(single.inert("core.forwarding"), Some(five));
    assert_eq!(single.inert("core.predictor.entries"), Some(five));
    assert_eq!(single.inert("core.model"), None);
    assert_eq!(single.inert("memory.latency"), Some(ideal));
    let mut functional_l1 = p("classic-l1");
    functional_l1.core.model = CoreModel::Functional;
    assert_eq!(
        functional_l1.inert("memory.l1d.size"),
        Some(
            "the functional model has no timing, so it uses no caches: choose single-cycle or \
             five-stage"
        )
    );
    assert_eq!(functional_l1.inert("memoryx"), None);
    assert_eq!(functional_l1.inert("ram_size"), None);
}

#[test]
fn a_wrong_type_names_the_field() {
    let (location, message) =
        syntax_location("(\n  core: (\n    forwarding: 1,\n  ),\n)\n", "t.ron");
    assert_eq!(location, "t.ron:3:16");
    assert_eq!(message, "Expected boolean for `core.forwarding`");
    let (_, message) = syntax_location(
        "(base: \"default\", memory: (l1d: Some((size: \"big\"))))",
        "t.ron",
    );
    assert_eq!(message, "Expected integer for `memory.l1d.size`");
    // Strings and comments do not confuse the path.
    let (_, message) = syntax_location("( // core: (\n base: \"a:(\", ram_size: \"x\")", "t.ron");
    assert_eq!(message, "Expected integer for `ram_size`");
}

/// Cycles and retired instructions of `roms/matmul.elf` run to its end.
fn matmul(cfg: MachineConfig) -> (u64, u64) {
    let rom = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("roms/matmul.elf")).unwrap();
    let mut m = Machine::new(cfg).unwrap();
    let image = glassbox::loader::load_bytes(&rom, m.ram_region(), None).unwrap();
    m.load(&image);
    m.run(u64::MAX);
    (m.cycle, m.instret)
}

#[test]
fn turning_forwarding_off_costs_cycles_under_the_same_caches() {
    // Issue 15's lesson on matmul: the no-forwarding core under the
    // default caches raises CPI (1.654 → 1.939); the no-forwarding preset
    // alone also drops the caches, which once made it look faster.
    let with = matmul(MachineConfig::preset("default").unwrap());
    let without = matmul(
        name("default", Some("no-forwarding"), None, None)
            .resolve()
            .unwrap(),
    );
    assert_eq!(with, (1_603_248, 969_072));
    assert_eq!(without, (1_878_901, 969_072));
}
