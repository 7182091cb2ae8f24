//! Differential-expression figures, after DESeq2 1.38.3's plotting
//! functions (Love, Huber & Anders 2014, Genome Biology 15:550):
//! `plotMA` (log10 mean vs log2 fold change, points beyond the y limit
//! drawn as triangles on the edge; default limit 1.1 × the 99 % quantile of
//! |log2FC| as in geneplotter's `plotMA`), a volcano plot, `plotPCA` (PC1 vs
//! PC2 with "PC1: 45% variance" axis titles, equal units on both axes as
//! `coord_fixed()`), the sample-distance heatmap of the DESeq2 vignette,
//! `plotDispEsts` (gene-wise, fitted and final dispersions, outliers
//! circled), library sizes, size factors and `plotCounts` (normalised
//! counts + 0.5 on a log axis by group).

use crate::svg::chart::{message_figure, AxisSpec, Chart, ChartSpec, PAD};
use crate::svg::color::{
    categorical, viridis, Color, BLUE, GREY, INK, MUTED_INK, VERMILLION, WHITE,
};
use crate::svg::document::{Anchor, Document, Rect, Style, TextStyle, Value};
use crate::svg::labels::{place, Obstacle, Placement, Request};
use crate::svg::legend::{self, ColorBar, Entry, Key};
use crate::svg::marker::{draw_marker, shape_for, Shape};
use crate::svg::number::{count, significant};
use crate::svg::scale::{padded_domain, Transform};
use crate::svg::text::{text_width, truncate_to_width, wrap_to_width};
use crate::svg::{FONT_SIZE, HEADING_FONT_SIZE};

use super::{
    chart_with_legend, jitter, join_notes, not_shown, nothing_to_draw, quantile_sorted, Groups,
    Size,
};

/// One gene of a DESeq2 results table.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct GeneResult {
    /// Gene name or id shown on hover and in labels.
    pub name: String,
    /// `baseMean`: mean of normalised counts.
    pub base_mean: f64,
    /// `log2FoldChange`.
    pub log2_fold_change: f64,
    /// `padj` (NaN for NA).
    pub padj: f64,
}

/// Input of [`ma_plot`].
#[derive(Clone, Debug, PartialEq)]
pub struct MaPlot {
    /// Figure title.
    pub title: String,
    /// Subtitle (e.g. the contrast); empty for none.
    pub subtitle: String,
    /// All genes of the results table.
    pub genes: Vec<GeneResult>,
    /// Genes with `padj < alpha` are coloured (DESeq2's default 0.1).
    pub alpha: f64,
    /// Symmetric y-axis limit |log2FC|; `None` for DESeq2's default
    /// (1.1 × the 99 % quantile of |log2FC|).
    pub y_limit: Option<f64>,
    /// Figure size.
    pub size: Size,
}

impl Default for MaPlot {
    fn default() -> Self {
        MaPlot {
            title: "MA plot".to_string(),
            subtitle: String::new(),
            genes: Vec::new(),
            alpha: 0.1,
            y_limit: None,
            size: Size::SINGLE_COLUMN,
        }
    }
}

fn gene_hover(gene: &GeneResult) -> String {
    format!(
        "{}\nbaseMean {}\nlog2FC {}\npadj {}",
        gene.name,
        significant(gene.base_mean, 4),
        significant(gene.log2_fold_change, 3),
        significant(gene.padj, 3)
    )
}

fn is_significant(padj: f64, alpha: f64) -> bool {
    padj.is_finite() && padj < alpha
}

/// Draws `points` (pixel x, pixel y, clamp direction, hover) inside a group
/// carrying their shared style, circles for points inside the plot and
/// triangles for clamped ones.
fn draw_point_group(
    document: &mut Document,
    style: &Style,
    radius: f64,
    points: &[(f64, f64, i8, String)],
) {
    if points.is_empty() {
        return;
    }
    document.open_group(&style.attributes());
    for (x, y, clamped, hover) in points {
        let shape = match clamped {
            1 => Shape::TriangleUp,
            -1 => Shape::TriangleDown,
            _ => Shape::Circle,
        };
        let radius = if *clamped == 0 { radius } else { radius * 1.3 };
        draw_marker(
            document,
            shape,
            *x,
            *y,
            radius,
            &Style::inherited(),
            Some(hover),
        );
    }
    document.close_group();
}

/// DESeq2's `plotMA`: mean of normalised counts (log10 axis) against log2
/// fold change, genes with `padj < alpha` coloured, genes beyond the y
/// limit drawn as triangles on the edge (pointing up or down).
pub fn ma_plot(plot: &MaPlot) -> String {
    let shown: Vec<&GeneResult> = plot
        .genes
        .iter()
        .filter(|gene| {
            gene.base_mean > 0.0 && gene.base_mean.is_finite() && gene.log2_fold_change.is_finite()
        })
        .collect();
    let skipped = plot.genes.len() - shown.len();
    let footnote = not_shown(
        skipped,
        "gene",
        "genes",
        "zero mean or missing log2 fold change",
    );
    if shown.is_empty() {
        return nothing_to_draw(
            plot.size,
            &plot.title,
            &plot.subtitle,
            "No data to plot.",
            &footnote,
        );
    }
    let limit = plot
        .y_limit
        .filter(|limit| limit.is_finite() && *limit > 0.0)
        .unwrap_or_else(|| {
            let mut magnitudes: Vec<f64> = shown
                .iter()
                .map(|gene| gene.log2_fold_change.abs())
                .collect();
            magnitudes.sort_by(f64::total_cmp);
            let quantile = quantile_sorted(&magnitudes, 0.99).unwrap_or(1.0) * 1.1;
            if quantile > 0.0 {
                quantile
            } else {
                1.0
            }
        });
    let x_domain = padded_domain(
        Transform::Log10,
        shown.iter().map(|gene| gene.base_mean),
        &[],
        0.04,
    )
    .unwrap_or((1.0, 10.0));
    let significant_count = shown
        .iter()
        .filter(|gene| is_significant(gene.padj, plot.alpha))
        .count();
    let entries = vec![
        Entry {
            label: format!(
                "padj < {} ({})",
                significant(plot.alpha, 3),
                count(significant_count as f64)
            ),
            key: Key::Marker {
                shape: Shape::Circle,
                style: Style::fill(BLUE),
            },
        },
        Entry {
            label: "not significant".to_string(),
            key: Key::Marker {
                shape: Shape::Circle,
                style: Style::fill(GREY),
            },
        },
    ];
    let spec = ChartSpec {
        width: plot.size.width,
        height: plot.size.height,
        title: &plot.title,
        subtitle: &plot.subtitle,
        x_title: "mean of normalized counts",
        y_title: "log2 fold change",
        x: AxisSpec::Continuous {
            transform: Transform::Log10,
            domain: x_domain,
        },
        y: AxisSpec::Continuous {
            transform: Transform::Linear,
            domain: (-limit * 1.04, limit * 1.04),
        },
        footnote: &footnote,
        ..ChartSpec::default()
    };
    let mut chart = chart_with_legend(spec, "", &entries, 0.0);
    chart.open_clip(4.0);
    let plot_rect = chart.plot;
    if let Some(zero) = chart.y.map(0.0) {
        chart.document.line(
            plot_rect.x,
            zero,
            plot_rect.right(),
            zero,
            &Style::stroke(Color::hex(0x666666), 1.5),
        );
    }
    let mut background = Vec::new();
    let mut foreground = Vec::new();
    for gene in &shown {
        let Some(x) = chart.x.map(gene.base_mean) else {
            continue;
        };
        let clamped = if gene.log2_fold_change > limit {
            1
        } else if gene.log2_fold_change < -limit {
            -1
        } else {
            0
        };
        let Some(y) = chart.y.map(gene.log2_fold_change.clamp(-limit, limit)) else {
            continue;
        };
        let point = (x, y, clamped, gene_hover(gene));
        if is_significant(gene.padj, plot.alpha) {
            foreground.push(point);
        } else {
            background.push(point);
        }
    }
    draw_point_group(
        &mut chart.document,
        &Style::fill(GREY).with_fill_opacity(0.55),
        1.3,
        &background,
    );
    draw_point_group(
        &mut chart.document,
        &Style::fill(BLUE).with_fill_opacity(0.85),
        1.5,
        &foreground,
    );
    chart.finish()
}

/// Input of [`volcano_plot`].
#[derive(Clone, Debug, PartialEq)]
pub struct VolcanoPlot {
    /// Figure title.
    pub title: String,
    /// Subtitle (e.g. the contrast); empty for none.
    pub subtitle: String,
    /// All genes of the results table.
    pub genes: Vec<GeneResult>,
    /// Significance threshold on `padj` (dashed line; DESeq2's default 0.1).
    pub alpha: f64,
    /// |log2FC| threshold (dashed lines at ±threshold; 0 for none). Genes
    /// count as up/down only beyond it.
    pub lfc_threshold: f64,
    /// Label this many significant genes with the smallest padj.
    pub label_top: usize,
    /// Genes labelled in any case (e.g. genes of interest), by name.
    pub label_genes: Vec<String>,
    /// Figure size.
    pub size: Size,
}

impl Default for VolcanoPlot {
    fn default() -> Self {
        VolcanoPlot {
            title: "Volcano plot".to_string(),
            subtitle: String::new(),
            genes: Vec::new(),
            alpha: 0.1,
            lfc_threshold: 0.0,
            label_top: 10,
            label_genes: Vec::new(),
            size: Size::SINGLE_COLUMN_SQUARE,
        }
    }
}

/// A volcano plot: log2 fold change against −log10 padj. Significant genes
/// are coloured by direction (up vermillion, down blue); padj = 0 is drawn
/// as a triangle at the top edge; the `label_top` most significant genes
/// and `label_genes` are labelled without overlaps (labels that find no
/// free place are dropped; every point names its gene on hover).
pub fn volcano_plot(plot: &VolcanoPlot) -> String {
    let shown: Vec<&GeneResult> = plot
        .genes
        .iter()
        .filter(|gene| {
            gene.log2_fold_change.is_finite()
                && gene.padj.is_finite()
                && (0.0..=1.0).contains(&gene.padj)
        })
        .collect();
    let skipped = plot.genes.len() - shown.len();
    let footnote = not_shown(skipped, "gene", "genes", "padj or log2 fold change NA");
    if shown.is_empty() {
        return nothing_to_draw(
            plot.size,
            &plot.title,
            &plot.subtitle,
            "No data to plot.",
            &footnote,
        );
    }
    let threshold = if plot.lfc_threshold.is_finite() {
        plot.lfc_threshold.abs()
    } else {
        0.0
    };
    let y_of = |padj: f64| -padj.log10();
    let finite_top = shown
        .iter()
        .map(|gene| y_of(gene.padj))
        .filter(|y| y.is_finite())
        .fold(0.0, f64::max);
    let alpha_line = (plot.alpha > 0.0 && plot.alpha < 1.0).then(|| y_of(plot.alpha));
    let cap = finite_top.max(alpha_line.unwrap_or(0.0)).max(1.0) * 1.05;
    let max_lfc = shown
        .iter()
        .map(|gene| gene.log2_fold_change.abs())
        .fold(threshold, f64::max)
        .max(1.0);
    let direction = |gene: &GeneResult| -> i8 {
        if !is_significant(gene.padj, plot.alpha) || gene.log2_fold_change.abs() <= threshold {
            0
        } else if gene.log2_fold_change > 0.0 {
            1
        } else {
            -1
        }
    };
    let up = shown.iter().filter(|gene| direction(gene) == 1).count();
    let down = shown.iter().filter(|gene| direction(gene) == -1).count();
    let entries = vec![
        Entry {
            label: format!("up ({})", count(up as f64)),
            key: Key::Marker {
                shape: Shape::Circle,
                style: Style::fill(VERMILLION),
            },
        },
        Entry {
            label: format!("down ({})", count(down as f64)),
            key: Key::Marker {
                shape: Shape::Circle,
                style: Style::fill(BLUE),
            },
        },
        Entry {
            label: "not significant".to_string(),
            key: Key::Marker {
                shape: Shape::Circle,
                style: Style::fill(GREY),
            },
        },
    ];
    // Labels: requested genes first, then the most significant.
    let mut order: Vec<usize> = Vec::new();
    for name in &plot.label_genes {
        if let Some(index) = shown.iter().position(|gene| &gene.name == name) {
            if !order.contains(&index) {
                order.push(index);
            }
        }
    }
    let mut ranked: Vec<usize> = (0..shown.len())
        .filter(|&index| direction(shown[index]) != 0)
        .collect();
    ranked.sort_by(|&a, &b| {
        shown[a]
            .padj
            .total_cmp(&shown[b].padj)
            .then(
                shown[b]
                    .log2_fold_change
                    .abs()
                    .total_cmp(&shown[a].log2_fold_change.abs()),
            )
            .then(a.cmp(&b))
    });
    for index in ranked.into_iter().take(plot.label_top) {
        if !order.contains(&index) {
            order.push(index);
        }
    }
    let build = |footnote: &str| {
        let spec = ChartSpec {
            width: plot.size.width,
            height: plot.size.height,
            title: &plot.title,
            subtitle: &plot.subtitle,
            x_title: "log2 fold change",
            y_title: "\u{2212}log10 padj",
            x: AxisSpec::Continuous {
                transform: Transform::Linear,
                domain: (-max_lfc * 1.08, max_lfc * 1.08),
            },
            y: AxisSpec::Continuous {
                transform: Transform::Linear,
                domain: (-cap * 0.03, cap * 1.02),
            },
            footnote,
            ..ChartSpec::default()
        };
        chart_with_legend(spec, "", &entries, 0.0)
    };
    let y_value = |gene: &GeneResult| -> (f64, i8) {
        let raw = y_of(gene.padj);
        if raw.is_finite() {
            (raw, 0)
        } else {
            (cap, 1)
        }
    };
    let positions_in = |chart: &Chart| -> Vec<Option<(f64, f64)>> {
        shown
            .iter()
            .map(|gene| {
                chart
                    .x
                    .map(gene.log2_fold_change)
                    .zip(chart.y.map(y_value(gene).0))
            })
            .collect()
    };
    let labelled = chart_with_labels(
        &footnote,
        build,
        positions_in,
        &order,
        |index| shown[index].name.clone(),
        1.7,
    );
    let mut chart = labelled.chart;
    chart.open_clip(4.0);
    let plot_rect = chart.plot;
    let guide = Style::stroke(MUTED_INK, 1.0).dashed("4 3");
    if let Some(y) = alpha_line.and_then(|value| chart.y.map(value)) {
        chart
            .document
            .line(plot_rect.x, y, plot_rect.right(), y, &guide);
    }
    if threshold > 0.0 {
        for value in [-threshold, threshold] {
            if let Some(x) = chart.x.map(value) {
                chart
                    .document
                    .line(x, plot_rect.y, x, plot_rect.bottom(), &guide);
            }
        }
    }
    let mut layers: [Vec<(f64, f64, i8, String)>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    for (gene, position) in shown.iter().zip(&labelled.positions) {
        let Some((x, y)) = position else { continue };
        let layer = match direction(gene) {
            0 => 0,
            1 => 1,
            _ => 2,
        };
        layers[layer].push((*x, *y, y_value(gene).1, gene_hover(gene)));
    }
    draw_point_group(
        &mut chart.document,
        &Style::fill(GREY).with_fill_opacity(0.5),
        1.4,
        &layers[0],
    );
    draw_point_group(
        &mut chart.document,
        &Style::fill(VERMILLION).with_fill_opacity(0.85),
        1.7,
        &layers[1],
    );
    draw_point_group(
        &mut chart.document,
        &Style::fill(BLUE).with_fill_opacity(0.85),
        1.7,
        &layers[2],
    );
    chart.close_clip();
    draw_labels(&mut chart, &labelled.requests, &labelled.placements);
    chart.finish()
}

/// A chart with point labels placed on it.
struct Labelled {
    chart: Chart,
    /// Pixel position of every point (in the caller's order).
    positions: Vec<Option<(f64, f64)>>,
    requests: Vec<Request>,
    placements: Vec<Placement>,
}

/// Lays out the chart with `build(footnote)`, places labels for the points
/// `order` (most important first) avoiding every point, and, when some
/// labels find no room, lays the chart out again with a footnote saying so
/// (repeated until the note is stable, at most three times).
fn chart_with_labels(
    footnote: &str,
    build: impl Fn(&str) -> Chart,
    positions_in: impl Fn(&Chart) -> Vec<Option<(f64, f64)>>,
    order: &[usize],
    name: impl Fn(usize) -> String,
    radius: f64,
) -> Labelled {
    let mut note = String::new();
    let mut pass = 0;
    loop {
        pass += 1;
        let chart = build(&join_notes(&[footnote.to_string(), note.clone()]));
        let positions = positions_in(&chart);
        let requests: Vec<Request> = order
            .iter()
            .filter_map(|&index| {
                positions[index].map(|(x, y)| Request {
                    x,
                    y,
                    text: name(index),
                    radius,
                })
            })
            .collect();
        let obstacles: Vec<Obstacle> = positions
            .iter()
            .flatten()
            .map(|&(x, y)| Obstacle {
                x,
                y,
                radius: radius.min(1.7),
            })
            .collect();
        let placements = place(&requests, FONT_SIZE, chart.plot, &[], &obstacles);
        let left_out = requests.len() - placements.len();
        let new_note = match left_out {
            0 => String::new(),
            1 => "1 label left out for lack of space; hover over a point for its name.".to_string(),
            _ => format!(
                "{left_out} labels left out for lack of space; hover over a point for its name."
            ),
        };
        if new_note == note || pass == 3 {
            return Labelled {
                chart,
                positions,
                requests,
                placements,
            };
        }
        note = new_note;
    }
}

/// Draws placed labels (leader lines first, then text on a light halo).
fn draw_labels(chart: &mut Chart, requests: &[Request], placements: &[Placement]) {
    for placement in placements {
        if let Some((x1, y1, x2, y2)) = placement.leader {
            chart
                .document
                .line(x1, y1, x2, y2, &Style::stroke(MUTED_INK, 0.7));
        }
    }
    for placement in placements {
        let text = &requests[placement.index].text;
        chart.document.rect(
            placement.bounds,
            &Style::fill(WHITE).with_fill_opacity(0.7),
            None,
        );
        chart.document.text(
            placement.x,
            placement.y,
            text,
            &TextStyle::new(FONT_SIZE, INK).anchored(placement.anchor),
        );
    }
}

/// One sample of a PCA.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PcaSample {
    /// Sample name (hover, optional label).
    pub name: String,
    /// Group (colour and shape).
    pub group: String,
    /// Coordinate on the first principal component.
    pub pc1: f64,
    /// Coordinate on the second principal component.
    pub pc2: f64,
}

/// Input of [`pca_plot`].
#[derive(Clone, Debug, PartialEq)]
pub struct PcaPlot {
    /// Figure title.
    pub title: String,
    /// Subtitle (e.g. "VST, 500 most variable genes"); empty for none.
    pub subtitle: String,
    /// The samples.
    pub samples: Vec<PcaSample>,
    /// Percent of variance of PC1 and PC2 (0–100; printed rounded, as
    /// `plotPCA` does).
    pub percent_variance: [f64; 2],
    /// Title of the group legend (e.g. the design factor).
    pub group_title: String,
    /// Also write sample names next to the points.
    pub show_labels: bool,
    /// Figure size.
    pub size: Size,
}

impl Default for PcaPlot {
    fn default() -> Self {
        PcaPlot {
            title: "PCA".to_string(),
            subtitle: String::new(),
            samples: Vec::new(),
            percent_variance: [f64::NAN, f64::NAN],
            group_title: "group".to_string(),
            show_labels: false,
            size: Size::SINGLE_COLUMN,
        }
    }
}

fn pc_title(component: usize, percent: f64) -> String {
    if percent.is_finite() {
        format!("PC{component}: {}% variance", percent.round())
    } else {
        format!("PC{component}")
    }
}

/// DESeq2's `plotPCA`: PC1 against PC2 with equal units on both axes,
/// coloured (and shaped) by group, sample names on hover and optionally as
/// labels.
pub fn pca_plot(plot: &PcaPlot) -> String {
    let shown: Vec<&PcaSample> = plot
        .samples
        .iter()
        .filter(|sample| sample.pc1.is_finite() && sample.pc2.is_finite())
        .collect();
    let footnote = not_shown(
        plot.samples.len() - shown.len(),
        "sample",
        "samples",
        "non-finite coordinates",
    );
    if shown.is_empty() {
        return nothing_to_draw(
            plot.size,
            &plot.title,
            &plot.subtitle,
            "No data to plot.",
            &footnote,
        );
    }
    let groups = Groups::from_names(shown.iter().map(|sample| sample.group.as_str()));
    let entries = groups.marker_entries();
    let x_domain = padded_domain(Transform::Linear, shown.iter().map(|s| s.pc1), &[], 0.08)
        .unwrap_or((-1.0, 1.0));
    let y_domain = padded_domain(Transform::Linear, shown.iter().map(|s| s.pc2), &[], 0.08)
        .unwrap_or((-1.0, 1.0));
    let x_title = pc_title(1, plot.percent_variance[0]);
    let y_title = pc_title(2, plot.percent_variance[1]);
    let spec_for = |x_domain: (f64, f64), y_domain: (f64, f64), footnote: &str| {
        let spec = ChartSpec {
            width: plot.size.width,
            height: plot.size.height,
            title: &plot.title,
            subtitle: &plot.subtitle,
            x_title: &x_title,
            y_title: &y_title,
            x: AxisSpec::Continuous {
                transform: Transform::Linear,
                domain: x_domain,
            },
            y: AxisSpec::Continuous {
                transform: Transform::Linear,
                domain: y_domain,
            },
            footnote,
            ..ChartSpec::default()
        };
        chart_with_legend(spec, &plot.group_title, &entries, 0.0)
    };
    // Equal units (coord_fixed): widen the axis with more pixels per unit.
    let mut domains = (x_domain, y_domain);
    for _ in 0..2 {
        let probe = spec_for(domains.0, domains.1, &footnote).plot;
        domains = equal_unit_domains(x_domain, y_domain, probe.width, probe.height);
    }
    let positions_in = |chart: &Chart| -> Vec<Option<(f64, f64)>> {
        shown
            .iter()
            .map(|sample| chart.x.map(sample.pc1).zip(chart.y.map(sample.pc2)))
            .collect()
    };
    let order: Vec<usize> = if plot.show_labels {
        (0..shown.len()).collect()
    } else {
        Vec::new()
    };
    let labelled = chart_with_labels(
        &footnote,
        |footnote| spec_for(domains.0, domains.1, footnote),
        positions_in,
        &order,
        |index| shown[index].name.clone(),
        4.0,
    );
    let mut chart = labelled.chart;
    chart.open_clip(6.0);
    for (sample, position) in shown.iter().zip(&labelled.positions) {
        let index = groups.index_of(&sample.group);
        if let Some((x, y)) = position {
            let hover = format!(
                "{} ({})\nPC1 {}\nPC2 {}",
                sample.name,
                sample.group,
                significant(sample.pc1, 3),
                significant(sample.pc2, 3)
            );
            let style = Style::fill(categorical(index)).with_stroke(INK, 0.5);
            draw_marker(
                &mut chart.document,
                shape_for(index, false),
                *x,
                *y,
                3.5,
                &style,
                Some(&hover),
            );
        }
    }
    chart.close_clip();
    draw_labels(&mut chart, &labelled.requests, &labelled.placements);
    chart.finish()
}

/// Widens one of two domains so that a data unit spans the same number of
/// pixels on both axes of a `width` × `height` plot.
fn equal_unit_domains(
    x: (f64, f64),
    y: (f64, f64),
    width: f64,
    height: f64,
) -> ((f64, f64), (f64, f64)) {
    let x_per_pixel = (x.1 - x.0) / width;
    let y_per_pixel = (y.1 - y.0) / height;
    if x_per_pixel > y_per_pixel {
        let half = x_per_pixel * height / 2.0;
        let center = (y.0 + y.1) / 2.0;
        (x, (center - half, center + half))
    } else {
        let half = y_per_pixel * width / 2.0;
        let center = (x.0 + x.1) / 2.0;
        ((center - half, center + half), y)
    }
}

/// Input of [`distance_heatmap`].
#[derive(Clone, Debug, PartialEq)]
pub struct DistanceHeatmap {
    /// Figure title.
    pub title: String,
    /// Subtitle; empty for none.
    pub subtitle: String,
    /// Sample names, in the order of the matrix rows (the caller orders
    /// them, e.g. by clustering).
    pub samples: Vec<String>,
    /// Group of each sample (a colour strip beside the labels); empty for
    /// none.
    pub groups: Vec<String>,
    /// Symmetric n × n distance matrix, `distances[i][j]`.
    pub distances: Vec<Vec<f64>>,
    /// Title of the colour bar.
    pub color_title: String,
    /// Figure width; the height follows from the number of samples.
    pub size: Size,
}

impl Default for DistanceHeatmap {
    fn default() -> Self {
        DistanceHeatmap {
            title: "Sample-to-sample distances".to_string(),
            subtitle: String::new(),
            samples: Vec::new(),
            groups: Vec::new(),
            distances: Vec::new(),
            color_title: "Euclidean distance".to_string(),
            size: Size::ONE_AND_HALF_COLUMN,
        }
    }
}

const MAX_SAMPLE_LABEL: f64 = 120.0;

/// The sample-to-sample distance heatmap of the DESeq2 vignette: one cell
/// per pair (viridis: dark = close), sample names on both axes, optional
/// group strips, a colour bar, and each cell's pair and distance on hover.
pub fn distance_heatmap(plot: &DistanceHeatmap) -> String {
    let n = plot.samples.len();
    let width = plot.size.width;
    if n == 0 {
        return message_figure(
            width,
            plot.size.height,
            &plot.title,
            &plot.subtitle,
            "No samples to plot.",
        );
    }
    if plot.distances.len() != n || plot.distances.iter().any(|row| row.len() != n) {
        let columns = plot.distances.first().map_or(0, Vec::len);
        let message = format!(
            "Cannot draw: the distance matrix is {} × {} but there are {n} samples.",
            plot.distances.len(),
            columns
        );
        return message_figure(
            width,
            plot.size.height,
            &plot.title,
            &plot.subtitle,
            &message,
        );
    }
    let with_groups = plot.groups.len() == n;
    let groups = if with_groups {
        Groups::from_names(plot.groups.iter().map(String::as_str))
    } else {
        Groups::default()
    };
    let finite: Vec<f64> = plot
        .distances
        .iter()
        .flatten()
        .copied()
        .filter(|d| d.is_finite())
        .collect();
    let skipped = n * n - finite.len();
    let low = finite
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .min(0.0);
    let high = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (low, high) = if high.is_finite() && high > low {
        (low, high)
    } else {
        (0.0, 1.0)
    };
    let bar = ColorBar {
        title: &plot.color_title,
        transform: Transform::Linear,
        domain: (low, high),
        color_at: viridis,
    };
    let labels: Vec<String> = plot
        .samples
        .iter()
        .map(|name| truncate_to_width(name, MAX_SAMPLE_LABEL, FONT_SIZE))
        .collect();
    let label_width = labels
        .iter()
        .map(|label| text_width(label, FONT_SIZE))
        .fold(0.0, f64::max);
    let strip = if with_groups { 10.0 } else { 0.0 };
    let group_entries = groups.swatch_entries();
    let (group_legend_width, group_legend_height) = legend::vertical_size("group", &group_entries);
    let bar_width = bar.width(120.0);
    let right = bar_width.max(group_legend_width) + 2.0 * PAD + 8.0;
    let left = PAD + label_width + 4.0 + strip + 2.0;
    let cell = ((width - left - right) / n as f64).clamp(4.0, 36.0);
    let subtitle_lines = if plot.subtitle.is_empty() { 0.0 } else { 14.0 };
    let title_lines =
        wrap_to_width(&plot.title, width - 2.0 * PAD, HEADING_FONT_SIZE * 1.06, 2).len() as f64;
    let top = PAD
        + title_lines * 16.0
        + subtitle_lines
            * wrap_to_width(&plot.subtitle, width - 2.0 * PAD, FONT_SIZE, 2).len() as f64
        + 10.0;
    let footnote = not_shown(skipped, "cell", "cells", "distance not finite");
    let footnote_height = if footnote.is_empty() { 0.0 } else { 16.0 };
    let grid_size = cell * n as f64;
    let legend_height = bar.title_height()
        + 3.0
        + 120.0
        + if with_groups {
            group_legend_height + 12.0
        } else {
            0.0
        };
    let height =
        (top + strip + grid_size.max(legend_height) + 4.0 + label_width + PAD + footnote_height)
            .ceil();
    let spec = ChartSpec {
        width,
        height,
        title: &plot.title,
        subtitle: &plot.subtitle,
        ..ChartSpec::default()
    };
    let mut document = Document::new(width, height);
    document.set_label(&plot.title);
    let heading_bottom = draw_heading_only(&mut document, &spec);
    let grid = Rect::new(left, heading_bottom + 4.0 + strip, grid_size, grid_size);
    document.open_group(&[("shape-rendering", Value::Raw("crispEdges".to_string()))]);
    for (row, values) in plot.distances.iter().enumerate() {
        for (column, distance) in values.iter().enumerate() {
            let rect = Rect::new(
                grid.x + column as f64 * cell,
                grid.y + row as f64 * cell,
                cell,
                cell,
            );
            let hover = format!(
                "{} – {}\ndistance {}",
                plot.samples[row],
                plot.samples[column],
                significant(*distance, 4)
            );
            let color = bar.color(*distance).unwrap_or(Color::hex(0xDDDDDD));
            document.rect(rect, &Style::fill(color), Some(&hover));
        }
    }
    document.close_group();
    let label_style = TextStyle::new(FONT_SIZE, INK);
    for (index, label) in labels.iter().enumerate() {
        let center = index as f64 * cell + cell / 2.0;
        let row_y = grid.y + center + FONT_SIZE * 0.35;
        let column_x = grid.x + center + FONT_SIZE * 0.35;
        let column_y = grid.bottom() + 4.0;
        let full = &plot.samples[index];
        let row_style = label_style.anchored(Anchor::End);
        let column_style = label_style.anchored(Anchor::End).rotated(-90.0);
        if label == full {
            document.text(grid.x - strip - 4.0, row_y, label, &row_style);
            document.text(column_x, column_y, label, &column_style);
        } else {
            document.text_with_hover(grid.x - strip - 4.0, row_y, label, &row_style, full);
            document.text_with_hover(column_x, column_y, label, &column_style, full);
        }
        if with_groups {
            let color = categorical(groups.index_of(&plot.groups[index]));
            let hover = format!("{}: {}", full, plot.groups[index]);
            document.rect(
                Rect::new(
                    grid.x - strip - 1.0,
                    grid.y + index as f64 * cell,
                    strip - 2.0,
                    cell,
                ),
                &Style::fill(color),
                Some(&hover),
            );
            document.rect(
                Rect::new(
                    grid.x + index as f64 * cell,
                    grid.y - strip - 1.0,
                    cell,
                    strip - 2.0,
                ),
                &Style::fill(color),
                Some(&hover),
            );
        }
    }
    let legend_x = grid.right() + PAD + 8.0;
    let mut legend_y = grid.y;
    legend_y += bar.draw(&mut document, legend_x, legend_y, 120.0) + 12.0;
    if with_groups {
        legend::draw_vertical(&mut document, legend_x, legend_y, "group", &group_entries);
    }
    if !footnote.is_empty() {
        document.text(
            PAD,
            height - PAD - 2.0,
            &footnote,
            &TextStyle::new(FONT_SIZE, MUTED_INK).italic(),
        );
    }
    document.finish()
}

/// Draws only the title block of a figure laid out by hand; returns the y
/// below it.
fn draw_heading_only(document: &mut Document, spec: &ChartSpec<'_>) -> f64 {
    let mut y = PAD;
    for line in wrap_to_width(
        spec.title,
        spec.width - 2.0 * PAD,
        HEADING_FONT_SIZE * 1.06,
        2,
    ) {
        y += 16.0;
        document.text(
            PAD,
            y - 4.0,
            &line,
            &TextStyle::new(HEADING_FONT_SIZE, INK).bold(),
        );
    }
    for line in wrap_to_width(spec.subtitle, spec.width - 2.0 * PAD, FONT_SIZE, 2) {
        y += 14.0;
        document.text(PAD, y - 3.0, &line, &TextStyle::new(FONT_SIZE, MUTED_INK));
    }
    y + 6.0
}

/// One gene of a dispersion plot.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct DispersionGene {
    /// Gene name (hover on outliers).
    pub name: String,
    /// `baseMean`.
    pub base_mean: f64,
    /// `dispGeneEst`: the gene-wise estimate.
    pub gene_estimate: f64,
    /// `dispFit`: the fitted trend at this mean.
    pub fitted: f64,
    /// `dispersion`: the final (MAP) estimate used for testing.
    pub final_estimate: f64,
    /// `dispOutlier`: the gene-wise estimate was kept because it lies far
    /// above the prior.
    pub outlier: bool,
}

/// Input of [`dispersion_plot`].
#[derive(Clone, Debug, PartialEq)]
pub struct DispersionPlot {
    /// Figure title.
    pub title: String,
    /// Subtitle; empty for none.
    pub subtitle: String,
    /// All genes with their dispersion estimates.
    pub genes: Vec<DispersionGene>,
    /// Figure size.
    pub size: Size,
}

impl Default for DispersionPlot {
    fn default() -> Self {
        DispersionPlot {
            title: "Dispersion estimates".to_string(),
            subtitle: String::new(),
            genes: Vec::new(),
            size: Size::SINGLE_COLUMN,
        }
    }
}

/// DESeq2's `plotDispEsts`: gene-wise estimates (black), the fitted trend
/// (vermillion line), final estimates (blue), outliers circled, on log–log
/// axes. Genes with zero mean are left out, as DESeq2 does.
pub fn dispersion_plot(plot: &DispersionPlot) -> String {
    let shown: Vec<&DispersionGene> = plot
        .genes
        .iter()
        .filter(|gene| gene.base_mean > 0.0 && gene.base_mean.is_finite())
        .collect();
    let positive = |value: f64| value > 0.0 && value.is_finite();
    let unplaceable = shown
        .iter()
        .filter(|gene| !positive(gene.gene_estimate) && !positive(gene.final_estimate))
        .count();
    let footnote = join_notes(&[
        not_shown(plot.genes.len() - shown.len(), "gene", "genes", "zero mean"),
        not_shown(unplaceable, "gene", "genes", "no positive dispersion"),
    ]);
    let values = shown
        .iter()
        .flat_map(|gene| [gene.gene_estimate, gene.fitted, gene.final_estimate]);
    let Some(y_domain) = padded_domain(Transform::Log10, values, &[], 0.04) else {
        return nothing_to_draw(
            plot.size,
            &plot.title,
            &plot.subtitle,
            "No data to plot.",
            &footnote,
        );
    };
    let x_domain = padded_domain(
        Transform::Log10,
        shown.iter().map(|gene| gene.base_mean),
        &[],
        0.04,
    )
    .unwrap_or((1.0, 10.0));
    let entries = vec![
        Entry {
            label: "gene-est".to_string(),
            key: Key::Marker {
                shape: Shape::Circle,
                style: Style::fill(BLACK_POINT),
            },
        },
        Entry {
            label: "fitted".to_string(),
            key: Key::Line {
                style: Style::stroke(VERMILLION, 2.0),
            },
        },
        Entry {
            label: "final".to_string(),
            key: Key::Marker {
                shape: Shape::Circle,
                style: Style::fill(BLUE),
            },
        },
        Entry {
            label: "outlier".to_string(),
            key: Key::Marker {
                shape: Shape::Circle,
                style: Style::stroke(BLUE, 1.2),
            },
        },
    ];
    let spec = ChartSpec {
        width: plot.size.width,
        height: plot.size.height,
        title: &plot.title,
        subtitle: &plot.subtitle,
        x_title: "mean of normalized counts",
        y_title: "dispersion",
        x: AxisSpec::Continuous {
            transform: Transform::Log10,
            domain: x_domain,
        },
        y: AxisSpec::Continuous {
            transform: Transform::Log10,
            domain: y_domain,
        },
        footnote: &footnote,
        ..ChartSpec::default()
    };
    let mut chart = chart_with_legend(spec, "", &entries, 0.0);
    chart.open_clip(4.0);
    let point_layer =
        |chart: &mut Chart, style: Style, radius: f64, value: &dyn Fn(&DispersionGene) -> f64| {
            chart.document.open_group(&style.attributes());
            for gene in &shown {
                if let (Some(x), Some(y)) = (chart.x.map(gene.base_mean), chart.y.map(value(gene)))
                {
                    chart
                        .document
                        .circle(x, y, radius, &Style::inherited(), None);
                }
            }
            chart.document.close_group();
        };
    point_layer(
        &mut chart,
        Style::fill(BLACK_POINT).with_fill_opacity(0.5),
        1.1,
        &|gene| gene.gene_estimate,
    );
    point_layer(
        &mut chart,
        Style::fill(BLUE).with_fill_opacity(0.6),
        1.1,
        &|gene| gene.final_estimate,
    );
    // Outliers: the final estimate circled (DESeq2: pch = 1, cex doubled, lwd = 2).
    chart
        .document
        .open_group(&Style::stroke(BLUE, 1.2).attributes());
    for gene in shown.iter().filter(|gene| gene.outlier) {
        if let (Some(x), Some(y)) = (
            chart.x.map(gene.base_mean),
            chart.y.map(gene.final_estimate),
        ) {
            let hover = format!(
                "{}\nbaseMean {}\ngene-wise {}\nfinal {}",
                gene.name,
                significant(gene.base_mean, 4),
                significant(gene.gene_estimate, 3),
                significant(gene.final_estimate, 3)
            );
            chart
                .document
                .circle(x, y, 3.2, &Style::inherited(), Some(&hover));
        }
    }
    chart.document.close_group();
    let mut trend: Vec<(f64, f64)> = shown
        .iter()
        .filter_map(|gene| chart.x.map(gene.base_mean).zip(chart.y.map(gene.fitted)))
        .collect();
    trend.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let trend = crate::svg::chart::decimate(&trend);
    chart.document.polyline(
        &trend,
        &Style::stroke(VERMILLION, 2.0),
        Some("fitted dispersion trend"),
    );
    chart.finish()
}

/// Colour of gene-wise dispersion points.
const BLACK_POINT: Color = Color::hex(0x1A1A1A);

/// One sample's value for per-sample bar and dot charts.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SampleValue {
    /// Sample name.
    pub sample: String,
    /// Group of the sample (colour); empty for none.
    pub group: String,
    /// The value (total counts, size factor, …).
    pub value: f64,
}

/// Input of [`library_sizes`].
#[derive(Clone, Debug, PartialEq)]
pub struct LibrarySizes {
    /// Figure title.
    pub title: String,
    /// Subtitle; empty for none.
    pub subtitle: String,
    /// Total counts per sample, in display order (top to bottom).
    pub samples: Vec<SampleValue>,
    /// Figure size (the height grows with the number of samples).
    pub size: Size,
}

impl Default for LibrarySizes {
    fn default() -> Self {
        LibrarySizes {
            title: "Library sizes".to_string(),
            subtitle: String::new(),
            samples: Vec::new(),
            size: Size::SINGLE_COLUMN,
        }
    }
}

/// Height for a chart with one row per sample: at least `size.height`,
/// and at least 16 px per row plus the chart's fixed parts.
fn height_for_rows(size: Size, rows: usize, extra: f64) -> f64 {
    size.height.max(110.0 + extra + 16.0 * rows as f64)
}

/// Horizontal bars of total counts per sample (in millions when the
/// largest is a million or more), coloured by group.
pub fn library_sizes(plot: &LibrarySizes) -> String {
    let shown: Vec<&SampleValue> = plot
        .samples
        .iter()
        .filter(|sample| sample.value.is_finite() && sample.value >= 0.0)
        .collect();
    let footnote = not_shown(
        plot.samples.len() - shown.len(),
        "sample",
        "samples",
        "missing or negative total",
    );
    if shown.is_empty() {
        return nothing_to_draw(
            plot.size,
            &plot.title,
            &plot.subtitle,
            "No data to plot.",
            &footnote,
        );
    }
    let largest = shown.iter().map(|sample| sample.value).fold(0.0, f64::max);
    let (divisor, x_title) = if largest >= 1e6 {
        (1e6, "total counts (millions)")
    } else {
        (1.0, "total counts")
    };
    let names: Vec<String> = shown.iter().map(|sample| sample.sample.clone()).collect();
    let groups = Groups::from_names(shown.iter().map(|sample| sample.group.as_str()));
    let entries = if groups.len() > 1 {
        groups.swatch_entries()
    } else {
        Vec::new()
    };
    let top_reserve = legend::horizontal_height(&entries, plot.size.width - 2.0 * PAD);
    let spec = ChartSpec {
        width: plot.size.width,
        height: height_for_rows(plot.size, names.len(), top_reserve),
        title: &plot.title,
        subtitle: &plot.subtitle,
        x_title,
        x: AxisSpec::Continuous {
            transform: Transform::Linear,
            domain: (0.0, (largest / divisor).max(f64::MIN_POSITIVE) * 1.04),
        },
        y: AxisSpec::Categories(&names),
        footnote: &footnote,
        y_label_max_width: plot.size.width * 0.35,
        ..ChartSpec::default()
    };
    let mut chart = chart_with_legend(spec, "", &entries, 0.0);
    let band = chart.plot.height / names.len() as f64;
    for (index, sample) in shown.iter().enumerate() {
        let (Some(center), Some(left), Some(right)) = (
            chart.y.map(index as f64),
            chart.x.map(0.0),
            chart.x.map(sample.value / divisor),
        ) else {
            continue;
        };
        let thickness = (band * 0.7).min(22.0);
        let color = categorical(groups.index_of(&sample.group));
        let hover = if sample.group.is_empty() {
            format!("{}: {} counts", sample.sample, count(sample.value))
        } else {
            format!(
                "{} ({}): {} counts",
                sample.sample,
                sample.group,
                count(sample.value)
            )
        };
        chart.document.rect(
            Rect::new(
                left,
                center - thickness / 2.0,
                (right - left).max(0.0),
                thickness,
            ),
            &Style::fill(color),
            Some(&hover),
        );
    }
    chart.finish()
}

/// Input of [`size_factors`].
#[derive(Clone, Debug, PartialEq)]
pub struct SizeFactors {
    /// Figure title.
    pub title: String,
    /// Subtitle; empty for none.
    pub subtitle: String,
    /// Size factor per sample, in display order (top to bottom).
    pub samples: Vec<SampleValue>,
    /// Figure size (the height grows with the number of samples).
    pub size: Size,
}

impl Default for SizeFactors {
    fn default() -> Self {
        SizeFactors {
            title: "Size factors".to_string(),
            subtitle: String::new(),
            samples: Vec::new(),
            size: Size::SINGLE_COLUMN,
        }
    }
}

/// A dot chart of size factors on a log2 axis around a dashed line at 1,
/// with a stem from 1 to each dot, coloured by group.
pub fn size_factors(plot: &SizeFactors) -> String {
    let shown: Vec<&SampleValue> = plot
        .samples
        .iter()
        .filter(|sample| sample.value.is_finite() && sample.value > 0.0)
        .collect();
    let footnote = not_shown(
        plot.samples.len() - shown.len(),
        "sample",
        "samples",
        "size factor missing or not positive",
    );
    if shown.is_empty() {
        return nothing_to_draw(
            plot.size,
            &plot.title,
            &plot.subtitle,
            "No data to plot.",
            &footnote,
        );
    }
    let names: Vec<String> = shown.iter().map(|sample| sample.sample.clone()).collect();
    let groups = Groups::from_names(shown.iter().map(|sample| sample.group.as_str()));
    let entries = if groups.len() > 1 {
        groups.marker_entries()
    } else {
        Vec::new()
    };
    let top_reserve = legend::horizontal_height(&entries, plot.size.width - 2.0 * PAD);
    let domain = padded_domain(
        Transform::Log2,
        shown.iter().map(|sample| sample.value),
        &[1.0],
        0.08,
    )
    .unwrap_or((0.5, 2.0));
    let spec = ChartSpec {
        width: plot.size.width,
        height: height_for_rows(plot.size, names.len(), top_reserve),
        title: &plot.title,
        subtitle: &plot.subtitle,
        x_title: "size factor (log2 axis)",
        x: AxisSpec::Continuous {
            transform: Transform::Log2,
            domain,
        },
        y: AxisSpec::Categories(&names),
        footnote: &footnote,
        y_label_max_width: plot.size.width * 0.35,
        ..ChartSpec::default()
    };
    let mut chart = chart_with_legend(spec, "", &entries, 0.0);
    let plot_rect = chart.plot;
    if let Some(one) = chart.x.map(1.0) {
        chart.document.line(
            one,
            plot_rect.y,
            one,
            plot_rect.bottom(),
            &Style::stroke(MUTED_INK, 1.0).dashed("4 3"),
        );
    }
    for (index, sample) in shown.iter().enumerate() {
        let (Some(y), Some(x), Some(one)) = (
            chart.y.map(index as f64),
            chart.x.map(sample.value),
            chart.x.map(1.0),
        ) else {
            continue;
        };
        let group = groups.index_of(&sample.group);
        let color = categorical(group);
        chart
            .document
            .line(one, y, x, y, &Style::stroke(color, 1.5));
        let hover = format!(
            "{}: size factor {}",
            sample.sample,
            significant(sample.value, 4)
        );
        draw_marker(
            &mut chart.document,
            shape_for(group, false),
            x,
            y,
            3.5,
            &Style::fill(color).with_stroke(INK, 0.5),
            Some(&hover),
        );
    }
    chart.finish()
}

/// One group of a per-gene count plot.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct CountGroup {
    /// Group name (x axis).
    pub name: String,
    /// Sample names (hover), parallel to `normalized_counts`.
    pub samples: Vec<String>,
    /// Normalised counts of the gene in each sample.
    pub normalized_counts: Vec<f64>,
}

/// Input of [`gene_counts`].
#[derive(Clone, Debug, PartialEq)]
pub struct GeneCounts {
    /// The gene (figure title).
    pub gene: String,
    /// Subtitle (e.g. the gene id or the test result); empty for none.
    pub subtitle: String,
    /// Groups in display order.
    pub groups: Vec<CountGroup>,
    /// Added to every count before the log axis (DESeq2 `plotCounts`: 0.5).
    pub pseudocount: f64,
    /// Title of the x axis (e.g. the design factor).
    pub group_title: String,
    /// Figure size.
    pub size: Size,
}

impl Default for GeneCounts {
    fn default() -> Self {
        GeneCounts {
            gene: String::new(),
            subtitle: String::new(),
            groups: Vec::new(),
            pseudocount: 0.5,
            group_title: String::new(),
            size: Size::SINGLE_COLUMN,
        }
    }
}

/// DESeq2's `plotCounts`: normalised counts + pseudocount on a log10 axis
/// by group, points jittered deterministically, the group median as a
/// black bar (a drawing guide, not a test statistic).
pub fn gene_counts(plot: &GeneCounts) -> String {
    let pseudocount = if plot.pseudocount.is_finite() && plot.pseudocount >= 0.0 {
        plot.pseudocount
    } else {
        0.0
    };
    let shifted = |value: f64| value + pseudocount;
    let mut skipped = 0;
    let mut values: Vec<Vec<(f64, String)>> = Vec::with_capacity(plot.groups.len());
    for group in &plot.groups {
        let mut kept = Vec::new();
        for (index, value) in group.normalized_counts.iter().enumerate() {
            if value.is_finite() && shifted(*value) > 0.0 {
                kept.push((
                    *value,
                    group.samples.get(index).cloned().unwrap_or_default(),
                ));
            } else {
                skipped += 1;
            }
        }
        values.push(kept);
    }
    let title = if plot.gene.is_empty() {
        "Normalized counts"
    } else {
        plot.gene.as_str()
    };
    let footnote = not_shown(
        skipped,
        "sample",
        "samples",
        "count missing or not positive after the pseudocount",
    );
    let Some(domain) = padded_domain(
        Transform::Log10,
        values.iter().flatten().map(|(v, _)| shifted(*v)),
        &[],
        0.06,
    ) else {
        return nothing_to_draw(
            plot.size,
            title,
            &plot.subtitle,
            "No data to plot.",
            &footnote,
        );
    };
    let names: Vec<String> = plot.groups.iter().map(|group| group.name.clone()).collect();
    let y_title = if pseudocount > 0.0 {
        format!("normalized count + {}", significant(pseudocount, 3))
    } else {
        "normalized count".to_string()
    };
    let spec = ChartSpec {
        width: plot.size.width,
        height: plot.size.height,
        title,
        subtitle: &plot.subtitle,
        x_title: &plot.group_title,
        y_title: &y_title,
        x: AxisSpec::Categories(&names),
        y: AxisSpec::Continuous {
            transform: Transform::Log10,
            domain,
        },
        footnote: &footnote,
        ..ChartSpec::default()
    };
    let mut chart = Chart::new(&spec);
    let band = chart.plot.width / names.len().max(1) as f64;
    for (group_index, kept) in values.iter().enumerate() {
        let Some(center) = chart.x.map(group_index as f64) else {
            continue;
        };
        let color = categorical(group_index);
        let mut sorted: Vec<f64> = kept.iter().map(|(value, _)| *value).collect();
        sorted.sort_by(f64::total_cmp);
        if let Some(median) = quantile_sorted(&sorted, 0.5) {
            if let Some(y) = chart.y.map(shifted(median)) {
                let half = (band * 0.3).min(40.0);
                chart.document.element(
                    "line",
                    &[
                        ("x1", Value::Number(center - half)),
                        ("y1", Value::Number(y)),
                        ("x2", Value::Number(center + half)),
                        ("y2", Value::Number(y)),
                        ("stroke", Value::Color(INK)),
                        ("stroke-width", Value::Number(2.0)),
                    ],
                    Some(&format!(
                        "{} median: {}",
                        names[group_index],
                        significant(median, 4)
                    )),
                );
            }
        }
        let spread = (band * 0.45).min(50.0);
        for (index, (value, sample)) in kept.iter().enumerate() {
            let Some(y) = chart.y.map(shifted(*value)) else {
                continue;
            };
            let x = center + jitter(index) * spread;
            let hover = format!(
                "{sample} ({}): {}",
                names[group_index],
                significant(*value, 4)
            );
            draw_marker(
                &mut chart.document,
                shape_for(group_index, false),
                x,
                y,
                3.2,
                &Style::fill(color)
                    .with_fill_opacity(0.85)
                    .with_stroke(INK, 0.5),
                Some(&hover),
            );
        }
    }
    chart.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn genes() -> Vec<GeneResult> {
        vec![
            GeneResult {
                name: "VEGFA".into(),
                base_mean: 1000.0,
                log2_fold_change: 2.0,
                padj: 1e-6,
            },
            GeneResult {
                name: "<script>alert(1)</script>".into(),
                base_mean: 10.0,
                log2_fold_change: -1.0,
                padj: 0.5,
            },
            GeneResult {
                name: "ZERO".into(),
                base_mean: 0.0,
                log2_fold_change: f64::NAN,
                padj: f64::NAN,
            },
            GeneResult {
                name: "HUGE".into(),
                base_mean: 100.0,
                log2_fold_change: 30.0,
                padj: 0.0,
            },
        ]
    }

    #[test]
    fn ma_plot_clamps_and_counts() {
        let plot = MaPlot {
            genes: genes(),
            y_limit: Some(3.0),
            ..MaPlot::default()
        };
        let svg = ma_plot(&plot);
        assert!(svg.contains("1 gene not shown (zero mean or missing log2 fold change)."));
        assert!(svg.contains("padj &lt; 0.1 (2)"));
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!svg.contains("<script>"));
        // HUGE is beyond +3 and drawn as a triangle (a path) with its hover.
        assert!(svg.contains("Z\"><title>HUGE"));
    }

    #[test]
    fn volcano_labels_the_top_gene_and_caps_padj_zero() {
        let plot = VolcanoPlot {
            genes: genes(),
            ..VolcanoPlot::default()
        };
        let svg = volcano_plot(&plot);
        assert!(svg.contains(">VEGFA</text>"));
        assert!(svg.contains(">HUGE</text>"));
        assert!(svg.contains("up (2)"));
        assert!(svg.contains("1 gene not shown"));
    }

    #[test]
    fn equal_units_widen_the_narrow_axis() {
        let (x, y) = equal_unit_domains((-10.0, 10.0), (-1.0, 1.0), 200.0, 100.0);
        assert_eq!(x, (-10.0, 10.0));
        assert_eq!(y, (-5.0, 5.0));
    }

    #[test]
    fn heatmap_rejects_a_wrong_shape_with_a_message() {
        let plot = DistanceHeatmap {
            samples: vec!["a".into(), "b".into()],
            distances: vec![vec![0.0, 1.0]],
            ..DistanceHeatmap::default()
        };
        let svg = distance_heatmap(&plot);
        assert!(svg.contains("the distance matrix is 1 × 2 but there are 2 samples"));
    }
}
