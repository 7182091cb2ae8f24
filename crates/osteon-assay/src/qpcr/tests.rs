//! Hand-checkable ΔΔCt and Pfaffl examples, R `t.test`/`lm` reference
//! values (R 4.2.2, `sprintf('%.17g', …)`), replicate handling and every
//! error. The published-style geNorm golden (with its independent Python
//! reference) is in `crates/osteon-cli/tests/golden/qpcr/`.

use super::*;

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1e-300)
}

fn reaction(sample: &str, group: &str, target: &str, cq: Cq, line: usize) -> Reaction {
    Reaction {
        sample: sample.into(),
        group: group.into(),
        target: target.into(),
        cq,
        replicate: None,
        well: None,
        origin: format!("data.csv line {line}"),
    }
}

/// RANKL against GAPDH; calibrator BCBM (breast-cancer bone metastasis) vs
/// GCTB (giant-cell tumour of bone), one well per sample and gene.
///
/// | sample | GAPDH | RANKL | ΔCt  |
/// |--------|-------|-------|------|
/// | b1     | 18.0  | 30.0  | 12.0 |
/// | b2     | 18.5  | 30.1  | 11.6 |
/// | b3     | 17.8  | 30.2  | 12.4 |
/// | g1     | 18.2  | 24.1  | 5.9  |
/// | g2     | 18.0  | 24.3  | 6.3  |
/// | g3     | 18.4  | 24.2  | 5.8  |
///
/// Calibrator mean ΔCt 12.0, GCTB mean 6.0: ΔΔCt = −6.0, fold change
/// 2^6 = 64; g1: ΔΔCt = 5.9 − 12 = −6.1, fold 2^6.1.
fn livak_example() -> Vec<Reaction> {
    let table = [
        ("b1", "BCBM", 18.0, 30.0),
        ("b2", "BCBM", 18.5, 30.1),
        ("b3", "BCBM", 17.8, 30.2),
        ("g1", "GCTB", 18.2, 24.1),
        ("g2", "GCTB", 18.0, 24.3),
        ("g3", "GCTB", 18.4, 24.2),
    ];
    let mut rows = Vec::new();
    for (i, (sample, group, gapdh, rankl)) in table.iter().enumerate() {
        rows.push(reaction(
            sample,
            group,
            "GAPDH",
            Cq::Value(*gapdh),
            2 * i + 2,
        ));
        rows.push(reaction(
            sample,
            group,
            "RANKL",
            Cq::Value(*rankl),
            2 * i + 3,
        ));
    }
    rows
}

fn options(references: &[&str], calibrator: &str) -> Options {
    Options {
        reference_genes: references.iter().map(|s| s.to_string()).collect(),
        calibrator: calibrator.into(),
        ..Options::default()
    }
}

#[test]
fn livak_ddct_by_hand_and_welch_as_r() {
    let result = analyse(&livak_example(), &options(&["GAPDH"], "BCBM")).unwrap();
    assert_eq!(result.method, Method::Livak);
    assert_eq!(result.targets, ["RANKL"]);
    let g1 = &result.expression[3];
    assert_eq!((g1.sample.as_str(), g1.group.as_str()), ("g1", "GCTB"));
    assert!(close(g1.dct, 5.9, 1e-13));
    assert!(close(g1.ddct, -6.1, 1e-13));
    assert!(close(g1.fold_change, 6.1f64.exp2(), 1e-13));
    let calibrator = &result.group_summaries[0];
    assert!(calibrator.is_calibrator && calibrator.note == "calibrator");
    assert!(close(calibrator.mean_dct, 12.0, 1e-14) && calibrator.ddct.abs() < 1e-14);
    assert!(calibrator.p_value.is_nan());
    let gctb = &result.group_summaries[1];
    assert_eq!(gctb.n, 3);
    // x <- c(24.1-18.2, 24.3-18.0, 24.2-18.4); y <- c(30.0-18.0, 30.1-18.5, 30.2-17.8)
    // t.test(x, y): estimate -5.9999999999999991, t -21.669453555438512,
    // df 3.4688524590163983, p 7.9335483128775591e-05,
    // conf.int -6.8174876367746737 -5.1825123632253236
    assert!(close(gctb.ddct, -5.9999999999999991, 1e-14));
    assert!(close(gctb.fold_change, 64.0, 1e-13));
    assert!(close(gctb.statistic, -21.669453555438512, 1e-12));
    assert!(close(gctb.df, 3.4688524590163983, 1e-12));
    assert!(close(gctb.p_value, 7.9335483128775591e-05, 1e-9));
    assert!(close(gctb.ddct_lower, -6.8174876367746737, 1e-12));
    assert!(close(gctb.ddct_upper, -5.1825123632253236, 1e-12));
    assert!(close(gctb.fold_lower, 5.1825123632253236f64.exp2(), 1e-12));
    assert!(close(gctb.fold_upper, 6.8174876367746737f64.exp2(), 1e-12));
}

#[test]
fn student_and_confidence_level_match_r() {
    let data = livak_example();
    let student = Options {
        test: TTest::Student,
        ..options(&["GAPDH"], "BCBM")
    };
    let gctb = analyse(&data, &student).unwrap().group_summaries[1].clone();
    // t.test(x, y, var.equal = TRUE): df 4, p 2.6829867674418121e-05,
    // conf.int -6.7687628388305994 -5.231237161169398
    assert_eq!(gctb.df, 4.0);
    assert!(close(gctb.p_value, 2.6829867674418121e-05, 1e-9));
    assert!(close(gctb.ddct_lower, -6.7687628388305994, 1e-12));
    assert!(close(gctb.ddct_upper, -5.231237161169398, 1e-12));
    let ninety = Options {
        confidence_level: 0.9,
        ..options(&["GAPDH"], "BCBM")
    };
    let gctb = analyse(&data, &ninety).unwrap().group_summaries[1].clone();
    // t.test(x, y, conf.level = 0.9)$conf.int
    assert!(close(gctb.ddct_lower, -6.6172331637910284, 1e-12));
    assert!(close(gctb.ddct_upper, -5.3827668362089689, 1e-12));
}

#[test]
fn two_references_replicates_and_undetermined_wells() {
    // Sample c1 (calibrator): GAPDH 18.0/18.2, ACTB 16.0/16.2,
    // RANKL 30.0/30.4/Undetermined. Sample t1: GAPDH 19.0, ACTB 17.4,
    // RANKL 27.1/26.9.
    // Drop: c1 RANKL mean 30.2, refs (18.1 + 16.1)/2 = 17.1, ΔCt 13.1;
    //       t1 refs (19.0 + 17.4)/2 = 18.2, ΔCt 27.0 − 18.2 = 8.8;
    //       ΔΔCt = −4.3, fold 2^4.3.
    // Max cycles 40: c1 RANKL mean (30 + 30.4 + 40)/3 = 33.4667, ΔCt 16.3667.
    let u = Cq::Undetermined;
    let v = Cq::Value;
    let data = vec![
        reaction("c1", "ctrl", "GAPDH", v(18.0), 2),
        reaction("c1", "ctrl", "GAPDH", v(18.2), 3),
        reaction("c1", "ctrl", "ACTB", v(16.0), 4),
        reaction("c1", "ctrl", "ACTB", v(16.2), 5),
        reaction("c1", "ctrl", "RANKL", v(30.0), 6),
        reaction("c1", "ctrl", "RANKL", v(30.4), 7),
        reaction("c1", "ctrl", "RANKL", u, 8),
        reaction("t1", "tumour", "GAPDH", v(19.0), 9),
        reaction("t1", "tumour", "ACTB", v(17.4), 10),
        reaction("t1", "tumour", "RANKL", v(27.1), 11),
        reaction("t1", "tumour", "RANKL", v(26.9), 12),
    ];
    let opts = options(&["GAPDH", "ACTB"], "ctrl");
    let result = analyse(&data, &opts).unwrap();
    let rankl_c1 = result
        .replicates
        .iter()
        .find(|r| r.sample == "c1" && r.gene == "RANKL")
        .unwrap();
    assert_eq!((rankl_c1.n_wells, rankl_c1.n_undetermined), (3, 1));
    assert!(close(rankl_c1.mean_cq, 30.2, 1e-14));
    assert!(close(rankl_c1.sd_cq, 0.08f64.sqrt(), 1e-12));
    assert!(!rankl_c1.high_sd);
    assert_eq!(rankl_c1.note, "1 of 3 wells undetermined (dropped)");
    assert_eq!(
        result.notes[0],
        "undetermined Cq: 1 well dropped (policy drop; the max-cycles policy counts them as the last cycle instead)"
    );
    let t1 = &result.expression[1];
    assert!(close(t1.reference_cq, 18.2, 1e-14));
    assert!(close(t1.dct, 8.8, 1e-13));
    assert!(close(t1.ddct, -4.3, 1e-13));
    assert!(close(t1.fold_change, 4.3f64.exp2(), 1e-13));
    // One tumour sample: no test, said so.
    let tumour = &result.group_summaries[1];
    assert!(tumour.p_value.is_nan() && tumour.note.contains("not enough observations"));

    let forty = Options {
        undetermined: Undetermined::MaxCycles(40.0),
        ..opts
    };
    let result = analyse(&data, &forty).unwrap();
    let c1 = &result.expression[0];
    assert!(close(c1.cq, 100.4 / 3.0, 1e-14));
    assert!(close(c1.dct, 100.4 / 3.0 - 17.1, 1e-13));
    let rankl_c1 = &result.replicates[2];
    assert!(rankl_c1.high_sd && rankl_c1.note.contains("set to 40"));
}

#[test]
fn pfaffl_ratio_by_hand() {
    // E(target) = 0.90, E(ref) = 0.95. Calibrator: ref 20, target 25;
    // sample: ref 21, target 22. Pfaffl: 1.9^(25 − 22) / 1.95^(20 − 21) =
    // 1.9^3 × 1.95 = 13.37505.
    let data = vec![
        reaction("cal", "ctrl", "REF", Cq::Value(20.0), 2),
        reaction("cal", "ctrl", "TGT", Cq::Value(25.0), 3),
        reaction("s", "treated", "REF", Cq::Value(21.0), 4),
        reaction("s", "treated", "TGT", Cq::Value(22.0), 5),
    ];
    let opts = Options {
        efficiencies: Some(vec![
            Efficiency::given("TGT", 0.90).unwrap(),
            Efficiency::given("REF", 0.95).unwrap(),
        ]),
        ..options(&["REF"], "ctrl")
    };
    let result = analyse(&data, &opts).unwrap();
    assert_eq!(result.method, Method::Pfaffl);
    assert_eq!(result.efficiencies[0].target, "REF");
    assert!(close(result.expression[1].fold_change, 13.37505, 1e-13));
    assert!(close(
        result.group_summaries[1].fold_change,
        13.37505,
        1e-13
    ));
    // E = 1 (100%) for both reduces to Livak: ΔΔCt = (22 − 21) − (25 − 20) = −4.
    let perfect = Options {
        efficiencies: Some(vec![
            Efficiency::given("TGT", 1.0).unwrap(),
            Efficiency::given("REF", 1.0).unwrap(),
        ]),
        ..options(&["REF"], "ctrl")
    };
    assert_eq!(analyse(&data, &perfect).unwrap().expression[1].ddct, -4.0);
}

#[test]
fn standard_curve_matches_r_lm() {
    // q <- c(1,1,0.1,0.1,0.01,0.01,0.001,0.001)
    // cq <- c(15.1, 14.9, 18.5, 18.3, 21.9, 21.8, 25.4, 25.1); f <- lm(cq ~ log10(q))
    // coef 14.994999999999997 -3.4200000000000004, r.squared
    // 0.99922258767246175, slope SE 0.038944404818493004,
    // 10^(-1/slope) - 1 = 0.96063910687446397
    let q = [1.0, 1.0, 0.1, 0.1, 0.01, 0.01, 0.001, 0.001];
    let cq = [15.1, 14.9, 18.5, 18.3, 21.9, 21.8, 25.4, 25.1];
    let mut points: Vec<StandardPoint> = q
        .iter()
        .zip(cq)
        .enumerate()
        .map(|(i, (&quantity, c))| StandardPoint {
            target: "RANKL".into(),
            quantity,
            cq: Cq::Value(c),
            origin: format!("curve.csv line {}", i + 2),
        })
        .collect();
    points.push(StandardPoint {
        target: "RANKL".into(),
        quantity: 0.0001,
        cq: Cq::Undetermined,
        origin: "curve.csv line 10".into(),
    });
    let e = &standard_curves(&points).unwrap()[0];
    assert_eq!((e.n_points, e.n_levels, e.n_undetermined), (8, 4, 1));
    assert!(close(e.intercept, 14.994999999999997, 1e-13));
    assert!(close(e.slope, -3.4200000000000004, 1e-13));
    assert!(close(e.r_squared, 0.99922258767246175, 1e-13));
    assert!(close(e.slope_se, 0.038944404818493004, 1e-11));
    assert!(close(e.efficiency, 0.96063910687446397, 1e-13));
    assert!(close(e.amplification, 1.96063910687446397, 1e-13));
}

#[test]
fn standard_curve_errors_name_the_target_or_row() {
    let point = |q: f64, cq: f64, line: usize| StandardPoint {
        target: "ACTB".into(),
        quantity: q,
        cq: Cq::Value(cq),
        origin: format!("curve.csv line {line}"),
    };
    let err = standard_curves(&[point(1.0, 15.0, 2), point(1.0, 15.1, 3)])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("gene ACTB") && err.contains("2 points at 1 quantities"),
        "{err}"
    );
    let err = standard_curves(&[
        point(1.0, 15.0, 2),
        point(0.1, 14.0, 3),
        point(0.01, 13.0, 4),
    ])
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("gene ACTB: the standard-curve slope 1 is not negative"),
        "{err}"
    );
    let err = standard_curves(&[point(-1.0, 15.0, 7)])
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "curve.csv line 7: quantity -1 must be a positive number"
    );
    assert!(Efficiency::given("ACTB", 95.0)
        .unwrap_err()
        .to_string()
        .contains("write 95% as 0.95"));
}

#[test]
fn missing_reference_is_an_error_naming_row_sample_and_gene() {
    let mut data = livak_example();
    data.push(reaction("x1", "GCTB", "RANKL", Cq::Value(25.0), 14));
    let err = analyse(&data, &options(&["GAPDH"], "BCBM"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "data.csv line 14: sample x1 has target RANKL but reference gene GAPDH was not measured in that sample"
    );
}

#[test]
fn undetermined_reference_gives_no_value_and_says_why() {
    let mut data = livak_example();
    data[6].cq = Cq::Undetermined; // g1 GAPDH
    let result = analyse(&data, &options(&["GAPDH"], "BCBM")).unwrap();
    let g1 = &result.expression[3];
    assert!(g1.dct.is_nan() && g1.fold_change.is_nan());
    assert_eq!(g1.note, "reference GAPDH undetermined in every well");
    assert_eq!(result.group_summaries[1].n, 2);
}

#[test]
fn invalid_inputs_are_errors_naming_the_row() {
    let err = |data: &[Reaction], opts: &Options| analyse(data, opts).unwrap_err().to_string();
    let opts = options(&["GAPDH"], "BCBM");

    let mut two_groups = livak_example();
    two_groups[1].group = "GCTB".into();
    assert_eq!(
        err(&two_groups, &opts),
        "data.csv line 3: sample b1 is in group GCTB, but data.csv line 2 puts it in group BCBM"
    );
    let mut wells = livak_example();
    wells[0].well = Some("A1".into());
    wells[5].well = Some("A1".into());
    assert_eq!(
        err(&wells, &opts),
        "data.csv line 7: well A1 was already used at data.csv line 2"
    );
    let mut reps = livak_example();
    reps.push(reaction("b1", "BCBM", "RANKL", Cq::Value(30.1), 20));
    reps[1].replicate = Some("1".into());
    reps[12].replicate = Some("1".into());
    assert!(err(&reps, &opts).contains("line 20: sample b1, gene RANKL, replicate 1 appears twice"));
    let mut negative = livak_example();
    negative[3].cq = Cq::Value(-2.0);
    assert_eq!(
        err(&negative, &opts),
        "data.csv line 5: Cq -2 is not a positive number"
    );
    let mut empty = livak_example();
    empty[2].sample = String::new();
    assert_eq!(err(&empty, &opts), "data.csv line 4: the sample is empty");

    assert!(err(&livak_example(), &options(&["ACTB"], "BCBM"))
        .contains("reference gene ACTB does not occur in the data (genes: GAPDH, RANKL)"));
    assert!(err(&livak_example(), &options(&["GAPDH"], "MM"))
        .contains("calibrator group MM does not occur in the data (groups: BCBM, GCTB)"));
    assert!(err(&livak_example(), &options(&["GAPDH", "RANKL"], "BCBM")).contains("no target"));
    assert_eq!(
        err(&livak_example(), &options(&[], "BCBM")),
        "no reference gene was given"
    );
    let pfaffl = Options {
        efficiencies: Some(vec![Efficiency::given("GAPDH", 0.9).unwrap()]),
        ..opts.clone()
    };
    assert!(err(&livak_example(), &pfaffl).contains("no amplification efficiency for gene RANKL"));
    let genorm_unknown = Options {
        genorm_genes: vec!["GAPDH".into(), "B2M".into()],
        ..opts.clone()
    };
    assert_eq!(
        err(&livak_example(), &genorm_unknown),
        "geNorm gene B2M does not occur in the data"
    );
    let bad_level = Options {
        confidence_level: 95.0,
        ..opts
    };
    assert!(err(&livak_example(), &bad_level).contains("confidence_level"));
    assert_eq!(
        analyse(&[], &options(&["GAPDH"], "BCBM")),
        Err(QpcrError::NoReactions)
    );
}

#[test]
fn genorm_by_hand_with_four_genes() {
    // log2 quantities for 4 samples × 4 genes. A and B differ by a constant
    // (V_AB = 0); C = A + (0, 1, 0, 1); D = A + (0, 2, 4, 0).
    // V_AC = V_BC = sd(0,1,0,1) = sqrt(1/3); V_AD = V_BD = sd(0,2,4,0) =
    // sqrt(11/3) (mean 1.5, squared deviations 2.25 + 0.25 + 6.25 + 2.25);
    // V_CD = sd(0,1,4,-1) = sqrt(14/3) (mean 1, squares 1 + 0 + 9 + 4).
    // Step 1: M_D = (2 sqrt(11/3) + sqrt(14/3))/3 is largest → D out.
    // Step 2: M_A = M_B = sqrt(1/3)/2, M_C = sqrt(1/3) → C out; pair A, B.
    let genes: Vec<String> = ["A", "B", "C", "D"].iter().map(|s| s.to_string()).collect();
    let samples: Vec<String> = (1..=4).map(|i| format!("s{i}")).collect();
    let a = [1.0, 2.0, 0.5, 3.0];
    let mut q = Vec::new();
    let c_shift = [0.0, 1.0, 0.0, 1.0];
    let d_shift = [0.0, 2.0, 4.0, 0.0];
    for i in 0..4 {
        q.extend([a[i], a[i] + 5.0, a[i] + c_shift[i], a[i] + d_shift[i]]);
    }
    let g = genorm(&genes, &samples, &q);
    let third = (1.0f64 / 3.0).sqrt();
    let m_d = (2.0 * (11.0f64 / 3.0).sqrt() + (14.0f64 / 3.0).sqrt()) / 3.0;
    assert!(close(g.steps[0].m[3], m_d, 1e-14));
    assert_eq!(g.steps[0].excluded.as_deref(), Some("D"));
    assert!(close(g.steps[1].m[2], third, 1e-14));
    assert!(close(g.steps[1].m[0], third / 2.0, 1e-14));
    assert_eq!(g.steps[1].excluded.as_deref(), Some("C"));
    assert_eq!(g.steps[2].m, [0.0, 0.0]);
    let ranked: Vec<(&str, usize)> = g
        .ranking
        .iter()
        .map(|r| (r.gene.as_str(), r.rank))
        .collect();
    assert_eq!(ranked, [("A", 1), ("B", 1), ("C", 3), ("D", 4)]);
    // V2/3 = sd(log2 NF2 − log2 NF3) = sd(−c_shift/3) = sqrt(1/3)/3.
    assert_eq!(g.pairwise[0].label, "V2/3");
    assert!(close(g.pairwise[0].v, third / 3.0, 1e-13));
    // V3/4: log2 NF3 − log2 NF4 = (5 + c − 3d)/12; c − 3d = (0, −5, −12, 1)
    // (mean −4, squared deviations 16 + 1 + 64 + 25 = 106).
    assert!(close(
        g.pairwise[1].v,
        (106.0f64 / 3.0).sqrt() / 12.0,
        1e-13
    ));
    // Neither is below 0.15.
    assert_eq!(g.recommended_genes, None);
}
