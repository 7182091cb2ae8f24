//! A small tokenizer for the markup the report handles: it checks that a
//! caller's inline SVG is inert (no script, event handlers or external
//! references) before it is embedded, and lets tests check that rendered
//! pages are well formed. It follows the HTML syntax of start tags,
//! attributes and raw-text elements closely enough for markup Osteon
//! writes; anything it cannot read is an error, never silently passed.

use std::fmt;

/// One piece of markup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    /// `<name attr="value" …>` or `<name …/>`.
    Start {
        name: &'a str,
        attributes: Vec<Attribute<'a>>,
        self_closing: bool,
    },
    /// `</name>`.
    End { name: &'a str },
    /// Character data between tags (entities left as written).
    Text(&'a str),
    /// `<!-- … -->`.
    Comment,
    /// `<!DOCTYPE …>`, `<![CDATA[…]]>` or `<?xml …?>`: the text inside.
    Declaration(&'a str),
}

/// One attribute of a start tag; `value` is `None` for a bare attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Attribute<'a> {
    pub name: &'a str,
    pub value: Option<&'a str>,
}

/// Where and why the tokenizer stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MarkupError {
    pub offset: usize,
    pub reason: &'static str,
}

impl fmt::Display for MarkupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.reason, self.offset)
    }
}

/// Splits `input` into tokens. The content of elements named in
/// `raw_text_elements` (`script`, `style` in HTML) is one text token up to
/// the matching end tag, as a browser reads it.
pub(crate) fn tokenize<'a>(
    input: &'a str,
    raw_text_elements: &[&str],
) -> Result<Vec<Token<'a>>, MarkupError> {
    let bytes = input.as_bytes();
    let mut tokens = Vec::new();
    let mut position = 0;
    while position < bytes.len() {
        let Some(next_lt) = input[position..].find('<').map(|i| position + i) else {
            tokens.push(Token::Text(&input[position..]));
            break;
        };
        let after = bytes.get(next_lt + 1).copied();
        let starts_markup = matches!(after, Some(b'/' | b'!' | b'?'))
            || after.is_some_and(|b| b.is_ascii_alphabetic());
        if !starts_markup {
            // A lone `<` (as in `a < b`) is text to an HTML parser.
            let text_end = input[next_lt + 1..]
                .find('<')
                .map_or(bytes.len(), |i| next_lt + 1 + i);
            tokens.push(Token::Text(&input[position..text_end]));
            position = text_end;
            continue;
        }
        if next_lt > position {
            tokens.push(Token::Text(&input[position..next_lt]));
        }
        position = next_lt;
        let rest = &input[position..];
        if let Some(body) = rest.strip_prefix("<!--") {
            let end = body.find("-->").ok_or(MarkupError {
                offset: position,
                reason: "unterminated comment",
            })?;
            tokens.push(Token::Comment);
            position += 4 + end + 3;
        } else if let Some(body) = rest.strip_prefix("<![CDATA[") {
            let end = body.find("]]>").ok_or(MarkupError {
                offset: position,
                reason: "unterminated CDATA section",
            })?;
            tokens.push(Token::Declaration(&body[..end]));
            position += 9 + end + 3;
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            let end = rest.find('>').ok_or(MarkupError {
                offset: position,
                reason: "unterminated declaration",
            })?;
            tokens.push(Token::Declaration(&rest[2..end]));
            position += end + 1;
        } else if let Some(body) = rest.strip_prefix("</") {
            let name_length = tag_name_length(body);
            if name_length == 0 {
                return Err(MarkupError {
                    offset: position,
                    reason: "end tag without a name",
                });
            }
            let after_name = body[name_length..].trim_start();
            if !after_name.starts_with('>') {
                return Err(MarkupError {
                    offset: position,
                    reason: "end tag with attributes or no `>`",
                });
            }
            tokens.push(Token::End {
                name: &body[..name_length],
            });
            position += 2 + (body.len() - after_name.len()) + 1;
        } else {
            let (token, consumed) = read_start_tag(rest).map_err(|reason| MarkupError {
                offset: position,
                reason,
            })?;
            position += consumed;
            if let Token::Start {
                name,
                self_closing: false,
                ..
            } = token
            {
                if raw_text_elements
                    .iter()
                    .any(|raw| raw.eq_ignore_ascii_case(name))
                {
                    let closing = format!("</{}", name.to_ascii_lowercase());
                    let content_end = find_ascii_case_insensitive(&input[position..], &closing)
                        .ok_or(MarkupError {
                            offset: position,
                            reason: "raw-text element without its end tag",
                        })?;
                    tokens.push(token);
                    if content_end > 0 {
                        tokens.push(Token::Text(&input[position..position + content_end]));
                    }
                    position += content_end;
                    continue;
                }
            }
            tokens.push(token);
        }
    }
    Ok(tokens)
}

/// Byte offset of `needle` (ASCII) in `haystack`, ignoring ASCII case.
pub(crate) fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}

fn tag_name_length(text: &str) -> usize {
    text.bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
        .count()
}

/// Reads `<name attributes…>` from the start of `text`; returns the token
/// and the number of bytes it spans.
fn read_start_tag(text: &str) -> Result<(Token<'_>, usize), &'static str> {
    let bytes = text.as_bytes();
    let name_length = tag_name_length(&text[1..]);
    let name = &text[1..1 + name_length];
    let mut position = 1 + name_length;
    let mut attributes = Vec::new();
    loop {
        while bytes.get(position).is_some_and(u8::is_ascii_whitespace) {
            position += 1;
        }
        match bytes.get(position) {
            None => return Err("unterminated start tag"),
            Some(b'>') => {
                let token = Token::Start {
                    name,
                    attributes,
                    self_closing: false,
                };
                return Ok((token, position + 1));
            }
            Some(b'/') if bytes.get(position + 1) == Some(&b'>') => {
                let token = Token::Start {
                    name,
                    attributes,
                    self_closing: true,
                };
                return Ok((token, position + 2));
            }
            Some(_) => {}
        }
        let name_start = position;
        while bytes.get(position).is_some_and(|b| {
            !b.is_ascii_whitespace() && !matches!(b, b'=' | b'>' | b'/' | b'"' | b'\'' | b'<')
        }) {
            position += 1;
        }
        if position == name_start {
            return Err("unexpected character in start tag");
        }
        let attribute_name = &text[name_start..position];
        while bytes.get(position).is_some_and(u8::is_ascii_whitespace) {
            position += 1;
        }
        if bytes.get(position) != Some(&b'=') {
            attributes.push(Attribute {
                name: attribute_name,
                value: None,
            });
            continue;
        }
        position += 1;
        while bytes.get(position).is_some_and(u8::is_ascii_whitespace) {
            position += 1;
        }
        let value = match bytes.get(position) {
            Some(&quote @ (b'"' | b'\'')) => {
                let value_start = position + 1;
                let length = text[value_start..]
                    .find(quote as char)
                    .ok_or("unterminated attribute value")?;
                position = value_start + length + 1;
                &text[value_start..value_start + length]
            }
            Some(_) => {
                let value_start = position;
                while bytes
                    .get(position)
                    .is_some_and(|b| !b.is_ascii_whitespace() && *b != b'>')
                {
                    position += 1;
                }
                &text[value_start..position]
            }
            None => return Err("unterminated start tag"),
        };
        attributes.push(Attribute {
            name: attribute_name,
            value: Some(value),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tags_attributes_and_text() {
        let tokens = tokenize(
            r#"<svg viewBox='0 0 1 1'><circle r=2 fill="red"/>a < b<!-- c --></svg>"#,
            &[],
        )
        .unwrap();
        assert_eq!(
            tokens,
            vec![
                Token::Start {
                    name: "svg",
                    attributes: vec![Attribute {
                        name: "viewBox",
                        value: Some("0 0 1 1")
                    }],
                    self_closing: false
                },
                Token::Start {
                    name: "circle",
                    attributes: vec![
                        Attribute {
                            name: "r",
                            value: Some("2")
                        },
                        Attribute {
                            name: "fill",
                            value: Some("red")
                        }
                    ],
                    self_closing: true
                },
                Token::Text("a < b"),
                Token::Comment,
                Token::End { name: "svg" },
            ]
        );
    }

    #[test]
    fn raw_text_runs_to_its_end_tag() {
        let tokens = tokenize("<script>if (a<b) {}</SCRIPT><p>", &["script"]).unwrap();
        assert_eq!(tokens[1], Token::Text("if (a<b) {}"));
        assert_eq!(tokens[2], Token::End { name: "SCRIPT" });
    }

    #[test]
    fn malformed_markup_is_an_error() {
        assert!(tokenize("<a href=\"x>", &[]).is_err());
        assert!(tokenize("<!-- open", &[]).is_err());
        assert!(tokenize("<script>never closed", &["script"]).is_err());
        assert!(tokenize("</a b>", &[]).is_err());
    }
}
