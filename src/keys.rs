//! The master key of a database: where it comes from ([`KeySource`]: a key file, systemd's
//! credential, or a key command), loading it once per run ([`Master`]), creating and
//! claiming a key for a database that has none, and the keyring while a rotation (`rekey`)
//! runs, whose state is kept in `twofa_meta` under [`REKEY_TO`]: the new key's id, never
//! where the key is.
//!
//! Key files and key commands are named only by the command line, the environment or the
//! default (SECURITY.md 31): someone who can write the database but not read the key must
//! not be able to make twofa seal secrets with a key of their choosing, or run a program.

use std::cell::OnceCell;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Result;

use crate::crypto::{KeyId, Keyring, MasterKey, Rotation, key_id_hex};
use crate::exit::{database, usage};
use crate::keycmd;
use crate::store::{self, Store, Tx};

/// The name of twofa's key in systemd's credentials directory (`LoadCredential=twofa.key:…`).
pub const CREDENTIAL: &str = "twofa.key";

/// Where the master key comes from (CLI.md, "Keys"); the first match wins:
/// `--key-file`/`TWOFA_KEY_FILE` or `--key-command`/`TWOFA_KEY_COMMAND` (never both),
/// else `$CREDENTIALS_DIRECTORY/twofa.key` when systemd set that directory and the file
/// is there, else the key file beside the database ([`default_file`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// A key file: named, or the default.
    File(PathBuf),
    /// The key file systemd's `LoadCredential=`/`LoadCredentialEncrypted=` put in the
    /// service's credentials directory.
    Credential(PathBuf),
    /// A program that prints the key; `given` names where it was set (`--key-command`,
    /// `TWOFA_KEY_COMMAND`), as messages show it (the command itself may hold a token).
    Command {
        command: String,
        given: &'static str,
    },
}

/// An option's value and where it was given: the option (`--key-file`) or its variable.
pub type Given<T> = (T, &'static str);

impl KeySource {
    /// The source for this run: `file` and `command` from the command line or the
    /// environment, `credentials` the value of `$CREDENTIALS_DIRECTORY`. Both a key file
    /// and a key command given: exit 2 naming both.
    pub fn resolve(
        file: Option<Given<PathBuf>>,
        command: Option<Given<String>>,
        credentials: Option<OsString>,
        db: &str,
    ) -> Result<Self> {
        match (file, command) {
            (Some((path, file_given)), Some((_, command_given))) => Err(usage(format!(
                "the key comes from one place only, but both a key file ({file_given} {}) and a key command ({command_given}) are given: drop one of them",
                path.display()
            ))),
            (Some((path, _)), None) => Ok(KeySource::File(path)),
            (None, Some((command, given))) if command.trim().is_empty() => Err(usage(format!(
                "{given} is empty: give the command that prints the key"
            ))),
            (None, Some((command, given))) => Ok(KeySource::Command { command, given }),
            (None, None) => Ok(credentials
                .filter(|dir| !dir.is_empty())
                .map(|dir| PathBuf::from(dir).join(CREDENTIAL))
                .filter(|path| is_there(path))
                .map_or_else(|| KeySource::File(default_file(db)), KeySource::Credential)),
        }
    }

    /// What `check` shows after `key:` and in `key_source`: `file PATH`, `systemd
    /// credential PATH`, `command (TWOFA_KEY_COMMAND)`; never the key, nor the command.
    pub fn label(&self) -> String {
        match self {
            KeySource::File(path) => format!("file {}", path.display()),
            KeySource::Credential(path) => format!("systemd credential {}", path.display()),
            KeySource::Command { given, .. } => format!("command ({given})"),
        }
    }

    /// The source as messages name it: `key file PATH`, `key command (--key-command)`.
    pub fn describe(&self) -> String {
        match self {
            KeySource::File(_) | KeySource::Command { .. } => format!("key {}", self.label()),
            KeySource::Credential(_) => self.label(),
        }
    }

    /// The key file this source reads, if it is one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            KeySource::File(path) | KeySource::Credential(path) => Some(path),
            KeySource::Command { .. } => None,
        }
    }

    /// What to do about a key from this source that is not the database's.
    fn fix(&self) -> &'static str {
        match self {
            KeySource::File(_) => "point --key-file at the right key",
            KeySource::Credential(_) => {
                "check the unit's LoadCredential= or LoadCredentialEncrypted=, or point --key-file at the right key"
            }
            KeySource::Command { .. } => "check which key the command fetches",
        }
    }
}

/// The master key of this run: its source and, once loaded, the key, which is read (or
/// its command run) at most once per process and zeroized when the run ends.
pub struct Master {
    source: KeySource,
    timeout: Duration,
    key: OnceCell<MasterKey>,
}

impl Master {
    /// `timeout` bounds a key command.
    pub fn new(source: KeySource, timeout: Duration) -> Self {
        Master {
            source,
            timeout,
            key: OnceCell::new(),
        }
    }

    pub fn source(&self) -> &KeySource {
        &self.source
    }

    /// Runs a key command other than the configured one (`rekey --new-key-command`),
    /// with the same timeout; `given` names it in messages.
    pub fn run_command(&self, command: &str, given: &str) -> Result<MasterKey> {
        keycmd::run(command, &format!("key command ({given})"), self.timeout)
    }

    /// The key, loaded on first use: a key file read with its checks (`warn` gets a
    /// warning when group or others may read it), or the key command's output.
    pub fn get(&self, warn: impl FnOnce(String)) -> Result<&MasterKey> {
        if let Some(key) = self.key.get() {
            return Ok(key);
        }
        let key = match &self.source {
            KeySource::File(path) => {
                let (key, readable_by_others) = MasterKey::load_file(path)?;
                if readable_by_others {
                    warn(format!(
                        "key file {} can be read by group or others; run: chmod 600 {}",
                        path.display(),
                        path.display()
                    ));
                }
                key
            }
            // systemd makes the file readable by the service's user alone, through an ACL
            // whose mask shows as group bits: no warning.
            KeySource::Credential(path) => MasterKey::load_file(path)?.0,
            KeySource::Command { command, .. } => {
                keycmd::run(command, &self.source.describe(), self.timeout)?
            }
        };
        Ok(self.key.get_or_init(|| key))
    }

    /// Whether loading the key needs nothing created: a key command, a credential, or a key
    /// file that is there (checked before a new database is set up, so that a key that
    /// would be refused stops it first).
    pub fn exists(&self) -> bool {
        match &self.source {
            KeySource::File(path) => is_there(path),
            KeySource::Credential(_) | KeySource::Command { .. } => true,
        }
    }

    /// Records this run's key as the database's key, if it has none yet; a missing default
    /// or named key file is created first (never a credential, and with a key command
    /// nothing is created: the key must come from the command). `None` when the database
    /// had a key, or another twofa recorded one at the same moment (`keyring` then checks
    /// that this key is the one it recorded).
    pub fn claim(
        &self,
        store: &mut dyn Store,
        warn: impl FnOnce(String),
    ) -> Result<Option<Claimed>> {
        if store.key_id()?.is_some() {
            return Ok(None);
        }
        let how = match &self.source {
            KeySource::File(path) if !is_there(path) && self.key.get().is_none() => {
                match MasterKey::create(path) {
                    Ok(key) => {
                        let _ = self.key.set(key);
                        Claimed::NewKeyFile
                    }
                    // Another twofa created it a moment ago: use that one.
                    Err(_) if is_there(path) => Claimed::Existing,
                    Err(e) => return Err(e),
                }
            }
            _ => Claimed::Existing,
        };
        let id = self.get(warn)?.id();
        let mut tx = store.begin()?;
        let claimed = tx.claim_key_id(id)?;
        tx.commit()?;
        Ok(claimed.then_some(how))
    }

    /// The keyring of this run's key, once it is checked to be the database's key (see
    /// [`keyring`]); `db` names the database in the error.
    pub fn keyring(
        &self,
        store: &mut dyn Store,
        db: &str,
        warn: impl FnOnce(String),
    ) -> Result<Keyring> {
        let key = self.get(warn)?.clone();
        keyring(store, key, &self.source, db)
    }
}

/// The `twofa_meta` row of a key rotation in progress: the new key's id.
pub const REKEY_TO: &str = "rekey_to";

/// The `twofa_meta` row where older versions kept the new key's file during a rotation.
/// It is never read; rekey and init delete it.
const STALE_REKEY_FILE: &str = "rekey_file";

/// The key file when none is given: beside an SQLite file (its path + `.key`); for a
/// server URL, where that means nothing, `twofa.key` in the current directory.
pub fn default_file(db: &str) -> PathBuf {
    if store::is_url(db) {
        PathBuf::from("twofa.key")
    } else {
        PathBuf::from(format!("{db}.key"))
    }
}

/// How this run gave a database without a key its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claimed {
    /// It created the key file.
    NewKeyFile,
    /// It recorded the key of the source as it was: a key file that was there, the
    /// credential, the key command's output.
    Existing,
}

/// Whether anything is at `path`, a symbolic link (even a dangling one) included: that is
/// never replaced by a new key file, and loading it says why it is refused.
pub fn is_there(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}

/// The key rotation in progress: the id `twofa_meta` records as [`REKEY_TO`], if well
/// formed (anything else is ignored: it names no key).
pub fn rotating_to(store: &mut dyn Store) -> Result<Option<KeyId>> {
    Ok(store
        .meta(REKEY_TO)?
        .and_then(|id| KeyId::from_hex(id.trim())))
}

/// Records in `tx` that the secrets are being rotated to `to` (`None`: the rotation
/// ended), and forgets a key file location an older version recorded.
pub fn record_rotation(tx: &mut dyn Tx, to: Option<KeyId>) -> Result<()> {
    tx.set_meta(REKEY_TO, to.map(|id| key_id_hex(&id)).as_deref())?;
    tx.set_meta(STALE_REKEY_FILE, None)
}

/// Deletes the key file location an older version may have recorded, if there is one.
pub fn forget_stale_location(store: &mut dyn Store) -> Result<()> {
    if store.meta(STALE_REKEY_FILE)?.is_some() {
        let mut tx = store.begin()?;
        tx.set_meta(STALE_REKEY_FILE, None)?;
        tx.commit()?;
    }
    Ok(())
}

/// The keyring of `key` (loaded from `source`, as the operator named it) once it is
/// checked to be the database's key. While a key rotation runs, the database's key and the
/// key it rotates to are both accepted, each alone: a secret sealed with the other does not
/// open, and says how to finish the rotation. `db` names the database in the error.
pub fn keyring(
    store: &mut dyn Store,
    key: MasterKey,
    source: &KeySource,
    db: &str,
) -> Result<Keyring> {
    let to = rotating_to(store)?;
    let Some(expected) = store.key_id()? else {
        return Ok(Keyring::new(key, None));
    };
    let rotation = to
        .filter(|to| *to != expected)
        .map(|to| Rotation { from: expected, to });
    if expected == key.id() || to == Some(key.id()) {
        return Ok(Keyring::new(key, rotation));
    }
    Err(database(format!(
        "wrong key: the {} {} key {}, but the secrets of {db} are sealed with key {}; {}",
        source.describe(),
        if source.file().is_some() {
            "holds"
        } else {
            "printed"
        },
        key_id_hex(&key.id()),
        key_id_hex(&expected),
        source.fix()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(
        file: Option<&str>,
        command: Option<&str>,
        credentials: Option<&Path>,
    ) -> Result<KeySource> {
        KeySource::resolve(
            file.map(|f| (PathBuf::from(f), "--key-file")),
            command.map(|c| (c.to_string(), "TWOFA_KEY_COMMAND")),
            credentials.map(|d| d.as_os_str().to_owned()),
            "/srv/app.db",
        )
    }

    #[test]
    fn the_first_source_given_wins_and_two_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let creds = dir.path();
        let file = |p: &str| KeySource::File(PathBuf::from(p));
        // No credential file yet: the default key file.
        assert_eq!(
            resolve(None, None, Some(creds)).unwrap(),
            file("/srv/app.db.key")
        );
        std::fs::write(creds.join(CREDENTIAL), b"x").unwrap();
        let credential = KeySource::Credential(creds.join(CREDENTIAL));
        assert_eq!(resolve(None, None, Some(creds)).unwrap(), credential);
        assert_eq!(
            resolve(Some("/k"), None, Some(creds)).unwrap(),
            file("/k"),
            "a named key file comes first"
        );
        let command = resolve(None, Some("vault read"), Some(creds)).unwrap();
        assert_eq!(
            command,
            KeySource::Command {
                command: "vault read".into(),
                given: "TWOFA_KEY_COMMAND"
            }
        );
        assert_eq!(command.label(), "command (TWOFA_KEY_COMMAND)");
        assert!(!command.describe().contains("vault"));
        assert_eq!(
            resolve(None, None, Some(Path::new(""))).unwrap(),
            file("/srv/app.db.key")
        );

        let both = resolve(Some("/k"), Some("vault read"), None).unwrap_err();
        assert_eq!(crate::exit::classify(&both).0, crate::exit::ExitCode::Usage);
        let e = format!("{both:#}");
        assert!(
            e.contains("--key-file /k") && e.contains("TWOFA_KEY_COMMAND") && !e.contains("vault"),
            "{e}"
        );
        assert!(resolve(None, Some("  "), None).is_err());
        assert_eq!(
            credential.label(),
            format!("systemd credential {}", creds.join(CREDENTIAL).display())
        );
    }
}
