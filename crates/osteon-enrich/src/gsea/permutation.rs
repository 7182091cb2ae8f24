//! fgsea's simple permutation null (`fgseaSimpleImpl` with
//! `calcGseaStatCumulativeBatch`, `src/fastGSEA.cpp`): each permutation draws
//! one random gene set of the largest tested size K and scores every prefix of
//! it, so that one draw serves all set sizes at once (Korotkevich et al.,
//! bioRxiv 060012, section "fgsea"). The prefix scores come from
//! `gseaStats1`, which keeps the upper convex hull of the running-sum points
//! in √K blocks (square-root decomposition) and is ported operation for
//! operation so that the floating-point sums, and therefore the counts and
//! means, are those of fgsea and GSEApy 1.3.1.

use rayon::prelude::*;

use super::mersenne::{combination, Mt19937};
use super::ScoreType;

/// Below this difference two running-sum heights count as equal when the hull
/// is rebuilt (fgsea's `eps` in `fastGSEA.cpp`).
const HULL_EPSILON: f64 = 1e-13;

/// Prefix sums over positions `0..n` with O(√n) point increments and O(1)
/// queries (fgsea's `SegmentTree`, a two-level block decomposition).
struct BlockPrefixSums<T> {
    within_block: Vec<T>,
    before_block: Vec<T>,
    block_mask: usize,
    log_block: usize,
}

impl<T: Copy + Default + std::ops::AddAssign + std::ops::Add<Output = T>> BlockPrefixSums<T> {
    fn new(n: usize) -> Self {
        let mut block = 1usize;
        let mut log_block = 0usize;
        while block * block < n {
            block <<= 1;
            log_block += 1;
        }
        let blocks = (n - 1) / block + 1;
        BlockPrefixSums {
            within_block: vec![T::default(); block * block],
            before_block: vec![T::default(); blocks],
            block_mask: block - 1,
            log_block,
        }
    }

    /// Adds `delta` at position `p`.
    fn add(&mut self, p: usize, delta: T) {
        let block_end = p - (p & self.block_mask) + self.block_mask + 1;
        for value in &mut self.within_block[p..block_end] {
            *value += delta;
        }
        for value in &mut self.before_block[block_end >> self.log_block..] {
            *value += delta;
        }
    }

    /// The sum over positions `[0, r)`.
    fn prefix(&self, r: usize) -> T {
        if r == 0 {
            T::default()
        } else {
            self.within_block[r - 1] + self.before_block[(r - 1) >> self.log_block]
        }
    }
}

/// The positive (or, with `reverse`, negative) enrichment statistic of every
/// prefix of `selected` (0-based positions in the ranked list, in draw order):
/// fgsea's `gseaStats1(stats, selectedStats, selectedOrder, gseaParam, rev)`.
/// `weights` are the ranked `|stat|^gseaParam` values (gseaParam already
/// applied, so the power here is 1 as fgsea calls it).
fn prefix_statistics(
    weights: &[f64],
    selected: &[usize],
    order: &[usize],
    reverse: bool,
) -> Vec<f64> {
    let n = weights.len() as i64;
    let k = selected.len();
    let mut statistics = vec![0.0; k];
    let mut xs = BlockPrefixSums::<i64>::new(k + 1);
    let mut ys = BlockPrefixSums::<f64>::new(k + 1);

    let mut rank_of = vec![0usize; k];
    for (i, &j) in order.iter().enumerate() {
        rank_of[j] = i;
    }
    if reverse {
        let mut previous = n;
        for i in 0..k {
            rank_of[i] = k - 1 - rank_of[i];
            let t = selected[order[k - 1 - i]] as i64;
            xs.add(i, previous - t);
            previous = t;
        }
        xs.add(k, previous);
    } else {
        let mut previous = -1i64;
        for i in 0..k {
            let t = selected[order[i]] as i64;
            xs.add(i, t - previous);
            previous = t;
        }
        xs.add(k, n - 1 - previous);
    }

    // Stack links of the per-block upper hulls and the blocks' summits.
    let mut stack_previous = vec![0usize; k + 2];
    let mut stack_next = vec![0isize; k + 2];
    let block_length = ((k + 1) as f64).sqrt() as usize;
    let n_blocks = (k + 1) / block_length + 1;
    let mut block_summit = vec![0usize; n_blocks];
    let mut block_start = vec![0usize; n_blocks];
    let mut block_end = vec![0usize; n_blocks];
    let mut i = 0;
    while i <= k + 1 {
        let block = i / block_length;
        block_start[block] = i;
        block_end[block] = (i + block_length - 1).min(k + 1);
        let mut j = 1;
        while i + j <= block_end[block] {
            stack_previous[i + j] = i + j - 1;
            stack_next[i + j - 1] = (i + j) as isize;
            j += 1;
        }
        stack_previous[i] = i;
        stack_next[block_end[block]] = block_end[block] as isize;
        block_summit[block] = block_end[block];
        i += block_length;
    }

    let mut stat_epsilon: f64 = 1e-5;
    for &t in selected {
        let magnitude = weights[t].abs();
        if magnitude > 0.0 {
            stat_epsilon = magnitude.min(stat_epsilon);
        }
    }
    stat_epsilon /= 1024.0;

    let mut total = 0.0;
    for i in 0..k {
        let t = selected[i];
        let t_rank = rank_of[i];
        // Zero weights would break the hull; fgsea replaces them by an epsilon.
        let weight = weights[t].abs().max(stat_epsilon);
        xs.add(t_rank, -1);
        ys.add(t_rank, weight);
        total += weight;
        let m = (i + 1) as i64;

        let current_block = (t_rank + 1) / block_length;
        let start = block_start[current_block];
        let end = block_end[current_block];

        // Rebuild the upper hull of the invalidated block.
        let mut current_top = t_rank.max(start);
        for c in t_rank + 1..=end {
            let xc = xs.prefix(c) as f64;
            let yc = ys.prefix(c);
            let mut b = current_top;
            let mut xb = xs.prefix(b) as f64;
            let mut yb = ys.prefix(b);
            while stack_previous[current_top] != current_top {
                let a = stack_previous[current_top];
                let xa = xs.prefix(a) as f64;
                let ya = ys.prefix(a);
                let mut turn = (xb - xa) * (yc - yb) - (yb - ya) * (xc - xb);
                if yc - ya < HULL_EPSILON {
                    turn = 0.0;
                }
                if turn <= 0.0 {
                    break;
                }
                current_top = a;
                stack_next[b] = -1;
                b = a;
                xb = xa;
                yb = ya;
            }
            stack_previous[c] = current_top;
            stack_next[current_top] = c as isize;
            current_top = c;
            if stack_next[c] != -1 {
                break;
            }
        }

        let coefficient = (n - m) as f64 / total;
        let mut max_deviation = 0.0f64;
        block_summit[current_block] = current_top.max(block_summit[current_block]);
        for block in 0..n_blocks {
            let mut summit = block_summit[block];
            let mut distance = ys.prefix(summit) * coefficient - xs.prefix(summit) as f64;
            loop {
                let next = stack_previous[summit];
                let next_distance = ys.prefix(next) * coefficient - xs.prefix(next) as f64;
                if next_distance <= distance {
                    break;
                }
                distance = next_distance;
                summit = next;
            }
            block_summit[block] = summit;
            max_deviation = max_deviation.max(distance);
        }
        statistics[i] = max_deviation / (n - m) as f64;
    }
    statistics
}

/// The enrichment statistic of every prefix of the random set `selected`
/// (fgsea's `calcGseaStatCumulative`).
pub(crate) fn cumulative_statistics(
    weights: &[f64],
    selected: &[usize],
    score_type: ScoreType,
) -> Vec<f64> {
    let mut order: Vec<usize> = (0..selected.len()).collect();
    order.sort_unstable_by_key(|&i| selected[i]);
    match score_type {
        ScoreType::Std => {
            let mut up = prefix_statistics(weights, selected, &order, false);
            let down = prefix_statistics(weights, selected, &order, true);
            for (u, d) in up.iter_mut().zip(down) {
                if *u == d {
                    *u = 0.0;
                } else if *u < d {
                    *u = -d;
                }
            }
            up
        }
        ScoreType::Pos => prefix_statistics(weights, selected, &order, false),
        ScoreType::Neg => prefix_statistics(weights, selected, &order, true)
            .into_iter()
            .map(|d| -d)
            .collect(),
    }
}

/// Per-set tallies over the random sets (fgsea's `leEs`, `geEs`, `leZero`,
/// `geZero`, `leZeroSum`, `geZeroSum`).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct NullTallies {
    pub le_es: Vec<f64>,
    pub ge_es: Vec<f64>,
    pub le_zero: Vec<f64>,
    pub ge_zero: Vec<f64>,
    pub le_zero_sum: Vec<f64>,
    pub ge_zero_sum: Vec<f64>,
}

/// fgsea's `calcGseaStatCumulativeBatch(stats, 1, pathwayScores,
/// pathwaysSizes, iterations, seed, scoreType)`. The random sets are drawn in
/// sequence from one generator; their prefix statistics are computed in
/// parallel and tallied in draw order, so the result does not depend on the
/// number of threads.
pub(crate) fn null_tallies(
    weights: &[f64],
    scores: &[f64],
    sizes: &[usize],
    iterations: usize,
    seed: u32,
    score_type: ScoreType,
) -> NullTallies {
    let n = weights.len();
    let m = sizes.len();
    let largest = sizes.iter().copied().max().unwrap_or(0);
    let mut tallies = NullTallies {
        le_es: vec![0.0; m],
        ge_es: vec![0.0; m],
        le_zero: vec![0.0; m],
        ge_zero: vec![0.0; m],
        le_zero_sum: vec![0.0; m],
        ge_zero_sum: vec![0.0; m],
    };
    if largest == 0 || iterations == 0 {
        return tallies;
    }
    let mut rng = Mt19937::new(seed);
    const BATCH: usize = 64;
    let mut done = 0;
    while done < iterations {
        let count = BATCH.min(iterations - done);
        let draws: Vec<Vec<usize>> = (0..count)
            .map(|_| combination(0, n - 1, largest, &mut rng))
            .collect();
        let prefix: Vec<Vec<f64>> = draws
            .par_iter()
            .map(|selected| cumulative_statistics(weights, selected, score_type))
            .collect();
        for random in &prefix {
            for j in 0..m {
                let value = random[sizes[j] - 1];
                let score = scores[j];
                tallies.le_es[j] += f64::from(u8::from(value <= score));
                tallies.ge_es[j] += f64::from(u8::from(value >= score));
                tallies.le_zero[j] += f64::from(u8::from(value <= 0.0));
                tallies.ge_zero[j] += f64::from(u8::from(value >= 0.0));
                tallies.le_zero_sum[j] += value.min(0.0);
                tallies.ge_zero_sum[j] += value.max(0.0);
            }
        }
        done += count;
    }
    tallies
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gsea::statistic::set_statistic;

    /// The hull heuristic must give the exact prefix statistics.
    #[test]
    fn prefix_statistics_equal_direct_computation() {
        let mut rng = Mt19937::new(3);
        let n = 300;
        let weights: Vec<f64> = (0..n)
            .map(|i| {
                let v = ((n - i) as f64 / 17.0).sin().abs() * 3.0 + 0.01 * (i % 7) as f64;
                if i % 50 == 0 {
                    0.0
                } else {
                    v
                }
            })
            .collect();
        for &k in &[1usize, 2, 5, 37, 120] {
            for score_type in [ScoreType::Std, ScoreType::Pos, ScoreType::Neg] {
                let selected = combination(0, n - 1, k, &mut rng);
                let fast = cumulative_statistics(&weights, &selected, score_type);
                for prefix in 1..=k {
                    let mut hits = selected[..prefix].to_vec();
                    hits.sort_unstable();
                    // gseaStats1 replaces zero weights by a tiny epsilon.
                    let adjusted: Vec<f64> = weights
                        .iter()
                        .map(|&w| if w == 0.0 { 1e-5 / 1024.0 } else { w })
                        .collect();
                    let direct = set_statistic(&adjusted, &hits, score_type).es;
                    assert!(
                        (fast[prefix - 1] - direct).abs() < 1e-12,
                        "k={k} prefix={prefix} {score_type:?}: {} vs {direct}",
                        fast[prefix - 1]
                    );
                }
            }
        }
    }
}
