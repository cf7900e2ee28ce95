//! Credentials and recovery codes: the TOTP secret of each of an account's devices from
//! enrollment to confirmation, its re-enrollment (replacement), the accepted steps, renaming
//! and removing a device, import and export, and the account's recovery codes.

use anyhow::Result;

use super::conn::{Arg, Backend, Columns, Commit, Conn, CoreTx, all, count, first, flag_of};
use super::conn::{int, need, one_row, text};
use super::sql::Sql;
use crate::clock::Timestamp;
use crate::model::{CredentialRow, RecoveryCandidate, Replacement};
use crate::policy::Credential;
use crate::recovery::HashedCode;

/// The columns [`credential`] reads.
macro_rules! credential_columns {
    () => {
        "state, expires_at, secret, enrolled_at, last_step, last_used_at,
         replacement_secret, replacement_expires_at, drift_steps, device, created_at"
    };
}

/// An account's credentials, one a device ([`credential`]); `$t` is the backend's table
/// prefix.
macro_rules! credential_select {
    ($t:literal) => {
        concat!(
            "SELECT ",
            $crate::store::credentials::credential_columns!(),
            " FROM ",
            $t,
            "credentials"
        )
    };
}

/// Puts a credential row (`$values`, in the order of the column list) in place of the
/// device's, if it has one, and drops a replacement in progress; `$t` is the backend's
/// table prefix.
#[rustfmt::skip]
macro_rules! put_credential {
    ($t:literal, $values:literal) => {
        concat!(
            "INSERT INTO ", $t, "credentials
               (account_id, device, state, secret, created_at, expires_at, enrolled_at,
                last_step, last_used_at)
             VALUES ", $values, "
             ON CONFLICT (account_id, device) DO UPDATE SET
               state = excluded.state, secret = excluded.secret,
               created_at = excluded.created_at, expires_at = excluded.expires_at,
               enrolled_at = excluded.enrolled_at, last_step = excluded.last_step,
               last_used_at = excluded.last_used_at, replacement_secret = NULL,
               replacement_created_at = NULL, replacement_expires_at = NULL,
               drift_steps = 0"
        )
    };
}

/// The credential statements of the backends that mark parameters `?N` (SQLite, MySQL),
/// the same text on both; each gives the two that put a whole row (`put_credential!`) its
/// own way, as `$start` (an enrollment) and `$import`.
macro_rules! marked_credential_sql {
    ($start:expr, $import:expr) => {
        $crate::store::sql::CredentialSql {
            credential: concat!(
                $crate::store::credentials::credential_select!("twofa_"),
                " WHERE account_id = ?1 ORDER BY created_at, device"
            ),
            start_enrollment: $start,
            confirm: "UPDATE twofa_credentials SET state = 'enabled', expires_at = NULL,
                             last_step = ?2, enrolled_at = ?3
                      WHERE account_id = ?1 AND device = ?4 AND state = 'pending'",
            start_replacement: "UPDATE twofa_credentials SET replacement_secret = ?2,
                                       replacement_created_at = ?3, replacement_expires_at = ?4
                                WHERE account_id = ?1 AND device = ?5 AND state = 'enabled'",
            confirm_replacement: "UPDATE twofa_credentials
                                  SET secret = replacement_secret, created_at = replacement_created_at,
                                      last_step = ?2, enrolled_at = ?3, last_used_at = NULL,
                                      replacement_secret = NULL, replacement_created_at = NULL,
                                      replacement_expires_at = NULL, drift_steps = 0
                                  WHERE account_id = ?1 AND device = ?4 AND state = 'enabled'
                                    AND replacement_secret IS NOT NULL",
            accept_step: "UPDATE twofa_credentials SET last_step = ?2, last_used_at = ?3
                          WHERE account_id = ?1 AND device = ?4 AND state = 'enabled'
                            AND (last_step IS NULL OR last_step < ?2)",
            delete_credential: "DELETE FROM twofa_credentials WHERE account_id = ?1",
            delete_device: "DELETE FROM twofa_credentials WHERE account_id = ?1 AND device = ?2",
            drop_expired: "DELETE FROM twofa_credentials
                           WHERE account_id = ?1 AND state = 'pending' AND expires_at <= ?2",
            rename_device: "UPDATE twofa_credentials SET device = ?3, secret = ?4,
                                   replacement_secret =
                                     CASE WHEN replacement_secret IS NOT NULL THEN ?5 END
                            WHERE account_id = ?1 AND device = ?2",
            recovery_candidates: "SELECT id, hash, used_at IS NOT NULL FROM twofa_recovery_codes
                                  WHERE account_id = ?1 AND lookup = ?2",
            add_recovery_code: "INSERT INTO twofa_recovery_codes (account_id, lookup, hash, created_at)
                                VALUES (?1, ?2, ?3, ?4)",
            delete_recovery_codes: "DELETE FROM twofa_recovery_codes WHERE account_id = ?1",
            spend_recovery_code: "UPDATE twofa_recovery_codes SET used_at = ?2
                                  WHERE id = ?1 AND used_at IS NULL",
            recovery_code_exists: "SELECT EXISTS (SELECT 1 FROM twofa_recovery_codes WHERE id = ?1)",
            recovery_codes_left: "SELECT count(*) FROM twofa_recovery_codes
                                  WHERE account_id = ?1 AND used_at IS NULL",
            recovery_codes_issued: "SELECT count(*) FROM twofa_recovery_codes WHERE account_id = ?1",
            secrets: "SELECT c.account_id, a.email, c.secret, c.device FROM twofa_credentials c
                      JOIN twofa_accounts a ON a.id = c.account_id
                      UNION ALL
                      SELECT c.account_id, a.email, c.replacement_secret, c.device
                      FROM twofa_credentials c
                      JOIN twofa_accounts a ON a.id = c.account_id
                      WHERE c.replacement_secret IS NOT NULL
                      ORDER BY 1, 4",
            import_credential: $import,
            enabled_secrets: "SELECT c.account_id, a.email, o.slug, c.secret, c.device, a.name
                              FROM twofa_credentials c
                              JOIN twofa_accounts a ON a.id = c.account_id
                              LEFT JOIN twofa_orgs o ON o.id = a.org_id
                              WHERE c.state = 'enabled'",
        }
    };
}

pub(super) use {credential_columns, credential_select, marked_credential_sql, put_credential};

/// What spending a recovery code did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spend {
    /// It was unspent and is now spent.
    Spent,
    /// It had been spent before.
    AlreadySpent,
    /// It no longer exists (the set was replaced meanwhile).
    Gone,
}

/// A new or replaced credential.
pub struct NewCredential<'a> {
    pub sealed_secret: &'a [u8],
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// A device's new name, and its secrets sealed for it.
pub struct DeviceRename<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub sealed_secret: &'a [u8],
    pub sealed_replacement: Option<&'a [u8]>,
}

impl NewCredential<'_> {
    /// The parameters of `start_enrollment` and `start_replacement`.
    fn args<'a>(&'a self, account_id: i64, device: &'a str) -> [Arg<'a>; 5] {
        [
            int(account_id),
            Arg::Bytes(self.sealed_secret),
            int(self.created_at),
            int(self.expires_at),
            text(device),
        ]
    }
}

/// A secret `import` brings for a device, sealed, and when it was imported.
pub struct ImportedSecret<'a> {
    pub device: &'a str,
    pub sealed_secret: &'a [u8],
    pub enrolled_at: Timestamp,
}

/// The TOTP step a device's code used, and when: a confirmed enrollment or an accepted
/// code.
pub struct StepUse<'a> {
    pub account_id: i64,
    pub device: &'a str,
    pub step: u64,
    pub at: Timestamp,
}

impl StepUse<'_> {
    /// The parameters of `confirm`, `confirm_replacement` and `accept_step`.
    fn args(&self) -> [Arg<'_>; 4] {
        [
            int(self.account_id),
            int(self.step as i64),
            int(self.at),
            text(self.device),
        ]
    }
}

/// Which enabled credentials `export` reads: one account, one organisation, or every one.
#[derive(Debug, Clone, Default)]
pub struct SecretFilter {
    pub email: Option<String>,
    pub org: Option<String>,
}

/// An enabled credential as `export` reads it: the account, the device and its sealed
/// secret.
pub struct EnabledSecret {
    pub account_id: i64,
    pub email: String,
    pub org: Option<String>,
    pub sealed_secret: Vec<u8>,
    pub device: String,
    pub name: Option<String>,
}

/// A stored secret as `check` reads it.
pub struct StoredSecret<'a> {
    pub account_id: i64,
    pub device: &'a str,
    pub email: &'a str,
    pub sealed: &'a [u8],
}

/// Credentials and recovery codes, as [`super::Store`] reads them.
pub trait CredentialStore {
    /// The account's credentials, one a device, oldest first.
    fn credentials(&mut self, account_id: i64) -> Result<Vec<CredentialRow>>;
    /// The account's recovery codes whose look-up prefix is `lookup`.
    fn recovery_candidates(
        &mut self,
        account_id: i64,
        lookup: &str,
    ) -> Result<Vec<RecoveryCandidate>>;
    /// How many recovery codes the account has, spent or not: 0 when none were issued for
    /// its credential (an imported one, until `recovery regenerate`).
    fn recovery_codes_issued(&mut self, account_id: i64) -> Result<u32>;
    /// Streams every stored secret.
    fn secrets(&mut self, each: &mut dyn FnMut(StoredSecret<'_>) -> Result<()>) -> Result<()>;
}

/// Credentials and recovery codes, as a [`super::Tx`] reads and changes them.
pub trait CredentialTx {
    /// The account's credentials, one a device, oldest first (read after the account).
    fn credentials(&mut self, account_id: i64) -> Result<Vec<CredentialRow>>;
    /// Replaces the device's credential with a pending one, and drops the account's
    /// pending enrollments that expired by `created_at`.
    fn start_enrollment(
        &mut self,
        account_id: i64,
        device: &str,
        credential: &NewCredential<'_>,
    ) -> Result<()>;
    /// Turns the device's pending credential into an enabled one, with the step as accepted,
    /// and clears the failure count.
    fn confirm(&mut self, used: &StepUse<'_>) -> Result<()>;
    /// Sets (or replaces) the re-enrollment of an enabled device, whose secret keeps
    /// working until the new one is confirmed; false when the device is not enabled.
    fn start_replacement(
        &mut self,
        account_id: i64,
        device: &str,
        credential: &NewCredential<'_>,
    ) -> Result<bool>;
    /// Makes the re-enrollment's secret the device's enabled one, with the step as its
    /// first accepted step (a new secret starts its own replay history), and clears the
    /// failure count.
    fn confirm_replacement(&mut self, used: &StepUse<'_>) -> Result<()>;
    /// Records the step as accepted for the device if it is newer than its last accepted
    /// step; false when it is not (a replay that raced this one). The caller clears the
    /// failure count.
    fn accept_step(&mut self, used: &StepUse<'_>) -> Result<bool>;
    /// Removes every device, the recovery codes and the access code; true when there was
    /// a device.
    fn remove_credential(&mut self, account_id: i64) -> Result<bool>;
    /// Removes one device; true when it existed.
    fn remove_device(&mut self, account_id: i64, device: &str) -> Result<bool>;
    /// Renames a device, storing its secrets resealed for the new name; true when it
    /// existed.
    fn rename_device(&mut self, account_id: i64, rename: &DeviceRename<'_>) -> Result<bool>;
    /// Replaces the device's credential with an enabled one holding an imported secret (no
    /// step accepted yet) and drops the account's recovery codes (`import`).
    fn import_credential(&mut self, account_id: i64, secret: &ImportedSecret<'_>) -> Result<()>;
    /// The enabled credentials of the accounts `filter` selects, ordered by email and
    /// device (`export`).
    fn enabled_secrets(&mut self, filter: &SecretFilter) -> Result<Vec<EnabledSecret>>;
    /// Replaces the whole recovery-code set.
    fn replace_recovery_codes(
        &mut self,
        account_id: i64,
        codes: &[HashedCode],
        now: Timestamp,
    ) -> Result<()>;
    /// Spends a code if it is still unspent (`… WHERE used_at IS NULL`).
    fn spend_recovery_code(&mut self, code_id: i64, now: Timestamp) -> Result<Spend>;
    fn recovery_codes_left(&mut self, account_id: i64) -> Result<u32>;
}

/// A stored credential's state column as the domain sees it.
pub(super) fn credential_state(
    state: Option<&str>,
    expires_at: Option<Timestamp>,
) -> Option<Credential> {
    match state {
        Some("enabled") => Some(Credential::Enabled),
        Some("pending") => Some(Credential::Pending {
            expires_at: expires_at.unwrap_or(0),
        }),
        _ => None,
    }
}

/// [`credential_columns`].
fn credential(r: &dyn Columns) -> Result<CredentialRow> {
    Ok(CredentialRow {
        state: credential_state(r.text(0)?.as_deref(), r.int(1)?).unwrap_or(Credential::Enabled),
        sealed_secret: need(r.bytes(2)?, 2)?,
        enrolled_at: r.int(3)?,
        last_step: r.int(4)?.map(|s| s as u64),
        last_used_at: r.int(5)?,
        replacement: match r.bytes(6)? {
            Some(sealed_secret) => Some(Replacement {
                sealed_secret,
                expires_at: r.int(7)?.unwrap_or(0),
            }),
            None => None,
        },
        drift_steps: r.int(8)?.unwrap_or(0),
        device: need(r.text(9)?, 9)?,
        created_at: need(r.int(10)?, 10)?,
    })
}

/// id, hash, whether spent.
fn recovery_candidate(r: &dyn Columns) -> Result<RecoveryCandidate> {
    Ok(RecoveryCandidate {
        id: need(r.int(0)?, 0)?,
        hash: need(r.text(1)?, 1)?,
        used: need(r.flag(2)?, 2)?,
    })
}

/// account_id, email, org slug, secret, device, name.
fn enabled_secret(r: &dyn Columns) -> Result<EnabledSecret> {
    Ok(EnabledSecret {
        account_id: need(r.int(0)?, 0)?,
        email: need(r.text(1)?, 1)?,
        org: r.text(2)?,
        sealed_secret: need(r.bytes(3)?, 3)?,
        device: need(r.text(4)?, 4)?,
        name: r.text(5)?,
    })
}

/// The statement and parameters that read `export`'s credentials, by email.
fn enabled_secrets_sql<'f>(sql: &Sql, filter: &'f SecretFilter) -> (String, Vec<Arg<'f>>) {
    let mut query = String::from(sql.credentials.enabled_secrets);
    let mut args = Vec::new();
    if let Some(email) = &filter.email {
        args.push(text(email));
        query.push_str(&format!(" AND a.email = {}{}", sql.mark, args.len()));
    }
    if let Some(org) = &filter.org {
        args.push(text(org));
        query.push_str(&format!(" AND o.slug = {}{}", sql.mark, args.len()));
    }
    query.push_str(" ORDER BY a.email, c.device");
    (query, args)
}

const READ: &str = "cannot read credential";
const COUNT: &str = "cannot count recovery codes";

impl<B: Backend> CredentialStore for B {
    fn credentials(&mut self, account_id: i64) -> Result<Vec<CredentialRow>> {
        let sql = B::SQL.credentials.credential;
        all(self, READ, sql, &[int(account_id)], credential)
    }

    fn recovery_candidates(
        &mut self,
        account_id: i64,
        lookup: &str,
    ) -> Result<Vec<RecoveryCandidate>> {
        let args = [int(account_id), text(lookup)];
        let sql = B::SQL.credentials.recovery_candidates;
        all(
            self,
            "cannot read recovery codes",
            sql,
            &args,
            recovery_candidate,
        )
    }

    fn recovery_codes_issued(&mut self, account_id: i64) -> Result<u32> {
        let sql = B::SQL.credentials.recovery_codes_issued;
        let n = first(self, COUNT, sql, &[int(account_id)], |r| count(r, 0))?;
        need(n, 0)
    }

    fn secrets(&mut self, each: &mut dyn FnMut(StoredSecret<'_>) -> Result<()>) -> Result<()> {
        let sql = B::SQL.credentials.secrets;
        self.each("cannot read the secrets", sql, &[], &mut |r| {
            let email = need(r.text(1)?, 1)?;
            let device = need(r.text(3)?, 3)?;
            each(StoredSecret {
                account_id: need(r.int(0)?, 0)?,
                device: &device,
                email: &email,
                sealed: &need(r.bytes(2)?, 2)?,
            })
        })
    }
}

impl<C: Conn + Commit> CoreTx<C> {
    fn delete_recovery_codes(&mut self, account_id: i64) -> Result<()> {
        let sql = self.sql.credentials.delete_recovery_codes;
        let what = "cannot remove the old recovery codes";
        self.conn.exec(what, sql, &[int(account_id)])?;
        Ok(())
    }

    /// Confirms a device's enrollment or re-enrollment with `sql` (`StepUse::args`), and
    /// clears the failure count.
    fn confirm_with(&mut self, sql: &str, used: &StepUse<'_>) -> Result<()> {
        self.conn
            .exec("cannot confirm the enrollment", sql, &used.args())?;
        self.reset_failures(used.account_id)
    }

    /// Clears the failure count and lock after a confirmed enrollment.
    fn reset_failures(&mut self, account_id: i64) -> Result<()> {
        let sql = self.sql.accounts.reset_failures;
        let what = "cannot reset the failure count";
        self.conn.exec(what, sql, &[int(account_id)])?;
        Ok(())
    }
}

impl<C: Conn + Commit> CredentialTx for CoreTx<C> {
    fn credentials(&mut self, account_id: i64) -> Result<Vec<CredentialRow>> {
        let sql = self.sql.credentials.credential;
        all(&mut self.conn, READ, sql, &[int(account_id)], credential)
    }

    fn start_enrollment(
        &mut self,
        account_id: i64,
        device: &str,
        c: &NewCredential<'_>,
    ) -> Result<()> {
        let sql = self.sql.credentials.drop_expired;
        let what = "cannot remove the expired enrollments";
        self.conn
            .exec(what, sql, &[int(account_id), int(c.created_at)])?;
        let args = c.args(account_id, device);
        let sql = self.sql.credentials.start_enrollment;
        self.conn.exec("cannot store the enrollment", sql, &args)?;
        Ok(())
    }

    fn confirm(&mut self, used: &StepUse<'_>) -> Result<()> {
        self.confirm_with(self.sql.credentials.confirm, used)
    }

    fn start_replacement(
        &mut self,
        account_id: i64,
        device: &str,
        c: &NewCredential<'_>,
    ) -> Result<bool> {
        let args = c.args(account_id, device);
        let sql = self.sql.credentials.start_replacement;
        one_row(&mut self.conn, "cannot store the enrollment", sql, &args)
    }

    fn confirm_replacement(&mut self, used: &StepUse<'_>) -> Result<()> {
        self.confirm_with(self.sql.credentials.confirm_replacement, used)
    }

    fn accept_step(&mut self, used: &StepUse<'_>) -> Result<bool> {
        let sql = self.sql.credentials.accept_step;
        let what = "cannot record the accepted code";
        one_row(&mut self.conn, what, sql, &used.args())
    }

    fn remove_credential(&mut self, account_id: i64) -> Result<bool> {
        self.delete_recovery_codes(account_id)?;
        let sql = self.sql.support.delete_access_code;
        self.conn
            .exec("cannot remove the access code", sql, &[int(account_id)])?;
        let sql = self.sql.credentials.delete_credential;
        let what = "cannot remove the credential";
        one_row(&mut self.conn, what, sql, &[int(account_id)])
    }

    fn remove_device(&mut self, account_id: i64, device: &str) -> Result<bool> {
        let sql = self.sql.credentials.delete_device;
        let what = "cannot remove the device";
        one_row(&mut self.conn, what, sql, &[int(account_id), text(device)])
    }

    fn rename_device(&mut self, account_id: i64, r: &DeviceRename<'_>) -> Result<bool> {
        let args = [
            int(account_id),
            text(r.from),
            text(r.to),
            Arg::Bytes(r.sealed_secret),
            // Stored only where the device has a re-enrollment (the statement says so).
            Arg::Bytes(r.sealed_replacement.unwrap_or(r.sealed_secret)),
        ];
        let sql = self.sql.credentials.rename_device;
        one_row(&mut self.conn, "cannot rename the device", sql, &args)
    }

    fn import_credential(&mut self, account_id: i64, secret: &ImportedSecret<'_>) -> Result<()> {
        self.delete_recovery_codes(account_id)?;
        let args = [
            int(account_id),
            Arg::Bytes(secret.sealed_secret),
            int(secret.enrolled_at),
            text(secret.device),
        ];
        let sql = self.sql.credentials.import_credential;
        self.conn
            .exec("cannot store the imported secret", sql, &args)?;
        Ok(())
    }

    fn enabled_secrets(&mut self, filter: &SecretFilter) -> Result<Vec<EnabledSecret>> {
        let (sql, args) = enabled_secrets_sql(self.sql, filter);
        let what = "cannot read the enabled secrets";
        all(&mut self.conn, what, &sql, &args, enabled_secret)
    }

    fn replace_recovery_codes(
        &mut self,
        account_id: i64,
        codes: &[HashedCode],
        now: Timestamp,
    ) -> Result<()> {
        self.delete_recovery_codes(account_id)?;
        for c in codes {
            let args = [int(account_id), text(&c.lookup), text(&c.hash), int(now)];
            let sql = self.sql.credentials.add_recovery_code;
            self.conn.exec("cannot store a recovery code", sql, &args)?;
        }
        Ok(())
    }

    fn spend_recovery_code(&mut self, code_id: i64, now: Timestamp) -> Result<Spend> {
        let sql = self.sql.credentials.spend_recovery_code;
        let args = [int(code_id), int(now)];
        if one_row(&mut self.conn, "cannot spend the recovery code", sql, &args)? {
            return Ok(Spend::Spent);
        }
        let sql = self.sql.credentials.recovery_code_exists;
        let what = "cannot read the recovery code";
        Ok(if flag_of(&mut self.conn, what, sql, &[int(code_id)])? {
            Spend::AlreadySpent
        } else {
            Spend::Gone
        })
    }

    fn recovery_codes_left(&mut self, account_id: i64) -> Result<u32> {
        let sql = self.sql.credentials.recovery_codes_left;
        let n = first(&mut self.conn, COUNT, sql, &[int(account_id)], |r| {
            count(r, 0)
        })?;
        need(n, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_states() {
        assert_eq!(
            credential_state(Some("enabled"), None),
            Some(Credential::Enabled)
        );
        assert_eq!(
            credential_state(Some("pending"), Some(7)),
            Some(Credential::Pending { expires_at: 7 })
        );
        assert_eq!(credential_state(None, Some(7)), None);
    }
}
