//! End-to-end tests of `osteon compare`: every golden case made by
//! `tests/golden/compare/make_golden.R` (R 4.2.2) is run through the binary
//! and each reference cell is compared at its tolerance (1e-9 relative by
//! default); bad input gets a non-zero exit, a message naming the
//! row/column/group, and no output folder.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn golden() -> PathBuf {
    common::manifest_dir().join("tests/golden/compare")
}

/// A TSV file as rows of named text cells.
fn read_rows(path: &Path) -> Vec<HashMap<String, String>> {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            header
                .iter()
                .zip(l.split('\t'))
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn number(text: &str) -> Option<f64> {
    match text {
        "Inf" => Some(f64::INFINITY),
        "-Inf" => Some(f64::NEG_INFINITY),
        _ => text.parse().ok(),
    }
}

/// Picks the row of an output table a reference key refers to.
type RowFilter<'a> = Box<dyn Fn(&HashMap<String, String>) -> bool + 'a>;

/// The osteon output cell a reference key names (see make_golden.R).
fn lookup(out: &Path, key: &str) -> Option<String> {
    let (kind, rest) = key.split_once('.')?;
    let (selector, column) = rest.rsplit_once('.')?;
    let (file, matches): (&str, RowFilter<'_>) = match kind {
        "tests" => ("tests.tsv", Box::new(move |r| r["test"] == selector)),
        "desc" => (
            "descriptives.tsv",
            Box::new(move |r| r["group"] == selector),
        ),
        "prop" => ("proportions.tsv", Box::new(move |r| r["group"] == selector)),
        "posthoc" => {
            let (method, pair) = selector.split_once('.')?;
            let (g1, g2) = pair.split_once('|')?;
            let (method, g1, g2) = (method.to_string(), g1.to_string(), g2.to_string());
            (
                "posthoc.tsv",
                Box::new(move |r| r["method"] == method && r["group1"] == g1 && r["group2"] == g2),
            )
        }
        "table" => {
            let (g, l) = selector.split_once('|')?;
            let (g, l) = (g.to_string(), l.to_string());
            (
                "contingency.tsv",
                Box::new(move |r| r["group"] == g && r["level"] == l),
            )
        }
        _ => return None,
    };
    let rows = read_rows(&out.join(file));
    let row = rows.iter().find(|r| matches(r))?;
    row.get(column).cloned()
}

fn run_compare(data: &Path, args: &str, out: &Path) -> std::process::Output {
    let mut cmd = common::osteon();
    cmd.arg("compare").arg("--data").arg(data);
    cmd.args(common::shell_words(args));
    cmd.arg("--out").arg(out).arg("--quiet");
    cmd.output().expect("run osteon")
}

#[test]
fn golden_cases_match_r() {
    let dir = golden();
    let scratch = common::scratch("compare-golden");
    let mut failures = Vec::new();
    let mut checked = 0usize;
    let mut identical = 0usize;
    let mut worst = (String::new(), 0.0f64);
    for case in read_rows(&dir.join("cases.tsv")) {
        let name = &case["case"];
        let out = scratch.join(name);
        let output = run_compare(&dir.join(&case["data"]), &case["args"], &out);
        assert!(
            output.status.success(),
            "{name}: osteon failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(out.join("run.json").is_file(), "{name}: no run.json");
        for reference in read_rows(&dir.join(format!("{name}.ref.tsv"))) {
            let key = &reference["key"];
            let want = &reference["value"];
            let tol: f64 = reference["tol"].parse().expect("tolerance");
            checked += 1;
            let Some(got) = lookup(&out, key) else {
                failures.push(format!("{name} {key}: missing from osteon output"));
                continue;
            };
            if want == "NA" {
                if got != "NA" {
                    failures.push(format!("{name} {key}: want NA, got {got}"));
                }
                continue;
            }
            match (number(want), number(&got)) {
                (Some(w), Some(g)) => {
                    let rel = if w == g {
                        0.0
                    } else if w == 0.0 {
                        g.abs()
                    } else {
                        (g - w).abs() / w.abs()
                    };
                    if w == g {
                        identical += 1;
                    }
                    if rel > worst.1 {
                        worst = (format!("{name} {key}"), rel);
                    }
                    if rel.is_nan() || rel > tol {
                        failures.push(format!(
                            "{name} {key}: want {want}, got {got} (rel {rel:e} > {tol:e})"
                        ));
                    }
                }
                _ => {
                    if want != &got {
                        failures.push(format!("{name} {key}: want {want:?}, got {got:?}"));
                    }
                }
            }
        }
    }
    eprintln!(
        "compared {checked} reference values, {identical} numbers identical to R's 17 digits; worst relative difference {worst:?}"
    );
    assert!(checked > 300, "only {checked} reference values");
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let _ = std::fs::remove_dir_all(&scratch);
}

#[test]
fn one_member_group_row_says_why_under_auto() {
    let scratch = common::scratch("compare-one-member");
    let out = scratch.join("out");
    let output = run_compare(
        &golden().join("one_member.csv"),
        "--value value --group group --groups A,B",
        &out,
    );
    assert!(output.status.success());
    let rows = read_rows(&out.join("tests.tsv"));
    let welch = rows
        .iter()
        .find(|r| r["test"] == "welch")
        .expect("welch row");
    assert_eq!(welch["pvalue"], "NA");
    assert_eq!(welch["statistic"], "NA");
    assert!(
        welch["note"].contains("not computed: group B has 1 value(s); the test needs at least 2"),
        "{}",
        welch["note"]
    );
    let _ = std::fs::remove_dir_all(&scratch);
}

/// Runs a command expected to fail; checks exit code 2, that stderr
/// mentions every `needles`, and that no output folder was left.
fn assert_fails(data: &Path, args: &str, needles: &[&str], scratch: &Path) {
    let out = scratch.join("out");
    let output = run_compare(data, args, &out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args}: {stderr}");
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "{args}: {needle:?} not in {stderr}"
        );
    }
    assert!(!out.exists(), "{args}: output folder left behind");
    let leftovers: Vec<_> = std::fs::read_dir(scratch)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".out"))
        .collect();
    assert!(leftovers.is_empty(), "{args}: temporary folder left behind");
}

fn write(scratch: &Path, name: &str, text: &str) -> PathBuf {
    let path = scratch.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn non_numeric_value_names_line_column_and_text() {
    let scratch = common::scratch("compare-non-numeric");
    let data = write(
        &scratch,
        "vegf.csv",
        "sample,group,vegf\nP1,POEMS,512\nP2,POEMS,n/a\nH1,healthy,120\nH2,healthy,98\n",
    );
    assert_fails(
        &data,
        "--value vegf --group group",
        &["line 3", "vegf", "n/a", "not a number"],
        &scratch,
    );
    // rows of groups left out by --groups are not read
    let data = write(
        &scratch,
        "other.csv",
        "group,v\nA,1\nA,2\nB,2\nB,3\nC,pending\n",
    );
    let output = run_compare(
        &data,
        "--value v --group group --groups A,B",
        &scratch.join("ok"),
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let data = write(&scratch, "inf.csv", "group,v\nA,1\nA,Inf\nB,2\nB,3\n");
    assert_fails(
        &data,
        "--value v --group group",
        &["line 3", "infinite"],
        &scratch,
    );
}

#[test]
fn a_named_test_refuses_a_group_with_one_member() {
    let scratch = common::scratch("compare-too-small");
    assert_fails(
        &golden().join("one_member.csv"),
        "--value value --group group --test welch",
        &["welch cannot be computed", "group B has 1 value"],
        &scratch,
    );
}

#[test]
fn a_single_group_is_an_error() {
    let scratch = common::scratch("compare-single");
    let data = write(&scratch, "one.csv", "group,v\nA,1\nA,2\nB,\n");
    assert_fails(
        &data,
        "--value v --group group",
        &["group B has no values"],
        &scratch,
    );
    let data = write(&scratch, "only.csv", "group,v\nA,1\nA,2\nA,3\n");
    assert_fails(
        &data,
        "--value v --group group",
        &["only one group (A)"],
        &scratch,
    );
    let data = write(&scratch, "cat.csv", "group,sre\nA,yes\nA,no\n");
    assert_fails(
        &data,
        "--outcome sre --group group",
        &["only one group (A)"],
        &scratch,
    );
}

#[test]
fn unknown_columns_groups_and_levels_are_errors() {
    let scratch = common::scratch("compare-unknown");
    let data = golden().join("n3_vs_9.csv");
    assert_fails(
        &data,
        "--value vegf --group group",
        &["vegf", "sample, group, value"],
        &scratch,
    );
    assert_fails(&data, "--value value --group arm", &["arm"], &scratch);
    assert_fails(
        &data,
        "--value value --group group --groups A,C",
        &["group \"C\" does not occur", "groups: A, B"],
        &scratch,
    );
    assert_fails(
        &golden().join("three_groups.csv"),
        "--value value --group group --test t",
        &["welch compares two groups", "ctrl, high, low"],
        &scratch,
    );
    assert_fails(
        &golden().join("sre_2x2.csv"),
        "--outcome outcome --group group --event maybe",
        &["event level \"maybe\"", "levels: no, yes"],
        &scratch,
    );
    assert_fails(
        &data,
        "--value value --group group --test ttest",
        &["unknown test \"ttest\""],
        &scratch,
    );
}

#[test]
fn output_is_deterministic() {
    let scratch = common::scratch("compare-deterministic");
    let data = golden().join("three_groups.csv");
    let (a, b) = (scratch.join("a"), scratch.join("b"));
    for out in [&a, &b] {
        assert!(run_compare(&data, "--value value --group group", out)
            .status
            .success());
    }
    for file in ["tests.tsv", "descriptives.tsv", "posthoc.tsv"] {
        assert_eq!(
            std::fs::read(a.join(file)).unwrap(),
            std::fs::read(b.join(file)).unwrap(),
            "{file}"
        );
    }
    let _ = std::fs::remove_dir_all(&scratch);
}
