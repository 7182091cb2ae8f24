//! Tables written by `osteon enrich`:
//!
//! * `enrichment.tsv` and `enrichment_simplified.tsv`, with
//!   clusterProfiler's column names `ID Description GeneRatio BgRatio
//!   RichFactor FoldEnrichment zScore pvalue p.adjust qvalue geneID Count`
//!   (`GeneRatio` = `k/n`, `BgRatio` = `K/N`, `geneID` = the list genes of
//!   the term as the user named them, joined by `/`, in list order);
//! * `enrichment_stats.tsv`: the counts behind each test and both
//!   adjustments (`ID k n K N pvalue p.adjust bonferroni qvalue eliminated`);
//! * `id_mapping.tsv`: every input id with its role, mapping status and
//!   gene.

use std::path::Path;

use anyhow::Result;
use osteon_enrich::{Counts, IdMapper, MapStatus, Ontology, OraTable};
use osteon_io::TsvWriter;

use super::input::MappedGenes;
use super::TermTable;

/// The clusterProfiler columns of the enrichment tables.
pub const ENRICHMENT_COLUMNS: [&str; 12] = [
    "ID",
    "Description",
    "GeneRatio",
    "BgRatio",
    "RichFactor",
    "FoldEnrichment",
    "zScore",
    "pvalue",
    "p.adjust",
    "qvalue",
    "geneID",
    "Count",
];

/// Resolves term ids, names and the user's gene ids.
pub(super) fn term_table(ontology: &Ontology, table: &OraTable, mapped: &MappedGenes) -> TermTable {
    TermTable {
        id: table
            .term
            .iter()
            .map(|&t| ontology.term(t).id.clone())
            .collect(),
        description: table
            .term
            .iter()
            .map(|&t| ontology.term(t).name.clone())
            .collect(),
        count: table.count.clone(),
        term_size: table.term_size.clone(),
        rich_factor: table.rich_factor.clone(),
        fold_enrichment: table.fold_enrichment.clone(),
        z_score: table.z_score.clone(),
        pvalue: table.pvalue.clone(),
        p_adjust: table.p_adjust.clone(),
        bonferroni: table.bonferroni.clone(),
        qvalue: table.qvalue.clone(),
        eliminated: table.eliminated.clone(),
        genes: table
            .genes
            .iter()
            .map(|genes| {
                genes
                    .iter()
                    .map(|g| mapped.user_id.get(g).cloned().unwrap_or_default())
                    .collect()
            })
            .collect(),
    }
}

/// Writes an enrichment table with clusterProfiler's columns.
pub(super) fn write_enrichment(path: &Path, t: &TermTable, counts: &Counts) -> Result<()> {
    let mut w = TsvWriter::create(path)?;
    w.text_row(&ENRICHMENT_COLUMNS)?;
    for r in 0..t.id.len() {
        w.text(&t.id[r]);
        w.text(&t.description[r]);
        w.text(&format!("{}/{}", t.count[r], counts.list_size));
        w.text(&format!("{}/{}", t.term_size[r], counts.universe_size));
        w.number(t.rich_factor[r]);
        w.number(t.fold_enrichment[r]);
        w.number(t.z_score[r]);
        w.number(t.pvalue[r]);
        w.number(t.p_adjust[r]);
        w.number(t.qvalue[r]);
        w.text(&t.genes[r].join("/"));
        w.number(t.count[r] as f64);
        w.end_row()?;
    }
    w.finish()?;
    Ok(())
}

/// Writes the counts and adjustments behind every test.
pub(super) fn write_statistics(path: &Path, t: &TermTable, counts: &Counts) -> Result<()> {
    let mut w = TsvWriter::create(path)?;
    w.text_row(&[
        "ID",
        "k",
        "n",
        "K",
        "N",
        "pvalue",
        "p.adjust",
        "bonferroni",
        "qvalue",
        "eliminated",
    ])?;
    for r in 0..t.id.len() {
        w.text(&t.id[r]);
        w.number(t.count[r] as f64);
        w.number(counts.list_size as f64);
        w.number(t.term_size[r] as f64);
        w.number(counts.universe_size as f64);
        w.number(t.pvalue[r]);
        w.number(t.p_adjust[r]);
        w.number(t.bonferroni[r]);
        w.number(t.qvalue[r]);
        w.number(t.eliminated[r] as f64);
        w.end_row()?;
    }
    w.finish()?;
    Ok(())
}

/// Writes every input id with its mapping.
pub(super) fn write_id_mapping(path: &Path, mapped: &MappedGenes, mapper: &IdMapper) -> Result<()> {
    let mut w = TsvWriter::create(path)?;
    w.text_row(&[
        "input",
        "role",
        "status",
        "matched_by",
        "gene",
        "symbol",
        "note",
        "source",
        "line",
    ])?;
    let describe = |gene: u32| {
        let symbol = mapper.symbol(gene);
        if symbol.is_empty() {
            mapper.gene_id(gene).to_string()
        } else {
            format!("{} ({symbol})", mapper.gene_id(gene))
        }
    };
    for row in &mapped.rows {
        w.text(&row.id);
        w.text(row.role);
        w.text(row.status.label());
        let (by, gene, note) = match &row.status {
            MapStatus::Mapped { gene, by } => (by.label(), Some(*gene), String::new()),
            MapStatus::Duplicate { gene, by, .. } => (
                by.label(),
                Some(*gene),
                format!(
                    "same gene as {}; counted once",
                    row.first.as_deref().unwrap_or("an earlier id")
                ),
            ),
            MapStatus::Ambiguous { by, candidates } => {
                let names: Vec<String> = candidates.iter().map(|&g| describe(g)).collect();
                (
                    by.label(),
                    None,
                    format!("matches {}; not used", names.join(", ")),
                )
            }
            MapStatus::Unmapped => ("", None, "no gene with this id, symbol or alias".into()),
        };
        w.text(by);
        w.text(gene.map_or("", |g| mapper.gene_id(g)));
        w.text(gene.map_or("", |g| mapper.symbol(g)));
        w.text(&note);
        w.text(&row.source);
        w.number(row.line as f64);
        w.end_row()?;
    }
    w.finish()?;
    Ok(())
}
