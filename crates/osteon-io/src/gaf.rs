//! Gene Association Files (GAF 2.0, 2.1 and 2.2), the Gene Ontology
//! Consortium's annotation format
//! (<http://geneontology.org/docs/go-annotation-file-gaf-format-2.2/>).
//!
//! Each data line has 17 tab-separated columns; the reader needs at least
//! the first 15 (GAF 1.0 and files whose trailing empty columns were
//! trimmed). Kept per line: DB (1), DB Object ID (2), symbol (3), qualifier
//! (4), GO ID (5), evidence code (7), aspect (9); kept per gene: its first
//! symbol, name (10), synonyms (11, `|`-separated) and taxon (13).
//! Annotations whose qualifier contains `NOT` (GAF 2.2 writes `NOT|enables`)
//! state that a gene does *not* have the function: they are excluded and
//! counted in [`GafDocument::not_qualified`], as goatools and the Bioconductor
//! annotation packages do. Evidence codes are kept so that the analysis can
//! exclude some (e.g. `IEA`).
//!
//! Header lines `!key: value` (`!gaf-version`, `!date-generated`,
//! `!generated-by`, `!go-version`, …) are kept in order for provenance; other
//! `!` lines are comments. Genes, GO ids and evidence codes are interned, so
//! a 350,000-line human GAF becomes ~20,000 genes and compact index triples.
//!
//! Malformed lines (fewer than 15 columns, an empty DB Object ID, GO ID or
//! evidence code, an aspect other than P, F or C) are errors naming the file,
//! line and column.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};

use crate::delimited::{stream_text_bytes, stream_text_file};
use crate::obo::trim_text;
use crate::IoError;

/// A parsed GAF file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GafDocument {
    /// The file it came from.
    pub path: PathBuf,
    /// `!gaf-version` (e.g. `2.2`).
    pub version: Option<String>,
    /// Every `!key: value` header line, in file order (`!date-generated`,
    /// `!generated-by`, …).
    pub header: Vec<(String, String)>,
    /// Distinct annotated objects (DB + DB Object ID), in first-appearance
    /// order; [`GafAnnotation::gene`] indexes this.
    pub genes: Vec<GafGene>,
    /// Distinct GO ids as written in column 5, in first-appearance order;
    /// [`GafAnnotation::term`] indexes this.
    pub terms: Vec<String>,
    /// Distinct evidence codes (column 7); [`GafAnnotation::evidence`]
    /// indexes this.
    pub evidence_codes: Vec<String>,
    /// Annotations without a `NOT` qualifier, in file order.
    pub annotations: Vec<GafAnnotation>,
    /// Number of annotation lines excluded for a `NOT` qualifier.
    pub not_qualified: usize,
}

/// An annotated object (usually a gene or gene product).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GafGene {
    /// Column 1, e.g. `NCBIGene` or `UniProtKB`.
    pub db: String,
    /// Column 2, e.g. `7157` or `P04637`.
    pub id: String,
    /// Column 3, e.g. `TP53`.
    pub symbol: String,
    /// Column 10 (DB Object Name).
    pub name: String,
    /// Column 11, `|`-separated synonyms.
    pub synonyms: Vec<String>,
    /// Column 13, e.g. `taxon:9606`.
    pub taxon: String,
    /// First line mentioning the object.
    pub line: usize,
}

/// One annotation line, as indices into the document's interned tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GafAnnotation {
    /// Index into [`GafDocument::genes`].
    pub gene: u32,
    /// Index into [`GafDocument::terms`].
    pub term: u32,
    /// Index into [`GafDocument::evidence_codes`].
    pub evidence: u16,
    /// Column 9: `b'P'` (biological process), `b'F'` (molecular function)
    /// or `b'C'` (cellular component).
    pub aspect: u8,
    /// 1-based line number.
    pub line: u32,
}

impl GafDocument {
    /// The value of a header key (without `!`), e.g. `date-generated`.
    pub fn header_value(&self, key: &str) -> Option<&str> {
        self.header
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads a GAF file (gzip recognised by its magic bytes), decompressing and
/// parsing it chunk by chunk so the file's text is never held whole.
pub fn read_gaf(path: impl AsRef<Path>) -> Result<GafDocument, IoError> {
    let path = path.as_ref();
    let mut parser = GafParser::new(path);
    stream_text_file(path, |text, first_line| parser.feed(text, first_line))?;
    parser.finish()
}

/// Column names for messages, 1-based.
const COLUMN_NAMES: [&str; 17] = [
    "DB",
    "DB Object ID",
    "DB Object Symbol",
    "Qualifier",
    "GO ID",
    "DB:Reference",
    "Evidence Code",
    "With (or) From",
    "Aspect",
    "DB Object Name",
    "DB Object Synonym",
    "DB Object Type",
    "Taxon",
    "Date",
    "Assigned By",
    "Annotation Extension",
    "Gene Product Form ID",
];

/// Parses GAF data held in memory as the bytes of a file, plain text or
/// gzip-compressed (e.g. a snapshot compiled into a program); `source`
/// names it in errors. Same parser, chunk by chunk, as [`read_gaf`].
///
/// ```
/// let text = b"!gaf-version: 2.2\n!date-generated: 2022-09-12\nNCBIGene\t7157\tTP53\tinvolved_in\tGO:0006915\tPMID:1\tIDA\t\tP\ttumor protein p53\t\tprotein\ttaxon:9606\t20220912\tUniProt\t\t\nNCBIGene\t7157\tTP53\tNOT|enables\tGO:0003674\tPMID:1\tND\t\tF\ttumor protein p53\t\tprotein\ttaxon:9606\t20220912\tUniProt\t\t\n";
/// let gaf = osteon_io::gaf::parse_gaf(text, std::path::Path::new("x.gaf"))?;
/// assert_eq!(gaf.header_value("date-generated"), Some("2022-09-12"));
/// assert_eq!(gaf.annotations.len(), 1);
/// assert_eq!(gaf.not_qualified, 1);
/// assert_eq!(gaf.genes[0].symbol, "TP53");
/// # Ok::<(), osteon_io::IoError>(())
/// ```
pub fn parse_gaf(data: &[u8], source: &Path) -> Result<GafDocument, IoError> {
    let mut parser = GafParser::new(source);
    stream_text_bytes(data, source, |text, first_line| {
        parser.feed(text, first_line)
    })?;
    parser.finish()
}

/// [`parse_gaf`] for plain text, handed to the parser in chunks of
/// `chunk_size` bytes (tests compare one chunk with many).
#[cfg(test)]
pub(crate) fn parse_gaf_in_chunks(
    text: &[u8],
    source: &Path,
    chunk_size: usize,
) -> Result<GafDocument, IoError> {
    let mut parser = GafParser::new(source);
    crate::delimited::stream_lines_in_chunks(text, source, false, chunk_size, |text, first| {
        parser.feed(text, first)
    })?;
    parser.finish()
}

/// The state of a GAF read: the document so far and the interning tables.
/// Text arrives in chunks of whole lines ([`GafParser::feed`]), so a large
/// file can be decompressed and parsed piece by piece.
struct GafParser {
    document: GafDocument,
    /// Ids of up to 15 bytes (GO ids, Entrez and UniProt accessions) are
    /// interned as packed integers; longer ones by their text.
    gene_index: HashMap<(u128, u128), u32, Packed>,
    /// Longer genes, keyed by `DB \t DB Object ID`.
    long_gene_index: HashMap<String, u32, Fnv>,
    /// `GO:nnnnnnn` ids, by their number, -> position in the document's
    /// terms (a small integer table: most lines' lookups stay in cache).
    go_terms: HashMap<u32, u32, Packed>,
    /// Other term ids -> position in the document's terms.
    term_index: SeenIds,
    /// The evidence codes of the document packed into integers.
    evidence_keys: Vec<Option<u64>>,
    /// GAF files are usually grouped by gene: the last one seen.
    last_gene: Option<((u128, u128), u32)>,
    /// Scratch space for a long gene's key.
    long_key: String,
}

impl GafParser {
    fn new(source: &Path) -> GafParser {
        GafParser {
            document: GafDocument {
                path: source.to_path_buf(),
                // A human GAF has ~500,000 annotation lines: room for them up
                // front saves copying the vector as it grows.
                annotations: Vec::with_capacity(1 << 19),
                ..GafDocument::default()
            },
            gene_index: HashMap::with_capacity_and_hasher(1 << 15, Packed::default()),
            long_gene_index: HashMap::default(),
            go_terms: HashMap::with_capacity_and_hasher(1 << 15, Packed::default()),
            term_index: SeenIds::with_capacity(0),
            evidence_keys: Vec::new(),
            last_gene: None,
            long_key: String::new(),
        }
    }

    /// Parses whole lines of text whose first line is `first_line` (1-based).
    fn feed(&mut self, text: &str, first_line: usize) -> Result<(), IoError> {
        let mut fields: [&str; 17] = [""; 17];
        for (index, raw) in Lines::new(text).enumerate() {
            let line_number = first_line + index;
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if line.is_empty() {
                continue;
            }
            if let Some(comment) = line.strip_prefix('!') {
                self.header_line(comment);
                continue;
            }
            let found = split_tabs(line, &mut fields);
            if found < 15 {
                if line.trim().is_empty() {
                    continue;
                }
                return Err(IoError::GafColumns {
                    path: self.document.path.clone(),
                    line: line_number,
                    found,
                });
            }
            self.annotation_line(&fields, line_number)?;
        }
        Ok(())
    }

    /// A `!` line: `!key: value` headers are kept, other lines are comments.
    fn header_line(&mut self, comment: &str) {
        if let Some((key, value)) = comment.split_once(':') {
            let key = key.trim();
            if !key.is_empty() && !key.contains(' ') {
                let value = value.trim().to_string();
                if key == "gaf-version" {
                    self.document.version = Some(value.clone());
                }
                self.document.header.push((key.to_string(), value));
            }
        }
    }

    /// One data line, split into its (at least 15) columns.
    fn annotation_line(&mut self, fields: &[&str; 17], line_number: usize) -> Result<(), IoError> {
        let field_error = |column: usize, problem: String| IoError::GafField {
            path: self.document.path.clone(),
            line: line_number,
            column,
            name: COLUMN_NAMES[column - 1],
            problem,
        };
        let db = trim_text(fields[0]);
        let object_id = trim_text(fields[1]);
        let go_id = trim_text(fields[4]);
        let evidence = trim_text(fields[6]);
        if object_id.is_empty() {
            return Err(field_error(2, "the DB Object ID is empty".into()));
        }
        if go_id.is_empty() {
            return Err(field_error(5, "the GO ID is empty".into()));
        }
        if evidence.is_empty() {
            return Err(field_error(7, "the evidence code is empty".into()));
        }
        let aspect = match trim_text(fields[8]) {
            "P" => b'P',
            "F" => b'F',
            "C" => b'C',
            other => {
                return Err(field_error(
                    9,
                    format!("aspect must be P, F or C, found \"{other}\""),
                ))
            }
        };
        if fields[3].contains("NOT") && fields[3].split('|').any(|q| trim_text(q) == "NOT") {
            self.document.not_qualified += 1;
            return Ok(());
        }
        let gene = self.gene(db, object_id, fields, line_number);
        let term = self.term(go_id);
        let evidence = self.evidence(evidence);
        self.document.annotations.push(GafAnnotation {
            gene,
            term,
            evidence,
            aspect,
            line: line_number as u32,
        });
        Ok(())
    }

    /// The index of a line's gene, added (with its symbol, name, synonyms
    /// and taxon) on first sight.
    fn gene(&mut self, db: &str, object_id: &str, fields: &[&str; 17], line_number: usize) -> u32 {
        let packed = pack(db).zip(pack(object_id));
        if let (Some((last, gene)), Some(key)) = (self.last_gene, packed) {
            if last == key {
                return gene;
            }
        }
        let next = self.document.genes.len() as u32;
        let gene = match packed {
            Some(key) => *self.gene_index.entry(key).or_insert(next),
            None => {
                self.long_key.clear();
                self.long_key.push_str(db);
                self.long_key.push('\t');
                self.long_key.push_str(object_id);
                match self.long_gene_index.get(self.long_key.as_str()) {
                    Some(&gene) => gene,
                    None => {
                        self.long_gene_index.insert(self.long_key.clone(), next);
                        next
                    }
                }
            }
        };
        if gene == next {
            self.document.genes.push(GafGene {
                db: db.to_string(),
                id: object_id.to_string(),
                symbol: trim_text(fields[2]).to_string(),
                name: trim_text(fields[9]).to_string(),
                synonyms: fields[10]
                    .split('|')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
                taxon: trim_text(fields[12]).to_string(),
                line: line_number,
            });
        }
        self.last_gene = packed.map(|key| (key, gene));
        gene
    }

    /// The index of a GO id, interned on first sight.
    fn term(&mut self, go_id: &str) -> u32 {
        let next = self.document.terms.len();
        if let Some(number) = go_number(go_id) {
            let term = *self.go_terms.entry(number).or_insert(next as u32);
            if term as usize == next {
                self.document.terms.push(go_id.to_string());
            }
            return term;
        }
        match self.term_index.repeat_of(go_id, next) {
            Some(first) => first as u32,
            None => {
                self.document.terms.push(go_id.to_string());
                next as u32
            }
        }
    }

    /// The index of an evidence code; the handful of short codes are
    /// compared packed into integers.
    fn evidence(&mut self, evidence: &str) -> u16 {
        let packed = pack_code(evidence);
        match self.evidence_keys.iter().position(|&k| k == packed) {
            Some(code) if packed.is_some() => code as u16,
            _ => match self
                .document
                .evidence_codes
                .iter()
                .position(|c| c == evidence)
            {
                Some(code) => code as u16,
                None => {
                    self.document.evidence_codes.push(evidence.to_string());
                    self.evidence_keys.push(packed);
                    self.document.evidence_codes.len() as u16 - 1
                }
            },
        }
    }

    /// The document, or an error when it has no annotation lines at all.
    fn finish(self) -> Result<GafDocument, IoError> {
        if self.document.annotations.is_empty() && self.document.not_qualified == 0 {
            return Err(IoError::GafNoAnnotations {
                path: self.document.path,
            });
        }
        Ok(self.document)
    }
}

/// Splits a line at tabs into `fields` (the first 17 are kept) and returns
/// the number of fields. Tabs are found eight bytes at a time ("SWAR": a
/// word is XORed with eight tab bytes and tested for zero bytes); every
/// candidate is checked, since the zero-byte test may also flag a byte
/// right after a tab.
fn split_tabs<'a>(line: &'a str, fields: &mut [&'a str; 17]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    const TABS: u64 = 0x0909_0909_0909_0909;
    let bytes = line.as_bytes();
    let mut count = 0;
    let mut start = 0;
    let mut field = |i: usize, count: &mut usize, start: &mut usize| {
        if *count < fields.len() {
            // Tabs are ASCII, so `start..i` lies on character boundaries.
            fields[*count] = &line[*start..i];
        }
        *count += 1;
        *start = i + 1;
    };
    let mut offset = 0;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let x = u64::from_le_bytes(word.try_into().expect("8 bytes")) ^ TABS;
        let mut candidates = x.wrapping_sub(ONES) & !x & HIGHS;
        while candidates != 0 {
            let i = offset + (candidates.trailing_zeros() / 8) as usize;
            if bytes[i] == b'\t' {
                field(i, &mut count, &mut start);
            }
            candidates &= candidates - 1;
        }
        offset += 8;
    }
    for (k, &b) in words.remainder().iter().enumerate() {
        if b == b'\t' {
            field(offset + k, &mut count, &mut start);
        }
    }
    if count < fields.len() {
        fields[count] = &line[start..];
    }
    count + 1
}

/// The lines of a text (without `\n`), found eight bytes at a time like
/// [`split_tabs`]; a final line without `\n` is included, and an empty
/// text has one empty line, as `str::split('\n')` gives.
pub(crate) struct Lines<'a> {
    text: &'a str,
    position: usize,
    done: bool,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Lines<'a> {
        Lines {
            text,
            position: 0,
            done: false,
        }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        const NEWLINES: u64 = 0x0a0a_0a0a_0a0a_0a0a;
        if self.done {
            return None;
        }
        let bytes = self.text.as_bytes();
        let start = self.position;
        let mut i = start;
        while i + 8 <= bytes.len() {
            let x = u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes")) ^ NEWLINES;
            let mut candidates = x.wrapping_sub(ONES) & !x & HIGHS;
            while candidates != 0 {
                let at = i + (candidates.trailing_zeros() / 8) as usize;
                if bytes[at] == b'\n' {
                    self.position = at + 1;
                    // `\n` is ASCII: both ends are character boundaries.
                    return Some(&self.text[start..at]);
                }
                candidates &= candidates - 1;
            }
            i += 8;
        }
        match bytes[i..].iter().position(|&b| b == b'\n') {
            Some(offset) => {
                self.position = i + offset + 1;
                Some(&self.text[start..i + offset])
            }
            None => {
                self.done = true;
                Some(&self.text[start..])
            }
        }
    }
}

/// An evidence code of at most 8 bytes packed into an integer.
fn pack_code(code: &str) -> Option<u64> {
    let bytes = code.as_bytes();
    (bytes.len() <= 8).then(|| {
        let mut word = [0u8; 8];
        word[..bytes.len()].copy_from_slice(bytes);
        u64::from_le_bytes(word)
    })
}

/// Remembers ids as a reader meets them, so that a repeated one is caught
/// while its text is still in cache (a second pass over the parsed records
/// would chase one pointer per record).
#[derive(Debug, Default)]
pub(crate) struct SeenIds {
    /// Ids of up to 15 bytes, packed, with the position they were first
    /// seen at.
    packed: HashMap<u128, usize, Packed>,
    /// Longer ids.
    long: HashMap<String, usize, Fnv>,
}

impl SeenIds {
    pub(crate) fn with_capacity(capacity: usize) -> SeenIds {
        SeenIds {
            packed: HashMap::with_capacity_and_hasher(capacity, Packed::default()),
            long: HashMap::default(),
        }
    }

    /// Records `id` at `position`; returns the position it was first seen at
    /// when it is a repeat.
    pub(crate) fn repeat_of(&mut self, id: &str, position: usize) -> Option<usize> {
        let first = match pack(id) {
            Some(key) => *self.packed.entry(key).or_insert(position),
            None => match self.long.get(id) {
                Some(&first) => first,
                None => {
                    self.long.insert(id.to_string(), position);
                    position
                }
            },
        };
        (first != position).then_some(first)
    }
}

/// The number of a `GO:` id with exactly seven digits (`GO:0001503` ->
/// 1503); `None` for any other text.
fn go_number(id: &str) -> Option<u32> {
    let digits = id.strip_prefix("GO:")?.as_bytes();
    if digits.len() != 7 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        digits
            .iter()
            .fold(0u32, |number, &d| number * 10 + u32::from(d - b'0')),
    )
}

/// A text of at most 15 bytes packed into an integer (its length in the
/// top byte, so that no two texts share a key).
fn pack(text: &str) -> Option<u128> {
    let bytes = text.as_bytes();
    (bytes.len() < 16).then(|| {
        let mut word = [0u8; 16];
        word[..bytes.len()].copy_from_slice(bytes);
        word[15] = bytes.len() as u8;
        u128::from_le_bytes(word)
    })
}

/// A multiply–xorshift hash for packed integer keys.
#[derive(Debug, Default, Clone, Copy)]
struct PackedHasher(u64);

impl Hasher for PackedHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, value: u64) {
        let mixed = (self.0 ^ value).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = mixed ^ (mixed >> 29);
    }

    fn write_u128(&mut self, value: u128) {
        self.write_u64(value as u64);
        self.write_u64((value >> 64) as u64);
    }

    fn write_u32(&mut self, value: u32) {
        self.write_u64(u64::from(value));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type Packed = BuildHasherDefault<PackedHasher>;

/// FNV-1a (Fowler–Noll–Vo), a fast hash for the short ids interned here
/// (the file is local data, so collision resistance is not needed).
#[derive(Debug, Clone, Copy)]
struct FnvHasher(u64);

impl Default for FnvHasher {
    fn default() -> FnvHasher {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for FnvHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type Fnv = BuildHasherDefault<FnvHasher>;

#[cfg(test)]
mod tests {
    use super::*;

    fn line(
        gene: &str,
        symbol: &str,
        qualifier: &str,
        go: &str,
        evidence: &str,
        aspect: &str,
    ) -> String {
        format!("NCBIGene\t{gene}\t{symbol}\t{qualifier}\t{go}\tPMID:1\t{evidence}\t\t{aspect}\tname of {symbol}\tsyn1|syn2\tprotein\ttaxon:9606\t20220912\tUniProt\t\t\n")
    }

    fn parse(text: &str) -> Result<GafDocument, IoError> {
        parse_gaf(text.as_bytes(), Path::new("test.gaf"))
    }

    #[test]
    fn interns_genes_terms_and_evidence_and_excludes_not() {
        let text = format!(
            "!gaf-version: 2.1\r\n!generated-by: test\n! free comment\n{}{}{}{}",
            line("1", "A1BG", "", "GO:0008150", "ND", "P"),
            line("1", "A1BG", "NOT|involved_in", "GO:0006915", "IDA", "P"),
            line("2", "A2M", "enables", "GO:0005515", "IPI", "F"),
            line("1", "A1BG", "located_in", "GO:0005576", "IDA", "C"),
        );
        let gaf = parse(&text).unwrap();
        assert_eq!(gaf.version.as_deref(), Some("2.1"));
        assert_eq!(gaf.header_value("generated-by"), Some("test"));
        assert_eq!(gaf.header.len(), 2);
        assert_eq!(gaf.not_qualified, 1);
        assert_eq!(gaf.genes.len(), 2);
        assert_eq!(gaf.genes[0].synonyms, vec!["syn1", "syn2"]);
        assert_eq!(gaf.genes[1].line, 6);
        assert_eq!(gaf.terms, vec!["GO:0008150", "GO:0005515", "GO:0005576"]);
        assert_eq!(gaf.evidence_codes, vec!["ND", "IPI", "IDA"]);
        assert_eq!(gaf.annotations.len(), 3);
        assert_eq!(
            gaf.annotations[2],
            GafAnnotation {
                gene: 0,
                term: 2,
                evidence: 2,
                aspect: b'C',
                line: 7
            }
        );
    }

    #[test]
    fn go_ids_and_other_ids_are_interned_apart() {
        let text = format!(
            "{}{}{}{}{}",
            line("1", "A", "", "GO:0001503", "IDA", "P"),
            line("1", "A", "", "GO:001503", "IDA", "P"),
            line("2", "B", "", "GO:0001503", "IDA", "P"),
            line("2", "B", "", "PO:0001503", "IDA", "P"),
            line("3", "C", "", "GO:001503", "IDA", "P"),
        );
        let gaf = parse(&text).unwrap();
        assert_eq!(gaf.terms, vec!["GO:0001503", "GO:001503", "PO:0001503"]);
        let terms: Vec<u32> = gaf.annotations.iter().map(|a| a.term).collect();
        assert_eq!(terms, vec![0, 1, 0, 2, 1]);
        assert_eq!(go_number("GO:0001503"), Some(1503));
        assert_eq!(go_number("GO:2001317"), Some(2_001_317));
        assert_eq!(go_number("GO:00015O3"), None);
        assert_eq!(go_number("GO:00015030"), None);
    }

    #[test]
    fn tab_splitting_finds_every_field() {
        let mut fields = [""; 17];
        // tabs at every offset within and across 8-byte words, empty fields,
        // non-ASCII text and bytes 0x08 right after a tab
        let line = "a\t\tbcdefgh\tij\u{e9}klmnop\t\u{8}x\t\t\tq\trstuvwxyz0\t1";
        let expected: Vec<&str> = line.split('\t').collect();
        let found = split_tabs(line, &mut fields);
        assert_eq!(found, expected.len());
        assert_eq!(&fields[..found], &expected[..]);
        let many = vec!["x"; 20].join("\t");
        assert_eq!(split_tabs(&many, &mut fields), 20);
        assert_eq!(split_tabs("", &mut fields), 1);
        assert_eq!(fields[0], "");
    }

    #[test]
    fn line_splitting_matches_str_split() {
        for text in [
            "",
            "a",
            "a\n",
            "\n\n",
            "abcdefgh\nijklmnopq\n\nr\u{8}\ns",
            "0123456\n01234567\n",
        ] {
            let expected: Vec<&str> = text.split('\n').collect();
            let found: Vec<&str> = Lines::new(text).collect();
            assert_eq!(found, expected, "{text:?}");
        }
    }

    #[test]
    fn short_line_is_an_error_with_line_number() {
        let text = format!("{}NCBIGene\t3\tX\n", line("1", "A", "", "GO:1", "IDA", "P"));
        let err = parse(&text).unwrap_err();
        assert!(
            matches!(
                err,
                IoError::GafColumns {
                    line: 2,
                    found: 3,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("test.gaf line 2"), "{err}");
    }

    #[test]
    fn empty_required_fields_and_bad_aspect_are_errors() {
        let err = parse(&line("", "A", "", "GO:1", "IDA", "P")).unwrap_err();
        assert!(matches!(err, IoError::GafField { column: 2, .. }), "{err}");
        let err = parse(&line("1", "A", "", "", "IDA", "P")).unwrap_err();
        assert!(matches!(err, IoError::GafField { column: 5, .. }), "{err}");
        let err = parse(&line("1", "A", "", "GO:1", "", "P")).unwrap_err();
        assert!(matches!(err, IoError::GafField { column: 7, .. }), "{err}");
        let err = parse(&line("1", "A", "", "GO:1", "IDA", "X")).unwrap_err();
        assert!(matches!(err, IoError::GafField { column: 9, .. }), "{err}");
        assert!(err.to_string().contains("Aspect"), "{err}");
    }

    #[test]
    fn header_only_file_is_an_error() {
        let err = parse("!gaf-version: 2.2\n").unwrap_err();
        assert!(matches!(err, IoError::GafNoAnnotations { .. }), "{err}");
    }
}
