//! An external merge sort for `user sync`'s SQLite source: the application's rows, in the
//! order the query gives them, come out ordered by their first field (the email),
//! bytewise, in bounded memory.
//!
//! Rows are packed into one buffer; when it holds [`Sorter::new`]'s limit, it is sorted and
//! written to an unnamed temporary file (a run, deleted when closed); at the end the runs
//! are merged. Input that fits in the buffer never touches a file. Memory: the buffer, its
//! index (24 bytes a row), and a 64 KiB reader per run.
//!
//! SQLite's own sorter (`ORDER BY` around the query) does the same job at about three
//! times the cost: it sorts whole records through its virtual machine, where this compares
//! the first 16 bytes of each email as one integer and the rest only on a tie.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};

use anyhow::{Context, Result};

/// What a failure of the temporary files says (exit 6, as a database problem).
const FAILED: &str = "cannot sort the users query's rows in a temporary file (TMPDIR)";

/// Fields of a row; the first is the sort key.
pub const FIELDS: usize = 4;

/// A field's length word that stands for NULL.
const NULL: u32 = u32::MAX;

/// One row's fields (`None`: NULL).
pub type Fields<'a> = [Option<&'a [u8]>; FIELDS];

/// The first 16 bytes of a key as a big-endian integer: comparing two of these orders
/// keys as their bytes do, except that a tie needs the whole keys.
fn prefix(key: &[u8]) -> u128 {
    let mut bytes = [0u8; 16];
    let n = key.len().min(16);
    bytes[..n].copy_from_slice(&key[..n]);
    u128::from_be_bytes(bytes)
}

/// Appends a row to `buf`: each field as a little-endian length word (or [`NULL`]) and its
/// bytes.
fn encode(buf: &mut Vec<u8>, fields: &Fields<'_>) -> io::Result<()> {
    for field in fields {
        match field {
            None => buf.extend_from_slice(&NULL.to_le_bytes()),
            Some(bytes) => {
                let len = u32::try_from(bytes.len())
                    .ok()
                    .filter(|&n| n != NULL)
                    .ok_or_else(|| io::Error::other("a value of the users query is over 4 GiB"))?;
                buf.extend_from_slice(&len.to_le_bytes());
                buf.extend_from_slice(bytes);
            }
        }
    }
    Ok(())
}

/// The fields of the row encoded at the start of `rec`, and its encoded length.
fn decode(rec: &[u8]) -> (Fields<'_>, usize) {
    let mut fields: Fields<'_> = [None; FIELDS];
    let mut at = 0;
    for field in &mut fields {
        let len = u32::from_le_bytes(rec[at..at + 4].try_into().expect("4 bytes"));
        at += 4;
        if len != NULL {
            let len = len as usize;
            *field = Some(&rec[at..at + len]);
            at += len;
        }
    }
    (fields, at)
}

/// The sort key of an encoded row (NULL sorts as empty, first).
fn key_of(rec: &[u8]) -> &[u8] {
    decode(rec).0[0].unwrap_or_default()
}

/// Rows in, rows out ordered by their first field.
pub struct Sorter {
    limit: usize,
    buf: Vec<u8>,
    /// (key prefix, start, length) of each row in `buf`.
    index: Vec<(u128, u32, u32)>,
    runs: Vec<File>,
}

impl Sorter {
    /// A sorter that holds up to about `limit` bytes of rows in memory.
    pub fn new(limit: usize) -> Self {
        Sorter {
            limit: limit.max(1),
            buf: Vec::new(),
            index: Vec::new(),
            runs: Vec::new(),
        }
    }

    pub fn push(&mut self, fields: &Fields<'_>) -> Result<()> {
        self.add(fields).context(FAILED)
    }

    fn add(&mut self, fields: &Fields<'_>) -> io::Result<()> {
        let start = self.buf.len();
        encode(&mut self.buf, fields)?;
        let len = self.buf.len() - start;
        let start = u32::try_from(start).map_err(io::Error::other)?;
        let len = u32::try_from(len).map_err(io::Error::other)?;
        self.index
            .push((prefix(fields[0].unwrap_or_default()), start, len));
        if self.buf.len() >= self.limit {
            self.spill()?;
        }
        Ok(())
    }

    /// Sorts the rows held in memory by key.
    fn sort(&mut self) {
        let buf = &self.buf;
        let row = |start: u32, len: u32| &buf[start as usize..(start + len) as usize];
        self.index.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| key_of(row(a.1, a.2)).cmp(key_of(row(b.1, b.2))))
        });
    }

    /// Writes the rows held in memory, sorted, to a new run.
    fn spill(&mut self) -> io::Result<()> {
        self.sort();
        let mut out = BufWriter::with_capacity(1 << 16, tempfile::tempfile()?);
        for &(_, start, len) in &self.index {
            out.write_all(&self.buf[start as usize..(start + len) as usize])?;
        }
        let mut file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        std::io::Seek::rewind(&mut file)?;
        self.runs.push(file);
        self.buf.clear();
        self.index.clear();
        Ok(())
    }

    /// Calls `each` with every row pushed, ordered by key (rows with equal keys in no
    /// particular order); stops at the first error `each` returns.
    pub fn finish(mut self, each: &mut dyn FnMut(&Fields<'_>) -> Result<()>) -> Result<()> {
        if self.runs.is_empty() {
            self.sort();
            for &(_, start, len) in &self.index {
                let (fields, _) = decode(&self.buf[start as usize..(start + len) as usize]);
                each(&fields)?;
            }
            return Ok(());
        }
        if !self.index.is_empty() {
            self.spill().context(FAILED)?;
        }
        self.buf = Vec::new();
        self.index = Vec::new();
        let mut runs = Vec::with_capacity(self.runs.len());
        let mut heap = BinaryHeap::with_capacity(self.runs.len());
        for file in std::mem::take(&mut self.runs) {
            let mut run = Run {
                reader: BufReader::with_capacity(1 << 16, file),
                rec: Vec::new(),
            };
            if run.advance().context(FAILED)? {
                heap.push(Reverse(Head::of(&run.rec, runs.len())));
            }
            runs.push(run);
        }
        while let Some(Reverse(mut head)) = heap.pop() {
            let run = &mut runs[head.run];
            each(&decode(&run.rec).0)?;
            if run.advance().context(FAILED)? {
                head.set(&run.rec);
                heap.push(Reverse(head));
            }
        }
        Ok(())
    }
}

/// A run being merged: its reader and its current row.
struct Run {
    reader: BufReader<File>,
    rec: Vec<u8>,
}

impl Run {
    /// Reads the next row into `rec`; false at the end of the run.
    fn advance(&mut self) -> io::Result<bool> {
        self.rec.clear();
        for i in 0..FIELDS {
            let mut word = [0u8; 4];
            if i == 0 {
                // The end of the run falls between rows.
                match self.reader.read(&mut word[..1])? {
                    0 => return Ok(false),
                    _ => self.reader.read_exact(&mut word[1..])?,
                }
            } else {
                self.reader.read_exact(&mut word)?;
            }
            self.rec.extend_from_slice(&word);
            let len = u32::from_le_bytes(word);
            if len != NULL {
                let at = self.rec.len();
                self.rec.resize(at + len as usize, 0);
                self.reader.read_exact(&mut self.rec[at..])?;
            }
        }
        Ok(true)
    }
}

/// A run's current key in the merge's heap.
#[derive(PartialEq, Eq)]
struct Head {
    prefix: u128,
    key: Vec<u8>,
    run: usize,
}

impl Head {
    fn of(rec: &[u8], run: usize) -> Self {
        let mut head = Head {
            prefix: 0,
            key: Vec::new(),
            run,
        };
        head.set(rec);
        head
    }

    /// Takes the key of `rec`, reusing the buffer.
    fn set(&mut self, rec: &[u8]) {
        let key = key_of(rec);
        self.prefix = prefix(key);
        self.key.clear();
        self.key.extend_from_slice(key);
    }
}

impl Ord for Head {
    fn cmp(&self, other: &Self) -> Ordering {
        self.prefix
            .cmp(&other.prefix)
            .then_with(|| self.key.cmp(&other.key))
            .then_with(|| self.run.cmp(&other.run))
    }
}

impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    type Row = [Option<Vec<u8>>; FIELDS];

    fn sorted(rows: &[Row], limit: usize) -> (Vec<Row>, usize) {
        let mut sorter = Sorter::new(limit);
        for row in rows {
            let fields: Fields<'_> = std::array::from_fn(|i| row[i].as_deref());
            sorter.push(&fields).unwrap();
        }
        let runs = sorter.runs.len();
        let mut out = Vec::new();
        sorter
            .finish(&mut |fields| {
                out.push(std::array::from_fn(|i| fields[i].map(<[u8]>::to_vec)));
                Ok(())
            })
            .unwrap();
        (out, runs)
    }

    fn field() -> impl Strategy<Value = Option<Vec<u8>>> {
        prop_oneof![
            1 => Just(None),
            8 => proptest::collection::vec(any::<u8>(), 0..40).prop_map(Some),
            // Long shared prefixes: ties of the 16-byte prefix.
            4 => "[ab]{0,3}".prop_map(|s| Some(format!("paul.quinn.xyz.0{s}").into_bytes())),
        ]
    }

    proptest! {
        /// Whatever the rows and the memory limit (all in memory, or many runs), the rows
        /// come out as a stable sort by key would give them, up to the order of equal keys.
        #[test]
        fn sorts_like_the_standard_sort(
            rows in proptest::collection::vec(proptest::array::uniform4(field()), 0..300),
            limit in prop_oneof![Just(1usize), 16usize..4096, Just(1 << 20)],
        ) {
            let (out, _) = sorted(&rows, limit);
            let key = |r: &Row| r[0].clone().unwrap_or_default();
            let mut want = rows.clone();
            want.sort_by_key(key);
            let mut got = out;
            prop_assert_eq!(got.len(), want.len());
            // Equal keys may come in any order: compare each group of equal keys as a set.
            got.sort_by(|a, b| key(a).cmp(&key(b)).then_with(|| a.cmp(b)));
            want.sort_by(|a, b| key(a).cmp(&key(b)).then_with(|| a.cmp(b)));
            prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn small_input_stays_in_memory_and_large_input_spills() {
        let rows: Vec<Row> = (0..1000u32)
            .rev()
            .map(|i| {
                [
                    Some(format!("user{i:05}@example.com").into_bytes()),
                    None,
                    Some(b"name".to_vec()),
                    Some(i.to_string().into_bytes()),
                ]
            })
            .collect();
        let (out, runs) = sorted(&rows, 1 << 20);
        assert_eq!(runs, 0, "1000 short rows fit in 1 MiB");
        let (spilled, runs) = sorted(&rows, 4096);
        assert!(runs > 5, "4 KiB of memory takes several runs, got {runs}");
        assert_eq!(out, spilled);
        let emails: Vec<_> = out.iter().map(|r| r[0].clone().unwrap()).collect();
        assert_eq!(emails[0], b"user00000@example.com");
        assert_eq!(emails[999], b"user00999@example.com");
        assert!(emails.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(out[0][3].as_deref(), Some(&b"0"[..]), "the row stays whole");
        assert_eq!(out[0][1], None, "NULL stays NULL");
    }
}
