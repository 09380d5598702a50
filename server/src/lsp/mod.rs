//! `interview-lens serve`: the language server over stdio. Protocol glue only; detection lives in
//! `analysis`.

mod banks;
mod coalesce;
mod code_actions;
mod code_lens;
mod convert;
mod documents;
mod hover;
pub mod position;
mod practice_events;
mod quiz;
mod server;
mod settings;
mod transport;

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tower_lsp_server::{LspService, Server};

use crate::analysis::ANALYSIS_STACK_SIZE;

/// mimalloc reads its options once, before `main`. For a long-running server, committing arenas
/// lazily halves resident memory (about 60 MB -> 30 MB with 200 open files, bench/lsp_bench.py) at no
/// measurable latency cost, so `serve` re-executes itself once with the option set.
const LAZY_ARENAS: (&str, &str) = ("MIMALLOC_ARENA_EAGER_COMMIT", "0");

#[cfg(unix)]
fn reexec_with_lazy_arenas() {
    use std::os::unix::process::CommandExt;
    if std::env::var_os(LAZY_ARENAS.0).is_some() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else { return };
    // `exec` only returns on failure; then serve as we are.
    let error =
        std::process::Command::new(exe).args(std::env::args_os().skip(1)).env(LAZY_ARENAS.0, LAZY_ARENAS.1).exec();
    eprintln!("interview-lens: could not re-execute with lazy allocator arenas ({error}); continuing");
}

#[cfg(not(unix))]
fn reexec_with_lazy_arenas() {}

/// Serves until `exit`. Exit code 0 after `shutdown` then `exit`, 1 otherwise (LSP spec).
pub fn run_stdio() -> ExitCode {
    reexec_with_lazy_arenas();
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("INTERVIEW_LENS_LOG").unwrap_or_else(|_| "warn".into()),
        )
        .try_init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(2)
        // Analysis runs on blocking threads; deep nesting needs a large (lazily committed) stack.
        .thread_stack_size(ANALYSIS_STACK_SIZE)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::from(2);
        }
    };
    let shutdown = Arc::new(AtomicBool::new(false));
    let flag = shutdown.clone();
    runtime.block_on(async move {
        let (service, socket) = LspService::new(move |client| server::Backend::new(client, flag));
        let stdout = transport::SharedStdout::new();
        let (to_server, server_input) = tokio::io::duplex(1 << 20);
        let exit_seen = Arc::new(tokio::sync::Notify::new());
        if let Err(err) = transport::spawn_stdin_reader(to_server, stdout.clone(), exit_seen.clone()) {
            eprintln!("error: cannot start the stdin reader: {err}");
            return;
        }
        // The spec says exit means exit: do not wait for handlers still waiting on the client.
        tokio::select! {
            // A request waiting for an analysis holds one of these slots; with the library's
            // default of 4, a few such requests would hold up the notifications behind them.
            () = Server::new(server_input, stdout, socket).concurrency_level(32).serve(service) => {}
            () = async {
                exit_seen.notified().await;
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            } => {}
        }
    });
    // Blocking analysis threads may still run; do not wait for them.
    runtime.shutdown_background();
    if shutdown.load(Ordering::SeqCst) { ExitCode::SUCCESS } else { ExitCode::from(1) }
}
