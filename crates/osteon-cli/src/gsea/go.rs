//! GO gene sets for `osteon gsea`: reads the ontology, annotations and gene-id
//! table (given files or the bundled human snapshot), propagates the
//! annotations with `osteon_enrich::term_gene_sets`, and maps the ranked ids
//! (Ensembl with or without version, Entrez, symbols, aliases) onto the
//! annotation genes with `osteon_enrich::IdMapper`, so that each GO term
//! becomes a set of *ranked* ids. Every ranked id stays in the ranking; how
//! each one mapped is written to `id_mapping.tsv` and counted in `run.json`.
//!
//! The files are read by `osteon enrich`'s loader
//! ([`crate::enrich::load_go_data`]), so both commands see the same GO data.

use anyhow::{anyhow, Result};
use osteon_enrich::gsea::GeneSet;
use osteon_enrich::{
    term_gene_sets, AnnotationOptions, Annotations, IdMapper, MapStatus, Namespace, Ontology,
    RelationSet,
};
use osteon_io::TsvWriter;
use serde_json::json;
use std::collections::HashMap;
use std::path::Path;

use super::{SetSource, Settings};
use crate::bundled;
use crate::enrich::input::IdTable;
use crate::enrich::{load_go_data, GoData, GoFiles};

/// How the ranked ids mapped onto the annotation genes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingSummary {
    pub ranked: usize,
    pub mapped: usize,
    pub duplicate: usize,
    pub ambiguous: usize,
    pub unmapped: usize,
}

impl MappingSummary {
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "ranked_ids": self.ranked,
            "mapped": self.mapped,
            "duplicate": self.duplicate,
            "ambiguous": self.ambiguous,
            "unmapped": self.unmapped,
        })
    }
}

/// One row of `id_mapping.tsv`.
#[derive(Debug, Clone)]
pub struct MappingRow {
    pub input: String,
    pub status: &'static str,
    pub gene_id: String,
    pub symbol: String,
    pub matched_by: String,
}

/// GO terms as gene sets of ranked ids.
pub struct GoSets {
    pub sets: Vec<GeneSet>,
    pub source: SetSource,
    pub mapping_rows: Vec<MappingRow>,
}

/// Ontology, annotations and gene records from the settings' files, loaded
/// by the loader `osteon enrich` uses (the bundled human snapshot for any
/// file not given; the bundled gene table whenever no `--id-map` is given).
fn load_go(settings: &Settings) -> Result<(Ontology, Annotations, IdTable, SetSource)> {
    let files = GoFiles {
        ontology: settings.ontology.as_deref(),
        annotations: settings.annotations.as_deref(),
        id_map: settings.id_map.as_deref(),
        bundled_id_map: true,
    };
    let GoData {
        obo,
        gaf,
        ontology,
        annotations,
        gene_ids,
        ..
    } = load_go_data(files, &AnnotationOptions::default())?;
    let gene_records = IdTable(gene_ids.wait()?);
    let bundled_all =
        settings.ontology.is_none() && settings.annotations.is_none() && settings.id_map.is_none();
    let source = SetSource {
        kind: String::new(),
        files: files.digests()?,
        n_sets: 0,
        empty_sets: Vec::new(),
        collapsed_duplicates: 0,
        go_release: if bundled_all {
            Some(bundled::go_release().to_string())
        } else {
            obo.data_version.clone().or_else(|| obo.date.clone())
        },
        annotation_source: if bundled_all {
            Some(bundled::annotation_source().to_string())
        } else {
            gaf.header_value("date-generated")
                .or_else(|| gaf.header_value("generated-by"))
                .map(str::to_string)
        },
        mapping: None,
    };
    Ok((ontology, annotations, gene_records, source))
}

/// GO terms of `settings.namespace` as sets of the ranked ids `ranked`.
pub fn gene_sets(settings: &Settings, ranked: &[String]) -> Result<GoSets> {
    let namespace: Namespace = settings
        .namespace
        .parse()
        .map_err(|e| anyhow!("--namespace {}: {e}", settings.namespace))?;
    let relations: RelationSet = settings
        .relations
        .parse()
        .map_err(|e| anyhow!("--relations {}: {e}", settings.relations))?;
    let (ontology, annotations, records, mut source) = load_go(settings)?;
    let mapper = IdMapper::new(&annotations, records);
    let mapping = mapper.map(ranked);

    // Annotation gene id -> the ranked id that claimed it.
    let mut ranked_of: HashMap<&str, &str> = HashMap::new();
    let mut rows = Vec::with_capacity(ranked.len());
    for (input, status) in ranked.iter().zip(&mapping.status) {
        let (gene, by) = match status {
            MapStatus::Mapped { gene, by } | MapStatus::Duplicate { gene, by, .. } => {
                (Some(*gene), by.label().to_string())
            }
            MapStatus::Ambiguous { by, .. } => (None, by.label().to_string()),
            MapStatus::Unmapped => (None, String::new()),
        };
        if let MapStatus::Mapped { gene, .. } = status {
            ranked_of.insert(mapper.gene_id(*gene), input.as_str());
        }
        rows.push(MappingRow {
            input: input.clone(),
            status: status.label(),
            gene_id: gene
                .map(|g| mapper.gene_id(g).to_string())
                .unwrap_or_default(),
            symbol: gene
                .map(|g| mapper.symbol(g).to_string())
                .unwrap_or_default(),
            matched_by: by,
        });
    }
    let sets: Vec<GeneSet> = term_gene_sets(&ontology, &annotations, namespace, relations)
        .into_iter()
        .map(|t| GeneSet {
            genes: t
                .genes
                .iter()
                .filter_map(|g| ranked_of.get(g.as_str()).map(|r| r.to_string()))
                .collect(),
            name: t.id,
            description: t.name,
        })
        .collect();
    source.kind = format!("GO {} ({relations})", namespace.code());
    source.n_sets = sets.len();
    source.mapping = Some(MappingSummary {
        ranked: ranked.len(),
        mapped: mapping.n_mapped(),
        duplicate: mapping.n_duplicate(),
        ambiguous: mapping.n_ambiguous(),
        unmapped: mapping.n_unmapped(),
    });
    Ok(GoSets {
        sets,
        source,
        mapping_rows: rows,
    })
}

/// Writes `id_mapping.tsv`: `input status gene_id symbol matched_by`.
pub fn write_mapping(path: &Path, rows: &[MappingRow]) -> Result<()> {
    let mut w = TsvWriter::create(path)?;
    w.text_row(&["input", "status", "gene_id", "symbol", "matched_by"])?;
    for r in rows {
        w.text_row(&[&r.input, r.status, &r.gene_id, &r.symbol, &r.matched_by])?;
    }
    w.finish()?;
    Ok(())
}
