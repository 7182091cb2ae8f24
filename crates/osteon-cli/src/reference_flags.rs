//! `osteon reference-flags`: flags laboratory results against per-analyte
//! reference intervals (`L`/`H`, critical `LL`/`HH`, `N` within), as a
//! clinical laboratory report does, and counts the flags per analyte. The
//! rules are those of `osteon_cohort::reference_interval` (closed intervals,
//! CLSI EP28-A3c).
//!
//! Also home of the limits-file reader shared with `osteon trajectory`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Result};
use osteon_cohort::reference_interval::{
    flag_values, Flag, FlagReport, LabValue, Options, ReferenceInterval, ReferenceIntervalError,
};
use osteon_io::{LongTable, TsvWriter};
use serde_json::json;

use crate::command::{name_file, required_text, run_in_output_dir};
use crate::progress::StderrProgress;

/// Every analysis option of `osteon reference-flags` (CLI flags and the
/// `[reference-flags]` section of a study file).
#[derive(clap::Args, serde::Deserialize, serde::Serialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Lab results (CSV/TSV), one value per row.
    #[arg(long)]
    pub data: PathBuf,
    /// Reference intervals (CSV/TSV): `analyte` (or `assay`), `low` (or
    /// `lower`), `high` (or `upper`), optional `unit`, `critical_low`,
    /// `critical_high`; empty or NA cells mean no such limit.
    #[arg(long)]
    pub limits: PathBuf,
    /// Column of the data naming the analyte.
    #[arg(long, default_value = "analyte")]
    #[serde(default = "default_analyte")]
    pub analyte: String,
    /// Column of the data holding the value.
    #[arg(long, default_value = "value")]
    #[serde(default = "default_value")]
    pub value: String,
    /// Column of the data holding each value's unit, checked against the
    /// limits' unit (a mismatch is an error naming the line).
    #[arg(long)]
    #[serde(default)]
    pub unit: Option<String>,
    /// Keep values of analytes without a reference interval (no flag, with a
    /// note) instead of stopping with an error.
    #[arg(long)]
    #[serde(default)]
    pub allow_unknown_analytes: bool,
}

fn default_analyte() -> String {
    "analyte".to_string()
}

fn default_value() -> String {
    "value".to_string()
}

/// Flags lab values against per-analyte reference intervals (L/H, critical
/// LL/HH) and counts the flags per analyte.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub settings: Settings,
    /// Output folder (created atomically; replaced only when the run
    /// succeeds).
    #[arg(long)]
    pub out: PathBuf,
    /// No progress output on stderr.
    #[arg(long)]
    pub quiet: bool,
}

/// What `reference-flags` computed: the inputs as the kernel saw them and
/// its flags, for a report (e.g. one strip per analyte with the reference
/// band and the values coloured by flag).
// Fields are read by the report once the figures are wired in.
#[allow(dead_code)]
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The reference intervals, in the order of the limits file.
    pub intervals: Vec<ReferenceInterval>,
    /// The lab values, in the order of the data file.
    pub values: Vec<LabValue>,
    /// Flags per value and counts per analyte.
    pub report: FlagReport,
}

/// Names of the columns the limits file may use for each field.
const KEY_COLUMNS: [&str; 2] = ["analyte", "assay"];
const LOW_COLUMNS: [&str; 2] = ["low", "lower"];
const HIGH_COLUMNS: [&str; 2] = ["high", "upper"];

/// The index of the one column among `names` the table has (`None` if none;
/// an error if it has several).
fn one_of(table: &LongTable, names: &[&str]) -> Result<Option<usize>> {
    let present: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| table.has_column(n))
        .collect();
    match present.as_slice() {
        [] => Ok(None),
        [name] => Ok(Some(table.column_index(name)?)),
        _ => bail!(
            "{}: has both columns {}; keep one",
            table.path.display(),
            present.join(" and ")
        ),
    }
}

/// Reads a limits file (see [`Settings::limits`]) into validated intervals,
/// with errors naming the file and line. Columns other than the recognised
/// ones are ignored (e.g. a `source` or `note` column).
pub(crate) fn read_limits(path: &Path) -> Result<Vec<ReferenceInterval>> {
    let table = osteon_io::read_long_table(path)?;
    let key = one_of(&table, &KEY_COLUMNS)?.ok_or_else(|| {
        anyhow!(
            "{}: no `analyte` (or `assay`) column; the file has: {}",
            path.display(),
            table.columns.join(", ")
        )
    })?;
    let low = one_of(&table, &LOW_COLUMNS)?;
    let high = one_of(&table, &HIGH_COLUMNS)?;
    if low.is_none() && high.is_none() {
        bail!(
            "{}: no limit columns: expected `low` (or `lower`) and/or `high` (or `upper`); the file has: {}",
            path.display(),
            table.columns.join(", ")
        );
    }
    let optional = |name: &str| table.has_column(name).then(|| table.column_index(name));
    let unit = optional("unit").transpose()?;
    let critical_low = optional("critical_low").transpose()?;
    let critical_high = optional("critical_high").transpose()?;
    let number = |row: usize, column: Option<usize>| -> Result<Option<f64>> {
        Ok(match column {
            Some(c) => table.number(row, c)?,
            None => None,
        })
    };
    let mut intervals: Vec<ReferenceInterval> = Vec::with_capacity(table.n_rows());
    let mut first_line: HashMap<String, usize> = HashMap::new();
    for row in 0..table.n_rows() {
        let line = table.lines[row];
        let analyte = table
            .text(row, key)
            .ok_or_else(|| table.value_error(row, key, "", "is empty; every row needs a name"))?
            .to_string();
        if let Some(first) = first_line.insert(analyte.clone(), line) {
            bail!(
                "{} line {line}: '{analyte}' already has limits on line {first}",
                path.display()
            );
        }
        let interval = ReferenceInterval {
            analyte,
            unit: unit.and_then(|c| table.text(row, c)).map(str::to_string),
            low: number(row, low)?,
            high: number(row, high)?,
            critical_low: number(row, critical_low)?,
            critical_high: number(row, critical_high)?,
        };
        interval
            .validate()
            .map_err(|e| anyhow!("{} line {line}: {e}", path.display()))?;
        intervals.push(interval);
    }
    Ok(intervals)
}

/// The line a reference-interval error names, if any.
fn error_line(error: &ReferenceIntervalError) -> Option<usize> {
    match error {
        ReferenceIntervalError::UnknownAnalyte { line, .. }
        | ReferenceIntervalError::UnitMismatch { line, .. }
        | ReferenceIntervalError::NonFiniteValue { line, .. } => Some(*line),
        _ => None,
    }
}

/// Reads the inputs, flags every value and writes `flags.tsv` and
/// `flag_summary.tsv` into `dir`.
pub fn execute(settings: &Settings, dir: &Path, progress: &StderrProgress) -> Result<Outcome> {
    progress.message("reading lab values and reference intervals");
    let intervals = read_limits(&settings.limits)?;
    let table = osteon_io::read_long_table(&settings.data)?;
    let analyte = table.column_index(&settings.analyte)?;
    let value = table.column_index(&settings.value)?;
    let unit = settings
        .unit
        .as_deref()
        .map(|name| table.column_index(name))
        .transpose()?;
    for added in ADDED_COLUMNS {
        if table.has_column(added) {
            bail!(
                "{}: has a column named '{added}', which the output adds; rename it",
                table.path.display()
            );
        }
    }
    let values = (0..table.n_rows())
        .map(|row| {
            Ok(LabValue {
                line: table.lines[row],
                analyte: required_text(&table, row, analyte, "an analyte")?,
                value: table.number(row, value)?,
                unit: unit.and_then(|c| table.text(row, c)).map(str::to_string),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let options = Options {
        allow_unknown_analytes: settings.allow_unknown_analytes,
    };
    let report = flag_values(&intervals, &values, &options)
        .map_err(|e| name_file(&settings.data, error_line(&e), e))?;
    write_flags(&dir.join("flags.tsv"), &table, &intervals, &report)?;
    write_summary(&dir.join("flag_summary.tsv"), &intervals, &report)?;
    let flagged = report
        .values
        .iter()
        .filter(|v| matches!(v.flag, Some(f) if f != Flag::Normal))
        .count();
    progress.message(&format!(
        "{} values of {} analytes; {flagged} outside their reference interval",
        values.len(),
        report.summary.len()
    ));
    Ok(Outcome {
        intervals,
        values,
        report,
    })
}

/// Columns `flags.tsv` adds after the data's own columns.
const ADDED_COLUMNS: [&str; 7] = [
    "ref_low",
    "ref_high",
    "ref_critical_low",
    "ref_critical_high",
    "ref_unit",
    "flag",
    "flag_note",
];

fn write_flags(
    path: &Path,
    table: &LongTable,
    intervals: &[ReferenceInterval],
    report: &FlagReport,
) -> Result<()> {
    let mut w = TsvWriter::create(path)?;
    for column in table
        .columns
        .iter()
        .map(String::as_str)
        .chain(ADDED_COLUMNS)
    {
        w.text(column);
    }
    w.end_row()?;
    for (row, flagged) in report.values.iter().enumerate() {
        for cell in &table.rows[row] {
            w.text(cell.as_deref().unwrap_or("NA"));
        }
        let interval = flagged.interval.map(|i| &intervals[i]);
        let limit =
            |get: fn(&ReferenceInterval) -> Option<f64>| interval.and_then(get).unwrap_or(f64::NAN);
        w.number(limit(|i| i.low));
        w.number(limit(|i| i.high));
        w.number(limit(|i| i.critical_low));
        w.number(limit(|i| i.critical_high));
        w.text(interval.and_then(|i| i.unit.as_deref()).unwrap_or("NA"));
        w.text(flagged.flag.map_or("NA", Flag::code));
        w.text(&flagged.note);
        w.end_row()?;
    }
    w.finish()?;
    Ok(())
}

fn write_summary(path: &Path, intervals: &[ReferenceInterval], report: &FlagReport) -> Result<()> {
    let mut w = TsvWriter::create(path)?;
    w.text_row(&[
        "analyte",
        "unit",
        "low",
        "high",
        "critical_low",
        "critical_high",
        "n",
        "n_missing",
        "n_LL",
        "n_L",
        "n_N",
        "n_H",
        "n_HH",
    ])?;
    for summary in &report.summary {
        let interval = summary.interval.map(|i| &intervals[i]);
        let limit =
            |get: fn(&ReferenceInterval) -> Option<f64>| interval.and_then(get).unwrap_or(f64::NAN);
        w.text(&summary.analyte);
        w.text(interval.and_then(|i| i.unit.as_deref()).unwrap_or("NA"));
        w.number(limit(|i| i.low));
        w.number(limit(|i| i.high));
        w.number(limit(|i| i.critical_low));
        w.number(limit(|i| i.critical_high));
        w.number(summary.n_values as f64);
        w.number(summary.n_missing as f64);
        for count in summary.counts {
            w.number(count as f64);
        }
        w.end_row()?;
    }
    w.finish()?;
    Ok(())
}

/// Runs `osteon reference-flags`.
pub fn run(args: Args) -> Result<()> {
    let settings = &args.settings;
    run_in_output_dir(
        &args.out,
        args.quiet,
        "reference-flags",
        "reference-interval flags (closed intervals, CLSI EP28-A3c): LL < critical_low, L < low, N, H > high, HH > critical_high",
        &[("data", &settings.data), ("limits", &settings.limits)],
        settings,
        |dir, progress| execute(settings, dir, progress),
        |outcome| {
            json!({
                "values": outcome.values.len(),
                "analytes": outcome.report.summary.len(),
            })
        },
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::same_settings;

    #[test]
    fn study_file_defaults_equal_flag_defaults() {
        let settings: Settings = same_settings(
            &["--data", "d.csv", "--limits", "l.csv"],
            r#"{"data": "d.csv", "limits": "l.csv"}"#,
        );
        assert_eq!(settings.analyte, "analyte");
        assert!(
            serde_json::from_str::<Settings>(r#"{"data": "d", "limits": "l", "typo": 1}"#).is_err()
        );
    }
}
