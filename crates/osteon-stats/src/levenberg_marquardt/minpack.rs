//! The linear-algebra subroutines of MINPACK-1 that `lmder` calls: `enorm`,
//! `qrfac` (with column pivoting), `lmpar` and `qrsolv`, ported with 0-based
//! indices and column-major matrices (`a[i + j * lda]`), operation order kept.

/// Euclidean norm with MINPACK's three-accumulator scaling, which avoids
/// overflow and destructive underflow (`rdwarf = 3.834e-20`,
/// `rgiant = 1.304e19`).
pub(crate) fn enorm(x: &[f64]) -> f64 {
    const RDWARF: f64 = 3.834e-20;
    const RGIANT: f64 = 1.304e19;
    let (mut s1, mut s2, mut s3) = (0.0f64, 0.0f64, 0.0f64);
    let (mut x1max, mut x3max) = (0.0f64, 0.0f64);
    let agiant = RGIANT / x.len() as f64;
    for &xi in x {
        let xabs = xi.abs();
        if xabs > RDWARF && xabs < agiant {
            s2 += xabs * xabs;
        } else if xabs <= RDWARF {
            // Small components.
            if xabs <= x3max {
                if xabs != 0.0 {
                    let q = xabs / x3max;
                    s3 += q * q;
                }
            } else {
                let q = x3max / xabs;
                s3 = 1.0 + s3 * q * q;
                x3max = xabs;
            }
        } else if xabs <= x1max {
            // Large components.
            let q = xabs / x1max;
            s1 += q * q;
        } else {
            let q = x1max / xabs;
            s1 = 1.0 + s1 * q * q;
            x1max = xabs;
        }
    }
    if s1 != 0.0 {
        x1max * (s1 + (s2 / x1max) / x1max).sqrt()
    } else if s2 != 0.0 {
        if s2 >= x3max {
            (s2 * (1.0 + (x3max / s2) * (x3max * s3))).sqrt()
        } else {
            (x3max * ((s2 / x3max) + (x3max * s3))).sqrt()
        }
    } else {
        x3max * s3.sqrt()
    }
}

/// Householder QR with column pivoting of the `m × n` matrix `a` (leading
/// dimension `lda`): on return the strict upper triangle holds `R`'s strict
/// upper triangle, `rdiag` its diagonal, the lower trapezoid the Householder
/// vectors, `ipvt` the permutation (`a P = Q R`, column `j` of `P` is unit
/// vector `ipvt[j]`) and `acnorm` the column norms of the input.
#[allow(clippy::too_many_arguments)]
pub(crate) fn qrfac(
    m: usize,
    n: usize,
    a: &mut [f64],
    lda: usize,
    ipvt: &mut [usize],
    rdiag: &mut [f64],
    acnorm: &mut [f64],
    wa: &mut [f64],
) {
    let epsmch = f64::EPSILON;
    for j in 0..n {
        acnorm[j] = enorm(&a[j * lda..j * lda + m]);
        rdiag[j] = acnorm[j];
        wa[j] = rdiag[j];
        ipvt[j] = j;
    }
    let minmn = m.min(n);
    for j in 0..minmn {
        // Bring the column of largest remaining norm into the pivot position.
        let mut kmax = j;
        for k in j..n {
            if rdiag[k] > rdiag[kmax] {
                kmax = k;
            }
        }
        if kmax != j {
            for i in 0..m {
                a.swap(i + j * lda, i + kmax * lda);
            }
            rdiag[kmax] = rdiag[j];
            wa[kmax] = wa[j];
            ipvt.swap(j, kmax);
        }
        // Householder transformation reducing column j to a multiple of e_j.
        let mut ajnorm = enorm(&a[j + j * lda..j * lda + m]);
        if ajnorm != 0.0 {
            if a[j + j * lda] < 0.0 {
                ajnorm = -ajnorm;
            }
            for i in j..m {
                a[i + j * lda] /= ajnorm;
            }
            a[j + j * lda] += 1.0;
            // Apply it to the remaining columns and update their norms.
            for k in j + 1..n {
                let mut sum = 0.0;
                for i in j..m {
                    sum += a[i + j * lda] * a[i + k * lda];
                }
                let temp = sum / a[j + j * lda];
                for i in j..m {
                    a[i + k * lda] -= temp * a[i + j * lda];
                }
                if rdiag[k] != 0.0 {
                    let t = a[j + k * lda] / rdiag[k];
                    let shrink = 1.0 - t * t;
                    rdiag[k] *= (if 0.0 > shrink { 0.0 } else { shrink }).sqrt();
                    let q = rdiag[k] / wa[k];
                    let accurate = 0.05 * (q * q) > epsmch;
                    if !accurate {
                        rdiag[k] = enorm(&a[j + 1 + k * lda..k * lda + m]);
                        wa[k] = rdiag[k];
                    }
                }
            }
        }
        rdiag[j] = -ajnorm;
    }
}

/// The Levenberg–Marquardt parameter `par` for which the solution `x` of
/// `A x ≈ b, √par D x ≈ 0` has `‖D x‖` within 10% of `delta` (or `par = 0`
/// when the Gauss–Newton step is already inside), from `R`, `P` and `Qᵀb`.
/// On return `r`'s strict lower triangle holds `S`ᵀ and `sdiag` the diagonal
/// of `S` with `Pᵀ(AᵀA + par D D)P = SᵀS`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn lmpar(
    n: usize,
    r: &mut [f64],
    ldr: usize,
    ipvt: &[usize],
    diag: &[f64],
    qtb: &[f64],
    delta: f64,
    par: &mut f64,
    x: &mut [f64],
    sdiag: &mut [f64],
    wa1: &mut [f64],
    wa2: &mut [f64],
) {
    let dwarf = f64::MIN_POSITIVE;
    // Gauss–Newton direction (least-squares solution if R is singular).
    let mut nsing = n;
    for j in 0..n {
        wa1[j] = qtb[j];
        if r[j + j * ldr] == 0.0 && nsing == n {
            nsing = j;
        }
        if nsing < n {
            wa1[j] = 0.0;
        }
    }
    for j in (0..nsing).rev() {
        wa1[j] /= r[j + j * ldr];
        let temp = wa1[j];
        for i in 0..j {
            wa1[i] -= r[i + j * ldr] * temp;
        }
    }
    for j in 0..n {
        x[ipvt[j]] = wa1[j];
    }
    let mut iter = 0;
    for j in 0..n {
        wa2[j] = diag[j] * x[j];
    }
    let mut dxnorm = enorm(&wa2[..n]);
    let mut fp = dxnorm - delta;
    if fp <= 0.1 * delta {
        *par = 0.0;
        return;
    }
    // Lower bound parl from the Newton step (zero if R is singular).
    let mut parl = 0.0;
    if nsing >= n {
        for j in 0..n {
            let l = ipvt[j];
            wa1[j] = diag[l] * (wa2[l] / dxnorm);
        }
        for j in 0..n {
            let mut sum = 0.0;
            for i in 0..j {
                sum += r[i + j * ldr] * wa1[i];
            }
            wa1[j] = (wa1[j] - sum) / r[j + j * ldr];
        }
        let temp = enorm(&wa1[..n]);
        parl = ((fp / delta) / temp) / temp;
    }
    // Upper bound paru.
    for j in 0..n {
        let mut sum = 0.0;
        for i in 0..=j {
            sum += r[i + j * ldr] * qtb[i];
        }
        wa1[j] = sum / diag[ipvt[j]];
    }
    let gnorm = enorm(&wa1[..n]);
    let mut paru = gnorm / delta;
    if paru == 0.0 {
        paru = dwarf / min(delta, 0.1);
    }
    *par = max(*par, parl);
    *par = min(*par, paru);
    if *par == 0.0 {
        *par = gnorm / dxnorm;
    }
    loop {
        iter += 1;
        if *par == 0.0 {
            *par = max(dwarf, 0.001 * paru);
        }
        let temp = par.sqrt();
        for j in 0..n {
            wa1[j] = temp * diag[j];
        }
        qrsolv(n, r, ldr, ipvt, wa1, qtb, x, sdiag, wa2);
        for j in 0..n {
            wa2[j] = diag[j] * x[j];
        }
        dxnorm = enorm(&wa2[..n]);
        let previous = fp;
        fp = dxnorm - delta;
        if fp.abs() <= 0.1 * delta
            || (parl == 0.0 && fp <= previous && previous < 0.0)
            || iter == 10
        {
            break;
        }
        // Newton correction.
        for j in 0..n {
            let l = ipvt[j];
            wa1[j] = diag[l] * (wa2[l] / dxnorm);
        }
        for j in 0..n {
            wa1[j] /= sdiag[j];
            let temp = wa1[j];
            for i in j + 1..n {
                wa1[i] -= r[i + j * ldr] * temp;
            }
        }
        let temp = enorm(&wa1[..n]);
        let parc = ((fp / delta) / temp) / temp;
        if fp > 0.0 {
            parl = max(parl, *par);
        }
        if fp < 0.0 {
            paru = min(paru, *par);
        }
        *par = max(parl, *par + parc);
    }
}

/// Solves `A x ≈ b, D x ≈ 0` in the least-squares sense given the pivoted
/// QR of `A` (full upper triangle of `r`, `ipvt`, `Qᵀb`), eliminating `D` by
/// Givens rotations. The strict lower triangle of `r` receives `S`ᵀ and
/// `sdiag` the diagonal of `S`; the upper triangle of `r` is kept.
#[allow(clippy::too_many_arguments)]
pub(crate) fn qrsolv(
    n: usize,
    r: &mut [f64],
    ldr: usize,
    ipvt: &[usize],
    diag: &[f64],
    qtb: &[f64],
    x: &mut [f64],
    sdiag: &mut [f64],
    wa: &mut [f64],
) {
    for j in 0..n {
        for i in j..n {
            r[i + j * ldr] = r[j + i * ldr];
        }
        x[j] = r[j + j * ldr];
        wa[j] = qtb[j];
    }
    for j in 0..n {
        let l = ipvt[j];
        if diag[l] != 0.0 {
            for s in sdiag[j..n].iter_mut() {
                *s = 0.0;
            }
            sdiag[j] = diag[l];
            let mut qtbpj = 0.0;
            for k in j..n {
                if sdiag[k] == 0.0 {
                    continue;
                }
                let rkk = r[k + k * ldr];
                let (sin, cos) = if rkk.abs() >= sdiag[k].abs() {
                    let tan = sdiag[k] / rkk;
                    let cos = 0.5 / (0.25 + 0.25 * tan * tan).sqrt();
                    (cos * tan, cos)
                } else {
                    let cotan = rkk / sdiag[k];
                    let sin = 0.5 / (0.25 + 0.25 * cotan * cotan).sqrt();
                    (sin, sin * cotan)
                };
                r[k + k * ldr] = cos * rkk + sin * sdiag[k];
                let temp = cos * wa[k] + sin * qtbpj;
                qtbpj = -sin * wa[k] + cos * qtbpj;
                wa[k] = temp;
                for i in k + 1..n {
                    let temp = cos * r[i + k * ldr] + sin * sdiag[i];
                    sdiag[i] = -sin * r[i + k * ldr] + cos * sdiag[i];
                    r[i + k * ldr] = temp;
                }
            }
        }
        sdiag[j] = r[j + j * ldr];
        r[j + j * ldr] = x[j];
    }
    // Triangular solve for z (least squares if singular).
    let mut nsing = n;
    for j in 0..n {
        if sdiag[j] == 0.0 && nsing == n {
            nsing = j;
        }
        if nsing < n {
            wa[j] = 0.0;
        }
    }
    for j in (0..nsing).rev() {
        let mut sum = 0.0;
        for i in j + 1..nsing {
            sum += r[i + j * ldr] * wa[i];
        }
        wa[j] = (wa[j] - sum) / sdiag[j];
    }
    for j in 0..n {
        x[ipvt[j]] = wa[j];
    }
}

/// MINPACK's `dmax1(a, b)` as a comparison.
fn max(a: f64, b: f64) -> f64 {
    if a > b {
        a
    } else {
        b
    }
}

/// MINPACK's `dmin1(a, b)` as a comparison.
fn min(a: f64, b: f64) -> f64 {
    if a < b {
        a
    } else {
        b
    }
}
