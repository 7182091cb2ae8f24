//! R's `glm.fit` for the Gamma family with identity link, reproduced bit for
//! bit, together with the LINPACK least-squares path it runs on.
//!
//! DESeq2's parametric dispersion trend (`DESeq2:::parametricDispersionFit`,
//! DESeq2 1.38.3) repeatedly calls
//! `glm(disps ~ I(1/means), family = Gamma(link = "identity"), start = coefs)`.
//! To reproduce its coefficients to the last bit this module follows R 4.2's
//! arithmetic operation by operation:
//!
//! * [`dqrls`]: R's `Cdqrls` (`src/library/stats/src/lm.c`) → Fortran `dqrls`
//!   → `dqrdc2` (Householder QR with R's limited column pivoting, Ihaka 1995 /
//!   Ripley 1999) and LINPACK `dqrsl` (Stewart 1978), all in `src/appl/`.
//!   The level-1 BLAS they call (`dnrm2`, `ddot`, `daxpy`, `dscal`) are the
//!   reference BLAS 3.11 that Debian's R links (`libblas.so.3.11.0`):
//!   `dnrm2` is Anderson's three-accumulator algorithm with Blue's scaling
//!   constants (ACM TOMS Algorithm 978, 2017), the others are plain loops.
//! * [`glm_gamma_identity`]: `stats::glm.fit` (R 4.2.2) with weights 1,
//!   offset 0, `control = glm.control()` (epsilon 1e-8, maxit 25) and the
//!   `Gamma(link = "identity")` family functions. `x %*% start` is R's
//!   `matprod` default path (reference `dgemv`, no NaN present), `sum` is R's
//!   long double sum ([`crate::summary::sum`]).
//! * [`deseq2_parametric_trend`]: the outer loop of
//!   `DESeq2:::parametricDispersionFit`.
//!
//! All matrices are stored column-major (Fortran order), `n` rows × `p`
//! columns, element `(i, j)` at `i + j * n`.

use crate::summary::sum;

/// Errors of the least-squares fit and of the GLM, mirroring where R stops
/// with an error.
#[derive(Debug, Clone, PartialEq)]
pub enum GlmError {
    /// The design, response or start vector have inconsistent lengths.
    DimensionMismatch {
        /// What is inconsistent.
        what: &'static str,
    },
    /// No observations (R's result is undefined here).
    NoObservations,
    /// A response value is NaN or infinite.
    NonFiniteResponse,
    /// `Cdqrls`: "NA/NaN/Inf in 'x'".
    NonFiniteDesign,
    /// `Cdqrls`: "NA/NaN/Inf in 'y'".
    NonFiniteWorkingResponse,
    /// Gamma `initialize`: "non-positive values not allowed for the 'Gamma' family".
    NonPositiveResponse,
    /// "cannot find valid starting values: please specify some".
    InvalidStartingValues,
    /// "NAs in V(mu)".
    NaVariance,
    /// "0s in V(mu)".
    ZeroVariance,
    /// "inner loop 1; cannot correct step size" (deviance stayed non-finite).
    InnerLoop1,
    /// "inner loop 2; cannot correct step size" (fitted means stayed invalid).
    InnerLoop2,
    /// Non-finite coefficients at the first iteration: R warns, breaks out of
    /// the loop and then fails because no coefficients exist yet.
    NonFiniteCoefficients,
}

impl std::fmt::Display for GlmError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GlmError::DimensionMismatch { what } => write!(f, "dimension mismatch: {what}"),
            GlmError::NoObservations => write!(f, "no observations"),
            GlmError::NonFiniteResponse => write!(f, "NA/NaN/Inf in the response"),
            GlmError::NonFiniteDesign => write!(f, "NA/NaN/Inf in 'x'"),
            GlmError::NonFiniteWorkingResponse => write!(f, "NA/NaN/Inf in 'y'"),
            GlmError::NonPositiveResponse => {
                write!(f, "non-positive values not allowed for the 'Gamma' family")
            }
            GlmError::InvalidStartingValues => {
                write!(f, "cannot find valid starting values: please specify some")
            }
            GlmError::NaVariance => write!(f, "NAs in V(mu)"),
            GlmError::ZeroVariance => write!(f, "0s in V(mu)"),
            GlmError::InnerLoop1 => write!(f, "inner loop 1; cannot correct step size"),
            GlmError::InnerLoop2 => write!(f, "inner loop 2; cannot correct step size"),
            GlmError::NonFiniteCoefficients => {
                write!(f, "non-finite coefficients at iteration 1")
            }
        }
    }
}

impl std::error::Error for GlmError {}

// ---------------------------------------------------------------------------
// Reference BLAS 3.11 level 1 (unit stride).
// ---------------------------------------------------------------------------

/// Euclidean norm as reference BLAS 3.11 `dnrm2.f90` computes it: squares
/// summed in three accumulators (scaled down above `2^486`, scaled up below
/// `2^-511`, unscaled in between), then combined.
pub fn dnrm2(x: &[f64]) -> f64 {
    // Blue's constants for IEEE double: radix 2, digits 53,
    // minexponent -1021, maxexponent 1024.
    const TSML: f64 = 1.4916681462400413e-154; // 2^-511
    const TBIG: f64 = 1.9979190722022350e146; // 2^486
    const SSML: f64 = 4.4989137945431964e161; // 2^537
    const SBIG: f64 = 1.1113793747425387e-162; // 2^-538
    if x.is_empty() {
        return 0.0;
    }
    let mut notbig = true;
    let (mut asml, mut amed, mut abig) = (0.0_f64, 0.0_f64, 0.0_f64);
    for &v in x {
        let ax = v.abs();
        if ax > TBIG {
            let s = ax * SBIG;
            abig += s * s;
            notbig = false;
        } else if ax < TSML {
            if notbig {
                let s = ax * SSML;
                asml += s * s;
            }
        } else {
            amed += ax * ax;
        }
    }
    let (scl, sumsq);
    if abig > 0.0 {
        if amed > 0.0 || amed > f64::MAX || amed.is_nan() {
            abig += (amed * SBIG) * SBIG;
        }
        scl = 1.0 / SBIG;
        sumsq = abig;
    } else if asml > 0.0 {
        if amed > 0.0 || amed > f64::MAX || amed.is_nan() {
            let amed_root = amed.sqrt();
            let asml_root = asml.sqrt() / SSML;
            let (ymin, ymax) = if asml_root > amed_root {
                (amed_root, asml_root)
            } else {
                (asml_root, amed_root)
            };
            scl = 1.0;
            let ratio = ymin / ymax;
            sumsq = (ymax * ymax) * (1.0 + ratio * ratio);
        } else {
            scl = 1.0 / SSML;
            sumsq = asml;
        }
    } else {
        scl = 1.0;
        sumsq = amed;
    }
    scl * sumsq.sqrt()
}

/// Dot product as reference BLAS `ddot` (left-to-right accumulation from 0).
pub fn ddot(x: &[f64], y: &[f64]) -> f64 {
    let mut acc = 0.0;
    for (a, b) in x.iter().zip(y) {
        acc += a * b;
    }
    acc
}

/// `y += a * x` as reference BLAS `daxpy` (returns early when `a == 0`).
pub fn daxpy(a: f64, x: &[f64], y: &mut [f64]) {
    if a == 0.0 {
        return;
    }
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += a * xi;
    }
}

/// `x *= a` as reference BLAS `dscal`.
pub fn dscal(a: f64, x: &mut [f64]) {
    for xi in x.iter_mut() {
        *xi *= a;
    }
}

// ---------------------------------------------------------------------------
// LINPACK QR (R's dqrdc2 / dqrsl).
// ---------------------------------------------------------------------------

/// A QR decomposition in LINPACK's compact form, as R's `dqrdc2` leaves it
/// (the `qr`, `rank`, `pivot`, `qraux` components of R's `qr` objects).
#[derive(Debug, Clone, PartialEq)]
pub struct LinpackQr {
    /// Rows of the decomposed matrix.
    pub n: usize,
    /// Columns of the decomposed matrix.
    pub p: usize,
    /// `n × p` column-major: R in the upper triangle, Householder vectors
    /// below it (R's `qr$qr`).
    pub qr: Vec<f64>,
    /// Auxiliary Householder information (R's `qr$qraux`).
    pub qraux: Vec<f64>,
    /// Numerical rank (R's `qr$rank`).
    pub rank: usize,
    /// 0-based original column index of each decomposed column (R's
    /// `qr$pivot - 1`).
    pub pivot: Vec<usize>,
}

impl LinpackQr {
    /// Householder QR of the `n × p` column-major matrix `x` with R's limited
    /// pivoting (`dqrdc2`): a column whose norm has fallen below `tol` times
    /// its original norm is moved to the right-hand edge, and the rank is the
    /// number of columns kept.
    ///
    /// ```
    /// use osteon_stats::glm_fit::LinpackQr;
    /// // cbind(1, 1:3): qr(x)$rank == 2, qr(x)$qr[1, 1] == -sqrt(3)
    /// let qr = LinpackQr::new(vec![1.0, 1.0, 1.0, 1.0, 2.0, 3.0], 3, 2, 1e-7);
    /// assert_eq!(qr.rank, 2);
    /// assert_eq!(qr.qr[0], -(3.0f64).sqrt());
    /// ```
    pub fn new(mut x: Vec<f64>, n: usize, p: usize, tol: f64) -> LinpackQr {
        assert_eq!(x.len(), n * p, "LinpackQr::new: x must hold n * p values");
        let mut qraux = vec![0.0; p];
        let mut norm_current = vec![0.0; p]; // work(, 1)
        let mut norm_original = vec![0.0; p]; // work(, 2)
        let mut pivot: Vec<usize> = (0..p).collect();
        if n > 0 {
            for j in 0..p {
                qraux[j] = dnrm2(&x[j * n..(j + 1) * n]);
                norm_current[j] = qraux[j];
                norm_original[j] = if qraux[j] == 0.0 { 1.0 } else { qraux[j] };
            }
        }
        let lup = n.min(p);
        // `k` is Fortran's 1-based k, starting at p + 1.
        let mut k = p + 1;
        for l in 0..lup {
            // Cycle negligible columns to the right-hand edge.
            while !(l + 1 >= k || qraux[l] >= norm_original[l] * tol) {
                x[l * n..p * n].rotate_left(n);
                pivot[l..p].rotate_left(1);
                qraux[l..p].rotate_left(1);
                norm_current[l..p].rotate_left(1);
                norm_original[l..p].rotate_left(1);
                k -= 1;
            }
            if l + 1 == n {
                continue;
            }
            let (head, tail) = x.split_at_mut((l + 1) * n);
            let col_l = &mut head[l * n + l..(l + 1) * n];
            let mut nrmxl = dnrm2(col_l);
            if nrmxl == 0.0 {
                continue;
            }
            if col_l[0] != 0.0 {
                nrmxl = nrmxl.copysign(col_l[0]);
            }
            dscal(1.0 / nrmxl, col_l);
            col_l[0] += 1.0;
            for j in (l + 1)..p {
                let col_j = &mut tail[(j - l - 1) * n + l..(j - l) * n];
                let t = -ddot(col_l, col_j) / col_l[0];
                daxpy(t, col_l, col_j);
                if qraux[j] != 0.0 {
                    let ratio = col_j[0].abs() / qraux[j];
                    let mut tt = 1.0 - ratio * ratio;
                    tt = tt.max(0.0);
                    if tt.abs() >= 1e-6 {
                        qraux[j] *= tt.sqrt();
                    } else {
                        qraux[j] = dnrm2(&col_j[1..]);
                        norm_current[j] = qraux[j];
                    }
                }
            }
            qraux[l] = col_l[0];
            col_l[0] = -nrmxl;
        }
        let rank = (k - 1).min(n);
        LinpackQr {
            n,
            p,
            qr: x,
            qraux,
            rank,
            pivot,
        }
    }

    /// Applies Householder reflection `j` (0-based) to `v` (length `n`),
    /// as `dqrsl` does: diagonal temporarily replaced by `qraux[j]`.
    fn reflect(&self, j: usize, v: &mut [f64]) {
        let n = self.n;
        let diag = self.qraux[j];
        let below = &self.qr[j * n + j + 1..(j + 1) * n];
        let tail = &mut v[j..];
        let mut dot = 0.0;
        dot += diag * tail[0];
        for (h, vi) in below.iter().zip(&tail[1..]) {
            dot += h * vi;
        }
        let t = -dot / diag;
        if t == 0.0 {
            return;
        }
        tail[0] += t * diag;
        for (vi, h) in tail[1..].iter_mut().zip(below) {
            *vi += t * h;
        }
    }

    /// `Q y` (`dqrsl` job 10000, as R's `qr.qy`), using the first `rank`
    /// reflections.
    pub fn qy(&self, y: &[f64]) -> Vec<f64> {
        let n = self.n;
        assert_eq!(y.len(), n, "LinpackQr::qy: y must have n values");
        let ju = self.rank.min(n.saturating_sub(1));
        let mut out = y.to_vec();
        for j in (0..ju).rev() {
            if self.qraux[j] != 0.0 {
                self.reflect(j, &mut out);
            }
        }
        out
    }

    /// R's `qr.Q(qr)`: the first `p` columns of Q, column-major n × p.
    pub fn q_thin(&self) -> Vec<f64> {
        let (n, p) = (self.n, self.p);
        let mut out = Vec::with_capacity(n * p);
        for j in 0..p {
            let mut e = vec![0.0; n];
            if j < n {
                e[j] = 1.0;
            }
            out.extend(self.qy(&e));
        }
        out
    }

    /// R's `qr.R(qr)`: the upper-triangular p × p factor, column-major.
    pub fn r_upper(&self) -> Vec<f64> {
        let (n, p) = (self.n, self.p);
        let mut r = vec![0.0; p * p];
        for j in 0..p {
            for i in 0..=j.min(n.saturating_sub(1)) {
                r[j * p + i] = self.qr[j * n + i];
            }
        }
        r
    }

    /// `dqrsl` with job 1110 on the first `rank` columns: returns
    /// `(b, rsd, qty)` — the least-squares coefficients (length `rank`, in
    /// pivoted order), residuals and `Qᵀy` (R's `effects`).
    pub fn solve(&self, y: &[f64]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let n = self.n;
        let k = self.rank;
        assert_eq!(y.len(), n, "LinpackQr::solve: y must have n values");
        let ju = k.min(n.saturating_sub(1));
        let mut qty = y.to_vec();
        if ju == 0 {
            // n == 1 (or k == 0, which dqrls never passes here).
            let mut b = vec![0.0; k];
            if k > 0 && self.qr[0] != 0.0 {
                b[0] = y[0] / self.qr[0];
            }
            let mut rsd = y.to_vec();
            if k > 0 {
                rsd[0] = 0.0;
            }
            return (b, rsd, qty);
        }
        for j in 0..ju {
            if self.qraux[j] != 0.0 {
                self.reflect(j, &mut qty);
            }
        }
        let mut b = qty[..k].to_vec();
        let mut rsd = vec![0.0; n];
        rsd[k..].copy_from_slice(&qty[k..]);
        for j in (0..k).rev() {
            let diag = self.qr[j * n + j];
            if diag == 0.0 {
                break;
            }
            b[j] /= diag;
            if j > 0 {
                let t = -b[j];
                daxpy(t, &self.qr[j * n..j * n + j], &mut b[..j]);
            }
        }
        for j in (0..ju).rev() {
            if self.qraux[j] != 0.0 {
                self.reflect(j, &mut rsd);
            }
        }
        (b, rsd, qty)
    }
}

/// Result of [`dqrls`], the components of R's `Cdqrls` list.
#[derive(Debug, Clone, PartialEq)]
pub struct DqrlsResult {
    /// The decomposition (`qr`, `qraux`, `rank`, `pivot`).
    pub qr: LinpackQr,
    /// Least-squares coefficients in pivoted order (length `p`; the
    /// `p - rank` trailing entries are 0), R's `coefficients`.
    pub coefficients: Vec<f64>,
    /// `y - X b`, R's `residuals`.
    pub residuals: Vec<f64>,
    /// `Qᵀ y`, R's `effects`.
    pub effects: Vec<f64>,
    /// Whether any column was moved (R's `pivoted`).
    pub pivoted: bool,
}

/// Least squares `x b ≈ y` exactly as R's `.Call(C_Cdqrls, x, y, tol, FALSE)`
/// (the fitter inside `lm.fit` and `glm.fit`). `x` is `n × p` column-major.
///
/// Errors where `Cdqrls` does: non-finite values in `x` or `y`.
///
/// ```
/// use osteon_stats::glm_fit::dqrls;
/// // .Call(stats:::C_Cdqrls, cbind(1, 1:3), c(1, 3, 5), 1e-7, FALSE)$coefficients
/// let fit = dqrls(&[1.0, 1.0, 1.0, 1.0, 2.0, 3.0], 3, 2, &[1.0, 3.0, 5.0], 1e-7).unwrap();
/// assert!((fit.coefficients[0] + 1.0).abs() < 1e-14);
/// assert!((fit.coefficients[1] - 2.0).abs() < 1e-14);
/// ```
pub fn dqrls(x: &[f64], n: usize, p: usize, y: &[f64], tol: f64) -> Result<DqrlsResult, GlmError> {
    if x.len() != n * p {
        return Err(GlmError::DimensionMismatch {
            what: "x must hold n * p values",
        });
    }
    if y.len() != n {
        return Err(GlmError::DimensionMismatch {
            what: "y must hold n values",
        });
    }
    if x.iter().any(|v| !v.is_finite()) {
        return Err(GlmError::NonFiniteDesign);
    }
    if y.iter().any(|v| !v.is_finite()) {
        return Err(GlmError::NonFiniteWorkingResponse);
    }
    let qr = LinpackQr::new(x.to_vec(), n, p, tol);
    let mut coefficients = vec![0.0; p];
    let (residuals, effects) = if qr.rank > 0 {
        let (b, rsd, qty) = qr.solve(y);
        coefficients[..b.len()].copy_from_slice(&b);
        (rsd, qty)
    } else {
        (y.to_vec(), y.to_vec())
    };
    let pivoted = qr.pivot.iter().enumerate().any(|(i, &j)| i != j);
    Ok(DqrlsResult {
        qr,
        coefficients,
        residuals,
        effects,
        pivoted,
    })
}

// ---------------------------------------------------------------------------
// glm.fit, Gamma(link = "identity").
// ---------------------------------------------------------------------------

/// Result of [`glm_gamma_identity`] (the parts of R's `glm` object DESeq2
/// uses, plus diagnostics).
#[derive(Debug, Clone, PartialEq)]
pub struct GlmFit {
    /// `coef(fit)`, in the order of the design columns; NaN (R's `NA`) for
    /// columns dropped as aliased.
    pub coefficients: Vec<f64>,
    /// `fit$converged`.
    pub converged: bool,
    /// `fit$iter`.
    pub iterations: usize,
    /// `fit$deviance`.
    pub deviance: f64,
    /// `fit$rank`.
    pub rank: usize,
    /// `fit$boundary`: a step had to be halved.
    pub boundary: bool,
    /// `fit$fitted.values`.
    pub fitted: Vec<f64>,
}

/// R's `glm.fit` convergence tolerance `glm.control()$epsilon`.
const GLM_EPSILON: f64 = 1e-8;
/// R's `glm.control()$maxit`.
const GLM_MAXIT: usize = 25;

/// `x %*% beta` through R's default `matprod` (reference `dgemv`, `"N"`,
/// alpha 1, beta 0): each row accumulated column by column from 0.
fn linear_predictor(x: &[f64], n: usize, beta: &[f64]) -> Vec<f64> {
    let mut eta = vec![0.0; n];
    for (j, &b) in beta.iter().enumerate() {
        for (e, xij) in eta.iter_mut().zip(&x[j * n..(j + 1) * n]) {
            *e += b * xij;
        }
    }
    eta
}

/// `sum(Gamma()$dev.resids(y, mu, 1))`, i.e.
/// `sum(-2 * (log(y/mu) - (y - mu)/mu))` with R's long double sum.
fn gamma_deviance(y: &[f64], mu: &[f64], scratch: &mut Vec<f64>) -> f64 {
    scratch.clear();
    scratch.extend(y.iter().zip(mu).map(|(&yi, &mi)| {
        let ratio = if yi == 0.0 { 1.0 } else { yi / mi };
        -2.0 * (ratio.ln() - (yi - mi) / mi)
    }));
    sum(scratch)
}

/// `Gamma()$validmu`: all finite and positive.
fn valid_mu(mu: &[f64]) -> bool {
    mu.iter().all(|m| m.is_finite()) && mu.iter().all(|&m| m > 0.0)
}

/// R's `glm.fit(x, y, start = start, family = Gamma(link = "identity"))`
/// with unit weights, zero offset and `glm.control()` defaults, reproducing
/// R 4.2's arithmetic exactly (IRLS with `Cdqrls`, step halving, the
/// relative-deviance convergence test).
///
/// `x_cols` are the design columns (include the intercept column of ones
/// yourself), each of length `y.len()`; `start` has one value per column.
///
/// ```
/// use osteon_stats::glm_fit::glm_gamma_identity;
/// let means = [5.0, 20.0, 100.0, 500.0, 2000.0];
/// let disps = [0.5, 0.16, 0.07, 0.05, 0.052];
/// let ones = vec![1.0; 5];
/// let inv: Vec<f64> = means.iter().map(|m| 1.0 / m).collect();
/// let fit = glm_gamma_identity(&disps, &[ones, inv], &[0.1, 1.0]).unwrap();
/// assert!(fit.converged);
/// assert!(fit.coefficients[0] > 0.0 && fit.coefficients[1] > 0.0);
/// ```
pub fn glm_gamma_identity(
    y: &[f64],
    x_cols: &[Vec<f64>],
    start: &[f64],
) -> Result<GlmFit, GlmError> {
    let n = y.len();
    let p = x_cols.len();
    if start.len() != p {
        return Err(GlmError::DimensionMismatch {
            what: "start must have one value per design column",
        });
    }
    if x_cols.iter().any(|c| c.len() != n) {
        return Err(GlmError::DimensionMismatch {
            what: "every design column must have y.len() values",
        });
    }
    if n == 0 {
        return Err(GlmError::NoObservations);
    }
    if y.iter().any(|v| !v.is_finite()) {
        return Err(GlmError::NonFiniteResponse);
    }
    if y.iter().any(|&v| v <= 0.0) {
        return Err(GlmError::NonPositiveResponse);
    }
    let mut x = Vec::with_capacity(n * p);
    for c in x_cols {
        x.extend_from_slice(c);
    }
    let tol = f64::min(1e-7, GLM_EPSILON / 1000.0);
    let mut scratch = Vec::with_capacity(n);

    let mut start = start.to_vec();
    let mut coefold = start.clone();
    // A one-column design is multiplied elementwise (`x * start`).
    let mut eta = linear_predictor(&x, n, &start);
    let mut mu = eta.clone();
    if !valid_mu(&mu) {
        return Err(GlmError::InvalidStartingValues);
    }
    let mut devold = gamma_deviance(y, &mu, &mut scratch);
    let mut dev = devold;
    let mut boundary = false;
    let mut converged = false;
    let mut coef: Option<Vec<f64>> = None;
    let mut rank = p.min(n);
    let mut pivot: Vec<usize> = (0..p).collect();
    let mut iterations = 0;
    let mut xw = vec![0.0; n * p];
    let mut zw = vec![0.0; n];
    for iter in 1..=GLM_MAXIT {
        iterations = iter;
        // varmu <- mu^2 (mu.eta is 1, weights are 1).
        let varmu: Vec<f64> = mu.iter().map(|m| m * m).collect();
        if varmu.iter().any(|v| v.is_nan()) {
            return Err(GlmError::NaVariance);
        }
        if varmu.contains(&0.0) {
            return Err(GlmError::ZeroVariance);
        }
        let w: Vec<f64> = varmu.iter().map(|v| (1.0 / v).sqrt()).collect();
        for i in 0..n {
            let z = eta[i] + (y[i] - mu[i]);
            zw[i] = z * w[i];
        }
        for j in 0..p {
            for i in 0..n {
                xw[j * n + i] = x[j * n + i] * w[i];
            }
        }
        let fit = dqrls(&xw, n, p, &zw, tol)?;
        rank = fit.qr.rank;
        pivot.clone_from(&fit.qr.pivot);
        if fit.coefficients.iter().any(|c| !c.is_finite()) {
            // R: warning("non-finite coefficients"), break.
            converged = false;
            break;
        }
        for (slot, &col) in fit.qr.pivot.iter().enumerate() {
            start[col] = fit.coefficients[slot];
        }
        eta = linear_predictor(&x, n, &start);
        mu.clone_from(&eta);
        dev = gamma_deviance(y, &mu, &mut scratch);
        boundary = false;
        if !dev.is_finite() {
            let mut ii = 1;
            while !dev.is_finite() {
                if ii > GLM_MAXIT {
                    return Err(GlmError::InnerLoop1);
                }
                ii += 1;
                for (s, c) in start.iter_mut().zip(&coefold) {
                    *s = (*s + c) / 2.0;
                }
                eta = linear_predictor(&x, n, &start);
                mu.clone_from(&eta);
                dev = gamma_deviance(y, &mu, &mut scratch);
            }
            boundary = true;
        }
        if !valid_mu(&mu) {
            let mut ii = 1;
            while !valid_mu(&mu) {
                if ii > GLM_MAXIT {
                    return Err(GlmError::InnerLoop2);
                }
                ii += 1;
                for (s, c) in start.iter_mut().zip(&coefold) {
                    *s = (*s + c) / 2.0;
                }
                eta = linear_predictor(&x, n, &start);
                mu.clone_from(&eta);
            }
            boundary = true;
            dev = gamma_deviance(y, &mu, &mut scratch);
        }
        if (dev - devold).abs() / (0.1 + dev.abs()) < GLM_EPSILON {
            converged = true;
            coef = Some(start.clone());
            break;
        }
        devold = dev;
        coefold.clone_from(&start);
        coef = Some(start.clone());
    }
    let mut coefficients = coef.ok_or(GlmError::NonFiniteCoefficients)?;
    for &col in &pivot[rank..] {
        coefficients[col] = f64::NAN;
    }
    Ok(GlmFit {
        coefficients,
        converged,
        iterations,
        deviance: dev,
        rank,
        boundary,
        fitted: mu,
    })
}

// ---------------------------------------------------------------------------
// DESeq2's parametric dispersion trend.
// ---------------------------------------------------------------------------

/// One outer iteration of [`deseq2_parametric_trend_trace`].
#[derive(Debug, Clone, PartialEq)]
pub struct TrendIteration {
    /// Genes inside the residual window `(1e-4, 15)` used for this glm.
    pub n_good: usize,
    /// The glm fit of this iteration.
    pub fit: GlmFit,
}

/// Why `DESeq2:::parametricDispersionFit` stopped with an error (DESeq2
/// then falls back to the local fit).
#[derive(Debug, Clone, PartialEq)]
pub enum TrendFailure {
    /// A `glm()` call failed.
    Glm(GlmError),
    /// "parametric dispersion fit failed": a coefficient is not positive (or NA).
    NonPositiveCoefficient,
    /// "dispersion fit did not converge" after 11 outer iterations.
    NotConverged,
}

/// The full record of [`deseq2_parametric_trend`]: every outer iteration and
/// the outcome (`(asymptDisp, extraPois)` or the failure).
#[derive(Debug, Clone, PartialEq)]
pub struct TrendTrace {
    /// Outer iterations in order.
    pub iterations: Vec<TrendIteration>,
    /// Final coefficients or the reason DESeq2 would fall back.
    pub outcome: Result<(f64, f64), TrendFailure>,
}

/// `DESeq2:::parametricDispersionFit(means, disps)` with every outer
/// iteration recorded.
pub fn deseq2_parametric_trend_trace(means: &[f64], disps: &[f64]) -> TrendTrace {
    assert_eq!(means.len(), disps.len(), "means and disps must pair up");
    let mut iterations = Vec::new();
    let mut coefs = [0.1, 1.0];
    let mut iter = 0;
    let outcome = loop {
        let good: Vec<usize> = (0..means.len())
            .filter(|&i| {
                let r = disps[i] / (coefs[0] + coefs[1] / means[i]);
                r > 1e-4 && r < 15.0
            })
            .collect();
        let y: Vec<f64> = good.iter().map(|&i| disps[i]).collect();
        let ones = vec![1.0; good.len()];
        let inv: Vec<f64> = good.iter().map(|&i| 1.0 / means[i]).collect();
        let fit = match glm_gamma_identity(&y, &[ones, inv], &coefs) {
            Ok(fit) => fit,
            Err(e) => break Err(TrendFailure::Glm(e)),
        };
        let oldcoefs = coefs;
        coefs = [fit.coefficients[0], fit.coefficients[1]];
        let converged = fit.converged;
        iterations.push(TrendIteration {
            n_good: good.len(),
            fit,
        });
        if !coefs.iter().all(|&c| c > 0.0) {
            break Err(TrendFailure::NonPositiveCoefficient);
        }
        let change: Vec<f64> = (0..2)
            .map(|k| {
                let l = (coefs[k] / oldcoefs[k]).ln();
                l * l
            })
            .collect();
        if sum(&change) < 1e-6 && converged {
            break Ok((coefs[0], coefs[1]));
        }
        iter += 1;
        if iter > 10 {
            break Err(TrendFailure::NotConverged);
        }
    };
    TrendTrace {
        iterations,
        outcome,
    }
}

/// `attr(DESeq2:::parametricDispersionFit(means, disps), "coefficients")`:
/// `Some((asymptDisp, extraPois))`, or `None` where DESeq2 errors and falls
/// back to the local dispersion fit.
///
/// ```
/// use osteon_stats::glm_fit::deseq2_parametric_trend;
/// let means: Vec<f64> = (1..=200).map(|i| 2.0 + i as f64 * 7.5).collect();
/// let disps: Vec<f64> = means.iter().enumerate()
///     .map(|(i, m)| (0.05 + 2.0 / m) * if i % 2 == 0 { 1.3 } else { 0.75 })
///     .collect();
/// let (asympt, extra) = deseq2_parametric_trend(&means, &disps).unwrap();
/// assert!(asympt > 0.0 && extra > 0.0);
/// ```
pub fn deseq2_parametric_trend(means: &[f64], disps: &[f64]) -> Option<(f64, f64)> {
    deseq2_parametric_trend_trace(means, disps).outcome.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_f64(token: &str) -> f64 {
        if token == "NA" {
            f64::NAN
        } else {
            token.parse().expect("number in reference data")
        }
    }

    fn assert_bits_eq(actual: &[f64], expected: &[f64], what: &str) {
        assert_eq!(actual.len(), expected.len(), "{what}: length");
        for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
            assert_eq!(a.to_bits(), e.to_bits(), "{what}[{i}]: {a:e} vs R {e:e}");
        }
    }

    #[test]
    fn blue_scaling_constants() {
        assert_eq!(2f64.powi(-511), 1.4916681462400413e-154);
        assert_eq!(2f64.powi(486), 1.9979190722022350e146);
        assert_eq!(2f64.powi(537), 4.4989137945431964e161);
        assert_eq!(2f64.powi(-538), 1.1113793747425387e-162);
    }

    #[test]
    fn dnrm2_matches_reference_blas() {
        // Values returned by dnrm2_ of Debian's libblas.so.3.11.0 (the BLAS
        // that R links), called on the same vectors.
        assert_eq!(dnrm2(&[3.0, 4.0]), 5.0);
        assert_eq!(dnrm2(&[1e-300, 1e-300, 3e-300]), 3.3166247903554e-300);
        assert_eq!(dnrm2(&[1e200, -1e200, 3.0]), 1.414213562373095e200);
        assert_eq!(dnrm2(&[1e-300, 0.7]), 0.7);
        assert_eq!(dnrm2(&[0.1, 0.2, 0.3, 1e-170]), 0.37416573867739417);
        assert_eq!(dnrm2(&[]), 0.0);
    }

    #[test]
    fn dqrls_matches_r_cdqrls_bit_for_bit() {
        // .Call(stats:::C_Cdqrls, x, y, tol, FALSE) on seven matrices
        // (full rank, aliased column, zero column, p > n, near collinear,
        // 1 x 1); see tests/data/glm_fit/make_glm_fit_data.R.
        let text = include_str!("../tests/data/glm_fit/dqrls_cases.txt");
        let mut lines = text.lines().filter(|l| !l.starts_with('#'));
        let mut cases = 0;
        while let Some(header) = lines.next() {
            let h: Vec<&str> = header.split_whitespace().collect();
            assert_eq!(h[0], "case");
            let label = h[1];
            let n: usize = h[2].parse().unwrap();
            let p: usize = h[3].parse().unwrap();
            let tol = parse_f64(h[4]);
            let mut field = |name: &str| -> Vec<f64> {
                let line = lines.next().unwrap();
                let mut tokens = line.split_whitespace();
                assert_eq!(tokens.next(), Some(name), "{label}");
                tokens.map(parse_f64).collect()
            };
            let x = field("x");
            let y = field("y");
            let rank = field("rank");
            let pivot = field("pivot");
            let qraux = field("qraux");
            let qr = field("qr");
            let coefficients = field("coefficients");
            let residuals = field("residuals");
            let effects = field("effects");
            let fit = dqrls(&x, n, p, &y, tol).unwrap();
            assert_eq!(fit.qr.rank as f64, rank[0], "{label}: rank");
            let pivot_1based: Vec<f64> = fit.qr.pivot.iter().map(|&j| (j + 1) as f64).collect();
            assert_eq!(pivot_1based, pivot, "{label}: pivot");
            assert_bits_eq(&fit.qr.qraux, &qraux, &format!("{label} qraux"));
            assert_bits_eq(&fit.qr.qr, &qr, &format!("{label} qr"));
            assert_bits_eq(
                &fit.coefficients,
                &coefficients,
                &format!("{label} coefficients"),
            );
            assert_bits_eq(&fit.residuals, &residuals, &format!("{label} residuals"));
            assert_bits_eq(&fit.effects, &effects, &format!("{label} effects"));
            cases += 1;
        }
        assert_eq!(cases, 7);
    }

    #[test]
    fn dqrls_rejects_non_finite_input() {
        let x = [1.0, 1.0, f64::NAN, 2.0];
        assert_eq!(
            dqrls(&x, 2, 2, &[1.0, 2.0], 1e-7).unwrap_err(),
            GlmError::NonFiniteDesign
        );
        let x = [1.0, 1.0, 1.0, 2.0];
        assert_eq!(
            dqrls(&x, 2, 2, &[1.0, f64::INFINITY], 1e-7).unwrap_err(),
            GlmError::NonFiniteWorkingResponse
        );
    }

    fn read_pairs(text: &str) -> (Vec<f64>, Vec<f64>) {
        let mut means = Vec::new();
        let mut disps = Vec::new();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let mut t = line.split_whitespace().map(parse_f64);
            means.push(t.next().unwrap());
            disps.push(t.next().unwrap());
        }
        (means, disps)
    }

    /// Checks the single `glm()` call, every outer iteration of
    /// `parametricDispersionFit` and its final coefficients, all bit for bit.
    fn check_dataset(input: &str, expected: &str) {
        let (means, disps) = read_pairs(input);
        let trace = deseq2_parametric_trend_trace(&means, &disps);
        let mut iteration = 0;
        let mut saw_trend = false;
        for line in expected.lines().filter(|l| !l.starts_with('#')) {
            let t: Vec<&str> = line.split_whitespace().collect();
            match t[0] {
                "glm" => {
                    let start = [parse_f64(t[1]), parse_f64(t[2])];
                    let inv: Vec<f64> = means.iter().map(|m| 1.0 / m).collect();
                    let ones = vec![1.0; means.len()];
                    let fit = glm_gamma_identity(&disps, &[ones, inv], &start).unwrap();
                    assert_eq!(fit.iterations.to_string(), t[4]);
                    assert_eq!(u8::from(fit.converged).to_string(), t[5]);
                    assert_eq!(fit.deviance, parse_f64(t[6]));
                    assert_eq!(fit.coefficients[0], parse_f64(t[7]));
                    assert_eq!(fit.coefficients[1], parse_f64(t[8]));
                }
                "iteration" => {
                    let it = &trace.iterations[iteration];
                    assert_eq!(it.n_good.to_string(), t[1], "iteration {iteration}");
                    assert_eq!(it.fit.iterations.to_string(), t[2], "iteration {iteration}");
                    assert_eq!(u8::from(it.fit.converged).to_string(), t[3]);
                    assert_eq!(it.fit.deviance, parse_f64(t[4]), "iteration {iteration}");
                    assert_eq!(
                        it.fit.coefficients[0],
                        parse_f64(t[5]),
                        "iteration {iteration}"
                    );
                    assert_eq!(
                        it.fit.coefficients[1],
                        parse_f64(t[6]),
                        "iteration {iteration}"
                    );
                    iteration += 1;
                }
                "trend" => {
                    let expected = (parse_f64(t[1]), parse_f64(t[2]));
                    assert_eq!(trace.outcome, Ok(expected));
                    assert_eq!(deseq2_parametric_trend(&means, &disps), Some(expected));
                    saw_trend = true;
                }
                other => panic!("unexpected line kind {other}"),
            }
        }
        assert!(saw_trend);
        assert_eq!(iteration, trace.iterations.len());
    }

    #[test]
    fn parametric_trend_simulated_2000_bit_exact() {
        // Final: attr(DESeq2:::parametricDispersionFit(means, disps), "coefficients")
        //   = 0.058159957999838668, 2.1837247147090255 (2 outer iterations).
        check_dataset(
            include_str!("../tests/data/glm_fit/sim2000_input.txt"),
            include_str!("../tests/data/glm_fit/sim2000_expected.txt"),
        );
    }

    #[test]
    fn parametric_trend_deseq_example_bit_exact() {
        // makeExampleDESeqDataSet(n = 3000, m = 8) gene-wise estimates; final
        // coefficients 0.08825974824859685, 4.9331734589153315 (3 outer iterations).
        check_dataset(
            include_str!("../tests/data/glm_fit/deseq_example_input.txt"),
            include_str!("../tests/data/glm_fit/deseq_example_expected.txt"),
        );
    }

    #[test]
    fn step_halving_case_matches_r() {
        // means <- c(1.2508991094392616, 1.0012876008492777, 9.2422873600641946, 2.4293147721502111)
        // disps <- c(0.15870729482572279, 1.3354756136199117, 5.1787838656875573, 0.13425504831726262)
        // fit <- glm(disps ~ I(1/means), family = Gamma(link = "identity"),
        //            start = c(1.2186521752737463, 0.81917489971965551))
        // fit$iter 25, fit$converged FALSE, fit$boundary TRUE
        let means = [
            1.2508991094392616,
            1.0012876008492777,
            9.2422873600641946,
            2.4293147721502111,
        ];
        let disps = [
            0.15870729482572279,
            1.3354756136199117,
            5.1787838656875573,
            0.13425504831726262,
        ];
        let inv: Vec<f64> = means.iter().map(|m| 1.0 / m).collect();
        let fit = glm_gamma_identity(
            &disps,
            &[vec![1.0; 4], inv],
            &[1.2186521752737463, 0.81917489971965551],
        )
        .unwrap();
        assert_eq!(fit.iterations, 25);
        assert!(!fit.converged);
        assert!(fit.boundary);
        assert_eq!(fit.deviance, 12.73959127834158); // fit$deviance
        assert_eq!(
            fit.coefficients,
            vec![2.7627123470774517, -2.5621618865298101]
        );
    }

    #[test]
    fn aliased_column_gets_na_like_r() {
        // x <- c(2, 5, 10, 40, 100, 400); y <- c(0.9, 0.5, 0.3, 0.12, 0.1, 0.06)
        // fit <- glm.fit(cbind(1, 1/x, 2/x), y, start = c(0.1, 1, 0),
        //                family = Gamma(link = "identity"))
        // fit$iter 6, fit$rank 2, fit$qr$pivot 1 2 3,
        // fit$coefficients 0.066528989172553746 2.0399871601201731 NA
        let x = [2.0, 5.0, 10.0, 40.0, 100.0, 400.0];
        let y = [0.9, 0.5, 0.3, 0.12, 0.1, 0.06];
        let cols = vec![
            vec![1.0; 6],
            x.iter().map(|v| 1.0 / v).collect(),
            x.iter().map(|v| 2.0 / v).collect(),
        ];
        let fit = glm_gamma_identity(&y, &cols, &[0.1, 1.0, 0.0]).unwrap();
        assert_eq!(fit.iterations, 6);
        assert!(fit.converged);
        assert_eq!(fit.rank, 2);
        assert_eq!(fit.deviance, 0.097818718258145088);
        assert_eq!(fit.coefficients[0], 0.066528989172553746);
        assert_eq!(fit.coefficients[1], 2.0399871601201731);
        assert!(fit.coefficients[2].is_nan());
    }

    #[test]
    fn single_column_design_matches_r() {
        // glm.fit(cbind(1/x), y, start = 1, family = Gamma(link = "identity"))
        // with x, y as above: iter 2, deviance 5.1647527158941342,
        // coefficient 7.6833333333333336
        let x = [2.0, 5.0, 10.0, 40.0, 100.0, 400.0];
        let y = [0.9, 0.5, 0.3, 0.12, 0.1, 0.06];
        let cols = vec![x.iter().map(|v| 1.0 / v).collect()];
        let fit = glm_gamma_identity(&y, &cols, &[1.0]).unwrap();
        assert_eq!(fit.iterations, 2);
        assert!(fit.converged);
        assert_eq!(fit.deviance, 5.1647527158941342);
        assert_eq!(fit.coefficients, vec![7.6833333333333336]);
    }

    #[test]
    fn errors_where_r_errors() {
        let x = [2.0, 5.0, 10.0, 40.0, 100.0, 400.0];
        let inv: Vec<f64> = x.iter().map(|v| 1.0 / v).collect();
        let cols = vec![vec![1.0; 6], inv];
        // "non-positive values not allowed for the 'Gamma' family"
        let y0 = [0.5, 0.3, 0.12, 0.1, 0.06, 0.0];
        assert_eq!(
            glm_gamma_identity(&y0, &cols, &[0.1, 1.0]).unwrap_err(),
            GlmError::NonPositiveResponse
        );
        // start = c(-1, 1): "cannot find valid starting values: please specify some"
        let y = [0.9, 0.5, 0.3, 0.12, 0.1, 0.06];
        assert_eq!(
            glm_gamma_identity(&y, &cols, &[-1.0, 1.0]).unwrap_err(),
            GlmError::InvalidStartingValues
        );
        assert!(matches!(
            glm_gamma_identity(&y, &cols, &[0.1]),
            Err(GlmError::DimensionMismatch { .. })
        ));
        // No genes in the residual window: DESeq2 errors and falls back.
        assert_eq!(deseq2_parametric_trend(&[], &[]), None);
    }
}
