//! `osteon gsea`: preranked gene-set enrichment analysis with fgsea's
//! multilevel p-values (`osteon_enrich::gsea`, a port of fgsea ≥ 1.20
//! `fgseaMultilevel` as GSEApy 1.3.1 runs it).
//!
//! Ranks come from a DESeq2-style results table (`--de`, the Wald `stat` by
//! default, `--rank-column` to choose; NA rows are dropped and counted) or a
//! `.rnk` file (`--rnk`); gene sets from a GMT file (`--gmt`) or the Gene
//! Ontology (`--namespace`, with `--ontology/--annotations/--id-map` or the
//! bundled human snapshot). Output folder:
//!
//! | file | content |
//! |---|---|
//! | `gsea.tsv` | fgsea's columns `pathway pval padj log2err ES NES size leadingEdge` (leading edge joined by `/`), sorted by pval then pathway |
//! | `gene_sets.tsv` | every set given: `pathway description listed size status` (`tested`, `too_small`, `too_large`) |
//! | `ranking.tsv` | the ranking as used: `rank gene score` (decreasing score, ties in input order) |
//! | `id_mapping.tsv` | GO only: how each ranked id mapped onto the annotation genes |
//! | `run.json` | version, parameters, input SHA-256s, counts and fgsea's warnings |

mod go;

use anyhow::{bail, Context, Result};
use clap::Args as ClapArgs;
use osteon_enrich::gsea::{
    prerank, GeneSet, Options, Prerank, PvalueMethod, RunningSum, ScoreType, SetResult, SkipReason,
};
use osteon_io::{OutputDir, TsvWriter};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::command::{input_record, write_manifest};
use crate::progress::StderrProgress;

/// The analysis options of `osteon gsea`; also a gene-set section of a study
/// file.
#[derive(ClapArgs, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// DESeq2-style results table (`osteon de`'s results.tsv or R's
    /// write.table/write.csv of results()): gene ids in the first column.
    #[arg(long, conflicts_with = "rnk")]
    #[serde(default)]
    pub de: Option<PathBuf>,
    /// Column of --de holding the ranking score.
    #[arg(long, default_value = "stat")]
    #[serde(default = "default_rank_column")]
    pub rank_column: String,
    /// A GSEA .rnk file: gene and score, tab-separated.
    #[arg(long)]
    #[serde(default)]
    pub rnk: Option<PathBuf>,
    /// Gene sets in GMT format (name, description, genes; tab-separated).
    #[arg(long, conflicts_with_all = ["ontology", "annotations", "id_map"])]
    #[serde(default)]
    pub gmt: Option<PathBuf>,
    /// GO ontology (OBO); the bundled GO release when omitted.
    #[arg(long)]
    #[serde(default)]
    pub ontology: Option<PathBuf>,
    /// GO annotations (GAF); the bundled human annotations when omitted.
    #[arg(long)]
    #[serde(default)]
    pub annotations: Option<PathBuf>,
    /// Gene-id table (entrez, symbol, ensembl, aliases) used to map ranked
    /// ids onto the annotation genes; the bundled human table when omitted.
    #[arg(long)]
    #[serde(default)]
    pub id_map: Option<PathBuf>,
    /// GO namespace of the gene sets: BP, MF or CC.
    #[arg(long, default_value = "BP")]
    #[serde(default = "default_namespace")]
    pub namespace: String,
    /// Relations GO annotations propagate over: is_a, is_a,part_of or all.
    #[arg(long, default_value = "all")]
    #[serde(default = "default_relations")]
    pub relations: String,
    /// Smallest set size tested (genes of the set that are ranked).
    #[arg(long, default_value_t = 15)]
    #[serde(default = "default_min_size")]
    pub min_size: usize,
    /// Largest set size tested.
    #[arg(long, default_value_t = 500)]
    #[serde(default = "default_max_size")]
    pub max_size: usize,
    /// Weight exponent: genes step the running sum by |score|^p (fgsea's gseaParam).
    #[arg(long, default_value_t = 1.0)]
    #[serde(default = "default_gsea_param")]
    pub gsea_param: f64,
    /// Score type: std (two-sided), pos or neg (one-tailed), as fgsea's scoreType.
    #[arg(long, default_value = "std", value_parser = ["std", "pos", "neg"])]
    #[serde(default = "default_score_type")]
    pub score_type: String,
    /// Random gene sets per level of the multilevel method (fgsea's sampleSize).
    #[arg(long, default_value_t = 101)]
    #[serde(default = "default_sample_size")]
    pub sample_size: usize,
    /// Random gene sets of the preliminary permutation null (fgsea's nPermSimple).
    #[arg(long, default_value_t = 1000)]
    #[serde(default = "default_n_perm_simple")]
    pub n_perm_simple: usize,
    /// P-values below this are reported as eps (0: estimate them all).
    #[arg(long, default_value = "1e-50")]
    #[serde(default = "default_eps")]
    pub eps: f64,
    /// Seed of the random streams (results are identical for any thread count).
    #[arg(long, default_value_t = 42)]
    #[serde(default = "default_seed")]
    pub seed: u32,
    /// Number of top sets (by p-value) whose running-sum curves are kept for figures.
    #[arg(long, default_value_t = 20)]
    #[serde(default = "default_plot_top")]
    pub plot_top: usize,
}

fn default_rank_column() -> String {
    "stat".into()
}
fn default_namespace() -> String {
    "BP".into()
}
fn default_relations() -> String {
    "all".into()
}
fn default_min_size() -> usize {
    15
}
fn default_max_size() -> usize {
    500
}
fn default_gsea_param() -> f64 {
    1.0
}
fn default_score_type() -> String {
    "std".into()
}
fn default_sample_size() -> usize {
    101
}
fn default_n_perm_simple() -> usize {
    1000
}
fn default_eps() -> f64 {
    1e-50
}
fn default_seed() -> u32 {
    42
}
fn default_plot_top() -> usize {
    20
}

/// `osteon gsea` flags.
#[derive(ClapArgs, Debug)]
pub struct Args {
    #[command(flatten)]
    pub settings: Settings,
    /// Output folder (created atomically; an existing one is replaced only
    /// when the run succeeds).
    #[arg(long)]
    pub out: PathBuf,
    /// Worker threads (results are identical for any number).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// No progress output on stderr.
    #[arg(long)]
    pub quiet: bool,
}

/// Where the ranking came from.
#[derive(Debug, Clone)]
pub struct RankingSource {
    /// The file read (`--de` or `--rnk`).
    pub path: PathBuf,
    /// The score column.
    pub column: String,
    /// Genes with a score.
    pub n_ranked: usize,
    /// Rows of a DE table dropped because their score is NA.
    pub n_missing: usize,
}

/// Where the gene sets came from.
#[derive(Debug, Clone)]
pub struct SetSource {
    /// `gmt`, or `GO BP` etc.
    pub kind: String,
    /// Files read, with SHA-256 (`<bundled>/...` for the built-in snapshot).
    pub files: Vec<(String, Option<String>)>,
    /// Sets given to the analysis.
    pub n_sets: usize,
    /// GMT sets listing no gene at all.
    pub empty_sets: Vec<String>,
    /// Repeated genes dropped within GMT sets.
    pub collapsed_duplicates: usize,
    /// GO release and annotation date, when the sets are GO terms.
    pub go_release: Option<String>,
    pub annotation_source: Option<String>,
    /// How ranked ids mapped onto annotation genes (GO only).
    pub mapping: Option<go::MappingSummary>,
}

/// The running-sum curve of one top set, ready to draw (fgsea's
/// `plotEnrichment`): the curve in ranked-list coordinates, the hit
/// positions for the barcode, and the statistics for the title.
#[derive(Debug, Clone)]
pub struct Curve {
    pub pathway: String,
    pub description: String,
    pub es: f64,
    pub nes: f64,
    pub padj: f64,
    /// 0-based positions of the set's genes in `Outcome::analysis.genes`
    /// (the full row, p-value and leading edge included, is in
    /// `Outcome::analysis.results`).
    pub hits: Vec<usize>,
    /// `(0, 0)`, then `(pos − 1, bottom)`, `(pos, top)` per hit (1-based
    /// positions), then `(n + 1, 0)`; weights scaled by the largest |score|.
    pub running_sum: RunningSum,
}

/// Everything `osteon gsea` computed, for the report and figures.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The kernel result: the ranking as used (`genes`, `scores`, decreasing;
    /// draw the ranked-metric panel from `scores`), every tested set with
    /// p-value, NES, leading edge and hit positions, and the skipped sets.
    pub analysis: Prerank,
    /// Curves of the `plot_top` sets with the smallest p-values.
    pub curves: Vec<Curve>,
    pub ranking: RankingSource,
    pub sets: SetSource,
    /// fgsea's warnings that applied (ties, unbalanced stats, eps floor, …).
    pub warnings: Vec<String>,
}

impl Settings {
    fn options(&self) -> Result<Options> {
        let score_type: ScoreType = self
            .score_type
            .parse()
            .map_err(|e: String| anyhow::anyhow!("--score-type: {e}"))?;
        Ok(Options {
            min_size: self.min_size,
            max_size: self.max_size,
            gsea_param: self.gsea_param,
            score_type,
            sample_size: self.sample_size,
            n_perm_simple: self.n_perm_simple,
            eps: self.eps,
            seed: self.seed,
        })
    }

    fn check(&self) -> Result<()> {
        match (&self.de, &self.rnk) {
            (Some(_), Some(_)) => bail!("give the ranking once: --de or --rnk, not both"),
            (None, None) => bail!("no ranking given: use --de results.tsv (ranked by --rank-column, default stat) or --rnk file.rnk"),
            _ => {}
        }
        if self.gmt.is_some()
            && (self.ontology.is_some() || self.annotations.is_some() || self.id_map.is_some())
        {
            bail!("give the gene sets once: --gmt, or GO via --ontology/--annotations/--id-map");
        }
        Ok(())
    }
}

/// Reads the ranking.
fn read_ranking(settings: &Settings) -> Result<(osteon_io::ranks::Ranks, RankingSource)> {
    let ranks = match (&settings.de, &settings.rnk) {
        (Some(path), _) => osteon_io::ranks::read_de_ranks(path, &settings.rank_column)?,
        (_, Some(path)) => osteon_io::ranks::read_rnk(path)?,
        _ => unreachable!("checked"),
    };
    let source = RankingSource {
        path: ranks.path.clone(),
        column: ranks.column.clone(),
        n_ranked: ranks.genes.len(),
        n_missing: ranks.missing.len(),
    };
    Ok((ranks, source))
}

/// Reads a GMT file into kernel gene sets.
fn gmt_sets(path: &Path) -> Result<(Vec<GeneSet>, SetSource)> {
    let gmt = osteon_io::gmt::read_gmt(path)?;
    let source = SetSource {
        kind: "gmt".into(),
        files: vec![(
            path.display().to_string(),
            Some(osteon_io::sha256_file(path)?),
        )],
        n_sets: gmt.sets.len(),
        empty_sets: gmt.empty_sets().map(|s| s.name.clone()).collect(),
        collapsed_duplicates: gmt.collapsed_duplicates(),
        go_release: None,
        annotation_source: None,
        mapping: None,
    };
    let sets = gmt
        .sets
        .into_iter()
        .map(|s| GeneSet {
            name: s.name,
            description: s.description,
            genes: s.genes,
        })
        .collect();
    Ok((sets, source))
}

/// fgsea's warnings, worded as fgsea words them, for what applied.
fn warnings(result: &Prerank) -> Vec<String> {
    let mut out = Vec::new();
    if result.ties.tied > 0 {
        out.push(format!(
            "There are ties in the preranked stats ({}% of the list). Tied genes keep their input order (fgsea: \"The order of those tied genes will be arbitrary, which may produce unexpected results.\")",
            result.ties.percent
        ));
    }
    if result.all_positive {
        out.push("All values in the stats vector are greater than zero and scoreType is \"std\", maybe you should switch to scoreType = \"pos\" (--score-type pos).".into());
    }
    let unbalanced = result.n_unbalanced();
    if unbalanced > 0 {
        out.push(format!(
            "There were {unbalanced} pathways for which P-values were not calculated properly due to unbalanced (positive and negative) gene-level statistic values. For such pathways pval, padj, NES, log2err are set to NA. You can try to increase the value of nPermSimple (for example --n-perm-simple {}).",
            result.options.n_perm_simple * 10
        ));
    }
    if result.n_at_eps() > 0 {
        out.push(format!(
            "For {} pathways, in reality P-values are less than {}. You can set --eps 0 for better estimation.",
            result.n_at_eps(),
            result.options.eps
        ));
    }
    out
}

/// Validates, reads, computes and writes the tables into `dir`.
pub fn execute(settings: &Settings, dir: &Path, progress: &StderrProgress) -> Result<Outcome> {
    settings.check()?;
    let options = settings.options()?;
    progress.message("reading the ranking and the gene sets");
    let (ranks, ranking) = read_ranking(settings)?;
    let (sets, set_source, mapping_rows) = match &settings.gmt {
        Some(path) => {
            let (sets, source) = gmt_sets(path)?;
            (sets, source, None)
        }
        None => {
            let go = go::gene_sets(settings, &ranks.genes)?;
            (go.sets, go.source, Some(go.mapping_rows))
        }
    };
    progress.message(&format!(
        "GSEA of {} gene sets on {} ranked genes (fgsea multilevel, seed {})",
        sets.len(),
        ranks.genes.len(),
        settings.seed
    ));
    let analysis = prerank(&ranks.genes, &ranks.scores, &sets, &options).map_err(|e| {
        anyhow::anyhow!(
            "{e} (ranking: {}; gene sets: {})",
            ranks.path.display(),
            set_source
                .files
                .first()
                .map(|f| f.0.as_str())
                .unwrap_or("GO")
        )
    })?;
    let warnings = warnings(&analysis);
    for w in &warnings {
        progress.message(&format!("warning: {w}"));
    }

    write_results(&dir.join("gsea.tsv"), &analysis.results)?;
    write_gene_sets(&dir.join("gene_sets.tsv"), &sets, &analysis)?;
    write_ranking(&dir.join("ranking.tsv"), &analysis)?;
    if let Some(rows) = &mapping_rows {
        go::write_mapping(&dir.join("id_mapping.tsv"), rows)?;
    }

    let curves = analysis
        .results
        .iter()
        .filter(|r| !r.pval.is_nan())
        .take(settings.plot_top)
        .map(|r| Curve {
            pathway: r.pathway.clone(),
            description: r.description.clone(),
            es: r.es,
            nes: r.nes,
            padj: r.padj,
            hits: r.hits.clone(),
            running_sum: analysis.running_sum(r),
        })
        .collect();
    Ok(Outcome {
        analysis,
        curves,
        ranking,
        sets: set_source,
        warnings,
    })
}

/// `gsea.tsv` with fgsea's column names.
pub fn write_results(path: &Path, results: &[SetResult]) -> Result<()> {
    let mut w = TsvWriter::create(path)?;
    w.text_row(&[
        "pathway",
        "pval",
        "padj",
        "log2err",
        "ES",
        "NES",
        "size",
        "leadingEdge",
    ])?;
    for r in results {
        w.text(&r.pathway);
        w.number(r.pval);
        w.number(r.padj);
        w.number(r.log2err);
        w.number(r.es);
        w.number(r.nes);
        w.number(r.size as f64);
        w.text(&r.leading_edge.join("/"));
        w.end_row()?;
    }
    w.finish()?;
    Ok(())
}

fn write_gene_sets(path: &Path, sets: &[GeneSet], analysis: &Prerank) -> Result<()> {
    let tested: HashMap<&str, usize> = analysis
        .results
        .iter()
        .map(|r| (r.pathway.as_str(), r.size))
        .collect();
    let skipped: HashMap<&str, (usize, SkipReason)> = analysis
        .skipped
        .iter()
        .map(|s| (s.name.as_str(), (s.size, s.reason)))
        .collect();
    let mut w = TsvWriter::create(path)?;
    w.text_row(&["pathway", "description", "listed", "size", "status"])?;
    for set in sets {
        let (size, status) = match (
            tested.get(set.name.as_str()),
            skipped.get(set.name.as_str()),
        ) {
            (Some(&size), _) => (size, "tested"),
            (None, Some(&(size, SkipReason::TooSmall))) => (size, "too_small"),
            (None, Some(&(size, SkipReason::TooLarge))) => (size, "too_large"),
            (None, None) => (0, "too_small"),
        };
        w.text(&set.name);
        w.text(&set.description);
        w.number(set.genes.len() as f64);
        w.number(size as f64);
        w.text(status);
        w.end_row()?;
    }
    w.finish()?;
    Ok(())
}

fn write_ranking(path: &Path, analysis: &Prerank) -> Result<()> {
    let mut w = TsvWriter::create(path)?;
    w.text_row(&["rank", "gene", "score"])?;
    for (i, (gene, score)) in analysis.genes.iter().zip(&analysis.scores).enumerate() {
        w.number((i + 1) as f64);
        w.text(gene);
        w.number(*score);
        w.end_row()?;
    }
    w.finish()?;
    Ok(())
}

/// The `run.json` manifest.
fn manifest(settings: &Settings, outcome: &Outcome) -> Result<serde_json::Value> {
    let a = &outcome.analysis;
    let mut inputs = serde_json::Map::new();
    inputs.insert("ranking".into(), input_record(&outcome.ranking.path)?);
    let set_files: Vec<serde_json::Value> = outcome
        .sets
        .files
        .iter()
        .map(|(path, sha)| json!({ "path": path, "sha256": sha }))
        .collect();
    inputs.insert("gene_sets".into(), json!(set_files));
    let count = |m: PvalueMethod| a.results.iter().filter(|r| r.method == m).count();
    Ok(json!({
        "tool": "osteon",
        "version": env!("CARGO_PKG_VERSION"),
        "command": "gsea",
        "reference_implementation": "fgsea::fgseaMultilevel (fgsea >= 1.20; Korotkevich et al., bioRxiv 060012) as ported by GSEApy 1.3.1 (gseapy.prerank method='multilevel')",
        "inputs": inputs,
        "parameters": {
            "rank_column": outcome.ranking.column,
            "gene_sets": outcome.sets.kind,
            "namespace": settings.gmt.is_none().then_some(&settings.namespace),
            "relations": settings.gmt.is_none().then_some(&settings.relations),
            "min_size": settings.min_size,
            "max_size": settings.max_size,
            "gsea_param": settings.gsea_param,
            "score_type": a.options.score_type.name(),
            "sample_size": a.options.sample_size,
            "n_perm_simple": settings.n_perm_simple,
            "eps": settings.eps,
            "seed": settings.seed,
        },
        "go_release": outcome.sets.go_release,
        "annotation_source": outcome.sets.annotation_source,
        "ranking": {
            "genes_ranked": outcome.ranking.n_ranked,
            "rows_with_na_score_dropped": outcome.ranking.n_missing,
            "ties": a.ties.tied,
            "ties_percent": a.ties.percent,
        },
        "id_mapping": outcome.sets.mapping.as_ref().map(go::MappingSummary::to_json),
        "gene_sets": {
            "given": outcome.sets.n_sets,
            "empty_in_file": outcome.sets.empty_sets,
            "duplicate_genes_collapsed": outcome.sets.collapsed_duplicates,
            "tested": a.results.len(),
            "too_small": a.skipped.iter().filter(|s| s.reason == SkipReason::TooSmall).count(),
            "too_large": a.skipped.iter().filter(|s| s.reason == SkipReason::TooLarge).count(),
        },
        "pvalues": {
            "permutation": count(PvalueMethod::Permutation),
            "multilevel": count(PvalueMethod::Multilevel),
            "unbalanced": count(PvalueMethod::Unbalanced),
            "at_eps": a.n_at_eps(),
        },
        "warnings": outcome.warnings,
    }))
}

/// Runs `osteon gsea`.
pub fn run(args: Args) -> Result<()> {
    let progress = StderrProgress::new(args.quiet);
    crate::set_threads(args.threads)?;
    let out = OutputDir::create(&args.out)?;
    let outcome = execute(&args.settings, out.path(), &progress)?;
    write_manifest(out.path(), &manifest(&args.settings, &outcome)?)?;
    let final_path = out
        .commit()
        .with_context(|| format!("finishing {}", args.out.display()))?;
    progress.finish();
    let a = &outcome.analysis;
    let significant = a.results.iter().filter(|r| r.padj < 0.05).count();
    progress.message(&format!(
        "{} gene sets tested ({} skipped by size), {} with padj < 0.05; results in {}",
        a.results.len(),
        a.skipped.len(),
        significant,
        final_path.display()
    ));
    Ok(())
}
