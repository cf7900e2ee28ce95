//! The key command (`--key-command`, `TWOFA_KEY_COMMAND`, `rekey --new-key-command`): a
//! program that prints the master key, for keys kept in Vault, a cloud KMS, `pass` or any
//! other secret store. It runs through `sh -c` in the hook's environment ([`child_env`]:
//! none of twofa's passwords or key variables; SECURITY.md 39), with stdin from /dev/null,
//! in a process group of its own, so that a timeout stops it and whatever it started.
//!
//! Its stdout is read with a cap and must be the key as text (base64 or hex); nothing it
//! printed there ever appears in a message. Its stderr is read with a cap, and the first
//! line is quoted (escaped, at most 80 characters) when it fails. The command itself is
//! never shown either: it may carry a token.

use std::io::{self, Read};
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use anyhow::Result;
use rustix::process::{Pid, Signal};
use zeroize::Zeroizing;

use crate::childenv::child_env;
use crate::crypto::MasterKey;
use crate::exit::database;
use crate::text;

/// The most read from the command's stdout (a key is at most 66 bytes of text).
pub const OUTPUT_MAX: usize = 4096;
/// The most kept of its stderr (the rest is read and dropped, so it never blocks on it).
const STDERR_MAX: usize = 4096;
/// How long the command may take, unless `TWOFA_KEY_COMMAND_TIMEOUT` says otherwise.
pub const TIMEOUT: Duration = Duration::from_secs(30);
/// The longest `TWOFA_KEY_COMMAND_TIMEOUT`, in seconds.
pub const TIMEOUT_MAX_SECS: u64 = 3600;
/// How long stderr may stay open after the command exited and closed its stdout (held by
/// something it left running) before that is stopped.
const STDERR_GRACE: Duration = Duration::from_secs(1);

/// The `TWOFA_KEY_COMMAND_TIMEOUT` variable's value as a timeout: whole seconds from 1 to
/// [`TIMEOUT_MAX_SECS`]; the error says what is wrong with it (exit 2 for the caller).
pub fn parse_timeout(value: &str) -> std::result::Result<Duration, String> {
    match value.trim().parse::<u64>() {
        Ok(secs @ 1..=TIMEOUT_MAX_SECS) => Ok(Duration::from_secs(secs)),
        _ => Err(format!(
            "TWOFA_KEY_COMMAND_TIMEOUT={} is not a number of seconds from 1 to {TIMEOUT_MAX_SECS}",
            text::quote(value)
        )),
    }
}

/// Runs `command` and reads the key it prints. `what` names it in messages ("key command
/// (TWOFA_KEY_COMMAND)"). A command that cannot start, fails, is killed by a signal, takes
/// longer than `timeout`, or prints anything but a key is a key problem (exit 6) that says
/// which.
pub fn run(command: &str, what: &str, timeout: Duration) -> Result<MasterKey> {
    let printed = output(command, what, timeout)?;
    MasterKey::parse_text(&printed).map_err(|wrong| database(format!("the {what} printed {wrong}")))
}

/// What the reading threads and the waiting thread report.
enum Report {
    /// All of stdout (at its end), or more than [`OUTPUT_MAX`] bytes of it.
    Stdout(io::Result<Zeroizing<Vec<u8>>>),
    /// Stderr ended.
    StderrClosed,
    Exited(io::Result<ExitStatus>),
}

/// The command's stdout, once it exited successfully.
fn output(command: &str, what: &str, timeout: Duration) -> Result<Zeroizing<Vec<u8>>> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .env_clear()
        .envs(child_env(std::env::vars_os()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|e| database(format!("cannot start the {what}: {e}")))?;
    let group = i32::try_from(child.id())
        .ok()
        .and_then(Pid::from_raw)
        .expect("a child's process id");
    let (tx, rx) = mpsc::channel();
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let sent = tx.clone();
    std::thread::spawn(move || {
        let _ = sent.send(Report::Stdout(read_capped(&mut stdout)));
    });
    let stderr_text = Arc::new(Mutex::new(Vec::new()));
    let (mut stderr, kept, sent) = (
        child.stderr.take().expect("stderr is piped"),
        Arc::clone(&stderr_text),
        tx.clone(),
    );
    std::thread::spawn(move || {
        keep_head(&mut stderr, &kept);
        let _ = sent.send(Report::StderrClosed);
    });
    std::thread::spawn(move || {
        let _ = tx.send(Report::Exited(child.wait()));
    });

    let mut deadline = Instant::now() + timeout;
    let mut printed: Option<io::Result<Zeroizing<Vec<u8>>>> = None;
    let mut status: Option<io::Result<ExitStatus>> = None;
    let mut stderr_closed = false;
    while !(printed.is_some() && status.is_some() && stderr_closed) {
        if matches!(&printed, Some(Ok(out)) if out.len() > OUTPUT_MAX) {
            break;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Report::Stdout(out)) => printed = Some(out),
            Ok(Report::StderrClosed) => stderr_closed = true,
            Ok(Report::Exited(s)) => status = Some(s),
            Err(_) => break,
        }
        if printed.is_some() && status.is_some() && !stderr_closed {
            // Only something it left running holds stderr now: wait a moment, no more.
            deadline = deadline.min(Instant::now() + STDERR_GRACE);
        }
    }
    let finished = printed.is_some() && status.is_some();
    if !(finished && stderr_closed) {
        // It ran too long, printed too much, or left something running that holds its
        // output: stop it and everything in its process group.
        let _ = rustix::process::kill_process_group(group, Signal::KILL);
        if status.is_none() {
            // Reap it, so that it is gone when twofa reports it.
            while let Ok(report) = rx.recv_timeout(Duration::from_secs(5)) {
                if let Report::Exited(s) = report {
                    status = Some(s);
                    break;
                }
            }
        }
    }
    let too_long = matches!(&printed, Some(Ok(out)) if out.len() > OUTPUT_MAX);
    if too_long {
        return Err(database(format!(
            "the {what} printed more than {OUTPUT_MAX} bytes; a key is 32 bytes as base64 (44 characters) or hex (64 digits)"
        )));
    }
    let (true, Some(printed), Some(status)) = (finished, printed, status) else {
        return Err(database(format!(
            "the {what} did not finish within {} s and was stopped (it runs without a terminal or input, so it cannot ask for anything; TWOFA_KEY_COMMAND_TIMEOUT sets the limit in seconds)",
            timeout.as_secs()
        )));
    };
    let status = status.map_err(|e| database(format!("cannot wait for the {what}: {e}")))?;
    if !status.success() {
        let stderr = stderr_text.lock().map(|t| t.clone()).unwrap_or_default();
        return Err(database(format!(
            "the {what} failed ({status}){}",
            first_line(&stderr)
                .map(|line| format!(": {}", text::quote(&line)))
                .unwrap_or_else(|| " and printed nothing on stderr".to_string())
        )));
    }
    printed.map_err(|e| database(format!("cannot read what the {what} printed: {e}")))
}

/// Reads `from` to its end, or up to one byte more than [`OUTPUT_MAX`].
fn read_capped(from: &mut impl Read) -> io::Result<Zeroizing<Vec<u8>>> {
    // Room for all of it at once: the key is never copied into a buffer left behind.
    let mut out = Zeroizing::new(Vec::with_capacity(OUTPUT_MAX + 1));
    from.take(OUTPUT_MAX as u64 + 1).read_to_end(&mut out)?;
    Ok(out)
}

/// Keeps the first [`STDERR_MAX`] bytes of `from` in `kept` as they come, and reads (and
/// drops) the rest to its end.
fn keep_head(from: &mut impl Read, kept: &Mutex<Vec<u8>>) {
    let mut buf = [0u8; 1024];
    loop {
        match from.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => {
                if let Ok(mut kept) = kept.lock() {
                    let room = STDERR_MAX.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

/// The first line of `stderr` that is not blank, trimmed.
fn first_line(stderr: &[u8]) -> Option<String> {
    String::from_utf8_lossy(stderr)
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "pZ3QHkYbSHqbbO0sCEm7VmdvjgXy4iBBoHQxM3y1gkQ=";

    fn run_for(command: &str, secs: u64) -> Result<MasterKey> {
        run(command, "key command (test)", Duration::from_secs(secs))
    }

    fn refusal(command: &str) -> String {
        format!("{:#}", run_for(command, 10).err().expect("refused"))
    }

    #[test]
    fn reads_the_key_as_base64_or_hex() {
        let id = run_for(&format!("echo {KEY}"), 10).unwrap().id();
        let hex =
            data_encoding::HEXLOWER.encode(&data_encoding::BASE64.decode(KEY.as_bytes()).unwrap());
        assert_eq!(run_for(&format!("printf %s {hex}"), 10).unwrap().id(), id);
        assert_eq!(
            run_for(&format!("echo {KEY}; echo warming up >&2"), 10)
                .unwrap()
                .id(),
            id
        );
    }

    #[test]
    fn says_what_is_wrong_without_showing_the_output() {
        let e = refusal("true");
        assert!(e.contains("printed nothing"), "{e}");
        let e = refusal("echo not-a-key-at-all");
        assert!(e.contains("16 bytes") && !e.contains("not-a-key"), "{e}");
        let e = refusal(&format!("echo {}", &KEY.replace('p', "!")));
        assert!(e.contains("not base64") && !e.contains("!Z3Q"), "{e}");
        let e = refusal("head -c 100000 /dev/zero");
        assert!(e.contains("more than 4096 bytes"), "{e}");
        let e = refusal(&format!("echo {KEY}; echo {KEY}"));
        assert!(e.contains("90 bytes") || e.contains("89 bytes"), "{e}");
    }

    #[test]
    fn a_failure_quotes_the_first_line_of_stderr() {
        let e =
            refusal("echo; echo '  Error: permission denied\x1b[31m' >&2; echo more >&2; exit 3");
        assert!(e.contains("exit status: 3"), "{e}");
        assert!(e.contains("'Error: permission denied\\u{1b}[31m'"), "{e}");
        assert!(!e.contains("more"), "{e}");
        let e = refusal(&format!("echo {KEY}; exit 1"));
        assert!(e.contains("printed nothing on stderr"), "{e}");
        let long = "x".repeat(200);
        let e = refusal(&format!("echo {long} >&2; exit 2"));
        assert!(e.contains(&format!("'{}…'", "x".repeat(80))), "{e}");
        let e = refusal("kill -TERM $$");
        assert!(e.contains("signal: 15"), "{e}");
    }

    #[test]
    fn the_timeout_is_whole_seconds() {
        assert_eq!(parse_timeout(" 5 "), Ok(Duration::from_secs(5)));
        for bad in ["0", "-1", "1.5", "abc", "3601", ""] {
            assert!(parse_timeout(bad).is_err(), "{bad}");
        }
    }
}
