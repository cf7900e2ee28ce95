//! Running a mandatory policy through the real binary, on the suite's backend: deadline
//! reminders (`remind`), exemptions (`user exempt`), and what `org policy --require` says
//! and asks on a terminal. The clock is TestEnv's (`TWOFA_TEST_NOW`), and once the system
//! clock faked by libfaketime.

mod common;

use std::path::PathBuf;

use common::{T0, TestEnv, assert_failure};
use serde::Deserialize;
use serde_json::Value;
use twofa::clock::rfc3339;

const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;
const A: &str = "a@example.com";
const B: &str = "b@example.com";
const C: &str = "c@example.com";
/// Exempt for 30 days from day 0.
const D: &str = "d@example.com";
/// Enrolls on day 1.
const E: &str = "e@example.com";

/// A `remind` row.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct Reminder {
    email: String,
    org: Option<String>,
    deadline: String,
    days_left: i64,
    threshold: u32,
}

/// What a hook received: a `log` row.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct Event {
    at: String,
    actor: String,
    action: String,
    email: Option<String>,
    org: Option<String>,
    detail: Option<String>,
}

/// A `policy.reminder` event's detail.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct Detail {
    deadline: String,
    days_left: i64,
    threshold: u32,
}

/// Organisation acme with accounts a–e, 2FA required with a 10-day grace period from
/// `base` (day 0), d exempt for 30 days, e enrolled on day 1. The clock is left at day 1.
struct Scenario {
    env: TestEnv,
    base: i64,
    hook_log: PathBuf,
}

impl Scenario {
    fn new() -> Self {
        let mut env = TestEnv::new();
        let base = env.now;
        env.ok(&["org", "add", "acme"]);
        for email in [A, B, C, D, E] {
            env.ok(&["user", "add", email, "--org", "acme"]);
        }
        env.ok(&["org", "policy", "acme", "--require", "--grace-days", "10"]);
        env.ok(&["user", "exempt", D, "--days", "30", "--reason", "on leave"]);
        env.now = base + DAY;
        env.enable(E);
        let hook_log = env.path("hooks.ndjson");
        Scenario {
            env,
            base,
            hook_log,
        }
    }

    fn deadline(&self) -> String {
        rfc3339(self.base + 10 * DAY)
    }

    fn at(&mut self, t: i64) -> &mut Self {
        self.env.now = self.base + t;
        self
    }

    /// `remind ARGS` with the hook appending each event to `hook_log`; asserts exit 0.
    fn remind(&self, args: &[&str]) -> Vec<Reminder> {
        let hook = format!("cat >> '{}'", self.hook_log.display());
        let all = [&["--hook", &hook, "remind"], args].concat();
        let (code, v, stderr) = self.env.json_full(&all, "");
        assert_eq!(code, 0, "remind {args:?}: {v}\n{stderr}");
        assert!(!stderr.contains("hook"), "a hook failed: {stderr}");
        serde_json::from_value(v).expect("remind rows")
    }

    /// What the hook received so far.
    fn hook_calls(&self) -> Vec<Event> {
        std::fs::read_to_string(&self.hook_log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).expect("a hook's input is a JSON event"))
            .collect()
    }
}

fn emails(rows: &[Reminder]) -> Vec<&str> {
    rows.iter().map(|r| r.email.as_str()).collect()
}

fn audit_non_compliant(env: &TestEnv) -> (i32, Vec<String>) {
    let (code, v) = env.json(&["audit", "--non-compliant"]);
    let rows = v.as_array().expect("audit rows");
    let emails = rows
        .iter()
        .map(|r| r["email"].as_str().unwrap().to_string())
        .collect();
    (code, emails)
}

fn count(env: &TestEnv, action: &str) -> usize {
    env.events()
        .iter()
        .filter(|e| e["action"] == action)
        .count()
}

#[test]
fn reminders_go_out_once_per_threshold_and_skip_the_exempt_and_the_enrolled() {
    let mut s = Scenario::new();
    let deadline = s.deadline();

    // Day 0: ten days left, beyond both thresholds.
    s.at(0);
    assert_eq!(s.remind(&["--before", "7,1"]), vec![]);
    assert!(s.hook_calls().is_empty());

    // Day 4: six days left. c has started enrolling (pending does not count).
    s.at(4 * DAY);
    s.env.enroll(C);
    let dry = s.remind(&["--before", "7,1", "--dry-run"]);
    assert_eq!(emails(&dry), [A, B, C], "{dry:?}");
    for r in &dry {
        assert_eq!(r.org.as_deref(), Some("acme"));
        assert_eq!(
            (r.deadline.as_str(), r.days_left, r.threshold),
            (deadline.as_str(), 6, 7)
        );
    }
    assert!(s.hook_calls().is_empty(), "a dry run calls no hook");
    assert_eq!(
        count(&s.env, "policy.reminder"),
        0,
        "a dry run records nothing"
    );
    assert_eq!(
        s.remind(&["--before", "7,1", "--dry-run"]),
        dry,
        "still due"
    );

    let sent = s.remind(&["--before", "7,1"]);
    assert_eq!(sent, dry);
    let calls = s.hook_calls();
    assert_eq!(calls.len(), 3, "{calls:?}");
    for (call, email) in calls.iter().zip([A, B, C]) {
        assert_eq!(call.action, "policy.reminder");
        assert_eq!(call.email.as_deref(), Some(email));
        assert_eq!(call.org.as_deref(), Some("acme"));
        assert_eq!(call.actor, "tester");
        assert_eq!(call.at, rfc3339(s.env.now));
        let detail: Detail =
            serde_json::from_str(call.detail.as_deref().expect("detail")).expect("JSON detail");
        assert_eq!(
            detail,
            Detail {
                deadline: deadline.clone(),
                days_left: 6,
                threshold: 7
            }
        );
    }

    // An hour later: nobody.
    s.at(4 * DAY + HOUR);
    assert_eq!(s.remind(&["--before", "7,1"]), vec![]);
    assert_eq!(s.hook_calls().len(), 3);

    // Day 9.5: half a day left; each once at threshold 1.
    s.at(9 * DAY + DAY / 2);
    let sent = s.remind(&["--before", "7,1"]);
    assert_eq!(emails(&sent), [A, B, C]);
    assert!(
        sent.iter().all(|r| r.threshold == 1 && r.days_left == 0),
        "{sent:?}"
    );
    assert_eq!(s.hook_calls().len(), 6);
    s.at(9 * DAY + DAY / 2 + HOUR);
    assert_eq!(s.remind(&["--before", "7,1"]), vec![]);
    assert_eq!(count(&s.env, "policy.reminder"), 6);

    // After the deadline: nobody to remind; the three are non-compliant, d is not.
    s.at(10 * DAY);
    assert_eq!(s.remind(&["--before", "7,1"]), vec![]);
    assert_eq!(
        audit_non_compliant(&s.env),
        (1, vec![A.into(), B.into(), C.into()])
    );
    let d = s.env.status(D);
    assert_eq!(
        (d["required"].clone(), d["compliant"].clone()),
        (false.into(), true.into())
    );
    assert_eq!(d["exempt_until"], Value::String(rfc3339(s.base + 30 * DAY)));
    assert_eq!(d["deadline"], Value::String(deadline.clone()));

    // The exemption ends by itself after 30 days.
    s.at(30 * DAY - 1);
    assert_eq!(audit_non_compliant(&s.env).1, [A, B, C]);
    s.at(30 * DAY);
    assert_eq!(
        audit_non_compliant(&s.env),
        (1, vec![A.into(), B.into(), C.into(), D.into()])
    );
    let d = s.env.status(D);
    assert_eq!(
        (d["required"].clone(), d["compliant"].clone()),
        (true.into(), false.into())
    );
    assert_eq!(s.hook_calls().len(), 6, "nothing more was sent");
}

#[test]
fn two_runs_at_once_remind_each_account_once() {
    let mut s = Scenario::new();
    s.at(4 * DAY);
    let hook = format!("cat >> '{}'", s.hook_log.display());
    let outs = s
        .env
        .concurrently(4, &["--hook", &hook, "remind", "--before", "7,1"], "");
    let mut reminded = Vec::new();
    for out in &outs {
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rows: Vec<Reminder> = serde_json::from_slice(&out.stdout).expect("remind rows");
        reminded.extend(rows.into_iter().map(|r| r.email));
    }
    reminded.sort();
    assert_eq!(
        reminded,
        [A, B, C],
        "each account by exactly one of the runs"
    );
    assert_eq!(s.hook_calls().len(), 3);
    assert_eq!(count(&s.env, "policy.reminder"), 3);
}

#[test]
fn thresholds_reached_at_once_send_only_the_smallest() {
    let mut s = Scenario::new();
    s.at(9 * DAY + DAY / 2);
    let sent = s.remind(&["--before", "1,7"]);
    assert_eq!(emails(&sent), [A, B, C]);
    assert!(sent.iter().all(|r| r.threshold == 1), "{sent:?}");
    s.at(9 * DAY + DAY / 2 + 60);
    assert_eq!(s.remind(&["--before", "7"]), vec![], "7 counts as sent");
    assert_eq!(s.remind(&["--before", "1,7"]), vec![]);
    assert_eq!(s.hook_calls().len(), 3);
}

#[test]
fn a_new_deadline_starts_over() {
    let mut s = Scenario::new();
    s.at(4 * DAY);
    assert_eq!(s.remind(&["--before", "7"]).len(), 3);
    // A longer grace period keeps the policy's start: the deadline moves to day 20.
    s.env
        .ok(&["org", "policy", "acme", "--require", "--grace-days", "20"]);
    s.at(4 * DAY + HOUR);
    assert_eq!(s.remind(&["--before", "7"]), vec![], "13 days left");
    s.at(14 * DAY);
    let sent = s.remind(&["--before", "7"]);
    assert_eq!(emails(&sent), [A, B, C]);
    assert!(
        sent.iter().all(|r| r.deadline == rfc3339(s.base + 20 * DAY)
            && r.days_left == 6
            && r.threshold == 7),
        "{sent:?}"
    );
    assert_eq!(s.hook_calls().len(), 6);
}

#[test]
fn remind_filters_by_org_and_refuses_bad_input() {
    let mut s = Scenario::new();
    s.env.ok(&["org", "add", "other"]);
    s.env
        .ok(&["user", "add", "x@example.com", "--org", "other"]);
    s.env
        .ok(&["org", "policy", "other", "--require", "--grace-days", "5"]);
    s.at(4 * DAY);
    let other = s.remind(&["--before", "7", "--org", "other", "--dry-run"]);
    assert_eq!(emails(&other), ["x@example.com"]);
    assert_eq!(other[0].days_left, 2, "created on day 1 with 5 days' grace");
    let out = s.env.run(&["remind", "--before", "7", "--org", "nope"], "");
    assert_failure(&out, 3, "nope");
    for bad in ["0", "x", "7,,1", "-1", "3651"] {
        let out = s.env.run(&["remind", "--before", bad], "");
        assert_failure(&out, 2, "--before");
    }
    let out = s.env.run(&["remind"], "");
    assert_failure(&out, 2, "--before");
    assert_eq!(count(&s.env, "policy.reminder"), 0);

    // CSV has CLI.md's columns; the table says how many were reminded.
    let csv = s
        .env
        .ok(&["remind", "--before", "7", "--dry-run", "--format", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("email,org,deadline,days_left,threshold"));
    assert_eq!(lines.count(), 4);
    let table = s.env.ok(&["remind", "--before", "7"]);
    assert!(table.contains("4 account(s) reminded"), "{table}");
}

#[test]
fn exemptions_are_bounded_logged_and_cleared() {
    let mut s = Scenario::new();
    let env = &mut s.env;
    let before = env.events().len();
    for (args, needle) in [
        (vec!["--days", "400"], "--days 400"),
        (vec!["--days", "366"], "365 days"),
        (vec!["--days", "0"], "future"),
        (vec!["--until", "2020-01-01T00:00:00Z"], "2020-01-01"),
        (vec!["--until", &rfc3339(T0 + 400 * DAY)], "365 days"),
        (vec!["--until", "next week"], "next week"),
        (vec!["--days", "3", "--reason", "   "], "reason"),
        (vec!["--days", "3", "--reason", "a\u{1b}[31mb"], "control"),
    ] {
        let mut all = vec!["user", "exempt", A];
        all.extend(&args);
        if !args.contains(&"--reason") {
            all.extend(["--reason", "test"]);
        }
        let out = env.run(&all, "");
        assert_failure(&out, 2, needle);
    }
    let out = env.run(&["user", "exempt", A, "--days", "3"], "");
    assert_failure(&out, 2, "--reason");
    let out = env.run(&["user", "exempt", A, "--days", "3", "--clear"], "");
    assert_failure(&out, 2, "--clear");
    let out = env.run(
        &[
            "user",
            "exempt",
            "nobody@example.com",
            "--days",
            "3",
            "--reason",
            "x",
        ],
        "",
    );
    assert_failure(&out, 3, "nobody@example.com");
    assert_eq!(env.events().len(), before, "nothing was logged");
    assert_eq!(env.status(A)["exempt_until"], Value::Null);

    let until = rfc3339(env.now + 365 * DAY);
    let (code, v) = env.json(&[
        "user",
        "exempt",
        A,
        "--until",
        &until,
        "--reason",
        "service account",
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        (v["email"].as_str(), v["exempt_until"].as_str()),
        (Some(A), Some(until.as_str()))
    );
    assert_eq!(v["required"], false);
    let e = &env.events()[0];
    assert_eq!(
        (e["action"].as_str(), e["email"].as_str()),
        (Some("user.exempt"), Some(A))
    );
    let detail = e["detail"].as_str().unwrap();
    assert!(
        detail.contains(&until) && detail.contains("service account"),
        "{detail}"
    );

    // The same again changes nothing and logs nothing.
    let n = env.events().len();
    env.ok(&[
        "user",
        "exempt",
        A,
        "--until",
        &until,
        "--reason",
        "service account",
    ]);
    assert_eq!(env.events().len(), n);

    let (code, v) = env.json(&["user", "exempt", A, "--clear"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["exempt_until"], Value::Null);
    assert_eq!(v["required"], true);
    assert_eq!(env.events()[0]["action"], "user.exempt_cleared");
    let n = env.events().len();
    let out = env.run(&["user", "exempt", A, "--clear"], "");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not exempt"));
    assert_eq!(env.events().len(), n, "clearing nothing logs nothing");

    // CSV of audit carries the column; table status shows it.
    let csv = env.ok(&["audit", "--format", "csv"]);
    let header = csv.lines().next().unwrap();
    assert!(header.ends_with(",deadline,exempt_until"), "{header}");
    assert!(env.ok(&["status", D]).contains("exempt_until"));
}

#[test]
fn the_policy_dry_run_names_exempt_accounts_apart() {
    let env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    for email in [A, B, D] {
        env.ok(&["user", "add", email, "--org", "acme"]);
    }
    env.ok(&["user", "exempt", D, "--days", "30", "--reason", "on leave"]);
    let (code, v) = env.json(&[
        "org",
        "policy",
        "acme",
        "--require",
        "--grace-days",
        "3",
        "--dry-run",
    ]);
    assert_eq!(code, 0, "{v}");
    let listed = |key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .unwrap_or_else(|| panic!("{key}: {v}"))
            .iter()
            .map(|r| r["email"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(listed("would_be_non_compliant"), [A, B]);
    assert_eq!(listed("exempt"), [D]);
    let table = env.ok(&["org", "policy", "acme", "--require", "--dry-run"]);
    assert!(table.contains("exempt until"), "{table}");
    assert_eq!(env.json(&["org", "policy", "acme"]).1["required"], false);
}

/// Runs `twofa ARGS` on a pseudo-terminal (python3's pty module), answers `answer` when
/// asked `[y/N]`, and returns (exit code, everything the terminal showed).
fn on_a_terminal(env: &TestEnv, args: &str, answer: &str) -> (i32, String) {
    let script = env.path("pty_run.py");
    std::fs::write(
        &script,
        r#"
import os, pty, select, sys, time
answer = sys.argv[1].encode()
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
seen, asked, end = b"", False, time.time() + 60
while time.time() < end:
    ready, _, _ = select.select([fd], [], [], 0.2)
    if not ready:
        continue
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    seen += data
    if not asked and b"[y/N]" in seen:
        os.write(fd, answer)
        asked = True
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(seen)
sys.exit(os.waitstatus_to_exitcode(status))
"#,
    )
    .unwrap();
    let out = env
        .bash(&format!(
            "TERM=xterm python3 '{}' '{answer}' \"$TWOFA\" {args}",
            script.display()
        ))
        .output()
        .expect("run python3");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn require_on_a_terminal_says_how_many_and_asks_first() {
    let env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    for i in 0..7 {
        env.ok(&["user", "add", &format!("u{i}@example.com"), "--org", "acme"]);
    }
    let (code, shown) = on_a_terminal(&env, "org policy acme --require", "n");
    assert!(
        shown.contains("7 account(s) non-compliant at once"),
        "{shown}"
    );
    assert!(shown.contains("[y/N]"), "{shown}");
    assert_eq!(code, 4, "{shown}");
    assert_eq!(
        env.json(&["org", "policy", "acme"]).1["required"],
        false,
        "n changed nothing"
    );
    assert_eq!(count(&env, "policy.require"), 0);

    // Three enroll in time (a grace period): 4 at once... none at once, 7 within it.
    let (code, shown) = on_a_terminal(&env, "org policy acme --require --grace-days 14", "y");
    assert_eq!(code, 0, "{shown}");
    assert!(
        shown.contains(
            "0 account(s) non-compliant at once, and 7 more within the grace period of 14 day(s)"
        ),
        "{shown}"
    );
    let p = env.json(&["org", "policy", "acme"]).1;
    assert_eq!(
        (p["required"].clone(), p["grace_days"].clone()),
        (true.into(), 14.into())
    );

    // --yes skips the question.
    let (code, shown) = on_a_terminal(&env, "org policy acme --require --yes", "n");
    assert_eq!(code, 0, "{shown}");
    assert!(!shown.contains("[y/N]"), "{shown}");
    assert_eq!(env.json(&["org", "policy", "acme"]).1["grace_days"], 0);
}

#[test]
fn require_without_a_terminal_proceeds() {
    let env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    for i in 0..7 {
        env.ok(&["user", "add", &format!("u{i}@example.com"), "--org", "acme"]);
    }
    let (code, v, stderr) = env.json_full(&["org", "policy", "acme", "--require"], "");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(v["required"], true);
    assert!(!stderr.contains("[y/N]"), "{stderr}");
    assert_eq!(count(&env, "policy.require"), 1);
}

/// The system clock, faked by libfaketime, rather than `TWOFA_TEST_NOW`: reminders on the
/// real time source of a release build.
#[test]
fn reminders_follow_the_system_clock_under_libfaketime() {
    const LIB: &str = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";
    assert!(
        std::path::Path::new(LIB).exists(),
        "libfaketime is not installed (apt-get install libfaketime; .ci/run does)"
    );
    let s = Scenario::new();
    let faked = |day_offset: i64| {
        let t = s.base + day_offset;
        let when = time::OffsetDateTime::from_unix_timestamp(t).unwrap();
        let spec = format!(
            "@{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            when.year(),
            u8::from(when.month()),
            when.day(),
            when.hour(),
            when.minute(),
            when.second()
        );
        let out = s
            .env
            .process()
            .env_remove("TWOFA_TEST_NOW")
            .env("LD_PRELOAD", LIB)
            .env("FAKETIME", spec)
            .env("TZ", "UTC")
            .args(["remind", "--before", "7,1", "--format", "json"])
            .output()
            .expect("run twofa under libfaketime");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rows: Vec<Reminder> = serde_json::from_slice(&out.stdout).expect("remind rows");
        rows
    };
    assert_eq!(faked(0), vec![], "day 0");
    let sent = faked(4 * DAY);
    assert_eq!(emails(&sent), [A, B, C], "day 4");
    assert!(
        sent.iter().all(|r| r.threshold == 7 && r.days_left == 6),
        "{sent:?}"
    );
    // The events carry the faked time (libfaketime's clock starts there and runs on).
    let at = s.env.events()[0]["at"].as_str().unwrap().to_string();
    let at = time::OffsetDateTime::parse(&at, &time::format_description::well_known::Rfc3339)
        .unwrap()
        .unix_timestamp();
    assert!(
        (0..60).contains(&(at - (s.base + 4 * DAY))),
        "event at {at}"
    );
    assert_eq!(faked(4 * DAY + HOUR), vec![], "an hour later");
    let sent = faked(9 * DAY + DAY / 2);
    assert!(sent.iter().all(|r| r.threshold == 1), "{sent:?}");
    assert_eq!(emails(&sent), [A, B, C], "day 9.5");
}
