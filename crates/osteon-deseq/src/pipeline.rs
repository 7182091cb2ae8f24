//! The `DESeq()` pipeline: size factors → dispersions → GLM fits and tests →
//! Cook's distances → outlier replacement and refit, in DESeq2 1.38.3's
//! order (see the crate documentation for the reference).

use crate::cooks;
use crate::design::{Design, Formula, SampleData};
use crate::dispersion::{self, Trend, TrendKind};
use crate::glm::{GlmSetup, MIN_MU};
use crate::size_factors::{self, SizeFactorType};
use crate::{CountMatrix, Error};
use osteon_stats::distributions::pchisq;
use osteon_stats::linalg::Matrix;
use osteon_stats::summary;
use rayon::prelude::*;

/// Hypothesis test (`test =`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Test {
    #[default]
    Wald,
    Lrt,
}

/// Dispersion trend (`fitType =`).
pub type FitType = TrendKind;

/// Options of `DESeq()`.
#[derive(Debug, Clone)]
pub struct Options {
    pub test: Test,
    /// Reduced formula for the LRT.
    pub reduced: Option<Formula>,
    pub fit_type: FitType,
    pub sf_type: SizeFactorType,
    /// `minReplicatesForReplace`.
    pub min_replicates_for_replace: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            test: Test::Wald,
            reduced: None,
            fit_type: FitType::Parametric,
            sf_type: SizeFactorType::Ratio,
            min_replicates_for_replace: 7,
        }
    }
}

/// Progress callbacks; the engine never prints.
pub trait Progress: Sync {
    /// A new stage with `total` units of work.
    fn stage(&self, _name: &str, _total: usize) {}
    /// `n` more units done.
    fn advance(&self, _n: usize) {}
    /// A note for the user (e.g. a fallback DESeq2 would message about).
    fn note(&self, _message: &str) {}
}

/// A progress sink that ignores everything.
pub struct NoProgress;
impl Progress for NoProgress {}

/// Per-gene model results (absent for all-zero genes).
#[derive(Debug, Clone)]
pub struct GeneResult {
    /// log2-scale coefficients.
    pub beta: Vec<f64>,
    pub se: Vec<f64>,
    pub converged: bool,
    pub iterations: usize,
    pub lrt_stat: f64,
    pub lrt_pvalue: f64,
    pub reduced_converged: bool,
}

/// Dispersion columns (NaN for all-zero genes).
#[derive(Debug, Clone)]
pub struct DispersionTable {
    pub disp_gene_est: Vec<f64>,
    pub disp_gene_iter: Vec<f64>,
    pub disp_fit: Vec<f64>,
    pub dispersion: Vec<f64>,
    pub disp_map: Vec<f64>,
    pub disp_outlier: Vec<bool>,
}

/// Everything `DESeq()` computes.
#[derive(Debug, Clone)]
pub struct Fit {
    pub genes: Vec<String>,
    pub counts: CountMatrix,
    pub design: Design,
    pub reduced_design: Option<Design>,
    pub sample_data: SampleData,
    pub test: Test,
    pub size_factors: Vec<f64>,
    pub base_mean: Vec<f64>,
    pub base_var: Vec<f64>,
    pub all_zero: Vec<bool>,
    pub dispersions: DispersionTable,
    /// Final dispersion per gene (same as `dispersions.dispersion`).
    pub dispersion: Vec<f64>,
    pub trend: Trend,
    pub trend_fell_back: bool,
    pub var_log_disp_ests: f64,
    pub prior_var: f64,
    pub gene_fits: Vec<Option<GeneResult>>,
    /// Per gene, the first sample with the largest Cook's distance of the
    /// original fit (`which.max`), used by `results()`' two-group rule.
    pub cooks_argmax: Vec<usize>,
    pub max_cooks: Vec<f64>,
    /// Genes with a Cook's distance above the cutoff (`replace`).
    pub replaced: Vec<bool>,
    /// Samples whose outliers may be replaced (cells with ≥ 7 replicates).
    pub replaceable: Vec<bool>,
}

/// Runs `DESeq()` on `counts` with the design `formula` over `data`.
pub fn run(
    counts_in: CountMatrix,
    data: &SampleData,
    formula: &Formula,
    opts: &Options,
    progress: &dyn Progress,
) -> Result<Fit, Error> {
    counts_in.validate()?;
    let counts = &counts_in;
    let m = counts.n_samples();
    if data.sample_names.len() != m {
        return Err(Error::Invalid(format!(
            "the sample sheet has {} samples but the count matrix has {m}",
            data.sample_names.len()
        )));
    }
    let design = Design::build(formula, data)?;
    let reduced_design = match (opts.test, &opts.reduced) {
        (Test::Lrt, Some(r)) => {
            let rd = Design::build(r, data)?;
            if rd.n_coef() >= design.n_coef() {
                return Err(Error::Invalid(
                    "the reduced design must have fewer coefficients than the full design".into(),
                ));
            }
            Some(rd)
        }
        (Test::Lrt, None) => {
            return Err(Error::Invalid(
                "the likelihood ratio test needs a reduced design".into(),
            ))
        }
        (Test::Wald, Some(_)) => {
            return Err(Error::Invalid(
                "a reduced design is only used with the LRT".into(),
            ))
        }
        (Test::Wald, None) => None,
    };
    progress.stage("size factors", 1);
    let sf = match opts.sf_type {
        SizeFactorType::Ratio => size_factors::ratio(counts)?,
        SizeFactorType::PosCounts => size_factors::poscounts(counts)?,
        SizeFactorType::Iterate => iterate_size_factors(counts, progress)?,
    };
    progress.advance(1);
    // Constant genes everywhere → error (estimateDispersions).
    let n = counts.n_genes();
    if (0..n).all(|g| {
        let r = counts.row(g);
        r.iter().all(|&v| v == r[0])
    }) {
        return Err(Error::AllGenesConstant);
    }
    if design.n_samples() == design.n_coef() {
        return Err(Error::NoReplicates);
    }
    let state = Engine::new(counts, &design, &sf);
    let gene_idx: Vec<usize> = (0..n).filter(|&g| !state.all_zero[g]).collect();
    let DispersionStage {
        table: disp_table,
        trend,
        fell_back,
        var_log,
        prior_var,
        mu: _,
    } = estimate_dispersions(&state, counts, &gene_idx, opts.fit_type, progress)?;
    let dispersion_final = disp_table.dispersion.clone();
    // GLM fits and tests.
    progress.stage("fitting model and testing", gene_idx.len());
    let (m_, p_) = (design.n_samples(), design.n_coef());
    let cooks_plan = CooksPlan {
        samples_for_cooks: cooks::n_or_more_in_cell(&design, 3),
        replaceable: cooks::n_or_more_in_cell(&design, opts.min_replicates_for_replace),
        cutoff: if m_ > p_ {
            osteon_stats::distributions::qf(0.99, p_ as f64, (m_ - p_) as f64, true, false)
        } else {
            f64::NAN
        },
    };
    let glm = state.fit_and_test(
        &gene_idx,
        counts,
        &dispersion_final,
        reduced_design.as_ref(),
        &cooks_plan,
        progress,
    );
    let mut gene_fits: Vec<Option<GeneResult>> = vec![None; n];
    let mut max_cooks = vec![f64::NAN; n];
    let mut cooks_argmax = vec![0; n];
    let mut cooks_summaries = vec![cooks::CooksSummary::default(); n];
    for (k, (res, summary)) in glm.into_iter().enumerate() {
        let g = gene_idx[k];
        max_cooks[g] = summary.max_cooks;
        cooks_argmax[g] = summary.argmax;
        cooks_summaries[g] = summary;
        gene_fits[g] = Some(res);
    }
    let mut fit = Fit {
        genes: counts.genes.clone(),
        counts: counts_in,
        design: design.clone(),
        reduced_design: reduced_design.clone(),
        sample_data: data.clone(),
        test: opts.test,
        size_factors: sf.clone(),
        base_mean: state.base_mean.clone(),
        base_var: state.base_var.clone(),
        all_zero: state.all_zero.clone(),
        dispersions: disp_table,
        dispersion: dispersion_final,
        trend,
        trend_fell_back: fell_back,
        var_log_disp_ests: var_log,
        prior_var,
        gene_fits,
        cooks_argmax,
        max_cooks,
        replaced: vec![false; n],
        replaceable: vec![false; m],
    };
    if cooks_plan.replaceable.iter().any(|&b| b) {
        refit_without_outliers(&mut fit, &cooks_summaries, &cooks_plan, opts, progress)?;
    }
    Ok(fit)
}

/// What every gene's Cook's distances are summarised against.
pub(crate) struct CooksPlan {
    samples_for_cooks: Vec<bool>,
    replaceable: Vec<bool>,
    cutoff: f64,
}

/// The outcome of `estimateDispersions`.
pub(crate) struct DispersionStage {
    pub table: DispersionTable,
    /// μ used for the gene-wise fits (floored at minmu): one row of samples
    /// per estimated gene, in the order of the genes passed in.
    pub mu: Vec<f64>,
    pub trend: Trend,
    pub fell_back: bool,
    pub var_log: f64,
    pub prior_var: f64,
}

/// `estimateDispersions`: gene-wise → trend → prior variance → MAP.
pub(crate) fn estimate_dispersions(
    state: &Engine,
    counts: &CountMatrix,
    gene_idx: &[usize],
    fit_type: FitType,
    progress: &dyn Progress,
) -> Result<DispersionStage, Error> {
    let n = counts.n_genes();
    let m = counts.n_samples();
    progress.stage("gene-wise dispersions", gene_idx.len());
    let (gene_est, mu_rows) = state.gene_wise(gene_idx, counts, progress);
    let mut disp_gene_est = vec![f64::NAN; n];
    let mut disp_gene_iter = vec![f64::NAN; n];
    for (&g, est) in gene_idx.iter().zip(&gene_est) {
        disp_gene_est[g] = est.disp_gene_est;
        disp_gene_iter[g] = est.iter as f64;
    }
    progress.stage("dispersion trend", 1);
    let bm_nz: Vec<f64> = gene_idx.iter().map(|&g| state.base_mean[g]).collect();
    let ge_nz: Vec<f64> = gene_idx.iter().map(|&g| disp_gene_est[g]).collect();
    let (trend, fell_back) = dispersion::fit_trend(fit_type, &bm_nz, &ge_nz)?;
    if fell_back {
        progress.note(
            "fitType='parametric', but the dispersion trend was not well captured by the function y = a/x + b; a local regression fit was substituted (as DESeq2 does)",
        );
    }
    progress.advance(1);
    let fit_nz: Vec<f64> = bm_nz.iter().map(|&b| trend.eval(b)).collect();
    let mut disp_fit = vec![f64::NAN; n];
    for (k, &g) in gene_idx.iter().enumerate() {
        disp_fit[g] = fit_nz[k];
    }
    let var_log = dispersion::var_log_disp_ests(&ge_nz, &fit_nz);
    let any_above = ge_nz.iter().any(|&d| d >= 100.0 * dispersion::MIN_DISP);
    let p = state.design.n_coef();
    let prior_var = if any_above {
        dispersion::prior_variance(&ge_nz, &fit_nz, var_log, m, p)
    } else {
        0.25
    };
    progress.stage("final dispersions", gene_idx.len());
    let (dispersion_final, disp_map, disp_outlier) = if any_above {
        state.map(
            gene_idx,
            counts,
            &disp_gene_est,
            &disp_fit,
            &mu_rows,
            prior_var,
            var_log,
            progress,
        )
    } else {
        let mut d = vec![f64::NAN; n];
        for &g in gene_idx {
            d[g] = dispersion::MIN_DISP * 10.0;
        }
        (d.clone(), d, vec![false; n])
    };
    Ok(DispersionStage {
        table: DispersionTable {
            disp_gene_est,
            disp_gene_iter,
            disp_fit,
            dispersion: dispersion_final,
            disp_map,
            disp_outlier,
        },
        mu: mu_rows,
        trend,
        fell_back,
        var_log,
        prior_var,
    })
}

/// Per-design state shared by the per-gene stages.
pub(crate) struct Engine<'a> {
    design: &'a Design,
    sf: &'a [f64],
    pub(crate) base_mean: Vec<f64>,
    base_var: Vec<f64>,
    pub(crate) all_zero: Vec<bool>,
    linear_mu: bool,
    /// Thin Q of X (m × p) and X·R⁻¹ (m × p), for `linearModelMu`.
    q_thin: Matrix,
    x_rinv: Matrix,
    xi: f64,
    plan: dispersion::GramPlan,
}

impl<'a> Engine<'a> {
    pub(crate) fn new(counts: &CountMatrix, design: &'a Design, sf: &'a [f64]) -> Self {
        let (base_mean, base_var, all_zero) = base_stats(counts, sf);
        let x = &design.matrix;
        let (m, p) = (x.rows(), x.cols());
        // linearModelMu: (y %*% Q) %*% t(x %*% solve(R)) with R's LINPACK
        // QR (`qr`), LAPACK's triangular solve (`solve`) and BLAS products.
        let mut col_major = Vec::with_capacity(m * p);
        for k in 0..p {
            for i in 0..m {
                col_major.push(x[(i, k)]);
            }
        }
        let qr = osteon_stats::glm_fit::LinpackQr::new(col_major, m, p, 1e-7);
        let q_cm = qr.q_thin();
        let mut q_thin = Matrix::zeros(m, p);
        for k in 0..p {
            for i in 0..m {
                q_thin[(i, k)] = q_cm[k * m + i];
            }
        }
        let rinv = upper_triangular_inverse(&qr.r_upper(), p);
        let x_rinv = x.matmul(&rinv);
        let inv_sf: Vec<f64> = sf.iter().map(|s| 1.0 / s).collect();
        Self {
            design,
            sf,
            base_mean,
            base_var,
            all_zero,
            linear_mu: design.distinct_rows() == p,
            q_thin,
            x_rinv,
            xi: summary::mean(&inv_sf),
            plan: dispersion::GramPlan::new(x),
        }
    }

    /// `linearModelMu` for one gene's normalised counts.
    fn linear_model_mu(&self, q: &[f64]) -> Vec<f64> {
        let (m, p) = (self.q_thin.rows(), self.q_thin.cols());
        let mut yq = vec![0.0; p];
        for k in 0..p {
            let mut s = 0.0;
            for i in 0..m {
                s += q[i] * self.q_thin[(i, k)];
            }
            yq[k] = s;
        }
        (0..m)
            .map(|i| {
                let mut s = 0.0;
                for k in 0..p {
                    s += yq[k] * self.x_rinv[(i, k)];
                }
                s
            })
            .collect()
    }

    /// α₀ = clamp(min(rough, moments)) for gene g.
    fn initial_dispersion(&self, g: usize, q: &[f64]) -> f64 {
        let m = q.len();
        let p = self.design.n_coef();
        let mu_hat = self.linear_model_mu(q);
        let terms: Vec<f64> = q
            .iter()
            .zip(&mu_hat)
            .map(|(&y, &mu)| {
                let mu = mu.max(1.0);
                ((y - mu) * (y - mu) - mu) / (mu * mu)
            })
            .collect();
        let rough = (summary::sum(&terms) / (m - p) as f64).max(0.0);
        let bm = self.base_mean[g];
        let moments = (self.base_var[g] - self.xi * bm) / (bm * bm);
        let max_disp = (m as f64).max(10.0);
        rough.min(moments).max(dispersion::MIN_DISP).min(max_disp)
    }

    fn normalized(&self, y: &[f64]) -> Vec<f64> {
        y.iter().zip(self.sf).map(|(a, s)| a / s).collect()
    }

    /// Gene-wise estimates of `genes`, and the μ they used (floored at
    /// minmu) as a `genes.len()` × samples row-major matrix: row k belongs
    /// to `genes[k]`. Each row is written in place, so μ is held once.
    pub(crate) fn gene_wise(
        &self,
        genes: &[usize],
        counts: &CountMatrix,
        progress: &dyn Progress,
    ) -> (Vec<dispersion::GeneEstimate>, Vec<f64>) {
        let m = counts.n_samples();
        let setup = GlmSetup::new(&self.design.matrix, self.sf);
        let mut mu_rows = vec![0.0; genes.len() * m];
        let estimates = mu_rows
            .par_chunks_mut(m.max(1))
            .zip(genes.par_iter())
            .map(|(mu, &g)| {
                let y = counts.row(g);
                let q = self.normalized(y);
                let alpha0 = self.initial_dispersion(g, &q);
                if self.linear_mu {
                    let fitted = self.linear_model_mu(&q);
                    for ((out, v), s) in mu.iter_mut().zip(fitted).zip(self.sf) {
                        *out = v * s;
                    }
                } else {
                    mu.copy_from_slice(&setup.fit(y, alpha0).mu);
                }
                for v in mu.iter_mut() {
                    *v = v.max(MIN_MU);
                }
                let est = dispersion::gene_estimate(y, mu, &self.design.matrix, &self.plan, alpha0);
                progress.advance(1);
                est
            })
            .collect();
        (estimates, mu_rows)
    }

    /// MAP dispersions of `genes`, given the gene-wise μ of each as
    /// [`Engine::gene_wise`] returns it (row k for `genes[k]`): the final,
    /// the MAP and the outlier flag per gene of `counts`.
    #[allow(clippy::type_complexity)]
    pub(crate) fn map(
        &self,
        genes: &[usize],
        counts: &CountMatrix,
        disp_gene_est: &[f64],
        disp_fit: &[f64],
        mu_rows: &[f64],
        prior_var: f64,
        var_log: f64,
        progress: &dyn Progress,
    ) -> (Vec<f64>, Vec<f64>, Vec<bool>) {
        let n = counts.n_genes();
        let m = counts.n_samples();
        let res: Vec<(f64, bool)> = genes
            .par_iter()
            .zip(mu_rows.par_chunks(m.max(1)))
            .map(|(&g, mu)| {
                let (map, _) = dispersion::map_estimate(
                    counts.row(g),
                    mu,
                    &self.design.matrix,
                    &self.plan,
                    disp_gene_est[g],
                    disp_fit[g],
                    prior_var,
                );
                let outlier = disp_gene_est[g].ln() > disp_fit[g].ln() + 2.0 * var_log.sqrt();
                progress.advance(1);
                (map, outlier)
            })
            .collect();
        let mut final_d = vec![f64::NAN; n];
        let mut map_d = vec![f64::NAN; n];
        let mut out = vec![false; n];
        for (k, &g) in genes.iter().enumerate() {
            let (map, outlier) = res[k];
            map_d[g] = map;
            out[g] = outlier;
            final_d[g] = if outlier { disp_gene_est[g] } else { map };
        }
        (final_d, map_d, out)
    }

    #[allow(clippy::type_complexity)]
    fn fit_and_test(
        &self,
        genes: &[usize],
        counts: &CountMatrix,
        dispersion: &[f64],
        reduced: Option<&Design>,
        cooks_plan: &CooksPlan,
        progress: &dyn Progress,
    ) -> Vec<(GeneResult, cooks::CooksSummary)> {
        let mut setup = GlmSetup::new(&self.design.matrix, self.sf);
        setup.compute_log_like = reduced.is_some();
        let reduced_setup = reduced.map(|d| {
            let mut s = GlmSetup::new(&d.matrix, self.sf);
            s.compute_log_like = true;
            s
        });
        let p = self.design.n_coef();
        let df = reduced.map(|d| (p - d.n_coef()) as f64);
        let robust_moments = cooks::RobustMomentsPlan::new(self.design);
        genes
            .par_iter()
            .map(|&g| {
                let y = counts.row(g);
                let alpha = dispersion[g];
                let fit = setup.fit(y, alpha);
                let (lrt_stat, lrt_pvalue, reduced_converged) = match &reduced_setup {
                    Some(rs) => {
                        let rf = rs.fit(y, alpha);
                        let stat = 2.0 * (fit.log_like - rf.log_like);
                        let pv = pchisq(stat, df.expect("df with reduced"), false, false);
                        (stat, pv, rf.converged)
                    }
                    None => (f64::NAN, f64::NAN, true),
                };
                let q = self.normalized(y);
                let alpha_rob = robust_moments.dispersion(&q);
                let distances = cooks::cooks_distances(y, &fit.mu, &fit.hat, alpha_rob, p);
                let summary = cooks::summarize(
                    &distances,
                    &cooks_plan.samples_for_cooks,
                    &cooks_plan.replaceable,
                    cooks_plan.cutoff,
                    p,
                );
                progress.advance(1);
                (
                    GeneResult {
                        se: fit.se.clone(),
                        converged: fit.converged,
                        iterations: fit.iterations,
                        beta: fit.beta,
                        lrt_stat,
                        lrt_pvalue,
                        reduced_converged,
                    },
                    summary,
                )
            })
            .collect()
    }
}

/// `solve(R)` for an upper-triangular p × p `r` (column-major), as LAPACK's
/// `dgesv` computes it: no row exchanges are needed, and `dtrsm` back-solves
/// each column of the identity from the bottom up.
fn upper_triangular_inverse(r: &[f64], p: usize) -> Matrix {
    let mut inv = Matrix::zeros(p, p);
    for j in 0..p {
        let mut b = vec![0.0; p];
        b[j] = 1.0;
        for k in (0..p).rev() {
            if b[k] != 0.0 {
                b[k] /= r[k * p + k];
                let bk = b[k];
                for i in 0..k {
                    b[i] -= bk * r[k * p + i];
                }
            }
        }
        for i in 0..p {
            inv[(i, j)] = b[i];
        }
    }
    inv
}

/// baseMean (rowMeans of normalised counts), baseVar (rowVars), allZero.
fn base_stats(counts: &CountMatrix, sf: &[f64]) -> (Vec<f64>, Vec<f64>, Vec<bool>) {
    let ((bm, bv), az) = counts
        .counts
        .par_chunks(sf.len().max(1))
        .map_init(
            || vec![0.0; sf.len()],
            |q, y| {
                for (qj, (&yj, &s)) in q.iter_mut().zip(y.iter().zip(sf)) {
                    *qj = yj / s;
                }
                (
                    (summary::row_mean(q), summary::var(q)),
                    y.iter().all(|&v| v == 0.0),
                )
            },
        )
        .unzip();
    (bm, bv, az)
}

/// `refitWithoutOutliers` + `replaceOutliers`.
fn refit_without_outliers(
    fit: &mut Fit,
    cooks_summaries: &[cooks::CooksSummary],
    cooks_plan: &CooksPlan,
    opts: &Options,
    progress: &dyn Progress,
) -> Result<(), Error> {
    let design = fit.design.clone();
    let (m, p) = (design.n_samples(), design.n_coef());
    if m <= p {
        return Ok(());
    }
    let n = fit.genes.len();
    let replaceable = cooks_plan.replaceable.clone();
    let replace: Vec<bool> = (0..n)
        .map(|g| !fit.all_zero[g] && !cooks_summaries[g].above_cutoff.is_empty())
        .collect();
    fit.replaceable = replaceable.clone();
    fit.replaced = replace.clone();
    let replaced_genes: Vec<usize> = (0..n).filter(|&g| replace[g]).collect();
    if replaced_genes.is_empty() {
        return Ok(());
    }
    // The replaced genes' counts (`replaceOutliers`): only these rows change,
    // so only these rows are copied and refitted.
    let sf = fit.size_factors.clone();
    let mut replaced_counts = CountMatrix {
        genes: replaced_genes
            .iter()
            .map(|&g| fit.genes[g].clone())
            .collect(),
        samples: fit.counts.samples.clone(),
        counts: Vec::with_capacity(replaced_genes.len() * m),
    };
    for &g in &replaced_genes {
        let mut row = fit.counts.row(g).to_vec();
        let q: Vec<f64> = row.iter().zip(&sf).map(|(y, s)| y / s).collect();
        let tm = summary::trimmed_mean(&q, 0.2);
        for &j in &cooks_summaries[g].above_cutoff {
            if replaceable[j] {
                // as.integer truncates toward zero
                row[j] = (tm * sf[j]).trunc();
            }
        }
        replaced_counts.counts.extend_from_slice(&row);
    }
    // baseMean etc. from the replaced counts (other genes are unchanged).
    let (bm, bv, az) = base_stats(&replaced_counts, &sf);
    for (k, &g) in replaced_genes.iter().enumerate() {
        fit.base_mean[g] = bm[k];
        fit.base_var[g] = bv[k];
        fit.all_zero[g] = az[k];
    }
    let new_all_zero: Vec<usize> = replaced_genes
        .iter()
        .zip(&az)
        .filter(|(_, &zero)| zero)
        .map(|(&g, _)| g)
        .collect();
    // Rows of `replaced_counts` to refit: those not all zero after replacement.
    let refit: Vec<usize> = (0..replaced_genes.len()).filter(|&k| !az[k]).collect();
    if !refit.is_empty() {
        progress.note(&format!(
            "replacing outliers and refitting for {} genes (minReplicatesForReplace = {})",
            replaced_genes.len(),
            opts.min_replicates_for_replace
        ));
        let engine = Engine::new(&replaced_counts, &design, &sf);
        progress.stage("refitting genes with replaced outliers", refit.len());
        let (est, mu_rows) = engine.gene_wise(&refit, &replaced_counts, progress);
        let n_replaced = replaced_genes.len();
        let mut gene_est = vec![f64::NAN; n_replaced];
        let mut trend_fit = vec![f64::NAN; n_replaced];
        for (&k, e) in refit.iter().zip(&est) {
            let g = replaced_genes[k];
            gene_est[k] = e.disp_gene_est;
            fit.dispersions.disp_gene_iter[g] = e.iter as f64;
            trend_fit[k] = fit.trend.eval(fit.base_mean[g]);
        }
        let (fin, map, out) = engine.map(
            &refit,
            &replaced_counts,
            &gene_est,
            &trend_fit,
            &mu_rows,
            fit.prior_var,
            fit.var_log_disp_ests,
            progress,
        );
        for &k in &refit {
            let g = replaced_genes[k];
            fit.dispersions.disp_gene_est[g] = gene_est[k];
            fit.dispersions.disp_fit[g] = trend_fit[k];
            fit.dispersions.disp_map[g] = map[k];
            fit.dispersions.disp_outlier[g] = out[k];
            fit.dispersions.dispersion[g] = fin[k];
            fit.dispersion[g] = fin[k];
        }
        let glm = engine.fit_and_test(
            &refit,
            &replaced_counts,
            &fin,
            fit.reduced_design.as_ref(),
            cooks_plan,
            progress,
        );
        for (&k, (res, _)) in refit.iter().zip(glm) {
            fit.gene_fits[replaced_genes[k]] = Some(res);
        }
    }
    for &g in &new_all_zero {
        fit.gene_fits[g] = None;
    }
    // maxCooks from the original Cook's with replaceable samples zeroed.
    if replaceable.iter().all(|&b| b) {
        fit.max_cooks = vec![f64::NAN; n];
    } else {
        for g in 0..n {
            if !fit.all_zero[g] || replace[g] {
                fit.max_cooks[g] = cooks_summaries[g].max_cooks_masked;
            }
        }
    }
    Ok(())
}

/// DESeq2's `estimateSizeFactorsIterate`: alternates a `fitType = "mean"`
/// dispersion fit of the intercept-only model with an L-BFGS-B maximisation
/// of the NB likelihood over ln s (genes above the 5% likelihood quantile).
fn iterate_size_factors(counts: &CountMatrix, progress: &dyn Progress) -> Result<Vec<f64>, Error> {
    use osteon_stats::lbfgsb::{optim_lbfgsb, LbfgsbOptions};
    let m = counts.n_samples();
    let intercept = Formula::parse("~ 1")?;
    let data = SampleData {
        sample_names: counts.samples.clone(),
        variables: Vec::new(),
    };
    let design = Design::build(&intercept, &data)?;
    let idx: Vec<usize> = (0..counts.n_genes())
        .filter(|&g| counts.row(g).iter().any(|&v| v > 0.0))
        .collect();
    let mut sf = vec![1.0; m];
    for i in 1..=10 {
        let state = Engine::new(counts, &design, &sf);
        let genes: Vec<usize> = idx.clone();
        let disp = estimate_dispersions(&state, counts, &genes, FitType::Mean, progress)?;
        // q = mu / sf for the used genes
        let q: Vec<Vec<f64>> = disp
            .mu
            .chunks(m)
            .map(|mu| mu.iter().zip(&sf).map(|(v, s)| v / s).collect())
            .collect();
        let disps: Vec<f64> = idx.iter().map(|&g| disp.table.dispersion[g]).collect();
        let sf_old = sf.clone();
        let objective = |par: &[f64]| -> f64 {
            let mp = summary::mean(par);
            let s: Vec<f64> = par.iter().map(|p| (p - mp).exp()).collect();
            let mut gene_ll = Vec::with_capacity(idx.len());
            let mut terms = vec![0.0; m];
            for (k, &g) in idx.iter().enumerate() {
                let y = counts.row(g);
                for j in 0..m {
                    terms[j] = osteon_stats::distributions::dnbinom_mu(
                        y[j],
                        1.0 / disps[k],
                        q[k][j] * s[j],
                        true,
                    );
                }
                gene_ll.push(summary::sum(&terms));
            }
            let mut sorted = gene_ll.clone();
            sorted.sort_by(|a, b| a.total_cmp(b));
            let cut = summary::quantile7(&sorted, 0.05);
            let kept: Vec<f64> = gene_ll.into_iter().filter(|&v| v > cut).collect();
            -summary::sum(&kept)
        };
        let start: Vec<f64> = sf_old.iter().map(|s| s.ln()).collect();
        let res = optim_lbfgsb(objective, &start, &[], &[], &LbfgsbOptions::default());
        if res.convergence != 0 {
            return Err(Error::Invalid(
                "iterative size factor normalization did not converge within an iteration".into(),
            ));
        }
        let mp = summary::mean(&res.par);
        sf = res.par.iter().map(|p| (p - mp).exp()).collect();
        let change: f64 = sf_old
            .iter()
            .zip(&sf)
            .map(|(a, b)| (a.ln() - b.ln()).powi(2))
            .sum();
        if i > 1 && change < 1e-4 {
            break;
        } else if i == 10 {
            return Err(Error::Invalid(
                "iterative size factor normalization did not converge".into(),
            ));
        }
    }
    Ok(sf)
}
