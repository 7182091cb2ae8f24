//! `pow(x, −1)` exactly as the C library returns it, at the cost of a
//! division and a few multiplications in nine cases out of ten.
//!
//! DESeq2's compiled C++ evaluates some reciprocals as `pow(x, -1)` through
//! the C library (its dispersion derivative, see `osteon-deseq`'s
//! `dispersion` module), and bit-level parity needs the same results.
//! glibc's `pow` (2.28 and later: the ARM optimized-routines algorithm,
//! `sysdeps/ieee754/dbl-64/e_pow.c`) is not correctly rounded, but its
//! documented worst-case error is 0.54 ulp. So when 1/x lies more than
//! 0.05 ulp away from the midpoint between two doubles, only one double is
//! within 0.54 ulp of it, the correctly rounded quotient `1.0 / x`, and
//! that is what glibc returns. How far 1/x lies from the quotient comes from
//! the exact residual 1 − q·x (Dekker's product: Dekker 1971, *Numer. Math.*
//! 18:224–242); only for the one input in ten or so near a midpoint, or at
//! a power of two where the ulp changes, is the C library called. The test
//! below checks the shortcut against the C library on a million inputs.
//! (The same construction for `pow(x, -2)` needs a second exact product and
//! was slower than glibc's `pow`, 15 against 11 ns a call, so it is not
//! used.)

/// The shortcut is taken when 1/x lies within this fraction of an ulp of
/// the quotient, i.e. more than 0.05 ulp from a midpoint: the other
/// neighbouring double is then more than 0.55 ulp away, beyond glibc's
/// 0.54-ulp bound.
const SAFE_FRACTION: f64 = 0.45;

/// The C library's `pow(x, e)`; the exponent is hidden from the optimiser,
/// which would otherwise fold `pow(x, -1.0)` into `1.0 / x`.
fn libm_pow(x: f64, e: f64) -> f64 {
    x.powf(std::hint::black_box(e))
}

/// Splits a double into two halves whose products are exact (Veltkamp).
#[inline]
fn split(a: f64) -> (f64, f64) {
    let c = 134_217_729.0 * a; // 2^27 + 1
    let hi = c - (c - a);
    (hi, a - hi)
}

/// a·b as p + e exactly (Dekker's product), for |a·b| far from overflow.
#[inline]
fn two_product(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    let e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    (p, e)
}

/// The spacing of doubles at `q` (q positive, normal and not a power of
/// two), or `None` when the shortcut should not be trusted.
#[inline]
fn spacing(q: f64) -> Option<f64> {
    const MANTISSA: u64 = (1 << 52) - 1;
    let bits = q.to_bits();
    let exponent = bits & !MANTISSA;
    // Keep clear of subnormals, infinities, negative values and powers of
    // two (whose lower neighbour is half as far).
    if !(q > 1e-290 && q < 1e290) || bits & MANTISSA == 0 {
        return None;
    }
    Some(f64::from_bits(exponent) * f64::EPSILON)
}

/// q when the exact value v = q + δ (δ accurate to far below an ulp) lies
/// within [`SAFE_FRACTION`] of an ulp of q: q is then the correctly rounded
/// v and safely away from a rounding midpoint.
#[inline]
fn settle(q: f64, delta: f64) -> Option<f64> {
    let ulp = spacing(q)?;
    (delta.abs() < SAFE_FRACTION * ulp).then_some(q)
}

/// `pow(x, -1.0)` as the C library computes it.
#[inline]
pub fn pow_minus_one(x: f64) -> f64 {
    reciprocal_if_unambiguous(x).unwrap_or_else(|| libm_pow(x, -1.0))
}

/// `1.0 / x` when glibc's `pow(x, -1)` can only be that value.
#[inline]
fn reciprocal_if_unambiguous(x: f64) -> Option<f64> {
    let q = 1.0 / x;
    // r = 1 − q·x exactly (up to 2^-105); then 1/x − q = r/x ≈ r·q.
    let (p, pe) = two_product(q, x);
    let residual = (1.0 - p) - pe;
    settle(q, residual * q)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A seeded stream of doubles spread log-uniformly over [1e-6, 1e9],
    /// plus integers and values next to them (counts and their neighbours).
    fn inputs() -> Vec<f64> {
        let mut rng = crate::rng::RRng::from_seed(20261122);
        let mut values: Vec<f64> = (0..1_000_000)
            .map(|_| 10f64.powf(-6.0 + 15.0 * rng.unif_rand()))
            .collect();
        for k in 1..5000 {
            let k = k as f64;
            values.extend([k, k + 1e-9, 1.0 + 1.0 / k, k.next_up(), k.next_down()]);
        }
        values
    }

    /// The 0.54-ulp bound the shortcut relies on is glibc's (2.28 and
    /// later); other C libraries are not checked.
    #[cfg(target_env = "gnu")]
    #[test]
    fn pow_minus_one_matches_the_c_library() {
        // Where the C library's pow differs from the correctly rounded 1/x
        // (the cases the shortcut must leave to it).
        let mut not_division = 0usize;
        for &x in &inputs() {
            let libm = libm_pow(x, -1.0);
            assert_eq!(pow_minus_one(x).to_bits(), libm.to_bits(), "pow({x:e}, -1)");
            not_division += usize::from(libm.to_bits() != (1.0 / x).to_bits());
        }
        assert!(
            not_division > 0,
            "no input where pow(x, -1) differs from 1/x"
        );
    }

    #[test]
    fn the_shortcut_is_taken_for_most_inputs() {
        let values = inputs();
        let taken = values
            .iter()
            .filter(|&&x| reciprocal_if_unambiguous(x).is_some())
            .count();
        assert!(taken * 10 > values.len() * 8, "{taken} of {}", values.len());
    }
}
