//! `osteon demo`, `osteon run` and `osteon init` end to end: the report's
//! content (figures, tables equal to the TSVs, the planted signal, escaping),
//! validation of study files before any computing, and atomic output.

mod common;

use common::{osteon, run_ok, scratch, Table};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Runs `osteon demo` once per test process and returns its folder.
fn demo_folder() -> PathBuf {
    static DEMO: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = scratch("demo").join("out");
        run_ok(osteon().args(["demo", "--quiet", "--out"]).arg(&dir));
        dir
    })
    .clone()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The rows of the report table whose `<table>` id contains `table_id`:
/// first cell text → (display texts, data-values) of the number cells.
fn html_table_rows(html: &str, table_id: &str) -> HashMap<String, Vec<(String, f64)>> {
    let start = html
        .find(&format!("id=\"{table_id}"))
        .unwrap_or_else(|| panic!("no table {table_id} in the report"));
    let body_start = start + html[start..].find("<tbody>").expect("tbody");
    let body_end = body_start + html[body_start..].find("</tbody>").expect("end of tbody");
    let mut rows = HashMap::new();
    for row in html[body_start..body_end].split("<tr>").skip(1) {
        let cells: Vec<&str> = row.split("<td").skip(1).collect();
        let text_of = |cell: &str| -> String {
            let open = cell.find('>').expect("cell") + 1;
            let close = cell.find("</td>").expect("cell end");
            cell[open..close].to_string()
        };
        let key = text_of(cells[0]);
        let numbers = cells
            .iter()
            .filter_map(|cell| {
                let v = cell.split("data-value=\"").nth(1)?;
                let value = &v[..v.find('"')?];
                let value = match value {
                    "NA" | "NaN" => f64::NAN,
                    other => other.parse().ok()?,
                };
                Some((text_of(cell), value))
            })
            .collect();
        rows.insert(key, numbers);
    }
    rows
}

#[test]
fn demo_writes_the_study_and_every_figure() {
    let dir = demo_folder();
    for file in [
        "study/study.toml",
        "study/stroma/counts.tsv",
        "results/report.html",
        "results/run.json",
        "results/de/POEMS_vs_MM/results.tsv",
        "results/de/size_factors.tsv",
        "results/de/dispersions.tsv",
        "results/de/vst.tsv",
    ] {
        assert!(dir.join(file).is_file(), "missing {file}");
    }
    let html = read(&dir.join("results/report.html"));
    for figure in [
        "library_sizes",
        "size_factors",
        "pca",
        "sample_distances",
        "dispersions",
        "ma_POEMS_vs_MM",
        "volcano_POEMS_vs_MM",
        "counts_POEMS_vs_MM_ENSG00000112715",
    ] {
        let path = dir.join(format!("results/figures/{figure}.svg"));
        let svg = read(&path);
        assert!(
            svg.starts_with("<?xml") && svg.contains("<svg") && svg.trim_end().ends_with("</svg>"),
            "{figure}.svg is not a standalone SVG"
        );
        assert!(
            html.contains(&format!("figures/{figure}.svg")),
            "the report does not link {figure}.svg"
        );
    }
    assert!(
        html.contains("These data are simulated"),
        "the simulated-data notice is missing"
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&dir.join("results/run.json"))).unwrap();
    assert_eq!(manifest["go_release"], "2022-07-01");
    assert_eq!(
        manifest["analyses"]["rnaseq"]["reference_implementation"],
        "DESeq2 1.38.3 (DESeq() + results() defaults)"
    );
}

#[test]
fn report_tables_show_the_numbers_of_the_tsv_files() {
    let dir = demo_folder();
    let html = read(&dir.join("results/report.html"));
    let tsv = Table::read(&dir.join("results/de/POEMS_vs_MM/results.tsv"));
    let by_gene = tsv.by_key();
    let rows = html_table_rows(&html, "tbl-results-poems-vs-mm");
    assert!(rows.len() >= 100, "only {} rows inline", rows.len());
    let digits = [4u8, 4, 4, 4, 3, 3]; // baseMean … stat: 4; pvalue, padj: 3
    for (gene, cells) in &rows {
        let expected = &by_gene[gene];
        assert_eq!(cells.len(), 6, "{gene}: {cells:?}");
        for (k, (shown, value)) in cells.iter().enumerate() {
            let want = expected[k];
            assert!(
                (value.is_nan() && want.is_nan()) || (value - want).abs() <= 1e-14 * want.abs(),
                "{gene} column {k}: report {value} vs TSV {want}"
            );
            assert_eq!(
                shown,
                &osteon_report::html::format_number(want, digits[k]),
                "{gene} column {k}"
            );
        }
    }
}

#[test]
fn the_planted_signal_is_found() {
    let dir = demo_folder();
    let tsv = Table::read(&dir.join("results/de/POEMS_vs_MM/results.tsv"));
    let by_gene = tsv.by_key();
    let vegfa = &by_gene["ENSG00000112715"];
    let (lfc, padj) = (vegfa[1], vegfa[5]);
    assert!(lfc > 0.8 && padj < 0.01, "VEGFA: log2FC {lfc}, padj {padj}");
    // Most of the 40 planted bone-formation genes come out up.
    let genes = read(&dir.join("study/stroma/genes.tsv"));
    let planted: Vec<&str> = genes
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[2].parse::<f64>().unwrap_or(0.0) >= 1.0).then_some(f[0])
        })
        .collect();
    let found = planted
        .iter()
        .filter(|g| by_gene[**g][5] < 0.1 && by_gene[**g][1] > 0.0)
        .count();
    assert!(
        found * 2 > planted.len(),
        "{found} of {} planted genes found",
        planted.len()
    );
}

/// A small study whose sample and gene names are HTML/JS payloads.
fn hostile_study(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let samples = ["<script>alert(1)</script>", "s2", "s3", "s4", "s5", "s6"];
    let mut counts = String::from("gene");
    for s in samples {
        counts.push('\t');
        counts.push_str(s);
    }
    counts.push('\n');
    for g in 0..300 {
        let name = if g == 0 {
            "<img src=x onerror=alert(1)>".to_string()
        } else {
            format!("gene{g}")
        };
        counts.push_str(&name);
        for j in 0..6 {
            let base = 20 + (g * 7 + j * 13) % 50 + if g % 10 == 0 && j >= 3 { 120 } else { 0 };
            counts.push_str(&format!("\t{base}"));
        }
        counts.push('\n');
    }
    std::fs::write(dir.join("counts.tsv"), counts).unwrap();
    let mut sheet = String::from("sample\tgroup\n");
    for (j, s) in samples.iter().enumerate() {
        sheet.push_str(&format!("{s}\t{}\n", if j < 3 { "<b>a</b>" } else { "b" }));
    }
    std::fs::write(dir.join("samples.tsv"), sheet).unwrap();
    let study = r#"
[study]
title = "\"><script>alert('title')</script>"
notice = "<img src=x onerror=alert(2)>"

[rnaseq]
counts = "counts.tsv"
samples = "samples.tsv"
design = "~ group"
genes_of_interest = ["<img src=x onerror=alert(1)>"]

[[rnaseq.contrasts]]
name = "b_vs_a"
levels = ["group", "b", "<b>a</b>"]
"#;
    let path = dir.join("study.toml");
    std::fs::write(&path, study).unwrap();
    path
}

#[test]
fn names_from_input_files_are_escaped_in_the_report() {
    let dir = scratch("escape");
    let study = hostile_study(&dir);
    run_ok(
        osteon()
            .args(["run", "--quiet"])
            .arg(&study)
            .arg("--out")
            .arg(dir.join("out")),
    );
    let html = read(&dir.join("out/report.html"));
    for payload in ["<script>alert", "<img src=x", "<b>a</b>"] {
        assert!(
            !html.contains(payload),
            "unescaped {payload:?} in the report"
        );
    }
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the sample name should appear escaped"
    );
    for entry in std::fs::read_dir(dir.join("out/figures")).unwrap() {
        let svg = read(&entry.unwrap().path());
        assert!(
            !svg.contains("<script") && !svg.contains("<img"),
            "unescaped payload in a figure"
        );
    }
}

#[test]
fn the_report_has_no_external_urls() {
    let html = read(&demo_folder().join("results/report.html"));
    for needle in ["http://", "https://", "src=\"//", "href=\"//"] {
        assert!(!html.contains(needle), "the report contains {needle}");
    }
}

/// Copies every file below `from` into `to`.
fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs `osteon run` on a variant of the demo study and returns stderr.
fn run_variant(name: &str, edit: impl Fn(&str) -> String) -> (bool, String, PathBuf) {
    let dir = scratch(name);
    let study_dir = demo_folder().join("study");
    copy_tree(&study_dir, &dir);
    let text = edit(&read(&study_dir.join("study.toml")));
    std::fs::write(dir.join("study.toml"), text).unwrap();
    let out = dir.join("out");
    let output = osteon()
        .args(["run", "--quiet"])
        .arg(dir.join("study.toml"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        out,
    )
}

#[test]
fn a_missing_file_is_named_with_its_key_and_line() {
    let (ok, err, out) = run_variant("missing", |t| {
        t.replace("stroma/counts.tsv", "stroma/nope.tsv")
    });
    assert!(!ok);
    assert!(
        err.contains("rnaseq.counts") && err.contains("nope.tsv") && err.contains("line"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn a_contrast_level_that_does_not_exist_stops_the_run_before_computing() {
    let (ok, err, out) = run_variant("level", |t| {
        t.replace("\"POEMS\", \"MM\"]", "\"POEMS\", \"MGUS\"]")
    });
    assert!(!ok);
    assert!(
        err.contains("rnaseq.contrasts[0]")
            && err.contains("MGUS")
            && err.contains("levels: MM, POEMS"),
        "{err}"
    );
    assert!(
        !err.contains("variance-stabilising"),
        "computing started: {err}"
    );
    assert!(!out.exists());
}

#[test]
fn an_enrichment_of_an_undefined_contrast_is_an_error() {
    let (ok, err, out) = run_variant("undefined", |t| {
        t.replace("contrast = \"POEMS_vs_MM\"", "contrast = \"POEMS_vs_MGUS\"")
    });
    assert!(!ok);
    assert!(
        err.contains("enrichment.poems_vs_mm.contrast")
            && err.contains("POEMS_vs_MGUS")
            && err.contains("line"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn unknown_keys_and_wrong_types_name_the_key_and_line() {
    let (ok, err, _) = run_variant("unknown", |t| {
        t.replace("design = ", "desgin = \"~ 1\"\ndesign = ")
    });
    assert!(!ok);
    assert!(err.contains("desgin") && err.contains("line"), "{err}");
    let (ok, err, _) = run_variant("type", |t| t.replace("padj = 0.05", "padj = \"0.05\""));
    assert!(!ok);
    assert!(
        err.contains("line") && err.contains("padj") && err.contains("invalid type"),
        "{err}"
    );
}

#[test]
fn a_failed_run_leaves_the_previous_results_intact() {
    let (ok, err, out) = run_variant("intact", |t| t.to_string());
    assert!(ok, "{err}");
    let before = read(&out.join("report.html"));
    // Every gene has a zero in some sample: size factors cannot be
    // estimated, which is found only while computing.
    let counts_path = out.parent().unwrap().join("stroma/counts.tsv");
    let counts = read(&counts_path);
    let zeroed: String = counts
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{l}\n")
            } else {
                let mut f: Vec<&str> = l.split('\t').collect();
                f[1 + i % 12] = "0";
                format!("{}\n", f.join("\t"))
            }
        })
        .collect();
    std::fs::write(&counts_path, zeroed).unwrap();
    let output = osteon()
        .args(["run", "--quiet"])
        .arg(out.parent().unwrap().join("study.toml"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("poscounts"));
    assert_eq!(
        read(&out.join("report.html")),
        before,
        "the previous report changed"
    );
}

#[test]
fn init_writes_a_template_and_refuses_to_overwrite() {
    let dir = scratch("init");
    let path = dir.join("study.toml");
    run_ok(osteon().arg("init").arg(&path));
    assert!(read(&path).contains("[rnaseq]"));
    let again = osteon().arg("init").arg(&path).output().unwrap();
    assert!(!again.status.success());
}

#[test]
fn demo_output_is_deterministic() {
    let first = demo_folder();
    let second = scratch("demo-again").join("out");
    run_ok(
        osteon()
            .args(["demo", "--quiet", "--threads", "1", "--out"])
            .arg(&second),
    );
    for file in [
        "results/report.html",
        "results/de/POEMS_vs_MM/results.tsv",
        "results/figures/volcano_POEMS_vs_MM.svg",
    ] {
        assert_eq!(
            read(&first.join(file)),
            read(&second.join(file)),
            "{file} differs between runs"
        );
    }
}

/// Headless Chromium loads the demo report without uncaught JS errors and
/// takes a screenshot. Skipped when Chromium is not installed, unless
/// OSTEON_REQUIRE_BROWSER is set (CI sets it).
#[test]
fn the_report_loads_in_a_browser_without_errors() {
    let script = common::manifest_dir().join("../osteon-report/tests/browser_check.sh");
    let has_chromium = std::process::Command::new("sh")
        .args(["-c", "command -v chromium || command -v chromium-browser"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !has_chromium || !script.is_file() {
        assert!(
            std::env::var_os("OSTEON_REQUIRE_BROWSER").is_none(),
            "chromium or {} missing",
            script.display()
        );
        eprintln!("skipping: chromium not installed");
        return;
    }
    let report = demo_folder().join("results/report.html");
    let shot = scratch("browser").join("report.png");
    let output = std::process::Command::new("bash")
        .arg(&script)
        .arg(&report)
        .arg(&shot)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "browser check failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        std::fs::metadata(&shot)
            .map(|m| m.len() > 10_000)
            .unwrap_or(false),
        "no screenshot"
    );
}

/// The single assay and cohort commands draw the same figures as the report.
#[test]
fn single_commands_write_svg_figures() {
    let examples = common::manifest_dir().join("../../examples");
    let dir = scratch("single-figures");
    let cases: [(&str, Vec<String>, &str); 3] = [
        (
            "survival",
            "--time etime --status event --status-codes 0,1,2 --cause 1 --group sex --time-unit months"
                .split(' ')
                .map(String::from)
                .chain(["--data".into(), examples.join("survival/mgus2.csv").display().to_string()])
                .collect(),
            "km_survival.svg",
        ),
        (
            "qpcr",
            "--reference GAPDH,ACTB --calibrator BCBM"
                .split(' ')
                .map(String::from)
                .chain(["--data".into(), examples.join("qpcr/data.csv").display().to_string()])
                .collect(),
            "qpcr_qpcr_RANKL.svg",
        ),
        (
            "elisa",
            vec!["--plate".into(), examples.join("elisa/plate.csv").display().to_string()],
            "elisa_elisa.svg",
        ),
    ];
    for (command, args, figure) in cases {
        let out = dir.join(command);
        run_ok(
            osteon()
                .arg(command)
                .args(&args)
                .arg("--quiet")
                .arg("--out")
                .arg(&out),
        );
        let svg = read(&out.join("figures").join(figure));
        assert!(
            svg.starts_with("<?xml") && svg.contains("</svg>"),
            "{command}: {figure}"
        );
    }
}
