//! Every read from a file or stdin is bounded: a line (a CSV record) at most 64 KiB, a file
//! at most 10 million lines, a `--from` list at most a million; past a bound the command
//! exits 2 naming the line and the cap, having read a bounded amount, under an address-space
//! limit that an unbounded read would hit. Backend-neutral: runs on PostgreSQL with
//! TWOFA_TEST_BACKEND=postgres.

mod common;

use common::*;

/// 1 GiB of address space: far more than twofa needs, far less than an endless input.
const LIMITED: &str = "prlimit --as=1073741824 \"$TWOFA\"";

/// Runs `twofa ARGS` (a shell fragment, redirections allowed) under [`LIMITED`].
fn limited(env: &TestEnv, args: &str) -> std::process::Output {
    assert!(
        have("prlimit"),
        "these tests need prlimit (apt-get install util-linux)"
    );
    env.bash(&format!("{LIMITED} {args}"))
        .output()
        .expect("run bash")
}

#[test]
fn endless_files_and_stdin_exit_2_in_bounded_memory() {
    let env = TestEnv::new();
    env.ok(&["init"]);
    env.ok(&["user", "add", "alice@example.com"]);
    for (args, needle) in [
        (
            "import /dev/zero",
            "cannot read '/dev/zero': line 1 is longer than 64 KiB",
        ),
        (
            "import - --create < /dev/zero",
            "cannot read stdin: line 1 is longer than 64 KiB",
        ),
        ("user import /dev/zero", "line 1 is longer than 64 KiB"),
        ("user import - < /dev/zero", "line 1 is longer than 64 KiB"),
        (
            "unlock --from /dev/zero",
            "cannot read '/dev/zero': line 1 is longer than 64 KiB",
        ),
        (
            "reset --from - --reason 'lost phone' --yes < /dev/zero",
            "cannot read stdin: line 1 is longer than 64 KiB",
        ),
        ("disable --from /dev/zero --yes", "line 1 is longer"),
        ("user remove --from - --yes < /dev/zero", "line 1 is longer"),
    ] {
        let out = limited(&env, args);
        assert_failure(&out, 2, needle);
        assert!(out.stdout.is_empty(), "{args}: {out:?}");
    }
    // Nothing changed.
    let users: Vec<User> = env.twofa(&["user", "list"]).ok_json();
    assert_eq!(emails(&users), ["alice@example.com"]);
}

#[test]
fn an_endless_stdin_where_a_code_goes_exits_2_in_bounded_memory() {
    let mut env = TestEnv::new();
    env.enable("alice@example.com");
    env.enroll("bob@example.com");
    for command in [
        "verify alice@example.com -",
        "confirm bob@example.com -",
        "diagnose alice@example.com -",
        "resync alice@example.com -",
    ] {
        for (input, needle) in [
            // NUL ends a code (pam_exec): the first one is empty.
            ("/dev/zero", "code"),
            // One endless line of digits.
            ("<(tr '\\0' 7 < /dev/zero)", "more than 1024 bytes on stdin"),
        ] {
            let out = limited(&env, &format!("{command} < {input}"));
            assert_failure(&out, 2, needle);
            assert!(out.stdout.is_empty(), "{command} < {input}: {out:?}");
            assert!(
                !String::from_utf8_lossy(&out.stderr).contains("777"),
                "{out:?}"
            );
        }
    }
    // Nothing was counted, evaluated or confirmed.
    assert_eq!(env.status("alice@example.com").failed_attempts, 0);
    assert_eq!(env.status("bob@example.com").state, "pending");
    assert!(
        env.events()
            .iter()
            .all(|e| !e.action.starts_with("diagnose"))
    );
}

#[test]
fn a_line_may_hold_64_kib_and_no_more() {
    let env = TestEnv::new();
    env.ok(&["user", "add", "alice@example.com"]);
    let longest = format!("alice@example.com{}", " ".repeat(65536 - 17));
    let list = env.path("list.txt");
    std::fs::write(&list, format!("# leavers\n{longest}\n")).unwrap();
    let list = list.to_str().unwrap();
    env.ok(&["unlock", "--from", list]);
    std::fs::write(list, format!("# leavers\n{longest} \nbob@example.com\n")).unwrap();
    let err = env
        .twofa(&["unlock", "--from", list])
        .fails_saying(2, "line 2 is longer than 64 KiB (65536 bytes)");
    assert!(err.len() < 300, "the line is not echoed: {}", err.len());
}

#[test]
fn a_csv_record_is_capped_across_quoted_line_breaks() {
    let env = TestEnv::new();
    // One quoted field of 40,000 lines: every line is short, the record is not.
    let record = format!(
        "email,org,name\nalice@example.com,,\"{}\"\n",
        "x\n".repeat(40_000)
    );
    let out = env
        .bash(&format!("{LIMITED} user import -"))
        .write_stdin(record)
        .output()
        .unwrap();
    assert_failure(&out, 2, "is longer than 64 KiB");
    env.twofa(&["status", "alice@example.com"]).fails(3);
}

#[test]
fn a_million_blank_lines_and_one_more_stop_at_the_line_count() {
    let env = TestEnv::new();
    env.ok(&["user", "add", "alice@example.com"]);
    let out = env
        .bash("yes '' | head -n 1000001 | \"$TWOFA\" unlock --from -")
        .output()
        .unwrap();
    assert_failure(
        &out,
        2,
        "cannot read stdin: more than 1000000 lines, the most twofa reads from one input; split it",
    );
}

#[test]
fn a_batch_request_past_its_cap_is_answered_and_the_batch_goes_on() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("alice@example.com");
    let code = env.code(&secret);
    // 100 MB of NUL bytes on one line, then a request.
    let out = limited(
        &env,
        &format!(
            "verify --batch < <(head -c 100000000 /dev/zero; printf '\\nalice@example.com {code}\\n')"
        ),
    );
    assert!(out.status.success(), "{out:?}");
    let answers: Vec<BatchAnswer> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    match &answers[..] {
        [
            BatchAnswer::Error {
                error, exit_code, ..
            },
            BatchAnswer::Verify(v),
        ] => {
            assert!(error.contains("longer than 1024 bytes"), "{error}");
            assert_eq!(*exit_code, 2);
            assert!(v.accepted, "{v:?}");
        }
        other => panic!("{other:?}"),
    }
}
