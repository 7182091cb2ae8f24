//! `scipy.optimize.curve_fit(f, x, y, p0, sigma, absolute_sigma = False,
//! method = "lm", jac = …)` (scipy 1.17): residuals `(f(xᵢ; p) − yᵢ)/σᵢ`
//! minimised by [`lmder`](super::lmder), covariance `(JᵀJ)⁻¹ · Σrᵢ²/(m − n)`.

use super::{lmder, Options, Status};

/// The result of [`curve_fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct CurveFit {
    /// Fitted parameters (`popt`).
    pub parameters: Vec<f64>,
    /// Parameter covariance (`pcov`), `n × n` row-major: `leastsq`'s
    /// `(JᵀJ)⁻¹` times the residual variance; all `+∞` when indeterminate
    /// (no convergence, singular factor, or no residual degrees of freedom).
    pub covariance: Vec<f64>,
    /// `√diag(pcov)`.
    pub standard_errors: Vec<f64>,
    /// Weighted residuals `(f(xᵢ) − yᵢ)/σᵢ` at the solution.
    pub residuals: Vec<f64>,
    /// `Σ rᵢ²` (scipy's `cost` before halving).
    pub sum_of_squares: f64,
    /// Residual degrees of freedom `m − n`.
    pub degrees_of_freedom: usize,
    /// `Σ rᵢ²/(m − n)`, the factor applied to `(JᵀJ)⁻¹` (NaN when `m ≤ n`).
    pub residual_variance: f64,
    /// Why the optimiser stopped.
    pub status: Status,
    /// Outer iterations (Jacobian evaluations).
    pub iterations: usize,
    /// Model evaluations over all points (`nfev`).
    pub evaluations: usize,
}

/// Fits `model(x, p)` to `(x, y)` by weighted least squares, as
/// `scipy.optimize.curve_fit(model, x, y, p0 = start, sigma = sigma,
/// jac = gradient, method = "lm")` does.
///
/// `gradient(x, p, g)` fills `∂model/∂pₖ` at one point. `sigma` holds the
/// standard deviation of each `y` (weights `1/σ²`); `None` means 1.
///
/// # Panics
/// If `x`, `y` and `sigma` differ in length (a programming error).
pub fn curve_fit<M, G>(
    model: M,
    gradient: G,
    x: &[f64],
    y: &[f64],
    sigma: Option<&[f64]>,
    start: &[f64],
    options: &Options,
) -> CurveFit
where
    M: Fn(f64, &[f64]) -> f64,
    G: Fn(f64, &[f64], &mut [f64]),
{
    let m = x.len();
    let n = start.len();
    assert_eq!(y.len(), m, "curve_fit: x and y differ in length");
    // scipy multiplies by `transform = 1/sigma` rather than dividing.
    let transform: Vec<f64> = match sigma {
        Some(s) => {
            assert_eq!(s.len(), m, "curve_fit: sigma and x differ in length");
            s.iter().map(|&v| 1.0 / v).collect()
        }
        None => vec![1.0; m],
    };
    let mut point_gradient = vec![0.0; n];
    let minimum = lmder(
        |p, r| {
            for i in 0..m {
                r[i] = transform[i] * (model(x[i], p) - y[i]);
            }
        },
        |p, jac| {
            for i in 0..m {
                gradient(x[i], p, &mut point_gradient);
                for k in 0..n {
                    jac[i + k * m] = transform[i] * point_gradient[k];
                }
            }
        },
        start,
        m,
        options,
    );
    let degrees_of_freedom = m.saturating_sub(n);
    let residual_variance = if m > n {
        minimum.sum_of_squares / degrees_of_freedom as f64
    } else {
        f64::NAN
    };
    let covariance = match &minimum.unscaled_covariance {
        Some(c) if m > n => c.iter().map(|v| v * residual_variance).collect(),
        _ => vec![f64::INFINITY; n * n],
    };
    let standard_errors = (0..n).map(|k| covariance[k * n + k].sqrt()).collect();
    CurveFit {
        parameters: minimum.parameters,
        covariance,
        standard_errors,
        residuals: minimum.residuals,
        sum_of_squares: minimum.sum_of_squares,
        degrees_of_freedom,
        residual_variance,
        status: minimum.status,
        iterations: minimum.iterations,
        evaluations: minimum.evaluations,
    }
}
