//! Recovery codes through the real binary: issue, redeem once each, regenerate, storage
//! (Argon2id only, never in the clear), concurrent redemption, and lockout.

mod common;

use std::collections::HashSet;

use common::{RecoveryLeft, TestEnv, assert_accepted, assert_rejected};

const ALICE: &str = "alice@example.com";

/// Whether `code` has the shape `xxxx-xxxx-xxxx-xxxx` (four groups of four letters or
/// digits).
fn well_formed(code: &str) -> bool {
    let groups: Vec<&str> = code.split('-').collect();
    groups.len() == 4
        && groups
            .iter()
            .all(|g| g.len() == 4 && g.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The ways a person may type a shown code: as shown, upper case without dashes, with
/// spaces, mixed.
fn variants(code: &str) -> Vec<String> {
    let compact = code.replace('-', "");
    vec![
        code.to_string(),
        code.to_ascii_uppercase(),
        compact.to_ascii_lowercase(),
        compact.to_ascii_uppercase(),
    ]
}

/// A typed form of code number `i`, cycling through case, dashes and spaces.
fn typed(code: &str, i: usize) -> String {
    match i % 5 {
        0 => code.to_string(),
        1 => code.replace('-', "").to_ascii_uppercase(),
        2 => code.replace('-', " "),
        3 => format!("  {}  ", code.to_ascii_uppercase()),
        _ => code.replace('-', ""),
    }
}

/// Recovery-looking codes (16 Crockford characters) that are not among `real`.
fn bogus_codes(real: &[String], n: usize) -> Vec<String> {
    let real: HashSet<String> = real.iter().map(|c| c.replace('-', "")).collect();
    let alphabet = b"0123456789abcdefghjkmnpqrstvwxyz";
    (0..)
        .map(|i: usize| {
            let s: String = (0..16)
                .map(|j| alphabet[(i * 7 + j * 13 + 5) % 32] as char)
                .collect();
            format!("{}-{}-{}-{}", &s[0..4], &s[4..8], &s[8..12], &s[12..16])
        })
        .filter(|c| !real.contains(&c.replace('-', "")))
        .take(n)
        .collect()
}

/// `recovery status EMAIL`: (codes left, stdout, stderr).
#[track_caller]
fn recovery_status(env: &TestEnv, email: &str) -> (u32, String, String) {
    let out = env
        .twofa(&["recovery", "status", email, "--format", "json"])
        .output();
    let (code, left, stderr) = common::parse_json::<RecoveryLeft>(&[], &out);
    assert_eq!(code, 0, "recovery status: {left:?}\n{stderr}");
    assert_eq!(left.email, email);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    (left.recovery_codes_left, stdout, stderr)
}

#[test]
fn confirm_yields_ten_distinct_well_formed_codes() {
    let mut env = TestEnv::new();
    let (_, codes) = env.enable(ALICE);
    assert_eq!(codes.len(), 10, "{codes:?}");
    for c in &codes {
        assert!(well_formed(c), "not xxxx-xxxx-xxxx-xxxx: {c}");
    }
    let distinct: HashSet<String> = codes.iter().map(|c| c.to_ascii_lowercase()).collect();
    assert_eq!(distinct.len(), 10, "codes repeat: {codes:?}");
    let (left, _, _) = recovery_status(&env, ALICE);
    assert_eq!(left, 10);
}

#[test]
fn each_code_works_exactly_once_and_status_counts_down() {
    let mut env = TestEnv::new();
    let (_, codes) = env.enable(ALICE);
    for (i, c) in codes.iter().enumerate() {
        let input = typed(c, i);
        let outcome = env.verify(ALICE, &input);
        assert_accepted(&outcome, "recovery");
        let expected_left = 9 - i as u32;
        assert_eq!(
            outcome.1.recovery_codes_left,
            Some(expected_left),
            "{input:?}"
        );

        let (left, json, stderr) = recovery_status(&env, ALICE);
        assert_eq!(left, expected_left);
        // `recovery status` never shows a code, in JSON or in the table.
        let table = env.ok(&["recovery", "status", ALICE]);
        for shown in codes.iter().flat_map(|c| variants(c)) {
            assert!(
                !json.contains(&shown),
                "recovery status shows a code: {json}"
            );
            assert!(
                !stderr.contains(&shown),
                "recovery status shows a code: {stderr}"
            );
            assert!(
                !table.contains(&shown),
                "recovery status shows a code: {table}"
            );
        }
    }
    // The 11th use of any of them fails, as reused.
    for (i, c) in codes.iter().enumerate() {
        let outcome = env.verify(ALICE, &typed(c, i + 1));
        assert_rejected(&outcome, "reused");
        assert_eq!(
            outcome.1.recovery_codes_left,
            Some(0),
            "second use of code {i}"
        );
    }
    let status = env.status(ALICE);
    assert_eq!(status.recovery_codes_left, 0, "{status:?}");
    assert!(
        !status.locked,
        "reused codes do not count toward the lockout: {status:?}"
    );
}

#[test]
fn upper_case_without_dashes_is_accepted() {
    let mut env = TestEnv::new();
    let (_, codes) = env.enable(ALICE);
    let input = codes[3].replace('-', "").to_ascii_uppercase();
    assert_accepted(&env.verify(ALICE, &input), "recovery");
    // The same code as shown is now spent.
    assert_rejected(&env.verify(ALICE, &codes[3]), "reused");
}

#[test]
fn reused_codes_do_not_count_toward_the_lockout() {
    let mut env = TestEnv::new();
    let (_, codes) = env.enable(ALICE);
    assert_accepted(&env.verify(ALICE, &codes[0]), "recovery");
    for _ in 0..7 {
        assert_rejected(&env.verify(ALICE, &codes[0]), "reused");
    }
    assert!(!env.status(ALICE).locked);
    let outcome = env.verify(ALICE, &codes[1]);
    assert_accepted(&outcome, "recovery");
    assert_eq!(outcome.1.recovery_codes_left, Some(8));
}

#[test]
fn regenerate_voids_the_old_set_and_the_new_one_works() {
    let mut env = TestEnv::new();
    let (_, old) = env.enable(ALICE);
    for c in &old[..3] {
        assert_accepted(&env.verify(ALICE, c), "recovery");
    }
    assert_eq!(env.recovery_left(ALICE), 7);

    let new = env.regenerate(ALICE);
    assert!(new.iter().all(|c| well_formed(c)), "{new:?}");
    let new_set: HashSet<String> = new.iter().map(|c| c.to_ascii_lowercase()).collect();
    let old_set: HashSet<String> = old.iter().map(|c| c.to_ascii_lowercase()).collect();
    assert_eq!(new_set.len(), 10, "new codes repeat: {new:?}");
    assert!(
        new_set.is_disjoint(&old_set),
        "the new set shares codes with the old"
    );
    assert_eq!(env.recovery_left(ALICE), 10);

    // Every old code (spent or not) now fails; every new one works. Interleaved, so the
    // failures never add up to a lockout (a success clears the count).
    for (i, (o, n)) in old.iter().zip(&new).enumerate() {
        let (code, v) = env.verify(ALICE, o);
        assert_eq!(code, 1, "old code {i} after regenerate: {v:?}");
        assert!(!v.accepted, "{v:?}");
        let outcome = env.verify(ALICE, &typed(n, i));
        assert_accepted(&outcome, "recovery");
        assert_eq!(
            outcome.1.recovery_codes_left,
            Some(9 - i as u32),
            "new code {i}"
        );
    }
}

#[test]
fn regenerate_needs_enabled_2fa() {
    let env = TestEnv::new();
    env.ok(&["user", "add", "plain@example.com"]);
    let (code, shown) = env
        .twofa(&["recovery", "regenerate", "plain@example.com"])
        .json::<Option<common::Codes>>();
    assert_eq!(code, 4, "no 2FA: {shown:?}");
    assert_eq!(shown, None, "no codes shown");

    env.enroll("pending@example.com");
    env.twofa(&["recovery", "regenerate", "pending@example.com"])
        .fails(4);
    env.twofa(&["recovery", "regenerate", "nobody@example.com"])
        .fails(3);
}

#[test]
fn status_warns_when_two_or_fewer_remain() {
    let mut env = TestEnv::new();
    let (_, codes) = env.enable(ALICE);
    for c in &codes[..7] {
        assert_accepted(&env.verify(ALICE, c), "recovery");
    }
    let (left, _, stderr) = recovery_status(&env, ALICE);
    assert_eq!(left, 3);
    assert!(
        !stderr.to_lowercase().contains("warning"),
        "no warning with 3 left: {stderr}"
    );
    for (i, c) in codes[7..].iter().enumerate() {
        assert_accepted(&env.verify(ALICE, c), "recovery");
        let (left, _, stderr) = recovery_status(&env, ALICE);
        assert_eq!(left, 2 - i as u32);
        assert!(
            stderr.to_lowercase().contains("warning"),
            "a warning with {left} left: {stderr:?}"
        );
        assert!(
            stderr.contains("regenerate"),
            "the warning says what to do: {stderr}"
        );
    }
}

#[test]
fn status_of_an_account_without_2fa_does_not_advise_regenerating() {
    let env = TestEnv::new();
    env.ok(&["user", "add", "plain@example.com"]);
    let (left, _, stderr) = recovery_status(&env, "plain@example.com");
    assert_eq!(left, 0);
    // 'recovery regenerate' would be refused (exit 4) for this account.
    assert!(
        !stderr.contains("regenerate"),
        "advises a command that is refused: {stderr}"
    );
    env.twofa(&["recovery", "status", "nobody@example.com"])
        .fails(3);
}

/// All bytes of the database: the main file and, while they exist, its WAL and shared
/// memory files.
fn database_bytes(env: &TestEnv) -> Vec<u8> {
    let mut bytes = env.db_contents();
    if let Ok(more) = std::fs::read(format!("{}-shm", env.db.display())) {
        bytes.extend(more);
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn database_never_holds_a_code_in_the_clear() {
    let mut env = TestEnv::new();
    let (_, first) = env.enable(ALICE);
    assert_accepted(&env.verify(ALICE, &first[0]), "recovery");
    let second = env.regenerate(ALICE);
    let (_, bob_codes) = env.enable("bob@example.com");

    let bytes = database_bytes(&env);
    assert!(!bytes.is_empty());
    for c in first.iter().chain(&second).chain(&bob_codes) {
        for form in variants(c) {
            assert!(
                !contains(&bytes, &form),
                "the database holds recovery code {form} in the clear"
            );
        }
    }
    // Nor does the event log.
    let log = serde_json::to_string(&env.events()).unwrap();
    for c in first.iter().chain(&second).chain(&bob_codes) {
        for form in variants(c) {
            assert!(!log.contains(&form), "the log holds {form}");
        }
    }
}

/// (m, t, salt) of an `$argon2id$v=19$m=M,t=T,p=1$SALT$HASH` PHC string; panics otherwise.
fn argon2id_params(phc: &str) -> (u64, u64, String) {
    let parts: Vec<&str> = phc.split('$').collect();
    assert_eq!(parts.len(), 6, "not a PHC string with salt and hash: {phc}");
    assert_eq!(parts[0], "", "{phc}");
    assert_eq!(parts[1], "argon2id", "{phc}");
    assert_eq!(parts[2], "v=19", "{phc}");
    let params: Vec<&str> = parts[3].split(',').collect();
    assert_eq!(params.len(), 3, "{phc}");
    let num = |p: &str, name: &str| -> u64 {
        p.strip_prefix(name)
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("expected {name}N in {phc}"))
    };
    let m = num(params[0], "m=");
    let t = num(params[1], "t=");
    assert_eq!(params[2], "p=1", "{phc}");
    assert!(!parts[4].is_empty(), "no salt: {phc}");
    assert!(!parts[5].is_empty(), "no hash: {phc}");
    (m, t, parts[4].to_string())
}

#[test]
fn stored_hashes_are_argon2id_with_owasp_parameters_and_distinct_salts() {
    let mut env = TestEnv::new();
    env.enable(ALICE);
    env.enable("bob@example.com");
    env.regenerate("bob@example.com");

    let hashes = env.query_strings(&format!("SELECT hash FROM {}", env.table("recovery_codes")));
    assert_eq!(hashes.len(), 20, "ten codes per account: {hashes:?}");
    let mut salts = HashSet::new();
    for phc in &hashes {
        let (m, t, salt) = argon2id_params(phc);
        assert!(m >= 19456, "m = {m} KiB is below 19456: {phc}");
        assert!(t >= 2, "t = {t} is below 2: {phc}");
        assert!(salts.insert(salt.clone()), "salt {salt} is used twice");
    }
    let distinct: HashSet<&String> = hashes.iter().collect();
    assert_eq!(distinct.len(), hashes.len());
}

#[test]
fn failed_recovery_codes_count_toward_the_lockout() {
    let mut env = TestEnv::new();
    let (_, codes) = env.enable(ALICE);
    for (i, bogus) in bogus_codes(&codes, 5).iter().enumerate() {
        let outcome = env.verify(ALICE, bogus);
        assert_eq!(
            outcome.0, 1,
            "wrong recovery code {i} ({bogus}): {:?}",
            outcome.1
        );
        assert_rejected(&outcome, "wrong_code");
    }
    assert!(env.status(ALICE).locked);
    // Locked: even a right recovery code is refused, and not spent.
    assert_rejected(&env.verify(ALICE, &codes[0]), "locked");
    assert_eq!(
        env.recovery_left(ALICE),
        10,
        "a locked attempt spends nothing"
    );

    env.ok(&["unlock", ALICE]);
    assert_accepted(&env.verify(ALICE, &codes[0]), "recovery");
}

#[test]
fn four_failed_recovery_codes_do_not_lock_and_a_success_resets_the_count() {
    let mut env = TestEnv::new();
    let (_, codes) = env.enable(ALICE);
    let bogus = bogus_codes(&codes, 8);
    for b in &bogus[..4] {
        assert_eq!(env.verify(ALICE, b).0, 1);
    }
    assert!(!env.status(ALICE).locked);
    assert_eq!(env.verify(ALICE, &codes[0]).0, 0);
    for b in &bogus[4..8] {
        assert_eq!(env.verify(ALICE, b).0, 1);
    }
    assert!(!env.status(ALICE).locked, "the success cleared the count");
    assert_eq!(env.verify(ALICE, &codes[1]).0, 0);
}

#[test]
fn a_recovery_lockout_lasts_fifteen_minutes() {
    let mut env = TestEnv::new();
    let (_, codes) = env.enable(ALICE);
    for bogus in bogus_codes(&codes, 5) {
        assert_eq!(env.verify(ALICE, &bogus).0, 1);
    }
    let locked_at = env.now;
    env.now = locked_at + 15 * 60 - 1;
    assert_rejected(&env.verify(ALICE, &codes[0]), "locked");
    env.now = locked_at + 15 * 60;
    let outcome = env.verify(ALICE, &codes[0]);
    assert_accepted(&outcome, "recovery");
    assert_eq!(outcome.1.recovery_codes_left, Some(9));
}
