//! `osteon enrich`: Gene Ontology over-representation analysis of a gene
//! list (from DESeq2 results or plain lists) against a universe, with
//! clusterProfiler's columns, goatools/clusterProfiler universe semantics,
//! topGO's elim/weight01, and redundancy reduction by Wang similarity.
//!
//! Steps: read the ontology (OBO), annotations (GAF) and optional gene-id
//! table (`input::load_go_data`, the single place where a bundled default
//! will be resolved); read the list and universe (`input::read_genes`); map
//! every input id (`osteon_enrich::IdMapper`, nothing dropped silently);
//! propagate the annotations within the namespace; test
//! (`osteon_enrich::over_representation`); simplify the enriched terms
//! (`osteon_enrich::simplify`); write `enrichment.tsv`,
//! `enrichment_simplified.tsv` and `id_mapping.tsv`. The methods and their
//! sources are documented in `osteon_enrich`.

pub(crate) mod input;
mod output;

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use osteon_enrich::{
    over_representation, simplify, Algorithm, AnnotationOptions, AnnotationReport, Counts,
    IdMapper, Namespace, OraOptions, RelationSet, UniversePolicy,
};
use osteon_io::OutputDir;
use serde_json::json;

use crate::progress::StderrProgress;

pub use input::{load_go_data, GoData, GoFiles};

/// Which DE genes form the list.
#[derive(
    clap::ValueEnum, serde::Deserialize, serde::Serialize, Debug, Clone, Copy, PartialEq, Eq,
)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// padj below the cut-off and log2FoldChange > 0.
    Up,
    /// padj below the cut-off and log2FoldChange < 0.
    Down,
    /// padj below the cut-off, either sign.
    Both,
}

impl Direction {
    fn label(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
            Direction::Both => "both",
        }
    }
}

/// `--universe-policy`.
#[derive(
    clap::ValueEnum, serde::Deserialize, serde::Serialize, Debug, Clone, Copy, PartialEq, Eq,
)]
#[serde(rename_all = "kebab-case")]
pub enum UniverseChoice {
    /// N counts universe genes with ≥ 1 annotation in the namespace
    /// (clusterProfiler, topGO).
    Annotated,
    /// N counts every universe gene (goatools).
    All,
}

/// `--algorithm`.
#[derive(
    clap::ValueEnum, serde::Deserialize, serde::Serialize, Debug, Clone, Copy, PartialEq, Eq,
)]
#[serde(rename_all = "kebab-case")]
pub enum AlgorithmChoice {
    /// Each term tested on its own (hypergeometric, as clusterProfiler).
    Classic,
    /// topGO elim.
    Elim,
    /// topGO weight01.
    Weight01,
}

/// Every analysis option of `osteon enrich` (CLI flags and the study-file
/// section).
#[derive(clap::Args, serde::Deserialize, serde::Serialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Differential-expression results (TSV/CSV, e.g. `osteon de`'s
    /// results.tsv): gene id column (`gene` or the first), `padj` and
    /// `log2FoldChange`. The universe is every gene with a non-NA padj.
    #[arg(long, conflicts_with_all = ["genes", "universe"], required_unless_present = "genes")]
    #[serde(default)]
    pub de: Option<PathBuf>,
    /// Adjusted p-value cut-off for --de: genes with padj < this form the list.
    #[arg(long, default_value_t = 0.05)]
    #[serde(default = "default_padj")]
    pub padj: f64,
    /// Which significant genes of --de form the list.
    #[arg(long, value_enum, default_value_t = Direction::Both)]
    #[serde(default = "default_direction")]
    pub direction: Direction,
    /// Column of --de holding the gene ids (default: `gene`, else the first
    /// column).
    #[arg(long)]
    #[serde(default)]
    pub gene_column: Option<String>,
    /// Gene list: one id per line (Ensembl with or without version, Entrez,
    /// symbols or aliases; first field of each line).
    #[arg(long)]
    #[serde(default)]
    pub genes: Option<PathBuf>,
    /// Universe (background) for --genes, same format. Default: every gene
    /// of the annotation file.
    #[arg(long, requires = "genes")]
    #[serde(default)]
    pub universe: Option<PathBuf>,
    /// Ontology (OBO 1.2/1.4, e.g. go-basic.obo; .gz accepted).
    #[arg(long)]
    #[serde(default)]
    pub ontology: Option<PathBuf>,
    /// Annotations (GAF 2.x; .gz accepted).
    #[arg(long)]
    #[serde(default)]
    pub annotations: Option<PathBuf>,
    /// Gene-id table (entrez, symbol, ensembl, aliases columns) used to map
    /// Ensembl ids, symbols and aliases onto the annotation's genes.
    #[arg(long)]
    #[serde(default)]
    pub id_map: Option<PathBuf>,
    /// Whether N counts only annotated universe genes or all of them.
    #[arg(long, value_enum, default_value_t = UniverseChoice::Annotated)]
    #[serde(default = "default_universe_policy")]
    pub universe_policy: UniverseChoice,
    /// GO namespace: BP, MF or CC.
    #[arg(long, default_value = "BP")]
    #[serde(default = "default_namespace")]
    pub namespace: String,
    /// Relations annotations propagate over: is_a, is_a,part_of, or all
    /// (is_a, part_of, regulates, positively/negatively_regulates, as GO.db,
    /// clusterProfiler and topGO).
    #[arg(long, default_value = "all")]
    #[serde(default = "default_relations")]
    pub relations: String,
    /// Evidence codes to exclude, comma-separated (e.g. IEA,ND).
    #[arg(long, value_delimiter = ',')]
    #[serde(default)]
    pub evidence_exclude: Vec<String>,
    /// Smallest term size (universe genes in the term) tested; 0 = no limit.
    #[arg(long, default_value_t = 10)]
    #[serde(default = "default_min_size")]
    pub min_size: usize,
    /// Largest term size tested; 0 = no limit.
    #[arg(long, default_value_t = 500)]
    #[serde(default = "default_max_size")]
    pub max_size: usize,
    /// Term scoring: classic, or topGO's elim or weight01.
    #[arg(long, value_enum, default_value_t = AlgorithmChoice::Classic)]
    #[serde(default = "default_algorithm")]
    pub algorithm: AlgorithmChoice,
    /// elim's significance cut-off on raw p-values (topGO: 0.01).
    #[arg(long, default_value_t = 0.01)]
    #[serde(default = "default_elim_cutoff")]
    pub elim_cutoff: f64,
    /// Wang similarity above which terms are redundant (clusterProfiler
    /// simplify: 0.7).
    #[arg(long, default_value_t = 0.7)]
    #[serde(default = "default_simplify_cutoff")]
    pub simplify_cutoff: f64,
    /// Enriched terms (simplified table): p-value and p.adjust ≤ this.
    #[arg(long, default_value_t = 0.05)]
    #[serde(default = "default_pvalue_cutoff")]
    pub pvalue_cutoff: f64,
    /// Enriched terms (simplified table): qvalue ≤ this (when q-values exist).
    #[arg(long, default_value_t = 0.2)]
    #[serde(default = "default_qvalue_cutoff")]
    pub qvalue_cutoff: f64,
}

fn default_padj() -> f64 {
    0.05
}
fn default_direction() -> Direction {
    Direction::Both
}
fn default_universe_policy() -> UniverseChoice {
    UniverseChoice::Annotated
}
fn default_namespace() -> String {
    "BP".into()
}
fn default_relations() -> String {
    "all".into()
}
fn default_min_size() -> usize {
    10
}
fn default_max_size() -> usize {
    500
}
fn default_algorithm() -> AlgorithmChoice {
    AlgorithmChoice::Classic
}
fn default_elim_cutoff() -> f64 {
    0.01
}
fn default_simplify_cutoff() -> f64 {
    0.7
}
fn default_pvalue_cutoff() -> f64 {
    0.05
}
fn default_qvalue_cutoff() -> f64 {
    0.2
}

/// Arguments of `osteon enrich`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub settings: Settings,
    /// Output folder (created atomically; replaced only when the run
    /// succeeds).
    #[arg(long)]
    pub out: PathBuf,
    /// No progress output on stderr.
    #[arg(long)]
    pub quiet: bool,
    /// Worker threads (0 = one per core; results are identical for any
    /// number).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
}

/// Where the GO data came from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Provenance {
    /// OBO `data-version` (the GO release, e.g. `releases/2022-07-01`).
    pub go_release: Option<String>,
    /// OBO `date`.
    pub ontology_date: Option<String>,
    /// GAF `!gaf-version`.
    pub gaf_version: Option<String>,
    /// GAF `!date-generated`.
    pub annotation_date: Option<String>,
    /// GAF `!generated-by`.
    pub annotation_generated_by: Option<String>,
    /// Every GAF header line (`!key: value`).
    pub annotation_header: Vec<(String, String)>,
}

/// Mapping counts of one input (list or universe).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct MappingCounts {
    pub inputs: usize,
    pub mapped: usize,
    pub duplicate: usize,
    pub ambiguous: usize,
    pub unmapped: usize,
}

/// A results table with ids, names and the user's gene ids, for reports
/// and figures (dot/bar plots of the top terms use `description`,
/// `count`/`list_size` (GeneRatio), `p_adjust` and `count`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TermTable {
    /// GO ids.
    pub id: Vec<String>,
    /// Term names.
    pub description: Vec<String>,
    /// `k`: list genes in the term.
    pub count: Vec<usize>,
    /// `K`: universe genes in the term.
    pub term_size: Vec<usize>,
    /// `k/K`.
    pub rich_factor: Vec<f64>,
    /// `(k/n)/(K/N)`.
    pub fold_enrichment: Vec<f64>,
    /// Hypergeometric z-score.
    pub z_score: Vec<f64>,
    /// Raw p-values.
    pub pvalue: Vec<f64>,
    /// Benjamini–Hochberg.
    pub p_adjust: Vec<f64>,
    /// Bonferroni.
    pub bonferroni: Vec<f64>,
    /// Storey q-values (NaN = NA).
    pub qvalue: Vec<f64>,
    /// elim/weight01: genes removed before the term's test.
    pub eliminated: Vec<usize>,
    /// The list genes in the term, as the user named them.
    pub genes: Vec<Vec<String>>,
}

/// What `enrich` computed.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Namespace tested.
    pub namespace: Namespace,
    /// Relations propagated over.
    pub relations: RelationSet,
    /// Algorithm.
    pub algorithm: Algorithm,
    /// Universe policy.
    pub universe_policy: UniversePolicy,
    /// GO release and annotation date.
    pub provenance: Provenance,
    /// How the list was formed, in words.
    pub list_description: String,
    /// How the universe was formed, in words.
    pub universe_description: String,
    /// `N`, `n` and the counts behind them.
    pub counts: Counts,
    /// Mapping of the list ids.
    pub list_mapping: MappingCounts,
    /// Mapping of the universe ids (None: universe = annotation genes).
    pub universe_mapping: Option<MappingCounts>,
    /// What happened to the annotation lines.
    pub annotation_report: AnnotationReport,
    /// GAF lines excluded for a NOT qualifier.
    pub not_qualified: usize,
    /// π₀ of the q-values (None: q-values NA).
    pub pi0: Option<f64>,
    /// Every tested term, sorted by p-value.
    pub full: TermTable,
    /// The enriched terms left after redundancy reduction.
    pub simplified: TermTable,
    /// Number of enriched terms before redundancy reduction.
    pub n_enriched: usize,
}

/// The parsed, validated options.
struct Plan {
    namespace: Namespace,
    relations: RelationSet,
    ora: OraOptions,
}

impl Settings {
    fn plan(&self) -> Result<Plan> {
        match (&self.de, &self.genes) {
            (Some(_), Some(_)) => bail!("give either --de or --genes, not both"),
            (None, None) => bail!("give the genes to test: --de results.tsv or --genes list.txt"),
            (Some(_), None) if self.universe.is_some() => {
                bail!("--universe goes with --genes; with --de the universe is every gene with a non-NA padj")
            }
            _ => {}
        }
        if !(self.padj > 0.0 && self.padj <= 1.0) {
            bail!("--padj must be in (0, 1] (got {})", self.padj);
        }
        for (name, value) in [
            ("--pvalue-cutoff", self.pvalue_cutoff),
            ("--qvalue-cutoff", self.qvalue_cutoff),
            ("--simplify-cutoff", self.simplify_cutoff),
        ] {
            if !(0.0..=1.0).contains(&value) {
                bail!("{name} must be between 0 and 1 (got {value})");
            }
        }
        let namespace: Namespace = self
            .namespace
            .parse()
            .map_err(|e| anyhow!("--namespace {}: {e}", self.namespace))?;
        let relations: RelationSet = self
            .relations
            .parse()
            .map_err(|e| anyhow!("--relations {}: {e}", self.relations))?;
        let ora = OraOptions {
            universe_policy: match self.universe_policy {
                UniverseChoice::Annotated => UniversePolicy::Annotated,
                UniverseChoice::All => UniversePolicy::All,
            },
            min_size: self.min_size,
            max_size: self.max_size,
            algorithm: match self.algorithm {
                AlgorithmChoice::Classic => Algorithm::Classic,
                AlgorithmChoice::Elim => Algorithm::Elim,
                AlgorithmChoice::Weight01 => Algorithm::Weight01,
            },
            elim_cutoff: self.elim_cutoff,
        };
        if !(ora.elim_cutoff > 0.0 && ora.elim_cutoff <= 1.0) {
            bail!("--elim-cutoff must be in (0, 1] (got {})", ora.elim_cutoff);
        }
        if ora.min_size > 0 && ora.max_size > 0 && ora.min_size > ora.max_size {
            bail!(
                "--min-size {} is larger than --max-size {}",
                ora.min_size,
                ora.max_size
            );
        }
        Ok(Plan {
            namespace,
            relations,
            ora,
        })
    }
}

/// Reads the inputs, runs the analysis and writes the tables into `dir`.
pub fn execute(settings: &Settings, dir: &Path, progress: &StderrProgress) -> Result<Outcome> {
    let plan = settings.plan()?;
    progress.message("reading the gene list");
    let genes = input::read_genes(settings)?;
    progress.message("reading the ontology and annotations");
    let annotation_options = AnnotationOptions {
        evidence_exclude: settings
            .evidence_exclude
            .iter()
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty())
            .collect(),
    };
    let GoData {
        obo,
        ontology,
        gaf,
        annotations,
        annotation_report,
        gene_ids,
    } = load_go_data(GoFiles::of_enrich(settings), &annotation_options)?;
    let provenance = input::provenance(&obo, &gaf);
    input::report_annotations(&annotation_report, &obo, &gaf, progress);
    // Propagation and the mapping of the user's ids are independent: the
    // mapping waits for the gene-id table, propagation need not.
    let (sets, mapping) = rayon::join(
        || annotations.propagate(&ontology, plan.namespace, plan.relations),
        || {
            let mapper = IdMapper::new(&annotations, input::IdTable(gene_ids.wait()?));
            input::map_genes(&genes, &mapper).map(|mapped| (mapper, mapped))
        },
    );
    let (mapper, mapped) = mapping?;
    // The mapping table is written while the terms are tested.
    let (result, written_mapping) = rayon::join(
        || over_representation(&ontology, &sets, &mapped.list, &mapped.universe, &plan.ora),
        || output::write_id_mapping(&dir.join("id_mapping.tsv"), &mapped, &mapper),
    );
    let result = result.map_err(|e| anyhow!("{}: {e}", genes.source_label()))?;
    written_mapping?;
    let counts = result.counts.clone();
    let policy_words = match plan.ora.universe_policy {
        UniversePolicy::Annotated => format!(
            "annotated to at least one {} term (--universe-policy annotated)",
            plan.namespace
        ),
        UniversePolicy::All => "all of them (--universe-policy all)".to_string(),
    };
    progress.message(&format!(
        "list: {}; {} of them in the universe, {} annotated in {}; n = {}",
        mapped.list_description,
        counts.list_given - counts.list_outside_universe.len(),
        counts.list_annotated,
        plan.namespace,
        counts.list_size
    ));
    if !counts.list_outside_universe.is_empty() {
        progress.message(&format!(
            "note: {} list genes are not in the universe and were set aside (see id_mapping.tsv)",
            counts.list_outside_universe.len()
        ));
    }
    progress.message(&format!(
        "universe: {}; {} genes, {} annotated in {}; N = {} counting {}",
        mapped.universe_description,
        counts.universe_given,
        counts.universe_annotated,
        plan.namespace,
        counts.universe_size,
        policy_words
    ));

    // The enriched terms, as DOSE's get_enriched selects them.
    let enriched: Vec<usize> = {
        let t = &result.table;
        let passing: Vec<usize> = (0..t.len())
            .filter(|&r| {
                t.pvalue[r] <= settings.pvalue_cutoff && t.p_adjust[r] <= settings.pvalue_cutoff
            })
            .collect();
        if passing.iter().any(|&r| t.qvalue[r].is_nan()) {
            passing
        } else {
            passing
                .into_iter()
                .filter(|&r| t.qvalue[r] <= settings.qvalue_cutoff)
                .collect()
        }
    };
    // The full table and its files on one side, simplify (semantic
    // similarity of the enriched terms) and its table on the other: they
    // share only read-only inputs.
    let ((full, written_full), (simplified, written_simplified)) = rayon::join(
        || {
            let full = output::term_table(&ontology, &result.table, &mapped);
            let (a, b) = rayon::join(
                || output::write_enrichment(&dir.join("enrichment.tsv"), &full, &counts),
                || output::write_statistics(&dir.join("enrichment_stats.tsv"), &full, &counts),
            );
            (full, a.and(b))
        },
        || {
            let enriched_table = result.table.select(&enriched);
            let kept = simplify(
                &ontology,
                &enriched_table.term,
                &enriched_table.p_adjust,
                settings.simplify_cutoff,
            );
            let simplified_rows: Vec<usize> = kept.iter().map(|&i| enriched[i]).collect();
            let simplified =
                output::term_table(&ontology, &result.table.select(&simplified_rows), &mapped);
            let written = output::write_enrichment(
                &dir.join("enrichment_simplified.tsv"),
                &simplified,
                &counts,
            );
            (simplified, written)
        },
    );
    written_full?;
    written_simplified?;
    progress.message(&format!(
        "{} {} terms tested ({} with a list gene, {} outside --min-size/--max-size); {} enriched (p.adjust <= {}), {} after simplify (Wang > {})",
        full.id.len(),
        plan.namespace,
        counts.terms_with_hits,
        counts.terms_outside_size,
        enriched.len(),
        settings.pvalue_cutoff,
        simplified.id.len(),
        settings.simplify_cutoff
    ));
    let n_enriched = enriched.len();
    let not_qualified = gaf.not_qualified;
    let list_description = mapped.list_description.clone();
    let universe_description = format!(
        "{}; N = {} counting {}",
        mapped.universe_description, counts.universe_size, policy_words
    );
    let (list_mapping, universe_mapping) = (mapped.list_counts, mapped.universe_counts);
    drop(mapper);
    // Freeing the GO data (several hundred thousand small allocations) is
    // left to a background thread: the caller need not wait for it, and a
    // process that exits first skips it altogether.
    std::thread::spawn(move || drop((obo, gaf, ontology, annotations, sets, genes, mapped)));
    Ok(Outcome {
        namespace: plan.namespace,
        relations: plan.relations,
        algorithm: plan.ora.algorithm,
        universe_policy: plan.ora.universe_policy,
        provenance,
        list_description,
        universe_description,
        counts,
        list_mapping,
        universe_mapping,
        annotation_report,
        not_qualified,
        pi0: result.pi0,
        full,
        simplified,
        n_enriched,
    })
}

/// Runs `osteon enrich`.
pub fn run(args: Args) -> Result<()> {
    let progress = StderrProgress::new(args.quiet);
    crate::set_threads(args.threads)?;
    let out = OutputDir::create(&args.out)?;
    // The input digests for run.json are computed while the analysis runs.
    let settings = args.settings.clone();
    let digests = std::thread::spawn(move || input_records(&settings));
    let outcome = execute(&args.settings, out.path(), &progress)?;
    let inputs = digests
        .join()
        .map_err(|_| anyhow!("computing the input digests failed"))??;
    let manifest = manifest(&args.settings, &outcome, inputs);
    let path = out.path().join("run.json");
    std::fs::write(&path, serde_json::to_string_pretty(&manifest)? + "\n")
        .with_context(|| format!("writing {}", path.display()))?;
    let target = out.commit()?;
    progress.message(&format!("results in {}", target.display()));
    Ok(())
}

/// `{"path": …, "sha256": …}` of every input file (null when not given).
fn input_records(settings: &Settings) -> Result<serde_json::Value> {
    let record = |path: &Option<PathBuf>| -> Result<serde_json::Value> {
        Ok(match path {
            Some(path) => json!({
                "path": path.display().to_string(),
                "sha256": osteon_io::sha256_file(path)?,
            }),
            None => serde_json::Value::Null,
        })
    };
    Ok(json!({
        "de": record(&settings.de)?,
        "genes": record(&settings.genes)?,
        "universe": record(&settings.universe)?,
        "ontology": record(&settings.ontology)?,
        "annotations": record(&settings.annotations)?,
        "id_map": record(&settings.id_map)?,
    }))
}

fn manifest(
    settings: &Settings,
    outcome: &Outcome,
    inputs: serde_json::Value,
) -> serde_json::Value {
    let report = &outcome.annotation_report;
    json!({
        "tool": "osteon",
        "version": env!("CARGO_PKG_VERSION"),
        "command": "enrich",
        "method": {
            "test": match outcome.algorithm {
                Algorithm::Classic => "hypergeometric upper tail, phyper(k - 1, K, N - K, n, lower.tail = FALSE) (clusterProfiler enricher_internal; = one-sided Fisher, goatools alternative = greater)",
                Algorithm::Elim => "topGO elim (Alexa et al. 2006), Fisher test with eliminated genes removed, raw cutoff",
                Algorithm::Weight01 => "topGO weight01 (Alexa et al. 2006), Fisher test with the genes of more significant children removed",
            },
            "p_adjust": "Benjamini-Hochberg (p.adjust 'BH') over the tested terms; Bonferroni in run.json only",
            "qvalue": "qvalue(p, lambda = 0.05, pi0.method = 'bootstrap') as DOSE enricher_internal; NA where it fails",
            "simplify": "clusterProfiler simplify(cutoff, by = 'p.adjust', select_fun = min, measure = 'Wang') on the enriched terms",
            "propagation": format!("{} within {}", outcome.relations, outcome.namespace),
        },
        "go_release": outcome.provenance.go_release,
        "ontology_date": outcome.provenance.ontology_date,
        "annotation_date": outcome.provenance.annotation_date,
        "annotation_generated_by": outcome.provenance.annotation_generated_by,
        "gaf_version": outcome.provenance.gaf_version,
        "annotation_header": outcome.provenance.annotation_header,
        "inputs": inputs,
        "parameters": settings,
        "universe_policy": outcome.universe_policy.label(),
        "algorithm": outcome.algorithm.label(),
        "list": outcome.list_description,
        "universe": outcome.universe_description,
        "N": outcome.counts.universe_size,
        "n": outcome.counts.list_size,
        "counts": {
            "universe_given": outcome.counts.universe_given,
            "universe_annotated": outcome.counts.universe_annotated,
            "list_given": outcome.counts.list_given,
            "list_outside_universe": outcome.counts.list_outside_universe.len(),
            "list_annotated": outcome.counts.list_annotated,
            "terms_with_list_genes": outcome.counts.terms_with_hits,
            "terms_outside_size_limits": outcome.counts.terms_outside_size,
            "terms_tested": outcome.full.id.len(),
            "terms_enriched": outcome.n_enriched,
            "terms_after_simplify": outcome.simplified.id.len(),
        },
        "id_mapping": {
            "list": outcome.list_mapping,
            "universe": outcome.universe_mapping,
        },
        "annotations": {
            "lines_not_qualified_excluded": outcome.not_qualified,
            "links_read": report.links_read,
            "gene_term_pairs_kept": report.pairs_kept,
            "duplicate_links": report.duplicate_links,
            "excluded_by_evidence": report.excluded_by_evidence,
            "alt_ids_resolved": report.alt_ids_resolved.iter().map(|(k, (v, n))| (k.clone(), json!({"term": v, "links": n}))).collect::<serde_json::Map<_, _>>(),
            "obsolete_replaced": report.obsolete_replaced.iter().map(|(k, (v, n))| (k.clone(), json!({"term": v, "links": n}))).collect::<serde_json::Map<_, _>>(),
            "obsolete_dropped": report.obsolete_dropped,
            "unknown_terms": report.unknown_terms,
        },
        "pi0": outcome.pi0,
    })
}
