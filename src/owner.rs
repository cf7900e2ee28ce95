//! Whether a file may be trusted (SECURITY.md 32): a regular file, owned by the effective
//! user or root, and writable by nobody else. Another local user who can write beside a
//! database must not be able to hand twofa a key, or a new database, of their choosing.
//! The checks read the metadata of the file as opened (`fstat`), never a path looked at
//! before or after.
//!
//! A symbolic link is followed only when the link itself belongs to the effective user or
//! root (Kubernetes' secret volumes and some systemd setups present key files as root's
//! links): each link is opened without being followed (`O_PATH|O_NOFOLLOW`), its owner
//! read from that descriptor and its target read from the same descriptor, so the link
//! checked is the link followed; the file at its end is checked as any other.

use std::ffi::OsString;
use std::fs::{self, File, Metadata};
use std::io::{BufRead, BufReader, Read};
use std::os::unix::ffi::OsStringExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

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

/// The most symbolic links followed to a file (a Kubernetes secret volume uses two).
const LINKS_MAX: usize = 8;

/// Opens `path` to read, refusing what is not a regular file that the effective user (or
/// root) owns and nobody else may write, and a symbolic link on the way that another user
/// owns; `None` when there is no file (a dangling link is refused, never taken for no
/// file). A FIFO is refused without waiting for a writer.
pub fn open_trusted(path: &Path, role: Role) -> Result<Option<(File, Metadata)>> {
    let what = role.name;
    let shown = path.display();
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let mut target = path.to_path_buf();
    let mut links = 0;
    let fd = loop {
        match rustix::fs::open(&target, flags, Mode::empty()) {
            Ok(fd) => break fd,
            Err(Errno::NOENT) if links == 0 => return Ok(None),
            Err(Errno::NOENT) => {
                return Err(database(format!(
                    "{what} {shown} is a symbolic link to {}, which does not exist",
                    target.display()
                )));
            }
            Err(Errno::LOOP) if links < LINKS_MAX && is_symlink(&target) => {
                target = follow_trusted(&target, path, role)?;
                links += 1;
            }
            Err(e) => {
                return Err(database(format!(
                    "cannot read {what} {shown}: {}",
                    std::io::Error::from(e)
                )));
            }
        }
    };
    let file = File::from(fd);
    let meta = file
        .metadata()
        .map_err(|e| database(format!("cannot read {what} {shown}: {e}")))?;
    let named = if links == 0 {
        shown.to_string()
    } else {
        format!("{shown} (a symbolic link to {})", target.display())
    };
    check(&named, &target, &meta, role)?;
    Ok(Some((file, meta)))
}

/// Where the symbolic link `link` (on the way to `path`) points, once the link itself is
/// found to belong to the effective user or root: its owner and its target are read from
/// one descriptor of the link, never followed in between.
fn follow_trusted(link: &Path, path: &Path, role: Role) -> Result<PathBuf> {
    let (what, shown) = (role.name, path.display());
    let cannot = |e: Errno| {
        database(format!(
            "cannot read the symbolic link {}: {}",
            link.display(),
            std::io::Error::from(e)
        ))
    };
    let fd = rustix::fs::open(
        link,
        OFlags::PATH | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(cannot)?;
    let owner = rustix::fs::fstat(&fd).map_err(cannot)?.st_uid;
    if !trusted_owner(owner) {
        let via = if link == path {
            String::new()
        } else {
            format!(" through {}", link.display())
        };
        return Err(database(format!(
            "{what} {shown} is a symbolic link{via} that belongs to {}, not to {}: another user may have put it there; name the file itself, or a link of yours or root's",
            user(owner),
            allowed_owners()
        )));
    }
    let to = rustix::fs::readlinkat(&fd, "", Vec::new()).map_err(cannot)?;
    let to = PathBuf::from(OsString::from_vec(to.into_bytes()));
    Ok(match link.parent() {
        Some(dir) if to.is_relative() => dir.join(to),
        _ => to,
    })
}

/// Whether a file or link with this owner may be trusted: the effective user's or root's.
fn trusted_owner(owner: u32) -> bool {
    owner == rustix::process::geteuid().as_raw() || owner == 0
}

/// Who may own a trusted file, as messages say it: `alice or root`, or `root`.
fn allowed_owners() -> String {
    let euid = rustix::process::geteuid().as_raw();
    if euid == 0 {
        "root".to_string()
    } else {
        format!("{} or root", user(euid))
    }
}

/// The checks of [`open_trusted`] on the metadata of a file already open: `named` is how
/// messages name it, `file` the file itself (for the command that fixes it).
fn check(named: &str, file: &Path, meta: &Metadata, role: Role) -> Result<()> {
    let what = role.name;
    if !meta.is_file() {
        return Err(database(format!(
            "{what} {named} is {}, not {}",
            file_kind(meta),
            role.expected
        )));
    }
    let owner = meta.uid();
    let mode = meta.mode() & 0o7777;
    if !trusted_owner(owner) {
        return Err(database(format!(
            "{what} {named} belongs to {} (mode {mode:04o}), not to {}: another user may have put it there; check it, then make it yours (chown, chmod 600) or name another file",
            user(owner),
            allowed_owners()
        )));
    }
    if mode & 0o022 != 0 {
        return Err(database(format!(
            "{what} {named} (owner {}, mode {mode:04o}) can be written by group or others; run: chmod go-w {}",
            user(owner),
            file.display()
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

        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("none"), &dangling).unwrap();
        let e = refusal(&dangling);
        assert!(
            e.contains("symbolic link") && e.contains("does not exist"),
            "{e}"
        );
        let looped = dir.path().join("loop");
        std::os::unix::fs::symlink(&looped, &looped).unwrap();
        assert!(open_trusted(&looped, KEY_FILE).is_err());

        for odd in [Path::new("/dev/null"), dir.path()] {
            assert!(
                refusal(odd).contains("not a regular file"),
                "{}",
                odd.display()
            );
        }
    }

    #[test]
    fn follows_links_of_its_own_to_a_file_of_its_own() {
        // A Kubernetes secret volume: key -> ..data/key, ..data -> ..2026_12_07_12_00.
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("..2026_12_07_12_00");
        fs::create_dir(&real).unwrap();
        fs::write(real.join("key"), b"x").unwrap();
        fs::set_permissions(real.join("key"), fs::Permissions::from_mode(0o644)).unwrap();
        std::os::unix::fs::symlink("..2026_12_07_12_00", dir.path().join("..data")).unwrap();
        let key = dir.path().join("key");
        std::os::unix::fs::symlink("..data/key", &key).unwrap();
        assert!(open_trusted(&key, KEY_FILE).unwrap().is_some());
        // A link to a link, absolute this time.
        let outer = dir.path().join("outer");
        std::os::unix::fs::symlink(&key, &outer).unwrap();
        assert!(open_trusted(&outer, KEY_FILE).unwrap().is_some());
        // The file at the end is checked as ever, and named with the link.
        fs::set_permissions(real.join("key"), fs::Permissions::from_mode(0o666)).unwrap();
        let e = refusal(&key);
        assert!(
            e.contains("a symbolic link to")
                && e.contains("chmod go-w")
                && e.contains("..data/key"),
            "{e}"
        );
    }

    #[test]
    fn refuses_a_link_another_user_owns() {
        if !rustix::process::geteuid().is_root() {
            return; // links cannot be given to another user
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        fs::write(&path, b"x").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&path, &link).unwrap();
        std::os::unix::fs::lchown(&link, Some(65534), Some(65534)).unwrap();
        let e = refusal(&link);
        assert!(
            e.contains("symbolic link") && e.contains("belongs to"),
            "{e}"
        );
        // Further down a chain, named as such.
        let outer = dir.path().join("outer");
        std::os::unix::fs::symlink(&link, &outer).unwrap();
        let e = refusal(&outer);
        assert!(e.contains(&format!("through {}", link.display())), "{e}");
        // Root's link to another user's file: the file is refused.
        std::os::unix::fs::lchown(&link, Some(0), Some(0)).unwrap();
        std::os::unix::fs::chown(&path, Some(65534), Some(65534)).unwrap();
        let e = refusal(&link);
        assert!(
            e.contains("belongs to") && e.contains("a symbolic link to"),
            "{e}"
        );
    }

    #[test]
    fn names_users_by_name_or_number() {
        assert_eq!(user(0), "root");
        assert_eq!(user(4_000_000_000), "uid 4000000000");
    }
}
