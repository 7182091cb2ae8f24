//! The GSEA enrichment statistic of one gene set on a ranked list, its
//! leading edge and its running-sum curve: a port of fgsea's R function
//! `calcGseaStat` (fgsea ≥ 1.20, `R/fgsea.R`) and of the coordinates drawn by
//! `plotEnrichment`. The weighted Kolmogorov–Smirnov-like score of
//! Subramanian et al. (PNAS 2005): hits step up by `|r_i|^p / N_R`, misses step
//! down by `1 / (N - m)`, and the score is the largest deviation from zero.

use super::ScoreType;

/// The enrichment statistic of one gene set with its leading edge.
#[derive(Clone, Debug, PartialEq)]
pub struct SetStatistic {
    /// The enrichment score (`res` of `calcGseaStat`).
    pub es: f64,
    /// Positions (0-based, in the ranked list) of the leading-edge genes, in
    /// fgsea's order: top-down for a positive score, bottom-up for a negative
    /// one; empty when the positive and negative peaks are equal.
    pub leading_edge: Vec<usize>,
}

/// The running-sum peaks at every hit: `tops[i]` is the running sum just after
/// hit `i`, `bottoms[i]` just before it (fgsea's `tops` and `bottoms`).
#[derive(Clone, Debug, PartialEq)]
pub struct Extremes {
    pub tops: Vec<f64>,
    pub bottoms: Vec<f64>,
}

/// `calcGseaStat(stats, selectedStats, returnAllExtremes = TRUE)` for hits at
/// the sorted, distinct 0-based positions `hits` of `weights` (the ranked
/// `|stat|^gseaParam` values, decreasing stats order).
pub fn extremes(weights: &[f64], hits: &[usize]) -> Extremes {
    let n = weights.len();
    let m = hits.len();
    let total: f64 = hits.iter().map(|&h| weights[h]).sum();
    let misses = (n - m) as f64;
    let mut tops = Vec::with_capacity(m);
    let mut bottoms = Vec::with_capacity(m);
    let mut cumulative = 0.0;
    for (i, &h) in hits.iter().enumerate() {
        let (top, step) = if total == 0.0 {
            // fgsea: equivalent to every selected weight being the same epsilon.
            ((i + 1) as f64 / m as f64, 1.0 / m as f64)
        } else {
            cumulative += weights[h];
            (cumulative / total, weights[h] / total)
        };
        let top = top - (h - i) as f64 / misses;
        tops.push(top);
        bottoms.push(top - step);
    }
    Extremes { tops, bottoms }
}

/// `calcGseaStat(stats, selectedStats, returnLeadingEdge = TRUE, scoreType)`.
///
/// ```
/// use osteon_enrich::gsea::{statistic::set_statistic, ScoreType};
/// // Ten genes with weights 10..1; the set is the genes ranked 1st and 3rd.
/// let w: Vec<f64> = (1..=10).rev().map(f64::from).collect();
/// let s = set_statistic(&w, &[0, 2], ScoreType::Std);
/// // After the 3rd gene: (10 + 8) / 18 - 1 / 8 = 0.875
/// assert_eq!(s.es, 0.875);
/// assert_eq!(s.leading_edge, vec![0, 2]);
/// ```
pub fn set_statistic(weights: &[f64], hits: &[usize], score_type: ScoreType) -> SetStatistic {
    let Extremes { tops, bottoms } = extremes(weights, hits);
    // R's max()/which.max() and min()/which.min(): first position of the extreme.
    let (mut top_at, mut max_top) = (0, f64::NEG_INFINITY);
    for (i, &t) in tops.iter().enumerate() {
        if t > max_top {
            (top_at, max_top) = (i, t);
        }
    }
    let (mut bottom_at, mut min_bottom) = (0, f64::INFINITY);
    for (i, &b) in bottoms.iter().enumerate() {
        if b < min_bottom {
            (bottom_at, min_bottom) = (i, b);
        }
    }
    let up = || hits[..=top_at].to_vec();
    let down = || hits[bottom_at..].iter().rev().copied().collect();
    match score_type {
        ScoreType::Std => {
            if max_top == -min_bottom {
                SetStatistic {
                    es: 0.0,
                    leading_edge: Vec::new(),
                }
            } else if max_top > -min_bottom {
                SetStatistic {
                    es: max_top,
                    leading_edge: up(),
                }
            } else {
                SetStatistic {
                    es: min_bottom,
                    leading_edge: down(),
                }
            }
        }
        ScoreType::Pos => SetStatistic {
            es: max_top,
            leading_edge: up(),
        },
        ScoreType::Neg => SetStatistic {
            es: min_bottom,
            leading_edge: down(),
        },
    }
}

/// The running-sum curve as fgsea's `plotEnrichment` draws it, in ranked-list
/// coordinates (1-based positions): it starts at `(0, 0)`, drops to the
/// bottom before each hit at `(position - 1, bottom)`, jumps to
/// `(position, top)`, and ends at `(n + 1, 0)`.
#[derive(Clone, Debug, PartialEq)]
pub struct RunningSum {
    /// x coordinates (rank positions, 1-based).
    pub x: Vec<f64>,
    /// Running enrichment score at each x.
    pub y: Vec<f64>,
}

/// The plotted running-sum curve for hits at 0-based positions `hits` of the
/// ranked `weights`.
pub fn running_sum(weights: &[f64], hits: &[usize]) -> RunningSum {
    let Extremes { tops, bottoms } = extremes(weights, hits);
    let mut x = Vec::with_capacity(2 * hits.len() + 2);
    let mut y = Vec::with_capacity(2 * hits.len() + 2);
    x.push(0.0);
    y.push(0.0);
    for (i, &h) in hits.iter().enumerate() {
        x.push(h as f64);
        y.push(bottoms[i]);
        x.push((h + 1) as f64);
        y.push(tops[i]);
    }
    x.push((weights.len() + 1) as f64);
    y.push(0.0);
    RunningSum { x, y }
}
