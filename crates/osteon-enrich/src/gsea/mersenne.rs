//! The random numbers of fgsea's C++ core: the 32-bit Mersenne Twister
//! `mt19937` (Matsumoto & Nishimura 1998) seeded as `std::mt19937(seed)` /
//! `boost::mt19937(seed)`, fgsea's rejection-sampling integer draw
//! (`uid_wrapper`, `src/util.cpp`) and its `combination()` sampler of k
//! distinct integers (rejection for k < n/2, otherwise Floyd's selection
//! followed by an explicit Fisher–Yates shuffle, as in the current
//! alserglab/fgsea core and the GSEApy 1.3.1 port). Reproducing the stream draw for draw makes the
//! permutation counts and multilevel rulers identical to those of GSEApy's
//! `fgsea_rs` for the same seed.

/// The `mt19937` generator (state of 624 words).
#[derive(Clone)]
pub(crate) struct Mt19937 {
    state: [u32; 624],
    index: usize,
}

impl Mt19937 {
    /// Seeds the generator exactly as `std::mt19937 gen(seed)` does
    /// (`init_genrand` with multiplier 1812433253).
    pub(crate) fn new(seed: u32) -> Mt19937 {
        let mut state = [0u32; 624];
        state[0] = seed;
        for i in 1..624 {
            let previous = state[i - 1];
            state[i] = 1_812_433_253u32
                .wrapping_mul(previous ^ (previous >> 30))
                .wrapping_add(i as u32);
        }
        Mt19937 { state, index: 624 }
    }

    fn twist(&mut self) {
        const UPPER: u32 = 0x8000_0000;
        const LOWER: u32 = 0x7fff_ffff;
        for i in 0..624 {
            let y = (self.state[i] & UPPER) | (self.state[(i + 1) % 624] & LOWER);
            let mut next = self.state[(i + 397) % 624] ^ (y >> 1);
            if y & 1 != 0 {
                next ^= 0x9908_b0df;
            }
            self.state[i] = next;
        }
        self.index = 0;
    }

    /// The next 32-bit output (`gen()`).
    #[inline]
    pub(crate) fn next_u32(&mut self) -> u32 {
        if self.index >= 624 {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }
}

/// A uniform integer on the closed interval `[from, to]`, drawn as fgsea's
/// `uid_wrapper` does: raw outputs at or above the largest multiple of the
/// interval length are rejected, the rest taken modulo the length.
#[derive(Clone, Copy, Debug)]
pub(crate) struct UniformIndex {
    from: usize,
    length: u32,
    accept_below: u32,
}

impl UniformIndex {
    pub(crate) fn new(from: usize, to: usize) -> UniformIndex {
        debug_assert!(to >= from);
        let length = (to - from + 1) as u32;
        UniformIndex {
            from,
            length,
            accept_below: u32::MAX - u32::MAX % length,
        }
    }

    #[inline]
    pub(crate) fn draw(&self, rng: &mut Mt19937) -> usize {
        loop {
            let x = rng.next_u32();
            if x < self.accept_below {
                return self.from + (x % self.length) as usize;
            }
        }
    }
}

/// `k` distinct integers from the closed interval `[a, b]`, in the order
/// fgsea's `combination(a, b, k, rng)` returns them (unsorted).
pub(crate) fn combination(a: usize, b: usize, k: usize, rng: &mut Mt19937) -> Vec<usize> {
    let n = b - a + 1;
    let mut used = vec![false; n];
    let mut chosen = Vec::with_capacity(k);
    if (k as f64) < n as f64 / 2.0 {
        let uniform = UniformIndex::new(a, b);
        for _ in 0..k {
            loop {
                let x = uniform.draw(rng);
                if !used[x - a] {
                    used[x - a] = true;
                    chosen.push(x);
                    break;
                }
            }
        }
    } else {
        for r in n - k..n {
            let x = UniformIndex::new(0, r).draw(rng);
            if used[x] {
                used[r] = true;
                chosen.push(a + r);
            } else {
                used[x] = true;
                chosen.push(a + x);
            }
        }
        for i in (1..chosen.len()).rev() {
            let j = UniformIndex::new(0, i).draw(rng);
            chosen.swap(i, j);
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_mt19937_stream() {
        // C++11 [rand.predef]: the 10000th output of a default-constructed
        // std::mt19937 (seed 5489) is 4123659995.
        let mut rng = Mt19937::new(5489);
        let mut last = 0;
        for _ in 0..10000 {
            last = rng.next_u32();
        }
        assert_eq!(last, 4_123_659_995);
        // C++ (g++ 12, libstdc++): std::mt19937 g(42); g(); g(); g();
        // -> 1608637542 3421126067 4083286876
        let mut rng = Mt19937::new(42);
        assert_eq!(
            [rng.next_u32(), rng.next_u32(), rng.next_u32()],
            [1_608_637_542, 3_421_126_067, 4_083_286_876]
        );
    }

    #[test]
    fn uniform_index_rejects_the_incomplete_last_block() {
        let u = UniformIndex::new(3, 9);
        // Seven values: (2^32 - 1) - (2^32 - 1) mod 7 = 4294967295 - 3.
        assert_eq!(u.accept_below, 4_294_967_292);
        let mut rng = Mt19937::new(1);
        for _ in 0..1000 {
            let x = u.draw(&mut rng);
            assert!((3..=9).contains(&x));
        }
    }

    #[test]
    fn combination_draws_distinct_values_in_both_regimes() {
        let mut rng = Mt19937::new(7);
        for &(a, b, k) in &[
            (0usize, 99usize, 10usize),
            (1, 20, 15),
            (0, 9, 10),
            (5, 5, 1),
        ] {
            let mut v = combination(a, b, k, &mut rng);
            assert_eq!(v.len(), k);
            v.sort_unstable();
            v.dedup();
            assert_eq!(v.len(), k);
            assert!(v.iter().all(|&x| (a..=b).contains(&x)));
        }
    }
}
