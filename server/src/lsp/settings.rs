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

#[derive(Default)]
pub struct SettingsStore {
    client: Mutex<PartialSettings>,
    /// Per folder: the pyproject that applies (if any) and its settings.
    per_dir: Mutex<HashMap<PathBuf, (Option<PathBuf>, PartialSettings)>>,
}

impl SettingsStore {
    pub fn set_client(&self, value: &Value) -> Vec<ConfigWarning> {
        let (partial, warnings) = PartialSettings::from_value(unwrap_section(value), "editor settings", None);
        *self.client.lock().unwrap_or_else(|e| e.into_inner()) = partial;
        warnings
    }

    pub fn client(&self) -> PartialSettings {
        self.client.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Drops cached pyproject settings (a pyproject file changed).
    pub fn forget_files(&self) {
        self.per_dir.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Settings for a document at `path` (or for an untitled document when `None`), plus
    /// warnings from a pyproject read for the first time.
    pub fn for_path(&self, path: Option<&Path>) -> (Settings, Vec<ConfigWarning>) {
        let mut warnings = Vec::new();
        let file = match path.and_then(Path::parent) {
            Some(dir) => {
                let mut cache = self.per_dir.lock().unwrap_or_else(|e| e.into_inner());
                cache
                    .entry(dir.to_path_buf())
                    .or_insert_with(|| match config::find_pyproject(dir) {
                        Some(pyproject) => {
                            let (partial, found) = config::from_pyproject(&pyproject);
                            warnings = found;
                            (Some(pyproject), partial)
                        }
                        None => (None, PartialSettings::default()),
                    })
                    .1
                    .clone()
            }
            None => PartialSettings::default(),
        };
        (file.merge(self.client()).resolve(), warnings)
    }
}
