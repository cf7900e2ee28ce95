//! Reading what a person typed as a code: six digits are a TOTP code, sixteen Crockford
//! base32 characters (any case, look-alikes read as digits) a recovery code. Spaces and
//! dashes are ignored; anything else is a usage error (exit 2).

use anyhow::Result;

use crate::exit::usage;
use crate::recovery::{ALPHABET, CODE_LEN};
use crate::totp::DIGITS;

/// What a person typed as a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeInput {
    /// Six digits.
    Totp(String),
    /// A recovery code, normalised (16 upper-case Crockford base32 characters).
    Recovery(String),
}

/// Reads a code, ignoring spaces and dashes: six digits are a TOTP code; anything that
/// normalises to a recovery code is one; everything else is a usage error (exit 2).
pub fn parse_code(input: &str) -> Result<CodeInput> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if compact.len() == DIGITS && compact.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(CodeInput::Totp(compact));
    }
    if let Some(code) = normalise_recovery(&compact) {
        return Ok(CodeInput::Recovery(code));
    }
    let shown: String = input.chars().take(40).collect();
    Err(usage(format!(
        "'{}' is not a 6-digit code or a recovery code (xxxx-xxxx-xxxx-xxxx)",
        shown.escape_debug()
    )))
}

/// Normalises a typed recovery code (any case, dashes and spaces already removed) to the
/// canonical 16 upper-case characters, reading Crockford's look-alikes (O→0, I/L→1).
/// `None` when it cannot be a recovery code.
pub fn normalise_recovery(compact: &str) -> Option<String> {
    if compact.chars().count() != CODE_LEN {
        return None;
    }
    compact
        .chars()
        .map(|c| match c.to_ascii_uppercase() {
            'O' => Some('0'),
            'I' | 'L' => Some('1'),
            u if u.is_ascii() && ALPHABET.contains(&(u as u8)) => Some(u),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_with_spaces_and_dashes() {
        assert_eq!(
            parse_code("123 456").unwrap(),
            CodeInput::Totp("123456".into())
        );
        assert_eq!(
            parse_code(" 123-456\n").unwrap(),
            CodeInput::Totp("123456".into())
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
    fn normalises_case_and_look_alikes() {
        assert_eq!(
            normalise_recovery("abcdefghjkmnpqrs").as_deref(),
            Some("ABCDEFGHJKMNPQRS")
        );
        assert_eq!(
            normalise_recovery("oOiIlL0000000000").as_deref(),
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
            prop_assert_eq!(parse_code(&input).unwrap(), CodeInput::Totp(digits));
        }

        /// A shown code, in any case, with or without dashes and spaces, reads back.
        #[test]
        fn shown_codes_read_back(code in "[0-9A-HJKMNP-TV-Z]{16}", upper in any::<bool>(), sep in "[ -]?") {
            let shown = crate::recovery::display(&code);
            let typed = if upper { shown.to_uppercase() } else { shown };
            let typed = typed.replace('-', &sep);
            match parse_code(&typed).unwrap() {
                CodeInput::Recovery(c) => prop_assert_eq!(c, code),
                other => prop_assert!(false, "{:?}", other),
            }
        }
    }
}
