//! The event log's hash chain as the store keeps it: walking every event with its hash
//! (`log verify`), pruning the oldest events under a new anchor with their counts kept in
//! `twofa_meta` (`log prune`), and hashing the events written before the chain existed
//! (the migration that added it). The same for every backend.

use anyhow::Result;

use super::conn::{Backend, Commit, Conn, CoreTx, all, int, text};
use super::events::{EventFilter, EventSelect, StoredEvent, action_count, chain_head, events_sql};
use super::events::{PRUNED_PREFIX, pair, stored_event};
use super::meta::{read_meta, write_meta};
use super::sql::Sql;
use crate::chain;
use crate::clock::Timestamp;

/// Events the chain backfill reads and hashes at a time (flat memory on a big log).
const BACKFILL_BATCH: i64 = 10_000;

/// Where the event chain starts and ends, as `twofa_meta` records them.
#[derive(Debug, Clone, Default)]
pub struct ChainEnds {
    pub anchor: Option<String>,
    pub head: Option<String>,
}

/// The chain, as [`super::Store`] reads it.
pub trait EventChainStore {
    /// The chain's anchor and head (`twofa_meta`) and every event oldest first with its
    /// hash, from one snapshot, for `log verify`; stops when `each` returns false. Returns
    /// the ends (also when there is no event).
    fn event_chain(
        &mut self,
        each: &mut dyn FnMut(&ChainEnds, StoredEvent) -> Result<bool>,
    ) -> Result<ChainEnds>;
}

/// The chain, as a [`super::Tx`] reads and prunes it.
pub trait EventChainTx {
    /// [`EventChainStore::event_chain`] as this transaction sees it (under the write lock,
    /// so that `log prune` removes only what it verified). After `each` stopped the walk,
    /// drop the transaction.
    fn event_chain(
        &mut self,
        each: &mut dyn FnMut(&ChainEnds, StoredEvent) -> Result<bool>,
    ) -> Result<ChainEnds>;
    /// Streams the oldest events, up to the first one at or after `before`, oldest first:
    /// the part of the chain that `log prune` may remove.
    fn events_before(
        &mut self,
        before: Timestamp,
        each: &mut dyn FnMut(StoredEvent) -> Result<()>,
    ) -> Result<()>;
    /// Deletes the events up to row `last_id`, makes `anchor` (the last one's hash) the
    /// chain's new anchor, and adds their counts per action to the pruned counts; returns
    /// how many it deleted.
    fn prune_events(&mut self, last_id: i64, anchor: &str) -> Result<u64>;
}

/// Reads the chain's ends (`twofa_meta`), then streams every event oldest first with its
/// hash to `each`, as `c` sees them, until `each` returns false. Returns the ends and
/// whether `each` stopped the walk (the query was then ended: on PostgreSQL a transaction
/// is unusable after that, so its caller drops it).
fn walk_chain(
    c: &mut (impl Conn + ?Sized),
    sql: &Sql,
    each: &mut dyn FnMut(&ChainEnds, StoredEvent) -> Result<bool>,
) -> Result<(ChainEnds, bool)> {
    let ends = ChainEnds {
        anchor: read_meta(c, sql, chain::ANCHOR)?,
        head: read_meta(c, sql, chain::HEAD)?,
    };
    let all_events = EventFilter::default();
    let select = EventSelect {
        filter: &all_events,
        after_id: None,
        oldest_first: true,
    };
    let (query, args) = events_sql(sql, sql.events.event_rows, &select);
    // An error ends the query: `each` says stop with a marker error, told apart below.
    let mut stopped = false;
    let result = c.each("cannot read the event log", &query, &args, &mut |r| {
        if !each(&ends, stored_event(r)?)? {
            stopped = true;
            return Err(anyhow::anyhow!("stop"));
        }
        Ok(())
    });
    if !stopped {
        result?;
    }
    Ok((ends, stopped))
}

/// Fills in the hash of every event that has none, oldest first, chained from the head
/// (or the anchor, or genesis): what the migration that added the chain does to the events
/// before it. `batch(after_id)` reads the next unhashed events; `set(id, hash)` stores one.
/// Returns the new head, if any event was hashed.
fn backfill(
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
fn add_pruned(recorded: &[(String, String)], counts: &[(String, i64)]) -> Vec<(String, String)> {
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

/// Hashes the events written before the chain existed, oldest first: what the migration
/// that added the chain runs, in its transaction.
pub(super) fn backfill_chain(c: &mut (impl Conn + ?Sized), sql: &Sql) -> Result<()> {
    const WHAT: &str = "cannot hash the event log";
    let start = Some(chain_head(c, sql)?);
    let c = std::cell::RefCell::new(c);
    let head = backfill(
        start,
        &mut |after| {
            let args = [int(after), int(BACKFILL_BATCH)];
            let sql = sql.events.unhashed_events;
            all(*c.borrow_mut(), WHAT, sql, &args, stored_event)
        },
        &mut |id, hash| {
            let sql = sql.events.set_event_hash;
            c.borrow_mut()
                .exec(WHAT, sql, &[int(id), text(hash)])
                .map(drop)
        },
    )?;
    if let Some(head) = head {
        write_meta(*c.borrow_mut(), sql, chain::HEAD, &head)?;
    }
    Ok(())
}

impl<B: Backend> EventChainStore for B {
    fn event_chain(
        &mut self,
        each: &mut dyn FnMut(&ChainEnds, StoredEvent) -> Result<bool>,
    ) -> Result<ChainEnds> {
        // One snapshot: the ends and the events agree.
        let mut tx = self.snapshot()?;
        let (ends, stopped) = walk_chain(&mut tx, B::SQL, each)?;
        if !stopped {
            tx.commit()?;
        }
        // Stopped: the query was ended; dropping the read-only transaction rolls it back.
        Ok(ends)
    }
}

impl<C: Conn + Commit> EventChainTx for CoreTx<C> {
    fn event_chain(
        &mut self,
        each: &mut dyn FnMut(&ChainEnds, StoredEvent) -> Result<bool>,
    ) -> Result<ChainEnds> {
        walk_chain(&mut self.conn, self.sql, each).map(|(ends, _)| ends)
    }

    fn events_before(
        &mut self,
        before: Timestamp,
        each: &mut dyn FnMut(StoredEvent) -> Result<()>,
    ) -> Result<()> {
        let sql = self.sql.events.events_before;
        self.conn
            .each("cannot read the event log", sql, &[int(before)], &mut |r| {
                each(stored_event(r)?)
            })
    }

    fn prune_events(&mut self, last_id: i64, anchor: &str) -> Result<u64> {
        const WHAT: &str = "cannot prune the event log";
        let sql = &self.sql.events;
        let counts = all(
            &mut self.conn,
            WHAT,
            sql.prune_counts,
            &[int(last_id)],
            action_count,
        )?;
        let recorded = all(&mut self.conn, WHAT, sql.pruned_counts, &[], pair)?;
        for (key, value) in add_pruned(&recorded, &counts) {
            write_meta(&mut self.conn, self.sql, &key, &value)?;
        }
        let deleted = self.conn.exec(WHAT, sql.prune_events, &[int(last_id)])?;
        write_meta(&mut self.conn, self.sql, chain::ANCHOR, anchor)?;
        Ok(deleted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Event;
    use crate::store::events::merge_counts;

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
