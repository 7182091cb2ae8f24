//! The four- and five-parameter logistic curves of immunoassay standard
//! curves, their gradients, inverse and starting values.
//!
//! Parameterisation (Gottschalk & Dunn 2005, Anal. Biochem. 343:54–65; the
//! form of R `drc`'s `LL.5` with the slope's sign reversed):
//!
//! ```text
//! 5PL: y = d + (a − d) / (1 + (x/c)^b)^g        4PL: g = 1
//! ```
//!
//! `a` is the response at zero concentration, `d` the response at infinite
//! concentration, `c` the inflection concentration (the EC50 of the 4PL),
//! `b` the slope (Hill) factor and `g` the asymmetry. The parameter vector is
//! ordered `[a, b, c, d]` or `[a, b, c, d, g]`.

/// Which logistic model is fitted: `y = d + (a − d)/(1 + (x/c)^b)^g` with
/// parameters `[a, b, c, d, g]` (5PL) or `g = 1` and `[a, b, c, d]` (4PL);
/// `a` = response at zero concentration, `d` = at infinite concentration,
/// `c` = inflection concentration, `b` = slope, `g` = asymmetry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// Four-parameter logistic.
    FourPl,
    /// Five-parameter logistic.
    FivePl,
}

impl Model {
    /// Number of parameters (4 or 5).
    pub fn n_parameters(self) -> usize {
        match self {
            Model::FourPl => 4,
            Model::FivePl => 5,
        }
    }

    /// Parameter names in vector order.
    pub fn parameter_names(self) -> &'static [&'static str] {
        match self {
            Model::FourPl => &["a", "b", "c", "d"],
            Model::FivePl => &["a", "b", "c", "d", "g"],
        }
    }

    /// `"4PL"` or `"5PL"`.
    pub fn label(self) -> &'static str {
        match self {
            Model::FourPl => "4PL",
            Model::FivePl => "5PL",
        }
    }

    /// The formula, as written in output tables.
    pub fn formula(self) -> &'static str {
        match self {
            Model::FourPl => "y = d + (a - d) / (1 + (x/c)^b)",
            Model::FivePl => "y = d + (a - d) / (1 + (x/c)^b)^g",
        }
    }

    /// Fewest distinct standard concentrations accepted for a fit.
    pub fn min_standards(self) -> usize {
        self.n_parameters()
    }
}

/// The logistic response at concentration `x` (4 or 5 parameters).
///
/// ```
/// use osteon_assay::elisa::logistic;
/// // At x = c the 4PL is halfway between a and d.
/// assert_eq!(logistic(10.0, &[0.1, 1.3, 10.0, 2.1]), 1.1);
/// ```
pub fn logistic(x: f64, p: &[f64]) -> f64 {
    let (a, b, c, d) = (p[0], p[1], p[2], p[3]);
    let u = (x / c).powf(b);
    match p.get(4) {
        None => d + (a - d) / (1.0 + u),
        Some(&g) => d + (a - d) / (1.0 + u).powf(g),
    }
}

/// `∂y/∂p` at `x`, written into `out` (same length as `p`).
pub fn logistic_gradient(x: f64, p: &[f64], out: &mut [f64]) {
    let (a, b, c, d) = (p[0], p[1], p[2], p[3]);
    let u = (x / c).powf(b);
    let log_ratio = (x / c).ln();
    match p.get(4) {
        None => {
            let s = 1.0 / (1.0 + u);
            let s2 = (a - d) * u / ((1.0 + u) * (1.0 + u));
            out[0] = s;
            out[1] = -s2 * log_ratio;
            out[2] = s2 * (b / c);
            out[3] = 1.0 - s;
        }
        Some(&g) => {
            let s = 1.0 / (1.0 + u).powf(g);
            let s2 = (a - d) * g * u / (1.0 + u).powf(g + 1.0);
            out[0] = s;
            out[1] = -s2 * log_ratio;
            out[2] = s2 * (b / c);
            out[3] = 1.0 - s;
            out[4] = -(a - d) * (1.0 + u).ln() * s;
        }
    }
}

/// Reading a concentration off the curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reading {
    /// The concentration at which the curve gives the signal.
    Concentration(f64),
    /// The signal is at or beyond the zero-concentration asymptote: the curve
    /// never reaches it at any positive concentration.
    BelowCurve,
    /// The signal is at or beyond the infinite-concentration asymptote.
    AboveCurve,
}

/// The concentration whose response is `y`:
/// `x = c ((((a − d)/(y − d))^(1/g)) − 1)^(1/b)`, or where `y` lies relative
/// to the asymptotes when no positive concentration gives it.
///
/// ```
/// use osteon_assay::elisa::{inverse_logistic, logistic, Reading};
/// let p = [0.05, 1.2, 40.0, 2.5, 0.8];
/// let Reading::Concentration(x) = inverse_logistic(logistic(12.5, &p), &p) else { panic!() };
/// assert!((x - 12.5).abs() < 1e-10);
/// assert_eq!(inverse_logistic(0.01, &p), Reading::BelowCurve);
/// ```
pub fn inverse_logistic(y: f64, p: &[f64]) -> Reading {
    let (a, b, c, d) = (p[0], p[1], p[2], p[3]);
    let g = p.get(4).copied().unwrap_or(1.0);
    // Responses at zero and at infinite concentration.
    let (y_zero, y_infinite) = if b > 0.0 { (a, d) } else { (d, a) };
    let position = (y - y_zero) / (y_infinite - y_zero);
    if position.is_nan() || position <= 0.0 {
        return Reading::BelowCurve;
    }
    if position >= 1.0 {
        return Reading::AboveCurve;
    }
    let ratio = (a - d) / (y - d);
    let inner = if g == 1.0 {
        ratio - 1.0
    } else {
        ratio.powf(1.0 / g) - 1.0
    };
    let x = c * inner.powf(1.0 / b);
    if x.is_finite() && x > 0.0 {
        Reading::Concentration(x)
    } else if x.is_finite() {
        Reading::BelowCurve
    } else {
        Reading::AboveCurve
    }
}

/// The documented starting values of the 4PL fit, from the standard levels
/// `(concentration, mean blank-corrected signal)` sorted by concentration:
///
/// 1. `a₀` = mean signal of the lowest standard, `d₀` = of the highest;
/// 2. `b₀`, `c₀` from the least-squares line of the logit
///    `ln((y − a₀)/(d₀ − y)) = b ln x − b ln c` over the levels whose mean
///    signal lies strictly between `a₀` and `d₀`: `b₀` = slope,
///    `c₀ = exp(−intercept/b₀)`;
/// 3. with fewer than two such levels, or a non-finite or zero slope:
///    `b₀ = 1` and `c₀` = geometric mean of the lowest and highest standard
///    concentrations.
///
/// The 5PL starts from the converged 4PL with `g₀ = 1` (from these values
/// with `g₀ = 1` when the 4PL did not converge).
pub fn start_values(levels: &[(f64, f64)]) -> [f64; 4] {
    let (x_low, a0) = levels[0];
    let (x_high, d0) = levels[levels.len() - 1];
    let (low, high) = if a0 < d0 { (a0, d0) } else { (d0, a0) };
    let points: Vec<(f64, f64)> = levels
        .iter()
        .filter(|&&(_, y)| y > low && y < high)
        .map(|&(x, y)| (x.ln(), ((y - a0) / (d0 - y)).ln()))
        .collect();
    let fallback = [a0, 1.0, (x_low * x_high).sqrt(), d0];
    if points.len() < 2 {
        return fallback;
    }
    let n = points.len() as f64;
    let mean_u = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_z = points.iter().map(|p| p.1).sum::<f64>() / n;
    let mut sxx = 0.0;
    let mut sxz = 0.0;
    for &(u, z) in &points {
        sxx += (u - mean_u) * (u - mean_u);
        sxz += (u - mean_u) * (z - mean_z);
    }
    let slope = sxz / sxx;
    let intercept = mean_z - slope * mean_u;
    let c0 = (-intercept / slope).exp();
    if !slope.is_finite() || slope == 0.0 || !c0.is_finite() || c0 <= 0.0 {
        return fallback;
    }
    [a0, slope, c0, d0]
}
