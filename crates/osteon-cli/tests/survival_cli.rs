//! `osteon survival` end to end: every table compared with R survival 3.5.3
//! and cmprsk 2.2.11 (goldens made by
//! `tests/golden/survival/make_goldens.R`), and each kind of bad input.

mod common;

use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    common::manifest_dir().join("../..")
}

fn golden(case: &str) -> PathBuf {
    common::manifest_dir()
        .join("tests/golden/survival")
        .join(case)
}

/// The osteon command line of each golden case (paths from the repo root);
/// the R calls are in make_goldens.R under the same case name.
const CASES: &[(&str, &str)] = &[
    (
        "mgus2_death",
        "--data examples/survival/mgus2.csv --time futime --status death --group sex --covariates age,sex,hgb",
    ),
    (
        "mgus2_pcm",
        "--data examples/survival/mgus2.csv --time etime --status event --status-codes 0,1,2 --cause 1 --group sex --covariates age,sex,mspike --conf-type log",
    ),
    (
        "myeloid",
        "--data examples/survival/myeloid.csv --time futime --status death --group trt --covariates trt --strata sex --rho 1 --conf-type plain",
    ),
    (
        "myeloid_relapse",
        "--data examples/survival/myeloid.csv --time rtime --status rstat --status-codes 0,1,2 --cause 1 --group trt --covariates trt,sex --ties breslow",
    ),
    (
        "tiny",
        "--data crates/osteon-cli/tests/golden/survival/tiny.csv --time time --status status --group g --factor g --covariates x,g --trend --conf-type arcsin",
    ),
    (
        "tiny_cr",
        "--data crates/osteon-cli/tests/golden/survival/tiny.csv --time time --status cs --cause 2 --covariates x",
    ),
];

/// The relative tolerance of the golden comparison. Every algorithm is
/// replicated operation by operation, so agreement is at rounding level
/// (the worst cell over all cases is reported by the test).
const TOLERANCE: f64 = 1e-10;

fn run_case(case: &str, args: &str, out: &Path) {
    let mut cmd = common::osteon();
    cmd.current_dir(repo_root()).arg("survival").arg("--quiet");
    cmd.args(common::shell_words(args));
    cmd.arg("--out").arg(out);
    let output = cmd.output().expect("run osteon");
    assert!(
        output.status.success(),
        "{case}: osteon failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

use common::read_tsv_cells as read_tsv;

fn parse_cell(text: &str) -> Option<f64> {
    match text {
        "NA" | "NaN" => Some(f64::NAN),
        "Inf" => Some(f64::INFINITY),
        "-Inf" => Some(f64::NEG_INFINITY),
        _ => text.parse().ok(),
    }
}

/// Compares one table cell by cell; returns the worst relative difference.
fn compare_table(case: &str, file: &str, reference: &Path, ours: &Path) -> f64 {
    let r = read_tsv(reference);
    let o = read_tsv(ours);
    assert_eq!(r[0], o[0], "{case}/{file}: header differs");
    assert_eq!(r.len(), o.len(), "{case}/{file}: row count differs");
    let mut worst = 0.0f64;
    for (line, (rr, oo)) in r.iter().zip(&o).enumerate().skip(1) {
        assert_eq!(rr.len(), oo.len(), "{case}/{file} line {}", line + 1);
        for (col, (a, b)) in rr.iter().zip(oo).enumerate() {
            let name = &r[0][col];
            match (parse_cell(a), parse_cell(b)) {
                (Some(x), Some(y)) => {
                    if x.is_nan() || y.is_nan() {
                        assert!(
                            x.is_nan() && y.is_nan(),
                            "{case}/{file} line {} {name}: R {a}, osteon {b}",
                            line + 1
                        );
                        continue;
                    }
                    let d = if x == y {
                        0.0
                    } else {
                        (x - y).abs() / x.abs().max(1e-300)
                    };
                    // Values that are zero in exact arithmetic may come out
                    // as ±1e-17 from either side.
                    let tiny = x.abs() < 1e-14 && y.abs() < 1e-14;
                    assert!(
                        d <= TOLERANCE || tiny,
                        "{case}/{file} line {} {name}: R {a}, osteon {b} (rel. diff {d:e})",
                        line + 1
                    );
                    if !tiny {
                        worst = worst.max(d);
                    }
                }
                _ => assert_eq!(a, b, "{case}/{file} line {} {name}", line + 1),
            }
        }
    }
    worst
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tsv"))
        .collect();
    v.sort();
    v
}

#[test]
fn golden_cases_match_r_survival_and_cmprsk() {
    let scratch = common::scratch("survival-golden");
    let mut report = String::new();
    for (case, args) in CASES {
        let out = scratch.join(case);
        run_case(case, args, &out);
        let expected = files_in(&golden(case));
        assert_eq!(files_in(&out), expected, "{case}: set of tables");
        for file in &expected {
            let worst = compare_table(case, file, &golden(case).join(file), &out.join(file));
            report.push_str(&format!("{case}/{file}: worst rel. diff {worst:e}\n"));
        }
    }
    eprint!("{report}");
}

#[test]
fn run_json_records_rows_notes_and_convergence() {
    let out = common::scratch("survival-manifest").join("out");
    run_case("mgus2_death", CASES[0].1, &out);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(manifest["command"], "survival");
    assert_eq!(manifest["rows"]["input"], 1384);
    assert_eq!(manifest["rows"]["kaplan_meier"], 1384);
    // coxph drops the 13 rows without hgb.
    assert_eq!(manifest["cox"]["rows"], 1371);
    assert_eq!(manifest["cox"]["converged"], true);
    let notes = manifest["notes"].to_string();
    assert!(notes.contains("13 of 1384 rows left out"), "{notes}");
    assert_eq!(
        manifest["inputs"]["data"]["sha256"].as_str().unwrap().len(),
        64
    );
}

fn write_input(name: &str, text: &str) -> (PathBuf, PathBuf) {
    let dir = common::scratch(name);
    let data = dir.join("data.csv");
    std::fs::write(&data, text).unwrap();
    (data, dir.join("out"))
}

/// Runs osteon survival expecting failure; returns stderr.
fn fails(data: &Path, out: &Path, extra: &str) -> String {
    let mut cmd = common::osteon();
    cmd.arg("survival")
        .arg("--data")
        .arg(data)
        .arg("--out")
        .arg(out);
    cmd.args(common::shell_words(extra));
    let output = cmd.output().expect("run osteon");
    assert_eq!(
        output.status.code(),
        Some(2),
        "expected failure for {extra}"
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const GOOD: &str = "id,time,status,arm,age\n1,5,1,A,60\n2,8,0,A,71\n3,3,1,B,55\n4,9,1,B,66\n5,2,0,A,70\n6,4,1,B,59\n";

#[test]
fn non_numeric_time_names_line_column_and_value() {
    let (data, out) = write_input("surv-bad-time", &GOOD.replace("4,9,1,B", "4,9 months,1,B"));
    let err = fails(&data, &out, "--time time --status status");
    assert!(
        err.contains("line 5") && err.contains("time") && err.contains("9 months"),
        "{err}"
    );
    assert!(!out.exists(), "no output folder after a failure");
}

#[test]
fn negative_time_names_the_line() {
    let (data, out) = write_input("surv-neg-time", &GOOD.replace("3,3,1,B", "3,-3,1,B"));
    let err = fails(&data, &out, "--time time --status status");
    assert!(err.contains("line 4") && err.contains("negative"), "{err}");
    assert!(!out.exists());
}

#[test]
fn status_outside_declared_codes_names_the_line() {
    let (data, out) = write_input("surv-bad-status", &GOOD.replace("6,4,1,B", "6,4,2,B"));
    let err = fails(&data, &out, "--time time --status status");
    assert!(
        err.contains("line 7") && err.contains("\"2\"") && err.contains("0, 1"),
        "{err}"
    );
    let err = fails(
        &data,
        &out,
        "--time time --status status --status-codes 1,2",
    );
    assert!(err.contains("line 3") && err.contains("\"0\""), "{err}");
    assert!(!out.exists());
}

#[test]
fn several_event_codes_need_a_cause() {
    let (data, out) = write_input("surv-cause", &GOOD.replace("6,4,1,B", "6,4,2,B"));
    let err = fails(
        &data,
        &out,
        "--time time --status status --status-codes 0,1,2",
    );
    assert!(err.contains("--cause"), "{err}");
    let err = fails(&data, &out, "--time time --status status --cause 3");
    assert!(err.contains("--cause 3") && err.contains("1, 2"), "{err}");
}

#[test]
fn text_in_a_numeric_covariate_names_the_line() {
    let (data, out) = write_input("surv-bad-cov", &GOOD.replace("B,66", "B,sixty"));
    let err = fails(&data, &out, "--time time --status status --covariates age");
    assert!(
        err.contains("line 5") && err.contains("age") && err.contains("sixty"),
        "{err}"
    );
}

#[test]
fn unknown_columns_and_bad_options_are_reported() {
    let (data, out) = write_input("surv-bad-col", GOOD);
    let err = fails(&data, &out, "--time days --status status");
    assert!(
        err.contains("days") && err.contains("id, time, status, arm, age"),
        "{err}"
    );
    let err = fails(&data, &out, "--time time --status status --conf-level 95");
    assert!(err.contains("--conf-level"), "{err}");
    let err = fails(&data, &out, "--time time --status status --factor arm");
    assert!(err.contains("--factor arm"), "{err}");
}

#[test]
fn failed_run_keeps_earlier_results() {
    let (data, out) = write_input("surv-keep", GOOD);
    let mut cmd = common::osteon();
    cmd.args([
        "survival", "--quiet", "--time", "time", "--status", "status",
    ])
    .arg("--data")
    .arg(&data)
    .arg("--out")
    .arg(&out);
    common::run_ok(&mut cmd);
    let before = std::fs::read_to_string(out.join("km.tsv")).unwrap();
    std::fs::write(&data, GOOD.replace("3,3,1,B", "3,-3,1,B")).unwrap();
    fails(&data, &out, "--time time --status status");
    assert_eq!(std::fs::read_to_string(out.join("km.tsv")).unwrap(), before);
}

#[test]
fn missing_values_leave_rows_out_with_a_note_and_one_group_skips_the_test() {
    let text = "id,time,status,arm\n1,5,1,A\n2,NA,0,A\n3,3,1,A\n4,9,,A\n5,2,0,A\n";
    let (data, out) = write_input("surv-missing", text);
    let mut cmd = common::osteon();
    cmd.args([
        "survival", "--quiet", "--time", "time", "--status", "status", "--group", "arm",
    ])
    .arg("--data")
    .arg(&data)
    .arg("--out")
    .arg(&out);
    common::run_ok(&mut cmd);
    let km = std::fs::read_to_string(out.join("km.tsv")).unwrap();
    // Rows 2 and 4 (lines 3 and 5) are left out: 3 rows remain.
    assert_eq!(
        km.lines().nth(1).unwrap(),
        "arm=A\t2\t3\t0\t1\t1\t0\tNA\tNA"
    );
    assert!(!out.join("logrank.tsv").exists());
    let manifest = std::fs::read_to_string(out.join("run.json")).unwrap();
    assert!(manifest.contains("lines 3, 5"), "{manifest}");
    assert!(manifest.contains("single group"), "{manifest}");
}
