//! Command-line interface (README.md, "Using it").

mod console;
mod inventory;
mod logging;
mod passphrase;
mod plan;
mod readiness;
mod setup;
mod sim;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// A terminal operations console for IBM Power estates.
#[derive(Debug, Parser)]
#[command(name = "powerdeck", version, about)]
pub struct Cli {
    /// Config file (default: $XDG_CONFIG_HOME/powerdeck/config.toml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Use the built-in simulated estate, served in-process over SSH on loopback.
    #[arg(long, global = true)]
    pub demo: bool,
    /// Make every change impossible: wizards show their plans but the executor refuses
    /// to run a changing step.
    #[arg(long)]
    pub read_only: bool,
    /// Colour theme: dark, light, high-contrast, colorblind, or a user theme's name.
    #[arg(long, value_name = "NAME")]
    pub theme: Option<String>,
    /// How much to write to the log ($XDG_STATE_HOME/powerdeck/powerdeck.log).
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "LEVEL",
        env = "POWERDECK_LOG",
        ignore_case = true,
        default_value_t = logging::LogLevel::Info
    )]
    pub log_level: logging::LogLevel,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Refresh every source once and print the inventory (exit 2 if a source failed).
    Inventory(inventory::InventoryArgs),
    /// Print a wizard's plan as a shell script, without running anything.
    #[command(subcommand)]
    Plan(plan::PlanArgs),
    /// Remote restart what-if: where each system's partitions would restart if it failed
    /// now, and why some would not (exit 2 if a system is not covered).
    Readiness(readiness::ReadinessArgs),
    /// Serve a simulated estate over SSH (HMCs, AIX globals, NIM masters).
    Sim(sim::SimArgs),
}

/// Runs the command line; the exit code follows the contract.
pub fn run(cli: Cli) -> color_eyre::Result<ExitCode> {
    logging::start(cli.log_level, logging::default_path().as_deref());
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        command = ?cli.command,
        demo = cli.demo,
        "powerdeck started"
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    match cli.command {
        Some(Command::Sim(args)) => runtime.block_on(sim::run(args)),
        Some(Command::Plan(args)) => runtime.block_on(async {
            let setup = setup::load(cli.config.as_deref(), cli.demo).await?;
            plan::run(&setup, &args).await
        }),
        Some(Command::Inventory(args)) => runtime.block_on(async {
            let setup = setup::load(cli.config.as_deref(), cli.demo).await?;
            inventory::run(&setup, &args).await
        }),
        Some(Command::Readiness(args)) => runtime.block_on(async {
            let setup = setup::load(cli.config.as_deref(), cli.demo).await?;
            readiness::run(&setup, &args).await
        }),
        None => runtime.block_on(async {
            let setup = setup::load(cli.config.as_deref(), cli.demo).await?;
            let label = if cli.demo {
                "demo estate".to_string()
            } else {
                setup.config.origin.clone()
            };
            console::run(&setup, &label, cli.read_only, cli.theme.as_deref()).await
        }),
    }
}
