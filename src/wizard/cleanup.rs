//! Cleanup of a system that is back: stale copies of partitions restarted elsewhere,
//! and partitions left behind by a failed migration.

use std::time::Duration;

use super::plan::{Condition, Plan, Step, StepKind};
use super::relocate::system_name;
use super::view::EstateView;
use super::PlanError;
use crate::estate::SystemState;
use crate::sources::hmc::commands::{self, MigrationOp, RemoteRestartOp};

/// The operator's choices for a cleanup.
#[derive(Debug, Clone, Copy, Default)]
pub struct CleanupChoices {
    /// `--retaindev`: keep each partition's reserved storage device in the pool
    /// (without it the device is removed from the pool).
    pub retain_devices: bool,
}

/// What a system needs cleaned up, for flags in the views.
pub fn needs_cleanup(view: EstateView<'_>, system: &str) -> Vec<String> {
    view.find_system(system)
        .iter()
        .flat_map(|s| s.data.lpars.iter())
        .filter(|lpar| {
            lpar.remote_restart_status
                .as_ref()
                .is_some_and(|s| s.needs_cleanup())
                || lpar
                    .migration_state
                    .as_ref()
                    .is_some_and(|s| s.needs_recovery())
        })
        .map(|lpar| lpar.name.clone())
        .collect()
}

/// Builds the cleanup plan for `system`.
pub fn cleanup(
    view: EstateView<'_>,
    system: &str,
    choices: CleanupChoices,
) -> Result<Plan, PlanError> {
    let found = *view
        .find_system(system)
        .first()
        .ok_or_else(|| PlanError::not_found(format!("no managed system called {system}")))?;
    let hmc = found.hmc;
    let name = system_name(view, found);
    if !found.system().state.allows_cleanup() {
        return Err(PlanError::refused(format!(
            "{name} is {}: cleanup runs once the system is back in Operating or Standby",
            found.system().state
        )));
    }
    let built = |command: Result<_, _>| command.map_err(PlanError::from);
    let mut steps = vec![Step::new(
        hmc,
        StepKind::Check,
        built(commands::lssyscfg_sys(Some(&name), &["name", "state"]))?,
        format!("{name} is Operating or Standby"),
    )
    .until(
        Condition::SystemState {
            system: name.clone(),
            states: vec![SystemState::Operating, SystemState::Standby],
        },
        Duration::ZERO,
    )];
    let mut restarted = Vec::new();
    let mut migrated = Vec::new();
    for lpar in &found.data.lpars {
        if lpar
            .remote_restart_status
            .as_ref()
            .is_some_and(|s| s.needs_cleanup())
        {
            restarted.push(lpar.name.clone());
            steps.push(Step::new(
                hmc,
                StepKind::Change,
                built(commands::rrstartlpar(
                    &name,
                    &lpar.name,
                    RemoteRestartOp::Cleanup {
                        retain_device: choices.retain_devices,
                        force: false,
                    },
                ))?,
                format!(
                    "remove the stale copy of {} (restarted elsewhere){}",
                    lpar.name,
                    if lpar.needs_reserved_storage() {
                        if choices.retain_devices {
                            ", keeping its reserved storage device in the pool"
                        } else {
                            ", and its reserved storage device from the pool"
                        }
                    } else {
                        ""
                    }
                ),
            ));
            steps.push(
                Step::new(
                    hmc,
                    StepKind::Verify,
                    built(commands::lssyscfg_lpar(
                        &name,
                        &[lpar.name.as_str()],
                        &["name", "state"],
                    ))?,
                    format!("the stale copy of {} is gone from {name}", lpar.name),
                )
                .until(
                    Condition::LparAbsent {
                        lpar: lpar.name.clone(),
                    },
                    Duration::from_secs(600),
                ),
            );
        } else if lpar
            .migration_state
            .as_ref()
            .is_some_and(|s| s.needs_recovery())
        {
            migrated.push(lpar.name.clone());
            steps.push(Step::new(
                hmc,
                StepKind::Change,
                built(commands::migrlpar(&name, &lpar.name, MigrationOp::Recover))?,
                format!(
                    "recover {} from its {} migration",
                    lpar.name,
                    lpar.migration_state
                        .as_ref()
                        .map_or(String::new(), |s| s.to_string().to_lowercase())
                ),
            ));
        }
    }
    if restarted.is_empty() && migrated.is_empty() {
        return Err(PlanError::nothing_to_do(format!(
            "nothing to clean up on {name}: no remotely restarted copy, no failed migration"
        )));
    }
    let mut notes = Vec::new();
    if !restarted.is_empty() {
        notes.push(format!(
            "stale copies to remove: {} ({} reserved storage devices)",
            restarted.join(", "),
            if choices.retain_devices {
                "keeping"
            } else {
                "releasing"
            }
        ));
    }
    if !migrated.is_empty() {
        notes.push(format!(
            "failed migrations to recover: {}",
            migrated.join(", ")
        ));
    }
    Ok(Plan {
        wizard: "cleanup",
        title: format!("Clean up {name}"),
        confirm_name: name.clone(),
        attestation: None,
        steps,
        parallelism: 1,
        notes,
    })
}
