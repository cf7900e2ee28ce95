//! The event log: writing an event in a transaction, chained to the one before it
//! (crate::chain), and reading the log back (`log`, `log --follow`, `log head`, the counts
//! per action). Walking, verifying and pruning the chain are event_chain.rs's.

use anyhow::Result;

use super::conn::{Arg, Backend, Columns, Commit, Conn, CoreTx, all, first, int, need, text};
use super::meta::read_meta;
use super::sql::Sql;
use crate::chain;
use crate::clock::Timestamp;
use crate::model::Event;

/// The columns [`event`] reads.
macro_rules! event_columns {
    () => {
        "at, actor, action, email, org, detail"
    };
}

/// The columns [`stored_event`] reads: [`event`]'s, then the row id and the chain hash.
macro_rules! stored_event_columns {
    () => {
        "at, actor, action, email, org, detail, id, hash"
    };
}

/// The events of `$t`events ([`event`]s, or with `stored`, [`stored_event`]s) in a select
/// that ends in `WHERE` (see [`events_sql`]); `$t` is the backend's table prefix (`twofa_`,
/// or the schema `twofa.`).
#[rustfmt::skip]
macro_rules! events_select {
    ($t:literal) => {
        concat!("SELECT ", $crate::store::events::event_columns!(), " FROM ", $t, "events WHERE")
    };
    ($t:literal, stored) => {
        concat!(
            "SELECT ", $crate::store::events::stored_event_columns!(), " FROM ", $t, "events WHERE"
        )
    };
}

/// Writes an event with its hash: `$values` are the seven parameters in the backend's marks.
#[rustfmt::skip]
macro_rules! log_insert {
    ($t:literal, $values:literal) => {
        concat!(
            "INSERT INTO ", $t, "events (", $crate::store::events::event_columns!(), ", hash) VALUES ",
            $values
        )
    };
}

pub(super) use {event_columns, events_select, log_insert, stored_event_columns};

/// The event statements of the backends that mark parameters `?N` (SQLite, MySQL), the same
/// text on both (`key` in backquotes, which SQLite reads as MySQL does).
macro_rules! marked_event_sql {
    ( $(,)?) => {
        $crate::store::sql::EventSql {
            events: $crate::store::events::events_select!("twofa_"),
            log: $crate::store::events::log_insert!("twofa_", "(?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
            event_rows: $crate::store::events::events_select!("twofa_", stored),
            events_before: concat!(
                "SELECT ",
                $crate::store::events::stored_event_columns!(),
                " FROM twofa_events WHERE id < coalesce(
                     (SELECT min(id) FROM twofa_events WHERE at >= ?1),
                     (SELECT max(id) + 1 FROM twofa_events)) ORDER BY id"
            ),
            last_event_id: "SELECT coalesce(max(id), 0) FROM twofa_events",
            event_count: "SELECT count(*) FROM twofa_events",
            event_counts: "SELECT action, count(*) FROM twofa_events GROUP BY action",
            prune_counts: "SELECT action, count(*) FROM twofa_events WHERE id <= ?1 GROUP BY action",
            prune_events: "DELETE FROM twofa_events WHERE id <= ?1",
            pruned_counts: "SELECT `key`, value FROM twofa_meta WHERE substr(`key`, 1, 14) = 'events_pruned.'",
            unhashed_events: concat!(
                "SELECT ",
                $crate::store::events::stored_event_columns!(),
                " FROM twofa_events WHERE id > ?1 AND hash IS NULL ORDER BY id LIMIT ?2"
            ),
            set_event_hash: "UPDATE twofa_events SET hash = ?2 WHERE id = ?1",
        }
    };
}
pub(super) use marked_event_sql;

/// `twofa_meta` keys of the counts of pruned events, one per action.
pub(super) const PRUNED_PREFIX: &str = "events_pruned.";

/// Which events `log` reads.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub email: Option<String>,
    pub since: Option<Timestamp>,
    pub limit: Option<u64>,
    pub org: Option<String>,
    /// Only these actions (exact names: `actions::matching` expands a family and old
    /// names); empty: every action.
    pub actions: Vec<String>,
    pub actor: Option<String>,
    /// Only events before this time.
    pub until: Option<Timestamp>,
}

/// An event as stored: its row id and chain hash (`None` for a row written outside twofa).
#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub id: i64,
    pub event: Event,
    pub hash: Option<String>,
}

/// The event log, as [`super::Store`] reads it.
pub trait EventStore {
    /// Streams events, newest first.
    fn events(
        &mut self,
        filter: &EventFilter,
        each: &mut dyn FnMut(Event) -> Result<()>,
    ) -> Result<()>;
    /// Streams the events after row `after_id` that match, oldest first (`log --follow`);
    /// `filter.limit` keeps the newest that many.
    fn events_after(
        &mut self,
        filter: &EventFilter,
        after_id: i64,
        each: &mut dyn FnMut(StoredEvent) -> Result<()>,
    ) -> Result<()>;
    /// The row id of the newest event (0 when the log is empty).
    fn last_event_id(&mut self) -> Result<i64>;
    /// How many events the log holds, and the newest of them, from one snapshot (`log
    /// head`).
    fn log_head(&mut self) -> Result<(u64, Option<StoredEvent>)>;
    /// How many events the log has had per action, pruned ones included.
    fn event_counts(&mut self) -> Result<Vec<(String, u64)>>;
}

/// The event log, as a [`super::Tx`] writes and reads it.
pub trait EventTx {
    /// Writes an event-log row in this transaction, chained to the one before (chain.rs).
    fn log(&mut self, event: Event) -> Result<()>;
    /// Streams events, newest first, as this transaction sees them (see
    /// [`EventStore::events`]): what an account did recently, decided under the write lock.
    fn events(
        &mut self,
        filter: &EventFilter,
        each: &mut dyn FnMut(Event) -> Result<()>,
    ) -> Result<()>;
}

/// [`event_columns`].
fn event(r: &dyn Columns) -> Result<Event> {
    Ok(Event {
        at: need(r.int(0)?, 0)?,
        actor: need(r.text(1)?, 1)?,
        action: need(r.text(2)?, 2)?,
        email: r.text(3)?,
        org: r.text(4)?,
        detail: r.text(5)?,
    })
}

/// [`stored_event_columns`].
pub(super) fn stored_event(r: &dyn Columns) -> Result<StoredEvent> {
    Ok(StoredEvent {
        event: event(r)?,
        id: need(r.int(6)?, 6)?,
        hash: r.text(7)?,
    })
}

/// A key and a text value (of `twofa_meta`).
pub(super) fn pair(r: &dyn Columns) -> Result<(String, String)> {
    Ok((need(r.text(0)?, 0)?, need(r.text(1)?, 1)?))
}

/// An action and its count.
pub(super) fn action_count(r: &dyn Columns) -> Result<(String, i64)> {
    Ok((need(r.text(0)?, 0)?, need(r.int(1)?, 1)?))
}

/// Which events, in which order, after which row.
pub(super) struct EventSelect<'f> {
    pub filter: &'f EventFilter,
    pub after_id: Option<i64>,
    pub oldest_first: bool,
}

/// The statement and parameters that read `log`'s events from `select` (a select that
/// ends in `WHERE`). Only the conditions in use are written: `(?1 IS NULL OR email = ?1)`
/// kept SQLite from the (email, id) index.
pub(super) fn events_sql<'f>(
    sql: &Sql,
    select: &str,
    s: &EventSelect<'f>,
) -> (String, Vec<Arg<'f>>) {
    let mut query = String::from(select);
    let mut args = Vec::new();
    query.push_str(" true");
    let cond = |query: &mut String, args: &mut Vec<Arg<'f>>, template: &str, arg: Arg<'f>| {
        args.push(arg);
        let m = format!("{}{}", sql.mark, args.len());
        query.push_str(" AND ");
        query.push_str(&template.replace('?', &m));
    };
    let f = s.filter;
    if let Some(email) = &f.email {
        cond(&mut query, &mut args, "email = ?", text(email));
    }
    if let Some(org) = &f.org {
        cond(&mut query, &mut args, "org = ?", text(org));
    }
    if !f.actions.is_empty() {
        let mut marks = Vec::with_capacity(f.actions.len());
        for action in &f.actions {
            args.push(text(action));
            marks.push(format!("{}{}", sql.mark, args.len()));
        }
        query.push_str(&format!(" AND action IN ({})", marks.join(", ")));
    }
    if let Some(actor) = &f.actor {
        cond(&mut query, &mut args, "actor = ?", text(actor));
    }
    if let Some(since) = f.since {
        cond(&mut query, &mut args, "at >= ?", int(since));
    }
    if let Some(until) = f.until {
        cond(&mut query, &mut args, "at < ?", int(until));
    }
    if let Some(after) = s.after_id {
        cond(&mut query, &mut args, "id > ?", int(after));
    }
    let limit = f.limit.map(|l| l.min(i64::MAX as u64) as i64);
    match (s.oldest_first, limit) {
        (false, None) => query.push_str(" ORDER BY id DESC"),
        (false, Some(l)) => {
            args.push(int(l));
            query.push_str(&format!(
                " ORDER BY id DESC LIMIT {}{}",
                sql.mark,
                args.len()
            ));
        }
        (true, None) => query.push_str(" ORDER BY id"),
        // The newest `l`, oldest first.
        (true, Some(l)) => {
            args.push(int(l));
            query = format!(
                "SELECT * FROM ({query} ORDER BY id DESC LIMIT {}{}) AS newest ORDER BY id",
                sql.mark,
                args.len()
            );
        }
    }
    (query, args)
}

/// Streams the events `filter` selects, newest first ([`EventStore::events`],
/// [`EventTx::events`]).
fn read_events(
    c: &mut (impl Conn + ?Sized),
    sql: &Sql,
    filter: &EventFilter,
    each: &mut dyn FnMut(Event) -> Result<()>,
) -> Result<()> {
    let select = EventSelect {
        filter,
        after_id: None,
        oldest_first: false,
    };
    let (query, args) = events_sql(sql, sql.events.events, &select);
    c.each("cannot read the event log", &query, &args, &mut |r| {
        each(event(r)?)
    })
}

/// The hash the next event chains to: the head, else the anchor, else genesis.
pub(super) fn chain_head(c: &mut (impl Conn + ?Sized), sql: &Sql) -> Result<String> {
    for key in [chain::HEAD, chain::ANCHOR] {
        if let Some(h) = read_meta(c, sql, key)? {
            return Ok(h);
        }
    }
    Ok(chain::GENESIS.to_string())
}

/// Live counts plus the recorded pruned ones, per action, sorted by action.
pub(super) fn merge_counts(
    live: Vec<(String, i64)>,
    pruned: Vec<(String, String)>,
) -> Vec<(String, u64)> {
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

const READ: &str = "cannot read the event log";

impl<B: Backend> EventStore for B {
    fn events(
        &mut self,
        filter: &EventFilter,
        each: &mut dyn FnMut(Event) -> Result<()>,
    ) -> Result<()> {
        read_events(self, B::SQL, filter, each)
    }

    fn events_after(
        &mut self,
        filter: &EventFilter,
        after_id: i64,
        each: &mut dyn FnMut(StoredEvent) -> Result<()>,
    ) -> Result<()> {
        let select = EventSelect {
            filter,
            after_id: Some(after_id),
            oldest_first: true,
        };
        let (sql, args) = events_sql(B::SQL, B::SQL.events.event_rows, &select);
        self.each(READ, &sql, &args, &mut |r| each(stored_event(r)?))
    }

    fn last_event_id(&mut self) -> Result<i64> {
        let sql = B::SQL.events.last_event_id;
        let id = first(self, READ, sql, &[], |r| need(r.int(0)?, 0))?;
        Ok(id.unwrap_or(0))
    }

    fn log_head(&mut self) -> Result<(u64, Option<StoredEvent>)> {
        // One snapshot: the count and the newest event agree.
        let mut tx = self.snapshot()?;
        let count = first(&mut tx, READ, B::SQL.events.event_count, &[], |r| {
            need(r.int(0)?, 0)
        })?;
        let newest_only = EventFilter {
            limit: Some(1),
            ..EventFilter::default()
        };
        let select = EventSelect {
            filter: &newest_only,
            after_id: None,
            oldest_first: false,
        };
        let (sql, args) = events_sql(B::SQL, B::SQL.events.event_rows, &select);
        let newest = first(&mut tx, READ, &sql, &args, stored_event)?;
        tx.commit()?;
        Ok((count.unwrap_or(0).max(0) as u64, newest))
    }

    fn event_counts(&mut self) -> Result<Vec<(String, u64)>> {
        const WHAT: &str = "cannot count the events";
        let live = all(self, WHAT, B::SQL.events.event_counts, &[], action_count)?;
        let pruned = all(self, WHAT, B::SQL.events.pruned_counts, &[], pair)?;
        Ok(merge_counts(live, pruned))
    }
}

impl<C: Conn + Commit> EventTx for CoreTx<C> {
    fn log(&mut self, e: Event) -> Result<()> {
        let prev = match self.chain_head.take() {
            Some(h) => h,
            None => chain_head(&mut self.conn, self.sql)?,
        };
        let hash = chain::link(&prev, &e);
        let args = [
            int(e.at),
            text(&e.actor),
            text(&e.action),
            Arg::Text(e.email.as_deref()),
            Arg::Text(e.org.as_deref()),
            Arg::Text(e.detail.as_deref()),
            text(&hash),
        ];
        let sql = self.sql.events.log;
        self.conn.exec("cannot write the event log", sql, &args)?;
        self.chain_head = Some(hash);
        if self.keep_events {
            self.events.push(e);
        }
        Ok(())
    }

    fn events(
        &mut self,
        filter: &EventFilter,
        each: &mut dyn FnMut(Event) -> Result<()>,
    ) -> Result<()> {
        read_events(&mut self.conn, self.sql, filter, each)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_conditions_in_use_are_written() {
        let mut sql = crate::store::postgres::SQL;
        sql.events.events = "SELECT at FROM events WHERE";
        let filter = EventFilter {
            since: Some(5),
            limit: Some(3),
            ..Default::default()
        };
        let select = EventSelect {
            filter: &filter,
            after_id: None,
            oldest_first: false,
        };
        let (query, args) = events_sql(&sql, sql.events.events, &select);
        assert_eq!(
            query,
            "SELECT at FROM events WHERE true AND at >= $1 ORDER BY id DESC LIMIT $2"
        );
        assert_eq!(args.len(), 2);
        let filter = EventFilter {
            actions: vec!["reset".into(), "unlock".into()],
            actor: Some("carol".into()),
            until: Some(9),
            limit: Some(2),
            ..Default::default()
        };
        let select = EventSelect {
            filter: &filter,
            after_id: Some(7),
            oldest_first: true,
        };
        let (query, args) = events_sql(&sql, sql.events.events, &select);
        assert_eq!(
            query,
            "SELECT * FROM (SELECT at FROM events WHERE true \
             AND action IN ($1, $2) \
             AND actor = $3 AND at < $4 AND id > $5 ORDER BY id DESC LIMIT $6) AS newest ORDER BY id"
        );
        assert_eq!(args.len(), 6);
    }
}
