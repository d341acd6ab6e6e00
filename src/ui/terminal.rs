//! Owning the terminal: raw mode, the alternate screen and mouse capture on the way in,
//! and everything put back on the way out — normal exit, error, panic or signal.

use std::cell::Cell;
use std::io::{self, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once, PoisonError};

use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::{Frame, Terminal};
use tokio::sync::Notify;

/// The terminal while the console owns it; dropping it gives the terminal back.
pub struct ConsoleTerminal {
    terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl ConsoleTerminal {
    /// Takes over the terminal and makes sure a panic gives it back first.
    pub fn enter() -> io::Result<ConsoleTerminal> {
        install_panic_hook();
        enable_raw_mode()?;
        TAKEN.store(true, Ordering::SeqCst);
        let mut stdout = io::stdout();
        if let Err(error) = execute!(stdout, EnterAlternateScreen, EnableMouseCapture) {
            restore();
            return Err(error);
        }
        match Terminal::new(CrosstermBackend::new(stdout)) {
            Ok(mut terminal) => {
                let _ = terminal.hide_cursor();
                Ok(ConsoleTerminal { terminal })
            }
            Err(error) => {
                restore();
                Err(error)
            }
        }
    }
}

impl ConsoleTerminal {
    /// Draws one frame with `render`; draws nothing once a panic has given the terminal
    /// back.
    pub fn draw(&mut self, render: impl FnOnce(&mut Frame)) -> io::Result<()> {
        let terminal = &mut self.terminal;
        writing(|| terminal.draw(render).map(drop)).unwrap_or(Ok(()))
    }

    /// Captures the mouse, or gives it back to the terminal (to select text).
    pub fn set_mouse(&mut self, on: bool) -> io::Result<()> {
        writing(|| {
            if on {
                execute!(io::stdout(), EnableMouseCapture)
            } else {
                execute!(io::stdout(), DisableMouseCapture)
            }
        })
        .unwrap_or(Ok(()))
    }
}

/// Held while the console writes to the terminal, and by the panic hook while it gives
/// the terminal back: a frame half-written by one thread never lands on the panic
/// message printed by another.
static OUTPUT: Mutex<()> = Mutex::new(());

thread_local! {
    /// Whether this thread holds [`OUTPUT`]: a panic while drawing must not wait for it.
    static WRITING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `write` holding [`OUTPUT`]; `None` (nothing written) once the terminal has been
/// given back (by the panic hook).
fn writing<T>(write: impl FnOnce() -> T) -> Option<T> {
    let _output = OUTPUT.lock().unwrap_or_else(PoisonError::into_inner);
    if !TAKEN.load(Ordering::SeqCst) {
        return None;
    }
    WRITING.with(|flag| flag.set(true));
    let written = write();
    WRITING.with(|flag| flag.set(false));
    Some(written)
}

impl Drop for ConsoleTerminal {
    fn drop(&mut self) {
        restore();
        let _ = self.terminal.show_cursor();
    }
}

/// Whether the console has the terminal (raw mode, alternate screen) right now.
static TAKEN: AtomicBool = AtomicBool::new(false);

/// Puts the terminal back as the shell had it. Safe to call more than once: only the
/// first call after [`ConsoleTerminal::enter`] writes anything, since leaving the
/// alternate screen twice would move the cursor back over what was printed between
/// (a panic message).
pub fn restore() {
    if !TAKEN.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
}

/// Set by the panic hook once a thread has panicked and its message is printed.
static PANICKED: AtomicBool = AtomicBool::new(false);
/// Wakes the console when the panic hook has run.
static PANIC_NOTICE: Notify = Notify::const_new();

/// Whether a thread of this process has panicked since the console took the terminal
/// (and the panic's message is printed).
pub fn has_panicked() -> bool {
    PANICKED.load(Ordering::SeqCst)
}

/// Resolves once a thread of this process has panicked (at once if one already has).
///
/// Exists so that a panic in a background task — tokio keeps it inside the task — ends
/// the console, instead of leaving it running with its terminal already given back.
pub async fn panicked() {
    if has_panicked() {
        return;
    }
    PANIC_NOTICE.notified().await;
}

/// Restores the terminal before the panic message is printed, so it is readable (after
/// any frame being drawn, and before no other), then tells the console to end: only
/// then, so the process cannot exit before the message is out.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            {
                // Not when this thread panicked while drawing: it holds the lock.
                let _output = (!WRITING.with(Cell::get))
                    .then(|| OUTPUT.lock().unwrap_or_else(PoisonError::into_inner));
                restore();
            }
            previous(info);
            PANICKED.store(true, Ordering::SeqCst);
            PANIC_NOTICE.notify_one();
        }));
    });
}
