//! Long-format ("tidy") tables: one observation per row, named columns.
//!
//! The lab-assay and cohort analyses (qPCR plates, ELISA plates, survival
//! data, biomarker time courses) all start from such a table, exported from a
//! spreadsheet or R as CSV or TSV. This reader keeps every cell as text with
//! its 1-based line number, so that the analysis that interprets a column can
//! name the exact row and column in its error (`data.csv line 14, column
//! time: "3,5" is not a number`). Separator sniffing, quoting, gzip, BOM and
//! CRLF follow the shared rules of the delimited-text reader.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use crate::delimited::{
    choose_separator, field_str, numbered_lines, read_text_bytes, split_fields, trim_blanks,
    unterminated,
};
use crate::IoError;

/// A table read from a delimited text file: a header of unique column names
/// and rows of trimmed text cells (an empty cell or `NA` is `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct LongTable {
    /// The file the table came from (for error messages).
    pub path: PathBuf,
    /// Column names, in file order.
    pub columns: Vec<String>,
    /// Cells by row; `rows[r][c]` is `None` for an empty or `NA` cell.
    pub rows: Vec<Vec<Option<String>>>,
    /// The 1-based line number of each row in the file.
    pub lines: Vec<usize>,
}

/// Reads a CSV/TSV long table (separator from the extension or sniffed from
/// the header; gzip recognised by magic bytes).
pub fn read_long_table(path: impl AsRef<Path>) -> Result<LongTable, IoError> {
    let path = path.as_ref();
    let data = read_text_bytes(path)?;
    parse_long_table(&data, path)
}

/// Parses a long table from bytes already in memory; `path` names the
/// source in errors and guides separator detection.
pub fn parse_long_table(data: &[u8], path: &Path) -> Result<LongTable, IoError> {
    let mut lines = numbered_lines(data).filter(|(_, line)| !trim_blanks(line).is_empty());
    let Some((header_line, header)) = lines.next() else {
        return Err(IoError::EmptyFile {
            path: path.to_path_buf(),
        });
    };
    let separator = choose_separator(path, header);
    let mut fields: Vec<Cow<[u8]>> = Vec::new();
    split_fields(header, separator, &mut fields).map_err(|_| unterminated(path, header_line))?;
    let columns: Vec<String> = fields
        .iter()
        .map(|f| field_str(trim_blanks(f), path, header_line).map(str::to_string))
        .collect::<Result<_, _>>()?;
    for (index, name) in columns.iter().enumerate() {
        if name.is_empty() {
            return Err(IoError::EmptySampleName {
                path: path.to_path_buf(),
                line: header_line,
                column: index + 1,
            });
        }
        if columns[..index].contains(name) {
            return Err(IoError::DuplicateColumn {
                path: path.to_path_buf(),
                line: header_line,
                column: name.clone(),
            });
        }
    }

    let mut rows = Vec::new();
    let mut row_lines = Vec::new();
    for (line_number, line) in lines {
        split_fields(line, separator, &mut fields).map_err(|_| unterminated(path, line_number))?;
        if fields.len() != columns.len() {
            return Err(IoError::RaggedRow {
                path: path.to_path_buf(),
                line: line_number,
                expected: columns.len(),
                found: fields.len(),
            });
        }
        let cells = fields
            .iter()
            .map(|f| {
                let text = field_str(trim_blanks(f), path, line_number)?;
                Ok((!text.is_empty() && text != "NA").then(|| text.to_string()))
            })
            .collect::<Result<Vec<_>, IoError>>()?;
        rows.push(cells);
        row_lines.push(line_number);
    }
    if rows.is_empty() {
        return Err(IoError::HeaderOnly {
            path: path.to_path_buf(),
            line: header_line,
        });
    }
    Ok(LongTable {
        path: path.to_path_buf(),
        columns,
        rows,
        lines: row_lines,
    })
}

impl LongTable {
    /// Number of data rows.
    pub fn n_rows(&self) -> usize {
        self.rows.len()
    }

    /// The index of a column, or an error listing the columns the file has.
    pub fn column_index(&self, name: &str) -> Result<usize, IoError> {
        self.columns
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| IoError::UnknownColumn {
                path: self.path.clone(),
                column: name.to_string(),
                available: self.columns.clone(),
            })
    }

    /// Whether the table has a column of that name.
    pub fn has_column(&self, name: &str) -> bool {
        self.columns.iter().any(|c| c == name)
    }

    /// The text of a cell (`None` when empty or `NA`).
    pub fn text(&self, row: usize, column: usize) -> Option<&str> {
        self.rows[row][column].as_deref()
    }

    /// A whole column as text cells.
    pub fn text_column(&self, name: &str) -> Result<Vec<Option<&str>>, IoError> {
        let column = self.column_index(name)?;
        Ok((0..self.n_rows()).map(|r| self.text(r, column)).collect())
    }

    /// A cell parsed as a number: `Ok(None)` for an empty/`NA` cell, an error
    /// naming line, column and value when the text is not a number. `Inf`,
    /// `-Inf` and `NaN` are accepted as R writes them.
    pub fn number(&self, row: usize, column: usize) -> Result<Option<f64>, IoError> {
        let Some(text) = self.text(row, column) else {
            return Ok(None);
        };
        parse_r_number(text)
            .map(Some)
            .ok_or_else(|| self.value_error(row, column, text, "is not a number"))
    }

    /// A whole column parsed as numbers (see [`LongTable::number`]).
    pub fn number_column(&self, name: &str) -> Result<Vec<Option<f64>>, IoError> {
        let column = self.column_index(name)?;
        (0..self.n_rows()).map(|r| self.number(r, column)).collect()
    }

    /// An error about one cell, for checks made by the analysis that reads
    /// the table (e.g. "is negative; times must be ≥ 0").
    pub fn value_error(&self, row: usize, column: usize, value: &str, problem: &str) -> IoError {
        IoError::InvalidValue {
            path: self.path.clone(),
            line: self.lines[row],
            column: self.columns[column].clone(),
            value: value.to_string(),
            problem: problem.to_string(),
        }
    }
}

/// Parses a number as R's `as.numeric` would for data files: decimal or
/// scientific notation, `Inf`/`-Inf`/`NaN`; surrounding blanks are already
/// trimmed by the reader. Returns `None` for anything else (including a
/// decimal comma).
pub fn parse_r_number(text: &str) -> Option<f64> {
    match text {
        "Inf" | "+Inf" => return Some(f64::INFINITY),
        "-Inf" => return Some(f64::NEG_INFINITY),
        "NaN" => return Some(f64::NAN),
        _ => {}
    }
    let looks_numeric = text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    if !looks_numeric || !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str, name: &str) -> Result<LongTable, IoError> {
        parse_long_table(text.as_bytes(), Path::new(name))
    }

    #[test]
    fn reads_csv_with_missing_cells_and_line_numbers() {
        let t = table("id,time,status\n\na, 3.5 ,1\nb,NA,0\nc,,2\n", "d.csv").unwrap();
        assert_eq!(t.columns, ["id", "time", "status"]);
        assert_eq!(t.lines, [3, 4, 5]);
        assert_eq!(t.number_column("time").unwrap(), [Some(3.5), None, None]);
        assert_eq!(
            t.text_column("id").unwrap(),
            [Some("a"), Some("b"), Some("c")]
        );
    }

    #[test]
    fn sniffs_tabs_and_parses_r_specials() {
        let t = table("x\ty\n1e-3\t-Inf\n", "d.txt").unwrap();
        assert_eq!(t.number(0, 0).unwrap(), Some(0.001));
        assert_eq!(t.number(0, 1).unwrap(), Some(f64::NEG_INFINITY));
    }

    #[test]
    fn non_numeric_cell_names_line_column_and_value() {
        let t = table("id,time\na,3\nb,\"3,5\"\n", "d.csv").unwrap();
        let err = t.number_column("time").unwrap_err().to_string();
        assert!(
            err.contains("line 3") && err.contains("time") && err.contains("3,5"),
            "{err}"
        );
    }

    #[test]
    fn unknown_column_lists_available_ones() {
        let t = table("id,time\na,3\n", "d.csv").unwrap();
        let err = t.column_index("status").unwrap_err().to_string();
        assert!(err.contains("status") && err.contains("id, time"), "{err}");
    }

    #[test]
    fn ragged_duplicate_and_empty_tables_are_errors() {
        assert!(matches!(
            table("a,b\n1\n", "d.csv"),
            Err(IoError::RaggedRow { line: 2, .. })
        ));
        assert!(matches!(
            table("a,a\n1,2\n", "d.csv"),
            Err(IoError::DuplicateColumn { .. })
        ));
        assert!(matches!(
            table("a,b\n", "d.csv"),
            Err(IoError::HeaderOnly { .. })
        ));
        assert!(matches!(
            table("\n\n", "d.csv"),
            Err(IoError::EmptyFile { .. })
        ));
    }

    #[test]
    fn parse_r_number_rejects_text_and_decimal_commas() {
        assert_eq!(parse_r_number("2.5e2"), Some(250.0));
        assert_eq!(parse_r_number("Undetermined"), None);
        assert_eq!(parse_r_number("3,5"), None);
        assert_eq!(parse_r_number("-"), None);
        assert_eq!(parse_r_number("0x10"), None);
    }
}
