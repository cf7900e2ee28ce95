//! `user add`, `user import`, `user list`, and the account changes `user rename` and
//! `user move`.

use std::collections::HashMap;
use std::io::{self, Read};

use anyhow::{Result, anyhow};
use serde::Serialize;

use super::{BadInput, account_tx, org_tx};
use crate::cli::FindArgs;
use crate::clock::rfc3339;
use crate::ctx::Ctx;
use crate::exit::{ExitCode, is_refused, refused, usage};
use crate::input::{self, Bounded};
use crate::model::{Event, StatusRow, normalise_email, normalise_org};
use crate::output::{Human, Output, Row, cell};
use crate::policy::State;
use crate::store::{AccountFilter, NewAccount, OpenMode, Store, Tx};
use crate::text::{self, escape, label, quote};

#[derive(Serialize)]
struct UserRow {
    email: String,
    org: Option<String>,
    name: Option<String>,
    state: &'static str,
    #[serde(serialize_with = "crate::output::opt_time")]
    created_at: Option<i64>,
}

impl Row for UserRow {
    const FIELDS: &'static [&'static str] = &["email", "org", "name", "state", "created_at"];
    const DROP_ORDER: &'static [&'static str] = &["created_at", "name", "org"];
    const FREE_TEXT: &'static [&'static str] = &["name"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.email.clone(),
            cell(self.org.as_ref()),
            cell(self.name.as_ref()),
            self.state.to_string(),
            cell(self.created_at.map(rfc3339)),
        ]
    }
}

impl Human for UserRow {
    fn human(&self, out: &mut Output) -> Result<()> {
        match &self.org {
            Some(org) => out.line(format!("added {} to {org}", self.email)),
            None => out.line(format!("added {}", self.email)),
        }
    }
}

/// A display name held to the text rules (exit 2); `None` when empty.
fn clean_name(name: Option<&str>) -> Result<Option<String>> {
    Ok(name.map(|n| label("name", n)).transpose()?.flatten())
}

/// `twofa user add EMAIL [--org ORG] [--name TEXT]`.
pub fn add(
    ctx: &mut Ctx,
    email: &str,
    org: Option<&str>,
    name: Option<String>,
) -> Result<ExitCode> {
    let email = normalise_email(email)?;
    let org = org.map(normalise_org).transpose()?;
    let name = clean_name(name.as_deref())?;
    let mut store = ctx.open(OpenMode::Existing)?;
    let now = ctx.now();
    let mut tx = store.begin()?;
    let (org_id, org) = match &org {
        Some(slug) => {
            let o = org_tx(tx.as_mut(), slug)?;
            (Some(o.id), Some(o.slug))
        }
        None => (None, None),
    };
    tx.add_account(&NewAccount {
        email: &email,
        org_id,
        name: name.as_deref(),
        created_at: now,
    })?;
    let mut event = ctx.event("user.add");
    event.email = Some(email.clone());
    event.org = org.clone();
    tx.log(event)?;
    let events = tx.commit()?;
    ctx.notify(&events);
    ctx.out.object(&UserRow {
        email,
        org,
        name,
        state: "disabled",
        created_at: Some(now),
    })?;
    Ok(ExitCode::Success)
}

#[derive(Serialize)]
struct Imported {
    imported: u64,
    source: String,
}

impl Human for Imported {
    fn human(&self, out: &mut Output) -> Result<()> {
        out.line(format!(
            "imported {} from {}",
            crate::output::counted(self.imported, "account", "accounts"),
            self.source
        ))
    }
}

/// Names the line in an error's message (`line N: …`); its exit code stays the one the
/// error carries.
fn at_line(line: u64, e: anyhow::Error) -> anyhow::Error {
    e.context(format!("line {line}"))
}

/// The bad lines of an import file.
fn bad_lines() -> BadInput {
    BadInput::new(("line", "lines"), "line", "nothing was imported")
}

/// Adds the accounts of a CSV (`email,org[,name]`) in `tx`. Every bad line is reported at
/// once (the first [`super::BAD_SHOWN`], then a count), and then nothing is added: the
/// caller's transaction rolls back (all or nothing). A file with an email twice names both
/// lines. Each account added is logged as `added` says (its time, actor, action and detail),
/// with its email and organisation: one event per account, so hooks and `log --user` see
/// it. `on_row` runs after each added account (progress).
pub fn import_rows(
    tx: &mut dyn Tx,
    input: Box<dyn Read + '_>,
    added: &Event,
    on_row: &mut dyn FnMut(),
) -> Result<u64> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(Bounded::csv(
            io::BufReader::with_capacity(1 << 16, input),
            input::LINE_MAX,
            input::FILE_LINES_MAX,
        ));
    let header = reader
        .headers()
        .map_err(|e| match e.kind() {
            csv::ErrorKind::Io(_) => usage(csv_error(&e)),
            _ => usage(format!(
                "line 1: cannot read the CSV header: {}",
                csv_error(&e)
            )),
        })?
        .clone();
    let names: Vec<String> = header.iter().map(|h| h.to_ascii_lowercase()).collect();
    if names != ["email", "org"] && names != ["email", "org", "name"] {
        return Err(usage(format!(
            "line 1: the header must be 'email,org' or 'email,org,name', not {}",
            quote(&header.iter().collect::<Vec<_>>().join(","))
        )));
    }
    let columns = names.len();
    // The organisations named so far: slug as typed (normalised) → row, and row → slug as
    // stored (what the accounts' events name).
    let mut orgs: HashMap<String, i64> = HashMap::new();
    let mut slugs: HashMap<i64, String> = HashMap::new();
    // The line of each email so far, by a hash of its confusable skeleton: a second line
    // with the same hash repeats the email, or one that looks like it, when adding its
    // account is refused (see `add_in_email_order`).
    let mut seen: HashMap<u64, u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    let mut chunk: Vec<Checked> = Vec::with_capacity(IMPORT_CHUNK);
    let mut count = 0u64;
    let mut bad = bad_lines();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(line, |p| p.line());
                // `email,org,name` takes rows without the name, as `email,org[,name]` says.
                if record.len() != columns && !(columns == 3 && record.len() == 2) {
                    bad.add(
                        line,
                        usage(format!(
                            "{} fields where the header has {columns}",
                            record.len()
                        )),
                    );
                    continue;
                }
                match check_row(tx, &mut orgs, &mut slugs, &record) {
                    Ok((email, org_id, name)) => {
                        let earlier = seen.insert(email_hash(&text::skeleton(&email)), line);
                        chunk.push(Checked {
                            line,
                            earlier,
                            email,
                            org_id,
                            name,
                        });
                    }
                    Err(e) => bad.add(line, e),
                }
            }
            // A read that failed (a line past its bound) ends the import.
            Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => {
                return Err(usage(csv_error(&e)));
            }
            Err(e) => {
                // A record that is not UTF-8 is skipped.
                let line = e.position().map_or(line, |p| p.line());
                bad.add(line, usage(csv_error(&e)));
            }
        }
        if chunk.len() >= IMPORT_CHUNK {
            count += add_in_email_order(tx, &mut chunk, added, &slugs, on_row, &mut bad)?;
        }
    }
    count += add_in_email_order(tx, &mut chunk, added, &slugs, on_row, &mut bad)?;
    if !bad.is_empty() {
        return Err(bad.into_error());
    }
    Ok(count)
}

/// A 64-bit hash of an email, to find repeated emails in a file without keeping them all.
fn email_hash(email: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(email)
}

/// Rows read and checked, then added in email order, this many at a time: the unique email
/// index and the organisation index then take their inserts in key order, so the pages they
/// touch stay in the cache (a million-row import takes a quarter less time). Memory stays
/// bounded by the chunk.
const IMPORT_CHUNK: usize = 100_000;

/// A checked CSV row waiting to be added.
struct Checked {
    line: u64,
    /// An earlier line whose email hashed the same (very likely the same email).
    earlier: Option<u64>,
    email: String,
    org_id: Option<i64>,
    name: Option<String>,
}

/// Checks one row: (email, organisation row, name), or why not.
fn check_row(
    tx: &mut dyn Tx,
    orgs: &mut HashMap<String, i64>,
    slugs: &mut HashMap<i64, String>,
    record: &csv::StringRecord,
) -> Result<(String, Option<i64>, Option<String>)> {
    let email = normalise_email(record.get(0).unwrap_or(""))?;
    let org_id = match record.get(1).filter(|o| !o.is_empty()) {
        None => None,
        Some(raw) => {
            let slug = normalise_org(raw)?;
            match orgs.get(&slug) {
                Some(id) => Some(*id),
                None => {
                    let org = org_tx(tx, &slug)?;
                    orgs.insert(slug, org.id);
                    slugs.insert(org.id, org.slug);
                    Some(org.id)
                }
            }
        }
    };
    Ok((email, org_id, clean_name(record.get(2))?))
}

/// Adds the rows in email order. A refused row (the account exists: in the database, or
/// from an earlier line of the file, which it then names) is a bad line and does not stop
/// the others; once one is, the events are no longer written (nothing will be committed).
/// Other errors end the import.
fn add_in_email_order(
    tx: &mut dyn Tx,
    chunk: &mut Vec<Checked>,
    event: &Event,
    slugs: &HashMap<i64, String>,
    on_row: &mut dyn FnMut(),
    bad: &mut BadInput,
) -> Result<u64> {
    chunk.sort_by(|a, b| a.email.cmp(&b.email).then(a.line.cmp(&b.line)));
    let mut added = 0;
    for row in chunk.drain(..) {
        let account = NewAccount {
            email: &row.email,
            org_id: row.org_id,
            name: row.name.as_deref(),
            created_at: event.at,
        };
        match tx.add_account(&account) {
            Ok(_) => {
                added += 1;
                if bad.is_empty() {
                    let org = row.org_id.and_then(|id| slugs.get(&id)).cloned();
                    tx.log(Event {
                        email: Some(row.email),
                        org,
                        ..event.clone()
                    })?;
                }
                on_row();
            }
            Err(e) if is_refused(&e) => match row.earlier {
                Some(earlier) if e.to_string().contains(" looks like ") => bad.add(
                    row.line,
                    refused(format!(
                        "{} looks like the email on line {earlier} (Unicode TS #39 confusables; it is spelled {}): refused, so that neither passes for the other",
                        escape(&row.email),
                        text::spelled(&row.email)
                    )),
                ),
                Some(earlier) => bad.add(
                    row.line,
                    refused(format!("{} is also on line {earlier}", escape(&row.email))),
                ),
                None => bad.add(row.line, e),
            },
            Err(e) => return Err(at_line(row.line, e)),
        }
    }
    Ok(added)
}

fn csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".to_string(),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("{len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::Io(io) => match input::limit(io) {
            Some(limit) => limit.to_string(),
            None => format!("cannot read the CSV: {io}"),
        },
        _ => e.to_string(),
    }
}

/// `twofa user import FILE|-`.
pub fn import(ctx: &mut Ctx, file: &str) -> Result<ExitCode> {
    let (input, source) = crate::input::open(file)?;
    let mut store = ctx.open(OpenMode::Existing)?;
    let mut tx = store.begin()?;
    let progress = ctx.progress(None, "importing");
    let added = ctx
        .event("user.add")
        .detail(format!("user import from {source}"));
    let count = import_rows(tx.as_mut(), input, &added, &mut || progress.inc())?;
    progress.finish();
    tx.log(ctx.event("user.import").detail(format!(
        "{} from {source}",
        crate::output::counted(count as u64, "account", "accounts")
    )))?;
    let events = tx.commit().map_err(|e| anyhow!(e))?;
    ctx.notify(&events);
    ctx.out.object(&Imported {
        imported: count,
        source,
    })?;
    Ok(ExitCode::Success)
}

/// `twofa user list [--org ORG]`.
pub fn list(ctx: &mut Ctx, org_filter: Option<&str>) -> Result<ExitCode> {
    let org_filter = org_filter.map(normalise_org).transpose()?;
    let mut store = ctx.open(OpenMode::ReadOnly)?;
    let org_filter = super::org_filter(store.as_mut(), org_filter)?;
    let filter = AccountFilter {
        org: org_filter,
        now: ctx.now(),
        ..AccountFilter::default()
    };
    if list_rows(ctx, store.as_mut(), &filter)? == 0 {
        ctx.nothing_found(match &filter.org {
            Some(org) => format!("no accounts in '{org}'"),
            None => "no accounts yet".to_string(),
        });
    }
    Ok(ExitCode::Success)
}

/// `twofa find TEXT`: accounts whose email or name contains TEXT, as `user list` rows.
pub fn find(ctx: &mut Ctx, args: &FindArgs) -> Result<ExitCode> {
    let text = args.text.trim();
    if text.is_empty() {
        return Err(usage(
            "find needs some TEXT to look for in emails and names",
        ));
    }
    if text.chars().count() > 254 || text.chars().any(char::is_control) {
        let shown: String = text.chars().take(80).collect();
        return Err(usage(format!(
            "'{}' cannot be part of an email or a name (too long, or control characters)",
            shown.escape_debug()
        )));
    }
    let mut store = ctx.open(OpenMode::ReadOnly)?;
    let filter = AccountFilter {
        now: ctx.now(),
        contains: Some(text.to_string()),
        ..AccountFilter::default()
    };
    if list_rows(ctx, store.as_mut(), &filter)? == 0 {
        ctx.nothing_found(format!("no accounts match {}", quote(text)));
    }
    Ok(ExitCode::Success)
}

/// Streams the accounts `filter` selects as `user list` rows; returns how many.
fn list_rows(ctx: &mut Ctx, store: &mut dyn Store, filter: &AccountFilter) -> Result<u64> {
    let now = filter.now;
    let mut list = ctx.out.list::<UserRow>()?;
    store.records(filter, &mut |r| {
        let name = r.account.name.clone();
        let created = r.account.created_at;
        let row = StatusRow::new(r, now);
        list.push(&UserRow {
            email: row.email,
            org: row.org,
            name,
            state: row.state.as_str(),
            created_at: Some(created),
        })
    })?;
    list.finish()
}

/// `user rename`'s answer.
#[derive(Serialize)]
struct Renamed {
    email: String,
    renamed_from: String,
    state: State,
}

impl Human for Renamed {
    fn human(&self, out: &mut Output) -> Result<()> {
        out.line(format!(
            "renamed {} to {}; 2FA kept",
            self.renamed_from, self.email
        ))?;
        if self.state == State::Enabled && !out.quiet {
            out.line(format!(
                "The authenticator app still shows {} as this account's label (its codes stay valid) until it enrolls again.",
                self.renamed_from
            ))?;
        }
        Ok(())
    }
}

/// `twofa user rename OLD NEW`.
pub fn rename(ctx: &mut Ctx, old: &str, new: &str) -> Result<ExitCode> {
    let old = normalise_email(old)?;
    let new = normalise_email(new)?;
    if old == new {
        return Err(usage(format!("{old} and {new} are the same address")));
    }
    let mut store = ctx.open(OpenMode::Existing)?;
    let mut tx = store.begin()?;
    let acct = account_tx(tx.as_mut(), &old)?;
    tx.rename_account(acct.id, &new)?;
    let mut event = ctx
        .event("user.rename")
        .detail(format!("renamed from {old}"));
    event.email = Some(new.clone());
    event.org = acct.org.clone();
    tx.log(event)?;
    let events = tx.commit()?;
    ctx.notify(&events);
    let state = store
        .record(&new)?
        .map_or(State::Disabled, |r| StatusRow::new(r, ctx.now()).state);
    ctx.out.object(&Renamed {
        email: new,
        renamed_from: old,
        state,
    })?;
    Ok(ExitCode::Success)
}

/// `user move`'s answer: where the account is now and what its new policy asks.
#[derive(Serialize)]
struct Moved {
    email: String,
    org: Option<String>,
    previous_org: Option<String>,
    changed: bool,
    state: State,
    required: bool,
    compliant: bool,
    #[serde(serialize_with = "crate::output::opt_time")]
    deadline: Option<i64>,
}

impl Human for Moved {
    fn human(&self, out: &mut Output) -> Result<()> {
        let to = self.org.as_deref().unwrap_or("no organisation");
        if !self.changed {
            return out.line(format!(
                "{} is in {to} already; nothing changed",
                self.email
            ));
        }
        let policy = match (self.required, self.deadline) {
            (true, Some(d)) if self.state != State::Enabled => {
                format!("; 2FA is required: enroll by {}", rfc3339(d))
            }
            (true, _) => "; 2FA is required".to_string(),
            (false, _) => String::new(),
        };
        out.line(format!("moved {} to {to}{policy}", self.email))
    }
}

/// `twofa user move EMAIL (--org ORG | --no-org)`.
pub fn move_to(ctx: &mut Ctx, email: &str, to: Option<&str>) -> Result<ExitCode> {
    let email = normalise_email(email)?;
    let to = to.map(normalise_org).transpose()?;
    let mut store = ctx.open(OpenMode::Existing)?;
    let now = ctx.now();
    let mut tx = store.begin()?;
    let acct = account_tx(tx.as_mut(), &email)?;
    let (org_id, to) = match &to {
        Some(slug) => {
            let o = org_tx(tx.as_mut(), slug)?;
            (Some(o.id), Some(o.slug))
        }
        None => (None, None),
    };
    let changed = acct.org != to;
    if changed {
        tx.set_account_org(acct.id, org_id, now)?;
        let mut event = ctx.event("user.move").detail(format!(
            "organisation {} → {}",
            acct.org.as_deref().unwrap_or("none"),
            to.as_deref().unwrap_or("none")
        ));
        event.email = Some(email.clone());
        event.org = to.clone();
        tx.log(event)?;
        let events = tx.commit()?;
        ctx.notify(&events);
    } else {
        drop(tx);
    }
    let record = store
        .record(&email)?
        .ok_or_else(|| super::no_account(&email))?;
    let row = StatusRow::new(record, ctx.now());
    ctx.out.object(&Moved {
        email,
        org: row.org,
        previous_org: acct.org,
        changed,
        state: row.state,
        required: row.required,
        compliant: row.compliant,
        deadline: row.deadline,
    })?;
    Ok(ExitCode::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{self, Store};
    use proptest::prelude::*;

    /// The event of an account that `import_rows` adds.
    fn added() -> Event {
        Event::new(0, "tester", "user.add").detail("user import from test.csv")
    }

    fn store() -> (tempfile::TempDir, Box<dyn Store>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let (mut store, _) = store::open(path.to_str().unwrap(), OpenMode::Create).unwrap();
        let mut tx = store.begin().unwrap();
        tx.add_org("acme", None, 0).unwrap();
        tx.commit().unwrap();
        (dir, store)
    }

    fn import(store: &mut dyn Store, csv: &[u8]) -> Result<u64> {
        let mut tx = store.begin().unwrap();
        import_rows(tx.as_mut(), Box::new(csv), &added(), &mut || {})
    }

    fn error(store: &mut dyn Store, csv: &[u8]) -> String {
        format!("{:#}", import(store, csv).expect_err("should fail"))
    }

    #[test]
    fn hostile_files_name_their_line() {
        let (_dir, mut s) = store();
        let s = s.as_mut();
        assert!(
            error(s, b"email,org\na@example.com,acme\n\xff\xfe@x.com,acme\n")
                .contains("\n  line 3: not valid UTF-8")
        );
        assert!(
            error(s, b"email,org\na@example.com,acme\na@example.com,acme\n")
                .contains("\n  line 3: a@example.com is also on line 2")
        );
        assert!(
            error(s, b"email,org\na@example.com,acme\n,\n").contains("\n  line 3:"),
            "an empty row"
        );
        let huge = format!(
            "email,org,name\na@example.com,acme,{}\n",
            "x".repeat(1 << 20)
        );
        let e = error(s, huge.as_bytes());
        assert!(
            e.contains("line 2 is longer than 64 KiB") && e.len() < 400,
            "{e}"
        );
        let long = format!("email,org,name\na@example.com,acme,{}\n", "x".repeat(300));
        let e = error(s, long.as_bytes());
        assert!(e.contains("line 2: the name 'xxx") && e.len() < 400, "{e}");
        let huge_email = format!("email,org\n{}@example.com,acme\n", "x".repeat(1 << 20));
        let e = error(s, huge_email.as_bytes());
        assert!(e.contains("line 2 is longer") && e.len() < 400, "{e}");
        assert!(error(s, b"").starts_with("line 1:"), "no header");
        assert!(
            error(s, b"email,org\n\"a@example.com,acme\n").contains("line 2:"),
            "open quote"
        );
    }

    #[test]
    fn every_bad_line_is_named_then_counted() {
        let (_dir, mut s) = store();
        let mut csv = String::from("email,org,name\nok@example.com,acme\n");
        for i in 0..60 {
            csv.push_str(&format!("bad{i},acme,x\n"));
        }
        csv.push_str("ok@example.com,,again\n");
        let e = error(s.as_mut(), csv.as_bytes());
        assert!(
            e.starts_with("61 lines are bad; nothing was imported:"),
            "{e}"
        );
        assert!(
            e.contains("line 3: 'bad0'") && e.contains("line 52: 'bad49'"),
            "{e}"
        );
        assert!(!e.contains("'bad50'"), "{e}");
        assert!(e.ends_with("… and 11 more"), "{e}");
        assert!(
            s.account("ok@example.com").unwrap().is_none(),
            "all or nothing"
        );
    }

    #[test]
    fn blank_lines_are_skipped_and_crlf_bom_quotes_read() {
        let (_dir, mut s) = store();
        let csv = "\u{feff}email,org,name\r\n\r\n\"Q@Example.com\",acme,\"Q, \"\"Jr.\"\"\"\r\n\r\nr@example.com,,\r\n";
        assert_eq!(import(s.as_mut(), csv.as_bytes()).unwrap(), 2);
    }

    proptest! {
        /// Any bytes: a count, or an error that names its line; never a panic.
        #[test]
        fn any_input_imports_or_names_a_line(body in proptest::collection::vec(any::<u8>(), 0..600)) {
            let (_dir, mut s) = store();
            let mut csv = b"email,org,name\n".to_vec();
            csv.extend_from_slice(&body);
            if let Err(e) = import(s.as_mut(), &csv) {
                let msg = format!("{e:#}");
                prop_assert!(msg.contains("line "), "{}", msg);
            }
        }

        /// Well-formed rows with quotes, commas and unicode in names import exactly.
        #[test]
        fn valid_rows_import_exactly(names in proptest::collection::vec("[a-zé ,\"]{0,12}", 1..20)) {
            let (_dir, mut s) = store();
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["email", "org", "name"]).unwrap();
            for (i, n) in names.iter().enumerate() {
                w.write_record([format!("u{i}@example.com").as_str(), if i % 2 == 0 { "acme" } else { "" }, n]).unwrap();
            }
            let csv = w.into_inner().unwrap();
            let mut tx = s.begin().unwrap();
            prop_assert_eq!(import_rows(tx.as_mut(), Box::new(&csv[..]), &added(), &mut || {}).unwrap(), names.len() as u64);
            tx.commit().unwrap();
            for (i, n) in names.iter().enumerate() {
                let a = s.account(&format!("u{i}@example.com")).unwrap().unwrap();
                let want = Some(n.trim()).filter(|n| !n.is_empty()).map(str::to_string);
                prop_assert_eq!(a.name, want);
                prop_assert_eq!(a.org.as_deref(), if i % 2 == 0 { Some("acme") } else { None });
            }
        }
    }
}
