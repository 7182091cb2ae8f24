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
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GeneIdTable {
    /// The file it came from.
    pub path: PathBuf,
    /// One row per gene, in file order.
    pub rows: Vec<GeneIdRow>,
}

/// One gene.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GeneIdRow {
    /// NCBI Gene (Entrez) id, e.g. `7157`.
    pub entrez: String,
    /// Official symbol, e.g. `TP53` (may be empty).
    pub symbol: String,
    /// Ensembl gene ids, without version suffix as exported.
    pub ensembl: Vec<String>,
    /// Alias symbols (previous symbols and synonyms).
    pub aliases: Vec<String>,
    /// Full gene name.
    pub name: String,
    /// 1-based line number.
    pub line: usize,
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
/// assert_eq!(table.rows[0].aliases, vec!["BCC7", "LFS1", "P53"]);
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
    let multi_separators: &[char] = if separator == b'\t' {
        &[',', ';', '|']
    } else {
        &[';', '|']
    };
    let split_multi = |cell: &str| -> Vec<String> {
        cell.split(multi_separators)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };

    let mut table = GeneIdTable {
        path: source.to_path_buf(),
        rows: Vec::with_capacity(crate::delimited::count_newlines(data)),
    };
    let mut seen = crate::gaf::SeenIds::with_capacity(table.rows.capacity());
    for (line_number, line) in lines {
        split_fields(line, separator, &mut fields)
            .map_err(|_| unterminated(source, line_number))?;
        if fields.len() != columns.len() {
            return Err(IoError::RaggedRow {
                path: source.to_path_buf(),
                line: line_number,
                expected: columns.len(),
                found: fields.len(),
            });
        }
        let cell = |column: usize| -> Result<&str, IoError> {
            field_str(trim_blanks(&fields[column]), source, line_number)
        };
        let entrez = cell(entrez_column)?;
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
        let row = GeneIdRow {
            entrez: entrez.to_string(),
            symbol: cell(symbol_column)?.to_string(),
            ensembl: match ensembl_column {
                Some(column) => split_multi(cell(column)?),
                None => Vec::new(),
            },
            aliases: match aliases_column {
                Some(column) => split_multi(cell(column)?),
                None => Vec::new(),
            },
            name: match name_column {
                Some(column) => cell(column)?.to_string(),
                None => String::new(),
            },
            line: line_number,
        };
        table.rows.push(row);
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
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0].entrez, "7157");
        assert_eq!(table.rows[0].ensembl, vec!["ENSG00000141510"]);
        assert_eq!(table.rows[0].aliases, vec!["BCC7", "LFS1", "P53"]);
        assert!(table.rows[1].ensembl.is_empty());
        assert_eq!(table.rows[1].name, "");
        assert_eq!(table.rows[1].line, 3);
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
        assert_eq!(table.rows[0].aliases, vec!["A1B", "ABG"]);
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
