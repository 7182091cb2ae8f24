//! `results()`: contrasts, Wald and likelihood-ratio p-values, Cook's
//! filtering, independent filtering and Benjamini–Hochberg adjustment, as
//! DESeq2 1.38.3.
//!
//! Independent filtering follows Bourgon, Gentleman & Huber (2010),
//! "Independent filtering increases detection power for high-throughput
//! experiments", *PNAS* 107:9546, with DESeq2's choice of the threshold
//! (`pvalueAdjustment`: a lowess fit of rejections over 50 mean quantiles);
//! p-values are adjusted by Benjamini & Hochberg (1995), *JRSS B* 57:289.

use crate::design::Covariate;
use crate::glm::MIN_MU;
use crate::pipeline::{Fit, Test};
use crate::Error;
use osteon_stats::adjust::{p_adjust, AdjustMethod};
use osteon_stats::distributions::{pnorm, qf};
use osteon_stats::lowess::lowess;
use osteon_stats::summary;
use rayon::prelude::*;
use std::f64::consts::{LN_2, LOG2_E};

/// Which comparison to report.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Contrast {
    /// DESeq2's default: the last coefficient (or last level vs first for
    /// designs without an intercept and without interactions).
    #[default]
    Default,
    /// A coefficient by its `resultsNames()` name.
    Name(String),
    /// `c(variable, numerator level, denominator level)`.
    Levels {
        variable: String,
        numerator: String,
        denominator: String,
    },
    /// A numeric weight per coefficient.
    Vector(Vec<f64>),
}

/// Options of `results()`.
#[derive(Debug, Clone)]
pub struct ResultsOptions {
    pub contrast: Contrast,
    /// Significance level used to choose the filtering threshold.
    pub alpha: f64,
    pub independent_filtering: bool,
    /// Whether to set p-values of Cook's outliers to NA.
    pub cooks_cutoff: bool,
}

impl Default for ResultsOptions {
    fn default() -> Self {
        Self {
            contrast: Contrast::Default,
            alpha: 0.1,
            independent_filtering: true,
            cooks_cutoff: true,
        }
    }
}

/// Column names of `results.tsv`, as DESeq2's `results()` names them.
pub const RESULTS_COLUMNS: [&str; 7] = [
    "gene",
    "baseMean",
    "log2FoldChange",
    "lfcSE",
    "stat",
    "pvalue",
    "padj",
];

/// The results table (NaN = R's NA).
#[derive(Debug, Clone)]
pub struct ResultsTable {
    pub genes: Vec<String>,
    pub base_mean: Vec<f64>,
    pub log2_fold_change: Vec<f64>,
    pub lfc_se: Vec<f64>,
    pub stat: Vec<f64>,
    pub pvalue: Vec<f64>,
    pub padj: Vec<f64>,
    /// e.g. "condition treated vs untreated" or the coefficient name.
    pub description: String,
    /// Mean-count threshold chosen by independent filtering (NaN if off).
    pub filter_threshold: f64,
    /// Quantile θ of that threshold.
    pub filter_theta: f64,
}

/// Builds the results table for `opts.contrast`.
pub fn results(fit: &Fit, opts: &ResultsOptions) -> Result<ResultsTable, Error> {
    let design = &fit.design;
    let names = &design.coef_names;
    let n = fit.genes.len();
    let p = design.n_coef();
    let m = design.n_samples();
    let mut lfc = vec![f64::NAN; n];
    let mut se = vec![f64::NAN; n];
    let mut stat = vec![f64::NAN; n];
    let mut pvalue = vec![f64::NAN; n];

    // Resolve the contrast into either a stored coefficient (with sign) or
    // a numeric vector, following cleanContrast.
    let mut contrast = opts.contrast.clone();
    if contrast == Contrast::Default {
        let all_main = design.formula.terms.iter().all(|t| t.len() < 2);
        if fit.test == Test::Wald && !design.formula.intercept && all_main {
            let last = design.formula.variables.last().cloned().unwrap_or_default();
            if let Some(Covariate::Factor { levels, .. }) = fit.sample_data.get(&last) {
                contrast = Contrast::Levels {
                    variable: last.clone(),
                    numerator: levels[levels.len() - 1].clone(),
                    denominator: levels[0].clone(),
                };
            }
        }
    }
    enum Resolved {
        Coef { index: usize, negate: bool },
        Numeric(Vec<f64>),
    }
    let mut all_zero_rule: Option<Vec<bool>> = None;
    let (resolved, description) = match &contrast {
        Contrast::Default => (
            Resolved::Coef {
                index: p - 1,
                negate: false,
            },
            names[p - 1].clone(),
        ),
        Contrast::Name(nm) => {
            let index = design.coef_index(nm).ok_or_else(|| {
                Error::Contrast(format!(
                    "'{nm}' is not a coefficient; resultsNames are: {}",
                    names.join(", ")
                ))
            })?;
            (
                Resolved::Coef {
                    index,
                    negate: false,
                },
                nm.clone(),
            )
        }
        Contrast::Vector(v) => {
            if v.len() != p {
                return Err(Error::Contrast(format!(
                    "a numeric contrast needs one value per coefficient ({p}: {})",
                    names.join(", ")
                )));
            }
            if v.iter().all(|&c| c == 0.0) {
                return Err(Error::Contrast(
                    "a numeric contrast cannot be all zero".into(),
                ));
            }
            let desc = v
                .iter()
                .map(|c| {
                    if *c > 0.0 {
                        format!("+{c}")
                    } else {
                        format!("{c}")
                    }
                })
                .collect::<Vec<_>>()
                .join(",");
            all_zero_rule = Some(numeric_all_zero(fit, v));
            (Resolved::Numeric(v.clone()), desc)
        }
        Contrast::Levels {
            variable,
            numerator,
            denominator,
        } => {
            let Some(Covariate::Factor { levels, codes }) = fit.sample_data.get(variable) else {
                return Err(Error::Contrast(format!(
                    "'{variable}' is not a factor of the design"
                )));
            };
            for l in [numerator, denominator] {
                if !levels.contains(l) {
                    return Err(Error::Contrast(format!(
                        "'{l}' is not a level of '{variable}' (levels: {})",
                        levels.join(", ")
                    )));
                }
            }
            if numerator == denominator {
                return Err(Error::Contrast(format!(
                    "{numerator} and {denominator} should be different level names"
                )));
            }
            let desc = format!("{variable} {numerator} vs {denominator}");
            let base = &levels[0];
            let has_intercept = design.formula.intercept;
            let first_var = design.formula.variables.first() == Some(variable);
            let pull = !has_intercept && !first_var && (base == numerator || base == denominator);
            let char_zero = character_all_zero(fit, codes, levels, numerator, denominator);
            let col = |lvl: &str| -> String {
                if has_intercept || pull {
                    crate::design::make_names(&format!("{variable}_{lvl}_vs_{base}"))
                } else {
                    crate::design::make_names(&format!("{variable}{lvl}"))
                }
            };
            if has_intercept || pull {
                let direct = |lvl: &str| {
                    if pull {
                        crate::design::make_names(&format!("{variable}{lvl}"))
                    } else {
                        col(lvl)
                    }
                };
                if denominator == base {
                    let name = direct(numerator);
                    let index = design.coef_index(&name).ok_or_else(|| {
                        Error::Contrast(format!("expected coefficient {name} in the model"))
                    })?;
                    all_zero_rule = Some(char_zero);
                    (
                        Resolved::Coef {
                            index,
                            negate: false,
                        },
                        desc,
                    )
                } else if numerator == base {
                    let name = direct(denominator);
                    let index = design.coef_index(&name).ok_or_else(|| {
                        Error::Contrast(format!("expected coefficient {name} in the model"))
                    })?;
                    all_zero_rule = Some(char_zero);
                    (
                        Resolved::Coef {
                            index,
                            negate: true,
                        },
                        desc,
                    )
                } else {
                    let (a, b) = (col(numerator), col(denominator));
                    let (Some(ia), Some(ib)) = (design.coef_index(&a), design.coef_index(&b))
                    else {
                        return Err(Error::Contrast(format!(
                            "{numerator} and {denominator} should be levels of {variable} such that {a} and {b} are coefficients"
                        )));
                    };
                    let mut v = vec![0.0; p];
                    v[ia] = 1.0;
                    v[ib] = -1.0;
                    all_zero_rule = Some(numeric_all_zero(fit, &v));
                    (Resolved::Numeric(v), desc)
                }
            } else {
                let (a, b) = (col(numerator), col(denominator));
                let (Some(ia), Some(ib)) = (design.coef_index(&a), design.coef_index(&b)) else {
                    return Err(Error::Contrast(format!(
                        "{a} and {b} are expected to be coefficients"
                    )));
                };
                let mut v = vec![0.0; p];
                v[ia] = 1.0;
                v[ib] = -1.0;
                all_zero_rule = Some(numeric_all_zero(fit, &v));
                (Resolved::Numeric(v), desc)
            }
        }
    };

    for g in 0..n {
        let Some(gf) = &fit.gene_fits[g] else {
            continue;
        };
        match &resolved {
            Resolved::Coef { index, negate } => {
                let s = if *negate { -1.0 } else { 1.0 };
                lfc[g] = s * gf.beta[*index];
                se[g] = gf.se[*index];
                match fit.test {
                    Test::Wald => {
                        let z = gf.beta[*index] / gf.se[*index];
                        stat[g] = s * z;
                        pvalue[g] = 2.0 * pnorm(z.abs(), 0.0, 1.0, false, false);
                    }
                    Test::Lrt => {
                        stat[g] = gf.lrt_stat;
                        pvalue[g] = gf.lrt_pvalue;
                    }
                }
            }
            Resolved::Numeric(c) => {
                let (est, sd) = contrast_by_fitbeta(fit, g, c);
                lfc[g] = est;
                se[g] = sd;
                let z = est / sd;
                stat[g] = z;
                pvalue[g] = 2.0 * pnorm(z.abs(), 0.0, 1.0, false, false);
                if fit.test == Test::Lrt {
                    stat[g] = gf.lrt_stat;
                    pvalue[g] = gf.lrt_pvalue;
                }
            }
        }
    }
    if let Some(zero) = &all_zero_rule {
        for g in 0..n {
            if zero[g] && !fit.all_zero[g] {
                lfc[g] = 0.0;
                stat[g] = 0.0;
                pvalue[g] = 1.0;
                if fit.test == Test::Lrt {
                    // cleanContrast overrides, then the LRT columns replace
                    // stat and pvalue again.
                    if let Some(gf) = &fit.gene_fits[g] {
                        stat[g] = gf.lrt_stat;
                        pvalue[g] = gf.lrt_pvalue;
                    }
                }
            }
        }
    }

    // Cook's cutoff.
    if opts.cooks_cutoff && m > p {
        let cutoff = qf(0.99, p as f64, (m - p) as f64, true, false);
        let two_group = design.formula.variables.len() == 1
            && matches!(
                fit.sample_data.get(&design.formula.variables[0]),
                Some(Covariate::Factor { levels, .. }) if levels.len() == 2
            );
        for g in 0..n {
            let mc = fit.max_cooks[g];
            if mc.is_nan() || mc <= cutoff {
                continue;
            }
            let mut flag = true;
            if two_group {
                let jmax = fit.cooks_argmax[g];
                let y = fit.counts.row(g);
                let out = y[jmax];
                if y.iter().filter(|&&v| v > out).count() >= 3 {
                    flag = false;
                }
            }
            if flag {
                pvalue[g] = f64::NAN;
            }
        }
    }
    // Genes whose replaced counts are all zero.
    for g in 0..n {
        if fit.replaced[g] && fit.base_mean[g] == 0.0 {
            lfc[g] = 0.0;
            se[g] = 0.0;
            stat[g] = 0.0;
            pvalue[g] = 1.0;
        }
    }
    let (padj, filter_threshold, filter_theta) = if opts.independent_filtering {
        independent_filtering(&fit.base_mean, &pvalue, opts.alpha)
    } else {
        (p_adjust(&pvalue, AdjustMethod::BH), f64::NAN, f64::NAN)
    };
    Ok(ResultsTable {
        genes: fit.genes.clone(),
        base_mean: fit.base_mean.clone(),
        log2_fold_change: lfc,
        lfc_se: se,
        stat,
        pvalue,
        padj,
        description,
        filter_threshold,
        filter_theta,
    })
}

/// `getContrast`: c'β and √(c'Σc) from a zero-iteration `fitBeta` at the
/// stored coefficients (μ floored at minmu, no QR).
fn contrast_by_fitbeta(fit: &Fit, g: usize, c: &[f64]) -> (f64, f64) {
    let gf = fit.gene_fits[g].as_ref().expect("non-zero gene");
    let x = &fit.design.matrix;
    let p = x.cols();
    let beta: Vec<f64> = gf.beta.iter().map(|b| LN_2 * b).collect();
    let y_nf = &fit.size_factors;
    let eta = x.mul_vec(&beta);
    let mu: Vec<f64> = eta
        .iter()
        .zip(y_nf)
        .map(|(e, s)| (s * e.exp()).max(MIN_MU))
        .collect();
    let alpha = fit.dispersion[g];
    let lambda = vec![1.0 / (LN_2 * LN_2 * 1e6); p];
    let (_, sigma) = crate::glm::sandwich(x, &mu, alpha, &lambda);
    let num: f64 = c.iter().zip(&beta).map(|(a, b)| a * b).sum();
    // C++: sqrt(contrast.t() * sigma * contrast), which Armadillo evaluates
    // as (cᵀΣ)c: first the columns of Σ against c, then the dot product with
    // c, each summed in order. Σ is not exactly symmetric, so it matters that
    // the columns (not the rows) are used.
    let sc: Vec<f64> = (0..p)
        .map(|j| {
            let mut acc = 0.0;
            for (i, ci) in c.iter().enumerate() {
                acc += sigma[(i, j)] * ci;
            }
            acc
        })
        .collect();
    let var: f64 = c.iter().zip(&sc).map(|(a, b)| a * b).sum();
    (LOG2_E * num, LOG2_E * var.sqrt())
}

/// `contrastAllZeroNumeric`: genes with no counts in any sample touched by
/// the contrast (only for contrasts with both signs).
fn numeric_all_zero(fit: &Fit, c: &[f64]) -> Vec<bool> {
    let n = fit.genes.len();
    if c.iter().all(|&v| v >= 0.0) || c.iter().all(|&v| v <= 0.0) {
        return vec![false; n];
    }
    let binary: Vec<f64> = c
        .iter()
        .map(|&v| if v == 0.0 { 0.0 } else { 1.0 })
        .collect();
    let which: Vec<bool> = fit
        .design
        .matrix
        .mul_vec(&binary)
        .iter()
        .map(|&v| v != 0.0)
        .collect();
    (0..n)
        .map(|g| {
            fit.counts
                .row(g)
                .iter()
                .zip(&which)
                .all(|(&y, &w)| !w || y == 0.0)
        })
        .collect()
}

/// `contrastAllZeroCharacter`: genes with only zeros in the samples at the
/// two levels compared.
fn character_all_zero(
    fit: &Fit,
    codes: &[usize],
    levels: &[String],
    num: &str,
    den: &str,
) -> Vec<bool> {
    let in_pair: Vec<bool> = codes
        .iter()
        .map(|&c| levels[c] == num || levels[c] == den)
        .collect();
    (0..fit.genes.len())
        .map(|g| {
            fit.counts
                .row(g)
                .iter()
                .zip(&in_pair)
                .all(|(&y, &w)| !w || y == 0.0)
        })
        .collect()
}

/// `pvalueAdjustment` with DESeq2's defaults; returns (padj, threshold, θ).
pub fn independent_filtering(filter: &[f64], pvalue: &[f64], alpha: f64) -> (Vec<f64>, f64, f64) {
    let n = filter.len();
    let zero_frac = filter.iter().filter(|&&f| f == 0.0).count() as f64 / n as f64;
    let upper = if zero_frac < 0.95 { 0.95 } else { 1.0 };
    let theta = crate::dispersion::r_seq(zero_frac, upper, 50);
    let mut sorted = filter.to_vec();
    sorted.sort_by(|a, b| a.partial_cmp(b).expect("filter has no NaN"));
    let cutoffs: Vec<f64> = theta
        .iter()
        .map(|&t| summary::quantile7(&sorted, t))
        .collect();
    // BH within each filtered subset (R's `p.adjust(method = "BH")`: n = the
    // non-NA p-values kept, values min(1, cummin(n/i · p)) over p in
    // decreasing order). The subsets share one decreasing order of the
    // p-values, so it is sorted once; ties give the same adjusted value
    // whatever their order. Only the rejection counts of the 50 subsets are
    // kept; the chosen subset's adjusted p-values are recomputed at the end.
    let mut by_p_desc: Vec<usize> = (0..n).filter(|&i| !pvalue[i].is_nan()).collect();
    by_p_desc.sort_by(|&a, &b| pvalue[b].total_cmp(&pvalue[a]));
    // (filter statistic, p-value) in that order, read 51 times.
    let ordered: Vec<(f64, f64)> = by_p_desc.iter().map(|&i| (filter[i], pvalue[i])).collect();
    let adjust_within = |cut: f64, adjusted: &mut dyn FnMut(usize, f64)| {
        let kept = ordered.iter().filter(|&&(f, _)| f >= cut).count();
        let n_kept = kept as f64;
        let mut rank = kept;
        let mut running_min = f64::INFINITY;
        for (k, &(f, p)) in ordered.iter().enumerate() {
            if f >= cut {
                let v = (n_kept / rank as f64) * p;
                if v < running_min {
                    running_min = v;
                }
                adjusted(by_p_desc[k], running_min.min(1.0));
                rank -= 1;
            }
        }
    };
    let num_rej: Vec<f64> = cutoffs
        .par_iter()
        .map(|&cut| {
            let mut rejected = 0usize;
            adjust_within(cut, &mut |_, padj| rejected += usize::from(padj < alpha));
            rejected as f64
        })
        .collect();
    let delta = 0.01 * (theta[theta.len() - 1] - theta[0]);
    let (_, fitted) = lowess(&theta, &num_rej, 1.0 / 5.0, 3, delta);
    let max_rej = num_rej.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let j = if max_rej <= 10.0 {
        0
    } else {
        let resid: Vec<f64> = num_rej
            .iter()
            .zip(&fitted)
            .filter(|(r, _)| **r > 0.0)
            .map(|(r, f)| (r - f) * (r - f))
            .collect();
        let rmse = if resid.is_empty() {
            0.0
        } else {
            summary::mean(&resid).sqrt()
        };
        let max_fit = fitted.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let thresh = max_fit - rmse;
        num_rej.iter().position(|&r| r > thresh).unwrap_or(0)
    };
    let mut padj = vec![f64::NAN; n];
    adjust_within(cutoffs[j], &mut |i, v| padj[i] = v);
    (padj, cutoffs[j], theta[j])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filtered_bh_matches_p_adjust_on_the_unfiltered_column() {
        // With at most 10 rejections DESeq2 keeps the first θ (no filtering
        // beyond the zero-mean genes), so padj must equal p.adjust(BH) of the
        // kept genes. The data include ties, NA p-values and zero means.
        let n = 500;
        let mut state: u64 = 7;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let filter: Vec<f64> = (0..n)
            .map(|i| if i % 50 == 0 { 0.0 } else { next() * 100.0 })
            .collect();
        let pvalue: Vec<f64> = (0..n)
            .map(|i| match i % 37 {
                0 => f64::NAN,
                1 => 0.5,
                _ => 0.2 + 0.8 * next(),
            })
            .collect();
        let (padj, threshold, _) = independent_filtering(&filter, &pvalue, 0.1);
        let kept: Vec<usize> = (0..n).filter(|&i| filter[i] >= threshold).collect();
        let sub: Vec<f64> = kept.iter().map(|&i| pvalue[i]).collect();
        let expect = p_adjust(&sub, AdjustMethod::BH);
        for (k, &i) in kept.iter().enumerate() {
            assert!(
                padj[i].to_bits() == expect[k].to_bits()
                    || (padj[i].is_nan() && expect[k].is_nan()),
                "gene {i}: {} vs {}",
                padj[i],
                expect[k]
            );
        }
        for i in 0..n {
            if filter[i] < threshold {
                assert!(padj[i].is_nan());
            }
        }
    }
}
