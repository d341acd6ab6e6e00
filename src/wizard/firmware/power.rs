//! Taking partitions down and bringing them back around a disruptive firmware update
//! (docs/procedures.md, "Firmware update").
//!
//! Down is a ladder, one rung per step the operator sees: an OS shutdown
//! (`chsysstate -o osshutdown`, which needs RMC), then a delayed shutdown from the HMC
//! (`-o shutdown`). An immediate shutdown (`--immed`) is never planned: it is only offered
//! as the recovery of a delayed shutdown that did not end in time, so the operator must
//! choose it and confirm it on its own. Up is a start with the partition's profile and a
//! wait until it runs; for a VIOS, also until its RMC connection is active, since its
//! clients need it.

use std::time::Duration;

use super::check::Partition;
use crate::estate::LparState;
use crate::sources::hmc::commands::{self, LparPowerOp};
use crate::wizard::plan::{Condition, Step, StepKind};
use crate::wizard::PlanError;

/// How long a partition may take to shut down.
pub const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(30 * 60);
/// How long a partition may take to start (and a VIOS to reach RMC).
pub const START_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// Shuts `partition` down: through its OS when RMC is active, else with a delayed
/// shutdown; each rung offers the next one as its recovery.
pub fn shut_down(hmc: &str, system: &str, partition: &Partition) -> Result<Vec<Step>, PlanError> {
    let delayed = delayed_rung(hmc, system, &partition.name)?;
    if !partition.rmc {
        return Ok(delayed);
    }
    let name = &partition.name;
    Ok(vec![
        Step::new(
            hmc,
            StepKind::Change,
            commands::chsysstate_lpar(system, name, LparPowerOp::OsShutdown { immediate: false })?,
            format!(
                "shut {name} down through its operating system, so that it stops its applications and writes its data (RMC is active)"
            ),
        )
        .recover_with(delayed.clone()),
        not_activated(hmc, system, name)?.recover_with(delayed),
    ])
}

/// A delayed shutdown and its wait, whose recovery is the immediate shutdown.
fn delayed_rung(hmc: &str, system: &str, name: &str) -> Result<Vec<Step>, PlanError> {
    let immediate = vec![
        Step::new(
            hmc,
            StepKind::Change,
            commands::chsysstate_lpar(system, name, LparPowerOp::Shutdown { immediate: true })?,
            format!(
                "LAST RESORT: stop {name} at once, like pulling its power: what it has not written is lost; only because its delayed shutdown did not end"
            ),
        ),
        not_activated(hmc, system, name)?,
    ];
    Ok(vec![
        Step::new(
            hmc,
            StepKind::Change,
            commands::chsysstate_lpar(system, name, LparPowerOp::Shutdown { immediate: false })?,
            format!(
                "delayed shutdown of {name} from the HMC: its operating system is told to stop and given the time it needs (no RMC needed)"
            ),
        ),
        not_activated(hmc, system, name)?.recover_with(immediate),
    ])
}

fn not_activated(hmc: &str, system: &str, name: &str) -> Result<Step, PlanError> {
    Ok(Step::new(
        hmc,
        StepKind::Wait,
        commands::lssyscfg_lpar(system, &[name], &["name", "state"])?,
        format!("{name} is Not Activated"),
    )
    .until(
        Condition::LparState {
            lpar: name.to_string(),
            states: vec![LparState::NotActivated],
        },
        SHUTDOWN_TIMEOUT,
    ))
}

/// Starts `partition` with its profile and waits until it runs; a VIOS also until its
/// RMC connection is active.
pub fn start(
    hmc: &str,
    system: &str,
    partition: &Partition,
    vios: bool,
) -> Result<Vec<Step>, PlanError> {
    let name = &partition.name;
    let running = Condition::LparState {
        lpar: name.clone(),
        states: vec![LparState::Running],
    };
    let (fields, until, words): (&[&'static str], _, _) = if vios {
        (
            &["name", "state", "rmc_state"],
            Condition::All(vec![
                running,
                Condition::HmcAttribute {
                    record: Some(name.clone()),
                    attribute: "rmc_state".into(),
                    value: "active".into(),
                },
            ]),
            format!("{name} runs and its RMC connection is active: its clients can start"),
        )
    } else {
        (&["name", "state"], running, format!("{name} runs again"))
    };
    Ok(vec![
        Step::new(
            hmc,
            StepKind::Change,
            commands::chsysstate_lpar(
                system,
                name,
                LparPowerOp::On {
                    profile: partition.profile.as_deref(),
                },
            )?,
            format!(
                "start {name}{}",
                partition
                    .profile
                    .as_deref()
                    .map_or(String::new(), |p| format!(" with its profile {p}"))
            ),
        ),
        Step::new(
            hmc,
            StepKind::Wait,
            commands::lssyscfg_lpar(system, &[name.as_str()], fields)?,
            words,
        )
        .until(until, START_TIMEOUT),
    ])
}

/// Sets `auto_start` of `lpar`.
pub fn auto_start(hmc: &str, system: &str, lpar: &str, on: bool) -> Result<Step, PlanError> {
    Ok(Step::new(
        hmc,
        StepKind::Change,
        commands::chsyscfg_auto_start(system, lpar, on)?,
        if on {
            format!("give {lpar} its auto_start=1 back")
        } else {
            format!(
                "auto_start=0 for {lpar}, so that it does not start by itself after the IPL (set back at the end)"
            )
        },
    ))
}
