//! NIM operations an on-call admin needs (docs/procedures.md, "NIM reset", "NIM alternate
//! master", "nimadm pre-flight"):
//!
//! * a client stuck in an operation that never finished: `nim -Fo reset`, then
//!   `nim -o deallocate -a subclass=all`, verify `ready for a NIM operation`;
//! * HANIM: `nim -o sync -a force=yes -a replicate=yes` from the primary to the
//!   alternate master, and `nim -o takeover` on the alternate;
//! * the nimadm pre-flight: the client answers `c_rsh`, and no leftover `/bos_inst`
//!   (from multibos) makes the migration fail in phase 11 (docs/formats.md, "NIM: nimadm").

use std::time::Duration;

use super::plan::{Condition, Plan, Step, StepKind};
use super::view::EstateView;
use super::wpar_move::run;
use super::PlanError;
use crate::estate::nim::ALLOCATABLE_RESOURCE_TYPES;
use crate::estate::SourceData;
use crate::estate::SourceKind;
use crate::estate::{Cstate, NimClass, NimObject};
use crate::exec::Exec;
use crate::sources::nim::commands::{self as nim, ClientCommand};

/// The Cstate of a machine that accepts a new operation.
pub const READY: &str = "ready for a NIM operation";

/// The objects of NIM master `master`, as the last refresh read them.
fn nim_master<'a>(view: EstateView<'a>, master: &str) -> Result<&'a [NimObject], PlanError> {
    let snapshot = view
        .snapshots
        .iter()
        .find(|s| s.name == master && s.kind == SourceKind::Nim)
        .ok_or_else(|| {
            PlanError::not_found(format!(
                "no NIM master called {master} in the configuration"
            ))
        })?;
    match &snapshot.data {
        SourceData::Nim(objects) => Ok(objects),
        _ => Err(PlanError::cannot_tell(format!(
            "{master} could not be read ({}): refresh and try again",
            snapshot.error.as_deref().unwrap_or("no data")
        ))),
    }
}

/// The host name this master's clients know it by: the second word of its `master`
/// object's `if1`, else the source name.
fn master_hostname(objects: &[NimObject], source: &str) -> String {
    objects
        .iter()
        .find(|o| o.name == "master" && o.object_type == "master")
        .and_then(|o| o.attribute("if1"))
        .and_then(|if1| if1.split_whitespace().nth(1))
        .unwrap_or(source)
        .to_string()
}

fn machine<'a>(
    objects: &'a [NimObject],
    master: &str,
    client: &str,
) -> Result<&'a NimObject, PlanError> {
    let found = objects.iter().find(|o| o.name == client).ok_or_else(|| {
        PlanError::not_found(format!("{master} has no NIM object called {client}"))
    })?;
    if found.class != NimClass::Machines {
        return Err(PlanError::refused(format!(
            "{client} is a {} object ({}), not a machine",
            found.class, found.object_type
        )));
    }
    Ok(found)
}

/// The resources allocated to `machine`: (type, resource) pairs naming resources of the
/// same database.
pub fn allocations(objects: &[NimObject], machine: &NimObject) -> Vec<(String, String)> {
    machine
        .attributes
        .iter()
        .filter(|(key, value)| {
            ALLOCATABLE_RESOURCE_TYPES.contains(&key.as_str())
                && objects
                    .iter()
                    .any(|o| &o.name == value && o.class == NimClass::Resources)
        })
        .cloned()
        .collect()
}

fn attribute_is(object: &str, attribute: &str, value: Option<&str>) -> Condition {
    Condition::NimAttribute {
        object: object.to_string(),
        attribute: attribute.to_string(),
        value: value.map(str::to_string),
    }
}

/// Builds the plan that puts NIM client `client` of `master` back to
/// `ready for a NIM operation` with nothing allocated.
pub fn nim_reset(view: EstateView<'_>, master: &str, client: &str) -> Result<Plan, PlanError> {
    let objects = nim_master(view, master)?;
    let found = machine(objects, master, client)?;
    let cstate = found
        .cstate
        .clone()
        .ok_or_else(|| PlanError::cannot_tell(format!("{client} has no Cstate on {master}")))?;
    let allocated = allocations(objects, found);
    if cstate.is_ready() && allocated.is_empty() {
        return Err(PlanError::nothing_to_do(format!(
            "nothing to reset: {client} is ready for a NIM operation and holds no resource"
        )));
    }
    let built = |command: Result<_, _>| command.map_err(PlanError::from);
    let look = || built(nim::lsnim_long(Some(client)));
    let mut steps = vec![Step::new(
        master,
        StepKind::Check,
        look()?,
        format!("{client} is still in Cstate '{cstate}'"),
    )
    .until(
        attribute_is(client, "Cstate", Some(cstate.as_str())),
        Duration::ZERO,
    )];
    let mut notes = Vec::new();
    if !cstate.is_ready() {
        steps.push(Step::new(
            master,
            StepKind::Change,
            built(nim::nim_reset(client, true))?,
            format!(
                "reset {client}'s Cstate to '{READY}'; -F because '{cstate}' never finished and blocks every new operation"
            ),
        ));
        steps.push(
            Step::new(
                master,
                StepKind::Verify,
                look()?,
                format!("{client} is ready for a NIM operation"),
            )
            .until(attribute_is(client, "Cstate", Some(READY)), Duration::ZERO),
        );
    }
    if !allocated.is_empty() {
        let names: Vec<String> = allocated
            .iter()
            .map(|(kind, name)| format!("{name} ({kind})"))
            .collect();
        steps.push(Step::new(
            master,
            StepKind::Change,
            built(nim::nim_deallocate_all(client))?,
            format!(
                "release what is still allocated to {client}: {} (a reset does not)",
                names.join(", ")
            ),
        ));
        let mut all = vec![attribute_is(client, "Cstate", Some(READY))];
        all.extend(
            allocated
                .iter()
                .map(|(kind, _)| attribute_is(client, kind, None)),
        );
        steps.push(
            Step::new(
                master,
                StepKind::Verify,
                look()?,
                format!("{client} is ready and holds no resource"),
            )
            .until(Condition::All(all), Duration::ZERO),
        );
    }
    if let Some(info) = found.attribute("info") {
        notes.push(format!("{client} last reported: {info}"));
    }
    if let Some(mstate) = &found.mstate {
        notes.push(format!(
            "{client}'s Mstate is '{mstate}': the reset does not touch the machine itself; check its console before the next operation"
        ));
    }
    Ok(Plan {
        wizard: "nim-reset",
        title: format!("Reset NIM client {client} on {master}"),
        confirm_name: client.to_string(),
        attestation: None,
        steps,
        parallelism: 1,
        notes,
    })
}

/// The alternate master object of `master` to work with: `wanted`, or the only one.
fn alternate_object<'a>(
    objects: &'a [NimObject],
    master: &str,
    wanted: Option<&str>,
) -> Result<&'a NimObject, PlanError> {
    let alternates: Vec<&NimObject> = objects
        .iter()
        .filter(|o| o.object_type == "alternate_master")
        .collect();
    match (wanted, alternates.as_slice()) {
        (Some(name), _) => alternates
            .iter()
            .copied()
            .find(|o| o.name == name)
            .ok_or_else(|| {
                PlanError::not_found(format!(
                    "{master} has no alternate_master object called {name}"
                ))
            }),
        (None, [one]) => Ok(one),
        (None, []) => Err(PlanError::refused(format!(
            "{master} has no alternate_master object: no alternate master is defined there (or it was never synchronised)"
        ))),
        (None, many) => Err(PlanError::invalid(format!(
            "{master} has {} alternate masters ({}): name one",
            many.len(),
            many.iter()
                .map(|o| o.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// The configured NIM source that an alternate_master object names (by source name or
/// by master host name).
fn nim_source_for<'a>(view: EstateView<'a>, object: &NimObject) -> Option<&'a str> {
    let hostname = object
        .attribute("if1")
        .and_then(|if1| if1.split_whitespace().nth(1));
    view.snapshots
        .iter()
        .filter(|s| s.kind == SourceKind::Nim)
        .find(|s| {
            s.name == object.name
                || match &s.data {
                    SourceData::Nim(objects) => {
                        let name = master_hostname(objects, &s.name);
                        name == object.name || Some(name.as_str()) == hostname
                    }
                    _ => false,
                }
        })
        .map(|s| s.name.as_str())
}

/// The operator's choices for a sync.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NimSyncChoices {
    /// The alternate master object; the only one when `None`.
    pub alternate: Option<String>,
    /// `-a reset_clients=yes`: also rebuild every client's master list.
    pub reset_clients: bool,
}

/// Builds the plan that synchronises the NIM database and resources of primary master
/// `master` to its alternate master.
pub fn nim_sync(
    view: EstateView<'_>,
    master: &str,
    choices: &NimSyncChoices,
) -> Result<Plan, PlanError> {
    let objects = nim_master(view, master)?;
    let alternate = alternate_object(objects, master, choices.alternate.as_deref())?;
    let name = alternate.name.as_str();
    let primary = master_hostname(objects, master);
    let built = |command: Result<_, _>| command.map_err(PlanError::from);
    let mut steps = vec![
        Step::new(
            master,
            StepKind::Check,
            built(nim::lsnim_long(Some(name)))?,
            format!("{name} is still the alternate master of {master}"),
        )
        .until(
            attribute_is(name, "type", Some("alternate_master")),
            Duration::ZERO,
        ),
        Step::new(
            master,
            StepKind::Change,
            built(nim::nim_sync(name, choices.reset_clients))?,
            format!(
                "copy {master}'s NIM database to {name} (force=yes replaces the one niminit made) and replicate the resources {name} lacks (without replicate=yes they would be dropped there){}",
                if choices.reset_clients {
                    "; reset_clients=yes rebuilds every client's master list"
                } else {
                    ""
                }
            ),
        ),
    ];
    let mut notes = vec![format!(
        "run from the primary only: never synchronise from the alternate (docs/procedures.md, \"NIM alternate master\"); {name} gets the database, it does not control the clients until a takeover"
    )];
    match nim_source_for(view, alternate) {
        Some(alternate_source) => steps.push(
            Step::new(
                alternate_source,
                StepKind::Verify,
                built(nim::lsnim_long(Some(&primary)))?,
                format!("{alternate_source} now knows {primary} as its alternate master"),
            )
            .until(
                attribute_is(&primary, "type", Some("alternate_master")),
                Duration::ZERO,
            ),
        ),
        None => notes.push(format!(
            "{name} is not a NIM master in the configuration: the result is not verified there"
        )),
    }
    let unsynced: Vec<&str> = objects
        .iter()
        .filter(|o| o.class == NimClass::Machines && o.sync_required())
        .map(|o| o.name.as_str())
        .collect();
    if !unsynced.is_empty() {
        notes.push(format!(
            "sync_required = yes on {}: they do not know the alternate yet and would refuse a takeover (niminit them again)",
            unsynced.join(", ")
        ));
    }
    Ok(Plan {
        wizard: "nim-sync",
        title: format!("Synchronise NIM master {master} to its alternate {name}"),
        confirm_name: master.to_string(),
        attestation: None,
        steps,
        parallelism: 1,
        notes,
    })
}

/// Builds the plan that makes alternate master `alternate` take over the clients of the
/// master object `old` (the only alternate_master object when `None`).
pub fn nim_takeover(
    view: EstateView<'_>,
    alternate: &str,
    old: Option<&str>,
) -> Result<Plan, PlanError> {
    let objects = nim_master(view, alternate)?;
    let old_master = alternate_object(objects, alternate, old).map_err(|error| {
        PlanError::refused(format!(
            "{error}; synchronise from the primary first (powerdeck plan nim-sync --master PRIMARY)"
        ))
    })?;
    let old = old_master.name.as_str();
    let me = master_hostname(objects, alternate);
    let clients: Vec<&NimObject> = objects
        .iter()
        .filter(|o| {
            o.class == NimClass::Machines
                && o.current_master
                    .as_deref()
                    .is_some_and(|current| current != me)
        })
        .collect();
    if clients.is_empty() {
        return Err(PlanError::nothing_to_do(format!(
            "no client of {alternate} is controlled by another master: nothing to take over"
        )));
    }
    let (refusing, taking): (Vec<&NimObject>, Vec<&NimObject>) =
        clients.iter().partition(|c| c.sync_required());
    let built = |command: Result<_, _>| command.map_err(PlanError::from);
    let mut steps = vec![
        Step::new(
            alternate,
            StepKind::Check,
            built(nim::lsnim_long(Some(old)))?,
            format!("{alternate} knows {old} as an alternate master (it was synchronised)"),
        )
        .until(
            attribute_is(old, "type", Some("alternate_master")),
            Duration::ZERO,
        ),
        Step::new(
            alternate,
            StepKind::Change,
            built(nim::nim_takeover(old))?,
            format!(
                "take over {} clients of {old}: each is reset, then its /etc/niminfo names {me} as its master",
                clients.len()
            ),
        ),
    ];
    if !taking.is_empty() {
        steps.push(
            Step::new(
                alternate,
                StepKind::Verify,
                built(nim::lsnim_long(None))?,
                format!("{me} is the current master of every client taken over"),
            )
            .until(
                Condition::All(
                    taking
                        .iter()
                        .map(|c| attribute_is(&c.name, "current_master", Some(&me)))
                        .collect(),
                ),
                Duration::ZERO,
            ),
        );
    }
    let mut notes = vec![format!(
        "a takeover works even when {old} is down; run it on {alternate} only when {old} cannot serve its clients"
    )];
    if !refusing.is_empty() {
        let names: Vec<&str> = refusing.iter().map(|c| c.name.as_str()).collect();
        notes.push(format!(
            "sync_required = yes on {}: they refuse the takeover (0042-372) and stay with {old}, so the takeover step reports a failure; skip to the next step to verify the others, then niminit those clients again",
            names.join(", ")
        ));
    }
    Ok(Plan {
        wizard: "nim-takeover",
        title: format!("Take over the NIM clients of {old} on {alternate}"),
        confirm_name: alternate.to_string(),
        attestation: None,
        steps,
        parallelism: 1,
        notes,
    })
}

/// What the nimadm pre-flight found on the client before planning.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NimadmFacts {
    /// `c_rsh CLIENT ls -d /bos_inst` listed the directory.
    pub bos_inst: bool,
}

/// Asks the client (read-only, through the master) whether `/bos_inst` exists.
pub async fn read_nimadm_facts<T: Exec>(
    transport: &T,
    master: &str,
    client: &str,
) -> Result<NimadmFacts, PlanError> {
    let text = run(
        transport,
        master,
        &nim::c_rsh(client, ClientCommand::ListBosInst)?,
    )
    .await
    .map_err(PlanError::cannot_tell)?;
    Ok(NimadmFacts {
        bos_inst: text.lines().any(|line| line.trim() == "/bos_inst"),
    })
}

/// Builds the nimadm pre-flight of `client` on `master`: the client is ready and
/// reachable through `c_rsh`, and a leftover `/bos_inst` is removed.
pub fn nimadm_preflight(
    view: EstateView<'_>,
    master: &str,
    client: &str,
    facts: NimadmFacts,
) -> Result<Plan, PlanError> {
    let objects = nim_master(view, master)?;
    let found = machine(objects, master, client)?;
    if found.object_type != "standalone" {
        return Err(PlanError::refused(format!(
            "{client} is a {} machine: nimadm migrates standalone clients",
            found.object_type
        )));
    }
    if found.cstate.as_ref().is_some_and(|c| !c.is_ready()) {
        return Err(PlanError::refused(format!(
            "{client} is in Cstate '{}': reset it first (powerdeck plan nim-reset --master {master} --client {client})",
            found.cstate.as_ref().map_or("", Cstate::as_str)
        )));
    }
    let me = master_hostname(objects, master);
    if let Some(current) = found.current_master.as_deref() {
        if current != me {
            return Err(PlanError::refused(format!(
                "{client}'s current master is {current}, not {me}: run the pre-flight on {current}"
            )));
        }
    }
    let built = |command: Result<_, _>| command.map_err(PlanError::from);
    let mut ready = vec![attribute_is(client, "Cstate", Some(READY))];
    if found.current_master.is_some() {
        ready.push(attribute_is(client, "current_master", Some(&me)));
    }
    let mut steps = vec![
        Step::new(
            master,
            StepKind::Check,
            built(nim::lsnim_long(Some(client)))?,
            format!("{client} is defined on {master}, ready for a NIM operation"),
        )
        .until(Condition::All(ready), Duration::ZERO),
        Step::new(
            master,
            StepKind::Check,
            built(nim::c_rsh(client, ClientCommand::Hostname))?,
            format!("{master} runs commands on {client} (c_rsh; 'timedout' means the NIM client setup is broken)"),
        )
        .until(Condition::Succeeds, Duration::ZERO),
        Step::new(
            master,
            StepKind::Check,
            built(nim::c_rsh(client, ClientCommand::NimshStatus))?,
            format!("nimsh is active on {client}"),
        )
        .until(Condition::Succeeds, Duration::ZERO),
        Step::new(
            master,
            StepKind::Check,
            built(nim::c_rsh(client, ClientCommand::OsLevel))?,
            format!(
                "{client}'s AIX level, to compare with the lpp_source and SPOT of the migration"
            ),
        )
        .until(Condition::Succeeds, Duration::ZERO),
    ];
    let mut notes = Vec::new();
    if facts.bos_inst {
        steps.push(Step::new(
            master,
            StepKind::Change,
            built(nim::c_rsh(client, ClientCommand::RemoveBosInst))?,
            format!(
                "remove the /bos_inst multibos left on {client}: with it nimadm fails in phase 11 (0505-218 init_multibos; docs/formats.md, \"NIM: nimadm\"), and multibos -R does not remove it"
            ),
        ));
        notes.push(format!(
            "{client} has a leftover /bos_inst; make sure no multibos standby instance is in use (lsvg -l rootvg shows hd*, not bos_*, open) before removing it"
        ));
    } else {
        notes.push(format!(
            "no /bos_inst on {client}: the pre-flight only checks"
        ));
    }
    steps.push(
        Step::new(
            master,
            StepKind::Verify,
            built(nim::c_rsh(client, ClientCommand::ListBosInst))?,
            format!("{client} has no /bos_inst"),
        )
        .until(
            Condition::PathAbsent {
                path: "/bos_inst".to_string(),
            },
            Duration::ZERO,
        ),
    );
    notes.push(
        "not checked here: the lpp_source/SPOT levels and bos.alt_disk_install.rte, the target disk and the -j cache volume group (docs/procedures.md, \"nimadm pre-flight\")".to_string(),
    );
    Ok(Plan {
        wizard: "nimadm-preflight",
        title: format!("nimadm pre-flight of {client} on {master}"),
        confirm_name: client.to_string(),
        attestation: None,
        steps,
        parallelism: 1,
        notes,
    })
}
