//! Small symmetric-matrix routines of R `survival` (C files `cholesky2.c`,
//! `chsolve2.c`, `chinv2.c`, survival 3.5.3), ported operation by operation
//! so that Cox model fits agree with `coxph` to the last bits, and a
//! partial-pivoting LU solve for the log-rank statistic (R's `solve`).
//!
//! Matrices are `Vec<Vec<f64>>` indexed `m[i][j]` exactly as the C ragged
//! arrays are; the factorisation `A = F D F'` (F unit lower triangular)
//! lives in the lower triangle with D on the diagonal; the upper triangle
//! holds the input.

/// `cholesky2`: factors the symmetric matrix whose upper triangle
/// (`m[i][j]`, `j ≥ i`) is filled. Pivots below `toler × max diagonal` are
/// set to 0 (a redundant column). Returns the rank, negated when the matrix
/// is not non-negative definite.
pub(crate) fn cholesky2(m: &mut [Vec<f64>], toler: f64) -> i64 {
    let n = m.len();
    let mut nonneg = 1i64;
    let mut eps = 0.0f64;
    for i in 0..n {
        if m[i][i] > eps {
            eps = m[i][i];
        }
        for j in (i + 1)..n {
            m[j][i] = m[i][j];
        }
    }
    eps *= toler;
    let mut rank = 0i64;
    for i in 0..n {
        let pivot = m[i][i];
        if pivot < eps {
            m[i][i] = 0.0;
            if pivot < -8.0 * eps {
                nonneg = -1;
            }
        } else {
            rank += 1;
            for j in (i + 1)..n {
                let temp = m[j][i] / pivot;
                m[j][i] = temp;
                m[j][j] -= temp * temp * pivot;
                for k in (j + 1)..n {
                    m[k][j] -= temp * m[k][i];
                }
            }
        }
    }
    rank * nonneg
}

/// `chsolve2`: solves `A b = y` in place given the `cholesky2` factor.
pub(crate) fn chsolve2(m: &[Vec<f64>], y: &mut [f64]) {
    let n = m.len();
    for i in 0..n {
        let mut temp = y[i];
        for j in 0..i {
            temp -= y[j] * m[i][j];
        }
        y[i] = temp;
    }
    for i in (0..n).rev() {
        if m[i][i] == 0.0 {
            y[i] = 0.0;
        } else {
            let mut temp = y[i] / m[i][i];
            for j in (i + 1)..n {
                temp -= y[j] * m[j][i];
            }
            y[i] = temp;
        }
    }
}

/// `chinv2`: the inverse from the `cholesky2` factor, left in the upper
/// triangle and diagonal (rows/columns of redundant pivots are zero).
pub(crate) fn chinv2(m: &mut [Vec<f64>]) {
    let n = m.len();
    for i in 0..n {
        if m[i][i] > 0.0 {
            m[i][i] = 1.0 / m[i][i];
            for j in (i + 1)..n {
                m[j][i] = -m[j][i];
                for k in 0..i {
                    m[j][k] += m[j][i] * m[i][k];
                }
            }
        }
    }
    for i in 0..n {
        if m[i][i] == 0.0 {
            for j in 0..i {
                m[j][i] = 0.0;
            }
            for j in i..n {
                m[i][j] = 0.0;
            }
        } else {
            for j in (i + 1)..n {
                let temp = m[j][i] * m[j][j];
                if j != i {
                    m[i][j] = temp;
                }
                for k in i..j {
                    m[i][k] += temp * m[j][k];
                }
            }
        }
    }
}

/// Solves the square system `a x = b` (`a` row-major `n × n`) by Gaussian
/// elimination with partial pivoting, as LAPACK `dgesv` behind R's
/// `solve()`; `None` when a pivot is exactly zero (R: "system is exactly
/// singular").
pub(crate) fn solve_lu(a: &[f64], b: &[f64]) -> Option<Vec<f64>> {
    let n = b.len();
    let mut a = a.to_vec();
    let mut x = b.to_vec();
    for col in 0..n {
        let mut pivot_row = col;
        for r in (col + 1)..n {
            if a[r * n + col].abs() > a[pivot_row * n + col].abs() {
                pivot_row = r;
            }
        }
        if a[pivot_row * n + col] == 0.0 || a[pivot_row * n + col].is_nan() {
            return None;
        }
        if pivot_row != col {
            for c in 0..n {
                a.swap(col * n + c, pivot_row * n + c);
            }
            x.swap(col, pivot_row);
        }
        let pivot = a[col * n + col];
        for r in (col + 1)..n {
            let factor = a[r * n + col] / pivot;
            if factor != 0.0 {
                for c in col..n {
                    a[r * n + c] -= factor * a[col * n + c];
                }
                x[r] -= factor * x[col];
            }
        }
    }
    for col in (0..n).rev() {
        let mut s = x[col];
        for c in (col + 1)..n {
            s -= a[col * n + c] * x[c];
        }
        x[col] = s / a[col * n + col];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upper(a: &[[f64; 3]; 3]) -> Vec<Vec<f64>> {
        // Only the upper triangle is read.
        (0..3)
            .map(|i| {
                (0..3)
                    .map(|j| if j >= i { a[i][j] } else { f64::NAN })
                    .collect()
            })
            .collect()
    }

    const A: [[f64; 3]; 3] = [[4.0, 2.0, 0.6], [2.0, 5.0, 1.0], [0.6, 1.0, 3.0]];

    #[test]
    fn cholesky_solve_and_inverse_reproduce_identities() {
        let mut m = upper(&A);
        assert_eq!(cholesky2(&mut m, 1e-12), 3);
        let mut y = [1.0, 2.0, 3.0];
        chsolve2(&m, &mut y);
        for i in 0..3 {
            let back: f64 = (0..3).map(|j| A[i][j] * y[j]).sum();
            assert!((back - [1.0, 2.0, 3.0][i]).abs() < 1e-14);
        }
        chinv2(&mut m);
        for i in 0..3 {
            for j in 0..3 {
                let prod: f64 = (0..3)
                    .map(|k| A[i][k] * if k <= j { m[k][j] } else { m[j][k] })
                    .sum();
                let expected = if i == j { 1.0 } else { 0.0 };
                assert!((prod - expected).abs() < 1e-14, "{i} {j} {prod}");
            }
        }
    }

    #[test]
    fn redundant_column_is_zeroed() {
        let a = [[1.0, 2.0, 0.0], [2.0, 4.0, 0.0], [0.0, 0.0, 1.0]];
        let mut m = upper(&a);
        assert_eq!(cholesky2(&mut m, 1e-9), 2);
        chinv2(&mut m);
        assert_eq!(m[1][1], 0.0);
        assert_eq!(m[0][1], 0.0);
        assert_eq!(m[2][2], 1.0);
    }

    #[test]
    fn lu_solves_and_detects_singularity() {
        let a = [0.0, 2.0, 3.0, 1.0];
        let x = solve_lu(&a, &[4.0, 5.0]).unwrap();
        assert_eq!(x, [1.0, 2.0]);
        assert!(solve_lu(&[1.0, 2.0, 2.0, 4.0], &[1.0, 1.0]).is_none());
    }
}
