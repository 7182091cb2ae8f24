//! Comparisons of k ≥ 2 groups and their post-hoc pairs:
//!
//! * one-way ANOVA as `summary(aov(value ~ group))` (F test), with η² =
//!   SS_between / SS_total and its two-sided interval by inverting the
//!   noncentral F distribution (Steiger 2004, Psychol. Methods 9:164–182):
//!   noncentrality limits λ with `pf(F, df1, df2, λ)` = 1 − α/2 and α/2,
//!   mapped to λ/(λ + df2) as `effectsize::eta_squared(alternative =
//!   "two.sided")` does; the noncentral F is R's `pnf` (AS 226 with R84,
//!   `pnbeta.c`), and the limits are found with `uniroot` to 1e-10; and
//!   Tukey's honestly significant differences as
//!   `TukeyHSD(aov(value ~ group))` (Tukey 1949; Kramer 1956 for unequal
//!   n): differences, simultaneous intervals from `qtukey` and adjusted
//!   p-values from `ptukey` ([`osteon_stats::tukey`]);
//! * Kruskal–Wallis as `kruskal.test` (Kruskal & Wallis 1952, with the tie
//!   correction), with ε² = H / ((n² − 1)/(n + 1)) (Tomczak & Tomczak 2014,
//!   Trends Sport Sci. 21:19–25), and Dunn's (1964, Technometrics 6:241–252)
//!   pairwise z tests on mean ranks with the tie-corrected variance
//!   (N(N+1)/12 − Σ(t³ − t)/(12(N − 1)))(1/n_i + 1/n_j), two-sided p-values
//!   adjusted over all pairs (Holm by default, as `FSA::dunnTest`).
//!
//! The ANOVA sums of squares are computed from group means rather than
//! through `lm`'s QR decomposition, so they agree with R's to ~1e-14
//! relative rather than bit for bit.

use osteon_stats::adjust::{p_adjust, AdjustMethod};
use osteon_stats::distributions::{pbeta_raw, pchisq, pf, pnorm};
use osteon_stats::exact_tests::root::uniroot;
use osteon_stats::special::lgammafn;
use osteon_stats::summary::{self, LongDouble};
use osteon_stats::tukey::{ptukey, qtukey};

use super::descriptive::{rank_average, tie_correction};
use super::Unavailable;

/// The result of [`one_way_anova`].
#[derive(Debug, Clone, PartialEq)]
pub struct Anova {
    /// F statistic.
    pub statistic: f64,
    /// Between-groups degrees of freedom (k − 1).
    pub df_between: f64,
    /// Residual degrees of freedom (N − k).
    pub df_within: f64,
    /// p-value of the F test.
    pub p_value: f64,
    /// Between-groups sum of squares.
    pub ss_between: f64,
    /// Residual sum of squares.
    pub ss_within: f64,
    /// η² = SS_between / (SS_between + SS_within).
    pub eta_squared: f64,
    /// Two-sided confidence interval of η² at the requested level.
    pub eta_squared_interval: (f64, f64),
}

/// Residual (within-group) sum of squares and the group means.
fn within(groups: &[&[f64]]) -> (f64, Vec<f64>) {
    let means: Vec<f64> = groups.iter().map(|g| summary::mean(g)).collect();
    let mut ss = LongDouble::zero();
    for (g, &m) in groups.iter().zip(&means) {
        for &v in g.iter() {
            let r = v - m;
            ss.add_f64(r * r);
        }
    }
    (ss.to_f64(), means)
}

fn check_groups(groups: &[&[f64]], extra: usize) -> Result<usize, Unavailable> {
    for (i, g) in groups.iter().enumerate() {
        if g.is_empty() {
            return Err(Unavailable::too_few(&format!("#{}", i + 1), 0, 1));
        }
    }
    let n: usize = groups.iter().map(|g| g.len()).sum();
    if n < groups.len() + extra {
        return Err(Unavailable::TooFewInAll {
            n,
            needed: groups.len() + extra,
        });
    }
    Ok(n)
}

/// One-way analysis of variance of the groups (each non-empty; at least
/// one more value than groups), with η² and its interval at `conf_level`.
///
/// ```
/// use osteon_cohort::compare::one_way_anova;
/// let a = one_way_anova(&[&[1.0, 2.0, 3.0], &[2.0, 3.0, 4.0], &[5.0, 6.0, 7.0]], 0.95).unwrap();
/// assert_eq!((a.df_between, a.df_within), (2.0, 6.0));
/// assert!((a.statistic - 13.0).abs() < 1e-12);
/// ```
pub fn one_way_anova(groups: &[&[f64]], conf_level: f64) -> Result<Anova, Unavailable> {
    let n = check_groups(groups, 1)?;
    let all: Vec<f64> = groups.iter().flat_map(|g| g.iter().copied()).collect();
    let grand = summary::mean(&all);
    let (ss_within, means) = within(groups);
    let mut ss_between = LongDouble::zero();
    for (g, &m) in groups.iter().zip(&means) {
        let d = m - grand;
        ss_between.add_f64(g.len() as f64 * d * d);
    }
    let ss_between = ss_between.to_f64();
    if ss_between == 0.0 && ss_within == 0.0 {
        return Err(Unavailable::Constant);
    }
    let df_between = (groups.len() - 1) as f64;
    let df_within = (n - groups.len()) as f64;
    let statistic = (ss_between / df_between) / (ss_within / df_within);
    Ok(Anova {
        statistic,
        df_between,
        df_within,
        p_value: pf(statistic, df_between, df_within, false, false),
        ss_between,
        ss_within,
        eta_squared: ss_between / (ss_between + ss_within),
        eta_squared_interval: eta_squared_interval(statistic, df_between, df_within, conf_level),
    })
}

/// R's `pnbeta_raw(x, o_x, a, b, ncp)` (AS 226 + R84, long-double series),
/// with the central incomplete beta from `pbeta_raw` (whose complement is
/// 0.5 − x + 0.5 rather than `o_x`).
fn pnbeta_raw(x: f64, o_x: f64, a: f64, b: f64, ncp: f64) -> f64 {
    const ERRMAX: f64 = 1.0e-9;
    const ITRMAX: f64 = 10000.0;
    if ncp < 0.0 || a <= 0.0 || b <= 0.0 {
        return f64::NAN;
    }
    if x < 0.0 || o_x > 1.0 || (x == 0.0 && o_x == 1.0) {
        return 0.0;
    }
    if x > 1.0 || o_x < 0.0 || (x == 1.0 && o_x == 0.0) {
        return 1.0;
    }
    let c = ncp / 2.0;
    let x0 = (c - 7.0 * c.sqrt()).max(0.0).floor();
    let a0 = a + x0;
    let lbeta = lgammafn(a0) + lgammafn(b) - lgammafn(a0 + b);
    let mut temp = pbeta_raw(x, a0, b, true, false);
    let log_o_x = if x < 0.5 { (-x).ln_1p() } else { o_x.ln() };
    let mut gx = LongDouble::from_f64((a0 * x.ln() + b * log_o_x - lbeta - a0.ln()).exp());
    let mut q = LongDouble::from_f64(if a0 > a {
        (-c + x0 * c.ln() - lgammafn(x0 + 1.0)).exp()
    } else {
        (-c).exp()
    });
    let mut sumq = LongDouble::from_f64(1.0) - q;
    let mut ans = q * LongDouble::from_f64(temp);
    let mut j = x0.floor();
    loop {
        j += 1.0;
        temp -= gx.to_f64();
        gx = gx * LongDouble::from_f64(x * (a + b + j - 1.0) / (a + j));
        q = q * LongDouble::from_f64(c / j);
        sumq = sumq - q;
        ans.add(LongDouble::from_f64(temp) * q);
        let errbd = ((LongDouble::from_f64(temp) - gx) * sumq).to_f64();
        if !(errbd > ERRMAX && j < ITRMAX + x0) {
            break;
        }
    }
    ans.to_f64()
}

/// R's `pf(x, df1, df2, ncp)` (lower tail) for df2 ≤ 1e8.
fn pf_noncentral(x: f64, df1: f64, df2: f64, ncp: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x == f64::INFINITY {
        return 1.0;
    }
    if df2 > 1e8 {
        return f64::NAN;
    }
    let y = (df1 / df2) * x;
    pnbeta_raw(y / (1.0 + y), 1.0 / (1.0 + y), df1 / 2.0, df2 / 2.0, ncp)
}

/// Two-sided interval of η² from the noncentral F distribution of the
/// observed F (see the module docs).
fn eta_squared_interval(f: f64, df1: f64, df2: f64, conf_level: f64) -> (f64, f64) {
    if !f.is_finite() {
        return (f64::NAN, f64::NAN);
    }
    let alpha = 1.0 - conf_level;
    let at_zero = pf_noncentral(f, df1, df2, 0.0);
    let limit = |target: f64| -> f64 {
        if at_zero <= target {
            return 0.0;
        }
        let mut upper = (f * df1).max(10.0);
        while pf_noncentral(f, df1, df2, upper) > target {
            upper *= 2.0;
            if upper > 1e9 {
                return f64::NAN;
            }
        }
        uniroot(
            |ncp| pf_noncentral(f, df1, df2, ncp) - target,
            0.0,
            upper,
            None,
            None,
            1e-10,
        )
        .map_or(f64::NAN, |r| r.root)
    };
    let to_eta = |ncp: f64| ncp / (ncp + df2);
    (to_eta(limit(1.0 - alpha / 2.0)), to_eta(limit(alpha / 2.0)))
}

/// One pair of groups compared after a k-group test.
#[derive(Debug, Clone, PartialEq)]
pub struct PairComparison {
    /// Index of the first group (the estimate is group1 − group2).
    pub group1: usize,
    /// Index of the second group.
    pub group2: usize,
    /// Tukey: difference in means; Dunn: difference in mean ranks.
    pub estimate: f64,
    /// Lower simultaneous confidence limit (Tukey; NaN for Dunn).
    pub lower: f64,
    /// Upper simultaneous confidence limit (Tukey; NaN for Dunn).
    pub upper: f64,
    /// Tukey: studentized range |q|; Dunn: z.
    pub statistic: f64,
    /// Unadjusted p-value (Dunn; NaN for Tukey, whose p is adjusted by
    /// construction).
    pub p_value: f64,
    /// Adjusted p-value.
    pub p_adjusted: f64,
}

/// `TukeyHSD(aov(value ~ group), conf.level)`: all pairs in R's order
/// (2−1, 3−1, …, k−1, 3−2, …), estimate = mean of the later group minus the
/// earlier.
///
/// ```
/// use osteon_cohort::compare::tukey_hsd;
/// let pairs = tukey_hsd(&[&[1.0, 2.0, 3.0], &[2.0, 3.0, 4.0], &[5.0, 6.0, 7.0]], 0.95).unwrap();
/// assert_eq!((pairs[0].group1, pairs[0].group2, pairs[0].estimate), (1, 0, 1.0));
/// ```
pub fn tukey_hsd(groups: &[&[f64]], conf_level: f64) -> Result<Vec<PairComparison>, Unavailable> {
    let n = check_groups(groups, 1)?;
    let k = groups.len();
    let df = (n - k) as f64;
    let (ss_within, means) = within(groups);
    let mse = ss_within / df;
    let critical = qtukey(conf_level, 1.0, k as f64, df, true, false);
    let mut pairs = Vec::with_capacity(k * (k - 1) / 2);
    for j in 0..k {
        for i in j + 1..k {
            let center = means[i] - means[j];
            let se = ((mse / 2.0) * (1.0 / groups[i].len() as f64 + 1.0 / groups[j].len() as f64))
                .sqrt();
            let width = critical * se;
            let q = center / se;
            pairs.push(PairComparison {
                group1: i,
                group2: j,
                estimate: center,
                lower: center - width,
                upper: center + width,
                statistic: q.abs(),
                p_value: f64::NAN,
                p_adjusted: ptukey(q.abs(), 1.0, k as f64, df, false, false),
            });
        }
    }
    Ok(pairs)
}

/// The result of [`kruskal_wallis`].
#[derive(Debug, Clone, PartialEq)]
pub struct KruskalWallis {
    /// Tie-corrected H statistic ("Kruskal-Wallis chi-squared").
    pub statistic: f64,
    /// Degrees of freedom (k − 1).
    pub df: f64,
    /// p-value (χ² approximation).
    pub p_value: f64,
    /// ε² = H / ((n² − 1)/(n + 1)).
    pub epsilon_squared: f64,
}

/// `kruskal.test(list(...))` on non-empty groups with at least 2 values in
/// all.
///
/// ```
/// use osteon_cohort::compare::kruskal_wallis;
/// let kw = kruskal_wallis(&[&[1.0, 2.0], &[3.0, 4.0], &[5.0, 6.0]]).unwrap();
/// assert!((kw.statistic - 4.571_428_571_428_573).abs() < 1e-12);
/// ```
pub fn kruskal_wallis(groups: &[&[f64]]) -> Result<KruskalWallis, Unavailable> {
    let n = check_groups(groups, 0)?;
    if n < 2 {
        return Err(Unavailable::TooFewInAll { n, needed: 2 });
    }
    let all: Vec<f64> = groups.iter().flat_map(|g| g.iter().copied()).collect();
    let ranks = rank_average(&all);
    let mut terms = Vec::with_capacity(groups.len());
    let mut offset = 0;
    for g in groups {
        let s = summary::sum(&ranks[offset..offset + g.len()]);
        terms.push(s * s / g.len() as f64);
        offset += g.len();
    }
    let s = summary::sum(&terms);
    let nf = n as f64;
    let n_times_n1 = (n * (n + 1)) as f64;
    let ties = tie_correction(&all);
    if all.iter().all(|&v| v == all[0]) {
        return Err(Unavailable::Constant);
    }
    let statistic = (12.0 * s / n_times_n1 - 3.0 * (nf + 1.0)) / (1.0 - ties / (nf.powf(3.0) - nf));
    let df = (groups.len() - 1) as f64;
    Ok(KruskalWallis {
        statistic,
        df,
        p_value: pchisq(statistic, df, false, false),
        epsilon_squared: statistic / ((nf * nf - 1.0) / (nf + 1.0)),
    })
}

/// Dunn's pairwise tests after Kruskal–Wallis, pairs in the order
/// (1,2), (1,3), …, (1,k), (2,3), …; estimate and z are group1 − group2.
///
/// ```
/// use osteon_cohort::compare::dunn;
/// use osteon_stats::adjust::AdjustMethod;
/// let pairs = dunn(&[&[1.0, 2.0], &[3.0, 4.0], &[5.0, 6.0]], AdjustMethod::Holm);
/// assert_eq!(pairs[0].estimate, -2.0);
/// ```
pub fn dunn(groups: &[&[f64]], adjust: AdjustMethod) -> Vec<PairComparison> {
    let all: Vec<f64> = groups.iter().flat_map(|g| g.iter().copied()).collect();
    let nf = all.len() as f64;
    let ranks = rank_average(&all);
    let mut mean_ranks = Vec::with_capacity(groups.len());
    let mut offset = 0;
    for g in groups {
        mean_ranks.push(summary::sum(&ranks[offset..offset + g.len()]) / g.len() as f64);
        offset += g.len();
    }
    let variance = nf * (nf + 1.0) / 12.0 - tie_correction(&all) / (12.0 * (nf - 1.0));
    let mut pairs = Vec::new();
    for i in 0..groups.len() {
        for j in i + 1..groups.len() {
            let estimate = mean_ranks[i] - mean_ranks[j];
            let se =
                (variance * (1.0 / groups[i].len() as f64 + 1.0 / groups[j].len() as f64)).sqrt();
            let z = estimate / se;
            pairs.push(PairComparison {
                group1: i,
                group2: j,
                estimate,
                lower: f64::NAN,
                upper: f64::NAN,
                statistic: z,
                p_value: 2.0 * pnorm(z.abs(), 0.0, 1.0, false, false),
                p_adjusted: f64::NAN,
            });
        }
    }
    let p: Vec<f64> = pairs.iter().map(|c| c.p_value).collect();
    for (c, q) in pairs.iter_mut().zip(p_adjust(&p, adjust)) {
        c.p_adjusted = q;
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::assert_rel;

    const A: [f64; 4] = [4.2, 5.1, 3.9, 4.8];
    const B: [f64; 5] = [5.5, 6.1, 5.9, 7.2, 6.4];
    const C: [f64; 3] = [4.9, 5.0, 4.1];

    #[test]
    fn anova_and_tukey_match_r() {
        // d <- data.frame(v = c(A, B, C), g = factor(rep(c("A","B","C"), c(4,5,3))))
        // s <- summary(aov(v ~ g, d))[[1]]; sprintf('%.17g', c(s$`F value`[1], s$`Pr(>F)`[1]))
        let a = one_way_anova(&[&A, &B, &C], 0.95).unwrap();
        assert_rel(a.statistic, 11.903554842989818, 1e-12, "F");
        assert_rel(a.p_value, 0.0029664390167663205, 1e-11, "p");
        // t <- TukeyHSD(aov(v ~ g, d))$g; sprintf('%.17g', t)
        let t = tukey_hsd(&[&A, &B, &C], 0.95).unwrap();
        let want = [
            (
                1,
                0,
                1.7199999999999998,
                0.63602082572305862,
                2.8039791742769409,
                0.0042109367853788715,
            ),
            (
                2,
                0,
                0.16666666666666696,
                -1.0674979144601502,
                1.4008312477934841,
                0.92526452542557402,
            ),
            (
                2,
                1,
                -1.5533333333333328,
                -2.7334203861253088,
                -0.37324628054135678,
                0.012782051095217795,
            ),
        ];
        for (c, w) in t.iter().zip(want) {
            assert_eq!((c.group1, c.group2), (w.0, w.1));
            assert!((c.estimate - w.2).abs() < 1e-12, "{c:?}");
            assert_rel(c.lower, w.3, 1e-12, "lwr");
            assert_rel(c.upper, w.4, 1e-12, "upr");
            assert_rel(c.p_adjusted, w.5, 1e-10, "p adj");
        }
    }

    #[test]
    fn eta_squared_interval_matches_r() {
        // sprintf('%.17g', c(pf(3.5, 2, 9, ncp = 4.2), pf(11.9, 3, 16, ncp = 30), pf(0.5, 2, 7, ncp = 0)))
        assert_rel(
            pf_noncentral(3.5, 2.0, 9.0, 4.2),
            0.59530526996793287,
            1e-15,
            "pnf 1",
        );
        assert_rel(
            pf_noncentral(11.9, 3.0, 16.0, 30.0),
            0.55715741025017329,
            1e-15,
            "pnf 2",
        );
        assert_rel(
            pf_noncentral(0.5, 2.0, 7.0, 0.0),
            0.37334546696119997,
            1e-15,
            "pnf 3",
        );
        // eta_ci() of make_golden.R on the aov F of (A, B, C)
        let a = one_way_anova(&[&A, &B, &C], 0.95).unwrap();
        assert_rel(a.eta_squared_interval.0, 0.22955094340753515, 1e-9, "lower");
        assert_rel(a.eta_squared_interval.1, 0.86854890907296356, 1e-9, "upper");
        // a non-significant F (p = 0.925): the lower limit is 0
        let a = one_way_anova(&[&A, &[4.5, 4.0, 5.2], &C], 0.95).unwrap();
        assert_rel(a.p_value, 0.9249032957195118, 1e-12, "p");
        assert_eq!(a.eta_squared_interval.0, 0.0);
        assert_rel(
            a.eta_squared_interval.1,
            0.24835831141972076,
            1e-9,
            "upper ns",
        );
    }

    #[test]
    fn identical_values_are_unavailable() {
        let same: [&[f64]; 2] = [&[3.0, 3.0], &[3.0, 3.0, 3.0]];
        assert_eq!(one_way_anova(&same, 0.95), Err(Unavailable::Constant));
        assert_eq!(kruskal_wallis(&same), Err(Unavailable::Constant));
        // a perfect fit is computable: F = Inf, p = 0 (R warns)
        let a = one_way_anova(&[&[1.0, 1.0], &[2.0, 2.0]], 0.95).unwrap();
        assert_eq!((a.statistic, a.p_value), (f64::INFINITY, 0.0));
    }

    #[test]
    fn kruskal_and_dunn_match_r() {
        // k <- kruskal.test(list(A, B, C)); sprintf('%.17g', c(k$statistic, k$p.value))
        let k = kruskal_wallis(&[&A, &B, &C]).unwrap();
        assert_rel(k.statistic, 8.1217948717948687, 1e-14, "H");
        assert_rel(k.p_value, 0.017233546170423216, 1e-13, "p");
        // Dunn z by hand from the mean ranks (see the golden script for the formula)
        let d = dunn(&[&A, &B, &C], AdjustMethod::Holm);
        assert_eq!((d[0].group1, d[0].group2), (0, 1));
        assert_rel(d[0].estimate, -6.25, 1e-14, "A-B mean ranks");
    }
}
