//! The command line: `check`, `explain`, `cards`, `quiz`, `progress`, `serve`.

mod allocator;
mod answer_box;
mod cards_cmd;
mod check;
mod check_file;
mod explain;
mod files;
mod history;
mod pipeline;
mod practice_cmd;
mod progress;
mod quiz;
mod quiz_tui;
mod report;
mod terminal;
pub mod terminal_guard;
mod write_back;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::cards::Level;

#[derive(Parser)]
#[command(name = "interview-lens", version, about = "Python interview practice from the code you write")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Report interview red flags in Python files, with the interview question each belongs to.
    Check(CheckArgs),
    /// Print the interview card for a rule or concept.
    Explain(ExplainArgs),
    /// List the cards in the question bank.
    Cards(CardsArgs),
    /// A spaced-repetition quiz in the terminal: due cards, or the questions your own code raises.
    Quiz(quiz::QuizArgs),
    /// What you have practised: cards seen, reviewed and due by level and topic, exercises, streak.
    Progress(progress::ProgressArgs),
    /// Exercises: a file with a red flag to fix, done when the engine no longer reports it.
    Practice(PracticeArgs),
    /// Run the language server over stdio (for editors).
    Serve(ServeArgs),
}

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Accepted for clients that append it; stdio is the only transport.
    #[arg(long)]
    stdio: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
    /// A review a mentor can hand over (`check` only).
    Markdown,
    /// SARIF 2.1.0, for code-scanning tools (`check` only).
    Sarif,
}

/// `cards --format`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CardsFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LevelArg {
    Junior,
    Mid,
    Senior,
}

impl From<LevelArg> for Level {
    fn from(level: LevelArg) -> Level {
        match level {
            LevelArg::Junior => Level::Junior,
            LevelArg::Mid => Level::Mid,
            LevelArg::Senior => Level::Senior,
        }
    }
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Files or folders to check (folders are walked, honouring .gitignore). Default: `.`
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
    /// Apply safe fixes in place.
    #[arg(long)]
    fix: bool,
    /// With --fix, also apply unsafe fixes (behaviour-preserving in the usual case only).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Only these rule ids (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rule ids (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Report cards up to this level.
    #[arg(long, value_enum)]
    level: Option<LevelArg>,
    /// Extra card folder (repeatable).
    #[arg(long)]
    cards: Vec<PathBuf>,
    /// Exit 0 even when there are findings (errors still exit 2), as Ruff's flag does.
    #[arg(long)]
    exit_zero: bool,
    /// An earlier `--format json` report: mark findings new or still open, and list the resolved.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Only findings on lines changed since this git revision (and in untracked files).
    #[arg(long, value_name = "REV")]
    diff: Option<String>,
    /// Split the report by the `git blame` author of each finding's first line.
    #[arg(long)]
    by_author: bool,
}

#[derive(clap::Args)]
pub struct ExplainArgs {
    /// A rule or card id, e.g. mutable-default-argument.
    id: String,
    /// Print Markdown instead of terminal text.
    #[arg(long)]
    markdown: bool,
    /// Extra card folder (repeatable).
    #[arg(long)]
    cards: Vec<PathBuf>,
}

#[derive(clap::Args)]
pub struct PracticeArgs {
    #[command(subcommand)]
    command: PracticeCommand,
}

#[derive(Subcommand)]
enum PracticeCommand {
    /// Write an exercise file containing a topic's red flag and print its path.
    New {
        /// The card (rule id) to practise, e.g. mutable-default-argument.
        #[arg(long, conflicts_with = "level")]
        topic: Option<String>,
        /// A topic at this level, one without an exercise yet when there is one.
        #[arg(long, value_enum)]
        level: Option<LevelArg>,
        /// Where to write the exercise (default: the current folder).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Extra card folder (repeatable).
        #[arg(long)]
        cards: Vec<PathBuf>,
    },
    /// Check an exercise: done when its topic's findings are gone, it parses and its self-test passes.
    Check {
        /// The exercise file (default: the latest open exercise).
        file: Option<PathBuf>,
        /// Extra card folder (repeatable).
        #[arg(long)]
        cards: Vec<PathBuf>,
    },
}

#[derive(clap::Args)]
pub struct CardsArgs {
    /// Only cards up to this level.
    #[arg(long, value_enum)]
    level: Option<LevelArg>,
    #[arg(long, value_enum, default_value = "text")]
    format: CardsFormat,
    /// Extra card folder (repeatable).
    #[arg(long)]
    cards: Vec<PathBuf>,
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Cards(args) => cards_cmd::run(args),
        Command::Quiz(args) => quiz::run(args),
        Command::Progress(args) => progress::run(args),
        Command::Practice(args) => practice_cmd::run(args),
        Command::Serve(_) => crate::lsp::run_stdio(),
    }
}

/// The built-in bank plus user folders; load problems go to stderr and the rest still loads.
fn load_bank(dirs: &[PathBuf]) -> crate::cards::Bank {
    let (bank, errors) = crate::cards::Bank::with_folders(dirs);
    for problem in errors {
        terminal::warning(format!("card {problem}"));
    }
    bank
}

/// Settings for commands that are about the bank, not files (`explain`, `cards`): the current
/// folder's pyproject.toml under the flags, resolved as `check` resolves them. Warnings go to
/// stderr.
fn settings_here(client: crate::config::PartialSettings) -> crate::config::Settings {
    let (settings, _, warnings) = crate::config::settings_for_dir(std::path::Path::new(""), &client);
    for found in warnings {
        terminal::warning(found);
    }
    settings
}

/// `--cards` flags as a settings layer.
fn cards_layer(cards: &[PathBuf]) -> crate::config::PartialSettings {
    crate::config::PartialSettings { cards: (!cards.is_empty()).then(|| cards.to_vec()), ..Default::default() }
}
