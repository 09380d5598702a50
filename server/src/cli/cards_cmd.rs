//! `interview-lens cards`: the bank, one line per card.

use std::process::ExitCode;

use super::{CardsArgs, OutputFormat, load_bank};
use crate::cards::{Card, Level};

pub fn run(args: CardsArgs) -> ExitCode {
    let bank = load_bank(&args.cards);
    let max = args.level.map_or(Level::Senior, Into::into);
    let mut cards: Vec<&Card> = bank.iter().filter(|c| c.level <= max).collect();
    cards.sort_by(|a, b| (a.level, &a.topic, &a.id).cmp(&(b.level, &b.topic, &b.id)));
    match args.format {
        OutputFormat::Json => {
            let items: Vec<_> = cards
                .iter()
                .map(|c| {
                    serde_json::json!({"id": c.id, "level": c.level, "kind": c.kind, "topic": c.topic, "title": c.title})
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into()));
        }
        OutputFormat::Text => {
            let width = cards.iter().map(|c| c.id.len()).max().unwrap_or(0);
            for card in &cards {
                println!("{:<width$}  {:<6}  {:<8}  {}", card.id, card.level, card.kind.as_str(), card.title);
            }
        }
    }
    ExitCode::SUCCESS
}
