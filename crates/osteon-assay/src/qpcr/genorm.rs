//! geNorm reference-gene stability (Vandesompele et al. 2002, Genome Biol.
//! 3:research0034), as the original geNorm and R's `SLqPCR::selectHKs(method
//! = "geNorm")` compute it:
//!
//! - for genes `j, k`, `V_jk` = SD over samples (n − 1 denominator) of
//!   `log2(Q_j/Q_k)`; the stability measure `M_j` = mean of `V_jk` over the
//!   other genes `k` of the current set;
//! - stepwise exclusion: the gene with the highest M (the first in input
//!   order on ties) is removed and M recomputed, until two genes remain (the
//!   most stable pair, with equal M);
//! - pairwise variation `V_n/n+1` = SD of `log2(NF_n / NF_n+1)`, `NF_n` the
//!   geometric mean of the `n` most stable genes; the recommended number of
//!   reference genes is the smallest `n` with `V_n/n+1 < 0.15`.
//!
//! Relative quantities enter on the log2 scale: `log2 Q = −log2(1 + E) · Cq`
//! (constant shifts cancel in every ratio).

use osteon_stats::summary;

/// The cut-off on `V_n/n+1` proposed by Vandesompele et al.
pub const PAIRWISE_CUTOFF: f64 = 0.15;

/// M values of the genes remaining at one step.
#[derive(Debug, Clone, PartialEq)]
pub struct GenormStep {
    pub genes: Vec<String>,
    pub m: Vec<f64>,
    /// The gene removed after this step (the least stable), `None` at the
    /// last step.
    pub excluded: Option<String>,
}

/// A gene's place in the final ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedGene {
    pub gene: String,
    /// 1 for both genes of the most stable pair, then 3, 4, … .
    pub rank: usize,
    /// M when the gene was excluded (the pair's final M for the pair).
    pub m: f64,
}

/// `V_n/n+1`.
#[derive(Debug, Clone, PartialEq)]
pub struct PairwiseVariation {
    /// `n`.
    pub n: usize,
    /// `"V2/3"`, …
    pub label: String,
    pub v: f64,
}

/// The geNorm analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Genorm {
    /// Candidate genes in input order.
    pub genes: Vec<String>,
    /// Samples used (every candidate determined).
    pub samples: Vec<String>,
    pub steps: Vec<GenormStep>,
    /// Most stable first.
    pub ranking: Vec<RankedGene>,
    pub pairwise: Vec<PairwiseVariation>,
    /// Smallest `n` with `V_n/n+1 < 0.15`, if any.
    pub recommended_genes: Option<usize>,
}

/// Runs geNorm on `log2_quantities`, row-major `samples × genes`.
///
/// # Panics
/// If the matrix size does not match, or fewer than 2 genes are given (a
/// programming error; callers validate).
///
/// ```
/// use osteon_assay::qpcr::genorm;
/// let genes = ["A".to_string(), "B".to_string(), "C".to_string()];
/// let samples = ["s1".to_string(), "s2".to_string(), "s3".to_string()];
/// // C varies against A and B, which move together.
/// let q = [0.0, 1.0, 0.0, 1.0, 2.0, 3.0, 2.0, 3.0, 1.0];
/// let g = genorm(&genes, &samples, &q);
/// assert_eq!(g.steps[0].excluded.as_deref(), Some("C"));
/// assert_eq!(g.ranking[0].m, 0.0);
/// ```
pub fn genorm(genes: &[String], samples: &[String], log2_quantities: &[f64]) -> Genorm {
    let k = genes.len();
    assert!(k >= 2, "geNorm needs at least two genes");
    assert_eq!(
        log2_quantities.len(),
        k * samples.len(),
        "geNorm matrix size"
    );
    let column = |j: usize| -> Vec<f64> {
        (0..samples.len())
            .map(|i| log2_quantities[i * k + j])
            .collect()
    };
    let columns: Vec<Vec<f64>> = (0..k).map(column).collect();
    // V_jk for every pair, computed once.
    let mut pair_sd = vec![0.0; k * k];
    for j in 0..k {
        for l in j + 1..k {
            let diff: Vec<f64> = columns[j]
                .iter()
                .zip(&columns[l])
                .map(|(a, b)| a - b)
                .collect();
            let sd = summary::var(&diff).sqrt();
            pair_sd[j * k + l] = sd;
            pair_sd[l * k + j] = sd;
        }
    }
    let mut remaining: Vec<usize> = (0..k).collect();
    let mut steps = Vec::new();
    let mut excluded_order: Vec<(usize, f64)> = Vec::new();
    loop {
        let m: Vec<f64> = remaining
            .iter()
            .map(|&j| {
                remaining
                    .iter()
                    .filter(|&&l| l != j)
                    .map(|&l| pair_sd[j * k + l])
                    .sum::<f64>()
                    / (remaining.len() - 1) as f64
            })
            .collect();
        let names: Vec<String> = remaining.iter().map(|&j| genes[j].clone()).collect();
        if remaining.len() == 2 {
            steps.push(GenormStep {
                genes: names,
                m: m.clone(),
                excluded: None,
            });
            excluded_order.push((remaining[1], m[1]));
            excluded_order.push((remaining[0], m[0]));
            break;
        }
        let mut worst = 0;
        for (i, v) in m.iter().enumerate() {
            if *v > m[worst] {
                worst = i;
            }
        }
        steps.push(GenormStep {
            genes: names,
            m: m.clone(),
            excluded: Some(genes[remaining[worst]].clone()),
        });
        excluded_order.push((remaining[worst], m[worst]));
        remaining.remove(worst);
    }
    // Most stable first: the final pair (input order), then reverse exclusion.
    let order: Vec<(usize, f64)> = excluded_order.iter().rev().copied().collect();
    let ranking: Vec<RankedGene> = order
        .iter()
        .enumerate()
        .map(|(position, &(j, m))| RankedGene {
            gene: genes[j].clone(),
            rank: if position < 2 { 1 } else { position + 1 },
            m,
        })
        .collect();
    let mut pairwise = Vec::new();
    for n in 2..k {
        let ratio: Vec<f64> = (0..samples.len())
            .map(|i| {
                let nf = |count: usize| {
                    order[..count]
                        .iter()
                        .map(|&(j, _)| log2_quantities[i * k + j])
                        .sum::<f64>()
                        / count as f64
                };
                nf(n) - nf(n + 1)
            })
            .collect();
        pairwise.push(PairwiseVariation {
            n,
            label: format!("V{}/{}", n, n + 1),
            v: summary::var(&ratio).sqrt(),
        });
    }
    let recommended_genes = pairwise.iter().find(|p| p.v < PAIRWISE_CUTOFF).map(|p| p.n);
    Genorm {
        genes: genes.to_vec(),
        samples: samples.to_vec(),
        steps,
        ranking,
        pairwise,
        recommended_genes,
    }
}
