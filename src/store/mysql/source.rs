//! The application's MySQL or MariaDB database as `user sync` reads it: the users query
//! runs in a `READ ONLY` transaction, its rows sorted by email (bytewise) by the server.

use std::borrow::Cow;

use ::mysql::prelude::Queryable;
use ::mysql::{AccessMode, Conn, TxOpts};
use anyhow::Result;

use super::{Db, connect, describe};
use crate::exit::{database, usage};
use crate::store::sync::{AppUser, Source, app_user, user_columns, users_as_text, writing_query};

/// The application's MySQL or MariaDB database, for `user sync`'s query: it runs in a
/// `READ ONLY` transaction, so a statement that writes fails before it changes anything.
pub struct MySource {
    conn: Conn,
}

impl MySource {
    pub fn open(url: &str) -> Result<Self> {
        let (conn, _) = connect(url)?;
        Ok(MySource { conn })
    }
}

/// An error of the users query: the query's fault (exit 2) when the server refused it,
/// else the connection's (exit 6).
fn query_error(e: ::mysql::Error) -> anyhow::Error {
    match &e {
        ::mysql::Error::MySqlError(m) if m.code == 1792 => writing_query(),
        ::mysql::Error::MySqlError(_) => {
            usage(format!("cannot run the users query: {}", describe(&e)))
        }
        _ => database(format!("cannot run the users query: {}", describe(&e))),
    }
}

/// A column of the wrapped query as text: `q."name"` (as `users_as_text` quotes it) in
/// MySQL's backquotes, since the application's query may use double quotes for strings.
fn as_text(c: &str) -> String {
    let column = match c.strip_prefix("q.\"").and_then(|c| c.strip_suffix('"')) {
        Some(name) => format!("q.`{}`", name.replace("\"\"", "\"").replace('`', "``")),
        None => c.to_string(),
    };
    format!("CAST({column} AS CHAR)")
}

impl Source for MySource {
    fn users(&mut self, sql: &str, each: &mut dyn FnMut(AppUser<'_>) -> Result<()>) -> Result<()> {
        let sql = sql.trim().trim_end_matches(';').trim_end();
        let opts = TxOpts::default().set_access_mode(Some(AccessMode::ReadOnly));
        let mut tx = self
            .conn
            .start_transaction(opts)
            .db("cannot begin a read-only transaction")?;
        let stmt = tx.prep(sql).map_err(query_error)?;
        if stmt.columns().is_empty() {
            // Not a query: an INSERT, UPDATE, DELETE or DDL statement. It is not run.
            return Err(writing_query());
        }
        let names: Vec<String> = stmt
            .columns()
            .iter()
            .map(|c| c.name_str().into_owned())
            .collect();
        let cols = user_columns(&names)?;
        tx.close(stmt).db("cannot run the users query")?;
        let ordered = users_as_text(sql, &names, &cols, as_text, Some("utf8mb4_bin"));
        let rows = tx.query_iter(ordered).map_err(query_error)?;
        for row in rows {
            let row = row.map_err(query_error)?;
            let get = |i: usize| -> Result<Option<Cow<'_, str>>> {
                match row.as_ref(i) {
                    Some(::mysql::Value::Bytes(b)) => Ok(Some(String::from_utf8_lossy(b))),
                    Some(_) => Ok(None),
                    None => Err(database("cannot read the users query")),
                }
            };
            each(app_user(&cols, get)?)?;
        }
        Ok(())
    }
}
