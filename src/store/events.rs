//! The event log's chain upkeep, the same for every backend: hashing the events written
//! before the chain existed, and the counts of pruned events kept in `twofa_meta`. Pure
//! helpers; common.rs runs the statements.

use anyhow::Result;

use super::StoredEvent;
use crate::chain;

/// `twofa_meta` keys of the counts of pruned events, one per action.
pub const PRUNED_PREFIX: &str = "events_pruned.";

/// Events the chain backfill reads and hashes at a time (flat memory on a big log).
pub const BACKFILL_BATCH: i64 = 10_000;

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
