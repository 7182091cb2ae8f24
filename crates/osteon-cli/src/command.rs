//! Plumbing shared by the single-analysis commands (`qpcr`, `elisa`,
//! `compare`, `survival`, `trajectory`, `reference-flags`, `gsea`): the
//! atomic output folder with its `run.json`, input digests, error prefixes
//! and a test helper that checks command-line flags and study-file sections
//! mean the same thing.

use anyhow::{anyhow, Context, Result};
use osteon_io::{LongTable, OutputDir};
use serde_json::json;
use std::path::Path;

use crate::progress::StderrProgress;

/// A kernel error about a data line, prefixed with the data file's path.
pub(crate) fn name_file(
    path: &Path,
    line: Option<usize>,
    error: impl std::fmt::Display,
) -> anyhow::Error {
    match line {
        Some(_) => anyhow!("{} {error}", path.display()),
        None => anyhow!("{error}"),
    }
}

/// A text cell that must be present.
pub(crate) fn required_text(
    table: &LongTable,
    row: usize,
    column: usize,
    what: &str,
) -> Result<String> {
    table.text(row, column).map(str::to_string).ok_or_else(|| {
        table
            .value_error(
                row,
                column,
                "",
                &format!("is empty; every row needs {what}"),
            )
            .into()
    })
}

/// `{"path": …, "sha256": …}` for run.json.
pub(crate) fn input_record(path: &Path) -> Result<serde_json::Value> {
    Ok(json!({
        "path": path.display().to_string(),
        "sha256": osteon_io::sha256_file(path)?,
    }))
}

/// Writes `run.json` into `dir`.
pub(crate) fn write_manifest(dir: &Path, manifest: &serde_json::Value) -> Result<()> {
    let path = dir.join("run.json");
    std::fs::write(&path, serde_json::to_string_pretty(manifest)? + "\n")
        .with_context(|| format!("writing {}", path.display()))
}

/// The frame every command of this kind shares: an atomic output folder,
/// `execute`, then `run.json` (tool, version, command, method, inputs with
/// SHA-256, parameters, plus `counts` from the outcome) and the commit.
pub(crate) fn run_in_output_dir<O>(
    out: &Path,
    quiet: bool,
    command: &str,
    method: &str,
    inputs: &[(&str, &Path)],
    parameters: &impl serde::Serialize,
    execute: impl FnOnce(&Path, &StderrProgress) -> Result<O>,
    counts: impl FnOnce(&O) -> serde_json::Value,
) -> Result<O> {
    let progress = StderrProgress::new(quiet);
    let output = OutputDir::create(out)?;
    let outcome = execute(output.path(), &progress)?;
    let mut recorded = serde_json::Map::new();
    for (name, path) in inputs {
        recorded.insert(name.to_string(), input_record(path)?);
    }
    let manifest = json!({
        "tool": "osteon",
        "version": env!("CARGO_PKG_VERSION"),
        "command": command,
        "method": method,
        "inputs": recorded,
        "parameters": parameters,
        "counts": counts(&outcome),
    });
    write_manifest(output.path(), &manifest)?;
    let target = output.commit()?;
    progress.message(&format!("results in {}", target.display()));
    Ok(outcome)
}

/// Test helper: the settings of a command line and of a study-file section
/// (JSON here, TOML in a study file: both go through serde) must agree.
#[cfg(test)]
pub(crate) fn same_settings<S>(flags: &[&str], section: &str) -> S
where
    S: clap::Args + serde::de::DeserializeOwned + std::fmt::Debug,
{
    use clap::Parser;
    #[derive(Parser)]
    struct Command<T: clap::Args> {
        #[command(flatten)]
        settings: T,
    }
    let mut line = vec!["osteon"];
    line.extend_from_slice(flags);
    let from_flags = Command::<S>::parse_from(line).settings;
    let from_section: S = serde_json::from_str(section).expect("section");
    assert_eq!(format!("{from_flags:?}"), format!("{from_section:?}"));
    from_flags
}
