//! Osteon's figures, one function per figure. Each takes a plain input
//! struct (filled by the caller from kernel results; this module computes no
//! statistics) and returns an inline `<svg>` element as a `String`; wrap it
//! with [`crate::svg::standalone`] for a `.svg` file.
//!
//! Conventions shared by all figures:
//! - the look follows the reference plots users know: DESeq2 1.38
//!   `plotMA`, `plotPCA`, `plotDispEsts`, `plotCounts`; enrichplot
//!   `dotplot` and `gseaplot2`; survival `plot.survfit` / survminer
//!   `ggsurvplot` with a risk table;
//! - groups keep their first-appearance order and get an Okabe–Ito colour
//!   (plus a marker shape where points are drawn);
//! - values that cannot be drawn (non-finite, or not positive on a log
//!   axis) are skipped and counted in a footnote; an input with nothing to
//!   draw gives a figure with a "no data" message, never a panic;
//! - every name from the input appears escaped, and hovering a mark shows
//!   its name and values (`<title>` tooltips, no JavaScript).

use std::collections::BTreeMap;

use crate::svg::chart::{message_figure, Chart, ChartSpec, PAD};
use crate::svg::color::{categorical, INK};
use crate::svg::document::Style;
use crate::svg::legend::{self, Entry, Key};
use crate::svg::marker::shape_for;
use crate::svg::number::count;

pub mod assay;
pub mod cohort;
pub mod de;
pub mod enrichment;
mod steps;

pub use assay::{
    group_dot_plot, standard_curve, DotGroup, GroupDotPlot, StandardCurvePlot, StandardLevel,
    UnknownSample,
};
pub use cohort::{
    cumulative_incidence, kaplan_meier, spaghetti, CifCurve, CifPoint, CumulativeIncidencePlot,
    KaplanMeierPlot, KmCurve, KmStep, Landmark, PatientSeries, ReferenceLine, SpaghettiPlot,
};
pub use de::{
    dispersion_plot, distance_heatmap, gene_counts, library_sizes, ma_plot, pca_plot, size_factors,
    volcano_plot, CountGroup, DispersionGene, DispersionPlot, DistanceHeatmap, GeneCounts,
    GeneResult, LibrarySizes, MaPlot, PcaPlot, PcaSample, SampleValue, SizeFactors, VolcanoPlot,
};
pub use enrichment::{dot_plot, gsea_plot, EnrichedTerm, EnrichmentDotPlot, GseaPlot};

/// Figure size in CSS pixels (1/96 in).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Size {
    /// Width in pixels.
    pub width: f64,
    /// Height in pixels.
    pub height: f64,
}

impl Size {
    /// One journal column: 3.5 × 3 in.
    pub const SINGLE_COLUMN: Size = Size {
        width: 336.0,
        height: 288.0,
    };
    /// A square single-column figure: 3.5 × 3.5 in.
    pub const SINGLE_COLUMN_SQUARE: Size = Size {
        width: 336.0,
        height: 336.0,
    };
    /// One and a half columns: 5 × 4 in.
    pub const ONE_AND_HALF_COLUMN: Size = Size {
        width: 480.0,
        height: 384.0,
    };
    /// The full page width: 7 × 4.5 in.
    pub const DOUBLE_COLUMN: Size = Size {
        width: 672.0,
        height: 432.0,
    };
}

impl Default for Size {
    fn default() -> Self {
        Size::SINGLE_COLUMN
    }
}

/// Groups in order of first appearance, with a lookup from name to index.
#[derive(Clone, Debug, Default)]
pub(crate) struct Groups {
    pub names: Vec<String>,
    index: BTreeMap<String, usize>,
}

impl Groups {
    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Groups {
        let mut groups = Groups::default();
        for name in names {
            if !groups.index.contains_key(name) {
                groups.index.insert(name.to_string(), groups.names.len());
                groups.names.push(name.to_string());
            }
        }
        groups
    }

    pub fn index_of(&self, name: &str) -> usize {
        self.index.get(name).copied().unwrap_or(0)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Legend entries with the colour and shape each group gets.
    pub fn marker_entries(&self) -> Vec<Entry> {
        self.names
            .iter()
            .enumerate()
            .map(|(index, name)| Entry {
                label: name.clone(),
                key: Key::Marker {
                    shape: shape_for(index, false),
                    style: Style::fill(categorical(index)).with_stroke(INK, 0.4),
                },
            })
            .collect()
    }

    /// Legend entries with a line of each group's colour.
    pub fn line_entries(&self) -> Vec<Entry> {
        self.names
            .iter()
            .enumerate()
            .map(|(index, name)| Entry {
                label: name.clone(),
                key: Key::Line {
                    style: Style::stroke(categorical(index), 2.0),
                },
            })
            .collect()
    }

    /// Legend entries with a filled swatch of each group's colour.
    pub fn swatch_entries(&self) -> Vec<Entry> {
        self.names
            .iter()
            .enumerate()
            .map(|(index, name)| Entry {
                label: name.clone(),
                key: Key::Swatch {
                    color: categorical(index),
                },
            })
            .collect()
    }
}

/// "12 genes not shown (reason)." or an empty string when nothing was
/// skipped.
pub(crate) fn not_shown(skipped: usize, singular: &str, plural: &str, reason: &str) -> String {
    match skipped {
        0 => String::new(),
        1 => format!("1 {singular} not shown ({reason})."),
        _ => format!("{} {plural} not shown ({reason}).", count(skipped as f64)),
    }
}

/// A figure saying there is nothing to draw (`what`), followed by the
/// note on what was skipped.
pub(crate) fn nothing_to_draw(
    size: Size,
    title: &str,
    subtitle: &str,
    what: &str,
    footnote: &str,
) -> String {
    let message = join_notes(&[what.to_string(), footnote.to_string()]);
    message_figure(size.width, size.height, title, subtitle, &message)
}

/// Lays out a chart with a horizontal legend (optionally titled) between
/// the titles and the plot, `extra_top` pixels more room above the plot,
/// and draws the legend.
pub(crate) fn chart_with_legend(
    mut spec: ChartSpec<'_>,
    title: &str,
    entries: &[Entry],
    extra_top: f64,
) -> Chart {
    let width = spec.width - 2.0 * PAD;
    spec.top_reserve = legend::horizontal_height_titled(title, entries, width) + extra_top;
    let mut chart = Chart::new(&spec);
    let band = chart.top_band;
    legend::draw_horizontal_titled(&mut chart.document, band.x, band.y, width, title, entries);
    chart
}

/// Joins the non-empty notes with spaces.
pub(crate) fn join_notes(notes: &[String]) -> String {
    notes
        .iter()
        .filter(|note| !note.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A deterministic jitter in `[-0.5, 0.5)` for the `index`-th point of a
/// group: the golden-ratio (Weyl) sequence spreads consecutive points
/// evenly, so the same input always looks the same and points rarely stack.
pub(crate) fn jitter(index: usize) -> f64 {
    ((index as f64 + 1.0) * 0.618_033_988_749_894_8).fract() - 0.5
}

/// Quantile of type 7 (R's default) of sorted finite values, used only to
/// choose an axis limit.
pub(crate) fn quantile_sorted(sorted: &[f64], probability: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let position = (sorted.len() - 1) as f64 * probability.clamp(0.0, 1.0);
    let lower = position.floor() as usize;
    let upper = position.ceil() as usize;
    let fraction = position - lower as f64;
    Some(sorted[lower] + (sorted[upper] - sorted[lower]) * fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_keep_first_appearance_order() {
        let groups = Groups::from_names(["b", "a", "b", "c"]);
        assert_eq!(groups.names, ["b", "a", "c"]);
        assert_eq!(groups.index_of("c"), 2);
        assert_eq!(groups.len(), 3);
    }

    #[test]
    fn notes_count_in_words() {
        assert_eq!(not_shown(0, "gene", "genes", "x"), "");
        assert_eq!(
            not_shown(1, "gene", "genes", "zero mean"),
            "1 gene not shown (zero mean)."
        );
        assert_eq!(
            not_shown(12345, "gene", "genes", "NA"),
            "12,345 genes not shown (NA)."
        );
        assert_eq!(
            join_notes(&["a.".into(), String::new(), "b.".into()]),
            "a. b."
        );
    }

    #[test]
    fn jitter_is_spread_and_bounded() {
        let values: Vec<f64> = (0..100).map(jitter).collect();
        assert!(values.iter().all(|v| (-0.5..0.5).contains(v)));
        // R: quantile(c(1, 2, 3, 4), 0.99) = 3.97
        assert!((quantile_sorted(&[1.0, 2.0, 3.0, 4.0], 0.99).unwrap() - 3.97).abs() < 1e-12);
        assert_eq!(quantile_sorted(&[], 0.5), None);
    }
}
