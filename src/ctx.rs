//! The context every command runs in: decided once from the global options and the
//! environment (actor, terminals, colour, format, clock), with the ways into the database
//! and its key, the messages on stderr, and the hook after a commit.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Result;

use crate::cli::{Format, GlobalArgs};
use crate::clock::{Clock, Timestamp};
use crate::crypto::{self, Keyring, MasterKey};
use crate::keys::{self, Claimed};
use crate::model::Event;
use crate::output::{Output, Progress};
use crate::store::{self, OpenMode, Store};
use crate::text::{self, escape_lines};

/// Who is acting: `--actor` (or `TWOFA_ACTOR`), else `$SUDO_USER`, else `$USER`,
/// else the user name of the process's uid; each held to the text rules of a name (exit 2,
/// naming where it came from).
fn actor(given: Option<&str>) -> Result<String> {
    if let Some(a) = given
        && let Some(a) = text::label("actor (--actor or TWOFA_ACTOR)", a)?
    {
        return Ok(a);
    }
    for var in ["SUDO_USER", "USER"] {
        if let Ok(v) = std::env::var(var)
            && let Some(a) = text::label(&format!("actor (${var})"), &v)?
        {
            return Ok(a);
        }
    }
    Ok(whoami::username()
        .ok()
        .and_then(|u| text::label("actor", &u).ok().flatten())
        .unwrap_or_else(|| "unknown".to_string()))
}

/// A message as stderr shows it: control characters escaped and, on a terminal `width`
/// columns wide, wrapped at spaces (never inside an email or a timestamp), continuations
/// indented.
pub fn message(text: &str, width: Option<usize>) -> String {
    let text = escape_lines(text);
    match width {
        Some(width) => text::wrap(&text, width, 2),
        None => text.into_owned(),
    }
}

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
    /// The width messages on stderr wrap at (a terminal's; `None` into a file or a pipe).
    pub stderr_width: Option<usize>,
    /// Colour is allowed on stdout (a terminal, and no NO_COLOR).
    pub color: bool,
    pub clock: Clock,
    pub out: Output,
}

impl Ctx {
    /// The context of a run; exit 2 when the actor breaks the text rules.
    pub fn new(g: GlobalArgs) -> Result<Self> {
        let stdout_tty = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let actor = actor(g.actor.as_deref())?;
        let key_file = g.key_file.unwrap_or_else(|| keys::default_file(&g.db));
        Ok(Ctx {
            key_file,
            actor,
            yes: g.yes,
            quiet: g.quiet,
            issuer: g.issuer,
            hook: g.hook.filter(|h| !h.trim().is_empty()),
            stdin_tty: crate::prompt::stdin_is_tty(),
            stderr_tty: std::io::stderr().is_terminal(),
            stderr_width: crate::output::stderr_width(),
            color: !no_color,
            clock: Clock::system(),
            out: Output::new(g.format, g.quiet, stdout_tty),
            db: g.db,
        })
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

    /// A human message on stderr, unless --quiet; control characters (from stored text)
    /// escaped.
    pub fn note(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            self.say(msg);
        }
    }

    /// What a question is about, on stderr before it is asked (so also with --quiet);
    /// control characters escaped.
    pub fn say(&self, msg: impl AsRef<str>) {
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            message(msg.as_ref(), self.stderr_width)
        );
    }

    /// That a listing found nothing (`no accounts match 'zzzz'`), said on stderr to a person
    /// at a terminal only: a table on a terminal, without --quiet. A pipe or a machine
    /// format gets nothing (an empty list is its own answer).
    pub fn nothing_found(&self, msg: impl AsRef<str>) {
        if self.out.tty && self.format() == Format::Table {
            self.note(msg);
        }
    }

    /// A warning on stderr, always; control characters escaped.
    pub fn warn(&self, msg: impl AsRef<str>) {
        self.say(format!("twofa: warning: {}", msg.as_ref()));
    }

    /// An event for this actor at this moment.
    pub fn event(&self, action: &str) -> Event {
        Event::new(self.now(), &self.actor, action)
    }

    /// A progress bar for bulk work: drawn on a terminal only, never with --quiet.
    pub fn progress(&self, total: Option<u64>, message: &'static str) -> Progress {
        Progress::new(self.stderr_tty && !self.quiet, total, message)
    }

    /// Opens the database; creates it (and its key) where `mode` allows, with a notice.
    pub fn open(&self, mode: OpenMode) -> Result<Box<dyn Store>> {
        let (mut store, opened) = store::open(&self.db, mode)?;
        // Only the hook needs the events a transaction wrote, after its commit.
        store.keep_events(self.hook.is_some());
        if mode == OpenMode::ReadOnly {
            return Ok(store);
        }
        let Some(claimed) = keys::claim(store.as_mut(), &self.key_file)? else {
            return Ok(store);
        };
        let key_note = match claimed {
            Claimed::NewKeyFile => format!(
                " and key {} (keep it safe, apart from database backups)",
                self.key_file.display()
            ),
            Claimed::ExistingKeyFile => format!(" with key {}", self.key_file.display()),
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
        Ok(store)
    }

    /// Loads the key file and checks that it is this database's key (see
    /// [`keys::keyring`]); warns when others can read the file.
    pub fn key(&self, store: &mut dyn Store) -> Result<Keyring> {
        let key = MasterKey::load(&self.key_file)?;
        if crypto::readable_by_others(&self.key_file) {
            self.warn(format!(
                "key file {} can be read by group or others; run: chmod 600 {}",
                self.key_file.display(),
                self.key_file.display()
            ));
        }
        keys::keyring(store, key, &self.key_file, &self.db_display())
    }

    /// Runs the notification hook once per committed event. A failing hook is reported,
    /// never undoes anything.
    pub fn notify(&self, events: &[Event]) {
        let Some(hook) = &self.hook else { return };
        for event in events {
            if let Err(e) = crate::hook::run(hook, event) {
                self.warn(format!("hook '{hook}' failed for {}: {e:#}", event.action));
            }
        }
    }
}
