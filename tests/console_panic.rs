//! A panic in a background task of the console (here a refresh poller, whose transport
//! panics on the refresh the `r` key asks for) ends the console: the alternate screen is left, the terminal is back in
//! cooked mode, the panic message and the console's error are printed, and the process
//! does not exit 0. The console runs in tmux (see `common::tmux`): this test binary
//! starts itself there, running only [`console_with_a_panicking_poller`].

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::tmux::Tmux;
use powerdeck::config::SourceKind;
use powerdeck::exec::{CommandOutput, Exec, ExecError};
use powerdeck::refresh::{Engine, Source};
use powerdeck::ui::ConsoleOptions;
use tokio::sync::mpsc;

/// Set in the environment of the console this test binary runs in tmux.
const CHILD: &str = "POWERDECK_TEST_CONSOLE_CHILD";

#[test]
fn a_panic_in_a_background_task_ends_the_console_with_the_terminal_restored() {
    let this = std::env::current_exe().expect("the test binary's path");
    let tmux = Tmux::start(
        "panic",
        this.to_str().expect("UTF-8 path"),
        &[
            "--exact",
            "console_with_a_panicking_poller",
            "--ignored",
            "--nocapture",
        ],
        // A backtrace would push the panic message off the 35-line screen.
        &[(CHILD, "1"), ("RUST_BACKTRACE", "0")],
    );
    tmux.wait_text("Managed systems", Duration::from_secs(30));
    tmux.keys(&["r"]);
    let screen = tmux.wait_for("the console to end", Duration::from_secs(30), |screen| {
        screen.contains("terminal restored") || screen.contains("terminal left raw")
    });
    assert!(screen.contains("the refresh poller exploded"), "{screen}");
    assert!(
        screen.contains("ui::run ended: the console stopped"),
        "{screen}"
    );
    assert!(screen.contains("exited with 3"), "{screen}");
    assert!(screen.contains("terminal restored"), "{screen}");
    assert!(!screen.contains("Managed systems"), "{screen}");
    let alternate = tmux.run(&["display-message", "-p", "-t", "main", "#{alternate_on}"]);
    assert_eq!(String::from_utf8_lossy(&alternate.stdout).trim(), "0");
}

/// A transport that answers each command line once with nothing, and panics (in the
/// poller's task) when the same line comes again: on the refresh the `r` key asks for.
#[derive(Default)]
struct Exploding {
    seen: Mutex<HashSet<String>>,
}

impl Exec for Exploding {
    async fn exec(&self, _host: &str, line: String) -> Result<CommandOutput, ExecError> {
        if !self.seen.lock().unwrap().insert(line) {
            panic!("the refresh poller exploded");
        }
        Ok(CommandOutput::new("", "", 0))
    }
}

/// The console the test above drives; exits 3 when `ui::run` ends with an error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run in tmux by a_panic_in_a_background_task_ends_the_console_with_the_terminal_restored"]
async fn console_with_a_panicking_poller() {
    assert!(
        std::env::var_os(CHILD).is_some(),
        "started by a_panic_in_a_background_task_ends_the_console_with_the_terminal_restored \
         in a terminal, not by itself"
    );
    let state = std::env::var_os("XDG_STATE_HOME").expect("tmux sets a private state dir");
    let journal = std::path::PathBuf::from(state).join("journal.jsonl");
    let (events_tx, events) = mpsc::channel(16);
    let sources = vec![Source {
        name: "hmc01".to_string(),
        kind: SourceKind::Hmc,
        interval: Duration::from_secs(30),
    }];
    let transport = Arc::new(Exploding::default());
    let engine = Engine::spawn(transport.clone(), sources, events_tx);
    let ended = powerdeck::ui::run(
        ConsoleOptions::default(),
        engine,
        events,
        transport,
        journal,
    )
    .await;
    match ended {
        Ok(()) => eprintln!("ui::run ended without an error"),
        Err(error) => {
            eprintln!("ui::run ended: {error}");
            std::process::exit(3);
        }
    }
}
