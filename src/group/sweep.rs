//! The (configuration × program) runner behind `glassbox sweep`: a `Plan`
//! (configurations, parameters varied over ranges, ROMs) expands into
//! `Job`s; `run` runs them in parallel, each exactly as `glassbox run
//! --stats` would (`crate::headless::run_pair`), into `Row`s; `table`
//! prints and writes them (text, CSV, JSON result files); `plot` draws a
//! statistic against a parameter; `jobs` writes one command per run for
//! a cluster and merges the result files they write.

pub mod jobs;
pub mod plan;
pub mod plot;
pub mod run;
pub mod table;

pub use plan::{Job, Param, Plan};
pub use table::{Results, Row, Status};
