//! `osteon survival`: Kaplan–Meier curves, medians, the log-rank test, Cox
//! regression and, for competing risks, Aalen–Johansen cumulative incidence
//! and Gray's test, from one long table with a row per subject. The
//! numbers are those of R `survival` 3.5.3 and `cmprsk` 2.2.11 (kernels in
//! `osteon_cohort::survival`).
//!
//! Output files (each written only when it applies):
//!
//! | file | columns | R equivalent |
//! |---|---|---|
//! | `km.tsv` | `strata time n.risk n.event n.censor surv std.err lower upper` | `summary(survfit(Surv(time, status == cause) ~ group, conf.type = …), censored = TRUE)`; `std.err` is that of S(t) (summary's, = `surv × fit$std.err`) |
//! | `medians.tsv` | `strata n events median lower upper` | `print(fit)` / `summary(fit)$table` |
//! | `logrank.tsv` | `test chisq df pvalue` (+ a `trend` row with `--trend`) | `survdiff(... ~ group [+ strata(s)], rho = …)` |
//! | `logrank_groups.tsv` | `group n observed expected (O-E)^2/E (O-E)^2/V` | `print(survdiff(...))` |
//! | `cox.tsv` | `term coef hr se z p lower upper` | `summary(coxph(Surv(time, status == cause) ~ covariates [+ strata(s)], ties = …))` |
//! | `cox_tests.tsv` | `test statistic df pvalue` (likelihood ratio, Wald, score) | the same summary's tests |
//! | `cif.tsv` | `strata time cause n.risk n.event cif std.err lower upper` | `survfit(Surv(time, factor(status)) ~ group)` for the state `cause` |
//! | `gray.tsv` | `cause stat df pvalue` | `cmprsk::cuminc(time, status, group [, strata])$Tests` |
//! | `run.json` | version, parameters, input SHA-256, rows used, notes, Cox convergence | |
//!
//! With several event codes, `--cause K` picks the event of interest: the
//! Kaplan–Meier, log-rank and Cox analyses are then cause-specific (the
//! other causes count as censored), and the cumulative incidence treats them
//! as competing.

mod input;
mod tables;
mod ticks;

use anyhow::{bail, Context, Result};
use osteon_cohort::survival::{
    cox_ph, cumulative_incidence, gray_test, kaplan_meier, log_rank, numbers_at_risk, step_path,
    CifCurve, CifOptions, ConfType, Covariate, CoxFit, CoxOptions, Design, GrayTest, Grouping,
    KmCurve, KmOptions, LogRank, LogRankOptions, MedianSurvival, Ties,
};
use osteon_io::OutputDir;
use serde::{Deserialize, Deserializer};
use serde_json::json;
use std::path::{Path, PathBuf};

use crate::progress::StderrProgress;
use input::{Categorical, CovariateColumn, Inputs, Request};

/// Confidence-interval transformation (R's `conf.type`).
#[derive(clap::ValueEnum, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ConfTypeChoice {
    Log,
    LogLog,
    Plain,
    Logit,
    Arcsin,
    None,
}

impl ConfTypeChoice {
    fn kernel(self) -> ConfType {
        match self {
            ConfTypeChoice::Log => ConfType::Log,
            ConfTypeChoice::LogLog => ConfType::LogLog,
            ConfTypeChoice::Plain => ConfType::Plain,
            ConfTypeChoice::Logit => ConfType::Logit,
            ConfTypeChoice::Arcsin => ConfType::Arcsin,
            ConfTypeChoice::None => ConfType::None,
        }
    }
}

/// Tie handling of the Cox model (R's `ties`).
#[derive(clap::ValueEnum, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum TiesChoice {
    #[default]
    Efron,
    Breslow,
}

fn default_conf_type() -> ConfTypeChoice {
    ConfTypeChoice::LogLog
}
fn default_cif_conf_type() -> ConfTypeChoice {
    ConfTypeChoice::Log
}
fn default_conf_level() -> f64 {
    0.95
}

/// A status code in a study file: text or a number.
#[derive(Deserialize)]
#[serde(untagged)]
enum Code {
    Text(String),
    Integer(i64),
    Number(f64),
}

impl Code {
    fn into_text(self) -> String {
        match self {
            Code::Text(t) => t,
            Code::Integer(i) => i.to_string(),
            Code::Number(x) => osteon_io::format_r_number(x),
        }
    }
}

fn codes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(Vec::<Code>::deserialize(d)?
        .into_iter()
        .map(Code::into_text)
        .collect())
}

fn code<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Code>::deserialize(d)?.map(Code::into_text))
}

/// Every analysis option of `osteon survival` (command-line flags and the
/// `[survival]` section of a study file).
#[derive(clap::Args, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Input table (CSV or TSV, optionally gzipped), one row per subject.
    #[arg(long)]
    pub data: PathBuf,
    /// Column with follow-up times (numbers ≥ 0).
    #[arg(long)]
    pub time: String,
    /// Column with the status: a censoring code and one or more event codes
    /// (see --status-codes).
    #[arg(long)]
    pub status: String,
    /// Column defining the groups compared (Kaplan–Meier strata, log-rank,
    /// cumulative incidence, Gray's test).
    #[arg(long)]
    #[serde(default)]
    pub group: Option<String>,
    /// Cox model covariates, comma-separated (numeric columns enter as
    /// numbers, text columns as factors with treatment coding).
    #[arg(long, value_delimiter = ',')]
    #[serde(default)]
    pub covariates: Vec<String>,
    /// Treat a numeric covariate as a factor (repeatable).
    #[arg(long = "factor", value_name = "NAME")]
    #[serde(default, alias = "factor")]
    pub factors: Vec<String>,
    /// Reference level of the group, strata or a factor: VAR=LEVEL
    /// (repeatable; default the first level in R's sort order).
    #[arg(long = "ref", value_name = "VAR=LEVEL")]
    #[serde(default, alias = "ref")]
    pub reference: Vec<String>,
    /// Column of strata for the log-rank test, the Cox model and Gray's test.
    #[arg(long)]
    #[serde(default)]
    pub strata: Option<String>,
    /// Status codes, censoring code first (default 0,1; with --cause: 0 and
    /// any positive whole number).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    #[serde(default, deserialize_with = "codes")]
    pub status_codes: Vec<String>,
    /// The event of interest when the status has several event codes
    /// (competing risks): writes cif.tsv and gray.tsv.
    #[arg(long)]
    #[serde(default, deserialize_with = "code")]
    pub cause: Option<String>,
    /// Confidence intervals of the Kaplan–Meier curves.
    #[arg(long, value_enum, default_value_t = ConfTypeChoice::LogLog)]
    #[serde(default = "default_conf_type")]
    pub conf_type: ConfTypeChoice,
    /// Confidence intervals of the cumulative incidence (R's default for
    /// multi-state curves is log).
    #[arg(long, value_enum, default_value_t = ConfTypeChoice::Log)]
    #[serde(default = "default_cif_conf_type")]
    pub cif_conf_type: ConfTypeChoice,
    /// Confidence level of all intervals.
    #[arg(long, default_value_t = 0.95)]
    #[serde(default = "default_conf_level")]
    pub conf_level: f64,
    /// Tie handling of the Cox model.
    #[arg(long, value_enum, default_value_t = TiesChoice::Efron)]
    #[serde(default)]
    pub ties: TiesChoice,
    /// G-rho exponent of the group test (0 = log-rank; also Gray's rho).
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    #[serde(default)]
    pub rho: f64,
    /// Add a test for trend over the groups in their level order (scores 1..k).
    #[arg(long)]
    #[serde(default)]
    pub trend: bool,
    /// Unit of the time column, for figure labels (e.g. months).
    #[arg(long)]
    #[serde(default)]
    pub time_unit: Option<String>,
    /// Times at which to count subjects at risk for the figures
    /// (comma-separated; default R's pretty() ticks of the time axis).
    #[arg(long, value_delimiter = ',', value_name = "TIMES")]
    #[serde(default)]
    pub risk_times: Vec<f64>,
}

/// Survival analysis with R survival 3.5.3's and cmprsk 2.2.11's numbers:
/// Kaplan–Meier curves and medians, log-rank (G-rho) test, Cox model, and
/// with --cause, Aalen–Johansen cumulative incidence and Gray's test.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub settings: Settings,
    /// Output folder (created atomically; an existing osteon folder is
    /// replaced only when the run succeeds).
    #[arg(long)]
    pub out: PathBuf,
    /// No progress output on stderr.
    #[arg(long)]
    pub quiet: bool,
}

/// A curve as a figure draws it: the step function and its confidence band
/// as vertex lists, and the censoring marks.
#[derive(Debug, Clone, PartialEq)]
pub struct CurvePlot {
    /// The stratum label (`sex=F`).
    pub label: String,
    /// Step-function vertices (x = time, y = estimate), starting at time 0.
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    /// Lower confidence limit as a step function (NaN = undefined).
    pub lower_x: Vec<f64>,
    pub lower_y: Vec<f64>,
    /// Upper confidence limit as a step function.
    pub upper_x: Vec<f64>,
    pub upper_y: Vec<f64>,
    /// Times with censored observations and the estimate there (`+` marks).
    pub censor_x: Vec<f64>,
    pub censor_y: Vec<f64>,
}

/// Numbers at risk at regular times, per stratum (the table under a KM plot).
#[derive(Debug, Clone, PartialEq)]
pub struct RiskTable {
    /// The times (R's `pretty()` ticks of the axis, or `--risk-times`).
    pub times: Vec<f64>,
    /// Stratum labels.
    pub labels: Vec<String>,
    /// `n_risk[stratum][time]`.
    pub n_risk: Vec<Vec<usize>>,
}

/// Competing-risks results (the numbers at risk under a CIF figure are
/// `Outcome::risk_table`: same rows, same groups).
#[derive(Debug, Clone, PartialEq)]
pub struct CompetingRisks {
    /// The cause of interest (1-based index into `cause_labels`).
    pub cause: usize,
    /// The event codes, in state order.
    pub cause_labels: Vec<String>,
    /// Aalen–Johansen curves per group (all causes).
    pub curves: Vec<CifCurve>,
    /// Figure data: `plots[group][cause - 1]`.
    pub plots: Vec<Vec<CurvePlot>>,
    /// Gray's test per cause with events (empty without groups).
    pub gray: Vec<GrayTest>,
    /// Rows used.
    pub n_rows: usize,
}

/// Everything `osteon survival` computed, for the report and figures.
// Several fields are read only by the study runner and the report.
#[allow(dead_code)]
#[derive(Debug, Clone)]
pub struct Outcome {
    /// What counts as the event (e.g. `death = 1` or `event = 1 (competing: 2)`).
    pub event: String,
    /// The status code meaning censored.
    pub censor_code: String,
    /// Unit of the time axis, if given.
    pub time_unit: Option<String>,
    /// Rows in the input table.
    pub n_rows_input: usize,
    /// Kaplan–Meier curves per stratum.
    pub km: Vec<KmCurve>,
    /// Their figure data.
    pub km_plots: Vec<CurvePlot>,
    /// Medians with limits, per stratum.
    pub medians: Vec<MedianSurvival>,
    /// Numbers at risk under the KM figure.
    pub risk_table: RiskTable,
    /// Rows used for the curves.
    pub km_rows: usize,
    /// The group test, when there are groups.
    pub log_rank: Option<LogRank>,
    /// The Cox model, when covariates were given, and its rows.
    pub cox: Option<CoxFit>,
    pub cox_rows: usize,
    /// Competing risks, with `--cause`.
    pub competing: Option<CompetingRisks>,
    /// Notes about rows left out and analyses not done (also in run.json).
    pub notes: Vec<String>,
}

fn curve_plot(
    label: &str,
    start: f64,
    time: &[f64],
    estimate: &[f64],
    lower: &[f64],
    upper: &[f64],
    n_censor: &[usize],
) -> CurvePlot {
    let (x, y) = step_path(0.0, start, time, estimate);
    let (lower_x, lower_y) = step_path(0.0, start, time, lower);
    let (upper_x, upper_y) = step_path(0.0, start, time, upper);
    let censored: Vec<usize> = (0..time.len()).filter(|&t| n_censor[t] > 0).collect();
    CurvePlot {
        label: label.to_string(),
        x,
        y,
        lower_x,
        lower_y,
        upper_x,
        upper_y,
        censor_x: censored.iter().map(|&t| time[t]).collect(),
        censor_y: censored.iter().map(|&t| estimate[t]).collect(),
    }
}

/// Grouping of the given rows by a categorical column (labels `name=level`
/// as R's strata), or one group `all`.
fn grouping(rows: &[usize], column: Option<&Categorical>) -> Grouping {
    match column {
        Some(c) => Grouping {
            labels: c.levels.iter().map(|l| format!("{}={l}", c.name)).collect(),
            codes: rows
                .iter()
                .map(|&r| c.codes[r].expect("row selected with a level"))
                .collect(),
        },
        None => Grouping::single("all", rows.len()),
    }
}

/// Whether row `r` has a level in an optional categorical column (always
/// true without the column).
fn has_level(column: Option<&Categorical>, r: usize) -> bool {
    match column {
        Some(c) => c.codes[r].is_some(),
        None => true,
    }
}

/// Rows with every listed value present.
fn complete_rows(inputs: &Inputs, needs: &[&dyn Fn(usize) -> bool]) -> Vec<usize> {
    (0..inputs.lines.len())
        .filter(|&r| inputs.time[r].is_some() && inputs.status[r].is_some())
        .filter(|&r| needs.iter().all(|f| f(r)))
        .collect()
}

/// A note about rows left out of an analysis (missing values), listing up to
/// ten file lines.
fn dropped_note(inputs: &Inputs, used: &[usize], analysis: &str, columns: &str) -> Option<String> {
    let n = inputs.lines.len();
    if used.len() == n {
        return None;
    }
    let mut is_used = vec![false; n];
    for &r in used {
        is_used[r] = true;
    }
    let lines: Vec<String> = (0..n)
        .filter(|&r| !is_used[r])
        .map(|r| inputs.lines[r].to_string())
        .collect();
    let shown = lines.len().min(10);
    Some(format!(
        "{analysis}: {} of {n} rows left out because {columns} is empty or NA (lines {}{})",
        lines.len(),
        lines[..shown].join(", "),
        if lines.len() > shown { ", …" } else { "" }
    ))
}

fn check_settings(settings: &Settings) -> Result<()> {
    if !(settings.conf_level > 0.0 && settings.conf_level < 1.0) {
        bail!(
            "--conf-level must be between 0 and 1 (got {})",
            settings.conf_level
        );
    }
    if !settings.rho.is_finite() {
        bail!("--rho must be a finite number (got {})", settings.rho);
    }
    if let Some(t) = settings
        .risk_times
        .iter()
        .find(|t| !(t.is_finite() && **t >= 0.0))
    {
        bail!("--risk-times must be numbers ≥ 0 (got {t})");
    }
    if settings.trend && settings.group.is_none() {
        bail!("--trend needs --group (the ordered groups to test)");
    }
    Ok(())
}

/// Reads the table, runs every analysis that applies, writes the tables into
/// `dir` (an existing folder) and returns the results.
pub fn execute(settings: &Settings, dir: &Path, progress: &StderrProgress) -> Result<Outcome> {
    check_settings(settings)?;
    progress.message(&format!("reading {}", settings.data.display()));
    let table = osteon_io::read_long_table(&settings.data)?;
    let request = Request {
        time: &settings.time,
        status: &settings.status,
        group: settings.group.as_deref(),
        strata: settings.strata.as_deref(),
        covariates: &settings.covariates,
        factors: &settings.factors,
        references: &settings.reference,
        status_codes: &settings.status_codes,
        cause: settings.cause.as_deref(),
    };
    let inputs = input::read_inputs(&table, &request)?;
    let mut notes = Vec::new();
    let cause = inputs.cause;
    let event_label = {
        let code = inputs
            .event_codes
            .get(cause - 1)
            .map_or("(none)", String::as_str);
        let others: Vec<&str> = inputs
            .event_codes
            .iter()
            .enumerate()
            .filter(|(k, _)| k + 1 != cause)
            .map(|(_, c)| c.as_str())
            .collect();
        if others.is_empty() {
            format!("{} = {code}", settings.status)
        } else {
            format!(
                "{} = {code} (competing: {})",
                settings.status,
                others.join(", ")
            )
        }
    };

    let has_group = |r: usize| has_level(inputs.group.as_ref(), r);
    let has_strata = |r: usize| has_level(inputs.strata.as_ref(), r);
    let has_covariates = |r: usize| inputs.covariates.iter().all(|c| c.is_present(r));
    let km_rows = complete_rows(&inputs, &[&has_group]);
    let group_columns = match &settings.group {
        Some(g) => format!("{}, {} or {g}", settings.time, settings.status),
        None => format!("{} or {}", settings.time, settings.status),
    };
    if km_rows.is_empty() {
        bail!(
            "{}: no row has a value in each of {group_columns}",
            settings.data.display()
        );
    }
    notes.extend(dropped_note(
        &inputs,
        &km_rows,
        "Kaplan–Meier",
        &group_columns,
    ));

    let select_time = |rows: &[usize]| -> Vec<f64> {
        rows.iter()
            .map(|&r| inputs.time[r].expect("complete row"))
            .collect()
    };
    let select_event = |rows: &[usize]| -> Vec<bool> {
        rows.iter()
            .map(|&r| inputs.status[r] == Some(cause))
            .collect()
    };
    let select_status = |rows: &[usize]| -> Vec<usize> {
        rows.iter()
            .map(|&r| inputs.status[r].expect("complete row"))
            .collect()
    };

    // Kaplan–Meier and medians.
    progress.message("Kaplan–Meier curves");
    let km_options = KmOptions {
        conf_type: settings.conf_type.kernel(),
        conf_level: settings.conf_level,
        timefix: true,
    };
    let km: Vec<KmCurve> = kaplan_meier(
        &select_time(&km_rows),
        &select_event(&km_rows),
        &grouping(&km_rows, inputs.group.as_ref()),
        &km_options,
    )?
    .into_iter()
    .filter(|c| c.n > 0)
    .collect();
    let medians: Vec<MedianSurvival> = km.iter().map(KmCurve::median).collect();
    let max_time = km
        .iter()
        .filter_map(|c| c.time.last().copied())
        .fold(0.0, f64::max);
    let risk_times = if settings.risk_times.is_empty() {
        ticks::pretty_ticks(max_time)
    } else {
        settings.risk_times.clone()
    };
    let risk_table = RiskTable {
        times: risk_times.clone(),
        labels: km.iter().map(|c| c.label.clone()).collect(),
        n_risk: numbers_at_risk(&km, &risk_times),
    };
    let km_plots = km
        .iter()
        .map(|c| {
            curve_plot(
                &c.label,
                1.0,
                &c.time,
                &c.surv,
                &c.lower,
                &c.upper,
                &c.n_censor,
            )
        })
        .collect();

    // Log-rank (G-rho) test.
    let log_rank_result = match &inputs.group {
        Some(group) => {
            let rows = complete_rows(&inputs, &[&has_group, &has_strata]);
            if let Some(strata) = &settings.strata {
                notes.extend(dropped_note(
                    &inputs,
                    &rows,
                    "log-rank",
                    &format!("{group_columns} or {strata}"),
                ));
            }
            let n_groups = km.len();
            if n_groups < 2 {
                notes.push(format!(
                    "log-rank: not computed, column {} has a single group ({}) among the rows analysed",
                    group.name,
                    km.first().map_or("", |c| c.label.as_str())
                ));
                None
            } else {
                progress.message("log-rank test");
                let strata = inputs.strata.as_ref().map(|s| grouping(&rows, Some(s)));
                Some(log_rank(
                    &select_time(&rows),
                    &select_event(&rows),
                    &grouping(&rows, Some(group)),
                    strata.as_ref(),
                    &LogRankOptions {
                        rho: settings.rho,
                        trend: settings.trend,
                        trend_scores: None,
                        timefix: true,
                    },
                )?)
            }
        }
        None => None,
    };

    // Cox model.
    let mut cox_rows = 0;
    let cox = if inputs.covariates.is_empty() {
        None
    } else {
        let rows = complete_rows(&inputs, &[&has_covariates, &has_strata]);
        let mut columns = format!("{}, {}", settings.time, settings.status);
        for c in &settings.covariates {
            columns.push_str(", ");
            columns.push_str(c);
        }
        if let Some(s) = &settings.strata {
            columns.push_str(", ");
            columns.push_str(s);
        }
        notes.extend(dropped_note(
            &inputs,
            &rows,
            "Cox model",
            &format!("one of {columns}"),
        ));
        if rows.is_empty() {
            bail!("Cox model: no row has a value in each of {columns}");
        }
        cox_rows = rows.len();
        progress.message("Cox proportional-hazards model");
        let covariates: Vec<Covariate> = inputs
            .covariates
            .iter()
            .map(|c| match c {
                CovariateColumn::Numeric { name, values } => Covariate::Numeric {
                    name: name.clone(),
                    values: rows
                        .iter()
                        .map(|&r| values[r].expect("complete row"))
                        .collect(),
                },
                CovariateColumn::Factor(f) => Covariate::Factor {
                    name: f.name.clone(),
                    levels: f.levels.clone(),
                    codes: rows
                        .iter()
                        .map(|&r| f.codes[r].expect("complete row"))
                        .collect(),
                },
            })
            .collect();
        let design = Design::from_covariates(&covariates, rows.len())?;
        let strata = inputs.strata.as_ref().map(|s| grouping(&rows, Some(s)));
        let fit = cox_ph(
            &select_time(&rows),
            &select_event(&rows),
            &design,
            strata.as_ref(),
            &CoxOptions {
                ties: match settings.ties {
                    TiesChoice::Efron => Ties::Efron,
                    TiesChoice::Breslow => Ties::Breslow,
                },
                conf_level: settings.conf_level,
                ..CoxOptions::default()
            },
        )?;
        for w in &fit.warnings {
            notes.push(format!("Cox model: {w}"));
        }
        Some(fit)
    };

    // Competing risks.
    let competing = if settings.cause.is_some() {
        progress.message("cumulative incidence (Aalen–Johansen)");
        let n_causes = inputs.event_codes.len();
        let curves: Vec<CifCurve> = cumulative_incidence(
            &select_time(&km_rows),
            &select_status(&km_rows),
            n_causes,
            &grouping(&km_rows, inputs.group.as_ref()),
            &CifOptions {
                conf_type: settings.cif_conf_type.kernel(),
                conf_level: settings.conf_level,
                timefix: true,
            },
        )?
        .into_iter()
        .filter(|c| c.n > 0)
        .collect();
        let plots = curves
            .iter()
            .map(|c| {
                (0..n_causes)
                    .map(|k| {
                        curve_plot(
                            &c.label,
                            0.0,
                            &c.time,
                            &c.cif[k],
                            &c.lower[k],
                            &c.upper[k],
                            &c.n_censor,
                        )
                    })
                    .collect()
            })
            .collect();
        let gray = match &inputs.group {
            Some(group) if curves.len() >= 2 => {
                let rows = complete_rows(&inputs, &[&has_group, &has_strata]);
                let strata = inputs.strata.as_ref().map(|s| grouping(&rows, Some(s)));
                progress.message("Gray's test");
                gray_test(
                    &select_time(&rows),
                    &select_status(&rows),
                    n_causes,
                    &grouping(&rows, Some(group)),
                    strata.as_ref(),
                    settings.rho,
                )?
            }
            Some(group) => {
                notes.push(format!(
                    "Gray's test: not computed, column {} has a single group among the rows analysed",
                    group.name
                ));
                Vec::new()
            }
            None => Vec::new(),
        };
        for t in gray.iter().filter(|t| t.statistic.is_nan()) {
            notes.push(format!(
                "Gray's test for cause {}: the variance matrix is singular; no statistic",
                inputs.event_codes[t.cause - 1]
            ));
        }
        Some(CompetingRisks {
            cause,
            cause_labels: inputs.event_codes.clone(),
            curves,
            plots,
            gray,
            n_rows: km_rows.len(),
        })
    } else {
        None
    };
    if let Some(t) = &log_rank_result {
        if t.chisq.is_nan() {
            notes.push("log-rank: the variance matrix is singular; no statistic".to_string());
        }
    }

    progress.message("writing tables");
    tables::write_km(dir, &km)?;
    tables::write_medians(dir, &km)?;
    if let Some(t) = &log_rank_result {
        tables::write_log_rank(dir, t)?;
    }
    if let Some(fit) = &cox {
        tables::write_cox(dir, fit)?;
    }
    if let Some(cr) = &competing {
        tables::write_cif(dir, &cr.curves, cr.cause, &cr.cause_labels[cr.cause - 1])?;
        if !cr.gray.is_empty() {
            tables::write_gray(dir, &cr.gray, &cr.cause_labels)?;
        }
    }
    for note in &notes {
        progress.message(&format!("note: {note}"));
    }
    Ok(Outcome {
        event: event_label,
        censor_code: inputs.censor_code.clone(),
        time_unit: settings.time_unit.clone(),
        n_rows_input: inputs.lines.len(),
        km_rows: km_rows.len(),
        km,
        km_plots,
        medians,
        risk_table,
        log_rank: log_rank_result,
        cox,
        cox_rows,
        competing,
        notes,
    })
}

fn manifest(settings: &Settings, outcome: &Outcome) -> Result<serde_json::Value> {
    let sha = osteon_io::sha256_file(&settings.data)?;
    let cox = outcome.cox.as_ref().map(|f| {
        json!({
            "rows": outcome.cox_rows,
            "events": f.n_event,
            "ties": f.ties.r_name(),
            "iterations": f.iterations,
            "converged": f.converged,
            // serde_json writes NaN and infinities as null.
            "loglik": f.loglik,
            "warnings": f.warnings,
        })
    });
    Ok(json!({
        "tool": "osteon",
        "version": env!("CARGO_PKG_VERSION"),
        "command": "survival",
        "reference_implementation": "R survival 3.5.3 (survfit, survdiff, coxph), cmprsk 2.2.11 (cuminc)",
        "inputs": {
            "data": { "path": settings.data.display().to_string(), "sha256": sha },
        },
        "parameters": {
            "time": settings.time,
            "status": settings.status,
            "group": settings.group,
            "strata": settings.strata,
            "covariates": settings.covariates,
            "factors": settings.factors,
            "reference_levels": settings.reference,
            "status_codes": settings.status_codes,
            "cause": settings.cause,
            "conf_type": km_conf_name(settings.conf_type),
            "cif_conf_type": km_conf_name(settings.cif_conf_type),
            "conf_level": settings.conf_level,
            "ties": match settings.ties { TiesChoice::Efron => "efron", TiesChoice::Breslow => "breslow" },
            "rho": settings.rho,
            "trend": settings.trend,
            "time_unit": settings.time_unit,
        },
        "event": outcome.event,
        "censor_code": outcome.censor_code,
        "rows": {
            "input": outcome.n_rows_input,
            "kaplan_meier": outcome.km_rows,
            "cumulative_incidence": outcome.competing.as_ref().map(|c| c.n_rows),
        },
        "cox": cox,
        "notes": outcome.notes,
    }))
}

fn km_conf_name(c: ConfTypeChoice) -> &'static str {
    c.kernel().r_name()
}

/// Runs `osteon survival`.
pub fn run(args: Args) -> Result<()> {
    let progress = StderrProgress::new(args.quiet);
    let out = OutputDir::create(&args.out)?;
    let outcome = execute(&args.settings, out.path(), &progress)?;
    let outcome = crate::report::single_command_figures(
        out.path(),
        "survival",
        outcome,
        crate::report::survival_section,
    )?;
    let manifest = manifest(&args.settings, &outcome)?;
    std::fs::write(
        out.file("run.json"),
        serde_json::to_string_pretty(&manifest)? + "\n",
    )
    .with_context(|| format!("writing {}", out.file("run.json").display()))?;
    let final_path = out.commit()?;
    progress.finish();
    let medians: Vec<String> = outcome
        .km
        .iter()
        .zip(&outcome.medians)
        .map(|(c, m)| {
            format!(
                "{} median {}",
                c.label,
                osteon_io::format_r_number(m.median)
            )
        })
        .collect();
    progress.message(&format!(
        "{} rows, event {}: {}; results in {}",
        outcome.km_rows,
        outcome.event,
        medians.join(", "),
        final_path.display()
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn study_file_section_uses_the_same_names_and_defaults() {
        let settings: Settings = toml::from_str(
            r#"
            data = "mgus2.csv"
            time = "etime"
            status = "event"
            group = "sex"
            covariates = ["age", "sex"]
            status_codes = [0, 1, 2]
            cause = 1
            conf_type = "log"
            "#,
        )
        .unwrap();
        assert_eq!(settings.status_codes, ["0", "1", "2"]);
        assert_eq!(settings.cause.as_deref(), Some("1"));
        assert_eq!(settings.conf_type, ConfTypeChoice::Log);
        // Defaults as on the command line.
        assert_eq!(settings.cif_conf_type, ConfTypeChoice::Log);
        assert_eq!(settings.conf_level, 0.95);
        assert_eq!(settings.ties, TiesChoice::Efron);
        assert_eq!(settings.rho, 0.0);
        assert!(!settings.trend);
        let unknown =
            toml::from_str::<Settings>("data = \"d\"\ntime = \"t\"\nstatus = \"s\"\nconf = 1\n");
        assert!(unknown.is_err());
    }

    #[test]
    fn command_line_defaults_match() {
        use clap::Parser;
        #[derive(Parser)]
        struct Cli {
            #[command(flatten)]
            settings: Settings,
        }
        let cli = Cli::parse_from(["x", "--data", "d.csv", "--time", "t", "--status", "s"]);
        assert_eq!(cli.settings.conf_type, ConfTypeChoice::LogLog);
        assert_eq!(cli.settings.cif_conf_type, ConfTypeChoice::Log);
        assert_eq!(cli.settings.conf_level, 0.95);
        assert_eq!(cli.settings.ties, TiesChoice::Efron);
        let cli = Cli::parse_from([
            "x",
            "--data",
            "d.csv",
            "--time",
            "t",
            "--status",
            "s",
            "--status-codes",
            "0,1,2",
            "--covariates",
            "a,b",
            "--conf-type",
            "log-log",
        ]);
        assert_eq!(cli.settings.status_codes, ["0", "1", "2"]);
        assert_eq!(cli.settings.covariates, ["a", "b"]);
    }
}
