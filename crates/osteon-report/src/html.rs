//! The self-contained HTML report: a document model ([`Report`] →
//! [`Section`] → [`Block`]) and [`render`], which writes it as one HTML file
//! that opens offline from `file://`.
//!
//! The page carries its stylesheet and a small script inline (sorting and
//! filtering tables, tooltips on figure points, highlighting the current
//! section in the contents); it loads nothing, has no external URL and
//! works without the script. Every caller-supplied string is escaped; the
//! only markup accepted is a figure's SVG, which [`Figure::new`] checks for
//! anything active. Anchors are sanitised to `[a-z0-9-]` and made unique.
//! Table cells show [`format_number`] of their value and keep the full
//! value in a `data-value` attribute. Output is deterministic: the same
//! report gives the same bytes.
//!
//! ```
//! use osteon_report::html::{Column, Report, Section, Table, Text};
//! let table = Table::new(
//!     "top_genes",
//!     vec![
//!         Column::text("gene", vec!["VEGFA".into(), "RUNX2".into()]),
//!         Column::p_value("padj", vec![1.234e-8, f64::NAN], 2),
//!     ],
//! )
//! .unwrap();
//! let report = Report::new("Stromal cells: POEMS vs MM").section(
//!     Section::new("Differential expression")
//!         .paragraph(Text::markup("*VEGFA* is up."))
//!         .block(table),
//! );
//! let html = report.render();
//! assert!(html.contains(r#"<td class="number" data-value="1.234e-8">1.2e-08</td>"#));
//! ```

mod format;
mod markup;
mod model;
mod render;
mod svg_check;

pub use format::{format_number, MAX_SIG_DIGITS};
pub use model::{
    Block, Callout, CalloutKind, Column, ColumnValues, Download, Figure, Highlight, HtmlError,
    KeyValue, Methods, Reference, Report, Section, Span, Table, Text, FIGURE_SCREEN_SCALE,
};

/// Writes `report` as one self-contained HTML document (UTF-8).
///
/// Sections are numbered (`2.1`) and anchored by their sanitised title or
/// [`Section::id`]; figures and tables are numbered in order and anchored
/// `fig-<name>` / `tbl-<name>`; repeated anchors get `-2`, `-3`, ….
pub fn render(report: &Report) -> String {
    render::render(report)
}

#[cfg(test)]
mod tests;
