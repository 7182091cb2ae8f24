//! The variance-stabilising transformation, as DESeq2 1.38.3's `vst()` and
//! `varianceStabilizingTransformation()`.
//!
//! Anders & Huber (2010), *Genome Biology* 11:R106, §"Variance-stabilizing
//! transformation": with a dispersion trend α(μ), the transformation is
//! ∫ dμ / √(μ + α(μ)μ²), in closed form for the parametric and mean trends
//! and by numerical integration and an FMM spline for the local trend.
//! `vst()` fits the trend on 1,000 genes spread over the mean range.

use crate::design::{Design, Formula, SampleData};
use crate::dispersion::{self, Trend, TrendKind};
use crate::pipeline::{Engine, NoProgress};
use crate::{CountMatrix, Error};
use osteon_stats::spline::splinefun_fmm;
use osteon_stats::summary;

/// The VST of one count matrix. For the closed-form trends (parametric and
/// mean) a value is computed when it is asked for, so the transformed
/// matrix is never held in memory; for the local trend the spline is
/// evaluated one sample column at a time, as R does, and kept.
#[derive(Debug, Clone)]
pub enum VstValues {
    ClosedForm {
        trend: ClosedFormTrend,
        size_factors: Vec<f64>,
    },
    Computed {
        values: Vec<f64>,
        n_samples: usize,
    },
}

/// A dispersion trend whose VST has a closed form.
#[derive(Debug, Clone, Copy)]
pub enum ClosedFormTrend {
    /// α(μ) = asympt_disp + extra_pois/μ.
    Parametric { asympt_disp: f64, extra_pois: f64 },
    /// α(μ) = α.
    Mean(f64),
}

impl ClosedFormTrend {
    /// The transformation of a normalised count `q`.
    fn transform(self, q: f64) -> f64 {
        match self {
            ClosedFormTrend::Parametric {
                asympt_disp: a0,
                extra_pois: a1,
            } => {
                ((1.0 + a1 + 2.0 * a0 * q + 2.0 * (a0 * q * (1.0 + a1 + a0 * q)).sqrt())
                    / (4.0 * a0))
                    .ln()
                    / std::f64::consts::LN_2
            }
            ClosedFormTrend::Mean(alpha) => {
                (2.0 * (alpha * q).sqrt().asinh() - alpha.ln() - 4f64.ln()) / std::f64::consts::LN_2
            }
        }
    }
}

impl VstValues {
    /// The transformed value of `count`, the count of `gene` in `sample`.
    pub fn value(&self, count: f64, gene: usize, sample: usize) -> f64 {
        match self {
            VstValues::ClosedForm {
                trend,
                size_factors,
            } => trend.transform(count / size_factors[sample]),
            VstValues::Computed { values, n_samples } => values[gene * n_samples + sample],
        }
    }

    /// Every value, genes × samples, row-major.
    pub fn to_matrix(&self, counts: &CountMatrix) -> Vec<f64> {
        let m = counts.n_samples();
        counts
            .counts
            .iter()
            .enumerate()
            .map(|(i, &y)| self.value(y, i / m, i % m))
            .collect()
    }
}

/// The transformation for `trend` of every count, given size factors.
pub fn transform(trend: &Trend, counts: &CountMatrix, sf: &[f64]) -> VstValues {
    let closed_form = match *trend {
        Trend::Parametric {
            asympt_disp,
            extra_pois,
        } => Some(ClosedFormTrend::Parametric {
            asympt_disp,
            extra_pois,
        }),
        Trend::Mean(alpha) => Some(ClosedFormTrend::Mean(alpha)),
        _ => None,
    };
    match closed_form {
        Some(trend) => VstValues::ClosedForm {
            trend,
            size_factors: sf.to_vec(),
        },
        None => {
            let m = counts.n_samples();
            let q: Vec<f64> = counts
                .counts
                .iter()
                .enumerate()
                .map(|(i, &y)| y / sf[i % m])
                .collect();
            VstValues::Computed {
                values: local_transform(trend, counts, &q, sf),
                n_samples: m,
            }
        }
    }
}

fn local_transform(trend: &Trend, counts: &CountMatrix, q: &[f64], sf: &[f64]) -> Vec<f64> {
    let m = counts.n_samples();
    let max_q = q.iter().cloned().fold(0.0, f64::max);
    let grid = dispersion::r_seq(0f64.asinh(), max_q.asinh(), 1000);
    let xg: Vec<f64> = grid[1..].iter().map(|v| v.sinh()).collect();
    let inv_sf: Vec<f64> = sf.iter().map(|s| 1.0 / s).collect();
    let xim = summary::mean(&inv_sf);
    let integrand: Vec<f64> = xg
        .iter()
        .map(|&x| 1.0 / (trend.eval(x) * x * x + xim * x).sqrt())
        .collect();
    let k = xg.len();
    let mids: Vec<f64> = (0..k - 1)
        .map(|i| ((xg[i + 1] + xg[i]) / 2.0).asinh())
        .collect();
    let mut cum = Vec::with_capacity(k - 1);
    let mut acc = 0.0;
    for i in 0..k - 1 {
        acc += (xg[i + 1] - xg[i]) * (integrand[i + 1] + integrand[i]) / 2.0;
        cum.push(acc);
    }
    let spl = match splinefun_fmm(&mids, &cum) {
        Ok(s) => s,
        Err(_) => return vec![f64::NAN; q.len()],
    };
    let row_means: Vec<f64> = (0..counts.n_genes())
        .map(|g| summary::row_mean(&q[g * m..(g + 1) * m]))
        .collect();
    let mut sorted = row_means;
    sorted.sort_by(|a, b| a.total_cmp(b));
    let h1 = summary::quantile7(&sorted, 0.95);
    let h2 = summary::quantile7(&sorted, 0.999);
    let eta = (h2.log2() - h1.log2()) / (spl.eval(h2.asinh()) - spl.eval(h1.asinh()));
    let xi = h1.log2() - eta * spl.eval(h1.asinh());
    // R evaluates the spline one sample column at a time (`sapply` over
    // columns), and its evaluator carries the interval search along a column.
    let n = counts.n_genes();
    let mut out = vec![0.0; q.len()];
    for j in 0..m {
        let column: Vec<f64> = (0..n).map(|g| q[g * m + j].asinh()).collect();
        for (g, v) in spl.eval_many(&column).into_iter().enumerate() {
            out[g * m + j] = eta * v + xi;
        }
    }
    out
}

/// Fits the dispersion trend on the given genes with gene-wise estimates
/// under `design` (`estimateDispersionsGeneEst` + `estimateDispersionsFit`).
fn fit_trend_on(
    counts: &CountMatrix,
    design: &Design,
    sf: &[f64],
    kind: TrendKind,
) -> Result<Trend, Error> {
    let engine = Engine::new(counts, design, sf);
    let genes: Vec<usize> = (0..counts.n_genes())
        .filter(|&g| !engine.all_zero[g])
        .collect();
    let (est, _) = engine.gene_wise(&genes, counts, &NoProgress);
    let bm: Vec<f64> = genes.iter().map(|&g| engine.base_mean[g]).collect();
    let ge: Vec<f64> = est.iter().map(|e| e.disp_gene_est).collect();
    Ok(dispersion::fit_trend(kind, &bm, &ge)?.0)
}

fn intercept_design(counts: &CountMatrix) -> Result<Design, Error> {
    let data = SampleData {
        sample_names: counts.samples.clone(),
        variables: Vec::new(),
    };
    Design::build(&Formula::parse("~ 1")?, &data)
}

/// `varianceStabilizingTransformation(object, blind, fitType)`. With
/// `blind = false` and an existing trend, that trend is reused.
pub fn variance_stabilizing_transformation(
    counts: &CountMatrix,
    sf: &[f64],
    design: &Design,
    blind: bool,
    existing: Option<&Trend>,
    kind: TrendKind,
) -> Result<VstValues, Error> {
    let trend = match (blind, existing) {
        (false, Some(t)) => t.clone(),
        (true, _) => fit_trend_on(counts, &intercept_design(counts)?, sf, kind)?,
        (false, None) => fit_trend_on(counts, design, sf, kind)?,
    };
    Ok(transform(&trend, counts, sf))
}

/// `vst(object, blind, nsub = 1000, fitType = "parametric")`.
pub fn vst(
    counts: &CountMatrix,
    sf: &[f64],
    design: &Design,
    blind: bool,
    nsub: usize,
) -> Result<VstValues, Error> {
    let n = counts.n_genes();
    let m = counts.n_samples();
    if n < nsub {
        return Err(Error::Invalid(format!(
            "vst needs at least {nsub} genes (found {n}); use varianceStabilizingTransformation instead"
        )));
    }
    let bm: Vec<f64> = (0..n)
        .map(|g| {
            let q: Vec<f64> = counts.row(g).iter().zip(sf).map(|(y, s)| y / s).collect();
            summary::row_mean(&q)
        })
        .collect();
    let above: Vec<usize> = (0..n).filter(|&g| bm[g] > 5.0).collect();
    if above.len() < nsub {
        return Err(Error::Invalid(format!(
            "vst needs at least {nsub} genes with mean normalized count > 5 (found {}); use varianceStabilizingTransformation instead",
            above.len()
        )));
    }
    let mut order: Vec<usize> = (0..above.len()).collect();
    order.sort_by(|&a, &b| bm[above[a]].total_cmp(&bm[above[b]]));
    let positions = dispersion::r_seq(1.0, above.len() as f64, nsub);
    let mut sub = CountMatrix {
        genes: Vec::with_capacity(nsub),
        samples: counts.samples.clone(),
        counts: Vec::with_capacity(nsub * m),
    };
    for pos in positions {
        // R's round() is half-to-even; indices are 1-based.
        let k = round_half_even(pos) as usize - 1;
        let g = above[order[k]];
        sub.genes.push(counts.genes[g].clone());
        sub.counts.extend_from_slice(counts.row(g));
    }
    let fit_design = if blind {
        intercept_design(counts)?
    } else {
        design.clone()
    };
    let trend = fit_trend_on(&sub, &fit_design, sf, TrendKind::Parametric)?;
    Ok(transform(&trend, counts, sf))
}

/// R's `round()` (IEC 60559 half-to-even).
pub fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 {
        2.0 * (x / 2.0).round()
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_is_half_to_even() {
        assert_eq!(round_half_even(0.5), 0.0);
        assert_eq!(round_half_even(1.5), 2.0);
        assert_eq!(round_half_even(2.5), 2.0);
        assert_eq!(round_half_even(2.6), 3.0);
    }

    #[test]
    fn parametric_transform_is_log2_like_for_large_counts() {
        let c = CountMatrix {
            genes: vec!["g".into()],
            samples: vec!["a".into(), "b".into()],
            counts: vec![1e6, 1e8],
        };
        let t = Trend::Parametric {
            asympt_disp: 0.01,
            extra_pois: 1.0,
        };
        let v = transform(&t, &c, &[1.0, 1.0]).to_matrix(&c);
        // For large q the transform approaches log2(q) + const: differences
        // between two counts approach log2 of their ratio.
        assert!(((v[1] - v[0]) - 100f64.log2()).abs() < 0.01, "{v:?}");
    }
}
