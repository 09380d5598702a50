//! A panic while the quiz holds the terminal leaves it as it was: off the alternate screen, out of
//! raw mode, cursor shown, and the panic message readable on the normal screen. The program has no
//! way to panic on purpose (and should not have one), so the test takes the terminal with the
//! quiz's own [`TerminalGuard`] in a child copy of this test binary, run in a pseudo-terminal, and
//! panics there. (The SIGTERM path is tested through the real binary in `practice.rs`.)

use std::io::Read as _;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use interview_lens::cli::terminal_guard::TerminalGuard;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// Set by the parent for the child it starts; the child test does nothing without it.
const CHILD: &str = "IL_TERMINAL_RESTORE_CHILD";
const MESSAGE: &str = "a deliberate panic while the terminal is taken";

/// The child: take the terminal as the quiz does, say so, wait for the parent, panic.
#[test]
#[ignore = "run by a_panic_restores_the_terminal in a pseudo-terminal"]
fn child_takes_the_terminal_and_panics() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    let _guard = TerminalGuard::enter().expect("take the terminal");
    println!("terminal taken");
    // The parent checks raw mode and the alternate screen, then sends a line.
    let mut byte = [0u8; 1];
    let _ = std::io::stdin().read(&mut byte);
    panic!("{MESSAGE}");
}

/// ICANON and ECHO of the terminal, read through the pseudo-terminal's master side.
fn cooked(master: &dyn portable_pty::MasterPty) -> bool {
    let fd = master.as_raw_fd().expect("the master's fd");
    // SAFETY: tcgetattr fills a termios we own, for an fd that stays open while `master` lives.
    let mut termios: libc::termios = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::tcgetattr(fd, &mut termios) }, 0, "tcgetattr");
    termios.c_lflag & libc::ICANON != 0 && termios.c_lflag & libc::ECHO != 0
}

#[test]
fn a_panic_restores_the_terminal() {
    let pair = native_pty_system()
        .openpty(PtySize { rows: 24, cols: 80, pixel_width: 0, pixel_height: 0 })
        .expect("open a pty");
    let mut cmd = CommandBuilder::new(std::env::current_exe().expect("this test binary"));
    cmd.args(["--exact", "child_takes_the_terminal_and_panics", "--ignored", "--nocapture", "--test-threads=1"]);
    cmd.env(CHILD, "1");
    cmd.env("TERM", "xterm-256color");
    cmd.env("RUST_BACKTRACE", "0");
    let mut child = pair.slave.spawn_command(cmd).expect("spawn the child");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("pty reader");
    let mut writer = pair.master.take_writer().expect("pty writer");
    let (tx, output) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut parser = vt100::Parser::new(24, 80, 0);
    let pump = |parser: &mut vt100::Parser, wait: Duration| {
        if let Ok(bytes) = output.recv_timeout(wait) {
            parser.process(&bytes);
        }
    };

    let deadline = Instant::now() + Duration::from_secs(30);
    while !parser.screen().contents().contains("terminal taken") {
        assert!(Instant::now() < deadline, "the child never took the terminal:\n{}", parser.screen().contents());
        pump(&mut parser, Duration::from_millis(50));
    }
    // The measurements can tell: while the guard holds, raw mode and the alternate screen are on.
    assert!(parser.screen().alternate_screen(), "not on the alternate screen");
    assert!(!cooked(pair.master.as_ref()), "not in raw mode while the terminal is taken");

    writer.write_all(b"\n").expect("wake the child");
    writer.flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "the child did not exit:\n{}", parser.screen().contents());
        pump(&mut parser, Duration::from_millis(50));
    };
    for _ in 0..10 {
        pump(&mut parser, Duration::from_millis(30));
    }
    let screen = parser.screen().contents();
    assert!(!status.success(), "the child did not panic:\n{screen}");
    assert!(!parser.screen().alternate_screen(), "still on the alternate screen:\n{screen}");
    assert!(!parser.screen().hide_cursor(), "the cursor is still hidden");
    assert!(cooked(pair.master.as_ref()), "still in raw mode after the panic");
    assert!(screen.contains(MESSAGE), "the panic message is not on the normal screen:\n{screen}");
}
