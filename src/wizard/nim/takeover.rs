//! Taking over the clients of the other NIM master (docs/procedures.md, "NIM alternate
//! master").
//!
//! A takeover rewrites every client's `/etc/niminfo`. When the old master still answers
//! this is a planned takeover: NIM updates the old master's database too, and the wizard
//! checks that this master was synchronised (it knows every client the old one
//! controls). When the old master does not answer, a takeover is only safe if it is
//! really down: a master cut off from powerdeck but still serving its clients would keep
//! believing it controls them. The wizard looks for proof on the HMC (the old master's
//! partition not activated, or its system down) and re-checks it as the plan's first
//! step; when there is no such proof the operator must attest, in words of their own
//! typing, that the old master is down.
//!
//! Clients that are not running cannot have their `/etc/niminfo` rewritten: they are
//! listed as pending, their rows of the takeover summary do not fail the step, and the
//! verification leaves them out. So are clients with `sync_required = yes`, which refuse
//! the takeover (0042-372).

use super::read::{chained, Part};
use super::{
    alternate_object, as_partition, attribute_is, clients, machine_hostname, master_hostname,
    nim_master, nim_source_for, AT_ONCE,
};
use crate::estate::{LparState, Mstate, NimObject, SourceData, SystemState};
use crate::exec::Exec;
use crate::sources::hmc::commands as hmc;
use crate::sources::nim::commands as nim;
use crate::wizard::plan::{Attestation, Condition, Plan, Step, StepKind};
use crate::wizard::view::EstateView;
use crate::wizard::PlanError;

/// What happened when powerdeck asked the old master.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OldMasterAnswer {
    /// The old master is not a source of the configuration: it was not asked.
    NotConfigured,
    /// It answered (NIM runs there).
    Answered,
    /// It did not answer: why.
    NoAnswer(String),
}

/// What the wizard read before planning a takeover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TakeoverFacts {
    /// Whether the old master answers.
    pub old_master: OldMasterAnswer,
}

/// Asks the old master's source, when there is one, whether it answers (a read of its
/// NIM database).
pub async fn read_takeover_facts<E: Exec>(
    exec: &E,
    old_source: Option<&str>,
) -> Result<TakeoverFacts, PlanError> {
    let Some(source) = old_source else {
        return Ok(TakeoverFacts {
            old_master: OldMasterAnswer::NotConfigured,
        });
    };
    let asked = chained(
        exec,
        source,
        &[Part::Read(nim::lsnim_type("alternate_master")?)],
    )
    .await?;
    Ok(TakeoverFacts {
        old_master: match asked {
            Ok(_) => OldMasterAnswer::Answered,
            Err(no) => OldMasterAnswer::NoAnswer(no.message),
        },
    })
}

/// The old master's alternate_master object and its configured source, for the facts.
pub fn old_source(
    view: EstateView<'_>,
    alternate: &str,
    old: Option<&str>,
) -> Result<(String, Option<String>), PlanError> {
    let objects = nim_master(view, alternate)?;
    let old_master = old_master_object(objects, alternate, old)?;
    Ok((
        old_master.name.clone(),
        nim_source_for(view, old_master).map(str::to_string),
    ))
}

/// The alternate_master object of the old master: without one, this master was never
/// synchronised and knows nothing to take over.
fn old_master_object<'a>(
    objects: &'a [NimObject],
    alternate: &str,
    old: Option<&str>,
) -> Result<&'a NimObject, PlanError> {
    alternate_object(objects, alternate, old).map_err(|error| {
        PlanError::new(
            error.kind,
            format!(
                "{error}; synchronise from the primary first (powerdeck plan nim-sync --master PRIMARY)"
            ),
        )
    })
}

/// How the old master was found down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownProof {
    /// The HMC to re-check it on.
    pub hmc: String,
    /// The managed system.
    pub system: String,
    /// The partition of the old master.
    pub lpar: String,
    /// The proof: the partition's state, or its system's.
    pub proof: Proof,
}

/// What shows the old master down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proof {
    /// The partition is in one of these states.
    Partition(Vec<LparState>),
    /// Its managed system is in one of these states.
    System(Vec<SystemState>),
}

/// What [`check`] decided.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The master that takes over.
    pub alternate: String,
    /// Its host name.
    pub hostname: String,
    /// The alternate_master object of the old master.
    pub old: String,
    /// Clients that will follow.
    pub taking: Vec<String>,
    /// Clients that are not running: pending, not failures.
    pub pending: Vec<String>,
    /// Clients that refuse (sync_required = yes).
    pub refusing: Vec<String>,
    /// The HMC proof the old master is down, re-checked first.
    pub down: Option<DownProof>,
    /// What the operator must attest when nothing proves the old master down.
    pub attestation: Option<Attestation>,
    /// What the operator should know.
    pub notes: Vec<String>,
}

/// Decides whether `alternate` may take over the clients of the old master `old`.
pub fn check(
    view: EstateView<'_>,
    alternate: &str,
    old: Option<&str>,
    facts: Option<&TakeoverFacts>,
) -> Result<Checked, PlanError> {
    let objects = nim_master(view, alternate)?;
    let old_master = old_master_object(objects, alternate, old)?;
    let old = old_master.name.clone();
    let me = master_hostname(objects, alternate);
    let to_take: Vec<&NimObject> = clients(objects)
        .filter(|c| c.current_master.as_deref().is_some_and(|m| m != me))
        .collect();
    if to_take.is_empty() {
        return Err(PlanError::nothing_to_do(format!(
            "no client of {alternate} is controlled by another master: nothing to take over"
        )));
    }
    let old_source = nim_source_for(view, old_master);
    let old_objects = old_source.and_then(|source| {
        view.snapshots
            .iter()
            .find(|s| s.name == source)
            .and_then(|s| match &s.data {
                SourceData::Nim(objects) => Some(objects.as_slice()),
                _ => None,
            })
    });
    let facts = facts
        .ok_or_else(|| PlanError::cannot_tell(format!("whether {old} answers was not checked")))?;
    let mut notes = Vec::new();
    let mut down = None;
    let mut attestation = None;
    match &facts.old_master {
        OldMasterAnswer::Answered => {
            if let (Some(source), Some(old_objects)) = (old_source, old_objects) {
                let old_me = master_hostname(old_objects, source);
                let unknown: Vec<&str> = clients(old_objects)
                    .filter(|c| c.current_master.as_deref() == Some(old_me.as_str()))
                    .filter(|c| !objects.iter().any(|o| o.name == c.name))
                    .map(|c| c.name.as_str())
                    .collect();
                if !unknown.is_empty() {
                    return Err(PlanError::refused(format!(
                        "{alternate} does not know {} yet: synchronise first (powerdeck plan nim-sync --master {source})",
                        unknown.join(", ")
                    )));
                }
            }
            notes.push(format!(
                "{old} answers: this is a planned takeover; NIM also updates {old}'s database, and every NIM operation must then run from {alternate}"
            ));
        }
        answer => {
            let why = match answer {
                OldMasterAnswer::NoAnswer(message) => format!("{old} does not answer ({message})"),
                _ => format!("{old} is not in the configuration, so powerdeck cannot ask it"),
            };
            let hostname = machine_hostname(old_master);
            match as_partition(view, &[old.as_str(), hostname]) {
                Some(partition) if partition.lpar.state == LparState::NotActivated => {
                    notes.push(format!(
                        "{why}; its partition {} on {} is Not Activated: it is down",
                        partition.lpar.name, partition.system
                    ));
                    down = Some(DownProof {
                        hmc: partition.hmc.to_string(),
                        system: partition.system.to_string(),
                        lpar: partition.lpar.name.clone(),
                        proof: Proof::Partition(vec![LparState::NotActivated]),
                    });
                }
                Some(partition) if !partition.system_state.accepts_partitions() => {
                    notes.push(format!(
                        "{why}; its system {} is {}: it is down",
                        partition.system, partition.system_state
                    ));
                    down = Some(DownProof {
                        hmc: partition.hmc.to_string(),
                        system: partition.system.to_string(),
                        lpar: partition.lpar.name.clone(),
                        proof: Proof::System(vec![partition.system_state.clone()]),
                    });
                }
                found => {
                    let seen = match found {
                        Some(partition) => format!(
                            "its partition {} on {} is {}, so it may still serve its clients",
                            partition.lpar.name, partition.system, partition.lpar.state
                        ),
                        None => format!("powerdeck cannot see {old}'s partition on any HMC"),
                    };
                    notes.push(format!("{why}; {seen}"));
                    attestation = Some(Attestation {
                        statement: format!(
                            "{why}, and {seen}. A master that still runs keeps believing it controls its clients: after the takeover both would act on them. Check that {old} is shut down or cut off from its clients (its console, its partition on the HMC) before going on."
                        ),
                        phrase: format!("{old} is down"),
                    });
                }
            }
            notes.push(format!(
                "when {old} comes back it still believes it controls the clients: run NIM operations from {alternate} only (0042-378 there), and synchronise from {alternate}"
            ));
        }
    }
    let running_in = |client: &NimObject| {
        let fresher = old_objects
            .and_then(|list| list.iter().find(|o| o.name == client.name))
            .unwrap_or(client);
        fresher.mstate != Some(Mstate::NotRunning)
    };
    let mut taking = Vec::new();
    let mut pending = Vec::new();
    let mut refusing = Vec::new();
    for client in &to_take {
        if client.sync_required() {
            refusing.push(client.name.clone());
        } else if !running_in(client) {
            pending.push(client.name.clone());
        } else {
            taking.push(client.name.clone());
        }
    }
    if taking.is_empty() {
        return Err(PlanError::refused(format!(
            "no client of {old} can follow now: {}{}",
            if pending.is_empty() {
                String::new()
            } else {
                format!("{} not running; ", pending.join(", "))
            },
            if refusing.is_empty() {
                String::new()
            } else {
                format!("{} with sync_required = yes", refusing.join(", "))
            }
        )));
    }
    if !pending.is_empty() {
        notes.push(format!(
            "pending, not failures: {} not running, so their /etc/niminfo cannot be rewritten and they stay with {old}; take them over again (or niminit them) once they are up",
            pending.join(", ")
        ));
    }
    if !refusing.is_empty() {
        notes.push(format!(
            "sync_required = yes on {}: they refuse the takeover (0042-372) and stay with {old}; niminit them again",
            refusing.join(", ")
        ));
    }
    Ok(Checked {
        alternate: alternate.to_string(),
        hostname: me,
        old,
        taking,
        pending,
        refusing,
        down,
        attestation,
        notes,
    })
}

/// The steps of a checked takeover.
pub fn emit(checked: &Checked) -> Result<Plan, PlanError> {
    let (alternate, old, me) = (&checked.alternate, &checked.old, &checked.hostname);
    let built = |command: Result<_, _>| command.map_err(PlanError::from);
    let mut steps = Vec::new();
    if let Some(down) = &checked.down {
        let step = match &down.proof {
            Proof::Partition(states) => Step::new(
                &down.hmc,
                StepKind::Check,
                built(hmc::lssyscfg_lpar(
                    &down.system,
                    &[down.lpar.as_str()],
                    &["name", "state"],
                ))?,
                format!("{old}'s partition {} is still down", down.lpar),
            )
            .until(
                Condition::LparState {
                    lpar: down.lpar.clone(),
                    states: states.clone(),
                },
                AT_ONCE,
            ),
            Proof::System(states) => Step::new(
                &down.hmc,
                StepKind::Check,
                built(hmc::lssyscfg_sys(Some(&down.system), &["name", "state"]))?,
                format!("{old}'s system {} is still down", down.system),
            )
            .until(
                Condition::SystemState {
                    system: down.system.clone(),
                    states: states.clone(),
                },
                AT_ONCE,
            ),
        };
        steps.push(step);
    }
    steps.push(
        Step::new(
            alternate,
            StepKind::Check,
            built(nim::lsnim_long(Some(old)))?,
            format!("{alternate} knows {old} as an alternate master (it was synchronised)"),
        )
        .until(attribute_is(old, "type", Some("alternate_master")), AT_ONCE),
    );
    steps.push(
        Step::new(
            alternate,
            StepKind::Change,
            built(nim::nim_takeover(old))?,
            format!(
                "take over the clients of {old}: each is reset, then its /etc/niminfo names {me}; the step succeeds when {} say SUCCESS (pending and refusing clients do not count)",
                checked.taking.join(", ")
            ),
        )
        .until(
            Condition::NimSummary {
                operation: "takeover".to_string(),
                succeeded: checked.taking.clone(),
            },
            AT_ONCE,
        ),
    );
    steps.push(
        Step::new(
            alternate,
            StepKind::Verify,
            built(nim::lsnim_long(None))?,
            format!("{me} is the current master of every client taken over"),
        )
        .until(
            Condition::All(
                checked
                    .taking
                    .iter()
                    .map(|c| attribute_is(c, "current_master", Some(me)))
                    .collect(),
            ),
            AT_ONCE,
        ),
    );
    Ok(Plan {
        wizard: "nim-takeover",
        title: format!("Take over the NIM clients of {old} on {alternate}"),
        confirm_name: alternate.to_string(),
        attestation: checked.attestation.clone(),
        steps,
        parallelism: 1,
        notes: checked.notes.clone(),
    })
}

/// Builds the plan that makes alternate master `alternate` take over the clients of the
/// master object `old` (the only alternate_master object when `None`).
pub fn nim_takeover(
    view: EstateView<'_>,
    alternate: &str,
    old: Option<&str>,
    facts: Option<&TakeoverFacts>,
) -> Result<Plan, PlanError> {
    emit(&check(view, alternate, old, facts)?)
}
