//! `osteon elisa` end to end: 4PL/5PL fits against `scipy.optimize.curve_fit`
//! goldens (`tests/golden/elisa/`, made by `make_goldens.py` there), the VEGF
//! example in both input formats, flags, and every bad-input case (non-zero
//! exit, a message naming the well or line, no output folder left behind).

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use common::{osteon, run_ok, scratch, shell_words};

/// The bar of issue 5 is 1e-6 relative; the port of MINPACK's `lmder`
/// achieves ~1e-11, so a tighter bar guards against regressions.
const TOLERANCE: f64 = 1e-8;

fn golden() -> PathBuf {
    common::manifest_dir().join("tests/golden/elisa")
}

fn example() -> PathBuf {
    common::manifest_dir().join("../../examples/elisa")
}

use common::read_tsv_records as read_tsv;

fn number(row: &HashMap<String, String>, column: &str) -> f64 {
    match row[column].as_str() {
        "NA" => f64::NAN,
        v => v
            .parse()
            .unwrap_or_else(|_| panic!("{column}: {v} is not a number")),
    }
}

fn relative(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else {
        (a - b).abs() / b.abs()
    }
}

#[test]
fn curve_fits_match_scipy_curve_fit() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(golden())
        .expect("golden folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("scipy.tsv").is_file())
        .collect();
    cases.sort();
    assert!(cases.len() >= 9, "golden cases missing");
    let mut report = String::new();
    let mut failed = false;
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let out = scratch(&format!("elisa-golden-{name}"));
        let args = std::fs::read_to_string(case.join("args.txt")).expect("args.txt");
        run_ok(
            osteon()
                .current_dir(case)
                .arg("elisa")
                .args(shell_words(&args))
                .arg("--quiet")
                .arg("--out")
                .arg(out.join("result")),
        );
        let curve = &read_tsv(&out.join("result/curve.tsv"))[0];
        assert_eq!(curve["converged"], "TRUE", "{name}");
        let (mut worst_p, mut worst_se) = (0.0f64, 0.0f64);
        for reference in read_tsv(&case.join("scipy.tsv")) {
            let p = &reference["parameter"];
            worst_p = worst_p.max(relative(number(curve, p), number(&reference, "estimate")));
            worst_se = worst_se.max(relative(
                number(curve, &format!("{p}_se")),
                number(&reference, "std_error"),
            ));
        }
        report.push_str(&format!(
            "{name}: parameters within {worst_p:.1e}, standard errors within {worst_se:.1e}\n"
        ));
        failed |= !(worst_p <= TOLERANCE && worst_se <= TOLERANCE);
    }
    eprint!("{report}");
    assert!(!failed, "disagreement with scipy:\n{report}");
}

fn run_example(out: &Path, input: &[&str], extra: &[&str]) {
    run_ok(
        osteon()
            .current_dir(example())
            .arg("elisa")
            .args(input)
            .args(extra)
            .arg("--quiet")
            .arg("--out")
            .arg(out),
    );
}

#[test]
fn example_plate_flags_and_layout_grids_agree_with_the_plate_table() {
    let out = scratch("elisa-example");
    run_example(
        &out.join("plate"),
        &["--plate", "plate.csv"],
        &["--weighting", "1/y2"],
    );
    run_example(
        &out.join("grid"),
        &["--layout", "layout.csv", "--readings", "readings.csv"],
        &["--weighting", "1/y2"],
    );
    let from_plate = read_tsv(&out.join("plate/samples.tsv"));
    let from_grid = read_tsv(&out.join("grid/samples.tsv"));
    assert_eq!(from_plate.len(), 26);
    assert_eq!(from_plate, from_grid);
    let by_id: HashMap<&str, &HashMap<String, String>> = from_plate
        .iter()
        .map(|r| (r["sample"].as_str(), r))
        .collect();
    assert_eq!(by_id["POEMS-04"]["flag"], ">ULOQ");
    assert!(number(by_id["POEMS-04"], "concentration") > 4000.0);
    assert_eq!(by_id["POEMS-07"]["flag"], "extrapolated");
    assert_eq!(by_id["POEMS-07"]["concentration"], "NA");
    assert!(by_id["POEMS-07"]["reason"].contains("high-concentration asymptote"));
    assert_eq!(by_id["HC-06"]["flag"], "<LLOQ");
    assert_eq!(by_id["HC-01"]["flag"], "ok");
    // Concentration = in-well concentration × dilution 2.
    let hc1 = by_id["HC-01"];
    assert_eq!(
        number(hc1, "concentration"),
        2.0 * number(hc1, "in_well_concentration")
    );
    assert_eq!(by_id["QC-high"]["type"], "QC");
    assert!((number(by_id["QC-high"], "recovery_percent") - 100.0).abs() < 15.0);
    let standards = read_tsv(&out.join("plate/standards.tsv"));
    assert_eq!(standards.len(), 8);
    assert_eq!(standards[0]["wells"], "H1,H2");
    let wells = read_tsv(&out.join("plate/standard_wells.tsv"));
    assert_eq!(wells.len(), 16);
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("plate/run.json")).unwrap())
            .unwrap();
    assert_eq!(run["command"], "elisa");
    assert_eq!(run["parameters"]["weighting"], "1/y2");
}

/// Runs a failing command; checks exit code 2, that stderr contains every
/// `needle`, and that no output folder was left.
fn assert_fails(case: &str, args: &[&str], dir: &Path, needles: &[&str]) {
    let out = dir.join(format!("out-{case}"));
    let result = osteon()
        .current_dir(dir)
        .arg("elisa")
        .args(args)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run osteon");
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(2), "{case}: {stderr}");
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "{case}: {needle:?} not in {stderr}"
        );
    }
    assert!(!out.exists(), "{case}: output folder left behind");
}

const PLATE_HEADER: &str = "well,type,sample,concentration,dilution,signal\n";

fn standards(levels: &[(f64, f64)]) -> String {
    let mut text = String::from(PLATE_HEADER);
    text.push_str("H12,blank,,,,0.05\n");
    for (i, (conc, signal)) in levels.iter().enumerate() {
        text.push_str(&format!("A{},standard,,{conc},,{signal}\n", i + 1));
        text.push_str(&format!("B{},standard,,{conc},,{}\n", i + 1, signal * 1.02));
    }
    text
}

#[test]
fn bad_plates_fail_naming_the_well_or_line() {
    let dir = scratch("elisa-bad");
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();

    write(
        "three.csv",
        &standards(&[(10.0, 0.2), (100.0, 0.9), (1000.0, 2.5)]),
    );
    assert_fails(
        "three-standards",
        &["--plate", "three.csv"],
        &dir,
        &[
            "three.csv",
            "at least 4 distinct standard concentrations; the plate has 3 (10, 100, 1000)",
            "A1, B1, A2, B2, A3, B3",
        ],
    );
    write(
        "four.csv",
        &standards(&[(10.0, 0.2), (100.0, 0.9), (1000.0, 2.5), (5000.0, 3.0)]),
    );
    assert_fails(
        "5pl-four-standards",
        &["--plate", "four.csv", "--model", "5pl"],
        &dir,
        &["5PL fit needs at least 5"],
    );
    write(
        "badtype.csv",
        &(standards(&[(10.0, 0.2), (100.0, 0.9), (1000.0, 2.5), (5000.0, 3.0)])
            + "C1,unkown,P01,,2,1.0\n"),
    );
    assert_fails(
        "unknown-type",
        &["--plate", "badtype.csv"],
        &dir,
        &[
            "badtype.csv line 11, column type",
            "\"unkown\" is not a well type",
        ],
    );
    write(
        "nosignal.csv",
        &(standards(&[(10.0, 0.2), (100.0, 0.9), (1000.0, 2.5), (5000.0, 3.0)])
            + "C1,sample,P01,,2,\n"),
    );
    assert_fails(
        "missing-signal",
        &["--plate", "nosignal.csv"],
        &dir,
        &[
            "nosignal.csv line 11, column signal",
            "well C1 needs a signal",
        ],
    );
    write(
        "textsignal.csv",
        &(standards(&[(10.0, 0.2), (100.0, 0.9), (1000.0, 2.5), (5000.0, 3.0)])
            + "C1,sample,P01,,2,OVRFLW\n"),
    );
    assert_fails(
        "text-signal",
        &["--plate", "textsignal.csv"],
        &dir,
        &["line 11, column signal: \"OVRFLW\" is not a number"],
    );
    write(
        "noid.csv",
        &(standards(&[(10.0, 0.2), (100.0, 0.9), (1000.0, 2.5), (5000.0, 3.0)])
            + "C1,sample,,,2,1.0\n"),
    );
    assert_fails(
        "missing-sample-id",
        &["--plate", "noid.csv"],
        &dir,
        &["well C1: sample well without a sample id"],
    );
    // The blank above the lowest standard: a negative corrected signal
    // cannot be weighted 1/Y².
    write(
        "highblank.csv",
        &standards(&[(10.0, 0.04), (100.0, 0.9), (1000.0, 2.5), (5000.0, 3.0)]),
    );
    assert_fails(
        "weighted-negative",
        &["--plate", "highblank.csv", "--weighting", "1/y2"],
        &dir,
        &["well A1", "cannot be weighted 1/Y²"],
    );
    write(
        "layout.csv",
        ",1,2\nA,std:10,std:100\nB,std:1000,std:5000\nC,blank,P01@x\n",
    );
    write("readings.csv", ",1,2\nA,0.2,0.9\nB,2.5,3.0\nC,0.05,1.0\n");
    assert_fails(
        "bad-layout-cell",
        &["--layout", "layout.csv", "--readings", "readings.csv"],
        &dir,
        &[
            "layout.csv line 4, column 2",
            "(well C2) is not a layout entry",
        ],
    );
    write(
        "layout2.csv",
        ",1,2\nA,std:10,std:100\nB,std:1000,std:5000\nC,blank,P01\n",
    );
    write("readings2.csv", ",1,2\nA,0.2,0.9\nB,2.5,3.0\nC,0.05,\n");
    assert_fails(
        "missing-reading",
        &["--layout", "layout2.csv", "--readings", "readings2.csv"],
        &dir,
        &["readings2.csv line 4, column 2", "(well C2) is empty"],
    );
}

#[test]
fn non_converging_fit_writes_no_concentrations_and_says_why() {
    let dir = scratch("elisa-noconv");
    let out = dir.join("out");
    let result = osteon()
        .current_dir(example())
        .args(["elisa", "--plate", "plate.csv", "--max-evaluations", "3"])
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run osteon");
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "{stderr}");
    assert!(stderr.contains("did not converge"), "{stderr}");
    let curve = &read_tsv(&out.join("curve.tsv"))[0];
    assert_eq!(curve["converged"], "FALSE");
    assert_eq!(curve["minpack_info"], "5");
    assert!(curve["message"].contains("did not converge"));
    for sample in read_tsv(&out.join("samples.tsv")) {
        assert_eq!(sample["flag"], "no_curve");
        assert_eq!(sample["concentration"], "NA");
        assert!(sample["reason"].contains("did not converge"));
    }
}
