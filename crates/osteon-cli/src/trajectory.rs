//! `osteon trajectory`: biomarker time courses (e.g. serum VEGF after
//! autologous stem-cell transplantation or thalidomide in POEMS syndrome).
//! Reads a long table of measurements and a table of per-assay normal
//! limits, and writes per-measurement changes from baseline and nadir,
//! response categories at landmark times and per-arm summaries. The methods
//! and their sources are documented in `osteon_cohort::trajectory`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use osteon_cohort::reference_interval::{Flag, ReferenceInterval, ReferenceIntervalError};
use osteon_cohort::trajectory::{
    analyse, BaselineRule, ChangeReference, Measurement, Options, Quartiles, ResponseRules,
    Trajectory, TrajectoryError,
};
use osteon_io::TsvWriter;
use serde_json::json;

use crate::command::{name_file, required_text, run_in_output_dir};
use crate::progress::StderrProgress;
use crate::reference_flags::read_limits;

/// How the baseline of each series is chosen.
#[derive(
    clap::ValueEnum, serde::Deserialize, serde::Serialize, Debug, Clone, Copy, PartialEq, Eq,
)]
#[serde(rename_all = "kebab-case")]
pub enum BaselineChoice {
    /// The last measured value at or before time 0.
    AtOrBeforeZero,
    /// The measured value at exactly time 0.
    AtZero,
    /// The first measured value, whatever its time.
    First,
}

/// What a rise is measured from for progression.
#[derive(
    clap::ValueEnum, serde::Deserialize, serde::Serialize, Debug, Clone, Copy, PartialEq, Eq,
)]
#[serde(rename_all = "kebab-case")]
pub enum ProgressionFrom {
    /// The lowest value from the baseline up to the landmark.
    Nadir,
    /// The baseline value.
    Baseline,
}

/// Every analysis option of `osteon trajectory` (CLI flags and the
/// `[trajectory]` section of a study file).
#[derive(clap::Args, serde::Deserialize, serde::Serialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Measurements (CSV/TSV), one per row.
    #[arg(long)]
    pub data: PathBuf,
    /// Per-assay normal limits (CSV/TSV): `assay` (or `analyte`), `lower`
    /// (or `low`, may be empty), `upper` (or `high`), optional `unit`.
    #[arg(long)]
    pub limits: PathBuf,
    /// Column with the patient identifier.
    #[arg(long, default_value = "patient")]
    #[serde(default = "default_patient")]
    pub patient: String,
    /// Column with the time since the start of treatment.
    #[arg(long, default_value = "time")]
    #[serde(default = "default_time")]
    pub time: String,
    /// Column with the measured value (empty or NA: missing, reported).
    #[arg(long, default_value = "value")]
    #[serde(default = "default_value")]
    pub value: String,
    /// Column with the treatment arm (constant within a patient).
    #[arg(long)]
    #[serde(default)]
    pub arm: Option<String>,
    /// Column naming the assay of each value; without it the limits file
    /// must have exactly one row.
    #[arg(long)]
    #[serde(default)]
    pub assay: Option<String>,
    /// Column with each value's unit, checked against the assay's unit.
    #[arg(long)]
    #[serde(default)]
    pub unit: Option<String>,
    /// Landmark times, comma-separated, in the unit of the time column.
    #[arg(long, value_delimiter = ',', default_value = "3,6,12")]
    #[serde(default = "default_landmarks")]
    pub landmarks: Vec<f64>,
    /// Half-width of the window around each landmark (inclusive).
    #[arg(long, default_value_t = 1.0)]
    #[serde(default = "default_window")]
    pub window: f64,
    /// Baseline rule.
    #[arg(long, value_enum, default_value_t = BaselineChoice::AtOrBeforeZero)]
    #[serde(default = "default_baseline")]
    pub baseline: BaselineChoice,
    /// Partial response: fall from baseline of at least this many percent.
    #[arg(long, default_value_t = 50.0)]
    #[serde(default = "default_threshold")]
    pub partial_fall: f64,
    /// Progression: rise of at least this many percent.
    #[arg(long, default_value_t = 50.0)]
    #[serde(default = "default_threshold")]
    pub progression_rise: f64,
    /// What the progression rise is measured from.
    #[arg(long, value_enum, default_value_t = ProgressionFrom::Nadir)]
    #[serde(default = "default_progression_from")]
    pub progression_from: ProgressionFrom,
    /// Also assess series whose baseline is within the normal limit (by
    /// default their response is not evaluable).
    #[arg(long)]
    #[serde(default)]
    pub assess_normal_baseline: bool,
    /// Accept negative times (pre-treatment values, used by the
    /// at-or-before-zero baseline rule); otherwise they are an error.
    #[arg(long)]
    #[serde(default)]
    pub allow_negative_times: bool,
    /// Summarise per arm and assay instead of per arm.
    #[arg(long)]
    #[serde(default)]
    pub summary_by_assay: bool,
    /// The unit of the time column (a label for tables and figures).
    #[arg(long, default_value = "months")]
    #[serde(default = "default_time_unit")]
    pub time_unit: String,
}

fn default_patient() -> String {
    "patient".to_string()
}
fn default_time() -> String {
    "time".to_string()
}
fn default_value() -> String {
    "value".to_string()
}
fn default_landmarks() -> Vec<f64> {
    vec![3.0, 6.0, 12.0]
}
fn default_window() -> f64 {
    1.0
}
fn default_baseline() -> BaselineChoice {
    BaselineChoice::AtOrBeforeZero
}
fn default_threshold() -> f64 {
    50.0
}
fn default_progression_from() -> ProgressionFrom {
    ProgressionFrom::Nadir
}
fn default_time_unit() -> String {
    "months".to_string()
}

impl Settings {
    /// The kernel options these settings select.
    pub fn options(&self) -> Options {
        Options {
            baseline: match self.baseline {
                BaselineChoice::AtOrBeforeZero => BaselineRule::AtOrBeforeZero,
                BaselineChoice::AtZero => BaselineRule::AtZero,
                BaselineChoice::First => BaselineRule::First,
            },
            landmarks: self.landmarks.clone(),
            window: self.window,
            rules: ResponseRules {
                partial_fall_percent: self.partial_fall,
                progression_rise_percent: self.progression_rise,
                progression_from: match self.progression_from {
                    ProgressionFrom::Nadir => ChangeReference::Nadir,
                    ProgressionFrom::Baseline => ChangeReference::Baseline,
                },
                require_elevated_baseline: !self.assess_normal_baseline,
            },
            allow_negative_times: self.allow_negative_times,
            summary_by_assay: self.summary_by_assay,
        }
    }
}

/// Biomarker time courses: % change from baseline and nadir, fold of the
/// assay's upper limit of normal, response at landmarks, per-arm summaries.
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

/// What `trajectory` computed, for reports and figures.
///
/// Spaghetti plot: one line per `trajectory.series[i]` (`times`, `values`;
/// coloured by `arm`), y on a log axis, with a horizontal line at each
/// assay's `upper_limit` (and `lower_limit` where given; `limits` lists them
/// per assay with the unit). Series by different assays have different
/// limits, so draw one panel per assay or plot `values / upper_limit`
/// (fold of ULN, limit at 1). Values ≤ 0 cannot be drawn on a log axis:
/// `n_nonpositive` counts them. Landmark categories per series are in
/// `trajectory.landmarks`, arm summaries (median, quartiles, counts) in
/// `trajectory.arm_summary`.
// Fields are read by the report once the figures are wired in.
#[allow(dead_code)]
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Everything the kernel computed.
    pub trajectory: Trajectory,
    /// The normal limits, in the order of the limits file.
    pub limits: Vec<ReferenceInterval>,
    /// Label of the time axis unit (e.g. `months`).
    pub time_unit: String,
    /// Name of the value column (y-axis label).
    pub value_label: String,
    /// Name of the arm column, if any (legend title).
    pub arm_label: Option<String>,
    /// Measured values ≤ 0 (not drawable on a log axis).
    pub n_nonpositive: usize,
}

/// The line a kernel error names, if any.
fn error_line(error: &TrajectoryError) -> Option<usize> {
    use TrajectoryError as E;
    match error {
        E::MissingUpperLimit { line, .. }
        | E::UnknownAssay { line, .. }
        | E::EmptyPatient { line }
        | E::NonFiniteTime { line, .. }
        | E::NegativeTime { line, .. }
        | E::NonFiniteValue { line, .. }
        | E::NegativeValue { line, .. }
        | E::DuplicateTime { line, .. }
        | E::ArmChanges { line, .. } => Some(*line),
        E::Limits(ReferenceIntervalError::UnitMismatch { line, .. }) => Some(*line),
        _ => None,
    }
}

/// Reads the measurements, with errors naming file, line and column.
fn read_measurements(
    settings: &Settings,
    limits: &[ReferenceInterval],
) -> Result<Vec<Measurement>> {
    let table = osteon_io::read_long_table(&settings.data)?;
    let patient = table.column_index(&settings.patient)?;
    let time = table.column_index(&settings.time)?;
    let value = table.column_index(&settings.value)?;
    let column = |name: &Option<String>| name.as_deref().map(|n| table.column_index(n)).transpose();
    let arm = column(&settings.arm)?;
    let assay = column(&settings.assay)?;
    let unit = column(&settings.unit)?;
    let single_assay = match (assay, limits) {
        (Some(_), _) => None,
        (None, [only]) => Some(only.analyte.clone()),
        (None, _) => bail!(
            "{} lists {} assays; name the data's assay column with --assay (or keep one row in the limits file)",
            settings.limits.display(),
            limits.len()
        ),
    };
    (0..table.n_rows())
        .map(|row| {
            Ok(Measurement {
                line: table.lines[row],
                patient: required_text(&table, row, patient, "a patient")?,
                time: table.number(row, time)?.ok_or_else(|| {
                    table.value_error(row, time, "", "is empty; every measurement needs a time")
                })?,
                value: table.number(row, value)?,
                arm: arm
                    .map(|c| required_text(&table, row, c, "an arm"))
                    .transpose()?,
                assay: match (&single_assay, assay) {
                    (Some(name), _) => name.clone(),
                    (None, Some(c)) => required_text(&table, row, c, "an assay")?,
                    (None, None) => unreachable!("checked above"),
                },
                unit: unit.and_then(|c| table.text(row, c)).map(str::to_string),
            })
        })
        .collect()
}

/// Reads the inputs, analyses the time courses and writes `changes.tsv`,
/// `landmarks.tsv`, `arm_summary.tsv` and `series.tsv` into `dir`.
pub fn execute(settings: &Settings, dir: &Path, progress: &StderrProgress) -> Result<Outcome> {
    progress.message("reading measurements and normal limits");
    let limits = read_limits(&settings.limits)?;
    let measurements = read_measurements(settings, &limits)?;
    let trajectory = analyse(&measurements, &limits, &settings.options())
        .map_err(|e| name_file(&settings.data, error_line(&e), e))?;
    let arm_label = settings.arm.clone();
    write_changes(&dir.join("changes.tsv"), &trajectory)?;
    write_landmarks(&dir.join("landmarks.tsv"), &trajectory)?;
    write_arm_summary(&dir.join("arm_summary.tsv"), &trajectory)?;
    write_series(&dir.join("series.tsv"), &trajectory)?;
    let without = trajectory.series_without_baseline();
    if !without.is_empty() {
        let names: Vec<String> = without
            .iter()
            .map(|&s| {
                let s = &trajectory.series[s];
                format!("{} ({}): {}", s.patient, s.assay, s.baseline_note)
            })
            .collect();
        progress.message(&format!(
            "note: {} series without a baseline (kept, not evaluable): {}",
            names.len(),
            names.join("; ")
        ));
    }
    let n_nonpositive = trajectory
        .series
        .iter()
        .flat_map(|s| &s.values)
        .filter(|&&v| v <= 0.0)
        .count();
    progress.message(&format!(
        "{} series, {} measurements, landmarks {}",
        trajectory.series.len(),
        trajectory.changes.series.len(),
        join_numbers(&trajectory.landmark_times)
    ));
    Ok(Outcome {
        trajectory,
        limits,
        time_unit: settings.time_unit.clone(),
        value_label: settings.value.clone(),
        arm_label,
        n_nonpositive,
    })
}

fn join_numbers(values: &[f64]) -> String {
    values
        .iter()
        .map(|&v| osteon_io::format_r_number(v))
        .collect::<Vec<_>>()
        .join(",")
}

fn arm_text(arm: &Option<String>) -> &str {
    arm.as_deref().unwrap_or("NA")
}

fn logical(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "TRUE",
        Some(false) => "FALSE",
        None => "NA",
    }
}

/// `patient arm assay` of a series.
fn series_key(w: &mut TsvWriter, trajectory: &Trajectory, series: usize) {
    let s = &trajectory.series[series];
    w.text(&s.patient);
    w.text(arm_text(&s.arm));
    w.text(&s.assay);
}

fn write_changes(path: &Path, t: &Trajectory) -> Result<()> {
    let c = &t.changes;
    let mut w = TsvWriter::create(path)?;
    w.text_row(&[
        "patient",
        "arm",
        "assay",
        "line",
        "time",
        "value",
        "fold_uln",
        "flag",
        "normalised",
        "is_baseline",
        "pct_change_baseline",
        "nadir",
        "pct_change_nadir",
        "note",
    ])?;
    for r in 0..c.series.len() {
        series_key(&mut w, t, c.series[r]);
        w.number(c.line[r] as f64);
        w.number(c.time[r]);
        w.number(c.value[r]);
        w.number(c.fold_uln[r]);
        w.text(c.flag[r].map_or("NA", Flag::code));
        w.text(logical(c.normalised[r]));
        w.text(logical(Some(c.is_baseline[r])));
        w.number(c.pct_change_baseline[r]);
        w.number(c.nadir[r]);
        w.number(c.pct_change_nadir[r]);
        w.text(&c.note[r]);
        w.end_row()?;
    }
    w.finish()?;
    Ok(())
}

fn write_landmarks(path: &Path, t: &Trajectory) -> Result<()> {
    let l = &t.landmarks;
    let mut w = TsvWriter::create(path)?;
    w.text_row(&[
        "patient",
        "arm",
        "assay",
        "landmark",
        "time_used",
        "value",
        "fold_uln",
        "pct_change_baseline",
        "pct_change_nadir",
        "category",
        "note",
    ])?;
    for r in 0..l.series.len() {
        series_key(&mut w, t, l.series[r]);
        w.number(l.landmark[r]);
        w.number(l.time_used[r]);
        w.number(l.value[r]);
        w.number(l.fold_uln[r]);
        w.number(l.pct_change_baseline[r]);
        w.number(l.pct_change_nadir[r]);
        w.text(l.category[r].code());
        w.text(&l.note[r]);
        w.end_row()?;
    }
    w.finish()?;
    Ok(())
}

/// Columns of `arm_summary.tsv` (the category counts follow `Category::ALL`).
const ARM_SUMMARY_COLUMNS: [&str; 21] = [
    "arm",
    "assay",
    "landmark",
    "n_series",
    "n_measured",
    "n_with_change",
    "value_median",
    "value_q1",
    "value_q3",
    "fold_uln_median",
    "fold_uln_q1",
    "fold_uln_q3",
    "pct_change_median",
    "pct_change_q1",
    "pct_change_q3",
    "n_complete",
    "n_partial",
    "n_stable",
    "n_progression",
    "n_not_evaluable",
    "note",
];

fn write_arm_summary(path: &Path, t: &Trajectory) -> Result<()> {
    let mut w = TsvWriter::create(path)?;
    w.text_row(&ARM_SUMMARY_COLUMNS)?;
    let quartiles = |w: &mut TsvWriter, q: &Quartiles| {
        w.number(q.median);
        w.number(q.q1);
        w.number(q.q3);
    };
    for s in &t.arm_summary {
        w.text(s.arm.as_deref().unwrap_or("all"));
        w.text(&s.assay.clone().unwrap_or_else(|| s.assays.join(",")));
        w.number(s.landmark);
        w.number(s.n_series as f64);
        w.number(s.n_measured as f64);
        w.number(s.n_with_change as f64);
        quartiles(&mut w, &s.value);
        quartiles(&mut w, &s.fold_uln);
        quartiles(&mut w, &s.pct_change_baseline);
        for count in s.counts {
            w.number(count as f64);
        }
        w.text(&s.note);
        w.end_row()?;
    }
    w.finish()?;
    Ok(())
}

fn write_series(path: &Path, t: &Trajectory) -> Result<()> {
    let mut w = TsvWriter::create(path)?;
    w.text_row(&[
        "patient",
        "arm",
        "assay",
        "unit",
        "lower_limit",
        "upper_limit",
        "n_measured",
        "n_missing",
        "first_time",
        "last_time",
        "baseline_time",
        "baseline_value",
        "baseline_fold_uln",
        "note",
    ])?;
    for (index, s) in t.series.iter().enumerate() {
        series_key(&mut w, t, index);
        w.text(s.unit.as_deref().unwrap_or("NA"));
        w.number(s.lower_limit.unwrap_or(f64::NAN));
        w.number(s.upper_limit);
        w.number(s.times.len() as f64);
        w.number(s.n_missing as f64);
        w.number(s.times.first().copied().unwrap_or(f64::NAN));
        w.number(s.times.last().copied().unwrap_or(f64::NAN));
        w.number(s.baseline.map_or(f64::NAN, |b| b.time));
        w.number(s.baseline.map_or(f64::NAN, |b| b.value));
        w.number(s.baseline.map_or(f64::NAN, |b| b.value / s.upper_limit));
        w.text(if s.baseline.is_some() {
            ""
        } else {
            &s.baseline_note
        });
        w.end_row()?;
    }
    w.finish()?;
    Ok(())
}

/// Runs `osteon trajectory`.
pub fn run(args: Args) -> Result<()> {
    let settings = &args.settings;
    run_in_output_dir(
        &args.out,
        args.quiet,
        "trajectory",
        "change from baseline and from the nadir (RECIST 1.1 nadir); response at landmarks: complete = value <= ULN, partial = fall >= partial_fall% from baseline (D'Souza et al. 2012, Blood 120:56), progression = rise >= progression_rise% from progression_from; quartiles as R quantile(type = 7)",
        &[("data", &settings.data), ("limits", &settings.limits)],
        settings,
        |dir, progress| {
            let outcome = execute(settings, dir, progress)?;
            crate::report::single_command_figures(dir, "trajectory", outcome, crate::report::trajectory_section)
        },
        |outcome| {
            let t = &outcome.trajectory;
            json!({
                "series": t.series.len(),
                "measurements": t.changes.series.len(),
                "series_without_baseline": t.series_without_baseline().len(),
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
        assert_eq!(settings.options(), Options::default());
    }

    #[test]
    fn study_file_spells_choices_like_the_flags() {
        let settings: Settings = same_settings(
            &[
                "--data",
                "d.csv",
                "--limits",
                "l.csv",
                "--baseline",
                "at-zero",
                "--progression-from",
                "baseline",
                "--landmarks",
                "6,12",
            ],
            r#"{"data": "d.csv", "limits": "l.csv", "baseline": "at-zero",
                "progression_from": "baseline", "landmarks": [6, 12]}"#,
        );
        assert_eq!(settings.options().baseline, BaselineRule::AtZero);
        assert!(
            serde_json::from_str::<Settings>(r#"{"data": "d", "limits": "l", "typo": 1}"#).is_err()
        );
    }
}
