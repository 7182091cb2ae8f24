//! `osteon de` behaviour beyond parity: bad input gets a precise error, a
//! non-zero exit and no output folder; outputs are deterministic across
//! thread counts; permuting genes or samples permutes the results; size
//! factors are scale-equivariant.

mod common;

use common::*;
use std::path::{Path, PathBuf};

/// A small, valid two-group study written by hand into `dir`.
fn write_study(dir: &Path) -> (PathBuf, PathBuf) {
    let counts = dir.join("counts.tsv");
    let samples = dir.join("samples.csv");
    let mut text = String::from("gene\tA1\tA2\tA3\tB1\tB2\tB3\n");
    // Deterministic pseudo-random counts (LCG) with a few DE genes.
    let mut state: u64 = 12345;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as f64 / (1u64 << 31) as f64
    };
    for g in 0..400 {
        let base = 5.0 + 500.0 * next() * next();
        let fold = if g % 10 == 0 { 4.0 } else { 1.0 };
        text.push_str(&format!("g{g:03}"));
        for j in 0..6 {
            let mean = if j >= 3 { base * fold } else { base } * (0.8 + 0.4 * next());
            text.push_str(&format!("\t{}", mean.round()));
        }
        text.push('\n');
    }
    std::fs::write(&counts, text).unwrap();
    std::fs::write(
        &samples,
        "sample,condition,batch\nA1,A,x\nA2,A,y\nA3,A,x\nB1,B,y\nB2,B,x\nB3,B,y\n",
    )
    .unwrap();
    (counts, samples)
}

fn de(counts: &Path, samples: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    osteon()
        .arg("de")
        .arg("--counts")
        .arg(counts)
        .arg("--samples")
        .arg(samples)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .args(extra)
        .output()
        .expect("run osteon")
}

/// Asserts failure with a message containing every `needle`, and no output.
fn assert_fails(out: &std::process::Output, out_dir: &Path, needles: &[&str]) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "expected failure, got success; stderr: {err}"
    );
    for n in needles {
        assert!(err.contains(n), "stderr does not mention {n:?}:\n{err}");
    }
    assert!(
        !out_dir.exists(),
        "a failed run must not leave {}",
        out_dir.display()
    );
    let parent = out_dir.parent().unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(parent)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".out"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left behind: {leftovers:?}"
    );
}

fn replace_in(path: &Path, from: &str, to: &str) {
    let t = std::fs::read_to_string(path).unwrap();
    assert!(t.contains(from), "fixture lacks {from:?}");
    std::fs::write(path, t.replacen(from, to, 1)).unwrap();
}

#[test]
fn bad_counts_are_rejected_with_gene_and_sample() {
    for (name, from, to, needles) in [
        ("negative", "g003\t", "g003\t-", vec!["g003", "A1"]),
        (
            "fractional",
            "g005\t",
            "g005\t0.5",
            vec!["g005", "A1", "round"],
        ),
        ("nonnumeric", "g007\t", "g007\tabc", vec!["g007", "A1"]),
        ("duplicate_gene", "g009\t", "g008\t", vec!["g008"]),
    ] {
        let dir = scratch(&format!("bad-{name}"));
        let (c, s) = write_study(&dir);
        replace_in(&c, from, to);
        let out = dir.join("out");
        let res = de(&c, &s, &out, &["--design", "~ condition"]);
        assert_fails(&res, &out, &needles);
    }
}

#[test]
fn ragged_and_empty_files_are_rejected() {
    let dir = scratch("ragged");
    let (c, s) = write_study(&dir);
    let t = std::fs::read_to_string(&c).unwrap();
    let mut lines: Vec<String> = t.lines().map(String::from).collect();
    lines[5].push_str("\t7");
    std::fs::write(&c, lines.join("\n") + "\n").unwrap();
    let out = dir.join("out");
    assert_fails(
        &de(&c, &s, &out, &["--design", "~ condition"]),
        &out,
        &["line 6"],
    );
    std::fs::write(&c, "").unwrap();
    assert_fails(
        &de(&c, &s, &out, &["--design", "~ condition"]),
        &out,
        &["counts.tsv"],
    );
}

#[test]
fn sample_mismatches_are_listed() {
    let dir = scratch("mismatch");
    let (c, s) = write_study(&dir);
    replace_in(&s, "B3,B,y", "B4,B,y");
    let out = dir.join("out");
    assert_fails(
        &de(&c, &s, &out, &["--design", "~ condition"]),
        &out,
        &["B3", "B4"],
    );
}

#[test]
fn duplicate_sample_in_sheet_is_rejected() {
    let dir = scratch("dupsample");
    let (c, s) = write_study(&dir);
    replace_in(&s, "B3,B,y", "B2,B,y");
    let out = dir.join("out");
    assert_fails(
        &de(&c, &s, &out, &["--design", "~ condition"]),
        &out,
        &["B2"],
    );
}

#[test]
fn covariate_with_na_is_rejected() {
    let dir = scratch("na");
    let (c, s) = write_study(&dir);
    replace_in(&s, "A2,A,y", "A2,NA,y");
    let out = dir.join("out");
    assert_fails(
        &de(&c, &s, &out, &["--design", "~ condition"]),
        &out,
        &["condition", "A2"],
    );
}

#[test]
fn single_level_factor_is_rejected() {
    let dir = scratch("onelevel");
    let (c, s) = write_study(&dir);
    let t = std::fs::read_to_string(&s).unwrap().replace(",x\n", ",y\n");
    std::fs::write(&s, t).unwrap();
    let out = dir.join("out");
    assert_fails(
        &de(&c, &s, &out, &["--design", "~ batch + condition"]),
        &out,
        &["batch", "one level"],
    );
}

#[test]
fn unknown_contrast_level_is_rejected() {
    let dir = scratch("contrast");
    let (c, s) = write_study(&dir);
    let out = dir.join("out");
    assert_fails(
        &de(
            &c,
            &s,
            &out,
            &["--design", "~ condition", "--contrast", "condition,C,A"],
        ),
        &out,
        &["'C'", "condition"],
    );
    assert_fails(
        &de(
            &c,
            &s,
            &out,
            &["--design", "~ condition", "--name", "condition_C_vs_A"],
        ),
        &out,
        &["condition_C_vs_A", "condition_B_vs_A"],
    );
}

#[test]
fn confounded_design_names_the_columns() {
    let dir = scratch("rank");
    let (c, s) = write_study(&dir);
    std::fs::write(
        &s,
        "sample,condition,group\nA1,A,g1\nA2,A,g1\nA3,A,g1\nB1,B,g2\nB2,B,g2\nB3,B,g2\n",
    )
    .unwrap();
    let out = dir.join("out");
    assert_fails(
        &de(&c, &s, &out, &["--design", "~ group + condition"]),
        &out,
        &["not full rank", "condition_B_vs_A"],
    );
}

#[test]
fn every_gene_with_a_zero_suggests_poscounts() {
    let dir = scratch("allzero");
    let (c, s) = write_study(&dir);
    let t = std::fs::read_to_string(&c).unwrap();
    let rewritten: Vec<String> = t
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                l.to_string()
            } else {
                let mut f: Vec<&str> = l.split('\t').collect();
                f[1 + i % 6] = "0";
                f.join("\t")
            }
        })
        .collect();
    std::fs::write(&c, rewritten.join("\n") + "\n").unwrap();
    let out = dir.join("out");
    assert_fails(
        &de(&c, &s, &out, &["--design", "~ condition"]),
        &out,
        &["poscounts"],
    );
    let ok = de(
        &c,
        &s,
        &out,
        &["--design", "~ condition", "--sf-type", "poscounts"],
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}

#[test]
fn crlf_bom_and_gzip_inputs_give_identical_results() {
    let dir = scratch("formats");
    let (c, s) = write_study(&dir);
    let plain = dir.join("plain");
    run_ok(&mut {
        let mut cmd = osteon();
        cmd.args(["de", "--quiet", "--design", "~ condition"])
            .arg("--counts")
            .arg(&c)
            .arg("--samples")
            .arg(&s)
            .arg("--out")
            .arg(&plain);
        cmd
    });
    let text = std::fs::read_to_string(&c).unwrap();
    let crlf = dir.join("crlf.tsv");
    std::fs::write(&crlf, format!("\u{feff}{}", text.replace('\n', "\r\n"))).unwrap();
    let gz = dir.join("counts.tsv.gz");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("gzip -c '{}' > '{}'", c.display(), gz.display()))
        .status()
        .unwrap();
    assert!(status.success());
    for (name, input) in [("crlf", crlf), ("gz", gz)] {
        let out = dir.join(name);
        let res = de(&input, &s, &out, &["--design", "~ condition"]);
        assert!(
            res.status.success(),
            "{}",
            String::from_utf8_lossy(&res.stderr)
        );
        assert_eq!(
            std::fs::read(plain.join("results.tsv")).unwrap(),
            std::fs::read(out.join("results.tsv")).unwrap(),
            "{name} input changed the results"
        );
    }
}

#[test]
fn thread_count_does_not_change_a_byte() {
    let case = golden_dir().join("outliers_replace");
    let dir = scratch("threads");
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.join(format!("t{threads}"));
        run_ok(
            osteon()
                .args([
                    "de",
                    "--quiet",
                    "--design",
                    "~ condition",
                    "--threads",
                    threads,
                ])
                .arg("--counts")
                .arg(case.join("counts.tsv"))
                .arg("--samples")
                .arg(case.join("samples.csv"))
                .arg("--out")
                .arg(&out),
        );
        outputs.push(out);
    }
    for f in [
        "results.tsv",
        "dispersions.tsv",
        "size_factors.tsv",
        "normalized_counts.tsv",
        "vst.tsv",
    ] {
        assert_eq!(
            std::fs::read(outputs[0].join(f)).unwrap(),
            std::fs::read(outputs[1].join(f)).unwrap(),
            "{f} differs between --threads 1 and --threads 2"
        );
    }
}

#[test]
fn permuting_genes_and_samples_permutes_results() {
    let case = golden_dir().join("basic_two_group");
    let dir = scratch("permute");
    let text = std::fs::read_to_string(case.join("counts.tsv")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines.remove(0);
    // Reverse the gene order and rotate the sample columns.
    lines.reverse();
    let rotate = |l: &str| {
        let f: Vec<&str> = l.split('\t').collect();
        let mut g = vec![f[0]];
        g.extend(f[2..].iter());
        g.push(f[1]);
        g.join("\t")
    };
    let mut permuted = vec![rotate(header)];
    permuted.extend(lines.iter().map(|l| rotate(l)));
    let counts = dir.join("counts.tsv");
    std::fs::write(&counts, permuted.join("\n") + "\n").unwrap();
    let a = dir.join("a");
    let b = dir.join("b");
    for (c, out) in [(case.join("counts.tsv"), &a), (counts, &b)] {
        run_ok(
            osteon()
                .args([
                    "de",
                    "--quiet",
                    "--design",
                    "~ condition",
                    "--contrast",
                    "condition,B,A",
                ])
                .arg("--counts")
                .arg(c)
                .arg("--samples")
                .arg(case.join("samples.csv"))
                .arg("--out")
                .arg(out),
        );
    }
    let ta = Table::read(&a.join("results.tsv"));
    let tb = Table::read(&b.join("results.tsv")).by_key();
    for (gene, va) in &ta.rows {
        let vb = &tb[gene];
        for (x, y) in va.iter().zip(vb) {
            assert!(
                (x.is_nan() && y.is_nan()) || rel_diff(*y, *x) < 1e-9,
                "{gene}: {va:?} vs {vb:?}"
            );
        }
    }
}

#[test]
fn size_factors_are_scale_equivariant() {
    let dir = scratch("scale");
    let (c, s) = write_study(&dir);
    let a = dir.join("a");
    run_ok(&mut {
        let mut cmd = osteon();
        cmd.args(["de", "--quiet", "--design", "~ condition"])
            .arg("--counts")
            .arg(&c)
            .arg("--samples")
            .arg(&s)
            .arg("--out")
            .arg(&a);
        cmd
    });
    // Doubling every count of sample B2 doubles its size factor relative to
    // the others (all factors are divided by the change in the geometric
    // mean of the gene-wise references, 2^(1/6)).
    let text = std::fs::read_to_string(&c).unwrap();
    let doubled: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                return l.to_string();
            }
            let mut f: Vec<String> = l.split('\t').map(String::from).collect();
            let v: f64 = f[5].parse().unwrap();
            f[5] = format!("{}", v * 2.0);
            f.join("\t")
        })
        .collect();
    let c2 = dir.join("doubled.tsv");
    std::fs::write(&c2, doubled.join("\n") + "\n").unwrap();
    let b = dir.join("b");
    let res = de(&c2, &s, &b, &["--design", "~ condition"]);
    assert!(res.status.success());
    let sa = Table::read(&a.join("size_factors.tsv")).column("sizeFactor");
    let sb = Table::read(&b.join("size_factors.tsv")).column("sizeFactor");
    let g = 2f64.powf(1.0 / 6.0);
    for j in 0..6 {
        let expect = if j == 4 { sa[j] * 2.0 / g } else { sa[j] / g };
        assert!(
            rel_diff(sb[j], expect) < 1e-12,
            "sample {j}: {} vs {}",
            sb[j],
            expect
        );
    }
}

#[test]
fn failed_run_keeps_previous_results() {
    let dir = scratch("keep");
    let (c, s) = write_study(&dir);
    let out = dir.join("out");
    let ok = de(&c, &s, &out, &["--design", "~ condition"]);
    assert!(ok.status.success());
    let before = std::fs::read(out.join("results.tsv")).unwrap();
    let bad = de(&c, &s, &out, &["--design", "~ condition + missing_column"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("missing_column"));
    assert_eq!(std::fs::read(out.join("results.tsv")).unwrap(), before);
}
