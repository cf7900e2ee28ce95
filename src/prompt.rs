//! Questions to the person at the terminal (dialoguer, on stderr), and reading codes.
//!
//! Prompts appear only when stdin is a terminal; `--yes` answers confirmations; a
//! destructive command with neither refuses (exit 2).

use std::io::{self, IsTerminal, Read};

use anyhow::Result;
use dialoguer::{Confirm, Password, theme::SimpleTheme};
use zeroize::Zeroizing;

use crate::exit::{refused, usage};
use crate::input::{Bounded, limit};

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

/// Bytes of a code read from stdin, at most: more is not a code.
pub const STDIN_MAX: usize = 1024;

/// The code given as an argument, or (for `-` or none) from stdin: a prompt on a
/// terminal, else what comes before the first `\n` or NUL (pam_exec ends the token with
/// one), at most [`STDIN_MAX`] bytes.
pub fn read_code(arg: Option<&str>) -> Result<Zeroizing<String>> {
    match arg {
        Some(code) if code != "-" => Ok(Zeroizing::new(code.to_string())),
        _ if stdin_is_tty() => ask_code("Code"),
        _ => {
            let code = read_token(io::stdin().lock())?;
            if code.trim().is_empty() {
                return Err(usage("no code on stdin (pass CODE, or pipe the code in)"));
            }
            Ok(code)
        }
    }
}

/// One code from `input`: the bytes before the first `\n` (a `\r` before it dropped) or
/// NUL, or before the end; at most [`STDIN_MAX`] of them are read ([`Bounded`]), so a flood
/// costs no memory. Never repeats what it read in an error.
pub fn read_token(input: impl Read) -> Result<Zeroizing<String>> {
    let [token] = read_tokens(input)?;
    Ok(token)
}

/// `N` codes from `input`, one a line, each read as [`read_token`] reads one (at most
/// [`STDIN_MAX`] bytes); a code missing at the end of the input is empty.
pub fn read_tokens<const N: usize>(input: impl Read) -> Result<[Zeroizing<String>; N]> {
    let mut reader = Bounded::tokens(io::BufReader::new(input), STDIN_MAX);
    let mut tokens: [Zeroizing<String>; N] = std::array::from_fn(|_| Zeroizing::default());
    for token in &mut tokens {
        // One allocation of the final size: growing would leave copies of the code behind.
        let mut buf = Zeroizing::new(Vec::with_capacity(STDIN_MAX + 1));
        reader.read_line(&mut buf).map_err(|e| match limit(&e) {
            Some(_) => usage(format!(
                "more than {STDIN_MAX} bytes on stdin before the end of the line: that is not a code"
            )),
            None => usage(format!("cannot read the code from stdin: {e}")),
        })?;
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        let text = std::str::from_utf8(&buf).map_err(|_| {
            usage(format!(
                "the {} byte(s) on stdin are not UTF-8 text, so not a code",
                buf.len()
            ))
        })?;
        *token = Zeroizing::new(text.to_string());
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_ends_at_a_newline_crlf_nul_or_the_end() {
        for input in [
            &b"123456"[..],
            b"123456\n",
            b"123456\r\n",
            b"123456\0",
            b"123456\0junk\n",
        ] {
            assert_eq!(read_token(input).unwrap().as_str(), "123456", "{input:?}");
        }
        assert_eq!(read_token(&b"\n"[..]).unwrap().as_str(), "");
    }

    #[test]
    fn at_most_a_kibibyte_is_read() {
        let exactly = vec![b'1'; STDIN_MAX];
        assert_eq!(read_token(&exactly[..]).unwrap().len(), STDIN_MAX);
        let mut line = exactly.clone();
        line.push(b'\n');
        assert_eq!(read_token(&line[..]).unwrap().len(), STDIN_MAX);
        // An endless source: the read stops after STDIN_MAX bytes (and a buffer).
        let e = read_token(io::repeat(b'7')).unwrap_err();
        let msg = format!("{e:#}");
        assert!(msg.contains("more than 1024 bytes"), "{msg}");
        assert!(!msg.contains("777"), "{msg}");
        let e = format!("{:#}", read_token(&b"\xff\xfe12\n"[..]).unwrap_err());
        assert!(e.contains("4 byte(s)") && e.contains("not UTF-8"), "{e}");
    }

    #[test]
    fn codes_are_read_one_a_line_within_the_same_bounds() {
        let [a, b] = read_tokens(&b"123456\r\n654321\0junk"[..]).unwrap();
        assert_eq!((a.as_str(), b.as_str()), ("123456", "654321"));
        let [a, b] = read_tokens(&b"123456\n"[..]).unwrap();
        assert_eq!((a.as_str(), b.as_str()), ("123456", ""));
        // A flood on the second line stops after STDIN_MAX bytes of it.
        let flood = b"123456\n".chain(io::repeat(b'7'));
        let e = format!("{:#}", read_tokens::<2>(flood).unwrap_err());
        assert!(
            e.contains("more than 1024 bytes") && !e.contains("777"),
            "{e}"
        );
    }
}
