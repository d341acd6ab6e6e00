//! The console over the story estate, without any host: the fixture snapshots are fed
//! through the same event channel the refresh engine uses, then a snapshot of
//! `aixglb01` fails every 20 s so staleness can be watched. For trying the console
//! before `powerdeck` wires it to real or simulated hosts.
//!
//! ```sh
//! cargo run --example console [-- --theme light] [-- --read-only]
//! ```

use std::time::{Duration, SystemTime};

use powerdeck::config::SourceKind;
use powerdeck::refresh::{Engine, Event, SourceSnapshot};
use powerdeck::sim::local::LocalTransport;
use powerdeck::ui::{self, fixture, ConsoleOptions, Theme};

#[tokio::main]
async fn main() -> color_eyre::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let theme = args
        .iter()
        .position(|a| a == "--theme")
        .and_then(|i| args.get(i + 1))
        .map(|name| Theme::load(name))
        .transpose()?
        .unwrap_or_default();
    let estate = fixture::story_estate();
    let options = ConsoleOptions {
        theme,
        read_only: args.iter().any(|a| a == "--read-only"),
        label: "story estate (offline example)".to_string(),
        globals: fixture::globals(&estate),
        ..ConsoleOptions::default()
    };
    let (tx, rx) = tokio::sync::mpsc::channel(64);
    // No pollers: the data comes from the fixture below.
    let world = std::sync::Arc::new(std::sync::Mutex::new(powerdeck::sim::World::new(
        estate.clone(),
    )));
    let transport = std::sync::Arc::new(LocalTransport::new(world));
    let engine = Engine::spawn(transport.clone(), Vec::new(), tx.clone());
    tokio::spawn(async move {
        for snapshot in fixture::snapshots(&estate, SystemTime::now()) {
            if tx.send(Event::Snapshot(snapshot)).await.is_err() {
                return;
            }
        }
        loop {
            tokio::time::sleep(Duration::from_secs(20)).await;
            let _ = tx.send(Event::Started("aixglb01".to_string())).await;
            tokio::time::sleep(Duration::from_secs(2)).await;
            let failed = SourceSnapshot::failed(
                "aixglb01",
                SourceKind::Aix,
                "aixglb01: connection timed out (example)",
            );
            if tx.send(Event::Snapshot(failed)).await.is_err() {
                return;
            }
        }
    });
    // Wizards run against the in-process world; their journal stays out of the real one.
    let journal = std::env::temp_dir().join("powerdeck-example-journal.jsonl");
    ui::run(options, engine, rx, transport, journal).await
}
