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
use crate::semantic::{wang_values, SemanticValues};

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
    let similar = similar_pairs(&values, cutoff);
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

/// For each term `i`, the later terms `j > i` whose Wang similarity to it
/// exceeds `cutoff` (the measure is symmetric).
///
/// Equal to testing [`crate::semantic::wang_similarity`] on every pair, value for value,
/// but faster: term `i`'s semantic values are spread into a dense row once,
/// and each `j`'s sparse list is checked against it, so a pair costs one
/// pass over `j`'s ancestors without the branchy merge of two sorted
/// lists. Shared ancestors are still met in ascending term order, so the
/// sums, and hence the similarities, are bit-identical.
fn similar_pairs(values: &[SemanticValues], cutoff: f64) -> Vec<Vec<usize>> {
    let n = values.len();
    // Dense positions for the ancestors that occur at all.
    let mut occurring: Vec<u32> = values
        .iter()
        .flat_map(|v| v.terms.iter().copied())
        .collect();
    occurring.sort_unstable();
    occurring.dedup();
    let position = |term: u32| {
        occurring
            .binary_search(&term)
            .expect("every ancestor was collected")
    };
    let positions: Vec<Vec<usize>> = values
        .iter()
        .map(|v| v.terms.iter().map(|&t| position(t)).collect())
        .collect();
    (0..n)
        .into_par_iter()
        .map_init(
            // Semantic values are positive, so 0 marks an absent ancestor.
            || vec![0.0f64; occurring.len()],
            |row, i| {
                for (&p, &value) in positions[i].iter().zip(&values[i].values) {
                    row[p] = value;
                }
                let a = &values[i];
                let partners = (i + 1..n)
                    .filter(|&j| {
                        let b = &values[j];
                        let similarity = if a.terms == b.terms && a.values == b.values {
                            Some(1.0)
                        } else {
                            let (mut shared_a, mut shared_b) = (0.0, 0.0);
                            let mut any = false;
                            for (&p, &value) in positions[j].iter().zip(&b.values) {
                                if row[p] > 0.0 {
                                    shared_a += row[p];
                                    shared_b += value;
                                    any = true;
                                }
                            }
                            any.then(|| (shared_a + shared_b) / (a.total + b.total))
                        };
                        similarity.is_some_and(|sim| sim > cutoff)
                    })
                    .collect();
                for &p in &positions[i] {
                    row[p] = 0.0;
                }
                partners
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ontology::tests::small_tree;

    #[test]
    fn similar_pairs_equal_pairwise_wang_similarity() {
        use crate::ontology::tests::term;
        use crate::semantic::wang_similarity;
        // A seeded random DAG: term k has one to three parents among the
        // terms before it, some through part_of.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        let ids: Vec<String> = (0..300).map(|k| format!("T{k}")).collect();
        let mut records = vec![term(&ids[0], &[], &[])];
        for k in 1..ids.len() {
            let is_a: Vec<&str> = (0..1 + next(2)).map(|_| ids[next(k)].as_str()).collect();
            let part_of: Vec<(&str, &str)> = if next(4) == 0 {
                vec![("part_of", ids[next(k)].as_str())]
            } else {
                Vec::new()
            };
            records.push(term(&ids[k], &is_a, &part_of));
        }
        let go = Ontology::build(records).unwrap();
        let chosen: Vec<u32> = (0..120).map(|_| next(300) as u32).collect();
        let values: Vec<SemanticValues> = chosen.iter().map(|&t| wang_values(&go, t)).collect();
        for cutoff in [0.3, 0.5, 0.7, 0.9] {
            let expected: Vec<Vec<usize>> = (0..values.len())
                .map(|i| {
                    (i + 1..values.len())
                        .filter(|&j| {
                            wang_similarity(&values[i], &values[j]).is_some_and(|s| s > cutoff)
                        })
                        .collect()
                })
                .collect();
            assert_eq!(similar_pairs(&values, cutoff), expected, "cutoff {cutoff}");
            assert!(expected.iter().any(|partners| !partners.is_empty()));
        }
    }

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
