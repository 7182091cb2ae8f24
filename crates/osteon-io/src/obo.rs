//! OBO flat-file ontologies (format versions 1.2 and 1.4), as distributed by
//! the Gene Ontology Consortium (`go-basic.obo`, `go.obo`).
//!
//! Follows "The OBO Flat File Format Guide, version 1.4" (Day-Richter &
//! Mungall): a header of `tag: value` lines, then `[Term]`, `[Typedef]` and
//! `[Instance]` stanzas. For terms the reader keeps what enrichment analysis
//! needs: `id`, `name`, `namespace` (falling back to the header's
//! `default-namespace`), `alt_id`, `is_a`, `relationship:` (every type, e.g.
//! `part_of`, `regulates`, `positively_regulates`, `negatively_regulates`,
//! `has_part`), `is_obsolete`, `replaced_by` and `consider`; other tags
//! (`def`, `synonym`, `xref`, `intersection_of`, …) are skipped. Values lose
//! their trailing `! comment` and `{modifier}` parts, and backslash escapes
//! are resolved. Header tags are all kept (in order), with `format-version`,
//! `data-version`, `date` and `ontology` also exposed as fields so that a run
//! can record which ontology release it used.
//!
//! Lines that cannot be read (a stanza line without `tag:`, an empty `id`,
//! an `is_obsolete` that is neither `true` nor `false`, a `relationship:`
//! without a target, a term without `id`, a term defined twice) are errors
//! naming the file and line.

use std::path::{Path, PathBuf};

use crate::delimited::{stream_text_bytes, stream_text_file};
use crate::gaf::{Lines, SeenIds};
use crate::IoError;

/// A parsed OBO file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OboDocument {
    /// The file it came from (for messages and run records).
    pub path: PathBuf,
    /// Header `format-version` (e.g. `1.2`).
    pub format_version: Option<String>,
    /// Header `data-version` (for GO, the release, e.g. `releases/2022-07-01`).
    pub data_version: Option<String>,
    /// Header `date`.
    pub date: Option<String>,
    /// Header `ontology` (e.g. `go`).
    pub ontology: Option<String>,
    /// Header `default-namespace`, applied to terms without `namespace`.
    pub default_namespace: Option<String>,
    /// Every header tag with its value, in file order.
    pub header: Vec<(String, String)>,
    /// `[Term]` stanzas in file order.
    pub terms: Vec<OboTerm>,
    /// `[Typedef]` stanzas (relation types) in file order.
    pub typedefs: Vec<OboTypedef>,
}

/// One `[Term]` stanza.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OboTerm {
    /// `id`, e.g. `GO:0001503`.
    pub id: String,
    /// `name`, e.g. `ossification` (empty when absent).
    pub name: String,
    /// `namespace` (or the header's `default-namespace`).
    pub namespace: Option<String>,
    /// `alt_id` values: retired ids now merged into this term.
    pub alt_ids: Vec<String>,
    /// `is_a` parents.
    pub is_a: Vec<String>,
    /// `relationship:` lines as `(type, target)`, e.g. `("part_of", "GO:0005634")`.
    pub relationships: Vec<(String, String)>,
    /// `is_obsolete: true`.
    pub is_obsolete: bool,
    /// `replaced_by` values (for obsolete terms).
    pub replaced_by: Vec<String>,
    /// `consider` values (for obsolete terms).
    pub consider: Vec<String>,
    /// 1-based line of the `[Term]` header.
    pub line: usize,
}

/// One `[Typedef]` stanza (a relation type).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OboTypedef {
    /// `id`, e.g. `part_of`.
    pub id: String,
    /// `name`, e.g. `part of`.
    pub name: String,
    /// `is_a` parents (e.g. `positively_regulates` is_a `regulates`).
    pub is_a: Vec<String>,
    /// 1-based line of the `[Typedef]` header.
    pub line: usize,
}

/// Reads an OBO file (gzip recognised by its magic bytes), decompressing
/// and parsing it chunk by chunk.
pub fn read_obo(path: impl AsRef<Path>) -> Result<OboDocument, IoError> {
    let path = path.as_ref();
    let mut parser = Parser::new(path);
    stream_text_file(path, |text, first_line| parser.feed(text, first_line))?;
    parser.finish()
}

/// Parses OBO data held in memory as the bytes of a file, plain text or
/// gzip-compressed (e.g. a snapshot compiled into a program); `source`
/// names it in errors. Same parser, chunk by chunk, as [`read_obo`].
///
/// ```
/// let text = b"format-version: 1.2\ndata-version: releases/2022-07-01\n\n[Term]\nid: GO:0000001\nname: a\nnamespace: biological_process\nis_a: GO:0000002 ! b\nrelationship: part_of GO:0000003 {source=\"x\"} ! c\n";
/// let doc = osteon_io::obo::parse_obo(text, std::path::Path::new("x.obo"))?;
/// assert_eq!(doc.data_version.as_deref(), Some("releases/2022-07-01"));
/// assert_eq!(doc.terms[0].is_a, vec!["GO:0000002"]);
/// assert_eq!(doc.terms[0].relationships, vec![("part_of".to_string(), "GO:0000003".to_string())]);
/// # Ok::<(), osteon_io::IoError>(())
/// ```
pub fn parse_obo(data: &[u8], source: &Path) -> Result<OboDocument, IoError> {
    let mut parser = Parser::new(source);
    stream_text_bytes(data, source, |text, first_line| {
        parser.feed(text, first_line)
    })?;
    parser.finish()
}

/// `str::trim` with a fast path: when, after trimming ASCII whitespace, the
/// text starts and ends with a visible ASCII character, no Unicode
/// whitespace can remain at either end, so the Unicode-aware scan is skipped.
/// Always returns exactly what `text.trim()` returns.
pub(crate) fn trim_text(text: &str) -> &str {
    let ascii = text.trim_ascii();
    let visible = |b: Option<&u8>| b.is_some_and(|&b| (0x21..0x7f).contains(&b));
    if ascii.is_empty() || (visible(ascii.as_bytes().first()) && visible(ascii.as_bytes().last())) {
        ascii
    } else {
        text.trim()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stanza {
    Header,
    Term,
    Typedef,
    Other,
}

struct Parser<'a> {
    source: &'a Path,
    document: OboDocument,
    stanza: Stanza,
    term: OboTerm,
    typedef: OboTypedef,
    /// The term ids met so far (a term defined twice is an error).
    term_ids: SeenIds,
}

impl<'a> Parser<'a> {
    fn new(source: &'a Path) -> Parser<'a> {
        Parser {
            source,
            document: OboDocument {
                path: source.to_path_buf(),
                ..OboDocument::default()
            },
            stanza: Stanza::Header,
            term: OboTerm::default(),
            typedef: OboTypedef::default(),
            term_ids: SeenIds::with_capacity(1 << 16),
        }
    }

    /// Parses whole lines of text whose first line is `first_line` (1-based).
    fn feed(&mut self, text: &str, first_line: usize) -> Result<(), IoError> {
        for (index, raw) in Lines::new(text).enumerate() {
            let line_number = first_line + index;
            let line = trim_text(raw.strip_suffix('\r').unwrap_or(raw));
            if line.is_empty() || line.starts_with('!') {
                continue;
            }
            if line.starts_with('[') {
                self.finish_stanza()?;
                self.open_stanza(line, line_number)?;
                continue;
            }
            self.tag_line(line, line_number)?;
        }
        Ok(())
    }

    /// Closes the last stanza and checks the document as a whole: at least
    /// one term, the default namespace applied.
    fn finish(mut self) -> Result<OboDocument, IoError> {
        self.finish_stanza()?;
        if self.document.terms.is_empty() {
            return Err(IoError::OboNoTerms {
                path: self.source.to_path_buf(),
            });
        }
        if let Some(default) = self.document.default_namespace.clone() {
            for term in &mut self.document.terms {
                if term.namespace.is_none() {
                    term.namespace = Some(default.clone());
                }
            }
        }
        Ok(self.document)
    }

    fn malformed(&self, line: usize, problem: impl Into<String>) -> IoError {
        IoError::OboMalformed {
            path: self.source.to_path_buf(),
            line,
            problem: problem.into(),
        }
    }

    fn open_stanza(&mut self, line: &str, line_number: usize) -> Result<(), IoError> {
        let Some(kind) = line
            .strip_prefix('[')
            .and_then(|rest| rest.split_once(']'))
            .map(|(kind, _)| kind.trim())
        else {
            return Err(self.malformed(
                line_number,
                format!("stanza header \"{line}\" has no closing ]"),
            ));
        };
        self.stanza = match kind {
            "Term" => {
                self.term = OboTerm {
                    line: line_number,
                    ..OboTerm::default()
                };
                Stanza::Term
            }
            "Typedef" => {
                self.typedef = OboTypedef {
                    line: line_number,
                    ..OboTypedef::default()
                };
                Stanza::Typedef
            }
            _ => Stanza::Other,
        };
        Ok(())
    }

    fn finish_stanza(&mut self) -> Result<(), IoError> {
        match self.stanza {
            Stanza::Term => {
                let term = std::mem::take(&mut self.term);
                if term.id.is_empty() {
                    return Err(self.malformed(term.line, "[Term] stanza has no id"));
                }
                let position = self.document.terms.len();
                if let Some(first) = self.term_ids.repeat_of(&term.id, position) {
                    return Err(IoError::OboDuplicateTerm {
                        path: self.source.to_path_buf(),
                        term: term.id,
                        first_line: self.document.terms[first].line,
                        second_line: term.line,
                    });
                }
                self.document.terms.push(term);
            }
            Stanza::Typedef => {
                let typedef = std::mem::take(&mut self.typedef);
                if typedef.id.is_empty() {
                    return Err(self.malformed(typedef.line, "[Typedef] stanza has no id"));
                }
                self.document.typedefs.push(typedef);
            }
            Stanza::Header | Stanza::Other => {}
        }
        self.stanza = Stanza::Other;
        Ok(())
    }

    fn tag_line(&mut self, line: &str, line_number: usize) -> Result<(), IoError> {
        if self.stanza == Stanza::Other {
            // Content of stanza types this reader does not interpret.
            return Ok(());
        }
        let Some((tag, value)) = line.split_once(':') else {
            return Err(self.malformed(
                line_number,
                format!("expected \"tag: value\", found \"{line}\""),
            ));
        };
        let tag = trim_text(tag);
        let value = trim_text(value);
        match self.stanza {
            Stanza::Header => self.header_tag(tag, value),
            Stanza::Term => self.term_tag(tag, value, line_number)?,
            Stanza::Typedef => self.typedef_tag(tag, value, line_number)?,
            Stanza::Other => {}
        }
        Ok(())
    }

    fn header_tag(&mut self, tag: &str, value: &str) {
        let value = unescape(strip_comment(value).trim());
        let document = &mut self.document;
        match tag {
            "format-version" => document.format_version = Some(value.clone()),
            "data-version" => document.data_version = Some(value.clone()),
            "date" => document.date = Some(value.clone()),
            "ontology" => document.ontology = Some(value.clone()),
            "default-namespace" => document.default_namespace = Some(value.clone()),
            _ => {}
        }
        document.header.push((tag.to_string(), value));
    }

    fn term_tag(&mut self, tag: &str, value: &str, line_number: usize) -> Result<(), IoError> {
        match tag {
            "id" => {
                let id = self.identifier(tag, value, line_number)?;
                if !self.term.id.is_empty() {
                    return Err(self.malformed(
                        line_number,
                        format!(
                            "second id \"{id}\" in the [Term] stanza of {} (line {})",
                            self.term.id, self.term.line
                        ),
                    ));
                }
                self.term.id = id;
            }
            "name" => self.term.name = text_value(value),
            "namespace" => self.term.namespace = Some(self.identifier(tag, value, line_number)?),
            "alt_id" => {
                let id = self.identifier(tag, value, line_number)?;
                self.term.alt_ids.push(id);
            }
            "is_a" => {
                let id = self.identifier(tag, value, line_number)?;
                self.term.is_a.push(id);
            }
            "relationship" => {
                let mut tokens = strip_modifiers(strip_comment(value)).split_whitespace();
                let (Some(kind), Some(target)) = (tokens.next(), tokens.next()) else {
                    return Err(self.malformed(
                        line_number,
                        format!("relationship \"{value}\" needs a type and a target term"),
                    ));
                };
                self.term
                    .relationships
                    .push((unescape(kind), unescape(target)));
            }
            "is_obsolete" => {
                self.term.is_obsolete = match strip_comment(value).trim() {
                    "true" => true,
                    "false" => false,
                    other => {
                        return Err(self.malformed(
                            line_number,
                            format!("is_obsolete must be true or false, found \"{other}\""),
                        ))
                    }
                }
            }
            "replaced_by" => {
                let id = self.identifier(tag, value, line_number)?;
                self.term.replaced_by.push(id);
            }
            "consider" => {
                let id = self.identifier(tag, value, line_number)?;
                self.term.consider.push(id);
            }
            _ => {}
        }
        Ok(())
    }

    fn typedef_tag(&mut self, tag: &str, value: &str, line_number: usize) -> Result<(), IoError> {
        match tag {
            "id" => self.typedef.id = self.identifier(tag, value, line_number)?,
            "name" => self.typedef.name = text_value(value),
            "is_a" => {
                let id = self.identifier(tag, value, line_number)?;
                self.typedef.is_a.push(id);
            }
            _ => {}
        }
        Ok(())
    }

    /// The first token of an identifier-valued tag (comments and modifiers
    /// removed); an empty value is an error.
    fn identifier(&self, tag: &str, value: &str, line_number: usize) -> Result<String, IoError> {
        match strip_modifiers(strip_comment(value))
            .split_whitespace()
            .next()
        {
            Some(token) => Ok(unescape(token)),
            None => Err(self.malformed(line_number, format!("{tag} has no value"))),
        }
    }
}

/// A free-text value (`name`): comment and modifiers removed, escapes
/// resolved.
fn text_value(value: &str) -> String {
    unescape(trim_text(strip_modifiers(strip_comment(value))))
}

/// Cuts a value at its first unescaped `!` (the start of a comment).
fn strip_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'\\' => index += 2,
            b'!' => return value[..index].trim_end(),
            _ => index += 1,
        }
    }
    value
}

/// Removes a trailing `{…}` modifier block (e.g. `{source="PMID:1"}`).
fn strip_modifiers(value: &str) -> &str {
    let trimmed = value.trim_end();
    if trimmed.ends_with('}') {
        if let Some(open) = trimmed.rfind('{') {
            if open == 0 || trimmed.as_bytes()[open - 1] != b'\\' {
                return trimmed[..open].trim_end();
            }
        }
    }
    trimmed
}

/// Resolves OBO backslash escapes (`\n`, `\t`, `\W` for a space, and `\x`
/// for any other character x).
fn unescape(value: &str) -> String {
    if !value.contains('\\') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('W') => out.push(' '),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<OboDocument, IoError> {
        parse_obo(text.as_bytes(), Path::new("test.obo"))
    }

    const SMALL: &str = "format-version: 1.4\r\ndata-version: releases/2022-07-01\ndate: 01:07:2022 12:00\nontology: go\ndefault-namespace: gene_ontology\n! a comment\n\n[Typedef]\nid: part_of\nname: part of\n\n[Typedef]\nid: positively_regulates\nname: positively regulates\nis_a: regulates\n\n[Term]\nid: GO:0000001\nname: mitochondrion \\\"inheritance\\\" {comment=\"x\"} ! trailing\nnamespace: biological_process\nalt_id: GO:0000099\ndef: \"text ! not a comment\" []\nis_a: GO:0000002 {source=\"GOC:x\"} ! parent\nrelationship: part_of GO:0000003 ! whole\nrelationship: positively_regulates GO:0000004\n\n[Term]\nid: GO:0000002\nname: organelle inheritance\n\n[Instance]\nid: x\nfoo bar baz\n\n[Term]\nid: GO:0000005\nname: old\nis_obsolete: true\nreplaced_by: GO:0000001\nconsider: GO:0000002\n";

    #[test]
    fn trim_text_agrees_with_str_trim() {
        for text in [
            "",
            " ",
            "GO:1",
            " GO:1 ",
            "\tGO:1\r",
            "\u{a0}GO:1\u{a0}",
            "\u{b}x\u{b}",
            " \u{2003}x",
            "x\u{2003} ",
            "é ",
            " é",
            "\u{85}",
            "a b",
            "\u{1}x",
        ] {
            assert_eq!(trim_text(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn reads_terms_relationships_and_header() {
        let doc = parse(SMALL).unwrap();
        assert_eq!(doc.format_version.as_deref(), Some("1.4"));
        assert_eq!(doc.data_version.as_deref(), Some("releases/2022-07-01"));
        assert_eq!(doc.date.as_deref(), Some("01:07:2022 12:00"));
        assert_eq!(doc.ontology.as_deref(), Some("go"));
        assert_eq!(doc.header.len(), 5);
        assert_eq!(doc.typedefs.len(), 2);
        assert_eq!(doc.typedefs[1].is_a, vec!["regulates"]);
        assert_eq!(doc.terms.len(), 3);
        let first = &doc.terms[0];
        assert_eq!(first.id, "GO:0000001");
        assert_eq!(first.name, "mitochondrion \"inheritance\"");
        assert_eq!(first.namespace.as_deref(), Some("biological_process"));
        assert_eq!(first.alt_ids, vec!["GO:0000099"]);
        assert_eq!(first.is_a, vec!["GO:0000002"]);
        assert_eq!(
            first.relationships,
            vec![
                ("part_of".to_string(), "GO:0000003".to_string()),
                ("positively_regulates".to_string(), "GO:0000004".to_string())
            ]
        );
        assert_eq!(first.line, 17);
        // default-namespace fills the gap
        assert_eq!(doc.terms[1].namespace.as_deref(), Some("gene_ontology"));
        let obsolete = &doc.terms[2];
        assert!(obsolete.is_obsolete);
        assert_eq!(obsolete.replaced_by, vec!["GO:0000001"]);
        assert_eq!(obsolete.consider, vec!["GO:0000002"]);
    }

    #[test]
    fn line_without_tag_is_an_error_with_line_number() {
        let err = parse("[Term]\nid: GO:1\nname x\n").unwrap_err();
        assert!(
            matches!(err, IoError::OboMalformed { line: 3, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("test.obo line 3"), "{err}");
    }

    #[test]
    fn term_without_id_is_an_error() {
        let err = parse("[Term]\nname: x\n\n[Term]\nid: GO:2\n").unwrap_err();
        assert!(
            matches!(err, IoError::OboMalformed { line: 1, .. }),
            "{err}"
        );
    }

    #[test]
    fn duplicate_term_is_an_error() {
        let err = parse("[Term]\nid: GO:1\n\n[Term]\nid: GO:1\n").unwrap_err();
        assert!(
            matches!(
                err,
                IoError::OboDuplicateTerm {
                    first_line: 1,
                    second_line: 4,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn bad_obsolete_flag_and_relationship_are_errors() {
        let err = parse("[Term]\nid: GO:1\nis_obsolete: yes\n").unwrap_err();
        assert!(
            matches!(err, IoError::OboMalformed { line: 3, .. }),
            "{err}"
        );
        let err = parse("[Term]\nid: GO:1\nrelationship: part_of\n").unwrap_err();
        assert!(
            matches!(err, IoError::OboMalformed { line: 3, .. }),
            "{err}"
        );
        let err = parse("[Term]\nid: GO:1\nis_a: ! nothing\n").unwrap_err();
        assert!(
            matches!(err, IoError::OboMalformed { line: 3, .. }),
            "{err}"
        );
        let err = parse("[Term\nid: GO:1\n").unwrap_err();
        assert!(
            matches!(err, IoError::OboMalformed { line: 1, .. }),
            "{err}"
        );
    }

    #[test]
    fn second_id_in_a_stanza_is_an_error() {
        let err = parse("[Term]\nid: GO:1\nid: GO:2\n").unwrap_err();
        assert!(
            matches!(err, IoError::OboMalformed { line: 3, .. }),
            "{err}"
        );
    }

    #[test]
    fn no_terms_and_bad_utf8_are_errors() {
        assert!(matches!(
            parse("format-version: 1.2\n").unwrap_err(),
            IoError::OboNoTerms { .. }
        ));
        let err = parse_obo(b"[Term]\nid: GO:1\nname: \xff\n", Path::new("t.obo")).unwrap_err();
        assert!(matches!(err, IoError::InvalidUtf8 { line: 3, .. }), "{err}");
    }

    #[test]
    fn escapes_and_comments() {
        assert_eq!(strip_comment("a \\! b ! c"), "a \\! b");
        assert_eq!(unescape("a\\!b\\Wc"), "a!b c");
        assert_eq!(strip_modifiers("GO:1 {a=\"b\"}"), "GO:1");
    }
}
