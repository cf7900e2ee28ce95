//! What the support desk changes on an account beside its credential: exemptions from the
//! organisation's policy, an account's own deadline, the reminders sent before a deadline,
//! the device's clock drift, and temporary access codes.

use anyhow::Result;

use super::conn::{Arg, Backend, Columns, Commit, Conn, CoreTx, all, count, first, int, need};
use super::conn::{one_row, text};
use super::sql::Sql;
use crate::clock::Timestamp;
use crate::model::AccessCodeRow;

/// The support statements of the backends that mark parameters `?N` (SQLite, MySQL), the same
/// text on both; each gives its null-safe equality (`$is`) and its own way of writing a row
/// only once (`record_reminder`) or over an old one (`set_access_code`).
macro_rules! marked_support_sql {
    (
        is: $is:literal,
        record_reminder: $record_reminder:expr,
        set_access_code: $set_access_code:expr $(,)?
    ) => {
        $crate::store::sql::SupportSql {
            set_exempt: concat!(
                "UPDATE twofa_accounts SET exempt_until = ?2
                 WHERE id = ?1 AND NOT (exempt_until ", $is, " ?2)"
            ),
            set_own_deadline: concat!(
                "UPDATE twofa_accounts SET own_deadline = ?2
                 WHERE id = ?1 AND NOT (own_deadline ", $is, " ?2)"
            ),
            reminders_sent: "SELECT threshold FROM twofa_reminders
                             WHERE account_id = ?1 AND deadline = ?2 ORDER BY threshold",
            record_reminder: $record_reminder,
            set_drift: "UPDATE twofa_credentials SET drift_steps = ?2
                        WHERE account_id = ?1 AND device = ?3",
            access_code: "SELECT hash, expires_at, used_at FROM twofa_access_codes WHERE account_id = ?1",
            set_access_code: $set_access_code,
            spend_access_code: "UPDATE twofa_access_codes SET used_at = ?2
                                WHERE account_id = ?1 AND used_at IS NULL AND expires_at > ?2
                                  AND hash = ?3",
            delete_access_code: "DELETE FROM twofa_access_codes WHERE account_id = ?1",
            live_access_code: "SELECT CASE WHEN used_at IS NULL AND expires_at > ?2
                                           THEN expires_at END
                               FROM twofa_access_codes WHERE account_id = ?1",
        }
    };
}
pub(super) use marked_support_sql;

/// The support desk's facts, as both [`super::Store`] and [`super::Tx`] read them.
pub trait SupportReads {
    /// The reminder thresholds (days) recorded as sent for the account and this deadline
    /// (in a [`super::Tx`], read after `account` locked the row, so that two runs at once
    /// decide one after the other).
    fn reminders_sent(&mut self, account_id: i64, deadline: Timestamp) -> Result<Vec<u32>>;
    /// The account's temporary access code, if one was issued.
    fn access_code(&mut self, account_id: i64) -> Result<Option<AccessCodeRow>>;
}

/// Reminders sent for one deadline of an account: the thresholds (days before it) they
/// stand for, and when.
pub struct SentReminders<'a> {
    pub deadline: Timestamp,
    pub thresholds: &'a [u32],
    pub at: Timestamp,
}

/// A new access code: its hash, when it was issued and when it expires.
pub struct NewAccessCode<'a> {
    pub hash: &'a str,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// The support desk's facts, as a [`super::Tx`] changes them.
pub trait SupportTx {
    /// Sets (or with `None` ends) the account's exemption from its organisation's policy;
    /// true when that changed the row.
    fn set_exempt(&mut self, account_id: i64, until: Option<Timestamp>) -> Result<bool>;
    /// Sets (or with `None` clears) the account's own compliance deadline; true when that
    /// changed the row.
    fn set_own_deadline(&mut self, account_id: i64, deadline: Option<Timestamp>) -> Result<bool>;
    /// Records the reminders as sent for the account (those recorded already stay as they
    /// are).
    fn record_reminders(&mut self, account_id: i64, sent: &SentReminders<'_>) -> Result<()>;
    /// Stores the device's drift (in steps) on its credential (`resync`).
    fn set_drift(&mut self, account_id: i64, device: &str, drift_steps: i64) -> Result<()>;
    /// Issues the account's access code, replacing any earlier one.
    fn set_access_code(&mut self, account_id: i64, code: &NewAccessCode<'_>) -> Result<()>;
    /// Spends the access code whose hash is `hash` if it is unspent and unexpired at `now`
    /// (a conditional update); true when spent.
    fn spend_access_code(&mut self, account_id: i64, hash: &str, now: Timestamp) -> Result<bool>;
    /// Deletes the account's access code, whatever its state; returns its expiry when it was
    /// live (unspent and unexpired at `now`): the credential it was issued for is gone or
    /// replaced, or support cancelled it.
    fn revoke_access_code(&mut self, account_id: i64, now: Timestamp) -> Result<Option<Timestamp>>;
}

/// hash, expires_at, used_at.
fn access_code(r: &dyn Columns) -> Result<AccessCodeRow> {
    Ok(AccessCodeRow {
        hash: need(r.text(0)?, 0)?,
        expires_at: need(r.int(1)?, 1)?,
        used_at: r.int(2)?,
    })
}

/// The thresholds recorded as sent for an account's deadline.
fn reminders_sent(
    c: &mut (impl Conn + ?Sized),
    sql: &Sql,
    account_id: i64,
    deadline: Timestamp,
) -> Result<Vec<u32>> {
    let args = [int(account_id), int(deadline)];
    let sql = sql.support.reminders_sent;
    all(c, "cannot read the reminders sent", sql, &args, |r| {
        count(r, 0)
    })
}

const READ_CODE: &str = "cannot read the access code";

impl<B: Backend> SupportReads for B {
    fn reminders_sent(&mut self, account_id: i64, deadline: Timestamp) -> Result<Vec<u32>> {
        reminders_sent(self, B::SQL, account_id, deadline)
    }

    fn access_code(&mut self, account_id: i64) -> Result<Option<AccessCodeRow>> {
        let sql = B::SQL.support.access_code;
        first(self, READ_CODE, sql, &[int(account_id)], access_code)
    }
}

impl<C: Conn + Commit> SupportReads for CoreTx<C> {
    fn reminders_sent(&mut self, account_id: i64, deadline: Timestamp) -> Result<Vec<u32>> {
        reminders_sent(&mut self.conn, self.sql, account_id, deadline)
    }

    fn access_code(&mut self, account_id: i64) -> Result<Option<AccessCodeRow>> {
        let sql = self.sql.support.access_code;
        first(
            &mut self.conn,
            READ_CODE,
            sql,
            &[int(account_id)],
            access_code,
        )
    }
}

impl<C: Conn + Commit> SupportTx for CoreTx<C> {
    fn set_exempt(&mut self, account_id: i64, until: Option<Timestamp>) -> Result<bool> {
        let args = [int(account_id), Arg::Int(until)];
        let sql = self.sql.support.set_exempt;
        one_row(&mut self.conn, "cannot change the exemption", sql, &args)
    }

    fn set_own_deadline(&mut self, account_id: i64, deadline: Option<Timestamp>) -> Result<bool> {
        let args = [int(account_id), Arg::Int(deadline)];
        let sql = self.sql.support.set_own_deadline;
        one_row(&mut self.conn, "cannot store the deadline", sql, &args)
    }

    fn record_reminders(&mut self, account_id: i64, sent: &SentReminders<'_>) -> Result<()> {
        for threshold in sent.thresholds {
            let args = [
                int(account_id),
                int(sent.deadline),
                int(i64::from(*threshold)),
                int(sent.at),
            ];
            let sql = self.sql.support.record_reminder;
            self.conn.exec("cannot record the reminder", sql, &args)?;
        }
        Ok(())
    }

    fn set_drift(&mut self, account_id: i64, device: &str, drift_steps: i64) -> Result<()> {
        let args = [int(account_id), int(drift_steps), text(device)];
        let sql = self.sql.support.set_drift;
        self.conn.exec("cannot store the drift", sql, &args)?;
        Ok(())
    }

    fn set_access_code(&mut self, account_id: i64, code: &NewAccessCode<'_>) -> Result<()> {
        let args = [
            int(account_id),
            text(code.hash),
            int(code.created_at),
            int(code.expires_at),
        ];
        let sql = self.sql.support.set_access_code;
        self.conn.exec("cannot store the access code", sql, &args)?;
        Ok(())
    }

    fn spend_access_code(&mut self, account_id: i64, hash: &str, now: Timestamp) -> Result<bool> {
        let args = [int(account_id), int(now), text(hash)];
        let sql = self.sql.support.spend_access_code;
        one_row(&mut self.conn, "cannot spend the access code", sql, &args)
    }

    fn revoke_access_code(&mut self, account_id: i64, now: Timestamp) -> Result<Option<Timestamp>> {
        let args = [int(account_id), int(now)];
        let what = "cannot revoke the access code";
        let sql = self.sql.support.live_access_code;
        let live = first(&mut self.conn, what, sql, &args, |r| r.int(0))?;
        if live.is_some() {
            let sql = self.sql.support.delete_access_code;
            self.conn.exec(what, sql, &args[..1])?;
        }
        Ok(live.flatten())
    }
}
