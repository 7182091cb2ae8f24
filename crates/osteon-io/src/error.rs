//! Typed errors for everything Osteon reads or writes.
//!
//! Every variant carries the file path and, where it makes sense, the 1-based
//! line number, gene id, sample name or column name, so that the message can
//! point a biologist at the exact cell that needs fixing. Messages are written
//! for people who prepared the file (often in R or a spreadsheet), not for
//! programmers.

use std::path::PathBuf;

/// An error raised while reading input files or writing results.
#[derive(Debug, thiserror::Error)]
pub enum IoError {
    /// The file could not be opened or read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A file or folder could not be created, written, renamed or removed.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The file starts like gzip data but could not be decompressed.
    #[error("{}: the file looks gzip-compressed but could not be decompressed (corrupt or truncated?): {source}", path.display())]
    Gzip {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A line is not valid UTF-8 text.
    #[error("{} line {line}: the text is not valid UTF-8 (save the file with UTF-8 encoding)", path.display())]
    InvalidUtf8 { path: PathBuf, line: usize },

    /// A quoted field has no closing double quote on its line.
    #[error("{} line {line}: a quoted field has no closing double quote (fields spanning several lines are not supported)", path.display())]
    UnterminatedQuote { path: PathBuf, line: usize },

    /// The file has no content at all (only blank lines, or for counts only a
    /// featureCounts `# Program:` line).
    #[error("{} is empty", path.display())]
    EmptyFile { path: PathBuf },

    /// The file has a header line but no data rows.
    #[error("{} line {line}: the file has a header line but no data rows", path.display())]
    HeaderOnly { path: PathBuf, line: usize },

    /// The count matrix header names no sample columns.
    #[error("{} line {line}: no sample columns found in the header (expected a gene id column followed by one column per sample, separated by tabs or commas)", path.display())]
    NoSamples { path: PathBuf, line: usize },

    /// A header cell that should name a sample is empty (1-based column).
    #[error("{} line {line}: column {column} of the header has an empty sample name", path.display())]
    EmptySampleName {
        path: PathBuf,
        line: usize,
        column: usize,
    },

    /// A row has a different number of fields than the header implies.
    #[error("{} line {line}: expected {expected} fields (as in the header), found {found}", path.display())]
    RaggedRow {
        path: PathBuf,
        line: usize,
        expected: usize,
        found: usize,
    },

    /// The first field of a count row is empty.
    #[error("{} line {line}: the gene id (first column) is empty", path.display())]
    EmptyGeneId { path: PathBuf, line: usize },

    /// The same gene id appears on two rows.
    #[error("{} line {second_line}: gene {gene} appears twice (lines {first_line} and {second_line}); gene ids must be unique", path.display())]
    DuplicateGene {
        path: PathBuf,
        gene: String,
        first_line: usize,
        second_line: usize,
    },

    /// The same sample name appears twice in the count matrix header.
    #[error("{} line {line}: sample {sample} appears twice in the header; sample names must be unique", path.display())]
    DuplicateCountSample {
        path: PathBuf,
        line: usize,
        sample: String,
    },

    /// A count is below zero.
    #[error("{} line {line}: gene {gene}, sample {sample}: count \"{value}\" is negative (counts must be non-negative integers)", path.display())]
    NegativeCount {
        path: PathBuf,
        line: usize,
        gene: String,
        sample: String,
        value: String,
    },

    /// A count is a number with a fractional part.
    #[error("{} line {line}: gene {gene}, sample {sample}: count \"{value}\" is not a whole number (DESeq2 needs raw integer counts; round estimated counts from salmon/kallisto first, or use an import that does)", path.display())]
    FractionalCount {
        path: PathBuf,
        line: usize,
        gene: String,
        sample: String,
        value: String,
    },

    /// A count cell is empty or `NA`.
    #[error("{} line {line}: gene {gene}, sample {sample}: count is missing (\"{value}\"); every gene needs a count in every sample (use 0 where nothing was observed)", path.display())]
    MissingCount {
        path: PathBuf,
        line: usize,
        gene: String,
        sample: String,
        value: String,
    },

    /// A count cell is not a number at all.
    #[error("{} line {line}: gene {gene}, sample {sample}: count \"{value}\" is not a number", path.display())]
    NonNumericCount {
        path: PathBuf,
        line: usize,
        gene: String,
        sample: String,
        value: String,
    },

    /// The first field of a sample-sheet row is empty.
    #[error("{} line {line}: the sample id (first column) is empty", path.display())]
    EmptySampleId { path: PathBuf, line: usize },

    /// The same sample id appears on two sample-sheet rows.
    #[error("{} line {second_line}: sample {sample} appears twice (lines {first_line} and {second_line}); sample ids must be unique", path.display())]
    DuplicateSheetSample {
        path: PathBuf,
        sample: String,
        first_line: usize,
        second_line: usize,
    },

    /// Two sample-sheet columns have the same name.
    #[error("{} line {line}: column {column} appears twice in the header; column names must be unique", path.display())]
    DuplicateColumn {
        path: PathBuf,
        line: usize,
        column: String,
    },

    /// A column asked for (e.g. in the design) is not in the sample sheet.
    #[error("{}: there is no column {column} (columns are: {})", path.display(), available.join(", "))]
    UnknownColumn {
        path: PathBuf,
        column: String,
        available: Vec<String>,
    },

    /// A covariate that is needed is empty or `NA` for some sample.
    #[error("{} line {line}: column {column} is missing (empty or NA) for sample {sample}; every sample needs a value for a column used in the design", path.display())]
    MissingCovariate {
        path: PathBuf,
        line: usize,
        column: String,
        sample: String,
    },

    /// The samples in the sheet and in the count matrix are not the same set.
    #[error("{}: the sample sheet and the count matrix name different samples.{}{}", path.display(), list_mismatch("in the sample sheet but not in the counts", only_in_sheet), list_mismatch("in the counts but not in the sample sheet", only_in_counts))]
    SampleMismatch {
        /// The sample sheet.
        path: PathBuf,
        only_in_sheet: Vec<String>,
        only_in_counts: Vec<String>,
    },

    /// The output target exists and does not look like an Osteon output folder.
    #[error("{} already exists and was not written by osteon; refusing to replace it (remove it or choose another output folder)", path.display())]
    OutputExists { path: PathBuf },

    /// A cell of a long table holds a value the analysis cannot accept.
    #[error("{} line {line}, column {column}: \"{value}\" {problem}", path.display())]
    InvalidValue {
        path: PathBuf,
        line: usize,
        column: String,
        value: String,
        problem: String,
    },

    /// Columns handed to the table writer have different lengths (a bug in the caller).
    #[error("{}: column {column} has {found} values but the table has {expected} rows", path.display())]
    ColumnLength {
        path: PathBuf,
        column: String,
        expected: usize,
        found: usize,
    },

    /// A line of an OBO ontology file does not follow the format.
    #[error("{} line {line}: {problem}", path.display())]
    OboMalformed {
        path: PathBuf,
        line: usize,
        problem: String,
    },

    /// The same term id opens two `[Term]` stanzas of an OBO file.
    #[error("{} line {second_line}: term {term} is defined twice (lines {first_line} and {second_line})", path.display())]
    OboDuplicateTerm {
        path: PathBuf,
        term: String,
        first_line: usize,
        second_line: usize,
    },

    /// An OBO file holds no `[Term]` stanza at all.
    #[error("{}: no [Term] stanzas found; is this an OBO ontology file?", path.display())]
    OboNoTerms { path: PathBuf },

    /// A GAF line has too few tab-separated columns.
    #[error("{} line {line}: a GAF annotation line needs at least 15 tab-separated columns, found {found}", path.display())]
    GafColumns {
        path: PathBuf,
        line: usize,
        found: usize,
    },

    /// A required GAF column is empty or holds an impossible value.
    #[error("{} line {line}, column {column} ({name}): {problem}", path.display())]
    GafField {
        path: PathBuf,
        line: usize,
        column: usize,
        name: &'static str,
        problem: String,
    },

    /// A GAF file has a header but no annotation lines.
    #[error("{}: the file has no annotation lines (only header or comment lines)", path.display())]
    GafNoAnnotations { path: PathBuf },

    /// A GMT gene-set line does not follow the format (name, description,
    /// then genes, tab-separated).
    #[error("{} line {line}: {problem}", path.display())]
    GmtLine {
        path: PathBuf,
        line: usize,
        problem: String,
    },

    /// Two lines of a GMT file define a gene set of the same name.
    #[error("{} line {second_line}: gene set {name} is defined twice (lines {first_line} and {second_line}); set names must be unique", path.display())]
    DuplicateGeneSet {
        path: PathBuf,
        name: String,
        first_line: usize,
        second_line: usize,
    },

    /// A ranking column has no usable value at all.
    #[error("{}: column {column} has no numeric values ({missing} rows are NA or empty), so there is nothing to rank", path.display())]
    NoRankValues {
        path: PathBuf,
        column: String,
        missing: usize,
    },
}

fn list_mismatch(label: &str, names: &[String]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        format!(" {} ({}): {}.", label, names.len(), names.join(", "))
    }
}
