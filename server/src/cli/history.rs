//! The history of a review: `--baseline` (an earlier JSON report, matched by fingerprint),
//! `--diff REV` (only lines changed since a git revision) and `--by-author` (`git blame`).
//! Everything here runs the `git` command; nothing here knows a report format.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::CheckArgs;
use super::report::{FileReport, Outcome, Resolved, Status};

pub struct History {
    baseline: Option<Baseline>,
    diff: Option<Changed>,
    by_author: bool,
}

/// What the report has seen of the baseline, kept on the main thread while workers annotate.
#[derive(Default)]
pub struct Seen {
    /// Baseline keys seen again (before `--diff` filtering), and the files checked.
    matched: HashSet<(String, String)>,
    checked: HashSet<String>,
}

struct Baseline {
    /// (path as the report printed it, normalised; fingerprint) -> the item.
    items: HashMap<(String, String), Resolved>,
}

/// Lines changed since the revision, by canonical path; `None` for a whole (untracked) file.
struct Changed {
    files: HashMap<PathBuf, Option<Vec<(usize, usize)>>>,
}

impl History {
    pub fn from_args(args: &CheckArgs) -> Result<History, String> {
        // The repository is the one holding the first path checked (the current folder's by
        // default), so `check ../other-repo --diff main` asks the right one.
        let first = args.paths.first().map_or(Path::new("."), PathBuf::as_path);
        let repo = if first.is_dir() { first } else { first.parent().filter(|p| p.is_dir()).unwrap_or(Path::new(".")) };
        let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
        let diff = args.diff.as_deref().map(|rev| Changed::since(repo, rev)).transpose()?;
        if args.by_author {
            toplevel(repo).map_err(|e| format!("--by-author: {e}"))?;
        }
        Ok(History { baseline, diff, by_author: args.by_author })
    }

    pub fn is_active(&self) -> bool {
        self.baseline.is_some() || self.diff.is_some() || self.by_author
    }

    /// On a worker thread: baseline status, then the `--diff` filter, then blame.
    pub fn annotate(&self, report: &mut FileReport) {
        let path = normalise(&report.path.display().to_string());
        let FileReport { outcome: Outcome::Checked { entries, .. }, review, .. } = report else { return };
        if let Some(baseline) = &self.baseline {
            for entry in entries.iter_mut().filter(|e| e.rule.is_some()) {
                let key = (path.clone(), entry.fingerprint_hex());
                entry.status = Some(if baseline.items.contains_key(&key) { Status::StillOpen } else { Status::New });
                if entry.status == Some(Status::StillOpen) {
                    review.baseline_open.push(entry.fingerprint_hex());
                }
            }
        }
        if let Some(diff) = &self.diff {
            let changed = diff.lines_of(&report.path);
            let keep = |start: usize, end: usize| match changed {
                None => false,
                Some(None) => true,
                Some(Some(ranges)) => ranges.iter().any(|&(a, b)| a <= end && start <= b),
            };
            entries.retain(|e| keep(e.start.0, e.end.0));
            review.suppressed.retain(|e| keep(e.start.0, e.end.0));
            review.strengths.retain(|s| keep(s.line, s.line));
        }
        if self.by_author && !(entries.is_empty() && review.strengths.is_empty() && review.suppressed.is_empty()) {
            let authors = blame(&report.path);
            let author =
                |line: usize| authors.get(line.wrapping_sub(1)).cloned().unwrap_or_else(|| NOT_COMMITTED.to_string());
            for entry in entries.iter_mut().chain(review.suppressed.iter_mut()) {
                entry.author = Some(author(entry.start.0));
            }
            for strength in &mut review.strengths {
                strength.author = Some(author(strength.line));
            }
        }
    }

    /// On the main thread, for each file as it is reported.
    pub fn record(&self, seen: &mut Seen, report: &FileReport) {
        if self.baseline.is_none() {
            return;
        }
        let path = normalise(&report.path.display().to_string());
        if matches!(report.outcome, Outcome::Checked { .. }) {
            for fingerprint in &report.review.baseline_open {
                seen.matched.insert((path.clone(), fingerprint.clone()));
            }
            seen.checked.insert(path);
        }
    }

    /// Baseline findings not seen again, in files that were checked or no longer exist (a file
    /// left out of this run is not a fix). Sorted by path and line.
    pub fn resolved(self, seen: &Seen) -> Vec<Resolved> {
        let Some(baseline) = self.baseline else { return Vec::new() };
        let mut resolved: Vec<Resolved> = baseline
            .items
            .into_iter()
            .filter(|(key, _)| !seen.matched.contains(key))
            .filter(|((path, _), _)| seen.checked.contains(path) || !Path::new(path).exists())
            .map(|(_, item)| item)
            .collect();
        resolved.sort_by(|a, b| (&a.path, a.line, &a.rule).cmp(&(&b.path, b.line, &b.rule)));
        resolved
    }
}

/// What `git blame` says for lines it has no commit for.
const NOT_COMMITTED: &str = "Not Committed Yet";

/// `./a/b.py`, `a/b.py` and `/current/folder/a/b.py` are the same file in two reports.
fn normalise(path: &str) -> String {
    if Path::new(path).is_absolute()
        && let Ok(here) = std::env::current_dir()
        && let Ok(relative) = Path::new(path).strip_prefix(&here)
    {
        return relative.display().to_string();
    }
    let mut rest = path;
    while let Some(stripped) = rest.strip_prefix("./") {
        rest = stripped.trim_start_matches('/');
    }
    rest.to_string()
}

impl Baseline {
    fn load(path: &Path) -> Result<Baseline, String> {
        let context = |e: &dyn std::fmt::Display| format!("--baseline {}: {e}", path.display());
        let text = std::fs::read_to_string(path).map_err(|e| context(&e))?;
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| context(&e))?;
        let items = value.as_array().ok_or_else(|| context(&"not a `check --format json` report (an array)"))?;
        let mut map = HashMap::new();
        for item in items {
            let text = |key: &str| item.get(key).and_then(|v| v.as_str()).map(str::to_string);
            let (Some(path), Some(rule)) = (text("path"), text("rule")) else {
                return Err(context(&"an element has no `path` or `rule`"));
            };
            if rule == super::report::SYNTAX_ERROR {
                continue;
            }
            let Some(fingerprint) = text("fingerprint") else {
                return Err(context(
                    &"an element has no `fingerprint` (made by an older version? rerun `check --format json`)",
                ));
            };
            let line = item.pointer("/range/start/line").and_then(|v| v.as_u64()).unwrap_or(0) as usize;
            let path = normalise(&path);
            let message = text("message").unwrap_or_default();
            map.insert((path.clone(), fingerprint.clone()), Resolved { path, rule, line, message, fingerprint });
        }
        Ok(Baseline { items: map })
    }
}

fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "core.quotePath=false"])
        .args(args)
        .output()
        .map_err(|e| format!("running git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("git {}: {}", args.first().unwrap_or(&""), stderr.trim()));
    }
    String::from_utf8(output.stdout).map_err(|_| format!("git {}: output is not UTF-8", args.first().unwrap_or(&"")))
}

fn toplevel(dir: &Path) -> Result<PathBuf, String> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    std::fs::canonicalize(top.trim()).map_err(|e| format!("the repository's folder: {e}"))
}

impl Changed {
    fn since(repo: &Path, rev: &str) -> Result<Changed, String> {
        let context = |e: String| format!("--diff {rev}: {e}");
        if rev.starts_with('-') {
            return Err(context("a revision, not an option, is expected".into()));
        }
        let top = toplevel(repo).map_err(context)?;
        git(&top, &["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")])
            .map_err(|_| context("not a commit in this repository".into()))?;
        let patch = git(
            &top,
            &[
                "diff",
                "--no-color",
                "--no-ext-diff",
                "--no-textconv",
                "--unified=0",
                "--src-prefix=a/",
                "--dst-prefix=b/",
                rev,
                "--",
            ],
        )
        .map_err(context)?;
        let mut files: HashMap<PathBuf, Option<Vec<(usize, usize)>>> = HashMap::new();
        let mut current: Option<PathBuf> = None;
        for line in patch.lines() {
            if let Some(target) = line.strip_prefix("+++ ") {
                current = unquote(target).strip_prefix("b/").map(|p| top.join(p));
                if let Some(path) = &current {
                    files.entry(path.clone()).or_insert_with(|| Some(Vec::new()));
                }
            } else if let (Some(hunk), Some(path)) = (line.strip_prefix("@@ "), &current)
                && let Some((start, count)) = new_side(hunk)
                && count > 0
                && let Some(Some(ranges)) = files.get_mut(path)
            {
                ranges.push((start, start + count - 1));
            }
        }
        // Untracked files are new in every line.
        let untracked = git(&top, &["ls-files", "--others", "--exclude-standard", "-z"]).map_err(context)?;
        for path in untracked.split('\0').filter(|p| !p.is_empty()) {
            files.insert(top.join(path), None);
        }
        Ok(Changed { files })
    }

    /// `None`: not changed; `Some(None)`: every line; `Some(Some(ranges))`: these lines.
    fn lines_of(&self, path: &Path) -> Option<&Option<Vec<(usize, usize)>>> {
        let canonical = std::fs::canonicalize(path).ok()?;
        self.files.get(&canonical)
    }
}

/// `-a,b +c,d @@ ...` -> (c, d); a missing count means 1.
fn new_side(hunk: &str) -> Option<(usize, usize)> {
    let plus = hunk.split_whitespace().find_map(|part| part.strip_prefix('+'))?;
    let (start, count) = plus.split_once(',').unwrap_or((plus, "1"));
    Some((start.parse().ok()?, count.parse().ok()?))
}

/// Git quotes a path with unusual characters as a C string.
fn unquote(path: &str) -> String {
    let Some(inner) = path.strip_prefix('"').and_then(|p| p.strip_suffix('"')) else { return path.to_string() };
    let mut bytes = Vec::new();
    let mut chars = inner.bytes().peekable();
    while let Some(b) = chars.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match chars.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(d @ b'0'..=b'7') => {
                let mut value = u32::from(d - b'0');
                for _ in 0..2 {
                    if let Some(&next @ b'0'..=b'7') = chars.peek() {
                        value = value * 8 + u32::from(next - b'0');
                        chars.next();
                    }
                }
                bytes.push(value as u8);
            }
            Some(other) => bytes.push(other),
            None => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The author of each line of `path` (index 0 = line 1); empty when git cannot blame it (an
/// untracked file), so every line counts as not committed.
fn blame(path: &Path) -> Vec<String> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return Vec::new() };
    let Ok(porcelain) = git(dir, &["blame", "--line-porcelain", "--", name]) else { return Vec::new() };
    let mut authors = Vec::new();
    for line in porcelain.lines() {
        if let Some(author) = line.strip_prefix("author ") {
            authors.push(author.to_string());
        }
    }
    authors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunk_headers_and_quoted_paths() {
        assert_eq!(new_side("-3,0 +4,2 @@ def f():"), Some((4, 2)));
        assert_eq!(new_side("-3 +4 @@"), Some((4, 1)));
        assert_eq!(new_side("-3,2 +2,0 @@"), Some((2, 0)));
        assert_eq!(unquote("\"b/caf\\303\\251 \\\"x\\\".py\""), "b/café \"x\".py");
        assert_eq!(unquote("b/plain.py"), "b/plain.py");
        assert_eq!(normalise("././a/b.py"), "a/b.py");
    }
}
