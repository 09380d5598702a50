//! `interview-lens cards`: the bank, one line per card.

use std::process::ExitCode;

use super::report::to_inert_pretty;
use super::terminal::inert_line;
use super::{CardsArgs, CardsFormat, cards_layer, load_bank, settings_here};
use crate::cards::Card;

pub fn run(args: CardsArgs) -> ExitCode {
    let mut layer = cards_layer(&args.cards);
    layer.level = args.level.map(Into::into);
    let settings = settings_here(layer);
    let bank = load_bank(&settings.cards);
    let max = settings.level;
    let mut cards: Vec<&Card> = bank.iter().filter(|c| c.level <= max).collect();
    cards.sort_by(|a, b| (a.level, &a.topic, &a.id).cmp(&(b.level, &b.topic, &b.id)));
    match args.format {
        CardsFormat::Json => {
            let items: Vec<_> = cards
                .iter()
                .map(|c| {
                    serde_json::json!({"id": c.id, "level": c.level, "kind": c.kind, "topic": c.topic, "title": c.title})
                })
                .collect();
            println!("{}", to_inert_pretty(&items));
        }
        CardsFormat::Text => {
            let width = cards.iter().map(|c| c.id.len()).max().unwrap_or(0);
            for card in &cards {
                // Ids are validated (lowercase letters, digits, dashes); titles are the author's text.
                println!(
                    "{:<width$}  {:<6}  {:<8}  {}",
                    card.id,
                    card.level,
                    card.kind.as_str(),
                    inert_line(&card.title)
                );
            }
        }
    }
    ExitCode::SUCCESS
}
