//! Gene Matrix Transposed (GMT) gene-set files, the format of MSigDB, GSEA,
//! Enrichr, GSEApy (`gseapy.read_gmt`) and fgsea (`gmtPathways`): one set per
//! line, tab-separated, `name<TAB>description<TAB>gene<TAB>gene…`
//! (<https://software.broadinstitute.org/cancer/software/gsea/wiki/index.php/Data_formats#GMT>).
//!
//! Blank lines are skipped; gzip, a UTF-8 byte-order mark and CRLF line
//! endings are accepted. Gene fields are trimmed of spaces and empty fields
//! (trailing tabs) ignored. A gene listed twice in one set is kept once and
//! counted; a set with no genes is kept and reported by
//! [`Gmt::empty_sets`]. A line without a tab, an empty set name and a set
//! name defined twice are errors naming the file and line(s).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::delimited::UTF8_BOM;
use crate::delimited::{field_str, numbered_lines, read_text_bytes, trim_blanks};
use crate::IoError;

/// One gene set of a GMT file.
#[derive(Debug, Clone, PartialEq)]
pub struct GmtSet {
    /// Set name (first column).
    pub name: String,
    /// Description (second column; often a URL or `na`).
    pub description: String,
    /// Distinct genes in file order.
    pub genes: Vec<String>,
    /// Genes listed more than once on the line (extra copies dropped).
    pub duplicates: usize,
    /// 1-based line number.
    pub line: usize,
}

/// A parsed GMT file.
#[derive(Debug, Clone, PartialEq)]
pub struct Gmt {
    /// The file it came from.
    pub path: PathBuf,
    /// Every set, in file order (empty sets included).
    pub sets: Vec<GmtSet>,
}

impl Gmt {
    /// Sets that list no gene at all.
    pub fn empty_sets(&self) -> impl Iterator<Item = &GmtSet> {
        self.sets.iter().filter(|s| s.genes.is_empty())
    }

    /// Duplicate gene entries dropped over the whole file.
    pub fn collapsed_duplicates(&self) -> usize {
        self.sets.iter().map(|s| s.duplicates).sum()
    }
}

/// Reads a GMT file (optionally gzip-compressed).
pub fn read_gmt(path: impl AsRef<Path>) -> Result<Gmt, IoError> {
    let path = path.as_ref();
    let data = read_text_bytes(path)?;
    parse_gmt(&data, path)
}

/// Parses GMT text already in memory; `path` names the source in errors.
///
/// ```
/// use std::path::Path;
/// let text = b"HYPOXIA\tna\tVEGFA\tEPO\tVEGFA\nEMPTY\tnothing here\n";
/// let gmt = osteon_io::gmt::parse_gmt(text, Path::new("sets.gmt")).unwrap();
/// assert_eq!(gmt.sets[0].genes, ["VEGFA", "EPO"]);
/// assert_eq!(gmt.collapsed_duplicates(), 1);
/// assert_eq!(gmt.empty_sets().next().unwrap().name, "EMPTY");
/// ```
pub fn parse_gmt(data: &[u8], path: &Path) -> Result<Gmt, IoError> {
    let data = data.strip_prefix(UTF8_BOM).unwrap_or(data);
    let problem = |line: usize, problem: String| IoError::GmtLine {
        path: path.to_path_buf(),
        line,
        problem,
    };
    let mut sets: Vec<GmtSet> = Vec::new();
    let mut first_line_of: HashMap<String, usize> = HashMap::new();
    for (line_number, raw) in numbered_lines(data) {
        if trim_blanks(raw).is_empty() {
            continue;
        }
        let text = field_str(raw, path, line_number)?;
        let mut fields = text.split('\t');
        let name = fields.next().unwrap_or("").trim();
        let Some(description) = fields.next() else {
            let hint = if text.contains(' ') {
                " (the fields look space-separated; GMT needs tabs)"
            } else {
                ""
            };
            return Err(problem(
                line_number,
                format!("expected a set name, a description and genes separated by tabs, found one field{hint}"),
            ));
        };
        if name.is_empty() {
            return Err(problem(
                line_number,
                "the gene-set name (first column) is empty".to_string(),
            ));
        }
        if let Some(&first_line) = first_line_of.get(name) {
            return Err(IoError::DuplicateGeneSet {
                path: path.to_path_buf(),
                name: name.to_string(),
                first_line,
                second_line: line_number,
            });
        }
        first_line_of.insert(name.to_string(), line_number);
        let mut genes: Vec<String> = Vec::new();
        let mut seen: HashMap<&str, ()> = HashMap::new();
        let mut duplicates = 0;
        for gene in fields.map(str::trim).filter(|g| !g.is_empty()) {
            if seen.insert(gene, ()).is_some() {
                duplicates += 1;
            } else {
                genes.push(gene.to_string());
            }
        }
        sets.push(GmtSet {
            name: name.to_string(),
            description: description.trim().to_string(),
            genes,
            duplicates,
            line: line_number,
        });
    }
    if sets.is_empty() {
        return Err(IoError::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    Ok(Gmt {
        path: path.to_path_buf(),
        sets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Gmt, IoError> {
        parse_gmt(text.as_bytes(), Path::new("sets.gmt"))
    }

    #[test]
    fn reads_sets_with_crlf_trailing_tabs_and_blank_lines() {
        let gmt = parse("\u{feff}A\tdesc a\tg1\tg2\t\r\n\nB\thttp://x\t g3 \tg1\tg3\n").unwrap();
        assert_eq!(gmt.sets.len(), 2);
        assert_eq!(gmt.sets[0].name, "A");
        assert_eq!(gmt.sets[0].description, "desc a");
        assert_eq!(gmt.sets[0].genes, ["g1", "g2"]);
        assert_eq!(gmt.sets[0].line, 1);
        assert_eq!(gmt.sets[1].genes, ["g3", "g1"]);
        assert_eq!(gmt.sets[1].duplicates, 1);
        assert_eq!(gmt.sets[1].line, 3);
        assert_eq!(gmt.collapsed_duplicates(), 1);
        assert_eq!(gmt.empty_sets().count(), 0);
    }

    #[test]
    fn empty_sets_are_kept_and_reported() {
        let gmt = parse("A\tna\nB\tna\tg1\nC\tna\t\t\n").unwrap();
        let empty: Vec<&str> = gmt.empty_sets().map(|s| s.name.as_str()).collect();
        assert_eq!(empty, ["A", "C"]);
    }

    #[test]
    fn gzip_input_is_recognised() {
        use std::io::Write;
        let dir = std::env::temp_dir().join(format!("osteon-gmt-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("sets.gmt.gz");
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(b"A\tna\tg1\tg2\n").unwrap();
        std::fs::write(&path, encoder.finish().unwrap()).unwrap();
        let gmt = read_gmt(&path).unwrap();
        assert_eq!(gmt.sets[0].genes, ["g1", "g2"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let err = parse("A\tna\tg1\nB g1 g2 g3\n").unwrap_err();
        assert!(matches!(err, IoError::GmtLine { line: 2, .. }));
        let message = err.to_string();
        assert!(message.starts_with("sets.gmt line 2:"), "{message}");
        assert!(message.contains("space-separated"), "{message}");

        let err = parse("\tna\tg1\n").unwrap_err();
        assert!(err.to_string().contains("line 1: the gene-set name"));

        let err = parse("A\tna\tg1\nB\tna\tg2\nA\tagain\tg3\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "sets.gmt line 3: gene set A is defined twice (lines 1 and 3); set names must be unique"
        );

        assert!(matches!(
            parse("\n\n").unwrap_err(),
            IoError::EmptyFile { .. }
        ));
        let err = parse_gmt(b"A\tna\tg\xff\n", Path::new("sets.gmt")).unwrap_err();
        assert!(matches!(err, IoError::InvalidUtf8 { line: 1, .. }));
    }
}
