//! The four-eyes rule's side of the store: the approvals an organisation requires, protected
//! accounts, and the requests that wait for approval with their approvals. A request is read
//! with its approvals in one ordered join, grouped here as the rows arrive.

use anyhow::Result;

use super::conn::{Arg, Backend, Columns, Commit, Conn, CoreTx, all, first, id, int, need};
use super::conn::{count, one_row, text};
use super::sql::Sql;
use crate::clock::Timestamp;
use crate::exit::database;
use crate::foureyes::{Approval, Request, RequestState};

/// The columns [`request_row`] reads: the request, then one approval (NULL without).
macro_rules! request_columns {
    () => {
        "r.id, r.action, r.email, r.org, r.args, r.reason, r.needed, r.requested_by,
         r.requested_role, r.requested_at, r.expires_at, r.state,
         p.approved_by, p.role, p.approved_at"
    };
}
pub(super) use request_columns;

/// `SELECT` [`request_columns`] from the requests (`r`) and their approvals (`p`) of the
/// tables named with prefix `$p` (`twofa_` or `twofa.`); a `WHERE` follows.
macro_rules! request_select {
    ($p:literal) => {
        concat!(
            "SELECT ",
            $crate::store::requests::request_columns!(),
            " FROM ",
            $p,
            "requests r LEFT JOIN ",
            $p,
            "approvals p ON p.request_id = r.id"
        )
    };
}
pub(super) use request_select;

/// The four-eyes statements of the backends that mark parameters `?N` (SQLite, MySQL), the
/// same text on both; each gives how it names the database role (`role`), whether its insert
/// returns the id (`$returning_id`) and what locks a request row (`$lock`).
macro_rules! marked_request_sql {
    (role: $role:expr, returning_id: $returning_id:literal, lock: $lock:literal $(,)?) => {
        $crate::store::sql::RequestSql {
            guard: "SELECT a.protected, COALESCE(o.approvals, 0) FROM twofa_accounts a
                    LEFT JOIN twofa_orgs o ON o.id = a.org_id WHERE a.id = ?1",
            org_approvals: "SELECT approvals FROM twofa_orgs WHERE id = ?1",
            set_org_approvals: "UPDATE twofa_orgs SET approvals = ?2 WHERE id = ?1",
            set_protected: "UPDATE twofa_accounts SET protected = ?2
                            WHERE id = ?1 AND protected <> ?2",
            role: $role,
            add_request: concat!(
                "INSERT INTO twofa_requests (action, email, org, args, reason, needed,
                            requested_by, requested_role, requested_at, expires_at)
                          VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                $returning_id
            ),
            lock_request: concat!("SELECT id FROM twofa_requests WHERE id = ?1", $lock),
            request: concat!(
                $crate::store::requests::request_select!("twofa_"),
                " WHERE r.id = ?1 ORDER BY p.approved_at, p.approved_by"
            ),
            requests: concat!(
                $crate::store::requests::request_select!("twofa_"),
                " WHERE (?1 OR r.state = 'pending') ORDER BY r.id, p.approved_at, p.approved_by"
            ),
            overdue: concat!(
                $crate::store::requests::request_select!("twofa_"),
                " WHERE r.state = 'pending' AND r.expires_at <= ?1
                  ORDER BY r.id, p.approved_at, p.approved_by"
            ),
            pending_count: "SELECT COALESCE(org, ''), count(*) FROM twofa_requests
                            WHERE state = 'pending' AND expires_at > ?1
                            GROUP BY COALESCE(org, '') ORDER BY 1",
            add_approval:
                "INSERT INTO twofa_approvals (request_id, approved_by, role, approved_at, reason)
                           VALUES (?1, ?2, ?3, ?4, ?5)",
            close_request: "UPDATE twofa_requests SET state = ?2, decided_at = ?3,
                              decided_by = ?4, decision = ?5
                            WHERE id = ?1 AND state = 'pending'",
        }
    };
}
pub(super) use marked_request_sql;

/// A request to file.
#[derive(Debug, Clone)]
pub struct NewRequest<'a> {
    pub action: &'a str,
    pub email: Option<&'a str>,
    pub org: Option<&'a str>,
    pub args: &'a str,
    pub reason: Option<&'a str>,
    pub needed: u8,
    pub requested_by: &'a str,
    pub requested_role: Option<&'a str>,
    pub requested_at: Timestamp,
    pub expires_at: Timestamp,
}

/// How a pending request closes: approved, denied or expired, when, by whom, and why
/// (a denial's reason).
#[derive(Debug, Clone, Copy)]
pub struct Closing<'a> {
    pub state: RequestState,
    pub at: Timestamp,
    pub by: Option<&'a str>,
    pub decision: Option<&'a str>,
}

/// The four-eyes facts, as both [`super::Store`] and [`super::Tx`] read them.
pub trait RequestReads {
    /// The request with its approvals (oldest first).
    fn request(&mut self, id: i64) -> Result<Option<Request>>;
    /// Requests by id, each with its approvals: the pending ones (by their stored state),
    /// or all.
    fn requests(&mut self, all: bool, each: &mut dyn FnMut(Request) -> Result<()>) -> Result<()>;
    /// How many requests wait at `now` (pending and unexpired), per organisation slug (""
    /// for requests without one), by slug.
    fn pending_requests(&mut self, now: Timestamp) -> Result<Vec<(String, u64)>>;
    /// Whether the account is protected, and the approvals its organisation requires (0
    /// without one).
    fn guard(&mut self, account_id: i64) -> Result<(bool, u8)>;
    /// The approvals the organisation requires.
    fn org_approvals(&mut self, org_id: i64) -> Result<u8>;
    /// The database role of the connection, where the server has them (PostgreSQL's
    /// `current_user`, MySQL's `CURRENT_USER()` as `user@host`).
    fn db_role(&mut self) -> Result<Option<String>>;
}

/// The four-eyes facts, as a [`super::Tx`] changes them.
pub trait RequestTx {
    /// Files a request; returns its id.
    fn file_request(&mut self, new: &NewRequest<'_>) -> Result<i64>;
    /// Locks the request until the transaction ends (PostgreSQL, MySQL; SQLite's
    /// transaction holds the write lock already) and reads it; `None` when there is none.
    fn request_for_update(&mut self, id: i64) -> Result<Option<Request>>;
    /// Records an approval of request `id`, with its reason.
    fn approve(&mut self, id: i64, approval: &Approval, reason: Option<&str>) -> Result<()>;
    /// Closes a pending request; false when it was not pending.
    fn close_request(&mut self, id: i64, closing: &Closing<'_>) -> Result<bool>;
    /// The pending requests whose time ran out at `now`, by id.
    fn overdue_requests(&mut self, now: Timestamp) -> Result<Vec<Request>>;
    fn set_org_approvals(&mut self, org_id: i64, approvals: u8) -> Result<()>;
    /// Protects the account, or ends its protection; true when that changed the row.
    fn set_protected(&mut self, account_id: i64, protected: bool) -> Result<bool>;
}

/// The request of a row of [`request_columns`], without its approval.
fn request_row(r: &dyn Columns) -> Result<Request> {
    let state: String = need(r.text(11)?, 11)?;
    let state = RequestState::parse(&state)
        .ok_or_else(|| database(format!("unexpected request state '{state}'")))?;
    Ok(Request {
        id: need(r.int(0)?, 0)?,
        action_name: need(r.text(1)?, 1)?,
        email: r.text(2)?,
        org: r.text(3)?,
        args: need(r.text(4)?, 4)?,
        reason: r.text(5)?,
        needed: count(r, 6)?.min(u32::from(u8::MAX)) as u8,
        requested_by: need(r.text(7)?, 7)?,
        requested_role: r.text(8)?,
        requested_at: need(r.int(9)?, 9)?,
        expires_at: need(r.int(10)?, 10)?,
        state,
        approvals: Vec::new(),
    })
}

/// The approval of a row of [`request_columns`], if it has one.
fn approval_row(r: &dyn Columns) -> Result<Option<Approval>> {
    let Some(by) = r.text(12)? else {
        return Ok(None);
    };
    Ok(Some(Approval {
        by,
        role: r.text(13)?,
        at: need(r.int(14)?, 14)?,
    }))
}

/// Runs a query of [`request_columns`] ordered by request, handing `each` every request
/// with its approvals, as its last row arrives.
fn grouped(
    c: &mut (impl Conn + ?Sized),
    sql: &str,
    args: &[Arg<'_>],
    each: &mut dyn FnMut(Request) -> Result<()>,
) -> Result<()> {
    let mut current: Option<Request> = None;
    c.each("cannot read the requests", sql, args, &mut |r| {
        let id = need(r.int(0)?, 0)?;
        if current.as_ref().is_some_and(|c| c.id != id)
            && let Some(done) = current.take()
        {
            each(done)?;
        }
        let request = current.get_or_insert(request_row(r)?);
        if let Some(approval) = approval_row(r)? {
            request.approvals.push(approval);
        }
        Ok(())
    })?;
    match current {
        Some(last) => each(last),
        None => Ok(()),
    }
}

fn one_request(c: &mut (impl Conn + ?Sized), sql: &Sql, id: i64) -> Result<Option<Request>> {
    let mut found = None;
    grouped(c, sql.requests.request, &[int(id)], &mut |r| {
        found = Some(r);
        Ok(())
    })?;
    Ok(found)
}

fn id_of(r: &dyn Columns) -> Result<i64> {
    id(r)
}

fn small(r: &dyn Columns, i: usize) -> Result<u8> {
    Ok(count(r, i)?.min(u32::from(u8::MAX)) as u8)
}

fn guard(c: &mut (impl Conn + ?Sized), sql: &Sql, account_id: i64) -> Result<(bool, u8)> {
    let row = first(c, READ, sql.requests.guard, &[int(account_id)], |r| {
        Ok((need(r.flag(0)?, 0)?, small(r, 1)?))
    })?;
    Ok(row.unwrap_or((false, 0)))
}

fn org_approvals(c: &mut (impl Conn + ?Sized), sql: &Sql, org_id: i64) -> Result<u8> {
    let row = first(c, READ, sql.requests.org_approvals, &[int(org_id)], |r| {
        small(r, 0)
    })?;
    Ok(row.unwrap_or(0))
}

fn db_role(c: &mut (impl Conn + ?Sized), sql: &Sql) -> Result<Option<String>> {
    Ok(first(c, READ, sql.requests.role, &[], |r| r.text(0))?.flatten())
}

fn pending(c: &mut (impl Conn + ?Sized), sql: &Sql, now: Timestamp) -> Result<Vec<(String, u64)>> {
    all(c, READ, sql.requests.pending_count, &[int(now)], |r| {
        Ok((need(r.text(0)?, 0)?, u64::from(count(r, 1)?)))
    })
}

const READ: &str = "cannot read the approvals in force";

impl<B: Backend> RequestReads for B {
    fn request(&mut self, id: i64) -> Result<Option<Request>> {
        one_request(self, B::SQL, id)
    }

    fn requests(&mut self, all: bool, each: &mut dyn FnMut(Request) -> Result<()>) -> Result<()> {
        grouped(self, B::SQL.requests.requests, &[Arg::Flag(all)], each)
    }

    fn pending_requests(&mut self, now: Timestamp) -> Result<Vec<(String, u64)>> {
        pending(self, B::SQL, now)
    }

    fn guard(&mut self, account_id: i64) -> Result<(bool, u8)> {
        guard(self, B::SQL, account_id)
    }

    fn org_approvals(&mut self, org_id: i64) -> Result<u8> {
        org_approvals(self, B::SQL, org_id)
    }

    fn db_role(&mut self) -> Result<Option<String>> {
        db_role(self, B::SQL)
    }
}

impl<C: Conn + Commit> RequestReads for CoreTx<C> {
    fn request(&mut self, id: i64) -> Result<Option<Request>> {
        one_request(&mut self.conn, self.sql, id)
    }

    fn requests(&mut self, all: bool, each: &mut dyn FnMut(Request) -> Result<()>) -> Result<()> {
        grouped(
            &mut self.conn,
            self.sql.requests.requests,
            &[Arg::Flag(all)],
            each,
        )
    }

    fn pending_requests(&mut self, now: Timestamp) -> Result<Vec<(String, u64)>> {
        pending(&mut self.conn, self.sql, now)
    }

    fn guard(&mut self, account_id: i64) -> Result<(bool, u8)> {
        guard(&mut self.conn, self.sql, account_id)
    }

    fn org_approvals(&mut self, org_id: i64) -> Result<u8> {
        org_approvals(&mut self.conn, self.sql, org_id)
    }

    fn db_role(&mut self) -> Result<Option<String>> {
        db_role(&mut self.conn, self.sql)
    }
}

impl<C: Conn + Commit> RequestTx for CoreTx<C> {
    fn file_request(&mut self, new: &NewRequest<'_>) -> Result<i64> {
        let args = [
            text(new.action),
            Arg::Text(new.email),
            Arg::Text(new.org),
            text(new.args),
            Arg::Text(new.reason),
            int(i64::from(new.needed)),
            text(new.requested_by),
            Arg::Text(new.requested_role),
            int(new.requested_at),
            int(new.expires_at),
        ];
        let sql = self.sql.requests.add_request;
        let what = "cannot file the request";
        first(&mut self.conn, what, sql, &args, id)?.ok_or_else(|| database(what))
    }

    fn request_for_update(&mut self, id: i64) -> Result<Option<Request>> {
        let sql = self.sql.requests.lock_request;
        if first(
            &mut self.conn,
            "cannot lock the request",
            sql,
            &[int(id)],
            id_of,
        )?
        .is_none()
        {
            return Ok(None);
        }
        one_request(&mut self.conn, self.sql, id)
    }

    fn approve(&mut self, id: i64, approval: &Approval, reason: Option<&str>) -> Result<()> {
        let args = [
            int(id),
            text(&approval.by),
            Arg::Text(approval.role.as_deref()),
            int(approval.at),
            Arg::Text(reason),
        ];
        let sql = self.sql.requests.add_approval;
        self.conn.exec("cannot record the approval", sql, &args)?;
        Ok(())
    }

    fn close_request(&mut self, id: i64, closing: &Closing<'_>) -> Result<bool> {
        let args = [
            int(id),
            text(closing.state.as_str()),
            int(closing.at),
            Arg::Text(closing.by),
            Arg::Text(closing.decision),
        ];
        let sql = self.sql.requests.close_request;
        one_row(&mut self.conn, "cannot close the request", sql, &args)
    }

    fn overdue_requests(&mut self, now: Timestamp) -> Result<Vec<Request>> {
        let mut rows = Vec::new();
        let sql = self.sql.requests.overdue;
        grouped(&mut self.conn, sql, &[int(now)], &mut |r| {
            rows.push(r);
            Ok(())
        })?;
        Ok(rows)
    }

    fn set_org_approvals(&mut self, org_id: i64, approvals: u8) -> Result<()> {
        let args = [int(org_id), int(i64::from(approvals))];
        let sql = self.sql.requests.set_org_approvals;
        self.conn.exec("cannot change the approvals", sql, &args)?;
        Ok(())
    }

    fn set_protected(&mut self, account_id: i64, protected: bool) -> Result<bool> {
        let args = [int(account_id), Arg::Flag(protected)];
        let sql = self.sql.requests.set_protected;
        one_row(&mut self.conn, "cannot change the protection", sql, &args)
    }
}
