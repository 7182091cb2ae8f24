//! Reading and checking the survival table for `osteon survival`: the time
//! and status columns, an optional group and strata column and the Cox
//! covariates, each cell checked with its file line in any error.
//!
//! Rules (what R does after `read.csv`, unless noted):
//! - times must be numbers ≥ 0 (an error names the line otherwise); an
//!   empty or `NA` cell leaves the row out of the analyses that need it;
//! - status cells must be one of the declared codes (`--status-codes`,
//!   first = censored; default `0,1`, or with `--cause` 0 = censored and any
//!   positive whole number a cause); numeric codes match numerically;
//! - categorical columns (group, strata, factors) take their levels from all
//!   non-missing cells of the column, sorted as R's `factor()` sorts them
//!   (numerically when every value is a number, else in R's English-locale
//!   string order); `--ref var=level` puts a level first;
//! - a covariate is numeric when every non-missing cell is a number, a
//!   factor when none is (or with `--factor`); a column mixing both is an
//!   error naming the first cell that is not a number.

use anyhow::{bail, Result};
use osteon_deseq::design::collate;
use osteon_io::{format_r_number, parse_r_number, LongTable};

/// A categorical column: levels in R's order and each row's level.
#[derive(Debug, Clone)]
pub(crate) struct Categorical {
    pub name: String,
    pub levels: Vec<String>,
    pub codes: Vec<Option<usize>>,
}

/// A Cox covariate column.
#[derive(Debug, Clone)]
pub(crate) enum CovariateColumn {
    Numeric {
        name: String,
        values: Vec<Option<f64>>,
    },
    Factor(Categorical),
}

impl CovariateColumn {
    pub fn is_present(&self, row: usize) -> bool {
        match self {
            CovariateColumn::Numeric { values, .. } => values[row].is_some(),
            CovariateColumn::Factor(c) => c.codes[row].is_some(),
        }
    }
}

/// The parsed table.
#[derive(Debug, Clone)]
pub(crate) struct Inputs {
    /// File line of each row.
    pub lines: Vec<usize>,
    pub time: Vec<Option<f64>>,
    /// 0 = censored, k = `event_codes[k - 1]`.
    pub status: Vec<Option<usize>>,
    /// The status code meaning censored.
    pub censor_code: String,
    /// Event codes in state order.
    pub event_codes: Vec<String>,
    /// The event of interest (1-based index into `event_codes`).
    pub cause: usize,
    pub group: Option<Categorical>,
    pub strata: Option<Categorical>,
    pub covariates: Vec<CovariateColumn>,
}

/// What the caller asked for (a view of the settings).
pub(crate) struct Request<'a> {
    pub time: &'a str,
    pub status: &'a str,
    pub group: Option<&'a str>,
    pub strata: Option<&'a str>,
    pub covariates: &'a [String],
    pub factors: &'a [String],
    pub references: &'a [String],
    pub status_codes: &'a [String],
    pub cause: Option<&'a str>,
}

/// Whether two status texts denote the same code: equal text, equal
/// numbers, or R's logical `TRUE`/`FALSE` against 1/0.
fn same_code(cell: &str, code: &str) -> bool {
    if cell == code {
        return true;
    }
    match (status_number(cell), status_number(code)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

fn status_number(text: &str) -> Option<f64> {
    match text {
        "TRUE" => Some(1.0),
        "FALSE" => Some(0.0),
        _ => parse_r_number(text),
    }
}

/// Parses and checks everything; errors name the file, line, column and
/// value.
pub(crate) fn read_inputs(table: &LongTable, request: &Request) -> Result<Inputs> {
    let n = table.n_rows();
    let time_col = table.column_index(request.time)?;
    let status_col = table.column_index(request.status)?;

    let mut time = Vec::with_capacity(n);
    for row in 0..n {
        let value = table.number(row, time_col)?;
        if let Some(t) = value {
            let text = table.text(row, time_col).unwrap_or_default();
            if !t.is_finite() {
                return Err(table
                    .value_error(row, time_col, text, "is not a finite time")
                    .into());
            }
            if t < 0.0 {
                return Err(table
                    .value_error(
                        row,
                        time_col,
                        text,
                        "is negative; survival times must be ≥ 0",
                    )
                    .into());
            }
        }
        time.push(value);
    }

    let (censor_code, event_codes, status) = read_status(table, status_col, request)?;
    let cause = choose_cause(&event_codes, request)?;

    for name in request.factors {
        if !request.covariates.contains(name) {
            bail!(
                "--factor {name}: {name} is not among the covariates ({})",
                if request.covariates.is_empty() {
                    "none given; list them with --covariates".to_string()
                } else {
                    request.covariates.join(", ")
                }
            );
        }
    }
    let references = parse_references(request.references)?;
    for (var, _) in &references {
        let known = request.covariates.contains(var)
            || Some(var.as_str()) == request.group
            || Some(var.as_str()) == request.strata;
        if !known {
            bail!("--ref {var}=…: {var} is not the group, the strata or a covariate");
        }
    }
    let reference_of = |name: &str| {
        references
            .iter()
            .find(|(v, _)| v == name)
            .map(|(_, l)| l.as_str())
    };
    let group = request
        .group
        .map(|name| categorical(table, name, reference_of(name)))
        .transpose()?;
    let strata = request
        .strata
        .map(|name| categorical(table, name, reference_of(name)))
        .transpose()?;
    let mut covariates = Vec::new();
    for (k, name) in request.covariates.iter().enumerate() {
        if request.covariates[..k].contains(name) {
            bail!("--covariates names {name} twice");
        }
        let as_factor = request.factors.contains(name);
        covariates.push(covariate(table, name, as_factor, reference_of(name))?);
    }
    Ok(Inputs {
        lines: table.lines.clone(),
        time,
        status,
        censor_code,
        event_codes,
        cause,
        group,
        strata,
        covariates,
    })
}

type StatusColumn = (String, Vec<String>, Vec<Option<usize>>);

/// Maps status cells to 0 (censored) or 1.. (event codes in state order).
fn read_status(table: &LongTable, col: usize, request: &Request) -> Result<StatusColumn> {
    let n = table.n_rows();
    let declared: Vec<String> = if request.status_codes.is_empty() && request.cause.is_none() {
        vec!["0".to_string(), "1".to_string()]
    } else {
        request.status_codes.to_vec()
    };
    if declared.len() == 1 {
        bail!(
            "--status-codes {}: give the censoring code first and at least one event code (e.g. 0,1)",
            declared[0]
        );
    }
    for (k, code) in declared.iter().enumerate() {
        if declared[..k].iter().any(|c| same_code(c, code)) {
            bail!("--status-codes lists {code} twice");
        }
    }
    let mut raw: Vec<Option<String>> = Vec::with_capacity(n);
    if declared.is_empty() {
        // --cause without --status-codes: 0 = censored, positive integers = causes.
        for row in 0..n {
            let Some(text) = table.text(row, col) else {
                raw.push(None);
                continue;
            };
            match parse_r_number(text) {
                Some(v) if v >= 0.0 && v.fract() == 0.0 && v.is_finite() => {
                    raw.push(Some(format_r_number(v)));
                }
                _ => {
                    return Err(table
                        .value_error(
                            row,
                            col,
                            text,
                            "is not a status code (0 = censored, 1, 2, … = causes; declare other codes with --status-codes)",
                        )
                        .into())
                }
            }
        }
        let mut events: Vec<f64> = raw
            .iter()
            .flatten()
            .filter_map(|t| parse_r_number(t))
            .filter(|&v| v != 0.0)
            .collect();
        events.sort_by(f64::total_cmp);
        events.dedup();
        let events: Vec<String> = events.into_iter().map(format_r_number).collect();
        let status = raw
            .iter()
            .map(|cell| {
                cell.as_ref()
                    .map(|t| events.iter().position(|e| e == t).map_or(0, |k| k + 1))
            })
            .collect();
        return Ok(("0".to_string(), events, status));
    }
    let censor = declared[0].clone();
    let mut events: Vec<String> = declared[1..].to_vec();
    if events.iter().all(|e| status_number(e).is_some()) {
        events.sort_by(|a, b| {
            status_number(a)
                .unwrap_or(0.0)
                .total_cmp(&status_number(b).unwrap_or(0.0))
        });
    }
    let mut status = Vec::with_capacity(n);
    for row in 0..n {
        let Some(text) = table.text(row, col) else {
            status.push(None);
            continue;
        };
        if same_code(text, &censor) {
            status.push(Some(0));
        } else if let Some(k) = events.iter().position(|e| same_code(text, e)) {
            status.push(Some(k + 1));
        } else {
            let problem = format!(
                "is not one of the declared status codes ({}; the first means censored; set them with --status-codes)",
                declared.join(", ")
            );
            return Err(table.value_error(row, col, text, &problem).into());
        }
    }
    Ok((censor, events, status))
}

/// The event of interest: `--cause`, or the only event code.
fn choose_cause(events: &[String], request: &Request) -> Result<usize> {
    match request.cause {
        Some(cause) => events
            .iter()
            .position(|e| same_code(cause, e))
            .map(|k| k + 1)
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "--cause {cause} is not one of the event codes of column {} ({})",
                    request.status,
                    if events.is_empty() {
                        "there are no events".to_string()
                    } else {
                        events.join(", ")
                    }
                )
            }),
        None if events.len() > 1 => bail!(
            "column {} has several event codes ({}): choose the event of interest with --cause (the others are then competing risks)",
            request.status,
            events.join(", ")
        ),
        None => Ok(1),
    }
}

fn parse_references(refs: &[String]) -> Result<Vec<(String, String)>> {
    refs.iter()
        .map(|r| match r.split_once('=') {
            Some((var, level)) if !var.is_empty() && !level.is_empty() => {
                Ok((var.to_string(), level.to_string()))
            }
            _ => bail!("--ref {r}: expected VARIABLE=LEVEL"),
        })
        .collect()
}

/// A categorical column with R's level order.
fn categorical(table: &LongTable, name: &str, reference: Option<&str>) -> Result<Categorical> {
    let col = table.column_index(name)?;
    let n = table.n_rows();
    let cells: Vec<Option<&str>> = (0..n).map(|r| table.text(r, col)).collect();
    let numeric = cells.iter().flatten().all(|t| parse_r_number(t).is_some());
    let key = |t: &str| -> String {
        if numeric {
            format_r_number(parse_r_number(t).expect("checked numeric"))
        } else {
            t.to_string()
        }
    };
    let mut levels: Vec<String> = cells.iter().flatten().map(|t| key(t)).collect();
    if numeric {
        levels.sort_by(|a, b| {
            parse_r_number(a)
                .unwrap_or(f64::NAN)
                .total_cmp(&parse_r_number(b).unwrap_or(f64::NAN))
        });
    } else {
        levels.sort_by(|a, b| collate(a, b));
    }
    levels.dedup();
    if let Some(r) = reference {
        let Some(pos) = levels
            .iter()
            .position(|l| l == r || (numeric && same_code(l, r)))
        else {
            bail!(
                "--ref {name}={r}: {r} is not a level of {name} (levels: {})",
                levels.join(", ")
            );
        };
        let level = levels.remove(pos);
        levels.insert(0, level);
    }
    let codes = cells
        .iter()
        .map(|c| {
            c.map(|t| {
                levels
                    .iter()
                    .position(|l| *l == key(t))
                    .expect("level present")
            })
        })
        .collect();
    Ok(Categorical {
        name: name.to_string(),
        levels,
        codes,
    })
}

/// A covariate: numeric, or a factor (by request or because no cell is a
/// number).
fn covariate(
    table: &LongTable,
    name: &str,
    as_factor: bool,
    reference: Option<&str>,
) -> Result<CovariateColumn> {
    let col = table.column_index(name)?;
    let n = table.n_rows();
    let cells: Vec<Option<&str>> = (0..n).map(|r| table.text(r, col)).collect();
    let n_numeric = cells
        .iter()
        .flatten()
        .filter(|t| parse_r_number(t).is_some())
        .count();
    let n_present = cells.iter().flatten().count();
    if as_factor || n_numeric == 0 {
        return Ok(CovariateColumn::Factor(categorical(
            table, name, reference,
        )?));
    }
    if reference.is_some() {
        bail!("--ref {name}=…: {name} is numeric; add --factor {name} to treat it as a factor");
    }
    let mut values = Vec::with_capacity(n);
    for (row, cell) in cells.iter().enumerate() {
        let Some(text) = cell else {
            values.push(None);
            continue;
        };
        match parse_r_number(text) {
            Some(v) if v.is_finite() => values.push(Some(v)),
            Some(_) => {
                return Err(table
                    .value_error(
                        row,
                        col,
                        text,
                        "is not a finite number (covariates must be finite)",
                    )
                    .into())
            }
            None => {
                let problem = format!(
                    "is not a number, but {n_numeric} of the {n_present} values in this column are; fix the cell, or use --factor {name} to treat the column as categorical"
                );
                return Err(table.value_error(row, col, text, &problem).into());
            }
        }
    }
    Ok(CovariateColumn::Numeric {
        name: name.to_string(),
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn table(text: &str) -> LongTable {
        osteon_io::parse_long_table(text.as_bytes(), Path::new("d.csv")).unwrap()
    }

    fn request<'a>(
        covariates: &'a [String],
        codes: &'a [String],
        cause: Option<&'a str>,
    ) -> Request<'a> {
        Request {
            time: "time",
            status: "status",
            group: Some("g"),
            strata: None,
            covariates,
            factors: &[],
            references: &[],
            status_codes: codes,
            cause,
        }
    }

    #[test]
    fn numeric_groups_sort_numerically_and_text_groups_as_r() {
        let t = table("time,status,g\n1,1,10\n2,0,9\n3,1,NA\n");
        let x = read_inputs(&t, &request(&[], &[], None)).unwrap();
        let g = x.group.unwrap();
        assert_eq!(g.levels, ["9", "10"]);
        assert_eq!(g.codes, [Some(1), Some(0), None]);
        let t = table("time,status,g\n1,1,b\n2,0,B\n3,1,a\n");
        let g = read_inputs(&t, &request(&[], &[], None))
            .unwrap()
            .group
            .unwrap();
        assert_eq!(g.levels, ["a", "b", "B"]);
    }

    #[test]
    fn status_codes_and_causes() {
        let t = table("time,status,g\n1,1,a\n2,2,a\n3,0,b\n4,,b\n");
        let codes = ["0".to_string(), "1".to_string(), "2".to_string()];
        let x = read_inputs(&t, &request(&[], &codes, Some("2"))).unwrap();
        assert_eq!(x.status, [Some(1), Some(2), Some(0), None]);
        assert_eq!(x.cause, 2);
        let x = read_inputs(&t, &request(&[], &[], Some("1"))).unwrap();
        assert_eq!(x.event_codes, ["1", "2"]);
        let err = read_inputs(&t, &request(&[], &[], None))
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 3") && err.contains("\"2\""), "{err}");
        let err = read_inputs(&t, &request(&[], &codes, None))
            .unwrap_err()
            .to_string();
        assert!(err.contains("--cause"), "{err}");
        let err = read_inputs(&t, &request(&[], &codes, Some("3")))
            .unwrap_err()
            .to_string();
        assert!(err.contains("--cause 3"), "{err}");
    }

    #[test]
    fn bad_times_name_the_line() {
        let t = table("time,status,g\n1,1,a\n-2,1,a\n");
        let err = read_inputs(&t, &request(&[], &[], None))
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 3") && err.contains("negative"), "{err}");
        let t = table("time,status,g\n1,1,a\nsoon,1,a\n");
        let err = read_inputs(&t, &request(&[], &[], None))
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 3") && err.contains("soon"), "{err}");
    }

    #[test]
    fn covariates_are_numeric_factor_or_an_error() {
        let t = table("time,status,g,age,sex,grade\n1,1,a,60,F,1\n2,0,a,70,M,2\n3,1,b,x7,M,2\n");
        let covs = ["sex".to_string(), "grade".to_string()];
        let mut r = request(&covs, &[], None);
        let factors = ["grade".to_string()];
        r.factors = &factors;
        let x = read_inputs(&t, &r).unwrap();
        assert!(matches!(&x.covariates[0], CovariateColumn::Factor(c) if c.levels == ["F", "M"]));
        assert!(matches!(&x.covariates[1], CovariateColumn::Factor(c) if c.levels == ["1", "2"]));
        let covs = ["age".to_string()];
        let err = read_inputs(&t, &request(&covs, &[], None))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 4") && err.contains("x7") && err.contains("--factor"),
            "{err}"
        );
    }

    #[test]
    fn reference_level_moves_first() {
        let t = table("time,status,g,sex\n1,1,a,F\n2,0,b,M\n");
        let covs = ["sex".to_string()];
        let mut r = request(&covs, &[], None);
        let refs = ["sex=M".to_string()];
        r.references = &refs;
        let x = read_inputs(&t, &r).unwrap();
        assert!(matches!(&x.covariates[0], CovariateColumn::Factor(c) if c.levels == ["M", "F"]));
    }
}
