//! twofa inside an application, through the real binary on the suite's backend: `user
//! sync` from the application's users table, account changes (remove, rename, move), the
//! `verify --batch` co-process (also from the Python example), and the README's PAM recipe
//! through real Linux-PAM (pamtester).

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;

use twofa::store::OpenMode;

use common::{
    BatchAnswer, Moved, Renamed, SyncReport, TestEnv, Verify, assert_accepted, assert_rejected,
    count_action,
};

const USERS: &str = "CREATE TABLE app_users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, \
                     team TEXT, full_name TEXT);
     INSERT INTO app_users VALUES (1, 'Alice@Example.com', 'acme', 'Alice A');
     INSERT INTO app_users VALUES (2, 'bob@example.com', 'acme', NULL);
     INSERT INTO app_users VALUES (3, 'carol@example.com', NULL, 'Carol');";

const QUERY: &str =
    "SELECT email, team AS org, full_name AS name, id AS external_id FROM app_users";

fn sync(env: &TestEnv, extra: &[&str]) -> SyncReport {
    env.twofa(&[&["user", "sync", "--query", QUERY], extra].concat())
        .ok_json()
}

/// An environment whose database holds the application's users table, synced once.
fn synced() -> TestEnv {
    let env = TestEnv::new();
    env.ok(&["init"]);
    env.app_sql(USERS);
    let first = sync(&env, &[]);
    assert_eq!(
        first.added,
        ["alice@example.com", "bob@example.com", "carol@example.com"]
    );
    assert_eq!(first.orgs_added, ["acme"]);
    assert!(first.updated.is_empty() && first.orphaned.is_empty() && first.reused.is_empty());
    env
}

fn app_user_count(env: &TestEnv) -> String {
    env.query_strings("SELECT count(*) FROM app_users")[0].clone()
}

#[test]
fn first_sync_adds_users_and_their_organisations() {
    let env = synced();
    let alice = env.status("alice@example.com");
    assert_eq!(alice.org.as_deref(), Some("acme"));
    assert_eq!(alice.external_id.as_deref(), Some("1"));
    assert_eq!(alice.state, "disabled");
    assert_eq!(env.status("carol@example.com").org, None);
    let events = env.events();
    assert_eq!(count_action(&events, "org.add"), 1);
    assert_eq!(count_action(&events, "user.add"), 3);
    // Again, nothing to do: no change, no event.
    let again = sync(&env, &[]);
    assert!(again.added.is_empty() && again.updated.is_empty() && again.orphaned.is_empty());
    assert_eq!(env.events().len(), events.len());
}

#[test]
fn changes_come_out_in_a_dry_run_and_are_applied_by_a_sync() {
    let env = synced();
    env.app_sql(
        "UPDATE app_users SET team = 'beta' WHERE id = 2;
         DELETE FROM app_users WHERE id = 3;
         INSERT INTO app_users VALUES (4, 'dave@example.com', 'acme', 'Dave');",
    );
    let before = env.twofa(&["audit"]).ok_json::<Vec<common::Status>>();
    let events = env.events().len();

    let dry = sync(&env, &["--dry-run"]);
    assert!(dry.dry_run);
    assert_eq!(dry.added, ["dave@example.com"]);
    assert_eq!(dry.updated, ["bob@example.com"]);
    assert_eq!(dry.orphaned, ["carol@example.com"]);
    assert_eq!(dry.orgs_added, ["beta"]);
    assert!(dry.removed.is_empty() && dry.reused.is_empty());
    assert_eq!(
        env.twofa(&["audit"]).ok_json::<Vec<common::Status>>(),
        before
    );
    assert_eq!(env.events().len(), events, "a dry run logs nothing");
    env.twofa(&["org", "policy", "beta"]).fails(3);

    let real = sync(&env, &[]);
    assert_eq!(
        (real.added, real.updated, real.orphaned.clone()),
        (dry.added, dry.updated, dry.orphaned)
    );
    assert!(real.removed.is_empty(), "orphans stay without --prune");
    assert_eq!(env.status("bob@example.com").org.as_deref(), Some("beta"));
    assert_eq!(
        env.status("dave@example.com").external_id.as_deref(),
        Some("4")
    );
    env.status("carol@example.com");
    let actions = env.actions_of("bob@example.com");
    assert_eq!(actions[0], "user.sync");

    let pruned = sync(&env, &["--prune"]);
    assert_eq!(pruned.removed, ["carol@example.com"]);
    assert!(pruned.added.is_empty() && pruned.updated.is_empty());
    env.twofa(&["status", "carol@example.com"]).fails(3);
    assert_eq!(env.actions_of("carol@example.com")[0], "user.remove");
    assert!(
        sync(&env, &[]).orphaned.is_empty(),
        "nothing orphaned after the prune"
    );
}

#[test]
fn a_user_recreated_with_a_new_id_does_not_inherit_2fa() {
    let mut env = synced();
    let (secret, codes) = env.enable("alice@example.com");
    env.app_sql(
        "DELETE FROM app_users WHERE id = 1;
         INSERT INTO app_users VALUES (9, 'alice@example.com', 'acme', 'Alice B');",
    );
    let report = sync(&env, &[]);
    assert_eq!(report.reused, ["alice@example.com"]);
    let status = env.status("alice@example.com");
    assert_eq!(status.state, "disabled", "{status:?}");
    assert_eq!(status.external_id.as_deref(), Some("9"));
    assert_rejected(
        &env.verify("alice@example.com", &env.code(&secret)),
        "not_enrolled",
    );
    assert_rejected(&env.verify("alice@example.com", &codes[0]), "not_enrolled");
    assert!(
        env.actions_of("alice@example.com")
            .contains(&"account.reused".to_string())
    );
    // The same id again is the same user: nothing more happens.
    assert!(sync(&env, &[]).reused.is_empty());
}

#[test]
fn a_writing_query_is_refused_and_runs_nothing() {
    let env = synced();
    for sql in [
        "DELETE FROM app_users",
        "UPDATE app_users SET team = 'x'",
        "DROP TABLE app_users",
    ] {
        env.twofa(&["user", "sync", "--query", sql])
            .fails_saying(2, "only read");
        assert_eq!(app_user_count(&env), "3", "{sql} ran");
    }
    // Statements that write and return rows as a SELECT does: refused as well.
    for sql in [
        "DELETE FROM app_users RETURNING email, team AS org",
        "WITH gone AS (DELETE FROM app_users RETURNING email, team) \
         SELECT email, team AS org FROM gone",
    ] {
        env.twofa(&["user", "sync", "--query", sql, "--dry-run"])
            .fails(2);
        assert_eq!(app_user_count(&env), "3", "{sql} ran");
    }
    // A SELECT whose function writes: PostgreSQL's read-only transaction refuses it.
    if env.is_postgres() {
        env.app_sql("CREATE SEQUENCE app_seq");
        let sql = "SELECT nextval('app_seq')::text || '@example.com' AS email, NULL AS org";
        env.twofa(&["user", "sync", "--query", sql, "--dry-run"])
            .fails(2);
        let used = env.query_strings("SELECT is_called FROM app_seq");
        assert_eq!(used, ["false"], "the sequence moved");
    }
    env.twofa(&["user", "sync", "--query", "SELECT email FROM app_users"])
        .fails_saying(2, "email and org");
    env.app_sql("INSERT INTO app_users VALUES (5, 'not an email', NULL, NULL)");
    env.twofa(&["user", "sync", "--query", QUERY])
        .fails_saying(2, "not an email");
    assert!(env.status("alice@example.com").org.is_some());
}

#[test]
fn source_reads_another_database() {
    let env = TestEnv::new();
    env.ok(&["init"]);
    let app = env.path("app.db");
    rusqlite::Connection::open(&app)
        .and_then(|c| c.execute_batch(USERS))
        .unwrap();
    let report: SyncReport = env
        .twofa(&[
            "user",
            "sync",
            "--source",
            app.to_str().unwrap(),
            "--query",
            QUERY,
        ])
        .ok_json();
    assert_eq!(report.added.len(), 3);
    assert_eq!(
        env.status("bob@example.com").external_id.as_deref(),
        Some("2")
    );
    env.twofa(&["user", "sync", "--source", "missing.db", "--query", QUERY])
        .fails(6);
}

#[test]
fn rename_keeps_2fa_and_reminds_of_the_label() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("old@example.com");
    let renamed: Renamed = env
        .twofa(&["user", "rename", "Old@example.com", "new@example.com"])
        .ok_json();
    assert_eq!(renamed.email, "new@example.com");
    assert_eq!(renamed.renamed_from, "old@example.com");
    env.twofa(&["status", "old@example.com"]).fails(3);
    assert_accepted(&env.verify("new@example.com", &env.code(&secret)), "totp");
    let out = env.ok(&["user", "rename", "new@example.com", "newer@example.com"]);
    assert!(out.contains("still shows new@example.com"), "{out}");
    assert_eq!(env.actions_of("newer@example.com")[0], "user.rename");

    env.ok(&["user", "add", "taken@example.com"]);
    env.twofa(&["user", "rename", "newer@example.com", "taken@example.com"])
        .fails_saying(4, "already exists");
    env.twofa(&["user", "rename", "nobody@example.com", "x@example.com"])
        .fails(3);
    env.twofa(&["user", "rename", "newer@example.com", "not-an-email"])
        .fails(2);
}

#[test]
fn move_follows_the_new_organisations_policy_from_now() {
    let mut env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    env.ok(&["org", "add", "strict"]);
    env.ok(&["user", "add", "alice@example.com", "--org", "acme"]);
    env.ok(&["org", "policy", "strict", "--require", "--grace-days", "7"]);
    // Long after the policy started, alice moves in: her grace period starts now.
    env.now += 30 * 86_400;
    let moved: Moved = env
        .twofa(&["user", "move", "alice@example.com", "--org", "strict"])
        .ok_json();
    assert!(moved.changed && moved.required && moved.compliant);
    assert_eq!(moved.previous_org.as_deref(), Some("acme"));
    let status = env.status("alice@example.com");
    assert_eq!(status.deadline, moved.deadline);
    let deadline = status.deadline.expect("a deadline");
    assert!(deadline.starts_with("2027-02-21"), "{deadline}");
    env.now += 8 * 86_400;
    assert!(!env.status("alice@example.com").compliant);
    env.twofa(&["disable", "alice@example.com", "--yes"])
        .fails(4);

    let out: Moved = env
        .twofa(&["user", "move", "alice@example.com", "--no-org"])
        .ok_json();
    assert!(!out.required && out.org.is_none());
    let again: Moved = env
        .twofa(&["user", "move", "alice@example.com", "--no-org"])
        .ok_json();
    assert!(!again.changed);
    assert_eq!(count_action(&env.events(), "user.move"), 2);
    env.twofa(&["user", "move", "alice@example.com", "--org", "nope"])
        .fails(3);
    env.twofa(&["user", "move", "alice@example.com"]).fails(2);
}

#[test]
fn remove_deletes_the_account_and_keeps_its_events() {
    let mut env = TestEnv::new();
    env.enable("alice@example.com");
    env.ok(&["user", "add", "bob@example.com"]);
    env.twofa(&["user", "remove", "alice@example.com"])
        .fails_saying(2, "--yes");
    env.status("alice@example.com");
    env.ok(&[
        "user",
        "remove",
        "alice@example.com",
        "--reason",
        "left",
        "--yes",
    ]);
    env.twofa(&["status", "alice@example.com"]).fails(3);
    let actions = env.actions_of("alice@example.com");
    assert_eq!(actions[0], "user.remove");
    assert!(actions.len() > 2, "its history stays: {actions:?}");
    assert!(
        env.query_strings(&format!(
            "SELECT count(*) FROM {}",
            env.table("recovery_codes")
        ))[0]
            == "0",
        "its recovery codes went with it"
    );
    env.twofa(&["user", "remove", "--from", "-", "--yes"])
        .stdin("bob@example.com\nnobody@example.com\n")
        .fails(3);
    env.twofa(&["status", "bob@example.com"]).fails(3);
}

/// Runs `verify --batch` with `input` and returns (exit code, the answers).
fn batch(env: &TestEnv, input: &str) -> (i32, Vec<BatchAnswer>) {
    let out = env.twofa(&["verify", "--batch"]).stdin(input).output();
    let answers = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (out.status.code().expect("exit code"), answers)
}

#[test]
fn verify_batch_answers_mixed_requests_in_order() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("alice@example.com");
    let code = env.code(&secret);
    let wrong = env.wrong_code(&secret);
    let input = format!(
        "{{\"email\": \"alice@example.com\", \"code\": \"{code}\"}}\n\
         alice@example.com {code}\n\
         Alice@Example.com {wrong}\n\
         this is not a request\n\
         {{\"email\": \"nobody@example.com\", \"code\": \"{code}\"}}\n"
    );
    let (exit, answers) = batch(&env, &input);
    assert_eq!(exit, 0, "{answers:?}");
    assert_eq!(answers.len(), 5, "{answers:?}");
    let verify = |i: usize| match &answers[i] {
        BatchAnswer::Verify(v) => (0, v.clone()),
        other => panic!("answer {i} is {other:?}"),
    };
    let (_, first) = verify(0);
    assert!(
        first.accepted && first.method.as_deref() == Some("totp"),
        "{first:?}"
    );
    assert_eq!(verify(1).1.reason.as_deref(), Some("reused"));
    assert_eq!(verify(2).1.reason.as_deref(), Some("wrong_code"));
    match &answers[3] {
        BatchAnswer::Error {
            accepted,
            exit_code,
            error,
            ..
        } => assert!(!accepted && *exit_code == 2 && !error.is_empty()),
        other => panic!("{other:?}"),
    }
    match &answers[4] {
        BatchAnswer::Error {
            email, exit_code, ..
        } => {
            assert_eq!(email.as_deref(), Some("nobody@example.com"));
            assert_eq!(*exit_code, 3);
        }
        other => panic!("{other:?}"),
    }
    // No answer repeats a code.
    let out = env.twofa(&["verify", "--batch"]).stdin(&input).output();
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&wrong));
    // The rules are verify's: the wrong code counted, the reuse did not.
    assert_eq!(count_action(&env.events(), "verify.reused"), 3);
    let failures = env.query_strings(&format!(
        "SELECT failed_attempts FROM {} WHERE email = 'alice@example.com'",
        env.table("accounts")
    ));
    assert_eq!(failures, ["2"], "two wrong codes, two runs");
}

/// One group decides its accounts in email order but answers in the order asked; one
/// account's requests keep their order, and each answer counts the recovery codes left as
/// they are at that point of the group.
#[test]
fn verify_batch_answers_a_group_in_the_order_asked() {
    let mut env = TestEnv::new();
    let (bob, bob_codes) = env.enable("bob@example.com");
    let (alice, _) = env.enable("alice@example.com");
    let (bob_code, alice_code) = (env.code(&bob), env.code(&alice));
    let input = format!(
        "bob@example.com {bob_code}\n\
         alice@example.com {alice_code}\n\
         bob@example.com {}\n\
         bob@example.com {bob_code}\n\
         alice@example.com {alice_code}\n",
        bob_codes[0]
    );
    let (exit, answers) = batch(&env, &input);
    assert_eq!(exit, 0, "{answers:?}");
    // Each answer as "EMAIL METHOD-OR-REASON CODES-LEFT".
    let got: Vec<String> = answers
        .iter()
        .map(|a| match a {
            BatchAnswer::Verify(v) => format!(
                "{} {} {:?}",
                v.email,
                v.method.as_deref().or(v.reason.as_deref()).unwrap_or("-"),
                v.recovery_codes_left
            ),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        got,
        [
            "bob@example.com totp Some(10)",
            "alice@example.com totp Some(10)",
            "bob@example.com recovery Some(9)",
            "bob@example.com reused Some(9)",
            "alice@example.com reused Some(10)",
        ]
    );
    assert_eq!(env.recovery_left("bob@example.com"), 9);
}

#[test]
fn verify_batch_errors_repeat_no_code_and_suggest_no_email() {
    let mut env = TestEnv::new();
    let (_, codes) = env.enable("alice@example.com");
    env.ok(&["user", "add", "alicia@example.com"]);
    env.ok(&["user", "add", "bob@example.com"]);
    let input = format!(
        "{{\"email\": \"{}\", \"code\": \"alice@example.com\"}}\n\
         {} alice@example.com\n\
         {{\"email\": \"alice@example.com \", \"code\": \"{}x\"}}\n\
         {{\"email\": \"alicea@example.com\", \"code\": \"{}\"}}\n\
         alice@example.com\n\
         {}\n",
        codes[0], codes[1], codes[2], codes[3], codes[4]
    );
    let out = env.twofa(&["verify", "--batch"]).stdin(&input).output();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let errors: Vec<(Option<String>, String, i32)> = stdout
        .lines()
        .map(|l| match serde_json::from_str(l).expect(l) {
            BatchAnswer::Error {
                email,
                error,
                exit_code,
                ..
            } => (email, error, exit_code),
            other => panic!("{other:?}"),
        })
        .collect();
    // Swapped fields: the email field holds a recovery code, which no answer repeats.
    for (email, error, exit_code) in &errors[..2] {
        assert_eq!((email, *exit_code), (&None, 2), "{error}");
        assert!(
            error.contains("the request's email is not an email address: it has no '@'"),
            "{error}"
        );
    }
    // A malformed code: the email stays, the code is counted, not shown, and the answer
    // names every kind of code verify takes.
    assert_eq!(errors[2].0.as_deref(), Some("alice@example.com"));
    assert!(
        errors[2].1.contains("17 character(s) were given") && errors[2].1.contains("access code"),
        "{}",
        errors[2].1
    );
    // An unknown email: exit 3, its own email, and no other account's.
    assert_eq!(errors[3].0.as_deref(), Some("alicea@example.com"));
    assert_eq!(errors[3].2, 3);
    assert!(!errors[3].1.contains("did you mean"), "{}", errors[3].1);
    assert!(
        !stdout.contains("alicia@") && !stdout.contains("bob@"),
        "{stdout}"
    );
    // A request of one field: its email kept, a code (the email left out) not shown.
    assert_eq!(errors[4].0.as_deref(), Some("alice@example.com"));
    assert_eq!(errors[5].0, None);
    for (_, error, exit_code) in &errors[4..] {
        assert_eq!(*exit_code, 2, "{error}");
        assert!(error.contains("the request has no code"), "{error}");
    }
    assert_eq!(
        stdout.matches("alice@example.com").count(),
        2,
        "only the requests that named it: {stdout}"
    );
    let flat = stdout.to_uppercase().replace('-', "");
    for code in &codes[..5] {
        let code = code.replace('-', "");
        for piece in code.as_bytes().windows(8) {
            let piece = std::str::from_utf8(piece).unwrap();
            assert!(!flat.contains(piece), "{piece} of {code} in:\n{stdout}");
        }
    }
    // Nothing was spent.
    assert_eq!(env.recovery_left("alice@example.com"), 10);
}

#[test]
fn verify_batch_locks_like_verify_and_ends_with_stdin() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("alice@example.com");
    let wrong = env.wrong_code(&secret);
    let right = env.code(&secret);
    let mut input = String::new();
    for _ in 0..5 {
        input.push_str(&format!("alice@example.com {wrong}\n"));
    }
    input.push_str(&format!("alice@example.com {right}\n"));
    let (exit, answers) = batch(&env, &input);
    assert_eq!(exit, 0);
    let reasons: Vec<Option<String>> = answers
        .iter()
        .map(|a| match a {
            BatchAnswer::Verify(v) => v.reason.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    let mut want = vec![Some("wrong_code".to_string()); 5];
    want.push(Some("locked".to_string()));
    assert_eq!(reasons, want);
    assert_eq!(batch(&env, "").1.len(), 0, "no request, no answer");
}

#[test]
fn verify_batch_answers_every_line_even_a_blank_one() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("alice@example.com");
    let code = env.code(&secret);
    let (exit, answers) = batch(&env, &format!("\n \t\nalice@example.com {code}\n\0\n"));
    assert_eq!(exit, 0, "{answers:?}");
    assert_eq!(answers.len(), 4, "one answer a line: {answers:?}");
    for i in [0, 1, 3] {
        match &answers[i] {
            BatchAnswer::Error {
                email,
                error,
                exit_code,
                ..
            } => {
                assert_eq!((email, *exit_code), (&None, 2), "{error}");
                assert!(error.contains("the request is empty"), "{error}");
            }
            other => panic!("answer {i}: {other:?}"),
        }
    }
    assert!(matches!(&answers[2], BatchAnswer::Verify(v) if v.accepted));
}

#[test]
fn verify_batch_answers_before_its_hook_runs_and_waits_for_it_at_the_end() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("alice@example.com");
    let code = env.code(&secret);
    let marker = env.path("hook-ran");
    let hook = format!("sleep 3; cat >> '{}'", marker.display());
    let mut twofa = env.process();
    twofa.args(["--hook", &hook]);
    let mut child = start_batch(twofa);
    let mut stdin = child.stdin.take().unwrap();
    let mut answers = BufReader::new(child.stdout.take().unwrap());
    writeln!(stdin, "alice@example.com {code}").unwrap();
    stdin.flush().unwrap();
    let mut line = String::new();
    answers.read_line(&mut line).unwrap();
    let answer: Verify = serde_json::from_str(&line).expect(&line);
    assert!(answer.accepted, "{answer:?}");
    // The answer came first: the hook for its event has not finished.
    assert!(
        !marker.exists(),
        "the hook ran before the answer was written"
    );
    // At the end of stdin the batch waits for the hook before it exits.
    drop(stdin);
    assert!(child.wait().unwrap().success());
    let events = std::fs::read_to_string(&marker).expect("the hook ran");
    let event: serde_json::Value = serde_json::from_str(events.trim()).expect(&events);
    assert_eq!(event["action"], "verify.accepted", "{events}");
}

#[test]
fn an_accepted_batch_answer_survives_kill_9() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("alice@example.com");
    let code = env.code(&secret);
    let mut child = start_batch(env.process());
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "alice@example.com {code}").unwrap();
    stdin.flush().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    child.kill().unwrap(); // SIGKILL, right after the answer was read
    child.wait().unwrap();
    let answer: Verify = serde_json::from_str(&line).expect(&line);
    assert!(answer.accepted, "{answer:?}");
    assert_rejected(&env.verify("alice@example.com", &code), "reused");
}

/// `twofa verify --batch` started from `twofa` (a twofa command, perhaps under strace),
/// its stdin and stdout piped.
fn start_batch(mut twofa: std::process::Command) -> std::process::Child {
    twofa
        .args(["verify", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start verify --batch")
}

/// Answers of `verify --batch` to `requests`, one at a time: each answer is read before
/// the next request is sent, so that each has a commit of its own.
fn one_by_one(batch: std::process::Command, requests: &[String]) -> Vec<Verify> {
    let mut child = start_batch(batch);
    let mut stdin = child.stdin.take().unwrap();
    let mut answers = BufReader::new(child.stdout.take().unwrap());
    let mut read = Vec::new();
    for request in requests {
        writeln!(stdin, "{request}").unwrap();
        stdin.flush().unwrap();
        let mut line = String::new();
        answers.read_line(&mut line).unwrap();
        read.push(serde_json::from_str(&line).expect(&line));
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
    read
}

#[test]
fn verify_batch_makes_each_answer_durable_before_writing_it() {
    let mut env = TestEnv::new();
    let (alice, _) = env.enable("alice@example.com");
    let (bob, _) = env.enable("bob@example.com");
    let requests = [
        format!("alice@example.com {}", env.code(&alice)),
        format!("bob@example.com {}", env.code(&bob)),
    ];
    if env.is_mysql() {
        // InnoDB's durability is the server's (innodb_flush_log_at_trx_commit = 1, its
        // default, on the test server): the batch checks it and goes on.
        let (mut store, _) = twofa::store::open(env.url(), OpenMode::Existing).unwrap();
        assert!(store.every_commit_synced().unwrap());
        store.sync_every_commit().unwrap();
        drop(store);
        let answers = one_by_one(env.process(), &requests);
        assert!(answers.iter().all(|a| a.accepted), "{answers:?}");
        return;
    }
    if env.is_postgres() {
        // A server whose commits return before their WAL is flushed.
        env.execute(&format!(
            "ALTER DATABASE \"{}\" SET synchronous_commit = off",
            env.db_name()
        ));
    }
    // The store reports what the batch asks of it, and that other commands run without
    // (SQLite: WAL with synchronous = NORMAL; the PostgreSQL database above: off).
    let (mut store, _) = twofa::store::open(env.url(), OpenMode::Existing).unwrap();
    assert!(!store.every_commit_synced().unwrap());
    store.sync_every_commit().unwrap();
    assert!(store.every_commit_synced().unwrap());
    drop(store);

    if env.is_postgres() {
        let answers = one_by_one(env.process(), &requests);
        assert!(answers.iter().all(|a| a.accepted), "{answers:?}");
        return;
    }
    // SQLite: between two answers written to stdout, the WAL was synced.
    let log = env.path("batch.trace");
    let answers = one_by_one(env.traced("fsync,fdatasync,write", &log), &requests);
    assert!(answers.iter().all(|a| a.accepted), "{answers:?}");
    let trace = std::fs::read_to_string(&log).unwrap();
    let (mut synced, mut written) = (false, 0);
    for call in trace.lines() {
        if call.contains("fsync(") || call.contains("fdatasync(") {
            synced = true;
        } else if call.contains("write(1, \"{") {
            assert!(
                synced,
                "answer {written} was written before a sync:\n{trace}"
            );
            synced = false;
            written += 1;
        }
    }
    assert_eq!(written, requests.len(), "{trace}");
}

#[test]
fn the_python_example_keeps_one_batch_process() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("alice@example.com");
    let code = env.code(&secret);
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/app_verify.py");
    let mut python = std::process::Command::new("python3");
    python
        .arg(&script)
        .current_dir(env.dir.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .envs(env.vars())
        .env("TWOFA_ACTOR", "app")
        .env("TWOFA", assert_cmd::cargo::cargo_bin("twofa"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = python.spawn().expect("python3");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            format!(
                "alice@example.com {code}\nalice@example.com {code}\nnobody@example.com {code}\n"
            )
            .as_bytes(),
        )
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "alice@example.com: accepted",
            "alice@example.com: rejected (reused)",
            "nobody@example.com: error (exit 3)",
        ],
        "{stdout}"
    );
    assert_eq!(
        count_action(&env.events(), "verify.accepted"),
        1,
        "one process answered all three"
    );
}

/// The README's PAM recipe through real Linux-PAM: pamtester → pam_exec expose_authtok →
/// twofa verify. Needs root (to write /etc/pam.d) and pamtester.
#[test]
fn pam_exec_recipe_through_pamtester() {
    let uid = std::process::Command::new("id").arg("-u").output().unwrap();
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        eprintln!(
            "pam_exec_recipe_through_pamtester: not run: it must write /etc/pam.d (run as root)"
        );
        return;
    }
    assert!(
        common::have("pamtester"),
        "pamtester is not installed (apt-get install pamtester)"
    );
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("alice@example.com");
    let twofa = assert_cmd::cargo::cargo_bin("twofa");
    let helper = env.path("twofa-pam");
    std::fs::write(
        &helper,
        format!(
            "#!/bin/sh\nexport TWOFA_DB='{}' TWOFA_KEY_FILE='{}' TWOFA_TEST_NOW='{}' TWOFA_ACTOR=pam\n\
             exec '{}' --quiet verify \"$PAM_USER@example.com\" -\n",
            env.url(),
            env.key_file().display(),
            env.now,
            twofa.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&helper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let service = format!("twofa-test-{}", std::process::id());
    let pam_file = std::path::PathBuf::from("/etc/pam.d").join(&service);
    struct Remove(std::path::PathBuf);
    impl Drop for Remove {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
    std::fs::write(
        &pam_file,
        format!(
            "auth required pam_exec.so expose_authtok quiet {}\naccount required pam_permit.so\n",
            helper.display()
        ),
    )
    .unwrap();
    let _cleanup = Remove(pam_file);
    let pamtester = |code: &str| {
        let mut child = std::process::Command::new("pamtester")
            .args([service.as_str(), "alice", "authenticate"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{code}\n").as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let code = env.code(&secret);
    let ok = pamtester(&code);
    assert!(
        ok.status.success(),
        "the right code: {}{}",
        String::from_utf8_lossy(&ok.stdout),
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(!pamtester(&code).status.success(), "the same code again");
    assert!(
        !pamtester(&env.wrong_code(&secret)).status.success(),
        "a wrong code"
    );
    let actions = env.actions_of("alice@example.com");
    assert_eq!(
        &actions[..3],
        ["verify.rejected", "verify.reused", "verify.accepted"],
        "{actions:?}"
    );
}

/// `user{i:04}@example.com`.
fn user(i: usize) -> String {
    format!("user{i:04}@example.com")
}

/// Application rows `(email as the application stores it, org, name, external id)` as an
/// `INSERT` both backends run.
fn insert_users(rows: &[(String, Option<&str>, String, String)]) -> String {
    let values: Vec<String> = rows
        .iter()
        .map(|(email, org, name, id)| {
            let org = org.map_or("NULL".to_string(), |o| format!("'{o}'"));
            format!("('{email}', {org}, '{name}', '{id}')")
        })
        .collect();
    format!("INSERT INTO app_users VALUES {}", values.join(", "))
}

const USERS_QUERY: &str = "SELECT email, org, name, external_id FROM app_users";

#[test]
fn sync_of_many_rows_reads_both_sides_in_email_order() {
    // More rows than one chunk of accounts (512) and one batch of look-ups (500), inserted
    // out of email order; every 97th stored in mixed case, so it is looked up instead. An
    // SQLite source's rows are sorted in 4 KiB of memory (debug builds only): through a
    // few dozen temporary files.
    let env = TestEnv::new();
    env.ok(&["init"]);
    let n = 1300;
    let stored = |i: usize| {
        if i.is_multiple_of(97) {
            format!("User{i:04}@Example.COM")
        } else {
            user(i)
        }
    };
    let row = |i: usize, org: Option<&'static str>, name: String, id: usize| {
        (stored(i), org, name, id.to_string())
    };
    let rows: Vec<_> = (0..n)
        .map(|k| (k * 7919) % n)
        .map(|i| row(i, (i % 2 == 0).then_some("acme"), format!("User {i}"), i))
        .collect();
    env.app_sql(&format!(
        "CREATE TABLE app_users (email TEXT, org TEXT, name TEXT, external_id TEXT); {}",
        insert_users(&rows)
    ));
    let sync = |extra: &[&str]| -> SyncReport {
        env.twofa(&[&["user", "sync", "--query", USERS_QUERY], extra].concat())
            .env("TWOFA_TEST_SORT_MEMORY", "4096")
            .ok_json()
    };
    let first = sync(&[]);
    assert_eq!(first.added, (0..n).map(user).collect::<Vec<_>>());
    assert_eq!(first.orgs_added, ["acme"]);
    assert!(first.updated.is_empty() && first.orphaned.is_empty());
    let again = sync(&[]);
    assert!(again.added.is_empty() && again.updated.is_empty() && again.orphaned.is_empty());

    // What the application changed: gone (i % 10 == 3), another organisation (5), another
    // name (7), re-created with a new id (every 100th + 9), and 100 new users.
    env.app_sql(&format!(
        "DELETE FROM app_users;
         {}",
        insert_users(
            &(0..n + 100)
                .rev()
                .filter(|i| i % 10 != 3)
                .map(|i| {
                    let org = if i % 10 == 5 {
                        Some("beta")
                    } else {
                        (i % 2 == 0).then_some("acme")
                    };
                    let name = if i % 10 == 7 {
                        format!("User {i} Jr")
                    } else {
                        format!("User {i}")
                    };
                    let id = if i % 100 == 9 { i + 10_000 } else { i };
                    row(i, org, name, id)
                })
                .collect::<Vec<_>>()
        )
    ));
    let emails = |keep: &dyn Fn(usize) -> bool, to: usize| -> Vec<String> {
        (0..to).filter(|&i| keep(i)).map(user).collect()
    };
    let dry = sync(&["--dry-run"]);
    assert_eq!(dry.added, emails(&|i| i >= n && i % 10 != 3, n + 100));
    assert_eq!(dry.updated, emails(&|i| i % 10 == 5 || i % 10 == 7, n));
    assert_eq!(dry.reused, emails(&|i| i % 100 == 9, n));
    assert_eq!(dry.orphaned, emails(&|i| i % 10 == 3, n));
    assert_eq!(dry.orgs_added, ["beta"]);
    let real = sync(&["--prune"]);
    assert_eq!(
        (&real.added, &real.updated, &real.reused, &real.orphaned),
        (&dry.added, &dry.updated, &dry.reused, &dry.orphaned)
    );
    assert_eq!(real.removed, dry.orphaned);
    assert_eq!(env.status(&user(15)).org.as_deref(), Some("beta"));
    assert_eq!(env.status(&user(109)).external_id.as_deref(), Some("10109"));
    env.twofa(&["status", &user(13)]).fails(3);
    let last = sync(&[]);
    assert!(
        last.added.is_empty()
            && last.updated.is_empty()
            && last.orphaned.is_empty()
            && last.reused.is_empty(),
        "{last:?}"
    );
}

#[test]
fn sync_of_a_source_out_of_email_order_decides_every_row_alike() {
    // Emails not stored in twofa's normal form (spaces, capitals) cannot be merged in
    // order and are looked up; BLOBs are sorted as their bytes, like text.
    let env = TestEnv::new();
    env.ok(&["init"]);
    for email in [
        "alice@example.com",
        "carol@example.com",
        "frank@example.com",
    ] {
        env.ok(&["user", "add", email]);
    }
    let app = env.path("app.db");
    let source = rusqlite::Connection::open(&app).unwrap();
    source
        .execute_batch(
            "CREATE TABLE app_users (email, org TEXT);
             INSERT INTO app_users VALUES ('dave@example.com', 'acme');
             INSERT INTO app_users VALUES (CAST('alice@example.com' AS BLOB), 'acme');
             INSERT INTO app_users VALUES ('bob@example.com', NULL);
             INSERT INTO app_users VALUES (CAST('carol@example.com' AS BLOB), NULL);
             INSERT INTO app_users VALUES ('  eve@example.com ', NULL);
             INSERT INTO app_users VALUES ('Zed@Example.com', 'acme');",
        )
        .unwrap();
    let sync = |extra: &[&str]| {
        env.twofa(
            &[
                &[
                    "user",
                    "sync",
                    "--source",
                    app.to_str().unwrap(),
                    "--query",
                    "SELECT email, org FROM app_users",
                ],
                extra,
            ]
            .concat(),
        )
    };
    let report: SyncReport = sync(&[]).ok_json();
    assert_eq!(
        report.added,
        [
            "bob@example.com",
            "dave@example.com",
            "eve@example.com",
            "zed@example.com"
        ]
    );
    assert_eq!(report.updated, ["alice@example.com"]);
    assert_eq!(report.orphaned, ["frank@example.com"]);
    assert_eq!(env.status("alice@example.com").org.as_deref(), Some("acme"));

    // A row that repeats an email taken in order is refused, and nothing changes.
    source
        .execute_batch(
            "INSERT INTO app_users VALUES (CAST('bob@example.com' AS BLOB), 'beta');
             UPDATE app_users SET org = 'beta' WHERE email = 'dave@example.com';",
        )
        .unwrap();
    let before = env.twofa(&["audit"]).ok_json::<Vec<common::Status>>();
    sync(&[]).fails_saying(2, "bob@example.com is also on row");
    assert_eq!(
        env.twofa(&["audit"]).ok_json::<Vec<common::Status>>(),
        before
    );
}

#[test]
fn sync_sorts_a_large_sqlite_source_in_temporary_files_wherever_tmpdir_points() {
    // SQLite sorts a source larger than the sort's memory (4 KiB here, debug builds only)
    // through temporary files in TMPDIR; a TMPDIR that names no directory is passed over
    // for the next of SQLite's temporary directories, and the sync is the same.
    let env = TestEnv::new();
    env.ok(&["init"]);
    env.ok(&["user", "add", "stays@example.com"]);
    let app = env.path("app.db");
    let rows: Vec<_> = (0..500)
        .map(|i| (user(i), Some("acme"), format!("User {i}"), i.to_string()))
        .collect();
    rusqlite::Connection::open(&app)
        .unwrap()
        .execute_batch(&format!(
            "CREATE TABLE app_users (email TEXT, org TEXT, name TEXT, external_id TEXT); {}",
            insert_users(&rows)
        ))
        .unwrap();
    let sync = |tmp: &std::path::Path| {
        env.twofa(&[
            "user",
            "sync",
            "--source",
            app.to_str().unwrap(),
            "--query",
            USERS_QUERY,
        ])
        .env("TWOFA_TEST_SORT_MEMORY", "4096")
        .env("TMPDIR", tmp)
    };
    let report: SyncReport = sync(&env.path("no-such-directory")).ok_json();
    assert_eq!(report.added, (0..500).map(user).collect::<Vec<_>>());
    assert_eq!(report.orphaned, ["stays@example.com"]);
    let tmp = env.path("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let again: SyncReport = sync(&tmp).ok_json();
    assert!(
        again.added.is_empty() && again.updated.is_empty(),
        "{again:?}"
    );
    assert_eq!(again.orphaned, ["stays@example.com"]);
}
