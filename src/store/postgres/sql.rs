//! PostgreSQL's statements, one table per concern (the list is `store/sql.rs`), in the order
//! and form of SQLite's, so that the two can be compared line by line.

use crate::store::accounts::{account_select, record_select};
use crate::store::credentials::{credential_select, put_credential};
use crate::store::events::{events_select, log_insert, stored_event_columns};
use crate::store::orgs::org_columns;
use crate::store::requests::request_select;
use crate::store::sql::{
    AccountSql, CredentialSql, EventSql, MetaSql, OrgSql, RequestSql, Sql, SupportSql, SyncSql,
};
use crate::store::sync::sync_columns;

/// PostgreSQL's statements.
pub(in crate::store) const SQL: Sql = Sql {
    mark: "$",
    meta: MetaSql {
        meta: "SELECT value FROM twofa.meta WHERE key = $1",
        set_meta: "INSERT INTO twofa.meta (key, value) VALUES ($1, $2)
                   ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        delete_meta: "DELETE FROM twofa.meta WHERE key = $1",
        claim_key_id: "INSERT INTO twofa.meta (key, value) VALUES ('key_id', $1)
                       ON CONFLICT (key) DO NOTHING",
        // The sealed secret's bytes 2-5 are the id of the key that sealed it.
        sealed_without: "SELECT account_id, device, secret FROM (
                           SELECT account_id, device, secret FROM twofa.credentials
                           WHERE substr(secret, 2, 4) <> $1
                           UNION ALL
                           SELECT account_id, device, replacement_secret FROM twofa.credentials
                           WHERE substr(replacement_secret, 2, 4) <> $1
                         ) AS s ORDER BY account_id, device LIMIT $2",
        any_sealed_without: "SELECT EXISTS (SELECT 1 FROM twofa.credentials
                                            WHERE substr(secret, 2, 4) <> $1
                                               OR substr(replacement_secret, 2, 4) <> $1)",
        reseal: "UPDATE twofa.credentials
                 SET secret = CASE WHEN secret = $2 THEN $3 ELSE secret END,
                     replacement_secret =
                       CASE WHEN replacement_secret = $2 THEN $3 ELSE replacement_secret END
                 WHERE account_id = $1 AND device = $4
                   AND (secret = $2 OR replacement_secret = $2)",
    },
    orgs: OrgSql {
        org: concat!(
            "SELECT ",
            org_columns!(),
            " FROM twofa.orgs WHERE lower(slug) = lower($1) ORDER BY slug = $1 DESC, slug LIMIT 1"
        ),
        orgs: "SELECT o.id, o.slug, o.name, o.require_2fa, o.grace_days, o.policy_since,
                      (SELECT count(*) FROM twofa.accounts a WHERE a.org_id = o.id),
                      (SELECT count(*) FROM twofa.accounts a
                         WHERE a.org_id = o.id AND a.cred_state = 'enabled')
               FROM twofa.orgs o ORDER BY o.slug",
        // ON CONFLICT keeps the transaction usable; a concurrent insert of the same slug is
        // waited for, then counts as existing.
        org_slugs: "SELECT slug FROM twofa.orgs ORDER BY slug",
        org_ids: "SELECT id, slug FROM twofa.orgs",
        add_org: "INSERT INTO twofa.orgs (slug, name, created_at) VALUES ($1, $2, $3)
                  ON CONFLICT (slug) DO NOTHING RETURNING id",
        set_policy: "UPDATE twofa.orgs SET require_2fa = $2, grace_days = $3, policy_since = $4
                     WHERE id = $1",
    },
    accounts: AccountSql {
        account: concat!(account_select!("twofa."), " WHERE a.email = $1"),
        // The row stays locked until the transaction ends.
        account_for_update: concat!(
            account_select!("twofa."),
            " WHERE a.email = $1 FOR UPDATE OF a"
        ),
        record: concat!(record_select!("twofa."), " WHERE a.email = $1"),
        records: concat!(record_select!("twofa."), " WHERE"),
        add_account: "INSERT INTO twofa.accounts (email, org_id, name, created_at, skeleton)
                      SELECT $1::TEXT, $2::BIGINT, $3::TEXT, $4::BIGINT, $5::TEXT
                      WHERE NOT EXISTS (SELECT 1 FROM twofa.accounts WHERE skeleton = $5)
                      ON CONFLICT (email) DO NOTHING RETURNING id",
        account_conflict: "SELECT email FROM twofa.accounts WHERE email = $1 OR skeleton = $2
                           ORDER BY email <> $1, email LIMIT 1",
        unskeletoned: "SELECT id, email FROM twofa.accounts WHERE skeleton IS NULL AND id > $1
                       ORDER BY id LIMIT $2",
        set_skeletons: "UPDATE twofa.accounts SET skeleton = CASE id",
        set_failures: "UPDATE twofa.accounts SET failed_attempts = $2, locked_until = $3
                       WHERE id = $1",
        reset_failures: "UPDATE twofa.accounts SET failed_attempts = 0, locked_until = NULL
                         WHERE id = $1",
        clear_failures: "UPDATE twofa.accounts SET failed_attempts = 0, locked_until = NULL
                         WHERE id = $1 AND (failed_attempts <> 0 OR locked_until IS NOT NULL)",
        set_account_org: "UPDATE twofa.accounts SET org_id = $2, org_joined_at = $3 WHERE id = $1",
        set_account_name: "UPDATE twofa.accounts SET name = $2 WHERE id = $1",
        set_external_id: "UPDATE twofa.accounts SET external_id = $2 WHERE id = $1",
        rename_account: "UPDATE twofa.accounts SET email = $2, skeleton = $3
                         WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM twofa.accounts
                                                       WHERE (email = $2 OR skeleton = $3)
                                                         AND id <> $1)",
        remove_account: "DELETE FROM twofa.accounts WHERE id = $1",
        emails_between: "SELECT email FROM twofa.accounts WHERE email >= $1 AND email < $2
                         ORDER BY email LIMIT $3",
        emails_like: "SELECT email FROM twofa.accounts WHERE email LIKE $1 ESCAPE '\\' LIMIT $2",
    },
    credentials: CredentialSql {
        credential: concat!(
            credential_select!("twofa."),
            " WHERE account_id = $1 ORDER BY created_at, device"
        ),
        start_enrollment: put_credential!(
            "twofa.",
            "($1, $5, 'pending', $2, $3, $4, NULL, NULL, NULL)"
        ),
        confirm: "UPDATE twofa.credentials SET state = 'enabled', expires_at = NULL,
                         last_step = $2, enrolled_at = $3
                  WHERE account_id = $1 AND device = $4 AND state = 'pending'",
        start_replacement: "UPDATE twofa.credentials SET replacement_secret = $2,
                                   replacement_created_at = $3, replacement_expires_at = $4
                            WHERE account_id = $1 AND device = $5 AND state = 'enabled'",
        confirm_replacement: "UPDATE twofa.credentials
                              SET secret = replacement_secret, created_at = replacement_created_at,
                                  last_step = $2, enrolled_at = $3, last_used_at = NULL,
                                  replacement_secret = NULL, replacement_created_at = NULL,
                                  replacement_expires_at = NULL, drift_steps = 0
                              WHERE account_id = $1 AND device = $4 AND state = 'enabled'
                                AND replacement_secret IS NOT NULL",
        accept_step: "UPDATE twofa.credentials SET last_step = $2, last_used_at = $3
                      WHERE account_id = $1 AND device = $4 AND state = 'enabled'
                        AND (last_step IS NULL OR last_step < $2)",
        delete_credential: "DELETE FROM twofa.credentials WHERE account_id = $1",
        delete_device: "DELETE FROM twofa.credentials WHERE account_id = $1 AND device = $2",
        drop_expired: "DELETE FROM twofa.credentials
                       WHERE account_id = $1 AND state = 'pending' AND expires_at <= $2",
        rename_device: "UPDATE twofa.credentials SET device = $3, secret = $4,
                               replacement_secret =
                                 CASE WHEN replacement_secret IS NOT NULL THEN $5::bytea END
                        WHERE account_id = $1 AND device = $2",
        recovery_candidates: "SELECT id, hash, used_at IS NOT NULL FROM twofa.recovery_codes
                              WHERE account_id = $1 AND lookup = $2",
        add_recovery_code: "INSERT INTO twofa.recovery_codes (account_id, lookup, hash, created_at)
                            VALUES ($1, $2, $3, $4)",
        delete_recovery_codes: "DELETE FROM twofa.recovery_codes WHERE account_id = $1",
        spend_recovery_code: "UPDATE twofa.recovery_codes SET used_at = $2
                              WHERE id = $1 AND used_at IS NULL",
        recovery_code_exists: "SELECT EXISTS (SELECT 1 FROM twofa.recovery_codes WHERE id = $1)",
        recovery_codes_left: "SELECT count(*) FROM twofa.recovery_codes
                              WHERE account_id = $1 AND used_at IS NULL",
        recovery_codes_issued: "SELECT count(*) FROM twofa.recovery_codes WHERE account_id = $1",
        secrets: "SELECT c.account_id, a.email, c.secret, c.device FROM twofa.credentials c
                  JOIN twofa.accounts a ON a.id = c.account_id
                  UNION ALL
                  SELECT c.account_id, a.email, c.replacement_secret, c.device
                  FROM twofa.credentials c
                  JOIN twofa.accounts a ON a.id = c.account_id
                  WHERE c.replacement_secret IS NOT NULL
                  ORDER BY 1, 4",
        import_credential: put_credential!(
            "twofa.",
            "($1, $4, 'enabled', $2, $3, NULL, $3, NULL, NULL)"
        ),
        enabled_secrets: "SELECT c.account_id, a.email, o.slug, c.secret, c.device, a.name
                          FROM twofa.credentials c
                          JOIN twofa.accounts a ON a.id = c.account_id
                          LEFT JOIN twofa.orgs o ON o.id = a.org_id
                          WHERE c.state = 'enabled'",
    },
    events: EventSql {
        events: events_select!("twofa."),
        log: log_insert!("twofa.", "($1, $2, $3, $4, $5, $6, $7)"),
        event_rows: events_select!("twofa.", stored),
        events_before: concat!(
            "SELECT ",
            stored_event_columns!(),
            " FROM twofa.events WHERE id < coalesce(
                 (SELECT min(id) FROM twofa.events WHERE at >= $1),
                 (SELECT max(id) + 1 FROM twofa.events)) ORDER BY id"
        ),
        last_event_id: "SELECT coalesce(max(id), 0)::BIGINT FROM twofa.events",
        event_count: "SELECT count(*) FROM twofa.events",
        event_counts: "SELECT action, count(*)::BIGINT FROM twofa.events GROUP BY action",
        prune_counts: "SELECT action, count(*)::BIGINT FROM twofa.events WHERE id <= $1 GROUP BY action",
        prune_events: "DELETE FROM twofa.events WHERE id <= $1",
        pruned_counts: "SELECT key, value FROM twofa.meta WHERE substr(key, 1, 14) = 'events_pruned.'",
        unhashed_events: concat!(
            "SELECT ",
            stored_event_columns!(),
            " FROM twofa.events WHERE id > $1 AND hash IS NULL ORDER BY id LIMIT $2"
        ),
        set_event_hash: "UPDATE twofa.events SET hash = $2 WHERE id = $1",
    },
    sync: SyncSql {
        sync_lookup: concat!(
            "SELECT ",
            sync_columns!(),
            " FROM twofa.accounts a WHERE a.email IN ("
        ),
        sync_scan: concat!(
            "SELECT ",
            sync_columns!(),
            " FROM twofa.accounts a WHERE a.email > $1 ORDER BY a.email LIMIT $2"
        ),
    },
    support: SupportSql {
        set_exempt: "UPDATE twofa.accounts SET exempt_until = $2
                     WHERE id = $1 AND exempt_until IS DISTINCT FROM $2",
        set_own_deadline: "UPDATE twofa.accounts SET own_deadline = $2
                           WHERE id = $1 AND own_deadline IS DISTINCT FROM $2",
        reminders_sent: "SELECT threshold FROM twofa.reminders
                         WHERE account_id = $1 AND deadline = $2 ORDER BY threshold",
        record_reminder: "INSERT INTO twofa.reminders (account_id, deadline, threshold, sent_at)
                          VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        set_drift: "UPDATE twofa.credentials SET drift_steps = $2
                    WHERE account_id = $1 AND device = $3",
        access_code: "SELECT hash, expires_at, used_at FROM twofa.access_codes WHERE account_id = $1",
        set_access_code: "INSERT INTO twofa.access_codes (account_id, hash, created_at, expires_at)
                          VALUES ($1, $2, $3, $4)
                          ON CONFLICT (account_id) DO UPDATE SET
                            hash = excluded.hash, created_at = excluded.created_at,
                            expires_at = excluded.expires_at, used_at = NULL",
        spend_access_code: "UPDATE twofa.access_codes SET used_at = $2
                            WHERE account_id = $1 AND used_at IS NULL AND expires_at > $2
                              AND hash = $3",
        delete_access_code: "DELETE FROM twofa.access_codes WHERE account_id = $1",
        live_access_code: "SELECT CASE WHEN used_at IS NULL AND expires_at > $2
                                       THEN expires_at END
                           FROM twofa.access_codes WHERE account_id = $1",
    },
    requests: RequestSql {
        guard: "SELECT a.protected, COALESCE(o.approvals, 0) FROM twofa.accounts a
                LEFT JOIN twofa.orgs o ON o.id = a.org_id WHERE a.id = $1",
        org_approvals: "SELECT approvals FROM twofa.orgs WHERE id = $1",
        set_org_approvals: "UPDATE twofa.orgs SET approvals = $2 WHERE id = $1",
        set_protected: "UPDATE twofa.accounts SET protected = $2
                        WHERE id = $1 AND protected <> $2",
        role: "SELECT current_user::text",
        add_request: "INSERT INTO twofa.requests (action, email, org, args, reason, needed,
                        requested_by, requested_role, requested_at, expires_at)
                      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        lock_request: "SELECT id FROM twofa.requests WHERE id = $1 FOR UPDATE",
        request: concat!(
            request_select!("twofa."),
            " WHERE r.id = $1 ORDER BY p.approved_at, p.approved_by"
        ),
        requests: concat!(
            request_select!("twofa."),
            " WHERE ($1::boolean OR r.state = 'pending') ORDER BY r.id, p.approved_at, p.approved_by"
        ),
        overdue: concat!(
            request_select!("twofa."),
            " WHERE r.state = 'pending' AND r.expires_at <= $1
              ORDER BY r.id, p.approved_at, p.approved_by"
        ),
        pending_count: "SELECT COALESCE(org, ''), count(*) FROM twofa.requests
                        WHERE state = 'pending' AND expires_at > $1
                        GROUP BY COALESCE(org, '') ORDER BY 1",
        add_approval:
            "INSERT INTO twofa.approvals (request_id, approved_by, role, approved_at, reason)
                       VALUES ($1, $2, $3, $4, $5)",
        close_request: "UPDATE twofa.requests SET state = $2, decided_at = $3,
                          decided_by = $4, decision = $5
                        WHERE id = $1 AND state = 'pending'",
    },
};
