//! Gray's (1988) K-sample test for equality of cumulative incidence
//! functions across groups, as `cmprsk::cuminc` 2.2.11 computes it: a port
//! of its Fortran routines `crstm` (sum over strata) and `crst` (score and
//! variance within a stratum).
//!
//! For the cause of interest, each group's score compares its
//! cause-specific events with those expected from the pooled subdistribution
//! hazard, weighted by `(1 − F(t−))^ρ` (ρ = 0 by default); the statistic
//! `s' V⁻¹ s` over the first k − 1 groups is χ² on k − 1 degrees of freedom.
//! As in `cuminc`, the p-value is `1 − pchisq(stat, k − 1)`, a test is made
//! for every cause with at least one event, and observations are processed
//! in time order (`order(time)`), groups in label order.
//!
//! Reference: Gray RJ (1988) A class of K-sample tests for comparing the
//! cumulative incidence of a competing risk. *Ann Stat* 16:1141–1154.

use super::linalg::solve_lu;
use super::{check_status, check_times, order, Grouping, SurvivalError};
use osteon_stats::distributions::pchisq;

/// Gray's test for one cause (one row of `cuminc(...)$Tests`).
#[derive(Debug, Clone, PartialEq)]
pub struct GrayTest {
    /// The cause tested (1-based status code).
    pub cause: usize,
    /// The statistic `s' V⁻¹ s` (NaN when V is singular; `cuminc` prints −1).
    pub statistic: f64,
    /// Degrees of freedom: groups − 1.
    pub df: f64,
    /// `1 − pchisq(statistic, df)`.
    pub p_value: f64,
    /// Scores of the first k − 1 groups.
    pub scores: Vec<f64>,
    /// Their variance matrix, row-major `(k − 1) × (k − 1)`.
    pub variance: Vec<f64>,
}

/// `cuminc(time, status, group, strata, rho)$Tests`: one test per cause
/// that has events. `status[i]` is 0 (censored) or a cause in
/// `1..=n_causes`.
///
/// ```
/// use osteon_cohort::survival::{gray_test, Grouping};
/// let groups = Grouping { labels: vec!["a".into(), "b".into()], codes: vec![0, 0, 0, 1, 1, 1] };
/// let tests = gray_test(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[1, 1, 2, 2, 1, 0], 2, &groups, None, 0.0)?;
/// assert_eq!(tests.len(), 2);
/// assert_eq!(tests[0].df, 1.0);
/// # Ok::<(), osteon_cohort::survival::SurvivalError>(())
/// ```
pub fn gray_test(
    time: &[f64],
    status: &[usize],
    n_causes: usize,
    groups: &Grouping,
    strata: Option<&Grouping>,
    rho: f64,
) -> Result<Vec<GrayTest>, SurvivalError> {
    check_times(time, status.len(), "status")?;
    groups.check(time.len(), "group")?;
    if let Some(s) = strata {
        s.check(time.len(), "strata")?;
    }
    check_status(status, n_causes)?;
    if !rho.is_finite() {
        return Err(SurvivalError::Rho(rho));
    }
    // Groups with observations, renumbered in label order.
    let mut counts = vec![0usize; groups.len()];
    for &c in &groups.codes {
        counts[c] += 1;
    }
    let present: Vec<usize> = (0..groups.len()).filter(|&g| counts[g] > 0).collect();
    let ng = present.len();
    if ng < 2 {
        return Err(SurvivalError::TooFewGroups {
            test: "Gray's test",
            found: ng,
        });
    }
    let mut renumber = vec![0usize; groups.len()];
    for (new, &old) in present.iter().enumerate() {
        renumber[old] = new;
    }
    let ord = order(time);
    let y: Vec<f64> = ord.iter().map(|&i| time[i]).collect();
    let ig: Vec<usize> = ord.iter().map(|&i| renumber[groups.codes[i]]).collect();
    let ist: Vec<usize> = ord
        .iter()
        .map(|&i| strata.map_or(0, |s| s.codes[i]))
        .collect();
    let n_strata = strata.map_or(1, Grouping::len);
    let ng1 = ng - 1;

    let causes: Vec<usize> = (1..=n_causes).filter(|c| status.contains(c)).collect();
    Ok(causes
        .into_iter()
        .map(|cause| {
            let m: Vec<u8> = ord
                .iter()
                .map(|&i| match status[i] {
                    0 => 0,
                    s if s == cause => 1,
                    _ => 2,
                })
                .collect();
            let mut s = vec![0.0f64; ng1];
            let mut v = vec![0.0f64; ng1 * (ng1 + 1) / 2];
            for ks in 0..n_strata {
                let idx: Vec<usize> = (0..y.len()).filter(|&i| ist[i] == ks).collect();
                if idx.is_empty() {
                    continue;
                }
                let ys: Vec<f64> = idx.iter().map(|&i| y[i]).collect();
                let ms: Vec<u8> = idx.iter().map(|&i| m[i]).collect();
                let igs: Vec<usize> = idx.iter().map(|&i| ig[i]).collect();
                let (st, vt) = crst(&ys, &ms, &igs, ng, rho);
                for i in 0..ng1 {
                    s[i] += st[i];
                }
                for l in 0..v.len() {
                    v[l] += vt[l];
                }
            }
            let mut vs = vec![0.0f64; ng1 * ng1];
            let mut l = 0;
            for i in 0..ng1 {
                for j in 0..=i {
                    vs[i * ng1 + j] = v[l];
                    vs[j * ng1 + i] = v[l];
                    l += 1;
                }
            }
            let statistic = match solve_lu(&vs, &s) {
                Some(x) => x.iter().zip(&s).map(|(a, b)| a * b).sum(),
                None => f64::NAN,
            };
            let df = ng1 as f64;
            GrayTest {
                cause,
                statistic,
                df,
                p_value: 1.0 - pchisq(statistic, df, true, false),
                scores: s,
                variance: vs,
            }
        })
        .collect())
}

/// Fortran `crst`: scores and packed lower-triangle variance for one
/// stratum. `y` sorted increasing; `m` 0 censored, 1 cause of interest,
/// 2 other causes; `ig` groups `0..ng`.
fn crst(y: &[f64], m: &[u8], ig: &[usize], ng: usize, rho: f64) -> (Vec<f64>, Vec<f64>) {
    let n = y.len();
    let ng1 = ng - 1;
    let mut rs = vec![0i64; ng];
    for &g in ig {
        rs[g] += 1;
    }
    let mut s = vec![0.0f64; ng1];
    let mut v = vec![0.0f64; ng1 * (ng1 + 1) / 2];
    let mut f1m = vec![0.0f64; ng];
    let mut f1 = vec![0.0f64; ng];
    let mut skmm = vec![1.0f64; ng];
    let mut skm = vec![1.0f64; ng];
    let mut v3 = vec![0.0f64; ng];
    let mut v2 = vec![vec![0.0f64; ng]; ng1];
    let mut c = vec![vec![0.0f64; ng]; ng];
    let mut a = vec![vec![0.0f64; ng]; ng];
    let mut fm = 0.0f64;
    let mut f = 0.0f64;
    let mut ll = 0usize;
    loop {
        let mut lu = ll;
        while lu + 1 < n && y[lu + 1] <= y[ll] {
            lu += 1;
        }
        let mut d = vec![[0i64; 3]; ng];
        for i in ll..=lu {
            d[ig[i]][usize::from(m[i])] += 1;
        }
        let nd1: i64 = d.iter().map(|x| x[1]).sum();
        let nd2: i64 = d.iter().map(|x| x[2]).sum();
        if nd1 != 0 || nd2 != 0 {
            let mut tr = 0.0f64;
            let mut tq = 0.0f64;
            for i in 0..ng {
                if rs[i] <= 0 {
                    continue;
                }
                let rsi = rs[i] as f64;
                let td = (d[i][1] + d[i][2]) as f64;
                skm[i] = skmm[i] * (rsi - td) / rsi;
                f1[i] = f1m[i] + (skmm[i] * d[i][1] as f64) / rsi;
                tr += rsi / skmm[i];
                tq += rsi * (1.0 - f1m[i]) / skmm[i];
            }
            f = fm + nd1 as f64 / tr;
            let fb = (1.0 - fm).powf(rho);
            for i in 0..ng {
                for j in i..ng {
                    a[i][j] = 0.0;
                }
                if rs[i] <= 0 {
                    continue;
                }
                let t1 = rs[i] as f64 / skmm[i];
                a[i][i] = fb * t1 * (1.0 - t1 / tr);
                c[i][i] += a[i][i] * nd1 as f64 / (tr * (1.0 - fm));
                for j in (i + 1)..ng {
                    if rs[j] <= 0 {
                        continue;
                    }
                    a[i][j] = -(fb * t1 * rs[j] as f64 / (skmm[j] * tr));
                    c[i][j] += a[i][j] * nd1 as f64 / (tr * (1.0 - fm));
                }
            }
            for i in 1..ng {
                for j in 0..i {
                    a[i][j] = a[j][i];
                    c[i][j] = c[j][i];
                }
            }
            for i in 0..ng1 {
                if rs[i] <= 0 {
                    continue;
                }
                s[i] +=
                    fb * (d[i][1] as f64 - (nd1 * rs[i]) as f64 * (1.0 - f1m[i]) / (skmm[i] * tq));
            }
            if nd1 > 0 {
                for k in 0..ng {
                    if rs[k] <= 0 {
                        continue;
                    }
                    let mut t4 = 1.0;
                    if skm[k] > 0.0 {
                        t4 = 1.0 - (1.0 - f) / skm[k];
                    }
                    let mut t5 = 1.0;
                    if nd1 > 1 {
                        t5 = 1.0 - (nd1 - 1) as f64 / (tr * skmm[k] - 1.0);
                    }
                    let t3 = t5 * skmm[k] * nd1 as f64 / (tr * rs[k] as f64);
                    v3[k] += t4 * t4 * t3;
                    for i in 0..ng1 {
                        let t1 = a[i][k] - t4 * c[i][k];
                        v2[i][k] += t1 * t4 * t3;
                        for j in 0..=i {
                            let l = i * (i + 1) / 2 + j;
                            let t2 = a[j][k] - t4 * c[j][k];
                            v[l] += t1 * t2 * t3;
                        }
                    }
                }
            }
            if nd2 != 0 {
                for k in 0..ng {
                    if skm[k] <= 0.0 || d[k][2] <= 0 {
                        continue;
                    }
                    let t4 = (1.0 - f) / skm[k];
                    let mut t5 = 1.0;
                    if d[k][2] > 1 {
                        t5 = 1.0 - (d[k][2] as f64 - 1.0) / (rs[k] as f64 - 1.0);
                    }
                    let t3 = t5 * ((skmm[k] * skmm[k]) * d[k][2] as f64) / ((rs[k] * rs[k]) as f64);
                    v3[k] += t4 * t4 * t3;
                    for i in 0..ng1 {
                        let t1 = t4 * c[i][k];
                        v2[i][k] -= t1 * t4 * t3;
                        for j in 0..=i {
                            let l = i * (i + 1) / 2 + j;
                            let t2 = t4 * c[j][k];
                            v[l] += t1 * t2 * t3;
                        }
                    }
                }
            }
        }
        if lu + 1 >= n {
            break;
        }
        for i in ll..=lu {
            rs[ig[i]] -= 1;
        }
        fm = f;
        f1m.copy_from_slice(&f1);
        skmm.copy_from_slice(&skm);
        ll = lu + 1;
    }
    let mut l = 0;
    for i in 0..ng1 {
        for j in 0..=i {
            for k in 0..ng {
                v[l] += c[i][k] * c[j][k] * v3[k];
                v[l] += c[i][k] * v2[j][k];
                v[l] += c[j][k] * v2[i][k];
            }
            l += 1;
        }
    }
    (s, v)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::survival::fixtures::{rel, GROUP, STATUS, TIME};

    #[test]
    fn matches_cuminc_tests() {
        // library(cmprsk); x <- cuminc(t, cs, g)
        // sprintf('%.17g', x$Tests[, "stat"]); sprintf('%.17g', x$Tests[, "pv"])
        let groups = Grouping {
            labels: vec!["1".into(), "2".into(), "3".into()],
            codes: GROUP.to_vec(),
        };
        let tests = gray_test(&TIME, &STATUS, 2, &groups, None, 0.0).unwrap();
        let stat = [5.051236618689142, 6.2878323567538592];
        let pv = [0.080008827284064887, 0.043113626214189793];
        for k in 0..2 {
            assert_eq!(tests[k].cause, k + 1);
            assert_eq!(tests[k].df, 2.0);
            assert!(
                rel(tests[k].statistic, stat[k]) < 1e-12,
                "stat {k}: {}",
                tests[k].statistic
            );
            assert!(
                rel(tests[k].p_value, pv[k]) < 1e-12,
                "pv {k}: {}",
                tests[k].p_value
            );
        }
    }

    #[test]
    fn stratified_and_rho_variants_match_cuminc() {
        // cuminc(t, cs, g, strata = rep(1:2, 6), rho = 1)$Tests
        let groups = Grouping {
            labels: vec!["1".into(), "2".into(), "3".into()],
            codes: GROUP.to_vec(),
        };
        let strata = Grouping {
            labels: vec!["1".into(), "2".into()],
            codes: (0..12).map(|i| i % 2).collect(),
        };
        let tests = gray_test(&TIME, &STATUS, 2, &groups, Some(&strata), 1.0).unwrap();
        let stat = [2.75752597768762, 1.3579938407828258];
        for k in 0..2 {
            assert!(
                rel(tests[k].statistic, stat[k]) < 1e-12,
                "stat {k}: {}",
                tests[k].statistic
            );
        }
    }
}
