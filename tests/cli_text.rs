//! Text in, text out: hostile input is refused at every entry point, codes are
//! never echoed, stored control characters never reach a terminal raw, CSV cells are
//! defused, reads are bounded. Backend-neutral: runs on PostgreSQL with
//! TWOFA_TEST_BACKEND=postgres.

mod common;

use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;

const ESC_NAME: &str = "evil\u{1b}]0;pwned\u{7}";

/// An environment with organisation acme and the account alice@example.com.
fn env_with_alice() -> TestEnv {
    let env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    env.ok(&["user", "add", "alice@example.com", "--org", "acme"]);
    env
}

/// Asserts that `text` holds none of `secrets`, in any case, with or without dashes.
#[track_caller]
fn assert_not_echoed(text: &str, secrets: &[&str]) {
    let flat = text.to_lowercase().replace('-', "");
    for s in secrets {
        let s = s.to_lowercase().replace('-', "");
        assert!(!flat.contains(&s), "{s} echoed in:\n{text}");
    }
}

#[test]
fn malformed_codes_are_never_echoed() {
    let mut env = env_with_alice();
    let (secret, codes) = env.enable("bob@example.com");
    let valid = env.code(&secret);
    let typo = format!("{valid}7");
    let err = env
        .twofa(&["verify", "bob@example.com", "-"])
        .stdin(format!("{typo}\n"))
        .fails_saying(2, "7 digit(s) were given");
    assert_not_echoed(&err, &[&valid]);

    let long_recovery = format!("{}x", codes[0]);
    let err = env
        .twofa(&["verify", "bob@example.com", "-"])
        .stdin(format!("{long_recovery}\n"))
        .fails_saying(2, "17 character(s) were given");
    assert_not_echoed(&err, &[&codes[0]]);
    let err = env
        .twofa(&["verify", "bob@example.com", &long_recovery])
        .fails(2);
    assert_not_echoed(&err, &[&codes[0]]);

    // EMAIL and CODE swapped: the code is not shown as a malformed email either.
    let err = env
        .twofa(&["verify", &codes[0], "bob@example.com"])
        .fails_saying(2, "the email is not an email address: it has no '@'");
    assert_not_echoed(&err, &[&codes[0]]);

    // The recovery code still works: the malformed attempts changed nothing.
    assert_accepted(&env.verify("bob@example.com", &codes[0]), "recovery");

    // confirm, likewise.
    let pending = env.enroll("carol@example.com");
    let valid = env.code(&pending);
    let err = env
        .twofa(&["confirm", "carol@example.com", "-"])
        .stdin(format!("{valid}1"))
        .fails_saying(2, "digit(s) were given");
    assert_not_echoed(&err, &[&valid]);
    env.confirm("carol@example.com", &valid);
}

#[test]
fn a_code_given_where_the_email_goes_is_never_shown() {
    let mut env = env_with_alice();
    let (secret, codes) = env.enable("bob@example.com");
    let code = env.code(&secret);
    let bob = "bob@example.com";
    // The arguments in the wrong order: what stands for EMAIL is a code.
    for args in [
        vec!["confirm", code.as_str(), bob],
        vec!["diagnose", code.as_str(), bob],
        vec!["diagnose", codes[0].as_str(), bob],
        vec!["resync", code.as_str(), code.as_str(), bob],
        vec!["verify", code.as_str(), bob],
    ] {
        let err = env
            .twofa(&args)
            .fails_saying(2, "the email is not an email address: it has no '@'");
        assert_not_echoed(&err, &[&code, &codes[0]]);
    }
    env.twofa(&["diagnose", "", &code])
        .fails_saying(2, "the email is empty");

    // diagnose and resync take the app's code only, and say so without showing it.
    let err = env
        .twofa(&["diagnose", bob, "-"])
        .stdin(&codes[0])
        .fails_saying(2, "16 character(s) were given");
    assert!(
        err.contains("the 6 digits the authenticator app shows"),
        "{err}"
    );
    assert_not_echoed(&err, &[&codes[0]]);
    let err = env
        .twofa(&["resync", bob, "-"])
        .stdin(format!("{code}\n{}\n", codes[1]))
        .fails_saying(2, "the 6 digits the authenticator app shows");
    assert!(!err.contains("recovery"), "{err}");
    assert_not_echoed(&err, &[&code, &codes[1]]);

    // Nothing was spent, counted or evaluated.
    assert_eq!(env.recovery_left(bob), 10);
    assert_eq!(env.status(bob).failed_attempts, 0);
    assert!(
        !env.actions_of(bob)
            .iter()
            .any(|a| a.starts_with("diagnose")),
        "{:?}",
        env.actions_of(bob)
    );
}

#[test]
fn hostile_emails_are_refused_everywhere() {
    let env = env_with_alice();
    let hostile = [
        "a,b@example.com",
        "<x@example.com>",
        "alice\u{200b}@example.com",
        "bidi\u{202e}@example.com",
        "esc\u{1b}]0;x\u{7}@example.com",
        "x@localhost",
        "x;y@example.com",
    ];
    for email in hostile {
        let err = env.twofa(&["user", "add", email]).fails(2);
        assert!(err.contains("is not an email address: "), "{err}");
        assert!(
            !err.contains('\u{1b}') && !err.contains('\u{200b}'),
            "{err}"
        );
        env.twofa(&["enroll", email, "--create", "--no-confirm"])
            .fails(2);
        env.twofa(&["status", email]).fails(2);
        let csv = format!("email,org\n\"{email}\",acme\n");
        env.twofa(&["user", "import", "-"])
            .stdin(&csv)
            .fails_saying(2, "line 2:");
    }
    let long = format!("{}@example.com", "x".repeat(100_000));
    let err = env.twofa(&["user", "add", &long]).fails(2);
    assert!(
        err.len() < 400,
        "the error quotes at most 80 characters: {}",
        err.len()
    );
    let huge = format!("email,org\n{}@example.com,acme\n", "x".repeat(10 << 20));
    let err = env
        .twofa(&["user", "import", "-"])
        .stdin(&huge)
        .fails_saying(2, "line 2 is longer than 64 KiB");
    assert!(
        err.len() < 400,
        "a 10 MB field is not echoed whole: {}",
        err.len()
    );

    // A --from file: each hostile line fails (exit 2), the good one is unlocked.
    let file = env.path("emails.txt");
    std::fs::write(
        &file,
        format!("{}\nalice@example.com\n", hostile.join("\n")),
    )
    .unwrap();
    let out = env
        .twofa(&["unlock", "--from", file.to_str().unwrap()])
        .output();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{200b}'),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("{} failed", hostile.len())),
        "{stdout}"
    );

    let users: Vec<serde_json::Value> = env.twofa(&["user", "list"]).ok_json();
    assert_eq!(users.len(), 1, "only alice: {users:?}");
}

#[test]
fn an_email_that_looks_like_an_option_is_refused_everywhere() {
    let env = env_with_alice();
    let dash = "-rf@example.com";
    let rule =
        "it starts with '-', which a hook or a script (xargs) given it would read as an option";
    env.twofa(&["user", "add", "--", dash])
        .fails_saying(2, &format!("'{dash}' is not an email address: {rule}"));
    env.twofa(&["enroll", "--create", "--no-confirm", "--", dash])
        .fails_saying(2, rule);
    env.twofa(&["user", "rename", "--", "alice@example.com", dash])
        .fails_saying(2, rule);
    env.twofa(&["status", "--", dash]).fails_saying(2, rule);
    env.twofa(&["user", "import", "-"])
        .stdin(format!("email,org\n{dash},acme\n"))
        .fails_saying(2, rule);
    // An export's guarded cell ('-…) is read as the email it guards, and refused.
    env.twofa(&["import", "-", "--create"])
        .stdin(format!(
            "email,secret\n'{dash},JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\n"
        ))
        .fails_saying(
            2,
            &format!("line 2: the email field is not an email address: {rule}"),
        );
    let list = env.path("list.txt");
    std::fs::write(&list, format!("{dash}\n")).unwrap();
    let out = env
        .twofa(&["unlock", "--from", list.to_str().unwrap()])
        .output();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(rule),
        "{out:?}"
    );
    let out = env
        .twofa(&["verify", "--batch"])
        .stdin(format!("{dash} 123456\n"))
        .output();
    let answer: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {out:?}"));
    assert_eq!(answer["email"], serde_json::Value::Null);
    assert!(answer["error"].as_str().unwrap().contains(rule), "{answer}");
    let users: Vec<User> = env.twofa(&["user", "list"]).ok_json();
    assert_eq!(emails(&users), ["alice@example.com"]);
}

#[test]
fn hostile_names_reasons_and_actors_exit_2_and_change_nothing() {
    let env = env_with_alice();
    let before = env.events().len();
    let long = "n".repeat(201);
    for name in [ESC_NAME, "two\nlines", "rtl\u{202e}name", long.as_str()] {
        env.twofa(&["user", "add", "bob@example.com", "--name", name])
            .fails_saying(2, "the name ");
        env.twofa(&["org", "add", "beta", "--name", name])
            .fails_saying(2, "the name ");
        let csv = format!("email,org,name\nbob@example.com,acme,\"{name}\"\n");
        env.twofa(&["user", "import", "-"])
            .stdin(&csv)
            .fails_saying(2, "line 2: the name");
        env.twofa(&["reset", "alice@example.com", "--reason", name, "--yes"])
            .fails_saying(2, "the reason ");
    }
    for actor in ["root\nforged line", ESC_NAME] {
        env.twofa(&["--actor", actor, "user", "add", "bob@example.com"])
            .fails_saying(2, "the actor (--actor or TWOFA_ACTOR)");
        env.twofa(&["user", "add", "bob@example.com"])
            .env("TWOFA_ACTOR", actor)
            .fails_saying(2, "the actor");
        env.twofa(&["user", "add", "bob@example.com"])
            .env_remove("TWOFA_ACTOR")
            .env("USER", actor)
            .fails_saying(2, "the actor ($USER)");
    }
    assert_eq!(env.events().len(), before, "nothing was logged");
    let users: Vec<serde_json::Value> = env.twofa(&["user", "list"]).ok_json();
    assert_eq!(users.len(), 1, "{users:?}");
    // Names with quotes, commas and accents are names.
    env.ok(&[
        "user",
        "add",
        "bob@example.com",
        "--name",
        "Zoë \"Z\", Ünal-李",
    ]);
}

#[test]
fn stored_control_characters_are_shown_escaped() {
    let env = env_with_alice();
    // Written by an older version, or by hand in SQL.
    let chr = if env.is_postgres() { "chr" } else { "char" };
    env.execute(&format!(
        "UPDATE {} SET name = 'evil' || {chr}(27) || ']0;pwned' || {chr}(7) || 'x' WHERE email = 'alice@example.com'",
        env.table("accounts")
    ));
    env.execute(&format!(
        "UPDATE {} SET actor = 'mallory' || {chr}(27) || '[2J' || {chr}(13) || 'x'",
        env.table("events"),
    ));
    for args in [&["user", "list"][..], &["log"]] {
        let out = env.twofa(args).output();
        assert!(out.status.success(), "{args:?}: {out:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            !stdout.contains('\u{1b}'),
            "{args:?} printed a raw ESC:\n{stdout:?}"
        );
        assert!(
            !stdout.contains('\u{7}') && !stdout.contains('\r'),
            "{stdout:?}"
        );
        assert!(
            stdout.contains("\\u{1b}"),
            "{args:?} shows the escape:\n{stdout}"
        );
    }
    // JSON keeps the stored text exactly (as JSON escapes).
    let users: Vec<serde_json::Value> = env.twofa(&["user", "list"]).ok_json();
    assert_eq!(users[0]["name"], "evil\u{1b}]0;pwned\u{7}x");
}

#[test]
fn csv_cells_that_spreadsheets_would_run_are_defused() {
    let env = env_with_alice();
    let formula = "=HYPERLINK(\"http://evil.example/\",\"click\")";
    env.ok(&["user", "add", "bob@example.com", "--name", formula]);
    env.ok(&["user", "add", "=calc@example.com", "--name", "@SUM(A1)"]);
    env.ok(&["user", "add", "+plus@example.com", "--name=-2+3"]);
    let out = env.ok(&["user", "list", "--format", "csv"]);
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(out.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    let cell = |email: &str, col: usize| {
        rows.iter()
            .find(|r| r[0].trim_start_matches('\'') == email)
            .unwrap_or_else(|| panic!("{email} in {out}"))[col]
            .to_string()
    };
    assert_eq!(cell("bob@example.com", 2), format!("'{formula}"));
    assert_eq!(cell("=calc@example.com", 0), "'=calc@example.com");
    assert_eq!(cell("=calc@example.com", 2), "'@SUM(A1)");
    assert_eq!(cell("+plus@example.com", 0), "'+plus@example.com");
    assert_eq!(cell("+plus@example.com", 2), "'-2+3");
    assert_eq!(
        cell("alice@example.com", 0),
        "alice@example.com",
        "plain cells stay"
    );

    // The audit list and a single object (status) go through the same writer.
    let audit = env.ok(&["audit", "--format", "csv"]);
    assert!(audit.contains("\n'=calc@example.com,"), "{audit}");
    let status = env.ok(&["status", "--format", "csv", "=calc@example.com"]);
    assert!(status.contains("\n'=calc@example.com,"), "{status}");
}

/// Runs `sql` on the environment's database as someone with write access to it would:
/// the `sqlite3` shell on SQLite, SQL on PostgreSQL. `$ESC`, `$LF`, `$CR` and `$BEL` stand
/// for those characters (SQL expressions on either backend); `$T` for the table prefix.
fn edit_database(env: &TestEnv, sql: &str) {
    let chr = if env.is_postgres() { "chr" } else { "char" };
    let sql = sql
        .replace("$ESC", &format!("{chr}(27)"))
        .replace("$LF", &format!("{chr}(10)"))
        .replace("$CR", &format!("{chr}(13)"))
        .replace("$BEL", &format!("{chr}(7)"))
        .replace(
            "$T",
            if env.is_postgres() {
                "twofa."
            } else {
                "twofa_"
            },
        );
    if env.is_server() {
        env.execute(&sql);
        return;
    }
    assert!(
        have("sqlite3"),
        "these tests need sqlite3 (apt-get install sqlite3)"
    );
    let out = std::process::Command::new("sqlite3")
        .arg(&env.db)
        .arg(&sql)
        .output()
        .expect("run sqlite3");
    assert!(out.status.success(), "sqlite3: {out:?}");
}

#[test]
fn csv_output_escapes_stored_control_characters_one_record_a_line() {
    let mut env = env_with_alice();
    env.enable("carol@example.com");
    env.ok(&["user", "add", "bob@example.com", "--org", "acme"]);
    env.ok(&[
        "org",
        "policy",
        "acme",
        "--require",
        "--grace-days",
        "10",
        "--yes",
    ]);
    edit_database(
        &env,
        "UPDATE $Taccounts SET name = 'evil' || $ESC || ']0;pwned' || $BEL || $CR || $LF || '=cmd', \
                external_id = 'id' || $LF || $ESC || '[2J' WHERE email = 'alice@example.com';
         UPDATE $Taccounts SET email = 'bob' || $LF || 'forged,row@example.com' WHERE email = 'bob@example.com';
         UPDATE $Torgs SET name = 'Acme' || $LF || 'Corp' || $ESC || '[31m';
         UPDATE $Tevents SET detail = 'one' || $LF || 'two' || $ESC || '[2J', actor = 'mallory' || $CR || 'x';",
    );
    for (args, records) in [
        (&["user", "list"][..], 3),
        (&["find", "evil"], 1),
        (&["find", "forged"], 1),
        (&["audit"], 3),
        (&["status", "alice@example.com"], 1),
        (&["org", "list"], 1),
        (&["log"], 0),
        (&["remind", "--before", "30"], 2),
    ] {
        let out = env.twofa(&[args, &["--format", "csv"]].concat()).output();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "{args:?}: {out:?}");
        assert!(
            !stdout.chars().any(|c| c.is_control() && c != '\n'),
            "{args:?} wrote a control character:\n{stdout:?}"
        );
        assert!(
            stdout.contains("\\n") || stdout.contains("\\r"),
            "{args:?} shows the escapes:\n{stdout}"
        );
        // One record a line: the CSV reads back as one record for each line after the
        // header.
        let lines = stdout.lines().count();
        let read = csv::Reader::from_reader(stdout.as_bytes())
            .records()
            .count();
        assert_eq!(read, lines - 1, "{args:?}:\n{stdout}");
        if records > 0 {
            assert_eq!(read, records, "{args:?}:\n{stdout}");
        }
    }
    // The formula rule still holds inside an escaped cell, and JSON keeps the text as it is.
    let users = env.ok(&["user", "list", "--format", "csv"]);
    assert!(
        users.contains(",evil\\u{1b}]0;pwned\\u{7}\\r\\n=cmd,"),
        "{users}"
    );
    let bob = env.ok(&["find", "forged", "--format", "csv"]);
    assert!(bob.contains("\n\"bob\\nforged,row@example.com\","), "{bob}");
    let json: Vec<serde_json::Value> = env.twofa(&["find", "evil"]).ok_json();
    assert_eq!(json[0]["name"], "evil\u{1b}]0;pwned\u{7}\r\n=cmd");
}

#[test]
fn codes_on_stdin_may_end_in_newline_crlf_or_nul() {
    let mut env = env_with_alice();
    let (secret, _) = env.enable("bob@example.com");
    for end in ["\0", "\r\n", "\n"] {
        let code = env.code(&secret);
        let (exit, v) = env
            .twofa(&["verify", "bob@example.com", "-"])
            .stdin(format!("{code}{end}"))
            .json::<Verify>();
        assert_accepted(&(exit, v), "totp");
        env.now += 30;
    }
}

#[test]
fn a_flood_on_stdin_is_refused_after_a_kibibyte() {
    let mut env = env_with_alice();
    env.enable("bob@example.com");
    let mut child = env
        .process()
        .args(["verify", "bob@example.com", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // 200 MB offered; twofa stops reading after 1 KiB, so the writer meets a closed pipe
    // long before (what it wrote is bounded by the pipe's buffer, not by the input).
    let writer = std::thread::spawn(move || {
        let block = vec![b'7'; 1 << 16];
        let mut written = 0usize;
        while written < 200 << 20 {
            if stdin.write_all(&block).is_err() {
                break;
            }
            written += block.len();
        }
        written
    });
    let out = child.wait_with_output().unwrap();
    let written = writer.join().unwrap();
    assert_failure(&out, 2, "more than 1024 bytes on stdin");
    assert!(written < 8 << 20, "twofa read {written} bytes of the flood");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("7777"), "{stderr}");
}

#[test]
fn resync_reads_its_two_codes_as_every_code_is_read() {
    let mut env = env_with_alice();
    let (secret, _) = env.enable("bob@example.com");
    let first = env.code(&secret);
    // A flood on the second line: refused after a kibibyte of it, none of it shown.
    let err = env
        .twofa(&["resync", "bob@example.com", "-"])
        .stdin(format!("{first}\n{}", "7".repeat(100_000)))
        .fails_saying(2, "more than 1024 bytes on stdin");
    assert!(!err.contains("7777") && !err.contains(&first), "{err}");
    // Each code may end in NUL (pam_exec) or CRLF, as every code read from stdin may.
    for ends in [["\0", "\0"], ["\r\n", "\r\n"]] {
        env.now += 3600;
        let (first, next) = (env.code_at(&secret, 0), env.code_at(&secret, 30));
        let out = env
            .twofa(&["resync", "bob@example.com", "-"])
            .stdin(format!("{first}{}{next}{}", ends[0], ends[1]))
            .output();
        assert_eq!(out.status.code(), Some(0), "{ends:?}: {out:?}");
    }
}

#[test]
fn a_key_file_that_is_not_a_regular_file_exits_6_at_once() {
    let mut env = env_with_alice();
    env.enable("bob@example.com");
    let fifo = env.path("fifo.key");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    for key in [
        fifo.as_path(),
        std::path::Path::new("/dev/zero"),
        env.dir.path(),
    ] {
        let started = Instant::now();
        let out = env
            .cmd()
            .args(["check"])
            .env("TWOFA_KEY_FILE", key)
            .timeout(Duration::from_secs(20))
            .output()
            .unwrap();
        assert_failure(&out, 6, "not a regular file of 32 bytes");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{key:?} was waited on"
        );
    }
    // A key file of the wrong size, however large, is read with a cap.
    let big = env.path("big.key");
    std::fs::write(&big, vec![0u8; 1 << 20]).unwrap();
    env.twofa(&["check"])
        .env("TWOFA_KEY_FILE", &big)
        .fails_saying(6, "more than 32 bytes");
}

#[test]
fn grace_days_are_bounded_and_deadlines_are_rfc3339() {
    let env = env_with_alice();
    for bad in ["3651", "4294967295", "-1", "x"] {
        let arg = format!("--grace-days={bad}");
        env.twofa(&["org", "policy", "acme", "--require", &arg])
            .fails_saying(2, "from 0 to 3650");
    }
    let policy: Policy = env
        .twofa(&["org", "policy", "acme", "--require", "--grace-days", "3650"])
        .ok_json();
    assert_eq!(policy.grace_days, 3650);
    let status = env.status("alice@example.com");
    let deadline = status.deadline.expect("a deadline");
    assert!(
        time::OffsetDateTime::parse(&deadline, &time::format_description::well_known::Rfc3339)
            .is_ok(),
        "{deadline}"
    );
    assert!(deadline.starts_with("2037-01-1"), "{deadline}");
}

#[test]
fn an_import_names_every_bad_line_and_both_lines_of_a_duplicate() {
    let env = env_with_alice();
    let csv = "email,org,name\n\
               bob@example.com,acme,Bob\n\
               not-an-email,acme,X\n\
               carol@example.com,nowhere,Carol\n\
               dave@example.com,acme,\"evil\u{1b}]0;x\u{7}\"\n\
               bob@example.com,,Bob again\n\
               erin@example.com,acme\n";
    let err = env
        .twofa(&["user", "import", "-"])
        .stdin(csv)
        .fails_saying(2, "4 lines are bad; nothing was imported");
    for needle in [
        "line 3: 'not-an-email' is not an email address",
        "line 4: no organisation 'nowhere'",
        "line 5: the name 'evil\\u{1b}]0;x\\u{7}' is refused",
        "line 6: bob@example.com is also on line 2",
    ] {
        assert!(err.contains(needle), "{needle:?} missing from:\n{err}");
    }
    assert!(!err.contains('\u{1b}'), "{err}");
    let users: Vec<serde_json::Value> = env.twofa(&["user", "list"]).ok_json();
    assert_eq!(users.len(), 1, "all or nothing: {users:?}");

    // A header with a name column takes rows without the name.
    let out = env
        .twofa(&["user", "import", "-"])
        .stdin("email,org,name\nbob@example.com,acme\ncarol@example.com,,Carol\n")
        .ok();
    assert!(out.contains("imported 2"), "{out}");
}

#[test]
fn the_actor_falls_back_to_the_name_of_the_uid() {
    let env = env_with_alice();
    let me = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    let me = String::from_utf8(me.stdout).unwrap().trim().to_string();
    env.twofa(&["user", "add", "bob@example.com"])
        .env_remove("TWOFA_ACTOR")
        .env_remove("USER")
        .env_remove("SUDO_USER")
        .ok();
    let events = env.events();
    let added = events
        .iter()
        .find(|e| e.action == "user.add" && e.email.as_deref() == Some("bob@example.com"))
        .expect("the user.add event");
    assert_eq!(added.actor, me);
    assert_ne!(added.actor, "unknown");
}
