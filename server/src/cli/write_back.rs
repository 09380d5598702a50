//! Writing a fixed file back without losing anything about it: through a symbolic link to its
//! target, with its mode, owner and group, its other hard links, and only if its user may write it.
//!
//! Who may write: the file's permission bits must grant write to someone (a file with no write bit,
//! `chmod a-w`, is read-only on purpose, and is refused even for root, who could override it), and
//! the kernel's `access(W_OK)` for the effective user must allow it (ownership, group, ACLs,
//! read-only mounts). Ruff writes in place and so inherits the kernel's verdict, which lets root
//! rewrite a read-only file; interview-lens refuses that case.

use std::fs::{File, Metadata};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use anyhow::Context as _;

pub enum WriteError {
    /// The user may not write the file: nothing was changed.
    Refused(String),
    /// The file changed on disk after it was read: nothing was changed.
    Changed,
    /// Writing failed; the message says whether the original is intact.
    Failed(anyhow::Error),
}

/// Replaces the contents of `path` (the file read, with `read_meta` from the handle that read it)
/// by `text`.
pub fn write_fixed(path: &Path, read_meta: &Metadata, original: &str, text: &str) -> Result<(), WriteError> {
    // Through a symbolic link: write the file it points to and keep the link.
    let target = std::fs::canonicalize(path)
        .with_context(|| format!("resolving {}", path.display()))
        .map_err(WriteError::Failed)?;
    let meta = std::fs::metadata(&target)
        .with_context(|| format!("reading the metadata of {}", target.display()))
        .map_err(WriteError::Failed)?;
    if !same_file_unchanged(read_meta, &meta) {
        return Err(WriteError::Changed);
    }
    check_writable(&target, &meta).map_err(WriteError::Refused)?;
    if link_count(&meta) > 1 {
        // Replacing the file would detach it from its other names: write the same inode.
        return write_in_place(&target, original, text).map_err(WriteError::Failed);
    }
    match replace_atomically(&target, &meta, text) {
        Ok(Replaced::Done) => Ok(()),
        // A folder we may not create files in, or an owner we may not give a new file: the file
        // itself is writable, so write it in place (which keeps owner and mode by construction).
        Ok(Replaced::CannotPreserve) => write_in_place(&target, original, text).map_err(WriteError::Failed),
        Err(err) => Err(WriteError::Failed(err)),
    }
}

#[cfg(unix)]
fn same_file_unchanged(before: &Metadata, now: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (before.dev(), before.ino(), before.len(), before.mtime(), before.mtime_nsec())
        == (now.dev(), now.ino(), now.len(), now.mtime(), now.mtime_nsec())
}

#[cfg(not(unix))]
fn same_file_unchanged(before: &Metadata, now: &Metadata) -> bool {
    before.len() == now.len() && before.modified().ok() == now.modified().ok()
}

#[cfg(unix)]
fn link_count(meta: &Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

#[cfg(not(unix))]
fn link_count(_: &Metadata) -> u64 {
    1
}

/// `Ok` when the rule in the module comment lets the effective user write `path`.
#[cfg(unix)]
pub fn check_writable(path: &Path, meta: &Metadata) -> Result<(), String> {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::MetadataExt;
    let mode = meta.mode() & 0o7777;
    if mode & 0o222 == 0 {
        return Err(format!(
            "the file is read-only (mode {mode:04o}), so it was not fixed; make it writable (chmod u+w) to allow fixes"
        ));
    }
    let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return Err("the path contains a NUL byte".into());
    };
    // SAFETY: a valid NUL-terminated path; faccessat only reads it.
    let allowed = unsafe { libc::faccessat(libc::AT_FDCWD, c_path.as_ptr(), libc::W_OK, libc::AT_EACCESS) } == 0;
    if !allowed {
        let why = io::Error::last_os_error();
        return Err(format!(
            "you cannot write this file ({why}; owner uid {}, group gid {}, mode {mode:04o}), so it was not fixed",
            meta.uid(),
            meta.gid()
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
pub fn check_writable(_: &Path, meta: &Metadata) -> Result<(), String> {
    if meta.permissions().readonly() {
        return Err("the file is read-only, so it was not fixed".into());
    }
    Ok(())
}

enum Replaced {
    Done,
    /// Nothing was changed: the replacement could not carry the file's folder entry or owner.
    CannotPreserve,
}

/// Temporary file in the same folder, with the original's mode, owner and group, then rename: a
/// crash leaves either the old or the new file, never half of one.
fn replace_atomically(target: &Path, meta: &Metadata, text: &str) -> anyhow::Result<Replaced> {
    let dir: PathBuf = target.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let mut temp = match tempfile::Builder::new().prefix(".interview-lens-").tempfile_in(&dir) {
        Ok(temp) => temp,
        Err(err) if err.kind() == io::ErrorKind::PermissionDenied => return Ok(Replaced::CannotPreserve),
        Err(err) => return Err(err).with_context(|| format!("creating a temporary file in {}", dir.display())),
    };
    if !carry_owner_and_mode(temp.as_file(), meta)? {
        return Ok(Replaced::CannotPreserve);
    }
    temp.write_all(text.as_bytes()).context("writing the temporary file")?;
    temp.as_file().sync_all().context("flushing the temporary file")?;
    temp.persist(target).map_err(|e| e.error).with_context(|| format!("renaming over {}", target.display()))?;
    Ok(Replaced::Done)
}

/// Gives `file` the owner, group and mode in `meta`; `false` when the owner or group cannot be
/// given (an ordinary user cannot give a file away).
#[cfg(unix)]
fn carry_owner_and_mode(file: &File, meta: &Metadata) -> anyhow::Result<bool> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let now = file.metadata().context("reading the temporary file's metadata")?;
    if (now.uid(), now.gid()) != (meta.uid(), meta.gid())
        && std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid())).is_err()
    {
        return Ok(false);
    }
    // After chown, which clears set-id bits.
    file.set_permissions(std::fs::Permissions::from_mode(meta.mode() & 0o7777))
        .context("setting the temporary file's mode")?;
    Ok(true)
}

#[cfg(not(unix))]
fn carry_owner_and_mode(file: &File, meta: &Metadata) -> anyhow::Result<bool> {
    file.set_permissions(meta.permissions()).context("setting the temporary file's permissions")?;
    Ok(true)
}

/// Overwrites the file's contents through its existing inode (links, owner, mode, ACLs all kept).
/// Not atomic; if writing fails part-way, the original text is written back.
fn write_in_place(target: &Path, original: &str, text: &str) -> anyhow::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(target)
        .with_context(|| format!("opening {} for writing", target.display()))?;
    let write = |file: &mut File, bytes: &[u8]| -> io::Result<()> {
        file.write_all(bytes)?;
        file.set_len(bytes.len() as u64)?;
        file.sync_all()
    };
    if let Err(err) = write(&mut file, text.as_bytes()) {
        use std::io::Seek as _;
        let restored = file.rewind().and_then(|_| write(&mut file, original.as_bytes()));
        let state = if restored.is_ok() { "the original was written back" } else { "the file may be incomplete" };
        return Err(anyhow::Error::new(err).context(format!("writing {} in place ({state})", target.display())));
    }
    Ok(())
}
