//! Library size factors: DESeq2's `estimateSizeFactorsForMatrix`.
//!
//! * `ratio` — the median-of-ratios estimator of Anders & Huber (2010),
//!   "Differential expression analysis for sequence count data", *Genome
//!   Biology* 11:R106: s_j = median_i (y_ij / geometric mean_i), over genes
//!   with no zero count.
//! * `poscounts` — DESeq2's variant for sparse data: the geometric mean uses
//!   positive counts only (divided by all m samples), the median uses
//!   positive counts only, and the factors are rescaled to geometric mean 1.
//! * `iterate` — DESeq2's `estimateSizeFactorsIterate`, which maximises the
//!   likelihood of an intercept-only model (see [`crate::pipeline`]).

use crate::{CountMatrix, Error};
use osteon_stats::summary;
use rayon::prelude::*;

/// Which size-factor estimator to use (`--sf-type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SizeFactorType {
    #[default]
    Ratio,
    PosCounts,
    Iterate,
}

impl std::str::FromStr for SizeFactorType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "ratio" => Ok(Self::Ratio),
            "poscounts" => Ok(Self::PosCounts),
            "iterate" => Ok(Self::Iterate),
            _ => Err(format!(
                "unknown size factor type '{s}' (ratio, poscounts, iterate)"
            )),
        }
    }
}

/// Median-of-ratios size factors (`type = "ratio"`).
pub fn ratio(counts: &CountMatrix) -> Result<Vec<f64>, Error> {
    let m = counts.n_samples();
    let log_geo_means: Vec<f64> = counts
        .counts
        .par_chunks(m.max(1))
        .map_init(
            || vec![0.0; m],
            |logs, row| {
                for (l, &y) in logs.iter_mut().zip(row) {
                    *l = y.ln();
                }
                summary::row_mean(logs)
            },
        )
        .collect();
    median_ratio(counts, &log_geo_means, false)
}

/// DESeq2's `poscounts` size factors.
pub fn poscounts(counts: &CountMatrix) -> Result<Vec<f64>, Error> {
    let m = counts.n_samples() as f64;
    let mut positive_logs = Vec::with_capacity(counts.n_samples());
    let log_geo_means: Vec<f64> = (0..counts.n_genes())
        .map(|g| {
            let row = counts.row(g);
            if row.iter().all(|&y| y == 0.0) {
                return f64::NEG_INFINITY;
            }
            positive_logs.clear();
            positive_logs.extend(row.iter().filter(|&&y| y > 0.0).map(|y| y.ln()));
            // geoMeanNZ: exp(sum(log(x[x > 0])) / length(x)), re-logged later.
            (summary::sum(&positive_logs) / m).exp().ln()
        })
        .collect();
    median_ratio(counts, &log_geo_means, true)
}

fn median_ratio(
    counts: &CountMatrix,
    log_geo_means: &[f64],
    rescale: bool,
) -> Result<Vec<f64>, Error> {
    if log_geo_means.iter().all(|v| v.is_infinite()) {
        return Err(Error::EveryGeneHasZero);
    }
    let m = counts.n_samples();
    let mut sf: Vec<f64> = (0..m)
        .into_par_iter()
        .map(|j| {
            let ratios: Vec<f64> = log_geo_means
                .iter()
                .enumerate()
                .filter_map(|(g, &lg)| {
                    let y = counts.counts[g * m + j];
                    (lg.is_finite() && y > 0.0).then(|| y.ln() - lg)
                })
                .collect();
            summary::median(&ratios).exp()
        })
        .collect();
    if rescale {
        let logs: Vec<f64> = sf.iter().map(|s| s.ln()).collect();
        let gm = summary::mean(&logs).exp();
        for s in &mut sf {
            *s /= gm;
        }
    }
    Ok(sf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(rows: &[&[f64]]) -> CountMatrix {
        let m = rows[0].len();
        CountMatrix {
            genes: (0..rows.len()).map(|i| format!("g{i}")).collect(),
            samples: (0..m).map(|j| format!("s{j}")).collect(),
            counts: rows.iter().flat_map(|r| r.iter().copied()).collect(),
        }
    }

    #[test]
    fn ratio_recovers_known_depths() {
        // Each sample is an exact multiple of a base profile: size factors are
        // the multiples divided by their geometric mean (here 1, 2, 4 → geo 2).
        let c = matrix(&[&[10.0, 20.0, 40.0], &[3.0, 6.0, 12.0], &[7.0, 14.0, 28.0]]);
        let sf = ratio(&c).unwrap();
        for (s, e) in sf.iter().zip([0.5, 1.0, 2.0]) {
            assert!((s - e).abs() < 1e-14, "{sf:?}");
        }
    }

    #[test]
    fn ratio_is_scale_equivariant() {
        let base = matrix(&[
            &[10.0, 25.0, 40.0, 3.0],
            &[3.0, 0.0, 12.0, 5.0],
            &[70.0, 140.0, 208.0, 90.0],
            &[1.0, 2.0, 9.0, 4.0],
        ]);
        let sf = ratio(&base).unwrap();
        let mut scaled = base.clone();
        let m = scaled.n_samples();
        for (i, v) in scaled.counts.iter_mut().enumerate() {
            if i % m == 2 {
                *v *= 3.0;
            }
        }
        let sf2 = ratio(&scaled).unwrap();
        // Multiplying one sample by 3 multiplies every gene's geometric mean
        // by 3^(1/m) and that sample's ratio by 3.
        let g = 3f64.powf(1.0 / m as f64);
        for j in 0..m {
            let expect = if j == 2 { sf[j] * 3.0 / g } else { sf[j] / g };
            assert!((sf2[j] - expect).abs() < 1e-12 * expect);
        }
    }

    #[test]
    fn every_gene_with_a_zero_is_an_error_and_poscounts_works() {
        let c = matrix(&[&[0.0, 5.0, 9.0], &[4.0, 0.0, 8.0], &[2.0, 3.0, 0.0]]);
        assert!(matches!(ratio(&c), Err(Error::EveryGeneHasZero)));
        let sf = poscounts(&c).unwrap();
        let gm: f64 = sf.iter().map(|s| s.ln()).sum::<f64>() / 3.0;
        assert!(gm.abs() < 1e-14);
    }
}
