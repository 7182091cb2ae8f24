//! Merging of times that differ only by floating-point noise, as R
//! `survival`'s `aeqSurv()` does before every fit (`timefix = TRUE`, the
//! default of `survfit`, `survdiff` and `coxph` since survival 2.40).
//!
//! Without it, `1/3 + 1/3` and `2/3` would be two distinct event times. The
//! sorted distinct times are scanned; a time whose gap to its predecessor is
//! ≤ `sqrt(.Machine$double.eps)`, absolutely or relative to the mean absolute
//! distinct time, joins its predecessor's group, and every time is replaced
//! by the smallest time of its group (`findInterval` on the group starts).

use osteon_stats::summary::mean;

/// `aeqSurv(Surv(time, status))[, 1]`: times with near-ties merged. Times
/// must be finite (checked by the callers).
///
/// ```
/// use osteon_cohort::survival::timefix;
/// let t = timefix(&[1.0 / 3.0 + 1.0 / 3.0, 2.0 / 3.0, 5.0]);
/// assert_eq!(t[0], t[1]);
/// assert_eq!(t[2], 5.0);
/// ```
pub fn timefix(time: &[f64]) -> Vec<f64> {
    let tolerance = f64::EPSILON.sqrt();
    let mut unique: Vec<f64> = time.to_vec();
    unique.sort_by(f64::total_cmp);
    unique.dedup();
    if unique.len() < 2 {
        return time.to_vec();
    }
    let mean_abs = mean(&unique.iter().map(|t| t.abs()).collect::<Vec<_>>());
    let mut cuts = vec![unique[0]];
    let mut any_tied = false;
    for w in unique.windows(2) {
        let gap = w[1] - w[0];
        let tied = gap <= tolerance || gap / mean_abs <= tolerance;
        if tied {
            any_tied = true;
        } else {
            cuts.push(w[1]);
        }
    }
    if !any_tied {
        return time.to_vec();
    }
    time.iter()
        .map(|&t| {
            // findInterval: the number of cuts ≤ t (≥ 1, as t ≥ cuts[0]).
            let k = cuts.partition_point(|&c| c <= t);
            cuts[k - 1]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_times_are_unchanged() {
        let t = [5.0, 1.0, 3.0, 1.0];
        assert_eq!(timefix(&t), t);
    }

    #[test]
    fn near_ties_collapse_to_the_smallest_member() {
        // R: aeqSurv(Surv(c(1, 1 + 1e-9, 2, 2 - 1e-12, 7), rep(1, 5)))[, 1]
        //   gives 1 1 2-1e-12 2-1e-12 7
        let t = [1.0, 1.0 + 1e-9, 2.0, 2.0 - 1e-12, 7.0];
        assert_eq!(timefix(&t), [1.0, 1.0, 2.0 - 1e-12, 2.0 - 1e-12, 7.0]);
    }

    #[test]
    fn relative_criterion_uses_mean_absolute_time() {
        // Gap 1e-3 with mean |y| around 1e6: relative gap 1e-9 < 1.49e-8.
        let t = [1e6, 1e6 + 1e-3, 2e6];
        assert_eq!(timefix(&t), [1e6, 1e6, 2e6]);
    }
}
