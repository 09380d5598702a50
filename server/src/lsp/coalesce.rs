//! At most one diagnostics worker per document. Changes that arrive while it analyses are not
//! queued: when it finishes, it takes the newest version, so a burst of edits costs one or two
//! analyses instead of one per edit.

use std::collections::HashSet;
use std::hash::Hash;
use std::sync::Mutex;

pub struct Coalescer<K> {
    running: Mutex<HashSet<K>>,
}

impl<K: Eq + Hash + Clone> Default for Coalescer<K> {
    fn default() -> Self {
        Coalescer { running: Mutex::new(HashSet::new()) }
    }
}

impl<K: Eq + Hash + Clone> Coalescer<K> {
    /// `true` when the caller must start the worker for `key`; `false` when one is running (it
    /// will see the change, which the caller made before asking).
    pub fn claim(&self, key: &K) -> bool {
        self.running.lock().unwrap_or_else(|e| e.into_inner()).insert(key.clone())
    }

    /// For the worker after each round: `newer` says whether there is newer work. Checked under the
    /// same lock as [`Coalescer::claim`], so a change is never left without a worker.
    pub fn next_or_release<T>(&self, key: &K, newer: impl FnOnce() -> Option<T>) -> Option<T> {
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        let next = newer();
        if next.is_none() {
            running.remove(key);
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_worker_per_key_until_released() {
        let c = Coalescer::default();
        assert!(c.claim(&1));
        assert!(!c.claim(&1), "a worker is running");
        assert!(c.claim(&2));
        assert_eq!(c.next_or_release(&1, || Some("newer")), Some("newer"));
        assert!(!c.claim(&1), "still running");
        assert_eq!(c.next_or_release(&1, || None::<()>), None);
        assert!(c.claim(&1), "released");
    }
}
