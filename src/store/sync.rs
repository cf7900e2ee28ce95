//! `user sync`'s side of the store: the application's users query, read through a
//! [`Source`] (a backend's read-only connection to the application's database), and
//! twofa's accounts read beside it in the same order ([`SyncTx`]), a chunk at a time.

use std::borrow::Cow;

use anyhow::Result;

use super::conn::{Arg, Columns, Commit, Conn, CoreTx, all, int, need, text};
use super::sql::Sql;
use crate::exit::usage;
use crate::model::SyncAccount;

/// The columns [`sync_account`] reads, from `accounts a`.
macro_rules! sync_columns {
    () => {
        "a.id, a.email, a.org_id, a.name, a.external_id"
    };
}
pub(super) use sync_columns;

/// The sync statements of the backends that mark parameters `?N` (SQLite, MySQL), the same
/// text on both; each gives how the email parameter is written (`$email`).
macro_rules! marked_sync_sql {
    (email: $email:literal $(,)?) => {
        $crate::store::sql::SyncSql {
            sync_lookup: concat!(
                "SELECT ",
                $crate::store::sync::sync_columns!(),
                " FROM twofa_accounts a WHERE a.email IN ("
            ),
            sync_scan: concat!(
                "SELECT ",
                $crate::store::sync::sync_columns!(),
                " FROM twofa_accounts a WHERE a.email > ",
                $email,
                " ORDER BY a.email LIMIT ?2"
            ),
        }
    };
}
pub(super) use marked_sync_sql;

/// A row of the application's users query (`user sync`), every value as text, borrowed
/// from the row where it can be; `name` and `external_id` are `None` when the query
/// returns no such column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppUser<'a> {
    pub email: Option<Cow<'a, str>>,
    pub org: Option<Cow<'a, str>>,
    pub name: Option<Option<Cow<'a, str>>>,
    pub external_id: Option<Option<Cow<'a, str>>>,
}

/// The application's database, opened to read only: `user sync` runs its query there.
pub trait Source {
    /// Runs `sql` and streams its rows to `each`. A statement that could write is refused
    /// (exit 2) and does not run: SQLite checks the prepared statement on a `query_only`
    /// connection, PostgreSQL and MySQL run it in a `READ ONLY` transaction. The rows come ordered
    /// by the email column (bytewise, as twofa's accounts are), so that `user sync` can read
    /// both side by side: the database sorts them ([`users_as_text`] with `ORDER BY`). An
    /// order that is not (a collation) costs look-ups, never correctness.
    fn users(&mut self, sql: &str, each: &mut dyn FnMut(AppUser<'_>) -> Result<()>) -> Result<()>;
}

/// twofa's accounts, as `user sync` reads them in a [`super::Tx`].
pub trait SyncTx {
    /// The accounts of these emails (at most a few hundred at a time), by email: `user
    /// sync` looks up the application's users a batch at a time.
    fn sync_lookup(&mut self, emails: &[&str]) -> Result<Vec<SyncAccount>>;
    /// Up to `limit` accounts whose email sorts after `after` (bytewise; `""` for the
    /// first), by email, in place of `into`'s (whose strings it reuses): `user sync` reads
    /// every account in email order, a chunk at a time, beside the application's rows in
    /// the same order (a merge join).
    fn sync_scan(&mut self, after: &str, limit: u32, into: &mut Vec<SyncAccount>) -> Result<()>;
}

/// A row of [`sync_columns`] into `a`, reusing its strings.
fn sync_account_into(r: &dyn Columns, a: &mut SyncAccount) -> Result<()> {
    a.id = need(r.int(0)?, 0)?;
    need(r.text_into(1, &mut a.email)?.then_some(()), 1)?;
    a.org_id = r.int(2)?;
    for (i, field) in [(3, &mut a.name), (4, &mut a.external_id)] {
        let mut buf = field.take().unwrap_or_default();
        if r.text_into(i, &mut buf)? {
            *field = Some(buf);
        }
    }
    Ok(())
}

/// A row of [`sync_columns`].
fn sync_account(r: &dyn Columns) -> Result<SyncAccount> {
    let mut a = SyncAccount::default();
    sync_account_into(r, &mut a)?;
    Ok(a)
}

/// The statement that looks up `n` emails at once: `… IN (?1, ?2, …)` in the backend's
/// marks, by email. Only two sizes are used (a full batch and the last), so each stays
/// prepared.
fn sync_lookup_sql(sql: &Sql, n: usize) -> String {
    let marks: Vec<String> = (1..=n).map(|i| format!("{}{i}", sql.mark)).collect();
    format!(
        "{}{}) ORDER BY a.email",
        sql.sync.sync_lookup,
        marks.join(", ")
    )
}

/// Where the users query's columns are: email, org, name, external_id (by name, in any
/// case); email and org must be there (exit 2 naming what the query returns instead).
pub(super) fn user_columns(names: &[String]) -> Result<[Option<usize>; 4]> {
    let find = |want: &str| names.iter().position(|n| n.eq_ignore_ascii_case(want));
    let cols = [
        find("email"),
        find("org"),
        find("name"),
        find("external_id"),
    ];
    if cols[0].is_none() || cols[1].is_none() {
        let shown: String = names.join(", ").chars().take(80).collect();
        return Err(usage(format!(
            "the users query must return the columns email and org (and optionally name and external_id); it returns: {}",
            if shown.is_empty() {
                "no columns"
            } else {
                &shown
            }
        )));
    }
    Ok(cols)
}

/// The users query wrapped so that it returns its columns email, org, name and
/// external_id as text, in that order (NULL for one it lacks), whatever their types:
/// `as_text` casts a column to text in the backend's dialect. With `bytewise`, the name of
/// the backend's collation that compares bytes, the database also orders the rows by email
/// (see [`Source::users`]).
pub(super) fn users_as_text(
    sql: &str,
    names: &[String],
    cols: &[Option<usize>; 4],
    as_text: fn(&str) -> String,
    bytewise: Option<&str>,
) -> String {
    let select: Vec<String> = cols
        .iter()
        .map(|c| match c {
            Some(i) => as_text(&format!("q.\"{}\"", names[*i].replace('"', "\"\""))),
            None => as_text("NULL"),
        })
        .collect();
    // The newline ends a `--` comment that the query may end with.
    let mut query = format!("SELECT {} FROM ({sql}\n) AS q", select.join(", "));
    if let Some(collation) = bytewise {
        query.push_str(&format!(" ORDER BY {} COLLATE {collation}", select[0]));
    }
    query
}

/// A row of [`users_as_text`]'s query, `get` reading its text columns by number (`None`:
/// NULL); `cols` says which columns the users query has ([`user_columns`]).
pub(super) fn app_user<'r>(
    cols: &[Option<usize>; 4],
    get: impl Fn(usize) -> Result<Option<Cow<'r, str>>>,
) -> Result<AppUser<'r>> {
    Ok(AppUser {
        email: get(0)?,
        org: get(1)?,
        name: cols[2].map(|_| get(2)).transpose()?,
        external_id: cols[3].map(|_| get(3)).transpose()?,
    })
}

/// The refusal of a users query that could write.
pub(super) fn writing_query() -> anyhow::Error {
    usage("the users query must only read (a SELECT); it was refused and nothing ran")
}

impl<C: Conn + Commit> SyncTx for CoreTx<C> {
    fn sync_lookup(&mut self, emails: &[&str]) -> Result<Vec<SyncAccount>> {
        if emails.is_empty() {
            return Ok(Vec::new());
        }
        let sql = sync_lookup_sql(self.sql, emails.len());
        let args: Vec<Arg<'_>> = emails.iter().map(|e| text(e)).collect();
        all(
            &mut self.conn,
            "cannot look up accounts",
            &sql,
            &args,
            sync_account,
        )
    }

    fn sync_scan(&mut self, after: &str, limit: u32, into: &mut Vec<SyncAccount>) -> Result<()> {
        let args = [text(after), int(i64::from(limit))];
        let sql = self.sql.sync.sync_scan;
        let mut n = 0;
        self.conn
            .each("cannot read accounts", sql, &args, &mut |r| {
                if n == into.len() {
                    into.push(SyncAccount::default());
                }
                sync_account_into(r, &mut into[n])?;
                n += 1;
                Ok(())
            })?;
        into.truncate(n);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_users_query_is_wrapped_to_return_four_text_columns() {
        let names: Vec<String> = ["ID", "Email", "org"].map(String::from).into();
        let cols = user_columns(&names).unwrap();
        assert_eq!(cols, [Some(1), Some(2), None, None]);
        let as_text = |c: &str| format!("{c}::text");
        let query = "SELECT * FROM users -- all";
        let sql = users_as_text(query, &names, &cols, as_text, Some("\"C\""));
        assert_eq!(
            sql,
            "SELECT q.\"Email\"::text, q.\"org\"::text, NULL::text, NULL::text \
             FROM (SELECT * FROM users -- all\n) AS q ORDER BY q.\"Email\"::text COLLATE \"C\""
        );
        let sql = users_as_text(query, &names, &cols, as_text, None);
        assert!(
            sql.ends_with("FROM (SELECT * FROM users -- all\n) AS q"),
            "{sql}"
        );
    }
}
