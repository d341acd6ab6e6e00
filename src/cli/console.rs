//! `powerdeck` with no subcommand: the console.

use std::process::ExitCode;

use powerdeck::refresh::Engine;
use powerdeck::ui::{self, ConsoleOptions};
use powerdeck::wizard::journal;
use tokio::sync::mpsc;

use super::inventory::sources;
use super::setup::Setup;

/// Runs the console until the operator quits.
pub async fn run(
    setup: &Setup,
    label: &str,
    read_only: bool,
    theme: Option<&str>,
) -> color_eyre::Result<ExitCode> {
    if powerdeck::config::state_dir().is_none() {
        return Err(color_eyre::eyre::eyre!(
            "neither XDG_STATE_HOME nor HOME is set, so the console has no place for its \
             journal of changes; set one of them"
        ));
    }
    let mut options = ConsoleOptions::from_config(&setup.config, theme)?;
    options.read_only = read_only;
    options.label = label.to_string();
    let options = options.honour_no_color();
    let transport = setup.transport();
    let (events_tx, events) = mpsc::channel(256);
    let engine = Engine::spawn(transport.clone(), sources(setup), events_tx);
    // Wizards run their plans over the same SSH sessions the refresh uses, journaled to
    // $XDG_STATE_HOME/powerdeck/journal.jsonl.
    ui::run(options, engine, events, transport, journal::default_path()).await?;
    Ok(ExitCode::SUCCESS)
}
