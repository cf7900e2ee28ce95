//! A terminal for the binary's tests: twofa on a pseudo-terminal (rexpect), for what
//! happens only on a terminal (questions, the drawn QR code, the background-colour query).
//!
//! What twofa writes comes back as the terminal shows it, with `\r\n` line ends made `\n`.

use std::process::Command;

use rexpect::process::WaitStatus;
use rexpect::session::{Options, PtySession};

/// How long one expectation waits.
const TIMEOUT_MS: u64 = 30_000;

pub struct Terminal {
    session: PtySession,
}

/// rexpect hands bytes over as chars one by one: put the UTF-8 back together.
fn utf8(text: &str) -> String {
    let bytes: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
    String::from_utf8_lossy(&bytes).replace("\r\n", "\n")
}

impl Terminal {
    /// Starts `cmd` with a new pseudo-terminal as its stdin, stdout and stderr.
    pub fn start(cmd: Command) -> Self {
        let session = rexpect::spawn_with_options(
            cmd,
            Options::new()
                .timeout_ms(Some(TIMEOUT_MS))
                .strip_ansi_escape_codes(false),
        )
        .expect("start twofa on a pseudo-terminal");
        Terminal { session }
    }

    /// Waits until the terminal shows `needle` (ASCII); returns what came before it.
    pub fn expect(&mut self, needle: &str) -> String {
        match self.session.exp_string(needle) {
            Ok(before) => utf8(&before),
            Err(e) => panic!("the terminal never showed {needle:?}: {e}"),
        }
    }

    /// Types `text` followed by Enter.
    pub fn type_line(&mut self, text: &str) {
        self.session.send_line(text).expect("type on the terminal");
    }

    /// Sends `bytes` as the terminal would (an answer to a query, a key).
    pub fn send(&mut self, bytes: &str) {
        self.session.send(bytes).expect("write to the terminal");
        self.session.flush().expect("write to the terminal");
    }

    /// Waits for twofa to end; returns its exit code and the rest of what it showed.
    pub fn finish(mut self) -> (i32, String) {
        let rest = self
            .session
            .exp_eof()
            .unwrap_or_else(|e| panic!("twofa did not end: {e}"));
        let status = self.session.process_mut().wait().expect("wait for twofa");
        match status {
            WaitStatus::Exited(_, code) => (code, utf8(&rest)),
            other => panic!("twofa did not exit normally: {other:?}\n{}", utf8(&rest)),
        }
    }
}

/// Runs `twofa ARGS` (shell words) in `env` on a pseudo-terminal `columns` wide and 50 rows
/// high (util-linux `script`), nothing typed; returns its exit code and what the terminal
/// showed (stdout and stderr, as they came), `\r\n` made `\n`.
pub fn on_columns(env: &super::TestEnv, columns: u16, args: &str) -> (i32, String) {
    assert!(
        super::have("script"),
        "script (util-linux) is needed for the terminal tests"
    );
    let out = env
        .bash(&format!(
            "script -qec 'stty cols {columns} rows 50; \"$TWOFA\" {args}' /dev/null"
        ))
        .output()
        .expect("run script");
    let shown = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
    (out.status.code().expect("an exit code"), shown)
}

/// Whether every line of `text` fits `columns` (characters, after colour sequences).
pub fn fits(text: &str, columns: usize) -> bool {
    text.lines().all(|line| visible(line) <= columns)
}

/// The characters of `line` a terminal shows (escape sequences left out).
pub fn visible(line: &str) -> usize {
    let mut n = 0;
    let mut escape = false;
    for c in line.chars() {
        match (escape, c) {
            (false, '\x1b') => escape = true,
            (false, _) => n += 1,
            (true, c) if c.is_ascii_alphabetic() => escape = false,
            (true, _) => {}
        }
    }
    n
}
