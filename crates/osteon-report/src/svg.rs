//! A small, dependency-free SVG builder for Osteon's figures.
//!
//! Output is deterministic (elements in call order, numbers with at most two
//! decimals, content-derived ids), every text from input data is escaped,
//! and non-finite numbers are never written. Sizes are CSS pixels
//! (1/96 in): a journal column is 3.5 in = 336 px, a full page width 7 in =
//! 672 px, and the smallest text, 11 px, prints at 8.25 pt at those sizes.
//! Every `<svg>` carries `width`, `height` and `viewBox`, so it can be
//! inlined in HTML (as returned) or written as a standalone file
//! ([`standalone`] adds the XML declaration).
//!
//! Parts: [`document`] (the element writer), [`scale`] and [`ticks`]
//! (R-`pretty()` linear ticks, log ticks with 10ᵏ labels), [`chart`]
//! (titles, margins, axes), [`legend`] (keys, colour bar, size key),
//! [`labels`] (point labels without overlaps), [`marker`], [`color`]
//! (Okabe–Ito, viridis), [`text`] (width estimates) and [`number`].

use std::borrow::Cow;

pub mod chart;
pub mod color;
pub mod document;
pub mod labels;
pub mod legend;
pub mod marker;
pub mod number;
pub mod scale;
pub mod text;
pub mod ticks;

pub use chart::{message_figure, AxisSpec, Chart, ChartSpec};
pub use color::Color;
pub use document::{
    standalone, Anchor, Document, PathData, Rect, Style, TextStyle, XML_DECLARATION,
};
pub use scale::{padded_domain, Scale, Transform};

/// Default text size (tick labels, legends, notes) in pixels: 8.25 pt.
pub const FONT_SIZE: f64 = 11.0;
/// Axis titles in pixels: 9 pt.
pub const TITLE_FONT_SIZE: f64 = 12.0;
/// Figure titles in pixels: 9.75 pt, bold.
pub const HEADING_FONT_SIZE: f64 = 13.0;

/// Escapes the five XML special characters (`& < > " '`) so that any text
/// from input data (gene, sample, term names) is inert inside SVG or HTML
/// text and attribute values. Control characters that XML 1.0 does not
/// allow (all below U+0020 except tab, line feed and carriage return) are
/// replaced by U+FFFD so the document stays well-formed. Returns the input
/// unchanged (borrowed) when nothing needs escaping.
///
/// ```
/// use osteon_report::svg::escape_xml;
/// assert_eq!(escape_xml("<script>alert('x')</script>"), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
/// assert_eq!(escape_xml("VEGFA"), "VEGFA");
/// ```
pub fn escape_xml(text: &str) -> Cow<'_, str> {
    let needs_escaping = |character: char| {
        matches!(character, '&' | '<' | '>' | '"' | '\'') || is_forbidden_control(character)
    };
    if !text.chars().any(needs_escaping) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other if is_forbidden_control(other) => escaped.push('\u{FFFD}'),
            other => escaped.push(other),
        }
    }
    Cow::Owned(escaped)
}

/// Characters XML 1.0 forbids even as references.
fn is_forbidden_control(character: char) -> bool {
    (character < ' ' && !matches!(character, '\t' | '\n' | '\r'))
        || matches!(character, '\u{FFFE}' | '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_all_five_characters_and_controls() {
        assert_eq!(escape_xml("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
        assert_eq!(escape_xml("tab\tok\u{1}bad"), "tab\tok\u{FFFD}bad");
        assert!(matches!(escape_xml("plain text"), Cow::Borrowed(_)));
        assert_eq!(escape_xml("&amp;"), "&amp;amp;");
    }
}
