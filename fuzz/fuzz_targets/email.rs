//! Email and organisation normalisation: a normal form that is stable, or an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use twofa::model::{normalise_email, normalise_org};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    if let Ok(email) = normalise_email(input) {
        assert_eq!(normalise_email(&email).unwrap(), email);
        assert!(!email.contains(':'));
    }
    if let Ok(org) = normalise_org(input) {
        assert_eq!(normalise_org(&org).unwrap(), org);
    }
});
