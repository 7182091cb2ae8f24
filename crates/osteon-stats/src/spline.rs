//! Interpolating cubic splines exactly as R's `splinefun(x, y, method = "fmm")`.
//!
//! DESeq2's variance-stabilising transformation for `fitType = "local"`
//! integrates the fitted mean-variance relation numerically and interpolates
//! the integral with `splinefun` (DESeq2 1.38.3
//! `getVarianceStabilizedData`). This module reproduces that function:
//!
//! * `regularize.values` (R 4.2 `stats`): pairs with a missing value are
//!   dropped, the points are sorted by `x` (stably) and tied `x` values are
//!   collapsed to one knot whose `y` is R's `mean()` of the tied `y` values,
//!   a long-double sum with one refinement pass, emulated here with a small
//!   software x87 extended-precision type.
//! * `spline_coef`, FMM branch (`src/library/stats/src/splines.c`, after
//!   Forsythe, Malcolm & Moler, *Computer Methods for Mathematical
//!   Computations*, 1977): end conditions match the third derivative of the
//!   cubic through the first (last) four points.
//! * `spline_eval`: Horner evaluation `y + dx*(b + dx*(c + dx*d))` on the
//!   interval found by bisection, the end cubics continued outside the knots;
//!   derivatives as the R closure builds them (`deriv = 1, 2, 3`).

use std::cmp::Ordering;
use std::fmt;

/// Invalid input to [`splinefun_fmm`].
#[derive(Debug, Clone, PartialEq)]
pub enum SplineError {
    /// `x` and `y` differ in length.
    LengthMismatch {
        /// Length of `x`.
        x: usize,
        /// Length of `y`.
        y: usize,
    },
    /// No pair without a missing (NaN) value (R: "zero non-NA points").
    NoPoints,
    /// An infinite `x` or `y` value.
    Infinite {
        /// Zero-based position of the offending pair.
        index: usize,
    },
}

impl fmt::Display for SplineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SplineError::LengthMismatch { x, y } => {
                write!(f, "splinefun: x and y have different lengths ({x}, {y})")
            }
            SplineError::NoPoints => write!(f, "splinefun: zero non-NA points"),
            SplineError::Infinite { index } => {
                write!(f, "splinefun: x or y is infinite at position {index}")
            }
        }
    }
}

impl std::error::Error for SplineError {}

/// A cubic spline through the regularised knots: on `[x[i], x[i+1]]` it is
/// `y[i] + dx*(b[i] + dx*(c[i] + dx*d[i]))` with `dx = u - x[i]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Spline {
    x: Vec<f64>,
    y: Vec<f64>,
    b: Vec<f64>,
    c: Vec<f64>,
    d: Vec<f64>,
    dropped_missing: usize,
    collapsed_ties: usize,
}

/// Build R's `splinefun(x, y, method = "fmm")`.
///
/// NaN in either coordinate drops the pair (R's `na.rm = TRUE`); tied `x`
/// are collapsed to the mean of their `y` (R warns "collapsing to unique
/// 'x' values"; see [`Spline::collapsed_ties`]).
///
/// # Errors
/// Unequal lengths, no complete pair, or an infinite value.
///
/// # Example
/// ```
/// use osteon_stats::spline::splinefun_fmm;
/// // FMM end conditions reproduce a cubic exactly.
/// let x = [0.0, 1.0, 2.5, 3.0, 4.0];
/// let y: Vec<f64> = x.iter().map(|t| t * t * t - 2.0 * t).collect();
/// let s = splinefun_fmm(&x, &y).unwrap();
/// assert!((s.eval(1.7) - (1.7f64.powi(3) - 3.4)).abs() < 1e-12);
/// assert!((s.eval_deriv(1.7, 1) - (3.0 * 1.7 * 1.7 - 2.0)).abs() < 1e-12);
/// ```
pub fn splinefun_fmm(x: &[f64], y: &[f64]) -> Result<Spline, SplineError> {
    if x.len() != y.len() {
        return Err(SplineError::LengthMismatch {
            x: x.len(),
            y: y.len(),
        });
    }
    if let Some(index) = x
        .iter()
        .zip(y)
        .position(|(a, b)| a.is_infinite() || b.is_infinite())
    {
        return Err(SplineError::Infinite { index });
    }
    let mut points: Vec<(f64, f64)> = x
        .iter()
        .zip(y)
        .filter(|(a, b)| !a.is_nan() && !b.is_nan())
        .map(|(&a, &b)| (a, b))
        .collect();
    let dropped_missing = x.len() - points.len();
    if points.is_empty() {
        return Err(SplineError::NoPoints);
    }
    // order(x) is stable; -0 and +0 compare equal, as in R.
    points.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(Ordering::Equal));

    let mut knots_x = Vec::with_capacity(points.len());
    let mut knots_y = Vec::with_capacity(points.len());
    let mut start = 0;
    while start < points.len() {
        let mut end = start + 1;
        while end < points.len() && points[end].0 == points[start].0 {
            end += 1;
        }
        knots_x.push(points[start].0);
        if end - start == 1 {
            knots_y.push(points[start].1);
        } else {
            let group: Vec<f64> = points[start..end].iter().map(|p| p.1).collect();
            knots_y.push(r_mean(&group));
        }
        start = end;
    }
    let collapsed_ties = points.len() - knots_x.len();

    let (b, c, d) = fmm_coefficients(&knots_x, &knots_y);
    Ok(Spline {
        x: knots_x,
        y: knots_y,
        b,
        c,
        d,
        dropped_missing,
        collapsed_ties,
    })
}

impl Spline {
    /// The spline at `u` (R: `f(u)` for a single value).
    pub fn eval(&self, u: f64) -> f64 {
        let mut i = 0;
        eval_at(&self.x, &self.y, &self.b, &self.c, &self.d, u, &mut i)
    }

    /// The `order`-th derivative (0 to 3) at `u`, as R's `f(u, deriv = order)`.
    /// R refuses orders above 3; they give NaN here.
    pub fn eval_deriv(&self, u: f64, order: u8) -> f64 {
        match self.derivative_coefficients(order) {
            Some((y, b, c, d)) => {
                let mut i = 0;
                eval_at(&self.x, &y, &b, &c, &d, u, &mut i)
            }
            None => f64::NAN,
        }
    }

    /// The spline at every element of `us`, in one call as R's `f(us)`.
    /// R's evaluator starts its interval search from the previous point's
    /// interval, which decides the interval used at a knot; this follows it.
    pub fn eval_many(&self, us: &[f64]) -> Vec<f64> {
        let mut i = 0;
        us.iter()
            .map(|&u| eval_at(&self.x, &self.y, &self.b, &self.c, &self.d, u, &mut i))
            .collect()
    }

    /// [`Spline::eval_deriv`] at every element of `us`, in one call as R's
    /// `f(us, deriv = order)`.
    pub fn eval_deriv_many(&self, us: &[f64], order: u8) -> Vec<f64> {
        match self.derivative_coefficients(order) {
            Some((y, b, c, d)) => {
                let mut i = 0;
                us.iter()
                    .map(|&u| eval_at(&self.x, &y, &b, &c, &d, u, &mut i))
                    .collect()
            }
            None => vec![f64::NAN; us.len()],
        }
    }

    /// Knot positions after regularisation (sorted, unique).
    pub fn knots(&self) -> &[f64] {
        &self.x
    }

    /// Knot values after regularisation.
    pub fn values(&self) -> &[f64] {
        &self.y
    }

    /// Number of input pairs dropped for a NaN coordinate.
    pub fn dropped_missing(&self) -> usize {
        self.dropped_missing
    }

    /// Number of input points merged into an earlier point with the same `x`
    /// (non-zero exactly when R warns "collapsing to unique 'x' values").
    pub fn collapsed_ties(&self) -> usize {
        self.collapsed_ties
    }

    /// The coefficient vectors R's closure substitutes for `deriv > 0`.
    #[allow(clippy::type_complexity)]
    fn derivative_coefficients(
        &self,
        order: u8,
    ) -> Option<(Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>)> {
        let zero = vec![0.0; self.x.len()];
        let scaled = |v: &[f64], k: f64| v.iter().map(|a| k * a).collect::<Vec<f64>>();
        match order {
            0 => Some((
                self.y.clone(),
                self.b.clone(),
                self.c.clone(),
                self.d.clone(),
            )),
            1 => Some((
                self.b.clone(),
                scaled(&self.c, 2.0),
                scaled(&self.d, 3.0),
                zero,
            )),
            2 => Some((
                scaled(&self.c, 2.0),
                scaled(&self.d, 6.0),
                zero.clone(),
                zero,
            )),
            3 => Some((scaled(&self.d, 6.0), zero.clone(), zero.clone(), zero)),
            _ => None,
        }
    }
}

/// `spline_eval` for one point; `i` carries the interval between calls.
fn eval_at(x: &[f64], y: &[f64], b: &[f64], c: &[f64], d: &[f64], u: f64, i: &mut usize) -> f64 {
    let n = x.len();
    let last = n - 1;
    if u < x[*i] || (*i < last && x[*i + 1] < u) {
        let mut lo = 0;
        let mut hi = n;
        loop {
            let k = (lo + hi) / 2;
            if u < x[k] {
                hi = k;
            } else {
                lo = k;
            }
            if hi <= lo + 1 {
                break;
            }
        }
        *i = lo;
    }
    let j = *i;
    let dx = u - x[j];
    y[j] + dx * (b[j] + dx * (c[j] + dx * d[j]))
}

/// `fmm_spline`: coefficients `b, c, d` for knots `x` (strictly increasing)
/// and values `y`.
fn fmm_coefficients(x0: &[f64], y0: &[f64]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let n = x0.len();
    // One-based copies so that the arithmetic mirrors the reference line by line.
    let mut x = vec![0.0; n + 1];
    let mut y = vec![0.0; n + 1];
    x[1..].copy_from_slice(x0);
    y[1..].copy_from_slice(y0);
    let mut b = vec![0.0; n + 1];
    let mut c = vec![0.0; n + 1];
    let mut d = vec![0.0; n + 1];

    if n < 2 {
        return (b[1..].to_vec(), c[1..].to_vec(), d[1..].to_vec());
    }
    if n < 3 {
        let t = y[2] - y[1];
        b[1] = t / (x[2] - x[1]);
        b[2] = b[1];
        return (b[1..].to_vec(), c[1..].to_vec(), d[1..].to_vec());
    }

    let nm1 = n - 1;

    // Tridiagonal system: b = diagonal, d = off-diagonal, c = right-hand side.
    d[1] = x[2] - x[1];
    c[2] = (y[2] - y[1]) / d[1];
    for i in 2..n {
        d[i] = x[i + 1] - x[i];
        b[i] = 2.0 * (d[i - 1] + d[i]);
        c[i + 1] = (y[i + 1] - y[i]) / d[i];
        c[i] = c[i + 1] - c[i];
    }

    // End conditions from third divided differences.
    b[1] = -d[1];
    b[n] = -d[nm1];
    c[1] = 0.0;
    c[n] = 0.0;
    if n > 3 {
        c[1] = c[3] / (x[4] - x[2]) - c[2] / (x[3] - x[1]);
        c[n] = c[nm1] / (x[n] - x[n - 2]) - c[n - 2] / (x[nm1] - x[n - 3]);
        c[1] = c[1] * d[1] * d[1] / (x[4] - x[1]);
        c[n] = -c[n] * d[nm1] * d[nm1] / (x[n] - x[n - 3]);
    }

    // Gaussian elimination.
    for i in 2..=n {
        let t = d[i - 1] / b[i - 1];
        b[i] -= t * d[i - 1];
        c[i] -= t * c[i - 1];
    }

    // Back substitution.
    c[n] /= b[n];
    for i in (1..=nm1).rev() {
        c[i] = (c[i] - d[i] * c[i + 1]) / b[i];
    }

    // Polynomial coefficients.
    b[n] = (y[n] - y[n - 1]) / d[n - 1] + d[n - 1] * (c[n - 1] + 2.0 * c[n]);
    for i in 1..=nm1 {
        b[i] = (y[i + 1] - y[i]) / d[i] - d[i] * (c[i + 1] + 2.0 * c[i]);
        d[i] = (c[i + 1] - c[i]) / d[i];
        c[i] *= 3.0;
    }
    c[n] *= 3.0;
    d[n] = d[nm1];
    (b[1..].to_vec(), c[1..].to_vec(), d[1..].to_vec())
}

/// R's `mean()` (long-double sum and correction pass), shared with `summary`.
use crate::summary::mean as r_mean;

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses a whitespace-separated table with one header line.
    fn table(text: &str) -> Vec<Vec<f64>> {
        text.lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.split_whitespace().map(|v| v.parse().unwrap()).collect())
            .collect()
    }

    fn relative_difference(a: f64, b: f64) -> f64 {
        if a == b {
            0.0
        } else {
            (a - b).abs() / a.abs().max(b.abs())
        }
    }

    /// Worst relative difference against R over values (vectorised and
    /// one-by-one) and the three derivatives.
    fn worst_difference(input: &str, eval: &str) -> f64 {
        let input = table(input);
        let x: Vec<f64> = input.iter().map(|r| r[0]).collect();
        let y: Vec<f64> = input.iter().map(|r| r[1]).collect();
        let spline = splinefun_fmm(&x, &y).unwrap();
        let eval = table(eval);
        let u: Vec<f64> = eval.iter().map(|r| r[0]).collect();
        let vectorised = [
            spline.eval_many(&u),
            spline.eval_deriv_many(&u, 1),
            spline.eval_deriv_many(&u, 2),
            spline.eval_deriv_many(&u, 3),
        ];
        let mut worst: f64 = 0.0;
        for (k, row) in eval.iter().enumerate() {
            worst = worst.max(relative_difference(vectorised[0][k], row[1]));
            worst = worst.max(relative_difference(spline.eval(row[0]), row[2]));
            for order in 1..=3 {
                worst = worst.max(relative_difference(vectorised[order][k], row[2 + order]));
            }
        }
        worst
    }

    /// Each set was written by `tests/data/spline/make_spline_reference.R`
    /// (`write_set(name, x, y, u)`); the port is exact.
    macro_rules! reference_test {
        ($test:ident, $name:literal) => {
            #[test]
            fn $test() {
                let worst = worst_difference(
                    include_str!(concat!("../tests/data/spline/", $name, "_input.txt")),
                    include_str!(concat!("../tests/data/spline/", $name, "_eval.txt")),
                );
                assert!(worst == 0.0, "worst relative difference {worst:e}");
            }
        };
    }

    // DESeq2's local-VST integral on an asinh grid of 998 knots
    reference_test!(matches_r_vst_integral, "vst");
    // 60 unsorted points with tied x, evaluated at the knots both ways
    reference_test!(matches_r_ties_and_knots, "ties");
    reference_test!(matches_r_one_point, "n1");
    reference_test!(matches_r_two_points, "n2");
    reference_test!(matches_r_three_points, "n3");
    reference_test!(matches_r_four_points, "n4");

    #[test]
    fn mean_matches_r_long_double_mean() {
        // Each line: mean(v) from R, then v (make_spline_reference.R).
        let text = include_str!("../tests/data/spline/mean_reference.txt");
        let mut checked = 0;
        for line in text.lines() {
            let values: Vec<f64> = line
                .split_whitespace()
                .map(|v| v.parse().unwrap())
                .collect();
            let got = r_mean(&values[1..]);
            assert_eq!(
                got.to_bits(),
                values[0].to_bits(),
                "mean of {:?}",
                &values[1..]
            );
            checked += 1;
        }
        assert_eq!(checked, 304);
        // mean(c(0.1, 0.2, 0.3)) is exactly 0.2 in R; plain doubles give
        // 0.20000000000000004.
        assert_eq!(r_mean(&[0.1, 0.2, 0.3]), 0.2);
    }

    #[test]
    fn ties_collapse_and_missing_values_drop() {
        // splinefun(c(1, 2, 2, 3, NA), c(1, 2, 4, 3, 5)) uses knots 1, 2, 3
        // with values 1, 3, 3 (R warns "collapsing to unique 'x' values").
        let s = splinefun_fmm(&[1.0, 2.0, 2.0, 3.0, f64::NAN], &[1.0, 2.0, 4.0, 3.0, 5.0]).unwrap();
        assert_eq!(s.knots(), &[1.0, 2.0, 3.0]);
        assert_eq!(s.values(), &[1.0, 3.0, 3.0]);
        assert_eq!(s.collapsed_ties(), 1);
        assert_eq!(s.dropped_missing(), 1);
        assert!(s.eval_deriv(1.5, 4).is_nan());
    }

    #[test]
    fn tied_values_use_r_mean() {
        // f <- splinefun(c(1, 2, 2, 2, 3), c(0, 0.1, 0.2, 0.3, 1)):
        // environment(f)$z$y is 0, 0.2, 1 (a double-precision mean would
        // give 0.20000000000000004), and f(2.5) is 0.52500000000000002.
        let s = splinefun_fmm(&[1.0, 2.0, 2.0, 2.0, 3.0], &[0.0, 0.1, 0.2, 0.3, 1.0]).unwrap();
        assert_eq!(s.values(), &[0.0, 0.2, 1.0]);
        assert_eq!(s.eval(2.5), 0.52500000000000002);
    }

    #[test]
    fn rejects_invalid_input() {
        assert_eq!(
            splinefun_fmm(&[1.0, 2.0], &[1.0]).unwrap_err(),
            SplineError::LengthMismatch { x: 2, y: 1 }
        );
        assert_eq!(
            splinefun_fmm(&[f64::NAN], &[1.0]).unwrap_err(),
            SplineError::NoPoints
        );
        assert_eq!(
            splinefun_fmm(&[1.0, f64::INFINITY], &[1.0, 2.0]).unwrap_err(),
            SplineError::Infinite { index: 1 }
        );
    }
}
