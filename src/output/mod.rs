//! All stdout writing: objects and streamed lists as table, json, ndjson or csv; and the
//! helpers of what people read (groups of four, the progress bar on stderr).
//!
//! Machine output is the serialised domain structs; table output is for people. Lists are
//! written row by row as they come, so memory stays flat however long they are (tables are
//! drawn in pages of [`TABLE_PAGE`] rows for the same reason); how a table fits the
//! terminal is `layout.rs`'s.
//!
//! What people read cannot be turned against them: lines, fields and table cells show any
//! control character as an escape ([`crate::text::escape`]); every CSV cell is escaped the
//! same way, so that one record is one line, and defused where a spreadsheet would run it
//! as a formula ([`crate::text::csv_cell`], the rule of every CSV writer here: lists,
//! objects and followed rows).

use std::borrow::Cow;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::{Result, bail};
use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

use crate::cli::Format;
use crate::exit::usage;
use crate::text::{csv_cell, escape, escape_lines};

mod layout;

use layout::{Layout, layout, shorten, wrap_words};
pub use layout::{stderr_width, table_width};

/// Rows per drawn table page.
pub const TABLE_PAGE: usize = 1000;

/// An object's human rendering (table format).
pub trait Human {
    /// Writes the object for people.
    fn human(&self, out: &mut Output) -> Result<()>;
}

/// A list row: its field names (CSV header, table header) and its cells for the table.
pub trait Row: Serialize {
    const FIELDS: &'static [&'static str];
    /// Columns a table may drop to fit the terminal, least important first. The columns not
    /// named are the record's essence: when they alone do not fit, each record is stacked
    /// as `key: value` lines instead.
    const DROP_ORDER: &'static [&'static str] = &[];
    /// Free-text columns, which a table may shorten with `…`; every other cell (an email,
    /// a timestamp) is shown whole or not at all.
    const FREE_TEXT: &'static [&'static str] = &[];
    /// Columns whose `0` says nothing (no failed attempts, no drift): a table that does not
    /// fit drops them, as columns of `-` only, before any other.
    const ZERO_IS_EMPTY: &'static [&'static str] = &[];
    fn cells(&self) -> Vec<String>;
    /// The row's CSV cells in the order of `FIELDS`: [`csv_cells`], unless a row type that
    /// lists a million rows writes them directly (and a test compares the two).
    fn csv_record(&self) -> Result<Vec<Cow<'_, str>>> {
        Ok(csv_cells(self, Self::FIELDS)?
            .into_iter()
            .map(Cow::Owned)
            .collect())
    }
}

/// Where an [`Output`] writes: stdout, or a file (`export -o`).
enum Sink {
    Stdout(io::StdoutLock<'static>),
    File(std::fs::File),
}

impl Sink {
    /// Another writer to the same place (the stdout lock is reentrant; a file's clone
    /// shares its offset), for the CSV writer of a list.
    fn another(&self) -> io::Result<Sink> {
        Ok(match self {
            Sink::Stdout(_) => Sink::Stdout(io::stdout().lock()),
            Sink::File(f) => Sink::File(f.try_clone()?),
        })
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::File(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File(w) => w.flush(),
        }
    }
}

pub struct Output {
    pub format: Format,
    pub quiet: bool,
    /// Whether stdout is a terminal.
    pub tty: bool,
    /// The width tables fit (decided once: the terminal's, or `None` into a pipe).
    pub width: Option<usize>,
    w: BufWriter<Sink>,
}

impl Output {
    pub fn new(format: Format, quiet: bool, tty: bool) -> Self {
        Output {
            format,
            quiet,
            tty,
            width: table_width(tty),
            // A million-row list (100 MB) in 1600 writes rather than 13000.
            w: BufWriter::with_capacity(1 << 16, Sink::Stdout(io::stdout().lock())),
        }
    }

    /// Output in `format` into `file` instead of stdout (never a terminal: tables are not
    /// wrapped).
    pub fn to_file(format: Format, file: std::fs::File) -> Self {
        Output {
            format,
            quiet: true,
            tty: false,
            width: None,
            w: BufWriter::with_capacity(1 << 16, Sink::File(file)),
        }
    }

    /// A line (or lines) of text for people; control characters escaped; on a terminal
    /// wrapped at spaces to its width, continuations indented (never inside a word: an
    /// email, a timestamp, a URI stays whole).
    pub fn line(&mut self, text: impl AsRef<str>) -> Result<()> {
        let text = escape_lines(text.as_ref());
        match self.width {
            Some(width) => writeln!(self.w, "{}", crate::text::wrap(&text, width, 2))?,
            None => writeln!(self.w, "{text}")?,
        }
        Ok(())
    }

    /// Raw text without a newline, as it is (the QR code's colours): never stored text.
    pub fn text(&mut self, text: impl AsRef<str>) -> Result<()> {
        write!(self.w, "{}", text.as_ref())?;
        Ok(())
    }

    pub fn flush(&mut self) -> Result<()> {
        self.w.flush()?;
        Ok(())
    }

    /// `label   value` lines, aligned, for one object; on a terminal a long value wraps at
    /// spaces under itself.
    pub fn fields(&mut self, pairs: &[(&str, String)]) -> Result<()> {
        let width = pairs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        for (k, v) in pairs {
            let line = format!(
                "{:width$}  {}",
                format!("{k}:"),
                escape(v),
                width = width + 1
            );
            match self.width {
                Some(columns) => {
                    writeln!(self.w, "{}", crate::text::wrap(&line, columns, width + 3))?
                }
                None => writeln!(self.w, "{line}")?,
            }
        }
        Ok(())
    }

    fn json_value<T: Serialize + ?Sized>(&mut self, value: &T, pretty: bool) -> Result<()> {
        // io::Error from a serde_json error keeps the BrokenPipe kind that main looks for.
        if pretty {
            serde_json::to_writer_pretty(&mut self.w, value).map_err(io::Error::from)?;
        } else {
            serde_json::to_writer(&mut self.w, value).map_err(io::Error::from)?;
        }
        writeln!(self.w)?;
        Ok(())
    }

    /// One object as one line of JSON, whatever the format (`verify --batch` answers).
    pub fn ndjson<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.json_value(value, false)
    }

    /// One object in the chosen format. CSV is for lists; a flat object is one row.
    pub fn object<T: Serialize + Human>(&mut self, value: &T) -> Result<()> {
        match self.format {
            Format::Table => value.human(self),
            Format::Json => self.json_value(value, true),
            Format::Ndjson => self.json_value(value, false),
            Format::Csv => {
                // One object: its header and cells as the CSV serializer writes them, read
                // back, then written escaped and defused.
                let not_csv = |e: csv::Error| {
                    usage(format!(
                        "this output cannot be CSV ({e}); use --format json"
                    ))
                };
                let mut plain = csv::Writer::from_writer(Vec::new());
                plain.serialize(value).map_err(not_csv)?;
                let plain = plain
                    .into_inner()
                    .map_err(|e| anyhow::anyhow!("{}", e.error()))?;
                let mut w = csv::Writer::from_writer(&mut self.w);
                for record in csv::ReaderBuilder::new()
                    .has_headers(false)
                    .from_reader(&plain[..])
                    .records()
                {
                    let record = record.map_err(not_csv)?;
                    w.write_record(record.iter().map(|c| csv_cell(c).into_owned()))
                        .map_err(io::Error::from)?;
                }
                w.flush()?;
                Ok(())
            }
        }
    }

    /// Starts a streamed list.
    pub fn list<T: Row>(&mut self) -> Result<List<'_, T>> {
        let mut list = List {
            out: self,
            count: 0,
            page: Vec::new(),
            hidden_noted: false,
            csv: None,
            _row: std::marker::PhantomData,
        };
        match list.out.format {
            Format::Json => list.out.text("[")?,
            Format::Csv => {
                // The CSV writer buffers by itself and writes to the sink directly; what
                // Output buffered goes first.
                list.out.flush()?;
                let mut w = csv::WriterBuilder::new()
                    .has_headers(false)
                    .buffer_capacity(1 << 16)
                    .from_writer(list.out.w.get_ref().another()?);
                w.write_record(T::FIELDS).map_err(io::Error::from)?;
                list.csv = Some(w);
            }
            _ => {}
        }
        Ok(list)
    }
}

/// A list being written.
pub struct List<'o, T: Row> {
    out: &'o mut Output,
    count: u64,
    page: Vec<Vec<String>>,
    /// Whether stderr was told which columns a narrow terminal hid.
    hidden_noted: bool,
    csv: Option<csv::Writer<Sink>>,
    _row: std::marker::PhantomData<T>,
}

impl<T: Row> List<'_, T> {
    pub fn push(&mut self, row: &T) -> Result<()> {
        self.count += 1;
        match self.out.format {
            Format::Table => {
                self.page.push(row.cells());
                if self.page.len() >= TABLE_PAGE {
                    self.draw_page()?;
                }
            }
            Format::Json => {
                self.out
                    .text(if self.count == 1 { "\n  " } else { ",\n  " })?;
                serde_json::to_writer(&mut self.out.w, row).map_err(io::Error::from)?;
            }
            Format::Ndjson => self.out.json_value(row, false)?,
            Format::Csv => {
                if let Some(w) = self.csv.as_mut() {
                    w.write_record(row.csv_record()?.iter().map(|c| c.as_bytes()))
                        .map_err(io::Error::from)?;
                }
            }
        }
        Ok(())
    }

    fn draw_page(&mut self) -> Result<()> {
        if self.page.is_empty() {
            return Ok(());
        }
        // What the terminal shows is the escaped text (stored control characters as
        // `\u{1b}`): measure and draw that.
        for cells in self.page.iter_mut() {
            for cell in cells.iter_mut() {
                if let std::borrow::Cow::Owned(escaped) = escape(cell) {
                    *cell = escaped;
                }
            }
        }
        let headers: Vec<String> = T::FIELDS
            .iter()
            .map(|f| f.to_uppercase().replace('_', " "))
            .collect();
        let free: Vec<bool> = T::FIELDS.iter().map(|f| T::FREE_TEXT.contains(f)).collect();
        // A column says nothing on this page when every cell is `-` (or `0` where zero is
        // nothing). Each page of a table is laid out from its own rows (the first
        // TABLE_PAGE rows, which a table buffers anyway; a million-row audit never holds
        // more), so a later page that has a value in such a column shows it.
        let empty: Vec<bool> = T::FIELDS
            .iter()
            .enumerate()
            .map(|(i, field)| {
                self.page.iter().all(|cells| {
                    let cell = cells.get(i).map_or("", String::as_str);
                    cell.is_empty()
                        || cell == "-"
                        || (cell == "0" && T::ZERO_IS_EMPTY.contains(field))
                })
            })
            .collect();
        let drop_order: Vec<usize> = T::DROP_ORDER
            .iter()
            .filter_map(|d| T::FIELDS.iter().position(|f| f == d))
            .collect();
        let columns = match self.out.width {
            None => (0..headers.len()).map(|i| (i, usize::MAX)).collect(),
            Some(width) => match layout(&headers, &self.page, &free, &empty, &drop_order, width) {
                Layout::Columns(columns) => columns,
                Layout::Stacked => return self.draw_stacked(),
            },
        };
        if columns.len() < headers.len() && !self.out.quiet && !self.hidden_noted {
            self.hidden_noted = true;
            let hidden: Vec<&str> = (0..headers.len())
                .filter(|i| !columns.iter().any(|(c, _)| c == i))
                .map(|i| T::FIELDS[i])
                .collect();
            let blank = (0..headers.len())
                .filter(|&i| empty[i] && !columns.iter().any(|(c, _)| *c == i))
                .count();
            let _ = writeln!(
                io::stderr(),
                "({} hidden to fit the terminal, {blank} of them empty; --format csv shows all)",
                counted(hidden.len() as u64, "column", "columns")
            );
        }
        let mut table = Table::new();
        table
            .load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .force_no_tty()
            .set_header(columns.iter().map(|&(i, w)| wrap_words(&headers[i], w)));
        for cells in self.page.drain(..) {
            table.add_row(columns.iter().map(|&(i, w)| {
                let cell = cells.get(i).map_or("", String::as_str);
                if free[i] {
                    shorten(cell, w)
                } else {
                    cell.to_string()
                }
            }));
        }
        writeln!(self.out.w, "{table}")?;
        Ok(())
    }

    /// Each record of the page as `key: value` lines, a blank line between records.
    fn draw_stacked(&mut self) -> Result<()> {
        let key = T::FIELDS.iter().map(|f| f.len()).max().unwrap_or(0) + 1;
        let room = self
            .out
            .width
            .map_or(usize::MAX, |w| w.saturating_sub(key + 1).max(1));
        for cells in self.page.drain(..) {
            for (field, value) in T::FIELDS.iter().zip(cells) {
                let value = if T::FREE_TEXT.contains(field) {
                    shorten(&value, room)
                } else {
                    value
                };
                writeln!(self.out.w, "{:key$} {value}", format!("{field}:"))?;
            }
            writeln!(self.out.w)?;
        }
        Ok(())
    }

    /// Ends the list; returns how many rows it had.
    pub fn finish(mut self) -> Result<u64> {
        match self.out.format {
            Format::Table => self.draw_page()?,
            Format::Json => self.out.line(if self.count == 0 { "]" } else { "\n]" })?,
            Format::Csv => {
                if let Some(w) = self.csv.as_mut() {
                    w.flush()?;
                }
            }
            Format::Ndjson => {}
        }
        self.out.flush()?;
        Ok(self.count)
    }
}

impl Output {
    /// One row of a list that never ends (`log --follow`), written and flushed at once:
    /// json and ndjson as one object a line, csv with its header before the first row,
    /// table as one line of cells (control characters escaped).
    pub fn follow_row<T: Row>(&mut self, row: &T, first: bool) -> Result<()> {
        match self.format {
            Format::Json | Format::Ndjson => self.json_value(row, false)?,
            Format::Csv => {
                let mut w = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(&mut self.w);
                if first {
                    w.write_record(T::FIELDS).map_err(io::Error::from)?;
                }
                w.write_record(row.csv_record()?.iter().map(|c| c.as_bytes()))
                    .map_err(io::Error::from)?;
                w.flush()?;
            }
            Format::Table => {
                let cells: Vec<String> = row
                    .cells()
                    .iter()
                    .map(|c| crate::text::escape(c).into_owned())
                    .collect();
                writeln!(self.w, "{}", cells.join("  "))?;
            }
        }
        self.flush()
    }
}

/// The mode of the regular file that stdout is, when group or others can read it (a
/// redirection under umask 022); `None` for a pipe, a terminal or a private file.
pub fn stdout_file_readable_by_others() -> Option<u32> {
    use std::os::fd::AsFd;
    use std::os::unix::fs::PermissionsExt;
    let fd = io::stdout().as_fd().try_clone_to_owned().ok()?;
    let meta = std::fs::File::from(fd).metadata().ok()?;
    let mode = meta.permissions().mode() & 0o777;
    (meta.is_file() && mode & 0o044 != 0).then_some(mode)
}

/// Writes `bytes` to `path` so that a reader sees the old file or the whole new one: a
/// temporary file beside it, synced, then renamed over it.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| usage(format!("'{}' is not a file name", path.display())))?;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.map_or_else(|| Path::new(&tmp_name).to_path_buf(), |d| d.join(&tmp_name));
    let write = || -> io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        usage(format!("cannot write {}: {e}", path.display()))
    })
}

/// The CSV cells of a list row, in the order of `fields`: text escaped and defused
/// ([`csv_cell`]), numbers and booleans as they are, an absent value empty.
pub fn csv_cells<T: Serialize + ?Sized>(row: &T, fields: &[&str]) -> Result<Vec<String>> {
    let serde_json::Value::Object(mut map) = serde_json::to_value(row)? else {
        bail!("a list row is not a flat object");
    };
    fields
        .iter()
        .map(|f| {
            Ok(match map.remove(*f) {
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(s)) => match csv_cell(&s) {
                    std::borrow::Cow::Borrowed(_) => s,
                    std::borrow::Cow::Owned(d) => d,
                },
                Some(serde_json::Value::Bool(b)) => b.to_string(),
                Some(serde_json::Value::Number(n)) => n.to_string(),
                Some(_) => bail!(usage(format!(
                    "the field '{f}' is not flat; use --format json"
                ))),
            })
        })
        .collect()
}

/// Serialises an optional unix time as RFC 3339 (or null).
pub fn opt_time<S: serde::Serializer>(t: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    let mut buf = [0u8; 20];
    match t {
        Some(t) => match crate::clock::rfc3339_into(*t, &mut buf) {
            Some(text) => s.serialize_str(text),
            None => s.serialize_str(&crate::clock::rfc3339(*t)),
        },
        None => s.serialize_none(),
    }
}

/// Serialises a unix time as RFC 3339.
pub fn time<S: serde::Serializer>(t: &i64, s: S) -> Result<S::Ok, S::Error> {
    opt_time(&Some(*t), s)
}

/// `-` for an absent value in tables.
pub fn cell<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_string(), |v| v.to_string())
}

/// `yes`/`no` in tables.
pub fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

/// Refuses CSV for commands whose output is nested (before anything changes).
pub fn flat_only(format: Format, what: &str) -> Result<()> {
    if format == Format::Csv {
        bail!(usage(format!(
            "'{what}' output is not a flat list; use --format json, ndjson or table"
        )));
    }
    Ok(())
}

/// `ABCD EFGH …`: a secret or code in groups of four, for reading and typing by hand.
pub fn group_by_four(s: &str) -> String {
    s.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A progress bar on stderr for bulk work: only when `visible` (a terminal, no --quiet),
/// and only once the work has run for about a second.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    started: std::time::Instant,
    shown: std::cell::Cell<bool>,
}

impl Progress {
    pub fn new(visible: bool, total: Option<u64>, message: &'static str) -> Self {
        let bar = visible.then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                total,
                indicatif::ProgressDrawTarget::hidden(),
            );
            bar.set_message(message);
            if let Ok(style) = indicatif::ProgressStyle::with_template(if total.is_some() {
                "{msg} {wide_bar} {pos}/{len} ({eta} left)"
            } else {
                "{msg} {spinner} {pos} ({per_sec})"
            }) {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            started: std::time::Instant::now(),
            shown: std::cell::Cell::new(false),
        }
    }

    pub fn inc(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if !self.shown.get()
                && bar.position() % 256 == 0
                && self.started.elapsed() > std::time::Duration::from_secs(1)
            {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                self.shown.set(true);
            }
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// `1 account`, `2 accounts`: a count and its noun, agreeing in number.
pub fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Sample {
        name: String,
        n: i64,
        ok: bool,
        none: Option<String>,
    }

    #[test]
    fn csv_cells_are_defused_in_field_order() {
        let row = Sample {
            name: "=HYPERLINK(\"http://x\",\"y\")".into(),
            n: -3,
            ok: true,
            none: None,
        };
        assert_eq!(
            csv_cells(&row, &["ok", "name", "n", "none"]).unwrap(),
            ["true", "'=HYPERLINK(\"http://x\",\"y\")", "-3", ""]
        );
        let row = Sample {
            name: "two\nlines\u{1b}[2J".into(),
            n: 0,
            ok: false,
            none: Some("\r".into()),
        };
        assert_eq!(
            csv_cells(&row, &["name", "none"]).unwrap(),
            ["two\\nlines\\u{1b}[2J", "'\\r"]
        );
    }

    #[test]
    fn groups_of_four() {
        assert_eq!(group_by_four("ABCDEFGHIJ"), "ABCD EFGH IJ");
        assert_eq!(group_by_four("ABCD"), "ABCD");
        assert_eq!(group_by_four(""), "");
    }

    #[test]
    fn counts_agree_in_number() {
        assert_eq!(counted(0, "account", "accounts"), "0 accounts");
        assert_eq!(counted(1, "account", "accounts"), "1 account");
        assert_eq!(counted(2, "try", "tries"), "2 tries");
    }
}
