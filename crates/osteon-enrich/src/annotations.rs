//! Gene → term annotations resolved against an ontology, and their upward
//! propagation ("true path rule") into per-term gene sets.
//!
//! Resolution of each annotation link, in order:
//! 1. evidence codes listed in [`AnnotationOptions::evidence_exclude`] drop
//!    the link (counted per code);
//! 2. an `alt_id` resolves to its primary term (counted per alt id), as
//!    goatools' `GODag` lookup and GO.db's synonym table do;
//! 3. an obsolete term with exactly one `replaced_by` resolves to the
//!    replacement (counted); other obsolete terms drop the link (counted).
//!    goatools (`load_obsolete=False`) drops them all; GO's own GAFs contain
//!    none;
//! 4. an id the ontology does not define drops the link (counted per id).
//!
//! Nothing is dropped silently: [`AnnotationReport`] lists every category.
//!
//! Propagation ([`Annotations::propagate`]) gives each gene the closure of
//! its direct terms over the parents reached by a [`RelationSet`] inside one
//! [`Namespace`] (direct annotations to terms of other namespaces are
//! ignored there), then inverts it into per-term gene sets. The closure is a
//! depth-first walk per gene with a visit stamp, so its cost is the number of
//! (gene, ancestor) pairs.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::fast_hash::{fast_map, FastMap};

use crate::ontology::{Lookup, Namespace, Ontology, RelationSet};

/// An annotated object (usually a gene) as the annotation file names it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AnnotationGene {
    /// Identifier (GAF column 2), e.g. Entrez `7157`.
    pub id: String,
    /// Symbol (GAF column 3), e.g. `TP53`.
    pub symbol: String,
    /// Synonyms (GAF column 11).
    pub synonyms: Vec<String>,
}

/// One annotation line, by indices into the tables of [`AnnotationInput`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnnotationLink {
    /// Index into [`AnnotationInput::genes`].
    pub gene: u32,
    /// Index into [`AnnotationInput::term_ids`].
    pub term: u32,
    /// Index into [`AnnotationInput::evidence_codes`].
    pub evidence: u16,
}

/// Annotations as parsed (interned tables plus links), e.g. from a GAF file.
#[derive(Debug, Clone, Copy)]
pub struct AnnotationInput<'a> {
    /// Annotated objects; a repeated id is merged into its first occurrence.
    pub genes: &'a [AnnotationGene],
    /// Term ids as written in the file.
    pub term_ids: &'a [String],
    /// Evidence codes as written in the file.
    pub evidence_codes: &'a [String],
    /// The links.
    pub links: &'a [AnnotationLink],
}

/// Options of [`Annotations::build`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnnotationOptions {
    /// Evidence codes whose links are dropped (e.g. `IEA`, `ND`); none by
    /// default, as clusterProfiler's `enrichGO` keeps every evidence code.
    pub evidence_exclude: Vec<String>,
}

/// What happened to the annotation links.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnnotationReport {
    /// Links given.
    pub links_read: usize,
    /// Distinct (gene, term) pairs kept.
    pub pairs_kept: usize,
    /// Links repeating a kept (gene, term) pair (other evidence or reference).
    pub duplicate_links: usize,
    /// Links dropped per excluded evidence code.
    pub excluded_by_evidence: BTreeMap<String, usize>,
    /// Links to an `alt_id`: alt id → (primary id, links).
    pub alt_ids_resolved: BTreeMap<String, (String, usize)>,
    /// Links to an obsolete term with a single replacement: obsolete id →
    /// (replacement id, links).
    pub obsolete_replaced: BTreeMap<String, (String, usize)>,
    /// Links dropped because their term is obsolete without a single
    /// replacement: obsolete id → links.
    pub obsolete_dropped: BTreeMap<String, usize>,
    /// Links dropped because their term is not in the ontology: id → links.
    pub unknown_terms: BTreeMap<String, usize>,
}

impl AnnotationReport {
    /// Number of links dropped for an excluded evidence code.
    pub fn n_excluded_by_evidence(&self) -> usize {
        self.excluded_by_evidence.values().sum()
    }

    /// Number of links dropped for an unknown term.
    pub fn n_unknown(&self) -> usize {
        self.unknown_terms.values().sum()
    }

    /// Number of links dropped for an obsolete term.
    pub fn n_obsolete_dropped(&self) -> usize {
        self.obsolete_dropped.values().sum()
    }
}

/// Direct annotations: for each gene, the sorted distinct term indices.
#[derive(Debug, Clone)]
pub struct Annotations {
    genes: Vec<AnnotationGene>,
    gene_index: FastMap<String, u32>,
    offsets: Vec<u32>,
    terms: Vec<u32>,
}

/// How one written term id resolves.
#[derive(Debug, Clone, Copy)]
enum Resolved {
    Term(u32),
    Dropped,
}

impl Annotations {
    /// Resolves the links against the ontology (see the module docs).
    pub fn build(
        ontology: &Ontology,
        input: AnnotationInput<'_>,
        options: &AnnotationOptions,
    ) -> (Annotations, AnnotationReport) {
        let mut report = AnnotationReport {
            links_read: input.links.len(),
            ..AnnotationReport::default()
        };
        // Genes: merge repeated ids into the first occurrence.
        let mut genes: Vec<AnnotationGene> = Vec::with_capacity(input.genes.len());
        let mut gene_index: FastMap<String, u32> = fast_map(input.genes.len());
        let gene_map: Vec<u32> = input
            .genes
            .iter()
            .map(|gene| {
                let next = genes.len() as u32;
                let index = *gene_index.entry(gene.id.clone()).or_insert(next);
                if index == next {
                    genes.push(gene.clone());
                }
                index
            })
            .collect();

        // Each written term id is resolved once.
        let mut term_counts = vec![0usize; input.term_ids.len()];
        let excluded: Vec<bool> = input
            .evidence_codes
            .iter()
            .map(|code| options.evidence_exclude.iter().any(|e| e == code))
            .collect();
        let mut excluded_counts = vec![0usize; input.evidence_codes.len()];
        for link in input.links {
            if excluded[link.evidence as usize] {
                excluded_counts[link.evidence as usize] += 1;
            } else {
                term_counts[link.term as usize] += 1;
            }
        }
        for (code, &count) in input.evidence_codes.iter().zip(&excluded_counts) {
            if count > 0 {
                *report.excluded_by_evidence.entry(code.clone()).or_default() += count;
            }
        }
        let resolved: Vec<Resolved> = input
            .term_ids
            .iter()
            .zip(&term_counts)
            .map(|(id, &count)| resolve_term(ontology, id, count, &mut report))
            .collect();

        // Pairs, grouped by gene with a counting sort, then deduplicated.
        let n_genes = genes.len();
        let mut counts = vec![0u32; n_genes + 1];
        let kept_links = || {
            input.links.iter().filter_map(|link| {
                if excluded[link.evidence as usize] {
                    return None;
                }
                match resolved[link.term as usize] {
                    Resolved::Term(term) => Some((gene_map[link.gene as usize], term)),
                    Resolved::Dropped => None,
                }
            })
        };
        for (gene, _) in kept_links() {
            counts[gene as usize + 1] += 1;
        }
        for g in 0..n_genes {
            counts[g + 1] += counts[g];
        }
        let mut fill = counts.clone();
        let mut pairs = vec![0u32; counts[n_genes] as usize];
        for (gene, term) in kept_links() {
            let slot = &mut fill[gene as usize];
            pairs[*slot as usize] = term;
            *slot += 1;
        }
        let mut offsets = Vec::with_capacity(n_genes + 1);
        let mut terms = Vec::with_capacity(pairs.len());
        offsets.push(0u32);
        for g in 0..n_genes {
            let slice = &mut pairs[counts[g] as usize..counts[g + 1] as usize];
            slice.sort_unstable();
            let before = terms.len();
            for &term in slice.iter() {
                if terms.len() == before || *terms.last().expect("non-empty") != term {
                    terms.push(term);
                }
            }
            report.duplicate_links += slice.len() - (terms.len() - before);
            offsets.push(terms.len() as u32);
        }
        report.pairs_kept = terms.len();
        (
            Annotations {
                genes,
                gene_index,
                offsets,
                terms,
            },
            report,
        )
    }

    /// Number of annotated objects.
    pub fn n_genes(&self) -> usize {
        self.genes.len()
    }

    /// The annotated objects.
    pub fn genes(&self) -> &[AnnotationGene] {
        &self.genes
    }

    /// The index of a gene id.
    pub fn gene_index(&self, id: &str) -> Option<u32> {
        self.gene_index.get(id).copied()
    }

    /// Direct (unpropagated) terms of a gene, sorted.
    pub fn direct_terms(&self, gene: u32) -> &[u32] {
        let g = gene as usize;
        &self.terms[self.offsets[g] as usize..self.offsets[g + 1] as usize]
    }

    /// Propagates the annotations within a namespace over a relation set.
    ///
    /// Genes are processed in parallel chunks; each chunk's closures are
    /// concatenated in gene order, so the result does not depend on the
    /// number of threads.
    pub fn propagate(
        &self,
        ontology: &Ontology,
        namespace: Namespace,
        relations: RelationSet,
    ) -> GeneSets {
        let n_terms = ontology.len();
        let n_genes = self.genes.len();
        let chunk = n_genes
            .div_ceil(rayon::current_num_threads().max(1) * 4)
            .max(256);
        let followed = FollowedParents::new(ontology, namespace, relations);
        let pieces: Vec<(Vec<u32>, Vec<u32>)> = (0..n_genes)
            .step_by(chunk)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|first| {
                let genes = first as u32..(first + chunk).min(n_genes) as u32;
                self.close_upwards(&followed, genes)
            })
            .collect();
        let mut gene_offsets = Vec::with_capacity(n_genes + 1);
        let mut gene_terms: Vec<u32> =
            Vec::with_capacity(pieces.iter().map(|(terms, _)| terms.len()).sum());
        gene_offsets.push(0u32);
        for (terms, lengths) in pieces {
            for length in lengths {
                gene_offsets.push(gene_offsets.last().expect("non-empty") + length);
            }
            gene_terms.extend(terms);
        }
        GeneSets {
            namespace,
            relations,
            n_terms,
            gene_offsets,
            gene_terms,
            by_term: std::sync::OnceLock::new(),
        }
    }
}

/// The edges propagation follows, as compact arrays: whether each term
/// lies in the namespace, and each term's followed parents (CSR). Built
/// once per propagation so the per-gene walks touch only these arrays,
/// not the ontology's term records.
struct FollowedParents {
    in_namespace: Vec<bool>,
    offsets: Vec<u32>,
    parents: Vec<u32>,
}

impl FollowedParents {
    fn new(ontology: &Ontology, namespace: Namespace, relations: RelationSet) -> FollowedParents {
        let n_terms = ontology.len();
        let in_namespace: Vec<bool> = (0..n_terms as u32)
            .map(|t| ontology.term(t).namespace == Some(namespace))
            .collect();
        let mut offsets = Vec::with_capacity(n_terms + 1);
        let mut parents = Vec::new();
        offsets.push(0u32);
        for t in 0..n_terms as u32 {
            if in_namespace[t as usize] {
                parents.extend(
                    ontology
                        .parents(t)
                        .iter()
                        .filter(|edge| ontology.follows(t, edge, namespace, relations))
                        .map(|edge| edge.term),
                );
            }
            offsets.push(parents.len() as u32);
        }
        FollowedParents {
            in_namespace,
            offsets,
            parents,
        }
    }

    fn of(&self, term: u32) -> &[u32] {
        let t = term as usize;
        &self.parents[self.offsets[t] as usize..self.offsets[t + 1] as usize]
    }
}

impl Annotations {
    /// The upward closures of a range of genes: all their terms (each
    /// gene's in walk order) and the number per gene.
    fn close_upwards(
        &self,
        followed: &FollowedParents,
        genes: std::ops::Range<u32>,
    ) -> (Vec<u32>, Vec<u32>) {
        let mut stamp = vec![u32::MAX; followed.in_namespace.len()];
        let mut stack: Vec<u32> = Vec::new();
        let mut terms: Vec<u32> = Vec::new();
        let mut lengths = Vec::with_capacity(genes.len());
        for gene in genes {
            let start = terms.len();
            for &term in self.direct_terms(gene) {
                if !followed.in_namespace[term as usize] || stamp[term as usize] == gene {
                    continue;
                }
                stamp[term as usize] = gene;
                terms.push(term);
                stack.push(term);
                while let Some(current) = stack.pop() {
                    for &parent in followed.of(current) {
                        if stamp[parent as usize] != gene {
                            stamp[parent as usize] = gene;
                            terms.push(parent);
                            stack.push(parent);
                        }
                    }
                }
            }
            lengths.push((terms.len() - start) as u32);
        }
        (terms, lengths)
    }
}

/// Resolves one written term id, recording what happened to its links.
fn resolve_term(
    ontology: &Ontology,
    id: &str,
    links: usize,
    report: &mut AnnotationReport,
) -> Resolved {
    let term = match ontology.lookup(id) {
        Lookup::Primary(term) => term,
        Lookup::Alternative(term) => {
            if links > 0 {
                let entry = report
                    .alt_ids_resolved
                    .entry(id.to_string())
                    .or_insert_with(|| (ontology.term(term).id.clone(), 0));
                entry.1 += links;
            }
            term
        }
        Lookup::Unknown => {
            if links > 0 {
                *report.unknown_terms.entry(id.to_string()).or_default() += links;
            }
            return Resolved::Dropped;
        }
    };
    let record = ontology.term(term);
    if !record.obsolete {
        return Resolved::Term(term);
    }
    let replacement = match record.replaced_by.as_slice() {
        [single] => ontology
            .index_of(single)
            .filter(|&r| !ontology.term(r).obsolete),
        _ => None,
    };
    match replacement {
        Some(replacement) => {
            if links > 0 {
                let entry = report
                    .obsolete_replaced
                    .entry(id.to_string())
                    .or_insert_with(|| (ontology.term(replacement).id.clone(), 0));
                entry.1 += links;
            }
            Resolved::Term(replacement)
        }
        None => {
            if links > 0 {
                *report.obsolete_dropped.entry(id.to_string()).or_default() += links;
            }
            Resolved::Dropped
        }
    }
}

/// Propagated annotations of one namespace: per-gene term closures and
/// per-term gene sets (indices into [`Annotations::genes`]).
#[derive(Debug, Clone)]
pub struct GeneSets {
    /// The namespace.
    pub namespace: Namespace,
    /// The relations followed.
    pub relations: RelationSet,
    n_terms: usize,
    gene_offsets: Vec<u32>,
    gene_terms: Vec<u32>,
    /// The inverse, term → genes, built on first use: classic
    /// over-representation needs only the per-gene closures.
    by_term: std::sync::OnceLock<TermGenes>,
}

/// Per-term gene lists (CSR), genes ascending.
#[derive(Debug, Clone)]
struct TermGenes {
    offsets: Vec<u32>,
    genes: Vec<u32>,
}

impl GeneSets {
    /// Number of annotation genes (annotated in this namespace or not).
    pub fn n_genes(&self) -> usize {
        self.gene_offsets.len() - 1
    }

    /// Terms of a gene after propagation, each once, in the order the upward
    /// walk from its direct terms met them (the same on every run; every
    /// consumer counts or inverts them, so they are not sorted: sorting was
    /// a third of propagation's time); empty for genes outside the
    /// annotation (`gene >= n_genes()`).
    pub fn terms_of(&self, gene: u32) -> &[u32] {
        let g = gene as usize;
        if g + 1 >= self.gene_offsets.len() {
            return &[];
        }
        &self.gene_terms[self.gene_offsets[g] as usize..self.gene_offsets[g + 1] as usize]
    }

    /// Genes of a term after propagation, ascending.
    pub fn genes_of(&self, term: u32) -> &[u32] {
        let by_term = self.by_term.get_or_init(|| self.invert());
        let t = term as usize;
        &by_term.genes[by_term.offsets[t] as usize..by_term.offsets[t + 1] as usize]
    }

    /// Inverts the per-gene closures into per-term gene lists.
    fn invert(&self) -> TermGenes {
        let n_terms = self.n_terms;
        let mut offsets = vec![0u32; n_terms + 1];
        for &term in &self.gene_terms {
            offsets[term as usize + 1] += 1;
        }
        for t in 0..n_terms {
            offsets[t + 1] += offsets[t];
        }
        let mut fill = offsets.clone();
        let mut genes = vec![0u32; self.gene_terms.len()];
        for gene in 0..self.n_genes() as u32 {
            for &term in self.terms_of(gene) {
                let slot = &mut fill[term as usize];
                genes[*slot as usize] = gene;
                *slot += 1;
            }
        }
        TermGenes { offsets, genes }
    }

    /// Whether a gene has at least one term in the namespace.
    pub fn is_annotated(&self, gene: u32) -> bool {
        !self.terms_of(gene).is_empty()
    }

    /// Number of genes annotated in the namespace.
    pub fn n_annotated(&self) -> usize {
        (0..self.n_genes() as u32)
            .filter(|&g| self.is_annotated(g))
            .count()
    }
}

/// A named gene set for GSEA: one GO term and its propagated genes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermGeneSet {
    /// Primary term id, e.g. `GO:0001503`.
    pub id: String,
    /// Term name, e.g. `ossification`.
    pub name: String,
    /// Annotation gene ids (e.g. Entrez ids), sorted, unique.
    pub genes: Vec<String>,
}

/// Every term of `namespace` with at least one gene after propagating the
/// annotations over `relations`, in ascending id order, with its gene ids
/// sorted.
///
/// ```
/// use osteon_enrich::*;
/// let term = |id: &str, is_a: &[&str]| TermRecord {
///     id: id.into(),
///     name: format!("name {id}"),
///     namespace: Some("biological_process".into()),
///     is_a: is_a.iter().map(|p| p.to_string()).collect(),
///     ..TermRecord::default()
/// };
/// let go = Ontology::build(vec![term("GO:1", &[]), term("GO:2", &["GO:1"])])?;
/// let genes = vec![
///     AnnotationGene { id: "7157".into(), ..AnnotationGene::default() },
///     AnnotationGene { id: "1".into(), ..AnnotationGene::default() },
/// ];
/// let term_ids = vec!["GO:2".to_string(), "GO:1".to_string()];
/// let codes = vec!["IDA".to_string()];
/// let links = vec![
///     AnnotationLink { gene: 0, term: 0, evidence: 0 },
///     AnnotationLink { gene: 1, term: 1, evidence: 0 },
/// ];
/// let input = AnnotationInput { genes: &genes, term_ids: &term_ids, evidence_codes: &codes, links: &links };
/// let (annotations, _) = Annotations::build(&go, input, &AnnotationOptions::default());
/// let sets = term_gene_sets(&go, &annotations, Namespace::BiologicalProcess, RelationSet::IS_A);
/// assert_eq!(sets[0].id, "GO:1");
/// assert_eq!(sets[0].genes, vec!["1", "7157"]);
/// assert_eq!(sets[1].genes, vec!["7157"]);
/// # Ok::<(), osteon_enrich::EnrichError>(())
/// ```
pub fn term_gene_sets(
    ontology: &Ontology,
    annotations: &Annotations,
    namespace: Namespace,
    relations: RelationSet,
) -> Vec<TermGeneSet> {
    let sets = annotations.propagate(ontology, namespace, relations);
    let mut result: Vec<TermGeneSet> = (0..ontology.len() as u32)
        .filter(|&t| !sets.genes_of(t).is_empty())
        .map(|t| {
            let term = ontology.term(t);
            let mut genes: Vec<String> = sets
                .genes_of(t)
                .iter()
                .map(|&g| annotations.genes()[g as usize].id.clone())
                .collect();
            genes.sort_unstable();
            TermGeneSet {
                id: term.id.clone(),
                name: term.name.clone(),
                genes,
            }
        })
        .collect();
    result.sort_by(|a, b| a.id.cmp(&b.id));
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ontology::tests::term;
    use crate::ontology::TermRecord;

    fn input_parts(
        links: &[(&str, &str, &str)],
    ) -> (
        Vec<AnnotationGene>,
        Vec<String>,
        Vec<String>,
        Vec<AnnotationLink>,
    ) {
        let mut genes: Vec<AnnotationGene> = Vec::new();
        let mut terms: Vec<String> = Vec::new();
        let mut codes: Vec<String> = Vec::new();
        let mut out = Vec::new();
        let intern = |list: &mut Vec<String>, value: &str| -> u32 {
            match list.iter().position(|v| v == value) {
                Some(i) => i as u32,
                None => {
                    list.push(value.to_string());
                    list.len() as u32 - 1
                }
            }
        };
        for &(gene, term, code) in links {
            let g = match genes.iter().position(|g| g.id == gene) {
                Some(i) => i as u32,
                None => {
                    genes.push(AnnotationGene {
                        id: gene.into(),
                        ..AnnotationGene::default()
                    });
                    genes.len() as u32 - 1
                }
            };
            let t = intern(&mut terms, term);
            let e = intern(&mut codes, code) as u16;
            out.push(AnnotationLink {
                gene: g,
                term: t,
                evidence: e,
            });
        }
        (genes, terms, codes, out)
    }

    fn ontology() -> Ontology {
        // R <- A (is_a) <- C (is_a); R <- B (is_a); B <- C (part_of);
        // O obsolete -> replaced by A; P obsolete without replacement;
        // M is a molecular function term.
        let mut a = term("A", &["R"], &[]);
        a.alt_ids = vec!["A2".into()];
        let mut o = term("O", &[], &[]);
        o.is_obsolete = true;
        o.replaced_by = vec!["A".into()];
        let mut p = term("P", &[], &[]);
        p.is_obsolete = true;
        let m = TermRecord {
            namespace: Some("molecular_function".into()),
            ..term("M", &[], &[])
        };
        Ontology::build(vec![
            term("R", &[], &[]),
            a,
            term("B", &["R"], &[]),
            term("C", &["A"], &[("part_of", "B")]),
            o,
            p,
            m,
        ])
        .unwrap()
    }

    #[test]
    fn resolution_reports_every_dropped_or_remapped_link() {
        let go = ontology();
        let (genes, terms, codes, links) = input_parts(&[
            ("g1", "C", "IDA"),
            ("g1", "C", "IEA"),  // duplicate pair
            ("g2", "A2", "IDA"), // alt id
            ("g3", "O", "IDA"),  // obsolete, replaced by A
            ("g3", "P", "IDA"),  // obsolete, dropped
            ("g4", "X", "IDA"),  // unknown
            ("g4", "B", "IEA"),  // excluded evidence
            ("g5", "M", "IDA"),  // other namespace
        ]);
        let input = AnnotationInput {
            genes: &genes,
            term_ids: &terms,
            evidence_codes: &codes,
            links: &links,
        };
        let options = AnnotationOptions {
            evidence_exclude: vec!["IEA".into()],
        };
        let (annotations, report) = Annotations::build(&go, input, &options);
        assert_eq!(report.links_read, 8);
        assert_eq!(report.excluded_by_evidence.get("IEA"), Some(&2));
        assert_eq!(
            report.alt_ids_resolved.get("A2"),
            Some(&("A".to_string(), 1))
        );
        assert_eq!(
            report.obsolete_replaced.get("O"),
            Some(&("A".to_string(), 1))
        );
        assert_eq!(report.obsolete_dropped.get("P"), Some(&1));
        assert_eq!(report.unknown_terms.get("X"), Some(&1));
        assert_eq!(report.pairs_kept, 4);
        assert_eq!(report.duplicate_links, 0);
        assert_eq!(annotations.n_genes(), 5);
        let id = |t: u32| go.term(t).id.clone();
        let direct: Vec<String> = annotations.direct_terms(2).iter().map(|&t| id(t)).collect();
        assert_eq!(direct, vec!["A"]);

        // without exclusion the IEA link duplicates the IDA one
        let (_, report) = Annotations::build(&go, input, &AnnotationOptions::default());
        assert_eq!(report.duplicate_links, 1);
    }

    #[test]
    fn propagation_follows_the_relation_set_within_the_namespace() {
        let go = ontology();
        let (genes, terms, codes, links) =
            input_parts(&[("g1", "C", "IDA"), ("g2", "B", "IDA"), ("g3", "M", "IDA")]);
        let input = AnnotationInput {
            genes: &genes,
            term_ids: &terms,
            evidence_codes: &codes,
            links: &links,
        };
        let (annotations, _) = Annotations::build(&go, input, &AnnotationOptions::default());
        let bp = Namespace::BiologicalProcess;
        let names = |sets: &GeneSets, gene: u32| -> Vec<String> {
            let mut terms = sets.terms_of(gene).to_vec();
            terms.sort_unstable();
            terms.iter().map(|&t| go.term(t).id.clone()).collect()
        };
        let is_a = annotations.propagate(&go, bp, RelationSet::IS_A);
        assert_eq!(names(&is_a, 0), vec!["R", "A", "C"]);
        assert_eq!(names(&is_a, 1), vec!["R", "B"]);
        assert!(!is_a.is_annotated(2)); // MF only
        assert_eq!(is_a.n_annotated(), 2);
        assert_eq!(is_a.genes_of(0), &[0, 1]); // R
        assert_eq!(is_a.genes_of(2), &[1]); // B: g2 only (no part_of)
        let part_of = annotations.propagate(&go, bp, RelationSet::IS_A_PART_OF);
        assert_eq!(part_of.genes_of(2), &[0, 1]); // B gains g1 through part_of
        assert!(part_of.terms_of(99).is_empty());
        let mf = annotations.propagate(&go, Namespace::MolecularFunction, RelationSet::ALL);
        assert_eq!(names(&mf, 2), vec!["M"]);
    }
}
