//! Text measurement without a font engine, for laying out labels before the
//! browser renders them. Widths use the Helvetica advance widths of Adobe's
//! core-font metrics (`Helvetica.afm`, units of 1/1000 em; Arial and
//! Liberation Sans share them). Characters outside printable ASCII count as
//! 0.6 em (CJK and other wide characters 1 em), and every measurement is
//! rounded up by 4 % so that a fallback to a wider sans-serif font such as
//! DejaVu Sans still fits in most cases.

/// The font stack every figure uses: Helvetica-metric fonts first.
pub const FONT_FAMILY: &str = "Helvetica, Arial, 'Liberation Sans', 'Nimbus Sans', sans-serif";

/// Helvetica advance widths for ASCII 32 (space) to 126 (`~`).
const HELVETICA_WIDTHS: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // ' ' .. '/'
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // '0' .. '9'
    278, 278, 584, 584, 584, 556, 1015, // ':' .. '@'
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // 'A' .. 'M'
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // 'N' .. 'Z'
    278, 278, 278, 469, 556, 333, // '[' .. '`'
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // 'a' .. 'm'
    556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // 'n' .. 'z'
    334, 260, 334, 584, // '{' .. '~'
];

/// Advance width of one character in 1/1000 em.
fn char_width(character: char) -> u32 {
    let code = character as u32;
    match code {
        32..=126 => u32::from(HELVETICA_WIDTHS[(code - 32) as usize]),
        0x2212 => 584,                                     // minus sign
        0x00D7 => 584,                                     // multiplication sign
        0x2026 => 1000,                                    // ellipsis
        0x2070..=0x209F | 0x00B2 | 0x00B3 | 0x00B9 => 350, // super/subscripts
        0x0300..=0x036F => 0,                              // combining marks
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFF00..=0xFF60 => {
            1000
        }
        _ => 600,
    }
}

/// Estimated rendered width in pixels of `text` at `font_size` pixels.
///
/// ```
/// use osteon_report::svg::text::text_width;
/// // "10" in Helvetica is 2 × 0.556 em; at 10 px that is 11.12 px, plus 4 %.
/// assert!((text_width("10", 10.0) - 11.5648).abs() < 1e-9);
/// ```
pub fn text_width(text: &str, font_size: f64) -> f64 {
    let units: u32 = text.chars().map(char_width).sum();
    f64::from(units) / 1000.0 * font_size * 1.04
}

/// Estimated width of bold text: Helvetica-Bold is up to about 10 % wider
/// than the regular weight.
pub fn bold_text_width(text: &str, font_size: f64) -> f64 {
    text_width(text, font_size) * 1.1
}

/// Width of a base text followed by a superscript at 75 % size (tick
/// labels such as 10⁻³).
pub fn text_width_with_superscript(base: &str, superscript: &str, font_size: f64) -> f64 {
    text_width(base, font_size) + text_width(superscript, font_size * SUPERSCRIPT_SCALE)
}

/// Relative size of superscripts.
pub const SUPERSCRIPT_SCALE: f64 = 0.75;

/// `text` shortened with a trailing ellipsis so that it fits in
/// `max_width` pixels; unchanged when it already fits.
///
/// ```
/// use osteon_report::svg::text::truncate_to_width;
/// assert_eq!(truncate_to_width("ossification", 1000.0, 11.0), "ossification");
/// assert_eq!(truncate_to_width("ossification", 40.0, 11.0), "ossifi…");
/// ```
pub fn truncate_to_width(text: &str, max_width: f64, font_size: f64) -> String {
    if text_width(text, font_size) <= max_width {
        return text.to_string();
    }
    let mut kept = String::new();
    for character in text.chars() {
        let mut candidate = kept.clone();
        candidate.push(character);
        candidate.push('…');
        if text_width(&candidate, font_size) > max_width {
            break;
        }
        kept.push(character);
    }
    let mut result = kept.trim_end().to_string();
    result.push('…');
    result
}

/// Breaks `text` at spaces (or inside over-long words) into at most
/// `max_lines` lines no wider than `max_width` pixels; the last line ends
/// with an ellipsis when text had to be dropped.
///
/// ```
/// use osteon_report::svg::text::wrap_to_width;
/// let lines = wrap_to_width("regulation of ossification", 120.0, 11.0, 2);
/// assert_eq!(lines, ["regulation of", "ossification"]);
/// ```
pub fn wrap_to_width(text: &str, max_width: f64, font_size: f64, max_lines: usize) -> Vec<String> {
    let max_lines = max_lines.max(1);
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut next_word = 0;
    while next_word < words.len() {
        let word = words[next_word];
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if current.is_empty() || text_width(&candidate, font_size) <= max_width {
            current = candidate;
            next_word += 1;
        } else {
            lines.push(std::mem::take(&mut current));
            if lines.len() == max_lines {
                break;
            }
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    for line in &mut lines {
        if text_width(line, font_size) > max_width {
            *line = truncate_to_width(line, max_width, font_size);
        }
    }
    if next_word < words.len() {
        if let Some(last) = lines.last_mut() {
            if !last.ends_with('…') {
                *last = truncate_to_width(&format!("{last}…"), max_width, font_size);
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_helvetica() {
        // "M" = 833/1000 em; at 12 px: 9.996 px × 1.04
        assert!((text_width("M", 12.0) - 9.996 * 1.04).abs() < 1e-12);
        assert!(text_width("iiii", 11.0) < text_width("MMMM", 11.0));
        assert_eq!(text_width("", 11.0), 0.0);
        assert!((text_width("é", 10.0) - 6.24).abs() < 1e-12);
    }

    #[test]
    fn wrapping_keeps_every_word_or_marks_the_cut() {
        let long =
            "positive regulation of osteoblast differentiation involved in bone mineralization";
        let lines = wrap_to_width(long, 150.0, 11.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
        for line in &lines {
            assert!(text_width(line, 11.0) <= 150.0, "{line}");
        }
        let short = wrap_to_width("ossification", 150.0, 11.0, 2);
        assert_eq!(short, ["ossification"]);
        let one_line = wrap_to_width("bone mineralization", 60.0, 11.0, 1);
        assert_eq!(one_line.len(), 1);
        assert!(one_line[0].ends_with('…'));
        let giant_word = wrap_to_width("Supercalifragilisticexpialidocious", 60.0, 11.0, 2);
        assert!(giant_word.iter().all(|line| text_width(line, 11.0) <= 60.0));
        assert!(wrap_to_width("", 60.0, 11.0, 2).len() <= 1);
    }
}
