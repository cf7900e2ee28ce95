//! TOTP per RFC 6238 around totp-rs: the secret, the ±1 step window, replay by step,
//! the otpauth URI (Key Uri Format). Reading what a person typed is in `code`.
//!
//! Everything here is pure: time comes in as an argument.

use anyhow::{Result, bail};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use totp_rs::{Algorithm, Builder, Totp};
use zeroize::Zeroizing;

use crate::clock::Timestamp;
use crate::exit::usage;

/// 160-bit secrets (RFC 4226 §4 R6).
pub const SECRET_LEN: usize = 20;
/// The shortest secret used at all: 80 bits, what early Google Authenticator setups issued
/// (imported ones only; twofa's own are [`SECRET_LEN`]).
pub const MIN_SECRET_BITS: usize = 80;
/// 30-second steps, 6 digits, SHA-1: the one combination every authenticator honours.
pub const STEP: u64 = 30;
pub const DIGITS: usize = 6;

/// A fresh secret from the OS CSPRNG.
pub fn generate_secret() -> Result<Zeroizing<Vec<u8>>> {
    let mut secret = Zeroizing::new(vec![0u8; SECRET_LEN]);
    getrandom::fill(&mut secret)
        .map_err(|e| anyhow::anyhow!("the OS random source failed: {e}"))?;
    Ok(secret)
}

/// Base32 (RFC 4648), upper case, no padding: what authenticator apps accept.
pub fn secret_base32(secret: &[u8]) -> Zeroizing<String> {
    Zeroizing::new(data_encoding::BASE32_NOPAD.encode(secret))
}

fn totp(secret: &[u8]) -> Result<Totp> {
    totp_with_skew(secret, 1)
}

fn totp_with_skew(secret: &[u8], skew: u16) -> Result<Totp> {
    let builder = Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(DIGITS as u8)
        .with_skew(skew)
        .with_step_duration(STEP)
        .with_secret(secret.to_vec());
    // totp-rs refuses secrets under 128 bits; `import` accepts older 80-bit ones (the
    // other parameters are this module's constants, which `build` accepts).
    if (MIN_SECRET_BITS..128).contains(&(secret.len() * 8)) {
        return Ok(builder.build_noncompliant());
    }
    builder
        .build()
        .map_err(|e| anyhow::anyhow!("cannot use this TOTP secret: {e}"))
}

/// The time step that contains `now`.
pub fn step_of(now: Timestamp) -> u64 {
    now.max(0) as u64 / STEP
}

/// The code for `now` (used by tests and by nothing that talks to users).
pub fn code_at(secret: &[u8], now: Timestamp) -> Result<String> {
    Ok(totp(secret)?.generate(now.max(0) as u64).to_string())
}

/// The outcome of checking a TOTP code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// The code matched this step, which is newer than any accepted before.
    Accepted(u64),
    /// The code matched a step at or before the last accepted one (RFC 6238 §5.2).
    Reused,
    /// No step in the window matched.
    Wrong,
}

/// Checks `code` (exactly six digits) against the current step ±1; `last_step` is the step
/// of the last accepted code. Token comparison in totp-rs is constant time.
pub fn check(secret: &[u8], code: &str, now: Timestamp, last_step: Option<u64>) -> Result<Check> {
    let matched = totp(secret)?.check(code, now.max(0) as u64);
    Ok(match matched {
        None => Check::Wrong,
        Some(step) if last_step.is_some_and(|last| step <= last) => Check::Reused,
        Some(step) => Check::Accepted(step),
    })
}

/// [`check`] with the window centred on the device's drift (`resync`): the step
/// `drift_steps` away from now's, ±1. Only the centre moves (SECURITY.md 27): the window
/// stays three steps, and replay is judged by the step that matched, as ever.
pub fn check_drifted(
    secret: &[u8],
    code: &str,
    now: Timestamp,
    drift_steps: i64,
    last_step: Option<u64>,
) -> Result<Check> {
    let centre = now.saturating_add(drift_steps.saturating_mul(STEP as i64));
    check(secret, code, centre, last_step)
}

/// Whether `code` is the code of time step `step` exactly (constant-time comparison).
pub fn matches_step(secret: &[u8], code: &str, step: u64) -> Result<bool> {
    let at = step.saturating_mul(STEP);
    Ok(totp_with_skew(secret, 0)?.check(code, at) == Some(step))
}

/// Characters kept as they are in the URI: RFC 3986 unreserved, plus `@` (allowed in a
/// path segment and in a query, and what every Key Uri Format example shows).
const URI_KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// Refuses what cannot go into an otpauth label: a `:` (the issuer separator), control
/// characters, or nothing at all.
pub fn validate_label_part(what: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        bail!(usage(format!("the {what} must not be empty")));
    }
    if value.contains(':') {
        bail!(usage(format!(
            "the {what} {} contains ':', which authenticator apps read as the issuer separator; choose one without ':'",
            crate::text::quote(value)
        )));
    }
    if value
        .chars()
        .any(|c| c.is_control() || crate::text::is_format(c))
    {
        bail!(usage(format!(
            "the {what} {} contains control or invisible format characters",
            crate::text::quote(value)
        )));
    }
    Ok(())
}

/// `otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…` (Key Uri Format), percent-encoded
/// per RFC 3986.
pub fn otpauth_uri(issuer: &str, account: &str, secret_b32: &str) -> Result<Zeroizing<String>> {
    validate_label_part("issuer", issuer)?;
    validate_label_part("account", account)?;
    let issuer_enc = utf8_percent_encode(issuer, URI_KEEP).to_string();
    let account_enc = utf8_percent_encode(account, URI_KEEP);
    Ok(Zeroizing::new(format!(
        "otpauth://totp/{issuer_enc}:{account_enc}?secret={secret_b32}&issuer={issuer_enc}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rfc_totp(alg: Algorithm, seed: &[u8]) -> Totp {
        Builder::new()
            .with_algorithm(alg)
            .with_digits(8)
            .with_secret(seed.to_vec())
            .build()
            .unwrap()
    }

    /// RFC 6238 Appendix B: all 18 vectors.
    #[test]
    fn rfc6238_appendix_b() {
        let sha1 = b"12345678901234567890".to_vec();
        let sha256 = b"12345678901234567890123456789012".to_vec();
        let sha512 = b"1234567890"
            .repeat(6)
            .into_iter()
            .chain(*b"1234")
            .collect::<Vec<u8>>();
        assert_eq!(sha512.len(), 64);
        let vectors: [(u64, &str, &str, &str); 6] = [
            (59, "94287082", "46119246", "90693936"),
            (1111111109, "07081804", "68084774", "25091201"),
            (1111111111, "14050471", "67062674", "99943326"),
            (1234567890, "89005924", "91819424", "93441116"),
            (2000000000, "69279037", "90698825", "38618901"),
            (20000000000, "65353130", "77737706", "47863826"),
        ];
        let (a, b, c) = (
            rfc_totp(Algorithm::SHA1, &sha1),
            rfc_totp(Algorithm::SHA256, &sha256),
            rfc_totp(Algorithm::SHA512, &sha512),
        );
        for (t, e1, e256, e512) in vectors {
            assert_eq!(a.generate(t).to_string(), e1, "SHA1 at {t}");
            assert_eq!(b.generate(t).to_string(), e256, "SHA256 at {t}");
            assert_eq!(c.generate(t).to_string(), e512, "SHA512 at {t}");
        }
    }

    /// RFC 4226 Appendix D: HOTP values for counters 0..9 (a 1-second step makes the
    /// counter equal the time).
    #[test]
    fn rfc4226_appendix_d() {
        let hotp = Builder::new()
            .with_digits(6)
            .with_step_duration(1)
            .with_secret(b"12345678901234567890".to_vec())
            .build()
            .unwrap();
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489",
        ];
        for (counter, want) in expected.iter().enumerate() {
            assert_eq!(&hotp.generate(counter as u64).to_string(), want);
        }
    }

    #[test]
    fn window_is_one_step_each_way_and_replay_is_refused() {
        let secret = [7u8; 20];
        let now = 1_800_000_015;
        let step = step_of(now);
        for (offset, ok) in [
            (-60i64, false),
            (-30, true),
            (0, true),
            (30, true),
            (60, false),
        ] {
            let code = code_at(&secret, now + offset).unwrap();
            let got = check(&secret, &code, now, None).unwrap();
            if ok {
                assert_eq!(got, Check::Accepted((step as i64 + offset / 30) as u64));
            } else {
                assert_eq!(got, Check::Wrong, "offset {offset}");
            }
        }
        let code = code_at(&secret, now).unwrap();
        assert_eq!(
            check(&secret, &code, now, Some(step)).unwrap(),
            Check::Reused
        );
        assert_eq!(
            check(&secret, &code, now, Some(step + 1)).unwrap(),
            Check::Reused
        );
        assert_eq!(
            check(&secret, &code, now, Some(step - 1)).unwrap(),
            Check::Accepted(step)
        );
    }

    #[test]
    fn drift_moves_the_window_and_never_widens_it() {
        let secret = [9u8; 20];
        let now = 1_800_000_015;
        let step = step_of(now);
        let behind = |steps: i64| code_at(&secret, now - steps * 30).unwrap();
        assert_eq!(
            check(&secret, &behind(10), now, None).unwrap(),
            Check::Wrong
        );
        for (offset, ok) in [(9, true), (10, true), (11, true), (8, false), (12, false)] {
            let got = check_drifted(&secret, &behind(offset), now, -10, None).unwrap();
            if ok {
                assert_eq!(got, Check::Accepted(step - offset as u64), "{offset}");
            } else {
                assert_eq!(got, Check::Wrong, "{offset}");
            }
        }
        let last = Some(step - 10);
        assert_eq!(
            check_drifted(&secret, &behind(10), now, -10, last).unwrap(),
            Check::Reused
        );
        assert!(matches_step(&secret, &behind(3), step - 3).unwrap());
        assert!(!matches_step(&secret, &behind(3), step - 2).unwrap());
    }

    #[test]
    fn steps_past_2038_work() {
        let secret = [1u8; 20];
        let t = 20_000_000_000; // year 2603
        let code = code_at(&secret, t).unwrap();
        assert_eq!(
            check(&secret, &code, t, None).unwrap(),
            Check::Accepted(t as u64 / 30)
        );
    }

    #[test]
    fn uri_follows_key_uri_format() {
        let uri = otpauth_uri("Acme Co", "a+b@example.com", "JBSWY3DPEHPK3PXP").unwrap();
        assert_eq!(
            uri.as_str(),
            "otpauth://totp/Acme%20Co:a%2Bb@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20Co"
        );
        let uri = otpauth_uri("twofa", "zoë@example.com", "AAAA").unwrap();
        assert!(uri.contains("zo%C3%AB@example.com"));
        assert!(otpauth_uri("a:b", "x@example.com", "AAAA").is_err());
        assert!(otpauth_uri("twofa", "x:y@example.com", "AAAA").is_err());
    }

    #[test]
    fn secret_is_160_bits_and_base32() {
        let s = generate_secret().unwrap();
        assert_eq!(s.len(), 20);
        let b32 = secret_base32(&s);
        assert_eq!(b32.len(), 32);
        assert!(
            b32.bytes()
                .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
        );
        assert_ne!(*s, *generate_secret().unwrap());
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The URI round-trips through a real URI parser: label and issuer decode to what
        /// went in, the secret is intact; a ':' anywhere is refused.
        #[test]
        fn uri_round_trips(issuer in "[^:\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]{1,30}", local in "[^:@\\p{Cc}\\p{Cf}\\s]{1,20}", domain in "[a-z0-9]{1,10}\\.[a-z]{2,5}") {
            let account = format!("{local}@{domain}");
            let uri = otpauth_uri(&issuer, &account, "JBSWY3DPEHPK3PXP").unwrap();
            let parsed = url::Url::parse(&uri).unwrap();
            prop_assert_eq!(parsed.scheme(), "otpauth");
            prop_assert_eq!(parsed.host_str(), Some("totp"));
            let label = percent_encoding::percent_decode_str(&parsed.path()[1..]).decode_utf8().unwrap();
            prop_assert_eq!(label.as_ref(), format!("{issuer}:{account}"));
            let query: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
            prop_assert_eq!(&query[0], &("secret".to_string(), "JBSWY3DPEHPK3PXP".to_string()));
            prop_assert_eq!(&query[1], &("issuer".to_string(), issuer.clone()));
            let with_colon = format!("{issuer}:x");
            prop_assert!(otpauth_uri(&with_colon, &account, "AAAA").is_err());
        }
    }
}
