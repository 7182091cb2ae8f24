//! Colours: the Okabe–Ito categorical palette (Okabe & Ito 2008, "Color
//! Universal Design", distinguishable under the common colour-vision
//! deficiencies) and the viridis continuous scale (van der Walt & Smith,
//! matplotlib 2.0; the 11 anchors are R's `viridisLite::viridis(11)`),
//! interpolated linearly in sRGB between anchors.

use std::fmt;

/// An opaque sRGB colour, printed as `#rrggbb`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Color {
    /// Red, 0–255.
    pub r: u8,
    /// Green, 0–255.
    pub g: u8,
    /// Blue, 0–255.
    pub b: u8,
}

impl Color {
    /// A colour from its 24-bit hexadecimal value, e.g. `0x0072B2`.
    pub const fn hex(value: u32) -> Color {
        Color {
            r: ((value >> 16) & 0xFF) as u8,
            g: ((value >> 8) & 0xFF) as u8,
            b: (value & 0xFF) as u8,
        }
    }

    /// Linear interpolation towards `other` (`t` = 0 gives `self`).
    pub fn mix(self, other: Color, t: f64) -> Color {
        let t = if t.is_finite() {
            t.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let channel =
            |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Color {
            r: channel(self.r, other.r),
            g: channel(self.g, other.g),
            b: channel(self.b, other.b),
        }
    }
}

impl fmt::Display for Color {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

/// Black.
pub const BLACK: Color = Color::hex(0x000000);
/// White.
pub const WHITE: Color = Color::hex(0xFFFFFF);
/// Text and axis lines.
pub const INK: Color = Color::hex(0x222222);
/// Secondary text (subtitles, notes).
pub const MUTED_INK: Color = Color::hex(0x555555);
/// Non-significant points, reference lines.
pub const GREY: Color = Color::hex(0x9A9A9A);
/// Light grid lines.
pub const GRID: Color = Color::hex(0xE6E6E6);

/// Okabe–Ito orange.
pub const ORANGE: Color = Color::hex(0xE69F00);
/// Okabe–Ito sky blue.
pub const SKY_BLUE: Color = Color::hex(0x56B4E9);
/// Okabe–Ito bluish green.
pub const BLUISH_GREEN: Color = Color::hex(0x009E73);
/// Okabe–Ito yellow.
pub const YELLOW: Color = Color::hex(0xF0E442);
/// Okabe–Ito blue.
pub const BLUE: Color = Color::hex(0x0072B2);
/// Okabe–Ito vermillion.
pub const VERMILLION: Color = Color::hex(0xD55E00);
/// Okabe–Ito reddish purple.
pub const REDDISH_PURPLE: Color = Color::hex(0xCC79A7);

/// The Okabe–Ito palette in the order used for groups: strongest contrast
/// on white first, the pale yellow last.
pub const OKABE_ITO: [Color; 8] = [
    BLUE,
    VERMILLION,
    BLUISH_GREEN,
    ORANGE,
    REDDISH_PURPLE,
    SKY_BLUE,
    BLACK,
    YELLOW,
];

/// The colour of the `index`-th group (cycling after eight groups; figures
/// also vary the marker shape, so groups 9+ stay distinguishable).
pub fn categorical(index: usize) -> Color {
    OKABE_ITO[index % OKABE_ITO.len()]
}

/// R `viridisLite::viridis(11)` (alpha dropped).
const VIRIDIS: [Color; 11] = [
    Color::hex(0x440154),
    Color::hex(0x482576),
    Color::hex(0x414487),
    Color::hex(0x35608D),
    Color::hex(0x2A788E),
    Color::hex(0x21908C),
    Color::hex(0x22A884),
    Color::hex(0x43BF71),
    Color::hex(0x7AD151),
    Color::hex(0xBBDF27),
    Color::hex(0xFDE725),
];

/// The viridis colour at `t` in `[0, 1]` (dark purple at 0, yellow at 1);
/// values outside are clamped, a non-finite `t` gives the middle colour.
///
/// ```
/// use osteon_report::svg::color::viridis;
/// assert_eq!(viridis(0.0).to_string(), "#440154");
/// assert_eq!(viridis(1.0).to_string(), "#fde725");
/// ```
pub fn viridis(t: f64) -> Color {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let position = t * (VIRIDIS.len() - 1) as f64;
    let index = (position.floor() as usize).min(VIRIDIS.len() - 2);
    VIRIDIS[index].mix(VIRIDIS[index + 1], position - index as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        assert_eq!(Color::hex(0x0072B2).to_string(), "#0072b2");
        assert_eq!(BLACK.mix(WHITE, 0.5).to_string(), "#808080");
    }

    #[test]
    fn viridis_hits_its_anchors_and_clamps() {
        assert_eq!(viridis(0.5), Color::hex(0x21908C));
        assert_eq!(viridis(-3.0), viridis(0.0));
        assert_eq!(viridis(7.0), viridis(1.0));
        // halfway between anchors 0 and 1: ((0x44+0x48)/2, (0x01+0x25)/2, (0x54+0x76)/2)
        assert_eq!(
            viridis(0.05),
            Color {
                r: 0x46,
                g: 0x13,
                b: 0x65
            }
        );
    }

    #[test]
    fn palette_cycles() {
        assert_eq!(categorical(0), BLUE);
        assert_eq!(categorical(8), BLUE);
        assert_eq!(categorical(7), YELLOW);
    }
}
