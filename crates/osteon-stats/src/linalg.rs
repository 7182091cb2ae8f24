//! Small dense linear algebra for per-gene model fits.
//!
//! Every gene in an RNA-seq study gets its own small weighted least-squares
//! problem (a few coefficients, up to a few hundred samples), so these
//! routines favour simple row-major storage, no allocation in the inner
//! loops and arithmetic that follows the reference implementations:
//!
//!//! * What DESeq2's C++ gets from Armadillo 12 on Debian's reference LAPACK
//!   3.11, reproduced operation by operation so that results agree to the
//!   last bit: [`det`] (`op_det`: closed forms for n ≤ 4, else `dgetrf`),
//!   [`inverse_arma`] (`A.i()`: closed form for n = 2, `dpotrf` + `dpotri`
//!   when Armadillo guesses "symmetric positive definite" (n ≥ 4), else
//!   `dgetrf` + `dgetri`), [`trace_inv_times`] (`trace(A.i() * B)`),
//!   [`qr_econ`] (`dgeqrf` + `dorgqr`) and [`solve_upper`] (`dtrtrs`). The
//!   LAPACK routines are the unblocked paths taken for small matrices
//!   (`dgetrf2`, `dpotrf2`, `dtrti2`, `dlauu2`, `dgeqr2`, `dorg2r`), with
//!   the reference BLAS loop orders (Reference-LAPACK 3.11, `SRC` and
//!   `BLAS/SRC`; Armadillo 12.0 `op_det_meat.hpp`, `op_inv_gen_meat.hpp`,
//!   `fn_trace.hpp`, `auxlib_meat.hpp`).

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

/// Determinant of a small square matrix, computed as Armadillo 12's `det()`
/// does (`op_det::apply_direct`): the closed forms for n ≤ 4 when their value
/// is well scaled (ε < |det| < 1/ε); otherwise the product of the diagonal
/// for a diagonal or triangular matrix, and else LAPACK's LU (`dgetrf`) and
/// the product of U's diagonal, sign-corrected for the row interchanges.
pub fn det(a: &Matrix) -> f64 {
    assert_eq!(a.rows, a.cols, "det of a non-square matrix");
    let n = a.rows;
    let x = |i: usize, j: usize| a[(i, j)];
    match n {
        0 => return 1.0,
        1 => return x(0, 0),
        _ => {}
    }
    let closed = match n {
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
    let below_diagonal_zero = (1..n).all(|i| a.row(i)[..i].iter().all(|&v| v == 0.0));
    let above_diagonal_zero = || (0..n).all(|i| a.row(i)[i + 1..].iter().all(|&v| v == 0.0));
    if below_diagonal_zero || above_diagonal_zero() {
        let mut d = 1.0;
        for i in 0..n {
            d *= x(i, i);
        }
        return d;
    }
    det_lu(a)
}

/// Armadillo 12's `op_det::apply_tiny_4x4`: the 24-term Leibniz expansion
/// from products of pairs of rows (0,1) and (2,3), summed in this order.
fn det4(a: &Matrix) -> f64 {
    let x = |i: usize, j: usize| a[(i, j)];
    let v03_12 = x(0, 3) * x(1, 2);
    let v02_13 = x(0, 2) * x(1, 3);
    let v03_11 = x(0, 3) * x(1, 1);
    let v01_13 = x(0, 1) * x(1, 3);
    let v02_11 = x(0, 2) * x(1, 1);
    let v01_12 = x(0, 1) * x(1, 2);
    let v03_10 = x(0, 3) * x(1, 0);
    let v00_13 = x(0, 0) * x(1, 3);
    let v02_10 = x(0, 2) * x(1, 0);
    let v00_12 = x(0, 0) * x(1, 2);
    let v01_10 = x(0, 1) * x(1, 0);
    let v00_11 = x(0, 0) * x(1, 1);
    let v21_30 = x(2, 1) * x(3, 0);
    let v22_30 = x(2, 2) * x(3, 0);
    let v23_30 = x(2, 3) * x(3, 0);
    let v20_31 = x(2, 0) * x(3, 1);
    let v22_31 = x(2, 2) * x(3, 1);
    let v23_31 = x(2, 3) * x(3, 1);
    let v20_32 = x(2, 0) * x(3, 2);
    let v21_32 = x(2, 1) * x(3, 2);
    let v23_32 = x(2, 3) * x(3, 2);
    let v20_33 = x(2, 0) * x(3, 3);
    let v21_33 = x(2, 1) * x(3, 3);
    let v22_33 = x(2, 2) * x(3, 3);
    v03_12 * v21_30 - v02_13 * v21_30 - v03_11 * v22_30 + v01_13 * v22_30 + v02_11 * v23_30
        - v01_12 * v23_30
        - v03_12 * v20_31
        + v02_13 * v20_31
        + v03_10 * v22_31
        - v00_13 * v22_31
        - v02_10 * v23_31
        + v00_12 * v23_31
        + v03_11 * v20_32
        - v01_13 * v20_32
        - v03_10 * v21_32
        + v00_13 * v21_32
        + v01_10 * v23_32
        - v00_11 * v23_32
        - v02_11 * v20_33
        + v01_12 * v20_33
        + v02_10 * v21_33
        - v00_12 * v21_33
        - v01_10 * v22_33
        + v00_11 * v22_33
}

/// A buffer of `len` values, on the stack when `len ≤ N` (so that the
/// per-gene calls of this module do not allocate) and on the heap beyond.
struct SmallBuf<T: Copy, const N: usize> {
    len: usize,
    small: [T; N],
    big: Vec<T>,
}

impl<T: Copy, const N: usize> SmallBuf<T, N> {
    fn filled(len: usize, value: T) -> Self {
        Self {
            len,
            small: [value; N],
            big: if len > N {
                vec![value; len]
            } else {
                Vec::new()
            },
        }
    }
    #[inline]
    fn as_slice(&self) -> &[T] {
        if self.len > N {
            &self.big
        } else {
            &self.small[..self.len]
        }
    }
    #[inline]
    fn as_mut_slice(&mut self) -> &mut [T] {
        if self.len > N {
            &mut self.big
        } else {
            &mut self.small[..self.len]
        }
    }
}

/// Column-major scratch storage for an n × n matrix, the layout LAPACK
/// works on.
struct ColMajor {
    n: usize,
    values: SmallBuf<f64, 64>,
}

impl ColMajor {
    fn zeros(n: usize) -> Self {
        Self {
            n,
            values: SmallBuf::filled(n * n, 0.0),
        }
    }
    /// A column-major copy of `a`.
    fn from(a: &Matrix) -> Self {
        let mut out = Self::zeros(a.rows);
        out.copy_from(a);
        out
    }
    fn copy_from(&mut self, a: &Matrix) {
        let n = self.n;
        let v = self.data_mut();
        for i in 0..n {
            for j in 0..n {
                v[i + j * n] = a[(i, j)];
            }
        }
    }
    #[inline]
    fn data(&self) -> &[f64] {
        self.values.as_slice()
    }
    #[inline]
    fn data_mut(&mut self) -> &mut [f64] {
        self.values.as_mut_slice()
    }
    #[inline]
    fn at(&self, i: usize, j: usize) -> f64 {
        self.data()[i + j * self.n]
    }
    fn to_matrix(&self) -> Matrix {
        let n = self.n;
        let mut m = Matrix::zeros(n, n);
        for i in 0..n {
            for j in 0..n {
                m[(i, j)] = self.at(i, j);
            }
        }
        m
    }
}

/// LU factorisation with partial pivoting of `a` into `lu` (which holds a
/// column-major copy of `a` on entry), with exactly the arithmetic of
/// reference LAPACK 3.11's recursive `dgetrf2` (the pivot column scaled by
/// the pivot's reciprocal); `ipiv[k]` receives the row swapped with row k.
/// Returns false when a pivot is exactly zero (LAPACK's `info > 0`; the
/// factorisation is completed all the same, as LAPACK completes it).
///
/// `dgetrf2` splits the columns in halves, factors the left half, updates
/// the right half (`dtrsm` for the rows of the left half, `dgemm` below
/// them) and recurses. Every entry thereby receives its updates
/// a_ij −= l_ik·u_kj in ascending k, each from final values, and each pivot
/// is chosen after all the updates of its column, so the same arithmetic
/// runs as one right-looking loop ([`getrf_right_looking`]), without the
/// recursion's calls and index bookkeeping.
///
/// The two part only in the updates with u_kj = 0, which `dtrsm` skips and
/// `dgemm` performs: adding ±0·l_ik changes nothing unless l_ik is not
/// finite or the entry is −0. So the loop is used when every entry of `a`
/// is [`plain`] (then no unfinished entry can become −0) and its result is
/// finite; otherwise the recursion itself runs.
fn lu_factor(a: &Matrix, lu: &mut ColMajor, ipiv: &mut [usize]) -> bool {
    let n = a.rows;
    if lu.data().iter().all(|&v| plain(v)) {
        let ok = getrf_right_looking(lu.data_mut(), n, ipiv);
        if lu.data().iter().all(|v| v.is_finite()) {
            return ok;
        }
        lu.copy_from(a);
    }
    getrf2_recursive(lu.data_mut(), n, 0, 0, n, n, ipiv)
}

/// Neither −0 nor ±∞ nor NaN: the inputs on which [`getrf_right_looking`]
/// and [`getrf2_recursive`] agree to the bit.
fn plain(v: f64) -> bool {
    const EXPONENT: u64 = 0x7ff0_0000_0000_0000;
    v.to_bits() & EXPONENT != EXPONENT && v.to_bits() != (-0.0f64).to_bits()
}

/// The right-looking form of [`getrf2_recursive`] on a column-major n × n
/// matrix, updates by zero skipped (see [`lu_factor`] for when the two
/// agree to the bit).
fn getrf_right_looking(a: &mut [f64], n: usize, ipiv: &mut [usize]) -> bool {
    let mut ok = true;
    for k in 0..n {
        let col_k = k * n;
        if k + 1 == n {
            ipiv[k] = k;
            ok &= a[col_k + k] != 0.0;
            break;
        }
        let mut imax = k;
        let mut vmax = a[col_k + k].abs();
        for i in k + 1..n {
            let v = a[col_k + i].abs();
            if v > vmax {
                vmax = v;
                imax = i;
            }
        }
        ipiv[k] = imax;
        if a[col_k + imax] == 0.0 {
            ok = false;
        } else {
            if imax != k {
                for j in 0..n {
                    a.swap(k + j * n, imax + j * n);
                }
            }
            let pivot = a[col_k + k];
            let below = col_k + k + 1..col_k + n;
            if pivot.abs() >= f64::MIN_POSITIVE {
                let r = 1.0 / pivot;
                a[below].iter_mut().for_each(|v| *v *= r);
            } else {
                a[below].iter_mut().for_each(|v| *v /= pivot);
            }
        }
        let (left, right) = a.split_at_mut(col_k + n);
        let l = &left[col_k + k + 1..];
        for col_j in right.chunks_exact_mut(n) {
            let u = col_j[k];
            if u != 0.0 {
                for (v, &l_i) in col_j[k + 1..].iter_mut().zip(l) {
                    *v -= u * l_i;
                }
            }
        }
    }
    ok
}

/// Reference LAPACK 3.11 `dgetrf2` (recursive LU with partial pivoting, the
/// pivot column scaled by the pivot's reciprocal) on the `m × cols` block at
/// (`r0`, `c0`) of the column-major `a` with leading dimension `ld`; `ipiv`
/// receives the pivot rows relative to `r0`. Returns false when a pivot is
/// exactly zero (LAPACK's `info > 0`).
fn getrf2_recursive(
    a: &mut [f64],
    ld: usize,
    r0: usize,
    c0: usize,
    m: usize,
    cols: usize,
    ipiv: &mut [usize],
) -> bool {
    if m == 0 || cols == 0 {
        return true;
    }
    if m == 1 {
        ipiv[0] = 0;
        return a[r0 + c0 * ld] != 0.0;
    }
    if cols == 1 {
        let col = c0 * ld + r0;
        let mut imax = 0;
        let mut vmax = a[col].abs();
        for i in 1..m {
            let v = a[col + i].abs();
            if v > vmax {
                vmax = v;
                imax = i;
            }
        }
        ipiv[0] = imax;
        if a[col + imax] == 0.0 {
            return false;
        }
        a.swap(col, col + imax);
        let pivot = a[col];
        if pivot.abs() >= f64::MIN_POSITIVE {
            let r = 1.0 / pivot;
            a[col + 1..col + m].iter_mut().for_each(|v| *v *= r);
        } else {
            a[col + 1..col + m].iter_mut().for_each(|v| *v /= pivot);
        }
        return true;
    }
    let mn = m.min(cols);
    let n1 = mn / 2;
    let n2 = cols - n1;
    let ok_left = getrf2_recursive(a, ld, r0, c0, m, n1, &mut ipiv[..n1]);
    for k in 0..n1 {
        let p = ipiv[k];
        if p != k {
            for j in c0 + n1..c0 + cols {
                a.swap(r0 + k + j * ld, r0 + p + j * ld);
            }
        }
    }
    // A12 := L11⁻¹ A12 (dtrsm, unit lower triangular).
    for j in c0 + n1..c0 + cols {
        for k in 0..n1 {
            let b_kj = a[r0 + k + j * ld];
            if b_kj != 0.0 {
                for i in k + 1..n1 {
                    let l_ik = a[r0 + i + (c0 + k) * ld];
                    a[r0 + i + j * ld] -= b_kj * l_ik;
                }
            }
        }
    }
    // A22 −= A21 A12 (dgemm, one column of A21 at a time).
    for j in c0 + n1..c0 + cols {
        for l in 0..n1 {
            let t = -a[r0 + l + j * ld];
            for i in n1..m {
                let a_il = a[r0 + i + (c0 + l) * ld];
                a[r0 + i + j * ld] += t * a_il;
            }
        }
    }
    let ok_right = getrf2_recursive(a, ld, r0 + n1, c0 + n1, m - n1, n2, &mut ipiv[n1..mn]);
    for p in &mut ipiv[n1..mn] {
        *p += n1;
    }
    for k in n1..mn {
        let p = ipiv[k];
        if p != k {
            for j in c0..c0 + n1 {
                a.swap(r0 + k + j * ld, r0 + p + j * ld);
            }
        }
    }
    ok_left && ok_right
}

/// Armadillo's `auxlib::det`: LAPACK `dgetrf`, then U's diagonal multiplied
/// in order and negated for an odd number of row interchanges.
fn det_lu(a: &Matrix) -> f64 {
    let n = a.rows;
    let mut lu = ColMajor::from(a);
    let mut pivots = SmallBuf::<usize, 8>::filled(n, 0);
    let ipiv = pivots.as_mut_slice();
    lu_factor(a, &mut lu, ipiv);
    let mut d = lu.at(0, 0);
    for i in 1..n {
        d *= lu.at(i, i);
    }
    let swaps = (0..n).filter(|&i| ipiv[i] != i).count();
    if swaps % 2 == 1 {
        -d
    } else {
        d
    }
}

/// tr(A⁻¹ D) as DESeq2's C++ evaluates `trace(b.i() * db)` with Armadillo
/// 12: the explicit inverse of [`inverse_arma`], then Armadillo's
/// `trace(A*B)` kernel, which accumulates the products A(k,i)·D(i,k) over k
/// (outer) and i (inner) into two sums, one for even and one for odd i, and
/// adds them at the end. NaN when `a` is singular.
pub fn trace_inv_times(a: &Matrix, d: &Matrix) -> f64 {
    let n = a.rows;
    let mut inv = ColMajor::zeros(n);
    if !inverse_arma_into(a, &mut inv) {
        return f64::NAN;
    }
    let inv = |r: usize, c: usize| inv.at(r, c);
    let (mut even, mut odd) = (0.0, 0.0);
    for k in 0..n {
        let mut i = 0;
        while i + 1 < n {
            even += inv(k, i) * d[(i, k)];
            odd += inv(k, i + 1) * d[(i + 1, k)];
            i += 2;
        }
        if i < n {
            even += inv(k, i) * d[(i, k)];
        }
    }
    even + odd
}

/// Armadillo 12's `A.i()` (`op_inv_gen_full` without options), step for
/// step: 1/a for 1×1; the closed form for 2×2 when ε < |det| < 1/ε; the
/// reciprocal diagonal for a diagonal matrix; for n ≥ 4, when Armadillo's
/// `guess_sympd` heuristic accepts the matrix, LAPACK `dpotrf` + `dpotri`
/// (lower triangle, mirrored); otherwise (and if the Cholesky factorisation
/// fails) LAPACK `dgetrf` + `dgetri`. The LAPACK routines are reference
/// LAPACK 3.11's unblocked paths (`dpotrf2`, `dtrti2`, `dlauu2`, `dgetrf2`,
/// `dgetri`), which are the ones taken for n < 64. `None` if singular.
pub fn inverse_arma(a: &Matrix) -> Option<Matrix> {
    let mut inv = ColMajor::zeros(a.rows);
    inverse_arma_into(a, &mut inv).then(|| inv.to_matrix())
}

/// [`inverse_arma`] into column-major scratch storage `out` (n × n);
/// false if `a` is singular.
fn inverse_arma_into(a: &Matrix, out: &mut ColMajor) -> bool {
    assert_eq!(a.rows, a.cols, "inverse of a non-square matrix");
    let n = a.rows;
    debug_assert_eq!(out.n, n);
    if n == 0 {
        return true;
    }
    if n == 1 {
        let v = a[(0, 0)];
        out.data_mut()[0] = 1.0 / v;
        return v != 0.0;
    }
    if n == 2 {
        let (p, q, r, s) = (a[(0, 0)], a[(0, 1)], a[(1, 0)], a[(1, 1)]);
        let det = p * s - q * r;
        let det_abs = det.abs();
        if (f64::EPSILON..=1.0 / f64::EPSILON).contains(&det_abs) {
            out.data_mut()
                .copy_from_slice(&[s / det, -r / det, -q / det, p / det]);
            return true;
        }
    }
    let is_diag = (0..n).all(|i| (0..n).all(|j| i == j || a[(i, j)] == 0.0));
    if is_diag {
        let v = out.data_mut();
        v.fill(0.0);
        for i in 0..n {
            let d = a[(i, i)];
            if d == 0.0 {
                return false;
            }
            v[i + i * n] = 1.0 / d;
        }
        return true;
    }
    out.copy_from(a);
    if guess_sympd(a) {
        if inverse_potri(out.data_mut(), n) {
            return true;
        }
        out.copy_from(a);
    }
    inverse_getri(a, out)
}

/// Armadillo's `sym_helper::guess_sympd` (only for n ≥ 4): positive
/// diagonal, off-diagonals below the largest diagonal entry, symmetric within
/// 100ε and diagonally dominant in pairs.
fn guess_sympd(a: &Matrix) -> bool {
    let n = a.rows;
    if n < 4 {
        return false;
    }
    let tol = 100.0 * f64::EPSILON;
    let mut max_diag = 0.0f64;
    for j in 0..n {
        let d = a[(j, j)];
        if d <= 0.0 {
            return false;
        }
        max_diag = max_diag.max(d);
    }
    for j in 0..n - 1 {
        for i in j + 1..n {
            let (a_ij, a_ji) = (a[(i, j)], a[(j, i)]);
            if a_ij.abs() >= max_diag {
                return false;
            }
            let delta = (a_ij - a_ji).abs();
            if delta > tol && delta > a_ij.abs().max(a_ji.abs()) * tol {
                return false;
            }
            if a_ij.abs() + a_ij.abs() >= a[(i, i)] + a[(j, j)] {
                return false;
            }
        }
    }
    true
}

/// Reference LAPACK 3.11 `dpotrf2` (Cholesky, lower triangle) on the
/// column-major n × n `a`; false if a pivot is not positive (or NaN).
///
/// `dpotrf2` factors the leading half, solves for the block below it
/// (`dtrsm`), updates the trailing block (`dsyrk`) and recurses. Every
/// entry thereby receives its updates a_ij −= l_jk·l_ik in ascending k,
/// skipped when l_jk = 0 (by `dtrsm` and `dsyrk` alike), and the entries
/// below the diagonal are then scaled by 1/l_jj: the arithmetic of this one
/// right-looking loop, to the bit.
fn potrf_lower(a: &mut [f64], n: usize) -> bool {
    for k in 0..n {
        let col_k = k * n;
        let v = a[col_k + k];
        if v <= 0.0 || v.is_nan() {
            return false;
        }
        let l_kk = v.sqrt();
        a[col_k + k] = l_kk;
        let r = 1.0 / l_kk;
        a[col_k + k + 1..col_k + n].iter_mut().for_each(|x| *x *= r);
        let (left, right) = a.split_at_mut(col_k + n);
        let l = &left[col_k..];
        for (j, col_j) in (k + 1..n).zip(right.chunks_exact_mut(n)) {
            let l_jk = l[j];
            if l_jk != 0.0 {
                for (v, &l_ik) in col_j[j..].iter_mut().zip(&l[j..]) {
                    *v -= l_jk * l_ik;
                }
            }
        }
    }
    true
}

/// Armadillo's `auxlib::inv_sympd` on the column-major n × n `l`: `dpotrf`,
/// then `dpotri` (`dtrti2` to invert L, `dlauu2` to form L⁻ᵀL⁻¹), lower
/// triangle mirrored upwards. False if the factorisation fails.
fn inverse_potri(l: &mut [f64], n: usize) -> bool {
    if !potrf_lower(l, n) {
        return false;
    }
    if (0..n).any(|i| l[i + i * n] == 0.0) {
        return false;
    }
    // dtrti2 (lower, non-unit): columns from last to first.
    for j in (0..n).rev() {
        let inv_jj = 1.0 / l[j + j * n];
        l[j + j * n] = inv_jj;
        let minus = -inv_jj;
        // x = L(j+1.., j) := M x with M the already inverted trailing block
        // (dtrmv lower, no transpose), then x *= −1/l_jj (dscal).
        for c in (j + 1..n).rev() {
            let x_c = l[c + j * n];
            if x_c != 0.0 {
                for i in (c + 1..n).rev() {
                    let m_ic = l[i + c * n];
                    l[i + j * n] += x_c * m_ic;
                }
                let m_cc = l[c + c * n];
                l[c + j * n] *= m_cc;
            }
        }
        for i in j + 1..n {
            l[i + j * n] *= minus;
        }
    }
    // dlauu2 (lower): row i of the result from the rows below it.
    for i in 0..n {
        let l_ii = l[i + i * n];
        if i + 1 < n {
            let mut d = 0.0;
            for r in i..n {
                d += l[r + i * n] * l[r + i * n];
            }
            l[i + i * n] = d;
            for c in 0..i {
                l[i + c * n] *= l_ii;
            }
            for c in 0..i {
                let mut t = 0.0;
                for r in i + 1..n {
                    t += l[r + c * n] * l[r + i * n];
                }
                l[i + c * n] += t;
            }
        } else {
            for c in 0..=i {
                l[i + c * n] *= l_ii;
            }
        }
    }
    for j in 0..n {
        for i in 0..j {
            l[i + j * n] = l[j + i * n];
        }
    }
    true
}

/// Armadillo's `auxlib::inv`: LAPACK `dgetrf`, then `dgetri` (unblocked):
/// U⁻¹ by `dtrti2`, the columns of A⁻¹ from last to first, and the column
/// interchanges undone from last to first. `lu` holds a column-major copy
/// of `a` on entry and A⁻¹ on success; false if `a` is singular.
fn inverse_getri(a: &Matrix, lu: &mut ColMajor) -> bool {
    let n = a.rows;
    let mut pivots = SmallBuf::<usize, 8>::filled(n, 0);
    let ipiv = pivots.as_mut_slice();
    if !lu_factor(a, lu, ipiv) {
        return false;
    }
    let lu = lu.data_mut();
    // dtrti2 (upper, non-unit): columns from first to last.
    for j in 0..n {
        let inv_jj = 1.0 / lu[j + j * n];
        lu[j + j * n] = inv_jj;
        let minus = -inv_jj;
        for c in 0..j {
            let x_c = lu[c + j * n];
            if x_c != 0.0 {
                for i in 0..c {
                    let m_ic = lu[i + c * n];
                    lu[i + j * n] += x_c * m_ic;
                }
                let m_cc = lu[c + c * n];
                lu[c + j * n] *= m_cc;
            }
        }
        for i in 0..j {
            lu[i + j * n] *= minus;
        }
    }
    let mut work = SmallBuf::<f64, 8>::filled(n, 0.0);
    let work = work.as_mut_slice();
    for j in (0..n).rev() {
        for i in j + 1..n {
            work[i] = lu[i + j * n];
            lu[i + j * n] = 0.0;
        }
        for c in j + 1..n {
            let t = -work[c];
            for i in 0..n {
                let v = lu[i + c * n];
                lu[i + j * n] += t * v;
            }
        }
    }
    for j in (0..n.saturating_sub(1)).rev() {
        let jp = ipiv[j];
        if jp != j {
            for i in 0..n {
                lu.swap(i + j * n, i + jp * n);
            }
        }
    }
    true
}

/// Solves the upper triangular system `R x = b` in place, as LAPACK
/// `dtrtrs` (BLAS `dtrsm`: left, upper, no transpose, non-unit) does for one
/// right-hand side: columns from last to first, each divided by its diagonal
/// entry and eliminated upwards, zero entries skipped. Armadillo's `solve()`
/// takes this path for a triangular matrix, and R's `solve(R, b)` (`dgesv`)
/// reduces to it for an upper triangular `R`.
pub fn solve_upper(r: &Matrix, b: &mut [f64]) {
    for k in (0..b.len()).rev() {
        if b[k] != 0.0 {
            b[k] /= r[(k, k)];
            let v = b[k];
            for i in 0..k {
                b[i] -= v * r[(i, k)];
            }
        }
    }
}

/// LAPACK `dlapy2`: √(x² + y²) without avoidable overflow.
fn dlapy2(x: f64, y: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if y.is_nan() {
        return y;
    }
    let (w, z) = (x.abs().max(y.abs()), x.abs().min(y.abs()));
    if z == 0.0 || w > f64::MAX {
        w
    } else {
        let ratio = z / w;
        w * (1.0 + ratio * ratio).sqrt()
    }
}

/// LAPACK `dlarfg` on column `c` of the column-major `a` (leading dimension
/// `ld`) from row `r0`, `len` entries: α = a(r0, c) becomes β, the entries
/// below become v (with v₀ = 1 implied); returns τ.
fn dlarfg(a: &mut [f64], ld: usize, r0: usize, c: usize, len: usize) -> f64 {
    if len <= 1 {
        return 0.0;
    }
    let ia = r0 + c * ld;
    let below = ia + 1..ia + len;
    let xnorm = crate::glm_fit::dnrm2(&a[below.clone()]);
    if xnorm == 0.0 {
        return 0.0;
    }
    let mut alpha = a[ia];
    let mut beta = -dlapy2(alpha, xnorm).copysign(alpha);
    let safmin = f64::MIN_POSITIVE / f64::EPSILON;
    let mut knt = 0;
    if beta.abs() < safmin {
        let rsafmn = 1.0 / safmin;
        loop {
            knt += 1;
            for v in &mut a[below.clone()] {
                *v *= rsafmn;
            }
            beta *= rsafmn;
            alpha *= rsafmn;
            if !(beta.abs() < safmin && knt < 20) {
                break;
            }
        }
        let xnorm = crate::glm_fit::dnrm2(&a[below.clone()]);
        beta = -dlapy2(alpha, xnorm).copysign(alpha);
    }
    let tau = (beta - alpha) / beta;
    let scale = 1.0 / (alpha - beta);
    for v in &mut a[below] {
        *v *= scale;
    }
    for _ in 0..knt {
        beta *= safmin;
    }
    a[ia] = beta;
    tau
}

/// LAPACK `dlarf('Left')`: C := (I − τ v vᵀ) C with v = a(r0..r0+len, vc)
/// and C = a(r0..r0+len, c0..c0+nc), column by column as `dgemv` + `dger`
/// compute it (w_j = C(:,j)ᵀv from zero, then C(i,j) += v_i·(−τ w_j));
/// trailing zeros of v and trailing zero columns of C are skipped as
/// `dlarf` does.
#[allow(clippy::too_many_arguments)]
fn dlarf_left(
    a: &mut [f64],
    ld: usize,
    r0: usize,
    vc: usize,
    len: usize,
    c0: usize,
    nc: usize,
    tau: f64,
) {
    if tau == 0.0 {
        return;
    }
    // v lies in column vc, left of the columns c0.. it is applied to.
    debug_assert!(vc < c0);
    let (left, a) = a.split_at_mut(c0 * ld);
    let v = &left[r0 + vc * ld..r0 + vc * ld + len];
    let a_off = c0 * ld;
    let mut lastv = len;
    while lastv > 0 && v[lastv - 1] == 0.0 {
        lastv -= 1;
    }
    let mut lastc = nc;
    while lastc > 0 {
        let col = r0 + (c0 + lastc - 1) * ld - a_off;
        if a[col..col + lastv].iter().any(|&x| x != 0.0) {
            break;
        }
        lastc -= 1;
    }
    let v = &v[..lastv];
    // w_j = C(:,j)ᵀv for up to four columns at a time: each sum runs over
    // the rows in order, as dgemv's does, but the four chains of dependent
    // additions overlap.
    let mut j = c0;
    while j < c0 + lastc {
        let group = (c0 + lastc - j).min(4);
        let mut w = [0.0f64; 4];
        let col = |k: usize| r0 + (j + k) * ld - a_off;
        if group == 4 {
            let (c_0, c_1, c_2, c_3) = (col(0), col(1), col(2), col(3));
            for (i, &vi) in v.iter().enumerate() {
                w[0] += a[c_0 + i] * vi;
                w[1] += a[c_1 + i] * vi;
                w[2] += a[c_2 + i] * vi;
                w[3] += a[c_3 + i] * vi;
            }
        } else {
            for (k, w_k) in w.iter_mut().enumerate().take(group) {
                let c = &a[col(k)..col(k) + lastv];
                for (ci, vi) in c.iter().zip(v) {
                    *w_k += ci * vi;
                }
            }
        }
        for (k, &w_k) in w.iter().enumerate().take(group) {
            if w_k != 0.0 {
                let t = -tau * w_k;
                for (ci, vi) in a[col(k)..col(k) + lastv].iter_mut().zip(v) {
                    *ci += vi * t;
                }
            }
        }
        j += group;
    }
}

/// Armadillo 12's `qr_econ(Q, R, A)` for a matrix with more rows than
/// columns: LAPACK `dgeqrf` then `dorgqr`, which for fewer than 32 columns
/// run their unblocked forms `dgeqr2` (Householder vectors by `dlarfg`,
/// applied by `dlarf`) and `dorg2r` (Q accumulated backwards). Returns
/// (Q: rows × cols, R: cols × cols upper triangular).
///
/// # Panics
/// If `a` does not have more rows than columns.
pub fn qr_econ(a: &Matrix) -> (Matrix, Matrix) {
    let (m, n) = (a.rows, a.cols);
    assert!(m > n, "qr_econ needs more rows than columns");
    let mut q = vec![0.0; m * n];
    for i in 0..m {
        for j in 0..n {
            q[i + j * m] = a[(i, j)];
        }
    }
    let mut tau = vec![0.0; n];
    let mut r = Matrix::zeros(n, n);
    qr_econ_in_place(&mut q, m, n, &mut tau, &mut r);
    let mut qm = Matrix::zeros(m, n);
    for i in 0..m {
        for j in 0..n {
            qm[(i, j)] = q[i + j * m];
        }
    }
    (qm, r)
}

/// [`qr_econ`] on caller-owned buffers: `q` holds the m × n matrix in
/// column-major order on entry and Q on return; `r` (n × n) receives R;
/// `tau` (length n) is scratch. Same arithmetic, no allocation.
pub fn qr_econ_in_place(q: &mut [f64], m: usize, n: usize, tau: &mut [f64], r: &mut Matrix) {
    assert!(m > n && q.len() == m * n && tau.len() >= n);
    for i in 0..n {
        tau[i] = dlarfg(q, m, i, i, m - i);
        if i + 1 < n {
            let d = i + i * m;
            let a_ii = q[d];
            q[d] = 1.0;
            dlarf_left(q, m, i, i, m - i, i + 1, n - i - 1, tau[i]);
            q[d] = a_ii;
        }
    }
    for j in 0..n {
        for i in 0..n {
            r[(i, j)] = if i <= j { q[i + j * m] } else { 0.0 };
        }
    }
    for i in (0..n).rev() {
        let d = i + i * m;
        if i + 1 < n {
            q[d] = 1.0;
            dlarf_left(q, m, i, i, m - i, i + 1, n - i - 1, tau[i]);
        }
        let s = -tau[i];
        for l in i + 1..m {
            q[l + i * m] *= s;
        }
        q[d] = 1.0 - tau[i];
        for l in 0..i {
            q[l + i * m] = 0.0;
        }
    }
}

/// Eigen-decomposition of a symmetric matrix by the cyclic Jacobi method
/// (Golub & Van Loan, *Matrix Computations*, 4th ed., §8.5): returns the
/// eigenvalues in decreasing order and the matching unit eigenvectors as the
/// columns of an `n × n` matrix. Each eigenvector's sign is fixed so that its
/// largest-magnitude component is positive (first such on ties), which makes
/// the result deterministic. Meant for small matrices (sample × sample Gram
/// matrices for PCA); cost O(n³) per sweep.
///
/// ```
/// use osteon_stats::linalg::{symmetric_eigen, Matrix};
/// let a = Matrix::from_row_major(2, 2, vec![2.0, 1.0, 1.0, 2.0]);
/// let (values, vectors) = symmetric_eigen(&a);
/// assert!((values[0] - 3.0).abs() < 1e-14 && (values[1] - 1.0).abs() < 1e-14);
/// assert!((vectors[(0, 0)] - vectors[(1, 0)]).abs() < 1e-14);
/// ```
pub fn symmetric_eigen(a: &Matrix) -> (Vec<f64>, Matrix) {
    let n = a.rows();
    assert_eq!(n, a.cols(), "symmetric_eigen needs a square matrix");
    let mut m = a.clone();
    let mut v = Matrix::identity(n);
    for _sweep in 0..100 {
        let mut off = 0.0;
        let mut scale = 0.0;
        for i in 0..n {
            for j in 0..n {
                if i != j {
                    off += m[(i, j)] * m[(i, j)];
                }
                scale += m[(i, j)] * m[(i, j)];
            }
        }
        if off <= 1e-30 * scale || off == 0.0 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = m[(p, q)];
                if apq == 0.0 {
                    continue;
                }
                let theta = (m[(q, q)] - m[(p, p)]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let mkp = m[(k, p)];
                    let mkq = m[(k, q)];
                    m[(k, p)] = c * mkp - s * mkq;
                    m[(k, q)] = s * mkp + c * mkq;
                }
                for k in 0..n {
                    let mpk = m[(p, k)];
                    let mqk = m[(q, k)];
                    m[(p, k)] = c * mpk - s * mqk;
                    m[(q, k)] = s * mpk + c * mqk;
                }
                for k in 0..n {
                    let vkp = v[(k, p)];
                    let vkq = v[(k, q)];
                    v[(k, p)] = c * vkp - s * vkq;
                    v[(k, q)] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| m[(j, j)].total_cmp(&m[(i, i)]));
    let values: Vec<f64> = order.iter().map(|&i| m[(i, i)]).collect();
    let mut vectors = Matrix::zeros(n, n);
    for (col, &src) in order.iter().enumerate() {
        let mut pivot = 0;
        for k in 0..n {
            if v[(k, src)].abs() > v[(pivot, src)].abs() {
                pivot = k;
            }
        }
        let sign = if v[(pivot, src)] < 0.0 { -1.0 } else { 1.0 };
        for k in 0..n {
            vectors[(k, col)] = sign * v[(k, src)];
        }
    }
    (values, vectors)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 8 × 5 design `cbind(1, c(0,1,0,1,0,1,0,1), c(0,0,1,1,0,0,0,0),
    /// c(0,0,0,0,1,1,0,0), c(0,0,0,0,0,0,1,1))` and the weights used for
    /// the Armadillo reference values below (computed with RcppArmadillo
    /// 0.12.0.1 against Debian's reference LAPACK 3.11, the build DESeq2
    /// 1.38.3 runs on; see the expressions next to each value).
    fn arma_case(p: usize) -> (Matrix, Matrix) {
        let x = [
            [1., 0., 0., 0., 0.],
            [1., 1., 0., 0., 0.],
            [1., 0., 1., 0., 0.],
            [1., 1., 1., 0., 0.],
            [1., 0., 0., 1., 0.],
            [1., 1., 0., 1., 0.],
            [1., 0., 0., 0., 1.],
            [1., 1., 0., 0., 1.],
        ];
        let w = [10.5, 3.25, 7.75, 1.5, 20.0, 0.75, 5.5, 2.25];
        let mut b = Matrix::zeros(p, p);
        let mut db = Matrix::zeros(p, p);
        for i in 0..p {
            for j in 0..p {
                for l in 0..8 {
                    b[(i, j)] += x[l][i] * (x[l][j] * w[l]);
                    db[(i, j)] += x[l][i] * (x[l][j] * (-(w[l] * w[l]) / 3.0));
                }
            }
        }
        (b, db)
    }

    /// Reference LAPACK 3.11 `dpotrf2` as written (recursive), for
    /// checking that [`potrf_lower`]'s loop does the same arithmetic.
    fn potrf2_recursive(a: &mut [f64], ld: usize, o: usize, n: usize) -> bool {
        if n == 1 {
            let v = a[o + o * ld];
            if v <= 0.0 || v.is_nan() {
                return false;
            }
            a[o + o * ld] = v.sqrt();
            return true;
        }
        let n1 = n / 2;
        let n2 = n - n1;
        if !potrf2_recursive(a, ld, o, n1) {
            return false;
        }
        // dtrsm (right, lower, transposed, non-unit) on A21.
        for k in 0..n1 {
            let r = 1.0 / a[o + k + (o + k) * ld];
            for i in 0..n2 {
                a[o + n1 + i + (o + k) * ld] *= r;
            }
            for j in k + 1..n1 {
                let l_jk = a[o + j + (o + k) * ld];
                if l_jk != 0.0 {
                    for i in 0..n2 {
                        let b_ik = a[o + n1 + i + (o + k) * ld];
                        a[o + n1 + i + (o + j) * ld] -= l_jk * b_ik;
                    }
                }
            }
        }
        // dsyrk (lower): A22 −= A21 A21ᵀ.
        for j in 0..n2 {
            for l in 0..n1 {
                let a_jl = a[o + n1 + j + (o + l) * ld];
                if a_jl != 0.0 {
                    let t = -a_jl;
                    for i in j..n2 {
                        let a_il = a[o + n1 + i + (o + l) * ld];
                        a[o + n1 + i + (o + n1 + j) * ld] += t * a_il;
                    }
                }
            }
        }
        potrf2_recursive(a, ld, o + n1, n2)
    }

    /// Random n × n matrices whose entries are drawn from a mix of ordinary
    /// values, exact zeros (so that updates by zero occur) and, when
    /// `special`, −0, ±∞ and NaN.
    fn random_matrix(rng: &mut crate::rng::RRng, n: usize, special: bool) -> Matrix {
        let mut a = Matrix::zeros(n, n);
        for i in 0..n {
            for j in 0..n {
                let u = rng.unif_rand();
                a[(i, j)] = if u < 0.2 {
                    0.0
                } else if special && u < 0.25 {
                    [-0.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN][(u * 400.0) as usize % 4]
                } else if u < 0.35 {
                    // a value repeated across the matrix: exact ties and
                    // exact cancellations in the elimination
                    1.5
                } else {
                    rng.norm_rand() * 10f64.powi((rng.unif_rand() * 6.0) as i32 - 3)
                };
            }
        }
        a
    }

    fn same_bits(a: &[f64], b: &[f64]) -> bool {
        a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
    }

    #[test]
    fn right_looking_lu_does_the_recursive_dgetrf2_arithmetic() {
        let mut rng = crate::rng::RRng::from_seed(20261122);
        let mut fast_path_taken = 0;
        for case in 0..20_000 {
            let n = 1 + case % 9;
            let a = random_matrix(&mut rng, n, case % 5 == 0);
            let mut lu = ColMajor::from(&a);
            let mut ipiv = vec![0; n];
            let ok = lu_factor(&a, &mut lu, &mut ipiv);
            let mut reference = ColMajor::from(&a);
            let mut ipiv_ref = vec![0; n];
            let ok_ref = getrf2_recursive(reference.data_mut(), n, 0, 0, n, n, &mut ipiv_ref);
            assert_eq!(ok, ok_ref, "case {case}: {a:?}");
            assert_eq!(ipiv, ipiv_ref, "case {case}: {a:?}");
            assert!(same_bits(lu.data(), reference.data()), "case {case}: {a:?}");
            // How often the loop itself (not the fallback) produced the result.
            let mut direct = ColMajor::from(&a);
            if a.as_slice().iter().all(|&v| plain(v))
                && getrf_right_looking(direct.data_mut(), n, &mut ipiv) == ok
            {
                fast_path_taken += usize::from(same_bits(direct.data(), reference.data()));
            }
        }
        assert!(fast_path_taken > 15_000, "{fast_path_taken}");
    }

    #[test]
    fn right_looking_cholesky_does_the_recursive_dpotrf2_arithmetic() {
        let mut rng = crate::rng::RRng::from_seed(7);
        let mut factored = 0;
        for case in 0..20_000 {
            let n = 1 + case % 9;
            // XᵀWX-like matrices (symmetric, usually positive definite, with
            // structural zeros) and, every fourth case, arbitrary ones.
            let a = if case % 4 == 3 {
                random_matrix(&mut rng, n, case % 8 == 3)
            } else {
                let x = random_matrix(&mut rng, n + 2, false);
                let mut b = Matrix::zeros(n, n);
                for i in 0..n {
                    for j in 0..n {
                        for l in 0..n + 2 {
                            b[(i, j)] += x[(l, i)] * x[(l, j)];
                        }
                    }
                }
                b
            };
            let mut fast = ColMajor::from(&a);
            let mut reference = ColMajor::from(&a);
            let ok = potrf_lower(fast.data_mut(), n);
            let ok_ref = potrf2_recursive(reference.data_mut(), n, 0, n);
            assert_eq!(ok, ok_ref, "case {case}: {a:?}");
            if ok {
                factored += 1;
                assert!(
                    same_bits(fast.data(), reference.data()),
                    "case {case}: {a:?}"
                );
            }
        }
        assert!(factored > 10_000, "{factored}");
    }

    #[test]
    fn det_inverse_and_trace_follow_armadillo() {
        // b <- t(x[, 1:p]) %*% (x[, 1:p] * w); db likewise with -w^2/3;
        // det(b), b.i(), trace(b.i() * db) in C++ (Armadillo 12).
        let (b5, db5) = arma_case(5);
        assert_eq!(det(&b5), 123911.25585937504); // LAPACK dgetrf path
        let inv5 = inverse_arma(&b5).unwrap(); // dpotrf + dpotri path
        assert_eq!(inv5[(0, 0)], 0.08194905366606961);
        assert_eq!(inv5[(1, 4)], -0.0089067019565398052);
        assert_eq!(inv5[(4, 4)], 0.20224012702639399);
        assert_eq!(trace_inv_times(&b5, &db5), -14.317526949533866);
        let (b4, db4) = arma_case(4);
        assert_eq!(det(&b4), 25059.828125); // closed form for 4 × 4
        let inv4 = inverse_arma(&b4).unwrap();
        assert_eq!(inv4[(0, 3)], -0.055765296674396107);
        assert_eq!(inv4[(3, 3)], 0.10265059429652415);
        assert_eq!(trace_inv_times(&b4, &db4), -12.311214963274345);
        let (b3, db3) = arma_case(3);
        assert_eq!(det(&b3), 2572.40625);
        let inv3 = inverse_arma(&b3).unwrap(); // dgetrf + dgetri path
        assert_eq!(inv3[(0, 0)], 0.026993209179148898);
        assert_eq!(inv3[(1, 2)], -0.0021623722924790771);
        assert_eq!(inv3[(2, 2)], 0.13180752456965147);
        assert_eq!(trace_inv_times(&b3, &db3), -7.9916218197132221);
    }

    #[test]
    fn qr_econ_and_triangular_solve_follow_lapack() {
        // a <- x[, 1:2] * sqrt(w); qr_econ(q, r, a); solve(sol, r, q.t() * ones)
        let w = [10.5f64, 3.25, 7.75, 1.5, 20.0, 0.75, 5.5, 2.25];
        let x1 = [0., 1., 0., 1., 0., 1., 0., 1.];
        let mut a = Matrix::zeros(8, 2);
        for l in 0..8 {
            a[(l, 0)] = w[l].sqrt();
            a[(l, 1)] = x1[l] * w[l].sqrt();
        }
        let (q, r) = qr_econ(&a);
        assert_eq!(r[(0, 0)], -7.1763500472036617);
        assert_eq!(r[(0, 1)], -1.0799361721520071);
        assert_eq!(r[(1, 0)], 0.0);
        assert_eq!(r[(1, 1)], -2.5658795497991851);
        assert_eq!(q[(0, 0)], -0.45153460016440716);
        assert_eq!(q[(7, 0)], -0.20901990428748529);
        let mut g: Vec<f64> = (0..2)
            .map(|k| {
                let mut acc = 0.0;
                for i in 0..8 {
                    acc += q[(i, k)] * 1.0;
                }
                acc
            })
            .collect();
        solve_upper(&r, &mut g);
        assert_eq!(g, vec![0.29352220264069107, 0.4024192054764732]);
    }

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
    fn symmetric_eigen_reconstructs_the_matrix() {
        // A 4×4 symmetric matrix; eigenvalues from numpy.linalg.eigvalsh:
        // [7.83620591, 4.25488476, 3.02419063, 1.88471870] (rounded).
        let a = Matrix::from_row_major(
            4,
            4,
            vec![
                5.0, 1.0, 0.0, 2.0, 1.0, 4.0, 1.0, 0.0, 0.0, 1.0, 3.0, 1.0, 2.0, 0.0, 1.0, 6.0,
            ],
        );
        let (values, vectors) = symmetric_eigen(&a);
        assert!(values.windows(2).all(|w| w[0] >= w[1]));
        let trace: f64 = values.iter().sum();
        assert!(close(trace, 18.0, 1e-13));
        assert!(close(values.iter().product::<f64>(), 245.0, 1e-12));
        for col in 0..4 {
            let x: Vec<f64> = (0..4).map(|k| vectors[(k, col)]).collect();
            let ax = a.mul_vec(&x);
            for k in 0..4 {
                assert!((ax[k] - values[col] * x[k]).abs() < 1e-12);
            }
        }
    }
}
