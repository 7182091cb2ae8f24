//! Time-axis ticks for survival plots and their numbers-at-risk table:
//! R's `pretty(c(0, max_time))` (the `R_pretty` algorithm of R 4.2,
//! `src/appl/pretty.c`, with `pretty.default`'s defaults n = 5,
//! high.u.bias = 1.5, u5.bias = 2.75), keeping the ticks within
//! [0, max_time] as a plot's axis shows them.

/// Ticks from 0 to `max_time` (just `[0]` when `max_time` is 0).
pub(crate) fn pretty_ticks(max_time: f64) -> Vec<f64> {
    if max_time.is_nan() || max_time <= 0.0 || max_time.is_infinite() {
        return vec![0.0];
    }
    let ndiv = 5.0f64;
    let h = 1.5f64;
    let h5 = 0.5 + 1.5 * h;
    let rounding_eps = 1e-10;
    let (lo, up) = (0.0f64, max_time);
    let cell = (up - lo) / ndiv;
    let base = 10f64.powf(cell.log10().floor());
    let mut unit = base;
    if 2.0 * base - cell < h * (cell - unit) {
        unit = 2.0 * base;
        if 5.0 * base - cell < h5 * (cell - unit) {
            unit = 5.0 * base;
            if 10.0 * base - cell < h * (cell - unit) {
                unit = 10.0 * base;
            }
        }
    }
    let mut ns = (lo / unit + rounding_eps).floor();
    let mut nu = (up / unit - rounding_eps).ceil();
    while ns * unit > lo + rounding_eps * unit {
        ns -= 1.0;
    }
    while nu * unit < up - rounding_eps * unit {
        nu += 1.0;
    }
    let k = (0.5 + nu - ns) as usize;
    let from = ns * unit;
    let to = nu * unit;
    let by = (to - from) / k as f64;
    (0..=k)
        .map(|i| from + i as f64 * by)
        .filter(|&t| t <= max_time * (1.0 + 1e-12))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_r_pretty() {
        // R: pretty(c(0, 424)) is 0 100 ... 500; 500 lies beyond the data.
        assert_eq!(pretty_ticks(424.0), [0.0, 100.0, 200.0, 300.0, 400.0]);
        // pretty(c(0, 9)): 0 2 4 6 8 10
        assert_eq!(pretty_ticks(9.0), [0.0, 2.0, 4.0, 6.0, 8.0]);
        // pretty(c(0, 2137)): 0 500 ... 2500
        assert_eq!(pretty_ticks(2137.0), [0.0, 500.0, 1000.0, 1500.0, 2000.0]);
        // pretty(c(0, 0.35)): steps of 0.05
        assert_eq!(pretty_ticks(0.35).len(), 8);
        assert_eq!(
            pretty_ticks(1.0),
            [0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]
        );
        assert_eq!(pretty_ticks(0.0), [0.0]);
    }
}
