//! `powerdeck plan <wizard>`: read the estate once, build a wizard's plan and print it
//! as a shell script for a change ticket. Nothing is run.

use std::process::ExitCode;
use std::sync::Arc;

use clap::Subcommand;
use powerdeck::refresh;
use powerdeck::ssh::SshTransport;
use powerdeck::wizard::{self, CleanupChoices, EstateView, Plan, PlanError, RemoteRestartChoices};

use super::inventory::sources;
use super::setup::Setup;

/// The wizards whose plans can be printed.
#[derive(Debug, Subcommand)]
pub enum PlanArgs {
    /// Move a partition to another managed system (Live Partition Mobility).
    Relocate {
        #[arg(long, value_name = "NAME")]
        lpar: String,
        #[arg(long, value_name = "SYSTEM")]
        to: String,
    },
    /// Restart the partitions of a failed system on a healthy one.
    RemoteRestart {
        #[arg(long, value_name = "SYSTEM")]
        from: String,
        #[arg(long, value_name = "SYSTEM")]
        to: String,
        /// Only these partitions (repeatable); default: every restartable one.
        #[arg(long = "lpar", value_name = "NAME")]
        lpars: Vec<String>,
        /// Restarts that run at the same time.
        #[arg(long, value_name = "N", default_value_t = 4)]
        parallel: usize,
    },
    /// Clean up a system that is back after remote restarts or failed migrations.
    Cleanup {
        #[arg(long, value_name = "SYSTEM")]
        system: String,
        /// Keep reserved storage devices in the pool (`rrstartlpar --retaindev`).
        #[arg(long)]
        retain_devices: bool,
    },
}

/// Prints the plan; a plan that cannot be built exits 1 with its reason on stderr.
pub async fn run(setup: &Setup, args: &PlanArgs) -> color_eyre::Result<ExitCode> {
    let transport = Arc::new(SshTransport::from_config(&setup.config));
    let snapshots = refresh::refresh_all(transport, &sources(setup)).await;
    for snapshot in snapshots.iter().filter(|s| s.error.is_some()) {
        eprintln!(
            "powerdeck: warning: {}: {}",
            snapshot.name,
            snapshot.error.as_deref().unwrap_or_default()
        );
    }
    let view = EstateView::new(&snapshots);
    match build(view, args) {
        Ok(plan) => {
            print!("{}", plan.to_script());
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            eprintln!("powerdeck: cannot plan: {error}");
            Ok(ExitCode::from(1))
        }
    }
}

fn build(view: EstateView<'_>, args: &PlanArgs) -> Result<Plan, PlanError> {
    match args {
        PlanArgs::Relocate { lpar, to } => wizard::relocate(view, lpar, to),
        PlanArgs::RemoteRestart {
            from,
            to,
            lpars,
            parallel,
        } => wizard::remote_restart(
            view,
            from,
            to,
            &RemoteRestartChoices {
                lpars: lpars.clone(),
                priorities: Vec::new(),
                parallelism: *parallel,
            },
        ),
        PlanArgs::Cleanup {
            system,
            retain_devices,
        } => wizard::cleanup(
            view,
            system,
            CleanupChoices {
                retain_devices: *retain_devices,
            },
        ),
    }
}
