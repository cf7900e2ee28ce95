//! The schema: what opening a database may do to it ([`OpenMode`]), each backend's
//! numbered migrations ([`migrations!`], from `migrations/<backend>/`), and the one
//! driver that brings a database to the last of them ([`migrate`]) or, for a command that
//! only reads, checks that it is there ([`check_current`]).

use anyhow::Result;

use super::accounts::backfill_skeletons;
use super::conn::{Commit, Conn, text};
use super::event_chain::backfill_chain;
use super::sql::Sql;
use crate::exit::database;

/// How to treat a database that is missing or has no twofa tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// It must exist and hold twofa's tables.
    Existing,
    /// It must exist and hold twofa's tables at this twofa's schema version; nothing is
    /// written (no migration, no key recorded): for the commands that only read.
    ReadOnly,
    /// Create the file if it is missing: only `enroll --create` where no database was
    /// named (the README's first run); every other command but `init` needs one.
    Create,
    /// Create the file if missing, and add twofa's tables to an existing file.
    Init,
}

impl OpenMode {
    /// Whether a database that is missing, or has no twofa tables, is an error.
    pub fn must_exist(self) -> bool {
        matches!(self, OpenMode::Existing | OpenMode::ReadOnly)
    }
}

/// What opening did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opened {
    /// The database file was created.
    pub created: bool,
    /// twofa's tables were added to a database that did not have them.
    pub initialised: bool,
}

/// A backend's migrations, in the order they run: schema version N is the N-th of `list`.
pub(super) struct Migrations {
    pub list: &'static [&'static str],
    /// The migration that adds the event chain: the events before it are hashed after it
    /// runs.
    pub chain: &'static str,
    /// The migration that adds the accounts' skeletons: computed for the accounts before
    /// it, after it runs.
    pub skeleton: &'static str,
}

/// Defines a backend's `MIGRATIONS` ([`Migrations`]) from `migrations/$dir/`.
///
/// Append-only: schema version N is the N-th entry. Never change or reorder an entry.
#[rustfmt::skip]
macro_rules! migrations {
    ($dir:literal) => {
        const MIGRATIONS: $crate::store::migrate::Migrations = $crate::store::migrate::Migrations {
            list: &[
                include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/", $dir, "/001_initial.sql")),
                include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/", $dir, "/004_external_id.sql")),
                include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/", $dir, "/005_exemptions_reminders.sql")),
                include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/", $dir, "/006_event_chain.sql")),
                include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/", $dir, "/002_replacement.sql")),
                include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/", $dir, "/003_support.sql")),
                include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/", $dir, "/007_account_facts.sql")),
                include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/", $dir, "/008_hardening.sql")),
                include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/", $dir, "/009_devices.sql")),
                include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/", $dir, "/010_four_eyes.sql")),
            ],
            chain: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/", $dir, "/006_event_chain.sql")),
            skeleton: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/", $dir, "/008_hardening.sql")),
        };
    };
}
pub(super) use migrations;

/// A backend's side of [`migrate`]: where it keeps the schema version, and how it locks.
pub(super) trait Schema {
    /// A transaction that holds the backend's migration lock until it ends.
    type Tx<'t>: SchemaTx
    where
        Self: 't;
    /// The recorded schema version, read without a lock; `None` without twofa tables.
    fn version(&mut self) -> Result<Option<i64>>;
    fn begin(&mut self) -> Result<Self::Tx<'_>>;
}

/// One migration's transaction.
pub(super) trait SchemaTx: Conn + Commit {
    /// The recorded schema version under the lock; `None` without twofa tables.
    fn version(&mut self) -> Result<Option<i64>>;
    /// Runs the statements of migration number `number` (from 1).
    fn run_script(&mut self, number: usize, script: &str) -> Result<()>;
}

/// What a command that only reads ([`OpenMode::ReadOnly`]) checks instead of migrating:
/// the schema must be this twofa's, since it writes nothing to bring it there.
pub(super) fn check_current(
    db: &mut impl Schema,
    migrations: &Migrations,
    shown: &str,
) -> Result<()> {
    let latest = migrations.list.len() as i64;
    match db.version()? {
        None | Some(0) => Err(database(format!(
            "{shown} has no twofa tables (add them with 'twofa --db {shown} init')"
        ))),
        Some(v) if v < latest => Err(database(format!(
            "{shown} has twofa schema version {v}, older than this twofa's ({latest}); \
upgrade it with 'twofa --db {shown} init' (a command that only reads changes nothing)"
        ))),
        Some(v) => check_not_newer(v, latest, shown),
    }
}

/// The refusal of a schema newer than this twofa knows (exit 6).
fn check_not_newer(current: i64, latest: i64, shown: &str) -> Result<()> {
    if current > latest {
        return Err(database(format!(
            "{shown} has twofa schema version {current}, newer than this twofa knows ({latest}); upgrade twofa"
        )));
    }
    Ok(())
}

/// Brings the schema to the last of `migrations` (append-only: schema version N is the
/// N-th entry), one migration a transaction, each under the backend's lock so that
/// concurrent first runs take turns. A current schema is left without taking the lock
/// (a reader must not wait for a writer). Returns the version found before (`None`: there
/// were no twofa tables).
pub(super) fn migrate(
    db: &mut impl Schema,
    migrations: &Migrations,
    sql: &Sql,
    shown: &str,
) -> Result<Option<i64>> {
    let latest = migrations.list.len() as i64;
    let unlocked = db.version()?;
    if let Some(v) = unlocked {
        check_not_newer(v, latest, shown)?;
        if v == latest {
            return Ok(unlocked);
        }
    }
    let mut found = None;
    for attempt in 0.. {
        let mut tx = db.begin()?;
        // Read again under the lock: another twofa may have migrated in the meantime.
        let current = tx.version()?;
        if attempt == 0 {
            found = current;
        }
        let current = current.unwrap_or(0);
        check_not_newer(current, latest, shown)?;
        if current == latest {
            break;
        }
        apply(&mut tx, current as usize + 1, migrations, sql)?;
        tx.commit()?;
    }
    Ok(found)
}

/// Runs migration number `number` (from 1), fills in what it added for the rows before it,
/// and records it as the schema version.
fn apply(tx: &mut impl SchemaTx, number: usize, migrations: &Migrations, sql: &Sql) -> Result<()> {
    let script = migrations.list[number - 1];
    tx.run_script(number, script)?;
    if script == migrations.chain {
        backfill_chain(tx, sql)?;
    }
    if script == migrations.skeleton {
        backfill_skeletons(tx, sql)?;
    }
    let version = number.to_string();
    let args = [text("schema_version"), text(&version)];
    tx.exec("cannot record the schema version", sql.meta.set_meta, &args)?;
    Ok(())
}
