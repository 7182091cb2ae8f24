//! Survival analysis and competing risks, reproducing R's `survival` 3.5.3
//! and `cmprsk` 2.2.11 number for number.
//!
//! | function | method | reference implementation |
//! |---|---|---|
//! | [`kaplan_meier`] | Kaplan–Meier survival, Nelson–Aalen cumulative hazard, Greenwood variance, pointwise CIs, medians and quantiles | `survfit()` → `survfitKM` / C `survfitkm`, `survfit_confint`, `print.survfit` (`survmean`), `quantile.survfit` |
//! | [`log_rank`] | G-rho family log-rank test (Harrington & Fleming 1982), optionally stratified; test for trend | `survdiff()` / C `survdiff2` |
//! | [`cox_ph`] | Cox proportional hazards by Newton–Raphson with step halving, Efron or Breslow ties, strata; Wald, score and likelihood-ratio tests | `coxph()` → `coxph.fit` / C `coxfit6`, `cholesky2`, `chsolve2`, `chinv2`, `coxph.wtest` |
//! | [`cumulative_incidence`] | Aalen–Johansen cumulative incidence with infinitesimal-jackknife standard errors | `survfit(Surv(time, factor(status)) ~ g)` → `survfitCI` / C `survfitci` |
//! | [`gray_test`] | Gray's (1988) K-sample test for cumulative incidence | `cmprsk::cuminc` / Fortran `crstm` |
//!
//! Times that differ only by floating-point noise are merged first, as
//! `survival` does with `aeqSurv` (`timefix = TRUE`), see [`timefix`].
//! Inputs are plain slices (times, event indicators, group codes, covariate
//! columns); reading and validating files is the caller's job. Invalid input
//! is a [`SurvivalError`]; numerical trouble (a Cox fit that does not
//! converge, a singular variance) is reported in the result.

mod aalen_johansen;
mod confint;
mod cox;
mod gray;
mod kaplan_meier;
mod linalg;
mod log_rank;
mod timefix;

pub use aalen_johansen::{cumulative_incidence, CifCurve, CifOptions};
pub use confint::{confidence_limits, ConfType};
pub use cox::{cox_ph, Covariate, CoxFit, CoxOptions, Design, GlobalTest, Ties};
pub use gray::{gray_test, GrayTest};
pub use kaplan_meier::{
    kaplan_meier, numbers_at_risk, step_path, KmCurve, KmOptions, MedianSurvival, Quantiles,
};
pub use log_rank::{log_rank, LogRank, LogRankOptions, TrendTest};
pub use timefix::timefix;

/// Observations split into groups: `codes[i]` is the index into `labels` of
/// observation `i`. Labels are shown in results as they are given (R's
/// `survfit` strata read `sex=F`; the caller chooses).
#[derive(Debug, Clone, PartialEq)]
pub struct Grouping {
    /// One label per group, in the order results are reported.
    pub labels: Vec<String>,
    /// The group of each observation (`0..labels.len()`).
    pub codes: Vec<usize>,
}

impl Grouping {
    /// All `n` observations in one group called `label`.
    pub fn single(label: &str, n: usize) -> Grouping {
        Grouping {
            labels: vec![label.to_string()],
            codes: vec![0; n],
        }
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no groups.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Observation indices of each group, in observation order.
    pub fn members(&self) -> Vec<Vec<usize>> {
        let mut out = vec![Vec::new(); self.labels.len()];
        for (i, &c) in self.codes.iter().enumerate() {
            out[c].push(i);
        }
        out
    }

    fn check(&self, n: usize, what: &'static str) -> Result<(), SurvivalError> {
        if self.codes.len() != n {
            return Err(SurvivalError::LengthMismatch {
                what,
                expected: n,
                found: self.codes.len(),
            });
        }
        if let Some((index, &code)) = self
            .codes
            .iter()
            .enumerate()
            .find(|(_, &c)| c >= self.labels.len())
        {
            return Err(SurvivalError::GroupCode {
                what,
                index,
                code,
                n_groups: self.labels.len(),
            });
        }
        Ok(())
    }
}

/// Invalid input to a survival computation. Observation indices are 0-based
/// positions in the slices handed in; the caller maps them to file lines.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SurvivalError {
    /// There is nothing to analyse.
    #[error("no observations to analyse")]
    Empty,
    /// Two inputs that describe the same observations differ in length.
    #[error("{what} has {found} values but there are {expected} observations")]
    LengthMismatch {
        what: &'static str,
        expected: usize,
        found: usize,
    },
    /// A time is NaN or infinite.
    #[error("observation {index}: time {value} is not a finite number")]
    NonFiniteTime { index: usize, value: f64 },
    /// A time is below zero.
    #[error("observation {index}: time {value} is negative; survival times must be ≥ 0")]
    NegativeTime { index: usize, value: f64 },
    /// A group (or stratum) code points past the list of labels.
    #[error("{what}: observation {index} has code {code} but there are only {n_groups} groups")]
    GroupCode {
        what: &'static str,
        index: usize,
        code: usize,
        n_groups: usize,
    },
    /// A test needs observations in at least two groups.
    #[error("{test} needs at least two groups with observations (found {found})")]
    TooFewGroups { test: &'static str, found: usize },
    /// A covariate value is NaN or infinite.
    #[error("covariate {name}: observation {index} has the non-finite value {value}")]
    NonFiniteCovariate {
        name: String,
        index: usize,
        value: f64,
    },
    /// A factor level code points past its list of levels.
    #[error("factor {name}: observation {index} has level code {code} but there are only {n_levels} levels")]
    FactorCode {
        name: String,
        index: usize,
        code: usize,
        n_levels: usize,
    },
    /// A factor has a single level among the analysed observations.
    #[error("factor {name} has only one level ({level}) among the analysed observations; it cannot be estimated")]
    OneLevelFactor { name: String, level: String },
    /// The Cox model has no covariates.
    #[error("the Cox model needs at least one covariate")]
    NoCovariates,
    /// The competing-risks status names a state code 0 (censoring) as a cause.
    #[error("cause {cause} is not an event code (status codes are 0 for censored and 1..={n_causes} for the causes)")]
    UnknownCause { cause: usize, n_causes: usize },
    /// A competing-risks status is above the declared number of causes.
    #[error("observation {index}: status {status} is above the number of causes ({n_causes})")]
    StatusOutOfRange {
        index: usize,
        status: usize,
        n_causes: usize,
    },
    /// A confidence level outside (0, 1).
    #[error("confidence level {0} must be between 0 and 1")]
    ConfLevel(f64),
    /// The G-rho exponent is not a finite number.
    #[error("rho {0} must be a finite number")]
    Rho(f64),
}

/// Checks times (finite, ≥ 0) and the length of a companion slice.
fn check_times(time: &[f64], other_len: usize, what: &'static str) -> Result<(), SurvivalError> {
    if time.is_empty() {
        return Err(SurvivalError::Empty);
    }
    if other_len != time.len() {
        return Err(SurvivalError::LengthMismatch {
            what,
            expected: time.len(),
            found: other_len,
        });
    }
    for (index, &value) in time.iter().enumerate() {
        if !value.is_finite() {
            return Err(SurvivalError::NonFiniteTime { index, value });
        }
        if value < 0.0 {
            return Err(SurvivalError::NegativeTime { index, value });
        }
    }
    Ok(())
}

/// Checks a confidence level (strictly between 0 and 1).
fn check_level(level: f64) -> Result<(), SurvivalError> {
    if level > 0.0 && level < 1.0 {
        Ok(())
    } else {
        Err(SurvivalError::ConfLevel(level))
    }
}

/// Checks competing-risk status codes (0 = censored, 1..=n_causes).
fn check_status(status: &[usize], n_causes: usize) -> Result<(), SurvivalError> {
    match status.iter().enumerate().find(|(_, &s)| s > n_causes) {
        Some((index, &s)) => Err(SurvivalError::StatusOutOfRange {
            index,
            status: s,
            n_causes,
        }),
        None => Ok(()),
    }
}

/// The times a computation works on: near-ties merged (`aeqSurv`) when
/// `fix` is set.
fn working_times(time: &[f64], fix: bool) -> Vec<f64> {
    if fix {
        timefix(time)
    } else {
        time.to_vec()
    }
}

/// Splits times and a companion column by group: (label, times, values) per
/// group, in group order, observations in their original order.
fn split_by_group<'a, T: Copy>(
    groups: &'a Grouping,
    time: &'a [f64],
    values: &'a [T],
) -> impl Iterator<Item = (&'a str, Vec<f64>, Vec<T>)> + 'a {
    groups
        .members()
        .into_iter()
        .zip(&groups.labels)
        .map(move |(members, label)| {
            (
                label.as_str(),
                members.iter().map(|&i| time[i]).collect(),
                members.iter().map(|&i| values[i]).collect(),
            )
        })
}

/// R's `order(x)` for doubles without NaN: indices sorted by value, ties in
/// original order (stable).
fn order(x: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    idx
}

/// The 12-observation example with tied event and censoring times used by
/// the unit tests (also the `tiny` golden case of the CLI tests):
/// `d <- data.frame(t = c(1,2,2,3,4,4,5,6,6,7,8,9), s = c(1,1,0,1,1,1,0,1,1,0,1,1),
///  g = c(1,2,1,3,1,2,3,2,3,1,3,2), x = c(0.5,1.2,-0.3,2.1,0.8,1.1,0.0,1.9,2.5,-1.0,1.4,0.7),
///  cs = c(1,2,0,1,1,2,0,2,1,0,1,2))`.
#[cfg(test)]
mod fixtures {
    pub const TIME: [f64; 12] = [1.0, 2.0, 2.0, 3.0, 4.0, 4.0, 5.0, 6.0, 6.0, 7.0, 8.0, 9.0];
    pub const EVENT: [bool; 12] = [
        true, true, false, true, true, true, false, true, true, false, true, true,
    ];
    /// `g - 1`.
    pub const GROUP: [usize; 12] = [0, 1, 0, 2, 0, 1, 2, 1, 2, 0, 2, 1];
    pub const X: [f64; 12] = [0.5, 1.2, -0.3, 2.1, 0.8, 1.1, 0.0, 1.9, 2.5, -1.0, 1.4, 0.7];
    /// Competing causes `cs`.
    pub const STATUS: [usize; 12] = [1, 2, 0, 1, 1, 2, 0, 2, 1, 0, 1, 2];

    /// Relative difference (0 when equal).
    pub fn rel(a: f64, b: f64) -> f64 {
        if a == b {
            0.0
        } else {
            (a - b).abs() / b.abs()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_checks_codes_and_lengths() {
        let g = Grouping {
            labels: vec!["a".into(), "b".into()],
            codes: vec![0, 1, 2],
        };
        assert!(matches!(
            g.check(3, "group"),
            Err(SurvivalError::GroupCode {
                index: 2,
                code: 2,
                ..
            })
        ));
        assert!(matches!(
            g.check(2, "group"),
            Err(SurvivalError::LengthMismatch { .. })
        ));
        assert_eq!(Grouping::single("all", 2).members(), vec![vec![0, 1]]);
    }

    #[test]
    fn times_must_be_finite_and_non_negative() {
        assert_eq!(check_times(&[], 0, "status"), Err(SurvivalError::Empty));
        assert!(matches!(
            check_times(&[1.0, -2.0], 2, "status"),
            Err(SurvivalError::NegativeTime { index: 1, .. })
        ));
        assert!(matches!(
            check_times(&[f64::NAN], 1, "status"),
            Err(SurvivalError::NonFiniteTime { index: 0, .. })
        ));
        assert!(matches!(
            check_times(&[1.0], 2, "status"),
            Err(SurvivalError::LengthMismatch { found: 2, .. })
        ));
    }

    #[test]
    fn order_is_stable() {
        assert_eq!(order(&[3.0, 1.0, 3.0, 0.5]), vec![3, 1, 0, 2]);
    }
}
