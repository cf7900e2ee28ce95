//! `import` and `export` through the binary, on either backend: pyotp plays the other
//! system (it makes the secrets and the otpauth URIs), oathtool and pyotp play the phones.
//! Imported accounts must be enabled and accept the phone's current code; a bad line
//! refuses the whole file; no imported or exported secret reaches the database in the
//! clear, the event log or stderr; an export imports into a fresh database with another
//! key and every phone still works there.

mod common;

use std::process::Command as Process;

use common::{TestEnv, assert_failure, have};
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

fn actions(env: &TestEnv, action: &str) -> Vec<Value> {
    env.events()
        .into_iter()
        .filter(|e| e["action"] == action)
        .collect()
}

/// The exported CSV as (email, uri) rows; checks the header.
fn export_rows(csv_text: &str) -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["email", "uri"]
    );
    reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV row");
            (r[0].to_string(), r[1].to_string())
        })
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
    let out = env.run(
        &[
            "import", &path, "--create", "--org", "acme", "--format", "json",
        ],
        "",
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["imported"], 2, "{summary}");
    assert_eq!(summary["created"], 2, "{summary}");
    assert_eq!(summary["weak_secrets"], 1, "{summary}");
    // The 80-bit secret is accepted with a warning naming its line and account.
    assert!(
        err.contains("line 4: bob@example.com has a secret of only 80 bits"),
        "{err}"
    );
    assert_no_secret("stderr", &out.stderr, &[&long, &short]);

    for (email, secret) in [("alice@example.com", &long), ("bob@example.com", &short)] {
        let status = env.status(email);
        assert_eq!(status["state"], "enabled", "{status}");
        assert_eq!(status["org"], "acme", "{status}");
        assert_eq!(status["recovery_codes_left"], 0, "{status}");
        assert_eq!(status["enrolled_at"], twofa::clock::rfc3339(env.now));
        // Both phones agree, and twofa accepts their code once.
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
        let (rc, v) = env.verify(email, &code);
        assert_eq!((rc, &v["accepted"]), (0, &Value::Bool(true)), "{v}");
        let (rc, v) = env.verify(email, &code);
        assert_eq!((rc, &v["reason"]), (1, &Value::from("reused")), "{v}");
    }
    // One import event per account, plus the user.add of --create; never a secret.
    let imports = actions(&env, "import");
    assert_eq!(imports.len(), 2, "{imports:?}");
    assert_eq!(actions(&env, "user.add").len(), 2);
    let log = serde_json::to_vec(&env.events()).unwrap();
    assert_no_secret("the event log", &log, &[&long, &short]);
    assert_no_secret("the database", &env.db_contents(), &[&long, &short]);
    env.now += 30;
    // Recovery codes are issued the usual way afterwards.
    let (rc, v) = env.json(&["recovery", "regenerate", "alice@example.com"]);
    assert_eq!(rc, 0, "{v}");
    assert_eq!(env.status("alice@example.com")["recovery_codes_left"], 10);
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
    let out = env.run(&["import", "-", "--format", "json"], &input);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_no_secret("stderr", &out.stderr, &[&carol, &dave]);
    for (email, secret) in [("carol@example.com", &carol), ("dave@example.com", &dave)] {
        assert_eq!(env.status(email)["state"], "enabled");
        let (rc, v) = env.verify(email, &oathtool_code(secret, env.now));
        assert_eq!(rc, 0, "{email}: {v}");
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
    let out = env.run(&["import", &path, "--create", "--org", "acme"], "");
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
        let (rc, _) = env.json(&["status", email]);
        assert_eq!(rc, 3, "{email} was created");
    }
    assert!(actions(&env, "import").is_empty());
    assert!(actions(&env, "user.add").is_empty());
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
    let out = env.run(&["import", &path], "");
    let err = assert_failure(&out, 4, "line 2: erin@example.com already has 2FA enabled");
    assert!(
        err.contains("line 3: no account frank@example.com"),
        "{err}"
    );
    let input = format!(
        "email,uri\nerin@example.com,{}\n",
        pyotp_uri(&new, "erin", "Old")
    );
    let path = file(&env, "erin.csv", &input);
    let out = env.run(&["import", &path], "");
    assert_failure(&out, 4, "pass --yes");
    // The old phone still works: nothing changed.
    let old_b32 = data_encoding::BASE32_NOPAD.encode(&old);
    let (rc, v) = env.verify("erin@example.com", &oathtool_code(&old_b32, env.now));
    assert_eq!(rc, 0, "{v}");
    env.now += 30;
    // With --yes the imported secret replaces it, and the recovery codes go with it.
    let out = env.run(&["import", &path, "--yes"], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let status = env.status("erin@example.com");
    assert_eq!(status["recovery_codes_left"], 0, "{status}");
    let (rc, _) = env.verify("erin@example.com", &oathtool_code(&old_b32, env.now));
    assert_eq!(rc, 1, "the old secret still works");
    let (rc, v) = env.verify("erin@example.com", &oathtool_code(&new, env.now));
    assert_eq!(rc, 0, "{v}");
    let imports = actions(&env, "import");
    assert_eq!(imports.len(), 1);
    assert!(
        imports[0]["detail"]
            .as_str()
            .unwrap()
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
    let out = env.run(&["import", "-", "--create"], &input);
    let err = assert_failure(&out, 2, "4 bad line(s)");
    assert!(
        err.contains("line 3: g@example.com is also on line 2"),
        "{err}"
    );
    assert!(err.contains("line 4: the secret has 72 bits"), "{err}");
    assert!(err.contains("line 5: the secret is not base32"), "{err}");
    assert!(
        err.contains("line 6: 'not-an-email' is not an email"),
        "{err}"
    );
    assert_no_secret("stderr", &out.stderr, &[&s]);
    let out = env.run(&["import", "-"], &format!("g@example.com,{s}\n"));
    let err = assert_failure(&out, 2, "line 1");
    assert!(!err.contains(&s), "{err}");
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
    assert!(
        shown.contains("will not write them to a terminal"),
        "{shown}"
    );
    assert!(!shown.contains(&b32), "{shown}");
    // To a pipe without --yes.
    let out = env.run(&["export"], "");
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

    let out = env.run(&["export", "--yes", "--issuer", "Acme Corp"], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let secrets: Vec<&str> = originals.iter().map(|(_, s)| s.as_str()).collect();
    assert_no_secret("stderr", &out.stderr, &secrets);
    assert!(stderr(&out).contains("destroy it"), "{}", stderr(&out));
    let rows = export_rows(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(
        rows.iter().map(|(e, _)| e.as_str()).collect::<Vec<_>>(),
        ["jo@example.com", "kim@example.com", "lee@example.com"]
    );
    for ((email, uri), (orig_email, orig)) in rows.iter().zip(&originals) {
        assert_eq!(email, orig_email);
        let parsed: Value = serde_json::from_str(&pyotp(
            "o = pyotp.parse_uri(sys.argv[1]); print(json.dumps({'issuer': o.issuer, 'name': o.name, 'secret': o.secret}))",
            &[uri],
        ))
        .unwrap();
        assert_eq!(parsed["issuer"], "Acme Corp");
        assert_eq!(parsed["name"], *email);
        assert_eq!(parsed["secret"], orig.as_str());
        for t in [env.now, env.now + 30, env.now + 3600] {
            assert_eq!(
                pyotp_code_from_uri(uri, t),
                oathtool_code(orig, t),
                "{email} at {t}"
            );
        }
    }
    let exports = actions(&env, "export");
    let mut emails: Vec<&str> = exports
        .iter()
        .map(|e| e["email"].as_str().unwrap())
        .collect();
    emails.sort();
    assert_eq!(
        emails,
        ["jo@example.com", "kim@example.com", "lee@example.com"]
    );
    assert_eq!(
        exports
            .iter()
            .find(|e| e["email"] == "lee@example.com")
            .unwrap()["org"],
        "other"
    );
    let log = serde_json::to_vec(&env.events()).unwrap();
    assert_no_secret("the event log", &log, &secrets);

    // --org and --user select; JSON has the same rows.
    let (rc, v) = env.json(&["export", "--org", "acme", "--yes"]);
    assert_eq!(rc, 0, "{v}");
    let emails: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["jo@example.com", "kim@example.com"]);
    let (rc, v) = env.json(&["export", "--user", "LEE@example.com", "--yes"]);
    assert_eq!(rc, 0, "{v}");
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(actions(&env, "export").len(), 3 + 2 + 1);
    let out = env.run(&["export", "--user", "none@example.com", "--yes"], "");
    assert_failure(&out, 4, "no 2FA enabled");
    let out = env.run(&["export", "--user", "nobody@example.com", "--yes"], "");
    assert_failure(&out, 3, "nobody@example.com");
    let out = env.run(&["export", "--org", "nope", "--yes"], "");
    assert_failure(&out, 3, "nope");
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
    let out = from.run(
        &["import", "-", "--create"],
        &format!("email,secret\no@example.com,{imported}\n"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    phones.push(("o@example.com", imported));

    let out = from.run(&["export", "--yes"], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let exported = String::from_utf8(out.stdout).unwrap();

    let mut to = TestEnv::new();
    to.now = from.now + 300;
    let path = file(&to, "backup.csv", &exported);
    let out = to.run(&["import", &path, "--create"], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_ne!(
        std::fs::read(from.key_file()).unwrap(),
        std::fs::read(to.key_file()).unwrap(),
        "the two databases share a key"
    );
    let secrets: Vec<&str> = phones.iter().map(|(_, s)| s.as_str()).collect();
    assert_no_secret("the new database", &to.db_contents(), &secrets);
    for (email, secret) in &phones {
        assert_eq!(to.status(email)["state"], "enabled");
        let (rc, v) = to.verify(email, &oathtool_code(secret, to.now));
        assert_eq!(rc, 0, "{email}: {v}");
    }
    to.now += 30;
    // And the new database exports the same secrets again.
    let out = to.run(&["export", "--yes"], "");
    let again = export_rows(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(again, export_rows(&exported));
}
