//! Reading a sample sheet (the `colData` of DESeq2) and matching it to the
//! columns of a count matrix.
//!
//! The sheet is a TSV or CSV file (same separator, quoting, gzip, BOM and CRLF
//! rules as the count matrix, see [`crate::delimited`]): the first column is
//! the sample id, every other column a covariate. Cells are kept as raw
//! strings; an empty cell (blanks only) or `NA` is missing, as with R's
//! `read.csv(na.strings = "NA")` for numeric columns. A column is classified
//! as numeric when every non-missing value parses as a finite `f64`, otherwise
//! as categorical. Whether a missing value
//! is an error depends on whether the column is used, so the caller decides
//! via [`SampleSheet::complete_column`].

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::delimited::{
    choose_separator, field_str, numbered_lines, read_text_bytes, split_fields, trim_blanks,
    unterminated,
};
use crate::IoError;

/// One covariate column of a sample sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetColumn {
    /// The column name from the header.
    pub name: String,
    /// One value per sample (sheet row order); `None` when the cell is empty
    /// or `NA`.
    pub values: Vec<Option<String>>,
    /// `Some` when every non-missing value parses as a finite number (and at
    /// least one value is present); missing values are `NaN` here.
    pub numeric: Option<Vec<f64>>,
}

impl SheetColumn {
    /// Whether the column holds numbers (a continuous covariate) rather than
    /// labels (a factor).
    pub fn is_numeric(&self) -> bool {
        self.numeric.is_some()
    }
}

/// A sample sheet: one row per sample, one column per covariate.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleSheet {
    /// The file it was read from.
    pub path: PathBuf,
    /// Name of the first (id) column; may be empty.
    pub id_column: String,
    /// Sample ids in file order (unique).
    pub ids: Vec<String>,
    /// 1-based line number of each sample's row.
    pub lines: Vec<usize>,
    /// Covariate columns in file order.
    pub columns: Vec<SheetColumn>,
}

impl SampleSheet {
    /// Looks a covariate column up by name.
    pub fn column(&self, name: &str) -> Result<&SheetColumn, IoError> {
        self.columns
            .iter()
            .find(|column| column.name == name)
            .ok_or_else(|| IoError::UnknownColumn {
                path: self.path.clone(),
                column: name.to_string(),
                available: self.columns.iter().map(|c| c.name.clone()).collect(),
            })
    }

    /// Looks a column up and checks that no sample lacks a value in it: use
    /// this for every column a design formula mentions.
    ///
    /// ```
    /// let dir = std::env::temp_dir().join(format!("osteon-doc-sheet-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// let file = dir.join("samples.csv");
    /// std::fs::write(&file, "sample,condition,age\nA,ctrl,31\nB,trt,NA\n").unwrap();
    /// let sheet = osteon_io::read_sample_sheet(&file)?;
    /// assert!(sheet.complete_column("condition").is_ok());
    /// let error = sheet.complete_column("age").unwrap_err();
    /// assert!(error.to_string().contains("column age is missing (empty or NA) for sample B"));
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// # Ok::<(), osteon_io::IoError>(())
    /// ```
    pub fn complete_column(&self, name: &str) -> Result<&SheetColumn, IoError> {
        let column = self.column(name)?;
        match column.values.iter().position(Option::is_none) {
            Some(row) => Err(self.missing_value_error(column, row)),
            None => Ok(column),
        }
    }

    /// The error for a missing value of `column` in sheet row `row`.
    pub fn missing_value_error(&self, column: &SheetColumn, row: usize) -> IoError {
        IoError::MissingCovariate {
            path: self.path.clone(),
            line: self.lines[row],
            column: column.name.clone(),
            sample: self.ids[row].clone(),
        }
    }
}

/// Reads a sample sheet (CSV or TSV, optionally gzip-compressed).
///
/// Rows whose fields are all empty (spreadsheet leftovers such as `,,,`) are
/// skipped, and so are columns with an empty header name and no values (a
/// trailing separator). If the header has one field fewer than the rows (R's
/// `write.table` with row names), all header fields name covariates.
pub fn read_sample_sheet(path: impl AsRef<Path>) -> Result<SampleSheet, IoError> {
    let path = path.as_ref();
    let data = read_text_bytes(path)?;
    parse_sample_sheet(&data, path)
}

/// Parses a sample sheet already in memory (decompressed, BOM removed).
/// `path` is used for the separator choice and in error messages.
pub fn parse_sample_sheet(data: &[u8], path: &Path) -> Result<SampleSheet, IoError> {
    let mut lines = numbered_lines(data).filter(|(_, line)| !line.is_empty());
    let Some((header_line, header)) = lines.next() else {
        return Err(IoError::EmptyFile {
            path: path.to_path_buf(),
        });
    };
    let separator = choose_separator(path, header);
    let mut fields: Vec<Cow<[u8]>> = Vec::new();
    split_fields(header, separator, &mut fields).map_err(|_| unterminated(path, header_line))?;
    let mut names: Vec<String> = fields
        .iter()
        .map(|f| field_str(f, path, header_line).map(str::to_string))
        .collect::<Result<_, _>>()?;

    let mut rows: Vec<(usize, Vec<Option<String>>)> = Vec::new();
    for (line_number, line) in lines {
        split_fields(line, separator, &mut fields).map_err(|_| unterminated(path, line_number))?;
        if fields.iter().all(|f| trim_blanks(f).is_empty()) {
            continue;
        }
        // R's write.table(row.names = TRUE) omits the row-name column header
        // (but a trailing separator is not taken for a missing header cell).
        if rows.is_empty()
            && fields.len() == names.len() + 1
            && fields.last().is_some_and(|last| !last.is_empty())
        {
            names.insert(0, String::new());
        }
        if fields.len() != names.len() {
            return Err(IoError::RaggedRow {
                path: path.to_path_buf(),
                line: line_number,
                expected: names.len(),
                found: fields.len(),
            });
        }
        let cells = fields
            .iter()
            .map(|f| {
                let text = field_str(f, path, line_number)?;
                let trimmed = trim_blanks(text.as_bytes());
                Ok((!trimmed.is_empty() && trimmed != b"NA").then(|| text.to_string()))
            })
            .collect::<Result<Vec<_>, IoError>>()?;
        rows.push((line_number, cells));
    }
    if rows.is_empty() {
        return Err(IoError::HeaderOnly {
            path: path.to_path_buf(),
            line: header_line,
        });
    }

    let mut seen_columns: HashMap<&str, ()> = HashMap::new();
    for name in names.iter().skip(1).filter(|name| !name.is_empty()) {
        if seen_columns.insert(name, ()).is_some() {
            return Err(IoError::DuplicateColumn {
                path: path.to_path_buf(),
                line: header_line,
                column: name.clone(),
            });
        }
    }

    let mut ids = Vec::with_capacity(rows.len());
    let mut lines = Vec::with_capacity(rows.len());
    let mut first_line_of: HashMap<String, usize> = HashMap::with_capacity(rows.len());
    for (line_number, cells) in &rows {
        let Some(id) = cells[0].clone() else {
            return Err(IoError::EmptySampleId {
                path: path.to_path_buf(),
                line: *line_number,
            });
        };
        if let Some(&first_line) = first_line_of.get(&id) {
            return Err(IoError::DuplicateSheetSample {
                path: path.to_path_buf(),
                sample: id,
                first_line,
                second_line: *line_number,
            });
        }
        first_line_of.insert(id.clone(), *line_number);
        ids.push(id);
        lines.push(*line_number);
    }

    let mut columns = Vec::with_capacity(names.len().saturating_sub(1));
    for (index, name) in names.iter().enumerate().skip(1) {
        let values: Vec<Option<String>> = rows
            .iter_mut()
            .map(|(_, cells)| cells[index].take())
            .collect();
        if name.is_empty() && values.iter().all(Option::is_none) {
            continue;
        }
        let numeric = classify_numeric(&values);
        columns.push(SheetColumn {
            name: name.clone(),
            values,
            numeric,
        });
    }

    Ok(SampleSheet {
        path: path.to_path_buf(),
        id_column: names.swap_remove(0),
        ids,
        lines,
        columns,
    })
}

/// The numeric values of a column, or `None` if some present value is not a
/// finite number or no value is present.
fn classify_numeric(values: &[Option<String>]) -> Option<Vec<f64>> {
    let mut any_present = false;
    let numbers = values
        .iter()
        .map(|value| match value {
            None => Some(f64::NAN),
            Some(text) => {
                any_present = true;
                let trimmed = text.trim_matches([' ', '\t']);
                trimmed.parse::<f64>().ok().filter(|x| x.is_finite())
            }
        })
        .collect::<Option<Vec<f64>>>()?;
    any_present.then_some(numbers)
}

/// For each count-matrix column, the index of the sample-sheet row with the
/// same id. Fails unless the two name exactly the same samples, listing every
/// sample found in only one of them.
///
/// ```
/// # use std::path::PathBuf;
/// let sheet = osteon_io::SampleSheet {
///     path: PathBuf::from("samples.csv"),
///     id_column: "sample".into(),
///     ids: vec!["B".into(), "A".into()],
///     lines: vec![2, 3],
///     columns: vec![],
/// };
/// let order = osteon_io::match_samples(&["A".to_string(), "B".to_string()], &sheet)?;
/// assert_eq!(order, [1, 0]);
/// # Ok::<(), osteon_io::IoError>(())
/// ```
pub fn match_samples(count_samples: &[String], sheet: &SampleSheet) -> Result<Vec<usize>, IoError> {
    let row_of: HashMap<&str, usize> = sheet
        .ids
        .iter()
        .enumerate()
        .map(|(row, id)| (id.as_str(), row))
        .collect();
    let mut order = Vec::with_capacity(count_samples.len());
    let mut only_in_counts = Vec::new();
    for sample in count_samples {
        match row_of.get(sample.as_str()) {
            Some(&row) => order.push(row),
            None => only_in_counts.push(sample.clone()),
        }
    }
    let mut used = vec![false; sheet.ids.len()];
    for &row in &order {
        used[row] = true;
    }
    let only_in_sheet: Vec<String> = sheet
        .ids
        .iter()
        .zip(&used)
        .filter(|(_, &used)| !used)
        .map(|(id, _)| id.clone())
        .collect();
    if only_in_counts.is_empty() && only_in_sheet.is_empty() {
        Ok(order)
    } else {
        Err(IoError::SampleMismatch {
            path: sheet.path.clone(),
            only_in_sheet,
            only_in_counts,
        })
    }
}
