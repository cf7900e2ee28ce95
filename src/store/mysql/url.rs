//! A `mysql://` or `mariadb://` URL into the client's options: user, password (from the URL,
//! else `MYSQL_PWD`, as the `mysql` client reads it), host, port, database, and TLS with
//! the `mysql` client's `ssl-mode` meanings:
//!
//! | ssl-mode | encrypted | server checked |
//! |---|---|---|
//! | `disabled` | never | - |
//! | `preferred` (default) | when the server offers it | no |
//! | `required` | always, or no connection | no |
//! | `verify-ca` | always | its certificate chains to `ssl-ca` (else the web's roots) |
//! | `verify-identity` | always | that, and it is issued for the host name in the URL |

use std::path::PathBuf;
use std::time::Duration;

use ::mysql::consts::CapabilityFlags;
use ::mysql::{OptsBuilder, SslOpts};
use anyhow::Result;
use percent_encoding::percent_decode_str;

use crate::exit::database;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The session every connection starts with: bytewise-comparable utf8mb4 text; standard
/// string literals (a backslash is a character, as in `LIKE … ESCAPE '\'`) and strict
/// writes whatever the server's default `sql_mode`; a lock waited for at most 10 s (like
/// SQLite's busy timeout and PostgreSQL's `lock_timeout`).
const SESSION: &str = "SET NAMES utf8mb4, \
     SESSION sql_mode = 'STRICT_ALL_TABLES,NO_BACKSLASH_ESCAPES,NO_ENGINE_SUBSTITUTION', \
     SESSION innodb_lock_wait_timeout = 10";

/// `ssl-mode`, as the `mysql` client names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Disabled,
    Preferred,
    Required,
    VerifyCa,
    VerifyIdentity,
}

impl Mode {
    fn parse(value: &str) -> Result<Mode> {
        Ok(match value.to_ascii_lowercase().as_str() {
            "disabled" => Mode::Disabled,
            "preferred" => Mode::Preferred,
            "required" => Mode::Required,
            "verify-ca" | "verify_ca" => Mode::VerifyCa,
            "verify-identity" | "verify_identity" => Mode::VerifyIdentity,
            _ => {
                return Err(database(format!(
                    "ssl-mode '{value}' is not supported: use disabled, preferred, required, verify-ca or verify-identity"
                )));
            }
        })
    }
}

/// A parsed URL: the client's options without TLS, and the TLS wanted.
pub(super) struct Target {
    pub opts: OptsBuilder,
    pub mode: Mode,
    pub ca: Option<PathBuf>,
}

impl Target {
    /// The client's TLS options for `mode` (`None`: no TLS).
    pub fn ssl(&self, mode: Mode) -> Option<SslOpts> {
        let ssl = SslOpts::default().with_root_cert_path(self.ca.clone());
        match mode {
            Mode::Disabled => None,
            Mode::Preferred | Mode::Required => Some(
                ssl.with_danger_accept_invalid_certs(true)
                    .with_danger_skip_domain_validation(true),
            ),
            Mode::VerifyCa => Some(ssl.with_danger_skip_domain_validation(true)),
            Mode::VerifyIdentity => Some(ssl),
        }
    }
}

/// Whether `target` names a MySQL or MariaDB database.
pub fn is_url(target: &str) -> bool {
    target.starts_with("mysql://") || target.starts_with("mariadb://")
}

/// Parses `url` (`shown`: the URL without its password, for messages).
pub(super) fn parse(url: &str, shown: &str) -> Result<Target> {
    let bad = |why: &str| database(format!("cannot use {shown} as a MySQL URL: {why}"));
    let parsed = ::url::Url::parse(url).map_err(|e| bad(&e.to_string()))?;
    let decode = |s: &str| {
        percent_decode_str(s)
            .decode_utf8()
            .map(|s| s.into_owned())
            .map_err(|_| bad("it is not UTF-8 once decoded"))
    };
    let host = parsed.host_str().unwrap_or("localhost");
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let database_name = decode(parsed.path().trim_start_matches('/'))?;
    if database_name.is_empty() || database_name.contains('/') {
        return Err(bad(
            "name the database after the host: mysql://USER@HOST[:PORT]/DATABASE",
        ));
    }
    let user = match decode(parsed.username())? {
        u if u.is_empty() => whoami::username().ok(),
        u => Some(u),
    };
    let password = match parsed.password() {
        Some(p) => Some(decode(p)?),
        None => std::env::var("MYSQL_PWD").ok(),
    };
    let (mut mode, mut ca) = (Mode::Preferred, None);
    for (key, value) in parsed.query_pairs() {
        match key.as_ref() {
            "ssl-mode" | "ssl_mode" | "sslmode" => mode = Mode::parse(&value)?,
            "ssl-ca" | "ssl_ca" => ca = Some(PathBuf::from(value.as_ref())),
            other => {
                return Err(bad(&format!(
                    "the parameter '{other}' is not known (ssl-mode and ssl-ca are)"
                )));
            }
        }
    }
    if let Some(file) = &ca
        && !file.is_file()
    {
        return Err(database(format!(
            "ssl-ca {}: no such file (the CA certificates, PEM, that verify the server)",
            file.display()
        )));
    }
    let opts = OptsBuilder::new()
        .ip_or_hostname(Some(host))
        .tcp_port(parsed.port().unwrap_or(3306))
        .user(user)
        .pass(password)
        .db_name(Some(database_name))
        .prefer_socket(false)
        .tcp_connect_timeout(Some(CONNECT_TIMEOUT))
        .init(vec![SESSION])
        // An UPDATE counts the rows it matched, as on the other backends (not only those
        // whose values changed).
        .additional_capabilities(CapabilityFlags::CLIENT_FOUND_ROWS)
        .connect_attrs(Some([("program_name", "twofa")].into_iter().collect()));
    Ok(Target { opts, mode, ca })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_recognised() {
        assert!(is_url("mysql://u@h/db"));
        assert!(is_url("mariadb://h/db"));
        assert!(!is_url("postgres://h/db"));
        assert!(!is_url("/srv/mysql://x"));
    }

    #[test]
    fn the_url_gives_every_option() {
        let t = parse(
            "mariadb://app:s3cr%40t@db.example:3310/accounts?ssl-mode=verify-identity",
            "shown",
        )
        .unwrap();
        let opts = ::mysql::Opts::from(t.opts);
        assert_eq!(opts.get_user(), Some("app"));
        assert_eq!(opts.get_pass(), Some("s3cr@t"));
        assert_eq!(opts.get_ip_or_hostname(), "db.example");
        assert_eq!(opts.get_tcp_port(), 3310);
        assert_eq!(opts.get_db_name(), Some("accounts"));
        assert_eq!(t.mode, Mode::VerifyIdentity);
    }

    #[test]
    fn bad_urls_are_refused_without_the_password() {
        for url in [
            "mysql://app:hunter2@db",
            "mysql://app:hunter2@db/a?sslmode=sometimes",
            "mysql://app:hunter2@db/a?charset=latin1",
            "mysql://app:hunter2@db/a?ssl-ca=/no/such/ca.pem",
        ] {
            let e = parse(url, "mysql://app:***@db").err().unwrap().to_string();
            assert!(!e.contains("hunter2"), "{e}");
        }
    }
}
