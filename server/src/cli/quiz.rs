//! `interview-lens quiz`: picks the cards (from the bank by level/topic, or the questions your own
//! code raises with `--from`), then runs the terminal quiz over a [`Session`].

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::check_file::check_file;
use super::files::discover;
use super::report::{Needs, Outcome};
use super::terminal::{error, warning};
use super::{LevelArg, cards_layer, load_bank};
use crate::analysis::ANALYSIS_STACK_SIZE;
use crate::cards::{Bank, Level};
use crate::config::{PartialSettings, Resolver};
use crate::practice::{self, Location, QuizItem, Selection, Session, SessionLimits, Store};

#[derive(clap::Args)]
pub struct QuizArgs {
    /// Cards up to this level.
    #[arg(long, value_enum)]
    level: Option<LevelArg>,
    /// One topic: its name ("Data structures") or slug (data-structures), or a card id.
    #[arg(long, value_name = "ID")]
    topic: Option<String>,
    /// The questions your own code raises: the findings in these files or folders.
    #[arg(long, value_name = "PATH")]
    from: Vec<PathBuf>,
    /// At most this many cards.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Extra card folder (repeatable).
    #[arg(long)]
    cards: Vec<PathBuf>,
}

pub fn run(args: QuizArgs) -> ExitCode {
    let mut layer = cards_layer(&args.cards);
    layer.level = args.level.map(Into::into);
    let level = args.level.map(Level::from);
    let selection = Selection { level, topic: args.topic.clone() };
    let store = match Store::open_default() {
        Ok(store) => store,
        Err(e) => {
            error(e);
            return ExitCode::from(2);
        }
    };
    let limits = SessionLimits { max_items: args.limit, ..SessionLimits::default() };

    let (bank, items) = if args.from.is_empty() {
        let settings = super::settings_here(layer);
        let bank = load_bank(&settings.cards);
        if let Some(topic) = &selection.topic
            && !bank.iter().any(|c| selection.matches(c))
            && !bank.iter().any(|c| Selection { topic: Some(topic.clone()), level: None }.matches(c))
        {
            error(format!("no card has the topic or id `{topic}`; `interview-lens cards` lists them"));
            return ExitCode::from(2);
        }
        let items = match practice::select_from_bank(&store, &bank, &selection, &limits, practice::now()) {
            Ok(items) => items,
            Err(e) => {
                error(e);
                return ExitCode::from(2);
            }
        };
        (bank, items)
    } else {
        match items_from_code(&args.from, layer, &selection) {
            Ok(found) => found,
            Err(code) => return code,
        }
    };

    if items.is_empty() {
        if args.from.is_empty() {
            println!("Nothing to review now: no card is due and today's new cards are done. Come back tomorrow.");
        } else {
            println!(
                "Your code raises no interview questions{}.",
                if level.is_some() || args.topic.is_some() { " for that selection" } else { "" }
            );
        }
        return ExitCode::SUCCESS;
    }
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        error("`quiz` is an interactive terminal program; run it in a terminal");
        return ExitCode::from(2);
    }
    let session = match Session::new(store, &bank, items, limits) {
        Ok(session) => session,
        Err(e) => {
            error(e);
            return ExitCode::from(2);
        }
    };
    match super::quiz_tui::run(session, &bank) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            error(format!("quiz: {e}"));
            ExitCode::from(2)
        }
    }
}

/// One item per card the findings in `paths` belong to (the first finding of each card gives
/// the location and the excerpt), in file and line order.
fn items_from_code(
    paths: &[PathBuf],
    layer: PartialSettings,
    selection: &Selection,
) -> Result<(Bank, Vec<QuizItem>), ExitCode> {
    let discovered = discover(paths);
    for (path, message) in &discovered.errors {
        error(format!("{}: {message}", path.display()));
    }
    for (path, message) in &discovered.skipped {
        warning(format!("{}: {message}", path.display()));
    }
    if !discovered.errors.is_empty() {
        return Err(ExitCode::from(2));
    }
    let mut resolver = Resolver::new(layer);
    let files: Vec<(PathBuf, usize)> = discovered
        .files
        .iter()
        .map(|file| (file.clone(), resolver.for_dir(file.parent().unwrap_or(Path::new("")))))
        .collect();
    for found in resolver.take_warnings() {
        warning(found);
    }
    let bank = load_bank(&resolver.card_dirs());
    let needs = Needs { excerpts: true, ..Needs::default() };
    // The analysis recurses on deep nesting: run it on a thread with the stack `check` gives it.
    let found = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(ANALYSIS_STACK_SIZE)
            .spawn_scoped(scope, || {
                let mut items = Vec::new();
                for (path, settings) in &files {
                    let report = check_file(path, resolver.settings(*settings), &bank, None, needs);
                    let Outcome::Checked { entries, .. } = report.outcome else { continue };
                    for entry in entries {
                        let Some(rule) = entry.rule else { continue };
                        let Some(card) = bank.get(rule.id()) else { continue };
                        if !selection.matches(card) {
                            continue;
                        }
                        items.push(QuizItem {
                            card_id: card.id.clone(),
                            location: Some(Location {
                                path_or_uri: path.display().to_string(),
                                line: entry.start.0 as u32,
                            }),
                            excerpt: entry.excerpt,
                        });
                    }
                }
                items
            })
            .map(|handle| handle.join().unwrap_or_default())
    });
    match found {
        Ok(items) => Ok((bank, items)),
        Err(e) => {
            error(format!("cannot start the analysis thread: {e}"));
            Err(ExitCode::from(2))
        }
    }
}
