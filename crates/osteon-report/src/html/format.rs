//! Number display for report tables: the one documented rule that turns a
//! value into the text shown in a cell, so that integration tests can compare
//! an HTML table with the TSV it summarises.

/// The most significant digits [`format_number`] shows; an `f64` holds at
/// most 17.
pub const MAX_SIG_DIGITS: u8 = 17;

/// Formats `x` for display with `sig_digits` significant digits.
///
/// This is the exact text of every number and p-value cell in a report
/// table, and of nothing else; the cell's `data-value` attribute keeps the
/// full value. The rule:
///
/// - `NaN` is `NA`, infinities are `Inf` / `-Inf`, and zero (of either sign)
///   is `0`.
/// - `sig_digits` is clamped to `1..=17`. The value is rounded to that many
///   significant digits from its exact binary value, ties to even (Rust's
///   core float formatting). Let `e` be the decimal exponent of the rounded
///   value (`9.9996` at 3 digits rounds to `10.0`, so `e = 1`).
/// - If `-4 <= e < 15` the value is written in fixed notation with
///   `max(sig_digits - 1 - e, 0)` decimals, then trailing zeros after the
///   decimal point (and a bare point) are dropped: large values keep all
///   their integer digits (`1234.5` at 3 digits is `1234`).
/// - Otherwise it is written in scientific notation as R writes it: the
///   mantissa without trailing zeros, `e`, a sign and at least two exponent
///   digits (`1.2e-08`, `3e+20`).
///
/// ```
/// use osteon_report::html::format_number;
/// assert_eq!(format_number(1.23456e-8, 2), "1.2e-08");
/// assert_eq!(format_number(0.012345, 3), "0.0123");
/// assert_eq!(format_number(-2.5, 3), "-2.5");
/// assert_eq!(format_number(1234.5, 3), "1234");
/// assert_eq!(format_number(9.9996, 3), "10");
/// assert_eq!(format_number(f64::NAN, 3), "NA");
/// ```
pub fn format_number(x: f64, sig_digits: u8) -> String {
    if x.is_nan() {
        return "NA".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Inf" } else { "-Inf" }.to_string();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let digits = usize::from(sig_digits.clamp(1, MAX_SIG_DIGITS));
    let magnitude = x.abs();
    let sign = if x < 0.0 { "-" } else { "" };
    let scientific = format!("{:.*e}", digits - 1, magnitude);
    let (mantissa, exponent) = scientific
        .split_once('e')
        .expect("LowerExp output always has an exponent");
    let exponent: i32 = exponent.parse().expect("LowerExp exponent is an integer");
    if (-4..15).contains(&exponent) {
        let decimals = (digits as i32 - 1 - exponent).max(0) as usize;
        let fixed = format!("{:.*}", decimals, magnitude);
        format!("{sign}{}", trim_fraction_zeros(&fixed))
    } else {
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        format!(
            "{sign}{}e{exponent_sign}{:02}",
            trim_fraction_zeros(mantissa),
            exponent.unsigned_abs()
        )
    }
}

/// The full value of a number cell as kept in its `data-value` attribute:
/// the shortest text that parses back to the same `f64` (Rust's `{:e}`, e.g.
/// `1.2345e-8`, `0e0`), `Infinity` / `-Infinity` for infinities (what
/// JavaScript's `Number()` reads), and `None` for `NaN` (the attribute is
/// then left out and the cell sorts as NA).
pub(crate) fn data_value(x: f64) -> Option<String> {
    if x.is_nan() {
        None
    } else if x.is_infinite() {
        Some(if x > 0.0 { "Infinity" } else { "-Infinity" }.to_string())
    } else {
        Some(format!("{x:e}"))
    }
}

/// `1234567` → `1,234,567`, for the row counts shown above tables.
pub(crate) fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    // The first group holds 1 to 3 digits, every later group exactly 3.
    let first_group = digits.len() - (digits.len() - 1) / 3 * 3;
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    grouped.push_str(&digits[..first_group]);
    let mut start = first_group;
    while start < digits.len() {
        grouped.push(',');
        grouped.push_str(&digits[start..start + 3]);
        start += 3;
    }
    grouped
}

/// Drops trailing zeros after a decimal point, and the point itself when
/// nothing follows it.
fn trim_fraction_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_values() {
        assert_eq!(format_number(f64::NAN, 3), "NA");
        assert_eq!(format_number(f64::INFINITY, 3), "Inf");
        assert_eq!(format_number(f64::NEG_INFINITY, 3), "-Inf");
        assert_eq!(format_number(0.0, 3), "0");
        assert_eq!(format_number(-0.0, 3), "0");
    }

    #[test]
    fn p_value_style_scientific() {
        // R: format(signif(1.23456e-8, 2)) == "1.2e-08"
        assert_eq!(format_number(1.23456e-8, 2), "1.2e-08");
        assert_eq!(format_number(2.2e-16, 2), "2.2e-16");
        assert_eq!(format_number(1e-300, 2), "1e-300");
        assert_eq!(format_number(5e-324, 3), "4.94e-324");
        assert_eq!(format_number(-3.0e20, 4), "-3e+20");
        assert_eq!(format_number(1.0e15, 3), "1e+15");
        // 0.000099996 rounds up to 1.00e-4, which is shown in fixed notation.
        assert_eq!(format_number(0.000099996, 3), "0.0001");
        assert_eq!(format_number(0.000012345, 3), "1.23e-05");
    }

    #[test]
    fn fixed_notation() {
        assert_eq!(format_number(0.05, 2), "0.05");
        assert_eq!(format_number(1.0, 2), "1");
        assert_eq!(format_number(0.012345, 3), "0.0123");
        assert_eq!(format_number(-2.5, 3), "-2.5");
        assert_eq!(format_number(2.34567, 4), "2.346");
        assert_eq!(format_number(1234.5, 3), "1234");
        assert_eq!(format_number(1235.5, 3), "1236");
        assert_eq!(format_number(9.9996, 3), "10");
        assert_eq!(format_number(123_456_789_012.0, 3), "123456789012");
        assert_eq!(format_number(0.1 + 0.2, 17), "0.30000000000000004");
    }

    #[test]
    fn ties_round_to_even() {
        // 0.125 and 0.375 are exact binary values, so these are true ties.
        assert_eq!(format_number(0.125, 2), "0.12");
        assert_eq!(format_number(0.375, 2), "0.38");
        assert_eq!(format_number(2.5, 1), "2");
    }

    #[test]
    fn digits_are_clamped() {
        assert_eq!(format_number(2.34567, 0), "2");
        assert_eq!(format_number(0.1, 40), "0.10000000000000001");
    }

    #[test]
    fn data_value_round_trips() {
        for x in [1.2345e-8, 0.1 + 0.2, -7.0, 5e-324, f64::MAX, 0.0] {
            let text = data_value(x).unwrap();
            assert_eq!(text.parse::<f64>().unwrap(), x, "{text}");
        }
        assert_eq!(data_value(f64::NAN), None);
        assert_eq!(data_value(f64::NEG_INFINITY).as_deref(), Some("-Infinity"));
    }

    #[test]
    fn thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(12), "12");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(100_000), "100,000");
        assert_eq!(group_thousands(1000), "1,000");
        assert_eq!(group_thousands(18_432), "18,432");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
    }
}
