//! Typed errors of the enrichment kernel: invalid ontologies, invalid
//! options and gene lists that cannot be analysed. Every message names the
//! terms, genes or values concerned. Numerical conditions (for instance a
//! q-value estimate that the qvalue package would refuse) are not errors:
//! they are reported in result fields.

/// An error raised by the enrichment kernel.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EnrichError {
    /// Following parent links from a term leads back to it.
    #[error("the ontology has a cycle: {}", cycle.join(" -> "))]
    Cycle {
        /// The terms of the cycle in parent order, the first repeated at the end.
        cycle: Vec<String>,
    },

    /// A term names a parent that the ontology does not define.
    #[error("term {term} has {relation} parent {parent}, which is not defined in the ontology (neither as id nor as alt_id)")]
    DanglingParent {
        term: String,
        relation: String,
        parent: String,
    },

    /// A term names an obsolete term as its parent.
    #[error("term {term} has {relation} parent {parent}, which is marked obsolete")]
    ObsoleteParent {
        term: String,
        relation: String,
        parent: String,
    },

    /// Two term records share an id.
    #[error("term {id} is defined twice")]
    DuplicateTerm { id: String },

    /// An alternative id is claimed by two terms, or is another term's id.
    #[error("alt_id {alt_id} of term {term} is also {other}")]
    AltIdClash {
        alt_id: String,
        term: String,
        other: String,
    },

    /// A namespace name that is not one of the three GO namespaces.
    #[error("unknown namespace \"{given}\" (expected BP, MF or CC, or biological_process, molecular_function, cellular_component)")]
    UnknownNamespace { given: String },

    /// A relation name that propagation does not know.
    #[error("unknown relation \"{given}\" (expected is_a, part_of, regulates, positively_regulates, negatively_regulates, a comma-separated list of these, or all)")]
    UnknownRelation { given: String },

    /// An option value outside its domain.
    #[error("{option} = {value}: {problem}")]
    InvalidOption {
        option: &'static str,
        value: String,
        problem: String,
    },

    /// The gene list is empty.
    #[error("the gene list is empty")]
    EmptyList,

    /// The universe is empty.
    #[error("the universe (background) is empty")]
    EmptyUniverse,

    /// No gene of the list is part of the universe.
    #[error("none of the {list} genes of the list is in the universe of {universe} genes; the list must be a subset of the background")]
    ListOutsideUniverse { list: usize, universe: usize },

    /// No universe gene has any annotation in the namespace.
    #[error("none of the {universe} universe genes is annotated to any {namespace} term; check the namespace and that the gene ids match the annotation file")]
    NoAnnotatedUniverse { universe: usize, namespace: String },

    /// No list gene has any annotation in the namespace.
    #[error("none of the {list} list genes is annotated to any {namespace} term; nothing can be enriched")]
    NoAnnotatedList { list: usize, namespace: String },
}
