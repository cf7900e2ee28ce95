//! Reading files and stdin within bounds (SECURITY.md 38): every line (a CSV record, a
//! `verify --batch` request, a code) has a length cap and every input a cap on its lines,
//! checked as the bytes arrive, so that `/dev/zero`, a file of one endless line or one of
//! endless blank lines costs a bounded amount of memory and ends in a clear error (exit 2)
//! naming the line and the cap. [`Bounded`] is the one reader every input goes through:
//! `import`, `user import`, the `--from` lists, `verify --batch` and a code on stdin.

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, Read};

use anyhow::Result;

use crate::exit::usage;
use crate::text::quote;

/// Bytes of a line (of a CSV record), at most.
pub const LINE_MAX: usize = 64 * 1024;
/// Lines of an import file (`import`, `user import`), at most.
pub const FILE_LINES_MAX: u64 = 10_000_000;
/// Lines of a `--from` list, at most: its emails are held in memory.
pub const LIST_LINES_MAX: u64 = 1_000_000;

/// `path` opened for reading (`-`: stdin), and its name for messages.
pub fn open(path: &str) -> Result<(Box<dyn Read>, String)> {
    if path == "-" {
        return Ok((Box::new(io::stdin().lock()), "stdin".to_string()));
    }
    let file = File::open(path).map_err(|e| usage(format!("cannot open {}: {e}", quote(path))))?;
    Ok((Box::new(file), path.to_string()))
}

/// A bound that an input went past: the error inside the `io::Error` that [`Bounded`]
/// returns ([`error`] turns it into a message).
#[derive(Debug)]
pub enum Limit {
    /// This line holds more than `max` bytes (the rest of it is skipped by the next read).
    Line { line: u64, max: usize },
    /// The input has more than `max` lines.
    Lines { max: u64 },
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Line { line, max } if max % 1024 == 0 => write!(
                f,
                "line {line} is longer than {} KiB ({max} bytes), the most a line may hold",
                max / 1024
            ),
            Limit::Line { line, max } => write!(
                f,
                "line {line} is longer than {max} bytes, the most a line may hold"
            ),
            Limit::Lines { max } => write!(
                f,
                "more than {max} lines, the most twofa reads from one input; split it"
            ),
        }
    }
}

impl std::error::Error for Limit {}

/// The limit `e` reports, if it is one.
pub fn limit(e: &io::Error) -> Option<&Limit> {
    e.get_ref().and_then(|e| e.downcast_ref::<Limit>())
}

/// The exit-2 error for a failed read of `source` (a file name, or `stdin`): the limit it
/// went past (naming the line and the cap), or why it could not be read.
pub fn error(e: &io::Error, source: &str) -> anyhow::Error {
    let source = if source == "stdin" {
        source.to_string()
    } else {
        quote(source)
    };
    match limit(e) {
        Some(limit) => usage(format!("cannot read {source}: {limit}")),
        None => usage(format!("cannot read {source}: {e}")),
    }
}

/// Where a line ends.
enum Ends {
    /// At any of these bytes.
    Bytes(&'static [u8]),
    /// Where a CSV record ends, as the `csv` crate reads it (a quoted field may hold line
    /// breaks): the record is what the cap counts.
    Csv(Box<csv_core::Reader>),
}

/// A reader that returns an error ([`Limit`]) instead of a line longer than its cap or a
/// line past its count, having read at most the cap (and a buffer) of it. After a line
/// that was too long, the next read skips the rest of it and goes on with the next line
/// (`verify --batch` answers the long one and reads on); file readers stop at the error.
pub struct Bounded<R> {
    inner: R,
    ends: Ends,
    max_line: usize,
    max_lines: u64,
    /// The number of the line whose bytes come next (1 for the first).
    line: u64,
    /// Bytes of that line (record) read so far.
    used: usize,
    /// CSV records read, which may end at a bare `\r` (no line break at all): checked
    /// against `max_lines` before each window of at most `max_line` bytes.
    records: u64,
    /// Where the window last offered ends its line (the index of its end byte).
    window_end: Option<usize>,
    /// A line went past the cap: skip to its end before reading on.
    skipping: bool,
}

impl<R: BufRead> Bounded<R> {
    /// Lines ending in `\n`, each at most `max_line` bytes (the `\n` aside), at most
    /// `max_lines` of them.
    pub fn lines(inner: R, max_line: usize, max_lines: u64) -> Self {
        Self::new(inner, Ends::Bytes(b"\n"), max_line, max_lines)
    }

    /// [`Bounded::lines`] where a NUL ends a line too (`pam_exec` ends a token with one).
    pub fn tokens(inner: R, max_line: usize) -> Self {
        Self::new(inner, Ends::Bytes(b"\n\0"), max_line, u64::MAX)
    }

    /// CSV records of at most `max_line` bytes each, in at most `max_lines` lines.
    pub fn csv(inner: R, max_line: usize, max_lines: u64) -> Self {
        let reader = csv_core::Reader::new();
        Self::new(inner, Ends::Csv(Box::new(reader)), max_line, max_lines)
    }

    fn new(inner: R, ends: Ends, max_line: usize, max_lines: u64) -> Self {
        Bounded {
            inner,
            ends,
            max_line,
            max_lines,
            line: 1,
            used: 0,
            records: 0,
            window_end: None,
            skipping: false,
        }
    }

    /// The number of the line whose bytes come next.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The next line into `buf` (cleared first), without the byte that ended it; its
    /// number, or `None` at the end of the input. `buf` never grows past the cap: give it
    /// that capacity and it is never reallocated (no copy of a secret left behind).
    pub fn read_line(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<u64>> {
        buf.clear();
        if self.skipping {
            self.skip_rest()?;
        }
        let number = self.line;
        let ends = self.end_bytes();
        loop {
            let window = match self.fill_buf() {
                Ok(window) => window,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let Some(&last) = window.last() else {
                return Ok((!buf.is_empty()).then_some(number));
            };
            // A window that holds the line's end stops there.
            let ended = ends.contains(&last);
            buf.extend_from_slice(&window[..window.len() - usize::from(ended)]);
            let n = window.len();
            self.consume(n);
            if ended {
                return Ok(Some(number));
            }
        }
    }

    /// The bytes that end a line.
    fn end_bytes(&self) -> &'static [u8] {
        match &self.ends {
            Ends::Bytes(ends) => ends,
            Ends::Csv(_) => b"\n",
        }
    }

    /// Reads past the rest of a line that went past the cap.
    fn skip_rest(&mut self) -> io::Result<()> {
        let ends = self.end_bytes();
        loop {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            match buf.iter().position(|b| ends.contains(b)) {
                Some(i) => {
                    self.inner.consume(i + 1);
                    self.line += 1;
                    break;
                }
                None => {
                    let n = buf.len();
                    self.inner.consume(n);
                }
            }
        }
        self.used = 0;
        self.skipping = false;
        Ok(())
    }

    fn too_long(&mut self) -> io::Error {
        self.skipping = true;
        io::Error::new(
            io::ErrorKind::InvalidData,
            Limit::Line {
                line: self.line,
                max: self.max_line,
            },
        )
    }
}

impl<R: BufRead> BufRead for Bounded<R> {
    /// The next bytes, never past the end of the line (for [`Ends::Bytes`]) nor past the cap
    /// of the line; an error when the line or the input goes past its bound.
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.skipping {
            self.skip_rest()?;
        }
        self.window_end = None;
        let ends = self.end_bytes();
        let room = self.max_line.saturating_sub(self.used);
        let (len, end) = {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                return Ok(&[]);
            }
            // The window stops at the line's end, which may come right after `room` bytes.
            let look = buf.len().min(room.saturating_add(1));
            match buf[..look].iter().position(|b| ends.contains(b)) {
                Some(i) => (i + 1, Some(i)),
                None => (look.min(room), None),
            }
        };
        if self.line > self.max_lines || self.records >= self.max_lines {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                Limit::Lines {
                    max: self.max_lines,
                },
            ));
        }
        if len == 0 {
            return Err(self.too_long());
        }
        self.window_end = end;
        Ok(&self.inner.fill_buf()?[..len])
    }

    fn consume(&mut self, n: usize) {
        if n == 0 {
            return;
        }
        // What is left of the window is offered again by the next `fill_buf`.
        let line_ended = self.window_end.take() == Some(n - 1);
        if line_ended {
            self.line += 1;
        }
        match &mut self.ends {
            Ends::Bytes(_) if line_ended => self.used = 0,
            Ends::Bytes(_) => self.used += n,
            Ends::Csv(reader) => {
                // The record goes on past a line break inside quotes: csv_core says where
                // it ends.
                let Ok(buf) = self.inner.fill_buf() else {
                    return;
                };
                let mut input = &buf[..n.min(buf.len())];
                let (mut scratch, mut ends) = ([0u8; 1024], [0usize; 64]);
                while !input.is_empty() {
                    let (result, nin, _, _) = reader.read_record(input, &mut scratch, &mut ends);
                    input = &input[nin..];
                    self.used += nin;
                    match result {
                        csv_core::ReadRecordResult::Record => {
                            self.used = 0;
                            self.records += 1;
                        }
                        _ if nin == 0 => break,
                        _ => {}
                    }
                }
            }
        }
        self.inner.consume(n);
    }
}

impl<R: BufRead> Read for Bounded<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let window = self.fill_buf()?;
        let n = window.len().min(out.len());
        out[..n].copy_from_slice(&window[..n]);
        self.consume(n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line of `input` read with a cap of 8 bytes and 4 lines: the text, or the limit.
    fn lines(input: &[u8]) -> Vec<Result<String, String>> {
        let mut r = Bounded::lines(input, 8, 4);
        let mut buf = Vec::with_capacity(9);
        let mut got = Vec::new();
        loop {
            match r.read_line(&mut buf) {
                Ok(Some(n)) => got.push(Ok(format!("{n}:{}", String::from_utf8_lossy(&buf)))),
                Ok(None) => break,
                Err(e) => {
                    got.push(Err(limit(&e).unwrap().to_string()));
                    if matches!(limit(&e), Some(Limit::Lines { .. })) {
                        break;
                    }
                }
            }
            assert!(buf.capacity() <= 9, "the buffer grew");
        }
        got
    }

    #[test]
    fn lines_up_to_the_cap_are_read_and_a_longer_one_is_skipped() {
        assert_eq!(
            lines(b"12345678\n123456789\nab\n\nlast"),
            [
                Ok("1:12345678".to_string()),
                Err("line 2 is longer than 8 bytes, the most a line may hold".to_string()),
                Ok("3:ab".to_string()),
                Ok("4:".to_string()),
                Err("more than 4 lines, the most twofa reads from one input; split it".to_string()),
            ]
        );
        assert_eq!(lines(b""), []);
        assert_eq!(lines(b"x"), [Ok("1:x".to_string())]);
    }

    #[test]
    fn an_endless_line_costs_the_cap() {
        let mut r = Bounded::lines(io::BufReader::new(io::repeat(0)), 1024, 10);
        let mut buf = Vec::new();
        let e = r.read_line(&mut buf).unwrap_err();
        assert!(matches!(
            limit(&e),
            Some(Limit::Line { line: 1, max: 1024 })
        ));
        assert!(buf.len() <= 1024, "{}", buf.len());
        // Endless blank lines stop at the count.
        let mut r = Bounded::lines(io::BufReader::new(io::repeat(b'\n')), 1024, 10);
        let mut n = 0;
        let e = loop {
            match r.read_line(&mut buf) {
                Ok(_) => n += 1,
                Err(e) => break e,
            }
        };
        assert_eq!(n, 10);
        assert!(matches!(limit(&e), Some(Limit::Lines { max: 10 })));
    }

    #[test]
    fn tokens_end_at_nul_too() {
        let mut r = Bounded::tokens(&b"123456\0junk\n"[..], 8);
        let mut buf = Vec::new();
        assert_eq!(r.read_line(&mut buf).unwrap(), Some(1));
        assert_eq!(buf, b"123456");
    }

    /// Reads `input` as CSV through a cap of 16 bytes a record: the records, or the limit.
    fn csv_records(input: &[u8]) -> Result<Vec<Vec<String>>, String> {
        let bounded = Bounded::csv(input, 16, 3);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bounded);
        let mut got = Vec::new();
        for record in reader.records() {
            match record {
                Ok(r) => got.push(r.iter().map(str::to_string).collect()),
                Err(e) => match e.kind() {
                    csv::ErrorKind::Io(io) => return Err(limit(io).unwrap().to_string()),
                    _ => return Err(e.to_string()),
                },
            }
        }
        Ok(got)
    }

    #[test]
    fn csv_records_are_capped_as_records_across_quoted_line_breaks() {
        assert_eq!(
            csv_records(b"a,b\n\"x\ny\",z\n").unwrap(),
            [vec!["a", "b"], vec!["x\ny", "z"]]
        );
        // Each record of 15 bytes and its terminator pass; quoted line breaks do not
        // start a new record, so the cap counts the whole record.
        assert!(csv_records(b"aaaaaaa,bbbbbbb\naaaaaaa,bbbbbbb\n").is_ok());
        let e = csv_records(b"ok\n\"aaaaaaa\nbbbbbbbbb\"\n").unwrap_err();
        assert!(e.contains("line 3 is longer than 16 bytes"), "{e}");
        let e = csv_records(b"a\nb\nc\nd\n").unwrap_err();
        assert!(e.contains("more than 3 lines"), "{e}");
        // Records that end at a bare carriage return count as lines too (checked before
        // each window of at most the cap).
        assert_eq!(csv_records(b"a\rb\rc\r").unwrap().len(), 3);
        let e = csv_records(b"a\rb\rc\rd\re\rf\rg\rh\ri\r").unwrap_err();
        assert!(e.contains("more than 3 lines"), "{e}");
    }
}
