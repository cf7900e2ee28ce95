//! The event log's action names, in one list: each follows the command that writes it
//! (`user.remove` for `user remove`), with the outcome after a dot (`verify.rejected`).
//! `account.*` are what another command did to an account (a lockout, a re-created user);
//! `policy.*` are the organisation policy's (`org policy`, and the reminders of `remind`).
//!
//! Names of earlier versions stay readable: `log --action` takes them, and a filter by a new
//! name also finds the events stored under its old one ([`matching`]).

/// Every action twofa writes, with what it records (`log --action` lists them).
pub const ACTIONS: &[(&str, &str)] = &[
    ("access-code", "a temporary access code issued"),
    ("access-code.revoke", "a live access code cancelled"),
    ("account.locked", "too many failed codes locked the account"),
    (
        "account.reused",
        "user sync: the application re-created the user; 2FA revoked",
    ),
    (
        "confirm",
        "an enrollment confirmed: a device enabled (recovery codes issued with the first)",
    ),
    ("confirm.locked", "confirm refused: the account is locked"),
    ("confirm.rejected", "confirm with a wrong code"),
    ("device.remove", "one of an account's devices removed"),
    ("device.rename", "one of an account's devices renamed"),
    ("diagnose", "a support diagnosis (never the code)"),
    (
        "diagnose.refused",
        "diagnose refused: 10 codes evaluated for the account in the last hour",
    ),
    ("disable", "2FA turned off"),
    (
        "disable.refused",
        "disable refused: the organisation requires 2FA",
    ),
    ("enroll", "an enrollment started (pending until confirmed)"),
    ("export", "a secret exported"),
    ("import", "a secret imported from another system"),
    ("log.prune", "old events archived and deleted"),
    ("org.add", "an organisation added"),
    (
        "policy.approvals",
        "the approvals a reset, access code, exemption or relaxation needs changed",
    ),
    ("policy.optional", "2FA made optional"),
    ("policy.reminder", "remind: a deadline reminder sent"),
    (
        "policy.require",
        "2FA made mandatory, or its grace period changed",
    ),
    ("recovery.regenerate", "a new set of recovery codes"),
    ("rekey", "the secrets re-encrypted under a new key"),
    (
        "request.approved",
        "a request approved (the last approval runs its action)",
    ),
    (
        "request.created",
        "an action that needs approval filed as a request",
    ),
    ("request.denied", "a request denied: its action never runs"),
    ("request.expired", "a request not approved within 24 hours"),
    (
        "reset",
        "a support reset: secret and recovery codes removed, lockout cleared",
    ),
    ("resync", "a phone's clock drift stored"),
    ("resync.failed", "resync found no two consecutive codes"),
    ("unlock", "a lockout cleared"),
    (
        "user.add",
        "an account added (also by enroll --create, import, user sync)",
    ),
    (
        "user.exempt",
        "an account exempted from its organisation's requirement",
    ),
    ("user.exempt.clear", "an exemption ended"),
    ("user.import", "user import: how many accounts from where"),
    ("user.move", "an account moved to another organisation"),
    (
        "user.protect",
        "an account protected: its resets and access codes need approval",
    ),
    ("user.protect.clear", "an account's protection ended"),
    (
        "user.remove",
        "an account removed (also by user sync --prune)",
    ),
    ("user.rename", "an account's email changed"),
    (
        "user.sync",
        "user sync changed an account's organisation, name or external id",
    ),
    ("verify.accepted", "a TOTP code accepted"),
    (
        "verify.access_code",
        "a temporary access code accepted (and used up)",
    ),
    ("verify.locked", "verify refused: the account is locked"),
    ("verify.recovery", "a recovery code accepted (and spent)"),
    ("verify.rejected", "a wrong code"),
    ("verify.reused", "a code used before: refused, not counted"),
];

/// Names of earlier versions, and the name each has now.
pub const RENAMED: &[(&str, &str)] = &[
    ("access_code.issued", "access-code"),
    ("access_code.used", "verify.access_code"),
    ("log.pruned", "log.prune"),
    ("recovery.used", "verify.recovery"),
    ("user.exempt_cleared", "user.exempt.clear"),
    ("user.removed", "user.remove"),
    ("user.update", "user.sync"),
];

/// An action's name now: itself, or what an old name became.
pub fn current(action: &str) -> &str {
    RENAMED
        .iter()
        .find(|(old, _)| *old == action)
        .map_or(action, |(_, new)| new)
}

/// Whether `action` is `filter` or one of its family (`verify` → `verify.rejected`).
fn in_family(action: &str, filter: &str) -> bool {
    action
        .strip_prefix(filter)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// The stored action names a `log --action FILTER` finds: the actions that are `filter` or
/// of its family, among today's names and the old ones (each counting as what it became),
/// and the old names of each; `None` when `filter` names no action and no family.
pub fn matching(filter: &str) -> Option<Vec<String>> {
    let mut now: Vec<&str> = ACTIONS
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| in_family(name, filter))
        .collect();
    now.extend(
        RENAMED
            .iter()
            .filter(|(old, _)| in_family(old, filter))
            .map(|(_, new)| *new),
    );
    if now.is_empty() {
        return None;
    }
    let mut names: Vec<String> = now.iter().map(|n| n.to_string()).collect();
    names.extend(
        RENAMED
            .iter()
            .filter(|(_, new)| now.contains(new))
            .map(|(old, _)| old.to_string()),
    );
    names.sort();
    names.dedup();
    Some(names)
}

/// The families `log --action` takes besides the names: every name's leading part.
pub fn families() -> Vec<&'static str> {
    let mut out: Vec<&str> = ACTIONS
        .iter()
        .filter_map(|(name, _)| name.split_once('.').map(|(family, _)| family))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_old_name_became_a_listed_one_and_no_name_is_both() {
        for (old, new) in RENAMED {
            assert!(ACTIONS.iter().any(|(n, _)| n == new), "{old} → {new}");
            assert!(
                !ACTIONS.iter().any(|(n, _)| n == old),
                "{old} is still listed"
            );
        }
        let mut names: Vec<&str> = ACTIONS.iter().map(|(n, _)| *n).collect();
        let listed = names.clone();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names, listed, "sorted, each once");
    }

    #[test]
    fn a_filter_finds_the_new_name_and_the_old_one() {
        assert_eq!(
            matching("user.remove").unwrap(),
            ["user.remove", "user.removed"]
        );
        assert_eq!(
            matching("user.removed").unwrap(),
            ["user.remove", "user.removed"],
            "an old name finds the new one too"
        );
        let verify = matching("verify").unwrap();
        for name in [
            "verify.accepted",
            "verify.rejected",
            "verify.recovery",
            "recovery.used",
            "access_code.used",
        ] {
            assert!(verify.iter().any(|n| n == name), "{name} in {verify:?}");
        }
        let exempt = matching("user.exempt").unwrap();
        assert_eq!(
            exempt,
            ["user.exempt", "user.exempt.clear", "user.exempt_cleared"]
        );
        assert_eq!(matching("reset").unwrap(), ["reset"]);
        assert_eq!(
            matching("recovery").unwrap(),
            ["recovery.regenerate", "recovery.used", "verify.recovery"]
        );
        for unknown in ["user.removes", "verif", "users", "nothing"] {
            assert_eq!(matching(unknown), None, "{unknown}");
        }
        assert_eq!(current("log.pruned"), "log.prune");
        assert_eq!(current("reset"), "reset");
        assert!(families().contains(&"verify") && families().contains(&"user"));
    }

    /// Every action the code writes is in the list: a literal at `event("…"`, `action: "…"`,
    /// `Event::new(…, "…")` or `record_failure(…, "…"`, outside test code.
    #[test]
    fn every_action_written_is_listed() {
        fn literals(dir: &std::path::Path, found: &mut Vec<(String, String)>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    literals(&path, found);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap();
                for marker in ["event(", "action: ", "Event::new(", "record_failure("] {
                    for (at, _) in code.match_indices(marker) {
                        // The first string literal before the call or the field ends.
                        let rest = &code[at + marker.len()..];
                        let end = rest.find([')', ',', '\n']).unwrap_or(rest.len());
                        let end = if marker == "action: " {
                            end
                        } else {
                            rest.find(')').unwrap_or(rest.len())
                        };
                        if let Some(open) = rest[..end].find('"') {
                            let lit = &rest[open + 1..];
                            let lit = &lit[..lit.find('"').unwrap()];
                            found.push((path.display().to_string(), lit.to_string()));
                        }
                    }
                }
            }
        }
        let mut found = Vec::new();
        literals(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut found,
        );
        assert!(found.len() > 30, "{found:?}");
        for (file, name) in &found {
            assert!(
                ACTIONS.iter().any(|(n, _)| n == name),
                "{file} writes the action {name:?}, which src/actions.rs does not list"
            );
        }
    }
}
