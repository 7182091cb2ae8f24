//! Pointwise confidence limits for survival and state probabilities, as R
//! `survival`'s internal `survfit_confint()` (survival 3.5.3) computes them
//! for `survfit` objects.
//!
//! With `z = qnorm(1 − (1 − level)/2)`, a probability `p` and the standard
//! error `s` of `log p`:
//!
//! - `log`:     `exp(log p ∓ z s)`, upper limit capped at 1;
//! - `log-log`: `exp(−exp(log(−log p) ∓ z s / log p))` (Kalbfleisch &
//!   Prentice), undefined at `p = 0` and `p = 1`;
//! - `plain`:   `p ∓ z s p`, clipped to [0, 1];
//! - `logit`:   `1 − 1/(1 + exp(log(p/(1−p)) ∓ z s (1 + p/(1−p))))`;
//! - `arcsin`:  `sin²(asin √p ∓ ½ z s √(p/(1−p)))`, clipped to [0, π/2]
//!   inside the sine.
//!
//! Undefined limits are NaN (R's `NA`). The arithmetic follows R's
//! expressions operation by operation, including NaN propagation through
//! `pmin`/`pmax`.

use osteon_stats::distributions::qnorm;

/// The transformation used for pointwise confidence intervals (`conf.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConfType {
    /// `conf.type = "log"`, R's default for `survfit`.
    #[default]
    Log,
    /// `conf.type = "log-log"`.
    LogLog,
    /// `conf.type = "plain"`.
    Plain,
    /// `conf.type = "logit"`.
    Logit,
    /// `conf.type = "arcsin"`.
    Arcsin,
    /// `conf.type = "none"`: limits are NaN.
    None,
}

impl ConfType {
    /// The name R uses for it.
    pub fn r_name(self) -> &'static str {
        match self {
            ConfType::Log => "log",
            ConfType::LogLog => "log-log",
            ConfType::Plain => "plain",
            ConfType::Logit => "logit",
            ConfType::Arcsin => "arcsin",
            ConfType::None => "none",
        }
    }
}

/// R's `pmax(x, y)`: NaN when either is NaN.
fn pmax(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        f64::NAN
    } else {
        x.max(y)
    }
}

/// R's `pmin(x, y)`: NaN when either is NaN.
fn pmin(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        f64::NAN
    } else {
        x.min(y)
    }
}

/// The normal quantile R uses for a two-sided level: `qnorm(1 − (1 − level)/2)`.
pub(crate) fn z_value(level: f64) -> f64 {
    qnorm(1.0 - (1.0 - level) / 2.0, 0.0, 1.0, true, false)
}

/// Lower and upper limits for probability `p` with standard error `se`.
/// `se_is_log` says whether `se` is the standard error of `log p` (as for
/// Kaplan–Meier, R's `logse = TRUE`) or of `p` itself (Aalen–Johansen,
/// `logse = FALSE`, converted as `se/p`, with 0 kept at 0).
///
/// ```
/// use osteon_cohort::survival::{confidence_limits, ConfType};
/// // survfit(Surv(c(1,2,2,3,4,4,5), c(1,1,0,1,1,1,1)) ~ 1, conf.type = "log-log")
/// // at time 1: surv 6/7, std.err 0.1543033499620919
/// let (lo, hi) = confidence_limits(6.0 / 7.0, 0.15430334996209191, true, ConfType::LogLog, 0.95);
/// assert!((lo - 0.33405387929222219).abs() < 1e-15 && (hi - 0.97856105852617548).abs() < 1e-15);
/// ```
pub fn confidence_limits(
    p: f64,
    se: f64,
    se_is_log: bool,
    conf_type: ConfType,
    level: f64,
) -> (f64, f64) {
    let zval = z_value(level);
    let se = if se_is_log {
        se
    } else if se == 0.0 {
        0.0
    } else {
        se / p
    };
    let na = f64::NAN;
    match conf_type {
        ConfType::None => (na, na),
        ConfType::Plain => {
            let se2 = se * p * zval;
            (pmax(p - se2, 0.0), pmin(p + se2, 1.0))
        }
        ConfType::Log => {
            let xx = if p == 0.0 { na } else { p };
            let se2 = zval * se;
            ((xx.ln() - se2).exp(), pmin((xx.ln() + se2).exp(), 1.0))
        }
        ConfType::LogLog => {
            let xx = if p == 0.0 || p == 1.0 { na } else { p };
            let se2 = zval * se / xx.ln();
            let centre = (-xx.ln()).ln();
            ((-(centre - se2).exp()).exp(), (-(centre + se2).exp()).exp())
        }
        ConfType::Logit => {
            let xx = if p == 0.0 { na } else { p };
            let se2 = zval * se * (1.0 + xx / (1.0 - xx));
            let centre = (p / (1.0 - p)).ln();
            (
                1.0 - 1.0 / (1.0 + (centre - se2).exp()),
                1.0 - 1.0 / (1.0 + (centre + se2).exp()),
            )
        }
        ConfType::Arcsin => {
            let xx = if p == 0.0 { na } else { p };
            let se2 = 0.5 * zval * se * (xx / (1.0 - xx)).sqrt();
            let centre = xx.sqrt().asin();
            let lower = pmax(0.0, centre - se2).sin();
            let upper = pmin(std::f64::consts::FRAC_PI_2, centre + se2).sin();
            (lower * lower, upper * upper)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // survfit(Surv(c(1,2,2,3,4,4,5), c(1,1,0,1,1,1,1)) ~ 1, conf.type = ...)
    // at time 3: surv 0.5357142857142857, std.err sprintf('%.17g') below.
    const P: f64 = 0.5357142857142857;
    const SE: f64 = 0.37480153478366451;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-14 * b.abs()
    }

    #[test]
    fn matches_survfit_for_each_type() {
        // R: sprintf('%.17g', unlist(fit[3][c("lower", "upper")])) per conf.type
        let cases = [
            (ConfType::Log, 0.25698133617804808, 1.0),
            (ConfType::LogLog, 0.13198817696263873, 0.82499704203971369),
            (ConfType::Plain, 0.14217990561090077, 0.92924866581767063),
            (ConfType::Logit, 0.1916833355313512, 0.84881164514994167),
            (ConfType::Arcsin, 0.17121271776957667, 0.87910838849938033),
        ];
        for (t, lo, hi) in cases {
            let (l, h) = confidence_limits(P, SE, true, t, 0.95);
            assert!(close(l, lo) && close(h, hi), "{t:?}: {l} {h}");
        }
    }

    #[test]
    fn undefined_limits_are_nan() {
        let (l, h) = confidence_limits(1.0, 0.0, true, ConfType::LogLog, 0.95);
        assert!(l.is_nan() && h.is_nan());
        let (l, h) = confidence_limits(0.0, f64::INFINITY, true, ConfType::Log, 0.95);
        assert!(l.is_nan() && h.is_nan());
        // plain at p = 0 with infinite se: 0 * Inf is NaN, and pmax keeps it.
        let (l, _) = confidence_limits(0.0, f64::INFINITY, true, ConfType::Plain, 0.95);
        assert!(l.is_nan());
        let (l, h) = confidence_limits(1.0, 0.0, true, ConfType::Log, 0.95);
        assert_eq!((l, h), (1.0, 1.0));
    }

    #[test]
    fn raw_scale_standard_error_is_divided_by_p() {
        let (l1, h1) = confidence_limits(0.2, 0.05, false, ConfType::Log, 0.95);
        let (l2, h2) = confidence_limits(0.2, 0.25, true, ConfType::Log, 0.95);
        assert_eq!((l1, h1), (l2, h2));
        let (l, h) = confidence_limits(0.0, 0.0, false, ConfType::Log, 0.95);
        assert!(l.is_nan() && h.is_nan());
    }
}
