//! The event log's SQL and chain upkeep, the same for every backend: each backend gives
//! its table names and placeholder style, runs the statements, and converts the values.

use anyhow::Result;

use super::{EventFilter, StoredEvent};
use crate::chain;
use crate::clock::Timestamp;

/// The columns every event read selects, in [`StoredEvent`] order.
pub const COLUMNS: &str = "id, at, actor, action, email, org, detail, hash";

/// `twofa_meta` keys of the counts of pruned events, one per action.
pub const PRUNED_PREFIX: &str = "events_pruned.";

/// Events the chain backfill reads and hashes at a time (flat memory on a big log).
pub const BACKFILL_BATCH: i64 = 10_000;

/// A bound value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Int(i64),
    Text(String),
}

/// A statement and its arguments in placeholder order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub sql: String,
    pub args: Vec<Arg>,
}

/// How a backend writes the n-th placeholder (1-based): `?1`, `$1`.
pub type Mark = fn(usize) -> String;

/// Which events, in which order.
pub struct Select<'a> {
    pub filter: &'a EventFilter,
    pub after_id: Option<i64>,
    pub oldest_first: bool,
}

/// The `SELECT` of events from `table` that match.
pub fn select(table: &str, s: &Select<'_>, mark: Mark) -> Query {
    let mut q = Query {
        sql: format!("SELECT {COLUMNS} FROM {table} WHERE 1 = 1"),
        args: Vec::new(),
    };
    let cond = |q: &mut Query, template: &str, arg: Arg| {
        q.args.push(arg);
        let m = mark(q.args.len());
        q.sql.push_str(" AND ");
        q.sql.push_str(&template.replace('?', &m));
    };
    let f = s.filter;
    if let Some(email) = &f.email {
        cond(&mut q, "email = ?", Arg::Text(email.clone()));
    }
    if let Some(org) = &f.org {
        cond(&mut q, "org = ?", Arg::Text(org.clone()));
    }
    if let Some(action) = &f.action {
        // The action itself or one of its family (`verify` → `verify.failed`), without LIKE
        // (whose `_` would be a wildcard).
        cond(
            &mut q,
            "(action = ? OR substr(action, 1, length(?) + 1) = ? || '.')",
            Arg::Text(action.clone()),
        );
    }
    if let Some(actor) = &f.actor {
        cond(&mut q, "actor = ?", Arg::Text(actor.clone()));
    }
    if let Some(since) = f.since {
        cond(&mut q, "at >= ?", Arg::Int(since));
    }
    if let Some(until) = f.until {
        cond(&mut q, "at < ?", Arg::Int(until));
    }
    if let Some(after) = s.after_id {
        cond(&mut q, "id > ?", Arg::Int(after));
    }
    let limit = f.limit.map(|l| l.min(i64::MAX as u64) as i64);
    match (s.oldest_first, limit) {
        (false, None) => q.sql.push_str(" ORDER BY id DESC"),
        (false, Some(l)) => {
            q.args.push(Arg::Int(l));
            q.sql
                .push_str(&format!(" ORDER BY id DESC LIMIT {}", mark(q.args.len())));
        }
        (true, None) => q.sql.push_str(" ORDER BY id"),
        // The newest `l`, oldest first.
        (true, Some(l)) => {
            q.args.push(Arg::Int(l));
            q.sql = format!(
                "SELECT * FROM ({} ORDER BY id DESC LIMIT {}) AS newest ORDER BY id",
                q.sql,
                mark(q.args.len())
            );
        }
    }
    q
}

/// The events up to the first one at or after `before`, oldest first.
pub fn select_before(table: &str, before: Timestamp, mark: Mark) -> Query {
    let m = mark(1);
    Query {
        sql: format!(
            "SELECT {COLUMNS} FROM {table}
             WHERE id < coalesce((SELECT min(id) FROM {table} WHERE at >= {m}), (SELECT max(id) + 1 FROM {table}))
             ORDER BY id"
        ),
        args: vec![Arg::Int(before)],
    }
}

/// Fills in the hash of every event that has none, oldest first, chained from the head
/// (or the anchor, or genesis): what the migration that added the chain does to the events
/// before it. `batch(after_id)` reads the next unhashed events; `set(id, hash)` stores one.
/// Returns the new head, if any event was hashed.
pub fn backfill(
    start: Option<String>,
    batch: &mut dyn FnMut(i64) -> Result<Vec<StoredEvent>>,
    set: &mut dyn FnMut(i64, &str) -> Result<()>,
) -> Result<Option<String>> {
    let mut prev = start.unwrap_or_else(|| chain::GENESIS.to_string());
    let mut after = 0;
    let mut hashed = false;
    loop {
        let events = batch(after)?;
        if events.is_empty() {
            break;
        }
        for e in events {
            prev = chain::link(&prev, &e.event);
            set(e.id, &prev)?;
            after = e.id;
            hashed = true;
        }
    }
    Ok(hashed.then_some(prev))
}

/// Adds pruned counts (`counts`, per action) to the ones recorded (`recorded`, from
/// `twofa_meta`) and returns the meta rows to write.
pub fn add_pruned(
    recorded: &[(String, String)],
    counts: &[(String, i64)],
) -> Vec<(String, String)> {
    counts
        .iter()
        .map(|(action, n)| {
            let key = format!("{PRUNED_PREFIX}{action}");
            let before: i64 = recorded
                .iter()
                .find(|(k, _)| *k == key)
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            (key, (before + n).to_string())
        })
        .collect()
}

/// Live counts plus the recorded pruned ones, per action, sorted by action.
pub fn merge_counts(live: Vec<(String, i64)>, pruned: Vec<(String, String)>) -> Vec<(String, u64)> {
    let mut all: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
    for (action, n) in live {
        *all.entry(action).or_default() += n.max(0) as u64;
    }
    for (key, v) in pruned {
        if let (Some(action), Ok(n)) = (key.strip_prefix(PRUNED_PREFIX), v.parse::<u64>()) {
            *all.entry(action.to_string()).or_default() += n;
        }
    }
    all.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Event;

    fn q(mark: Mark) -> Query {
        let filter = EventFilter {
            action: Some("reset".into()),
            actor: Some("carol".into()),
            since: Some(10),
            limit: Some(5),
            ..Default::default()
        };
        select(
            "twofa_events",
            &Select {
                filter: &filter,
                after_id: None,
                oldest_first: false,
            },
            mark,
        )
    }

    #[test]
    fn placeholders_follow_the_arguments() {
        let sqlite = q(|n| format!("?{n}"));
        assert_eq!(
            sqlite.args,
            [
                Arg::Text("reset".into()),
                Arg::Text("carol".into()),
                Arg::Int(10),
                Arg::Int(5)
            ]
        );
        assert!(
            sqlite
                .sql
                .contains("(action = ?1 OR substr(action, 1, length(?1) + 1) = ?1 || '.')")
        );
        assert!(
            sqlite
                .sql
                .contains("actor = ?2 AND at >= ?3 ORDER BY id DESC LIMIT ?4")
        );
        let pg = q(|n| format!("${n}"));
        assert!(
            pg.sql
                .contains("actor = $2 AND at >= $3 ORDER BY id DESC LIMIT $4")
        );
    }

    #[test]
    fn backfill_chains_in_batches() {
        let events: Vec<StoredEvent> = (1..=25)
            .map(|i| StoredEvent {
                id: i * 2,
                event: Event::new(i, "a", "x"),
                hash: None,
            })
            .collect();
        let mut stored = Vec::new();
        let head = backfill(
            None,
            &mut |after| {
                Ok(events
                    .iter()
                    .filter(|e| e.id > after)
                    .take(10)
                    .cloned()
                    .collect())
            },
            &mut |id, h| {
                stored.push((id, h.to_string()));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(stored.len(), 25);
        let mut v = chain::Verifier::new(None, head.as_deref());
        for (e, (id, h)) in events.iter().zip(&stored) {
            assert_eq!(e.id, *id);
            assert!(v.push(&e.event, Some(h)));
        }
        assert_eq!(v.verdict(), chain::Verdict::Intact);
        assert_eq!(
            backfill(None, &mut |_| Ok(vec![]), &mut |_, _| Ok(())).unwrap(),
            None
        );
    }

    #[test]
    fn pruned_counts_add_up() {
        let rows = add_pruned(
            &[("events_pruned.reset".into(), "3".into())],
            &[("reset".into(), 2), ("verify".into(), 5)],
        );
        assert_eq!(
            rows,
            [
                ("events_pruned.reset".to_string(), "5".to_string()),
                ("events_pruned.verify".to_string(), "5".to_string())
            ]
        );
        let merged = merge_counts(vec![("reset".into(), 1), ("enroll".into(), 4)], rows);
        assert_eq!(
            merged,
            [
                ("enroll".to_string(), 4),
                ("reset".to_string(), 6),
                ("verify".to_string(), 5)
            ]
        );
    }
}
