//! Synchronising an alternate NIM master (docs/procedures.md, "NIM alternate master").
//!
//! The sync copies this master's database over the other one's and replicates the
//! resource files the other one lacks. So it must run from the master that controls
//! the clients now: after a takeover the roles are swapped, and syncing from the master
//! that lost control overwrites the live database with a stale one. NIM does not refuse
//! that, so the wizard does, reading `current_master` in both databases. Replicated
//! files are written under the same paths on the other master; where no file system is
//! mounted for them they land in `/` and fill it (NIM does not refuse that either). The
//! wizard therefore reads, on the other master, its AIX level, its mounted file systems
//! (`df -k`) and which resource locations exist (`ls -d`), and on this master how big
//! the missing ones are (`du -sk`): every resource to replicate must land on a file
//! system other than `/` with room for it.

use std::collections::BTreeMap;

use super::read::{chained_or_cannot_tell, Part};
use super::{
    alternate_object, attribute_is, clients, master_hostname, nim_master, nim_source_for, AT_ONCE,
};
use crate::estate::{NimClass, NimObject, SourceData};
use crate::exec::Exec;
use crate::sources::aix::commands as aix;
use crate::sources::nim::commands as nim;
use crate::sources::nim::output::{
    df_rows, du_rows, file_system_of, listed_paths, release_level, FileSystem,
};
use crate::wizard::plan::{Condition, Plan, Step, StepKind};
use crate::wizard::view::EstateView;
use crate::wizard::PlanError;

/// Resource types every master has of its own (`nimconfig` makes them): never
/// replicated.
const MASTER_OWN: &[&str] = &["boot", "nim_script"];

/// The operator's choices for a sync.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NimSyncChoices {
    /// The alternate master object; the only one when `None`.
    pub alternate: Option<String>,
    /// `-a reset_clients=yes`: also rebuild every client's master list.
    pub reset_clients: bool,
}

/// What the wizard read on both masters before planning a sync.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NimSyncFacts {
    /// `oslevel -s` of this master.
    pub master_level: String,
    /// `oslevel -s` of the other master.
    pub other_level: String,
    /// The other master's mounted file systems.
    pub other_file_systems: Vec<FileSystem>,
    /// The resource locations that exist on the other master.
    pub other_paths: Vec<String>,
    /// (location, KB) on this master of the resources the other one lacks.
    pub sizes_kb: Vec<(String, u64)>,
}

/// A resource whose files a sync would replicate: (name, location).
fn replicated(objects: &[NimObject]) -> Vec<(String, String)> {
    objects
        .iter()
        .filter(|o| o.class == NimClass::Resources && !MASTER_OWN.contains(&o.object_type.as_str()))
        .filter(|o| o.attribute("server").is_none_or(|s| s == "master"))
        .filter_map(|o| {
            o.attribute("location")
                .map(|l| (o.name.clone(), l.to_string()))
        })
        .collect()
}

/// The configured source of the other master, for the facts to read there.
pub fn other_source(
    view: EstateView<'_>,
    master: &str,
    choices: &NimSyncChoices,
) -> Result<Option<String>, PlanError> {
    let objects = nim_master(view, master)?;
    let alternate = alternate_object(objects, master, choices.alternate.as_deref())?;
    Ok(nim_source_for(view, alternate).map(str::to_string))
}

/// The locations of the resources a sync from `master` would replicate.
pub fn locations(view: EstateView<'_>, master: &str) -> Result<Vec<String>, PlanError> {
    Ok(replicated(nim_master(view, master)?)
        .into_iter()
        .map(|(_, location)| location)
        .collect())
}

/// Reads the levels of both masters, the other's file systems and which of the resource
/// `locations` it has, and the sizes of those it lacks; read-only.
pub async fn read_sync_facts<E: Exec>(
    exec: &E,
    master: &str,
    other: &str,
    locations: &[String],
) -> Result<NimSyncFacts, PlanError> {
    let paths: Vec<&str> = locations.iter().map(String::as_str).collect();
    let mut there = vec![Part::Read(aix::oslevel()), Part::Read(nim::df_k(&[])?)];
    if !paths.is_empty() {
        there.push(Part::Read(nim::ls_d(&paths)?));
    }
    let read = chained_or_cannot_tell(exec, other, &there).await?;
    let other_paths = listed_paths(read.out(2));
    let missing: Vec<&str> = paths
        .iter()
        .copied()
        .filter(|p| !other_paths.iter().any(|o| o == p))
        .collect();
    let mut here = vec![Part::Read(aix::oslevel())];
    if !missing.is_empty() {
        here.push(Part::Read(nim::du_sk(&missing)?));
    }
    let local = chained_or_cannot_tell(exec, master, &here).await?;
    Ok(NimSyncFacts {
        master_level: local.out(0).trim().to_string(),
        other_level: read.out(0).trim().to_string(),
        other_file_systems: df_rows(read.out(1)),
        other_paths,
        sizes_kb: du_rows(local.out(1)),
    })
}

/// What [`check`] decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The master the sync runs on.
    pub master: String,
    /// Its host name.
    pub hostname: String,
    /// The alternate_master object naming the other master.
    pub alternate: String,
    /// The other master's configured source, when there is one.
    pub other_source: Option<String>,
    /// The clients this master controls.
    pub clients: Vec<String>,
    /// Resources expected to be kept on the other side.
    pub kept: Vec<String>,
    /// `-a reset_clients=yes`.
    pub reset_clients: bool,
    /// What the operator should know.
    pub notes: Vec<String>,
}

/// Decides whether `master` may synchronise its alternate: it controls every client
/// (and the other master's database agrees), both run the same level, and every
/// resource to replicate lands on a mounted file system with room.
pub fn check(
    view: EstateView<'_>,
    master: &str,
    choices: &NimSyncChoices,
    facts: Option<&NimSyncFacts>,
) -> Result<Checked, PlanError> {
    let objects = nim_master(view, master)?;
    let alternate = alternate_object(objects, master, choices.alternate.as_deref())?;
    let name = alternate.name.clone();
    let me = master_hostname(objects, master);
    let other_source = nim_source_for(view, alternate).map(str::to_string);
    let mut notes = Vec::new();

    let (mine, theirs): (Vec<&NimObject>, Vec<&NimObject>) =
        clients(objects).partition(|c| c.current_master.as_deref() == Some(me.as_str()));
    let names = |list: &[&NimObject]| {
        list.iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !theirs.is_empty() {
        let other = theirs[0].current_master.clone().unwrap_or_default();
        return Err(PlanError::refused(if mine.is_empty() {
            format!(
                "{master} does not control its clients: their current master is {other} (after a takeover the roles are swapped). Synchronise from {other}, never from the master that does not control the clients"
            )
        } else {
            format!(
                "control is split: {} follow {me}, {} do not ({other}): finish the takeover (or take them back) before synchronising",
                names(&mine),
                names(&theirs)
            )
        }));
    }
    let other_objects = other_source.as_deref().and_then(|source| {
        view.snapshots
            .iter()
            .find(|s| s.name == source)
            .and_then(|s| match &s.data {
                SourceData::Nim(objects) => Some(objects.as_slice()),
                _ => None,
            })
    });
    if let (Some(source), Some(other_objects)) = (other_source.as_deref(), other_objects) {
        let other_me = master_hostname(other_objects, source);
        let taken: Vec<&NimObject> = clients(other_objects)
            .filter(|c| c.current_master.as_deref() == Some(other_me.as_str()))
            .collect();
        if !taken.is_empty() {
            return Err(PlanError::refused(format!(
                "{source}'s database says it took over {}; {master} still believes it controls them (it did not see the takeover). Synchronise from {source}, never from {master}",
                names(&taken)
            )));
        }
    }

    let Some(source) = other_source.clone() else {
        return Err(PlanError::cannot_tell(format!(
            "{name} is not a NIM master in the configuration: its level, file systems and resource locations cannot be checked (add it as a [[nim]] source)"
        )));
    };
    let facts = facts.ok_or_else(|| {
        PlanError::cannot_tell(format!(
            "{source}'s level, file systems and resource locations were not read"
        ))
    })?;
    let level = |text: &str| release_level(text).map(|_| text.to_string());
    match (level(&facts.master_level), level(&facts.other_level)) {
        (Some(here), Some(there)) if here == there => {}
        (Some(here), Some(there)) => {
            return Err(PlanError::refused(format!(
                "{master} runs {here} and {source} runs {there}: both masters must be at the same AIX level"
            )))
        }
        _ => {
            return Err(PlanError::cannot_tell(format!(
                "the AIX levels could not be read ({master}: '{}', {source}: '{}')",
                facts.master_level, facts.other_level
            )))
        }
    }
    if facts.other_file_systems.is_empty() {
        return Err(PlanError::cannot_tell(format!(
            "{source}'s file systems could not be read (df -k)"
        )));
    }
    let mut kept = Vec::new();
    let mut landing: BTreeMap<String, (u64, u64, Vec<String>)> = BTreeMap::new();
    let mut in_root = Vec::new();
    for (resource, location) in replicated(objects) {
        kept.push(resource.clone());
        if facts.other_paths.contains(&location) {
            continue;
        }
        let fs = file_system_of(&facts.other_file_systems, &location).ok_or_else(|| {
            PlanError::cannot_tell(format!("no file system of {source} holds {location}"))
        })?;
        if fs.mount == "/" {
            in_root.push(format!("{resource} ({location})"));
            continue;
        }
        let size = facts
            .sizes_kb
            .iter()
            .find(|(path, _)| *path == location)
            .map(|(_, kb)| *kb)
            .ok_or_else(|| {
                PlanError::cannot_tell(format!(
                    "the size of {resource} ({location}) on {master} could not be read"
                ))
            })?;
        let entry = landing
            .entry(fs.mount.clone())
            .or_insert((0, fs.free_kb, Vec::new()));
        entry.0 += size;
        entry.2.push(resource);
    }
    if !in_root.is_empty() {
        return Err(PlanError::refused(format!(
            "on {source} no file system is mounted for {}: NIM would create them under / and fill it. Create and mount the same file systems as on {master} first",
            in_root.join(", ")
        )));
    }
    for (mount, (need_kb, free_kb, resources)) in &landing {
        if need_kb > free_kb {
            return Err(PlanError::refused(format!(
                "{source}:{mount} has {} MB free; replicating {} there needs {} MB",
                free_kb / 1024,
                resources.join(", "),
                need_kb.div_ceil(1024)
            )));
        }
        notes.push(format!(
            "{} replicated to {source}:{mount} ({} MB of {} MB free)",
            resources.join(", "),
            need_kb.div_ceil(1024),
            free_kb / 1024
        ));
    }
    let busy: Vec<&str> = clients(objects)
        .filter(|c| c.cstate.as_ref().is_some_and(|s| !s.is_ready()))
        .map(|c| c.name.as_str())
        .collect();
    if !busy.is_empty() {
        notes.push(format!(
            "operations are under way on {}: the copy on {source} shows them reset",
            busy.join(", ")
        ));
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
    notes.push(format!(
        "{master} controls the clients: the sync runs from it. {name} gets the database; it controls nothing until a takeover"
    ));
    Ok(Checked {
        master: master.to_string(),
        hostname: me,
        alternate: name,
        other_source: Some(source),
        clients: mine.iter().map(|c| c.name.clone()).collect(),
        kept,
        reset_clients: choices.reset_clients,
        notes,
    })
}

/// The steps of a checked sync.
pub fn emit(checked: &Checked) -> Result<Plan, PlanError> {
    let (master, name, me) = (&checked.master, &checked.alternate, &checked.hostname);
    let built = |command: Result<_, _>| command.map_err(PlanError::from);
    let mut still = vec![attribute_is(name, "type", Some("alternate_master"))];
    still.extend(
        checked
            .clients
            .iter()
            .map(|client| attribute_is(client, "current_master", Some(me))),
    );
    let mut done = vec![
        Condition::OutputLine {
            words: vec!["nim_master_recover".into(), "Complete".into()],
        },
        Condition::NoOutputLine {
            header: "nim_master_recover Complete".into(),
            containing: "Removing ".into(),
        },
    ];
    done.extend(checked.kept.iter().map(|resource| Condition::OutputLine {
        words: vec!["Keeping".into(), resource.clone()],
    }));
    let mut steps = vec![
        Step::new(
            master,
            StepKind::Check,
            built(nim::lsnim_long(None))?,
            format!(
                "{name} is still the alternate master of {master}, and {master} still controls every client"
            ),
        )
        .until(Condition::All(still), AT_ONCE),
        Step::new(
            master,
            StepKind::Change,
            built(nim::nim_sync(name, checked.reset_clients))?,
            format!(
                "copy {master}'s NIM database to {name} (force=yes replaces the one niminit made) and replicate the resources {name} lacks (without replicate=yes they would be dropped there){}",
                if checked.reset_clients {
                    "; reset_clients=yes rebuilds every client's master list"
                } else {
                    ""
                }
            ),
        )
        .until(Condition::All(done), AT_ONCE),
    ];
    if let Some(source) = &checked.other_source {
        steps.push(
            Step::new(
                source,
                StepKind::Verify,
                built(nim::lsnim_long(Some(me)))?,
                format!("{source} now knows {me} as its alternate master"),
            )
            .until(attribute_is(me, "type", Some("alternate_master")), AT_ONCE),
        );
    }
    Ok(Plan {
        wizard: "nim-sync",
        title: format!("Synchronise NIM master {master} to its alternate {name}"),
        confirm_name: master.to_string(),
        attestation: None,
        steps,
        parallelism: 1,
        notes: checked.notes.clone(),
    })
}

/// Builds the plan that synchronises the NIM database and resources of `master` to its
/// alternate master, once `facts` show it safe.
pub fn nim_sync(
    view: EstateView<'_>,
    master: &str,
    choices: &NimSyncChoices,
    facts: Option<&NimSyncFacts>,
) -> Result<Plan, PlanError> {
    emit(&check(view, master, choices, facts)?)
}
