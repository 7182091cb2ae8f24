//! `osteon trajectory` end to end: the golden cases against the base-R
//! reference in `tests/golden/trajectory/` (every number, including the
//! `quantile(type = 7)` quartiles of the arm summaries), and every bad-input
//! case (exit code 2, a message naming the line, no output folder).

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

fn golden_root() -> PathBuf {
    common::manifest_dir().join("tests/golden/trajectory")
}

/// A TSV table with text cells.
struct Tsv {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Tsv {
    fn read(path: &Path) -> Tsv {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let mut lines = text.lines();
        let split = |l: &str| l.split('\t').map(str::to_string).collect::<Vec<_>>();
        let header = split(lines.next().expect("header"));
        let rows = lines.filter(|l| !l.is_empty()).map(split).collect();
        Tsv { header, rows }
    }

    fn column(&self, name: &str) -> Vec<&str> {
        let k = self
            .header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.header));
        self.rows.iter().map(|r| r[k].as_str()).collect()
    }
}

fn number(text: &str) -> Option<f64> {
    match text {
        "NA" => None,
        _ => Some(
            text.parse()
                .unwrap_or_else(|_| panic!("not a number: {text:?}")),
        ),
    }
}

/// Compares every column of the R table with osteon's (osteon may have
/// more columns, e.g. `note`): text exactly, numbers within `tol` relative.
/// Returns the largest relative difference seen.
fn compare_tables(case: &str, name: &str, reference: &Tsv, ours: &Tsv, tol: f64) -> f64 {
    assert_eq!(
        reference.rows.len(),
        ours.rows.len(),
        "{case}/{name}: row count"
    );
    let mut worst = 0.0f64;
    for column in &reference.header {
        let r = reference.column(column);
        let o = ours.column(column);
        for (row, (a, b)) in r.iter().zip(&o).enumerate() {
            let numeric = number_like(a) && number_like(b);
            if !numeric {
                assert_eq!(a, b, "{case}/{name} row {} column {column}", row + 2);
                continue;
            }
            match (number(a), number(b)) {
                (None, None) => {}
                (Some(x), Some(y)) => {
                    let d = common::rel_diff(y, x);
                    worst = worst.max(d);
                    assert!(
                        d <= tol,
                        "{case}/{name} row {} column {column}: R {x} vs osteon {y}",
                        row + 2
                    );
                }
                _ => panic!(
                    "{case}/{name} row {} column {column}: R {a} vs osteon {b}",
                    row + 2
                ),
            }
        }
    }
    worst
}

fn number_like(text: &str) -> bool {
    text == "NA" || text.parse::<f64>().is_ok()
}

fn run_case(case: &str) -> PathBuf {
    let dir = golden_root().join(case);
    let args = std::fs::read_to_string(dir.join("args.txt")).expect("args.txt");
    let out = common::scratch(&format!("trajectory-{case}")).join("out");
    let output = common::osteon()
        .current_dir(&dir)
        .arg("trajectory")
        .args(common::shell_words(args.trim()))
        .arg("--quiet")
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run osteon");
    assert!(
        output.status.success(),
        "{case}: osteon failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

fn check_golden(case: &str) {
    let out = run_case(case);
    let reference = golden_root().join(case).join("r");
    let mut worst = 0.0f64;
    for name in ["changes.tsv", "landmarks.tsv", "arm_summary.tsv"] {
        let r = Tsv::read(&reference.join(name));
        let o = Tsv::read(&out.join(name));
        worst = worst.max(compare_tables(case, name, &r, &o, 1e-12));
    }
    eprintln!("{case}: largest relative difference from R = {worst:e}");
    assert!(out.join("series.tsv").is_file() && out.join("run.json").is_file());
}

#[test]
fn golden_edge_cases_match_r() {
    // Pre-treatment times, a missing baseline value, ties in the landmark
    // window, two assays for one patient, a zero baseline, a normal baseline,
    // an arm with a single series and no post-baseline values.
    check_golden("edge");
}

#[test]
fn golden_edge_cases_with_other_rules_match_r() {
    // First-measurement baseline, progression from baseline, normal
    // baselines assessed, 30%/25% thresholds, summary per arm and assay,
    // landmarks 1, 6, 12 given unordered, window 1.5.
    check_golden("edge_alt");
}

#[test]
fn golden_example_matches_r() {
    check_golden("example");
}

#[test]
fn example_reports_the_planted_problems() {
    let out = run_case("example");
    let series = Tsv::read(&out.join("series.tsv"));
    let patients = series.column("patient");
    let notes = series.column("note");
    let note_of = |p: &str| notes[patients.iter().position(|&x| x == p).unwrap()];
    // P07: first visit at 0.8 months; P15: the time-0 sample is NA.
    assert_eq!(
        note_of("P07"),
        "no measured value at or before time 0 (first at 0.8)"
    );
    assert_eq!(
        note_of("P15"),
        "no measured value at or before time 0 (first at 1)"
    );
    let landmarks = Tsv::read(&out.join("landmarks.tsv"));
    let p21: Vec<&str> = landmarks
        .column("patient")
        .iter()
        .zip(landmarks.column("note"))
        .filter(|(p, _)| **p == "P21")
        .map(|(_, n)| n)
        .collect();
    assert_eq!(p21[0], "baseline 770 is not above the upper limit 1000");
    // The missing value of P03 is kept in changes.tsv with a note.
    let changes = Tsv::read(&out.join("changes.tsv"));
    let missing: Vec<&str> = changes
        .column("note")
        .into_iter()
        .filter(|n| n.contains("value missing"))
        .collect();
    assert_eq!(missing.len(), 2, "P03 at 6.2 and P15 at 0");
}

// ---------------------------------------------------------------------------
// Bad input: each case writes its own files and must fail cleanly.

const LIMITS: &str = "assay,lower,upper,unit\nserum ELISA,,1000,pg/mL\nplasma ELISA,9,100,pg/mL\n";
const GOOD: &str = "patient,arm,assay,month,vegf\n\
P1,ASCT,serum ELISA,0,4000\n\
P1,ASCT,serum ELISA,3,1500\n\
P2,THAL,plasma ELISA,0,300\n\
P2,THAL,plasma ELISA,3,120\n";

/// Writes the data and limits text into a fresh folder and runs
/// `osteon trajectory --data data.csv --limits limits.csv --out out ARGS`
/// there; returns the output and the intended output folder.
fn run_raw(name: &str, data: &str, limits: &str, args: &[&str]) -> (Output, PathBuf) {
    let dir = common::scratch(&format!("trajectory-bad-{name}"));
    std::fs::write(dir.join("data.csv"), data).unwrap();
    std::fs::write(dir.join("limits.csv"), limits).unwrap();
    let output = common::osteon()
        .current_dir(&dir)
        .args(["trajectory", "--data", "data.csv", "--limits", "limits.csv"])
        .args(["--out", "out"])
        .args(args)
        .output()
        .expect("run osteon");
    (output, dir.join("out"))
}

/// [`run_raw`] with the column flags of [`GOOD`] and `extra`.
fn run_on(name: &str, data: &str, limits: &str, extra: &[&str]) -> (Output, PathBuf) {
    let mut args = vec![
        "--arm", "arm", "--assay", "assay", "--time", "month", "--value", "vegf",
    ];
    args.extend_from_slice(extra);
    run_raw(name, data, limits, &args)
}

/// Asserts failure with exit code 2, a message containing every `needle`,
/// and nothing left behind in the scratch folder but the inputs.
fn assert_fails(name: &str, data: &str, limits: &str, extra: &[&str], needles: &[&str]) {
    let (output, out) = run_on(name, data, limits, extra);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "{name}: {needle:?} not in:\n{stderr}"
        );
    }
    assert!(!out.exists(), "{name}: output folder left behind");
    let mut left: Vec<String> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["data.csv", "limits.csv"],
        "{name}: files left behind"
    );
}

#[test]
fn good_input_runs() {
    let (output, out) = run_on("good", GOOD, LIMITS, &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let landmarks = Tsv::read(&out.join("landmarks.tsv"));
    // P1: 4000 → 1500 at 3 months = −62.5% → partial; P2: 300 → 120 = −60%.
    assert_eq!(
        landmarks.column("pct_change_baseline"),
        ["-62.5", "NA", "NA", "-60", "NA", "NA"]
    );
    assert_eq!(landmarks.column("category")[0], "partial");
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["command"], "trajectory");
    assert_eq!(
        run["parameters"]["landmarks"],
        serde_json::json!([3.0, 6.0, 12.0])
    );
    assert_eq!(run["inputs"]["data"]["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn non_numeric_value_names_line_and_column() {
    assert_fails(
        "non-numeric-value",
        &GOOD.replace(",1500\n", ",<50\n"),
        LIMITS,
        &[],
        &["data.csv line 3, column vegf: \"<50\" is not a number"],
    );
}

#[test]
fn non_numeric_time_names_line_and_column() {
    let data = GOOD.replace("P2,THAL,plasma ELISA,3,", "P2,THAL,plasma ELISA,3 mo,");
    assert_fails(
        "non-numeric-time",
        &data,
        LIMITS,
        &[],
        &["data.csv line 5, column month: \"3 mo\" is not a number"],
    );
}

#[test]
fn missing_time_names_line() {
    let data = GOOD.replace("P2,THAL,plasma ELISA,3,", "P2,THAL,plasma ELISA,,");
    assert_fails(
        "missing-time",
        &data,
        LIMITS,
        &[],
        &["data.csv line 5, column month", "needs a time"],
    );
}

#[test]
fn negative_time_names_line_unless_allowed() {
    let data = format!("{GOOD}P2,THAL,plasma ELISA,-0.5,310\n");
    assert_fails(
        "negative-time",
        &data,
        LIMITS,
        &[],
        &["data.csv line 6: patient P2: time -0.5 is negative"],
    );
    let (output, _) = run_on(
        "negative-time-allowed",
        &data,
        LIMITS,
        &["--allow-negative-times"],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn negative_value_names_line() {
    let data = GOOD.replace(",120\n", ",-120\n");
    assert_fails(
        "negative-value",
        &data,
        LIMITS,
        &[],
        &["data.csv line 5: patient P2: value -120 is negative"],
    );
}

#[test]
fn missing_baseline_is_reported_not_an_error() {
    let data = GOOD.replace(
        "P2,THAL,plasma ELISA,0,300\n",
        "P2,THAL,plasma ELISA,1,300\n",
    );
    let (output, out) = run_on("no-baseline", &data, LIMITS, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("1 series without a baseline")
            && stderr
                .contains("P2 (plasma ELISA): no measured value at or before time 0 (first at 1)"),
        "{stderr}"
    );
    let landmarks = Tsv::read(&out.join("landmarks.tsv"));
    assert_eq!(landmarks.column("category")[3], "not_evaluable");
    assert!(landmarks.column("note")[3].starts_with("no baseline: "));
    let summary = Tsv::read(&out.join("arm_summary.tsv"));
    assert_eq!(
        summary.column("n_not_evaluable")[3],
        "1",
        "THAL at 3 months"
    );
}

#[test]
fn unknown_assay_names_line() {
    let data = format!("{GOOD}P3,THAL,serum RIA,0,900\n");
    assert_fails(
        "unknown-assay",
        &data,
        LIMITS,
        &[],
        &["data.csv line 6: patient P3: assay 'serum RIA' has no normal limits (limits are given for: serum ELISA, plasma ELISA)"],
    );
}

#[test]
fn assay_without_upper_limit_names_line() {
    let limits = LIMITS.replace("9,100", "9,");
    assert_fails(
        "no-upper-limit",
        GOOD,
        &limits,
        &[],
        &["data.csv line 4: assay 'plasma ELISA' has no upper limit of normal"],
    );
}

#[test]
fn unit_mismatch_names_line() {
    let data = GOOD
        .replace("vegf\n", "vegf,unit\n")
        .replace("4000\n", "4000,pg/mL\n")
        .replace("1500\n", "1.5,ng/mL\n")
        .replace("300\n", "300,pg/mL\n")
        .replace("120\n", "120,\n");
    assert_fails(
        "unit-mismatch",
        &data,
        LIMITS,
        &["--unit", "unit"],
        &["data.csv line 3: analyte 'serum ELISA' is reported in 'ng/mL' but its reference interval is in 'pg/mL'"],
    );
}

#[test]
fn duplicate_time_names_both_lines() {
    let data = format!("{GOOD}P1,ASCT,serum ELISA,3,1400\n");
    assert_fails(
        "duplicate-time",
        &data,
        LIMITS,
        &[],
        &["data.csv line 6: patient P1, assay 'serum ELISA': time 3 was already measured on line 3"],
    );
}

#[test]
fn patient_in_two_arms_names_lines() {
    let data = GOOD.replace("P1,ASCT,serum ELISA,3", "P1,THAL,serum ELISA,3");
    assert_fails(
        "two-arms",
        &data,
        LIMITS,
        &[],
        &["data.csv line 3: patient P1 is in arm 'THAL' here but in arm 'ASCT' on line 2"],
    );
}

#[test]
fn empty_arm_or_patient_names_line() {
    assert_fails(
        "empty-arm",
        &GOOD.replace("P2,THAL,plasma ELISA,3", "P2,,plasma ELISA,3"),
        LIMITS,
        &[],
        &["data.csv line 5, column arm", "needs an arm"],
    );
    assert_fails(
        "empty-patient",
        &GOOD.replace("P2,THAL,plasma ELISA,3", "NA,THAL,plasma ELISA,3"),
        LIMITS,
        &[],
        &["data.csv line 5, column patient", "needs a patient"],
    );
}

#[test]
fn bad_limits_name_the_limits_line() {
    assert_fails(
        "limits-order",
        GOOD,
        &LIMITS.replace("9,100", "150,100"),
        &[],
        &["limits.csv line 3: analyte 'plasma ELISA': the low limit 150 is above the high limit 100"],
    );
    assert_fails(
        "limits-duplicate",
        GOOD,
        &format!("{LIMITS}serum ELISA,,900,pg/mL\n"),
        &[],
        &["limits.csv line 4: 'serum ELISA' already has limits on line 2"],
    );
    assert_fails(
        "limits-text",
        GOOD,
        &LIMITS.replace(",1000,", ",1 000,"),
        &[],
        &["limits.csv line 2, column upper: \"1 000\" is not a number"],
    );
    assert_fails(
        "limits-columns",
        GOOD,
        "assay,ULN\nserum ELISA,1000\n",
        &[],
        &["limits.csv: no limit columns", "assay, ULN"],
    );
}

#[test]
fn several_assays_need_the_assay_column() {
    let (output, out) = run_raw(
        "no-assay-column",
        GOOD,
        LIMITS,
        &["--time", "month", "--value", "vegf"],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("lists 2 assays; name the data's assay column with --assay"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn unknown_column_lists_the_columns() {
    assert_fails(
        "unknown-column",
        GOOD,
        LIMITS,
        &["--patient", "subject"],
        &["there is no column subject (columns are: patient, arm, assay, month, vegf)"],
    );
}

#[test]
fn invalid_options_are_errors() {
    assert_fails(
        "bad-landmark",
        GOOD,
        LIMITS,
        &["--landmarks", "0,3"],
        &["landmark 0 is not valid"],
    );
    assert_fails(
        "bad-window",
        GOOD,
        LIMITS,
        &["--window=-1"],
        &["window -1 is not valid"],
    );
    assert_fails(
        "bad-fall",
        GOOD,
        LIMITS,
        &["--partial-fall", "150"],
        &["partial-response fall threshold 150% is not valid"],
    );
}
