//! Two-sample location tests, ported from R 4.2's `t.test.default` and
//! `wilcox.test.default` (`src/library/stats/R/t.test.R`, `wilcox.test.R`)
//! with `conf.int = TRUE`, plus Hedges' g.
//!
//! * Student's and Welch's t (Welch 1947, Biometrika 34:28–35; Satterthwaite
//!   df) with R's confidence interval for the difference in means.
//! * Wilcoxon rank-sum / Mann–Whitney: exact p-value from the `pwilcox`
//!   distribution when both samples have < 50 values and there are no ties
//!   (R's default), otherwise the normal approximation with tie-corrected
//!   variance and (by default) a continuity correction. The Hodges–Lehmann
//!   location shift and its interval come, as in R, from the order
//!   statistics of the pairwise differences (exact case, Bauer 1972) or by
//!   inverting the normal approximation with `uniroot` (asymptotic case;
//!   the port of `uniroot` reproduces R's iterates, so the limits agree
//!   with R's although both are only within `tol.root = 1e-4` of the true
//!   step points).
//! * Hedges' g (Hedges 1981, J. Educ. Stat. 6:107–128): Cohen's d with the
//!   pooled SD times the exact small-sample factor
//!   J = Γ(df/2) / (√(df/2) Γ((df−1)/2)), df = n₁ + n₂ − 2; its interval is
//!   the normal approximation g ± z·SE with SE² = (n₁+n₂)/(n₁n₂) +
//!   g²/(2(n₁+n₂)) (Hedges & Olkin 1985, eq. 5.15).

use osteon_stats::distributions::{pnorm, pt, qnorm, qt};
use osteon_stats::exact_tests::root::{uniroot, RootError};
use osteon_stats::exact_tests::wilcoxon::{pwilcox_with, qwilcox_with, WilcoxonCounts};
use osteon_stats::exact_tests::Alternative;
use osteon_stats::special::lgammafn;
use osteon_stats::summary;

use super::descriptive::{r_var, rank_average, tie_sizes};
use super::Unavailable;

/// `wilcox.test`'s default `tol.root`.
const TOL_ROOT: f64 = 1e-4;

/// Exact Wilcoxon frequencies are tabulated only up to this many entries
/// (about (m·n)²/8 doubles; 50 × 50 needs 0.8 million).
const MAX_EXACT_TABLE: usize = 20_000_000;

/// The result of [`t_test`].
#[derive(Debug, Clone, PartialEq)]
pub struct TTest {
    /// R's method string ("Welch Two Sample t-test", " Two Sample t-test").
    pub method: &'static str,
    /// t statistic.
    pub statistic: f64,
    /// Degrees of freedom (Satterthwaite for Welch).
    pub df: f64,
    /// p-value.
    pub p_value: f64,
    /// mean(x) − mean(y).
    pub difference: f64,
    /// Confidence interval for the difference.
    pub conf_int: (f64, f64),
    /// Standard error of the difference.
    pub stderr: f64,
}

/// `t.test(x, y, var.equal = var_equal, alternative, conf.level)`.
///
/// ```
/// use osteon_cohort::compare::t_test;
/// use osteon_stats::exact_tests::Alternative;
/// let t = t_test(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0, 7.0], false, Alternative::TwoSided, 0.95).unwrap();
/// assert!((t.statistic - (-4.041_451_884_327_380_6)).abs() < 1e-12);
/// ```
pub fn t_test(
    x: &[f64],
    y: &[f64],
    var_equal: bool,
    alternative: Alternative,
    conf_level: f64,
) -> Result<TTest, Unavailable> {
    let (nx, ny) = (x.len(), y.len());
    let needed = if var_equal { 1 } else { 2 };
    if nx < needed {
        return Err(Unavailable::too_few("x", nx, needed));
    }
    if ny < needed {
        return Err(Unavailable::too_few("y", ny, needed));
    }
    if var_equal && nx + ny < 3 {
        return Err(Unavailable::TooFewInAll {
            n: nx + ny,
            needed: 3,
        });
    }
    let (nxf, nyf) = (nx as f64, ny as f64);
    let (mx, my) = (summary::mean(x), summary::mean(y));
    let (vx, vy) = (r_var(x), r_var(y));
    let (stderr, df) = if var_equal {
        let df = nxf + nyf - 2.0;
        let mut v = 0.0;
        if nx > 1 {
            v += (nxf - 1.0) * vx;
        }
        if ny > 1 {
            v += (nyf - 1.0) * vy;
        }
        v /= df;
        ((v * (1.0 / nxf + 1.0 / nyf)).sqrt(), df)
    } else {
        let stderrx = (vx / nxf).sqrt();
        let stderry = (vy / nyf).sqrt();
        let stderr = (stderrx * stderrx + stderry * stderry).sqrt();
        let df =
            stderr.powf(4.0) / (stderrx.powf(4.0) / (nxf - 1.0) + stderry.powf(4.0) / (nyf - 1.0));
        (stderr, df)
    };
    if stderr < 10.0 * f64::EPSILON * mx.abs().max(my.abs()) {
        return Err(Unavailable::Constant);
    }
    let tstat = (mx - my) / stderr;
    let (p_value, cint) = match alternative {
        Alternative::Less => (
            pt(tstat, df, true, false),
            (f64::NEG_INFINITY, tstat + qt(conf_level, df, true, false)),
        ),
        Alternative::Greater => (
            pt(tstat, df, false, false),
            (tstat - qt(conf_level, df, true, false), f64::INFINITY),
        ),
        Alternative::TwoSided => {
            let alpha = 1.0 - conf_level;
            let q = qt(1.0 - alpha / 2.0, df, true, false);
            (
                2.0 * pt(-tstat.abs(), df, true, false),
                (tstat - q, tstat + q),
            )
        }
    };
    Ok(TTest {
        method: if var_equal {
            " Two Sample t-test"
        } else {
            "Welch Two Sample t-test"
        },
        statistic: tstat,
        df,
        p_value,
        difference: mx - my,
        conf_int: (cint.0 * stderr, cint.1 * stderr),
        stderr,
    })
}

/// Hedges' g for x versus y with its normal-approximation interval (see
/// the module docs); `None` when fewer than 3 values in all or the pooled
/// SD is zero.
///
/// ```
/// use osteon_cohort::compare::hedges_g;
/// use osteon_stats::exact_tests::Alternative;
/// let (g, lo, hi) = hedges_g(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0, 7.0], Alternative::TwoSided, 0.95).unwrap();
/// assert!(g < 0.0 && lo < g && g < hi);
/// ```
pub fn hedges_g(
    x: &[f64],
    y: &[f64],
    alternative: Alternative,
    conf_level: f64,
) -> Option<(f64, f64, f64)> {
    let (nx, ny) = (x.len() as f64, y.len() as f64);
    let df = nx + ny - 2.0;
    if df < 2.0 || x.is_empty() || y.is_empty() {
        return None;
    }
    let mut pooled = 0.0;
    if x.len() > 1 {
        pooled += (nx - 1.0) * r_var(x);
    }
    if y.len() > 1 {
        pooled += (ny - 1.0) * r_var(y);
    }
    let sd = (pooled / df).sqrt();
    if sd.is_nan() || sd <= 0.0 {
        return None;
    }
    let d = (summary::mean(x) - summary::mean(y)) / sd;
    let correction =
        (lgammafn(df / 2.0) - (df / 2.0).sqrt().ln() - lgammafn((df - 1.0) / 2.0)).exp();
    let g = d * correction;
    let se = ((nx + ny) / (nx * ny) + g * g / (2.0 * (nx + ny))).sqrt();
    let (lo, hi) = match alternative {
        Alternative::TwoSided => {
            let z = qnorm((1.0 + conf_level) / 2.0, 0.0, 1.0, true, false);
            (g - z * se, g + z * se)
        }
        Alternative::Less => (
            f64::NEG_INFINITY,
            g + qnorm(conf_level, 0.0, 1.0, true, false) * se,
        ),
        Alternative::Greater => (
            g - qnorm(conf_level, 0.0, 1.0, true, false) * se,
            f64::INFINITY,
        ),
    };
    Some((g, lo, hi))
}

/// Options of [`wilcoxon_rank_sum`] (R's defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WilcoxonOptions {
    /// Alternative hypothesis.
    pub alternative: Alternative,
    /// Confidence level of the location-shift interval.
    pub conf_level: f64,
    /// Continuity correction in the normal approximation.
    pub correct: bool,
    /// Exact p-value: `None` = exact when both samples have < 50 values
    /// (and there are no ties), as R.
    pub exact: Option<bool>,
}

impl Default for WilcoxonOptions {
    fn default() -> Self {
        WilcoxonOptions {
            alternative: Alternative::TwoSided,
            conf_level: 0.95,
            correct: true,
            exact: None,
        }
    }
}

/// The result of [`wilcoxon_rank_sum`].
#[derive(Debug, Clone, PartialEq)]
pub struct Wilcoxon {
    /// R's method string.
    pub method: String,
    /// W = Σ ranks of x − n_x(n_x + 1)/2 (the Mann–Whitney U of x).
    pub statistic: f64,
    /// p-value.
    pub p_value: f64,
    /// Whether the exact distribution was used.
    pub exact: bool,
    /// Hodges–Lehmann estimate of the location shift x − y (NaN when it
    /// cannot be computed; see `notes`).
    pub estimate: f64,
    /// Confidence interval of the shift.
    pub conf_int: (f64, f64),
    /// Confidence level actually achieved (R lowers it when the exact
    /// interval cannot reach the requested one).
    pub conf_level: f64,
    /// R's warnings, in words.
    pub notes: Vec<String>,
}

/// `wilcox.test(x, y, alternative, exact, correct, conf.int = TRUE,
/// conf.level)`.
///
/// ```
/// use osteon_cohort::compare::{wilcoxon_rank_sum, WilcoxonOptions};
/// let w = wilcoxon_rank_sum(&[1.1, 2.2, 3.3], &[4.4, 5.5, 6.6, 7.7], &WilcoxonOptions::default()).unwrap();
/// assert_eq!(w.statistic, 0.0);
/// assert!((w.p_value - 2.0 / 35.0).abs() < 1e-15); // 2 * pwilcox(0, 3, 4)
/// ```
pub fn wilcoxon_rank_sum(
    x: &[f64],
    y: &[f64],
    options: &WilcoxonOptions,
) -> Result<Wilcoxon, Unavailable> {
    if x.is_empty() {
        return Err(Unavailable::too_few("x", 0, 1));
    }
    if y.is_empty() {
        return Err(Unavailable::too_few("y", 0, 1));
    }
    let alternative = options.alternative;
    let (nx, ny) = (x.len() as f64, y.len() as f64);
    let mut pooled = x.to_vec();
    pooled.extend_from_slice(y);
    let ranks = rank_average(&pooled);
    let statistic = summary::sum(&ranks[..x.len()]) - nx * (nx + 1.0) / 2.0;
    let ties = tie_sizes(&pooled).len() != pooled.len();
    let table_size = x.len().min(y.len()) * x.len() * y.len() * (x.len().max(y.len()) + 1) / 2;
    let mut exact = options.exact.unwrap_or(nx < 50.0 && ny < 50.0);
    let mut notes = Vec::new();
    if exact && !ties && table_size > MAX_EXACT_TABLE {
        notes.push(format!(
            "samples of {} and {} values are too large for the exact distribution; normal approximation used",
            x.len(),
            y.len()
        ));
        exact = false;
    }
    if exact && !ties {
        let mut counts = WilcoxonCounts::new(x.len(), y.len());
        let p_value = match alternative {
            Alternative::TwoSided => {
                let p = if statistic > nx * ny / 2.0 {
                    pwilcox_with(&mut counts, statistic - 1.0, nx, ny, false, false)
                } else {
                    pwilcox_with(&mut counts, statistic, nx, ny, true, false)
                };
                (2.0 * p).min(1.0)
            }
            Alternative::Greater => {
                pwilcox_with(&mut counts, statistic - 1.0, nx, ny, false, false)
            }
            Alternative::Less => pwilcox_with(&mut counts, statistic, nx, ny, true, false),
        };
        let (estimate, conf_int, conf_level) = exact_shift_interval(
            x,
            y,
            &mut counts,
            alternative,
            options.conf_level,
            &mut notes,
        );
        return Ok(Wilcoxon {
            method: "Wilcoxon rank sum exact test".to_string(),
            statistic,
            p_value,
            exact: true,
            estimate,
            conf_int,
            conf_level,
            notes,
        });
    }

    let n_ties = tie_sizes(&ranks);
    if n_ties.len() == 1 {
        // every value is the same: R's statistic is 0/0
        return Err(Unavailable::Constant);
    }
    let tie_term = tie_sum(&n_ties);
    let z = statistic - nx * ny / 2.0;
    let sigma =
        ((nx * ny / 12.0) * ((nx + ny + 1.0) - tie_term / ((nx + ny) * (nx + ny - 1.0)))).sqrt();
    let correction = if options.correct {
        continuity(alternative, z)
    } else {
        0.0
    };
    let z = (z - correction) / sigma;
    let p_value = match alternative {
        Alternative::Less => pnorm(z, 0.0, 1.0, true, false),
        Alternative::Greater => pnorm(z, 0.0, 1.0, false, false),
        Alternative::TwoSided => {
            2.0 * pnorm(z, 0.0, 1.0, true, false).min(pnorm(z, 0.0, 1.0, false, false))
        }
    };
    let (estimate, conf_int) = asymptotic_shift_interval(x, y, options, &mut notes);
    if exact && ties {
        notes.push("cannot compute exact p-value with ties; normal approximation used".to_string());
    }
    Ok(Wilcoxon {
        method: if options.correct {
            "Wilcoxon rank sum test with continuity correction".to_string()
        } else {
            "Wilcoxon rank sum test".to_string()
        },
        statistic,
        p_value,
        exact: false,
        estimate,
        conf_int,
        conf_level: options.conf_level,
        notes,
    })
}

/// R's `sum(NTIES^3 - NTIES)`.
fn tie_sum(sizes: &[f64]) -> f64 {
    let terms: Vec<f64> = sizes.iter().map(|&t| t.powf(3.0) - t).collect();
    summary::sum(&terms)
}

/// R's CORRECTION: sign(z)·0.5 two-sided, ±0.5 one-sided.
fn continuity(alternative: Alternative, z: f64) -> f64 {
    match alternative {
        Alternative::TwoSided => {
            if z > 0.0 {
                0.5
            } else if z < 0.0 {
                -0.5
            } else {
                0.0
            }
        }
        Alternative::Greater => 0.5,
        Alternative::Less => -0.5,
    }
}

/// The sorted pairwise differences x_i − y_j (R's `sort(outer(x, y, "-"))`).
fn sorted_differences(x: &[f64], y: &[f64]) -> Vec<f64> {
    let mut diffs = Vec::with_capacity(x.len() * y.len());
    for &b in y {
        for &a in x {
            diffs.push(a - b);
        }
    }
    diffs.sort_by(f64::total_cmp);
    diffs
}

/// The exact branch of R's `conf.int`: order statistics of the pairwise
/// differences at `qwilcox` positions.
fn exact_shift_interval(
    x: &[f64],
    y: &[f64],
    counts: &mut WilcoxonCounts,
    alternative: Alternative,
    conf_level: f64,
    notes: &mut Vec<String>,
) -> (f64, (f64, f64), f64) {
    let (nx, ny) = (x.len() as f64, y.len() as f64);
    let alpha = 1.0 - conf_level;
    let diffs = sorted_differences(x, y);
    let at = |position: f64| diffs[position as usize - 1];
    let first_position = |q: f64| if q == 0.0 { 1.0 } else { q };
    let (conf_int, achieved_alpha) = match alternative {
        Alternative::TwoSided => {
            let qu = first_position(qwilcox_with(counts, alpha / 2.0, nx, ny, true, false));
            let ql = nx * ny - qu;
            let achieved = 2.0 * pwilcox_with(counts, qu.trunc() - 1.0, nx, ny, true, false);
            ((at(qu), at(ql + 1.0)), achieved)
        }
        Alternative::Greater => {
            let qu = first_position(qwilcox_with(counts, alpha, nx, ny, true, false));
            let achieved = pwilcox_with(counts, qu.trunc() - 1.0, nx, ny, true, false);
            ((at(qu), f64::INFINITY), achieved)
        }
        Alternative::Less => {
            let qu = first_position(qwilcox_with(counts, alpha, nx, ny, true, false));
            let ql = nx * ny - qu;
            let achieved = pwilcox_with(counts, qu.trunc() - 1.0, nx, ny, true, false);
            ((f64::NEG_INFINITY, at(ql + 1.0)), achieved)
        }
    };
    let mut achieved_level = conf_level;
    if achieved_alpha - alpha > alpha / 2.0 {
        achieved_level = 1.0 - achieved_alpha;
        notes.push(format!(
            "requested conf.level not achievable; the interval has level {achieved_level}"
        ));
    }
    (summary::median(&diffs), conf_int, achieved_level)
}

/// The standardised rank-sum statistic of x − d against y (R's `W(d)` in
/// the asymptotic `conf.int` branch).
fn shifted_z(x: &[f64], y: &[f64], d: f64, alternative: Alternative, correct: bool) -> f64 {
    let (nx, ny) = (x.len() as f64, y.len() as f64);
    let mut pooled: Vec<f64> = x.iter().map(|&v| v - d).collect();
    pooled.extend_from_slice(y);
    let ranks = rank_average(&pooled);
    let tie_term = tie_sum(&tie_sizes(&ranks));
    let dz = summary::sum(&ranks[..x.len()]) - nx * (nx + 1.0) / 2.0 - nx * ny / 2.0;
    let correction = if correct {
        continuity(alternative, dz)
    } else {
        0.0
    };
    let sigma =
        ((nx * ny / 12.0) * ((nx + ny + 1.0) - tie_term / ((nx + ny) * (nx + ny - 1.0)))).sqrt();
    (dz - correction) / sigma
}

/// The asymptotic branch of R's `conf.int`: invert the normal
/// approximation with `uniroot`.
fn asymptotic_shift_interval(
    x: &[f64],
    y: &[f64],
    options: &WilcoxonOptions,
    notes: &mut Vec<String>,
) -> (f64, (f64, f64)) {
    let alternative = options.alternative;
    let alpha = 1.0 - options.conf_level;
    let max = |v: &[f64]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let mumin = min(x) - max(y);
    let mumax = max(x) - min(y);
    let w = |d: f64| shifted_z(x, y, d, alternative, options.correct);
    let w_min = w(mumin);
    let w_max = w(mumax);
    if !w_min.is_finite() || !w_max.is_finite() {
        notes.push("cannot compute confidence interval when all observations are tied".to_string());
    }
    let root = |zq: f64| -> Result<f64, RootError> {
        let f_lower = w_min - zq;
        if f_lower <= 0.0 {
            return Ok(mumin);
        }
        let f_upper = w_max - zq;
        if f_upper >= 0.0 {
            return Ok(mumax);
        }
        uniroot(
            |d| w(d) - zq,
            mumin,
            mumax,
            Some(f_lower),
            Some(f_upper),
            TOL_ROOT,
        )
        .map(|r| r.root)
    };
    let limits = match alternative {
        Alternative::TwoSided => root(qnorm(alpha / 2.0, 0.0, 1.0, false, false))
            .and_then(|l| root(qnorm(alpha / 2.0, 0.0, 1.0, true, false)).map(|u| (l, u))),
        Alternative::Greater => {
            root(qnorm(alpha, 0.0, 1.0, false, false)).map(|l| (l, f64::INFINITY))
        }
        Alternative::Less => {
            root(qnorm(alpha, 0.0, 1.0, true, false)).map(|u| (f64::NEG_INFINITY, u))
        }
    };
    let conf_int = limits.unwrap_or_else(|e| {
        notes.push(format!("confidence interval not computable ({e})"));
        (f64::NAN, f64::NAN)
    });
    // R sets correct <- FALSE before estimating the shift.
    let estimate = uniroot(
        |d| shifted_z(x, y, d, alternative, false),
        mumin,
        mumax,
        None,
        None,
        TOL_ROOT,
    )
    .map(|r| r.root)
    .unwrap_or_else(|e| {
        notes.push(format!("Hodges-Lehmann estimate not computable ({e})"));
        f64::NAN
    });
    (estimate, conf_int)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::assert_rel;

    const X: [f64; 5] = [12.1, 14.3, 9.8, 15.2, 13.0];
    const Y: [f64; 7] = [8.2, 10.1, 7.7, 11.4, 9.0, 12.5, 6.9];

    #[test]
    fn t_tests_match_r() {
        // t <- t.test(x, y); sprintf('%.17g', c(t$statistic, t$parameter, t$p.value, t$conf.int))
        let t = t_test(&X, &Y, false, Alternative::TwoSided, 0.95).unwrap();
        assert_rel(t.statistic, 2.8733568369854807, 1e-14, "welch t");
        assert_rel(t.df, 8.610503132965885, 1e-14, "welch df");
        assert_rel(t.p_value, 0.019213325946350449, 1e-13, "welch p");
        assert_rel(t.conf_int.0, 0.72123169333331549, 1e-13, "welch lo");
        assert_rel(t.conf_int.1, 6.2387683066666861, 1e-13, "welch hi");
        // t.test(x, y, var.equal = TRUE, alternative = "greater", conf.level = 0.9)
        let t = t_test(&X, &Y, true, Alternative::Greater, 0.9).unwrap();
        assert_rel(t.statistic, 2.8880598626886576, 1e-14, "student t");
        assert_eq!(t.df, 10.0);
        assert_rel(t.p_value, 0.0080803998771650214, 1e-13, "student p");
        assert_rel(t.conf_int.0, 1.8265719901600428, 1e-13, "student lo");
        assert_eq!(t.conf_int.1, f64::INFINITY);
    }

    #[test]
    fn t_test_refuses_what_r_refuses() {
        assert_eq!(
            t_test(&[1.0], &Y, false, Alternative::TwoSided, 0.95),
            Err(Unavailable::too_few("x", 1, 2))
        );
        assert!(t_test(&[1.0], &Y, true, Alternative::TwoSided, 0.95).is_ok());
        assert_eq!(
            t_test(
                &[2.0, 2.0],
                &[2.0, 2.0, 2.0],
                false,
                Alternative::TwoSided,
                0.95
            ),
            Err(Unavailable::Constant)
        );
    }

    #[test]
    fn wilcoxon_exact_matches_r() {
        // w <- wilcox.test(x, y, conf.int = TRUE)
        // sprintf('%.17g', c(w$statistic, w$p.value, w$estimate, w$conf.int))
        let w = wilcoxon_rank_sum(&X, &Y, &WilcoxonOptions::default()).unwrap();
        assert!(w.exact);
        assert_eq!(w.statistic, 31.0);
        assert_rel(w.p_value, 0.030303030303030304, 1e-15, "p");
        assert_rel(w.estimate, 3.7999999999999989, 1e-15, "hl");
        assert_rel(w.conf_int.0, 0.69999999999999929, 1e-15, "lo");
        assert_rel(w.conf_int.1, 6.1999999999999993, 1e-15, "hi");
    }

    #[test]
    fn wilcoxon_on_identical_values_is_unavailable() {
        let options = WilcoxonOptions::default();
        assert_eq!(
            wilcoxon_rank_sum(&[2.0, 2.0], &[2.0, 2.0, 2.0], &options),
            Err(Unavailable::Constant)
        );
    }

    #[test]
    fn wilcoxon_with_ties_matches_r() {
        // x <- c(1, 2, 2, 3, 5); y <- c(2, 3, 3, 4, 6, 7)
        // w <- wilcox.test(x, y, conf.int = TRUE)
        let (x, y) = ([1.0, 2.0, 2.0, 3.0, 5.0], [2.0, 3.0, 3.0, 4.0, 6.0, 7.0]);
        let w = wilcoxon_rank_sum(&x, &y, &WilcoxonOptions::default()).unwrap();
        assert!(!w.exact);
        assert_eq!(w.statistic, 7.0);
        assert_rel(w.p_value, 0.16304505585423726, 1e-14, "p");
        assert_rel(w.estimate, -1.0000306900265861, 1e-12, "hl");
        assert_rel(w.conf_int.0, -4.9999348452589851, 1e-12, "lo");
        assert_rel(w.conf_int.1, 1.0000471204201333, 1e-12, "hi");
    }
}
