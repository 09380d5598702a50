//! Finding the Python files to check, honouring .gitignore.

use std::path::{Path, PathBuf};

use crate::config::bounded_read::{PYPROJECT_LIMIT, kind_name};

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
                if let Some(why) = crate::config::absolute(path).ancestors().find_map(unreadable_ignore_file) {
                    found.skipped.push((path.clone(), format!("not walked: {why}")));
                    continue;
                }
                let refused = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
                let refused_by_walk = refused.clone();
                let walker = ignore::WalkBuilder::new(path)
                    .require_git(false)
                    .filter_entry(move |entry| {
                        if entry.depth() == 0 || !entry.file_type().is_some_and(|t| t.is_dir()) {
                            return true;
                        }
                        if entry.file_name().to_str().is_some_and(|name| EXCLUDED_DIRS.contains(&name)) {
                            return false;
                        }
                        // Checked before the walker enters the folder and reads its ignore files.
                        match unreadable_ignore_file(entry.path()) {
                            Some(why) => {
                                let mut refused = refused_by_walk.lock().unwrap_or_else(|e| e.into_inner());
                                refused.push((entry.path().to_path_buf(), format!("not walked: {why}")));
                                false
                            }
                            None => true,
                        }
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
                found.skipped.extend(refused.lock().unwrap_or_else(|e| e.into_inner()).drain(..));
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

/// The walker reads these in every folder it enters (`ignore` opens them itself, without a size
/// or type check): a FIFO would hang it and a link to `/dev/zero` exhaust memory.
const IGNORE_FILES: &[&str] = &[".gitignore", ".ignore", ".git/info/exclude"];

/// Why `dir`'s ignore files cannot be read safely, if one of them is not a regular file or is
/// over the pyproject limit.
fn unreadable_ignore_file(dir: &Path) -> Option<String> {
    IGNORE_FILES.iter().find_map(|name| {
        let file = dir.join(name);
        let meta = std::fs::metadata(&file).ok()?;
        if !meta.is_file() {
            Some(format!("{} is not a regular file ({})", file.display(), kind_name(&meta)))
        } else if meta.len() > PYPROJECT_LIMIT {
            Some(format!("{} is over {} bytes", file.display(), PYPROJECT_LIMIT))
        } else {
            None
        }
    })
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
