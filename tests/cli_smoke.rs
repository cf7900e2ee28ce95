mod common;
use common::TestEnv;

#[test]
fn enroll_confirm_verify_round_trip() {
    let mut env = TestEnv::new();
    let (secret, codes) = env.enable("alice@example.com");
    assert_eq!(codes.len(), 10);
    let (code, v) = env.json_stdin(&["verify", "alice@example.com"], &env.code(&secret));
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["method"], "totp");
}
