//! `interview-lens practice new|check`: exercise files that finish when their red flag is gone.
//! Exercises are recorded in the practice store; a store that cannot be opened is a warning, never
//! a reason to refuse the exercise itself.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::terminal::{error, inert, inert_line, warning};
use super::{PracticeArgs, PracticeCommand, cards_layer, load_bank, settings_here};
use crate::exercise::{self, Choice, SelfTest};
use crate::practice::Store;

pub fn run(args: PracticeArgs) -> ExitCode {
    match args.command {
        PracticeCommand::New { topic, level, dir, cards } => new(topic, level.map(Into::into), dir, &cards),
        PracticeCommand::Check { file, cards } => check(file, &cards),
    }
}

fn open_store() -> Option<Store> {
    match Store::open_default() {
        Ok(store) => Some(store),
        Err(err) => {
            warning(format!("practice progress is not recorded: {err}"));
            None
        }
    }
}

fn new(topic: Option<String>, level: Option<crate::cards::Level>, dir: Option<PathBuf>, cards: &[PathBuf]) -> ExitCode {
    let settings = settings_here(cards_layer(cards));
    let bank = load_bank(&settings.cards);
    let mut store = open_store();
    let taken: Vec<String> = store
        .as_ref()
        .and_then(|s| s.exercises().map_err(|err| warning(format!("reading exercises: {err}"))).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|e| e.card_id)
        .collect();
    let choice = match (&topic, level) {
        (Some(id), _) => Choice::Topic(id),
        (None, Some(level)) => Choice::Level(level),
        (None, None) => Choice::Any,
    };
    let card = match exercise::choose(&bank, &choice, &taken) {
        Ok(card) => card,
        Err(err) => {
            error(inert_line(&err.to_string()));
            return ExitCode::from(2);
        }
    };
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    let path = match exercise::write(card, &dir) {
        Ok(path) => path,
        Err(err) => {
            error(format!("cannot write the exercise into {}: {err}", inert_line(&dir.display().to_string())));
            return ExitCode::from(2);
        }
    };
    if let Some(store) = &mut store
        && let Err(err) = store.add_exercise(&card.id, &path)
    {
        warning(format!("the exercise is not recorded: {err}"));
    }
    println!("{}", inert_line(&path.display().to_string()));
    eprintln!(
        "{}: fix the red flag, then run `interview-lens practice check {}`",
        inert_line(&card.title),
        inert_line(&path.display().to_string())
    );
    ExitCode::SUCCESS
}

/// The latest open exercise in the store, for `practice check` without a file.
fn latest_open(store: Option<&Store>) -> Result<PathBuf, String> {
    let store = store.ok_or("no FILE given and no practice store to find the latest exercise in")?;
    let exercises = store.exercises().map_err(|err| format!("reading exercises: {err}"))?;
    exercises
        .into_iter()
        .filter(|e| e.done_at.is_none())
        .max_by_key(|e| (e.created_at, e.id))
        .map(|e| PathBuf::from(e.path))
        .ok_or_else(|| "no open exercise; start one with `interview-lens practice new`".into())
}

fn check(file: Option<PathBuf>, cards: &[PathBuf]) -> ExitCode {
    let settings = settings_here(cards_layer(cards));
    let bank = load_bank(&settings.cards);
    let mut store = open_store();
    let path = match file.map_or_else(|| latest_open(store.as_ref()), Ok) {
        Ok(path) => path,
        Err(message) => {
            error(message);
            return ExitCode::from(2);
        }
    };
    let shown = inert_line(&path.display().to_string()).into_owned();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) => {
            error(format!("{shown}: {err}"));
            return ExitCode::from(2);
        }
    };
    let Some(card_id) = card_of(&text, &path, store.as_ref()) else {
        error(format!(
            "{shown}: not an exercise (no `{}` header line); start one with `interview-lens practice new`",
            exercise::MARKER.trim_end()
        ));
        return ExitCode::from(2);
    };
    let title = bank.get(&card_id).map_or_else(|| card_id.clone(), |c| c.title.clone());
    let result = exercise::check(&path, &text, &card_id);
    let line_of = |offset: u32| text[..offset as usize].matches('\n').count() + 1;
    for finding in &result.remaining {
        println!("{shown}:{}: {} {}", line_of(finding.range.start().into()), card_id, inert_line(&finding.message));
    }
    for message in &result.syntax_errors {
        println!("{shown}: syntax error: {}", inert_line(message));
    }
    if !result.done() {
        let mut reasons = Vec::new();
        if !result.remaining.is_empty() {
            let n = result.remaining.len();
            reasons.push(format!("{n} finding{} of `{card_id}` left", if n == 1 { "" } else { "s" }));
        }
        if !result.syntax_errors.is_empty() {
            reasons.push("the file does not parse".to_string());
        }
        if let SelfTest::Failed(why) = &result.self_test {
            reasons.push(format!("its self-test failed ({})", inert_line(why)));
        }
        println!("Not done yet: {}. `interview-lens explain {card_id}` shows the card.", reasons.join("; "));
        return ExitCode::from(1);
    }
    let self_test = match result.self_test {
        SelfTest::Passed => ", and its self-test passes",
        _ => "",
    };
    println!("Done: {} — no `{card_id}` finding left, the file parses{self_test}.", inert(&title));
    if !result.others.is_empty() {
        println!("(Other findings remain: `interview-lens check {shown}` lists them.)");
    }
    if let Some(store) = &mut store {
        // An exercise made by hand or in another data folder: record it, then finish it.
        let recorded = store.finish_exercise(&path).and_then(|newly| match newly {
            true => Ok(true),
            false => {
                let known = store.exercises()?.iter().any(|e| same_file(Path::new(&e.path), &path));
                if known {
                    Ok(false)
                } else {
                    store.add_exercise(&card_id, &path)?;
                    store.finish_exercise(&path)
                }
            }
        });
        match recorded {
            Ok(true) => println!("Recorded as done."),
            Ok(false) => {}
            Err(err) => warning(format!("the exercise is done but not recorded: {err}")),
        }
    }
    ExitCode::SUCCESS
}

/// The card from the file's header, else the one the store has for the file.
fn card_of(text: &str, path: &Path, store: Option<&Store>) -> Option<String> {
    if let Some(id) = exercise::card_of(text) {
        return Some(id.to_string());
    }
    let exercises = store?.exercises().ok()?;
    exercises.into_iter().find(|e| same_file(Path::new(&e.path), path)).map(|e| e.card_id)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
