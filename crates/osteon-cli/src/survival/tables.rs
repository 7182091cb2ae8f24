//! The TSV tables of `osteon survival`, with R's column names (see the
//! module docs of `survival.rs` for each file's columns and their R
//! equivalents). Numbers are written with full precision; undefined values
//! as `NA`.

use anyhow::Result;
use osteon_cohort::survival::{CifCurve, CoxFit, GrayTest, KmCurve, LogRank};
use osteon_io::TsvWriter;
use std::path::Path;

fn count(n: usize) -> f64 {
    n as f64
}

/// Writes one row: text cells, then number cells.
fn row(w: &mut TsvWriter, text: &[&str], numbers: &[f64]) -> Result<()> {
    for t in text {
        w.text(t);
    }
    for &x in numbers {
        w.number(x);
    }
    w.end_row()?;
    Ok(())
}

/// `km.tsv`: one row per stratum and distinct time.
pub(crate) fn write_km(dir: &Path, curves: &[KmCurve]) -> Result<()> {
    let mut w = TsvWriter::create(dir.join("km.tsv"))?;
    w.text_row(&[
        "strata", "time", "n.risk", "n.event", "n.censor", "surv", "std.err", "lower", "upper",
    ])?;
    for c in curves {
        let se = c.std_err_surv();
        for t in 0..c.time.len() {
            row(
                &mut w,
                &[&c.label],
                &[
                    c.time[t],
                    count(c.n_risk[t]),
                    count(c.n_event[t]),
                    count(c.n_censor[t]),
                    c.surv[t],
                    se[t],
                    c.lower[t],
                    c.upper[t],
                ],
            )?;
        }
    }
    w.finish()?;
    Ok(())
}

/// `medians.tsv`: `print(survfit)`'s n, events, median and limits.
pub(crate) fn write_medians(dir: &Path, curves: &[KmCurve]) -> Result<()> {
    let mut w = TsvWriter::create(dir.join("medians.tsv"))?;
    w.text_row(&["strata", "n", "events", "median", "lower", "upper"])?;
    for c in curves {
        let m = c.median();
        row(
            &mut w,
            &[&c.label],
            &[count(c.n), count(c.events()), m.median, m.lower, m.upper],
        )?;
    }
    w.finish()?;
    Ok(())
}

/// The name of the test in `logrank.tsv`.
pub(crate) fn log_rank_name(rho: f64) -> String {
    if rho == 0.0 {
        "log-rank".to_string()
    } else {
        format!("G-rho rho={}", osteon_io::format_r_number(rho))
    }
}

/// `logrank.tsv` (the test, and the trend test when asked for) and
/// `logrank_groups.tsv` (`print.survdiff`'s per-group table).
pub(crate) fn write_log_rank(dir: &Path, test: &LogRank) -> Result<()> {
    let mut w = TsvWriter::create(dir.join("logrank.tsv"))?;
    w.text_row(&["test", "chisq", "df", "pvalue"])?;
    row(
        &mut w,
        &[&log_rank_name(test.rho)],
        &[test.chisq, test.df, test.p_value],
    )?;
    if let Some(t) = &test.trend {
        row(&mut w, &["trend"], &[t.chisq, t.df, t.p_value])?;
    }
    w.finish()?;

    let mut w = TsvWriter::create(dir.join("logrank_groups.tsv"))?;
    w.text_row(&[
        "group",
        "n",
        "observed",
        "expected",
        "(O-E)^2/E",
        "(O-E)^2/V",
    ])?;
    let by_e = test.chisq_by_expected();
    let by_v = test.chisq_by_variance();
    for g in 0..test.groups.len() {
        row(
            &mut w,
            &[&test.groups[g]],
            &[
                count(test.n[g]),
                test.observed[g],
                test.expected[g],
                by_e[g],
                by_v[g],
            ],
        )?;
    }
    w.finish()?;
    Ok(())
}

/// `cox.tsv` (one row per coefficient) and `cox_tests.tsv` (global tests).
pub(crate) fn write_cox(dir: &Path, fit: &CoxFit) -> Result<()> {
    let mut w = TsvWriter::create(dir.join("cox.tsv"))?;
    w.text_row(&["term", "coef", "hr", "se", "z", "p", "lower", "upper"])?;
    for i in 0..fit.terms.len() {
        row(
            &mut w,
            &[&fit.terms[i]],
            &[
                fit.coef[i],
                fit.hazard_ratio[i],
                fit.se[i],
                fit.z[i],
                fit.p_value[i],
                fit.lower[i],
                fit.upper[i],
            ],
        )?;
    }
    w.finish()?;

    let mut w = TsvWriter::create(dir.join("cox_tests.tsv"))?;
    w.text_row(&["test", "statistic", "df", "pvalue"])?;
    for (name, t) in [
        ("likelihood_ratio", fit.likelihood_ratio),
        ("wald", fit.wald),
        ("score", fit.score),
    ] {
        row(&mut w, &[name], &[t.statistic, t.df, t.p_value])?;
    }
    w.finish()?;
    Ok(())
}

/// `cif.tsv`: the cumulative incidence of `cause` (1-based), labelled
/// `cause_label`, per group and distinct time.
pub(crate) fn write_cif(
    dir: &Path,
    curves: &[CifCurve],
    cause: usize,
    cause_label: &str,
) -> Result<()> {
    let mut w = TsvWriter::create(dir.join("cif.tsv"))?;
    w.text_row(&[
        "strata", "time", "cause", "n.risk", "n.event", "cif", "std.err", "lower", "upper",
    ])?;
    let k = cause - 1;
    for c in curves {
        for t in 0..c.time.len() {
            w.text(&c.label);
            w.number(c.time[t]);
            row(
                &mut w,
                &[cause_label],
                &[
                    count(c.n_risk[t]),
                    count(c.n_event[k][t]),
                    c.cif[k][t],
                    c.std_err[k][t],
                    c.lower[k][t],
                    c.upper[k][t],
                ],
            )?;
        }
    }
    w.finish()?;
    Ok(())
}

/// `gray.tsv`: `cuminc(...)$Tests`, one row per cause with events.
pub(crate) fn write_gray(dir: &Path, tests: &[GrayTest], cause_labels: &[String]) -> Result<()> {
    let mut w = TsvWriter::create(dir.join("gray.tsv"))?;
    w.text_row(&["cause", "stat", "df", "pvalue"])?;
    for t in tests {
        row(
            &mut w,
            &[&cause_labels[t.cause - 1]],
            &[t.statistic, t.df, t.p_value],
        )?;
    }
    w.finish()?;
    Ok(())
}
