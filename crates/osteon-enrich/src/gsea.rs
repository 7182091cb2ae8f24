//! Preranked gene-set enrichment analysis with adaptive multilevel p-values:
//! a port of fgsea's `fgseaMultilevel` (R package fgsea ≥ 1.20; Korotkevich,
//! Sukhov, Budin, Shpak, Artyomov & Sergushichev, "Fast gene set enrichment
//! analysis", bioRxiv 060012) as GSEApy 1.3.1 runs it
//! (`gseapy.prerank(..., method="multilevel")`, Rust core `fgsea_rs`).
//!
//! The steps, as in fgsea:
//!
//! 1. Genes are sorted by decreasing score; ties keep their input order (R's
//!    stable `sort(stats, decreasing = TRUE)`) and are counted as fgsea does
//!    for its warning (`sum(duplicated(stats[stats != 0]))`). Weights are
//!    `|score|^gseaParam`.
//! 2. Each set (genes outside the ranking dropped, duplicates collapsed) with
//!    `minSize ≤ size ≤ maxSize` and `size < n` gets its enrichment score and
//!    leading edge ([`statistic::set_statistic`], `calcGseaStat`).
//! 3. `nPermSimple` random sets of the largest size, drawn from one seeded
//!    generator, give per-set null tallies; NES = ES / mean of the same-sign
//!    null scores; the simple p-value is
//!    `min((1 + #{null ≤ ES}) / (1 + #{null ≤ 0}), (1 + #{null ≥ ES}) / (1 + #{null ≥ 0}))`.
//!    Sets with fewer than 10 null scores of the ES's sign are "unbalanced":
//!    NA p-value and NES.
//! 4. Where the multilevel method is expected to be more accurate than the
//!    simple estimate (its `multilevelError` is below the half-width of the
//!    simple estimate's 95% Beta interval), the p-value comes from adaptive
//!    multilevel splitting ([`multilevel`]) on one ruler per set size, divided
//!    by the same-sign fraction of the null, with `log2err` from the number of
//!    levels; otherwise the simple p-value is kept with its own `log2err`.
//!    P-values below `eps` are reported as `eps` with `log2err` NA.
//! 5. BH adjustment over the sets with a p-value.
//!
//! Randomness: the permutation null uses one `mt19937` stream seeded with
//! `seed`; every multilevel ruler (one per set size and sign) is seeded with
//! the same `seed`, as fgsea seeds every `fgseaMultilevelCpp` call. Each
//! ruler depends only on the seed, the ranking and its set size, so results
//! are identical for any number of threads and for any order of the sets, and
//! with the same seed they equal GSEApy 1.3.1's `fgsea_rs` (which seeds every
//! set's ruler with its seed) up to floating-point rounding.
//!
//! Where fgsea and GSEApy differ, osteon follows fgsea's algorithm and
//! GSEApy's inputs: the C++ seeds are `seed` itself (fgsea draws them from R's
//! generator with `sample.int(1e9)`); the multilevel `eps` of a size group is
//! `eps · min(denomProb)` as in fgsea (GSEApy passes `eps`; this only matters
//! below p ≈ eps); enrichment scores are computed on the floating-point
//! weights (as GSEApy does; the newest fgsea sources first round the weights
//! to integers); the integer ranks of the multilevel step are truncated as
//! GSEApy does; the permutation null is always the batch algorithm (fgsea
//! uses R's `sample` when only one set is tested).

pub(crate) mod mersenne;
pub mod multilevel;
pub(crate) mod permutation;
pub mod statistic;

use std::collections::{HashMap, HashSet};

use osteon_stats::adjust::{p_adjust, AdjustMethod};
use osteon_stats::distributions::qbeta;
use osteon_stats::special::trigamma;
use rayon::prelude::*;

pub use statistic::{running_sum, RunningSum, SetStatistic};

/// Which tail the enrichment score measures (fgsea's `scoreType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ScoreType {
    /// The larger of the positive and negative deviations (standard GSEA).
    #[default]
    Std,
    /// Only the positive deviation (one-tailed, enrichment at the top).
    Pos,
    /// Only the negative deviation (one-tailed, enrichment at the bottom).
    Neg,
}

impl ScoreType {
    /// fgsea's name of the score type.
    pub fn name(self) -> &'static str {
        match self {
            ScoreType::Std => "std",
            ScoreType::Pos => "pos",
            ScoreType::Neg => "neg",
        }
    }
}

impl std::str::FromStr for ScoreType {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "std" => Ok(ScoreType::Std),
            "pos" => Ok(ScoreType::Pos),
            "neg" => Ok(ScoreType::Neg),
            other => Err(format!(
                "unknown score type \"{other}\" (expected std, pos or neg)"
            )),
        }
    }
}

/// Options of [`prerank`]; the defaults are fgsea's `fgseaMultilevel`
/// defaults with GSEApy's set-size limits.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// Smallest set size tested (after intersection with the ranking).
    pub min_size: usize,
    /// Largest set size tested.
    pub max_size: usize,
    /// Weight exponent p: genes step the running sum up by |score|^p.
    pub gsea_param: f64,
    /// Which tail the score measures.
    pub score_type: ScoreType,
    /// Samples per level of the multilevel ruler (made odd, at least 3).
    pub sample_size: usize,
    /// Random sets of the preliminary permutation null.
    pub n_perm_simple: usize,
    /// P-values below this are reported as `eps` (0 estimates all of them).
    pub eps: f64,
    /// Seed of the random streams.
    pub seed: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_size: 15,
            max_size: 500,
            gsea_param: 1.0,
            score_type: ScoreType::Std,
            sample_size: 101,
            n_perm_simple: 1000,
            eps: 1e-50,
            seed: 42,
        }
    }
}

/// A named gene set (from a GMT file or a GO term).
#[derive(Clone, Debug, PartialEq)]
pub struct GeneSet {
    /// Set name, e.g. `GO:0001503` or `HALLMARK_HYPOXIA`.
    pub name: String,
    /// Description (GMT second column or the GO term name).
    pub description: String,
    /// Member gene ids, in any order; duplicates are ignored.
    pub genes: Vec<String>,
}

/// How a set's p-value was estimated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PvalueMethod {
    /// From the preliminary permutation null (its estimate was accurate enough).
    Permutation,
    /// By adaptive multilevel splitting.
    Multilevel,
    /// Not estimated: fewer than 10 null scores of the ES's sign.
    Unbalanced,
}

/// The result for one tested gene set.
#[derive(Clone, Debug, PartialEq)]
pub struct SetResult {
    /// Set name (fgsea's `pathway`).
    pub pathway: String,
    /// Set description.
    pub description: String,
    /// Enrichment p-value (NaN when unbalanced).
    pub pval: f64,
    /// BH-adjusted p-value.
    pub padj: f64,
    /// Expected standard deviation of log2(pval) (NaN when not defined).
    pub log2err: f64,
    /// Enrichment score.
    pub es: f64,
    /// Normalised enrichment score.
    pub nes: f64,
    /// Genes of the set present in the ranking.
    pub size: usize,
    /// Leading-edge genes in fgsea's order.
    pub leading_edge: Vec<String>,
    /// Positions (0-based, in [`Prerank::genes`]) of the set's genes, ascending.
    pub hits: Vec<usize>,
    /// How `pval` was estimated.
    pub method: PvalueMethod,
    /// Null scores at least as extreme as ES (fgsea's `nMoreExtreme`).
    pub n_more_extreme: usize,
}

/// Why a set was not tested.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// Fewer than `min_size` of its genes are ranked.
    TooSmall,
    /// More than `max_size` of its genes are ranked, or all of them.
    TooLarge,
}

/// A set that was not tested, with its size in the ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct SkippedSet {
    pub name: String,
    pub size: usize,
    pub reason: SkipReason,
}

/// Ties among the ranking scores, counted as fgsea counts them for its
/// warning: non-zero scores equal to an earlier score.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ties {
    /// `sum(duplicated(stats[stats != 0]))`.
    pub tied: usize,
    /// `round(tied * 100 / length(stats), 2)`, as fgsea prints it.
    pub percent: f64,
}

/// The whole analysis: the ranking as used, per-set results and what was
/// skipped or flagged.
#[derive(Clone, Debug, PartialEq)]
pub struct Prerank {
    /// Gene ids by decreasing score (ties in input order).
    pub genes: Vec<String>,
    /// Their scores.
    pub scores: Vec<f64>,
    /// Ties in the scores (fgsea warns when `tied > 0`).
    pub ties: Ties,
    /// Every score is positive while the score type is `std` (fgsea warns
    /// that `pos` may be meant).
    pub all_positive: bool,
    /// Tested sets, sorted by p-value (NaN last), then by name.
    pub results: Vec<SetResult>,
    /// Sets outside the size limits, in input order.
    pub skipped: Vec<SkippedSet>,
    /// The options used (sample size made odd).
    pub options: Options,
}

impl Prerank {
    /// Sets whose p-value is NA because the null had too few scores of the
    /// ES's sign (fgsea's "unbalanced" warning).
    pub fn n_unbalanced(&self) -> usize {
        self.count(|r| r.method == PvalueMethod::Unbalanced)
    }

    /// Sets whose p-value was floored at `eps` (fgsea warns that the true
    /// p-values are smaller).
    pub fn n_at_eps(&self) -> usize {
        let eps = self.options.eps;
        self.count(|r| r.pval == eps && r.log2err.is_nan())
    }

    /// Sets whose p-value came from the multilevel method.
    pub fn n_multilevel(&self) -> usize {
        self.count(|r| r.method == PvalueMethod::Multilevel)
    }

    fn count(&self, predicate: impl Fn(&SetResult) -> bool) -> usize {
        self.results.iter().filter(|r| predicate(r)).count()
    }

    /// The running-sum curve of a tested set, as `plotEnrichment` draws it
    /// (weights divided by the largest, as fgsea does for plotting).
    pub fn running_sum(&self, result: &SetResult) -> RunningSum {
        let max = self.scores.iter().fold(0.0f64, |m, s| m.max(s.abs()));
        let scaled: Vec<f64> = self
            .scores
            .iter()
            .map(|s| if max > 0.0 { s / max } else { *s })
            .collect();
        running_sum(&weights(&scaled, self.options.gsea_param), &result.hits)
    }
}

/// Invalid input to [`prerank`].
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum GseaError {
    /// The same gene appears twice in the ranking.
    #[error("gene {gene} is ranked twice (entries {first} and {second}); every gene needs exactly one score")]
    DuplicateGene {
        gene: String,
        first: usize,
        second: usize,
    },
    /// A score is NaN or infinite.
    #[error("gene {gene} has a non-finite score ({value}); fgsea requires finite statistics")]
    NonFiniteScore { gene: String, value: f64 },
    /// Fewer than two ranked genes.
    #[error("the ranking has {n} gene(s); GSEA needs at least 2")]
    TooFewGenes { n: usize },
    /// No gene set was given.
    #[error("no gene sets were given")]
    NoGeneSets,
    /// Two sets share a name.
    #[error("gene set {name} appears twice; set names must be unique")]
    DuplicateSetName { name: String },
    /// No gene of any set is in the ranking.
    #[error("none of the {n_sets} gene sets shares a gene with the {n_genes} ranked genes (first ranked ids: {examples}); do the ranking and the sets use the same kind of gene id (Entrez, Ensembl, symbol)?")]
    NoOverlap {
        n_sets: usize,
        n_genes: usize,
        examples: String,
    },
    /// Every set is outside the size limits.
    #[error("none of the {n_sets} gene sets has between {min_size} and {max_size} genes in the ranking (the largest overlap is {largest} genes); change --min-size/--max-size")]
    NoSetsInRange {
        n_sets: usize,
        min_size: usize,
        max_size: usize,
        largest: usize,
    },
    /// An option is out of range.
    #[error("option {option} = {value}: {problem}")]
    InvalidOption {
        option: &'static str,
        value: String,
        problem: &'static str,
    },
}

fn weights(scores: &[f64], gsea_param: f64) -> Vec<f64> {
    scores.iter().map(|s| s.abs().powf(gsea_param)).collect()
}

fn validate(options: &Options) -> Result<Options, GseaError> {
    let invalid = |option, value: String, problem| {
        Err(GseaError::InvalidOption {
            option,
            value,
            problem,
        })
    };
    if options.min_size < 1 {
        return invalid(
            "min_size",
            options.min_size.to_string(),
            "must be at least 1",
        );
    }
    if options.max_size < options.min_size {
        return invalid(
            "max_size",
            options.max_size.to_string(),
            "must be at least min_size",
        );
    }
    if !(options.gsea_param.is_finite() && options.gsea_param >= 0.0) {
        return invalid(
            "gsea_param",
            options.gsea_param.to_string(),
            "must be a finite number ≥ 0",
        );
    }
    if !(0.0..=1.0).contains(&options.eps) {
        return invalid("eps", options.eps.to_string(), "must be between 0 and 1");
    }
    if options.n_perm_simple < 1 {
        return invalid(
            "n_perm_simple",
            options.n_perm_simple.to_string(),
            "must be at least 1",
        );
    }
    let mut options = options.clone();
    // fgsea: sampleSize < 3 becomes 3, an even sampleSize is made odd.
    options.sample_size = options.sample_size.max(3);
    if options.sample_size % 2 == 0 {
        options.sample_size += 1;
    }
    Ok(options)
}

/// Sorts genes by decreasing score, keeping tied genes in input order.
fn rank(genes: &[String], scores: &[f64]) -> Result<(Vec<String>, Vec<f64>), GseaError> {
    if genes.len() < 2 {
        return Err(GseaError::TooFewGenes { n: genes.len() });
    }
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(genes.len());
    for (i, (gene, &score)) in genes.iter().zip(scores).enumerate() {
        if let Some(&first) = seen.get(gene.as_str()) {
            return Err(GseaError::DuplicateGene {
                gene: gene.clone(),
                first: first + 1,
                second: i + 1,
            });
        }
        seen.insert(gene, i);
        if !score.is_finite() {
            return Err(GseaError::NonFiniteScore {
                gene: gene.clone(),
                value: score,
            });
        }
    }
    let mut order: Vec<usize> = (0..genes.len()).collect();
    // Stable, and -0 equals 0 as in R.
    order.sort_by(|&a, &b| scores[b].partial_cmp(&scores[a]).expect("finite scores"));
    Ok((
        order.iter().map(|&i| genes[i].clone()).collect(),
        order.iter().map(|&i| scores[i]).collect(),
    ))
}

/// fgsea's tie count: non-zero scores equal to an earlier one.
fn count_ties(sorted_scores: &[f64]) -> Ties {
    let nonzero: Vec<f64> = sorted_scores
        .iter()
        .copied()
        .filter(|&s| s != 0.0)
        .collect();
    let tied = nonzero.windows(2).filter(|w| w[0] == w[1]).count();
    let percent = (tied as f64 * 100.0 / sorted_scores.len() as f64 * 100.0).round() / 100.0;
    Ties { tied, percent }
}

/// Runs preranked GSEA of `sets` on the ranking `genes`/`scores` (any order).
///
/// ```
/// use osteon_enrich::gsea::{prerank, GeneSet, Options};
/// let genes: Vec<String> = (0..200).map(|i| format!("g{i}")).collect();
/// let scores: Vec<f64> = (0..200).map(|i| 100.0 - i as f64 + 0.5).collect();
/// let top = GeneSet {
///     name: "top".into(),
///     description: String::new(),
///     genes: (0..40).step_by(2).map(|i| format!("g{i}")).collect(),
/// };
/// let options = Options { min_size: 5, ..Options::default() };
/// let result = prerank(&genes, &scores, &[top], &options).unwrap();
/// assert!(result.results[0].es > 0.8);
/// assert!(result.results[0].pval < 1e-6);
/// ```
pub fn prerank(
    genes: &[String],
    scores: &[f64],
    sets: &[GeneSet],
    options: &Options,
) -> Result<Prerank, GseaError> {
    assert_eq!(genes.len(), scores.len(), "one score per gene");
    let options = validate(options)?;
    let (genes, scores) = rank(genes, scores)?;
    if sets.is_empty() {
        return Err(GseaError::NoGeneSets);
    }
    let n = genes.len();
    let position: HashMap<&str, usize> = genes
        .iter()
        .enumerate()
        .map(|(i, g)| (g.as_str(), i))
        .collect();

    // Map sets onto the ranking; collect the tested ones and the skipped.
    let mut names: HashSet<&str> = HashSet::with_capacity(sets.len());
    let mut tested: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut skipped = Vec::new();
    let mut largest = 0;
    for (index, set) in sets.iter().enumerate() {
        if !names.insert(set.name.as_str()) {
            return Err(GseaError::DuplicateSetName {
                name: set.name.clone(),
            });
        }
        let mut hits: Vec<usize> = set
            .genes
            .iter()
            .filter_map(|g| position.get(g.as_str()).copied())
            .collect();
        hits.sort_unstable();
        hits.dedup();
        let size = hits.len();
        largest = largest.max(size);
        let reason = if size < options.min_size {
            Some(SkipReason::TooSmall)
        } else if size > options.max_size || size >= n {
            Some(SkipReason::TooLarge)
        } else {
            None
        };
        match reason {
            Some(reason) => skipped.push(SkippedSet {
                name: set.name.clone(),
                size,
                reason,
            }),
            None => tested.push((index, hits)),
        }
    }
    if largest == 0 {
        return Err(GseaError::NoOverlap {
            n_sets: sets.len(),
            n_genes: n,
            examples: genes.iter().take(3).cloned().collect::<Vec<_>>().join(", "),
        });
    }
    if tested.is_empty() {
        return Err(GseaError::NoSetsInRange {
            n_sets: sets.len(),
            min_size: options.min_size,
            max_size: options.max_size,
            largest,
        });
    }

    let ties = count_ties(&scores);
    let all_positive = options.score_type == ScoreType::Std && scores.iter().all(|&s| s > 0.0);
    let weights = weights(&scores, options.gsea_param);

    // Enrichment scores and leading edges.
    let statistics: Vec<SetStatistic> = tested
        .par_iter()
        .map(|(_, hits)| statistic::set_statistic(&weights, hits, options.score_type))
        .collect();
    let es: Vec<f64> = statistics.iter().map(|s| s.es).collect();
    let sizes: Vec<usize> = tested.iter().map(|(_, hits)| hits.len()).collect();

    // Preliminary permutation null.
    let tallies = permutation::null_tallies(
        &weights,
        &es,
        &sizes,
        options.n_perm_simple,
        options.seed,
        options.score_type,
    );
    let n_perm = options.n_perm_simple as f64;
    let mut estimates: Vec<Estimate> = (0..tested.len())
        .map(|j| Estimate::from_null(&tallies, j, es[j], options.score_type))
        .collect();

    // Multilevel where it beats the permutation estimate.
    for estimate in estimates.iter_mut() {
        if estimate.method == PvalueMethod::Unbalanced {
            continue;
        }
        let more = estimate.n_more_extreme as f64;
        let left = qbeta(0.025, more, n_perm - more + 1.0, true, false).log2();
        let right = qbeta(0.975, more + 1.0, n_perm - more, true, false).log2();
        let crude = ((more + 1.0) / (n_perm + 1.0)).log2();
        let simple_error = 0.5 * (crude - left).max(right - crude);
        let multilevel_error =
            multilevel::multilevel_error((more + 1.0) / (n_perm + 1.0), options.sample_size);
        if multilevel_error >= simple_error {
            estimate.log2err =
                ((trigamma(more + 1.0) - trigamma(n_perm + 1.0)).sqrt()) / std::f64::consts::LN_2;
        } else {
            estimate.method = PvalueMethod::Multilevel;
        }
    }
    multilevel_pvalues(&mut estimates, &es, &sizes, &weights, &options);

    for estimate in estimates.iter_mut() {
        if estimate.pval < options.eps {
            estimate.pval = options.eps;
            estimate.log2err = f64::NAN;
        }
    }
    let pvals: Vec<f64> = estimates.iter().map(|e| e.pval).collect();
    let padj = p_adjust(&pvals, AdjustMethod::BH);

    let mut results: Vec<SetResult> = tested
        .into_iter()
        .zip(statistics)
        .zip(estimates)
        .enumerate()
        .map(|(j, (((index, hits), statistic), estimate))| SetResult {
            pathway: sets[index].name.clone(),
            description: sets[index].description.clone(),
            pval: estimate.pval,
            padj: padj[j],
            log2err: estimate.log2err,
            es: statistic.es,
            nes: estimate.nes,
            size: hits.len(),
            leading_edge: statistic
                .leading_edge
                .iter()
                .map(|&p| genes[p].clone())
                .collect(),
            hits,
            method: estimate.method,
            n_more_extreme: estimate.n_more_extreme,
        })
        .collect();
    results.sort_by(|a, b| {
        let pa = if a.pval.is_nan() {
            f64::INFINITY
        } else {
            a.pval
        };
        let pb = if b.pval.is_nan() {
            f64::INFINITY
        } else {
            b.pval
        };
        pa.total_cmp(&pb)
            .then(a.pval.is_nan().cmp(&b.pval.is_nan()))
            .then_with(|| a.pathway.cmp(&b.pathway))
    });

    Ok(Prerank {
        genes,
        scores,
        ties,
        all_positive,
        results,
        skipped,
        options,
    })
}

/// A set's p-value estimate in progress.
#[derive(Clone, Debug)]
struct Estimate {
    pval: f64,
    log2err: f64,
    nes: f64,
    n_more_extreme: usize,
    mode_fraction: f64,
    method: PvalueMethod,
}

impl Estimate {
    /// `fgseaSimpleImpl`'s NES, p-value and `nMoreExtreme`, with the
    /// unbalanced check of `fgseaMultilevel`.
    fn from_null(
        tallies: &permutation::NullTallies,
        j: usize,
        es: f64,
        score_type: ScoreType,
    ) -> Estimate {
        let le_mean = tallies.le_zero_sum[j] / tallies.le_zero[j];
        let ge_mean = tallies.ge_zero_sum[j] / tallies.ge_zero[j];
        let usable = |mean: f64| !mean.is_nan() && mean != 0.0;
        let nes = match score_type {
            ScoreType::Std if es > 0.0 && usable(ge_mean) => es / ge_mean,
            ScoreType::Std if es <= 0.0 && usable(le_mean) => es / le_mean.abs(),
            ScoreType::Pos if es >= 0.0 && usable(ge_mean) => es / ge_mean,
            ScoreType::Neg if es <= 0.0 && usable(le_mean) => es / le_mean.abs(),
            _ => f64::NAN,
        };
        let (le_es, ge_es) = (tallies.le_es[j], tallies.ge_es[j]);
        let (le_zero, ge_zero) = (tallies.le_zero[j], tallies.ge_zero[j]);
        let n_more_extreme = match score_type {
            ScoreType::Std if es > 0.0 => ge_es,
            ScoreType::Std | ScoreType::Neg => le_es,
            ScoreType::Pos => ge_es,
        };
        let mode_fraction = match score_type {
            ScoreType::Std if es >= 0.0 => ge_zero,
            ScoreType::Std | ScoreType::Neg => le_zero,
            ScoreType::Pos => ge_zero,
        };
        let mut estimate = Estimate {
            pval: ((1.0 + le_es) / (1.0 + le_zero)).min((1.0 + ge_es) / (1.0 + ge_zero)),
            log2err: f64::NAN,
            nes,
            n_more_extreme: n_more_extreme as usize,
            mode_fraction,
            method: PvalueMethod::Permutation,
        };
        if nes.is_nan() || mode_fraction < 10.0 {
            estimate.pval = f64::NAN;
            estimate.nes = f64::NAN;
            estimate.method = PvalueMethod::Unbalanced;
        }
        estimate
    }
}

/// Multilevel p-values for the sets marked [`PvalueMethod::Multilevel`]: one
/// call of [`multilevel::conditional_pvalues`] per set size (in parallel),
/// with fgsea's `eps * min(denomProb)` per size.
fn multilevel_pvalues(
    estimates: &mut [Estimate],
    es: &[f64],
    sizes: &[usize],
    weights: &[f64],
    options: &Options,
) {
    let mut by_size: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (j, estimate) in estimates.iter().enumerate() {
        if estimate.method == PvalueMethod::Multilevel {
            by_size.entry(sizes[j]).or_default().push(j);
        }
    }
    if by_size.is_empty() {
        return;
    }
    let ranks = multilevel::scale_ranks(weights);
    let n_perm = options.n_perm_simple as f64;
    let sign = options.score_type != ScoreType::Std;
    // Largest sets first, so that the longest rulers start early (each group
    // is independent: the order changes nothing but the schedule).
    let groups: Vec<(usize, Vec<usize>)> = by_size.into_iter().rev().collect();
    let computed: Vec<Vec<(f64, f64)>> = groups
        .par_iter()
        .map(|(size, members)| {
            let denominator = |j: usize| (estimates[j].mode_fraction + 1.0) / (n_perm + 1.0);
            let smallest = members
                .iter()
                .map(|&j| denominator(j))
                .fold(f64::INFINITY, f64::min);
            let scores: Vec<f64> = members.iter().map(|&j| es[j]).collect();
            multilevel::conditional_pvalues(
                &scores,
                &ranks,
                *size,
                options.sample_size,
                options.seed,
                options.eps * smallest,
                sign,
            )
        })
        .collect();
    for ((_, members), values) in groups.iter().zip(computed) {
        for (&j, (conditional, _)) in members.iter().zip(values) {
            let denominator = (estimates[j].mode_fraction + 1.0) / (n_perm + 1.0);
            // pmin(1, cppMPval / denomProb), keeping NaN from a failed ruler.
            let ratio = conditional / denominator;
            let pval = if ratio > 1.0 { 1.0 } else { ratio };
            estimates[j].pval = pval;
            estimates[j].log2err = multilevel::multilevel_error(pval, options.sample_size);
        }
    }
}

#[cfg(test)]
mod tests;
