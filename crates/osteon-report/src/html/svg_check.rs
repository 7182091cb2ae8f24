//! The check a caller's SVG passes before it is embedded in the report, and
//! the normalised copy that is embedded. The SVG is tokenized, checked
//! against a list of drawing elements and local-only references, and
//! written back from its tokens (comments and the XML prolog dropped, every
//! attribute double-quoted), so the page holds exactly what was checked.

use super::markup::{find_ascii_case_insensitive, tokenize, Attribute, Token};

/// Elements a figure may use: shapes, text, grouping, paint servers,
/// clipping and simple filters. Anything else (script, foreignObject,
/// animation, HTML elements that would break out of SVG) is refused.
const ALLOWED_ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "defs",
    "symbol",
    "use",
    "title",
    "desc",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textpath",
    "clippath",
    "mask",
    "pattern",
    "marker",
    "lineargradient",
    "radialgradient",
    "stop",
    "image",
    "style",
    "filter",
    "feblend",
    "fecolormatrix",
    "fecomposite",
    "fedropshadow",
    "feflood",
    "fegaussianblur",
    "femerge",
    "femergenode",
    "femorphology",
    "feoffset",
];

/// Raster images an `<image>` may carry inline.
const ALLOWED_DATA_IMAGES: &[&str] = &[
    "data:image/png;",
    "data:image/jpeg;",
    "data:image/gif;",
    "data:image/webp;",
];

/// Checks `svg` and returns the copy to embed, or why it was refused.
pub(crate) fn inline_svg(svg: &str) -> Result<String, String> {
    let tokens = tokenize(svg, &[]).map_err(|error| format!("cannot be read: {error}"))?;
    let mut output = String::with_capacity(svg.len());
    let mut open: Vec<&str> = Vec::new();
    let mut root_closed = false;
    let mut in_style = false;
    for token in &tokens {
        match token {
            Token::Comment => {}
            Token::Declaration(declaration) => {
                let is_xml_prolog = declaration.starts_with("xml ") || *declaration == "xml?";
                if !(open.is_empty() && !root_closed && is_xml_prolog) {
                    return Err(format!(
                        "declaration `<!{}…>`/`<?…?>` is not allowed here",
                        declaration.chars().take(20).collect::<String>()
                    ));
                }
            }
            Token::Text(text) => {
                if open.is_empty() {
                    if !text.trim().is_empty() {
                        return Err("text outside the <svg> element".to_string());
                    }
                    continue;
                }
                if in_style {
                    check_css(text)?;
                }
                output.push_str(text);
            }
            Token::Start {
                name,
                attributes,
                self_closing,
            } => {
                if root_closed {
                    return Err(format!("<{name}> after the end of the <svg> element"));
                }
                let lower = name.to_ascii_lowercase();
                if open.is_empty() && lower != "svg" {
                    return Err(format!("the root element is <{name}>, not <svg>"));
                }
                if !ALLOWED_ELEMENTS.contains(&lower.as_str()) {
                    return Err(format!("element <{name}> is not allowed in a figure"));
                }
                output.push('<');
                output.push_str(name);
                for attribute in attributes {
                    check_attribute(&lower, attribute)?;
                    if open.is_empty() && is_namespace_declaration(attribute.name) {
                        continue;
                    }
                    push_attribute(&mut output, attribute);
                }
                if *self_closing {
                    output.push_str("/>");
                    if open.is_empty() {
                        root_closed = true;
                    }
                } else {
                    output.push('>');
                    in_style = lower == "style";
                    open.push(name);
                }
            }
            Token::End { name } => {
                match open.pop() {
                    Some(opened) if opened.eq_ignore_ascii_case(name) => {}
                    Some(opened) => {
                        return Err(format!("</{name}> closes <{opened}>"));
                    }
                    None => return Err(format!("</{name}> without a start tag")),
                }
                in_style = false;
                output.push_str("</");
                output.push_str(name);
                output.push('>');
                if open.is_empty() {
                    root_closed = true;
                }
            }
        }
    }
    if let Some(unclosed) = open.last() {
        return Err(format!("<{unclosed}> is never closed"));
    }
    if !root_closed {
        return Err("there is no <svg> element".to_string());
    }
    Ok(output)
}

/// The width the SVG asks for, in CSS pixels: its root `width` when that is
/// a plain or `px` number, else the width of its `viewBox`.
pub(crate) fn intrinsic_width(svg: &str) -> Option<f64> {
    let tokens = tokenize(svg, &[]).ok()?;
    let attributes = tokens.iter().find_map(|token| match token {
        Token::Start { attributes, .. } => Some(attributes),
        _ => None,
    })?;
    let value_of = |wanted: &str| {
        attributes
            .iter()
            .find(|attribute| attribute.name.eq_ignore_ascii_case(wanted))
            .and_then(|attribute| attribute.value)
    };
    let from_width = value_of("width").and_then(|width| {
        let width = width.trim();
        width
            .strip_suffix("px")
            .unwrap_or(width)
            .trim()
            .parse::<f64>()
            .ok()
    });
    let from_view_box = || {
        let view_box = value_of("viewBox")?;
        let mut numbers = view_box
            .split(|c: char| c.is_ascii_whitespace() || c == ',')
            .filter(|part| !part.is_empty());
        numbers.nth(2)?.parse::<f64>().ok()
    };
    from_width
        .or_else(from_view_box)
        .filter(|width| width.is_finite() && *width > 0.0)
}

fn is_namespace_declaration(name: &str) -> bool {
    name == "xmlns" || name.starts_with("xmlns:")
}

/// Refuses event handlers, non-local references and anything an entity
/// could hide them in.
fn check_attribute(element: &str, attribute: &Attribute<'_>) -> Result<(), String> {
    let name = attribute.name;
    let lower = name.to_ascii_lowercase();
    let value = attribute.value.unwrap_or("");
    let refuse = |why: &str| Err(format!("attribute `{name}` on <{element}> {why}"));
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-' | b'.'))
    {
        return refuse("has an unusual name");
    }
    if lower.starts_with("on") {
        return refuse("is an event handler");
    }
    if is_namespace_declaration(&lower) {
        return Ok(());
    }
    if lower == "href" || lower.ends_with(":href") {
        let local = value.starts_with('#') && !value.contains('&');
        let raster = element == "image"
            && ALLOWED_DATA_IMAGES
                .iter()
                .any(|prefix| value.starts_with(prefix))
            && !value.contains('&');
        return if local || raster {
            Ok(())
        } else {
            refuse("must refer to `#id` in the figure")
        };
    }
    if lower.starts_with("data-") || lower.starts_with("aria-") {
        // Text for people and for the tooltip script, never a URL or CSS.
        return Ok(());
    }
    let Some(decoded) = decode_references(value) else {
        return refuse("contains a character reference other than `&#…;`, `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`");
    };
    check_css(&decoded).map_err(|why| format!("attribute `{name}` on <{element}>: {why}"))
}

/// `value` with numeric and the five XML character references decoded, as
/// a browser reads it; `None` for any other `&` (HTML knows many more named
/// references, such as `&colon;`, that could hide a URL scheme).
fn decode_references(value: &str) -> Option<String> {
    if !value.contains('&') {
        return Some(value.to_string());
    }
    let mut decoded = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(start) = rest.find('&') {
        decoded.push_str(&rest[..start]);
        let end = rest[start..].find(';')? + start;
        let name = &rest[start + 1..end];
        let character = match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) =
                    name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"))
                {
                    u32::from_str_radix(hex, 16).ok()?
                } else {
                    name.strip_prefix('#')?.parse().ok()?
                };
                char::from_u32(code)?
            }
        };
        decoded.push(character);
        rest = &rest[end + 1..];
    }
    decoded.push_str(rest);
    Some(decoded)
}

/// Refuses CSS (a `style` element or attribute, or a presentation
/// attribute) that could load or run anything.
fn check_css(css: &str) -> Result<(), String> {
    for forbidden in ["@import", "expression(", "javascript:", "\\", "&"] {
        if find_ascii_case_insensitive(css, forbidden).is_some() {
            return Err(format!("CSS containing `{forbidden}` is not allowed"));
        }
    }
    let mut rest = css;
    while let Some(start) = find_ascii_case_insensitive(rest, "url(") {
        let target = rest[start + 4..].trim_start_matches([' ', '\t', '\n', '\r', '"', '\'']);
        if !target.starts_with('#') {
            return Err("`url(…)` must refer to `#id` in the figure".to_string());
        }
        rest = &rest[start + 4..];
    }
    Ok(())
}

fn push_attribute(output: &mut String, attribute: &Attribute<'_>) {
    output.push(' ');
    output.push_str(attribute.name);
    if let Some(value) = attribute.value {
        output.push_str("=\"");
        // A value that was single-quoted may hold a double quote.
        output.push_str(&value.replace('"', "&quot;"));
        output.push('"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<!-- made by osteon -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" width="10" height="10">
<defs><clipPath id="c"><rect width="5" height="5"/></clipPath></defs>
<g clip-path="url(#c)" style="font-family: sans-serif"><circle cx="1" cy="1" r="1" data-gene="&lt;script&gt;"><title>&lt;script&gt;alert(1)&lt;/script&gt;</title></circle></g>
<use href="#c" x='1'/><text x="1" y="9">a &lt; b</text></svg>
"##;

    #[test]
    fn accepts_a_plain_figure_and_drops_prolog_and_namespaces() {
        let svg = inline_svg(GOOD).unwrap();
        assert!(svg.starts_with("<svg viewBox=\"0 0 10 10\""), "{svg}");
        assert!(svg.ends_with("</svg>"));
        assert!(!svg.contains("http"));
        assert!(!svg.contains("<!--"));
        assert!(svg.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>"));
        assert!(svg.contains("<use href=\"#c\" x=\"1\"/>"));
        // Checking the output again changes nothing.
        assert_eq!(inline_svg(&svg).unwrap(), svg);
    }

    #[test]
    fn refuses_active_or_external_content() {
        let cases = [
            ("<svg><script>alert(1)</script></svg>", "<script>"),
            ("<svg><SCRIPT>alert(1)</SCRIPT></svg>", "<SCRIPT>"),
            (r#"<svg onload="alert(1)"></svg>"#, "event handler"),
            (r#"<svg><rect ONCLICK="x"/></svg>"#, "event handler"),
            (
                r#"<svg><foreignObject><p>x</p></foreignObject></svg>"#,
                "foreignObject",
            ),
            (r#"<svg><p><img src=x onerror=alert(1)></p></svg>"#, "<p>"),
            (
                r#"<svg><set attributeName="href" to="javascript:alert(1)"/></svg>"#,
                "<set>",
            ),
            (
                r#"<svg><use href="https://example.org/a.svg#x"/></svg>"#,
                "#id",
            ),
            (r#"<svg><use xlink:href="&#35;x"/></svg>"#, "#id"),
            (
                r#"<svg><image href="data:image/svg+xml;base64,AAAA"/></svg>"#,
                "#id",
            ),
            (
                r#"<svg><rect fill="url(https://example.org/p)"/></svg>"#,
                "url(",
            ),
            (r#"<svg><rect style="fill:u&#x72;l(x)"/></svg>"#, "url("),
            (r#"<svg><rect fill="u&#114;l(x)"/></svg>"#, "url("),
            (
                r#"<svg><rect fill="url&lpar;x)"/></svg>"#,
                "character reference",
            ),
            (
                r#"<svg><rect fill="a &amp b"/></svg>"#,
                "character reference",
            ),
            ("<svg><style>@import 'x.css';</style></svg>", "@import"),
            ("<svg><style>rect{fill:url( 'x.png')}</style></svg>", "url("),
            ("<svg><style>rect{fill:u\\72l(x)}</style></svg>", "\\"),
            ("<svg></svg><script>alert(1)</script>", "after the end"),
            ("<svg></svg><svg></svg>", "after the end"),
            ("<g></g>", "root"),
            ("<svg><g></svg>", "closes"),
            ("<svg><g>", "never closed"),
            ("plain text", "outside"),
            ("", "no <svg>"),
            ("<!DOCTYPE svg><svg></svg>", "declaration"),
            ("<svg><![CDATA[x]]></svg>", "declaration"),
            (r#"<svg><rect width="1></svg>"#, "cannot be read"),
        ];
        for (svg, expected) in cases {
            let error = inline_svg(svg).expect_err(svg);
            assert!(error.contains(expected), "{svg}: {error}");
        }
    }

    #[test]
    fn intrinsic_width_comes_from_width_or_view_box() {
        assert_eq!(
            intrinsic_width(r#"<svg width="360" viewBox="0 0 720 10"></svg>"#),
            Some(360.0)
        );
        assert_eq!(
            intrinsic_width(r#"<svg width="250.5px"></svg>"#),
            Some(250.5)
        );
        assert_eq!(
            intrinsic_width(r#"<svg width="100%" viewBox="0,0,640,480"></svg>"#),
            Some(640.0)
        );
        assert_eq!(intrinsic_width(r#"<svg width="3in"></svg>"#), None);
        assert_eq!(intrinsic_width("<svg></svg>"), None);
    }

    #[test]
    fn allows_raster_images_and_local_urls() {
        let svg =
            r#"<svg><image href="data:image/png;base64,iVBOR"/><rect fill="url( '#g')"/></svg>"#;
        assert!(inline_svg(svg).is_ok());
        let svg = r#"<svg font-family="&quot;Liberation Sans&quot;, &#39;Arial&#39;"></svg>"#;
        assert_eq!(inline_svg(svg).unwrap(), svg);
    }
}
