//! Point markers. Groups get a shape as well as a colour, so figures stay
//! readable in greyscale print and for readers with colour-vision
//! deficiency; triangles also mark values clamped at a plot edge, as in
//! DESeq2's `plotMA` (R `pch` 2 and 6).

use super::document::{Document, PathData, Style};

/// A marker shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A circle.
    Circle,
    /// An upward triangle.
    TriangleUp,
    /// A square.
    Square,
    /// A diamond.
    Diamond,
    /// A downward triangle.
    TriangleDown,
}

/// Shapes in the order given to groups.
pub const SHAPES: [Shape; 5] = [
    Shape::Circle,
    Shape::TriangleUp,
    Shape::Square,
    Shape::Diamond,
    Shape::TriangleDown,
];

/// The shape of the `index`-th group: cycles through the five shapes, and
/// changes only every eight groups when `with_palette` is set (so that colour
/// × shape pairs stay unique for 40 groups).
pub fn shape_for(index: usize, with_palette: bool) -> Shape {
    if with_palette {
        SHAPES[(index / 8) % SHAPES.len()]
    } else {
        SHAPES[index % SHAPES.len()]
    }
}

/// Draws a marker centred on (x, y); `radius` is the circle radius, other
/// shapes are scaled to a similar visual weight.
pub fn draw_marker(
    document: &mut Document,
    shape: Shape,
    x: f64,
    y: f64,
    radius: f64,
    style: &Style,
    hover: Option<&str>,
) -> bool {
    match shape {
        Shape::Circle => document.circle(x, y, radius, style, hover),
        Shape::Square => {
            let half = radius * 0.89;
            let mut data = PathData::new();
            data.move_to(x - half, y - half)
                .line_to(x + half, y - half)
                .line_to(x + half, y + half)
                .line_to(x - half, y + half)
                .close();
            document.path(&data, style, hover)
        }
        Shape::Diamond => {
            let reach = radius * 1.25;
            let mut data = PathData::new();
            data.move_to(x, y - reach)
                .line_to(x + reach, y)
                .line_to(x, y + reach)
                .line_to(x - reach, y)
                .close();
            document.path(&data, style, hover)
        }
        Shape::TriangleUp | Shape::TriangleDown => {
            let direction = if shape == Shape::TriangleUp {
                1.0
            } else {
                -1.0
            };
            let reach = radius * 1.35;
            let mut data = PathData::new();
            data.move_to(x, y - direction * reach)
                .line_to(x + reach * 0.866, y + direction * reach * 0.5)
                .line_to(x - reach * 0.866, y + direction * reach * 0.5)
                .close();
            document.path(&data, style, hover)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::color::BLUE;
    use super::*;

    #[test]
    fn shapes_cycle_and_draw() {
        assert_eq!(shape_for(0, false), Shape::Circle);
        assert_eq!(shape_for(6, false), Shape::TriangleUp);
        assert_eq!(shape_for(7, true), Shape::Circle);
        assert_eq!(shape_for(8, true), Shape::TriangleUp);
        let mut document = Document::new(50.0, 50.0);
        for shape in SHAPES {
            assert!(draw_marker(
                &mut document,
                shape,
                10.0,
                10.0,
                2.0,
                &Style::fill(BLUE),
                None
            ));
        }
        assert!(!draw_marker(
            &mut document,
            Shape::Square,
            f64::NAN,
            10.0,
            2.0,
            &Style::fill(BLUE),
            None
        ));
        let svg = document.finish();
        assert!(svg.contains("d=\"M10,7.3 L12.34,11.35 L7.66,11.35 Z\"")); // upward triangle
    }
}
