//! Golden tests: `osteon de` against DESeq2 1.38.3 outputs committed under
//! `tests/golden/deseq2/<case>/deseq2/` (made by `make_all.sh` there), and
//! against the pasilla and airway references in `../shared` when present.

mod common;

use common::*;
use std::path::Path;

const TOL: f64 = 1e-6;

/// Runs one committed case and checks every output against DESeq2.
fn golden_case(case: &str) {
    let dir = golden_dir().join(case);
    let args = shell_words(
        std::fs::read_to_string(dir.join("args.txt"))
            .unwrap()
            .trim(),
    );
    // Runs `osteon de` on the case with `extra` flags into a fresh folder.
    let run_case = |label: &str, extra: &[&str]| {
        let out = scratch(label).join("out");
        run_ok(
            osteon()
                .arg("de")
                .arg("--counts")
                .arg(dir.join("counts.tsv"))
                .arg("--samples")
                .arg(dir.join("samples.csv"))
                .args(&args)
                .args(extra)
                .arg("--out")
                .arg(&out)
                .arg("--quiet"),
        );
        out
    };
    let out = run_case(case, &[]);
    let reference = dir.join("deseq2");
    assert_results_parity(
        case,
        &reference.join("results.tsv"),
        &out.join("results.tsv"),
        TOL,
    );
    assert_matrix_close(
        &format!("{case} size factors"),
        &reference.join("size_factors.tsv"),
        &out.join("size_factors.tsv"),
        1e-10,
        1.0,
    );
    assert_matrix_close(
        &format!("{case} dispersions"),
        &reference.join("dispersions.tsv"),
        &out.join("dispersions.tsv"),
        TOL,
        0.999,
    );
    assert_matrix_close(
        &format!("{case} normalized counts"),
        &reference.join("normalized_counts.tsv"),
        &out.join("normalized_counts.tsv"),
        1e-10,
        1.0,
    );
    if reference.join("vst_blind.tsv").exists() {
        let blind = run_case(&format!("{case}-blind"), &["--vst-blind"]);
        assert_matrix_close(
            &format!("{case} vst blind"),
            &reference.join("vst_blind.tsv"),
            &blind.join("vst.tsv"),
            TOL,
            0.999,
        );
    }
    if reference.join("vst.tsv").exists() {
        assert_matrix_close(
            &format!("{case} vst"),
            &reference.join("vst.tsv"),
            &out.join("vst.tsv"),
            TOL,
            0.999,
        );
    }
}

macro_rules! golden {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                golden_case(stringify!($name));
            }
        )*
    };
}

golden!(
    basic_two_group,
    cooks_filtering,
    interaction_continuous,
    interaction_continuous_contrast,
    iterate_sf,
    local_fit,
    lrt,
    mean_fit,
    no_intercept,
    outliers_replace,
    poscounts,
    ref_level,
    small_df,
    small_df_2v2,
    trend_fallback,
    zeros,
    stroma_example,
);

/// pasilla / airway from `../shared/data/rnaseq` (skipped without it).
fn shared_case(name: &str, counts: &str, design: &str, contrast: &str) {
    let Some(data) = shared_data() else {
        eprintln!("skipping {name}: ../shared/data not present");
        return;
    };
    let dir = data.join("rnaseq").join(name);
    let out = scratch(name).join("out");
    run_ok(
        osteon()
            .arg("de")
            .arg("--counts")
            .arg(dir.join(counts))
            .arg("--samples")
            .arg(dir.join("samples.csv"))
            .args(["--design", design, "--contrast", contrast, "--quiet"])
            .arg("--out")
            .arg(&out),
    );
    let reference = dir.join("deseq2");
    assert_results_parity(
        name,
        &reference.join("results.tsv"),
        &out.join("results.tsv"),
        TOL,
    );
    assert_matrix_close(
        &format!("{name} dispersions"),
        &reference.join("dispersions.tsv"),
        &out.join("dispersions.tsv"),
        TOL,
        0.999,
    );
    let vst_ref = decompress_to(&reference.join("vst.tsv.gz"), &out.join("vst_ref.tsv"));
    assert_matrix_close(
        &format!("{name} vst"),
        &vst_ref,
        &out.join("vst.tsv"),
        TOL,
        0.999,
    );
}

fn decompress_to(gz: &Path, dest: &Path) -> std::path::PathBuf {
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "gzip -dc '{}' > '{}'",
            gz.display(),
            dest.display()
        ))
        .status()
        .expect("gzip");
    assert!(status.success());
    dest.to_path_buf()
}

#[test]
fn pasilla_matches_deseq2() {
    shared_case(
        "pasilla",
        "counts.tsv",
        "~ type + condition",
        "condition,treated,untreated",
    );
}

#[test]
fn airway_matches_deseq2() {
    shared_case("airway", "counts.csv", "~ cell + dex", "dex,trt,untrt");
}
