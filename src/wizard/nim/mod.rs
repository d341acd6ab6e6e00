//! The NIM wizards an on-call admin needs, each proving its precondition before it
//! changes anything (docs/procedures.md, "NIM reset", "NIM alternate master", "nimadm
//! pre-flight"):
//!
//! * [`reset`]: a client stuck in an operation that never finished, proven stuck by two
//!   samples of its `Cstate`/`info` and its log before `nim -Fo reset` and the
//!   deallocation;
//! * [`sync`]: the NIM database and resources copied from the master that controls the
//!   clients to the other one, only where the resources' file systems exist;
//! * [`takeover`]: the alternate takes the clients over, after proof that the old master
//!   is down (or an attestation where it cannot be proven), powered-off clients reported
//!   as pending;
//! * [`nimadm`]: the pre-flight of an alternate disk migration, `/bos_inst` proven a
//!   leftover before it is removed.
//!
//! Each reads its facts with read-only commands ([`read`]), then `check` decides and
//! `emit` writes the steps, as the remote restart wizard does.

pub mod nimadm;
pub mod read;
pub mod reset;
pub mod sync;
pub mod takeover;

use std::time::Duration;

pub use nimadm::{nimadm_preflight, read_nimadm_facts, NimadmChoices, NimadmFacts};
pub use reset::{nim_reset, read_reset_facts, NimResetFacts};
pub use sync::{nim_sync, read_sync_facts, NimSyncChoices, NimSyncFacts};
pub use takeover::{nim_takeover, read_takeover_facts, OldMasterAnswer, TakeoverFacts};

use super::plan::Condition;
use super::view::EstateView;
use super::PlanError;
use crate::estate::nim::ALLOCATABLE_RESOURCE_TYPES;
use crate::estate::{Lpar, NimClass, NimObject, SourceData, SourceKind};

/// The Cstate of a machine that accepts a new operation.
pub const READY: &str = "ready for a NIM operation";

/// The objects of NIM master `master`, as the last refresh read them.
pub fn nim_master<'a>(view: EstateView<'a>, master: &str) -> Result<&'a [NimObject], PlanError> {
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
pub fn master_hostname(objects: &[NimObject], source: &str) -> String {
    objects
        .iter()
        .find(|o| o.name == "master" && o.object_type == "master")
        .and_then(|o| o.attribute("if1"))
        .and_then(|if1| if1.split_whitespace().nth(1))
        .unwrap_or(source)
        .to_string()
}

/// The host name of a machine object: the second word of its `if1`, else its name.
pub fn machine_hostname(object: &NimObject) -> &str {
    object
        .attribute("if1")
        .and_then(|if1| if1.split_whitespace().nth(1))
        .unwrap_or(&object.name)
}

/// The machine `client` of `master`'s database.
pub fn machine<'a>(
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

/// The clients of a database: standalone and WPAR machines that name their master.
pub fn clients(objects: &[NimObject]) -> impl Iterator<Item = &NimObject> {
    objects.iter().filter(|o| {
        o.class == NimClass::Machines
            && matches!(o.object_type.as_str(), "standalone" | "wpar")
            && o.current_master.is_some()
    })
}

/// `Err(refused)` when another master controls `client`: a master that does not
/// control a client can run no operation on it (0042-378).
pub fn controlled_here(client: &NimObject, source: &str, me: &str) -> Result<(), PlanError> {
    match client.current_master.as_deref() {
        Some(current) if current != me => Err(PlanError::refused(format!(
            "{} is controlled by {current}, not by {source} ({me}): run this on {current} (here NIM would answer 0042-378)",
            client.name
        ))),
        _ => Ok(()),
    }
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

/// `lsnim` shows `object`'s `attribute` with `value` (absent when `None`).
pub fn attribute_is(object: &str, attribute: &str, value: Option<&str>) -> Condition {
    Condition::NimAttribute {
        object: object.to_string(),
        attribute: attribute.to_string(),
        value: value.map(str::to_string),
    }
}

/// A check step runs once: no waiting.
pub const AT_ONCE: Duration = Duration::ZERO;

/// The alternate master object of `master` to work with: `wanted`, or the only one.
pub fn alternate_object<'a>(
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
pub fn nim_source_for<'a>(view: EstateView<'a>, object: &NimObject) -> Option<&'a str> {
    let hostname = machine_hostname(object);
    view.snapshots
        .iter()
        .filter(|s| s.kind == SourceKind::Nim)
        .find(|s| {
            s.name == object.name
                || s.name == hostname
                || match &s.data {
                    SourceData::Nim(objects) => {
                        let name = master_hostname(objects, &s.name);
                        name == object.name || name == hostname
                    }
                    _ => false,
                }
        })
        .map(|s| s.name.as_str())
}

/// A partition of the estate that is this machine: the one LPAR called like the
/// machine or its host name, with its HMC and system.
pub fn as_partition<'a>(view: EstateView<'a>, names: &[&str]) -> Option<PartitionRef<'a>> {
    let mut found = names
        .iter()
        .flat_map(|name| view.find_lpar(name))
        .map(|(system, lpar)| PartitionRef {
            hmc: system.hmc,
            system: &system.system().name,
            system_state: &system.system().state,
            lpar,
        })
        .collect::<Vec<_>>();
    found.dedup_by(|a, b| a.hmc == b.hmc && a.lpar.name == b.lpar.name);
    match found.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// A partition found for a NIM machine.
#[derive(Debug, Clone)]
pub struct PartitionRef<'a> {
    /// The HMC that manages it.
    pub hmc: &'a str,
    /// Its managed system.
    pub system: &'a str,
    /// The system's state.
    pub system_state: &'a crate::estate::SystemState,
    /// The partition.
    pub lpar: &'a Lpar,
}
