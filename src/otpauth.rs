//! Reading TOTP enrollments that another system issued: `otpauth://totp/…` URIs (the Key
//! Uri Format) and base32 secrets, for `import`.
//!
//! Only what every authenticator app honours is accepted (SECURITY.md 3): SHA1, 6 digits,
//! a 30 s period. Secrets of at least 80 bits are accepted (early Google Authenticator
//! setups used 80), and [`WEAK_SECRET_BITS`] tells the caller when to warn; a secret of one
//! byte repeated (all zeros, a placeholder) is no secret and is refused. Errors never repeat
//! a secret, a URI (which holds one) or any part of one that could be a secret (a label, a
//! parameter): they say what is wrong and how long it was. Everything here is pure.

use std::sync::LazyLock;

use anyhow::Result;
use percent_encoding::percent_decode_str;
use zeroize::{Zeroize, Zeroizing};

use crate::exit::usage;
pub use crate::totp::MIN_SECRET_BITS;
use crate::totp::{DIGITS, STEP};

/// Secrets shorter than this are accepted with a warning (RFC 4226 §4 R6 asks for 128).
pub const WEAK_SECRET_BITS: usize = 128;
/// The longest secret accepted (an HMAC-SHA1 key longer than its 64-byte block is hashed
/// first; nobody issues more).
pub const MAX_SECRET_BYTES: usize = 64;

/// What an otpauth URI holds that `import` keeps.
pub struct Enrollment {
    /// The account part of the label (`Issuer:alice@example.com` → `alice@example.com`).
    pub account: String,
    pub secret: Zeroizing<Vec<u8>>,
}

/// `text` as an error message may quote it: at most 80 characters, escaped, then `…`.
/// (The rules of [`crate::text::quote`], without its quotes.)
pub fn shown(text: &str) -> String {
    let quoted = crate::text::quote(text);
    quoted[1..quoted.len() - 1].to_string()
}

/// Base32 as authenticator apps read it: bits past the last whole byte are ignored.
static BASE32: LazyLock<data_encoding::Encoding> = LazyLock::new(|| {
    let mut spec = data_encoding::BASE32_NOPAD.specification();
    spec.check_trailing_bits = false;
    spec.encoding().expect("a valid base32 specification")
});

/// Decodes a base32 secret in any case, ignoring spaces and `=` padding; refuses one that
/// is not base32 or is shorter than [`MIN_SECRET_BITS`].
pub fn parse_secret(text: &str) -> Result<Zeroizing<Vec<u8>>> {
    let mut compact = Zeroizing::new(String::with_capacity(text.len()));
    compact.extend(
        text.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase()),
    );
    let unpadded = compact.trim_end_matches('=');
    if unpadded.is_empty() {
        return Err(usage("the secret is empty"));
    }
    if let Some(at) = unpadded
        .chars()
        .position(|c| !matches!(c, 'A'..='Z' | '2'..='7'))
    {
        return Err(usage(format!(
            "the secret is not base32: character {} of {} is not A-Z or 2-7",
            at + 1,
            unpadded.chars().count()
        )));
    }
    let secret = BASE32
        .decode(unpadded.as_bytes())
        .map(Zeroizing::new)
        .map_err(|_| {
            usage(format!(
                "the secret's length ({} base32 characters) cannot be whole bytes",
                unpadded.len()
            ))
        })?;
    let bits = secret.len() * 8;
    if bits < MIN_SECRET_BITS {
        return Err(usage(format!(
            "the secret has {bits} bits; at least {MIN_SECRET_BITS} (16 base32 characters) are needed"
        )));
    }
    if secret.len() > MAX_SECRET_BYTES {
        return Err(usage(format!(
            "the secret has {bits} bits; at most {} are accepted",
            MAX_SECRET_BYTES * 8
        )));
    }
    if secret.windows(2).all(|w| w[0] == w[1]) {
        return Err(usage(
            "the secret is one byte repeated (all zeros, or a placeholder): that is no secret; enroll the account for a new one",
        ));
    }
    Ok(secret)
}

/// A URI parameter's value as an error may show it: `value` when it is one of `known` or a
/// number of at most 4 digits (neither can be part of a secret), else only its length.
fn param_shown(value: &str, known: &[&str]) -> String {
    let value = value.trim();
    let number = !value.is_empty() && value.len() <= 4 && value.bytes().all(|b| b.is_ascii_digit());
    if number || known.iter().any(|k| k.eq_ignore_ascii_case(value)) {
        value.to_string()
    } else {
        format!("an unknown value ({} characters)", value.chars().count())
    }
}

fn unsupported(what: String) -> anyhow::Error {
    usage(format!(
        "not supported: {what}; only SHA1, {DIGITS} digits and a {STEP} s period work in every authenticator app"
    ))
}

/// Reads an `otpauth://totp/LABEL?secret=…` URI. The label is `Issuer:account` or
/// `account`; `algorithm`, `digits` and `period` may be absent (the defaults) or name the
/// defaults; other parameters (`issuer`, `image`) are ignored.
pub fn parse_uri(text: &str) -> Result<Enrollment> {
    let not_uri = || {
        usage(format!(
            "not an otpauth://totp/ URI ({} characters)",
            text.chars().count()
        ))
    };
    let url = url::Url::parse(text.trim()).map_err(|_| not_uri())?;
    let result = read_uri(&url, not_uri);
    // The parsed URI holds the secret too.
    String::from(url).zeroize();
    result
}

fn read_uri(url: &url::Url, not_uri: impl Fn() -> anyhow::Error) -> Result<Enrollment> {
    if url.scheme() != "otpauth" {
        return Err(not_uri());
    }
    match url.host_str().map(str::to_ascii_lowercase).as_deref() {
        Some("totp") => {}
        Some("hotp") => {
            return Err(unsupported(
                "HOTP (a counter instead of the time)".to_string(),
            ));
        }
        Some(_) => return Err(usage("unknown OTP type: only otpauth://totp/ is read")),
        None => return Err(not_uri()),
    }
    let label = percent_decode_str(url.path().trim_start_matches('/'))
        .decode_utf8()
        .map_err(|_| usage("the URI's label is not UTF-8"))?;
    // The issuer cannot hold a ':' (Key Uri Format), nor can an email: the account is what
    // follows the last one, without the spaces the format allows after it.
    let account = label.rsplit(':').next().unwrap_or("").trim().to_string();
    let mut secret: Option<Zeroizing<Vec<u8>>> = None;
    for (key, value) in url.query_pairs() {
        let value = Zeroizing::new(value.into_owned());
        match key.to_ascii_lowercase().as_str() {
            "secret" => {
                if secret.is_some() {
                    return Err(usage("the URI gives the secret twice"));
                }
                secret = Some(parse_secret(&value)?);
            }
            "algorithm" if !value.eq_ignore_ascii_case("SHA1") => {
                let known = ["SHA256", "SHA512", "MD5"];
                return Err(unsupported(format!(
                    "algorithm {}",
                    param_shown(&value, &known)
                )));
            }
            "digits" if value.trim() != DIGITS.to_string() => {
                return Err(unsupported(format!("{} digits", param_shown(&value, &[]))));
            }
            "period" if value.trim() != STEP.to_string() => {
                return Err(unsupported(format!(
                    "a period of {} s",
                    param_shown(&value, &[])
                )));
            }
            _ => {}
        }
    }
    let secret = secret.ok_or_else(|| usage("the URI has no secret"))?;
    if account.is_empty() {
        return Err(usage("the URI's label names no account"));
    }
    Ok(Enrollment { account, secret })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET_B32: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"; // 160 bits

    fn err(r: Result<impl Sized>) -> String {
        match r {
            Ok(_) => panic!("should fail"),
            Err(e) => format!("{e:#}"),
        }
    }

    #[test]
    fn secrets_in_any_case_with_spaces_and_padding() {
        let want = data_encoding::BASE32_NOPAD
            .decode(SECRET_B32.as_bytes())
            .unwrap();
        assert_eq!(*parse_secret(SECRET_B32).unwrap(), want);
        assert_eq!(
            *parse_secret(" jbsw y3dp ehpk 3pxp JBSW Y3DP EHPK 3PXP ").unwrap(),
            want
        );
        // 80 bits, padded as some systems write it.
        assert_eq!(parse_secret("JBSWY3DPEHPK3PXP====").unwrap().len(), 10);
        // 128 bits: 26 characters, whose last 2 bits are not a byte.
        assert_eq!(
            parse_secret("JBSWY3DPEHPK3PXPJBSWY3DPEH").unwrap().len(),
            16
        );
    }

    #[test]
    fn bad_secrets_are_refused_without_repeating_them() {
        let short = err(parse_secret("JBSWY3DPEHPK3PX")); // 75 bits -> 9 bytes
        assert!(short.contains("72 bits"), "{short}");
        assert!(!short.contains("JBSW"), "{short}");
        let bad = err(parse_secret("JBSWY3DPEHPK3PX1"));
        assert!(bad.contains("character 16 of 16"), "{bad}");
        assert!(!bad.contains("JBSW"), "{bad}");
        assert!(err(parse_secret("  ==")).contains("empty"));
        assert!(err(parse_secret("A")).contains("whole bytes"));
        assert!(err(parse_secret(&"A".repeat(104))).contains("at most 512"));
    }

    #[test]
    fn a_secret_of_one_byte_repeated_is_refused() {
        // 160 bits of zeros, of 0xff, and 80 bits of 0x55.
        for b32 in [
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "77777777777777777777777777777777",
            "KVKVKVKVKVKVKVKV",
        ] {
            let msg = err(parse_secret(b32));
            assert!(msg.contains("one byte repeated"), "{b32}: {msg}");
            assert!(!msg.contains(&b32[..8]), "{msg}");
        }
        // Two different bytes are enough to be read (weak, but the caller warns of that).
        assert_eq!(parse_secret("AAAAAAAAAAAAAAAB").unwrap().len(), 10);
    }

    #[test]
    fn uris_give_the_account_and_the_secret() {
        for (uri, account) in [
            (
                format!("otpauth://totp/Acme:alice@example.com?secret={SECRET_B32}&issuer=Acme"),
                "alice@example.com",
            ),
            (
                format!(
                    "otpauth://totp/Acme%20Co%3A%20Bob%40example.com?issuer=Acme%20Co&secret={SECRET_B32}&algorithm=sha1&digits=6&period=30"
                ),
                "Bob@example.com",
            ),
            (
                format!(
                    "otpauth://TOTP/carol@example.com?secret={}",
                    SECRET_B32.to_lowercase()
                ),
                "carol@example.com",
            ),
        ] {
            let e = parse_uri(&uri).unwrap();
            assert_eq!(e.account, account, "{uri}");
            assert_eq!(e.secret.len(), 20);
        }
    }

    #[test]
    fn what_not_every_app_honours_is_refused() {
        let base = format!("otpauth://totp/Acme:alice@example.com?secret={SECRET_B32}");
        for (extra, needle) in [
            ("&algorithm=SHA256", "algorithm SHA256"),
            ("&algorithm=SHA512", "algorithm SHA512"),
            ("&digits=8", "8 digits"),
            ("&period=60", "period of 60 s"),
            (&format!("&secret={SECRET_B32}"), "twice"),
        ] {
            let msg = err(parse_uri(&format!("{base}{extra}")));
            assert!(msg.contains(needle), "{extra}: {msg}");
            assert!(!msg.contains(SECRET_B32), "{msg}");
        }
        // A parameter that could hold a secret is never shown.
        for param in ["algorithm", "digits", "period"] {
            let msg = err(parse_uri(&format!("{base}&{param}={SECRET_B32}")));
            assert!(msg.contains("an unknown value (32 characters)"), "{msg}");
            assert!(!msg.contains(&SECRET_B32[..8]), "{msg}");
        }
        let msg = err(parse_uri(&format!(
            "otpauth://{SECRET_B32}/a@example.com?secret={SECRET_B32}"
        )));
        assert!(msg.contains("unknown OTP type"), "{msg}");
        assert!(!msg.to_uppercase().contains(&SECRET_B32[..8]), "{msg}");
        let hotp = err(parse_uri(&format!(
            "otpauth://hotp/a@example.com?secret={SECRET_B32}&counter=1"
        )));
        assert!(hotp.contains("HOTP"), "{hotp}");
        assert!(err(parse_uri("otpauth://totp/a@example.com")).contains("no secret"));
        assert!(
            err(parse_uri(&format!(
                "https://example.com/?secret={SECRET_B32}"
            )))
            .contains("not an otpauth")
        );
        assert!(err(parse_uri("not a uri at all")).contains("16 characters"));
        assert!(
            err(parse_uri(&format!("otpauth://totp/?secret={SECRET_B32}"))).contains("no account")
        );
    }

    #[test]
    fn an_80_bit_secret_gives_codes_and_is_checked() {
        let secret = parse_secret("JBSWY3DPEHPK3PXP").unwrap();
        assert_eq!(secret.len(), 10);
        let t = 1_800_000_015;
        let code = crate::totp::code_at(&secret, t).unwrap();
        assert_eq!(
            crate::totp::check(&secret, &code, t, None).unwrap(),
            crate::totp::Check::Accepted(t as u64 / 30)
        );
        // Under 80 bits nothing is computed at all.
        assert!(crate::totp::code_at(&secret[..9], t).is_err());
    }

    #[test]
    fn shown_quotes_at_most_80_characters() {
        assert_eq!(shown("abc"), "abc");
        assert_eq!(shown(&"x".repeat(100)), format!("{}…", "x".repeat(80)));
        assert_eq!(shown("a\u{1b}b"), "a\\u{1b}b");
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any text: an enrollment or an error that quotes no more than 80 characters of
        /// it; never a panic.
        #[test]
        fn any_uri_parses_or_is_refused(text in "\\PC{0,200}") {
            let uri = format!("otpauth://totp/{text}");
            match parse_uri(&uri) {
                Ok(e) => {
                    prop_assert!(!e.account.is_empty());
                    prop_assert!(e.secret.len() * 8 >= MIN_SECRET_BITS);
                }
                Err(e) => {
                    let msg = format!("{e:#}");
                    prop_assert!(msg.chars().count() < 300, "{}", msg);
                }
            }
        }

        /// Whatever the case, grouping and padding, a secret reads back as its bytes, and
        /// through the URI twofa builds for export.
        #[test]
        fn secrets_read_back(bytes in proptest::collection::vec(any::<u8>(), 10..=64), lower: bool, group: bool) {
            prop_assume!(bytes.windows(2).any(|w| w[0] != w[1]));
            let b32 = crate::totp::secret_base32(&bytes);
            let mut text = if lower { b32.to_lowercase() } else { b32.to_string() };
            if group {
                text = text
                    .as_bytes()
                    .chunks(4)
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect::<Vec<_>>()
                    .join(" ");
            }
            prop_assert_eq!(&*parse_secret(&text).unwrap(), &bytes);
            let uri = crate::totp::otpauth_uri("Acme Corp", "a+b@example.com", &b32).unwrap();
            let e = parse_uri(&uri).unwrap();
            prop_assert_eq!(e.account, "a+b@example.com");
            prop_assert_eq!(&*e.secret, &bytes);
        }
    }
}
