//! `powerdeck inventory --json|--csv`: one full refresh, printed, then exit.

use std::process::ExitCode;

use powerdeck::inventory::Inventory;
use powerdeck::refresh::{self, Source};
use powerdeck::text::{visible, visible_lines};

use super::setup::Setup;

/// Options of `powerdeck inventory`.
#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
pub struct InventoryArgs {
    /// Print one JSON document (see README.md).
    #[arg(long)]
    pub json: bool,
    /// Print one CSV table per object kind.
    #[arg(long)]
    pub csv: bool,
}

/// Exit 0 when every source answered in full, 2 when one or more did not.
pub async fn run(setup: &Setup, args: &InventoryArgs) -> color_eyre::Result<ExitCode> {
    let transport = setup.transport();
    let sources = sources(setup);
    let snapshots = refresh::refresh_all(transport, &sources).await;
    let inventory = Inventory::from_snapshots(&snapshots);
    if args.json {
        println!("{}", inventory.to_json());
    } else {
        print!("{}", inventory.to_csv());
    }
    for source in inventory.sources.iter().filter(|s| s.error.is_some()) {
        eprintln!(
            "powerdeck: {} ({}): {}",
            visible(&source.name),
            serde_json::to_string(&source.status)
                .unwrap_or_default()
                .trim_matches('"'),
            visible_lines(source.error.as_deref().unwrap_or_default())
        );
    }
    Ok(if inventory.complete() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// The sources of the config, with their refresh intervals.
pub fn sources(setup: &Setup) -> Vec<Source> {
    setup
        .config
        .sources
        .iter()
        .map(|source| Source {
            name: source.name.clone(),
            kind: source.kind,
            interval: setup.config.refresh.interval(source.kind),
        })
        .collect()
}
