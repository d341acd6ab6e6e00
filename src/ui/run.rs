//! The runner: owns the terminal, waits on keys, refresh events, the results of
//! background work (a running plan, the journal) and a one-second clock, and redraws only
//! when something visible changed (an idle console uses no CPU).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures::StreamExt;
use ratatui::crossterm::event::EventStream;
use tokio::sync::mpsc;

use crate::exec::Exec;
use crate::refresh::{Engine, Event};

use super::app::{App, Request};
use super::input::action_for;
use super::options::ConsoleOptions;
use super::render::render;
use super::services::Services;
use super::terminal::{self, ConsoleTerminal};
use super::theme::Theme;
use super::update::{update, Action};

/// Runs the console until the admin quits (or a terminating signal arrives). The
/// terminal is restored on every way out; a panic anywhere in the process (a refresh
/// poller, a running plan) ends the console with an error, printed after the panic's
/// message. `events` is the engine's channel; the console never waits on a host, only
/// on channels. Confirmed wizard plans run on `runner` (in practice the transport the
/// engine uses) in a task of their own, journaled to `journal`; with
/// `options.read_only` the executor refuses every change.
pub async fn run<R: Exec>(
    options: ConsoleOptions,
    engine: Engine,
    mut events: mpsc::Receiver<Event>,
    runner: Arc<R>,
    journal: PathBuf,
) -> color_eyre::Result<()> {
    let options = options.honour_no_color();
    let (actions_tx, mut actions) = mpsc::channel(1024);
    let services = Services::new(engine, runner, journal, options.read_only, actions_tx);
    services.load_journal();
    let mut app = App::new(options, SystemTime::now());
    let mut console = ConsoleTerminal::enter()?;
    let mut input = EventStream::new();
    let mut clock = tokio::time::interval(Duration::from_secs(1));
    clock.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut events_open = true;
    let mut redraw = true;
    #[cfg(unix)]
    let mut signals = {
        use tokio::signal::unix::{signal, SignalKind};
        [
            signal(SignalKind::interrupt())?,
            signal(SignalKind::terminate())?,
            signal(SignalKind::hangup())?,
        ]
    };
    loop {
        if terminal::has_panicked() {
            return Err(panic_error());
        }
        if redraw {
            let mut screen = None;
            console.draw(|frame| screen = Some(render(frame, &app)))?;
            if let Some(screen) = screen {
                app.set_screen(screen);
            }
            redraw = false;
        }
        #[cfg(unix)]
        let signalled = {
            let [interrupt, terminate, hangup] = &mut signals;
            async move {
                tokio::select! {
                    _ = interrupt.recv() => {}
                    _ = terminate.recv() => {}
                    _ = hangup.recv() => {}
                }
            }
        };
        #[cfg(not(unix))]
        let signalled = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        let action = tokio::select! {
            event = input.next() => match event {
                Some(Ok(event)) => action_for(&app, &event),
                Some(Err(error)) => return Err(error.into()),
                None => break,
            },
            event = events.recv(), if events_open => match event {
                Some(event) => Some(Action::Engine(event)),
                None => {
                    events_open = false;
                    None
                }
            },
            action = actions.recv() => action,
            _ = clock.tick() => Some(Action::Tick(SystemTime::now())),
            _ = signalled => Some(Action::Signal),
            _ = terminal::panicked() => return Err(panic_error()),
        };
        if let Some(action) = action {
            redraw |= update(&mut app, action);
        }
        for request in std::mem::take(&mut app.requests) {
            let Some(request) = services.handle(request) else {
                continue;
            };
            match request {
                Request::LoadTheme(name) => {
                    let loaded = Theme::load(&name).map_err(|error| error.to_string());
                    redraw |= update(&mut app, Action::ThemeLoaded(loaded));
                }
                Request::Mouse(on) => console.set_mouse(on)?,
                Request::Quit
                | Request::StopRun
                | Request::Refresh(_)
                | Request::Execute { .. }
                | Request::LoadJournal
                | Request::ReadFacts(_) => {}
            }
        }
        if app.quitting {
            break;
        }
    }
    drop(console);
    Ok(())
}

/// Why the console ended after a panic; the panic's own message is printed above it.
fn panic_error() -> color_eyre::Report {
    color_eyre::eyre::eyre!(
        "the console stopped: a part of powerdeck panicked (its message is above). Plans \
         that were running may have stopped mid-step: check the journal and the hosts"
    )
}
