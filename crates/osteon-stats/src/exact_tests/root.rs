//! One-dimensional root finding as R's `uniroot` does it: Brent's method
//! (Forsythe, Malcolm & Moler 1977, "Computer Methods for Mathematical
//! Computations", §7.2; netlib `zeroin`) in the form of R 4.2's `R_zeroin2`
//! (`src/library/stats/src/zeroin.c`), which takes the end-point values
//! already computed, and the R-level wrapper `uniroot` (`tol =
//! .Machine$double.eps^0.25`, `maxiter = 1000`, no interval extension).
//!
//! Reproducing the same sequence of evaluations matters beyond accuracy:
//! `fisher.test` and `wilcox.test` report `uniroot`'s answer, which is only
//! within `tol` of the true root, so agreeing with R means taking the same
//! steps. As in R's `fcn2`, a non-finite function value met during the
//! iteration is replaced by ±`f64::MAX` (−Inf keeps its sign, NaN and +Inf
//! become +`f64::MAX`).

/// `uniroot`'s default tolerance, `.Machine$double.eps^0.25`.
pub const DEFAULT_TOL: f64 = 1.220_703_125e-4;

/// `uniroot`'s default maximum number of iterations.
pub const DEFAULT_MAXITER: i32 = 1000;

/// The answer of [`uniroot`]/[`zeroin2`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Root {
    /// The root estimate (`$root`).
    pub root: f64,
    /// Iterations used (`$iter`); `None` when `maxiter` was reached without
    /// convergence (R warns "_NOT_ converged").
    pub iterations: Option<i32>,
    /// Estimated precision `|c − b|` (`$estim.prec`).
    pub estimated_precision: f64,
}

/// Why [`uniroot`] refused to start (R stops with these messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootError {
    /// `lower < upper` is not fulfilled.
    EmptyInterval,
    /// f(lower) or f(upper) is NaN.
    UndefinedAtEndPoint,
    /// f(lower) and f(upper) have the same sign.
    NoSignChange,
}

impl std::fmt::Display for RootError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RootError::EmptyInterval => "lower < upper is not fulfilled",
            RootError::UndefinedAtEndPoint => "f() is undefined at an end point",
            RootError::NoSignChange => "f() values at end points not of opposite sign",
        })
    }
}

impl std::error::Error for RootError {}

/// R's `uniroot(f, lower = lower, upper = upper, f.lower =, f.upper =,
/// tol = tol)`: `f_lower`/`f_upper` default to f at the end points.
///
/// ```
/// use osteon_stats::exact_tests::root::{uniroot, DEFAULT_TOL};
/// let r = uniroot(|x| x * x - 2.0, 0.0, 2.0, None, None, DEFAULT_TOL).unwrap();
/// assert!((r.root - 2f64.sqrt()).abs() < 1e-4);
/// ```
pub fn uniroot(
    mut f: impl FnMut(f64) -> f64,
    lower: f64,
    upper: f64,
    f_lower: Option<f64>,
    f_upper: Option<f64>,
    tol: f64,
) -> Result<Root, RootError> {
    // R evaluates a missing f.lower before f.upper (argument order).
    let fa = f_lower.unwrap_or_else(|| f(lower));
    let fb = f_upper.unwrap_or_else(|| f(upper));
    if lower.is_nan() || upper.is_nan() || lower >= upper {
        return Err(RootError::EmptyInterval);
    }
    if fa.is_nan() || fb.is_nan() {
        return Err(RootError::UndefinedAtEndPoint);
    }
    if sign(fa) * sign(fb) > 0.0 {
        return Err(RootError::NoSignChange);
    }
    Ok(zeroin2(
        |x| finite_for_root(f(x)),
        lower,
        upper,
        fa,
        fb,
        tol,
        DEFAULT_MAXITER,
    ))
}

/// R's `sign()`.
fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// The replacement R's `fcn2` makes for non-finite values.
fn finite_for_root(v: f64) -> f64 {
    if v.is_finite() {
        v
    } else if v == f64::NEG_INFINITY {
        -f64::MAX
    } else {
        f64::MAX
    }
}

/// `R_zeroin2(ax, bx, fa, fb, f, tol, maxit)`: Brent's root finder on
/// \[ax, bx\] with f(ax) = `fa`, f(bx) = `fb` of opposite signs.
pub fn zeroin2(
    mut f: impl FnMut(f64) -> f64,
    ax: f64,
    bx: f64,
    fa: f64,
    fb: f64,
    tol: f64,
    maxit: i32,
) -> Root {
    let (mut a, mut b) = (ax, bx);
    let (mut fa, mut fb) = (fa, fb);
    let (mut c, mut fc) = (a, fa);
    if fa == 0.0 {
        return Root {
            root: a,
            iterations: Some(0),
            estimated_precision: 0.0,
        };
    }
    if fb == 0.0 {
        return Root {
            root: b,
            iterations: Some(0),
            estimated_precision: 0.0,
        };
    }
    let mut remaining = maxit + 1;
    while remaining > 0 {
        remaining -= 1;
        let prev_step = b - a;
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol_act = 2.0 * f64::EPSILON * b.abs() + tol / 2.0;
        let mut new_step = (c - b) / 2.0;
        if new_step.abs() <= tol_act || fb == 0.0 {
            return Root {
                root: b,
                iterations: Some(maxit - remaining),
                estimated_precision: (c - b).abs(),
            };
        }
        if prev_step.abs() >= tol_act && fa.abs() > fb.abs() {
            let cb = c - b;
            let (mut p, mut q);
            if a == c {
                let t1 = fb / fa;
                p = cb * t1;
                q = 1.0 - t1;
            } else {
                let qa = fa / fc;
                let t1 = fb / fc;
                let t2 = fb / fa;
                p = t2 * (cb * qa * (qa - t1) - (b - a) * (t1 - 1.0));
                q = (qa - 1.0) * (t1 - 1.0) * (t2 - 1.0);
            }
            if p > 0.0 {
                q = -q;
            } else {
                p = -p;
            }
            if p < (0.75 * cb * q - (tol_act * q).abs() / 2.0) && p < (prev_step * q / 2.0).abs() {
                new_step = p / q;
            }
        }
        if new_step.abs() < tol_act {
            new_step = if new_step > 0.0 { tol_act } else { -tol_act };
        }
        a = b;
        fa = fb;
        b += new_step;
        fb = f(b);
        if (fb > 0.0 && fc > 0.0) || (fb < 0.0 && fc < 0.0) {
            c = a;
            fc = fa;
        }
    }
    Root {
        root: b,
        iterations: None,
        estimated_precision: (c - b).abs(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_r_uniroot_iterates() {
        // r <- uniroot(function(x) x^3 - x - 1, c(1, 2));
        // sprintf('%.17g', c(r$root, r$estim.prec)); r$iter
        let r = uniroot(|x| x.powf(3.0) - x - 1.0, 1.0, 2.0, None, None, DEFAULT_TOL).unwrap();
        assert_eq!(r.root, 1.3247178251287683);
        assert_eq!(r.estimated_precision, 6.1035156250666134e-05);
        assert_eq!(r.iterations, Some(7));
        // uniroot(function(x) exp(x) - 5, c(0, 10), tol = 1e-10)
        let r = uniroot(|x| x.exp() - 5.0, 0.0, 10.0, None, None, 1e-10).unwrap();
        assert_eq!(r.root, 1.6094379124340477);
    }

    #[test]
    fn refuses_bad_brackets() {
        assert_eq!(
            uniroot(|x| x * x + 1.0, -1.0, 1.0, None, None, DEFAULT_TOL),
            Err(RootError::NoSignChange)
        );
        assert_eq!(
            uniroot(|x| x, 1.0, 1.0, None, None, DEFAULT_TOL),
            Err(RootError::EmptyInterval)
        );
        let r = uniroot(|x| x - 1.0, 1.0, 2.0, None, None, DEFAULT_TOL).unwrap();
        assert_eq!((r.root, r.iterations), (1.0, Some(0)));
    }
}
