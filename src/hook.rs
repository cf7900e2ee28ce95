//! The notification hook (`--hook`): a shell command run once per committed event, with
//! the event as one line of JSON on its stdin, in twofa's environment minus its secrets
//! ([`child_env`]).

use std::io::Write;
use std::process::{Command, Stdio};

use anyhow::{Context, Result};

use crate::childenv::child_env;
use crate::model::Event;

/// Runs `hook` for `event`; an error says why it failed (the caller reports it, and
/// nothing is undone).
pub fn run(hook: &str, event: &Event) -> Result<()> {
    let json = serde_json::to_vec(event)?;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(hook)
        .env_clear()
        .envs(child_env(std::env::vars_os()))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .context("cannot start it")?;
    if let Some(mut stdin) = child.stdin.take() {
        // A hook that does not read its input is not an error.
        let _ = stdin.write_all(&json).and_then(|()| stdin.write_all(b"\n"));
    }
    let status = child.wait().context("cannot wait for it")?;
    if !status.success() {
        anyhow::bail!("it exited with {status}");
    }
    Ok(())
}
