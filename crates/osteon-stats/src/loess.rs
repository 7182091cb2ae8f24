//! Local polynomial regression `loess` for one predictor, as R computes it.
//!
//! This reproduces R's `loess(y ~ x, span, degree, family = "gaussian",
//! surface = "interpolate")` followed by `predict(fit, newdata)` (R 4.2,
//! `stats/R/loess.R`, `stats/src/loessc.c` and the netlib dloess Fortran
//! `stats/src/loessf.f` by Cleveland, Grosse and Shyu). For a single
//! predictor the computation is:
//!
//! 1. **k-d tree** (`ehg126`, `ehg124`, `ehg125`, `ehg129`): the bounding
//!    interval of `x`, widened by 0.5% on each side, is split recursively at
//!    the median data value of each cell (ties moved to the nearest distinct
//!    boundary, as in B. Tyner's 2006 fix) until a cell holds at most
//!    `floor(n · span · cell)` points. Split points become vertices.
//! 2. **Vertex fits** (`ehg139`, `ehg127`): at every vertex a weighted least
//!    squares polynomial of the given degree is fitted to the
//!    `floor(n · span)` nearest points with tricube weights. The columns are
//!    equilibrated, the system is reduced by a Householder QR and solved
//!    through the singular value decomposition of `R` with singular values
//!    below `100 · ε · σ₁` dropped (a pseudo-inverse). The fitted value and
//!    slope at the vertex are kept.
//! 3. **Interpolation** (`ehg128`): a prediction is the cubic Hermite
//!    interpolant of the values and slopes at the two vertices of the leaf
//!    cell that contains it. Outside the range of `x` R returns `NA`; here
//!    [`LoessFit::predict`] returns NaN.
//!
//! With `family = "gaussian"` R makes a single pass (no robustness
//! iterations), so the statistics R computes alongside (trace of the hat
//! matrix, δ₁, δ₂) do not affect the fitted surface and are not computed.
//!
//! The least-squares step uses the same Householder reduction as LINPACK
//! `dqrdc`/`dqrsl`, but a one-sided Jacobi SVD in place of LINPACK `dsvdc`;
//! predictions agree with R to a few 1e-15 relative, not bit for bit.

use std::fmt;

/// Options of a one-predictor loess fit; the defaults are R's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoessOptions {
    /// Fraction of the points in each local neighbourhood (R `span`, 0.75).
    pub span: f64,
    /// Degree of the local polynomials: 0, 1 or 2 (R `degree`, 2).
    pub degree: u8,
    /// Cells of the k-d tree are split until they hold at most
    /// `floor(n · span · cell)` points (R `loess.control(cell = 0.2)`).
    pub cell: f64,
}

impl Default for LoessOptions {
    fn default() -> Self {
        Self {
            span: 0.75,
            degree: 2,
            cell: 0.2,
        }
    }
}

/// Why a loess fit could not be computed.
#[derive(Debug, Clone, PartialEq)]
pub enum LoessError {
    /// `x`, `y` (and weights, if given) differ in length.
    LengthMismatch {
        /// Length of `x`.
        x: usize,
        /// Length of `y`.
        y: usize,
        /// Length of the weights.
        weights: usize,
    },
    /// There are no observations.
    Empty,
    /// An `x`, `y` or weight value is NaN or infinite.
    NonFinite,
    /// A weight is negative.
    NegativeWeight,
    /// `span` is not positive and finite, or `floor(n · span)` is 0
    /// (R: "span is too small").
    InvalidSpan,
    /// `degree` is greater than 2.
    InvalidDegree,
    /// `cell` is not positive and finite.
    InvalidCell,
    /// A neighbourhood has fewer points than the local polynomial has
    /// coefficients (dloess error 104: "span too small. fewer data values
    /// than degrees of freedom").
    TooFewPointsInNeighbourhood,
    /// All points of a neighbourhood coincide with the vertex (dloess error
    /// 120: "zero-width neighborhood. make span bigger").
    ZeroWidthNeighbourhood,
    /// Every point of a neighbourhood has weight zero (dloess error 121:
    /// "all data on boundary of neighborhood. make span bigger").
    AllWeightsZero,
}

impl fmt::Display for LoessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoessError::LengthMismatch { x, y, weights } => write!(
                f,
                "loess: lengths differ (x: {x}, y: {y}, weights: {weights})"
            ),
            LoessError::Empty => write!(f, "loess: no observations"),
            LoessError::NonFinite => write!(f, "loess: non-finite x, y or weight"),
            LoessError::NegativeWeight => write!(f, "loess: negative weight"),
            LoessError::InvalidSpan => write!(f, "loess: span is too small or invalid"),
            LoessError::InvalidDegree => write!(f, "loess: degree must be 0, 1 or 2"),
            LoessError::InvalidCell => write!(f, "loess: cell must be positive"),
            LoessError::TooFewPointsInNeighbourhood => write!(
                f,
                "loess: span too small, fewer data values than degrees of freedom"
            ),
            LoessError::ZeroWidthNeighbourhood => {
                write!(f, "loess: zero-width neighbourhood, make span bigger")
            }
            LoessError::AllWeightsZero => write!(
                f,
                "loess: all data on boundary of neighbourhood, make span bigger"
            ),
        }
    }
}

impl std::error::Error for LoessError {}

/// Numerical diagnostics of a loess fit (R prints the corresponding
/// warnings "pseudoinverse used at ..." from dloess).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoessFitInfo {
    /// Number of vertices of the k-d tree (local fits computed).
    pub vertex_count: usize,
    /// Number of cells of the k-d tree (leaves and inner nodes).
    pub cell_count: usize,
    /// Number of vertex fits whose smallest singular value fell below the
    /// tolerance, so that a pseudo-inverse was used.
    pub pseudoinverse_fits: usize,
    /// Smallest reciprocal condition number `σ_min / σ_max` over all vertex
    /// fits (1 when no fit was made).
    pub reciprocal_condition: f64,
}

/// One cell of the k-d tree over the predictor.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Cell {
    /// Vertex index of the left end of the cell.
    lower_vertex: usize,
    /// Vertex index of the right end of the cell.
    upper_vertex: usize,
    /// For an inner cell: split value and indices of the two child cells
    /// (points `<= split` go left).
    split: Option<(f64, usize, usize)>,
}

/// A fitted one-predictor loess surface (R's `loess` object with
/// `surface = "interpolate"`).
#[derive(Debug, Clone, PartialEq)]
pub struct LoessFit {
    x_min: f64,
    x_max: f64,
    cells: Vec<Cell>,
    vertex_x: Vec<f64>,
    vertex_value: Vec<f64>,
    vertex_slope: Vec<f64>,
    info: LoessFitInfo,
}

/// Fits `loess(y ~ x, weights, span, degree, family = "gaussian",
/// surface = "interpolate", cell)` as R does.
///
/// `weights` are R's prior weights (`None` means all 1).
///
/// ```
/// use osteon_stats::loess::{loess_fit, LoessOptions};
/// let x: Vec<f64> = (0..20).map(|i| i as f64).collect();
/// let y: Vec<f64> = x.iter().map(|v| 1.0 + 0.5 * v - 0.02 * v * v).collect();
/// let fit = loess_fit(&x, &y, None, &LoessOptions::default()).unwrap();
/// // A quadratic is reproduced exactly by local quadratic fits.
/// assert!((fit.predict(7.5) - (1.0 + 3.75 - 0.02 * 56.25)).abs() < 1e-12);
/// assert!(fit.predict(25.0).is_nan());
/// ```
pub fn loess_fit(
    x: &[f64],
    y: &[f64],
    weights: Option<&[f64]>,
    opts: &LoessOptions,
) -> Result<LoessFit, LoessError> {
    let n = x.len();
    let weight_len = weights.map_or(n, <[f64]>::len);
    if y.len() != n || weight_len != n {
        return Err(LoessError::LengthMismatch {
            x: n,
            y: y.len(),
            weights: weight_len,
        });
    }
    if n == 0 {
        return Err(LoessError::Empty);
    }
    if x.iter().chain(y).any(|v| !v.is_finite()) {
        return Err(LoessError::NonFinite);
    }
    let prior_weights: Vec<f64> = match weights {
        Some(w) => {
            if w.iter().any(|v| !v.is_finite()) {
                return Err(LoessError::NonFinite);
            }
            if w.iter().any(|&v| v < 0.0) {
                return Err(LoessError::NegativeWeight);
            }
            w.to_vec()
        }
        None => vec![1.0; n],
    };
    if opts.degree > 2 {
        return Err(LoessError::InvalidDegree);
    }
    if !(opts.span > 0.0 && opts.span.is_finite()) {
        return Err(LoessError::InvalidSpan);
    }
    if !(opts.cell > 0.0 && opts.cell.is_finite()) {
        return Err(LoessError::InvalidCell);
    }
    // loessc.c `loess_workspace`: nf = min(n, floor(n * span + 1e-5)) must be
    // positive; lowesd then uses nf = min(n, floor(n * span)).
    if ((n as f64) * opts.span + 1e-5).floor() < 1.0 {
        return Err(LoessError::InvalidSpan);
    }
    let neighbours = n.min(((n as f64) * opts.span).floor() as usize);
    let coefficients = usize::from(opts.degree) + 1;
    if neighbours == 0 || coefficients + 1 > neighbours {
        return Err(LoessError::TooFewPointsInNeighbourhood);
    }

    let (cells, vertex_x) = build_kd_tree(x, opts.span * opts.cell);

    let mut local = LocalFitter::new(x, y, &prior_weights, neighbours, opts);
    let mut vertex_value = Vec::with_capacity(vertex_x.len());
    let mut vertex_slope = Vec::with_capacity(vertex_x.len());
    for &q in &vertex_x {
        let (value, slope) = local.fit_at(q)?;
        vertex_value.push(value);
        vertex_slope.push(slope);
    }

    let (x_min, x_max) = min_max(x);
    let info = LoessFitInfo {
        vertex_count: vertex_x.len(),
        cell_count: cells.len(),
        pseudoinverse_fits: local.pseudoinverse_fits,
        reciprocal_condition: local.reciprocal_condition,
    };
    Ok(LoessFit {
        x_min,
        x_max,
        cells,
        vertex_x,
        vertex_value,
        vertex_slope,
        info,
    })
}

impl LoessFit {
    /// Predicted value at `x` (R `predict(fit, newdata = x)`); NaN outside
    /// the range of the fitted `x` (R gives `NA`) or for a NaN `x`.
    pub fn predict(&self, x: f64) -> f64 {
        if !(x >= self.x_min && x <= self.x_max) {
            return f64::NAN;
        }
        // ehg128: descend to the leaf cell, then cubic Hermite interpolation.
        let mut cell = &self.cells[0];
        while let Some((split, lower, upper)) = cell.split {
            cell = &self.cells[if x <= split { lower } else { upper }];
        }
        let lo = cell.lower_vertex;
        let hi = cell.upper_vertex;
        let width = self.vertex_x[hi] - self.vertex_x[lo];
        let h = (x - self.vertex_x[lo]) / width;
        let one_minus_h = 1.0 - h;
        let phi0 = one_minus_h * one_minus_h * (1.0 + 2.0 * h);
        let phi1 = h * h * (3.0 - 2.0 * h);
        let psi0 = h * one_minus_h * one_minus_h;
        let psi1 = h * h * (h - 1.0);
        phi0 * self.vertex_value[lo]
            + phi1 * self.vertex_value[hi]
            + (psi0 * self.vertex_slope[lo] + psi1 * self.vertex_slope[hi]) * width
    }

    /// [`predict`](Self::predict) at each of `xs`.
    pub fn predict_many(&self, xs: &[f64]) -> Vec<f64> {
        xs.iter().map(|&x| self.predict(x)).collect()
    }

    /// Numerical diagnostics of the fit.
    pub fn info(&self) -> LoessFitInfo {
        self.info
    }
}

fn min_max(x: &[f64]) -> (f64, f64) {
    x.iter()
        .fold((f64::MAX, -f64::MAX), |(lo, hi), &v| (lo.min(v), hi.max(v)))
}

/// Builds the k-d tree over `x` (dloess `ehg126` + `ehg124`, one dimension).
///
/// `fc_fraction` is `span * cell`; cells with at most `floor(n * fc_fraction)`
/// points are leaves. Returns the cells (cell 0 is the root) and the vertex
/// coordinates (vertex 0 and 1 are the ends of the bounding interval).
fn build_kd_tree(x: &[f64], fc_fraction: f64) -> (Vec<Cell>, Vec<f64>) {
    let n = x.len();
    // ehg126: bounding interval widened by 0.5% of its width on each side.
    let (alpha, beta) = min_max(x);
    let margin = 0.005 * (beta - alpha).max(1e-10 * alpha.abs().max(beta.abs()) + 1e-30);
    let mut vertex_x = vec![alpha - margin, beta + margin];

    // The Fortran partially sorts a permutation; only the order statistics
    // of each cell matter, so a full sort gives the same cells.
    let mut sorted = x.to_vec();
    sorted.sort_by(f64::total_cmp);

    let leaf_size = ((n as f64) * fc_fraction).floor();
    let max_cells = n.max(200);
    let max_vertices = max_cells;

    let mut cells = vec![Cell {
        lower_vertex: 0,
        upper_vertex: 1,
        split: None,
    }];
    // Point ranges (0-based, inclusive) of each cell in `sorted`.
    let mut ranges: Vec<(usize, usize)> = vec![(0, n - 1)];
    let mut p = 0;
    while p < cells.len() {
        let (l, u) = ranges[p];
        let lower_v = vertex_x[cells[p].lower_vertex];
        let upper_v = vertex_x[cells[p].upper_vertex];
        let diameter = (upper_v - lower_v).abs();
        let mut leaf = ((u - l + 1) as f64) <= leaf_size || diameter <= 0.0;
        if !leaf {
            leaf =
                max_cells < cells.len() + 2 || (max_vertices as f64) < vertex_x.len() as f64 + 1.0;
        }
        let mut m = 0;
        if !leaf {
            // The 1-based median index floor((l + u) / 2), 0-based.
            m = (l + u) / 2;
            // Move to the nearest boundary between distinct values, trying
            // offsets 0, +1, -1, +2, -2, ...
            let (li, ui) = (l as isize, u as isize);
            let mut offset: isize = 0;
            loop {
                let at = m as isize + offset;
                if at >= ui || at < li {
                    break;
                }
                let at = at as usize;
                if sorted[at] == sorted[at + 1] {
                    offset = -offset;
                    if offset >= 0 {
                        offset += 1;
                    }
                } else {
                    m = at;
                    break;
                }
            }
            leaf = lower_v == sorted[m] || upper_v == sorted[m];
        }
        if !leaf {
            let split = sorted[m];
            // ehg125: reuse an existing vertex at the same coordinate.
            let new_vertex = match vertex_x.iter().position(|&v| v == split) {
                Some(existing) => existing,
                None => {
                    vertex_x.push(split);
                    vertex_x.len() - 1
                }
            };
            let left = cells.len();
            let right = left + 1;
            cells.push(Cell {
                lower_vertex: cells[p].lower_vertex,
                upper_vertex: new_vertex,
                split: None,
            });
            ranges.push((l, m));
            cells.push(Cell {
                lower_vertex: new_vertex,
                upper_vertex: cells[p].upper_vertex,
                split: None,
            });
            ranges.push((m + 1, u));
            cells[p].split = Some((split, left, right));
        }
        p += 1;
    }
    (cells, vertex_x)
}

/// Workspace for the local weighted least-squares fits (dloess `ehg127`).
struct LocalFitter<'a> {
    x: &'a [f64],
    y: &'a [f64],
    prior_weights: &'a [f64],
    neighbours: usize,
    span: f64,
    degree: usize,
    distance: Vec<f64>,
    order: Vec<usize>,
    design: Vec<f64>,
    response: Vec<f64>,
    pseudoinverse_fits: usize,
    reciprocal_condition: f64,
}

impl<'a> LocalFitter<'a> {
    fn new(
        x: &'a [f64],
        y: &'a [f64],
        prior_weights: &'a [f64],
        neighbours: usize,
        opts: &LoessOptions,
    ) -> Self {
        let n = x.len();
        Self {
            x,
            y,
            prior_weights,
            neighbours,
            span: opts.span,
            degree: usize::from(opts.degree),
            distance: vec![0.0; n],
            order: (0..n).collect(),
            design: Vec::new(),
            response: Vec::new(),
            pseudoinverse_fits: 0,
            reciprocal_condition: 1.0,
        }
    }

    /// Local fit at `q`: returns (value, slope) of the local polynomial.
    fn fit_at(&mut self, q: f64) -> Result<(f64, f64), LoessError> {
        let nf = self.neighbours;
        let k = self.degree + 1;
        for (d, &xi) in self.distance.iter_mut().zip(self.x) {
            let diff = xi - q;
            *d = diff * diff;
        }
        let distance = &self.distance;
        self.order
            .select_nth_unstable_by(nf - 1, |&a, &b| distance[a].total_cmp(&distance[b]));
        let rho = distance[self.order[nf - 1]] * self.span.max(1.0);
        if rho <= 0.0 {
            return Err(LoessError::ZeroWidthNeighbourhood);
        }
        // Tricube weights (square roots, as the rows are scaled by them).
        let neighbourhood = &self.order[..nf];
        let row_weight: Vec<f64> = neighbourhood
            .iter()
            .map(|&i| {
                let r = (distance[i] / rho).sqrt();
                let t = 1.0 - r * r * r;
                (self.prior_weights[i] * (t * t * t)).sqrt()
            })
            .collect();
        if row_weight.iter().all(|&w| w == 0.0) {
            return Err(LoessError::AllWeightsZero);
        }
        // Column-major design matrix: w, w (x - q), w (x - q)^2.
        self.design.clear();
        self.design.extend_from_slice(&row_weight);
        if self.degree >= 1 {
            self.design.extend(
                neighbourhood
                    .iter()
                    .zip(&row_weight)
                    .map(|(&i, &w)| w * (self.x[i] - q)),
            );
        }
        if self.degree >= 2 {
            self.design
                .extend(neighbourhood.iter().zip(&row_weight).map(|(&i, &w)| {
                    let diff = self.x[i] - q;
                    w * (diff * diff)
                }));
        }
        self.response.clear();
        self.response.extend(
            neighbourhood
                .iter()
                .zip(&row_weight)
                .map(|(&i, &w)| w * self.y[i]),
        );
        // Equilibrate the columns.
        let mut column_norm = [1.0; 3];
        for j in 0..k {
            let column = &mut self.design[j * nf..(j + 1) * nf];
            let scale = column.iter().fold(0.0, |acc, v| acc + v * v).sqrt();
            if scale > 0.0 {
                column.iter_mut().for_each(|v| *v /= scale);
                column_norm[j] = scale;
            }
        }
        let r = householder_qr(&mut self.design, nf, k, &mut self.response);
        let svd = jacobi_svd(&r, k);
        let sigma_max = svd.sigma[..k].iter().fold(0.0_f64, |a, &b| a.max(b));
        let sigma_min = svd.sigma[..k].iter().fold(f64::INFINITY, |a, &b| a.min(b));
        let tol = sigma_max * (100.0 * f64::EPSILON);
        self.reciprocal_condition = self.reciprocal_condition.min(sigma_min / sigma_max);
        if sigma_min <= tol {
            self.pseudoinverse_fits += 1;
        }
        // gamma = Sigma^+ U^T (Q^T eta)[..k]; coefficients = D^-1 V gamma.
        let mut gamma = [0.0; 3];
        for j in 0..k {
            if tol < svd.sigma[j] {
                let dot: f64 = (0..k).map(|i| svd.u[i][j] * self.response[i]).sum();
                gamma[j] = dot / svd.sigma[j];
            }
        }
        let coefficient = |row: usize| -> f64 {
            (0..k)
                .map(|j| (svd.v[row][j] / column_norm[row]) * gamma[j])
                .sum()
        };
        let value = coefficient(0);
        let slope = if k >= 2 { coefficient(1) } else { 0.0 };
        Ok((value, slope))
    }
}

/// Householder QR of the column-major `rows × cols` matrix `a` without
/// pivoting (LINPACK `dqrdc` with `job = 0`), applying `Qᵀ` to `b` as
/// `dqrsl` does. Returns the `cols × cols` upper triangle `R` (row-major).
fn householder_qr(a: &mut [f64], rows: usize, cols: usize, b: &mut [f64]) -> [[f64; 3]; 3] {
    let mut r = [[0.0; 3]; 3];
    let mut qraux = [0.0; 3];
    for l in 0..cols.min(rows) {
        if l == rows - 1 {
            break;
        }
        let (before, rest) = a.split_at_mut(l * rows + rows);
        let col_l = &mut before[l * rows + l..l * rows + rows];
        let mut norm = norm2(col_l);
        if norm == 0.0 {
            continue;
        }
        if col_l[0] != 0.0 {
            norm = norm.copysign(col_l[0]);
        }
        col_l.iter_mut().for_each(|v| *v /= norm);
        col_l[0] += 1.0;
        for j in (l + 1)..cols {
            let col_j = &mut rest[(j - l - 1) * rows + l..(j - l - 1) * rows + rows];
            let t = -dot(col_l, col_j) / col_l[0];
            col_j
                .iter_mut()
                .zip(col_l.iter())
                .for_each(|(c, v)| *c += t * v);
        }
        qraux[l] = col_l[0];
        col_l[0] = -norm;
    }
    // Apply Q^T to b (dqrsl, job 1000).
    for j in 0..cols.min(rows - 1) {
        if qraux[j] == 0.0 {
            continue;
        }
        let col = &mut a[j * rows + j..j * rows + rows];
        let diagonal = col[0];
        col[0] = qraux[j];
        let t = -dot(col, &b[j..]) / col[0];
        b[j..]
            .iter_mut()
            .zip(col.iter())
            .for_each(|(bv, v)| *bv += t * v);
        col[0] = diagonal;
    }
    for i in 0..cols {
        for j in i..cols {
            r[i][j] = a[j * rows + i];
        }
    }
    r
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).fold(0.0, |acc, (x, y)| acc + x * y)
}

/// Euclidean norm with scaling against overflow (reference BLAS `dnrm2`).
fn norm2(v: &[f64]) -> f64 {
    let mut scale = 0.0_f64;
    let mut ssq = 1.0_f64;
    for &x in v {
        if x != 0.0 {
            let absx = x.abs();
            if scale < absx {
                let ratio = scale / absx;
                ssq = 1.0 + ssq * ratio * ratio;
                scale = absx;
            } else {
                let ratio = absx / scale;
                ssq += ratio * ratio;
            }
        }
    }
    scale * ssq.sqrt()
}

/// Singular value decomposition `A = U diag(σ) Vᵀ` of a small square matrix.
struct SmallSvd {
    u: [[f64; 3]; 3],
    sigma: [f64; 3],
    v: [[f64; 3]; 3],
}

/// One-sided Jacobi SVD (Hestenes) of the leading `k × k` block of `a`.
fn jacobi_svd(a: &[[f64; 3]; 3], k: usize) -> SmallSvd {
    let mut w = *a;
    let mut v = [[0.0; 3]; 3];
    for (i, row) in v.iter_mut().enumerate().take(k) {
        row[i] = 1.0;
    }
    for _sweep in 0..60 {
        let mut rotated = false;
        for p in 0..k {
            for q in (p + 1)..k {
                let (mut alpha, mut beta, mut gamma) = (0.0, 0.0, 0.0);
                for row in w.iter().take(k) {
                    alpha += row[p] * row[p];
                    beta += row[q] * row[q];
                    gamma += row[p] * row[q];
                }
                if gamma == 0.0 || gamma.abs() <= f64::EPSILON * (alpha * beta).sqrt() {
                    continue;
                }
                rotated = true;
                let zeta = (beta - alpha) / (2.0 * gamma);
                let t = zeta.signum() / (zeta.abs() + (1.0 + zeta * zeta).sqrt());
                let t = if zeta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (1.0 + t * t).sqrt();
                let s = c * t;
                for row in w.iter_mut().take(k) {
                    let (wp, wq) = (row[p], row[q]);
                    row[p] = c * wp - s * wq;
                    row[q] = s * wp + c * wq;
                }
                for row in v.iter_mut().take(k) {
                    let (vp, vq) = (row[p], row[q]);
                    row[p] = c * vp - s * vq;
                    row[q] = s * vp + c * vq;
                }
            }
        }
        if !rotated {
            break;
        }
    }
    let mut sigma = [0.0; 3];
    let mut u = [[0.0; 3]; 3];
    for j in 0..k {
        let norm = (0..k).map(|i| w[i][j] * w[i][j]).sum::<f64>().sqrt();
        sigma[j] = norm;
        if norm > 0.0 {
            for i in 0..k {
                u[i][j] = w[i][j] / norm;
            }
        }
    }
    SmallSvd { u, sigma, v }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reproduces_a_quadratic_exactly() {
        let x: Vec<f64> = (0..30).map(|i| f64::from(i) * 0.37).collect();
        let y: Vec<f64> = x.iter().map(|v| 2.0 - 1.5 * v + 0.25 * v * v).collect();
        let fit = loess_fit(&x, &y, None, &LoessOptions::default()).unwrap();
        for &t in &[0.0, 1.234, 5.0, 10.73] {
            let expected = 2.0 - 1.5 * t + 0.25 * t * t;
            assert!((fit.predict(t) - expected).abs() < 1e-11, "at {t}");
        }
        assert!(fit.predict(-0.001).is_nan());
        assert!(fit.predict(10.74).is_nan());
    }

    /// R's `seq(from, to, length.out = n)` for n > 2.
    fn r_seq(from: f64, to: f64, n: usize) -> Vec<f64> {
        let by = (to - from) / (n - 1) as f64;
        let mut out: Vec<f64> = (0..n - 1).map(|k| from + k as f64 * by).collect();
        out.push(to);
        out
    }

    fn assert_close(actual: &[f64], expected: &[f64], rel: f64) {
        assert_eq!(actual.len(), expected.len());
        for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
            assert!(
                ((a - e) / e).abs() <= rel,
                "index {i}: got {a:e}, R gives {e:e}"
            );
        }
    }

    const CARS_SPEED: [f64; 50] = [
        4., 4., 7., 7., 8., 9., 10., 10., 10., 11., 11., 12., 12., 12., 12., 13., 13., 13., 13.,
        14., 14., 14., 14., 15., 15., 15., 16., 16., 17., 17., 17., 18., 18., 18., 18., 19., 19.,
        19., 20., 20., 20., 20., 20., 22., 23., 24., 24., 24., 24., 25.,
    ];
    const CARS_DIST: [f64; 50] = [
        2., 10., 4., 22., 16., 10., 18., 26., 34., 17., 28., 14., 20., 24., 28., 26., 34., 34.,
        46., 26., 36., 60., 80., 20., 26., 54., 32., 40., 32., 40., 50., 42., 56., 76., 84., 36.,
        46., 68., 32., 48., 52., 56., 64., 66., 54., 70., 92., 93., 120., 85.,
    ];
    const CARS_NEW: [f64; 8] = [4.0, 4.5, 7.3, 10.0, 13.7, 18.2, 24.9, 25.0];

    #[test]
    fn matches_r_on_cars_with_defaults() {
        let fit = loess_fit(&CARS_SPEED, &CARS_DIST, None, &LoessOptions::default()).unwrap();
        // fit <- loess(dist ~ speed, cars)
        // sprintf('%.17g', predict(fit, data.frame(speed = c(4, 4.5, 7.3, 10, 13.7, 18.2, 24.9, 25))))
        let expected = [
            5.8936279902916553,
            6.8072930368638831,
            13.304769823425895,
            21.865315372875248,
            35.985995218475871,
            50.05933934994151,
            94.256243201959137,
            95.324047436889501,
        ];
        assert_close(&fit.predict_many(&CARS_NEW), &expected, 1e-12);
        assert!(fit.predict(3.999).is_nan());
        assert!(fit.predict(25.001).is_nan());
    }

    #[test]
    fn matches_r_on_cars_with_other_degrees_and_weights() {
        // predict(loess(dist ~ speed, cars, span = 0.3, degree = 1), <CARS_NEW>)
        let opts = LoessOptions {
            span: 0.3,
            degree: 1,
            ..LoessOptions::default()
        };
        let fit = loess_fit(&CARS_SPEED, &CARS_DIST, None, &opts).unwrap();
        let expected = [
            5.6586849252370941,
            6.8896840924308345,
            13.810647734459128,
            21.220991910050412,
            41.307002507208985,
            55.713711528682751,
            95.601023057068929,
            96.642376737811077,
        ];
        assert_close(&fit.predict_many(&CARS_NEW), &expected, 1e-12);

        // predict(loess(dist ~ speed, cars, span = 0.9, degree = 0), <CARS_NEW>)
        let opts = LoessOptions {
            span: 0.9,
            degree: 0,
            ..LoessOptions::default()
        };
        let fit = loess_fit(&CARS_SPEED, &CARS_DIST, None, &opts).unwrap();
        let expected = [
            28.499714480013541,
            28.595643492415579,
            30.607654523184912,
            32.097734967450656,
            37.957774505944833,
            49.428758765869063,
            58.16058829283768,
            58.18049760103785,
        ];
        assert_close(&fit.predict_many(&CARS_NEW), &expected, 1e-12);

        // w <- seq(0.5, 2, length = 50)
        // predict(loess(dist ~ speed, cars, weights = w, span = 0.5), <CARS_NEW>)
        let weights = r_seq(0.5, 2.0, 50);
        let opts = LoessOptions {
            span: 0.5,
            ..LoessOptions::default()
        };
        let fit = loess_fit(&CARS_SPEED, &CARS_DIST, Some(&weights), &opts).unwrap();
        let expected = [
            6.4536213911077684,
            7.2921480145904072,
            12.834078261376979,
            18.845414627601116,
            40.621441586573383,
            55.702572976575432,
            98.3447784108061,
            99.90339173143839,
        ];
        assert_close(&fit.predict_many(&CARS_NEW), &expected, 1e-12);
    }

    #[test]
    fn matches_r_on_a_kl_like_curve_with_span_0_2() {
        // x <- seq(0, 8, length = 200); k <- 0:199
        // y <- 0.3 * (x - 2.5)^2 / (1 + x) + 0.01 * ((k * 7919) %% 13 - 6)
        let x = r_seq(0.0, 8.0, 200);
        let y: Vec<f64> = x
            .iter()
            .enumerate()
            .map(|(k, &v)| {
                let noise = ((k * 7919) % 13) as f64 - 6.0;
                0.3 * (v - 2.5) * (v - 2.5) / (1.0 + v) + 0.01 * noise
            })
            .collect();
        let opts = LoessOptions {
            span: 0.2,
            ..LoessOptions::default()
        };
        let fit = loess_fit(&x, &y, None, &opts).unwrap();
        // length(fit$kd$xi) == 63 cells, fit$kd$parameter[5] == 33 vertices
        assert_eq!(fit.info().cell_count, 63);
        assert_eq!(fit.info().vertex_count, 33);
        let fine = r_seq(0.0, 8.0, 1000);
        let p = fit.predict_many(&fine);
        // p <- predict(fit, seq(0, 8, length = 1000)); p[c(1, 2, 137, 500, 999, 1000)]
        let expected = [
            1.7918156543043635,
            1.7721942053348165,
            0.28354779526184692,
            0.13358741041149305,
            1.000356557220329,
            1.0022537452139719,
        ];
        let picked: Vec<f64> = [0, 1, 136, 499, 998, 999].iter().map(|&i| p[i]).collect();
        assert_close(&picked, &expected, 1e-12);
        // which.min(p) == 314; min(p) == 0.00018471865796982316
        let argmin = (0..p.len()).fold(0, |best, i| if p[i] < p[best] { i } else { best });
        assert_eq!(argmin + 1, 314);
        assert_close(&[p[argmin]], &[0.00018471865796982316], 1e-10);
    }

    #[test]
    fn rejects_invalid_input() {
        let x = [1.0, 2.0, 3.0];
        let y = [1.0, 2.0];
        assert!(matches!(
            loess_fit(&x, &y, None, &LoessOptions::default()),
            Err(LoessError::LengthMismatch { .. })
        ));
        let y = [1.0, 2.0, f64::NAN];
        assert_eq!(
            loess_fit(&x, &y, None, &LoessOptions::default()),
            Err(LoessError::NonFinite)
        );
        let y = [1.0, 2.0, 3.0];
        assert_eq!(
            loess_fit(&x, &y, None, &LoessOptions::default()),
            Err(LoessError::TooFewPointsInNeighbourhood)
        );
    }
}
