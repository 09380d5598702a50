//! `interview-lens explain ID`: one card, for a terminal (or as Markdown).

use std::process::ExitCode;

use super::terminal::{error, inert};
use super::{ExplainArgs, cards_layer, load_bank, settings_here};
use crate::cards::{render_markdown, render_terminal};

pub fn run(args: ExplainArgs) -> ExitCode {
    let settings = settings_here(cards_layer(&args.cards));
    let bank = load_bank(&settings.cards);
    match bank.get(&args.id) {
        Some(card) => {
            let text = if args.markdown { render_markdown(card, None) } else { render_terminal(card) };
            print!("{}", inert(&text));
            ExitCode::SUCCESS
        }
        None => {
            let hint = bank.suggest(&args.id).map(|s| format!(" Did you mean `{s}`?")).unwrap_or_default();
            error(format!("no card `{}`.{hint} `interview-lens cards` lists them all.", args.id));
            ExitCode::from(2)
        }
    }
}
