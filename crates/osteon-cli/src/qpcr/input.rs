//! Reading the Cq table, a dilution series and an efficiency table into the
//! kernel's types, with errors naming file, line and column.

use std::path::Path;

use anyhow::{anyhow, Result};
use osteon_assay::qpcr::{Cq, Efficiency, Reaction, StandardPoint};
use osteon_io::LongTable;

use super::Settings;
use crate::command::required_text;

/// Cell texts meaning "no amplification" (compared case-insensitively), as
/// QuantStudio, CFX and LightCycler exports write them.
const UNDETERMINED: [&str; 6] = ["undetermined", "no ct", "noct", "no cq", "n/a", "nd"];

/// The column `name`, or (when absent) the first column whose name matches
/// `name` or one of `aliases` ignoring case.
pub(crate) fn find_column(table: &LongTable, name: &str, aliases: &[&str]) -> Result<usize> {
    if table.has_column(name) {
        return Ok(table.column_index(name)?);
    }
    let wanted: Vec<String> = std::iter::once(name)
        .chain(aliases.iter().copied())
        .map(str::to_lowercase)
        .collect();
    table
        .columns
        .iter()
        .position(|c| wanted.contains(&c.to_lowercase()))
        .map_or_else(|| Ok(table.column_index(name)?), Ok)
}

/// An optional column: the one named, or `default` when the table has it.
fn optional_column(
    table: &LongTable,
    named: &Option<String>,
    default: &str,
) -> Result<Option<usize>> {
    match named {
        Some(name) => Ok(Some(table.column_index(name)?)),
        None => Ok(table
            .columns
            .iter()
            .position(|c| c.eq_ignore_ascii_case(default))),
    }
}

/// A Cq cell: a number, or undetermined (empty, `NA`, or one of the
/// exporters' words); anything else is an error naming the cell.
fn read_cq(table: &LongTable, row: usize, column: usize) -> Result<Cq> {
    let Some(text) = table.text(row, column) else {
        return Ok(Cq::Undetermined);
    };
    if let Some(v) = osteon_io::parse_r_number(text) {
        return Ok(Cq::Value(v));
    }
    if UNDETERMINED.contains(&text.to_lowercase().as_str()) {
        return Ok(Cq::Undetermined);
    }
    Err(table
        .value_error(
            row,
            column,
            text,
            "is not a Cq (a number, or Undetermined / empty for no amplification)",
        )
        .into())
}

/// `PATH line N`, plus the well when known.
fn origin(table: &LongTable, row: usize, well: Option<&str>) -> String {
    let base = format!("{} line {}", table.path.display(), table.lines[row]);
    match well {
        Some(w) => format!("{base} (well {w})"),
        None => base,
    }
}

/// Reads the Cq table named by `settings.data`.
pub(super) fn read_reactions(settings: &Settings) -> Result<Vec<Reaction>> {
    let table = osteon_io::read_long_table(&settings.data)?;
    let sample = find_column(&table, &settings.sample_column, &[])?;
    let group = find_column(&table, &settings.group_column, &[])?;
    let target = find_column(&table, &settings.target_column, &["gene"])?;
    let cq = find_column(&table, &settings.cq_column, &["ct", "cp"])?;
    let replicate = optional_column(&table, &settings.replicate_column, "replicate")?;
    let well = optional_column(&table, &settings.well_column, "well")?;
    (0..table.n_rows())
        .map(|row| {
            let well_name = well.and_then(|c| table.text(row, c)).map(str::to_string);
            Ok(Reaction {
                sample: required_text(&table, row, sample, "a sample")?,
                group: required_text(&table, row, group, "a group")?,
                target: required_text(&table, row, target, "a target gene")?,
                cq: read_cq(&table, row, cq)?,
                replicate: replicate
                    .and_then(|c| table.text(row, c))
                    .map(str::to_string),
                origin: origin(&table, row, well_name.as_deref()),
                well: well_name,
            })
        })
        .collect()
}

/// Reads a dilution series: `target`, `quantity`, `cq` (Cq column as in the
/// data table).
pub(super) fn read_standard_curve(path: &Path, settings: &Settings) -> Result<Vec<StandardPoint>> {
    let table = osteon_io::read_long_table(path)?;
    let target = find_column(&table, &settings.target_column, &["gene", "target"])?;
    let quantity = find_column(&table, "quantity", &["qty", "concentration", "copies"])?;
    let cq = find_column(&table, &settings.cq_column, &["cq", "ct", "cp"])?;
    (0..table.n_rows())
        .map(|row| {
            Ok(StandardPoint {
                target: required_text(&table, row, target, "a target gene")?,
                quantity: table.number(row, quantity)?.ok_or_else(|| {
                    table.value_error(
                        row,
                        quantity,
                        "",
                        "is empty; every dilution needs a quantity",
                    )
                })?,
                cq: read_cq(&table, row, cq)?,
                origin: origin(&table, row, None),
            })
        })
        .collect()
}

/// Reads `target` (or `gene`) and `efficiency` (a fraction).
pub(super) fn read_efficiencies(path: &Path) -> Result<Vec<Efficiency>> {
    let table = osteon_io::read_long_table(path)?;
    let target = find_column(&table, "target", &["gene"])?;
    let efficiency = find_column(&table, "efficiency", &["e"])?;
    let mut out: Vec<Efficiency> = Vec::new();
    for row in 0..table.n_rows() {
        let gene = required_text(&table, row, target, "a target gene")?;
        let value = table.number(row, efficiency)?.ok_or_else(|| {
            table.value_error(
                row,
                efficiency,
                "",
                "is empty; every gene needs an efficiency",
            )
        })?;
        if out.iter().any(|e| e.target == gene) {
            return Err(table
                .value_error(row, target, &gene, "appears twice")
                .into());
        }
        let e = Efficiency::given(&gene, value)
            .map_err(|e| anyhow!("{} line {}: {e}", path.display(), table.lines[row]))?;
        out.push(e);
    }
    Ok(out)
}
