//! MySQL's and MariaDB's statements, one table per concern (the list is `store/sql.rs`). Most
//! of the text is SQLite's too (the `marked_*_sql!` of each concern); what is MySQL's own is
//! given here. Where the others write `ON CONFLICT … DO NOTHING … RETURNING id`, these insert
//! only what is not there (write transactions take turns, so nothing can come in between)
//! and the backend returns the inserted id; `IS DISTINCT FROM` is `NOT (… <=> …)`.

use crate::store::accounts::marked_account_sql;
use crate::store::credentials::marked_credential_sql;
use crate::store::events::marked_event_sql;
use crate::store::meta::marked_meta_sql;
use crate::store::orgs::marked_org_sql;
use crate::store::requests::marked_request_sql;
use crate::store::sql::Sql;
use crate::store::support::marked_support_sql;
use crate::store::sync::marked_sync_sql;

/// Puts a credential row (`$values`) in place of the device's, as the others'
/// `put_credential!` does with `ON CONFLICT`.
#[rustfmt::skip]
macro_rules! put_credential {
    ($values:literal) => {
        concat!(
            "INSERT INTO twofa_credentials
               (account_id, device, state, secret, created_at, expires_at, enrolled_at,
                last_step, last_used_at)
             VALUES ", $values, "
             ON DUPLICATE KEY UPDATE
               state = VALUES(state), secret = VALUES(secret),
               created_at = VALUES(created_at), expires_at = VALUES(expires_at),
               enrolled_at = VALUES(enrolled_at), last_step = VALUES(last_step),
               last_used_at = VALUES(last_used_at), replacement_secret = NULL,
               replacement_created_at = NULL, replacement_expires_at = NULL,
               drift_steps = 0"
        )
    };
}

/// MySQL's and MariaDB's statements.
pub(in crate::store) const SQL: Sql = Sql {
    mark: "?",
    meta: marked_meta_sql!(
        set_meta: "INSERT INTO twofa_meta (`key`, value) VALUES (?1, ?2)
                   ON DUPLICATE KEY UPDATE value = VALUES(value)",
        claim_key_id: "INSERT INTO twofa_meta (`key`, value) SELECT 'key_id', ?1 FROM DUAL
                       WHERE NOT EXISTS (SELECT 1 FROM twofa_meta WHERE `key` = 'key_id')",
    ),
    orgs: marked_org_sql!(
        add_org: "INSERT INTO twofa_orgs (slug, name, created_at) SELECT ?1, ?2, ?3 FROM DUAL
                  WHERE NOT EXISTS (SELECT 1 FROM twofa_orgs WHERE slug = ?1)",
    ),
    // The row read for an update stays locked until the transaction ends.
    accounts: marked_account_sql!(
        email: "?1",
        lock: " FOR UPDATE",
        add_account: "INSERT INTO twofa_accounts (email, org_id, name, created_at, skeleton)
                      SELECT ?1, ?2, ?3, ?4, ?5 FROM DUAL
                      WHERE NOT EXISTS (SELECT 1 FROM twofa_accounts
                                        WHERE email = ?1 OR skeleton = ?5)",
    ),
    credentials: marked_credential_sql!(
        put_credential!("(?1, ?5, 'pending', ?2, ?3, ?4, NULL, NULL, NULL)"),
        put_credential!("(?1, ?4, 'enabled', ?2, ?3, NULL, ?3, NULL, NULL)")
    ),
    events: marked_event_sql!(),
    sync: marked_sync_sql!(email: "?1"),
    support: marked_support_sql!(
        is: "<=>",
        record_reminder: "INSERT INTO twofa_reminders (account_id, deadline, threshold, sent_at)
                          SELECT ?1, ?2, ?3, ?4 FROM DUAL
                          WHERE NOT EXISTS (SELECT 1 FROM twofa_reminders
                                            WHERE account_id = ?1 AND deadline = ?2
                                              AND threshold = ?3)",
        set_access_code: "INSERT INTO twofa_access_codes (account_id, hash, created_at, expires_at)
                          VALUES (?1, ?2, ?3, ?4)
                          ON DUPLICATE KEY UPDATE
                            hash = VALUES(hash), created_at = VALUES(created_at),
                            expires_at = VALUES(expires_at), used_at = NULL",
    ),
    // The account the server checks privileges by, as `user@host`; a request row stays
    // locked until the transaction ends.
    requests: marked_request_sql!(
        role: "SELECT CURRENT_USER()",
        returning_id: "",
        lock: " FOR UPDATE",
    ),
};
