//! Legends: categorical keys (vertical beside the plot or in wrapped rows
//! above it), a colour bar for continuous colour scales and a size key for
//! point areas. Long entry labels are truncated with the full text on hover.

use super::color::{Color, INK};
use super::document::{Document, Rect, Span, Style, TextStyle, Value};
use super::marker::{draw_marker, Shape};
use super::scale::{Scale, Transform};
use super::text::{
    bold_text_width, text_width, text_width_with_superscript, truncate_to_width, wrap_to_width,
};
use super::FONT_SIZE;

/// What a legend entry shows next to its label.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Key {
    /// A point marker.
    Marker {
        /// Its shape.
        shape: Shape,
        /// Its fill and outline.
        style: Style,
    },
    /// A short line (for curves and reference lines).
    Line {
        /// Its colour, width and dash.
        style: Style,
    },
    /// A filled square (for bars and bands).
    Swatch {
        /// Its colour.
        color: Color,
    },
}

/// One legend entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The label (escaped when drawn).
    pub label: String,
    /// The key drawn before it.
    pub key: Key,
}

const KEY_WIDTH: f64 = 16.0;
const KEY_GAP: f64 = 5.0;
const ROW_HEIGHT: f64 = 15.0;
const ENTRY_GAP: f64 = 12.0;
/// Longest label drawn in a vertical legend before truncation.
pub const MAX_LABEL_WIDTH: f64 = 150.0;

fn entry_label(entry: &Entry, max_label_width: f64) -> String {
    truncate_to_width(&entry.label, max_label_width, FONT_SIZE)
}

fn entry_width(entry: &Entry, max_label_width: f64) -> f64 {
    KEY_WIDTH + KEY_GAP + text_width(&entry_label(entry, max_label_width), FONT_SIZE)
}

fn draw_key(document: &mut Document, key: &Key, x: f64, center_y: f64) {
    match key {
        Key::Marker { shape, style } => {
            draw_marker(
                document,
                *shape,
                x + KEY_WIDTH / 2.0,
                center_y,
                3.5,
                style,
                None,
            );
        }
        Key::Line { style } => {
            document.line(x, center_y, x + KEY_WIDTH, center_y, style);
        }
        Key::Swatch { color } => {
            document.rect(
                Rect::new(x + 2.0, center_y - 5.0, 12.0, 10.0),
                &Style::fill(*color),
                None,
            );
        }
    }
}

fn draw_entry(document: &mut Document, entry: &Entry, x: f64, center_y: f64, max_label_width: f64) {
    draw_key(document, &entry.key, x, center_y);
    let label = entry_label(entry, max_label_width);
    let style = TextStyle::new(FONT_SIZE, INK);
    let baseline = center_y + FONT_SIZE * 0.35;
    if label == entry.label {
        document.text(x + KEY_WIDTH + KEY_GAP, baseline, &label, &style);
    } else {
        document.text_with_hover(
            x + KEY_WIDTH + KEY_GAP,
            baseline,
            &label,
            &style,
            &entry.label,
        );
    }
}

/// Width and height of a vertical legend.
pub fn vertical_size(title: &str, entries: &[Entry]) -> (f64, f64) {
    if entries.is_empty() {
        return (0.0, 0.0);
    }
    let title_lines = legend_title_lines(title);
    let title_width = title_lines
        .iter()
        .map(|line| text_width(line, FONT_SIZE))
        .fold(0.0, f64::max);
    let width = entries
        .iter()
        .map(|entry| entry_width(entry, MAX_LABEL_WIDTH))
        .fold(title_width, f64::max);
    let height = title_lines.len() as f64 * ROW_HEIGHT + entries.len() as f64 * ROW_HEIGHT;
    (width, height)
}

fn legend_title_lines(title: &str) -> Vec<String> {
    if title.trim().is_empty() {
        Vec::new()
    } else {
        wrap_to_width(title, MAX_LABEL_WIDTH, FONT_SIZE, 2)
    }
}

/// Draws a vertical legend with its top-left corner at (x, y) and returns
/// its height.
pub fn draw_vertical(
    document: &mut Document,
    x: f64,
    y: f64,
    title: &str,
    entries: &[Entry],
) -> f64 {
    if entries.is_empty() {
        return 0.0;
    }
    let mut row_top = y;
    for line in legend_title_lines(title) {
        document.text(
            x,
            row_top + ROW_HEIGHT * 0.72,
            &line,
            &TextStyle::new(FONT_SIZE, INK).bold(),
        );
        row_top += ROW_HEIGHT;
    }
    for entry in entries {
        draw_entry(
            document,
            entry,
            x,
            row_top + ROW_HEIGHT / 2.0,
            MAX_LABEL_WIDTH,
        );
        row_top += ROW_HEIGHT;
    }
    row_top - y
}

/// Lays entries out in rows no wider than `max_width`, after a title of
/// `title_width` pixels on the first row: for each row, the entry indices
/// with their x offsets.
fn horizontal_rows(entries: &[Entry], max_width: f64, title_width: f64) -> Vec<Vec<(usize, f64)>> {
    let mut rows: Vec<Vec<(usize, f64)>> = Vec::new();
    let mut current: Vec<(usize, f64)> = Vec::new();
    let mut offset = if title_width > 0.0 {
        title_width + 8.0
    } else {
        0.0
    };
    for (index, entry) in entries.iter().enumerate() {
        let width = entry_width(entry, horizontal_label_limit(max_width));
        if !current.is_empty() && offset + width > max_width {
            rows.push(std::mem::take(&mut current));
            offset = 0.0;
        }
        current.push((index, offset));
        offset += width + ENTRY_GAP;
    }
    if !current.is_empty() {
        rows.push(current);
    }
    rows
}

/// In a legend row, a label may take the whole row.
fn horizontal_label_limit(max_width: f64) -> f64 {
    (max_width - KEY_WIDTH - KEY_GAP).max(MAX_LABEL_WIDTH)
}

fn horizontal_title_width(title: &str) -> f64 {
    if title.is_empty() {
        0.0
    } else {
        bold_text_width(title, FONT_SIZE)
    }
}

/// Height of a horizontal legend wrapped to `max_width`.
pub fn horizontal_height(entries: &[Entry], max_width: f64) -> f64 {
    horizontal_height_titled("", entries, max_width)
}

/// Height of a horizontal legend with a bold title before its first entry.
pub fn horizontal_height_titled(title: &str, entries: &[Entry], max_width: f64) -> f64 {
    horizontal_rows(entries, max_width, horizontal_title_width(title)).len() as f64 * ROW_HEIGHT
}

/// Draws entries in rows starting at (x, y), wrapping at `max_width`;
/// returns the height used.
pub fn draw_horizontal(
    document: &mut Document,
    x: f64,
    y: f64,
    max_width: f64,
    entries: &[Entry],
) -> f64 {
    draw_horizontal_titled(document, x, y, max_width, "", entries)
}

/// Like [`draw_horizontal`], with a bold title before the first entry.
pub fn draw_horizontal_titled(
    document: &mut Document,
    x: f64,
    y: f64,
    max_width: f64,
    title: &str,
    entries: &[Entry],
) -> f64 {
    if entries.is_empty() {
        return 0.0;
    }
    let rows = horizontal_rows(entries, max_width, horizontal_title_width(title));
    if !title.is_empty() {
        document.text(
            x,
            y + ROW_HEIGHT / 2.0 + FONT_SIZE * 0.35,
            title,
            &TextStyle::new(FONT_SIZE, INK).bold(),
        );
    }
    for (row_index, row) in rows.iter().enumerate() {
        let center_y = y + row_index as f64 * ROW_HEIGHT + ROW_HEIGHT / 2.0;
        for &(index, offset) in row {
            draw_entry(
                document,
                &entries[index],
                x + offset,
                center_y,
                horizontal_label_limit(max_width),
            );
        }
    }
    rows.len() as f64 * ROW_HEIGHT
}

/// A continuous colour key.
#[derive(Clone, Debug)]
pub struct ColorBar<'a> {
    /// Title above the bar (e.g. `p.adjust`).
    pub title: &'a str,
    /// Spacing of values along the bar.
    pub transform: Transform,
    /// Values at the bottom and top of the bar.
    pub domain: (f64, f64),
    /// The colour of a value, given its position in `[0, 1]` along the
    /// domain (0 = bottom).
    pub color_at: fn(f64) -> Color,
}

const BAR_WIDTH: f64 = 10.0;

impl ColorBar<'_> {
    /// The position in `[0, 1]` of `value` along the bar (0 = `domain.0`),
    /// or `None` when it cannot be shown.
    pub fn position(&self, value: f64) -> Option<f64> {
        let scale = Scale::new(self.transform, self.domain, (0.0, 1.0));
        scale.map(value).map(|t| t.clamp(0.0, 1.0))
    }

    /// The colour of `value` (clamped into the domain).
    pub fn color(&self, value: f64) -> Option<Color> {
        self.position(value).map(self.color_at)
    }

    fn tick_labels(&self, height: f64) -> Vec<(f64, String, String)> {
        let scale = Scale::new(self.transform, self.domain, (height, 0.0));
        let target = ((height / 28.0).floor() as usize).clamp(2, 6);
        scale
            .ticks(target)
            .major
            .into_iter()
            .filter_map(|tick| {
                let (base, superscript) = tick.label.parts();
                scale
                    .map(tick.value)
                    .map(|offset| (offset, base, superscript))
            })
            .collect()
    }

    /// Width needed for the bar, its labels and its title.
    pub fn width(&self, height: f64) -> f64 {
        let labels = self
            .tick_labels(height)
            .iter()
            .map(|(_, base, superscript)| text_width_with_superscript(base, superscript, FONT_SIZE))
            .fold(0.0, f64::max);
        let title = legend_title_lines(self.title)
            .iter()
            .map(|line| text_width(line, FONT_SIZE))
            .fold(0.0, f64::max);
        (BAR_WIDTH + 4.0 + 3.0 + labels).max(title)
    }

    /// Height of the title block above the bar.
    pub fn title_height(&self) -> f64 {
        legend_title_lines(self.title).len() as f64 * ROW_HEIGHT
    }

    /// Draws the title at (x, y) and the bar below it, `bar_height` tall;
    /// returns the total height.
    pub fn draw(&self, document: &mut Document, x: f64, y: f64, bar_height: f64) -> f64 {
        let mut top = y;
        for line in legend_title_lines(self.title) {
            document.text(
                x,
                top + ROW_HEIGHT * 0.72,
                &line,
                &TextStyle::new(FONT_SIZE, INK).bold(),
            );
            top += ROW_HEIGHT;
        }
        top += 3.0;
        let stops: Vec<(f64, Color)> = (0..=10)
            .map(|step| {
                let t = f64::from(step) / 10.0;
                (t, (self.color_at)(t))
            })
            .collect();
        let gradient = document.vertical_gradient(&stops);
        document.element(
            "rect",
            &[
                ("x", Value::Number(x)),
                ("y", Value::Number(top)),
                ("width", Value::Number(BAR_WIDTH)),
                ("height", Value::Number(bar_height)),
                ("fill", Value::Raw(gradient)),
            ],
            None,
        );
        let label_style = TextStyle::new(FONT_SIZE, INK);
        for (offset, base, superscript) in self.tick_labels(bar_height) {
            let tick_y = top + offset;
            document.line(
                x + BAR_WIDTH,
                tick_y,
                x + BAR_WIDTH + 3.0,
                tick_y,
                &Style::stroke(INK, 1.0),
            );
            let spans = [
                Span {
                    text: &base,
                    superscript: false,
                },
                Span {
                    text: &superscript,
                    superscript: true,
                },
            ];
            let spans = if superscript.is_empty() {
                &spans[..1]
            } else {
                &spans[..]
            };
            document.text_spans(
                x + BAR_WIDTH + 6.0,
                tick_y + FONT_SIZE * 0.35,
                spans,
                &label_style,
                None,
            );
        }
        top + bar_height - y
    }
}

/// A key for point areas: a few reference sizes with their values.
#[derive(Clone, Debug)]
pub struct SizeKey<'a> {
    /// Title above the key (e.g. `Count`).
    pub title: &'a str,
    /// (label, radius in pixels) from small to large.
    pub sizes: Vec<(String, f64)>,
    /// Fill of the reference circles.
    pub color: Color,
}

impl SizeKey<'_> {
    /// Width and height of the key.
    pub fn size(&self) -> (f64, f64) {
        let largest = self
            .sizes
            .iter()
            .map(|(_, radius)| *radius)
            .fold(0.0, f64::max);
        let label_width = self
            .sizes
            .iter()
            .map(|(label, _)| text_width(label, FONT_SIZE))
            .fold(0.0, f64::max);
        let title_width = text_width(self.title, FONT_SIZE);
        let rows: f64 = self
            .sizes
            .iter()
            .map(|(_, radius)| (2.0 * radius + 4.0).max(ROW_HEIGHT))
            .sum();
        (
            (2.0 * largest + KEY_GAP + label_width).max(title_width),
            ROW_HEIGHT + rows,
        )
    }

    /// Draws the key with its top-left corner at (x, y); returns its height.
    pub fn draw(&self, document: &mut Document, x: f64, y: f64) -> f64 {
        document.text(
            x,
            y + ROW_HEIGHT * 0.72,
            self.title,
            &TextStyle::new(FONT_SIZE, INK).bold(),
        );
        let largest = self
            .sizes
            .iter()
            .map(|(_, radius)| *radius)
            .fold(0.0, f64::max);
        let mut top = y + ROW_HEIGHT;
        for (label, radius) in &self.sizes {
            let row = (2.0 * radius + 4.0).max(ROW_HEIGHT);
            let center_y = top + row / 2.0;
            document.circle(
                x + largest,
                center_y,
                *radius,
                &Style::fill(self.color).with_stroke(INK, 0.5),
                None,
            );
            document.text(
                x + 2.0 * largest + KEY_GAP,
                center_y + FONT_SIZE * 0.35,
                label,
                &TextStyle::new(FONT_SIZE, INK),
            );
            top += row;
        }
        top - y
    }
}

#[cfg(test)]
mod tests {
    use super::super::color::{viridis, BLUE, VERMILLION};
    use super::*;

    fn entries() -> Vec<Entry> {
        vec![
            Entry {
                label: "Up (12)".into(),
                key: Key::Marker {
                    shape: Shape::Circle,
                    style: Style::fill(VERMILLION),
                },
            },
            Entry {
                label: "Down (3)".into(),
                key: Key::Line {
                    style: Style::stroke(BLUE, 1.5),
                },
            },
        ]
    }

    #[test]
    fn rows_wrap_when_too_narrow() {
        assert_eq!(horizontal_height(&entries(), 1000.0), ROW_HEIGHT);
        assert_eq!(horizontal_height(&entries(), 60.0), 2.0 * ROW_HEIGHT);
        let (width, height) = vertical_size("Direction", &entries());
        assert!(width > text_width("Direction", FONT_SIZE) - 1e-9);
        assert_eq!(height, 3.0 * ROW_HEIGHT);
    }

    #[test]
    fn long_labels_are_truncated_with_hover() {
        let mut document = Document::new(300.0, 100.0);
        let long = Entry {
            label: "a very long group name that goes on and on and on and on".into(),
            key: Key::Swatch { color: BLUE },
        };
        draw_vertical(&mut document, 0.0, 0.0, "", std::slice::from_ref(&long));
        let svg = document.finish();
        assert!(svg.contains("…"));
        assert!(
            svg.contains("<title>a very long group name that goes on and on and on and on</title>")
        );
    }

    #[test]
    fn color_bar_maps_values() {
        let bar = ColorBar {
            title: "p.adjust",
            transform: Transform::Log10,
            domain: (1e-6, 1e-2),
            color_at: viridis,
        };
        assert_eq!(bar.position(1e-4), Some(0.5));
        assert_eq!(bar.position(1.0), Some(1.0));
        assert_eq!(bar.color(0.0), None);
        let mut document = Document::new(100.0, 200.0);
        let height = bar.draw(&mut document, 0.0, 0.0, 120.0);
        assert!(height > 120.0);
        let svg = document.finish();
        assert!(svg.contains("<linearGradient"));
        assert!(svg.contains("font-size=\"8.25\">\u{2212}4</tspan>"));
    }
}
