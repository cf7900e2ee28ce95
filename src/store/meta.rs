//! `twofa_meta` and the key: the id of the key that seals the secrets, the other meta rows
//! (a key rotation in progress, the event chain's ends, the schema version), and the
//! resealing of secrets that a key rotation works through.

use anyhow::Result;

use super::conn::{Arg, Backend, Columns, Commit, Conn, CoreTx, all, first, flag_of, int, need};
use super::conn::{one_row, text};
use super::sql::Sql;
use crate::crypto::{KeyId, key_id_hex};

/// The meta statements of the backends that mark parameters `?N` (SQLite, MySQL), the same
/// text on both (`key` in backquotes, which SQLite reads as MySQL does); each gives its own
/// way of writing a value over an old one (`set_meta`) and of claiming the key id once.
macro_rules! marked_meta_sql {
    (set_meta: $set_meta:expr, claim_key_id: $claim_key_id:expr $(,)?) => {
        $crate::store::sql::MetaSql {
            meta: "SELECT value FROM twofa_meta WHERE `key` = ?1",
            set_meta: $set_meta,
            delete_meta: "DELETE FROM twofa_meta WHERE `key` = ?1",
            claim_key_id: $claim_key_id,
            sealed_without: "SELECT account_id, device, secret FROM (
                               SELECT account_id, device, secret FROM twofa_credentials
                               WHERE substr(secret, 2, 4) <> ?1
                               UNION ALL
                               SELECT account_id, device, replacement_secret FROM twofa_credentials
                               WHERE substr(replacement_secret, 2, 4) <> ?1
                             ) AS s ORDER BY account_id, device LIMIT ?2",
            any_sealed_without: "SELECT EXISTS (SELECT 1 FROM twofa_credentials
                                                WHERE substr(secret, 2, 4) <> ?1
                                                   OR substr(replacement_secret, 2, 4) <> ?1)",
            reseal: "UPDATE twofa_credentials
                     SET secret = CASE WHEN secret = ?2 THEN ?3 ELSE secret END,
                         replacement_secret =
                           CASE WHEN replacement_secret = ?2 THEN ?3 ELSE replacement_secret END
                     WHERE account_id = ?1 AND device = ?4
                       AND (secret = ?2 OR replacement_secret = ?2)",
        }
    };
}
pub(super) use marked_meta_sql;

/// The meta row of the key id.
const KEY_ID: &str = "key_id";

/// A credential's account row, device and sealed secret.
pub type SealedSecret = (i64, String, Vec<u8>);

/// The key and `twofa_meta`, as [`super::Store`] reads them.
pub trait MetaStore {
    /// The id of the key that seals the secrets, as recorded at `init`.
    fn key_id(&mut self) -> Result<Option<KeyId>>;
    /// A row of `twofa_meta` (e.g. a key rotation in progress).
    fn meta(&mut self, key: &str) -> Result<Option<String>>;
    /// Up to `limit` credentials whose secret is not sealed with `key`: (account row,
    /// device, sealed secret). A key rotation works through them in batches.
    fn sealed_without(&mut self, key: KeyId, limit: u32) -> Result<Vec<SealedSecret>>;
}

/// The key and `twofa_meta`, as a [`super::Tx`] changes them.
pub trait MetaTx {
    /// Records the key of a database that has none; false when one is recorded already
    /// (another twofa set the database up at the same moment).
    fn claim_key_id(&mut self, id: KeyId) -> Result<bool>;
    /// Records the key the secrets are sealed with, replacing the one before (rekey).
    fn set_key_id(&mut self, id: KeyId) -> Result<()>;
    /// Sets (or with `None` removes) a row of `twofa_meta`.
    fn set_meta(&mut self, key: &str, value: Option<&str>) -> Result<()>;
    /// Replaces a sealed secret if it is still `old` (a concurrent enroll wins); true when
    /// replaced.
    fn reseal(&mut self, account_id: i64, device: &str, old: &[u8], new: &[u8]) -> Result<bool>;
    /// Whether any credential's secret is not sealed with `key`.
    fn any_sealed_without(&mut self, key: KeyId) -> Result<bool>;
}

/// A row of `twofa_meta`.
pub(super) fn read_meta(
    c: &mut (impl Conn + ?Sized),
    sql: &Sql,
    key: &str,
) -> Result<Option<String>> {
    first(
        c,
        "cannot read twofa_meta",
        sql.meta.meta,
        &[text(key)],
        |r| need(r.text(0)?, 0),
    )
}

/// Sets a row of `twofa_meta`.
pub(super) fn write_meta(
    c: &mut (impl Conn + ?Sized),
    sql: &Sql,
    key: &str,
    value: &str,
) -> Result<()> {
    let args = [text(key), text(value)];
    c.exec("cannot write twofa_meta", sql.meta.set_meta, &args)?;
    Ok(())
}

fn sealed(r: &dyn Columns) -> Result<SealedSecret> {
    Ok((
        need(r.int(0)?, 0)?,
        need(r.text(1)?, 1)?,
        need(r.bytes(2)?, 2)?,
    ))
}

impl<B: Backend> MetaStore for B {
    fn key_id(&mut self) -> Result<Option<KeyId>> {
        Ok(self.meta(KEY_ID)?.as_deref().and_then(KeyId::from_hex))
    }

    fn meta(&mut self, key: &str) -> Result<Option<String>> {
        read_meta(self, B::SQL, key)
    }

    fn sealed_without(&mut self, key: KeyId, limit: u32) -> Result<Vec<SealedSecret>> {
        let args = [Arg::Bytes(key.as_slice()), int(i64::from(limit))];
        let sql = B::SQL.meta.sealed_without;
        all(self, "cannot read the secrets", sql, &args, sealed)
    }
}

impl<C: Conn + Commit> MetaTx for CoreTx<C> {
    fn claim_key_id(&mut self, id: KeyId) -> Result<bool> {
        let hex = key_id_hex(&id);
        let sql = self.sql.meta.claim_key_id;
        one_row(
            &mut self.conn,
            "cannot record the key id",
            sql,
            &[text(&hex)],
        )
    }

    fn set_key_id(&mut self, id: KeyId) -> Result<()> {
        self.set_meta(KEY_ID, Some(&key_id_hex(&id)))
    }

    fn set_meta(&mut self, key: &str, value: Option<&str>) -> Result<()> {
        match value {
            Some(v) => write_meta(&mut self.conn, self.sql, key, v),
            None => {
                let sql = self.sql.meta.delete_meta;
                self.conn
                    .exec("cannot write twofa_meta", sql, &[text(key)])?;
                Ok(())
            }
        }
    }

    fn reseal(&mut self, account_id: i64, device: &str, old: &[u8], new: &[u8]) -> Result<bool> {
        let args = [
            int(account_id),
            Arg::Bytes(old),
            Arg::Bytes(new),
            text(device),
        ];
        let sql = self.sql.meta.reseal;
        one_row(
            &mut self.conn,
            "cannot store the resealed secret",
            sql,
            &args,
        )
    }

    fn any_sealed_without(&mut self, key: KeyId) -> Result<bool> {
        let args = [Arg::Bytes(key.as_slice())];
        let sql = self.sql.meta.any_sealed_without;
        flag_of(&mut self.conn, "cannot read the secrets", sql, &args)
    }
}
