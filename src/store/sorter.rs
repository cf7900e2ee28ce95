//! An external merge sort for `user sync`'s SQLite source: the application's rows, in the
//! order the query gives them, come out ordered by their first field (the email),
//! bytewise, in bounded memory.
//!
//! Rows are packed into a buffer; when it holds half of [`Sorter::new`]'s limit, a second
//! thread sorts it and writes it to an unnamed temporary file (a run, deleted when closed)
//! while the rows fill a second buffer. At the end a third thread merges the runs and hands
//! the rows over in batches. Input that fits in one buffer never touches a file nor starts
//! a thread. Memory: the two buffers, their indexes (24 bytes a row), a 16 KiB reader per
//! run, and a few batches.
//!
//! SQLite's own sorter (`ORDER BY` around the query) does the same job at about three
//! times the cost: it sorts whole records through its virtual machine, where this compares
//! the first 16 bytes of each email as one integer and the rest only on a tie.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::JoinHandle;

use anyhow::{Context, Result};

/// What a failure of the temporary files says (exit 6, as a database problem).
fn failed() -> String {
    format!(
        "cannot sort the users query's rows in a temporary file in {} (TMPDIR names another directory)",
        std::env::temp_dir().display()
    )
}

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

/// The fields of the row encoded at the start of `rec`.
fn decode(rec: &[u8]) -> Fields<'_> {
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
    fields
}

/// The sort key of an encoded row (NULL sorts as empty, first).
fn key_of(rec: &[u8]) -> &[u8] {
    decode(rec)[0].unwrap_or_default()
}

/// Rows held in memory: their encoded bytes, and (key prefix, start, length) of each.
#[derive(Default)]
struct Chunk {
    buf: Vec<u8>,
    index: Vec<(u128, u32, u32)>,
}

impl Chunk {
    fn row(&self, &(_, start, len): &(u128, u32, u32)) -> &[u8] {
        &self.buf[start as usize..][..len as usize]
    }

    fn push(&mut self, fields: &Fields<'_>) -> io::Result<()> {
        let start = self.buf.len();
        encode(&mut self.buf, fields)?;
        let len = self.buf.len() - start;
        let start = u32::try_from(start).map_err(io::Error::other)?;
        let len = u32::try_from(len).map_err(io::Error::other)?;
        self.index
            .push((prefix(fields[0].unwrap_or_default()), start, len));
        Ok(())
    }

    /// Sorts the index by key.
    fn sort(&mut self) {
        let buf = &self.buf;
        let key =
            |&(_, start, len): &(u128, u32, u32)| key_of(&buf[start as usize..][..len as usize]);
        self.index
            .sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| key(a).cmp(key(b))));
    }

    /// The rows, sorted, in a new unnamed temporary file, rewound; the chunk is left empty.
    fn write_run(&mut self) -> io::Result<File> {
        self.sort();
        let mut out = BufWriter::with_capacity(1 << 16, tempfile::tempfile()?);
        for entry in &self.index {
            out.write_all(self.row(entry))?;
        }
        let mut file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.rewind()?;
        self.buf.clear();
        self.index.clear();
        Ok(file)
    }
}

/// Rows in, rows out ordered by their first field.
pub struct Sorter {
    limit: usize,
    chunk: Chunk,
    writer: Option<Writer>,
    /// Chunks handed to the writer.
    spills: usize,
}

/// The thread that sorts and writes each full chunk to a run while the next one fills.
struct Writer {
    full: SyncSender<Chunk>,
    empty: Receiver<Chunk>,
    /// A chunk is being written.
    busy: bool,
    thread: JoinHandle<io::Result<Vec<File>>>,
}

impl Writer {
    fn start() -> Self {
        let (full, to_write) = mpsc::sync_channel::<Chunk>(1);
        let (written, empty) = mpsc::sync_channel(1);
        let thread = std::thread::spawn(move || {
            let mut runs = Vec::new();
            for mut chunk in to_write {
                runs.push(chunk.write_run()?);
                // The filler takes it back to fill it again, unless it has finished.
                let _ = written.send(chunk);
            }
            Ok(runs)
        });
        Writer {
            full,
            empty,
            busy: false,
            thread,
        }
    }

    /// The error that stopped the thread.
    fn failed(self) -> io::Error {
        match self.thread.join() {
            Ok(Err(e)) => e,
            _ => io::Error::other("the thread writing the sorted runs stopped"),
        }
    }
}

impl Sorter {
    /// A sorter that holds up to about `limit` bytes of rows in memory (two chunks of
    /// half of it: one filling, one being written).
    pub fn new(limit: usize) -> Self {
        Sorter {
            limit: (limit / 2).max(1),
            chunk: Chunk::default(),
            writer: None,
            spills: 0,
        }
    }

    #[cfg(test)]
    fn spilled(&self) -> usize {
        self.spills
    }

    pub fn push(&mut self, fields: &Fields<'_>) -> Result<()> {
        self.chunk.push(fields).with_context(failed)?;
        if self.chunk.buf.len() >= self.limit {
            self.spill().with_context(failed)?;
        }
        Ok(())
    }

    /// Hands the full chunk to the writer and goes on with the one it wrote before.
    fn spill(&mut self) -> io::Result<()> {
        let mut writer = self.writer.take().unwrap_or_else(Writer::start);
        let next = if writer.busy {
            match writer.empty.recv() {
                Ok(chunk) => chunk,
                Err(_) => return Err(writer.failed()),
            }
        } else {
            Chunk::default()
        };
        let full = std::mem::replace(&mut self.chunk, next);
        if writer.full.send(full).is_err() {
            return Err(writer.failed());
        }
        writer.busy = true;
        self.spills += 1;
        self.writer = Some(writer);
        Ok(())
    }

    /// Calls `each` with every row pushed, ordered by key (rows with equal keys in no
    /// particular order); stops at the first error `each` returns.
    pub fn finish(mut self, each: &mut dyn FnMut(&Fields<'_>) -> Result<()>) -> Result<()> {
        let Some(writer) = self.writer.take() else {
            self.chunk.sort();
            for entry in &self.chunk.index {
                each(&decode(self.chunk.row(entry)))?;
            }
            return Ok(());
        };
        let last = std::mem::take(&mut self.chunk);
        if !last.index.is_empty() && writer.full.send(last).is_err() {
            return Err(writer.failed()).with_context(failed);
        }
        let Writer {
            full,
            empty,
            thread,
            ..
        } = writer;
        drop((full, empty));
        let runs = match thread.join() {
            Ok(runs) => runs.with_context(failed)?,
            Err(_) => anyhow::bail!("{}: the thread writing the sorted runs stopped", failed()),
        };
        merge(runs, each)
    }
}

/// Rows the merging thread hands over at once: encoded rows back to back, and where each
/// ends.
#[derive(Default)]
struct Batch {
    buf: Vec<u8>,
    ends: Vec<usize>,
}

/// Rows in a [`Batch`].
const BATCH_ROWS: usize = 1024;

/// The read buffer of each run in the merge: the merge's memory grows by 16 KiB for every
/// run (about 1.6% of the rows' size with runs of 1 MiB).
const RUN_BUFFER: usize = 16 << 10;

/// Merges the runs on a thread of its own, which hands the rows over a batch at a time,
/// while `each` takes them on this one.
fn merge(runs: Vec<File>, each: &mut dyn FnMut(&Fields<'_>) -> Result<()>) -> Result<()> {
    let (merged, batches) = mpsc::sync_channel::<io::Result<Batch>>(2);
    let (taken, recycled) = mpsc::sync_channel::<Batch>(4);
    // When `each` fails, the receiver goes, and the thread stops at its next batch.
    std::thread::spawn(move || {
        if let Err(e) = merge_runs(runs, &merged, &recycled) {
            let _ = merged.send(Err(e));
        }
    });
    for batch in batches {
        let mut batch = batch.with_context(failed)?;
        let mut start = 0;
        for &end in &batch.ends {
            each(&decode(&batch.buf[start..end]))?;
            start = end;
        }
        batch.buf.clear();
        batch.ends.clear();
        let _ = taken.try_send(batch);
    }
    Ok(())
}

/// The merge: the smallest key of the runs' current rows, run after run (a heap).
fn merge_runs(
    files: Vec<File>,
    merged: &SyncSender<io::Result<Batch>>,
    recycled: &Receiver<Batch>,
) -> io::Result<()> {
    let mut runs = Vec::with_capacity(files.len());
    let mut heap = BinaryHeap::with_capacity(files.len());
    for file in files {
        let mut run = Run {
            reader: BufReader::with_capacity(RUN_BUFFER, file),
            rec: Vec::new(),
        };
        if run.advance()? {
            heap.push(Reverse(Head::of(&run.rec, runs.len())));
        }
        runs.push(run);
    }
    let mut batch = Batch::default();
    while let Some(Reverse(mut head)) = heap.pop() {
        let run = &mut runs[head.run];
        batch.buf.extend_from_slice(&run.rec);
        batch.ends.push(batch.buf.len());
        if run.advance()? {
            head.set(&run.rec);
            heap.push(Reverse(head));
        }
        if batch.ends.len() == BATCH_ROWS {
            let next = recycled.try_recv().unwrap_or_default();
            if merged
                .send(Ok(std::mem::replace(&mut batch, next)))
                .is_err()
            {
                return Ok(()); // the reader has stopped
            }
        }
    }
    if !batch.ends.is_empty() {
        let _ = merged.send(Ok(batch));
    }
    Ok(())
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
        let runs = sorter.spilled();
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
