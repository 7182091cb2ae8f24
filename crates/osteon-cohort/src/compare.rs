//! Group comparisons for laboratory and clinical tables — what a lab does in
//! GraphPad Prism or with R's `stats` package, with R 4.2's numbers:
//!
//! * a numeric value by group ([`compare_groups`]): Welch and Student t
//!   (`t.test`), Wilcoxon rank-sum / Mann–Whitney (`wilcox.test`, exact or
//!   normal approximation, Hodges–Lehmann shift and interval), one-way
//!   ANOVA with Tukey HSD (`aov`, `TukeyHSD`), Kruskal–Wallis
//!   (`kruskal.test`) with Dunn's post-hoc z tests; per-group descriptives
//!   (n, mean, SD, median, quartiles type 7, min, max);
//! * a categorical outcome by group ([`compare_categories`]): Fisher's
//!   exact test (`fisher.test`: 2 × 2 conditional MLE odds ratio and
//!   interval; r × c p-value), Pearson's χ² (`chisq.test`, Yates on
//!   2 × 2), the two-sample `prop.test` (risk difference and interval), and
//!   per-group proportions with Wilson (`prop.test`) and Clopper–Pearson
//!   (`binom.test`) intervals.
//!
//! Every test result ([`TestResult`]) names the test and R's method string,
//! and gives the statistic, df, p-value, n per group and effect sizes with
//! intervals: mean difference and Hedges' g (t tests), Hodges–Lehmann
//! shift (Wilcoxon), η² with its noncentral-F interval (ANOVA), conditional
//! MLE odds ratio (Fisher 2 × 2), risk difference (`prop.test`); and,
//! without an interval, the rank-biserial correlation (Wilcoxon), ε²
//! (Kruskal–Wallis; its usual interval is a bootstrap, not computed here)
//! and Cramér's V (χ²). A test that cannot be computed on
//! the data (a group with one value for Welch's t, constant data) gives a
//! row whose numbers are NaN and whose [`TestResult::unavailable`] says
//! why; with [`Options::strict`] a group too small for a requested test is
//! an error instead.
//!
//! The algorithms and their references are documented in the submodules:
//! `two_sample` (t, Wilcoxon, Hedges' g), `k_sample` (ANOVA, Tukey,
//! Kruskal–Wallis, Dunn), `categorical` (χ², Fisher, proportions),
//! `descriptive` (R's `var`, `rank`, quartiles).

mod categorical;
mod descriptive;
mod k_sample;
mod two_sample;

pub use categorical::{
    chi_squared, fisher_exact, prop_test_two, wilson_interval, ChiSquared, ContingencyTable,
    FisherExact, PropTest, FISHER_MAX_PARTIAL_TABLES,
};
pub use descriptive::{describe, r_var, rank_average, tie_correction, tie_sizes, Descriptives};
pub use k_sample::{
    dunn, kruskal_wallis, one_way_anova, tukey_hsd, Anova, KruskalWallis, PairComparison,
};
pub use osteon_stats::adjust::AdjustMethod;
pub use osteon_stats::exact_tests::Alternative;
pub use two_sample::{hedges_g, t_test, wilcoxon_rank_sum, TTest, Wilcoxon, WilcoxonOptions};

use osteon_stats::exact_tests::binomial::clopper_pearson;

/// A named group of values (missing values already removed).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The group's label.
    pub name: String,
    /// Its values, in input order.
    pub values: Vec<f64>,
}

/// The tests this module runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Test {
    /// Welch's unequal-variance t test (`t.test`).
    Welch,
    /// Student's pooled-variance t test (`t.test(var.equal = TRUE)`).
    Student,
    /// Wilcoxon rank-sum / Mann–Whitney (`wilcox.test`).
    Wilcoxon,
    /// One-way ANOVA (`aov`), with Tukey HSD for ≥ 3 groups.
    Anova,
    /// Kruskal–Wallis (`kruskal.test`), with Dunn's test for ≥ 3 groups.
    Kruskal,
    /// Fisher's exact test (`fisher.test`).
    Fisher,
    /// Pearson's χ² (`chisq.test`).
    ChiSquared,
    /// Two-sample test of equal proportions (`prop.test`).
    Proportions,
}

impl Test {
    /// The tests of a numeric value by group.
    pub const NUMERIC: [Test; 5] = [
        Test::Welch,
        Test::Student,
        Test::Wilcoxon,
        Test::Anova,
        Test::Kruskal,
    ];
    /// The tests of a categorical outcome by group.
    pub const CATEGORICAL: [Test; 3] = [Test::Fisher, Test::ChiSquared, Test::Proportions];

    /// The short name used in output tables and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Test::Welch => "welch",
            Test::Student => "student",
            Test::Wilcoxon => "wilcoxon",
            Test::Anova => "anova",
            Test::Kruskal => "kruskal",
            Test::Fisher => "fisher",
            Test::ChiSquared => "chisq",
            Test::Proportions => "prop",
        }
    }

    /// Parses a test name: the ids plus the aliases `t` (Welch, R's
    /// default), `wilcox`, `mann-whitney`, `kruskal-wallis`, `chi2`,
    /// `chi-squared`, `proportions`.
    pub fn from_name(name: &str) -> Option<Test> {
        Some(match name.to_ascii_lowercase().as_str() {
            "welch" | "t" => Test::Welch,
            "student" => Test::Student,
            "wilcoxon" | "wilcox" | "mann-whitney" | "mannwhitney" => Test::Wilcoxon,
            "anova" => Test::Anova,
            "kruskal" | "kruskal-wallis" => Test::Kruskal,
            "fisher" => Test::Fisher,
            "chisq" | "chi2" | "chi-squared" => Test::ChiSquared,
            "prop" | "proportions" => Test::Proportions,
            _ => return None,
        })
    }

    /// Whether the test compares a numeric value (rather than counts).
    pub fn is_numeric(self) -> bool {
        Test::NUMERIC.contains(&self)
    }

    /// Whether the test compares exactly two groups.
    pub fn needs_two_groups(self) -> bool {
        matches!(
            self,
            Test::Welch | Test::Student | Test::Wilcoxon | Test::Proportions
        )
    }
}

/// The tests run when none are named: Welch, Student and Wilcoxon for two
/// groups; ANOVA (+ Tukey) and Kruskal–Wallis (+ Dunn) for more.
pub fn default_numeric_tests(n_groups: usize) -> Vec<Test> {
    if n_groups == 2 {
        vec![Test::Welch, Test::Student, Test::Wilcoxon]
    } else {
        vec![Test::Anova, Test::Kruskal]
    }
}

/// Options shared by all tests (R's defaults).
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Alternative hypothesis of the two-group tests and Fisher 2 × 2
    /// (k-group tests are omnibus).
    pub alternative: Alternative,
    /// Confidence level of every interval.
    pub conf_level: f64,
    /// Continuity corrections: Wilcoxon's normal approximation, Yates' χ²
    /// on 2 × 2 tables, `prop.test` and the Wilson interval (R's default
    /// `correct = TRUE` everywhere).
    pub correct: bool,
    /// Wilcoxon exact p-value: `None` = R's rule (exact when both groups
    /// have < 50 values and there are no ties).
    pub exact: Option<bool>,
    /// p-value adjustment of Dunn's pairwise tests.
    pub posthoc_adjust: AdjustMethod,
    /// Treat a group too small for a requested test as an error (for
    /// explicitly requested tests) rather than a row that says why.
    pub strict: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            alternative: Alternative::TwoSided,
            conf_level: 0.95,
            correct: true,
            exact: None,
            posthoc_adjust: AdjustMethod::Holm,
            strict: false,
        }
    }
}

/// Why a test could not be computed on the data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unavailable {
    /// A group has fewer values than the test needs.
    #[error("group {group} has {n} value(s); the test needs at least {needed}")]
    TooFew {
        /// The group's name.
        group: String,
        /// Its number of values.
        n: usize,
        /// The minimum the test needs.
        needed: usize,
    },
    /// Too few values overall.
    #[error("{n} values in all; the test needs at least {needed}")]
    TooFewInAll {
        /// The number of values.
        n: usize,
        /// The minimum the test needs.
        needed: usize,
    },
    /// The data have (essentially) zero variance.
    #[error("data are essentially constant (zero variance)")]
    Constant,
    /// Anything else (described).
    #[error("{0}")]
    Other(String),
}

impl Unavailable {
    pub(crate) fn too_few(group: &str, n: usize, needed: usize) -> Self {
        Unavailable::TooFew {
            group: group.to_string(),
            n,
            needed,
        }
    }

    /// Replaces the placeholder names of the low-level functions ("x", "y",
    /// "#k") by the groups' names.
    fn named(self, names: &[&str]) -> Self {
        match self {
            Unavailable::TooFew { group, n, needed } => {
                let index = match group.as_str() {
                    "x" => Some(0),
                    "y" => Some(1),
                    other => other
                        .strip_prefix('#')
                        .and_then(|k| k.parse::<usize>().ok())
                        .map(|k| k - 1),
                };
                let group = index
                    .and_then(|i| names.get(i))
                    .map_or(group, |name| name.to_string());
                Unavailable::TooFew { group, n, needed }
            }
            other => other,
        }
    }

    fn is_size_problem(&self) -> bool {
        matches!(
            self,
            Unavailable::TooFew { .. } | Unavailable::TooFewInAll { .. }
        )
    }
}

/// Invalid requests (as opposed to data on which a test is unavailable).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CompareError {
    /// No group has values.
    #[error("no group has any values")]
    NoGroups,
    /// Only one group has values.
    #[error("only one group ({group}) has values; a comparison needs at least two groups")]
    SingleGroup {
        /// The group's name.
        group: String,
    },
    /// A group has no values at all.
    #[error("group {group} has no values")]
    EmptyGroup {
        /// The group's name.
        group: String,
    },
    /// A two-group test was requested with another number of groups.
    #[error("{test} compares two groups, but there are {count} ({groups}); choose two groups")]
    NotTwoGroups {
        /// The test's id.
        test: &'static str,
        /// Number of groups.
        count: usize,
        /// The groups' names, comma-separated.
        groups: String,
    },
    /// A test of the other kind (numeric vs categorical) was requested.
    #[error("{test} is a test of {wanted}; it does not apply here")]
    WrongKind {
        /// The test's id.
        test: &'static str,
        /// "a categorical outcome" or "a numeric value".
        wanted: &'static str,
    },
    /// The outcome has a single level.
    #[error("the outcome has a single level ({level}); a comparison needs at least two")]
    SingleLevel {
        /// The level.
        level: String,
    },
    /// `prop` needs to know which outcome level is the event.
    #[error("the proportions test needs the event level of the outcome")]
    NoEvent,
    /// A requested test cannot be computed on these data.
    #[error("{test} cannot be computed: {reason}")]
    NotComputable {
        /// The test's id.
        test: &'static str,
        /// Why.
        reason: Unavailable,
    },
    /// The confidence level is not in (0, 1).
    #[error("the confidence level must be strictly between 0 and 1 (got {0})")]
    ConfLevel(f64),
}

/// An effect size with its confidence interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    /// What it is: `mean_difference`, `hedges_g`, `location_shift`,
    /// `rank_biserial`, `eta_squared`, `epsilon_squared`, `odds_ratio`,
    /// `cramers_v`, `risk_difference`.
    pub name: &'static str,
    /// The estimate.
    pub estimate: f64,
    /// Lower confidence limit (NaN when no interval is computed).
    pub lower: f64,
    /// Upper confidence limit (NaN when no interval is computed).
    pub upper: f64,
    /// The interval's confidence level (NaN without an interval).
    pub conf_level: f64,
}

impl Effect {
    fn point(name: &'static str, estimate: f64) -> Self {
        Effect {
            name,
            estimate,
            lower: f64::NAN,
            upper: f64::NAN,
            conf_level: f64::NAN,
        }
    }

    fn with_interval(name: &'static str, estimate: f64, interval: (f64, f64), level: f64) -> Self {
        Effect {
            name,
            estimate,
            lower: interval.0,
            upper: interval.1,
            conf_level: level,
        }
    }
}

/// One test's result.
#[derive(Debug, Clone, PartialEq)]
pub struct TestResult {
    /// Which test.
    pub test: Test,
    /// R's method string (e.g. "Wilcoxon rank sum exact test").
    pub method: String,
    /// The alternative hypothesis (two-sided for omnibus tests).
    pub alternative: Alternative,
    /// The groups compared, in order (two-group effects are first − second).
    pub groups: Vec<String>,
    /// Values (or observations) per group.
    pub n: Vec<usize>,
    /// R's name of the statistic ("t", "W", "F", "Kruskal-Wallis
    /// chi-squared", "X-squared"; empty for Fisher).
    pub statistic_name: &'static str,
    /// The statistic.
    pub statistic: f64,
    /// Degrees of freedom (NaN when none).
    pub df: f64,
    /// Second degrees of freedom (ANOVA's residual df; NaN otherwise).
    pub df2: f64,
    /// The p-value.
    pub p_value: f64,
    /// The test's own effect estimate with interval.
    pub effect: Option<Effect>,
    /// A standardised effect size.
    pub standardized: Option<Effect>,
    /// Requested confidence level.
    pub conf_level: f64,
    /// Why the test could not be computed (all numbers NaN), if so.
    pub unavailable: Option<Unavailable>,
    /// Warnings R would print, in words.
    pub notes: Vec<String>,
}

impl TestResult {
    fn new(test: Test, groups: &[&Group], options: &Options) -> Self {
        TestResult {
            test,
            method: String::new(),
            alternative: if test.needs_two_groups() || test == Test::Fisher {
                options.alternative
            } else {
                Alternative::TwoSided
            },
            groups: groups.iter().map(|g| g.name.clone()).collect(),
            n: groups.iter().map(|g| g.values.len()).collect(),
            statistic_name: "",
            statistic: f64::NAN,
            df: f64::NAN,
            df2: f64::NAN,
            p_value: f64::NAN,
            effect: None,
            standardized: None,
            conf_level: options.conf_level,
            unavailable: None,
            notes: Vec::new(),
        }
    }
}

/// Which post-hoc procedure produced a pair comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Posthoc {
    /// Tukey's HSD after ANOVA.
    Tukey,
    /// Dunn's test after Kruskal–Wallis.
    Dunn,
}

impl Posthoc {
    /// `tukey` or `dunn`.
    pub fn id(self) -> &'static str {
        match self {
            Posthoc::Tukey => "tukey",
            Posthoc::Dunn => "dunn",
        }
    }
}

/// One post-hoc pair, with group names.
#[derive(Debug, Clone, PartialEq)]
pub struct PosthocComparison {
    /// The procedure.
    pub method: Posthoc,
    /// The first group (estimate = group1 − group2).
    pub group1: String,
    /// The second group.
    pub group2: String,
    /// Group indices, estimate, limits, statistic and p-values.
    pub pair: PairComparison,
    /// The adjustment: `tukey` (single-step) or the `p.adjust` method.
    pub adjustment: &'static str,
    /// Confidence level of the limits (NaN for Dunn).
    pub conf_level: f64,
}

impl PosthocComparison {
    fn named(
        method: Posthoc,
        pair: PairComparison,
        names: &[&str],
        adjustment: &'static str,
        conf_level: f64,
    ) -> Self {
        PosthocComparison {
            method,
            group1: names[pair.group1].to_string(),
            group2: names[pair.group2].to_string(),
            pair,
            adjustment,
            conf_level,
        }
    }
}

/// Everything [`compare_groups`] computes.
#[derive(Debug, Clone, PartialEq)]
pub struct NumericComparison {
    /// The groups compared, with their values (for dot plots).
    pub groups: Vec<Group>,
    /// Descriptives, one per group.
    pub descriptives: Vec<Descriptives>,
    /// One result per test, in the requested order.
    pub tests: Vec<TestResult>,
    /// Tukey and Dunn pairs (≥ 3 groups).
    pub posthoc: Vec<PosthocComparison>,
}

fn check_conf_level(level: f64) -> Result<(), CompareError> {
    if level > 0.0 && level < 1.0 {
        Ok(())
    } else {
        Err(CompareError::ConfLevel(level))
    }
}

fn group_list(names: &[&str]) -> String {
    names.join(", ")
}

/// Compares a numeric value across groups with the given tests (or
/// [`default_numeric_tests`] when `tests` is empty).
///
/// ```
/// use osteon_cohort::compare::{compare_groups, Group, Options, Test};
/// let groups = vec![
///     Group { name: "POEMS".into(), values: vec![310.0, 402.5, 515.0, 288.0] },
///     Group { name: "healthy".into(), values: vec![120.0, 95.5, 140.0] },
/// ];
/// let result = compare_groups(&groups, &[], &Options::default()).unwrap();
/// assert_eq!(result.tests.len(), 3);
/// assert_eq!(result.tests[2].test, Test::Wilcoxon);
/// assert_eq!(result.tests[2].statistic, 12.0);
/// ```
pub fn compare_groups(
    groups: &[Group],
    tests: &[Test],
    options: &Options,
) -> Result<NumericComparison, CompareError> {
    check_conf_level(options.conf_level)?;
    match groups {
        [] => return Err(CompareError::NoGroups),
        [only] => {
            return Err(CompareError::SingleGroup {
                group: only.name.clone(),
            })
        }
        _ => {}
    }
    if let Some(g) = groups.iter().find(|g| g.values.is_empty()) {
        return Err(CompareError::EmptyGroup {
            group: g.name.clone(),
        });
    }
    let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    let mut requested: Vec<Test> = if tests.is_empty() {
        default_numeric_tests(groups.len())
    } else {
        tests.to_vec()
    };
    dedup_in_order(&mut requested);
    for &test in &requested {
        if !test.is_numeric() {
            return Err(CompareError::WrongKind {
                test: test.id(),
                wanted: "a categorical outcome",
            });
        }
        if test.needs_two_groups() && groups.len() != 2 {
            return Err(CompareError::NotTwoGroups {
                test: test.id(),
                count: groups.len(),
                groups: group_list(&names),
            });
        }
    }
    let slices: Vec<&[f64]> = groups.iter().map(|g| g.values.as_slice()).collect();
    let all: Vec<&Group> = groups.iter().collect();
    let mut results = Vec::new();
    let mut posthoc = Vec::new();
    for &test in &requested {
        let mut row = TestResult::new(test, &all, options);
        let outcome = match test {
            Test::Welch | Test::Student => run_t(&mut row, slices[0], slices[1], test, options),
            Test::Wilcoxon => run_wilcoxon(&mut row, slices[0], slices[1], options),
            Test::Anova => run_anova(&mut row, &slices, options, &names, &mut posthoc),
            Test::Kruskal => run_kruskal(&mut row, &slices, options, &names, &mut posthoc),
            _ => unreachable!("categorical tests were rejected above"),
        };
        if let Err(reason) = outcome {
            let reason = reason.named(&names);
            if options.strict && reason.is_size_problem() {
                return Err(CompareError::NotComputable {
                    test: test.id(),
                    reason,
                });
            }
            row.unavailable = Some(reason);
        }
        results.push(row);
    }
    Ok(NumericComparison {
        groups: groups.to_vec(),
        descriptives: groups
            .iter()
            .map(|g| describe(&g.name, &g.values))
            .collect(),
        tests: results,
        posthoc,
    })
}

fn dedup_in_order(tests: &mut Vec<Test>) {
    let mut seen = Vec::new();
    tests.retain(|t| {
        if seen.contains(t) {
            false
        } else {
            seen.push(*t);
            true
        }
    });
}

fn run_t(
    row: &mut TestResult,
    x: &[f64],
    y: &[f64],
    test: Test,
    options: &Options,
) -> Result<(), Unavailable> {
    let t = t_test(
        x,
        y,
        test == Test::Student,
        options.alternative,
        options.conf_level,
    )?;
    row.method = t.method.trim_start().to_string();
    row.statistic_name = "t";
    row.statistic = t.statistic;
    row.df = t.df;
    row.p_value = t.p_value;
    row.effect = Some(Effect::with_interval(
        "mean_difference",
        t.difference,
        t.conf_int,
        options.conf_level,
    ));
    row.standardized = Some(
        match hedges_g(x, y, options.alternative, options.conf_level) {
            Some((g, lo, hi)) => Effect::with_interval("hedges_g", g, (lo, hi), options.conf_level),
            None => Effect::point("hedges_g", f64::NAN),
        },
    );
    Ok(())
}

fn run_wilcoxon(
    row: &mut TestResult,
    x: &[f64],
    y: &[f64],
    options: &Options,
) -> Result<(), Unavailable> {
    let w = wilcoxon_rank_sum(
        x,
        y,
        &WilcoxonOptions {
            alternative: options.alternative,
            conf_level: options.conf_level,
            correct: options.correct,
            exact: options.exact,
        },
    )?;
    row.method = w.method;
    row.statistic_name = "W";
    row.statistic = w.statistic;
    row.p_value = w.p_value;
    row.effect = Some(Effect::with_interval(
        "location_shift",
        w.estimate,
        w.conf_int,
        w.conf_level,
    ));
    let pairs = (x.len() * y.len()) as f64;
    row.standardized = Some(Effect::point(
        "rank_biserial",
        2.0 * w.statistic / pairs - 1.0,
    ));
    row.notes = w.notes;
    Ok(())
}

fn run_anova(
    row: &mut TestResult,
    groups: &[&[f64]],
    options: &Options,
    names: &[&str],
    posthoc: &mut Vec<PosthocComparison>,
) -> Result<(), Unavailable> {
    let a = one_way_anova(groups, options.conf_level)?;
    row.method = "One-way analysis of means (aov, equal variances)".to_string();
    row.statistic_name = "F";
    row.statistic = a.statistic;
    row.df = a.df_between;
    row.df2 = a.df_within;
    row.p_value = a.p_value;
    row.effect = Some(Effect::with_interval(
        "eta_squared",
        a.eta_squared,
        a.eta_squared_interval,
        options.conf_level,
    ));
    if a.ss_within == 0.0 {
        row.notes
            .push("residual variance is zero (essentially perfect fit)".to_string());
    }
    if groups.len() >= 3 {
        for pair in tukey_hsd(groups, options.conf_level)? {
            posthoc.push(PosthocComparison::named(
                Posthoc::Tukey,
                pair,
                names,
                "tukey",
                options.conf_level,
            ));
        }
    }
    Ok(())
}

fn run_kruskal(
    row: &mut TestResult,
    groups: &[&[f64]],
    options: &Options,
    names: &[&str],
    posthoc: &mut Vec<PosthocComparison>,
) -> Result<(), Unavailable> {
    let k = kruskal_wallis(groups)?;
    row.method = "Kruskal-Wallis rank sum test".to_string();
    row.statistic_name = "Kruskal-Wallis chi-squared";
    row.statistic = k.statistic;
    row.df = k.df;
    row.p_value = k.p_value;
    row.effect = Some(Effect::point("epsilon_squared", k.epsilon_squared));
    if groups.len() >= 3 {
        for pair in dunn(groups, options.posthoc_adjust) {
            posthoc.push(PosthocComparison::named(
                Posthoc::Dunn,
                pair,
                names,
                adjust_name(options.posthoc_adjust),
                f64::NAN,
            ));
        }
    }
    Ok(())
}

/// R's name of a `p.adjust` method.
pub fn adjust_name(method: AdjustMethod) -> &'static str {
    match method {
        AdjustMethod::Holm => "holm",
        AdjustMethod::Hochberg => "hochberg",
        AdjustMethod::Hommel => "hommel",
        AdjustMethod::Bonferroni => "bonferroni",
        AdjustMethod::BH => "BH",
        AdjustMethod::BY => "BY",
        AdjustMethod::None => "none",
    }
}

/// A group's proportion of the event level, with two intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct Proportion {
    /// The group.
    pub group: String,
    /// Observations with the event level.
    pub events: u64,
    /// All observations of the group.
    pub n: u64,
    /// events / n.
    pub estimate: f64,
    /// Wilson score interval (`prop.test`, continuity-corrected when
    /// [`Options::correct`]).
    pub wilson: (f64, f64),
    /// Clopper–Pearson interval (`binom.test`).
    pub clopper_pearson: (f64, f64),
    /// Confidence level of both (two-sided).
    pub conf_level: f64,
}

/// Everything [`compare_categories`] computes.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoricalComparison {
    /// The table tested (for a binary outcome with an event level, the
    /// event column comes first, so that the odds ratio is the odds of the
    /// event in the first group over the second).
    pub table: ContingencyTable,
    /// Expected counts under independence (as the table).
    pub expected: Vec<Vec<f64>>,
    /// The event level, if known.
    pub event: Option<String>,
    /// One result per test.
    pub tests: Vec<TestResult>,
    /// Per-group proportions of the event level (empty without one).
    pub proportions: Vec<Proportion>,
}

/// The tests run when none are named: Fisher and χ², plus `prop` for two
/// groups when the event level is known.
pub fn default_categorical_tests(n_groups: usize, has_event: bool) -> Vec<Test> {
    let mut tests = vec![Test::Fisher, Test::ChiSquared];
    if n_groups == 2 && has_event {
        tests.push(Test::Proportions);
    }
    tests
}

/// Compares a categorical outcome across groups: `table` rows are groups,
/// columns outcome levels; `event` is the column of the level whose
/// proportion is reported (and compared by `prop`).
///
/// ```
/// use osteon_cohort::compare::{compare_categories, ContingencyTable, Options, Test};
/// let table = ContingencyTable {
///     rows: vec!["sclerotic".into(), "lytic".into()],
///     columns: vec!["no".into(), "yes".into()],
///     counts: vec![vec![12, 2], vec![5, 9]],
/// };
/// let result = compare_categories(&table, &[], Some(1), &Options::default()).unwrap();
/// assert_eq!(result.table.columns, ["yes", "no"]);
/// assert_eq!(result.tests[0].test, Test::Fisher);
/// ```
pub fn compare_categories(
    table: &ContingencyTable,
    tests: &[Test],
    event: Option<usize>,
    options: &Options,
) -> Result<CategoricalComparison, CompareError> {
    check_conf_level(options.conf_level)?;
    match table.rows.len() {
        0 => return Err(CompareError::NoGroups),
        1 => {
            return Err(CompareError::SingleGroup {
                group: table.rows[0].clone(),
            })
        }
        _ => {}
    }
    if table.columns.len() < 2 {
        return Err(CompareError::SingleLevel {
            level: table.columns.first().cloned().unwrap_or_default(),
        });
    }
    let mut table = table.clone();
    let mut event = event;
    if let Some(e) = event {
        if table.columns.len() == 2 && e == 1 {
            table.columns.swap(0, 1);
            for row in &mut table.counts {
                row.swap(0, 1);
            }
            event = Some(0);
        }
    }
    let names: Vec<&str> = table.rows.iter().map(String::as_str).collect();
    let mut requested: Vec<Test> = if tests.is_empty() {
        default_categorical_tests(table.rows.len(), event.is_some())
    } else {
        tests.to_vec()
    };
    dedup_in_order(&mut requested);
    for &test in &requested {
        if test.is_numeric() {
            return Err(CompareError::WrongKind {
                test: test.id(),
                wanted: "a numeric value",
            });
        }
        if test == Test::Proportions {
            if table.rows.len() != 2 {
                return Err(CompareError::NotTwoGroups {
                    test: test.id(),
                    count: table.rows.len(),
                    groups: group_list(&names),
                });
            }
            if event.is_none() {
                return Err(CompareError::NoEvent);
            }
        }
    }
    let row_totals = table.row_totals();
    let groups: Vec<Group> = table
        .rows
        .iter()
        .map(|name| Group {
            name: name.clone(),
            values: Vec::new(),
        })
        .collect();
    let group_refs: Vec<&Group> = groups.iter().collect();
    let chi = chi_squared(&table.counts, options.correct);
    let mut results = Vec::new();
    for &test in &requested {
        let mut row = TestResult::new(test, &group_refs, options);
        row.n = row_totals.iter().map(|&n| n as usize).collect();
        match test {
            Test::Fisher => run_fisher(&mut row, &table, options),
            Test::ChiSquared => {
                row.method = chi.method.to_string();
                row.statistic_name = "X-squared";
                row.statistic = chi.statistic;
                row.df = chi.df;
                row.p_value = chi.p_value;
                row.effect = Some(Effect::point("cramers_v", chi.cramers_v));
                if chi.small_expected > 0 {
                    row.notes.push(format!(
                        "Chi-squared approximation may be incorrect: {} of {} expected counts are below 5",
                        chi.small_expected,
                        table.rows.len() * table.columns.len()
                    ));
                }
            }
            Test::Proportions => {
                let e = event.expect("checked above");
                let t = prop_test_two(
                    [table.counts[0][e], table.counts[1][e]],
                    [row_totals[0], row_totals[1]],
                    options.alternative,
                    options.conf_level,
                    options.correct,
                );
                row.method = t.method.to_string();
                row.statistic_name = "X-squared";
                row.statistic = t.statistic;
                row.df = 1.0;
                row.p_value = t.p_value;
                row.effect = Some(Effect::with_interval(
                    "risk_difference",
                    t.difference,
                    t.conf_int,
                    options.conf_level,
                ));
                if chi.small_expected > 0 {
                    row.notes.push(
                        "Chi-squared approximation may be incorrect (expected counts below 5)"
                            .to_string(),
                    );
                }
            }
            _ => unreachable!("numeric tests were rejected above"),
        }
        results.push(row);
    }
    let proportions = match event {
        Some(e) => table
            .rows
            .iter()
            .zip(&table.counts)
            .zip(&row_totals)
            .map(|((name, counts), &n)| Proportion {
                group: name.clone(),
                events: counts[e],
                n,
                estimate: counts[e] as f64 / n as f64,
                wilson: wilson_interval(counts[e], n, options.conf_level, options.correct),
                clopper_pearson: clopper_pearson(
                    counts[e],
                    n,
                    options.conf_level,
                    Alternative::TwoSided,
                ),
                conf_level: options.conf_level,
            })
            .collect(),
        None => Vec::new(),
    };
    Ok(CategoricalComparison {
        event: event.map(|e| table.columns[e].clone()),
        expected: chi.expected,
        table,
        tests: results,
        proportions,
    })
}

fn run_fisher(row: &mut TestResult, table: &ContingencyTable, options: &Options) {
    row.method = "Fisher's Exact Test for Count Data".to_string();
    match fisher_exact(&table.counts, options.alternative, options.conf_level) {
        Ok(f) => {
            row.p_value = f.p_value;
            if let Some((or, lo, hi)) = f.odds_ratio {
                row.effect = Some(Effect::with_interval(
                    "odds_ratio",
                    or,
                    (lo, hi),
                    options.conf_level,
                ));
            } else {
                row.alternative = Alternative::TwoSided;
            }
        }
        Err(e) => {
            row.unavailable = Some(Unavailable::Other(e.to_string()));
        }
    }
}

/// Relative-difference assertion for the unit tests of the submodules.
#[cfg(test)]
pub(crate) fn assert_rel(got: f64, want: f64, tol: f64, what: &str) {
    let rel = if got == want {
        0.0
    } else {
        (got - want).abs() / want.abs()
    };
    assert!(
        rel <= tol,
        "{what}: got {got:?}, want {want:?} (rel {rel:e})"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(spec: &[(&str, &[f64])]) -> Vec<Group> {
        spec.iter()
            .map(|(n, v)| Group {
                name: n.to_string(),
                values: v.to_vec(),
            })
            .collect()
    }

    #[test]
    fn welch_with_a_single_value_says_why_or_errors_when_strict() {
        let g = groups(&[("POEMS", &[3.0, 4.0, 5.0]), ("healthy", &[1.0])]);
        let r = compare_groups(&g, &[], &Options::default()).unwrap();
        let welch = &r.tests[0];
        assert_eq!(welch.test, Test::Welch);
        assert!(welch.p_value.is_nan());
        assert_eq!(
            welch.unavailable.as_ref().unwrap().to_string(),
            "group healthy has 1 value(s); the test needs at least 2"
        );
        // Student's t and Wilcoxon still run
        assert!(r.tests[1].p_value.is_finite() && r.tests[2].p_value.is_finite());
        let strict = Options {
            strict: true,
            ..Options::default()
        };
        let err = compare_groups(&g, &[Test::Welch], &strict).unwrap_err();
        assert!(
            err.to_string().contains("group healthy has 1 value"),
            "{err}"
        );
    }

    #[test]
    fn refuses_single_group_and_misplaced_tests() {
        let one = groups(&[("A", &[1.0, 2.0])]);
        assert!(matches!(
            compare_groups(&one, &[], &Options::default()),
            Err(CompareError::SingleGroup { .. })
        ));
        let three = groups(&[("A", &[1.0, 2.0]), ("B", &[3.0, 4.0]), ("C", &[5.0, 7.0])]);
        let err = compare_groups(&three, &[Test::Welch], &Options::default()).unwrap_err();
        assert!(err.to_string().contains("A, B, C"), "{err}");
        assert!(matches!(
            compare_groups(&three, &[Test::Fisher], &Options::default()),
            Err(CompareError::WrongKind { .. })
        ));
        let r = compare_groups(&three, &[], &Options::default()).unwrap();
        assert_eq!(r.posthoc.len(), 6);
        assert_eq!(
            (r.posthoc[0].group1.as_str(), r.posthoc[0].group2.as_str()),
            ("B", "A")
        );
        assert_eq!(
            (r.posthoc[3].group1.as_str(), r.posthoc[3].group2.as_str()),
            ("A", "B")
        );
    }

    #[test]
    fn constant_data_is_reported_not_an_error() {
        let g = groups(&[("A", &[2.0, 2.0, 2.0]), ("B", &[2.0, 2.0])]);
        let strict = Options {
            strict: true,
            ..Options::default()
        };
        let r = compare_groups(&g, &[Test::Welch], &strict).unwrap();
        assert_eq!(r.tests[0].unavailable, Some(Unavailable::Constant));
    }

    #[test]
    fn categorical_orients_the_event_first() {
        let table = ContingencyTable {
            rows: vec!["A".into(), "B".into()],
            columns: vec!["no".into(), "yes".into()],
            counts: vec![vec![12, 2], vec![5, 9]],
        };
        let r = compare_categories(&table, &[], Some(1), &Options::default()).unwrap();
        assert_eq!(r.event.as_deref(), Some("yes"));
        assert_eq!(r.tests.len(), 3);
        assert_eq!(r.proportions[0].events, 2);
        // fisher.test(matrix(c(2, 9, 12, 5), 2))$estimate
        let or = r.tests[0].effect.as_ref().unwrap().estimate;
        assert_eq!(or, 0.10239038414207255);
    }
}
