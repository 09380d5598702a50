fn main() -> std::process::ExitCode {
    interview_lens::cli::run()
}
