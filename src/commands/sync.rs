//! `user sync`: twofa's accounts follow the application's own users table.
//!
//! The application's query streams from a read-only connection (the same database or
//! `--source`), ordered by email, beside twofa's accounts read in email order a chunk of
//! [`CHUNK`] at a time, in one write transaction: a merge join, both sides sequential. A row
//! whose email arrives out of that order (the source's collation, an email not stored in
//! normal form) is looked up instead, a batch of [`BATCH`] at a time, so the result never
//! depends on the source's order. Memory: one chunk, one batch, the organisations, one bit
//! per account row (which accounts the application still has), and the report's lists.
//! `--dry-run` runs the same transaction and rolls it back, so it reports exactly what a
//! sync would do.

use std::borrow::Cow;
use std::collections::HashMap;

use anyhow::Result;
use serde::Serialize;

use super::BadInput;
use crate::cli::SyncArgs;
use crate::ctx::Ctx;
use crate::exit::{ExitCode, classify, usage};
use crate::model::{Event, SyncAccount, normalise_email, normalise_org};
use crate::output::{Human, Output, flat_only};
use crate::store::{self, AppUser, NewAccount, OpenMode, Tx};
use crate::text::label;

/// Out-of-order application rows looked up in twofa with one statement.
const BATCH: usize = 500;
/// twofa accounts read with one statement, in email order.
const CHUNK: u32 = 512;

/// The `user sync` object (`--format json`).
#[derive(Debug, Default, Serialize)]
pub struct SyncReport {
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub orphaned: Vec<String>,
    pub removed: Vec<String>,
    pub reused: Vec<String>,
    /// Organisations the application named that twofa did not have.
    pub orgs_added: Vec<String>,
    pub dry_run: bool,
    /// Accounts whose name from the application breaks the text rules (control or format
    /// characters, too long): synced, the name not stored.
    pub rejected_names: Vec<String>,
}

/// Lists longer than this show their first names and a count in the table output.
const SHOWN: usize = 20;

impl Human for SyncReport {
    fn human(&self, out: &mut Output) -> Result<()> {
        // For cron, --quiet prints nothing unless something failed (an error, on stderr).
        if out.quiet {
            return Ok(());
        }
        out.line(format!(
            "user sync: {} added, {} updated, {} orphaned, {} removed, {} reused{}",
            self.added.len(),
            self.updated.len(),
            self.orphaned.len(),
            self.removed.len(),
            self.reused.len(),
            if self.dry_run {
                " (dry run: nothing changed)"
            } else {
                ""
            }
        ))?;
        for (what, list) in [
            ("organisation added", &self.orgs_added),
            ("added", &self.added),
            ("updated", &self.updated),
            ("reused (2FA revoked)", &self.reused),
            ("orphaned", &self.orphaned),
            ("removed", &self.removed),
            ("name not stored", &self.rejected_names),
        ] {
            for email in list.iter().take(SHOWN) {
                out.line(format!("  {what}: {}", email.escape_debug()))?;
            }
            if list.len() > SHOWN {
                out.line(format!("  {what}: … and {} more", list.len() - SHOWN))?;
            }
        }
        if !self.orphaned.is_empty() && self.removed.is_empty() && !self.dry_run {
            out.line("  (orphaned accounts stay until 'twofa user sync … --prune')")?;
        }
        Ok(())
    }
}

/// Which account rows the application still has: one bit per row id (ids are a sequence).
#[derive(Default)]
struct Seen(Vec<u64>);

impl Seen {
    /// Marks `id`; false when it was marked already.
    fn insert(&mut self, id: i64) -> bool {
        let id = id.max(0) as usize;
        let (word, bit) = (id / 64, 1u64 << (id % 64));
        if self.0.len() <= word {
            self.0.resize(word + 1, 0);
        }
        let fresh = self.0[word] & bit == 0;
        self.0[word] |= bit;
        fresh
    }

    fn contains(&self, id: i64) -> bool {
        let id = id.max(0) as usize;
        self.0
            .get(id / 64)
            .is_some_and(|w| w & (1u64 << (id % 64)) != 0)
    }
}

/// An application row, checked.
struct AppRow {
    row: u64,
    /// An earlier row with the same email, when one is known (a duplicate names both).
    earlier: Option<u64>,
    email: String,
    org: Option<String>,
    /// `None`: the query has no name column (names are left as they are).
    name: Option<Option<String>>,
    /// `None`: no external id for this row.
    external_id: Option<String>,
}

struct Sync<'c> {
    ctx: &'c Ctx,
    now: i64,
    rows: u64,
    /// Rows that came out of email order, to be looked up.
    batch: Vec<AppRow>,
    /// twofa's accounts in email order, read ahead of the application's rows, a chunk at
    /// a time (its memory reused); `ahead[next..]` are still to come.
    ahead: Vec<SyncAccount>,
    next: usize,
    /// The email of the last account read into `ahead` (`""` before the first).
    read_to: String,
    /// Every account has been read.
    read_all: bool,
    /// The email of the last row taken in order (`""` before the first), and its row.
    last: String,
    last_row: u64,
    /// Accounts the merge passed without a row of the application: orphans, unless a
    /// looked-up row names them later (`seen` decides at the end).
    passed: Vec<(i64, String)>,
    seen: Seen,
    /// Every organisation, both ways: slug → id, id → slug.
    orgs: HashMap<String, i64>,
    slugs: HashMap<i64, String>,
    report: SyncReport,
    /// The bad rows so far (then nothing is committed), and the rows whose email an
    /// earlier row named when which row that was is not known yet (`first_rows` finds it).
    bad: BadInput,
    unresolved: Vec<(u64, String)>,
}

/// The value trimmed, `None` when empty.
fn trimmed<'v>(v: Option<&'v Cow<'_, str>>) -> Option<&'v str> {
    v.map(|s| s.trim()).filter(|s| !s.is_empty())
}

/// Whether the application's row says what twofa already has for this account (in
/// organisation `org`), compared as stored (twofa stores checked, normal forms: a value
/// equal to one needs no check).
fn unchanged(account: &SyncAccount, org: Option<&str>, user: &AppUser<'_>) -> bool {
    trimmed(user.org.as_ref()) == org
        && user
            .name
            .as_ref()
            .is_none_or(|name| trimmed(name.as_ref()) == account.name.as_deref())
        && match trimmed(user.external_id.as_ref().and_then(Option::as_ref)) {
            None => true,
            new => new == account.external_id.as_deref(),
        }
}

impl Sync<'_> {
    /// Takes the next application row. A bad one (exit 2: no email, one that is not an
    /// email, a bad organisation id, an email twice) is noted with its row and the sync goes
    /// on, so that every bad row is reported at once; then nothing is committed.
    fn push(&mut self, tx: &mut dyn Tx, user: AppUser<'_>) -> Result<()> {
        self.rows += 1;
        let row = self.rows;
        match self.take_row(tx, row, &user) {
            Err(e) if classify(&e).0 == ExitCode::Usage => {
                self.bad.add(row, e);
                Ok(())
            }
            other => other,
        }
    }

    fn take_row(&mut self, tx: &mut dyn Tx, row: u64, user: &AppUser<'_>) -> Result<()> {
        let Some(raw) = user.email.as_deref() else {
            return Err(usage("email is NULL"));
        };
        // The source sorted its own values: only an email after the last is new to the
        // merge, and only one stored in normal form is in the order of twofa's.
        if raw > self.last.as_str() {
            self.last.clear();
            self.last.push_str(raw);
            self.last_row = row;
            if let Some(at) = self.take(tx, raw)? {
                let account = &self.ahead[at];
                if unchanged(account, self.slug(account.org_id), user) {
                    if !self.seen.insert(account.id) {
                        let email = account.email.clone();
                        self.twice(row, email, None);
                    }
                    return Ok(());
                }
                let account = account.clone();
                let app = self.check(row, user, None)?;
                return self.update(tx, account, app);
            }
            let app = self.check(row, user, None)?;
            if app.email == raw {
                return self.add(tx, app);
            }
            return self.later(tx, app);
        }
        // The same email as the last row taken in order: that row's twin.
        let earlier = (raw == self.last).then_some(self.last_row);
        let app = self.check(row, user, earlier)?;
        self.later(tx, app)
    }

    /// Row `row` names `email`, which an earlier row (`earlier`, if known) named already: a
    /// bad row, naming both once the other is known.
    fn twice(&mut self, row: u64, email: String, earlier: Option<u64>) {
        match earlier {
            Some(earlier) => self.bad.add(row, twice(&email, Some(earlier))),
            None => self.unresolved.push((row, email)),
        }
    }

    /// The application's row checked and in twofa's normal forms. A name that breaks the
    /// text rules is not taken (the account's is left as it is, a new account's empty) and
    /// the email is reported; a bad email, organisation or external id makes a bad row.
    fn check(&mut self, row: u64, user: &AppUser<'_>, earlier: Option<u64>) -> Result<AppRow> {
        let email = normalise_email(user.email.as_deref().unwrap_or_default())?;
        let org = match trimmed(user.org.as_ref()) {
            Some(org) => Some(normalise_org(org)?),
            None => None,
        };
        let name = match user.name.as_ref().map(|n| n.as_deref().unwrap_or_default()) {
            None => None,
            Some(raw) => match label("name", raw) {
                Ok(name) => Some(name),
                Err(_) => {
                    self.report.rejected_names.push(email.clone());
                    None
                }
            },
        };
        // The external id decides whether a user was re-created (and its 2FA revoked): one
        // that breaks the text rules makes a bad row rather than being stored or dropped.
        let external_id = match trimmed(user.external_id.as_ref().and_then(Option::as_ref)) {
            Some(id) => label("external_id", id)?,
            None => None,
        };
        Ok(AppRow {
            row,
            earlier,
            email,
            org,
            name,
            external_id,
        })
    }

    /// A row out of email order: looked up with others.
    fn later(&mut self, tx: &mut dyn Tx, app: AppRow) -> Result<()> {
        self.batch.push(app);
        if self.batch.len() >= BATCH {
            self.flush(tx)?;
        }
        Ok(())
    }

    /// Passes the accounts before `email` (in order) and takes the one with that email, if
    /// twofa has it: its place in `ahead`.
    fn take(&mut self, tx: &mut dyn Tx, email: &str) -> Result<Option<usize>> {
        loop {
            match self.ahead.get(self.next) {
                Some(next) if next.email.as_str() < email => {
                    self.pass(self.next);
                    self.next += 1;
                }
                Some(next) if next.email == email => {
                    self.next += 1;
                    return Ok(Some(self.next - 1));
                }
                Some(_) => return Ok(None),
                None => {
                    if !self.read_ahead(tx)? {
                        return Ok(None);
                    }
                }
            }
        }
    }

    /// Reads the next chunk of accounts into `ahead`; false when there are no more.
    fn read_ahead(&mut self, tx: &mut dyn Tx) -> Result<bool> {
        if self.read_all {
            return Ok(false);
        }
        let mut chunk = std::mem::take(&mut self.ahead);
        tx.sync_scan(&self.read_to, CHUNK, &mut chunk)?;
        self.know_orgs(tx, &chunk)?;
        self.ahead = chunk;
        self.next = 0;
        self.read_all = self.ahead.len() < CHUNK as usize;
        let Some(last) = self.ahead.last() else {
            return Ok(false);
        };
        self.read_to.clone_from(&last.email);
        Ok(true)
    }

    /// The account the merge passes by (`ahead[at]`): an orphan unless the application
    /// named it.
    fn pass(&mut self, at: usize) {
        let account = &self.ahead[at];
        if !self.seen.contains(account.id) {
            self.passed.push((account.id, account.email.clone()));
        }
    }

    /// Looks the out-of-order rows up in twofa and applies what differs.
    fn flush(&mut self, tx: &mut dyn Tx) -> Result<()> {
        let mut batch = std::mem::take(&mut self.batch);
        batch.sort_by(|a, b| a.email.cmp(&b.email).then(a.row.cmp(&b.row)));
        // A row of the batch whose email the one before it has is that one's twin.
        let mut twins = Vec::new();
        batch.dedup_by(|later, first| {
            let same = later.email == first.email;
            if same {
                twins.push((later.row, first.row, std::mem::take(&mut later.email)));
            }
            same
        });
        for (row, first, email) in twins {
            self.bad.add(row, twice(&email, Some(first)));
        }
        let emails: Vec<&str> = batch.iter().map(|r| r.email.as_str()).collect();
        // Both sorted by email, bytewise: the accounts found are a subsequence of the batch.
        let found = tx.sync_lookup(&emails)?;
        self.know_orgs(tx, &found)?;
        let mut found = found.into_iter().peekable();
        for app in batch {
            match found.next_if(|a| a.email == app.email) {
                None => self.add(tx, app)?,
                Some(account) => self.update(tx, account, app)?,
            }
        }
        Ok(())
    }

    /// After the last row: the remaining out-of-order rows, then every account the merge
    /// has not reached; returns the orphans' emails, by email.
    fn finish(&mut self, tx: &mut dyn Tx) -> Result<Vec<String>> {
        self.flush(tx)?;
        loop {
            while self.next < self.ahead.len() {
                self.pass(self.next);
                self.next += 1;
            }
            if !self.read_ahead(tx)? {
                break;
            }
        }
        let passed = std::mem::take(&mut self.passed);
        Ok(passed
            .into_iter()
            .filter(|(id, _)| !self.seen.contains(*id))
            .map(|(_, email)| email)
            .collect())
    }

    /// Reads the organisations again if one of these accounts is in one not known (another
    /// writer's, since the sync began).
    fn know_orgs(&mut self, tx: &mut dyn Tx, accounts: &[SyncAccount]) -> Result<()> {
        let known = |id: &Option<i64>| id.is_none_or(|id| self.slugs.contains_key(&id));
        if !accounts.iter().all(|a| known(&a.org_id)) {
            self.load_orgs(tx)?;
        }
        Ok(())
    }

    /// Reads every organisation, found by its slug in lower case (as the application's
    /// rows are normalised, and as ids compare: an upper-case slug written by hand is the
    /// same organisation; one stored in lower case wins).
    fn load_orgs(&mut self, tx: &mut dyn Tx) -> Result<()> {
        for (id, slug) in tx.org_ids()? {
            let key = slug.to_ascii_lowercase();
            if key == slug || !self.orgs.contains_key(&key) {
                self.orgs.insert(key, id);
            }
            self.slugs.insert(id, slug);
        }
        Ok(())
    }

    /// The slug of an organisation known to the sync.
    fn slug(&self, id: Option<i64>) -> Option<&str> {
        id.and_then(|id| self.slugs.get(&id)).map(String::as_str)
    }

    /// The organisation's row; one the application names that twofa lacks is added.
    fn org_id(&mut self, tx: &mut dyn Tx, slug: Option<&str>) -> Result<Option<i64>> {
        let Some(slug) = slug else { return Ok(None) };
        if let Some(id) = self.orgs.get(slug) {
            return Ok(Some(*id));
        }
        let (id, stored) = match tx.org(slug)? {
            Some(org) => (org.id, org.slug),
            None => {
                let id = tx.add_org(slug, None, self.now)?;
                let mut event = self.ctx.event("org.add").detail("named by user sync");
                event.org = Some(slug.to_string());
                tx.log(event)?;
                self.report.orgs_added.push(slug.to_string());
                (id, slug.to_string())
            }
        };
        self.orgs.insert(slug.to_string(), id);
        self.slugs.insert(id, stored);
        Ok(Some(id))
    }

    fn event(&self, action: &str, email: &str, org: Option<&str>) -> Event {
        let mut event = self.ctx.event(action);
        event.email = Some(email.to_string());
        event.org = org.map(str::to_string);
        event
    }

    fn add(&mut self, tx: &mut dyn Tx, app: AppRow) -> Result<()> {
        let org_id = self.org_id(tx, app.org.as_deref())?;
        let org = self.slug(org_id).map(str::to_string);
        let name = app.name.flatten();
        let id = tx
            .add_account(&NewAccount {
                email: &app.email,
                org_id,
                name: name.as_deref(),
                created_at: self.now,
            })
            .map_err(|e| e.context(format!("users query row {}", app.row)))?;
        if app.external_id.is_some() {
            tx.set_external_id(id, app.external_id.as_deref())?;
        }
        self.seen.insert(id);
        tx.log(
            self.event("user.add", &app.email, org.as_deref())
                .detail("user sync"),
        )?;
        self.report.added.push(app.email);
        Ok(())
    }

    fn update(&mut self, tx: &mut dyn Tx, account: SyncAccount, app: AppRow) -> Result<()> {
        if !self.seen.insert(account.id) {
            self.twice(app.row, app.email, app.earlier);
            return Ok(());
        }
        let mut changes = Vec::new();
        match (&account.external_id, &app.external_id) {
            (Some(old), Some(new)) if old != new => {
                self.revoke(tx, &account, old, new)?;
                self.report.reused.push(app.email.clone());
            }
            (None, Some(_)) => {
                tx.set_external_id(account.id, app.external_id.as_deref())?;
                changes.push("external id recorded".to_string());
            }
            _ => {}
        }
        let same_org = match (self.slug(account.org_id), app.org.as_deref()) {
            (Some(stored), Some(named)) => stored.eq_ignore_ascii_case(named),
            (stored, named) => stored == named,
        };
        let mut org = self.slug(account.org_id).map(str::to_string);
        if !same_org {
            let was = org.unwrap_or_else(|| "none".to_string());
            let org_id = self.org_id(tx, app.org.as_deref())?;
            org = self.slug(org_id).map(str::to_string);
            tx.set_account_org(account.id, org_id, self.now)?;
            changes.push(format!(
                "organisation {was} → {}",
                app.org.as_deref().unwrap_or("none")
            ));
        }
        if let Some(name) = app.name
            && name != account.name
        {
            tx.set_account_name(account.id, name.as_deref())?;
            changes.push("name changed".to_string());
        }
        if !changes.is_empty() {
            tx.log(
                self.event("user.sync", &app.email, org.as_deref())
                    .detail(format!("user sync: {}", changes.join("; "))),
            )?;
            self.report.updated.push(app.email);
        }
        Ok(())
    }

    /// The application re-created this user (a new external id): the old credential,
    /// recovery codes and lockout go, so the new user inherits none of them.
    fn revoke(
        &mut self,
        tx: &mut dyn Tx,
        account: &SyncAccount,
        old: &str,
        new: &str,
    ) -> Result<()> {
        let revoked = tx.revoke_access_code(account.id, self.now)?.is_some();
        let had = tx.remove_credential(account.id)?;
        tx.clear_failures(account.id)?;
        tx.set_external_id(account.id, Some(new))?;
        let shown = |s: &str| {
            s.chars()
                .take(80)
                .collect::<String>()
                .escape_debug()
                .to_string()
        };
        tx.log(
            self.event("account.reused", &account.email, self.slug(account.org_id))
                .detail(format!(
                    "external id {} → {}: the application re-created the user; {}{}",
                    shown(old),
                    shown(new),
                    if had {
                        "its 2FA credential and recovery codes were revoked"
                    } else {
                        "it had no 2FA credential"
                    },
                    if revoked {
                        super::ACCESS_CODE_REVOKED
                    } else {
                        ""
                    }
                )),
        )?;
        Ok(())
    }
}

/// A row whose email another row (`other`, if known) has too.
fn twice(email: &str, other: Option<u64>) -> anyhow::Error {
    match other {
        Some(other) => usage(format!("{email} is also on row {other}")),
        None => usage(format!("{email} appears more than once")),
    }
}

/// The rows of the users query that name each email of `twins` (the first three), found by
/// reading it again: only to name both rows of a duplicate that the first reading could
/// not (one of them matched an account in email order, and which row that was is not kept).
fn rows_of(
    source: &mut dyn store::Source,
    query: &str,
    twins: &[(u64, String)],
) -> Result<HashMap<String, Vec<u64>>> {
    let mut rows: HashMap<String, Vec<u64>> =
        twins.iter().map(|(_, e)| (e.clone(), Vec::new())).collect();
    let mut row = 0;
    source.users(query, &mut |user| {
        row += 1;
        if let Some(email) = user.email.as_deref().and_then(|e| normalise_email(e).ok())
            && let Some(found) = rows.get_mut(&email)
            && found.len() < 3
        {
            found.push(row);
        }
        Ok(())
    })?;
    Ok(rows)
}

/// `twofa user sync --query SQL [--source URL] [--prune] [--dry-run]`.
pub fn run(ctx: &mut Ctx, args: &SyncArgs) -> Result<ExitCode> {
    flat_only(ctx.format(), "user sync")?;
    let query = args.query.trim();
    if query.is_empty() {
        return Err(usage(
            "--query is empty; give a SELECT returning email and org",
        ));
    }
    let mut store = ctx.open(OpenMode::Existing)?;
    store.mostly_reading()?;
    let mut source = store::open_source(args.source.as_deref().unwrap_or(&ctx.db))?;
    let now = ctx.now();
    let mut tx = store.begin()?;
    let mut sync = Sync {
        ctx,
        now,
        rows: 0,
        batch: Vec::with_capacity(BATCH),
        ahead: Vec::with_capacity(CHUNK as usize),
        next: 0,
        read_to: String::new(),
        read_all: false,
        last: String::new(),
        last_row: 0,
        passed: Vec::new(),
        seen: Seen::default(),
        orgs: HashMap::new(),
        slugs: HashMap::new(),
        report: SyncReport {
            dry_run: args.dry_run,
            ..SyncReport::default()
        },
        bad: BadInput::new(
            ("row of the users query", "rows of the users query"),
            "users query row",
            "nothing changed",
        ),
        unresolved: Vec::new(),
    };
    sync.load_orgs(tx.as_mut())?;
    let progress = ctx.progress(None, "syncing");
    source.users(query, &mut |user| {
        sync.push(tx.as_mut(), user)?;
        progress.inc();
        Ok(())
    })?;
    let orphaned = sync.finish(tx.as_mut())?;
    progress.finish();
    if !sync.unresolved.is_empty() {
        let rows = rows_of(source.as_mut(), query, &sync.unresolved)?;
        for (row, email) in std::mem::take(&mut sync.unresolved) {
            let other = rows
                .get(&email)
                .and_then(|rows| rows.iter().copied().find(|&r| r != row));
            sync.bad.add(row, twice(&email, other));
        }
    }
    if !sync.bad.is_empty() {
        drop(tx); // rolls back: every bad row is reported, and nothing changes
        return Err(sync.bad.into_error());
    }

    let mut report = sync.report;
    // In email order, whichever way each row was matched.
    for list in [
        &mut report.added,
        &mut report.updated,
        &mut report.reused,
        &mut report.rejected_names,
    ] {
        list.sort_unstable();
    }
    if let [first, ..] = report.rejected_names.as_slice() {
        let n = report.rejected_names.len();
        ctx.warn(format!(
            "{} from the users query {} the text rules (control or format characters, more than {} characters) and {} not stored; the accounts were synced ({first}{})",
            crate::output::counted(n as u64, "name", "names"),
            if n == 1 { "breaks" } else { "break" },
            crate::text::LABEL_MAX,
            if n == 1 { "was" } else { "were" },
            if n > 1 {
                format!(" and {} more", n - 1)
            } else {
                String::new()
            }
        ));
    }
    if args.prune {
        for email in &orphaned {
            let Some(account) = tx.account(email)? else {
                continue;
            };
            if tx.remove_account(account.id)? {
                tx.log(
                    ctx.event("user.remove")
                        .account(&account)
                        .detail("user sync --prune: the application no longer has this user"),
                )?;
                report.removed.push(email.clone());
            }
        }
    }
    report.orphaned = orphaned;
    if args.dry_run {
        drop(tx); // rolls back: a dry run changes nothing
    } else {
        let events = tx.commit()?;
        ctx.notify(&events);
    }
    ctx.out.object(&report)?;
    Ok(ExitCode::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_marks_each_row_once() {
        let mut seen = Seen::default();
        assert!(!seen.contains(5));
        assert!(seen.insert(5));
        assert!(!seen.insert(5), "a second mark says it was there");
        assert!(seen.contains(5));
        assert!(!seen.contains(4) && !seen.contains(6) && !seen.contains(1_000_000));
        assert!(seen.insert(1_000_000));
        assert!(seen.contains(1_000_000) && seen.contains(5));
        assert_eq!(seen.0.len(), 1_000_000 / 64 + 1, "one bit a row id");
    }
}
