//! `osteon qpcr`: relative expression from a long table of Cq values
//! (one row per well). Reads the table (and optionally efficiencies or a
//! standard-curve dilution series), runs `osteon_assay::qpcr::analyse` and
//! writes `replicates.tsv`, `relative_expression.tsv`, `group_summary.tsv`,
//! `efficiency.tsv`, `genorm.tsv` and `genorm_pairwise.tsv`. The methods and
//! their sources are documented in `osteon_assay::qpcr`.

mod input;

pub(crate) use input::find_column;

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use osteon_assay::qpcr::{
    analyse, standard_curves, Analysis, Efficiency, EfficiencySource, Options, QpcrError,
    StandardPoint, TTest, Undetermined,
};
use osteon_io::TsvWriter;
use serde_json::json;

use crate::progress::StderrProgress;

/// What to do with wells whose Cq is "Undetermined" or empty.
#[derive(
    clap::ValueEnum, serde::Deserialize, serde::Serialize, Debug, Clone, Copy, PartialEq, Eq,
)]
#[serde(rename_all = "kebab-case")]
pub enum UndeterminedChoice {
    /// Leave them out (each is counted and reported).
    Drop,
    /// Count them as `--max-cycles` cycles.
    MaxCycles,
}

/// Which t test compares each group with the calibrator on the ΔCt scale.
#[derive(
    clap::ValueEnum, serde::Deserialize, serde::Serialize, Debug, Clone, Copy, PartialEq, Eq,
)]
#[serde(rename_all = "kebab-case")]
pub enum TestChoice {
    /// Welch's unequal-variance t test (R's `t.test` default).
    Welch,
    /// Student's pooled-variance t test (`var.equal = TRUE`).
    Student,
}

/// Every analysis option of `osteon qpcr` (CLI flags and the `[qpcr.NAME]`
/// section of a study file).
#[derive(clap::Args, serde::Deserialize, serde::Serialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Cq table (CSV/TSV), one row per well: sample, group, target, Cq and
    /// optionally replicate and well columns. An empty, `NA`,
    /// "Undetermined", "No Ct" or "N/A" Cq means no amplification.
    #[arg(long)]
    pub data: PathBuf,
    /// Reference gene(s), comma-separated (normalised by their geometric
    /// mean).
    #[arg(long, value_delimiter = ',', required = true)]
    pub reference: Vec<String>,
    /// The group every other group is compared with.
    #[arg(long)]
    pub calibrator: String,
    /// Efficiencies (CSV/TSV): `target` and `efficiency` as a fraction (0.95
    /// = 95%); selects Pfaffl ratios.
    #[arg(long, conflicts_with = "standard_curve")]
    #[serde(default)]
    pub efficiency: Option<PathBuf>,
    /// Dilution series (CSV/TSV): `target`, `quantity` and `cq`; the
    /// efficiencies are fitted from it (E = 10^(−1/slope) − 1) and select
    /// Pfaffl ratios.
    #[arg(long)]
    #[serde(default)]
    pub standard_curve: Option<PathBuf>,
    /// Undetermined wells: drop them, or count them as --max-cycles.
    #[arg(long, value_enum, default_value_t = UndeterminedChoice::Drop)]
    #[serde(default = "default_undetermined")]
    pub undetermined: UndeterminedChoice,
    /// Cycles assigned to undetermined wells with --undetermined max-cycles.
    #[arg(long, default_value_t = 40.0)]
    #[serde(default = "default_max_cycles")]
    pub max_cycles: f64,
    /// Technical-replicate SD (cycles) above which a replicate set is
    /// flagged.
    #[arg(long, default_value_t = 0.5)]
    #[serde(default = "default_sd_threshold")]
    pub sd_threshold: f64,
    /// Test of each group against the calibrator on the ΔCt scale.
    #[arg(long, value_enum, default_value_t = TestChoice::Welch)]
    #[serde(default = "default_test")]
    pub test: TestChoice,
    /// Confidence level of the ΔΔCt and fold-change intervals.
    #[arg(long, default_value_t = 0.95)]
    #[serde(default = "default_conf_level")]
    pub conf_level: f64,
    /// geNorm candidate genes, comma-separated (default: the reference
    /// genes, when there are at least two).
    #[arg(long, value_delimiter = ',')]
    #[serde(default)]
    pub genorm: Vec<String>,
    /// Column with the sample id.
    #[arg(long, default_value = "sample")]
    #[serde(default = "default_sample_column")]
    pub sample_column: String,
    /// Column with the group (e.g. tumour type).
    #[arg(long, default_value = "group")]
    #[serde(default = "default_group_column")]
    pub group_column: String,
    /// Column with the gene (target or reference).
    #[arg(long, default_value = "target")]
    #[serde(default = "default_target_column")]
    pub target_column: String,
    /// Column with the Cq (a column named `Ct` is also recognised).
    #[arg(long, default_value = "cq")]
    #[serde(default = "default_cq_column")]
    pub cq_column: String,
    /// Column with the technical-replicate label (default: `replicate`,
    /// when the table has one).
    #[arg(long)]
    #[serde(default)]
    pub replicate_column: Option<String>,
    /// Column with the plate well (default: `well`, when the table has
    /// one).
    #[arg(long)]
    #[serde(default)]
    pub well_column: Option<String>,
}

fn default_undetermined() -> UndeterminedChoice {
    UndeterminedChoice::Drop
}
fn default_max_cycles() -> f64 {
    40.0
}
fn default_sd_threshold() -> f64 {
    0.5
}
fn default_test() -> TestChoice {
    TestChoice::Welch
}
fn default_conf_level() -> f64 {
    0.95
}
fn default_sample_column() -> String {
    "sample".into()
}
fn default_group_column() -> String {
    "group".into()
}
fn default_target_column() -> String {
    "target".into()
}
fn default_cq_column() -> String {
    "cq".into()
}

/// Arguments of `osteon qpcr`.
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

/// What `qpcr` computed, for reports and figures.
///
/// Dot plot per target and group: `analysis.expression` has one point per
/// sample (`target`, `group`, `fold_change` on a log2 axis, or `ddct`);
/// `analysis.group_summaries` the group means with their confidence
/// intervals (`fold_change`, `fold_lower`, `fold_upper`) and p-values; the
/// calibrator is `analysis.calibrator`. A standard-curve plot (Cq against
/// log10 quantity with the fitted line per target) uses `standard_curve`
/// and `analysis.efficiencies` (`slope`, `intercept`). geNorm M per step is
/// in `analysis.genorm`.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Everything the kernel computed.
    pub analysis: Analysis,
    /// The dilution-series points, when a standard curve was given.
    pub standard_curve: Vec<StandardPoint>,
}

impl Settings {
    fn check(&self) -> Result<()> {
        if self.reference.iter().any(|r| r.trim().is_empty()) {
            bail!("--reference names an empty gene (use GAPDH,ACTB without spaces or trailing commas)");
        }
        if self.calibrator.trim().is_empty() {
            bail!("--calibrator is empty");
        }
        Ok(())
    }

    /// The kernel options (efficiencies are filled in by `execute`).
    fn options(&self) -> Options {
        Options {
            reference_genes: self
                .reference
                .iter()
                .map(|r| r.trim().to_string())
                .collect(),
            calibrator: self.calibrator.clone(),
            undetermined: match self.undetermined {
                UndeterminedChoice::Drop => Undetermined::Drop,
                UndeterminedChoice::MaxCycles => Undetermined::MaxCycles(self.max_cycles),
            },
            replicate_sd_threshold: self.sd_threshold,
            efficiencies: None,
            test: match self.test {
                TestChoice::Welch => TTest::Welch,
                TestChoice::Student => TTest::Student,
            },
            confidence_level: self.conf_level,
            genorm_genes: self.genorm.iter().map(|g| g.trim().to_string()).collect(),
        }
    }
}

/// Reads the inputs, runs the analysis and writes the tables into `dir`.
pub fn execute(settings: &Settings, dir: &Path, progress: &StderrProgress) -> Result<Outcome> {
    settings.check()?;
    progress.message("reading Cq values");
    let reactions = input::read_reactions(settings)?;
    let mut options = settings.options();
    let mut standard_curve = Vec::new();
    if let Some(path) = &settings.standard_curve {
        standard_curve = input::read_standard_curve(path, settings)?;
        options.efficiencies =
            Some(standard_curves(&standard_curve).map_err(|e| kernel_error(e, path))?);
    } else if let Some(path) = &settings.efficiency {
        options.efficiencies = Some(input::read_efficiencies(path)?);
    }
    let analysis = analyse(&reactions, &options).map_err(|e| kernel_error(e, &settings.data))?;
    write_replicates(&dir.join("replicates.tsv"), &analysis)?;
    write_expression(&dir.join("relative_expression.tsv"), &analysis)?;
    write_group_summary(&dir.join("group_summary.tsv"), &analysis)?;
    write_efficiency(&dir.join("efficiency.tsv"), &analysis, &options)?;
    write_genorm(dir, &analysis)?;
    for note in &analysis.notes {
        progress.message(&format!("note: {note}"));
    }
    progress.message(&format!(
        "{} samples, {} targets, {} groups against calibrator {} ({})",
        analysis
            .replicates
            .iter()
            .map(|r| r.sample.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        analysis.targets.len(),
        analysis.groups.len(),
        analysis.calibrator,
        analysis.method.label()
    ));
    Ok(Outcome {
        analysis,
        standard_curve,
    })
}

/// A kernel error, prefixed with the file unless it already names a row.
fn kernel_error(error: QpcrError, path: &Path) -> anyhow::Error {
    match error.origin() {
        Some(_) => anyhow::anyhow!("{error}"),
        None => anyhow::anyhow!("{}: {error}", path.display()),
    }
}

fn logical(value: bool) -> &'static str {
    if value {
        "TRUE"
    } else {
        "FALSE"
    }
}

fn write_replicates(path: &Path, a: &Analysis) -> Result<()> {
    let mut w = TsvWriter::create(path)?;
    w.text_row(&[
        "sample",
        "group",
        "gene",
        "reference",
        "wells",
        "n_wells",
        "n_undetermined",
        "cq_values",
        "mean_cq",
        "sd_cq",
        "high_sd",
        "note",
    ])?;
    for r in &a.replicates {
        w.text(&r.sample);
        w.text(&r.group);
        w.text(&r.gene);
        w.text(logical(r.is_reference));
        w.text(&r.wells.join(","));
        w.number(r.n_wells as f64);
        w.number(r.n_undetermined as f64);
        let values: Vec<String> = r
            .cq_values
            .iter()
            .map(|&v| osteon_io::format_r_number(v))
            .collect();
        w.text(&values.join(","));
        w.number(r.mean_cq);
        w.number(r.sd_cq);
        w.text(logical(r.high_sd));
        w.text(&r.note);
        w.end_row()?;
    }
    w.finish()?;
    Ok(())
}

fn write_expression(path: &Path, a: &Analysis) -> Result<()> {
    let mut w = TsvWriter::create(path)?;
    w.text_row(&[
        "sample",
        "group",
        "target",
        "cq",
        "reference_cq",
        "dct",
        "ddct",
        "fold_change",
        "note",
    ])?;
    for e in &a.expression {
        w.text(&e.sample);
        w.text(&e.group);
        w.text(&e.target);
        w.number(e.cq);
        w.number(e.reference_cq);
        w.number(e.dct);
        w.number(e.ddct);
        w.number(e.fold_change);
        w.text(&e.note);
        w.end_row()?;
    }
    w.finish()?;
    Ok(())
}

fn write_group_summary(path: &Path, a: &Analysis) -> Result<()> {
    let mut w = TsvWriter::create(path)?;
    w.text_row(&[
        "target",
        "group",
        "n",
        "mean_dct",
        "sd_dct",
        "ddct",
        "ddct_lower",
        "ddct_upper",
        "fold_change",
        "fold_lower",
        "fold_upper",
        "t",
        "df",
        "pvalue",
        "note",
    ])?;
    for g in &a.group_summaries {
        w.text(&g.target);
        w.text(&g.group);
        w.number(g.n as f64);
        w.number(g.mean_dct);
        w.number(g.sd_dct);
        w.number(g.ddct);
        w.number(g.ddct_lower);
        w.number(g.ddct_upper);
        w.number(g.fold_change);
        w.number(g.fold_lower);
        w.number(g.fold_upper);
        w.number(g.statistic);
        w.number(g.df);
        w.number(g.p_value);
        w.text(&g.note);
        w.end_row()?;
    }
    w.finish()?;
    Ok(())
}

/// One row per gene used: fitted, given, or assumed 100% (Livak).
fn write_efficiency(path: &Path, a: &Analysis, options: &Options) -> Result<()> {
    let mut w = TsvWriter::create(path)?;
    w.text_row(&[
        "target",
        "source",
        "n_points",
        "n_levels",
        "n_undetermined",
        "slope",
        "intercept",
        "r_squared",
        "slope_se",
        "efficiency",
        "amplification",
        "used",
    ])?;
    let genes: Vec<&String> = options
        .reference_genes
        .iter()
        .chain(a.targets.iter())
        .collect();
    let mut rows: Vec<(Efficiency, bool)> = match &options.efficiencies {
        None => genes
            .iter()
            .map(|g| {
                (
                    Efficiency::given(g, 1.0).expect("1 is a valid efficiency"),
                    true,
                )
            })
            .collect(),
        Some(list) => list
            .iter()
            .map(|e| (e.clone(), genes.contains(&&e.target)))
            .collect(),
    };
    rows.sort_by_key(|(e, _)| {
        genes
            .iter()
            .position(|g| **g == e.target)
            .unwrap_or(usize::MAX)
    });
    for (e, used) in rows {
        w.text(&e.target);
        w.text(match (e.source, &options.efficiencies) {
            (_, None) => "assumed (Livak, E = 100%)",
            (EfficiencySource::StandardCurve, _) => "standard curve",
            (EfficiencySource::Given, _) => "given",
        });
        w.number(e.n_points as f64);
        w.number(e.n_levels as f64);
        w.number(e.n_undetermined as f64);
        w.number(e.slope);
        w.number(e.intercept);
        w.number(e.r_squared);
        w.number(e.slope_se);
        w.number(e.efficiency);
        w.number(e.amplification);
        w.text(logical(used));
        w.end_row()?;
    }
    w.finish()?;
    Ok(())
}

/// `genorm.tsv` (M per step) and `genorm_pairwise.tsv` (V_n/n+1); header
/// only when geNorm did not run.
fn write_genorm(dir: &Path, a: &Analysis) -> Result<()> {
    let mut w = TsvWriter::create(dir.join("genorm.tsv"))?;
    w.text_row(&["step", "n_genes", "gene", "M", "excluded", "rank"])?;
    if let Some(g) = &a.genorm {
        for (step, s) in g.steps.iter().enumerate() {
            for (gene, m) in s.genes.iter().zip(&s.m) {
                w.number((step + 1) as f64);
                w.number(s.genes.len() as f64);
                w.text(gene);
                w.number(*m);
                w.text(logical(s.excluded.as_deref() == Some(gene.as_str())));
                let rank = g
                    .ranking
                    .iter()
                    .find(|r| &r.gene == gene)
                    .map_or(f64::NAN, |r| r.rank as f64);
                w.number(rank);
                w.end_row()?;
            }
        }
    }
    w.finish()?;
    let mut w = TsvWriter::create(dir.join("genorm_pairwise.tsv"))?;
    w.text_row(&["comparison", "n", "V", "below_cutoff"])?;
    if let Some(g) = &a.genorm {
        for p in &g.pairwise {
            w.text(&p.label);
            w.number(p.n as f64);
            w.number(p.v);
            w.text(logical(p.v < osteon_assay::qpcr::PAIRWISE_CUTOFF));
            w.end_row()?;
        }
    }
    w.finish()?;
    Ok(())
}

/// Runs `osteon qpcr`.
pub fn run(args: Args) -> Result<()> {
    let settings = &args.settings;
    let mut inputs: Vec<(&str, &Path)> = vec![("data", settings.data.as_path())];
    if let Some(p) = &settings.efficiency {
        inputs.push(("efficiency", p.as_path()));
    }
    if let Some(p) = &settings.standard_curve {
        inputs.push(("standard_curve", p.as_path()));
    }
    let method = if settings.efficiency.is_some() || settings.standard_curve.is_some() {
        "Pfaffl (2001) efficiency-corrected ratios, several reference genes as Hellemans et al. (2007); statistics on the efficiency-weighted dCt scale (R t.test)"
    } else {
        "Livak & Schmittgen (2001) 2^-ddCt, reference genes by geometric mean (mean Cq); statistics on the dCt scale (R t.test)"
    };
    crate::command::run_in_output_dir(
        &args.out,
        args.quiet,
        "qpcr",
        method,
        &inputs,
        settings,
        |dir, progress| {
            let outcome = execute(settings, dir, progress)?;
            crate::report::single_command_figures(dir, "qpcr", outcome, crate::report::qpcr_section)
        },
        |outcome| {
            let a = &outcome.analysis;
            json!({
                "reactions": a.replicates.iter().map(|r| r.n_wells).sum::<usize>(),
                "standard_curve_points": outcome.standard_curve.len(),
                "targets": a.targets,
                "groups": a.groups,
                "genorm_recommended_genes": a.genorm.as_ref().and_then(|g| g.recommended_genes),
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
        let settings: Settings = same_settings(
            &[
                "--data",
                "d.csv",
                "--reference",
                "GAPDH,ACTB",
                "--calibrator",
                "BCBM",
            ],
            r#"{"data": "d.csv", "reference": ["GAPDH", "ACTB"], "calibrator": "BCBM"}"#,
        );
        assert_eq!(settings.undetermined, UndeterminedChoice::Drop);
        assert_eq!((settings.max_cycles, settings.sd_threshold), (40.0, 0.5));
        let settings: Settings = same_settings(
            &[
                "--data",
                "d.csv",
                "--reference",
                "GAPDH",
                "--calibrator",
                "BCBM",
                "--undetermined",
                "max-cycles",
                "--test",
                "student",
                "--genorm",
                "A,B,C",
            ],
            r#"{"data": "d.csv", "reference": ["GAPDH"], "calibrator": "BCBM",
                "undetermined": "max-cycles", "test": "student", "genorm": ["A", "B", "C"]}"#,
        );
        assert_eq!(
            settings.options().undetermined,
            Undetermined::MaxCycles(40.0)
        );
        assert!(serde_json::from_str::<Settings>(
            r#"{"data": "d", "reference": ["G"], "calibrator": "c", "typo": 1}"#
        )
        .is_err());
    }
}
