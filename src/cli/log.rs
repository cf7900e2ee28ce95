//! The arguments of `log`: reading, following, verifying and pruning the event log.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::whole;

#[derive(Debug, Args)]
pub struct LogArgs {
    #[command(subcommand)]
    pub command: Option<LogCommand>,
    /// Only events of this account
    #[arg(long, value_name = "EMAIL")]
    pub user: Option<String>,
    /// Only events at or after this time (RFC 3339 or a date, UTC midnight)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// At most N events (the newest)
    #[arg(long, value_name = "N", allow_negative_numbers = true,
          value_parser = whole::<u64>(0, u64::MAX, "events"))]
    pub limit: Option<u64>,
    /// Only events of accounts in this organisation
    #[arg(long, value_name = "ORG")]
    pub org: Option<String>,
    /// Only this action, or this family of actions ('verify' includes 'verify.rejected'); see EVENTS in twofa(1)
    #[arg(long, value_name = "ACTION")]
    pub action: Option<String>,
    /// Only events by this actor: `--actor NAME` given on the command line (the global
    /// option; TWOFA_ACTOR does not filter). Set by [`Cli::try_parse_args`].
    #[arg(skip)]
    pub actor: Option<String>,
    /// Only events before this time (RFC 3339 or a date, UTC midnight)
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Keep printing events as they are committed, oldest first, until interrupted
    #[arg(long, short = 'f')]
    pub follow: bool,
}

#[derive(Debug, Subcommand)]
pub enum LogCommand {
    /// Check the event log's hash chain (exit 6 naming the first bad event)
    #[command(
        long_about = "Recompute every event's SHA-256 hash over its content and the hash of the \
event before it, from the chain's anchor to its newest event. Exit 0 when the chain is \
intact; exit 6 naming the first event that was changed, removed or inserted (an event that \
was removed is noticed at the one after it; removed newest events, at the end).\n\n\
Someone who can write the database can remove the newest events and move the recorded head \
back with them: only a head kept elsewhere shows that. With --head HASH (the hash an earlier \
'twofa log head' printed) it also exits 6 unless the chain still holds that event, unbroken \
up to today's head.",
        after_help = "Examples:\n  twofa log verify\n  twofa log verify --format json\n  \
twofa log verify --head 3f1c…e9   # the hash from an earlier 'twofa log head'"
    )]
    Verify(LogVerifyArgs),
    /// The newest event's hash, id and time, to copy elsewhere
    #[command(
        long_about = "The newest event of the log: how many events the log holds, and the \
newest one's id, hash and time. Copy it off the machine (syslog, a ticket, another host) \
from time to time: 'twofa log verify --head HASH' later proves that the chain still holds \
that event, which nobody who can only write the database can fake.",
        after_help = "Examples:\n  twofa log head\n  \
twofa log head --format ndjson | logger -t twofa-head   # hourly, from cron"
    )]
    Head,
    /// Delete events older than TIME, after archiving them
    #[command(
        long_about = "Delete the events before TIME, oldest first (up to the first event at or \
after TIME, so that the chain stays one piece), in one transaction. With --archive they are \
first written to FILE (ndjson: the log rows with their id and hash; a new file, mode 0600) \
and synced to disk. The last pruned event's hash becomes the chain's anchor, so 'log verify' \
still passes; a 'log.prune' event records the prune. The whole chain is verified first: \
over a broken one nothing is pruned (exit 6 naming the first bad event), so that a prune \
never hides an edited event. Destructive: asks on a terminal, and \
needs --yes without one.",
        after_help = "Examples:\n  twofa log prune --before 2026-01-01 --archive events-2025.ndjson\n  \
twofa log prune --before 2025-07-01T00:00:00Z --yes"
    )]
    Prune(LogPruneArgs),
}

#[derive(Debug, Args)]
pub struct LogVerifyArgs {
    /// Also require the event with this hash (from an earlier 'log head') in the chain
    #[arg(long, value_name = "HASH")]
    pub head: Option<String>,
}

#[derive(Debug, Args)]
pub struct LogPruneArgs {
    /// Delete the events before this time (RFC 3339 or a date, UTC midnight)
    #[arg(long, value_name = "TIME")]
    pub before: String,
    /// Write the events to this new file (ndjson) and sync it before deleting them
    #[arg(long, value_name = "FILE")]
    pub archive: Option<PathBuf>,
}
