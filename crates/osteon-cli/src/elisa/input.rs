//! Reading an ELISA plate: either a plate table (one row per well) or a
//! layout grid plus a readings grid, into `osteon_assay::elisa::Well`s with
//! errors naming file, line, column and well.
//!
//! Grids are laid out as plate readers export them: a header row of column
//! numbers (`1 … 12`; the top-left cell may be empty), then one row per
//! plate row with its letter first (`A … H`). Any rectangular plate works
//! (96 or 384 wells). Layout cells say what each well holds:
//!
//! | cell                       | meaning                                        |
//! |----------------------------|------------------------------------------------|
//! | empty / `NA`               | unused well                                    |
//! | `blank`, `B`               | blank                                          |
//! | `std:500`, `S:500`         | standard at concentration 500                  |
//! | `P01`, `sample:P01`        | sample P01, undiluted                          |
//! | `P01@4`, `sample:P01@4`    | sample P01 diluted 4-fold                      |
//! | `qc:QC-low`, `qc:QC-low=50`| QC (optionally with nominal concentration 50)  |
//! | `qc:QC-low=50@2`           | QC diluted 2-fold                              |

use std::path::Path;

use anyhow::{anyhow, bail, Result};
use osteon_assay::elisa::{Well, WellType};
use osteon_io::LongTable;

use super::Settings;
use crate::qpcr::find_column;

/// Reads the plate named by the settings (a plate table, or layout +
/// readings grids).
pub(super) fn read_plate(settings: &Settings) -> Result<Vec<Well>> {
    match (&settings.plate, &settings.layout, &settings.readings) {
        (Some(plate), None, None) => read_plate_table(plate, settings),
        (None, Some(layout), Some(readings)) => read_grids(layout, readings),
        _ => bail!("give either --plate, or both --layout and --readings"),
    }
}

/// The well type a plate-table `type` cell names (case-insensitive).
fn well_type(text: &str) -> Option<WellType> {
    match text.to_lowercase().as_str() {
        "standard" | "std" | "s" | "calibrator" => Some(WellType::Standard),
        "blank" | "b" | "blk" => Some(WellType::Blank),
        "sample" | "unknown" | "u" | "smp" => Some(WellType::Sample),
        "qc" | "control" => Some(WellType::Qc),
        _ => None,
    }
}

fn read_plate_table(path: &Path, settings: &Settings) -> Result<Vec<Well>> {
    let table = osteon_io::read_long_table(path)?;
    let well = find_column(&table, &settings.well_column, &[])?;
    let kind = find_column(&table, &settings.type_column, &["well_type"])?;
    let signal = find_column(&table, &settings.signal_column, &["od", "absorbance"])?;
    let concentration = optional_column(
        &table,
        &settings.concentration_column,
        "concentration",
        &["conc"],
    )?;
    let dilution = optional_column(&table, &settings.dilution_column, "dilution", &[])?;
    let sample = optional_column(
        &table,
        &settings.sample_column,
        "sample",
        &["sample_id", "id"],
    )?;
    let mut wells = Vec::with_capacity(table.n_rows());
    for row in 0..table.n_rows() {
        let name = table.text(row, well).ok_or_else(|| {
            table.value_error(row, well, "", "is empty; every row needs a well name")
        })?;
        let kind_text = table.text(row, kind).unwrap_or("");
        let kind_value = well_type(kind_text).ok_or_else(|| {
            table.value_error(
                row,
                kind,
                kind_text,
                "is not a well type (standard, blank, sample or QC)",
            )
        })?;
        let signal_value = table.number(row, signal)?.ok_or_else(|| {
            table.value_error(
                row,
                signal,
                "",
                &format!("is empty; well {name} needs a signal"),
            )
        })?;
        let number = |column: Option<usize>| -> Result<Option<f64>> {
            Ok(match column {
                Some(c) => table.number(row, c)?,
                None => None,
            })
        };
        wells.push(Well {
            well: name.to_string(),
            kind: kind_value,
            sample: sample.and_then(|c| table.text(row, c)).map(str::to_string),
            concentration: number(concentration)?,
            dilution: number(dilution)?.unwrap_or(1.0),
            signal: signal_value,
        });
    }
    if concentration.is_none() && wells.iter().any(|w| w.kind == WellType::Standard) {
        bail!(
            "{}: there is no {} column, so the standards have no concentrations (columns: {})",
            path.display(),
            settings.concentration_column,
            table.columns.join(", ")
        );
    }
    Ok(wells)
}

/// A column the table may lack: `None` when the default name (or an alias)
/// is absent, an error when a name the user chose is.
fn optional_column(
    table: &LongTable,
    name: &str,
    default: &str,
    aliases: &[&str],
) -> Result<Option<usize>> {
    match find_column(table, name, aliases) {
        Ok(c) => Ok(Some(c)),
        Err(_) if name == default => Ok(None),
        Err(e) => Err(e),
    }
}

/// A grid read as a long table: the header's first cell is named `row` when
/// empty, so that the table reader accepts it.
struct Grid {
    table: LongTable,
    /// `(well name, row, column index)` for every cell, column by column.
    cells: Vec<(String, usize, usize)>,
}

impl Grid {
    fn read(path: &Path) -> Result<Grid> {
        let mut data =
            std::fs::read(path).map_err(|e| anyhow!("cannot read {}: {e}", path.display()))?;
        if data.starts_with(&[0xEF, 0xBB, 0xBF]) {
            data.drain(..3);
        }
        let first = data
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(data.len());
        if matches!(data.get(first), Some(b',' | b'\t' | b';')) {
            data.splice(first..first, b"row".iter().copied());
        }
        let table = osteon_io::parse_long_table(&data, path)?;
        let mut letters = Vec::with_capacity(table.n_rows());
        for row in 0..table.n_rows() {
            letters.push(table.text(row, 0).ok_or_else(|| {
                table.value_error(
                    row,
                    0,
                    "",
                    "is empty; every grid row starts with its plate-row letter",
                )
            })?);
        }
        // Column by column (A1, B1, …, H1, A2, …), the order plate tables use.
        let mut cells = Vec::new();
        for column in 1..table.columns.len() {
            for (row, letter) in letters.iter().enumerate() {
                cells.push((format!("{letter}{}", table.columns[column]), row, column));
            }
        }
        Ok(Grid { table, cells })
    }
}

/// Parses a layout cell (see the module docs) into (type, sample id,
/// concentration, dilution).
fn layout_cell(text: &str) -> Option<(WellType, Option<String>, Option<f64>, f64)> {
    let lower = text.to_lowercase();
    if lower == "blank" || lower == "b" {
        return Some((WellType::Blank, None, None, 1.0));
    }
    let (prefix, rest) = match text.split_once(':') {
        Some((p, r)) => (p.to_lowercase(), r),
        None => (String::new(), text),
    };
    let split_dilution = |s: &str| -> Option<(String, f64)> {
        match s.rsplit_once('@') {
            Some((id, d)) => Some((id.to_string(), osteon_io::parse_r_number(d)?)),
            None => Some((s.to_string(), 1.0)),
        }
    };
    match prefix.as_str() {
        "std" | "s" | "standard" => {
            let c = osteon_io::parse_r_number(rest)?;
            Some((WellType::Standard, None, Some(c), 1.0))
        }
        "qc" => {
            let (body, dilution) = split_dilution(rest)?;
            let (id, nominal) = match body.split_once('=') {
                Some((id, n)) => (id.to_string(), Some(osteon_io::parse_r_number(n)?)),
                None => (body, None),
            };
            Some((WellType::Qc, Some(id), nominal, dilution))
        }
        "sample" | "" => {
            let (id, dilution) = split_dilution(rest)?;
            Some((WellType::Sample, Some(id), None, dilution))
        }
        _ => None,
    }
}

fn read_grids(layout_path: &Path, readings_path: &Path) -> Result<Vec<Well>> {
    let layout = Grid::read(layout_path)?;
    let readings = Grid::read(readings_path)?;
    let reading_of = |well: &str| -> Option<(usize, usize)> {
        readings
            .cells
            .iter()
            .find(|(name, _, _)| name == well)
            .map(|&(_, r, c)| (r, c))
    };
    let mut wells = Vec::new();
    for (name, row, column) in &layout.cells {
        let Some(text) = layout.table.text(*row, *column) else {
            continue;
        };
        let (kind, sample, concentration, dilution) = layout_cell(text).ok_or_else(|| {
            layout.table.value_error(
                *row,
                *column,
                text,
                &format!(
                    "(well {name}) is not a layout entry: blank, std:CONC, SAMPLE[@DILUTION] or qc:ID[=NOMINAL][@DILUTION]"
                ),
            )
        })?;
        let (r, c) = reading_of(name).ok_or_else(|| {
            anyhow!(
                "{}: well {name} is used in the layout but has no cell in the readings grid",
                readings_path.display()
            )
        })?;
        let signal = readings.table.number(r, c)?.ok_or_else(|| {
            readings.table.value_error(
                r,
                c,
                "",
                &format!("(well {name}) is empty, but the layout uses the well"),
            )
        })?;
        wells.push(Well {
            well: name.clone(),
            kind,
            sample,
            concentration,
            dilution,
            signal,
        });
    }
    Ok(wells)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_cells_parse_as_documented() {
        assert_eq!(layout_cell("B"), Some((WellType::Blank, None, None, 1.0)));
        assert_eq!(
            layout_cell("std:62.5"),
            Some((WellType::Standard, None, Some(62.5), 1.0))
        );
        assert_eq!(
            layout_cell("P01@4"),
            Some((WellType::Sample, Some("P01".into()), None, 4.0))
        );
        assert_eq!(
            layout_cell("sample:HC-3"),
            Some((WellType::Sample, Some("HC-3".into()), None, 1.0))
        );
        assert_eq!(
            layout_cell("qc:QC-low=50@2"),
            Some((WellType::Qc, Some("QC-low".into()), Some(50.0), 2.0))
        );
        assert_eq!(layout_cell("std:abc"), None);
        assert_eq!(layout_cell("P01@x"), None);
        assert_eq!(layout_cell("foo:bar"), None);
    }
}
