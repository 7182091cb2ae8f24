//! `osteon gsea` end to end: the GSEApy 1.3.1 golden on the airway ranking
//! with GO BP sets, determinism across thread counts, the `--de` input path,
//! and every bad-input case (precise message, exit code 2, no output folder).
//!
//! Acceptance rule against GSEApy (`tests/golden/gsea/README.md`): GSEApy
//! 1.3.1's `prerank(method="multilevel")` is a port of fgsea's multilevel
//! method whose random streams (mt19937 seeded with `seed` for the
//! permutation null and for every multilevel ruler) osteon reproduces, so
//! with the same seed the two are compared value by value:
//! * the same sets are tested, with the same sizes and leading edges;
//! * ES within 1e-9 (the bar);
//! * NES within 1e-9 relative, and log2(pval), log2err within 1e-9;
//! * in addition, for every set, |log2 p_osteon − log2 p_gseapy| must be within
//!   the Monte Carlo bar, 3·sqrt(log2err_osteon² + log2err_gseapy²),
//!   and NES within three standard errors of the permutation mean
//!   (≈ 3 · 0.05 relative), which independent streams would also meet.

mod common;

use common::*;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Output;

fn golden(name: &str) -> PathBuf {
    manifest_dir().join("tests/golden/gsea").join(name)
}

fn gsea(args: &[&str], out: &Path) -> Output {
    osteon()
        .arg("gsea")
        .args(args)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .output()
        .expect("run osteon")
}

/// Runs `osteon gsea` and requires success.
fn gsea_ok(args: &[&str], out: &Path) {
    let result = gsea(args, out);
    assert!(
        result.status.success(),
        "osteon gsea {args:?} failed:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
}

/// A path as a command-line argument.
fn arg(path: &Path) -> String {
    path.to_str().expect("UTF-8 path").to_string()
}

/// A results table keyed by its first column, as text cells.
fn read_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut text = String::new();
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if path.extension().is_some_and(|e| e == "gz") {
        flate2::read::GzDecoder::new(file)
            .read_to_string(&mut text)
            .unwrap();
    } else {
        std::io::BufReader::new(file)
            .read_to_string(&mut text)
            .unwrap();
    }
    let mut lines = text.lines();
    let header = lines
        .next()
        .unwrap()
        .split('\t')
        .map(str::to_string)
        .collect();
    let rows = lines
        .filter(|l| !l.is_empty())
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn number(cell: &str) -> f64 {
    if cell == "NA" {
        f64::NAN
    } else {
        cell.parse()
            .unwrap_or_else(|_| panic!("not a number: {cell}"))
    }
}

fn assert_fails(out: &Output, out_dir: &Path, needles: &[&str]) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected failure; stderr:\n{err}"
    );
    for needle in needles {
        assert!(err.contains(needle), "message lacks {needle:?}:\n{err}");
    }
    assert!(
        !out_dir.exists(),
        "output folder left behind: {}",
        out_dir.display()
    );
}

#[test]
fn matches_gseapy_multilevel_on_airway_go_bp() {
    let dir = scratch("gsea-golden");
    let out = dir.join("out");
    let (rnk, gmt) = (
        arg(&golden("airway_dex.rnk.gz")),
        arg(&golden("go_bp.gmt.gz")),
    );
    gsea_ok(&["--rnk", &rnk, "--gmt", &gmt, "--seed", "42"], &out);
    let (header, rows) = read_rows(&out.join("gsea.tsv"));
    assert_eq!(
        header.join(" "),
        "pathway pval padj log2err ES NES size leadingEdge"
    );
    let ours: HashMap<&str, &Vec<String>> = rows.iter().map(|r| (r[0].as_str(), r)).collect();
    let (gheader, grows) = read_rows(&golden("gseapy_results.tsv.gz"));
    assert_eq!(
        gheader,
        [
            "Term",
            "ES",
            "NES",
            "pval",
            "fdr",
            "log2err",
            "size",
            "lead_genes"
        ]
    );
    assert_eq!(ours.len(), grows.len(), "number of tested sets");

    let mut worst = [0.0f64; 4];
    let mut fdr_worst = 0.0f64;
    for g in &grows {
        let o = ours
            .get(g[0].as_str())
            .unwrap_or_else(|| panic!("{} tested by GSEApy but not by osteon", g[0]));
        let (es_o, es_g) = (number(&o[4]), number(&g[1]));
        let (nes_o, nes_g) = (number(&o[5]), number(&g[2]));
        let (p_o, p_g) = (number(&o[1]), number(&g[3]));
        let (e_o, e_g) = (number(&o[3]), number(&g[5]));
        assert_eq!(o[6], g[6], "{}: size", g[0]);
        assert_eq!(o[7], g[7], "{}: leading edge", g[0]);
        assert!((es_o - es_g).abs() <= 1e-9, "{}: ES {es_o} vs {es_g}", g[0]);
        worst[0] = worst[0].max((es_o - es_g).abs());
        assert_eq!(p_o.is_nan(), p_g.is_nan(), "{}: pval NA pattern", g[0]);
        assert_eq!(e_o.is_nan(), e_g.is_nan(), "{}: log2err NA pattern", g[0]);
        if !p_g.is_nan() {
            let nes_rel = ((nes_o - nes_g) / nes_g).abs();
            let log_p = (p_o.log2() - p_g.log2()).abs();
            worst[1] = worst[1].max(nes_rel);
            worst[2] = worst[2].max(log_p);
            assert!(nes_rel <= 1e-9, "{}: NES {nes_o} vs {nes_g}", g[0]);
            assert!(log_p <= 1e-9, "{}: pval {p_o} vs {p_g}", g[0]);
            // The Monte Carlo bar (implied by the above).
            if !e_g.is_nan() {
                assert!(log_p <= 3.0 * (e_o * e_o + e_g * e_g).sqrt());
                worst[3] = worst[3].max((e_o - e_g).abs());
                assert!(
                    (e_o - e_g).abs() <= 1e-9,
                    "{}: log2err {e_o} vs {e_g}",
                    g[0]
                );
            }
            assert!(nes_rel <= 0.15);
            // GSEApy's FDR is BH by p·m/rank with a running minimum: same values.
            let (q_o, q_g) = (number(&o[2]), number(&g[4]));
            fdr_worst = fdr_worst.max(((q_o - q_g) / q_g).abs());
        }
    }
    assert!(fdr_worst <= 1e-9, "padj vs GSEApy fdr: {fdr_worst}");
    eprintln!(
        "airway GO BP vs GSEApy 1.3.1 ({} sets): max |ΔES| {:.1e}, max rel ΔNES {:.1e}, max |Δlog2 p| {:.1e}, max |Δlog2err| {:.1e}, max rel ΔFDR {:.1e}",
        grows.len(),
        worst[0],
        worst[1],
        worst[2],
        worst[3],
        fdr_worst
    );

    // Sorted by pval (NA last), then pathway.
    let pvals: Vec<f64> = rows.iter().map(|r| number(&r[1])).collect();
    for (i, pair) in pvals.windows(2).enumerate() {
        if !pair[1].is_nan() {
            assert!(
                pair[0] < pair[1] || (pair[0] == pair[1] && rows[i][0] < rows[i + 1][0]),
                "order at row {i}"
            );
        }
    }
    let manifest = std::fs::read_to_string(out.join("run.json")).unwrap();
    assert!(manifest.contains("\"command\": \"gsea\""));
    assert!(manifest.contains("\"seed\": 42"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The score of gene `G{i}` in the small rankings.
fn small_score(i: usize) -> f64 {
    2.5 * (1.3 * i as f64).sin() + (150.0 - i as f64) / 40.0
}

/// A small ranking and GMT written by hand.
fn write_small(dir: &Path) -> (PathBuf, PathBuf) {
    let rnk = dir.join("small.rnk");
    let gmt = dir.join("small.gmt");
    let mut text = String::from("gene\tscore\n");
    for i in 0..300 {
        text.push_str(&format!("G{i}\t{}\n", small_score(i)));
    }
    std::fs::write(&rnk, text).unwrap();
    let line = |name: &str, genes: Vec<usize>| {
        let genes: Vec<String> = genes.iter().map(|i| format!("G{i}")).collect();
        format!("{name}\tdesc {name}\t{}\n", genes.join("\t"))
    };
    let mut sets = String::new();
    sets.push_str(&line("HIGH", (0..60).step_by(3).collect()));
    sets.push_str(&line("LOW", (240..300).step_by(3).collect()));
    sets.push_str(&line("SPREAD", (1..300).step_by(13).collect()));
    sets.push_str(&line("TINY", vec![1, 2]));
    sets.push_str("EMPTY\tnothing\n");
    std::fs::write(&gmt, sets).unwrap();
    (rnk, gmt)
}

#[test]
fn identical_for_any_thread_count_and_writes_all_tables() {
    let dir = scratch("gsea-threads");
    let (rnk, gmt) = write_small(&dir);
    let (rnk, gmt) = (arg(&rnk), arg(&gmt));
    let run = |threads: &str, name: &str| {
        let out = dir.join(name);
        let flags = ["--rnk", &rnk, "--gmt", &gmt, "--min-size", "5"];
        gsea_ok(&[&flags[..], &["--threads", threads]].concat(), &out);
        out
    };
    let one = run("1", "one");
    let four = run("4", "four");
    for table in ["gsea.tsv", "gene_sets.tsv", "ranking.tsv"] {
        assert_eq!(
            std::fs::read(one.join(table)).unwrap(),
            std::fs::read(four.join(table)).unwrap(),
            "{table} differs between 1 and 4 threads"
        );
    }
    let (_, sets) = read_rows(&one.join("gene_sets.tsv"));
    let status: Vec<(&str, &str)> = sets
        .iter()
        .map(|r| (r[0].as_str(), r[4].as_str()))
        .collect();
    assert_eq!(
        status,
        [
            ("HIGH", "tested"),
            ("LOW", "tested"),
            ("SPREAD", "tested"),
            ("TINY", "too_small"),
            ("EMPTY", "too_small")
        ]
    );
    let (_, ranking) = read_rows(&one.join("ranking.tsv"));
    assert_eq!(ranking.len(), 300);
    assert_eq!(ranking[0][0], "1");
    let manifest = std::fs::read_to_string(one.join("run.json")).unwrap();
    assert!(
        manifest.contains("\"empty_in_file\": [\n      \"EMPTY\""),
        "{manifest}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn ranks_from_a_deseq2_results_table_drop_na_rows() {
    let dir = scratch("gsea-de");
    let (rnk, gmt) = write_small(&dir);
    let de = dir.join("results.tsv");
    let mut text = String::from("gene\tbaseMean\tlog2FoldChange\tlfcSE\tstat\tpvalue\tpadj\n");
    for line in std::fs::read_to_string(&rnk).unwrap().lines().skip(1) {
        let (gene, score) = line.split_once('\t').unwrap();
        text.push_str(&format!("{gene}\t100\t1\t0.5\t{score}\t0.01\t0.05\n"));
    }
    text.push_str("NOTTESTED\t0\tNA\tNA\tNA\tNA\tNA\n");
    std::fs::write(&de, text).unwrap();
    let from_rnk = dir.join("rnk");
    let from_de = dir.join("de");
    for (input, flag, out) in [(&rnk, "--rnk", &from_rnk), (&de, "--de", &from_de)] {
        gsea_ok(
            &[flag, &arg(input), "--gmt", &arg(&gmt), "--min-size", "5"],
            out,
        );
    }
    assert_eq!(
        std::fs::read(from_rnk.join("gsea.tsv")).unwrap(),
        std::fs::read(from_de.join("gsea.tsv")).unwrap()
    );
    let manifest = std::fs::read_to_string(from_de.join("run.json")).unwrap();
    assert!(
        manifest.contains("\"rows_with_na_score_dropped\": 1"),
        "{manifest}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn ties_are_warned_about_as_fgsea_does() {
    let dir = scratch("gsea-ties");
    let (_, gmt) = write_small(&dir);
    let rnk = dir.join("tied.rnk");
    let mut text = String::new();
    for i in 0..300 {
        // Scores rounded to one decimal: many ties.
        let score = (small_score(i) * 10.0).round() / 10.0;
        text.push_str(&format!("G{i}\t{score}\n"));
    }
    std::fs::write(&rnk, text).unwrap();
    let out = dir.join("out");
    let result = osteon()
        .args(["gsea", "--rnk"])
        .arg(&rnk)
        .arg("--gmt")
        .arg(&gmt)
        .args(["--min-size", "5", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "{err}");
    assert!(
        err.contains("There are ties in the preranked stats ("),
        "{err}"
    );
    assert!(err.contains("% of the list)"), "{err}");
    let manifest = std::fs::read_to_string(out.join("run.json")).unwrap();
    assert!(manifest.contains("ties in the preranked stats"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_input_fails_precisely_and_leaves_nothing() {
    let dir = scratch("gsea-bad");
    let (rnk, gmt) = write_small(&dir);
    let out = dir.join("out");
    let (rnk, gmt) = (arg(&rnk), arg(&gmt));
    // (file written for the case, its content, the flags, what the message names)
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        (
            "dup.rnk",
            "A\t1\nB\t2\nC\t3\nB\t4\n",
            &["--rnk", "FILE", "--gmt", &gmt],
            &["dup.rnk line 4", "gene B appears twice (lines 2 and 4)"],
        ),
        (
            "inf.rnk",
            "A\t1\nB\tInf\n",
            &["--rnk", "FILE", "--gmt", &gmt],
            &["inf.rnk line 2", "\"Inf\" is not a finite number"],
        ),
        (
            "foreign.gmt",
            "S1\tna\tENSG1\tENSG2\nS2\tna\tENSG3\n",
            &["--rnk", &rnk, "--gmt", "FILE"],
            &[
                "none of the 2 gene sets shares a gene with the 300 ranked genes",
                "first ranked ids: G1, G6",
            ],
        ),
        (
            "broken.gmt",
            "S1\tna\tG1\tG2\nS2 G3 G4\n",
            &["--rnk", &rnk, "--gmt", "FILE"],
            &["broken.gmt line 2", "tabs"],
        ),
        (
            "twice.gmt",
            "S1\tna\tG1\nS1\tna\tG2\n",
            &["--rnk", &rnk, "--gmt", "FILE"],
            &["twice.gmt line 2", "gene set S1 is defined twice (lines 1 and 2)"],
        ),
        (
            "results.tsv",
            "gene\tstat\tpadj\nA\tNA\t1\nB\tNA\t1\n",
            &["--de", "FILE", "--rank-column", "wald", "--gmt", &gmt],
            &["there is no column wald (columns are: stat, padj)"],
        ),
        (
            "results.tsv",
            "gene\tstat\tpadj\nA\tNA\t1\nB\tNA\t1\n",
            &["--de", "FILE", "--gmt", &gmt],
            &["column stat has no numeric values (2 rows are NA or empty)"],
        ),
        (
            "unused.txt",
            "",
            &["--gmt", &gmt, "--min-size", "100"],
            &["no ranking given"],
        ),
        (
            "unused.txt",
            "",
            &["--rnk", &rnk, "--gmt", &gmt, "--min-size", "100"],
            &["none of the 5 gene sets has between 100 and 500 genes in the ranking (the largest overlap is 23 genes)"],
        ),
        (
            "unused.txt",
            "",
            &["--rnk", &rnk, "--gmt", &gmt, "--eps", "2"],
            &["option eps = 2: must be between 0 and 1"],
        ),
        (
            "unused.txt",
            "",
            &["--rnk", &rnk, "--de", &rnk, "--gmt", &gmt],
            &["--de", "--rnk"],
        ),
    ];
    for (file, content, flags, needles) in cases {
        let written = dir.join(file);
        std::fs::write(&written, content).unwrap();
        let flags: Vec<String> = flags
            .iter()
            .map(|f| {
                if *f == "FILE" {
                    arg(&written)
                } else {
                    f.to_string()
                }
            })
            .collect();
        let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
        assert_fails(&gsea(&flags, &out), &out, needles);
    }

    // A failed run keeps an earlier result intact.
    let ok = gsea(&["--rnk", &rnk, "--gmt", &gmt, "--min-size", "5"], &out);
    assert!(ok.status.success());
    let before = std::fs::read(out.join("gsea.tsv")).unwrap();
    let dup = arg(&dir.join("dup.rnk"));
    let r = gsea(&["--rnk", &dup, "--gmt", &gmt], &out);
    assert_eq!(r.status.code(), Some(2));
    assert_eq!(std::fs::read(out.join("gsea.tsv")).unwrap(), before);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A three-term ontology, annotations by Entrez id and a gene table linking
/// Entrez, symbols and Ensembl ids, for the GO path.
fn write_small_go(dir: &Path) -> (PathBuf, PathBuf, PathBuf, PathBuf) {
    let obo = dir.join("mini.obo");
    std::fs::write(
        &obo,
        "format-version: 1.2\ndata-version: releases/2099-01-01\n\n\
         [Term]\nid: GO:0000001\nname: root process\nnamespace: biological_process\n\n\
         [Term]\nid: GO:0000002\nname: high process\nnamespace: biological_process\nis_a: GO:0000001\n\n\
         [Term]\nid: GO:0000003\nname: low process\nnamespace: biological_process\nis_a: GO:0000001\n\n\
         [Term]\nid: GO:0000004\nname: part of high\nnamespace: biological_process\nis_a: GO:0000001\nrelationship: part_of GO:0000002\n\n\
         [Typedef]\nid: part_of\nname: part of\n",
    )
    .unwrap();
    let gaf = dir.join("mini.gaf");
    let mut text = String::from("!gaf-version: 2.2\n!date-generated: 2099-01-02\n");
    let mut annotate = |genes: std::ops::Range<usize>, step: usize, term: &str| {
        for i in genes.step_by(step) {
            text.push_str(&format!(
                "NCBIGene\t{}\tS{i}\t\t{term}\tPMID:1\tIDA\t\tP\tgene {i}\t\tprotein\ttaxon:9606\t20990102\tTest\t\t\n",
                i + 1
            ));
        }
    };
    annotate(0..60, 3, "GO:0000002");
    annotate(1..31, 3, "GO:0000004");
    annotate(240..300, 3, "GO:0000003");
    std::fs::write(&gaf, text).unwrap();
    let table = dir.join("genes.tsv");
    let mut text = String::from("entrez\tsymbol\tensembl\taliases\tname\n");
    for i in 0..300 {
        text.push_str(&format!("{}\tS{i}\tENSG{i:011}\t\tgene {i}\n", i + 1));
    }
    std::fs::write(&table, text).unwrap();
    // Ranked by Ensembl ids with version suffixes, plus one unknown id and a
    // symbol naming a gene already ranked.
    let rnk = dir.join("ensembl.rnk");
    let mut text = String::new();
    for i in 0..300 {
        text.push_str(&format!("ENSG{i:011}.3\t{}\n", small_score(i)));
    }
    text.push_str("ENSG_UNKNOWN\t0.25\nS5\t0.125\n");
    std::fs::write(&rnk, text).unwrap();
    (obo, gaf, table, rnk)
}

#[test]
fn go_gene_sets_map_ranked_ids_onto_annotation_genes() {
    let dir = scratch("gsea-go");
    let (obo, gaf, table, rnk) = write_small_go(&dir);
    let (obo, gaf, table, rnk) = (arg(&obo), arg(&gaf), arg(&table), arg(&rnk));
    let go_flags = [
        "--rnk",
        &rnk,
        "--ontology",
        &obo,
        "--annotations",
        &gaf,
        "--id-map",
        &table,
    ];
    let run = |relations: &str, name: &str| {
        let out = dir.join(name);
        let extra = ["--relations", relations, "--min-size", "5"];
        gsea_ok(&[&go_flags[..], &extra[..]].concat(), &out);
        out
    };
    let all = run("all", "all");
    let (_, rows) = read_rows(&all.join("gsea.tsv"));
    let size: HashMap<&str, &str> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[6].as_str()))
        .collect();
    // high process: its 20 genes plus the 10 of its part.
    assert_eq!(size["GO:0000002"], "30");
    assert_eq!(size["GO:0000003"], "20");
    assert_eq!(size["GO:0000004"], "10");
    assert_eq!(size["GO:0000001"], "50");
    let high = rows.iter().find(|r| r[0] == "GO:0000002").unwrap();
    assert!(
        number(&high[4]) > 0.5 && number(&high[1]) < 1e-4,
        "{high:?}"
    );
    assert!(
        high[7]
            .split('/')
            .all(|g| g.starts_with("ENSG") && g.ends_with(".3")),
        "leading edge in ranked ids: {}",
        high[7]
    );
    let is_a = run("is_a", "is_a");
    let (_, rows) = read_rows(&is_a.join("gsea.tsv"));
    let high = rows.iter().find(|r| r[0] == "GO:0000002").unwrap();
    assert_eq!(high[6], "20");

    let (header, mapping) = read_rows(&all.join("id_mapping.tsv"));
    assert_eq!(
        header,
        ["input", "status", "gene_id", "symbol", "matched_by"]
    );
    assert_eq!(mapping.len(), 302);
    assert_eq!(
        mapping[7],
        ["ENSG00000000007.3", "mapped", "8", "S7", "ensembl"]
    );
    assert_eq!(mapping[300][..2], ["ENSG_UNKNOWN", "unmapped"]);
    assert_eq!(mapping[301], ["S5", "duplicate", "6", "S5", "symbol"]);
    let manifest = std::fs::read_to_string(all.join("run.json")).unwrap();
    assert!(
        manifest.contains("\"go_release\": \"releases/2099-01-01\""),
        "{manifest}"
    );
    assert!(
        manifest.contains("\"annotation_source\": \"2099-01-02\""),
        "{manifest}"
    );
    assert!(manifest.contains("\"unmapped\": 1"), "{manifest}");
    assert!(manifest.contains("\"duplicate\": 1"), "{manifest}");

    // An unknown namespace.
    let out = dir.join("bad");
    let r = gsea(&[&go_flags[..], &["--namespace", "XX"]].concat(), &out);
    assert_fails(&r, &out, &["--namespace XX"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The bundled GO snapshot gives the same BP sets (is_a + part_of) as the
/// golden GMT, which was built with goatools from ../shared/data/go: same
/// sizes, ES and leading edges for the large sets tested here.
#[test]
fn bundled_go_sets_equal_the_golden_gmt() {
    let dir = scratch("gsea-bundled");
    let rnk = arg(&golden("airway_dex.rnk.gz"));
    let flags = ["--rnk", &rnk, "--min-size", "350", "--max-size", "500"];
    let from_gmt = dir.join("gmt");
    let gmt = arg(&golden("go_bp.gmt.gz"));
    gsea_ok(&[&flags[..], &["--gmt", &gmt]].concat(), &from_gmt);
    let from_go = dir.join("go");
    gsea_ok(
        &[&flags[..], &["--relations", "is_a,part_of"]].concat(),
        &from_go,
    );
    let (_, gmt_rows) = read_rows(&from_gmt.join("gsea.tsv"));
    let (_, go_rows) = read_rows(&from_go.join("gsea.tsv"));
    let go: HashMap<&str, &Vec<String>> = go_rows.iter().map(|r| (r[0].as_str(), r)).collect();
    assert_eq!(gmt_rows.len(), go_rows.len());
    for r in &gmt_rows {
        let g = go
            .get(r[0].as_str())
            .unwrap_or_else(|| panic!("{} missing from GO run", r[0]));
        assert_eq!(r[6], g[6], "{}: size", r[0]);
        assert_eq!(r[4], g[4], "{}: ES", r[0]);
        assert_eq!(r[7], g[7], "{}: leading edge", r[0]);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
