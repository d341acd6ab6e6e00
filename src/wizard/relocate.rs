//! Partition relocation (Live Partition Mobility): checked, validated, moved while its
//! progress is followed, then verified (docs/procedures.md, "Relocation").
//!
//! [`check_choices`] decides what the refreshed estate can tell: states, RMC, VIOS,
//! capability, processor compatibility modes, and the firmware levels to show.
//! [`check`] adds what is read from the HMC just before planning
//! ([`RelocationFacts`]): the moves each system runs against the moves it supports, and
//! room on the target for what the partition holds now. [`emit`] writes the steps; a
//! failure of the move re-reads `lslparmigr` first and offers only what that state
//! allows ([`super::relocate_recovery`]).

use std::time::Duration;

use super::plan::{Condition, Plan, Step, StepKind};
use super::relocate_facts::{MigrationSlots, RelocationFacts};
use super::relocate_recovery::{after_failure, progress_read, MIGRATION_TIMEOUT};
use super::view::{EstateView, SystemRef};
use super::PlanError;
use crate::estate::{FirmwareLevels, Lpar, LparState, MigrationState, RmcState, SystemState};
use crate::sources::hmc::commands::{self, MigrationOp};

/// What [`check_choices`] and [`check`] found: everything [`emit`] needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The HMC that manages both systems.
    pub hmc: String,
    /// The source system, as `-m` names it.
    pub source: String,
    /// The target system, as `-t` names it.
    pub target: String,
    /// The partition.
    pub lpar: String,
    /// `Running` (active move) or `Not Activated` (inactive move).
    pub state: LparState,
    /// What the operator should know: modes, firmware, concurrency, capacity.
    pub notes: Vec<String>,
}

impl Checked {
    /// The partition moves while it runs.
    pub fn active(&self) -> bool {
        self.state == LparState::Running
    }

    /// `active` or `inactive`, for the operator.
    pub fn kind(&self) -> &'static str {
        if self.active() {
            "active"
        } else {
            "inactive"
        }
    }
}

/// Every check the refreshed estate can answer: the console uses it to judge targets
/// before anything is read.
pub fn check_choices(view: EstateView<'_>, lpar: &str, target: &str) -> Result<Checked, PlanError> {
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
    check_movable(partition)?;
    let active = partition.state == LparState::Running;
    let capabilities = &destination.system().capabilities;
    let capable = if active {
        capabilities.active_lpar_mobility
    } else {
        capabilities.inactive_lpar_mobility
    };
    if capable == Some(false) {
        return Err(PlanError::refused(format!(
            "target {dst} is not capable of {} partition mobility",
            if active { "active" } else { "inactive" }
        )));
    }
    if destination.lpar(lpar).is_some() {
        return Err(PlanError::refused(format!(
            "{dst} already has a partition called {lpar}"
        )));
    }
    if active && partition.rmc_state.as_ref() != Some(&RmcState::Active) {
        return Err(PlanError::refused(format!(
            "{lpar} is Running but its RMC connection is {}: active relocation needs RMC active",
            partition
                .rmc_state
                .as_ref()
                .map_or("unknown".to_string(), ToString::to_string)
        )));
    }
    let mut notes = vec![format!(
        "{lpar} ({}) moves {} from {src} to {dst} on {hmc}",
        partition.state,
        if active {
            "while running"
        } else {
            "while shut down"
        }
    )];
    notes.push(modes(partition, &destination, active)?);
    notes.push(firmware_note(&src, source, &dst, destination));
    if partition.needs_reserved_storage() {
        notes.push(format!(
            "{lpar} uses reserved storage for remote restart: check its device on {dst} afterwards"
        ));
    }
    Ok(Checked {
        hmc: hmc.to_string(),
        source: src,
        target: dst,
        lpar: lpar.to_string(),
        state: partition.state.clone(),
        notes,
    })
}

/// Every check, the facts read from the HMC included: no move beyond what either system
/// supports at once, and room on the target for what a running partition holds now.
pub fn check(
    view: EstateView<'_>,
    lpar: &str,
    target: &str,
    facts: &RelocationFacts,
) -> Result<Checked, PlanError> {
    let mut checked = check_choices(view, lpar, target)?;
    let kind = checked.kind();
    let mut running = Vec::new();
    for (system, slots) in [
        (&checked.source, facts.source.for_kind(checked.active())),
        (&checked.target, facts.target.for_kind(checked.active())),
    ] {
        running.push(concurrency(system, kind, slots)?);
    }
    checked
        .notes
        .push(format!("{kind} moves now: {}", running.join("; ")));
    match &facts.capacity {
        Some(capacity) => {
            let size = &capacity.size;
            let wanted = format!(
                "{lpar} holds {} MB and {:.2} processing units now; {} has {} MB and {:.2} free",
                size.memory_mb,
                size.proc_units,
                checked.target,
                capacity.free_memory_mb,
                capacity.free_proc_units
            );
            if size.memory_mb > capacity.free_memory_mb {
                return Err(PlanError::refused(format!(
                    "{wanted}: not enough memory on {}",
                    checked.target
                )));
            }
            if size.proc_units > capacity.free_proc_units + 1e-9 {
                return Err(PlanError::refused(format!(
                    "{wanted}: not enough processing units on {}",
                    checked.target
                )));
            }
            checked.notes.push(format!("capacity: {wanted}"));
        }
        None if checked.active() => {
            return Err(PlanError::cannot_tell(format!(
                "the size of {lpar} and the room on {} were not read",
                checked.target
            )))
        }
        None => checked.notes.push(format!(
            "capacity: an inactive move takes no memory or processors on {} until {lpar} is activated there",
            checked.target
        )),
    }
    Ok(checked)
}

/// `p9-01 runs 1 of 16`, or why no further move may start there.
fn concurrency(system: &str, kind: &str, slots: &MigrationSlots) -> Result<String, PlanError> {
    if slots.capable == Some(false) {
        return Err(PlanError::refused(format!(
            "{system} is not capable of {kind} partition mobility (lslparmigr -r sys)"
        )));
    }
    match (slots.in_progress, slots.supported) {
        (Some(running), Some(supported)) if running >= supported => {
            Err(PlanError::refused(format!(
                "{system} already runs {running} {kind} migration(s), as many as it supports at once ({supported}): wait until one ends"
            )))
        }
        (Some(running), Some(supported)) => Ok(format!("{system} runs {running} of {supported}")),
        _ => Err(PlanError::cannot_tell(format!(
            "cannot tell how many {kind} migrations {system} runs now and supports (lslparmigr -r sys)"
        ))),
    }
}

/// The processor compatibility modes of the partition against the target's: an active
/// move needs both the current and the preferred mode supported there, an inactive one
/// the preferred mode (docs/procedures.md, "Relocation"). A mode the refresh could not
/// read is left to the HMC's validation, and the note says so.
fn modes(lpar: &Lpar, target: &SystemRef<'_>, active: bool) -> Result<String, PlanError> {
    let supported = &target.system().capabilities.proc_compat_modes;
    let name = &target.system().name;
    let mode = |attribute: &str| {
        lpar.attribute(attribute)
            .map(str::trim)
            .filter(|mode| !mode.is_empty() && *mode != "unavailable" && *mode != "null")
    };
    let mut wanted = vec![("preferred", mode("desired_lpar_proc_compat_mode"))];
    if active {
        wanted.insert(0, ("current", mode("curr_lpar_proc_compat_mode")));
    }
    if supported.is_empty() {
        return Ok(format!(
            "processor compatibility: cannot tell which modes {name} supports; the HMC's validation decides"
        ));
    }
    let mut seen = Vec::new();
    for (which, mode) in wanted {
        let Some(mode) = mode else {
            return Ok(format!(
                "processor compatibility: cannot tell the {which} mode of {}; the HMC's validation decides",
                lpar.name
            ));
        };
        if mode != "default" && !supported.iter().any(|m| m == mode) {
            let verb = if which == "current" {
                "runs in"
            } else {
                "prefers"
            };
            return Err(PlanError::refused(format!(
                "{} {verb} {mode} mode, which {name} does not support ({}): the {which} processor compatibility mode must be supported on the target",
                lpar.name,
                supported.join(", ")
            )));
        }
        seen.push(format!("{which} {mode}"));
    }
    Ok(format!(
        "processor compatibility: {} supported by {name} ({})",
        seen.join(" and "),
        supported.join(", ")
    ))
}

/// The firmware levels the refresh read on both systems. Which pairs of levels can move
/// partitions between them is checked by the HMC's validation; powerdeck shows the
/// levels and does not judge the pair (docs/procedures.md, "Relocation").
fn firmware_note(src: &str, source: SystemRef<'_>, dst: &str, target: SystemRef<'_>) -> String {
    let level = |name: &str, firmware: Option<&FirmwareLevels>| match firmware {
        Some(FirmwareLevels {
            ecnumber,
            activated_level: Some(level),
            ..
        }) => format!(
            "{name} {} level {level}",
            ecnumber.as_deref().unwrap_or("(EC unknown)")
        ),
        _ => format!("{name} not read at the last refresh"),
    };
    format!(
        "firmware: {}, {}; the HMC's validation (before the move) checks that they can move partitions between them",
        level(src, source.system().firmware.as_ref()),
        level(dst, target.system().firmware.as_ref())
    )
}

/// Builds the plan from the refreshed estate alone: the HMC's validation still checks
/// concurrency and room on the target. `powerdeck plan relocate` and the console read
/// [`RelocationFacts`] first and go through [`relocate_with`]; a firmware evacuation
/// builds its moves on this one.
pub fn relocate(view: EstateView<'_>, lpar: &str, target: &str) -> Result<Plan, PlanError> {
    emit(&check_choices(view, lpar, target)?)
}

/// Builds the plan that moves partition `lpar` to system `target`, every check made.
pub fn relocate_with(
    view: EstateView<'_>,
    lpar: &str,
    target: &str,
    facts: &RelocationFacts,
) -> Result<Plan, PlanError> {
    emit(&check(view, lpar, target, facts)?)
}

/// The steps of a checked relocation.
pub fn emit(checked: &Checked) -> Result<Plan, PlanError> {
    let (hmc, src, dst, lpar) = (
        &checked.hmc,
        &checked.source,
        &checked.target,
        &checked.lpar,
    );
    let built = |command: Result<_, _>| command.map_err(PlanError::from);
    let end_state = checked.state.clone();
    let steps = vec![
        Step::new(
            hmc,
            StepKind::Check,
            built(commands::lslparmigr_lpar(
                src,
                &[lpar],
                &["name", "migration_state"],
            ))?,
            format!("{lpar} is not migrating (a move under way or one that failed comes first)"),
        )
        .until(
            Condition::Migration {
                lpar: lpar.clone(),
                states: vec![MigrationState::NotMigrating],
                or_gone: false,
            },
            Duration::ZERO,
        ),
        Step::new(
            hmc,
            StepKind::Check,
            built(commands::lssyscfg_lpar(
                src,
                &[lpar],
                &["name", "state", "rmc_state", "migration_disabled"],
            ))?,
            format!("{lpar} is still {} on {src}", checked.state),
        )
        .until(
            Condition::LparState {
                lpar: lpar.clone(),
                states: vec![checked.state.clone()],
            },
            Duration::ZERO,
        ),
        Step::new(
            hmc,
            StepKind::Check,
            built(commands::lssyscfg_sys(Some(dst), &["name", "state"]))?,
            format!("target {dst} is still Operating"),
        )
        .until(
            Condition::SystemState {
                system: dst.clone(),
                states: vec![SystemState::Operating],
            },
            Duration::ZERO,
        ),
        Step::new(
            hmc,
            StepKind::Validate,
            built(commands::migrlpar(src, lpar, MigrationOp::Validate { target: dst }))?,
            format!(
                "the HMC validates moving {lpar} to {dst}: VIOS, storage, network, capacity, moves at once, and the compatibility of both systems' firmware"
            ),
        ),
        Step::new(
            hmc,
            StepKind::Change,
            built(commands::migrlpar(src, lpar, MigrationOp::Migrate { target: dst }))?,
            format!(
                "{} migration of {lpar} from {src} to {dst}; returns when it is done",
                checked.kind()
            ),
        )
        .following(progress_read(hmc, src, lpar)?)
        .with_failure(after_failure(checked, 2)?),
        Step::new(
            hmc,
            StepKind::Wait,
            built(commands::lslparmigr_lpar(
                dst,
                &[lpar],
                &["name", "migration_state", "bytes_transmitted", "bytes_remaining"],
            ))?,
            format!("{lpar} has arrived on {dst} and no longer migrates (bytes sent and remaining meanwhile)"),
        )
        .until(
            Condition::Migration {
                lpar: lpar.clone(),
                states: vec![MigrationState::NotMigrating],
                or_gone: false,
            },
            MIGRATION_TIMEOUT,
        )
        .with_failure(after_failure(checked, 2)?),
        Step::new(
            hmc,
            StepKind::Wait,
            built(commands::lssyscfg_lpar(dst, &[lpar], &["name", "state"]))?,
            format!("{lpar} shows {end_state} on {dst}"),
        )
        .until(
            Condition::LparState {
                lpar: lpar.clone(),
                states: vec![end_state],
            },
            Duration::from_secs(600),
        ),
        Step::new(
            hmc,
            StepKind::Verify,
            built(commands::lssyscfg_lpar(src, &[lpar], &["name", "state"]))?,
            format!("{lpar} is no longer on {src}"),
        )
        .until(
            Condition::LparAbsent { lpar: lpar.clone() },
            Duration::from_secs(300),
        ),
    ];
    let mut notes = checked.notes.clone();
    notes.push(
        "if the move fails or the connection drops: lslparmigr is read again first; a move still running is watched or stopped (migrlpar -o s), and recovered (migrlpar -o r) only once the HMC says it no longer runs"
            .to_string(),
    );
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
    match &lpar.migration_state {
        Some(state) if state.is_active() => {
            return Err(PlanError::refused(format!(
                "{} is already migrating ({state}): follow or stop that move first",
                lpar.name
            )))
        }
        Some(state) if state.needs_recovery() => {
            return Err(PlanError::refused(format!(
                "{} shows {state}: recover it (migrlpar -o r, the cleanup wizard) before moving it again",
                lpar.name
            )))
        }
        _ => {}
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
