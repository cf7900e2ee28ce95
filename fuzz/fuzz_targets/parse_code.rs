//! Whatever a person types as a code: a TOTP code, a recovery code, or a usage error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use twofa::code::{CodeInput, normalise_recovery, parse_code};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    match parse_code(input) {
        Ok(CodeInput::Totp(code)) => {
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
        Ok(CodeInput::Recovery(code)) => {
            assert_eq!(code.len(), twofa::recovery::CODE_LEN);
            assert_eq!(normalise_recovery(&code).as_deref(), Some(code.as_str()));
        }
        Err(_) => {}
    }
});
