//! Amplification efficiencies from standard-curve dilution series: the
//! least-squares line `Cq = intercept + slope · log10(quantity)` (R's
//! `lm(cq ~ log10(quantity))`), `E = 10^(−1/slope) − 1` (Rasmussen 2001;
//! Pfaffl 2001, Nucleic Acids Res. 29:e45) and R².

use super::{Cq, QpcrError};

/// One well of a dilution series.
#[derive(Debug, Clone, PartialEq)]
pub struct StandardPoint {
    pub target: String,
    /// Template amount (copies, ng, or relative dilution such as 1, 0.1,
    /// 0.01): any positive scale.
    pub quantity: f64,
    pub cq: Cq,
    /// Where the point came from (e.g. `curve.csv line 7`), for messages.
    pub origin: String,
}

/// Where an efficiency came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EfficiencySource {
    /// Fitted from a dilution series.
    StandardCurve,
    /// Given by the user.
    Given,
}

/// The amplification efficiency of one gene.
#[derive(Debug, Clone, PartialEq)]
pub struct Efficiency {
    pub target: String,
    pub source: EfficiencySource,
    /// Points used (determined Cq) and distinct quantities among them.
    pub n_points: usize,
    pub n_levels: usize,
    /// Points dropped because their Cq was undetermined.
    pub n_undetermined: usize,
    /// Fitted line (NaN when given).
    pub slope: f64,
    pub intercept: f64,
    pub r_squared: f64,
    /// Standard error of the slope (NaN when given or with 2 points).
    pub slope_se: f64,
    /// `E = 10^(−1/slope) − 1` (0.95 = 95%).
    pub efficiency: f64,
    /// `1 + E`: the factor per cycle (2 for a perfect reaction).
    pub amplification: f64,
}

impl Efficiency {
    /// An efficiency stated by the user (a fraction: 0.95 = 95%).
    pub fn given(target: &str, efficiency: f64) -> Result<Efficiency, QpcrError> {
        if !(efficiency > 0.0 && efficiency <= 1.5) {
            return Err(QpcrError::InvalidEfficiency {
                gene: target.to_string(),
                value: efficiency,
            });
        }
        Ok(Efficiency {
            target: target.to_string(),
            source: EfficiencySource::Given,
            n_points: 0,
            n_levels: 0,
            n_undetermined: 0,
            slope: f64::NAN,
            intercept: f64::NAN,
            r_squared: f64::NAN,
            slope_se: f64::NAN,
            efficiency,
            amplification: 1.0 + efficiency,
        })
    }
}

/// Fits one standard curve per target (targets in order of first
/// appearance). Undetermined points are left out and counted.
///
/// ```
/// use osteon_assay::qpcr::{standard_curves, Cq, StandardPoint};
/// // Perfect doubling: 10-fold dilutions 3.3219 cycles apart (slope −log2(10)).
/// let slope = -(10f64).log2();
/// let points: Vec<StandardPoint> = (0..5)
///     .map(|i| StandardPoint {
///         target: "GAPDH".into(),
///         quantity: 10f64.powi(-i),
///         cq: Cq::Value(15.0 + slope * -(i as f64)),
///         origin: format!("line {}", i + 2),
///     })
///     .collect();
/// let e = &standard_curves(&points).unwrap()[0];
/// assert!((e.efficiency - 1.0).abs() < 1e-12 && (e.r_squared - 1.0).abs() < 1e-12);
/// ```
pub fn standard_curves(points: &[StandardPoint]) -> Result<Vec<Efficiency>, QpcrError> {
    let mut targets: Vec<&str> = Vec::new();
    for p in points {
        if p.target.is_empty() {
            return Err(QpcrError::EmptyField {
                origin: p.origin.clone(),
                field: "target",
            });
        }
        if !(p.quantity > 0.0 && p.quantity.is_finite()) {
            return Err(QpcrError::InvalidQuantity {
                origin: p.origin.clone(),
                value: p.quantity,
            });
        }
        if let Cq::Value(v) = p.cq {
            if !(v > 0.0 && v.is_finite()) {
                return Err(QpcrError::InvalidCq {
                    origin: p.origin.clone(),
                    value: v,
                });
            }
        }
        if !targets.contains(&p.target.as_str()) {
            targets.push(&p.target);
        }
    }
    targets
        .into_iter()
        .map(|target| {
            let mine: Vec<&StandardPoint> = points.iter().filter(|p| p.target == target).collect();
            let used: Vec<(f64, f64)> = mine
                .iter()
                .filter_map(|p| match p.cq {
                    Cq::Value(v) => Some((p.quantity.log10(), v)),
                    Cq::Undetermined => None,
                })
                .collect();
            let mut levels: Vec<f64> = used.iter().map(|u| u.0).collect();
            levels.sort_by(f64::total_cmp);
            levels.dedup();
            if used.len() < 3 || levels.len() < 2 {
                return Err(QpcrError::TooFewDilutions {
                    target: target.to_string(),
                    points: used.len(),
                    levels: levels.len(),
                });
            }
            let fit = least_squares_line(&used);
            if fit.slope.is_nan() || fit.slope >= 0.0 {
                return Err(QpcrError::NonNegativeSlope {
                    target: target.to_string(),
                    slope: fit.slope,
                });
            }
            let efficiency = 10f64.powf(-1.0 / fit.slope) - 1.0;
            Ok(Efficiency {
                target: target.to_string(),
                source: EfficiencySource::StandardCurve,
                n_points: used.len(),
                n_levels: levels.len(),
                n_undetermined: mine.len() - used.len(),
                slope: fit.slope,
                intercept: fit.intercept,
                r_squared: fit.r_squared,
                slope_se: fit.slope_se,
                efficiency,
                amplification: 1.0 + efficiency,
            })
        })
        .collect()
}

struct Line {
    slope: f64,
    intercept: f64,
    r_squared: f64,
    slope_se: f64,
}

/// Ordinary least squares of `y` on `x` (two-pass centred sums).
fn least_squares_line(points: &[(f64, f64)]) -> Line {
    let n = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for &(x, y) in points {
        sxx += (x - mean_x) * (x - mean_x);
        sxy += (x - mean_x) * (y - mean_y);
        syy += (y - mean_y) * (y - mean_y);
    }
    let slope = sxy / sxx;
    let intercept = mean_y - slope * mean_x;
    let residual: f64 = points
        .iter()
        .map(|&(x, y)| {
            let r = y - (intercept + slope * x);
            r * r
        })
        .sum();
    let slope_se = if points.len() > 2 {
        (residual / (n - 2.0) / sxx).sqrt()
    } else {
        f64::NAN
    };
    Line {
        slope,
        intercept,
        r_squared: 1.0 - residual / syy,
        slope_se,
    }
}
