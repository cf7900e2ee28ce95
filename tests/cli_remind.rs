//! Running a mandatory policy through the real binary, on the suite's backend: deadline
//! reminders (`remind`), exemptions (`user exempt`), and what `org policy --require` says
//! and asks on a terminal. The clock is TestEnv's (`TWOFA_TEST_NOW`), and once the system
//! clock faked by libfaketime.

mod common;

use std::path::PathBuf;

use common::{
    Event, Policy, Reminder, ReminderDetail, STATUS_FIELDS, Status, T0, TestEnv, count_action,
    emails,
};
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

    /// Moves the clock to `t` seconds after day 0.
    fn at(&mut self, t: i64) {
        self.env.now = self.base + t;
    }

    /// `remind ARGS` with the hook appending each event to `hook_log`; asserts exit 0
    /// and that no hook failed.
    #[track_caller]
    fn remind(&self, args: &[&str]) -> Vec<Reminder> {
        let hook = format!("cat >> '{}'", self.hook_log.display());
        let all = [&["--hook", &hook, "remind"], args].concat();
        let (code, rows, stderr) = self.env.twofa(&all).json_full::<Vec<Reminder>>();
        assert_eq!(code, 0, "remind {args:?}: {stderr}");
        assert!(!stderr.contains("hook"), "a hook failed: {stderr}");
        rows
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

/// `audit --non-compliant`: its exit code and the emails it listed.
fn non_compliant(env: &TestEnv) -> (i32, Vec<String>) {
    let (code, rows) = env
        .twofa(&["audit", "--non-compliant"])
        .json::<Vec<Status>>();
    (code, rows.into_iter().map(|r| r.email).collect())
}

fn reminders_logged(env: &TestEnv) -> usize {
    count_action(&env.events(), "policy.reminder")
}

fn strings(emails: &[&str]) -> Vec<String> {
    emails.iter().map(|e| e.to_string()).collect()
}

fn policy(env: &TestEnv, org: &str) -> Policy {
    env.twofa(&["org", "policy", org]).ok_json()
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
    assert_eq!(reminders_logged(&s.env), 0, "a dry run records nothing");
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
        let detail: ReminderDetail =
            serde_json::from_str(call.detail.as_deref().expect("detail")).expect("JSON detail");
        let want = ReminderDetail {
            deadline: deadline.clone(),
            days_left: 6,
            threshold: 7,
        };
        assert_eq!(detail, want);
    }
    assert_eq!(
        calls,
        s.env.events()[..3]
            .iter()
            .rev()
            .cloned()
            .collect::<Vec<_>>()
    );

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
    assert_eq!(reminders_logged(&s.env), 6);

    // After the deadline: nobody to remind; the three are non-compliant, d is not.
    s.at(10 * DAY);
    assert_eq!(s.remind(&["--before", "7,1"]), vec![]);
    assert_eq!(non_compliant(&s.env), (1, strings(&[A, B, C])));
    let d = s.env.status(D);
    assert!(!d.required && d.compliant, "{d:?}");
    assert_eq!(d.exempt_until, Some(rfc3339(s.base + 30 * DAY)));
    assert_eq!(
        d.deadline,
        Some(deadline.clone()),
        "the deadline it returns to"
    );

    // The exemption ends by itself after 30 days.
    s.at(30 * DAY - 1);
    assert_eq!(non_compliant(&s.env), (1, strings(&[A, B, C])));
    s.at(30 * DAY);
    assert_eq!(non_compliant(&s.env), (1, strings(&[A, B, C, D])));
    let d = s.env.status(D);
    assert!(d.required && !d.compliant, "{d:?}");
    assert_eq!(s.hook_calls().len(), 6, "nothing more was sent");
}

#[test]
fn two_runs_at_once_remind_each_account_once() {
    let mut s = Scenario::new();
    s.at(4 * DAY);
    let hook = format!("cat >> '{}'", s.hook_log.display());
    let args = ["--hook", &hook, "remind", "--before", "7,1"];
    let mut reminded = Vec::new();
    for out in s.env.concurrently(4, &args, "") {
        let (code, rows, stderr) = common::parse_json::<Vec<Reminder>>(&args, &out);
        assert_eq!(code, 0, "{stderr}");
        reminded.extend(rows.into_iter().map(|r| r.email));
    }
    reminded.sort();
    assert_eq!(
        reminded,
        [A, B, C],
        "each account by exactly one of the runs"
    );
    assert_eq!(s.hook_calls().len(), 3);
    assert_eq!(reminders_logged(&s.env), 3);
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
    assert_eq!(s.remind(&["--before", "7"]), vec![], "15 days left");
    s.at(14 * DAY);
    let sent = s.remind(&["--before", "7"]);
    assert_eq!(emails(&sent), [A, B, C]);
    let new_deadline = rfc3339(s.base + 20 * DAY);
    for r in &sent {
        assert_eq!(
            (r.deadline.as_str(), r.days_left, r.threshold),
            (new_deadline.as_str(), 6, 7)
        );
    }
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
    s.env
        .twofa(&["remind", "--before", "7", "--org", "nope"])
        .fails_saying(3, "nope");
    for bad in ["0", "x", "7,,1", "-1", "3651"] {
        s.env
            .twofa(&["remind", "--before", bad])
            .fails_saying(2, "--before");
    }
    s.env.twofa(&["remind"]).fails_saying(2, "--before");
    assert_eq!(reminders_logged(&s.env), 0);

    // CSV has the documented columns; the table says how many were reminded.
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
    let s = Scenario::new();
    let env = &s.env;
    let before = env.events().len();
    let too_far = rfc3339(T0 + 400 * DAY);
    for (args, needle) in [
        (
            vec!["--days", "400"],
            "'400' for '--days <N>': it must be a whole number of days, from 1 to 365",
        ),
        (vec!["--days", "366"], "from 1 to 365"),
        (vec!["--days", "0"], "from 1 to 365"),
        (vec!["--until", "2020-01-01T00:00:00Z"], "2020-01-01"),
        (vec!["--until", too_far.as_str()], "365 days"),
        (vec!["--until", "next week"], "next week"),
        (vec!["--days", "3", "--reason", "   "], "reason"),
        (vec!["--days", "3", "--reason", "a\u{1b}[31mb"], "control"),
    ] {
        let mut all = vec!["user", "exempt", A];
        all.extend(&args);
        if !args.contains(&"--reason") {
            all.extend(["--reason", "test"]);
        }
        env.twofa(&all).fails_saying(2, needle);
    }
    env.twofa(&["user", "exempt", A, "--days", "3"])
        .fails_saying(2, "--reason");
    env.twofa(&["user", "exempt", A, "--days", "3", "--clear"])
        .fails_saying(2, "--clear");
    env.twofa(&[
        "user",
        "exempt",
        "nobody@example.com",
        "--days",
        "3",
        "--reason",
        "x",
    ])
    .fails_saying(3, "nobody@example.com");
    assert_eq!(env.events().len(), before, "nothing was logged");
    assert_eq!(env.status(A).exempt_until, None);

    let until = rfc3339(env.now + 365 * DAY);
    let exempt_a = [
        "user",
        "exempt",
        A,
        "--until",
        until.as_str(),
        "--reason",
        "service account",
    ];
    let shown: Status = env.twofa(&exempt_a).ok_json();
    assert_eq!(shown.email, A);
    assert_eq!(shown.exempt_until.as_deref(), Some(until.as_str()));
    assert!(!shown.required && shown.compliant, "{shown:?}");
    assert_eq!(env.status(A), shown);
    let e: Event = env.events().remove(0);
    assert_eq!(
        (e.action.as_str(), e.email.as_deref()),
        ("user.exempt", Some(A))
    );
    let detail = e.detail.unwrap_or_default();
    assert!(
        detail.contains(&until) && detail.contains("service account"),
        "{detail}"
    );

    // The same again changes nothing and logs nothing.
    let n = env.events().len();
    env.ok(&exempt_a);
    assert_eq!(env.events().len(), n);

    let shown: Status = env.twofa(&["user", "exempt", A, "--clear"]).ok_json();
    assert_eq!(shown.exempt_until, None);
    assert!(shown.required, "{shown:?}");
    assert_eq!(env.events()[0].action, "user.exempt.clear");
    let n = env.events().len();
    let out = env.twofa(&["user", "exempt", A, "--clear"]).output();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not exempt"));
    assert_eq!(env.events().len(), n, "clearing nothing logs nothing");

    // audit's CSV carries the column; the table status shows it.
    let csv = env.ok(&["audit", "--format", "csv"]);
    let header = csv.lines().next().unwrap();
    assert_eq!(header, STATUS_FIELDS.join(","), "the documented order");
    assert!(header.contains(",exempt_until,"), "{header}");
    let d = env.ok(&["status", D]);
    let line = d.lines().find(|l| l.starts_with("exempt_until:"));
    assert!(
        line.is_some_and(|l| l.ends_with(&rfc3339(s.base + 30 * DAY))),
        "{d}"
    );
}

#[test]
fn the_policy_dry_run_names_exempt_accounts_apart() {
    let env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    for email in [A, B, D] {
        env.ok(&["user", "add", email, "--org", "acme"]);
    }
    env.ok(&["user", "exempt", D, "--days", "30", "--reason", "on leave"]);
    let dry = env.policy_dry_run("acme", 3);
    assert_eq!(
        emails(dry.would_be_non_compliant.as_deref().unwrap()),
        [A, B]
    );
    assert_eq!(emails(dry.exempt.as_deref().unwrap()), [D]);
    let table = env.ok(&["org", "policy", "acme", "--require", "--dry-run"]);
    assert!(table.contains("exempt until"), "{table}");
    assert!(!policy(&env, "acme").required, "a dry run changes nothing");
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
        shown.contains("makes 7 account(s) non-compliant at once."),
        "{shown}"
    );
    assert!(shown.contains("[y/N]"), "{shown}");
    assert_eq!(code, 4, "{shown}");
    assert!(!policy(&env, "acme").required, "n changed nothing");
    assert_eq!(count_action(&env.events(), "policy.require"), 0);

    let (code, shown) = on_a_terminal(&env, "org policy acme --require --grace-days 14", "y");
    assert_eq!(code, 0, "{shown}");
    // (Wrapped at the terminal's width, between words.)
    let words = shown.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("makes 0 account(s) non-compliant at once, and 7 more within the grace period of 14 days"),
        "{shown}"
    );
    let p = policy(&env, "acme");
    assert!(p.required && p.grace_days == 14, "{p:?}");

    // --yes skips the question (a shorter grace period asks too).
    let (code, shown) = on_a_terminal(&env, "org policy acme --require --grace-days 0 --yes", "n");
    assert_eq!(code, 0, "{shown}");
    assert!(!shown.contains("[y/N]"), "{shown}");
    assert_eq!(policy(&env, "acme").grace_days, 0);
}

#[test]
fn require_without_a_terminal_proceeds() {
    let env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    for i in 0..7 {
        env.ok(&["user", "add", &format!("u{i}@example.com"), "--org", "acme"]);
    }
    let (code, p, stderr) = env
        .twofa(&["org", "policy", "acme", "--require"])
        .json_full::<Policy>();
    assert_eq!(code, 0, "{stderr}");
    assert!(p.required, "{p:?}");
    assert!(!stderr.contains("[y/N]"), "{stderr}");
    assert_eq!(count_action(&env.events(), "policy.require"), 1);
}

/// The system clock, faked by libfaketime, rather than `TWOFA_TEST_NOW`: reminders on the
/// time source a release build has.
#[test]
fn reminders_follow_the_system_clock_under_libfaketime() {
    const LIB: &str = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";
    assert!(
        std::path::Path::new(LIB).exists(),
        "libfaketime is not installed (apt-get install libfaketime; .ci/run does)"
    );
    let s = Scenario::new();
    let faked = |offset: i64| -> Vec<Reminder> {
        let when = time::OffsetDateTime::from_unix_timestamp(s.base + offset).unwrap();
        let spec = format!(
            "@{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            when.year(),
            u8::from(when.month()),
            when.day(),
            when.hour(),
            when.minute(),
            when.second()
        );
        let args = ["remind", "--before", "7,1", "--format", "json"];
        let out = s
            .env
            .process()
            .env_remove("TWOFA_TEST_NOW")
            .env("LD_PRELOAD", LIB)
            .env("FAKETIME", spec)
            .env("TZ", "UTC")
            .args(args)
            .output()
            .expect("run twofa under libfaketime");
        let (code, rows, stderr) = common::parse_json(&args, &out);
        assert_eq!(code, 0, "{stderr}");
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
    let at = &s.env.events()[0].at;
    let at = twofa::clock::parse_time(at).unwrap();
    assert!(
        (0..60).contains(&(at - (s.base + 4 * DAY))),
        "event at {at}"
    );
    assert_eq!(faked(4 * DAY + HOUR), vec![], "an hour later");
    let sent = faked(9 * DAY + DAY / 2);
    assert_eq!(emails(&sent), [A, B, C], "day 9.5");
    assert!(sent.iter().all(|r| r.threshold == 1), "{sent:?}");
}

/// The README runbook's reminder hook, as written, mails each reminded user (a recording
/// `mail` on PATH) their days left and deadline.
#[test]
fn the_runbook_hook_mails_each_reminded_user() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let runbook = readme
        .split_once("\n## Runbook: enforce 2FA in an organisation\n")
        .expect("the runbook section")
        .1;
    let runbook = runbook.split("\n## ").next().unwrap();
    let hook: String = runbook
        .split("```sh\n")
        .filter_map(|b| b.split_once("```").map(|(code, _)| code))
        .find(|code| code.contains("mail-2fa-reminder: the hook"))
        .expect("the runbook's hook script")
        .lines()
        .map(|l| format!("{}\n", l.strip_prefix("   ").unwrap_or(l)))
        .collect();
    let mut s = Scenario::new();
    let bin = s.env.path("bin");
    std::fs::create_dir(&bin).unwrap();
    let write_script = |path: &std::path::Path, text: &str| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::write(path, text).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    write_script(&bin.join("mail-2fa-reminder"), &hook);
    let mails = s.env.path("mails.log");
    write_script(
        &bin.join("mail"),
        &format!(
            "#!/bin/sh\nprintf 'mail %s\\n' \"$*\" >> '{0}'\ncat >> '{0}'\n",
            mails.display()
        ),
    );
    s.at(4 * DAY);
    let out = s
        .env
        .bash(&format!(
            "PATH='{}':\"$PATH\" \"$TWOFA\" --hook mail-2fa-reminder remind --before 7,1 --quiet",
            bin.display()
        ))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.is_empty(), "{stderr}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "",
        "--quiet: cron mails nothing when nothing failed"
    );
    let deadline = s.deadline();
    let want: String = [A, B, C]
        .iter()
        .map(|email| {
            format!(
                "mail -s 2FA required by {deadline} {email}\n\
                 Please set up two-factor authentication: 6 day(s) left (deadline {deadline}).\n"
            )
        })
        .collect();
    assert_eq!(std::fs::read_to_string(&mails).unwrap_or_default(), want);
}

/// `metrics` counts the exempt account while its exemption is in force, and not after.
#[test]
fn metrics_count_exempt_accounts_until_the_exemption_ends() {
    let mut s = Scenario::new();
    let exempt_gauge = |env: &TestEnv| -> Option<String> {
        env.ok(&["metrics"])
            .lines()
            .find_map(|l| l.strip_prefix("twofa_accounts_exempt{org=\"acme\"} "))
            .map(str::to_string)
    };
    s.at(29 * DAY);
    assert_eq!(exempt_gauge(&s.env).as_deref(), Some("1"));
    s.at(30 * DAY);
    assert_eq!(exempt_gauge(&s.env).as_deref(), Some("0"));
}
