//! The master key of a database: the default key file, creating and claiming a key for a
//! database that has none, and the keyring while a rotation (`rekey`) runs, whose state is
//! kept in `twofa_meta` under [`REKEY_TO`] and [`REKEY_FILE`].

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::crypto::{Keyring, MasterKey, key_id_hex};
use crate::exit::database;
use crate::store::{self, Store};

/// `twofa_meta` rows of a key rotation in progress: the new key's id and file.
pub const REKEY_TO: &str = "rekey_to";
pub const REKEY_FILE: &str = "rekey_file";

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
    /// It recorded the key of the key file that was there.
    ExistingKeyFile,
}

/// Records the key of `key_file` (created when missing) as the database's key, if it has
/// none yet. `None` when the database had a key, or another twofa recorded one at the same
/// moment (`keyring` then checks that the key file is the one it recorded). A key file
/// that is there is used only if it passes [`MasterKey::load`]'s checks (it is the
/// user's own, and nobody else may write it).
pub fn claim(store: &mut dyn Store, key_file: &Path) -> Result<Option<Claimed>> {
    if store.key_id()?.is_some() {
        return Ok(None);
    }
    let (key, how) = if is_there(key_file) {
        (MasterKey::load(key_file)?, Claimed::ExistingKeyFile)
    } else {
        match MasterKey::create(key_file) {
            Ok(key) => (key, Claimed::NewKeyFile),
            // Another twofa created it a moment ago: use that one.
            Err(_) if is_there(key_file) => (MasterKey::load(key_file)?, Claimed::ExistingKeyFile),
            Err(e) => return Err(e),
        }
    };
    let mut tx = store.begin()?;
    let claimed = tx.claim_key_id(key.id())?;
    tx.commit()?;
    Ok(claimed.then_some(how))
}

/// Whether anything is at `path`, a symbolic link (even a dangling one) included: that is
/// never replaced by a new key file, and loading it says why it is refused.
pub fn is_there(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}

/// The keyring of `key` (loaded from `key_file`) once it is checked to be the database's
/// key. While a key rotation runs, the key it rotates to joins the ring, so both open their
/// secrets; the new key alone is accepted too. `db` names the database in the error.
pub fn keyring(
    store: &mut dyn Store,
    key: MasterKey,
    key_file: &Path,
    db: &str,
) -> Result<Keyring> {
    let rotating_to = store.meta(REKEY_TO)?;
    let Some(expected) = store.key_id()? else {
        return Ok(Keyring::new(key, None));
    };
    if expected == key.id() {
        let next = match rotating_to {
            Some(id) => store.meta(REKEY_FILE)?.and_then(|path| {
                MasterKey::load(Path::new(&path))
                    .ok()
                    .filter(|k| key_id_hex(&k.id()) == id)
            }),
            None => None,
        };
        return Ok(Keyring::new(key, next));
    }
    if rotating_to.as_deref() == Some(key_id_hex(&key.id()).as_str()) {
        return Ok(Keyring::new(key, None));
    }
    Err(database(format!(
        "wrong key: {} holds key {}, but the secrets of {db} are sealed with key {}; point --key-file at the right key",
        key_file.display(),
        key_id_hex(&key.id()),
        key_id_hex(&expected)
    )))
}
