//! The SVG document builder: elements are appended in call order (so the
//! same calls give the same bytes), numbers are written with at most two
//! decimals, every text is escaped, and an element with a non-finite
//! coordinate is skipped and counted instead of writing `NaN`.
//!
//! Element ids (clip paths, gradients) are made unique per figure by
//! deriving them from an FNV-1a hash of the figure's own content, so several
//! figures inlined into one HTML page never reference each other's
//! definitions, and the output stays byte-for-byte reproducible.

use std::fmt::Write as _;

use super::color::{Color, WHITE};
use super::escape_xml;
use super::number::coordinate;
use super::text::{FONT_FAMILY, SUPERSCRIPT_SCALE};

/// Stands for the per-figure id prefix until [`Document::finish`] knows the
/// content hash. U+0001 cannot come from data: [`escape_xml`] replaces it.
const ID_PLACEHOLDER: char = '\u{1}';

/// The XML declaration that starts a standalone `.svg` file.
pub const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// A rectangle in pixel coordinates (y grows downwards).
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

impl Rect {
    /// A rectangle from its left, top, width and height.
    pub fn new(x: f64, y: f64, width: f64, height: f64) -> Rect {
        Rect {
            x,
            y,
            width,
            height,
        }
    }
    /// Right edge.
    pub fn right(&self) -> f64 {
        self.x + self.width
    }
    /// Bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }
    /// Whether the two rectangles overlap (touching edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }
    /// Whether `other` lies entirely inside this rectangle.
    pub fn contains_rect(&self, other: &Rect) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.right() <= self.right()
            && other.bottom() <= self.bottom()
    }
    /// Whether the point lies inside or on the edge.
    pub fn contains_point(&self, x: f64, y: f64) -> bool {
        x >= self.x && x <= self.right() && y >= self.y && y <= self.bottom()
    }
    /// The rectangle grown by `margin` on every side.
    pub fn inflate(&self, margin: f64) -> Rect {
        Rect::new(
            self.x - margin,
            self.y - margin,
            self.width + 2.0 * margin,
            self.height + 2.0 * margin,
        )
    }
}

/// An attribute value.
#[derive(Clone, Debug)]
pub enum Value<'a> {
    /// A number, written with at most two decimals.
    Number(f64),
    /// Text from data, escaped.
    Text(&'a str),
    /// A fixed value chosen by the figure code (not escaped).
    Raw(String),
    /// A colour.
    Color(Color),
}

/// Horizontal text alignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Anchor {
    /// Text starts at x.
    #[default]
    Start,
    /// Text is centred on x.
    Middle,
    /// Text ends at x.
    End,
}

impl Anchor {
    fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// How a text is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextStyle {
    /// Font size in pixels.
    pub size: f64,
    /// Horizontal alignment.
    pub anchor: Anchor,
    /// Bold weight.
    pub bold: bool,
    /// Italic style.
    pub italic: bool,
    /// Text colour.
    pub color: Color,
    /// Rotation in degrees around the anchor point (e.g. −90 for a y-axis
    /// title).
    pub rotate: f64,
}

impl TextStyle {
    /// Regular text of the given size and colour, left-aligned.
    pub fn new(size: f64, color: Color) -> TextStyle {
        TextStyle {
            size,
            anchor: Anchor::Start,
            bold: false,
            italic: false,
            color,
            rotate: 0.0,
        }
    }
    /// The same style with another alignment.
    pub fn anchored(mut self, anchor: Anchor) -> TextStyle {
        self.anchor = anchor;
        self
    }
    /// The same style, bold.
    pub fn bold(mut self) -> TextStyle {
        self.bold = true;
        self
    }
    /// The same style, italic.
    pub fn italic(mut self) -> TextStyle {
        self.italic = true;
        self
    }
    /// The same style rotated by `degrees`.
    pub fn rotated(mut self, degrees: f64) -> TextStyle {
        self.rotate = degrees;
        self
    }
}

/// Fill and stroke of a shape.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    /// Fill colour, `None` for no fill.
    pub fill: Option<Color>,
    /// Fill opacity (1 = opaque).
    pub fill_opacity: f64,
    /// Stroke colour, `None` for no stroke.
    pub stroke: Option<Color>,
    /// Stroke width in pixels.
    pub stroke_width: f64,
    /// Stroke opacity.
    pub stroke_opacity: f64,
    /// Dash pattern (`stroke-dasharray`), e.g. `"4 3"`.
    pub dash: Option<&'static str>,
    /// Write no paint attributes at all: the element inherits fill and
    /// stroke from its group (keeps files with many points small).
    pub inherit: bool,
}

impl Style {
    /// A filled shape without outline.
    pub fn fill(color: Color) -> Style {
        Style {
            fill: Some(color),
            fill_opacity: 1.0,
            stroke: None,
            stroke_width: 1.0,
            stroke_opacity: 1.0,
            dash: None,
            inherit: false,
        }
    }
    /// No paint attributes: fill and stroke come from the enclosing group.
    pub fn inherited() -> Style {
        Style {
            inherit: true,
            ..Style::fill(WHITE)
        }
    }
    /// An outline without fill.
    pub fn stroke(color: Color, width: f64) -> Style {
        Style {
            fill: None,
            fill_opacity: 1.0,
            stroke: Some(color),
            stroke_width: width,
            stroke_opacity: 1.0,
            dash: None,
            inherit: false,
        }
    }
    /// The same style with an outline added.
    pub fn with_stroke(mut self, color: Color, width: f64) -> Style {
        self.stroke = Some(color);
        self.stroke_width = width;
        self
    }
    /// The same style with a fill opacity.
    pub fn with_fill_opacity(mut self, opacity: f64) -> Style {
        self.fill_opacity = opacity;
        self
    }
    /// The same style with a stroke opacity.
    pub fn with_stroke_opacity(mut self, opacity: f64) -> Style {
        self.stroke_opacity = opacity;
        self
    }
    /// The same style with a dashed stroke.
    pub fn dashed(mut self, pattern: &'static str) -> Style {
        self.dash = Some(pattern);
        self
    }

    /// The attributes this style writes, in a fixed order.
    pub fn attributes(&self) -> Vec<(&'static str, Value<'static>)> {
        let mut attributes = Vec::with_capacity(6);
        if self.inherit {
            return attributes;
        }
        match self.fill {
            Some(color) => attributes.push(("fill", Value::Color(color))),
            None => attributes.push(("fill", Value::Raw("none".to_string()))),
        }
        if self.fill.is_some() && self.fill_opacity < 1.0 {
            attributes.push(("fill-opacity", Value::Number(self.fill_opacity)));
        }
        if let Some(color) = self.stroke {
            attributes.push(("stroke", Value::Color(color)));
            attributes.push(("stroke-width", Value::Number(self.stroke_width)));
            if self.stroke_opacity < 1.0 {
                attributes.push(("stroke-opacity", Value::Number(self.stroke_opacity)));
            }
            if let Some(dash) = self.dash {
                attributes.push(("stroke-dasharray", Value::Raw(dash.to_string())));
            }
        }
        attributes
    }
}

/// One piece of a text line: normal or superscript.
#[derive(Clone, Debug, PartialEq)]
pub struct Span<'a> {
    /// The text (escaped when written).
    pub text: &'a str,
    /// Drawn raised and smaller.
    pub superscript: bool,
}

/// An SVG document being built.
#[derive(Debug)]
pub struct Document {
    width: f64,
    height: f64,
    label: String,
    defs: String,
    body: String,
    open_groups: usize,
    next_id: usize,
    skipped_non_finite: usize,
}

impl Document {
    /// An empty document of `width` × `height` pixels (CSS px, 1/96 in)
    /// with a white background.
    pub fn new(width: f64, height: f64) -> Document {
        let width = if width.is_finite() && width > 0.0 {
            width
        } else {
            336.0
        };
        let height = if height.is_finite() && height > 0.0 {
            height
        } else {
            288.0
        };
        let mut document = Document {
            width,
            height,
            label: String::new(),
            defs: String::new(),
            body: String::new(),
            open_groups: 0,
            next_id: 0,
            skipped_non_finite: 0,
        };
        document.element(
            "rect",
            &[
                ("width", Value::Number(width)),
                ("height", Value::Number(height)),
                ("fill", Value::Color(WHITE)),
            ],
            None,
        );
        document
    }

    /// Width in pixels.
    pub fn width(&self) -> f64 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> f64 {
        self.height
    }

    /// Sets the accessible name of the figure (`aria-label`).
    pub fn set_label(&mut self, label: &str) {
        self.label = label.to_string();
    }

    /// How many elements were skipped because a coordinate was not finite.
    pub fn skipped_non_finite(&self) -> usize {
        self.skipped_non_finite
    }

    /// Appends an element with the given attributes and, when `hover` is
    /// given, a `<title>` child that browsers show as a tooltip. Returns
    /// `false` (and writes nothing) when a numeric attribute is not finite.
    pub fn element(
        &mut self,
        name: &str,
        attributes: &[(&str, Value<'_>)],
        hover: Option<&str>,
    ) -> bool {
        if attributes
            .iter()
            .any(|(_, value)| matches!(value, Value::Number(number) if !number.is_finite()))
        {
            self.skipped_non_finite += 1;
            return false;
        }
        self.body.push('<');
        self.body.push_str(name);
        write_attributes(&mut self.body, attributes);
        match hover {
            Some(text) => {
                let _ = write!(self.body, "><title>{}</title></{name}>", escape_xml(text));
            }
            None => self.body.push_str("/>"),
        }
        true
    }

    /// Opens a `<g>` group; close it with [`Document::close_group`].
    pub fn open_group(&mut self, attributes: &[(&str, Value<'_>)]) {
        self.body.push_str("<g");
        write_attributes(&mut self.body, attributes);
        self.body.push('>');
        self.open_groups += 1;
    }

    /// Opens a group with a hover title covering all its children.
    pub fn open_group_with_hover(&mut self, attributes: &[(&str, Value<'_>)], hover: &str) {
        self.open_group(attributes);
        let _ = write!(self.body, "<title>{}</title>", escape_xml(hover));
    }

    /// Closes the innermost open group.
    pub fn close_group(&mut self) {
        if self.open_groups > 0 {
            self.body.push_str("</g>");
            self.open_groups -= 1;
        }
    }

    /// A fresh id (unique within this figure and, after [`Document::finish`],
    /// across figures with different content).
    fn new_id(&mut self, kind: &str) -> String {
        self.next_id += 1;
        format!("{ID_PLACEHOLDER}-{kind}{}", self.next_id)
    }

    /// Defines a rectangular clip path and returns the value for a
    /// `clip-path` attribute (`url(#…)`).
    pub fn clip_rect(&mut self, rect: Rect) -> String {
        let id = self.new_id("clip");
        let _ = write!(
            self.defs,
            "<clipPath id=\"{id}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath>",
            coordinate(rect.x),
            coordinate(rect.y),
            coordinate(rect.width.max(0.0)),
            coordinate(rect.height.max(0.0))
        );
        format!("url(#{id})")
    }

    /// Defines a vertical linear gradient through `stops` (offset 0 at the
    /// bottom, 1 at the top) and returns the value for a `fill` attribute.
    pub fn vertical_gradient(&mut self, stops: &[(f64, Color)]) -> String {
        let id = self.new_id("gradient");
        let _ = write!(
            self.defs,
            "<linearGradient id=\"{id}\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">"
        );
        for (offset, color) in stops {
            let offset = if offset.is_finite() {
                offset.clamp(0.0, 1.0)
            } else {
                0.0
            };
            let _ = write!(
                self.defs,
                "<stop offset=\"{}\" stop-color=\"{color}\"/>",
                coordinate(offset)
            );
        }
        self.defs.push_str("</linearGradient>");
        format!("url(#{id})")
    }

    /// A straight line.
    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, style: &Style) -> bool {
        let mut attributes = vec![
            ("x1", Value::Number(x1)),
            ("y1", Value::Number(y1)),
            ("x2", Value::Number(x2)),
            ("y2", Value::Number(y2)),
        ];
        attributes.extend(style.attributes());
        self.element("line", &attributes, None)
    }

    /// A rectangle.
    pub fn rect(&mut self, rect: Rect, style: &Style, hover: Option<&str>) -> bool {
        let mut attributes = vec![
            ("x", Value::Number(rect.x)),
            ("y", Value::Number(rect.y)),
            ("width", Value::Number(rect.width.max(0.0))),
            ("height", Value::Number(rect.height.max(0.0))),
        ];
        attributes.extend(style.attributes());
        self.element("rect", &attributes, hover)
    }

    /// A circle.
    pub fn circle(
        &mut self,
        cx: f64,
        cy: f64,
        radius: f64,
        style: &Style,
        hover: Option<&str>,
    ) -> bool {
        let mut attributes = vec![
            ("cx", Value::Number(cx)),
            ("cy", Value::Number(cy)),
            ("r", Value::Number(radius)),
        ];
        attributes.extend(style.attributes());
        self.element("circle", &attributes, hover)
    }

    /// An open polyline through `points`; non-finite points are dropped
    /// (and counted), splitting nothing: callers split at gaps themselves.
    pub fn polyline(&mut self, points: &[(f64, f64)], style: &Style, hover: Option<&str>) -> bool {
        self.poly("polyline", points, style, hover)
    }

    /// A closed polygon through `points`.
    pub fn polygon(&mut self, points: &[(f64, f64)], style: &Style, hover: Option<&str>) -> bool {
        self.poly("polygon", points, style, hover)
    }

    fn poly(
        &mut self,
        name: &str,
        points: &[(f64, f64)],
        style: &Style,
        hover: Option<&str>,
    ) -> bool {
        let mut encoded = String::with_capacity(points.len() * 12);
        let mut kept = 0;
        for &(x, y) in points {
            if !(x.is_finite() && y.is_finite()) {
                self.skipped_non_finite += 1;
                continue;
            }
            if kept > 0 {
                encoded.push(' ');
            }
            encoded.push_str(&coordinate(x));
            encoded.push(',');
            encoded.push_str(&coordinate(y));
            kept += 1;
        }
        if kept < 2 {
            return false;
        }
        let mut attributes = vec![("points", Value::Raw(encoded))];
        attributes.extend(style.attributes());
        self.element(name, &attributes, hover)
    }

    /// A path from SVG path data built with [`PathData`].
    pub fn path(&mut self, data: &PathData, style: &Style, hover: Option<&str>) -> bool {
        if data.is_empty() {
            return false;
        }
        let mut attributes = vec![("d", Value::Raw(data.to_string()))];
        attributes.extend(style.attributes());
        self.element("path", &attributes, hover)
    }

    /// A single line of text with its baseline at `y`.
    pub fn text(&mut self, x: f64, y: f64, content: &str, style: &TextStyle) -> bool {
        self.text_spans(
            x,
            y,
            &[Span {
                text: content,
                superscript: false,
            }],
            style,
            None,
        )
    }

    /// A single line of text with a hover title (e.g. the full name behind
    /// a truncated label).
    pub fn text_with_hover(
        &mut self,
        x: f64,
        y: f64,
        content: &str,
        style: &TextStyle,
        hover: &str,
    ) -> bool {
        self.text_spans(
            x,
            y,
            &[Span {
                text: content,
                superscript: false,
            }],
            style,
            Some(hover),
        )
    }

    /// A line of text made of normal and superscript spans.
    pub fn text_spans(
        &mut self,
        x: f64,
        y: f64,
        spans: &[Span<'_>],
        style: &TextStyle,
        hover: Option<&str>,
    ) -> bool {
        if !(x.is_finite() && y.is_finite() && style.size.is_finite() && style.rotate.is_finite()) {
            self.skipped_non_finite += 1;
            return false;
        }
        let mut attributes = vec![("x", Value::Number(x)), ("y", Value::Number(y))];
        if style.size != super::FONT_SIZE {
            attributes.push(("font-size", Value::Number(style.size)));
        }
        if style.anchor != Anchor::Start {
            attributes.push(("text-anchor", Value::Raw(style.anchor.as_str().to_string())));
        }
        if style.bold {
            attributes.push(("font-weight", Value::Raw("bold".to_string())));
        }
        if style.italic {
            attributes.push(("font-style", Value::Raw("italic".to_string())));
        }
        attributes.push(("fill", Value::Color(style.color)));
        if style.rotate != 0.0 {
            attributes.push((
                "transform",
                Value::Raw(format!(
                    "rotate({} {} {})",
                    coordinate(style.rotate),
                    coordinate(x),
                    coordinate(y)
                )),
            ));
        }
        self.body.push_str("<text");
        write_attributes(&mut self.body, &attributes);
        self.body.push('>');
        if let Some(hover) = hover {
            let _ = write!(self.body, "<title>{}</title>", escape_xml(hover));
        }
        let superscript_size = style.size * SUPERSCRIPT_SCALE;
        let raise = style.size * 0.38;
        let mut raised = false;
        for span in spans {
            if span.superscript == raised {
                self.body.push_str(&escape_xml(span.text));
                continue;
            }
            if span.superscript {
                let _ = write!(
                    self.body,
                    "<tspan dy=\"{}\" font-size=\"{}\">{}</tspan>",
                    coordinate(-raise),
                    coordinate(superscript_size),
                    escape_xml(span.text)
                );
                raised = true;
            } else {
                let _ = write!(
                    self.body,
                    "<tspan dy=\"{}\">{}</tspan>",
                    coordinate(raise),
                    escape_xml(span.text)
                );
                raised = false;
            }
        }
        self.body.push_str("</text>");
        true
    }

    /// Closes any open group and returns the `<svg>` element for inline use
    /// in HTML (no XML declaration). Prefix it with [`XML_DECLARATION`] (or
    /// call [`standalone`]) for a `.svg` file.
    pub fn finish(mut self) -> String {
        while self.open_groups > 0 {
            self.close_group();
        }
        let mut hash = Fnv1a::new();
        hash.write(self.defs.as_bytes());
        hash.write(self.body.as_bytes());
        hash.write(self.label.as_bytes());
        let prefix = format!("osteon-{:016x}", hash.finish());
        let mut output = String::with_capacity(self.defs.len() + self.body.len() + 400);
        let _ = writeln!(
            output,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
             font-family=\"{FONT_FAMILY}\" font-size=\"{size}\" role=\"img\" aria-label=\"{label}\">",
            w = coordinate(self.width),
            h = coordinate(self.height),
            size = coordinate(super::FONT_SIZE),
            label = escape_xml(&self.label),
        );
        if !self.defs.is_empty() {
            output.push_str("<defs>");
            output.push_str(&self.defs.replace(ID_PLACEHOLDER, &prefix));
            output.push_str("</defs>\n");
        }
        output.push_str(&self.body.replace(ID_PLACEHOLDER, &prefix));
        output.push_str("\n</svg>\n");
        output
    }
}

/// An inline SVG (as returned by every figure function) turned into the
/// content of a standalone `.svg` file: the XML declaration is prepended.
///
/// ```
/// let file = osteon_report::svg::standalone("<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
/// assert!(file.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
/// ```
pub fn standalone(inline_svg: &str) -> String {
    if inline_svg.starts_with("<?xml") {
        return inline_svg.to_string();
    }
    format!("{XML_DECLARATION}{inline_svg}")
}

fn write_attributes(output: &mut String, attributes: &[(&str, Value<'_>)]) {
    for (name, value) in attributes {
        output.push(' ');
        output.push_str(name);
        output.push_str("=\"");
        match value {
            Value::Number(number) => output.push_str(&coordinate(*number)),
            Value::Text(text) => output.push_str(&escape_xml(text)),
            Value::Raw(text) => output.push_str(text),
            Value::Color(color) => {
                let _ = write!(output, "{color}");
            }
        }
        output.push('"');
    }
}

/// SVG path data (`d` attribute) built from absolute commands; segments
/// with a non-finite coordinate are left out and the next point starts a
/// new sub-path.
#[derive(Clone, Debug, Default)]
pub struct PathData {
    data: String,
    pen_down: bool,
}

impl PathData {
    /// Empty path data.
    pub fn new() -> PathData {
        PathData::default()
    }
    /// Whether nothing was drawn.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
    fn command(&mut self, letter: char, x: f64, y: f64) {
        if !self.data.is_empty() {
            self.data.push(' ');
        }
        self.data.push(letter);
        self.data.push_str(&coordinate(x));
        self.data.push(',');
        self.data.push_str(&coordinate(y));
    }
    /// Starts a sub-path at (x, y).
    pub fn move_to(&mut self, x: f64, y: f64) -> &mut PathData {
        if x.is_finite() && y.is_finite() {
            self.command('M', x, y);
            self.pen_down = true;
        } else {
            self.pen_down = false;
        }
        self
    }
    /// A straight segment to (x, y) (a move when the previous point was
    /// skipped).
    pub fn line_to(&mut self, x: f64, y: f64) -> &mut PathData {
        if !(x.is_finite() && y.is_finite()) {
            self.pen_down = false;
        } else if self.pen_down {
            self.command('L', x, y);
        } else {
            self.move_to(x, y);
        }
        self
    }
    /// Closes the current sub-path.
    pub fn close(&mut self) -> &mut PathData {
        if self.pen_down {
            self.data.push_str(" Z");
            self.pen_down = false;
        }
        self
    }
}

impl std::fmt::Display for PathData {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&self.data)
    }
}

/// 64-bit FNV-1a, for content-derived ids.
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::super::color::BLUE;
    use super::*;

    #[test]
    fn elements_with_non_finite_numbers_are_skipped_and_counted() {
        let mut document = Document::new(100.0, 50.0);
        assert!(document.circle(10.0, 10.0, 2.0, &Style::fill(BLUE), Some("ok")));
        assert!(!document.circle(f64::NAN, 10.0, 2.0, &Style::fill(BLUE), None));
        assert!(!document.line(0.0, 0.0, f64::INFINITY, 1.0, &Style::stroke(BLUE, 1.0)));
        assert!(!document.text(f64::NEG_INFINITY, 1.0, "x", &TextStyle::new(11.0, BLUE)));
        assert!(document.polyline(
            &[(0.0, 0.0), (f64::NAN, 1.0), (2.0, 2.0)],
            &Style::stroke(BLUE, 1.0),
            None
        ));
        assert_eq!(document.skipped_non_finite(), 4);
        let svg = document.finish();
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        assert!(svg.contains(
            "<circle cx=\"10\" cy=\"10\" r=\"2\" fill=\"#0072b2\"><title>ok</title></circle>"
        ));
        assert!(svg.contains("points=\"0,0 2,2\""));
    }

    #[test]
    fn text_is_escaped_everywhere() {
        let mut document = Document::new(100.0, 50.0);
        document.set_label("a \"quoted\" <label>");
        document.text_with_hover(
            1.0,
            2.0,
            "<script>alert(1)</script>",
            &TextStyle::new(11.0, BLUE),
            "x & y",
        );
        let svg = document.finish();
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(svg.contains("<title>x &amp; y</title>"));
        assert!(svg.contains("aria-label=\"a &quot;quoted&quot; &lt;label&gt;\""));
        assert!(!svg.contains("<script"));
    }

    #[test]
    fn ids_depend_on_content_and_are_stable() {
        let build = |x: f64| {
            let mut document = Document::new(100.0, 50.0);
            let clip = document.clip_rect(Rect::new(0.0, 0.0, 10.0, 10.0));
            document.open_group(&[("clip-path", Value::Raw(clip))]);
            document.circle(x, 5.0, 1.0, &Style::fill(BLUE), None);
            document.finish()
        };
        assert_eq!(build(3.0), build(3.0));
        let id = |svg: &str| {
            svg.split("id=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_string()
        };
        assert_ne!(id(&build(3.0)), id(&build(4.0)));
        assert!(build(3.0).contains(&format!("clip-path=\"url(#{})\"", id(&build(3.0)))));
        assert!(build(3.0).contains("</g>"));
    }

    #[test]
    fn superscripts_use_tspans() {
        let mut document = Document::new(100.0, 50.0);
        let spans = [
            Span {
                text: "10",
                superscript: false,
            },
            Span {
                text: "\u{2212}3",
                superscript: true,
            },
        ];
        document.text_spans(5.0, 5.0, &spans, &TextStyle::new(11.0, BLUE), None);
        let svg = document.finish();
        assert!(svg.contains(">10<tspan dy=\"-4.18\" font-size=\"8.25\">\u{2212}3</tspan></text>"));
    }

    #[test]
    fn standalone_adds_the_declaration_once() {
        let inline = Document::new(10.0, 10.0).finish();
        assert!(inline.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        let file = standalone(&inline);
        assert!(file.starts_with(XML_DECLARATION));
        assert_eq!(standalone(&file), file);
    }

    #[test]
    fn path_data_breaks_at_gaps() {
        let mut data = PathData::new();
        data.move_to(0.0, 0.0)
            .line_to(1.0, 1.0)
            .line_to(f64::NAN, 2.0)
            .line_to(3.0, 3.0)
            .line_to(4.0, 4.0);
        assert_eq!(data.to_string(), "M0,0 L1,1 M3,3 L4,4");
    }
}
