//! Negative-binomial GLM fits per gene, as DESeq2 1.38.3's `fitNbinomGLMs`.
//!
//! Iteratively reweighted least squares (McCullagh & Nelder, *Generalized
//! Linear Models*, 2nd ed., 1989, §2.5) with DESeq2's details (C++
//! `fitBeta`): a ridge penalty λ = 1e-6/ln(2)² on every coefficient solved
//! through the QR decomposition of the augmented matrix [√W X; √Λ], μ floored
//! at `minmu = 0.5` inside the iterations, a relative-deviance stopping rule
//! (tolerance 1e-8, at most 100 iterations) and abandonment when any |β| > 30.
//! Genes that do not converge are refitted with L-BFGS-B on the log2 scale
//! with a N(0, 1000²) prior (`fitNbinomGLMsOptim`). Intercept-only designs use
//! DESeq2's closed form.

use osteon_stats::distributions::dnbinom_mu;
use osteon_stats::glm_fit::LinpackQr;
use osteon_stats::lbfgsb::{optim_lbfgsb, LbfgsbOptions};
use osteon_stats::linalg::{self, Matrix};
use osteon_stats::special::lgammafn;
use osteon_stats::summary;
use std::f64::consts::{LN_2, LOG2_E};

/// DESeq2's `minmu`.
pub const MIN_MU: f64 = 0.5;
const BETA_TOL: f64 = 1e-8;
const MAXIT: usize = 100;
const LARGE: f64 = 30.0;

/// The fit of one gene.
#[derive(Debug, Clone)]
pub struct GeneFit {
    /// Coefficients on the log2 scale.
    pub beta: Vec<f64>,
    /// Standard errors on the log2 scale.
    pub se: Vec<f64>,
    /// Fitted means (unfloored), per sample.
    pub mu: Vec<f64>,
    /// Diagonal of the hat matrix, per sample.
    pub hat: Vec<f64>,
    /// Σ ln NB(y; μ, 1/α).
    pub log_like: f64,
    pub converged: bool,
    pub iterations: usize,
    /// Full covariance of the ln-scale coefficients (for contrasts).
    pub sigma: Matrix,
}

/// Inputs shared by all genes of one fit.
pub struct GlmSetup<'a> {
    pub x: &'a Matrix,
    pub size_factors: &'a [f64],
    /// Ridge penalty on the natural-log scale, per coefficient.
    pub lambda_ln: Vec<f64>,
    /// Ridge penalty on the log2 scale (for the optim prior).
    pub lambda_log2: Vec<f64>,
    pub intercept_only: bool,
    /// Whether to compute the log-likelihood (only the LRT needs it).
    pub compute_log_like: bool,
    /// R's `qr.Q(qr(X))` and `qr.R(qr(X))` (LINPACK), for starting values.
    start_qr: Option<(Matrix, Matrix)>,
}

impl<'a> GlmSetup<'a> {
    /// Prepares the per-design pieces (QR of X for starting values).
    pub fn new(x: &'a Matrix, size_factors: &'a [f64]) -> Self {
        let p = x.cols();
        let intercept_only = p == 1 && x.as_slice().iter().all(|&v| v == 1.0);
        let lambda_log2 = vec![1e-6; p];
        let lambda_ln = lambda_log2.iter().map(|l| l / (LN_2 * LN_2)).collect();
        let m = x.rows();
        let mut col_major = Vec::with_capacity(m * p);
        for k in 0..p {
            for i in 0..m {
                col_major.push(x[(i, k)]);
            }
        }
        let qr = LinpackQr::new(col_major, m, p, 1e-7);
        let start_qr = (qr.rank == p).then(|| {
            let (q_cm, r_cm) = (qr.q_thin(), qr.r_upper());
            let mut q = Matrix::zeros(m, p);
            let mut r = Matrix::zeros(p, p);
            for k in 0..p {
                for i in 0..m {
                    q[(i, k)] = q_cm[k * m + i];
                }
                for i in 0..p {
                    r[(i, k)] = r_cm[k * p + i];
                }
            }
            (q, r)
        });
        Self {
            x,
            size_factors,
            lambda_ln,
            lambda_log2,
            intercept_only,
            compute_log_like: false,
            start_qr,
        }
    }

    /// Fits one gene with dispersion `alpha`.
    pub fn fit(&self, y: &[f64], alpha: f64) -> GeneFit {
        if self.intercept_only {
            return self.fit_intercept_only(y, alpha);
        }
        let m = y.len();
        let p = self.x.cols();
        // Starting values as fitNbinomGLMs computes them:
        // solve(qr.R(qrx), t(qr.Q(qrx)) %*% log(q + 0.1)), the product summed
        // over samples in order (BLAS dgemm), the solve as LAPACK's dgesv
        // reduces to for an upper triangular matrix.
        let start: Vec<f64> = match &self.start_qr {
            Some((q, r)) => {
                let z: Vec<f64> = y
                    .iter()
                    .zip(self.size_factors)
                    .map(|(&yi, &s)| (yi / s + 0.1).ln())
                    .collect();
                let mut qtz: Vec<f64> = (0..p)
                    .map(|k| {
                        let mut acc = 0.0;
                        for (l, zl) in z.iter().enumerate() {
                            acc += zl * q[(l, k)];
                        }
                        acc
                    })
                    .collect();
                linalg::solve_upper(r, &mut qtz);
                qtz
            }
            None => vec![1.0; p],
        };
        let irls = self.irls(y, alpha, &start);
        let beta_log2: Vec<f64> = irls.beta.iter().map(|b| LOG2_E * b).collect();
        let stable = irls.beta.iter().all(|b| !b.is_nan());
        let var_positive = (0..p).all(|k| irls.sigma[(k, k)] > 0.0);
        let converged = irls.iter < MAXIT;
        let mu: Vec<f64> = self
            .x
            .mul_vec(&irls.beta)
            .iter()
            .zip(self.size_factors)
            .map(|(eta, s)| s * eta.exp())
            .collect();
        if !converged || !stable || !var_positive {
            let start_row = if stable && beta_log2.iter().all(|b| b.abs() < LARGE) {
                beta_log2.clone()
            } else {
                start.clone()
            };
            return self.fit_optim(y, alpha, &start_row, irls.hat, irls.iter);
        }
        let se = (0..p)
            .map(|k| LOG2_E * irls.sigma[(k, k)].max(0.0).sqrt())
            .collect();
        let log_like = if self.compute_log_like {
            nb_log_like(y, &mu, alpha)
        } else {
            f64::NAN
        };
        let _ = m;
        GeneFit {
            beta: beta_log2,
            se,
            mu,
            hat: irls.hat,
            log_like,
            converged,
            iterations: irls.iter,
            sigma: irls.sigma,
        }
    }

    fn fit_intercept_only(&self, y: &[f64], alpha: f64) -> GeneFit {
        let q: Vec<f64> = y
            .iter()
            .zip(self.size_factors)
            .map(|(a, s)| a / s)
            .collect();
        let beta = summary::row_mean(&q).log2();
        let mu: Vec<f64> = self
            .size_factors
            .iter()
            .map(|s| s * 2f64.powf(beta))
            .collect();
        let w: Vec<f64> = mu
            .iter()
            .map(|&m| (m.powf(-1.0) + alpha).powf(-1.0))
            .collect();
        let xtwx = summary::sum(&w);
        let sigma = xtwx.powf(-1.0);
        let hat = w.iter().map(|wi| wi * xtwx.powf(-1.0)).collect();
        GeneFit {
            beta: vec![beta],
            se: vec![LOG2_E * sigma.sqrt()],
            log_like: nb_log_like(y, &mu, alpha),
            mu,
            hat,
            converged: true,
            iterations: 1,
            sigma: Matrix::from_row_major(1, 1, vec![sigma]),
        }
    }

    fn irls(&self, y: &[f64], alpha: f64, start: &[f64]) -> Irls {
        let x = self.x;
        let (m, p) = (x.rows(), x.cols());
        let nf = self.size_factors;
        let size = 1.0 / alpha;
        let mut beta = start.to_vec();
        let mut mu = vec![0.0; m];
        update_mu(x, nf, &beta, &mut mu);
        // The deviance splits into a part that does not depend on μ (the
        // gamma-function terms) and one that does; only the second changes
        // between iterations, so the first is computed once.
        let dev_const = -2.0 * nb_constant_part(y, size);
        let mut dev_old = 0.0;
        let mut iter = 0;
        let rows = m + p;
        // Column-major [X·√w; √Λ], overwritten by Q at each step.
        let mut aug = vec![0.0; rows * p];
        let mut rhs = vec![0.0; rows];
        let mut tau = vec![0.0; p];
        let mut r = Matrix::zeros(p, p);
        let mut new_beta = vec![0.0; p];
        for t in 0..MAXIT {
            iter += 1;
            // C++ fitBeta (useQR = TRUE): [X·√w; √Λ] = QR by Armadillo's
            // qr_econ, γ = Qᵀ[z·√w; 0] summed over rows in order (dgemv),
            // β = R⁻¹γ by dtrtrs. Any other way of solving this least-squares
            // step (normal equations, another QR) changes β in the last bits,
            // which the dispersion line search can amplify to ~1e-6.
            for j in 0..m {
                let w = mu[j] / (1.0 + alpha * mu[j]);
                let sw = w.sqrt();
                for k in 0..p {
                    aug[j + k * rows] = x[(j, k)] * sw;
                }
                let z = (mu[j] / nf[j]).ln() + (y[j] - mu[j]) / mu[j];
                rhs[j] = z * sw;
            }
            for k in 0..p {
                for l in 0..p {
                    aug[m + l + k * rows] = if k == l {
                        self.lambda_ln[k].sqrt()
                    } else {
                        0.0
                    };
                }
            }
            linalg::qr_econ_in_place(&mut aug, rows, p, &mut tau, &mut r);
            for (k, b) in new_beta.iter_mut().enumerate() {
                let col = &aug[k * rows..(k + 1) * rows];
                let mut acc = 0.0;
                for (qv, v) in col.iter().zip(&rhs) {
                    acc += qv * v;
                }
                *b = acc;
            }
            linalg::solve_upper(&r, &mut new_beta);
            let too_large = new_beta.iter().any(|b| b.abs() > LARGE);
            beta.copy_from_slice(&new_beta);
            if too_large {
                iter = MAXIT;
                break;
            }
            update_mu(x, nf, &beta, &mut mu);
            let dev_var = -2.0 * nb_mu_part(y, &mu, size);
            let dev = dev_const + dev_var;
            let conv = if t == 0 {
                (dev - dev_old).abs() / (dev.abs() + 0.1)
            } else {
                (dev_var - dev_old).abs() / (dev.abs() + 0.1)
            };
            if conv.is_nan() {
                iter = MAXIT;
                break;
            }
            if t > 0 && conv < BETA_TOL {
                break;
            }
            dev_old = dev_var;
        }
        let (hat, sigma) = sandwich(x, &mu, alpha, &self.lambda_ln);
        Irls {
            beta,
            iter,
            hat,
            sigma,
        }
    }

    fn fit_optim(
        &self,
        y: &[f64],
        alpha: f64,
        start_log2: &[f64],
        stale_hat: Vec<f64>,
        iterations: usize,
    ) -> GeneFit {
        let x = self.x;
        let p = x.cols();
        let nf = self.size_factors;
        let size = 1.0 / alpha;
        let sd: Vec<f64> = self.lambda_log2.iter().map(|l| (1.0 / l).sqrt()).collect();
        let mut ll = vec![0.0; y.len()];
        let mut lp = vec![0.0; p];
        let objective = |par: &[f64]| -> f64 {
            let eta = x.mul_vec(par);
            for j in 0..y.len() {
                let mu = nf[j] * 2f64.powf(eta[j]);
                ll[j] = dnbinom_mu(y[j], size, mu, true);
            }
            for k in 0..p {
                lp[k] = dnorm_log(par[k], sd[k]);
            }
            let neg = -(summary::sum(&ll) + summary::sum(&lp));
            if neg.is_finite() {
                neg
            } else {
                1e300
            }
        };
        let lower = vec![-LARGE; p];
        let upper = vec![LARGE; p];
        let res = optim_lbfgsb(
            objective,
            start_log2,
            &lower,
            &upper,
            &LbfgsbOptions::default(),
        );
        let eta = x.mul_vec(&res.par);
        let mu: Vec<f64> = eta.iter().zip(nf).map(|(e, s)| s * 2f64.powf(*e)).collect();
        let mu_floored: Vec<f64> = mu.iter().map(|m| m.max(MIN_MU)).collect();
        let (_, sigma) = sandwich(x, &mu_floored, alpha, &self.lambda_ln);
        let se = (0..p)
            .map(|k| LOG2_E * sigma[(k, k)].max(0.0).sqrt())
            .collect();
        GeneFit {
            beta: res.par,
            se,
            log_like: nb_log_like(y, &mu_floored, alpha),
            mu,
            hat: stale_hat,
            converged: res.convergence == 0,
            iterations,
            sigma,
        }
    }
}

struct Irls {
    beta: Vec<f64>,
    iter: usize,
    hat: Vec<f64>,
    sigma: Matrix,
}

/// μ_j = max(s_j·exp(x_jᵀβ), minmu).
fn update_mu(x: &Matrix, nf: &[f64], beta: &[f64], mu: &mut [f64]) {
    for (j, m) in mu.iter_mut().enumerate() {
        let eta: f64 = x.row(j).iter().zip(beta).map(|(a, b)| a * b).sum();
        *m = (nf[j] * eta.exp()).max(MIN_MU);
    }
}

/// Σ_j [ln Γ(y_j + r) − ln Γ(r) − ln Γ(y_j + 1)]: the part of the NB
/// log-likelihood that does not depend on μ.
fn nb_constant_part(y: &[f64], size: f64) -> f64 {
    let lg_size = lgammafn(size);
    y.iter()
        .filter(|&&v| v > 0.0)
        .map(|&v| lgammafn(v + size) - lg_size - lgammafn(v + 1.0))
        .sum()
}

/// Σ_j [−r·ln(1 + μ_j/r) + y_j·ln(μ_j/(r + μ_j))]: the μ-dependent part.
fn nb_mu_part(y: &[f64], mu: &[f64], size: f64) -> f64 {
    y.iter()
        .zip(mu)
        .map(|(&v, &m)| {
            let a = -size * (m / size).ln_1p();
            if v > 0.0 {
                a + v * (m.ln() - (size + m).ln())
            } else {
                a
            }
        })
        .sum()
}

/// Hat diagonals and Σ = (XᵀWX+Λ)⁻¹ XᵀWX (XᵀWX+Λ)⁻¹ with W = μ/(1+αμ),
/// in the C++ `fitBeta`'s arithmetic: XᵀWX entry (a, b) = Σ_l x_la·(x_lb·w_l)
/// (BLAS dgemm of `x.t()` and `x.each_col() % w`), the inverse by
/// Armadillo's `.i()` ([`linalg::inverse_arma`]), the hat diagonal as
/// Σ_{a,b} (x_ja√w_j)·((x_jb√w_j)·inv(b,a)) in that loop order, and Σ as
/// (inv · XᵀWX) · inv with each entry summed over k in order.
pub fn sandwich(x: &Matrix, mu: &[f64], alpha: f64, lambda_ln: &[f64]) -> (Vec<f64>, Matrix) {
    let (m, p) = (x.rows(), x.cols());
    let w: Vec<f64> = mu.iter().map(|&u| u / (1.0 + alpha * u)).collect();
    let sw: Vec<f64> = w.iter().map(|v| v.sqrt()).collect();
    let mut xtwx = Matrix::zeros(p, p);
    for a in 0..p {
        for b in 0..p {
            let mut acc = 0.0;
            for l in 0..m {
                acc += x[(l, a)] * (x[(l, b)] * w[l]);
            }
            xtwx[(a, b)] = acc;
        }
    }
    let mut ridge = xtwx.clone();
    for k in 0..p {
        ridge[(k, k)] += lambda_ln[k];
    }
    let inv = linalg::inverse_arma(&ridge).unwrap_or_else(|| Matrix::zeros(p, p));
    let hat = (0..m)
        .map(|j| {
            let mut h = 0.0;
            for a in 0..p {
                for b in 0..p {
                    h += (x[(j, a)] * sw[j]) * ((x[(j, b)] * sw[j]) * inv[(b, a)]);
                }
            }
            h
        })
        .collect();
    let mut left = Matrix::zeros(p, p);
    for i in 0..p {
        for j in 0..p {
            let mut acc = 0.0;
            for k in 0..p {
                acc += xtwx[(k, j)] * inv[(i, k)];
            }
            left[(i, j)] = acc;
        }
    }
    let mut sigma = Matrix::zeros(p, p);
    for i in 0..p {
        for j in 0..p {
            let mut acc = 0.0;
            for k in 0..p {
                acc += inv[(k, j)] * left[(i, k)];
            }
            sigma[(i, j)] = acc;
        }
    }
    (hat, sigma)
}

/// ln N(x; 0, sd), as R's `dnorm(x, 0, sd, log = TRUE)`.
fn dnorm_log(x: f64, sd: f64) -> f64 {
    const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;
    let z = x / sd;
    -(LN_SQRT_2PI + 0.5 * z * z + sd.ln())
}

/// Σ_j ln NB(y_j; μ_j, size = 1/α), summed as R's `rowSums` does.
pub fn nb_log_like(y: &[f64], mu: &[f64], alpha: f64) -> f64 {
    let terms: Vec<f64> = y
        .iter()
        .zip(mu)
        .map(|(&yi, &mi)| dnbinom_mu(yi, 1.0 / alpha, mi, true))
        .collect();
    summary::sum(&terms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_group_fit_recovers_group_means() {
        // With a tiny dispersion and equal size factors, the MLE of a
        // two-group design is the log2 ratio of group means (ridge ~1e-6).
        let x = Matrix::from_row_major(6, 2, vec![1., 0., 1., 0., 1., 0., 1., 1., 1., 1., 1., 1.]);
        let sf = vec![1.0; 6];
        let setup = GlmSetup::new(&x, &sf);
        let y = [10.0, 12.0, 14.0, 40.0, 44.0, 48.0];
        let fit = setup.fit(&y, 1e-4);
        assert!(fit.converged);
        assert!((fit.beta[0] - 12f64.log2()).abs() < 1e-6, "{:?}", fit.beta);
        assert!((fit.beta[1] - (44.0f64 / 12.0).log2()).abs() < 1e-6);
        // hat values of a saturated-per-group model sum to p (minus ridge).
        let tr: f64 = fit.hat.iter().sum();
        assert!((tr - 2.0).abs() < 1e-6);
    }

    #[test]
    fn intercept_only_uses_closed_form() {
        let x = Matrix::from_row_major(4, 1, vec![1.0; 4]);
        let sf = vec![0.5, 1.0, 2.0, 1.0];
        let setup = GlmSetup::new(&x, &sf);
        let fit = setup.fit(&[5.0, 10.0, 20.0, 10.0], 0.1);
        assert!((fit.beta[0] - 10f64.log2()).abs() < 1e-12);
        assert_eq!(fit.iterations, 1);
    }
}
