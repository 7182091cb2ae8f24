//! Writes a [`Report`] as one HTML document: a sticky table of contents,
//! numbered sections, and the inline stylesheet and script. Every string
//! from the model is escaped here, anchors are sanitised and made unique,
//! and links are percent-encoded relative paths or `#anchors`.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::format::{data_value, format_number, group_thousands};
use super::model::{
    Block, Callout, CalloutKind, Column, ColumnValues, Download, Figure, Highlight, KeyValue,
    Methods, Report, Section, Span, Table, Text, FIGURE_SCREEN_SCALE,
};
use crate::svg::escape_xml;

const STYLESHEET: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("report.js");

/// Ids the page itself uses; sections never take them.
const PAGE_IDS: &[&str] = &["osteon-toc", "osteon-main", "osteon-tooltip"];

/// Sections deeper than this are not listed in the table of contents.
const TOC_DEPTH: usize = 2;

pub(crate) fn render(report: &Report) -> String {
    let mut anchors = Anchors::default();
    for id in PAGE_IDS {
        anchors.claim(id);
    }
    let outline: Vec<Outline> = report
        .sections
        .iter()
        .enumerate()
        .map(|(index, section)| Outline::build(section, vec![index + 1], &mut anchors))
        .collect();
    let mut page = Page {
        out: String::with_capacity(64 * 1024),
        anchors,
        figures: 0,
        tables: 0,
    };
    page.document(report, &outline);
    page.out
}

/// A section's number and unique anchor, fixed before anything is written
/// so the table of contents can come first.
struct Outline {
    number: Vec<usize>,
    anchor: String,
    children: Vec<Outline>,
}

impl Outline {
    fn build(section: &Section, number: Vec<usize>, anchors: &mut Anchors) -> Outline {
        let anchor = anchors.claim(section.id.as_deref().unwrap_or(&section.title));
        let children = section
            .subsections
            .iter()
            .enumerate()
            .map(|(index, child)| {
                let mut child_number = number.clone();
                child_number.push(index + 1);
                Outline::build(child, child_number, anchors)
            })
            .collect();
        Outline {
            number,
            anchor,
            children,
        }
    }

    fn label(&self) -> String {
        let parts: Vec<String> = self.number.iter().map(usize::to_string).collect();
        parts.join(".")
    }
}

/// The anchors in use; each new one is sanitised and, when taken, suffixed
/// `-2`, `-3`, ….
#[derive(Default)]
struct Anchors {
    used: BTreeSet<String>,
}

impl Anchors {
    fn claim(&mut self, wanted: &str) -> String {
        let base = slug(wanted);
        let mut candidate = base.clone();
        let mut suffix = 2;
        while self.used.contains(&candidate) {
            candidate = format!("{base}-{suffix}");
            suffix += 1;
        }
        self.used.insert(candidate.clone());
        candidate
    }
}

/// `text` as an anchor: lower-case ASCII letters and digits, every other run
/// of characters one `-`; `section` when nothing is left.
pub(crate) fn slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for character in text.chars() {
        if character.is_ascii_alphanumeric() {
            slug.push(character.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let trimmed = slug.trim_matches('-');
    if trimmed.is_empty() {
        "section".to_string()
    } else {
        trimmed.to_string()
    }
}

/// A relative path as an `href`: bytes other than ASCII letters, digits and
/// `-._~/` are percent-encoded, and so are leading slashes, so the link can
/// never name a scheme, a host or an absolute path.
pub(crate) fn relative_href(path: &str) -> String {
    let mut href = String::with_capacity(path.len() + 8);
    let mut leading = true;
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~');
        if keep || (byte == b'/' && !leading) {
            href.push(byte as char);
        } else {
            let _ = write!(href, "%{byte:02X}");
        }
        leading = leading && byte == b'/';
    }
    href
}

/// A [`Span::Link`] target as an `href`: `#anchor` (sanitised) or a
/// relative path.
fn link_href(target: &str) -> String {
    match target.strip_prefix('#') {
        Some(anchor) => format!("#{}", slug(anchor)),
        None => relative_href(target),
    }
}

struct Page {
    out: String,
    anchors: Anchors,
    figures: usize,
    tables: usize,
}

impl Page {
    fn text(&mut self, text: &str) {
        self.out.push_str(&escape_xml(text));
    }

    fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    /// `open`, then `text` escaped, then `close`.
    fn tagged(&mut self, open: &str, text: &str, close: &str) {
        self.raw(open);
        self.text(text);
        self.raw(close);
    }

    fn document(&mut self, report: &Report, outline: &[Outline]) {
        self.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        self.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        self.tagged(
            "<meta name=\"color-scheme\" content=\"light\">\n<title>",
            &report.title,
            "</title>\n<style>\n",
        );
        self.raw(STYLESHEET);
        self.raw("</style>\n</head>\n<body>\n");
        self.raw("<a class=\"skip-link\" href=\"#osteon-main\">Skip to the report</a>\n");
        self.contents(report, outline);
        self.tagged(
            "<main id=\"osteon-main\">\n<header class=\"report-header\">\n<h1>",
            &report.title,
            "</h1>\n",
        );
        if let Some(subtitle) = &report.subtitle {
            self.tagged("<p class=\"subtitle\">", subtitle, "</p>\n");
        }
        self.raw("</header>\n");
        if let Some(notice) = &report.notice {
            self.callout(notice, true);
        }
        for (section, outline) in report.sections.iter().zip(outline) {
            self.section(section, outline);
        }
        if let Some(footer) = &report.footer {
            self.raw("<footer class=\"report-footer\"><p>");
            self.inline(footer);
            self.raw("</p></footer>\n");
        }
        self.raw("</main>\n<script>\n");
        self.raw(SCRIPT);
        self.raw("</script>\n</body>\n</html>\n");
    }

    fn contents(&mut self, report: &Report, outline: &[Outline]) {
        self.raw("<nav class=\"toc\" id=\"osteon-toc\" aria-label=\"Contents\">\n");
        self.tagged(
            "<p class=\"toc-report\">",
            &report.title,
            "</p>\n<p class=\"toc-heading\">Contents</p>\n",
        );
        self.contents_list(&report.sections, outline, 1);
        self.raw("<p class=\"toc-foot\"><a href=\"#osteon-main\">Back to top</a></p>\n</nav>\n");
    }

    fn contents_list(&mut self, sections: &[Section], outline: &[Outline], depth: usize) {
        if sections.is_empty() || depth > TOC_DEPTH {
            return;
        }
        self.raw("<ol>\n");
        for (section, entry) in sections.iter().zip(outline) {
            let _ = write!(
                self.out,
                "<li><a href=\"#{}\"><span class=\"secno\">{}</span>",
                entry.anchor,
                entry.label()
            );
            self.text(&section.title);
            self.raw("</a>");
            if !section.subsections.is_empty() && depth < TOC_DEPTH {
                self.raw("\n");
                self.contents_list(&section.subsections, &entry.children, depth + 1);
            }
            self.raw("</li>\n");
        }
        self.raw("</ol>\n");
    }

    fn section(&mut self, section: &Section, outline: &Outline) {
        let level = (outline.number.len() + 1).min(6);
        let _ = write!(
            self.out,
            "<section class=\"level-{}\" id=\"{}\" aria-labelledby=\"{}-title\">\n\
             <h{level} id=\"{}-title\"><span class=\"secno\">{}</span>",
            outline.number.len(),
            outline.anchor,
            outline.anchor,
            outline.anchor,
            outline.label()
        );
        self.text(&section.title);
        let _ = writeln!(
            self.out,
            "<a class=\"anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a></h{level}>",
            outline.anchor
        );
        for block in &section.blocks {
            self.block(block);
        }
        for (child, child_outline) in section.subsections.iter().zip(&outline.children) {
            self.section(child, child_outline);
        }
        self.raw("</section>\n");
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Paragraph(text) => {
                self.raw("<p>");
                self.inline(text);
                self.raw("</p>\n");
            }
            Block::KeyValues(items) => self.key_values(items),
            Block::Highlights(items) => self.highlights(items),
            Block::Figure(figure) => self.figure(figure),
            Block::FigureGrid(figures) => {
                self.raw("<div class=\"figure-grid\">\n");
                for figure in figures {
                    self.figure(figure);
                }
                self.raw("</div>\n");
            }
            Block::Table(table) => self.table(table),
            Block::Callout(callout) => self.callout(callout, false),
            Block::Methods(methods) => self.methods(methods),
            Block::Downloads(downloads) => self.downloads(downloads),
            Block::Code(code) => {
                self.tagged("<pre class=\"code\"><code>", code, "</code></pre>\n");
            }
        }
    }

    fn inline(&mut self, text: &Text) {
        for span in &text.spans {
            match span {
                Span::Plain(plain) => self.text(plain),
                Span::Emphasis(emphasis) => {
                    self.tagged("<em>", emphasis, "</em>");
                }
                Span::Strong(strong) => {
                    self.tagged("<strong>", strong, "</strong>");
                }
                Span::Code(code) => {
                    self.tagged("<code>", code, "</code>");
                }
                Span::Link { text, target } => {
                    self.tagged("<a href=\"", &link_href(target), "\">");
                    self.text(text);
                    self.raw("</a>");
                }
            }
        }
    }

    fn key_values(&mut self, items: &[KeyValue]) {
        self.raw("<dl class=\"key-values\">\n");
        for item in items {
            self.tagged("<div><dt>", &item.key, "</dt><dd>");
            self.inline(&item.value);
            self.raw("</dd></div>\n");
        }
        self.raw("</dl>\n");
    }

    fn highlights(&mut self, items: &[Highlight]) {
        self.raw("<div class=\"highlights\">\n");
        for item in items {
            self.tagged(
                "<div class=\"highlight\"><span class=\"highlight-value\">",
                &item.value,
                "</span><span class=\"highlight-label\">",
            );
            self.text(&item.label);
            self.raw("</span></div>\n");
        }
        self.raw("</div>\n");
    }

    fn callout(&mut self, callout: &Callout, banner: bool) {
        let (kind, default_title) = match callout.kind {
            CalloutKind::Note => ("note", "Note"),
            CalloutKind::Warning => ("warning", "Warning"),
        };
        let banner_class = if banner { " banner" } else { "" };
        let _ = write!(
            self.out,
            "<aside class=\"callout {kind}{banner_class}\" role=\"note\">\
             <p class=\"callout-title\">"
        );
        self.text(callout.title.as_deref().unwrap_or(default_title));
        self.raw("</p><p>");
        self.inline(&callout.text);
        self.raw("</p></aside>\n");
    }

    fn methods(&mut self, methods: &Methods) {
        self.raw("<div class=\"methods\">\n");
        for paragraph in &methods.paragraphs {
            self.raw("<p>");
            self.inline(paragraph);
            self.raw("</p>\n");
        }
        if !methods.references.is_empty() {
            self.raw("<p class=\"references-heading\">References</p>\n<ol class=\"references\">\n");
            for reference in &methods.references {
                self.raw("<li>");
                self.text(&reference.citation);
                if let Some(doi) = &reference.doi {
                    self.tagged(" <span class=\"doi\">doi:", doi, "</span>");
                }
                self.raw("</li>\n");
            }
            self.raw("</ol>\n");
        }
        self.raw("</div>\n");
    }

    fn downloads(&mut self, downloads: &[Download]) {
        self.raw("<ul class=\"downloads\">\n");
        for download in downloads {
            self.tagged("<li><a href=\"", &relative_href(&download.path), "\">");
            self.text(&download.label);
            self.tagged("</a> <code class=\"path\">", &download.path, "</code>");
            if let Some(description) = &download.description {
                self.tagged(
                    "<span class=\"download-description\">",
                    description,
                    "</span>",
                );
            }
            self.raw("</li>\n");
        }
        self.raw("</ul>\n");
    }

    fn figure(&mut self, figure: &Figure) {
        self.figures += 1;
        let anchor = self.anchors.claim(&format!("fig-{}", figure.name));
        let _ = writeln!(self.out, "<figure class=\"figure\" id=\"{anchor}\">");
        match figure.intrinsic_width() {
            Some(width) => {
                let _ = write!(
                    self.out,
                    "<div class=\"figure-svg\" style=\"--figure-width: {}px\">",
                    (width * FIGURE_SCREEN_SCALE).round()
                );
            }
            None => self.raw("<div class=\"figure-svg\">"),
        }
        self.raw(figure.svg());
        let _ = write!(
            self.out,
            "</div>\n<figcaption><span class=\"figure-label\">Figure {}.</span> ",
            self.figures
        );
        if let Some(title) = &figure.title {
            self.tagged("<strong>", title, "</strong> ");
        }
        self.inline(&figure.caption);
        if let Some(file) = &figure.file {
            self.tagged(
                " <a class=\"figure-file\" href=\"",
                &relative_href(file),
                "\">SVG file</a>",
            );
        }
        self.raw("</figcaption>\n</figure>\n");
    }

    fn table(&mut self, table: &Table) {
        self.tables += 1;
        let anchor = self.anchors.claim(&format!("tbl-{}", table.name()));
        let shown = table.shown_row_count();
        let total = table.row_count();
        let _ = writeln!(
            self.out,
            "<div class=\"table-block\" id=\"{anchor}\">\n<p class=\"table-caption\">\
             <span class=\"table-label\">Table {}.</span> ",
            self.tables
        );
        if let Some(caption) = table.caption_text() {
            self.inline(caption);
        }
        self.raw("</p>\n<div class=\"table-tools\">");
        let _ = write!(
            self.out,
            "<input type=\"search\" class=\"table-filter\" placeholder=\"Filter rows\" \
             aria-label=\"Filter the rows of table {}\" aria-controls=\"{anchor}-data\">",
            self.tables
        );
        let _ = write!(
            self.out,
            "<span class=\"table-count\" aria-live=\"polite\" data-shown=\"{shown}\" \
             data-total=\"{total}\" data-noun=\""
        );
        self.text(table.noun());
        self.raw("\">");
        let noun = escape_xml(table.noun()).into_owned();
        if shown < total {
            let _ = write!(
                self.out,
                "Showing the top {} of {} {noun}",
                group_thousands(shown),
                group_thousands(total)
            );
        } else {
            let _ = write!(self.out, "{} {noun}", group_thousands(total));
        }
        self.raw("</span>");
        if let Some(path) = table.full_table_path() {
            self.tagged(
                "<span class=\"table-full\">Full table: <a href=\"",
                &relative_href(path),
                "\">",
            );
            self.text(path.rsplit('/').next().unwrap_or(path));
            self.raw("</a></span>");
        }
        let _ = write!(
            self.out,
            "</div>\n<div class=\"table-scroll\">\n<table class=\"data-table\" id=\"{anchor}-data\">\n<thead><tr>"
        );
        for column in table.columns() {
            self.header_cell(column);
        }
        self.raw("</tr></thead>\n<tbody>\n");
        for row in 0..shown {
            self.raw("<tr>");
            for column in table.columns() {
                self.cell(&column.values, row);
            }
            self.raw("</tr>\n");
        }
        self.raw("</tbody>\n</table>\n</div>\n</div>\n");
    }

    fn header_cell(&mut self, column: &Column) {
        let kind = match column.values {
            ColumnValues::Text(_) => "text",
            ColumnValues::Number { .. } | ColumnValues::Integer(_) => "number",
            ColumnValues::PValue { .. } => "number p-value",
        };
        let _ = write!(
            self.out,
            "<th scope=\"col\" class=\"{kind}\" data-type=\"{}\" aria-sort=\"none\"",
            if kind == "text" { "text" } else { "number" }
        );
        if let Some(description) = &column.description {
            self.tagged(" title=\"", description, "\"");
        }
        self.tagged(
            "><button type=\"button\" class=\"sort\">",
            &column.header,
            "<span class=\"sort-mark\" aria-hidden=\"true\"></span></button></th>",
        );
    }

    fn cell(&mut self, values: &ColumnValues, row: usize) {
        match values {
            ColumnValues::Text(values) => {
                self.tagged("<td>", &values[row], "</td>");
            }
            ColumnValues::Number { values, sig_digits }
            | ColumnValues::PValue { values, sig_digits } => {
                let value = values[row];
                match data_value(value) {
                    Some(full) => {
                        let _ = write!(
                            self.out,
                            "<td class=\"number\" data-value=\"{full}\">{}</td>",
                            format_number(value, *sig_digits)
                        );
                    }
                    None => self.raw("<td class=\"number na\">NA</td>"),
                }
            }
            ColumnValues::Integer(values) => match values[row] {
                Some(value) => {
                    let _ = write!(
                        self.out,
                        "<td class=\"number\" data-value=\"{value}\">{value}</td>"
                    );
                }
                None => self.raw("<td class=\"number na\">NA</td>"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_ascii_and_hyphens() {
        assert_eq!(slug("Sample QC"), "sample-qc");
        assert_eq!(slug("condition: POEMS vs MM"), "condition-poems-vs-mm");
        assert_eq!(
            slug("\"><img src=x onerror=alert(1)>"),
            "img-src-x-onerror-alert-1"
        );
        assert_eq!(slug("Ökologie"), "kologie");
        assert_eq!(slug("<<>>"), "section");
    }

    #[test]
    fn duplicate_anchors_get_suffixes() {
        let mut anchors = Anchors::default();
        assert_eq!(anchors.claim("MA plot"), "ma-plot");
        assert_eq!(anchors.claim("MA plot"), "ma-plot-2");
        assert_eq!(anchors.claim("ma-plot-2"), "ma-plot-2-2");
        assert_eq!(anchors.claim("MA  plot!"), "ma-plot-3");
    }

    #[test]
    fn relative_links_cannot_leave_the_folder_root_or_name_a_scheme() {
        assert_eq!(
            relative_href("de/condition_POEMS_vs_MM/results.tsv"),
            "de/condition_POEMS_vs_MM/results.tsv"
        );
        assert_eq!(
            relative_href("javascript:alert(1)"),
            "javascript%3Aalert%281%29"
        );
        assert_eq!(relative_href("//evil.example/x"), "%2F%2Fevil.example/x");
        assert_eq!(relative_href("/etc/passwd"), "%2Fetc/passwd");
        assert_eq!(relative_href("a b#c?d\"e"), "a%20b%23c%3Fd%22e");
        assert_eq!(relative_href("Ö.tsv"), "%C3%96.tsv");
        assert_eq!(link_href("#Sample QC"), "#sample-qc");
    }
}

/// The fixed stylesheet and script, for the page-level tests.
#[cfg(test)]
pub(crate) mod tests_support {
    pub(crate) fn stylesheet() -> &'static str {
        super::STYLESHEET
    }

    pub(crate) fn script() -> &'static str {
        super::SCRIPT
    }
}
