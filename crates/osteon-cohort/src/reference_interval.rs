//! Reference-interval flagging of laboratory values, as a clinical laboratory
//! report prints it: each result is compared with its analyte's reference
//! interval and marked `L` (below the low limit), `H` (above the high limit)
//! or `N` (within), and `LL` / `HH` when it is beyond a critical ("panic")
//! limit.
//!
//! Conventions (those of CLSI EP28-A3c, *Defining, establishing and verifying
//! reference intervals in the clinical laboratory*, and of laboratory
//! information systems): a reference interval is closed, so a value equal to
//! a limit is within it (`low ≤ x ≤ high` is `N`); critical limits are also
//! inclusive of the non-critical side (`x < critical_low` is `LL`,
//! `x > critical_high` is `HH`). Either limit may be absent (e.g. only an
//! upper limit for CRP or VEGF). A value reported in another unit than its
//! reference interval is refused rather than flagged, because a flag against
//! limits in the wrong unit is silently wrong.
//!
//! The same [`ReferenceInterval`] carries the per-assay normal limits used by
//! [`crate::trajectory`] (upper limit of normal, optional lower limit).

use std::collections::HashMap;

/// The reference interval of one analyte (or the normal range of one assay).
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceInterval {
    /// Analyte or assay name, as used in the data.
    pub analyte: String,
    /// The unit the limits are expressed in (`None`: not stated; no check).
    pub unit: Option<String>,
    /// Lower reference limit (values below it are `L`).
    pub low: Option<f64>,
    /// Upper reference limit (values above it are `H`).
    pub high: Option<f64>,
    /// Critical low limit (values below it are `LL`).
    pub critical_low: Option<f64>,
    /// Critical high limit (values above it are `HH`).
    pub critical_high: Option<f64>,
}

/// A laboratory flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Flag {
    /// Below the critical low limit (`LL`).
    CriticalLow,
    /// Below the lower reference limit (`L`).
    Low,
    /// Within the reference interval (`N`).
    Normal,
    /// Above the upper reference limit (`H`).
    High,
    /// Above the critical high limit (`HH`).
    CriticalHigh,
}

impl Flag {
    /// All flags, from lowest to highest (the order of summary counts).
    pub const ALL: [Flag; 5] = [
        Flag::CriticalLow,
        Flag::Low,
        Flag::Normal,
        Flag::High,
        Flag::CriticalHigh,
    ];

    /// The code printed in a lab report: `LL`, `L`, `N`, `H`, `HH`.
    pub fn code(self) -> &'static str {
        match self {
            Flag::CriticalLow => "LL",
            Flag::Low => "L",
            Flag::Normal => "N",
            Flag::High => "H",
            Flag::CriticalHigh => "HH",
        }
    }

    /// Position in [`Flag::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for Flag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Invalid limits or values. Messages name the analyte and, for data values,
/// the line of the input table.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReferenceIntervalError {
    /// The same analyte has two reference intervals.
    #[error("analyte '{analyte}' has more than one reference interval")]
    DuplicateAnalyte { analyte: String },
    /// An analyte name is empty.
    #[error("a reference interval has an empty analyte name")]
    EmptyAnalyte,
    /// A reference interval has no limit at all.
    #[error("analyte '{analyte}' has neither a low nor a high limit")]
    NoLimits { analyte: String },
    /// A limit is NaN or infinite.
    #[error("analyte '{analyte}': the {which} limit {value} is not a finite number")]
    NonFiniteLimit {
        analyte: String,
        which: &'static str,
        value: f64,
    },
    /// Two limits are in the wrong order (e.g. low above high).
    #[error("analyte '{analyte}': the {lower_name} limit {lower} is above the {upper_name} limit {upper}")]
    LimitsOutOfOrder {
        analyte: String,
        lower_name: &'static str,
        lower: f64,
        upper_name: &'static str,
        upper: f64,
    },
    /// A data value names an analyte without a reference interval.
    #[error(
        "line {line}: analyte '{analyte}' has no reference interval (known: {})",
        list_names(known)
    )]
    UnknownAnalyte {
        line: usize,
        analyte: String,
        known: Vec<String>,
    },
    /// A data value is reported in another unit than its reference interval.
    #[error("line {line}: analyte '{analyte}' is reported in '{data_unit}' but its reference interval is in '{limit_unit}'{}", case_hint(data_unit, limit_unit))]
    UnitMismatch {
        line: usize,
        analyte: String,
        data_unit: String,
        limit_unit: String,
    },
    /// A data value is NaN or infinite.
    #[error(
        "line {line}: analyte '{analyte}' has the value {value}, which is not a finite number"
    )]
    NonFiniteValue {
        line: usize,
        analyte: String,
        value: f64,
    },
}

/// Up to 10 names, comma-separated, with a count of the rest.
pub(crate) fn list_names(names: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut text = names
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    if text.is_empty() {
        text.push_str("none");
    }
    text
}

fn case_hint(data_unit: &str, limit_unit: &str) -> &'static str {
    if data_unit.eq_ignore_ascii_case(limit_unit) {
        " (they differ only in letter case; units are compared exactly because e.g. mU/L and MU/L differ)"
    } else {
        " (convert the values or the limits to one unit)"
    }
}

impl ReferenceInterval {
    /// An interval with the given limits and no unit or critical limits.
    pub fn new(analyte: impl Into<String>, low: Option<f64>, high: Option<f64>) -> Self {
        ReferenceInterval {
            analyte: analyte.into(),
            unit: None,
            low,
            high,
            critical_low: None,
            critical_high: None,
        }
    }

    /// Checks that the limits are finite, that at least one of `low`/`high`
    /// is given and that `critical_low ≤ low ≤ high ≤ critical_high` for the
    /// limits present.
    pub fn validate(&self) -> Result<(), ReferenceIntervalError> {
        if self.analyte.is_empty() {
            return Err(ReferenceIntervalError::EmptyAnalyte);
        }
        let named = [
            ("critical low", self.critical_low),
            ("low", self.low),
            ("high", self.high),
            ("critical high", self.critical_high),
        ];
        for (which, value) in named {
            if let Some(value) = value.filter(|v| !v.is_finite()) {
                return Err(ReferenceIntervalError::NonFiniteLimit {
                    analyte: self.analyte.clone(),
                    which,
                    value,
                });
            }
        }
        if self.low.is_none() && self.high.is_none() {
            return Err(ReferenceIntervalError::NoLimits {
                analyte: self.analyte.clone(),
            });
        }
        let present: Vec<(&'static str, f64)> = named
            .iter()
            .filter_map(|&(name, value)| value.map(|v| (name, v)))
            .collect();
        for (i, &(lower_name, lower)) in present.iter().enumerate() {
            for &(upper_name, upper) in &present[i + 1..] {
                if lower > upper {
                    return Err(ReferenceIntervalError::LimitsOutOfOrder {
                        analyte: self.analyte.clone(),
                        lower_name,
                        lower,
                        upper_name,
                        upper,
                    });
                }
            }
        }
        Ok(())
    }

    /// The flag of one value (see the module docs for the conventions).
    ///
    /// ```
    /// use osteon_cohort::reference_interval::{Flag, ReferenceInterval};
    /// let hb = ReferenceInterval { critical_low: Some(7.0), ..ReferenceInterval::new("Hb", Some(12.0), Some(16.0)) };
    /// assert_eq!(hb.flag(12.0), Flag::Normal); // limits are inside the interval
    /// assert_eq!(hb.flag(11.9), Flag::Low);
    /// assert_eq!(hb.flag(6.5), Flag::CriticalLow);
    /// assert_eq!(hb.flag(16.2), Flag::High);
    /// ```
    pub fn flag(&self, value: f64) -> Flag {
        if self.critical_low.is_some_and(|limit| value < limit) {
            Flag::CriticalLow
        } else if self.critical_high.is_some_and(|limit| value > limit) {
            Flag::CriticalHigh
        } else if self.low.is_some_and(|limit| value < limit) {
            Flag::Low
        } else if self.high.is_some_and(|limit| value > limit) {
            Flag::High
        } else {
            Flag::Normal
        }
    }

    /// Checks the unit a value was reported in (`None`: not stated) against
    /// the interval's unit; `line` names the value in the error.
    pub fn check_unit(
        &self,
        line: usize,
        unit: Option<&str>,
    ) -> Result<(), ReferenceIntervalError> {
        match (unit, self.unit.as_deref()) {
            (Some(data_unit), Some(limit_unit)) if data_unit != limit_unit => {
                Err(ReferenceIntervalError::UnitMismatch {
                    line,
                    analyte: self.analyte.clone(),
                    data_unit: data_unit.to_string(),
                    limit_unit: limit_unit.to_string(),
                })
            }
            _ => Ok(()),
        }
    }
}

/// Validates a set of intervals (each one, and unique analyte names) and
/// returns a lookup from analyte name to position.
pub fn index_intervals(
    intervals: &[ReferenceInterval],
) -> Result<HashMap<&str, usize>, ReferenceIntervalError> {
    let mut index = HashMap::with_capacity(intervals.len());
    for (position, interval) in intervals.iter().enumerate() {
        interval.validate()?;
        if index.insert(interval.analyte.as_str(), position).is_some() {
            return Err(ReferenceIntervalError::DuplicateAnalyte {
                analyte: interval.analyte.clone(),
            });
        }
    }
    Ok(index)
}

/// One laboratory result to flag.
#[derive(Debug, Clone, PartialEq)]
pub struct LabValue {
    /// The line of the input table this value came from (named in errors).
    pub line: usize,
    /// Analyte name, matched exactly against [`ReferenceInterval::analyte`].
    pub analyte: String,
    /// The result (`None`: missing; reported, not flagged).
    pub value: Option<f64>,
    /// The unit the result was reported in (`None`: not stated).
    pub unit: Option<String>,
}

/// Options of [`flag_values`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    /// Keep values of analytes that have no reference interval (flag `None`
    /// with a note) instead of refusing the table.
    pub allow_unknown_analytes: bool,
}

/// The flag of one input value, in input order.
#[derive(Debug, Clone, PartialEq)]
pub struct FlaggedValue {
    /// Position of the analyte's interval in the input intervals (`None`
    /// for an analyte without one, only with `allow_unknown_analytes`).
    pub interval: Option<usize>,
    /// The flag (`None` when the value is missing or has no interval).
    pub flag: Option<Flag>,
    /// Why there is no flag (empty when there is one).
    pub note: String,
}

/// Counts of flags for one analyte.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalyteSummary {
    /// Analyte name.
    pub analyte: String,
    /// Position of its interval (`None`: no interval).
    pub interval: Option<usize>,
    /// Number of input rows for the analyte.
    pub n_values: usize,
    /// Rows with a missing value.
    pub n_missing: usize,
    /// Counts per flag, in [`Flag::ALL`] order (`LL L N H HH`).
    pub counts: [usize; 5],
}

impl AnalyteSummary {
    /// The count of one flag.
    pub fn count(&self, flag: Flag) -> usize {
        self.counts[flag.index()]
    }
}

/// Flags of every value and counts per analyte.
#[derive(Debug, Clone, PartialEq)]
pub struct FlagReport {
    /// One entry per input value, in input order.
    pub values: Vec<FlaggedValue>,
    /// One row per analyte present in the data: analytes with an interval in
    /// the order of the intervals (a lab panel's order), then analytes
    /// without one in order of first appearance.
    pub summary: Vec<AnalyteSummary>,
}

/// Flags each value against its analyte's reference interval.
///
/// Errors: invalid or duplicated intervals; a value that is not finite; a
/// value whose unit differs from its interval's; an analyte without an
/// interval (unless [`Options::allow_unknown_analytes`]).
///
/// ```
/// use osteon_cohort::reference_interval::{flag_values, Flag, LabValue, Options, ReferenceInterval};
/// let limits = [ReferenceInterval::new("Ca", Some(2.15), Some(2.55))];
/// let value = |v| LabValue { line: 2, analyte: "Ca".into(), value: Some(v), unit: None };
/// let report = flag_values(&limits, &[value(2.9), value(2.2)], &Options::default())?;
/// assert_eq!(report.values[0].flag, Some(Flag::High));
/// assert_eq!(report.summary[0].count(Flag::Normal), 1);
/// # Ok::<(), osteon_cohort::reference_interval::ReferenceIntervalError>(())
/// ```
pub fn flag_values(
    intervals: &[ReferenceInterval],
    values: &[LabValue],
    options: &Options,
) -> Result<FlagReport, ReferenceIntervalError> {
    let index = index_intervals(intervals)?;
    let known = || intervals.iter().map(|i| i.analyte.clone()).collect();
    let mut summaries: Vec<Option<AnalyteSummary>> = vec![None; intervals.len()];
    let mut unknown: Vec<AnalyteSummary> = Vec::new();
    let mut unknown_index: HashMap<&str, usize> = HashMap::new();
    let mut flagged = Vec::with_capacity(values.len());
    for lab in values {
        let position = index.get(lab.analyte.as_str()).copied();
        let summary = match position {
            Some(p) => summaries[p].get_or_insert_with(|| empty_summary(&lab.analyte, Some(p))),
            None if options.allow_unknown_analytes => {
                let next = unknown.len();
                let slot = *unknown_index.entry(lab.analyte.as_str()).or_insert(next);
                if slot == next {
                    unknown.push(empty_summary(&lab.analyte, None));
                }
                &mut unknown[slot]
            }
            None => {
                return Err(ReferenceIntervalError::UnknownAnalyte {
                    line: lab.line,
                    analyte: lab.analyte.clone(),
                    known: known(),
                })
            }
        };
        summary.n_values += 1;
        if let Some(value) = lab.value.filter(|v| !v.is_finite()) {
            return Err(ReferenceIntervalError::NonFiniteValue {
                line: lab.line,
                analyte: lab.analyte.clone(),
                value,
            });
        }
        let interval = position.map(|p| &intervals[p]);
        if let Some(interval) = interval {
            interval.check_unit(lab.line, lab.unit.as_deref())?;
        }
        let (flag, note) = match (lab.value, interval) {
            (None, _) => {
                summary.n_missing += 1;
                (None, "value missing".to_string())
            }
            (Some(_), None) => (None, "no reference interval for this analyte".to_string()),
            (Some(value), Some(interval)) => {
                let flag = interval.flag(value);
                summary.counts[flag.index()] += 1;
                (Some(flag), String::new())
            }
        };
        flagged.push(FlaggedValue {
            interval: position,
            flag,
            note,
        });
    }
    let summary = summaries.into_iter().flatten().chain(unknown).collect();
    Ok(FlagReport {
        values: flagged,
        summary,
    })
}

fn empty_summary(analyte: &str, interval: Option<usize>) -> AnalyteSummary {
    AnalyteSummary {
        analyte: analyte.to_string(),
        interval,
        n_values: 0,
        n_missing: 0,
        counts: [0; 5],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interval(low: Option<f64>, high: Option<f64>) -> ReferenceInterval {
        ReferenceInterval::new("K", low, high)
    }

    fn lab(line: usize, analyte: &str, value: Option<f64>, unit: Option<&str>) -> LabValue {
        LabValue {
            line,
            analyte: analyte.to_string(),
            value,
            unit: unit.map(str::to_string),
        }
    }

    #[test]
    fn limits_belong_to_the_interval() {
        // Potassium 3.5–5.1 mmol/L, critical < 2.5 and > 6.5.
        let k = ReferenceInterval {
            critical_low: Some(2.5),
            critical_high: Some(6.5),
            ..interval(Some(3.5), Some(5.1))
        };
        let cases = [
            (2.4, Flag::CriticalLow),
            (2.5, Flag::Low), // on the critical limit: not critical
            (3.4, Flag::Low),
            (3.5, Flag::Normal),
            (5.1, Flag::Normal),
            (5.2, Flag::High),
            (6.5, Flag::High),
            (6.6, Flag::CriticalHigh),
        ];
        for (value, expected) in cases {
            assert_eq!(k.flag(value), expected, "K = {value}");
        }
        assert_eq!(
            Flag::ALL.map(Flag::code),
            ["LL", "L", "N", "H", "HH"],
            "codes in report order"
        );
    }

    #[test]
    fn one_sided_intervals() {
        let crp = interval(None, Some(5.0));
        assert_eq!(crp.flag(0.0), Flag::Normal);
        assert_eq!(crp.flag(5.01), Flag::High);
        let ferritin_low = interval(Some(15.0), None);
        assert_eq!(ferritin_low.flag(14.0), Flag::Low);
        assert_eq!(ferritin_low.flag(1e6), Flag::Normal);
    }

    #[test]
    fn invalid_intervals_are_refused() {
        assert!(matches!(
            interval(None, None).validate(),
            Err(ReferenceIntervalError::NoLimits { .. })
        ));
        assert!(matches!(
            interval(Some(5.0), Some(3.0)).validate(),
            Err(ReferenceIntervalError::LimitsOutOfOrder {
                lower_name: "low",
                upper_name: "high",
                ..
            })
        ));
        let critical_inside = ReferenceInterval {
            critical_high: Some(4.0),
            ..interval(Some(3.5), Some(5.1))
        };
        let err = critical_inside.validate().unwrap_err().to_string();
        assert_eq!(
            err,
            "analyte 'K': the high limit 5.1 is above the critical high limit 4"
        );
        assert!(matches!(
            interval(Some(f64::NAN), None).validate(),
            Err(ReferenceIntervalError::NonFiniteLimit { which: "low", .. })
        ));
        let twice = [interval(Some(1.0), None), interval(None, Some(2.0))];
        assert!(matches!(
            flag_values(&twice, &[], &Options::default()),
            Err(ReferenceIntervalError::DuplicateAnalyte { .. })
        ));
    }

    #[test]
    fn flags_and_counts_a_panel() {
        let panel = [
            ReferenceInterval {
                unit: Some("g/dL".into()),
                ..ReferenceInterval::new("Hb", Some(12.0), Some(16.0))
            },
            ReferenceInterval::new("Ca", Some(2.15), Some(2.55)),
        ];
        let values = [
            lab(2, "Ca", Some(2.7), None),
            lab(3, "Hb", Some(10.1), Some("g/dL")),
            lab(4, "Hb", None, None),
            lab(5, "Hb", Some(13.0), None),
            lab(6, "Ca", Some(2.55), None),
        ];
        let report = flag_values(&panel, &values, &Options::default()).unwrap();
        let flags: Vec<Option<Flag>> = report.values.iter().map(|v| v.flag).collect();
        assert_eq!(
            flags,
            [
                Some(Flag::High),
                Some(Flag::Low),
                None,
                Some(Flag::Normal),
                Some(Flag::Normal)
            ]
        );
        assert_eq!(report.values[2].note, "value missing");
        // Summary in panel order (Hb first) although Ca appears first.
        assert_eq!(report.summary[0].analyte, "Hb");
        assert_eq!(report.summary[0].n_values, 3);
        assert_eq!(report.summary[0].n_missing, 1);
        assert_eq!(report.summary[0].counts, [0, 1, 1, 0, 0]);
        assert_eq!(report.summary[1].counts, [0, 0, 1, 1, 0]);
    }

    #[test]
    fn unit_mismatch_names_the_line() {
        let panel = [ReferenceInterval {
            unit: Some("mmol/L".into()),
            ..ReferenceInterval::new("Glucose", Some(3.9), Some(5.6))
        }];
        let err = flag_values(
            &panel,
            &[lab(7, "Glucose", Some(95.0), Some("mg/dL"))],
            &Options::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 7: analyte 'Glucose' is reported in 'mg/dL' but its reference interval is in 'mmol/L' (convert the values or the limits to one unit)"
        );
        let err = flag_values(
            &panel,
            &[lab(8, "Glucose", Some(5.0), Some("mmol/l"))],
            &Options::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("line 8") && err.contains("letter case"),
            "{err}"
        );
    }

    #[test]
    fn unknown_analytes_are_errors_unless_allowed() {
        let panel = [interval(Some(3.5), Some(5.1))];
        let values = [
            lab(2, "K", Some(4.0), None),
            lab(3, "Na", Some(140.0), None),
        ];
        let err = flag_values(&panel, &values, &Options::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 3: analyte 'Na' has no reference interval (known: K)"
        );
        let report = flag_values(
            &panel,
            &values,
            &Options {
                allow_unknown_analytes: true,
            },
        )
        .unwrap();
        assert_eq!(report.values[1].flag, None);
        assert_eq!(report.values[1].interval, None);
        assert_eq!(report.summary.len(), 2);
        assert_eq!(report.summary[1].analyte, "Na");
        assert_eq!(report.summary[1].n_values, 1);
    }

    #[test]
    fn non_finite_values_name_the_line() {
        let panel = [interval(Some(3.5), Some(5.1))];
        let err = flag_values(
            &panel,
            &[lab(9, "K", Some(f64::INFINITY), None)],
            &Options::default(),
        )
        .unwrap_err();
        assert!(matches!(
            err,
            ReferenceIntervalError::NonFiniteValue { line: 9, .. }
        ));
    }

    #[test]
    fn list_names_truncates() {
        let names: Vec<String> = (0..12).map(|i| format!("a{i}")).collect();
        assert_eq!(
            list_names(&names),
            "a0, a1, a2, a3, a4, a5, a6, a7, a8, a9 and 2 more"
        );
        assert_eq!(list_names(&[]), "none");
    }
}
