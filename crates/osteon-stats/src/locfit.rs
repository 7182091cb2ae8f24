//! Local polynomial regression exactly as R's `locfit` computes it for one
//! predictor with a quasi-Gaussian family.
//!
//! DESeq2's "local" dispersion trend is
//! `locfit(logDisps ~ logMeans, data = d, weights = means)` followed by
//! `predict(fit, newdata)` (DESeq2 1.38.3 `localDispersionFit`). This module
//! reproduces that call with every other argument at its default, following
//! the C code of the R package locfit 1.5-9.7 (Catherine Loader, *Local
//! Regression and Likelihood*, Springer 1999) operation by operation so that
//! results agree to the last bit:
//!
//! * **Parametric component** (`pcomp.c`): first a global weighted quadratic
//!   fit centred at the weighted mean of `x`; the local fits store
//!   coefficients *minus* this component and prediction adds it back.
//! * **Adaptive tree** (`ev_atree.c`, `ev_main.c`): vertices start at
//!   `min(x)` and `max(x)`; a cell is halved while its width exceeds
//!   `cut` times the smaller bandwidth of its end vertices. The vertex store
//!   holds `(int)((5/alpha/cut + 1) * 2)` vertices for `alpha, cut <= 1`
//!   (19 for the defaults); R stops when that is not enough, and so does
//!   this port.
//! * **Local fit at a vertex** (`locfit.c`, `lf_nbhd.c`, `weight.c`,
//!   `lf_fitfun.c`): nearest-neighbour bandwidth = the `floor(n*alpha)`-th
//!   smallest distance, tricube weights times prior weights, basis
//!   `1, dx, dx^2/2, ...`. The quasi-Gaussian likelihood with identity link
//!   stops `max_nr` after one Newton step from the weighted mean, solved
//!   through a Jacobi eigen-decomposition of the diagonally scaled
//!   `X'WX` (`m_jacob.c`, `m_eigen.c`).
//! * **Interpolation** (`ev_interp.c`): cubic Hermite between the two
//!   vertices bounding the cell that contains the point, using fitted values
//!   and slopes; linear extrapolation outside `[min(x), max(x)]`.
//!
//! Data already sorted by `x` take locfit's fast ordered neighbourhood search
//! (`nbhd1`), which visits points in a different order and so rounds
//! differently; this port follows both paths. Summation order matters more
//! than usual here: the Jacobi solver stops at a relative off-diagonal of
//! about `3e-8`, so a reordered sum can move a prediction by `1e-8`.

use std::fmt;

/// Value locfit uses to flag "no solution" (`NOSLN` in `local.h`); R's
/// `preplot.locfit` turns any prediction equal to it into `NA`.
const NO_SOLUTION: f64 = 0.1278433;

/// Largest local polynomial degree locfit supports (`MXDEG`).
const MAX_DEGREE: usize = 7;

/// Relative tolerance below which an eigenvalue counts as zero (`E_TOL`).
const EIGEN_TOLERANCE: f64 = 1.0e-8;

/// Scale of the predictor: `locfit(scale = FALSE)` gives every variable
/// scale 1; distances and cell widths are divided by it as in locfit (an
/// exact no-op kept so the code reads like the reference).
const X_SCALE: f64 = 1.0;

/// Maximum number of Jacobi sweeps (`E_MAXIT`).
const EIGEN_MAX_SWEEPS: usize = 20;

/// Smoothing options of `locfit()` that this port supports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocfitOptions {
    /// Nearest-neighbour fraction (`alpha`, R default 0.7).
    pub alpha: f64,
    /// Degree of the local polynomial (`deg`, R default 2, at most 7).
    pub degree: usize,
    /// Tree refinement parameter (`cut` of `rbox()`, R default 0.8).
    pub cut: f64,
}

impl Default for LocfitOptions {
    fn default() -> Self {
        Self {
            alpha: 0.7,
            degree: 2,
            cut: 0.8,
        }
    }
}

/// Invalid input to [`locfit_1d`].
#[derive(Debug, Clone, PartialEq)]
pub enum LocfitError {
    /// `x`, `y` and `weights` differ in length.
    LengthMismatch {
        /// Length of `x`.
        x: usize,
        /// Length of `y`.
        y: usize,
        /// Length of `weights`.
        weights: usize,
    },
    /// No observations.
    Empty,
    /// An input value is NaN or infinite.
    NonFinite {
        /// Which input (`"x"`, `"y"` or `"weights"`).
        input: &'static str,
        /// Zero-based position of the offending value.
        index: usize,
    },
    /// A prior weight is negative.
    NegativeWeight {
        /// Zero-based position of the offending weight.
        index: usize,
    },
    /// `alpha` must be finite and positive, `cut` finite and positive,
    /// `degree` at most 7.
    InvalidOption(&'static str),
    /// All prior weights are zero (R stops with "compparcomp: no points in
    /// dataset?").
    AllWeightsZero,
    /// The tree needed more vertices than locfit allocates
    /// (R stops with "newsplit: out of vertex space").
    OutOfVertexSpace {
        /// The vertex capacity locfit computed.
        capacity: usize,
    },
}

impl fmt::Display for LocfitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LocfitError::LengthMismatch { x, y, weights } => write!(
                f,
                "locfit: x, y and weights have different lengths ({x}, {y}, {weights})"
            ),
            LocfitError::Empty => write!(f, "locfit: no observations"),
            LocfitError::NonFinite { input, index } => {
                write!(f, "locfit: {input}[{index}] is not finite")
            }
            LocfitError::NegativeWeight { index } => {
                write!(f, "locfit: weights[{index}] is negative")
            }
            LocfitError::AllWeightsZero => write!(f, "locfit: all weights are zero"),
            LocfitError::InvalidOption(what) => write!(f, "locfit: invalid option: {what}"),
            LocfitError::OutOfVertexSpace { capacity } => write!(
                f,
                "locfit: the evaluation tree needs more than {capacity} vertices"
            ),
        }
    }
}

impl std::error::Error for LocfitError {}

/// Diagnostics of a fit (the conditions under which R's locfit warns).
#[derive(Debug, Clone, PartialEq)]
pub struct LocfitInfo {
    /// `x` was already non-decreasing, so the ordered neighbourhood search
    /// was used.
    pub sorted_input: bool,
    /// Number of tree vertices at which a local fit was computed.
    pub fitted_vertices: usize,
    /// Vertices whose smoothing window held no point with positive weight
    /// (R warns "procv: no points with non-zero weight" and, like this port,
    /// keeps the coefficients of the previous fit).
    pub empty_windows: usize,
    /// Vertices whose local `X'WX` had numerical rank below the number of
    /// coefficients (the solve then drops the null directions as locfit does).
    pub rank_deficient: usize,
}

/// One vertex of the evaluation tree.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Vertex {
    /// Position on the x axis.
    x: f64,
    /// Bandwidth of the local fit there.
    bandwidth: f64,
    /// Fitted value minus the parametric component.
    value: f64,
    /// Fitted slope minus the parametric component's slope.
    slope: f64,
    /// Parent vertices of a split vertex (`lo`, `hi` in `evstruc`).
    parents: (usize, usize),
    /// Pseudo-vertex: not fitted, interpolated from its parents.
    pseudo: bool,
}

/// A fitted one-dimensional locfit model; evaluate it with
/// [`Locfit::predict`].
#[derive(Debug, Clone, PartialEq)]
pub struct Locfit {
    vertices: Vec<Vertex>,
    /// Bounding box of the data, `[min(x), max(x)]`.
    bounds: (f64, f64),
    cut: f64,
    /// Whether vertex slopes are available (degree > 0).
    has_slopes: bool,
    /// Weighted mean of `x`, centre of the parametric component.
    centre: f64,
    /// Coefficients of the global parametric fit in the basis
    /// `1, dx, dx^2/2, ...` with `dx = x - centre`.
    parametric: Vec<f64>,
    info: LocfitInfo,
}

/// Fit `y ~ x` with prior `weights` the way R's
/// `locfit(y ~ x, weights = weights, alpha, deg, ev = rbox(cut))` does with
/// the quasi-Gaussian family (the default for a numeric response).
///
/// # Errors
/// Lengths must agree and be non-zero, values finite, weights
/// non-negative and options valid; a tree needing more vertices than
/// locfit allocates is reported as [`LocfitError::OutOfVertexSpace`].
///
/// # Example
/// ```
/// use osteon_stats::locfit::{locfit_1d, LocfitOptions};
/// let x: Vec<f64> = (0..50).map(|i| i as f64 / 5.0).collect();
/// let y: Vec<f64> = x.iter().map(|v| 1.0 + 0.5 * v - 0.02 * v * v).collect();
/// let w = vec![1.0; x.len()];
/// let fit = locfit_1d(&x, &y, &w, &LocfitOptions::default()).unwrap();
/// // A local quadratic reproduces the quadratic (2.4322 at 3.3) up to
/// // locfit's eigen-solver tolerance, bit for bit as R does:
/// // x <- (0:49)/5; y <- 1 + 0.5*x - 0.02*x*x
/// // predict(locfit(y ~ x, weights = rep(1, 50)), data.frame(x = 3.3))
/// assert_eq!(fit.predict(3.3), 2.4321999996690917);
/// ```
pub fn locfit_1d(
    x: &[f64],
    y: &[f64],
    weights: &[f64],
    opts: &LocfitOptions,
) -> Result<Locfit, LocfitError> {
    validate(x, y, weights, opts)?;
    let n = x.len();
    let p = opts.degree + 1;

    let mut fitter = LocalFitter::new(x, y, weights, opts);

    // Parametric component: all points, unit kernel weights, centred at the
    // weighted mean of x (compparcomp).
    let mut weight_sum = 0.0;
    let mut centre = 0.0;
    for i in 0..n {
        weight_sum += weights[i];
        centre += x[i] * weights[i];
    }
    centre /= weight_sum;
    fitter.fit_at(centre, false);
    let parametric = fitter.coef.clone();

    // Bounding box (set_flim) and vertex capacity (atree_guessnv).
    let mut lo = x[0];
    let mut hi = x[0];
    for &v in &x[1..] {
        if v > hi {
            hi = v;
        }
        if v < lo {
            lo = v;
        }
    }
    let mut cut = opts.cut;
    if cut < 0.01 {
        cut = 0.01;
    }
    let capacity = vertex_capacity(opts.alpha, cut);

    let mut tree = TreeBuilder {
        fitter,
        vertices: Vec::new(),
        capacity,
        bounds: (lo, hi),
        cut,
        centre,
        parametric: parametric.clone(),
        has_slopes: p > 1,
    };
    tree.add_fitted_vertex(lo, (0, 0))?;
    tree.add_fitted_vertex(hi, (0, 0))?;
    let (mut ll, mut ur) = (lo, hi);
    tree.grow([0, 1], &mut ll, &mut ur)?;

    let info = LocfitInfo {
        sorted_input: tree.fitter.sorted,
        fitted_vertices: tree.vertices.iter().filter(|v| !v.pseudo).count(),
        empty_windows: tree.fitter.empty_windows,
        rank_deficient: tree.fitter.rank_deficient,
    };
    Ok(Locfit {
        vertices: tree.vertices,
        bounds: (lo, hi),
        cut,
        has_slopes: p > 1,
        centre,
        parametric,
        info,
    })
}

fn validate(
    x: &[f64],
    y: &[f64],
    weights: &[f64],
    opts: &LocfitOptions,
) -> Result<(), LocfitError> {
    if x.len() != y.len() || x.len() != weights.len() {
        return Err(LocfitError::LengthMismatch {
            x: x.len(),
            y: y.len(),
            weights: weights.len(),
        });
    }
    if x.is_empty() {
        return Err(LocfitError::Empty);
    }
    for (input, values) in [("x", x), ("y", y), ("weights", weights)] {
        if let Some(index) = values.iter().position(|v| !v.is_finite()) {
            return Err(LocfitError::NonFinite { input, index });
        }
    }
    if let Some(index) = weights.iter().position(|&w| w < 0.0) {
        return Err(LocfitError::NegativeWeight { index });
    }
    if weights.iter().all(|&w| w == 0.0) {
        return Err(LocfitError::AllWeightsZero);
    }
    if !(opts.alpha.is_finite() && opts.alpha > 0.0) {
        return Err(LocfitError::InvalidOption("alpha must be finite and > 0"));
    }
    if !(opts.cut.is_finite() && opts.cut > 0.0) {
        return Err(LocfitError::InvalidOption("cut must be finite and > 0"));
    }
    if opts.degree > MAX_DEGREE {
        return Err(LocfitError::InvalidOption("degree must be at most 7"));
    }
    Ok(())
}

/// Number of vertices locfit allocates for a one-dimensional adaptive tree
/// (`atree_guessnv` with `maxk = 100`).
fn vertex_capacity(alpha: f64, cut: f64) -> usize {
    let a0 = if alpha > 1.0 { 1.0 } else { 1.0 / alpha };
    let cu = if cut < 1.0 { cut } else { 1.0 };
    let per_dim = 5.0 * a0 / cu + 1.0;
    // (int)(per_dim * vc) with vc = 2 vertices per cell; the inflation by
    // maxk/100 is 1 for the default maxk = 100.
    (per_dim * 2.0) as usize
}

impl Locfit {
    /// Predicted value at `x`, as `predict(fit, newdata)` returns it
    /// (NaN where R would return `NA`).
    pub fn predict(&self, x: f64) -> f64 {
        let f = self.interpolate(x) + self.parametric_value(x);
        if f == NO_SOLUTION {
            f64::NAN
        } else {
            f
        }
    }

    /// [`Locfit::predict`] at every element of `xs`.
    pub fn predict_many(&self, xs: &[f64]) -> Vec<f64> {
        xs.iter().map(|&x| self.predict(x)).collect()
    }

    /// Fit diagnostics.
    pub fn info(&self) -> &LocfitInfo {
        &self.info
    }

    /// Positions of the tree vertices, in locfit's storage order.
    pub fn vertex_positions(&self) -> Vec<f64> {
        self.vertices.iter().map(|v| v.x).collect()
    }

    /// Value of the global parametric component at `x` (`addparcomp`).
    fn parametric_value(&self, x: f64) -> f64 {
        let mut basis = [0.0; MAX_DEGREE + 1];
        polynomial_basis(x - self.centre, self.parametric.len(), &mut basis);
        inner_product(&self.parametric, &basis)
    }

    /// `atree_int`: descend to the terminal cell holding `x`, then
    /// interpolate.
    fn interpolate(&self, x: f64) -> f64 {
        let mut cell = [0usize, 1usize];
        let mut vv = [self.vertex_values(0), self.vertex_values(1)];
        loop {
            let ll = self.vertices[cell[0]].x;
            let ur = self.vertices[cell[1]].x;
            if !needs_split(&self.vertices, cell, ll, ur, self.bounds, self.cut) {
                break;
            }
            let width = ur - ll;
            let go_left = (2.0 * (x - ll)) < width;
            let Some(mid) = find_vertex(&self.vertices, cell[0], cell[1]) else {
                // locfit errors with "Descend tree problem"; cannot happen
                // for a tree built by `locfit_1d`.
                return f64::NAN;
            };
            let slot = if go_left { 1 } else { 0 };
            cell[slot] = mid;
            vv[slot] = if self.vertices[mid].pseudo {
                pseudo_vertex_values(vv[0], vv[1], width, self.has_slopes)
            } else {
                self.vertex_values(mid)
            };
        }
        let ll = self.vertices[cell[0]].x;
        let ur = self.vertices[cell[1]].x;
        rectangle_interpolate(x, vv, ll, ur, self.has_slopes)
    }

    /// `exvval`: stored value and slope (zero without slopes).
    fn vertex_values(&self, v: usize) -> [f64; 2] {
        let vertex = &self.vertices[v];
        if self.has_slopes {
            [vertex.value, vertex.slope]
        } else {
            [vertex.value, 0.0]
        }
    }
}

/// `exvvalpv`: values at a pseudo-vertex halfway between `left` and `right`.
fn pseudo_vertex_values(left: [f64; 2], right: [f64; 2], width: f64, has_slopes: bool) -> [f64; 2] {
    if !has_slopes {
        return [(left[0] + right[0]) / 2.0, 0.0];
    }
    let f0 = (left[0] + right[0]) / 2.0 + width * (left[1] - right[1]) / 8.0;
    let f1 = 1.5 * (right[0] - left[0]) / width - (left[1] + right[1]) / 4.0;
    [f0, f1]
}

/// `rectcell_interp` for one dimension: cubic Hermite with slopes, linear
/// without.
fn rectangle_interpolate(x: f64, vv: [[f64; 2]; 2], ll: f64, ur: f64, has_slopes: bool) -> f64 {
    if vv[0][0] == NO_SOLUTION || vv[1][0] == NO_SOLUTION {
        return NO_SOLUTION;
    }
    let offset = x - ll;
    let width = ur - ll;
    if !has_slopes {
        if width == 0.0 {
            return vv[0][0];
        }
        return ((width - offset) * vv[0][0] + offset * vv[1][0]) / width;
    }
    let mut phi = hermite_basis(offset, width);
    phi[2] *= width;
    phi[3] *= width;
    phi[0] * vv[0][0] + phi[1] * vv[1][0] + phi[2] * vv[0][1] + phi[3] * vv[1][1]
}

/// `hermite2`: cubic Hermite basis at `x` on `[0, z]` (value weights, then
/// slope weights per unit of `h = x/z`), linear beyond the ends.
fn hermite_basis(x: f64, z: f64) -> [f64; 4] {
    if z == 0.0 {
        return [1.0, 0.0, 0.0, 0.0];
    }
    let h = x / z;
    if h < 0.0 {
        return [1.0, 0.0, h, 0.0];
    }
    if h > 1.0 {
        return [0.0, 1.0, 0.0, h - 1.0];
    }
    let phi1 = h * h * (3.0 - 2.0 * h);
    [
        1.0 - phi1,
        phi1,
        h * (1.0 - h) * (1.0 - h),
        h * h * (h - 1.0),
    ]
}

/// `atree_split`: does the cell `[ll, ur]` with end vertices `cell` need
/// halving?
fn needs_split(
    vertices: &[Vertex],
    cell: [usize; 2],
    ll: f64,
    ur: f64,
    bounds: (f64, f64),
    cut: f64,
) -> bool {
    let mut hmin = 0.0;
    for &v in &cell {
        let h = vertices[v].bandwidth;
        if h > 0.0 && (hmin == 0.0 || h < hmin) {
            hmin = h;
        }
    }
    let length = (ur - ll) / X_SCALE;
    let score = if hmin == 0.0 {
        2.0 * (ur - ll) / (bounds.1 - bounds.0)
    } else {
        length / hmin
    };
    cut < score
}

/// `findpt`: the vertex created by splitting between `a` and `b`.
fn find_vertex(vertices: &[Vertex], a: usize, b: usize) -> Option<usize> {
    let (i0, i1) = if a > b { (b, a) } else { (a, b) };
    (i1 + 1..vertices.len()).find(|&i| vertices[i].parents == (i0, i1))
}

/// Fills `out[..p]` with locfit's polynomial basis `1, dx, dx^2/2, ...`
/// (`fitfun` with no derivative).
fn polynomial_basis(dx: f64, p: usize, out: &mut [f64]) {
    out[0] = 1.0;
    for j in 1..p {
        out[j] = out[j - 1] * dx / j as f64;
    }
}

/// Fills `out[..p]` with the derivative of the basis with respect to the
/// fitting point's coordinate: `0, 1, dx, dx^2/2, ...` (`fitfun` with one
/// derivative).
fn polynomial_basis_derivative(dx: f64, p: usize, out: &mut [f64]) {
    out[0] = 0.0;
    if p > 1 {
        out[1] = 1.0;
    }
    for j in 2..p {
        out[j] = out[j - 1] * dx / (j - 1) as f64;
    }
}

/// `innerprod`: left-to-right sum starting from zero.
fn inner_product(a: &[f64], b: &[f64]) -> f64 {
    let mut s = 0.0;
    for (u, v) in a.iter().zip(b) {
        s += u * v;
    }
    s
}

/// Builds the adaptive tree, fitting at each new vertex.
struct TreeBuilder<'a> {
    fitter: LocalFitter<'a>,
    vertices: Vec<Vertex>,
    capacity: usize,
    bounds: (f64, f64),
    cut: f64,
    centre: f64,
    parametric: Vec<f64>,
    has_slopes: bool,
}

impl TreeBuilder<'_> {
    /// `procv` for a real vertex: local fit, then subtract the parametric
    /// component from value and slope (`subparcomp`).
    fn add_fitted_vertex(&mut self, x: f64, parents: (usize, usize)) -> Result<usize, LocfitError> {
        if self.vertices.len() == self.capacity {
            return Err(LocfitError::OutOfVertexSpace {
                capacity: self.capacity,
            });
        }
        let bandwidth = self.fitter.fit_at(x, true);
        let p = self.parametric.len();
        let mut basis = [0.0; MAX_DEGREE + 1];
        let dx = x - self.centre;
        polynomial_basis(dx, p, &mut basis);
        let value = self.fitter.coef[0] - inner_product(&self.parametric, &basis[..p]);
        let slope = if self.has_slopes {
            polynomial_basis_derivative(dx, p, &mut basis);
            self.fitter.coef[1] - inner_product(&self.parametric, &basis[..p])
        } else {
            0.0
        };
        self.vertices.push(Vertex {
            x,
            bandwidth,
            value,
            slope,
            parents,
            pseudo: false,
        });
        Ok(self.vertices.len() - 1)
    }

    /// `newsplit`: the vertex halfway between `a` and `b`, created if new.
    fn split_vertex(&mut self, a: usize, b: usize, pseudo: bool) -> Result<usize, LocfitError> {
        if let Some(v) = find_vertex(&self.vertices, a, b) {
            return Ok(v);
        }
        let (i0, i1) = if a > b { (b, a) } else { (a, b) };
        let x = (self.vertices[i0].x + self.vertices[i1].x) / 2.0;
        if !pseudo {
            return self.add_fitted_vertex(x, (i0, i1));
        }
        if self.vertices.len() == self.capacity {
            return Err(LocfitError::OutOfVertexSpace {
                capacity: self.capacity,
            });
        }
        let bandwidth = (self.vertices[i0].bandwidth + self.vertices[i1].bandwidth) / 2.0;
        self.vertices.push(Vertex {
            x,
            bandwidth,
            value: 0.0,
            slope: 0.0,
            parents: (i0, i1),
            pseudo: true,
        });
        Ok(self.vertices.len() - 1)
    }

    /// `atree_grow`: recursively halve the cell `[ll, ur]` (left half first).
    fn grow(&mut self, cell: [usize; 2], ll: &mut f64, ur: &mut f64) -> Result<(), LocfitError> {
        if !needs_split(&self.vertices, cell, *ll, *ur, self.bounds, self.cut) {
            return Ok(());
        }
        let length = (*ur - *ll) / X_SCALE;
        let (i0, i1) = (cell[1], cell[0]);
        let h0 = self.vertices[i0].bandwidth;
        let h1 = self.vertices[i1].bandwidth;
        let hmin = if h0 < h1 { h0 } else { h1 };
        let pseudo = length < self.cut * hmin;
        let mid = self.split_vertex(i0, i1, pseudo)?;

        let z = *ur;
        *ur = (z + *ll) / 2.0;
        self.grow([cell[0], mid], ll, ur)?;
        *ur = z;
        let z = *ll;
        *ll = (z + *ur) / 2.0;
        self.grow([mid, cell[1]], ll, ur)?;
        *ll = z;
        Ok(())
    }
}

/// Working storage for one local fit (locfit's `design` structure).
struct LocalFitter<'a> {
    x: &'a [f64],
    y: &'a [f64],
    prior: &'a [f64],
    p: usize,
    /// Number of nearest neighbours, `(int)(n*alpha + 1e-12)`.
    neighbours: usize,
    sorted: bool,
    /// Coefficients of the latest fit; deliberately kept between fits
    /// because locfit reuses them when a window is empty.
    coef: Vec<f64>,
    index: Vec<usize>,
    kernel: Vec<f64>,
    distance: Vec<f64>,
    design: Vec<f64>,
    empty_windows: usize,
    rank_deficient: usize,
}

impl<'a> LocalFitter<'a> {
    fn new(x: &'a [f64], y: &'a [f64], prior: &'a [f64], opts: &LocfitOptions) -> Self {
        let n = x.len();
        let p = opts.degree + 1;
        let sorted = x.windows(2).all(|w| w[1] >= w[0]);
        Self {
            x,
            y,
            prior,
            p,
            neighbours: (n as f64 * opts.alpha + 1e-12) as usize,
            sorted,
            coef: vec![0.0; p],
            index: Vec::with_capacity(n),
            kernel: Vec::with_capacity(n),
            distance: vec![0.0; n],
            design: Vec::with_capacity(n * p),
            empty_windows: 0,
            rank_deficient: 0,
        }
    }

    /// Local fit at `t` (`locfit()` with `noit = 0`, `cv = 0`). With
    /// `neighbourhood` false every point gets kernel weight 1 (the
    /// parametric component). Leaves the coefficients in `self.coef` and
    /// returns the bandwidth.
    fn fit_at(&mut self, t: f64, neighbourhood: bool) -> f64 {
        let n = self.x.len();
        let mut bandwidth = 0.0;
        if neighbourhood {
            bandwidth = if self.neighbours <= n && self.sorted {
                self.neighbourhood_sorted(t)
            } else {
                self.neighbourhood_general(t)
            };
        } else {
            self.index.clear();
            self.index.extend(0..n);
            self.kernel.clear();
            self.kernel.resize(n, 1.0);
        }

        // Design matrix, rows in neighbourhood order.
        let p = self.p;
        let m = self.index.len();
        self.design.clear();
        self.design.resize(m * p, 0.0);
        for (row, &i) in self.design.chunks_exact_mut(p).zip(&self.index) {
            polynomial_basis(self.x[i] - t, p, row);
        }

        // reginit: start from the weighted mean of y.
        let (mut s0, mut s1, mut sb) = (0.0, 0.0, 0.0);
        for (k, &i) in self.index.iter().enumerate() {
            let w = self.kernel[k];
            s1 += w * (self.prior[i] * self.y[i]);
            s0 += w * self.prior[i];
            sb += w * self.prior[i] * 0.0;
        }
        if s0 == 0.0 {
            self.empty_windows += 1;
            return bandwidth;
        }
        self.coef.iter_mut().for_each(|c| *c = 0.0);
        self.coef[0] = (s1 - sb) / s0;

        // One Newton step (max_nr stops after it for the Gaussian family).
        let (lik, mut score, hessian) = self.likelihood_derivatives();
        let mut solver = EigenSolver::new(hessian, p);
        let rank = solver.solve(&mut score);
        if rank < p {
            self.rank_deficient += 1;
        }
        if rank == 0 {
            score[0] = -lik / score[0];
        }
        // coef = old + lambda * delta with step length lambda = 1.
        for j in 0..p {
            self.coef[j] += score[j];
        }
        bandwidth
    }

    /// `likereg` for the quasi-Gaussian family with identity link: local
    /// log-likelihood, score vector and `X'WX` at the current coefficients.
    fn likelihood_derivatives(&self) -> (f64, Vec<f64>, Vec<f64>) {
        let p = self.p;
        let mut lik = 0.0;
        let mut score = vec![0.0; p];
        let mut hessian = vec![0.0; p * p];
        for (k, (&i, row)) in self
            .index
            .iter()
            .zip(self.design.chunks_exact(p))
            .enumerate()
        {
            // R passes base = 0 (no offset): fitted = base + x'coef.
            let fitted = 0.0 + inner_product(&self.coef, row);
            let w = self.prior[i];
            let z = self.y[i] - fitted;
            let lik_i = -w * z * z / 2.0;
            let dlik_i = w * z;
            let ddlik_i = w;
            let ww = self.kernel[k];
            lik += ww * lik_i;
            for j in 0..p {
                score[j] += row[j] * ww * dlik_i;
            }
            let c = ww * ddlik_i;
            for a in 0..p {
                for b in 0..p {
                    hessian[a * p + b] += c * row[a] * row[b];
                }
            }
        }
        (lik, score, hessian)
    }

    /// Tricube kernel weight of a point at distance `di` (`weightsph`).
    fn kernel_weight(di: f64, h: f64) -> f64 {
        if h == 0.0 {
            return if di == 0.0 { 1.0 } else { 0.0 };
        }
        let u = (di / h).abs();
        if u > 1.0 {
            return 0.0;
        }
        let v = 1.0 - u * u * u;
        v * v * v
    }

    /// `nbhd` for unsorted data: bandwidth = k-th smallest distance; points
    /// with positive weight in data order.
    fn neighbourhood_general(&mut self, t: f64) -> f64 {
        let n = self.x.len();
        for i in 0..n {
            self.distance[i] = ((self.x[i] - t) / X_SCALE).abs();
        }
        let k = self.neighbours;
        let h = if k == 0 {
            0.0
        } else if k < n {
            let mut scratch = self.distance.clone();
            let (_, kth, _) = scratch.select_nth_unstable_by(k - 1, |a, b| a.total_cmp(b));
            *kth
        } else {
            let mut largest = 0.0;
            for &d in &self.distance {
                if largest <= d {
                    largest = d;
                }
            }
            // nnh * (nn/n)^(1/d) with d = 1
            largest * ((k as f64 / n as f64).ln() / 1.0).exp()
        };
        let h = if 0.0 > h { 0.0 } else { h };
        self.index.clear();
        self.kernel.clear();
        for i in 0..n {
            let w = Self::kernel_weight(self.distance[i], h);
            if w > 0.0 {
                self.index.push(i);
                self.kernel.push(w);
            }
        }
        h
    }

    /// `nbhd1` for sorted data: bandwidth from a window grown around the
    /// closest point; points visited leftwards from `t`, then rightwards.
    fn neighbourhood_sorted(&mut self, t: f64) -> f64 {
        let xd = self.x;
        let n = xd.len() as isize;
        let at = |i: isize| xd[i as usize];
        let mut z: isize;
        if t <= at(0) {
            z = 0;
        } else if t >= at(n - 1) {
            z = n - 1;
        } else {
            let (mut l, mut r) = (0isize, n - 1);
            while r - l > 1 {
                z = (r + l) / 2;
                if at(z) > t {
                    r = z;
                } else {
                    l = z;
                }
            }
            z = if (t - at(l)) > (at(r) - t) { r } else { l };
        }

        let k = self.neighbours as isize;
        let mut h = if k > 0 {
            let (mut l, mut r) = (z, z);
            if l == 0 {
                r = k - 1;
            }
            if r == n - 1 {
                l = n - k;
            }
            while r - l < k - 1 {
                if (t - at(l - 1)) < (at(r + 1) - t) {
                    l -= 1;
                } else {
                    r += 1;
                }
                if l == 0 {
                    r = k - 1;
                }
                if r == n - 1 {
                    l = n - k;
                }
            }
            let mut h = t - at(l);
            if h < at(r) - t {
                h = at(r) - t;
            }
            h
        } else {
            0.0
        };
        h /= X_SCALE;
        if h < 0.0 {
            h = 0.0;
        }

        self.index.clear();
        self.kernel.clear();
        if at(z) > t {
            z -= 1;
        }
        let mut i = z;
        while i >= 0 {
            let w = Self::kernel_weight((t - at(i)) / X_SCALE, h);
            if w > 0.0 {
                self.index.push(i as usize);
                self.kernel.push(w);
            } else {
                break;
            }
            i -= 1;
        }
        for i in (z + 1)..n {
            let w = Self::kernel_weight((at(i) - t) / X_SCALE, h);
            if w > 0.0 {
                self.index.push(i as usize);
                self.kernel.push(w);
            } else {
                break;
            }
        }
        h
    }
}

/// Solve `J v = b` the way locfit's `jacob_solve` does with method
/// `JAC_EIGD`: scale `J` to unit diagonal, Jacobi eigen-decomposition,
/// invert the eigenvalues above `1e-8` times the largest diagonal.
struct EigenSolver {
    p: usize,
    /// Diagonalised scaled matrix (eigenvalues on the diagonal).
    d: Vec<f64>,
    /// Eigenvectors in columns.
    q: Vec<f64>,
    /// Diagonal scaling `1/sqrt(J_ii)` (0 where `J_ii <= 0`).
    scale: Vec<f64>,
}

impl EigenSolver {
    fn new(mut z: Vec<f64>, p: usize) -> Self {
        let scale: Vec<f64> = (0..p)
            .map(|i| {
                let zii = z[i * (p + 1)];
                if zii <= 0.0 {
                    0.0
                } else {
                    1.0 / zii.sqrt()
                }
            })
            .collect();
        for i in 0..p {
            for j in 0..p {
                z[i * p + j] *= scale[i] * scale[j];
            }
        }
        let mut q = vec![0.0; p * p];
        jacobi_eigen(&mut z, &mut q, p);
        Self { p, d: z, q, scale }
    }

    /// Overwrites `v` with the solution; returns the numerical rank.
    fn solve(&mut self, v: &mut [f64]) -> usize {
        let p = self.p;
        for i in 0..p {
            v[i] *= self.scale[i];
        }
        let mut largest = self.d[0];
        for i in 1..p {
            if self.d[i * (p + 1)] > largest {
                largest = self.d[i * (p + 1)];
            }
        }
        let tol = EIGEN_TOLERANCE * largest;
        let mut w = vec![0.0; p];
        for i in 0..p {
            for j in 0..p {
                w[i] += self.q[j * p + i] * v[j];
            }
        }
        let mut rank = 0;
        for i in 0..p {
            if self.d[i * p + i] > tol {
                w[i] /= self.d[i * (p + 1)];
                rank += 1;
            }
        }
        for i in 0..p {
            v[i] = 0.0;
            for j in 0..p {
                v[i] += self.q[i * p + j] * w[j];
            }
        }
        for i in 0..p {
            v[i] *= self.scale[i];
        }
        rank
    }
}

/// Cyclic Jacobi eigen-decomposition of the symmetric `d x d` matrix `x`
/// (row-major), as locfit's `eig_dec`: on return `x` is (nearly) diagonal
/// and the columns of `p` are the eigenvectors.
fn jacobi_eigen(x: &mut [f64], p: &mut [f64], d: usize) {
    for i in 0..d {
        for j in 0..d {
            p[i * d + j] = if i == j { 1.0 } else { 0.0 };
        }
    }
    for _ in 0..EIGEN_MAX_SWEEPS {
        let mut rotated = false;
        for i in 0..d {
            for j in (i + 1)..d {
                let off = x[i * d + j];
                if off * off > 1.0e-15 * (x[i * d + i] * x[j * d + j]).abs() {
                    let mut c = (x[j * d + j] - x[i * d + i]) / 2.0;
                    let s0 = -x[i * d + j];
                    let r = (c * c + s0 * s0).sqrt();
                    c /= r;
                    let sign = if s0 > 0.0 { 1.0 } else { -1.0 };
                    let s = ((1.0 - c) / 2.0).sqrt() * sign;
                    let c = ((1.0 + c) / 2.0).sqrt();
                    for k in 0..d {
                        let u = x[i * d + k];
                        let v = x[j * d + k];
                        x[i * d + k] = u * c + v * s;
                        x[j * d + k] = v * c - u * s;
                    }
                    for k in 0..d {
                        let u = x[k * d + i];
                        let v = x[k * d + j];
                        x[k * d + i] = u * c + v * s;
                        x[k * d + j] = v * c - u * s;
                    }
                    x[i * d + j] = 0.0;
                    x[j * d + i] = 0.0;
                    for k in 0..d {
                        let u = p[k * d + i];
                        let v = p[k * d + j];
                        p[k * d + i] = u * c + v * s;
                        p[k * d + j] = v * c - u * s;
                    }
                    rotated = true;
                }
            }
        }
        if !rotated {
            return;
        }
    }
}

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

    fn column(rows: &[Vec<f64>], j: usize) -> Vec<f64> {
        rows.iter().map(|r| r[j]).collect()
    }

    fn relative_difference(a: f64, b: f64) -> f64 {
        if a == b {
            0.0
        } else {
            (a - b).abs() / a.abs().max(b.abs())
        }
    }

    /// Fits the reference data set and returns the worst relative
    /// difference against R over data points, grid and vertices.
    fn worst_difference(data: &str, grid: &str, vertices: &str, opts: LocfitOptions) -> f64 {
        let data = table(data);
        let (x, y, w) = (column(&data, 0), column(&data, 1), column(&data, 2));
        let fit = locfit_1d(&x, &y, &w, &opts).unwrap();
        let mut worst: f64 = 0.0;
        for row in &data {
            worst = worst.max(relative_difference(fit.predict(row[0]), row[3]));
        }
        for row in table(grid) {
            worst = worst.max(relative_difference(fit.predict(row[0]), row[1]));
        }
        let vertices = table(vertices);
        assert_eq!(fit.vertices.len(), vertices.len());
        for (v, r) in fit.vertices.iter().zip(&vertices) {
            assert_eq!(v.x, r[0]);
            worst = worst.max(relative_difference(v.value, r[1]));
            worst = worst.max(relative_difference(v.slope, r[2]));
            worst = worst.max(relative_difference(v.bandwidth, r[3]));
        }
        worst
    }

    /// Each reference set was written by `tests/data/locfit/make_locfit_reference.R`
    /// (`write_set(name, x, y, w, ...)`); the options repeat its extra
    /// `locfit()` arguments. The port is exact, so the tolerance is zero.
    macro_rules! reference_test {
        ($test:ident, $name:literal) => {
            reference_test!($test, $name, LocfitOptions::default());
        };
        ($test:ident, $name:literal, $opts:expr) => {
            #[test]
            fn $test() {
                let worst = worst_difference(
                    include_str!(concat!("../tests/data/locfit/", $name, "_data.txt")),
                    include_str!(concat!("../tests/data/locfit/", $name, "_grid.txt")),
                    include_str!(concat!("../tests/data/locfit/", $name, "_vertices.txt")),
                    $opts,
                );
                assert!(worst == 0.0, "worst relative difference {worst:e}");
            }
        };
    }

    fn with(alpha: f64, degree: usize, cut: f64) -> LocfitOptions {
        LocfitOptions { alpha, degree, cut }
    }

    // dispersion_like(500, 1), unsorted
    reference_test!(matches_r_dispersion_500, "disp500");
    // dispersion_like(3000, 2), unsorted
    reference_test!(matches_r_dispersion_3000, "disp3000");
    // dispersion_like(300, 3) sorted by x: locfit's ordered search nbhd1
    reference_test!(matches_r_sorted_300, "sorted300");
    // x = round(runif(400, -1, 10), 1): ties, unsorted and sorted
    reference_test!(matches_r_ties_400, "ties400");
    reference_test!(matches_r_ties_400_sorted, "ties400sorted");
    // 60 of 100 points at x = 2
    reference_test!(matches_r_heavy_ties_100, "heavyties100");
    // DESeq2 gene-wise estimates of makeExampleDESeqDataSet(n = 1500, m = 6)
    reference_test!(matches_r_deseq2_example, "deseq1500");
    // alpha = 0.3 (more vertices)
    reference_test!(matches_r_alpha_03, "disp500_alpha03", with(0.3, 2, 0.8));
    // alpha = 1.5 (window wider than the data), deg = 1
    reference_test!(
        matches_r_alpha_15_degree_1,
        "disp500_alpha15_deg1",
        with(1.5, 1, 0.8)
    );
    // deg = 0 (linear interpolation between vertices), cut = 0.5
    reference_test!(
        matches_r_degree_0_cut_05,
        "disp500_deg0_cut05",
        with(0.7, 0, 0.5)
    );
    // deg = 3
    reference_test!(matches_r_degree_3, "disp500_deg3", with(0.7, 3, 0.8));
    // n = 3: some windows hold no point and reuse the previous coefficients
    reference_test!(matches_r_three_points, "tiny3");
    // n = 6, sorted, unequal weights
    reference_test!(matches_r_six_points_sorted, "tiny6sorted");

    #[test]
    fn reports_empty_windows_like_r() {
        // R warns "procv: no points with non-zero weight" twice for this fit.
        let fit = locfit_1d(
            &[1.0, 2.0, 3.0],
            &[1.0, 2.0, 3.5],
            &[1.0; 3],
            &LocfitOptions::default(),
        )
        .unwrap();
        assert_eq!(fit.info().empty_windows, 2);
        assert_eq!(fit.info().fitted_vertices, 9);
        assert!(fit.info().sorted_input);
        // predict(fit, data.frame(x = 2.5)) in R gives exactly 2.
        assert_eq!(fit.predict(2.5), 2.0);
    }

    #[test]
    fn tree_too_deep_is_an_error_as_in_r() {
        // R: locfit(y ~ x) stops with "newsplit: out of vertex space" for
        // x <- c(seq(0, 0.001, length.out = 490), seq(1, 1000, length.out = 10)).
        let mut x: Vec<f64> = (0..490).map(|i| 0.001 * i as f64 / 489.0).collect();
        x.extend((0..10).map(|i| 1.0 + 111.0 * i as f64));
        let y: Vec<f64> = x.iter().map(|v| v.sin()).collect();
        let err = locfit_1d(&x, &y, &vec![1.0; 500], &LocfitOptions::default()).unwrap_err();
        assert_eq!(err, LocfitError::OutOfVertexSpace { capacity: 19 });
    }

    #[test]
    fn vertex_capacity_matches_atree_guessnv() {
        // nvc["nvm"] of R fits with alpha 0.7 / 0.3 / 1.5 and cut 0.8.
        assert_eq!(vertex_capacity(0.7, 0.8), 19);
        assert_eq!(vertex_capacity(0.3, 0.8), 43);
        assert_eq!(vertex_capacity(1.5, 0.8), 14);
    }

    #[test]
    fn constant_x_predicts_weighted_mean() {
        // R: predict(locfit(y ~ x, weights = rep(1, 5)), ...) with x all 2
        // and y = 1:5 gives 3 everywhere.
        let fit = locfit_1d(
            &[2.0; 5],
            &[1.0, 2.0, 3.0, 4.0, 5.0],
            &[1.0; 5],
            &LocfitOptions::default(),
        )
        .unwrap();
        for x in [1.0, 2.0, 3.0] {
            assert_eq!(fit.predict(x), 3.0);
        }
    }

    #[test]
    fn rejects_invalid_input() {
        let opts = LocfitOptions::default();
        assert_eq!(
            locfit_1d(&[1.0, 2.0], &[1.0], &[1.0, 1.0], &opts).unwrap_err(),
            LocfitError::LengthMismatch {
                x: 2,
                y: 1,
                weights: 2
            }
        );
        assert_eq!(
            locfit_1d(&[], &[], &[], &opts).unwrap_err(),
            LocfitError::Empty
        );
        assert_eq!(
            locfit_1d(&[1.0, f64::NAN], &[1.0, 2.0], &[1.0, 1.0], &opts).unwrap_err(),
            LocfitError::NonFinite {
                input: "x",
                index: 1
            }
        );
        assert_eq!(
            locfit_1d(&[1.0, 2.0], &[1.0, 2.0], &[1.0, -1.0], &opts).unwrap_err(),
            LocfitError::NegativeWeight { index: 1 }
        );
        assert_eq!(
            locfit_1d(&[1.0, 2.0], &[1.0, 2.0], &[0.0, 0.0], &opts).unwrap_err(),
            LocfitError::AllWeightsZero
        );
        let bad = LocfitOptions { degree: 8, ..opts };
        assert!(matches!(
            locfit_1d(&[1.0, 2.0], &[1.0, 2.0], &[1.0, 1.0], &bad).unwrap_err(),
            LocfitError::InvalidOption(_)
        ));
    }
}
