//! The context every command runs in: decided once from the global options and the
//! environment (actor, terminals, colour, format, clock), with the ways into the database
//! and its key, the messages on stderr, and the hook after a commit (in step, or on a
//! thread of its own).

use std::io::{IsTerminal, Write};
use std::sync::mpsc;

use anyhow::Result;

use crate::cli::{Format, GlobalArgs};
use crate::clock::{Clock, Timestamp};
use crate::crypto::Keyring;
use crate::exit::usage;
use crate::foureyes::{self, Login};
use crate::keycmd;
use crate::keys::{self, Claimed, KeySource, Master};
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

/// The key command's timeout: `TWOFA_KEY_COMMAND_TIMEOUT` seconds (exit 2 when it is not
/// a number of seconds), else [`keycmd::TIMEOUT`].
fn key_command_timeout() -> Result<std::time::Duration> {
    match std::env::var("TWOFA_KEY_COMMAND_TIMEOUT") {
        Ok(v) if !v.trim().is_empty() => keycmd::parse_timeout(&v).map_err(usage),
        Err(std::env::VarError::NotUnicode(v)) => {
            keycmd::parse_timeout(&v.to_string_lossy()).map_err(usage)
        }
        _ => Ok(keycmd::TIMEOUT),
    }
}

/// Where the key comes from, from the global options and `$CREDENTIALS_DIRECTORY` (exit 2
/// when both a key file and a key command are given). A key command set to nothing in the
/// environment counts as not set, as `TWOFA_HOOK` does.
fn key_source(g: &mut GlobalArgs) -> Result<KeySource> {
    let given = |from_env: bool, var: &'static str, option: &'static str| {
        if from_env { var } else { option }
    };
    let file = g.key_file.take().map(|path| {
        (
            path,
            given(g.key_file_from_env, "TWOFA_KEY_FILE", "--key-file"),
        )
    });
    let command = g
        .key_command
        .take()
        .filter(|c| !(g.key_command_from_env && c.trim().is_empty()))
        .map(|c| {
            (
                c,
                given(g.key_command_from_env, "TWOFA_KEY_COMMAND", "--key-command"),
            )
        });
    KeySource::resolve(
        file,
        command,
        std::env::var_os("CREDENTIALS_DIRECTORY"),
        &g.db,
    )
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
    /// The master key: where it comes from, and once a command needs it, the key.
    pub master: Master,
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
    /// The context of a run; exit 2 when the actor breaks the text rules, when both a key
    /// file and a key command are given, or when `TWOFA_KEY_COMMAND_TIMEOUT` is no timeout.
    /// Nothing is read or run for the key yet.
    pub fn new(mut g: GlobalArgs) -> Result<Self> {
        let stdout_tty = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let actor = actor(g.actor.as_deref())?;
        let actor_given = g.actor_typed.then(|| actor.clone());
        let master = Master::new(key_source(&mut g)?, key_command_timeout()?);
        Ok(Ctx {
            master,
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
        // A key that is there and would be refused (or a key command that fails) stops
        // `init`, or a run that would create the database file, before anything is created
        // or added.
        let creating = mode == OpenMode::Init
            || (mode == OpenMode::Create
                && !store::is_url(&self.db)
                && !keys::is_there(std::path::Path::new(&self.db)));
        if creating && self.master.exists() {
            self.master.get(|w| self.warn(w))?;
        }
        let (mut store, opened) = store::open(&self.db, mode)?;
        // Only the hook needs the events a transaction wrote, after its commit.
        store.keep_events(self.hook.is_some());
        if !claim {
            return Ok(store);
        }
        let Some(claimed) = self.master.claim(store.as_mut(), |w| self.warn(w))? else {
            return Ok(store);
        };
        let source = self.master.source();
        let key_note = match (claimed, source) {
            (Claimed::NewKeyFile, _) => format!(
                " and {} (keep it safe, apart from database backups)",
                source.describe()
            ),
            (Claimed::Existing, KeySource::Command { .. }) => {
                format!(" with the key the {} printed", source.describe())
            }
            (Claimed::Existing, _) => format!(" with {}", source.describe()),
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

    /// The key (read, or its command run, once per run) once it is checked to be this
    /// database's key (see [`keys::keyring`]); warns when others can read the key file.
    pub fn key(&self, store: &mut dyn Store) -> Result<Keyring> {
        self.master
            .keyring(store, &self.db_display(), |w| self.warn(w))
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
