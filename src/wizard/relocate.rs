//! Partition relocation (Live Partition Mobility): validate, migrate, follow, verify.

use std::time::Duration;

use super::plan::{Condition, Plan, Step, StepKind};
use super::view::{EstateView, SystemRef};
use super::PlanError;
use crate::estate::{Lpar, LparState, RmcState};
use crate::sources::hmc::commands::{self, MigrationOp};

/// How long a migration may take before the plan stops waiting.
pub const MIGRATION_TIMEOUT: Duration = Duration::from_secs(2 * 3600);

/// Builds the plan that moves partition `lpar` to system `target`.
pub fn relocate(view: EstateView<'_>, lpar: &str, target: &str) -> Result<Plan, PlanError> {
    let (source, partition) = locate_partition(view, lpar)?;
    let hmc = source.hmc;
    let targets = view.find_system(target);
    let destination = match targets.iter().find(|t| t.hmc == hmc) {
        Some(destination) => *destination,
        None => match targets.first() {
            Some(other) => {
                return Err(PlanError::refused(format!(
                "{target} is managed by {}, {lpar} by {hmc}: relocation across HMCs is not offered",
                other.hmc
            )))
            }
            None => {
                return Err(PlanError::not_found(format!(
                    "no managed system called {target}"
                )))
            }
        },
    };
    let src = system_name(view, source);
    let dst = system_name(view, destination);
    if source.system().name == destination.system().name {
        return Err(PlanError::nothing_to_do(format!(
            "{lpar} already runs on {dst}"
        )));
    }
    if !source.system().state.accepts_partitions() {
        return Err(PlanError::refused(format!(
            "source {src} is {}: relocation needs it Operating (for a failed system, use remote restart)",
            source.system().state
        )));
    }
    if !destination.system().state.accepts_partitions() {
        return Err(PlanError::refused(format!(
            "target {dst} is {}: it must be Operating",
            destination.system().state
        )));
    }
    if destination.system().capabilities.active_lpar_mobility == Some(false)
        && partition.state == LparState::Running
    {
        return Err(PlanError::refused(format!(
            "target {dst} is not capable of active partition mobility"
        )));
    }
    check_movable(partition)?;
    if destination.lpar(lpar).is_some() {
        return Err(PlanError::refused(format!(
            "{dst} already has a partition called {lpar}"
        )));
    }
    let active = partition.state == LparState::Running;
    if active && partition.rmc_state.as_ref() != Some(&RmcState::Active) {
        return Err(PlanError::refused(format!(
            "{lpar} is Running but its RMC connection is {}: active relocation needs RMC active",
            partition
                .rmc_state
                .as_ref()
                .map_or("unknown".to_string(), ToString::to_string)
        )));
    }
    let end_state = if active {
        LparState::Running
    } else {
        LparState::NotActivated
    };
    let built = |command: Result<_, _>| command.map_err(PlanError::from);
    let recover = Step::new(
        hmc,
        StepKind::Change,
        built(commands::migrlpar(&src, lpar, MigrationOp::Recover))?,
        format!("recover {lpar} from the failed migration, on the source's HMC"),
    );
    let steps = vec![
        Step::new(
            hmc,
            StepKind::Check,
            built(commands::lssyscfg_lpar(
                &src,
                &[lpar],
                &["name", "state", "rmc_state", "migration_disabled"],
            ))?,
            format!("{lpar} is still {} on {src}", partition.state),
        )
        .until(
            Condition::LparState {
                lpar: lpar.to_string(),
                states: vec![partition.state.clone()],
            },
            Duration::ZERO,
        ),
        Step::new(
            hmc,
            StepKind::Check,
            built(commands::lssyscfg_sys(Some(&dst), &["name", "state"]))?,
            format!("target {dst} is still Operating"),
        )
        .until(
            Condition::SystemState {
                system: dst.clone(),
                states: vec![crate::estate::SystemState::Operating],
            },
            Duration::ZERO,
        ),
        Step::new(
            hmc,
            StepKind::Validate,
            built(commands::migrlpar(
                &src,
                lpar,
                MigrationOp::Validate { target: &dst },
            ))?,
            format!("the HMC validates moving {lpar} to {dst} (VIOS, storage, network, capacity)"),
        ),
        Step::new(
            hmc,
            StepKind::Change,
            built(commands::migrlpar(
                &src,
                lpar,
                MigrationOp::Migrate { target: &dst },
            ))?,
            format!(
                "{} migration of {lpar} from {src} to {dst}; returns when it is done",
                if active { "active" } else { "inactive" }
            ),
        )
        .recover_with(vec![recover]),
        Step::new(
            hmc,
            StepKind::Wait,
            built(commands::lssyscfg_lpar(&dst, &[lpar], &["name", "state"]))?,
            format!("{lpar} shows on {dst}"),
        )
        .until(
            Condition::LparState {
                lpar: lpar.to_string(),
                states: vec![end_state.clone()],
            },
            MIGRATION_TIMEOUT,
        ),
        Step::new(
            hmc,
            StepKind::Verify,
            built(commands::lssyscfg_lpar(&src, &[lpar], &["name", "state"]))?,
            format!("{lpar} is no longer on {src}"),
        )
        .until(
            Condition::LparAbsent {
                lpar: lpar.to_string(),
            },
            Duration::from_secs(300),
        ),
    ];
    let mut notes = vec![format!(
        "{lpar} ({}) moves {} from {src} to {dst} on {hmc}",
        partition.state,
        if active {
            "while running"
        } else {
            "while shut down"
        }
    )];
    if partition.needs_reserved_storage() {
        notes.push(format!(
            "{lpar} uses reserved storage for remote restart: check its device on {dst} afterwards"
        ));
    }
    Ok(Plan {
        wizard: "relocate",
        title: format!("Relocate {lpar} from {src} to {dst}"),
        confirm_name: lpar.to_string(),
        attestation: None,
        steps,
        parallelism: 1,
        notes,
    })
}

/// The one live copy of a partition: a remotely restarted source copy is not it.
pub(crate) fn locate_partition<'a>(
    view: EstateView<'a>,
    lpar: &str,
) -> Result<(SystemRef<'a>, &'a Lpar), PlanError> {
    let found = view.find_lpar(lpar);
    let live: Vec<_> = found
        .iter()
        .copied()
        .filter(|(_, l)| {
            !l.remote_restart_status
                .as_ref()
                .is_some_and(|status| status.needs_cleanup())
        })
        .collect();
    match (live.as_slice(), found.as_slice()) {
        ([one], _) => Ok(*one),
        ([], []) => Err(PlanError::not_found(format!("no partition called {lpar}"))),
        ([], _) => Err(PlanError::refused(format!(
            "{lpar} only exists as a remote-restarted copy waiting for cleanup"
        ))),
        (many, _) => Err(PlanError::invalid(format!(
            "{lpar} exists on {} systems ({}): name the one to move",
            many.len(),
            many.iter()
                .map(|(s, _)| s.system().name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// Refuses partitions the HMC would refuse to move.
fn check_movable(lpar: &Lpar) -> Result<(), PlanError> {
    if lpar.lpar_env.is_vios() {
        return Err(PlanError::refused(format!(
            "{} is a Virtual I/O Server: VIOS partitions are not relocated",
            lpar.name
        )));
    }
    if lpar.migration_disabled {
        return Err(PlanError::refused(format!(
            "{} has migration_disabled=1: partition mobility is switched off for it",
            lpar.name
        )));
    }
    if lpar
        .migration_state
        .as_ref()
        .is_some_and(|state| state.is_active())
    {
        return Err(PlanError::refused(format!(
            "{} is already migrating",
            lpar.name
        )));
    }
    if !lpar.state.allows_relocation() {
        return Err(PlanError::refused(format!(
            "{} is {}: relocation needs it Running (active) or Not Activated (inactive)",
            lpar.name, lpar.state
        )));
    }
    Ok(())
}

/// The `-m` name of a system: its name, or its MTMS when another system on the same
/// HMC has the same name.
pub(crate) fn system_name(view: EstateView<'_>, system: SystemRef<'_>) -> String {
    let same = view
        .systems()
        .filter(|s| s.hmc == system.hmc && s.system().name == system.system().name)
        .count();
    if same > 1 {
        system.system().mtms()
    } else {
        system.system().name.clone()
    }
}
