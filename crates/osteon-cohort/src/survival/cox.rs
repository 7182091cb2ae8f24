//! Cox proportional-hazards regression (Cox 1972) as R `survival` 3.5.3's
//! `coxph()` fits right-censored data: `coxph.fit` and its C routine
//! `coxfit6`, ported step by step.
//!
//! - Covariates are centred and scaled first (columns whose values are all
//!   in {−1, 0, 1}, such as factor dummies, are left alone: `nocenter`).
//! - The partial likelihood handles tied event times by Efron's (default) or
//!   Breslow's approximation, within strata.
//! - Newton–Raphson from β = 0: the step is the solution of `I Δ = U` by
//!   the `cholesky2`/`chsolve2` routines (pivots below `toler.chol` × the
//!   largest diagonal mark a redundant column, whose coefficient becomes
//!   NaN, R's `NA`); when the log-likelihood decreases the step is halved
//!   towards the previous β (with growing weight); iteration stops when
//!   `|1 − ℓ_old/ℓ_new| ≤ eps` (1e-9) or after `iter.max` (20) iterations,
//!   keeping R's exact update order so that coefficients agree to rounding.
//! - Tests as `summary.coxph`: likelihood ratio `2(ℓ(β̂) − ℓ(0))`, Wald
//!   `β̂' V⁻¹ β̂` (`coxph.wtest`) and score `U(0)' I(0)⁻¹ U(0)`, each χ² on
//!   the number of estimated coefficients; per coefficient `z = β̂/se`,
//!   `p = P(χ²₁ > z²)` and `exp(β̂ ∓ z_{α/2} se)` limits.
//!
//! Factors are coded as R's `model.matrix` does with treatment contrasts:
//! one 0/1 column per non-reference level, named variable + level (`sexM`).

use super::confint::z_value;
use super::linalg::{chinv2, cholesky2, chsolve2};
use super::{check_level, check_times, working_times, Grouping, SurvivalError};
use osteon_stats::distributions::pchisq;

/// How tied event times enter the partial likelihood (`ties =`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Ties {
    /// Efron's approximation, `coxph`'s default.
    #[default]
    Efron,
    /// Breslow's approximation.
    Breslow,
}

impl Ties {
    /// The name R uses.
    pub fn r_name(self) -> &'static str {
        match self {
            Ties::Efron => "efron",
            Ties::Breslow => "breslow",
        }
    }
}

/// Options of [`cox_ph`]; defaults are `coxph.control()`'s.
#[derive(Debug, Clone, PartialEq)]
pub struct CoxOptions {
    /// Tie handling.
    pub ties: Ties,
    /// Maximum Newton–Raphson iterations (`iter.max`, 20).
    pub max_iter: usize,
    /// Convergence tolerance on the relative log-likelihood change (`eps`, 1e-9).
    pub eps: f64,
    /// Cholesky singularity tolerance (`toler.chol`, `.Machine$double.eps^0.75`).
    pub toler_chol: f64,
    /// Threshold of the "coefficient may be infinite" check (`toler.inf`, `sqrt(eps)`).
    pub toler_inf: f64,
    /// Level of the hazard-ratio confidence intervals (0.95).
    pub conf_level: f64,
    /// Merge near-equal times first (`timefix = TRUE`).
    pub timefix: bool,
}

impl Default for CoxOptions {
    fn default() -> Self {
        CoxOptions {
            ties: Ties::Efron,
            max_iter: 20,
            eps: 1e-9,
            toler_chol: f64::EPSILON.powf(0.75),
            toler_inf: 1e-9f64.sqrt(),
            conf_level: 0.95,
            timefix: true,
        }
    }
}

/// A covariate of the model, as a column of the data.
#[derive(Debug, Clone, PartialEq)]
pub enum Covariate {
    /// A numeric covariate (one column, named as the variable).
    Numeric { name: String, values: Vec<f64> },
    /// A factor: `codes[i]` indexes `levels`; the first level is the
    /// reference (treatment contrasts), the others get columns
    /// `name + level`.
    Factor {
        name: String,
        levels: Vec<String>,
        codes: Vec<usize>,
    },
}

impl Covariate {
    /// The variable name.
    pub fn name(&self) -> &str {
        match self {
            Covariate::Numeric { name, .. } | Covariate::Factor { name, .. } => name,
        }
    }
}

/// A model matrix: named columns over the observations.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    /// Column names (R's coefficient names).
    pub names: Vec<String>,
    /// Columns, each of length n.
    pub columns: Vec<Vec<f64>>,
    /// For each column, the index of the covariate it comes from.
    pub assign: Vec<usize>,
}

impl Design {
    /// Builds the model matrix of `~ a + b + …` without intercept, as
    /// `model.matrix` does for `coxph` (treatment contrasts).
    ///
    /// ```
    /// use osteon_cohort::survival::{Covariate, Design};
    /// let sex = Covariate::Factor { name: "sex".into(), levels: vec!["F".into(), "M".into()], codes: vec![0, 1, 1] };
    /// let age = Covariate::Numeric { name: "age".into(), values: vec![60.0, 70.0, 80.0] };
    /// let x = Design::from_covariates(&[age, sex], 3)?;
    /// assert_eq!(x.names, ["age", "sexM"]);
    /// assert_eq!(x.columns[1], [0.0, 1.0, 1.0]);
    /// # Ok::<(), osteon_cohort::survival::SurvivalError>(())
    /// ```
    pub fn from_covariates(covariates: &[Covariate], n: usize) -> Result<Design, SurvivalError> {
        if covariates.is_empty() {
            return Err(SurvivalError::NoCovariates);
        }
        let mut design = Design {
            names: Vec::new(),
            columns: Vec::new(),
            assign: Vec::new(),
        };
        for (term, covariate) in covariates.iter().enumerate() {
            match covariate {
                Covariate::Numeric { name, values } => {
                    if values.len() != n {
                        return Err(SurvivalError::LengthMismatch {
                            what: "covariate",
                            expected: n,
                            found: values.len(),
                        });
                    }
                    if let Some((index, &value)) =
                        values.iter().enumerate().find(|(_, v)| !v.is_finite())
                    {
                        return Err(SurvivalError::NonFiniteCovariate {
                            name: name.clone(),
                            index,
                            value,
                        });
                    }
                    design.names.push(name.clone());
                    design.columns.push(values.clone());
                    design.assign.push(term);
                }
                Covariate::Factor {
                    name,
                    levels,
                    codes,
                } => {
                    if codes.len() != n {
                        return Err(SurvivalError::LengthMismatch {
                            what: "factor",
                            expected: n,
                            found: codes.len(),
                        });
                    }
                    if let Some((index, &code)) =
                        codes.iter().enumerate().find(|(_, &c)| c >= levels.len())
                    {
                        return Err(SurvivalError::FactorCode {
                            name: name.clone(),
                            index,
                            code,
                            n_levels: levels.len(),
                        });
                    }
                    if levels.len() < 2 {
                        return Err(SurvivalError::OneLevelFactor {
                            name: name.clone(),
                            level: levels.first().cloned().unwrap_or_default(),
                        });
                    }
                    for (l, level) in levels.iter().enumerate().skip(1) {
                        design.names.push(format!("{name}{level}"));
                        design
                            .columns
                            .push(codes.iter().map(|&c| f64::from(u8::from(c == l))).collect());
                        design.assign.push(term);
                    }
                }
            }
        }
        Ok(design)
    }
}

/// A global test of the model: statistic, degrees of freedom, p-value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GlobalTest {
    /// The χ² statistic.
    pub statistic: f64,
    /// Degrees of freedom (number of estimated coefficients).
    pub df: f64,
    /// Upper-tail χ² p-value.
    pub p_value: f64,
}

impl GlobalTest {
    fn new(statistic: f64, df: f64) -> Self {
        GlobalTest {
            statistic,
            df,
            p_value: pchisq(statistic, df, false, false),
        }
    }
}

/// A fitted Cox model (`coxph` object plus `summary.coxph` columns).
#[derive(Debug, Clone, PartialEq)]
pub struct CoxFit {
    /// Coefficient names (`sexM`, `age`).
    pub terms: Vec<String>,
    /// Estimated coefficients (log hazard ratios; NaN for redundant columns).
    pub coef: Vec<f64>,
    /// Hazard ratios `exp(coef)`.
    pub hazard_ratio: Vec<f64>,
    /// Standard errors.
    pub se: Vec<f64>,
    /// Wald z statistics.
    pub z: Vec<f64>,
    /// Two-sided p-values, `pchisq(z², 1, lower.tail = FALSE)`.
    pub p_value: Vec<f64>,
    /// Lower confidence limits of the hazard ratios.
    pub lower: Vec<f64>,
    /// Upper confidence limits of the hazard ratios.
    pub upper: Vec<f64>,
    /// Variance matrix of the coefficients, row-major `p × p`.
    pub variance: Vec<f64>,
    /// Column means used for centring (0 for columns not centred).
    pub means: Vec<f64>,
    /// Log partial likelihood at β = 0 and at the estimate.
    pub loglik: [f64; 2],
    /// Likelihood-ratio test.
    pub likelihood_ratio: GlobalTest,
    /// Wald test.
    pub wald: GlobalTest,
    /// Score (log-rank) test.
    pub score: GlobalTest,
    /// Newton–Raphson iterations used.
    pub iterations: usize,
    /// Whether the iteration converged within `max_iter`.
    pub converged: bool,
    /// Observations used.
    pub n: usize,
    /// Events.
    pub n_event: usize,
    /// Tie handling used.
    pub ties: Ties,
    /// Confidence level of the limits.
    pub conf_level: f64,
    /// Warnings R would print (non-convergence, infinite coefficients,
    /// singular design).
    pub warnings: Vec<String>,
}

/// The working state of `coxfit6`: sorted data and accumulators.
struct CoxWork {
    time: Vec<f64>,
    status: Vec<bool>,
    /// 1 marks the last observation of a stratum in sorted order.
    strata_end: Vec<bool>,
    /// Centred and scaled covariates, `covar[i][person]`.
    covar: Vec<Vec<f64>>,
    efron: bool,
    u: Vec<f64>,
    imat: Vec<Vec<f64>>,
    a: Vec<f64>,
    a2: Vec<f64>,
    cmat: Vec<Vec<f64>>,
    cmat2: Vec<Vec<f64>>,
}

impl CoxWork {
    /// `coxfit6_iter`: log partial likelihood at `beta`, leaving the score in
    /// `u` and the information matrix (upper triangle) in `imat`.
    fn iterate(&mut self, beta: &[f64]) -> f64 {
        let nvar = beta.len();
        let nused = self.time.len();
        for i in 0..nvar {
            self.u[i] = 0.0;
            self.a2[i] = 0.0;
            for j in 0..nvar {
                self.imat[i][j] = 0.0;
                self.cmat2[i][j] = 0.0;
            }
        }
        let mut loglik = 0.0f64;
        let mut denom = 0.0f64;
        let mut person = nused as isize - 1;
        while person >= 0 {
            let p = person as usize;
            if self.strata_end[p] {
                denom = 0.0;
                for i in 0..nvar {
                    self.a[i] = 0.0;
                    for j in 0..nvar {
                        self.cmat[i][j] = 0.0;
                    }
                }
            }
            let dtime = self.time[p];
            let mut ndead = 0usize;
            let mut deadwt = 0.0f64;
            let mut denom2 = 0.0f64;
            while person >= 0 && self.time[person as usize] == dtime {
                let p = person as usize;
                let mut zbeta = 0.0f64;
                for i in 0..nvar {
                    zbeta += beta[i] * self.covar[i][p];
                }
                let risk = zbeta.exp();
                if !self.status[p] {
                    denom += risk;
                    for i in 0..nvar {
                        self.a[i] += risk * self.covar[i][p];
                        for j in 0..=i {
                            self.cmat[i][j] += risk * self.covar[i][p] * self.covar[j][p];
                        }
                    }
                } else {
                    ndead += 1;
                    deadwt += 1.0;
                    denom2 += risk;
                    loglik += zbeta;
                    for i in 0..nvar {
                        self.u[i] += self.covar[i][p];
                        self.a2[i] += risk * self.covar[i][p];
                        for j in 0..=i {
                            self.cmat2[i][j] += risk * self.covar[i][p] * self.covar[j][p];
                        }
                    }
                }
                person -= 1;
                if person >= 0 && self.strata_end[person as usize] {
                    break;
                }
            }
            if ndead > 0 {
                if !self.efron || ndead == 1 {
                    denom += denom2;
                    loglik -= deadwt * denom.ln();
                    for i in 0..nvar {
                        self.a[i] += self.a2[i];
                        let temp2 = self.a[i] / denom;
                        self.u[i] -= deadwt * temp2;
                        for j in 0..=i {
                            self.cmat[i][j] += self.cmat2[i][j];
                            self.imat[j][i] +=
                                deadwt * (self.cmat[i][j] - temp2 * self.a[j]) / denom;
                        }
                    }
                } else {
                    let nd = ndead as f64;
                    let wtave = deadwt / nd;
                    for _ in 0..ndead {
                        denom += denom2 / nd;
                        loglik -= wtave * denom.ln();
                        for i in 0..nvar {
                            self.a[i] += self.a2[i] / nd;
                            let temp2 = self.a[i] / denom;
                            self.u[i] -= wtave * temp2;
                            for j in 0..=i {
                                self.cmat[i][j] += self.cmat2[i][j] / nd;
                                self.imat[j][i] +=
                                    wtave * (self.cmat[i][j] - temp2 * self.a[j]) / denom;
                            }
                        }
                    }
                }
                for i in 0..nvar {
                    self.a2[i] = 0.0;
                    for j in 0..nvar {
                        self.cmat2[i][j] = 0.0;
                    }
                }
            }
        }
        loglik
    }
}

/// Fits `coxph(Surv(time, event) ~ x1 + x2 + … [+ strata(s)], ties = …)`.
///
/// ```
/// use osteon_cohort::survival::{cox_ph, CoxOptions, Covariate, Design};
/// let time = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
/// let event = [true, true, false, true, true, true];
/// let x = Covariate::Numeric { name: "x".into(), values: vec![2.0, 1.0, 0.5, 1.5, 0.0, 0.2] };
/// let fit = cox_ph(&time, &event, &Design::from_covariates(&[x], 6)?, None, &CoxOptions::default())?;
/// assert!(fit.converged && fit.coef[0] > 0.0);
/// # Ok::<(), osteon_cohort::survival::SurvivalError>(())
/// ```
pub fn cox_ph(
    time: &[f64],
    event: &[bool],
    design: &Design,
    strata: Option<&Grouping>,
    options: &CoxOptions,
) -> Result<CoxFit, SurvivalError> {
    check_times(time, event.len(), "event")?;
    let n = time.len();
    let nvar = design.columns.len();
    if nvar == 0 {
        return Err(SurvivalError::NoCovariates);
    }
    for (name, column) in design.names.iter().zip(&design.columns) {
        if column.len() != n {
            return Err(SurvivalError::LengthMismatch {
                what: "design column",
                expected: n,
                found: column.len(),
            });
        }
        if let Some((index, &value)) = column.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(SurvivalError::NonFiniteCovariate {
                name: name.clone(),
                index,
                value,
            });
        }
    }
    if let Some(s) = strata {
        s.check(n, "strata")?;
    }
    check_level(options.conf_level)?;
    let time = working_times(time, options.timefix);

    // sorted <- order(strata, time); newstrat marks the last of each stratum.
    let mut sorted: Vec<usize> = (0..n).collect();
    match strata {
        Some(s) => sorted.sort_by(|&a, &b| {
            s.codes[a]
                .cmp(&s.codes[b])
                .then(time[a].total_cmp(&time[b]))
        }),
        None => sorted.sort_by(|&a, &b| time[a].total_cmp(&time[b])),
    }
    let mut strata_end = vec![false; n];
    if let Some(s) = strata {
        for k in 0..n.saturating_sub(1) {
            strata_end[k] = s.codes[sorted[k]] != s.codes[sorted[k + 1]];
        }
    }
    strata_end[n - 1] = true;

    // Centre and scale (coxfit6), except columns within {-1, 0, 1}.
    let total_weight = n as f64;
    let mut means = vec![0.0f64; nvar];
    let mut scale = vec![1.0f64; nvar];
    let mut covar: Vec<Vec<f64>> = design
        .columns
        .iter()
        .map(|c| sorted.iter().map(|&i| c[i]).collect())
        .collect();
    for (i, column) in covar.iter_mut().enumerate() {
        let zero_one = column.iter().all(|&v| v == -1.0 || v == 0.0 || v == 1.0);
        if zero_one {
            continue;
        }
        let mut temp = 0.0f64;
        for &v in column.iter() {
            temp += v;
        }
        temp /= total_weight;
        means[i] = temp;
        for v in column.iter_mut() {
            *v -= temp;
        }
        let mut abs_sum = 0.0f64;
        for &v in column.iter() {
            abs_sum += v.abs();
        }
        let s = if abs_sum > 0.0 {
            total_weight / abs_sum
        } else {
            1.0
        };
        scale[i] = s;
        for v in column.iter_mut() {
            *v *= s;
        }
    }

    let mut work = CoxWork {
        time: sorted.iter().map(|&i| time[i]).collect(),
        status: sorted.iter().map(|&i| event[i]).collect(),
        strata_end,
        covar,
        efron: options.ties == Ties::Efron,
        u: vec![0.0; nvar],
        imat: vec![vec![0.0; nvar]; nvar],
        a: vec![0.0; nvar],
        a2: vec![0.0; nvar],
        cmat: vec![vec![0.0; nvar]; nvar],
        cmat2: vec![vec![0.0; nvar]; nvar],
    };

    let mut beta = vec![0.0f64; nvar];
    let mut newbeta = vec![0.0f64; nvar];
    let mut loglik = [0.0f64; 2];
    loglik[0] = work.iterate(&beta);
    loglik[1] = loglik[0];
    let mut step = work.u.clone();
    let mut flag = cholesky2(&mut work.imat, options.toler_chol);
    chsolve2(&work.imat, &mut step);
    let mut sctest = 0.0f64;
    for i in 0..nvar {
        sctest += work.u[i] * step[i];
    }

    let mut iterations = 0usize;
    let mut converged = false;
    let finish_scaling = |work: &mut CoxWork, beta_out: &mut [f64], beta_src: &[f64]| {
        for i in 0..nvar {
            beta_out[i] = beta_src[i] * scale[i];
            work.u[i] /= scale[i];
            work.imat[i][i] *= scale[i] * scale[i];
            for j in 0..i {
                work.imat[j][i] *= scale[i] * scale[j];
                work.imat[i][j] = work.imat[j][i];
            }
        }
    };
    if options.max_iter == 0 || !loglik[0].is_finite() {
        chinv2(&mut work.imat);
        let b = beta.clone();
        finish_scaling(&mut work, &mut beta, &b);
        converged = true;
    } else {
        for i in 0..nvar {
            newbeta[i] = beta[i] + step[i];
        }
        let mut halving = 0.0f64;
        let mut done = false;
        iterations = 1;
        while iterations <= options.max_iter {
            let newlk = work.iterate(&newbeta);
            flag = cholesky2(&mut work.imat, options.toler_chol);
            let mut notfinite = false;
            for i in 0..nvar {
                if !work.u[i].is_finite() {
                    notfinite = true;
                }
                for j in 0..nvar {
                    if !work.imat[i][j].is_finite() {
                        notfinite = true;
                    }
                }
            }
            if !newlk.is_finite() {
                notfinite = true;
            }
            if !notfinite && (1.0 - loglik[1] / newlk).abs() <= options.eps {
                loglik[1] = newlk;
                chinv2(&mut work.imat);
                let nb = newbeta.clone();
                finish_scaling(&mut work, &mut beta, &nb);
                done = true;
                break;
            }
            if notfinite || newlk < loglik[1] {
                halving += 1.0;
                for i in 0..nvar {
                    newbeta[i] = (newbeta[i] + halving * beta[i]) / (halving + 1.0);
                }
            } else {
                halving = 0.0;
                loglik[1] = newlk;
                let mut u = work.u.clone();
                chsolve2(&work.imat, &mut u);
                work.u.copy_from_slice(&u);
                beta.copy_from_slice(&newbeta);
                for (nb, step) in newbeta.iter_mut().zip(&work.u) {
                    *nb += step;
                }
            }
            iterations += 1;
        }
        if done {
            converged = true;
        } else {
            // R reports iter.max + 1 here. It also recomputes the
            // information at the last accepted β but inverts it without
            // factoring it first (`coxfit6`), which gives a meaningless
            // variance; the matrix is factored here, so that a
            // non-converged fit still has usable standard errors.
            iterations = options.max_iter + 1;
            if options.max_iter > 1 {
                loglik[1] = work.iterate(&beta);
                cholesky2(&mut work.imat, options.toler_chol);
            }
            chinv2(&mut work.imat);
            let b = beta.clone();
            finish_scaling(&mut work, &mut beta, &b);
            flag = 1000;
        }
    }

    let mut warnings = Vec::new();
    let variance: Vec<f64> = (0..nvar)
        .flat_map(|i| (0..nvar).map(move |j| (i, j)))
        .map(|(i, j)| {
            if i <= j {
                work.imat[i][j]
            } else {
                work.imat[j][i]
            }
        })
        .collect();
    let which_sing: Vec<bool> = if flag < nvar as i64 {
        (0..nvar).map(|i| variance[i * nvar + i] == 0.0).collect()
    } else {
        vec![false; nvar]
    };
    if flag == 1000 {
        warnings.push("Ran out of iterations and did not converge".to_string());
    } else if options.max_iter > 1 {
        let infs: Vec<f64> = (0..nvar)
            .map(|j| {
                (0..nvar)
                    .map(|i| work.u[i] * variance[i * nvar + j])
                    .sum::<f64>()
                    .abs()
            })
            .collect();
        let flagged: Vec<String> = (0..nvar)
            .filter(|&j| {
                !work.u[j].is_finite()
                    || (infs[j] > options.eps && infs[j] > options.toler_inf * beta[j].abs())
            })
            .map(|j| (j + 1).to_string())
            .collect();
        if !flagged.is_empty() {
            warnings.push(format!(
                "Loglik converged before variable {}; coefficient may be infinite.",
                flagged.join(",")
            ));
        }
    }
    let mut coef = beta;
    for (c, &s) in coef.iter_mut().zip(&which_sing) {
        if s {
            *c = f64::NAN;
        }
    }
    if which_sing.iter().any(|&s| s) {
        let vars: Vec<String> = (0..nvar)
            .filter(|&i| which_sing[i])
            .map(|i| (i + 1).to_string())
            .collect();
        warnings.push(format!(
            "X matrix deemed to be singular; variable {}",
            vars.join(" ")
        ));
    }

    // Wald test on the estimated coefficients (coxph.wtest).
    let keep: Vec<usize> = (0..nvar).filter(|&i| !which_sing[i]).collect();
    let df = keep.len() as f64;
    let wald_stat = {
        let m = keep.len();
        let mut v: Vec<Vec<f64>> = keep
            .iter()
            .map(|&i| keep.iter().map(|&j| variance[i * nvar + j]).collect())
            .collect();
        let b: Vec<f64> = keep.iter().map(|&i| coef[i]).collect();
        if m == 1 {
            b[0] * b[0] / v[0][0]
        } else {
            cholesky2(&mut v, options.toler_chol);
            let mut solve = b.clone();
            chsolve2(&v, &mut solve);
            let mut s = 0.0;
            for j in 0..m {
                s += b[j] * solve[j];
            }
            s
        }
    };
    let logtest = -2.0 * (loglik[0] - loglik[1]);
    let zq = z_value(options.conf_level);
    let se: Vec<f64> = (0..nvar)
        .map(|i| {
            if which_sing[i] {
                f64::NAN
            } else {
                variance[i * nvar + i].sqrt()
            }
        })
        .collect();
    let z: Vec<f64> = coef.iter().zip(&se).map(|(b, s)| b / s).collect();
    Ok(CoxFit {
        terms: design.names.clone(),
        hazard_ratio: coef.iter().map(|b| b.exp()).collect(),
        p_value: z.iter().map(|z| pchisq(z * z, 1.0, false, false)).collect(),
        lower: coef
            .iter()
            .zip(&se)
            .map(|(b, s)| (b - zq * s).exp())
            .collect(),
        upper: coef
            .iter()
            .zip(&se)
            .map(|(b, s)| (b + zq * s).exp())
            .collect(),
        coef,
        se,
        z,
        variance,
        means,
        loglik,
        likelihood_ratio: GlobalTest::new(logtest, df),
        wald: GlobalTest::new(wald_stat, df),
        score: GlobalTest::new(sctest, df),
        iterations,
        converged,
        n,
        n_event: event.iter().filter(|&&e| e).count(),
        ties: options.ties,
        conf_level: options.conf_level,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::survival::fixtures::{rel, EVENT, GROUP, TIME, X};

    fn design() -> Design {
        Design::from_covariates(
            &[
                Covariate::Numeric {
                    name: "x".into(),
                    values: X.to_vec(),
                },
                Covariate::Factor {
                    name: "g".into(),
                    levels: vec!["1".into(), "2".into(), "3".into()],
                    codes: GROUP.to_vec(),
                },
            ],
            12,
        )
        .unwrap()
    }

    #[test]
    fn efron_fit_matches_coxph() {
        // f <- coxph(Surv(t, s) ~ x + factor(g), d)
        // sprintf('%.17g', c(coef(f), sqrt(diag(f$var)), f$loglik, f$score, f$wald.test))
        let f = cox_ph(&TIME, &EVENT, &design(), None, &CoxOptions::default()).unwrap();
        assert_eq!(f.terms, ["x", "g2", "g3"]);
        let coef = [1.3801133618065633, -2.0249332936508377, -2.8679057415162132];
        let se = [0.71526799355571591, 1.2744846063650375, 1.6179175482118895];
        for i in 0..3 {
            assert!(rel(f.coef[i], coef[i]) < 1e-10, "coef {i}: {}", f.coef[i]);
            assert!(rel(f.se[i], se[i]) < 1e-10, "se {i}: {}", f.se[i]);
        }
        assert!(
            rel(f.loglik[0], -14.794257644771676) < 1e-13,
            "{}",
            f.loglik[0]
        );
        assert!(
            rel(f.loglik[1], -12.17214614780683) < 1e-12,
            "{}",
            f.loglik[1]
        );
        assert!(
            rel(f.score.statistic, 4.5564944460560808) < 1e-12,
            "{}",
            f.score.statistic
        );
        assert!(
            rel(f.wald.statistic, 3.9372798545688994) < 1e-10,
            "{}",
            f.wald.statistic
        );
        assert_eq!(f.iterations, 5);
        assert!(f.converged);
    }

    #[test]
    fn breslow_fit_matches_coxph() {
        // coxph(Surv(t, s) ~ x + factor(g), d, ties = "breslow")
        let options = CoxOptions {
            ties: Ties::Breslow,
            ..CoxOptions::default()
        };
        let f = cox_ph(&TIME, &EVENT, &design(), None, &options).unwrap();
        let coef = [1.2669661228478106, -1.8383550505769406, -2.5943918596362074];
        for i in 0..3 {
            assert!(rel(f.coef[i], coef[i]) < 1e-10, "coef {i}: {}", f.coef[i]);
        }
        assert!(
            rel(f.loglik[1], -12.901599862127433) < 1e-12,
            "{}",
            f.loglik[1]
        );
    }

    #[test]
    fn stratified_fit_matches_coxph() {
        // coxph(Surv(t, s) ~ x + strata(st), d) with st = rep(1:2, 6)
        let strata = Grouping {
            labels: vec!["1".into(), "2".into()],
            codes: (0..12).map(|i| i % 2).collect(),
        };
        let x = Design::from_covariates(
            &[Covariate::Numeric {
                name: "x".into(),
                values: X.to_vec(),
            }],
            12,
        )
        .unwrap();
        let f = cox_ph(&TIME, &EVENT, &x, Some(&strata), &CoxOptions::default()).unwrap();
        assert!(rel(f.coef[0], 0.49972484060397293) < 1e-10, "{}", f.coef[0]);
        assert!(rel(f.se[0], 0.44426159440749996) < 1e-10, "{}", f.se[0]);
    }

    #[test]
    fn non_converged_fit_is_flagged_and_keeps_r_coefficients() {
        // coxph(Surv(t, s) ~ x + factor(g), d, control = coxph.control(iter.max = 1))
        let one = CoxOptions {
            max_iter: 1,
            ..CoxOptions::default()
        };
        let f = cox_ph(&TIME, &EVENT, &design(), None, &one).unwrap();
        assert!(!f.converged);
        assert_eq!(f.iterations, 2);
        assert!(f.warnings[0].contains("did not converge"));
        let coef = [1.0577607020974398, -1.820952751071754, -2.2790858727148731];
        let var = [0.39356769312781198, 1.5399529831825238, 2.2757413537525504];
        for i in 0..3 {
            assert!(rel(f.coef[i], coef[i]) < 1e-12, "coef {i}: {}", f.coef[i]);
            assert!(rel(f.variance[i * 3 + i], var[i]) < 1e-12, "var {i}");
        }
        assert!(rel(f.loglik[1], -12.311844524073301) < 1e-13);
        // iter.max = 2: R's coefficients and log-likelihood; R's variance is
        // not reproduced (see the comment in cox_ph), ours is positive.
        let two = CoxOptions {
            max_iter: 2,
            ..CoxOptions::default()
        };
        let f = cox_ph(&TIME, &EVENT, &design(), None, &two).unwrap();
        assert_eq!(f.iterations, 3);
        let coef = [1.3394066295561993, -1.9851767896846801, -2.8048221789751797];
        for i in 0..3 {
            assert!(rel(f.coef[i], coef[i]) < 1e-12, "coef {i}: {}", f.coef[i]);
            assert!(f.se[i] > 0.0);
        }
        assert!(rel(f.loglik[1], -12.17384161038856) < 1e-13);
    }

    #[test]
    fn redundant_column_gets_nan_and_a_warning() {
        let x = Design {
            names: vec!["x".into(), "x2".into()],
            columns: vec![X.to_vec(), X.iter().map(|v| 2.0 * v).collect()],
            assign: vec![0, 1],
        };
        let f = cox_ph(&TIME, &EVENT, &x, None, &CoxOptions::default()).unwrap();
        assert!(f.coef[1].is_nan() && f.se[1].is_nan());
        assert!(f.coef[0].is_finite());
        assert_eq!(f.likelihood_ratio.df, 1.0);
        assert!(f.warnings.iter().any(|w| w.contains("singular")));
    }

    #[test]
    fn one_level_factor_and_non_finite_values_are_errors() {
        let one = Covariate::Factor {
            name: "sex".into(),
            levels: vec!["F".into()],
            codes: vec![0, 0],
        };
        assert!(matches!(
            Design::from_covariates(&[one], 2),
            Err(SurvivalError::OneLevelFactor { .. })
        ));
        let inf = Covariate::Numeric {
            name: "age".into(),
            values: vec![1.0, f64::INFINITY],
        };
        assert!(matches!(
            Design::from_covariates(&[inf], 2),
            Err(SurvivalError::NonFiniteCovariate { index: 1, .. })
        ));
        assert!(matches!(
            Design::from_covariates(&[], 2),
            Err(SurvivalError::NoCovariates)
        ));
    }
}
