//! The context every command runs in: decided once from the global options and the
//! environment (actor, terminals, colour, format, clock), with the ways into the database
//! and its key, the messages on stderr, and the hook after a commit (in step, or on a
//! thread of its own).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::mpsc;

use anyhow::Result;

use crate::cli::{Format, GlobalArgs};
use crate::clock::{Clock, Timestamp};
use crate::crypto::{Keyring, MasterKey};
use crate::foureyes::{self, Login};
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
    /// `--db` or `TWOFA_DB` named the database (only the default may be created by
    /// `enroll --create`).
    pub db_named: bool,
    pub key_file: PathBuf,
    pub actor: String,
    /// The actor typed as `--actor` on the command line, if one was (not `TWOFA_ACTOR`).
    pub actor_given: Option<String>,
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
        let actor_given = g.actor_typed.then(|| actor.clone());
        let key_file = g.key_file.unwrap_or_else(|| keys::default_file(&g.db));
        Ok(Ctx {
            key_file,
            actor,
            actor_given,
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
            db_named: g.db_named,
            db: g.db,
        })
    }

    /// The operator's login identity ([`foureyes::identity`]): whoever ran sudo, else the
    /// process's user; never `--actor`. Held to the text rules of a name.
    pub fn identity(&self) -> Result<String> {
        use rustix::process::{geteuid, getuid};
        let uid = getuid().as_raw();
        let login = Login {
            euid: geteuid().as_raw(),
            uid,
            sudo_user: std::env::var("SUDO_USER").ok(),
            sudo_uid: std::env::var("SUDO_UID").ok().and_then(|v| v.parse().ok()),
            user_name: crate::owner::user(uid),
        };
        let who = foureyes::identity(&login);
        Ok(text::label("identity ($SUDO_USER or the login)", &who)?
            .unwrap_or_else(|| format!("uid {uid}")))
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
        self.open_keyed(mode, mode != OpenMode::ReadOnly)
    }

    /// Opens an existing database for a command that reads and logs what it read
    /// (`diagnose`, `export`): it writes its events, and nothing else, so it gives a
    /// database without a key none.
    pub fn open_to_log(&self) -> Result<Box<dyn Store>> {
        self.open_keyed(OpenMode::Existing, false)
    }

    /// [`Ctx::open`]; `claim`: record a key (creating its file) for a database without one.
    fn open_keyed(&self, mode: OpenMode, claim: bool) -> Result<Box<dyn Store>> {
        // A key file that is there and would be refused stops `init`, or a run that would
        // create the database file, before anything is created or added.
        let creating = mode == OpenMode::Init
            || (mode == OpenMode::Create
                && !store::is_url(&self.db)
                && !keys::is_there(std::path::Path::new(&self.db)));
        if creating && keys::is_there(&self.key_file) {
            MasterKey::load(&self.key_file)?;
        }
        let (mut store, opened) = store::open(&self.db, mode)?;
        // Only the hook needs the events a transaction wrote, after its commit.
        store.keep_events(self.hook.is_some());
        if !claim {
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
        let (key, readable_by_others) = MasterKey::load_file(&self.key_file)?;
        if readable_by_others {
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
        if let Some(hook) = &self.hook {
            events.iter().for_each(|event| run_hook(hook, event));
        }
    }

    /// The hook on a thread of its own, for a command that must not wait for it
    /// (`verify --batch` writes its answers first): the events given to it run the hook
    /// in the order given, after the caller goes on. Dropping it waits for those still
    /// to run.
    pub fn notifier(&self) -> Notifier {
        let Some(hook) = self.hook.clone() else {
            return Notifier {
                events: None,
                thread: None,
            };
        };
        let (events, pending) = mpsc::sync_channel::<Event>(HOOK_BACKLOG);
        let thread = std::thread::spawn(move || {
            for event in pending {
                run_hook(&hook, &event);
            }
        });
        Notifier {
            events: Some(events),
            thread: Some(thread),
        }
    }
}

/// Events waiting for a [`Notifier`]'s hook, at most: past that, the caller waits for the
/// hook (memory stays bounded however slow the hook is).
const HOOK_BACKLOG: usize = 4096;

/// Runs `hook` for `event`; a failure is a warning.
fn run_hook(hook: &str, event: &Event) {
    if let Err(e) = crate::hook::run(hook, event) {
        warn(&format!("hook '{hook}' failed for {}: {e:#}", event.action));
    }
}

/// A warning on stderr; control characters escaped.
fn warn(msg: &str) {
    let _ = writeln!(std::io::stderr(), "twofa: warning: {}", escape_lines(msg));
}

/// The hook running on a thread of its own ([`Ctx::notifier`]).
pub struct Notifier {
    events: Option<mpsc::SyncSender<Event>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Notifier {
    /// Hands committed events to the hook, in commit order; returns at once unless
    /// [`HOOK_BACKLOG`] events are already waiting.
    pub fn notify(&self, events: Vec<Event>) {
        if let Some(sender) = &self.events {
            for event in events {
                // The thread ends only when this sender is gone.
                let _ = sender.send(event);
            }
        }
    }
}

impl Drop for Notifier {
    /// Waits for the hook to run for every event handed to it.
    fn drop(&mut self) {
        self.events = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
