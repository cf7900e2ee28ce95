//! The README's shell examples, run as written. Each `sh` block of the scripting cookbook is
//! extracted from README.md and run by `sh` against a test database, with `twofa` (this
//! build), `mail` and `notify-user` (recorders) on PATH, and only its deployment paths
//! (`/srv/app/app.db`, …) pointed at the test's; every other `sh` block runs in a temp dir
//! after a setup of its own (the Quick start on a terminal, as a person types it), or says
//! in [`CANNOT`] why it cannot run here. A block that no test here knows fails the suite,
//! so a new example in the README comes with its test.

mod common;

use std::path::{Path, PathBuf};

use common::{Status, TestEnv, assert_accepted, assert_rejected, pg_url_for};

/// The `sh` code blocks of the README's "Scripting cookbook" section, in order.
fn cookbook() -> Vec<String> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let section = readme
        .split_once("\n## Scripting cookbook\n")
        .expect("a Scripting cookbook section")
        .1;
    let section = section.split("\n## ").next().unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in section.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```sh") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    assert!(current.is_none(), "an unclosed code block in the cookbook");
    blocks
}

/// The cookbook script that contains `marker`; exactly one does.
fn script(marker: &str) -> String {
    let found: Vec<String> = cookbook()
        .into_iter()
        .filter(|b| b.contains(marker))
        .collect();
    assert_eq!(found.len(), 1, "one cookbook script with {marker:?}");
    found.into_iter().next().unwrap()
}

/// What tells each script apart; every cookbook script is one of these.
const SCRIPTS: [&str; 5] = [
    "audit --non-compliant --format csv",
    "reset --from lost-phones.txt",
    "jq -r .email | twofa unlock --from -",
    "export TWOFA_HOOK=",
    "/usr/local/bin/twofa-pam",
];

#[test]
fn every_cookbook_script_has_a_test() {
    let blocks = cookbook();
    for block in &blocks {
        assert!(
            SCRIPTS.iter().any(|m| block.contains(m)),
            "a cookbook script without a test in tests/cli_readme.rs:\n{block}"
        );
    }
    assert_eq!(blocks.len(), SCRIPTS.len(), "{blocks:#?}");
}

/// A script with its deployment paths pointed at the test's; each must occur.
fn adapted(script: &str, paths: &[(&str, &str)]) -> String {
    let mut s = script.to_string();
    for (from, to) in paths {
        assert!(
            s.contains(from),
            "the script no longer has {from}:\n{script}"
        );
        s = s.replace(from, to);
    }
    s
}

/// A directory on PATH with `twofa` (this build), and `mail` and `notify-user` that record
/// what they were given in the environment's directory.
fn tools(env: &TestEnv) -> PathBuf {
    let bin = env.path("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(assert_cmd::cargo::cargo_bin("twofa"), bin.join("twofa")).unwrap();
    let out = env.path("");
    let tools = [
        (
            "mail",
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{0}/mail.args'\ncat > '{0}/mail.body'\n",
                out.display()
            ),
        ),
        (
            "notify-user",
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '{}/notified'\n",
                out.display()
            ),
        ),
    ];
    for (name, text) in tools {
        let path = bin.join(name);
        std::fs::write(&path, text).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    bin
}

/// Runs `script` with `sh` in the environment (tools first on PATH), `stdin` on its
/// standard input; returns (exit code, stdout, stderr).
fn run_sh(env: &TestEnv, script: &str, stdin: &[u8]) -> (i32, String, String) {
    run_sh_with(env, script, stdin, &[])
}

/// [`run_sh`] with more environment variables.
fn run_sh_with(
    env: &TestEnv,
    script: &str,
    stdin: &[u8],
    vars: &[(&str, &str)],
) -> (i32, String, String) {
    std::fs::write(env.path("script.sh"), script).unwrap();
    let path = format!(
        "{}:{}",
        tools_dir(env).display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = env
        .bash("exec sh ./script.sh")
        .env("PATH", path)
        .envs(vars.iter().copied())
        .write_stdin(stdin.to_vec())
        .output()
        .expect("run sh");
    (
        out.status.code().expect("an exit code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn tools_dir(env: &TestEnv) -> PathBuf {
    let bin = env.path("bin");
    if bin.exists() { bin } else { tools(env) }
}

fn read(env: &TestEnv, name: &str) -> Option<String> {
    std::fs::read_to_string(env.path(name)).ok()
}

// ---------------------------------------------------------------------------------------
// The nightly compliance check

/// The nightly script against `db`, its CSV in the environment's directory.
fn nightly(env: &TestEnv, db: &str) -> (i32, String, String) {
    let csv = env.path("non-compliant.csv");
    let script = adapted(
        &script(SCRIPTS[0]),
        &[
            ("/srv/app/app.db", db),
            ("/tmp/non-compliant.csv", csv.to_str().unwrap()),
        ],
    );
    run_sh(env, &script, b"")
}

#[test]
fn nightly_check_mails_the_non_compliant_accounts() {
    let mut env = TestEnv::new();
    env.twofa(&["org", "add", "acme"]).ok();
    env.twofa(&["user", "add", "late@example.com", "--org", "acme"])
        .ok();
    env.enable_with("done@example.com", &["--org", "acme"]);
    env.twofa(&["org", "policy", "acme", "--require"]).ok();
    env.now += 60;

    let (code, _, stderr) = nightly(&env, env.url());
    assert_eq!(code, 0, "{stderr}");
    let args = read(&env, "mail.args").expect("mail was sent");
    assert_eq!(
        args.lines().collect::<Vec<_>>(),
        ["-s", "2FA: non-compliant accounts", "security@example.com"]
    );
    let body = read(&env, "mail.body").unwrap();
    let mut rows = csv::Reader::from_reader(body.as_bytes());
    let emails: Vec<String> = rows
        .deserialize::<Status>()
        .map(|r| r.expect("a status row").email)
        .collect();
    assert_eq!(emails, ["late@example.com"], "{body}");
}

#[test]
fn nightly_check_mails_nothing_when_everyone_complies() {
    let mut env = TestEnv::new();
    env.twofa(&["org", "add", "acme"]).ok();
    env.enable_with("done@example.com", &["--org", "acme"]);
    env.twofa(&["org", "policy", "acme", "--require"]).ok();
    let (code, _, stderr) = nightly(&env, env.url());
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(read(&env, "mail.args"), None, "no mail");
}

#[test]
fn nightly_check_fails_loudly_and_mails_nothing_without_the_database() {
    let env = TestEnv::new();
    let missing = if env.is_postgres() {
        pg_url_for(env.server(), "twofa_no_such_database")
    } else {
        env.path("missing.db").to_str().unwrap().to_string()
    };
    let (code, _, stderr) = nightly(&env, &missing);
    assert_eq!(code, 6, "the script ends with twofa's exit code:\n{stderr}");
    assert!(
        stderr.contains("nightly 2FA check: twofa audit failed (exit 6)"),
        "{stderr}"
    );
    assert_eq!(read(&env, "mail.args"), None, "no empty report mailed");
}

// ---------------------------------------------------------------------------------------
// Bulk reset

#[test]
fn bulk_reset_names_the_failures_and_exits_non_zero() {
    let mut env = TestEnv::new();
    env.enable("alice@example.com");
    env.enable("bob@example.com");
    std::fs::write(
        env.path("lost-phones.txt"),
        "# incident 2026-11-27\nalice@example.com\n\nnobody@example.com\nbob@example.com\n",
    )
    .unwrap();
    let script = script(SCRIPTS[1]);
    let (code, stdout, stderr) = run_sh(&env, &script, b"");
    assert_ne!(code, 0, "a failed address makes the run fail");
    assert!(
        format!("{stdout}{stderr}").contains("nobody@example.com"),
        "the report names it:\n{stdout}{stderr}"
    );
    for email in ["alice@example.com", "bob@example.com"] {
        assert_eq!(env.status(email).state, "disabled", "{email}");
    }

    std::fs::write(env.path("lost-phones.txt"), "alice@example.com\n").unwrap();
    let (code, _, stderr) = run_sh(&env, &script, b"");
    assert_eq!(code, 0, "{stderr}");
}

// ---------------------------------------------------------------------------------------
// The jq pipelines

#[test]
fn jq_pipelines_unlock_the_locked_and_count_the_enabled() {
    let mut env = TestEnv::new();
    env.twofa(&["org", "add", "acme"]).ok();
    let (a1, _) = env.enable_with("a1@example.com", &["--org", "acme"]);
    env.enable_with("a2@example.com", &["--org", "acme"]);
    env.enroll_with("a3@example.com", &["--org", "acme"]);
    let (b1, _) = env.enable("b1@example.com");
    for (email, secret) in [("a1@example.com", &a1), ("b1@example.com", &b1)] {
        for _ in 0..5 {
            env.verify(email, &env.wrong_code(secret));
        }
        assert!(env.status(email).locked);
    }
    let (code, stdout, stderr) = run_sh(&env, &script(SCRIPTS[2]), b"");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout.lines().last(),
        Some("2"),
        "enabled in acme:\n{stdout}"
    );
    for email in ["a1@example.com", "b1@example.com"] {
        assert!(!env.status(email).locked, "{email} unlocked");
    }
    let code = env.code(&a1);
    assert_accepted(&env.verify("a1@example.com", &code), "totp");
}

// ---------------------------------------------------------------------------------------
// The notification hook

#[test]
fn the_hook_notifies_reset_and_disabled_users_only() {
    let mut env = TestEnv::new();
    env.enable("alice@example.com");
    env.enable("carol@example.com");
    let (bob, _) = env.enable("bob@example.com");
    for _ in 0..5 {
        env.verify("bob@example.com", &env.wrong_code(&bob));
    }
    let script = format!(
        "{}\ntwofa reset alice@example.com --reason 'lost phone' --yes\n\
         twofa unlock bob@example.com\n\
         twofa disable carol@example.com --yes\n",
        script(SCRIPTS[3])
    );
    let (code, _, stderr) = run_sh(&env, &script, b"");
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("hook"), "the hook ran cleanly:\n{stderr}");
    let notified = read(&env, "notified").unwrap_or_default();
    assert_eq!(
        notified.lines().collect::<Vec<_>>(),
        ["alice@example.com", "carol@example.com"]
    );
}

// ---------------------------------------------------------------------------------------
// PAM

#[test]
fn the_pam_script_answers_with_verifys_exit_code() {
    let mut env = TestEnv::new();
    let (secret, _) = env.enable("alice@example.com");
    let script = adapted(
        &script(SCRIPTS[4]),
        &[
            ("/usr/local/bin/twofa ", "twofa "),
            ("/var/lib/twofa/twofa.db", env.url()),
        ],
    );
    // pam_exec's expose_authtok: the typed token, then a NUL.
    let pam = |code: &str| {
        run_sh_with(
            &env,
            &script,
            format!("{code}\0").as_bytes(),
            &[("PAM_USER", "alice")],
        )
    };
    let code = env.code(&secret);
    let (exit, stdout, stderr) = pam(&code);
    assert_eq!(exit, 0, "{stderr}");
    assert!(!stdout.contains(&code), "--quiet: {stdout}");
    let (exit, _, _) = pam(&code);
    assert_eq!(exit, 1, "the same code again is refused");
    let (exit, _, _) = pam(&env.wrong_code(&secret));
    assert_eq!(exit, 1, "a wrong code is refused");
    assert_rejected(&env.verify("alice@example.com", &code), "reused");
}

// ---------------------------------------------------------------------------------------
// Every other shell example of the README

/// How one `sh` block of the README is tested.
#[derive(Clone, Copy)]
enum Plan {
    /// Run by `sh -e` in the test's directory after `setup` (shell lines, `twofa` on PATH),
    /// with deployment paths replaced (`from`, `to`).
    Run(&'static str, &'static [(&'static str, &'static str)]),
    /// Run by `sh -e` on a pseudo-terminal, typing the codes an authenticator app shows.
    OnTerminal,
    /// A script of the scripting cookbook, run by its own test above.
    Cookbook,
    /// It cannot run here, and why.
    Cannot(&'static str),
}

/// The `sh` blocks of the README that run here, by a text only each has, and how (the
/// scripting cookbook's are [`SCRIPTS`]).
const EXAMPLES: &[(&str, Plan)] = &[
    (
        "twofa init                                         # creates twofa.db",
        Plan::OnTerminal,
    ),
    (
        "twofa import enrollments.txt --create --org acme",
        Plan::Run(
            "twofa org add acme
             printf 'otpauth://totp/Old:ann@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Old\n' > enrollments.txt
             twofa user add bea@example.com
             printf 'email,secret\nbea@example.com,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n' > old.csv",
            &[],
        ),
    ),
    (
        "twofa export --yes -o twofa-secrets.csv",
        Plan::Run(
            "printf 'otpauth://totp/Old:ann@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\n' | twofa import - --create",
            &[],
        ),
    ),
    (
        "twofa log --action reset --actor carol",
        Plan::Run("twofa init", &[]),
    ),
    (
        "twofa log prune --before 2026-01-01",
        Plan::Run("twofa org add acme", &[]),
    ),
    (
        "twofa org policy acme --require --grace-days 14 --dry-run",
        Plan::Run(
            "twofa org add acme && twofa user add a@example.com --org acme",
            &[],
        ),
    ),
    (
        "twofa user exempt backup-bot@example.com",
        Plan::Run(
            "twofa org add acme
             twofa user add backup-bot@example.com --org acme
             twofa user add bob@example.com --org acme",
            &[],
        ),
    ),
    (
        "twofa org policy acme --require --grace-days 14\n",
        Plan::Run("twofa org add acme", &[]),
    ),
    (
        "twofa user protect ceo@example.com --reason",
        Plan::Run(
            "twofa org add acme && twofa user add ceo@example.com",
            &[],
        ),
    ),
    (
        "user sync --dry-run --query",
        Plan::Run(
            "twofa --db app.db init
             sqlite3 app.db \"CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, team TEXT);
                             INSERT INTO users (email, team) VALUES ('ann@example.com', 'acme');\"",
            &[("/srv/app/app.db", "app.db")],
        ),
    ),
];

const PG_SERVER: &str = "needs the PostgreSQL server db.internal";
const MYSQL_SERVER: &str = "needs the MySQL server db.internal (tests/cli_mysql.rs: a test server)";

/// The `sh` blocks of the README that cannot run here, by a text only each has, and why.
const CANNOT: &[(&str, &str)] = &[
    (
        "cargo run --release -- enroll",
        "builds twofa and runs the whole test suite",
    ),
    ("cargo install --path .", "installs into ~/.cargo/bin"),
    ("bash scripts/deb", "needs sudo (dpkg -i)"),
    (
        "twofa diagnose alice@example.com -",
        "needs the codes a user reads out from their phone",
    ),
    (
        "chromium --headless --print-to-pdf",
        "needs a browser: tests/cli_observe.rs renders the report with chromium",
    ),
    (
        "log head --format ndjson | logger -t twofa-head",
        "a crontab entry and a head from another host: tests/cli_observe.rs checks log head and log verify --head",
    ),
    ("twofa log --follow", "runs until interrupted"),
    (
        "export TWOFA_DB='postgres://twofa@db.internal/app'",
        PG_SERVER,
    ),
    ("sslmode=verify-full", PG_SERVER),
    (
        "export TWOFA_DB='mysql://twofa@db.internal:3306/app'",
        MYSQL_SERVER,
    ),
    ("ssl-mode=verify-identity", MYSQL_SERVER),
    (
        "cargo install cargo-fuzz",
        "installs cargo-fuzz and fuzzes for ten minutes",
    ),
    ("sudo cp completions/twofa.bash", "needs sudo"),
    (
        "/usr/local/bin/mail-2fa-reminder: the hook",
        "a hook, run with an event on stdin: tests/cli_remind.rs runs it",
    ),
    (
        "/usr/local/lib/twofa/revoke-sessions: the hook",
        "a hook, run with an event on stdin: tests/cli_foureyes.rs runs it",
    ),
    (
        "twofa key generate | vault kv put secret/twofa key=-",
        "needs Vault: tests/cli_keys.rs runs this recipe with a stand-in vault",
    ),
    (
        "aws kms encrypt --key-id alias/twofa",
        "needs AWS KMS: tests/cli_keys.rs runs this recipe with a stand-in aws",
    ),
    (
        "systemd-creds encrypt --name=twofa.key - /etc/credstore.encrypted/twofa.key\nsystemd-run",
        "needs systemd as PID 1: tests/cli_keys.rs runs twofa with the credential directory systemd would make",
    ),
];

/// Every `sh` block of the README (its lines, the common indent of a list item removed),
/// with the line it starts on.
fn sh_blocks() -> Vec<(usize, String)> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let mut blocks = Vec::new();
    let mut current: Option<(usize, usize, String)> = None;
    for (n, line) in readme.lines().enumerate() {
        let trimmed = line.trim();
        match &mut current {
            None if trimmed == "```sh" => {
                let indent = line.len() - line.trim_start().len();
                current = Some((n + 1, indent, String::new()));
            }
            Some((start, _, block)) if trimmed == "```" => {
                blocks.push((*start, std::mem::take(block)));
                current = None;
            }
            Some((_, indent, block)) => {
                block.push_str(line.get(*indent..).unwrap_or(line.trim_start()));
                block.push('\n');
            }
            None => {}
        }
    }
    assert!(current.is_none(), "an unclosed code block in the README");
    blocks
}

/// Every marker with its plan: [`EXAMPLES`], the cookbook's [`SCRIPTS`] and [`CANNOT`].
fn plans() -> impl Iterator<Item = (&'static str, Plan)> {
    let cookbook = SCRIPTS.iter().map(|m| (*m, Plan::Cookbook));
    let cannot = CANNOT.iter().map(|(m, why)| (*m, Plan::Cannot(why)));
    EXAMPLES.iter().copied().chain(cookbook).chain(cannot)
}

/// The plan of the block that contains its marker; exactly one does.
fn plan_of(block: &str) -> Plan {
    let found: Vec<Plan> = plans()
        .filter(|(m, _)| block.contains(m))
        .map(|(_, plan)| plan)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "README example with {} plans in tests/cli_readme.rs (add one to EXAMPLES or CANNOT, or make its marker unique):\n{block}",
        found.len()
    );
    found[0]
}

#[test]
fn every_readme_example_runs_or_says_why_it_cannot() {
    let blocks = sh_blocks();
    for (marker, _) in plans() {
        let n = blocks.iter().filter(|(_, b)| b.contains(marker)).count();
        assert_eq!(n, 1, "the marker {marker:?} is in {n} README blocks");
    }
    let mut ran = 0;
    for (line, block) in &blocks {
        match plan_of(block) {
            Plan::Run(setup, replace) => {
                let env = TestEnv::new();
                let script = adapted(block, replace);
                let (code, stdout, stderr) =
                    run_sh(&env, &format!("set -e\n{setup}\n{script}"), b"");
                assert_eq!(
                    code, 0,
                    "README line {line}:\n{script}\nstdout:\n{stdout}\nstderr:\n{stderr}"
                );
                assert!(!stderr.contains("panicked"), "{stderr}");
                ran += 1;
            }
            Plan::Cannot(why) => assert!(!why.trim().is_empty(), "README line {line}: say why"),
            // Each run by a test of its own.
            Plan::Cookbook | Plan::OnTerminal => {}
        }
    }
    assert!(ran >= 8, "{ran} examples ran");
}

/// The Quick start, typed on a terminal as a person would, with the codes an authenticator
/// app would show: the enrollment's first code, then the next one for `verify`.
#[test]
fn the_quick_start_runs_on_a_terminal() {
    let blocks = sh_blocks();
    let (line, block) = blocks
        .iter()
        .find(|(_, b)| matches!(plan_of(b), Plan::OnTerminal))
        .expect("the Quick start");
    let env = TestEnv::new();
    std::fs::write(env.path("quickstart.sh"), block).unwrap();
    let path = format!(
        "{}:{}",
        tools_dir(&env).display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = std::process::Command::new("sh");
    cmd.current_dir(env.dir.path())
        .env_clear()
        .env("PATH", path)
        .envs(env.vars())
        .env("TWOFA_ACTOR", "tester")
        .env("NO_COLOR", "1")
        .args(["-e", "./quickstart.sh"]);
    let mut term = common::pty::Terminal::start(cmd);
    let shown = term.expect("Enter the 6-digit code from the app");
    let secret = common::secret_shown(&shown);
    term.type_line(&env.code(&secret));
    term.expect("2FA is now enabled");
    // verify reads the code from the terminal: the app's next one.
    term.expect("Code");
    term.type_line(&env.code_at(&secret, 30));
    let (code, rest) = term.finish();
    assert_eq!(code, 0, "README line {line}:\n{shown}{rest}");
    assert!(rest.contains("alice@example.com: accepted"), "{rest}");
    assert!(rest.contains("grace_days:  14"), "{rest}");
}
