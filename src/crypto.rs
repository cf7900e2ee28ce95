//! The master key file and the AEAD that seals TOTP secrets at rest (SECURITY.md 9–11).
//!
//! A sealed secret is `version (1) ‖ key id (4) ‖ nonce (24) ‖ XChaCha20-Poly1305
//! ciphertext`. The associated data binds it to the key id and the account row, so a
//! ciphertext copied to another account fails to open. The key id (the first 4 bytes of a
//! SHA-256 of the key) tells which key sealed a secret, so a rotation can run in batches
//! and resume.

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use anyhow::{Result, anyhow};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::exit::database;
use crate::model::DEFAULT_DEVICE;
use crate::owner;

pub const KEY_LEN: usize = 32;
const VERSION: u8 = 1;
const NONCE_LEN: usize = 24;
const HEADER_LEN: usize = 1 + 4 + NONCE_LEN;
/// The most a key file holds: 64 hex digits and a CR LF.
const KEY_FILE_MAX: usize = 66;

/// A 4-byte key id, shown as 8 hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyId([u8; 4]);

impl KeyId {
    /// The id as 8 hex digits (as `twofa_meta` records it); `None` for anything else.
    pub fn from_hex(hex: &str) -> Option<Self> {
        if hex.len() != 8 || !hex.is_ascii() {
            return None;
        }
        let mut id = [0; 4];
        for (i, b) in id.iter_mut().enumerate() {
            *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(KeyId(id))
    }

    /// The bytes a sealed secret carries after its version byte.
    pub fn as_slice(&self) -> &[u8] {
        &self.0
    }
}

pub fn key_id_hex(id: &KeyId) -> String {
    id.0.iter().map(|b| format!("{b:02x}")).collect()
}

/// The 256-bit master key (zeroized when dropped, each copy).
#[derive(Clone)]
pub struct MasterKey {
    key: Zeroizing<[u8; KEY_LEN]>,
    id: KeyId,
}

impl MasterKey {
    fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != KEY_LEN {
            return None;
        }
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        key.copy_from_slice(bytes);
        let digest = Sha256::new_with_prefix(b"twofa key id\0")
            .chain_update(key.as_ref())
            .finalize();
        let id = KeyId([digest[0], digest[1], digest[2], digest[3]]);
        Some(MasterKey { key, id })
    }

    /// Reads the key file (see [`MasterKey::load_file`]).
    pub fn load(path: &Path) -> Result<Self> {
        Ok(Self::load_file(path)?.0)
    }

    /// Reads the key file: a regular file the effective user or root owns and nobody else
    /// may write ([`owner::open_trusted`]: through no symbolic link another user owns, a
    /// FIFO refused at once), read with a cap, holding the key as [`KEY_LEN`] raw bytes or as base64 or hex
    /// text (a trailing newline allowed). Returns the key and whether group or others may
    /// read the file. A missing, foreign, truncated or odd file is a key problem (exit 6)
    /// that says which; no message shows what the file holds.
    pub fn load_file(path: &Path) -> Result<(Self, bool)> {
        let shown = path.display();
        let Some((file, meta)) = owner::open_trusted(path, owner::KEY_FILE)? else {
            return Err(database(format!(
                "key file {shown} is missing: without it the TOTP secrets cannot be opened (point --key-file or TWOFA_KEY_FILE at the key, or give --key-command)"
            )));
        };
        let mut bytes = Zeroizing::new(Vec::with_capacity(KEY_FILE_MAX + 1));
        file.take(KEY_FILE_MAX as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| database(format!("cannot read key file {shown}: {e}")))?;
        let key = MasterKey::parse(&bytes).ok_or_else(|| {
            database(format!(
                "key file {shown} is truncated or damaged: it holds {}; a key is {KEY_LEN} bytes, raw or as base64 or hex text",
                if bytes.len() > KEY_FILE_MAX {
                    format!("more than {KEY_LEN} bytes (more than a key written as text)")
                } else {
                    format!("{} bytes", bytes.len())
                }
            ))
        })?;
        Ok((key, owner::readable_by_others(&meta)))
    }

    /// The key a key file holds: [`KEY_LEN`] raw bytes, or the text [`MasterKey::parse_text`]
    /// takes.
    fn parse(bytes: &[u8]) -> Option<Self> {
        if bytes.len() == KEY_LEN {
            return MasterKey::from_bytes(bytes);
        }
        MasterKey::parse_text(bytes).ok()
    }

    /// The key written as text: the base64 (44 characters, as `openssl rand -base64 32`
    /// writes it) or hex (64 digits) of [`KEY_LEN`] bytes, with at most one trailing
    /// newline. The error says what is wrong with the text without repeating any of it.
    pub fn parse_text(bytes: &[u8]) -> std::result::Result<Self, String> {
        const WANTED: &str = "a key is 32 bytes as base64 (44 characters) or hex (64 digits), with at most one trailing newline";
        let text = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        let (encoding, name) = match text.len() {
            0 => return Err(format!("nothing; {WANTED}")),
            44 => (&data_encoding::BASE64, "base64"),
            64 => (&data_encoding::HEXLOWER_PERMISSIVE, "hex"),
            n => return Err(format!("{}; {WANTED}", counted_bytes(n))),
        };
        let decoded = Zeroizing::new(
            encoding
                .decode(text)
                .map_err(|_| format!("{} characters that are not {name}; {WANTED}", text.len()))?,
        );
        MasterKey::from_bytes(&decoded)
            .ok_or_else(|| format!("{name} of {} bytes; {WANTED}", decoded.len()))
    }

    /// The key as base64 text (44 characters), as `key generate` prints it.
    pub fn to_base64(&self) -> Zeroizing<String> {
        Zeroizing::new(data_encoding::BASE64.encode(self.key.as_ref()))
    }

    /// A fresh key from the OS CSPRNG, in memory only.
    pub fn generate() -> Result<Self> {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        getrandom::fill(bytes.as_mut()).map_err(|e| anyhow!("the OS random source failed: {e}"))?;
        Ok(MasterKey::from_bytes(bytes.as_ref()).expect("32 bytes"))
    }

    /// Writes the key (its raw bytes) to a new file with mode 0600 (see [`write_bytes`]).
    pub fn write_new(&self, path: &Path) -> Result<()> {
        write_bytes(path, self.key.as_ref())
    }

    /// Writes the key as a line of base64 to a new file with mode 0600 (see [`write_bytes`]).
    pub fn write_new_base64(&self, path: &Path) -> Result<()> {
        // Room for the newline at once: the key is never left in a buffer given back.
        let mut line = Zeroizing::new(String::with_capacity(45));
        line.push_str(&self.to_base64());
        line.push('\n');
        write_bytes(path, line.as_bytes())
    }

    /// Creates a fresh key file with mode 0600; refuses to overwrite an existing file.
    pub fn create(path: &Path) -> Result<Self> {
        let key = MasterKey::generate()?;
        key.write_new(path)?;
        Ok(key)
    }

    pub fn id(&self) -> KeyId {
        self.id
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new_from_slice(self.key.as_ref()).expect("the key is 32 bytes")
    }

    /// The associated data: the key id, the account row and the device. The device
    /// `default` adds nothing, so that a secret sealed before devices existed (the one
    /// credential an account had, which became its device `default`) still opens; any other
    /// name is appended after a separator, so a secret opens under no other device or
    /// account, `default` included.
    fn aad(&self, account_id: i64, device: &str) -> Vec<u8> {
        let mut aad = b"twofa totp secret v1\0".to_vec();
        aad.extend_from_slice(self.id.as_slice());
        aad.extend_from_slice(&account_id.to_be_bytes());
        if device != DEFAULT_DEVICE {
            aad.extend_from_slice(b"\0device\0");
            aad.extend_from_slice(device.as_bytes());
        }
        aad
    }

    /// Seals `secret` for the device `device` of the account row `account_id`.
    pub fn seal(&self, account_id: i64, device: &str, secret: &[u8]) -> Result<Vec<u8>> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|e| anyhow!("the OS random source failed: {e}"))?;
        let cipher = self.cipher();
        let aad = self.aad(account_id, device);
        let ct = cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: secret,
                    aad: &aad,
                },
            )
            .map_err(|_| anyhow!("sealing the secret failed"))?;
        let mut out = Vec::with_capacity(HEADER_LEN + ct.len());
        out.push(VERSION);
        out.extend_from_slice(self.id.as_slice());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// Opens a sealed secret of the device `device` of the account row `account_id`.
    pub fn open(&self, account_id: i64, device: &str, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        let id = sealed_key_id(sealed).ok_or_else(|| {
            database(format!(
                "the sealed secret of account row {account_id} is damaged"
            ))
        })?;
        if id != self.id {
            return Err(database(format!(
                "the secret of account row {account_id} was sealed with key {}, not with this key file's key {}",
                key_id_hex(&id),
                key_id_hex(&self.id)
            )));
        }
        let cipher = self.cipher();
        let aad = self.aad(account_id, device);
        cipher
            .decrypt(
                &XNonce::try_from(&sealed[5..HEADER_LEN]).expect("the header has a 24-byte nonce"),
                Payload { msg: &sealed[HEADER_LEN..], aad: &aad },
            )
            .map(Zeroizing::new)
            .map_err(|_| {
                database(format!(
                    "the secret of account row {account_id} does not open with key {} (wrong key, or the data was altered or copied from another account or device)",
                    key_id_hex(&self.id)
                ))
            })
    }
}

/// The key that opens this database's secrets, as the operator gave it, and the key
/// rotation in progress, if any. Nothing read from the database adds a key (SECURITY.md
/// 31): while a rotation runs, a secret sealed with the other of its two keys does not
/// open, and the error says how to finish the rotation.
pub struct Keyring {
    key: MasterKey,
    rotation: Option<Rotation>,
}

/// A key rotation (`rekey`) that has begun and not finished: from the database's key to
/// the key whose id `twofa_meta` records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rotation {
    pub from: KeyId,
    pub to: KeyId,
}

impl Rotation {
    /// What the operator does about a secret that the key at hand cannot open.
    pub fn advice(&self) -> String {
        format!(
            "a key rotation from key {} to key {} has not finished: run 'twofa rekey --new-key-file FILE' (or --new-key-command CMD) again, with key {} as the new key and key {} as the current one (--key-file or --key-command)",
            key_id_hex(&self.from),
            key_id_hex(&self.to),
            key_id_hex(&self.to),
            key_id_hex(&self.from)
        )
    }
}

impl Keyring {
    pub fn new(key: MasterKey, rotation: Option<Rotation>) -> Self {
        Keyring { key, rotation }
    }

    /// The configured key's id.
    pub fn id(&self) -> KeyId {
        self.key.id()
    }

    /// The rotation in progress, if any.
    pub fn rotation(&self) -> Option<Rotation> {
        self.rotation
    }

    /// Seals with the key the operator gave; during a rotation, `rekey` re-seals it.
    pub fn seal(&self, account_id: i64, device: &str, secret: &[u8]) -> Result<Vec<u8>> {
        self.key.seal(account_id, device, secret)
    }

    pub fn open(&self, account_id: i64, device: &str, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        self.key
            .open(account_id, device, sealed)
            .map_err(|e| match self.rotation {
                Some(r) if sealed_key_id(sealed).is_some_and(|id| id != self.key.id()) => {
                    database(format!("{e:#}; {}", r.advice()))
                }
                _ => e,
            })
    }
}

/// Writes `bytes` to a new file with mode 0600, all or nothing: a temporary file is
/// written and synced, then linked into place, which fails if `path` exists.
fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display();
    let tmp = path.with_file_name(format!(
        ".{}.tmp{}",
        path.file_name()
            .map_or("key".into(), |n| n.to_string_lossy()),
        std::process::id()
    ));
    let _ = fs::remove_file(&tmp);
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::hard_link(&tmp, path)
    })();
    let _ = fs::remove_file(&tmp);
    written.map_err(|e| database(format!("cannot create key file {shown}: {e}")))
}

/// `1 byte`, `17 bytes`.
fn counted_bytes(n: usize) -> String {
    if n == 1 {
        "1 byte".to_string()
    } else {
        format!("{n} bytes")
    }
}

/// Which key sealed this secret, if it is well formed.
pub fn sealed_key_id(sealed: &[u8]) -> Option<KeyId> {
    if sealed.len() <= HEADER_LEN || sealed[0] != VERSION {
        return None;
    }
    Some(KeyId([sealed[1], sealed[2], sealed[3], sealed[4]]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> MasterKey {
        MasterKey::from_bytes(&[9u8; 32]).unwrap()
    }

    #[test]
    fn seals_and_opens_bound_to_the_row() {
        let k = key();
        let sealed = k.seal(7, "default", b"secret bytes here!!!").unwrap();
        assert_eq!(
            k.open(7, "default", &sealed).unwrap().as_slice(),
            b"secret bytes here!!!"
        );
        assert!(
            k.open(8, "default", &sealed).is_err(),
            "copied to another row"
        );
        assert!(
            k.open(7, "phone", &sealed).is_err(),
            "copied to another device"
        );
        let phone = k.seal(7, "phone", b"secret bytes here!!!").unwrap();
        assert!(k.open(7, "phone", &phone).is_ok());
        for (row, device) in [(7, "default"), (7, "phone2"), (7, "phon"), (8, "phone")] {
            assert!(
                k.open(row, device, &phone).is_err(),
                "opened as {row}/{device}"
            );
        }
        let other = MasterKey::from_bytes(&[8u8; 32]).unwrap();
        assert!(other.open(7, "default", &sealed).is_err(), "another key");
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(k.open(7, "default", &tampered).is_err());
        assert!(k.open(7, "default", &sealed[..10]).is_err());
        assert_ne!(
            sealed,
            k.seal(7, "default", b"secret bytes here!!!").unwrap(),
            "fresh nonce"
        );
    }

    #[test]
    fn key_ids_read_back_from_hex() {
        let id = key().id();
        assert_eq!(KeyId::from_hex(&key_id_hex(&id)), Some(id));
        assert_eq!(
            KeyId::from_hex("0a0B0c0d"),
            Some(KeyId([0x0a, 0x0b, 0x0c, 0x0d]))
        );
        for bad in ["", "0a0b0c", "0a0b0c0d0e", "0a0b0c0g", "0a0b0cé"] {
            assert_eq!(KeyId::from_hex(bad), None, "{bad}");
        }
    }

    #[test]
    fn key_files_are_private_and_checked() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        let k = MasterKey::create(&path).unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let (loaded, readable) = MasterKey::load_file(&path).unwrap();
        assert_eq!(loaded.id(), k.id());
        assert!(!readable);
        assert!(MasterKey::create(&path).is_err(), "never overwrites");
        fs::write(&path, [1u8; 31]).unwrap();
        assert!(format!("{:#}", MasterKey::load(&path).err().unwrap()).contains("truncated"));
        fs::write(&path, [1u8; 4096]).unwrap();
        assert!(
            format!("{:#}", MasterKey::load(&path).err().unwrap()).contains("more than 32 bytes")
        );
        for odd in [Path::new("/dev/zero"), dir.path()] {
            let e = format!("{:#}", MasterKey::load(odd).err().unwrap());
            assert!(e.contains("not a regular file"), "{e}");
        }
        assert!(
            format!(
                "{:#}",
                MasterKey::load(&dir.path().join("none")).err().unwrap()
            )
            .contains("missing")
        );
        fs::set_permissions(&path, fs::Permissions::from_mode(0o664)).unwrap();
        let e = format!("{:#}", MasterKey::load(&path).err().unwrap());
        assert!(e.contains("can be written by group or others"), "{e}");
    }

    #[test]
    fn a_key_file_holds_raw_base64_or_hex() {
        let raw = [0xa5u8; 32];
        let id = MasterKey::from_bytes(&raw).unwrap().id();
        let b64 = data_encoding::BASE64.encode(&raw);
        let hex = data_encoding::HEXLOWER.encode(&raw);
        for text in [
            b64.clone(),
            format!("{b64}\n"),
            format!("{b64}\r\n"),
            hex.clone(),
            format!("{hex}\n"),
            hex.to_uppercase(),
        ] {
            assert_eq!(
                MasterKey::parse(text.as_bytes()).map(|k| k.id()),
                Some(id),
                "{text:?}"
            );
        }
        assert_eq!(MasterKey::parse(&raw).map(|k| k.id()), Some(id));
        for bad in [
            format!("{b64}\n\n"),
            format!(" {b64}"),
            b64[..43].to_string(),
            format!("{}g", &hex[..63]),
            data_encoding::BASE64.encode(&[1u8; 31]),
            "x".repeat(33),
        ] {
            assert!(MasterKey::parse(bad.as_bytes()).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn during_a_rotation_the_other_key_says_how_to_finish() {
        let old = key();
        let new = MasterKey::from_bytes(&[8u8; 32]).unwrap();
        let sealed_new = new.seal(7, "default", b"secret bytes here!!!").unwrap();
        let ring = Keyring::new(
            key(),
            Some(Rotation {
                from: old.id(),
                to: new.id(),
            }),
        );
        let e = format!("{:#}", ring.open(7, "default", &sealed_new).err().unwrap());
        assert!(e.contains("has not finished") && e.contains("rekey"), "{e}");
        let sealed = ring.seal(7, "default", b"secret bytes here!!!").unwrap();
        assert_eq!(
            sealed_key_id(&sealed),
            Some(old.id()),
            "seals with the given key"
        );
        assert!(ring.open(7, "default", &sealed).is_ok());
        let plain = Keyring::new(key(), None);
        let e = format!("{:#}", plain.open(7, "default", &sealed_new).err().unwrap());
        assert!(!e.contains("rotation"), "{e}");
    }
}
