//! The hidden `generate` command: shell completions and man pages from the clap
//! definition, into the committed `completions/` and `man/` folders (a test checks they are
//! current).

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_complete::Shell;
use clap_mangen::Man;
use clap_mangen::roff::{Inline, Roff, bold, italic, roman};

use crate::cli::{Cli, GenerateCommand};
use crate::exit::ExitCode;

/// The exit codes, as the README's table gives them (EXIT STATUS of every man page).
const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "Success; verify: the code was accepted."),
    (
        "1",
        "verify, confirm: the code was rejected (wrong, reused, expired); \
audit --non-compliant: at least one row was printed.",
    ),
    (
        "2",
        "Usage error or bad input (the command line, a code that is not a code, a bad CSV line).",
    ),
    ("3", "No such account or organisation."),
    (
        "4",
        "Refused by policy or state (disable under a mandatory policy, confirm with nothing \
pending, enroll while enabled without --yes, an account or organisation that already exists).",
    ),
    ("5", "The account is locked after too many failed codes."),
    (
        "6",
        "Database or key problem (missing, unreadable, corrupt, wrong key, newer schema).",
    ),
];

/// Environment variables read besides those of the options (which each page lists from the
/// definition).
const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "TWOFA_KEY_COMMAND_TIMEOUT",
        "How long the key command (--key-command, rekey --new-key-command) may run, in whole \
seconds from 1 to 3600 (default 30); then it is killed with its process group (exit 6).",
    ),
    (
        "CREDENTIALS_DIRECTORY",
        "Set by systemd for a unit with LoadCredential= or LoadCredentialEncrypted=: when no \
key file or key command is given and this directory holds twofa.key, that is the key file.",
    ),
    (
        "SUDO_USER, USER",
        "The actor when --actor and TWOFA_ACTOR are not given: $SUDO_USER, else $USER.",
    ),
    (
        "COLUMNS",
        "The width tables fit on a terminal, when the terminal does not say.",
    ),
    (
        "NO_COLOR",
        "When set and not empty, no colour; the QR code is drawn with block characters for \
light text on a dark background.",
    ),
    (
        "PGPASSWORD",
        "The PostgreSQL password, when --db is a postgres:// URL without one.",
    ),
    (
        "PGPASSFILE",
        "The PostgreSQL password file (default ~/.pgpass), read as libpq reads it.",
    ),
    (
        "MYSQL_PWD",
        "The MySQL or MariaDB password, when --db is a mysql:// or mariadb:// URL without one.",
    ),
    (
        "PGSSLMODE",
        "The PostgreSQL sslmode when the URL gives none: disable, prefer (default), require, \
verify-ca or verify-full.",
    ),
    (
        "PGSSLROOTCERT",
        "The CA certificate for sslmode verify-ca and verify-full when the URL gives none \
(default ~/.postgresql/root.crt).",
    ),
];

/// What the processes twofa starts get of its environment (after ENVIRONMENT's list).
const CHILD_ENVIRONMENT: &str = "The hook and the key command run with this environment \
minus twofa's secrets: no PGPASSWORD, PGPASSFILE, MYSQL_PWD, TWOFA_KEY or TWOFA_KEY_* \
variable, and TWOFA_DB with its password shown as ***.";

const FILES: &[(&str, &str)] = &[
    (
        "twofa.db",
        "The default account database, in the current directory (--db, TWOFA_DB).",
    ),
    (
        "DB.key",
        "The 32-byte key that encrypts TOTP secrets, beside the database (the database path + \
.key; twofa.key in the current directory for a postgres:// or mysql:// URL). Mode 0600; keep it apart \
from database backups (--key-file, TWOFA_KEY_FILE; or --key-command, TWOFA_KEY_COMMAND, and \
no file at all).",
    ),
    (
        "$CREDENTIALS_DIRECTORY/twofa.key",
        "The key as systemd's credential (LoadCredentialEncrypted=twofa.key:…), used when no \
key file or key command is given.",
    ),
    ("~/.pgpass", "PostgreSQL passwords (PGPASSFILE)."),
    (
        "~/.postgresql/root.crt",
        "The CA certificate for PostgreSQL over TLS (PGSSLROOTCERT).",
    ),
];

/// The command tree without its hidden top-level commands (`generate`), which
/// clap_complete would offer too: the root is rebuilt from its texts, arguments and visible
/// subcommands. (tests/cli_docs.rs checks that no hidden command reaches a completion.)
fn without_hidden(cmd: clap::Command) -> clap::Command {
    let mut root = clap::Command::new("twofa")
        .version(env!("CARGO_PKG_VERSION"))
        .args(cmd.get_arguments().cloned())
        .subcommands(cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned())
        .subcommand_required(cmd.is_subcommand_required_set())
        .arg_required_else_help(cmd.is_arg_required_else_help_set());
    if let Some(about) = cmd.get_about() {
        root = root.about(about.clone());
    }
    if let Some(about) = cmd.get_long_about() {
        root = root.long_about(about.clone());
    }
    root
}

/// Writes completions for every supported shell into `dir`.
pub fn completions(dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::Elvish,
        Shell::PowerShell,
    ] {
        let mut cmd = without_hidden(Cli::command());
        clap_complete::generate_to(shell, &mut cmd, "twofa", dir)
            .with_context(|| format!("cannot write {shell} completions to {}", dir.display()))?;
    }
    Ok(())
}

/// Writes `twofa.1` and one page per visible subcommand (`twofa-enroll.1`,
/// `twofa-org-add.1`, …).
pub fn man(dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let version = cmd.get_version().unwrap_or_default().to_owned();
    write_pages(&cmd, None, &version, dir)
}

fn write_pages(cmd: &clap::Command, parent: Option<&str>, version: &str, dir: &Path) -> Result<()> {
    let name = page_name(cmd);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub, Some(&name), version, dir)?;
    }
    let path = dir.join(format!("{name}.1"));
    let mut file =
        fs::File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
    render_page(cmd, parent, version, &mut file)
        .and_then(|()| file.flush())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// `twofa`, `twofa-org`, `twofa-org-add`: the page's name (clap's display name once built).
fn page_name(cmd: &clap::Command) -> String {
    cmd.get_display_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_owned()
}

/// One page: clap_mangen's NAME, SYNOPSIS, DESCRIPTION, OPTIONS (and GLOBAL OPTIONS) and
/// SUBCOMMANDS, then twofa's own EXAMPLES, ENVIRONMENT, EXIT STATUS, FILES and SEE ALSO.
fn render_page(
    cmd: &clap::Command,
    parent: Option<&str>,
    version: &str,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    let man = Man::new(cmd.clone())
        .source(format!("twofa {version}"))
        .manual("twofa manual");
    man.render_title(w)?;
    man.render_name_section(w)?;
    man.render_synopsis_section(w)?;
    man.render_description_section(w)?;
    man.render_options_section(w)?;
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        man.render_subcommands_section(w)?;
    }

    let mut roff = Roff::new();
    let examples = examples(cmd);
    if !examples.is_empty() {
        roff.control("SH", ["EXAMPLES"]);
        roff.control("nf", []);
        for line in examples {
            roff.text([roman(line)]);
        }
        roff.control("fi", []);
    }

    // The actions of the event log (what `log --action` takes and a hook receives), on the
    // main page and on `log`'s.
    if parent.is_none() || page_name(cmd) == "twofa-log" {
        roff.control("SH", ["EVENTS"]);
        let renamed: Vec<String> = crate::actions::RENAMED
            .iter()
            .map(|(old, new)| format!("{old} (now {new})"))
            .collect();
        roff.text([roman(format!(
            "Every change writes one event, the row of twofa log and the JSON object a --hook \
receives on stdin, with one of these actions. twofa log --action takes an action, a family \
(verify is every verify.…), or a name of an earlier version, and finds the events stored \
under the old names too: {}.",
            renamed.join(", ")
        ))]);
        definitions(&mut roff, crate::actions::ACTIONS, |s| bold(s));
    }

    roff.control("SH", ["ENVIRONMENT"]);
    environment_of_options(&mut roff, cmd, None);
    if parent.is_none() {
        // The main page lists every command's variables too (enroll's TWOFA_QR_STYLE).
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            environment_of_options(&mut roff, sub, Some(&page_name(sub)));
        }
    }
    definitions(&mut roff, ENVIRONMENT, |s| bold(s));
    roff.control("PP", []);
    roff.text([roman(CHILD_ENVIRONMENT)]);

    roff.control("SH", ["EXIT STATUS"]);
    definitions(&mut roff, EXIT_STATUS, |s| bold(s));

    roff.control("SH", ["FILES"]);
    definitions(&mut roff, FILES, |s| italic(s));

    roff.control("SH", ["SEE ALSO"]);
    let mut see: Vec<String> = Vec::new();
    if let Some(parent) = parent {
        if parent != "twofa" {
            see.push("twofa".to_owned());
        }
        see.push(parent.to_owned());
    }
    see.extend(
        cmd.get_subcommands()
            .filter(|s| !s.is_hide_set())
            .map(page_name),
    );
    let mut refs = Vec::new();
    for (i, page) in see.iter().enumerate() {
        if i > 0 {
            refs.push(roman(", "));
        }
        refs.push(bold(page.as_str()));
        refs.push(roman("(1)"));
    }
    if !refs.is_empty() {
        refs.push(roman(", "));
    }
    refs.push(roman("oathtool"));
    refs.push(roman("(1), and the README of twofa."));
    roff.text(refs);
    roff.to_writer(w)
}

/// The variables of `cmd`'s options, each as the default of its option; with `page`, only
/// the command's own (not the global options, listed already), and those of its
/// subcommands, each naming the command.
fn environment_of_options(roff: &mut Roff, cmd: &clap::Command, page: Option<&str>) {
    for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
        if page.is_some() && arg.is_global_set() {
            continue;
        }
        let (Some(env), Some(long)) = (arg.get_env(), arg.get_long()) else {
            continue;
        };
        let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
        let option = match page {
            Some(page) => format!("{} --{long}", page.replace('-', " ")),
            None => format!("--{long}"),
        };
        roff.control("TP", []);
        roff.text([bold(env.to_string_lossy())]);
        roff.text([
            roman("Used when "),
            bold(option),
            roman(format!(" is not given. {help}")),
        ]);
    }
    if page.is_some() {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            environment_of_options(roff, sub, Some(&page_name(sub)));
        }
    }
}

/// `.TP` entries: a term, then its text.
fn definitions(roff: &mut Roff, items: &[(&str, &str)], term: impl Fn(&str) -> Inline) {
    for (name, text) in items {
        roff.control("TP", []);
        roff.text([term(name)]);
        roff.text([roman(*text)]);
    }
}

/// The example lines of a command's `after_help` (the indented lines under "Examples:").
fn examples(cmd: &clap::Command) -> Vec<String> {
    let Some(after) = cmd.get_after_help().map(|h| h.to_string()) else {
        return Vec::new();
    };
    after
        .lines()
        .skip_while(|l| l.trim() != "Examples:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        // The indent of a continued line stays.
        .map(|l| l.strip_prefix("  ").unwrap_or(l).trim_end().to_owned())
        .collect()
}

pub fn run(what: GenerateCommand) -> Result<ExitCode> {
    match what {
        GenerateCommand::Completions { dir } => completions(&dir)?,
        GenerateCommand::Man { dir } => man(&dir)?,
    }
    Ok(ExitCode::Success)
}
