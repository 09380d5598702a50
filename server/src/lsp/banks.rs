//! Question banks: the built-in cards plus the card folders a set of settings names, loaded once
//! per folder list. Loading reads files, so callers run [`Banks::get`] off the async runtime.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::cards::Bank;
use crate::config::ConfigWarning;

#[derive(Default)]
pub struct Banks {
    loaded: Mutex<HashMap<Vec<PathBuf>, Arc<Bank>>>,
}

impl Banks {
    /// The bank for `dirs`, and the load errors when it was loaded just now.
    pub fn get(&self, dirs: &[PathBuf]) -> (Arc<Bank>, Vec<ConfigWarning>) {
        if let Some(bank) = self.loaded.lock().unwrap_or_else(|e| e.into_inner()).get(dirs) {
            return (bank.clone(), Vec::new());
        }
        // Not under the lock: a slow folder must not hold up requests for other banks.
        let mut bank = Bank::builtin();
        let mut warnings = Vec::new();
        for dir in dirs {
            for error in bank.load_dir(dir) {
                warnings.push(ConfigWarning {
                    origin: error.origin.clone(),
                    message: format!("line {}: {}", error.line, error.message),
                });
            }
        }
        let bank = Arc::new(bank);
        self.loaded.lock().unwrap_or_else(|e| e.into_inner()).insert(dirs.to_vec(), bank.clone());
        (bank, warnings)
    }

    /// Every bank loaded so far (to find a card that only a project's own folder has).
    pub fn all(&self) -> Vec<Arc<Bank>> {
        self.loaded.lock().unwrap_or_else(|e| e.into_inner()).values().cloned().collect()
    }

    /// Settings changed: card files may have too, so reload on next use.
    pub fn forget(&self) {
        self.loaded.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}
