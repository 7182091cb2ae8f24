//! Kaplan–Meier survival curves (Kaplan & Meier 1958) with Greenwood
//! variance, the Nelson–Aalen cumulative hazard, pointwise confidence
//! intervals, medians and quantiles, as R `survival` 3.5.3 computes them:
//! `survfit(Surv(time, status) ~ group)` (`survfitKM` and its C routine
//! `survfitkm`, `stype = 1, ctype = 1`), `print.survfit` (median and its
//! limits through `survmean`) and `quantile.survfit`.
//!
//! At each distinct time `t` (event or censoring) with `n` at risk and `d`
//! events: `S(t) = Π (n − d)/n`, `var log S = Σ d/(n(n − d))` (Greenwood),
//! `H(t) = Σ d/n`, `var H = Σ d/n²`. [`KmCurve::std_err`] is R's
//! `fit$std.err`, the standard error of `log S` (equivalently of the
//! cumulative hazard `−log S`); `summary(fit)$std.err`, the standard error of
//! `S` itself, is [`KmCurve::std_err_surv`] (`S · std.err`).

use super::confint::{confidence_limits, ConfType};
use super::{
    check_level, check_times, order, split_by_group, working_times, Grouping, SurvivalError,
};

/// Options of [`kaplan_meier`]; the defaults are `survfit`'s.
#[derive(Debug, Clone, PartialEq)]
pub struct KmOptions {
    /// Confidence interval transformation (`conf.type`, default `"log"`).
    pub conf_type: ConfType,
    /// Confidence level (`conf.int`, default 0.95).
    pub conf_level: f64,
    /// Merge near-equal times first (`timefix = TRUE`).
    pub timefix: bool,
}

impl Default for KmOptions {
    fn default() -> Self {
        KmOptions {
            conf_type: ConfType::Log,
            conf_level: 0.95,
            timefix: true,
        }
    }
}

/// One Kaplan–Meier curve: the rows of a `survfit` object for one stratum,
/// one per distinct time (event or censoring).
#[derive(Debug, Clone, PartialEq)]
pub struct KmCurve {
    /// The stratum label.
    pub label: String,
    /// Number of observations (`records`).
    pub n: usize,
    /// Distinct times, increasing.
    pub time: Vec<f64>,
    /// Number at risk just before each time.
    pub n_risk: Vec<usize>,
    /// Number of events at each time.
    pub n_event: Vec<usize>,
    /// Number censored at each time.
    pub n_censor: Vec<usize>,
    /// Kaplan–Meier survival just after each time.
    pub surv: Vec<f64>,
    /// Standard error of `log S` (Greenwood), R's `fit$std.err`; `Inf` once
    /// everyone at risk has had the event.
    pub std_err: Vec<f64>,
    /// Nelson–Aalen cumulative hazard.
    pub cumhaz: Vec<f64>,
    /// Standard error of the cumulative hazard (`std.chaz`).
    pub std_chaz: Vec<f64>,
    /// Lower confidence limit of the survival (NaN where undefined).
    pub lower: Vec<f64>,
    /// Upper confidence limit of the survival (NaN where undefined).
    pub upper: Vec<f64>,
    /// The transformation the limits use.
    pub conf_type: ConfType,
    /// The confidence level of the limits.
    pub conf_level: f64,
}

/// Median survival with its confidence limits, as `print(survfit)` shows
/// them (NaN where a curve never reaches 0.5).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MedianSurvival {
    /// The median.
    pub median: f64,
    /// Where the lower confidence curve reaches 0.5 (`0.95LCL`).
    pub lower: f64,
    /// Where the upper confidence curve reaches 0.5 (`0.95UCL`).
    pub upper: f64,
}

/// Survival-time quantiles with confidence limits (`quantile.survfit`).
#[derive(Debug, Clone, PartialEq)]
pub struct Quantiles {
    /// The probabilities asked for (of having had the event).
    pub probs: Vec<f64>,
    /// The quantiles (NaN where not reached).
    pub quantile: Vec<f64>,
    /// Lower limits.
    pub lower: Vec<f64>,
    /// Upper limits.
    pub upper: Vec<f64>,
}

/// Kaplan–Meier curves, one per group (`survfit(Surv(time, event) ~ group)`;
/// use [`Grouping::single`] for `~ 1`). Groups without observations give an
/// empty curve (R drops them).
///
/// ```
/// use osteon_cohort::survival::{kaplan_meier, Grouping, KmOptions};
/// let time = [1.0, 2.0, 2.0, 3.0];
/// let event = [true, true, false, false];
/// let fit = kaplan_meier(&time, &event, &Grouping::single("all", 4), &KmOptions::default())?;
/// assert_eq!(fit[0].surv, [0.75, 0.5, 0.5]);
/// assert_eq!(fit[0].n_risk, [4, 3, 1]);
/// # Ok::<(), osteon_cohort::survival::SurvivalError>(())
/// ```
pub fn kaplan_meier(
    time: &[f64],
    event: &[bool],
    groups: &Grouping,
    options: &KmOptions,
) -> Result<Vec<KmCurve>, SurvivalError> {
    check_times(time, event.len(), "event")?;
    groups.check(time.len(), "group")?;
    check_level(options.conf_level)?;
    let time = working_times(time, options.timefix);
    Ok(split_by_group(groups, &time, event)
        .map(|(label, t, e)| km_curve(label, &t, &e, options))
        .collect())
}

/// The curve of one stratum (`survfitkm` with unit weights, no clustering).
fn km_curve(label: &str, time: &[f64], event: &[bool], options: &KmOptions) -> KmCurve {
    let sorted = order(time);
    let mut curve = KmCurve {
        label: label.to_string(),
        n: time.len(),
        time: Vec::new(),
        n_risk: Vec::new(),
        n_event: Vec::new(),
        n_censor: Vec::new(),
        surv: Vec::new(),
        std_err: Vec::new(),
        cumhaz: Vec::new(),
        std_chaz: Vec::new(),
        lower: Vec::new(),
        upper: Vec::new(),
        conf_type: options.conf_type,
        conf_level: options.conf_level,
    };
    // Counts per distinct time, walking backwards so that the number at risk
    // accumulates (as the C code does).
    let mut at_risk = 0usize;
    let mut position = sorted.len();
    while position > 0 {
        let t = time[sorted[position - 1]];
        let (mut events, mut censored) = (0usize, 0usize);
        while position > 0 && time[sorted[position - 1]] == t {
            at_risk += 1;
            if event[sorted[position - 1]] {
                events += 1;
            } else {
                censored += 1;
            }
            position -= 1;
        }
        curve.time.push(t);
        curve.n_risk.push(at_risk);
        curve.n_event.push(events);
        curve.n_censor.push(censored);
    }
    curve.time.reverse();
    curve.n_risk.reverse();
    curve.n_event.reverse();
    curve.n_censor.reverse();

    let (mut km, mut greenwood, mut nelson, mut nelson_var) = (1.0f64, 0.0f64, 0.0f64, 0.0f64);
    for (&n, &d) in curve.n_risk.iter().zip(&curve.n_event) {
        if d > 0 {
            let (n, d) = (n as f64, d as f64);
            nelson += d / n;
            nelson_var += d / (n * n);
            km *= (n - d) / n;
            greenwood += d / (n * (n - d));
        }
        curve.surv.push(km);
        curve.std_err.push(greenwood.sqrt());
        curve.cumhaz.push(nelson);
        curve.std_chaz.push(nelson_var.sqrt());
    }
    for (&s, &se) in curve.surv.iter().zip(&curve.std_err) {
        let (lo, hi) = confidence_limits(s, se, true, options.conf_type, options.conf_level);
        curve.lower.push(lo);
        curve.upper.push(hi);
    }
    curve
}

impl KmCurve {
    /// Standard error of the survival itself, `summary(fit)$std.err`
    /// (`surv × std.err`; NaN where the survival has reached 0).
    pub fn std_err_surv(&self) -> Vec<f64> {
        self.surv
            .iter()
            .zip(&self.std_err)
            .map(|(s, se)| s * se)
            .collect()
    }

    /// Total number of events.
    pub fn events(&self) -> usize {
        self.n_event.iter().sum()
    }

    /// Median survival and its limits as `print(survfit)` reports them
    /// (`survmean`'s rule: the first time the curve is below 0.5, or, when it
    /// sits at exactly 0.5 (within `sqrt(eps)`) on a flat stretch, the
    /// midpoint between the start of that stretch and the next drop).
    pub fn median(&self) -> MedianSurvival {
        MedianSurvival {
            median: first_below_half(&self.surv, &self.time),
            lower: first_below_half(&self.lower, &self.time),
            upper: first_below_half(&self.upper, &self.time),
        }
    }

    /// Quantiles of the survival time with confidence limits, as
    /// `quantile(fit, probs)` computes them (`findq`: interpolation
    /// tolerance `sqrt(eps)`, midpoints on flat stretches).
    pub fn quantiles(&self, probs: &[f64]) -> Quantiles {
        // The curve starts at time 0 (quantile.survfit's xmin).
        let x: Vec<f64> = std::iter::once(0.0)
            .chain(self.time.iter().copied())
            .collect();
        let one_minus = |v: &[f64]| -> Vec<f64> {
            std::iter::once(0.0)
                .chain(v.iter().map(|s| 1.0 - s))
                .collect()
        };
        Quantiles {
            probs: probs.to_vec(),
            quantile: find_quantiles(&x, &one_minus(&self.surv), probs),
            lower: find_quantiles(&x, &one_minus(&self.lower), probs),
            upper: find_quantiles(&x, &one_minus(&self.upper), probs),
        }
    }

    /// Number at risk at time `t`, as `summary(fit, times = t)$n.risk`
    /// reports it: the number at risk at the first recorded time ≥ `t`, 0
    /// beyond the last.
    pub fn n_risk_at(&self, t: f64) -> usize {
        let k = self.time.partition_point(|&x| x < t);
        self.n_risk.get(k).copied().unwrap_or(0)
    }

    /// The survival at time `t` (right-continuous step function; 1 before
    /// the first time).
    pub fn surv_at(&self, t: f64) -> f64 {
        let k = self.time.partition_point(|&x| x <= t);
        if k == 0 {
            1.0
        } else {
            self.surv[k - 1]
        }
    }
}

/// Numbers at risk of several curves at common times (e.g. the ticks of a
/// plot's time axis), `summary(fit, times = ticks)$n.risk` per stratum.
pub fn numbers_at_risk(curves: &[KmCurve], ticks: &[f64]) -> Vec<Vec<usize>> {
    curves
        .iter()
        .map(|c| ticks.iter().map(|&t| c.n_risk_at(t)).collect())
        .collect()
}

/// `survmean`'s `minmin(y, x)`: the first `x` where `y < 0.5` (with the
/// flat-at-0.5 midpoint rule); NaN when never reached.
fn first_below_half(y: &[f64], x: &[f64]) -> f64 {
    let tolerance = f64::EPSILON.sqrt();
    let kept: Vec<(f64, f64)> = y
        .iter()
        .zip(x)
        .filter(|(v, _)| !v.is_nan() && **v < 0.5 + tolerance)
        .map(|(&v, &t)| (v, t))
        .collect();
    let Some(&(y1, x1)) = kept.first() else {
        return f64::NAN;
    };
    if (y1 - 0.5).abs() < tolerance {
        if let Some(&(_, x2)) = kept.iter().find(|(v, _)| *v < y1) {
            return (x1 + x2) / 2.0;
        }
    }
    x1
}

/// `findq(x, y, p, tol)` from `quantile.survfit`: `x` are the times
/// (starting with the origin), `y` the cumulative event probabilities
/// (starting at 0, NaN allowed), `p` the probabilities.
fn find_quantiles(x: &[f64], y: &[f64], probs: &[f64]) -> Vec<f64> {
    let tol = f64::EPSILON.sqrt();
    let y_max = y
        .iter()
        .copied()
        .filter(|v| !v.is_nan())
        .fold(f64::NAN, f64::max);
    let p_min = probs.iter().copied().fold(f64::INFINITY, f64::min);
    if y_max < p_min {
        return vec![f64::NAN; probs.len()];
    }
    let x_max = *x.last().expect("at least the origin");
    // duplicated(y): keep the first of equal values (NaN equals NaN).
    let mut xs = Vec::with_capacity(x.len());
    let mut ys: Vec<f64> = Vec::with_capacity(y.len());
    for (&xv, &yv) in x.iter().zip(y) {
        let seen = ys.iter().any(|&u| u == yv || (u.is_nan() && yv.is_nan()));
        if !seen {
            xs.push(xv);
            ys.push(yv);
        }
    }
    let n = ys.len();
    let index_of = |shift: f64, p: f64| -> Option<usize> {
        let points: Vec<(f64, usize)> = ys
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.is_nan())
            .map(|(i, &v)| (v + shift, i))
            .collect();
        approx_constant_right(&points, p)
    };
    let x_at = |i: Option<usize>| i.map_or(f64::NAN, |i| xs[i]);
    probs
        .iter()
        .map(|&p| {
            let i1 = index_of(tol, p);
            let i2 = index_of(-tol, p);
            let mut q = (x_at(i1) + x_at(i2)) / 2.0;
            if p == 0.0 {
                q = xs[0];
            }
            let y_last = ys[n - 1];
            if !y_last.is_nan() && (p - y_last).abs() < tol {
                q = (x_at(i1) + x_max) / 2.0;
            }
            q
        })
        .collect()
}

/// `approx(x, y, v, method = "constant", f = 1)` for points sorted by `x`
/// (here strictly increasing): the `y` of the right end of the interval
/// holding `v`, `None` outside the range.
fn approx_constant_right(points: &[(f64, usize)], v: f64) -> Option<usize> {
    let n = points.len();
    if n == 0 || v < points[0].0 || v > points[n - 1].0 || v.is_nan() {
        return None;
    }
    let (mut i, mut j) = (0usize, n - 1);
    while i + 1 < j {
        let mid = (i + j) / 2;
        if v < points[mid].0 {
            j = mid;
        } else {
            i = mid;
        }
    }
    if v == points[j].0 {
        Some(points[j].1)
    } else if v == points[i].0 {
        Some(points[i].1)
    } else {
        Some(points[j].1)
    }
}

/// Vertices of a right-continuous step function for drawing: starts at
/// `(origin, start)`, then for each time where the value changes a
/// horizontal segment to that time and a vertical one to the new value, and
/// ends at the last time. NaN values (undefined confidence limits) are kept
/// as they are, for the drawing code to leave gaps.
///
/// ```
/// use osteon_cohort::survival::step_path;
/// let (x, y) = step_path(0.0, 1.0, &[1.0, 2.0, 3.0], &[0.5, 0.5, 0.25]);
/// assert_eq!(x, [0.0, 1.0, 1.0, 3.0, 3.0]);
/// assert_eq!(y, [1.0, 1.0, 0.5, 0.5, 0.25]);
/// ```
pub fn step_path(origin: f64, start: f64, time: &[f64], value: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let mut x = vec![origin];
    let mut y = vec![start];
    let mut current = start;
    for (&t, &v) in time.iter().zip(value) {
        if v != current && !(v.is_nan() && current.is_nan()) {
            x.push(t);
            y.push(current);
            x.push(t);
            y.push(v);
            current = v;
        }
    }
    if let Some(&last) = time.last() {
        if *x.last().expect("origin") != last {
            x.push(last);
            y.push(current);
        }
    }
    (x, y)
}

impl KmCurve {
    /// Vertices of the survival step function from `(0, 1)` to the last
    /// time, for drawing.
    pub fn step_path(&self) -> (Vec<f64>, Vec<f64>) {
        step_path(0.0, 1.0, &self.time, &self.surv)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::survival::fixtures::rel;

    fn fit(time: &[f64], event: &[bool], conf_type: ConfType) -> KmCurve {
        let options = KmOptions {
            conf_type,
            ..KmOptions::default()
        };
        kaplan_meier(time, event, &Grouping::single("all", time.len()), &options)
            .unwrap()
            .remove(0)
    }

    const T: [f64; 7] = [1.0, 2.0, 2.0, 3.0, 4.0, 4.0, 5.0];
    const E: [bool; 7] = [true, true, false, true, true, true, true];

    #[test]
    fn hand_checkable_curve_with_ties() {
        // n.risk 7 6 4 3 1; n.event 1 1 1 2 1; surv 6/7, 5/7, 5/7*3/4, ..., 0
        let c = fit(&T, &E, ConfType::LogLog);
        assert_eq!(c.time, [1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(c.n_risk, [7, 6, 4, 3, 1]);
        assert_eq!(c.n_event, [1, 1, 1, 2, 1]);
        assert_eq!(c.n_censor, [0, 1, 0, 0, 0]);
        assert_eq!(c.surv[1], 6.0 / 7.0 * (5.0 / 6.0));
        assert_eq!(c.surv[4], 0.0);
        // Greenwood: sqrt(1/42 + 1/30) at time 2
        assert_eq!(c.std_err[1], (1.0 / 42.0 + 1.0 / 30.0f64).sqrt());
        assert!(c.std_err[4].is_infinite());
        assert!(c.lower[4].is_nan() && c.upper[4].is_nan());
        // R: sprintf('%.17g', summary(fit, censored = TRUE)$std.err)
        let se = c.std_err_surv();
        assert!(rel(se[0], 0.13226001425322162) < 1e-15, "{}", se[0]);
        assert!(se[4].is_nan());
        // R: fit$lower[4], fit$upper[4] with conf.type = "log-log"
        assert!(
            rel(c.lower[3], 0.0083320165331776212) < 1e-14,
            "{}",
            c.lower[3]
        );
        assert!(
            rel(c.upper[3], 0.53799141860917987) < 1e-14,
            "{}",
            c.upper[3]
        );
    }

    #[test]
    fn median_follows_print_survfit() {
        // print(survfit(Surv(t, s) ~ 1, conf.type = "log-log")): median 4, LCL 1, UCL NA
        let m = fit(&T, &E, ConfType::LogLog).median();
        assert_eq!((m.median, m.lower), (4.0, 1.0));
        assert!(m.upper.is_nan());
    }

    #[test]
    fn median_on_a_flat_stretch_at_one_half_is_a_midpoint() {
        // survfit(Surv(c(1,2,3,4), c(1,1,0,1)) ~ 1): surv .75 .5 .5 0;
        // print gives median (2 + 4)/2 = 3; quantile(fit, .5) gives 3 too.
        let c = fit(
            &[1.0, 2.0, 3.0, 4.0],
            &[true, true, false, true],
            ConfType::Log,
        );
        assert_eq!(c.median().median, 3.0);
        assert_eq!(c.quantiles(&[0.5]).quantile, [3.0]);
        // quantile(fit, c(.25, .75)): 1.5 and 4
        assert_eq!(c.quantiles(&[0.25, 0.75]).quantile, [1.5, 4.0]);
    }

    #[test]
    fn quantiles_match_quantile_survfit() {
        // R: quantile(survfit(Surv(t, s) ~ 1, conf.type = "log-log"), c(.25, .5, .75))
        //   quantile 2 4 4; lower 1 1 3; upper 4 NA NA
        let q = fit(&T, &E, ConfType::LogLog).quantiles(&[0.25, 0.5, 0.75]);
        assert_eq!(q.quantile, [2.0, 4.0, 4.0]);
        assert_eq!(q.lower, [1.0, 1.0, 3.0]);
        assert_eq!(q.upper[0], 4.0);
        assert!(q.upper[1].is_nan() && q.upper[2].is_nan());
    }

    #[test]
    fn numbers_at_risk_at_ticks() {
        let c = fit(&T, &E, ConfType::Log);
        // summary(fit, times = c(0, 2, 2.5, 5, 6))$n.risk: 7 6 4 1 (6 is dropped by R)
        assert_eq!(
            numbers_at_risk(&[c], &[0.0, 2.0, 2.5, 5.0, 6.0]),
            [[7, 6, 4, 1, 0]]
        );
    }

    #[test]
    fn step_path_starts_at_one_and_ends_at_last_time() {
        let c = fit(&[1.0, 2.0, 3.0], &[true, false, true], ConfType::Log);
        let (x, y) = c.step_path();
        assert_eq!(x, [0.0, 1.0, 1.0, 3.0, 3.0]);
        assert_eq!(y, [1.0, 1.0, 2.0 / 3.0, 2.0 / 3.0, 0.0]);
    }

    #[test]
    fn groups_are_fitted_separately_and_empty_ones_are_empty() {
        let groups = Grouping {
            labels: vec!["a".into(), "b".into(), "c".into()],
            codes: vec![0, 1, 0, 1],
        };
        let fits = kaplan_meier(
            &[1.0, 2.0, 3.0, 4.0],
            &[true, true, true, false],
            &groups,
            &KmOptions::default(),
        )
        .unwrap();
        assert_eq!(fits[0].surv, [0.5, 0.0]);
        assert_eq!(fits[1].surv, [0.5, 0.5]);
        assert_eq!(fits[2].n, 0);
        assert!(fits[2].median().median.is_nan());
    }

    #[test]
    fn bad_level_is_an_error() {
        let options = KmOptions {
            conf_level: 1.5,
            ..KmOptions::default()
        };
        assert!(matches!(
            kaplan_meier(&[1.0], &[true], &Grouping::single("all", 1), &options),
            Err(SurvivalError::ConfLevel(_))
        ));
    }
}
