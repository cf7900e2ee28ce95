//! The otpauth URI: built for any issuer and account, or refused; never a ':' inside a part.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: (&str, &str)| {
    let (issuer, account) = data;
    if let Ok(uri) = twofa::totp::otpauth_uri(issuer, account, "JBSWY3DPEHPK3PXP") {
        assert!(!issuer.contains(':') && !account.contains(':'));
        assert!(uri.starts_with("otpauth://totp/"));
        assert!(uri.is_ascii(), "percent-encoded");
        assert_eq!(uri.matches(':').count(), 2, "scheme and label separator only");
        assert!(!uri.contains(' ') && !uri[15..].contains('+'));
    }
});
