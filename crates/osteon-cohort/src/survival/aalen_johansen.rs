//! Cumulative incidence of competing events by the Aalen–Johansen
//! estimator (Aalen & Johansen 1978), with the infinitesimal-jackknife
//! standard error, as R `survival` 3.5.3 computes it for
//! `survfit(Surv(time, factor(status)) ~ group)`: `survfitCI` → `docurve2`
//! → C routine `survfitci`, then `survfit_confint(logse = FALSE)`.
//!
//! Every subject starts in the event-free state; status 0 is censoring and
//! status k ≥ 1 a move to absorbing state k. At each distinct time with
//! `n` event-free subjects at risk and `d_k` events of cause k, the
//! transition matrix `H` has `H[0][k] = d_k/n` and `H[0][0] = 1 − Σ d_k/n`,
//! and the state probabilities update as `p ← p H`, so the cumulative
//! incidence of cause k is `Σ S(t−) d_k/n` with `S` the all-cause
//! Kaplan–Meier. Each subject's influence row is carried along (`U ← U H`,
//! plus the derivative of `H` for subjects at risk); the standard error is
//! the square root of the summed squared influences. R's default interval
//! for these curves is `conf.type = "log"` on the probability scale (the
//! standard error divided by the probability).

use super::confint::{confidence_limits, ConfType};
use super::kaplan_meier::step_path;
use super::{
    check_level, check_status, check_times, order, split_by_group, working_times, Grouping,
    SurvivalError,
};

/// Options of [`cumulative_incidence`]; defaults are `survfit`'s.
#[derive(Debug, Clone, PartialEq)]
pub struct CifOptions {
    /// Confidence interval transformation (`"log"` for multi-state curves).
    pub conf_type: ConfType,
    /// Confidence level (0.95).
    pub conf_level: f64,
    /// Merge near-equal times first (`timefix = TRUE`).
    pub timefix: bool,
}

impl Default for CifOptions {
    fn default() -> Self {
        CifOptions {
            conf_type: ConfType::Log,
            conf_level: 0.95,
            timefix: true,
        }
    }
}

/// Aalen–Johansen curves of one group: the event-free probability and the
/// cumulative incidence of every cause, at each distinct time (event or
/// censoring), as the rows of a multi-state `survfit` object.
#[derive(Debug, Clone, PartialEq)]
pub struct CifCurve {
    /// The group label.
    pub label: String,
    /// Number of observations.
    pub n: usize,
    /// Distinct times, increasing.
    pub time: Vec<f64>,
    /// Number still event-free and under observation just before each time.
    pub n_risk: Vec<usize>,
    /// Number censored at each time.
    pub n_censor: Vec<usize>,
    /// Events by cause: `n_event[k - 1][t]` for cause k.
    pub n_event: Vec<Vec<usize>>,
    /// Probability of being event-free (the all-cause Kaplan–Meier).
    pub event_free: Vec<f64>,
    /// Its infinitesimal-jackknife standard error.
    pub event_free_std_err: Vec<f64>,
    /// Cumulative incidence by cause: `cif[k - 1][t]`.
    pub cif: Vec<Vec<f64>>,
    /// Standard error of each cumulative incidence.
    pub std_err: Vec<Vec<f64>>,
    /// Lower confidence limits.
    pub lower: Vec<Vec<f64>>,
    /// Upper confidence limits.
    pub upper: Vec<Vec<f64>>,
    /// The transformation the limits use.
    pub conf_type: ConfType,
    /// The confidence level of the limits.
    pub conf_level: f64,
}

impl CifCurve {
    /// Vertices of the cumulative-incidence step function of cause `cause`
    /// (1-based) from `(0, 0)`, for drawing.
    pub fn step_path(&self, cause: usize) -> (Vec<f64>, Vec<f64>) {
        step_path(0.0, 0.0, &self.time, &self.cif[cause - 1])
    }
}

/// Aalen–Johansen cumulative incidence per group. `status[i]` is 0 for a
/// censored observation and `k` in `1..=n_causes` for an event of cause k.
///
/// ```
/// use osteon_cohort::survival::{cumulative_incidence, CifOptions, Grouping};
/// let time = [1.0, 2.0, 3.0, 4.0];
/// let status = [1, 2, 0, 1];
/// let fit = cumulative_incidence(&time, &status, 2, &Grouping::single("all", 4), &CifOptions::default())?;
/// assert_eq!(fit[0].cif[0], [0.25, 0.25, 0.25, 0.75]);
/// assert_eq!(fit[0].cif[1], [0.0, 0.25, 0.25, 0.25]);
/// # Ok::<(), osteon_cohort::survival::SurvivalError>(())
/// ```
pub fn cumulative_incidence(
    time: &[f64],
    status: &[usize],
    n_causes: usize,
    groups: &Grouping,
    options: &CifOptions,
) -> Result<Vec<CifCurve>, SurvivalError> {
    check_times(time, status.len(), "status")?;
    groups.check(time.len(), "group")?;
    check_status(status, n_causes)?;
    check_level(options.conf_level)?;
    let time = working_times(time, options.timefix);
    Ok(split_by_group(groups, &time, status)
        .map(|(label, t, s)| aalen_johansen(label, &t, &s, n_causes, options))
        .collect())
}

/// One group's curves (`survfitci` with unit weights, one row per subject,
/// everyone starting event-free, standard errors without the influence of
/// the initial state, as `docurve2` with `influence = FALSE`). The C code's
/// dense state-by-state products are done on the nonzero entries only:
/// the terms left out are exact zeros, so the sums are the same.
fn aalen_johansen(
    label: &str,
    etime: &[f64],
    status: &[usize],
    n_causes: usize,
    options: &CifOptions,
) -> CifCurve {
    let nstate = n_causes + 1;
    let nperson = etime.len();
    let sort2 = order(etime);
    let mut curve = CifCurve {
        label: label.to_string(),
        n: nperson,
        time: Vec::new(),
        n_risk: Vec::new(),
        n_censor: Vec::new(),
        n_event: vec![Vec::new(); n_causes],
        event_free: Vec::new(),
        event_free_std_err: Vec::new(),
        cif: vec![Vec::new(); n_causes],
        std_err: vec![Vec::new(); n_causes],
        lower: vec![Vec::new(); n_causes],
        upper: vec![Vec::new(); n_causes],
        conf_type: options.conf_type,
        conf_level: options.conf_level,
    };
    if nperson == 0 {
        return curve;
    }
    let mut p = vec![0.0f64; nstate];
    p[0] = 1.0;
    // Everyone enters before the first time (entry = min(0, t) − 1), in the
    // event-free state 0; nobody leaves an absorbing state, so only row 0 of
    // the transition matrix H ever differs from the identity.
    let mut n_at_risk = nperson;
    let mut w_at_risk = nperson as f64;
    let mut dstate = vec![0usize; nperson];
    let mut atrisk = vec![true; nperson];
    // Influence rows, person-major: umat[j * nstate + k].
    let mut umat = vec![0.0f64; nperson * nstate];
    let mut h0 = vec![0.0f64; nstate];
    let mut nev = vec![0usize; nstate];
    let mut std = vec![0.0f64; nstate];
    let mut dh = vec![0.0f64; nstate];

    let mut i = 0usize;
    while i < nperson {
        let ctime = etime[sort2[i]];
        h0.iter_mut().for_each(|h| *h = 0.0);
        nev.iter_mut().for_each(|v| *v = 0);
        let mut ncensor = 0usize;
        let mut wevent = 0.0f64;
        for &k in &sort2[i..] {
            if etime[k] != ctime {
                break;
            }
            if status[k] > 0 {
                dstate[k] = status[k];
                nev[status[k]] += 1;
                wevent += 1.0;
                h0[status[k]] += 1.0;
            } else {
                ncensor += 1;
            }
        }
        if wevent > 0.0 {
            // Row 0 of H: events / number at risk, diagonal 1 − Σ events / n.
            let mut temp = 0.0f64;
            for h in h0.iter_mut() {
                temp += *h;
                *h /= w_at_risk;
            }
            h0[0] = 1.0 - temp / w_at_risk;
            // One pass over the subjects, in survfitci's order of operations
            // for each: U ← U H (with H the identity outside row 0 this is
            // u0 ← u0 H00 and uk ← u0 H0k + uk, exactly as the full product,
            // whose other terms add exact zeros), then for subjects at risk
            // the derivative of H, then the squares for the standard errors
            // (summed over subjects in order, as survfitci does).
            let step = p[0] / w_at_risk;
            for (k, d) in dh.iter_mut().enumerate() {
                *d = h0[k] * p[0] / w_at_risk;
            }
            std.iter_mut().for_each(|s| *s = 0.0);
            for (j, row) in umat.chunks_exact_mut(nstate).enumerate() {
                let u0 = row[0];
                row[0] = u0 * h0[0];
                for k in 1..nstate {
                    row[k] += u0 * h0[k];
                }
                // Branch-free: for subjects not at risk the terms are exact
                // zeros, which leave the row as it is.
                let at_risk = f64::from(u8::from(atrisk[j]));
                for k in 0..nstate {
                    row[k] -= dh[k] * at_risk;
                }
                row[dstate[j]] += step * at_risk;
                for (s, u) in std.iter_mut().zip(row.iter()) {
                    *s += u * u;
                }
            }
            std.iter_mut().for_each(|s| *s = s.sqrt());
            // p ← p H (states other than 0 keep their probability).
            let p0 = p[0];
            p[0] = p0 * h0[0];
            for k in 1..nstate {
                p[k] += p0 * h0[k];
            }
        }
        curve.time.push(ctime);
        curve.n_risk.push(n_at_risk);
        curve.n_censor.push(ncensor);
        curve.event_free.push(p[0]);
        curve.event_free_std_err.push(std[0]);
        for cause in 1..nstate {
            curve.n_event[cause - 1].push(nev[cause]);
            curve.cif[cause - 1].push(p[cause]);
            curve.std_err[cause - 1].push(std[cause]);
            let (lo, hi) = confidence_limits(
                p[cause],
                std[cause],
                false,
                options.conf_type,
                options.conf_level,
            );
            curve.lower[cause - 1].push(lo);
            curve.upper[cause - 1].push(hi);
        }
        while i < nperson {
            let j = sort2[i];
            if etime[j] != ctime {
                break;
            }
            n_at_risk -= 1;
            w_at_risk -= 1.0;
            atrisk[j] = false;
            i += 1;
        }
    }
    curve
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::survival::fixtures::{rel, STATUS, TIME};

    #[test]
    fn matches_survfit_multistate() {
        // f <- survfit(Surv(t, factor(cs)) ~ 1, d)
        // sprintf('%.17g', f$pstate[, 2]); sprintf('%.17g', f$std.err[, 2])
        let fit = cumulative_incidence(
            &TIME,
            &STATUS,
            2,
            &Grouping::single("all", 12),
            &CifOptions::default(),
        )
        .unwrap()
        .remove(0);
        assert_eq!(fit.time, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
        assert_eq!(fit.n_risk, [12, 11, 9, 8, 6, 5, 3, 2, 1]);
        assert_eq!(fit.n_event[0], [1, 0, 1, 1, 0, 1, 0, 1, 0]);
        let cif1: [f64; 9] = [
            0.083333333333333329,
            0.083333333333333329,
            0.1759259259259259,
            0.26851851851851849,
            0.26851851851851849,
            0.37962962962962959,
            0.37962962962962959,
            0.54629629629629628,
            0.54629629629629628,
        ];
        let se1: [f64; 9] = [
            0.079785592313028189,
            0.079785592313028189,
            0.11332877757862443,
            0.13304760479809008,
            0.13304760479809008,
            0.15178942056981837,
            0.15178942056981837,
            0.17251540379944966,
            0.17251540379944966,
        ];
        for t in 0..9 {
            assert!(
                rel(fit.cif[0][t], cif1[t]) < 1e-14,
                "cif {t}: {}",
                fit.cif[0][t]
            );
            assert!(
                rel(fit.std_err[0][t], se1[t]) < 1e-13,
                "se {t}: {}",
                fit.std_err[0][t]
            );
        }
        // The probabilities add up to one.
        for t in 0..9 {
            let total = fit.event_free[t] + fit.cif[0][t] + fit.cif[1][t];
            assert!((total - 1.0).abs() < 1e-15);
        }
        // f$lower[, 2], f$upper[, 2] at the last time
        assert!(
            rel(fit.lower[0][8], 0.29418907949793116) < 1e-13,
            "{}",
            fit.lower[0][8]
        );
        assert!(rel(fit.upper[0][8], 1.0) < 1e-13, "{}", fit.upper[0][8]);
    }

    #[test]
    fn status_above_the_causes_is_an_error() {
        assert!(matches!(
            cumulative_incidence(
                &[1.0, 2.0],
                &[1, 3],
                2,
                &Grouping::single("all", 2),
                &CifOptions::default()
            ),
            Err(SurvivalError::StatusOutOfRange {
                index: 1,
                status: 3,
                ..
            })
        ));
    }
}
