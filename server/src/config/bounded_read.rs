//! Reading files from a user's disk without hanging or reading without bound: the one place the
//! command line and the language server read cards, sources and pyproject files.
//!
//! Only regular files are read. A FIFO would block the open (and every later request) until a
//! writer appears, a device such as `/dev/zero` never ends, so both are refused before they are
//! read. Regular files are read up to a size limit; a larger one is refused, not truncated.

use std::fmt;
use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

/// Cards are a page of Markdown; anything near this is not a card.
pub const CARD_LIMIT: u64 = 1 << 20;
/// Generous for Python source (the largest generated modules seen in the wild are a few MiB), small
/// enough that one file cannot exhaust memory: analysis needs about 30 bytes per byte of source.
pub const SOURCE_LIMIT: u64 = 64 << 20;
/// A pyproject.toml is configuration; this is far above any real one.
pub const PYPROJECT_LIMIT: u64 = 4 << 20;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// A FIFO, device, socket or folder: never read.
    NotRegular(&'static str),
    TooLarge {
        size: u64,
        limit: u64,
    },
    Io(io::Error),
}

impl ReadError {
    /// Refused by design (a warning), as opposed to an I/O failure (an error).
    pub fn is_refusal(&self) -> bool {
        !matches!(self, ReadError::Io(_))
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotRegular(kind) => write!(f, "not a regular file ({kind}); skipped"),
            ReadError::TooLarge { size, limit } => {
                write!(f, "{} is over the {} limit; skipped", human_size(*size), human_size(*limit))
            }
            ReadError::Io(err) => write!(f, "cannot read: {err}"),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<io::Error> for ReadError {
    fn from(err: io::Error) -> Self {
        ReadError::Io(err)
    }
}

fn human_size(bytes: u64) -> String {
    const MIB: u64 = 1 << 20;
    if bytes >= MIB && bytes.is_multiple_of(MIB) { format!("{} MiB", bytes / MIB) } else { format!("{bytes} bytes") }
}

/// What kind of file `meta` describes, for messages.
pub fn kind_name(meta: &Metadata) -> &'static str {
    let kind = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else if kind.is_symlink() {
        "a symbolic link"
    } else {
        "not a regular file"
    }
}

/// Opens `path` for reading only if it is a regular file (following symbolic links).
///
/// The type is checked before opening (so a FIFO is never opened) and again on the open handle (so
/// a file swapped for a FIFO in between is still refused; the open does not block because it is
/// non-blocking on Unix).
pub fn open_regular(path: &Path) -> Result<(File, Metadata), ReadError> {
    let before = std::fs::metadata(path)?;
    if !before.is_file() {
        return Err(ReadError::NotRegular(kind_name(&before)));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_name(&meta)));
    }
    Ok((file, meta))
}

/// The bytes of the regular file at `path`, if it is at most `limit` bytes long.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_bounded_with_metadata(path, limit).map(|(bytes, _)| bytes)
}

/// [`read_bounded`], also returning the metadata of the handle that was read.
pub fn read_bounded_with_metadata(path: &Path, limit: u64) -> Result<(Vec<u8>, Metadata), ReadError> {
    let (file, meta) = open_regular(path)?;
    if meta.len() > limit {
        return Err(ReadError::TooLarge { size: meta.len(), limit });
    }
    // The size is known: one read for the whole file and one that sees its end (`read_to_end`
    // through `Take` knows no size and reads in steps growing from 8 KiB).
    let expected = meta.len() as usize;
    let mut bytes = vec![0; expected + 1];
    let mut filled = 0;
    while filled < bytes.len() {
        match (&file).read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err.into()),
        }
    }
    bytes.truncate(filled);
    if filled > expected {
        // It grew since the metadata was read: the rest, still bounded. One byte past the limit
        // tells a file that grew past it from one that fits.
        (&file).take(limit + 1 - filled as u64).read_to_end(&mut bytes)?;
    }
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { size: bytes.len() as u64, limit });
    }
    Ok((bytes, meta))
}

/// The text of the regular file at `path` (at most `limit` bytes, UTF-8).
pub fn read_text_bounded(path: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = read_bounded(path, limit)?;
    String::from_utf8(bytes).map_err(|e| {
        ReadError::Io(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("not UTF-8 text (first bad byte at offset {})", e.utf8_error().valid_up_to()),
        ))
    })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("card.md");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let err = read_bounded(&fifo, CARD_LIMIT).unwrap_err();
        assert!(err.is_refusal());
        assert_eq!(err.to_string(), "not a regular file (a FIFO); skipped");
    }

    #[test]
    fn a_device_and_large_files_are_refused() {
        let err = read_bounded(Path::new("/dev/zero"), CARD_LIMIT).unwrap_err();
        assert_eq!(err.to_string(), "not a regular file (a character device); skipped");
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.md");
        std::fs::write(&big, vec![b'x'; 2048]).unwrap();
        let err = read_bounded(&big, 1024).unwrap_err();
        assert_eq!(err.to_string(), "2048 bytes is over the 1024 bytes limit; skipped");
        assert_eq!(read_bounded(&big, 2048).unwrap().len(), 2048);
    }
}
