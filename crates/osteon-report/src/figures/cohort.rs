//! Cohort figures: Kaplan–Meier curves with censor marks, optional
//! confidence bands and a numbers-at-risk table aligned to the time ticks
//! (R survival 3.5 `plot.survfit`, survminer `ggsurvplot(risk.table =
//! TRUE)`); cumulative-incidence curves for competing risks (Aalen–Johansen
//! estimates as from `survfit` with a multi-state status, or cmprsk
//! `cuminc`); and a spaghetti plot of biomarker courses per patient on a log
//! axis with per-assay normal limits and landmark times.

use crate::svg::chart::{AxisSpec, ChartSpec, PAD};
use crate::svg::color::{categorical, INK, MUTED_INK};
use crate::svg::document::{Anchor, PathData, Style, TextStyle};
use crate::svg::legend::{Entry, Key};
use crate::svg::number::{count, significant};
use crate::svg::scale::{padded_domain, Transform};
use crate::svg::text::{bold_text_width, text_width, truncate_to_width};
use crate::svg::FONT_SIZE;

use super::steps::{draw_curve, StepPoint};
use super::{chart_with_legend, join_notes, not_shown, nothing_to_draw, Groups, Size};

/// One row of a Kaplan–Meier table (`summary(survfit(...))` / `km.tsv`).
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct KmStep {
    /// Time of the row.
    pub time: f64,
    /// `n.risk`: subjects at risk just before `time`.
    pub n_risk: f64,
    /// `n.event`: events at `time`.
    pub n_event: f64,
    /// `n.censor`: censored at `time`.
    pub n_censor: f64,
    /// `surv`: survival just after `time`.
    pub surv: f64,
    /// Lower confidence limit (NaN for NA).
    pub lower: f64,
    /// Upper confidence limit (NaN for NA).
    pub upper: f64,
}

/// One stratum's curve.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct KmCurve {
    /// Stratum name (legend, risk table); empty for an unstratified fit.
    pub name: String,
    /// Rows at every event or censoring time, increasing in time.
    pub steps: Vec<KmStep>,
}

/// Input of [`kaplan_meier`].
#[derive(Clone, Debug, PartialEq)]
pub struct KaplanMeierPlot {
    /// Figure title.
    pub title: String,
    /// Subtitle (e.g. "log-rank p = 0.003"); empty for none.
    pub subtitle: String,
    /// x-axis title (e.g. "Time (months)").
    pub x_title: String,
    /// y-axis title.
    pub y_title: String,
    /// One curve per stratum.
    pub curves: Vec<KmCurve>,
    /// Draw the confidence bands.
    pub show_ci: bool,
    /// Draw the numbers-at-risk table under the x axis.
    pub risk_table: bool,
    /// Figure size (the risk table is added below this height).
    pub size: Size,
}

impl Default for KaplanMeierPlot {
    fn default() -> Self {
        KaplanMeierPlot {
            title: "Kaplan–Meier estimate".to_string(),
            subtitle: String::new(),
            x_title: "Time".to_string(),
            y_title: "Survival probability".to_string(),
            curves: Vec::new(),
            show_ci: true,
            risk_table: true,
            size: Size::SINGLE_COLUMN,
        }
    }
}

const RISK_ROW: f64 = 14.0;
const MAX_STRATUM_LABEL: f64 = 110.0;

/// Step curves ready to draw: rows with a finite time and estimate, sorted
/// by time (ties keep their order), names filled in; the start time, the
/// padded time axis and the legend (none for a single unnamed curve).
struct PreparedCurves<T> {
    curves: Vec<(String, Vec<T>)>,
    dropped: usize,
    start: f64,
    time_domain: (f64, f64),
    legend: Vec<Entry>,
}

fn prepare_curves<T: Copy>(
    input: &[(&str, &[T])],
    time: impl Fn(&T) -> f64,
    estimate: impl Fn(&T) -> f64,
    unnamed: &str,
) -> PreparedCurves<T> {
    let mut dropped = 0;
    let curves: Vec<(String, Vec<T>)> = input
        .iter()
        .enumerate()
        .map(|(index, (name, rows))| {
            let mut kept: Vec<T> = rows
                .iter()
                .copied()
                .filter(|row| time(row).is_finite() && estimate(row).is_finite())
                .collect();
            dropped += rows.len() - kept.len();
            kept.sort_by(|a, b| time(a).total_cmp(&time(b)));
            let name = match (name.is_empty(), index) {
                (false, _) => name.to_string(),
                (true, 0) => "All".to_string(),
                (true, _) => format!("{unnamed} {}", index + 1),
            };
            (name, kept)
        })
        .collect();
    let times = || curves.iter().flat_map(|(_, rows)| rows.iter().map(&time));
    let start = times().fold(0.0, f64::min);
    let time_domain =
        padded_domain(Transform::Linear, times(), &[start], 0.02).unwrap_or((0.0, 1.0));
    let single_unnamed = input.len() == 1 && input[0].0.is_empty();
    let legend = if single_unnamed {
        Vec::new()
    } else {
        Groups::from_names(curves.iter().map(|(name, _)| name.as_str())).line_entries()
    };
    PreparedCurves {
        curves,
        dropped,
        start,
        time_domain,
        legend,
    }
}

impl<T> PreparedCurves<T> {
    fn is_empty(&self) -> bool {
        self.curves.iter().all(|(_, rows)| rows.is_empty())
    }
}

/// Subjects at risk at time `t` read off a survfit table: `n.risk` of the
/// first row at or after `t`, 0 after the last row.
fn at_risk(steps: &[KmStep], t: f64) -> f64 {
    steps
        .iter()
        .find(|step| step.time >= t)
        .map_or(0.0, |step| step.n_risk)
}

/// Kaplan–Meier curves: one step curve per stratum, `+` marks at censoring
/// times, optional confidence bands, and a numbers-at-risk table whose
/// columns sit under the x-axis ticks. Hovering a step shows time, survival
/// with its interval, and the numbers at risk and of events.
pub fn kaplan_meier(plot: &KaplanMeierPlot) -> String {
    let input: Vec<(&str, &[KmStep])> = plot
        .curves
        .iter()
        .map(|curve| (curve.name.as_str(), curve.steps.as_slice()))
        .collect();
    let prepared = prepare_curves(&input, |step| step.time, |step| step.surv, "stratum");
    let footnote = not_shown(
        prepared.dropped,
        "row",
        "rows",
        "time or survival not finite",
    );
    if prepared.is_empty() {
        return nothing_to_draw(
            plot.size,
            &plot.title,
            &plot.subtitle,
            "No survival data to plot.",
            &footnote,
        );
    }
    let PreparedCurves {
        curves,
        start,
        time_domain: x_domain,
        legend: entries,
        ..
    } = prepared;
    let labels: Vec<String> = curves
        .iter()
        .map(|(name, _)| truncate_to_width(name, MAX_STRATUM_LABEL, FONT_SIZE))
        .collect();
    // Stratum names go in a column left of the numbers when they are short
    // enough, otherwise each on its own line above its numbers.
    let widest_label = labels
        .iter()
        .map(|label| bold_text_width(label, FONT_SIZE))
        .fold(0.0, f64::max);
    let names_in_column = widest_label <= plot.size.width * 0.22;
    let rows_per_stratum = if names_in_column { 1.0 } else { 2.0 };
    let risk_height = if plot.risk_table {
        20.0 + RISK_ROW * rows_per_stratum * curves.len() as f64
    } else {
        0.0
    };
    // In a column, the names sit left of the first column of numbers,
    // which is centred on the first tick at the left edge of the plot.
    let widest_number = curves
        .iter()
        .flat_map(|(_, steps)| steps.first())
        .map(|step| text_width(&count(step.n_risk), FONT_SIZE))
        .fold(0.0, f64::max);
    let min_left = if plot.risk_table && names_in_column {
        PAD + widest_label + 8.0 + widest_number / 2.0
    } else {
        PAD + widest_number / 2.0
    };
    let spec = ChartSpec {
        width: plot.size.width,
        height: plot.size.height + risk_height,
        title: &plot.title,
        subtitle: &plot.subtitle,
        x_title: &plot.x_title,
        y_title: &plot.y_title,
        x: AxisSpec::Continuous {
            transform: Transform::Linear,
            domain: x_domain,
        },
        y: AxisSpec::Continuous {
            transform: Transform::Linear,
            domain: (-0.03, 1.03),
        },
        bottom_reserve: risk_height,
        min_left,
        footnote: &footnote,
        ..ChartSpec::default()
    };
    let mut chart = chart_with_legend(spec, "", &entries, 0.0);
    chart.open_clip(4.0);
    for (index, (name, steps)) in curves.iter().enumerate() {
        let color = categorical(index);
        let points: Vec<StepPoint> = steps
            .iter()
            .map(|step| StepPoint {
                time: step.time,
                value: step.surv,
                lower: step.lower,
                upper: step.upper,
            })
            .collect();
        let origin = StepPoint {
            time: start,
            value: 1.0,
            lower: 1.0,
            upper: 1.0,
        };
        draw_curve(
            &mut chart,
            color,
            name,
            origin,
            &points,
            plot.show_ci,
            |row| {
                let step = &steps[row];
                format!(
                    "{name}\ntime {}\nsurvival {} ({}–{})\nat risk {}, events {}, censored {}",
                    significant(step.time, 4),
                    significant(step.surv, 3),
                    significant(step.lower, 3),
                    significant(step.upper, 3),
                    count(step.n_risk),
                    count(step.n_event),
                    count(step.n_censor)
                )
            },
        );
        // Censor marks: a "+" at the curve's level, as plot.survfit mark = 3.
        let mut marks = PathData::new();
        for step in steps.iter().filter(|step| step.n_censor > 0.0) {
            if let (Some(x), Some(y)) = (chart.x.map(step.time), chart.y.map(step.surv)) {
                marks
                    .move_to(x - 3.0, y)
                    .line_to(x + 3.0, y)
                    .move_to(x, y - 3.0)
                    .line_to(x, y + 3.0);
            }
        }
        chart.document.path(
            &marks,
            &Style::stroke(color, 1.2),
            Some(&format!("{name}: censored")),
        );
    }
    chart.close_clip();
    if plot.risk_table {
        let band = chart.bottom_band;
        let header_y = band.y + 13.0;
        chart.document.text(
            PAD,
            header_y,
            "Number at risk",
            &TextStyle::new(FONT_SIZE, INK).bold(),
        );
        let tick_times: Vec<(f64, f64)> = chart
            .x_ticks
            .major
            .iter()
            .filter(|tick| tick.value >= start - 1e-9 * (x_domain.1 - x_domain.0).abs())
            .filter_map(|tick| chart.x.map(tick.value).map(|px| (tick.value, px)))
            .collect();
        for (index, ((name, steps), label)) in curves.iter().zip(&labels).enumerate() {
            let name_y = header_y + RISK_ROW * (rows_per_stratum * index as f64 + 1.0);
            let numbers_y = name_y + RISK_ROW * (rows_per_stratum - 1.0);
            let style = TextStyle::new(FONT_SIZE, categorical(index)).bold();
            if label == name {
                chart.document.text(PAD, name_y, label, &style);
            } else {
                chart
                    .document
                    .text_with_hover(PAD, name_y, label, &style, name);
            }
            for &(time, px) in &tick_times {
                chart.document.text(
                    px,
                    numbers_y,
                    &count(at_risk(steps, time)),
                    &TextStyle::new(FONT_SIZE, INK).anchored(Anchor::Middle),
                );
            }
        }
    }
    chart.finish()
}

/// One step of a cumulative-incidence curve.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct CifPoint {
    /// Time of the jump.
    pub time: f64,
    /// Cumulative incidence just after `time`.
    pub cif: f64,
    /// Lower confidence limit (NaN for NA).
    pub lower: f64,
    /// Upper confidence limit (NaN for NA).
    pub upper: f64,
}

/// One group's cumulative-incidence curve.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct CifCurve {
    /// Group name (legend); empty for an ungrouped fit.
    pub name: String,
    /// Jumps, increasing in time.
    pub points: Vec<CifPoint>,
}

/// Input of [`cumulative_incidence`].
#[derive(Clone, Debug, PartialEq)]
pub struct CumulativeIncidencePlot {
    /// Figure title (e.g. "Progression to myeloma").
    pub title: String,
    /// Subtitle (e.g. "death as competing risk · Gray's test p = 0.02").
    pub subtitle: String,
    /// x-axis title.
    pub x_title: String,
    /// y-axis title.
    pub y_title: String,
    /// One curve per group.
    pub curves: Vec<CifCurve>,
    /// Draw the confidence bands.
    pub show_ci: bool,
    /// Figure size.
    pub size: Size,
}

impl Default for CumulativeIncidencePlot {
    fn default() -> Self {
        CumulativeIncidencePlot {
            title: "Cumulative incidence".to_string(),
            subtitle: String::new(),
            x_title: "Time".to_string(),
            y_title: "Cumulative incidence".to_string(),
            curves: Vec::new(),
            show_ci: false,
            size: Size::SINGLE_COLUMN,
        }
    }
}

/// Cumulative-incidence curves: rising step curves from 0, one per group,
/// optional confidence bands; hovering a step shows its time and estimate.
pub fn cumulative_incidence(plot: &CumulativeIncidencePlot) -> String {
    let input: Vec<(&str, &[CifPoint])> = plot
        .curves
        .iter()
        .map(|curve| (curve.name.as_str(), curve.points.as_slice()))
        .collect();
    let prepared = prepare_curves(&input, |point| point.time, |point| point.cif, "group");
    let footnote = not_shown(
        prepared.dropped,
        "row",
        "rows",
        "time or incidence not finite",
    );
    if prepared.is_empty() {
        return nothing_to_draw(
            plot.size,
            &plot.title,
            &plot.subtitle,
            "No cumulative-incidence data to plot.",
            &footnote,
        );
    }
    let PreparedCurves {
        curves,
        start,
        time_domain: x_domain,
        legend: entries,
        ..
    } = prepared;
    let values = curves.iter().flat_map(|(_, points)| {
        points.iter().flat_map(move |point| {
            if plot.show_ci {
                vec![point.cif, point.upper]
            } else {
                vec![point.cif]
            }
        })
    });
    let (low, high) =
        padded_domain(Transform::Linear, values, &[0.0], 0.04).unwrap_or((-0.04, 1.04));
    let y_domain = (low.max(-0.04), high.min(1.04));
    let spec = ChartSpec {
        width: plot.size.width,
        height: plot.size.height,
        title: &plot.title,
        subtitle: &plot.subtitle,
        x_title: &plot.x_title,
        y_title: &plot.y_title,
        x: AxisSpec::Continuous {
            transform: Transform::Linear,
            domain: x_domain,
        },
        y: AxisSpec::Continuous {
            transform: Transform::Linear,
            domain: y_domain,
        },
        footnote: &footnote,
        ..ChartSpec::default()
    };
    let mut chart = chart_with_legend(spec, "", &entries, 0.0);
    chart.open_clip(4.0);
    for (index, (name, points)) in curves.iter().enumerate() {
        let steps: Vec<StepPoint> = points
            .iter()
            .map(|point| StepPoint {
                time: point.time,
                value: point.cif,
                lower: point.lower,
                upper: point.upper,
            })
            .collect();
        let origin = StepPoint {
            time: start,
            value: 0.0,
            lower: 0.0,
            upper: 0.0,
        };
        draw_curve(
            &mut chart,
            categorical(index),
            name,
            origin,
            &steps,
            plot.show_ci,
            |row| {
                let point = &points[row];
                format!(
                    "{name}\ntime {}\ncumulative incidence {} ({}–{})",
                    significant(point.time, 4),
                    significant(point.cif, 3),
                    significant(point.lower, 3),
                    significant(point.upper, 3)
                )
            },
        );
    }
    chart.finish()
}

/// One patient's measurements over time.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PatientSeries {
    /// Patient id (hover).
    pub patient: String,
    /// Treatment arm (colour); empty for none.
    pub arm: String,
    /// (time, value) measurements.
    pub points: Vec<(f64, f64)>,
}

/// A labelled horizontal reference line (e.g. an assay's upper normal
/// limit).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ReferenceLine {
    /// Label drawn at the right end (e.g. "ULN serum ELISA 1,000 pg/mL").
    pub label: String,
    /// Its value on the y axis.
    pub value: f64,
}

/// A labelled vertical guide at a landmark time.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Landmark {
    /// Label drawn at the top (e.g. "3 mo").
    pub label: String,
    /// Time on the x axis.
    pub time: f64,
}

/// Input of [`spaghetti`].
#[derive(Clone, Debug, PartialEq)]
pub struct SpaghettiPlot {
    /// Figure title.
    pub title: String,
    /// Subtitle; empty for none.
    pub subtitle: String,
    /// x-axis title (e.g. "Months after transplant").
    pub x_title: String,
    /// y-axis title (e.g. "Serum VEGF (pg/mL)").
    pub y_title: String,
    /// One series per patient.
    pub patients: Vec<PatientSeries>,
    /// Normal limits, one per assay (dashed lines).
    pub normal_limits: Vec<ReferenceLine>,
    /// Landmark times (dotted vertical guides).
    pub landmarks: Vec<Landmark>,
    /// Log10 y axis (values ≤ 0 are then not shown).
    pub log_y: bool,
    /// Figure size.
    pub size: Size,
}

impl Default for SpaghettiPlot {
    fn default() -> Self {
        SpaghettiPlot {
            title: "Biomarker course".to_string(),
            subtitle: String::new(),
            x_title: "Time".to_string(),
            y_title: "Value".to_string(),
            patients: Vec::new(),
            normal_limits: Vec::new(),
            landmarks: Vec::new(),
            log_y: true,
            size: Size::SINGLE_COLUMN,
        }
    }
}

/// Dash patterns of normal-limit lines, one per assay.
const LIMIT_DASHES: [&str; 4] = ["6 3", "2 2", "8 3 2 3", "12 4"];

/// A spaghetti plot: one line per patient coloured by arm, on a log (or
/// linear) y axis, with each assay's normal limit as a dashed line (keyed
/// in the legend, one dash pattern per assay) and landmark times as dotted
/// guides labelled above the plot.
pub fn spaghetti(plot: &SpaghettiPlot) -> String {
    let transform = if plot.log_y {
        Transform::Log10
    } else {
        Transform::Linear
    };
    let mut skipped = 0;
    let series: Vec<(&PatientSeries, Vec<(f64, f64)>)> = plot
        .patients
        .iter()
        .map(|patient| {
            let mut points: Vec<(f64, f64)> = patient
                .points
                .iter()
                .copied()
                .filter(|(time, value)| time.is_finite() && transform.accepts(*value))
                .collect();
            skipped += patient.points.len() - points.len();
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            (patient, points)
        })
        .collect();
    let reason = if plot.log_y {
        "missing or not positive on the log axis"
    } else {
        "missing"
    };
    let footnote = join_notes(&[not_shown(skipped, "measurement", "measurements", reason)]);
    let all_points = || series.iter().flat_map(|(_, points)| points.iter().copied());
    if all_points().next().is_none() {
        return nothing_to_draw(
            plot.size,
            &plot.title,
            &plot.subtitle,
            "No measurements to plot.",
            &footnote,
        );
    }
    let limits: Vec<&ReferenceLine> = plot
        .normal_limits
        .iter()
        .filter(|line| transform.accepts(line.value))
        .collect();
    let landmarks: Vec<&Landmark> = plot
        .landmarks
        .iter()
        .filter(|landmark| landmark.time.is_finite())
        .collect();
    let x_include: Vec<f64> = landmarks.iter().map(|landmark| landmark.time).collect();
    let y_include: Vec<f64> = limits.iter().map(|line| line.value).collect();
    let x_domain = padded_domain(
        Transform::Linear,
        all_points().map(|(t, _)| t),
        &x_include,
        0.04,
    )
    .unwrap_or((0.0, 1.0));
    let y_domain = padded_domain(transform, all_points().map(|(_, v)| v), &y_include, 0.08)
        .unwrap_or((1.0, 10.0));
    let arms = Groups::from_names(series.iter().map(|(patient, _)| patient.arm.as_str()));
    let mut entries = if arms.names.iter().any(|arm| !arm.is_empty()) {
        arms.line_entries()
    } else {
        Vec::new()
    };
    // Normal limits are keyed in the legend (one dash pattern per assay),
    // so no label is written over the data.
    for (index, line) in limits.iter().enumerate() {
        entries.push(Entry {
            label: line.label.clone(),
            key: Key::Line {
                style: Style::stroke(INK, 1.2).dashed(LIMIT_DASHES[index % LIMIT_DASHES.len()]),
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
            transform: Transform::Linear,
            domain: x_domain,
        },
        y: AxisSpec::Continuous {
            transform,
            domain: y_domain,
        },
        footnote: &footnote,
        ..ChartSpec::default()
    };
    // Room above the plot for the landmark labels.
    let extra_top = if landmarks.is_empty() { 0.0 } else { 12.0 };
    let mut chart = chart_with_legend(spec, "", &entries, extra_top);
    let plot_rect = chart.plot;
    chart.open_clip(4.0);
    for landmark in &landmarks {
        if let Some(x) = chart.x.map(landmark.time) {
            chart.document.line(
                x,
                plot_rect.y,
                x,
                plot_rect.bottom(),
                &Style::stroke(MUTED_INK, 1.0).dashed("1.5 2.5"),
            );
        }
    }
    for (patient, points) in &series {
        let color = categorical(arms.index_of(&patient.arm));
        let pixels: Vec<(f64, f64)> = points
            .iter()
            .filter_map(|(time, value)| chart.x.map(*time).zip(chart.y.map(*value)))
            .collect();
        let name = if patient.arm.is_empty() {
            patient.patient.clone()
        } else {
            format!("{} ({})", patient.patient, patient.arm)
        };
        if pixels.len() >= 2 {
            chart.document.polyline(
                &pixels,
                &Style::stroke(color, 1.3).with_stroke_opacity(0.8),
                Some(&name),
            );
        }
        chart.document.open_group(&Style::fill(color).attributes());
        for ((time, value), (x, y)) in points.iter().zip(&pixels) {
            let hover = format!(
                "{name}\ntime {}: {}",
                significant(*time, 4),
                significant(*value, 4)
            );
            chart
                .document
                .circle(*x, *y, 2.2, &Style::inherited(), Some(&hover));
        }
        chart.document.close_group();
    }
    for (index, line) in limits.iter().enumerate() {
        if let Some(y) = chart.y.map(line.value) {
            let style = Style::stroke(INK, 1.2).dashed(LIMIT_DASHES[index % LIMIT_DASHES.len()]);
            let mut data = PathData::new();
            data.move_to(plot_rect.x, y).line_to(plot_rect.right(), y);
            chart.document.path(
                &data,
                &style,
                Some(&format!("{}: {}", line.label, significant(line.value, 4))),
            );
        }
    }
    chart.close_clip();
    // Landmark labels above the plot, centred on their guides but kept
    // inside the figure.
    for landmark in &landmarks {
        let Some(x) = chart.x.map(landmark.time) else {
            continue;
        };
        let width = text_width(&landmark.label, FONT_SIZE);
        let left = (x - width / 2.0).clamp(PAD, (plot.size.width - PAD - width).max(PAD));
        chart.document.text(
            left + width / 2.0,
            plot_rect.y - 4.0,
            &landmark.label,
            &TextStyle::new(FONT_SIZE, MUTED_INK).anchored(Anchor::Middle),
        );
    }
    chart.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(time: f64, n_risk: f64, surv: f64, n_censor: f64) -> KmStep {
        KmStep {
            time,
            n_risk,
            n_event: 1.0,
            n_censor,
            surv,
            lower: surv * 0.8,
            upper: (surv * 1.2).min(1.0),
        }
    }

    #[test]
    fn numbers_at_risk_are_read_from_the_next_row() {
        let steps = [
            step(2.0, 10.0, 0.9, 0.0),
            step(5.0, 8.0, 0.8, 1.0),
            step(9.0, 3.0, 0.5, 0.0),
        ];
        assert_eq!(at_risk(&steps, 0.0), 10.0);
        assert_eq!(at_risk(&steps, 2.0), 10.0);
        assert_eq!(at_risk(&steps, 4.0), 8.0);
        assert_eq!(at_risk(&steps, 9.0), 3.0);
        assert_eq!(at_risk(&steps, 10.0), 0.0);
    }

    #[test]
    fn kaplan_meier_draws_steps_marks_and_table() {
        let plot = KaplanMeierPlot {
            curves: vec![
                KmCurve {
                    name: "sclerotic".into(),
                    steps: vec![step(2.0, 10.0, 0.9, 0.0), step(5.0, 8.0, 0.8, 1.0)],
                },
                KmCurve {
                    name: "lytic".into(),
                    steps: vec![step(1.0, 12.0, 0.9, 0.0), step(f64::NAN, 1.0, 0.1, 0.0)],
                },
            ],
            ..KaplanMeierPlot::default()
        };
        let svg = kaplan_meier(&plot);
        assert!(svg.contains("Number at risk"));
        assert!(svg.contains(">sclerotic</text>"));
        assert!(svg.contains("1 row not shown (time or survival not finite)."));
        assert!(svg.contains("<title>sclerotic: censored</title>"));
        assert!(svg.contains("survival 0.8 (0.64–0.96)"));
    }

    #[test]
    fn spaghetti_skips_non_positive_values_on_log_axes() {
        let plot = SpaghettiPlot {
            patients: vec![PatientSeries {
                patient: "P1".into(),
                arm: "ASCT".into(),
                points: vec![(0.0, 1200.0), (3.0, 0.0), (6.0, 400.0)],
            }],
            normal_limits: vec![ReferenceLine {
                label: "ULN 1000".into(),
                value: 1000.0,
            }],
            landmarks: vec![Landmark {
                label: "3 mo".into(),
                time: 3.0,
            }],
            size: Size::DOUBLE_COLUMN,
            ..SpaghettiPlot::default()
        };
        let svg = spaghetti(&plot);
        assert!(svg.contains("1 measurement not shown (missing or not positive on the log axis)."));
        assert!(svg.contains(">ULN 1000</text>"));
        assert!(svg.contains("<title>ULN 1000: 1000</title>"));
        assert!(svg.contains(">3 mo</text>"));
    }
}
