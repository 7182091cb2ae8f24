//! Lab-assay figures: a per-group dot plot (qPCR fold changes, ΔCt, ELISA
//! concentrations or any value by group; points with a centre bar and an
//! optional error bar, as GraphPad Prism's "scatter dot plot") and an
//! immunoassay standard curve (log concentration axis, the fitted 4PL/5PL
//! curve as a polyline through points the caller sampled, standard
//! replicates, unknowns as distinct marks, LLOQ/ULOQ lines).

use crate::svg::chart::{AxisSpec, Chart, ChartSpec};
use crate::svg::color::{categorical, BLUE, INK, MUTED_INK, ORANGE, VERMILLION, WHITE};
use crate::svg::document::{Anchor, Style, TextStyle};
use crate::svg::legend::{Entry, Key};
use crate::svg::marker::{draw_marker, Shape};
use crate::svg::number::significant;
use crate::svg::scale::{padded_domain, Transform};
use crate::svg::FONT_SIZE;

use super::{chart_with_legend, jitter, join_notes, not_shown, nothing_to_draw, Size};

/// One group of a [`GroupDotPlot`].
#[derive(Clone, Debug, PartialEq, Default)]
pub struct DotGroup {
    /// Group name (x axis).
    pub name: String,
    /// The values (one point each).
    pub values: Vec<f64>,
    /// Hover label of each value (e.g. the sample); may be empty.
    pub point_labels: Vec<String>,
    /// Centre bar (mean, median or fold change computed by the caller);
    /// `None` for none.
    pub center: Option<f64>,
    /// Error bar (low, high), e.g. a 95 % CI or mean ± SD; `None` for none.
    pub error: Option<(f64, f64)>,
}

/// Input of [`group_dot_plot`].
#[derive(Clone, Debug, PartialEq)]
pub struct GroupDotPlot {
    /// Figure title (e.g. the qPCR target).
    pub title: String,
    /// Subtitle (e.g. "calibrator: breast-cancer bone metastasis"); empty
    /// for none.
    pub subtitle: String,
    /// x-axis title; empty for none.
    pub x_title: String,
    /// y-axis title (e.g. "Fold change (2^−ΔΔCt)").
    pub y_title: String,
    /// Groups in display order.
    pub groups: Vec<DotGroup>,
    /// Linear, log2 (fold changes) or log10 y axis.
    pub transform: Transform,
    /// A dashed horizontal reference (e.g. fold change 1); `None` for none.
    pub reference_line: Option<f64>,
    /// What the centre bar is (e.g. "mean", "median", "geometric mean").
    pub center_label: String,
    /// What the error bar is (e.g. "95% CI", "SD").
    pub error_label: String,
    /// Figure size.
    pub size: Size,
}

impl Default for GroupDotPlot {
    fn default() -> Self {
        GroupDotPlot {
            title: String::new(),
            subtitle: String::new(),
            x_title: String::new(),
            y_title: "Value".to_string(),
            groups: Vec::new(),
            transform: Transform::Linear,
            reference_line: None,
            center_label: "mean".to_string(),
            error_label: "95% CI".to_string(),
            size: Size::SINGLE_COLUMN,
        }
    }
}

/// Points per group (deterministic jitter), a horizontal centre bar and a
/// capped error bar when given, on a linear, log2 or log10 axis. Hovering a
/// point shows its label and value.
pub fn group_dot_plot(plot: &GroupDotPlot) -> String {
    let transform = plot.transform;
    let mut skipped = 0;
    let kept: Vec<Vec<(f64, String)>> = plot
        .groups
        .iter()
        .map(|group| {
            let mut kept = Vec::new();
            for (index, value) in group.values.iter().enumerate() {
                if transform.accepts(*value) {
                    kept.push((
                        *value,
                        group.point_labels.get(index).cloned().unwrap_or_default(),
                    ));
                } else {
                    skipped += 1;
                }
            }
            kept
        })
        .collect();
    let reason = if transform == Transform::Linear {
        "missing"
    } else {
        "missing or not positive on the log axis"
    };
    let footnote_skipped = not_shown(skipped, "value", "values", reason);
    let mut summaries: Vec<f64> = Vec::new();
    for group in &plot.groups {
        summaries.extend(group.center);
        if let Some((low, high)) = group.error {
            summaries.extend([low, high]);
        }
    }
    let include: Vec<f64> = plot
        .reference_line
        .into_iter()
        .filter(|v| transform.accepts(*v))
        .collect();
    let values = kept
        .iter()
        .flatten()
        .map(|(value, _)| *value)
        .chain(summaries.iter().copied());
    let Some(domain) = padded_domain(transform, values, &include, 0.06) else {
        return nothing_to_draw(
            plot.size,
            &plot.title,
            &plot.subtitle,
            "No values to plot.",
            &footnote_skipped,
        );
    };
    let has_center = plot.groups.iter().any(|group| group.center.is_some());
    let has_error = plot.groups.iter().any(|group| group.error.is_some());
    let mut explanation = Vec::new();
    if has_center {
        explanation.push(format!("bar: {}", plot.center_label));
    }
    if has_error {
        explanation.push(format!("whiskers: {}", plot.error_label));
    }
    let explanation = if explanation.is_empty() {
        String::new()
    } else {
        let mut text = explanation.join("; ");
        if let Some(first) = text.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        format!("{text}.")
    };
    let footnote = join_notes(&[explanation, footnote_skipped]);
    let names: Vec<String> = plot.groups.iter().map(|group| group.name.clone()).collect();
    let spec = ChartSpec {
        width: plot.size.width,
        height: plot.size.height,
        title: &plot.title,
        subtitle: &plot.subtitle,
        x_title: &plot.x_title,
        y_title: &plot.y_title,
        x: AxisSpec::Categories(&names),
        y: AxisSpec::Continuous { transform, domain },
        footnote: &footnote,
        ..ChartSpec::default()
    };
    let mut chart = Chart::new(&spec);
    let plot_rect = chart.plot;
    if let Some(y) = plot.reference_line.and_then(|value| chart.y.map(value)) {
        chart.document.line(
            plot_rect.x,
            y,
            plot_rect.right(),
            y,
            &Style::stroke(MUTED_INK, 1.0).dashed("4 3"),
        );
    }
    let band = plot_rect.width / names.len().max(1) as f64;
    for (group_index, (group, points)) in plot.groups.iter().zip(&kept).enumerate() {
        let Some(center_x) = chart.x.map(group_index as f64) else {
            continue;
        };
        let color = categorical(group_index);
        let spread = (band * 0.4).min(44.0);
        for (index, (value, label)) in points.iter().enumerate() {
            let Some(y) = chart.y.map(*value) else {
                continue;
            };
            let hover = if label.is_empty() {
                format!("{}: {}", group.name, significant(*value, 4))
            } else {
                format!("{label} ({}): {}", group.name, significant(*value, 4))
            };
            draw_marker(
                &mut chart.document,
                Shape::Circle,
                center_x + jitter(index) * spread,
                y,
                3.2,
                &Style::fill(color)
                    .with_fill_opacity(0.8)
                    .with_stroke(INK, 0.5),
                Some(&hover),
            );
        }
        let summary = Style::stroke(INK, 1.6);
        if let Some((low, high)) = group.error {
            if let (Some(y_low), Some(y_high)) = (chart.y.map(low), chart.y.map(high)) {
                let cap = (band * 0.1).min(10.0);
                let hover = format!(
                    "{} {}: {} to {}",
                    group.name,
                    plot.error_label,
                    significant(low, 4),
                    significant(high, 4)
                );
                let mut data = crate::svg::document::PathData::new();
                data.move_to(center_x, y_low)
                    .line_to(center_x, y_high)
                    .move_to(center_x - cap, y_low)
                    .line_to(center_x + cap, y_low)
                    .move_to(center_x - cap, y_high)
                    .line_to(center_x + cap, y_high);
                chart.document.path(&data, &summary, Some(&hover));
            }
        }
        if let Some(center) = group.center {
            if let Some(y) = chart.y.map(center) {
                let half = (band * 0.25).min(28.0);
                let mut data = crate::svg::document::PathData::new();
                data.move_to(center_x - half, y).line_to(center_x + half, y);
                let hover = format!(
                    "{} {}: {}",
                    group.name,
                    plot.center_label,
                    significant(center, 4)
                );
                chart
                    .document
                    .path(&data, &Style::stroke(INK, 2.4), Some(&hover));
            }
        }
    }
    chart.finish()
}

/// One standard concentration with its replicate signals.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct StandardLevel {
    /// Nominal concentration.
    pub concentration: f64,
    /// Signals of the replicate wells (blank-subtracted if the analysis
    /// subtracts blanks).
    pub signals: Vec<f64>,
}

/// An unknown sample placed on the curve.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct UnknownSample {
    /// Sample or well name (hover).
    pub name: String,
    /// Concentration read off the curve (before the dilution factor); NaN
    /// when it could not be interpolated.
    pub concentration: f64,
    /// Its signal.
    pub signal: f64,
    /// The analysis flag (`<LLOQ`, `>ULOQ`, `extrapolated`), empty for none.
    pub flag: String,
}

/// Input of [`standard_curve`].
#[derive(Clone, Debug, PartialEq)]
pub struct StandardCurvePlot {
    /// Figure title.
    pub title: String,
    /// Subtitle (e.g. the model and its parameters); empty for none.
    pub subtitle: String,
    /// x-axis title (e.g. "VEGF (pg/mL)").
    pub x_title: String,
    /// y-axis title (e.g. "OD 450 nm").
    pub y_title: String,
    /// The standards.
    pub standards: Vec<StandardLevel>,
    /// The fitted curve sampled by the caller: (concentration, signal),
    /// increasing in concentration.
    pub curve: Vec<(f64, f64)>,
    /// Unknowns read off the curve.
    pub unknowns: Vec<UnknownSample>,
    /// Lower limit of quantification (vertical line); `None` for none.
    pub lloq: Option<f64>,
    /// Upper limit of quantification (vertical line); `None` for none.
    pub uloq: Option<f64>,
    /// Log10 signal axis.
    pub log_y: bool,
    /// Figure size.
    pub size: Size,
}

impl Default for StandardCurvePlot {
    fn default() -> Self {
        StandardCurvePlot {
            title: "Standard curve".to_string(),
            subtitle: String::new(),
            x_title: "Concentration".to_string(),
            y_title: "Signal".to_string(),
            standards: Vec::new(),
            curve: Vec::new(),
            unknowns: Vec::new(),
            lloq: None,
            uloq: None,
            log_y: false,
            size: Size::SINGLE_COLUMN,
        }
    }
}

/// An immunoassay standard curve on a log concentration axis: the fitted
/// curve, each standard replicate as a point, unknowns as diamonds (open
/// orange when flagged), dashed LLOQ/ULOQ lines. Blanks (concentration 0)
/// and unknowns without a concentration are counted in the footnote.
pub fn standard_curve(plot: &StandardCurvePlot) -> String {
    let y_transform = if plot.log_y {
        Transform::Log10
    } else {
        Transform::Linear
    };
    let x_ok = |value: f64| Transform::Log10.accepts(value);
    let mut standard_points: Vec<(f64, f64, String)> = Vec::new();
    let mut skipped_standards = 0;
    for (level, standard) in plot.standards.iter().enumerate() {
        for (replicate, signal) in standard.signals.iter().enumerate() {
            if x_ok(standard.concentration) && y_transform.accepts(*signal) {
                let hover = format!(
                    "standard {} (replicate {})\nconcentration {}\nsignal {}",
                    level + 1,
                    replicate + 1,
                    significant(standard.concentration, 4),
                    significant(*signal, 4)
                );
                standard_points.push((standard.concentration, *signal, hover));
            } else {
                skipped_standards += 1;
            }
        }
    }
    let curve: Vec<(f64, f64)> = plot
        .curve
        .iter()
        .copied()
        .filter(|(x, y)| x_ok(*x) && y_transform.accepts(*y))
        .collect();
    let placed: Vec<&UnknownSample> = plot
        .unknowns
        .iter()
        .filter(|unknown| x_ok(unknown.concentration) && y_transform.accepts(unknown.signal))
        .collect();
    let unplaced = plot.unknowns.len() - placed.len();
    let footnote = join_notes(&[
        not_shown(
            skipped_standards,
            "standard well",
            "standard wells",
            "zero concentration or missing signal",
        ),
        not_shown(
            unplaced,
            "unknown",
            "unknowns",
            "no concentration read off the curve",
        ),
    ]);
    let lloq = plot.lloq.filter(|value| x_ok(*value));
    let uloq = plot.uloq.filter(|value| x_ok(*value));
    let x_values = standard_points
        .iter()
        .map(|point| point.0)
        .chain(curve.iter().map(|point| point.0))
        .chain(placed.iter().map(|unknown| unknown.concentration))
        .chain(lloq)
        .chain(uloq);
    let Some(x_domain) = padded_domain(Transform::Log10, x_values, &[], 0.04) else {
        return nothing_to_draw(
            plot.size,
            &plot.title,
            &plot.subtitle,
            "No standards to plot.",
            &footnote,
        );
    };
    let y_values = standard_points
        .iter()
        .map(|point| point.1)
        .chain(curve.iter().map(|point| point.1))
        .chain(placed.iter().map(|unknown| unknown.signal));
    let y_domain = padded_domain(y_transform, y_values, &[], 0.06).unwrap_or((0.0, 1.0));
    let flagged = placed
        .iter()
        .filter(|unknown| !unknown.flag.is_empty())
        .count();
    let mut entries = vec![Entry {
        label: "standards".to_string(),
        key: Key::Marker {
            shape: Shape::Circle,
            style: Style::fill(BLUE),
        },
    }];
    if curve.len() >= 2 {
        entries.push(Entry {
            label: "fit".to_string(),
            key: Key::Line {
                style: Style::stroke(INK, 1.6),
            },
        });
    }
    if placed.len() > flagged {
        entries.push(Entry {
            label: "unknowns".to_string(),
            key: Key::Marker {
                shape: Shape::Diamond,
                style: Style::fill(VERMILLION).with_stroke(INK, 0.5),
            },
        });
    }
    if flagged > 0 {
        entries.push(Entry {
            label: "flagged".to_string(),
            key: Key::Marker {
                shape: Shape::Diamond,
                style: Style::fill(WHITE).with_stroke(ORANGE, 1.5),
            },
        });
    }
    let spec = ChartSpec {
        width: plot.size.width,
        height: plot.size.height,
        title: &plot.title,
        subtitle: &plot.subtitle,
        x_title: &plot.x_title,
        y_title: &plot.y_title,
        x: AxisSpec::Continuous {
            transform: Transform::Log10,
            domain: x_domain,
        },
        y: AxisSpec::Continuous {
            transform: y_transform,
            domain: y_domain,
        },
        footnote: &footnote,
        ..ChartSpec::default()
    };
    // Room above the plot for the LLOQ/ULOQ labels, so they hide no data.
    let extra_top = if lloq.or(uloq).is_some() { 12.0 } else { 0.0 };
    let mut chart = chart_with_legend(spec, "", &entries, extra_top);
    let plot_rect = chart.plot;
    chart.open_clip(5.0);
    let mut limit_labels = Vec::new();
    for (value, label) in [(lloq, "LLOQ"), (uloq, "ULOQ")] {
        let Some(x) = value.and_then(|value| chart.x.map(value)) else {
            continue;
        };
        chart.document.line(
            x,
            plot_rect.y,
            x,
            plot_rect.bottom(),
            &Style::stroke(MUTED_INK, 1.0).dashed("4 3"),
        );
        limit_labels.push((x, label, value.unwrap_or(f64::NAN)));
    }
    let curve_pixels: Vec<(f64, f64)> = curve
        .iter()
        .filter_map(|(x, y)| chart.x.map(*x).zip(chart.y.map(*y)))
        .collect();
    chart.document.polyline(
        &curve_pixels,
        &Style::stroke(INK, 1.6),
        Some("fitted curve"),
    );
    for (concentration, signal, hover) in &standard_points {
        if let (Some(x), Some(y)) = (chart.x.map(*concentration), chart.y.map(*signal)) {
            chart.document.circle(
                x,
                y,
                3.0,
                &Style::fill(BLUE).with_fill_opacity(0.8),
                Some(hover),
            );
        }
    }
    for unknown in &placed {
        let (Some(x), Some(y)) = (
            chart.x.map(unknown.concentration),
            chart.y.map(unknown.signal),
        ) else {
            continue;
        };
        let flag = if unknown.flag.is_empty() {
            String::new()
        } else {
            format!("\nflag {}", unknown.flag)
        };
        let hover = format!(
            "{}\nconcentration {}\nsignal {}{flag}",
            unknown.name,
            significant(unknown.concentration, 4),
            significant(unknown.signal, 4)
        );
        let style = if unknown.flag.is_empty() {
            Style::fill(VERMILLION).with_stroke(INK, 0.5)
        } else {
            Style::fill(WHITE).with_stroke(ORANGE, 1.5)
        };
        draw_marker(
            &mut chart.document,
            Shape::Diamond,
            x,
            y,
            3.4,
            &style,
            Some(&hover),
        );
    }
    chart.close_clip();
    for (x, label, value) in limit_labels {
        // Above the plot, centred on the top of the line.
        chart.document.text_with_hover(
            x,
            plot_rect.y - 4.0,
            label,
            &TextStyle::new(FONT_SIZE, MUTED_INK).anchored(Anchor::Middle),
            &format!("{label} {}", significant(value, 4)),
        );
    }
    chart.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_plot_draws_bars_and_explains_them() {
        let plot = GroupDotPlot {
            title: "RANKL".into(),
            y_title: "fold change".into(),
            groups: vec![
                DotGroup {
                    name: "GCTB".into(),
                    values: vec![8.0, 16.0, 0.0],
                    point_labels: vec!["T1".into(), "T2".into(), "T3".into()],
                    center: Some(11.3),
                    error: Some((6.0, 20.0)),
                },
                DotGroup {
                    name: "calibrator".into(),
                    values: vec![1.0, 0.9, 1.1],
                    ..DotGroup::default()
                },
            ],
            transform: Transform::Log2,
            reference_line: Some(1.0),
            size: Size::DOUBLE_COLUMN,
            ..GroupDotPlot::default()
        };
        let svg = group_dot_plot(&plot);
        assert!(svg.contains("Bar: mean; whiskers: 95% CI."));
        assert!(svg.contains("1 value not shown (missing or not positive on the log axis)."));
        assert!(svg.contains("<title>T2 (GCTB): 16</title>"));
        assert!(svg.contains("<title>GCTB 95% CI: 6 to 20</title>"));
    }

    #[test]
    fn standard_curve_counts_blanks_and_unplaced_unknowns() {
        let plot = StandardCurvePlot {
            standards: vec![
                StandardLevel {
                    concentration: 0.0,
                    signals: vec![0.05, 0.06],
                },
                StandardLevel {
                    concentration: 10.0,
                    signals: vec![0.2, 0.22],
                },
                StandardLevel {
                    concentration: 1000.0,
                    signals: vec![2.0, 2.1],
                },
            ],
            curve: vec![(5.0, 0.1), (100.0, 1.0), (2000.0, 2.2)],
            unknowns: vec![
                UnknownSample {
                    name: "S1".into(),
                    concentration: 50.0,
                    signal: 0.8,
                    flag: String::new(),
                },
                UnknownSample {
                    name: "S2".into(),
                    concentration: f64::NAN,
                    signal: 3.0,
                    flag: ">ULOQ".into(),
                },
            ],
            lloq: Some(10.0),
            uloq: Some(1000.0),
            size: Size::DOUBLE_COLUMN,
            ..StandardCurvePlot::default()
        };
        let svg = standard_curve(&plot);
        assert!(svg.contains("2 standard wells not shown"));
        assert!(svg.contains("1 unknown not shown"));
        assert!(svg.contains(">LLOQ</text>") || svg.contains("LLOQ</text>"));
        assert!(!svg.contains("NaN"));
    }
}
