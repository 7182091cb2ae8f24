//! Negative-binomial dispersion estimation, as DESeq2 1.38.3 does it.
//!
//! Love, Huber & Anders (2014), *Genome Biology* 15:550, "Dispersion
//! estimation": a gene-wise estimate maximising the Cox–Reid adjusted profile
//! likelihood (Cox & Reid 1987; McCarthy, Chen & Smyth 2012), a trend over the
//! mean (parametric `a/μ + b` gamma-family GLM, a local regression, or a
//! constant), and a maximum a posteriori estimate under a log-normal prior
//! centred on the trend. The line search, grid fallback and every constant
//! follow DESeq2's C++ `fitDisp`/`fitDispGrid` and its R wrappers
//! `estimateDispersionsGeneEst`, `estimateDispersionsFit`,
//! `estimateDispersionsPriorVar` and `estimateDispersionsMAP`.

use osteon_stats::libm_pow;
use osteon_stats::linalg::{self, Matrix};
use osteon_stats::special::{digamma, lgammafn, lgammafn_many, trigamma};
use osteon_stats::summary;

/// DESeq2's `minDisp`.
pub const MIN_DISP: f64 = 1e-8;
/// Relative log-posterior tolerance of the line search (`dispTol`).
pub const DISP_TOL: f64 = 1e-6;
/// Iteration limit of the line search.
pub const MAXIT: usize = 100;

/// The Cox–Reid adjusted (optionally penalised) NB log-likelihood of one gene
/// as a function of a = ln α, with μ held fixed.
pub struct Objective<'a> {
    pub y: &'a [f64],
    pub mu: &'a [f64],
    pub x: &'a Matrix,
    pub plan: &'a GramPlan,
    /// (prior mean of ln α, prior variance), for MAP estimation.
    pub prior: Option<(f64, f64)>,
}

/// The samples where both x_ja and x_jb are non-zero, per ordered pair
/// (a, b), so that XᵀWX costs one term per such sample.
///
/// Each entry is formed as DESeq2's `x.t() * (x.each_col() % w)` forms it
/// (BLAS `dgemm`, transposed first operand): (a, b) = Σ_j x_ja·(x_jb·w_j),
/// summed over samples in order. For a numeric covariate x_ja·(x_jb·w_j)
/// and x_jb·(x_ja·w_j) can round differently, so both triangles are
/// accumulated (the result need not be exactly symmetric, as in DESeq2).
/// When every non-zero x_ja and x_jb of a pair is ±1 (intercepts,
/// indicator columns and their interactions), both products are exactly
/// ±w_j, the two sums are the same sum, and the lower entry is copied.
/// Likewise an entry whose (sample, x_ja, x_jb) list equals an earlier
/// entry's, term for term (an indicator's diagonal entry and its entry
/// with the intercept), is the same sum and is copied.
pub struct GramPlan {
    p: usize,
    /// Row-major over (a, b): (sample, x_ja, x_jb).
    pairs: Vec<Vec<(usize, f64, f64)>>,
    /// Row-major over (a, b): an earlier entry whose sum this one equals
    /// exactly (its mirror, or one with the same terms).
    copy_of: Vec<Option<usize>>,
}

impl GramPlan {
    pub fn new(x: &Matrix) -> Self {
        let (m, p) = (x.rows(), x.cols());
        let mut pairs: Vec<Vec<(usize, f64, f64)>> = Vec::with_capacity(p * p);
        for a in 0..p {
            for b in 0..p {
                pairs.push(
                    (0..m)
                        .filter(|&j| x[(j, a)] != 0.0 && x[(j, b)] != 0.0)
                        .map(|j| (j, x[(j, a)], x[(j, b)]))
                        .collect(),
                );
            }
        }
        let unit = |v: f64| v == 1.0 || v == -1.0;
        let same_terms = |s: &[(usize, f64, f64)], t: &[(usize, f64, f64)]| {
            s.len() == t.len()
                && s.iter().zip(t).all(|(u, v)| {
                    u.0 == v.0 && u.1.to_bits() == v.1.to_bits() && u.2.to_bits() == v.2.to_bits()
                })
        };
        let copy_of = (0..p * p)
            .map(|ab| {
                let (a, b) = (ab / p, ab % p);
                if a > b && pairs[ab].iter().all(|&(_, xa, xb)| unit(xa) && unit(xb)) {
                    return Some(b * p + a);
                }
                (0..ab).find(|&earlier| same_terms(&pairs[earlier], &pairs[ab]))
            })
            .collect();
        Self { p, pairs, copy_of }
    }

    /// Writes XᵀWX into `out`.
    pub fn gram(&self, w: &[f64], out: &mut Matrix) {
        for a in 0..self.p {
            for b in 0..self.p {
                if let Some(earlier) = self.copy_of[a * self.p + b] {
                    out[(a, b)] = out[(earlier / self.p, earlier % self.p)];
                    continue;
                }
                let mut s = 0.0;
                for &(j, xa, xb) in &self.pairs[a * self.p + b] {
                    s += xa * (xb * w[j]);
                }
                out[(a, b)] = s;
            }
        }
    }
}

/// Scratch space reused across evaluations for one gene.
///
/// The line search evaluates the posterior and then its derivative at the
/// same ln α; the pieces both need (the weights, XᵀWX, its determinant and
/// ln(1 + μα)) are kept from the last posterior evaluation and reused when
/// the derivative is asked for at the same point: the same arithmetic, done
/// once.
pub struct Scratch {
    w: Vec<f64>,
    dw: Vec<f64>,
    log1p_mu_alpha: Vec<f64>,
    b: Matrix,
    db: Matrix,
    /// lgamma(y + r) of the non-zero counts: arguments and values.
    lgamma_args: Vec<f64>,
    lgamma_values: Vec<f64>,
    det_b: f64,
    /// Bits of the ln α whose w, b, det_b and log1p_mu_alpha are stored.
    cached_log_alpha: Option<u64>,
}

impl Scratch {
    pub fn new(m: usize, p: usize) -> Self {
        Self {
            w: vec![0.0; m],
            dw: vec![0.0; m],
            log1p_mu_alpha: vec![0.0; m],
            b: Matrix::zeros(p, p),
            db: Matrix::zeros(p, p),
            lgamma_args: Vec::with_capacity(m),
            lgamma_values: vec![0.0; m],
            det_b: f64::NAN,
            cached_log_alpha: None,
        }
    }
}

impl Objective<'_> {
    /// C++ `log_posterior`.
    pub fn log_posterior(&self, log_alpha: f64, s: &mut Scratch) -> f64 {
        let alpha = log_alpha.exp();
        for (w, &mu) in s.w.iter_mut().zip(self.mu) {
            *w = (mu.powf(-1.0) + alpha).powf(-1.0);
        }
        self.plan.gram(&s.w, &mut s.b);
        s.det_b = linalg::det(&s.b);
        let cr_term = -0.5 * s.det_b.ln();
        let r = 1.0 / alpha;
        let lg_r = lgammafn(r);
        // For y = 0 the gamma terms cancel exactly (lgamma(r) − lgamma(r));
        // the others are evaluated together (bit-identical, faster).
        s.lgamma_args.clear();
        s.lgamma_args
            .extend(self.y.iter().filter(|&&y| y != 0.0).map(|&y| y + r));
        lgammafn_many(&s.lgamma_args, &mut s.lgamma_values);
        let mut lgamma_values = s.lgamma_values.iter();
        let mut ll = 0.0;
        for ((&y, &mu), l1p) in self.y.iter().zip(self.mu).zip(s.log1p_mu_alpha.iter_mut()) {
            let lg = if y == 0.0 {
                lg_r
            } else {
                *lgamma_values.next().expect("one value per non-zero count")
            };
            *l1p = (1.0 + mu * alpha).ln();
            ll += lg - lg_r - y * (mu + r).ln() - r * *l1p;
        }
        s.cached_log_alpha = Some(log_alpha.to_bits());
        let prior = match self.prior {
            Some((mean, var)) => {
                let d = log_alpha - mean;
                -0.5 * (d * d) / var
            }
            None => 0.0,
        };
        ll + prior + cr_term
    }

    /// C++ `dlog_posterior`: derivative with respect to ln α.
    ///
    /// Its `pow(…, -2)` and the Rcpp sugar terms `pow(1.0 + mu*alpha, -1)`
    /// and `pow(mu + alpha_neg1, -1)` are the C library's `pow` in the
    /// compiled DESeq2, which is not correctly rounded (`pow(x, -1)` differs
    /// from a division for about one input in 1200): `powf(-2.0)` calls it,
    /// and [`libm_pow::pow_minus_one`] reproduces it. The weights
    /// `pow(pow(mu, -1) + alpha, -1)` behave as exact divisions (verified on
    /// every gene of the airway and pasilla data), so they stay
    /// `powf(-1.0)`, which the compiler folds into one.
    pub fn dlog_posterior(&self, log_alpha: f64, s: &mut Scratch) -> f64 {
        let alpha = log_alpha.exp();
        let cached = s.cached_log_alpha == Some(log_alpha.to_bits());
        for ((w, dw), &mu) in s.w.iter_mut().zip(s.dw.iter_mut()).zip(self.mu) {
            let t = mu.powf(-1.0) + alpha;
            if !cached {
                *w = t.powf(-1.0);
            }
            *dw = -t.powf(-2.0);
        }
        if !cached {
            self.plan.gram(&s.w, &mut s.b);
            s.det_b = linalg::det(&s.b);
            for (l1p, &mu) in s.log1p_mu_alpha.iter_mut().zip(self.mu) {
                *l1p = (1.0 + mu * alpha).ln();
            }
            s.cached_log_alpha = Some(log_alpha.to_bits());
        }
        self.plan.gram(&s.dw, &mut s.db);
        let det_b = s.det_b;
        let trace = linalg::trace_inv_times(&s.b, &s.db);
        let ddetb = det_b * trace;
        let cr_term = -0.5 * ddetb / det_b;
        let r = 1.0 / alpha;
        let alpha_neg2 = 1.0 / (alpha * alpha);
        let dg_r = digamma(r);
        let mut sum = 0.0;
        for ((&y, &mu), &l1p) in self.y.iter().zip(self.mu).zip(&s.log1p_mu_alpha) {
            let ma = mu * alpha;
            let dg = if y == 0.0 { dg_r } else { digamma(y + r) };
            sum += dg_r + l1p - ma * libm_pow::pow_minus_one(1.0 + ma) - dg
                + y * libm_pow::pow_minus_one(mu + r);
        }
        let ll = alpha_neg2 * sum;
        let prior = match self.prior {
            Some((mean, var)) => -(log_alpha - mean) / var,
            None => 0.0,
        };
        (ll + cr_term) * alpha + prior
    }
}

/// Outcome of the line search for one gene (C++ `fitDisp`).
#[derive(Debug, Clone, Copy)]
pub struct LineSearch {
    pub log_alpha: f64,
    pub iter: usize,
    pub initial_lp: f64,
    pub last_lp: f64,
}

/// DESeq2's Armijo line search on ln α (C++ `fitDisp`).
pub fn line_search(obj: &Objective, start_log_alpha: f64, min_log_alpha: f64) -> LineSearch {
    const EPSILON: f64 = 1e-4;
    const KAPPA_0: f64 = 1.0;
    let mut s = Scratch::new(obj.y.len(), obj.x.cols());
    let mut a = start_log_alpha;
    let mut lp = obj.log_posterior(a, &mut s);
    let mut dlp = obj.dlog_posterior(a, &mut s);
    let mut kappa = KAPPA_0;
    let initial_lp = lp;
    let mut iter = 0;
    let mut iter_accept = 0;
    for _ in 0..MAXIT {
        iter += 1;
        let a_propose = a + kappa * dlp;
        if a_propose < -30.0 {
            kappa = (-30.0 - a) / dlp;
        }
        if a_propose > 10.0 {
            kappa = (10.0 - a) / dlp;
        }
        let theta_kappa = -obj.log_posterior(a + kappa * dlp, &mut s);
        let theta_hat_kappa = -lp - kappa * EPSILON * (dlp * dlp);
        if theta_kappa <= theta_hat_kappa {
            iter_accept += 1;
            a += kappa * dlp;
            // log_posterior(a) at the accepted point is -theta_kappa: the
            // same argument, computed the same way.
            let lpnew = -theta_kappa;
            let change = lpnew - lp;
            if change < DISP_TOL {
                lp = lpnew;
                break;
            }
            if a < min_log_alpha {
                break;
            }
            lp = lpnew;
            dlp = obj.dlog_posterior(a, &mut s);
            kappa = (kappa * 1.1).min(KAPPA_0);
            if iter_accept % 5 == 0 {
                kappa /= 2.0;
            }
        } else {
            kappa /= 2.0;
        }
    }
    LineSearch {
        log_alpha: a,
        iter,
        initial_lp,
        last_lp: lp,
    }
}

/// R's `seq(from, to, length.out = n)`.
pub fn r_seq(from: f64, to: f64, n: usize) -> Vec<f64> {
    if n == 1 {
        return vec![from];
    }
    let n1 = (n - 1) as f64;
    let by = (to - from) / n1;
    let mut v = Vec::with_capacity(n);
    v.push(from);
    for k in 1..n - 1 {
        v.push(from + k as f64 * by);
    }
    v.push(to);
    v
}

/// Armadillo's `linspace(start, end, n)`.
fn arma_linspace(start: f64, end: f64, n: usize) -> Vec<f64> {
    let delta = (end - start) / (n - 1) as f64;
    let mut v: Vec<f64> = (0..n - 1).map(|i| start + i as f64 * delta).collect();
    v.push(end);
    v
}

fn first_argmax(v: &[f64]) -> usize {
    let mut best = f64::NEG_INFINITY;
    let mut idx = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > best {
            best = x;
            idx = i;
        }
    }
    idx
}

/// DESeq2's grid fallback (`fitDispGridWrapper` + C++ `fitDispGrid`);
/// returns α.
pub fn grid_search(obj: &Objective, n_samples: usize) -> f64 {
    let mut s = Scratch::new(obj.y.len(), obj.x.cols());
    let min_log = MIN_DISP.ln();
    let max_log = (n_samples as f64).max(10.0).ln();
    let grid = r_seq(min_log, max_log, 20);
    let delta = grid[1] - grid[0];
    let lp: Vec<f64> = grid.iter().map(|&a| obj.log_posterior(a, &mut s)).collect();
    let a_hat = grid[first_argmax(&lp)];
    let fine = arma_linspace(a_hat - delta, a_hat + delta, 20);
    let lp: Vec<f64> = fine.iter().map(|&a| obj.log_posterior(a, &mut s)).collect();
    fine[first_argmax(&lp)].exp()
}

/// Result of the gene-wise stage for one gene.
#[derive(Debug, Clone, Copy)]
pub struct GeneEstimate {
    pub disp_gene_est: f64,
    pub iter: usize,
}

/// `estimateDispersionsGeneEst` for one gene (niter = 1), given the initial
/// α₀ (already clamped) and μ (already floored at `minmu`).
pub fn gene_estimate(
    y: &[f64],
    mu: &[f64],
    x: &Matrix,
    plan: &GramPlan,
    alpha_init: f64,
) -> GeneEstimate {
    let m = y.len();
    let max_disp = (m as f64).max(10.0);
    let obj = Objective {
        y,
        mu,
        x,
        plan,
        prior: None,
    };
    let ls = line_search(&obj, alpha_init.ln(), (MIN_DISP / 10.0).ln());
    let mut est = ls.log_alpha.exp().min(max_disp);
    let no_increase = ls.last_lp < ls.initial_lp + ls.initial_lp.abs() / 1e6;
    if no_increase {
        est = alpha_init;
    }
    let converged = ls.iter < MAXIT && ls.iter != 1;
    if !converged && est > MIN_DISP * 10.0 {
        est = grid_search(&obj, m);
    }
    GeneEstimate {
        disp_gene_est: est.max(MIN_DISP).min(max_disp),
        iter: ls.iter,
    }
}

/// `estimateDispersionsMAP` for one gene; returns (MAP α, iterations).
pub fn map_estimate(
    y: &[f64],
    mu: &[f64],
    x: &Matrix,
    plan: &GramPlan,
    disp_gene_est: f64,
    disp_fit: f64,
    prior_var: f64,
) -> (f64, usize) {
    let m = y.len();
    let max_disp = (m as f64).max(10.0);
    let init = if disp_gene_est > 0.1 * disp_fit {
        disp_gene_est
    } else {
        disp_fit
    };
    let obj = Objective {
        y,
        mu,
        x,
        plan,
        prior: Some((disp_fit.ln(), prior_var)),
    };
    let ls = line_search(&obj, init.ln(), (MIN_DISP / 10.0).ln());
    let mut map = ls.log_alpha.exp();
    if ls.iter >= MAXIT {
        map = grid_search(&obj, m);
    }
    (map.max(MIN_DISP).min(max_disp), ls.iter)
}

/// Which dispersion trend to fit (`fitType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TrendKind {
    #[default]
    Parametric,
    Local,
    Mean,
}

/// A fitted dispersion trend.
#[derive(Debug, Clone)]
pub enum Trend {
    /// α(μ) = asympt_disp + extra_pois / μ.
    Parametric {
        asympt_disp: f64,
        extra_pois: f64,
    },
    Local(osteon_stats::locfit::Locfit),
    Mean(f64),
    /// Every gene-wise estimate was below 1e-7: DESeq2 returns minDisp.
    Constant(f64),
}

impl Trend {
    /// The trend value at mean `q`.
    pub fn eval(&self, q: f64) -> f64 {
        match self {
            Trend::Parametric {
                asympt_disp,
                extra_pois,
            } => asympt_disp + extra_pois / q,
            Trend::Local(fit) => fit.predict(q.ln()).exp(),
            Trend::Mean(v) | Trend::Constant(v) => *v,
        }
    }

    /// What DESeq2 calls this fit (`attr(dispersionFunction, "fitType")`).
    pub fn name(&self) -> &'static str {
        match self {
            Trend::Parametric { .. } => "parametric",
            Trend::Local(_) | Trend::Constant(_) => "local",
            Trend::Mean(_) => "mean",
        }
    }
}

/// `estimateDispersionsFit`: fits the trend to the genes with gene-wise
/// estimate > 100·minDisp. Returns the trend and whether a requested
/// parametric fit fell back to `local`.
pub fn fit_trend(
    kind: TrendKind,
    base_mean: &[f64],
    disp_gene_est: &[f64],
) -> Result<(Trend, bool), crate::Error> {
    let use_idx: Vec<usize> = (0..base_mean.len())
        .filter(|&i| disp_gene_est[i] > 100.0 * MIN_DISP)
        .collect();
    if use_idx.is_empty() {
        return Err(crate::Error::DispersionsTooSmall);
    }
    let means: Vec<f64> = use_idx.iter().map(|&i| base_mean[i]).collect();
    let disps: Vec<f64> = use_idx.iter().map(|&i| disp_gene_est[i]).collect();
    let mut fell_back = false;
    let mut kind = kind;
    if kind == TrendKind::Parametric {
        match osteon_stats::glm_fit::deseq2_parametric_trend(&means, &disps) {
            Some((a, b)) => {
                return Ok((
                    Trend::Parametric {
                        asympt_disp: a,
                        extra_pois: b,
                    },
                    false,
                ))
            }
            None => {
                fell_back = true;
                kind = TrendKind::Local;
            }
        }
    }
    match kind {
        TrendKind::Local => Ok((local_fit(&means, &disps), fell_back)),
        TrendKind::Mean => {
            let kept: Vec<f64> = disp_gene_est
                .iter()
                .copied()
                .filter(|&d| d > 10.0 * MIN_DISP)
                .collect();
            Ok((Trend::Mean(summary::trimmed_mean(&kept, 0.001)), false))
        }
        TrendKind::Parametric => unreachable!("handled above"),
    }
}

/// `localDispersionFit`: locfit of ln α on ln μ weighted by μ.
fn local_fit(means: &[f64], disps: &[f64]) -> Trend {
    if disps.iter().all(|&d| d < MIN_DISP * 10.0) {
        return Trend::Constant(MIN_DISP);
    }
    let mut x = Vec::new();
    let mut y = Vec::new();
    let mut w = Vec::new();
    for (&m, &d) in means.iter().zip(disps) {
        if d >= MIN_DISP * 10.0 {
            x.push(m.ln());
            y.push(d.ln());
            w.push(m);
        }
    }
    let opts = osteon_stats::locfit::LocfitOptions::default();
    match osteon_stats::locfit::locfit_1d(&x, &y, &w, &opts) {
        Ok(fit) => Trend::Local(fit),
        Err(_) => Trend::Constant(MIN_DISP),
    }
}

/// `varLogDispEsts`: squared MAD of ln(gene-wise) − ln(trend) over genes
/// with gene-wise estimate ≥ 100·minDisp.
pub fn var_log_disp_ests(disp_gene_est: &[f64], disp_fit: &[f64]) -> f64 {
    let resid: Vec<f64> = disp_gene_est
        .iter()
        .zip(disp_fit)
        .filter(|(&g, _)| g >= 100.0 * MIN_DISP)
        .map(|(&g, &f)| g.ln() - f.ln())
        .collect();
    let mad = summary::mad(&resid);
    mad * mad
}

/// `estimateDispersionsPriorVar`.
pub fn prior_variance(
    disp_gene_est: &[f64],
    disp_fit: &[f64],
    var_log_disp_ests: f64,
    m: usize,
    p: usize,
) -> f64 {
    if m > p && m - p <= 3 {
        let resid: Vec<f64> = disp_gene_est
            .iter()
            .zip(disp_fit)
            .filter(|(&g, _)| g >= 100.0 * MIN_DISP)
            .map(|(&g, &f)| g.ln() - f.ln())
            .collect();
        return crate::prior_sim::simulated_prior_variance(&resid, (m - p) as f64);
    }
    if m > p {
        (var_log_disp_ests - trigamma((m - p) as f64 / 2.0)).max(0.25)
    } else {
        var_log_disp_ests
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r_seq_matches_r() {
        // seq(0, 1, length = 5)
        assert_eq!(r_seq(0.0, 1.0, 5), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        let g = r_seq(MIN_DISP.ln(), 10f64.ln(), 20);
        assert_eq!(g.len(), 20);
        assert_eq!(g[19], 10f64.ln());
    }

    #[test]
    fn derivative_matches_finite_difference() {
        let y = [3.0, 10.0, 0.0, 7.0, 25.0, 12.0];
        let mu = [5.0, 8.0, 1.5, 9.0, 20.0, 11.0];
        let x = Matrix::from_row_major(6, 2, vec![1., 0., 1., 0., 1., 0., 1., 1., 1., 1., 1., 1.]);
        for prior in [None, Some((-2.0, 0.5))] {
            let plan = GramPlan::new(&x);
            let obj = Objective {
                y: &y,
                mu: &mu,
                x: &x,
                plan: &plan,
                prior,
            };
            let mut s = Scratch::new(6, 2);
            for a in [-3.0, -1.0, 0.5] {
                let h = 1e-5;
                let fd = (obj.log_posterior(a + h, &mut s) - obj.log_posterior(a - h, &mut s))
                    / (2.0 * h);
                let d = obj.dlog_posterior(a, &mut s);
                assert!((fd - d).abs() < 1e-6 * (1.0 + d.abs()), "{fd} vs {d}");
            }
        }
    }

    /// XᵀWX as DESeq2's dgemm forms it, entry by entry and both triangles;
    /// the plan's copies of mirrored entries must not change a bit, and a
    /// numeric covariate must keep its own lower triangle.
    #[test]
    fn gram_equals_both_triangles_summed_and_mirrors_only_unit_columns() {
        let m = 9;
        let data: Vec<f64> = (0..m)
            .flat_map(|j| {
                let group = (j % 3) as f64;
                let covariate = 0.3 + 1.7 * j as f64 / 7.0;
                [
                    1.0,
                    f64::from(group == 1.0),
                    f64::from(group == 2.0),
                    covariate,
                ]
            })
            .collect();
        let x = Matrix::from_row_major(m, 4, data);
        let w: Vec<f64> = (0..m).map(|j| 0.1 + (j as f64).sqrt() / 3.0).collect();
        let plan = GramPlan::new(&x);
        let mut out = Matrix::zeros(4, 4);
        plan.gram(&w, &mut out);
        for a in 0..4 {
            for b in 0..4 {
                let mut want = 0.0;
                for j in 0..m {
                    if x[(j, a)] != 0.0 && x[(j, b)] != 0.0 {
                        want += x[(j, a)] * (x[(j, b)] * w[j]);
                    }
                }
                assert_eq!(out[(a, b)].to_bits(), want.to_bits(), "({a}, {b})");
            }
        }
        // (1, 0) and (2, 1): indicator and intercept columns, mirrored.
        assert_eq!(plan.copy_of[4], Some(1));
        assert_eq!(plan.copy_of[2 * 4 + 1], Some(4 + 2));
        // (1, 1) and (2, 2): an indicator's diagonal has the terms of its
        // entry with the intercept.
        assert_eq!(plan.copy_of[4 + 1], Some(1));
        assert_eq!(plan.copy_of[2 * 4 + 2], Some(2));
        // The covariate's own row is summed: x_j3·(x_jb·w_j) may round
        // differently from x_jb·(x_j3·w_j).
        assert!(
            (0..4).all(|b| plan.copy_of[3 * 4 + b].is_none()),
            "covariate row copied"
        );
        assert_eq!(plan.copy_of.iter().flatten().count(), 5);
    }

    #[test]
    fn parametric_fit_recovers_exact_trend() {
        let means: Vec<f64> = (1..200).map(|i| i as f64 * 1.7).collect();
        let disps: Vec<f64> = means.iter().map(|m| 0.05 + 2.0 / m).collect();
        let (a, b) = osteon_stats::glm_fit::deseq2_parametric_trend(&means, &disps).unwrap();
        assert!((a - 0.05).abs() < 1e-6 && (b - 2.0).abs() < 1e-5, "{a} {b}");
    }

    #[test]
    fn parametric_fit_fails_on_increasing_trend() {
        let means: Vec<f64> = (1..200).map(|i| i as f64 * 1.7).collect();
        let disps: Vec<f64> = means.iter().map(|m| 0.01 + 0.001 * m).collect();
        assert!(osteon_stats::glm_fit::deseq2_parametric_trend(&means, &disps).is_none());
    }
}
