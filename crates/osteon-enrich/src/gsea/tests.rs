//! Tests of the GSEA driver: hand-checkable enrichment scores and leading
//! edges, GSEApy 1.3.1 `fgsea_rs` reference values, determinism, ties and
//! every input error.

use super::*;

fn names(prefix: &str, indices: impl IntoIterator<Item = usize>) -> Vec<String> {
    indices
        .into_iter()
        .map(|i| format!("{prefix}{i}"))
        .collect()
}

fn set(name: &str, genes: Vec<String>) -> GeneSet {
    GeneSet {
        name: name.to_string(),
        description: format!("{name} genes"),
        genes,
    }
}

/// The ranking of `ref_small.py`: 2.5 sin(1.3 i) + (100 − i)/40, genes named
/// by their rank.
fn small_ranking() -> (Vec<String>, Vec<f64>) {
    let mut scores: Vec<f64> = (0..200)
        .map(|i| 2.5 * (1.3 * i as f64).sin() + (100.0 - i as f64) / 40.0)
        .collect();
    scores.sort_by(|a, b| b.partial_cmp(a).unwrap());
    (names("g", 0..200), scores)
}

fn small_sets() -> Vec<GeneSet> {
    vec![
        set("top", names("g", (0..40).step_by(2))),
        set("bottom", names("g", (150..200).step_by(3))),
        set("mid", names("g", (5..200).step_by(11))),
    ]
}

fn find<'a>(result: &'a Prerank, name: &str) -> &'a SetResult {
    result
        .results
        .iter()
        .find(|r| r.pathway == name)
        .expect("tested set")
}

#[test]
fn hand_checked_enrichment_score_and_leading_edge() {
    // Weights 10, 9, ..., 1; the set holds the genes ranked 1st, 3rd and 8th.
    let w: Vec<f64> = (1..=10).rev().map(f64::from).collect();
    let hits = [0, 2, 7];
    // N_R = 10 + 8 + 3 = 21, misses step 1/7.
    // tops:    10/21 - 0/7 = 0.476…, 18/21 - 1/7 = 0.714…, 21/21 - 5/7 = 0.2857…
    // bottoms: 0,                    10/21 - 1/7 = 0.333…, 18/21 - 5/7 = 0.1428…
    let e = statistic::extremes(&w, &hits);
    assert!((e.tops[1] - (18.0 / 21.0 - 1.0 / 7.0)).abs() < 1e-15);
    assert!((e.bottoms[2] - (18.0 / 21.0 - 5.0 / 7.0)).abs() < 1e-15);
    let s = statistic::set_statistic(&w, &hits, ScoreType::Std);
    assert!((s.es - (18.0 / 21.0 - 1.0 / 7.0)).abs() < 1e-15);
    assert_eq!(s.leading_edge, vec![0, 2]);

    // A set at the bottom: genes ranked 9th and 10th (weights 2 and 1).
    // tops: 2/3 - 8/8 = -1/3, 1 - 1 = 0; bottoms: -1, -1/3 → ES = -1 at
    // the 9th gene; leading edge bottom-up: 10th, 9th.
    let s = statistic::set_statistic(&w, &[8, 9], ScoreType::Std);
    assert_eq!(s.es, -1.0);
    assert_eq!(s.leading_edge, vec![9, 8]);
    // One-tailed scores ignore the other side.
    let pos = statistic::set_statistic(&w, &[8, 9], ScoreType::Pos);
    assert!((pos.es - 0.0).abs() < 1e-15);
    assert_eq!(pos.leading_edge, vec![8, 9]);

    // Equal positive and negative peaks: ES 0, empty leading edge (fgsea).
    // n = 4, hits at ranks 1 and 4 with equal weights: tops 1/2, 1 - 2/2 = 0;
    // bottoms 0, 1/2 - 1 = -1/2.
    let s = statistic::set_statistic(&[1.0; 4], &[0, 3], ScoreType::Std);
    assert_eq!(s.es, 0.0);
    assert!(s.leading_edge.is_empty());
}

#[test]
fn running_sum_follows_plot_enrichment() {
    let w: Vec<f64> = (1..=10).rev().map(f64::from).collect();
    let curve = statistic::running_sum(&w, &[0, 2, 7]);
    assert_eq!(curve.x, vec![0.0, 0.0, 1.0, 2.0, 3.0, 7.0, 8.0, 11.0]);
    assert_eq!(curve.y[0], 0.0);
    assert_eq!(curve.y[1], 0.0);
    assert!((curve.y[2] - 10.0 / 21.0).abs() < 1e-15);
    assert_eq!(*curve.y.last().unwrap(), 0.0);
}

/// GSEApy 1.3.1, `from gseapy.gse import fgsea_rs`:
/// `fgsea_rs(genes, metric, sets, 1.0, 5, 500, 101, 1000, 1e-50, 1, seed)`
/// on `small_ranking()`/`small_sets()` (script
/// `crates/osteon-cli/tests/golden/gsea/make_golden.py --small`), values
/// printed with `repr`.
#[test]
fn matches_gseapy_fgsea_rs_on_a_small_example() {
    let (genes, scores) = small_ranking();
    assert_eq!(scores[0], 4.8838954635429825);
    let reference = [
        // seed, set, ES, NES, pval, log2err
        (
            42,
            "bottom",
            -0.819672131147541,
            -2.526172108060752,
            7.888319516374858e-08,
            0.7049757151672383,
        ),
        (
            42,
            "mid",
            0.1832872745191469,
            0.5702965646805583,
            0.9660678642714571,
            0.04716424556708611,
        ),
        (
            42,
            "top",
            0.8944444444444447,
            2.8350897032784124,
            1.9013841961300057e-12,
            0.8986712320616944,
        ),
        (
            7,
            "bottom",
            -0.819672131147541,
            -2.466178628427266,
            4.389952409397192e-08,
            0.7195128263389108,
        ),
        (
            7,
            "mid",
            0.1832872745191469,
            0.5693255499644525,
            0.962671905697446,
            0.046601507298599236,
        ),
        (
            7,
            "top",
            0.8944444444444447,
            2.874693180997114,
            2.2629100453575653e-12,
            0.8986712320616944,
        ),
    ];
    for seed in [42u32, 7] {
        let options = Options {
            min_size: 5,
            seed,
            ..Options::default()
        };
        let result = prerank(&genes, &scores, &small_sets(), &options).unwrap();
        for &(s, name, es, nes, pval, log2err) in reference.iter().filter(|r| r.0 == seed) {
            let r = find(&result, name);
            // Same random streams: agreement to a few units in the last place
            // (the floating-point sums of ES and log2err differ in order).
            let close = |a: f64, b: f64| (a - b).abs() <= 4e-15 * b.abs();
            assert!(close(r.es, es), "seed {s} {name} ES {} vs {es}", r.es);
            assert!(close(r.nes, nes), "seed {s} {name} NES {} vs {nes}", r.nes);
            assert!(
                close(r.pval, pval),
                "seed {s} {name} pval {} vs {pval}",
                r.pval
            );
            assert!(
                close(r.log2err, log2err),
                "seed {s} {name} log2err {} vs {log2err}",
                r.log2err
            );
        }
    }
}

#[test]
fn results_do_not_depend_on_threads_or_set_order() {
    let (genes, scores) = small_ranking();
    let mut sets = small_sets();
    sets.push(set("spread", names("g", (3..200).step_by(7))));
    sets.push(set("head", names("g", (1..60).step_by(3))));
    let options = Options {
        min_size: 5,
        ..Options::default()
    };
    let run = |threads: usize, sets: &[GeneSet]| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| prerank(&genes, &scores, sets, &options).unwrap())
    };
    let one = run(1, &sets);
    let four = run(4, &sets);
    assert_eq!(one, four);
    sets.reverse();
    let reversed = run(3, &sets);
    assert_eq!(one.results, reversed.results);
    // Sorted by p-value, then name.
    for pair in one.results.windows(2) {
        assert!(pair[0].pval <= pair[1].pval);
    }
}

#[test]
fn ranking_is_a_stable_decreasing_sort_and_ties_are_counted_as_fgsea() {
    let genes = names("x", 0..8);
    // R: stats <- c(2, 5, 2, 0, 0, -1, 5, 2)
    //    names(sort(stats, decreasing = TRUE)) keeps tied genes in input order;
    //    sum(duplicated(stats[stats != 0])) = 3; round(3 * 100 / 8, 2) = 37.5
    let scores = [2.0, 5.0, 2.0, 0.0, 0.0, -1.0, 5.0, 2.0];
    let sets = [set("s", names("x", [1, 6, 0]))];
    let options = Options {
        min_size: 1,
        n_perm_simple: 50,
        ..Options::default()
    };
    let result = prerank(&genes, &scores, &sets, &options).unwrap();
    assert_eq!(
        result.genes,
        ["x1", "x6", "x0", "x2", "x7", "x3", "x4", "x5"]
    );
    assert_eq!(
        result.ties,
        Ties {
            tied: 3,
            percent: 37.5
        }
    );
    assert!(!result.all_positive);
    assert_eq!(result.results[0].hits, vec![0, 1, 2]);
    assert_eq!(result.results[0].leading_edge, ["x1", "x6", "x0"]);
}

#[test]
fn p_values_below_eps_are_floored_and_unbalanced_sets_get_na() {
    let (genes, scores) = small_ranking();
    let options = Options {
        min_size: 5,
        eps: 1e-6,
        ..Options::default()
    };
    let result = prerank(&genes, &scores, &small_sets(), &options).unwrap();
    let top = find(&result, "top");
    assert_eq!(top.pval, 1e-6);
    assert!(top.log2err.is_nan());
    assert_eq!(top.method, PvalueMethod::Multilevel);
    assert_eq!(result.n_at_eps(), 2);

    // With 12 random sets, about 6 score below zero: fewer than the 10 same-
    // sign null scores fgsea requires, so the negative set is "unbalanced".
    let few = Options {
        n_perm_simple: 12,
        ..options
    };
    let result = prerank(&genes, &scores, &small_sets(), &few).unwrap();
    let bottom = find(&result, "bottom");
    assert_eq!(bottom.method, PvalueMethod::Unbalanced);
    assert!(bottom.pval.is_nan() && bottom.nes.is_nan() && bottom.padj.is_nan());
    assert!(bottom.es < 0.0);
    assert!(result.n_unbalanced() >= 1);
    let positive: Vec<f64> = scores.iter().map(|s| s + 10.0).collect();
    assert!(
        prerank(&genes, &positive, &small_sets(), &few)
            .unwrap()
            .all_positive
    );
    assert!(result.results.last().unwrap().pval.is_nan());
}

#[test]
fn sets_are_filtered_by_size_after_intersection() {
    let (genes, scores) = small_ranking();
    let mut genes_with_foreign = names("g", 0..12);
    genes_with_foreign.extend(names("foreign", 0..50));
    genes_with_foreign.push("g0".into());
    let sets = [
        set("twelve", genes_with_foreign),
        set("three", names("g", [1, 2, 3])),
        set("all", names("g", 0..200)),
        set("big", names("g", 0..150)),
    ];
    let options = Options {
        min_size: 5,
        max_size: 100,
        n_perm_simple: 100,
        ..Options::default()
    };
    let result = prerank(&genes, &scores, &sets, &options).unwrap();
    assert_eq!(result.results.len(), 1);
    assert_eq!(result.results[0].size, 12);
    let skipped: Vec<(&str, usize, SkipReason)> = result
        .skipped
        .iter()
        .map(|s| (s.name.as_str(), s.size, s.reason))
        .collect();
    assert_eq!(
        skipped,
        [
            ("three", 3, SkipReason::TooSmall),
            ("all", 200, SkipReason::TooLarge),
            ("big", 150, SkipReason::TooLarge)
        ]
    );
}

#[test]
fn invalid_input_is_reported_precisely() {
    let (genes, scores) = small_ranking();
    let options = Options {
        min_size: 5,
        ..Options::default()
    };
    let sets = small_sets();

    let mut duplicated = genes.clone();
    duplicated[7] = "g2".into();
    assert_eq!(
        prerank(&duplicated, &scores, &sets, &options).unwrap_err(),
        GseaError::DuplicateGene {
            gene: "g2".into(),
            first: 3,
            second: 8
        }
    );

    let mut infinite = scores.clone();
    infinite[4] = f64::INFINITY;
    let err = prerank(&genes, &infinite, &sets, &options).unwrap_err();
    assert!(matches!(err, GseaError::NonFiniteScore { ref gene, .. } if gene == "g4"));
    let mut missing = scores.clone();
    missing[9] = f64::NAN;
    assert!(matches!(
        prerank(&genes, &missing, &sets, &options).unwrap_err(),
        GseaError::NonFiniteScore { ref gene, .. } if gene == "g9"
    ));

    assert_eq!(
        prerank(&genes[..1], &scores[..1], &sets, &options).unwrap_err(),
        GseaError::TooFewGenes { n: 1 }
    );
    assert_eq!(
        prerank(&genes, &scores, &[], &options).unwrap_err(),
        GseaError::NoGeneSets
    );

    let twice = [sets[0].clone(), sets[0].clone()];
    assert_eq!(
        prerank(&genes, &scores, &twice, &options).unwrap_err(),
        GseaError::DuplicateSetName { name: "top".into() }
    );

    let foreign = [set("ensembl", names("ENSG", 0..30))];
    let err = prerank(&genes, &scores, &foreign, &options).unwrap_err();
    assert!(matches!(
        err,
        GseaError::NoOverlap {
            n_sets: 1,
            n_genes: 200,
            ..
        }
    ));
    assert!(err.to_string().contains("g0, g1, g2"));

    let strict = Options {
        min_size: 100,
        max_size: 150,
        ..Options::default()
    };
    assert_eq!(
        prerank(&genes, &scores, &sets, &strict).unwrap_err(),
        GseaError::NoSetsInRange {
            n_sets: 3,
            min_size: 100,
            max_size: 150,
            largest: 20
        }
    );

    for bad in [
        Options {
            min_size: 0,
            ..Options::default()
        },
        Options {
            min_size: 10,
            max_size: 5,
            ..Options::default()
        },
        Options {
            eps: 2.0,
            ..Options::default()
        },
        Options {
            gsea_param: -1.0,
            ..Options::default()
        },
        Options {
            n_perm_simple: 0,
            ..Options::default()
        },
    ] {
        assert!(matches!(
            prerank(&genes, &scores, &sets, &bad).unwrap_err(),
            GseaError::InvalidOption { .. }
        ));
    }
}

#[test]
fn one_tailed_scores_and_even_sample_sizes() {
    let (genes, scores) = small_ranking();
    let options = Options {
        min_size: 5,
        score_type: ScoreType::Pos,
        sample_size: 50,
        ..Options::default()
    };
    let result = prerank(&genes, &scores, &small_sets(), &options).unwrap();
    assert_eq!(result.options.sample_size, 51);
    let top = find(&result, "top");
    assert!(top.es > 0.89 && top.pval < 1e-8 && top.nes > 2.0);
    // The bottom set's positive deviation is tiny: not significant.
    assert!(find(&result, "bottom").pval > 0.5);
    let negative = prerank(
        &genes,
        &scores,
        &small_sets(),
        &Options {
            score_type: ScoreType::Neg,
            ..options
        },
    )
    .unwrap();
    let bottom = find(&negative, "bottom");
    assert!(bottom.es < -0.8 && bottom.pval < 1e-5 && bottom.nes < -2.0);
    assert_eq!(
        bottom.leading_edge.first().map(String::as_str),
        Some("g198")
    );
}
