//! Summary statistics that reproduce R's floating point behaviour bit for bit.
//!
//! R accumulates sums in C `long double`, which on x86-64 Linux is the x87
//! 80-bit extended format (64-bit significand, round-to-nearest-even). To get
//! R's exact `sum()`, `mean()`, `rowMeans()` results on every platform this
//! module emulates that arithmetic in software ([`LongDouble`]); sums of
//! values within a ~120-bit window run the same roundings on 128-bit
//! integers instead (`long_double_sum`), about ten times faster.
//!
//! Sources (R 4.2): `src/main/summary.c` (`rsum`, `real_mean`),
//! `src/main/array.c` (`do_colsum`: `rowSums`/`rowMeans` accumulate in long
//! double and divide by the count in long double), `src/main/sort.c`
//! (`rPsort2`/`Psort0`, the partial quicksort used by `sort(x, partial=)`),
//! `src/library/stats/R/median.R`, `quantile.R` (type 7), `mad.R`, and
//! `base::mean.default` (trimmed mean). `var` follows matrixStats'
//! `rowVars` (plain double two-pass algorithm).

use std::cmp::Ordering;

/// Class of a [`LongDouble`] value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Zero,
    Finite,
    Inf,
    NaN,
}

/// Software emulation of the x87 80-bit extended precision format
/// (64-bit significand, round-to-nearest-even), i.e. C `long double` on
/// x86-64, as used by R's summation code.
///
/// The exponent range is not limited (the 15-bit x87 range is never reached
/// by sums and quotients of `f64` values), so no extended-range over- or
/// underflow is emulated; conversion back to `f64` rounds correctly,
/// including to subnormals and infinities.
///
/// ```
/// use osteon_stats::summary::LongDouble;
/// let mut s = LongDouble::zero();
/// for x in [1e16, 1.0, -1e16] {
///     s.add_f64(x);
/// }
/// // A double accumulator would lose the 1.0; 64 bits keep it.
/// assert_eq!(s.to_f64(), 1.0);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct LongDouble {
    class: Class,
    negative: bool,
    /// value = mantissa * 2^exponent; for finite values bit 63 is set.
    exponent: i32,
    mantissa: u64,
}

/// (negative, mantissa, exponent) of a finite non-zero double, value
/// ±mantissa·2^exponent (mantissa < 2^53; subnormals unnormalised).
fn double_parts(x: f64) -> (bool, u64, i32) {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1_u64 << 52) - 1);
    let (mantissa, exponent) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1_u64 << 52), biased - 1075)
    };
    (bits >> 63 == 1, mantissa, exponent)
}

/// Rounds a 128-bit magnitude `wide` (value = wide * 2^exp) to a 64-bit
/// significand with round-to-nearest-even; `sticky` marks nonzero bits
/// already discarded below `wide`.
fn round_wide(negative: bool, wide: u128, exp: i32, sticky: bool) -> LongDouble {
    if wide == 0 {
        // exact zero (sticky cannot be set without nonzero high bits)
        return LongDouble {
            class: Class::Zero,
            negative: false,
            exponent: 0,
            mantissa: 0,
        };
    }
    let lz = wide.leading_zeros() as i32;
    let shifted = wide << lz;
    let mut mantissa = (shifted >> 64) as u64;
    let mut rest = shifted as u64;
    if sticky {
        rest |= 1;
    }
    let mut exponent = exp - lz + 64;
    const HALF: u64 = 1 << 63;
    if rest > HALF || (rest == HALF && mantissa & 1 == 1) {
        let (m, overflow) = mantissa.overflowing_add(1);
        if overflow {
            mantissa = HALF;
            exponent += 1;
        } else {
            mantissa = m;
        }
    }
    LongDouble {
        class: Class::Finite,
        negative,
        exponent,
        mantissa,
    }
}

impl LongDouble {
    /// Positive zero.
    pub fn zero() -> Self {
        LongDouble {
            class: Class::Zero,
            negative: false,
            exponent: 0,
            mantissa: 0,
        }
    }

    fn nan() -> Self {
        LongDouble {
            class: Class::NaN,
            negative: false,
            exponent: 0,
            mantissa: 0,
        }
    }

    fn inf(negative: bool) -> Self {
        LongDouble {
            class: Class::Inf,
            negative,
            exponent: 0,
            mantissa: 0,
        }
    }

    /// Exact conversion from `f64` (every double is representable).
    pub fn from_f64(x: f64) -> Self {
        if x.is_nan() {
            return Self::nan();
        }
        if x.is_infinite() {
            return Self::inf(x < 0.0);
        }
        if x == 0.0 {
            return LongDouble {
                class: Class::Zero,
                negative: x.is_sign_negative(),
                exponent: 0,
                mantissa: 0,
            };
        }
        let (negative, m, e) = double_parts(x);
        let lz = m.leading_zeros() as i32;
        LongDouble {
            class: Class::Finite,
            negative,
            exponent: e - lz,
            mantissa: m << lz,
        }
    }

    /// Is the value neither infinite nor NaN?
    pub fn is_finite(&self) -> bool {
        matches!(self.class, Class::Zero | Class::Finite)
    }

    /// Is the value NaN?
    pub fn is_nan(&self) -> bool {
        self.class == Class::NaN
    }

    /// (negative, mantissa, exponent) of a finite non-zero value, value
    /// ±mantissa·2^exponent; None for zero, infinities and NaN.
    fn finite_parts(&self) -> Option<(bool, u64, i32)> {
        (self.class == Class::Finite).then_some((self.negative, self.mantissa, self.exponent))
    }

    fn negated(mut self) -> Self {
        if self.class != Class::NaN {
            self.negative = !self.negative;
        }
        self
    }

    /// Extended-precision sum `self + other`, rounded once.
    fn sum_with(self, other: LongDouble) -> LongDouble {
        use Class::*;
        match (self.class, other.class) {
            (NaN, _) | (_, NaN) => return Self::nan(),
            (Inf, Inf) => {
                return if self.negative == other.negative {
                    self
                } else {
                    Self::nan()
                }
            }
            (Inf, _) => return self,
            (_, Inf) => return other,
            (Zero, Zero) => {
                // IEEE: (-0) + (-0) = -0, otherwise +0 under round-to-nearest
                let mut z = Self::zero();
                z.negative = self.negative && other.negative;
                return z;
            }
            (Zero, _) => return other,
            (_, Zero) => return self,
            _ => {}
        }
        // order by magnitude: |a| >= |b|
        let (a, b) = if (self.exponent, self.mantissa) >= (other.exponent, other.mantissa) {
            (self, other)
        } else {
            (other, self)
        };
        // exponents of the leading bit compare like the stored exponents
        // because both mantissas are normalised.
        let shift = (a.exponent - b.exponent) as u32;
        let wide_a = (a.mantissa as u128) << 62;
        let (wide_b, sticky) = if shift >= 126 {
            (0_u128, true)
        } else {
            let full = (b.mantissa as u128) << 62;
            let kept = full >> shift;
            (kept, (kept << shift) != full)
        };
        let exp = a.exponent - 62;
        if a.negative == b.negative {
            round_wide(a.negative, wide_a + wide_b, exp, sticky)
        } else {
            // Subtracting the truncated b and then a sticky 1 below it:
            // subtract one more unit in the last place when bits were lost so
            // that the sticky bit stands for "slightly less than".
            let mut diff = wide_a - wide_b;
            if sticky {
                diff -= 1;
            }
            round_wide(a.negative, diff, exp, sticky)
        }
    }

    /// Extended-precision product `self * other`, rounded once.
    fn product(self, other: LongDouble) -> LongDouble {
        use Class::*;
        let negative = self.negative != other.negative;
        match (self.class, other.class) {
            (NaN, _) | (_, NaN) => Self::nan(),
            (Inf, Zero) | (Zero, Inf) => Self::nan(),
            (Inf, _) | (_, Inf) => Self::inf(negative),
            (Zero, _) | (_, Zero) => {
                let mut z = Self::zero();
                z.negative = negative;
                z
            }
            _ => {
                let product = (self.mantissa as u128) * (other.mantissa as u128);
                round_wide(negative, product, self.exponent + other.exponent, false)
            }
        }
    }

    /// Extended-precision quotient `self / other`, rounded once.
    fn quotient(self, other: LongDouble) -> LongDouble {
        use Class::*;
        let negative = self.negative != other.negative;
        match (self.class, other.class) {
            (NaN, _) | (_, NaN) => Self::nan(),
            (Inf, Inf) | (Zero, Zero) => Self::nan(),
            (Inf, _) => Self::inf(negative),
            (_, Inf) | (Zero, _) => {
                let mut z = Self::zero();
                z.negative = negative;
                z
            }
            (_, Zero) => Self::inf(negative),
            _ => {
                let a = self.mantissa as u128;
                let b = other.mantissa as u128;
                let num = a << 63;
                let q1 = num / b; // < 2^64
                let r1 = num % b;
                let num2 = r1 << 64;
                let q2 = num2 / b; // < 2^64
                let r2 = num2 % b;
                let q = (q1 << 64) | q2;
                // value = q * 2^(ea - eb - 127)
                round_wide(negative, q, self.exponent - other.exponent - 127, r2 != 0)
            }
        }
    }

    /// `self += x` for a double `x` (C: `long double s; s += x;`).
    pub fn add_f64(&mut self, x: f64) {
        *self = self.sum_with(LongDouble::from_f64(x));
    }

    /// `self += other`.
    pub fn add(&mut self, other: LongDouble) {
        *self = self.sum_with(other);
    }

    /// Rounds to the nearest `f64` (ties to even), as the C cast
    /// `(double) s` does.
    pub fn to_f64(&self) -> f64 {
        match self.class {
            Class::NaN => f64::NAN,
            Class::Inf => {
                if self.negative {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                }
            }
            Class::Zero => {
                if self.negative {
                    -0.0
                } else {
                    0.0
                }
            }
            Class::Finite => {
                let sign = if self.negative { -1.0 } else { 1.0 };
                // leading bit has weight 2^(exponent + 63)
                let lead = self.exponent + 63;
                if lead > 1023 {
                    return sign * f64::INFINITY;
                }
                // number of low bits to drop: normal numbers keep 53 bits,
                // subnormals keep bits of weight >= 2^-1074.
                let drop = if lead >= -1022 {
                    11
                } else {
                    11 + (-1022 - lead)
                };
                if drop > 65 {
                    return sign * 0.0;
                }
                let m = self.mantissa as u128;
                let kept = m >> drop;
                let rest = m - (kept << drop);
                let half = 1_u128 << (drop - 1);
                let mut k = kept as u64;
                if rest > half || (rest == half && k & 1 == 1) {
                    k += 1;
                }
                // k <= 2^53, exactly representable; scale exactly
                let e = self.exponent + drop;
                sign * crate::special::ldexp(k as f64, e)
            }
        }
    }

    /// `(double)(self / n)` with the quotient formed in extended precision,
    /// as R's `rowMeans` does (`rans[i] /= p; (double) rans[i]`).
    pub fn div_to_f64(&self, n: f64) -> f64 {
        (*self / LongDouble::from_f64(n)).to_f64()
    }

    /// Compares with a double (NaN compares as unordered: `None`).
    pub fn partial_cmp_f64(&self, x: f64) -> Option<Ordering> {
        self.partial_cmp_ld(&LongDouble::from_f64(x))
    }

    /// Compares two extended values (NaN compares as unordered: `None`).
    pub fn partial_cmp_ld(&self, other: &LongDouble) -> Option<Ordering> {
        if self.is_nan() || other.is_nan() {
            return None;
        }
        if self.class == Class::Inf && other.class == Class::Inf && self.negative == other.negative
        {
            return Some(Ordering::Equal);
        }
        let d = *self - *other;
        Some(match d.class {
            Class::Zero => Ordering::Equal,
            Class::NaN => return None,
            _ => {
                if d.negative {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
        })
    }
}

impl std::ops::Add for LongDouble {
    type Output = LongDouble;
    /// Extended-precision sum, rounded once to 64 significant bits.
    fn add(self, rhs: LongDouble) -> LongDouble {
        self.sum_with(rhs)
    }
}

impl std::ops::Sub for LongDouble {
    type Output = LongDouble;
    /// Extended-precision difference, rounded once.
    fn sub(self, rhs: LongDouble) -> LongDouble {
        self.sum_with(rhs.negated())
    }
}

impl std::ops::Mul for LongDouble {
    type Output = LongDouble;
    /// Extended-precision product, rounded once.
    fn mul(self, rhs: LongDouble) -> LongDouble {
        self.product(rhs)
    }
}

impl std::ops::Div for LongDouble {
    type Output = LongDouble;
    /// Extended-precision quotient, rounded once.
    fn div(self, rhs: LongDouble) -> LongDouble {
        self.quotient(rhs)
    }
}

impl std::ops::Neg for LongDouble {
    type Output = LongDouble;
    fn neg(self) -> LongDouble {
        self.negated()
    }
}

/// R's `sum(x)` for doubles: long double accumulation, results beyond
/// ±DBL_MAX become ±Inf.
///
/// ```
/// use osteon_stats::summary::sum;
/// assert_eq!(sum(&[0.1, 0.2, 0.3]), 0.6); // a double loop gives 0.6000000000000001
/// ```
pub fn sum(x: &[f64]) -> f64 {
    let s = long_double_sum(x);
    match s.partial_cmp_f64(f64::MAX) {
        Some(Ordering::Greater) => return f64::INFINITY,
        None => return s.to_f64(),
        _ => {}
    }
    if s.partial_cmp_f64(-f64::MAX) == Some(Ordering::Less) {
        return f64::NEG_INFINITY;
    }
    s.to_f64()
}

/// R's `rowSums` of one row (`na.rm = FALSE`): long double sum rounded to
/// double.
pub fn row_sum(x: &[f64]) -> f64 {
    long_double_sum(x).to_f64()
}

/// R's `rowMeans` of one row (`na.rm = FALSE`): long double sum, divided by
/// the number of columns in long double, then rounded to double. NaN for an
/// empty row.
///
/// ```
/// use osteon_stats::summary::row_mean;
/// assert_eq!(row_mean(&[1.0, 2.0, 4.0]), 7.0 / 3.0);
/// ```
pub fn row_mean(x: &[f64]) -> f64 {
    long_double_sum(x).div_to_f64(x.len() as f64)
}

/// R's `mean(x)` for doubles (`.Internal(mean(x))`): long double mean
/// followed by one long double correction pass `s += sum(x - s) / n`.
/// NaN for empty input.
///
/// ```
/// use osteon_stats::summary::mean;
/// assert_eq!(mean(&[1.0, 2.0, 3.0, 4.0]), 2.5);
/// assert!(mean(&[]).is_nan());
/// ```
pub fn mean(x: &[f64]) -> f64 {
    let n = LongDouble::from_f64(x.len() as f64);
    let mut s = long_double_sum(x) / n;
    if s.to_f64().is_finite() {
        let t = long_double_deviation_sum(x, s);
        s.add(t / n);
    }
    s.to_f64()
}

/// Σ x in C `long double` (x87: each partial sum rounded to 64 significant
/// bits), from +0 in order: R's accumulation in `sum`, `rowSums`,
/// `rowMeans` and `mean`.
///
/// Every double is an integer multiple of its lowest set bit, and a sum
/// rounded to 64 significant bits keeps only bits at or above that of its
/// operands, so when the inputs span fewer than ~120 bits the whole
/// accumulation can run on 128-bit integers counting units of the lowest
/// bit of any input ([`FixedPoint`]): each step adds exactly and rounds to
/// 64 significant bits, ties to even, as the x87 does. That is about ten
/// times faster than the general emulation ([`LongDouble`]), which is used
/// for wider spans and for infinities and NaN, and gives the same value to
/// the bit (checked by a test on random vectors of both kinds).
fn long_double_sum(x: &[f64]) -> LongDouble {
    if let Some(fixed) = FixedPoint::for_values(x.iter().copied(), x.len(), None) {
        let mut acc = 0i128;
        for &v in x {
            acc = round_to_64_bits(acc + fixed.units(v));
        }
        return fixed.to_long_double(acc);
    }
    let mut s = LongDouble::zero();
    for &v in x {
        s.add_f64(v);
    }
    s
}

/// Σ (x − s) in C `long double`, each difference and each partial sum
/// rounded to 64 significant bits: the correction pass of R's `mean`. The
/// same fixed-point shortcut as [`long_double_sum`], with `s`'s lowest bit
/// among the units.
fn long_double_deviation_sum(x: &[f64], s: LongDouble) -> LongDouble {
    if let Some((s_negative, s_mantissa, s_exponent)) = s.finite_parts() {
        let s_bits = FixedPoint::bits_of(s_mantissa as u128, s_exponent);
        if let Some(fixed) = FixedPoint::for_values(x.iter().copied(), x.len(), Some(s_bits)) {
            let s_units = fixed.units_of(s_negative, s_mantissa as u128, s_exponent);
            let mut acc = 0i128;
            for &v in x {
                acc = round_to_64_bits(acc + round_to_64_bits(fixed.units(v) - s_units));
            }
            return fixed.to_long_double(acc);
        }
    }
    let mut t = LongDouble::zero();
    for &v in x {
        t.add(LongDouble::from_f64(v) - s);
    }
    t
}

/// Values held as integer counts of units of 2^`scale` (in an `i128`),
/// units chosen by [`FixedPoint::for_values`] so that no value has a bit
/// below them and sums of the values never overflow.
struct FixedPoint {
    scale: i32,
}

/// (lowest set bit, bit above the highest set bit) of a finite non-zero
/// magnitude m·2^e, as powers of two.
type BitRange = (i32, i32);

impl FixedPoint {
    fn bits_of(mantissa: u128, exponent: i32) -> BitRange {
        (
            exponent + mantissa.trailing_zeros() as i32,
            exponent + (128 - mantissa.leading_zeros()) as i32,
        )
    }

    fn parts_of(v: f64) -> (bool, u128, i32) {
        let (negative, mantissa, exponent) = double_parts(v);
        (negative, mantissa as u128, exponent)
    }

    /// The units for summing `count` values (and `extra`'s bits), or None
    /// when a value is not finite or the bits span too wide a range.
    fn for_values(
        values: impl Iterator<Item = f64>,
        count: usize,
        extra: Option<BitRange>,
    ) -> Option<FixedPoint> {
        let (mut low, mut high) = extra.unwrap_or((i32::MAX, i32::MIN));
        for v in values {
            if !v.is_finite() {
                return None;
            }
            if v != 0.0 {
                let (_, mantissa, exponent) = Self::parts_of(v);
                let (l, h) = Self::bits_of(mantissa, exponent);
                low = low.min(l);
                high = high.max(h);
            }
        }
        if low == i32::MAX {
            // all zeros: any units do
            return Some(FixedPoint { scale: 0 });
        }
        // Partial sums of `count` terms (twice that for the deviations) stay
        // below 2^(high + bits of 2·count + 1); keep them under 2^126.
        let growth = (usize::BITS - (2 * count + 2).leading_zeros()) as i32;
        (high - low + growth < 126).then_some(FixedPoint { scale: low })
    }

    fn units_of(&self, negative: bool, mantissa: u128, exponent: i32) -> i128 {
        let shift = exponent - self.scale;
        let magnitude = if shift >= 0 {
            (mantissa << shift) as i128
        } else {
            (mantissa >> -shift) as i128
        };
        if negative {
            -magnitude
        } else {
            magnitude
        }
    }

    /// `v` in units (exact: no bit of `v` lies below the units).
    fn units(&self, v: f64) -> i128 {
        if v == 0.0 {
            return 0;
        }
        let (negative, mantissa, exponent) = Self::parts_of(v);
        self.units_of(negative, mantissa, exponent)
    }

    /// The long double `value` units stand for (exact: `value` has at most
    /// 64 significant bits after [`round_to_64_bits`]).
    fn to_long_double(&self, value: i128) -> LongDouble {
        if value == 0 {
            return LongDouble::zero();
        }
        let magnitude = value.unsigned_abs();
        let length = (128 - magnitude.leading_zeros()) as i32;
        let mantissa = if length <= 64 {
            (magnitude << (64 - length)) as u64
        } else {
            (magnitude >> (length - 64)) as u64
        };
        LongDouble {
            class: Class::Finite,
            negative: value < 0,
            exponent: self.scale + length - 64,
            mantissa,
        }
    }
}

/// Rounds an integer to 64 significant bits, ties to even (the x87's
/// rounding of a result to its 64-bit significand).
fn round_to_64_bits(v: i128) -> i128 {
    let magnitude = v.unsigned_abs();
    let length = 128 - magnitude.leading_zeros();
    if length <= 64 {
        return v;
    }
    let drop = length - 64;
    let kept = magnitude >> drop;
    let rest = magnitude & ((1u128 << drop) - 1);
    let half = 1u128 << (drop - 1);
    let kept = if rest > half || (rest == half && kept & 1 == 1) {
        kept + 1
    } else {
        kept
    };
    let rounded = (kept << drop) as i128;
    if v < 0 {
        -rounded
    } else {
        rounded
    }
}

/// Sample variance as matrixStats' `rowVars` computes it: plain double
/// arithmetic, mean = Σx/n, then Σ(x − mean)² / (n − 1). NaN for n < 2
/// (R gives NA).
///
/// ```
/// use osteon_stats::summary::var;
/// assert_eq!(var(&[1.0, 2.0, 3.0, 4.0]), 5.0 / 3.0);
/// ```
pub fn var(x: &[f64]) -> f64 {
    let n = x.len();
    if n < 2 {
        return f64::NAN;
    }
    let mut s = 0.0;
    for &v in x {
        s += v;
    }
    let m = s / n as f64;
    let mut ss = 0.0;
    for &v in x {
        let d = v - m;
        ss += d * d;
    }
    ss / (n - 1) as f64
}

/// Three-way comparison of doubles as R's `rcmp(x, y, nalast = TRUE)`.
fn rcmp(x: f64, y: f64) -> Ordering {
    match (x.is_nan(), y.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => {
            if x < y {
                Ordering::Less
            } else if x > y {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        }
    }
}

/// R's `rPsort2`: partial quicksort placing the k-th smallest of
/// `x[lo..=hi]` at index k, smaller values left of it and larger right.
fn r_psort2(x: &mut [f64], lo: usize, hi: usize, k: usize) {
    let (mut left, mut right) = (lo as isize, hi as isize);
    let k = k as isize;
    while left < right {
        let v = x[k as usize];
        let (mut i, mut j) = (left, right);
        while i <= j {
            while rcmp(x[i as usize], v) == Ordering::Less {
                i += 1;
            }
            while rcmp(v, x[j as usize]) == Ordering::Less {
                j -= 1;
            }
            if i <= j {
                x.swap(i as usize, j as usize);
                i += 1;
                j -= 1;
            }
        }
        if j < k {
            left = i;
        }
        if k < i {
            right = j;
        }
    }
}

/// R's `Psort0`: partial sort for several 1-based positions `ind` (sorted).
fn r_psort0(x: &mut [f64], lo: isize, hi: isize, ind: &[usize]) {
    if ind.is_empty() || hi - lo < 1 {
        return;
    }
    if ind.len() == 1 {
        r_psort2(x, lo as usize, hi as usize, ind[0] - 1);
    } else {
        let mid = (lo + hi) / 2;
        let mut this = 0;
        for (i, &p) in ind.iter().enumerate() {
            if (p as isize) - 1 <= mid {
                this = i;
            }
        }
        let z = ind[this] as isize - 1;
        r_psort2(x, lo as usize, hi as usize, z as usize);
        r_psort0(x, lo, z - 1, &ind[..this]);
        r_psort0(x, z + 1, hi, &ind[this + 1..]);
    }
}

/// R's `sort(x, partial = positions)` (1-based positions, at most 10),
/// reproducing the exact element order R leaves behind.
pub fn partial_sort(x: &[f64], positions: &[usize]) -> Vec<f64> {
    let mut y = x.to_vec();
    let mut ind = positions.to_vec();
    ind.sort_unstable();
    if !y.is_empty() {
        let hi = y.len() as isize - 1;
        r_psort0(&mut y, 0, hi, &ind);
    }
    y
}

/// R's `median(x)`: NaN if `x` is empty or contains NaN (R: NA); for even
/// length the R `mean()` of the two middle order statistics.
///
/// ```
/// use osteon_stats::summary::median;
/// assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
/// assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
/// ```
pub fn median(x: &[f64]) -> f64 {
    let n = x.len();
    if n == 0 || x.iter().any(|v| v.is_nan()) {
        return f64::NAN;
    }
    let half = n.div_ceil(2);
    if n % 2 == 1 {
        let y = partial_sort(x, &[half]);
        y[half - 1]
    } else {
        let y = partial_sort(x, &[half, half + 1]);
        mean(&[y[half - 1], y[half]])
    }
}

/// R's `quantile(x, p, type = 7)` (no fuzz for type 7): linear
/// interpolation between order statistics at index 1 + (n − 1)p.
/// NaN for empty input, input containing NaN (R errors) or p outside \[0, 1\].
///
/// ```
/// use osteon_stats::summary::quantile7;
/// assert_eq!(quantile7(&[1.0, 2.0, 3.0, 4.0], 0.5), 2.5);
/// ```
pub fn quantile7(x: &[f64], p: f64) -> f64 {
    let eps = 100.0 * f64::EPSILON;
    if p.is_nan() || !(-eps..=1.0 + eps).contains(&p) || x.iter().any(|v| v.is_nan()) {
        return f64::NAN;
    }
    let n = x.len();
    if n == 0 {
        return f64::NAN;
    }
    let p = p.clamp(0.0, 1.0);
    let index = 1.0 + (n - 1) as f64 * p;
    let lo = index.floor();
    let hi = index.ceil();
    let (lo_i, hi_i) = (lo as usize, hi as usize);
    let positions: Vec<usize> = if lo_i == hi_i {
        vec![lo_i]
    } else {
        vec![lo_i, hi_i]
    };
    let y = partial_sort(x, &positions);
    let qs = y[lo_i - 1];
    let x_hi = y[hi_i - 1];
    if index > lo && x_hi != qs {
        let h = index - lo;
        (1.0 - h) * qs + h * x_hi
    } else {
        qs
    }
}

/// R's `mad(x)` with the default constant 1.4826 and centre `median(x)`.
///
/// ```
/// use osteon_stats::summary::mad;
/// assert_eq!(mad(&[1.0, 2.0, 3.0, 4.0, 100.0]), 1.4826);
/// ```
pub fn mad(x: &[f64]) -> f64 {
    let center = median(x);
    let dev: Vec<f64> = x.iter().map(|&v| (v - center).abs()).collect();
    1.4826 * median(&dev)
}

/// R's `mean(x, trim = trim)`: for 0 < trim < 0.5 drops `floor(n*trim)`
/// values from each end (selected with R's partial sort, so the remaining
/// values are summed in R's order), trim ≥ 0.5 gives the median, trim ≤ 0
/// the plain mean. NaN if `x` contains NaN.
///
/// ```
/// use osteon_stats::summary::trimmed_mean;
/// assert_eq!(trimmed_mean(&[1.0, 2.0, 3.0, 4.0, 100.0], 0.2), 3.0);
/// ```
pub fn trimmed_mean(x: &[f64], trim: f64) -> f64 {
    let n = x.len();
    if trim > 0.0 && n > 0 {
        if x.iter().any(|v| v.is_nan()) {
            return f64::NAN;
        }
        if trim >= 0.5 {
            return median(x);
        }
        let lo = (n as f64 * trim).floor() as usize + 1;
        let hi = n + 1 - lo;
        let positions: Vec<usize> = if lo == hi { vec![lo] } else { vec![lo, hi] };
        let y = partial_sort(x, &positions);
        return mean(&y[lo - 1..hi]);
    }
    mean(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The long double sums as plain emulation loops (what R does, one
    /// `LongDouble` operation at a time), for checking the fixed-point path.
    fn reference_sum(x: &[f64]) -> LongDouble {
        let mut s = LongDouble::zero();
        for &v in x {
            s.add_f64(v);
        }
        s
    }

    fn reference_mean(x: &[f64]) -> f64 {
        let n = LongDouble::from_f64(x.len() as f64);
        let mut s = reference_sum(x) / n;
        if s.to_f64().is_finite() {
            let mut t = LongDouble::zero();
            for &v in x {
                t.add(LongDouble::from_f64(v) - s);
            }
            s.add(t / n);
        }
        s.to_f64()
    }

    #[test]
    fn fixed_point_sums_equal_the_long_double_emulation() {
        let mut rng = crate::rng::RRng::from_seed(2026);
        let mut fast_path = 0;
        let cases = 30_000;
        for case in 0..cases {
            let n = (rng.unif_rand() * 260.0) as usize;
            // Magnitudes spread over a few decades (like normalised counts
            // and squared deviations) or, every seventh case, over the
            // whole double range (beyond the fixed-point window).
            let decades = if case % 7 == 0 { 600.0 } else { 16.0 };
            let x: Vec<f64> = (0..n)
                .map(|_| {
                    let u = rng.unif_rand();
                    if u < 0.05 {
                        0.0
                    } else if u < 0.07 {
                        -0.0
                    } else if u < 0.15 {
                        (rng.unif_rand() * 1000.0).floor()
                    } else if case % 97 == 0 && u < 0.16 {
                        [f64::INFINITY, f64::NAN, 5e-324, -f64::MAX][case % 4]
                    } else {
                        let sign = if rng.unif_rand() < 0.3 { -1.0 } else { 1.0 };
                        sign * rng.unif_rand() * 10f64.powf((rng.unif_rand() - 0.5) * decades)
                    }
                })
                .collect();
            let want = reference_sum(&x);
            let got = long_double_sum(&x);
            let same = |a: f64, b: f64| a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan());
            assert!(same(got.to_f64(), want.to_f64()), "sum {x:?}");
            assert!(
                same(row_mean(&x), want.div_to_f64(n as f64)),
                "row_mean {x:?}"
            );
            assert!(same(mean(&x), reference_mean(&x)), "mean {x:?}");
            // and the extended value itself, not only its rounding to f64
            assert_eq!(
                got.partial_cmp_ld(&want),
                want.partial_cmp_ld(&want),
                "extended sum {x:?}"
            );
            fast_path += usize::from(FixedPoint::for_values(x.iter().copied(), n, None).is_some());
        }
        assert!(fast_path > cases * 3 / 4, "{fast_path}");
        assert!(fast_path < cases, "{fast_path}");
    }

    #[test]
    fn summaries_match_r() {
        // x <- c(0.1, 0.2, 0.3, 1e16, -1e16)
        let x = [0.1, 0.2, 0.3, 1e+16, -1e+16];
        assert_eq!(sum(&x).to_bits(), 0.599609375_f64.to_bits()); // sprintf('%.17g', sum(x))
        assert_eq!(mean(&x).to_bits(), 0.119921875_f64.to_bits()); // mean(x)
        assert_eq!(row_mean(&x).to_bits(), 0.119921875_f64.to_bits()); // rowMeans(matrix(x, 1))
        assert_eq!(var(&x).to_bits(), 5e+31_f64.to_bits()); // matrixStats::rowVars(matrix(x, 1))
        assert_eq!(median(&x).to_bits(), 0.2_f64.to_bits()); // median(x)
        assert_eq!(mad(&x).to_bits(), 0.14826_f64.to_bits()); // mad(x)
        assert_eq!(
            quantile7(&x, 0.3).to_bits(),
            0.12000000000000002_f64.to_bits()
        ); // quantile(x, 0.3)
        assert_eq!(trimmed_mean(&x, 0.2).to_bits(), 0.2_f64.to_bits()); // mean(x, trim = 0.2)
                                                                        // x <- c(1/3, 2/3, 0.1, 0.7, 1e17, 1e-17, 0.7)
        let x = [
            0.3333333333333333,
            0.6666666666666666,
            0.1,
            0.7,
            1e+17,
            1e-17,
            0.7,
        ];
        assert_eq!(sum(&x).to_bits(), 1e+17_f64.to_bits()); // sprintf('%.17g', sum(x))
        assert_eq!(mean(&x).to_bits(), 14285714285714286.0_f64.to_bits()); // mean(x)
        assert_eq!(row_mean(&x).to_bits(), 14285714285714286.0_f64.to_bits()); // rowMeans(matrix(x, 1))
        assert_eq!(var(&x).to_bits(), 1.4285714285714285e+33_f64.to_bits()); // matrixStats::rowVars(matrix(x, 1))
        assert_eq!(median(&x).to_bits(), 0.6666666666666666_f64.to_bits()); // median(x)
        assert_eq!(mad(&x).to_bits(), 0.4942_f64.to_bits()); // mad(x)
        assert_eq!(
            quantile7(&x, 0.3).to_bits(),
            0.2866666666666666_f64.to_bits()
        ); // quantile(x, 0.3)
        assert_eq!(trimmed_mean(&x, 0.2).to_bits(), 0.5_f64.to_bits()); // mean(x, trim = 0.2)
                                                                        // x <- c(10001, 9999, 10003, 9998, 10000.5, 10002)
        let x = [10001.0, 9999.0, 10003.0, 9998.0, 10000.5, 10002.0];
        assert_eq!(sum(&x).to_bits(), 60003.5_f64.to_bits()); // sprintf('%.17g', sum(x))
        assert_eq!(mean(&x).to_bits(), 10000.583333333334_f64.to_bits()); // mean(x)
        assert_eq!(row_mean(&x).to_bits(), 10000.583333333334_f64.to_bits()); // rowMeans(matrix(x, 1))
        assert_eq!(var(&x).to_bits(), 3.4416666666666673_f64.to_bits()); // matrixStats::rowVars(matrix(x, 1))
        assert_eq!(median(&x).to_bits(), 10000.75_f64.to_bits()); // median(x)
        assert_eq!(mad(&x).to_bits(), 2.2239_f64.to_bits()); // mad(x)
        assert_eq!(quantile7(&x, 0.3).to_bits(), 9999.75_f64.to_bits()); // quantile(x, 0.3)
        assert_eq!(trimmed_mean(&x, 0.2).to_bits(), 10000.625_f64.to_bits()); // mean(x, trim = 0.2)
                                                                              // x <- c(0.1, 0.2, 0.3)
        let x = [0.1, 0.2, 0.3];
        assert_eq!(sum(&x).to_bits(), 0.6_f64.to_bits()); // sprintf('%.17g', sum(x))
        assert_eq!(mean(&x).to_bits(), 0.2_f64.to_bits()); // mean(x)
        assert_eq!(row_mean(&x).to_bits(), 0.2_f64.to_bits()); // rowMeans(matrix(x, 1))
        assert_eq!(var(&x).to_bits(), 0.009999999999999998_f64.to_bits()); // matrixStats::rowVars(matrix(x, 1))
        assert_eq!(median(&x).to_bits(), 0.2_f64.to_bits()); // median(x)
        assert_eq!(mad(&x).to_bits(), 0.14825999999999995_f64.to_bits()); // mad(x)
        assert_eq!(
            quantile7(&x, 0.3).to_bits(),
            0.16000000000000003_f64.to_bits()
        ); // quantile(x, 0.3)
        assert_eq!(trimmed_mean(&x, 0.2).to_bits(), 0.2_f64.to_bits()); // mean(x, trim = 0.2)
                                                                        // x <- c(2.5, 1e-8, 3.75, 1e8, 7, 0.001, 42, 6.25, 1e-3)
        let x = [2.5, 1e-08, 3.75, 100000000.0, 7.0, 0.001, 42.0, 6.25, 0.001];
        assert_eq!(sum(&x).to_bits(), 100000061.502_f64.to_bits()); // sprintf('%.17g', sum(x))
        assert_eq!(mean(&x).to_bits(), 11111117.944666667_f64.to_bits()); // mean(x)
        assert_eq!(row_mean(&x).to_bits(), 11111117.944666667_f64.to_bits()); // rowMeans(matrix(x, 1))
        assert_eq!(var(&x).to_bits(), 1111110940272403.5_f64.to_bits()); // matrixStats::rowVars(matrix(x, 1))
        assert_eq!(median(&x).to_bits(), 3.75_f64.to_bits()); // median(x)
        assert_eq!(mad(&x).to_bits(), 5.5582674_f64.to_bits()); // mad(x)
        assert_eq!(
            quantile7(&x, 0.3).to_bits(),
            1.0005999999999997_f64.to_bits()
        ); // quantile(x, 0.3)
        assert_eq!(trimmed_mean(&x, 0.2).to_bits(), 8.786_f64.to_bits()); // mean(x, trim = 0.2)
    }

    #[test]
    fn long_double_keeps_64_bits() {
        let mut s = LongDouble::zero();
        s.add_f64(1.0);
        s.add_f64(2f64.powi(-63));
        assert_eq!((s - LongDouble::from_f64(1.0)).to_f64(), 2f64.powi(-63));
        let mut t = LongDouble::zero();
        t.add_f64(1.0);
        t.add_f64(2f64.powi(-64)); // exactly half an ulp: ties to even -> 1
        assert_eq!((t - LongDouble::from_f64(1.0)).to_f64(), 0.0);
    }

    #[test]
    fn long_double_special_values() {
        let mut s = LongDouble::zero();
        s.add_f64(f64::INFINITY);
        s.add_f64(1.0);
        assert_eq!(s.to_f64(), f64::INFINITY);
        s.add_f64(f64::NEG_INFINITY);
        assert!(s.to_f64().is_nan());
        assert_eq!(LongDouble::from_f64(5e-324).to_f64(), 5e-324);
        assert_eq!(
            LongDouble::from_f64(-1.5).div_to_f64(0.0),
            f64::NEG_INFINITY
        );
    }
}
