//! The application's SQLite database as `user sync` reads it: opened to read only, the
//! users query checked before it runs, its rows sorted by email in bounded memory and
//! temporary files (the `extsort` crate).

use std::cmp::Ordering;
use std::io::{self, Read, Write};
use std::path::Path;

use anyhow::Result;
use extsort::{ExternalSorter, Sortable};
use rusqlite::Connection;
use rusqlite::types::ValueRef;

use super::{Db, connect, text_of};
use crate::exit::{database, usage};
use crate::store::sync::{AppUser, Source, user_columns, users_as_text, writing_query};

/// Rows sorted in memory before they go to a temporary file: about 4 MiB of rows.
const SORT_ROWS: usize = 20_000;

/// The application's SQLite database, for `user sync`'s query: opened read-only
/// (`SQLITE_OPEN_READ_ONLY`: the file is never opened for writing, so closing the
/// connection never checkpoints or deletes the application's WAL), and `query_only`.
pub struct SqliteSource {
    conn: Connection,
}

impl SqliteSource {
    pub fn open(path: &Path) -> Result<Self> {
        let shown = path.display();
        if !path.is_file() {
            return Err(database(format!("no database at {shown}")));
        }
        let conn = connect(path, true)?;
        // Nothing on this connection can change the database, whatever the query says.
        conn.pragma_update(None, "query_only", true)
            .db(&format!("cannot open database {shown} to read only"))?;
        Ok(SqliteSource { conn })
    }
}

/// A row of the users query as it is sorted: its four values (email, org, name,
/// external_id) one after another in one string.
struct UserRow {
    text: String,
    /// Each value's length in `text`; `None` for NULL.
    lens: [Option<u32>; 4],
    /// The email's first 16 bytes as a big-endian number ([`prefix`]).
    key: u128,
}

/// The first 16 bytes of `email` (zero-padded) as a big-endian number: two of these compare
/// as the emails' bytes do, unless they are equal; then the whole emails decide. Most
/// comparisons of the sort are then one of two numbers.
fn prefix(email: Option<&str>) -> u128 {
    let email = email.unwrap_or("").as_bytes();
    let mut bytes = [0; 16];
    let n = email.len().min(16);
    bytes[..n].copy_from_slice(&email[..n]);
    u128::from_be_bytes(bytes)
}

/// The length word of a NULL value in a temporary file.
const NULL: u32 = u32::MAX;

impl UserRow {
    fn value(&self, i: usize) -> Option<&str> {
        let start: usize = self.lens[..i].iter().flatten().map(|&n| n as usize).sum();
        self.lens[i].map(|n| &self.text[start..start + n as usize])
    }

    /// Emails compare bytewise, as twofa's are stored; NULL first.
    fn by_email(a: &UserRow, b: &UserRow) -> Ordering {
        a.value(0)
            .map(str::as_bytes)
            .cmp(&b.value(0).map(str::as_bytes))
    }
}

impl Sortable for UserRow {
    /// The four length words, then the text.
    fn encode<W: Write>(&self, w: &mut W) -> io::Result<()> {
        for len in self.lens {
            w.write_all(&len.unwrap_or(NULL).to_le_bytes())?;
        }
        w.write_all(self.text.as_bytes())
    }

    fn decode<R: Read>(r: &mut R) -> io::Result<Self> {
        let mut lens = [None; 4];
        let mut total = 0;
        for len in &mut lens {
            let mut word = [0; 4];
            r.read_exact(&mut word)?;
            let n = u32::from_le_bytes(word);
            if n != NULL {
                *len = Some(n);
                total += n as usize;
            }
        }
        let mut bytes = vec![0; total];
        r.read_exact(&mut bytes)?;
        let text = String::from_utf8(bytes).map_err(io::Error::other)?;
        let mut row = UserRow { text, lens, key: 0 };
        row.key = prefix(row.value(0));
        Ok(row)
    }
}

/// What a failure of the sort's temporary files says (exit 6, as a database problem).
fn sort_failed(e: io::Error) -> anyhow::Error {
    database(format!(
        "cannot sort the users query's rows in a temporary file in {} (TMPDIR names another directory): {e}",
        std::env::temp_dir().display()
    ))
}

/// [`SORT_ROWS`], or in debug builds `TWOFA_TEST_SORT_MEMORY` (bytes, at about 100 a row),
/// so that the binary's tests can make a small sync go through temporary files.
fn sort_rows() -> usize {
    #[cfg(debug_assertions)]
    if let Some(n) = std::env::var("TWOFA_TEST_SORT_MEMORY")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        return (n / 100).max(1);
    }
    SORT_ROWS
}

impl Source for SqliteSource {
    fn users(&mut self, sql: &str, each: &mut dyn FnMut(AppUser<'_>) -> Result<()>) -> Result<()> {
        let sql = sql.trim().trim_end_matches(';').trim_end();
        let refused = |e: rusqlite::Error| usage(format!("cannot run the users query: {e}"));
        let stmt = self.conn.prepare(sql).map_err(refused)?;
        if !stmt.readonly() {
            return Err(writing_query());
        }
        let names: Vec<String> = stmt.column_names().map(str::to_string).collect();
        let cols = user_columns(&names)?;
        drop(stmt);
        // Every value as text (the query's values are compared as text), as the query
        // gives them; then sorted by email (see `Source::users`).
        let as_text = |c: &str| format!("CAST({c} AS TEXT)");
        let mut stmt = (self.conn)
            .prepare(&users_as_text(sql, &names, &cols, as_text, None))
            .map_err(refused)?;
        let mut rows = stmt.query([]).db("cannot run the users query")?;
        let sorter = ExternalSorter::new().with_segment_size(sort_rows());
        let mut sorter = sorter.pushed_by(UserRow::by_email);
        while let Some(row) = rows.next().db("cannot read the users query")? {
            let mut user = UserRow {
                text: String::new(),
                lens: [None; 4],
                key: 0,
            };
            for (i, len) in user.lens.iter_mut().enumerate() {
                if let ValueRef::Text(t) = row.get_ref(i).db("cannot read the users query")? {
                    let t = text_of(t);
                    user.text.push_str(&t);
                    *len = Some(t.len() as u32);
                }
            }
            user.key = prefix(user.value(0));
            sorter.push(user).map_err(sort_failed)?;
        }
        drop(rows);
        for user in sorter.done().map_err(sort_failed)? {
            let user = user.map_err(sort_failed)?;
            each(AppUser {
                email: user.value(0).map(Into::into),
                org: user.value(1).map(Into::into),
                name: cols[2].map(|_| user.value(2).map(Into::into)),
                external_id: cols[3].map(|_| user.value(3).map(Into::into)),
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(values: [Option<&str>; 4]) -> UserRow {
        let mut row = UserRow {
            text: String::new(),
            lens: [None; 4],
            key: 0,
        };
        for (len, value) in row.lens.iter_mut().zip(values) {
            if let Some(v) = value {
                row.text.push_str(v);
                *len = Some(v.len() as u32);
            }
        }
        row.key = prefix(row.value(0));
        row
    }

    #[test]
    fn a_row_comes_back_from_its_temporary_file_as_it_went() {
        let rows = [
            row([Some("a@example.com"), Some("acme"), None, Some("7")]),
            row([None, Some(""), Some("Zoë"), None]),
        ];
        let mut file = Vec::new();
        for r in &rows {
            r.encode(&mut file).unwrap();
        }
        let mut reader = file.as_slice();
        for r in &rows {
            let back = UserRow::decode(&mut reader).unwrap();
            assert_eq!(
                (0..4).map(|i| back.value(i)).collect::<Vec<_>>(),
                (0..4).map(|i| r.value(i)).collect::<Vec<_>>()
            );
            assert_eq!(back.key, r.key);
        }
        let end = UserRow::decode(&mut reader).err().unwrap();
        assert_eq!(end.kind(), io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn emails_sort_bytewise_past_their_first_16_bytes() {
        let emails = [
            "same-first-sixteen-b@example.com",
            "same-first-sixteen-a@example.com",
            "Upper@example.com",
            "same-first-sixteen",
            "ü@example.com",
            "",
        ];
        let mut rows: Vec<UserRow> = emails
            .iter()
            .map(|e| row([Some(e), None, None, None]))
            .chain([row([None; 4])])
            .collect();
        rows.sort_by(UserRow::by_email);
        let sorted: Vec<Option<&str>> = rows.iter().map(|r| r.value(0)).collect();
        let mut expected: Vec<Option<&str>> = emails.iter().map(|e| Some(*e)).collect();
        expected.push(None);
        expected.sort_by(|a, b| a.map(str::as_bytes).cmp(&b.map(str::as_bytes)));
        assert_eq!(sorted, expected);
    }
}
