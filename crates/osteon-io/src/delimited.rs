//! Low-level reading of delimited text files (TSV and CSV), shared by the
//! count-matrix and sample-sheet readers.
//!
//! A file is read whole into memory; gzip input is recognised by its magic
//! bytes (`1f 8b`, RFC 1952 §2.3.1) whatever its name, and multi-member gzip
//! (bgzip) is accepted. A UTF-8 byte-order mark is dropped and CRLF line
//! endings are treated like LF. Fields may be quoted RFC 4180 style: a field
//! that starts with `"` runs to the next `"` that is not doubled, and `""`
//! inside it stands for one `"`. Fields spanning several lines are not
//! supported. Splitting borrows from the file buffer, so the hot loop of a
//! reader allocates nothing per cell.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use crate::IoError;

/// The first bytes of every gzip member (RFC 1952 §2.3.1).
pub(crate) const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];

/// The UTF-8 byte-order mark, dropped where a text starts with it.
pub(crate) const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Reads a whole file, decompressing it when it starts with the gzip magic
/// bytes and dropping a leading UTF-8 byte-order mark.
pub(crate) fn read_text_bytes(path: &Path) -> Result<Vec<u8>, IoError> {
    let raw = std::fs::read(path).map_err(|source| IoError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut data = if raw.starts_with(GZIP_MAGIC) {
        gunzip(&raw).map_err(|source| IoError::Gzip {
            path: path.to_path_buf(),
            source,
        })?
    } else {
        raw
    };
    if data.starts_with(UTF8_BOM) {
        data.drain(..3);
    }
    Ok(data)
}

/// Decompresses gzip data (RFC 1952), including multi-member files such as
/// bgzip output.
///
/// The output buffer is sized from the trailer's ISIZE field (the length of
/// the last member modulo 2³², exact for an ordinary single-member file), so
/// a large file is decoded without the buffer being copied as it grows. The
/// hint is capped at deflate's maximum ratio (1032:1), so a corrupt trailer
/// cannot request an absurd allocation.
///
/// ```
/// use std::io::Write;
/// let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
/// encoder.write_all(b"gene\tcount\n")?;
/// let packed = encoder.finish()?;
/// assert_eq!(osteon_io::gunzip(&packed)?, b"gene\tcount\n");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn gunzip(compressed: &[u8]) -> std::io::Result<Vec<u8>> {
    let trailer_size = compressed
        .len()
        .checked_sub(4)
        .map(|start| u32::from_le_bytes(compressed[start..].try_into().expect("4 bytes")) as usize)
        .unwrap_or(0);
    let capacity = trailer_size
        .max(compressed.len().saturating_mul(4))
        .min(compressed.len().saturating_mul(1032))
        .saturating_add(1);
    let mut decoded = Vec::with_capacity(capacity);
    flate2::read::MultiGzDecoder::new(compressed).read_to_end(&mut decoded)?;
    Ok(decoded)
}

/// How many bytes [`stream_lines`] decodes before handing whole lines on:
/// small enough to stay in the CPU's cache, large enough that the per-chunk
/// work is negligible.
const STREAM_CHUNK: usize = 1 << 18;

/// Streams the text of a file, in chunks of whole lines, to `consume`.
/// Gzip is recognised by its magic bytes and decompressed on the fly, so a
/// large annotation file is never held in memory whole; see
/// [`stream_lines`] for what `consume` receives.
pub(crate) fn stream_text_file(
    path: &Path,
    consume: impl FnMut(&str, usize) -> Result<(), IoError>,
) -> Result<(), IoError> {
    let read_error = |source| IoError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    let gzip = std::io::BufRead::fill_buf(&mut reader)
        .map_err(read_error)?
        .starts_with(GZIP_MAGIC);
    if gzip {
        let decoder = flate2::bufread::MultiGzDecoder::new(reader);
        stream_lines(decoder, path, true, consume)
    } else {
        stream_lines(reader, path, false, consume)
    }
}

/// Like [`stream_text_file`] for the bytes of a file already in memory
/// (e.g. data compiled into the binary), gzip-compressed or not.
pub(crate) fn stream_text_bytes(
    bytes: &[u8],
    source: &Path,
    consume: impl FnMut(&str, usize) -> Result<(), IoError>,
) -> Result<(), IoError> {
    if bytes.starts_with(GZIP_MAGIC) {
        stream_lines(
            flate2::bufread::MultiGzDecoder::new(bytes),
            source,
            true,
            consume,
        )
    } else {
        stream_lines(bytes, source, false, consume)
    }
}

/// Reads `reader` to its end and hands `consume` its text in chunks of whole
/// lines: each chunk ends with `\n` except possibly the last, and comes with
/// the 1-based number of its first line. A leading UTF-8 byte-order mark is
/// dropped; invalid UTF-8 is an error naming its line. `gzip` says whether a
/// read error is a decompression error.
pub(crate) fn stream_lines(
    reader: impl Read,
    source: &Path,
    gzip: bool,
    consume: impl FnMut(&str, usize) -> Result<(), IoError>,
) -> Result<(), IoError> {
    stream_lines_in_chunks(reader, source, gzip, STREAM_CHUNK, consume)
}

/// [`stream_lines`] with the initial chunk size given (tests use tiny ones
/// to exercise lines split across reads).
pub(crate) fn stream_lines_in_chunks(
    mut reader: impl Read,
    source: &Path,
    gzip: bool,
    chunk_size: usize,
    mut consume: impl FnMut(&str, usize) -> Result<(), IoError>,
) -> Result<(), IoError> {
    let read_error = |error| {
        let path = source.to_path_buf();
        if gzip {
            IoError::Gzip {
                path,
                source: error,
            }
        } else {
            IoError::Read {
                path,
                source: error,
            }
        }
    };
    let mut buffer = vec![0u8; chunk_size.max(1)];
    let mut filled = 0;
    let mut first_line = 1;
    let mut at_start = true;
    loop {
        // Fill the buffer (a line longer than it makes it grow).
        if filled == buffer.len() {
            buffer.resize(buffer.len() * 2, 0);
        }
        let mut at_end = false;
        while filled < buffer.len() {
            match reader.read(&mut buffer[filled..]) {
                Ok(0) => {
                    at_end = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(error) => return Err(read_error(error)),
            }
        }
        if at_start && filled < 3 && !at_end {
            // Too little to tell whether the text opens with a byte-order
            // mark: read on (the buffer grows).
            continue;
        }
        let start = if at_start && buffer[..filled].starts_with(UTF8_BOM) {
            3
        } else {
            0
        };
        at_start = false;
        let end = if at_end {
            filled
        } else {
            match buffer[start..filled].iter().rposition(|&b| b == b'\n') {
                Some(last) => start + last + 1,
                None => {
                    // One line fills the whole buffer: read on.
                    buffer.copy_within(start..filled, 0);
                    filled -= start;
                    continue;
                }
            }
        };
        let lines = &buffer[start..end];
        let text = std::str::from_utf8(lines).map_err(|error| IoError::InvalidUtf8 {
            path: source.to_path_buf(),
            line: first_line + count_newlines(&lines[..error.valid_up_to()]),
        })?;
        if !text.is_empty() {
            consume(text, first_line)?;
        }
        first_line += count_newlines(lines);
        buffer.copy_within(end..filled, 0);
        filled -= end;
        if at_end {
            return Ok(());
        }
    }
}

/// The number of `\n` bytes in `bytes`.
///
/// Counted 255 bytes at a time into a byte-wide sum, which the compiler
/// turns into whole-register compares and adds; a plain `usize` count is
/// widened byte by byte and measured five times slower.
pub(crate) fn count_newlines(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|block| {
            block
                .iter()
                .fold(0u8, |count, &b| count + u8::from(b == b'\n')) as usize
        })
        .sum()
}

/// Walks through a buffer line by line, tracking 1-based line numbers and the
/// byte offset of the next line (so a caller may consume a line itself).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineCursor<'a> {
    data: &'a [u8],
    position: usize,
    line_number: usize,
}

impl<'a> LineCursor<'a> {
    pub(crate) fn new(data: &'a [u8]) -> LineCursor<'a> {
        LineCursor {
            data,
            position: 0,
            line_number: 0,
        }
    }

    /// The next line as `(line number, content)`, without its terminator
    /// (`\n` or `\r\n`); `None` at the end of the buffer.
    pub(crate) fn next_line(&mut self) -> Option<(usize, &'a [u8])> {
        let rest = self.rest();
        if rest.is_empty() {
            return None;
        }
        let (line, consumed) = match rest.iter().position(|&b| b == b'\n') {
            Some(end) => (&rest[..end], end + 1),
            None => (rest, rest.len()),
        };
        self.position += consumed;
        self.line_number += 1;
        Some((self.line_number, line.strip_suffix(b"\r").unwrap_or(line)))
    }

    /// The next line that is not empty.
    pub(crate) fn next_nonblank_line(&mut self) -> Option<(usize, &'a [u8])> {
        loop {
            let (number, line) = self.next_line()?;
            if !line.is_empty() {
                return Some((number, line));
            }
        }
    }

    /// The unread part of the buffer, starting at the next line.
    pub(crate) fn rest(&self) -> &'a [u8] {
        &self.data[self.position..]
    }

    /// The number of the line last read (0 before the first).
    pub(crate) fn line_number(&self) -> usize {
        self.line_number
    }

    /// Marks one line of `consumed` bytes (terminator included) as read.
    pub(crate) fn consume_line(&mut self, consumed: usize) {
        self.position += consumed;
        self.line_number += 1;
    }
}

/// Iterates over the lines of a buffer as `(1-based line number, line)`,
/// without the line terminator (`\n` or `\r\n`).
pub(crate) fn numbered_lines(data: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut cursor = LineCursor::new(data);
    std::iter::from_fn(move || cursor.next_line())
}

/// The field separator implied by a file name (`.tsv`, `.txt`, `.tab` → tab;
/// `.csv` → comma), looking through a trailing `.gz`.
pub(crate) fn separator_from_extension(path: &Path) -> Option<u8> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let extension = name.rsplit_once('.')?.1;
    match extension {
        "tsv" | "txt" | "tab" => Some(b'\t'),
        "csv" => Some(b','),
        _ => None,
    }
}

/// Counts occurrences of a byte outside double-quoted stretches of a line.
fn count_unquoted(line: &[u8], byte: u8) -> usize {
    let mut inside_quotes = false;
    let mut count = 0;
    for &b in line {
        if b == b'"' {
            inside_quotes = !inside_quotes;
        } else if b == byte && !inside_quotes {
            count += 1;
        }
    }
    count
}

/// Chooses the separator for a file: the one its extension implies, unless
/// the header line does not contain it but does contain the other one; with
/// an unknown extension, whichever of tab and comma the header contains more
/// often (tab on a tie).
pub(crate) fn choose_separator(path: &Path, header: &[u8]) -> u8 {
    let tabs = count_unquoted(header, b'\t');
    let commas = count_unquoted(header, b',');
    match separator_from_extension(path) {
        Some(b'\t') if tabs == 0 && commas > 0 => b',',
        Some(b',') if commas == 0 && tabs > 0 => b'\t',
        Some(separator) => separator,
        None if commas > tabs => b',',
        None => b'\t',
    }
}

/// Splits one line into `fields` (cleared first), unquoting quoted fields.
/// Borrowed fields point into `line`; only quoted fields containing `""` are
/// copied. Returns `Err(())` when a quoted field is not closed.
pub(crate) fn split_fields<'a>(
    line: &'a [u8],
    separator: u8,
    fields: &mut Vec<Cow<'a, [u8]>>,
) -> Result<(), ()> {
    fields.clear();
    let mut start = 0;
    loop {
        if line.get(start) == Some(&b'"') {
            let (field, next) = quoted_field(line, start, separator)?;
            fields.push(field);
            match next {
                Some(after_separator) => start = after_separator,
                None => return Ok(()),
            }
        } else {
            match line[start..].iter().position(|&b| b == separator) {
                Some(offset) => {
                    fields.push(Cow::Borrowed(&line[start..start + offset]));
                    start += offset + 1;
                }
                None => {
                    fields.push(Cow::Borrowed(&line[start..]));
                    return Ok(());
                }
            }
        }
    }
}

/// Parses a quoted field starting at `line[start] == '"'`. Returns the
/// unquoted content and the index just after the following separator (`None`
/// at end of line). Text between the closing quote and the separator is kept
/// verbatim after the quoted part (lenient, like R's `read.csv`).
fn quoted_field(
    line: &[u8],
    start: usize,
    separator: u8,
) -> Result<(Cow<'_, [u8]>, Option<usize>), ()> {
    let mut position = start + 1;
    let mut owned: Option<Vec<u8>> = None;
    let mut segment_start = position;
    loop {
        let offset = line[position..].iter().position(|&b| b == b'"').ok_or(())?;
        let quote = position + offset;
        if line.get(quote + 1) == Some(&b'"') {
            owned
                .get_or_insert_with(Vec::new)
                .extend_from_slice(&line[segment_start..=quote]);
            position = quote + 2;
            segment_start = position;
            continue;
        }
        let content: Cow<'_, [u8]> = match owned {
            Some(mut buffer) => {
                buffer.extend_from_slice(&line[segment_start..quote]);
                Cow::Owned(buffer)
            }
            None => Cow::Borrowed(&line[segment_start..quote]),
        };
        let after = quote + 1;
        return match line[after..].iter().position(|&b| b == separator) {
            Some(0) => Ok((content, Some(after + 1))),
            None if after == line.len() => Ok((content, None)),
            found => {
                let end = found.map_or(line.len(), |offset| after + offset);
                let mut joined = content.into_owned();
                joined.extend_from_slice(&line[after..end]);
                Ok((Cow::Owned(joined), found.map(|_| end + 1)))
            }
        };
    }
}

/// Converts a field to `&str`, reporting invalid UTF-8 with its line.
pub(crate) fn field_str<'a>(field: &'a [u8], path: &Path, line: usize) -> Result<&'a str, IoError> {
    std::str::from_utf8(field).map_err(|_| IoError::InvalidUtf8 {
        path: path.to_path_buf(),
        line,
    })
}

/// Builds the error for an unterminated quote.
pub(crate) fn unterminated(path: &Path, line: usize) -> IoError {
    IoError::UnterminatedQuote {
        path: path.to_path_buf(),
        line,
    }
}

/// Trims ASCII spaces and tabs from both ends of a field.
pub(crate) fn trim_blanks(field: &[u8]) -> &[u8] {
    let is_blank = |b: &u8| *b == b' ' || *b == b'\t';
    let start = field
        .iter()
        .position(|b| !is_blank(b))
        .unwrap_or(field.len());
    let end = field
        .iter()
        .rposition(|b| !is_blank(b))
        .map_or(start, |i| i + 1);
    &field[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str, separator: u8) -> Vec<String> {
        let mut fields = Vec::new();
        split_fields(line.as_bytes(), separator, &mut fields).unwrap();
        fields
            .iter()
            .map(|f| String::from_utf8(f.to_vec()).unwrap())
            .collect()
    }

    #[test]
    fn splits_plain_and_quoted_fields() {
        assert_eq!(split("a\tb\t\tc", b'\t'), ["a", "b", "", "c"]);
        assert_eq!(split("", b','), [""]);
        assert_eq!(split("a,", b','), ["a", ""]);
        assert_eq!(split(r#""","S1","S 2""#, b','), ["", "S1", "S 2"]);
        assert_eq!(split(r#""a,b",c"#, b','), ["a,b", "c"]);
        assert_eq!(split(r#""say ""hi""",x"#, b','), [r#"say "hi""#, "x"]);
        assert_eq!(split(r#""ab"cd,e"#, b','), ["abcd", "e"]);
        assert_eq!(split(r#"x,"""#, b','), ["x", ""]);
        let mut fields = Vec::new();
        assert!(split_fields(br#"a,"open"#, b',', &mut fields).is_err());
    }

    #[test]
    fn lines_handle_crlf_and_final_newline() {
        let lines: Vec<(usize, &[u8])> = numbered_lines(b"a\r\nb\n\nc\n").collect();
        assert_eq!(
            lines,
            [
                (1, &b"a"[..]),
                (2, &b"b"[..]),
                (3, &b""[..]),
                (4, &b"c"[..])
            ]
        );
        assert_eq!(numbered_lines(b"").count(), 0);
        assert_eq!(numbered_lines(b"x").count(), 1);
    }

    #[test]
    fn separator_choice() {
        let p = Path::new;
        assert_eq!(choose_separator(p("c.csv.gz"), b"a,b"), b',');
        assert_eq!(choose_separator(p("c.TSV"), b"a\tb"), b'\t');
        assert_eq!(choose_separator(p("c.txt"), b"a,b"), b',');
        assert_eq!(choose_separator(p("c.csv"), b"a\tb"), b'\t');
        assert_eq!(choose_separator(p("counts"), b"\"x\ty\",b,c"), b',');
        assert_eq!(choose_separator(p("counts.dat"), b"a\tb,c\td"), b'\t');
    }

    #[test]
    fn trims_blanks() {
        assert_eq!(trim_blanks(b"  12 \t"), b"12");
        assert_eq!(trim_blanks(b"   "), b"");
    }
}
