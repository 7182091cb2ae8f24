//! Redundancy reduction of enriched GO terms, as clusterProfiler's
//! `simplify(x, cutoff = 0.7, by = "p.adjust", select_fun = min,
//! measure = "Wang")` does (`simplify_internal`, clusterProfiler 4.x).
//!
//! With `sim` the Wang similarity of every pair of the given terms
//! ([`crate::semantic`]; pairs without a shared ancestor are left out, as
//! `sim.df[!is.na(sim.df$similarity), ]`), for each term `i` the group
//! `G_i = {j : sim(j, i) > cutoff}` is formed (it contains `i`). When
//! `|G_i| ≥ 2`, every member of `G_i` whose `by` value is not the group's
//! minimum is marked for removal (ties at the minimum are all kept). Marks
//! are collected over all groups at once, so the outcome does not depend on
//! the order of the terms; the kept terms keep their input order.
//!
//! clusterProfiler applies this to the enriched terms (`p.adjust` and
//! `qvalue` below their cutoffs); the caller chooses the terms.

use rayon::prelude::*;

use crate::ontology::Ontology;
use crate::semantic::{wang_similarity, wang_values, SemanticValues};

/// Positions (into `terms`) of the terms kept, in input order.
///
/// `by` holds one value per term (clusterProfiler: `p.adjust`); within a
/// group of similar terms the smallest is kept.
pub fn simplify(ontology: &Ontology, terms: &[u32], by: &[f64], cutoff: f64) -> Vec<usize> {
    assert_eq!(terms.len(), by.len(), "simplify: one `by` value per term");
    let n = terms.len();
    let values: Vec<SemanticValues> = terms
        .par_iter()
        .map(|&t| wang_values(ontology, t))
        .collect();
    // Similar pairs (i < j); the measure is symmetric.
    let similar: Vec<Vec<usize>> = (0..n)
        .into_par_iter()
        .map(|i| {
            (i + 1..n)
                .filter(|&j| {
                    wang_similarity(&values[i], &values[j]).is_some_and(|sim| sim > cutoff)
                })
                .collect()
        })
        .collect();
    // For each term i, the members of G_i other than i.
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, partners) in similar.iter().enumerate() {
        for &j in partners {
            groups[i].push(j);
            groups[j].push(i);
        }
    }
    let mut removed = vec![false; n];
    for (i, others) in groups.iter().enumerate() {
        if others.is_empty() {
            continue;
        }
        let best = others.iter().map(|&j| by[j]).fold(by[i], f64::min);
        for &j in others.iter().chain(std::iter::once(&i)) {
            if by[j] != best {
                removed[j] = true;
            }
        }
    }
    (0..n).filter(|&i| !removed[i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ontology::tests::small_tree;

    #[test]
    fn keeps_the_smallest_value_of_each_similar_group() {
        // R <- A <- C, A <- D (all is_a); B <- R.
        // S_C = {C:1, A:0.8, R:0.64}; S_D = {D:1, A:0.8, R:0.64}; S_A = {A:1, R:0.8}
        // sim(C, D) = (0.8+0.8+0.64+0.64) / (2.44+2.44) = 2.88/4.88 = 0.590...
        // sim(A, C) = (1+0.8+0.8+0.64) / (1.8+2.44) = 3.24/4.24 = 0.764...
        // sim(A, B) = (0.8+0.8) / (1.8+1.8) = 0.444...
        let go = small_tree();
        // terms A, C, D, B with p.adjust; A and C are similar (> 0.7),
        // C has the smaller value: A is removed; D is similar to A too
        // (same as C), so A's group {A, C, D} keeps only C.
        let kept = simplify(&go, &[1, 3, 4, 2], &[0.01, 0.001, 0.02, 0.03], 0.7);
        assert_eq!(kept, vec![1, 3]); // C and B
                                      // ties at the minimum are all kept
        let kept = simplify(&go, &[1, 3], &[0.01, 0.01], 0.7);
        assert_eq!(kept, vec![0, 1]);
        // a higher cutoff keeps everything
        let kept = simplify(&go, &[1, 3, 4, 2], &[0.01, 0.001, 0.02, 0.03], 0.8);
        assert_eq!(kept, vec![0, 1, 2, 3]);
    }
}
