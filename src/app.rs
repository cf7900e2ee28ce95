//! The context every command runs in (decided once from the global options and the
//! environment), and the one dispatch from a parsed command line to its command.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::{Command as Process, Stdio};

use anyhow::{Context, Result};

use crate::cli::{Cli, Command, Format, GlobalArgs, OrgCommand, RecoveryCommand, UserCommand};
use crate::clock::{Clock, Timestamp};
use crate::commands;
use crate::crypto::{self, Keyring, MasterKey, key_id_hex};
use crate::exit::{ExitCode, database};
use crate::model::Event;
use crate::output::Output;
use crate::store::{self, OpenMode, Store};

/// `twofa_meta` rows of a key rotation in progress: the new key's id and file.
pub const REKEY_TO: &str = "rekey_to";
pub const REKEY_FILE: &str = "rekey_file";

pub struct Ctx {
    pub db: String,
    pub key_file: PathBuf,
    pub actor: String,
    pub yes: bool,
    pub quiet: bool,
    pub issuer: String,
    pub hook: Option<String>,
    pub stdin_tty: bool,
    pub stderr_tty: bool,
    /// Colour is allowed on stdout (a terminal, and no NO_COLOR).
    pub color: bool,
    pub clock: Clock,
    pub out: Output,
}

impl Ctx {
    pub fn new(g: GlobalArgs) -> Self {
        let stdout_tty = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let actor = g
            .actor
            .filter(|a| !a.trim().is_empty())
            .or_else(|| std::env::var("SUDO_USER").ok().filter(|s| !s.is_empty()))
            .or_else(|| std::env::var("USER").ok().filter(|s| !s.is_empty()))
            .unwrap_or_else(|| "unknown".to_string());
        let key_file = g.key_file.unwrap_or_else(|| default_key_file(&g.db));
        Ctx {
            key_file,
            actor,
            yes: g.yes,
            quiet: g.quiet,
            issuer: g.issuer,
            hook: g.hook.filter(|h| !h.trim().is_empty()),
            stdin_tty: crate::prompt::stdin_is_tty(),
            stderr_tty: std::io::stderr().is_terminal(),
            color: !no_color,
            clock: Clock::system(),
            out: Output::new(g.format, g.quiet, stdout_tty),
            db: g.db,
        }
    }

    /// The database as messages show it: a URL without its password.
    pub fn db_display(&self) -> std::borrow::Cow<'_, str> {
        store::display_target(&self.db)
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn format(&self) -> Format {
        self.out.format
    }

    /// A human message on stderr, unless --quiet.
    pub fn note(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            let _ = writeln!(std::io::stderr(), "{}", msg.as_ref());
        }
    }

    /// A warning on stderr, always.
    pub fn warn(&self, msg: impl AsRef<str>) {
        let _ = writeln!(std::io::stderr(), "twofa: warning: {}", msg.as_ref());
    }

    /// An event for this actor at this moment.
    pub fn event(&self, action: &str) -> Event {
        Event::new(self.now(), &self.actor, action)
    }

    /// Opens the database; creates it (and its key) where `mode` allows, with a notice.
    pub fn open(&self, mode: OpenMode) -> Result<Box<dyn Store>> {
        let (mut store, opened) = store::open(&self.db, mode)?;
        if store.key_id()?.is_none() {
            let (key, made) = if self.key_file.exists() {
                (MasterKey::load(&self.key_file)?, false)
            } else {
                match MasterKey::create(&self.key_file) {
                    Ok(key) => (key, true),
                    // Another twofa created it a moment ago: use that one.
                    Err(_) if self.key_file.exists() => (MasterKey::load(&self.key_file)?, false),
                    Err(e) => return Err(e),
                }
            };
            let mut tx = store.begin()?;
            let claimed = tx.claim_key_id(key.id())?;
            tx.commit()?;
            if !claimed {
                // Another twofa set this database up at the same moment (and said so);
                // `key()` checks that the key file is the one it recorded.
                return Ok(store);
            }
            let key_note = if made {
                format!(
                    " and key {} (keep it safe, apart from database backups)",
                    self.key_file.display()
                )
            } else {
                format!(" with key {}", self.key_file.display())
            };
            if opened.created {
                self.note(format!(
                    "twofa: created account database {}{key_note}",
                    self.db_display()
                ));
            } else {
                self.note(format!(
                    "twofa: added twofa tables to {}{key_note}",
                    self.db_display()
                ));
            }
        }
        Ok(store)
    }

    /// Loads the key file and checks that it is this database's key. While a key rotation
    /// runs, the key it rotates to joins the ring, so both open their secrets.
    pub fn key(&self, store: &mut dyn Store) -> Result<Keyring> {
        let key = MasterKey::load(&self.key_file)?;
        if crypto::readable_by_others(&self.key_file) {
            self.warn(format!(
                "key file {} can be read by group or others; run: chmod 600 {}",
                self.key_file.display(),
                self.key_file.display()
            ));
        }
        let rotating_to = store.meta(REKEY_TO)?;
        let Some(expected) = store.key_id()? else {
            return Ok(Keyring::new(key, None));
        };
        if expected == key.id() {
            let next = match (rotating_to, store.meta(REKEY_FILE)?) {
                (Some(id), Some(path)) => MasterKey::load(std::path::Path::new(&path))
                    .ok()
                    .filter(|k| key_id_hex(&k.id()) == id),
                _ => None,
            };
            return Ok(Keyring::new(key, next));
        }
        if rotating_to.as_deref() == Some(key_id_hex(&key.id()).as_str()) {
            return Ok(Keyring::new(key, None));
        }
        Err(database(format!(
            "wrong key: {} holds key {}, but the secrets of {} are sealed with key {}; point --key-file at the right key",
            self.key_file.display(),
            key_id_hex(&key.id()),
            self.db_display(),
            key_id_hex(&expected)
        )))
    }

    /// Runs the notification hook once per committed event. A failing hook is reported,
    /// never undoes anything.
    pub fn notify(&self, events: &[Event]) {
        let Some(hook) = &self.hook else { return };
        for event in events {
            if let Err(e) = run_hook(hook, event) {
                self.warn(format!("hook '{hook}' failed for {}: {e:#}", event.action));
            }
        }
    }
}

/// The key file when none is given: beside an SQLite file (its path + `.key`); for a
/// server URL, where that means nothing, `twofa.key` in the current directory.
fn default_key_file(db: &str) -> PathBuf {
    if store::is_url(db) {
        PathBuf::from("twofa.key")
    } else {
        PathBuf::from(format!("{db}.key"))
    }
}

fn run_hook(hook: &str, event: &Event) -> Result<()> {
    let json = serde_json::to_vec(event)?;
    let mut child = Process::new("sh")
        .arg("-c")
        .arg(hook)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .context("cannot start it")?;
    if let Some(mut stdin) = child.stdin.take() {
        // A hook that does not read its input is not an error.
        let _ = stdin.write_all(&json).and_then(|()| stdin.write_all(b"\n"));
    }
    let status = child.wait().context("cannot wait for it")?;
    if !status.success() {
        anyhow::bail!("it exited with {status}");
    }
    Ok(())
}

/// Runs the parsed command line; returns the exit code for a completed run.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let mut ctx = Ctx::new(cli.global);
    let code = match cli.command {
        Command::Init => commands::admin::init(&mut ctx)?,
        Command::Org(OrgCommand::Add { org, name }) => commands::orgs::add(&mut ctx, &org, name)?,
        Command::Org(OrgCommand::List) => commands::orgs::list(&mut ctx)?,
        Command::Org(OrgCommand::Policy(args)) => commands::policy::run(&mut ctx, &args)?,
        Command::User(UserCommand::Add { email, org, name }) => {
            commands::users::add(&mut ctx, &email, org.as_deref(), name)?
        }
        Command::User(UserCommand::Import { file }) => commands::users::import(&mut ctx, &file)?,
        Command::User(UserCommand::List { org }) => {
            commands::users::list(&mut ctx, org.as_deref())?
        }
        Command::Enroll(args) => commands::enroll::enroll(&mut ctx, &args)?,
        Command::Confirm(args) => commands::enroll::confirm(&mut ctx, &args)?,
        Command::Verify(args) => commands::verify::run(&mut ctx, &args)?,
        Command::Recovery(RecoveryCommand::Regenerate(a)) => {
            commands::recovery::regenerate(&mut ctx, &a.email)?
        }
        Command::Recovery(RecoveryCommand::Status(a)) => {
            commands::recovery::status(&mut ctx, &a.email)?
        }
        Command::Disable(args) => commands::lifecycle::disable(&mut ctx, &args)?,
        Command::Reset(args) => commands::lifecycle::reset(&mut ctx, &args)?,
        Command::Unlock(args) => commands::lifecycle::unlock(&mut ctx, &args)?,
        Command::Status(a) => commands::audit::status(&mut ctx, &a.email)?,
        Command::Audit(args) => commands::audit::audit(&mut ctx, &args)?,
        Command::Log(args) => commands::log::run(&mut ctx, &args)?,
        Command::Rekey(args) => commands::admin::rekey(&mut ctx, &args)?,
        Command::Check => commands::admin::check(&mut ctx)?,
        Command::Generate(what) => commands::generate::run(what)?,
    };
    ctx.out.flush()?;
    Ok(code)
}

/// A progress bar on stderr for bulk work: only on a terminal, never with --quiet, and
/// only once the work has run for about a second.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    started: std::time::Instant,
    shown: std::cell::Cell<bool>,
}

impl Progress {
    pub fn new(ctx: &Ctx, total: Option<u64>, message: &'static str) -> Self {
        let bar = (ctx.stderr_tty && !ctx.quiet).then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                total,
                indicatif::ProgressDrawTarget::hidden(),
            );
            bar.set_message(message);
            if let Ok(style) = indicatif::ProgressStyle::with_template(if total.is_some() {
                "{msg} {wide_bar} {pos}/{len} ({eta} left)"
            } else {
                "{msg} {spinner} {pos} ({per_sec})"
            }) {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            started: std::time::Instant::now(),
            shown: std::cell::Cell::new(false),
        }
    }

    pub fn inc(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if !self.shown.get()
                && bar.position() % 256 == 0
                && self.started.elapsed() > std::time::Duration::from_secs(1)
            {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                self.shown.set(true);
            }
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
