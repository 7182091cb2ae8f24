//! Gene identifiers: identifier tables and plain gene lists.
//!
//! A gene identifier table has one row per gene linking its Entrez id,
//! official symbol, Ensembl gene ids and alias symbols, as exported from
//! Bioconductor's `org.Hs.eg.db` (tables `genes`, `gene_info`, `ensembl`,
//! `alias`) by `../shared/scripts/export_bioc_go.py`.
//!
//! The file is tab-separated (comma-separated when named `.csv`) with a
//! header naming at least `entrez` and `symbol`; `ensembl`, `aliases` and
//! `name` are optional, other columns are ignored, and column order is
//! free. Multi-valued cells (`ensembl`, `aliases`) separate values with `,`,
//! `;` or `|` (`,` only in tab-separated files). Every row needs an Entrez
//! id, and an Entrez id may appear only once; violations are errors naming
//! the file and line.
//!
//! A gene list ([`read_gene_list`]) has one identifier per line; when lines
//! have several tab- or comma-separated fields the first is the identifier
//! (so a table exported with row names works). Blank lines and lines
//! starting with `#` are skipped, and a first line whose identifier is a
//! column name such as `gene`, `id`, `symbol`, `entrez` or `ensembl_gene_id`
//! is taken as a header. Surrounding double quotes are removed. Repeated
//! identifiers are kept (the analysis reports them).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use crate::delimited::{
    choose_separator, field_str, numbered_lines, read_text_bytes, split_fields, trim_blanks,
    unterminated,
};
use crate::IoError;

/// A parsed gene identifier table.
///
/// A human table has ~77,000 rows of six to ten short strings each; they are
/// stored back to back in one text buffer and addressed by offsets, not as
/// ~500,000 separate strings (a third of the time and memory of loading
/// GO data in `osteon enrich` went to those allocations). Rows are read
/// through [`GeneIdRow`] views.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GeneIdTable {
    /// The file it came from.
    pub path: PathBuf,
    /// Every cell's text, back to back.
    text: String,
    rows: Vec<RowSpans>,
    /// The values of the multi-valued cells (Ensembl ids, aliases).
    values: Vec<Span>,
}

/// A byte range of [`GeneIdTable::text`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Span {
    start: u32,
    end: u32,
}

/// One row as offsets: its cells into the text, its multi-valued cells as
/// ranges of [`GeneIdTable::values`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct RowSpans {
    entrez: Span,
    symbol: Span,
    name: Span,
    ensembl: Span,
    aliases: Span,
    line: usize,
}

impl GeneIdTable {
    /// Number of genes (rows).
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Row `index` (file order).
    pub fn row(&self, index: usize) -> GeneIdRow<'_> {
        GeneIdRow {
            table: self,
            spans: &self.rows[index],
        }
    }

    /// The rows in file order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = GeneIdRow<'_>> + '_ {
        self.rows
            .iter()
            .map(|spans| GeneIdRow { table: self, spans })
    }

    fn text_of(&self, span: Span) -> &str {
        &self.text[span.start as usize..span.end as usize]
    }

    fn values_of(&self, range: Span) -> CellValues<'_> {
        CellValues {
            table: self,
            spans: &self.values[range.start as usize..range.end as usize],
        }
    }

    /// Appends `value` to the text buffer.
    fn push_text(&mut self, value: &str) -> Span {
        let start = self.text.len() as u32;
        self.text.push_str(value);
        Span {
            start,
            end: self.text.len() as u32,
        }
    }

    /// Appends the non-empty values of a multi-valued cell, split at any
    /// of the (ASCII) `separators`.
    fn push_values(&mut self, cell: &str, separators: &[u8]) -> Span {
        let start = self.values.len() as u32;
        split_ascii(cell, separators, |value| {
            let value = value.trim();
            if !value.is_empty() {
                let span = self.push_text(value);
                self.values.push(span);
            }
        });
        Span {
            start,
            end: self.values.len() as u32,
        }
    }
}

/// The values of one multi-valued cell (Ensembl ids or aliases).
#[derive(Debug, Clone, Copy)]
pub struct CellValues<'a> {
    table: &'a GeneIdTable,
    spans: &'a [Span],
}

impl<'a> CellValues<'a> {
    /// Number of values.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether the cell was empty.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Value `k` (panics when `k >= len()`).
    pub fn get(&self, k: usize) -> &'a str {
        self.table.text_of(self.spans[k])
    }

    /// The values in cell order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &'a str> + 'a {
        let table = self.table;
        self.spans.iter().map(move |&span| table.text_of(span))
    }
}

/// Calls `piece` with each piece of `text` between any of the (ASCII)
/// `separators`, so every piece is itself valid text.
fn split_ascii<'a>(text: &'a str, separators: &[u8], mut piece: impl FnMut(&'a str)) {
    let mut from = 0;
    for (at, byte) in text.bytes().enumerate() {
        if separators.contains(&byte) {
            piece(&text[from..at]);
            from = at + 1;
        }
    }
    piece(&text[from..]);
}

/// [`trim_blanks`] on text.
fn trim_str(cell: &str) -> &str {
    let trimmed = trim_blanks(cell.as_bytes());
    let start = trimmed.as_ptr() as usize - cell.as_ptr() as usize;
    &cell[start..start + trimmed.len()]
}

/// One gene of a [`GeneIdTable`].
#[derive(Debug, Clone, Copy)]
pub struct GeneIdRow<'a> {
    table: &'a GeneIdTable,
    spans: &'a RowSpans,
}

impl<'a> GeneIdRow<'a> {
    /// NCBI Gene (Entrez) id, e.g. `7157`.
    pub fn entrez(&self) -> &'a str {
        self.table.text_of(self.spans.entrez)
    }

    /// Official symbol, e.g. `TP53` (may be empty).
    pub fn symbol(&self) -> &'a str {
        self.table.text_of(self.spans.symbol)
    }

    /// Full gene name (empty without a `name` column).
    pub fn name(&self) -> &'a str {
        self.table.text_of(self.spans.name)
    }

    /// Ensembl gene ids, without version suffix as exported.
    pub fn ensembl(&self) -> CellValues<'a> {
        self.table.values_of(self.spans.ensembl)
    }

    /// Alias symbols (previous symbols and synonyms).
    pub fn aliases(&self) -> CellValues<'a> {
        self.table.values_of(self.spans.aliases)
    }

    /// 1-based line number.
    pub fn line(&self) -> usize {
        self.spans.line
    }
}

/// Reads a gene identifier table (gzip recognised by its magic bytes).
pub fn read_gene_ids(path: impl AsRef<Path>) -> Result<GeneIdTable, IoError> {
    let path = path.as_ref();
    let data = read_text_bytes(path)?;
    parse_gene_ids(&data, path)
}

/// Parses a gene identifier table already in memory (decompressed);
/// `source` names the file in errors and guides separator detection.
///
/// ```
/// let text = b"entrez\tsymbol\tensembl\taliases\tname\n7157\tTP53\tENSG00000141510\tBCC7,LFS1,P53\ttumor protein p53\n";
/// let table = osteon_io::gene_ids::parse_gene_ids(text, std::path::Path::new("genes.tsv"))?;
/// assert!(table.row(0).aliases().iter().eq(["BCC7", "LFS1", "P53"]));
/// # Ok::<(), osteon_io::IoError>(())
/// ```
pub fn parse_gene_ids(data: &[u8], source: &Path) -> Result<GeneIdTable, IoError> {
    let data = data
        .strip_prefix(crate::delimited::UTF8_BOM)
        .unwrap_or(data);
    let mut lines = numbered_lines(data).filter(|(_, line)| !trim_blanks(line).is_empty());
    let Some((header_line, header)) = lines.next() else {
        return Err(IoError::EmptyFile {
            path: source.to_path_buf(),
        });
    };
    let separator = choose_separator(source, header);
    let mut fields: Vec<Cow<[u8]>> = Vec::new();
    split_fields(header, separator, &mut fields).map_err(|_| unterminated(source, header_line))?;
    let columns: Vec<String> = fields
        .iter()
        .map(|f| field_str(trim_blanks(f), source, header_line).map(|s| s.to_ascii_lowercase()))
        .collect::<Result<_, _>>()?;
    let find = |name: &str| columns.iter().position(|c| c == name);
    let required = |name: &str| {
        find(name).ok_or_else(|| IoError::UnknownColumn {
            path: source.to_path_buf(),
            column: name.to_string(),
            available: columns.clone(),
        })
    };
    let entrez_column = required("entrez")?;
    let symbol_column = required("symbol")?;
    let ensembl_column = find("ensembl");
    let aliases_column = find("aliases");
    let name_column = find("name");
    let multi_separators: &[u8] = if separator == b'\t' { b",;|" } else { b";|" };

    // Offsets into the text are 32-bit.
    if u32::try_from(data.len()).is_err() {
        return Err(IoError::Read {
            path: source.to_path_buf(),
            source: std::io::Error::other("a gene identifier table must be smaller than 4 GiB"),
        });
    }
    let n_lines = crate::delimited::count_newlines(data);
    let mut table = GeneIdTable {
        path: source.to_path_buf(),
        text: String::with_capacity(data.len()),
        rows: Vec::with_capacity(n_lines),
        values: Vec::with_capacity(4 * n_lines),
    };
    let mut seen = crate::gaf::SeenIds::with_capacity(n_lines);
    let mut add_row = |cells: &[&str], line_number: usize| -> Result<(), IoError> {
        if cells.len() != columns.len() {
            return Err(IoError::RaggedRow {
                path: source.to_path_buf(),
                line: line_number,
                expected: columns.len(),
                found: cells.len(),
            });
        }
        let entrez = cells[entrez_column];
        if entrez.is_empty() || entrez == "NA" {
            return Err(IoError::EmptyGeneId {
                path: source.to_path_buf(),
                line: line_number,
            });
        }
        if let Some(first) = seen.repeat_of(entrez, table.rows.len()) {
            return Err(IoError::DuplicateGene {
                path: source.to_path_buf(),
                gene: entrez.to_string(),
                first_line: table.rows[first].line,
                second_line: line_number,
            });
        }
        let optional = |column: Option<usize>| column.map_or("", |c| cells[c]);
        let row = RowSpans {
            entrez: table.push_text(entrez),
            symbol: table.push_text(cells[symbol_column]),
            ensembl: table.push_values(optional(ensembl_column), multi_separators),
            aliases: table.push_values(optional(aliases_column), multi_separators),
            name: table.push_text(optional(name_column)),
            line: line_number,
        };
        table.rows.push(row);
        Ok(())
    };
    let mut cells: Vec<&str> = Vec::with_capacity(columns.len());
    // Without quotes, a file that is valid UTF-8 throughout splits into
    // cells directly (the common case, and three times faster); otherwise
    // each line goes through the quote-aware splitter and its own UTF-8
    // check, so errors name the line.
    let unquoted_text = match data.contains(&b'"') {
        false => std::str::from_utf8(data).ok(),
        true => None,
    };
    if let Some(text) = unquoted_text {
        for (index, line) in text.split('\n').enumerate().skip(header_line) {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if trim_blanks(line.as_bytes()).is_empty() {
                continue;
            }
            cells.clear();
            split_ascii(line, &[separator], |cell| cells.push(trim_str(cell)));
            add_row(&cells, index + 1)?;
        }
    } else {
        for (line_number, line) in lines {
            split_fields(line, separator, &mut fields)
                .map_err(|_| unterminated(source, line_number))?;
            let cells = fields
                .iter()
                .map(|field| field_str(trim_blanks(field), source, line_number))
                .collect::<Result<Vec<&str>, IoError>>()?;
            add_row(&cells, line_number)?;
        }
    }
    if table.rows.is_empty() {
        return Err(IoError::HeaderOnly {
            path: source.to_path_buf(),
            line: header_line,
        });
    }
    Ok(table)
}

/// A list of gene identifiers with their line numbers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GeneList {
    /// The file it came from.
    pub path: PathBuf,
    /// The header line's first field, when the file has one.
    pub header: Option<String>,
    /// Identifiers in file order (repeats kept).
    pub ids: Vec<String>,
    /// 1-based line of each identifier.
    pub lines: Vec<usize>,
}

/// Column names recognised as a header line of a gene list.
const LIST_HEADERS: [&str; 16] = [
    "gene",
    "genes",
    "gene_id",
    "geneid",
    "gene id",
    "id",
    "ids",
    "symbol",
    "gene_symbol",
    "genesymbol",
    "entrez",
    "entrezid",
    "entrez_id",
    "ensembl",
    "ensembl_id",
    "ensembl_gene_id",
];

/// Reads a gene list (gzip recognised by its magic bytes); an empty list is
/// not an error here (the analysis reports it with its own message).
pub fn read_gene_list(path: impl AsRef<Path>) -> Result<GeneList, IoError> {
    let path = path.as_ref();
    let data = read_text_bytes(path)?;
    parse_gene_list(&data, path)
}

/// Parses a gene list already in memory (decompressed).
///
/// ```
/// let list = osteon_io::gene_ids::parse_gene_list(b"gene\n\"TP53\"\n# note\n\nVEGFA,2.5\n", std::path::Path::new("l.txt"))?;
/// assert_eq!(list.header.as_deref(), Some("gene"));
/// assert_eq!(list.ids, vec!["TP53", "VEGFA"]);
/// assert_eq!(list.lines, vec![2, 5]);
/// # Ok::<(), osteon_io::IoError>(())
/// ```
pub fn parse_gene_list(data: &[u8], source: &Path) -> Result<GeneList, IoError> {
    let data = data
        .strip_prefix(crate::delimited::UTF8_BOM)
        .unwrap_or(data);
    let mut list = GeneList {
        path: source.to_path_buf(),
        ..GeneList::default()
    };
    let mut first = true;
    for (line_number, line) in numbered_lines(data) {
        let line = trim_blanks(line);
        if line.is_empty() || line.starts_with(b"#") {
            continue;
        }
        let end = line
            .iter()
            .position(|&b| b == b'\t' || b == b',')
            .unwrap_or(line.len());
        let field = field_str(trim_blanks(&line[..end]), source, line_number)?;
        let id = field
            .strip_prefix('"')
            .and_then(|f| f.strip_suffix('"'))
            .unwrap_or(field)
            .trim();
        if first {
            first = false;
            let lower = id.to_ascii_lowercase();
            if id.is_empty() || LIST_HEADERS.contains(&lower.as_str()) {
                list.header = Some(id.to_string());
                continue;
            }
        }
        if id.is_empty() {
            continue;
        }
        list.ids.push(id.to_string());
        list.lines.push(line_number);
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(name: &str, text: &str) -> Result<GeneIdTable, IoError> {
        parse_gene_ids(text.as_bytes(), Path::new(name))
    }

    #[test]
    fn reads_columns_in_any_order_with_multi_values() {
        let table = parse(
            "g.tsv",
            "symbol\tENTREZ\tensembl\taliases\textra\n\
             TP53\t7157\tENSG00000141510\tBCC7,LFS1;P53\tx\n\
             MIR1\t406904\t\t\ty\n",
        )
        .unwrap();
        assert_eq!(table.len(), 2);
        assert_eq!(table.row(0).entrez(), "7157");
        assert!(table.row(0).ensembl().iter().eq(["ENSG00000141510"]));
        assert!(table.row(0).aliases().iter().eq(["BCC7", "LFS1", "P53"]));
        assert_eq!(table.row(0).aliases().get(2), "P53");
        assert!(table.row(1).ensembl().is_empty());
        assert_eq!(table.row(1).name(), "");
        assert_eq!(table.row(1).line(), 3);
    }

    #[test]
    fn gene_lists_take_the_first_field_and_skip_headers() {
        let list = parse_gene_list(b"7157\n1\t0.5\n\n7157\n", Path::new("l.txt")).unwrap();
        assert_eq!(list.header, None);
        assert_eq!(list.ids, vec!["7157", "1", "7157"]);
        let list = parse_gene_list(b",log2FoldChange\nA,1\n", Path::new("l.csv")).unwrap();
        assert_eq!(list.header.as_deref(), Some(""));
        assert_eq!(list.ids, vec!["A"]);
        let list = parse_gene_list(b"# only a comment\n", Path::new("l.txt")).unwrap();
        assert!(list.ids.is_empty());
    }

    #[test]
    fn csv_keeps_commas_as_field_separator() {
        let table = parse("g.csv", "entrez,symbol,aliases\n1,A1BG,A1B;ABG\n").unwrap();
        assert!(table.row(0).aliases().iter().eq(["A1B", "ABG"]));
    }

    /// Quoted cells and non-UTF-8 bytes take the quote-aware path, line by
    /// line; the fast path (no quotes) must read the same rows.
    #[test]
    fn quoted_and_unquoted_files_read_the_same_rows() {
        let plain = "entrez\tsymbol\tensembl\taliases\tname\r\n\
                     \r\n\
                     7157\t TP53 \tENSG00000141510\tBCC7, LFS1|P53\ttumor protein p53\r\n\
                     1\tA1BG\t\t\talpha-1-B glycoprotein";
        let quoted = plain
            .replace("tumor protein p53", "\"tumor protein p53\"")
            .replace("A1BG", "\"A1BG\"");
        for text in [plain, quoted.as_str()] {
            let table = parse("g.tsv", text).unwrap();
            type Row<'a> = (&'a str, &'a str, Vec<&'a str>, Vec<&'a str>, &'a str, usize);
            let rows: Vec<Row> = table
                .rows()
                .map(|r| {
                    let ensembl = r.ensembl().iter().collect();
                    let aliases = r.aliases().iter().collect();
                    (r.entrez(), r.symbol(), ensembl, aliases, r.name(), r.line())
                })
                .collect();
            assert_eq!(
                rows,
                [
                    (
                        "7157",
                        "TP53",
                        vec!["ENSG00000141510"],
                        vec!["BCC7", "LFS1", "P53"],
                        "tumor protein p53",
                        3
                    ),
                    ("1", "A1BG", vec![], vec![], "alpha-1-B glycoprotein", 4),
                ],
                "{text}"
            );
        }
        let mut bytes = b"entrez\tsymbol\n1\tA\n2\tB".to_vec();
        bytes.push(0xff);
        let err = parse_gene_ids(&bytes, Path::new("g.tsv")).unwrap_err();
        assert!(matches!(err, IoError::InvalidUtf8 { line: 3, .. }), "{err}");
    }

    #[test]
    fn missing_column_empty_id_duplicate_and_ragged_rows_are_errors() {
        let err = parse("g.tsv", "entrez\tname\n1\tx\n").unwrap_err();
        assert!(
            matches!(err, IoError::UnknownColumn { ref column, .. } if column == "symbol"),
            "{err}"
        );
        let err = parse("g.tsv", "entrez\tsymbol\n1\tA\n\tB\n").unwrap_err();
        assert!(matches!(err, IoError::EmptyGeneId { line: 3, .. }), "{err}");
        let err = parse("g.tsv", "entrez\tsymbol\n1\tA\n1\tB\n").unwrap_err();
        assert!(
            matches!(
                err,
                IoError::DuplicateGene {
                    first_line: 2,
                    second_line: 3,
                    ..
                }
            ),
            "{err}"
        );
        let err = parse("g.tsv", "entrez\tsymbol\n1\tA\textra\n").unwrap_err();
        assert!(matches!(err, IoError::RaggedRow { line: 2, .. }), "{err}");
        let err = parse("g.tsv", "entrez\tsymbol\n").unwrap_err();
        assert!(matches!(err, IoError::HeaderOnly { .. }), "{err}");
    }
}
