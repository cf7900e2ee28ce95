//! `log`: the event log, newest first, or followed as it grows; `log verify` checks its
//! hash chain; `log prune` archives and removes old events.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use anyhow::Result;
use serde::Serialize;

use crate::chain::{Break, Verdict, Verifier};
use crate::cli::{LogArgs, LogCommand, LogPruneArgs};
use crate::clock::{Timestamp, parse_time, rfc3339};
use crate::ctx::Ctx;
use crate::exit::{ExitCode, usage};
use crate::model::{Event, normalise_email, normalise_org};
use crate::output::{Human, Output, Row, cell, flat_only};
use crate::store::{ChainEnds, EventFilter, OpenMode, StoredEvent};

/// How often `--follow` looks for new events.
const FOLLOW_POLL: Duration = Duration::from_millis(500);

impl Row for Event {
    const FIELDS: &'static [&'static str] = &["at", "actor", "action", "email", "org", "detail"];
    const DROP_ORDER: &'static [&'static str] = &["org", "actor", "detail"];
    const FREE_TEXT: &'static [&'static str] = &["detail"];

    fn cells(&self) -> Vec<String> {
        vec![
            rfc3339(self.at),
            self.actor.clone(),
            self.action.clone(),
            cell(self.email.as_ref()),
            cell(self.org.as_ref()),
            cell(self.detail.as_ref()),
        ]
    }
}

/// `twofa log` and its subcommands.
pub fn run(ctx: &mut Ctx, args: &LogArgs) -> Result<ExitCode> {
    match &args.command {
        Some(LogCommand::Verify(a)) => return verify(ctx, a.head.as_deref()),
        Some(LogCommand::Head) => return head(ctx),
        Some(LogCommand::Prune(a)) => return prune(ctx, a),
        None => {}
    }
    let mut filter = EventFilter {
        email: args.user.as_deref().map(normalise_email).transpose()?,
        since: args.since.as_deref().map(parse_time).transpose()?,
        limit: args.limit,
        org: args.org.as_deref().map(normalise_org).transpose()?,
        actions: args
            .action
            .as_deref()
            .map(actions)
            .transpose()?
            .unwrap_or_default(),
        actor: args.actor.clone(),
        until: args.until.as_deref().map(parse_time).transpose()?,
    };
    if let (Some(since), Some(until)) = (filter.since, filter.until)
        && since >= until
    {
        return Err(usage(format!(
            "--since {} is not before --until {}: no event can match (--until is exclusive: the events before it)",
            rfc3339(since),
            rfc3339(until)
        )));
    }
    let mut store = ctx.open(OpenMode::ReadOnly)?;
    // Events carry the organisation's slug as stored (ids are case-insensitive).
    if let Some(slug) = filter.org.take() {
        filter.org = Some(store.org(&slug)?.map_or(slug, |o| o.slug));
    }
    if args.follow {
        return follow(ctx, store.as_mut(), filter);
    }
    let mut list = ctx.out.list::<Event>()?;
    store.events(&filter, &mut |e| list.push(&e))?;
    if list.finish()? == 0 {
        let filtered = args.user.is_some()
            || args.org.is_some()
            || args.action.is_some()
            || args.actor.is_some()
            || args.since.is_some()
            || args.until.is_some();
        ctx.nothing_found(if filtered {
            "no events match"
        } else {
            "no events yet"
        });
    }
    Ok(ExitCode::Success)
}

/// The stored action names `--action` finds: an action, a family of them (`verify` is
/// every `verify.…`) or an action's old name, each with the old names of what it finds
/// ([`crate::actions::matching`]); anything else is exit 2, listing the actions.
fn actions(input: &str) -> Result<Vec<String>> {
    let a = input.trim();
    crate::actions::matching(&a.to_ascii_lowercase()).ok_or_else(|| {
        let names: Vec<&str> = crate::actions::ACTIONS.iter().map(|(n, _)| *n).collect();
        usage(format!(
            "{} is not an action; give one of {}, or a family of them: {}",
            crate::text::quote(a),
            names.join(", "),
            crate::actions::families().join(", ")
        ))
    })
}

/// Prints the matching events as they are committed, oldest first, until interrupted.
/// Starts after the newest event, or with the backlog that --since or --limit asks for.
fn follow(
    ctx: &mut Ctx,
    store: &mut dyn crate::store::Store,
    filter: EventFilter,
) -> Result<ExitCode> {
    let mut last = if filter.since.is_some() || filter.limit.is_some() {
        0
    } else {
        store.last_event_id()?
    };
    let mut first = true;
    let mut filter = filter;
    loop {
        store.events_after(&filter, last, &mut |e: StoredEvent| {
            last = e.id;
            ctx.out.follow_row(&e.event, first)?;
            first = false;
            Ok(())
        })?;
        // The backlog's --limit is spent; from now on, every new event.
        filter.limit = None;
        std::thread::sleep(FOLLOW_POLL);
    }
}

/// The event `log verify` names.
#[derive(Debug, Serialize)]
struct BadEvent {
    id: i64,
    #[serde(serialize_with = "time")]
    at: Timestamp,
    action: String,
    email: Option<String>,
    reason: &'static str,
}

fn time<S: serde::Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&rfc3339(*t))
}

/// `log verify`'s result (`{"events", "ok", "first_bad"}`).
#[derive(Debug, Serialize)]
struct VerifyReport {
    events: u64,
    ok: bool,
    first_bad: Option<BadEvent>,
    /// What is wrong, for people; null when the chain is intact.
    problem: Option<String>,
    /// With `--head`: whether the chain still holds that event; null without.
    head_found: Option<bool>,
}

impl Human for VerifyReport {
    fn human(&self, out: &mut Output) -> Result<()> {
        match &self.problem {
            None => out.line(format!(
                "ok: the event log's hash chain is intact ({} events){}",
                self.events,
                if self.head_found == Some(true) {
                    " and holds the given head"
                } else {
                    ""
                }
            )),
            Some(p) => out.line(format!("BROKEN: {p}")),
        }
    }
}

/// `event N (2027-01-15T08:00:00Z reset alice@example.com)`.
fn describe(e: &StoredEvent) -> String {
    format!(
        "event {} ({} {}{})",
        e.id,
        rfc3339(e.event.at),
        e.event.action,
        e.event
            .email
            .as_deref()
            .map(|m| format!(" {m}"))
            .unwrap_or_default()
    )
}

/// What walking the event chain found (the one check of `log verify` and `log prune`).
/// `walk` streams the chain's ends and events to the callback it is given; `expected` is
/// a head copied elsewhere that the chain must still hold.
fn check_chain(
    walk: impl FnOnce(&mut dyn FnMut(&ChainEnds, StoredEvent) -> Result<bool>) -> Result<ChainEnds>,
    expected: Option<&str>,
) -> Result<VerifyReport> {
    let mut verifier: Option<Verifier> = None;
    let mut bad: Option<StoredEvent> = None;
    let mut newest: Option<StoredEvent> = None;
    let start = |ends: &ChainEnds| {
        let v = Verifier::new(ends.anchor.as_deref(), ends.head.as_deref());
        match expected {
            Some(h) => v.expecting(h),
            None => v,
        }
    };
    let ends = walk(&mut |ends, e| {
        let v = verifier.get_or_insert_with(|| start(ends));
        if v.push(&e.event, e.hash.as_deref()) {
            newest = Some(e);
            Ok(true)
        } else {
            bad = Some(e);
            Ok(false)
        }
    })?;
    let verifier = verifier.unwrap_or_else(|| start(&ends));
    let ends_at = || match &newest {
        Some(e) => format!("the log ends at {}", describe(e)),
        None => "the log is empty".to_string(),
    };
    let (first_bad, problem) = match (verifier.verdict(), &bad) {
        (Verdict::Intact, _) => (None, None),
        (Verdict::Broken { why, .. }, Some(e)) => {
            let (reason, text) = match why {
                Break::Mismatch => (
                    "mismatch",
                    "does not match the chain: it was changed or inserted, or the event before it was removed",
                ),
                Break::Unhashed => ("unhashed", "has no hash: it was inserted outside twofa"),
            };
            (
                Some(BadEvent {
                    id: e.id,
                    at: e.event.at,
                    action: e.event.action.clone(),
                    email: e.event.email.clone(),
                    reason,
                }),
                Some(format!("{} {text}", describe(e))),
            )
        }
        (Verdict::Broken { .. }, None) => (None, Some("the chain is broken".to_string())),
        (Verdict::TailRemoved, _) => (
            None,
            Some(match &newest {
                Some(_) => format!(
                    "the newest events were removed: {}, but the chain's head is a later event",
                    ends_at()
                ),
                None => "every event was removed outside 'log prune': the log is empty, but the chain's head is an event".to_string(),
            }),
        ),
        (Verdict::Missing, _) => (
            None,
            Some(format!(
                "the chain does not hold the event whose hash is {} (the hash an earlier 'log head' printed?): the events from it on were removed and the chain's head moved back with them ({}), or it was pruned (look for it in the archive)",
                expected.unwrap_or_default(),
                ends_at()
            )),
        ),
    };
    Ok(VerifyReport {
        events: verifier.count(),
        ok: problem.is_none(),
        first_bad,
        head_found: expected.map(|_| !matches!(verifier.verdict(), Verdict::Missing)),
        problem,
    })
}

/// A hash as `log head` prints it: 64 hex digits (exit 2 otherwise).
fn head_hash(input: &str) -> Result<String> {
    let hash = input.trim().to_ascii_lowercase();
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(usage(format!(
            "--head {} is not an event's hash: give the 64 hex digits of 'hash' from 'twofa log head'",
            crate::text::quote(input.trim())
        )));
    }
    Ok(hash)
}

/// `twofa log verify [--head HASH]`.
fn verify(ctx: &mut Ctx, head: Option<&str>) -> Result<ExitCode> {
    flat_only(ctx.format(), "log verify")?;
    let expected = head.map(head_hash).transpose()?;
    let mut store = ctx.open(OpenMode::ReadOnly)?;
    let report = check_chain(|each| store.event_chain(each), expected.as_deref())?;
    ctx.out.object(&report)?;
    if let Some(p) = &report.problem {
        ctx.out.flush()?;
        let _ = writeln!(
            std::io::stderr(),
            "twofa: error: the event log was tampered with: {p}"
        );
        return Ok(ExitCode::Database);
    }
    Ok(ExitCode::Success)
}

/// `log head`'s answer: what to copy elsewhere.
#[derive(Debug, Serialize)]
struct Head {
    /// How many events the log holds.
    events: u64,
    /// The newest event's row id, hash and time (`null` for an empty log).
    id: Option<i64>,
    hash: Option<String>,
    #[serde(serialize_with = "crate::output::opt_time")]
    at: Option<Timestamp>,
}

impl Human for Head {
    fn human(&self, out: &mut Output) -> Result<()> {
        out.fields(&[
            ("events", self.events.to_string()),
            ("id", cell(self.id.map(|i| i.to_string()))),
            ("hash", cell(self.hash.as_ref())),
            ("at", cell(self.at.map(rfc3339))),
        ])
    }
}

/// `twofa log head`.
fn head(ctx: &mut Ctx) -> Result<ExitCode> {
    let mut store = ctx.open(OpenMode::ReadOnly)?;
    let (events, newest) = store.log_head()?;
    ctx.out.object(&Head {
        events,
        id: newest.as_ref().map(|e| e.id),
        at: newest.as_ref().map(|e| e.event.at),
        hash: newest.and_then(|e| e.hash),
    })?;
    Ok(ExitCode::Success)
}

/// Refuses (exit 6) to prune a log whose chain is broken: pruning would remove the
/// evidence, and re-anchor the chain so that `log verify` passed again.
fn refuse_broken(report: &VerifyReport) -> Result<()> {
    match &report.problem {
        None => Ok(()),
        Some(p) => Err(crate::exit::database(format!(
            "the event log was tampered with: {p}; nothing was pruned (see 'twofa log verify')"
        ))),
    }
}

/// One archived event: the log row with its id and hash, so that the archive can be
/// checked against the chain.
#[derive(Serialize)]
struct Archived<'a> {
    #[serde(flatten)]
    event: &'a Event,
    id: i64,
    hash: Option<&'a str>,
}

/// What `log prune` did.
#[derive(Debug, Serialize)]
struct PruneReport {
    pruned: u64,
    #[serde(serialize_with = "time")]
    before: Timestamp,
    archive: Option<String>,
    /// The new anchor of the chain (the last pruned event's hash).
    anchor: Option<String>,
}

impl Human for PruneReport {
    fn human(&self, out: &mut Output) -> Result<()> {
        let archive = self
            .archive
            .as_deref()
            .map(|a| format!(", archived to {a}"))
            .unwrap_or_default();
        out.line(format!(
            "pruned {} events before {}{archive}",
            self.pruned,
            rfc3339(self.before)
        ))
    }
}

/// `twofa log prune --before TIME [--archive FILE]`.
fn prune(ctx: &mut Ctx, args: &LogPruneArgs) -> Result<ExitCode> {
    flat_only(ctx.format(), "log prune")?;
    let before = parse_time(&args.before)?;
    if before > ctx.now() {
        return Err(usage(format!(
            "--before {} is in the future; prune only removes past events",
            rfc3339(before)
        )));
    }
    let archive_path = args.archive.as_deref();
    if let Some(p) = archive_path
        && p.exists()
    {
        return Err(usage(format!(
            "archive {} exists; give a new file (prune never overwrites an archive)",
            p.display()
        )));
    }
    let mut store = ctx.open(OpenMode::Existing)?;
    // Verify (a snapshot, no lock) and count first, to refuse a broken chain before asking,
    // and to ask with a number; the transaction that prunes verifies again, under the write
    // lock, and decides what goes.
    refuse_broken(&check_chain(|each| store.event_chain(each), None)?)?;
    let mut count = 0u64;
    {
        let mut tx = store.begin()?;
        tx.events_before(before, &mut |_| {
            count += 1;
            Ok(())
        })?;
    }
    if count == 0 {
        ctx.out.object(&PruneReport {
            pruned: 0,
            before,
            archive: None,
            anchor: None,
        })?;
        return Ok(ExitCode::Success);
    }
    crate::prompt::confirm(
        ctx.yes,
        &format!(
            "Delete {count} events before {}{}?",
            rfc3339(before),
            if archive_path.is_some() {
                " (after archiving them)"
            } else {
                " without an archive"
            }
        ),
        "log prune",
    )?;

    let mut tx = store.begin()?;
    refuse_broken(&check_chain(|each| tx.event_chain(each), None)?)?;
    let mut archive = archive_path.map(create_archive).transpose()?;
    let mut last: Option<(i64, String)> = None;
    let mut pruned = 0u64;
    let mut failure: Option<anyhow::Error> = None;
    tx.events_before(before, &mut |e| {
        if let Some(w) = archive.as_mut() {
            let line = Archived {
                event: &e.event,
                id: e.id,
                hash: e.hash.as_deref(),
            };
            serde_json::to_writer(&mut *w, &line)?;
            w.write_all(b"\n")?;
        }
        match e.hash {
            Some(h) => last = Some((e.id, h)),
            None => {
                failure.get_or_insert_with(|| {
                    usage(format!(
                        "event {} has no hash; run 'twofa log verify' before pruning",
                        e.id
                    ))
                });
            }
        }
        pruned += 1;
        Ok(())
    })?;
    if let Some(f) = failure {
        drop(archive);
        if let Some(p) = archive_path {
            let _ = std::fs::remove_file(p);
        }
        return Err(f);
    }
    let Some((last_id, anchor)) = last else {
        return Err(usage("nothing to prune"));
    };
    if let (Some(w), Some(p)) = (archive.take(), archive_path) {
        finish_archive(w, p)?;
    }
    // The record of the prune goes in first, so the log is never empty and ids keep
    // growing (SQLite reuses the ids of an emptied table).
    let archive_shown = archive_path.map(|p| p.display().to_string());
    tx.log(ctx.event("log.prune").detail(format!(
        "{pruned} events before {}{}",
        rfc3339(before),
        archive_shown
            .as_deref()
            .map(|a| format!(", archived to {a}"))
            .unwrap_or_default()
    )))?;
    let deleted = tx.prune_events(last_id, &anchor)?;
    if deleted != pruned {
        return Err(crate::exit::database(format!(
            "pruning deleted {deleted} events, not the {pruned} read; nothing changed"
        )));
    }
    let events = tx.commit()?;
    ctx.notify(&events);
    ctx.out.object(&PruneReport {
        pruned,
        before,
        archive: archive_shown,
        anchor: Some(anchor),
    })?;
    Ok(ExitCode::Success)
}

fn create_archive(path: &Path) -> Result<std::io::BufWriter<std::fs::File>> {
    use std::os::unix::fs::OpenOptionsExt;
    let f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| usage(format!("cannot create archive {}: {e}", path.display())))?;
    Ok(std::io::BufWriter::with_capacity(1 << 16, f))
}

/// Flushes and syncs the archive (and its directory entry) before anything is deleted.
fn finish_archive(w: std::io::BufWriter<std::fs::File>, path: &Path) -> Result<()> {
    let fail = |e: std::io::Error| {
        crate::exit::database(format!(
            "cannot write archive {}: {e}; nothing was pruned",
            path.display()
        ))
    };
    let f = w.into_inner().map_err(|e| fail(e.into_error()))?;
    f.sync_all().map_err(fail)?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(fail)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_checked() {
        assert_eq!(actions(" Reset ").unwrap(), ["reset"]);
        for bad in ["", "a b", "x;drop", "verify.failed", &"a".repeat(65)] {
            let e = format!("{:#}", actions(bad).unwrap_err());
            assert!(
                e.contains("user.remove, user.rename") && e.contains("verify"),
                "{e}"
            );
        }
        assert!(format!("{:#}", actions(&"a".repeat(300)).unwrap_err()).len() < 2000);
    }

    #[test]
    fn the_genesis_is_64_zeros() {
        assert_eq!(crate::chain::GENESIS.len(), 64);
        assert!(crate::chain::GENESIS.bytes().all(|b| b == b'0'));
    }
}
