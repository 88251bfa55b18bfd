//! `glassbox sweep`: every (configuration, program) pair, in parallel,
//! into a table, CSV/JSON files and a plot; or the commands of such a
//! sweep for a cluster, and the merge of their results.

use super::EXIT_USAGE;
use clap::Args;
use glassbox::group::compare::stat_map;
use glassbox::group::sweep::{Job, Param, Plan, Results, Row, Status, jobs, plot, run};
use glassbox::machine::Machine;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Default)]
pub struct SweepArgs {
    /// ROMs to run (ELF files or assembly sources)
    pub roms: Vec<PathBuf>,
    /// A configuration: a preset name or a RON file, as `run --config`
    /// takes it; repeatable [default: default]
    #[arg(long = "config", value_name = "PRESET|FILE")]
    pub configs: Vec<String>,
    // `--core`, `--predictor`, `--memory`: replaced in every configuration
    // (of --config or --plan), before --set.
    #[command(flatten)]
    pub parts: super::PartArgs,
    #[command(flatten)]
    pub march: super::MarchArg,
    /// Set a field of every configuration, to each of the values in turn:
    /// `--set memory.l1d.ways=1,2,4,8` (sizes may be written 4K, 1M);
    /// repeatable, every combination runs; set after --core, --predictor
    /// and --memory are applied
    #[arg(long = "set", value_name = "FIELD=V[,V...]")]
    pub sets: Vec<String>,
    /// A sweep file (RON): configurations, parameter ranges and ROMs
    #[arg(long, value_name = "FILE", conflicts_with_all = ["roms", "configs", "sets", "merge"])]
    pub plan: Option<PathBuf>,
    /// Runs at a time [default: one per core]
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Stop each run after this many cycles (its row says `cycle limit`)
    #[arg(long, value_name = "N")]
    pub max_cycles: Option<u64>,
    /// Write the results: DIR/ (sweep.csv and sweep.json in it), FILE.csv,
    /// FILE.json, or PREFIX (PREFIX.csv and PREFIX.json)
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Plot this statistic (`cycles`, `cpi`, `l1d.misses`, ...)
    #[arg(long, value_name = "STAT")]
    pub plot: Option<String>,
    /// The plot's x axis: a varied field, `config` or `rom` [default: the
    /// first varied field, else config]
    #[arg(long, value_name = "COLUMN", requires = "plot")]
    pub x: Option<String>,
    /// The plot's file, .svg or .png [default: PREFIX-STAT.svg beside the
    /// --out files, else sweep-STAT.svg]
    #[arg(long, value_name = "FILE", requires = "plot")]
    pub plot_file: Option<PathBuf>,
    /// Write one command per run to FILE (- for stdout) instead of
    /// running; each writes its row as JSON into the --out directory
    #[arg(long, value_name = "FILE", requires = "out", conflicts_with = "merge")]
    pub emit_jobs: Option<PathBuf>,
    /// Read the JSON results files in DIR (written by --emit-jobs
    /// commands) instead of running
    #[arg(
        long,
        value_name = "DIR",
        conflicts_with_all = ["roms", "configs", "sets", "core", "predictor", "memory", "march"]
    )]
    pub merge: Option<PathBuf>,
    /// The row's place in its sweep (for --emit-jobs commands, which run
    /// one pair each)
    #[arg(long, value_name = "N", hide = true)]
    pub index: Option<usize>,
    /// The configuration's name in the row (for --emit-jobs commands whose
    /// --config is a file named differently in the sweep file)
    #[arg(long, value_name = "NAME", hide = true, requires = "index")]
    pub label: Option<String>,
    /// No progress bar and no table on stdout
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn main(args: SweepArgs) -> ExitCode {
    match sweep(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("glassbox: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Where `--out` writes: the CSV and JSON files.
fn out_files(out: &Path) -> (Option<PathBuf>, Option<PathBuf>) {
    match out.extension().and_then(|e| e.to_str()) {
        Some("csv") => (Some(out.to_path_buf()), None),
        Some("json") => (None, Some(out.to_path_buf())),
        _ => {
            let prefix = if out.is_dir() || out.to_string_lossy().ends_with('/') {
                out.join("sweep")
            } else {
                out.to_path_buf()
            };
            let with = |ext: &str| PathBuf::from(format!("{}.{ext}", prefix.display()));
            (Some(with("csv")), Some(with("json")))
        }
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn sweep(args: &SweepArgs) -> Result<(), String> {
    let results = match &args.merge {
        Some(dir) => jobs::merge(dir)?,
        None => {
            let mut plan = match &args.plan {
                Some(file) => {
                    let mut plan = Plan::from_file(file)?;
                    if args.max_cycles.is_some() {
                        plan.max_cycles = args.max_cycles;
                    }
                    plan
                }
                None => {
                    if args.roms.is_empty() {
                        return Err("give ROMs to run, --plan FILE or --merge DIR".into());
                    }
                    let params = args
                        .sets
                        .iter()
                        .map(|s| Param::parse(s))
                        .collect::<Result<Vec<_>, _>>()?;
                    Plan::from_args(&args.configs, params, args.roms.clone(), args.max_cycles)?
                }
            };
            plan.set_parts(args.parts.choices())?;
            plan.set_isa(args.march.march)?;
            let mut jobs = plan.jobs();
            if let Some(index) = args.index {
                if jobs.len() != 1 {
                    return Err(format!(
                        "--index is for one run; this sweep has {}",
                        jobs.len()
                    ));
                }
                jobs[0].index = index;
                if let Some(label) = &args.label {
                    jobs[0].config = label.clone();
                }
            }
            if let Some(stat) = &args.plot {
                // Statistics depend on the configuration only: a wrong name
                // is found before anything runs.
                let x = args
                    .x
                    .clone()
                    .unwrap_or_else(|| plot::default_x(&fresh(&jobs)));
                plot::check_names(&fresh(&jobs), stat, &x)?;
            }
            if let Some(file) = &args.emit_jobs {
                let dir = args.out.as_deref().expect("clap requires --out");
                let program = std::env::args().next().unwrap_or_else(|| "glassbox".into());
                let text = jobs::emit(&program, &jobs, plan.max_cycles, dir);
                if file.as_os_str() == "-" {
                    print!("{text}");
                } else {
                    write(file, &text)?;
                    eprintln!(
                        "glassbox: wrote {} commands to {}; each writes its results into {}",
                        jobs.len(),
                        file.display(),
                        dir.display()
                    );
                }
                return Ok(());
            }
            Results::new(run_all(&jobs, plan.max_cycles, args)?)
        }
    };
    if !args.quiet {
        print!("{}", results.to_text());
    }
    let mut prefix = None;
    if let Some(out) = &args.out {
        let (csv, json) = out_files(out);
        if let Some(p) = &csv {
            write(p, &results.to_csv())?;
        }
        if let Some(p) = &json {
            write(p, &results.to_json())?;
        }
        prefix = csv.or(json).map(|p| p.with_extension(""));
    }
    if let Some(stat) = &args.plot {
        let x = args.x.clone().unwrap_or_else(|| plot::default_x(&results));
        let file = args.plot_file.clone().unwrap_or_else(|| {
            let base = prefix.unwrap_or_else(|| PathBuf::from("sweep"));
            PathBuf::from(format!("{}-{stat}.svg", base.display()))
        });
        plot::plot(&results, stat, &x, &file)?;
    }
    Ok(())
}

/// Rows with the statistics of fresh machines, one per configuration:
/// which statistics and columns the sweep will have.
fn fresh(jobs: &[Job]) -> Results {
    let mut rows: Vec<Row> = Vec::new();
    for j in jobs {
        let params: Vec<(String, String)> = j
            .params
            .iter()
            .map(|(f, v)| (f.clone(), v.to_string()))
            .collect();
        if rows
            .iter()
            .any(|r| r.config == j.config && r.params == params)
        {
            continue;
        }
        let stats = j
            .machine
            .as_ref()
            .ok()
            .and_then(|c| Machine::new(c.clone()).ok())
            .map(|m| stat_map(&m.stats()))
            .unwrap_or_default();
        rows.push(Row {
            index: j.index,
            config: j.config.clone(),
            params,
            rom: j.rom.display().to_string(),
            status: Status::Exited(0),
            stats,
        });
    }
    Results::new(rows)
}

/// Runs the jobs with a progress bar on stderr (hidden when stderr is
/// not a terminal, or with --quiet).
fn run_all(jobs: &[Job], max_cycles: Option<u64>, args: &SweepArgs) -> Result<Vec<Row>, String> {
    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(jobs.len() as u64), ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40} {pos}/{len} runs  {elapsed} elapsed, about {eta} left  {msg}",
        )
        .map_err(|e| e.to_string())?,
    );
    let threads = args.jobs.unwrap_or(0);
    let rows = run::run_jobs(jobs, max_cycles, threads, &|row: &Row| {
        bar.set_message(row.rom.clone());
        bar.inc(1);
    });
    bar.finish_and_clear();
    rows
}
