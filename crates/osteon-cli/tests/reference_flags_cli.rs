//! `osteon reference-flags` end to end: a hand-checked panel, the bundled
//! example (planted values and counts recomputed here from the files), and
//! every bad-input case (exit code 2, a message naming the line, no output
//! folder).

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

/// Rows of a TSV file as text cells (header first).
use common::read_tsv_cells as read_tsv;

fn column(table: &[Vec<String>], name: &str) -> Vec<String> {
    let k = table[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    table[1..].iter().map(|r| r[k].clone()).collect()
}

fn run_in(dir: &Path, data: &str, limits: &str, extra: &[&str]) -> (Output, PathBuf) {
    std::fs::write(dir.join("data.csv"), data).unwrap();
    std::fs::write(dir.join("limits.csv"), limits).unwrap();
    let out = dir.join("out");
    let output = common::osteon()
        .current_dir(dir)
        .args([
            "reference-flags",
            "--data",
            "data.csv",
            "--limits",
            "limits.csv",
            "--quiet",
            "--out",
            "out",
        ])
        .args(extra)
        .output()
        .expect("run osteon");
    (output, out)
}

const LIMITS: &str = "analyte,low,high,unit,critical_low,critical_high\n\
potassium,3.5,5.1,mmol/L,2.5,6.5\n\
crp,,5,mg/L,,\n\
hemoglobin,12,16,g/dL,7,\n";

#[test]
fn hand_checked_panel() {
    // potassium 3.5–5.1 (critical < 2.5, > 6.5): 2.4 → LL, 2.5 → L (on the
    // critical limit), 3.5 → N (on the limit), 5.2 → H, 6.6 → HH;
    // crp ≤ 5: 5 → N, 12.5 → H; hemoglobin NA → no flag.
    let data = "sample,analyte,value\n\
S1,potassium,2.4\nS2,potassium,2.5\nS3,potassium,3.5\nS4,potassium,5.2\nS5,potassium,6.6\n\
S1,crp,5\nS2,crp,12.5\nS3,hemoglobin,NA\n";
    let dir = common::scratch("flags-hand");
    let (output, out) = run_in(&dir, data, LIMITS, &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let flags = read_tsv(&out.join("flags.tsv"));
    assert_eq!(
        flags[0],
        [
            "sample",
            "analyte",
            "value",
            "ref_low",
            "ref_high",
            "ref_critical_low",
            "ref_critical_high",
            "ref_unit",
            "flag",
            "flag_note"
        ]
    );
    assert_eq!(
        column(&flags, "flag"),
        ["LL", "L", "N", "H", "HH", "N", "H", "NA"]
    );
    assert_eq!(column(&flags, "flag_note")[7], "value missing");
    assert_eq!(column(&flags, "ref_low")[5], "NA", "crp has no low limit");
    let summary = read_tsv(&out.join("flag_summary.tsv"));
    assert_eq!(
        summary[0],
        [
            "analyte",
            "unit",
            "low",
            "high",
            "critical_low",
            "critical_high",
            "n",
            "n_missing",
            "n_LL",
            "n_L",
            "n_N",
            "n_H",
            "n_HH"
        ]
    );
    assert_eq!(
        summary[1],
        [
            "potassium",
            "mmol/L",
            "3.5",
            "5.1",
            "2.5",
            "6.5",
            "5",
            "0",
            "1",
            "1",
            "1",
            "1",
            "1"
        ]
    );
    assert_eq!(
        summary[2],
        ["crp", "mg/L", "NA", "5", "NA", "NA", "2", "0", "0", "0", "1", "1", "0"]
    );
    assert_eq!(
        summary[3],
        [
            "hemoglobin",
            "g/dL",
            "12",
            "16",
            "7",
            "NA",
            "1",
            "1",
            "0",
            "0",
            "0",
            "0",
            "0"
        ]
    );
    assert!(out.join("run.json").is_file());
}

#[test]
fn example_panel_flags_match_a_direct_count() {
    let example = common::manifest_dir().join("../../examples/reference_flags");
    let out = common::scratch("flags-example").join("out");
    let output = common::osteon()
        .args(["reference-flags", "--unit", "unit", "--quiet", "--data"])
        .arg(example.join("panel.csv"))
        .arg("--limits")
        .arg(example.join("limits.csv"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let flags = read_tsv(&out.join("flags.tsv"));
    let (patients, analytes) = (column(&flags, "patient"), column(&flags, "analyte"));
    let flag_of = |p: &str, a: &str| {
        let k = (0..patients.len())
            .find(|&k| patients[k] == p && analytes[k] == a)
            .unwrap();
        column(&flags, "flag")[k].clone()
    };
    // Planted: critical potassium, calcium on its upper limit, missing value.
    assert_eq!(flag_of("P05", "potassium"), "LL");
    assert_eq!(flag_of("P08", "calcium"), "N");
    assert_eq!(flag_of("P10", "creatinine"), "NA");
    // Recount each flag straight from the input files.
    let limits = read_csv(&example.join("limits.csv"));
    let panel = read_csv(&example.join("panel.csv"));
    let limit = |a: &str, c: &str| -> Option<f64> {
        let row = limits[1..].iter().find(|r| r[0] == a).unwrap();
        let k = limits[0].iter().position(|h| h == c).unwrap();
        row[k].parse().ok()
    };
    let mut expected = Vec::new();
    for row in &panel[1..] {
        let (a, v) = (&row[1], row[2].parse::<f64>().ok());
        let flag = match v {
            None => "NA",
            Some(v) if limit(a, "critical_low").is_some_and(|l| v < l) => "LL",
            Some(v) if limit(a, "critical_high").is_some_and(|l| v > l) => "HH",
            Some(v) if limit(a, "low").is_some_and(|l| v < l) => "L",
            Some(v) if limit(a, "high").is_some_and(|l| v > l) => "H",
            Some(_) => "N",
        };
        expected.push(flag.to_string());
    }
    assert_eq!(column(&flags, "flag"), expected);
    let summary = read_tsv(&out.join("flag_summary.tsv"));
    let n: usize = column(&summary, "n")
        .iter()
        .map(|x| x.parse::<usize>().unwrap())
        .sum();
    assert_eq!(n, panel.len() - 1);
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

fn assert_fails(name: &str, data: &str, limits: &str, extra: &[&str], needles: &[&str]) {
    let dir = common::scratch(&format!("flags-bad-{name}"));
    let (output, out) = run_in(&dir, data, limits, extra);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "{name}: {needle:?} not in:\n{stderr}"
        );
    }
    assert!(!out.exists(), "{name}: output folder left behind");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        2,
        "{name}: only the two inputs may remain"
    );
}

const DATA: &str = "patient,analyte,value,unit\nP1,potassium,4.1,mmol/L\nP1,crp,7.5,mg/L\n";

#[test]
fn non_numeric_value_names_line_and_column() {
    assert_fails(
        "non-numeric",
        &DATA.replace("7.5", "<0.5"),
        LIMITS,
        &[],
        &["data.csv line 3, column value: \"<0.5\" is not a number"],
    );
}

#[test]
fn unknown_analyte_names_line_unless_allowed() {
    let data = format!("{DATA}P1,sodium,140,mmol/L\n");
    assert_fails(
        "unknown-analyte",
        &data,
        LIMITS,
        &[],
        &["data.csv line 4: analyte 'sodium' has no reference interval (known: potassium, crp, hemoglobin)"],
    );
    let dir = common::scratch("flags-unknown-allowed");
    let (output, out) = run_in(&dir, &data, LIMITS, &["--allow-unknown-analytes"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let flags = read_tsv(&out.join("flags.tsv"));
    assert_eq!(column(&flags, "flag"), ["N", "H", "NA"]);
    assert_eq!(
        column(&flags, "flag_note")[2],
        "no reference interval for this analyte"
    );
    let summary = read_tsv(&out.join("flag_summary.tsv"));
    assert_eq!(column(&summary, "analyte"), ["potassium", "crp", "sodium"]);
}

#[test]
fn unit_mismatch_names_line() {
    assert_fails(
        "unit-mismatch",
        &DATA.replace("4.1,mmol/L", "16,mg/dL"),
        LIMITS,
        &["--unit", "unit"],
        &["data.csv line 2: analyte 'potassium' is reported in 'mg/dL' but its reference interval is in 'mmol/L'"],
    );
    assert_fails(
        "unit-case",
        &DATA.replace("7.5,mg/L", "7.5,mg/l"),
        LIMITS,
        &["--unit", "unit"],
        &["data.csv line 3", "differ only in letter case"],
    );
}

#[test]
fn missing_analyte_names_line() {
    assert_fails(
        "missing-analyte",
        &DATA.replace("P1,crp", "P1,"),
        LIMITS,
        &[],
        &["data.csv line 3, column analyte", "needs an analyte"],
    );
}

#[test]
fn bad_limits_name_the_limits_line() {
    assert_fails(
        "critical-inside",
        DATA,
        &LIMITS.replace("2.5,6.5", "3.6,6.5"),
        &[],
        &["limits.csv line 2: analyte 'potassium': the critical low limit 3.6 is above the low limit 3.5"],
    );
    assert_fails(
        "no-limits",
        DATA,
        &LIMITS.replace("crp,,5,", "crp,,,"),
        &[],
        &["limits.csv line 3: analyte 'crp' has neither a low nor a high limit"],
    );
    assert_fails(
        "both-names",
        DATA,
        "analyte,low,lower,high\npotassium,3.5,3.5,5.1\n",
        &[],
        &["limits.csv: has both columns low and lower"],
    );
    assert_fails(
        "no-key",
        DATA,
        "test,low,high\npotassium,3.5,5.1\n",
        &[],
        &["limits.csv: no `analyte` (or `assay`) column; the file has: test, low, high"],
    );
}

#[test]
fn output_column_clash_is_an_error() {
    assert_fails(
        "column-clash",
        &DATA.replace("unit\n", "flag\n"),
        LIMITS,
        &[],
        &["data.csv: has a column named 'flag', which the output adds"],
    );
}
