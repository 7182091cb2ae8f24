//! Osteon's input/output crate: the only place that touches files.
//!
//! * [`read_counts`]: count matrices (TSV, CSV, featureCounts; gzip by magic
//!   bytes) validated as DESeq2 requires (non-negative integer counts);
//! * [`read_sample_sheet`] and [`match_samples`]: the sample sheet (`colData`)
//!   and its alignment with the count columns;
//! * [`read_long_table`]: long-format (tidy) tables for assays and cohorts,
//!   cells kept as text with line numbers;
//! * [`OutputDir`]: atomic output folders;
//! * [`write_table`], [`TsvWriter`], [`format_r_number`]: deterministic TSV
//!   output with R-style number formatting;
//! * [`sha256_file`]: input digests for run manifests;
//! * [`gunzip`]: gzip decoding (used for every `.gz` input).
//!
//! All failures are [`IoError`] values naming the file, line, gene, sample or
//! column concerned. Computational kernels never see paths.

mod counts;
mod delimited;
mod error;
pub mod gaf;
pub mod gene_ids;
pub mod gmt;
mod hash;
mod long_table;
pub mod obo;
mod output;
pub mod ranks;
mod samples;
mod table;

#[cfg(test)]
mod tests;

pub use counts::{featurecounts_sample_name, parse_counts, read_counts, CountSource, CountTable};
pub use delimited::gunzip;
pub use error::IoError;
pub use hash::sha256_file;
pub use long_table::{parse_long_table, parse_r_number, read_long_table, LongTable};
pub use output::{OutputDir, OUTPUT_MARKER};
pub use samples::{match_samples, parse_sample_sheet, read_sample_sheet, SampleSheet, SheetColumn};
pub use table::{format_r_number, push_r_number, write_table, Column, TsvWriter};
