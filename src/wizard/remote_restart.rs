//! Remote restart: the restartable partitions of a failed system, validated, then
//! restarted on a healthy one in priority order, a few at a time, each followed until it
//! runs (docs/procedures.md, "Remote restart").
//!
//! [`check`] decides everything the plan depends on (states, capability, processor
//! compatibility, order, capacity, whether the HMC can see the source at all); [`emit`]
//! writes the steps. A source in `No Connection` gets a different plan: every
//! `rrstartlpar` carries `--noconnection`, and the operator attests that the partitions
//! are down before anything runs.

use std::time::Duration;

use super::capacity::{self, CapacityFacts, PartitionSize};
use super::plan::{Attestation, Condition, Plan, Step, StepKind};
use super::relocate::system_name;
use super::view::{EstateView, SystemRef};
use super::PlanError;
use crate::estate::{Lpar, LparState, SystemState};
use crate::sources::hmc::commands::{self, RemoteRestartOp};

/// How long one partition may take to come up on the target.
pub const RESTART_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// Most restarts run at once: each one loads the HMC and the target's VIOS.
pub const MAX_PARALLELISM: usize = 16;

/// The priority the HMC gives a partition that was never given one.
pub const DEFAULT_PRIORITY: u8 = 127;

/// The operator's choices for a remote restart.
#[derive(Debug, Clone, Default)]
pub struct RemoteRestartChoices {
    /// Only these partitions (all restartable ones when empty).
    pub lpars: Vec<String>,
    /// Restart these first, in this order; the rest follow by availability priority.
    pub order: Vec<String>,
    /// How many restarts run at once.
    pub parallelism: usize,
}

/// A partition of the failed system and whether it can be restarted now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub name: String,
    pub status: String,
    /// `lpar_avail_priority`, when the HMC listed it.
    pub priority: Option<u8>,
    /// `None` when it can be restarted, else why not.
    pub blocked: Option<String>,
}

/// Every remote-restart-capable partition of `system` and whether it can go now, in
/// restart order (availability priority, highest first): what the wizard lists before
/// the operator chooses.
pub fn candidates(system: SystemRef<'_>) -> Vec<Candidate> {
    let mut listed: Vec<Candidate> = system
        .data
        .lpars
        .iter()
        .filter(|lpar| lpar.is_remote_restart_capable() && !lpar.lpar_env.is_vios())
        .map(|lpar| Candidate {
            name: lpar.name.clone(),
            status: lpar
                .remote_restart_status
                .as_ref()
                .map_or("unknown".to_string(), ToString::to_string),
            priority: lpar.avail_priority(),
            blocked: blocked(lpar),
        })
        .collect();
    listed.sort_by(|a, b| {
        priority(b)
            .cmp(&priority(a))
            .then_with(|| a.name.cmp(&b.name))
    });
    listed
}

fn priority(candidate: &Candidate) -> u8 {
    candidate.priority.unwrap_or(DEFAULT_PRIORITY)
}

fn blocked(lpar: &Lpar) -> Option<String> {
    match &lpar.remote_restart_status {
        Some(status) if status.is_restartable() => {}
        Some(status) => return Some(format!("remote_restart_status is {status}")),
        None => return Some("no remote_restart_status".to_string()),
    }
    if lpar.needs_reserved_storage() && lpar.rs.device_name.is_none() {
        return Some(
            "original remote restart needs a reserved storage device, and none is assigned"
                .to_string(),
        );
    }
    None
}

/// Why `lpar` cannot land on `target`, if it cannot: the kind of remote restart it uses
/// must be supported there, and so must its processor compatibility mode.
pub fn target_blocker(target: &SystemRef<'_>, lpar: &Lpar) -> Option<String> {
    let system = target.system();
    let caps = &system.capabilities;
    let name = &system.name;
    if lpar.simplified_remote_restart_capable {
        if caps.simplified_remote_restart != Some(true) {
            return Some(format!("{name} does not support simplified remote restart"));
        }
    } else if caps.remote_restart != Some(true) {
        return Some(format!("{name} does not support PowerVM remote restart"));
    }
    let Some(mode) = lpar.proc_compat_mode() else {
        return Some(format!(
            "cannot tell the processor compatibility mode of {}",
            lpar.name
        ));
    };
    if caps.proc_compat_modes.is_empty() {
        return Some(format!(
            "cannot tell which processor compatibility modes {name} supports"
        ));
    }
    if mode != "default" && !caps.proc_compat_modes.iter().any(|m| m == mode) {
        return Some(format!(
            "{} runs in {mode} mode, which {name} does not support ({})",
            lpar.name,
            caps.proc_compat_modes.join(", ")
        ));
    }
    None
}

/// What [`check`] found: everything [`emit`] needs.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The HMC that manages both systems.
    pub hmc: String,
    /// The failed system, as `-m` names it.
    pub source: String,
    /// Its state.
    pub source_state: SystemState,
    /// The system the partitions go to.
    pub target: String,
    /// The partitions to restart, in restart order.
    pub chosen: Vec<String>,
    /// Restartable-looking partitions left out, with why.
    pub skipped: Vec<String>,
    /// Restarts at once.
    pub parallelism: usize,
    /// What they need together against what the target has free.
    pub capacity_note: String,
}

impl Checked {
    /// The HMC cannot see the source: every restart carries `--noconnection`.
    pub fn no_connection(&self) -> bool {
        self.source_state == SystemState::NoConnection
    }
}

/// Everything but capacity: the source and target states, HMC, partitions, capability,
/// compatibility and order. The console uses it to judge targets before facts are read.
pub fn check_choices(
    view: EstateView<'_>,
    from: &str,
    to: &str,
    choices: &RemoteRestartChoices,
) -> Result<(Checked, Vec<PartitionNeed>), PlanError> {
    if choices.parallelism == 0 || choices.parallelism > MAX_PARALLELISM {
        return Err(PlanError::invalid(format!(
            "{} restarts at once: choose 1 to {MAX_PARALLELISM}",
            choices.parallelism
        )));
    }
    let source = *view
        .find_system(from)
        .first()
        .ok_or_else(|| PlanError::not_found(format!("no managed system called {from}")))?;
    let hmc = source.hmc;
    let target = view
        .find_system(to)
        .into_iter()
        .find(|t| t.hmc == hmc)
        .ok_or_else(|| {
            PlanError::not_found(format!(
                "no managed system called {to} on {hmc}: remote restart stays on one HMC"
            ))
        })?;
    let src = system_name(view, source);
    let dst = system_name(view, target);
    if src == dst {
        return Err(PlanError::invalid("source and target are the same system"));
    }
    if !source.system().state.allows_remote_restart_from() {
        return Err(PlanError::refused(format!(
            "{src} is {}: partitions are remotely restarted only from a system in Power Off In Progress, Power Off, Error, Error - Dump in progress, Initializing or No Connection",
            source.system().state
        )));
    }
    if !target.system().state.accepts_partitions() {
        return Err(PlanError::refused(format!(
            "target {dst} is {}: it must be Operating",
            target.system().state
        )));
    }
    let listed = candidates(source);
    let chosen: Vec<&Candidate> = if choices.lpars.is_empty() {
        listed.iter().filter(|c| c.blocked.is_none()).collect()
    } else {
        let mut chosen = Vec::new();
        for name in &choices.lpars {
            let candidate = listed.iter().find(|c| &c.name == name).ok_or_else(|| {
                PlanError::refused(format!(
                    "{name} is not a remote-restart-capable partition of {src}"
                ))
            })?;
            if let Some(why) = &candidate.blocked {
                return Err(PlanError::refused(format!(
                    "{name} cannot be restarted: {why}"
                )));
            }
            chosen.push(candidate);
        }
        chosen
    };
    if chosen.is_empty() {
        return Err(PlanError::nothing_to_do(format!(
            "nothing to restart: no partition of {src} is Remote Restartable"
        )));
    }
    let chosen = ordered(chosen, &choices.order)?;
    let mut needs = Vec::new();
    for candidate in &chosen {
        let lpar = source.lpar(&candidate.name).ok_or_else(|| {
            PlanError::not_found(format!("no partition called {}", candidate.name))
        })?;
        if let Some(why) = target_blocker(&target, lpar) {
            let error = format!("{} cannot be restarted on {dst}: {why}", lpar.name);
            return Err(if why.starts_with("cannot tell") {
                PlanError::cannot_tell(error)
            } else {
                PlanError::refused(error)
            });
        }
        needs.push(PartitionNeed {
            lpar: lpar.name.clone(),
            profile: lpar.curr_profile.clone().or(lpar.default_profile.clone()),
        });
    }
    let skipped = listed
        .iter()
        .filter(|c| c.blocked.is_some() && !chosen.iter().any(|chosen| chosen.name == c.name))
        .map(|c| format!("{} ({})", c.name, c.blocked.as_deref().unwrap_or_default()))
        .collect();
    Ok((
        Checked {
            hmc: hmc.to_string(),
            source: src,
            source_state: source.system().state.clone(),
            target: dst,
            chosen: chosen.iter().map(|c| c.name.clone()).collect(),
            skipped,
            parallelism: choices.parallelism,
            capacity_note: String::new(),
        },
        needs,
    ))
}

/// A partition to restart and the profile its size is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionNeed {
    /// The partition.
    pub lpar: String,
    /// Its current (else default) profile.
    pub profile: Option<String>,
}

/// The operator's order first, then availability priority (highest first).
fn ordered<'a>(
    mut chosen: Vec<&'a Candidate>,
    order: &[String],
) -> Result<Vec<&'a Candidate>, PlanError> {
    for name in order {
        if !chosen.iter().any(|c| &c.name == name) {
            return Err(PlanError::invalid(format!(
                "--order names {name}, which is not among the partitions to restart"
            )));
        }
    }
    let rank = |c: &Candidate| order.iter().position(|name| *name == c.name);
    chosen.sort_by(|a, b| match (rank(a), rank(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => priority(b)
            .cmp(&priority(a))
            .then_with(|| a.name.cmp(&b.name)),
    });
    Ok(chosen)
}

/// Every check, capacity included: the partitions' sizes summed in restart order
/// against what the target has free.
pub fn check(
    view: EstateView<'_>,
    from: &str,
    to: &str,
    choices: &RemoteRestartChoices,
    capacity: &CapacityFacts,
) -> Result<Checked, PlanError> {
    let (mut checked, needs) = check_choices(view, from, to, choices)?;
    let sizes = needs
        .iter()
        .map(|need| {
            capacity
                .size_of(&need.lpar, need.profile.as_deref())
                .ok_or_else(|| {
                    PlanError::cannot_tell(format!(
                        "cannot tell how much memory and processing {} needs: no profile {} read from the HMC",
                        need.lpar,
                        need.profile.as_deref().unwrap_or("(none named)")
                    ))
                })
        })
        .collect::<Result<Vec<&PartitionSize>, _>>()?;
    let fit = capacity::fit(capacity, &sizes);
    let wanted = format!(
        "{} partition(s) need {} MB and {:.2} processing units; {} has {} MB and {:.2} free",
        sizes.len(),
        fit.memory_mb,
        fit.proc_units,
        checked.target,
        capacity.free_memory_mb,
        capacity.free_proc_units
    );
    if !fit.all(sizes.len()) {
        let fitting = if fit.fitting.is_empty() {
            "none of them fits".to_string()
        } else {
            format!(
                "in restart order only {} fit: name them with --lpar, or choose a target with more room",
                fit.fitting.join(", ")
            )
        };
        return Err(PlanError::refused(format!("{wanted}: {fitting}")));
    }
    checked.capacity_note = wanted;
    Ok(checked)
}

/// Builds the plan that restarts partitions of failed system `from` on system `to`.
pub fn remote_restart(
    view: EstateView<'_>,
    from: &str,
    to: &str,
    choices: &RemoteRestartChoices,
    capacity: &CapacityFacts,
) -> Result<Plan, PlanError> {
    emit(&check(view, from, to, choices, capacity)?)
}

/// The steps of a checked remote restart.
pub fn emit(checked: &Checked) -> Result<Plan, PlanError> {
    let (hmc, src, dst) = (&checked.hmc, &checked.source, &checked.target);
    let no_connection = checked.no_connection();
    let built = |command: Result<_, _>| command.map_err(PlanError::from);
    let source_states = if no_connection {
        vec![SystemState::NoConnection]
    } else {
        REMOTE_RESTART_SOURCE_STATES
            .iter()
            .filter(|state| **state != SystemState::NoConnection)
            .cloned()
            .collect()
    };
    let mut steps = vec![
        Step::new(
            hmc,
            StepKind::Check,
            built(commands::lssyscfg_sys(Some(src), &["name", "state"]))?,
            if no_connection {
                format!("{src} is still in No Connection (the plan is built for that)")
            } else {
                format!("{src} is still in a state that allows remote restart")
            },
        )
        .until(
            Condition::SystemState {
                system: src.clone(),
                states: source_states,
            },
            Duration::ZERO,
        ),
        Step::new(
            hmc,
            StepKind::Check,
            built(commands::lssyscfg_sys(Some(dst), &["name", "state"]))?,
            format!("target {dst} is Operating"),
        )
        .until(
            Condition::SystemState {
                system: dst.clone(),
                states: vec![SystemState::Operating],
            },
            Duration::ZERO,
        ),
    ];
    for lpar in &checked.chosen {
        steps.push(Step::new(
            hmc,
            StepKind::Validate,
            built(commands::rrstartlpar(
                src,
                lpar,
                RemoteRestartOp::Validate {
                    target: dst,
                    no_connection,
                },
            ))?,
            format!("the HMC validates restarting {lpar} on {dst}"),
        ));
    }
    for lpar in &checked.chosen {
        let recover = Step::new(
            hmc,
            StepKind::Change,
            built(commands::rrstartlpar(
                src,
                lpar,
                RemoteRestartOp::Recover { force: false },
            ))?,
            format!("recover {lpar} from the failed remote restart"),
        );
        steps.push(
            Step::new(
                hmc,
                StepKind::Change,
                built(commands::rrstartlpar(
                    src,
                    lpar,
                    RemoteRestartOp::Restart {
                        target: dst,
                        no_connection,
                    },
                ))?,
                format!("restart {lpar} on {dst}"),
            )
            .in_group(1)
            .recover_with(vec![recover]),
        );
    }
    for lpar in &checked.chosen {
        steps.push(
            Step::new(
                hmc,
                StepKind::Wait,
                built(commands::lssyscfg_lpar(
                    dst,
                    &[lpar.as_str()],
                    &["name", "state"],
                ))?,
                format!("{lpar} comes up on {dst}"),
            )
            .until(
                Condition::LparState {
                    lpar: lpar.clone(),
                    states: vec![LparState::Running],
                },
                RESTART_TIMEOUT,
            )
            .in_group(2),
        );
    }
    let mut notes = vec![
        format!(
            "{} partition(s) of {src} ({}) restart on {dst}, {} at a time; the source keeps a stale copy until cleanup",
            checked.chosen.len(),
            checked.source_state,
            checked.parallelism
        ),
        format!("restart order: {}", checked.chosen.join(", ")),
    ];
    if !checked.capacity_note.is_empty() {
        notes.push(format!("capacity: {}", checked.capacity_note));
    }
    if !checked.skipped.is_empty() {
        notes.push(format!(
            "not restartable now: {}",
            checked.skipped.join(", ")
        ));
    }
    notes.push(format!(
        "when {src} comes back, its partitions must not be started there: run the cleanup wizard first"
    ));
    let attestation = no_connection.then(|| {
        notes.push(format!(
            "{src} is in No Connection: every rrstartlpar carries --noconnection, and nothing runs until you attest that its partitions are down"
        ));
        Attestation {
            statement: format!(
                "{src} is in No Connection: the HMC cannot see whether its partitions still run. A partition restarted while its old copy still runs puts two systems on the same shared disks and corrupts them. Check that every partition of {src} is down (no answer on its address or console, its SAN logins gone) before going on."
            ),
            phrase: format!("{src} partitions are down"),
        }
    });
    Ok(Plan {
        wizard: "remote-restart",
        title: format!("Remote restart from {src} to {dst}"),
        confirm_name: src.clone(),
        attestation,
        steps,
        parallelism: checked.parallelism,
        notes,
    })
}

/// The source states the rrstartlpar man page allows.
pub const REMOTE_RESTART_SOURCE_STATES: &[SystemState] = &[
    SystemState::PowerOffInProgress,
    SystemState::PowerOff,
    SystemState::Error,
    SystemState::ErrorDumpInProgress,
    SystemState::Initializing,
    SystemState::NoConnection,
];
