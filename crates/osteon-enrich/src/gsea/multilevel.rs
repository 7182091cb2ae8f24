//! Adaptive multilevel splitting for very small GSEA p-values: a port of
//! fgsea's `EsRuler` and `fgseaMultilevelCpp` (`src/fgseaMultilevel.cpp`,
//! `src/fgseaMultilevelSupplement.cpp`, `src/esCalculation.h`; the current
//! alserglab/fgsea core, which GSEApy 1.3.1 ports) after Korotkevich et al., "Fast gene set
//! enrichment analysis", bioRxiv 060012.
//!
//! A ruler holds `sampleSize` random gene sets of one size. At each level the
//! sets are sorted by their positive enrichment score (ties broken by an XOR
//! hash of their genes), the lower half is replaced by copies of the upper
//! half, and every set is moved by a Metropolis chain (swap one gene for a
//! random one, accept if the score stays above the level's bound). Each level
//! halves the tail probability, so `P(ES ≥ x)` is a product of conditional
//! fractions whose logarithm has a Beta-mean estimate (digamma differences)
//! and a variance (trigamma differences) that gives `log2err`. Scores are
//! exact rationals on integer-scaled ranks (`score_t`), compared with 128-bit
//! cross-multiplication.

use std::cmp::Ordering;

use osteon_stats::special::{digamma, trigamma};

use super::mersenne::{combination, Mt19937, UniformIndex};

/// A position in the ranked list (32 bits keep the samples cache-friendly).
type Gene = u32;

/// The integer scale of the ranks: they are multiplied so that their sum is
/// at most 2^30 (`score_t::getMaxNS()`).
pub(crate) const MAX_NS: i64 = 1 << 30;

/// `log` of the mean of a Beta(a, b + 1 - a) variable: ψ(a) − ψ(b + 1)
/// (fgsea's `betaMeanLog`).
pub(crate) fn beta_mean_log(a: usize, b: usize) -> f64 {
    digamma(a as f64) - digamma((b + 1) as f64)
}

/// Variance of that logarithm: ψ'(k) − ψ'(n + 1) (fgsea's `getVarPerLevel`).
fn variance_per_level(k: usize, n: usize) -> f64 {
    trigamma(k as f64) - trigamma((n + 1) as f64)
}

/// fgsea's `multilevelError(pval, sampleSize)`: the expected standard
/// deviation of `log2(pval)` after the ⌊−log2 p + 1⌋ levels it takes.
pub(crate) fn multilevel_error(pval: f64, sample_size: usize) -> f64 {
    let levels = (-pval.log2() + 1.0).floor();
    let half = (sample_size as f64 + 1.0) / 2.0;
    (levels * (trigamma(half) - trigamma(sample_size as f64 + 1.0))).sqrt() / std::f64::consts::LN_2
}

/// Scales the ranked weights to integers whose sum is at most 2^30: by the
/// integer part of 2^30 / Σw when that is at least 1 (so integer weights stay
/// exact), by 2^30 / Σw otherwise; fractional parts are truncated (GSEApy
/// 1.3.1's `scale_ranks`).
pub(crate) fn scale_ranks(weights: &[f64]) -> Vec<i64> {
    let total: f64 = weights.iter().sum();
    if total == 0.0 {
        return vec![0; weights.len()];
    }
    let mut scale = MAX_NS as f64 / total;
    if scale >= 1.0 {
        scale = scale.floor();
    }
    weights.iter().map(|&w| (w * scale) as i64).collect()
}

/// An exact enrichment score `coef_ns / ns − coef_const / diff` (fgsea's
/// `score_t`), with `ns` the summed integer ranks of the set, `diff = n − k`.
#[derive(Clone, Copy, Debug)]
struct Score {
    ns: i64,
    coef_ns: i64,
    diff: i64,
    coef_const: i64,
}

impl Score {
    /// The sign of `self − other`, evaluated with `self`'s `diff` for both
    /// constant terms exactly as fgsea's `score_t::Compare` (exact whenever
    /// the two scores share `diff` or `other.coef_const` is 0, which is how
    /// it is always called here).
    fn compare(&self, other: &Score) -> Ordering {
        // |coef_ns · diff| and |ns · coef_const| stay below 2^30 · 2^31, so
        // the numerators fit in 64 bits and only the products need 128.
        let p1 = self.coef_ns * self.diff + self.ns * (other.coef_const - self.coef_const);
        let q1 = self.ns * self.diff;
        (p1 as i128 * other.ns as i128).cmp(&(other.coef_ns as i128 * q1 as i128))
    }

    /// The threshold score for an observed |ES| (fgsea floors it onto the
    /// 2^30 grid; 1.0 stays 1.0).
    fn threshold(es: f64) -> Score {
        Score {
            ns: MAX_NS,
            coef_ns: (MAX_NS as f64 * es) as i64,
            diff: 1,
            coef_const: 0,
        }
    }
}

/// A score with the hash that breaks ties (fgsea's `gsea_t`), ordered
/// lexicographically.
#[derive(Clone, Copy, Debug)]
struct Ranked {
    score: Score,
    hash: u64,
}

impl Ranked {
    fn cmp(&self, other: &Ranked) -> Ordering {
        self.score
            .compare(&other.score)
            .then(self.hash.cmp(&other.hash))
    }
}

/// The positive enrichment score of a sorted set (fgsea's `calcPositiveES`).
/// All running points of one set share `ns` and `diff`, so they compare by
/// their numerators `coef_ns · diff − coef_const · ns` (exact in 64 bits).
fn positive_score(ranks: &[i64], set: &[Gene], ns: i64) -> Score {
    let diff = (ranks.len() - set.len()) as i64;
    let (mut coef_ns, mut coef_const) = (0i64, 0i64);
    let (mut best_ns, mut best_const, mut best) = (0i64, 0i64, 0i64);
    let mut last: i64 = -1;
    for &position in set {
        coef_ns += ranks[position as usize];
        coef_const += position as i64 - last - 1;
        let numerator = coef_ns * diff - coef_const * ns;
        if numerator > best {
            (best_ns, best_const, best) = (coef_ns, coef_const, numerator);
        }
        last = position as i64;
    }
    Score {
        ns,
        coef_ns: best_ns,
        diff,
        coef_const: best_const,
    }
}

/// Whether the signed enrichment score of a sorted set (fgsea's `calcES`:
/// the running point of largest |score|, the first one on ties) is
/// non-negative, compared by numerators as in [`positive_score`].
fn signed_score_is_non_negative(ranks: &[i64], set: &[Gene], ns: i64) -> bool {
    let diff = (ranks.len() - set.len()) as i64;
    let (mut coef_ns, mut coef_const) = (0i64, 0i64);
    let mut best = 0i64;
    let mut last: i64 = -1;
    for &position in set {
        coef_const += position as i64 - last - 1;
        let before = coef_ns * diff - coef_const * ns;
        if before.abs() > best.abs() {
            best = before;
        }
        coef_ns += ranks[position as usize];
        let after = coef_ns * diff - coef_const * ns;
        if after.abs() > best.abs() {
            best = after;
        }
        last = position as i64;
    }
    best >= 0
}

/// One level of the ruler: the samples at or below its bound and above it,
/// each with whether its signed ES is non-negative.
struct Level {
    low: Vec<(Ranked, bool)>,
    high: Vec<(Ranked, bool)>,
    bound: Ranked,
}

/// A sample split into chunks of the ranked list (for fast rescoring), with
/// its summed ranks and gene hash kept up to date across moves.
#[derive(Clone)]
struct Chunks {
    sums: Vec<i64>,
    members: Vec<Vec<Gene>>,
    ns: i64,
    hash: u64,
}

/// fgsea's `EsRuler` for one set size and one direction of the ranks.
struct Ruler<'a> {
    ranks: &'a [i64],
    gene_hashes: Vec<u64>,
    sample_size: usize,
    set_size: usize,
    incorrect: bool,
    samples: Vec<Vec<Gene>>,
    levels: Vec<Level>,
    chunk_last: Vec<Gene>,
}

impl<'a> Ruler<'a> {
    fn new(ranks: &'a [i64], sample_size: usize, set_size: usize) -> Ruler<'a> {
        Ruler {
            ranks,
            gene_hashes: vec![0; ranks.len()],
            sample_size,
            set_size,
            incorrect: false,
            samples: vec![Vec::new(); sample_size],
            levels: Vec::new(),
            chunk_last: Vec::new(),
        }
    }

    fn hash(&self, set: &[Gene]) -> u64 {
        set.iter().fold(0, |h, &g| h ^ self.gene_hashes[g as usize])
    }

    /// Sorts the samples, records a level at the median and replaces the
    /// lower part by copies drawn from the upper part (`resampleGenesets`).
    fn resample(&mut self, rng: &mut Mt19937) {
        let sample_size = self.sample_size;
        let mut stats: Vec<(Ranked, bool, usize)> = (0..sample_size)
            .map(|id| {
                let set = &self.samples[id];
                let ns: i64 = set.iter().map(|&g| self.ranks[g as usize]).sum();
                let ranked = Ranked {
                    score: positive_score(self.ranks, set, ns),
                    hash: self.hash(set),
                };
                (
                    ranked,
                    signed_score_is_non_negative(self.ranks, set, ns),
                    id,
                )
            })
            .collect();
        stats.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let central = stats[sample_size / 2].0;
        let mut start = stats
            .iter()
            .position(|s| s.0.cmp(&central) != Ordering::Less)
            .unwrap_or(0);
        if start == 0 {
            while start < sample_size && stats[start].0.cmp(&stats[0].0) == Ordering::Equal {
                start += 1;
            }
        }
        if start == sample_size {
            return;
        }
        self.levels.push(Level {
            low: stats[..start].iter().map(|s| (s.0, s.1)).collect(),
            high: stats[start..].iter().map(|s| (s.0, s.1)).collect(),
            bound: stats[start - 1].0,
        });
        let pick = UniformIndex::new(0, sample_size - start - 1);
        let mut next = Vec::with_capacity(sample_size);
        for _ in 0..start {
            let index = pick.draw(rng) + start;
            next.push(self.samples[stats[index].2].clone());
        }
        for s in &stats[start..] {
            next.push(self.samples[s.2].clone());
        }
        self.samples = next;
    }

    /// Builds levels until the bound reaches `es` or the estimate falls below
    /// `eps` (`EsRuler::extend`).
    fn extend(&mut self, es: f64, seed: u32, eps: f64) {
        let mut rng = Mt19937::new(seed);
        let n = self.ranks.len();
        let k = self.set_size;
        for h in &mut self.gene_hashes {
            *h = u64::from(rng.next_u32());
        }
        for id in 0..self.sample_size {
            let mut set: Vec<Gene> = combination(0, n - 1, k, &mut rng)
                .into_iter()
                .map(|g| g as Gene)
                .collect();
            set.sort_unstable();
            self.samples[id] = set;
        }
        self.resample(&mut rng);
        if self.levels.is_empty() {
            // All initial samples scored the same: nothing to extend.
            return;
        }
        let n_chunks = ((k as f64).sqrt() as usize).max(1);
        self.chunk_last = vec![0; n_chunks];
        self.chunk_last[n_chunks - 1] = n as Gene;
        let mut chunks = vec![
            Chunks {
                sums: vec![0; n_chunks],
                members: vec![Vec::new(); n_chunks],
                ns: 0,
                hash: 0,
            };
            self.sample_size
        ];
        let needed = Score::threshold(es);
        let log_eps = eps.ln();
        let mut log_pvalue = 0.0;
        let mut column: Vec<Gene> = vec![0; self.sample_size];
        while self
            .levels
            .last()
            .expect("a level")
            .bound
            .score
            .compare(&needed)
            == Ordering::Less
        {
            let last = self.levels.last().expect("a level");
            log_pvalue += beta_mean_log(last.high.len() + 1, self.sample_size);
            if eps != 0.0 && log_pvalue < log_eps {
                break;
            }
            let bound = last.bound;
            let mut position = 0;
            for i in 0..n_chunks - 1 {
                position += (k + i) / n_chunks;
                for (j, sample) in self.samples.iter().enumerate() {
                    column[j] = sample[position];
                }
                let middle = self.sample_size / 2;
                column.select_nth_unstable(middle);
                self.chunk_last[i] = column[middle];
            }
            for (sample, chunk) in self.samples.iter().zip(chunks.iter_mut()) {
                chunk.sums.iter_mut().for_each(|s| *s = 0);
                chunk.members.iter_mut().for_each(Vec::clear);
                let mut c = 0;
                for &g in sample {
                    while self.chunk_last[c] <= g {
                        c += 1;
                    }
                    chunk.members[c].push(g);
                    chunk.sums[c] += self.ranks[g as usize];
                }
                chunk.ns = chunk.sums.iter().sum();
                chunk.hash = self.hash(sample);
            }
            let steps = ((k as f64 * 0.1) as usize).max(1);
            let needed_moves = (self.sample_size as f64 * k as f64 / 2.0) as usize;
            let mut rounds = 0;
            let mut accepted = 0;
            while accepted < needed_moves {
                for chunk in chunks.iter_mut() {
                    accepted += self.perturb(chunk, bound, steps, &mut rng);
                }
                rounds += 1;
            }
            for _ in 0..rounds {
                for chunk in chunks.iter_mut() {
                    self.perturb(chunk, bound, steps, &mut rng);
                }
            }
            for (sample, chunk) in self.samples.iter_mut().zip(&chunks) {
                sample.clear();
                for members in &chunk.members {
                    sample.extend_from_slice(members);
                }
            }
            let before = self.levels.len();
            self.resample(&mut rng);
            if before == self.levels.len() {
                break;
            }
        }
    }

    /// `steps` Metropolis moves of one sample above `bound`
    /// (`perturbate_until` with an iteration budget); returns the accepted
    /// moves.
    fn perturb(
        &self,
        sample: &mut Chunks,
        bound: Ranked,
        steps: usize,
        rng: &mut Mt19937,
    ) -> usize {
        let ranks = self.ranks;
        let n = ranks.len();
        let k = self.set_size;
        let diff = (n - k) as i64;
        let pick_gene = UniformIndex::new(0, n - 1);
        let pick_member = UniformIndex::new(0, k - 1);
        let mut ns = sample.ns;
        let mut hash = sample.hash;
        // A remembered member at which the running sum last exceeded the bound.
        let mut candidate: Option<Gene> = None;
        let mut candidate_x: i64 = 0;
        let mut candidate_y: i64 = 0;
        let mut moves = 0;
        for _ in 0..steps {
            let old_index = pick_member.draw(rng);
            let (mut old_chunk, mut old_in_chunk) = (0, old_index);
            while sample.members[old_chunk].len() <= old_in_chunk {
                old_in_chunk -= sample.members[old_chunk].len();
                old_chunk += 1;
            }
            let old = sample.members[old_chunk][old_in_chunk];
            let new = pick_gene.draw(rng) as Gene;
            let new_chunk = self.chunk_last.partition_point(|&last| last <= new);
            let new_in_chunk = sample.members[new_chunk].partition_point(|&g| g < new);
            if sample.members[new_chunk].get(new_in_chunk) == Some(&new) {
                if new == old {
                    moves += 1;
                }
                continue;
            }
            let shift = usize::from(old_chunk == new_chunk && old_in_chunk < new_in_chunk);
            sample.members[old_chunk].remove(old_in_chunk);
            sample.members[new_chunk].insert(new_in_chunk - shift, new);
            ns = ns - ranks[old as usize] + ranks[new as usize];
            hash ^= self.gene_hashes[old as usize] ^ self.gene_hashes[new as usize];
            sample.sums[old_chunk] -= ranks[old as usize];
            sample.sums[new_chunk] += ranks[new as usize];

            let strictly = hash <= bound.hash;
            let above = |coef_ns: i64, coef_const: i64| {
                let score = Score {
                    ns,
                    coef_ns,
                    diff,
                    coef_const,
                };
                let order = score.compare(&bound.score);
                if strictly {
                    order == Ordering::Greater
                } else {
                    order != Ordering::Less
                }
            };

            if candidate == Some(old) {
                candidate = None;
            }
            if let Some(c) = candidate {
                if old < c {
                    candidate_x += 1;
                    candidate_y -= ranks[old as usize];
                }
                if new < c {
                    candidate_x -= 1;
                    candidate_y += ranks[new as usize];
                }
                if above(candidate_y, candidate_x) {
                    moves += 1;
                    continue;
                }
            }

            let mut x: i64 = 0;
            let mut y: i64 = 0;
            let mut last: i64 = -1;
            let mut accepted = false;
            'chunks: for (c, members) in sample.members.iter().enumerate() {
                if !above(y + sample.sums[c], x) {
                    y += sample.sums[c];
                    x += self.chunk_last[c] as i64 - last - 1 - members.len() as i64;
                    last = self.chunk_last[c] as i64 - 1;
                } else {
                    for &g in members {
                        y += ranks[g as usize];
                        x += g as i64 - last - 1;
                        if above(y, x) {
                            accepted = true;
                            candidate = Some(g);
                            candidate_x = x;
                            candidate_y = y;
                            break 'chunks;
                        }
                        last = g as i64;
                    }
                    x += self.chunk_last[c] as i64 - 1 - last;
                    last = self.chunk_last[c] as i64 - 1;
                }
            }

            if accepted {
                moves += 1;
            } else {
                ns = ns - ranks[new as usize] + ranks[old as usize];
                hash ^= self.gene_hashes[new as usize] ^ self.gene_hashes[old as usize];
                sample.sums[old_chunk] += ranks[old as usize];
                sample.sums[new_chunk] -= ranks[new as usize];
                sample.members[new_chunk].remove(new_in_chunk - shift);
                sample.members[old_chunk].insert(old_in_chunk, old);
                if candidate == Some(new) {
                    candidate = None;
                }
                if let Some(c) = candidate {
                    if old < c {
                        candidate_x -= 1;
                        candidate_y += ranks[old as usize];
                    }
                    if new < c {
                        candidate_x += 1;
                        candidate_y -= ranks[new as usize];
                    }
                }
            }
        }
        sample.ns = ns;
        sample.hash = hash;
        moves
    }

    /// `Pr[(score, hash) ≥ (es, 0)]` with its log2 error (`EsRuler::getPvalue`);
    /// `sign` counts every sample above `es`, otherwise only those whose
    /// signed ES is non-negative.
    fn pvalue(&self, es: f64, sign: bool) -> (f64, f64) {
        if self.incorrect {
            return (f64::NAN, f64::NAN);
        }
        let threshold = Score::threshold(es);
        // `sample >= (es, hash 0)`: the hash never decides against hash 0.
        let at_least = |r: &Ranked| r.score.compare(&threshold) != Ordering::Less;
        let clamp = |log_p: f64| log_p.exp().clamp(0.0, 1.0);
        let mut log_p = 0.0;
        let mut variance = 0.0;
        for level in &self.levels {
            if at_least(&level.bound) {
                let mut count_all = level.high.len();
                let mut count_positive = level.high.iter().filter(|h| h.1).count();
                for (r, positive) in &level.low {
                    if at_least(r) {
                        count_all += 1;
                        count_positive += usize::from(*positive);
                    }
                }
                let numerator = if sign { count_all } else { count_positive };
                if numerator == 0 {
                    log_p += beta_mean_log(1, self.sample_size);
                    return (clamp(log_p), f64::NAN);
                }
                log_p += beta_mean_log(numerator, self.sample_size);
                variance += variance_per_level(numerator, self.sample_size);
                return (clamp(log_p), variance.sqrt() / std::f64::consts::LN_2);
            }
            log_p += beta_mean_log(level.high.len() + 1, self.sample_size);
            variance += variance_per_level(level.high.len() + 1, self.sample_size);
        }
        let last = self.levels.last().expect("a level");
        let (mut count_all, mut count_positive) = (0, 0);
        for (r, positive) in &last.high {
            if at_least(r) {
                count_all += 1;
                count_positive += usize::from(*positive);
            }
        }
        let numerator = if sign { count_all } else { count_positive };
        let n_high = last.high.len();
        if numerator == 0 {
            log_p += beta_mean_log(1, n_high);
            return (clamp(log_p), f64::NAN);
        }
        log_p += beta_mean_log(numerator, n_high);
        variance += variance_per_level(numerator, n_high);
        (clamp(log_p), variance.sqrt() / std::f64::consts::LN_2)
    }
}

/// Conditional multilevel p-values of the enrichment scores `scores` of sets
/// of size `set_size` (fgsea's `fgseaMultilevelCpp`): one ruler on the ranks
/// for the non-negative scores, one on the reversed ranks for the negative
/// ones, both seeded with `seed` and extended to the most extreme score.
/// Returns `(p, log2err)` per score; p is conditional on the sign (fgsea
/// divides it by the same-sign fraction of the permutation null).
pub(crate) fn conditional_pvalues(
    scores: &[f64],
    ranks: &[i64],
    set_size: usize,
    sample_size: usize,
    seed: u32,
    eps: f64,
    sign: bool,
) -> Vec<(f64, f64)> {
    let positive_ranks: Vec<i64> = ranks.iter().map(|r| r.abs()).collect();
    let negative_ranks: Vec<i64> = positive_ranks.iter().rev().copied().collect();
    let mut positive = Ruler::new(&positive_ranks, sample_size, set_size);
    let mut negative = Ruler::new(&negative_ranks, sample_size, set_size);
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = scores.iter().copied().fold(f64::INFINITY, f64::min);
    // The two rulers are independent: build them in parallel.
    rayon::join(
        || {
            if max >= 0.0 {
                positive.extend(max.abs(), seed, eps);
            }
        },
        || {
            if min < 0.0 {
                negative.extend(min.abs(), seed, eps);
            }
        },
    );
    scores
        .iter()
        .map(|&es| {
            let ruler = if es >= 0.0 { &positive } else { &negative };
            if ruler.levels.is_empty() {
                return (1.0, f64::NAN);
            }
            ruler.pvalue(es.abs(), sign)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_comparison_is_exact() {
        // 1/3 - 0/5 versus 2/6 - 0/5: equal.
        let a = Score {
            ns: 3,
            coef_ns: 1,
            diff: 5,
            coef_const: 0,
        };
        let b = Score {
            ns: 6,
            coef_ns: 2,
            diff: 5,
            coef_const: 0,
        };
        assert_eq!(a.compare(&b), Ordering::Equal);
        // 2/3 - 1/5 = 7/15 > 1/3 - 0/5 = 5/15
        let c = Score {
            ns: 3,
            coef_ns: 2,
            diff: 5,
            coef_const: 1,
        };
        assert_eq!(c.compare(&a), Ordering::Greater);
        assert_eq!(a.compare(&c), Ordering::Less);
        // Threshold 0.5 on the 2^30 grid against 7/15.
        assert_eq!(c.compare(&Score::threshold(0.5)), Ordering::Less);
        assert_eq!(
            c.compare(&Score::threshold(7.0 / 15.0 - 1e-12)),
            Ordering::Greater
        );
    }

    #[test]
    fn scaled_ranks_keep_integers_and_their_sum_below_two_to_the_thirty() {
        let r = scale_ranks(&[3.0, 2.0, 1.0]);
        // floor(2^30 / 6) = 178956970
        assert_eq!(r, vec![3 * 178_956_970, 2 * 178_956_970, 178_956_970]);
        assert!(r.iter().sum::<i64>() <= MAX_NS);
        let big = scale_ranks(&[4e9, 4e9]);
        assert_eq!(big, vec![MAX_NS / 2, MAX_NS / 2]);
    }

    #[test]
    fn multilevel_error_matches_fgsea() {
        // R: fgsea::multilevelError(1e-10, 101) =
        //   sqrt(floor(-log2(1e-10) + 1) * (trigamma(51) - trigamma(102))) / log(2)
        // sprintf('%.17g', sqrt(34 * (trigamma(51) - trigamma(102))) / log(2))
        let expected = (34.0 * (trigamma(51.0) - trigamma(102.0))).sqrt() / std::f64::consts::LN_2;
        assert_eq!(multilevel_error(1e-10, 101), expected);
    }
}
