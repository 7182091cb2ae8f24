//! The Gene Ontology as a validated directed acyclic graph.
//!
//! Built from term records as an OBO file defines them (see the `osteon-io`
//! OBO reader). Five relation types are edges of the graph, the ones
//! Bioconductor's `GO.db` keeps in its `go_*_parents` tables and propagates
//! over in its ancestor/offspring maps: `is_a`, `part_of`, `regulates`,
//! `positively_regulates` and `negatively_regulates`. Other relation types
//! of the full `go.obo` (`has_part`, `occurs_in`, …) point the other way or
//! across ontologies and are not used; they are counted in
//! [`Ontology::ignored_relations`].
//!
//! Validation (errors name the terms): duplicate ids, an `alt_id` that is
//! another term's id or claimed twice, a parent that is defined nowhere
//! ("dangling", after `alt_id` resolution), a parent that is obsolete, and
//! cycles (reported as the list of terms around the cycle).

mod id_index;

use std::collections::{BTreeMap, HashMap};

use id_index::{IdIndex, IdSource};
use std::fmt;
use std::str::FromStr;

use crate::EnrichError;

/// The three GO namespaces ("ontologies" in GO.db's words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Namespace {
    /// `biological_process` (BP).
    BiologicalProcess,
    /// `molecular_function` (MF).
    MolecularFunction,
    /// `cellular_component` (CC).
    CellularComponent,
}

impl Namespace {
    /// All three, in the order BP, MF, CC.
    pub const ALL: [Namespace; 3] = [
        Namespace::BiologicalProcess,
        Namespace::MolecularFunction,
        Namespace::CellularComponent,
    ];

    /// The two-letter code used by clusterProfiler and topGO (`BP`, `MF`, `CC`).
    pub fn code(self) -> &'static str {
        match self {
            Namespace::BiologicalProcess => "BP",
            Namespace::MolecularFunction => "MF",
            Namespace::CellularComponent => "CC",
        }
    }

    /// The OBO `namespace` value (`biological_process`, …).
    pub fn obo_name(self) -> &'static str {
        match self {
            Namespace::BiologicalProcess => "biological_process",
            Namespace::MolecularFunction => "molecular_function",
            Namespace::CellularComponent => "cellular_component",
        }
    }

    /// Recognises an OBO `namespace` value.
    pub fn from_obo(name: &str) -> Option<Namespace> {
        Namespace::ALL.into_iter().find(|ns| ns.obo_name() == name)
    }
}

impl FromStr for Namespace {
    type Err = EnrichError;

    /// Accepts `BP`/`MF`/`CC` (any case) and the OBO names.
    ///
    /// ```
    /// use osteon_enrich::Namespace;
    /// assert_eq!("bp".parse::<Namespace>().unwrap(), Namespace::BiologicalProcess);
    /// assert_eq!("cellular_component".parse::<Namespace>().unwrap(), Namespace::CellularComponent);
    /// assert!("XX".parse::<Namespace>().is_err());
    /// ```
    fn from_str(text: &str) -> Result<Namespace, EnrichError> {
        let trimmed = text.trim();
        Namespace::ALL
            .into_iter()
            .find(|ns| {
                ns.code().eq_ignore_ascii_case(trimmed)
                    || ns
                        .obo_name()
                        .eq_ignore_ascii_case(&trimmed.replace(' ', "_"))
            })
            .ok_or_else(|| EnrichError::UnknownNamespace {
                given: text.to_string(),
            })
    }
}

impl fmt::Display for Namespace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A relation type used as a graph edge (child → parent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Relation {
    /// `is_a`.
    IsA,
    /// `part_of`.
    PartOf,
    /// `regulates`.
    Regulates,
    /// `positively_regulates`.
    PositivelyRegulates,
    /// `negatively_regulates`.
    NegativelyRegulates,
}

impl Relation {
    /// All five, in declaration order.
    pub const ALL: [Relation; 5] = [
        Relation::IsA,
        Relation::PartOf,
        Relation::Regulates,
        Relation::PositivelyRegulates,
        Relation::NegativelyRegulates,
    ];

    /// The OBO name (`is_a`, `part_of`, …).
    pub fn obo_name(self) -> &'static str {
        match self {
            Relation::IsA => "is_a",
            Relation::PartOf => "part_of",
            Relation::Regulates => "regulates",
            Relation::PositivelyRegulates => "positively_regulates",
            Relation::NegativelyRegulates => "negatively_regulates",
        }
    }

    /// Recognises an OBO relation name.
    pub fn from_obo(name: &str) -> Option<Relation> {
        Relation::ALL.into_iter().find(|r| r.obo_name() == name)
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of relation types over which annotations propagate.
///
/// The default is [`RelationSet::ALL`] (`is_a`, `part_of`, `regulates`,
/// `positively_regulates`, `negatively_regulates`): this is what the R tools
/// users compare against do. clusterProfiler's `enrichGO` takes gene sets
/// from `org.*.eg.db`'s `GO2ALLEGS`, built from GO.db's offspring tables,
/// and topGO builds its graph from GO.db's `GO*PARENTS`; both follow all
/// five relation types (with GO.db 3.16 / org.Hs.eg.db 3.16, a gene
/// annotated only to "negative regulation of apoptotic process" is counted
/// in "apoptotic process"). goatools propagates over `is_a` only unless
/// given `relationships`; use [`RelationSet::IS_A`] to reproduce it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RelationSet(u8);

impl RelationSet {
    /// Only `is_a` (goatools' default).
    pub const IS_A: RelationSet = RelationSet(1);
    /// `is_a` and `part_of`.
    pub const IS_A_PART_OF: RelationSet = RelationSet(1 | 2);
    /// All five relation types (GO.db, clusterProfiler, topGO).
    pub const ALL: RelationSet = RelationSet(31);

    /// Whether the set contains a relation.
    pub fn contains(self, relation: Relation) -> bool {
        self.0 & relation.bit() != 0
    }

    /// The relations of the set, in declaration order.
    pub fn relations(self) -> Vec<Relation> {
        Relation::ALL
            .into_iter()
            .filter(|&r| self.contains(r))
            .collect()
    }
}

impl Default for RelationSet {
    fn default() -> RelationSet {
        RelationSet::ALL
    }
}

impl FromStr for RelationSet {
    type Err = EnrichError;

    /// Parses `all` or a comma-separated list of relation names (`is_a`,
    /// `is_a,part_of`, …); `is_a` is always included.
    ///
    /// ```
    /// use osteon_enrich::RelationSet;
    /// assert_eq!("is_a,part_of".parse::<RelationSet>().unwrap(), RelationSet::IS_A_PART_OF);
    /// assert_eq!("all".parse::<RelationSet>().unwrap(), RelationSet::ALL);
    /// assert!("has_part".parse::<RelationSet>().is_err());
    /// ```
    fn from_str(text: &str) -> Result<RelationSet, EnrichError> {
        if text.trim().eq_ignore_ascii_case("all") {
            return Ok(RelationSet::ALL);
        }
        let mut set = RelationSet::IS_A;
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let relation =
                Relation::from_obo(part).ok_or_else(|| EnrichError::UnknownRelation {
                    given: part.to_string(),
                })?;
            set.0 |= relation.bit();
        }
        Ok(set)
    }
}

impl fmt::Display for RelationSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == RelationSet::ALL {
            return f.write_str("all");
        }
        let names: Vec<&str> = self.relations().iter().map(|r| r.obo_name()).collect();
        f.write_str(&names.join(","))
    }
}

/// A term as an ontology file defines it (the input of [`Ontology::build`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TermRecord {
    /// Primary id, e.g. `GO:0001503`.
    pub id: String,
    /// Name, e.g. `ossification`.
    pub name: String,
    /// OBO namespace value (`biological_process`, …), if any.
    pub namespace: Option<String>,
    /// Alternative (merged, retired) ids resolving to this term.
    pub alt_ids: Vec<String>,
    /// `is_a` parents.
    pub is_a: Vec<String>,
    /// Other relations as `(type, parent)`; unknown types are ignored.
    pub relationships: Vec<(String, String)>,
    /// Whether the term is obsolete.
    pub is_obsolete: bool,
    /// For obsolete terms: the term(s) replacing it.
    pub replaced_by: Vec<String>,
}

/// The primary id (`alt == 0`) or the `alt - 1`-th alternative id.
fn id_or_alt<'a>(id: &'a str, alt_ids: &'a [String], alt: u32) -> &'a str {
    match alt {
        0 => id,
        k => &alt_ids[k as usize - 1],
    }
}

impl IdSource for [TermRecord] {
    fn id(&self, term: u32, alt: u32) -> &str {
        id_or_alt(&self[term as usize].id, &self[term as usize].alt_ids, alt)
    }
}

impl IdSource for [Term] {
    fn id(&self, term: u32, alt: u32) -> &str {
        id_or_alt(&self[term as usize].id, &self[term as usize].alt_ids, alt)
    }
}

/// A term of a built ontology.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// Primary id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Namespace, when it is one of the three GO namespaces.
    pub namespace: Option<Namespace>,
    /// Alternative ids.
    pub alt_ids: Vec<String>,
    /// Whether the term is obsolete.
    pub obsolete: bool,
    /// Replacement terms of an obsolete term (ids as given).
    pub replaced_by: Vec<String>,
}

/// A parent or child link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// The other term's index.
    pub term: u32,
    /// The relation type.
    pub relation: Relation,
}

/// How an id resolves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// The primary id of a term.
    Primary(u32),
    /// An `alt_id` of a term.
    Alternative(u32),
    /// Not defined.
    Unknown,
}

/// A validated ontology DAG. Terms keep the input order; edges are stored in
/// compressed adjacency lists.
#[derive(Debug, Clone)]
pub struct Ontology {
    terms: Vec<Term>,
    index: IdIndex,
    parent_offsets: Vec<u32>,
    parents: Vec<Edge>,
    child_offsets: Vec<u32>,
    children: Vec<Edge>,
    /// Term indices, every parent before its children.
    topological: Vec<u32>,
    /// Position of each term in `topological`.
    topological_rank: Vec<u32>,
    /// Relation types present in the records but not used as edges, with
    /// their number of links (e.g. `has_part`).
    pub ignored_relations: BTreeMap<String, usize>,
}

impl Ontology {
    /// Builds and validates the DAG.
    ///
    /// ```
    /// use osteon_enrich::{Ontology, TermRecord};
    /// let term = |id: &str, parents: &[&str]| TermRecord {
    ///     id: id.into(),
    ///     name: id.into(),
    ///     namespace: Some("biological_process".into()),
    ///     is_a: parents.iter().map(|p| p.to_string()).collect(),
    ///     ..TermRecord::default()
    /// };
    /// let go = Ontology::build(vec![term("GO:2", &["GO:1"]), term("GO:1", &[])])?;
    /// assert_eq!(go.len(), 2);
    /// let cyclic = Ontology::build(vec![term("GO:1", &["GO:2"]), term("GO:2", &["GO:1"])]);
    /// assert!(cyclic.unwrap_err().to_string().contains("GO:1 -> GO:2 -> GO:1"));
    /// # Ok::<(), osteon_enrich::EnrichError>(())
    /// ```
    pub fn build(records: Vec<TermRecord>) -> Result<Ontology, EnrichError> {
        let source = records.as_slice();
        let mut index = IdIndex::with_capacity(
            records.len() + records.iter().map(|r| r.alt_ids.len()).sum::<usize>(),
        );
        for i in 0..records.len() as u32 {
            if index.insert(source, i, 0).is_err() {
                return Err(EnrichError::DuplicateTerm {
                    id: records[i as usize].id.clone(),
                });
            }
        }
        for (i, record) in records.iter().enumerate() {
            for (k, alt) in record.alt_ids.iter().enumerate() {
                if alt == &record.id {
                    continue;
                }
                match index.insert(source, i as u32, k as u32 + 1) {
                    Ok(()) => {}
                    Err((j, _)) if j == i as u32 => {}
                    Err((j, 0)) => {
                        return Err(EnrichError::AltIdClash {
                            alt_id: alt.clone(),
                            term: record.id.clone(),
                            other: format!("the id of term {}", records[j as usize].id),
                        })
                    }
                    Err((j, _)) => {
                        return Err(EnrichError::AltIdClash {
                            alt_id: alt.clone(),
                            term: record.id.clone(),
                            other: format!("an alt_id of term {}", records[j as usize].id),
                        })
                    }
                }
            }
        }

        // Read once into a compact array: the edge loop below checks a
        // random parent per edge, and the records are large.
        let obsolete: Vec<bool> = records.iter().map(|r| r.is_obsolete).collect();
        let mut ignored_relations: BTreeMap<String, usize> = BTreeMap::new();
        let mut parent_offsets = Vec::with_capacity(records.len() + 1);
        let mut parents: Vec<Edge> = Vec::with_capacity(records.len() * 2);
        parent_offsets.push(0u32);
        for record in &records {
            let links = record.is_a.iter().map(|p| ("is_a", p.as_str())).chain(
                record
                    .relationships
                    .iter()
                    .map(|(kind, p)| (kind.as_str(), p.as_str())),
            );
            let first = parents.len();
            for (kind, parent) in links {
                let Some(relation) = Relation::from_obo(kind) else {
                    *ignored_relations.entry(kind.to_string()).or_default() += 1;
                    continue;
                };
                let target = match index.find(source, parent) {
                    Some((j, _)) => j,
                    None => {
                        return Err(EnrichError::DanglingParent {
                            term: record.id.clone(),
                            relation: kind.to_string(),
                            parent: parent.to_string(),
                        })
                    }
                };
                if obsolete[target as usize] {
                    return Err(EnrichError::ObsoleteParent {
                        term: record.id.clone(),
                        relation: kind.to_string(),
                        parent: parent.to_string(),
                    });
                }
                let edge = Edge {
                    term: target,
                    relation,
                };
                if !parents[first..].contains(&edge) {
                    parents.push(edge);
                }
            }
            parent_offsets.push(parents.len() as u32);
        }

        // Children lists by counting sort, children in term order.
        let n = records.len();
        let mut child_counts = vec![0u32; n + 1];
        for edge in &parents {
            child_counts[edge.term as usize + 1] += 1;
        }
        for i in 0..n {
            child_counts[i + 1] += child_counts[i];
        }
        let child_offsets = child_counts.clone();
        let mut fill = child_counts;
        let mut children = vec![
            Edge {
                term: 0,
                relation: Relation::IsA
            };
            parents.len()
        ];
        for child in 0..n {
            for edge in &parents[parent_offsets[child] as usize..parent_offsets[child + 1] as usize]
            {
                let slot = &mut fill[edge.term as usize];
                children[*slot as usize] = Edge {
                    term: child as u32,
                    relation: edge.relation,
                };
                *slot += 1;
            }
        }

        let terms: Vec<Term> = records
            .into_iter()
            .map(|record| Term {
                namespace: record.namespace.as_deref().and_then(Namespace::from_obo),
                id: record.id,
                name: record.name,
                alt_ids: record.alt_ids,
                obsolete: record.is_obsolete,
                replaced_by: record.replaced_by,
            })
            .collect();
        let mut ontology = Ontology {
            terms,
            index,
            parent_offsets,
            parents,
            child_offsets,
            children,
            topological: Vec::new(),
            topological_rank: Vec::new(),
            ignored_relations,
        };
        ontology.topological = ontology.sort_topologically()?;
        let mut rank = vec![0u32; n];
        for (position, &term) in ontology.topological.iter().enumerate() {
            rank[term as usize] = position as u32;
        }
        ontology.topological_rank = rank;
        Ok(ontology)
    }

    /// Kahn's algorithm from the roots (terms without parents), taking
    /// ready terms in index order; leftover terms lie on or below a cycle,
    /// which a depth-first search then names.
    fn sort_topologically(&self) -> Result<Vec<u32>, EnrichError> {
        let n = self.terms.len();
        let mut pending: Vec<u32> = (0..n)
            .map(|i| self.parent_offsets[i + 1] - self.parent_offsets[i])
            .collect();
        let mut order: Vec<u32> = (0..n as u32)
            .filter(|&i| pending[i as usize] == 0)
            .collect();
        let mut head = 0;
        while head < order.len() {
            let term = order[head];
            head += 1;
            for edge in self.children(term) {
                let count = &mut pending[edge.term as usize];
                *count -= 1;
                if *count == 0 {
                    order.push(edge.term);
                }
            }
        }
        if order.len() == n {
            return Ok(order);
        }
        let start = (0..n as u32)
            .find(|&i| pending[i as usize] > 0)
            .expect("some term was not ordered");
        Err(EnrichError::Cycle {
            cycle: self.find_cycle(start, &pending),
        })
    }

    /// Walks parent links among unordered terms (each has an unordered
    /// parent) until a term repeats; returns the cycle.
    fn find_cycle(&self, start: u32, pending: &[u32]) -> Vec<String> {
        let mut path: Vec<u32> = vec![start];
        let mut seen_at: HashMap<u32, usize> = HashMap::from([(start, 0)]);
        let mut current = start;
        loop {
            let next = self
                .parents(current)
                .iter()
                .map(|e| e.term)
                .find(|&p| pending[p as usize] > 0)
                .expect("an unordered term has an unordered parent");
            if let Some(&at) = seen_at.get(&next) {
                let mut cycle: Vec<String> = path[at..]
                    .iter()
                    .map(|&t| self.terms[t as usize].id.clone())
                    .collect();
                cycle.push(self.terms[next as usize].id.clone());
                return cycle;
            }
            seen_at.insert(next, path.len());
            path.push(next);
            current = next;
        }
    }

    /// Number of terms (including obsolete ones).
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether the ontology has no terms.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// All terms, in input order.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// One term.
    pub fn term(&self, index: u32) -> &Term {
        &self.terms[index as usize]
    }

    /// Resolves an id (primary or alternative).
    pub fn lookup(&self, id: &str) -> Lookup {
        match self.index.find(self.terms.as_slice(), id) {
            Some((term, 0)) => Lookup::Primary(term),
            Some((term, _)) => Lookup::Alternative(term),
            None => Lookup::Unknown,
        }
    }

    /// The index of the term an id (primary or alternative) names.
    pub fn index_of(&self, id: &str) -> Option<u32> {
        match self.lookup(id) {
            Lookup::Primary(i) | Lookup::Alternative(i) => Some(i),
            Lookup::Unknown => None,
        }
    }

    /// Parent links of a term.
    pub fn parents(&self, term: u32) -> &[Edge] {
        let t = term as usize;
        &self.parents[self.parent_offsets[t] as usize..self.parent_offsets[t + 1] as usize]
    }

    /// Child links of a term.
    pub fn children(&self, term: u32) -> &[Edge] {
        let t = term as usize;
        &self.children[self.child_offsets[t] as usize..self.child_offsets[t + 1] as usize]
    }

    /// Term indices ordered so that every parent comes before its children.
    pub fn topological_order(&self) -> &[u32] {
        &self.topological
    }

    /// Position of a term in [`Ontology::topological_order`].
    pub fn topological_rank(&self, term: u32) -> u32 {
        self.topological_rank[term as usize]
    }

    /// Whether an edge is followed when propagating within `namespace` over
    /// `relations`: the relation is in the set and both ends lie in the
    /// namespace (GO.db's per-ontology parent tables never cross
    /// namespaces).
    pub fn follows(
        &self,
        child: u32,
        edge: &Edge,
        namespace: Namespace,
        relations: RelationSet,
    ) -> bool {
        relations.contains(edge.relation)
            && self.terms[child as usize].namespace == Some(namespace)
            && self.terms[edge.term as usize].namespace == Some(namespace)
    }

    /// The ancestors of a term within a namespace over a relation set
    /// (excluding the term), sorted by index.
    ///
    /// A term has tens of ancestors, not thousands, so the walk keeps them
    /// in a small list instead of a flag per ontology term.
    pub fn ancestors(&self, term: u32, namespace: Namespace, relations: RelationSet) -> Vec<u32> {
        let mut stack = vec![term];
        let mut found: Vec<u32> = Vec::new();
        while let Some(current) = stack.pop() {
            for edge in self.parents(current) {
                if self.follows(current, edge, namespace, relations) && !found.contains(&edge.term)
                {
                    found.push(edge.term);
                    stack.push(edge.term);
                }
            }
        }
        found.sort_unstable();
        found
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A BP term with is_a parents and extra relationships.
    pub(crate) fn term(id: &str, is_a: &[&str], relationships: &[(&str, &str)]) -> TermRecord {
        TermRecord {
            id: id.into(),
            name: format!("term {id}"),
            namespace: Some("biological_process".into()),
            is_a: is_a.iter().map(|p| p.to_string()).collect(),
            relationships: relationships
                .iter()
                .map(|(k, p)| (k.to_string(), p.to_string()))
                .collect(),
            ..TermRecord::default()
        }
    }

    /// A small is_a tree used by several tests:
    /// ```text
    ///        R
    ///      /   \
    ///     A     B
    ///    / \
    ///   C   D
    /// ```
    /// with term indices R = 0, A = 1, B = 2, C = 3, D = 4.
    pub(crate) fn small_tree() -> Ontology {
        Ontology::build(vec![
            term("R", &[], &[]),
            term("A", &["R"], &[]),
            term("B", &["R"], &[]),
            term("C", &["A"], &[]),
            term("D", &["A"], &[]),
        ])
        .unwrap()
    }

    #[test]
    fn builds_edges_children_and_topological_order() {
        // R <- A (is_a), R <- B (is_a), A <- C (is_a), B <- C (part_of),
        // D regulates C, D has_part R (ignored)
        let go = Ontology::build(vec![
            term("C", &["A"], &[("part_of", "B")]),
            term("A", &["R"], &[]),
            term("B", &["R"], &[]),
            term("R", &[], &[]),
            term("D", &[], &[("regulates", "C"), ("has_part", "R")]),
        ])
        .unwrap();
        assert_eq!(go.len(), 5);
        let id = |i: u32| go.term(i).id.as_str();
        let parents_of_c: Vec<(&str, Relation)> = go
            .parents(0)
            .iter()
            .map(|e| (id(e.term), e.relation))
            .collect();
        assert_eq!(
            parents_of_c,
            vec![("A", Relation::IsA), ("B", Relation::PartOf)]
        );
        let children_of_r: Vec<&str> = go.children(3).iter().map(|e| id(e.term)).collect();
        assert_eq!(children_of_r, vec!["A", "B"]);
        assert_eq!(go.ignored_relations.get("has_part"), Some(&1));
        // parents before children
        for t in 0..5u32 {
            for e in go.parents(t) {
                assert!(go.topological_rank(e.term) < go.topological_rank(t));
            }
        }
        let bp = Namespace::BiologicalProcess;
        let names = |v: Vec<u32>| v.into_iter().map(|i| id(i).to_string()).collect::<Vec<_>>();
        assert_eq!(
            names(go.ancestors(0, bp, RelationSet::IS_A)),
            vec!["A", "R"]
        );
        assert_eq!(
            names(go.ancestors(0, bp, RelationSet::IS_A_PART_OF)),
            vec!["A", "B", "R"]
        );
        assert_eq!(
            names(go.ancestors(4, bp, RelationSet::IS_A)),
            Vec::<String>::new()
        );
        assert_eq!(
            names(go.ancestors(4, bp, RelationSet::ALL)),
            vec!["C", "A", "B", "R"]
        );
    }

    #[test]
    fn alt_ids_resolve_and_parents_may_use_them() {
        let mut a = term("A", &["R"], &[]);
        a.alt_ids = vec!["A_old".into()];
        let go = Ontology::build(vec![a, term("R", &[], &[]), term("C", &["A_old"], &[])]).unwrap();
        assert_eq!(go.lookup("A"), Lookup::Primary(0));
        assert_eq!(go.lookup("A_old"), Lookup::Alternative(0));
        assert_eq!(go.lookup("zzz"), Lookup::Unknown);
        assert_eq!(go.parents(2)[0].term, 0);
    }

    #[test]
    fn invalid_ontologies_are_errors_naming_the_terms() {
        let err = Ontology::build(vec![
            term("A", &["B"], &[]),
            term("B", &["C"], &[]),
            term("C", &["A"], &[]),
            term("D", &["A"], &[]),
        ])
        .unwrap_err();
        assert_eq!(
            err,
            EnrichError::Cycle {
                cycle: vec!["A".into(), "B".into(), "C".into(), "A".into()]
            }
        );
        let err = Ontology::build(vec![term("A", &[], &[("part_of", "Z")])]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "term A has part_of parent Z, which is not defined in the ontology (neither as id nor as alt_id)"
        );
        let mut obsolete = term("O", &[], &[]);
        obsolete.is_obsolete = true;
        let err = Ontology::build(vec![obsolete, term("A", &["O"], &[])]).unwrap_err();
        assert!(matches!(err, EnrichError::ObsoleteParent { .. }), "{err}");
        let err = Ontology::build(vec![term("A", &[], &[]), term("A", &[], &[])]).unwrap_err();
        assert_eq!(err, EnrichError::DuplicateTerm { id: "A".into() });
        let mut b = term("B", &[], &[]);
        b.alt_ids = vec!["A".into()];
        let err = Ontology::build(vec![term("A", &[], &[]), b]).unwrap_err();
        assert!(matches!(err, EnrichError::AltIdClash { .. }), "{err}");
        // a self-loop is a cycle too
        let err = Ontology::build(vec![term("A", &["A"], &[])]).unwrap_err();
        assert_eq!(
            err,
            EnrichError::Cycle {
                cycle: vec!["A".into(), "A".into()]
            }
        );
    }

    #[test]
    fn relation_sets_parse_and_print() {
        assert_eq!("is_a".parse::<RelationSet>().unwrap(), RelationSet::IS_A);
        assert_eq!(
            " part_of ".parse::<RelationSet>().unwrap(),
            RelationSet::IS_A_PART_OF
        );
        assert_eq!(RelationSet::IS_A_PART_OF.to_string(), "is_a,part_of");
        assert_eq!(RelationSet::default().to_string(), "all");
        let all: RelationSet = "is_a,part_of,regulates,positively_regulates,negatively_regulates"
            .parse()
            .unwrap();
        assert_eq!(all, RelationSet::ALL);
        assert!(matches!(
            "is_a,occurs_in".parse::<RelationSet>(),
            Err(EnrichError::UnknownRelation { .. })
        ));
    }
}
