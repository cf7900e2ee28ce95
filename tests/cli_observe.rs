//! Observability through the real binary, on the suite's backend (SQLite, or PostgreSQL with
//! TWOFA_TEST_BACKEND=postgres): `metrics` (checked by promtool), `report` (rendered by
//! headless Chromium), the event log's filters and --follow, `log verify` against rows
//! edited or deleted behind twofa's back, and `log prune --archive`.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{
    Archived, Event, LogHead, LogVerify, Pruned, T0, TestEnv, assert_failure, have, rfc3339,
};

const DAY: i64 = 86_400;

/// Runs SQL against the environment's database with the backend's own client (`sqlite3`,
/// or a PostgreSQL connection); `{events}` and `{meta}` name twofa's tables.
fn tamper(env: &TestEnv, sql: &str) {
    let sql = sql
        .replace("{events}", &env.table("events"))
        .replace("{meta}", &env.table("meta"));
    if env.is_mysql() {
        env.execute(&sql);
    } else if env.is_postgres() {
        env.sql()
            .batch_execute(&sql)
            .expect("run SQL on PostgreSQL");
    } else {
        assert!(
            have("sqlite3"),
            "sqlite3 is needed (apt-get install sqlite3)"
        );
        let out = std::process::Command::new("sqlite3")
            .arg(&env.db)
            .arg(&sql)
            .output()
            .expect("run sqlite3");
        assert!(
            out.status.success(),
            "sqlite3: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The metrics as `series → value` (`name{labels}` exactly as printed).
fn metrics(env: &TestEnv) -> (String, BTreeMap<String, f64>) {
    let text = env.ok(&["metrics"]);
    let values = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (series, value) = l.rsplit_once(' ').expect("series value");
            (series.to_string(), value.parse().expect("a number"))
        })
        .collect();
    (text, values)
}

fn promtool_check(text: &str) {
    assert!(
        have("promtool"),
        "promtool is needed (apt-get install prometheus)"
    );
    let mut child = std::process::Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run promtool");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool check metrics failed:\n{}{}\n{text}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn import(env: &TestEnv, rows: &[(String, &str)]) {
    let mut csv = String::from("email,org\n");
    for (email, org) in rows {
        csv.push_str(&format!("{email},{org}\n"));
    }
    let out = env.run(&["user", "import", "-"], &csv);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A known database:
/// - acme (optional): 2 enabled, 10 without 2FA;
/// - beta (required, no grace): 3 without 2FA (non-compliant), 1 enabled with 2 codes left;
/// - gamma (required, 3 days' grace): 2 without 2FA, deadline in 3 days;
/// - no organisation: 1 enabled and locked.
fn known_database() -> TestEnv {
    let mut env = TestEnv::new();
    for org in ["acme", "beta", "gamma", "empty"] {
        env.ok(&["org", "add", org]);
    }
    let mut rows: Vec<(String, &str)> = (0..10)
        .map(|i| (format!("none{i}@acme.io"), "acme"))
        .collect();
    rows.extend((0..3).map(|i| (format!("late{i}@beta.io"), "beta")));
    rows.extend((0..2).map(|i| (format!("soon{i}@gamma.io"), "gamma")));
    import(&env, &rows);
    env.enable_with("on0@acme.io", &["--org", "acme"]);
    env.enable_with("on1@acme.io", &["--org", "acme"]);
    let (_, codes) = env.enable_with("few@beta.io", &["--org", "beta"]);
    for code in &codes[..8] {
        let (c, v) = env.verify("few@beta.io", code);
        assert_eq!(c, 0, "{v:?}");
    }
    let (secret, _) = env.enable("locked@nowhere.io");
    let wrong = env.wrong_code(&secret);
    for _ in 0..5 {
        env.verify("locked@nowhere.io", &wrong);
    }
    env.ok(&["org", "policy", "beta", "--require", "--grace-days", "0"]);
    env.ok(&["org", "policy", "gamma", "--require", "--grace-days", "3"]);
    env
}

#[test]
fn metrics_match_a_known_database_and_pass_promtool() {
    let env = known_database();
    let (text, m) = metrics(&env);
    promtool_check(&text);
    let get = |series: &str| {
        *m.get(series)
            .unwrap_or_else(|| panic!("{series} missing:\n{text}"))
    };
    assert_eq!(get(r#"twofa_accounts{org="acme",state="enabled"}"#), 2.0);
    assert_eq!(get(r#"twofa_accounts{org="acme",state="disabled"}"#), 10.0);
    assert_eq!(get(r#"twofa_accounts{org="acme",state="pending"}"#), 0.0);
    assert_eq!(get(r#"twofa_accounts{org="beta",state="disabled"}"#), 3.0);
    assert_eq!(get(r#"twofa_accounts{org="beta",state="enabled"}"#), 1.0);
    assert_eq!(get(r#"twofa_accounts{org="",state="enabled"}"#), 1.0);
    assert_eq!(get(r#"twofa_accounts{org="empty",state="disabled"}"#), 0.0);
    assert_eq!(get(r#"twofa_accounts_non_compliant{org="beta"}"#), 3.0);
    assert_eq!(get(r#"twofa_accounts_non_compliant{org="acme"}"#), 0.0);
    assert_eq!(get(r#"twofa_accounts_non_compliant{org="gamma"}"#), 0.0);
    assert_eq!(get(r#"twofa_deadlines_within_7d{org="gamma"}"#), 2.0);
    assert_eq!(get(r#"twofa_deadlines_within_7d{org="beta"}"#), 0.0);
    assert_eq!(get(r#"twofa_recovery_codes_low{org="beta"}"#), 1.0);
    assert_eq!(get(r#"twofa_recovery_codes_low{org="acme"}"#), 0.0);
    assert_eq!(get(r#"twofa_accounts_locked{org=""}"#), 1.0);
    assert_eq!(get(r#"twofa_accounts_locked{org="acme"}"#), 0.0);
    assert_eq!(get(r#"twofa_accounts_exempt{org="beta"}"#), 0.0);
    // Event counts agree with the log.
    let mut by_action: BTreeMap<String, f64> = BTreeMap::new();
    for e in env.events() {
        *by_action.entry(e.action).or_default() += 1.0;
    }
    assert!(by_action.len() >= 4, "{by_action:?}");
    for (action, n) in &by_action {
        assert_eq!(
            get(&format!("twofa_events_total{{action=\"{action}\"}}")),
            *n,
            "{action}"
        );
    }
    // The same through -o, written whole.
    let file = env.path("twofa.prom");
    env.ok(&["metrics", "-o", file.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    let leftovers: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn report_is_self_contained_and_renders_in_chromium() {
    let env = known_database();
    let file = env.path("report.html");
    env.ok(&["report", "-o", file.to_str().unwrap()]);
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.contains("<svg"), "no chart");
    for org in ["acme", "beta", "gamma", "empty", "(no organisation)"] {
        assert!(html.contains(org), "{org} missing");
    }
    for email in ["late0@beta.io", "late1@beta.io", "late2@beta.io"] {
        assert!(html.contains(email), "non-compliant {email} missing");
    }
    assert!(html.contains("locked@nowhere.io") && html.contains("few@beta.io"));
    let lower = html.to_lowercase();
    for external in [" src=", "href=", "@import", "url(", "<script", "<link"] {
        assert!(!lower.contains(external), "{external} in the report");
    }
    // stdout and --org.
    let only_beta = env.ok(&["report", "--org", "beta"]);
    assert!(only_beta.contains("late0@beta.io") && !only_beta.contains("none0@acme.io"));
    let out = env.run(&["report", "--org", "nope"], "");
    assert_failure(&out, 3, "nope");

    assert!(
        have("chromium"),
        "chromium is needed (apt-get install chromium)"
    );
    let png = env.path("report.png");
    let profile = env.path("chromium-profile");
    let status = std::process::Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg("--window-size=1200,1600")
        .arg(format!("file://{}", file.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run chromium");
    assert!(status.success(), "chromium failed: {status}");
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    assert_eq!((info.width, info.height), (1200, 1600));
    let channels = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let mut colours = std::collections::HashSet::new();
    let mut non_white = 0usize;
    for px in pixels.chunks(channels) {
        colours.insert(px[..3.min(channels)].to_vec());
        if px[..3.min(channels)].iter().any(|&c| c < 200) {
            non_white += 1;
        }
    }
    // Text and three bar colours at least; a blank or error page has one or two colours.
    assert!(colours.len() > 20, "{} colours: blank?", colours.len());
    assert!(non_white > 10_000, "{non_white} dark pixels: blank?");
    // The chart's green (enabled) is there.
    assert!(
        pixels
            .chunks(channels)
            .any(|p| p[0] == 0x2e && p[1] == 0x7d && p[2] == 0x32),
        "no bar of the chart"
    );
}

#[test]
fn log_filters_by_action_actor_org_and_dates() {
    let mut env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    env.ok(&["user", "add", "a@acme.io", "--org", "acme"]);
    env.ok(&["user", "add", "b@other.io"]);
    // Failed codes to clear, so that the resets below change something (a reset that
    // changes nothing writes no event).
    env.execute(&format!(
        "UPDATE {} SET failed_attempts = 1",
        env.table("accounts")
    ));
    env.now = T0 + DAY; // 2027-01-16T08:00:00Z
    env.ok(&[
        "--actor",
        "carol",
        "reset",
        "a@acme.io",
        "--reason",
        "lost phone",
        "--yes",
    ]);
    env.ok(&[
        "--actor",
        "dave",
        "reset",
        "b@other.io",
        "--reason",
        "lost phone",
        "--yes",
    ]);

    let log = |args: &[&str]| -> Vec<Event> { env.twofa(&[&["log"], args].concat()).ok_json() };
    let rows = log(&["--action", "reset", "--actor", "carol"]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].email.as_deref(), Some("a@acme.io"));
    assert_eq!(rows[0].actor, "carol");
    // TWOFA_ACTOR (the environment's "tester") names who acts; it does not filter.
    assert_eq!(log(&["--action", "reset"]).len(), 2);
    // A family of actions.
    let users = log(&["--action", "user"]);
    assert_eq!(users.len(), 2, "{users:?}");
    assert!(users.iter().all(|e| e.action == "user.add"));
    let acme = log(&["--org", "acme"]);
    assert!(
        acme.iter().all(|e| e.org.as_deref() == Some("acme")),
        "{acme:?}"
    );
    assert_eq!(acme.len(), 3, "org.add, user.add, reset: {acme:?}");

    // Date-only --since and --until: UTC midnight.
    let since = log(&["--since", "2027-01-16"]);
    assert_eq!(since.len(), 2, "{since:?}");
    assert!(since.iter().all(|e| e.at.starts_with("2027-01-16")));
    let until = log(&["--until", "2027-01-16"]);
    assert_eq!(until.len(), 3, "{until:?}");
    assert!(until.iter().all(|e| e.at.starts_with("2027-01-15")));
    let window = log(&[
        "--since",
        "2027-01-15T08:00:15Z",
        "--until",
        "2027-01-15T08:00:16Z",
    ]);
    assert_eq!(window.len(), 3);

    let out = env.run(&["log", "--since", "2027-02-30"], "");
    assert_failure(&out, 2, "2027-02-30");
    let out = env.run(&["log", "--action", "Reset;"], "");
    assert_failure(&out, 2, "not an action");
}

#[test]
fn log_follow_prints_new_events_in_order() {
    let mut env = TestEnv::new();
    env.ok(&["user", "add", "a@x.io"]);
    env.now = T0 + 100;
    // --since: the follower prints what was committed since then, however late it starts.
    let mut child = env
        .process()
        .args([
            "log",
            "--follow",
            "--format",
            "ndjson",
            "--since",
            "2027-01-15T08:01:40Z",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start log --follow");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    env.ok(&["user", "add", "b@x.io"]);
    std::thread::sleep(Duration::from_millis(700));
    env.ok(&["user", "add", "c@x.io"]);
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut lines = Vec::new();
    while lines.len() < 2 && Instant::now() < deadline {
        if let Ok(l) = rx.recv_timeout(Duration::from_millis(200)) {
            lines.push(l);
        }
    }
    // Nothing more than these two (a@x.io was before --since).
    std::thread::sleep(Duration::from_millis(1200));
    let extra: Vec<String> = rx.try_iter().collect();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(lines.len(), 2, "follow printed {lines:?}");
    assert!(extra.is_empty(), "unexpected {extra:?}");
    let emails: Vec<String> = lines
        .iter()
        .map(|l| serde_json::from_str::<Event>(l).unwrap().email.unwrap())
        .collect();
    assert_eq!(emails, ["b@x.io", "c@x.io"], "oldest first");
}

/// Five events over two days: org add (day 1), three user adds (day 1), one reset (day 2).
fn five_events() -> TestEnv {
    let mut env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    for u in ["a", "b", "c"] {
        env.ok(&["user", "add", &format!("{u}@acme.io"), "--org", "acme"]);
    }
    env.now = T0 + DAY;
    // A failed code to clear (written without an event), so that the reset is logged.
    env.execute(&format!(
        "UPDATE {} SET failed_attempts = 1 WHERE email = 'b@acme.io'",
        env.table("accounts")
    ));
    env.ok(&[
        "--actor",
        "carol",
        "reset",
        "b@acme.io",
        "--reason",
        "lost phone",
        "--yes",
    ]);
    let v: LogVerify = env.twofa(&["log", "verify"]).ok_json();
    assert!(v.ok, "{v:?}");
    assert_eq!(v.events, 5);
    assert_eq!(v.first_bad, None);
    env
}

/// `log verify`: (exit code, answer, stderr).
fn verify_log(env: &TestEnv) -> (i32, LogVerify, String) {
    env.twofa(&["log", "verify"]).json_full()
}

/// `log verify` fails (exit 6) naming an event of `action` as the first bad one.
#[track_caller]
fn assert_first_bad(env: &TestEnv, action: &str) {
    let (code, v, _) = verify_log(env);
    assert_eq!(
        (code, v.first_bad.map(|b| b.action)),
        (6, Some(action.to_string()))
    );
}

fn id_of(env: &TestEnv, action: &str, email: &str) -> String {
    env.query_strings(&format!(
        "SELECT id FROM {} WHERE action = '{action}' AND email = '{email}'",
        env.table("events")
    ))
    .pop()
    .expect("the event")
}

#[test]
fn an_edited_event_fails_verify_naming_it() {
    let env = five_events();
    let id = id_of(&env, "user.add", "b@acme.io");
    tamper(
        &env,
        &format!("UPDATE {{events}} SET detail = 'nothing to see' WHERE id = {id}"),
    );
    let (code, v, stderr) = verify_log(&env);
    assert_eq!(code, 6, "{v:?}");
    assert!(!v.ok);
    let bad = v.first_bad.expect("the bad event");
    assert_eq!(bad.action, "user.add");
    assert_eq!(bad.email.as_deref(), Some("b@acme.io"));
    assert_eq!(bad.at, "2027-01-15T08:00:15Z");
    assert_eq!(bad.id.to_string(), id);
    assert!(stderr.contains(&format!("event {id} ")), "{stderr}");

    // Also a change of the actor alone, on another copy.
    let env = five_events();
    let id = id_of(&env, "reset", "b@acme.io");
    tamper(
        &env,
        &format!("UPDATE {{events}} SET actor = 'mallory' WHERE id = {id}"),
    );
    assert_first_bad(&env, "reset");
}

#[test]
fn a_deleted_event_fails_verify_naming_the_next() {
    let env = five_events();
    let id = id_of(&env, "user.add", "b@acme.io");
    tamper(&env, &format!("DELETE FROM {{events}} WHERE id = {id}"));
    let (code, v, stderr) = verify_log(&env);
    assert_eq!(code, 6, "{v:?}");
    let bad = v.first_bad.expect("the bad event");
    assert_eq!(
        bad.email.as_deref(),
        Some("c@acme.io"),
        "the event after the gap"
    );
    assert!(stderr.contains("removed"), "{stderr}");

    // The newest event: noticed by the head.
    let env = five_events();
    let id = id_of(&env, "reset", "b@acme.io");
    tamper(&env, &format!("DELETE FROM {{events}} WHERE id = {id}"));
    let out = env.run(&["log", "verify"], "");
    assert_failure(&out, 6, "newest events were removed");

    // An event inserted by hand, with no hash or a made-up one.
    let env = five_events();
    tamper(
        &env,
        "INSERT INTO {events} (at, actor, action, email, hash) VALUES (1800086500, 'mallory', 'unlock', 'a@acme.io', 'ff')",
    );
    assert_first_bad(&env, "unlock");
    // New events go on chaining from the head, so the break stays where it was.
    env.ok(&["user", "add", "d@acme.io"]);
    assert_first_bad(&env, "unlock");
}

/// `log prune --before BEFORE --archive ARCHIVE`, then `extra`.
fn prune_args<'a>(before: &'a str, archive: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["log", "prune", "--before", before, "--archive", archive];
    args.extend_from_slice(extra);
    args
}

#[test]
fn prune_archives_every_event_first_and_keeps_the_chain_verifiable() {
    let mut env = five_events();
    let before_metrics = metrics(&env).1;
    let archive = env.path("events-2027-01-15.ndjson");
    let archive_arg = archive.to_str().unwrap();

    // Destructive: without a terminal it needs --yes, and changes nothing.
    let out = env.run(&prune_args("2027-01-16", archive_arg, &[]), "");
    assert_failure(&out, 2, "--yes");
    assert!(!archive.exists());
    assert_eq!(env.events().len(), 5);

    env.now += 60;
    let v: Pruned = env
        .twofa(&prune_args(
            "2027-01-16",
            archive_arg,
            &["--yes", "--actor", "carol"],
        ))
        .ok_json();
    assert_eq!(v.pruned, 4);
    assert_eq!(v.before, "2027-01-16T00:00:00Z");
    let lines: Vec<Archived> = std::fs::read_to_string(&archive)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let actions: Vec<&str> = lines.iter().map(|l| l.event.action.as_str()).collect();
    assert_eq!(actions, ["org.add", "user.add", "user.add", "user.add"]);
    assert!(
        lines
            .iter()
            .all(|l| l.hash.as_ref().is_some_and(|h| h.len() == 64))
    );
    assert!(lines.windows(2).all(|w| w[0].id < w[1].id));
    assert_eq!(lines.last().unwrap().hash, v.anchor);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&archive).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let left = env.events();
    let actions: Vec<&str> = left.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["log.prune", "reset"], "newest first");
    assert_eq!(left[0].actor, "carol");
    assert!(left[0].detail.as_deref().unwrap().contains("4 events"));
    let (code, v, _) = verify_log(&env);
    assert_eq!((code, v.ok, v.events), (0, true, 2), "{v:?}");

    // The counters keep the pruned events.
    let after = metrics(&env).1;
    assert_eq!(
        after[r#"twofa_events_total{action="user.add"}"#],
        before_metrics[r#"twofa_events_total{action="user.add"}"#]
    );
    assert_eq!(after[r#"twofa_events_total{action="log.prune"}"#], 1.0);

    // An archive is never overwritten; new events still chain.
    let out = env.run(
        &prune_args("2027-01-16T08:00:30Z", archive_arg, &["--yes"]),
        "",
    );
    assert_failure(&out, 2, "exists");
    env.ok(&["user", "add", "z@acme.io"]);
    env.ok(&["log", "verify"]);
    // Pruning again, everything up to now, keeps it verifiable too.
    env.now += 60;
    env.ok(&["log", "prune", "--before", "2027-01-16T08:01:30Z", "--yes"]);
    let (code, v, _) = verify_log(&env);
    assert_eq!((code, v.events), (0, 1), "{v:?}");
    // Deleting the first event after the anchor is noticed.
    tamper(
        &env,
        "DELETE FROM {events} WHERE id = (SELECT min(id) FROM {events})",
    );
    assert_eq!(verify_log(&env).0, 6);
}

/// `log verify --head HASH`: (exit code, answer, stderr).
fn verify_log_head(env: &TestEnv, hash: &str) -> (i32, LogVerify, String) {
    env.twofa(&["log", "verify", "--head", hash]).json_full()
}

#[test]
fn a_cut_tail_with_its_head_moved_back_is_caught_by_a_head_kept_elsewhere() {
    let mut env = five_events();
    let head: LogHead = env.twofa(&["log", "head"]).ok_json();
    let newest = env.query_strings(&format!(
        "SELECT id FROM {} ORDER BY id DESC LIMIT 1",
        env.table("events")
    ));
    assert_eq!(head.events, 5);
    assert_eq!(head.id.map(|i| i.to_string()), newest.first().cloned());
    assert_eq!(head.at.as_deref(), Some(&*rfc3339(T0 + DAY)));
    let hash = head.hash.clone().expect("a hash");
    assert!(hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()));
    // What cron sends to syslog: one line; and key: value lines for people.
    let line = env.ok(&["log", "head", "--format", "ndjson"]);
    assert_eq!(line.lines().count(), 1, "{line}");
    assert_eq!(serde_json::from_str::<LogHead>(&line).unwrap(), head);
    let table = env.ok(&["log", "head"]);
    assert!(table.contains("hash:") && table.contains(&hash), "{table}");

    // Later events: the copied head is still in the chain, unbroken up to today's.
    env.now += 60;
    env.ok(&["user", "add", "d@acme.io"]);
    env.ok(&["user", "add", "e@acme.io"]);
    let (code, v, _) = verify_log_head(&env, &hash.to_uppercase());
    assert_eq!((code, v.ok, v.head_found), (0, true, Some(true)), "{v:?}");
    let later: LogHead = env.twofa(&["log", "head"]).ok_json();
    assert_eq!(later.events, 7);

    // Someone who can write the database removes the two newest events and moves the
    // recorded head back to the event before them: the chain alone still verifies.
    tamper(
        &env,
        &format!(
            "DELETE FROM {{events}} WHERE email IN ('d@acme.io', 'e@acme.io');
             UPDATE {{meta}} SET value = '{hash}' WHERE key = 'event_chain_head'"
        ),
    );
    let (code, v, _) = verify_log(&env);
    assert_eq!(
        (code, v.ok),
        (0, true),
        "undetectable without a copy: {v:?}"
    );
    // The head copied elsewhere is not.
    let later_hash = later.hash.unwrap();
    let (code, v, stderr) = verify_log_head(&env, &later_hash);
    assert_eq!((code, v.ok, v.head_found), (6, false, Some(false)), "{v:?}");
    assert!(
        stderr.contains(&later_hash) && stderr.contains("removed"),
        "{stderr}"
    );
    // The older copy still verifies.
    assert_eq!(verify_log_head(&env, &hash).0, 0);
    // Not a hash: exit 2.
    for bad in ["abc", &"g".repeat(64), &"a".repeat(65)] {
        env.twofa(&["log", "verify", "--head", bad])
            .fails_saying(2, "64 hex digits");
    }
}

#[test]
fn prune_refuses_a_broken_chain_and_changes_nothing() {
    let env = five_events();
    let id = id_of(&env, "user.add", "b@acme.io");
    tamper(
        &env,
        &format!("UPDATE {{events}} SET detail = 'nothing to see' WHERE id = {id}"),
    );
    let archive = env.path("pruned.ndjson");
    let args = prune_args("2027-01-16", archive.to_str().unwrap(), &["--yes"]);
    let err = env.twofa(&args).fails_saying(6, "tampered");
    assert!(err.contains(&format!("event {id} ")), "{err}");
    assert!(err.contains("nothing was pruned"), "{err}");
    assert!(!archive.exists(), "no archive of a refused prune");
    assert_eq!(env.events().len(), 5);
    // The edit is still there to be found.
    assert_first_bad(&env, "user.add");
    // A chain whose tail was cut is refused too.
    let env = five_events();
    let id = id_of(&env, "reset", "b@acme.io");
    tamper(&env, &format!("DELETE FROM {{events}} WHERE id = {id}"));
    env.twofa(&["log", "prune", "--before", "2027-01-16", "--yes"])
        .fails_saying(6, "newest events were removed");
    assert_eq!(env.events().len(), 4);
}

#[test]
fn events_from_before_the_chain_are_hashed_by_the_migration() {
    let env = TestEnv::bare();
    // Schema version 1 by hand, with two events and no hash column.
    if env.is_postgres() {
        let mut c = env.sql();
        c.batch_execute("CREATE SCHEMA twofa").unwrap();
        c.batch_execute(include_str!("../migrations/postgres/001_initial.sql"))
            .unwrap();
        c.batch_execute(
            "INSERT INTO twofa.meta VALUES ('schema_version', '1');
             INSERT INTO twofa.events (at, actor, action, email) VALUES
               (1800000000, 'carol', 'user.add', 'a@x.io'), (1800000001, 'carol', 'reset', 'a@x.io');",
        )
        .unwrap();
    } else if env.is_mysql() {
        env.execute(include_str!("../migrations/mysql/001_initial.sql"));
        env.execute(
            "INSERT INTO twofa_meta VALUES ('schema_version', '1');
             INSERT INTO twofa_events (at, actor, action, email) VALUES
               (1800000000, 'carol', 'user.add', 'a@x.io'), (1800000001, 'carol', 'reset', 'a@x.io');",
        );
    } else {
        let c = rusqlite::Connection::open(&env.db).unwrap();
        c.execute_batch(include_str!("../migrations/sqlite/001_initial.sql"))
            .unwrap();
        c.execute_batch(
            "INSERT INTO twofa_meta VALUES ('schema_version', '1');
             INSERT INTO twofa_events (at, actor, action, email) VALUES
               (1800000000, 'carol', 'user.add', 'a@x.io'), (1800000001, 'carol', 'reset', 'a@x.io');",
        )
        .unwrap();
    }
    // log verify only reads: it leaves an old schema as it is and says what to do.
    env.twofa(&["log", "verify"]).fails_saying(6, "twofa --db");
    env.ok(&["init"]);
    let (code, v, stderr) = verify_log(&env);
    assert_eq!((code, v.events), (0, 2), "{v:?} {stderr}");
    let hashes = env.query_strings(&format!(
        "SELECT hash FROM {} ORDER BY id",
        env.table("events")
    ));
    assert_eq!(hashes.len(), 2);
    assert!(hashes.iter().all(|h| h.len() == 64), "{hashes:?}");
    // The migrated chain goes on.
    env.ok(&["user", "add", "b@x.io"]);
    let (code, v, _) = verify_log(&env);
    assert_eq!((code, v.events), (0, 3));
}
