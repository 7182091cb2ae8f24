//! `osteon compare`: group comparisons from a long-format table, with R
//! 4.2's numbers (`osteon_cohort::compare`).
//!
//! Two modes:
//! * `--value COL --group COL`: a numeric value by group. Writes
//!   `tests.tsv` (Welch/Student t, Wilcoxon rank-sum, one-way ANOVA,
//!   Kruskal–Wallis), `descriptives.tsv` (n, missing, mean, SD, median,
//!   quartiles, range per group) and `posthoc.tsv` (Tukey HSD after ANOVA,
//!   Dunn after Kruskal–Wallis, for ≥ 3 groups).
//! * `--outcome COL --group COL`: a categorical outcome by group. Writes
//!   `tests.tsv` (Fisher's exact test, χ², two-sample `prop.test`),
//!   `contingency.tsv` (counts and expected counts) and, when an event level is
//!   known, `proportions.tsv` (Wilson and Clopper–Pearson intervals).
//!
//! Rows with an empty/`NA` group or value are skipped and counted
//! (`descriptives.tsv` column `n_missing`, `run.json`); a value that is not a
//! number, or is infinite, is an error naming the line, column and text.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use osteon_cohort::compare::{
    compare_categories, compare_groups, AdjustMethod, Alternative, CategoricalComparison,
    ContingencyTable, Effect, Group, NumericComparison, Options, Posthoc, Test, TestResult,
};
use osteon_io::{LongTable, OutputDir, TsvWriter};
use serde_json::json;

use crate::command::{input_record, write_manifest};
use crate::progress::StderrProgress;

/// Every analysis option of `osteon compare` (CLI flags and the
/// `[compare.NAME]` section of a study file).
#[derive(clap::Args, serde::Deserialize, serde::Serialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Long-format table (CSV/TSV, optionally gzipped), one row per sample.
    #[arg(long)]
    pub data: PathBuf,
    /// Column holding each row's group.
    #[arg(long)]
    pub group: String,
    /// Numeric column to compare between groups (numeric mode).
    #[arg(long, required_unless_present = "outcome", conflicts_with = "outcome")]
    #[serde(default)]
    pub value: Option<String>,
    /// Categorical column to compare between groups (categorical mode:
    /// Fisher, χ², proportions).
    #[arg(long)]
    #[serde(default)]
    pub outcome: Option<String>,
    /// Outcome level whose proportion is reported and whose odds are
    /// compared [default: for a two-level outcome, the last level in sort
    /// order, e.g. `yes` of no/yes, `1` of 0/1].
    #[arg(long)]
    #[serde(default)]
    pub event: Option<String>,
    /// Tests: `auto` (two groups: welch, student, wilcoxon; more: anova,
    /// kruskal; categorical: fisher, chisq, and prop for two groups) or a
    /// comma-separated list of welch (alias t), student, wilcoxon (alias
    /// wilcox, mann-whitney), anova, kruskal, fisher, chisq, prop. A named
    /// test that a group is too small for is an error; under `auto` its row
    /// says why instead.
    #[arg(long, default_value = "auto")]
    #[serde(default = "default_test")]
    pub test: String,
    /// The groups to compare, in order (comma-separated); two-group effects
    /// are first minus second [default: every group, sorted].
    #[arg(long, value_delimiter = ',')]
    #[serde(default)]
    pub groups: Vec<String>,
    /// Alternative hypothesis of the two-group tests and Fisher's 2 × 2 test.
    #[arg(long, default_value = "two.sided", value_parser = ["two.sided", "less", "greater"])]
    #[serde(default = "default_alternative")]
    pub alternative: String,
    /// Confidence level of every interval.
    #[arg(long, default_value_t = 0.95)]
    #[serde(default = "default_conf_level")]
    pub conf_level: f64,
    /// Continuity corrections (Wilcoxon normal approximation, Yates' χ² on
    /// 2 × 2 tables, prop.test, Wilson intervals), as R's `correct = TRUE`.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    #[serde(default = "yes")]
    pub correct: bool,
    /// Wilcoxon p-value: auto (exact when both groups have < 50 values and
    /// there are no ties, as R), exact, or normal (approximation).
    #[arg(long, default_value = "auto", value_parser = ["auto", "exact", "normal"])]
    #[serde(default = "default_wilcoxon")]
    pub wilcoxon: String,
    /// p-value adjustment of Dunn's pairwise tests (R's p.adjust methods).
    #[arg(long, default_value = "holm",
          value_parser = ["holm", "hochberg", "hommel", "bonferroni", "BH", "BY", "none"])]
    #[serde(default = "default_adjust")]
    pub adjust: String,
}

fn default_test() -> String {
    "auto".to_string()
}
fn default_alternative() -> String {
    "two.sided".to_string()
}
fn default_conf_level() -> f64 {
    0.95
}
fn yes() -> bool {
    true
}
fn default_wilcoxon() -> String {
    "auto".to_string()
}
fn default_adjust() -> String {
    "holm".to_string()
}

/// Arguments of `osteon compare`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub settings: Settings,
    /// Output folder (created atomically; replaced only when the run
    /// succeeds).
    #[arg(long)]
    pub out: PathBuf,
    /// No progress output on stderr.
    #[arg(long)]
    pub quiet: bool,
}

/// What `compare` computed, for a report: in numeric mode the groups with
/// their values (for a dot plot with median/IQR or mean ± SD from the
/// descriptives), the test rows and the post-hoc pairs; in categorical mode
/// the table, expected counts, tests and per-group proportions with
/// intervals (for a bar chart with error bars).
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The group column.
    pub group_column: String,
    /// The value column (numeric mode).
    pub value_column: Option<String>,
    /// The outcome column (categorical mode).
    pub outcome_column: Option<String>,
    /// Numeric-mode results (`groups[i].values` are the points to plot).
    pub numeric: Option<NumericComparison>,
    /// Categorical-mode results.
    pub categorical: Option<CategoricalComparison>,
    /// Rows of each compared group skipped for an empty/NA value or outcome.
    pub missing: Vec<(String, usize)>,
    /// Rows skipped because their group was empty/NA.
    pub rows_without_group: usize,
    /// Rows ignored because their group was not among `--groups`.
    pub rows_not_selected: usize,
}

/// Reads, validates, computes and writes the tables into `dir`.
pub fn execute(settings: &Settings, dir: &Path, progress: &StderrProgress) -> Result<Outcome> {
    let options = parse_options(settings)?;
    let tests = parse_tests(&settings.test)?;
    progress.message("reading the table");
    let table = osteon_io::read_long_table(&settings.data)?;
    let group_col = table.column_index(&settings.group)?;
    let labels: Vec<Option<String>> = (0..table.n_rows())
        .map(|r| table.text(r, group_col).map(str::to_string))
        .collect();
    let input = Input {
        settings,
        table: &table,
        labels: &labels,
        group_col,
    };
    match (&settings.value, &settings.outcome) {
        (Some(value), None) => execute_numeric(&input, value, &tests, &options, dir, progress),
        (None, Some(outcome)) => {
            execute_categorical(&input, outcome, &tests, &options, dir, progress)
        }
        (Some(_), Some(_)) => bail!("give either a value column or an outcome column, not both"),
        (None, None) => bail!("give a value column (--value) or an outcome column (--outcome)"),
    }
}

/// The table and its group labels, shared by both modes.
struct Input<'a> {
    settings: &'a Settings,
    table: &'a LongTable,
    labels: &'a [Option<String>],
    group_col: usize,
}

impl Input<'_> {
    fn rows_without_group(&self) -> usize {
        self.labels.iter().filter(|l| l.is_none()).count()
    }

    fn context(&self, column: &str) -> String {
        format!(
            "comparing {column} by {} in {}",
            self.settings.group,
            self.settings.data.display()
        )
    }
}

fn execute_numeric(
    input: &Input,
    value: &str,
    tests: &[Test],
    options: &Options,
    dir: &Path,
    progress: &StderrProgress,
) -> Result<Outcome> {
    let table = input.table;
    let value_col = table.column_index(value)?;
    let selection = select_groups(table, input.labels, &input.settings.groups, input.group_col)?;
    let mut groups: Vec<Group> = selection
        .order
        .iter()
        .map(|name| Group {
            name: name.clone(),
            values: Vec::new(),
        })
        .collect();
    let mut missing = vec![0usize; groups.len()];
    let mut not_selected = 0;
    for (r, label) in input.labels.iter().enumerate() {
        let Some(label) = label else { continue };
        let Some(k) = selection.index(label) else {
            not_selected += 1;
            continue;
        };
        match read_value(table, r, value_col)? {
            Some(v) => groups[k].values.push(v),
            None => missing[k] += 1,
        }
    }
    let result = compare_groups(&groups, tests, options).with_context(|| input.context(value))?;
    progress.message("writing tests.tsv, descriptives.tsv, posthoc.tsv");
    write_tests(&dir.join("tests.tsv"), &result.tests)?;
    write_descriptives(&dir.join("descriptives.tsv"), &result, &missing)?;
    write_posthoc(&dir.join("posthoc.tsv"), &result)?;
    Ok(Outcome {
        group_column: input.settings.group.clone(),
        value_column: Some(value.to_string()),
        outcome_column: None,
        missing: selection.order.iter().cloned().zip(missing).collect(),
        numeric: Some(result),
        categorical: None,
        rows_without_group: input.rows_without_group(),
        rows_not_selected: not_selected,
    })
}

fn execute_categorical(
    input: &Input,
    outcome: &str,
    tests: &[Test],
    options: &Options,
    dir: &Path,
    progress: &StderrProgress,
) -> Result<Outcome> {
    let table = input.table;
    let outcome_col = table.column_index(outcome)?;
    let selection = select_groups(table, input.labels, &input.settings.groups, input.group_col)?;
    let mut levels: Vec<String> = Vec::new();
    let mut missing = vec![0usize; selection.order.len()];
    let mut not_selected = 0;
    let mut observations: Vec<(usize, String)> = Vec::new();
    for (r, label) in input.labels.iter().enumerate() {
        let Some(label) = label else { continue };
        let Some(k) = selection.index(label) else {
            not_selected += 1;
            continue;
        };
        match table.text(r, outcome_col) {
            Some(level) => {
                if !levels.iter().any(|l| l == level) {
                    levels.push(level.to_string());
                }
                observations.push((k, level.to_string()));
            }
            None => missing[k] += 1,
        }
    }
    sort_labels(&mut levels);
    let mut counts = vec![vec![0u64; levels.len()]; selection.order.len()];
    for (k, level) in &observations {
        let j = levels
            .iter()
            .position(|l| l == level)
            .expect("level collected");
        counts[*k][j] += 1;
    }
    if let Some(k) = counts.iter().position(|row| row.iter().all(|&c| c == 0)) {
        bail!(
            "group {} has no {outcome} values in {} (column {})",
            selection.order[k],
            input.settings.data.display(),
            input.settings.group
        );
    }
    let event = choose_event(
        input.settings.event.as_deref(),
        &levels,
        outcome,
        &input.settings.data,
    )?;
    let contingency = ContingencyTable {
        rows: selection.order.clone(),
        columns: levels,
        counts,
    };
    let result = compare_categories(&contingency, tests, event, options)
        .with_context(|| input.context(outcome))?;
    progress.message("writing tests.tsv, contingency.tsv, proportions.tsv");
    write_tests(&dir.join("tests.tsv"), &result.tests)?;
    write_contingency(&dir.join("contingency.tsv"), &result)?;
    if !result.proportions.is_empty() {
        write_proportions(&dir.join("proportions.tsv"), &result)?;
    }
    Ok(Outcome {
        group_column: input.settings.group.clone(),
        value_column: None,
        outcome_column: Some(outcome.to_string()),
        missing: selection.order.iter().cloned().zip(missing).collect(),
        numeric: None,
        categorical: Some(result),
        rows_without_group: input.rows_without_group(),
        rows_not_selected: not_selected,
    })
}

/// Runs `osteon compare`.
pub fn run(args: Args) -> Result<()> {
    let progress = StderrProgress::new(args.quiet);
    let out = OutputDir::create(&args.out)?;
    let outcome = execute(&args.settings, out.path(), &progress)?;
    let outcome = crate::report::single_command_figures(
        out.path(),
        "compare",
        outcome,
        crate::report::compare_section,
    )?;
    let settings = &args.settings;
    let tests: Vec<serde_json::Value> = outcome
        .numeric
        .as_ref()
        .map(|r| &r.tests)
        .or(outcome.categorical.as_ref().map(|r| &r.tests))
        .into_iter()
        .flatten()
        .map(|t| json!({ "test": t.test.id(), "method": t.method }))
        .collect();
    let manifest = json!({
        "tool": "osteon",
        "version": env!("CARGO_PKG_VERSION"),
        "command": "compare",
        "reference_implementation": "R 4.2.2 stats: t.test, wilcox.test(conf.int = TRUE), aov + TukeyHSD, kruskal.test, fisher.test, chisq.test, prop.test, binom.test; Dunn (1964) z tests",
        "inputs": { "data": input_record(&settings.data)? },
        "parameters": settings,
        "columns": {
            "group": outcome.group_column,
            "value": outcome.value_column,
            "outcome": outcome.outcome_column,
        },
        "tests": tests,
        "rows_skipped_missing": outcome.missing.iter().map(|(g, n)| json!({ "group": g, "rows": n })).collect::<Vec<_>>(),
        "rows_without_group": outcome.rows_without_group,
        "rows_not_selected": outcome.rows_not_selected,
    });
    write_manifest(out.path(), &manifest)?;
    let target = out.commit()?;
    progress.message(&format!("results in {}", target.display()));
    Ok(())
}

fn parse_options(settings: &Settings) -> Result<Options> {
    if !(settings.conf_level > 0.0 && settings.conf_level < 1.0) {
        bail!(
            "the confidence level must be strictly between 0 and 1 (got {})",
            settings.conf_level
        );
    }
    let alternative = match settings.alternative.as_str() {
        "two.sided" => Alternative::TwoSided,
        "less" => Alternative::Less,
        "greater" => Alternative::Greater,
        other => bail!("unknown alternative {other:?}; use two.sided, less or greater"),
    };
    let exact = match settings.wilcoxon.as_str() {
        "auto" => None,
        "exact" => Some(true),
        "normal" => Some(false),
        other => bail!("unknown Wilcoxon p-value method {other:?}; use auto, exact or normal"),
    };
    let posthoc_adjust = match settings.adjust.as_str() {
        "holm" => AdjustMethod::Holm,
        "hochberg" => AdjustMethod::Hochberg,
        "hommel" => AdjustMethod::Hommel,
        "bonferroni" => AdjustMethod::Bonferroni,
        "BH" | "fdr" => AdjustMethod::BH,
        "BY" => AdjustMethod::BY,
        "none" => AdjustMethod::None,
        other => bail!("unknown p-value adjustment {other:?}; use holm, hochberg, hommel, bonferroni, BH, BY or none"),
    };
    Ok(Options {
        alternative,
        conf_level: settings.conf_level,
        correct: settings.correct,
        exact,
        posthoc_adjust,
        strict: settings.test.trim() != "auto",
    })
}

/// `auto` → no explicit tests; otherwise the comma-separated list.
fn parse_tests(text: &str) -> Result<Vec<Test>> {
    if text.trim() == "auto" {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|name| {
            Test::from_name(name).ok_or_else(|| {
                anyhow!(
                    "unknown test {name:?}; use auto or a list of welch, student, wilcoxon, anova, kruskal, fisher, chisq, prop"
                )
            })
        })
        .collect()
}

/// A row's value: `None` for an empty/`NA`/`NaN` cell; an error naming the
/// line, column and text when it is not a number or is infinite.
fn read_value(table: &LongTable, row: usize, column: usize) -> Result<Option<f64>> {
    let value = table.number(row, column)?;
    if let Some(v) = value {
        if v.is_infinite() {
            let text = table.text(row, column).unwrap_or_default();
            return Err(table
                .value_error(
                    row,
                    column,
                    text,
                    "is infinite; values must be finite numbers",
                )
                .into());
        }
    }
    Ok(value.filter(|v| !v.is_nan()))
}

/// The groups to compare, in order.
struct Selection {
    order: Vec<String>,
}

impl Selection {
    fn index(&self, label: &str) -> Option<usize> {
        self.order.iter().position(|g| g == label)
    }
}

fn select_groups(
    table: &LongTable,
    labels: &[Option<String>],
    requested: &[String],
    group_col: usize,
) -> Result<Selection> {
    let mut present: Vec<String> = Vec::new();
    for label in labels.iter().flatten() {
        if !present.contains(label) {
            present.push(label.clone());
        }
    }
    sort_labels(&mut present);
    if requested.is_empty() {
        return Ok(Selection { order: present });
    }
    let mut order: Vec<String> = Vec::new();
    for name in requested {
        let name = name.trim();
        if !present.iter().any(|p| p == name) {
            bail!(
                "group {name:?} does not occur in column {} of {} (groups: {})",
                table.columns[group_col],
                table.path.display(),
                present.join(", ")
            );
        }
        if order.iter().any(|o| o == name) {
            bail!("group {name:?} is listed twice in --groups");
        }
        order.push(name.to_string());
    }
    Ok(Selection { order })
}

/// Sorts labels as R orders factor levels for typical data: numerically
/// when every label is a number, otherwise case-insensitively (ties by
/// bytes).
fn sort_labels(labels: &mut [String]) {
    let numbers: Option<Vec<f64>> = labels
        .iter()
        .map(|l| osteon_io::parse_r_number(l).filter(|v| !v.is_nan()))
        .collect();
    if numbers.is_some() {
        labels.sort_by(|a, b| {
            let x = osteon_io::parse_r_number(a).unwrap_or(f64::NAN);
            let y = osteon_io::parse_r_number(b).unwrap_or(f64::NAN);
            x.total_cmp(&y).then_with(|| a.cmp(b))
        });
    } else {
        labels.sort_by(|a, b| {
            a.to_lowercase()
                .cmp(&b.to_lowercase())
                .then_with(|| a.cmp(b))
        });
    }
}

/// The column index of the event level.
fn choose_event(
    event: Option<&str>,
    levels: &[String],
    outcome: &str,
    path: &Path,
) -> Result<Option<usize>> {
    match event {
        Some(e) => levels.iter().position(|l| l == e).map(Some).ok_or_else(|| {
            anyhow!(
                "event level {e:?} does not occur in column {outcome} of {} (levels: {})",
                path.display(),
                levels.join(", ")
            )
        }),
        None if levels.len() == 2 => Ok(Some(1)),
        None => Ok(None),
    }
}

fn effect_cells(w: &mut TsvWriter, effect: Option<&Effect>) {
    match effect {
        Some(e) => {
            w.text(e.name);
            w.number(e.estimate);
            w.number(e.lower);
            w.number(e.upper);
        }
        None => {
            w.text("");
            for _ in 0..3 {
                w.number(f64::NAN);
            }
        }
    }
}

/// Header of `tests.tsv`.
pub const TESTS_COLUMNS: [&str; 20] = [
    "test",
    "variant",
    "alternative",
    "groups",
    "n",
    "statistic_name",
    "statistic",
    "df",
    "df2",
    "pvalue",
    "effect",
    "effect_estimate",
    "effect_lower",
    "effect_upper",
    "conf_level",
    "std_effect",
    "std_effect_estimate",
    "std_effect_lower",
    "std_effect_upper",
    "note",
];

fn write_tests(path: &Path, tests: &[TestResult]) -> Result<()> {
    let mut w = TsvWriter::create(path)?;
    w.text_row(&TESTS_COLUMNS)?;
    for t in tests {
        w.text(t.test.id());
        w.text(&t.method);
        w.text(t.alternative.r_name());
        w.text(&t.groups.join(","));
        w.text(
            &t.n.iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(","),
        );
        w.text(t.statistic_name);
        w.number(t.statistic);
        w.number(t.df);
        w.number(t.df2);
        w.number(t.p_value);
        effect_cells(&mut w, t.effect.as_ref());
        w.number(t.effect.as_ref().map_or(f64::NAN, |e| e.conf_level));
        effect_cells(&mut w, t.standardized.as_ref());
        let mut notes: Vec<String> = t
            .unavailable
            .iter()
            .map(|u| format!("not computed: {u}"))
            .collect();
        notes.extend(t.notes.iter().cloned());
        w.text(&notes.join("; "));
        w.end_row()?;
    }
    Ok(w.finish()?)
}

fn write_descriptives(path: &Path, result: &NumericComparison, missing: &[usize]) -> Result<()> {
    let mut w = TsvWriter::create(path)?;
    w.text_row(&[
        "group",
        "n",
        "n_missing",
        "mean",
        "sd",
        "median",
        "q1",
        "q3",
        "min",
        "max",
    ])?;
    for (d, &m) in result.descriptives.iter().zip(missing) {
        w.text(&d.group);
        w.number(d.n as f64);
        w.number(m as f64);
        for v in [d.mean, d.sd, d.median, d.q1, d.q3, d.min, d.max] {
            w.number(v);
        }
        w.end_row()?;
    }
    Ok(w.finish()?)
}

fn write_posthoc(path: &Path, result: &NumericComparison) -> Result<()> {
    let mut w = TsvWriter::create(path)?;
    w.text_row(&[
        "method",
        "comparison",
        "group1",
        "group2",
        "estimate",
        "lower",
        "upper",
        "statistic",
        "pvalue",
        "padj",
        "adjustment",
        "conf_level",
    ])?;
    for c in &result.posthoc {
        w.text(c.method.id());
        w.text(&match c.method {
            Posthoc::Tukey => format!("{}-{}", c.group1, c.group2),
            Posthoc::Dunn => format!("{} - {}", c.group1, c.group2),
        });
        w.text(&c.group1);
        w.text(&c.group2);
        let p = &c.pair;
        for v in [
            p.estimate,
            p.lower,
            p.upper,
            p.statistic,
            p.p_value,
            p.p_adjusted,
        ] {
            w.number(v);
        }
        w.text(c.adjustment);
        w.number(c.conf_level);
        w.end_row()?;
    }
    Ok(w.finish()?)
}

fn write_contingency(path: &Path, result: &CategoricalComparison) -> Result<()> {
    let mut w = TsvWriter::create(path)?;
    w.text_row(&["group", "level", "count", "expected"])?;
    let table = &result.table;
    for (i, group) in table.rows.iter().enumerate() {
        for (j, level) in table.columns.iter().enumerate() {
            w.text(group);
            w.text(level);
            w.number(table.counts[i][j] as f64);
            w.number(result.expected[i][j]);
            w.end_row()?;
        }
    }
    Ok(w.finish()?)
}

fn write_proportions(path: &Path, result: &CategoricalComparison) -> Result<()> {
    let mut w = TsvWriter::create(path)?;
    w.text_row(&[
        "group",
        "event",
        "events",
        "n",
        "proportion",
        "wilson_lower",
        "wilson_upper",
        "cp_lower",
        "cp_upper",
        "conf_level",
    ])?;
    let event = result.event.as_deref().unwrap_or_default();
    for p in &result.proportions {
        w.text(&p.group);
        w.text(event);
        w.number(p.events as f64);
        w.number(p.n as f64);
        for v in [
            p.estimate,
            p.wilson.0,
            p.wilson.1,
            p.clopper_pearson.0,
            p.clopper_pearson.1,
            p.conf_level,
        ] {
            w.number(v);
        }
        w.end_row()?;
    }
    Ok(w.finish()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        settings: Settings,
    }

    #[test]
    fn study_file_defaults_equal_flag_defaults() {
        let flags =
            Cli::try_parse_from(["compare", "--data", "d.csv", "--group", "g", "--value", "v"])
                .unwrap()
                .settings;
        let section: Settings =
            serde_json::from_str(r#"{"data": "d.csv", "group": "g", "value": "v"}"#).unwrap();
        assert_eq!(
            serde_json::to_value(&flags).unwrap(),
            serde_json::to_value(&section).unwrap()
        );
        assert!(flags.correct);
        assert_eq!(parse_options(&flags).unwrap(), Options::default());
    }

    #[test]
    fn unknown_study_keys_and_bad_tests_are_rejected() {
        let err =
            serde_json::from_str::<Settings>(r#"{"data": "d.csv", "group": "g", "valu": "v"}"#)
                .unwrap_err();
        assert!(err.to_string().contains("valu"), "{err}");
        assert!(parse_tests("welch, wilcox").unwrap() == vec![Test::Welch, Test::Wilcoxon]);
        assert!(parse_tests("auto").unwrap().is_empty());
        assert!(parse_tests("ttest").is_err());
    }

    #[test]
    fn labels_sort_numerically_or_case_insensitively() {
        let mut numbers: Vec<String> = ["10", "2", "1"].iter().map(|s| s.to_string()).collect();
        sort_labels(&mut numbers);
        assert_eq!(numbers, ["1", "2", "10"]);
        let mut words: Vec<String> = ["POEMS", "healthy", "MM"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        sort_labels(&mut words);
        assert_eq!(words, ["healthy", "MM", "POEMS"]);
    }
}
