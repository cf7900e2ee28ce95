//! Whether a file may be trusted (SECURITY.md 32): a regular file, opened without
//! following a symbolic link, owned by the effective user or root, and writable by nobody
//! else. Another local user who can write beside a database must not be able to hand twofa
//! a key, or a new database, of their choosing. The checks read the metadata of the file
//! as opened (`fstat`), never a path looked at before or after.

use std::fs::{self, File, Metadata};
use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::Path;

use anyhow::Result;
use rustix::fs::{Mode, OFlags};
use rustix::io::Errno;

use crate::exit::database;

/// What a trusted file is for, as messages name it.
#[derive(Debug, Clone, Copy)]
pub struct Role {
    /// "key file"
    pub name: &'static str,
    /// What the file should be, after "not": "a regular file of 32 bytes; …".
    pub expected: &'static str,
}

/// The master key's file.
pub const KEY_FILE: Role = Role {
    name: "key file",
    expected: "a regular file of 32 bytes; point --key-file at the key",
};

/// A new SQLite database.
pub const DATABASE: Role = Role {
    name: "database",
    expected: "a regular file",
};

/// Opens `path` to read, refusing what is not a regular file that the effective user (or
/// root) owns and nobody else may write; `None` when there is no file. A FIFO is refused
/// without waiting for a writer.
pub fn open_trusted(path: &Path, role: Role) -> Result<Option<(File, Metadata)>> {
    let what = role.name;
    let shown = path.display();
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let fd = match rustix::fs::open(path, flags, Mode::empty()) {
        Ok(fd) => fd,
        Err(Errno::NOENT) => return Ok(None),
        Err(Errno::LOOP) if is_symlink(path) => {
            let target = fs::read_link(path)
                .map(|t| format!(" (to {})", t.display()))
                .unwrap_or_default();
            return Err(database(format!(
                "{what} {shown} is a symbolic link{target}; twofa opens only the file itself, so that nobody can point it elsewhere: name the file itself"
            )));
        }
        Err(e) => {
            return Err(database(format!(
                "cannot read {what} {shown}: {}",
                std::io::Error::from(e)
            )));
        }
    };
    let file = File::from(fd);
    let meta = file
        .metadata()
        .map_err(|e| database(format!("cannot read {what} {shown}: {e}")))?;
    check(path, &meta, role)?;
    Ok(Some((file, meta)))
}

/// The checks of [`open_trusted`] on the metadata of a file already open.
fn check(path: &Path, meta: &Metadata, role: Role) -> Result<()> {
    let (what, shown) = (role.name, path.display());
    if !meta.is_file() {
        return Err(database(format!(
            "{what} {shown} is {}, not {}",
            file_kind(meta),
            role.expected
        )));
    }
    let euid = rustix::process::geteuid().as_raw();
    let owner = meta.uid();
    let mode = meta.mode() & 0o7777;
    if owner != euid && owner != 0 {
        let allowed = if euid == 0 {
            "root".to_string()
        } else {
            format!("{} or root", user(euid))
        };
        return Err(database(format!(
            "{what} {shown} belongs to {} (mode {mode:04o}), not to {allowed}: another user may have put it there; check it, then make it yours (chown, chmod 600) or name another file",
            user(owner)
        )));
    }
    if mode & 0o022 != 0 {
        return Err(database(format!(
            "{what} {shown} (owner {}, mode {mode:04o}) can be written by group or others; run: chmod go-w {shown}",
            user(owner)
        )));
    }
    Ok(())
}

/// Whether group or others may read a file with this metadata.
pub fn readable_by_others(meta: &Metadata) -> bool {
    meta.mode() & 0o044 != 0
}

fn is_symlink(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// What a file that is not a regular file is, for messages.
fn file_kind(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else {
        "something other"
    }
}

/// The user with this uid as messages name it: the name in `/etc/passwd`, else `uid N`.
pub fn user(uid: u32) -> String {
    user_name(uid).unwrap_or_else(|| format!("uid {uid}"))
}

/// The name of `uid` in `/etc/passwd` (read with a cap; users known only to a directory
/// service are shown by number).
fn user_name(uid: u32) -> Option<String> {
    const CAP: u64 = 4 << 20;
    let file = File::open("/etc/passwd").ok()?;
    let wanted = uid.to_string();
    BufReader::new(file.take(CAP))
        .split(b'\n')
        .map_while(Result::ok)
        .find_map(|line| {
            let line = String::from_utf8(line).ok()?;
            let mut fields = line.split(':');
            let name = fields.next()?;
            (fields.nth(1)? == wanted && !name.is_empty()).then(|| name.to_string())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn refusal(path: &Path) -> String {
        format!("{:#}", open_trusted(path, KEY_FILE).err().unwrap())
    }

    #[test]
    fn trusts_only_a_private_regular_file_of_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        assert!(open_trusted(&path, KEY_FILE).unwrap().is_none());
        fs::write(&path, b"x").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let (_, meta) = open_trusted(&path, KEY_FILE).unwrap().unwrap();
        assert!(readable_by_others(&meta));
        fs::set_permissions(&path, fs::Permissions::from_mode(0o660)).unwrap();
        let e = refusal(&path);
        assert!(e.contains("mode 0660") && e.contains("chmod go-w"), "{e}");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o602)).unwrap();
        assert!(refusal(&path).contains("mode 0602"));

        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&path, &link).unwrap();
        let e = refusal(&link);
        assert!(
            e.contains("symbolic link") && e.contains(&path.display().to_string()),
            "{e}"
        );
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("none"), &dangling).unwrap();
        assert!(refusal(&dangling).contains("symbolic link"));

        for odd in [Path::new("/dev/null"), dir.path()] {
            assert!(
                refusal(odd).contains("not a regular file"),
                "{}",
                odd.display()
            );
        }
    }

    #[test]
    fn names_users_by_name_or_number() {
        assert_eq!(user(0), "root");
        assert_eq!(user(4_000_000_000), "uid 4000000000");
    }
}
