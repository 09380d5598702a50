//! `interview-lens check`: analyse files in parallel, optionally fix them, and report each file
//! as soon as it and the ones before it are done (a deterministic order, bounded memory).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::check_file::check_file;
use super::files::discover;
use super::history::{History, Seen};
use super::pipeline::ordered_map;
use super::report::{FixOutcome, Outcome, Reporter};
use super::terminal::{error, warning};
use super::{CheckArgs, OutputFormat, load_bank};
use crate::analysis::{ANALYSIS_STACK_SIZE, Applicability, Rule};
use crate::config::{PartialSettings, Resolver};

/// Results waiting to be printed, per worker thread: enough to keep the workers busy behind one
/// slow file, few enough that memory stays that of a handful of files.
const WINDOW_PER_THREAD: usize = 16;

pub fn run(args: CheckArgs) -> ExitCode {
    let (cli_settings, usage_errors) = cli_partial(&args);
    if !usage_errors.is_empty() {
        for message in usage_errors {
            error(message);
        }
        return ExitCode::from(2);
    }
    super::allocator::tune_for_batch();
    let history = match History::from_args(&args) {
        Ok(history) => history,
        Err(message) => {
            error(message);
            return ExitCode::from(2);
        }
    };
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let discovered = discover(&paths);

    // Settings per folder: the nearest pyproject under the command-line flags.
    let mut resolver = Resolver::new(cli_settings);
    let files: Vec<(&Path, usize)> = discovered
        .files
        .iter()
        .map(|file| (file.as_path(), resolver.for_dir(file.parent().unwrap_or(Path::new("")))))
        .collect();
    for found in resolver.take_warnings() {
        warning(found);
    }
    let bank = load_bank(&resolver.card_dirs());

    let mut io_errors = discovered.errors.len();
    for (path, message) in &discovered.errors {
        error(format!("{}: {message}", path.display()));
    }
    for (path, message) in &discovered.skipped {
        warning(format!("{}: {message}", path.display()));
    }

    let fix = args.fix.then_some(if args.unsafe_fixes { Applicability::Unsafe } else { Applicability::Safe });
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // Not locked for the run: the worker that finishes a file writes its report.
    let mut out = std::io::BufWriter::new(std::io::stdout());
    let mut reporter = Reporter::new(args.format, &bank, args.fix, args.unsafe_fixes);
    let needs = reporter.needs();
    let mut seen = Seen::default();
    let (mut findings, mut write_failure) = (0usize, None::<std::io::Error>);
    ordered_map(
        &files,
        threads,
        threads * WINDOW_PER_THREAD,
        ANALYSIS_STACK_SIZE,
        |&(path, settings)| {
            let mut report = check_file(path, resolver.settings(settings), &bank, fix, needs);
            if history.is_active() {
                history.annotate(&mut report);
            }
            report
        },
        |result| {
            let report = match result {
                Ok(report) => report,
                Err(panic) => {
                    io_errors += 1;
                    error(format!("internal error while checking a file: {panic}"));
                    return;
                }
            };
            let path = report.path.display();
            match &report.outcome {
                Outcome::Failed(message) => {
                    error(format!("{path}: {message}"));
                    io_errors += 1;
                }
                Outcome::Skipped(message) => warning(format!("{path}: {message}")),
                Outcome::Checked { entries, fixed } => {
                    findings += entries.len();
                    match fixed {
                        Some(FixOutcome::Refused(why)) => {
                            error(format!("{path}: not fixed: {why}"));
                            io_errors += 1;
                        }
                        // The text report says this inline; the other formats are for scripts and pages.
                        Some(FixOutcome::NotFixed(why)) if args.format != OutputFormat::Text => {
                            warning(format!("{path}: not fixed: {why}"));
                        }
                        _ => {}
                    }
                }
            }
            history.record(&mut seen, &report);
            if write_failure.is_some() {
                return;
            }
            if let Err(err) = reporter.file(&mut out, &report) {
                write_failure = Some(err);
            }
        },
    );
    if write_failure.is_none() {
        let finished = reporter.finish(&mut out, &history.resolved(&seen));
        write_failure = finished.and_then(|()| out.flush()).err();
    }
    if let Some(err) = write_failure {
        // A closed pipe (`| head`) is not worth a message.
        if err.kind() != std::io::ErrorKind::BrokenPipe {
            error(format!("writing the report: {err}"));
            return ExitCode::from(2);
        }
    }
    if io_errors > 0 {
        ExitCode::from(2)
    } else if findings > 0 && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn cli_partial(args: &CheckArgs) -> (PartialSettings, Vec<String>) {
    let mut errors = Vec::new();
    let mut rules = |ids: &[String], flag: &str| -> Option<Vec<Rule>> {
        if ids.is_empty() {
            return None;
        }
        let mut rules = Vec::new();
        for id in ids.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            match Rule::from_id(id) {
                Some(rule) => rules.push(rule),
                None => errors.push(format!("--{flag}: unknown rule `{id}` (see `interview-lens cards`)")),
            }
        }
        Some(rules)
    };
    let partial = PartialSettings {
        select: rules(&args.select, "select"),
        ignore: rules(&args.ignore, "ignore"),
        level: args.level.map(Into::into),
        cards: (!args.cards.is_empty()).then(|| args.cards.clone()),
        ..PartialSettings::default()
    };
    (partial, errors)
}
