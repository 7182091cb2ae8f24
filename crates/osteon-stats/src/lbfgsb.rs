//! Bound-constrained limited-memory BFGS minimisation, reproducing R's
//! `optim(par, fn, gr, method = "L-BFGS-B", lower, upper)` bit for bit.
//!
//! Sources ported (R 4.2):
//! - `src/appl/lbfgsb.c`: R's f2c translation of L-BFGS-B version 2.3 by
//!   Ciyou Zhu, Richard Byrd, Peihuang Lu-Chen and Jorge Nocedal (the
//!   subroutines `mainlb`, `active`, `bmv`, `cauchy`, `cmprlb`, `errclb`,
//!   `formk`, `formt`, `freev`, `hpsolb`, `lnsrlb`, `matupd`, `projgr`,
//!   `subsm`) with the Moré–Thuente line search `dcsrch`/`dcstep` from
//!   MINPACK-2, and `DBL_EPSILON` as the machine precision;
//! - the driver `lbfgsb()` in `src/appl/optim.c` (iteration limit, result
//!   codes, counts);
//! - `fminfn()`/`fmingr()` in `src/library/stats/src/optim.c`, including the
//!   central finite-difference gradient whose steps are truncated at the
//!   bounds when no gradient function is supplied;
//! - LINPACK `dpofa` and `dtrsl` and the reference BLAS `ddot`, `daxpy`,
//!   `dscal` (R's default BLAS), keeping their summation order.
//!
//! The reverse-communication loop of the Fortran original is written here as
//! ordinary calls into the objective, but every floating-point operation is
//! performed in the original order so that iterates, counts and messages
//! agree with R exactly.
//!
//! References: R. H. Byrd, P. Lu, J. Nocedal and C. Zhu (1995), "A limited
//! memory algorithm for bound constrained optimization", SIAM J. Scientific
//! Computing 16, 1190–1208; J. J. Moré and D. J. Thuente (1994), "Line search
//! algorithms with guaranteed sufficient decrease", ACM TOMS 20, 286–307.

use std::ops::{Index, IndexMut};

/// Control settings of R's `optim(method = "L-BFGS-B")`; `Default` gives R's
/// defaults (`lmm = 5`, `factr = 1e7`, `pgtol = 0`, `maxit = 100`,
/// `ndeps = 1e-3`). `parscale` and `fnscale` are fixed at 1.
#[derive(Debug, Clone, PartialEq)]
pub struct LbfgsbOptions {
    /// Number of stored BFGS corrections (R's `lmm`).
    pub m: usize,
    /// Relative-reduction tolerance, in units of machine epsilon.
    pub factr: f64,
    /// Tolerance on the projected gradient's infinity norm.
    pub pgtol: f64,
    /// Maximum number of iterations (R stops after iteration `maxit + 1`).
    pub maxit: usize,
    /// Finite-difference step for the numerical gradient.
    pub ndeps: f64,
}

impl Default for LbfgsbOptions {
    fn default() -> Self {
        LbfgsbOptions {
            m: 5,
            factr: 1e7,
            pgtol: 0.0,
            maxit: 100,
            ndeps: 1e-3,
        }
    }
}

/// Why a run stopped where R's `optim` would have raised an error instead of
/// returning a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptimAbort {
    /// The objective returned NaN or an infinite value at an iterate
    /// (R: "L-BFGS-B needs finite values of 'fn'").
    NonFiniteValue,
    /// A parameter vector handed to the objective was not finite
    /// (R: "non-finite value supplied by optim").
    NonFiniteParameter,
    /// A finite-difference gradient component was not finite
    /// (R: "non-finite finite-difference value \[i\]"); `index` is 1-based.
    NonFiniteGradient {
        /// 1-based index of the offending component, as in R's message.
        index: usize,
    },
}

/// Outcome of [`optim_lbfgsb`], with the fields of R's `optim` result.
#[derive(Debug, Clone, PartialEq)]
pub struct LbfgsbResult {
    /// Final parameters (`o$par`).
    pub par: Vec<f64>,
    /// Objective at `par` (`o$value`).
    pub value: f64,
    /// R's code: 0 converged, 1 iteration limit reached, 51 warning,
    /// 52 error (also used when `aborted` is set).
    pub convergence: i32,
    /// `o$counts["function"]`: objective+gradient evaluations requested by
    /// the algorithm (finite-difference evaluations are not counted).
    pub fn_count: usize,
    /// `o$counts["gradient"]` (always equal to `fn_count` for L-BFGS-B).
    pub gr_count: usize,
    /// `o$message`, e.g. `"CONVERGENCE: REL_REDUCTION_OF_F <= FACTR*EPSMCH"`;
    /// the text of R's error when `aborted` is set.
    pub message: String,
    /// Set where R would have stopped with an error; the other fields then
    /// describe the last accepted iterate.
    pub aborted: Option<OptimAbort>,
}

/// Minimise `f` subject to `lower <= x <= upper` with L-BFGS-B, using R's
/// finite-difference gradient (what `optim` does when `gr = NULL`).
///
/// `lower` and `upper` are recycled to the length of `x0` like R's
/// `rep_len`; an empty slice or a non-finite entry means "no bound".
///
/// ```
/// use osteon_stats::lbfgsb::{optim_lbfgsb, LbfgsbOptions};
/// let o = optim_lbfgsb(
///     |x: &[f64]| (x[0] - 2.0).powi(2) + (x[1] + 1.0).powi(2),
///     &[0.0, 0.0],
///     &[-10.0],
///     &[1.5],
///     &LbfgsbOptions::default(),
/// );
/// assert_eq!(o.convergence, 0);
/// assert_eq!(o.par[0], 1.5); // held at the upper bound
/// assert!((o.par[1] + 1.0).abs() < 1e-6);
/// ```
pub fn optim_lbfgsb<F: FnMut(&[f64]) -> f64>(
    f: F,
    x0: &[f64],
    lower: &[f64],
    upper: &[f64],
    opts: &LbfgsbOptions,
) -> LbfgsbResult {
    let n = x0.len();
    let lower = recycle(lower, n, f64::NEG_INFINITY);
    let upper = recycle(upper, n, f64::INFINITY);
    let mut objective = FiniteDifference {
        f,
        ndeps: opts.ndeps,
        lower: lower.clone(),
        upper: upper.clone(),
        probe: Vec::with_capacity(n),
    };
    drive(&mut objective, x0, &lower, &upper, opts)
}

/// Minimise `f` subject to `lower <= x <= upper` with L-BFGS-B and the
/// analytic gradient `gr`, which writes the gradient at `x` into its second
/// argument (R's `optim(par, fn, gr, method = "L-BFGS-B", ...)`).
///
/// ```
/// use osteon_stats::lbfgsb::{optim_lbfgsb_with_gradient, LbfgsbOptions};
/// let o = optim_lbfgsb_with_gradient(
///     |x: &[f64]| (x[0] - 2.0) * (x[0] - 2.0),
///     |x: &[f64], g: &mut [f64]| g[0] = 2.0 * (x[0] - 2.0),
///     &[0.0],
///     &[],
///     &[],
///     &LbfgsbOptions::default(),
/// );
/// assert_eq!(o.convergence, 0);
/// assert!((o.par[0] - 2.0).abs() < 1e-8);
/// ```
pub fn optim_lbfgsb_with_gradient<F, G>(
    f: F,
    gr: G,
    x0: &[f64],
    lower: &[f64],
    upper: &[f64],
    opts: &LbfgsbOptions,
) -> LbfgsbResult
where
    F: FnMut(&[f64]) -> f64,
    G: FnMut(&[f64], &mut [f64]),
{
    let n = x0.len();
    let lower = recycle(lower, n, f64::NEG_INFINITY);
    let upper = recycle(upper, n, f64::INFINITY);
    let mut objective = Analytic { f, gr };
    drive(&mut objective, x0, &lower, &upper, opts)
}

/// R's `as.double(rep_len(bound, n))`, with an empty vector giving `missing`.
fn recycle(bound: &[f64], n: usize, missing: f64) -> Vec<f64> {
    if bound.is_empty() {
        vec![missing; n]
    } else {
        (0..n).map(|i| bound[i % bound.len()]).collect()
    }
}

/// Objective as seen by the algorithm: R's `fminfn` and `fmingr`.
trait Objective {
    fn value(&mut self, x: &[f64]) -> Result<f64, OptimAbort>;
    fn gradient(&mut self, x: &[f64], g: &mut [f64]) -> Result<(), OptimAbort>;
}

/// `fminfn`: R refuses non-finite parameters before calling `fn`.
fn checked_value<F: FnMut(&[f64]) -> f64>(f: &mut F, x: &[f64]) -> Result<f64, OptimAbort> {
    if x.iter().any(|v| !v.is_finite()) {
        return Err(OptimAbort::NonFiniteParameter);
    }
    Ok(f(x))
}

struct Analytic<F, G> {
    f: F,
    gr: G,
}

impl<F: FnMut(&[f64]) -> f64, G: FnMut(&[f64], &mut [f64])> Objective for Analytic<F, G> {
    fn value(&mut self, x: &[f64]) -> Result<f64, OptimAbort> {
        checked_value(&mut self.f, x)
    }
    fn gradient(&mut self, x: &[f64], g: &mut [f64]) -> Result<(), OptimAbort> {
        if x.iter().any(|v| !v.is_finite()) {
            return Err(OptimAbort::NonFiniteParameter);
        }
        (self.gr)(x, g);
        Ok(())
    }
}

/// `fmingr` without `gr`: central differences with step `ndeps`, each side
/// truncated at its bound (`usebounds`, always on for L-BFGS-B).
struct FiniteDifference<F> {
    f: F,
    ndeps: f64,
    lower: Vec<f64>,
    upper: Vec<f64>,
    probe: Vec<f64>,
}

impl<F: FnMut(&[f64]) -> f64> Objective for FiniteDifference<F> {
    fn value(&mut self, x: &[f64]) -> Result<f64, OptimAbort> {
        checked_value(&mut self.f, x)
    }
    fn gradient(&mut self, x: &[f64], g: &mut [f64]) -> Result<(), OptimAbort> {
        self.probe.clear();
        self.probe.extend_from_slice(x);
        for i in 0..x.len() {
            let mut eps = self.ndeps;
            let mut eps_up = eps;
            let mut probe_at = x[i] + eps;
            if probe_at > self.upper[i] {
                probe_at = self.upper[i];
                eps_up = probe_at - x[i];
            }
            self.probe[i] = probe_at;
            let val_up = (self.f)(&self.probe);
            probe_at = x[i] - eps;
            if probe_at < self.lower[i] {
                probe_at = self.lower[i];
                eps = x[i] - probe_at;
            }
            self.probe[i] = probe_at;
            let val_down = (self.f)(&self.probe);
            g[i] = (val_up - val_down) / (eps_up + eps);
            if !g[i].is_finite() {
                return Err(OptimAbort::NonFiniteGradient { index: i + 1 });
            }
            self.probe[i] = x[i];
        }
        Ok(())
    }
}

/// Final state handed back by [`mainlb`].
struct Finish {
    f: f64,
    fail: i32,
    nfgv: usize,
    message: String,
    aborted: Option<OptimAbort>,
}

/// R's `lbfgsb()` driver: bound types, the `n == 0` shortcut, result codes.
fn drive(
    objective: &mut dyn Objective,
    x0: &[f64],
    lower: &[f64],
    upper: &[f64],
    opts: &LbfgsbOptions,
) -> LbfgsbResult {
    let n = x0.len();
    let mut x = x0.to_vec();
    if n == 0 {
        // "not handled in setulb": one evaluation, no gradient.
        let (value, aborted) = match objective.value(&x) {
            Ok(v) => (v, None),
            Err(e) => (f64::NAN, Some(e)),
        };
        return LbfgsbResult {
            par: x,
            value,
            convergence: if aborted.is_some() { 52 } else { 0 },
            fn_count: 1,
            gr_count: 0,
            message: match &aborted {
                Some(e) => abort_message(e),
                None => "NOTHING TO DO".to_string(),
            },
            aborted,
        };
    }
    let nbd: Vec<i32> = (0..n)
        .map(|i| match (lower[i].is_finite(), upper[i].is_finite()) {
            (false, false) => 0,
            (false, true) => 3,
            (true, false) => 1,
            (true, true) => 2,
        })
        .collect();
    let finish = mainlb(
        objective, &mut x, lower, upper, &nbd, opts.m, opts.factr, opts.pgtol, opts.maxit,
    );
    let message = match &finish.aborted {
        Some(e) => abort_message(e),
        None => finish.message,
    };
    LbfgsbResult {
        par: x,
        value: finish.f,
        convergence: finish.fail,
        fn_count: finish.nfgv,
        gr_count: finish.nfgv,
        message,
        aborted: finish.aborted,
    }
}

fn abort_message(abort: &OptimAbort) -> String {
    match abort {
        OptimAbort::NonFiniteValue => "L-BFGS-B needs finite values of 'fn'".to_string(),
        OptimAbort::NonFiniteParameter => "non-finite value supplied by optim".to_string(),
        OptimAbort::NonFiniteGradient { index } => {
            format!("non-finite finite-difference value [{index}]")
        }
    }
}

// ---------------------------------------------------------------------------
// Storage helpers
// ---------------------------------------------------------------------------

/// Column-major matrix addressed with 1-based `(row, column)` pairs, as in
/// the Fortran original (used for the small `m x m` and `2m x 2m` arrays).
#[derive(Debug, Clone)]
struct Matrix {
    data: Vec<f64>,
    ld: usize,
}

impl Matrix {
    fn zeros(ld: usize, ncol: usize) -> Self {
        Matrix {
            data: vec![0.0; ld * ncol],
            ld,
        }
    }
}

impl Index<(usize, usize)> for Matrix {
    type Output = f64;
    fn index(&self, (i, j): (usize, usize)) -> &f64 {
        &self.data[(i - 1) + (j - 1) * self.ld]
    }
}

impl IndexMut<(usize, usize)> for Matrix {
    fn index_mut(&mut self, (i, j): (usize, usize)) -> &mut f64 {
        &mut self.data[(i - 1) + (j - 1) * self.ld]
    }
}

/// The `n x m` arrays of correction vectors (S or Y); columns are addressed
/// by the 1-based circular pointers of the original (`head`, `itail`).
#[derive(Debug, Clone)]
struct Corrections {
    data: Vec<f64>,
    n: usize,
}

impl Corrections {
    fn col(&self, pointer: usize) -> &[f64] {
        &self.data[(pointer - 1) * self.n..pointer * self.n]
    }
    fn col_mut(&mut self, pointer: usize) -> &mut [f64] {
        &mut self.data[(pointer - 1) * self.n..pointer * self.n]
    }
}

/// The limited-memory BFGS matrix: S, Y, S'Y, S'S, the Cholesky factor of
/// `theta*S'S + L*D^(-1)*L'`, and its bookkeeping.
struct LimitedMemory {
    m: usize,
    ws: Corrections,
    wy: Corrections,
    sy: Matrix,
    ss: Matrix,
    wt: Matrix,
    theta: f64,
    /// Number of stored corrections.
    col: usize,
    /// 1-based position of the oldest correction.
    head: usize,
    /// 1-based position of the newest correction.
    itail: usize,
    /// Total number of BFGS updates since the last reset.
    iupdat: usize,
}

impl LimitedMemory {
    fn new(n: usize, m: usize) -> Self {
        LimitedMemory {
            m,
            ws: Corrections {
                data: vec![0.0; n * m],
                n,
            },
            wy: Corrections {
                data: vec![0.0; n * m],
                n,
            },
            sy: Matrix::zeros(m, m),
            ss: Matrix::zeros(m, m),
            wt: Matrix::zeros(m, m),
            theta: 1.0,
            col: 0,
            head: 1,
            itail: 0,
            iupdat: 0,
        }
    }

    /// Discard the stored corrections (the "refresh the lbfgs memory" step).
    fn reset(&mut self) {
        self.col = 0;
        self.head = 1;
        self.theta = 1.0;
        self.iupdat = 0;
    }

    /// Advance a 1-based circular pointer.
    fn next(&self, pointer: usize) -> usize {
        pointer % self.m + 1
    }
}

// ---------------------------------------------------------------------------
// Reference BLAS and LINPACK kernels (summation order preserved)
// ---------------------------------------------------------------------------

/// Reference BLAS `ddot` with unit strides: a plain left-to-right sum.
fn ddot(n: usize, x: &[f64], y: &[f64]) -> f64 {
    let mut sum = 0.0;
    for i in 0..n {
        sum += x[i] * y[i];
    }
    sum
}

/// Reference BLAS `daxpy`: `y += a*x`, skipped entirely when `a == 0`.
fn daxpy(n: usize, a: f64, x: &[f64], y: &mut [f64]) {
    if a == 0.0 {
        return;
    }
    for i in 0..n {
        y[i] += a * x[i];
    }
}

/// Reference BLAS `dscal`: `x *= a`.
fn dscal(n: usize, a: f64, x: &mut [f64]) {
    for v in x[..n].iter_mut() {
        *v *= a;
    }
}

/// LINPACK `dpofa`: Cholesky factor `R'R` of the `n x n` block whose
/// top-left element is `a[(start, start)]`, stored in its upper triangle.
/// Returns 0, or the order of the first leading minor that is not positive
/// definite.
fn dpofa(a: &mut Matrix, start: usize, n: usize) -> usize {
    let ld = a.ld;
    let at = |i: usize, j: usize| (start + i - 2) + (start + j - 2) * ld;
    for j in 1..=n {
        let mut s = 0.0;
        for k in 1..j {
            let mut dot = 0.0;
            for i in 1..k {
                dot += a.data[at(i, k)] * a.data[at(i, j)];
            }
            let mut t = a.data[at(k, j)] - dot;
            t /= a.data[at(k, k)];
            a.data[at(k, j)] = t;
            s += t * t;
        }
        s = a.data[at(j, j)] - s;
        if s <= 0.0 {
            return j;
        }
        a.data[at(j, j)] = s.sqrt();
    }
    0
}

/// LINPACK `dtrsl` for the upper-triangular `n x n` block at the top left of
/// `t`: solves `T'x = b` (job 11) when `transpose`, else `T x = b` (job 01).
/// Returns 0, or the 1-based index of the first zero diagonal element (then
/// `b` is untouched).
fn dtrsl_upper(t: &Matrix, n: usize, b: &mut [f64], transpose: bool) -> usize {
    for info in 1..=n {
        if t[(info, info)] == 0.0 {
            return info;
        }
    }
    if transpose {
        b[0] /= t[(1, 1)];
        for j in 2..=n {
            let mut dot = 0.0;
            for i in 1..j {
                dot += t[(i, j)] * b[i - 1];
            }
            b[j - 1] -= dot;
            b[j - 1] /= t[(j, j)];
        }
    } else {
        b[n - 1] /= t[(n, n)];
        for jj in 2..=n {
            let j = n - jj + 1;
            let temp = -b[j];
            if temp != 0.0 {
                for i in 1..=j {
                    b[i - 1] += temp * t[(i, j + 1)];
                }
            }
            b[j - 1] /= t[(j, j)];
        }
    }
    0
}

// ---------------------------------------------------------------------------
// L-BFGS-B subroutines
// ---------------------------------------------------------------------------

/// Bound codes (`nbd`): 0 unbounded, 1 lower only, 2 both, 3 upper only.
type BoundCode = i32;

/// `active`: project the starting point onto the box and initialise `iwhere`
/// (-1 unbounded, 3 fixed because `l == u`, 0 otherwise). Returns
/// `(constrained, boxed)`.
fn active(
    l: &[f64],
    u: &[f64],
    nbd: &[BoundCode],
    x: &mut [f64],
    iwhere: &mut [i32],
) -> (bool, bool) {
    let n = x.len();
    let mut cnstnd = false;
    let mut boxed = true;
    for i in 0..n {
        if nbd[i] > 0 {
            if nbd[i] <= 2 && x[i] <= l[i] {
                if x[i] < l[i] {
                    x[i] = l[i];
                }
            } else if nbd[i] >= 2 && x[i] >= u[i] && x[i] > u[i] {
                x[i] = u[i];
            }
        }
    }
    for i in 0..n {
        if nbd[i] != 2 {
            boxed = false;
        }
        if nbd[i] == 0 {
            iwhere[i] = -1;
        } else {
            cnstnd = true;
            iwhere[i] = if nbd[i] == 2 && u[i] - l[i] <= 0.0 {
                3
            } else {
                0
            };
        }
    }
    (cnstnd, boxed)
}

/// `projgr`: infinity norm of the projected gradient.
fn projgr(l: &[f64], u: &[f64], nbd: &[BoundCode], x: &[f64], g: &[f64]) -> f64 {
    let mut sbgnrm = 0.0;
    for i in 0..x.len() {
        let mut gi = g[i];
        if nbd[i] != 0 {
            if gi < 0.0 {
                if nbd[i] >= 2 {
                    let room = x[i] - u[i];
                    if gi < room {
                        gi = room;
                    }
                }
            } else if nbd[i] <= 2 {
                let room = x[i] - l[i];
                if gi > room {
                    gi = room;
                }
            }
        }
        if sbgnrm < gi.abs() {
            sbgnrm = gi.abs();
        }
    }
    sbgnrm
}

/// `bmv`: product of the `2col x 2col` middle matrix of the compact L-BFGS
/// formula with `v`, written to `p`. Returns `dtrsl`'s info.
fn bmv(bfgs: &LimitedMemory, v: &[f64], p: &mut [f64]) -> usize {
    let col = bfgs.col;
    let sy = &bfgs.sy;
    if col == 0 {
        return 0;
    }
    p[col] = v[col];
    for i in 2..=col {
        let i2 = col + i;
        let mut sum = 0.0;
        for k in 1..i {
            sum += sy[(i, k)] * v[k - 1] / sy[(k, k)];
        }
        p[i2 - 1] = v[i2 - 1] + sum;
    }
    let info = dtrsl_upper(&bfgs.wt, col, &mut p[col..], true);
    if info != 0 {
        return info;
    }
    for i in 1..=col {
        p[i - 1] = v[i - 1] / sy[(i, i)].sqrt();
    }
    let info = dtrsl_upper(&bfgs.wt, col, &mut p[col..], false);
    if info != 0 {
        return info;
    }
    for i in 1..=col {
        p[i - 1] = -p[i - 1] / sy[(i, i)].sqrt();
    }
    for i in 1..=col {
        let mut sum = 0.0;
        for k in (i + 1)..=col {
            sum += sy[(k, i)] * p[col + k - 1] / sy[(i, i)];
        }
        p[i - 1] += sum;
    }
    0
}

/// Inputs of `cauchy` that describe the current point and the box.
struct BoxPoint<'a> {
    x: &'a [f64],
    l: &'a [f64],
    u: &'a [f64],
    nbd: &'a [BoundCode],
    g: &'a [f64],
}

/// `cauchy`: generalized Cauchy point `xcp` along the projected steepest
/// descent path. `wa` holds `p`, `c = W'(xcp - x)`, `wbp` and `v` (2m each).
/// Returns `bmv`'s info.
fn cauchy(
    pt: &BoxPoint,
    bfgs: &LimitedMemory,
    iorder: &mut [usize],
    iwhere: &mut [i32],
    t: &mut [f64],
    d: &mut [f64],
    xcp: &mut [f64],
    wa: &mut [f64],
    nint: &mut usize,
    sbgnrm: f64,
    epsmch: f64,
) -> usize {
    let BoxPoint { x, l, u, nbd, g } = *pt;
    let n = x.len();
    let m = bfgs.m;
    let col = bfgs.col;
    let theta = bfgs.theta;
    if sbgnrm <= 0.0 {
        xcp.copy_from_slice(x);
        return 0;
    }
    let (p, rest) = wa.split_at_mut(2 * m);
    let (c, rest) = rest.split_at_mut(2 * m);
    let (wbp, v) = rest.split_at_mut(2 * m);

    let mut bnded = true;
    let mut nfree = n + 1;
    let mut nbreak = 0usize;
    let mut ibkmin = 0usize;
    let mut bkmin = 0.0;
    let col2 = 2 * col;
    let mut f1 = 0.0;
    let mut tl = 0.0;
    let mut tu = 0.0;
    for pj in p[..col2].iter_mut() {
        *pj = 0.0;
    }
    for i in 0..n {
        let neggi = -g[i];
        if iwhere[i] != 3 && iwhere[i] != -1 {
            if nbd[i] <= 2 {
                tl = x[i] - l[i];
            }
            if nbd[i] >= 2 {
                tu = u[i] - x[i];
            }
            let xlower = nbd[i] <= 2 && tl <= 0.0;
            let xupper = nbd[i] >= 2 && tu <= 0.0;
            iwhere[i] = 0;
            if xlower {
                if neggi <= 0.0 {
                    iwhere[i] = 1;
                }
            } else if xupper {
                if neggi >= 0.0 {
                    iwhere[i] = 2;
                }
            } else if neggi.abs() <= 0.0 {
                iwhere[i] = -3;
            }
        }
        let mut pointr = bfgs.head;
        if iwhere[i] != 0 && iwhere[i] != -1 {
            d[i] = 0.0;
        } else {
            d[i] = neggi;
            f1 -= neggi * neggi;
            for j in 0..col {
                p[j] += bfgs.wy.col(pointr)[i] * neggi;
                p[col + j] += bfgs.ws.col(pointr)[i] * neggi;
                pointr = bfgs.next(pointr);
            }
            if nbd[i] <= 2 && nbd[i] != 0 && neggi < 0.0 {
                nbreak += 1;
                iorder[nbreak - 1] = i;
                t[nbreak - 1] = tl / (-neggi);
                if nbreak == 1 || t[nbreak - 1] < bkmin {
                    bkmin = t[nbreak - 1];
                    ibkmin = nbreak;
                }
            } else if nbd[i] >= 2 && neggi > 0.0 {
                nbreak += 1;
                iorder[nbreak - 1] = i;
                t[nbreak - 1] = tu / neggi;
                if nbreak == 1 || t[nbreak - 1] < bkmin {
                    bkmin = t[nbreak - 1];
                    ibkmin = nbreak;
                }
            } else {
                nfree -= 1;
                iorder[nfree - 1] = i;
                if neggi.abs() > 0.0 {
                    bnded = false;
                }
            }
        }
    }
    if theta != 1.0 {
        dscal(col, theta, &mut p[col..]);
    }
    xcp.copy_from_slice(x);
    if nbreak == 0 && nfree == n + 1 {
        // d is the zero vector: the GCP is x itself.
        return 0;
    }
    for cj in c[..col2].iter_mut() {
        *cj = 0.0;
    }
    let mut f2 = -theta * f1;
    let f2_org = f2;
    if col > 0 {
        let info = bmv(bfgs, p, v);
        if info != 0 {
            return info;
        }
        f2 -= ddot(col2, v, p);
    }
    let mut dtm = -f1 / f2;
    let mut tsum = 0.0;
    *nint = 1;

    let mut all_fixed = false;
    if nbreak > 0 {
        let mut nleft = nbreak;
        let mut iter = 1usize;
        let mut tj = 0.0;
        loop {
            let tj0 = tj;
            let ibp;
            if iter == 1 {
                tj = bkmin;
                ibp = iorder[ibkmin - 1];
            } else {
                if iter == 2 && ibkmin != nbreak {
                    t[ibkmin - 1] = t[nbreak - 1];
                    iorder[ibkmin - 1] = iorder[nbreak - 1];
                }
                hpsolb(nleft, t, iorder, iter - 2);
                tj = t[nleft - 1];
                ibp = iorder[nleft - 1];
            }
            let dt = tj - tj0;
            if dtm < dt {
                break;
            }
            tsum += dt;
            nleft -= 1;
            iter += 1;
            let dibp = d[ibp];
            d[ibp] = 0.0;
            let zibp;
            if dibp > 0.0 {
                zibp = u[ibp] - x[ibp];
                xcp[ibp] = u[ibp];
                iwhere[ibp] = 2;
            } else {
                zibp = l[ibp] - x[ibp];
                xcp[ibp] = l[ibp];
                iwhere[ibp] = 1;
            }
            if nleft == 0 && nbreak == n {
                dtm = dt;
                all_fixed = true;
                break;
            }
            *nint += 1;
            let dibp2 = dibp * dibp;
            f1 += dt * f2 + dibp2 - theta * dibp * zibp;
            f2 -= theta * dibp2;
            if col > 0 {
                daxpy(col2, dt, p, c);
                let mut pointr = bfgs.head;
                for j in 0..col {
                    wbp[j] = bfgs.wy.col(pointr)[ibp];
                    wbp[col + j] = theta * bfgs.ws.col(pointr)[ibp];
                    pointr = bfgs.next(pointr);
                }
                let info = bmv(bfgs, wbp, v);
                if info != 0 {
                    return info;
                }
                let wmc = ddot(col2, c, v);
                let wmp = ddot(col2, p, v);
                let wmw = ddot(col2, wbp, v);
                daxpy(col2, -dibp, wbp, p);
                f1 += dibp * wmc;
                f2 += 2.0 * dibp * wmp - dibp2 * wmw;
            }
            let f2_floor = epsmch * f2_org;
            if f2 < f2_floor {
                f2 = f2_floor;
            }
            if nleft > 0 {
                dtm = -f1 / f2;
                continue;
            } else if bnded {
                dtm = 0.0;
            } else {
                dtm = -f1 / f2;
            }
            break;
        }
    }
    if !all_fixed {
        if dtm <= 0.0 {
            dtm = 0.0;
        }
        tsum += dtm;
        daxpy(n, tsum, d, xcp);
    }
    if col > 0 {
        daxpy(col2, dtm, p, c);
    }
    0
}

/// `hpsolb`: move the least of `t[..n]` to `t[n-1]` and keep the others as a
/// heap (building the heap first when `iheap == 0`); `iorder` follows `t`.
fn hpsolb(n: usize, t: &mut [f64], iorder: &mut [usize], iheap: usize) {
    if iheap == 0 {
        for k in 2..=n {
            let ddum = t[k - 1];
            let indxin = iorder[k - 1];
            let mut i = k;
            while i > 1 {
                let j = i / 2;
                if ddum < t[j - 1] {
                    t[i - 1] = t[j - 1];
                    iorder[i - 1] = iorder[j - 1];
                    i = j;
                } else {
                    break;
                }
            }
            t[i - 1] = ddum;
            iorder[i - 1] = indxin;
        }
    }
    if n > 1 {
        let mut i = 1;
        let out = t[0];
        let indxou = iorder[0];
        let ddum = t[n - 1];
        let indxin = iorder[n - 1];
        loop {
            let mut j = i + i;
            if j < n {
                if t[j] < t[j - 1] {
                    j += 1;
                }
                if t[j - 1] < ddum {
                    t[i - 1] = t[j - 1];
                    iorder[i - 1] = iorder[j - 1];
                    i = j;
                    continue;
                }
            }
            break;
        }
        t[i - 1] = ddum;
        iorder[i - 1] = indxin;
        t[n - 1] = out;
        iorder[n - 1] = indxou;
    }
}

/// Free/active bookkeeping shared by `freev`, `formk`, `cmprlb` and `subsm`.
struct FreeSet {
    /// Number of free variables at the GCP.
    nfree: usize,
    /// `indx[..nfree]`: free variables; the rest: active ones (0-based).
    indx: Vec<usize>,
    /// `indx2[..nenter]` entered the free set; `indx2[ileave-1..]` left it.
    indx2: Vec<usize>,
    nenter: usize,
    /// 1-based start of the leaving variables in `indx2` (`n + 1`: none).
    ileave: usize,
}

/// `freev`: record variables entering/leaving the free set (after the first
/// iteration) and rebuild `indx`. Returns `wrk`: whether `formk` must run.
fn freev(fs: &mut FreeSet, iwhere: &[i32], updatd: bool, cnstnd: bool, iter: usize) -> bool {
    let n = iwhere.len();
    fs.nenter = 0;
    fs.ileave = n + 1;
    if iter > 0 && cnstnd {
        for i in 0..fs.nfree {
            let k = fs.indx[i];
            if iwhere[k] > 0 {
                fs.ileave -= 1;
                fs.indx2[fs.ileave - 1] = k;
            }
        }
        for i in fs.nfree..n {
            let k = fs.indx[i];
            if iwhere[k] <= 0 {
                fs.nenter += 1;
                fs.indx2[fs.nenter - 1] = k;
            }
        }
    }
    let wrk = fs.ileave < n + 1 || fs.nenter > 0 || updatd;
    fs.nfree = 0;
    let mut iact = n + 1;
    for i in 0..n {
        if iwhere[i] <= 0 {
            fs.nfree += 1;
            fs.indx[fs.nfree - 1] = i;
        } else {
            iact -= 1;
            fs.indx[iact - 1] = i;
        }
    }
    wrk
}

/// `formk`: form and factor (LEL' with two Cholesky factorizations) the
/// `2col x 2col` matrix K of the subspace minimisation. `wn1` keeps the inner
/// products between iterations. Returns 0, -1 or -2.
fn formk(
    bfgs: &LimitedMemory,
    fs: &FreeSet,
    updatd: bool,
    wn: &mut Matrix,
    wn1: &mut Matrix,
) -> i32 {
    let n = fs.indx.len();
    let m = bfgs.m;
    let col = bfgs.col;
    let head = bfgs.head;
    let theta = bfgs.theta;
    let ws = &bfgs.ws;
    let wy = &bfgs.wy;
    let ind = &fs.indx;
    let indx2 = &fs.indx2;
    let upcl;
    if updatd {
        if bfgs.iupdat > m {
            // Shift the old part of WN1.
            for jy in 1..m {
                let js = m + jy;
                for k in 0..(m - jy) {
                    wn1[(jy + k, jy)] = wn1[(jy + 1 + k, jy + 1)];
                }
                for k in 0..(m - jy) {
                    wn1[(js + k, js)] = wn1[(js + 1 + k, js + 1)];
                }
                for k in 0..(m - 1) {
                    wn1[(m + 1 + k, jy)] = wn1[(m + 2 + k, jy + 1)];
                }
            }
        }
        // New rows in blocks (1,1), (2,1) and (2,2).
        let pend = fs.nfree;
        let dbegin = fs.nfree + 1;
        let iy = col;
        let is = m + col;
        let mut ipntr = head + col - 1;
        if ipntr > m {
            ipntr -= m;
        }
        let mut jpntr = head;
        for jy in 1..=col {
            let js = m + jy;
            let mut temp1 = 0.0;
            let mut temp2 = 0.0;
            let mut temp3 = 0.0;
            for k in 1..=pend {
                let k1 = ind[k - 1];
                temp1 += wy.col(ipntr)[k1] * wy.col(jpntr)[k1];
            }
            for k in dbegin..=n {
                let k1 = ind[k - 1];
                temp2 += ws.col(ipntr)[k1] * ws.col(jpntr)[k1];
                temp3 += ws.col(ipntr)[k1] * wy.col(jpntr)[k1];
            }
            wn1[(iy, jy)] = temp1;
            wn1[(is, js)] = temp2;
            wn1[(is, jy)] = temp3;
            jpntr = bfgs.next(jpntr);
        }
        // New column in block (2,1).
        let jy = col;
        let mut jpntr = head + col - 1;
        if jpntr > m {
            jpntr -= m;
        }
        let mut ipntr = head;
        for i in 1..=col {
            let is = m + i;
            let mut temp3 = 0.0;
            for k in 1..=pend {
                let k1 = ind[k - 1];
                temp3 += ws.col(ipntr)[k1] * wy.col(jpntr)[k1];
            }
            ipntr = bfgs.next(ipntr);
            wn1[(is, jy)] = temp3;
        }
        upcl = col - 1;
    } else {
        upcl = col;
    }
    // Old parts of blocks (1,1) and (2,2): changes of the free set.
    let mut ipntr = head;
    for iy in 1..=upcl {
        let is = m + iy;
        let mut jpntr = head;
        for jy in 1..=iy {
            let js = m + jy;
            let mut temp1 = 0.0;
            let mut temp2 = 0.0;
            let mut temp3 = 0.0;
            let mut temp4 = 0.0;
            for k in 1..=fs.nenter {
                let k1 = indx2[k - 1];
                temp1 += wy.col(ipntr)[k1] * wy.col(jpntr)[k1];
                temp2 += ws.col(ipntr)[k1] * ws.col(jpntr)[k1];
            }
            for k in fs.ileave..=n {
                let k1 = indx2[k - 1];
                temp3 += wy.col(ipntr)[k1] * wy.col(jpntr)[k1];
                temp4 += ws.col(ipntr)[k1] * ws.col(jpntr)[k1];
            }
            wn1[(iy, jy)] = wn1[(iy, jy)] + temp1 - temp3;
            wn1[(is, js)] = wn1[(is, js)] - temp2 + temp4;
            jpntr = bfgs.next(jpntr);
        }
        ipntr = bfgs.next(ipntr);
    }
    // Old parts of block (2,1).
    let mut ipntr = head;
    for is in (m + 1)..=(m + upcl) {
        let mut jpntr = head;
        for jy in 1..=upcl {
            let mut temp1 = 0.0;
            let mut temp3 = 0.0;
            for k in 1..=fs.nenter {
                let k1 = indx2[k - 1];
                temp1 += ws.col(ipntr)[k1] * wy.col(jpntr)[k1];
            }
            for k in fs.ileave..=n {
                let k1 = indx2[k - 1];
                temp3 += ws.col(ipntr)[k1] * wy.col(jpntr)[k1];
            }
            if is <= jy + m {
                wn1[(is, jy)] += temp1 - temp3;
            } else {
                wn1[(is, jy)] += -temp1 + temp3;
            }
            jpntr = bfgs.next(jpntr);
        }
        ipntr = bfgs.next(ipntr);
    }
    // Upper triangle of WN = [D + Y'ZZ'Y/theta, -L_a' + R_z'; ., S'AA'S*theta].
    for iy in 1..=col {
        let is = col + iy;
        let is1 = m + iy;
        for jy in 1..=iy {
            let js = col + jy;
            let js1 = m + jy;
            wn[(jy, iy)] = wn1[(iy, jy)] / theta;
            wn[(js, is)] = wn1[(is1, js1)] * theta;
        }
        for jy in 1..iy {
            wn[(jy, is)] = -wn1[(is1, jy)];
        }
        for jy in iy..=col {
            wn[(jy, is)] = wn1[(is1, jy)];
        }
        wn[(iy, iy)] += bfgs.sy[(iy, iy)];
    }
    // Cholesky factor of the (1,1) block, then L^-1(-L_a' + R_z') in (1,2).
    if dpofa(wn, 1, col) != 0 {
        return -1;
    }
    let col2 = 2 * col;
    let mut column = vec![0.0; col];
    for js in (col + 1)..=col2 {
        for i in 1..=col {
            column[i - 1] = wn[(i, js)];
        }
        // dtrsl's info is not inspected here in the original.
        let _ = dtrsl_upper(wn, col, &mut column, true);
        for i in 1..=col {
            wn[(i, js)] = column[i - 1];
        }
    }
    // S'AA'S*theta + (L^-1(-L_a'+R_z'))' L^-1(-L_a'+R_z') in block (2,2).
    for is in (col + 1)..=col2 {
        for js in is..=col2 {
            let mut dot = 0.0;
            for i in 1..=col {
                dot += wn[(i, is)] * wn[(i, js)];
            }
            wn[(is, js)] += dot;
        }
    }
    if dpofa(wn, col + 1, col) != 0 {
        return -2;
    }
    0
}

/// `formt`: form `T = theta*S'S + L*D^(-1)*L'` in the upper triangle of `wt`
/// and Cholesky-factor it. Returns 0 or -3.
fn formt(bfgs: &mut LimitedMemory) -> i32 {
    let col = bfgs.col;
    let theta = bfgs.theta;
    for j in 1..=col {
        bfgs.wt[(1, j)] = theta * bfgs.ss[(1, j)];
    }
    for i in 2..=col {
        for j in i..=col {
            let k1 = i.min(j) - 1;
            let mut ddum = 0.0;
            for k in 1..=k1 {
                ddum += bfgs.sy[(i, k)] * bfgs.sy[(j, k)] / bfgs.sy[(k, k)];
            }
            bfgs.wt[(i, j)] = ddum + theta * bfgs.ss[(i, j)];
        }
    }
    if dpofa(&mut bfgs.wt, 1, col) != 0 {
        return -3;
    }
    0
}

/// `cmprlb`: reduced gradient `r = -Z'B(xcp - x) - Z'g` of the quadratic
/// model at the Cauchy point, using `c = wa[2m..4m]` from `cauchy`; writes
/// `bmv(c)` to `wa[..2m]`. Returns 0 or -8.
fn cmprlb(
    bfgs: &LimitedMemory,
    x: &[f64],
    g: &[f64],
    z: &[f64],
    r: &mut [f64],
    wa: &mut [f64],
    fs: &FreeSet,
    cnstnd: bool,
) -> i32 {
    let m = bfgs.m;
    let col = bfgs.col;
    let theta = bfgs.theta;
    if !cnstnd && col > 0 {
        for i in 0..x.len() {
            r[i] = -g[i];
        }
        return 0;
    }
    for i in 0..fs.nfree {
        let k = fs.indx[i];
        r[i] = -theta * (z[k] - x[k]) - g[k];
    }
    let (p, rest) = wa.split_at_mut(2 * m);
    let c = &rest[..2 * m];
    if bmv(bfgs, c, p) != 0 {
        return -8;
    }
    let mut pointr = bfgs.head;
    for j in 1..=col {
        let a1 = p[j - 1];
        let a2 = theta * p[col + j - 1];
        for i in 0..fs.nfree {
            let k = fs.indx[i];
            r[i] += bfgs.wy.col(pointr)[k] * a1 + bfgs.ws.col(pointr)[k] * a2;
        }
        pointr = bfgs.next(pointr);
    }
    0
}

/// `subsm`: subspace Newton step from the Cauchy point `x` (overwritten with
/// the result) along the free variables, backtracked into the box.
/// `d` enters as the reduced gradient. Returns `dtrsl`'s info.
fn subsm(
    bfgs: &LimitedMemory,
    fs: &FreeSet,
    l: &[f64],
    u: &[f64],
    nbd: &[BoundCode],
    x: &mut [f64],
    d: &mut [f64],
    wv: &mut [f64],
    wn: &Matrix,
) -> usize {
    let col = bfgs.col;
    let theta = bfgs.theta;
    let ns = fs.nfree;
    let ind = &fs.indx;
    if ns == 0 {
        return 0;
    }
    // wv = W'Zd.
    let mut pointr = bfgs.head;
    for i in 1..=col {
        let mut temp1 = 0.0;
        let mut temp2 = 0.0;
        for j in 0..ns {
            let k = ind[j];
            temp1 += bfgs.wy.col(pointr)[k] * d[j];
            temp2 += bfgs.ws.col(pointr)[k] * d[j];
        }
        wv[i - 1] = temp1;
        wv[col + i - 1] = theta * temp2;
        pointr = bfgs.next(pointr);
    }
    // wv = K^(-1) wv.
    let col2 = 2 * col;
    let info = dtrsl_upper(wn, col2, wv, true);
    if info != 0 {
        return info;
    }
    for w in wv[..col].iter_mut() {
        *w = -*w;
    }
    let info = dtrsl_upper(wn, col2, wv, false);
    if info != 0 {
        return info;
    }
    // d = (1/theta) d + (1/theta^2) Z'W wv.
    let mut pointr = bfgs.head;
    for jy in 1..=col {
        let js = col + jy;
        for i in 0..ns {
            let k = ind[i];
            d[i] +=
                bfgs.wy.col(pointr)[k] * wv[jy - 1] / theta + bfgs.ws.col(pointr)[k] * wv[js - 1];
        }
        pointr = bfgs.next(pointr);
    }
    for di in d[..ns].iter_mut() {
        *di /= theta;
    }
    // Backtrack to the feasible region.
    let mut alpha = 1.0;
    let mut temp1 = alpha;
    let mut ibd = 0usize;
    for i in 0..ns {
        let k = ind[i];
        let dk = d[i];
        if nbd[k] != 0 {
            if dk < 0.0 && nbd[k] <= 2 {
                let temp2 = l[k] - x[k];
                if temp2 >= 0.0 {
                    temp1 = 0.0;
                } else if dk * alpha < temp2 {
                    temp1 = temp2 / dk;
                }
            } else if dk > 0.0 && nbd[k] >= 2 {
                let temp2 = u[k] - x[k];
                if temp2 <= 0.0 {
                    temp1 = 0.0;
                } else if dk * alpha > temp2 {
                    temp1 = temp2 / dk;
                }
            }
            if temp1 < alpha {
                alpha = temp1;
                ibd = i;
            }
        }
    }
    if alpha < 1.0 {
        let dk = d[ibd];
        let k = ind[ibd];
        if dk > 0.0 {
            x[k] = u[k];
            d[ibd] = 0.0;
        } else if dk < 0.0 {
            x[k] = l[k];
            d[ibd] = 0.0;
        }
    }
    for i in 0..ns {
        x[ind[i]] += alpha * d[i];
    }
    0
}

/// `matupd`: store the new correction pair `(d, r)` and update S'Y, S'S and
/// theta.
fn matupd(bfgs: &mut LimitedMemory, d: &[f64], r: &[f64], rr: f64, dr: f64, stp: f64, dtd: f64) {
    let n = d.len();
    let m = bfgs.m;
    if bfgs.iupdat <= m {
        bfgs.col = bfgs.iupdat;
        bfgs.itail = (bfgs.head + bfgs.iupdat - 2) % m + 1;
    } else {
        bfgs.itail = bfgs.itail % m + 1;
        bfgs.head = bfgs.head % m + 1;
    }
    let itail = bfgs.itail;
    bfgs.ws.col_mut(itail).copy_from_slice(d);
    bfgs.wy.col_mut(itail).copy_from_slice(r);
    bfgs.theta = rr / dr;
    let col = bfgs.col;
    if bfgs.iupdat > m {
        // Move old information.
        for j in 1..col {
            for k in 0..j {
                bfgs.ss[(1 + k, j)] = bfgs.ss[(2 + k, j + 1)];
            }
            for k in 0..(col - j) {
                bfgs.sy[(j + k, j)] = bfgs.sy[(j + 1 + k, j + 1)];
            }
        }
    }
    // Last row of SY and last column of SS.
    let mut pointr = bfgs.head;
    for j in 1..col {
        bfgs.sy[(col, j)] = ddot(n, d, bfgs.wy.col(pointr));
        bfgs.ss[(j, col)] = ddot(n, bfgs.ws.col(pointr), d);
        pointr = bfgs.next(pointr);
    }
    bfgs.ss[(col, col)] = if stp == 1.0 { dtd } else { stp * stp * dtd };
    bfgs.sy[(col, col)] = dr;
}

// ---------------------------------------------------------------------------
// Moré–Thuente line search (MINPACK-2 dcsrch / dcstep)
// ---------------------------------------------------------------------------

const FTOL: f64 = 1e-3;
const GTOL: f64 = 0.9;
const XTOL: f64 = 0.1;
const STPMIN: f64 = 0.0;

/// What `dcsrch` asks for next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SearchRequest {
    /// Evaluate f and g at the new `stp` ("FG").
    Evaluate,
    /// Step accepted ("CONVERGENCE").
    Converged,
    /// Progress impossible; `stp` is the best step ("WARNING: ...").
    Warning,
    /// Invalid input on a start call ("ERROR: ..."); no state was set up.
    InputError,
}

/// State kept by `dcsrch` between calls (static locals in the C code; they
/// survive from one line search to the next, which matters after an input
/// error on a start call).
#[derive(Debug, Clone, Default)]
struct LineSearch {
    stage2: bool,
    brackt: bool,
    ginit: f64,
    gtest: f64,
    gx: f64,
    gy: f64,
    finit: f64,
    fx: f64,
    fy: f64,
    stx: f64,
    sty: f64,
    stmin: f64,
    stmax: f64,
    width: f64,
    width1: f64,
}

/// C's `max`/`min` macros of lbfgsb.c (NaN handling differs from `f64::max`).
fn cmax(a: f64, b: f64) -> f64 {
    if a < b {
        b
    } else {
        a
    }
}

fn cmin(a: f64, b: f64) -> f64 {
    if a > b {
        b
    } else {
        a
    }
}

impl LineSearch {
    /// `dcsrch(f, g, stp, ftol, gtol, xtol, stpmin, stpmax, task)`.
    fn dcsrch(&mut self, f: f64, g: f64, stp: &mut f64, stpmax: f64, start: bool) -> SearchRequest {
        if start {
            let error = *stp < STPMIN || *stp > stpmax || g >= 0.0 || stpmax < STPMIN;
            if error {
                return SearchRequest::InputError;
            }
            self.brackt = false;
            self.stage2 = false;
            self.finit = f;
            self.ginit = g;
            self.gtest = FTOL * self.ginit;
            self.width = stpmax - STPMIN;
            self.width1 = self.width / 0.5;
            self.stx = 0.0;
            self.fx = self.finit;
            self.gx = self.ginit;
            self.sty = 0.0;
            self.fy = self.finit;
            self.gy = self.ginit;
            self.stmin = 0.0;
            self.stmax = *stp + *stp * 4.0;
            return SearchRequest::Evaluate;
        }
        let ftest = self.finit + *stp * self.gtest;
        if !self.stage2 && f <= ftest && g >= 0.0 {
            self.stage2 = true;
        }
        let mut outcome = None;
        if self.brackt && (*stp <= self.stmin || *stp >= self.stmax) {
            outcome = Some(SearchRequest::Warning);
        }
        if self.brackt && self.stmax - self.stmin <= XTOL * self.stmax {
            outcome = Some(SearchRequest::Warning);
        }
        if *stp == stpmax && f <= ftest && g <= self.gtest {
            outcome = Some(SearchRequest::Warning);
        }
        if *stp == STPMIN && (f > ftest || g >= self.gtest) {
            outcome = Some(SearchRequest::Warning);
        }
        if f <= ftest && g.abs() <= GTOL * (-self.ginit) {
            outcome = Some(SearchRequest::Converged);
        }
        if let Some(done) = outcome {
            return done;
        }

        if !self.stage2 && f <= self.fx && f > ftest {
            // Modified function while in the first stage.
            let gtest = self.gtest;
            let fm = f - *stp * gtest;
            let mut fxm = self.fx - self.stx * gtest;
            let mut fym = self.fy - self.sty * gtest;
            let gm = g - gtest;
            let mut gxm = self.gx - gtest;
            let mut gym = self.gy - gtest;
            dcstep(
                &mut self.stx,
                &mut fxm,
                &mut gxm,
                &mut self.sty,
                &mut fym,
                &mut gym,
                stp,
                fm,
                gm,
                &mut self.brackt,
                self.stmin,
                self.stmax,
            );
            self.fx = fxm + self.stx * gtest;
            self.fy = fym + self.sty * gtest;
            self.gx = gxm + gtest;
            self.gy = gym + gtest;
        } else {
            dcstep(
                &mut self.stx,
                &mut self.fx,
                &mut self.gx,
                &mut self.sty,
                &mut self.fy,
                &mut self.gy,
                stp,
                f,
                g,
                &mut self.brackt,
                self.stmin,
                self.stmax,
            );
        }
        // Bisection if the interval does not shrink fast enough.
        if self.brackt {
            if (self.sty - self.stx).abs() >= self.width1 * 0.66 {
                *stp = self.stx + (self.sty - self.stx) * 0.5;
            }
            self.width1 = self.width;
            self.width = (self.sty - self.stx).abs();
        }
        if self.brackt {
            self.stmin = cmin(self.stx, self.sty);
            self.stmax = cmax(self.stx, self.sty);
        } else {
            self.stmin = *stp + (*stp - self.stx) * 1.1;
            self.stmax = *stp + (*stp - self.stx) * 4.0;
        }
        if *stp < STPMIN {
            *stp = STPMIN;
        }
        if *stp > stpmax {
            *stp = stpmax;
        }
        // No further progress possible: fall back to the best step so far.
        if self.brackt
            && (*stp <= self.stmin
                || *stp >= self.stmax
                || self.stmax - self.stmin <= XTOL * self.stmax)
        {
            *stp = self.stx;
        }
        SearchRequest::Evaluate
    }
}

/// `dcstep`: safeguarded cubic/quadratic step and update of the interval of
/// uncertainty `[stx, sty]`.
fn dcstep(
    stx: &mut f64,
    fx: &mut f64,
    dx: &mut f64,
    sty: &mut f64,
    fy: &mut f64,
    dy: &mut f64,
    stp: &mut f64,
    fp: f64,
    dp: f64,
    brackt: &mut bool,
    stpmin: f64,
    stpmax: f64,
) {
    let sgnd = dp * (*dx / dx.abs());
    let stpf;
    if fp > *fx {
        // Higher function value: the minimum is bracketed.
        let theta = (*fx - fp) * 3.0 / (*stp - *stx) + *dx + dp;
        let s = cmax(cmax(theta.abs(), dx.abs()), dp.abs());
        let ts = theta / s;
        let mut gamm = s * (ts * ts - *dx / s * (dp / s)).sqrt();
        if *stp < *stx {
            gamm = -gamm;
        }
        let p = gamm - *dx + theta;
        let q = gamm - *dx + gamm + dp;
        let r = p / q;
        let stpc = *stx + r * (*stp - *stx);
        let stpq = *stx + *dx / ((*fx - fp) / (*stp - *stx) + *dx) / 2.0 * (*stp - *stx);
        stpf = if (stpc - *stx).abs() < (stpq - *stx).abs() {
            stpc
        } else {
            stpc + (stpq - stpc) / 2.0
        };
        *brackt = true;
    } else if sgnd < 0.0 {
        // Lower value, derivatives of opposite sign: bracketed.
        let theta = (*fx - fp) * 3.0 / (*stp - *stx) + *dx + dp;
        let s = cmax(cmax(theta.abs(), dx.abs()), dp.abs());
        let ts = theta / s;
        let mut gamm = s * (ts * ts - *dx / s * (dp / s)).sqrt();
        if *stp > *stx {
            gamm = -gamm;
        }
        let p = gamm - dp + theta;
        let q = gamm - dp + gamm + *dx;
        let r = p / q;
        let stpc = *stp + r * (*stx - *stp);
        let stpq = *stp + dp / (dp - *dx) * (*stx - *stp);
        stpf = if (stpc - *stp).abs() > (stpq - *stp).abs() {
            stpc
        } else {
            stpq
        };
        *brackt = true;
    } else if dp.abs() < dx.abs() {
        // Lower value, same-sign derivatives, derivative magnitude decreases.
        let theta = (*fx - fp) * 3.0 / (*stp - *stx) + *dx + dp;
        let s = cmax(cmax(theta.abs(), dx.abs()), dp.abs());
        let ts = theta / s;
        let radicand = ts * ts - *dx / s * (dp / s);
        let mut gamm = if radicand < 0.0 {
            0.0
        } else {
            s * radicand.sqrt()
        };
        if *stp > *stx {
            gamm = -gamm;
        }
        let p = gamm - dp + theta;
        let q = gamm + (*dx - dp) + gamm;
        let r = p / q;
        let stpc = if r < 0.0 && gamm != 0.0 {
            *stp + r * (*stx - *stp)
        } else if *stp > *stx {
            stpmax
        } else {
            stpmin
        };
        let stpq = *stp + dp / (dp - *dx) * (*stx - *stp);
        if *brackt {
            let mut chosen = if (stpc - *stp).abs() < (stpq - *stp).abs() {
                stpc
            } else {
                stpq
            };
            let limit = *stp + (*sty - *stp) * 0.66;
            chosen = if *stp > *stx {
                cmin(limit, chosen)
            } else {
                cmax(limit, chosen)
            };
            stpf = chosen;
        } else {
            let mut chosen = if (stpc - *stp).abs() > (stpq - *stp).abs() {
                stpc
            } else {
                stpq
            };
            chosen = cmin(stpmax, chosen);
            chosen = cmax(stpmin, chosen);
            stpf = chosen;
        }
    } else if *brackt {
        // Lower value, same-sign derivatives that do not decrease: cubic
        // step towards sty.
        let theta = (fp - *fy) * 3.0 / (*sty - *stp) + *dy + dp;
        let s = cmax(cmax(theta.abs(), dy.abs()), dp.abs());
        let ts = theta / s;
        let mut gamm = s * (ts * ts - *dy / s * (dp / s)).sqrt();
        if *stp > *sty {
            gamm = -gamm;
        }
        let p = gamm - dp + theta;
        let q = gamm - dp + gamm + *dy;
        let r = p / q;
        stpf = *stp + r * (*sty - *stp);
    } else if *stp > *stx {
        stpf = stpmax;
    } else {
        stpf = stpmin;
    }
    // Update the interval that contains a minimizer.
    if fp > *fx {
        *sty = *stp;
        *fy = fp;
        *dy = dp;
    } else {
        if sgnd < 0.0 {
            *sty = *stx;
            *fy = *fx;
            *dy = *dx;
        }
        *stx = *stp;
        *fx = fp;
        *dx = dp;
    }
    *stp = stpf;
}

// ---------------------------------------------------------------------------
// Main loop
// ---------------------------------------------------------------------------

/// Evaluate f and g as R's driver does at a "FG" request.
fn evaluate(objective: &mut dyn Objective, x: &[f64], g: &mut [f64]) -> Result<f64, OptimAbort> {
    let f = objective.value(x)?;
    if !f.is_finite() {
        return Err(OptimAbort::NonFiniteValue);
    }
    objective.gradient(x, g)?;
    Ok(f)
}

/// `mainlb` together with the driver loop of R's `lbfgsb()`.
fn mainlb(
    objective: &mut dyn Objective,
    x: &mut [f64],
    l: &[f64],
    u: &[f64],
    nbd: &[BoundCode],
    m: usize,
    factr: f64,
    pgtol: f64,
    maxit: usize,
) -> Finish {
    let n = x.len();
    let epsmch = f64::EPSILON;

    // errclb (later checks override earlier messages, as in the original).
    let mut input_error = None;
    if m == 0 {
        input_error = Some("ERROR: M .LE. 0");
    }
    if factr < 0.0 {
        input_error = Some("ERROR: FACTR .LT. 0");
    }
    for i in 0..n {
        if nbd[i] == 2 && l[i] > u[i] {
            input_error = Some("ERROR: NO FEASIBLE SOLUTION");
        }
    }
    if let Some(message) = input_error {
        // R returns the untouched start, value 0 and zero counts.
        return Finish {
            f: 0.0,
            fail: 52,
            nfgv: 0,
            message: message.to_string(),
            aborted: None,
        };
    }

    let mut bfgs = LimitedMemory::new(n, m);
    let mut wn = Matrix::zeros(2 * m, 2 * m);
    let mut snd = Matrix::zeros(2 * m, 2 * m);
    let mut z = vec![0.0; n];
    let mut r = vec![0.0; n];
    let mut d = vec![0.0; n];
    let mut t = vec![0.0; n];
    let mut wa = vec![0.0; 8 * m];
    let mut g = vec![0.0; n];
    let mut iwhere = vec![0i32; n];
    let mut fs = FreeSet {
        nfree: n,
        indx: vec![0; n],
        indx2: vec![0; n],
        nenter: 0,
        ileave: 0,
    };
    let mut line = LineSearch::default();

    let mut updatd = false;
    let mut iter = 0usize;
    let mut nfgv = 0usize;
    let mut nint = 0usize;
    let tol = factr * epsmch;

    let (cnstnd, boxed) = active(l, u, nbd, x, &mut iwhere);

    macro_rules! finish {
        ($f:expr, $fail:expr, $msg:expr) => {
            return Finish {
                f: $f,
                fail: $fail,
                nfgv,
                message: $msg.to_string(),
                aborted: None,
            }
        };
    }
    macro_rules! abort {
        ($f:expr, $err:expr) => {
            return Finish {
                f: $f,
                fail: 52,
                nfgv,
                message: String::new(),
                aborted: Some($err),
            }
        };
    }

    // f0 and g0.
    let mut f = match evaluate(objective, x, &mut g) {
        Ok(v) => v,
        Err(e) => abort!(0.0, e),
    };
    nfgv = 1;
    let mut sbgnrm = projgr(l, u, nbd, x, &g);
    if sbgnrm <= pgtol {
        finish!(f, 0, "CONVERGENCE: NORM OF PROJECTED GRADIENT <= PGTOL");
    }

    'iteration: loop {
        let wrk;
        if !cnstnd && bfgs.col > 0 {
            // Unconstrained with a model: skip the GCP search.
            z.copy_from_slice(x);
            wrk = updatd;
            nint = 0;
        } else {
            let pt = BoxPoint {
                x,
                l,
                u,
                nbd,
                g: &g,
            };
            let cauchy_info = cauchy(
                &pt,
                &bfgs,
                &mut fs.indx2,
                &mut iwhere,
                &mut t,
                &mut d,
                &mut z,
                &mut wa,
                &mut nint,
                sbgnrm,
                epsmch,
            );
            if cauchy_info != 0 {
                // Singular triangular system: refresh the memory.
                bfgs.reset();
                updatd = false;
                continue 'iteration;
            }
            wrk = freev(&mut fs, &iwhere, updatd, cnstnd, iter);
        }

        // Subspace minimisation.
        if fs.nfree != 0 && bfgs.col != 0 {
            let mut info = 0;
            if wrk {
                info = formk(&bfgs, &fs, updatd, &mut wn, &mut snd);
            }
            if info != 0 {
                bfgs.reset();
                updatd = false;
                continue 'iteration;
            }
            info = cmprlb(&bfgs, x, &g, &z, &mut r, &mut wa, &fs, cnstnd);
            if info == 0 {
                info = subsm(&bfgs, &fs, l, u, nbd, &mut z, &mut r, &mut wa, &wn) as i32;
            }
            if info != 0 {
                bfgs.reset();
                updatd = false;
                continue 'iteration;
            }
        }

        // Search direction and line search (lnsrlb).
        for i in 0..n {
            d[i] = z[i] - x[i];
        }
        let dtd = ddot(n, &d, &d);
        let dnorm = dtd.sqrt();
        let mut stpmx = 1e10;
        if cnstnd {
            if iter == 0 {
                stpmx = 1.0;
            } else {
                for i in 0..n {
                    let a1 = d[i];
                    if nbd[i] != 0 {
                        if a1 < 0.0 && nbd[i] <= 2 {
                            let a2 = l[i] - x[i];
                            if a2 >= 0.0 {
                                stpmx = 0.0;
                            } else if a1 * stpmx < a2 {
                                stpmx = a2 / a1;
                            }
                        } else if a1 > 0.0 && nbd[i] >= 2 {
                            let a2 = u[i] - x[i];
                            if a2 <= 0.0 {
                                stpmx = 0.0;
                            } else if a1 * stpmx > a2 {
                                stpmx = a2 / a1;
                            }
                        }
                    }
                }
            }
        }
        let mut stp = if iter == 0 && !boxed {
            cmin(1.0 / dnorm, stpmx)
        } else {
            1.0
        };
        t.copy_from_slice(x);
        r.copy_from_slice(&g);
        let fold = f;
        let mut ifun = 0usize;
        let mut iback = 0usize;
        let mut gd;
        let mut gdold = 0.0;
        let mut start = true;
        loop {
            gd = ddot(n, &g, &d);
            let mut ls_info = 0;
            let mut new_x = false;
            if ifun == 0 {
                gdold = gd;
                if gd >= 0.0 {
                    // Not a descent direction.
                    ls_info = -4;
                }
            }
            if ls_info == 0 {
                let request = line.dcsrch(f, gd, &mut stp, stpmx, start);
                start = false;
                if matches!(request, SearchRequest::Converged | SearchRequest::Warning) {
                    new_x = true;
                } else {
                    ifun += 1;
                    nfgv += 1;
                    iback = ifun - 1;
                    if stp == 1.0 {
                        x.copy_from_slice(&z);
                    } else {
                        for i in 0..n {
                            x[i] = stp * d[i] + t[i];
                        }
                    }
                }
            }
            if ls_info != 0 || iback >= 20 {
                // Restore the previous iterate.
                x.copy_from_slice(&t);
                g.copy_from_slice(&r);
                f = fold;
                if bfgs.col == 0 {
                    if ls_info == 0 {
                        // Undo the count of the evaluation never made.
                        nfgv -= 1;
                    }
                    finish!(f, 52, "ERROR: ABNORMAL_TERMINATION_IN_LNSRCH");
                }
                if ls_info == 0 {
                    nfgv -= 1;
                }
                bfgs.reset();
                updatd = false;
                continue 'iteration;
            }
            if new_x {
                break;
            }
            f = match evaluate(objective, x, &mut g) {
                Ok(v) => v,
                Err(e) => {
                    // R stops with an error; report the last accepted point.
                    x.copy_from_slice(&t);
                    abort!(fold, e)
                }
            };
        }

        // New iterate.
        iter += 1;
        sbgnrm = projgr(l, u, nbd, x, &g);
        if iter > maxit {
            finish!(f, 1, "NEW_X");
        }
        if sbgnrm <= pgtol {
            finish!(f, 0, "CONVERGENCE: NORM OF PROJECTED GRADIENT <= PGTOL");
        }
        let ddum = cmax(cmax(fold.abs(), f.abs()), 1.0);
        if fold - f <= tol * ddum {
            finish!(f, 0, "CONVERGENCE: REL_REDUCTION_OF_F <= FACTR*EPSMCH");
        }

        // Correction pair s = stp*d, y = g - g_old.
        for i in 0..n {
            r[i] = g[i] - r[i];
        }
        let rr = ddot(n, &r, &r);
        let dr;
        let ddum;
        if stp == 1.0 {
            dr = gd - gdold;
            ddum = -gdold;
        } else {
            dr = (gd - gdold) * stp;
            dscal(n, stp, &mut d);
            ddum = -gdold * stp;
        }
        if dr <= epsmch * ddum {
            // Skip the update (curvature condition fails).
            updatd = false;
            continue 'iteration;
        }
        updatd = true;
        bfgs.iupdat += 1;
        matupd(&mut bfgs, &d, &r, rr, dr, stp, dtd);
        if formt(&mut bfgs) != 0 {
            bfgs.reset();
            updatd = false;
            continue 'iteration;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compare with R 4.2.2 (reference BLAS), printed with
    /// `show <- function(o) { cat(sprintf("%.17g", o$par), "\n");
    ///   cat(sprintf("%.17g", o$value), "\n");
    ///   cat(o$counts, o$convergence, o$message, "\n") }`.
    /// `rel_tol == 0` demands identical bits (objectives built from `+ - *`
    /// only); objectives calling `exp`/`ln` get 1e-12 because they depend on
    /// the platform's libm (on glibc they agree bit for bit too).
    fn assert_matches_r(
        o: &LbfgsbResult,
        par: &[f64],
        value: f64,
        count: usize,
        convergence: i32,
        message: &str,
        rel_tol: f64,
    ) {
        let close = |got: f64, want: f64| {
            if rel_tol == 0.0 {
                got.to_bits() == want.to_bits()
            } else {
                (got - want).abs() <= rel_tol * want.abs()
            }
        };
        assert_eq!(o.par.len(), par.len());
        for (got, want) in o.par.iter().zip(par) {
            assert!(close(*got, *want), "par {:?} vs R {:?}", o.par, par);
        }
        assert!(
            close(o.value, value),
            "value {:e} vs R {:e}",
            o.value,
            value
        );
        assert_eq!((o.fn_count, o.gr_count), (count, count));
        assert_eq!(o.convergence, convergence);
        assert_eq!(o.message, message);
        assert_eq!(o.aborted, None);
    }

    const REL_REDUCTION: &str = "CONVERGENCE: REL_REDUCTION_OF_F <= FACTR*EPSMCH";

    /// R: `fr <- function(x) { x1 <- x[1]; x2 <- x[2]; 100 * (x2 - x1 * x1)^2 + (1 - x1)^2 }`
    fn rosenbrock(x: &[f64]) -> f64 {
        let a = x[1] - x[0] * x[0];
        let b = 1.0 - x[0];
        100.0 * (a * a) + b * b
    }

    /// R: `grr <- function(x) { x1 <- x[1]; x2 <- x[2]
    ///   c(-400 * x1 * (x2 - x1 * x1) - 2 * (1 - x1), 200 * (x2 - x1 * x1)) }`
    fn rosenbrock_gradient(x: &[f64], g: &mut [f64]) {
        g[0] = -400.0 * x[0] * (x[1] - x[0] * x[0]) - 2.0 * (1.0 - x[0]);
        g[1] = 200.0 * (x[1] - x[0] * x[0]);
    }

    #[test]
    fn rosenbrock_bounded_numeric_gradient() {
        // optim(c(-1.2, 1), fr, method = "L-BFGS-B", lower = c(-2, -2), upper = c(2, 0.5))
        let o = optim_lbfgsb(
            rosenbrock,
            &[-1.2, 1.0],
            &[-2.0, -2.0],
            &[2.0, 0.5],
            &LbfgsbOptions::default(),
        );
        assert_matches_r(
            &o,
            &[0.70855880317684672, 0.5],
            0.085360511115985097,
            20,
            0,
            REL_REDUCTION,
            0.0,
        );
    }

    #[test]
    fn rosenbrock_unbounded_numeric_gradient() {
        // optim(c(-1.2, 1), fr, method = "L-BFGS-B")
        let o = optim_lbfgsb(
            rosenbrock,
            &[-1.2, 1.0],
            &[],
            &[],
            &LbfgsbOptions::default(),
        );
        assert_matches_r(
            &o,
            &[0.99980003783378579, 0.99960011579784236],
            3.9984867919192357e-08,
            49,
            0,
            REL_REDUCTION,
            0.0,
        );
    }

    #[test]
    fn rosenbrock_bounded_analytic_gradient() {
        // optim(c(-1.2, 1), fr, grr, method = "L-BFGS-B", lower = c(-2, -2), upper = c(2, 0.5))
        let o = optim_lbfgsb_with_gradient(
            rosenbrock,
            rosenbrock_gradient,
            &[-1.2, 1.0],
            &[-2.0, -2.0],
            &[2.0, 0.5],
            &LbfgsbOptions::default(),
        );
        assert_matches_r(
            &o,
            &[0.70855950376137267, 0.5],
            0.08536051101672501,
            21,
            0,
            REL_REDUCTION,
            0.0,
        );
    }

    #[test]
    fn rosenbrock_unbounded_analytic_gradient() {
        // optim(c(-1.2, 1), fr, grr, method = "L-BFGS-B")
        let o = optim_lbfgsb_with_gradient(
            rosenbrock,
            rosenbrock_gradient,
            &[-1.2, 1.0],
            &[],
            &[],
            &LbfgsbOptions::default(),
        );
        assert_matches_r(
            &o,
            &[0.9999997167506105, 0.99999947178021376],
            2.2675773074879826e-13,
            47,
            0,
            REL_REDUCTION,
            0.0,
        );
    }

    #[test]
    fn rosenbrock_iteration_limit() {
        // optim(c(-1.2, 1), fr, method = "L-BFGS-B", control = list(maxit = 10))
        let opts = LbfgsbOptions {
            maxit: 10,
            ..LbfgsbOptions::default()
        };
        let o = optim_lbfgsb(rosenbrock, &[-1.2, 1.0], &[], &[], &opts);
        assert_matches_r(
            &o,
            &[-0.51853768828597957, 0.25954221958755574],
            2.3146786168688727,
            14,
            1,
            "NEW_X",
            0.0,
        );
    }

    #[test]
    fn rosenbrock_infeasible_start_small_memory_line_search_failure() {
        // optim(c(-3, 3), fr, method = "L-BFGS-B", lower = c(-2, -1), upper = c(2, 2),
        //       control = list(lmm = 3, factr = 1e3))
        let opts = LbfgsbOptions {
            m: 3,
            factr: 1e3,
            ..LbfgsbOptions::default()
        };
        let o = optim_lbfgsb(rosenbrock, &[-3.0, 3.0], &[-2.0, -1.0], &[2.0, 2.0], &opts);
        assert_matches_r(
            &o,
            &[0.99980004006104761, 0.99960012010101296],
            3.9983977185845142e-08,
            70,
            52,
            "ERROR: ABNORMAL_TERMINATION_IN_LNSRCH",
            0.0,
        );
    }

    #[test]
    fn rosenbrock_one_sided_bounds() {
        // optim(c(-1.2, 1), fr, method = "L-BFGS-B", lower = c(-Inf, 1.5), upper = c(0.5, Inf))
        let inf = f64::INFINITY;
        let o = optim_lbfgsb(
            rosenbrock,
            &[-1.2, 1.0],
            &[-inf, 1.5],
            &[0.5, inf],
            &LbfgsbOptions::default(),
        );
        assert_matches_r(
            &o,
            &[-1.221025832015451, 1.5],
            4.9412293180893423,
            6,
            0,
            REL_REDUCTION,
            0.0,
        );
    }

    /// `?optim`'s 25-dimensional box-constrained example, with the sum written
    /// as a double-precision loop (R's `sum()` accumulates in long double):
    /// `flb <- function(x) { p <- length(x); v <- c(1, rep(4, p-1)) * (x - c(1, x[-p])^2)^2;
    ///   s <- 0; for (t in v) s <- s + t; s }`
    fn flb(x: &[f64]) -> f64 {
        let mut s = 0.0;
        for i in 0..x.len() {
            let prev = if i == 0 { 1.0 } else { x[i - 1] };
            let weight = if i == 0 { 1.0 } else { 4.0 };
            let a = x[i] - prev * prev;
            s += weight * (a * a);
        }
        s
    }

    #[test]
    fn flb_25_dimensional_box() {
        // optim(rep(3, 25), flb, NULL, method = "L-BFGS-B", lower = rep(2, 25), upper = rep(4, 25))
        let o = optim_lbfgsb(flb, &[3.0; 25], &[2.0], &[4.0], &LbfgsbOptions::default());
        let mut par = vec![2.0; 25];
        par[23] = 2.1090930615370058;
        par[24] = 4.0;
        assert_matches_r(&o, &par, 368.10591287434056, 6, 0, REL_REDUCTION, 0.0);
    }

    /// Negative binomial GLM with a DESeq2-style log2-scale linear predictor
    /// and N(0, 1000^2) log prior (constant terms dropped), identical in R:
    /// ```r
    /// X <- cbind(1, c(0,0,0,1,1,1), c(-1, 0.5, 1.2, -0.3, 0.8, 0.1))
    /// nf <- c(0.8, 1.1, 0.95, 1.2, 0.9, 1.05)
    /// size <- 1/0.15
    /// nbobj <- function(k) function(p) {
    ///   ll <- 0
    ///   for (i in 1:6) {
    ///     eta <- X[i,1]*p[1] + X[i,2]*p[2] + X[i,3]*p[3]
    ///     mu <- nf[i] * exp(eta * log(2))
    ///     ll <- ll + (k[i]*log(mu/(mu+size)) + size*log(size/(mu+size)))
    ///   }
    ///   lp <- 0
    ///   for (j in 1:3) lp <- lp + (-p[j]*p[j]/(2*1e6))
    ///   -(ll + lp)
    /// }
    /// ```
    fn nb_objective(k: [f64; 6]) -> impl FnMut(&[f64]) -> f64 {
        const X: [[f64; 3]; 6] = [
            [1.0, 0.0, -1.0],
            [1.0, 0.0, 0.5],
            [1.0, 0.0, 1.2],
            [1.0, 1.0, -0.3],
            [1.0, 1.0, 0.8],
            [1.0, 1.0, 0.1],
        ];
        const NF: [f64; 6] = [0.8, 1.1, 0.95, 1.2, 0.9, 1.05];
        let size = 1.0 / 0.15;
        move |p: &[f64]| {
            let mut ll = 0.0;
            for i in 0..6 {
                let eta = X[i][0] * p[0] + X[i][1] * p[1] + X[i][2] * p[2];
                let mu = NF[i] * (eta * std::f64::consts::LN_2).exp();
                ll += k[i] * (mu / (mu + size)).ln() + size * (size / (mu + size)).ln();
            }
            let mut lp = 0.0;
            for j in 0..3 {
                lp += -p[j] * p[j] / (2.0 * 1e6);
            }
            -(ll + lp)
        }
    }

    #[test]
    fn nb_glm_regular_gene() {
        // optim(c(0.5, 2, 0.1), nbobj(c(10, 14, 8, 30, 41, 25)), method = "L-BFGS-B",
        //       lower = -30, upper = 30)
        let o = optim_lbfgsb(
            nb_objective([10.0, 14.0, 8.0, 30.0, 41.0, 25.0]),
            &[0.5, 2.0, 0.1],
            &[-30.0],
            &[30.0],
            &LbfgsbOptions::default(),
        );
        assert_matches_r(
            &o,
            &[3.4705925122089121, 1.4712159663262789, 0.086043431190983455],
            88.234221177683466,
            12,
            0,
            REL_REDUCTION,
            1e-12,
        );
    }

    #[test]
    fn nb_glm_zero_group_drifts() {
        // optim(c(0.5, 2, 0.1), nbobj(c(0, 0, 0, 15, 22, 9)), method = "L-BFGS-B",
        //       lower = -30, upper = 30)
        let o = optim_lbfgsb(
            nb_objective([0.0, 0.0, 0.0, 15.0, 22.0, 9.0]),
            &[0.5, 2.0, 0.1],
            &[-30.0],
            &[30.0],
            &LbfgsbOptions::default(),
        );
        assert_matches_r(
            &o,
            &[-16.283615756536143, 19.921878143512195, 1.0148693639383546],
            40.114276065096767,
            30,
            0,
            REL_REDUCTION,
            1e-12,
        );
    }

    #[test]
    fn nb_glm_intercept_at_bound() {
        // optim(c(20, 1, 0.1), nbobj(c(8e9, 9e9, 1.1e10, 2e10, 2.5e10, 1.8e10)),
        //       method = "L-BFGS-B", lower = -30, upper = 30)
        let o = optim_lbfgsb(
            nb_objective([8e9, 9e9, 1.1e10, 2e10, 2.5e10, 1.8e10]),
            &[20.0, 1.0, 0.1],
            &[-30.0],
            &[30.0],
            &LbfgsbOptions::default(),
        );
        assert_matches_r(
            &o,
            &[30.0, 4.1499377924167691, 0.38567231010913838],
            1013.104026853151,
            22,
            0,
            REL_REDUCTION,
            1e-12,
        );
    }

    #[test]
    fn nb_glm_slope_at_custom_upper_bound() {
        // optim(c(-1, 1, 0), nbobj(c(0, 0, 0, 15, 22, 9)), method = "L-BFGS-B",
        //       lower = c(-30, -30, -30), upper = c(30, 30, 0.5))
        let o = optim_lbfgsb(
            nb_objective([0.0, 0.0, 0.0, 15.0, 22.0, 9.0]),
            &[-1.0, 1.0, 0.0],
            &[-30.0],
            &[30.0, 30.0, 0.5],
            &LbfgsbOptions::default(),
        );
        assert_matches_r(
            &o,
            &[-15.973988166630107, 19.739780919569078, 0.5],
            40.320542851645691,
            27,
            0,
            REL_REDUCTION,
            1e-12,
        );
    }

    #[test]
    fn input_errors_return_like_r() {
        // optim(1, function(x) x^2, method = "L-BFGS-B", lower = 2, upper = 1):
        // par 1, value 0, counts 0 0, convergence 52, "ERROR: NO FEASIBLE SOLUTION"
        let o = optim_lbfgsb(
            |x: &[f64]| x[0] * x[0],
            &[1.0],
            &[2.0],
            &[1.0],
            &LbfgsbOptions::default(),
        );
        assert_eq!(o.par, vec![1.0]);
        assert_eq!(
            (o.value, o.fn_count, o.gr_count, o.convergence),
            (0.0, 0, 0, 52)
        );
        assert_eq!(o.message, "ERROR: NO FEASIBLE SOLUTION");
        // optim(c(1, 2), function(x) sum(x^2), method = "L-BFGS-B", control = list(lmm = 0))
        let opts = LbfgsbOptions {
            m: 0,
            ..LbfgsbOptions::default()
        };
        let o = optim_lbfgsb(
            |x: &[f64]| x[0] * x[0] + x[1] * x[1],
            &[1.0, 2.0],
            &[],
            &[],
            &opts,
        );
        assert_eq!(o.par, vec![1.0, 2.0]);
        assert_eq!((o.value, o.fn_count, o.convergence), (0.0, 0, 52));
        assert_eq!(o.message, "ERROR: M .LE. 0");
    }

    #[test]
    fn empty_parameter_vector() {
        // optim(numeric(0), function(x) 7, method = "L-BFGS-B"):
        // value 7, counts 1 0, convergence 0, "NOTHING TO DO"
        let o = optim_lbfgsb(|_: &[f64]| 7.0, &[], &[], &[], &LbfgsbOptions::default());
        assert_eq!(
            (o.value, o.fn_count, o.gr_count, o.convergence),
            (7.0, 1, 0, 0)
        );
        assert_eq!(o.message, "NOTHING TO DO");
    }

    #[test]
    fn non_finite_objective_is_reported_as_r_error() {
        // optim(c(1, 1), function(x) if (x[1] < 0.5) NaN else sum(x^2), method = "L-BFGS-B")
        // stops in R with "L-BFGS-B needs finite values of 'fn'".
        let o = optim_lbfgsb(
            |x: &[f64]| {
                if x[0] < 0.5 {
                    f64::NAN
                } else {
                    x[0] * x[0] + x[1] * x[1]
                }
            },
            &[1.0, 1.0],
            &[],
            &[],
            &LbfgsbOptions::default(),
        );
        assert_eq!(o.aborted, Some(OptimAbort::NonFiniteValue));
        assert_eq!(o.convergence, 52);
        assert_eq!(o.message, "L-BFGS-B needs finite values of 'fn'");
        assert_eq!(o.par, vec![1.0, 1.0]);
        assert_eq!(o.value, 2.0);
    }

    #[test]
    fn finite_difference_gradient_is_truncated_at_bounds() {
        // At x = 1 with upper = 1.0005 the forward step is 0.0005 and the
        // backward step 0.001: g = (f(1.0005) - f(0.999)) / 0.0015.
        let mut fd = FiniteDifference {
            f: |x: &[f64]| x[0] * x[0] * x[0],
            ndeps: 1e-3,
            lower: vec![0.0],
            upper: vec![1.0005],
            probe: Vec::new(),
        };
        let mut g = [0.0];
        fd.gradient(&[1.0], &mut g).unwrap();
        let up: f64 = 1.0005;
        let down: f64 = 1.0 - 1e-3;
        let eps_up = up - 1.0;
        assert_eq!(g[0], (up * up * up - down * down * down) / (eps_up + 1e-3));
    }
}
