//! The quiz's hold on the terminal (raw mode, the alternate screen, bracketed paste) and its
//! release on every way out: drop, a panic anywhere (the hook restores first, so the message lands
//! on the normal screen) and SIGTERM/SIGHUP. Public so that `tests/tests/terminal_restore.rs` can
//! take the terminal in a pseudo-terminal and panic, with no test hook in the program itself.

use std::io::{self, Write as _};

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};

/// Raw mode and the alternate screen for as long as it lives; restored when dropped, when the
/// program panics (the hook restores first, so the message lands on the normal screen) and on
/// SIGTERM/SIGHUP.
pub struct TerminalGuard;

impl TerminalGuard {
    /// Takes over the terminal: raw mode, the alternate screen and bracketed paste.
    pub fn enter() -> io::Result<TerminalGuard> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
        save_termios();
        install_signal_handlers();
        enable_raw_mode()?;
        let guard = TerminalGuard;
        crossterm::execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

fn restore_terminal() {
    let _ = crossterm::execute!(io::stdout(), DisableBracketedPaste, LeaveAlternateScreen, crossterm::cursor::Show);
    let _ = disable_raw_mode();
    let _ = io::stdout().flush();
}

/// The terminal settings before raw mode, for the signal handler (which may only make
/// async-signal-safe calls: `tcsetattr` and `write` are).
static mut SAVED_TERMIOS: Option<libc::termios> = None;

fn save_termios() {
    // SAFETY: tcgetattr fills the struct we own; SAVED_TERMIOS is written once, before the handlers
    // that read it are installed.
    unsafe {
        let mut termios: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(libc::STDIN_FILENO, &mut termios) == 0 {
            *std::ptr::addr_of_mut!(SAVED_TERMIOS) = Some(termios);
        }
    }
}

extern "C" fn on_terminate(signal: libc::c_int) {
    const RESET: &[u8] = b"\x1b[?2004l\x1b[?1049l\x1b[?25h";
    // SAFETY: only async-signal-safe calls; SAVED_TERMIOS is not written after the handler is set.
    unsafe {
        if let Some(termios) = &*std::ptr::addr_of!(SAVED_TERMIOS) {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, termios);
        }
        libc::write(libc::STDOUT_FILENO, RESET.as_ptr().cast(), RESET.len());
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
}

fn install_signal_handlers() {
    // SAFETY: the handler only makes async-signal-safe calls.
    unsafe {
        for signal in [libc::SIGTERM, libc::SIGHUP] {
            libc::signal(signal, on_terminate as *const () as libc::sighandler_t);
        }
    }
}
