//! Parameter recovery from simulated plates (noiseless to 1e-8, noisy within
//! four standard errors), flags, limits of quantification and every error.
//! Agreement with scipy's `curve_fit` is tested end to end in
//! `crates/osteon-cli/tests/elisa_cli.rs` against committed goldens.

use super::*;
use osteon_stats::rng::RRng;

const STANDARDS: [f64; 8] = [15.625, 31.25, 62.5, 125.0, 250.0, 500.0, 1000.0, 2000.0];

fn standard(well: &str, conc: f64, signal: f64) -> Well {
    Well {
        well: well.into(),
        kind: WellType::Standard,
        sample: None,
        concentration: Some(conc),
        dilution: 1.0,
        signal,
    }
}

fn unknown(well: &str, kind: WellType, id: &str, dilution: f64, signal: f64) -> Well {
    Well {
        well: well.into(),
        kind,
        sample: Some(id.into()),
        concentration: None,
        dilution,
        signal,
    }
}

fn blank(well: &str, signal: f64) -> Well {
    Well {
        well: well.into(),
        kind: WellType::Blank,
        sample: None,
        concentration: None,
        dilution: 1.0,
        signal,
    }
}

/// Duplicate standards from `truth` (+ `blank_level` in every well), two
/// blanks, with relative noise `cv` drawn from R's RNG.
fn plate(truth: &[f64], blank_level: f64, cv: f64, seed: u32) -> Vec<Well> {
    let mut rng = RRng::from_seed(seed);
    let mut wells = vec![blank("H11", blank_level), blank("H12", blank_level)];
    for (i, &conc) in STANDARDS.iter().enumerate() {
        for rep in 0..2 {
            let mean = logistic(conc, truth);
            let noise = if cv > 0.0 {
                rng.rnorm(0.0, cv * mean)
            } else {
                0.0
            };
            wells.push(standard(
                &format!("{}{}", ['A', 'B'][rep], i + 1),
                conc,
                mean + noise + blank_level,
            ));
        }
    }
    wells
}

fn assert_relative(actual: &[f64], expected: &[f64], tol: f64) {
    for (k, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert!(
            ((a - e) / e).abs() <= tol,
            "parameter {k}: {a} vs {e} (rel {:e})",
            ((a - e) / e).abs()
        );
    }
}

#[test]
fn noiseless_4pl_plate_recovers_parameters() {
    let truth = [0.06, 1.15, 310.0, 2.9];
    for weighting in [Weighting::None, Weighting::InverseSquare] {
        let options = Options {
            weighting,
            ..Options::default()
        };
        let result = analyse(&plate(&truth, 0.045, 0.0, 1), &options).unwrap();
        assert!(result.curve.converged, "{:?}", result.curve.problem);
        assert_relative(&result.curve.parameters, &truth, 1e-10);
        assert!((result.curve.r_squared - 1.0).abs() < 1e-12);
        assert_eq!(result.blank_mean, 0.045);
        // Every standard reads back to its nominal concentration.
        for level in &result.standards {
            assert!((level.recovery_percent - 100.0).abs() < 1e-6, "{level:?}");
            assert!(level.accepted);
        }
        assert_eq!((result.lloq, result.uloq), (15.625, 2000.0));
    }
}

#[test]
fn noiseless_5pl_plate_recovers_parameters() {
    let truth = [0.05, 1.4, 450.0, 3.2, 0.6];
    for weighting in [Weighting::None, Weighting::InverseSquare] {
        let options = Options {
            model: Model::FivePl,
            weighting,
            ..Options::default()
        };
        let result = analyse(&plate(&truth, 0.0, 0.0, 1), &options).unwrap();
        assert!(result.curve.converged, "{:?}", result.curve.problem);
        assert_relative(&result.curve.parameters, &truth, 1e-10);
    }
}

#[test]
fn decreasing_competitive_curve_is_recovered() {
    // Competitive ELISA: signal falls with concentration (a > d).
    let truth = [2.4, 0.9, 120.0, 0.15];
    let result = analyse(&plate(&truth, 0.0, 0.0, 1), &Options::default()).unwrap();
    assert!(result.curve.converged);
    assert_relative(&result.curve.parameters, &truth, 1e-10);
}

#[test]
fn noisy_plates_recover_parameters_within_their_standard_errors() {
    // 5% CV noise, 20 seeds: every estimate within 4 SE of the truth, and the
    // SEs themselves finite and positive.
    let truth = [0.06, 1.15, 310.0, 2.9];
    for seed in 1..=20 {
        for weighting in [Weighting::None, Weighting::InverseSquare] {
            let options = Options {
                weighting,
                ..Options::default()
            };
            let result = analyse(&plate(&truth, 0.0, 0.05, seed), &options).unwrap();
            let curve = &result.curve;
            assert!(curve.converged, "seed {seed}: {:?}", curve.problem);
            for k in 0..4 {
                let se = curve.standard_errors[k];
                assert!(se.is_finite() && se > 0.0);
                let z = (curve.parameters[k] - truth[k]) / se;
                assert!(
                    z.abs() < 4.0,
                    "seed {seed} {weighting:?} parameter {k}: z = {z}"
                );
            }
        }
    }
}

#[test]
fn unknowns_are_read_scaled_and_flagged() {
    let truth = [0.06, 1.15, 310.0, 2.9];
    let mut wells = plate(&truth, 0.05, 0.0, 1);
    let at = |conc: f64| logistic(conc, &truth) + 0.05;
    wells.push(unknown("C1", WellType::Sample, "P01", 4.0, at(200.0)));
    wells.push(unknown("C2", WellType::Sample, "P01", 4.0, at(200.0)));
    wells.push(unknown("C3", WellType::Sample, "P02", 1.0, at(5.0)));
    wells.push(unknown("C4", WellType::Sample, "P03", 1.0, at(5000.0)));
    wells.push(unknown("C5", WellType::Sample, "P04", 1.0, 3.5));
    wells.push(unknown("C6", WellType::Sample, "P05", 1.0, 0.01));
    let mut qc = unknown("D1", WellType::Qc, "QC-high", 2.0, at(400.0));
    qc.concentration = Some(750.0);
    wells.push(qc);
    let result = analyse(&wells, &Options::default()).unwrap();
    let u = &result.unknowns;
    assert_eq!(u.len(), 6);
    assert_eq!(u[0].wells, ["C1", "C2"]);
    assert_eq!(u[0].flag, Flag::Ok);
    assert!((u[0].in_well_concentration - 200.0).abs() < 1e-6);
    assert!((u[0].concentration - 800.0).abs() < 4e-6);
    assert_eq!(u[1].flag, Flag::BelowLloq);
    assert!((u[1].concentration - 5.0).abs() < 1e-6);
    assert_eq!(u[2].flag, Flag::AboveUloq);
    assert!((u[2].concentration - 5000.0).abs() < 1e-4);
    // Above the d asymptote (2.9 + blank): no number, with the reason.
    assert_eq!(u[3].flag, Flag::Extrapolated);
    assert!(u[3].concentration.is_nan());
    assert!(
        u[3].reason.contains("high-concentration asymptote d"),
        "{}",
        u[3].reason
    );
    // Below the blank-corrected a asymptote.
    assert_eq!(u[4].flag, Flag::Extrapolated);
    assert!(
        u[4].reason.contains("zero-concentration asymptote a"),
        "{}",
        u[4].reason
    );
    // QC: 400 in the well × 2 = 800 against a nominal 750.
    assert_eq!(u[5].kind, WellType::Qc);
    assert!((u[5].recovery_percent - 100.0 * 800.0 / 750.0).abs() < 1e-6);
    // The plot grid spans the standards.
    assert_eq!(result.curve_points.len(), 200);
    assert!((result.curve_points[0].0 - 15.625 / 4.0).abs() < 1e-9);
    assert!((result.curve_points[199].0 - 8000.0).abs() < 1e-6);
}

#[test]
fn loq_excludes_standards_with_poor_recovery_or_cv() {
    let truth = [0.06, 1.15, 310.0, 2.9];
    let mut wells = plate(&truth, 0.0, 0.0, 1);
    // Lowest level: replicates far apart (CV well above 20%).
    wells[2].signal *= 1.6;
    wells[3].signal *= 0.4;
    let result = analyse(&wells, &Options::default()).unwrap();
    let lowest = &result.standards[0];
    assert!(!lowest.accepted);
    assert!(lowest.note.contains("CV"), "{}", lowest.note);
    assert_eq!(result.lloq, 31.25);
    assert_eq!(result.uloq, 2000.0);
}

#[test]
fn failed_fit_gives_no_numbers_and_says_why() {
    let truth = [0.06, 1.15, 310.0, 2.9];
    let mut wells = plate(&truth, 0.0, 0.05, 3);
    wells.push(unknown("C1", WellType::Sample, "P01", 1.0, 1.0));
    let options = Options {
        fit: osteon_stats::levenberg_marquardt::Options {
            max_evaluations: 2,
            ..Default::default()
        },
        ..Options::default()
    };
    let result = analyse(&wells, &options).unwrap();
    assert!(!result.curve.converged);
    assert_eq!(result.curve.status, Status::MaxEvaluations);
    let problem = result.curve.problem.as_deref().unwrap();
    assert!(problem.contains("did not converge"), "{problem}");
    assert_eq!(result.unknowns[0].flag, Flag::NoCurve);
    assert!(result.unknowns[0].concentration.is_nan());
    assert!(result.curve_points.is_empty());
    assert!(result.lloq.is_nan());
}

#[test]
fn start_values_follow_the_documented_rule() {
    // Logit line through the interior levels of an exact 4PL recovers b and c.
    let truth = [0.1, 1.3, 200.0, 3.0];
    let levels: Vec<(f64, f64)> = STANDARDS
        .iter()
        .map(|&c| (c, logistic(c, &truth)))
        .collect();
    let start = start_values(&levels);
    assert_eq!(start[0], levels[0].1);
    assert_eq!(start[3], levels[7].1);
    assert!(start[1] > 0.0 && start[2] > 15.625 && start[2] < 2000.0);
    // Too few interior levels: b = 1, c = geometric mean of the extremes.
    let flat = [(1.0, 0.5), (10.0, 0.5), (100.0, 0.5), (1000.0, 2.0)];
    assert_eq!(start_values(&flat), [0.5, 1.0, (1000.0f64).sqrt(), 2.0]);
}

#[test]
fn inverse_is_exact_for_both_models_and_directions() {
    for p in [
        vec![0.05, 1.2, 40.0, 2.5],
        vec![2.5, 1.2, 40.0, 0.05],
        vec![0.05, 1.2, 40.0, 2.5, 0.7],
        vec![0.05, -1.2, 40.0, 2.5, 1.3],
    ] {
        for x in [0.5, 7.0, 40.0, 300.0] {
            match inverse_logistic(logistic(x, &p), &p) {
                Reading::Concentration(back) => assert!(((back - x) / x).abs() < 1e-9, "{p:?} {x}"),
                other => panic!("{p:?} {x}: {other:?}"),
            }
        }
    }
}

#[test]
fn gradient_matches_finite_differences() {
    for p in [vec![0.05, 1.2, 40.0, 2.5], vec![0.05, 1.2, 40.0, 2.5, 0.7]] {
        let mut g = vec![0.0; p.len()];
        for x in [3.0, 40.0, 500.0] {
            logistic_gradient(x, &p, &mut g);
            for k in 0..p.len() {
                let h = 1e-6 * p[k].abs();
                let mut up = p.clone();
                let mut down = p.clone();
                up[k] += h;
                down[k] -= h;
                let numeric = (logistic(x, &up) - logistic(x, &down)) / (2.0 * h);
                assert!(
                    (numeric - g[k]).abs() <= 1e-6 * g[k].abs().max(1e-6),
                    "{p:?} x={x} k={k}: {} vs {numeric}",
                    g[k]
                );
            }
        }
    }
}

#[test]
fn bad_plates_are_errors_naming_the_well() {
    let truth = [0.06, 1.15, 310.0, 2.9];
    let good = plate(&truth, 0.0, 0.0, 1);
    let err = |wells: &[Well], options: &Options| analyse(wells, options).unwrap_err().to_string();

    // Three standard levels for a 4PL; four for a 5PL.
    let three: Vec<Well> = good
        .iter()
        .filter(|w| !matches!(w.concentration, Some(c) if c > 62.5))
        .cloned()
        .collect();
    let msg = err(&three, &Options::default());
    assert!(
        msg.contains("needs at least 4 distinct standard concentrations; the plate has 3 (15.625, 31.25, 62.5)"),
        "{msg}"
    );
    assert!(msg.contains("A1") && msg.contains("B3"), "{msg}");
    let four: Vec<Well> = good
        .iter()
        .filter(|w| !matches!(w.concentration, Some(c) if c > 125.0))
        .cloned()
        .collect();
    assert!(analyse(&four, &Options::default()).is_ok());
    let five_pl = Options {
        model: Model::FivePl,
        ..Options::default()
    };
    assert!(err(&four, &five_pl).contains("5PL fit needs at least 5"));

    let mut dup = good.clone();
    dup[3].well = "A1".into();
    assert!(err(&dup, &Options::default()).contains("well A1 appears twice"));

    let mut zero = good.clone();
    zero[2].concentration = Some(0.0);
    assert!(err(&zero, &Options::default()).contains("well A1: standard concentration 0"));

    let mut missing = good.clone();
    missing[2].concentration = None;
    assert!(
        err(&missing, &Options::default()).contains("well A1: standard without a concentration")
    );

    let mut nan = good.clone();
    nan[4].signal = f64::NAN;
    assert!(err(&nan, &Options::default()).contains("well A2: the signal NaN"));

    let mut no_id = good.clone();
    no_id.push(unknown("G1", WellType::Sample, "", 1.0, 1.0));
    assert!(err(&no_id, &Options::default()).contains("well G1: sample well without a sample id"));

    let mut bad_dilution = good.clone();
    bad_dilution.push(unknown("G2", WellType::Qc, "QC1", 0.0, 1.0));
    assert!(err(&bad_dilution, &Options::default()).contains("well G2: dilution 0"));

    let mut negative = plate(&truth, 0.0, 0.0, 1);
    negative[0].signal = 0.2; // blanks above the lowest standard
    negative[1].signal = 0.2;
    let weighted = Options {
        weighting: Weighting::InverseSquare,
        ..Options::default()
    };
    let msg = err(&negative, &weighted);
    assert!(msg.contains("well A1") && msg.contains("1/Y²"), "{msg}");

    let wrong_start = Options {
        start: Some(vec![1.0, 2.0]),
        ..Options::default()
    };
    assert!(err(&good, &wrong_start).contains("4 starting values"));
    let bad_cv = Options {
        max_cv_percent: -1.0,
        ..Options::default()
    };
    assert!(err(&good, &bad_cv).contains("max_cv_percent"));
    assert_eq!(
        analyse(&[], &Options::default()),
        Err(ElisaError::EmptyPlate)
    );
    let only_samples = [unknown("C1", WellType::Sample, "P01", 1.0, 1.0)];
    assert!(err(&only_samples, &Options::default()).ends_with("the plate has no standard wells"));
}

#[test]
fn plate_without_blanks_is_not_corrected_and_says_so() {
    let truth = [0.06, 1.15, 310.0, 2.9];
    let wells: Vec<Well> = plate(&truth, 0.0, 0.0, 1)
        .into_iter()
        .filter(|w| w.kind != WellType::Blank)
        .collect();
    let result = analyse(&wells, &Options::default()).unwrap();
    assert_eq!(result.blank_mean, 0.0);
    assert!(result.notes[0].contains("no blank wells"));
}

#[test]
fn flat_standards_are_reported_as_poorly_determined() {
    // No dose response: the optimiser stops (as scipy's does) at a step
    // function with enormous standard errors; the notes say so.
    let signals = [0.5, 0.52, 0.49, 0.51];
    let mut wells = Vec::new();
    for (i, (&conc, &signal)) in [10.0, 100.0, 1000.0, 5000.0]
        .iter()
        .zip(&signals)
        .enumerate()
    {
        wells.push(standard(&format!("A{}", i + 1), conc, signal));
        wells.push(standard(&format!("B{}", i + 1), conc, signal * 0.98));
    }
    let result = analyse(&wells, &Options::default()).unwrap();
    assert!(
        result.notes.iter().any(|n| n.contains("poorly determined")),
        "{:?}",
        result.notes
    );
    assert!(result.curve.r_squared < 0.5);
}
