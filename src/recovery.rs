//! Recovery codes (look-up secrets): generation, Argon2id hashing, and the look-up prefix
//! that lets a redeem attempt cost exactly one Argon2 evaluation.
//!
//! A code is 16 Crockford base32 characters (80 bits from the CSPRNG), shown as
//! `xxxx-xxxx-xxxx-xxxx`. The first [`LOOKUP_LEN`] characters are stored in the clear as a
//! non-secret look-up key (15 bits); the whole code is stored only as an Argon2id PHC string,
//! so 65 bits stay behind the hash. Within a set the look-up prefixes are distinct, so a
//! candidate is found without hashing against all ten.

use anyhow::{Result, anyhow};
use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use zeroize::Zeroizing;

/// How many codes a set holds.
pub const SET_SIZE: usize = 10;
/// Characters in a code.
pub const CODE_LEN: usize = 16;
/// Characters of the code kept in the clear as the look-up key.
pub const LOOKUP_LEN: usize = 3;
/// Warn when this many or fewer are left.
pub const LOW_WATER: u32 = 2;

/// Crockford base32: the symbols of a code.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters of a temporary access code: 15 Crockford base32 characters, 75 bits (and a
/// length no recovery code has, so a typed code says which it is).
pub const ACCESS_LEN: usize = 15;

/// A fresh temporary access code in normal form (upper case, no dashes).
pub fn generate_access_code() -> Result<Zeroizing<String>> {
    let mut code = random_code()?;
    code.truncate(ACCESS_LEN);
    Ok(code)
}

/// `xxxxx-xxxxx-xxxxx`, lower case, for showing and reading out.
pub fn display_access(code: &str) -> String {
    code.to_ascii_lowercase()
        .as_bytes()
        .chunks(5)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// Argon2id at OWASP's minimum for Argon2id: m = 19 MiB, t = 2, p = 1.
pub fn params() -> Params {
    Params::new(19 * 1024, 2, 1, None).expect("constant Argon2 parameters are valid")
}

/// A recovery code in its normal form, with its look-up prefix and hash.
pub struct HashedCode {
    pub lookup: String,
    pub hash: String,
}

/// `xxxx-xxxx-xxxx-xxxx`, lower case, for showing.
pub fn display(code: &str) -> String {
    crate::output::group_by_four(&code.to_ascii_lowercase()).replace(' ', "-")
}

/// The non-secret look-up key of a normalised code.
pub fn lookup(code: &str) -> &str {
    &code[..LOOKUP_LEN]
}

fn random_code() -> Result<Zeroizing<String>> {
    let mut bytes = Zeroizing::new([0u8; CODE_LEN]);
    getrandom::fill(bytes.as_mut()).map_err(|e| anyhow!("the OS random source failed: {e}"))?;
    // 16 symbols of 5 bits each from 16 random bytes: the low 5 bits of each byte are
    // uniform, so every symbol is uniform over the 32-letter alphabet.
    Ok(Zeroizing::new(
        bytes
            .iter()
            .map(|b| ALPHABET[(b & 0x1f) as usize] as char)
            .collect(),
    ))
}

/// Ten fresh codes in normal form, with distinct look-up prefixes.
pub fn generate_set() -> Result<Vec<Zeroizing<String>>> {
    let mut codes: Vec<Zeroizing<String>> = Vec::with_capacity(SET_SIZE);
    while codes.len() < SET_SIZE {
        let code = random_code()?;
        if codes.iter().all(|c| lookup(c) != lookup(&code)) {
            codes.push(code);
        }
    }
    Ok(codes)
}

fn hasher(params: Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The Argon2id PHC string of a code, with a fresh random salt.
pub fn hash(code: &str, params: Params) -> Result<String> {
    Ok(hasher(params)
        .hash_password(code.as_bytes())
        .map_err(|e| anyhow!("Argon2 hashing failed: {e}"))?
        .to_string())
}

/// Hashes a whole set, spread over the available cores (each hash is independent).
pub fn hash_set(codes: &[Zeroizing<String>], params: Params) -> Result<Vec<HashedCode>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(codes.len().max(1));
    let chunk = codes.len().div_ceil(threads).max(1);
    let results: Vec<Result<Vec<HashedCode>>> = std::thread::scope(|s| {
        let handles: Vec<_> = codes
            .chunks(chunk)
            .map(|part| {
                let params = params.clone();
                s.spawn(move || {
                    part.iter()
                        .map(|c| {
                            Ok(HashedCode {
                                lookup: lookup(c).to_string(),
                                hash: hash(c, params.clone())?,
                            })
                        })
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow!("a hashing thread panicked")))
            })
            .collect()
    });
    let mut out = Vec::with_capacity(codes.len());
    for r in results {
        out.extend(r?);
    }
    Ok(out)
}

/// Whether `code` matches the PHC string (constant-time comparison inside argon2).
pub fn verify(code: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => hasher(params())
            .verify_password(code.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// One Argon2 evaluation that matches nothing, so a guess whose prefix finds no candidate
/// costs the same time as one that does.
pub fn burn(code: &str) {
    let _ = hash(code, params());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_have_ten_distinct_codes_with_distinct_prefixes() {
        let set = generate_set().unwrap();
        assert_eq!(set.len(), SET_SIZE);
        for (i, a) in set.iter().enumerate() {
            assert_eq!(a.len(), CODE_LEN);
            assert!(a.bytes().all(|b| ALPHABET.contains(&b)), "{}", a.as_str());
            for b in &set[i + 1..] {
                assert_ne!(lookup(a), lookup(b));
            }
        }
    }

    #[test]
    fn codes_show_in_groups_of_four() {
        assert_eq!(display("ABCDEFGHJKMNPQRS"), "abcd-efgh-jkmn-pqrs");
    }

    #[test]
    fn hashes_verify_and_use_owasp_parameters() {
        let code = "ABCDEFGHJKMNPQRS";
        let phc = hash(code, params()).unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify(code, &phc));
        assert!(!verify("ABCDEFGHJKMNPQRT", &phc));
        assert!(!verify(code, "not a phc string"));
        assert_ne!(phc, hash(code, params()).unwrap(), "salts are random");
    }
}
