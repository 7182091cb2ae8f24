//! `osteon elisa`: standard curve and interpolated concentrations of one
//! ELISA plate. Reads a plate table (or a layout grid and a readings grid,
//! see `elisa/input.rs`), runs `osteon_assay::elisa::analyse` and writes
//! `curve.tsv`, `standards.tsv`, `standard_wells.tsv` and `samples.tsv`.
//! The methods and their sources are documented in `osteon_assay::elisa`.

mod input;

use std::path::{Path, PathBuf};

use anyhow::Result;
use osteon_assay::elisa::{analyse, Analysis, Model, Options, Weighting};
use osteon_io::TsvWriter;
use serde_json::json;

use crate::progress::StderrProgress;

/// The standard-curve model.
#[derive(
    clap::ValueEnum, serde::Deserialize, serde::Serialize, Debug, Clone, Copy, PartialEq, Eq,
)]
pub enum ModelChoice {
    /// Four-parameter logistic: y = d + (a − d)/(1 + (x/c)^b).
    #[value(name = "4pl")]
    #[serde(rename = "4pl")]
    FourPl,
    /// Five-parameter logistic: y = d + (a − d)/(1 + (x/c)^b)^g.
    #[value(name = "5pl")]
    #[serde(rename = "5pl")]
    FivePl,
}

/// Weighting of the curve fit.
#[derive(
    clap::ValueEnum, serde::Deserialize, serde::Serialize, Debug, Clone, Copy, PartialEq, Eq,
)]
pub enum WeightingChoice {
    /// Ordinary least squares.
    #[value(name = "none")]
    #[serde(rename = "none")]
    None,
    /// Weights 1/Y² (Y = blank-corrected signal).
    #[value(name = "1/y2")]
    #[serde(rename = "1/y2")]
    InverseSquare,
}

/// Every analysis option of `osteon elisa` (CLI flags and the
/// `[elisa.NAME]` section of a study file).
#[derive(clap::Args, serde::Deserialize, serde::Serialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Plate table (CSV/TSV), one row per well: well, type (standard,
    /// blank, sample, QC), concentration (standards; QC nominal), dilution,
    /// signal, sample (id).
    #[arg(long, required_unless_present = "layout", conflicts_with_all = ["layout", "readings"])]
    #[serde(default)]
    pub plate: Option<PathBuf>,
    /// Plate layout grid (CSV/TSV, rows A–H × columns 1–12): blank,
    /// std:CONC, SAMPLE[@DILUTION] or qc:ID[=NOMINAL][@DILUTION] per well.
    #[arg(long, requires = "readings")]
    #[serde(default)]
    pub layout: Option<PathBuf>,
    /// Readings grid of the same shape as the layout.
    #[arg(long, requires = "layout")]
    #[serde(default)]
    pub readings: Option<PathBuf>,
    /// Curve model.
    #[arg(long, value_enum, default_value_t = ModelChoice::FourPl)]
    #[serde(default = "default_model")]
    pub model: ModelChoice,
    /// Fit weighting.
    #[arg(long, value_enum, default_value_t = WeightingChoice::None)]
    #[serde(default = "default_weighting")]
    pub weighting: WeightingChoice,
    /// Lowest acceptable back-calculated recovery (%) of a standard for the
    /// LLOQ/ULOQ.
    #[arg(long, default_value_t = 80.0)]
    #[serde(default = "default_recovery_min")]
    pub recovery_min: f64,
    /// Highest acceptable recovery (%).
    #[arg(long, default_value_t = 120.0)]
    #[serde(default = "default_recovery_max")]
    pub recovery_max: f64,
    /// Highest acceptable replicate CV (%) of a standard level.
    #[arg(long, default_value_t = 20.0)]
    #[serde(default = "default_max_cv")]
    pub max_cv: f64,
    /// Most model evaluations of the Levenberg–Marquardt fit (0: scipy's
    /// default, 100 × (parameters + 1)).
    #[arg(long, default_value_t = 0)]
    #[serde(default)]
    pub max_evaluations: usize,
    /// Plate-table column with the well name.
    #[arg(long, default_value = "well")]
    #[serde(default = "default_well_column")]
    pub well_column: String,
    /// Plate-table column with the well type.
    #[arg(long, default_value = "type")]
    #[serde(default = "default_type_column")]
    pub type_column: String,
    /// Plate-table column with the standard concentration (QC nominal).
    #[arg(long, default_value = "concentration")]
    #[serde(default = "default_concentration_column")]
    pub concentration_column: String,
    /// Plate-table column with the dilution factor (1 when absent or
    /// empty).
    #[arg(long, default_value = "dilution")]
    #[serde(default = "default_dilution_column")]
    pub dilution_column: String,
    /// Plate-table column with the signal.
    #[arg(long, default_value = "signal")]
    #[serde(default = "default_signal_column")]
    pub signal_column: String,
    /// Plate-table column with the sample or QC id.
    #[arg(long, default_value = "sample")]
    #[serde(default = "default_sample_column")]
    pub sample_column: String,
}

fn default_model() -> ModelChoice {
    ModelChoice::FourPl
}
fn default_weighting() -> WeightingChoice {
    WeightingChoice::None
}
fn default_recovery_min() -> f64 {
    80.0
}
fn default_recovery_max() -> f64 {
    120.0
}
fn default_max_cv() -> f64 {
    20.0
}
fn default_well_column() -> String {
    "well".into()
}
fn default_type_column() -> String {
    "type".into()
}
fn default_concentration_column() -> String {
    "concentration".into()
}
fn default_dilution_column() -> String {
    "dilution".into()
}
fn default_signal_column() -> String {
    "signal".into()
}
fn default_sample_column() -> String {
    "sample".into()
}

impl Settings {
    /// The kernel options these settings select.
    pub fn options(&self) -> Options {
        Options {
            model: match self.model {
                ModelChoice::FourPl => Model::FourPl,
                ModelChoice::FivePl => Model::FivePl,
            },
            weighting: match self.weighting {
                WeightingChoice::None => Weighting::None,
                WeightingChoice::InverseSquare => Weighting::InverseSquare,
            },
            recovery_min: self.recovery_min,
            recovery_max: self.recovery_max,
            max_cv_percent: self.max_cv,
            fit: osteon_stats::levenberg_marquardt::Options {
                max_evaluations: self.max_evaluations,
                ..Default::default()
            },
            ..Options::default()
        }
    }

    /// The plate's input files.
    fn input_paths(&self) -> Vec<(&'static str, &PathBuf)> {
        [
            ("plate", &self.plate),
            ("layout", &self.layout),
            ("readings", &self.readings),
        ]
        .into_iter()
        .filter_map(|(k, p)| p.as_ref().map(|p| (k, p)))
        .collect()
    }
}

/// Arguments of `osteon elisa`.
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

/// What `elisa` computed, for reports and figures.
///
/// Curve plot (log x axis): the fitted line is `analysis.curve_points`
/// (concentration, blank-corrected signal), or `analysis.curve.signal_at`
/// with `analysis.curve.parameters`; standards are
/// `analysis.standard_wells` (`concentration`, `corrected`), one point per
/// well, with the level means and recoveries in `analysis.standards`;
/// unknowns are `analysis.unknowns` (`in_well_concentration`,
/// `mean_corrected`, coloured by `flag`; those flagged `extrapolated` or
/// `no_curve` have no concentration and can be drawn as a tick on the y
/// axis). `analysis.lloq`/`uloq` mark the validated range. When
/// `analysis.curve.converged` is false there is no line, and
/// `analysis.curve.problem` says why.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Everything the kernel computed.
    pub analysis: Analysis,
}

/// Reads the plate, fits the curve and writes the tables into `dir`.
pub fn execute(settings: &Settings, dir: &Path, progress: &StderrProgress) -> Result<Outcome> {
    progress.message("reading the plate");
    let wells = input::read_plate(settings)?;
    let source = settings
        .input_paths()
        .iter()
        .map(|(_, p)| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" + ");
    let analysis =
        analyse(&wells, &settings.options()).map_err(|e| anyhow::anyhow!("{source}: {e}"))?;
    write_curve(&dir.join("curve.tsv"), &analysis)?;
    write_standards(&dir.join("standards.tsv"), &analysis)?;
    write_standard_wells(&dir.join("standard_wells.tsv"), &analysis)?;
    write_samples(&dir.join("samples.tsv"), &analysis)?;
    for note in &analysis.notes {
        progress.message(&format!("note: {note}"));
    }
    let curve = &analysis.curve;
    match &curve.problem {
        Some(problem) => progress.message(&format!(
            "warning: {problem}; no concentrations were interpolated"
        )),
        None => progress.message(&format!(
            "{} fit ({} weighting): R² = {}, LLOQ {}, ULOQ {}; {} unknowns, {} flagged",
            curve.model.label(),
            curve.weighting.label(),
            osteon_io::format_r_number(curve.r_squared),
            osteon_io::format_r_number(analysis.lloq),
            osteon_io::format_r_number(analysis.uloq),
            analysis.unknowns.len(),
            analysis
                .unknowns
                .iter()
                .filter(|u| u.flag != osteon_assay::elisa::Flag::Ok)
                .count()
        )),
    }
    Ok(Outcome { analysis })
}

/// Columns of `curve.tsv` (one row).
const CURVE_COLUMNS: [&str; 25] = [
    "model",
    "weighting",
    "a",
    "a_se",
    "b",
    "b_se",
    "c",
    "c_se",
    "d",
    "d_se",
    "g",
    "g_se",
    "r_squared",
    "residual_sd",
    "df",
    "n_standard_wells",
    "blank_mean",
    "lloq",
    "uloq",
    "converged",
    "minpack_info",
    "iterations",
    "evaluations",
    "formula",
    "message",
];

fn write_curve(path: &Path, a: &Analysis) -> Result<()> {
    let c = &a.curve;
    let mut w = TsvWriter::create(path)?;
    w.text_row(&CURVE_COLUMNS)?;
    w.text(c.model.label());
    w.text(c.weighting.label());
    for k in 0..5 {
        w.number(c.parameters.get(k).copied().unwrap_or(f64::NAN));
        w.number(c.standard_errors.get(k).copied().unwrap_or(f64::NAN));
    }
    w.number(c.r_squared);
    w.number(c.residual_sd);
    w.number(c.degrees_of_freedom as f64);
    w.number(a.standard_wells.len() as f64);
    w.number(a.blank_mean);
    w.number(a.lloq);
    w.number(a.uloq);
    w.text(if c.converged { "TRUE" } else { "FALSE" });
    w.number(f64::from(c.status.code()));
    w.number(c.iterations as f64);
    w.number(c.evaluations as f64);
    w.text(c.model.formula());
    w.text(c.problem.as_deref().unwrap_or(c.status.message()));
    w.end_row()?;
    w.finish()?;
    Ok(())
}

fn write_standards(path: &Path, a: &Analysis) -> Result<()> {
    let mut w = TsvWriter::create(path)?;
    w.text_row(&[
        "concentration",
        "wells",
        "n",
        "mean_signal",
        "sd_signal",
        "cv_percent",
        "mean_corrected",
        "back_calculated",
        "recovery_percent",
        "accepted",
        "note",
    ])?;
    for s in &a.standards {
        w.number(s.concentration);
        w.text(&s.wells.join(","));
        w.number(s.wells.len() as f64);
        w.number(s.mean_signal);
        w.number(s.sd_signal);
        w.number(s.cv_percent);
        w.number(s.mean_corrected);
        w.number(s.back_calculated);
        w.number(s.recovery_percent);
        w.text(if s.accepted { "TRUE" } else { "FALSE" });
        w.text(&s.note);
        w.end_row()?;
    }
    w.finish()?;
    Ok(())
}

fn write_standard_wells(path: &Path, a: &Analysis) -> Result<()> {
    let mut w = TsvWriter::create(path)?;
    w.text_row(&[
        "well",
        "concentration",
        "signal",
        "corrected",
        "fitted",
        "back_calculated",
        "recovery_percent",
    ])?;
    for s in &a.standard_wells {
        w.text(&s.well);
        w.number(s.concentration);
        w.number(s.signal);
        w.number(s.corrected);
        w.number(s.fitted);
        w.number(s.back_calculated);
        w.number(s.recovery_percent);
        w.end_row()?;
    }
    w.finish()?;
    Ok(())
}

fn write_samples(path: &Path, a: &Analysis) -> Result<()> {
    let mut w = TsvWriter::create(path)?;
    w.text_row(&[
        "sample",
        "type",
        "dilution",
        "wells",
        "n",
        "mean_signal",
        "cv_percent",
        "mean_corrected",
        "in_well_concentration",
        "concentration",
        "flag",
        "nominal",
        "recovery_percent",
        "reason",
    ])?;
    for u in &a.unknowns {
        w.text(&u.sample);
        w.text(u.kind.label());
        w.number(u.dilution);
        w.text(&u.wells.join(","));
        w.number(u.wells.len() as f64);
        w.number(u.mean_signal);
        w.number(u.cv_percent);
        w.number(u.mean_corrected);
        w.number(u.in_well_concentration);
        w.number(u.concentration);
        w.text(u.flag.label());
        w.number(u.nominal);
        w.number(u.recovery_percent);
        w.text(&u.reason);
        w.end_row()?;
    }
    w.finish()?;
    Ok(())
}

/// Runs `osteon elisa`.
pub fn run(args: Args) -> Result<()> {
    let settings = &args.settings;
    let inputs: Vec<(&str, &Path)> = settings
        .input_paths()
        .into_iter()
        .map(|(k, p)| (k, p.as_path()))
        .collect();
    let options = settings.options();
    let method = format!(
        "{} ({}) by Levenberg-Marquardt (MINPACK lmder, as scipy.optimize.curve_fit(method='lm')), weighting {}; LLOQ/ULOQ = lowest/highest standard with recovery {}-{}% and CV <= {}%",
        options.model.label(),
        options.model.formula(),
        options.weighting.label(),
        options.recovery_min,
        options.recovery_max,
        options.max_cv_percent
    );
    crate::command::run_in_output_dir(
        &args.out,
        args.quiet,
        "elisa",
        &method,
        &inputs,
        settings,
        |dir, progress| {
            let outcome = execute(settings, dir, progress)?;
            crate::report::single_command_figures(
                dir,
                "elisa",
                outcome,
                crate::report::elisa_section,
            )
        },
        |outcome| {
            let a = &outcome.analysis;
            json!({
                "standard_wells": a.standard_wells.len(),
                "unknowns": a.unknowns.len(),
                "start": a.curve.start,
                "converged": a.curve.converged,
                "problem": a.curve.problem,
                "notes": a.notes,
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
    fn study_file_section_means_the_same_as_the_flags() {
        let settings: Settings = same_settings(&["--plate", "p.csv"], r#"{"plate": "p.csv"}"#);
        assert_eq!(settings.options(), Options::default());
        let settings: Settings = same_settings(
            &[
                "--layout",
                "l.csv",
                "--readings",
                "r.csv",
                "--model",
                "5pl",
                "--weighting",
                "1/y2",
            ],
            r#"{"layout": "l.csv", "readings": "r.csv", "model": "5pl", "weighting": "1/y2"}"#,
        );
        let options = settings.options();
        assert_eq!(
            (options.model, options.weighting),
            (Model::FivePl, Weighting::InverseSquare)
        );
        assert!(serde_json::from_str::<Settings>(r#"{"plate": "p", "modle": "4pl"}"#).is_err());
    }
}
