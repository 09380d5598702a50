//! Finding the Python files to check, honouring .gitignore.

use std::path::{Path, PathBuf};

pub struct Discovered {
    pub files: Vec<PathBuf>,
    /// Paths that could not be read or walked, with the reason.
    pub errors: Vec<(PathBuf, String)>,
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
    let mut found = Discovered { files: Vec::new(), errors: Vec::new() };
    for path in paths {
        match std::fs::metadata(path) {
            // A file named explicitly is checked whatever its extension, as Ruff does.
            Ok(meta) if meta.is_file() => found.files.push(path.clone()),
            Ok(_) => {
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
                        Ok(_) => {}
                        Err(err) => found.errors.push((path.clone(), err.to_string())),
                    }
                }
            }
            Err(err) => found.errors.push((path.clone(), err.to_string())),
        }
    }
    found.files.sort();
    found.files.dedup();
    found
}
