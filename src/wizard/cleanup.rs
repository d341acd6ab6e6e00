//! Cleanup of a system that is back (docs/procedures.md, "Cleanup"): the stale copies of
//! partitions remotely restarted elsewhere, and partitions left behind by a failed
//! migration.
//!
//! [`check`] decides what the plan depends on: the system is back (or off, and then
//! powered on to Standby so that nothing starts by itself), its VIOS run with RMC active
//! (started first when they are down), each stale copy's restarted twin runs elsewhere,
//! and `--retaindev` only where a reserved storage device exists (PowerVM remote restart;
//! simplified remote restart keeps its data on the HMC). [`emit`] writes the steps. A
//! cleanup that failed before ("Source Side Cleanup Failed") needs `--force`: planned,
//! that is a typed attestation of its own; when a cleanup fails during the run, the forced
//! one is its recovery branch, confirmed on its own.

use std::time::Duration;

use super::plan::{Attestation, Condition, Plan, Step, StepKind};
use super::relocate::system_name;
use super::view::EstateView;
use super::PlanError;
use crate::estate::{LparState, MigrationState, RemoteRestartStatus, RmcState, SystemState};
use crate::sources::hmc::commands::{
    self, LparPowerOp, MigrationOp, RemoteRestartOp, SystemPowerOp,
};

/// How long a cleanup may take to remove a copy.
pub const CLEANUP_TIMEOUT: Duration = Duration::from_secs(600);
/// How long the system may take to power on to Standby, and a VIOS to start.
pub const START_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// The operator's choices for a cleanup.
#[derive(Debug, Clone, Copy, Default)]
pub struct CleanupChoices {
    /// `--retaindev`: keep the reserved storage device of each PowerVM remote restart
    /// partition in the pool (without it the device is removed from the pool).
    pub retain_devices: bool,
}

/// The stale source copy of a remotely restarted partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleCopy {
    /// The partition's name, the same on both systems.
    pub name: String,
    /// PowerVM remote restart: its configuration is on a reserved storage device.
    pub reserved_storage: bool,
    /// Its last cleanup failed (`Source Side Cleanup Failed`): the next needs `--force`.
    pub failed_before: bool,
    /// `auto_start=1`: a normal power-on of the source would start it a second time.
    pub auto_start: bool,
    /// The restarted copy: its HMC and system, when powerdeck sees it.
    pub twin: Option<(String, String)>,
}

/// A VIOS of the source and what the plan does about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vios {
    /// The VIOS partition.
    pub name: String,
    /// Running now with RMC active: only re-read.
    pub ready: bool,
    /// Not running (or the system is off): started with this profile.
    pub start: Option<Option<String>>,
}

/// What [`check`] found: everything [`emit`] needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The HMC that manages the source.
    pub hmc: String,
    /// The source system, as `-m` names it.
    pub system: String,
    /// Its state when the plan was built.
    pub state: SystemState,
    /// The system is off: the plan powers it on to Standby first.
    pub power_on: bool,
    /// Every VIOS of the source (none needed when only migrations are recovered).
    pub vios: Vec<Vios>,
    /// The stale copies to clean up.
    pub stale: Vec<StaleCopy>,
    /// Partitions left by a failed or stopped migration, with its state.
    pub migrated: Vec<(String, MigrationState)>,
    /// `--retaindev` for the copies with a reserved storage device.
    pub retain_devices: bool,
    /// What the checks found that the operator should know.
    pub notes: Vec<String>,
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

/// Every precondition of a cleanup of `system`.
pub fn check(
    view: EstateView<'_>,
    system: &str,
    choices: CleanupChoices,
) -> Result<Checked, PlanError> {
    let found = *view
        .find_system(system)
        .first()
        .ok_or_else(|| PlanError::not_found(format!("no managed system called {system}")))?;
    let name = system_name(view, found);
    let state = found.system().state.clone();
    let power_on = state == SystemState::PowerOff;
    if !state.allows_cleanup() && !power_on {
        return Err(PlanError::refused(format!(
            "{name} is {state}: cleanup runs once the system is back in Operating or Standby (or in Power Off: the plan then powers it on to Standby)"
        )));
    }
    let lpars = &found.data.lpars;
    let mut stale = Vec::new();
    let mut migrated = Vec::new();
    let mut notes = Vec::new();
    for lpar in lpars {
        let status = lpar.remote_restart_status.as_ref();
        if status.is_some_and(|s| s.needs_cleanup()) {
            let failed_before = status == Some(&RemoteRestartStatus::SourceSideCleanupFailed);
            let twins: Vec<_> = view
                .find_lpar(&lpar.name)
                .into_iter()
                .filter(|(other, _)| {
                    !(other.hmc == found.hmc && other.system().name == found.system().name)
                })
                .collect();
            let twin = match twins.as_slice() {
                [] => None,
                [(other, copy)] => {
                    let at = system_name(view, *other);
                    if copy.state != LparState::Running {
                        return Err(PlanError::refused(format!(
                            "the restarted copy of {} on {at} is {}: clean up its stale copy once the restarted one runs",
                            lpar.name, copy.state
                        )));
                    }
                    Some((other.hmc.to_string(), at))
                }
                many => {
                    return Err(PlanError::cannot_tell(format!(
                        "{} exists on {} other systems: cannot tell which copy runs",
                        lpar.name,
                        many.len()
                    )))
                }
            };
            if twin.is_none() {
                if failed_before {
                    return Err(PlanError::refused(format!(
                        "the last cleanup of {} failed: the next one needs --force, and only once its restarted copy is seen running, which powerdeck cannot see on any system",
                        lpar.name
                    )));
                }
                notes.push(format!(
                    "the restarted copy of {} is on no system powerdeck reads: make sure it runs before confirming (a forced cleanup will not be offered)",
                    lpar.name
                ));
            }
            stale.push(StaleCopy {
                name: lpar.name.clone(),
                reserved_storage: lpar.needs_reserved_storage(),
                failed_before,
                auto_start: lpar.attribute("auto_start").map(str::trim) == Some("1"),
                twin,
            });
        } else if let Some(migration) = lpar.migration_state.as_ref().filter(|s| s.needs_recovery())
        {
            migrated.push((lpar.name.clone(), migration.clone()));
        }
    }
    if stale.is_empty() && migrated.is_empty() {
        return Err(PlanError::nothing_to_do(format!(
            "nothing to clean up on {name}: no remotely restarted copy, no failed migration"
        )));
    }
    if choices.retain_devices && !stale.iter().any(|s| s.reserved_storage) {
        return Err(PlanError::invalid(format!(
            "--retaindev keeps a reserved storage device in its pool, and no partition to clean up on {name} has one: simplified remote restart keeps its data on the HMC"
        )));
    }
    let mut vios = Vec::new();
    if !stale.is_empty() {
        for lpar in lpars.iter().filter(|l| l.lpar_env.is_vios()) {
            let rmc = lpar.rmc_state.as_ref() == Some(&RmcState::Active);
            let profile = lpar.curr_profile.clone().or(lpar.default_profile.clone());
            let plan = match (&lpar.state, power_on) {
                (_, true) | (LparState::NotActivated, false) => Vios {
                    name: lpar.name.clone(),
                    ready: false,
                    start: Some(profile),
                },
                (LparState::Running, false) => Vios {
                    name: lpar.name.clone(),
                    ready: rmc,
                    start: None,
                },
                (other, false) => {
                    return Err(PlanError::refused(format!(
                    "VIOS {} is {other}: a cleanup needs the source's VIOS running with RMC active",
                    lpar.name
                )))
                }
            };
            vios.push(plan);
        }
    }
    Ok(Checked {
        hmc: found.hmc.to_string(),
        system: name,
        state,
        power_on,
        vios,
        stale,
        migrated,
        retain_devices: choices.retain_devices,
        notes,
    })
}

/// Builds the cleanup plan for `system`.
pub fn cleanup(
    view: EstateView<'_>,
    system: &str,
    choices: CleanupChoices,
) -> Result<Plan, PlanError> {
    emit(&check(view, system, choices)?)
}

/// The steps of a checked cleanup.
pub fn emit(checked: &Checked) -> Result<Plan, PlanError> {
    let (hmc, name) = (&checked.hmc, &checked.system);
    let built = |command: Result<_, _>| command.map_err(PlanError::from);
    let system_state = |states: Vec<SystemState>| Condition::SystemState {
        system: name.clone(),
        states,
    };
    let mut steps = vec![Step::new(
        hmc,
        StepKind::Check,
        built(commands::lssyscfg_sys(Some(name), &["name", "state"]))?,
        if checked.power_on {
            format!("{name} is still powered off")
        } else {
            format!("{name} is Operating or Standby")
        },
    )
    .until(
        if checked.power_on {
            system_state(vec![SystemState::PowerOff])
        } else {
            system_state(vec![SystemState::Operating, SystemState::Standby])
        },
        Duration::ZERO,
    )];
    let mut notes = checked.notes.clone();
    if checked.power_on {
        steps.push(Step::new(
            hmc,
            StepKind::Change,
            built(commands::chsysstate_sys(name, SystemPowerOp::OnStandby))?,
            format!(
                "power {name} on to Standby: no partition starts by itself, so no stale copy runs a second time"
            ),
        ));
        steps.push(
            Step::new(
                hmc,
                StepKind::Wait,
                built(commands::lssyscfg_sys(Some(name), &["name", "state"]))?,
                format!("{name} is in Standby"),
            )
            .until(system_state(vec![SystemState::Standby]), START_TIMEOUT),
        );
    }
    steps.extend(vios_steps(checked)?);
    for copy in &checked.stale {
        steps.extend(cleanup_steps(checked, copy)?);
    }
    for (lpar, migration) in &checked.migrated {
        steps.push(Step::new(
            hmc,
            StepKind::Change,
            built(commands::migrlpar(name, lpar, MigrationOp::Recover))?,
            format!(
                "recover {lpar} from its {} migration",
                migration.to_string().to_lowercase()
            ),
        ));
    }
    if !checked.stale.is_empty() {
        notes.push(stale_note(checked));
        let names: Vec<&str> = checked.stale.iter().map(|s| s.name.as_str()).collect();
        notes.push(format!(
            "never start {} on {name}: each runs on another system, and a second copy would write to the same disks",
            names.join(", ")
        ));
        let auto: Vec<&str> = checked
            .stale
            .iter()
            .filter(|s| s.auto_start)
            .map(|s| s.name.as_str())
            .collect();
        if !auto.is_empty() {
            notes.push(format!(
                "auto_start=1 on the stale copies of {}: until they are cleaned up, power {name} on only to Standby",
                auto.join(", ")
            ));
        }
    }
    let started: Vec<&str> = checked
        .vios
        .iter()
        .filter(|v| v.start.is_some())
        .map(|v| v.name.as_str())
        .collect();
    if !started.is_empty() {
        notes.push(format!(
            "the cleanup needs the source's VIOS running with RMC active: {} started first, and nothing else",
            started.join(", ")
        ));
    }
    if !checked.migrated.is_empty() {
        let names: Vec<&str> = checked.migrated.iter().map(|(n, _)| n.as_str()).collect();
        notes.push(format!(
            "failed migrations to recover: {}",
            names.join(", ")
        ));
    }
    let forced: Vec<&str> = checked
        .stale
        .iter()
        .filter(|s| s.failed_before)
        .map(|s| s.name.as_str())
        .collect();
    let attestation = (!forced.is_empty()).then(|| Attestation {
        statement: format!(
            "The last cleanup of {} on {name} failed (Source Side Cleanup Failed), so this one runs with --force: the source copy is removed despite what made it fail. The plan checks first that the restarted copy runs on its new system.",
            forced.join(", ")
        ),
        phrase: format!("force cleanup of {name}"),
    });
    Ok(Plan {
        wizard: "cleanup",
        title: format!("Clean up {name}"),
        confirm_name: name.clone(),
        attestation,
        steps,
        parallelism: 1,
        notes,
    })
}

/// Re-read a ready VIOS, wait for RMC on a running one, start a stopped one.
fn vios_steps(checked: &Checked) -> Result<Vec<Step>, PlanError> {
    let (hmc, name) = (&checked.hmc, &checked.system);
    let mut steps = Vec::new();
    for vios in &checked.vios {
        let ready = Condition::All(vec![
            Condition::LparState {
                lpar: vios.name.clone(),
                states: vec![LparState::Running],
            },
            Condition::HmcAttribute {
                record: Some(vios.name.clone()),
                attribute: "rmc_state".into(),
                value: "active".into(),
            },
        ]);
        let read =
            commands::lssyscfg_lpar(name, &[vios.name.as_str()], &["name", "state", "rmc_state"])?;
        if let Some(profile) = &vios.start {
            steps.push(Step::new(
                hmc,
                StepKind::Change,
                commands::chsysstate_lpar(
                    name,
                    &vios.name,
                    LparPowerOp::On {
                        profile: profile.as_deref(),
                    },
                )?,
                format!(
                    "start VIOS {} (and no other partition): the cleanup needs the VIOS that served the restarted partitions",
                    vios.name
                ),
            ));
        }
        let (kind, timeout, why) = if vios.ready {
            (
                StepKind::Check,
                Duration::ZERO,
                format!("VIOS {} still runs with RMC active", vios.name),
            )
        } else {
            (
                StepKind::Wait,
                START_TIMEOUT,
                format!("VIOS {} runs with RMC active", vios.name),
            )
        };
        steps.push(Step::new(hmc, kind, read, why).until(ready, timeout));
    }
    Ok(steps)
}

/// Check the twin runs, clean up (forced when the last one failed), verify the copy is
/// gone; a cleanup that fails offers the forced one as its recovery.
fn cleanup_steps(checked: &Checked, copy: &StaleCopy) -> Result<Vec<Step>, PlanError> {
    let (hmc, name) = (&checked.hmc, &checked.system);
    let lpar = &copy.name;
    let retain = copy.reserved_storage && checked.retain_devices;
    let twin_runs = copy
        .twin
        .as_ref()
        .map(|(twin_hmc, at)| -> Result<Step, PlanError> {
            Ok(Step::new(
                twin_hmc,
                StepKind::Check,
                commands::lssyscfg_lpar(at, &[lpar.as_str()], &["name", "state"])?,
                format!("the restarted copy of {lpar} runs on {at}"),
            )
            .until(
                Condition::LparState {
                    lpar: lpar.clone(),
                    states: vec![LparState::Running],
                },
                Duration::ZERO,
            ))
        })
        .transpose()?;
    let cleanup = |force: bool| -> Result<Step, PlanError> {
        Ok(Step::new(
            hmc,
            StepKind::Change,
            commands::rrstartlpar(
                name,
                lpar,
                RemoteRestartOp::Cleanup {
                    retain_device: retain,
                    force,
                },
            )?,
            format!(
                "{} the stale copy of {lpar}{}",
                if force {
                    "force the removal of"
                } else {
                    "remove"
                },
                match (copy.reserved_storage, retain) {
                    (false, _) => String::new(),
                    (true, true) => ", keeping its reserved storage device in the pool".to_string(),
                    (true, false) => ", and its reserved storage device from the pool".to_string(),
                }
            ),
        ))
    };
    let gone = Step::new(
        hmc,
        StepKind::Verify,
        commands::lssyscfg_lpar(name, &[lpar.as_str()], &["name", "state"])?,
        format!("the stale copy of {lpar} is gone from {name}"),
    )
    .until(
        Condition::LparAbsent { lpar: lpar.clone() },
        CLEANUP_TIMEOUT,
    );
    let mut steps: Vec<Step> = twin_runs.iter().cloned().collect();
    if copy.failed_before {
        steps.push(cleanup(true)?);
    } else {
        let step = cleanup(false)?;
        steps.push(match &twin_runs {
            Some(check) => step.recover_with(vec![check.clone(), cleanup(true)?, gone.clone()]),
            None => step,
        });
    }
    steps.push(gone);
    Ok(steps)
}

/// Which stale copies go, and what happens to their configuration.
fn stale_note(checked: &Checked) -> String {
    let describe = |copy: &StaleCopy| {
        let kind = match (copy.reserved_storage, checked.retain_devices) {
            (false, _) => "simplified remote restart: its configuration is on the HMC, no reserved storage device",
            (true, true) => "PowerVM remote restart: its reserved storage device stays in the pool",
            (true, false) => "PowerVM remote restart: its reserved storage device leaves the pool",
        };
        let twin = copy
            .twin
            .as_ref()
            .map_or(String::new(), |(_, at)| format!(", runs on {at}"));
        let forced = if copy.failed_before {
            ", last cleanup failed: --force"
        } else {
            ""
        };
        format!("{} ({kind}{twin}{forced})", copy.name)
    };
    format!(
        "stale copies to remove: {}",
        checked
            .stale
            .iter()
            .map(describe)
            .collect::<Vec<_>>()
            .join("; ")
    )
}
