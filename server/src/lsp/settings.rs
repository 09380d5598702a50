//! Client settings and pyproject files, resolved through the same code as the command line.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::Value;

use crate::config::{self, ConfigWarning, PartialSettings, Settings};

/// Settings may arrive bare, or wrapped under the extension's section name.
pub fn unwrap_section(value: &Value) -> &Value {
    for key in ["interviewLens", "interview-lens", "interview_lens", "settings"] {
        if let Some(inner) = value.get(key) {
            return inner;
        }
    }
    value
}

/// No settings: `null`, `{}`, or `[]` — Lua clients encode an empty table as a JSON list
/// (Neovim's `settings = { interviewLens = {} }`).
pub fn is_empty(value: &Value) -> bool {
    value.is_null()
        || value.as_object().is_some_and(serde_json::Map::is_empty)
        || value.as_array().is_some_and(Vec::is_empty)
}

struct FileSettings {
    pyproject: Option<PathBuf>,
    modified: Option<std::time::SystemTime>,
    settings: PartialSettings,
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

#[derive(Default)]
pub struct SettingsStore {
    client: Mutex<PartialSettings>,
    /// Per workspace folder, the client's settings for that scope (`workspace/configuration`
    /// with the folder's `scopeUri`), longest path first so the innermost folder wins.
    folders: Mutex<Vec<(PathBuf, PartialSettings)>>,
    /// Per folder: the pyproject that applies (if any), its modification time, and its settings.
    per_dir: Mutex<HashMap<PathBuf, FileSettings>>,
}

impl SettingsStore {
    pub fn set_client(&self, value: &Value) -> Vec<ConfigWarning> {
        let section = unwrap_section(value);
        let (partial, warnings) = if is_empty(section) {
            (PartialSettings::default(), Vec::new())
        } else {
            PartialSettings::from_value(section, "editor settings", None)
        };
        *self.client.lock().unwrap_or_else(|e| e.into_inner()) = partial;
        warnings
    }

    pub fn client(&self) -> PartialSettings {
        self.client.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Replaces the per-folder client settings; a `null` answer (a client that does not scope
    /// settings) leaves the folder on the global ones.
    pub fn set_folders(&self, answers: Vec<(PathBuf, Value)>) -> Vec<ConfigWarning> {
        let mut warnings = Vec::new();
        let mut folders = Vec::new();
        for (dir, value) in answers {
            if value.is_null() {
                continue;
            }
            let section = unwrap_section(&value);
            let origin = format!("editor settings for {}", dir.display());
            let partial = if is_empty(section) {
                PartialSettings::default()
            } else {
                let (partial, found) = PartialSettings::from_value(section, &origin, None);
                warnings.extend(found);
                partial
            };
            folders.push((dir, partial));
        }
        folders.sort_by_key(|(dir, _)| std::cmp::Reverse(dir.as_os_str().len()));
        *self.folders.lock().unwrap_or_else(|e| e.into_inner()) = folders;
        warnings
    }

    /// The client settings for files in `dir`: its workspace folder's, else the global ones.
    fn client_for(&self, dir: Option<&Path>) -> PartialSettings {
        let folders = self.folders.lock().unwrap_or_else(|e| e.into_inner());
        dir.and_then(|dir| folders.iter().find(|(folder, _)| dir.starts_with(folder)))
            .map_or_else(|| self.client(), |(_, settings)| settings.clone())
    }

    /// Drops cached pyproject settings (a pyproject file changed).
    pub fn forget_files(&self) {
        self.per_dir.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Settings for a document at `path` (or for an untitled document when `None`), plus
    /// warnings from a pyproject read for the first time.
    pub fn for_path(&self, path: Option<&Path>) -> (Settings, Vec<ConfigWarning>) {
        self.for_folder(path.and_then(Path::parent))
    }

    /// Settings for files in `dir` (the workspace root for commands; `None`: client settings only).
    pub fn for_folder(&self, dir: Option<&Path>) -> (Settings, Vec<ConfigWarning>) {
        let mut warnings = Vec::new();
        let file = match dir {
            Some(dir) => {
                let mut cache = self.per_dir.lock().unwrap_or_else(|e| e.into_inner());
                // Clients without file watching still see an edited pyproject: a changed
                // modification time reloads it.
                let stale = cache
                    .get(dir)
                    .is_some_and(|entry| entry.pyproject.as_deref().is_some_and(|p| modified(p) != entry.modified));
                if stale {
                    cache.remove(dir);
                }
                cache
                    .entry(dir.to_path_buf())
                    .or_insert_with(|| match config::find_pyproject(dir) {
                        Some(pyproject) => {
                            let (settings, found) = config::from_pyproject(&pyproject);
                            warnings = found;
                            FileSettings { modified: modified(&pyproject), pyproject: Some(pyproject), settings }
                        }
                        None => FileSettings { pyproject: None, modified: None, settings: PartialSettings::default() },
                    })
                    .settings
                    .clone()
            }
            None => PartialSettings::default(),
        };
        (file.merge(self.client_for(dir)).resolve(), warnings)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_empty_list_is_empty_settings() {
        let store = SettingsStore::default();
        for value in [json!({"interviewLens": []}), json!([]), json!({"interviewLens": {}}), Value::Null] {
            assert!(store.set_client(&value).is_empty(), "{value}");
            assert_eq!(store.client(), PartialSettings::default());
        }
        // A list with content is still a mistake worth a warning.
        assert_eq!(store.set_client(&json!({"interviewLens": ["level"]})).len(), 1);
    }

    #[test]
    fn a_folder_scope_wins_for_its_files_only() {
        let store = SettingsStore::default();
        store.set_client(&json!({"level": "mid"}));
        let warnings = store.set_folders(vec![
            (PathBuf::from("/w/a"), json!({"level": "junior"})),
            (PathBuf::from("/w/a/inner"), json!({"hover": "full"})),
            (PathBuf::from("/w/b"), Value::Null),
        ]);
        assert!(warnings.is_empty(), "{warnings:?}");
        let level = |dir: &str| store.client_for(Some(Path::new(dir))).level;
        assert_eq!(level("/w/a/pkg"), Some(crate::cards::Level::Junior));
        assert_eq!(level("/w/b/pkg"), Some(crate::cards::Level::Mid), "a null answer keeps the global settings");
        assert_eq!(level("/elsewhere"), Some(crate::cards::Level::Mid));
        let inner = store.client_for(Some(Path::new("/w/a/inner/x")));
        assert_eq!((inner.level, inner.hover), (None, Some(crate::config::HoverStyle::Full)), "innermost folder");
        assert_eq!(store.client_for(None).level, Some(crate::cards::Level::Mid));
    }
}
