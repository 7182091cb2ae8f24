//! `osteon de`: reads counts and a sample sheet, runs the DESeq2 pipeline and
//! writes DESeq2-named tables into an output folder that appears atomically.

use anyhow::{anyhow, bail, Context, Result};
use clap::Args;
use osteon_deseq::design::{Covariate, Formula, SampleData};
use osteon_deseq::dispersion::TrendKind;
use osteon_deseq::{CountMatrix, Fit, Options, ResultsOptions, ResultsTable, SizeFactorType, Test};
use osteon_io::{Column, OutputDir};
use serde::Deserialize;
use serde_json::json;
use std::path::{Path, PathBuf};

use crate::progress::StderrProgress;

/// The model of an RNA-seq analysis: inputs, design and DESeq2 options.
/// These are the flags of `osteon de` and the `[rnaseq]` section of a study
/// file (where `contrasts` and `genes_of_interest` are also given).
#[derive(Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Count matrix: TSV/CSV (optionally .gz) with gene ids in the first
    /// column and one column per sample, or featureCounts output.
    #[arg(long)]
    pub counts: PathBuf,
    /// Sample sheet (CSV/TSV): sample id first, then covariates.
    #[arg(long)]
    pub samples: PathBuf,
    /// Design formula in R syntax, e.g. "~ batch + condition".
    #[arg(long)]
    pub design: String,
    /// Wald test or likelihood-ratio test.
    #[arg(long, default_value = "wald", value_parser = ["wald", "lrt"])]
    #[serde(default = "default_test")]
    pub test: String,
    /// Reduced design for the LRT, e.g. "~ batch".
    #[arg(long)]
    #[serde(default)]
    pub reduced: Option<String>,
    /// Reference level of a factor: var=level (repeatable).
    #[arg(long = "ref", value_name = "VAR=LEVEL")]
    #[serde(default)]
    pub reference: Vec<String>,
    /// Treat a numeric sample-sheet column as a factor (repeatable).
    #[arg(long = "factor", value_name = "NAME")]
    #[serde(default)]
    pub factors: Vec<String>,
    /// Size factor estimator.
    #[arg(long, default_value = "ratio", value_parser = ["ratio", "poscounts", "iterate"])]
    #[serde(default = "default_sf_type")]
    pub sf_type: String,
    /// Dispersion trend.
    #[arg(long, default_value = "parametric", value_parser = ["parametric", "local", "mean"])]
    #[serde(default = "default_fit_type")]
    pub fit_type: String,
    /// Significance level for independent filtering.
    #[arg(long, default_value_t = 0.1)]
    #[serde(default = "default_alpha")]
    pub alpha: f64,
    /// Write vst.tsv from `varianceStabilizingTransformation(dds, blind =
    /// TRUE)` (trend refitted under `~ 1` on all genes) instead of
    /// `vst(dds, blind = FALSE)`.
    #[arg(long)]
    #[serde(default)]
    pub vst_blind: bool,
    /// Contrasts to report (study files only; `osteon de` takes one
    /// contrast from its flags).
    #[arg(skip)]
    #[serde(default)]
    pub contrasts: Vec<NamedContrast>,
    /// Genes whose normalised counts are plotted in the report (study files
    /// only): gene ids as in the count matrix.
    #[arg(skip)]
    #[serde(default)]
    pub genes_of_interest: Vec<String>,
}

fn default_test() -> String {
    "wald".into()
}
fn default_sf_type() -> String {
    "ratio".into()
}
fn default_fit_type() -> String {
    "parametric".into()
}
fn default_alpha() -> f64 {
    0.1
}

/// A contrast of a study file: exactly one of `levels` (variable, numerator,
/// denominator), `coefficient` (a `resultsNames()` name) or `vector`.
#[derive(Deserialize, Debug, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct NamedContrast {
    /// Folder name and label; defaults to `numerator_vs_denominator` or the
    /// coefficient name.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub levels: Option<Vec<String>>,
    #[serde(default)]
    pub coefficient: Option<String>,
    #[serde(default)]
    pub vector: Option<Vec<f64>>,
}

impl NamedContrast {
    /// The engine's contrast, or an error naming what is wrong.
    pub fn to_contrast(&self) -> Result<osteon_deseq::Contrast> {
        use osteon_deseq::Contrast;
        let given = [
            self.levels.is_some(),
            self.coefficient.is_some(),
            self.vector.is_some(),
        ];
        if given.iter().filter(|&&g| g).count() != 1 {
            bail!("a contrast needs exactly one of `levels`, `coefficient` or `vector`");
        }
        if let Some(levels) = &self.levels {
            let [variable, numerator, denominator] = levels.as_slice() else {
                bail!(
                    "contrast `levels` must be [variable, numerator, denominator] (got {} values)",
                    levels.len()
                );
            };
            return Ok(Contrast::Levels {
                variable: variable.clone(),
                numerator: numerator.clone(),
                denominator: denominator.clone(),
            });
        }
        if let Some(name) = &self.coefficient {
            return Ok(Contrast::Name(name.clone()));
        }
        Ok(Contrast::Vector(self.vector.clone().unwrap_or_default()))
    }

    /// The label used for the contrast's output folder (file-name safe).
    pub fn label(&self) -> String {
        let raw = match (&self.name, &self.levels, &self.coefficient) {
            (Some(name), _, _) => name.clone(),
            (None, Some(l), _) if l.len() == 3 => format!("{}_{}_vs_{}", l[0], l[1], l[2]),
            (None, _, Some(c)) => c.clone(),
            _ => "contrast".into(),
        };
        safe_file_name(&raw)
    }
}

/// Replaces characters that are unsafe in a folder name with `_`.
pub fn safe_file_name(raw: &str) -> String {
    let cleaned: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if cleaned.is_empty() || cleaned.starts_with('.') {
        format!("_{cleaned}")
    } else {
        cleaned
    }
}

/// `osteon de` flags: the model, one contrast, and run options.
#[derive(Args, Debug, Clone)]
pub struct DeArgs {
    #[command(flatten)]
    pub settings: Settings,
    /// Contrast as var,numerator,denominator (e.g. condition,POEMS,MM).
    #[arg(long, conflicts_with_all = ["name", "contrast_vector"])]
    pub contrast: Option<String>,
    /// A coefficient by the name resultsNames() gives it.
    #[arg(long, conflicts_with = "contrast_vector")]
    pub name: Option<String>,
    /// A numeric contrast, one comma-separated weight per coefficient.
    #[arg(long, allow_hyphen_values = true)]
    pub contrast_vector: Option<String>,
    /// Worker threads (results are identical for any number).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// No progress output on stderr.
    #[arg(long)]
    pub quiet: bool,
    /// Output folder (created atomically; an existing one is replaced only
    /// when the run succeeds).
    #[arg(long)]
    pub out: PathBuf,
}

/// Inputs read, checked and shaped for the engine (nothing computed yet).
pub struct Prepared {
    pub counts: CountMatrix,
    pub data: SampleData,
    pub formula: Formula,
    pub options: Options,
    /// `(path, sha256)` of the count matrix and sample sheet.
    pub inputs: Vec<(PathBuf, String)>,
}

/// Reads the count matrix and sample sheet, matches samples, parses the
/// design and checks the DESeq2 options; errors name the file, line, sample
/// or flag concerned.
pub fn prepare(settings: &Settings) -> Result<Prepared> {
    if !(settings.alpha > 0.0 && settings.alpha < 1.0) {
        bail!("--alpha must be between 0 and 1 (got {})", settings.alpha);
    }
    let table = osteon_io::read_counts(&settings.counts)?;
    let sheet = osteon_io::read_sample_sheet(&settings.samples)?;
    let order = osteon_io::match_samples(&table.samples, &sheet)?;
    let formula = Formula::parse(&settings.design)?;
    let reduced = settings
        .reduced
        .as_deref()
        .map(Formula::parse)
        .transpose()?;
    let test = match settings.test.as_str() {
        "lrt" => Test::Lrt,
        _ => Test::Wald,
    };
    if test == Test::Lrt && reduced.is_none() {
        bail!("the likelihood-ratio test needs a reduced design (--reduced \"~ 1\" or similar)");
    }
    let mut needed: Vec<String> = formula.variables.clone();
    if let Some(r) = &reduced {
        for v in &r.variables {
            if !needed.contains(v) {
                needed.push(v.clone());
            }
        }
    }
    let references = parse_references(&settings.reference)?;
    let data = sample_data(
        &sheet,
        &order,
        &table.samples,
        &needed,
        &settings.factors,
        &references,
    )?;
    let counts = CountMatrix {
        genes: table.genes,
        samples: table.samples,
        counts: table.counts,
    };
    let options = Options {
        test,
        reduced,
        fit_type: match settings.fit_type.as_str() {
            "local" => TrendKind::Local,
            "mean" => TrendKind::Mean,
            "parametric" => TrendKind::Parametric,
            other => bail!("fit_type must be parametric, local or mean (got '{other}')"),
        },
        sf_type: settings
            .sf_type
            .parse::<SizeFactorType>()
            .map_err(|e| anyhow!(e))?,
        min_replicates_for_replace: 7,
    };
    let inputs = vec![
        (
            settings.counts.clone(),
            osteon_io::sha256_file(&settings.counts)?,
        ),
        (
            settings.samples.clone(),
            osteon_io::sha256_file(&settings.samples)?,
        ),
    ];
    Ok(Prepared {
        counts,
        data,
        formula,
        options,
        inputs,
    })
}

impl Prepared {
    /// Checks, before any fitting, that a contrast can be formed from this
    /// design: the variable is a factor of the design with both levels, the
    /// coefficient exists, or the vector has one weight per coefficient.
    pub fn check_contrast(&self, contrast: &osteon_deseq::Contrast) -> Result<()> {
        use osteon_deseq::Contrast;
        let design = osteon_deseq::design::Design::build(&self.formula, &self.data)?;
        match contrast {
            Contrast::Default => Ok(()),
            Contrast::Levels {
                variable,
                numerator,
                denominator,
            } => match self.data.get(variable) {
                Some(Covariate::Factor { levels, .. })
                    if self.formula.variables.contains(variable) =>
                {
                    for level in [numerator, denominator] {
                        if !levels.contains(level) {
                            bail!(
                                "contrast: '{level}' is not a level of '{variable}' (levels: {})",
                                levels.join(", ")
                            );
                        }
                    }
                    if numerator == denominator {
                        bail!("contrast: numerator and denominator are both '{numerator}'");
                    }
                    Ok(())
                }
                Some(Covariate::Numeric(_)) => bail!(
                    "contrast: '{variable}' is numeric; name its coefficient instead ({})",
                    design.coef_names.join(", ")
                ),
                _ => bail!(
                    "contrast: '{variable}' is not a factor of the design {}",
                    self.formula.text
                ),
            },
            Contrast::Name(name) => {
                if design.coef_index(name).is_none() {
                    bail!(
                        "contrast: no coefficient named '{name}' (resultsNames: {})",
                        design.coef_names.join(", ")
                    );
                }
                Ok(())
            }
            Contrast::Vector(weights) => {
                if weights.len() != design.n_coef() {
                    bail!(
                        "contrast vector has {} weights but the design has {} coefficients ({})",
                        weights.len(),
                        design.n_coef(),
                        design.coef_names.join(", ")
                    );
                }
                Ok(())
            }
        }
    }
}

/// `DESeq()` plus the variance-stabilising transformation.
pub struct Fitted {
    pub fit: Fit,
    /// The VST of the counts (computed cell by cell when written).
    pub vst: osteon_deseq::vst::VstValues,
    /// Which VST call the values reproduce.
    pub vst_method: &'static str,
}

/// Runs DESeq2's pipeline and the VST on prepared inputs.
pub fn fit(prepared: Prepared, vst_blind: bool, progress: &StderrProgress) -> Result<Fitted> {
    let fit = osteon_deseq::run(
        prepared.counts,
        &prepared.data,
        &prepared.formula,
        &prepared.options,
        progress,
    )?;
    progress.message("variance-stabilising transformation");
    let counts = &fit.counts;
    let (vst, vst_method) = if vst_blind {
        (
            osteon_deseq::vst::variance_stabilizing_transformation(
                counts,
                &fit.size_factors,
                &fit.design,
                true,
                None,
                TrendKind::Parametric,
            )?,
            "varianceStabilizingTransformation(blind = TRUE)",
        )
    } else {
        match osteon_deseq::vst::vst(counts, &fit.size_factors, &fit.design, false, 1000) {
            Ok(v) => (v, "vst(blind = FALSE)"),
            Err(_) => (
                osteon_deseq::vst::variance_stabilizing_transformation(
                    counts,
                    &fit.size_factors,
                    &fit.design,
                    false,
                    Some(&fit.trend),
                    TrendKind::Parametric,
                )?,
                "varianceStabilizingTransformation(blind = FALSE): fewer than 1000 genes with mean > 5",
            ),
        }
    };
    Ok(Fitted {
        fit,
        vst,
        vst_method,
    })
}

/// `results(dds, contrast, alpha)` with DESeq2's defaults.
pub fn contrast_results(
    fitted: &Fitted,
    contrast: osteon_deseq::Contrast,
    alpha: f64,
) -> Result<ResultsTable> {
    Ok(osteon_deseq::results(
        &fitted.fit,
        &ResultsOptions {
            contrast,
            alpha,
            ..ResultsOptions::default()
        },
    )?)
}

pub fn run(args: DeArgs) -> Result<()> {
    let progress = StderrProgress::new(args.quiet);
    crate::set_threads(args.threads)?;
    let settings = &args.settings;
    progress.message("reading counts and sample sheet");
    let prepared = prepare(settings)?;
    let contrast = parse_contrast(&args)?;
    prepared.check_contrast(&contrast)?;
    let inputs = prepared.inputs.clone();
    let fitted = fit(prepared, settings.vst_blind, &progress)?;
    let res = contrast_results(&fitted, contrast, settings.alpha)?;
    progress.message("writing results");
    let out = OutputDir::create(&args.out)?;
    // The tables are independent files: write them concurrently.
    let (a, b) = rayon::join(
        || write_results(out.path(), &res),
        || write_fit_tables(out.path(), &fitted),
    );
    a?;
    b?;
    let manifest = manifest(settings, &inputs, &fitted, &[&res])?;
    std::fs::write(
        out.file("run.json"),
        serde_json::to_string_pretty(&manifest)? + "\n",
    )
    .with_context(|| format!("writing {}", out.file("run.json").display()))?;
    let final_path = out.commit()?;
    progress.finish();
    let n_sig = res.padj.iter().filter(|&&p| p < settings.alpha).count();
    progress.message(&format!(
        "{}: {} genes, {} with padj < {}; results in {}",
        res.description,
        res.genes.len(),
        n_sig,
        settings.alpha,
        final_path.display()
    ));
    Ok(())
}

fn parse_references(refs: &[String]) -> Result<Vec<(String, String)>> {
    refs.iter()
        .map(|r| {
            let (v, l) = r
                .split_once('=')
                .ok_or_else(|| anyhow!("--ref expects VAR=LEVEL, got '{r}'"))?;
            Ok((v.trim().to_string(), l.trim().to_string()))
        })
        .collect()
}

fn parse_contrast(args: &DeArgs) -> Result<osteon_deseq::Contrast> {
    use osteon_deseq::Contrast;
    if let Some(c) = &args.contrast {
        let parts: Vec<&str> = c.split(',').map(str::trim).collect();
        if parts.len() != 3 {
            bail!("--contrast expects variable,numerator,denominator (got '{c}')");
        }
        return Ok(Contrast::Levels {
            variable: parts[0].into(),
            numerator: parts[1].into(),
            denominator: parts[2].into(),
        });
    }
    if let Some(n) = &args.name {
        return Ok(Contrast::Name(n.clone()));
    }
    if let Some(v) = &args.contrast_vector {
        let w: Result<Vec<f64>, _> = v.split(',').map(|x| x.trim().parse::<f64>()).collect();
        return Ok(Contrast::Vector(w.map_err(|_| {
            anyhow!("--contrast-vector expects comma-separated numbers (got '{v}')")
        })?));
    }
    Ok(Contrast::Default)
}

/// Builds the design variables from the sample sheet, in count-column order.
fn sample_data(
    sheet: &osteon_io::SampleSheet,
    order: &[usize],
    sample_names: &[String],
    needed: &[String],
    factors: &[String],
    references: &[(String, String)],
) -> Result<SampleData> {
    for (v, _) in references {
        if !needed.contains(v) {
            bail!("--ref names '{v}', which is not a variable of the design");
        }
    }
    for f in factors {
        if sheet.columns.iter().all(|c| &c.name != f) {
            bail!(
                "--factor names '{f}', which is not a column of {}",
                sheet.path.display()
            );
        }
    }
    let mut variables = Vec::new();
    for v in needed {
        let col = sheet.complete_column(v)?;
        let as_factor = factors.contains(v) || !col.is_numeric();
        let cov = if as_factor {
            let values: Vec<String> = order
                .iter()
                .map(|&i| col.values[i].clone().expect("complete column"))
                .collect();
            let reference = references
                .iter()
                .find(|(n, _)| n == v)
                .map(|(_, l)| l.as_str());
            SampleData::factor_from_strings(&values, reference)
                .map_err(|e| anyhow!("--ref {v}: {e}"))?
        } else {
            if references.iter().any(|(n, _)| n == v) {
                bail!("--ref {v}=...: '{v}' is numeric; add --factor {v} to treat it as a factor");
            }
            let nums = col.numeric.as_ref().expect("numeric column");
            Covariate::Numeric(order.iter().map(|&i| nums[i]).collect())
        };
        variables.push((v.clone(), cov));
    }
    Ok(SampleData {
        sample_names: sample_names.to_vec(),
        variables,
    })
}

/// Writes `results.tsv` (DESeq2's column names) into `dir`.
pub fn write_results(dir: &Path, res: &ResultsTable) -> Result<()> {
    osteon_io::write_table(
        dir.join("results.tsv"),
        &osteon_deseq::RESULTS_COLUMNS,
        &[
            Column::Text(&res.genes),
            Column::Numbers(&res.base_mean),
            Column::Numbers(&res.log2_fold_change),
            Column::Numbers(&res.lfc_se),
            Column::Numbers(&res.stat),
            Column::Numbers(&res.pvalue),
            Column::Numbers(&res.padj),
        ],
    )?;
    Ok(())
}

/// Writes a genes × samples table whose cell (g, j) is `value(g, j)`.
fn write_matrix(
    dir: &Path,
    name: &str,
    fit: &Fit,
    value: impl Fn(usize, usize) -> f64,
) -> Result<()> {
    let m = fit.counts.n_samples();
    let mut w = osteon_io::TsvWriter::create(dir.join(name))?;
    w.text("gene");
    for s in &fit.counts.samples {
        w.text(s);
    }
    w.end_row()?;
    for (g, gene) in fit.genes.iter().enumerate() {
        w.text(gene);
        for j in 0..m {
            w.number(value(g, j));
        }
        w.end_row()?;
    }
    w.finish()?;
    Ok(())
}

/// Writes the fit-level tables (size factors, dispersions, normalised counts,
/// VST) into `dir`.
pub fn write_fit_tables(dir: &Path, fitted: &Fitted) -> Result<()> {
    let fit = &fitted.fit;
    let vst = &fitted.vst;
    osteon_io::write_table(
        dir.join("size_factors.tsv"),
        &["sample", "sizeFactor"],
        &[
            Column::Text(&fit.counts.samples),
            Column::Numbers(&fit.size_factors),
        ],
    )?;
    let d = &fit.dispersions;
    osteon_io::write_table(
        dir.join("dispersions.tsv"),
        &["gene", "dispGeneEst", "dispFit", "dispersion"],
        &[
            Column::Text(&fit.genes),
            Column::Numbers(&d.disp_gene_est),
            Column::Numbers(&d.disp_fit),
            Column::Numbers(&d.dispersion),
        ],
    )?;
    let m = fit.counts.n_samples();
    let (a, b) = rayon::join(
        || {
            write_matrix(dir, "normalized_counts.tsv", fit, |g, j| {
                fit.counts.counts[g * m + j] / fit.size_factors[j]
            })
        },
        || {
            write_matrix(dir, "vst.tsv", fit, |g, j| {
                vst.value(fit.counts.counts[g * m + j], g, j)
            })
        },
    );
    a?;
    b?;
    Ok(())
}

/// The `run.json` record of a DE run: version, inputs with digests,
/// parameters and the fit's diagnostics.
pub fn manifest(
    settings: &Settings,
    inputs: &[(PathBuf, String)],
    fitted: &Fitted,
    results: &[&ResultsTable],
) -> Result<serde_json::Value> {
    let fit = &fitted.fit;
    let converged = fit
        .gene_fits
        .iter()
        .flatten()
        .filter(|g| g.converged)
        .count();
    let inputs: Vec<serde_json::Value> = inputs
        .iter()
        .map(|(path, sha)| json!({ "path": path.display().to_string(), "sha256": sha }))
        .collect();
    let contrasts: Vec<serde_json::Value> = results
        .iter()
        .map(|res| {
            json!({
                "contrast": res.description,
                "independent_filtering": {
                    "threshold": finite_or_null(res.filter_threshold),
                    "theta": finite_or_null(res.filter_theta),
                },
            })
        })
        .collect();
    Ok(json!({
        "tool": "osteon",
        "version": env!("CARGO_PKG_VERSION"),
        "command": "de",
        "reference_implementation": "DESeq2 1.38.3 (DESeq() + results() defaults)",
        "inputs": inputs,
        "parameters": {
            "design": fit.design.formula.text,
            "reduced": settings.reduced,
            "test": settings.test,
            "sf_type": settings.sf_type,
            "fit_type": settings.fit_type,
            "alpha": settings.alpha,
            "reference_levels": settings.reference,
            "factors": settings.factors,
        },
        "contrasts": contrasts,
        "results_names": fit.design.coef_names,
        "n_genes": fit.genes.len(),
        "n_samples": fit.counts.n_samples(),
        "dispersion_trend": fit.trend.name(),
        "parametric_trend_fell_back_to_local": fit.trend_fell_back,
        "dispersion_prior_variance": fit.prior_var,
        "var_log_disp_ests": fit.var_log_disp_ests,
        "genes_beta_converged": converged,
        "genes_with_replaced_outliers": fit.replaced.iter().filter(|&&b| b).count(),
        "vst": fitted.vst_method,
    }))
}

fn finite_or_null(x: f64) -> serde_json::Value {
    if x.is_finite() {
        json!(x)
    } else {
        serde_json::Value::Null
    }
}
