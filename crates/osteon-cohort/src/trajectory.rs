//! Biomarker time courses: change from baseline and from nadir, distance from
//! the assay's normal limit, and response categories at landmark times, per
//! patient and summarised per treatment arm.
//!
//! Built for serum/plasma VEGF in POEMS syndrome after autologous stem-cell
//! transplantation or thalidomide, where the assay differs between centres
//! (radio-immunoassay, serum ELISA, plasma ELISA) and with it the upper limit
//! of normal (ULN): each measurement is therefore judged against the limits of
//! its own assay, and a patient measured by two assays gives two series.
//!
//! Per measurement (see [`Changes`]):
//! * % change from baseline, `(value − baseline) / baseline × 100`;
//! * % change from nadir, where the nadir is the lowest value measured from
//!   the baseline up to (not including) the measurement, as RECIST 1.1
//!   defines the nadir (Eisenhauer et al. 2009, Eur J Cancer 45:228);
//! * fold of ULN, `value / ULN`, and the reference-interval flag
//!   ([`crate::reference_interval`]); `normalised` means `value ≤ ULN`.
//!
//! Baseline ([`BaselineRule`], default [`BaselineRule::AtOrBeforeZero`]): the
//! last measurement at or before time 0 (time counts from the start of
//! treatment, so screening values may carry negative times when
//! [`Options::allow_negative_times`] is set); alternatively the measurement at
//! exactly time 0, or the first measurement whatever its time. A series with
//! no baseline is kept and reported (its changes are `NaN` with the reason).
//!
//! Landmarks (default 3, 6 and 12, in the unit of the time column, e.g.
//! months): the landmark value is the measurement after the baseline closest
//! to the landmark within ± [`Options::window`]; of two equally close ones the
//! earlier is used. Without one the landmark is *not evaluable* and the note
//! says why.
//!
//! Response at a landmark ([`ResponseRules`]), default the VEGF response
//! criteria of the Mayo Clinic POEMS series (D'Souza et al. 2012, *Long-term
//! outcomes after autologous stem cell transplantation for patients with
//! POEMS syndrome*, Blood 120:56–62; restated in Dispenzieri, *POEMS
//! syndrome: update on diagnosis, risk-stratification, and management*, Am J
//! Hematol, yearly updates): complete = normalised (value ≤ ULN); partial =
//! fall of ≥ 50% from baseline. Progression is a rise of ≥ 50% from the nadir
//! (the lowest prior value, including the baseline), following the
//! "increase from the lowest response value" of the IMWG criteria (Kumar et
//! al. 2016, Lancet Oncol 17:e328); [`ChangeReference::Baseline`] measures the
//! rise from the baseline instead. Categories are tested in the order
//! complete, progression, partial, stable (so a value back within the normal
//! limit is complete even after a rise from a lower nadir, and a rise of 50%
//! from the nadir is progression even while still 50% below baseline). Only
//! series whose baseline is above the ULN are assessed
//! ([`ResponseRules::require_elevated_baseline`]), as response to a normal
//! baseline is undefined. A % change from a reference of 0 is undefined
//! (`NaN`, with a note); a value above the ULN after a reference of 0 counts
//! as progression.
//!
//! Per-arm summaries at each landmark ([`ArmSummary`]): counts per category,
//! and median and quartiles (R's `median` and `quantile(type = 7)`, via
//! `osteon_stats::summary`) of the landmark value, its fold of ULN and its %
//! change from baseline.

use std::collections::HashMap;

use osteon_stats::summary::{median, quantile7};

use crate::reference_interval::{
    index_intervals, list_names, Flag, ReferenceInterval, ReferenceIntervalError,
};

#[cfg(test)]
mod tests;

/// One biomarker measurement.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// The line of the input table this record came from (named in errors).
    pub line: usize,
    /// Patient identifier.
    pub patient: String,
    /// Time from the start of treatment (any unit; landmarks use the same).
    pub time: f64,
    /// The measured concentration (`None`: missing; reported, not used).
    pub value: Option<f64>,
    /// Treatment arm (`None` for all when there is no arm column).
    pub arm: Option<String>,
    /// The assay, matched exactly against [`ReferenceInterval::analyte`].
    pub assay: String,
    /// The unit the value was reported in (`None`: not stated; no check).
    pub unit: Option<String>,
}

/// Which measurement is a series' baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BaselineRule {
    /// The last measurement at or before time 0 (default).
    #[default]
    AtOrBeforeZero,
    /// The measurement at exactly time 0.
    AtZero,
    /// The first measurement, whatever its time.
    First,
}

/// The reference value a rise is measured from for progression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChangeReference {
    /// The baseline value.
    Baseline,
    /// The lowest value from the baseline up to the landmark (default).
    #[default]
    Nadir,
}

/// Thresholds of the response categories (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseRules {
    /// Partial response: a fall from baseline of at least this many percent.
    pub partial_fall_percent: f64,
    /// Progression: a rise of at least this many percent from
    /// [`ResponseRules::progression_from`].
    pub progression_rise_percent: f64,
    /// What the rise for progression is measured from.
    pub progression_from: ChangeReference,
    /// Assess only series whose baseline is above the ULN.
    pub require_elevated_baseline: bool,
}

impl Default for ResponseRules {
    fn default() -> Self {
        ResponseRules {
            partial_fall_percent: 50.0,
            progression_rise_percent: 50.0,
            progression_from: ChangeReference::Nadir,
            require_elevated_baseline: true,
        }
    }
}

/// Options of [`analyse`].
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// How the baseline is chosen.
    pub baseline: BaselineRule,
    /// Landmark times (positive, distinct; reported in ascending order).
    pub landmarks: Vec<f64>,
    /// Half-width of the window around each landmark (inclusive).
    pub window: f64,
    /// Response category thresholds.
    pub rules: ResponseRules,
    /// Accept negative times (pre-treatment values); otherwise they are an
    /// error naming the line.
    pub allow_negative_times: bool,
    /// Summarise per arm and assay rather than per arm.
    pub summary_by_assay: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            baseline: BaselineRule::default(),
            landmarks: vec![3.0, 6.0, 12.0],
            window: 1.0,
            rules: ResponseRules::default(),
            allow_negative_times: false,
            summary_by_assay: false,
        }
    }
}

/// Response category at a landmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// Normalised: value ≤ ULN.
    Complete,
    /// Fall from baseline of at least the partial threshold.
    Partial,
    /// Neither response nor progression.
    Stable,
    /// Rise of at least the progression threshold.
    Progression,
    /// Cannot be judged (the note says why).
    NotEvaluable,
}

impl Category {
    /// All categories, in the order of the summary counts.
    pub const ALL: [Category; 5] = [
        Category::Complete,
        Category::Partial,
        Category::Stable,
        Category::Progression,
        Category::NotEvaluable,
    ];

    /// The name written in tables: `complete`, `partial`, `stable`,
    /// `progression`, `not_evaluable`.
    pub fn code(self) -> &'static str {
        match self {
            Category::Complete => "complete",
            Category::Partial => "partial",
            Category::Stable => "stable",
            Category::Progression => "progression",
            Category::NotEvaluable => "not_evaluable",
        }
    }

    /// Position in [`Category::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Invalid measurements, limits or options. Messages name the line, patient
/// and assay concerned.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrajectoryError {
    /// The normal limits are invalid, or a value's unit differs from its
    /// assay's.
    #[error(transparent)]
    Limits(#[from] ReferenceIntervalError),
    /// No measurements at all.
    #[error("there are no measurements")]
    NoMeasurements,
    /// A landmark is not a positive finite number, or is given twice.
    #[error("landmark {value} is not valid: landmarks must be positive, finite and distinct")]
    InvalidLandmark { value: f64 },
    /// No landmarks.
    #[error("no landmarks were given")]
    NoLandmarks,
    /// The landmark window is not a positive finite number.
    #[error("the landmark window {value} is not valid: it must be positive and finite")]
    InvalidWindow { value: f64 },
    /// A response threshold is out of range.
    #[error("the {name} threshold {value}% is not valid: it must be {range}")]
    InvalidThreshold {
        name: &'static str,
        value: f64,
        range: &'static str,
    },
    /// An assay used by the data has no upper limit of normal.
    #[error("line {line}: assay '{assay}' has no upper limit of normal, which fold of ULN and response need")]
    MissingUpperLimit { line: usize, assay: String },
    /// A measurement names an assay without normal limits.
    #[error("line {line}: patient {patient}: assay '{assay}' has no normal limits (limits are given for: {})", list_names(known))]
    UnknownAssay {
        line: usize,
        patient: String,
        assay: String,
        known: Vec<String>,
    },
    /// A patient identifier is empty.
    #[error("line {line}: the patient identifier is empty")]
    EmptyPatient { line: usize },
    /// A time is NaN or infinite.
    #[error("line {line}: patient {patient}: time {time} is not a finite number")]
    NonFiniteTime {
        line: usize,
        patient: String,
        time: f64,
    },
    /// A negative time without [`Options::allow_negative_times`].
    #[error("line {line}: patient {patient}: time {time} is negative; times count from the start of treatment (allow negative times to use pre-treatment values)")]
    NegativeTime {
        line: usize,
        patient: String,
        time: f64,
    },
    /// A value is NaN or infinite.
    #[error("line {line}: patient {patient}: value {value} is not a finite number")]
    NonFiniteValue {
        line: usize,
        patient: String,
        value: f64,
    },
    /// A negative concentration.
    #[error("line {line}: patient {patient}: value {value} is negative; a concentration cannot be below 0")]
    NegativeValue {
        line: usize,
        patient: String,
        value: f64,
    },
    /// Two measurements of one series at the same time.
    #[error("line {line}: patient {patient}, assay '{assay}': time {time} was already measured on line {first_line}")]
    DuplicateTime {
        line: usize,
        first_line: usize,
        patient: String,
        assay: String,
        time: f64,
    },
    /// A patient is given two different arms.
    #[error(
        "line {line}: patient {patient} is in arm {} here but in arm {} on line {first_line}",
        show_arm(arm),
        show_arm(first_arm)
    )]
    ArmChanges {
        line: usize,
        first_line: usize,
        patient: String,
        arm: Option<String>,
        first_arm: Option<String>,
    },
}

fn show_arm(arm: &Option<String>) -> String {
    match arm {
        Some(arm) => format!("'{arm}'"),
        None => "(none)".to_string(),
    }
}

/// A series' baseline measurement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Baseline {
    /// Its time.
    pub time: f64,
    /// Its value.
    pub value: f64,
    /// Its input line.
    pub line: usize,
}

/// The measurements of one patient by one assay: everything a spaghetti plot
/// needs (times and values, the assay's normal limits, the arm).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Patient identifier.
    pub patient: String,
    /// Assay name.
    pub assay: String,
    /// Treatment arm.
    pub arm: Option<String>,
    /// Position of the assay's limits in the limits given to [`analyse`].
    pub limits: usize,
    /// The assay's upper limit of normal.
    pub upper_limit: f64,
    /// The assay's lower limit of normal, if any.
    pub lower_limit: Option<f64>,
    /// The assay's unit, if stated.
    pub unit: Option<String>,
    /// The baseline (`None`: see `baseline_note`).
    pub baseline: Option<Baseline>,
    /// Why there is no baseline (empty when there is one).
    pub baseline_note: String,
    /// Times of the non-missing measurements, ascending.
    pub times: Vec<f64>,
    /// The values at `times`.
    pub values: Vec<f64>,
    /// Number of rows with a missing value.
    pub n_missing: usize,
    /// This series' rows in [`Changes`].
    pub rows: std::ops::Range<usize>,
}

/// One row per input measurement, grouped by series (series order: patients
/// in order of first appearance, then assays in order of first appearance)
/// and sorted by time within a series. `NaN` marks a value that does not
/// exist; `note` says why.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Changes {
    /// Series index into [`Trajectory::series`].
    pub series: Vec<usize>,
    /// Input line.
    pub line: Vec<usize>,
    /// Time.
    pub time: Vec<f64>,
    /// Value (`NaN` when missing).
    pub value: Vec<f64>,
    /// % change from baseline.
    pub pct_change_baseline: Vec<f64>,
    /// Lowest value from the baseline up to (not including) this time.
    pub nadir: Vec<f64>,
    /// % change from that nadir.
    pub pct_change_nadir: Vec<f64>,
    /// Value / ULN.
    pub fold_uln: Vec<f64>,
    /// Reference-interval flag against the assay's limits.
    pub flag: Vec<Option<Flag>>,
    /// Value ≤ ULN.
    pub normalised: Vec<Option<bool>>,
    /// Whether this row is the baseline.
    pub is_baseline: Vec<bool>,
    /// Remarks (`baseline`, `before baseline`, why a change is missing).
    pub note: Vec<String>,
}

/// One row per series and landmark, in series order, landmarks ascending.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Landmarks {
    /// Series index.
    pub series: Vec<usize>,
    /// Landmark time.
    pub landmark: Vec<f64>,
    /// Time of the measurement used (`NaN`: none in the window).
    pub time_used: Vec<f64>,
    /// Its value.
    pub value: Vec<f64>,
    /// Its fold of ULN.
    pub fold_uln: Vec<f64>,
    /// Its % change from baseline.
    pub pct_change_baseline: Vec<f64>,
    /// Its % change from the nadir before it.
    pub pct_change_nadir: Vec<f64>,
    /// Response category.
    pub category: Vec<Category>,
    /// Why not evaluable, or which rule decided.
    pub note: Vec<String>,
}

/// Median and quartiles (R `median`, `quantile(type = 7)` at 0.25, 0.75).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quartiles {
    /// First quartile.
    pub q1: f64,
    /// Median.
    pub median: f64,
    /// Third quartile.
    pub q3: f64,
}

impl Quartiles {
    /// Of `x` (all `NaN` when `x` is empty).
    pub fn of(x: &[f64]) -> Quartiles {
        Quartiles {
            q1: quantile7(x, 0.25),
            median: median(x),
            q3: quantile7(x, 0.75),
        }
    }

    /// All `NaN`.
    pub const NAN: Quartiles = Quartiles {
        q1: f64::NAN,
        median: f64::NAN,
        q3: f64::NAN,
    };
}

/// Summary of one arm (and assay, with [`Options::summary_by_assay`]) at
/// one landmark.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmSummary {
    /// The arm (`None`: no arm column).
    pub arm: Option<String>,
    /// The assay, when summarising by assay.
    pub assay: Option<String>,
    /// The assays of the series in this group, in order of first appearance.
    pub assays: Vec<String>,
    /// Landmark time.
    pub landmark: f64,
    /// Series in the group.
    pub n_series: usize,
    /// Series with a measurement in the landmark window.
    pub n_measured: usize,
    /// Series with a % change from baseline at the landmark.
    pub n_with_change: usize,
    /// Landmark values (`NaN` when the group mixes assays).
    pub value: Quartiles,
    /// Landmark values as fold of ULN.
    pub fold_uln: Quartiles,
    /// % change from baseline.
    pub pct_change_baseline: Quartiles,
    /// Series per category, in [`Category::ALL`] order.
    pub counts: [usize; 5],
    /// Remarks (e.g. why value quartiles are missing).
    pub note: String,
}

impl ArmSummary {
    /// The count of one category.
    pub fn count(&self, category: Category) -> usize {
        self.counts[category.index()]
    }
}

/// Everything [`analyse`] computes.
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    /// The series, in output order.
    pub series: Vec<Series>,
    /// Per-measurement changes.
    pub changes: Changes,
    /// Per-series landmark values and categories.
    pub landmarks: Landmarks,
    /// Per-arm summaries at each landmark (arms in order of first
    /// appearance, then landmarks ascending).
    pub arm_summary: Vec<ArmSummary>,
    /// The landmarks used, ascending.
    pub landmark_times: Vec<f64>,
}

impl Trajectory {
    /// Indices of the series without a baseline.
    pub fn series_without_baseline(&self) -> Vec<usize> {
        (0..self.series.len())
            .filter(|&s| self.series[s].baseline.is_none())
            .collect()
    }
}

/// `(value − reference) / reference × 100`; `NaN` when `reference` is 0.
pub fn percent_change(value: f64, reference: f64) -> f64 {
    if reference == 0.0 {
        f64::NAN
    } else {
        (value - reference) / reference * 100.0
    }
}

fn check_options(options: &Options) -> Result<Vec<f64>, TrajectoryError> {
    if options.landmarks.is_empty() {
        return Err(TrajectoryError::NoLandmarks);
    }
    let mut landmarks = options.landmarks.clone();
    for &value in &landmarks {
        if !(value.is_finite() && value > 0.0) {
            return Err(TrajectoryError::InvalidLandmark { value });
        }
    }
    landmarks.sort_by(f64::total_cmp);
    if let Some(pair) = landmarks.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(TrajectoryError::InvalidLandmark { value: pair[0] });
    }
    if !(options.window.is_finite() && options.window > 0.0) {
        return Err(TrajectoryError::InvalidWindow {
            value: options.window,
        });
    }
    let fall = options.rules.partial_fall_percent;
    if !(fall > 0.0 && fall <= 100.0) {
        return Err(TrajectoryError::InvalidThreshold {
            name: "partial-response fall",
            value: fall,
            range: "above 0 and at most 100",
        });
    }
    let rise = options.rules.progression_rise_percent;
    if !(rise.is_finite() && rise > 0.0) {
        return Err(TrajectoryError::InvalidThreshold {
            name: "progression rise",
            value: rise,
            range: "positive and finite",
        });
    }
    Ok(landmarks)
}

/// Validated measurements grouped into series, rows sorted by time.
struct Grouped {
    /// (patient index, assay index, measurement indices sorted by time), in
    /// output order.
    series: Vec<(usize, usize, Vec<usize>)>,
    /// The arm of each patient (by patient index).
    arms: Vec<Option<String>>,
}

fn check_measurement(
    m: &Measurement,
    options: &Options,
    limits: &[ReferenceInterval],
    limit_index: &HashMap<&str, usize>,
) -> Result<usize, TrajectoryError> {
    if m.patient.is_empty() {
        return Err(TrajectoryError::EmptyPatient { line: m.line });
    }
    let patient = || m.patient.clone();
    if !m.time.is_finite() {
        return Err(TrajectoryError::NonFiniteTime {
            line: m.line,
            patient: patient(),
            time: m.time,
        });
    }
    if m.time < 0.0 && !options.allow_negative_times {
        return Err(TrajectoryError::NegativeTime {
            line: m.line,
            patient: patient(),
            time: m.time,
        });
    }
    if let Some(value) = m.value {
        if !value.is_finite() {
            return Err(TrajectoryError::NonFiniteValue {
                line: m.line,
                patient: patient(),
                value,
            });
        }
        if value < 0.0 {
            return Err(TrajectoryError::NegativeValue {
                line: m.line,
                patient: patient(),
                value,
            });
        }
    }
    let Some(&position) = limit_index.get(m.assay.as_str()) else {
        return Err(TrajectoryError::UnknownAssay {
            line: m.line,
            patient: patient(),
            assay: m.assay.clone(),
            known: limits.iter().map(|l| l.analyte.clone()).collect(),
        });
    };
    let interval = &limits[position];
    if interval.high.is_none() {
        return Err(TrajectoryError::MissingUpperLimit {
            line: m.line,
            assay: m.assay.clone(),
        });
    }
    interval.check_unit(m.line, m.unit.as_deref())?;
    Ok(position)
}

fn group(
    measurements: &[Measurement],
    limits: &[ReferenceInterval],
    limit_index: &HashMap<&str, usize>,
    options: &Options,
) -> Result<Grouped, TrajectoryError> {
    let mut patients: HashMap<&str, usize> = HashMap::new();
    let mut patient_first: Vec<usize> = Vec::new(); // first measurement of each patient
    let mut assays: HashMap<&str, usize> = HashMap::new();
    let mut series_of: HashMap<(usize, usize), usize> = HashMap::new();
    let mut members: Vec<(usize, usize, Vec<usize>)> = Vec::new();
    for (i, m) in measurements.iter().enumerate() {
        check_measurement(m, options, limits, limit_index)?;
        let next = patients.len();
        let patient = *patients.entry(m.patient.as_str()).or_insert(next);
        if patient == next {
            patient_first.push(i);
        }
        let first = &measurements[patient_first[patient]];
        if first.arm != m.arm {
            return Err(TrajectoryError::ArmChanges {
                line: m.line,
                first_line: first.line,
                patient: m.patient.clone(),
                arm: m.arm.clone(),
                first_arm: first.arm.clone(),
            });
        }
        let next = assays.len();
        let assay = *assays.entry(m.assay.as_str()).or_insert(next);
        let next = members.len();
        let slot = *series_of.entry((patient, assay)).or_insert(next);
        if slot == next {
            members.push((patient, assay, Vec::new()));
        }
        members[slot].2.push(i);
    }
    members.sort_by_key(|&(patient, assay, _)| (patient, assay));
    for (_, _, rows) in &mut members {
        rows.sort_by(|&a, &b| measurements[a].time.total_cmp(&measurements[b].time));
        for pair in rows.windows(2) {
            let (a, b) = (&measurements[pair[0]], &measurements[pair[1]]);
            if a.time == b.time {
                return Err(TrajectoryError::DuplicateTime {
                    line: b.line.max(a.line),
                    first_line: b.line.min(a.line),
                    patient: b.patient.clone(),
                    assay: b.assay.clone(),
                    time: b.time,
                });
            }
        }
    }
    let arms = patient_first
        .iter()
        .map(|&i| measurements[i].arm.clone())
        .collect();
    Ok(Grouped {
        series: members,
        arms,
    })
}

/// Picks the baseline among `rows` (sorted by time, values present or not).
fn choose_baseline(
    rule: BaselineRule,
    rows: &[usize],
    measurements: &[Measurement],
) -> Result<usize, String> {
    let measured = || {
        rows.iter()
            .copied()
            .filter(|&i| measurements[i].value.is_some())
    };
    let first_time = measured().next().map(|i| measurements[i].time);
    let Some(first_time) = first_time else {
        return Err("no measured value".to_string());
    };
    match rule {
        BaselineRule::First => measured().next().ok_or_else(String::new),
        BaselineRule::AtZero => measured()
            .find(|&i| measurements[i].time == 0.0)
            .ok_or_else(|| format!("no measured value at time 0 (first at {first_time})")),
        BaselineRule::AtOrBeforeZero => measured()
            .take_while(|&i| measurements[i].time <= 0.0)
            .last()
            .ok_or_else(|| {
                format!("no measured value at or before time 0 (first at {first_time})")
            }),
    }
}

/// The measurement used at `landmark`: measured, after `after`, within the
/// window, closest (earlier on ties). Returns it and a note on ties.
fn landmark_measurement(
    rows: &[usize],
    measurements: &[Measurement],
    after: f64,
    landmark: f64,
    window: f64,
) -> (Option<usize>, String) {
    let mut best: Option<(usize, f64)> = None;
    let mut tie: Option<usize> = None;
    for &i in rows {
        let m = &measurements[i];
        if m.value.is_none() || m.time <= after {
            continue;
        }
        let distance = (m.time - landmark).abs();
        if distance > window {
            continue;
        }
        match best {
            Some((_, d)) if distance > d => {}
            Some((_, d)) if distance == d => tie = Some(i),
            _ => {
                best = Some((i, distance));
                tie = None;
            }
        }
    }
    let note = match (best, tie) {
        (Some((chosen, _)), Some(other)) => format!(
            "times {} and {} are equally close; the earlier is used",
            measurements[chosen].time, measurements[other].time
        ),
        _ => String::new(),
    };
    (best.map(|(i, _)| i), note)
}

/// Category of a landmark value with a baseline (see the module docs).
fn categorise(
    value: f64,
    baseline: f64,
    nadir: f64,
    upper_limit: f64,
    rules: &ResponseRules,
) -> (Category, String) {
    if rules.require_elevated_baseline && baseline <= upper_limit {
        return (
            Category::NotEvaluable,
            format!("baseline {baseline} is not above the upper limit {upper_limit}"),
        );
    }
    if value <= upper_limit {
        return (Category::Complete, String::new());
    }
    let (reference, reference_name) = match rules.progression_from {
        ChangeReference::Baseline => (baseline, "baseline"),
        ChangeReference::Nadir => (nadir, "nadir"),
    };
    if reference == 0.0 || percent_change(value, reference) >= rules.progression_rise_percent {
        return (
            Category::Progression,
            format!("rise from {reference_name} {reference}"),
        );
    }
    let change = percent_change(value, baseline);
    if change.is_nan() {
        return (Category::NotEvaluable, "baseline is 0".to_string());
    }
    if change <= -rules.partial_fall_percent {
        return (Category::Partial, String::new());
    }
    (Category::Stable, String::new())
}

fn join_note(note: &mut String, part: &str) {
    if part.is_empty() {
        return;
    }
    if !note.is_empty() {
        note.push_str("; ");
    }
    note.push_str(part);
}

/// Computes changes, landmark responses and arm summaries.
///
/// Errors name the input line: a negative time (unless allowed), a value that
/// is negative or not finite, an assay without limits or without an upper
/// limit, a unit that differs from the assay's, two values of one series at
/// one time, a patient in two arms; and invalid options or limits.
///
/// ```
/// use osteon_cohort::reference_interval::ReferenceInterval;
/// use osteon_cohort::trajectory::{analyse, Category, Measurement, Options};
/// let limits = [ReferenceInterval::new("serum ELISA", None, Some(1000.0))];
/// let at = |line: usize, time: f64, value: f64| Measurement {
///     line, patient: "P01".into(), time, value: Some(value), arm: None,
///     assay: "serum ELISA".into(), unit: None,
/// };
/// // 4000 at baseline; 1600 at 3 months = −60% → partial; 800 at 6 → complete.
/// let data = [at(2, 0.0, 4000.0), at(3, 3.0, 1600.0), at(4, 6.0, 800.0)];
/// let result = analyse(&data, &limits, &Options { landmarks: vec![3.0, 6.0], ..Options::default() })?;
/// assert_eq!(result.landmarks.pct_change_baseline[0], -60.0);
/// assert_eq!(result.landmarks.category, [Category::Partial, Category::Complete]);
/// # Ok::<(), osteon_cohort::trajectory::TrajectoryError>(())
/// ```
pub fn analyse(
    measurements: &[Measurement],
    limits: &[ReferenceInterval],
    options: &Options,
) -> Result<Trajectory, TrajectoryError> {
    let landmark_times = check_options(options)?;
    if measurements.is_empty() {
        return Err(TrajectoryError::NoMeasurements);
    }
    let limit_index = index_intervals(limits)?;
    let grouped = group(measurements, limits, &limit_index, options)?;
    let mut series = Vec::with_capacity(grouped.series.len());
    let mut changes = Changes::default();
    let mut landmarks = Landmarks::default();
    for (patient, _, rows) in &grouped.series {
        let first = &measurements[rows[0]];
        let limits_position = limit_index[first.assay.as_str()];
        let interval = &limits[limits_position];
        let upper_limit = interval.high.expect("checked for every measurement");
        let index = series.len();
        let baseline = choose_baseline(options.baseline, rows, measurements);
        let baseline_row = baseline.as_ref().ok().copied();
        let base = baseline_row.map(|i| Baseline {
            time: measurements[i].time,
            value: measurements[i].value.expect("baseline is measured"),
            line: measurements[i].line,
        });
        let baseline_note = baseline.err().unwrap_or_default();
        let start = changes.series.len();
        // Running nadir over measured values from the baseline onwards.
        let mut nadir = f64::NAN;
        for &i in rows {
            let m = &measurements[i];
            let value = m.value.unwrap_or(f64::NAN);
            let mut note = String::new();
            let is_baseline = baseline_row == Some(i);
            let (pct_baseline, row_nadir, pct_nadir) = match base {
                None => {
                    join_note(&mut note, &format!("no baseline: {baseline_note}"));
                    (f64::NAN, f64::NAN, f64::NAN)
                }
                Some(b) => {
                    let pct_baseline = percent_change(value, b.value);
                    if b.value == 0.0 && m.value.is_some() {
                        join_note(&mut note, "baseline is 0");
                    }
                    if is_baseline {
                        join_note(&mut note, "baseline");
                    } else if m.time < b.time {
                        join_note(&mut note, "before baseline");
                    }
                    let row_nadir = if m.time > b.time { nadir } else { f64::NAN };
                    let pct_nadir = percent_change(value, row_nadir);
                    if row_nadir == 0.0 && m.value.is_some() {
                        join_note(&mut note, "nadir is 0");
                    }
                    (pct_baseline, row_nadir, pct_nadir)
                }
            };
            if m.value.is_none() {
                join_note(&mut note, "value missing");
            }
            if let (Some(b), Some(v)) = (base, m.value) {
                if m.time >= b.time && (nadir.is_nan() || v < nadir) {
                    nadir = v;
                }
            }
            changes.series.push(index);
            changes.line.push(m.line);
            changes.time.push(m.time);
            changes.value.push(value);
            changes.pct_change_baseline.push(pct_baseline);
            changes.nadir.push(row_nadir);
            changes.pct_change_nadir.push(pct_nadir);
            changes.fold_uln.push(value / upper_limit);
            changes.flag.push(m.value.map(|v| interval.flag(v)));
            changes.normalised.push(m.value.map(|v| v <= upper_limit));
            changes.is_baseline.push(is_baseline);
            changes.note.push(note);
        }
        let end = changes.series.len();
        let after = base.map_or(f64::NEG_INFINITY, |b| b.time);
        for &landmark in &landmark_times {
            let (chosen, tie_note) =
                landmark_measurement(rows, measurements, after, landmark, options.window);
            let row = chosen.map(|i| start + rows.iter().position(|&r| r == i).expect("member"));
            let pick = |column: &[f64]| row.map_or(f64::NAN, |r| column[r]);
            let (category, mut note) = match (base, row) {
                (None, _) => (
                    Category::NotEvaluable,
                    format!("no baseline: {baseline_note}"),
                ),
                (Some(_), None) => (
                    Category::NotEvaluable,
                    format!(
                        "no measured value after the baseline within ±{} of {landmark}",
                        options.window
                    ),
                ),
                (Some(b), Some(r)) => categorise(
                    changes.value[r],
                    b.value,
                    changes.nadir[r],
                    upper_limit,
                    &options.rules,
                ),
            };
            join_note(&mut note, &tie_note);
            landmarks.series.push(index);
            landmarks.landmark.push(landmark);
            landmarks.time_used.push(pick(&changes.time));
            landmarks.value.push(pick(&changes.value));
            landmarks.fold_uln.push(pick(&changes.fold_uln));
            landmarks
                .pct_change_baseline
                .push(pick(&changes.pct_change_baseline));
            landmarks
                .pct_change_nadir
                .push(pick(&changes.pct_change_nadir));
            landmarks.category.push(category);
            landmarks.note.push(note);
        }
        let measured: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&i| measurements[i].value.is_some())
            .collect();
        series.push(Series {
            patient: first.patient.clone(),
            assay: first.assay.clone(),
            arm: grouped.arms[*patient].clone(),
            limits: limits_position,
            upper_limit,
            lower_limit: interval.low,
            unit: interval.unit.clone(),
            baseline: base,
            baseline_note,
            times: measured.iter().map(|&i| measurements[i].time).collect(),
            values: measured
                .iter()
                .map(|&i| measurements[i].value.expect("measured"))
                .collect(),
            n_missing: rows.len() - measured.len(),
            rows: start..end,
        });
    }
    let arm_summary = summarise_arms(&series, &landmarks, &landmark_times, options);
    Ok(Trajectory {
        series,
        changes,
        landmarks,
        arm_summary,
        landmark_times,
    })
}

fn summarise_arms(
    series: &[Series],
    landmarks: &Landmarks,
    landmark_times: &[f64],
    options: &Options,
) -> Vec<ArmSummary> {
    // Groups in order of first appearance of (arm[, assay]) in series order.
    let mut groups: Vec<(Option<String>, Option<String>, Vec<usize>)> = Vec::new();
    for (index, s) in series.iter().enumerate() {
        let assay = options.summary_by_assay.then(|| s.assay.clone());
        match groups
            .iter_mut()
            .find(|(arm, group_assay, _)| *arm == s.arm && *group_assay == assay)
        {
            Some(group) => group.2.push(index),
            None => groups.push((s.arm.clone(), assay, vec![index])),
        }
    }
    let n_landmarks = landmark_times.len();
    let mut out = Vec::with_capacity(groups.len() * n_landmarks);
    for (arm, assay, members) in groups {
        let mut assays: Vec<String> = Vec::new();
        for &s in &members {
            if !assays.contains(&series[s].assay) {
                assays.push(series[s].assay.clone());
            }
        }
        for (k, &landmark) in landmark_times.iter().enumerate() {
            let rows: Vec<usize> = members.iter().map(|&s| s * n_landmarks + k).collect();
            let measured: Vec<usize> = rows
                .iter()
                .copied()
                .filter(|&r| !landmarks.time_used[r].is_nan())
                .collect();
            let collect = |column: &[f64]| -> Vec<f64> {
                measured
                    .iter()
                    .map(|&r| column[r])
                    .filter(|v| !v.is_nan())
                    .collect()
            };
            let changes = collect(&landmarks.pct_change_baseline);
            let mut note = String::new();
            let value = if assays.len() == 1 {
                Quartiles::of(&collect(&landmarks.value))
            } else {
                note = format!(
                    "values from several assays ({}) are not pooled; see fold_uln",
                    assays.join(", ")
                );
                Quartiles::NAN
            };
            let mut counts = [0; 5];
            for &r in &rows {
                counts[landmarks.category[r].index()] += 1;
            }
            out.push(ArmSummary {
                arm: arm.clone(),
                assay: assay.clone(),
                assays: assays.clone(),
                landmark,
                n_series: members.len(),
                n_measured: measured.len(),
                n_with_change: changes.len(),
                value,
                fold_uln: Quartiles::of(&collect(&landmarks.fold_uln)),
                pct_change_baseline: Quartiles::of(&changes),
                counts,
                note,
            });
        }
    }
    out
}
