//! Axis tick positions and labels.
//!
//! Linear axes use R's `pretty()` (R 4.2.2 `pretty.default`, C routine
//! `R_pretty` in `src/appl/pretty.c`: 1-2-5 steps with `high.u.bias = 1.5`,
//! `u5.bias = 0.5 + 1.5 * high.u.bias`, `min.n = n %/% 3`), so an axis gets
//! the ticks a reader of R's base graphics expects. Log axes put labelled
//! ticks at powers of the base (written `10ᵏ` once the range leaves
//! 0.01–1000), thinned to every second or third power on wide ranges, with
//! unlabelled minor ticks at 2–9 × 10ᵏ; a log axis spanning less than two
//! powers falls back to 1-2-5 multiples, then to linear pretty ticks.

use super::number::{plain_power_of_ten, tick_label, MINUS};

/// The label of one tick: plain text, or `base` with a superscript
/// `exponent`.
#[derive(Clone, Debug, PartialEq)]
pub enum TickLabel {
    /// Printed as is.
    Plain(String),
    /// Printed as `base` followed by the superscript `exponent`, e.g. 10⁻³.
    Power {
        /// The base (2 or 10).
        base: u32,
        /// The exponent.
        exponent: i32,
    },
}

impl TickLabel {
    /// The base text and the superscript text (empty for plain labels).
    pub fn parts(&self) -> (String, String) {
        match self {
            TickLabel::Plain(text) => (text.clone(), String::new()),
            TickLabel::Power { base, exponent } => {
                let exponent_text = if *exponent < 0 {
                    format!("{MINUS}{}", exponent.unsigned_abs())
                } else {
                    exponent.to_string()
                };
                (base.to_string(), exponent_text)
            }
        }
    }
}

/// One labelled tick.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    /// Position in data units.
    pub value: f64,
    /// What is printed next to it.
    pub label: TickLabel,
}

/// The ticks of one axis: labelled major ticks and unlabelled minor ones.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AxisTicks {
    /// Labelled ticks, increasing.
    pub major: Vec<Tick>,
    /// Unlabelled minor ticks (log axes only), increasing.
    pub minor: Vec<f64>,
}

/// R's `pretty(c(low, high), n)`: about `n + 1` equally spaced round values
/// (steps of 1, 2 or 5 × 10ᵏ) covering `[low, high]`.
///
/// ```
/// use osteon_report::svg::ticks::pretty;
/// // R: pretty(c(0, 97)) -> 0 20 40 60 80 100
/// assert_eq!(pretty(0.0, 97.0, 5), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
/// ```
pub fn pretty(low: f64, high: f64, n: usize) -> Vec<f64> {
    let (unit, first, last) = pretty_unit(low, high, n);
    if !(unit.is_finite() && unit > 0.0) {
        return Vec::new();
    }
    let divisions = (last - first).round().max(0.0) as usize;
    let from = first * unit;
    let to = last * unit;
    let by = if divisions == 0 {
        0.0
    } else {
        (to - from) / divisions as f64
    };
    let span = (to - from).abs();
    (0..=divisions)
        .map(|index| {
            let value = if index == divisions {
                to
            } else {
                from + index as f64 * by
            };
            // R: values smaller than 1e-14 * the step are set to zero.
            if divisions > 0 && value.abs() < 1e-14 * span / divisions as f64 {
                0.0
            } else {
                value
            }
        })
        .collect()
}

/// The step of [`pretty`] and the first and last multiples of it, following
/// `R_pretty` with `return_bounds = TRUE`.
fn pretty_unit(low: f64, high: f64, n: usize) -> (f64, f64, f64) {
    const ROUNDING_EPS: f64 = 1e-10;
    const HIGH_U_BIAS: f64 = 1.5;
    const U5_BIAS: f64 = 0.5 + 1.5 * HIGH_U_BIAS;
    const SHRINK_SMALL: f64 = 0.75;
    let (low, high) = if low <= high {
        (low, high)
    } else {
        (high, low)
    };
    if !(low.is_finite() && high.is_finite()) {
        return (f64::NAN, 0.0, 0.0);
    }
    let divisions = n.max(1) as f64;
    let min_n = (n / 3) as f64;
    let dx = high - low;
    let (mut cell, is_small);
    if dx == 0.0 && high == 0.0 {
        cell = 1.0;
        is_small = true;
    } else {
        cell = low.abs().max(high.abs());
        let upper = 1.0
            + if U5_BIAS >= 1.5 * HIGH_U_BIAS + 0.5 {
                1.0 / (1.0 + HIGH_U_BIAS)
            } else {
                1.5 / (1.0 + U5_BIAS)
            };
        is_small = dx < cell * upper * divisions * f64::EPSILON * 3.0;
    }
    if is_small {
        if cell > 10.0 {
            cell = 9.0 + cell / 10.0;
        }
        cell *= SHRINK_SMALL;
        if min_n > 1.0 {
            cell /= min_n;
        }
    } else {
        cell = dx;
        if divisions > 1.0 {
            cell /= divisions;
        }
    }
    let base = 10f64.powf(cell.log10().floor());
    let mut unit = base;
    if 2.0 * base - cell < HIGH_U_BIAS * (cell - unit) {
        unit = 2.0 * base;
        if 5.0 * base - cell < U5_BIAS * (cell - unit) {
            unit = 5.0 * base;
            if 10.0 * base - cell < HIGH_U_BIAS * (cell - unit) {
                unit = 10.0 * base;
            }
        }
    }
    let mut first = (low / unit + ROUNDING_EPS).floor();
    let mut last = (high / unit - ROUNDING_EPS).ceil();
    while first * unit > low + ROUNDING_EPS * unit {
        first -= 1.0;
    }
    while last * unit < high - ROUNDING_EPS * unit {
        last += 1.0;
    }
    let count = (0.5 + last - first).floor();
    if count < min_n {
        let missing = (min_n - count) as i64;
        if first >= 0.0 {
            last += (missing / 2) as f64;
            first -= (missing / 2 + missing % 2) as f64;
        } else {
            first -= (missing / 2) as f64;
            last += (missing / 2 + missing % 2) as f64;
        }
    }
    (unit, first, last)
}

/// Labelled ticks for a linear axis showing `[low, high]`: the values of
/// `pretty(c(low, high), target)` that fall inside the range.
pub fn linear_ticks(low: f64, high: f64, target: usize) -> AxisTicks {
    let (low, high) = if low <= high {
        (low, high)
    } else {
        (high, low)
    };
    let values = pretty(low, high, target);
    let step = if values.len() >= 2 {
        values[1] - values[0]
    } else {
        1.0
    };
    let tolerance = 1e-9 * (high - low).abs().max(f64::MIN_POSITIVE);
    let major = values
        .into_iter()
        .filter(|value| *value >= low - tolerance && *value <= high + tolerance)
        .map(|value| Tick {
            value,
            label: TickLabel::Plain(tick_label(value, step)),
        })
        .collect();
    AxisTicks {
        major,
        minor: Vec::new(),
    }
}

/// Ticks for a logarithmic axis (base 2 or 10) showing `[low, high]`
/// (both positive), aiming at no more than `target + 1` labels.
///
/// ```
/// use osteon_report::svg::ticks::{log_ticks, TickLabel};
/// let ticks = log_ticks(0.5, 2000.0, 10, 6);
/// let labels: Vec<_> = ticks.major.iter().map(|t| t.label.clone()).collect();
/// assert_eq!(labels, ["1", "10", "100", "1000"].map(|s| TickLabel::Plain(s.into())));
/// ```
pub fn log_ticks(low: f64, high: f64, base: u32, target: usize) -> AxisTicks {
    let (low, high) = if low <= high {
        (low, high)
    } else {
        (high, low)
    };
    if !(low > 0.0 && high.is_finite()) {
        return AxisTicks::default();
    }
    let log_base = f64::from(base).ln();
    let first = ((low.ln() / log_base) - 1e-9).ceil() as i32;
    let last = ((high.ln() / log_base) + 1e-9).floor() as i32;
    let powers = last - first + 1;
    if powers >= 2 {
        return power_ticks(low, high, base, first, last, target.max(2));
    }
    if base == 10 {
        let ticks = one_two_five_ticks(low, high);
        if ticks.major.len() >= 3 {
            return ticks;
        }
    }
    linear_ticks(low, high, target.clamp(2, 4))
}

/// Ticks at powers of `base` from `base^first` to `base^last`.
fn power_ticks(low: f64, high: f64, base: u32, first: i32, last: i32, target: usize) -> AxisTicks {
    let powers = (last - first + 1) as usize;
    let step = powers.div_ceil(target + 1).max(1) as i32;
    let labelled: Vec<i32> = (first..=last).filter(|k| k.rem_euclid(step) == 0).collect();
    let labelled = if labelled.len() >= 2 {
        labelled
    } else {
        (first..=last).step_by(step as usize).collect()
    };
    let plain = match base {
        10 => labelled.iter().all(|k| (-2..=3).contains(k)),
        _ => labelled.iter().all(|k| (-4..=10).contains(k)),
    };
    let major = labelled
        .iter()
        .map(|&exponent| Tick {
            value: f64::from(base).powi(exponent),
            label: if plain {
                TickLabel::Plain(plain_power(base, exponent))
            } else {
                TickLabel::Power { base, exponent }
            },
        })
        .collect();
    let mut minor = Vec::new();
    if step > 1 {
        minor.extend(
            (first..=last)
                .filter(|k| !labelled.contains(k))
                .map(|k| f64::from(base).powi(k)),
        );
    } else if base == 10 && powers <= 6 {
        for exponent in (first - 1)..=last {
            for multiple in 2..=9 {
                let value = f64::from(multiple) * 10f64.powi(exponent);
                if value >= low && value <= high {
                    minor.push(value);
                }
            }
        }
    }
    AxisTicks { major, minor }
}

/// `base^exponent` as a plain decimal (exact for bases 2 and 10).
fn plain_power(base: u32, exponent: i32) -> String {
    match base {
        10 => plain_power_of_ten(1, exponent),
        _ if exponent >= 0 => (1u64 << exponent.min(62)).to_string(),
        _ => {
            // 2^-k = 5^k × 10^-k, exact as a decimal.
            let shift = exponent.unsigned_abs();
            plain_power_of_ten(5u32.pow(shift.min(13)), exponent)
        }
    }
}

/// Ticks at 1, 2 and 5 × 10ᵏ inside `[low, high]`, for log axes spanning
/// less than two decades.
fn one_two_five_ticks(low: f64, high: f64) -> AxisTicks {
    let first = low.log10().floor() as i32;
    let last = high.log10().ceil() as i32;
    let mut major = Vec::new();
    for exponent in first..=last {
        for multiple in [1u32, 2, 5] {
            let value = f64::from(multiple) * 10f64.powi(exponent);
            if value >= low * (1.0 - 1e-12) && value <= high * (1.0 + 1e-12) {
                major.push(Tick {
                    value,
                    label: TickLabel::Plain(plain_power_of_ten(multiple, exponent)),
                });
            }
        }
    }
    AxisTicks {
        major,
        minor: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(ticks: &AxisTicks) -> Vec<String> {
        ticks
            .major
            .iter()
            .map(|tick| {
                let (base, exponent) = tick.label.parts();
                if exponent.is_empty() {
                    base
                } else {
                    format!("{base}^{exponent}")
                }
            })
            .collect()
    }

    #[test]
    fn pretty_matches_r() {
        // R: pretty(c(0, 97))
        assert_eq!(pretty(0.0, 97.0, 5), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        // R: pretty(c(0, 1))
        assert_eq!(
            pretty(0.0, 1.0, 5),
            [0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]
        );
        // R: pretty(c(-3.2, 4.7)) -> -4 -2 0 2 4 6
        assert_eq!(pretty(-3.2, 4.7, 5), [-4.0, -2.0, 0.0, 2.0, 4.0, 6.0]);
        // R: pretty(c(0.0013, 0.0087)) -> 0.000 0.002 0.004 0.006 0.008 0.010
        let values = pretty(0.0013, 0.0087, 5);
        assert_eq!(values.len(), 6);
        assert!((values[5] - 0.01).abs() < 1e-15);
        // R: pretty(c(1, 1)) -> 0 1 (a degenerate range still gets ticks)
        assert_eq!(pretty(1.0, 1.0, 5), [0.0, 1.0]);
        // R: pretty(c(0, 0)) -> -1 0 (pretty(0) in R gives -1 0)
        assert_eq!(pretty(0.0, 0.0, 5), [-1.0, 0.0]);
        // R: pretty(c(12, 1234567)) -> 0e+00 2e+05 4e+05 ... 1.4e+06
        let values = pretty(12.0, 1234567.0, 5);
        assert_eq!(values.first(), Some(&0.0));
        assert_eq!(values.last(), Some(&1_400_000.0));
        assert_eq!(values.len(), 8);
    }

    #[test]
    fn linear_ticks_stay_inside_the_range() {
        let ticks = linear_ticks(-0.5, 97.0, 5);
        assert_eq!(labels(&ticks), ["0", "20", "40", "60", "80"]);
        let ticks = linear_ticks(0.0, 1.0, 5);
        assert_eq!(labels(&ticks), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
        let ticks = linear_ticks(-3.2, 4.7, 5);
        assert_eq!(labels(&ticks), ["\u{2212}2", "0", "2", "4"]);
    }

    #[test]
    fn log10_ticks_use_powers() {
        let ticks = log_ticks(0.3, 150.0, 10, 6);
        assert_eq!(labels(&ticks), ["1", "10", "100"]);
        assert!(ticks.minor.contains(&0.5) && ticks.minor.contains(&20.0));
        assert!(!ticks.minor.contains(&0.2)); // below the range
        let ticks = log_ticks(1e-9, 1.0, 10, 6);
        assert_eq!(
            labels(&ticks),
            [
                "10^\u{2212}8",
                "10^\u{2212}6",
                "10^\u{2212}4",
                "10^\u{2212}2",
                "10^0"
            ]
        );
        assert_eq!(ticks.minor.len(), 5); // 1e-9, 1e-7, 1e-5, 1e-3, 1e-1
        let ticks = log_ticks(0.5, 1e5, 10, 6);
        assert_eq!(
            labels(&ticks),
            ["10^0", "10^1", "10^2", "10^3", "10^4", "10^5"]
        );
    }

    #[test]
    fn narrow_log_ranges_use_one_two_five() {
        let ticks = log_ticks(15.0, 600.0, 10, 6);
        assert_eq!(labels(&ticks), ["20", "50", "100", "200", "500"]);
        let ticks = log_ticks(3.1, 3.9, 10, 6);
        assert_eq!(labels(&ticks), ["3.2", "3.4", "3.6", "3.8"]);
    }

    #[test]
    fn log2_ticks() {
        let ticks = log_ticks(0.2, 9.0, 2, 6);
        assert_eq!(labels(&ticks), ["0.25", "0.5", "1", "2", "4", "8"]);
        let ticks = log_ticks(1.0 / 1024.0, 1024.0, 2, 6);
        let expected: Vec<String> = [-9, -6, -3, 0, 3, 6, 9]
            .iter()
            .map(|k: &i32| {
                format!(
                    "2^{}",
                    if *k < 0 {
                        format!("\u{2212}{}", -k)
                    } else {
                        k.to_string()
                    }
                )
            })
            .collect();
        assert_eq!(labels(&ticks), expected);
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        assert!(pretty(f64::NAN, 1.0, 5).is_empty());
        assert!(log_ticks(0.0, 10.0, 10, 5).major.is_empty());
        assert_eq!(linear_ticks(5.0, 5.0, 5).major.len(), 1);
    }
}
