//! Questions to the person at the terminal (dialoguer, on stderr), and reading codes.
//!
//! Prompts appear only when stdin is a terminal; `--yes` answers confirmations; a
//! destructive command with neither refuses (exit 2).

use std::io::{self, BufRead, IsTerminal};

use anyhow::Result;
use dialoguer::{Confirm, Password, theme::SimpleTheme};
use zeroize::Zeroizing;

use crate::exit::{refused, usage};

/// Whether a person can answer on stdin.
pub fn stdin_is_tty() -> bool {
    io::stdin().is_terminal()
}

/// Asks `question`; `--yes` answers it; without a terminal it refuses with exit 2.
pub fn confirm(yes: bool, question: &str, what: &str) -> Result<()> {
    if yes {
        return Ok(());
    }
    if !stdin_is_tty() {
        return Err(usage(format!(
            "{what} needs confirmation and there is no terminal to ask on; pass --yes"
        )));
    }
    let answer = Confirm::with_theme(&SimpleTheme)
        .with_prompt(question)
        .default(false)
        .interact()
        .map_err(|e| usage(format!("cannot ask for confirmation: {e}")))?;
    if answer {
        Ok(())
    } else {
        Err(refused("cancelled; nothing changed"))
    }
}

/// Asks for a code on the terminal without echoing it.
pub fn ask_code(prompt: &str) -> Result<Zeroizing<String>> {
    Password::with_theme(&SimpleTheme)
        .with_prompt(prompt)
        .allow_empty_password(true)
        .interact()
        .map(Zeroizing::new)
        .map_err(|e| usage(format!("cannot read the code: {e}")))
}

/// The code given as an argument, or (for `-` or none) from stdin: a prompt on a
/// terminal, else the first line.
pub fn read_code(arg: Option<&str>) -> Result<Zeroizing<String>> {
    match arg {
        Some(code) if code != "-" => Ok(Zeroizing::new(code.to_string())),
        _ if stdin_is_tty() => ask_code("Code"),
        _ => {
            let mut line = Zeroizing::new(String::new());
            io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| usage(format!("cannot read the code from stdin: {e}")))?;
            // pam_exec's expose_authtok ends the code with a NUL instead of a newline.
            let end = line.trim_end_matches(['\r', '\n', '\0']).len();
            line.truncate(end);
            if line.trim().is_empty() {
                return Err(usage("no code on stdin (pass CODE, or pipe the code in)"));
            }
            Ok(line)
        }
    }
}
