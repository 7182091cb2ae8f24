//! Position scales: map data values to pixels on a linear, log2 or log10
//! axis, and choose an axis range from data (padded by 4 % of the span on
//! each side, as R's base graphics do with `xaxs = "r"`).

use super::ticks::{linear_ticks, log_ticks, AxisTicks};

/// How data values are spaced along an axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Transform {
    /// Equal distances for equal differences.
    #[default]
    Linear,
    /// Equal distances for equal ratios, ticks at powers of two.
    Log2,
    /// Equal distances for equal ratios, ticks at powers of ten.
    Log10,
}

impl Transform {
    /// The value in the transformed space (`None` when it cannot be shown:
    /// not finite, or not positive on a log axis).
    pub fn apply(self, value: f64) -> Option<f64> {
        if !value.is_finite() {
            return None;
        }
        match self {
            Transform::Linear => Some(value),
            Transform::Log2 if value > 0.0 => Some(value.log2()),
            Transform::Log10 if value > 0.0 => Some(value.log10()),
            _ => None,
        }
    }

    /// The inverse of [`Transform::apply`].
    pub fn invert(self, transformed: f64) -> f64 {
        match self {
            Transform::Linear => transformed,
            Transform::Log2 => transformed.exp2(),
            Transform::Log10 => 10f64.powf(transformed),
        }
    }

    /// Whether the value can be placed on such an axis.
    pub fn accepts(self, value: f64) -> bool {
        self.apply(value).is_some()
    }
}

/// A map from a data interval (`domain`) to a pixel interval (`range`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    /// Spacing of values.
    pub transform: Transform,
    /// Data values at the two ends of the axis (`domain.0 < domain.1`).
    pub domain: (f64, f64),
    /// Pixel positions of the two ends (may decrease, as for y axes).
    pub range: (f64, f64),
}

impl Scale {
    /// A scale; an empty or invalid domain is widened so that mapping
    /// always gives finite pixels.
    pub fn new(transform: Transform, domain: (f64, f64), range: (f64, f64)) -> Scale {
        let domain = sanitize_domain(transform, domain);
        Scale {
            transform,
            domain,
            range,
        }
    }

    /// Pixel position of `value`, or `None` when the value cannot be shown
    /// on this axis (non-finite, or not positive on a log axis). Values
    /// outside the domain map outside the range.
    ///
    /// ```
    /// use osteon_report::svg::scale::{Scale, Transform};
    /// let x = Scale::new(Transform::Linear, (0.0, 100.0), (50.0, 250.0));
    /// assert_eq!(x.map(25.0), Some(100.0));
    /// let y = Scale::new(Transform::Log10, (1.0, 1000.0), (300.0, 0.0));
    /// assert_eq!(y.map(10.0), Some(200.0));
    /// ```
    pub fn map(&self, value: f64) -> Option<f64> {
        let transformed = self.transform.apply(value)?;
        let low = self.transform.apply(self.domain.0)?;
        let high = self.transform.apply(self.domain.1)?;
        let fraction = (transformed - low) / (high - low);
        let pixel = self.range.0 + fraction * (self.range.1 - self.range.0);
        pixel.is_finite().then_some(pixel)
    }

    /// Like [`Scale::map`] but values beyond the domain are pulled to its
    /// nearest end; the flag says whether that happened (−1 below, +1
    /// above, 0 inside).
    pub fn map_clamped(&self, value: f64) -> Option<(f64, i8)> {
        self.transform.apply(value)?;
        if value < self.domain.0 {
            Some((self.map(self.domain.0)?, -1))
        } else if value > self.domain.1 {
            Some((self.map(self.domain.1)?, 1))
        } else {
            Some((self.map(value)?, 0))
        }
    }

    /// Whether `value` lies inside the domain.
    pub fn contains(&self, value: f64) -> bool {
        self.transform.accepts(value) && value >= self.domain.0 && value <= self.domain.1
    }

    /// Ticks for this axis, aiming at about `target` intervals.
    pub fn ticks(&self, target: usize) -> AxisTicks {
        match self.transform {
            Transform::Linear => linear_ticks(self.domain.0, self.domain.1, target),
            Transform::Log2 => log_ticks(self.domain.0, self.domain.1, 2, target),
            Transform::Log10 => log_ticks(self.domain.0, self.domain.1, 10, target),
        }
    }

    /// Length of the axis in pixels.
    pub fn length(&self) -> f64 {
        (self.range.1 - self.range.0).abs()
    }
}

/// Makes a domain usable: ordered, finite, non-empty and positive on log
/// axes.
fn sanitize_domain(transform: Transform, domain: (f64, f64)) -> (f64, f64) {
    let (mut low, mut high) = if domain.0 <= domain.1 {
        domain
    } else {
        (domain.1, domain.0)
    };
    let valid = |value: f64| transform.accepts(value);
    if !valid(low) || !valid(high) {
        return match transform {
            Transform::Linear => (0.0, 1.0),
            _ => (1.0, 10.0),
        };
    }
    if low == high {
        match transform {
            Transform::Linear => {
                let half = if low == 0.0 { 1.0 } else { low.abs() * 0.1 };
                low -= half;
                high += half;
            }
            _ => {
                low /= 3.0;
                high *= 3.0;
            }
        }
    }
    (low, high)
}

/// The axis domain for `values`: their finite (and, on log axes, positive)
/// extent widened by `padding` × span on each side (in transformed space).
/// `include` values (such as 0 for bar charts or 1 for fold changes) are
/// added to the extent. `None` when no value can be shown.
///
/// ```
/// use osteon_report::svg::scale::{padded_domain, Transform};
/// let domain = padded_domain(Transform::Linear, [0.0, 100.0], &[], 0.04).unwrap();
/// assert_eq!(domain, (-4.0, 104.0));
/// ```
pub fn padded_domain(
    transform: Transform,
    values: impl IntoIterator<Item = f64>,
    include: &[f64],
    padding: f64,
) -> Option<(f64, f64)> {
    let mut low = f64::INFINITY;
    let mut high = f64::NEG_INFINITY;
    for value in values.into_iter().chain(include.iter().copied()) {
        if let Some(transformed) = transform.apply(value) {
            low = low.min(transformed);
            high = high.max(transformed);
        }
    }
    if !(low.is_finite() && high.is_finite()) {
        return None;
    }
    let span = high - low;
    let pad = if span > 0.0 {
        span * padding
    } else if transform == Transform::Linear {
        if low == 0.0 {
            1.0
        } else {
            low.abs() * 0.1
        }
    } else {
        0.5
    };
    let domain = (transform.invert(low - pad), transform.invert(high + pad));
    (domain.0.is_finite() && domain.1.is_finite()).then_some(domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_maps_known_points() {
        let scale = Scale::new(Transform::Linear, (-2.0, 2.0), (300.0, 100.0));
        assert_eq!(scale.map(-2.0), Some(300.0));
        assert_eq!(scale.map(0.0), Some(200.0));
        assert_eq!(scale.map(2.0), Some(100.0));
        assert_eq!(scale.map(4.0), Some(0.0));
        assert_eq!(scale.map(f64::NAN), None);
        assert_eq!(scale.map_clamped(5.0), Some((100.0, 1)));
        assert_eq!(scale.map_clamped(-5.0), Some((300.0, -1)));
    }

    #[test]
    fn log_scales_map_ratios_to_equal_distances() {
        let scale = Scale::new(Transform::Log10, (0.1, 1000.0), (0.0, 400.0));
        assert_eq!(scale.map(1.0), Some(100.0));
        assert_eq!(scale.map(100.0), Some(300.0));
        assert_eq!(scale.map(0.0), None);
        assert_eq!(scale.map(-1.0), None);
        let scale = Scale::new(Transform::Log2, (0.5, 8.0), (0.0, 400.0));
        assert_eq!(scale.map(2.0), Some(200.0));
    }

    #[test]
    fn degenerate_domains_are_widened() {
        let scale = Scale::new(Transform::Linear, (5.0, 5.0), (0.0, 100.0));
        assert_eq!(scale.domain, (4.5, 5.5));
        let scale = Scale::new(Transform::Log10, (0.0, 10.0), (0.0, 100.0));
        assert_eq!(scale.domain, (1.0, 10.0));
        let scale = Scale::new(Transform::Linear, (f64::NAN, 1.0), (0.0, 100.0));
        assert!(scale.map(0.5).is_some());
    }

    #[test]
    fn padded_domains() {
        // log10: 1..1000 spans 3 decades, 4 % is 0.12 decades each side
        let (low, high) =
            padded_domain(Transform::Log10, [1.0, 1000.0, 0.0, f64::NAN], &[], 0.04).unwrap();
        assert!((low - 10f64.powf(-0.12)).abs() < 1e-12);
        assert!((high - 10f64.powf(3.12)).abs() < 1e-9);
        assert_eq!(
            padded_domain(Transform::Linear, [3.0], &[0.0], 0.0),
            Some((0.0, 3.0))
        );
        assert_eq!(
            padded_domain(Transform::Log10, [0.0, -1.0], &[], 0.04),
            None
        );
        assert_eq!(
            padded_domain(Transform::Linear, [2.0], &[], 0.04),
            Some((1.8, 2.2))
        );
    }
}
