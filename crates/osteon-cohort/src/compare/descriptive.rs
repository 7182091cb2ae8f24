//! Per-group descriptive statistics and the two primitives every test here
//! shares: R's `var()` (long-double two-pass, `src/library/stats/src/cov.c`)
//! and R's `rank()` with average ties.

use osteon_stats::summary::{self, LongDouble};

/// Summary of one group's values, as R's `mean`, `sd`, `median`,
/// `quantile(type = 7)`, `min` and `max` give them.
#[derive(Debug, Clone, PartialEq)]
pub struct Descriptives {
    /// Group name.
    pub group: String,
    /// Number of values.
    pub n: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation (n − 1 denominator; NaN for n < 2).
    pub sd: f64,
    /// Median.
    pub median: f64,
    /// First quartile (type 7).
    pub q1: f64,
    /// Third quartile (type 7).
    pub q3: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

/// Describes one group (all fields NaN for an empty group).
///
/// ```
/// use osteon_cohort::compare::describe;
/// let d = describe("A", &[1.0, 2.0, 3.0, 4.0]);
/// assert_eq!((d.n, d.mean, d.median, d.q1, d.q3), (4, 2.5, 2.5, 1.75, 3.25));
/// ```
pub fn describe(group: &str, values: &[f64]) -> Descriptives {
    let (min, max) = if values.is_empty() {
        (f64::NAN, f64::NAN)
    } else {
        values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            })
    };
    Descriptives {
        group: group.to_string(),
        n: values.len(),
        mean: summary::mean(values),
        sd: r_var(values).sqrt(),
        median: summary::median(values),
        q1: summary::quantile7(values, 0.25),
        q3: summary::quantile7(values, 0.75),
        min,
        max,
    }
}

/// R's `var(x)`: the mean as R's `mean()` (long double with a correction
/// pass, rounded to double), then Σ (x − m)² with the differences, squares
/// and sum all in long double, divided by n − 1 in long double. NaN for
/// n < 2.
///
/// ```
/// use osteon_cohort::compare::r_var;
/// assert_eq!(r_var(&[1.0, 2.0, 3.0, 4.0]), 5.0 / 3.0);
/// ```
pub fn r_var(x: &[f64]) -> f64 {
    if x.len() < 2 {
        return f64::NAN;
    }
    let m = LongDouble::from_f64(summary::mean(x));
    let mut sum = LongDouble::zero();
    for &v in x {
        let d = LongDouble::from_f64(v) - m;
        sum.add(d * d);
    }
    sum.div_to_f64((x.len() - 1) as f64)
}

/// R's `rank(x)` (ties get the average of their positions). `x` must not
/// contain NaN.
///
/// ```
/// use osteon_cohort::compare::rank_average;
/// assert_eq!(rank_average(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
/// ```
pub fn rank_average(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut ranks = vec![0.0; x.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && x[order[end]] == x[order[start]] {
            end += 1;
        }
        // positions start+1 ..= end, average (start + 1 + end) / 2
        let average = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = average;
        }
        start = end;
    }
    ranks
}

/// Sizes of the groups of tied values (R's `table(x)` counts).
pub fn tie_sizes(x: &[f64]) -> Vec<f64> {
    let mut sorted = x.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut sizes = Vec::new();
    let mut start = 0;
    while start < sorted.len() {
        let mut end = start + 1;
        while end < sorted.len() && sorted[end] == sorted[start] {
            end += 1;
        }
        sizes.push((end - start) as f64);
        start = end;
    }
    sizes
}

/// R's `sum(t^3 - t)` over tie sizes t (the tie correction of rank tests),
/// with `t^3` as R's `R_pow` computes it.
pub fn tie_correction(x: &[f64]) -> f64 {
    let terms: Vec<f64> = tie_sizes(x).iter().map(|&t| t.powf(3.0) - t).collect();
    summary::sum(&terms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn var_matches_r_bits() {
        // sprintf('%.17g', var(c(0.1, 0.2, 0.3, 1e-8, 7.7)))
        assert_eq!(r_var(&[0.1, 0.2, 0.3, 1e-8, 7.7]), 11.412999991700001);
        // sprintf('%.17g', sd(c(100.1, 100.2, 100.3)))
        assert_eq!(r_var(&[100.1, 100.2, 100.3]).sqrt(), 0.10000000000000142);
        assert!(r_var(&[1.0]).is_nan());
    }

    #[test]
    fn ties_are_counted() {
        assert_eq!(tie_sizes(&[2.0, 1.0, 2.0, 2.0, 5.0]), vec![1.0, 3.0, 1.0]);
        assert_eq!(tie_correction(&[2.0, 1.0, 2.0, 2.0, 5.0]), 24.0);
    }

    #[test]
    fn describe_matches_r() {
        // x <- c(5.1, 3.2, 8.8, 4.4, 4.4, 10.5)
        // sprintf('%.17g', c(mean(x), sd(x), median(x), quantile(x, c(.25, .75))))
        let d = describe("g", &[5.1, 3.2, 8.8, 4.4, 4.4, 10.5]);
        assert_eq!(d.mean, 6.0666666666666664);
        assert_eq!(d.sd, 2.8925190866555517);
        assert_eq!(d.median, 4.75);
        assert_eq!(d.q1, 4.4000000000000004);
        assert_eq!(d.q3, 7.875);
        assert_eq!((d.min, d.max), (3.2, 10.5));
    }
}
