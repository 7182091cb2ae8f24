//! Shared helpers for the CLI integration tests: running the binary, reading
//! TSV tables and comparing them with DESeq2's golden outputs.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn osteon() -> Command {
    Command::new(env!("CARGO_BIN_EXE_osteon"))
}

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn golden_dir() -> PathBuf {
    manifest_dir().join("tests/golden/deseq2")
}

/// `../shared/data` next to the repository, when present.
pub fn shared_data() -> Option<PathBuf> {
    let p = manifest_dir().join("../../../shared/data");
    p.is_dir().then(|| p.canonicalize().expect("shared path"))
}

/// A fresh, empty scratch folder for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("osteon-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// Splits a command line the way a POSIX shell would for simple quoting.
pub fn shell_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                in_word = true;
            }
            None if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            None => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

pub fn run_ok(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("run osteon");
    assert!(
        out.status.success(),
        "osteon failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A TSV table: header, and rows keyed by their first column.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<(String, Vec<f64>)>,
}

impl Table {
    pub fn read(path: &Path) -> Table {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let mut lines = text.lines();
        let header: Vec<String> = lines
            .next()
            .expect("header")
            .split('\t')
            .map(str::to_string)
            .collect();
        let rows = lines
            .filter(|l| !l.is_empty())
            .map(|l| {
                let mut f = l.split('\t');
                let key = f.next().expect("key").to_string();
                let vals = f
                    .map(|v| match v {
                        "NA" => f64::NAN,
                        "Inf" => f64::INFINITY,
                        "-Inf" => f64::NEG_INFINITY,
                        _ => v
                            .parse()
                            .unwrap_or_else(|_| panic!("bad number {v:?} in {}", path.display())),
                    })
                    .collect();
                (key, vals)
            })
            .collect();
        Table { header, rows }
    }

    pub fn column(&self, name: &str) -> Vec<f64> {
        let k = self
            .header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
            - 1;
        self.rows.iter().map(|(_, v)| v[k]).collect()
    }

    pub fn keys(&self) -> Vec<String> {
        self.rows.iter().map(|(k, _)| k.clone()).collect()
    }

    pub fn by_key(&self) -> HashMap<String, Vec<f64>> {
        self.rows.iter().cloned().collect()
    }
}

/// Agreement of one column with the reference.
#[derive(Debug)]
pub struct ColumnAgreement {
    pub column: String,
    pub n: usize,
    pub na_mismatch: usize,
    pub within: usize,
    pub worst: Vec<(String, f64, f64, f64)>,
}

impl ColumnAgreement {
    pub fn fraction(&self) -> f64 {
        if self.n == 0 {
            1.0
        } else {
            self.within as f64 / self.n as f64
        }
    }
}

pub fn rel_diff(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else {
        (a - b).abs() / b.abs().max(1e-300)
    }
}

/// Compares `column` of `test` with `reference` gene by gene.
pub fn compare_column(reference: &Table, test: &Table, column: &str, tol: f64) -> ColumnAgreement {
    let r = reference.column(column);
    let t_map: HashMap<String, f64> = {
        let c = test.column(column);
        test.keys().into_iter().zip(c).collect()
    };
    let mut na_mismatch = 0;
    let mut n = 0;
    let mut within = 0;
    let mut worst = Vec::new();
    for ((key, _), rv) in reference.rows.iter().zip(r) {
        let tv = *t_map
            .get(key)
            .unwrap_or_else(|| panic!("gene {key} missing from osteon output"));
        if rv.is_nan() != tv.is_nan() {
            na_mismatch += 1;
            worst.push((key.clone(), rv, tv, f64::INFINITY));
            continue;
        }
        if rv.is_nan() {
            continue;
        }
        n += 1;
        let d = rel_diff(tv, rv);
        if d <= tol {
            within += 1;
        }
        worst.push((key.clone(), rv, tv, d));
    }
    worst.sort_by(|a, b| b.3.total_cmp(&a.3));
    worst.truncate(5);
    ColumnAgreement {
        column: column.to_string(),
        n,
        na_mismatch,
        within,
        worst,
    }
}

/// Genes with padj below `alpha`.
pub fn significant(t: &Table, alpha: f64) -> Vec<String> {
    let p = t.column("padj");
    let mut v: Vec<String> = t
        .keys()
        .into_iter()
        .zip(p)
        .filter(|(_, p)| *p < alpha)
        .map(|(k, _)| k)
        .collect();
    v.sort();
    v
}

/// The parity bar: ≥ 99.9% of genes within `tol` relative in the
/// results columns, identical NA patterns and identical significant sets.
pub fn assert_results_parity(case: &str, reference: &Path, test: &Path, tol: f64) {
    let r = Table::read(reference);
    let t = Table::read(test);
    assert_eq!(r.rows.len(), t.rows.len(), "{case}: gene count differs");
    let mut report = String::new();
    let mut failed = false;
    for col in osteon_deseq::RESULTS_COLUMNS[1..].iter().copied() {
        let a = compare_column(&r, &t, col, tol);
        report.push_str(&format!(
            "{case} {col}: n={} within={:.5} na_mismatch={} worst={:?}\n",
            a.n,
            a.fraction(),
            a.na_mismatch,
            &a.worst[..a.worst.len().min(3)]
        ));
        if a.na_mismatch > 0 || a.fraction() < 0.999 {
            failed = true;
        }
    }
    let (sr, st) = (significant(&r, 0.1), significant(&t, 0.1));
    if sr != st {
        failed = true;
        report.push_str(&format!(
            "{case}: significant sets differ: only DESeq2 {:?}, only osteon {:?}\n",
            sr.iter().filter(|g| !st.contains(g)).collect::<Vec<_>>(),
            st.iter().filter(|g| !sr.contains(g)).collect::<Vec<_>>()
        ));
    }
    eprint!("{report}");
    assert!(!failed, "parity failure:\n{report}");
}

/// Compares every numeric cell of two matrices keyed by gene.
pub fn assert_matrix_close(case: &str, reference: &Path, test: &Path, tol: f64, min_fraction: f64) {
    let r = Table::read(reference);
    let t = Table::read(test);
    let tm = t.by_key();
    let mut n = 0usize;
    let mut within = 0usize;
    let mut worst = (String::new(), 0.0f64, 0.0f64, 0.0f64);
    for (k, rv) in &r.rows {
        let tv = tm.get(k).unwrap_or_else(|| panic!("{case}: {k} missing"));
        for (a, b) in rv.iter().zip(tv) {
            if a.is_nan() && b.is_nan() {
                continue;
            }
            n += 1;
            let d = rel_diff(*b, *a);
            if d <= tol {
                within += 1;
            }
            if d > worst.3 {
                worst = (k.clone(), *a, *b, d);
            }
        }
    }
    let frac = within as f64 / n.max(1) as f64;
    eprintln!(
        "{case}: {}/{n} within {tol:e} ({frac:.5}); worst {worst:?}",
        within
    );
    assert!(
        frac >= min_fraction,
        "{case}: only {frac} of values within {tol}; worst {worst:?}"
    );
}

/// A TSV file as rows of cells (the header is row 0).
pub fn read_tsv_cells(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

/// A TSV file as data rows of column name → cell text.
pub fn read_tsv_records(path: &Path) -> Vec<HashMap<String, String>> {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    lines
        .map(|l| {
            header
                .iter()
                .zip(l.split('\t'))
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}
