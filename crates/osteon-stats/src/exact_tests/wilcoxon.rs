//! The null distribution of the Wilcoxon rank-sum (Mann–Whitney) statistic
//! W = #{(i, j): x_i > y_j} for samples of sizes m and n without ties, as
//! R 4.2's nmath `wilcox.c` computes it.
//!
//! The number of arrangements with statistic k obeys
//! c(k; m, n) = c(k − n; m − 1, n) + c(k; m, n − 1), evaluated in doubles
//! with the arguments ordered so that m ≤ n, folded to k ≤ mn/2 by symmetry
//! and shortened to c(k; m, k) when k < n (`cwilcox`). Above 2^53 the
//! counts are rounded; following the same recursion keeps even those
//! roundings identical to R's. Probabilities are counts divided by
//! `choose(m + n, n)` and summed in R's order.

use crate::special::choose;

use super::{dt_0, dt_1, dt_qiv, dt_val};

/// Memoised frequencies `cwilcox(k, i, j)` for all i ≤ j needed by samples
/// of sizes m and n (R keeps the same table between calls).
#[derive(Debug, Clone)]
pub struct WilcoxonCounts {
    /// Largest sample size: tables are indexed by `i * (max + 1) + j`.
    max: usize,
    tables: Vec<Vec<f64>>,
}

impl WilcoxonCounts {
    /// An empty table able to serve samples of sizes `m` and `n`.
    pub fn new(m: usize, n: usize) -> Self {
        let max = m.max(n);
        let min = m.min(n);
        WilcoxonCounts {
            max,
            tables: vec![Vec::new(); (min + 1) * (max + 1)],
        }
    }

    /// The number of subsets with statistic `k` for sample sizes m and n
    /// (`cwilcox(k, m, n)`); both sizes must fit the table.
    pub fn count(&mut self, k: i64, m: usize, n: usize) -> f64 {
        let u = (m * n) as i64;
        if k < 0 || k > u {
            return 0.0;
        }
        let half = u / 2;
        let k = if k > half { u - k } else { k };
        let (i, j) = if m < n { (m, n) } else { (n, m) };
        if j == 0 {
            return if k == 0 { 1.0 } else { 0.0 };
        }
        if k < j as i64 {
            return self.count(k, i, k as usize);
        }
        let slot = i * (self.max + 1) + j;
        if self.tables[slot].is_empty() {
            self.tables[slot] = vec![-1.0; half as usize + 1];
        }
        let cached = self.tables[slot][k as usize];
        if cached >= 0.0 {
            return cached;
        }
        let value = self.count(k - j as i64, i - 1, j) + self.count(k, i, j - 1);
        self.tables[slot][k as usize] = value;
        value
    }
}

/// Rounds a size argument as R's `R_D_forceint`.
fn size(x: f64) -> f64 {
    x.round_ties_even()
}

/// R's `dwilcox(x, m, n, log)`: P\[W = x\].
///
/// ```
/// use osteon_stats::exact_tests::wilcoxon::dwilcox;
/// // W for m = 2, n = 2 takes 0,1,2,3,4 with counts 1,1,2,1,1 out of 6
/// assert_eq!(dwilcox(2.0, 2.0, 2.0, false), 2.0 / 6.0);
/// ```
pub fn dwilcox(x: f64, m: f64, n: f64, give_log: bool) -> f64 {
    if x.is_nan() || m.is_nan() || n.is_nan() {
        return x + m + n;
    }
    let (m, n) = (size(m), size(n));
    if m <= 0.0 || n <= 0.0 {
        return f64::NAN;
    }
    if (x - size(x)).abs() > 1e-7 {
        return if give_log { f64::NEG_INFINITY } else { 0.0 };
    }
    let x = size(x);
    if x < 0.0 || x > m * n {
        return if give_log { f64::NEG_INFINITY } else { 0.0 };
    }
    let (mm, nn) = (m as usize, n as usize);
    let mut counts = WilcoxonCounts::new(mm, nn);
    let c = counts.count(x as i64, mm, nn);
    if give_log {
        c.ln() - crate::special::lchoose(m + n, n)
    } else {
        c / choose(m + n, n)
    }
}

/// R's `pwilcox(q, m, n, lower.tail, log.p)`: P\[W ≤ q\] (summed over the
/// shorter tail, as R does).
///
/// ```
/// use osteon_stats::exact_tests::wilcoxon::pwilcox;
/// // pwilcox(1, 2, 2) = 2/6
/// assert_eq!(pwilcox(1.0, 2.0, 2.0, true, false), 2.0 / 6.0);
/// ```
pub fn pwilcox(q: f64, m: f64, n: f64, lower_tail: bool, log_p: bool) -> f64 {
    let mut counts = WilcoxonCounts::new(0, 0);
    pwilcox_with(&mut counts, q, m, n, lower_tail, log_p)
}

/// [`pwilcox`] reusing a frequency table (grown if too small).
pub fn pwilcox_with(
    counts: &mut WilcoxonCounts,
    q: f64,
    m: f64,
    n: f64,
    lower_tail: bool,
    log_p: bool,
) -> f64 {
    if q.is_nan() || m.is_nan() || n.is_nan() {
        return q + m + n;
    }
    if !m.is_finite() || !n.is_finite() {
        return f64::NAN;
    }
    let (m, n) = (size(m), size(n));
    if m <= 0.0 || n <= 0.0 {
        return f64::NAN;
    }
    let mut q = (q + 1e-7).floor();
    if q < 0.0 {
        return dt_0(lower_tail, log_p);
    }
    if q >= m * n {
        return dt_1(lower_tail, log_p);
    }
    let (mm, nn) = (m as usize, n as usize);
    ensure_capacity(counts, mm, nn);
    let c = choose(m + n, n);
    let mut p = 0.0;
    let mut lower_tail = lower_tail;
    if q <= m * n / 2.0 {
        let mut i = 0i64;
        while (i as f64) <= q {
            p += counts.count(i, mm, nn) / c;
            i += 1;
        }
    } else {
        q = m * n - q;
        let mut i = 0i64;
        while (i as f64) < q {
            p += counts.count(i, mm, nn) / c;
            i += 1;
        }
        lower_tail = !lower_tail;
    }
    dt_val(p, lower_tail, log_p)
}

/// R's `qwilcox(p, m, n, lower.tail, log.p)`: the smallest q with
/// P\[W ≤ q\] ≥ p (with R's 10 ε fuzz).
///
/// ```
/// use osteon_stats::exact_tests::wilcoxon::qwilcox;
/// assert_eq!(qwilcox(0.025, 3.0, 9.0, true, false), 3.0); // R: qwilcox(0.025, 3, 9)
/// ```
pub fn qwilcox(p: f64, m: f64, n: f64, lower_tail: bool, log_p: bool) -> f64 {
    let mut counts = WilcoxonCounts::new(0, 0);
    qwilcox_with(&mut counts, p, m, n, lower_tail, log_p)
}

/// [`qwilcox`] reusing a frequency table (grown if too small).
pub fn qwilcox_with(
    counts: &mut WilcoxonCounts,
    p: f64,
    m: f64,
    n: f64,
    lower_tail: bool,
    log_p: bool,
) -> f64 {
    if p.is_nan() || m.is_nan() || n.is_nan() {
        return p + m + n;
    }
    if !p.is_finite() || !m.is_finite() || !n.is_finite() {
        return f64::NAN;
    }
    if (log_p && p > 0.0) || (!log_p && !(0.0..=1.0).contains(&p)) {
        return f64::NAN;
    }
    let (m, n) = (size(m), size(n));
    if m <= 0.0 || n <= 0.0 {
        return f64::NAN;
    }
    if p == dt_0(lower_tail, log_p) {
        return 0.0;
    }
    if p == dt_1(lower_tail, log_p) {
        return m * n;
    }
    let x = if log_p || !lower_tail {
        dt_qiv(p, lower_tail, log_p)
    } else {
        p
    };
    let (mm, nn) = (m as usize, n as usize);
    ensure_capacity(counts, mm, nn);
    let c = choose(m + n, n);
    let mut cumulative = 0.0;
    let mut q = 0i64;
    if x <= 0.5 {
        let target = x - 10.0 * f64::EPSILON;
        loop {
            cumulative += counts.count(q, mm, nn) / c;
            if cumulative >= target {
                break;
            }
            q += 1;
        }
        q as f64
    } else {
        let target = 1.0 - x + 10.0 * f64::EPSILON;
        loop {
            cumulative += counts.count(q, mm, nn) / c;
            if cumulative > target {
                return ((m * n) as i64 - q) as f64;
            }
            q += 1;
        }
    }
}

/// Replaces `counts` by a fresh table when it cannot serve sizes m, n.
fn ensure_capacity(counts: &mut WilcoxonCounts, m: usize, n: usize) {
    let (min, max) = (m.min(n), m.max(n));
    let rows = counts.tables.len() / (counts.max + 1);
    if counts.max < max || rows < min + 1 {
        *counts = WilcoxonCounts::new(min, max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exact_tests::assert_rel;

    #[test]
    fn counts_sum_to_binomial_coefficient() {
        for (m, n) in [(1, 1), (3, 9), (9, 3), (7, 7), (12, 20)] {
            let mut counts = WilcoxonCounts::new(m, n);
            let total: f64 = (0..=(m * n) as i64).map(|k| counts.count(k, m, n)).sum();
            assert_eq!(total, choose((m + n) as f64, n as f64), "m={m} n={n}");
        }
    }

    #[test]
    fn pwilcox_matches_r() {
        // sprintf('%.17g', pwilcox(c(3, 10, 20), 3, 9))
        assert_rel(
            pwilcox(3.0, 3.0, 9.0, true, false),
            0.031818181818181815,
            1e-15,
            "3",
        );
        assert_rel(
            pwilcox(10.0, 3.0, 9.0, true, false),
            0.29999999999999999,
            1e-15,
            "10",
        );
        assert_rel(
            pwilcox(20.0, 3.0, 9.0, false, false),
            0.10454545454545454,
            1e-15,
            "20u",
        );
        // sprintf('%.17g', pwilcox(400, 30, 40)); pwilcox(1100, 45, 49, lower = FALSE)
        assert_rel(
            pwilcox(400.0, 30.0, 40.0, true, false),
            0.0086100104404088808,
            1e-14,
            "30x40",
        );
        assert_rel(
            pwilcox(1100.0, 45.0, 49.0, false, false),
            0.50600963070541782,
            1e-14,
            "45x49",
        );
        // sprintf('%.17g', pwilcox(3, 3, 9, log.p = TRUE))
        assert_rel(
            pwilcox(3.0, 3.0, 9.0, true, true),
            -3.4477173972970485,
            1e-15,
            "log",
        );
    }

    #[test]
    fn qwilcox_and_dwilcox_match_r() {
        // qwilcox(c(0.025, 0.5, 0.975), 6, 18) = 25 54 83
        assert_eq!(qwilcox(0.025, 6.0, 18.0, true, false), 25.0);
        assert_eq!(qwilcox(0.5, 6.0, 18.0, true, false), 54.0);
        assert_eq!(qwilcox(0.975, 6.0, 18.0, true, false), 83.0);
        assert_eq!(qwilcox(0.025, 6.0, 18.0, false, false), 83.0);
        // sprintf('%.17g', dwilcox(54, 6, 18))
        assert_rel(
            dwilcox(54.0, 6.0, 18.0, false),
            0.025899729561056791,
            1e-15,
            "d",
        );
        assert!(pwilcox(1.0, 0.0, 3.0, true, false).is_nan());
    }
}
