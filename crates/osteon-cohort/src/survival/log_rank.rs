//! The log-rank test and its G-rho generalisation (Harrington & Fleming
//! 1982), optionally stratified, as R `survival` 3.5.3's `survdiff()`
//! computes it (C routine `survdiff2`), plus the test for trend across
//! ordered groups.
//!
//! At each event time within a stratum, with `n` at risk (`n_k` in group
//! `k`) and `d` events, the weight is `w = S(t−)^ρ` (the pooled left-
//! continuous Kaplan–Meier of the stratum; `w = 1` for ρ = 0, the log-rank
//! test), and
//! `E_k += w d n_k / n`,
//! `V_kl += w² d (n − d) / (n (n − 1)) · n_k (δ_kl − n_l / n)`.
//! The statistic is `(O − E)' V⁻ (O − E)` over all but the first group with
//! a positive expectation, on (groups − 1) degrees of freedom.
//!
//! Trend test: with scores `s_k` (1, 2, …, k by default, the groups taken in
//! their given order), `U = Σ s_k (O_k − E_k)` and `Var U = s' V s`;
//! `U² / Var U` is χ² on 1 degree of freedom (Collett, *Modelling Survival
//! Data in Medical Research*, 3rd ed., §2.6.4).

use super::linalg::solve_lu;
use super::{check_times, working_times, Grouping, SurvivalError};
use osteon_stats::distributions::pchisq;
use osteon_stats::summary::sum;

/// Options of [`log_rank`].
#[derive(Debug, Clone, PartialEq)]
pub struct LogRankOptions {
    /// The G-rho exponent (`rho`; 0 = log-rank, 1 = Peto–Peto modification
    /// of the Gehan–Wilcoxon test).
    pub rho: f64,
    /// Also test for a trend over the groups in their order.
    pub trend: bool,
    /// Scores for the trend test (default 1, 2, …, k), one per group.
    pub trend_scores: Option<Vec<f64>>,
    /// Merge near-equal times first (`timefix = TRUE`).
    pub timefix: bool,
}

impl Default for LogRankOptions {
    fn default() -> Self {
        LogRankOptions {
            rho: 0.0,
            trend: false,
            trend_scores: None,
            timefix: true,
        }
    }
}

/// The test for trend across ordered groups.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendTest {
    /// The group scores used.
    pub scores: Vec<f64>,
    /// `U = Σ s_k (O_k − E_k)`.
    pub u: f64,
    /// `Var U = s' V s`.
    pub variance: f64,
    /// `U² / Var U`.
    pub chisq: f64,
    /// Always 1.
    pub df: f64,
    /// Upper-tail χ² p-value.
    pub p_value: f64,
}

/// Result of [`log_rank`] (the contents of a `survdiff` object).
#[derive(Debug, Clone, PartialEq)]
pub struct LogRank {
    /// Group labels (groups with observations, in the given order).
    pub groups: Vec<String>,
    /// Observations per group.
    pub n: Vec<usize>,
    /// Observed (weighted) events per group, summed over strata.
    pub observed: Vec<f64>,
    /// Expected (weighted) events per group, summed over strata.
    pub expected: Vec<f64>,
    /// Variance–covariance matrix of O − E, row-major `k × k`.
    pub variance: Vec<f64>,
    /// The χ² statistic (NaN when the variance matrix is singular).
    pub chisq: f64,
    /// Degrees of freedom: groups with positive expectation − 1.
    pub df: f64,
    /// Upper-tail χ² p-value.
    pub p_value: f64,
    /// The G-rho exponent used.
    pub rho: f64,
    /// Number of strata.
    pub n_strata: usize,
    /// The trend test, when asked for.
    pub trend: Option<TrendTest>,
}

impl LogRank {
    /// `(O − E)² / E` per group, as `print.survdiff` shows.
    pub fn chisq_by_expected(&self) -> Vec<f64> {
        self.observed
            .iter()
            .zip(&self.expected)
            .map(|(o, e)| (o - e) * (o - e) / e)
            .collect()
    }

    /// `(O − E)² / V` per group, as `print.survdiff` shows.
    pub fn chisq_by_variance(&self) -> Vec<f64> {
        let k = self.groups.len();
        (0..k)
            .map(|i| {
                let d = self.observed[i] - self.expected[i];
                d * d / self.variance[i * k + i]
            })
            .collect()
    }
}

/// `survdiff(Surv(time, event) ~ group [+ strata(s)], rho = rho)`.
///
/// ```
/// use osteon_cohort::survival::{log_rank, Grouping, LogRankOptions};
/// let groups = Grouping { labels: vec!["a".into(), "b".into()], codes: vec![0, 0, 1, 1] };
/// let test = log_rank(&[1.0, 2.0, 3.0, 4.0], &[true; 4], &groups, None, &LogRankOptions::default())?;
/// // survdiff(Surv(c(1, 2, 3, 4), rep(1, 4)) ~ c(1, 1, 2, 2))$chisq
/// assert!((test.chisq - 2.8823529411764697).abs() < 1e-14);
/// # Ok::<(), osteon_cohort::survival::SurvivalError>(())
/// ```
pub fn log_rank(
    time: &[f64],
    event: &[bool],
    groups: &Grouping,
    strata: Option<&Grouping>,
    options: &LogRankOptions,
) -> Result<LogRank, SurvivalError> {
    check_times(time, event.len(), "event")?;
    groups.check(time.len(), "group")?;
    if let Some(s) = strata {
        s.check(time.len(), "strata")?;
    }
    if !options.rho.is_finite() {
        return Err(SurvivalError::Rho(options.rho));
    }
    let n = time.len();
    let time = working_times(time, options.timefix);
    // Groups present, renumbered in label order (as.numeric(factor)).
    let mut counts = vec![0usize; groups.len()];
    for &c in &groups.codes {
        counts[c] += 1;
    }
    let present: Vec<usize> = (0..groups.len()).filter(|&g| counts[g] > 0).collect();
    if present.len() < 2 {
        return Err(SurvivalError::TooFewGroups {
            test: "the log-rank test",
            found: present.len(),
        });
    }
    let mut renumber = vec![usize::MAX; groups.len()];
    for (new, &old) in present.iter().enumerate() {
        renumber[old] = new;
    }
    let ngroup = present.len();
    let group: Vec<usize> = groups.codes.iter().map(|&c| renumber[c]).collect();
    let (stratum, n_strata) = match strata {
        Some(s) => {
            let mut used = vec![false; s.len()];
            for &c in &s.codes {
                used[c] = true;
            }
            let mut map = vec![usize::MAX; s.len()];
            let mut k = 0;
            for (old, &u) in used.iter().enumerate() {
                if u {
                    map[old] = k;
                    k += 1;
                }
            }
            (s.codes.iter().map(|&c| map[c]).collect::<Vec<_>>(), k)
        }
        None => (vec![0usize; n], 1),
    };

    // order(strat, time, -status), stable.
    let mut ord: Vec<usize> = (0..n).collect();
    ord.sort_by(|&a, &b| {
        stratum[a]
            .cmp(&stratum[b])
            .then(time[a].total_cmp(&time[b]))
            .then(event[b].cmp(&event[a]))
    });
    let st: Vec<f64> = ord.iter().map(|&i| time[i]).collect();
    let status: Vec<f64> = ord.iter().map(|&i| f64::from(u8::from(event[i]))).collect();
    let grp: Vec<usize> = ord.iter().map(|&i| group[i]).collect();
    let strat_sorted: Vec<usize> = ord.iter().map(|&i| stratum[i]).collect();

    let mut obs = vec![0.0f64; ngroup * n_strata];
    let mut exp = vec![0.0f64; ngroup * n_strata];
    let mut var = vec![0.0f64; ngroup * ngroup];
    let mut kaplan = vec![0.0f64; n];
    let rho = options.rho;
    let mut istart = 0usize;
    let mut koff = 0usize;
    while istart < n {
        let mut risk = vec![0.0f64; ngroup];
        let mut end = istart;
        while end + 1 < n && strat_sorted[end + 1] == strat_sorted[istart] {
            end += 1;
        }
        let stop = end + 1;
        if rho != 0.0 {
            let mut km = 1.0f64;
            let mut i = istart;
            while i < stop {
                kaplan[i] = km;
                let nrisk = (stop - i) as f64;
                let mut deaths = status[i];
                let mut j = i + 1;
                while j < stop && st[j] == st[i] {
                    kaplan[j] = km;
                    deaths += status[j];
                    j += 1;
                }
                km = km * (nrisk - deaths) / nrisk;
                i = j;
            }
        }
        let mut i = stop;
        while i > istart {
            let last = i - 1;
            let mut wt = if rho == 0.0 {
                1.0
            } else {
                kaplan[last].powf(rho)
            };
            let mut deaths = 0.0f64;
            let mut j = last as isize;
            while j >= istart as isize && st[j as usize] == st[last] {
                let ju = j as usize;
                let k = grp[ju];
                deaths += status[ju];
                risk[k] += 1.0;
                obs[k + koff] += status[ju] * wt;
                j -= 1;
            }
            let first = (j + 1) as usize;
            let nrisk = (stop - first) as f64;
            if deaths > 0.0 {
                for k in 0..ngroup {
                    exp[k + koff] += wt * deaths * risk[k] / nrisk;
                }
                if nrisk != 1.0 {
                    wt *= wt;
                    let mut kk = 0;
                    for j in 0..ngroup {
                        let tmp =
                            wt * deaths * risk[j] * (nrisk - deaths) / (nrisk * (nrisk - 1.0));
                        var[kk + j] += tmp;
                        for k in 0..ngroup {
                            var[kk] -= tmp * risk[k] / nrisk;
                            kk += 1;
                        }
                    }
                }
            }
            i = first;
        }
        istart = stop;
        koff += ngroup;
    }

    // Sum over strata (apply(observed, 1, sum) uses R's long double sum).
    let collapse = |m: &[f64]| -> Vec<f64> {
        if n_strata == 1 {
            m.to_vec()
        } else {
            (0..ngroup)
                .map(|g| sum(&(0..n_strata).map(|s| m[g + s * ngroup]).collect::<Vec<_>>()))
                .collect()
        }
    };
    let observed = collapse(&obs);
    let expected = collapse(&exp);
    // var is symmetric; the C code stores it column-major, equal to row-major.
    let used: Vec<usize> = (0..ngroup).filter(|&g| expected[g] > 0.0).collect();
    let df = used.len() as f64 - 1.0;
    let chisq = if used.len() < 2 {
        0.0
    } else {
        let keep = &used[1..];
        let m = keep.len();
        let diff: Vec<f64> = keep.iter().map(|&g| observed[g] - expected[g]).collect();
        let mut a = vec![0.0; m * m];
        for (r, &gr) in keep.iter().enumerate() {
            for (c, &gc) in keep.iter().enumerate() {
                a[r * m + c] = var[gc * ngroup + gr];
            }
        }
        match solve_lu(&a, &diff) {
            Some(x) => sum(&x.iter().zip(&diff).map(|(x, d)| x * d).collect::<Vec<_>>()),
            None => f64::NAN,
        }
    };
    let p_value = pchisq(chisq, df, false, false);
    let trend = if options.trend {
        let scores = options
            .trend_scores
            .as_ref()
            .map(|s| present.iter().map(|&g| s[g]).collect::<Vec<_>>())
            .unwrap_or_else(|| (1..=ngroup).map(|k| k as f64).collect());
        Some(trend_test(&scores, &observed, &expected, &var))
    } else {
        None
    };
    Ok(LogRank {
        groups: present.iter().map(|&g| groups.labels[g].clone()).collect(),
        n: present.iter().map(|&g| counts[g]).collect(),
        observed,
        expected,
        variance: var,
        chisq,
        df,
        p_value,
        rho,
        n_strata,
        trend,
    })
}

/// The scores-weighted O − E statistic for trend.
fn trend_test(scores: &[f64], observed: &[f64], expected: &[f64], var: &[f64]) -> TrendTest {
    let k = scores.len();
    let u: f64 = (0..k)
        .map(|g| scores[g] * (observed[g] - expected[g]))
        .sum();
    let mut variance = 0.0;
    for i in 0..k {
        for j in 0..k {
            variance += scores[i] * var[i * k + j] * scores[j];
        }
    }
    let chisq = u * u / variance;
    TrendTest {
        scores: scores.to_vec(),
        u,
        variance,
        chisq,
        df: 1.0,
        p_value: pchisq(chisq, 1.0, false, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::survival::fixtures::{rel, EVENT, GROUP, TIME};

    fn groups() -> Grouping {
        Grouping {
            labels: vec!["g=1".into(), "g=2".into(), "g=3".into()],
            codes: GROUP.to_vec(),
        }
    }

    #[test]
    fn matches_survdiff_rho_0_and_1() {
        // R: d <- data.frame(t = c(1,2,2,3,4,4,5,6,6,7,8,9),
        //   s = c(1,1,0,1,1,1,0,1,1,0,1,1), g = c(1,2,1,3,1,2,3,2,3,1,3,2))
        // x <- survdiff(Surv(t, s) ~ g, d); sprintf('%.17g', c(x$chisq, x$exp))
        let x = log_rank(&TIME, &EVENT, &groups(), None, &LogRankOptions::default()).unwrap();
        assert_eq!(x.observed, [2.0, 4.0, 3.0]);
        assert_eq!(x.n, [4, 4, 4]);
        let expect = [1.7282828282828282, 4.0803030303030301, 3.1914141414141417];
        for (a, b) in x.expected.iter().zip(expect) {
            assert!(rel(*a, b) < 1e-14, "{a} vs {b}");
        }
        assert!(rel(x.chisq, 0.065895714213673073) < 1e-13, "{}", x.chisq);
        assert_eq!(x.df, 2.0);
        // survdiff(..., rho = 1)$chisq
        let options = LogRankOptions {
            rho: 1.0,
            ..LogRankOptions::default()
        };
        let y = log_rank(&TIME, &EVENT, &groups(), None, &options).unwrap();
        assert!(rel(y.chisq, 0.30005816275125796) < 1e-13, "{}", y.chisq);
    }

    #[test]
    fn trend_uses_scores_1_to_k() {
        // R: U <- sum((1:3) * (x$obs - x$exp)); V <- c(t(1:3) %*% x$var %*% (1:3)); U^2/V
        let options = LogRankOptions {
            trend: true,
            ..LogRankOptions::default()
        };
        let x = log_rank(&TIME, &EVENT, &groups(), None, &options).unwrap();
        let t = x.trend.unwrap();
        assert!(rel(t.chisq, 0.05300392984126804) < 1e-13, "{}", t.chisq);
        assert_eq!(t.df, 1.0);
    }

    #[test]
    fn stratified_test_matches_survdiff_with_strata() {
        // survdiff(Surv(t, s) ~ g + strata(st), d) with st = rep(1:2, 6)
        let strata = Grouping {
            labels: vec!["1".into(), "2".into()],
            codes: (0..12).map(|i| i % 2).collect(),
        };
        let x = log_rank(
            &TIME,
            &EVENT,
            &groups(),
            Some(&strata),
            &LogRankOptions::default(),
        )
        .unwrap();
        assert!(rel(x.chisq, 0.53537398425667504) < 1e-13, "{}", x.chisq);
        assert_eq!(x.n_strata, 2);
    }

    #[test]
    fn one_group_is_an_error() {
        let g = Grouping::single("all", 3);
        assert!(matches!(
            log_rank(
                &[1.0, 2.0, 3.0],
                &[true; 3],
                &g,
                None,
                &LogRankOptions::default()
            ),
            Err(SurvivalError::TooFewGroups { found: 1, .. })
        ));
    }
}
