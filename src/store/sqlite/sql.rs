//! SQLite's statements, one table per concern (the list is `store/sql.rs`). Most of the text
//! is MySQL's too (the `marked_*_sql!` of each concern); what is SQLite's own is given here.

use crate::store::accounts::marked_account_sql;
use crate::store::credentials::{marked_credential_sql, put_credential};
use crate::store::events::marked_event_sql;
use crate::store::meta::marked_meta_sql;
use crate::store::orgs::marked_org_sql;
use crate::store::requests::marked_request_sql;
use crate::store::sql::Sql;
use crate::store::support::marked_support_sql;
use crate::store::sync::marked_sync_sql;

/// SQLite's statements. The email parameter of a join is `CAST(?1 AS TEXT)`: a bare `?1`
/// compared with a column of a join makes SQLite mark the statement as depending on the
/// parameter's value, so that the statement cache (which clears bindings) re-prepares it on
/// every use: 2000 parses for a 2000-account bulk reset. The cast keeps the plan (the email
/// index) and the statement prepared.
pub(in crate::store) const SQL: Sql = Sql {
    mark: "?",
    meta: marked_meta_sql!(
        set_meta: "INSERT INTO twofa_meta (key, value) VALUES (?1, ?2)
                   ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        claim_key_id: "INSERT INTO twofa_meta (key, value) VALUES ('key_id', ?1)
                       ON CONFLICT (key) DO NOTHING",
    ),
    orgs: marked_org_sql!(
        add_org: "INSERT INTO twofa_orgs (slug, name, created_at) VALUES (?1, ?2, ?3)
                  ON CONFLICT (slug) DO NOTHING RETURNING id",
    ),
    // The transaction holds the write lock already (BEGIN IMMEDIATE): no row lock.
    accounts: marked_account_sql!(
        email: "CAST(?1 AS TEXT)",
        lock: "",
        add_account: "INSERT INTO twofa_accounts (email, org_id, name, created_at, skeleton)
                      SELECT ?1, ?2, ?3, ?4, ?5
                      WHERE NOT EXISTS (SELECT 1 FROM twofa_accounts WHERE skeleton = ?5)
                      ON CONFLICT (email) DO NOTHING RETURNING id",
    ),
    credentials: marked_credential_sql!(
        put_credential!(
            "twofa_",
            "(?1, ?5, 'pending', ?2, ?3, ?4, NULL, NULL, NULL)"
        ),
        put_credential!(
            "twofa_",
            "(?1, ?4, 'enabled', ?2, ?3, NULL, ?3, NULL, NULL)"
        )
    ),
    events: marked_event_sql!(),
    sync: marked_sync_sql!(email: "CAST(?1 AS TEXT)"),
    support: marked_support_sql!(
        is: "IS",
        record_reminder: "INSERT INTO twofa_reminders (account_id, deadline, threshold, sent_at)
                          VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
        set_access_code: "INSERT INTO twofa_access_codes (account_id, hash, created_at, expires_at)
                          VALUES (?1, ?2, ?3, ?4)
                          ON CONFLICT (account_id) DO UPDATE SET
                            hash = excluded.hash, created_at = excluded.created_at,
                            expires_at = excluded.expires_at, used_at = NULL",
    ),
    // No database roles: the role of a request or an approval is empty.
    requests: marked_request_sql!(role: "SELECT NULL", returning_id: " RETURNING id", lock: ""),
};
