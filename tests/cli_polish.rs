//! What a new user meets in the first hour, through the binary: the QR code only on a
//! terminal, `recovery regenerate` asking first, the enroll prompt forgiving typos, no code
//! in any example's argv, counts that agree in number, and `audit --locked`.
//!
//! The terminal cases run twofa on a pseudo-terminal (tests/common/pty.rs).

mod common;

use std::collections::BTreeSet;

use clap::CommandFactory;
use common::pty::Terminal;
use common::{Codes, Status, TestEnv, assert_accepted, assert_rejected, count_action};

const ALICE: &str = "alice@example.com";

/// The QR glyphs (half blocks): any of them means a QR code was drawn.
fn has_qr(text: &str) -> bool {
    text.contains(['█', '▀', '▄'])
}

/// `enroll a@example.com --create --no-confirm{extra}` redirected into a file, with colour
/// allowed as in a user's shell (only the redirection decides): it succeeds and the file
/// holds no escape byte. Returns the file's text.
fn enroll_into_a_file(env: &TestEnv, extra: &str) -> String {
    let script =
        format!(r#""$TWOFA" enroll a@example.com --create --no-confirm{extra} > enroll.txt"#);
    let out = env
        .bash(&script)
        .env_remove("NO_COLOR")
        .env("TERM", "xterm-256color")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let file = std::fs::read(env.path("enroll.txt")).unwrap();
    assert!(!file.contains(&0x1b), "an escape byte in the file");
    String::from_utf8(file).unwrap()
}

// ---------------------------------------------------------------------------------------
// 1. enroll --qr auto: the QR code only on a terminal

#[test]
fn qr_auto_into_a_file_or_a_pipe_writes_the_uri_and_secret_and_no_escape() {
    let env = TestEnv::new();
    let text = enroll_into_a_file(&env, "");
    assert!(!has_qr(&text), "no QR code in a file:\n{text}");
    assert!(
        text.contains("otpauth://totp/twofa:a@example.com?secret="),
        "{text}"
    );
    assert_eq!(common::secret_shown(&text).len(), 20, "{text}");

    // Into a pipe.
    let out = env
        .cmd()
        .env_remove("NO_COLOR")
        .env("TERM", "xterm-256color")
        .args(["enroll", "b@example.com", "--create", "--no-confirm"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!out.stdout.contains(&0x1b) && !out.stderr.contains(&0x1b));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!has_qr(&text) && text.contains("otpauth://totp/"), "{text}");
}

#[test]
fn qr_always_into_a_file_is_drawn_without_colour() {
    let env = TestEnv::new();
    let text = enroll_into_a_file(&env, " --qr always");
    assert!(has_qr(&text), "--qr always draws it:\n{text}");
    assert!(text.contains("otpauth://totp/"));
}

#[test]
fn qr_auto_on_a_terminal_draws_the_qr_code() {
    let env = TestEnv::new();
    env.ok(&["init"]);
    let mut cmd = env.process();
    cmd.env_remove("NO_COLOR")
        .args(["enroll", ALICE, "--create", "--no-confirm"]);
    let (code, text) = Terminal::start(cmd).finish();
    assert_eq!(code, 0, "{text}");
    assert!(has_qr(&text), "a QR code on a terminal:\n{text}");
    assert!(text.contains("\x1b["), "in colour on a terminal");
    assert!(text.contains("otpauth://totp/"));
}

// ---------------------------------------------------------------------------------------
// 2. recovery regenerate asks first

#[test]
fn regenerate_without_a_terminal_needs_yes_and_changes_nothing() {
    let mut env = TestEnv::new();
    let (_, old) = env.enable(ALICE);
    let before = env.events().len();
    let (code, shown, stderr) = env
        .twofa(&["recovery", "regenerate", ALICE])
        .json_full::<Option<Codes>>();
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("pass --yes"), "{stderr}");
    assert_eq!(shown, None, "no codes shown");
    assert_eq!(env.events().len(), before, "nothing logged");
    assert_accepted(&env.verify(ALICE, &old[0]), "recovery");

    let new = env.regenerate(ALICE);
    assert_eq!(new.len(), 10);
    assert_rejected(&env.verify(ALICE, &old[1]), "wrong_code");
}

/// `recovery regenerate ALICE` on a terminal, answering `key`; returns (exit code, screen).
fn regenerate_on_terminal(env: &TestEnv, key: &str) -> (i32, String) {
    let mut cmd = env.process();
    cmd.args(["recovery", "regenerate", ALICE]);
    let mut term = Terminal::start(cmd);
    let asked = term.expect("Replace the recovery codes of alice@example.com?");
    assert!(
        !asked.contains("Recovery codes for"),
        "nothing before the answer"
    );
    term.send(key);
    term.finish()
}

#[test]
fn regenerate_answered_no_on_a_terminal_leaves_the_old_codes_working() {
    let mut env = TestEnv::new();
    let (_, old) = env.enable(ALICE);
    let before = env.events().len();
    let (code, screen) = regenerate_on_terminal(&env, "n");
    assert_eq!(code, 4, "{screen}");
    assert!(screen.contains("nothing changed"), "{screen}");
    assert!(!screen.contains("Recovery codes for"), "{screen}");
    assert_eq!(env.events().len(), before, "nothing logged");
    for c in &old[..3] {
        assert_accepted(&env.verify(ALICE, c), "recovery");
    }
    assert_eq!(env.recovery_left(ALICE), 7);
}

#[test]
fn regenerate_answered_yes_on_a_terminal_replaces_the_codes() {
    let mut env = TestEnv::new();
    let (_, old) = env.enable(ALICE);
    let (code, screen) = regenerate_on_terminal(&env, "y");
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains("Recovery codes for alice@example.com"),
        "{screen}"
    );
    assert_eq!(count_action(&env.events(), "recovery.regenerate"), 1);
    assert_rejected(&env.verify(ALICE, &old[0]), "wrong_code");
}

// ---------------------------------------------------------------------------------------
// 3. The enroll prompt: malformed input does not spend a try

/// `enroll EMAIL --create` on a terminal, up to the first prompt; returns the terminal
/// and the secret it showed.
fn enroll_on_terminal(env: &TestEnv, email: &str) -> (Terminal, Vec<u8>) {
    let mut cmd = env.process();
    cmd.args(["enroll", email, "--create", "--qr", "never"]);
    let mut term = Terminal::start(cmd);
    let before = term.expect("Enter the 6-digit code from the app");
    let secret = common::secret_shown(&before);
    (term, secret)
}

#[test]
fn the_prompt_accepts_the_right_code_after_three_malformed_entries() {
    let env = TestEnv::new();
    let (mut term, secret) = enroll_on_terminal(&env, ALICE);
    let mut screen = String::new();
    for (typed, chars) in [("abc", 3), ("12345", 5), ("1234567", 7)] {
        term.type_line(typed);
        let said = term.expect("not a 6-digit code");
        screen.push_str(&said);
        let why = term.expect("\n");
        assert!(why.contains(&format!("{chars} characters")), "{why:?}");
        screen.push_str(&why);
        screen.push_str(&term.expect("Enter the 6-digit code from the app"));
    }
    term.type_line(&env.code(&secret));
    screen.push_str(&term.expect("2FA is now enabled"));
    let (code, rest) = term.finish();
    screen.push_str(&rest);
    assert_eq!(code, 0, "{screen}");
    assert!(
        !screen.contains("tries left"),
        "no try was spent:\n{screen}"
    );
    // At the prompts, that is: a random recovery code shown after them may hold "abc".
    let prompts = screen
        .split("Recovery codes for")
        .next()
        .unwrap_or_default();
    for typed in ["abc", "12345"] {
        assert!(!prompts.contains(typed), "{typed} echoed:\n{screen}");
    }
    assert!(
        screen.contains("Recovery codes for alice@example.com"),
        "{screen}"
    );
    assert_eq!(env.status(ALICE).state, "enabled");
}

#[test]
fn malformed_entries_do_not_give_back_tries_spent_on_wrong_codes() {
    let env = TestEnv::new();
    let (mut term, secret) = enroll_on_terminal(&env, ALICE);
    let wrong = env.wrong_code(&secret);
    // Each line is typed once the prompt is back, as a person would: the prompt sets the
    // terminal up again, which drops what was typed before it.
    let prompt = "Enter the 6-digit code from the app";
    term.type_line(&wrong);
    term.expect("Wrong code (2 tries left)");
    term.expect(prompt);
    term.type_line("abc");
    term.expect("not a 6-digit code");
    term.expect(prompt);
    term.type_line(&wrong);
    term.expect("Wrong code (1 try left)");
    term.expect(prompt);
    term.type_line("");
    term.expect("not a 6-digit code (0 characters)");
    term.expect(prompt);
    term.type_line(&wrong);
    let (code, rest) = term.finish();
    assert_eq!(code, 1, "three wrong codes end the prompt:\n{rest}");
    assert!(rest.contains("stays pending"), "{rest}");
    assert_eq!(env.status(ALICE).state, "pending");
}

// ---------------------------------------------------------------------------------------
// 4. No example puts a code in argv

/// The runs of exactly six digits in `text` (what a TOTP code looks like).
fn six_digit_runs(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            run.push(c);
        } else {
            if run.len() == 6 {
                found.push(run.clone());
            }
            run.clear();
        }
    }
    found
}

/// Every command path of the definition: `["org", "policy"]`, …
fn command_paths(cmd: &clap::Command, path: &[String], all: &mut Vec<Vec<String>>) {
    for sub in cmd.get_subcommands() {
        if sub.is_hide_set() || sub.get_name() == "help" {
            continue;
        }
        let mut p = path.to_vec();
        p.push(sub.get_name().to_string());
        all.push(p.clone());
        command_paths(sub, &p, all);
    }
}

#[test]
fn no_example_in_any_help_or_man_page_has_a_code_in_argv() {
    let env = TestEnv::new();
    let mut paths = vec![Vec::new()];
    command_paths(&twofa::cli::Cli::command(), &[], &mut paths);
    assert!(paths.len() > 15, "{paths:?}");
    let mut checked = 0;
    for path in &paths {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let help = env.ok(&args);
        let examples = help
            .split_once("Examples:")
            .unwrap_or_else(|| panic!("{path:?} --help has no examples:\n{help}"))
            .1;
        assert!(
            examples.contains("twofa"),
            "{path:?}: examples run twofa:\n{examples}"
        );
        assert_eq!(
            six_digit_runs(examples),
            Vec::<String>::new(),
            "twofa {} --help: an example with a code in it:\n{examples}",
            path.join(" ")
        );
        checked += 1;
    }
    assert_eq!(checked, paths.len());

    let man = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let mut pages = 0;
    for entry in std::fs::read_dir(&man).expect("man/") {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for line in text.lines().filter(|l| l.contains("twofa")) {
            assert_eq!(
                six_digit_runs(line),
                Vec::<String>::new(),
                "{}: {line}",
                path.display()
            );
        }
        pages += 1;
    }
    assert!(pages > 15, "man pages checked: {pages}");
}

// ---------------------------------------------------------------------------------------
// 5. Counts agree in number

#[test]
fn a_one_account_audit_says_1_account() {
    let env = TestEnv::new();
    env.ok(&["user", "add", ALICE]);
    let table = env.ok(&["audit"]);
    let total = table.lines().last().unwrap();
    assert!(total.starts_with("total: 1 account: "), "{table}");

    env.ok(&["user", "add", "bob@example.com"]);
    let table = env.ok(&["audit"]);
    assert!(
        table
            .lines()
            .last()
            .unwrap()
            .starts_with("total: 2 accounts: "),
        "{table}"
    );
}

#[test]
fn messages_with_one_of_something_use_the_singular() {
    let env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    let csv = env.path("one.csv");
    std::fs::write(&csv, "email,org\ncarol@example.com,acme\n").unwrap();
    let out = env.ok(&["user", "import", csv.to_str().unwrap()]);
    assert!(out.contains("imported 1 account from"), "{out}");

    let out = env.ok(&[
        "org",
        "policy",
        "acme",
        "--require",
        "--grace-days",
        "1",
        "--dry-run",
    ]);
    assert!(
        out.contains("Dry run, nothing changed. 1 account without"),
        "{out}"
    );
    env.ok(&["org", "policy", "acme", "--require", "--grace-days", "1"]);
    let log = env.events();
    let detail = |action: &str| {
        let event = log.iter().find(|e| e.action == action).unwrap();
        event.detail.clone().unwrap_or_default()
    };
    assert_eq!(detail("policy.require"), "2FA required; grace 1 day");
    assert!(detail("user.import").starts_with("1 account from"));

    let mut env = env;
    let (secret, _) = env.enable(ALICE);
    assert_rejected(&env.verify(ALICE, &env.wrong_code(&secret)), "wrong_code");
    let failure = env
        .events()
        .into_iter()
        .find(|e| e.action == "verify.rejected")
        .expect("a verify.rejected event");
    assert_eq!(
        failure.detail.as_deref(),
        Some("wrong_code; 1 consecutive failure")
    );
}

// ---------------------------------------------------------------------------------------
// 6. audit --locked

/// Locks `email` (enabled) with five wrong codes.
fn lock(env: &TestEnv, email: &str, secret: &[u8]) {
    for _ in 0..5 {
        env.verify(email, &env.wrong_code(secret));
    }
    assert!(env.status(email).locked, "{email} is locked");
}

/// The exit code and the emails of an `audit` run.
fn emails(env: &TestEnv, args: &[&str]) -> (i32, BTreeSet<String>) {
    let (code, rows) = env.twofa(args).json::<Vec<Status>>();
    (code, rows.into_iter().map(|r| r.email).collect())
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn audit_locked_lists_exactly_the_locked_accounts() {
    let mut env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    env.ok(&["org", "add", "beta"]);
    let (old, _) = env.enable_with("old@example.com", &["--org", "beta"]);
    lock(&env, "old@example.com", &old);
    // Its lock expires: an expired lock is no lock.
    env.now += 16 * 60;
    let (a1, _) = env.enable_with("a1@example.com", &["--org", "acme"]);
    let (a2, _) = env.enable_with("a2@example.com", &["--org", "acme"]);
    let (b1, _) = env.enable_with("b1@example.com", &["--org", "beta"]);
    env.enable_with("b2@example.com", &["--org", "beta"]);
    let (n1, _) = env.enable("n1@example.com");
    env.enroll_with("p1@example.com", &["--org", "acme"]);
    lock(&env, "a1@example.com", &a1);
    lock(&env, "b1@example.com", &b1);
    lock(&env, "n1@example.com", &n1);
    // Four wrong codes: not locked.
    for _ in 0..4 {
        env.verify("a2@example.com", &env.wrong_code(&a2));
    }

    let (code, locked) = emails(&env, &["audit", "--locked"]);
    assert_eq!(code, 0);
    assert_eq!(
        locked,
        set(&["a1@example.com", "b1@example.com", "n1@example.com"])
    );
    // Cross-check against every row's own `locked`.
    let want: BTreeSet<String> = env
        .twofa(&["audit"])
        .ok_json::<Vec<Status>>()
        .into_iter()
        .filter(|r| r.locked)
        .map(|r| r.email)
        .collect();
    assert_eq!(locked, want);

    assert_eq!(
        emails(&env, &["audit", "--locked", "--org", "acme"]).1,
        set(&["a1@example.com"])
    );
    assert_eq!(
        emails(&env, &["audit", "--locked", "--state", "pending"]).1,
        set(&[])
    );
    assert_eq!(
        emails(
            &env,
            &["audit", "--locked", "--state", "enabled", "--org", "beta"]
        )
        .1,
        set(&["b1@example.com"])
    );

    // With --non-compliant: locked and non-compliant (beta requires 2FA, b1 has it).
    env.ok(&["org", "policy", "acme", "--require"]);
    env.ok(&["org", "policy", "beta", "--require"]);
    let (code, rows) = emails(&env, &["audit", "--locked", "--non-compliant"]);
    assert_eq!((code, rows), (0, set(&[])), "locked accounts all have 2FA");
    env.ok(&["reset", "b1@example.com", "--reason", "lost phone", "--yes"]);
    let (code, rows) = emails(&env, &["audit", "--non-compliant"]);
    assert_eq!(code, 1);
    assert!(rows.contains("b1@example.com") && rows.contains("p1@example.com"));
    let (code, rows) = emails(&env, &["audit", "--locked", "--non-compliant"]);
    assert_eq!((code, rows), (0, set(&[])), "the reset cleared b1's lock");

    // Every format, and the table's summary counts what it listed.
    let csv = env.ok(&["audit", "--locked", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 1 + 2, "{csv}");
    let table = env.ok(&["audit", "--locked", "--org", "acme"]);
    assert!(
        table
            .lines()
            .last()
            .unwrap()
            .starts_with("total: 1 account: "),
        "{table}"
    );
}
