//! Audit, log, bulk operations, import, hooks and the generated files, through the binary.

mod common;

use std::collections::BTreeMap;
use std::process::Command as Process;

use common::{Event, STATUS_FIELDS, Status, T0, TestEnv, assert_failure};
use serde_json::Value;

/// Hundreds of accounts across three organisations (one requiring 2FA) and every state.
fn populated() -> TestEnv {
    let mut env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    env.ok(&["org", "add", "beta"]);
    env.ok(&["org", "add", "corp"]);
    let mut csv = String::from("email,org,name\n");
    for i in 0..300 {
        let org = ["acme", "beta", "corp", ""][i % 4];
        csv.push_str(&format!("user{i:03}@example.com,{org},User {i}\n"));
    }
    let path = env.path("users.csv");
    std::fs::write(&path, csv).unwrap();
    env.ok(&["user", "import", path.to_str().unwrap()]);
    for i in 0..8 {
        env.enable(&format!("user{i:03}@example.com"));
    }
    for i in 8..14 {
        env.enroll(&format!("user{i:03}@example.com"));
    }
    // Lock two enabled accounts.
    for i in 0..2 {
        for _ in 0..5 {
            env.json_stdin(&["verify", &format!("user{i:03}@example.com")], "000000");
        }
    }
    env.now += 60;
    env.ok(&["org", "policy", "acme", "--require", "--grace-days", "0"]);
    env.ok(&["org", "policy", "corp", "--require", "--grace-days", "30"]);
    env.now += 3600;
    env
}

fn audit_json(env: &TestEnv, extra: &[&str]) -> (i32, Vec<Value>) {
    let mut args = vec!["audit"];
    args.extend_from_slice(extra);
    let (code, v) = env.json(&args);
    (code, v.as_array().expect("a JSON array").clone())
}

/// `audit EXTRA` as typed rows; asserts exit 0.
#[track_caller]
fn audit_rows(env: &TestEnv, extra: &[&str]) -> Vec<Status> {
    env.twofa(&[&["audit"], extra].concat()).ok_json()
}

fn stdout_of(env: &TestEnv, args: &[&str]) -> String {
    let out = env.cmd().args(args).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_format_agrees_with_status_row_by_row() {
    let env = populated();
    let (code, rows) = audit_json(&env, &[]);
    assert_eq!(code, 0);
    assert_eq!(rows.len(), 300);
    for row in &rows {
        let keys: Vec<&str> = row
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut want = STATUS_FIELDS.to_vec();
        want.sort();
        let mut got = keys.clone();
        got.sort();
        assert_eq!(got, want);
    }
    let states: BTreeMap<String, usize> = rows.iter().fold(BTreeMap::new(), |mut m, r| {
        *m.entry(r["state"].as_str().unwrap().to_string())
            .or_default() += 1;
        m
    });
    let count = |s: &str| states.get(s).copied().unwrap_or(0);
    assert_eq!(count("enabled"), 8);
    assert_eq!(
        count("pending"),
        0,
        "pending enrollments expired an hour ago"
    );
    assert_eq!(count("disabled"), 292);
    assert_eq!(
        rows.iter().filter(|r| r["locked"] == true).count(),
        0,
        "locks ran out"
    );

    // ndjson: the same objects, one a line.
    let nd: Vec<Value> = stdout_of(&env, &["audit", "--format", "ndjson"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(nd, rows);

    // csv: header in the documented order, then the same values.
    let text = stdout_of(&env, &["audit", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        STATUS_FIELDS
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), rows.len());
    for (rec, row) in records.iter().zip(&rows) {
        for (i, field) in STATUS_FIELDS.iter().enumerate() {
            let want = match &row[field] {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            assert_eq!(rec[i], want, "{field} of {}", row["email"]);
        }
    }

    // status, one account at a time, says the same.
    for row in rows.iter().step_by(7) {
        let (code, status) = env.json(&["status", row["email"].as_str().unwrap()]);
        assert_eq!(code, 0);
        assert_eq!(&status, row);
    }

    // The table ends with a summary per organisation and in total.
    let table = stdout_of(&env, &["audit"]);
    assert!(table.contains("user000@example.com"));
    assert!(table.contains("total: 300 accounts: 8 enabled, 0 pending, 292 disabled"));
    assert!(table.contains("acme: 75 accounts"));
}

#[test]
fn filters_select_exactly_the_right_rows() {
    let mut env = populated();
    env.now = T0 + 15; // pending enrollments and locks are live again
    let all = audit_rows(&env, &[]);
    let pick = |f: &dyn Fn(&Status) -> bool| -> Vec<Status> {
        all.iter().filter(|r| f(r)).cloned().collect()
    };
    let org = |r: &Status, name: &str| r.org.as_deref() == Some(name);
    assert_eq!(
        audit_rows(&env, &["--org", "beta"]),
        pick(&|r| org(r, "beta"))
    );
    for state in ["enabled", "pending", "disabled"] {
        let got = audit_rows(&env, &["--state", state]);
        assert_eq!(got, pick(&|r| r.state == state), "--state {state}");
        assert!(!got.is_empty(), "{state}");
    }
    assert_eq!(
        audit_rows(&env, &["--org", "acme", "--state", "enabled"]),
        pick(&|r| org(r, "acme") && r.state == "enabled")
    );
    assert!(all.iter().any(|r| r.locked));
    let (code, _) = env.json(&["audit", "--org", "nope"]);
    assert_eq!(code, 3);
}

#[test]
fn non_compliant_exit_codes_are_for_cron() {
    let env = populated();
    let (code, rows) = env
        .twofa(&["audit", "--non-compliant"])
        .json::<Vec<Status>>();
    assert_eq!(code, 1, "rows were printed");
    // acme requires 2FA with no grace: its accounts without 2FA; corp is still in grace.
    assert!(!rows.is_empty());
    for r in &rows {
        assert_eq!(r.org.as_deref(), Some("acme"), "{r:?}");
        assert!(!r.compliant, "{r:?}");
        assert_ne!(r.state, "enabled", "{r:?}");
    }
    let (code, rows) = audit_json(&env, &["--non-compliant", "--org", "beta"]);
    assert_eq!((code, rows.len()), (0, 0));
    let out = env
        .cmd()
        .args(["audit", "--non-compliant", "--org", "corp"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn csv_into_head_ends_quietly() {
    let env = populated();
    let bin = assert_cmd::cargo::cargo_bin("twofa");
    for format in ["csv", "table", "ndjson", "json"] {
        let script = format!(
            "'{}' audit --format {format} | head -1; exit ${{PIPESTATUS[0]}}",
            bin.display()
        );
        let out = Process::new("bash")
            .arg("-c")
            .arg(&script)
            .envs(env.vars())
            .env("TWOFA_TEST_NOW", env.now.to_string())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{format}");
        assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
    }
}

/// Far more output than a pipe holds, so that the reader goes away while rows are still
/// being read from the database (on PostgreSQL the running query is cancelled): still a
/// quiet exit 0, and the database answers the next command as before.
#[test]
fn a_pipe_closed_mid_stream_ends_quietly() {
    let env = TestEnv::new();
    let mut csv = String::from("email,org,name\n");
    for i in 0..20_000 {
        csv.push_str(&format!(
            "someone.with.a.long.address.{i:05}@example.com,,User {i}\n"
        ));
    }
    let (code, v) = env.json_stdin(&["user", "import", "-"], &csv);
    assert_eq!((code, v["imported"].as_u64()), (0, Some(20_000)));
    for format in ["csv", "ndjson", "table"] {
        let out = env
            .bash(&format!(
                "\"$TWOFA\" audit --format {format} | head -c 100 >/dev/null; exit ${{PIPESTATUS[0]}}"
            ))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{format}");
    }
    let (code, v) = env.json(&["status", "someone.with.a.long.address.19999@example.com"]);
    assert_eq!((code, v["state"].as_str()), (0, Some("disabled")));
}

#[test]
fn bulk_reset_reports_unknown_emails_and_resets_the_rest() {
    let mut env = TestEnv::new();
    env.enable("a@example.com");
    env.enable("b@example.com");
    env.enable("c@example.com");
    let list = env.path("lost.txt");
    std::fs::write(
        &list,
        "# lost phones\na@example.com\n\nnobody@example.com   # typo\n  B@Example.com \nc@example.com\n",
    )
    .unwrap();
    let (code, report) = env.json(&[
        "reset",
        "--from",
        list.to_str().unwrap(),
        "--reason",
        "incident 7",
        "--yes",
    ]);
    assert_ne!(code, 0);
    assert_eq!(code, 3, "an unknown email is 'no such account'");
    assert_eq!(
        report["changed"],
        serde_json::json!(["a@example.com", "b@example.com", "c@example.com"])
    );
    let failed = report["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["input"], "nobody@example.com");
    assert_eq!(failed[0]["line"], 4);
    assert_eq!(failed[0]["exit_code"], 3);
    assert!(failed[0]["error"].as_str().unwrap().contains("no account"));
    for who in ["a@example.com", "b@example.com", "c@example.com"] {
        assert_eq!(env.status(who).state, "disabled", "{who}");
    }
    // Table output names the failure too.
    let out = env
        .cmd()
        .args(["unlock", "--from", list.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stdout).contains("nobody@example.com"));
}

#[test]
fn bulk_disable_reads_stdin_and_reports_policy_refusals() {
    let mut env = TestEnv::new();
    env.ok(&["org", "add", "strict"]);
    env.ok(&["user", "add", "s@example.com", "--org", "strict"]);
    env.enable("s@example.com");
    env.enable("free@example.com");
    env.ok(&["org", "policy", "strict", "--require"]);
    let (code, report) = env.json_stdin(
        &["disable", "--from", "-", "--yes"],
        "s@example.com\nfree@example.com\n",
    );
    assert_eq!(code, 4);
    assert_eq!(report["changed"], serde_json::json!(["free@example.com"]));
    assert!(
        report["failed"][0]["error"]
            .as_str()
            .unwrap()
            .contains("mandatory")
    );
    assert_eq!(env.status("s@example.com").state, "enabled");
    assert_eq!(env.status("free@example.com").state, "disabled");
}

#[test]
fn import_is_all_or_nothing_and_names_the_line() {
    let env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    let cases: [(&str, i32, &str); 5] = [
        (
            "email,org\na@example.com,acme\nnot-an-email,acme\n",
            2,
            "line 3",
        ),
        (
            "email,org\na@example.com,acme\nb@example.com,nope\n",
            3,
            "line 3",
        ),
        (
            "email,org\na@example.com,acme\nA@example.com,\n",
            4,
            "line 3",
        ),
        ("mail,org\na@example.com,acme\n", 2, "line 1"),
        ("email,org\na@example.com,acme,extra\n", 2, "line 2"),
    ];
    for (csv, want, line) in cases {
        let out = env
            .cmd()
            .args(["user", "import", "-"])
            .write_stdin(csv)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(want), "{csv:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(line), "{csv:?}: {err}");
        assert!(!err.contains("panicked"));
        let (_, users) = env.json(&["user", "list"]);
        assert_eq!(
            users.as_array().unwrap().len(),
            0,
            "nothing imported from {csv:?}"
        );
    }
    // BOM, CRLF, quotes and an empty org are fine.
    let csv = "\u{feff}email,org,name\r\n\"q@example.com\",acme,\"Q, Jr.\"\r\nr@example.com,,\r\n";
    let (code, v) = env.json_stdin(&["user", "import", "-"], csv);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["imported"], 2);
    let (_, users) = env.json(&["user", "list"]);
    assert_eq!(users[0]["name"], "Q, Jr.");
    assert_eq!(users[1]["org"], Value::Null);
}

#[test]
fn users_and_orgs_are_added_once_and_imported_all_or_nothing() {
    let env = TestEnv::new();
    env.ok(&["init"]);
    env.ok(&["org", "add", "acme", "--name", "Acme Inc"]);
    assert_failure(&env.run(&["org", "add", "acme"], ""), 4, "already exists");
    env.ok(&["user", "add", "  Bob@Example.COM ", "--org", "acme"]);
    assert_failure(
        &env.run(&["user", "add", "bob@example.com"], ""),
        4,
        "already exists",
    );
    assert_failure(
        &env.run(&["user", "add", "x@example.com", "--org", "nope"], ""),
        3,
        "nope",
    );

    let csv = env.dir.path().join("users.csv");
    std::fs::write(
        &csv,
        "email,org,name\ncarol@example.com,acme,Carol\ndave@example.com,,Dave\nerin@example.com,acme,\n",
    )
    .unwrap();
    let (code, v) = env.json(&["user", "import", csv.to_str().unwrap()]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["imported"], 3);

    // All or nothing: a duplicate on line 3 rolls back line 2 as well.
    let out = env.run(
        &["user", "import", "-"],
        "email,org\nfrank@example.com,acme\ncarol@example.com,acme\n",
    );
    assert_failure(&out, 4, "line 3");
    let (code, users) = env.json(&["user", "list"]);
    assert_eq!(code, 0);
    let emails: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(
        emails,
        [
            "bob@example.com",
            "carol@example.com",
            "dave@example.com",
            "erin@example.com"
        ]
    );
    let (_, acme) = env.json(&["user", "list", "--org", "acme"]);
    assert_eq!(acme.as_array().unwrap().len(), 3);
    let (code, orgs) = env.json(&["org", "list"]);
    assert_eq!(code, 0, "{orgs}");
    assert_eq!(orgs.as_array().unwrap().len(), 1, "{orgs}");
}

/// Emails whose byte order differs from a natural-language collation's (PostgreSQL's
/// default): audit orders them bytewise, as SQLite does, and every row is its status.
#[test]
fn audit_orders_emails_bytewise() {
    let mut env = TestEnv::new();
    let emails = [
        "zed@example.com",
        "a_b@example.com",
        "ab@example.com",
        "a.b@example.com",
        "a-b@example.com",
        "b@example.com",
    ];
    let csv: String = emails.iter().map(|e| format!("{e},\n")).collect();
    env.twofa(&["user", "import", "-"])
        .stdin(format!("email,org\n{csv}"))
        .ok();
    env.enable("ab@example.com");
    env.enroll("a.b@example.com");
    let rows: Vec<Status> = env.twofa(&["audit"]).ok_json();
    let mut want = emails.to_vec();
    want.sort();
    assert_eq!(common::emails(&rows), want);
    for row in &rows {
        assert_eq!(&env.status(&row.email), row);
    }
}

#[test]
fn log_filters_and_orders_newest_first() {
    let mut env = TestEnv::new();
    env.ok(&["user", "add", "a@example.com"]);
    env.now += 100;
    env.ok(&["user", "add", "b@example.com"]);
    env.now += 100;
    env.ok(&["unlock", "a@example.com"]);
    env.enable("a@example.com");
    let all = env.events();
    let ats: Vec<&str> = all.iter().map(|e| e.at.as_str()).collect();
    let mut sorted = ats.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(ats, sorted, "newest first");
    let actions: Vec<&str> = all.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions[..2], ["confirm", "enroll"], "{all:?}");
    let first = all.last().unwrap();
    assert_eq!(first.action, "user.add");
    assert_eq!(first.email.as_deref(), Some("a@example.com"));
    assert!(all.iter().all(|e| e.actor == "tester"), "{all:?}");
    let mine: Vec<Event> = env.twofa(&["log", "--user", "B@example.com"]).ok_json();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].email.as_deref(), Some("b@example.com"));
    let two: Vec<Event> = env.twofa(&["log", "--limit", "2"]).ok_json();
    assert_eq!(two, all[..2]);
    let since = twofa::clock::rfc3339(T0 + 15 + 100);
    let recent: Vec<Event> = env.twofa(&["log", "--since", &since]).ok_json();
    assert!(recent.iter().all(|e| e.at >= since), "{recent:?}");
    assert_eq!(recent, all[..all.len() - 1]);
    env.twofa(&["log", "--since", "yesterday"]).fails(2);
    let (_, raw) = env.json(&["log"]);
    for e in raw.as_array().unwrap() {
        assert_eq!(e.as_object().unwrap().len(), 6, "{e}");
    }
    let ndjson = env.ok(&["log", "--format", "ndjson"]);
    assert_eq!(ndjson.lines().count(), all.len());
}

#[test]
fn hook_gets_one_event_per_change_and_cannot_undo_it() {
    let mut env = TestEnv::new();
    let sink = env.path("events.jsonl");
    let hook = format!("cat >> '{}'", sink.display());
    env.cmd()
        .args(["--hook", &hook, "user", "add", "h@example.com"])
        .assert()
        .success();
    let secret = env.enroll("h@example.com");
    let code = env.code(&secret);
    env.cmd()
        .env("TWOFA_HOOK", &hook)
        .args(["confirm", "h@example.com", "-"])
        .write_stdin(code)
        .assert()
        .success();
    env.now += 30;
    env.cmd()
        .env("TWOFA_HOOK", &hook)
        .args(["reset", "h@example.com", "--reason", "lost phone", "--yes"])
        .assert()
        .success();
    let events: Vec<Event> = std::fs::read_to_string(&sink)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["user.add", "confirm", "reset"]);
    assert_eq!(events[2].detail.as_deref(), Some("lost phone"));
    assert_eq!(events[2].actor, "tester");

    // A failing hook is reported and the change stays.
    env.enable("f@example.com");
    let out = env
        .cmd()
        .args([
            "--hook",
            "cat >/dev/null; exit 3",
            "reset",
            "f@example.com",
            "--reason",
            "r",
            "-y",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("hook"));
    assert_eq!(env.status("f@example.com").state, "disabled");
}

#[test]
fn committed_completions_and_man_pages_are_current() {
    let env = TestEnv::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (kind, dir) in [("completions", "completions"), ("man", "man")] {
        let fresh = env.path(kind);
        env.cmd()
            .args(["generate", kind, fresh.to_str().unwrap()])
            .assert()
            .success();
        let list = |d: &std::path::Path| -> Vec<String> {
            let mut names: Vec<String> = std::fs::read_dir(d)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        };
        let committed = root.join(dir);
        assert_eq!(list(&fresh), list(&committed), "{dir}/ files");
        for name in list(&fresh) {
            assert_eq!(
                std::fs::read(fresh.join(&name)).unwrap(),
                std::fs::read(committed.join(&name)).unwrap(),
                "{dir}/{name} is stale: run 'cargo run -- generate {kind} {dir}'"
            );
        }
    }
}

/// Every command run through the suite's `Run` is followed by a recount of the facts kept on
/// the account row (`TestEnv::assert_facts_recount`); this proves that recount catches a
/// copy that drifted, on this backend.
#[test]
fn the_recount_finds_a_kept_fact_that_drifted() {
    let mut env = TestEnv::new();
    env.ok(&["user", "add", "a@example.com"]);
    env.ok(&["user", "add", "b@example.com"]);
    env.enable("a@example.com");
    assert_eq!(env.facts_drift(), Some(vec![]));
    let accounts = env.table("accounts");
    for change in [
        "codes_left = 3",
        "cred_state = 'pending'",
        "cred_last_used_at = 1",
        "cred_drift_steps = NULL",
        "access_code_expires_at = 5",
    ] {
        env.execute(&format!(
            "UPDATE {accounts} SET {change} WHERE email = 'a@example.com'"
        ));
        assert_eq!(
            env.facts_drift(),
            Some(vec!["a@example.com".to_string()]),
            "{change}"
        );
        // Put the copies back as the recount has them.
        env.execute(&format!(
            "UPDATE {accounts} SET cred_state = 'enabled', cred_last_used_at = NULL,
                    cred_drift_steps = 0, codes_left = 10, access_code_expires_at = NULL
             WHERE email = 'a@example.com'"
        ));
        assert_eq!(env.facts_drift(), Some(vec![]), "{change}");
    }
    // A credential or a recovery code changed behind twofa's back is kept too (triggers).
    env.execute(&format!(
        "UPDATE {} SET used_at = 1 WHERE id IN (SELECT id FROM (SELECT id FROM {} LIMIT 4) AS s)",
        env.table("recovery_codes"),
        env.table("recovery_codes")
    ));
    env.execute(&format!(
        "UPDATE {} SET drift_steps = 2",
        env.table("credentials")
    ));
    assert_eq!(env.facts_drift(), Some(vec![]));
    let status = env.status("a@example.com");
    assert_eq!((status.recovery_codes_left, status.drift_steps), (6, 2));
    // So is an access code.
    env.ok(&["access-code", "a@example.com", "--reason", "r"]);
    env.execute(&format!(
        "UPDATE {} SET expires_at = expires_at + 60",
        env.table("access_codes")
    ));
    assert_eq!(env.facts_drift(), Some(vec![]));
    env.execute(&format!("DELETE FROM {}", env.table("access_codes")));
    assert_eq!(env.facts_drift(), Some(vec![]));
    assert_eq!(env.status("a@example.com").access_code_expires_at, None);
}

/// Accounts written before the facts were kept get them from the migration that adds them.
#[test]
fn the_migration_counts_the_facts_of_existing_accounts() {
    let env = TestEnv::bare();
    let (init, prefix) = if env.is_postgres() {
        env.execute("CREATE SCHEMA twofa");
        (
            include_str!("../migrations/postgres/001_initial.sql"),
            "twofa.",
        )
    } else if env.is_mysql() {
        (
            include_str!("../migrations/mysql/001_initial.sql"),
            "twofa_",
        )
    } else {
        (
            include_str!("../migrations/sqlite/001_initial.sql"),
            "twofa_",
        )
    };
    env.execute(init);
    // Schema version 1: an enabled account with 3 of its 4 recovery codes unspent, a
    // pending one, one without 2FA.
    let now = T0 - 3600;
    env.execute(
        &"INSERT INTO $tmeta VALUES ('schema_version', '1');
         INSERT INTO $taccounts (id, email, created_at) VALUES
           (1, 'a@x.io', NOW), (2, 'b@x.io', NOW), (3, 'c@x.io', NOW);
         INSERT INTO $tcredentials (account_id, state, secret, created_at, expires_at,
                                   enrolled_at, last_step, last_used_at) VALUES
           (1, 'enabled', 'x', NOW, NULL, NOW, 1, NOW),
           (2, 'pending', 'x', NOW, NOW + 7200, NULL, NULL, NULL);
         INSERT INTO $trecovery_codes (account_id, lookup, hash, created_at, used_at) VALUES
           (1, 'l1', 'h', NOW, NULL), (1, 'l2', 'h', NOW, NULL), (1, 'l3', 'h', NOW, NOW),
           (1, 'l4', 'h', NOW, NULL);"
            .replace("$t", prefix)
            .replace("NOW", &now.to_string())
            .replace(
                "'x'",
                if env.is_postgres() {
                    "'\\x00'"
                } else if env.is_mysql() {
                    "X'00'"
                } else {
                    "x'00'"
                },
            ),
    );
    env.ok(&["init"]);
    let rows: Vec<Status> = env.twofa(&["audit"]).ok_json();
    let facts: Vec<(&str, &str, u32)> = rows
        .iter()
        .map(|r| (r.email.as_str(), r.state.as_str(), r.recovery_codes_left))
        .collect();
    assert_eq!(
        facts,
        [
            ("a@x.io", "enabled", 3),
            ("b@x.io", "pending", 0),
            ("c@x.io", "disabled", 0)
        ]
    );
    assert!(rows[0].last_used_at.is_some() && rows[0].enrolled_at.is_some());
    assert!(rows[1].pending_expires_at.is_some());
    assert_eq!(env.facts_drift(), Some(vec![]));
}
