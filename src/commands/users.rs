//! `user add`, `user import` and `user list`.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read};

use anyhow::{Result, anyhow};
use serde::Serialize;

use super::{org, org_tx};
use crate::app::Ctx;
use crate::clock::rfc3339;
use crate::exit::{ExitCode, Failure, usage};
use crate::model::{StatusRow, normalise_email, normalise_org};
use crate::output::{Human, Output, Row, cell};
use crate::store::{AccountFilter, OpenMode, Tx};

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

fn clean_name(name: Option<&str>) -> Option<String> {
    name.map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
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
    let name = clean_name(name.as_deref());
    let mut store = ctx.open(OpenMode::Create)?;
    let now = ctx.now();
    let mut tx = store.begin()?;
    let org_id = match &org {
        Some(slug) => Some(org_tx(tx.as_mut(), slug)?.id),
        None => None,
    };
    tx.add_account(&email, org_id, name.as_deref(), now)?;
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
            "imported {} account(s) from {}",
            self.imported, self.source
        ))
    }
}

/// Adds `line` to a failure's message, keeping its exit code.
fn at_line(line: u64, e: anyhow::Error) -> anyhow::Error {
    let msg = format!("line {line}: {e:#}");
    match e.downcast_ref::<Failure>() {
        Some(Failure::NotFound(_)) => Failure::NotFound(msg).into(),
        Some(Failure::Refused(_)) => Failure::Refused(msg).into(),
        Some(Failure::Database(_)) => Failure::Database(msg).into(),
        _ => Failure::Usage(msg).into(),
    }
}

/// Adds the accounts of a CSV (`email,org[,name]`) in `tx`; the first bad line is an
/// error that names it (the caller's transaction then rolls back: all or nothing).
/// `on_row` runs after each added account (progress).
pub fn import_rows(
    tx: &mut dyn Tx,
    input: Box<dyn Read + '_>,
    now: i64,
    on_row: &mut dyn FnMut(),
) -> Result<u64> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(io::BufReader::with_capacity(1 << 16, input));
    let header = reader
        .headers()
        .map_err(|e| usage(format!("line 1: cannot read the CSV header: {e}")))?
        .clone();
    let names: Vec<String> = header.iter().map(|h| h.to_ascii_lowercase()).collect();
    if names != ["email", "org"] && names != ["email", "org", "name"] {
        return Err(usage(format!(
            "line 1: the header must be 'email,org' or 'email,org,name', not '{}'",
            header.iter().collect::<Vec<_>>().join(",")
        )));
    }
    let mut orgs: HashMap<String, i64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    let mut count = 0u64;
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                return Err(usage(format!("line {line}: {}", csv_error(&e))));
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        (|| -> Result<()> {
            let email = normalise_email(record.get(0).unwrap_or(""))?;
            let org_id = match record.get(1).filter(|o| !o.is_empty()) {
                None => None,
                Some(raw) => {
                    let slug = normalise_org(raw)?;
                    match orgs.get(&slug) {
                        Some(id) => Some(*id),
                        None => {
                            let id = org_tx(tx, &slug)?.id;
                            orgs.insert(slug, id);
                            Some(id)
                        }
                    }
                }
            };
            tx.add_account(&email, org_id, clean_name(record.get(2)).as_deref(), now)?;
            Ok(())
        })()
        .map_err(|e| at_line(line, e))?;
        count += 1;
        on_row();
    }
    Ok(count)
}

fn csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".to_string(),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("{len} fields where the header has {expected_len}")
        }
        _ => e.to_string(),
    }
}

/// `twofa user import FILE|-`.
pub fn import(ctx: &mut Ctx, file: &str) -> Result<ExitCode> {
    let (input, source): (Box<dyn Read>, String) = if file == "-" {
        (Box::new(io::stdin().lock()), "stdin".to_string())
    } else {
        let f = File::open(file).map_err(|e| usage(format!("cannot open {file}: {e}")))?;
        (Box::new(f), file.to_string())
    };
    let mut store = ctx.open(OpenMode::Create)?;
    let now = ctx.now();
    let mut tx = store.begin()?;
    let progress = crate::app::Progress::new(ctx, None, "importing");
    let count = import_rows(tx.as_mut(), input, now, &mut || progress.inc())?;
    progress.finish();
    tx.log(
        ctx.event("user.import")
            .detail(format!("{count} account(s) from {source}")),
    )?;
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
    let mut store = ctx.open(OpenMode::Existing)?;
    if let Some(slug) = &org_filter {
        org(store.as_mut(), slug)?;
    }
    let now = ctx.now();
    let filter = AccountFilter {
        org: org_filter,
        now,
        ..AccountFilter::default()
    };
    let mut list = ctx.out.list::<UserRow>()?;
    store.records(&filter, &mut |r| {
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
    list.finish()?;
    Ok(ExitCode::Success)
}
