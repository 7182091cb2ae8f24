//! Gene-set analysis of differential-expression results: the Gene Ontology
//! DAG, annotation propagation, over-representation analysis and preranked
//! GSEA. Pure computation: inputs arrive as records parsed by `osteon-io`
//! (converted by the CLI into this crate's own record types), and results
//! are column-oriented structs.
//!
//! The pieces, in the order an analysis uses them:
//!
//! 1. [`Ontology::build`] turns term records (`id`, `name`, `namespace`,
//!    `alt_id`, `is_a`, `relationship:`, `is_obsolete`, `replaced_by`) into a
//!    validated DAG (cycles and dangling parents are errors naming the
//!    terms).
//! 2. [`Annotations::build`] resolves gene → term links against the
//!    ontology (alternative ids mapped to their primary term, obsolete terms
//!    replaced or dropped, unknown terms counted; evidence codes excluded on
//!    request) and reports every link it did not keep.
//! 3. [`Annotations::propagate`] closes the annotations upwards over a
//!    [`RelationSet`] within one [`Namespace`], giving per-term gene sets.
//!    The default set is all five GO.db relations (is_a, part_of,
//!    regulates, positively/negatively_regulates), which is what
//!    clusterProfiler (`org.*.eg.db` `GO2ALLEGS`) and topGO use;
//!    [`RelationSet::IS_A`] reproduces goatools.
//! 4. [`IdMapper`] maps the user's gene ids (Ensembl with or without version
//!    suffix, Entrez, symbols, aliases) onto annotation genes, reporting
//!    mapped, unmapped, ambiguous and duplicate inputs.
//! 5. [`over_representation`] runs the hypergeometric test (classic, or
//!    topGO's `elim` / `weight01`), with BH, Bonferroni and Storey q-values
//!    ([`qvalue`], as clusterProfiler reports them).
//! 6. [`simplify()`] removes redundant terms by Wang semantic similarity
//!    ([`semantic`]) as clusterProfiler's `simplify()` does.
//!
//! # Gene sets for GSEA
//!
//! ```ignore
//! pub fn term_gene_sets(
//!     ontology: &Ontology,
//!     annotations: &Annotations,
//!     namespace: Namespace,
//!     relations: RelationSet,
//! ) -> Vec<TermGeneSet>;
//!
//! pub struct TermGeneSet {
//!     pub id: String,         // primary GO id, e.g. "GO:0001503"
//!     pub name: String,       // term name, e.g. "ossification"
//!     pub genes: Vec<String>, // annotation gene ids (GAF column 2), sorted, unique
//! }
//! ```
//!
//! [`term_gene_sets`] returns every term of `namespace` with at least one
//! gene after propagation, in ascending id order. Gene ids are those of the
//! annotation file (Entrez ids for the bundled human GAF); map ranked ids
//! onto them with [`IdMapper`] first.

pub mod annotations;
mod error;
mod fast_hash;
pub mod gsea;
pub mod id_map;
pub mod ontology;
pub mod ora;
pub mod qvalue;
pub mod semantic;
pub mod simplify;
mod topgo;

pub use annotations::{
    term_gene_sets, AnnotationGene, AnnotationInput, AnnotationLink, AnnotationOptions,
    AnnotationReport, Annotations, GeneSets, TermGeneSet,
};
pub use error::EnrichError;
pub use id_map::{GeneRecord, GeneTable, IdMapper, IdMapping, MapStatus, MatchedBy};
pub use ontology::{Edge, Lookup, Namespace, Ontology, Relation, RelationSet, Term, TermRecord};
pub use ora::{
    over_representation, Algorithm, Counts, OraOptions, OraResult, OraTable, UniversePolicy,
};
pub use simplify::simplify;
