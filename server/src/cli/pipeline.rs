//! Parallel work with results handed on in input order, holding at most a fixed window of them:
//! memory follows the window, not the number of inputs.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex};

/// Runs `work` on every item on `threads` worker threads (each with `stack_size` bytes of stack)
/// and calls `sink` on the main thread with each result, in the order of `items`.
///
/// A worker starts item `i` only once fewer than `window` results are waiting ahead of it, so at
/// most `window` results exist at a time. A panic in `work` reaches `sink` as `Err(message)` for
/// that item, so one bad input neither stalls the ordering nor loses the other results.
pub fn ordered_map<T, R>(
    items: &[T],
    threads: usize,
    window: usize,
    stack_size: usize,
    work: impl Fn(&T) -> R + Sync,
    mut sink: impl FnMut(Result<R, String>),
) where
    T: Sync,
    R: Send,
{
    let window = window.max(1);
    // `delivered` items went to the sink; workers may start items below `delivered + window`.
    let state = Mutex::new(Progress { next: 0, delivered: 0 });
    let advanced = Condvar::new();
    let (send, receive) = mpsc::channel::<(usize, Result<R, String>)>();
    std::thread::scope(|scope| {
        for n in 0..threads.clamp(1, items.len().max(1)) {
            let worker_send = send.clone();
            let (state, advanced, work) = (&state, &advanced, &work);
            let worker = move || {
                loop {
                    let index = {
                        let mut progress = state.lock().unwrap_or_else(|e| e.into_inner());
                        while progress.next < items.len() && progress.next >= progress.delivered + window {
                            progress = advanced.wait(progress).unwrap_or_else(|e| e.into_inner());
                        }
                        if progress.next >= items.len() {
                            return;
                        }
                        progress.next += 1;
                        progress.next - 1
                    };
                    let result = catch_unwind(AssertUnwindSafe(|| work(&items[index]))).map_err(panic_message);
                    if worker_send.send((index, result)).is_err() {
                        return;
                    }
                }
            };
            let spawned = std::thread::Builder::new()
                .name(format!("interview-lens-check-{n}"))
                .stack_size(stack_size)
                .spawn_scoped(scope, worker);
            if spawned.is_err() && n == 0 {
                // No thread at all: do the work here, in order.
                drop(send);
                for item in items {
                    sink(catch_unwind(AssertUnwindSafe(|| work(item))).map_err(panic_message));
                }
                return;
            }
        }
        drop(send);
        let mut waiting: BTreeMap<usize, Result<R, String>> = BTreeMap::new();
        let mut delivered = 0;
        while delivered < items.len() {
            let Ok((index, result)) = receive.recv() else { break };
            waiting.insert(index, result);
            while let Some(result) = waiting.remove(&delivered) {
                sink(result);
                delivered += 1;
            }
            state.lock().unwrap_or_else(|e| e.into_inner()).delivered = delivered;
            advanced.notify_all();
        }
    });
}

struct Progress {
    next: usize,
    delivered: usize,
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
