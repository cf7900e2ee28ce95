//! The application's SQLite database as `user sync` reads it: opened to read only, the
//! users query checked before it runs, its rows sorted by email by SQLite (`ORDER BY`).

use std::path::Path;

use anyhow::Result;
use rusqlite::Connection;
use rusqlite::types::ValueRef;

use super::{Db, connect, text_of};
use crate::exit::{database, usage};
use crate::store::sync::{AppUser, Source, app_user, user_columns, users_as_text, writing_query};

/// The memory SQLite sorts the rows in before it writes them to temporary files, in KiB as
/// `PRAGMA cache_size` takes it when negative (SQLite's default page cache): memory stays
/// flat however many rows there are.
const SORT_CACHE_KIB: i64 = -2000;

/// Threads SQLite's sort may start beside the one that reads the query: the sorted runs are
/// written and merged while the rows are read.
const SORT_THREADS: i64 = 2;

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
        let what = format!("cannot open database {shown} to read only");
        // Nothing on this connection can change the database, whatever the query says.
        conn.pragma_update(None, "query_only", true).db(&what)?;
        conn.pragma_update(None, "cache_size", sort_cache_kib())
            .db(&what)?;
        conn.pragma_update(None, "threads", SORT_THREADS)
            .db(&what)?;
        Ok(SqliteSource { conn })
    }
}

/// [`SORT_CACHE_KIB`], or in debug builds `TWOFA_TEST_SORT_MEMORY` (bytes), so that the
/// binary's tests can make a small sync go through temporary files.
fn sort_cache_kib() -> i64 {
    #[cfg(debug_assertions)]
    if let Some(n) = std::env::var("TWOFA_TEST_SORT_MEMORY")
        .ok()
        .and_then(|v| v.parse::<i64>().ok())
    {
        return -(n / 1024).max(1);
    }
    SORT_CACHE_KIB
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
        // Every value as text (the query's values are compared as text), ordered by email
        // bytewise (see `Source::users`).
        let as_text = |c: &str| format!("CAST({c} AS TEXT)");
        let ordered = users_as_text(sql, &names, &cols, as_text, Some("BINARY"));
        let mut stmt = self.conn.prepare(&ordered).map_err(refused)?;
        let mut rows = stmt.query([]).db("cannot run the users query")?;
        while let Some(row) = rows.next().db("cannot read the users query")? {
            let get = |i: usize| match row.get_ref(i) {
                Ok(ValueRef::Text(t)) => Ok(Some(text_of(t))),
                Ok(_) => Ok(None),
                Err(e) => Err(e).db("cannot read the users query"),
            };
            each(app_user(&cols, get)?)?;
        }
        Ok(())
    }
}
