//! The support desk through the real binary, on either backend (TestEnv::new): find,
//! "did you mean", diagnose and resync with oathtool as the drifting phone, temporary
//! access codes, reset --grace-days, and tables on an 80-column terminal.

mod common;

use common::*;

const DAY: i64 = 86_400;

#[test]
fn find_by_name_and_by_part_of_an_email() {
    let env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    env.ok(&[
        "user",
        "add",
        "alice@example.com",
        "--org",
        "acme",
        "--name",
        "Alice Liddell",
    ]);
    env.ok(&["user", "add", "bob@example.org", "--name", "Bob Dylan"]);
    env.ok(&["user", "add", "carol_x@example.com"]);
    let by_name: Vec<User> = env.twofa(&["find", "LIDDELL"]).ok_json();
    assert_eq!(emails(&by_name), ["alice@example.com"]);
    assert_eq!(by_name[0].name.as_deref(), Some("Alice Liddell"));
    assert_eq!(by_name[0].org.as_deref(), Some("acme"));
    let by_part: Vec<User> = env.twofa(&["find", "Example.COM"]).ok_json();
    assert_eq!(
        emails(&by_part),
        ["alice@example.com", "carol_x@example.com"]
    );
    // LIKE's wildcards are taken literally.
    let underscore: Vec<User> = env.twofa(&["find", "_x@"]).ok_json();
    assert_eq!(emails(&underscore), ["carol_x@example.com"]);
    let none: Vec<User> = env.twofa(&["find", "%"]).ok_json();
    assert!(none.is_empty(), "{none:?}");
    env.twofa(&["find", " "]).fails_saying(2, "find needs");
    let csv = env.ok(&["find", "bob", "--format", "csv"]);
    assert_eq!(csv.lines().next(), Some("email,org,name,state,created_at"));
    assert!(
        csv.contains("bob@example.org,,Bob Dylan,disabled,"),
        "{csv}"
    );
}

#[test]
fn an_unknown_account_suggests_close_emails() {
    let env = TestEnv::new();
    for e in [
        "alice@example.com",
        "alicia@example.com",
        "bob@example.com",
        "zed@other.net",
    ] {
        env.ok(&["user", "add", e]);
    }
    let err = env.twofa(&["status", "alcie@example.com"]).fails(3);
    assert!(err.contains("did you mean alice@example.com"), "{err}");
    let err = env
        .twofa(&["verify", "alice@exmaple.com", "-"])
        .stdin("123456")
        .fails(3);
    assert!(err.contains("did you mean alice@example.com"), "{err}");
    let err = env
        .twofa(&["reset", "bbo@example.com", "--reason", "x", "--yes"])
        .fails(3);
    assert!(err.contains("did you mean bob@example.com?"), "{err}");
    let err = env.twofa(&["diagnose", "nobody@nowhere.io"]).fails(3);
    assert!(!err.contains("did you mean"), "nothing close: {err}");
}

#[test]
fn diagnose_reads_a_phone_90_seconds_behind_without_counting_it() {
    if !have("oathtool") {
        panic!("oathtool is needed (apt-get install oathtool)");
    }
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("alice@example.com");
    env.now += 3600; // the last accepted code is an hour old
    // One failed code first, so that "unchanged" is a count that could move.
    let wrong = env.wrong_code(&secret);
    assert_rejected(&env.verify("alice@example.com", &wrong), "wrong_code");
    let phone = oathtool_at(&secret, env.now - 90);
    let (code, d): (i32, Diagnose) = env
        .twofa(&["diagnose", "alice@example.com", "-"])
        .stdin(&phone)
        .json();
    assert_eq!(code, 0, "{d:?}");
    assert!(d.code_given && d.matches == Some(true), "{d:?}");
    assert_eq!(d.offset_steps, Some(-3));
    assert_eq!(d.offset_seconds, Some(-90));
    assert!(!d.within_window && !d.already_used, "{d:?}");
    assert_eq!(d.failed_attempts, 1);
    assert_eq!(d.state, "enabled");
    assert!(d.advice.contains("90 s behind"), "{}", d.advice);
    assert!(
        d.advice.contains("twofa resync alice@example.com"),
        "{}",
        d.advice
    );
    assert_eq!(d.drift_steps, 0);
    // Nothing was counted or spent: the failures are still one, and verify still refuses
    // the code for what it is (outside the window), not as used.
    let after: Diagnose = env.twofa(&["diagnose", "alice@example.com"]).ok_json();
    assert_eq!(after.failed_attempts, 1);
    assert!(!after.code_given && after.matches.is_none());
    let events = env.events();
    let diagnosed: Vec<&Event> = events.iter().filter(|e| e.action == "diagnose").collect();
    assert_eq!(diagnosed.len(), 2);
    for e in &events {
        let text = serde_json::to_string(e).unwrap();
        assert!(!text.contains(&phone), "the code reached the log: {text}");
    }
    assert!(
        diagnosed[1].detail.as_deref().unwrap().contains("-3 step"),
        "{diagnosed:?}"
    );
    // Table output for a person.
    let table = env
        .twofa(&["diagnose", "alice@example.com", "-"])
        .stdin(&phone)
        .ok();
    assert!(table.contains("advice:"), "{table}");
    assert!(!table.contains(&phone), "{table}");
}

#[test]
fn an_accepted_code_diagnoses_as_already_used_and_bad_input_is_refused() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("alice@example.com");
    let code = oathtool_at(&secret, env.now);
    assert_accepted(&env.verify("alice@example.com", &code), "totp");
    let d: Diagnose = env
        .twofa(&["diagnose", "alice@example.com", "-"])
        .stdin(&code)
        .ok_json();
    assert!(
        d.matches == Some(true) && d.already_used && d.within_window,
        "{d:?}"
    );
    assert_eq!(d.offset_steps, Some(0));
    assert!(d.advice.contains("accepted already"), "{}", d.advice);
    // A code far away: no match within the window, and a wider window finds it.
    let far = oathtool_at(&secret, env.now - 3600);
    let d: Diagnose = env
        .twofa(&["diagnose", "alice@example.com", "-"])
        .stdin(&far)
        .ok_json();
    assert!(
        d.matches == Some(false) && d.offset_steps.is_none(),
        "{d:?}"
    );
    let d: Diagnose = env
        .twofa(&["diagnose", "alice@example.com", "-", "--window", "61"])
        .stdin(&far)
        .ok_json();
    assert_eq!(d.offset_steps, Some(-120));
    env.twofa(&["diagnose", "alice@example.com", "-", "--window", "1441"])
        .stdin(&far)
        .fails(2);
    let err = env
        .twofa(&["diagnose", "alice@example.com", "-"])
        .stdin("12345x")
        .fails(2);
    assert!(!err.contains("12345x"), "the code was echoed: {err}");
    env.twofa(&["diagnose", "alice@example.com", "-"])
        .stdin("abcd-efgh-jkmn-pqrs")
        .fails_saying(2, "the 6 digits the authenticator app shows");
}

#[test]
fn resync_stores_a_five_minute_drift_and_the_phone_then_verifies() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("alice@example.com");
    env.now += 3600; // the phone drifted since its last accepted code
    let behind = 300;
    // Before: the phone's code is refused.
    let early = oathtool_at(&secret, env.now - behind);
    assert_rejected(&env.verify("alice@example.com", &early), "wrong_code");
    env.now += 30;
    let first = oathtool_at(&secret, env.now - behind - 30);
    let second = oathtool_at(&secret, env.now - behind);
    let r: Resync = env
        .twofa(&["resync", "alice@example.com", "-"])
        .stdin(format!("{first}\n{second}\n"))
        .ok_json();
    assert_eq!((r.drift_steps, r.drift_seconds), (-10, -300));
    let status: Status = env.twofa(&["status", "alice@example.com"]).ok_json();
    assert_eq!(status.drift_steps, -10);
    env.now += 30;
    let next = oathtool_at(&secret, env.now - behind);
    assert_accepted(&env.verify("alice@example.com", &next), "totp");
    assert_rejected(&env.verify("alice@example.com", &next), "reused");
    // A code of the server's own time is now outside the moved window.
    let server_time = oathtool_at(&secret, env.now + 30);
    assert_rejected(&env.verify("alice@example.com", &server_time), "wrong_code");
    assert!(
        env.actions_of("alice@example.com")
            .contains(&"resync".to_string())
    );
    // Codes that are not consecutive change nothing (exit 1).
    let a = oathtool_at(&secret, env.now - 600);
    let c = oathtool_at(&secret, env.now - 540);
    env.twofa(&["resync", "alice@example.com", &a, &c])
        .fails_saying(1, "not consecutive");
    let status: Status = env.twofa(&["status", "alice@example.com"]).ok_json();
    assert_eq!(status.drift_steps, -10);
    // Reset clears it; so does enrolling again.
    env.ok(&["reset", "alice@example.com", "--reason", "test", "--yes"]);
    let status: Status = env.twofa(&["status", "alice@example.com"]).ok_json();
    assert_eq!(status.drift_steps, 0);
    let (secret, _) = env.enable("alice@example.com");
    env.now += 600;
    let p1 = oathtool_at(&secret, env.now - 90);
    let p2 = oathtool_at(&secret, env.now - 60);
    let r: Resync = env
        .twofa(&["resync", "alice@example.com", &p1, &p2])
        .ok_json();
    assert_eq!(r.drift_steps, -2);
    // Re-enrolling keeps the working phone (and its drift) until the new secret is
    // confirmed; the new one starts without drift.
    let enrolled: Enroll = env
        .twofa(&[
            "enroll",
            "alice@example.com",
            "--no-confirm",
            "--yes",
            "--qr",
            "never",
        ])
        .ok_json();
    let d: Diagnose = env.twofa(&["diagnose", "alice@example.com"]).ok_json();
    assert_eq!((d.state.as_str(), d.drift_steps), ("enabled", -2), "{d:?}");
    let new_secret = enrolled.secret_bytes();
    env.confirm("alice@example.com", &oathtool_at(&new_secret, env.now));
    let d: Diagnose = env.twofa(&["diagnose", "alice@example.com"]).ok_json();
    assert_eq!((d.state.as_str(), d.drift_steps), ("enabled", 0), "{d:?}");
}

#[test]
fn an_access_code_works_once_until_it_expires_and_is_never_stored() {
    let mut env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    env.ok(&["org", "policy", "acme", "--require"]);
    let (secret, _) = env.enable_with("alice@example.com", &["--org", "acme"]);
    let issued: AccessCode = env
        .twofa(&[
            "access-code",
            "alice@example.com",
            "--reason",
            "lost phone abroad, ticket 7",
        ])
        .ok_json();
    assert_eq!(issued.expires_at, rfc3339(env.now + 3600));
    let code = issued.access_code.clone();
    assert_eq!(code.len(), 17, "xxxxx-xxxxx-xxxxx: {code}");
    let bare = code.replace('-', "");
    for needle in [code.as_str(), bare.as_str(), &bare.to_uppercase()] {
        let stored = env.db_contents();
        assert!(
            !stored.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "the access code is in the database"
        );
    }
    assert_accepted(&env.verify("alice@example.com", &code), "access_code");
    assert_rejected(
        &env.verify("alice@example.com", &code.to_uppercase()),
        "reused",
    );
    let status: Status = env.twofa(&["status", "alice@example.com"]).ok_json();
    assert_eq!(status.state, "enabled", "2FA stays on");
    // The phone still works alongside.
    assert_accepted(&env.verify("alice@example.com", &env.code(&secret)), "totp");
    // A new one replaces the old; it expires after its TTL.
    let old: AccessCode = alice_access_code(&env, "30m").ok_json();
    let new: AccessCode = alice_access_code(&env, "30m").ok_json();
    assert_rejected(
        &env.verify("alice@example.com", &old.access_code),
        "wrong_code",
    );
    env.now += 31 * 60;
    assert_rejected(
        &env.verify("alice@example.com", &new.access_code),
        "wrong_code",
    );
    for e in env.events() {
        let text = serde_json::to_string(&e).unwrap();
        for c in [&code, &old.access_code, &new.access_code] {
            assert!(
                !text.contains(c.as_str()),
                "an access code reached the log: {text}"
            );
        }
    }
    let actions = env.actions_of("alice@example.com");
    assert_eq!(count(&actions, "access-code"), 3);
    assert_eq!(count(&actions, "verify.access_code"), 1);
    alice_access_code(&env, "8d").fails_saying(2, "7d");
    alice_access_code(&env, "soon").fails_saying(2, "duration");
    env.ok(&["user", "add", "bob@example.com"]);
    env.twofa(&["access-code", "bob@example.com", "--reason", "r"])
        .fails_saying(4, "no 2FA");
}

/// `twofa access-code alice@example.com --ttl TTL`, with a reason.
fn alice_access_code<'a>(env: &'a TestEnv, ttl: &str) -> Run<'a> {
    env.twofa(&[
        "access-code",
        "alice@example.com",
        "--reason",
        "r",
        "--ttl",
        ttl,
    ])
}

fn count(actions: &[String], action: &str) -> usize {
    actions.iter().filter(|a| *a == action).count()
}

#[test]
fn reset_with_grace_days_gives_the_account_its_own_deadline() {
    let mut env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    env.ok(&["org", "policy", "acme", "--require"]);
    env.enable_with("alice@example.com", &["--org", "acme"]);
    env.enable_with("bob@example.com", &["--org", "acme"]);
    env.ok(&[
        "reset",
        "alice@example.com",
        "--reason",
        "lost phone",
        "--grace-days",
        "3",
        "--yes",
    ]);
    env.ok(&[
        "reset",
        "bob@example.com",
        "--reason",
        "lost phone",
        "--yes",
    ]);
    let alice: Status = env.twofa(&["status", "alice@example.com"]).ok_json();
    assert!(alice.required && alice.compliant, "{alice:?}");
    assert_eq!(alice.deadline, Some(rfc3339(env.now + 3 * DAY)));
    let bob: Status = env.twofa(&["status", "bob@example.com"]).ok_json();
    assert!(bob.required && !bob.compliant, "{bob:?}");
    let audit: Vec<Status> = env.twofa(&["audit", "--non-compliant"]).json().1;
    assert_eq!(emails(&audit), ["bob@example.com"]);
    env.now += 3 * DAY;
    let alice: Status = env.twofa(&["status", "alice@example.com"]).ok_json();
    assert!(!alice.compliant, "past its own deadline: {alice:?}");
    env.twofa(&[
        "reset",
        "alice@example.com",
        "--reason",
        "x",
        "--grace-days",
        "3651",
        "--yes",
    ])
    .fails(2);
}

#[test]
fn pending_and_no_2fa_say_what_to_do() {
    let env = TestEnv::new();
    let secret = env.enroll("alice@example.com");
    let out = env
        .twofa(&["verify", "alice@example.com", "-"])
        .stdin(env.code(&secret))
        .output();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("twofa confirm alice@example.com"), "{text}");
    let p: Status = env.twofa(&["status", "alice@example.com"]).ok_json();
    assert_eq!(p.pending_expires_at, Some(rfc3339(env.now + 15 * 60)));
    env.ok(&["user", "add", "bob@example.com"]);
    let text = env.ok(&["recovery", "status", "bob@example.com"]);
    assert!(text.contains("no 2FA"), "{text}");
}

/// Runs `twofa ARGS` on a pseudo-terminal 80 columns wide (util-linux `script`), and
/// returns what the terminal shows.
fn on_80_columns(env: &TestEnv, args: &str) -> String {
    let out = env
        .bash(&format!(
            "script -qec 'stty cols 80 rows 50; \"$TWOFA\" {args}' /dev/null"
        ))
        .output()
        .expect("run script");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
}

#[test]
fn tables_fit_an_80_column_terminal_and_are_never_wrapped_into_a_pipe() {
    if !have("script") {
        panic!("script (util-linux) is needed for the terminal test");
    }
    let mut env = TestEnv::new();
    env.ok(&["org", "add", "engineering-emea"]);
    env.ok(&[
        "org",
        "policy",
        "engineering-emea",
        "--require",
        "--grace-days",
        "14",
    ]);
    let emails = [
        "margaret.hamilton-longname@engineering.example.com",
        "grace.hopper@example.com",
        "bob@example.org",
    ];
    env.ok(&[
        "user",
        "add",
        emails[2],
        "--name",
        "Robert Dylan the Younger of Duluth",
    ]);
    env.enable_with(emails[0], &["--org", "engineering-emea"]);
    env.enroll_with(emails[1], &["--org", "engineering-emea"]);
    let stamp = regex_like_timestamp;
    for args in [
        "audit",
        "user list",
        "log",
        &format!("status {}", emails[0]),
        "find example",
    ] {
        let shown = on_80_columns(&env, args);
        for line in shown.lines() {
            assert!(
                line.chars().count() <= 80,
                "{args}: a line of {} columns:\n{shown}",
                line.chars().count()
            );
        }
        let expect: Vec<&str> = match args {
            "log" | "find example" | "user list" | "audit" => emails.to_vec(),
            _ => vec![emails[0]],
        };
        for e in expect {
            assert!(
                shown.contains(e),
                "{args}: {e} is broken or missing:\n{shown}"
            );
        }
        if args == "log" || args.starts_with("status") {
            assert!(stamp(&shown), "{args}: no whole timestamp:\n{shown}");
        }
        for (i, _) in shown.match_indices("2027-") {
            let end = (i + 20).min(shown.len());
            assert!(
                stamp(&shown[i..end]),
                "{args}: a broken timestamp:\n{shown}"
            );
        }
        assert!(
            !shown.contains("LED"),
            "{args}: a header broken inside a word:\n{shown}"
        );
    }
    // Into a pipe: one line a row, every column.
    let piped = env.bash("\"$TWOFA\" audit | cat").output().unwrap();
    let piped = String::from_utf8_lossy(&piped.stdout);
    for e in emails {
        let line = piped.lines().find(|l| l.contains(e)).expect("a row");
        assert!(
            line.contains("engineering-emea") || e == emails[2],
            "{line}"
        );
    }
    assert!(piped.lines().any(|l| l.contains("DRIFT STEPS")), "{piped}");
}

/// Whether `text` shows a whole RFC 3339 timestamp.
fn regex_like_timestamp(text: &str) -> bool {
    text.as_bytes().windows(20).any(|w| {
        let s = String::from_utf8_lossy(w);
        let b = s.as_bytes();
        s.len() == 20
            && b[4] == b'-'
            && b[7] == b'-'
            && b[10] == b'T'
            && b[13] == b':'
            && b[16] == b':'
            && b[19] == b'Z'
            && [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
                .iter()
                .all(|&i| b[i].is_ascii_digit())
    })
}
