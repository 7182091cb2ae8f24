//! Over-representation analysis (ORA): the one-sided hypergeometric test
//! of each GO term, as clusterProfiler's `enrichGO`/DOSE's
//! `enricher_internal` and goatools' `GOEnrichmentStudy` compute it, plus
//! topGO's `elim` and `weight01` (private module `topgo`, documented there).
//!
//! For a term with `K` universe genes of which `k` are in the list, with
//! `N` universe genes and `n` list genes, the p-value is the upper tail
//! `P(X ≥ k)` of the hypergeometric distribution,
//! `phyper(k - 1, K, N - K, n, lower.tail = FALSE)` (R nmath via
//! `osteon_stats`), which equals the one-sided ("greater") Fisher exact
//! test.
//!
//! Universe (`N`, `n`), chosen by [`UniversePolicy`]:
//! * `Annotated` (default; clusterProfiler, topGO): only universe genes with
//!   at least one annotation in the namespace count; `n` counts list genes
//!   with an annotation (DOSE: "those genes that have no annotation should
//!   drop").
//! * `All` (goatools): every universe gene counts; `n` is the list size.
//!
//! List genes outside the universe are set aside and reported. Tested terms
//! have at least one list gene and a universe size `K` within
//! `[min_size, max_size]` (0 = no bound), as clusterProfiler's
//! `minGSSize <= K <= maxGSSize`. For `elim`/`weight01`, `min_size` prunes
//! the graph like topGO's `nodeSize` and `max_size` only filters the report.
//!
//! Per term also: `GeneRatio = k/n`, `BgRatio = K/N`, `RichFactor = k/K`,
//! `FoldEnrichment = (k/n)/(K/N)`, and the hypergeometric z-score
//! `(k − μ)/σ` with `μ = nK/N` and `σ² = μ (N − K)(N − n)/(N (N − 1))`.
//! Adjusted p-values: Benjamini–Hochberg and Bonferroni over the tested
//! terms (R's `p.adjust`), and Storey q-values as clusterProfiler reports
//! them ([`crate::qvalue`]). Rows are sorted by p-value, ties by term id.

use std::fmt;
use std::str::FromStr;

use osteon_stats::adjust::{p_adjust, AdjustMethod};
use osteon_stats::distributions::phyper;
use rayon::prelude::*;

use crate::annotations::GeneSets;
use crate::ontology::Ontology;
use crate::qvalue::clusterprofiler_qvalues;
use crate::topgo::{self, TopGoAlgorithm, TopGoInput};
use crate::EnrichError;

/// Which universe genes count (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UniversePolicy {
    /// Only genes with an annotation in the namespace (clusterProfiler, topGO).
    #[default]
    Annotated,
    /// Every universe gene (goatools).
    All,
}

impl UniversePolicy {
    /// `annotated` or `all`.
    pub fn label(self) -> &'static str {
        match self {
            UniversePolicy::Annotated => "annotated",
            UniversePolicy::All => "all",
        }
    }
}

impl FromStr for UniversePolicy {
    type Err = EnrichError;
    fn from_str(text: &str) -> Result<UniversePolicy, EnrichError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "annotated" => Ok(UniversePolicy::Annotated),
            "all" => Ok(UniversePolicy::All),
            _ => Err(EnrichError::InvalidOption {
                option: "universe policy",
                value: text.to_string(),
                problem: "expected annotated or all".into(),
            }),
        }
    }
}

impl fmt::Display for UniversePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The term-scoring algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Algorithm {
    /// Each term tested on its own.
    #[default]
    Classic,
    /// topGO `elim`.
    Elim,
    /// topGO `weight01` (topGO's default).
    Weight01,
}

impl Algorithm {
    /// `classic`, `elim` or `weight01`.
    pub fn label(self) -> &'static str {
        match self {
            Algorithm::Classic => "classic",
            Algorithm::Elim => "elim",
            Algorithm::Weight01 => "weight01",
        }
    }
}

impl FromStr for Algorithm {
    type Err = EnrichError;
    fn from_str(text: &str) -> Result<Algorithm, EnrichError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "classic" => Ok(Algorithm::Classic),
            "elim" => Ok(Algorithm::Elim),
            "weight01" => Ok(Algorithm::Weight01),
            _ => Err(EnrichError::InvalidOption {
                option: "algorithm",
                value: text.to_string(),
                problem: "expected classic, elim or weight01".into(),
            }),
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Options of [`over_representation`].
#[derive(Debug, Clone, PartialEq)]
pub struct OraOptions {
    /// Which universe genes count.
    pub universe_policy: UniversePolicy,
    /// Smallest term size `K` tested (0 = no bound); clusterProfiler's
    /// `minGSSize` default 10.
    pub min_size: usize,
    /// Largest term size `K` tested (0 = no bound); clusterProfiler's
    /// `maxGSSize` default 500.
    pub max_size: usize,
    /// Term-scoring algorithm.
    pub algorithm: Algorithm,
    /// `elim`'s significance cutoff on raw p-values (topGO default 0.01).
    pub elim_cutoff: f64,
}

impl Default for OraOptions {
    fn default() -> OraOptions {
        OraOptions {
            universe_policy: UniversePolicy::Annotated,
            min_size: 10,
            max_size: 500,
            algorithm: Algorithm::Classic,
            elim_cutoff: 0.01,
        }
    }
}

/// How the universe and the list were formed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counts {
    /// Distinct universe genes given.
    pub universe_given: usize,
    /// Of those, annotated in the namespace.
    pub universe_annotated: usize,
    /// `N`.
    pub universe_size: usize,
    /// Distinct list genes given.
    pub list_given: usize,
    /// List genes not in the universe (set aside), in list order.
    pub list_outside_universe: Vec<u32>,
    /// List genes in the universe and annotated in the namespace.
    pub list_annotated: usize,
    /// `n`.
    pub list_size: usize,
    /// Terms with at least one list gene (before the size filter).
    pub terms_with_hits: usize,
    /// Of those, left out by `min_size`/`max_size`.
    pub terms_outside_size: usize,
}

/// Per-term results, one entry per tested term, sorted by p-value then id.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OraTable {
    /// Term indices into the ontology.
    pub term: Vec<u32>,
    /// `k`: list genes in the term.
    pub count: Vec<usize>,
    /// `K`: universe genes in the term.
    pub term_size: Vec<usize>,
    /// Raw p-values (for elim/weight01 after elimination).
    pub pvalue: Vec<f64>,
    /// Benjamini–Hochberg adjusted p-values.
    pub p_adjust: Vec<f64>,
    /// Bonferroni adjusted p-values.
    pub bonferroni: Vec<f64>,
    /// Storey q-values (NaN where clusterProfiler reports NA).
    pub qvalue: Vec<f64>,
    /// `k/K`.
    pub rich_factor: Vec<f64>,
    /// `(k/n)/(K/N)`.
    pub fold_enrichment: Vec<f64>,
    /// Hypergeometric z-score.
    pub z_score: Vec<f64>,
    /// The term's list genes (unified gene indices), in list order.
    pub genes: Vec<Vec<u32>>,
    /// elim/weight01: genes removed from the term before its test.
    pub eliminated: Vec<usize>,
}

impl OraTable {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.term.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.term.is_empty()
    }

    /// The rows at the given positions, in that order.
    pub fn select(&self, rows: &[usize]) -> OraTable {
        fn pick<T: Clone>(values: &[T], rows: &[usize]) -> Vec<T> {
            rows.iter().map(|&r| values[r].clone()).collect()
        }
        OraTable {
            term: pick(&self.term, rows),
            count: pick(&self.count, rows),
            term_size: pick(&self.term_size, rows),
            pvalue: pick(&self.pvalue, rows),
            p_adjust: pick(&self.p_adjust, rows),
            bonferroni: pick(&self.bonferroni, rows),
            qvalue: pick(&self.qvalue, rows),
            rich_factor: pick(&self.rich_factor, rows),
            fold_enrichment: pick(&self.fold_enrichment, rows),
            z_score: pick(&self.z_score, rows),
            genes: pick(&self.genes, rows),
            eliminated: pick(&self.eliminated, rows),
        }
    }
}

/// The result of [`over_representation`].
#[derive(Debug, Clone, PartialEq)]
pub struct OraResult {
    /// The algorithm used.
    pub algorithm: Algorithm,
    /// The universe policy used.
    pub universe_policy: UniversePolicy,
    /// How `N` and `n` were formed.
    pub counts: Counts,
    /// π₀ of the q-values (`None` where clusterProfiler reports NA q-values).
    pub pi0: Option<f64>,
    /// The tested terms.
    pub table: OraTable,
}

/// Runs the over-representation analysis of `list` against `universe`
/// (unified gene indices, e.g. from [`crate::IdMapper`]; indices at or
/// above `sets.n_genes()` are genes without annotation).
pub fn over_representation(
    ontology: &Ontology,
    sets: &GeneSets,
    list: &[u32],
    universe: &[u32],
    options: &OraOptions,
) -> Result<OraResult, EnrichError> {
    if !(options.elim_cutoff > 0.0 && options.elim_cutoff <= 1.0) {
        return Err(EnrichError::InvalidOption {
            option: "elim cutoff",
            value: options.elim_cutoff.to_string(),
            problem: "must be in (0, 1]".into(),
        });
    }
    if options.min_size > 0 && options.max_size > 0 && options.min_size > options.max_size {
        return Err(EnrichError::InvalidOption {
            option: "min size",
            value: options.min_size.to_string(),
            problem: format!("larger than the max size {}", options.max_size),
        });
    }
    if list.is_empty() {
        return Err(EnrichError::EmptyList);
    }
    if universe.is_empty() {
        return Err(EnrichError::EmptyUniverse);
    }
    let n_space = list
        .iter()
        .chain(universe)
        .map(|&g| g as usize + 1)
        .max()
        .unwrap_or(0)
        .max(sets.n_genes());
    let mut in_universe = vec![false; n_space];
    let mut universe_given = 0;
    let mut universe_annotated = 0;
    for &g in universe {
        if !in_universe[g as usize] {
            in_universe[g as usize] = true;
            universe_given += 1;
            universe_annotated += usize::from(sets.is_annotated(g));
        }
    }
    let mut in_list = vec![false; n_space];
    let mut seen_list = vec![false; n_space];
    let mut list_genes: Vec<u32> = Vec::with_capacity(list.len());
    let mut list_outside_universe = Vec::new();
    let mut list_given = 0;
    for &g in list {
        if std::mem::replace(&mut seen_list[g as usize], true) {
            continue;
        }
        list_given += 1;
        if in_universe[g as usize] {
            in_list[g as usize] = true;
            list_genes.push(g);
        } else {
            list_outside_universe.push(g);
        }
    }
    if list_genes.is_empty() {
        return Err(EnrichError::ListOutsideUniverse {
            list: list_given,
            universe: universe_given,
        });
    }
    let namespace = sets.namespace.to_string();
    if universe_annotated == 0 {
        return Err(EnrichError::NoAnnotatedUniverse {
            universe: universe_given,
            namespace,
        });
    }
    let list_annotated = list_genes.iter().filter(|&&g| sets.is_annotated(g)).count();
    if list_annotated == 0 {
        return Err(EnrichError::NoAnnotatedList {
            list: list_genes.len(),
            namespace,
        });
    }
    let (universe_size, list_size) = match options.universe_policy {
        UniversePolicy::Annotated => (universe_annotated, list_annotated),
        UniversePolicy::All => (universe_given, list_genes.len()),
    };

    // K and k per term; the list genes of each term in list order.
    let n_terms = ontology.len();
    let mut term_size = vec![0usize; n_terms];
    let mut seen_universe = vec![false; n_space];
    for &g in universe {
        if !seen_universe[g as usize] {
            seen_universe[g as usize] = true;
            for &t in sets.terms_of(g) {
                term_size[t as usize] += 1;
            }
        }
    }
    let mut hit_offsets = vec![0u32; n_terms + 1];
    for &g in &list_genes {
        for &t in sets.terms_of(g) {
            hit_offsets[t as usize + 1] += 1;
        }
    }
    for t in 0..n_terms {
        hit_offsets[t + 1] += hit_offsets[t];
    }
    let mut fill = hit_offsets.clone();
    let mut hit_genes = vec![0u32; hit_offsets[n_terms] as usize];
    for &g in &list_genes {
        for &t in sets.terms_of(g) {
            hit_genes[fill[t as usize] as usize] = g;
            fill[t as usize] += 1;
        }
    }
    let hits_of =
        |t: u32| &hit_genes[hit_offsets[t as usize] as usize..hit_offsets[t as usize + 1] as usize];

    let within_size = |size: usize| {
        (options.min_size == 0 || size >= options.min_size)
            && (options.max_size == 0 || size <= options.max_size)
    };
    let terms_with_hits = (0..n_terms as u32)
        .filter(|&t| !hits_of(t).is_empty())
        .count();
    let mut scored: Vec<(u32, f64, usize)> = match options.algorithm {
        Algorithm::Classic => {
            let tested: Vec<u32> = (0..n_terms as u32)
                .filter(|&t| !hits_of(t).is_empty() && within_size(term_size[t as usize]))
                .collect();
            // Terms sharing k and K share the p-value (small terms often
            // do): each distinct pair is computed once.
            let pair = |t: u32| (hits_of(t).len(), term_size[t as usize]);
            let mut pairs: Vec<(usize, usize)> = tested.iter().map(|&t| pair(t)).collect();
            pairs.sort_unstable();
            pairs.dedup();
            let pvalues: Vec<f64> = pairs
                .par_iter()
                .map(|&(k, big_k)| {
                    phyper(
                        k as f64 - 1.0,
                        big_k as f64,
                        universe_size as f64 - big_k as f64,
                        list_size as f64,
                        false,
                        false,
                    )
                })
                .collect();
            tested
                .iter()
                .map(|&t| {
                    let at = pairs
                        .binary_search(&pair(t))
                        .expect("every tested pair was computed");
                    (t, pvalues[at], 0)
                })
                .collect()
        }
        Algorithm::Elim | Algorithm::Weight01 => {
            let n_ann = sets.n_genes();
            let feasible: Vec<bool> = (0..n_ann)
                .map(|g| in_universe[g] && sets.is_annotated(g as u32))
                .collect();
            let listed: Vec<bool> = (0..n_ann).map(|g| in_list[g]).collect();
            let input = TopGoInput {
                ontology,
                sets,
                in_universe: &feasible,
                in_list: &listed,
                universe_size,
                list_size,
                node_size: options.min_size.max(1),
            };
            let algorithm = match options.algorithm {
                Algorithm::Elim => TopGoAlgorithm::Elim {
                    cutoff: options.elim_cutoff,
                },
                _ => TopGoAlgorithm::Weight01,
            };
            topgo::run(&input, algorithm)
                .into_iter()
                .filter(|score| within_size(term_size[score.term as usize]))
                .map(|score| (score.term, score.pvalue, score.eliminated))
                .collect()
        }
    };
    let terms_outside_size = terms_with_hits - scored.len();
    scored.sort_by(|a, b| {
        a.1.partial_cmp(&b.1)
            .expect("p-values are not NaN")
            .then_with(|| ontology.term(a.0).id.cmp(&ontology.term(b.0).id))
    });

    let pvalue: Vec<f64> = scored.iter().map(|s| s.1).collect();
    let qvalues = clusterprofiler_qvalues(&pvalue);
    let n = list_size as f64;
    let big_n = universe_size as f64;
    let mut table = OraTable {
        p_adjust: p_adjust(&pvalue, AdjustMethod::BH),
        bonferroni: p_adjust(&pvalue, AdjustMethod::Bonferroni),
        qvalue: match &qvalues {
            Some(q) => q.qvalues.clone(),
            None => vec![f64::NAN; pvalue.len()],
        },
        pvalue,
        ..OraTable::default()
    };
    for &(t, _, eliminated) in &scored {
        let hits = hits_of(t);
        let k = hits.len() as f64;
        let big_k = term_size[t as usize] as f64;
        let mean = n * big_k / big_n;
        let variance = mean * (big_n - big_k) * (big_n - n) / (big_n * (big_n - 1.0));
        table.term.push(t);
        table.count.push(hits.len());
        table.term_size.push(term_size[t as usize]);
        table.rich_factor.push(k / big_k);
        table.fold_enrichment.push((k * big_n) / (big_k * n));
        table.z_score.push((k - mean) / variance.sqrt());
        table.genes.push(hits.to_vec());
        table.eliminated.push(eliminated);
    }
    Ok(OraResult {
        algorithm: options.algorithm,
        universe_policy: options.universe_policy,
        counts: Counts {
            universe_given,
            universe_annotated,
            universe_size,
            list_given,
            list_outside_universe,
            list_annotated,
            list_size,
            terms_with_hits,
            terms_outside_size,
        },
        pi0: qvalues.map(|q| q.pi0),
        table,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotations::{
        AnnotationGene, AnnotationInput, AnnotationLink, AnnotationOptions, Annotations,
    };
    use crate::ontology::{tests::small_tree, Namespace, RelationSet};

    /// The hand-checkable example (all is_a):
    /// ```text
    ///        R
    ///      /   \
    ///     A     B        direct: C = g0 g1 g2, D = g3 g4, A = g5, B = g6..g9
    ///    / \
    ///   C   D            list S = g0 g1 g2 g3, universe g0..g9 (N = 10, n = 4)
    /// ```
    /// Propagated: C = {0,1,2}, D = {3,4}, A = {0..5}, B = {6..9}, R = all.
    fn example() -> (Ontology, GeneSets) {
        let go = small_tree();
        let direct = [
            (0, 3),
            (1, 3),
            (2, 3),
            (3, 4),
            (4, 4),
            (5, 1),
            (6, 2),
            (7, 2),
            (8, 2),
            (9, 2),
        ];
        let genes: Vec<AnnotationGene> = (0..10)
            .map(|g| AnnotationGene {
                id: format!("g{g}"),
                ..AnnotationGene::default()
            })
            .collect();
        let term_ids: Vec<String> = ["R", "A", "B", "C", "D"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let links: Vec<AnnotationLink> = direct
            .iter()
            .map(|&(g, t)| AnnotationLink {
                gene: g,
                term: t,
                evidence: 0,
            })
            .collect();
        let input = AnnotationInput {
            genes: &genes,
            term_ids: &term_ids,
            evidence_codes: &["IDA".to_string()],
            links: &links,
        };
        let (annotations, _) = Annotations::build(&go, input, &AnnotationOptions::default());
        let sets = annotations.propagate(&go, Namespace::BiologicalProcess, RelationSet::IS_A);
        (go, sets)
    }

    fn run(algorithm: Algorithm, cutoff: f64) -> Vec<(String, f64, usize, usize)> {
        let (go, sets) = example();
        let options = OraOptions {
            min_size: 0,
            max_size: 0,
            algorithm,
            elim_cutoff: cutoff,
            ..OraOptions::default()
        };
        let universe: Vec<u32> = (0..10).collect();
        let result = over_representation(&go, &sets, &[0, 1, 2, 3], &universe, &options).unwrap();
        let t = &result.table;
        (0..t.len())
            .map(|r| {
                (
                    go.term(t.term[r]).id.clone(),
                    t.pvalue[r],
                    t.count[r],
                    t.eliminated[r],
                )
            })
            .collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-14 * b.abs()
    }

    #[test]
    fn classic_p_values_by_hand() {
        // P(X >= k), X ~ Hyper(N = 10, K, n = 4):
        // C: K=3, k=3: C(3,3)C(7,1)/C(10,4) = 7/210 = 1/30
        // A: K=6, k=4: C(6,4)/C(10,4) = 15/210 = 1/14
        // D: K=2, k=1: 1 - C(8,4)/C(10,4) = 1 - 70/210 = 2/3
        // R: K=10, k=4: 1
        let rows = run(Algorithm::Classic, 0.01);
        let ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(ids, ["C", "A", "D", "R"]);
        assert!(close(rows[0].1, 1.0 / 30.0));
        assert!(close(rows[1].1, 1.0 / 14.0));
        assert!(close(rows[2].1, 2.0 / 3.0));
        assert!(close(rows[3].1, 1.0));
    }

    #[test]
    fn elim_by_hand() {
        // cutoff 0.05: C (p = 1/30) is significant and eliminates g0 g1 g2
        // from A and R.
        // A: numM = 6-3 = 3, numHits = 4-3 = 1, numSig = 4-3 = 1, numAll = 10-3 = 7
        //    P(X >= 1), X ~ Hyper(white 1, black 6, draws 3) = 3/7
        // R: numM = 10-3 = 7, numHits = 1, numSig = 1, numAll = 7: all drawn, p = 1
        let rows = run(Algorithm::Elim, 0.05);
        let find = |id: &str| rows.iter().find(|r| r.0 == id).unwrap().clone();
        assert!(close(find("C").1, 1.0 / 30.0));
        assert!(close(find("D").1, 2.0 / 3.0));
        assert!(close(find("A").1, 3.0 / 7.0));
        assert_eq!(find("A").3, 3);
        assert!(close(find("R").1, 1.0));
        assert_eq!(find("R").3, 3);
        assert!(rows.iter().all(|r| r.0 != "B")); // no list gene: not scored
                                                  // at topGO's default cutoff 0.01 nothing is eliminated: elim = classic
        let rows = run(Algorithm::Elim, 0.01);
        assert!(close(
            rows.iter().find(|r| r.0 == "A").unwrap().1,
            1.0 / 14.0
        ));
    }

    #[test]
    fn weight01_by_hand() {
        // C, D are leaves: classic 1/30 and 2/3.
        // A: children C, D always count as "more significant" (.sigRatio.01 > 1),
        //    so g0..g4 are removed: numM = 1 (g5), numHits = 0, numSig = 0,
        //    numAll = 5 -> p = P(X >= 0) = 1; g0..g4 are removed from R too.
        // R: child A (B has no list gene, not in the scored graph):
        //    removes g0..g5: numM = 4, numHits = 0, numSig = 0, numAll = 4 -> p = 1
        let rows = run(Algorithm::Weight01, 0.01);
        let find = |id: &str| rows.iter().find(|r| r.0 == id).unwrap().clone();
        assert!(close(find("C").1, 1.0 / 30.0));
        assert!(close(find("D").1, 2.0 / 3.0));
        assert_eq!((find("A").1, find("A").3), (1.0, 5));
        assert_eq!((find("R").1, find("R").3), (1.0, 6));
    }

    #[test]
    fn columns_policy_and_size_filters() {
        let (go, sets) = example();
        // universe with an unannotated gene (index 10) and the list with one
        // gene outside the universe (11)
        let universe: Vec<u32> = (0..11).collect();
        let list = [0, 1, 2, 3, 11, 0];
        let all = OraOptions {
            universe_policy: UniversePolicy::All,
            min_size: 3,
            max_size: 6,
            ..OraOptions::default()
        };
        let result = over_representation(&go, &sets, &list, &universe, &all).unwrap();
        let c = &result.counts;
        assert_eq!(
            (c.universe_given, c.universe_annotated, c.universe_size),
            (11, 10, 11)
        );
        assert_eq!((c.list_given, c.list_annotated, c.list_size), (5, 4, 4));
        assert_eq!(c.list_outside_universe, vec![11]);
        assert_eq!((c.terms_with_hits, c.terms_outside_size), (4, 2)); // D (K=2) and R (K=10) filtered
        let t = &result.table;
        let ids: Vec<&str> = t.term.iter().map(|&i| go.term(i).id.as_str()).collect();
        assert_eq!(ids, ["C", "A"]);
        // C: k=3, K=3, n=4, N=11
        assert_eq!(t.rich_factor[0], 1.0);
        assert_eq!(t.fold_enrichment[0], (3.0 * 11.0) / (3.0 * 4.0));
        let mean: f64 = 4.0 * 3.0 / 11.0;
        let variance = mean * 8.0 * 7.0 / (11.0 * 10.0);
        assert!(close(t.z_score[0], (3.0 - mean) / variance.sqrt()));
        assert_eq!(t.genes[0], vec![0, 1, 2]);
        // BH and Bonferroni over the 2 tested terms; q-values NA (max p < 0.05)
        assert!(close(t.bonferroni[0], 2.0 * t.pvalue[0]));
        assert!(t.qvalue.iter().all(|q| q.is_nan()));
        assert_eq!(result.pi0, None);
    }

    #[test]
    fn bad_lists_are_errors() {
        let (go, sets) = example();
        let universe: Vec<u32> = (0..10).collect();
        let options = OraOptions::default();
        assert_eq!(
            over_representation(&go, &sets, &[], &universe, &options),
            Err(EnrichError::EmptyList)
        );
        assert_eq!(
            over_representation(&go, &sets, &[12, 13], &universe, &options),
            Err(EnrichError::ListOutsideUniverse {
                list: 2,
                universe: 10
            })
        );
        assert!(matches!(
            over_representation(&go, &sets, &[10], &[10, 11], &options),
            Err(EnrichError::NoAnnotatedUniverse { .. })
        ));
        assert!(matches!(
            over_representation(&go, &sets, &[10], &[0, 10], &options),
            Err(EnrichError::NoAnnotatedList { .. })
        ));
    }
}
