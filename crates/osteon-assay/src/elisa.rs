//! Immunoassay (ELISA) standard curves: blank subtraction, 4PL/5PL fits by
//! Levenberg–Marquardt, back-calculated standards, limits of quantification
//! and interpolated unknowns.
//!
//! Method, step by step:
//! 1. **Blank subtraction**: the mean signal of the blank wells is subtracted
//!    from every other well (none when the plate has no blanks; a note says
//!    so).
//! 2. **Curve fit**: every standard well is one point `(concentration,
//!    corrected signal)`; the 4PL or 5PL (see [`Model`] for the
//!    parameterisation) is fitted by [`osteon_stats::levenberg_marquardt::curve_fit`], which reproduces
//!    `scipy.optimize.curve_fit(method = "lm")` (MINPACK `lmder`), unweighted
//!    or with weights `1/Y²` (`sigma = |Y|`, Y the observed corrected
//!    signal). Starting values follow [`start_values`]; the 5PL starts from
//!    the converged 4PL with `g = 1`. Parameter SEs are `√diag(pcov)` with
//!    `absolute_sigma = False`; R² is `1 − Σw(y − ŷ)²/Σw(y − ȳ_w)²` with the
//!    fit's weights.
//! 3. **Standards**: per concentration level, the mean corrected signal is
//!    read back through the curve; recovery = 100 × back-calculated /
//!    nominal; CV% = 100 × SD/mean of the raw replicate signals.
//! 4. **LLOQ/ULOQ**: the lowest and highest standard concentrations whose
//!    recovery lies within `[recovery_min, recovery_max]` (default 80–120%)
//!    and whose CV is at most `max_cv_percent` (default 20%; levels with one
//!    well are judged on recovery alone). This follows the FDA Bioanalytical
//!    Method Validation guidance (2018) for ligand-binding assays.
//! 5. **Unknowns** (samples and QCs, grouped by id and dilution): the mean
//!    corrected signal is read off the curve; the in-well concentration is
//!    multiplied by the dilution. Each gets a flag: `ok`; `<LLOQ` or `>ULOQ`
//!    (number reported, outside the validated range); `extrapolated` (the
//!    signal lies beyond an asymptote, so no concentration exists: no number,
//!    with the reason); `no_curve` (the fit failed: no number); `no_range`
//!    (no standard met the acceptance rule, so no LLOQ/ULOQ: number reported
//!    but unvalidated).
//!
//! A fit counts as converged when MINPACK stopped with code 1–4 (as
//! `curve_fit` requires), every parameter is finite, `c > 0`, `b ≠ 0` and
//! `a ≠ d`; otherwise the curve carries the reason and no unknown gets a
//! number.

mod curve;

pub use curve::{inverse_logistic, logistic, logistic_gradient, start_values, Model, Reading};

use osteon_stats::levenberg_marquardt::{self, curve_fit, Status};
use osteon_stats::summary;

/// What a well holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WellType {
    /// A standard of known concentration.
    Standard,
    /// A blank (no analyte): its mean is subtracted from every signal.
    Blank,
    /// An unknown sample.
    Sample,
    /// A quality control, optionally with a nominal concentration.
    Qc,
}

impl WellType {
    /// The word used in tables: `standard`, `blank`, `sample`, `QC`.
    pub fn label(self) -> &'static str {
        match self {
            WellType::Standard => "standard",
            WellType::Blank => "blank",
            WellType::Sample => "sample",
            WellType::Qc => "QC",
        }
    }
}

/// One well of the plate.
#[derive(Debug, Clone, PartialEq)]
pub struct Well {
    /// Well name (e.g. `B7`), unique on the plate; used in every message.
    pub well: String,
    /// What the well holds.
    pub kind: WellType,
    /// Sample or QC id (required for those; ignored for standards/blanks).
    pub sample: Option<String>,
    /// Nominal concentration: required (> 0) for standards; optional for a
    /// QC (its expected concentration in the undiluted sample).
    pub concentration: Option<f64>,
    /// Dilution factor of the sample in this well (≥ 1 usually; 1 if none).
    pub dilution: f64,
    /// The reading (e.g. OD450 − OD570).
    pub signal: f64,
}

/// Weighting of the curve fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Weighting {
    /// Ordinary least squares.
    #[default]
    None,
    /// Weights `1/Y²` (relative error constant), Y the observed corrected
    /// signal.
    InverseSquare,
}

impl Weighting {
    /// `"none"` or `"1/y2"`.
    pub fn label(self) -> &'static str {
        match self {
            Weighting::None => "none",
            Weighting::InverseSquare => "1/y2",
        }
    }
}

/// Analysis options; `Default` is a 4PL, unweighted, 80–120% recovery, CV ≤
/// 20%, scipy's optimiser defaults and the documented starting values.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub model: Model,
    pub weighting: Weighting,
    /// Lowest acceptable recovery (%) of a back-calculated standard.
    pub recovery_min: f64,
    /// Highest acceptable recovery (%).
    pub recovery_max: f64,
    /// Highest acceptable replicate CV (%) of a standard level.
    pub max_cv_percent: f64,
    /// Optimiser settings (tolerances, evaluation limit).
    pub fit: levenberg_marquardt::Options,
    /// Starting values overriding the rule (length 4 or 5 = the model's).
    pub start: Option<Vec<f64>>,
    /// Number of points of the fitted curve returned for plotting.
    pub curve_points: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            model: Model::FourPl,
            weighting: Weighting::None,
            recovery_min: 80.0,
            recovery_max: 120.0,
            max_cv_percent: 20.0,
            fit: levenberg_marquardt::Options::default(),
            start: None,
            curve_points: 200,
        }
    }
}

/// Invalid plate or options. Every message names the well concerned.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ElisaError {
    #[error("the plate has no wells")]
    EmptyPlate,
    #[error("well {well} appears twice on the plate")]
    DuplicateWell { well: String },
    #[error("well {well}: the signal {value} is not a finite number")]
    NonFiniteSignal { well: String, value: f64 },
    #[error("well {well}: standard without a concentration")]
    MissingConcentration { well: String },
    #[error("well {well}: standard concentration {value} must be a positive number (put zero-analyte wells in as blanks)")]
    NonPositiveConcentration { well: String, value: f64 },
    #[error("well {well}: QC nominal concentration {value} must be a positive number")]
    InvalidNominal { well: String, value: f64 },
    #[error("well {well}: dilution {value} must be a positive number")]
    InvalidDilution { well: String, value: f64 },
    #[error("well {well}: {kind} well without a sample id")]
    MissingSampleId { well: String, kind: &'static str },
    #[error(
        "a {model} fit needs at least {needed} distinct standard concentrations; {}",
        describe_standards(concentrations, wells)
    )]
    TooFewStandards {
        model: &'static str,
        needed: usize,
        found: usize,
        concentrations: Vec<f64>,
        wells: Vec<String>,
    },
    #[error("well {well}: the blank-corrected standard signal {} is not positive, so it cannot be weighted 1/Y² (use no weighting, or check the blank wells)", crate::significant(*signal, 4))]
    NonPositiveWeightedSignal { well: String, signal: f64 },
    #[error("{expected} starting values are needed for a {model} fit, {found} were given")]
    StartLength {
        model: &'static str,
        expected: usize,
        found: usize,
    },
    #[error("option {name} = {value} is out of range ({rule})")]
    InvalidOption {
        name: &'static str,
        value: f64,
        rule: &'static str,
    },
}

/// "the plate has 3 (10, 100, 1000) in wells A1, B1, …" or "the plate has
/// no standard wells".
fn describe_standards(levels: &[f64], wells: &[String]) -> String {
    if wells.is_empty() {
        return "the plate has no standard wells".into();
    }
    let levels: Vec<String> = levels.iter().map(|c| format!("{c}")).collect();
    format!(
        "the plate has {} ({}) in wells {}",
        levels.len(),
        levels.join(", "),
        wells.join(", ")
    )
}

/// The fitted standard curve and its diagnostics.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    pub model: Model,
    pub weighting: Weighting,
    /// `[a, b, c, d]` or `[a, b, c, d, g]` (see [`Model::parameter_names`]).
    pub parameters: Vec<f64>,
    /// `√diag(pcov)` (`+∞` when the covariance is indeterminate).
    pub standard_errors: Vec<f64>,
    /// `pcov`, row-major.
    pub covariance: Vec<f64>,
    /// Starting values used.
    pub start: Vec<f64>,
    /// Weighted R².
    pub r_squared: f64,
    /// Weighted residual sum of squares.
    pub sum_of_squares: f64,
    /// Residual degrees of freedom (standard wells − parameters).
    pub degrees_of_freedom: usize,
    /// `√(Σw r²/df)`.
    pub residual_sd: f64,
    /// MINPACK's termination.
    pub status: Status,
    pub iterations: usize,
    pub evaluations: usize,
    /// Whether the curve may be used (see the module docs).
    pub converged: bool,
    /// Why the curve cannot be used, when it cannot.
    pub problem: Option<String>,
}

impl Curve {
    /// The fitted response at concentration `x`.
    pub fn signal_at(&self, x: f64) -> f64 {
        logistic(x, &self.parameters)
    }

    /// The concentration read off the curve for a (corrected) signal.
    pub fn read(&self, signal: f64) -> Reading {
        inverse_logistic(signal, &self.parameters)
    }
}

/// One standard well.
#[derive(Debug, Clone, PartialEq)]
pub struct StandardWell {
    pub well: String,
    pub concentration: f64,
    pub signal: f64,
    /// Signal minus the blank mean (the fitted `y`).
    pub corrected: f64,
    /// Fitted value at the concentration.
    pub fitted: f64,
    /// Concentration read back from this well alone (NaN if unreadable).
    pub back_calculated: f64,
    pub recovery_percent: f64,
}

/// One standard concentration level.
#[derive(Debug, Clone, PartialEq)]
pub struct StandardLevel {
    pub concentration: f64,
    pub wells: Vec<String>,
    /// Mean raw signal and CV% of the raw replicates (NaN with one well).
    pub mean_signal: f64,
    pub sd_signal: f64,
    pub cv_percent: f64,
    /// Mean corrected signal.
    pub mean_corrected: f64,
    /// Concentration read back from the mean corrected signal (NaN if
    /// unreadable).
    pub back_calculated: f64,
    pub recovery_percent: f64,
    /// Whether the level meets the LLOQ/ULOQ acceptance rule.
    pub accepted: bool,
    /// Why it is not accepted (empty when accepted).
    pub note: String,
}

/// The flag of an unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    Ok,
    BelowLloq,
    AboveUloq,
    Extrapolated,
    NoCurve,
    NoRange,
}

impl Flag {
    /// `ok`, `<LLOQ`, `>ULOQ`, `extrapolated`, `no_curve`, `no_range`.
    pub fn label(self) -> &'static str {
        match self {
            Flag::Ok => "ok",
            Flag::BelowLloq => "<LLOQ",
            Flag::AboveUloq => ">ULOQ",
            Flag::Extrapolated => "extrapolated",
            Flag::NoCurve => "no_curve",
            Flag::NoRange => "no_range",
        }
    }
}

/// A sample or QC at one dilution (its replicate wells pooled).
#[derive(Debug, Clone, PartialEq)]
pub struct Unknown {
    pub kind: WellType,
    pub sample: String,
    pub dilution: f64,
    pub wells: Vec<String>,
    pub mean_signal: f64,
    pub cv_percent: f64,
    pub mean_corrected: f64,
    /// Concentration in the well (NaN when none can be read).
    pub in_well_concentration: f64,
    /// `in_well_concentration × dilution` (NaN when none).
    pub concentration: f64,
    pub flag: Flag,
    /// Why the flag is not `ok` (empty when ok).
    pub reason: String,
    /// QC nominal concentration (NaN when not given) and recovery %.
    pub nominal: f64,
    pub recovery_percent: f64,
}

/// Everything an ELISA plate analysis produces, including what a curve plot
/// needs: the curve (parameters and [`Analysis::curve_points`]), the standard
/// wells and levels, and the unknowns with their signals and concentrations.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Mean blank signal subtracted (0 when there are no blanks).
    pub blank_mean: f64,
    pub blank_wells: Vec<String>,
    pub curve: Curve,
    pub standard_wells: Vec<StandardWell>,
    /// Standard levels by increasing concentration.
    pub standards: Vec<StandardLevel>,
    /// LLOQ and ULOQ as in-well concentrations (NaN when no level qualifies).
    pub lloq: f64,
    pub uloq: f64,
    /// The acceptance rule, in words.
    pub loq_rule: String,
    /// Samples, then QCs, each in order of first appearance.
    pub unknowns: Vec<Unknown>,
    /// `(concentration, fitted signal)` on a log grid spanning the standards
    /// (a quarter of the lowest to four times the highest); empty when the fit
    /// failed.
    pub curve_points: Vec<(f64, f64)>,
    /// Notes about the run (no blanks, 4PL fallback start, …).
    pub notes: Vec<String>,
}

/// Analyses one plate.
///
/// ```
/// use osteon_assay::elisa::{analyse, logistic, Flag, Options, Well, WellType};
/// let truth = [0.05, 1.1, 250.0, 3.0];
/// let mut wells = Vec::new();
/// for (i, conc) in [15.6, 31.25, 62.5, 125.0, 250.0, 500.0, 1000.0, 2000.0].iter().enumerate() {
///     wells.push(Well { well: format!("A{}", i + 1), kind: WellType::Standard, sample: None,
///         concentration: Some(*conc), dilution: 1.0, signal: logistic(*conc, &truth) });
/// }
/// wells.push(Well { well: "B1".into(), kind: WellType::Sample, sample: Some("P01".into()),
///     concentration: None, dilution: 2.0, signal: logistic(300.0, &truth) });
/// let result = analyse(&wells, &Options::default()).unwrap();
/// assert!(result.curve.converged);
/// let p01 = &result.unknowns[0];
/// assert_eq!(p01.flag, Flag::Ok);
/// assert!((p01.concentration - 600.0).abs() < 1e-6);
/// ```
pub fn analyse(wells: &[Well], options: &Options) -> Result<Analysis, ElisaError> {
    validate(wells, options)?;
    let mut notes = Vec::new();
    let blanks: Vec<&Well> = wells.iter().filter(|w| w.kind == WellType::Blank).collect();
    let blank_mean = if blanks.is_empty() {
        notes.push("the plate has no blank wells: signals were not blank-corrected".to_string());
        0.0
    } else {
        summary::mean(&blanks.iter().map(|w| w.signal).collect::<Vec<_>>())
    };
    let standard_wells: Vec<&Well> = wells
        .iter()
        .filter(|w| w.kind == WellType::Standard)
        .collect();
    let levels = standard_levels(&standard_wells);
    let needed = options.model.min_standards();
    if levels.len() < needed {
        return Err(ElisaError::TooFewStandards {
            model: options.model.label(),
            needed,
            found: levels.len(),
            concentrations: levels.iter().map(|l| l.0).collect(),
            wells: standard_wells.iter().map(|w| w.well.clone()).collect(),
        });
    }
    let x: Vec<f64> = standard_wells
        .iter()
        .map(|w| w.concentration.unwrap_or(f64::NAN))
        .collect();
    let y: Vec<f64> = standard_wells
        .iter()
        .map(|w| w.signal - blank_mean)
        .collect();
    if options.weighting == Weighting::InverseSquare {
        if let Some((w, &s)) = standard_wells.iter().zip(&y).find(|(_, &s)| s <= 0.0) {
            return Err(ElisaError::NonPositiveWeightedSignal {
                well: w.well.clone(),
                signal: s,
            });
        }
    }
    let level_means: Vec<(f64, f64)> = levels
        .iter()
        .map(|(conc, members)| {
            let ys: Vec<f64> = members.iter().map(|&i| y[i]).collect();
            (*conc, summary::mean(&ys))
        })
        .collect();
    let curve = fit_curve(&x, &y, &level_means, options, &mut notes);

    let readable = |signal: f64| -> f64 {
        match (curve.converged, curve.read(signal)) {
            (true, Reading::Concentration(c)) => c,
            _ => f64::NAN,
        }
    };
    let standard_rows: Vec<StandardWell> = standard_wells
        .iter()
        .zip(x.iter().zip(&y))
        .map(|(w, (&conc, &corrected))| {
            let back = readable(corrected);
            StandardWell {
                well: w.well.clone(),
                concentration: conc,
                signal: w.signal,
                corrected,
                fitted: if curve.converged {
                    curve.signal_at(conc)
                } else {
                    f64::NAN
                },
                back_calculated: back,
                recovery_percent: 100.0 * back / conc,
            }
        })
        .collect();
    let standards: Vec<StandardLevel> = levels
        .iter()
        .map(|(conc, members)| {
            let raw: Vec<f64> = members.iter().map(|&i| standard_wells[i].signal).collect();
            let corrected: Vec<f64> = members.iter().map(|&i| y[i]).collect();
            let (mean_signal, sd_signal, cv_percent) = mean_sd_cv(&raw);
            let mean_corrected = summary::mean(&corrected);
            let back = readable(mean_corrected);
            let recovery = 100.0 * back / conc;
            let mut problems = Vec::new();
            if !curve.converged {
                problems.push("no curve".to_string());
            } else if back.is_nan() {
                problems.push("mean signal cannot be read off the curve".to_string());
            } else if !(recovery >= options.recovery_min && recovery <= options.recovery_max) {
                problems.push(format!(
                    "recovery {:.1}% outside {}–{}%",
                    recovery, options.recovery_min, options.recovery_max
                ));
            }
            if cv_percent > options.max_cv_percent {
                problems.push(format!(
                    "CV {:.1}% above {}%",
                    cv_percent, options.max_cv_percent
                ));
            }
            StandardLevel {
                concentration: *conc,
                wells: members
                    .iter()
                    .map(|&i| standard_wells[i].well.clone())
                    .collect(),
                mean_signal,
                sd_signal,
                cv_percent,
                mean_corrected,
                back_calculated: back,
                recovery_percent: recovery,
                accepted: problems.is_empty(),
                note: problems.join("; "),
            }
        })
        .collect();
    let accepted: Vec<f64> = standards
        .iter()
        .filter(|s| s.accepted)
        .map(|s| s.concentration)
        .collect();
    let (lloq, uloq) = match (accepted.first(), accepted.last()) {
        (Some(&l), Some(&u)) => (l, u),
        _ => (f64::NAN, f64::NAN),
    };
    if curve.converged && accepted.is_empty() {
        notes.push(format!(
            "no standard level has recovery within {}–{}% and CV ≤ {}%: LLOQ and ULOQ are undefined",
            options.recovery_min, options.recovery_max, options.max_cv_percent
        ));
    }
    let unknowns = read_unknowns(wells, blank_mean, &curve, lloq, uloq);
    let curve_points = if curve.converged {
        plot_grid(&level_means, options.curve_points)
            .into_iter()
            .map(|c| (c, curve.signal_at(c)))
            .collect()
    } else {
        Vec::new()
    };
    Ok(Analysis {
        blank_mean,
        blank_wells: blanks.iter().map(|w| w.well.clone()).collect(),
        curve,
        standard_wells: standard_rows,
        standards,
        lloq,
        uloq,
        loq_rule: format!(
            "LLOQ/ULOQ = lowest/highest standard with back-calculated recovery within {}–{}% and replicate CV ≤ {}%",
            options.recovery_min, options.recovery_max, options.max_cv_percent
        ),
        unknowns,
        curve_points,
        notes,
    })
}

fn validate(wells: &[Well], options: &Options) -> Result<(), ElisaError> {
    if wells.is_empty() {
        return Err(ElisaError::EmptyPlate);
    }
    let checks: [(&'static str, f64, bool, &'static str); 3] = [
        (
            "recovery_min",
            options.recovery_min,
            options.recovery_min >= 0.0 && options.recovery_min <= 100.0,
            "0 to 100",
        ),
        (
            "recovery_max",
            options.recovery_max,
            options.recovery_max >= 100.0 && options.recovery_max.is_finite(),
            "at least 100",
        ),
        (
            "max_cv_percent",
            options.max_cv_percent,
            options.max_cv_percent >= 0.0,
            "not negative",
        ),
    ];
    for (name, value, ok, rule) in checks {
        if !ok {
            return Err(ElisaError::InvalidOption { name, value, rule });
        }
    }
    if let Some(start) = &options.start {
        if start.len() != options.model.n_parameters() {
            return Err(ElisaError::StartLength {
                model: options.model.label(),
                expected: options.model.n_parameters(),
                found: start.len(),
            });
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for w in wells {
        if !seen.insert(w.well.as_str()) {
            return Err(ElisaError::DuplicateWell {
                well: w.well.clone(),
            });
        }
        if !w.signal.is_finite() {
            return Err(ElisaError::NonFiniteSignal {
                well: w.well.clone(),
                value: w.signal,
            });
        }
        match w.kind {
            WellType::Standard => match w.concentration {
                None => {
                    return Err(ElisaError::MissingConcentration {
                        well: w.well.clone(),
                    })
                }
                Some(c) if !(c > 0.0 && c.is_finite()) => {
                    return Err(ElisaError::NonPositiveConcentration {
                        well: w.well.clone(),
                        value: c,
                    })
                }
                Some(_) => {}
            },
            WellType::Sample | WellType::Qc => {
                match w.sample.as_deref() {
                    Some(id) if !id.is_empty() => {}
                    _ => {
                        return Err(ElisaError::MissingSampleId {
                            well: w.well.clone(),
                            kind: w.kind.label(),
                        })
                    }
                }
                if !(w.dilution > 0.0 && w.dilution.is_finite()) {
                    return Err(ElisaError::InvalidDilution {
                        well: w.well.clone(),
                        value: w.dilution,
                    });
                }
                if let (WellType::Qc, Some(c)) = (w.kind, w.concentration) {
                    if !(c > 0.0 && c.is_finite()) {
                        return Err(ElisaError::InvalidNominal {
                            well: w.well.clone(),
                            value: c,
                        });
                    }
                }
            }
            WellType::Blank => {}
        }
    }
    Ok(())
}

/// Distinct standard concentrations, ascending, each with the indices (into
/// `standard_wells`) of its wells in plate order.
fn standard_levels(standard_wells: &[&Well]) -> Vec<(f64, Vec<usize>)> {
    let mut levels: Vec<(f64, Vec<usize>)> = Vec::new();
    for (i, w) in standard_wells.iter().enumerate() {
        let conc = w.concentration.unwrap_or(f64::NAN);
        match levels.iter_mut().find(|(c, _)| *c == conc) {
            Some((_, members)) => members.push(i),
            None => levels.push((conc, vec![i])),
        }
    }
    levels.sort_by(|a, b| a.0.total_cmp(&b.0));
    levels
}

fn fit_curve(
    x: &[f64],
    y: &[f64],
    level_means: &[(f64, f64)],
    options: &Options,
    notes: &mut Vec<String>,
) -> Curve {
    let sigma: Option<Vec<f64>> = match options.weighting {
        Weighting::None => None,
        Weighting::InverseSquare => Some(y.iter().map(|v| v.abs()).collect()),
    };
    let run = |start: &[f64]| {
        curve_fit(
            logistic,
            logistic_gradient,
            x,
            y,
            sigma.as_deref(),
            start,
            &options.fit,
        )
    };
    let start: Vec<f64> = match (&options.start, options.model) {
        (Some(s), _) => s.clone(),
        (None, Model::FourPl) => start_values(level_means).to_vec(),
        (None, Model::FivePl) => {
            let four = start_values(level_means);
            let fit4 = run(&four);
            let mut s = if fit4.status.converged() && usable(&fit4.parameters).is_none() {
                fit4.parameters.clone()
            } else {
                notes.push(
                    "the 4PL fit used to start the 5PL did not converge: the 5PL started from the 4PL starting values"
                        .to_string(),
                );
                four.to_vec()
            };
            s.push(1.0);
            s
        }
    };
    let fit = run(&start);
    let problem = if !fit.status.converged() {
        Some(format!(
            "the {} fit did not converge (MINPACK info {}: {})",
            options.model.label(),
            fit.status.code(),
            fit.status.message()
        ))
    } else {
        usable(&fit.parameters)
            .map(|why| format!("the {} fit is unusable: {why}", options.model.label()))
    };
    if problem.is_none() && fit.degrees_of_freedom > 0 {
        for (k, name) in options.model.parameter_names().iter().enumerate() {
            let (estimate, se) = (fit.parameters[k], fit.standard_errors[k]);
            if se.is_nan() || se > 100.0 * estimate.abs() {
                notes.push(format!(
                    "parameter {name} is poorly determined by the standards (estimate {}, standard error {}): check that the standards span the dose response",
                    crate::significant(estimate, 4),
                    crate::significant(se, 4)
                ));
            }
        }
    }
    let weights: Vec<f64> = match &sigma {
        None => vec![1.0; y.len()],
        Some(s) => s.iter().map(|v| 1.0 / (v * v)).collect(),
    };
    let weight_total: f64 = weights.iter().sum();
    let weighted_mean = weights.iter().zip(y).map(|(w, v)| w * v).sum::<f64>() / weight_total;
    let total: f64 = weights
        .iter()
        .zip(y)
        .map(|(w, v)| w * (v - weighted_mean) * (v - weighted_mean))
        .sum();
    Curve {
        model: options.model,
        weighting: options.weighting,
        r_squared: 1.0 - fit.sum_of_squares / total,
        residual_sd: fit.residual_variance.sqrt(),
        standard_errors: fit.standard_errors,
        covariance: fit.covariance,
        parameters: fit.parameters,
        start,
        sum_of_squares: fit.sum_of_squares,
        degrees_of_freedom: fit.degrees_of_freedom,
        status: fit.status,
        iterations: fit.iterations,
        evaluations: fit.evaluations,
        converged: problem.is_none(),
        problem,
    }
}

/// Why converged parameters still do not define a usable curve, if they
/// don't.
fn usable(p: &[f64]) -> Option<&'static str> {
    if p.iter().any(|v| !v.is_finite()) {
        Some("a parameter is not finite")
    } else if p[2] <= 0.0 {
        Some("the inflection concentration c is not positive")
    } else if p[1] == 0.0 || p[0] == p[3] {
        Some("the curve is flat (b = 0 or a = d)")
    } else if p.len() > 4 && p[4] <= 0.0 {
        Some("the asymmetry g is not positive")
    } else {
        None
    }
}

/// Mean, SD and CV% (100 SD/mean); SD and CV are NaN for one value.
fn mean_sd_cv(values: &[f64]) -> (f64, f64, f64) {
    let mean = summary::mean(values);
    let sd = summary::var(values).sqrt();
    (mean, sd, 100.0 * sd / mean.abs())
}

fn read_unknowns(
    wells: &[Well],
    blank_mean: f64,
    curve: &Curve,
    lloq: f64,
    uloq: f64,
) -> Vec<Unknown> {
    // Group by (kind, id, dilution) in order of first appearance; samples
    // before QCs.
    let mut groups: Vec<(WellType, &str, f64, Vec<&Well>)> = Vec::new();
    for kind in [WellType::Sample, WellType::Qc] {
        for w in wells.iter().filter(|w| w.kind == kind) {
            let id = w.sample.as_deref().unwrap_or("");
            match groups
                .iter_mut()
                .find(|g| g.0 == kind && g.1 == id && g.2 == w.dilution)
            {
                Some(g) => g.3.push(w),
                None => groups.push((kind, id, w.dilution, vec![w])),
            }
        }
    }
    groups
        .into_iter()
        .map(|(kind, id, dilution, members)| {
            let raw: Vec<f64> = members.iter().map(|w| w.signal).collect();
            let (mean_signal, _, cv_percent) = mean_sd_cv(&raw);
            let mean_corrected = mean_signal - blank_mean;
            let nominal = members
                .iter()
                .find_map(|w| w.concentration)
                .filter(|_| kind == WellType::Qc)
                .unwrap_or(f64::NAN);
            let (in_well, flag, reason) = classify(curve, mean_corrected, lloq, uloq);
            let concentration = in_well * dilution;
            Unknown {
                kind,
                sample: id.to_string(),
                dilution,
                wells: members.iter().map(|w| w.well.clone()).collect(),
                mean_signal,
                cv_percent,
                mean_corrected,
                in_well_concentration: in_well,
                concentration,
                flag,
                reason,
                nominal,
                recovery_percent: 100.0 * concentration / nominal,
            }
        })
        .collect()
}

fn classify(curve: &Curve, signal: f64, lloq: f64, uloq: f64) -> (f64, Flag, String) {
    if !curve.converged {
        return (
            f64::NAN,
            Flag::NoCurve,
            curve
                .problem
                .clone()
                .unwrap_or_else(|| "no standard curve".into()),
        );
    }
    let p = &curve.parameters;
    let (zero_name, zero, infinite_name, infinite) = if p[1] > 0.0 {
        ("a", p[0], "d", p[3])
    } else {
        ("d", p[3], "a", p[0])
    };
    match curve.read(signal) {
        Reading::BelowCurve => (
            f64::NAN,
            Flag::Extrapolated,
            format!(
                "corrected signal {} is at or beyond the zero-concentration asymptote {zero_name} = {}: below anything the curve can measure",
                short(signal),
                short(zero)
            ),
        ),
        Reading::AboveCurve => (
            f64::NAN,
            Flag::Extrapolated,
            format!(
                "corrected signal {} is at or beyond the high-concentration asymptote {infinite_name} = {}: the curve never reaches it (dilute further)",
                short(signal),
                short(infinite)
            ),
        ),
        Reading::Concentration(x) => {
            if lloq.is_nan() {
                (
                    x,
                    Flag::NoRange,
                    "no standard met the acceptance rule, so the range is not validated".into(),
                )
            } else if x < lloq {
                (
                    x,
                    Flag::BelowLloq,
                    format!("in-well concentration {} is below the LLOQ {}", short(x), short(lloq)),
                )
            } else if x > uloq {
                (
                    x,
                    Flag::AboveUloq,
                    format!("in-well concentration {} is above the ULOQ {}", short(x), short(uloq)),
                )
            } else {
                (x, Flag::Ok, String::new())
            }
        }
    }
}

/// A number with 4 significant digits, for messages.
fn short(x: f64) -> String {
    crate::significant(x, 4)
}

/// `n` concentrations evenly spaced on a log scale from a quarter of the
/// lowest standard to four times the highest.
fn plot_grid(levels: &[(f64, f64)], n: usize) -> Vec<f64> {
    let low = (levels[0].0 / 4.0).ln();
    let high = (levels[levels.len() - 1].0 * 4.0).ln();
    if n < 2 {
        return Vec::new();
    }
    (0..n)
        .map(|i| (low + (high - low) * i as f64 / (n - 1) as f64).exp())
        .collect()
}

#[cfg(test)]
mod tests;
