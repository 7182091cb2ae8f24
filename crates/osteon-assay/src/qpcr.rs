//! qPCR relative quantification: technical replicates, reference-gene
//! normalisation, ΔCt/ΔΔCt, efficiency-corrected ratios, geNorm and
//! statistics on the ΔCt scale.
//!
//! Method, step by step:
//! 1. **Undetermined wells** ("Undetermined", empty or `NA` Cq) are dropped
//!    by default, or set to a fixed number of cycles (e.g. 40); either way
//!    they are counted and reported per sample and gene.
//! 2. **Technical replicates** (rows with the same sample and gene) are
//!    collapsed to their mean Cq; an SD above the threshold (default 0.5
//!    cycles) sets a flag.
//! 3. **Normalisation**: with amplification factors `E_g = 1 + efficiency_g`
//!    (2 for every gene unless efficiencies are given), a sample's
//!    efficiency-weighted ΔCt for target `t` is
//!    `ΔCt = log2(E_t)·Cq_t − mean_r(log2(E_r)·Cq_r)` over the reference
//!    genes `r`. With `E = 2` this is `Cq_t − mean_r Cq_r`, the ΔCt against
//!    the geometric mean of the reference quantities (Vandesompele et al.
//!    2002); with efficiencies it is the log2 of Hellemans et al.'s (2007,
//!    Genome Biol. 8:R19) normalised relative quantity up to the calibrator
//!    constant. Every reference gene must be measured in every sample that
//!    has a target.
//! 4. **ΔΔCt** = ΔCt − mean ΔCt of the calibrator group (per target); fold
//!    change `2^−ΔΔCt` (Livak & Schmittgen 2001, Methods 25:402). With
//!    efficiencies this fold change is exactly the Pfaffl (2001, Nucleic
//!    Acids Res. 29:e45) ratio
//!    `E_t^(Cq_t,cal − Cq_t) / E_ref^(Cq_ref,cal − Cq_ref)`, generalised to
//!    several references by their geometric mean.
//! 5. **Statistics on the ΔCt scale**: each group against the calibrator by
//!    Welch's t test (default) or Student's, exactly as R's `t.test(dct_group,
//!    dct_calibrator)`. ΔΔCt is the difference in means; its CI maps to the
//!    fold-change CI `[2^−upper, 2^−lower]`.
//! 6. **geNorm** M and pairwise V on the candidate reference genes (see
//!    [`genorm`]).

mod genorm;
mod standard_curve;
mod t_test;

pub use genorm::{genorm, Genorm, GenormStep, PairwiseVariation, RankedGene, PAIRWISE_CUTOFF};
pub use standard_curve::{standard_curves, Efficiency, EfficiencySource, StandardPoint};
pub use t_test::{two_sample, TTest, TwoSample};

use std::collections::BTreeMap;

use osteon_stats::summary;

/// A quantification cycle: a number, or no amplification.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cq {
    Value(f64),
    /// "Undetermined", empty or `NA`: the well did not cross the threshold.
    Undetermined,
}

/// One well (one row of the long table).
#[derive(Debug, Clone, PartialEq)]
pub struct Reaction {
    pub sample: String,
    pub group: String,
    /// Gene (target or reference).
    pub target: String,
    pub cq: Cq,
    /// Technical replicate label, when the table has one.
    pub replicate: Option<String>,
    /// Plate well, when the table has one.
    pub well: Option<String>,
    /// Where the row came from (e.g. `plate.csv line 14`), for messages.
    pub origin: String,
}

/// What to do with undetermined wells.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Undetermined {
    /// Leave them out (counted and reported).
    #[default]
    Drop,
    /// Treat them as this many cycles (e.g. 40, the run's last cycle).
    MaxCycles(f64),
}

/// Analysis options. `Default` has no reference genes and no calibrator
/// (both must be set), drops undetermined wells, flags replicate SD > 0.5,
/// uses `E = 2` for every gene, Welch's test and 95% intervals, and runs
/// geNorm on the reference genes when there are at least two.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub reference_genes: Vec<String>,
    /// The group every other group is compared with.
    pub calibrator: String,
    pub undetermined: Undetermined,
    /// Technical-replicate SD (cycles) above which a flag is set.
    pub replicate_sd_threshold: f64,
    /// Per-gene efficiencies (Pfaffl); `None` = Livak (`E = 2`).
    pub efficiencies: Option<Vec<Efficiency>>,
    pub test: TTest,
    pub confidence_level: f64,
    /// geNorm candidates; empty = the reference genes.
    pub genorm_genes: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            reference_genes: Vec::new(),
            calibrator: String::new(),
            undetermined: Undetermined::Drop,
            replicate_sd_threshold: 0.5,
            efficiencies: None,
            test: TTest::Welch,
            confidence_level: 0.95,
            genorm_genes: Vec::new(),
        }
    }
}

/// Invalid input or options; messages name the row (`origin`), sample or
/// gene concerned.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QpcrError {
    #[error("no reactions were given")]
    NoReactions,
    #[error("{origin}: the {field} is empty")]
    EmptyField { origin: String, field: &'static str },
    #[error("{origin}: Cq {value} is not a positive number")]
    InvalidCq { origin: String, value: f64 },
    #[error("{origin}: quantity {value} must be a positive number")]
    InvalidQuantity { origin: String, value: f64 },
    #[error("{origin}: sample {sample} is in group {group}, but {first_origin} puts it in group {first_group}")]
    SampleInTwoGroups {
        sample: String,
        group: String,
        origin: String,
        first_group: String,
        first_origin: String,
    },
    #[error("{origin}: well {well} was already used at {first_origin}")]
    DuplicateWell {
        well: String,
        origin: String,
        first_origin: String,
    },
    #[error("{origin}: sample {sample}, gene {target}, replicate {replicate} appears twice (first at {first_origin})")]
    DuplicateReplicate {
        sample: String,
        target: String,
        replicate: String,
        origin: String,
        first_origin: String,
    },
    #[error("no reference gene was given")]
    NoReferenceGenes,
    #[error("reference gene {gene} does not occur in the data (genes: {})", available.join(", "))]
    UnknownReferenceGene {
        gene: String,
        available: Vec<String>,
    },
    #[error("every gene in the data is a reference gene; there is no target to quantify")]
    NoTargets,
    #[error("{origin}: sample {sample} has target {target} but reference gene {reference} was not measured in that sample")]
    ReferenceNotMeasured {
        sample: String,
        target: String,
        reference: String,
        origin: String,
    },
    #[error("calibrator group {calibrator} does not occur in the data (groups: {})", available.join(", "))]
    UnknownCalibrator {
        calibrator: String,
        available: Vec<String>,
    },
    #[error(
        "no amplification efficiency for gene {gene} (every target and reference gene needs one)"
    )]
    MissingEfficiency { gene: String },
    #[error("gene {gene}: efficiency {value} is not a fraction in (0, 1.5] (write 95% as 0.95)")]
    InvalidEfficiency { gene: String, value: f64 },
    #[error("gene {target}: a standard curve needs at least 3 determined points at 2 or more quantities ({points} points at {levels} quantities)")]
    TooFewDilutions {
        target: String,
        points: usize,
        levels: usize,
    },
    #[error("gene {target}: the standard-curve slope {slope} is not negative (Cq must fall as the quantity rises)")]
    NonNegativeSlope { target: String, slope: f64 },
    #[error("geNorm gene {gene} does not occur in the data")]
    UnknownGenormGene { gene: String },
    #[error("geNorm needs at least two candidate genes ({found} given)")]
    TooFewGenormGenes { found: usize },
    #[error("option {name} = {value} is out of range ({rule})")]
    InvalidOption {
        name: &'static str,
        value: f64,
        rule: &'static str,
    },
}

impl QpcrError {
    /// The row (`origin`) the error names, when it names one.
    pub fn origin(&self) -> Option<&str> {
        match self {
            QpcrError::EmptyField { origin, .. }
            | QpcrError::InvalidCq { origin, .. }
            | QpcrError::InvalidQuantity { origin, .. }
            | QpcrError::SampleInTwoGroups { origin, .. }
            | QpcrError::DuplicateWell { origin, .. }
            | QpcrError::DuplicateReplicate { origin, .. }
            | QpcrError::ReferenceNotMeasured { origin, .. } => Some(origin),
            _ => None,
        }
    }
}

/// Technical replicates of one sample and gene.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicateSummary {
    pub sample: String,
    pub group: String,
    pub gene: String,
    pub is_reference: bool,
    /// Well (or replicate label, or origin) of each row, in input order.
    pub wells: Vec<String>,
    pub n_wells: usize,
    pub n_undetermined: usize,
    /// Cq values used (after the undetermined policy).
    pub cq_values: Vec<f64>,
    /// Mean Cq (NaN when every well was undetermined and dropped).
    pub mean_cq: f64,
    /// SD of the Cq values (NaN with fewer than two).
    pub sd_cq: f64,
    /// SD above the threshold.
    pub high_sd: bool,
    pub note: String,
}

/// ΔCt, ΔΔCt and fold change of one sample and target.
#[derive(Debug, Clone, PartialEq)]
pub struct RelativeExpression {
    pub sample: String,
    pub group: String,
    pub target: String,
    /// Mean Cq of the target.
    pub cq: f64,
    /// Arithmetic mean of the reference genes' mean Cq.
    pub reference_cq: f64,
    /// Efficiency-weighted ΔCt (log2 units; cycles when `E = 2`).
    pub dct: f64,
    pub ddct: f64,
    /// `2^−ΔΔCt` (the Pfaffl ratio when efficiencies are given).
    pub fold_change: f64,
    /// Why a value is missing (empty otherwise).
    pub note: String,
}

/// One group against the calibrator, for one target.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSummary {
    pub target: String,
    pub group: String,
    pub is_calibrator: bool,
    /// Samples with a ΔCt.
    pub n: usize,
    pub mean_dct: f64,
    pub sd_dct: f64,
    /// `mean_dct − mean_dct(calibrator)`.
    pub ddct: f64,
    pub fold_change: f64,
    /// CI of ΔΔCt and the fold-change CI `[2^−upper, 2^−lower]`.
    pub ddct_lower: f64,
    pub ddct_upper: f64,
    pub fold_lower: f64,
    pub fold_upper: f64,
    pub statistic: f64,
    pub df: f64,
    pub p_value: f64,
    /// Why the test or a value is missing (empty otherwise).
    pub note: String,
}

/// Livak or Pfaffl.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `2^−ΔΔCt` with `E = 2` for every gene.
    Livak,
    /// Efficiency-corrected (Pfaffl; Hellemans for several references).
    Pfaffl,
}

impl Method {
    /// `"livak"` or `"pfaffl"`.
    pub fn label(self) -> &'static str {
        match self {
            Method::Livak => "livak",
            Method::Pfaffl => "pfaffl",
        }
    }
}

/// Everything a qPCR analysis produces, including what a dot plot per
/// target and group needs (`expression`: one point per sample).
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub method: Method,
    pub test: TTest,
    pub confidence_level: f64,
    pub calibrator: String,
    pub reference_genes: Vec<String>,
    /// Targets (non-reference genes), in order of first appearance.
    pub targets: Vec<String>,
    /// Groups in order of first appearance.
    pub groups: Vec<String>,
    /// Efficiencies used (empty for Livak), in gene order.
    pub efficiencies: Vec<Efficiency>,
    /// Per sample and gene, samples then genes in order of first appearance.
    pub replicates: Vec<ReplicateSummary>,
    /// Per sample and target.
    pub expression: Vec<RelativeExpression>,
    /// Per target, then group.
    pub group_summaries: Vec<GroupSummary>,
    pub genorm: Option<Genorm>,
    /// Run-level notes (undetermined policy and counts, flags, geNorm).
    pub notes: Vec<String>,
}

/// Runs the analysis.
///
/// ```
/// use osteon_assay::qpcr::{analyse, Cq, Options, Reaction};
/// let row = |sample: &str, group: &str, target: &str, cq: f64| Reaction {
///     sample: sample.into(), group: group.into(), target: target.into(),
///     cq: Cq::Value(cq), replicate: None, well: None, origin: format!("{sample}/{target}"),
/// };
/// let data = vec![
///     row("c1", "ctrl", "GAPDH", 18.0), row("c1", "ctrl", "RANKL", 28.0),
///     row("t1", "tumour", "GAPDH", 18.5), row("t1", "tumour", "RANKL", 26.5),
/// ];
/// let options = Options { reference_genes: vec!["GAPDH".into()], calibrator: "ctrl".into(), ..Options::default() };
/// let result = analyse(&data, &options).unwrap();
/// // ΔCt: ctrl 10, tumour 8; ΔΔCt = −2; fold change 2^2 = 4.
/// assert_eq!(result.expression[1].ddct, -2.0);
/// assert_eq!(result.expression[1].fold_change, 4.0);
/// ```
pub fn analyse(reactions: &[Reaction], options: &Options) -> Result<Analysis, QpcrError> {
    validate_options(options)?;
    if reactions.is_empty() {
        return Err(QpcrError::NoReactions);
    }
    let layout = Layout::read(reactions)?;
    for reference in &options.reference_genes {
        if !layout.genes.contains(reference) {
            return Err(QpcrError::UnknownReferenceGene {
                gene: reference.clone(),
                available: layout.genes.clone(),
            });
        }
    }
    let targets: Vec<String> = layout
        .genes
        .iter()
        .filter(|g| !options.reference_genes.contains(g))
        .cloned()
        .collect();
    if targets.is_empty() {
        return Err(QpcrError::NoTargets);
    }
    if !layout.groups.contains(&options.calibrator) {
        return Err(QpcrError::UnknownCalibrator {
            calibrator: options.calibrator.clone(),
            available: layout.groups.clone(),
        });
    }
    // Every reference gene measured wherever a target is.
    for (s, sample) in layout.samples.iter().enumerate() {
        let Some((target, rows)) = targets
            .iter()
            .find_map(|t| layout.rows.get(&(s, layout.gene_index(t))).map(|r| (t, r)))
        else {
            continue;
        };
        for reference in &options.reference_genes {
            if !layout.rows.contains_key(&(s, layout.gene_index(reference))) {
                return Err(QpcrError::ReferenceNotMeasured {
                    sample: sample.clone(),
                    target: target.clone(),
                    reference: reference.clone(),
                    origin: reactions[rows[0]].origin.clone(),
                });
            }
        }
    }
    let efficiencies = match &options.efficiencies {
        None => Vec::new(),
        Some(list) => {
            let mut used = Vec::new();
            for gene in &layout.genes {
                let e = list
                    .iter()
                    .find(|e| &e.target == gene)
                    .ok_or_else(|| QpcrError::MissingEfficiency { gene: gene.clone() })?;
                if !(e.efficiency > 0.0 && e.efficiency <= 1.5) {
                    return Err(QpcrError::InvalidEfficiency {
                        gene: gene.clone(),
                        value: e.efficiency,
                    });
                }
                used.push(e.clone());
            }
            used
        }
    };
    let log2_amplification = |gene: &str| -> f64 {
        efficiencies
            .iter()
            .find(|e| e.target == gene)
            .map_or(1.0, |e| e.amplification.log2())
    };
    let genorm_genes: Vec<String> = if options.genorm_genes.is_empty() {
        options.reference_genes.clone()
    } else {
        for gene in &options.genorm_genes {
            if !layout.genes.contains(gene) {
                return Err(QpcrError::UnknownGenormGene { gene: gene.clone() });
            }
        }
        if options.genorm_genes.len() < 2 {
            return Err(QpcrError::TooFewGenormGenes {
                found: options.genorm_genes.len(),
            });
        }
        options.genorm_genes.clone()
    };

    let mut notes = Vec::new();
    let (replicates, replicate_index) = layout.collapse(reactions, options);
    let n_wells_undetermined: usize = replicates.iter().map(|r| r.n_undetermined).sum();
    let wells = plural(n_wells_undetermined, "well", "wells");
    notes.push(match options.undetermined {
        Undetermined::Drop => format!(
            "undetermined Cq: {wells} dropped (policy drop; the max-cycles policy counts them as the last cycle instead)"
        ),
        Undetermined::MaxCycles(c) => format!("undetermined Cq: {wells} set to {c} cycles"),
    });
    let n_high_sd = replicates.iter().filter(|r| r.high_sd).count();
    if n_high_sd > 0 {
        notes.push(format!(
            "{} with a Cq SD above {} cycles",
            plural(n_high_sd, "replicate set", "replicate sets"),
            options.replicate_sd_threshold
        ));
    }
    let summary_of = |s: usize, gene: &str| -> Option<&ReplicateSummary> {
        replicate_index
            .get(&(s, layout.gene_index(gene)))
            .map(|&i| &replicates[i])
    };

    // Per-sample ΔCt.
    let mut expression = Vec::new();
    for target in &targets {
        for (s, sample) in layout.samples.iter().enumerate() {
            let Some(t) = summary_of(s, target) else {
                continue;
            };
            let refs: Vec<&ReplicateSummary> = options
                .reference_genes
                .iter()
                .map(|r| summary_of(s, r).expect("checked above"))
                .collect();
            let reference_cq = summary::mean(&refs.iter().map(|r| r.mean_cq).collect::<Vec<_>>());
            let mut note = String::new();
            let dct = if t.mean_cq.is_nan() {
                note = format!("{target} undetermined in every well");
                f64::NAN
            } else if let Some(r) = refs.iter().find(|r| r.mean_cq.is_nan()) {
                note = format!("reference {} undetermined in every well", r.gene);
                f64::NAN
            } else {
                let weighted: Vec<f64> = refs
                    .iter()
                    .map(|r| log2_amplification(&r.gene) * r.mean_cq)
                    .collect();
                log2_amplification(target) * t.mean_cq - summary::mean(&weighted)
            };
            expression.push(RelativeExpression {
                sample: sample.clone(),
                group: layout.sample_group[s].clone(),
                target: target.clone(),
                cq: t.mean_cq,
                reference_cq,
                dct,
                ddct: f64::NAN,
                fold_change: f64::NAN,
                note,
            });
        }
    }
    // ΔΔCt against the calibrator mean, and group statistics.
    let mut group_summaries = Vec::new();
    for target in &targets {
        let values_of = |expression: &[RelativeExpression], group: &str| -> Vec<f64> {
            expression
                .iter()
                .filter(|e| &e.target == target && e.group == group && !e.dct.is_nan())
                .map(|e| e.dct)
                .collect()
        };
        let calibrator_values = values_of(&expression, &options.calibrator);
        let calibrator_mean = summary::mean(&calibrator_values);
        for e in expression.iter_mut().filter(|e| &e.target == target) {
            e.ddct = e.dct - calibrator_mean;
            e.fold_change = (-e.ddct).exp2();
            if calibrator_values.is_empty() && e.note.is_empty() {
                e.note = format!(
                    "no calibrator ({}) sample has a ΔCt for {target}",
                    options.calibrator
                );
            }
        }
        for group in &layout.groups {
            let values = values_of(&expression, group);
            if values.is_empty() && !layout.group_has_target(group, target) {
                continue;
            }
            group_summaries.push(summarise_group(
                target,
                group,
                &values,
                &calibrator_values,
                options,
            ));
        }
    }
    let genorm = if genorm_genes.len() >= 2 {
        let mean_cq = |s: usize, gene: &str| summary_of(s, gene).map_or(f64::NAN, |r| r.mean_cq);
        run_genorm(
            &layout,
            &genorm_genes,
            &mean_cq,
            &log2_amplification,
            &mut notes,
        )
    } else {
        None
    };
    Ok(Analysis {
        method: if efficiencies.is_empty() {
            Method::Livak
        } else {
            Method::Pfaffl
        },
        test: options.test,
        confidence_level: options.confidence_level,
        calibrator: options.calibrator.clone(),
        reference_genes: options.reference_genes.clone(),
        targets,
        groups: layout.groups.clone(),
        efficiencies,
        replicates,
        expression,
        group_summaries,
        genorm,
        notes,
    })
}

/// `"1 well"`, `"3 wells"`.
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn validate_options(options: &Options) -> Result<(), QpcrError> {
    if options.reference_genes.is_empty() {
        return Err(QpcrError::NoReferenceGenes);
    }
    if options.replicate_sd_threshold.is_nan() || options.replicate_sd_threshold < 0.0 {
        return Err(QpcrError::InvalidOption {
            name: "replicate_sd_threshold",
            value: options.replicate_sd_threshold,
            rule: "not negative",
        });
    }
    if !(options.confidence_level > 0.0 && options.confidence_level < 1.0) {
        return Err(QpcrError::InvalidOption {
            name: "confidence_level",
            value: options.confidence_level,
            rule: "between 0 and 1",
        });
    }
    if let Undetermined::MaxCycles(c) = options.undetermined {
        if !(c > 0.0 && c.is_finite()) {
            return Err(QpcrError::InvalidOption {
                name: "max_cycles",
                value: c,
                rule: "a positive number",
            });
        }
    }
    Ok(())
}

fn summarise_group(
    target: &str,
    group: &str,
    values: &[f64],
    calibrator_values: &[f64],
    options: &Options,
) -> GroupSummary {
    let is_calibrator = group == options.calibrator;
    let mean_dct = summary::mean(values);
    let ddct = mean_dct - summary::mean(calibrator_values);
    let mut row = GroupSummary {
        target: target.to_string(),
        group: group.to_string(),
        is_calibrator,
        n: values.len(),
        mean_dct,
        sd_dct: summary::var(values).sqrt(),
        ddct,
        fold_change: (-ddct).exp2(),
        ddct_lower: f64::NAN,
        ddct_upper: f64::NAN,
        fold_lower: f64::NAN,
        fold_upper: f64::NAN,
        statistic: f64::NAN,
        df: f64::NAN,
        p_value: f64::NAN,
        note: String::new(),
    };
    if is_calibrator {
        row.note = "calibrator".into();
    } else if values.is_empty() {
        row.note = "no sample in this group has a ΔCt".into();
    } else if calibrator_values.is_empty() {
        row.note = "no calibrator sample has a ΔCt".into();
    } else {
        match two_sample(
            values,
            calibrator_values,
            options.test,
            options.confidence_level,
        ) {
            Ok(t) => {
                row.ddct = t.estimate;
                row.fold_change = (-t.estimate).exp2();
                row.ddct_lower = t.lower;
                row.ddct_upper = t.upper;
                row.fold_lower = (-t.upper).exp2();
                row.fold_upper = (-t.lower).exp2();
                row.statistic = t.statistic;
                row.df = t.df;
                row.p_value = t.p_value;
            }
            Err(why) => row.note = why,
        }
    }
    row
}

fn run_genorm(
    layout: &Layout,
    genes: &[String],
    mean_cq: &dyn Fn(usize, &str) -> f64,
    log2_amplification: &dyn Fn(&str) -> f64,
    notes: &mut Vec<String>,
) -> Option<Genorm> {
    let mut samples = Vec::new();
    let mut matrix = Vec::new();
    let mut left_out = Vec::new();
    for (s, sample) in layout.samples.iter().enumerate() {
        let row: Vec<f64> = genes
            .iter()
            .map(|g| -log2_amplification(g) * mean_cq(s, g))
            .collect();
        if row.iter().any(|v| v.is_nan()) {
            left_out.push(sample.clone());
        } else {
            samples.push(sample.clone());
            matrix.extend(row);
        }
    }
    if !left_out.is_empty() {
        notes.push(format!(
            "geNorm left out {} without a Cq for every candidate gene: {}",
            plural(left_out.len(), "sample", "samples"),
            left_out.join(", ")
        ));
    }
    if samples.len() < 2 {
        notes.push("geNorm needs at least two samples with every candidate gene: not run".into());
        return None;
    }
    Some(genorm(genes, &samples, &matrix))
}

/// The reactions indexed by sample and gene, with validated names.
struct Layout {
    samples: Vec<String>,
    sample_group: Vec<String>,
    groups: Vec<String>,
    genes: Vec<String>,
    /// (sample index, gene index) → reaction indices, in input order.
    rows: BTreeMap<(usize, usize), Vec<usize>>,
}

impl Layout {
    fn read(reactions: &[Reaction]) -> Result<Layout, QpcrError> {
        let mut layout = Layout {
            samples: Vec::new(),
            sample_group: Vec::new(),
            groups: Vec::new(),
            genes: Vec::new(),
            rows: BTreeMap::new(),
        };
        let mut sample_first: Vec<usize> = Vec::new();
        let mut wells: BTreeMap<&str, usize> = BTreeMap::new();
        let mut replicate_ids: BTreeMap<(usize, usize, &str), usize> = BTreeMap::new();
        for (i, r) in reactions.iter().enumerate() {
            for (field, value) in [
                ("sample", &r.sample),
                ("group", &r.group),
                ("target", &r.target),
            ] {
                if value.is_empty() {
                    return Err(QpcrError::EmptyField {
                        origin: r.origin.clone(),
                        field,
                    });
                }
            }
            if let Cq::Value(v) = r.cq {
                if !(v > 0.0 && v.is_finite()) {
                    return Err(QpcrError::InvalidCq {
                        origin: r.origin.clone(),
                        value: v,
                    });
                }
            }
            let s = match layout.samples.iter().position(|x| x == &r.sample) {
                Some(s) => {
                    if layout.sample_group[s] != r.group {
                        return Err(QpcrError::SampleInTwoGroups {
                            sample: r.sample.clone(),
                            group: r.group.clone(),
                            origin: r.origin.clone(),
                            first_group: layout.sample_group[s].clone(),
                            first_origin: reactions[sample_first[s]].origin.clone(),
                        });
                    }
                    s
                }
                None => {
                    layout.samples.push(r.sample.clone());
                    layout.sample_group.push(r.group.clone());
                    sample_first.push(i);
                    layout.samples.len() - 1
                }
            };
            if !layout.groups.contains(&r.group) {
                layout.groups.push(r.group.clone());
            }
            let g = match layout.genes.iter().position(|x| x == &r.target) {
                Some(g) => g,
                None => {
                    layout.genes.push(r.target.clone());
                    layout.genes.len() - 1
                }
            };
            if let Some(well) = r.well.as_deref() {
                if let Some(&first) = wells.get(well) {
                    return Err(QpcrError::DuplicateWell {
                        well: well.to_string(),
                        origin: r.origin.clone(),
                        first_origin: reactions[first].origin.clone(),
                    });
                }
                wells.insert(well, i);
            }
            if let Some(rep) = r.replicate.as_deref() {
                if let Some(&first) = replicate_ids.get(&(s, g, rep)) {
                    return Err(QpcrError::DuplicateReplicate {
                        sample: r.sample.clone(),
                        target: r.target.clone(),
                        replicate: rep.to_string(),
                        origin: r.origin.clone(),
                        first_origin: reactions[first].origin.clone(),
                    });
                }
                replicate_ids.insert((s, g, rep), i);
            }
            layout.rows.entry((s, g)).or_default().push(i);
        }
        Ok(layout)
    }

    fn gene_index(&self, gene: &str) -> usize {
        self.genes
            .iter()
            .position(|g| g == gene)
            .unwrap_or(usize::MAX)
    }

    /// Whether any sample of `group` has a row for `target`.
    fn group_has_target(&self, group: &str, target: &str) -> bool {
        let g = self.gene_index(target);
        (0..self.samples.len())
            .any(|s| self.sample_group[s] == group && self.rows.contains_key(&(s, g)))
    }

    /// Collapses technical replicates: samples, then genes, in order of first
    /// appearance; also returns (sample, gene) → position in that list.
    fn collapse(
        &self,
        reactions: &[Reaction],
        options: &Options,
    ) -> (Vec<ReplicateSummary>, BTreeMap<(usize, usize), usize>) {
        let mut out = Vec::new();
        let mut index = BTreeMap::new();
        for (s, sample) in self.samples.iter().enumerate() {
            for (g, gene) in self.genes.iter().enumerate() {
                let Some(rows) = self.rows.get(&(s, g)) else {
                    continue;
                };
                let mut values = Vec::new();
                let mut n_undetermined = 0;
                for &i in rows {
                    match (reactions[i].cq, options.undetermined) {
                        (Cq::Value(v), _) => values.push(v),
                        (Cq::Undetermined, Undetermined::Drop) => n_undetermined += 1,
                        (Cq::Undetermined, Undetermined::MaxCycles(c)) => {
                            n_undetermined += 1;
                            values.push(c);
                        }
                    }
                }
                let mean_cq = summary::mean(&values);
                let sd_cq = summary::var(&values).sqrt();
                let high_sd = sd_cq > options.replicate_sd_threshold;
                let mut note = Vec::new();
                if n_undetermined > 0 {
                    note.push(match options.undetermined {
                        Undetermined::Drop => {
                            format!(
                                "{n_undetermined} of {} wells undetermined (dropped)",
                                rows.len()
                            )
                        }
                        Undetermined::MaxCycles(c) => format!(
                            "{n_undetermined} of {} wells undetermined (set to {c})",
                            rows.len()
                        ),
                    });
                }
                if high_sd {
                    note.push(format!(
                        "replicate SD {} above {}",
                        crate::significant(sd_cq, 3),
                        options.replicate_sd_threshold
                    ));
                }
                index.insert((s, g), out.len());
                out.push(ReplicateSummary {
                    sample: sample.clone(),
                    group: self.sample_group[s].clone(),
                    gene: gene.clone(),
                    is_reference: options.reference_genes.contains(gene),
                    wells: rows
                        .iter()
                        .map(|&i| {
                            let r = &reactions[i];
                            r.well
                                .clone()
                                .or_else(|| r.replicate.clone())
                                .unwrap_or_else(|| r.origin.clone())
                        })
                        .collect(),
                    n_wells: rows.len(),
                    n_undetermined,
                    cq_values: values,
                    mean_cq,
                    sd_cq,
                    high_sd,
                    note: note.join("; "),
                });
            }
        }
        (out, index)
    }
}

#[cfg(test)]
mod tests;
