//! Cook's distances and count-outlier replacement, as DESeq2 1.38.3.
//!
//! Cook (1977), "Detection of influential observation in linear
//! regression", *Technometrics* 19:15; adapted to the NB GLM by DESeq2
//! (`calculateCooksDistance`): D_ij = r²_ij / p · h_ij/(1 − h_ij)², with the
//! Pearson residual computed under a robust method-of-moments dispersion
//! (`robustMethodOfMomentsDisp`: trimmed within-cell variances, floored at
//! 0.04). Outliers in cells with ≥ 7 replicates are replaced by the 20%
//! trimmed mean scaled by the size factor (`replaceOutliers`).

use crate::design::Design;
use osteon_stats::summary;

/// The design's part of `robustMethodOfMomentsDisp`, worked out once per
/// fit: the samples of each cell (distinct design row) with at least three
/// samples, cells in order of first appearance.
pub struct RobustMomentsPlan {
    /// Sample indices of the cells with ≥ 3 samples; empty when there are
    /// none (then every sample is one group with the 1/8 trim).
    cells: Vec<Vec<usize>>,
}

impl RobustMomentsPlan {
    pub fn new(design: &Design) -> Self {
        let cell_of = design.cell_of_sample();
        let mut order: Vec<usize> = Vec::new();
        for &c in &cell_of {
            if !order.contains(&c) {
                order.push(c);
            }
        }
        let cells = order
            .into_iter()
            .map(|c| {
                (0..cell_of.len())
                    .filter(|&j| cell_of[j] == c)
                    .collect::<Vec<_>>()
            })
            .filter(|samples| samples.len() >= 3)
            .collect();
        Self { cells }
    }

    /// Robust per-gene dispersion used only for Cook's distances, from the
    /// gene's normalised counts `q`.
    pub fn dispersion(&self, q: &[f64]) -> f64 {
        let v = if !self.cells.is_empty() {
            let mut best = f64::NEG_INFINITY;
            for samples in &self.cells {
                let vals: Vec<f64> = samples.iter().map(|&j| q[j]).collect();
                let n = vals.len();
                let (trim, scale) = if n <= 3 {
                    (1.0 / 3.0, 2.04)
                } else if n <= 23 {
                    (1.0 / 4.0, 1.86)
                } else {
                    (1.0 / 8.0, 1.51)
                };
                best = best.max(scale * trimmed_variance(&vals, trim));
            }
            best
        } else {
            1.51 * trimmed_variance(q, 1.0 / 8.0)
        };
        let mean = summary::row_mean(q);
        ((v - mean) / (mean * mean)).max(0.04)
    }
}

/// The trimmed mean of squared deviations from the trimmed mean
/// (`trimmedCellVariance` before its scale factor).
fn trimmed_variance(vals: &[f64], trim: f64) -> f64 {
    let centre = summary::trimmed_mean(vals, trim);
    let sq: Vec<f64> = vals.iter().map(|v| (v - centre) * (v - centre)).collect();
    summary::trimmed_mean(&sq, trim)
}

/// Cook's distances of one gene.
pub fn cooks_distances(
    y: &[f64],
    mu: &[f64],
    hat: &[f64],
    alpha_robust: f64,
    p: usize,
) -> Vec<f64> {
    y.iter()
        .zip(mu)
        .zip(hat)
        .map(|((&yi, &mi), &h)| {
            let v = mi + alpha_robust * mi * mi;
            let r2 = (yi - mi) * (yi - mi) / v;
            r2 / p as f64 * h / ((1.0 - h) * (1.0 - h))
        })
        .collect()
}

/// Samples whose design row occurs at least `n` times (`nOrMoreInCell`).
pub fn n_or_more_in_cell(design: &Design, n: usize) -> Vec<bool> {
    design
        .row_multiplicity()
        .into_iter()
        .map(|k| k >= n)
        .collect()
}

/// `recordMaxCooks`: the largest Cook's distance over samples in cells with
/// ≥ 3 replicates; NaN when there are none (or m ≤ p).
pub fn max_cooks(cooks: &[f64], samples_for_cooks: &[bool], m: usize, p: usize) -> f64 {
    if !(m > p && samples_for_cooks.iter().any(|&b| b)) {
        return f64::NAN;
    }
    let mut best = f64::NEG_INFINITY;
    for (c, &use_it) in cooks.iter().zip(samples_for_cooks) {
        if use_it {
            if c.is_nan() {
                return f64::NAN;
            }
            best = best.max(*c);
        }
    }
    best
}

/// What the pipeline keeps of one gene's Cook's distances (instead of the
/// whole genes × samples matrix).
#[derive(Debug, Clone, Default)]
pub struct CooksSummary {
    /// `recordMaxCooks` over samples in cells with ≥ 3 replicates.
    pub max_cooks: f64,
    /// The same with replaceable samples set to 0 (after a refit).
    pub max_cooks_masked: f64,
    /// First sample with the largest distance over all samples (`which.max`).
    pub argmax: usize,
    /// Samples whose distance exceeds the replacement cutoff.
    pub above_cutoff: Vec<usize>,
}

/// Summarises one gene's Cook's distances for `results()` and
/// `replaceOutliers`.
pub fn summarize(
    cooks: &[f64],
    samples_for_cooks: &[bool],
    replaceable: &[bool],
    cutoff: f64,
    p: usize,
) -> CooksSummary {
    let m = cooks.len();
    let mut argmax = 0;
    for j in 1..m {
        if cooks[j] > cooks[argmax] {
            argmax = j;
        }
    }
    let masked: Vec<f64> = cooks
        .iter()
        .zip(replaceable)
        .map(|(&c, &r)| if r { 0.0 } else { c })
        .collect();
    CooksSummary {
        max_cooks: max_cooks(cooks, samples_for_cooks, m, p),
        max_cooks_masked: max_cooks(&masked, samples_for_cooks, m, p),
        argmax,
        above_cutoff: (0..m).filter(|&j| cooks[j] > cutoff).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robust_moments_by_hand() {
        use crate::design::{Formula, SampleData};
        // Cells A (4 samples, first seen first), B (2) and C (4); B has
        // fewer than three samples and is left out.
        let groups = ["A", "B", "A", "C", "A", "C", "A", "C", "B", "C"];
        let names: Vec<String> = groups.iter().map(|g| g.to_string()).collect();
        let data = SampleData {
            sample_names: (0..10).map(|j| format!("s{j}")).collect(),
            variables: vec![(
                "cell".into(),
                SampleData::factor_from_strings(&names, None).unwrap(),
            )],
        };
        let design = Design::build(&Formula::parse("~ cell").unwrap(), &data).unwrap();
        let plan = RobustMomentsPlan::new(&design);
        assert_eq!(plan.cells, vec![vec![0, 2, 4, 6], vec![3, 5, 7, 9]]);
        // A: 1, 20, 30, 100 → trimmed mean (trim 1/4) of the middle two, 25;
        // squared deviations 576, 25, 25, 5625 → middle two 25, 576 → 300.5;
        // × 1.86 = 558.93. C: all 4 → 0. Mean of all ten values 17.9.
        let q = [1.0, 5.0, 20.0, 4.0, 30.0, 4.0, 100.0, 4.0, 7.0, 4.0];
        let want = (300.5 * 1.86 - 17.9) / (17.9 * 17.9);
        assert!((plan.dispersion(&q) - want).abs() < 1e-12 * want);
        // Constant counts: the floor of 0.04.
        assert_eq!(plan.dispersion(&[3.0; 10]), 0.04);
    }

    #[test]
    fn cooks_formula_by_hand() {
        // (10−5)²/(5+0.1·25)=25/7.5; /p=2 → 1.6667; h/(1−h)² with h=0.5 → 2.
        let d = cooks_distances(&[10.0], &[5.0], &[0.5], 0.1, 2);
        assert!((d[0] - 25.0 / 7.5 / 2.0 * 2.0).abs() < 1e-12);
    }

    #[test]
    fn max_cooks_ignores_small_cells() {
        let c = [5.0, 1.0, 2.0, 9.0];
        assert_eq!(max_cooks(&c, &[true, true, true, false], 4, 2), 5.0);
        assert!(max_cooks(&c, &[false; 4], 4, 2).is_nan());
        assert!(max_cooks(&c, &[true; 4], 2, 2).is_nan());
    }
}
