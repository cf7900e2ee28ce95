//! The master key of a database: the default key file, creating and claiming a key for a
//! database that has none, and the keyring while a rotation (`rekey`) runs, whose state is
//! kept in `twofa_meta` under [`REKEY_TO`]: the new key's id, never where the key is.
//!
//! Key files are named only by the command line, the environment or the default
//! (SECURITY.md 31): someone who can write the database but not read the key must not be
//! able to make twofa seal secrets with a key of their choosing.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::crypto::{KeyId, Keyring, MasterKey, Rotation, key_id_hex};
use crate::exit::database;
use crate::store::{self, Store, Tx};

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

/// The keyring of `key` (loaded from `key_file`, as the operator named it) once it is
/// checked to be the database's key. While a key rotation runs, the database's key and the
/// key it rotates to are both accepted, each alone: a secret sealed with the other does not
/// open, and says how to finish the rotation. `db` names the database in the error.
pub fn keyring(
    store: &mut dyn Store,
    key: MasterKey,
    key_file: &Path,
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
        "wrong key: {} holds key {}, but the secrets of {db} are sealed with key {}; point --key-file at the right key",
        key_file.display(),
        key_id_hex(&key.id()),
        key_id_hex(&expected)
    )))
}
