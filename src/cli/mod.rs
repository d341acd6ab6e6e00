//! Command-line interface (CONTRACTS.md "Command line").

mod inventory;
mod plan;
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
    /// Serve a simulated estate over SSH (HMCs, AIX globals, NIM masters).
    Sim(sim::SimArgs),
}

/// Runs the command line; the exit code follows the contract.
pub fn run(cli: Cli) -> color_eyre::Result<ExitCode> {
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
        None => {
            eprintln!(
                "powerdeck: the console is not part of this build yet; try `powerdeck sim --help`"
            );
            Ok(ExitCode::from(1))
        }
    }
}
