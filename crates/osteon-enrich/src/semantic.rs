//! Wang's graph-based semantic similarity of GO terms (Wang, Du, Payattakool,
//! Yu & Chen 2007, Bioinformatics 23:1274), with the edge weights of
//! GOSemSim (`getSV`): `is_a` 0.8, `part_of` 0.6 and 0.7 for the regulation
//! relations ("other").
//!
//! The semantic value of an ancestor `t` of term `A` is
//! `S_A(A) = 1`, `S_A(t) = max over children c of t in DAG_A of w(t, c) · S_A(c)`,
//! where `DAG_A` is `A` with all its ancestors over the five GO.db relation
//! types inside `A`'s namespace (GOSemSim reads them from GO.db's
//! `GO*PARENTS`). The similarity of `A` and `B` is
//! `Σ_{t ∈ T_A ∩ T_B} (S_A(t) + S_B(t)) / (Σ_{t ∈ T_A} S_A(t) + Σ_{t ∈ T_B} S_B(t))`,
//! 1 for identical terms, and undefined (`None`, GOSemSim's `NA`) when the
//! terms share no ancestor.
//!
//! Sums are plain double-precision sums (R's `sum` accumulates in long
//! double); the difference, far below 1e-12, only matters for a similarity
//! exactly at the cutoff.
//!
//! Deviations from GOSemSim, documented rather than copied: (1) GOSemSim up
//! to 2.36 compares GO.db's relation labels (`isa`, `part of`) with
//! `is_a`/`part_of`, so every edge got weight 0.7 (fixed upstream in
//! YuLab-SMU/GOSemSim pull request 51); the published weights are used here.
//! (2) GOSemSim's breadth-first `getSV` keeps, for an ancestor reached along
//! several paths, the value of the first path found (fewest edges) rather
//! than the maximum over paths of the paper; the paper's maximum is used
//! here. Both choices only change similarities near the simplify cutoff for
//! terms joined by paths of unequal length.

use crate::ontology::{Namespace, Ontology, Relation, RelationSet};

/// The weight of an edge type in Wang's semantic value.
pub fn wang_weight(relation: Relation) -> f64 {
    match relation {
        Relation::IsA => 0.8,
        Relation::PartOf => 0.6,
        Relation::Regulates | Relation::PositivelyRegulates | Relation::NegativelyRegulates => 0.7,
    }
}

/// The semantic values of one term's ancestors (including itself).
#[derive(Debug, Clone, PartialEq)]
pub struct SemanticValues {
    /// Terms of `DAG_A`, ascending index.
    pub terms: Vec<u32>,
    /// `S_A(t)` for each of `terms`.
    pub values: Vec<f64>,
    /// `Σ S_A(t)`.
    pub total: f64,
}

/// Computes `S_A` over `DAG_A` (see the module docs).
pub fn wang_values(ontology: &Ontology, term: u32) -> SemanticValues {
    let namespace: Option<Namespace> = ontology.term(term).namespace;
    let mut dag: Vec<u32> = vec![term];
    if let Some(namespace) = namespace {
        dag.extend(ontology.ancestors(term, namespace, RelationSet::ALL));
    }
    // Children before parents: descending topological rank.
    dag.sort_unstable_by_key(|&t| std::cmp::Reverse(ontology.topological_rank(t)));
    let mut value: Vec<(u32, f64)> = dag.iter().map(|&t| (t, 0.0)).collect();
    value[0].1 = 1.0;
    let position = |t: u32, values: &[(u32, f64)]| values.iter().position(|&(u, _)| u == t);
    for i in 0..value.len() {
        let (current, s) = value[i];
        if let Some(namespace) = namespace {
            for edge in ontology.parents(current) {
                if ontology.follows(current, edge, namespace, RelationSet::ALL) {
                    let j = position(edge.term, &value).expect("parents are in the DAG");
                    let candidate = wang_weight(edge.relation) * s;
                    if candidate > value[j].1 {
                        value[j].1 = candidate;
                    }
                }
            }
        }
    }
    value.sort_unstable_by_key(|&(t, _)| t);
    let total: f64 = value.iter().map(|&(_, v)| v).sum();
    SemanticValues {
        terms: value.iter().map(|&(t, _)| t).collect(),
        values: value.iter().map(|&(_, v)| v).collect(),
        total,
    }
}

/// Wang similarity of two terms from their semantic values; `None` when
/// they share no ancestor.
pub fn wang_similarity(a: &SemanticValues, b: &SemanticValues) -> Option<f64> {
    if a.terms == b.terms && a.values == b.values {
        return Some(1.0);
    }
    let (mut i, mut j) = (0, 0);
    // sum(inter.sva, inter.svb): A's shared values, then B's.
    let (mut shared_a, mut shared_b) = (0.0, 0.0);
    let mut any = false;
    while i < a.terms.len() && j < b.terms.len() {
        match a.terms[i].cmp(&b.terms[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared_a += a.values[i];
                shared_b += b.values[j];
                any = true;
                i += 1;
                j += 1;
            }
        }
    }
    if !any {
        return None;
    }
    Some((shared_a + shared_b) / (a.total + b.total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ontology::tests::term;

    #[test]
    fn semantic_values_and_similarity_by_hand() {
        // R <-is_a- A <-is_a- C ; R <-is_a- B ; B <-part_of- C ; A <-regulates- D
        let go = Ontology::build(vec![
            term("R", &[], &[]),
            term("A", &["R"], &[]),
            term("B", &["R"], &[]),
            term("C", &["A"], &[("part_of", "B")]),
            term("D", &[], &[("regulates", "A")]),
        ])
        .unwrap();
        let c = wang_values(&go, 3);
        // S_C: C = 1, A = 0.8, B = 0.6, R = max(0.8*0.8, 0.8*0.6) = 0.64
        assert_eq!(c.terms, vec![0, 1, 2, 3]);
        assert_eq!(c.values, vec![0.8 * 0.8, 0.8, 0.6, 1.0]);
        let a = wang_values(&go, 1);
        // S_A: A = 1, R = 0.8
        assert_eq!(a.values, vec![0.8, 1.0]);
        // sim(A, C) = (S_A(R) + S_C(R) + S_A(A) + S_C(A)) / (sum S_A + sum S_C)
        //           = (0.8 + 0.64 + 1 + 0.8) / (1.8 + 3.04)
        let sim = wang_similarity(&a, &c).unwrap();
        assert!((sim - 3.24 / 4.84).abs() < 1e-15);
        let d = wang_values(&go, 4);
        // S_D: D = 1, A = 0.7, R = 0.56
        assert_eq!(d.values, vec![0.7 * 0.8, 0.7, 1.0]);
        assert_eq!(wang_similarity(&a, &a), Some(1.0));
    }

    #[test]
    fn terms_without_shared_ancestors_are_undefined() {
        let go = Ontology::build(vec![term("X", &[], &[]), term("Y", &[], &[])]).unwrap();
        assert_eq!(
            wang_similarity(&wang_values(&go, 0), &wang_values(&go, 1)),
            None
        );
    }
}
