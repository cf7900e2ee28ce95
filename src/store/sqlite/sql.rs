//! SQLite's statements, one table per concern (the list is `store/sql.rs`).

use crate::store::accounts::{account_select, record_select};
use crate::store::credentials::{marked_credential_sql, put_credential};
use crate::store::events::{events_select, log_insert, stored_event_columns};
use crate::store::orgs::org_columns;
use crate::store::requests::request_select;
use crate::store::sql::{
    AccountSql, EventSql, MetaSql, OrgSql, RequestSql, Sql, SupportSql, SyncSql,
};
use crate::store::sync::sync_columns;

/// SQLite's statements. The email parameter of a join is `CAST(?1 AS TEXT)`: a bare `?1`
/// compared with a column of a join makes SQLite mark the statement as depending on the
/// parameter's value, so that the statement cache (which clears bindings) re-prepares it on
/// every use: 2000 parses for a 2000-account bulk reset. The cast keeps the plan (the email
/// index) and the statement prepared.
pub(in crate::store) const SQL: Sql = Sql {
    mark: "?",
    meta: MetaSql {
        meta: "SELECT value FROM twofa_meta WHERE key = ?1",
        set_meta: "INSERT INTO twofa_meta (key, value) VALUES (?1, ?2)
                   ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        delete_meta: "DELETE FROM twofa_meta WHERE key = ?1",
        claim_key_id: "INSERT INTO twofa_meta (key, value) VALUES ('key_id', ?1)
                       ON CONFLICT (key) DO NOTHING",
        // The sealed secret's bytes 2-5 are the id of the key that sealed it.
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
    },
    orgs: OrgSql {
        org: concat!(
            "SELECT ",
            org_columns!(),
            " FROM twofa_orgs WHERE lower(slug) = lower(?1) ORDER BY slug = ?1 DESC, slug LIMIT 1"
        ),
        orgs: "SELECT o.id, o.slug, o.name, o.require_2fa, o.grace_days, o.policy_since,
                      (SELECT count(*) FROM twofa_accounts a WHERE a.org_id = o.id),
                      (SELECT count(*) FROM twofa_accounts a
                         WHERE a.org_id = o.id AND a.cred_state = 'enabled')
               FROM twofa_orgs o ORDER BY o.slug",
        org_slugs: "SELECT slug FROM twofa_orgs ORDER BY slug",
        org_ids: "SELECT id, slug FROM twofa_orgs",
        add_org: "INSERT INTO twofa_orgs (slug, name, created_at) VALUES (?1, ?2, ?3)
                  ON CONFLICT (slug) DO NOTHING RETURNING id",
        set_policy: "UPDATE twofa_orgs SET require_2fa = ?2, grace_days = ?3, policy_since = ?4
                     WHERE id = ?1",
    },
    accounts: AccountSql {
        account: concat!(
            account_select!("twofa_"),
            " WHERE a.email = CAST(?1 AS TEXT)"
        ),
        // The transaction holds the write lock already (BEGIN IMMEDIATE).
        account_for_update: concat!(
            account_select!("twofa_"),
            " WHERE a.email = CAST(?1 AS TEXT)"
        ),
        record: concat!(
            record_select!("twofa_"),
            " WHERE a.email = CAST(?1 AS TEXT)"
        ),
        records: concat!(record_select!("twofa_"), " WHERE"),
        add_account: "INSERT INTO twofa_accounts (email, org_id, name, created_at, skeleton)
                      SELECT ?1, ?2, ?3, ?4, ?5
                      WHERE NOT EXISTS (SELECT 1 FROM twofa_accounts WHERE skeleton = ?5)
                      ON CONFLICT (email) DO NOTHING RETURNING id",
        account_conflict: "SELECT email FROM twofa_accounts WHERE email = ?1 OR skeleton = ?2
                           ORDER BY email <> ?1, email LIMIT 1",
        unskeletoned: "SELECT id, email FROM twofa_accounts WHERE skeleton IS NULL AND id > ?1
                       ORDER BY id LIMIT ?2",
        set_skeletons: "UPDATE twofa_accounts SET skeleton = CASE id",
        set_failures: "UPDATE twofa_accounts SET failed_attempts = ?2, locked_until = ?3
                       WHERE id = ?1",
        reset_failures: "UPDATE twofa_accounts SET failed_attempts = 0, locked_until = NULL
                         WHERE id = ?1",
        clear_failures: "UPDATE twofa_accounts SET failed_attempts = 0, locked_until = NULL
                         WHERE id = ?1 AND (failed_attempts <> 0 OR locked_until IS NOT NULL)",
        set_account_org: "UPDATE twofa_accounts SET org_id = ?2, org_joined_at = ?3 WHERE id = ?1",
        set_account_name: "UPDATE twofa_accounts SET name = ?2 WHERE id = ?1",
        set_external_id: "UPDATE twofa_accounts SET external_id = ?2 WHERE id = ?1",
        rename_account: "UPDATE twofa_accounts SET email = ?2, skeleton = ?3
                         WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM twofa_accounts
                                                       WHERE (email = ?2 OR skeleton = ?3)
                                                         AND id <> ?1)",
        remove_account: "DELETE FROM twofa_accounts WHERE id = ?1",
        emails_between: "SELECT email FROM twofa_accounts WHERE email >= ?1 AND email < ?2
                         ORDER BY email LIMIT ?3",
        emails_like: "SELECT email FROM twofa_accounts WHERE email LIKE ?1 ESCAPE '\\' LIMIT ?2",
    },
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
    events: EventSql {
        events: events_select!("twofa_"),
        log: log_insert!("twofa_", "(?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
        event_rows: events_select!("twofa_", stored),
        events_before: concat!(
            "SELECT ",
            stored_event_columns!(),
            " FROM twofa_events WHERE id < coalesce(
                 (SELECT min(id) FROM twofa_events WHERE at >= ?1),
                 (SELECT max(id) + 1 FROM twofa_events)) ORDER BY id"
        ),
        last_event_id: "SELECT coalesce(max(id), 0) FROM twofa_events",
        event_count: "SELECT count(*) FROM twofa_events",
        event_counts: "SELECT action, count(*) FROM twofa_events GROUP BY action",
        prune_counts: "SELECT action, count(*) FROM twofa_events WHERE id <= ?1 GROUP BY action",
        prune_events: "DELETE FROM twofa_events WHERE id <= ?1",
        pruned_counts: "SELECT key, value FROM twofa_meta WHERE substr(key, 1, 14) = 'events_pruned.'",
        unhashed_events: concat!(
            "SELECT ",
            stored_event_columns!(),
            " FROM twofa_events WHERE id > ?1 AND hash IS NULL ORDER BY id LIMIT ?2"
        ),
        set_event_hash: "UPDATE twofa_events SET hash = ?2 WHERE id = ?1",
    },
    sync: SyncSql {
        sync_lookup: concat!(
            "SELECT ",
            sync_columns!(),
            " FROM twofa_accounts a WHERE a.email IN ("
        ),
        sync_scan: concat!(
            "SELECT ",
            sync_columns!(),
            " FROM twofa_accounts a WHERE a.email > CAST(?1 AS TEXT) ORDER BY a.email LIMIT ?2"
        ),
    },
    support: SupportSql {
        set_exempt: "UPDATE twofa_accounts SET exempt_until = ?2
                     WHERE id = ?1 AND exempt_until IS DISTINCT FROM ?2",
        set_own_deadline: "UPDATE twofa_accounts SET own_deadline = ?2
                           WHERE id = ?1 AND own_deadline IS DISTINCT FROM ?2",
        reminders_sent: "SELECT threshold FROM twofa_reminders
                         WHERE account_id = ?1 AND deadline = ?2 ORDER BY threshold",
        record_reminder: "INSERT INTO twofa_reminders (account_id, deadline, threshold, sent_at)
                          VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
        set_drift: "UPDATE twofa_credentials SET drift_steps = ?2
                    WHERE account_id = ?1 AND device = ?3",
        access_code: "SELECT hash, expires_at, used_at FROM twofa_access_codes WHERE account_id = ?1",
        set_access_code: "INSERT INTO twofa_access_codes (account_id, hash, created_at, expires_at)
                          VALUES (?1, ?2, ?3, ?4)
                          ON CONFLICT (account_id) DO UPDATE SET
                            hash = excluded.hash, created_at = excluded.created_at,
                            expires_at = excluded.expires_at, used_at = NULL",
        spend_access_code: "UPDATE twofa_access_codes SET used_at = ?2
                            WHERE account_id = ?1 AND used_at IS NULL AND expires_at > ?2
                              AND hash = ?3",
        delete_access_code: "DELETE FROM twofa_access_codes WHERE account_id = ?1",
        live_access_code: "SELECT CASE WHEN used_at IS NULL AND expires_at > ?2
                                       THEN expires_at END
                           FROM twofa_access_codes WHERE account_id = ?1",
    },
    requests: RequestSql {
        guard: "SELECT a.protected, COALESCE(o.approvals, 0) FROM twofa_accounts a
                LEFT JOIN twofa_orgs o ON o.id = a.org_id WHERE a.id = ?1",
        org_approvals: "SELECT approvals FROM twofa_orgs WHERE id = ?1",
        set_org_approvals: "UPDATE twofa_orgs SET approvals = ?2 WHERE id = ?1",
        set_protected: "UPDATE twofa_accounts SET protected = ?2
                        WHERE id = ?1 AND protected <> ?2",
        role: "SELECT NULL",
        add_request: "INSERT INTO twofa_requests (action, email, org, args, reason, needed,
                        requested_by, requested_role, requested_at, expires_at)
                      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
        lock_request: "SELECT id FROM twofa_requests WHERE id = ?1",
        request: concat!(
            request_select!("twofa_"),
            " WHERE r.id = ?1 ORDER BY p.approved_at, p.approved_by"
        ),
        requests: concat!(
            request_select!("twofa_"),
            " WHERE (?1 OR r.state = 'pending') ORDER BY r.id, p.approved_at, p.approved_by"
        ),
        overdue: concat!(
            request_select!("twofa_"),
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
    },
};
