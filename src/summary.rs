//! Compliance figures for `metrics` and `report`, gathered in one pass over the audit's
//! status rows: counts per organisation (as many entries as organisations, however many
//! accounts) and a few lists capped at [`Summary::cap`] rows. Every decision (state,
//! required, compliant, deadline, locked) is the status row's, made by policy.rs; this only
//! counts. Pure: `now` is given.

use std::collections::{BTreeMap, BinaryHeap};

use crate::clock::Timestamp;
use crate::model::StatusRow;
use crate::policy::{DAY, State};

/// At most this many recovery codes left counts as few.
pub const LOW_RECOVERY_CODES: u32 = 2;
/// Deadlines this close count as upcoming.
pub const UPCOMING_DAYS: i64 = 7;
/// Rows kept per list in a report.
pub const DEFAULT_CAP: usize = 1000;

/// Counts for one organisation (or for accounts without one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgCounts {
    pub accounts: u64,
    pub enabled: u64,
    pub pending: u64,
    pub disabled: u64,
    /// Accounts their organisation requires 2FA of (and that are not exempt).
    pub required: u64,
    /// Of those, compliant ones.
    pub required_compliant: u64,
    pub non_compliant: u64,
    pub locked: u64,
    pub exempt: u64,
    /// Enabled accounts with at most [`LOW_RECOVERY_CODES`] recovery codes left.
    pub recovery_low: u64,
    /// Required accounts without 2FA whose deadline is ahead and within [`UPCOMING_DAYS`].
    pub deadlines_within_7d: u64,
    /// Enabled TOTP devices, all accounts' together.
    pub devices: u64,
    /// Accounts with a backup device: two enabled devices or more.
    pub backup_device: u64,
}

impl OrgCounts {
    pub fn by_state(&self, state: State) -> u64 {
        match state {
            State::Enabled => self.enabled,
            State::Pending => self.pending,
            State::Disabled => self.disabled,
        }
    }

    fn add(&mut self, row: &StatusRow, flags: &Flags) {
        self.accounts += 1;
        match row.state {
            State::Enabled => self.enabled += 1,
            State::Pending => self.pending += 1,
            State::Disabled => self.disabled += 1,
        }
        if row.required {
            self.required += 1;
            self.required_compliant += u64::from(row.compliant);
        }
        self.non_compliant += u64::from(!row.compliant);
        self.locked += u64::from(row.locked);
        self.exempt += u64::from(flags.exempt);
        self.recovery_low += u64::from(flags.recovery_low);
        self.deadlines_within_7d += u64::from(flags.upcoming);
        self.devices += u64::from(row.devices);
        self.backup_device += u64::from(row.devices >= 2);
    }
}

/// What one row contributes beyond its own fields.
struct Flags {
    exempt: bool,
    recovery_low: bool,
    upcoming: bool,
}

fn flags(row: &StatusRow, now: Timestamp) -> Flags {
    Flags {
        exempt: exempt(row, now),
        recovery_low: row.state == State::Enabled && row.recovery_codes_left <= LOW_RECOVERY_CODES,
        upcoming: upcoming(row, now),
    }
}

/// Whether the account is exempt from its organisation's requirement at `now`.
pub fn exempt(row: &StatusRow, now: Timestamp) -> bool {
    crate::policy::exempt(row.exempt_until, now)
}

/// Whether the account must still enroll and its deadline is within the next 7 days.
pub fn upcoming(row: &StatusRow, now: Timestamp) -> bool {
    row.required
        && row.state != State::Enabled
        && row
            .deadline
            .is_some_and(|d| d > now && d <= now.saturating_add(UPCOMING_DAYS * DAY))
}

/// A capped list: the first `cap` rows pushed (the stream is ordered by email), and how
/// many there were in all.
#[derive(Debug, Clone, Default)]
pub struct Capped {
    pub rows: Vec<StatusRow>,
    pub total: u64,
}

impl Capped {
    fn push(&mut self, row: &StatusRow, cap: usize) {
        self.total += 1;
        if self.rows.len() < cap {
            self.rows.push(row.clone());
        }
    }

    /// How many rows were left out.
    pub fn more(&self) -> u64 {
        self.total - self.rows.len() as u64
    }
}

/// Everything `metrics` and `report` show.
#[derive(Debug, Clone)]
pub struct Summary {
    pub now: Timestamp,
    pub cap: usize,
    /// Per organisation slug; `""` for accounts without one.
    pub orgs: BTreeMap<String, OrgCounts>,
    /// Over every organisation.
    total: OrgCounts,
    pub non_compliant: Capped,
    pub locked: Capped,
    pub recovery_low: Capped,
    /// Required accounts without 2FA whose deadline is still ahead, soonest first.
    upcoming: BinaryHeap<(Timestamp, String, UpcomingRow)>,
    pub upcoming_total: u64,
    /// Requests waiting for approval, per organisation slug (`""` for those without one).
    pub pending_requests: BTreeMap<String, u64>,
}

/// A row in the upcoming-deadline heap: ordered by (deadline, email), carrying the row.
#[derive(Debug, Clone)]
struct UpcomingRow(StatusRow);

impl PartialEq for UpcomingRow {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for UpcomingRow {}
impl PartialOrd for UpcomingRow {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for UpcomingRow {
    fn cmp(&self, _: &Self) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

impl Summary {
    /// An empty summary; `orgs` are the organisations to show even without accounts.
    pub fn new(now: Timestamp, cap: usize, orgs: impl IntoIterator<Item = String>) -> Self {
        Summary {
            now,
            cap,
            orgs: orgs
                .into_iter()
                .map(|o| (o, OrgCounts::default()))
                .collect(),
            total: OrgCounts::default(),
            non_compliant: Capped::default(),
            locked: Capped::default(),
            recovery_low: Capped::default(),
            upcoming: BinaryHeap::new(),
            upcoming_total: 0,
            pending_requests: BTreeMap::new(),
        }
    }

    /// Counts one status row.
    pub fn add(&mut self, row: &StatusRow) {
        let f = flags(row, self.now);
        let org = row.org.as_deref().unwrap_or("");
        self.total.add(row, &f);
        match self.orgs.get_mut(org) {
            Some(c) => c.add(row, &f),
            None => {
                let mut c = OrgCounts::default();
                c.add(row, &f);
                self.orgs.insert(org.to_string(), c);
            }
        }
        if self.cap == 0 {
            return;
        }
        if !row.compliant {
            self.non_compliant.push(row, self.cap);
        }
        if row.locked {
            self.locked.push(row, self.cap);
        }
        if f.recovery_low {
            self.recovery_low.push(row, self.cap);
        }
        if row.required
            && row.state != State::Enabled
            && let Some(deadline) = row.deadline.filter(|d| *d > self.now)
        {
            self.upcoming_total += 1;
            // A max-heap on (deadline, email): dropping its top keeps the `cap` soonest.
            self.upcoming
                .push((deadline, row.email.clone(), UpcomingRow(row.clone())));
            if self.upcoming.len() > self.cap {
                self.upcoming.pop();
            }
        }
    }

    /// The kept upcoming deadlines, soonest first.
    pub fn upcoming(&self) -> Vec<&StatusRow> {
        let mut rows: Vec<&StatusRow> = self.upcoming.iter().map(|(_, _, r)| &r.0).collect();
        rows.sort_by(|a, b| (a.deadline, &a.email).cmp(&(b.deadline, &b.email)));
        rows
    }

    /// Totals over every organisation.
    pub fn total(&self) -> &OrgCounts {
        &self.total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = 1_800_000_000;

    fn row(email: &str, org: Option<&str>, state: State) -> StatusRow {
        StatusRow {
            recovery_codes_left: if state == State::Enabled { 10 } else { 0 },
            ..StatusRow::bare(email, org, state)
        }
    }

    fn required(mut r: StatusRow, deadline: Timestamp) -> StatusRow {
        r.required = true;
        r.deadline = Some(deadline);
        r.compliant = r.state == State::Enabled || NOW < deadline;
        r
    }

    #[test]
    fn counts_per_org_and_state() {
        let mut s = Summary::new(NOW, 10, ["empty".to_string()]);
        for i in 0..2 {
            s.add(&row(&format!("e{i}@a.io"), Some("acme"), State::Enabled));
        }
        for i in 0..10 {
            s.add(&row(&format!("d{i}@a.io"), Some("acme"), State::Disabled));
        }
        s.add(&row("p@b.io", None, State::Pending));
        let acme = &s.orgs["acme"];
        assert_eq!(
            (acme.accounts, acme.enabled, acme.disabled, acme.pending),
            (12, 2, 10, 0)
        );
        assert_eq!(s.orgs[""].pending, 1);
        assert_eq!(s.orgs["empty"], OrgCounts::default());
        assert_eq!(s.total().accounts, 13);
    }

    #[test]
    fn non_compliant_locked_and_low_codes() {
        let mut s = Summary::new(NOW, 10, []);
        s.add(&required(
            row("late@a.io", Some("acme"), State::Disabled),
            NOW - 1,
        ));
        s.add(&required(
            row("due@a.io", Some("acme"), State::Pending),
            NOW + 3 * DAY,
        ));
        s.add(&required(
            row("later@a.io", Some("acme"), State::Disabled),
            NOW + 8 * DAY,
        ));
        s.add(&required(
            row("ok@a.io", Some("acme"), State::Enabled),
            NOW - DAY,
        ));
        let mut low = row("low@a.io", Some("acme"), State::Enabled);
        low.recovery_codes_left = 2;
        low.locked = true;
        s.add(&low);
        let mut three = row("three@a.io", Some("acme"), State::Enabled);
        three.recovery_codes_left = 3;
        s.add(&three);
        let c = &s.orgs["acme"];
        assert_eq!(c.required, 4);
        assert_eq!(c.required_compliant, 3);
        assert_eq!(c.non_compliant, 1);
        assert_eq!(c.deadlines_within_7d, 1);
        assert_eq!(c.recovery_low, 1);
        assert_eq!(c.locked, 1);
        assert_eq!(s.non_compliant.rows[0].email, "late@a.io");
        assert_eq!(s.recovery_low.rows[0].email, "low@a.io");
        let up: Vec<&str> = s.upcoming().iter().map(|r| r.email.as_str()).collect();
        assert_eq!(up, ["due@a.io", "later@a.io"]);
    }

    #[test]
    fn an_exemption_counts_while_it_is_in_force() {
        let mut r = row("x@a.io", Some("acme"), State::Disabled);
        r.exempt_until = Some(NOW + 1);
        assert!(exempt(&r, NOW));
        assert!(!exempt(&r, NOW + 1), "it has ended");
        r.exempt_until = None;
        assert!(!exempt(&r, NOW));
    }

    #[test]
    fn a_deadline_exactly_seven_days_ahead_is_upcoming_and_now_is_not() {
        let r = required(row("x@a.io", None, State::Disabled), NOW + 7 * DAY);
        assert!(upcoming(&r, NOW));
        assert!(!upcoming(&r, NOW - 1));
        assert!(!upcoming(
            &required(row("y@a.io", None, State::Disabled), NOW),
            NOW
        ));
    }

    #[test]
    fn lists_are_capped_with_their_totals() {
        let mut s = Summary::new(NOW, 3, []);
        for i in 0..10 {
            s.add(&required(
                row(&format!("u{i}@a.io"), None, State::Disabled),
                NOW - 1,
            ));
            s.add(&required(
                row(&format!("v{i}@a.io"), None, State::Disabled),
                NOW + (10 - i) * DAY,
            ));
        }
        assert_eq!(s.non_compliant.rows.len(), 3);
        assert_eq!(s.non_compliant.total, 10);
        assert_eq!(s.non_compliant.more(), 7);
        assert_eq!(s.upcoming_total, 10);
        let up: Vec<&str> = s.upcoming().iter().map(|r| r.email.as_str()).collect();
        assert_eq!(up, ["v9@a.io", "v8@a.io", "v7@a.io"], "the soonest three");
    }

    #[test]
    fn equal_deadlines_keep_the_first_emails() {
        let mut s = Summary::new(NOW, 2, []);
        for e in ["d@a.io", "b@a.io", "c@a.io", "a@a.io", "ab@a.io"] {
            s.add(&required(row(e, None, State::Disabled), NOW + DAY));
        }
        let up: Vec<&str> = s.upcoming().iter().map(|r| r.email.as_str()).collect();
        assert_eq!(up, ["a@a.io", "ab@a.io"]);
    }
}
