//! The environment twofa gives the processes it starts (the hook; SECURITY.md 39): its own
//! minus the secrets it was given. Removed: `PGPASSWORD`, `PGPASSFILE`, `MYSQL_PWD`,
//! `TWOFA_KEY` and every `TWOFA_KEY_*` variable (where the master key is or comes from). `TWOFA_DB` holding a URL with a
//! password is replaced by the URL as messages show it (the password as `***`), so the
//! child still knows which database changed. Everything else (`PATH`, `HOME`, …) is kept.

use std::ffi::{OsStr, OsString};

use crate::store;

/// Variables never passed on.
const SECRETS: [&str; 3] = ["PGPASSWORD", "PGPASSFILE", "MYSQL_PWD"];

/// The environment for a child process, from twofa's own (`std::env::vars_os()`).
pub fn child_env(
    vars: impl IntoIterator<Item = (OsString, OsString)>,
) -> Vec<(OsString, OsString)> {
    vars.into_iter()
        .filter_map(|(name, value)| {
            let value = passed_on(&name, value)?;
            Some((name, value))
        })
        .collect()
}

/// The value a child gets for the variable `name`; `None` when it gets no such variable.
fn passed_on(name: &OsStr, value: OsString) -> Option<OsString> {
    let Some(name) = name.to_str() else {
        return Some(value); // not one of the names below
    };
    if SECRETS.contains(&name) || name == "TWOFA_KEY" || name.starts_with("TWOFA_KEY_") {
        return None;
    }
    if name == "TWOFA_DB" {
        // Not text, it is no URL twofa reads: pass nothing rather than guess.
        let db = value.to_str()?;
        return Some(store::display_target(db).into_owned().into());
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(OsString, OsString)> {
        pairs
            .iter()
            .map(|(n, v)| (OsString::from(n), OsString::from(v)))
            .collect()
    }

    #[test]
    fn drops_the_secrets_and_keeps_the_rest() {
        let given = env(&[
            ("PATH", "/usr/bin:/bin"),
            ("HOME", "/home/ops"),
            ("PGPASSWORD", "hunter2"),
            ("PGPASSFILE", "/home/ops/.pgpass"),
            ("MYSQL_PWD", "hunter2"),
            ("TWOFA_KEY_FILE", "/etc/twofa/key"),
            ("TWOFA_KEY_COMMAND", "vault read -field=key twofa"),
            ("TWOFA_KEY", "x"),
            ("TWOFA_HOOK", "logger"),
            ("TWOFA_DB", "postgres://app:hunter2@db/app?sslmode=require"),
            ("PGUSER", "app"),
            ("pgpassword", "lower case is another variable"),
        ]);
        assert_eq!(
            child_env(given),
            env(&[
                ("PATH", "/usr/bin:/bin"),
                ("HOME", "/home/ops"),
                ("TWOFA_HOOK", "logger"),
                ("TWOFA_DB", "postgres://app:***@db/app?sslmode=require"),
                ("PGUSER", "app"),
                ("pgpassword", "lower case is another variable"),
            ])
        );
    }

    #[test]
    fn a_database_without_a_password_passes_unchanged() {
        for db in [
            "/var/lib/app/app.db",
            "postgres://app@db/app",
            "postgres://db/app?sslmode=require",
        ] {
            assert_eq!(
                child_env(env(&[("TWOFA_DB", db)])),
                env(&[("TWOFA_DB", db)])
            );
        }
        assert_eq!(
            child_env(env(&[("TWOFA_DB", "postgresql://db/app?password=x")]))[0].1,
            OsString::from("postgresql://db/app?password=***")
        );
    }
}
