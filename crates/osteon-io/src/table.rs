//! Writing result tables as tab-separated text, with numbers formatted the
//! way R users expect to read them.
//!
//! Numbers are written with the fewest significant digits that read back as
//! the same `f64` (Ryū, Adams 2018, via the `ryu` crate), so nothing is lost
//! and the output is byte-for-byte deterministic. Notation follows R's
//! conventions: `NA`, `Inf`, `-Inf`, no trailing `.0` on whole numbers, and
//! exponents written `e-05` / `e+20` (sign and at least two digits, as R's
//! `format` prints them). Plain decimal is used for 1e-5 <= |x| < 1e15,
//! scientific notation otherwise. Lines end in `\n`; text fields containing a
//! tab or line break are double-quoted (inner quotes doubled).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::IoError;

/// Formats a number for a result table (see the module docs for the rules).
///
/// ```
/// use osteon_io::format_r_number;
/// assert_eq!(format_r_number(0.1), "0.1");
/// assert_eq!(format_r_number(5.0), "5");
/// assert_eq!(format_r_number(1.5e-300), "1.5e-300");
/// assert_eq!(format_r_number(2e20), "2e+20");
/// assert_eq!(format_r_number(f64::NAN), "NA");
/// ```
pub fn format_r_number(x: f64) -> String {
    let mut out = String::with_capacity(24);
    push_r_number(&mut out, x);
    out
}

/// Appends [`format_r_number`]`(x)` to `out`.
pub fn push_r_number(out: &mut String, x: f64) {
    let mut bytes = Vec::with_capacity(32);
    push_r_number_bytes(&mut bytes, x);
    // Only ASCII digits, signs, `.`, `e`, `N`, `A`, `I`, `n`, `f` are written.
    out.push_str(std::str::from_utf8(&bytes).unwrap_or("NA"));
}

/// Appends the formatted number as ASCII bytes.
fn push_r_number_bytes(out: &mut Vec<u8>, x: f64) {
    if x.is_nan() {
        out.extend_from_slice(b"NA");
        return;
    }
    if x.is_infinite() {
        out.extend_from_slice(if x > 0.0 { b"Inf" } else { b"-Inf" });
        return;
    }
    if x == 0.0 {
        out.push(b'0');
        return;
    }
    if x < 0.0 {
        out.push(b'-');
    }
    let magnitude = x.abs();
    let mut scratch = ryu::Buffer::new();
    let shortest = scratch.format_finite(magnitude).as_bytes();
    let plain_range = (1e-5..1e15).contains(&magnitude);
    if plain_range && !shortest.contains(&b'e') {
        // Ryū already writes this range in plain decimal; only its `.0` on
        // whole numbers has to go.
        out.extend_from_slice(shortest.strip_suffix(b".0").unwrap_or(shortest));
    } else {
        push_from_shortest(out, shortest, plain_range);
    }
}

/// Rewrites Ryū's shortest representation of a positive number in plain
/// (`plain == true`) or R-style scientific notation.
fn push_from_shortest(out: &mut Vec<u8>, shortest: &[u8], plain: bool) {
    // Read Ryū's output (`d.ddd`, `0.000ddd` or `d.ddde-x`) into
    // value = 0.DIGITS × 10^point, DIGITS without leading or trailing zeros.
    let mut digits = [0u8; 32];
    let mut n_digits = 0;
    let mut point: i32 = 0;
    let mut before_decimal_point = true;
    let mut index = 0;
    while index < shortest.len() {
        let b = shortest[index];
        index += 1;
        match b {
            b'0'..=b'9' => {
                if before_decimal_point {
                    point += 1;
                }
                if n_digits == 0 && b == b'0' {
                    point -= 1;
                } else {
                    digits[n_digits] = b;
                    n_digits += 1;
                }
            }
            b'.' => before_decimal_point = false,
            b'e' | b'E' => break,
            _ => {}
        }
    }
    let mut exponent: i32 = 0;
    let mut negative_exponent = false;
    for &b in &shortest[index..] {
        match b {
            b'-' => negative_exponent = true,
            b'0'..=b'9' => exponent = exponent * 10 + i32::from(b - b'0'),
            _ => {}
        }
    }
    point += if negative_exponent {
        -exponent
    } else {
        exponent
    };
    while n_digits > 1 && digits[n_digits - 1] == b'0' {
        n_digits -= 1;
    }
    let digits = &digits[..n_digits];

    if plain {
        if point <= 0 {
            out.extend_from_slice(b"0.");
            push_zeros(out, point.unsigned_abs() as usize);
            out.extend_from_slice(digits);
        } else if point as usize >= digits.len() {
            out.extend_from_slice(digits);
            push_zeros(out, point as usize - digits.len());
        } else {
            let (integer, fraction) = digits.split_at(point as usize);
            out.extend_from_slice(integer);
            out.push(b'.');
            out.extend_from_slice(fraction);
        }
    } else {
        out.push(digits[0]);
        if digits.len() > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        let scientific_exponent = point - 1;
        out.push(b'e');
        out.push(if scientific_exponent < 0 { b'-' } else { b'+' });
        let absolute = scientific_exponent.unsigned_abs();
        if absolute >= 100 {
            out.push(b'0' + (absolute / 100) as u8);
        }
        out.push(b'0' + (absolute / 10 % 10) as u8);
        out.push(b'0' + (absolute % 10) as u8);
    }
}

fn push_zeros(out: &mut Vec<u8>, count: usize) {
    out.resize(out.len() + count, b'0');
}

/// Appends a text field, quoting it if it contains a tab or line break.
fn push_text(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    if bytes
        .iter()
        .any(|&b| b == b'\t' || b == b'\n' || b == b'\r')
    {
        out.push(b'"');
        for &b in bytes {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(bytes);
    }
}

/// One column of a table to write.
#[derive(Debug, Clone, Copy)]
pub enum Column<'a> {
    /// Text values (gene ids, labels).
    Text(&'a [String]),
    /// Borrowed text values.
    Str(&'a [&'a str]),
    /// Numbers, formatted with [`format_r_number`].
    Numbers(&'a [f64]),
}

impl Column<'_> {
    fn len(&self) -> usize {
        match self {
            Column::Text(values) => values.len(),
            Column::Str(values) => values.len(),
            Column::Numbers(values) => values.len(),
        }
    }
}

/// A buffered writer of tab-separated rows.
///
/// ```
/// let file = std::env::temp_dir().join(format!("osteon-doc-tsv-{}.tsv", std::process::id()));
/// let mut writer = osteon_io::TsvWriter::create(&file)?;
/// writer.text("gene");
/// writer.text("log2FoldChange");
/// writer.end_row()?;
/// writer.text("TP53");
/// writer.number(-1.25);
/// writer.end_row()?;
/// writer.finish()?;
/// assert_eq!(std::fs::read_to_string(&file).unwrap(), "gene\tlog2FoldChange\nTP53\t-1.25\n");
/// # std::fs::remove_file(&file).unwrap();
/// # Ok::<(), osteon_io::IoError>(())
/// ```
pub struct TsvWriter {
    path: PathBuf,
    out: BufWriter<File>,
    row: Vec<u8>,
    row_is_empty: bool,
}

impl TsvWriter {
    /// Creates (or truncates) the file.
    pub fn create(path: impl AsRef<Path>) -> Result<TsvWriter, IoError> {
        let path = path.as_ref().to_path_buf();
        let file = File::create(&path).map_err(|source| IoError::Write {
            path: path.clone(),
            source,
        })?;
        Ok(TsvWriter {
            path,
            out: BufWriter::with_capacity(1 << 16, file),
            row: Vec::with_capacity(256),
            row_is_empty: true,
        })
    }

    fn separate(&mut self) {
        if !self.row_is_empty {
            self.row.push(b'\t');
        }
        self.row_is_empty = false;
    }

    /// Appends a text field to the current row.
    pub fn text(&mut self, value: &str) {
        self.separate();
        push_text(&mut self.row, value);
    }

    /// Appends a number field to the current row.
    pub fn number(&mut self, value: f64) {
        self.separate();
        push_r_number_bytes(&mut self.row, value);
    }

    /// Ends the current row (writes it followed by `\n`).
    pub fn end_row(&mut self) -> Result<(), IoError> {
        self.row.push(b'\n');
        let result = self.out.write_all(&self.row);
        self.row.clear();
        self.row_is_empty = true;
        result.map_err(|source| IoError::Write {
            path: self.path.clone(),
            source,
        })
    }

    /// Writes a whole row of text fields.
    pub fn text_row(&mut self, values: &[&str]) -> Result<(), IoError> {
        for value in values {
            self.text(value);
        }
        self.end_row()
    }

    /// Flushes everything to the file. A row not ended is discarded.
    pub fn finish(mut self) -> Result<(), IoError> {
        self.out.flush().map_err(|source| IoError::Write {
            path: self.path.clone(),
            source,
        })
    }
}

/// Writes a table with a header line and one line per row.
///
/// # Panics
/// If `header` and `columns` differ in length (a programming error).
///
/// ```
/// use osteon_io::{write_table, Column};
/// let file = std::env::temp_dir().join(format!("osteon-doc-table-{}.tsv", std::process::id()));
/// let genes = vec!["A".to_string(), "B".to_string()];
/// write_table(&file, &["gene", "padj"], &[Column::Text(&genes), Column::Numbers(&[0.5, f64::NAN])])?;
/// assert_eq!(std::fs::read_to_string(&file).unwrap(), "gene\tpadj\nA\t0.5\nB\tNA\n");
/// # std::fs::remove_file(&file).unwrap();
/// # Ok::<(), osteon_io::IoError>(())
/// ```
pub fn write_table(
    path: impl AsRef<Path>,
    header: &[&str],
    columns: &[Column],
) -> Result<(), IoError> {
    let path = path.as_ref();
    assert_eq!(
        header.len(),
        columns.len(),
        "write_table: header and columns differ in length"
    );
    let n_rows = columns.first().map_or(0, Column::len);
    for (name, column) in header.iter().zip(columns) {
        if column.len() != n_rows {
            return Err(IoError::ColumnLength {
                path: path.to_path_buf(),
                column: name.to_string(),
                expected: n_rows,
                found: column.len(),
            });
        }
    }
    let mut writer = TsvWriter::create(path)?;
    writer.text_row(header)?;
    for row in 0..n_rows {
        for column in columns {
            match column {
                Column::Text(values) => writer.text(&values[row]),
                Column::Str(values) => writer.text(values[row]),
                Column::Numbers(values) => writer.number(values[row]),
            }
        }
        writer.end_row()?;
    }
    writer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r_number_formatting() {
        // Expected strings: R 4.2 `format(x, digits = 17)` trimmed to the
        // shortest round-tripping digits (what `as.character` gives in R >= 4.3).
        assert_eq!(format_r_number(0.1), "0.1");
        assert_eq!(format_r_number(1e-300), "1e-300");
        assert_eq!(format_r_number(1.5e-300), "1.5e-300");
        assert_eq!(
            format_r_number(123456789012345680000.0),
            "1.2345678901234568e+20"
        );
        assert_eq!(format_r_number(2e20), "2e+20");
        assert_eq!(format_r_number(5.0), "5");
        assert_eq!(format_r_number(-0.0), "0");
        assert_eq!(format_r_number(0.0), "0");
        assert_eq!(format_r_number(f64::NAN), "NA");
        assert_eq!(format_r_number(f64::INFINITY), "Inf");
        assert_eq!(format_r_number(f64::NEG_INFINITY), "-Inf");
        assert_eq!(format_r_number(-2.5), "-2.5");
        assert_eq!(format_r_number(1.0 / 3.0), "0.3333333333333333");
        assert_eq!(format_r_number(1e-5), "0.00001");
        assert_eq!(format_r_number(9.99e-6), "9.99e-06");
        assert_eq!(format_r_number(1e15), "1e+15");
        assert_eq!(format_r_number(999999999999999.0), "999999999999999");
        assert_eq!(format_r_number(123456.0), "123456");
        assert_eq!(format_r_number(1e14), "100000000000000");
        assert_eq!(format_r_number(0.000123), "0.000123");
        assert_eq!(format_r_number(-1.5e-7), "-1.5e-07");
        assert_eq!(format_r_number(12.5), "12.5");
        assert_eq!(
            format_r_number(f64::MIN_POSITIVE),
            "2.2250738585072014e-308"
        );
        assert_eq!(format_r_number(5e-324), "5e-324");
        assert_eq!(format_r_number(f64::MAX), "1.7976931348623157e+308");
    }

    #[test]
    fn formatting_round_trips() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let x = f64::from_bits(state);
            if !x.is_finite() {
                continue;
            }
            let text = format_r_number(x);
            let back: f64 = text.parse().unwrap();
            assert_eq!(back, x + 0.0, "{x:e} written as {text}");
        }
    }

    #[test]
    fn plain_range_shortcut_matches_digit_rewriting() {
        let mut state: u64 = 0x0123_4567_89AB_CDEF;
        let mut checked = 0;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let exponent = (state % 21) as i32 - 5;
            let x = (state >> 11) as f64 / (1u64 << 53) as f64 * 10f64.powi(exponent);
            if !(1e-5..1e15).contains(&x) {
                continue;
            }
            let mut rewritten = Vec::new();
            push_from_shortest(
                &mut rewritten,
                ryu::Buffer::new().format_finite(x).as_bytes(),
                true,
            );
            assert_eq!(format_r_number(x).as_bytes(), rewritten, "{x:e}");
            checked += 1;
        }
        assert!(checked > 10_000);
    }

    #[test]
    fn ties_between_shortest_candidates_round_to_even() {
        // 24670415146703.5625 is exactly representable; 17 digits are needed
        // and ...703.562 / ...703.563 are equally close; the even one is
        // chosen, as R does: sprintf('%.17g', 24670415146703.5625) is
        // "24670415146703.562".
        assert_eq!(format_r_number(24670415146703.5625), "24670415146703.562");
    }

    #[test]
    fn text_with_tabs_is_quoted() {
        let mut out = Vec::new();
        push_text(&mut out, "a\tb \"c\"");
        assert_eq!(out, b"\"a\tb \"\"c\"\"\"");
        out.clear();
        push_text(&mut out, "plain \"q\"");
        assert_eq!(out, b"plain \"q\"");
    }
}
