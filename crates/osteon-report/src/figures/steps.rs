//! Right-continuous step functions (survival curves, cumulative incidence)
//! drawn as `plot.survfit` does: a horizontal segment at the old level up
//! to each time, then a vertical drop or rise to the new level; optional
//! confidence bands as step-shaped polygons that break where a bound is NA.

use crate::svg::chart::Chart;
use crate::svg::color::Color;
use crate::svg::document::{Document, PathData, Style};
use crate::svg::scale::Scale;

/// One jump of a step function.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct StepPoint {
    pub time: f64,
    pub value: f64,
    pub lower: f64,
    pub upper: f64,
}

/// The curve from `start` (time, value) through the jumps. A point with a
/// non-finite time or value ends the current piece; drawing resumes at the
/// next valid point.
pub(crate) fn step_path(start: (f64, f64), points: &[StepPoint], x: &Scale, y: &Scale) -> PathData {
    let mut data = PathData::new();
    let mut level: Option<f64> = None;
    if let (Some(px), Some(py)) = (x.map(start.0), y.map(start.1)) {
        data.move_to(px, py);
        level = Some(py);
    }
    for point in points {
        let (Some(px), Some(py)) = (x.map(point.time), y.map(point.value)) else {
            level = None;
            data.line_to(f64::NAN, f64::NAN);
            continue;
        };
        match level {
            Some(previous) => {
                data.line_to(px, previous).line_to(px, py);
            }
            None => {
                data.move_to(px, py);
            }
        }
        level = Some(py);
    }
    data
}

/// Step-shaped confidence-band polygons: the band between consecutive
/// times uses the bounds of the earlier time; runs of finite bounds become
/// one polygon each.
pub(crate) fn band_polygons(
    start: StepPoint,
    points: &[StepPoint],
    x: &Scale,
    y: &Scale,
) -> Vec<Vec<(f64, f64)>> {
    let mut all = Vec::with_capacity(points.len() + 1);
    all.push(start);
    all.extend_from_slice(points);
    // Intervals (from, to, lower, upper) in pixels.
    let mut polygons = Vec::new();
    let mut run: Vec<(f64, f64, f64, f64)> = Vec::new();
    let mut flush = |run: &mut Vec<(f64, f64, f64, f64)>| {
        if run.is_empty() {
            return;
        }
        let mut polygon = Vec::with_capacity(run.len() * 4);
        for &(from, to, _, upper) in run.iter() {
            polygon.push((from, upper));
            polygon.push((to, upper));
        }
        for &(from, to, lower, _) in run.iter().rev() {
            polygon.push((to, lower));
            polygon.push((from, lower));
        }
        polygons.push(polygon);
        run.clear();
    };
    for pair in all.windows(2) {
        let (current, next) = (pair[0], pair[1]);
        let interval = (
            x.map(current.time),
            x.map(next.time),
            y.map(current.lower),
            y.map(current.upper),
        );
        match interval {
            (Some(from), Some(to), Some(lower), Some(upper)) if to >= from => {
                run.push((from, to, lower, upper))
            }
            _ => flush(&mut run),
        }
    }
    flush(&mut run);
    polygons
}

/// Draws one curve of a chart: its confidence band (when `show_ci`), the
/// step line with `name` on hover, and an invisible hover target at each
/// jump whose text `hover(row)` gives.
pub(crate) fn draw_curve(
    chart: &mut Chart,
    color: Color,
    name: &str,
    origin: StepPoint,
    points: &[StepPoint],
    show_ci: bool,
    hover: impl Fn(usize) -> String,
) {
    if show_ci {
        for polygon in band_polygons(origin, points, &chart.x, &chart.y) {
            chart
                .document
                .polygon(&polygon, &Style::fill(color).with_fill_opacity(0.15), None);
        }
    }
    let path = step_path((origin.time, origin.value), points, &chart.x, &chart.y);
    chart
        .document
        .path(&path, &Style::stroke(color, 1.8), Some(name));
    let targets: Vec<(f64, f64, String)> = points
        .iter()
        .enumerate()
        .filter_map(|(row, point)| {
            let (x, y) = chart.x.map(point.time).zip(chart.y.map(point.value))?;
            Some((x, y, hover(row)))
        })
        .collect();
    hover_targets(&mut chart.document, &targets);
}

/// Invisible hover targets at each jump.
fn hover_targets(document: &mut Document, points: &[(f64, f64, String)]) {
    if points.is_empty() {
        return;
    }
    document.open_group(
        &Style::fill(crate::svg::color::WHITE)
            .with_fill_opacity(0.0)
            .attributes(),
    );
    for (x, y, hover) in points {
        document.circle(*x, *y, 3.5, &Style::inherited(), Some(hover));
    }
    document.close_group();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::svg::scale::Transform;

    fn point(time: f64, value: f64) -> StepPoint {
        StepPoint {
            time,
            value,
            lower: value - 0.1,
            upper: value + 0.1,
        }
    }

    #[test]
    fn steps_go_across_then_down() {
        let x = Scale::new(Transform::Linear, (0.0, 10.0), (0.0, 100.0));
        let y = Scale::new(Transform::Linear, (0.0, 1.0), (100.0, 0.0));
        let data = step_path((0.0, 1.0), &[point(2.0, 0.5), point(5.0, 0.25)], &x, &y);
        assert_eq!(data.to_string(), "M0,0 L20,0 L20,50 L50,50 L50,75");
        let gap = step_path(
            (0.0, 1.0),
            &[point(2.0, f64::NAN), point(5.0, 0.25)],
            &x,
            &y,
        );
        assert_eq!(gap.to_string(), "M0,0 M50,75");
    }

    #[test]
    fn bands_break_at_missing_bounds() {
        let x = Scale::new(Transform::Linear, (0.0, 10.0), (0.0, 100.0));
        let y = Scale::new(Transform::Linear, (0.0, 1.0), (100.0, 0.0));
        let start = StepPoint {
            time: 0.0,
            value: 1.0,
            lower: 1.0,
            upper: 1.0,
        };
        let mut middle = point(4.0, 0.5);
        middle.lower = f64::NAN;
        let polygons = band_polygons(
            start,
            &[point(2.0, 0.8), middle, point(6.0, 0.4), point(8.0, 0.3)],
            &x,
            &y,
        );
        assert_eq!(polygons.len(), 2);
        // first run: [0,2) at (1,1) and [2,4) at (0.7,0.9)
        assert_eq!(polygons[0].len(), 8);
        assert_eq!(polygons[0][0], (0.0, 0.0));
        let (corner_x, corner_y) = polygons[0][3];
        assert!((corner_x - 40.0).abs() < 1e-9 && (corner_y - 10.0).abs() < 1e-9);
    }
}
