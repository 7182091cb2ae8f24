//! Tests on contingency tables and proportions, ported from R 4.2's
//! `chisq.test`, `fisher.test`, `prop.test` and `binom.test`:
//!
//! * Pearson's χ² with Yates' continuity correction on 2 × 2 tables (R's
//!   default `correct = TRUE`: |O − E| is reduced by min(0.5, |O − E|)),
//!   the expected counts and R's "approximation may be incorrect" warning
//!   (any expected count < 5); Cramér's V = √(X²/(n (min(r, c) − 1))) from
//!   the uncorrected statistic;
//! * Fisher's exact test (2 × 2 with the conditional MLE odds ratio and its
//!   interval, r × c p-value; see [`osteon_stats::exact_tests::fisher`]);
//! * the two-sample `prop.test`: χ² test of equal proportions and the Wald
//!   interval of the risk difference, with R's continuity correction
//!   (Newcombe 1998, Stat. Med. 17:873–890, method 2 when corrected);
//! * per-group intervals for a proportion: Wilson's score interval as
//!   `prop.test(x, n)$conf.int` (Wilson 1927, JASA 22:209–212; with R's
//!   continuity correction when `correct` is true, Newcombe method 4) and
//!   the Clopper–Pearson interval of `binom.test`.

use osteon_stats::distributions::{pchisq, pnorm, qnorm};
use osteon_stats::exact_tests::fisher::{fisher_2x2, fisher_rxc_pvalue, FisherError};
use osteon_stats::exact_tests::Alternative;
use osteon_stats::summary;

/// Work limit of the r × c Fisher enumeration (partial tables per stage).
pub const FISHER_MAX_PARTIAL_TABLES: usize = 5_000_000;

/// A two-way table of counts: rows are groups, columns outcome levels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContingencyTable {
    /// Row labels (groups).
    pub rows: Vec<String>,
    /// Column labels (outcome levels).
    pub columns: Vec<String>,
    /// `counts[row][column]`.
    pub counts: Vec<Vec<u64>>,
}

impl ContingencyTable {
    /// Row totals.
    pub fn row_totals(&self) -> Vec<u64> {
        self.counts.iter().map(|r| r.iter().sum()).collect()
    }

    /// Column totals.
    pub fn column_totals(&self) -> Vec<u64> {
        (0..self.columns.len())
            .map(|j| self.counts.iter().map(|r| r[j]).sum())
            .collect()
    }
}

/// The result of [`chi_squared`].
#[derive(Debug, Clone, PartialEq)]
pub struct ChiSquared {
    /// R's method string.
    pub method: &'static str,
    /// X² (with Yates' correction when applied).
    pub statistic: f64,
    /// (r − 1)(c − 1).
    pub df: f64,
    /// p-value.
    pub p_value: f64,
    /// Expected counts under independence, `expected[row][column]`.
    pub expected: Vec<Vec<f64>>,
    /// Number of expected counts below 5 (R warns when > 0).
    pub small_expected: usize,
    /// Cramér's V from the uncorrected statistic.
    pub cramers_v: f64,
}

/// Σ (|O − E| − yates)² / E over the cells in R's column-major order.
fn pearson_sum(counts: &[Vec<u64>], expected: &[Vec<f64>], yates: f64) -> f64 {
    let mut terms = Vec::new();
    for j in 0..counts[0].len() {
        for (row, e_row) in counts.iter().zip(expected) {
            let d = (row[j] as f64 - e_row[j]).abs() - yates;
            terms.push(d * d / e_row[j]);
        }
    }
    summary::sum(&terms)
}

/// `chisq.test(table, correct)` for a table with at least 2 rows and 2
/// columns.
///
/// ```
/// use osteon_cohort::compare::chi_squared;
/// let c = chi_squared(&[vec![10, 5], vec![3, 12]], true);
/// assert_eq!(c.df, 1.0);
/// assert!(c.method.contains("Yates"));
/// ```
pub fn chi_squared(counts: &[Vec<u64>], correct: bool) -> ChiSquared {
    let row_totals: Vec<f64> = counts
        .iter()
        .map(|r| r.iter().sum::<u64>() as f64)
        .collect();
    let n_cols = counts[0].len();
    let col_totals: Vec<f64> = (0..n_cols)
        .map(|j| counts.iter().map(|r| r[j]).sum::<u64>() as f64)
        .collect();
    let n: f64 = row_totals.iter().sum();
    let expected: Vec<Vec<f64>> = row_totals
        .iter()
        .map(|&r| col_totals.iter().map(|&c| r * c / n).collect())
        .collect();
    let is_2x2 = counts.len() == 2 && n_cols == 2;
    let mut yates = 0.0;
    if correct && is_2x2 {
        let min_deviation = counts
            .iter()
            .zip(&expected)
            .flat_map(|(o, e)| o.iter().zip(e).map(|(&o, &e)| (o as f64 - e).abs()))
            .fold(f64::INFINITY, f64::min);
        yates = min_deviation.min(0.5);
    }
    let statistic = pearson_sum(counts, &expected, yates);
    let uncorrected = if yates > 0.0 {
        pearson_sum(counts, &expected, 0.0)
    } else {
        statistic
    };
    let df = ((counts.len() - 1) * (n_cols - 1)) as f64;
    let small_expected = expected.iter().flatten().filter(|&&e| e < 5.0).count();
    let min_dim = counts.len().min(n_cols) as f64;
    ChiSquared {
        method: if yates > 0.0 {
            "Pearson's Chi-squared test with Yates' continuity correction"
        } else {
            "Pearson's Chi-squared test"
        },
        statistic,
        df,
        p_value: pchisq(statistic, df, false, false),
        expected,
        small_expected,
        cramers_v: (uncorrected / (n * (min_dim - 1.0))).sqrt(),
    }
}

/// The result of [`fisher_exact`].
#[derive(Debug, Clone, PartialEq)]
pub struct FisherExact {
    /// p-value.
    pub p_value: f64,
    /// For 2 × 2 tables: conditional MLE odds ratio (row 1 vs row 2, for the
    /// first column) and its confidence interval.
    pub odds_ratio: Option<(f64, f64, f64)>,
}

/// `fisher.test(table, alternative, conf.level)`: the alternative applies
/// to 2 × 2 tables only (larger tables are two-sided, as in R).
///
/// ```
/// use osteon_cohort::compare::fisher_exact;
/// use osteon_stats::exact_tests::Alternative;
/// let f = fisher_exact(&[vec![3, 1], vec![1, 3]], Alternative::TwoSided, 0.95).unwrap();
/// assert!((f.p_value - 0.485_714_285_714_285_82).abs() < 1e-15);
/// ```
pub fn fisher_exact(
    counts: &[Vec<u64>],
    alternative: Alternative,
    conf_level: f64,
) -> Result<FisherExact, FisherError> {
    if counts.len() == 2 && counts[0].len() == 2 {
        let f = fisher_2x2(
            [[counts[0][0], counts[0][1]], [counts[1][0], counts[1][1]]],
            alternative,
            conf_level,
        );
        return Ok(FisherExact {
            p_value: f.p_value,
            odds_ratio: Some((f.odds_ratio, f.conf_int.0, f.conf_int.1)),
        });
    }
    Ok(FisherExact {
        p_value: fisher_rxc_pvalue(counts, FISHER_MAX_PARTIAL_TABLES)?,
        odds_ratio: None,
    })
}

/// The result of [`prop_test_two`].
#[derive(Debug, Clone, PartialEq)]
pub struct PropTest {
    /// R's method string.
    pub method: &'static str,
    /// X² statistic (df 1).
    pub statistic: f64,
    /// p-value.
    pub p_value: f64,
    /// The two observed proportions.
    pub estimates: (f64, f64),
    /// Difference p₁ − p₂.
    pub difference: f64,
    /// Confidence interval of the difference.
    pub conf_int: (f64, f64),
}

/// `prop.test(x = c(x1, x2), n = c(n1, n2), alternative, conf.level,
/// correct)` (both n ≥ 1, x ≤ n).
///
/// ```
/// use osteon_cohort::compare::prop_test_two;
/// use osteon_stats::exact_tests::Alternative;
/// let t = prop_test_two([15, 5], [20, 20], Alternative::TwoSided, 0.95, true);
/// assert!((t.difference - 0.5).abs() < 1e-15);
/// ```
pub fn prop_test_two(
    x: [u64; 2],
    n: [u64; 2],
    alternative: Alternative,
    conf_level: f64,
    correct: bool,
) -> PropTest {
    let xf = [x[0] as f64, x[1] as f64];
    let nf = [n[0] as f64, n[1] as f64];
    let estimate = [xf[0] / nf[0], xf[1] / nf[1]];
    let delta = estimate[0] - estimate[1];
    let inverse_sum = summary::sum(&[1.0 / nf[0], 1.0 / nf[1]]);
    let mut yates: f64 = if correct { 0.5 } else { 0.0 };
    yates = yates.min(delta.abs() / inverse_sum);
    let z = match alternative {
        Alternative::TwoSided => qnorm((1.0 + conf_level) / 2.0, 0.0, 1.0, true, false),
        _ => qnorm(conf_level, 0.0, 1.0, true, false),
    };
    let variance = summary::sum(&[
        estimate[0] * (1.0 - estimate[0]) / nf[0],
        estimate[1] * (1.0 - estimate[1]) / nf[1],
    ]);
    let width = z * variance.sqrt() + yates * inverse_sum;
    let conf_int = match alternative {
        Alternative::TwoSided => ((delta - width).max(-1.0), (delta + width).min(1.0)),
        Alternative::Greater => ((delta - width).max(-1.0), 1.0),
        Alternative::Less => (-1.0, (delta + width).min(1.0)),
    };
    let p = summary::sum(&xf) / summary::sum(&nf);
    let observed = [xf[0], xf[1], nf[0] - xf[0], nf[1] - xf[1]];
    let expected = [nf[0] * p, nf[1] * p, nf[0] * (1.0 - p), nf[1] * (1.0 - p)];
    let terms: Vec<f64> = observed
        .iter()
        .zip(&expected)
        .map(|(&o, &e)| {
            let d = (o - e).abs() - yates;
            d * d / e
        })
        .collect();
    let statistic = summary::sum(&terms);
    let p_value = match alternative {
        Alternative::TwoSided => pchisq(statistic, 1.0, false, false),
        _ => {
            let signed = delta.signum() * statistic.sqrt();
            let signed = if delta == 0.0 { 0.0 } else { signed };
            pnorm(signed, 0.0, 1.0, alternative == Alternative::Less, false)
        }
    };
    PropTest {
        method: if yates != 0.0 {
            "2-sample test for equality of proportions with continuity correction"
        } else {
            "2-sample test for equality of proportions without continuity correction"
        },
        statistic,
        p_value,
        estimates: (estimate[0], estimate[1]),
        difference: delta,
        conf_int,
    }
}

/// Wilson's score interval for x successes in n trials as
/// `prop.test(x, n, conf.level = conf_level, correct = correct)$conf.int`
/// (two-sided, null p = 0.5 which only caps R's continuity correction at
/// |x − n/2|).
///
/// ```
/// use osteon_cohort::compare::wilson_interval;
/// let (lo, hi) = wilson_interval(7, 20, 0.95, false);
/// assert!((lo - 0.181_191_824_101_082_06).abs() < 1e-12 && (hi - 0.567_145_723_314_763_65).abs() < 1e-12);
/// ```
pub fn wilson_interval(x: u64, n: u64, conf_level: f64, correct: bool) -> (f64, f64) {
    let (xf, nf) = (x as f64, n as f64);
    let estimate = xf / nf;
    let z = qnorm((1.0 + conf_level) / 2.0, 0.0, 1.0, true, false);
    let yates: f64 = if correct { 0.5 } else { 0.0 };
    let yates = yates.min((xf - nf * 0.5).abs());
    let z22n = z * z / (2.0 * nf);
    let centre_up = estimate + yates / nf;
    let upper = if centre_up >= 1.0 {
        1.0
    } else {
        (centre_up + z22n + z * (centre_up * (1.0 - centre_up) / nf + z22n / (2.0 * nf)).sqrt())
            / (1.0 + 2.0 * z22n)
    };
    let centre_down = estimate - yates / nf;
    let lower = if centre_down <= 0.0 {
        0.0
    } else {
        (centre_down + z22n
            - z * (centre_down * (1.0 - centre_down) / nf + z22n / (2.0 * nf)).sqrt())
            / (1.0 + 2.0 * z22n)
    };
    (lower.max(0.0), upper.min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::assert_rel;

    #[test]
    fn chi_squared_matches_r() {
        // c <- chisq.test(matrix(c(10, 3, 5, 12), 2)); sprintf('%.17g', c(c$statistic, c$p.value))
        let c = chi_squared(&[vec![10, 5], vec![3, 12]], true);
        assert_rel(c.statistic, 4.886877828054299, 1e-15, "yates");
        assert_rel(c.p_value, 0.027061581911647186, 1e-14, "p");
        // chisq.test(matrix(c(10, 3, 5, 12), 2), correct = FALSE)
        let c = chi_squared(&[vec![10, 5], vec![3, 12]], false);
        assert_rel(c.statistic, 6.6515837104072393, 1e-15, "plain");
        // chisq.test(matrix(c(12, 5, 7, 3, 9, 10, 4, 6, 15), 3))
        let c = chi_squared(&[vec![12, 3, 4], vec![5, 9, 6], vec![7, 10, 15]], true);
        assert_rel(c.statistic, 11.805636114433812, 1e-15, "3x3");
        assert_eq!(c.df, 4.0);
        assert_rel(c.p_value, 0.0188566750275743, 1e-14, "3x3 p");
        assert_eq!(c.small_expected, 0);
    }

    #[test]
    fn prop_test_matches_r() {
        // p <- prop.test(c(15, 5), c(20, 20)); sprintf('%.17g', c(p$statistic, p$p.value, p$conf.int))
        let t = prop_test_two([15, 5], [20, 20], Alternative::TwoSided, 0.95, true);
        assert_rel(t.statistic, 8.0999999999999996, 1e-15, "X2");
        assert_rel(t.p_value, 0.0044265258579198295, 1e-14, "p");
        assert_rel(t.conf_int.0, 0.18162087844242653, 1e-14, "lo");
        assert_rel(t.conf_int.1, 0.81837912155757353, 1e-14, "hi");
        // prop.test(c(3, 9), c(11, 14), correct = FALSE, alternative = "less")
        let t = prop_test_two([3, 9], [11, 14], Alternative::Less, 0.95, false);
        assert_rel(t.statistic, 3.3809940059940051, 1e-14, "X2 less");
        assert_rel(t.p_value, 0.032976133937667317, 1e-13, "p less");
        assert_rel(t.conf_int.1, -0.064917663185474039, 1e-13, "hi less");
    }

    #[test]
    fn wilson_matches_r_prop_test() {
        // sprintf('%.17g', prop.test(7, 20)$conf.int); prop.test(0, 9)$conf.int; prop.test(10, 20)$conf.int
        let (lo, hi) = wilson_interval(7, 20, 0.95, true);
        assert_rel(lo, 0.1630866797163093, 1e-14, "lo");
        assert_rel(hi, 0.59051043384857327, 1e-14, "hi");
        assert_eq!(wilson_interval(0, 9, 0.95, true).0, 0.0);
        assert_rel(
            wilson_interval(0, 9, 0.95, true).1,
            0.37119026341676886,
            1e-14,
            "hi0",
        );
        let (lo, hi) = wilson_interval(10, 20, 0.95, true);
        assert_rel(lo, 0.2992980081982124, 1e-14, "lo half");
        assert_rel(hi, 0.70070199180178772, 1e-14, "hi half");
    }
}
