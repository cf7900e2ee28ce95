//! PostgreSQL's password file, as libpq reads it: `PGPASSFILE`, else `~/.pgpass`; lines of
//! `hostname:port:database:username:password`, `*` matching anything, `\:` and `\\` for a
//! literal colon and backslash, `#` starting a comment. The first matching line wins. A
//! file that its group or others can read is not used (libpq's rule), so a password is
//! never taken from a file that leaks it.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// What the connection is for, as the password file's fields name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target<'a> {
    /// The host name, or `localhost` for a Unix-domain socket (libpq's rule).
    pub host: &'a str,
    pub port: u16,
    pub database: &'a str,
    pub user: &'a str,
}

/// What looking in the password file found.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    Found(String),
    /// No file, or no matching line.
    None,
    /// The file exists but its group or others can read it: not used.
    Insecure(PathBuf),
}

/// The password file's path: `PGPASSFILE`, else `~/.pgpass`.
pub fn path() -> Option<PathBuf> {
    match std::env::var_os("PGPASSFILE") {
        Some(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ => std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(|h| Path::new(&h).join(".pgpass")),
    }
}

/// Looks `target` up in the password file at `path`.
pub fn lookup(path: &Path, target: &Target<'_>) -> Lookup {
    let Ok(meta) = fs::metadata(path) else {
        return Lookup::None;
    };
    if !meta.is_file() {
        return Lookup::None;
    }
    if meta.permissions().mode() & 0o077 != 0 {
        return Lookup::Insecure(path.to_path_buf());
    }
    match fs::read_to_string(path) {
        Ok(text) => find(&text, target).map_or(Lookup::None, Lookup::Found),
        Err(_) => Lookup::None,
    }
}

/// The password of the first line of `text` that matches `target`.
pub fn find(text: &str, target: &Target<'_>) -> Option<String> {
    let port = target.port.to_string();
    let wanted = [target.host, port.as_str(), target.database, target.user];
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(fields)
        .find(|f| {
            f.iter()
                .zip(wanted)
                .all(|(field, value)| field == "*" || field == value)
        })
        .map(|[.., password]| password)
}

/// A line's five fields, unescaped; `None` for a line with fewer. Like libpq, colons after
/// the fourth belong to the password.
fn fields(line: &str) -> Option<[String; 5]> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let mut out: Vec<String> = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    out.last_mut()?.push(next);
                }
            }
            ':' if out.len() < 5 => out.push(String::new()),
            c => out.last_mut()?.push(c),
        }
    }
    out.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP: Target<'static> = Target {
        host: "db.internal",
        port: 5432,
        database: "app",
        user: "twofa",
    };

    #[test]
    fn the_first_matching_line_wins_and_stars_match_anything() {
        let text = "# comment\n\
                    other.host:5432:app:twofa:no\n\
                    db.internal:5433:app:twofa:wrong-port\n\
                    db.internal:*:app:twofa:first\n\
                    *:*:*:*:second\n";
        assert_eq!(find(text, &APP).as_deref(), Some("first"));
        let elsewhere = Target { host: "x", ..APP };
        assert_eq!(find(text, &elsewhere).as_deref(), Some("second"));
    }

    #[test]
    fn escapes_and_colons_in_the_password() {
        let text = "db\\:internal:5432:app:twofa:a\\:b\\\\c:d\r\n";
        let host = Target {
            host: "db:internal",
            ..APP
        };
        assert_eq!(find(text, &host).as_deref(), Some("a:b\\c:d"));
    }

    #[test]
    fn short_lines_comments_and_no_match_give_nothing() {
        assert_eq!(find("db.internal:5432:app\n#*:*:*:*:x\n", &APP), None);
        assert_eq!(find("", &APP), None);
        assert_eq!(find("db.internal:5432:app:someone:x", &APP), None);
    }

    #[test]
    fn a_file_others_can_read_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pgpass");
        fs::write(&file, "*:*:*:*:secret\n").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(lookup(&file, &APP), Lookup::Insecure(file.clone()));
        fs::set_permissions(&file, fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(lookup(&file, &APP), Lookup::Found("secret".into()));
        assert_eq!(lookup(&dir.path().join("missing"), &APP), Lookup::None);
    }
}
