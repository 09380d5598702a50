// The allocator Ruff uses too: analysis allocates many small nodes on two threads at once, where
// the system allocator's locking and consolidation showed up as a fifth of the run time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    interview_lens::cli::run()
}
