//! Tests of the whole page: escaping of every kind of block, no external
//! URL, determinism, table attributes against `format_number`, unique
//! anchors and well-formed markup. `write_demo_report` (ignored) writes a
//! demo page for a look in a browser.

use std::collections::BTreeSet;

use super::markup::{tokenize, Token};
use super::*;

const SCRIPT_PAYLOAD: &str = "<script>alert(1)</script>";
const ATTRIBUTE_PAYLOAD: &str = "\"><img src=x onerror=alert(1)>";

/// Elements HTML closes by itself.
const VOID_ELEMENTS: &[&str] = &["meta", "input", "br", "hr", "img", "link"];

/// Start tags must be closed in order (void elements and `/>` aside); returns
/// every start tag's attributes for further checks.
fn check_well_formed(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let tokens = tokenize(html, &["script", "style"]).expect("page tokenizes");
    let mut open: Vec<String> = Vec::new();
    let mut starts = Vec::new();
    for token in tokens {
        match token {
            Token::Start {
                name,
                attributes,
                self_closing,
            } => {
                let lower = name.to_ascii_lowercase();
                starts.push((
                    lower.clone(),
                    attributes
                        .iter()
                        .map(|a| {
                            (
                                a.name.to_ascii_lowercase(),
                                a.value.unwrap_or("").to_string(),
                            )
                        })
                        .collect(),
                ));
                if !self_closing && !VOID_ELEMENTS.contains(&lower.as_str()) {
                    open.push(lower);
                }
            }
            Token::End { name } => {
                let lower = name.to_ascii_lowercase();
                assert_eq!(
                    open.pop().as_deref(),
                    Some(lower.as_str()),
                    "unbalanced </{name}>"
                );
            }
            Token::Text(_) | Token::Comment => {}
            Token::Declaration(declaration) => {
                assert_eq!(declaration, "DOCTYPE html", "unexpected declaration")
            }
        }
    }
    assert!(open.is_empty(), "unclosed elements: {open:?}");
    starts
}

fn escaped_svg(label: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 60\" width=\"100\" height=\"60\">\
         <circle cx=\"50\" cy=\"30\" r=\"4\" data-gene=\"{label}\"><title>{label}</title></circle>\
         <text x=\"5\" y=\"55\">{label}</text></svg>",
        label = crate::svg::escape_xml(label)
    )
}

/// A report with `payload` in every caller-supplied string.
fn report_with_everywhere(payload: &str) -> Report {
    let figure = Figure::new(payload, escaped_svg(payload), Text::from(payload))
        .unwrap()
        .title(payload)
        .file(Some(format!("figures/{payload}.svg")));
    let table = Table::new(
        payload,
        vec![
            Column::text(payload, vec![payload.to_string(), "VEGFA".to_string()])
                .description(payload),
            Column::number("log2FoldChange", vec![1.5, f64::NAN], 3),
            Column::p_value("padj", vec![1.234e-8, 0.5], 2),
            Column::integer("Count", vec![Some(3), None]),
        ],
    )
    .unwrap()
    .caption(payload)
    .row_noun(payload)
    .full_table(payload)
    .show_top(1);
    let text = Text::new()
        .plain(payload)
        .em(payload)
        .strong(payload)
        .code(payload)
        .link(payload, payload)
        .link(payload, format!("#{payload}"));
    Report::new(payload)
        .subtitle(payload)
        .notice(Callout::warning(payload).title(payload))
        .section(
            Section::new(payload)
                .id(payload)
                .paragraph(text.clone())
                .paragraph(Text::markup(&format!("*{payload}* `{payload}`")))
                .block(Block::KeyValues(vec![KeyValue::new(payload, payload)]))
                .block(Block::Highlights(vec![Highlight::new(payload, payload)]))
                .block(figure.clone())
                .block(Block::FigureGrid(vec![figure.clone(), figure]))
                .block(table)
                .block(Callout::note(text).title(payload))
                .block(
                    Methods::new()
                        .paragraph(payload)
                        .reference(Reference::new(payload).doi(payload)),
                )
                .block(Block::Downloads(vec![
                    Download::new(payload, payload).description(payload)
                ]))
                .block(Block::Code(payload.to_string()))
                .subsection(Section::new(payload).paragraph(payload)),
        )
        .footer(payload)
}

#[test]
fn payloads_appear_only_as_text_in_every_block() {
    for payload in [SCRIPT_PAYLOAD, ATTRIBUTE_PAYLOAD] {
        let html = render(&report_with_everywhere(payload));
        assert!(!html.contains(payload), "raw payload {payload} in the page");
        assert!(!html.contains("<img"), "an <img> element was injected");
        assert_eq!(html.matches("<script").count(), 1, "only the page's script");
        let escaped = crate::svg::escape_xml(payload);
        assert!(
            html.matches(escaped.as_ref()).count() > 30,
            "payload text is shown"
        );
        for (element, attributes) in check_well_formed(&html) {
            assert_ne!(element, "img");
            for (name, value) in attributes {
                assert!(
                    !name.starts_with("on"),
                    "event handler {name} on <{element}>"
                );
                assert!(
                    !value.contains('<') && !value.contains('"'),
                    "{name}={value}"
                );
                if name == "id" {
                    assert!(
                        value
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                        "id {value:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn payload_in_script_block_cannot_close_it() {
    // Nothing caller-supplied is written into the script; it holds only the
    // fixed code, which itself never closes the block early.
    assert!(!render::tests_support::script()
        .to_ascii_lowercase()
        .contains("</script"));
    assert!(!render::tests_support::stylesheet()
        .to_ascii_lowercase()
        .contains("</style"));
    let html = render(&report_with_everywhere(SCRIPT_PAYLOAD));
    let script_start = html.find("<script>").unwrap();
    let script = &html[script_start..html.find("</script>").unwrap()];
    assert!(!script.contains("alert(1)"));
}

fn all_references(html: &str) -> Vec<String> {
    check_well_formed(html)
        .into_iter()
        .flat_map(|(_, attributes)| attributes)
        .filter(|(name, _)| matches!(name.as_str(), "href" | "src" | "xlink:href" | "action"))
        .map(|(_, value)| value)
        .collect()
}

#[test]
fn page_has_no_external_url_and_loads_nothing() {
    let html = render(&demo_report());
    assert!(!html.contains("http:") && !html.contains("https:"));
    assert!(
        !html.contains("//"),
        "no protocol-relative URL or comment markers"
    );
    for reference in all_references(&html) {
        assert!(
            !reference.contains(':') && !reference.starts_with('/'),
            "reference {reference}"
        );
    }
    let css = render::tests_support::stylesheet();
    assert!(!css.contains("url(") && !css.contains("@import"));
    let js = render::tests_support::script();
    for forbidden in [
        "fetch(",
        "XMLHttpRequest",
        "innerHTML",
        "outerHTML",
        "eval(",
        "import(",
        "document.write",
    ] {
        assert!(!js.contains(forbidden), "script uses {forbidden}");
    }
    // Hostile link targets stay relative.
    let html = render(&report_with_everywhere("//evil.example/x:y"));
    for reference in all_references(&html) {
        assert!(
            !reference.contains(':') && !reference.starts_with('/'),
            "{reference}"
        );
    }
}

#[test]
fn rendering_is_deterministic() {
    let first = render(&demo_report());
    let second = render(&demo_report());
    assert_eq!(first, second);
    assert_eq!(
        render(&report_with_everywhere(SCRIPT_PAYLOAD)),
        render(&report_with_everywhere(SCRIPT_PAYLOAD))
    );
}

#[test]
fn table_cells_show_format_number_and_keep_the_full_value() {
    let log2_fold_changes = vec![2.7211, -0.000012345678, f64::NAN, 1234.5, 0.0];
    let padj = vec![1.2345678e-8, 0.049999, 1.0, f64::NAN, 2.2e-308];
    let table = Table::new(
        "de",
        vec![
            Column::text("gene", (1..=5).map(|i| format!("G{i}")).collect()),
            Column::number("log2FoldChange", log2_fold_changes.clone(), 3),
            Column::p_value("padj", padj.clone(), 2),
            Column::integer("Count", vec![Some(1), Some(-2), None, Some(40), Some(5)]),
        ],
    )
    .unwrap()
    .row_noun("genes");
    let html = render(&Report::new("t").section(Section::new("s").block(table)));
    assert!(html.contains(r#"<th scope="col" class="text" data-type="text" aria-sort="none">"#));
    assert!(html.contains(
        r#"<th scope="col" class="number p-value" data-type="number" aria-sort="none">"#
    ));
    let tokens = tokenize(&html, &["script", "style"]).unwrap();
    let mut cells: Vec<(Option<String>, String)> = Vec::new();
    for (index, token) in tokens.iter().enumerate() {
        if let Token::Start {
            name: "td",
            attributes,
            ..
        } = token
        {
            let value = attributes
                .iter()
                .find(|a| a.name == "data-value")
                .and_then(|a| a.value.map(str::to_string));
            let Token::Text(text) = &tokens[index + 1] else {
                panic!("empty cell")
            };
            cells.push((value, text.to_string()));
        }
    }
    assert_eq!(cells.len(), 20);
    for row in 0..5 {
        let (full, shown) = &cells[row * 4 + 1];
        let x = log2_fold_changes[row];
        assert_eq!(shown, &format_number(x, 3));
        match full {
            Some(full) => assert_eq!(full.parse::<f64>().unwrap(), x),
            None => assert!(x.is_nan()),
        }
        let (full, shown) = &cells[row * 4 + 2];
        assert_eq!(shown, &format_number(padj[row], 2));
        assert_eq!(
            full.as_deref().map(|v| v.parse::<f64>().unwrap()),
            (!padj[row].is_nan()).then_some(padj[row])
        );
    }
    assert_eq!(cells[1].1, "2.72");
    assert_eq!(cells[2].1, "1.2e-08");
    assert_eq!(cells[6].1, "0.05");
    assert_eq!(cells[11], (None, "NA".to_string()));
    assert_eq!(cells[7], (Some("-2".to_string()), "-2".to_string()));
    assert!(html.contains(">5 genes</span>"));
}

#[test]
fn truncated_tables_say_so_and_link_the_full_table() {
    let genes: Vec<String> = (0..1500).map(|i| format!("GENE{i}")).collect();
    let table = Table::new("de", vec![Column::text("gene", genes)])
        .unwrap()
        .show_top(300)
        .full_table("de/condition_POEMS_vs_MM/results.tsv")
        .row_noun("genes");
    assert_eq!((table.row_count(), table.shown_row_count()), (1500, 300));
    let html = render(&Report::new("t").section(Section::new("s").block(table)));
    assert_eq!(html.matches("<tr>").count(), 301);
    assert!(html.contains("Showing the top 300 of 1,500 genes"));
    assert!(html
        .contains(r#"Full table: <a href="de/condition_POEMS_vs_MM/results.tsv">results.tsv</a>"#));
    assert!(html.contains(r#"data-shown="300" data-total="1500" data-noun="genes""#));
}

#[test]
fn anchors_are_unique_and_duplicate_titles_get_suffixes() {
    let contrast = |name: &str| {
        Section::new(name)
            .subsection(Section::new("MA plot"))
            .subsection(Section::new("Volcano plot").subsection(Section::new("Deep")))
    };
    let report = Report::new("t")
        .section(Section::new("Overview"))
        .section(contrast("Contrast"))
        .section(contrast("Contrast"))
        .section(Section::new("Main").id("osteon-main"));
    let html = render(&report);
    let ids: Vec<String> = check_well_formed(&html)
        .into_iter()
        .flat_map(|(_, attributes)| attributes)
        .filter(|(name, _)| name == "id")
        .map(|(_, value)| value)
        .collect();
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    for expected in [
        "contrast",
        "contrast-2",
        "ma-plot",
        "ma-plot-2",
        "volcano-plot-2",
        "osteon-main-2",
    ] {
        assert!(ids.iter().any(|id| id == expected), "{expected} in {ids:?}");
    }
    assert!(html.contains(r##"<a href="#ma-plot-2"><span class="secno">3.1</span>MA plot</a>"##));
    // The third level is numbered in the text but not listed in the contents.
    assert!(html.contains(r#"<span class="secno">2.2.1</span>Deep"#));
    assert!(!html.contains(r##"<a href="#deep">"##));
    // Every contents link points at an element of the page.
    let targets: Vec<String> = all_references(&html)
        .into_iter()
        .filter_map(|href| href.strip_prefix('#').map(str::to_string))
        .collect();
    for target in targets {
        assert!(unique.contains(&target), "#{target} has no element");
    }
}

#[test]
fn pages_without_optional_parts_are_well_formed() {
    let html = render(&Report::new("Empty"));
    check_well_formed(&html);
    assert!(html.contains("<title>Empty</title>"));
    assert_eq!(render(&Report::default()), render(&Report::new("")));
}

#[test]
fn invalid_figures_and_tables_are_errors_naming_them() {
    let error = Figure::new("volcano", "<svg onload=\"x\"></svg>", "c").unwrap_err();
    assert_eq!(
        error.to_string(),
        "figure `volcano`: SVG refused: attribute `onload` on <svg> is an event handler"
    );
    let error = Table::new(
        "de",
        vec![
            Column::text("gene", vec!["A".into(), "B".into()]),
            Column::number("padj", vec![0.1], 3),
        ],
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "table `de`: column `padj` has 1 values but column `gene` has 2"
    );
    assert_eq!(
        Table::new("de", vec![]).unwrap_err(),
        HtmlError::NoColumns { table: "de".into() }
    );
}

#[test]
fn figures_embed_the_checked_svg_with_caption_and_file_link() {
    let figure = Figure::new(
        "volcano_POEMS_vs_MM",
        escaped_svg("VEGFA"),
        Text::markup("Top genes *labelled*."),
    )
    .unwrap()
    .title("Volcano plot.");
    assert_eq!(
        figure.file.as_deref(),
        Some("figures/volcano_POEMS_vs_MM.svg")
    );
    let html = render(&Report::new("t").section(Section::new("s").block(figure.clone())));
    assert!(html.contains(figure.svg()));
    assert!(figure.svg().starts_with("<svg viewBox="));
    assert!(html.contains(
        "<figcaption><span class=\"figure-label\">Figure 1.</span> <strong>Volcano plot.</strong> \
         Top genes <em>labelled</em>. <a class=\"figure-file\" href=\"figures/volcano_POEMS_vs_MM.svg\">SVG file</a></figcaption>"
    ));
    let without_file = figure.file(None);
    let html = render(&Report::new("t").section(Section::new("s").block(without_file)));
    assert!(!html.contains("class=\"figure-file\""));
}

#[test]
fn markup_reads_emphasis_strong_and_code_only() {
    assert_eq!(
        Text::markup("**DESeq2** fits *VEGFA* with `~ condition`; 2 * 3 stays").spans,
        vec![
            Span::Strong("DESeq2".into()),
            Span::Plain(" fits ".into()),
            Span::Emphasis("VEGFA".into()),
            Span::Plain(" with ".into()),
            Span::Code("~ condition".into()),
            Span::Plain("; 2 * 3 stays".into()),
        ]
    );
    assert_eq!(
        Text::markup("a ** b").spans,
        vec![Span::Plain("a ** b".into())]
    );
    assert_eq!(Text::markup("").spans, vec![]);
    assert_eq!(Text::markup("*x*").to_plain_string(), "x");
}

// ---------------------------------------------------------------------------
// Demo page

/// Deterministic numbers for the demo's fake data.
struct Lcg(u64);

impl Lcg {
    fn uniform(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform().max(1e-300), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

const PLANTED: &[&str] = &[
    "VEGFA", "RUNX2", "SP7", "BGLAP", "SPP1", "IBSP", "COL1A1", "ALPL",
];

struct FakeGene {
    id: String,
    symbol: String,
    base_mean: f64,
    log2_fold_change: f64,
    lfc_se: f64,
    pvalue: f64,
    padj: f64,
}

fn fake_results() -> Vec<FakeGene> {
    let mut random = Lcg(42);
    let mut genes: Vec<FakeGene> = (0..2000)
        .map(|i| {
            let planted = PLANTED.get(i).copied();
            let symbol = planted.map_or_else(|| format!("GENE{i}"), str::to_string);
            let log2_fold_change = if planted.is_some() {
                2.0 + random.uniform() * 2.5
            } else {
                random.normal() * 0.6
            };
            let lfc_se = 0.25 + random.uniform() * 0.4;
            let z = (log2_fold_change / lfc_se).abs();
            // Two-sided normal tail, close enough for a picture.
            let pvalue = (0.5 * (-z * z / 2.0).exp() / (1.0 + 0.33 * z)).min(1.0) * 2.0;
            FakeGene {
                id: format!("ENSG{:011}", 100_000 + i * 7),
                symbol,
                base_mean: (random.normal() * 1.6 + 5.5).exp(),
                log2_fold_change,
                lfc_se,
                pvalue: pvalue.min(1.0),
                padj: f64::NAN,
            }
        })
        .collect();
    genes[17].pvalue = f64::NAN;
    let mut order: Vec<usize> = (0..genes.len())
        .filter(|&i| !genes[i].pvalue.is_nan())
        .collect();
    order.sort_by(|&a, &b| genes[a].pvalue.total_cmp(&genes[b].pvalue));
    let m = order.len() as f64;
    let mut running = 1.0f64;
    for (rank, &index) in order.iter().enumerate().rev() {
        running = running.min(genes[index].pvalue * m / (rank + 1) as f64);
        genes[index].padj = running;
    }
    genes.sort_by(|a, b| a.padj.total_cmp(&b.padj));
    // An NA inside the rows shown, to see it sort last both ways.
    genes[3].lfc_se = f64::NAN;
    genes
}

fn volcano_svg(genes: &[FakeGene]) -> String {
    let (width, height, left, bottom, top, right) = (640.0, 420.0, 62.0, 50.0, 20.0, 20.0);
    let x_scale = |x: f64| left + (x + 5.0) / 10.0 * (width - left - right);
    let y_scale = |y: f64| height - bottom - y / 16.0 * (height - top - bottom);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\
         <title>Volcano plot</title><rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>"
    );
    for tick in [-4, -2, 0, 2, 4] {
        let x = x_scale(tick as f64);
        svg += &format!(
            "<line x1=\"{x}\" x2=\"{x}\" y1=\"{top}\" y2=\"{}\" stroke=\"#eee\"/><text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{tick}</text>",
            height - bottom,
            height - bottom + 18.0
        );
    }
    for tick in [0, 4, 8, 12, 16] {
        let y = y_scale(tick as f64);
        svg += &format!(
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#eee\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{tick}</text>",
            width - right,
            left - 8.0,
            y + 4.0
        );
    }
    for gene in genes.iter().filter(|g| !g.padj.is_nan()) {
        let y = (-gene.pvalue.log10()).min(16.0);
        let colour = if gene.padj < 0.1 && gene.log2_fold_change > 0.0 {
            "#c0392b"
        } else if gene.padj < 0.1 {
            "#2471a3"
        } else {
            "#9aa3ad"
        };
        svg += &format!(
            "<circle cx=\"{:.2}\" cy=\"{:.2}\" r=\"2.6\" fill=\"{colour}\" fill-opacity=\"0.75\"><title>{} ({})\nlog2FC {} · padj {}</title></circle>",
            x_scale(gene.log2_fold_change.clamp(-5.0, 5.0)),
            y_scale(y),
            crate::svg::escape_xml(&gene.symbol),
            gene.id,
            format_number(gene.log2_fold_change, 3),
            format_number(gene.padj, 2)
        );
    }
    for gene in genes.iter().take(8) {
        svg += &format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" font-style=\"italic\">{}</text>",
            x_scale(gene.log2_fold_change.clamp(-5.0, 5.0)) + 5.0,
            y_scale((-gene.pvalue.log10()).min(16.0)) - 4.0,
            crate::svg::escape_xml(&gene.symbol)
        );
    }
    svg += &format!(
        "<line x1=\"{left}\" x2=\"{left}\" y1=\"{top}\" y2=\"{0}\" stroke=\"#333\"/><line x1=\"{left}\" x2=\"{1}\" y1=\"{0}\" y2=\"{0}\" stroke=\"#333\"/>\
         <text x=\"{2}\" y=\"{3}\" text-anchor=\"middle\" font-size=\"13\">log2 fold change (POEMS vs MM)</text>\
         <text transform=\"translate(18 {4}) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">−log10 p-value</text></svg>",
        height - bottom,
        width - right,
        (left + width - right) / 2.0,
        height - 10.0,
        (top + height - bottom) / 2.0
    );
    svg
}

fn bar_svg(title: &str, labels: &[String], values: &[f64]) -> String {
    let (width, height) = (420.0, 260.0);
    let maximum = values.iter().copied().fold(0.0f64, f64::max);
    let step = (width - 60.0) / labels.len() as f64;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\"><rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\
         <text x=\"{}\" y=\"16\" text-anchor=\"middle\" font-size=\"13\">{}</text>",
        width / 2.0,
        crate::svg::escape_xml(title)
    );
    for (index, (label, value)) in labels.iter().zip(values).enumerate() {
        let bar = value / maximum * (height - 80.0);
        let x = 50.0 + index as f64 * step;
        svg += &format!(
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bar:.1}\" fill=\"{}\"><title>{}: {}</title></rect>\
             <text transform=\"translate({:.1} {}) rotate(-45)\" text-anchor=\"end\">{}</text>",
            height - 50.0 - bar,
            step * 0.7,
            if index < 9 { "#1d5e8c" } else { "#d08f00" },
            crate::svg::escape_xml(label),
            format_number(*value, 3),
            x + step * 0.35,
            height - 42.0,
            crate::svg::escape_xml(label)
        );
    }
    svg + "</svg>"
}

fn demo_report() -> Report {
    let genes = fake_results();
    let samples: Vec<String> = (1..=9)
        .map(|i| format!("POEMS_{i}"))
        .chain((1..=3).map(|i| format!("MM_{i}")))
        .chain(std::iter::once(SCRIPT_PAYLOAD.to_string()))
        .collect();
    let mut random = Lcg(7);
    let library_sizes: Vec<f64> = samples
        .iter()
        .map(|_| 18.0 + random.uniform() * 9.0)
        .collect();
    let size_factors: Vec<f64> = library_sizes.iter().map(|size| size / 22.0).collect();
    let significant = genes.iter().filter(|g| g.padj < 0.1).count();
    let up = genes
        .iter()
        .filter(|g| g.padj < 0.1 && g.log2_fold_change > 0.0)
        .count();
    let contrast_dir = "de/condition_POEMS_vs_MM";

    let de_table = Table::new(
        "de_condition_POEMS_vs_MM",
        vec![
            Column::text("gene", genes.iter().map(|g| g.id.clone()).collect()),
            Column::text("symbol", genes.iter().map(|g| g.symbol.clone()).collect()),
            Column::number("baseMean", genes.iter().map(|g| g.base_mean).collect(), 4)
                .description("Mean of normalised counts over all samples"),
            Column::number(
                "log2FoldChange",
                genes.iter().map(|g| g.log2_fold_change).collect(),
                3,
            )
            .description("log2 fold change, POEMS over MM"),
            Column::number("lfcSE", genes.iter().map(|g| g.lfc_se).collect(), 3),
            Column::p_value("pvalue", genes.iter().map(|g| g.pvalue).collect(), 2),
            Column::p_value("padj", genes.iter().map(|g| g.padj).collect(), 2)
                .description("Benjamini–Hochberg adjusted p-value"),
        ],
    )
    .unwrap()
    .caption(Text::markup(
        "Genes ordered by adjusted p-value. Click a header to sort; NA sorts last.",
    ))
    .show_top(300)
    .full_table(format!("{contrast_dir}/results.tsv"))
    .row_noun("genes");

    let terms = [
        ("GO:0001503", "ossification", 41, 1.2e-9),
        ("GO:0001649", "osteoblast differentiation", 28, 3.4e-7),
        ("GO:0030282", "bone mineralization", 19, 2.1e-5),
        ("GO:0001525", "angiogenesis", 33, 8.8e-4),
        ("GO:0060348", "bone development", 25, 0.0021),
        (
            "GO:0045667",
            "regulation of osteoblast differentiation",
            17,
            0.013,
        ),
    ];
    let enrichment_table = Table::new(
        "go_up",
        vec![
            Column::text("ID", terms.iter().map(|t| t.0.to_string()).collect()),
            Column::text(
                "Description",
                terms.iter().map(|t| t.1.to_string()).collect(),
            ),
            Column::integer("Count", terms.iter().map(|t| Some(t.2)).collect()),
            Column::p_value("p.adjust", terms.iter().map(|t| t.3).collect(), 2),
        ],
    )
    .unwrap()
    .caption("GO biological processes over-represented among up-regulated genes (padj < 0.1).")
    .row_noun("terms")
    .full_table("enrichment/condition_POEMS_vs_MM/up/ora.tsv");

    let volcano = Figure::new("volcano_condition_POEMS_vs_MM", volcano_svg(&genes), Text::markup(
        "Each point is a gene; red: up in POEMS, blue: down (padj < 0.1). The eight genes with the smallest adjusted p-values are labelled. Hover a point for its name.",
    ))
    .unwrap()
    .title("Volcano plot.");
    let sizes = Figure::new(
        "library_sizes",
        bar_svg("Library size (millions of reads)", &samples, &library_sizes),
        "Total counts per sample; POEMS in blue, MM in amber.",
    )
    .unwrap()
    .title("Library sizes.");
    let factors = Figure::new(
        "size_factors",
        bar_svg("Size factor", &samples, &size_factors),
        "DESeq2 median-of-ratios size factors.",
    )
    .unwrap()
    .title("Size factors.");

    let overview = Section::new("Overview")
        .paragraph(Text::markup(
            "Differential expression between bone-marrow stromal cells of patients with POEMS syndrome (n = 9) and multiple myeloma (n = 3), followed by GO enrichment of the genes found up and down.",
        ))
        .block(Block::Highlights(vec![
            Highlight::new("12", "samples (9 POEMS, 3 MM)"),
            Highlight::new("2,000", "genes tested"),
            Highlight::new(significant.to_string(), "genes at padj < 0.1"),
            Highlight::new(up.to_string(), "of them up in POEMS"),
        ]))
        .block(Block::KeyValues(vec![
            KeyValue::new("Design", Text::new().code("~ condition")),
            KeyValue::new("Contrast", Text::new().code("condition, POEMS, MM").plain(" (log2 fold change POEMS over MM)")),
            KeyValue::new("Counts", Text::new().code("examples/stroma/counts.tsv").plain(" · 2,000 genes × 12 samples")),
            KeyValue::new("Enrichment", "GO biological process (release 2024-01-17), ORA per direction"),
        ]))
        .block(Callout::note(Text::new().plain("One sample is named ").code(SCRIPT_PAYLOAD).plain(" to show that names from input files are escaped.")));

    let qc = Section::new("Sample QC")
        .paragraph("Library sizes and size factors before testing; a sample far from the others would show here.")
        .block(Block::FigureGrid(vec![sizes, factors]))
        .block(Callout::warning("Sample MM_2 has the smallest library (1.5 times below the median)."));

    let contrast = Section::new("POEMS vs MM")
        .id("contrast-condition-poems-vs-mm")
        .block(Block::KeyValues(vec![
            KeyValue::new(
                "Genes with padj < 0.1",
                format!("{significant} ({up} up, {} down)", significant - up),
            ),
            KeyValue::new(
                "Independent filtering",
                "mean-count threshold 2.31 (genes below get padj NA)",
            ),
        ]))
        .subsection(Section::new("Volcano plot").block(volcano))
        .subsection(Section::new("Genes").block(de_table))
        .subsection(Section::new("Files").block(Block::Downloads(vec![
            Download::new("Results table", format!("{contrast_dir}/results.tsv"))
                .description("All genes: baseMean, log2FoldChange, lfcSE, stat, pvalue, padj."),
            Download::new("Normalised counts", format!("{contrast_dir}/normalized_counts.tsv")),
            Download::new("Volcano plot (SVG)", "figures/volcano_condition_POEMS_vs_MM.svg"),
        ])));

    let enrichment = Section::new("Enrichment")
        .subsection(
            Section::new("Up in POEMS")
                .block(enrichment_table)
                .block(Callout::note(Text::markup(
                    "The planted *ossification* signal is recovered as the top term.",
                ))),
        )
        .subsection(Section::new("Down in POEMS").paragraph("No term reached p.adjust < 0.05."));

    let methods = Section::new("Methods").block(
        Methods::new()
            .paragraph(Text::markup(
                "Counts were analysed with Osteon 0.1.0, which reproduces DESeq2 1.38.3 [1]: size factors by the median-of-ratios method, parametric dispersion trend, Wald test of `condition POEMS vs MM`. P-values were adjusted by Benjamini and Hochberg [2]. GO over-representation used the elim algorithm of topGO [3].",
            ))
            .reference(
                Reference::new("Love MI, Huber W, Anders S (2014). Moderated estimation of fold change and dispersion for RNA-seq data with DESeq2. Genome Biology 15:550.")
                    .doi("10.1186/s13059-014-0550-8"),
            )
            .reference(
                Reference::new("Benjamini Y, Hochberg Y (1995). Controlling the false discovery rate: a practical and powerful approach to multiple testing. J R Stat Soc B 57:289–300.")
                    .doi("10.1111/j.2517-6161.1995.tb02031.x"),
            )
            .reference(
                Reference::new("Alexa A, Rahnenführer J, Lengauer T (2006). Improved scoring of functional groups from gene expression data by decorrelating GO graph structure. Bioinformatics 22:1600–1607.")
                    .doi("10.1093/bioinformatics/btl140"),
            ),
    );

    let study = Section::new("Study file").block(Block::Code(
        "[rnaseq]\ncounts = \"counts.tsv\"\nsamples = \"samples.csv\"\ndesign = \"~ condition\"\ncontrasts = [[\"condition\", \"POEMS\", \"MM\"]]\ngenes_of_interest = [\"VEGFA\"]\n".to_string(),
    ));

    Report::new("Stromal cells: POEMS syndrome vs multiple myeloma")
        .subtitle("Osteon 0.1.0 · study examples/stroma/study.toml · 12 samples, 2,000 genes")
        .notice(
            Callout::warning(Text::markup(
                "These data are simulated by a seeded negative-binomial generator. Ossification and osteoblast-differentiation genes (*RUNX2*, *SP7*, *BGLAP*, *SPP1*, *IBSP*, *COL1A1*, *ALPL*) and *VEGFA* were planted as up-regulated in POEMS; nothing here is a biological finding.",
            ))
            .title("Simulated data"),
        )
        .section(overview)
        .section(qc)
        .section(contrast)
        .section(enrichment)
        .section(methods)
        .section(study)
        .footer(Text::new().plain("Generated by Osteon 0.1.0. Figures are also in ").code("figures/").plain(" as standalone SVG files."))
}

#[test]
fn demo_report_is_well_formed() {
    let html = render(&demo_report());
    check_well_formed(&html);
    assert_eq!(html.matches("<figure ").count(), 3);
    assert!(html.contains("Showing the top 300 of 2,000 genes"));
}

/// Writes the demo page to `$OSTEON_HTML_DEMO` (default: a file in the
/// temporary folder) for a look in a browser:
/// `OSTEON_HTML_DEMO=/tmp/demo.html cargo test -p osteon-report write_demo_report -- --ignored`
/// then `crates/osteon-report/tests/browser_check.sh /tmp/demo.html /tmp/demo.png`.
#[test]
#[ignore]
fn write_demo_report() {
    let path = std::env::var_os("OSTEON_HTML_DEMO")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("osteon-html-demo.html"));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, render(&demo_report())).unwrap();
    // Beside it: a page with nothing optional (the script must not throw)
    // and one with hostile names everywhere (an injected <img> would show
    // as a failed load in the browser check).
    let stem = path.with_extension("");
    std::fs::write(
        stem.with_extension("empty.html"),
        render(&Report::new("Empty")),
    )
    .unwrap();
    std::fs::write(
        stem.with_extension("payloads.html"),
        render(&report_with_everywhere(ATTRIBUTE_PAYLOAD)),
    )
    .unwrap();
    eprintln!("wrote {} and its .empty/.payloads siblings", path.display());
}
