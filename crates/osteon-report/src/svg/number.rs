//! Number formatting for SVG output: fixed-precision coordinates (so that the
//! same figure always gives the same bytes) and human-readable tick and
//! annotation labels (typographic minus sign, thousands separators, powers of
//! ten written with superscripts).

/// The typographic minus sign (U+2212) used in every printed label.
pub const MINUS: char = '\u{2212}';

/// Formats a coordinate or length with at most two decimals, trailing zeros
/// removed and negative zero printed as `0`. A non-finite value, which the
/// document builder never lets through, prints as `0` rather than `NaN`.
///
/// ```
/// use osteon_report::svg::number::coordinate;
/// assert_eq!(coordinate(12.3456), "12.35");
/// assert_eq!(coordinate(-0.001), "0");
/// assert_eq!(coordinate(40.0), "40");
/// ```
pub fn coordinate(value: f64) -> String {
    if !value.is_finite() {
        return "0".to_string();
    }
    let mut text = format!("{value:.2}");
    trim_decimal_zeros(&mut text);
    if text == "-0" {
        text = "0".to_string();
    }
    text
}

/// Removes trailing zeros after a decimal point, and the point itself when
/// nothing remains after it.
fn trim_decimal_zeros(text: &mut String) {
    if text.contains('.') {
        while text.ends_with('0') {
            text.pop();
        }
        if text.ends_with('.') {
            text.pop();
        }
    }
}

/// Replaces an ASCII hyphen-minus at the start of a number by the
/// typographic minus sign.
fn typographic_minus(text: String) -> String {
    match text.strip_prefix('-') {
        Some(rest) => format!("{MINUS}{rest}"),
        None => text,
    }
}

/// Inserts thousands separators (`,`) into the integer part of a plain
/// decimal number such as `1234567.5`.
fn group_thousands(text: &str) -> String {
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (integer, fraction) = match unsigned.find('.') {
        Some(position) => unsigned.split_at(position),
        None => (unsigned, ""),
    };
    let mut grouped = String::with_capacity(integer.len() + integer.len() / 3);
    for (index, digit) in integer.chars().enumerate() {
        if index > 0 && (integer.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped}{fraction}")
}

/// Number of decimals needed to print multiples of `step` exactly (for the
/// 1-2-5 steps of [`super::ticks::pretty`]).
pub fn decimals_for_step(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0) {
        return 0;
    }
    let needed = (-step.log10() - 1e-9).ceil();
    needed.clamp(0.0, 12.0) as usize
}

/// Formats a tick value on a linear axis whose ticks are `step` apart:
/// exactly as many decimals as the step needs, thousands separators from
/// 10 000 on, and a typographic minus sign.
///
/// ```
/// use osteon_report::svg::number::tick_label;
/// assert_eq!(tick_label(0.6000000000000001, 0.2), "0.6");
/// assert_eq!(tick_label(-2.0, 1.0), "\u{2212}2");
/// assert_eq!(tick_label(25000.0, 5000.0), "25,000");
/// ```
pub fn tick_label(value: f64, step: f64) -> String {
    let decimals = decimals_for_step(step);
    let mut text = format!("{value:.decimals$}");
    if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        text = text.trim_start_matches('-').to_string();
    }
    if value.abs() >= 10_000.0 {
        text = group_thousands(&text);
    }
    typographic_minus(text)
}

/// Writes `mantissa × 10^exponent` as a plain decimal without rounding
/// error, e.g. `(5, -3)` gives `0.005` and `(2, 4)` gives `20000`.
pub fn plain_power_of_ten(mantissa: u32, exponent: i32) -> String {
    let digits = mantissa.to_string();
    if exponent >= 0 {
        format!("{digits}{}", "0".repeat(exponent as usize))
    } else {
        let shift = (-exponent) as usize;
        if digits.len() > shift {
            let (integer, fraction) = digits.split_at(digits.len() - shift);
            format!("{integer}.{fraction}")
        } else {
            format!("0.{}{digits}", "0".repeat(shift - digits.len()))
        }
    }
}

/// Writes an integer with Unicode superscript digits (and superscript
/// minus), for exponents inside plain-text labels such as `10⁻⁵`.
pub fn superscript(exponent: i32) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let mut text = String::new();
    if exponent < 0 {
        text.push('⁻');
    }
    for digit in exponent.unsigned_abs().to_string().bytes() {
        text.push(DIGITS[(digit - b'0') as usize]);
    }
    text
}

/// Formats a statistic for an annotation (titles, hover labels) with
/// `digits` significant digits: plain notation between 0.001 and 100 000,
/// `m × 10ᵏ` outside it, `NA` for a non-finite value (as R prints it).
///
/// ```
/// use osteon_report::svg::number::significant;
/// assert_eq!(significant(0.0123456, 3), "0.0123");
/// assert_eq!(significant(3.2e-5, 2), "3.2 × 10⁻⁵");
/// assert_eq!(significant(-1.5, 3), "\u{2212}1.5");
/// assert_eq!(significant(f64::NAN, 3), "NA");
/// ```
pub fn significant(value: f64, digits: usize) -> String {
    if !value.is_finite() {
        return "NA".to_string();
    }
    if value == 0.0 {
        return "0".to_string();
    }
    let digits = digits.max(1);
    let magnitude = value.abs();
    if (1e-3..1e5).contains(&magnitude) {
        let exponent = magnitude.log10().floor() as i32;
        let decimals = (digits as i32 - 1 - exponent).max(0) as usize;
        let mut text = format!("{value:.decimals$}");
        trim_decimal_zeros(&mut text);
        return typographic_minus(text);
    }
    let scientific = format!("{:.*e}", digits - 1, value);
    let (mantissa, exponent) = scientific
        .split_once('e')
        .expect("Rust's {:e} format always has an exponent");
    let mut mantissa = mantissa.to_string();
    trim_decimal_zeros(&mut mantissa);
    let exponent: i32 = exponent.parse().expect("exponent of {:e} is an integer");
    format!(
        "{} × 10{}",
        typographic_minus(mantissa),
        superscript(exponent)
    )
}

/// Formats a count-like number (numbers at risk, library sizes) as an
/// integer with thousands separators when it is integral, otherwise with
/// one decimal.
pub fn count(value: f64) -> String {
    if !value.is_finite() {
        return "NA".to_string();
    }
    let text = if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    };
    typographic_minus(group_thousands(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_have_at_most_two_decimals() {
        assert_eq!(coordinate(1.0 / 3.0), "0.33");
        assert_eq!(coordinate(2.005), "2"); // 2.005 is stored as 2.00499999…
        assert_eq!(coordinate(-12.5), "-12.5");
        assert_eq!(coordinate(f64::NAN), "0");
        assert_eq!(coordinate(f64::INFINITY), "0");
    }

    #[test]
    fn tick_labels_follow_the_step() {
        assert_eq!(tick_label(0.0, 20.0), "0");
        assert_eq!(tick_label(-0.0, 0.5), "0.0");
        assert_eq!(tick_label(1.5, 0.5), "1.5");
        assert_eq!(tick_label(0.05, 0.05), "0.05");
        assert_eq!(tick_label(1_000_000.0, 200_000.0), "1,000,000");
        assert_eq!(tick_label(-15000.0, 5000.0), "\u{2212}15,000");
        assert_eq!(decimals_for_step(1.0), 0);
        assert_eq!(decimals_for_step(0.1), 1);
        assert_eq!(decimals_for_step(0.02), 2);
    }

    #[test]
    fn powers_of_ten_are_exact() {
        assert_eq!(plain_power_of_ten(1, 0), "1");
        assert_eq!(plain_power_of_ten(1, -2), "0.01");
        assert_eq!(plain_power_of_ten(25, -1), "2.5");
        assert_eq!(plain_power_of_ten(5, 3), "5000");
        assert_eq!(superscript(-12), "⁻¹²");
        assert_eq!(superscript(3), "³");
    }

    #[test]
    fn significant_digits() {
        assert_eq!(significant(1.8712, 3), "1.87");
        assert_eq!(significant(0.62, 2), "0.62");
        assert_eq!(significant(1e-300, 2), "1 × 10⁻³⁰⁰");
        assert_eq!(significant(123456.0, 3), "1.23 × 10⁵");
        assert_eq!(significant(99.96, 3), "100");
    }

    #[test]
    fn counts_group_thousands() {
        assert_eq!(count(1234567.0), "1,234,567");
        assert_eq!(count(12.0), "12");
        assert_eq!(count(2.5), "2.5");
        assert_eq!(count(f64::NAN), "NA");
    }
}
