//! Greedy label placement for point labels (volcano top genes, PCA sample
//! names). Labels are placed in priority order; each tries positions on
//! rings of growing distance around its point (right, left, the four
//! diagonals, above, below) and takes the first whose box stays inside the
//! plot and overlaps neither an already placed label, nor any labelled
//! point, nor a reserved area. Far placements get a leader line. A label
//! with no free position is left out (its point keeps its hover title), in
//! the spirit of ggrepel's `max.overlaps`, without its force simulation.

use super::document::{Anchor, Rect};
use super::text::text_width;

/// A label to place next to a point.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// Point position in pixels.
    pub x: f64,
    /// Point position in pixels.
    pub y: f64,
    /// The label text.
    pub text: String,
    /// Radius of the point's marker.
    pub radius: f64,
}

/// Where a label went.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    /// Index of the request.
    pub index: usize,
    /// Text x position (interpreted with `anchor`).
    pub x: f64,
    /// Baseline y position.
    pub y: f64,
    /// Text alignment at `x`.
    pub anchor: Anchor,
    /// The label's box.
    pub bounds: Rect,
    /// A segment from the point towards the label, for far placements.
    pub leader: Option<(f64, f64, f64, f64)>,
}

/// Distances (beyond the marker radius) of the candidate rings.
const RINGS: [f64; 6] = [2.0, 6.0, 12.0, 20.0, 30.0, 44.0];
/// Directions tried on each ring: (dx, dy) unit steps.
const DIRECTIONS: [(f64, f64); 8] = [
    (1.0, 0.0),
    (-1.0, 0.0),
    (0.7, -0.7),
    (-0.7, -0.7),
    (0.7, 0.7),
    (-0.7, 0.7),
    (0.0, -1.0),
    (0.0, 1.0),
];

/// The box of a label whose text starts/centres/ends at `x` with its
/// baseline at `y`.
pub fn label_bounds(x: f64, y: f64, anchor: Anchor, width: f64, font_size: f64) -> Rect {
    let left = match anchor {
        Anchor::Start => x,
        Anchor::Middle => x - width / 2.0,
        Anchor::End => x - width,
    };
    Rect::new(left, y - font_size * 0.8, width, font_size * 1.02)
}

fn candidate(
    request: &Request,
    distance: f64,
    direction: (f64, f64),
    font_size: f64,
) -> (f64, f64, Anchor) {
    let (dx, dy) = direction;
    let reach = request.radius + distance;
    let anchor = if dx > 0.0 {
        Anchor::Start
    } else if dx < 0.0 {
        Anchor::End
    } else {
        Anchor::Middle
    };
    let x = request.x + dx * reach;
    // Vertically: centred for left/right, box just above or below otherwise.
    let baseline = if dy < 0.0 {
        request.y + dy * reach - font_size * 0.22
    } else if dy > 0.0 {
        request.y + dy * reach + font_size * 0.8
    } else {
        request.y + font_size * 0.35
    };
    (x, baseline, anchor)
}

/// A drawn point that labels must not cover or be mistaken for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Obstacle {
    /// Centre in pixels.
    pub x: f64,
    /// Centre in pixels.
    pub y: f64,
    /// Marker radius.
    pub radius: f64,
}

/// Distance from a point to a rectangle (0 inside).
fn distance_to_rect(x: f64, y: f64, rect: &Rect) -> f64 {
    let dx = (rect.x - x).max(0.0).max(x - rect.right());
    let dy = (rect.y - y).max(0.0).max(y - rect.bottom());
    (dx * dx + dy * dy).sqrt()
}

/// Distance from a point to a segment.
fn distance_to_segment(x: f64, y: f64, segment: (f64, f64, f64, f64)) -> f64 {
    let (x1, y1, x2, y2) = segment;
    let (dx, dy) = (x2 - x1, y2 - y1);
    let length_squared = dx * dx + dy * dy;
    let t = if length_squared > 0.0 {
        (((x - x1) * dx + (y - y1) * dy) / length_squared).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (px, py) = (x1 + t * dx, y1 + t * dy);
    ((x - px).powi(2) + (y - py).powi(2)).sqrt()
}

/// Places labels in the order given (most important first). Besides the
/// requests' own points, `points` lists every other drawn point: a label
/// covers none of them; a label without a leader line is clearly nearer to
/// its own point than to any other (another point must be 1.5 times as far
/// away), so it is never read as another point's; a leader line passes no
/// other point.
///
/// ```
/// use osteon_report::svg::document::Rect;
/// use osteon_report::svg::labels::{place, Request};
/// let requests = vec![
///     Request { x: 50.0, y: 50.0, text: "VEGFA".into(), radius: 2.0 },
///     Request { x: 52.0, y: 50.0, text: "RUNX2".into(), radius: 2.0 },
/// ];
/// let placed = place(&requests, 11.0, Rect::new(0.0, 0.0, 200.0, 100.0), &[], &[]);
/// assert_eq!(placed.len(), 2);
/// assert!(!placed[0].bounds.overlaps(&placed[1].bounds));
/// ```
pub fn place(
    requests: &[Request],
    font_size: f64,
    area: Rect,
    reserved: &[Rect],
    points: &[Obstacle],
) -> Vec<Placement> {
    let mut all_points: Vec<Obstacle> = requests
        .iter()
        .filter(|request| request.x.is_finite() && request.y.is_finite())
        .map(|request| Obstacle {
            x: request.x,
            y: request.y,
            radius: request.radius,
        })
        .collect();
    all_points.extend(
        points
            .iter()
            .copied()
            .filter(|point| point.x.is_finite() && point.y.is_finite()),
    );
    let mut placed: Vec<Placement> = Vec::new();
    for (index, request) in requests.iter().enumerate() {
        if !(request.x.is_finite() && request.y.is_finite()) || request.text.is_empty() {
            continue;
        }
        let width = text_width(&request.text, font_size);
        // Points near enough to matter for this label, except its own.
        let reach = RINGS[RINGS.len() - 1] + request.radius + width + font_size + 4.0;
        let neighbours: Vec<Obstacle> = all_points
            .iter()
            .copied()
            .filter(|point| {
                (point.x - request.x).abs() <= reach
                    && (point.y - request.y).abs() <= reach
                    && !(point.x == request.x && point.y == request.y)
            })
            .collect();
        'rings: for (ring, distance) in RINGS.iter().enumerate() {
            for direction in DIRECTIONS {
                let (x, y, anchor) = candidate(request, *distance, direction, font_size);
                let bounds = label_bounds(x, y, anchor, width, font_size);
                let padded = bounds.inflate(1.0);
                if !area.contains_rect(&bounds)
                    || placed
                        .iter()
                        .any(|other| other.bounds.inflate(1.0).overlaps(&padded))
                    || reserved.iter().any(|area| area.overlaps(&bounds))
                {
                    continue;
                }
                let own_distance = distance_to_rect(request.x, request.y, &bounds);
                let leader = (ring >= 2).then(|| leader_segment(request, &bounds));
                // A label next to its point must be nearer to it than to any
                // other point; a label with a leader line is unambiguous as
                // long as the line passes no other point.
                let blocked = neighbours.iter().any(|point| {
                    let gap = distance_to_rect(point.x, point.y, &bounds);
                    gap <= point.radius + 0.5
                        || match leader {
                            // Other points must be clearly farther away.
                            None => gap < own_distance * 1.5 + 1.0,
                            Some(segment) => {
                                distance_to_segment(point.x, point.y, segment) <= point.radius + 1.5
                            }
                        }
                });
                if blocked {
                    continue;
                }
                placed.push(Placement {
                    index,
                    x,
                    y,
                    anchor,
                    bounds,
                    leader,
                });
                break 'rings;
            }
        }
    }
    placed
}

/// A segment from the edge of the point's marker to the nearest point of
/// the label box.
fn leader_segment(request: &Request, bounds: &Rect) -> (f64, f64, f64, f64) {
    let target_x = request.x.clamp(bounds.x, bounds.right());
    let target_y = request.y.clamp(bounds.y, bounds.bottom());
    let (dx, dy) = (target_x - request.x, target_y - request.y);
    let length = (dx * dx + dy * dy).sqrt();
    if length <= request.radius || length == 0.0 {
        return (request.x, request.y, target_x, target_y);
    }
    let start_x = request.x + dx / length * (request.radius + 0.5);
    let start_y = request.y + dy / length * (request.radius + 0.5);
    (start_x, start_y, target_x, target_y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_choice_is_right_of_the_point() {
        let requests = vec![Request {
            x: 50.0,
            y: 50.0,
            text: "VEGFA".into(),
            radius: 2.0,
        }];
        let placed = place(&requests, 11.0, Rect::new(0.0, 0.0, 200.0, 100.0), &[], &[]);
        assert_eq!(placed[0].anchor, Anchor::Start);
        assert_eq!(placed[0].x, 54.0);
        assert!((placed[0].y - 53.85).abs() < 1e-12);
        assert!(placed[0].leader.is_none());
    }

    #[test]
    fn labels_near_the_right_edge_go_left() {
        let requests = vec![Request {
            x: 195.0,
            y: 50.0,
            text: "COL1A1".into(),
            radius: 2.0,
        }];
        let placed = place(&requests, 11.0, Rect::new(0.0, 0.0, 200.0, 100.0), &[], &[]);
        assert_eq!(placed[0].anchor, Anchor::End);
    }

    #[test]
    fn crowded_labels_never_overlap_and_some_are_dropped() {
        let requests: Vec<Request> = (0..30)
            .map(|index| Request {
                x: 80.0 + (index % 5) as f64 * 9.0,
                y: 40.0 + (index / 5) as f64 * 5.0,
                text: format!("GENE{index}"),
                radius: 1.5,
            })
            .collect();
        let area = Rect::new(0.0, 0.0, 200.0, 100.0);
        let placed = place(&requests, 11.0, area, &[], &[]);
        assert!(placed.len() < requests.len());
        assert!(placed.len() >= 4, "{}", placed.len());
        for (i, a) in placed.iter().enumerate() {
            assert!(area.contains_rect(&a.bounds));
            for b in &placed[i + 1..] {
                assert!(!a.bounds.overlaps(&b.bounds), "{} and {}", a.index, b.index);
            }
            let own = &requests[a.index];
            let own_distance = distance_to_rect(own.x, own.y, &a.bounds);
            for other in &requests {
                if a.leader.is_none() && other != own {
                    assert!(
                        distance_to_rect(other.x, other.y, &a.bounds) >= own_distance * 1.5 + 1.0
                    );
                }
            }
        }
    }

    #[test]
    fn labels_are_never_nearer_to_another_point() {
        // Two points side by side: the left one's label may not sit between
        // them (it would read as the right one's).
        let requests = vec![Request {
            x: 50.0,
            y: 50.0,
            text: "A".into(),
            radius: 2.0,
        }];
        let others = [Obstacle {
            x: 62.0,
            y: 50.0,
            radius: 2.0,
        }];
        let placed = place(
            &requests,
            11.0,
            Rect::new(0.0, 0.0, 200.0, 100.0),
            &[],
            &others,
        );
        let bounds = placed[0].bounds;
        assert!(distance_to_rect(50.0, 50.0, &bounds) <= distance_to_rect(62.0, 50.0, &bounds));
        assert!(distance_to_rect(62.0, 50.0, &bounds) > 2.5);
        assert_eq!(distance_to_segment(0.0, 1.0, (-1.0, 0.0, 1.0, 0.0)), 1.0);
    }

    #[test]
    fn reserved_areas_are_avoided() {
        let requests = vec![Request {
            x: 50.0,
            y: 50.0,
            text: "SP7".into(),
            radius: 2.0,
        }];
        let legend = Rect::new(52.0, 30.0, 100.0, 40.0);
        let placed = place(
            &requests,
            11.0,
            Rect::new(0.0, 0.0, 200.0, 100.0),
            &[legend],
            &[],
        );
        assert!(!placed[0].bounds.overlaps(&legend));
    }
}
