//! Finding the Python files to check, honouring .gitignore.

use std::path::{Path, PathBuf};

use crate::config::bounded_read::kind_name;

pub struct Discovered {
    /// Sorted; each file once, however many names reach it.
    pub files: Vec<PathBuf>,
    /// Paths that could not be read or walked, with the reason.
    pub errors: Vec<(PathBuf, String)>,
    /// Paths that are not checked by design (a FIFO, a device), with the reason.
    pub skipped: Vec<(PathBuf, String)>,
}

/// Folders never walked into (a path named on the command line is still checked): tool caches,
/// virtual environments and installed packages, the same defaults Ruff uses.
const EXCLUDED_DIRS: &[&str] = &[
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pyenv",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    ".vscode",
    "__pypackages__",
    "_build",
    "buck-out",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
];

fn is_python(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "py" || e == "pyi")
}

pub fn discover(paths: &[PathBuf]) -> Discovered {
    let mut found = Discovered { files: Vec::new(), errors: Vec::new(), skipped: Vec::new() };
    for path in paths {
        match std::fs::metadata(path) {
            // A file named explicitly is checked whatever its extension, as Ruff does.
            Ok(meta) if meta.is_file() => found.files.push(path.clone()),
            Ok(meta) if meta.is_dir() => {
                let walker = ignore::WalkBuilder::new(path)
                    .require_git(false)
                    .filter_entry(|entry| {
                        !(entry.depth() > 0
                            && entry.file_type().is_some_and(|t| t.is_dir())
                            && entry.file_name().to_str().is_some_and(|name| EXCLUDED_DIRS.contains(&name)))
                    })
                    .build();
                for entry in walker {
                    match entry {
                        Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) && is_python(entry.path()) => {
                            found.files.push(entry.into_path());
                        }
                        // A FIFO or device named like a source file: say why it is not checked
                        // (symbolic links are not followed while walking, as before).
                        Ok(entry)
                            if is_python(entry.path())
                                && entry
                                    .file_type()
                                    .is_some_and(|t| !t.is_file() && !t.is_dir() && !t.is_symlink()) =>
                        {
                            let kind = entry.metadata().map_or("not a regular file", |m| kind_name(&m));
                            found.skipped.push((entry.into_path(), format!("not a regular file ({kind}); skipped")));
                        }
                        Ok(_) => {}
                        Err(err) => found.errors.push((path.clone(), err.to_string())),
                    }
                }
            }
            Ok(meta) => {
                found.skipped.push((path.clone(), format!("not a regular file ({}); skipped", kind_name(&meta))))
            }
            Err(err) => found.errors.push((path.clone(), err.to_string())),
        }
    }
    found.files.sort();
    found.files.dedup();
    dedup_by_identity(&mut found.files);
    found
}

/// Keeps the first name of each file: `a.py ./a.py`, or a file and a symbolic link to it, are one
/// file, checked and fixed once.
fn dedup_by_identity(files: &mut Vec<PathBuf>) {
    let mut seen = std::collections::HashSet::new();
    files.retain(|path| match identity(path) {
        Some(id) => seen.insert(id),
        None => true,
    });
}

#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}
