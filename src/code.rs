//! Reading what a person typed as a code: six digits are a TOTP code, sixteen Crockford
//! base32 characters (any case, look-alikes read as digits) a recovery code. Spaces and
//! dashes are ignored; anything else is a usage error (exit 2) that says what was wrong and
//! how many characters were given, never what they were (a typo'd code is most of a valid
//! one). What is read is kept in memory that is wiped on drop.

use anyhow::Result;
use zeroize::Zeroizing;

use crate::exit::usage;
use crate::recovery::{ACCESS_LEN, ALPHABET, CODE_LEN};
use crate::totp::DIGITS;

/// What a person typed as a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeInput {
    /// Six digits.
    Totp(Zeroizing<String>),
    /// A recovery code, normalised (16 upper-case Crockford base32 characters).
    Recovery(Zeroizing<String>),
    /// A temporary access code, normalised (15 upper-case Crockford base32 characters).
    AccessCode(Zeroizing<String>),
}

/// What `verify` takes, for the error of input that is none of it.
const ANY_CODE: &str = "a code is the 6 digits from the app, a recovery code of 16 letters and digits (xxxx-xxxx-xxxx-xxxx) or a temporary access code of 15 (xxxxx-xxxxx-xxxxx)";
/// What `confirm` takes (an enrollment has no recovery or access codes yet).
const TOTP_CODE: &str = "the code is the 6 digits the authenticator app shows";

/// `input` without spaces and dashes.
fn compact(input: &str) -> Zeroizing<String> {
    Zeroizing::new(
        input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect(),
    )
}

/// Reads a code, ignoring spaces and dashes: six digits are a TOTP code; anything that
/// normalises to a recovery code or an access code is one; everything else is a usage
/// error (exit 2).
pub fn parse_code(input: &str) -> Result<CodeInput> {
    let compact = compact(input);
    if compact.len() == DIGITS && compact.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(CodeInput::Totp(compact));
    }
    if let Some(code) = normalise_recovery(&compact) {
        return Ok(CodeInput::Recovery(code));
    }
    if compact.chars().count() == ACCESS_LEN
        && let Some(code) = normalise_crockford(&compact)
    {
        return Ok(CodeInput::AccessCode(code));
    }
    Err(usage(what_is_wrong(&compact, ANY_CODE)))
}

/// Reads a TOTP code only (what `confirm` takes), ignoring spaces and dashes: six digits,
/// else a usage error (exit 2) that speaks of nothing else.
pub fn parse_totp(input: &str) -> Result<Zeroizing<String>> {
    let compact = compact(input);
    if compact.len() == DIGITS && compact.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(compact);
    }
    Err(usage(what_is_wrong(&compact, TOTP_CODE)))
}

/// Why `compact` (spaces and dashes removed) is not a code of the `shape` wanted, without
/// repeating any of it.
fn what_is_wrong(compact: &str, shape: &str) -> String {
    let n = compact.chars().count();
    if n == 0 {
        format!("no code was given: {shape}")
    } else if compact.chars().all(|c| c.is_ascii_digit()) {
        format!("{n} digit(s) were given: {shape}")
    } else if (n == CODE_LEN || n == ACCESS_LEN) && shape == ANY_CODE {
        format!(
            "{n} characters were given, but some are not letters or digits of a recovery or access code: {shape}"
        )
    } else {
        format!("{n} character(s) were given (not counting spaces and dashes): {shape}")
    }
}

/// Normalises a typed recovery code (any case, dashes and spaces already removed) to the
/// canonical 16 upper-case characters, reading Crockford's look-alikes (O→0, I/L→1).
/// `None` when it cannot be a recovery code.
pub fn normalise_recovery(compact: &str) -> Option<Zeroizing<String>> {
    if compact.chars().count() != CODE_LEN {
        return None;
    }
    normalise_crockford(compact)
}

/// Crockford base32 in any case, look-alikes read as digits; `None` for anything else.
fn normalise_crockford(compact: &str) -> Option<Zeroizing<String>> {
    let mut code = Zeroizing::new(String::with_capacity(compact.len()));
    for c in compact.chars() {
        code.push(match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            u if u.is_ascii() && ALPHABET.contains(&(u as u8)) => u,
            _ => return None,
        });
    }
    Some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifteen_characters_are_an_access_code() {
        assert_eq!(
            parse_code("abcde-fghjk-mnpqo").unwrap(),
            CodeInput::AccessCode(Zeroizing::new("ABCDEFGHJKMNPQ0".into()))
        );
        let shown = crate::recovery::display_access("ABCDEFGHJKMNPQR");
        assert_eq!(shown, "abcde-fghjk-mnpqr");
        assert!(matches!(parse_code(&shown), Ok(CodeInput::AccessCode(_))));
        assert!(
            parse_code("abcde-fghjk-mnpqu").is_err(),
            "U is not Crockford"
        );
    }

    #[test]
    fn parses_codes_with_spaces_and_dashes() {
        assert_eq!(
            parse_code("123 456").unwrap(),
            CodeInput::Totp(Zeroizing::new("123456".into()))
        );
        assert_eq!(
            parse_code(" 123-456\n").unwrap(),
            CodeInput::Totp(Zeroizing::new("123456".into()))
        );
        assert!(parse_code("12345").is_err());
        assert!(parse_code("1234567").is_err());
        assert!(parse_code("12345a").is_err());
        assert!(parse_code("").is_err());
        assert!(
            parse_code("١٢٣٤٥٦").is_err(),
            "non-ASCII digits are not digits here"
        );
    }

    #[test]
    fn errors_say_what_was_wrong_never_the_code() {
        for (input, said) in [
            ("1234567", "7 digit(s)"),
            ("12345", "5 digit(s)"),
            ("abcd-efgh-jkmn-pqrsx", "17 character(s)"),
            ("abcd-efgh-jkmn-pqru", "16 characters"),
            ("", "no code"),
        ] {
            let e = format!("{:#}", parse_code(input).unwrap_err());
            assert!(e.contains(said), "{input:?}: {e}");
            for part in ["123", "234", "345", "abcd", "efgh", "jkmn", "pqr"] {
                assert!(!e.contains(part), "{input:?} echoed in {e}");
            }
        }
    }

    #[test]
    fn confirm_takes_six_digits_and_speaks_of_nothing_else() {
        assert_eq!(parse_totp(" 123-456 ").unwrap().as_str(), "123456");
        for input in ["12345", "abcd-efgh-jkmn-pqrs", "abcde-fghjk-mnpqr", ""] {
            let e = format!("{:#}", parse_totp(input).unwrap_err());
            assert!(e.contains("6 digits the authenticator app shows"), "{e}");
            assert!(!e.contains("recovery") && !e.contains("access"), "{e}");
        }
        let e = format!("{:#}", parse_code("1234").unwrap_err());
        assert!(
            e.contains("recovery code") && e.contains("access code"),
            "{e}"
        );
    }

    #[test]
    fn normalises_case_and_look_alikes() {
        assert_eq!(
            normalise_recovery("abcdefghjkmnpqrs")
                .as_deref()
                .map(String::as_str),
            Some("ABCDEFGHJKMNPQRS")
        );
        assert_eq!(
            normalise_recovery("oOiIlL0000000000")
                .as_deref()
                .map(String::as_str),
            Some("0011110000000000")
        );
        assert_eq!(
            normalise_recovery("ABCDEFGHJKMNPQRU"),
            None,
            "U is not Crockford"
        );
        assert_eq!(normalise_recovery("ABCDEFGHJKMNPQR"), None, "15 characters");
        assert_eq!(normalise_recovery("ABCDEFGHJKMNPQRÉ"), None);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any input: a code, or a usage error; never a panic.
        #[test]
        fn parse_code_never_panics(input in "\\PC{0,40}") {
            let _ = parse_code(&input);
        }

        #[test]
        fn normalise_never_panics(input in "\\PC{0,40}") {
            if let Some(code) = normalise_recovery(&input) {
                prop_assert_eq!(code.len(), CODE_LEN);
                prop_assert!(code.bytes().all(|b| ALPHABET.contains(&b)));
            }
        }

        /// Six digits with any spaces and dashes around or between them read back.
        #[test]
        fn six_digits_with_separators(digits in "[0-9]{6}", seps in proptest::collection::vec("[ -]{0,2}", 7)) {
            let mut input = String::new();
            for (i, d) in digits.chars().enumerate() {
                input.push_str(&seps[i]);
                input.push(d);
            }
            input.push_str(&seps[6]);
            prop_assert_eq!(parse_code(&input).unwrap(), CodeInput::Totp(Zeroizing::new(digits)));
        }

        /// A shown code, in any case, with or without dashes and spaces, reads back.
        #[test]
        fn shown_codes_read_back(code in "[0-9A-HJKMNP-TV-Z]{16}", upper in any::<bool>(), sep in "[ -]?") {
            let shown = crate::recovery::display(&code);
            let typed = if upper { shown.to_uppercase() } else { shown };
            let typed = typed.replace('-', &sep);
            match parse_code(&typed).unwrap() {
                CodeInput::Recovery(c) => prop_assert_eq!(c.as_str(), code.as_str()),
                other => prop_assert!(false, "{:?}", other),
            }
        }
    }
}
