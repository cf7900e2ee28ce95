//! The statements every backend writes, one table per concern: a backend (`sqlite/sql.rs`,
//! `postgres/sql.rs`) fills in one [`Sql`], and the concern files (`accounts.rs`,
//! `credentials.rs` …) run the statements of their own table. This file is the list of what
//! a further backend must write.
//!
//! Parameters are numbered in the order each field's comment gives; selects return the
//! columns of the conversion named (each concern file keeps its column lists beside its
//! conversions, as macros, so that each backend's statements stay `const` strings).

/// A backend's statements.
pub(super) struct Sql {
    /// The numbered-parameter prefix: `?` or `$`.
    pub mark: &'static str,
    pub meta: MetaSql,
    pub orgs: OrgSql,
    pub accounts: AccountSql,
    pub credentials: CredentialSql,
    pub events: EventSql,
    pub sync: SyncSql,
    pub support: SupportSql,
    pub requests: RequestSql,
}

/// The statements of twofa_meta rows (the key id, a rotation in progress, the chain's ends) and the secrets a key rotation reseals (meta.rs).
pub(super) struct MetaSql {
    /// (key) → value.
    pub meta: &'static str,
    /// (key, value): insert or replace.
    pub set_meta: &'static str,
    /// (key).
    pub delete_meta: &'static str,
    /// (value): insert the key id unless one is recorded.
    pub claim_key_id: &'static str,
    /// (key id, limit) → account_id, device, secret: enabled, pending and replacement
    /// secrets.
    pub sealed_without: &'static str,
    /// (key id) → whether any secret (replacements too) is sealed with another key.
    pub any_sealed_without: &'static str,
    /// (account_id, old, new, device): the secret or the replacement secret that is `old`.
    pub reseal: &'static str,
}

/// The statements of organisations and their policies (orgs.rs).
pub(super) struct OrgSql {
    /// (slug) → `orgs::org`: the one whose slug is `slug` in any case (organisation ids are
    /// case-insensitive; a database written by hand may hold upper case), `slug` itself
    /// first.
    pub org: &'static str,
    /// () → `orgs::org`, accounts, enabled; by slug.
    pub orgs: &'static str,
    /// () → slug of every organisation, by slug.
    pub org_slugs: &'static str,
    /// () → id, slug of every organisation.
    pub org_ids: &'static str,
    /// (slug, name, created_at) → id, or no row when the slug exists.
    pub add_org: &'static str,
    /// (id, required, grace_days, since).
    pub set_policy: &'static str,
}

/// The statements of accounts: look-ups, what status and audit show, changes, failures and locks, look-alike emails (accounts.rs).
pub(super) struct AccountSql {
    /// (email) → `accounts::account`.
    pub account: &'static str,
    /// (email) → `accounts::account`, its row locked until the transaction ends.
    pub account_for_update: &'static str,
    /// (email) → `accounts::record`.
    pub record: &'static str,
    /// `accounts::record`s: a select that ends in `WHERE` for the conditions of `accounts::records_sql`.
    pub records: &'static str,
    /// (email, org_id, name, created_at, skeleton) → id, or no row when the email or the
    /// skeleton exists.
    pub add_account: &'static str,
    /// (email, skeleton) → the email of the account that has this email, else of one that
    /// has this skeleton: what refused an add or a rename.
    pub account_conflict: &'static str,
    /// (after, limit) → id, email of accounts without a skeleton, by id.
    pub unskeletoned: &'static str,
    /// The start of the statement that sets skeletons, up to `CASE id`, which
    /// `accounts::set_skeletons_sql` completes.
    pub set_skeletons: &'static str,
    /// (account_id, failed, locked_until).
    pub set_failures: &'static str,
    /// (account_id).
    pub reset_failures: &'static str,
    /// (account_id): only where there is something to clear.
    pub clear_failures: &'static str,
    /// (id, org_id, now): the account moves, and its organisation's grace starts now.
    pub set_account_org: &'static str,
    /// (id, name).
    pub set_account_name: &'static str,
    /// (id, external_id).
    pub set_external_id: &'static str,
    /// (id, new email, its skeleton): only while no other account has the new email or
    /// the skeleton.
    pub rename_account: &'static str,
    /// (id): the account with its credential and recovery codes (by cascade).
    pub remove_account: &'static str,
    /// (from, before, limit) → email; emails in `[from, before)`, by email.
    pub emails_between: &'static str,
    /// (pattern, limit) → email; emails `LIKE` the pattern (escape `\\`).
    pub emails_like: &'static str,
}

/// The statements of credentials (enrollment, replacement, accepted steps), recovery codes, import and export (credentials.rs).
pub(super) struct CredentialSql {
    /// (account_id) → `credentials::credential`, one a device, oldest first.
    pub credential: &'static str,
    /// (account_id, secret, created_at, expires_at, device): insert or replace as pending.
    pub start_enrollment: &'static str,
    /// (account_id, step, now, device).
    pub confirm: &'static str,
    /// (account_id, secret, created_at, expires_at, device): only on an enabled credential.
    pub start_replacement: &'static str,
    /// (account_id, step, now, device): the replacement becomes the enabled secret.
    pub confirm_replacement: &'static str,
    /// (account_id, step, now, device): only a newer step, on an enabled credential.
    pub accept_step: &'static str,
    /// (account_id): every device.
    pub delete_credential: &'static str,
    /// (account_id, device).
    pub delete_device: &'static str,
    /// (account_id, now): pending enrollments that expired.
    pub drop_expired: &'static str,
    /// (account_id, old name, new name, secret, replacement secret): the secrets resealed
    /// for the new name (the replacement stored only where there is one).
    pub rename_device: &'static str,
    /// (account_id, lookup) → `credentials::recovery_candidate`.
    pub recovery_candidates: &'static str,
    /// (account_id, lookup, hash, created_at).
    pub add_recovery_code: &'static str,
    /// (account_id).
    pub delete_recovery_codes: &'static str,
    /// (id, now): only an unspent code.
    pub spend_recovery_code: &'static str,
    /// (id) → whether it exists.
    pub recovery_code_exists: &'static str,
    /// (account_id) → how many are unspent.
    pub recovery_codes_left: &'static str,
    /// (account_id) → how many there are, spent or not.
    pub recovery_codes_issued: &'static str,
    /// () → account_id, email, secret, device (replacement secrets too); by account_id
    /// and device.
    pub secrets: &'static str,
    /// (account_id, secret, now, device): insert or replace as enabled, enrolled at now.
    pub import_credential: &'static str,
    /// account_id, email, org slug, secret, device, name of enabled credentials: a select
    /// that ends in a
    /// condition, for the further conditions of `credentials::enabled_secrets_sql`.
    pub enabled_secrets: &'static str,
}

/// The statements of the event log and its chain (events.rs, event_chain.rs).
pub(super) struct EventSql {
    /// `events::event`s: a select that ends in `WHERE` for the conditions of `events::events_sql`.
    pub events: &'static str,
    /// (at, actor, action, email, org, detail, hash).
    pub log: &'static str,
    /// `events::stored_event`s: a select that ends in `WHERE`, like `events`.
    pub event_rows: &'static str,
    /// (before) → `events::stored_event`s from the oldest up to the first at or after `before`.
    pub events_before: &'static str,
    /// () → the newest event's id, 0 when there is none.
    pub last_event_id: &'static str,
    /// () → how many events there are.
    pub event_count: &'static str,
    /// () → action, count.
    pub event_counts: &'static str,
    /// (last_id) → action, count of the events up to it.
    pub prune_counts: &'static str,
    /// (last_id): delete the events up to it.
    pub prune_events: &'static str,
    /// () → key, value of the `events_pruned.ACTION` meta rows.
    pub pruned_counts: &'static str,
    /// (after_id, limit) → `events::stored_event`s without a hash, oldest first.
    pub unhashed_events: &'static str,
    /// (id, hash).
    pub set_event_hash: &'static str,
}

/// The statements of `user sync`'s reads of every account (sync.rs).
pub(super) struct SyncSql {
    /// `sync::sync_account`s: a select that ends in `IN (` for the emails of `sync::sync_lookup_sql`.
    pub sync_lookup: &'static str,
    /// (after, limit) → `sync::sync_account`s whose email sorts after `after` (bytewise), by
    /// email, at most `limit`: `user sync` reads every account this way, a chunk at a time.
    pub sync_scan: &'static str,
}

/// The statements of the support desk: exemptions, own deadlines, reminders, drift, access codes (support.rs).
pub(super) struct SupportSql {
    /// (account_id, until): only where it changes the row.
    pub set_exempt: &'static str,
    /// (account_id, own_deadline or NULL): only where it changes the row.
    pub set_own_deadline: &'static str,
    /// (account_id, deadline) → threshold; ascending.
    pub reminders_sent: &'static str,
    /// (account_id, deadline, threshold, sent_at): unless recorded already.
    pub record_reminder: &'static str,
    /// (account_id, drift_steps, device): on that device's credential.
    pub set_drift: &'static str,
    /// (account_id) → `support::access_code`.
    pub access_code: &'static str,
    /// (account_id, hash, created_at, expires_at): insert or replace.
    pub set_access_code: &'static str,
    /// (account_id, now, hash): only that code, unspent and unexpired.
    pub spend_access_code: &'static str,
    /// (account_id).
    pub delete_access_code: &'static str,
    /// (account_id, now) → the expiry of the account's code if it is live (unspent and
    /// unexpired at now), else NULL; no row when there is none.
    pub live_access_code: &'static str,
}

/// The statements of the four-eyes rule: approvals required, protected accounts, requests
/// and their approvals (requests.rs).
pub(super) struct RequestSql {
    /// (account_id) → protected, the approvals of its organisation (0 without one).
    pub guard: &'static str,
    /// (org_id) → approvals.
    pub org_approvals: &'static str,
    /// (org_id, approvals).
    pub set_org_approvals: &'static str,
    /// (account_id, protected): only where it changes the row.
    pub set_protected: &'static str,
    /// () → the connection's database role, or NULL.
    pub role: &'static str,
    /// (action, email, org, args, reason, needed, requested_by, requested_role,
    /// requested_at, expires_at) → id.
    pub add_request: &'static str,
    /// (id) → id, the request's row locked until the transaction ends.
    pub lock_request: &'static str,
    /// (id) → `requests::request_columns`, its approvals oldest first.
    pub request: &'static str,
    /// (all) → `requests::request_columns` of the pending requests (all of them when
    /// `all`), by id, approvals oldest first.
    pub requests: &'static str,
    /// (now) → `requests::request_columns` of the pending requests expired at `now`.
    pub overdue: &'static str,
    /// (now) → org ('' without one), how many requests are pending and unexpired; by org.
    pub pending_count: &'static str,
    /// (request_id, approved_by, role, approved_at, reason).
    pub add_approval: &'static str,
    /// (id, state, decided_at, decided_by, decision): only a pending request.
    pub close_request: &'static str,
}
