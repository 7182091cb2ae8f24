//! Enrichment figures after enrichplot 1.18 (Yu 2018): `dotplot` (the
//! `showCategory` terms with the smallest p.adjust, ordered by GeneRatio;
//! dot area ∝ Count; colour = p.adjust, here on a log scale so that
//! p-values spanning many orders of magnitude stay distinguishable) and
//! `gseaplot2` (running enrichment score, hit ticks and the ranked-list
//! metric in three stacked panels sharing the rank axis).

use crate::svg::chart::{
    decimate, draw_left_axis, left_axis_label_width, left_margin_for, AxisSpec, Chart, ChartSpec,
    PAD, Y_TITLE_X,
};
use crate::svg::color::{viridis, Color, BLUISH_GREEN, GREY, INK, MUTED_INK, VERMILLION};
use crate::svg::document::{Anchor, PathData, Rect, Style, TextStyle};
use crate::svg::legend::{ColorBar, SizeKey};
use crate::svg::number::significant;
use crate::svg::scale::{padded_domain, Scale, Transform};
use crate::svg::ticks::pretty;
use crate::svg::FONT_SIZE;

use super::{join_notes, not_shown, nothing_to_draw, Size};

/// One enriched term (a row of an ORA table).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct EnrichedTerm {
    /// Term id (e.g. `GO:0001503`).
    pub id: String,
    /// Term name (`Description`).
    pub description: String,
    /// GeneRatio as a number (k / n).
    pub gene_ratio: f64,
    /// GeneRatio as clusterProfiler prints it (e.g. `12/150`); empty to
    /// show the number.
    pub gene_ratio_label: String,
    /// `Count`: genes of the list in the term.
    pub count: usize,
    /// `p.adjust`.
    pub p_adjust: f64,
}

/// Input of [`dot_plot`].
#[derive(Clone, Debug, PartialEq)]
pub struct EnrichmentDotPlot {
    /// Figure title (e.g. "GO biological process, up-regulated").
    pub title: String,
    /// Subtitle; empty for none.
    pub subtitle: String,
    /// The enrichment table (any order).
    pub terms: Vec<EnrichedTerm>,
    /// How many terms to show: those with the smallest p.adjust
    /// (enrichplot's `showCategory`, default 10; here 20).
    pub max_terms: usize,
    /// Figure width; the height grows with the number of terms when needed.
    pub size: Size,
}

impl Default for EnrichmentDotPlot {
    fn default() -> Self {
        EnrichmentDotPlot {
            title: "Enrichment".to_string(),
            subtitle: String::new(),
            terms: Vec::new(),
            max_terms: 20,
            size: Size::DOUBLE_COLUMN,
        }
    }
}

const MAX_DOT_RADIUS: f64 = 8.0;
const MIN_DOT_RADIUS: f64 = 2.0;

/// Dot radius with area proportional to `count` (largest count =
/// [`MAX_DOT_RADIUS`]).
fn dot_radius(count: f64, largest: f64) -> f64 {
    if largest <= 0.0 {
        return MIN_DOT_RADIUS;
    }
    (MAX_DOT_RADIUS * (count / largest).sqrt()).max(MIN_DOT_RADIUS)
}

/// Colour for p.adjust: dark (most significant) to green, stopping short of
/// viridis' pale yellow so dots stay visible on white.
fn significance_color(position: f64) -> Color {
    viridis(position * 0.85)
}

/// The terms shown: the `max_terms` smallest p.adjust (ties in input
/// order), then sorted by decreasing GeneRatio (top row first).
fn select_terms(terms: &[EnrichedTerm], max_terms: usize) -> Vec<&EnrichedTerm> {
    let mut selected: Vec<&EnrichedTerm> = terms.iter().collect();
    selected.sort_by(|a, b| a.p_adjust.total_cmp(&b.p_adjust));
    selected.truncate(max_terms);
    selected.sort_by(|a, b| b.gene_ratio.total_cmp(&a.gene_ratio));
    selected
}

/// enrichplot's `dotplot`: one row per term (wrapped to two lines, full
/// name on hover), x = GeneRatio, dot area ∝ Count with a size key, colour
/// = p.adjust with a colour bar.
pub fn dot_plot(plot: &EnrichmentDotPlot) -> String {
    let valid: Vec<EnrichedTerm> = plot
        .terms
        .iter()
        .filter(|term| {
            term.gene_ratio.is_finite() && term.p_adjust.is_finite() && term.p_adjust >= 0.0
        })
        .cloned()
        .collect();
    let footnote_skipped = not_shown(
        plot.terms.len() - valid.len(),
        "term",
        "terms",
        "GeneRatio or p.adjust NA",
    );
    let shown = select_terms(&valid, plot.max_terms.max(1));
    if shown.is_empty() {
        return nothing_to_draw(
            plot.size,
            &plot.title,
            &plot.subtitle,
            "No enriched terms to plot.",
            &footnote_skipped,
        );
    }
    let hidden = valid.len() - shown.len();
    let footnote = join_notes(&[
        if hidden > 0 {
            format!(
                "Showing the {} terms with the smallest p.adjust of {}.",
                shown.len(),
                valid.len()
            )
        } else {
            String::new()
        },
        footnote_skipped,
    ]);
    let labels: Vec<String> = shown
        .iter()
        .map(|term| {
            if term.description.is_empty() {
                term.id.clone()
            } else {
                term.description.clone()
            }
        })
        .collect();
    let largest = shown.iter().map(|term| term.count).max().unwrap_or(1) as f64;
    let smallest_positive = shown
        .iter()
        .map(|term| term.p_adjust)
        .filter(|p| *p > 0.0)
        .fold(f64::INFINITY, f64::min);
    let floor = if smallest_positive.is_finite() {
        smallest_positive
    } else {
        1e-300
    };
    let p_low = floor;
    let p_high = shown
        .iter()
        .map(|term| term.p_adjust.max(floor))
        .fold(floor, f64::max);
    let p_domain = if p_high > p_low {
        (p_low, p_high)
    } else {
        (p_low / 2.0, p_low * 2.0)
    };
    let bar = ColorBar {
        title: "p.adjust",
        transform: Transform::Log10,
        domain: p_domain,
        color_at: significance_color,
    };
    let size_values: Vec<f64> = pretty(0.0, largest, 3)
        .into_iter()
        .filter(|value| *value > 0.0 && *value <= largest)
        .collect();
    let size_values = if size_values.is_empty() {
        vec![largest]
    } else {
        size_values
    };
    let size_key = SizeKey {
        title: "Count",
        sizes: size_values
            .iter()
            .rev()
            .take(3)
            .rev()
            .map(|value| (format!("{value}"), dot_radius(*value, largest)))
            .collect(),
        color: GREY,
    };
    let (key_width, key_height) = size_key.size();
    let bar_height = 90.0;
    let right_reserve = key_width.max(bar.width(bar_height));
    let row_height = 28.0;
    let height = plot.size.height.max(
        150.0 + row_height * shown.len() as f64 + if footnote.is_empty() { 0.0 } else { 28.0 },
    );
    let x_domain = padded_domain(
        Transform::Linear,
        shown.iter().map(|term| term.gene_ratio),
        &[],
        0.1,
    )
    .unwrap_or((0.0, 1.0));
    let spec = ChartSpec {
        width: plot.size.width,
        height,
        title: &plot.title,
        subtitle: &plot.subtitle,
        x_title: "GeneRatio",
        x: AxisSpec::Continuous {
            transform: Transform::Linear,
            domain: x_domain,
        },
        y: AxisSpec::Categories(&labels),
        right_reserve,
        y_label_max_width: plot.size.width * 0.4,
        y_label_lines: 2,
        footnote: &footnote,
        ..ChartSpec::default()
    };
    let mut chart = Chart::new(&spec);
    let legend_x = chart.right_band.x;
    let mut legend_y = chart.right_band.y;
    legend_y += size_key.draw(&mut chart.document, legend_x, legend_y) + 12.0;
    if legend_y + bar.title_height() + bar_height < chart.plot.bottom() + 40.0 {
        bar.draw(&mut chart.document, legend_x, legend_y, bar_height);
    } else {
        bar.draw(
            &mut chart.document,
            legend_x,
            legend_y,
            (chart.plot.bottom() - legend_y - bar.title_height()).max(40.0),
        );
    }
    let _ = key_height;
    for (index, term) in shown.iter().enumerate() {
        let (Some(x), Some(y)) = (chart.x.map(term.gene_ratio), chart.y.map(index as f64)) else {
            continue;
        };
        let color = bar.color(term.p_adjust.max(floor)).unwrap_or(GREY);
        let ratio = if term.gene_ratio_label.is_empty() {
            significant(term.gene_ratio, 3)
        } else {
            format!(
                "{} ({})",
                term.gene_ratio_label,
                significant(term.gene_ratio, 3)
            )
        };
        let hover = format!(
            "{} {}\nGeneRatio {ratio}\nCount {}\np.adjust {}",
            term.id,
            term.description,
            term.count,
            significant(term.p_adjust, 3)
        );
        chart.document.circle(
            x,
            y,
            dot_radius(term.count as f64, largest),
            &Style::fill(color).with_stroke(INK, 0.6),
            Some(hover.trim()),
        );
    }
    chart.finish()
}

/// Input of [`gsea_plot`].
#[derive(Clone, Debug, PartialEq)]
pub struct GseaPlot {
    /// Gene-set name (figure title).
    pub set_name: String,
    /// Enrichment score.
    pub es: f64,
    /// Normalised enrichment score.
    pub nes: f64,
    /// Adjusted p-value.
    pub padj: f64,
    /// Running enrichment score after each position of the ranked list
    /// (length = number of ranked genes).
    pub running_score: Vec<f64>,
    /// 0-based positions of the set's genes in the ranked list.
    pub hits: Vec<usize>,
    /// Names of the hit genes, parallel to `hits` (hover); may be empty.
    pub hit_genes: Vec<String>,
    /// The ranking metric, in ranked order (length = number of ranked
    /// genes); may be empty to leave out the bottom panel.
    pub ranked_metric: Vec<f64>,
    /// Title of the bottom panel's axis.
    pub metric_title: String,
    /// Figure size.
    pub size: Size,
}

impl Default for GseaPlot {
    fn default() -> Self {
        GseaPlot {
            set_name: String::new(),
            es: f64::NAN,
            nes: f64::NAN,
            padj: f64::NAN,
            running_score: Vec::new(),
            hits: Vec::new(),
            hit_genes: Vec::new(),
            ranked_metric: Vec::new(),
            metric_title: "Ranked list metric".to_string(),
            size: Size::SINGLE_COLUMN_SQUARE,
        }
    }
}

/// enrichplot's `gseaplot2`: the running enrichment score (green) with
/// the ES position marked, one tick per gene of the set, and the ranked
/// metric as a grey area with its zero crossing; ES, NES and padj in the
/// subtitle. Long curves are thinned per pixel column without changing
/// their look.
pub fn gsea_plot(plot: &GseaPlot) -> String {
    let title = if plot.set_name.is_empty() {
        "GSEA"
    } else {
        plot.set_name.as_str()
    };
    let subtitle = format!(
        "ES = {} · NES = {} · padj = {}",
        significant(plot.es, 3),
        significant(plot.nes, 3),
        significant(plot.padj, 2)
    );
    let length = plot.running_score.len().max(plot.ranked_metric.len());
    let non_finite_scores = plot
        .running_score
        .iter()
        .filter(|value| !value.is_finite())
        .count();
    let non_finite_metric = plot
        .ranked_metric
        .iter()
        .filter(|value| !value.is_finite())
        .count();
    let hits: Vec<usize> = plot
        .hits
        .iter()
        .copied()
        .filter(|hit| *hit < length)
        .collect();
    let footnote = join_notes(&[
        not_shown(
            non_finite_scores,
            "running score",
            "running scores",
            "not finite",
        ),
        not_shown(
            non_finite_metric,
            "metric value",
            "metric values",
            "not finite",
        ),
        not_shown(
            plot.hits.len() - hits.len(),
            "hit",
            "hits",
            "position beyond the ranked list",
        ),
    ]);
    if length == 0 || plot.running_score.iter().all(|value| !value.is_finite()) {
        return nothing_to_draw(
            plot.size,
            title,
            &subtitle,
            "No running enrichment score to plot.",
            &footnote,
        );
    }
    let rank_domain = (1.0 - 0.01 * length as f64, length as f64 * 1.01);
    let with_metric = plot.ranked_metric.iter().any(|value| value.is_finite());
    let score_domain = padded_domain(
        Transform::Linear,
        plot.running_score.iter().copied(),
        &[0.0],
        0.06,
    )
    .unwrap_or((-1.0, 1.0));
    let metric_domain = padded_domain(
        Transform::Linear,
        plot.ranked_metric.iter().copied(),
        &[0.0],
        0.06,
    )
    .unwrap_or((-1.0, 1.0));
    // Panel heights: score 55 %, hits 12 %, metric 33 % of the stack.
    let probe_scale = Scale::new(Transform::Linear, score_domain, (120.0, 0.0));
    let min_left = left_margin_for(left_axis_label_width(&probe_scale));
    let hit_height = 22.0;
    let spec_for = |top_reserve: f64| ChartSpec {
        width: plot.size.width,
        height: plot.size.height,
        title,
        subtitle: &subtitle,
        x_title: "Position in the ranked list of genes",
        y_title: if with_metric { &plot.metric_title } else { "" },
        x: AxisSpec::Continuous {
            transform: Transform::Linear,
            domain: rank_domain,
        },
        y: AxisSpec::Continuous {
            transform: Transform::Linear,
            domain: if with_metric {
                metric_domain
            } else {
                (0.0, 1.0)
            },
        },
        top_reserve,
        min_left,
        footnote: &footnote,
        grid: false,
        ..ChartSpec::default()
    };
    let probe = Chart::new(&spec_for(0.0));
    let stack = probe.plot.height;
    let (score_height, metric_share) = if with_metric {
        (stack * 0.55, 0.33)
    } else {
        (stack - hit_height - 8.0, 0.0)
    };
    let top_reserve = score_height + hit_height + 4.0;
    let _ = metric_share;
    let mut chart = Chart::new(&spec_for(top_reserve));
    let plot_rect = chart.plot;
    let score_rect = Rect::new(
        plot_rect.x,
        chart.top_band.y + 2.0,
        plot_rect.width,
        score_height - 4.0,
    );
    let hit_rect = Rect::new(
        plot_rect.x,
        score_rect.bottom() + 4.0,
        plot_rect.width,
        hit_height - 4.0,
    );
    let score_scale = Scale::new(
        Transform::Linear,
        score_domain,
        (score_rect.bottom(), score_rect.y),
    );
    let x = chart.x;
    draw_left_axis(
        &mut chart.document,
        score_rect,
        &score_scale,
        "Enrichment score",
        Y_TITLE_X,
        true,
    );
    let axis = Style::stroke(INK, 1.0);
    chart.document.line(
        score_rect.x,
        score_rect.bottom(),
        score_rect.right(),
        score_rect.bottom(),
        &axis,
    );
    if let Some(zero) = score_scale.map(0.0) {
        chart.document.line(
            score_rect.x,
            zero,
            score_rect.right(),
            zero,
            &Style::stroke(MUTED_INK, 0.8).dashed("3 3"),
        );
    }
    // The ES position: where the running score reaches its extreme.
    let peak = plot
        .running_score
        .iter()
        .enumerate()
        .filter(|(_, value)| value.is_finite())
        .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()).then(b.0.cmp(&a.0)))
        .map(|(index, value)| (index, *value));
    if let Some((index, value)) = peak {
        if let (Some(px), Some(py)) = (x.map(index as f64 + 1.0), score_scale.map(value)) {
            let zero = score_scale.map(0.0).unwrap_or(score_rect.bottom());
            chart.document.line(
                px,
                zero,
                px,
                py,
                &Style::stroke(VERMILLION, 1.0).dashed("3 2"),
            );
        }
    }
    let curve: Vec<(f64, f64)> = plot
        .running_score
        .iter()
        .enumerate()
        .filter_map(|(index, value)| x.map(index as f64 + 1.0).zip(score_scale.map(*value)))
        .collect();
    chart.document.polyline(
        &decimate(&curve),
        &Style::stroke(BLUISH_GREEN, 1.8),
        Some("running enrichment score"),
    );
    // Hit ticks.
    chart
        .document
        .rect(hit_rect, &Style::stroke(INK, 0.8), None);
    if plot.hit_genes.len() == plot.hits.len() && !plot.hit_genes.is_empty() {
        chart
            .document
            .open_group(&Style::stroke(INK, 0.8).attributes());
        for (hit, gene) in plot.hits.iter().zip(&plot.hit_genes) {
            if *hit >= length {
                continue;
            }
            if let Some(px) = x.map(*hit as f64 + 1.0) {
                let hover = format!("{gene}: rank {}", hit + 1);
                chart.document.element(
                    "line",
                    &[
                        ("x1", crate::svg::document::Value::Number(px)),
                        ("y1", crate::svg::document::Value::Number(hit_rect.y)),
                        ("x2", crate::svg::document::Value::Number(px)),
                        ("y2", crate::svg::document::Value::Number(hit_rect.bottom())),
                    ],
                    Some(&hover),
                );
            }
        }
        chart.document.close_group();
    } else {
        let mut ticks = PathData::new();
        for hit in &hits {
            if let Some(px) = x.map(*hit as f64 + 1.0) {
                ticks.move_to(px, hit_rect.y).line_to(px, hit_rect.bottom());
            }
        }
        chart.document.path(
            &ticks,
            &Style::stroke(INK, 0.8),
            Some(&format!("{} genes of the set", hits.len())),
        );
    }
    // Ranked metric as an area from zero.
    if with_metric {
        let zero = chart.y.map(0.0).unwrap_or(plot_rect.bottom());
        let mut area: Vec<(f64, f64)> = plot
            .ranked_metric
            .iter()
            .enumerate()
            .filter_map(|(index, value)| x.map(index as f64 + 1.0).zip(chart.y.map(*value)))
            .collect();
        area = decimate(&area);
        if let (Some(first), Some(last)) = (area.first().copied(), area.last().copied()) {
            area.insert(0, (first.0, zero));
            area.push((last.0, zero));
        }
        chart.open_clip(1.0);
        chart.document.polygon(
            &area,
            &Style::fill(GREY).with_fill_opacity(0.8),
            Some(&plot.metric_title),
        );
        chart.close_clip();
        if let Some(crossing) = plot.ranked_metric.iter().position(|value| *value <= 0.0) {
            if let Some(px) = x.map(crossing as f64 + 1.0) {
                chart.document.line(
                    px,
                    plot_rect.y,
                    px,
                    plot_rect.bottom(),
                    &Style::stroke(MUTED_INK, 0.8).dashed("3 3"),
                );
                let label = format!("zero cross at {}", crossing + 1);
                let anchor = if px > plot_rect.x + plot_rect.width / 2.0 {
                    Anchor::End
                } else {
                    Anchor::Start
                };
                let text_x = if anchor == Anchor::End {
                    px - 3.0
                } else {
                    px + 3.0
                };
                chart.document.text(
                    text_x,
                    plot_rect.y + FONT_SIZE,
                    &label,
                    &TextStyle::new(FONT_SIZE, MUTED_INK).anchored(anchor),
                );
            }
        }
    }
    let _ = PAD;
    chart.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(id: &str, ratio: f64, count: usize, p: f64) -> EnrichedTerm {
        EnrichedTerm {
            id: id.into(),
            description: format!("term {id}"),
            gene_ratio: ratio,
            gene_ratio_label: String::new(),
            count,
            p_adjust: p,
        }
    }

    #[test]
    fn selection_is_by_padjust_then_ordered_by_gene_ratio() {
        let terms = vec![
            term("a", 0.1, 5, 0.01),
            term("b", 0.3, 9, 0.2),
            term("c", 0.2, 7, 0.001),
            term("d", 0.05, 2, 0.04),
        ];
        let shown: Vec<&str> = select_terms(&terms, 3)
            .iter()
            .map(|term| term.id.as_str())
            .collect();
        assert_eq!(shown, ["c", "a", "d"]);
    }

    #[test]
    fn dot_area_is_proportional_to_count() {
        assert_eq!(dot_radius(100.0, 100.0), MAX_DOT_RADIUS);
        assert_eq!(dot_radius(25.0, 100.0), MAX_DOT_RADIUS / 2.0);
        assert_eq!(dot_radius(0.0, 100.0), MIN_DOT_RADIUS);
    }

    #[test]
    fn gsea_plot_marks_hits_and_the_zero_crossing() {
        let n = 1000;
        let metric: Vec<f64> = (0..n).map(|i| 2.0 - 4.0 * i as f64 / n as f64).collect();
        let hits: Vec<usize> = (0..20).map(|i| i * 7).collect();
        let mut running = Vec::with_capacity(n);
        let mut score = 0.0;
        for i in 0..n {
            score += if hits.contains(&i) { 0.05 } else { -0.001 };
            running.push(score);
        }
        let plot = GseaPlot {
            set_name: "ossification".into(),
            es: 0.9,
            nes: 2.1,
            padj: 1e-4,
            running_score: running,
            hits,
            ranked_metric: metric,
            ..GseaPlot::default()
        };
        let svg = gsea_plot(&plot);
        assert!(svg.contains("ES = 0.9 · NES = 2.1 · padj = 1 × 10⁻⁴"));
        assert!(svg.contains("zero cross at 501"));
        assert!(svg.contains("<title>20 genes of the set</title>"));
        assert!(svg.len() < 60_000, "{} bytes", svg.len());
    }
}
