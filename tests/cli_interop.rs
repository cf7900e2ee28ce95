//! Interop with real authenticator clients and a real QR decoder, through the binary:
//! `oathtool` and Python's `pyotp` must produce codes that `confirm`/`verify` accept from
//! what `enroll` prints, and the terminal QR code (with and without colour) must decode with
//! `zbarimg` to exactly the printed URI. Also: the database never holds the secret in clear.
//!
//! The tools are required, not optional: a missing one fails the test and says which.

mod common;

use std::process::Command as Process;

use common::{TestEnv, have};
use serde_json::Value;

// ---------------------------------------------------------------------------------------
// Tools

/// Fails the test, naming the tool, when `program` is not on PATH.
fn require(program: &str, package: &str) {
    assert!(
        have(program),
        "`{program}` is not on PATH: these interop tests need it (Debian/Ubuntu: apt-get install {package})"
    );
}

/// Runs a tool and returns its stdout; fails with its stderr if it exits non-zero.
fn run_tool(cmd: &mut Process) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({:?}):\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("tool output is UTF-8")
}

/// `2027-01-15 08:00:15 UTC`: the form `oathtool --now` reads (GNU date syntax).
fn oath_time(t: i64) -> String {
    twofa::clock::rfc3339(t)
        .replace('T', " ")
        .replace('Z', " UTC")
}

/// The TOTP code `oathtool` computes for the base32 `secret` at `t`.
fn oathtool_code(secret: &str, t: i64) -> String {
    require("oathtool", "oathtool");
    run_tool(
        Process::new("oathtool")
            .args(["--totp", "-b", secret, "--now", &oath_time(t)])
            .env("TZ", "Europe/Berlin"), // the explicit "UTC" must win over the local zone
    )
    .trim()
    .to_string()
}

/// What pyotp makes of `uri`: issuer, name, secret, and the codes at `t` from both the
/// parsed URI and `pyotp.TOTP(secret)`.
fn pyotp_read(uri: &str, t: i64) -> Value {
    require("python3", "python3");
    let probe = Process::new("python3")
        .args(["-c", "import pyotp"])
        .output()
        .expect("run python3");
    assert!(
        probe.status.success(),
        "the Python module `pyotp` is missing: these interop tests need it (pip install pyotp):\n{}",
        String::from_utf8_lossy(&probe.stderr)
    );
    const SCRIPT: &str = r#"
import json, sys, pyotp
uri, t = sys.argv[1], int(sys.argv[2])
otp = pyotp.parse_uri(uri)
print(json.dumps({
    "type": type(otp).__name__,
    "issuer": otp.issuer,
    "name": otp.name,
    "secret": otp.secret,
    "digits": otp.digits,
    "interval": otp.interval,
    "uri_code": otp.at(t),
    "code": pyotp.TOTP(otp.secret).at(t),
}))
"#;
    let out = run_tool(Process::new("python3").args(["-c", SCRIPT, uri, &t.to_string()]));
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("pyotp output is not JSON ({e}): {out}"))
}

/// Decodes the QR code(s) in an image file with `zbarimg`; returns the raw text.
fn zbar_decode(path: &std::path::Path) -> String {
    require("zbarimg", "zbar-tools");
    let out = Process::new("zbarimg")
        .args(["--raw", "-q"])
        .arg(path)
        .output()
        .expect("run zbarimg");
    assert!(
        out.status.success(),
        "zbarimg found no QR code in {} (exit {:?}): {}",
        path.display(),
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("zbarimg output is UTF-8")
}

// ---------------------------------------------------------------------------------------
// twofa helpers

/// `enroll EMAIL --create --no-confirm --format json` (plus `extra` global options);
/// returns the JSON document.
fn enroll_json(env: &TestEnv, email: &str, extra: &[&str]) -> Value {
    let mut args = extra.to_vec();
    args.extend(["enroll", email, "--create", "--no-confirm"]);
    let (code, v) = env.json(&args);
    assert_eq!(code, 0, "enroll {email}: {v}");
    assert_eq!(v["state"], "pending", "{v}");
    v
}

fn str_of<'a>(v: &'a Value, field: &str) -> &'a str {
    v[field]
        .as_str()
        .unwrap_or_else(|| panic!("no string `{field}` in {v}"))
}

/// `confirm EMAIL -` with `code` on stdin: must succeed with 10 recovery codes.
fn confirm_ok(env: &TestEnv, email: &str, code: &str) -> Vec<String> {
    let (exit, v) = env.json_stdin(&["confirm", email, "-"], code);
    assert_eq!(exit, 0, "confirm {email} with {code}: {v}");
    let codes: Vec<String> = v["recovery_codes"]
        .as_array()
        .unwrap_or_else(|| panic!("no recovery_codes in {v}"))
        .iter()
        .map(|c| c.as_str().expect("code is a string").to_string())
        .collect();
    assert_eq!(codes.len(), 10, "{v}");
    codes
}

/// `verify EMAIL -` with `code` on stdin; returns (exit code, JSON).
fn verify(env: &TestEnv, email: &str, code: &str) -> (i32, Value) {
    env.json_stdin(&["verify", email, "-"], code)
}

/// Asserts `verify` accepts `code` as TOTP, then refuses the same code as `reused`.
fn verify_once(env: &TestEnv, email: &str, code: &str) {
    let (exit, v) = verify(env, email, code);
    assert_eq!(exit, 0, "verify {email} with {code}: {v}");
    assert_eq!(v["accepted"], true, "{v}");
    assert_eq!(v["method"], "totp", "{v}");
    let (exit, v) = verify(env, email, code);
    assert_eq!(exit, 1, "the same code again must be rejected: {v}");
    assert_eq!(v["accepted"], false, "{v}");
    assert_eq!(v["reason"], "reused", "{v}");
}

// ---------------------------------------------------------------------------------------
// 1. oathtool

#[test]
fn oathtool_codes_confirm_and_verify() {
    let mut env = TestEnv::new();
    let email = "olivia@example.com";
    let v = enroll_json(&env, email, &[]);
    let secret = str_of(&v, "secret").to_string();
    let uri = str_of(&v, "uri");
    assert!(
        uri.contains(&format!("secret={secret}")),
        "the URI carries the printed secret: {uri}"
    );
    let raw = data_encoding::BASE32_NOPAD
        .decode(secret.as_bytes())
        .expect("secret is unpadded base32");
    assert_eq!(raw.len(), 20, "160-bit secret");

    let first = oathtool_code(&secret, env.now);
    assert_eq!(first.len(), 6, "oathtool prints 6 digits: {first}");
    // Exactly this step, not merely inside the ±1 window.
    assert_eq!(first, env.code(&raw), "oathtool and twofa agree at env.now");
    confirm_ok(&env, email, &first);

    env.now += 30;
    let second = oathtool_code(&secret, env.now);
    assert_ne!(second, first, "a new step gives a new code");
    verify_once(&env, email, &second);
}

// ---------------------------------------------------------------------------------------
// 2. pyotp

#[test]
fn pyotp_reads_the_uri_and_its_codes_are_accepted() {
    let mut env = TestEnv::new();
    let email = "a+tag@example.com";
    let issuer = "Acme Co";
    let v = enroll_json(&env, email, &["--issuer", issuer]);
    assert_eq!(v["email"], email, "{v}");
    assert_eq!(v["issuer"], issuer, "{v}");
    let secret = str_of(&v, "secret").to_string();
    let uri = str_of(&v, "uri").to_string();
    assert!(
        !uri.contains(' ') && !uri.contains('+'),
        "space and '+' are percent-encoded: {uri}"
    );

    let p = pyotp_read(&uri, env.now);
    assert_eq!(p["type"], "TOTP", "{p}");
    assert_eq!(p["issuer"], issuer, "{p}");
    assert_eq!(p["name"], email, "{p}");
    assert_eq!(p["secret"], secret.as_str(), "{p}");
    assert_eq!(p["digits"], 6, "{p}");
    assert_eq!(p["interval"], 30, "{p}");
    assert_eq!(p["uri_code"], p["code"], "{p}");
    let first = str_of(&p, "code").to_string();
    confirm_ok(&env, email, &first);

    env.now += 30;
    let p = pyotp_read(&uri, env.now);
    let second = str_of(&p, "code").to_string();
    assert_ne!(second, first, "a new step gives a new code");
    verify_once(&env, email, &second);
}

// ---------------------------------------------------------------------------------------
// 3. The terminal QR code, decoded by zbarimg

/// Whether a terminal colour (an xterm 256-colour index, or RGB) looks light.
fn light_index(i: u8) -> bool {
    const BASIC: [(u8, u8, u8); 16] = [
        (0, 0, 0),
        (205, 0, 0),
        (0, 205, 0),
        (205, 205, 0),
        (0, 0, 238),
        (205, 0, 205),
        (0, 205, 205),
        (229, 229, 229),
        (127, 127, 127),
        (255, 0, 0),
        (0, 255, 0),
        (255, 255, 0),
        (92, 92, 255),
        (255, 0, 255),
        (0, 255, 255),
        (255, 255, 255),
    ];
    let level = |l: u8| if l == 0 { 0 } else { 55 + 40 * l };
    let (r, g, b) = match i {
        0..=15 => BASIC[i as usize],
        16..=231 => {
            let c = i - 16;
            (level(c / 36), level(c / 6 % 6), level(c % 6))
        }
        _ => {
            let y = 8 + 10 * (i - 232);
            (y, y, y)
        }
    };
    light_rgb(r, g, b)
}

fn light_rgb(r: u8, g: u8, b: u8) -> bool {
    299 * r as u32 + 587 * g as u32 + 114 * b as u32 > 128_000
}

/// The foreground and background of a cell: `Some(light?)`, or `None` for the terminal's
/// default colour.
#[derive(Clone, Copy)]
struct Pen {
    fg: Option<bool>,
    bg: Option<bool>,
}

/// Applies one SGR sequence's parameters (`38;5;15`, `49`, `0`, …) to `pen`.
fn apply_sgr(pen: &mut Pen, params: &str, default: Pen) {
    let nums: Vec<u32> = params
        .split(';')
        .map(|p| {
            if p.is_empty() {
                0
            } else {
                p.parse().expect("SGR parameter")
            }
        })
        .collect();
    let mut i = 0;
    while i < nums.len() {
        let extended = |i: &mut usize| -> bool {
            match nums.get(*i + 1) {
                Some(5) => {
                    *i += 2;
                    light_index(nums[*i] as u8)
                }
                Some(2) => {
                    *i += 4;
                    light_rgb(nums[*i - 2] as u8, nums[*i - 1] as u8, nums[*i] as u8)
                }
                other => panic!("unknown extended colour {other:?} in SGR {params}"),
            }
        };
        match nums[i] {
            0 => *pen = default,
            n @ 30..=37 => pen.fg = Some(light_index((n - 30) as u8)),
            n @ 90..=97 => pen.fg = Some(light_index((n - 90 + 8) as u8)),
            n @ 40..=47 => pen.bg = Some(light_index((n - 40) as u8)),
            n @ 100..=107 => pen.bg = Some(light_index((n - 100 + 8) as u8)),
            38 => pen.fg = Some(extended(&mut i)),
            48 => pen.bg = Some(extended(&mut i)),
            39 => pen.fg = default.fg,
            49 => pen.bg = default.bg,
            7 | 27 => panic!("reverse video in the QR code is not handled: SGR {params}"),
            _ => {} // bold, underline, …: no effect on the colours
        }
        i += 1;
    }
}

/// Turns terminal text (half-block cells, optionally with SGR colour escapes) into module
/// rows, `true` = light. Each cell is one module wide and two tall. `default` is what the
/// text's colours are without escapes.
fn modules(text: &str, default: Pen) -> Vec<Vec<bool>> {
    let mut rows = Vec::new();
    let mut pen = default;
    for line in text.lines() {
        let (mut top, mut bottom) = (Vec::new(), Vec::new());
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                assert_eq!(
                    chars.next(),
                    Some('['),
                    "only CSI escapes expected: {line:?}"
                );
                let params: String = chars.by_ref().take_while(|&c| c != 'm').collect();
                assert!(
                    params.chars().all(|c| c.is_ascii_digit() || c == ';'),
                    "only SGR (…m) escapes expected, got {params:?}"
                );
                apply_sgr(&mut pen, &params, default);
                continue;
            }
            let need = |colour: Option<bool>, what: &str| {
                colour.unwrap_or_else(|| {
                    panic!("a QR cell {c:?} uses the terminal's default {what} colour")
                })
            };
            let (t, b) = match c {
                ' ' => (need(pen.bg, "background"), need(pen.bg, "background")),
                '▄' => (need(pen.bg, "background"), need(pen.fg, "foreground")),
                '▀' => (need(pen.fg, "foreground"), need(pen.bg, "background")),
                '█' => (need(pen.fg, "foreground"), need(pen.fg, "foreground")),
                other => panic!("unexpected character {other:?} in the QR code"),
            };
            top.push(t);
            bottom.push(b);
        }
        rows.push(top);
        rows.push(bottom);
    }
    rows
}

/// Writes the modules as a binary PGM (light = white), each module `scale`×`scale`
/// pixels, inside a light border of `border` modules.
fn write_pgm(path: &std::path::Path, rows: &[Vec<bool>], scale: usize, border: usize) {
    let w = rows[0].len();
    assert!(
        rows.iter().all(|r| r.len() == w),
        "every QR line has the same number of cells"
    );
    let (pw, ph) = ((w + 2 * border) * scale, (rows.len() + 2 * border) * scale);
    let mut data = format!("P5\n{pw} {ph}\n255\n").into_bytes();
    for y in 0..ph {
        for x in 0..pw {
            let (my, mx) = (
                (y / scale).checked_sub(border),
                (x / scale).checked_sub(border),
            );
            let light = match (my, mx) {
                (Some(my), Some(mx)) if my < rows.len() && mx < w => rows[my][mx],
                _ => true,
            };
            data.push(if light { 255 } else { 0 });
        }
    }
    std::fs::write(path, data).expect("write the PGM image");
}

/// `enroll EMAIL --create --no-confirm --qr always`.
fn enroll_qr_always(email: &str) -> [&str; 6] {
    [
        "enroll",
        email,
        "--create",
        "--no-confirm",
        "--qr",
        "always",
    ]
}

/// `enroll_qr_always(email)`, to run on a terminal that calls itself xterm-256color.
fn enroll_on_xterm(env: &TestEnv, email: &str) -> std::process::Command {
    let mut cmd = env.process();
    cmd.env("TERM", "xterm-256color")
        .args(enroll_qr_always(email));
    cmd
}

/// Splits `enroll --qr always` table output into the QR code (the lines before the first
/// empty line: a light-style quiet zone is a line of spaces) and the printed URI (with any
/// escapes removed).
fn qr_and_uri(stdout: &str) -> (String, String) {
    let qr: Vec<&str> = stdout.lines().take_while(|l| !l.is_empty()).collect();
    assert!(
        qr.len() >= 10,
        "a QR code comes first on stdout, got:\n{stdout}"
    );
    let uris: Vec<String> = stdout
        .lines()
        .skip(qr.len())
        .map(|l| strip_escapes(l).trim().to_string())
        .filter(|l| l.starts_with("otpauth://"))
        .collect();
    assert_eq!(uris.len(), 1, "one URI after the QR code:\n{stdout}");
    (qr.join("\n"), uris[0].clone())
}

fn strip_escapes(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            chars.by_ref().find(|c| c.is_ascii_alphabetic());
        } else {
            out.push(c);
        }
    }
    out
}

/// How the QR code was drawn, and so how a terminal shows it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Drawn {
    /// In colour, on a terminal: the escapes set both colours.
    Colour,
    /// Without colour, for a dark background: shown light text on dark.
    ForDark,
    /// Without colour, for a light background: shown dark text on light.
    ForLight,
}

impl Drawn {
    /// The terminal's own colours, `Some(light?)`: what the text is shown in without escapes.
    fn terminal(self) -> Pen {
        match self {
            Drawn::Colour => Pen { fg: None, bg: None },
            Drawn::ForDark => Pen {
                fg: Some(true),
                bg: Some(false),
            },
            Drawn::ForLight => Pen {
                fg: Some(false),
                bg: Some(true),
            },
        }
    }
}

/// Renders terminal text as the terminal would show it (`shown` gives its colours), writes
/// the image, decodes it with zbarimg and checks it is exactly `uri`.
fn decodes_to(env: &TestEnv, qr: &str, shown: Drawn, uri: &str, name: &str) {
    let rows = modules(qr, shown.terminal());
    let dark = rows.iter().flatten().filter(|&&m| !m).count();
    let total = rows.iter().flatten().count();
    assert!(
        dark * 5 > total && dark * 5 < total * 4,
        "a QR code is roughly half dark, got {dark} of {total} modules"
    );
    let image = env.path(name);
    write_pgm(&image, &rows, 6, 4);
    let decoded = zbar_decode(&image);
    assert_eq!(
        decoded.strip_suffix('\n').unwrap_or(&decoded),
        uri,
        "the QR code decodes to exactly the printed URI"
    );
}

/// Enrolls with `--qr always` in table format (in colour on a terminal; else with NO_COLOR
/// and the style into a pipe), decodes the printed QR code with zbarimg as a terminal
/// with the matching background shows it, and checks it is exactly the printed URI;
/// returns the QR text.
fn qr_round_trip(drawn: Drawn, email: &str) -> String {
    let env = TestEnv::new();
    // Created beforehand, so that the notice saying so is not on the terminal.
    env.ok(&["init"]);
    let args = enroll_qr_always(email);
    let stdout = match drawn {
        Drawn::Colour => {
            let mut cmd = env.process();
            cmd.env_remove("NO_COLOR").args(args);
            let (code, screen) = common::pty::Terminal::start(cmd).finish();
            assert_eq!(code, 0, "enroll failed: {screen}");
            screen
        }
        Drawn::ForDark | Drawn::ForLight => {
            let style = if drawn == Drawn::ForDark {
                "dark"
            } else {
                "light"
            };
            let out = env
                .cmd()
                .args(args)
                .args(["--qr-style", style])
                .output()
                .expect("run twofa");
            assert!(
                out.status.success(),
                "enroll failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8(out.stdout).expect("UTF-8 stdout")
        }
    };
    let (qr, uri) = qr_and_uri(&stdout);
    assert!(
        uri.starts_with("otpauth://totp/twofa:") && uri.contains("&issuer=twofa"),
        "{uri}"
    );
    decodes_to(&env, &qr, drawn, &uri, "qr.pgm");
    qr
}

#[test]
fn colour_qr_code_on_a_terminal_decodes_to_the_printed_uri() {
    let qr = qr_round_trip(Drawn::Colour, "carol@example.com");
    assert!(
        qr.contains("\x1b["),
        "with colour, qr2term draws with ANSI colours:\n{qr}"
    );
}

#[test]
fn no_color_qr_code_for_a_dark_terminal_decodes_shown_light_on_dark() {
    let qr = qr_round_trip(Drawn::ForDark, "nora+qr@example.com");
    assert!(
        !qr.contains('\x1b'),
        "NO_COLOR: no escape sequences in the QR code"
    );
    assert!(
        qr.chars().all(|c| "█▀▄ \n".contains(c)),
        "NO_COLOR: half blocks only:\n{qr}"
    );
}

#[test]
fn no_color_qr_code_for_a_light_terminal_decodes_shown_dark_on_light() {
    let qr = qr_round_trip(Drawn::ForLight, "lena@example.com");
    assert!(!qr.contains('\x1b'));
    assert!(
        qr.lines().next().unwrap().chars().all(|c| c == ' '),
        "the quiet zone is the light background, not ink:\n{qr}"
    );
}

/// `enroll --qr always` with NO_COLOR on a terminal that answers the background-colour
/// query with `background` (an X11 colour spec), or only the DA1 query when `None`.
/// Returns the QR text and the URI.
fn enroll_on_a_terminal_with_background(
    env: &TestEnv,
    email: &str,
    background: Option<&str>,
) -> (String, String) {
    let cmd = enroll_on_xterm(env, email);
    let mut term = common::pty::Terminal::start(cmd);
    term.expect("\x1b]11;?");
    if let Some(bg) = background {
        term.send(&format!("\x1b]11;{bg}\x1b\\"));
    }
    term.send("\x1b[?62;22c"); // the DA1 answer that follows
    let (code, screen) = term.finish();
    assert_eq!(code, 0, "{screen}");
    let screen = screen.trim_start_matches(|c| c != '█' && c != ' ' && c != '▀' && c != '▄');
    qr_and_uri(screen)
}

#[test]
fn no_color_qr_code_is_drawn_for_the_background_the_terminal_reports() {
    let env = TestEnv::new();
    env.ok(&["init"]);
    // A light background (macOS Terminal's default): dark on light.
    let (qr, uri) =
        enroll_on_a_terminal_with_background(&env, "light@example.com", Some("rgb:ffff/ffff/ffff"));
    assert!(qr.lines().next().unwrap().chars().all(|c| c == ' '), "{qr}");
    decodes_to(&env, &qr, Drawn::ForLight, &uri, "light.pgm");
    // A dark one: light on dark.
    let (qr, uri) =
        enroll_on_a_terminal_with_background(&env, "dark@example.com", Some("rgb:1e1e/1e1e/1e1e"));
    assert!(qr.lines().next().unwrap().chars().all(|c| c == '█'), "{qr}");
    decodes_to(&env, &qr, Drawn::ForDark, &uri, "dark.pgm");
    // A terminal that does not know the query: dark, the fallback.
    let (qr, uri) = enroll_on_a_terminal_with_background(&env, "silent@example.com", None);
    assert!(qr.lines().next().unwrap().chars().all(|c| c == '█'), "{qr}");
    decodes_to(&env, &qr, Drawn::ForDark, &uri, "silent.pgm");
}

#[test]
fn qr_style_overrides_the_terminal_and_is_not_asked() {
    let env = TestEnv::new();
    env.ok(&["init"]);
    for (how, email) in [("flag", "flag@example.com"), ("env", "env@example.com")] {
        let mut cmd = enroll_on_xterm(&env, email);
        if how == "flag" {
            cmd.args(["--qr-style", "light"]);
        } else {
            cmd.env("TWOFA_QR_STYLE", "light");
        }
        let (code, screen) = common::pty::Terminal::start(cmd).finish();
        assert_eq!(code, 0, "{screen}");
        assert!(
            !screen.contains("\x1b]11"),
            "{how}: no query sent:\n{screen:?}"
        );
        let (qr, uri) = qr_and_uri(&screen);
        decodes_to(&env, &qr, Drawn::ForLight, &uri, &format!("{how}.pgm"));
    }
}

// ---------------------------------------------------------------------------------------
// 4. No secret in the database file

/// Everything the database holds, as bytes (the SQLite file and its companions, or every
/// PostgreSQL row).
fn db_bytes(env: &TestEnv) -> Vec<u8> {
    env.db_contents()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Asserts the database holds neither the secret (base32 in any case, grouped or not, raw
/// bytes, hex) nor any of `codes` in the clear; and, as a control, does hold `email`.
fn assert_no_secret(env: &TestEnv, email: &str, secret_b32: &str, codes: &[String], when: &str) {
    let bytes = db_bytes(env);
    let lower = bytes.to_ascii_lowercase();
    assert!(
        contains(&bytes, email.as_bytes()) && (env.is_server() || contains(&bytes, b"twofa_")),
        "{when}: control: the database bytes hold the account's email and tables"
    );
    let raw = data_encoding::BASE32_NOPAD
        .decode(secret_b32.as_bytes())
        .expect("base32 secret");
    let b32 = secret_b32.to_ascii_lowercase();
    let grouped = twofa::output::group_by_four(&b32);
    let hex = data_encoding::HEXLOWER.encode(&raw);
    for (what, needle) in [
        ("the base32 secret", b32.as_bytes()),
        ("the grouped base32 secret", grouped.as_bytes()),
        ("the hex secret", hex.as_bytes()),
    ] {
        assert!(
            !contains(&lower, needle),
            "{when}: the database holds {what}"
        );
    }
    assert!(
        !contains(&bytes, &raw),
        "{when}: the database holds the raw secret bytes"
    );
    for code in codes {
        let code = code.to_ascii_lowercase();
        let compact: String = code.chars().filter(|c| *c != '-').collect();
        assert!(
            !contains(&lower, code.as_bytes()) && !contains(&lower, compact.as_bytes()),
            "{when}: the database holds a recovery code in the clear"
        );
    }
}

#[test]
fn database_never_holds_the_secret_in_clear() {
    let mut env = TestEnv::new();
    let email = "dora@example.com";
    let v = enroll_json(&env, email, &[]);
    let secret = str_of(&v, "secret").to_string();
    assert_no_secret(&env, email, &secret, &[], "after enroll");

    let raw = data_encoding::BASE32_NOPAD
        .decode(secret.as_bytes())
        .expect("base32 secret");
    let codes = confirm_ok(&env, email, &env.code(&raw));
    assert_no_secret(&env, email, &secret, &codes, "after confirm");

    env.now += 30;
    let (exit, v) = verify(&env, email, &env.code(&raw));
    assert_eq!(exit, 0, "{v}");
    assert_no_secret(&env, email, &secret, &codes, "after verify");
}
