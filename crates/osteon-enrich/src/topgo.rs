//! topGO's graph-decorrelating algorithms `elim` and `weight01` (Alexa,
//! Rahnenführer & Lengauer 2006, Bioinformatics 22:1600), ported from topGO's
//! `.sigGroups.elim` and `.sigGroups.weight01` (R/topGOalgo.R) with the
//! `elimCount`/`weight01Count` contingency tables (R/topGOmethods.R) and
//! `GOFisherTest` (R/topGOtests.R).
//!
//! Common to both, as in topGO's `getSigGroups`:
//! * the graph is the namespace's terms with at least `node_size` universe
//!   genes (topGO's `nodeSize` pruning), edges over the propagation
//!   relations;
//! * only "nontrivial" terms (at least one list gene) are scored, on the
//!   subgraph they induce; the others get p = 1 and are not reported;
//! * terms are visited by level, deepest first, where a term's level is the
//!   length of the longest path from the root (`buildLevels` assigns each
//!   node the last breadth-first wave reaching it). A term's ancestors are
//!   always on strictly lower levels, so the order inside a level does not
//!   matter;
//! * a term's test removes its *eliminated* genes from both the term and the
//!   universe: with `M` the term's universe genes, `S` the list genes, `E`
//!   the eliminated set, `numM = |M| − |M∩E|`, `numAll = N − |M∩E|`,
//!   `numSig = n − |M∩E∩S|`, `numHits = |M∩S| − |M∩E∩S|`, and
//!   `p = fisher.test(…, alternative = "greater")`, i.e.
//!   `phyper(numHits − 1, numSig, numAll − numSig, numM, lower.tail = FALSE)`
//!   (1 when the whole table is zero).
//!
//! `elim`: when a term's p-value is ≤ the cutoff (topGO default 0.01, raw,
//! not Bonferroni-adjusted: the adjustment in the paper is commented out in
//! topGO), all its genes are eliminated from all its ancestors.
//!
//! `weight01`: for each term, the children whose p-value compares as "more
//! significant" by topGO's `.sigRatio.01` have their genes removed from the
//! term, which is retested, and those genes are removed from all its
//! ancestors too. `.sigRatio.01(a, b)` returns 2 when `a` and `b` are equal
//! within `all.equal(tolerance = 1e-50)`, `1e50` when `a < b`, and 2
//! otherwise: always greater than 1, so in topGO every nontrivial child's
//! genes are removed from its parent. This port keeps that behaviour (and
//! the comparison, so the structure follows topGO's code).

use crate::annotations::GeneSets;
use crate::ontology::{Namespace, Ontology};
use osteon_stats::distributions::phyper;

/// Which algorithm to run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum TopGoAlgorithm {
    Elim { cutoff: f64 },
    Weight01,
}

/// The result for one scored term.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TopGoScore {
    pub term: u32,
    pub pvalue: f64,
    /// Genes removed from the term before its (final) test.
    pub eliminated: usize,
}

/// What the algorithms need about the gene list and universe.
pub(crate) struct TopGoInput<'a> {
    pub ontology: &'a Ontology,
    pub sets: &'a GeneSets,
    /// Per annotation gene: in the (feasible) universe.
    pub in_universe: &'a [bool],
    /// Per annotation gene: in the list (implies in the universe).
    pub in_list: &'a [bool],
    /// N.
    pub universe_size: usize,
    /// n.
    pub list_size: usize,
    /// Minimum universe genes per graph node (≥ 1).
    pub node_size: usize,
}

/// A fixed-size bit set over annotation genes.
#[derive(Debug, Clone)]
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }
    fn set(&mut self, i: u32) {
        self.0[i as usize / 64] |= 1 << (i % 64);
    }
    fn get(&self, i: u32) -> bool {
        self.0[i as usize / 64] & (1 << (i % 64)) != 0
    }
    fn union(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }
}

/// The scored subgraph: nontrivial terms, their members, parents, children
/// and levels.
struct Graph {
    /// Term index per node.
    terms: Vec<u32>,
    /// Universe genes per node, ascending.
    members: Vec<Vec<u32>>,
    /// List genes per node.
    hits: Vec<usize>,
    parents: Vec<Vec<usize>>,
    children: Vec<Vec<usize>>,
    /// Nodes grouped by level, level 1 first.
    levels: Vec<Vec<usize>>,
}

fn build_graph(input: &TopGoInput<'_>, namespace: Namespace) -> Graph {
    let ontology = input.ontology;
    let sets = input.sets;
    let relations = sets.relations;
    let mut node_of = vec![usize::MAX; ontology.len()];
    let mut node_level: Vec<usize> = Vec::new();
    let mut graph = Graph {
        terms: Vec::new(),
        members: Vec::new(),
        hits: Vec::new(),
        parents: Vec::new(),
        children: Vec::new(),
        levels: Vec::new(),
    };
    // Parents before children, so parents get their node first.
    for &term in ontology.topological_order() {
        if ontology.term(term).namespace != Some(namespace) {
            continue;
        }
        let members: Vec<u32> = sets
            .genes_of(term)
            .iter()
            .copied()
            .filter(|&g| input.in_universe[g as usize])
            .collect();
        let hits = members
            .iter()
            .filter(|&&g| input.in_list[g as usize])
            .count();
        if members.len() < input.node_size || hits == 0 {
            continue;
        }
        let node = graph.terms.len();
        node_of[term as usize] = node;
        let parents: Vec<usize> = ontology
            .parents(term)
            .iter()
            .filter(|edge| ontology.follows(term, edge, namespace, relations))
            .map(|edge| node_of[edge.term as usize])
            .filter(|&p| p != usize::MAX)
            .collect();
        let level = parents
            .iter()
            .map(|&p| node_level[p])
            .max()
            .map_or(0, |l| l + 1);
        node_level.push(level);
        for &p in &parents {
            graph.children[p].push(node);
        }
        graph.terms.push(term);
        graph.members.push(members);
        graph.hits.push(hits);
        graph.parents.push(parents);
        graph.children.push(Vec::new());
        if graph.levels.len() <= level {
            graph.levels.resize(level + 1, Vec::new());
        }
        graph.levels[level].push(node);
    }
    graph
}

impl Graph {
    /// Ancestors of a node (excluding it).
    fn ancestors(&self, node: usize) -> Vec<usize> {
        // Tens of ancestors: a small list beats a flag per node.
        let mut stack = vec![node];
        let mut found: Vec<usize> = Vec::new();
        while let Some(current) = stack.pop() {
            for &p in &self.parents[current] {
                if !found.contains(&p) {
                    found.push(p);
                    stack.push(p);
                }
            }
        }
        found
    }
}

/// topGO's `GOFisherTest` on the table with `eliminated` genes removed.
fn fisher_with_elimination(
    graph: &Graph,
    node: usize,
    eliminated: Option<&Bits>,
    input: &TopGoInput<'_>,
) -> (f64, usize) {
    let members = &graph.members[node];
    let (removed, removed_hits) = match eliminated {
        Some(bits) => members
            .iter()
            .filter(|&&g| bits.get(g))
            .fold((0, 0), |(a, s), &g| {
                (a + 1, s + usize::from(input.in_list[g as usize]))
            }),
        None => (0, 0),
    };
    let num_members = members.len() - removed;
    let num_hits = graph.hits[node] - removed_hits;
    let num_sig = input.list_size - removed_hits;
    let num_all = input.universe_size - removed;
    let table_is_zero = num_hits == 0 && num_sig == 0 && num_members == 0 && num_all == 0;
    let pvalue = if table_is_zero {
        1.0
    } else {
        phyper(
            num_hits as f64 - 1.0,
            num_sig as f64,
            (num_all - num_sig) as f64,
            num_members as f64,
            false,
            false,
        )
    };
    (pvalue, removed)
}

/// topGO's `.sigRatio.01(a, b)`: 2 when equal (within `all.equal` at
/// tolerance 1e-50), 1e50 when `a < b`, otherwise 2.
fn sig_ratio_01(a: f64, b: f64) -> f64 {
    let equal = if a == 0.0 {
        b == 0.0
    } else {
        ((a - b).abs() / a.abs()) <= 1e-50
    };
    if equal {
        2.0
    } else if a < b {
        1e50
    } else {
        2.0
    }
}

/// Runs elim or weight01; returns one score per nontrivial term, in graph
/// (topological) order.
pub(crate) fn run(input: &TopGoInput<'_>, algorithm: TopGoAlgorithm) -> Vec<TopGoScore> {
    let namespace = input.sets.namespace;
    let graph = build_graph(input, namespace);
    let n_nodes = graph.terms.len();
    let n_genes = input.sets.n_genes();
    let mut removed: Vec<Option<Bits>> = vec![None; n_nodes];
    let mut scores: Vec<Option<(f64, usize)>> = vec![None; n_nodes];
    for level in graph.levels.iter().rev() {
        for &node in level {
            match algorithm {
                TopGoAlgorithm::Elim { cutoff } => {
                    let score =
                        fisher_with_elimination(&graph, node, removed[node].as_ref(), input);
                    scores[node] = Some(score);
                    if score.0 <= cutoff {
                        for ancestor in graph.ancestors(node) {
                            let bits = removed[ancestor].get_or_insert_with(|| Bits::new(n_genes));
                            for &g in &graph.members[node] {
                                bits.set(g);
                            }
                        }
                    }
                }
                TopGoAlgorithm::Weight01 => {
                    let mut remaining: Vec<usize> = graph.children[node].clone();
                    let mut to_remove: Option<Bits> = None;
                    loop {
                        let score =
                            fisher_with_elimination(&graph, node, removed[node].as_ref(), input);
                        if remaining.is_empty() {
                            scores[node] = Some(score);
                            break;
                        }
                        let (more_significant, rest): (Vec<usize>, Vec<usize>) =
                            remaining.iter().partition(|&&child| {
                                let child_p = scores[child].expect("children are scored first").0;
                                sig_ratio_01(child_p, score.0) > 1.0
                            });
                        if more_significant.is_empty() {
                            scores[node] = Some(score);
                            break;
                        }
                        let mut genes = Bits::new(n_genes);
                        for &child in &more_significant {
                            for &g in &graph.members[child] {
                                genes.set(g);
                            }
                        }
                        removed[node]
                            .get_or_insert_with(|| Bits::new(n_genes))
                            .union(&genes);
                        to_remove
                            .get_or_insert_with(|| Bits::new(n_genes))
                            .union(&genes);
                        remaining = rest;
                    }
                    if let Some(genes) = to_remove {
                        for ancestor in graph.ancestors(node) {
                            removed[ancestor]
                                .get_or_insert_with(|| Bits::new(n_genes))
                                .union(&genes);
                        }
                    }
                }
            }
        }
    }
    (0..n_nodes)
        .map(|node| {
            let (pvalue, eliminated) = scores[node].expect("every node is scored");
            TopGoScore {
                term: graph.terms[node],
                pvalue,
                eliminated,
            }
        })
        .collect()
}
