mod common;
use common::{TestEnv, assert_accepted};

#[test]
fn enroll_confirm_verify_round_trip() {
    let mut env = TestEnv::new();
    let (secret, codes) = env.enable("alice@example.com");
    assert_eq!(codes.len(), 10);
    let answer = env
        .twofa(&["verify", "alice@example.com"])
        .stdin(env.code(&secret))
        .json();
    assert_accepted(&answer, "totp");
}
