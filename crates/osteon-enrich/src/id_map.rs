//! Mapping the user's gene identifiers onto annotation genes.
//!
//! The gene space is the annotation's objects (GAF column 2) plus every
//! gene of an optional identifier table (Entrez id, symbol, Ensembl ids,
//! aliases; e.g. exported from `org.Hs.eg.db`). A table row is the same gene
//! as an annotation object when its Entrez id is the object's id, or (for
//! annotation files keyed by other ids, such as UniProt) when exactly one
//! object carries its symbol; other rows are genes without annotations,
//! which still count in a universe under `--universe-policy all`.
//!
//! Each input id is trimmed, and an Ensembl id loses its version suffix
//! (`ENSG00000141510.17` → `ENSG00000141510`, also `.5_PAR_Y`). It is then
//! looked up in stages, stopping at the first stage that matches:
//! 1. gene id (annotation object id or Entrez id of the table);
//! 2. Ensembl id;
//! 3. official symbol, exact case;
//! 4. official symbol, ignoring case;
//! 5. alias (table aliases and GAF synonyms), ignoring case.
//!
//! One gene → **mapped**; several → **ambiguous** (the candidates are
//! listed; the input is not used, as guessing would silently change the
//! list); none → **unmapped**. An input mapping to a gene already claimed
//! by an earlier input is a **duplicate** (counted once). Every input gets
//! exactly one status, so nothing disappears silently. clusterProfiler's
//! `bitr` keeps one-to-many matches and drops unmapped ids with a warning;
//! here both are listed instead.

use std::collections::HashMap;

use crate::annotations::Annotations;
use crate::fast_hash::{fast_map, FastMap};

/// A gene identifier table as the mapper reads it: per row, an Entrez id,
/// an official symbol, Ensembl ids and aliases. Implemented for a vector of
/// [`GeneRecord`]s; a reader can implement it over its own compact storage
/// (the CLI does, over `osteon_io`'s table) so that nothing is copied.
pub trait GeneTable: Send + Sync {
    /// Number of rows.
    fn n_rows(&self) -> usize;
    /// Entrez (NCBI Gene) id of `row`.
    fn entrez(&self, row: usize) -> &str;
    /// Official symbol of `row` (may be empty).
    fn symbol(&self, row: usize) -> &str;
    /// Number of Ensembl ids of `row`.
    fn n_ensembl(&self, row: usize) -> usize;
    /// Ensembl id `k` of `row`.
    fn ensembl(&self, row: usize, k: usize) -> &str;
    /// Number of aliases of `row`.
    fn n_aliases(&self, row: usize) -> usize;
    /// Alias `k` of `row`.
    fn alias(&self, row: usize, k: usize) -> &str;
}

impl<T: GeneTable + ?Sized> GeneTable for &T {
    fn n_rows(&self) -> usize {
        (**self).n_rows()
    }
    fn entrez(&self, row: usize) -> &str {
        (**self).entrez(row)
    }
    fn symbol(&self, row: usize) -> &str {
        (**self).symbol(row)
    }
    fn n_ensembl(&self, row: usize) -> usize {
        (**self).n_ensembl(row)
    }
    fn ensembl(&self, row: usize, k: usize) -> &str {
        (**self).ensembl(row, k)
    }
    fn n_aliases(&self, row: usize) -> usize {
        (**self).n_aliases(row)
    }
    fn alias(&self, row: usize, k: usize) -> &str {
        (**self).alias(row, k)
    }
}

impl GeneTable for Vec<GeneRecord> {
    fn n_rows(&self) -> usize {
        self.len()
    }
    fn entrez(&self, row: usize) -> &str {
        &self[row].entrez
    }
    fn symbol(&self, row: usize) -> &str {
        &self[row].symbol
    }
    fn n_ensembl(&self, row: usize) -> usize {
        self[row].ensembl.len()
    }
    fn ensembl(&self, row: usize, k: usize) -> &str {
        &self[row].ensembl[k]
    }
    fn n_aliases(&self, row: usize) -> usize {
        self[row].aliases.len()
    }
    fn alias(&self, row: usize, k: usize) -> &str {
        &self[row].aliases[k]
    }
}

/// A row of a gene identifier table, owned.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GeneRecord {
    /// Entrez (NCBI Gene) id.
    pub entrez: String,
    /// Official symbol.
    pub symbol: String,
    /// Ensembl gene ids (without version).
    pub ensembl: Vec<String>,
    /// Alias symbols.
    pub aliases: Vec<String>,
}

/// The stage at which an input matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchedBy {
    /// Annotation object id or Entrez id.
    GeneId,
    /// Ensembl gene id (version stripped).
    Ensembl,
    /// Official symbol, exact.
    Symbol,
    /// Official symbol, ignoring case.
    SymbolIgnoringCase,
    /// Alias or synonym.
    Alias,
}

impl MatchedBy {
    /// A short label for tables (`gene_id`, `ensembl`, `symbol`,
    /// `symbol_case`, `alias`).
    pub fn label(self) -> &'static str {
        match self {
            MatchedBy::GeneId => "gene_id",
            MatchedBy::Ensembl => "ensembl",
            MatchedBy::Symbol => "symbol",
            MatchedBy::SymbolIgnoringCase => "symbol_case",
            MatchedBy::Alias => "alias",
        }
    }
}

/// The outcome for one input id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MapStatus {
    /// Mapped to one gene, first input to claim it.
    Mapped {
        /// Unified gene index.
        gene: u32,
        /// Matching stage.
        by: MatchedBy,
    },
    /// Mapped to a gene an earlier input already claimed.
    Duplicate {
        /// Unified gene index.
        gene: u32,
        /// Matching stage.
        by: MatchedBy,
        /// Index of the earlier input.
        first: usize,
    },
    /// Matched several genes at the first matching stage.
    Ambiguous {
        /// Matching stage.
        by: MatchedBy,
        /// Candidate genes (unified indices), ascending.
        candidates: Vec<u32>,
    },
    /// Matched nothing.
    Unmapped,
}

impl MapStatus {
    /// `mapped`, `duplicate`, `ambiguous` or `unmapped`.
    pub fn label(&self) -> &'static str {
        match self {
            MapStatus::Mapped { .. } => "mapped",
            MapStatus::Duplicate { .. } => "duplicate",
            MapStatus::Ambiguous { .. } => "ambiguous",
            MapStatus::Unmapped => "unmapped",
        }
    }
}

/// The mapping of a list of input ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdMapping {
    /// The inputs as given (trimmed).
    pub inputs: Vec<String>,
    /// One status per input.
    pub status: Vec<MapStatus>,
}

impl IdMapping {
    /// The distinct mapped genes, in input order.
    pub fn genes(&self) -> Vec<u32> {
        self.status
            .iter()
            .filter_map(|s| match s {
                MapStatus::Mapped { gene, .. } => Some(*gene),
                _ => None,
            })
            .collect()
    }

    /// For each mapped gene, the input that claimed it.
    pub fn input_of_gene(&self) -> HashMap<u32, usize> {
        self.status
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match s {
                MapStatus::Mapped { gene, .. } => Some((*gene, i)),
                _ => None,
            })
            .collect()
    }

    fn count(&self, label: &str) -> usize {
        self.status.iter().filter(|s| s.label() == label).count()
    }

    /// Inputs mapped (first claim of a gene).
    pub fn n_mapped(&self) -> usize {
        self.count("mapped")
    }

    /// Inputs repeating an already-claimed gene.
    pub fn n_duplicate(&self) -> usize {
        self.count("duplicate")
    }

    /// Inputs matching several genes.
    pub fn n_ambiguous(&self) -> usize {
        self.count("ambiguous")
    }

    /// Inputs matching nothing.
    pub fn n_unmapped(&self) -> usize {
        self.count("unmapped")
    }
}

/// Maps identifiers onto the unified gene space (annotation genes first,
/// with their annotation indices, then table-only genes).
///
/// Construction only links table rows to annotation genes; each call to
/// [`IdMapper::map`] then scans the annotation genes and table rows once,
/// collecting matches only for the keys its inputs ask for. Nothing is
/// copied from the table, so building a mapper for 77,000 genes and mapping
/// 15,000 ids takes a few tens of milliseconds.
pub struct IdMapper<'a> {
    annotations: &'a Annotations,
    /// The identifier table, owned or borrowed (`&T` is a table too).
    table: Box<dyn GeneTable + 'a>,
    /// Unified gene of each table row.
    row_gene: Vec<u32>,
    /// Table row of each unified gene beyond the annotation genes.
    extra_rows: Vec<u32>,
}

/// Removes an Ensembl version suffix (`ENSG00000141510.17` →
/// `ENSG00000141510`); other ids are returned unchanged.
///
/// ```
/// use osteon_enrich::id_map::strip_ensembl_version;
/// assert_eq!(strip_ensembl_version("ENSG00000141510.17"), "ENSG00000141510");
/// assert_eq!(strip_ensembl_version("ENSG00000002586.20_PAR_Y"), "ENSG00000002586");
/// assert_eq!(strip_ensembl_version("ENSMUSG00000059552"), "ENSMUSG00000059552");
/// assert_eq!(strip_ensembl_version("HLA-A.1"), "HLA-A.1");
/// ```
pub fn strip_ensembl_version(id: &str) -> &str {
    if !id.starts_with("ENS") {
        return id;
    }
    match id.split_once('.') {
        Some((stem, suffix))
            if stem.bytes().all(|b| b.is_ascii_alphanumeric())
                && suffix.bytes().next().is_some_and(|b| b.is_ascii_digit()) =>
        {
            stem
        }
        _ => id,
    }
}

/// Writes the upper-case form of `text` into `buffer` (reused, so scanning
/// many keys allocates nothing).
fn upper_into<'b>(buffer: &'b mut String, text: &str) -> &'b str {
    buffer.clear();
    if text.is_ascii() {
        buffer.push_str(text);
        buffer.make_ascii_uppercase();
    } else {
        buffer.extend(text.chars().flat_map(char::to_uppercase));
    }
    buffer
}

/// The matching stages, in order.
const STAGES: [MatchedBy; 5] = [
    MatchedBy::GeneId,
    MatchedBy::Ensembl,
    MatchedBy::Symbol,
    MatchedBy::SymbolIgnoringCase,
    MatchedBy::Alias,
];

/// Recording matches.
struct Query;

impl Query {
    /// Adds `gene` at `stage` for each input asking for the key.
    fn record(found: &mut [[Vec<u32>; 5]], inputs: Option<&Vec<usize>>, stage: usize, gene: u32) {
        for &i in inputs.into_iter().flatten() {
            let genes = &mut found[i][stage];
            if !genes.contains(&gene) {
                genes.push(gene);
            }
        }
    }
}

impl<'a> IdMapper<'a> {
    /// Links the identifier table (pass an empty one for none) to the
    /// annotation genes. The mapper keeps the table: pass it by value to
    /// hand it over, or by reference to lend it.
    pub fn new(annotations: &'a Annotations, table: impl GeneTable + 'a) -> IdMapper<'a> {
        let annotation_genes = annotations.genes();
        // Annotation symbol -> gene, or u32::MAX when several genes share it.
        // A row links by symbol only to a gene whose id is not an Entrez id,
        // so for annotations keyed by Entrez ids (the usual human GAF) the
        // map could never link anything and is not built.
        let symbol_keyed = annotation_genes.iter().any(|g| !is_entrez_like(&g.id));
        let mut by_symbol: FastMap<&str, u32> = fast_map(0);
        if symbol_keyed {
            by_symbol.reserve(annotation_genes.len());
            for (g, gene) in annotation_genes.iter().enumerate() {
                if !gene.symbol.is_empty() {
                    by_symbol
                        .entry(gene.symbol.as_str())
                        .and_modify(|v| *v = u32::MAX)
                        .or_insert(g as u32);
                }
            }
        }
        let mut row_gene = Vec::with_capacity(table.n_rows());
        let mut extra_rows = Vec::new();
        for r in 0..table.n_rows() {
            let linked = annotations.gene_index(table.entrez(r)).or_else(|| {
                by_symbol
                    .get(table.symbol(r))
                    .copied()
                    .filter(|&g| g != u32::MAX && !is_entrez_like(&annotation_genes[g as usize].id))
            });
            row_gene.push(linked.unwrap_or_else(|| {
                extra_rows.push(r as u32);
                (annotation_genes.len() + extra_rows.len() - 1) as u32
            }));
        }
        IdMapper {
            annotations,
            table: Box::new(table),
            row_gene,
            extra_rows,
        }
    }

    /// Number of genes in the unified space.
    pub fn n_genes(&self) -> usize {
        self.annotations.n_genes() + self.extra_rows.len()
    }

    /// Number of annotation genes (indices below this are annotation genes).
    pub fn n_annotation_genes(&self) -> usize {
        self.annotations.n_genes()
    }

    /// The id of a unified gene (annotation id or Entrez id).
    pub fn gene_id(&self, gene: u32) -> &str {
        let n = self.annotations.n_genes();
        match (gene as usize).checked_sub(n) {
            None => &self.annotations.genes()[gene as usize].id,
            Some(extra) => self.table.entrez(self.extra_rows[extra] as usize),
        }
    }

    /// The symbol of a unified gene (may be empty).
    pub fn symbol(&self, gene: u32) -> &str {
        let n = self.annotations.n_genes();
        match (gene as usize).checked_sub(n) {
            None => &self.annotations.genes()[gene as usize].symbol,
            Some(extra) => self.table.symbol(self.extra_rows[extra] as usize),
        }
    }

    /// Collects, for every input, the genes matching it at each stage.
    ///
    /// The stages are scanned in three passes (ids and Ensembl ids; then
    /// symbols; then aliases), each only for the inputs the earlier passes
    /// left without a match, so lists of Entrez or Ensembl ids never pay for
    /// the case-insensitive symbol and alias scans.
    fn collect<'i>(&self, ids: impl Iterator<Item = &'i str>) -> Vec<[Vec<u32>; 5]> {
        let trimmed: Vec<&str> = ids.map(str::trim).collect();
        let mut found: Vec<[Vec<u32>; 5]> = vec![Default::default(); trimmed.len()];
        let unresolved = |found: &[[Vec<u32>; 5]]| -> Vec<usize> {
            (0..found.len())
                .filter(|&i| found[i].iter().all(Vec::is_empty))
                .collect()
        };

        // Pass 1: gene ids and Ensembl ids.
        let mut exact: FastMap<&str, Vec<usize>> = fast_map(trimmed.len());
        let mut ensembl: FastMap<&str, Vec<usize>> = fast_map(trimmed.len());
        for (i, id) in trimmed.iter().enumerate() {
            exact.entry(id).or_default().push(i);
            let stripped = strip_ensembl_version(id);
            if stripped.starts_with("ENS") {
                ensembl.entry(stripped).or_default().push(i);
            }
        }
        for (g, gene) in self.annotations.genes().iter().enumerate() {
            Query::record(&mut found, exact.get(gene.id.as_str()), 0, g as u32);
        }
        let table = &*self.table;
        for (row, &g) in self.row_gene.iter().enumerate() {
            Query::record(&mut found, exact.get(table.entrez(row)), 0, g);
            if !ensembl.is_empty() {
                for k in 0..table.n_ensembl(row) {
                    let id = strip_ensembl_version(table.ensembl(row, k));
                    Query::record(&mut found, ensembl.get(id), 1, g);
                }
            }
        }

        // Pass 2: symbols, exact and ignoring case.
        let remaining = unresolved(&found);
        if remaining.is_empty() {
            return found;
        }
        let mut exact: FastMap<&str, Vec<usize>> = fast_map(remaining.len());
        let mut upper: FastMap<String, Vec<usize>> = fast_map(remaining.len());
        for &i in &remaining {
            exact.entry(trimmed[i]).or_default().push(i);
            upper.entry(trimmed[i].to_uppercase()).or_default().push(i);
        }
        let mut buffer = String::new();
        let symbols = self
            .annotations
            .genes()
            .iter()
            .enumerate()
            .map(|(g, gene)| (g as u32, gene.symbol.as_str()))
            .chain(
                self.row_gene
                    .iter()
                    .enumerate()
                    .map(|(row, &g)| (g, table.symbol(row))),
            );
        for (g, symbol) in symbols {
            Query::record(&mut found, exact.get(symbol), 2, g);
            Query::record(&mut found, upper.get(upper_into(&mut buffer, symbol)), 3, g);
        }

        // Pass 3: aliases and synonyms, ignoring case.
        let remaining = unresolved(&found);
        if remaining.is_empty() {
            return found;
        }
        upper.retain(|_, inputs| inputs.iter().any(|i| remaining.binary_search(i).is_ok()));
        let aliases = self
            .annotations
            .genes()
            .iter()
            .enumerate()
            .flat_map(|(g, gene)| gene.synonyms.iter().map(move |a| (g as u32, a.as_str())))
            .chain(self.row_gene.iter().enumerate().flat_map(|(row, &g)| {
                (0..table.n_aliases(row)).map(move |k| (g, table.alias(row, k)))
            }));
        for (g, alias) in aliases {
            Query::record(&mut found, upper.get(upper_into(&mut buffer, alias)), 4, g);
        }
        found
    }

    /// Looks one id up (see the module docs for the stages): `Mapped`,
    /// `Ambiguous` or `Unmapped` (never `Duplicate`).
    pub fn lookup(&self, input: &str) -> MapStatus {
        let mut found = self.collect(std::iter::once(input));
        resolve(std::mem::take(&mut found[0]))
    }

    /// Maps a list of ids; every input gets a status.
    ///
    /// ```
    /// use osteon_enrich::*;
    /// let go = Ontology::build(vec![TermRecord { id: "GO:1".into(), namespace: Some("biological_process".into()), ..TermRecord::default() }])?;
    /// let genes = vec![AnnotationGene { id: "7157".into(), symbol: "TP53".into(), ..AnnotationGene::default() }];
    /// let input = AnnotationInput { genes: &genes, term_ids: &["GO:1".to_string()], evidence_codes: &["IDA".to_string()], links: &[AnnotationLink { gene: 0, term: 0, evidence: 0 }] };
    /// let (annotations, _) = Annotations::build(&go, input, &AnnotationOptions::default());
    /// let table = vec![GeneRecord { entrez: "7157".into(), symbol: "TP53".into(), ensembl: vec!["ENSG00000141510".into()], aliases: vec!["P53".into()] }];
    /// let mapper = IdMapper::new(&annotations, &table);
    /// let ids: Vec<String> = ["ENSG00000141510.17", "p53", "TP53", "FOO"].iter().map(|s| s.to_string()).collect();
    /// let mapping = mapper.map(&ids);
    /// let labels: Vec<&str> = mapping.status.iter().map(|s| s.label()).collect();
    /// assert_eq!(labels, ["mapped", "duplicate", "duplicate", "unmapped"]);
    /// # Ok::<(), osteon_enrich::EnrichError>(())
    /// ```
    pub fn map(&self, inputs: &[String]) -> IdMapping {
        self.map_groups(&[inputs])
            .pop()
            .expect("one mapping per group")
    }

    /// Maps several groups of ids (e.g. a gene list and its universe) with
    /// one scan of the annotation and the identifier table; each group
    /// gets its own mapping, exactly as [`IdMapper::map`] would give it
    /// (duplicates are judged within a group).
    pub fn map_groups(&self, groups: &[&[String]]) -> Vec<IdMapping> {
        let all = groups
            .iter()
            .flat_map(|group| group.iter().map(String::as_str));
        let mut found = self.collect(all).into_iter();
        groups
            .iter()
            .map(|group| {
                let mut claimed: FastMap<u32, usize> = fast_map(group.len());
                let status = (0..group.len())
                    .zip(&mut found)
                    .map(|(i, found)| match resolve(found) {
                        MapStatus::Mapped { gene, by } => match claimed.get(&gene) {
                            Some(&first) => MapStatus::Duplicate { gene, by, first },
                            None => {
                                claimed.insert(gene, i);
                                MapStatus::Mapped { gene, by }
                            }
                        },
                        other => other,
                    })
                    .collect();
                IdMapping {
                    inputs: group.iter().map(|s| s.trim().to_string()).collect(),
                    status,
                }
            })
            .collect()
    }
}

/// The first stage with a match decides: one gene, several (ambiguous) or
/// none.
fn resolve(found: [Vec<u32>; 5]) -> MapStatus {
    for (stage, mut genes) in found.into_iter().enumerate() {
        match genes.len() {
            0 => continue,
            1 => {
                return MapStatus::Mapped {
                    gene: genes[0],
                    by: STAGES[stage],
                }
            }
            _ => {
                genes.sort_unstable();
                return MapStatus::Ambiguous {
                    by: STAGES[stage],
                    candidates: genes,
                };
            }
        }
    }
    MapStatus::Unmapped
}

/// Whether an id looks like an Entrez gene id (all digits).
fn is_entrez_like(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotations::{AnnotationGene, AnnotationInput, AnnotationLink, AnnotationOptions};
    use crate::ontology::{tests::term, Ontology};

    fn annotations(genes: Vec<AnnotationGene>) -> Annotations {
        let go = Ontology::build(vec![term("GO:1", &[], &[])]).unwrap();
        let links: Vec<AnnotationLink> = (0..genes.len() as u32)
            .map(|g| AnnotationLink {
                gene: g,
                term: 0,
                evidence: 0,
            })
            .collect();
        let input = AnnotationInput {
            genes: &genes,
            term_ids: &["GO:1".to_string()],
            evidence_codes: &["IDA".to_string()],
            links: &links,
        };
        Annotations::build(&go, input, &AnnotationOptions::default()).0
    }

    fn gene(id: &str, symbol: &str) -> AnnotationGene {
        AnnotationGene {
            id: id.into(),
            symbol: symbol.into(),
            synonyms: Vec::new(),
        }
    }

    fn record(entrez: &str, symbol: &str, ensembl: &[&str], aliases: &[&str]) -> GeneRecord {
        GeneRecord {
            entrez: entrez.into(),
            symbol: symbol.into(),
            ensembl: ensembl.iter().map(|s| s.to_string()).collect(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn mapped(gene: u32, by: MatchedBy) -> MapStatus {
        MapStatus::Mapped { gene, by }
    }

    fn strings(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn grouped_mapping_equals_mapping_each_group_alone() {
        let annotations = annotations(vec![gene("7157", "TP53"), gene("1", "A1BG")]);
        let table = vec![
            record("7157", "TP53", &["ENSG00000141510"], &["P53"]),
            record("1", "A1BG", &["ENSG00000121410"], &["ABG"]),
            record("3", "A2MP1", &[], &["ABG"]),
        ];
        let mapper = IdMapper::new(&annotations, &table);
        // The list repeats a gene (a duplicate within it); the universe
        // holds the list's genes again, which are not duplicates there.
        let list = strings(&["TP53", "p53", "abg", "nope"]);
        let universe = strings(&["7157", "ENSG00000121410", "A2MP1", "TP53", "x"]);
        let grouped = mapper.map_groups(&[&list, &universe]);
        assert_eq!(grouped, vec![mapper.map(&list), mapper.map(&universe)]);
        assert_eq!(
            grouped[0].status[1],
            MapStatus::Duplicate {
                gene: 0,
                by: MatchedBy::Alias,
                first: 0
            }
        );
        assert_eq!(grouped[1].status[0], mapped(0, MatchedBy::GeneId));
        assert_eq!(
            grouped[1].status[3],
            MapStatus::Duplicate {
                gene: 0,
                by: MatchedBy::Symbol,
                first: 0
            }
        );
        assert!(mapper.map_groups(&[]).is_empty());
    }

    #[test]
    fn stages_statuses_and_unannotated_table_genes() {
        let annotations = annotations(vec![gene("7157", "TP53"), gene("1", "A1BG")]);
        let table = vec![
            record("7157", "TP53", &["ENSG00000141510"], &["P53", "LFS1"]),
            record("1", "A1BG", &["ENSG00000121410"], &["ABG"]),
            record("3", "A2MP1", &["ENSG00000256069"], &["ABG"]), // not annotated; shares alias ABG
            record("9", "NAT1", &["ENSG00000171428", "ENSG00000999999"], &[]),
            record("10", "NAT2", &["ENSG00000999999"], &[]), // shares an Ensembl id with NAT1
        ];
        let mapper = IdMapper::new(&annotations, &table);
        assert_eq!(mapper.n_annotation_genes(), 2);
        assert_eq!(mapper.n_genes(), 5);
        assert_eq!(mapper.gene_id(2), "3");
        assert_eq!(mapper.symbol(3), "NAT1");
        let mapping = mapper.map(&strings(&[
            " 7157 ",
            "ENSG00000121410.12",
            "a2mp1",
            "abg",
            "ENSG00000999999",
            "lfs1",
            "nope",
            "ENSG00000171428",
        ]));
        assert_eq!(mapping.inputs[0], "7157");
        assert_eq!(mapping.status[0], mapped(0, MatchedBy::GeneId));
        assert_eq!(mapping.status[1], mapped(1, MatchedBy::Ensembl));
        assert_eq!(mapping.status[2], mapped(2, MatchedBy::SymbolIgnoringCase));
        assert_eq!(
            mapping.status[3],
            MapStatus::Ambiguous {
                by: MatchedBy::Alias,
                candidates: vec![1, 2]
            }
        );
        assert_eq!(
            mapping.status[4],
            MapStatus::Ambiguous {
                by: MatchedBy::Ensembl,
                candidates: vec![3, 4]
            }
        );
        assert_eq!(
            mapping.status[5],
            MapStatus::Duplicate {
                gene: 0,
                by: MatchedBy::Alias,
                first: 0
            }
        );
        assert_eq!(mapping.status[6], MapStatus::Unmapped);
        assert_eq!(mapping.status[7], mapped(3, MatchedBy::Ensembl));
        assert_eq!(mapping.genes(), vec![0, 1, 2, 3]);
        assert_eq!(
            (
                mapping.n_mapped(),
                mapping.n_duplicate(),
                mapping.n_ambiguous(),
                mapping.n_unmapped()
            ),
            (4, 1, 2, 1)
        );
    }

    #[test]
    fn exact_symbol_wins_over_alias_and_uniprot_rows_link_by_symbol() {
        // UniProt-keyed annotation: the table row links through its symbol.
        let annotations = annotations(vec![gene("P04637", "TP53"), gene("P01023", "A2M")]);
        let table = vec![record("7157", "TP53", &[], &["A2M"])];
        let mapper = IdMapper::new(&annotations, &table);
        assert_eq!(mapper.n_genes(), 2);
        let mapping = mapper.map(&strings(&["7157", "A2M", "P04637"]));
        assert_eq!(mapping.status[0], mapped(0, MatchedBy::GeneId));
        assert_eq!(mapping.status[1], mapped(1, MatchedBy::Symbol));
        assert_eq!(
            mapping.status[2],
            MapStatus::Duplicate {
                gene: 0,
                by: MatchedBy::GeneId,
                first: 0
            }
        );
    }
}
