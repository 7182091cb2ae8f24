//! `osteon enrich` end to end: goldens from goatools 1.6.7 and from
//! clusterProfiler's gene sets (org.Hs.egGO2ALLEGS) on the bundled GO
//! snapshot (identical k, n, K, N and p-values within 1e-9 relative),
//! the output files on a small hand-made ontology, and every bad-input case
//! (non-zero exit, a message naming the file/term/option, no output folder).

mod common;

use common::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn golden_enrich() -> PathBuf {
    manifest_dir().join("tests/golden/enrich")
}

/// The GO data for the goldens: the repository's bundled snapshot
/// (`data/go`), else `../shared/data/go`, else none (the test is skipped).
fn go_data() -> Option<(PathBuf, PathBuf, PathBuf)> {
    let bundled = manifest_dir().join("../../data/go");
    if bundled.join("go.obo.gz").is_file() {
        return Some((
            bundled.join("go.obo.gz"),
            bundled.join("human.gaf.gz"),
            bundled.join("human_genes.tsv.gz"),
        ));
    }
    let shared = shared_data()?.join("go");
    shared.join("go-basic.obo.gz").is_file().then(|| {
        (
            shared.join("go-basic.obo.gz"),
            shared.join("human.gaf.gz"),
            shared.join("human_genes.tsv.gz"),
        )
    })
}

/// A TSV file (optionally gzip) as rows keyed by their first column.
fn read_keyed(path: &Path) -> (Vec<String>, HashMap<String, Vec<String>>) {
    let table = osteon_io::read_long_table(path).unwrap_or_else(|e| panic!("{e}"));
    let rows = table
        .rows
        .iter()
        .map(|r| {
            let cells: Vec<String> = r
                .iter()
                .map(|c| c.clone().unwrap_or_else(|| "NA".into()))
                .collect();
            (cells[0].clone(), cells)
        })
        .collect();
    (table.columns, rows)
}

fn enrich(args: &[&str], out: &Path) -> std::process::Output {
    osteon()
        .arg("enrich")
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run osteon")
}

/// Runs osteon on one golden list and compares `enrichment_stats.tsv` with
/// the reference's `k n K N pvalue` (and `p.adjust` when the golden has it).
fn check_golden(list: &str, golden: &str, extra: &[&str]) {
    let Some((obo, gaf, genes)) = go_data() else {
        eprintln!("skipped: neither data/go nor ../shared/data/go is present");
        return;
    };
    let dir = golden_enrich();
    let out = scratch(&format!("enrich-golden-{golden}")).join("out");
    let paths = [
        dir.join(list),
        dir.join("universe.txt"),
        obo.clone(),
        gaf.clone(),
        genes.clone(),
    ];
    let mut args: Vec<&str> = vec!["--genes"];
    let p: Vec<&str> = paths.iter().map(|p| p.to_str().unwrap()).collect();
    args.extend([
        p[0],
        "--universe",
        p[1],
        "--ontology",
        p[2],
        "--annotations",
        p[3],
        "--id-map",
        p[4],
    ]);
    args.extend(["--namespace", "BP", "--quiet"]);
    args.extend(extra);
    run_ok(osteon().arg("enrich").args(&args).arg("--out").arg(&out));
    let (reference_columns, reference) = read_keyed(&dir.join(golden));
    let (columns, ours) = read_keyed(&out.join("enrichment_stats.tsv"));
    assert_eq!(
        columns[..7],
        ["ID", "k", "n", "K", "N", "pvalue", "p.adjust"]
    );
    assert_eq!(reference_columns[..6], columns[..6]);
    let numeric_columns = reference_columns.len().min(7);
    let mut only_reference: Vec<&String> = reference
        .keys()
        .filter(|k| !ours.contains_key(*k))
        .collect();
    let mut only_ours: Vec<&String> = ours
        .keys()
        .filter(|k| !reference.contains_key(*k))
        .collect();
    only_reference.sort();
    only_ours.sort();
    assert!(
        only_reference.is_empty() && only_ours.is_empty(),
        "{golden}: tested terms differ: only goatools {:?}, only osteon {:?}",
        &only_reference[..only_reference.len().min(10)],
        &only_ours[..only_ours.len().min(10)]
    );
    let mut worst = (String::new(), 0.0f64);
    for (id, r) in &reference {
        let o = &ours[id];
        for c in 1..5 {
            let expected: u64 = r[c].parse().unwrap();
            let found: f64 = o[c].parse().unwrap();
            assert_eq!(
                found, expected as f64,
                "{golden} {id}: column {} differs ({} vs {})",
                columns[c], o[c], r[c]
            );
        }
        for c in 5..numeric_columns {
            let (expected, found): (f64, f64) = (r[c].parse().unwrap(), o[c].parse().unwrap());
            let d = rel_diff(found, expected);
            if d > worst.1 {
                worst = (format!("{id} {}", columns[c]), d);
            }
        }
    }
    eprintln!(
        "{golden}: {} terms, identical k n K N, worst p relative difference {:e} ({})",
        reference.len(),
        worst.1,
        worst.0
    );
    assert!(
        worst.1 <= 1e-9,
        "{golden}: p-value of {} differs by {:e} relative",
        worst.0,
        worst.1
    );
    assert!(reference.len() > 1000, "the golden should cover many terms");
}

/// goatools' semantics: is_a only, the whole universe as population, no
/// size limits.
const GOATOOLS: [&str; 8] = [
    "--relations",
    "is_a",
    "--universe-policy",
    "all",
    "--min-size",
    "0",
    "--max-size",
    "0",
];

#[test]
fn goatools_golden_large_list() {
    check_golden("list_large.txt", "goatools_large.tsv.gz", &GOATOOLS);
}

#[test]
fn goatools_golden_small_list() {
    check_golden("list_small.txt", "goatools_small.tsv.gz", &GOATOOLS);
}

#[test]
fn goatools_golden_elim() {
    let mut args = GOATOOLS.to_vec();
    args.extend(["--algorithm", "elim"]);
    check_golden("list_large.txt", "goatools_large_elim.tsv.gz", &args);
}

/// osteon's defaults against clusterProfiler's gene sets and counting
/// (org.Hs.egGO2ALLEGS, enricher_internal), p and p.adjust.
#[test]
fn clusterprofiler_semantics_golden_defaults() {
    check_golden("list_large.txt", "clusterprofiler_large.tsv.gz", &[]);
}

// ---------------------------------------------------------------------------
// A small hand-made ontology:
//
//   GO:0008150 biological_process
//   ├── GO:0000001 bone thing (alt_id GO:0000099)
//   │   └── GO:0000002 bone subthing
//   └── GO:0000003 immune thing
//   GO:0003674 molecular_function
//
// Annotations (Entrez ids 1..41): 1-10 -> GO:0000002, 11-15 -> GO:0000099
// (alt id), 16-40 -> GO:0000003, 41 -> GO:9999999 (not in the ontology),
// plus a NOT line for gene 1. The gene table has 45 genes (42-45 without
// annotation), Ensembl ids ENSG000000000NN.

const OBO: &str = "format-version: 1.2\ndata-version: releases/2099-01-01\nontology: go\n\n[Term]\nid: GO:0008150\nname: biological_process\nnamespace: biological_process\n\n[Term]\nid: GO:0000001\nname: bone thing\nnamespace: biological_process\nalt_id: GO:0000099\nis_a: GO:0008150 ! biological_process\n\n[Term]\nid: GO:0000002\nname: bone subthing\nnamespace: biological_process\nis_a: GO:0000001\n\n[Term]\nid: GO:0000003\nname: immune thing\nnamespace: biological_process\nis_a: GO:0008150\n\n[Term]\nid: GO:0003674\nname: molecular_function\nnamespace: molecular_function\n";

fn gaf_line(gene: usize, qualifier: &str, go: &str) -> String {
    format!("NCBIGene\t{gene}\tG{gene}\t{qualifier}\t{go}\tPMID:1\tIDA\t\tP\tgene {gene}\t\tprotein\ttaxon:9606\t20220912\tTest\t\t\n")
}

fn small_gaf() -> String {
    let mut text = String::from(
        "!gaf-version: 2.2\n!date-generated: 2099-02-03\n!generated-by: enrich_cli test\n",
    );
    for g in 1..=41 {
        let go = match g {
            1..=10 => "GO:0000002",
            11..=15 => "GO:0000099",
            16..=40 => "GO:0000003",
            _ => "GO:9999999",
        };
        text.push_str(&gaf_line(g, "", go));
    }
    text.push_str(&gaf_line(1, "NOT|involved_in", "GO:0000003"));
    text
}

fn ensembl(g: usize) -> String {
    format!("ENSG{g:011}")
}

fn small_gene_table() -> String {
    let mut text = String::from("entrez\tsymbol\tensembl\taliases\tname\n");
    for g in 1..=45 {
        let aliases = if g == 2 || g == 3 {
            "SHARED".to_string()
        } else {
            format!("ALIAS{g}")
        };
        text.push_str(&format!("{g}\tG{g}\t{}\t{aliases}\tgene {g}\n", ensembl(g)));
    }
    text
}

struct Small {
    dir: PathBuf,
    obo: PathBuf,
    gaf: PathBuf,
    genes: PathBuf,
}

impl Small {
    fn new(name: &str) -> Small {
        let dir = scratch(&format!("enrich-{name}"));
        let obo = dir.join("go.obo");
        let gaf = dir.join("human.gaf");
        let genes = dir.join("genes.tsv");
        std::fs::write(&obo, OBO).unwrap();
        std::fs::write(&gaf, small_gaf()).unwrap();
        std::fs::write(&genes, small_gene_table()).unwrap();
        Small {
            dir,
            obo,
            gaf,
            genes,
        }
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn go_args(&self) -> Vec<String> {
        vec![
            "--ontology".into(),
            self.obo.display().to_string(),
            "--annotations".into(),
            self.gaf.display().to_string(),
            "--id-map".into(),
            self.genes.display().to_string(),
            "--quiet".into(),
        ]
    }

    /// Runs on a gene list with `text`, plus `extra` flags; returns the
    /// result and the output folder.
    fn run_list(&self, text: &str, extra: &[&str]) -> (std::process::Output, PathBuf) {
        let list = self.write("list.txt", text);
        let out = self.dir.join("out");
        let mut args = vec!["--genes", list.to_str().unwrap()];
        args.extend(extra);
        (self.run(&args, &out), out)
    }

    fn run(&self, extra: &[&str], out: &Path) -> std::process::Output {
        let mut args = self.go_args();
        args.extend(extra.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        enrich(&args, out)
    }
}

/// Asserts success, showing stderr otherwise.
fn assert_ok(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Asserts failure with a message containing every `needle`, and no output.
fn assert_fails(out: &std::process::Output, out_dir: &Path, needles: &[&str]) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "expected failure, got success; stderr:\n{err}"
    );
    assert_eq!(out.status.code(), Some(2), "exit code; stderr:\n{err}");
    for needle in needles {
        assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
    }
    assert!(!out_dir.exists(), "output folder was left behind");
    let parent = out_dir.parent().unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(parent)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left behind: {leftovers:?}"
    );
}

use common::read_tsv_cells as read_tsv;

#[test]
fn small_ontology_outputs_columns_ids_and_provenance() {
    let s = Small::new("outputs");
    // list: genes 1..8 by Ensembl id with version suffixes, one unmapped id,
    // one repeated gene (by symbol) and one ambiguous alias
    let mut list: Vec<String> = (1..=8).map(|g| format!("{}.{g}", ensembl(g))).collect();
    list.extend([
        "NOT_A_GENE".to_string(),
        "G3".to_string(),
        "SHARED".to_string(),
    ]);
    let list = s.write("list.txt", &(list.join("\n") + "\n"));
    let universe: Vec<String> = (1..=45).map(ensembl).collect();
    let universe = s.write(
        "universe.txt",
        &("gene\n".to_string() + &universe.join("\n") + "\n"),
    );
    let out = s.dir.join("out");
    let result = s.run(
        &[
            "--genes",
            list.to_str().unwrap(),
            "--universe",
            universe.to_str().unwrap(),
            "--pvalue-cutoff",
            "0.5",
            "--qvalue-cutoff",
            "1",
        ],
        &out,
    );
    assert_ok(&result);

    let rows = read_tsv(&out.join("enrichment.tsv"));
    assert_eq!(
        rows[0],
        [
            "ID",
            "Description",
            "GeneRatio",
            "BgRatio",
            "RichFactor",
            "FoldEnrichment",
            "zScore",
            "pvalue",
            "p.adjust",
            "qvalue",
            "geneID",
            "Count"
        ]
    );
    // N = 40 annotated universe genes (41 only names an unknown term; 42-45
    // have no annotation), n = 8.
    assert_eq!(rows.len(), 4, "{rows:?}"); // bone subthing, bone thing, root
    assert_eq!(rows[1][0], "GO:0000002");
    assert_eq!(rows[1][1], "bone subthing");
    assert_eq!(rows[1][2], "8/8");
    assert_eq!(rows[1][3], "10/40");
    // R: sprintf('%.17g', phyper(7, 10, 30, 8, lower.tail = FALSE))
    let p: f64 = rows[1][7].parse().unwrap();
    assert!(rel_diff(p, 5.8513990402535512e-07) < 1e-14, "{p}");
    // the user's own ids, in list order
    let expected: Vec<String> = (1..=8).map(|g| format!("{}.{g}", ensembl(g))).collect();
    assert_eq!(rows[1][10], expected.join("/"));
    assert_eq!(rows[1][11], "8");
    // bone thing: alt-id annotations of genes 11-15 count; K = 15
    assert_eq!(rows[2][0], "GO:0000001");
    assert_eq!(rows[2][3], "15/40");
    // R: sprintf('%.17g', phyper(7, 15, 25, 8, lower.tail = FALSE))
    let p: f64 = rows[2][7].parse().unwrap();
    assert!(rel_diff(p, 8.3675006275625542e-05) < 1e-14, "{p}");
    assert_eq!(rows[3][0], "GO:0008150");
    assert_eq!(rows[3][7], "1");
    // q-values: max p = 1 >= 0.05 so qvalue() works; pi0 = min(1, (1/3)/0.95)
    let q: f64 = rows[3][9].parse().unwrap();
    assert!(rel_diff(q, (1.0 / 3.0) / 0.95) < 1e-15, "{q}");

    // simplified: bone thing and bone subthing are similar (Wang > 0.7);
    // the one with the smaller p.adjust stays
    let simplified = read_tsv(&out.join("enrichment_simplified.tsv"));
    let ids: Vec<&str> = simplified[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, ["GO:0000002"]);

    // every input id is in id_mapping.tsv with its status
    let mapping = read_tsv(&out.join("id_mapping.tsv"));
    assert_eq!(mapping[0][..4], ["input", "role", "status", "matched_by"]);
    let status: HashMap<(String, String), String> = mapping[1..]
        .iter()
        .map(|r| ((r[0].clone(), r[1].clone()), r[2].clone()))
        .collect();
    assert_eq!(status.len(), 11 + 45);
    assert_eq!(
        status[&(format!("{}.1", ensembl(1)), "list".into())],
        "mapped"
    );
    assert_eq!(status[&("NOT_A_GENE".into(), "list".into())], "unmapped");
    assert_eq!(status[&("G3".into(), "list".into())], "duplicate");
    assert_eq!(status[&("SHARED".into(), "list".into())], "ambiguous");
    assert_eq!(status[&(ensembl(45), "universe".into())], "mapped");

    // provenance and the annotation report
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["go_release"], "releases/2099-01-01");
    assert_eq!(run["annotation_date"], "2099-02-03");
    assert_eq!(run["N"], 40);
    assert_eq!(run["n"], 8);
    assert_eq!(run["annotations"]["unknown_terms"]["GO:9999999"], 1);
    assert_eq!(run["annotations"]["lines_not_qualified_excluded"], 1);
    assert_eq!(
        run["annotations"]["alt_ids_resolved"]["GO:0000099"]["links"],
        5
    );
    assert_eq!(run["id_mapping"]["list"]["unmapped"], 1);
    assert_eq!(run["id_mapping"]["list"]["ambiguous"], 1);
    assert_eq!(run["id_mapping"]["list"]["duplicate"], 1);
}

#[test]
fn universe_policy_all_counts_unannotated_genes() {
    let s = Small::new("policy-all");
    let list = s.write("list.txt", "1\n2\n3\n4\n5\n6\n7\n8\n");
    let universe: Vec<String> = (1..=45).map(|g| g.to_string()).collect();
    let universe = s.write("universe.txt", &(universe.join("\n") + "\n"));
    let out = s.dir.join("out");
    let result = s.run(
        &[
            "--genes",
            list.to_str().unwrap(),
            "--universe",
            universe.to_str().unwrap(),
            "--universe-policy",
            "all",
        ],
        &out,
    );
    assert_ok(&result);
    let rows = read_tsv(&out.join("enrichment.tsv"));
    assert_eq!(rows[1][0], "GO:0000002");
    assert_eq!(rows[1][3], "10/45");
}

/// The gene-id table is read on a thread of its own when more than one
/// thread is allowed: the outputs must not depend on it, and a bad table
/// must still stop the run with its error and no output.
#[test]
fn identical_for_one_and_two_threads_and_a_bad_id_table_stops_the_run() {
    let s = Small::new("threads");
    let list = s.write(
        "list.txt",
        "1\n2\n3\nENSG00000000004.3\nG5\nalias6\n7\nNOPE\n",
    );
    let universe: Vec<String> = (1..=45).map(|g| g.to_string()).collect();
    let universe = s.write("universe.txt", &(universe.join("\n") + "\n"));
    let run = |threads: &str| {
        let out = s.dir.join(format!("out-{threads}"));
        let args = [
            "--genes",
            list.to_str().unwrap(),
            "--universe",
            universe.to_str().unwrap(),
            "--threads",
            threads,
        ];
        assert_ok(&s.run(&args, &out));
        out
    };
    let (one, two) = (run("1"), run("2"));
    for table in [
        "enrichment.tsv",
        "enrichment_simplified.tsv",
        "enrichment_stats.tsv",
        "id_mapping.tsv",
    ] {
        assert_eq!(
            std::fs::read(one.join(table)).unwrap(),
            std::fs::read(two.join(table)).unwrap(),
            "{table} differs between 1 and 2 threads"
        );
    }
    let mut bad_table = small_gene_table();
    bad_table.push_str("7\tG7again\t\t\tduplicate\n");
    std::fs::write(&s.genes, bad_table).unwrap();
    for threads in ["1", "2"] {
        let out = s.dir.join(format!("bad-{threads}"));
        let args = ["--genes", list.to_str().unwrap(), "--threads", threads];
        assert_fails(&s.run(&args, &out), &out, &["genes.tsv", "7"]);
    }
}

#[test]
fn de_results_with_direction() {
    let s = Small::new("de");
    let mut text = String::from("gene\tbaseMean\tlog2FoldChange\tlfcSE\tstat\tpvalue\tpadj\n");
    for g in 1..=45 {
        let (lfc, padj) = match g {
            1..=8 => ("2.5", "0.001".to_string()),
            9..=12 => ("-3", "0.001".to_string()),
            44 | 45 => ("0.1", "NA".to_string()),
            _ => ("0.2", format!("0.{g}")),
        };
        text.push_str(&format!(
            "{}.3\t100\t{lfc}\t0.3\t1\t0.01\t{padj}\n",
            ensembl(g)
        ));
    }
    let de = s.write("results.tsv", &text);
    let out = s.dir.join("out");
    let result = s.run(
        &[
            "--de",
            de.to_str().unwrap(),
            "--padj",
            "0.05",
            "--direction",
            "up",
        ],
        &out,
    );
    assert_ok(&result);
    let rows = read_tsv(&out.join("enrichment.tsv"));
    // universe: 43 genes with a padj, 40 of them annotated... minus 44, 45
    // (NA) which are unannotated anyway: N = 40, n = 8 (up only)
    assert_eq!(rows[1][0], "GO:0000002");
    assert_eq!(rows[1][2], "8/8");
    assert_eq!(rows[1][3], "10/40");
    let mapping = read_tsv(&out.join("id_mapping.tsv"));
    let roles: HashMap<String, String> = mapping[1..]
        .iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    assert_eq!(roles[&format!("{}.3", ensembl(9))], "universe");
    assert_eq!(roles[&format!("{}.3", ensembl(44))], "excluded_padj_na");
    // down: genes 9-12 (GO:0000002 for 9, 10; GO:0000001 for 11, 12)
    let out = s.dir.join("out-down");
    let result = s.run(&["--de", de.to_str().unwrap(), "--direction", "down"], &out);
    assert_ok(&result);
    let rows = read_tsv(&out.join("enrichment.tsv"));
    let counts: HashMap<String, String> = rows[1..]
        .iter()
        .map(|r| (r[0].clone(), r[2].clone()))
        .collect();
    assert_eq!(counts["GO:0000001"], "4/4");
    assert_eq!(counts["GO:0000002"], "2/4");
}

#[test]
fn bad_input_empty_list() {
    let (result, out) = Small::new("empty").run_list("# nothing here\n\n", &[]);
    assert_fails(&result, &out, &["list.txt", "gene list is empty"]);
}

#[test]
fn bad_input_list_outside_universe() {
    let s = Small::new("outside");
    let list = s.write("list.txt", "1\n2\n3\n");
    let universe = s.write("universe.txt", "20\n21\n22\n");
    let out = s.dir.join("out");
    let result = s.run(
        &[
            "--genes",
            list.to_str().unwrap(),
            "--universe",
            universe.to_str().unwrap(),
        ],
        &out,
    );
    assert_fails(
        &result,
        &out,
        &[
            "list.txt",
            "none of the 3 genes of the list is in the universe",
        ],
    );
}

#[test]
fn bad_input_unmapped_list() {
    let (result, out) = Small::new("unmapped").run_list("FOO\nBAR\n", &[]);
    assert_fails(
        &result,
        &out,
        &["list.txt", "none of the 2 ids could be mapped", "FOO, BAR"],
    );
}

#[test]
fn bad_input_unknown_namespace() {
    let (result, out) = Small::new("namespace").run_list("1\n2\n", &["--namespace", "XX"]);
    assert_fails(&result, &out, &["--namespace XX", "unknown namespace"]);
}

#[test]
fn bad_input_ontology_cycle_and_dangling_parent() {
    let s = Small::new("cycle");
    let cyclic = OBO.replace("is_a: GO:0008150 ! biological_process", "is_a: GO:0000002");
    std::fs::write(&s.obo, cyclic).unwrap();
    let (result, out) = s.run_list("1\n2\n", &[]);
    assert_fails(
        &result,
        &out,
        &["go.obo", "cycle", "GO:0000001 -> GO:0000002 -> GO:0000001"],
    );

    let dangling = OBO.replace("is_a: GO:0008150 ! biological_process", "is_a: GO:0007777");
    std::fs::write(&s.obo, dangling).unwrap();
    let (result, out) = s.run_list("1\n2\n", &[]);
    assert_fails(
        &result,
        &out,
        &["go.obo", "GO:0000001", "GO:0007777", "not defined"],
    );
}

#[test]
fn bad_input_malformed_files() {
    let s = Small::new("malformed");
    std::fs::write(&s.gaf, small_gaf() + "NCBIGene\t99\tX\n").unwrap();
    let (result, out) = s.run_list("1\n2\n", &[]);
    assert_fails(&result, &out, &["human.gaf line 46", "at least 15"]);
    std::fs::write(&s.gaf, small_gaf()).unwrap();
    std::fs::write(&s.obo, OBO.replace("name: bone thing", "name bone thing")).unwrap();
    let (result, out) = s.run_list("1\n2\n", &[]);
    assert_fails(&result, &out, &["go.obo line 12", "tag: value"]);
}

#[test]
fn bad_input_options_and_missing_go_data() {
    let s = Small::new("options");
    let list = s.write("list.txt", "1\n2\n");
    let out = s.dir.join("out");
    // bad values are caught before anything is read
    let result = enrich(
        &["--genes", list.to_str().unwrap(), "--quiet", "--padj", "2"],
        &out,
    );
    assert_fails(&result, &out, &["--padj must be in (0, 1]"]);
    let (result, out) = s.run_list("1\n2\n", &["--relations", "is_a,has_part"]);
    assert_fails(&result, &out, &["--relations", "has_part"]);
    let (result, out) = s.run_list("1\n2\n", &["--min-size", "50", "--max-size", "5"]);
    assert_fails(&result, &out, &["--min-size 50", "--max-size 5"]);
}

#[test]
fn bundled_go_snapshot_is_the_default() {
    // no --ontology/--annotations/--id-map: the snapshot embedded in the
    // binary (data/go) is used and recorded
    let dir = scratch("enrich-bundled");
    let list = dir.join("list.txt");
    std::fs::write(
        &list,
        "ENSG00000141510\nVEGFA\n7422\nRUNX2\nSP7\nBGLAP\nCOL1A1\nSPP1\nIBSP\nALPL\n",
    )
    .unwrap();
    let out = dir.join("out");
    let result = enrich(
        &[
            "--genes",
            list.to_str().unwrap(),
            "--quiet",
            "--min-size",
            "5",
        ],
        &out,
    );
    assert_ok(&result);
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["go_release"], "releases/2022-07-01");
    let mapping = read_tsv(&out.join("id_mapping.tsv"));
    assert_eq!(mapping[1][..3], ["ENSG00000141510", "list", "mapped"]);
    assert_eq!(mapping[3][..3], ["7422", "list", "duplicate"]); // VEGFA again
    let rows = read_tsv(&out.join("enrichment.tsv"));
    assert!(
        rows.iter().any(|r| r[1] == "ossification"),
        "{:?}",
        &rows[..rows.len().min(5)]
    );
}

#[test]
fn bad_input_de_without_significant_genes() {
    let s = Small::new("de-empty");
    let de = s.write(
        "results.tsv",
        "gene\tlog2FoldChange\tpadj\n1\t1\t0.5\n2\t-1\tNA\n",
    );
    let out = s.dir.join("out");
    let result = s.run(&["--de", de.to_str().unwrap()], &out);
    assert_fails(&result, &out, &["results.tsv", "no gene has padj < 0.05"]);
}
