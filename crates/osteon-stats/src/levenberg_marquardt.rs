//! Weighted nonlinear least squares by the Levenberg–Marquardt method, as
//! MINPACK's `lmder` computes it, and a `curve_fit` on top that reproduces
//! `scipy.optimize.curve_fit(method = "lm")` (scipy 1.17), covariance
//! included.
//!
//! Method: J. J. Moré (1978), "The Levenberg–Marquardt algorithm:
//! implementation and theory", in *Numerical Analysis*, Lecture Notes in
//! Mathematics 630, 105–116; the implementation ported is MINPACK-1 (Garbow,
//! Hillstrom and Moré, Argonne 1980): `lmder` (the trust-region driver with
//! automatic variable scaling by the Jacobian's column norms), `lmpar` (the
//! Levenberg–Marquardt parameter for a step bound), `qrfac` (Householder QR
//! with column pivoting), `qrsolv` (the regularised triangular solve by Givens
//! rotations) and `enorm` (the overflow-safe Euclidean norm), in the form
//! scipy's `leastsq` calls them. Every operation is performed in MINPACK's
//! order, so iterates, evaluation counts and the termination code follow
//! scipy's.
//!
//! The covariance is scipy's: `leastsq` inverts the triangular factor `R` of
//! the *last Jacobian evaluated* (`J P = Q R`, so `(JᵀJ)⁻¹ = P R⁻¹ R⁻ᵀ Pᵀ`), and
//! `curve_fit` with `absolute_sigma = False` multiplies it by the residual
//! variance `Σ rᵢ² / (m − n)`. When the fit did not converge, `R` is singular
//! or `m ≤ n`, every covariance entry is `+∞`, as `curve_fit` reports it.
//!
//! ```
//! use osteon_stats::levenberg_marquardt::{curve_fit, Options};
//! // y = p0 · exp(p1 · x), exact data: the fit recovers (2, -0.5).
//! let x = [0.0, 1.0, 2.0, 3.0, 4.0];
//! let y: Vec<f64> = x.iter().map(|&t| 2.0 * (-0.5 * t as f64).exp()).collect();
//! let fit = curve_fit(
//!     |t, p| p[0] * (p[1] * t).exp(),
//!     |t, p, g| {
//!         g[0] = (p[1] * t).exp();
//!         g[1] = p[0] * t * (p[1] * t).exp();
//!     },
//!     &x,
//!     &y,
//!     None,
//!     &[1.0, -1.0],
//!     &Options::default(),
//! );
//! assert!(fit.status.converged());
//! assert!((fit.parameters[0] - 2.0).abs() < 1e-10 && (fit.parameters[1] + 0.5).abs() < 1e-10);
//! ```

mod curve_fit;
mod minpack;

pub use curve_fit::{curve_fit, CurveFit};

use minpack::{enorm, lmpar, qrfac};

/// Control settings of [`lmder`]; `Default` gives scipy's `leastsq` defaults
/// (`ftol = xtol = 1.49012e-8`, `gtol = 0`, `maxfev = 100 (n + 1)` with an
/// analytic Jacobian, `factor = 100`, automatic scaling).
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Relative reduction in the sum of squares below which the fit stops.
    pub ftol: f64,
    /// Relative change in the (scaled) parameters below which the fit stops.
    pub xtol: f64,
    /// Cosine between the residuals and any Jacobian column below which the
    /// fit stops.
    pub gtol: f64,
    /// Most residual evaluations; `0` means `100 (n + 1)`, as `leastsq`.
    pub max_evaluations: usize,
    /// Initial step bound, as a multiple of the scaled norm of the start.
    pub factor: f64,
    /// Fixed positive scale factors for the parameters (MINPACK `mode = 2`);
    /// `None` scales by the Jacobian's column norms (`mode = 1`).
    pub scale: Option<Vec<f64>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            ftol: 1.49012e-8,
            xtol: 1.49012e-8,
            gtol: 0.0,
            max_evaluations: 0,
            factor: 100.0,
            scale: None,
        }
    }
}

/// Why [`lmder`] stopped: MINPACK's `info` codes 0–8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// `info = 0`: invalid input (no parameters, fewer residuals than
    /// parameters, a negative tolerance, non-positive factor or scale).
    ImproperInput,
    /// `info = 1`: actual and predicted relative reductions of the sum of
    /// squares are at most `ftol`.
    SumOfSquaresConverged,
    /// `info = 2`: the relative change between two iterates is at most `xtol`.
    ParametersConverged,
    /// `info = 3`: both of the above.
    BothConverged,
    /// `info = 4`: the residuals are orthogonal to the Jacobian's columns
    /// within `gtol` (also reached by an exact fit).
    GradientConverged,
    /// `info = 5`: the evaluation limit was reached.
    MaxEvaluations,
    /// `info = 6`: `ftol` is too small; no further reduction is possible.
    FtolTooSmall,
    /// `info = 7`: `xtol` is too small; no further improvement is possible.
    XtolTooSmall,
    /// `info = 8`: `gtol` is too small; the residuals are orthogonal to the
    /// Jacobian to machine precision.
    GtolTooSmall,
}

impl Status {
    /// MINPACK's `info` code.
    pub fn code(self) -> i32 {
        match self {
            Status::ImproperInput => 0,
            Status::SumOfSquaresConverged => 1,
            Status::ParametersConverged => 2,
            Status::BothConverged => 3,
            Status::GradientConverged => 4,
            Status::MaxEvaluations => 5,
            Status::FtolTooSmall => 6,
            Status::XtolTooSmall => 7,
            Status::GtolTooSmall => 8,
        }
    }

    fn from_code(info: i32) -> Status {
        match info {
            1 => Status::SumOfSquaresConverged,
            2 => Status::ParametersConverged,
            3 => Status::BothConverged,
            4 => Status::GradientConverged,
            5 => Status::MaxEvaluations,
            6 => Status::FtolTooSmall,
            7 => Status::XtolTooSmall,
            8 => Status::GtolTooSmall,
            _ => Status::ImproperInput,
        }
    }

    /// Whether the code is one scipy's `curve_fit` accepts (1–4).
    pub fn converged(self) -> bool {
        (1..=4).contains(&self.code())
    }

    /// A one-line description (scipy's `leastsq` wording, shortened).
    pub fn message(self) -> &'static str {
        match self {
            Status::ImproperInput => "improper input parameters",
            Status::SumOfSquaresConverged => {
                "both actual and predicted relative reductions in the sum of squares are at most ftol"
            }
            Status::ParametersConverged => {
                "the relative error between two consecutive iterates is at most xtol"
            }
            Status::BothConverged => {
                "both actual and predicted relative reductions in the sum of squares are at most ftol, and the relative error between two consecutive iterates is at most xtol"
            }
            Status::GradientConverged => {
                "the cosine of the angle between the residuals and any column of the Jacobian is at most gtol in absolute value"
            }
            Status::MaxEvaluations => "the number of function evaluations reached its limit",
            Status::FtolTooSmall => {
                "ftol is too small: no further reduction in the sum of squares is possible"
            }
            Status::XtolTooSmall => {
                "xtol is too small: no further improvement in the approximate solution is possible"
            }
            Status::GtolTooSmall => {
                "gtol is too small: the residuals are orthogonal to the columns of the Jacobian to machine precision"
            }
        }
    }
}

/// The result of [`lmder`].
#[derive(Debug, Clone, PartialEq)]
pub struct Minimum {
    /// The final parameters.
    pub parameters: Vec<f64>,
    /// The residuals at the final parameters.
    pub residuals: Vec<f64>,
    /// `Σ rᵢ²` at the final parameters.
    pub sum_of_squares: f64,
    /// Why the iteration stopped.
    pub status: Status,
    /// Outer iterations (= Jacobian evaluations, MINPACK's `njev`).
    pub iterations: usize,
    /// Residual evaluations (MINPACK's `nfev`).
    pub evaluations: usize,
    /// `(JᵀJ)⁻¹` from the last Jacobian's pivoted QR factor, `n × n`
    /// row-major (scipy `leastsq`'s `cov_x`); `None` when the fit did not
    /// converge or the factor is singular.
    pub unscaled_covariance: Option<Vec<f64>>,
}

/// Minimises `Σ rᵢ(p)²` from `start` by MINPACK's `lmder`.
///
/// `residuals(p, r)` fills the `m` residuals; `jacobian(p, j)` fills the
/// `m × n` Jacobian `∂rᵢ/∂pₖ` **column-major** (`j[i + k m]`). Non-finite
/// residuals at a trial point make that step fail, as in MINPACK, and the
/// step bound shrinks.
pub fn lmder<F, J>(
    mut residuals: F,
    mut jacobian: J,
    start: &[f64],
    m: usize,
    options: &Options,
) -> Minimum
where
    F: FnMut(&[f64], &mut [f64]),
    J: FnMut(&[f64], &mut [f64]),
{
    let n = start.len();
    let mut x = start.to_vec();
    let mut fvec = vec![0.0; m];
    let improper = |x: Vec<f64>, fvec: Vec<f64>, nfev: usize| Minimum {
        sum_of_squares: fvec.iter().map(|r| r * r).sum(),
        parameters: x,
        residuals: fvec,
        status: Status::ImproperInput,
        iterations: 0,
        evaluations: nfev,
        unscaled_covariance: None,
    };
    let fixed_scale = options.scale.is_some();
    if n == 0
        || m < n
        || options.ftol.is_nan()
        || options.ftol < 0.0
        || options.xtol.is_nan()
        || options.xtol < 0.0
        || options.gtol.is_nan()
        || options.gtol < 0.0
        || options.factor.is_nan()
        || options.factor <= 0.0
    {
        return improper(x, fvec, 0);
    }
    let mut diag = match &options.scale {
        Some(s) if s.len() != n || s.iter().any(|&d| d.is_nan() || d <= 0.0) => {
            return improper(x, fvec, 0);
        }
        Some(s) => s.clone(),
        None => vec![0.0; n],
    };
    let max_evaluations = if options.max_evaluations == 0 {
        100 * (n + 1)
    } else {
        options.max_evaluations
    };
    let epsmch = f64::EPSILON;
    let (ftol, xtol, gtol) = (options.ftol, options.xtol, options.gtol);

    let mut fjac = vec![0.0; m * n];
    let mut ipvt = vec![0usize; n];
    let mut qtf = vec![0.0; n];
    let mut wa1 = vec![0.0; n];
    let mut wa2 = vec![0.0; n];
    let mut wa3 = vec![0.0; n];
    let mut wa4 = vec![0.0; m];

    residuals(&x, &mut fvec);
    let mut nfev = 1usize;
    let mut njev = 0usize;
    let mut fnorm = enorm(&fvec);
    let mut par = 0.0;
    let mut iter = 1usize;
    let mut xnorm = 0.0;
    let mut delta = 0.0;

    let info: i32 = 'outer: loop {
        jacobian(&x, &mut fjac);
        njev += 1;
        qrfac(m, n, &mut fjac, m, &mut ipvt, &mut wa1, &mut wa2, &mut wa3);
        if iter == 1 {
            if !fixed_scale {
                for j in 0..n {
                    diag[j] = if wa2[j] == 0.0 { 1.0 } else { wa2[j] };
                }
            }
            for j in 0..n {
                wa3[j] = diag[j] * x[j];
            }
            xnorm = enorm(&wa3);
            delta = options.factor * xnorm;
            if delta == 0.0 {
                delta = options.factor;
            }
        }
        // (Q transpose) * fvec; its first n components go to qtf.
        wa4.copy_from_slice(&fvec);
        for j in 0..n {
            let jj = j + j * m;
            if fjac[jj] != 0.0 {
                let mut sum = 0.0;
                for i in j..m {
                    sum += fjac[i + j * m] * wa4[i];
                }
                let temp = -sum / fjac[jj];
                for i in j..m {
                    wa4[i] += fjac[i + j * m] * temp;
                }
            }
            fjac[jj] = wa1[j];
            qtf[j] = wa4[j];
        }
        // Norm of the scaled gradient.
        let mut gnorm = 0.0f64;
        if fnorm != 0.0 {
            for j in 0..n {
                let l = ipvt[j];
                if wa2[l] != 0.0 {
                    let mut sum = 0.0;
                    for i in 0..=j {
                        sum += fjac[i + j * m] * (qtf[i] / fnorm);
                    }
                    gnorm = fortran_max(gnorm, (sum / wa2[l]).abs());
                }
            }
        }
        if gnorm <= gtol {
            break 'outer 4;
        }
        if !fixed_scale {
            for j in 0..n {
                diag[j] = fortran_max(diag[j], wa2[j]);
            }
        }
        loop {
            lmpar(
                n,
                &mut fjac,
                m,
                &ipvt,
                &diag,
                &qtf,
                delta,
                &mut par,
                &mut wa1,
                &mut wa2,
                &mut wa3,
                &mut wa4[..n],
            );
            for j in 0..n {
                wa1[j] = -wa1[j];
                wa2[j] = x[j] + wa1[j];
                wa3[j] = diag[j] * wa1[j];
            }
            let pnorm = enorm(&wa3);
            if iter == 1 {
                delta = fortran_min(delta, pnorm);
            }
            residuals(&wa2, &mut wa4);
            nfev += 1;
            let fnorm1 = enorm(&wa4);
            let mut actred = -1.0;
            if 0.1 * fnorm1 < fnorm {
                let q = fnorm1 / fnorm;
                actred = 1.0 - q * q;
            }
            // Scaled predicted reduction and directional derivative.
            for j in 0..n {
                wa3[j] = 0.0;
                let temp = wa1[ipvt[j]];
                for i in 0..=j {
                    wa3[i] += fjac[i + j * m] * temp;
                }
            }
            let temp1 = enorm(&wa3) / fnorm;
            let temp2 = (par.sqrt() * pnorm) / fnorm;
            let prered = temp1 * temp1 + temp2 * temp2 / 0.5;
            let dirder = -(temp1 * temp1 + temp2 * temp2);
            let mut ratio = 0.0;
            if prered != 0.0 {
                ratio = actred / prered;
            }
            // Update the step bound.
            if ratio > 0.25 {
                if par == 0.0 || ratio >= 0.75 {
                    delta = pnorm / 0.5;
                    par *= 0.5;
                }
            } else {
                let mut temp = if actred >= 0.0 {
                    0.5
                } else {
                    0.5 * dirder / (dirder + 0.5 * actred)
                };
                if 0.1 * fnorm1 >= fnorm || temp < 0.1 {
                    temp = 0.1;
                }
                delta = temp * fortran_min(delta, pnorm / 0.1);
                par /= temp;
            }
            // A successful iteration moves x (MINPACK skips only when
            // `ratio < 1e-4`, so a NaN ratio counts as success there too).
            let successful = ratio >= 1e-4 || ratio.is_nan();
            if successful {
                for j in 0..n {
                    x[j] = wa2[j];
                    wa2[j] = diag[j] * x[j];
                }
                fvec.copy_from_slice(&wa4);
                xnorm = enorm(&wa2);
                fnorm = fnorm1;
                iter += 1;
            }
            let reduction_small = actred.abs() <= ftol && prered <= ftol && 0.5 * ratio <= 1.0;
            let mut info = 0;
            if reduction_small {
                info = 1;
            }
            if delta <= xtol * xnorm {
                info = 2;
            }
            if reduction_small && info == 2 {
                info = 3;
            }
            if info != 0 {
                break 'outer info;
            }
            if nfev >= max_evaluations {
                info = 5;
            }
            if actred.abs() <= epsmch && prered <= epsmch && 0.5 * ratio <= 1.0 {
                info = 6;
            }
            if delta <= epsmch * xnorm {
                info = 7;
            }
            if gnorm <= epsmch {
                info = 8;
            }
            if info != 0 {
                break 'outer info;
            }
            if successful {
                break;
            }
        }
    };
    let status = Status::from_code(info);
    let unscaled_covariance = if status.converged() {
        covariance_from_qr(&fjac, m, n, &ipvt)
    } else {
        None
    };
    Minimum {
        sum_of_squares: fvec.iter().map(|r| r * r).sum(),
        parameters: x,
        residuals: fvec,
        status,
        iterations: njev,
        evaluations: nfev,
        unscaled_covariance,
    }
}

/// `(JᵀJ)⁻¹ = P R⁻¹ R⁻ᵀ Pᵀ` from the upper triangle of the factored Jacobian
/// (scipy `leastsq`: LAPACK `trtri` then the row permutation). `None` when a
/// diagonal element of `R` is zero.
fn covariance_from_qr(fjac: &[f64], m: usize, n: usize, ipvt: &[usize]) -> Option<Vec<f64>> {
    let r = |i: usize, j: usize| fjac[i + j * m];
    if (0..n).any(|j| r(j, j) == 0.0) {
        return None;
    }
    // Inverse of the upper-triangular R, column by column (row-major n × n).
    let mut inv = vec![0.0; n * n];
    for j in 0..n {
        inv[j * n + j] = 1.0 / r(j, j);
        for i in (0..j).rev() {
            let mut sum = 0.0;
            for k in i + 1..=j {
                sum += r(i, k) * inv[k * n + j];
            }
            inv[i * n + j] = -sum / r(i, i);
        }
    }
    let mut cov = vec![0.0; n * n];
    for i in 0..n {
        for k in 0..n {
            let mut sum = 0.0;
            for j in 0..n {
                sum += inv[i * n + j] * inv[k * n + j];
            }
            cov[ipvt[i] * n + ipvt[k]] = sum;
        }
    }
    cov.iter().all(|v| v.is_finite()).then_some(cov)
}

/// MINPACK's `dmax1(a, b)` written as a comparison: `b` unless `a` is larger.
fn fortran_max(a: f64, b: f64) -> f64 {
    if a > b {
        a
    } else {
        b
    }
}

/// MINPACK's `dmin1(a, b)` written as a comparison: `b` unless `a` is smaller.
fn fortran_min(a: f64, b: f64) -> f64 {
    if a < b {
        a
    } else {
        b
    }
}

#[cfg(test)]
mod tests;
