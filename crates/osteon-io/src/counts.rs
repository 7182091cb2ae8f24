//! Reading a count matrix (genes × samples) for differential expression.
//!
//! Accepted layouts:
//! * delimited text (TSV or CSV, see [`crate::delimited`] for the separator
//!   rules), gene id in the first column and one column per sample. The first
//!   header cell may be empty (R's `write.csv` writes `""`), and it may be
//!   missing altogether (R's `write.table` with row names writes one header
//!   field fewer than each row has, detected from the first data row);
//! * featureCounts output (Liao, Smyth & Shi 2014, Subread): an optional
//!   `# Program:featureCounts ...` line (any leading line starting with
//!   `# Program:` is skipped), then the header
//!   `Geneid Chr Start End Strand Length <samples...>`; samples are the 7th
//!   column onward.
//!
//! Counts must be non-negative whole numbers, as DESeq2's
//! `DESeqDataSetFromMatrix` demands. Plain digit strings are parsed straight
//! from bytes; anything else (`1e+05` as written by R, `12.0`) goes through
//! `f64` parsing and must still be a whole number. Values are stored as `f64`,
//! which is exact for integers below 2^53.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::delimited::{
    choose_separator, field_str, read_text_bytes, split_fields, trim_blanks, unterminated,
    LineCursor,
};
use crate::IoError;

/// The header of featureCounts output, up to and including `Length`.
const FEATURECOUNTS_COLUMNS: [&str; 6] = ["Geneid", "Chr", "Start", "End", "Strand", "Length"];

/// Where a count table came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountSource {
    /// A plain delimited matrix with this field separator (`b'\t'` or `b','`).
    Delimited { separator: u8 },
    /// featureCounts output (tab-separated, six annotation columns).
    FeatureCounts,
}

/// A count matrix: genes × samples, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct CountTable {
    /// The file it was read from.
    pub path: PathBuf,
    /// Gene ids, in file order (unique).
    pub genes: Vec<String>,
    /// Sample names used downstream (unique). For featureCounts these are the
    /// names stripped by [`featurecounts_sample_name`] when that keeps them
    /// unique, else the header names as written.
    pub samples: Vec<String>,
    /// Sample names exactly as written in the header.
    pub header_samples: Vec<String>,
    /// Counts, row-major: `counts[gene * samples.len() + sample]`; exact
    /// non-negative integers.
    pub counts: Vec<f64>,
    /// The layout the file was recognised as.
    pub source: CountSource,
}

impl CountTable {
    /// Number of genes (rows).
    pub fn n_genes(&self) -> usize {
        self.genes.len()
    }

    /// Number of samples (columns).
    pub fn n_samples(&self) -> usize {
        self.samples.len()
    }

    /// The counts of one gene across all samples.
    pub fn row(&self, gene: usize) -> &[f64] {
        let width = self.samples.len();
        &self.counts[gene * width..(gene + 1) * width]
    }
}

/// Turns a featureCounts sample column name, which is usually the BAM path
/// given on its command line, into a sample name: the directory part and a
/// trailing `.bam` are removed.
///
/// ```
/// use osteon_io::featurecounts_sample_name;
/// assert_eq!(featurecounts_sample_name("/data/run1/P3.sorted.bam"), "P3.sorted");
/// assert_eq!(featurecounts_sample_name("aligned\\P4.bam"), "P4");
/// assert_eq!(featurecounts_sample_name("P5"), "P5");
/// ```
pub fn featurecounts_sample_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let stripped = base.strip_suffix(".bam").unwrap_or(base);
    if stripped.is_empty() {
        base.to_string()
    } else {
        stripped.to_string()
    }
}

/// Reads a count matrix from a TSV/CSV/featureCounts file, gzip-compressed or
/// not.
///
/// ```no_run
/// let table = osteon_io::read_counts("counts.tsv.gz")?;
/// println!("{} genes × {} samples", table.n_genes(), table.n_samples());
/// # Ok::<(), osteon_io::IoError>(())
/// ```
pub fn read_counts(path: impl AsRef<Path>) -> Result<CountTable, IoError> {
    let path = path.as_ref();
    let data = read_text_bytes(path)?;
    parse_counts(&data, path)
}

/// Parses a count matrix already in memory (decompressed, BOM removed).
/// `path` is used for the separator choice and in error messages.
pub fn parse_counts(data: &[u8], path: &Path) -> Result<CountTable, IoError> {
    let mut cursor = LineCursor::new(data);
    let (header_line, header) = loop {
        match cursor.next_nonblank_line() {
            // featureCounts writes a `# Program:featureCounts ...` line first.
            Some((_, line)) if line.starts_with(b"# Program:") => continue,
            Some(found) => break found,
            None => {
                return Err(IoError::EmptyFile {
                    path: path.to_path_buf(),
                })
            }
        }
    };

    let separator = choose_separator(path, header);
    let mut fields: Vec<Cow<[u8]>> = Vec::new();
    split_fields(header, separator, &mut fields).map_err(|_| unterminated(path, header_line))?;
    let header_cells: Vec<String> = fields
        .iter()
        .map(|f| field_str(f, path, header_line).map(str::to_string))
        .collect::<Result<_, _>>()?;

    let is_featurecounts = separator == b'\t'
        && header_cells.len() >= FEATURECOUNTS_COLUMNS.len()
        && header_cells
            .iter()
            .zip(FEATURECOUNTS_COLUMNS)
            .all(|(cell, expected)| cell.trim() == expected);

    let Some((first_data_line, first_data)) = cursor.clone().next_nonblank_line() else {
        return if header_cells.len() < 2 {
            Err(IoError::NoSamples {
                path: path.to_path_buf(),
                line: header_line,
            })
        } else {
            Err(IoError::HeaderOnly {
                path: path.to_path_buf(),
                line: header_line,
            })
        };
    };

    // Column index of the first count in each row, and the sample names.
    let (first_count_field, header_samples, source) = if is_featurecounts {
        (
            FEATURECOUNTS_COLUMNS.len(),
            header_cells[FEATURECOUNTS_COLUMNS.len()..].to_vec(),
            CountSource::FeatureCounts,
        )
    } else {
        split_fields(first_data, separator, &mut fields)
            .map_err(|_| unterminated(path, first_data_line))?;
        // R's write.table(row.names = TRUE) omits the row-name column header.
        // (A row that is one longer only because of a trailing separator is
        // left to the ragged-row check.)
        let header_lacks_id_column = fields.len() == header_cells.len() + 1
            && fields.last().is_some_and(|last| !last.is_empty());
        let samples = if header_lacks_id_column {
            header_cells.clone()
        } else {
            header_cells[1.min(header_cells.len())..].to_vec()
        };
        (1, samples, CountSource::Delimited { separator })
    };
    // 1-based column numbers of the sample names in the header line.
    let first_sample_column = header_cells.len() - header_samples.len() + 1;
    if header_samples.is_empty() {
        return Err(IoError::NoSamples {
            path: path.to_path_buf(),
            line: header_line,
        });
    }
    let mut seen_samples: HashMap<&str, usize> = HashMap::with_capacity(header_samples.len());
    for (index, sample) in header_samples.iter().enumerate() {
        if sample.is_empty() {
            return Err(IoError::EmptySampleName {
                path: path.to_path_buf(),
                line: header_line,
                column: first_sample_column + index,
            });
        }
        if seen_samples.insert(sample, index).is_some() {
            return Err(IoError::DuplicateCountSample {
                path: path.to_path_buf(),
                line: header_line,
                sample: sample.clone(),
            });
        }
    }
    let samples = if is_featurecounts {
        let stripped: Vec<String> = header_samples
            .iter()
            .map(|s| featurecounts_sample_name(s))
            .collect();
        let mut unique = std::collections::HashSet::with_capacity(stripped.len());
        if stripped.iter().all(|s| unique.insert(s.as_str())) {
            stripped
        } else {
            header_samples.clone()
        }
    } else {
        header_samples.clone()
    };

    let n_samples = header_samples.len();
    let expected_fields = first_count_field + n_samples;
    // Room for twice the rows the first data row's length suggests: untouched
    // capacity costs address space only, and the common case never regrows.
    let estimated_rows = 2 * (cursor.rest().len() / (first_data.len() + 1) + 1);
    let mut genes: Vec<String> = Vec::with_capacity(estimated_rows);
    let mut gene_lines: Vec<usize> = Vec::with_capacity(estimated_rows);
    let mut counts: Vec<f64> = Vec::with_capacity(estimated_rows * n_samples);

    loop {
        let rest = cursor.rest();
        if rest.is_empty() {
            break;
        }
        if let Some((gene, consumed)) =
            parse_row_fast(rest, separator, first_count_field, n_samples, &mut counts)
        {
            cursor.consume_line(consumed);
            let gene = checked_gene(gene, path, cursor.line_number())?;
            genes.push(gene.to_string());
            gene_lines.push(cursor.line_number());
            continue;
        }
        // Blank line, quoted fields, wrong field count or a bad cell: take the
        // careful path, which also produces the precise error.
        let Some((line_number, line)) = cursor.next_line() else {
            break;
        };
        if line.is_empty() {
            continue;
        }
        split_fields(line, separator, &mut fields).map_err(|_| unterminated(path, line_number))?;
        if fields.len() != expected_fields {
            return Err(IoError::RaggedRow {
                path: path.to_path_buf(),
                line: line_number,
                expected: expected_fields,
                found: fields.len(),
            });
        }
        let gene = checked_gene(&fields[0], path, line_number)?;
        for (sample, cell) in fields[first_count_field..].iter().enumerate() {
            match parse_count(cell) {
                Ok(value) => counts.push(value),
                Err(problem) => {
                    return Err(count_error(
                        problem,
                        path,
                        line_number,
                        gene,
                        &samples[sample],
                        cell,
                    ))
                }
            }
        }
        genes.push(gene.to_string());
        gene_lines.push(line_number);
    }
    check_unique_genes(&genes, &gene_lines, path)?;
    counts.shrink_to_fit();
    genes.shrink_to_fit();

    Ok(CountTable {
        path: path.to_path_buf(),
        genes,
        samples,
        header_samples,
        counts,
        source,
    })
}

/// Fails on the first repeated gene id (the one whose second occurrence
/// comes earliest in the file). Sorting indices avoids hashing and copying
/// every id.
fn check_unique_genes(genes: &[String], lines: &[usize], path: &Path) -> Result<(), IoError> {
    let mut order: Vec<u32> = (0..genes.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| genes[a as usize].cmp(&genes[b as usize]).then(a.cmp(&b)));
    let earliest_repeat = order
        .windows(2)
        .filter(|pair| genes[pair[0] as usize] == genes[pair[1] as usize])
        .min_by_key(|pair| pair[1]);
    match earliest_repeat {
        None => Ok(()),
        Some(pair) => {
            // Within a run of equal ids the indices ascend, so the run's first
            // pair holds the first and second occurrences.
            let gene = &genes[pair[0] as usize];
            Err(IoError::DuplicateGene {
                path: path.to_path_buf(),
                gene: gene.clone(),
                first_line: lines[pair[0] as usize],
                second_line: lines[pair[1] as usize],
            })
        }
    }
}

/// Checks that a gene id is non-empty UTF-8.
fn checked_gene<'a>(field: &'a [u8], path: &Path, line: usize) -> Result<&'a str, IoError> {
    let gene = field_str(field, path, line)?;
    if gene.is_empty() {
        return Err(IoError::EmptyGeneId {
            path: path.to_path_buf(),
            line,
        });
    }
    Ok(gene)
}

/// Parses the data row at the start of `rest` in one pass over its bytes,
/// appending its counts, for the common case: no quoted fields, the expected
/// number of fields, every count acceptable. Returns the gene id and the
/// number of bytes consumed (terminator included), or `None` (with `counts`
/// left as it was) when the row needs the careful path.
fn parse_row_fast<'a>(
    rest: &'a [u8],
    separator: u8,
    first_count_field: usize,
    n_samples: usize,
    counts: &mut Vec<f64>,
) -> Option<(&'a [u8], usize)> {
    let length_before = counts.len();
    let parsed = parse_row_fast_inner(rest, separator, first_count_field, n_samples, counts);
    if parsed.is_none() {
        counts.truncate(length_before);
    }
    parsed
}

fn parse_row_fast_inner<'a>(
    rest: &'a [u8],
    separator: u8,
    first_count_field: usize,
    n_samples: usize,
    counts: &mut Vec<f64>,
) -> Option<(&'a [u8], usize)> {
    let mut position = 0;
    let mut gene_end = 0;
    let mut gene_start = 0;
    for field in 0..first_count_field {
        if rest.get(position) == Some(&b'"') {
            // A simply quoted field (R's write.csv quotes row names): the
            // closing quote must be followed by the separator.
            let offset = rest[position + 1..]
                .iter()
                .position(|&b| b == b'"' || b == b'\n')?;
            let closing = position + 1 + offset;
            if rest[closing] != b'"' || rest.get(closing + 1) != Some(&separator) {
                return None;
            }
            if field == 0 {
                (gene_start, gene_end) = (1, closing);
            }
            position = closing + 2;
            continue;
        }
        let offset = rest[position..]
            .iter()
            .position(|&b| b == separator || b == b'\n')?;
        if rest[position + offset] != separator {
            return None;
        }
        if field == 0 {
            gene_end = offset;
        }
        position += offset + 1;
    }
    let cells = &rest[position..];
    counts.reserve(n_samples);
    let mut n_cells = 0;
    let mut cell_start = 0;
    let mut value: u64 = 0;
    let mut all_digits = true;
    let mut end = cells.len();
    for (index, &b) in cells.iter().enumerate() {
        if b == separator {
            if n_cells + 1 == n_samples {
                return None;
            }
            counts.push(finish_cell(&cells[cell_start..index], value, all_digits)?);
            n_cells += 1;
            cell_start = index + 1;
            value = 0;
            all_digits = true;
        } else if b == b'\n' {
            end = index;
            break;
        } else {
            let digit = b.wrapping_sub(b'0');
            all_digits &= digit <= 9;
            value = value.wrapping_mul(10).wrapping_add(u64::from(digit));
        }
    }
    if n_cells + 1 != n_samples {
        return None;
    }
    let last = &cells[cell_start..end];
    let last_value = match last.strip_suffix(b"\r") {
        Some(without_cr) => parse_count(without_cr).ok()?,
        None => finish_cell(last, value, all_digits)?,
    };
    counts.push(last_value);
    let consumed = position + end + usize::from(end < cells.len());
    Some((&rest[gene_start..gene_end], consumed))
}

/// The value of a cell scanned by the fast path: the accumulated digits when
/// it is a plain digit string short enough to be exact, else the careful
/// parse; `None` if the cell is not acceptable.
#[inline]
fn finish_cell(cell: &[u8], value: u64, all_digits: bool) -> Option<f64> {
    if all_digits && !cell.is_empty() && cell.len() <= 15 {
        Some(value as f64)
    } else {
        parse_count_slow(cell).ok()
    }
}

/// Why a count cell was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CountProblem {
    Negative,
    Fractional,
    Missing,
    NotANumber,
}

/// Parses one count cell: a fast path for plain digit strings (at most 15
/// digits, so exact in `f64`), otherwise `f64` parsing of the trimmed text.
fn parse_count(cell: &[u8]) -> Result<f64, CountProblem> {
    if !cell.is_empty() && cell.len() <= 15 {
        let mut value: u64 = 0;
        let mut all_digits = true;
        for &b in cell {
            let digit = b.wrapping_sub(b'0');
            if digit > 9 {
                all_digits = false;
                break;
            }
            value = value * 10 + u64::from(digit);
        }
        if all_digits {
            return Ok(value as f64);
        }
    }
    parse_count_slow(cell)
}

fn parse_count_slow(cell: &[u8]) -> Result<f64, CountProblem> {
    let text = trim_blanks(cell);
    if text.is_empty() || text == b"NA" {
        return Err(CountProblem::Missing);
    }
    let value: f64 = std::str::from_utf8(text)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or(CountProblem::NotANumber)?;
    if value.is_nan() {
        return Err(CountProblem::Missing);
    }
    if value < 0.0 {
        return Err(CountProblem::Negative);
    }
    if value.is_infinite() {
        return Err(CountProblem::NotANumber);
    }
    if value.fract() != 0.0 {
        return Err(CountProblem::Fractional);
    }
    // `+ 0.0` turns a `-0` into `0`.
    Ok(value + 0.0)
}

fn count_error(
    problem: CountProblem,
    path: &Path,
    line: usize,
    gene: &str,
    sample: &str,
    cell: &[u8],
) -> IoError {
    let path = path.to_path_buf();
    let gene = gene.to_string();
    let sample = sample.to_string();
    let value = String::from_utf8_lossy(cell).into_owned();
    match problem {
        CountProblem::Negative => IoError::NegativeCount {
            path,
            line,
            gene,
            sample,
            value,
        },
        CountProblem::Fractional => IoError::FractionalCount {
            path,
            line,
            gene,
            sample,
            value,
        },
        CountProblem::Missing => IoError::MissingCount {
            path,
            line,
            gene,
            sample,
            value,
        },
        CountProblem::NotANumber => IoError::NonNumericCount {
            path,
            line,
            gene,
            sample,
            value,
        },
    }
}
