//! `import` and `export` through the binary, on either backend: pyotp plays the other
//! system (it makes the secrets and the otpauth URIs), oathtool and pyotp play the phones.
//! Imported accounts must be enabled and accept the phone's current code; a bad line
//! refuses the whole file; no imported or exported secret reaches the database in the
//! clear, the event log or stderr; an export imports into a fresh database with another
//! key and every phone still works there.

mod common;

use std::process::Command as Process;

use common::{
    Exported, Imported, TestEnv, assert_accepted, assert_failure, assert_rejected, count_action,
    emails, have,
};
use serde_json::Value;

// ---------------------------------------------------------------------------------------
// The other system and the phones

fn require(program: &str, package: &str) {
    assert!(
        have(program),
        "`{program}` is not on PATH: these tests need it (Debian/Ubuntu: apt-get install {package})"
    );
}

/// Runs a Python snippet with pyotp (sys.argv[1:] are `args`); returns its stdout.
fn pyotp(script: &str, args: &[&str]) -> String {
    require("python3", "python3");
    let out = Process::new("python3")
        .arg("-c")
        .arg(format!("import sys, json, pyotp\n{script}"))
        .args(args)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "python3/pyotp failed (pip install pyotp):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// A base32 secret of `bits` bits (a multiple of 40) from pyotp, as another system would
/// issue it. pyotp makes nothing under 160 bits; an older system's 80-bit secret is the
/// first 16 characters of one.
fn pyotp_secret(bits: usize) -> String {
    pyotp(
        "print(pyotp.random_base32(length=32)[:int(sys.argv[1])])",
        &[&(bits / 5).to_string()],
    )
    .trim()
    .to_string()
}

/// pyotp's provisioning URI for `email` at `issuer` (its builder, which `TOTP.provisioning_uri`
/// calls, since pyotp's TOTP itself refuses secrets under 112 bits).
fn pyotp_uri(secret: &str, email: &str, issuer: &str) -> String {
    pyotp(
        "print(pyotp.utils.build_uri(sys.argv[1], sys.argv[2], issuer=sys.argv[3]))",
        &[secret, email, issuer],
    )
    .trim()
    .to_string()
}

/// The code pyotp shows for `uri` (parsed by pyotp) at `t`.
fn pyotp_code_from_uri(uri: &str, t: i64) -> String {
    pyotp(
        "print(pyotp.parse_uri(sys.argv[1]).at(int(sys.argv[2])))",
        &[uri, &t.to_string()],
    )
    .trim()
    .to_string()
}

/// The code a phone with `secret` (base32) shows at `t`, from oathtool.
fn oathtool_code(secret: &str, t: i64) -> String {
    require("oathtool", "oathtool");
    let now = twofa::clock::rfc3339(t)
        .replace('T', " ")
        .replace('Z', " UTC");
    let out = Process::new("oathtool")
        .args(["--totp", "-b", secret, "--now", &now])
        .output()
        .expect("run oathtool");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn raw(secret_b32: &str) -> Vec<u8> {
    data_encoding::BASE32_NOPAD
        .decode(secret_b32.trim_end_matches('=').as_bytes())
        .expect("base32")
}

// ---------------------------------------------------------------------------------------
// Helpers

/// Writes `text` into the environment's directory and returns its path.
fn file(env: &TestEnv, name: &str, text: &str) -> String {
    let path = env.path(name);
    std::fs::write(&path, text).expect("write the input");
    path.to_str().unwrap().to_string()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts that none of `secrets` (base32, either case, or raw) is in `bytes`.
fn assert_no_secret(what: &str, bytes: &[u8], secrets: &[&str]) {
    let text = String::from_utf8_lossy(bytes);
    for s in secrets {
        assert!(!text.contains(s), "{what} holds the secret {s}");
        assert!(
            !text.contains(&s.to_lowercase()),
            "{what} holds the secret {s} (lower case)"
        );
        let r = raw(s);
        assert!(
            !bytes.windows(r.len()).any(|w| w == r.as_slice()),
            "{what} holds the raw secret of {s}"
        );
    }
}

fn actions(env: &TestEnv, action: &str) -> Vec<common::Event> {
    env.events()
        .into_iter()
        .filter(|e| e.action == action)
        .collect()
}

/// The exported CSV as rows; checks the header.
fn export_rows(csv_text: &str) -> Vec<Exported> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["email", "uri", "device", "org", "name"]
    );
    reader
        .deserialize()
        .map(|r| r.expect("an email,uri row"))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Import

#[test]
fn pyotp_uris_import_enabled_and_the_phones_codes_verify() {
    let mut env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    let long = pyotp_secret(160);
    let short = pyotp_secret(80);
    assert_eq!((long.len(), short.len()), (32, 16));
    let input = format!(
        "# exported from the old system\n{}\n\n{}\n",
        pyotp_uri(&long, "alice@example.com", "OldCorp"),
        pyotp_uri(&short, "Bob@Example.com", "Old Corp"),
    );
    let path = file(&env, "old.txt", &input);
    let (code, summary, err) = env
        .twofa(&["import", &path, "--create", "--org", "acme"])
        .json_full::<Imported>();
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        (
            summary.imported,
            summary.created,
            summary.replaced,
            summary.weak_secrets
        ),
        (2, 2, 0, 1),
        "{summary:?}"
    );
    // The 80-bit secret is accepted with a warning naming its line and account.
    assert!(
        err.contains("line 4: bob@example.com has a secret of only 80 bits"),
        "{err}"
    );
    assert!(err.contains("recovery regenerate"), "{err}");
    assert_no_secret("stderr", err.as_bytes(), &[&long, &short]);

    for (email, secret) in [("alice@example.com", &long), ("bob@example.com", &short)] {
        let status = env.status(email);
        assert_eq!(status.state, "enabled", "{status:?}");
        assert_eq!(status.org.as_deref(), Some("acme"), "{status:?}");
        assert_eq!(status.recovery_codes_left, 0, "{status:?}");
        assert_eq!(status.enrolled_at, Some(twofa::clock::rfc3339(env.now)));
        // The phones agree (pyotp's TOTP makes nothing from under 112 bits), and twofa
        // accepts their code once.
        let code = oathtool_code(secret, env.now);
        if secret.len() >= 32 {
            assert_eq!(
                code,
                pyotp(
                    "print(pyotp.TOTP(sys.argv[1]).at(int(sys.argv[2])))",
                    &[secret, &env.now.to_string()]
                )
                .trim()
            );
        }
        assert_accepted(&env.verify(email, &code), "totp");
        assert_rejected(&env.verify(email, &code), "reused");
    }
    // One import event per account, plus the user.add of --create; never a secret.
    let events = env.events();
    assert_eq!(count_action(&events, "import"), 2, "{events:?}");
    assert_eq!(count_action(&events, "user.add"), 2, "{events:?}");
    let log = serde_json::to_vec(&events).unwrap();
    assert_no_secret("the event log", &log, &[&long, &short]);
    assert_no_secret("the database", &env.db_contents(), &[&long, &short]);
    env.now += 30;
    // Recovery codes are issued the usual way afterwards.
    assert_eq!(env.regenerate("alice@example.com").len(), 10);
    assert_eq!(env.status("alice@example.com").recovery_codes_left, 10);
}

#[test]
fn csv_email_secret_in_any_case_with_spaces_and_padding() {
    let env = TestEnv::new();
    env.ok(&["user", "add", "carol@example.com"]);
    env.ok(&["user", "add", "dave@example.com"]);
    let carol = pyotp_secret(160);
    let dave = pyotp_secret(80);
    // Lower case in groups of four, and padded: as people and other systems write them.
    let spaced: String = carol
        .to_lowercase()
        .as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(" ");
    let input = format!(
        "email,secret\r\ncarol@example.com,{spaced}\r\n# a comment\r\n\"DAVE@example.com\",{dave}====\r\n"
    );
    let (code, summary, err) = env
        .twofa(&["import", "-"])
        .stdin(&input)
        .json_full::<Imported>();
    assert_eq!(code, 0, "{err}");
    assert_eq!((summary.imported, summary.created), (2, 0), "{summary:?}");
    assert_eq!(summary.source, "stdin");
    assert_no_secret("stderr", err.as_bytes(), &[&carol, &dave]);
    for (email, secret) in [("carol@example.com", &carol), ("dave@example.com", &dave)] {
        assert_eq!(env.status(email).state, "enabled");
        assert_accepted(&env.verify(email, &oathtool_code(secret, env.now)), "totp");
    }
}

#[test]
fn a_sha256_uri_on_line_2_refuses_the_whole_file() {
    let env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    let good = pyotp_secret(160);
    let other = pyotp_secret(160);
    let sha256 = pyotp(
        "print(pyotp.TOTP(sys.argv[1], digest=__import__('hashlib').sha256).provisioning_uri(name='b@example.com', issuer_name='Old'))",
        &[&other],
    );
    assert!(sha256.contains("algorithm=SHA256"), "{sha256}");
    let eight = pyotp(
        "print(pyotp.TOTP(sys.argv[1], digits=8).provisioning_uri(name='d@example.com', issuer_name='Old'))",
        &[&other],
    );
    let input = format!(
        "{}\n{}\n{}\n{}\notpauth://hotp/Old:e@example.com?secret={good}&counter=3\n",
        pyotp_uri(&good, "a@example.com", "Old"),
        sha256.trim(),
        pyotp_uri(&good, "c@example.com", "Old"),
        eight.trim(),
    );
    let path = file(&env, "mixed.txt", &input);
    let out = env
        .twofa(&["import", &path, "--create", "--org", "acme"])
        .output();
    let err = assert_failure(&out, 2, "nothing imported: 3 bad line(s)");
    assert!(
        err.contains("line 2: not supported: algorithm SHA256"),
        "{err}"
    );
    assert!(err.contains("line 4: not supported: 8 digits"), "{err}");
    assert!(err.contains("line 5: not supported: HOTP"), "{err}");
    assert!(
        !err.contains("line 1:") && !err.contains("line 3:"),
        "{err}"
    );
    assert_no_secret("stderr", &out.stderr, &[&good, &other]);
    assert!(out.stdout.is_empty());
    // Nothing imported, nobody created.
    for email in ["a@example.com", "c@example.com"] {
        env.twofa(&["status", email]).fails(3);
    }
    let events = env.events();
    assert_eq!(count_action(&events, "import"), 0, "{events:?}");
    assert_eq!(count_action(&events, "user.add"), 0, "{events:?}");
}

#[test]
fn accounts_must_exist_without_create_and_enabled_2fa_needs_yes() {
    let mut env = TestEnv::new();
    let (old, _codes) = env.enable("erin@example.com");
    let new = pyotp_secret(160);
    let input = format!(
        "email,uri\nerin@example.com,{}\nfrank@example.com,{}\n",
        pyotp_uri(&new, "erin", "Old"),
        pyotp_uri(&new, "frank", "Old"),
    );
    let path = file(&env, "in.csv", &input);
    // The first bad line decides the exit code: erin is refused (4), frank is missing (3).
    let err = env
        .twofa(&["import", &path])
        .fails_saying(4, "line 2: erin@example.com already has 2FA enabled");
    assert!(
        err.contains("line 3: no account frank@example.com"),
        "{err}"
    );
    let input = format!(
        "email,uri\nerin@example.com,{}\n",
        pyotp_uri(&new, "erin", "Old")
    );
    let path = file(&env, "erin.csv", &input);
    env.twofa(&["import", &path]).fails_saying(4, "pass --yes");
    // The old phone still works: nothing changed.
    let old_b32 = data_encoding::BASE32_NOPAD.encode(&old);
    assert_accepted(
        &env.verify("erin@example.com", &oathtool_code(&old_b32, env.now)),
        "totp",
    );
    env.now += 30;
    // With --yes the imported secret replaces it, and the recovery codes go with it.
    let summary: Imported = env.twofa(&["import", &path, "--yes"]).ok_json();
    assert_eq!((summary.imported, summary.replaced), (1, 1), "{summary:?}");
    assert_eq!(env.status("erin@example.com").recovery_codes_left, 0);
    assert_rejected(
        &env.verify("erin@example.com", &oathtool_code(&old_b32, env.now)),
        "wrong_code",
    );
    assert_accepted(
        &env.verify("erin@example.com", &oathtool_code(&new, env.now)),
        "totp",
    );
    let imports = actions(&env, "import");
    assert_eq!(imports.len(), 1);
    assert!(
        imports[0]
            .detail
            .as_deref()
            .unwrap_or("")
            .contains("replaces the enabled secret"),
        "{imports:?}"
    );
}

#[test]
fn duplicates_short_and_malformed_secrets_name_their_lines() {
    let env = TestEnv::new();
    env.ok(&["init"]);
    let s = pyotp_secret(160);
    let input = format!(
        "email,secret\ng@example.com,{s}\nG@example.com,{s}\nh@example.com,{}\ni@example.com,{}1\nnot-an-email,{s}\n",
        &s[..15],
        &s[..15],
    );
    let out = env
        .twofa(&["import", "-", "--create"])
        .stdin(&input)
        .output();
    let err = assert_failure(&out, 2, "4 bad line(s)");
    assert!(
        err.contains("line 3: g@example.com is also on line 2"),
        "{err}"
    );
    assert!(err.contains("line 4: the secret has 72 bits"), "{err}");
    assert!(err.contains("line 5: the secret is not base32"), "{err}");
    assert!(
        err.contains("line 6: the email field is not an email address: it has no '@'"),
        "{err}"
    );
    assert_no_secret("stderr", &out.stderr, &[&s]);
    let err = env
        .twofa(&["import", "-"])
        .stdin(format!("g@example.com,{s}\n"))
        .fails_saying(2, "line 1");
    assert!(!err.contains(&s), "{err}");
    assert!(env.events().iter().all(|e| e.action != "import"));
}

/// Asserts that no 8 characters in a row of `secret` (base32, in either case) are in the
/// run's stdout or stderr.
#[track_caller]
fn assert_no_piece(out: &std::process::Output, secret: &str) {
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
    .to_uppercase();
    let secret = secret.to_uppercase();
    for piece in secret.as_bytes().windows(8) {
        let piece = std::str::from_utf8(piece).unwrap();
        assert!(
            !shown.contains(piece),
            "{piece} of a secret shown in:\n{shown}"
        );
    }
}

#[test]
fn import_errors_name_the_line_and_the_rule_never_a_secret() {
    let env = TestEnv::new();
    env.ok(&["init"]);
    let s = pyotp_secret(160);
    let other = pyotp_secret(160);
    let uri = pyotp_uri(&s, "alice@example.com", "Acme");
    for (input, needle) in [
        // The columns swapped under an email,secret header.
        (
            format!("email,secret\n{s},alice@example.com\n"),
            "line 2: the email field is not an email address: it has no '@'",
        ),
        // A URI in the email column.
        (
            format!("email,secret\n{uri},{other}\n"),
            "line 2: the email field is not an email address",
        ),
        // Swapped under an email,uri header.
        (
            format!("email,uri\n{uri},alice@example.com\n"),
            "line 2: the email field is not an email address",
        ),
        // An otpauth URI whose label is a secret.
        (
            format!("otpauth://totp/Acme:{other}?secret={s}\n"),
            "line 1: the URI's label is not an email address: it has no '@'",
        ),
        // Parameters that could hold a secret.
        (
            format!("{uri}&algorithm={other}\n"),
            "line 1: not supported: algorithm an unknown value (32 characters)",
        ),
        (
            format!("otpauth://{other}/alice@example.com?secret={s}\n"),
            "line 1: unknown OTP type",
        ),
    ] {
        let out = env
            .twofa(&["import", "-", "--create"])
            .stdin(&input)
            .output();
        assert_failure(&out, 2, needle);
        assert_no_piece(&out, &s);
        assert_no_piece(&out, &other);
    }
    assert!(env.events().iter().all(|e| e.action != "import"));
}

#[test]
fn a_secret_of_one_byte_repeated_is_refused_naming_its_line() {
    let env = TestEnv::new();
    env.ok(&["init"]);
    let good = pyotp_secret(160);
    let zeros = "A".repeat(32);
    let ones = "7".repeat(32);
    let input = format!(
        "email,secret\na@example.com,{good}\nb@example.com,{zeros}\n# x\nc@example.com,{ones}\n"
    );
    let out = env
        .twofa(&["import", "-", "--create"])
        .stdin(&input)
        .output();
    let err = assert_failure(&out, 2, "2 bad line(s)");
    for line in [3, 5] {
        assert!(
            err.contains(&format!("line {line}: the secret is one byte repeated")),
            "{err}"
        );
    }
    assert_no_piece(&out, &good);
    assert_no_piece(&out, &zeros);
    // Nothing was imported, not even the good line.
    env.twofa(&["status", "a@example.com"]).fails(3);
    let uri = format!("otpauth://totp/Acme:d@example.com?secret={ones}\n");
    env.twofa(&["import", "-", "--create"])
        .stdin(uri)
        .fails_saying(2, "line 1: the secret is one byte repeated");
}

// ---------------------------------------------------------------------------------------
// Export

#[test]
fn export_refuses_a_terminal_and_needs_yes() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("ivy@example.com");
    let b32 = data_encoding::BASE32_NOPAD.encode(&secret);
    // stdout on a pseudo-terminal (python's pty), even with --yes.
    require("python3", "python3");
    let out = env
        .bash(
            r#"python3 -c 'import os, pty, sys; sys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))' "$TWOFA" export --yes"#,
        )
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    // (Wrapped at the terminal's width, between words.)
    let words = shown.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("will not write them to a terminal"),
        "{shown}"
    );
    assert!(!shown.contains(&b32), "{shown}");
    // To a pipe without --yes.
    let out = env.twofa(&["export"]).output();
    assert_failure(&out, 2, "pass --yes");
    assert!(out.stdout.is_empty());
    assert!(actions(&env, "export").is_empty());
}

#[test]
fn exported_uris_give_the_originals_codes_in_pyotp_one_event_each() {
    let mut env = TestEnv::new();
    env.ok(&["org", "add", "acme"]);
    env.ok(&["org", "add", "other"]);
    let mut originals = Vec::new();
    for (email, org) in [
        ("jo@example.com", "acme"),
        ("kim@example.com", "acme"),
        ("lee@example.com", "other"),
    ] {
        let (secret, _) = env.enable_with(email, &["--org", org]);
        originals.push((email, data_encoding::BASE32_NOPAD.encode(&secret)));
    }
    env.enroll("pending@example.com"); // pending: not exported
    env.ok(&["user", "add", "none@example.com"]);

    let out = env
        .twofa(&["export", "--yes", "--issuer", "Acme Corp"])
        .output();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let secrets: Vec<&str> = originals.iter().map(|(_, s)| s.as_str()).collect();
    assert_no_secret("stderr", &out.stderr, &secrets);
    assert!(stderr(&out).contains("destroy it"), "{}", stderr(&out));
    let rows = export_rows(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(
        emails(&rows),
        ["jo@example.com", "kim@example.com", "lee@example.com"]
    );
    for (row, (email, orig)) in rows.iter().zip(&originals) {
        assert_eq!(row.email, *email);
        let parsed: Value = serde_json::from_str(&pyotp(
            "o = pyotp.parse_uri(sys.argv[1]); print(json.dumps({'issuer': o.issuer, 'name': o.name, 'secret': o.secret}))",
            &[&row.uri],
        ))
        .unwrap();
        assert_eq!(parsed["issuer"], "Acme Corp");
        assert_eq!(parsed["name"], *email);
        assert_eq!(parsed["secret"], orig.as_str());
        for t in [env.now, env.now + 30, env.now + 3600] {
            assert_eq!(
                pyotp_code_from_uri(&row.uri, t),
                oathtool_code(orig, t),
                "{email} at {t}"
            );
        }
    }
    let exports = actions(&env, "export");
    let mut exported: Vec<&str> = exports.iter().filter_map(|e| e.email.as_deref()).collect();
    exported.sort();
    assert_eq!(
        exported,
        ["jo@example.com", "kim@example.com", "lee@example.com"]
    );
    let lee = exports
        .iter()
        .find(|e| e.email.as_deref() == Some("lee@example.com"))
        .unwrap();
    assert_eq!(lee.org.as_deref(), Some("other"));
    let log = serde_json::to_vec(&env.events()).unwrap();
    assert_no_secret("the event log", &log, &secrets);

    // --org and --user select; JSON has the same rows.
    let acme: Vec<Exported> = env.twofa(&["export", "--org", "acme", "--yes"]).ok_json();
    assert_eq!(emails(&acme), ["jo@example.com", "kim@example.com"]);
    assert_eq!(
        acme,
        rows[..2]
            .iter()
            .map(|r| Exported {
                uri: r.uri.replace("Acme%20Corp", "twofa"),
                ..r.clone()
            })
            .collect::<Vec<_>>()
    );
    let lee: Vec<Exported> = env
        .twofa(&["export", "--user", "LEE@example.com", "--yes"])
        .ok_json();
    assert_eq!(emails(&lee), ["lee@example.com"]);
    assert_eq!(actions(&env, "export").len(), 3 + 2 + 1);
    env.twofa(&["export", "--user", "none@example.com", "--yes"])
        .fails_saying(4, "no 2FA enabled");
    env.twofa(&["export", "--user", "nobody@example.com", "--yes"])
        .fails_saying(3, "nobody@example.com");
    env.twofa(&["export", "--org", "nope", "--yes"])
        .fails_saying(3, "nope");
    assert_eq!(actions(&env, "export").len(), 6, "a refused export logged");
}

#[test]
fn export_then_import_into_a_fresh_database_with_another_key() {
    let mut from = TestEnv::new();
    from.ok(&["org", "add", "acme"]);
    let mut phones = Vec::new();
    for email in ["m@example.com", "n@example.com"] {
        let (secret, _) = from.enable_with(email, &["--org", "acme"]);
        phones.push((email, data_encoding::BASE32_NOPAD.encode(&secret)));
    }
    // A secret that came from elsewhere goes round too.
    let imported = pyotp_secret(160);
    from.twofa(&["import", "-", "--create"])
        .stdin(format!("email,secret\no@example.com,{imported}\n"))
        .ok();
    phones.push(("o@example.com", imported));

    let exported = from.twofa(&["export", "--yes"]).ok();

    let mut to = TestEnv::new();
    to.now = from.now + 300;
    let path = file(&to, "backup.csv", &exported);
    let summary: Imported = to.twofa(&["import", &path, "--create"]).ok_json();
    assert_eq!((summary.imported, summary.created), (3, 3), "{summary:?}");
    assert_ne!(
        std::fs::read(from.key_file()).unwrap(),
        std::fs::read(to.key_file()).unwrap(),
        "the two databases share a key"
    );
    let secrets: Vec<&str> = phones.iter().map(|(_, s)| s.as_str()).collect();
    assert_no_secret("the new database", &to.db_contents(), &secrets);
    for (email, secret) in &phones {
        assert_eq!(to.status(email).state, "enabled");
        assert_accepted(&to.verify(email, &oathtool_code(secret, to.now)), "totp");
    }
    to.now += 30;
    // And the new database exports the same secrets again.
    let again = export_rows(&to.twofa(&["export", "--yes"]).ok());
    assert_eq!(again, export_rows(&exported));
}

#[test]
fn export_to_a_new_private_file_and_never_over_one() {
    use std::os::unix::fs::PermissionsExt;
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("ivy@example.com");
    let b32 = data_encoding::BASE32_NOPAD.encode(&secret);
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    // Under umask 022, -o FILE is still 0600, and stdout stays empty.
    let out = env
        .bash("umask 022; \"$TWOFA\" export --yes -o secrets.csv")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
    let path = env.path("secrets.csv");
    assert_eq!(mode(&path), 0o600);
    let rows = export_rows(&std::fs::read_to_string(&path).unwrap());
    assert_eq!(emails(&rows), ["ivy@example.com"]);
    assert!(rows[0].uri.contains(&b32));
    assert_eq!(actions(&env, "export").len(), 1);

    // A file that exists is never written over, and nothing is exported or logged.
    std::fs::write(&path, "mine\n").unwrap();
    let out = env
        .twofa(&["export", "--yes", "-o", path.to_str().unwrap()])
        .output();
    assert_failure(&out, 2, "secrets.csv' exists");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine\n");
    assert_eq!(actions(&env, "export").len(), 1);
    // Nor a symbolic link (to a file that does not exist yet).
    let link = env.path("link.csv");
    std::os::unix::fs::symlink(env.path("elsewhere.csv"), &link).unwrap();
    env.twofa(&["export", "--yes", "-o", link.to_str().unwrap()])
        .fails_saying(2, "exists");
    assert!(!env.path("elsewhere.csv").exists());
    // A directory that does not exist: exit 2, nothing logged.
    env.twofa(&["export", "--yes", "-o", "nowhere/secrets.csv"])
        .fails_saying(2, "cannot create 'nowhere/secrets.csv'");
    assert_eq!(actions(&env, "export").len(), 1);

    // A failed export (a secret the key cannot open) leaves no file, not even a partial
    // or temporary one.
    env.execute(&format!(
        "UPDATE {} SET secret = {}",
        env.table("credentials"),
        if env.is_postgres() {
            "'\\x00'::bytea"
        } else {
            "X'00'"
        }
    ));
    env.twofa(&["export", "--yes", "-o", "broken.csv"]).fails(6);
    let left: Vec<String> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("broken") || n.starts_with(".twofa-export"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn export_to_stdout_warns_when_others_can_read_the_file() {
    let mut env = TestEnv::new();
    env.enable("ivy@example.com");
    let warning = "stdout is a file that group or others can read (mode 0644)";
    let out = env
        .bash("umask 022; \"$TWOFA\" export --yes > open.csv")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(stderr(&out).contains(warning), "{}", stderr(&out));
    assert!(stderr(&out).contains("-o FILE"), "{}", stderr(&out));
    // A private file, or a pipe: no warning.
    for script in [
        "umask 077; \"$TWOFA\" export --yes > private.csv",
        "\"$TWOFA\" export --yes | cat > /dev/null",
    ] {
        let out = env.bash(script).output().unwrap();
        assert!(out.status.success(), "{out:?}");
        assert!(
            !stderr(&out).contains("warning"),
            "{script}: {}",
            stderr(&out)
        );
    }
}
