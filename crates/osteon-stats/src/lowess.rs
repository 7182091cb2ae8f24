//! LOWESS scatterplot smoothing, reproducing R's `stats::lowess()`.
//!
//! Port of R 4.2's `clowess`/`lowest` (`src/library/stats/src/lowess.c`),
//! W. S. Cleveland (1979), "Robust locally weighted regression and smoothing
//! scatterplots", JASA 74, 829–836, and (1981) "LOWESS: A program for
//! smoothing scatterplots by robust locally weighted regression", The
//! American Statistician 35, 54. As R's wrapper does, the points are first
//! ordered by x with a stable sort.

use std::fmt;

/// Invalid arguments to [`try_lowess`].
#[derive(Clone, Debug, PartialEq)]
pub enum LowessError {
    /// `x` and `y` differ in length.
    LengthMismatch {
        /// length of x
        x: usize,
        /// length of y
        y: usize,
    },
    /// No data points.
    Empty,
    /// The span `f` is not finite and positive.
    InvalidSpan(f64),
    /// `delta` is not finite and non-negative.
    InvalidDelta(f64),
    /// An x value is NaN (R's `order` would put it last; not supported).
    NanInX,
}

impl fmt::Display for LowessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LowessError::LengthMismatch { x, y } => {
                write!(f, "x has {x} values but y has {y}")
            }
            LowessError::Empty => write!(f, "no data points"),
            LowessError::InvalidSpan(v) => write!(f, "span f must be finite and > 0, got {v}"),
            LowessError::InvalidDelta(v) => {
                write!(f, "delta must be finite and >= 0, got {v}")
            }
            LowessError::NanInX => write!(f, "x contains NaN"),
        }
    }
}

impl std::error::Error for LowessError {}

/// R's default `delta = 0.01 * diff(range(x))`.
///
/// ```
/// use osteon_stats::lowess::default_delta;
/// assert_eq!(default_delta(&[3.0, 1.0, 11.0]), 0.1);
/// ```
pub fn default_delta(x: &[f64]) -> f64 {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for &v in x {
        if v < lo {
            lo = v;
        }
        if v > hi {
            hi = v;
        }
    }
    0.01 * (hi - lo)
}

/// R's `lowess(x, y, f, iter, delta)`: returns the x values sorted
/// (stably) and the fitted values at them. Invalid input (see
/// [`LowessError`]) gives the sorted x and NaN fits; use [`try_lowess`] to
/// get the error instead.
///
/// ```
/// use osteon_stats::lowess::{lowess, default_delta};
/// let x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
/// let y = [2.0, 4.0, 6.0, 8.0, 10.0, 12.0];
/// let (xs, fit) = lowess(&x, &y, 2.0 / 3.0, 3, default_delta(&x));
/// assert_eq!(xs, x.to_vec());
/// for (f, want) in fit.iter().zip(y) {
///     assert!((f - want).abs() < 1e-12); // a straight line is reproduced
/// }
/// ```
pub fn lowess(x: &[f64], y: &[f64], f: f64, iter: usize, delta: f64) -> (Vec<f64>, Vec<f64>) {
    match try_lowess(x, y, f, iter, delta) {
        Ok(r) => r,
        Err(_) => {
            let mut xs = x.to_vec();
            xs.sort_by(|a, b| a.total_cmp(b));
            let n = xs.len();
            (xs, vec![f64::NAN; n])
        }
    }
}

/// [`lowess`] with typed errors for invalid input.
pub fn try_lowess(
    x: &[f64],
    y: &[f64],
    f: f64,
    iter: usize,
    delta: f64,
) -> Result<(Vec<f64>, Vec<f64>), LowessError> {
    if x.len() != y.len() {
        return Err(LowessError::LengthMismatch {
            x: x.len(),
            y: y.len(),
        });
    }
    if x.is_empty() {
        return Err(LowessError::Empty);
    }
    if !f.is_finite() || f <= 0.0 {
        return Err(LowessError::InvalidSpan(f));
    }
    if !delta.is_finite() || delta < 0.0 {
        return Err(LowessError::InvalidDelta(delta));
    }
    if x.iter().any(|v| v.is_nan()) {
        return Err(LowessError::NanInX);
    }
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b])); // stable, like R's order()
    let xs: Vec<f64> = order.iter().map(|&i| x[i]).collect();
    let ys_in: Vec<f64> = order.iter().map(|&i| y[i]).collect();
    let fit = clowess(&xs, &ys_in, f, iter, delta);
    Ok((xs, fit))
}

/// Local weighted linear fit at `xs` using points `nleft..=nright` (1-based,
/// extended to the right over ties), R's `lowest`. `w` is scratch space for
/// the weights; `rw` the robustness weights (used when `userw`).
/// Returns `None` when all weights are zero.
#[allow(clippy::too_many_arguments)]
fn lowest(
    x: &[f64],
    y: &[f64],
    xs: f64,
    nleft: usize,
    nright: usize,
    w: &mut [f64],
    userw: bool,
    rw: &[f64],
) -> Option<f64> {
    let n = x.len();
    // 1-based accessors as in the C code
    let xi = |j: usize| x[j - 1];
    let range = xi(n) - xi(1);
    let h = fmax2(xs - xi(nleft), xi(nright) - xs);
    let h9 = 0.999 * h;
    let h1 = 0.001 * h;

    let mut a = 0.0;
    let mut j = nleft;
    while j <= n {
        w[j - 1] = 0.0;
        let r = (xi(j) - xs).abs();
        if r <= h9 {
            if r <= h1 {
                w[j - 1] = 1.0;
            } else {
                let q = r / h;
                let inner = 1.0 - q * q * q;
                w[j - 1] = inner * inner * inner;
            }
            if userw {
                w[j - 1] *= rw[j - 1];
            }
            a += w[j - 1];
        } else if xi(j) > xs {
            break;
        }
        j += 1;
    }
    let nrt = j - 1;
    if a <= 0.0 {
        return None;
    }
    for j in nleft..=nrt {
        w[j - 1] /= a;
    }
    if h > 0.0 {
        a = 0.0;
        for j in nleft..=nrt {
            a += w[j - 1] * xi(j);
        }
        let mut b = xs - a;
        let mut c = 0.0;
        for j in nleft..=nrt {
            let d = xi(j) - a;
            c += w[j - 1] * (d * d);
        }
        if c.sqrt() > 0.001 * range {
            b /= c;
            for j in nleft..=nrt {
                w[j - 1] *= b * (xi(j) - a) + 1.0;
            }
        }
    }
    let mut ys = 0.0;
    for j in nleft..=nrt {
        ys += w[j - 1] * y[j - 1];
    }
    Some(ys)
}

/// R's `fmax2` (NaN-propagating maximum).
fn fmax2(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        return x + y;
    }
    if x < y {
        y
    } else {
        x
    }
}

/// Cleveland's robust lowess on data sorted by x (R's `clowess`).
fn clowess(x: &[f64], y: &[f64], f: f64, nsteps: usize, delta: f64) -> Vec<f64> {
    let n = x.len();
    let mut ys = vec![0.0; n];
    if n < 2 {
        ys[0] = y[0];
        return ys;
    }
    let mut rw = vec![0.0; n];
    let mut res = vec![0.0; n];
    // 1-based helpers
    let xi = |j: usize| x[j - 1];

    let ns = 2.max(n.min((f * n as f64 + 1e-7) as i64 as usize));
    let mut iter = 1;
    while iter <= nsteps + 1 {
        let mut nleft = 1usize;
        let mut nright = ns;
        let mut last = 0usize;
        let mut i = 1usize;
        loop {
            if nright < n {
                let d1 = xi(i) - xi(nleft);
                let d2 = xi(nright + 1) - xi(i);
                if d1 > d2 {
                    nleft += 1;
                    nright += 1;
                    continue;
                }
            }
            match lowest(x, y, xi(i), nleft, nright, &mut res, iter > 1, &rw) {
                Some(v) => ys[i - 1] = v,
                None => ys[i - 1] = y[i - 1],
            }
            if last + 1 < i {
                // skipped points: interpolate (here last >= 1 always)
                let x_last = xi(last);
                let ys_last = ys[last - 1];
                let denom = xi(i) - x_last;
                for j in (last + 1)..i {
                    let alpha = (xi(j) - x_last) / denom;
                    ys[j - 1] = alpha * ys[i - 1] + (1.0 - alpha) * ys_last;
                }
            }
            last = i;
            let cut = xi(last) + delta;
            i = last + 1;
            while i <= n {
                if xi(i) > cut {
                    break;
                }
                if xi(i) == xi(last) {
                    ys[i - 1] = ys[last - 1];
                    last = i;
                }
                i += 1;
            }
            i = (last + 1).max(i - 1);
            if last >= n {
                break;
            }
        }
        for i in 0..n {
            res[i] = y[i] - ys[i];
        }
        let mut sc = 0.0;
        for r in &res {
            sc += r.abs();
        }
        sc /= n as f64;
        if iter > nsteps {
            break;
        }
        for i in 0..n {
            rw[i] = res[i].abs();
        }
        let m1 = n / 2;
        let cmad = {
            let mut tmp = rw.clone();
            let (_, v1, _) = tmp.select_nth_unstable_by(m1, |a, b| a.total_cmp(b));
            let v1 = *v1;
            if n & 1 == 0 {
                let m2 = n - m1 - 1;
                let (_, v2, _) = tmp.select_nth_unstable_by(m2, |a, b| a.total_cmp(b));
                3.0 * (v1 + *v2)
            } else {
                6.0 * v1
            }
        };
        if cmad < 1e-7 * sc {
            break;
        }
        let c9 = 0.999 * cmad;
        let c1 = 0.001 * cmad;
        for i in 0..n {
            let r = res[i].abs();
            rw[i] = if r <= c1 {
                1.0
            } else if r <= c9 {
                let q = r / cmad;
                let inner = 1.0 - q * q;
                inner * inner
            } else {
                0.0
            };
        }
        iter += 1;
    }
    ys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cars_matches_r() {
        // R: fit <- lowess(cars$speed, cars$dist); sprintf('%.17g', fit$y)
        let speed = [
            4.0, 4.0, 7.0, 7.0, 8.0, 9.0, 10.0, 10.0, 10.0, 11.0, 11.0, 12.0, 12.0, 12.0, 12.0,
            13.0, 13.0, 13.0, 13.0, 14.0, 14.0, 14.0, 14.0, 15.0, 15.0, 15.0, 16.0, 16.0, 17.0,
            17.0, 17.0, 18.0, 18.0, 18.0, 18.0, 19.0, 19.0, 19.0, 20.0, 20.0, 20.0, 20.0, 20.0,
            22.0, 23.0, 24.0, 24.0, 24.0, 24.0, 25.0,
        ];
        let dist = [
            2.0, 10.0, 4.0, 22.0, 16.0, 10.0, 18.0, 26.0, 34.0, 17.0, 28.0, 14.0, 20.0, 24.0, 28.0,
            26.0, 34.0, 34.0, 46.0, 26.0, 36.0, 60.0, 80.0, 20.0, 26.0, 54.0, 32.0, 40.0, 32.0,
            40.0, 50.0, 42.0, 56.0, 76.0, 84.0, 36.0, 46.0, 68.0, 32.0, 48.0, 52.0, 56.0, 64.0,
            66.0, 54.0, 70.0, 92.0, 93.0, 120.0, 85.0,
        ];
        let want: [f64; 50] = [
            4.9654592771868815,
            4.9654592771868815,
            13.12449503966645,
            13.12449503966645,
            15.858633382098317,
            18.579690514217727,
            21.280312578528452,
            21.280312578528452,
            21.280312578528452,
            24.12927714892649,
            24.12927714892649,
            27.11954855060354,
            27.11954855060354,
            27.11954855060354,
            27.11954855060354,
            30.027276331153963,
            30.027276331153963,
            30.027276331153963,
            30.027276331153963,
            32.96250613615763,
            32.96250613615763,
            32.96250613615763,
            32.96250613615763,
            36.75772834164972,
            36.75772834164972,
            36.75772834164972,
            40.43507456198874,
            40.43507456198874,
            43.463491781817574,
            43.463491781817574,
            43.463491781817574,
            46.88547894602397,
            46.88547894602397,
            46.88547894602397,
            46.88547894602397,
            50.79315172542057,
            50.79315172542057,
            50.79315172542057,
            56.491224092877154,
            56.491224092877154,
            56.491224092877154,
            56.491224092877154,
            56.491224092877154,
            67.58582423143133,
            73.07969526937005,
            78.64316355439986,
            78.64316355439986,
            78.64316355439986,
            78.64316355439986,
            84.32869809683419,
        ];
        let (xs, fit) = lowess(&speed, &dist, 2.0 / 3.0, 3, default_delta(&speed));
        assert_eq!(xs, speed.to_vec());
        for (g, w) in fit.iter().zip(want.iter()) {
            assert_eq!(g.to_bits(), w.to_bits(), "got {g} want {w}");
        }
        // R: lowess(x2, y2, f = 0.5, iter = 2, delta = 0.3) with unsorted, tied x
        let x2 = [3.2, 1.1, 5.5, 1.1, 2.7, 4.4, 0.3, 3.9, 2.2, 4.9];
        let y2 = [1.5, 0.2, 3.3, 0.9, 2.8, 1.1, -0.4, 2.5, 9.0, 2.6];
        let want_x = [0.3, 1.1, 1.1, 2.2, 2.7, 3.2, 3.9, 4.4, 4.9, 5.5];
        let want_y: [f64; 10] = [
            -1.1732443018355851,
            1.5858758807620248,
            1.5858758807620248,
            8.939254017285222,
            4.991941330746581,
            2.3719019392316723,
            1.8434621927643522,
            2.019529867032628,
            2.49908734002667,
            3.1961452679082676,
        ];
        let (xs, fit) = lowess(&x2, &y2, 0.5, 2, 0.3);
        assert_eq!(xs, want_x.to_vec());
        for (g, w) in fit.iter().zip(want_y.iter()) {
            assert_eq!(g.to_bits(), w.to_bits(), "got {g} want {w}");
        }
    }

    #[test]
    fn errors_are_typed() {
        assert_eq!(
            try_lowess(&[1.0], &[1.0, 2.0], 0.5, 3, 0.0),
            Err(LowessError::LengthMismatch { x: 1, y: 2 })
        );
        assert_eq!(
            try_lowess(&[1.0, 2.0], &[1.0, 2.0], 0.0, 3, 0.0),
            Err(LowessError::InvalidSpan(0.0))
        );
    }
}
