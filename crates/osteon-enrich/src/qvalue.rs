//! Storey q-values as clusterProfiler reports them.
//!
//! DOSE's `enricher_internal` (used by clusterProfiler's `enrichGO` and
//! `enricher`) calls
//! `tryCatch(qvalue(p = pvalues, lambda = 0.05, pi0.method = "bootstrap"),
//! error = function(e) NULL)` and reports `NA` q-values when that fails.
//! This module ports what that call runs in the Bioconductor `qvalue`
//! package (Storey, Bass, Dabney & Robinson; functions `qvalue`, `pi0est`,
//! `lfdr`, package version 2.30):
//!
//! * `pi0est` with a single λ: `pi0 = min(1, mean(p >= λ) / (1 - λ))`
//!   (the bootstrap is only used when λ is a vector of ≥ 4 values; its
//!   closed form by David Robinson is ported too, in [`pi0_estimate`]).
//!   `pi0est` stops when `max(p) < max(λ)`.
//! * `qvalue`: with `o = order(p, decreasing = TRUE)`,
//!   `q = pi0 * pmin(1, cummin(p[o] * m / (m:1)))[order(o)]`.
//! * `qvalue` also computes local FDRs (`lfdr`), whose kernel density
//!   estimate (`density(qnorm(p))`, `bw.nrd0`) stops with fewer than two
//!   p-values. The local FDRs themselves are not reported by
//!   clusterProfiler and are not computed here; only that failure is
//!   reproduced.
//!
//! So [`clusterprofiler_qvalues`] returns `None` (q-values `NA`) when there
//! are fewer than two p-values or all are below 0.05. The smoother variant
//! of `pi0est` (a `smooth.spline` fit over a λ grid, qvalue's default) is not
//! used by clusterProfiler and is not ported.

use osteon_stats::summary::{quantile7, LongDouble};

/// Estimated q-values and the null proportion used.
#[derive(Debug, Clone, PartialEq)]
pub struct QValues {
    /// One q-value per p-value, in input order.
    pub qvalues: Vec<f64>,
    /// The estimate of π₀, the proportion of true nulls.
    pub pi0: f64,
}

/// Why `qvalue()` would stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QvalueFailure {
    /// No p-values.
    Empty,
    /// A p-value outside \[0, 1\] (or NaN).
    OutOfRange,
    /// `max(p) < max(lambda)`.
    AllBelowLambda,
    /// A λ grid of 2 or 3 values, or a λ outside \[0, 1).
    InvalidLambda,
    /// Fewer than two p-values (the local-FDR density estimate stops).
    TooFew,
}

/// `qvalue(p, lambda = 0.05, pi0.method = "bootstrap")$qvalues` as DOSE's
/// `enricher_internal` calls it; `None` where that call fails and DOSE
/// reports `NA`.
///
/// ```
/// use osteon_enrich::qvalue::clusterprofiler_qvalues;
/// // R: qvalue::qvalue(c(0.01, 0.02, 0.03, 0.5), lambda = 0.05, pi0.method = "bootstrap")
/// //    pi0 = min(1, mean(p >= 0.05) / 0.95) = 0.25 / 0.95
/// let q = clusterprofiler_qvalues(&[0.01, 0.02, 0.03, 0.5]).unwrap();
/// assert_eq!(q.pi0, 0.25 / 0.95);
/// assert_eq!(q.qvalues[0], 0.25 / 0.95 * (0.03 * 4.0 / 3.0));
/// assert!(clusterprofiler_qvalues(&[0.01, 0.02]).is_none()); // max(p) < 0.05
/// ```
pub fn clusterprofiler_qvalues(p: &[f64]) -> Option<QValues> {
    qvalue(p, &[0.05]).ok()
}

/// `qvalue(p, lambda = lambda, pi0.method = "bootstrap")`: π₀ from
/// [`pi0_estimate`], then Storey's q-values. Errors where R's `qvalue`
/// stops.
pub fn qvalue(p: &[f64], lambda: &[f64]) -> Result<QValues, QvalueFailure> {
    if p.is_empty() {
        return Err(QvalueFailure::Empty);
    }
    if p.iter().any(|&x| !(0.0..=1.0).contains(&x)) {
        return Err(QvalueFailure::OutOfRange);
    }
    let pi0 = pi0_estimate(p, lambda)?;
    if p.len() < 2 {
        return Err(QvalueFailure::TooFew);
    }
    let m = p.len();
    // order(p, decreasing = TRUE): R's order is stable.
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[b].partial_cmp(&p[a]).expect("p-values are not NaN"));
    let mut qvalues = vec![0.0; m];
    let mut running = f64::INFINITY;
    for (position, &index) in order.iter().enumerate() {
        let i = (m - position) as f64;
        let value = p[index] * m as f64 / i;
        running = running.min(value);
        qvalues[index] = pi0 * running.min(1.0);
    }
    Ok(QValues { qvalues, pi0 })
}

/// `pi0est(p, lambda, pi0.method = "bootstrap")$pi0`.
///
/// With one λ: `min(1, mean(p >= λ) / (1 - λ))` (`mean` of a logical vector
/// divides the count by `m` in long double, as R's summary code does). With
/// a grid of ≥ 4 values: Robinson's closed-form bootstrap, choosing the λ
/// whose π₀(λ) minimises the estimated mean squared error against the 10%
/// quantile of the π₀(λ). A non-positive estimate becomes 1, as `pi0est`
/// does with a warning.
pub fn pi0_estimate(p: &[f64], lambda: &[f64]) -> Result<f64, QvalueFailure> {
    let mut lambda = lambda.to_vec();
    lambda.sort_by(|a, b| a.partial_cmp(b).expect("lambda is not NaN"));
    let ll = lambda.len();
    if p.is_empty() {
        return Err(QvalueFailure::Empty);
    }
    if p.iter().any(|&x| !(0.0..=1.0).contains(&x)) {
        return Err(QvalueFailure::OutOfRange);
    }
    if ll == 0 || (ll > 1 && ll < 4) || lambda[0] < 0.0 || lambda[ll - 1] >= 1.0 {
        return Err(QvalueFailure::InvalidLambda);
    }
    let max_p = p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if max_p < lambda[ll - 1] {
        return Err(QvalueFailure::AllBelowLambda);
    }
    let m = p.len();
    let at_least = |l: f64| p.iter().filter(|&&x| x >= l).count();
    let mut pi0 = if ll == 1 {
        let share = LongDouble::from_f64(at_least(lambda[0]) as f64).div_to_f64(m as f64);
        (share / (1.0 - lambda[0])).min(1.0)
    } else {
        let pi0_lambda: Vec<f64> = lambda
            .iter()
            .map(|&l| at_least(l) as f64 / (m as f64 * (1.0 - l)))
            .collect();
        let min_pi0 = quantile7(&pi0_lambda, 0.1);
        let mf = m as f64;
        let mse: Vec<f64> = lambda
            .iter()
            .zip(&pi0_lambda)
            .map(|(&l, &pi)| {
                let w = at_least(l) as f64;
                (w / (mf * mf * ((1.0 - l) * (1.0 - l)))) * (1.0 - w / mf)
                    + (pi - min_pi0) * (pi - min_pi0)
            })
            .collect();
        let best = mse.iter().copied().fold(f64::INFINITY, f64::min);
        pi0_lambda
            .iter()
            .zip(&mse)
            .filter(|(_, &e)| e == best)
            .map(|(&pi, _)| pi)
            .fold(1.0, f64::min)
    };
    if pi0 <= 0.0 {
        pi0 = 1.0;
    }
    Ok(pi0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_lambda_qvalues_match_the_qvalue_package() {
        // qvalue::qvalue(p, lambda = 0.05, pi0.method = "bootstrap") with
        // p <- c(0.001, 0.2, 0.04, 0.9, 0.04, 0.5, 0.07), worked by hand from
        // the package source (qvalue is not installed here):
        // pi0 = mean(p >= 0.05) / 0.95 = (4/7) / 0.95
        let p = [0.001, 0.2, 0.04, 0.9, 0.04, 0.5, 0.07];
        let q = qvalue(&p, &[0.05]).unwrap();
        let pi0 = (4.0 / 7.0) / 0.95;
        assert_eq!(q.pi0, pi0);
        // Worked by hand: decreasing order 0.9, 0.5, 0.2, 0.07, 0.04, 0.04, 0.001
        // p*m/i: 0.9*7/7, 0.5*7/6, 0.2*7/5, 0.07*7/4, 0.04*7/3, 0.04*7/2, 0.001*7/1
        // cummin:  0.9,   0.5833, 0.28,   0.1225,   0.09333,  0.09333,  0.007
        let expected = [
            pi0 * (0.001 * 7.0 / 1.0),
            pi0 * (0.2 * 7.0 / 5.0),
            pi0 * (0.04 * 7.0 / 3.0),
            pi0 * (0.9 * 7.0 / 7.0),
            pi0 * (0.04 * 7.0 / 3.0),
            pi0 * (0.5 * 7.0 / 6.0),
            pi0 * (0.07 * 7.0 / 4.0),
        ];
        assert_eq!(q.qvalues, expected);
    }

    #[test]
    fn failures_where_qvalue_stops() {
        assert_eq!(qvalue(&[0.5], &[0.05]), Err(QvalueFailure::TooFew));
        assert_eq!(
            qvalue(&[0.01, 0.04], &[0.05]),
            Err(QvalueFailure::AllBelowLambda)
        );
        assert_eq!(qvalue(&[], &[0.05]), Err(QvalueFailure::Empty));
        assert_eq!(qvalue(&[0.5, 1.5], &[0.05]), Err(QvalueFailure::OutOfRange));
        assert_eq!(
            qvalue(&[0.5, 0.6], &[0.1, 0.2]),
            Err(QvalueFailure::InvalidLambda)
        );
        assert!(clusterprofiler_qvalues(&[0.2]).is_none());
    }

    #[test]
    fn pi0_is_capped_at_one() {
        // all p >= 0.05: mean = 1, 1/0.95 > 1
        let q = qvalue(&[0.3, 0.6, 0.9], &[0.05]).unwrap();
        assert_eq!(q.pi0, 1.0);
        // decreasing order 0.9, 0.6, 0.3 with i = 3, 2, 1: cummin of
        // 0.9*3/3, 0.6*3/2, 0.3*3/1
        let top = 0.9 * 3.0 / 3.0;
        let middle = f64::min(top, 0.6 * 3.0 / 2.0);
        let bottom = f64::min(middle, 0.3 * 3.0 / 1.0);
        assert_eq!(q.qvalues, vec![bottom, middle, top]);
    }

    #[test]
    fn bootstrap_grid_picks_the_minimum_mse_lambda() {
        // pi0(lambda) = #(p >= l) / (m (1 - l)) for l in 0.1, 0.2, 0.3, 0.4
        // p = 0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95 (uniform)
        // counts >= l: 9, 8, 7, 6 -> pi0 = 9/9, 8/8, 7/7, 6/6 = 1 for all
        let p: Vec<f64> = (0..10).map(|i| 0.05 + 0.1 * i as f64).collect();
        let pi0 = pi0_estimate(&p, &[0.1, 0.2, 0.3, 0.4]).unwrap();
        assert!((pi0 - 1.0).abs() < 1e-15);
    }
}
