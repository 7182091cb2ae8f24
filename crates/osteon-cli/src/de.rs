//! `osteon de`: reads counts and a sample sheet, runs the DESeq2 pipeline and
//! writes DESeq2-named tables into an output folder that appears atomically.

use anyhow::{anyhow, bail, Context, Result};
use clap::Args;
use osteon_deseq::design::{Covariate, Formula, SampleData};
use osteon_deseq::dispersion::TrendKind;
use osteon_deseq::{CountMatrix, Fit, Options, ResultsOptions, ResultsTable, SizeFactorType, Test};
use osteon_io::{Column, OutputDir};
use serde_json::json;
use std::path::PathBuf;

use crate::progress::StderrProgress;

#[derive(Args, Debug, Clone)]
pub struct DeArgs {
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
    /// Contrast as var,numerator,denominator (e.g. condition,POEMS,MM).
    #[arg(long, conflicts_with_all = ["name", "contrast_vector"])]
    pub contrast: Option<String>,
    /// A coefficient by the name resultsNames() gives it.
    #[arg(long, conflicts_with = "contrast_vector")]
    pub name: Option<String>,
    /// A numeric contrast, one comma-separated weight per coefficient.
    #[arg(long, allow_hyphen_values = true)]
    pub contrast_vector: Option<String>,
    /// Wald test or likelihood-ratio test.
    #[arg(long, default_value = "wald", value_parser = ["wald", "lrt"])]
    pub test: String,
    /// Reduced design for the LRT, e.g. "~ batch".
    #[arg(long)]
    pub reduced: Option<String>,
    /// Reference level of a factor: var=level (repeatable).
    #[arg(long = "ref", value_name = "VAR=LEVEL")]
    pub reference: Vec<String>,
    /// Treat a numeric sample-sheet column as a factor (repeatable).
    #[arg(long = "factor", value_name = "NAME")]
    pub factors: Vec<String>,
    /// Size factor estimator.
    #[arg(long, default_value = "ratio", value_parser = ["ratio", "poscounts", "iterate"])]
    pub sf_type: String,
    /// Dispersion trend.
    #[arg(long, default_value = "parametric", value_parser = ["parametric", "local", "mean"])]
    pub fit_type: String,
    /// Significance level for independent filtering.
    #[arg(long, default_value_t = 0.1)]
    pub alpha: f64,
    /// Write vst.tsv from `varianceStabilizingTransformation(dds, blind =
    /// TRUE)` (trend refitted under `~ 1` on all genes) instead of
    /// `vst(dds, blind = FALSE)`.
    #[arg(long)]
    pub vst_blind: bool,
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

pub fn run(args: DeArgs) -> Result<()> {
    let progress = StderrProgress::new(args.quiet);
    if args.threads > 0 {
        rayon::ThreadPoolBuilder::new()
            .num_threads(args.threads)
            .build_global()
            .context("could not start the worker threads")?;
    }
    if !(args.alpha > 0.0 && args.alpha < 1.0) {
        bail!("--alpha must be between 0 and 1 (got {})", args.alpha);
    }
    progress.message("reading counts and sample sheet");
    let table = osteon_io::read_counts(&args.counts)?;
    let sheet = osteon_io::read_sample_sheet(&args.samples)?;
    let order = osteon_io::match_samples(&table.samples, &sheet)?;
    let formula = Formula::parse(&args.design)?;
    let reduced = args.reduced.as_deref().map(Formula::parse).transpose()?;
    let test = match args.test.as_str() {
        "lrt" => Test::Lrt,
        _ => Test::Wald,
    };
    let mut needed: Vec<String> = formula.variables.clone();
    if let Some(r) = &reduced {
        for v in &r.variables {
            if !needed.contains(v) {
                needed.push(v.clone());
            }
        }
    }
    let references = parse_references(&args.reference)?;
    let data = sample_data(
        &sheet,
        &order,
        &table.samples,
        &needed,
        &args.factors,
        &references,
    )?;
    let counts = CountMatrix {
        genes: table.genes,
        samples: table.samples,
        counts: table.counts,
    };
    let opts = Options {
        test,
        reduced,
        fit_type: match args.fit_type.as_str() {
            "local" => TrendKind::Local,
            "mean" => TrendKind::Mean,
            _ => TrendKind::Parametric,
        },
        sf_type: args
            .sf_type
            .parse::<SizeFactorType>()
            .map_err(|e| anyhow!(e))?,
        min_replicates_for_replace: 7,
    };
    let contrast = parse_contrast(&args)?;
    let fit = osteon_deseq::run(counts, &data, &formula, &opts, &progress)?;
    let counts = &fit.counts;
    let res = osteon_deseq::results(
        &fit,
        &ResultsOptions {
            contrast,
            alpha: args.alpha,
            ..ResultsOptions::default()
        },
    )?;
    progress.message("variance-stabilising transformation");
    let (vst, vst_method) = if args.vst_blind {
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
    progress.message("writing results");
    let out = OutputDir::create(&args.out)?;
    // The tables are independent files: write them concurrently.
    let (a, b) = rayon::join(
        || write_results(&out, &res),
        || write_fit_tables(&out, &fit, &vst),
    );
    a?;
    b?;
    let manifest = manifest(&args, &fit, &res, vst_method)?;
    std::fs::write(
        out.file("run.json"),
        serde_json::to_string_pretty(&manifest)? + "\n",
    )
    .with_context(|| format!("writing {}", out.file("run.json").display()))?;
    let final_path = out.commit()?;
    progress.finish();
    let n_sig = res.padj.iter().filter(|&&p| p < args.alpha).count();
    progress.message(&format!(
        "{}: {} genes, {} with padj < {}; results in {}",
        res.description,
        res.genes.len(),
        n_sig,
        args.alpha,
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

fn write_results(out: &OutputDir, res: &ResultsTable) -> Result<()> {
    osteon_io::write_table(
        out.file("results.tsv"),
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
    out: &OutputDir,
    name: &str,
    fit: &Fit,
    value: impl Fn(usize, usize) -> f64,
) -> Result<()> {
    let m = fit.counts.n_samples();
    let mut w = osteon_io::TsvWriter::create(out.file(name))?;
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

fn write_fit_tables(out: &OutputDir, fit: &Fit, vst: &[f64]) -> Result<()> {
    osteon_io::write_table(
        out.file("size_factors.tsv"),
        &["sample", "sizeFactor"],
        &[
            Column::Text(&fit.counts.samples),
            Column::Numbers(&fit.size_factors),
        ],
    )?;
    let d = &fit.dispersions;
    osteon_io::write_table(
        out.file("dispersions.tsv"),
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
            write_matrix(out, "normalized_counts.tsv", fit, |g, j| {
                fit.counts.counts[g * m + j] / fit.size_factors[j]
            })
        },
        || write_matrix(out, "vst.tsv", fit, |g, j| vst[g * m + j]),
    );
    a?;
    b?;
    Ok(())
}

fn manifest(
    args: &DeArgs,
    fit: &Fit,
    res: &ResultsTable,
    vst_method: &str,
) -> Result<serde_json::Value> {
    let counts_sha = osteon_io::sha256_file(&args.counts)?;
    let samples_sha = osteon_io::sha256_file(&args.samples)?;
    let converged = fit
        .gene_fits
        .iter()
        .flatten()
        .filter(|g| g.converged)
        .count();
    Ok(json!({
        "tool": "osteon",
        "version": env!("CARGO_PKG_VERSION"),
        "command": "de",
        "reference_implementation": "DESeq2 1.38.3 (DESeq() + results() defaults)",
        "inputs": {
            "counts": { "path": args.counts.display().to_string(), "sha256": counts_sha },
            "samples": { "path": args.samples.display().to_string(), "sha256": samples_sha },
        },
        "parameters": {
            "design": fit.design.formula.text,
            "reduced": args.reduced,
            "test": args.test,
            "contrast": res.description,
            "sf_type": args.sf_type,
            "fit_type": args.fit_type,
            "alpha": args.alpha,
            "reference_levels": args.reference,
            "factors": args.factors,
        },
        "results_names": fit.design.coef_names,
        "n_genes": fit.genes.len(),
        "n_samples": fit.counts.n_samples(),
        "dispersion_trend": fit.trend.name(),
        "parametric_trend_fell_back_to_local": fit.trend_fell_back,
        "dispersion_prior_variance": fit.prior_var,
        "var_log_disp_ests": fit.var_log_disp_ests,
        "genes_beta_converged": converged,
        "genes_with_replaced_outliers": fit.replaced.iter().filter(|&&b| b).count(),
        "independent_filtering": { "threshold": finite_or_null(res.filter_threshold), "theta": finite_or_null(res.filter_theta) },
        "vst": vst_method,
    }))
}

fn finite_or_null(x: f64) -> serde_json::Value {
    if x.is_finite() {
        json!(x)
    } else {
        serde_json::Value::Null
    }
}
