//! All stdout writing: objects and streamed lists as table, json, ndjson or csv; and the
//! helpers of what people read (groups of four, the progress bar on stderr).
//!
//! Machine output is the serialised domain structs; table output is for people. Lists are
//! written row by row as they come, so memory stays flat however long they are (tables are
//! drawn in pages of [`TABLE_PAGE`] rows for the same reason).
//!
//! What people read cannot be turned against them: lines, fields and table cells show any
//! control character as an escape ([`crate::text::escape`]), and every CSV cell that a
//! spreadsheet would run as a formula is defused ([`crate::text::defuse_csv`]), in the one
//! CSV writer, [`csv_cells`].

use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::{Result, bail};
use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

use crate::cli::Format;
use crate::exit::usage;
use crate::text::{defuse_csv, escape, escape_lines};

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
    fn cells(&self) -> Vec<String>;
}

pub struct Output {
    pub format: Format,
    pub quiet: bool,
    /// Whether stdout is a terminal (tables fit its width).
    pub tty: bool,
    w: BufWriter<io::StdoutLock<'static>>,
}

impl Output {
    pub fn new(format: Format, quiet: bool, tty: bool) -> Self {
        Output {
            format,
            quiet,
            tty,
            // A million-row list (100 MB) in 1600 writes rather than 13000.
            w: BufWriter::with_capacity(1 << 16, io::stdout().lock()),
        }
    }

    /// A line (or lines) of text for people; control characters escaped.
    pub fn line(&mut self, text: impl AsRef<str>) -> Result<()> {
        writeln!(self.w, "{}", escape_lines(text.as_ref()))?;
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

    /// `label   value` lines, aligned, for one object.
    pub fn fields(&mut self, pairs: &[(&str, String)]) -> Result<()> {
        let width = pairs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        for (k, v) in pairs {
            writeln!(
                self.w,
                "{:width$}  {}",
                format!("{k}:"),
                escape(v),
                width = width + 1
            )?;
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
                // back, then written defused.
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
                    w.write_record(record.iter().map(|c| defuse_csv(c).into_owned()))
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
            csv: None,
            _row: std::marker::PhantomData,
        };
        match list.out.format {
            Format::Json => list.out.text("[")?,
            Format::Csv => {
                // The CSV writer buffers by itself and writes to stdout directly (the
                // stdout lock is reentrant); what Output buffered goes first.
                list.out.flush()?;
                let mut w = csv::WriterBuilder::new()
                    .has_headers(false)
                    .buffer_capacity(1 << 16)
                    .from_writer(io::stdout().lock());
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
    csv: Option<csv::Writer<io::StdoutLock<'static>>>,
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
                    w.write_record(csv_cells(row, T::FIELDS)?)
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
        let mut table = Table::new();
        table
            .load_style(presets::UTF8_FULL_CONDENSED)
            .set_header(T::FIELDS.iter().map(|f| f.to_uppercase().replace('_', " ")));
        if self.out.tty {
            table.set_content_arrangement(ContentArrangement::Dynamic);
        } else {
            table.force_no_tty();
        }
        for cells in self.page.drain(..) {
            table.add_row(cells.iter().map(|c| escape(c).into_owned()));
        }
        writeln!(self.out.w, "{table}")?;
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
                w.write_record(csv_cells(row, T::FIELDS)?)
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

/// The CSV cells of a list row, in the order of `fields`: text defused
/// ([`defuse_csv`]), numbers and booleans as they are, an absent value empty.
pub fn csv_cells<T: Serialize>(row: &T, fields: &[&str]) -> Result<Vec<String>> {
    let serde_json::Value::Object(mut map) = serde_json::to_value(row)? else {
        bail!("a list row is not a flat object");
    };
    fields
        .iter()
        .map(|f| {
            Ok(match map.remove(*f) {
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(s)) => match defuse_csv(&s) {
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
