//! The event log's hash chain: each event's hash is SHA-256 over a fixed serialisation of
//! its content and the previous event's hash, so an event that is changed, removed or
//! inserted breaks every hash after it. Pure functions; the stores call [`link`] in the
//! transaction that writes the event, and `log verify` walks the chain with [`Verifier`].
//!
//! The chain starts at an anchor: [`GENESIS`] for a log that was never pruned, else the
//! hash of the last pruned event (kept in `twofa_meta`). The hash of the newest event is
//! kept there too (the head), so removing the newest events is noticed as well.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::model::Event;

/// `twofa_meta` row: the hash the first stored event chains to (set by `log prune`).
pub const ANCHOR: &str = "event_chain_anchor";
/// `twofa_meta` row: the hash of the newest event.
pub const HEAD: &str = "event_chain_head";

/// The anchor of a log that was never pruned.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Version of the canonical serialisation; part of what is hashed.
const CANONICAL_VERSION: u32 = 1;

/// What is hashed: the event's fields in a fixed order (serde_json keeps struct order),
/// the time as unix seconds, absent values as null, and the previous hash.
#[derive(Serialize)]
struct Canonical<'a> {
    v: u32,
    prev: &'a str,
    at: i64,
    actor: &'a str,
    action: &'a str,
    email: Option<&'a str>,
    org: Option<&'a str>,
    detail: Option<&'a str>,
}

/// The hash (64 lower-case hex digits) of `event` following `prev`.
pub fn link(prev: &str, event: &Event) -> String {
    let canonical = Canonical {
        v: CANONICAL_VERSION,
        prev,
        at: event.at,
        actor: &event.actor,
        action: &event.action,
        email: event.email.as_deref(),
        org: event.org.as_deref(),
        detail: event.detail.as_deref(),
    };
    // Serialising plain strings and integers into memory cannot fail.
    let bytes = serde_json::to_vec(&canonical).expect("serialise an event");
    let digest = Sha256::digest(&bytes);
    let mut hex = String::with_capacity(64);
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

/// Why an event fails the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Break {
    /// Its stored hash is not that of its content after the event before it: it was
    /// changed, inserted, or an event before it was removed.
    Mismatch,
    /// It has no hash at all (written outside twofa).
    Unhashed,
}

/// What verifying found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every event chains to the anchor and the head is among them.
    Intact,
    /// The first event that breaks the chain, by position in the stream (0-based).
    Broken { index: u64, why: Break },
    /// Every stored event chains, but the newest recorded events are gone.
    TailRemoved,
    /// Every stored event chains up to the head, but the event whose hash was copied
    /// elsewhere ([`Verifier::expecting`]) is not among them: the events from it on were
    /// removed and the head moved back, or it was pruned.
    Missing,
}

/// Walks events oldest first and finds the first one that breaks the chain.
///
/// `head` is read before the events: a writer that commits meanwhile only adds events
/// after it, so the head must be met somewhere in the chain, not necessarily at its end.
#[derive(Debug)]
pub struct Verifier {
    prev: String,
    head: Option<String>,
    head_seen: bool,
    /// A hash that must be in the chain (`log verify --head`), and whether it was met.
    expected: Option<(String, bool)>,
    count: u64,
    broken: Option<(u64, Break)>,
}

impl Verifier {
    pub fn new(anchor: Option<&str>, head: Option<&str>) -> Self {
        let prev = anchor.unwrap_or(GENESIS).to_string();
        let head_seen = head.is_none_or(|h| h == prev);
        Verifier {
            prev,
            head: head.map(str::to_string),
            head_seen,
            expected: None,
            count: 0,
            broken: None,
        }
    }

    /// Also requires the event whose hash is `hash` (a head copied elsewhere earlier) to be
    /// in the chain: an event read, or the anchor (the last event pruned).
    pub fn expecting(mut self, hash: &str) -> Self {
        let seen = self.prev == hash;
        self.expected = Some((hash.to_string(), seen));
        self
    }

    /// Feeds the next event and its stored hash; false once the chain is broken (the rest
    /// need not be read).
    pub fn push(&mut self, event: &Event, stored: Option<&str>) -> bool {
        if self.broken.is_some() {
            return false;
        }
        let index = self.count;
        self.count += 1;
        let Some(stored) = stored else {
            self.broken = Some((index, Break::Unhashed));
            return false;
        };
        if link(&self.prev, event) != stored {
            self.broken = Some((index, Break::Mismatch));
            return false;
        }
        self.prev.clear();
        self.prev.push_str(stored);
        if self.head.as_deref() == Some(stored) {
            self.head_seen = true;
        }
        if let Some((hash, seen)) = &mut self.expected
            && hash == stored
        {
            *seen = true;
        }
        true
    }

    /// How many events were read.
    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn verdict(&self) -> Verdict {
        match self.broken {
            Some((index, why)) => Verdict::Broken { index, why },
            None if !self.head_seen => Verdict::TailRemoved,
            None if self.expected.as_ref().is_some_and(|(_, seen)| !seen) => Verdict::Missing,
            None => Verdict::Intact,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(i: i64) -> Event {
        let mut e = Event::new(1_800_000_000 + i, "carol", "reset");
        e.email = Some(format!("u{i}@example.com"));
        e.detail = Some("lost phone".into());
        e
    }

    fn chain(events: &[Event]) -> Vec<String> {
        let mut prev = GENESIS.to_string();
        events
            .iter()
            .map(|e| {
                prev = link(&prev, e);
                prev.clone()
            })
            .collect()
    }

    fn verify(events: &[Event], hashes: &[String], head: Option<&str>) -> Verdict {
        let mut v = Verifier::new(None, head);
        for (e, h) in events.iter().zip(hashes) {
            v.push(e, Some(h));
        }
        v.verdict()
    }

    #[test]
    fn the_hash_is_sha256_of_the_canonical_form() {
        // The canonical form written out by hand, hashed.
        let e = Event::new(1_800_000_000, "carol", "reset");
        let text = format!(
            r#"{{"v":1,"prev":"{GENESIS}","at":1800000000,"actor":"carol","action":"reset","email":null,"org":null,"detail":null}}"#
        );
        let expected: String = Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(link(GENESIS, &e), expected);
        // The same, from sha256sum.
        assert_eq!(
            expected,
            "eeac3d399e8b8e672ad40c2649cfc48c025c0a7de4f96d007aa5a1b9ccee1d3d"
        );
    }

    #[test]
    fn every_field_and_the_previous_hash_count() {
        let base = event(1);
        let h = link(GENESIS, &base);
        let mut changed = vec![];
        for f in 0..6 {
            let mut e = base.clone();
            match f {
                0 => e.at += 1,
                1 => e.actor.push('x'),
                2 => e.action.push('x'),
                3 => e.email = None,
                4 => e.org = Some(String::new()),
                _ => e.detail = Some("lost phone ".into()),
            }
            changed.push(link(GENESIS, &e));
        }
        changed.push(link(&"1".repeat(64), &base));
        assert!(changed.iter().all(|c| *c != h && c.len() == 64));
        // None and "" differ: absent is not empty.
        let mut a = base.clone();
        a.org = None;
        let mut b = base.clone();
        b.org = Some(String::new());
        assert_ne!(link(GENESIS, &a), link(GENESIS, &b));
    }

    #[test]
    fn an_intact_chain_verifies() {
        let events: Vec<Event> = (0..5).map(event).collect();
        let hashes = chain(&events);
        assert_eq!(
            verify(&events, &hashes, hashes.last().map(|s| s.as_str())),
            Verdict::Intact
        );
        assert_eq!(verify(&[], &[], None), Verdict::Intact);
    }

    #[test]
    fn an_edited_event_is_the_first_bad_one() {
        let mut events: Vec<Event> = (0..5).map(event).collect();
        let hashes = chain(&events);
        events[2].detail = Some("edited".into());
        assert_eq!(
            verify(&events, &hashes, hashes.last().map(|s| s.as_str())),
            Verdict::Broken {
                index: 2,
                why: Break::Mismatch
            }
        );
    }

    #[test]
    fn a_removed_event_breaks_the_next_one() {
        let mut events: Vec<Event> = (0..5).map(event).collect();
        let mut hashes = chain(&events);
        events.remove(1);
        hashes.remove(1);
        assert_eq!(
            verify(&events, &hashes, hashes.last().map(|s| s.as_str())),
            Verdict::Broken {
                index: 1,
                why: Break::Mismatch
            }
        );
    }

    #[test]
    fn an_inserted_event_is_named() {
        let mut events: Vec<Event> = (0..5).map(event).collect();
        let mut hashes = chain(&events);
        events.insert(3, event(99));
        hashes.insert(3, link(&hashes[2], &event(99)).replace('a', "b"));
        assert_eq!(
            verify(&events, &hashes, None),
            Verdict::Broken {
                index: 3,
                why: Break::Mismatch
            }
        );
    }

    #[test]
    fn swapped_events_break_the_chain() {
        let mut events: Vec<Event> = (0..5).map(event).collect();
        let mut hashes = chain(&events);
        events.swap(1, 2);
        hashes.swap(1, 2);
        assert_eq!(
            verify(&events, &hashes, None),
            Verdict::Broken {
                index: 1,
                why: Break::Mismatch
            }
        );
    }

    #[test]
    fn removing_the_newest_events_is_noticed_by_the_head() {
        let events: Vec<Event> = (0..5).map(event).collect();
        let hashes = chain(&events);
        let head = hashes[4].clone();
        assert_eq!(
            verify(&events[..3], &hashes[..3], Some(&head)),
            Verdict::TailRemoved
        );
        // Events committed after the head was read are fine.
        assert_eq!(verify(&events, &hashes, Some(&hashes[2])), Verdict::Intact);
    }

    #[test]
    fn a_head_copied_elsewhere_must_still_be_in_the_chain() {
        let events: Vec<Event> = (0..5).map(event).collect();
        let hashes = chain(&events);
        let walk = |n: usize, head: &str, expected: &str| {
            let mut v = Verifier::new(None, Some(head)).expecting(expected);
            for (e, h) in events[..n].iter().zip(&hashes) {
                v.push(e, Some(h));
            }
            v.verdict()
        };
        // The copied head, and later events after it.
        assert_eq!(walk(5, &hashes[4], &hashes[2]), Verdict::Intact);
        assert_eq!(walk(5, &hashes[4], &hashes[4]), Verdict::Intact);
        // The newest two removed and the stored head moved back: only the copy knows.
        assert_eq!(walk(3, &hashes[2], &hashes[4]), Verdict::Missing);
        assert_eq!(walk(3, &hashes[2], &"0".repeat(63)), Verdict::Missing);
        // A broken chain is named first.
        let mut v = Verifier::new(None, Some(&hashes[4])).expecting(&hashes[4]);
        v.push(&events[1], Some(&hashes[1]));
        assert!(matches!(v.verdict(), Verdict::Broken { index: 0, .. }));
        // The anchor (the last pruned event) is in the chain.
        let v = Verifier::new(Some(&hashes[4]), Some(&hashes[4])).expecting(&hashes[4]);
        assert_eq!(v.verdict(), Verdict::Intact);
    }

    #[test]
    fn a_pruned_log_chains_to_its_anchor() {
        let events: Vec<Event> = (0..5).map(event).collect();
        let hashes = chain(&events);
        let mut v = Verifier::new(Some(&hashes[1]), Some(&hashes[4]));
        for (e, h) in events[2..].iter().zip(&hashes[2..]) {
            assert!(v.push(e, Some(h)));
        }
        assert_eq!(v.verdict(), Verdict::Intact);
        assert_eq!(v.count(), 3);
        // Everything pruned: the head is the anchor.
        assert_eq!(
            Verifier::new(Some(&hashes[4]), Some(&hashes[4])).verdict(),
            Verdict::Intact
        );
        // Without its anchor, the rest does not verify.
        let mut v = Verifier::new(None, None);
        v.push(&events[2], Some(&hashes[2]));
        assert_eq!(
            v.verdict(),
            Verdict::Broken {
                index: 0,
                why: Break::Mismatch
            }
        );
    }

    #[test]
    fn an_unhashed_event_is_named() {
        let mut v = Verifier::new(None, None);
        assert!(!v.push(&event(0), None));
        assert_eq!(
            v.verdict(),
            Verdict::Broken {
                index: 0,
                why: Break::Unhashed
            }
        );
    }
}
