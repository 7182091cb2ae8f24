//! Inputs of `osteon enrich`: the GO data (ontology, annotations, gene-id
//! table), the gene list and universe, and their mapping onto annotation
//! genes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Result};
use osteon_enrich::{
    AnnotationGene, AnnotationInput, AnnotationLink, AnnotationOptions, AnnotationReport,
    Annotations, GeneTable, IdMapper, IdMapping, MapStatus, Ontology, TermRecord,
};
use osteon_io::gaf::GafDocument;
use osteon_io::gene_ids::{GeneIdTable, GeneList};
use osteon_io::obo::OboDocument;

use super::{Direction, MappingCounts, Provenance, Settings};
use crate::progress::StderrProgress;

/// The ontology, annotations and gene-id table of one analysis.
#[derive(Debug)]
pub struct GoData {
    /// The OBO header (its terms are moved into `ontology`).
    pub obo: OboDocument,
    /// The ontology built from the OBO terms.
    pub ontology: Ontology,
    /// The GAF header, term ids and evidence codes (its genes are moved
    /// into `annotations`).
    pub gaf: GafDocument,
    /// The annotations resolved against the ontology.
    pub annotations: Annotations,
    /// What resolving the annotations dropped or excluded.
    pub annotation_report: AnnotationReport,
    /// The identifier table (when one was given), possibly still being read.
    pub gene_ids: PendingGeneIds,
}

/// The gene-id table, read on its own thread while the caller goes on with
/// what needs only the ontology and annotations (propagation).
#[derive(Debug)]
pub enum PendingGeneIds {
    Ready(Result<Option<GeneIdTable>>),
    Reading(std::thread::JoinHandle<Result<Option<GeneIdTable>>>),
}

impl PendingGeneIds {
    /// Waits for the table.
    pub fn wait(self) -> Result<Option<GeneIdTable>> {
        match self {
            PendingGeneIds::Ready(table) => table,
            PendingGeneIds::Reading(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        }
    }
}

/// The GO files of an analysis; `None` means the bundled human snapshot.
#[derive(Debug, Clone, Copy)]
pub struct GoFiles<'a> {
    pub ontology: Option<&'a Path>,
    pub annotations: Option<&'a Path>,
    pub id_map: Option<&'a Path>,
    /// Use the bundled human gene table when `id_map` is `None`.
    pub bundled_id_map: bool,
}

impl<'a> GoFiles<'a> {
    /// The rule of `osteon enrich`: the bundled gene table goes with the
    /// bundled annotations (its ids are the GAF's Entrez ids); with a GAF of
    /// one's own, only an explicit `--id-map` is used.
    pub fn of_enrich(settings: &'a Settings) -> Self {
        GoFiles {
            ontology: settings.ontology.as_deref(),
            annotations: settings.annotations.as_deref(),
            id_map: settings.id_map.as_deref(),
            bundled_id_map: settings.annotations.is_none(),
        }
    }

    /// `(name, SHA-256)` of each file read; bundled files are named
    /// `<bundled>/…` and carry no digest (the binary pins them).
    pub fn digests(&self) -> Result<Vec<(String, Option<String>)>> {
        let one = |path: Option<&Path>, bundled_name: &str| -> Result<(String, Option<String>)> {
            Ok(match path {
                Some(p) => (p.display().to_string(), Some(osteon_io::sha256_file(p)?)),
                None => (bundled_name.to_string(), None),
            })
        };
        let mut out = vec![
            one(self.ontology, crate::bundled::GO_OBO_NAME)?,
            one(self.annotations, crate::bundled::HUMAN_GAF_NAME)?,
        ];
        if self.id_map.is_some() || self.bundled_id_map {
            out.push(one(self.id_map, crate::bundled::HUMAN_GENES_NAME)?);
        }
        Ok(out)
    }
}

/// ===== DEFAULT GO DATA: the single place where omitted GO inputs are
/// resolved (`osteon enrich` and `osteon gsea` both load through it). =====
///
/// Reads the ontology, annotations and gene-id table in parallel and
/// resolves the annotations against the ontology (with `options`).
/// An omitted ontology or annotation file means the bundled human GO
/// snapshot (`data/go/`, embedded in the binary); an omitted gene-id table
/// means the bundled one when `files.bundled_id_map`, else none.
///
/// The work is a small dataflow: the annotation file (the largest) is read
/// on this thread; the ontology is read and its DAG built on another, which
/// then starts the gene-id table's read on a thread of its own (returned
/// pending, so that propagation can start before it ends); whichever of the
/// annotation read and the DAG finishes last resolves the annotations. No
/// thread ever waits for another, and with one thread allowed every step
/// runs in sequence on it.
pub fn load_go_data(files: GoFiles, options: &AnnotationOptions) -> Result<GoData> {
    use crate::bundled;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    type Resolved = (Annotations, AnnotationReport);
    let gaf_slot: Mutex<Option<Result<GafDocument>>> = Mutex::new(None);
    let ontology_slot: Mutex<Option<Result<(OboDocument, Ontology)>>> = Mutex::new(None);
    let resolved_slot: Mutex<Option<Resolved>> = Mutex::new(None);
    let ids_slot: Mutex<Option<PendingGeneIds>> = Mutex::new(None);
    // The jobs the annotation resolution still waits for (GAF; OBO + DAG).
    let awaited = AtomicUsize::new(2);
    fn fill<T>(slot: &Mutex<Option<T>>, value: T) {
        *slot.lock().expect("no thread panicked holding a slot") = Some(value);
    }
    fn take<T>(slot: Mutex<Option<T>>) -> T {
        slot.into_inner()
            .expect("no thread panicked holding a slot")
            .expect("every job of the load ran")
    }
    // Runs once, on the thread that finished the last of the annotation read
    // and the DAG: resolves the annotations against the DAG.
    let resolve = || {
        let mut gaf = gaf_slot.lock().expect("no thread panicked holding a slot");
        let ontology = ontology_slot
            .lock()
            .expect("no thread panicked holding a slot");
        if let (Some(Ok(gaf)), Some(Ok((_, ontology)))) = (gaf.as_mut(), ontology.as_ref()) {
            let (genes, links) = annotation_tables(gaf);
            let resolved = Annotations::build(
                ontology,
                AnnotationInput {
                    genes: &genes,
                    term_ids: &gaf.terms,
                    evidence_codes: &gaf.evidence_codes,
                    links: &links,
                },
                options,
            );
            fill(&resolved_slot, resolved);
        }
    };
    let read_done = || {
        if awaited.fetch_sub(1, Ordering::AcqRel) == 1 {
            resolve();
        }
    };
    let use_bundled_ids = files.id_map.is_none() && files.bundled_id_map;
    rayon::scope(|scope| {
        scope.spawn(|_| {
            let obo = match files.ontology {
                Some(path) => osteon_io::obo::read_obo(path),
                None => {
                    osteon_io::obo::parse_obo(bundled::GO_OBO_GZ, Path::new(bundled::GO_OBO_NAME))
                }
            };
            fill(
                &ontology_slot,
                obo.map_err(Into::into).and_then(with_ontology),
            );
            read_done();
            let id_map = files.id_map.map(Path::to_path_buf);
            let read_ids = move || match id_map {
                Some(path) => osteon_io::gene_ids::read_gene_ids(path)
                    .map(Some)
                    .map_err(Into::into),
                None if use_bundled_ids => {
                    bundled::gunzip(bundled::HUMAN_GENES_GZ, bundled::HUMAN_GENES_NAME).and_then(
                        |bytes| {
                            Ok(Some(osteon_io::gene_ids::parse_gene_ids(
                                &bytes,
                                Path::new(bundled::HUMAN_GENES_NAME),
                            )?))
                        },
                    )
                }
                None => Ok(None),
            };
            // Its own thread, so that this load (and with it propagation)
            // need not wait for it; read here when only one thread is
            // allowed.
            let ids = if rayon::current_num_threads() > 1 {
                PendingGeneIds::Reading(std::thread::spawn(read_ids))
            } else {
                PendingGeneIds::Ready(read_ids())
            };
            fill(&ids_slot, ids);
        });
        let gaf = match files.annotations {
            Some(path) => osteon_io::gaf::read_gaf(path),
            None => {
                osteon_io::gaf::parse_gaf(bundled::HUMAN_GAF_GZ, Path::new(bundled::HUMAN_GAF_NAME))
            }
        };
        fill(&gaf_slot, gaf.map_err(Into::into));
        read_done();
    });
    let gaf = take(gaf_slot)?;
    let (obo, ontology) = take(ontology_slot)?;
    let gene_ids = take(ids_slot);
    let (annotations, annotation_report) = take(resolved_slot);
    Ok(GoData {
        obo,
        ontology,
        gaf,
        annotations,
        annotation_report,
        gene_ids,
    })
}

/// Builds the ontology DAG from an OBO document, moving its terms out (the
/// returned document keeps the header).
pub fn with_ontology(mut obo: OboDocument) -> Result<(OboDocument, Ontology)> {
    let records: Vec<TermRecord> = std::mem::take(&mut obo.terms)
        .into_iter()
        .map(|term| TermRecord {
            id: term.id,
            name: term.name,
            namespace: term.namespace,
            alt_ids: term.alt_ids,
            is_a: term.is_a,
            relationships: term.relationships,
            is_obsolete: term.is_obsolete,
            replaced_by: term.replaced_by,
        })
        .collect();
    let ontology = Ontology::build(records).map_err(|e| anyhow!("{}: {e}", obo.path.display()))?;
    Ok((obo, ontology))
}

/// The GO release and annotation date recorded with the results.
pub(super) fn provenance(obo: &OboDocument, gaf: &GafDocument) -> Provenance {
    Provenance {
        go_release: obo.data_version.clone(),
        ontology_date: obo.date.clone(),
        gaf_version: gaf.version.clone(),
        annotation_date: gaf.header_value("date-generated").map(str::to_string),
        annotation_generated_by: gaf.header_value("generated-by").map(str::to_string),
        annotation_header: gaf.header.clone(),
    }
}

/// The annotation genes and links of a GAF document (the genes are moved
/// out of the document; its header, terms and evidence codes stay).
fn annotation_tables(gaf: &mut GafDocument) -> (Vec<AnnotationGene>, Vec<AnnotationLink>) {
    let genes = std::mem::take(&mut gaf.genes)
        .into_iter()
        .map(|g| AnnotationGene {
            id: g.id,
            symbol: g.symbol,
            synonyms: g.synonyms,
        })
        .collect();
    let links = gaf
        .annotations
        .iter()
        .map(|a| AnnotationLink {
            gene: a.gene,
            term: a.term,
            evidence: a.evidence,
        })
        .collect();
    (genes, links)
}

/// The identifier table (if any) as the ID mapper reads it, straight from
/// the parsed table's compact storage.
pub(crate) struct IdTable(pub Option<GeneIdTable>);

impl IdTable {
    fn row(&self, row: usize) -> osteon_io::gene_ids::GeneIdRow<'_> {
        self.0
            .as_ref()
            .expect("rows are only asked of a table that has them")
            .row(row)
    }
}

impl GeneTable for IdTable {
    fn n_rows(&self) -> usize {
        self.0.as_ref().map_or(0, GeneIdTable::len)
    }
    fn entrez(&self, row: usize) -> &str {
        self.row(row).entrez()
    }
    fn symbol(&self, row: usize) -> &str {
        self.row(row).symbol()
    }
    fn n_ensembl(&self, row: usize) -> usize {
        self.row(row).ensembl().len()
    }
    fn ensembl(&self, row: usize, k: usize) -> &str {
        self.row(row).ensembl().get(k)
    }
    fn n_aliases(&self, row: usize) -> usize {
        self.row(row).aliases().len()
    }
    fn alias(&self, row: usize, k: usize) -> &str {
        self.row(row).aliases().get(k)
    }
}

/// Up to five keys of a map, for messages.
fn examples<'a>(keys: impl Iterator<Item = &'a String>) -> String {
    let shown: Vec<&str> = keys.take(5).map(String::as_str).collect();
    shown.join(", ")
}

/// Prints notes about annotation lines that were not used as written.
pub(super) fn report_annotations(
    report: &AnnotationReport,
    obo: &OboDocument,
    gaf_document: &GafDocument,
    progress: &StderrProgress,
) {
    let not_qualified = gaf_document.not_qualified;
    let gaf = gaf_document.path.display();
    if not_qualified > 0 {
        progress.message(&format!(
            "note: {gaf}: {not_qualified} annotation lines with a NOT qualifier were excluded"
        ));
    }
    if !report.excluded_by_evidence.is_empty() {
        let parts: Vec<String> = report
            .excluded_by_evidence
            .iter()
            .map(|(code, n)| format!("{code} {n}"))
            .collect();
        progress.message(&format!(
            "note: {gaf}: annotation lines excluded by evidence code: {}",
            parts.join(", ")
        ));
    }
    if !report.unknown_terms.is_empty() {
        progress.message(&format!(
            "note: {gaf}: {} annotation lines name {} GO ids that {} does not define (e.g. {}); they were not used (listed in run.json)",
            report.n_unknown(),
            report.unknown_terms.len(),
            obo.path.display(),
            examples(report.unknown_terms.keys())
        ));
    }
    if !report.alt_ids_resolved.is_empty() {
        progress.message(&format!(
            "note: {gaf}: {} GO ids are alternative ids, counted under their primary term (e.g. {})",
            report.alt_ids_resolved.len(),
            examples(report.alt_ids_resolved.keys())
        ));
    }
    if !report.obsolete_replaced.is_empty() {
        progress.message(&format!(
            "note: {gaf}: {} obsolete GO ids were replaced by their replaced_by term (e.g. {})",
            report.obsolete_replaced.len(),
            examples(report.obsolete_replaced.keys())
        ));
    }
    if !report.obsolete_dropped.is_empty() {
        progress.message(&format!(
            "note: {gaf}: {} annotation lines name {} obsolete GO ids without a single replacement; they were not used (e.g. {})",
            report.n_obsolete_dropped(),
            report.obsolete_dropped.len(),
            examples(report.obsolete_dropped.keys())
        ));
    }
}

/// The genes to test, as read.
pub(super) enum GeneInput {
    /// A DE results table.
    De {
        path: PathBuf,
        ids: Vec<String>,
        lines: Vec<usize>,
        /// Per row: has a padj (universe).
        in_universe: Vec<bool>,
        /// Per row: in the list.
        in_list: Vec<bool>,
        list_description: String,
        universe_description: String,
    },
    /// Plain lists.
    Lists {
        list: GeneList,
        universe: Option<GeneList>,
    },
}

impl GeneInput {
    /// The file the list comes from, for error messages.
    pub(super) fn source_label(&self) -> String {
        match self {
            GeneInput::De { path, .. } => path.display().to_string(),
            GeneInput::Lists { list, .. } => list.path.display().to_string(),
        }
    }
}

/// Reads the DE table or the gene lists.
pub(super) fn read_genes(settings: &Settings) -> Result<GeneInput> {
    if let Some(path) = &settings.de {
        return read_de(path, settings);
    }
    let path = settings.genes.as_ref().expect("checked by plan()");
    let list = osteon_io::gene_ids::read_gene_list(path)?;
    if list.ids.is_empty() {
        bail!(
            "{}: the gene list is empty (no identifiers found)",
            path.display()
        );
    }
    let universe = match &settings.universe {
        Some(path) => {
            let universe = osteon_io::gene_ids::read_gene_list(path)?;
            if universe.ids.is_empty() {
                bail!(
                    "{}: the universe list is empty (no identifiers found)",
                    path.display()
                );
            }
            Some(universe)
        }
        None => None,
    };
    Ok(GeneInput::Lists { list, universe })
}

fn read_de(path: &Path, settings: &Settings) -> Result<GeneInput> {
    let table = osteon_io::read_long_table(path)?;
    let gene_column = match &settings.gene_column {
        Some(name) => table.column_index(name)?,
        None => table.columns.iter().position(|c| c == "gene").unwrap_or(0),
    };
    let padj = table.number_column("padj")?;
    let lfc = if settings.direction == Direction::Both {
        vec![None; table.n_rows()]
    } else {
        table.number_column("log2FoldChange")?
    };
    let mut ids = Vec::with_capacity(table.n_rows());
    for row in 0..table.n_rows() {
        match table.text(row, gene_column) {
            Some(id) => ids.push(id.to_string()),
            None => {
                return Err(table
                    .value_error(row, gene_column, "", "is empty; every row needs a gene id")
                    .into())
            }
        }
    }
    let in_universe: Vec<bool> = padj
        .iter()
        .map(|p| p.is_some_and(|p| !p.is_nan()))
        .collect();
    let in_list: Vec<bool> = (0..table.n_rows())
        .map(|r| {
            let significant = padj[r].is_some_and(|p| p < settings.padj);
            significant
                && match settings.direction {
                    Direction::Both => true,
                    Direction::Up => lfc[r].is_some_and(|l| l > 0.0),
                    Direction::Down => lfc[r].is_some_and(|l| l < 0.0),
                }
        })
        .collect();
    let n_universe = in_universe.iter().filter(|&&b| b).count();
    let n_list = in_list.iter().filter(|&&b| b).count();
    let sign = match settings.direction {
        Direction::Both => String::new(),
        Direction::Up => " and log2FoldChange > 0".into(),
        Direction::Down => " and log2FoldChange < 0".into(),
    };
    if n_universe == 0 {
        bail!(
            "{}: every padj is NA ({} rows); there is no universe to test against",
            path.display(),
            table.n_rows()
        );
    }
    if n_list == 0 {
        bail!(
            "{}: no gene has padj < {}{sign} (of {n_universe} genes with a padj); the gene list is empty",
            path.display(),
            settings.padj
        );
    }
    Ok(GeneInput::De {
        path: path.to_path_buf(),
        lines: table.lines.clone(),
        ids,
        in_universe,
        in_list,
        list_description: format!(
            "{n_list} genes with padj < {}{sign} in {} (--direction {})",
            settings.padj,
            path.display(),
            settings.direction.label()
        ),
        universe_description: format!(
            "the {n_universe} genes with a non-NA padj in {}",
            path.display()
        ),
    })
}

/// One input id and what became of it, for `id_mapping.tsv`.
#[derive(Debug, Clone)]
pub(super) struct MappingRow {
    pub id: String,
    pub role: &'static str,
    pub status: MapStatus,
    pub source: String,
    pub line: usize,
    /// For duplicates: the earlier input id of the same gene.
    pub first: Option<String>,
}

/// The mapped list and universe.
pub(super) struct MappedGenes {
    /// List genes (unified indices), in input order.
    pub list: Vec<u32>,
    /// Universe genes (unified indices).
    pub universe: Vec<u32>,
    /// The user's id of each list gene.
    pub user_id: HashMap<u32, String>,
    pub rows: Vec<MappingRow>,
    pub list_description: String,
    pub universe_description: String,
    pub list_counts: MappingCounts,
    pub universe_counts: Option<MappingCounts>,
}

fn gene_of(status: &MapStatus) -> Option<u32> {
    match status {
        MapStatus::Mapped { gene, .. } | MapStatus::Duplicate { gene, .. } => Some(*gene),
        _ => None,
    }
}

fn counts<'a>(statuses: impl Iterator<Item = &'a MapStatus>) -> MappingCounts {
    let mut c = MappingCounts::default();
    for s in statuses {
        c.inputs += 1;
        match s {
            MapStatus::Mapped { .. } => c.mapped += 1,
            MapStatus::Duplicate { .. } => c.duplicate += 1,
            MapStatus::Ambiguous { .. } => c.ambiguous += 1,
            MapStatus::Unmapped => c.unmapped += 1,
        }
    }
    c
}

fn mapping_words(c: &MappingCounts) -> String {
    format!(
        "{} ids: {} mapped, {} unmapped, {} ambiguous, {} duplicate",
        c.inputs, c.mapped, c.unmapped, c.ambiguous, c.duplicate
    )
}

/// Up to five unmapped ids, for messages.
fn unmapped_examples(mapping: &IdMapping, selected: impl Fn(usize) -> bool) -> String {
    let shown: Vec<&str> = mapping
        .status
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            selected(*i) && !matches!(s, MapStatus::Mapped { .. } | MapStatus::Duplicate { .. })
        })
        .take(5)
        .map(|(i, _)| mapping.inputs[i].as_str())
        .collect();
    shown.join(", ")
}

/// Maps the inputs; errors when no list id maps.
pub(super) fn map_genes(genes: &GeneInput, mapper: &IdMapper) -> Result<MappedGenes> {
    match genes {
        GeneInput::De {
            path,
            ids,
            lines,
            in_universe,
            in_list,
            list_description,
            universe_description,
        } => {
            let mapping = mapper.map(ids);
            let source = path.display().to_string();
            let mut list = Vec::new();
            let mut universe = Vec::new();
            let mut user_id: HashMap<u32, String> = HashMap::new();
            let mut in_universe_gene: HashMap<u32, ()> = HashMap::new();
            for (r, status) in mapping.status.iter().enumerate() {
                let Some(gene) = gene_of(status) else {
                    continue;
                };
                if in_list[r] && !user_id.contains_key(&gene) {
                    user_id.insert(gene, ids[r].clone());
                    list.push(gene);
                }
                if in_universe[r] && in_universe_gene.insert(gene, ()).is_none() {
                    universe.push(gene);
                }
            }
            let list_counts = counts(
                mapping
                    .status
                    .iter()
                    .enumerate()
                    .filter(|(r, _)| in_list[*r])
                    .map(|(_, s)| s),
            );
            let universe_counts = counts(
                mapping
                    .status
                    .iter()
                    .enumerate()
                    .filter(|(r, _)| in_universe[*r])
                    .map(|(_, s)| s),
            );
            if list.is_empty() {
                bail!(
                    "{source}: none of the {} list ids could be mapped to the annotation's genes (e.g. {}); check the id type and --id-map",
                    list_counts.inputs,
                    unmapped_examples(&mapping, |r| in_list[r])
                );
            }
            let rows = mapping
                .status
                .iter()
                .enumerate()
                .map(|(r, status)| MappingRow {
                    id: ids[r].clone(),
                    role: if in_list[r] {
                        "list"
                    } else if in_universe[r] {
                        "universe"
                    } else {
                        "excluded_padj_na"
                    },
                    status: status.clone(),
                    source: source.clone(),
                    line: lines[r],
                    first: match status {
                        MapStatus::Duplicate { first, .. } => Some(ids[*first].clone()),
                        _ => None,
                    },
                })
                .collect();
            Ok(MappedGenes {
                list,
                universe,
                user_id,
                rows,
                list_description: format!("{list_description}; {}", mapping_words(&list_counts)),
                universe_description: format!(
                    "{universe_description}; {}",
                    mapping_words(&universe_counts)
                ),
                list_counts,
                universe_counts: Some(universe_counts),
            })
        }
        GeneInput::Lists { list, universe } => {
            // One scan of the annotation for both groups.
            let (list_mapping, universe_mapping) = match universe {
                Some(u) => {
                    let mut mappings = mapper.map_groups(&[&list.ids, &u.ids]).into_iter();
                    (mappings.next().expect("list"), mappings.next())
                }
                None => (mapper.map(&list.ids), None),
            };
            let list_counts = counts(list_mapping.status.iter());
            let list_genes = list_mapping.genes();
            if list_genes.is_empty() {
                bail!(
                    "{}: none of the {} ids could be mapped to the annotation's genes (e.g. {}); check the id type and --id-map",
                    list.path.display(),
                    list.ids.len(),
                    unmapped_examples(&list_mapping, |_| true)
                );
            }
            let user_id: HashMap<u32, String> = list_mapping
                .input_of_gene()
                .into_iter()
                .map(|(gene, i)| (gene, list.ids[i].clone()))
                .collect();
            let mut rows = mapping_rows(list, &list_mapping, "list");
            let (universe_genes, universe_description, universe_counts) =
                match (universe, universe_mapping) {
                    (Some(universe), Some(mapping)) => {
                        let c = counts(mapping.status.iter());
                        rows.extend(mapping_rows(universe, &mapping, "universe"));
                        (
                            mapping.genes(),
                            format!(
                                "the ids of {}; {}",
                                universe.path.display(),
                                mapping_words(&c)
                            ),
                            Some(c),
                        )
                    }
                    _ => (
                        (0..mapper.n_annotation_genes() as u32).collect(),
                        format!(
                            "every gene of the annotation file ({} genes; no --universe given)",
                            mapper.n_annotation_genes()
                        ),
                        None,
                    ),
                };
            Ok(MappedGenes {
                list: list_genes,
                universe: universe_genes,
                user_id,
                rows,
                list_description: format!(
                    "the ids of {}; {}",
                    list.path.display(),
                    mapping_words(&list_counts)
                ),
                universe_description,
                list_counts,
                universe_counts,
            })
        }
    }
}

fn mapping_rows(list: &GeneList, mapping: &IdMapping, role: &'static str) -> Vec<MappingRow> {
    let source = list.path.display().to_string();
    mapping
        .status
        .iter()
        .enumerate()
        .map(|(i, status)| MappingRow {
            id: mapping.inputs[i].clone(),
            role,
            status: status.clone(),
            source: source.clone(),
            line: list.lines[i],
            first: match status {
                MapStatus::Duplicate { first, .. } => Some(mapping.inputs[*first].clone()),
                _ => None,
            },
        })
        .collect()
}
