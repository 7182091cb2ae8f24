//! Small dense linear algebra for per-gene model fits.
//!
//! Every gene in an RNA-seq study gets its own small weighted least-squares
//! problem (a few coefficients, up to a few hundred samples), so these
//! routines favour simple row-major storage, no allocation in the inner
//! loops and arithmetic that follows the reference implementations:
//!
//! * Householder QR least squares (Golub & Van Loan, *Matrix Computations*,
//!   4th ed., §5.2), as LAPACK `dgeqrf` / LINPACK `dqrdc2` compute it.
//! * Determinants of small symmetric matrices with the closed forms that
//!   Armadillo (`op_det::apply_tiny`) uses for n ≤ 4, falling back to a
//!   Cholesky factorisation; inverses with the closed form for n = 2 and
//!   Cholesky otherwise (Armadillo's `inv` on a symmetric positive definite
//!   matrix).

/// A dense row-major matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    rows: usize,
    cols: usize,
    data: Vec<f64>,
}

impl Matrix {
    /// An all-zero `rows × cols` matrix.
    pub fn zeros(rows: usize, cols: usize) -> Self {
        Self {
            rows,
            cols,
            data: vec![0.0; rows * cols],
        }
    }

    /// Wraps row-major data.
    ///
    /// # Panics
    /// If `data.len() != rows * cols`.
    pub fn from_row_major(rows: usize, cols: usize, data: Vec<f64>) -> Self {
        assert_eq!(data.len(), rows * cols, "matrix data has the wrong length");
        Self { rows, cols, data }
    }

    /// The identity matrix.
    pub fn identity(n: usize) -> Self {
        let mut m = Self::zeros(n, n);
        for i in 0..n {
            m[(i, i)] = 1.0;
        }
        m
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Row-major backing data.
    pub fn as_slice(&self) -> &[f64] {
        &self.data
    }

    /// One row as a slice.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// The transpose.
    pub fn transpose(&self) -> Matrix {
        let mut t = Matrix::zeros(self.cols, self.rows);
        for i in 0..self.rows {
            for j in 0..self.cols {
                t[(j, i)] = self[(i, j)];
            }
        }
        t
    }

    /// Matrix product `self · other`.
    pub fn matmul(&self, other: &Matrix) -> Matrix {
        assert_eq!(self.cols, other.rows, "matmul shape mismatch");
        let mut out = Matrix::zeros(self.rows, other.cols);
        for i in 0..self.rows {
            for j in 0..other.cols {
                let mut s = 0.0;
                for k in 0..self.cols {
                    s += self[(i, k)] * other[(k, j)];
                }
                out[(i, j)] = s;
            }
        }
        out
    }

    /// `self · v`.
    pub fn mul_vec(&self, v: &[f64]) -> Vec<f64> {
        assert_eq!(self.cols, v.len(), "mul_vec shape mismatch");
        (0..self.rows)
            .map(|i| self.row(i).iter().zip(v).map(|(a, b)| a * b).sum())
            .collect()
    }

    /// `Xᵀ diag(w) X` for this matrix X (rows = observations).
    pub fn weighted_gram(&self, w: &[f64]) -> Matrix {
        let p = self.cols;
        let mut out = Matrix::zeros(p, p);
        weighted_gram_into(self, w, &mut out);
        out
    }
}

impl std::ops::Index<(usize, usize)> for Matrix {
    type Output = f64;
    fn index(&self, (i, j): (usize, usize)) -> &f64 {
        &self.data[i * self.cols + j]
    }
}

impl std::ops::IndexMut<(usize, usize)> for Matrix {
    fn index_mut(&mut self, (i, j): (usize, usize)) -> &mut f64 {
        &mut self.data[i * self.cols + j]
    }
}

/// Writes `Xᵀ diag(w) X` into `out` (p × p) without allocating.
///
/// Each entry is accumulated over observations in order, as Armadillo's
/// `x.t() * (x.each_col() % w)` does.
pub fn weighted_gram_into(x: &Matrix, w: &[f64], out: &mut Matrix) {
    let (m, p) = (x.rows, x.cols);
    debug_assert_eq!(w.len(), m);
    for a in 0..p {
        for b in a..p {
            let mut s = 0.0;
            for j in 0..m {
                s += x.data[j * p + a] * (x.data[j * p + b] * w[j]);
            }
            out[(a, b)] = s;
            out[(b, a)] = s;
        }
    }
}

/// Determinant of a small square matrix.
///
/// Uses the closed-form cofactor expansions for n ≤ 4 (as Armadillo does when
/// the result is well scaled), and LU with partial pivoting otherwise.
pub fn det(a: &Matrix) -> f64 {
    assert_eq!(a.rows, a.cols, "det of a non-square matrix");
    let n = a.rows;
    let x = |i: usize, j: usize| a[(i, j)];
    let closed = match n {
        0 => Some(1.0),
        1 => Some(x(0, 0)),
        2 => Some(x(0, 0) * x(1, 1) - x(0, 1) * x(1, 0)),
        3 => {
            let v1 = x(0, 0) * (x(2, 2) * x(1, 1) - x(2, 1) * x(1, 2));
            let v2 = x(1, 0) * (x(2, 2) * x(0, 1) - x(2, 1) * x(0, 2));
            let v3 = x(2, 0) * (x(1, 2) * x(0, 1) - x(1, 1) * x(0, 2));
            Some(v1 - v2 + v3)
        }
        4 => Some(det4(a)),
        _ => None,
    };
    if let Some(d) = closed {
        let d_abs = d.abs();
        if d_abs > f64::EPSILON && d_abs < 1.0 / f64::EPSILON {
            return d;
        }
    }
    det_lu(a)
}

fn det4(a: &Matrix) -> f64 {
    // Laplace expansion by 2×2 minors (the same sum Armadillo writes out).
    let x = |i: usize, j: usize| a[(i, j)];
    let s0 = x(0, 0) * x(1, 1) - x(1, 0) * x(0, 1);
    let s1 = x(0, 0) * x(1, 2) - x(1, 0) * x(0, 2);
    let s2 = x(0, 0) * x(1, 3) - x(1, 0) * x(0, 3);
    let s3 = x(0, 1) * x(1, 2) - x(1, 1) * x(0, 2);
    let s4 = x(0, 1) * x(1, 3) - x(1, 1) * x(0, 3);
    let s5 = x(0, 2) * x(1, 3) - x(1, 2) * x(0, 3);
    let c5 = x(2, 2) * x(3, 3) - x(3, 2) * x(2, 3);
    let c4 = x(2, 1) * x(3, 3) - x(3, 1) * x(2, 3);
    let c3 = x(2, 1) * x(3, 2) - x(3, 1) * x(2, 2);
    let c2 = x(2, 0) * x(3, 3) - x(3, 0) * x(2, 3);
    let c1 = x(2, 0) * x(3, 2) - x(3, 0) * x(2, 2);
    let c0 = x(2, 0) * x(3, 1) - x(3, 0) * x(2, 1);
    s0 * c5 - s1 * c4 + s2 * c3 + s3 * c2 - s4 * c1 + s5 * c0
}

fn det_lu(a: &Matrix) -> f64 {
    let n = a.rows;
    let mut stack = [0.0f64; 64];
    let mut heap;
    let m: &mut [f64] = if n * n <= 64 {
        stack[..n * n].copy_from_slice(&a.data);
        &mut stack[..n * n]
    } else {
        heap = a.data.clone();
        &mut heap
    };
    let mut d = 1.0;
    for k in 0..n {
        let mut piv = k;
        for i in k + 1..n {
            if m[i * n + k].abs() > m[piv * n + k].abs() {
                piv = i;
            }
        }
        if m[piv * n + k] == 0.0 {
            return 0.0;
        }
        if piv != k {
            for j in 0..n {
                m.swap(k * n + j, piv * n + j);
            }
            d = -d;
        }
        let pk = m[k * n + k];
        d *= pk;
        for i in k + 1..n {
            let f = m[i * n + k] / pk;
            for j in k + 1..n {
                m[i * n + j] -= f * m[k * n + j];
            }
        }
    }
    d
}

/// Cholesky factor `L` (lower triangular, row-major) of a symmetric positive
/// definite matrix, or `None` if a pivot is not positive.
pub fn cholesky(a: &Matrix) -> Option<Matrix> {
    let n = a.rows;
    let mut l = Matrix::zeros(n, n);
    for j in 0..n {
        let mut s = a[(j, j)];
        for k in 0..j {
            s -= l[(j, k)] * l[(j, k)];
        }
        if s.is_nan() || s <= 0.0 {
            return None;
        }
        let d = s.sqrt();
        l[(j, j)] = d;
        for i in j + 1..n {
            let mut t = a[(i, j)];
            for k in 0..j {
                t -= l[(i, k)] * l[(j, k)];
            }
            l[(i, j)] = t / d;
        }
    }
    Some(l)
}

/// tr(A⁻¹ D) for a symmetric positive definite `a` and any square `d` of
/// the same size, without allocating for n ≤ 8: the closed-form inverse for
/// n ≤ 2 and a Cholesky solve otherwise (falling back to
/// [`inverse_general`] when `a` is not numerically positive definite).
pub fn trace_inv_times(a: &Matrix, d: &Matrix) -> f64 {
    let n = a.rows;
    if n == 1 {
        return (1.0 / a[(0, 0)]) * d[(0, 0)];
    }
    if n == 2 {
        let det = a[(0, 0)] * a[(1, 1)] - a[(0, 1)] * a[(1, 0)];
        if det != 0.0 && det.is_finite() {
            let inv = [
                a[(1, 1)] / det,
                -a[(0, 1)] / det,
                -a[(1, 0)] / det,
                a[(0, 0)] / det,
            ];
            let r0 = inv[0] * d[(0, 0)] + inv[1] * d[(1, 0)];
            let r1 = inv[2] * d[(0, 1)] + inv[3] * d[(1, 1)];
            return r0 + r1;
        }
    }
    if n <= 2 || n > 8 {
        let Some(inv) = inverse_spd(a) else {
            return f64::NAN;
        };
        let mut tr = 0.0;
        for k in 0..n {
            let mut s = 0.0;
            for i in 0..n {
                s += inv[(k, i)] * d[(i, k)];
            }
            tr += s;
        }
        return tr;
    }
    // Cholesky A = L Lᵀ in a stack buffer.
    let mut l = [0.0f64; 64];
    for j in 0..n {
        let mut s = a[(j, j)];
        for k in 0..j {
            s -= l[j * n + k] * l[j * n + k];
        }
        if s.is_nan() || s <= 0.0 {
            let Some(inv) = inverse_general(a) else {
                return f64::NAN;
            };
            return (0..n)
                .map(|k| (0..n).map(|i| inv[(k, i)] * d[(i, k)]).sum::<f64>())
                .sum();
        }
        let dj = s.sqrt();
        l[j * n + j] = dj;
        for i in j + 1..n {
            let mut t = a[(i, j)];
            for k in 0..j {
                t -= l[i * n + k] * l[j * n + k];
            }
            l[i * n + j] = t / dj;
        }
    }
    // tr(A⁻¹ D) = Σ_k (A⁻¹ d_k)_k over the columns d_k of D.
    let mut tr = 0.0;
    let mut z = [0.0f64; 8];
    for k in 0..n {
        for i in 0..n {
            let mut s = d[(i, k)];
            for t in 0..i {
                s -= l[i * n + t] * z[t];
            }
            z[i] = s / l[i * n + i];
        }
        for i in (0..n).rev() {
            let mut s = z[i];
            for t in i + 1..n {
                s -= l[t * n + i] * z[t];
            }
            z[i] = s / l[i * n + i];
        }
        tr += z[k];
    }
    tr
}

/// Inverse of a symmetric positive definite matrix: closed form for 1×1 and
/// 2×2, Cholesky otherwise, falling back to Gauss–Jordan with partial
/// pivoting when the matrix is not numerically positive definite. Returns
/// `None` for a singular matrix.
pub fn inverse_spd(a: &Matrix) -> Option<Matrix> {
    let n = a.rows;
    match n {
        1 => {
            if a[(0, 0)] == 0.0 {
                return None;
            }
            return Some(Matrix::from_row_major(1, 1, vec![1.0 / a[(0, 0)]]));
        }
        2 => {
            let d = a[(0, 0)] * a[(1, 1)] - a[(0, 1)] * a[(1, 0)];
            if d == 0.0 || !d.is_finite() {
                return inverse_general(a);
            }
            return Some(Matrix::from_row_major(
                2,
                2,
                vec![a[(1, 1)] / d, -a[(0, 1)] / d, -a[(1, 0)] / d, a[(0, 0)] / d],
            ));
        }
        _ => {}
    }
    let Some(l) = cholesky(a) else {
        return inverse_general(a);
    };
    // inv(L) by forward substitution, then inv(A) = inv(L)ᵀ inv(L).
    let mut li = Matrix::zeros(n, n);
    for j in 0..n {
        li[(j, j)] = 1.0 / l[(j, j)];
        for i in j + 1..n {
            let mut s = 0.0;
            for k in j..i {
                s -= l[(i, k)] * li[(k, j)];
            }
            li[(i, j)] = s / l[(i, i)];
        }
    }
    let mut inv = Matrix::zeros(n, n);
    for i in 0..n {
        for j in i..n {
            let mut s = 0.0;
            for k in j..n {
                s += li[(k, i)] * li[(k, j)];
            }
            inv[(i, j)] = s;
            inv[(j, i)] = s;
        }
    }
    Some(inv)
}

/// Inverse of a general square matrix by Gauss–Jordan elimination with
/// partial pivoting; `None` if singular.
pub fn inverse_general(a: &Matrix) -> Option<Matrix> {
    let n = a.rows;
    let mut m = a.clone();
    let mut inv = Matrix::identity(n);
    for k in 0..n {
        let mut piv = k;
        for i in k + 1..n {
            if m[(i, k)].abs() > m[(piv, k)].abs() {
                piv = i;
            }
        }
        let pv = m[(piv, k)];
        if pv == 0.0 || !pv.is_finite() {
            return None;
        }
        if piv != k {
            for j in 0..n {
                m.data.swap(k * n + j, piv * n + j);
                inv.data.swap(k * n + j, piv * n + j);
            }
        }
        for j in 0..n {
            m[(k, j)] /= pv;
            inv[(k, j)] /= pv;
        }
        for i in 0..n {
            if i != k {
                let f = m[(i, k)];
                if f != 0.0 {
                    for j in 0..n {
                        m[(i, j)] -= f * m[(k, j)];
                        inv[(i, j)] -= f * inv[(k, j)];
                    }
                }
            }
        }
    }
    Some(inv)
}

/// Householder QR of an `m × p` matrix (m ≥ p), kept in compact form so that
/// least-squares problems with several right-hand sides can reuse it.
#[derive(Debug, Clone)]
pub struct Qr {
    m: usize,
    p: usize,
    /// Row-major m × p: R in the upper triangle, Householder vectors below.
    qr: Vec<f64>,
    /// Householder scalars τ_k.
    tau: Vec<f64>,
    rank: usize,
}

impl Qr {
    /// Factorises `a` (rows ≥ columns). Columns whose remaining norm falls
    /// below `tol` times their original norm count as linearly dependent
    /// (the criterion of R's LINPACK `dqrdc2`, default `tol = 1e-7`); they are
    /// not pivoted, but [`Qr::rank`] reports the deficiency and
    /// [`Qr::dependent_columns`] names them.
    pub fn new(a: &Matrix, tol: f64) -> Qr {
        let (m, p) = (a.rows, a.cols);
        assert!(m >= p, "QR needs at least as many rows as columns");
        let mut qr = a.data.clone();
        let mut tau = vec![0.0; p];
        let orig_norm: Vec<f64> = (0..p)
            .map(|j| (0..m).map(|i| a[(i, j)] * a[(i, j)]).sum::<f64>().sqrt())
            .collect();
        let mut rank = 0;
        let mut dependent = vec![false; p];
        for k in 0..p {
            let mut norm = 0.0;
            for i in k..m {
                norm += qr[i * p + k] * qr[i * p + k];
            }
            let norm = norm.sqrt();
            if norm <= tol * orig_norm[k] || norm == 0.0 {
                dependent[k] = true;
                tau[k] = 0.0;
                continue;
            }
            rank += 1;
            let alpha = if qr[k * p + k] > 0.0 { -norm } else { norm };
            let v0 = qr[k * p + k] - alpha;
            // v = (1, x_{k+1}/v0, ...), tau = (alpha - x_k)/alpha ... in the
            // standard LAPACK normalisation: tau = -v0/alpha.
            for i in k + 1..m {
                qr[i * p + k] /= v0;
            }
            tau[k] = -v0 / alpha;
            qr[k * p + k] = alpha;
            for j in k + 1..p {
                let mut s = qr[k * p + j];
                for i in k + 1..m {
                    s += qr[i * p + k] * qr[i * p + j];
                }
                s *= tau[k];
                qr[k * p + j] -= s;
                for i in k + 1..m {
                    qr[i * p + j] -= s * qr[i * p + k];
                }
            }
        }
        let mut q = Qr {
            m,
            p,
            qr,
            tau,
            rank,
        };
        for (k, dep) in dependent.iter().enumerate() {
            if *dep {
                q.qr[k * p + k] = 0.0;
            }
        }
        q
    }

    /// Number of linearly independent columns found.
    pub fn rank(&self) -> usize {
        self.rank
    }

    /// Indices of the columns judged linearly dependent on earlier ones.
    pub fn dependent_columns(&self) -> Vec<usize> {
        (0..self.p)
            .filter(|&k| self.qr[k * self.p + k] == 0.0)
            .collect()
    }

    /// Applies `Qᵀ` to `b` in place.
    pub fn apply_qt(&self, b: &mut [f64]) {
        let (m, p) = (self.m, self.p);
        for k in 0..p {
            if self.tau[k] == 0.0 {
                continue;
            }
            let mut s = b[k];
            for i in k + 1..m {
                s += self.qr[i * p + k] * b[i];
            }
            s *= self.tau[k];
            b[k] -= s;
            for i in k + 1..m {
                b[i] -= s * self.qr[i * p + k];
            }
        }
    }

    /// Least-squares coefficients for one right-hand side (`b.len() == m`).
    /// Coefficients of dependent columns are set to zero.
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        let mut qtb = b.to_vec();
        self.apply_qt(&mut qtb);
        self.back_substitute(&qtb[..self.p])
    }

    /// Solves `R x = c` for the leading p entries.
    pub fn back_substitute(&self, c: &[f64]) -> Vec<f64> {
        let p = self.p;
        let mut x = vec![0.0; p];
        for k in (0..p).rev() {
            let r = self.qr[k * p + k];
            if r == 0.0 {
                x[k] = 0.0;
                continue;
            }
            let mut s = c[k];
            for j in k + 1..p {
                s -= self.qr[k * p + j] * x[j];
            }
            x[k] = s / r;
        }
        x
    }

    /// Fitted values `Q Qᵀ b` (the projection of `b` on the column space),
    /// computed as `Q · R · coef` like R's `qr.fitted` up to rounding.
    pub fn fitted(&self, b: &[f64]) -> Vec<f64> {
        let coef = self.solve(b);
        let mut out = vec![0.0; self.m];
        for k in 0..self.p {
            out[k] = (k..self.p).map(|j| self.qr[k * self.p + j] * coef[j]).sum();
        }
        self.apply_q(&mut out);
        out
    }

    /// Applies `Q` to `b` in place.
    pub fn apply_q(&self, b: &mut [f64]) {
        let (m, p) = (self.m, self.p);
        for k in (0..p).rev() {
            if self.tau[k] == 0.0 {
                continue;
            }
            let mut s = b[k];
            for i in k + 1..m {
                s += self.qr[i * p + k] * b[i];
            }
            s *= self.tau[k];
            b[k] -= s;
            for i in k + 1..m {
                b[i] -= s * self.qr[i * p + k];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * (1.0 + b.abs())
    }

    #[test]
    fn determinants_match_hand_values() {
        let a = Matrix::from_row_major(2, 2, vec![4.0, 2.0, 2.0, 3.0]);
        assert_eq!(det(&a), 8.0);
        let b = Matrix::from_row_major(3, 3, vec![2.0, 0.0, 1.0, 1.0, 3.0, 2.0, 1.0, 1.0, 1.0]);
        // 2(3-2) - 0 + 1(1-3) = 0 → falls back to LU, which also gives 0.
        assert!(det(&b).abs() < 1e-12);
        let c = Matrix::from_row_major(
            4,
            4,
            vec![
                5.0, 1.0, 0.0, 2.0, 1.0, 4.0, 1.0, 0.0, 0.0, 1.0, 3.0, 1.0, 2.0, 0.0, 1.0, 6.0,
            ],
        );
        assert!(close(det(&c), det_lu(&c), 1e-13));
        assert!(close(det(&c), 245.0, 1e-13)); // numpy.linalg.det
    }

    #[test]
    fn spd_inverse_times_matrix_is_identity() {
        let x = Matrix::from_row_major(
            5,
            3,
            vec![
                1.0, 0.0, 0.3, 1.0, 1.0, 1.2, 1.0, 0.0, -0.7, 1.0, 1.0, 2.0, 1.0, 1.0, 0.1,
            ],
        );
        let b = x.weighted_gram(&[1.0, 2.0, 0.5, 3.0, 1.5]);
        let bi = inverse_spd(&b).unwrap();
        let id = b.matmul(&bi);
        for i in 0..3 {
            for j in 0..3 {
                let e = if i == j { 1.0 } else { 0.0 };
                assert!((id[(i, j)] - e).abs() < 1e-12, "{id:?}");
            }
        }
    }

    #[test]
    fn qr_least_squares_recovers_exact_coefficients() {
        let x = Matrix::from_row_major(4, 2, vec![1.0, 0.0, 1.0, 1.0, 1.0, 2.0, 1.0, 3.0]);
        let y: Vec<f64> = (0..4).map(|i| 2.0 + 0.5 * i as f64).collect();
        let qr = Qr::new(&x, 1e-7);
        assert_eq!(qr.rank(), 2);
        let b = qr.solve(&y);
        assert!(close(b[0], 2.0, 1e-14) && close(b[1], 0.5, 1e-14));
        let f = qr.fitted(&y);
        for (fi, yi) in f.iter().zip(&y) {
            assert!(close(*fi, *yi, 1e-14));
        }
    }

    #[test]
    fn qr_flags_dependent_columns() {
        let x = Matrix::from_row_major(
            4,
            3,
            vec![1.0, 1.0, 2.0, 1.0, 0.0, 1.0, 1.0, 1.0, 2.0, 1.0, 0.0, 1.0],
        );
        let qr = Qr::new(&x, 1e-7);
        assert_eq!(qr.rank(), 2);
        assert_eq!(qr.dependent_columns(), vec![2]);
    }
}
