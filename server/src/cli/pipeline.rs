//! Parallel work with results handed on in input order, holding at most a fixed window of them:
//! memory follows the window, not the number of inputs.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Condvar, Mutex, MutexGuard};

/// Runs `work` on every item on `threads` worker threads (each with `stack_size` bytes of stack)
/// and calls `sink` with each result, in the order of `items`.
///
/// A worker starts item `i` only once fewer than `window` results are waiting ahead of it, so at
/// most `window` results exist at a time. A panic in `work` reaches `sink` as `Err(message)` for
/// that item, so one bad input neither stalls the ordering nor loses the other results.
///
/// The worker that finishes the oldest outstanding item calls `sink` for it and for every later
/// result already waiting, under the lock that hands out items. There is no collecting thread: one
/// woken for every result costs two context switches per file and competes with the workers for
/// the cores (on two cores, a tenth of `check`'s wall time).
pub fn ordered_map<T, R>(
    items: &[T],
    threads: usize,
    window: usize,
    stack_size: usize,
    work: impl Fn(&T) -> R + Sync,
    sink: impl FnMut(Result<R, String>) + Send,
) where
    T: Sync,
    R: Send,
{
    let window = window.max(1);
    let state = Mutex::new(Progress { next: 0, delivered: 0, waiting: VecDeque::new(), blocked: 0, sink });
    let advanced = Condvar::new();
    std::thread::scope(|scope| {
        let mut spawned_any = false;
        for n in 0..threads.clamp(1, items.len().max(1)) {
            let (state, advanced, work) = (&state, &advanced, &work);
            let worker = move || {
                let mut progress = lock(state);
                loop {
                    while progress.next < items.len() && progress.next >= progress.delivered + window {
                        progress.blocked += 1;
                        progress = advanced.wait(progress).unwrap_or_else(|e| e.into_inner());
                        progress.blocked -= 1;
                    }
                    if progress.next >= items.len() {
                        return;
                    }
                    let index = progress.next;
                    progress.next += 1;
                    drop(progress);
                    let result = catch_unwind(AssertUnwindSafe(|| work(&items[index]))).map_err(panic_message);
                    progress = lock(state);
                    progress.deliver(index, result);
                    if progress.blocked > 0 {
                        advanced.notify_all();
                    }
                }
            };
            let spawned = std::thread::Builder::new()
                .name(format!("interview-lens-check-{n}"))
                .stack_size(stack_size)
                .spawn_scoped(scope, worker);
            spawned_any |= spawned.is_ok();
        }
        if !spawned_any {
            // No thread at all: do the work here, in order.
            let mut progress = lock(&state);
            for (index, item) in items.iter().enumerate() {
                progress.next = index + 1;
                progress.deliver(index, catch_unwind(AssertUnwindSafe(|| work(item))).map_err(panic_message));
            }
        }
    });
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

struct Progress<R, S> {
    /// The next item to start.
    next: usize,
    /// Items below this went to the sink; workers may start items below `delivered + window`.
    delivered: usize,
    /// Results of items `delivered..next`, in order; `None` while the item is still running.
    waiting: VecDeque<Option<Result<R, String>>>,
    /// Workers waiting for the window to move.
    blocked: usize,
    sink: S,
}

impl<R, S: FnMut(Result<R, String>)> Progress<R, S> {
    fn deliver(&mut self, index: usize, result: Result<R, String>) {
        let slot = index - self.delivered;
        if self.waiting.len() <= slot {
            self.waiting.resize_with(slot + 1, || None);
        }
        self.waiting[slot] = Some(result);
        while let Some(Some(_)) = self.waiting.front() {
            // Counted before the sink runs, so a panicking sink cannot hold the window shut.
            self.delivered += 1;
            if let Some(Some(result)) = self.waiting.pop_front() {
                (self.sink)(result);
            }
        }
    }
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn results_arrive_in_order_and_the_window_bounds_what_is_held() {
        let items: Vec<usize> = (0..500).collect();
        let in_flight = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let mut seen = Vec::new();
        ordered_map(
            &items,
            4,
            8,
            1 << 20,
            |&i| {
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                // Early items are slow, so later ones pile up behind them if nothing bounds them.
                if i % 50 == 0 {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                i * 2
            },
            |r| {
                in_flight.fetch_sub(1, Ordering::SeqCst);
                seen.push(r.unwrap());
            },
        );
        assert_eq!(seen, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert!(most.load(Ordering::SeqCst) <= 8, "{} results held at once", most.load(Ordering::SeqCst));
    }

    #[test]
    fn a_panic_is_reported_for_its_item_and_the_rest_still_arrive() {
        let items: Vec<usize> = (0..50).collect();
        let mut seen = Vec::new();
        ordered_map(
            &items,
            2,
            4,
            1 << 20,
            |&i| {
                assert!(i != 7, "bad input {i}");
                i
            },
            |r| seen.push(r),
        );
        assert_eq!(seen.len(), 50);
        assert_eq!(seen[7], Err("bad input 7".to_string()));
        assert_eq!(seen[8], Ok(8));
    }
}
