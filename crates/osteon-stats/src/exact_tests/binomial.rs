//! The exact binomial test and the Clopper–Pearson interval, as R 4.2's
//! `binom.test` (`src/library/stats/R/binom.test.R`): the two-sided p-value
//! sums the probabilities of outcomes no more likely than the observed one
//! (relative tolerance 1e-7), and the interval inverts two one-sided tests
//! with `qbeta` (Clopper & Pearson 1934, Biometrika 26:404–413).

use crate::distributions::{dbinom, pbinom, qbeta};

use super::Alternative;

/// The result of [`binom_test`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BinomialTest {
    /// The p-value.
    pub p_value: f64,
    /// The observed proportion x / n.
    pub estimate: f64,
    /// Clopper–Pearson confidence limits.
    pub conf_int: (f64, f64),
}

/// `binom.test(x, n, p, alternative, conf.level)` for x successes out of
/// n ≥ 1 trials (x ≤ n) and 0 ≤ p ≤ 1.
///
/// ```
/// use osteon_stats::exact_tests::{binomial::binom_test, Alternative};
/// let t = binom_test(7, 20, 0.5, Alternative::TwoSided, 0.95);
/// assert!((t.p_value - 0.263_175_964_355_468_75).abs() < 1e-15); // binom.test(7, 20)$p.value
/// ```
pub fn binom_test(
    x: u64,
    n: u64,
    p: f64,
    alternative: Alternative,
    conf_level: f64,
) -> BinomialTest {
    let (xf, nf) = (x as f64, n as f64);
    let p_value = match alternative {
        Alternative::Less => pbinom(xf, nf, p, true, false),
        Alternative::Greater => pbinom(xf - 1.0, nf, p, false, false),
        Alternative::TwoSided => two_sided_p(xf, nf, p),
    };
    BinomialTest {
        p_value,
        estimate: xf / nf,
        conf_int: clopper_pearson(x, n, conf_level, alternative),
    }
}

fn two_sided_p(x: f64, n: f64, p: f64) -> f64 {
    if p == 0.0 {
        return if x == 0.0 { 1.0 } else { 0.0 };
    }
    if p == 1.0 {
        return if x == n { 1.0 } else { 0.0 };
    }
    let rel_err = 1.0 + 1e-7;
    let d = dbinom(x, n, p, false);
    let m = n * p;
    if x == m {
        1.0
    } else if x < m {
        let from = m.ceil() as u64;
        let y = (from..=n as u64)
            .filter(|&i| dbinom(i as f64, n, p, false) <= d * rel_err)
            .count() as f64;
        pbinom(x, n, p, true, false) + pbinom(n - y, n, p, false, false)
    } else {
        let to = m.floor() as u64;
        let y = (0..=to)
            .filter(|&i| dbinom(i as f64, n, p, false) <= d * rel_err)
            .count() as f64;
        pbinom(y - 1.0, n, p, true, false) + pbinom(x - 1.0, n, p, false, false)
    }
}

/// The Clopper–Pearson ("exact") interval of `binom.test`: lower limit
/// `qbeta(a, x, n − x + 1)` (0 when x = 0), upper `qbeta(1 − a, x + 1,
/// n − x)` (1 when x = n), with a = (1 − level)/2 for a two-sided interval
/// and 1 − level for one-sided ones.
///
/// ```
/// use osteon_stats::exact_tests::{binomial::clopper_pearson, Alternative};
/// let (lo, hi) = clopper_pearson(0, 10, 0.95, Alternative::TwoSided);
/// assert_eq!(lo, 0.0);
/// assert!((hi - 0.308_497_107_818_760_83).abs() < 1e-15); // binom.test(0, 10)$conf.int[2]
/// ```
pub fn clopper_pearson(x: u64, n: u64, conf_level: f64, alternative: Alternative) -> (f64, f64) {
    let (xf, nf) = (x as f64, n as f64);
    let lower = |alpha: f64| {
        if x == 0 {
            0.0
        } else {
            qbeta(alpha, xf, nf - xf + 1.0, true, false)
        }
    };
    let upper = |alpha: f64| {
        if x == n {
            1.0
        } else {
            qbeta(1.0 - alpha, xf + 1.0, nf - xf, true, false)
        }
    };
    match alternative {
        Alternative::Less => (0.0, upper(1.0 - conf_level)),
        Alternative::Greater => (lower(1.0 - conf_level), 1.0),
        Alternative::TwoSided => {
            let alpha = (1.0 - conf_level) / 2.0;
            (lower(alpha), upper(alpha))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_r_binom_test() {
        // t <- binom.test(3, 17, p = 0.4); sprintf('%.17g', c(t$p.value, t$conf.int))
        let t = binom_test(3, 17, 0.4, Alternative::TwoSided, 0.95);
        assert_eq!(t.p_value, 0.081235659379179495);
        assert_eq!(t.conf_int, (0.037985068070625981, 0.43431787284428391));
        // binom.test(14, 17, p = 0.4)
        let t = binom_test(14, 17, 0.4, Alternative::TwoSided, 0.95);
        assert_eq!(t.p_value, 0.00062066765725695978);
        // binom.test(3, 17, alternative = "less", conf.level = 0.9)
        let t = binom_test(3, 17, 0.5, Alternative::Less, 0.9);
        assert_eq!(t.p_value, 0.0063629150390624983);
        assert_eq!(t.conf_int, (0.0, 0.35186879188058973));
        // binom.test(17, 17, alternative = "greater")
        let t = binom_test(17, 17, 0.5, Alternative::Greater, 0.95);
        assert_eq!(t.p_value, 7.6293945312499966e-06);
        assert_eq!(t.conf_int, (0.83843388873925995, 1.0));
    }
}
