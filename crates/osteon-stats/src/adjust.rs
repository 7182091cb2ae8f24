//! Multiple-testing p-value adjustment, reproducing R's `stats::p.adjust`
//! (R 4.2, `src/library/stats/R/p.adjust.R`) operation for operation.
//!
//! Methods: Bonferroni; Holm (1979); Hochberg (1988); Hommel (1988);
//! Benjamini & Hochberg (1995) "BH"/"fdr"; Benjamini & Yekutieli (2001) "BY".
//! As in R, missing values (here NaN) are excluded from the number of tests
//! `n` and returned as NaN in place; ties are ordered stably, as R's `order`.

use crate::summary;

/// A p-value adjustment method of R's `p.adjust`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdjustMethod {
    /// Holm's step-down method.
    Holm,
    /// Hochberg's step-up method.
    Hochberg,
    /// Hommel's method.
    Hommel,
    /// Bonferroni: min(1, n p).
    Bonferroni,
    /// Benjamini–Hochberg false discovery rate (R's "BH" or "fdr").
    #[allow(clippy::upper_case_acronyms)]
    BH,
    /// Benjamini–Yekutieli false discovery rate under dependence.
    #[allow(clippy::upper_case_acronyms)]
    BY,
    /// No adjustment.
    None,
}

/// Adjusts p-values exactly as R's `p.adjust(p, method)`: NaN entries are
/// treated as NA (excluded from n and returned as NaN in their position).
///
/// ```
/// use osteon_stats::adjust::{p_adjust, AdjustMethod};
/// let q = p_adjust(&[0.01, 0.04, 0.03, f64::NAN], AdjustMethod::BH);
/// assert_eq!(q[0], 0.03);
/// assert_eq!(q[1], 0.04);
/// assert_eq!(q[2], 0.04);
/// assert!(q[3].is_nan());
/// ```
pub fn p_adjust(p: &[f64], method: AdjustMethod) -> Vec<f64> {
    let n = p.iter().filter(|v| !v.is_nan()).count();
    p_adjust_n(p, method, n)
}

/// `p.adjust(p, method, n)` with an explicit number of tests `n`, which must
/// be at least the number of non-NaN p-values (otherwise, as R refuses, all
/// results are NaN).
pub fn p_adjust_n(p: &[f64], method: AdjustMethod, n: usize) -> Vec<f64> {
    let kept: Vec<usize> = (0..p.len()).filter(|&i| !p[i].is_nan()).collect();
    let pv: Vec<f64> = kept.iter().map(|&i| p[i]).collect();
    let lp = pv.len();
    if n < lp {
        return vec![f64::NAN; p.len()];
    }
    let mut out = p.to_vec();
    if n <= 1 {
        return out;
    }
    let method = if n == 2 && method == AdjustMethod::Hommel {
        AdjustMethod::Hochberg
    } else {
        method
    };
    let nf = n as f64;
    let adjusted: Vec<f64> = match method {
        AdjustMethod::None => pv.clone(),
        AdjustMethod::Bonferroni => pv.iter().map(|&v| pmin1(nf * v)).collect(),
        AdjustMethod::Holm => {
            let o = order_increasing(&pv);
            let mut res = vec![0.0; lp];
            let mut run = f64::NEG_INFINITY;
            for (k, &idx) in o.iter().enumerate() {
                // (n + 1 - i) with i = 1..lp, integer, times p[o]
                let v = ((n + 1 - (k + 1)) as f64) * pv[idx];
                run = cummax_step(run, v);
                res[idx] = pmin1(run);
            }
            res
        }
        AdjustMethod::Hochberg | AdjustMethod::BH | AdjustMethod::BY => {
            let o = order_decreasing(&pv);
            let q = if method == AdjustMethod::BY {
                let recip: Vec<f64> = (1..=n).map(|k| 1.0 / k as f64).collect();
                summary::sum(&recip)
            } else {
                0.0
            };
            let mut res = vec![0.0; lp];
            let mut run = f64::INFINITY;
            for (k, &idx) in o.iter().enumerate() {
                let i = (lp - k) as f64; // i <- lp:1
                let v = match method {
                    AdjustMethod::Hochberg => (nf + 1.0 - i) * pv[idx],
                    AdjustMethod::BH => nf / i * pv[idx],
                    _ => q * nf / i * pv[idx],
                };
                run = cummin_step(run, v);
                res[idx] = pmin1(run);
            }
            res
        }
        AdjustMethod::Hommel => hommel(&pv, n),
    };
    for (k, &i) in kept.iter().enumerate() {
        out[i] = adjusted[k];
    }
    out
}

/// R's `pmin(1, x)` for non-NaN x.
fn pmin1(x: f64) -> f64 {
    if x.is_nan() {
        x
    } else if 1.0 < x {
        1.0
    } else {
        x
    }
}

fn cummin_step(run: f64, x: f64) -> f64 {
    if x.is_nan() || run.is_nan() {
        run + x
    } else if run < x {
        run
    } else {
        x
    }
}

fn cummax_step(run: f64, x: f64) -> f64 {
    if x.is_nan() || run.is_nan() {
        run + x
    } else if run > x {
        run
    } else {
        x
    }
}

/// Stable ascending order (R's `order(p)`).
fn order_increasing(p: &[f64]) -> Vec<usize> {
    let mut o: Vec<usize> = (0..p.len()).collect();
    o.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    o
}

/// Stable descending order (R's `order(p, decreasing = TRUE)`: ties keep
/// their original order).
fn order_decreasing(p: &[f64]) -> Vec<usize> {
    let mut o: Vec<usize> = (0..p.len()).collect();
    o.sort_by(|&a, &b| p[b].total_cmp(&p[a]));
    o
}

/// Hommel's method, following R's implementation.
fn hommel(pv: &[f64], n: usize) -> Vec<f64> {
    let lp = pv.len();
    let mut p: Vec<f64> = pv.to_vec();
    p.resize(n, 1.0);
    let o = order_increasing(&p);
    let p: Vec<f64> = o.iter().map(|&i| p[i]).collect();
    let nf = n as f64;
    // min(n * p / i)
    let mut init = f64::INFINITY;
    for (k, &v) in p.iter().enumerate() {
        init = cummin_step(init, nf * v / (k + 1) as f64);
    }
    let mut q = vec![init; n];
    let mut pa = vec![init; n];
    let mut j = n - 1;
    while j >= 2 {
        let jf = j as f64;
        // i2 = (n - j + 2):n (1-based), divided by 2:j
        let mut q1 = f64::INFINITY;
        for (k, idx) in (n - j + 1..n).enumerate() {
            q1 = cummin_step(q1, jf * p[idx] / (k + 2) as f64);
        }
        // ij = 1:(n - j + 1)
        for idx in 0..(n - j + 1) {
            let v = jf * p[idx];
            q[idx] = if v.is_nan() || q1.is_nan() {
                f64::NAN
            } else if v < q1 {
                v
            } else {
                q1
            };
        }
        let fill = q[n - j];
        for item in q.iter_mut().take(n).skip(n - j + 1) {
            *item = fill;
        }
        for idx in 0..n {
            if q[idx] > pa[idx] {
                pa[idx] = q[idx];
            }
        }
        j -= 1;
    }
    // pmax(pa, p)[ro], restricted to the first lp original positions
    let mut sorted_res = vec![0.0; n];
    for idx in 0..n {
        sorted_res[idx] = if p[idx] > pa[idx] { p[idx] } else { pa[idx] };
    }
    let mut res = vec![0.0; n];
    for (k, &orig) in o.iter().enumerate() {
        res[orig] = sorted_res[k];
    }
    res.truncate(lp);
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: [f64; 10] = [0.01, 0.2, 0.03, 0.0001, 0.5, 0.04, 0.04, 0.9, 0.012, 0.3];

    fn check(method: AdjustMethod, want: &[f64]) {
        let got = p_adjust(&P, method);
        for (g, w) in got.iter().zip(want) {
            assert_eq!(g.to_bits(), w.to_bits(), "{method:?}: got {got:?}");
        }
    }

    #[test]
    fn methods_match_r() {
        // R: p <- c(0.01, 0.2, 0.03, 1e-04, 0.5, 0.04, 0.04, 0.9, 0.012, 0.3); sprintf('%.17g', p.adjust(p, 'holm'))
        check(
            AdjustMethod::Holm,
            &[
                0.09,
                0.8,
                0.21,
                0.001,
                1.0,
                0.24,
                0.24,
                1.0,
                0.096,
                0.8999999999999999,
            ],
        );
        // R: p <- c(0.01, 0.2, 0.03, 1e-04, 0.5, 0.04, 0.04, 0.9, 0.012, 0.3); sprintf('%.17g', p.adjust(p, 'hochberg'))
        check(
            AdjustMethod::Hochberg,
            &[
                0.09,
                0.8,
                0.2,
                0.001,
                0.9,
                0.2,
                0.2,
                0.9,
                0.096,
                0.8999999999999999,
            ],
        );
        // R: p <- c(0.01, 0.2, 0.03, 1e-04, 0.5, 0.04, 0.04, 0.9, 0.012, 0.3); sprintf('%.17g', p.adjust(p, 'hommel'))
        check(
            AdjustMethod::Hommel,
            &[
                0.08,
                0.6000000000000001,
                0.15,
                0.001,
                0.9,
                0.2,
                0.2,
                0.9,
                0.084,
                0.75,
            ],
        );
        // R: p <- c(0.01, 0.2, 0.03, 1e-04, 0.5, 0.04, 0.04, 0.9, 0.012, 0.3); sprintf('%.17g', p.adjust(p, 'bonferroni'))
        check(
            AdjustMethod::Bonferroni,
            &[0.1, 1.0, 0.3, 0.001, 1.0, 0.4, 0.4, 1.0, 0.12, 1.0],
        );
        // R: p <- c(0.01, 0.2, 0.03, 1e-04, 0.5, 0.04, 0.04, 0.9, 0.012, 0.3); sprintf('%.17g', p.adjust(p, 'BH'))
        check(
            AdjustMethod::BH,
            &[
                0.04,
                0.28571428571428575,
                0.06666666666666667,
                0.001,
                0.5555555555555556,
                0.06666666666666667,
                0.06666666666666667,
                0.9,
                0.04,
                0.375,
            ],
        );
        // R: p <- c(0.01, 0.2, 0.03, 1e-04, 0.5, 0.04, 0.04, 0.9, 0.012, 0.3); sprintf('%.17g', p.adjust(p, 'BY'))
        check(
            AdjustMethod::BY,
            &[
                0.11715873015873016,
                0.8368480725623583,
                0.19526455026455025,
                0.002928968253968254,
                1.0,
                0.19526455026455025,
                0.19526455026455025,
                1.0,
                0.11715873015873016,
                1.0,
            ],
        );
        // R: p <- c(0.01, 0.2, 0.03, 1e-04, 0.5, 0.04, 0.04, 0.9, 0.012, 0.3); sprintf('%.17g', p.adjust(p, 'none'))
        check(
            AdjustMethod::None,
            &[0.01, 0.2, 0.03, 0.0001, 0.5, 0.04, 0.04, 0.9, 0.012, 0.3],
        );
    }

    #[test]
    fn bh_is_monotone_in_p() {
        // pseudo-random p-values from a simple LCG
        let mut state: u64 = 12345;
        let p: Vec<f64> = (0..500)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (state >> 11) as f64 / (1u64 << 53) as f64
            })
            .collect();
        let q = p_adjust(&p, AdjustMethod::BH);
        let mut idx: Vec<usize> = (0..p.len()).collect();
        idx.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
        for w in idx.windows(2) {
            assert!(q[w[0]] <= q[w[1]]);
            assert!(q[w[0]] >= p[w[0]]);
        }
    }

    #[test]
    fn nan_is_excluded_from_n() {
        let q = p_adjust(&[0.01, f64::NAN, 0.02], AdjustMethod::Bonferroni);
        assert_eq!(q[0], 0.02);
        assert!(q[1].is_nan());
        assert_eq!(q[2], 0.04);
    }
}
