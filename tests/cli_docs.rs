//! The documentation agrees with the binary: the README's command table lists exactly the
//! commands `twofa --help` offers (recursively through groups), every command's help shows
//! the global options under their own heading, the committed man pages have every section
//! and one page per command, the completions offer no hidden command, and the data
//! generator is not in the binary. (That completions/ and man/ are current is checked in
//! cli_audit.rs.)

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use clap::CommandFactory;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The binary with `args`, without any TWOFA_* setting from the caller's environment.
fn twofa(args: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("twofa"));
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("TWOFA_") {
            cmd.env_remove(k);
        }
    }
    let out = cmd.args(args).env("NO_COLOR", "1").output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[track_caller]
fn help(path: &[&str]) -> String {
    let mut args = path.to_vec();
    args.push("--help");
    let (code, out, err) = twofa(&args);
    assert_eq!(code, 0, "twofa {} --help: {err}", path.join(" "));
    out
}

/// The names under "Commands:" in a help text (without `help`).
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| l.trim_end() != "Commands:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// Every command path `--help` reaches (groups included), and the runnable ones: leaves,
/// and groups whose subcommand is optional (`Usage: … [COMMAND]`).
fn commands_from_help() -> (Vec<Vec<String>>, BTreeSet<String>) {
    fn walk(path: Vec<String>, all: &mut Vec<Vec<String>>, runnable: &mut BTreeSet<String>) {
        let args: Vec<&str> = path.iter().map(String::as_str).collect();
        let text = help(&args);
        let subs = subcommands(&text);
        let usage = text.lines().find(|l| l.starts_with("Usage:")).unwrap_or("");
        if !path.is_empty() && (subs.is_empty() || !usage.contains("<COMMAND>")) {
            runnable.insert(path.join(" "));
        }
        if !path.is_empty() {
            all.push(path.clone());
        }
        for sub in subs {
            let mut next = path.clone();
            next.push(sub);
            walk(next, all, runnable);
        }
    }
    let (mut all, mut runnable) = (Vec::new(), BTreeSet::new());
    walk(Vec::new(), &mut all, &mut runnable);
    (all, runnable)
}

/// The cells of a Markdown table row, split at `|` but not at `\|`.
fn cells(row: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut chars = row.trim().trim_start_matches('|').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cells.last_mut().unwrap().push('|');
                chars.next();
            }
            '|' => cells.push(String::new()),
            _ => cells.last_mut().unwrap().push(c),
        }
    }
    cells
}

/// The rows of the first table under the README heading `## {title}`.
fn readme_table(title: &str) -> Vec<Vec<String>> {
    let readme = read("README.md");
    let start = readme
        .find(&format!("\n## {title}\n"))
        .unwrap_or_else(|| panic!("README has no '## {title}'"));
    readme[start..]
        .lines()
        .skip(2)
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2) // header and separator
        .map(cells)
        .collect()
}

#[test]
fn the_readme_command_table_lists_every_command() {
    let mut documented = BTreeSet::new();
    for row in readme_table("Commands") {
        // `org add ORG [--name TEXT]`, `org list`: each code span names one command, by
        // its leading lower-case words.
        for span in row[0].split('`').skip(1).step_by(2) {
            let name: Vec<&str> = span
                .split_whitespace()
                .take_while(|w| {
                    w.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                        && !w.starts_with('-')
                })
                .collect();
            assert!(
                !name.is_empty(),
                "README command cell {span:?} names no command"
            );
            documented.insert(name.join(" "));
        }
    }
    let (_, runnable) = commands_from_help();
    assert!(runnable.contains("org add") && runnable.contains("rekey"));
    assert_eq!(
        documented, runnable,
        "the README's command table (left) and twofa --help (right) differ"
    );
}

#[test]
fn every_help_shows_the_global_options_under_their_own_heading() {
    let (all, _) = commands_from_help();
    let mut paths: Vec<Vec<String>> = vec![Vec::new()];
    paths.extend(all);
    for path in paths {
        let args: Vec<&str> = path.iter().map(String::as_str).collect();
        let name = format!("twofa {}", path.join(" "));
        for flag in ["-h", "--help"] {
            let mut a = args.clone();
            a.push(flag);
            let (code, text, err) = twofa(&a);
            assert_eq!(code, 0, "{name} {flag}: {err}");
            let (own, global) = text
                .split_once("\nGlobal options:\n")
                .unwrap_or_else(|| panic!("{name} {flag} has no 'Global options:' heading"));
            // The option lines (not the prose) before the heading.
            let own: Vec<&str> = own
                .lines()
                .skip_while(|l| l.trim_end() != "Options:")
                .filter(|l| l.trim_start().starts_with('-'))
                .collect();
            for option in [
                "--db <PATH>",
                "--key-file <PATH>",
                "--format",
                "--yes",
                "--hook",
            ] {
                assert!(
                    global.contains(option),
                    "{name} {flag}: {option} not global"
                );
                assert!(
                    !own.iter().any(|l| l.contains(option)),
                    "{name} {flag}: {option} before the heading"
                );
            }
            assert!(
                own.iter().any(|l| l.contains("--help")),
                "{name} {flag}: its own options"
            );
        }
    }
}

#[test]
fn man_pages_have_every_section_and_one_page_per_command() {
    let (all, _) = commands_from_help();
    let mut expected: BTreeSet<String> = all
        .iter()
        .map(|p| format!("twofa-{}.1", p.join("-")))
        .collect();
    expected.insert("twofa.1".to_owned());
    let committed: BTreeSet<String> = std::fs::read_dir(root().join("man"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(committed, expected, "man/ pages (left), commands (right)");

    let exit_codes: Vec<String> = readme_table("Exit codes")
        .iter()
        .map(|row| row[0].trim().to_owned())
        .collect();
    assert_eq!(exit_codes, ["0", "1", "2", "3", "4", "5", "6"]);

    for page in &committed {
        let text = read(&format!("man/{page}"));
        let sections: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix(".SH "))
            .map(|s| s.trim_matches('"'))
            .collect();
        let mut at = 0;
        for want in [
            "NAME",
            "SYNOPSIS",
            "DESCRIPTION",
            "OPTIONS",
            "EXAMPLES",
            "ENVIRONMENT",
            "EXIT STATUS",
            "FILES",
            "SEE ALSO",
        ] {
            let found = sections[at..].iter().position(|s| *s == want);
            let found = found
                .unwrap_or_else(|| panic!("{page}: no {want} section after {:?}", &sections[..at]));
            at += found + 1;
        }
        let body = |name: &str| -> String {
            let start = text.find(&format!(".SH {name}\n")).unwrap();
            let rest = &text[start + 5 + name.len()..];
            rest[..rest.find("\n.SH ").unwrap_or(rest.len())].to_owned()
        };
        let exit = body("\"EXIT STATUS\"")
            .replace("\\fB", "")
            .replace("\\fR", "");
        let listed: Vec<String> = exit
            .split(".TP\n")
            .skip(1)
            .filter_map(|item| item.lines().next().map(str::to_owned))
            .collect();
        assert_eq!(listed, exit_codes, "{page}: EXIT STATUS");
        assert!(
            body("ENVIRONMENT").contains("TWOFA_DB"),
            "{page}: ENVIRONMENT"
        );
        assert!(body("EXAMPLES").contains("twofa"), "{page}: EXAMPLES");
        assert!(body("\"SEE ALSO\"").contains("twofa"), "{page}: SEE ALSO");
    }
}

/// The hidden commands of the definition, each with the names of its own subcommands.
fn hidden_commands() -> Vec<(String, Vec<String>)> {
    fn walk(cmd: &clap::Command, out: &mut Vec<(String, Vec<String>)>) {
        for sub in cmd.get_subcommands() {
            if sub.is_hide_set() {
                let children = sub
                    .get_subcommands()
                    .map(|c| c.get_name().to_owned())
                    .collect();
                out.push((sub.get_name().to_owned(), children));
            }
            walk(sub, out);
        }
    }
    let mut out = Vec::new();
    walk(&twofa::cli::Cli::command(), &mut out);
    out
}

#[test]
fn completions_offer_no_hidden_command() {
    let hidden = hidden_commands();
    assert!(
        hidden.iter().any(|(name, _)| name == "generate"),
        "{hidden:?}"
    );
    let (all, _) = commands_from_help();
    // A hidden command is found by its name, or, where a visible command has the same name
    // (`key generate`), by the names of its own subcommands.
    let visible: BTreeSet<&str> = all
        .iter()
        .filter_map(|p| p.last())
        .map(String::as_str)
        .collect();
    let telltales: Vec<&str> = hidden
        .iter()
        .flat_map(|(name, children)| {
            if visible.contains(name.as_str()) {
                children.iter().map(String::as_str).collect()
            } else {
                vec![name.as_str()]
            }
        })
        .collect();
    assert!(!telltales.is_empty() && telltales.iter().all(|t| !visible.contains(t)));
    for file in [
        "completions/twofa.bash",
        "completions/_twofa",
        "completions/twofa.fish",
    ] {
        let text = read(file);
        // Words of the script: `twofa__subcmd__generate`, `'generate:…'` and `-a "generate"`
        // all contain the word `generate`; `regenerate` is another word.
        let words: BTreeSet<&str> = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .collect();
        for name in &telltales {
            assert!(
                !words.contains(name),
                "{file} offers a hidden command ('{name}')"
            );
        }
        for path in &all {
            let last = path.last().unwrap();
            assert!(
                words.contains(last.as_str()),
                "{file} lacks '{}'",
                path.join(" ")
            );
        }
    }
}

#[test]
fn the_binary_has_no_data_generator() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.db");
    let (code, _, err) = twofa(&[
        "--db",
        db.to_str().unwrap(),
        "generate",
        "data",
        "--accounts",
        "1",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(!db.exists(), "generate data created {}", db.display());
    // The hidden generator of completions and man pages is still there.
    let (code, _, err) = twofa(&["generate", "man", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(dir.path().join("twofa-rekey.1").exists());
}
