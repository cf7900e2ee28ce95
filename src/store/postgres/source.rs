//! The application's PostgreSQL database as `user sync` reads it: the users query runs in
//! a `READ ONLY` transaction, its rows sorted by email by the server.

use std::borrow::Cow;

use ::postgres::Client;
use ::postgres::error::SqlState;
use ::postgres::fallible_iterator::FallibleIterator;
use anyhow::Result;

use super::{Db, connect, describe};
use crate::exit::{database, usage};
use crate::store::sync::{AppUser, Source, app_user, user_columns, users_as_text, writing_query};

/// The application's PostgreSQL database, for `user sync`'s query: it runs in a `READ
/// ONLY` transaction, so a statement that writes fails before it changes anything.
pub struct PgSource {
    client: Client,
}

impl PgSource {
    pub fn open(url: &str) -> Result<Self> {
        let (client, _, _) = connect(url)?;
        Ok(PgSource { client })
    }
}

/// An error of the users query: the query's fault (exit 2) when the server refused it,
/// else the connection's (exit 6).
fn query_error(e: ::postgres::Error) -> anyhow::Error {
    match e.as_db_error() {
        Some(db) if *db.code() == SqlState::READ_ONLY_SQL_TRANSACTION => writing_query(),
        Some(_) => usage(format!("cannot run the users query: {}", describe(&e))),
        None => database(format!("cannot run the users query: {}", describe(&e))),
    }
}

impl Source for PgSource {
    fn users(&mut self, sql: &str, each: &mut dyn FnMut(AppUser<'_>) -> Result<()>) -> Result<()> {
        let sql = sql.trim().trim_end_matches(';').trim_end();
        let mut tx = self
            .client
            .build_transaction()
            .read_only(true)
            .start()
            .db("cannot begin a read-only transaction")?;
        let stmt = tx.prepare(sql).map_err(query_error)?;
        if stmt.columns().is_empty() {
            // Not a query: an INSERT, UPDATE, DELETE or DDL statement. It is not run.
            return Err(writing_query());
        }
        let names: Vec<String> = stmt
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect();
        let cols = user_columns(&names)?;
        // Every column as text, whatever its type (a uuid, a bigint): the server converts.
        let as_text = |c: &str| format!("{c}::text");
        let ordered = users_as_text(sql, &names, &cols, as_text, Some("\"C\""));
        let mut rows = tx
            .query_raw(ordered.as_str(), std::iter::empty::<&str>())
            .map_err(query_error)?;
        while let Some(row) = rows.next().map_err(query_error)? {
            let get = |i: usize| {
                row.try_get::<_, Option<&str>>(i)
                    .map(|v| v.map(Cow::Borrowed))
                    .db("cannot read the users query")
            };
            each(app_user(&cols, get)?)?;
        }
        Ok(())
    }
}
