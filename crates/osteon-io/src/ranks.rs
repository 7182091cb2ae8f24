//! Gene rankings for preranked GSEA, from two sources:
//!
//! * a GSEA `.rnk` file (Broad GSEA / GSEApy / fgsea convention): two
//!   columns, gene and score, tab-separated (comma for `.csv`), `#` comment
//!   lines, an optional header line (recognised when its score field is not a
//!   number). Every score must be a finite number: fgsea stops with "Not all
//!   stats values are finite numbers", and so does this reader, naming the line.
//! * a DESeq2-style results table (`osteon de`'s `results.tsv`, or R's
//!   `write.table`/`write.csv` of `results()`, whose header may lack the
//!   row-name column): gene ids from the first column, scores from a named
//!   column (the Wald `stat` by default). Rows whose score is NA or empty
//!   (genes DESeq2 did not test) are dropped and listed in
//!   [`Ranks::missing`], never silently.
//!
//! In both, a gene listed twice is an error naming both lines; gzip, a UTF-8
//! byte-order mark, CRLF line endings and quoted fields are accepted.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::delimited::{
    choose_separator, field_str, numbered_lines, read_text_bytes, split_fields, trim_blanks,
    unterminated, UTF8_BOM,
};
use crate::{parse_r_number, IoError};

/// A ranking read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranks {
    /// The file it came from.
    pub path: PathBuf,
    /// The column the scores came from (`score` for a headerless `.rnk`).
    pub column: String,
    /// Gene ids, in file order.
    pub genes: Vec<String>,
    /// Their scores (all finite).
    pub scores: Vec<f64>,
    /// The 1-based line of each gene.
    pub lines: Vec<usize>,
    /// Genes whose score was NA or empty (DE tables only), with their lines.
    pub missing: Vec<(String, usize)>,
}

/// Reads a `.rnk` ranking (optionally gzip-compressed).
pub fn read_rnk(path: impl AsRef<Path>) -> Result<Ranks, IoError> {
    let path = path.as_ref();
    let data = read_text_bytes(path)?;
    parse_rnk(&data, path)
}

/// Reads the scores of `column` from a DESeq2-style results table.
pub fn read_de_ranks(path: impl AsRef<Path>, column: &str) -> Result<Ranks, IoError> {
    let path = path.as_ref();
    let data = read_text_bytes(path)?;
    parse_de_ranks(&data, path, column)
}

/// Records genes, refusing a second occurrence of the same id.
struct GeneIndex<'a> {
    path: &'a Path,
    first_line: HashMap<String, usize>,
}

impl GeneIndex<'_> {
    fn add(&mut self, gene: &str, line: usize) -> Result<(), IoError> {
        if let Some(&first_line) = self.first_line.get(gene) {
            return Err(IoError::DuplicateGene {
                path: self.path.to_path_buf(),
                gene: gene.to_string(),
                first_line,
                second_line: line,
            });
        }
        self.first_line.insert(gene.to_string(), line);
        Ok(())
    }
}

fn invalid(path: &Path, line: usize, column: &str, value: &str, problem: &str) -> IoError {
    IoError::InvalidValue {
        path: path.to_path_buf(),
        line,
        column: column.to_string(),
        value: value.to_string(),
        problem: problem.to_string(),
    }
}

/// A score cell: `Ok(None)` for NA/empty, an error for text or non-finite.
fn score_cell(text: &str, path: &Path, line: usize, column: &str) -> Result<Option<f64>, IoError> {
    if text.is_empty() || text == "NA" {
        return Ok(None);
    }
    match parse_r_number(text) {
        Some(x) if x.is_finite() => Ok(Some(x)),
        Some(_) => Err(invalid(
            path,
            line,
            column,
            text,
            "is not a finite number; GSEA needs a finite score for every ranked gene",
        )),
        None => Err(invalid(path, line, column, text, "is not a number")),
    }
}

/// Splits a line into trimmed text fields.
fn text_fields<'a>(
    line: &'a [u8],
    separator: u8,
    path: &Path,
    line_number: usize,
    buffer: &mut Vec<Cow<'a, [u8]>>,
) -> Result<Vec<String>, IoError> {
    split_fields(line, separator, buffer).map_err(|_| unterminated(path, line_number))?;
    buffer
        .iter()
        .map(|f| field_str(trim_blanks(f), path, line_number).map(str::to_string))
        .collect()
}

/// Parses `.rnk` text already in memory; `path` names the source in errors.
///
/// ```
/// use std::path::Path;
/// let text = b"# ranked by Wald statistic\nVEGFA\t7.5\nEPO\t-2\n";
/// let ranks = osteon_io::ranks::parse_rnk(text, Path::new("de.rnk")).unwrap();
/// assert_eq!(ranks.genes, ["VEGFA", "EPO"]);
/// assert_eq!(ranks.scores, [7.5, -2.0]);
/// assert_eq!(ranks.lines, [2, 3]);
/// ```
pub fn parse_rnk(data: &[u8], path: &Path) -> Result<Ranks, IoError> {
    let data = data.strip_prefix(UTF8_BOM).unwrap_or(data);
    let mut lines = numbered_lines(data).filter(|(_, l)| {
        let t = trim_blanks(l);
        !t.is_empty() && !t.starts_with(b"#")
    });
    let Some((first_number, first)) = lines.next() else {
        return Err(IoError::EmptyFile {
            path: path.to_path_buf(),
        });
    };
    let separator = choose_separator(path, first);
    let mut buffer = Vec::new();
    let mut genes = Vec::new();
    let mut scores = Vec::new();
    let mut line_numbers = Vec::new();
    let mut index = GeneIndex {
        path,
        first_line: HashMap::new(),
    };
    let mut column = "score".to_string();
    let first_fields = text_fields(first, separator, path, first_number, &mut buffer)?;
    let header = first_fields.len() == 2
        && !first_fields[1].is_empty()
        && first_fields[1] != "NA"
        && parse_r_number(&first_fields[1]).is_none();
    let rows = std::iter::once((first_number, first))
        .filter(|_| !header)
        .chain(lines);
    if header {
        column = first_fields[1].clone();
    }
    for (line_number, line) in rows {
        let fields = text_fields(line, separator, path, line_number, &mut buffer)?;
        if fields.len() != 2 {
            return Err(IoError::RaggedRow {
                path: path.to_path_buf(),
                line: line_number,
                expected: 2,
                found: fields.len(),
            });
        }
        if fields[0].is_empty() {
            return Err(IoError::EmptyGeneId {
                path: path.to_path_buf(),
                line: line_number,
            });
        }
        let Some(score) = score_cell(&fields[1], path, line_number, &column)? else {
            return Err(invalid(
                path,
                line_number,
                &column,
                &fields[1],
                "is missing; every gene of a .rnk file needs a finite score",
            ));
        };
        index.add(&fields[0], line_number)?;
        genes.push(fields[0].clone());
        scores.push(score);
        line_numbers.push(line_number);
    }
    if genes.is_empty() {
        return Err(IoError::HeaderOnly {
            path: path.to_path_buf(),
            line: first_number,
        });
    }
    Ok(Ranks {
        path: path.to_path_buf(),
        column,
        genes,
        scores,
        lines: line_numbers,
        missing: Vec::new(),
    })
}

/// Parses a results table already in memory; `path` names the source in
/// errors and guides separator detection.
///
/// ```
/// use std::path::Path;
/// let text = b"gene\tbaseMean\tstat\tpadj\nA\t10\t3.2\t0.01\nB\t0\tNA\tNA\nC\t5\t-1\t0.5\n";
/// let ranks = osteon_io::ranks::parse_de_ranks(text, Path::new("results.tsv"), "stat").unwrap();
/// assert_eq!(ranks.genes, ["A", "C"]);
/// assert_eq!(ranks.missing, [("B".to_string(), 3)]);
/// ```
pub fn parse_de_ranks(data: &[u8], path: &Path, column: &str) -> Result<Ranks, IoError> {
    let data = data.strip_prefix(UTF8_BOM).unwrap_or(data);
    let mut lines = numbered_lines(data).filter(|(_, l)| !trim_blanks(l).is_empty());
    let Some((header_number, header_line)) = lines.next() else {
        return Err(IoError::EmptyFile {
            path: path.to_path_buf(),
        });
    };
    let separator = choose_separator(path, header_line);
    let mut buffer = Vec::new();
    let header = text_fields(header_line, separator, path, header_number, &mut buffer)?;
    let mut genes = Vec::new();
    let mut scores = Vec::new();
    let mut line_numbers = Vec::new();
    let mut missing = Vec::new();
    let mut index = GeneIndex {
        path,
        first_line: HashMap::new(),
    };
    // Column of the scores within a data row, fixed by the first row: R's
    // write.table leaves the row-name column out of the header.
    let mut layout: Option<(usize, usize)> = None;
    for (line_number, line) in lines {
        let fields = text_fields(line, separator, path, line_number, &mut buffer)?;
        let (width, score_at) = match layout {
            Some(known) => known,
            None => {
                let row_names = fields.len() == header.len() + 1;
                let names: Vec<String> = if row_names {
                    header.clone()
                } else {
                    header[1.min(header.len())..].to_vec()
                };
                let Some(position) = names.iter().position(|h| h == column) else {
                    return Err(IoError::UnknownColumn {
                        path: path.to_path_buf(),
                        column: column.to_string(),
                        available: names,
                    });
                };
                let known = (names.len() + 1, position + 1);
                layout = Some(known);
                known
            }
        };
        if fields.len() != width {
            return Err(IoError::RaggedRow {
                path: path.to_path_buf(),
                line: line_number,
                expected: width,
                found: fields.len(),
            });
        }
        let gene = &fields[0];
        if gene.is_empty() {
            return Err(IoError::EmptyGeneId {
                path: path.to_path_buf(),
                line: line_number,
            });
        }
        index.add(gene, line_number)?;
        match score_cell(&fields[score_at], path, line_number, column)? {
            Some(score) => {
                genes.push(gene.clone());
                scores.push(score);
                line_numbers.push(line_number);
            }
            None => missing.push((gene.clone(), line_number)),
        }
    }
    if layout.is_none() {
        return Err(IoError::HeaderOnly {
            path: path.to_path_buf(),
            line: header_number,
        });
    }
    if genes.is_empty() {
        return Err(IoError::NoRankValues {
            path: path.to_path_buf(),
            column: column.to_string(),
            missing: missing.len(),
        });
    }
    Ok(Ranks {
        path: path.to_path_buf(),
        column: column.to_string(),
        genes,
        scores,
        lines: line_numbers,
        missing,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rnk(text: &str) -> Result<Ranks, IoError> {
        parse_rnk(text.as_bytes(), Path::new("genes.rnk"))
    }

    fn de(text: &str, column: &str) -> Result<Ranks, IoError> {
        parse_de_ranks(text.as_bytes(), Path::new("results.tsv"), column)
    }

    #[test]
    fn rnk_with_comments_header_crlf_and_csv() {
        let r = rnk("#GSEA ranking\r\ngene\tstat\r\nA\t1.5\r\n\r\nB\t-2e-1\r\n").unwrap();
        assert_eq!(r.column, "stat");
        assert_eq!(r.genes, ["A", "B"]);
        assert_eq!(r.scores, [1.5, -0.2]);
        assert_eq!(r.lines, [3, 5]);
        let r = rnk("A\t3\nB\t0\n").unwrap();
        assert_eq!(r.column, "score");
        assert_eq!(r.genes, ["A", "B"]);
        let r = parse_rnk(b"A,1\nB,2\n", Path::new("genes.csv")).unwrap();
        assert_eq!(r.scores, [1.0, 2.0]);
    }

    #[test]
    fn rnk_errors_name_the_line() {
        let e = rnk("A\t1\nB\t2\nA\t3\n").unwrap_err().to_string();
        assert_eq!(
            e,
            "genes.rnk line 3: gene A appears twice (lines 1 and 3); gene ids must be unique"
        );
        let e = rnk("A\t1\nB\tInf\n").unwrap_err().to_string();
        assert!(
            e.contains("line 2") && e.contains("\"Inf\" is not a finite number"),
            "{e}"
        );
        let e = rnk("A\t1\nB\tNA\n").unwrap_err().to_string();
        assert!(e.contains("line 2") && e.contains("is missing"), "{e}");
        let e = rnk("A\t1\nB\tx1\n").unwrap_err().to_string();
        assert!(e.contains("line 2") && e.contains("is not a number"), "{e}");
        let e = rnk("A\t1\nB\t2\t3\n").unwrap_err();
        assert!(matches!(
            e,
            IoError::RaggedRow {
                line: 2,
                expected: 2,
                found: 3,
                ..
            }
        ));
        let e = rnk("A\t1\n\t2\n").unwrap_err();
        assert!(matches!(e, IoError::EmptyGeneId { line: 2, .. }));
        assert!(matches!(
            rnk("# only\n").unwrap_err(),
            IoError::EmptyFile { .. }
        ));
        assert!(matches!(
            rnk("gene\tscore\n").unwrap_err(),
            IoError::HeaderOnly { .. }
        ));
    }

    #[test]
    fn de_table_drops_and_lists_na_rows() {
        let text = "gene\tbaseMean\tlog2FoldChange\tlfcSE\tstat\tpvalue\tpadj\n\
                    A\t10\t1\t0.5\t2\t0.04\t0.1\n\
                    B\t0\tNA\tNA\tNA\tNA\tNA\n\
                    C\t8\t-1\t0.5\t-2.5\t0.01\t0.05\n";
        let r = de(text, "stat").unwrap();
        assert_eq!(r.genes, ["A", "C"]);
        assert_eq!(r.scores, [2.0, -2.5]);
        assert_eq!(r.lines, [2, 4]);
        assert_eq!(r.missing, [("B".to_string(), 3)]);
        let r = de(text, "log2FoldChange").unwrap();
        assert_eq!(r.scores, [1.0, -1.0]);
    }

    #[test]
    fn de_table_from_r_write_table_and_write_csv() {
        // write.table(res, sep = "\t", quote = FALSE): no row-name header.
        let r = de("baseMean\tstat\nA\t10\t2\nB\t3\t-1\n", "stat").unwrap();
        assert_eq!(r.genes, ["A", "B"]);
        assert_eq!(r.scores, [2.0, -1.0]);
        // write.csv(res): quoted, with an empty row-name header cell.
        let r = parse_de_ranks(
            b"\"\",\"baseMean\",\"stat\"\n\"A\",10,2\n\"B\",3,NA\n",
            Path::new("res.csv"),
            "stat",
        )
        .unwrap();
        assert_eq!(r.genes, ["A"]);
        assert_eq!(r.missing.len(), 1);
    }

    #[test]
    fn de_table_errors() {
        let e = de("gene\tstat\nA\t1\n", "wald").unwrap_err().to_string();
        assert_eq!(
            e,
            "results.tsv: there is no column wald (columns are: stat)"
        );
        let e = de("gene\tstat\nA\t1\nA\t2\n", "stat")
            .unwrap_err()
            .to_string();
        assert!(e.contains("gene A appears twice (lines 2 and 3)"), "{e}");
        let e = de("gene\tstat\nA\t1\nB\t-Inf\n", "stat")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 3, column stat: \"-Inf\" is not a finite number"),
            "{e}"
        );
        let e = de("gene\tstat\nA\tNA\nB\t\n", "stat")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "results.tsv: column stat has no numeric values (2 rows are NA or empty), so there is nothing to rank"
        );
        let e = de("gene\tbaseMean\tstat\nA\t1\t2\nB\t3\n", "stat").unwrap_err();
        assert!(matches!(
            e,
            IoError::RaggedRow {
                line: 3,
                expected: 3,
                found: 2,
                ..
            }
        ));
        assert!(matches!(
            de("gene\tstat\n", "stat").unwrap_err(),
            IoError::HeaderOnly { .. }
        ));
    }
}
