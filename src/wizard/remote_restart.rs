//! Remote restart: every restartable partition of a failed system, validated, then
//! restarted on a healthy one, a few at a time, each followed until it runs.

use std::time::Duration;

use super::plan::{Condition, Plan, Step, StepKind};
use super::relocate::system_name;
use super::view::{EstateView, SystemRef};
use super::PlanError;
use crate::estate::{Lpar, LparState, SystemState};
use crate::sources::hmc::commands::{self, RemoteRestartOp};

/// How long one partition may take to come up on the target.
pub const RESTART_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// The operator's choices for a remote restart.
#[derive(Debug, Clone, Default)]
pub struct RemoteRestartChoices {
    /// Only these partitions (all restartable ones when empty).
    pub lpars: Vec<String>,
    /// Restart order: lower first; partitions without a priority come last, by name.
    pub priorities: Vec<(String, u32)>,
    /// How many restarts run at once.
    pub parallelism: usize,
}

/// A partition of the failed system and whether it can be restarted now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub name: String,
    pub status: String,
    /// `None` when it can be restarted, else why not.
    pub blocked: Option<String>,
}

/// Every remote-restart-capable partition of `system` and whether it can go now: what
/// the wizard lists before the operator chooses.
pub fn candidates(system: SystemRef<'_>) -> Vec<Candidate> {
    system
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
            blocked: blocked(lpar),
        })
        .collect()
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

/// Builds the plan that restarts partitions of failed system `from` on system `to`.
pub fn remote_restart(
    view: EstateView<'_>,
    from: &str,
    to: &str,
    choices: &RemoteRestartChoices,
) -> Result<Plan, PlanError> {
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
    let mut chosen: Vec<&Candidate> = if choices.lpars.is_empty() {
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
    let priority = |name: &str| {
        choices
            .priorities
            .iter()
            .find(|(lpar, _)| lpar == name)
            .map_or(u32::MAX, |(_, priority)| *priority)
    };
    chosen.sort_by(|a, b| {
        priority(&a.name)
            .cmp(&priority(&b.name))
            .then_with(|| a.name.cmp(&b.name))
    });
    let built = |command: Result<_, _>| command.map_err(PlanError::from);
    let mut steps = vec![
        Step::new(
            hmc,
            StepKind::Check,
            built(commands::lssyscfg_sys(Some(&src), &["name", "state"]))?,
            format!("{src} is still in a state that allows remote restart"),
        )
        .until(
            Condition::SystemState {
                system: src.clone(),
                states: REMOTE_RESTART_SOURCE_STATES.to_vec(),
            },
            Duration::ZERO,
        ),
        Step::new(
            hmc,
            StepKind::Check,
            built(commands::lssyscfg_sys(Some(&dst), &["name", "state"]))?,
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
    for candidate in &chosen {
        steps.push(Step::new(
            hmc,
            StepKind::Validate,
            built(commands::rrstartlpar(
                &src,
                &candidate.name,
                RemoteRestartOp::Validate { target: &dst },
            ))?,
            format!("the HMC validates restarting {} on {dst}", candidate.name),
        ));
    }
    for candidate in &chosen {
        let recover = Step::new(
            hmc,
            StepKind::Change,
            built(commands::rrstartlpar(
                &src,
                &candidate.name,
                RemoteRestartOp::Recover { force: false },
            ))?,
            format!("recover {} from the failed remote restart", candidate.name),
        );
        steps.push(
            Step::new(
                hmc,
                StepKind::Change,
                built(commands::rrstartlpar(
                    &src,
                    &candidate.name,
                    RemoteRestartOp::Restart { target: &dst },
                ))?,
                format!("restart {} on {dst}", candidate.name),
            )
            .in_group(1)
            .recover_with(vec![recover]),
        );
    }
    for candidate in &chosen {
        steps.push(
            Step::new(
                hmc,
                StepKind::Wait,
                built(commands::lssyscfg_lpar(
                    &dst,
                    &[candidate.name.as_str()],
                    &["name", "state"],
                ))?,
                format!("{} comes up on {dst}", candidate.name),
            )
            .until(
                Condition::LparState {
                    lpar: candidate.name.clone(),
                    states: vec![LparState::Running],
                },
                RESTART_TIMEOUT,
            )
            .in_group(2),
        );
    }
    let skipped: Vec<String> = listed
        .iter()
        .filter(|c| c.blocked.is_some() && !chosen.iter().any(|chosen| chosen.name == c.name))
        .map(|c| format!("{} ({})", c.name, c.blocked.as_deref().unwrap_or_default()))
        .collect();
    let mut notes = vec![format!(
        "{} partition(s) of {src} ({}) restart on {dst}, {} at a time; the source keeps a stale copy until cleanup",
        chosen.len(),
        source.system().state,
        choices.parallelism.max(1)
    )];
    if !skipped.is_empty() {
        notes.push(format!("not restartable now: {}", skipped.join(", ")));
    }
    Ok(Plan {
        wizard: "remote-restart",
        title: format!("Remote restart from {src} to {dst}"),
        confirm_name: src.clone(),
        steps,
        parallelism: choices.parallelism.max(1),
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
