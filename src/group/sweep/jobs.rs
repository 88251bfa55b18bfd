//! Sweeps past one machine: `emit` writes one shell command per run (for
//! GNU parallel or a Slurm job array), each writing its own JSON results
//! file into a directory; `merge` reads such a directory back into one
//! `Results`, refusing files of different Glassbox versions or whose
//! statistics do not belong together.

use super::{Job, Results};
use crate::config::Part;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A word as the shell reads it back unchanged.
pub fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// The results file job `index` of `total` writes in `dir`.
pub fn result_path(dir: &Path, index: usize, total: usize) -> PathBuf {
    let width = total.saturating_sub(1).to_string().len().max(4);
    dir.join(format!("job-{index:0width$}.json"))
}

/// The command that runs `job` alone and writes its row to `dir`.
pub fn command(
    program: &str,
    job: &Job,
    total: usize,
    max_cycles: Option<u64>,
    dir: &Path,
) -> String {
    let mut words: Vec<String> = vec![
        program.into(),
        "sweep".into(),
        "--quiet".into(),
        "--config".into(),
        job.config_arg.clone(),
    ];
    let parts = job.parts.on(&job.config_arg);
    for part in Part::ALL {
        if let Some(name) = parts.part(part) {
            words.push(format!("--{}", part.name()));
            words.push(name.to_string());
        }
    }
    if let Some(isa) = job.isa {
        words.push("--march".into());
        words.push(isa.to_string());
    }
    for (field, value) in &job.params {
        words.push("--set".into());
        words.push(format!("{field}={value}"));
    }
    if let Some(n) = max_cycles {
        words.push("--max-cycles".into());
        words.push(n.to_string());
    }
    words.push("--index".into());
    words.push(job.index.to_string());
    // The name the command's own plan gives the row (`Plan::set_parts`).
    if job.config != format!("{}{}", job.config_arg, parts.parts_text()) {
        words.push("--label".into());
        words.push(job.config.clone());
    }
    words.push("--out".into());
    words.push(result_path(dir, job.index, total).display().to_string());
    words.push(job.rom.display().to_string());
    words
        .iter()
        .map(|w| shell_quote(w))
        .collect::<Vec<_>>()
        .join(" ")
        + "\n"
}

/// Every command of a sweep, one per line.
pub fn emit(program: &str, jobs: &[Job], max_cycles: Option<u64>, dir: &Path) -> String {
    jobs.iter()
        .map(|j| command(program, j, jobs.len(), max_cycles, dir))
        .collect()
}

/// Reads every `*.json` results file in `dir` into one `Results`, rows in
/// plan order.
pub fn merge(dir: &Path) -> Result<Results, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("--merge {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json") && p.is_file())
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!(
            "--merge {}: no .json results file in it",
            dir.display()
        ));
    }
    let mut parts = Vec::new();
    for f in &files {
        let text =
            std::fs::read_to_string(f).map_err(|e| format!("cannot read {}: {e}", f.display()))?;
        let r: Results = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a glassbox sweep results file: {e}", f.display()))?;
        parts.push((f.display().to_string(), r));
    }
    combine(parts)
}

/// Joins results files (named for messages) after checking they belong
/// together.
pub fn combine(parts: Vec<(String, Results)>) -> Result<Results, String> {
    // Every file must come from one Glassbox version.
    let mut versions: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, r) in &parts {
        versions
            .entry(r.glassbox_version.as_str())
            .or_default()
            .push(name.as_str());
    }
    if versions.len() > 1 {
        let list = versions
            .iter()
            .map(|(v, files)| format!("version {v}: {}", summarize(files)))
            .collect::<Vec<_>>()
            .join("; ");
        return Err(format!(
            "these results come from different Glassbox versions, whose figures may not \
             compare: {list}. Rerun them with one version."
        ));
    }
    // One configuration gives one set of statistics whatever the program;
    // a difference means the files were made by different builds.
    // (configuration, parameters) -> (statistic names, first file).
    type Variant = (String, Vec<(String, String)>);
    let mut sets: BTreeMap<Variant, (Vec<String>, String)> = BTreeMap::new();
    for (name, r) in &parts {
        for row in r.rows.iter().filter(|r| !r.stats.is_empty()) {
            let key = (row.config.clone(), row.params.clone());
            let names: Vec<String> = row.stats.keys().cloned().collect();
            match sets.get(&key) {
                None => {
                    sets.insert(key, (names, name.clone()));
                }
                Some((seen, first)) if *seen != names => {
                    let only = |a: &[String], b: &[String]| {
                        a.iter()
                            .filter(|n| !b.contains(n))
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    return Err(format!(
                        "mixed statistics: {first} and {name} have different statistics for \
                         configuration {} (only in {first}: [{}]; only in {name}: [{}]); \
                         were they written by different builds?",
                        row.config,
                        only(seen, &names),
                        only(&names, seen),
                    ));
                }
                Some(_) => {}
            }
        }
    }
    let version = parts
        .first()
        .map(|(_, r)| r.glassbox_version.clone())
        .unwrap_or_default();
    let mut rows: Vec<_> = parts.into_iter().flat_map(|(_, r)| r.rows).collect();
    rows.sort_by_key(|r| r.index);
    Ok(Results {
        glassbox_version: version,
        rows,
    })
}

/// The first few names of a list, and how many more.
fn summarize(names: &[&str]) -> String {
    const SHOWN: usize = 3;
    let mut s = names[..names.len().min(SHOWN)].join(", ");
    if names.len() > SHOWN {
        s.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::sweep::{Row, Status};
    use crate::stats::StatValue;

    fn results(version: &str, stats: &[&str]) -> Results {
        Results {
            glassbox_version: version.into(),
            rows: vec![Row {
                index: 0,
                config: "textbook".into(),
                params: vec![],
                rom: "a.elf".into(),
                status: Status::Exited(0),
                stats: stats
                    .iter()
                    .map(|s| (s.to_string(), StatValue::Count(1)))
                    .collect(),
            }],
        }
    }

    #[test]
    fn different_versions_are_refused_by_name() {
        let e = combine(vec![
            ("a.json".into(), results("0.1.0", &["cycles"])),
            ("b.json".into(), results("0.2.0", &["cycles"])),
        ])
        .unwrap_err();
        assert!(e.contains("different Glassbox versions"), "{e}");
        assert!(
            e.contains("version 0.1.0: a.json") && e.contains("version 0.2.0: b.json"),
            "{e}"
        );
    }

    #[test]
    fn mixed_statistics_are_refused() {
        let e = combine(vec![
            ("a.json".into(), results("0.1.0", &["cycles", "x"])),
            ("b.json".into(), results("0.1.0", &["cycles", "y"])),
        ])
        .unwrap_err();
        assert!(e.contains("mixed statistics"), "{e}");
        assert!(
            e.contains("only in a.json: [x]; only in b.json: [y]"),
            "{e}"
        );
    }

    #[test]
    fn quoting_survives_the_shell() {
        assert_eq!(shell_quote("roms/a.elf"), "roms/a.elf");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote("a b"), "'a b'");
    }
}
