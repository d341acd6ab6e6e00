//! Every wizard, listed once: its id and names, what it works on, the facts it reads
//! before planning, and its builder.
//!
//! `powerdeck plan`, the console's key map and help, and the console's fact reader all
//! go through this list, so a new wizard is its builder file plus one entry here (and a
//! [`Request`] variant carrying its choices).

use std::time::Duration;

use super::capacity::{self, CapacityFacts};
use super::nim::{self, reset::PartitionOf};
use super::relocate_facts::{self, RelocationFacts};
use super::{
    cleanup, firmware, firmware_accept, nim_reset, nim_sync, nim_takeover, nimadm_preflight,
    relocate, relocate_with, remote_restart, wpar_move, wpar_recover, wpar_recovery,
    CleanupChoices, EstateView, FirmwareChoices, FirmwareFacts, FirmwareRepo, NimResetFacts,
    NimSyncChoices, NimSyncFacts, NimadmChoices, NimadmFacts, Plan, PlanError,
    RemoteRestartChoices, TakeoverFacts, WparMoveChoices, WparMoveFacts, WparRecoveryChoices,
    WparRecoveryFacts,
};
use crate::exec::Exec;

/// One of powerdeck's wizards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WizardId {
    RemoteRestart,
    Relocate,
    Cleanup,
    Firmware,
    FirmwareAccept,
    WparMove,
    WparRecover,
    NimReset,
    NimSync,
    NimTakeover,
    NimadmPreflight,
}

/// The kind of row a wizard opens from in the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// A managed system (systems view).
    System,
    /// A partition (LPAR view).
    Lpar,
    /// A WPAR (WPAR view).
    Wpar,
    /// A NIM object (NIM view).
    NimObject,
}

impl Subject {
    /// What the operator should select, for the message when nothing fitting is.
    pub fn select_hint(self) -> &'static str {
        match self {
            Subject::System => "select a managed system first (systems view)",
            Subject::Lpar => "select a partition first (LPAR view)",
            Subject::Wpar => "select a WPAR first (WPAR view)",
            Subject::NimObject => "select a NIM object first (NIM view)",
        }
    }
}

/// What a wizard reads from its hosts, beyond the refresh, before it can plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactNeed {
    /// The refreshed estate is enough.
    Nothing,
    /// AIX levels, the WPAR's details and file systems, room on the target and in the
    /// shared directory, the shared directory's mounts, the APAR a 6.1 image needs.
    WparMove,
    /// What is mounted under a stuck WPAR, what holds it, what is full.
    WparRecovery,
    /// What nimadm needs, read on the master and on the client.
    Nimadm,
    /// Two samples of a NIM client, to tell stuck from slow.
    NimReset,
    /// The other master's level, file systems and resource locations.
    NimSync,
    /// Whether the old NIM master answers.
    NimTakeover,
    /// The target's free memory and processors, and the partitions' sizes.
    Capacity,
    /// The update access key, the HMC's level, what the repository offers; for an
    /// evacuation also the target's room and the partitions' sizes and adapters.
    Firmware,
    /// Moves each system runs and supports; what the partition holds now and the
    /// target's room.
    Relocation,
}

/// A wizard's entry in the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WizardSpec {
    /// Which wizard.
    pub id: WizardId,
    /// Its name on the command line (`plan NAME`) and in the journal.
    pub name: &'static str,
    /// Its name in the `[keys]` table of the config.
    pub key_name: &'static str,
    /// Its line in the console's key help.
    pub help: &'static str,
    /// Its key in the console unless the `[keys]` table says otherwise.
    pub key: char,
    /// The row it opens from.
    pub subject: Subject,
    /// What it reads before planning.
    pub facts: FactNeed,
}

/// Every wizard, in the order the key help lists them.
pub const WIZARDS: [WizardSpec; 11] = [
    WizardSpec {
        id: WizardId::RemoteRestart,
        name: "remote-restart",
        key_name: "remote_restart",
        help: "remote restart: partitions of a failed system (RR source)",
        key: 'R',
        subject: Subject::System,
        facts: FactNeed::Capacity,
    },
    WizardSpec {
        id: WizardId::Relocate,
        name: "relocate",
        key_name: "relocate",
        help: "relocate (move) the selected LPAR to another system",
        key: 'M',
        subject: Subject::Lpar,
        facts: FactNeed::Relocation,
    },
    WizardSpec {
        id: WizardId::Cleanup,
        name: "cleanup",
        key_name: "cleanup",
        help: "clean up a system that is back (needs cleanup)",
        key: 'C',
        subject: Subject::System,
        facts: FactNeed::Nothing,
    },
    WizardSpec {
        id: WizardId::Firmware,
        name: "firmware",
        key_name: "firmware",
        help: "firmware update of the selected system",
        key: 'F',
        subject: Subject::System,
        facts: FactNeed::Firmware,
    },
    WizardSpec {
        id: WizardId::FirmwareAccept,
        name: "firmware-accept",
        key_name: "firmware_accept",
        help: "accept the activated firmware (update flag)",
        key: 'A',
        subject: Subject::System,
        facts: FactNeed::Nothing,
    },
    WizardSpec {
        id: WizardId::WparMove,
        name: "wpar-move",
        key_name: "wpar_move",
        help: "WPAR view: move the WPAR to another AIX global",
        key: 'W',
        subject: Subject::Wpar,
        facts: FactNeed::WparMove,
    },
    WizardSpec {
        id: WizardId::WparRecover,
        name: "wpar-recover",
        key_name: "wpar_recover",
        help: "WPAR view: recover a stuck (T) or Broken WPAR",
        key: 'X',
        subject: Subject::Wpar,
        facts: FactNeed::WparRecovery,
    },
    WizardSpec {
        id: WizardId::NimReset,
        name: "nim-reset",
        key_name: "nim_reset",
        help: "NIM view: reset + deallocate a stuck client",
        key: 'X',
        subject: Subject::NimObject,
        facts: FactNeed::NimReset,
    },
    WizardSpec {
        id: WizardId::NimSync,
        name: "nim-sync",
        key_name: "nim_sync",
        help: "NIM view: sync a master to its alternate",
        key: 'S',
        subject: Subject::NimObject,
        facts: FactNeed::NimSync,
    },
    WizardSpec {
        id: WizardId::NimTakeover,
        name: "nim-takeover",
        key_name: "nim_takeover",
        help: "NIM view: take over the clients on the alternate",
        key: 'T',
        subject: Subject::NimObject,
        facts: FactNeed::NimTakeover,
    },
    WizardSpec {
        id: WizardId::NimadmPreflight,
        name: "nimadm-preflight",
        key_name: "nimadm_preflight",
        help: "NIM view: nimadm pre-flight of a client",
        key: 'P',
        subject: Subject::NimObject,
        facts: FactNeed::Nimadm,
    },
];

impl WizardId {
    /// This wizard's catalogue entry.
    pub fn spec(self) -> &'static WizardSpec {
        WIZARDS
            .iter()
            .find(|spec| spec.id == self)
            .expect("every wizard has a catalogue entry")
    }

    /// The wizard with this `[keys]` name.
    pub fn from_key_name(name: &str) -> Option<WizardId> {
        WIZARDS
            .iter()
            .find(|spec| spec.key_name == name)
            .map(|spec| spec.id)
    }
}

/// Partitions restarted (or relocated) at once unless the operator says otherwise: the
/// same default for `plan` and the console.
pub const DEFAULT_PARALLELISM: usize = 2;

/// A wizard with every choice made: what `plan` and the console hand over to build a
/// plan.
#[derive(Debug, Clone)]
pub enum Request {
    /// Restart the partitions of `from` on `to`.
    RemoteRestart {
        from: String,
        to: String,
        choices: RemoteRestartChoices,
    },
    /// Move `lpar` to `to`.
    Relocate { lpar: String, to: String },
    /// Clean up `system` after it came back.
    Cleanup {
        system: String,
        choices: CleanupChoices,
    },
    /// Update the firmware of `system`.
    Firmware {
        system: String,
        choices: FirmwareChoices,
    },
    /// Accept the activated firmware level of `system`.
    FirmwareAccept { system: String },
    /// Move `wpar` from the global `from` to the global `to`.
    WparMove {
        wpar: String,
        from: String,
        to: String,
        choices: WparMoveChoices,
    },
    /// Recover `wpar` on `host`; what is mounted under it, what holds it and what is full
    /// are read first (`unmount`, when given, replaces the mounts found).
    WparRecover {
        host: String,
        wpar: String,
        choices: WparRecoveryChoices,
    },
    /// Reset and deallocate the NIM `client` of `master`.
    NimReset { master: String, client: String },
    /// Synchronise `master` to its alternate.
    NimSync {
        master: String,
        choices: NimSyncChoices,
    },
    /// Take over the clients of the other master on `alternate`.
    NimTakeover {
        alternate: String,
        from: Option<String>,
    },
    /// nimadm pre-flight of `client` on `master`.
    NimadmPreflight {
        master: String,
        client: String,
        choices: NimadmChoices,
    },
}

/// Facts to read, with read-only commands, before a plan can be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactsQuery {
    /// Levels, details, sizes and mounts for a WPAR move through `shared_dir`.
    WparMove {
        wpar: String,
        from: String,
        to: String,
        shared_dir: String,
    },
    /// What is mounted under a stuck WPAR, what holds it, what is full.
    WparRecovery {
        host: String,
        wpar: String,
        directory: String,
    },
    /// What nimadm needs, on `master` and through it on `client`.
    Nimadm {
        master: String,
        client: String,
        spot: String,
        lpp_source: String,
    },
    /// Two samples of `client`, `interval` apart, and its partition's reference codes.
    NimReset {
        master: String,
        client: String,
        partition: Result<PartitionOf, String>,
        interval: Duration,
    },
    /// Both masters' levels, the other's file systems, and which of the resource
    /// `locations` it has (and the sizes of those it lacks).
    NimSync {
        master: String,
        other: String,
        locations: Vec<String>,
    },
    /// Whether the old master (its configured source, if any) answers.
    NimTakeover { old: String, source: Option<String> },
    /// Free memory and processors of `target`, and the profiles of `source`'s
    /// partitions, through `hmc`.
    Capacity {
        hmc: String,
        source: String,
        target: String,
    },
    /// The clock, update access key and repository of `system`, the level of `hmc`, and
    /// with `evacuate_to` the room there and the profiles of `system`'s partitions.
    Firmware {
        hmc: String,
        system: String,
        repository: FirmwareRepo,
        evacuate_to: Option<String>,
    },
    /// Moves on `source` and `target` (`lslparmigr -r sys`) and, for an `active` move,
    /// what `lpar` holds now and what `target` has free, through `hmc`.
    Relocation {
        hmc: String,
        source: String,
        target: String,
        lpar: String,
        active: bool,
    },
}

/// What a [`FactsQuery`] found.
#[derive(Debug, Clone, Default)]
pub enum Facts {
    /// Nothing was needed.
    #[default]
    None,
    /// For a WPAR move.
    WparMove(Box<WparMoveFacts>),
    /// For a WPAR recovery.
    WparRecovery(Box<WparRecoveryFacts>),
    /// For a nimadm pre-flight.
    Nimadm(Box<NimadmFacts>),
    /// For a NIM reset.
    NimReset(Box<NimResetFacts>),
    /// For a NIM sync.
    NimSync(Box<NimSyncFacts>),
    /// For a NIM takeover.
    NimTakeover(TakeoverFacts),
    /// For a remote restart.
    Capacity(CapacityFacts),
    /// For a firmware update.
    Firmware(Box<FirmwareFacts>),
    /// For a relocation.
    Relocation(RelocationFacts),
}

impl FactsQuery {
    /// What is being read, for the console's `reading…` line.
    pub fn describe(&self) -> String {
        match self {
            FactsQuery::WparMove {
                wpar,
                from,
                to,
                shared_dir,
            } => format!(
                "oslevel and mount on {from} and {to}, lswpar -G and lsfs of {wpar}, free space in {to}'s rootvg and in {shared_dir}, and instfix on {to} for an AIX 6 image"
            ),
            FactsQuery::WparRecovery {
                host, directory, ..
            } => format!(
                "mount, lsfs, fuser and df on {host}: what is mounted under {directory}, what holds it, what is full"
            ),
            FactsQuery::Nimadm {
                master,
                client,
                spot,
                lpp_source,
            } => format!(
                "through c_rsh on {client}: hostname, nimsh, niminfo, oslevel, /bos_inst, mounts, rootvg, disks; on {master}: oslevel, lslpp, {spot} and {lpp_source}, volume groups"
            ),
            FactsQuery::NimReset {
                master,
                client,
                interval,
                ..
            } => format!(
                "{client}'s Cstate, info and NIM log on {master}, twice {} s apart",
                interval.as_secs()
            ),
            FactsQuery::NimSync { master, other, .. } => format!(
                "oslevel on {master} and {other}, {other}'s file systems and resource locations, their sizes on {master}"
            ),
            FactsQuery::NimTakeover { old, .. } => format!("whether {old} answers"),
            FactsQuery::Capacity { hmc, source, target } => format!(
                "free memory and processors of {target} and the profiles of {source}'s partitions ({hmc})"
            ),
            FactsQuery::Firmware {
                hmc,
                system,
                repository,
                evacuate_to,
            } => format!(
                "the clock and update access key of {system}, the level of {hmc}, what {} offers{}",
                repository.describe(),
                evacuate_to.as_deref().map_or(String::new(), |target| format!(
                    ", the room on {target} and the profiles of {system}'s partitions"
                ))
            ),
            FactsQuery::Relocation {
                hmc,
                source,
                target,
                lpar,
                active,
            } => format!(
                "lslparmigr -r sys of {source} and {target}{} ({hmc})",
                if *active {
                    format!(", what {lpar} holds now and what {target} has free")
                } else {
                    String::new()
                }
            ),
        }
    }

    /// Reads the facts with read-only commands.
    pub async fn read<E: Exec>(&self, exec: &E) -> Result<Facts, PlanError> {
        match self {
            FactsQuery::WparMove {
                wpar,
                from,
                to,
                shared_dir,
            } => wpar_move::read_facts(exec, wpar, from, to, shared_dir)
                .await
                .map(|facts| Facts::WparMove(Box::new(facts))),
            FactsQuery::WparRecovery {
                host,
                wpar,
                directory,
            } => wpar_recovery::read_facts(exec, host, wpar, directory)
                .await
                .map(|facts| Facts::WparRecovery(Box::new(facts))),
            FactsQuery::Nimadm {
                master,
                client,
                spot,
                lpp_source,
            } => nim::read_nimadm_facts(exec, master, client, spot, lpp_source)
                .await
                .map(|facts| Facts::Nimadm(Box::new(facts))),
            FactsQuery::NimReset {
                master,
                client,
                partition,
                interval,
            } => nim::read_reset_facts(exec, master, client, partition, *interval)
                .await
                .map(|facts| Facts::NimReset(Box::new(facts))),
            FactsQuery::NimSync {
                master,
                other,
                locations,
            } => nim::read_sync_facts(exec, master, other, locations)
                .await
                .map(|facts| Facts::NimSync(Box::new(facts))),
            FactsQuery::NimTakeover { source, .. } => {
                nim::read_takeover_facts(exec, source.as_deref())
                    .await
                    .map(Facts::NimTakeover)
            }
            FactsQuery::Capacity {
                hmc,
                source,
                target,
            } => capacity::read_capacity(exec, hmc, source, target)
                .await
                .map(Facts::Capacity),
            FactsQuery::Firmware {
                hmc,
                system,
                repository,
                evacuate_to,
            } => firmware::read_facts(exec, hmc, system, repository, evacuate_to.as_deref())
                .await
                .map(|facts| Facts::Firmware(Box::new(facts))),
            FactsQuery::Relocation {
                hmc,
                source,
                target,
                lpar,
                active,
            } => relocate_facts::read_relocation_facts(exec, hmc, source, target, lpar, *active)
                .await
                .map(Facts::Relocation),
        }
    }
}

impl Request {
    /// Which wizard this is.
    pub fn id(&self) -> WizardId {
        match self {
            Request::RemoteRestart { .. } => WizardId::RemoteRestart,
            Request::Relocate { .. } => WizardId::Relocate,
            Request::Cleanup { .. } => WizardId::Cleanup,
            Request::Firmware { .. } => WizardId::Firmware,
            Request::FirmwareAccept { .. } => WizardId::FirmwareAccept,
            Request::WparMove { .. } => WizardId::WparMove,
            Request::WparRecover { .. } => WizardId::WparRecover,
            Request::NimReset { .. } => WizardId::NimReset,
            Request::NimSync { .. } => WizardId::NimSync,
            Request::NimTakeover { .. } => WizardId::NimTakeover,
            Request::NimadmPreflight { .. } => WizardId::NimadmPreflight,
        }
    }

    /// The facts to read before [`Request::build`], if any; resolving them from the
    /// estate can itself fail (a WPAR that is not there).
    pub fn facts_query(&self, view: EstateView<'_>) -> Result<Option<FactsQuery>, PlanError> {
        Ok(match self {
            Request::RemoteRestart { from, to, choices } => {
                let (checked, _) = remote_restart::check_choices(view, from, to, choices)?;
                Some(FactsQuery::Capacity {
                    hmc: checked.hmc,
                    source: checked.source,
                    target: checked.target,
                })
            }
            Request::Relocate { lpar, to } => {
                let checked = relocate::check_choices(view, lpar, to)?;
                Some(FactsQuery::Relocation {
                    active: checked.active(),
                    hmc: checked.hmc,
                    source: checked.source,
                    target: checked.target,
                    lpar: checked.lpar,
                })
            }
            Request::WparMove {
                wpar,
                from,
                to,
                choices,
            } => Some(FactsQuery::WparMove {
                wpar: wpar.clone(),
                from: from.clone(),
                to: to.clone(),
                shared_dir: choices.shared_dir.clone(),
            }),
            Request::WparRecover { host, wpar, .. } => Some(FactsQuery::WparRecovery {
                host: host.clone(),
                wpar: wpar.clone(),
                directory: wpar_recovery::wpar_directory(view, host, wpar)?,
            }),
            Request::Firmware { system, choices } => {
                let checked = firmware::check_choices(view, system, choices)?;
                Some(FactsQuery::Firmware {
                    hmc: checked.hmc,
                    system: checked.system,
                    repository: choices.repository.clone(),
                    evacuate_to: checked
                        .disruption
                        .and_then(|d| d.evacuation)
                        .map(|e| e.target),
                })
            }
            Request::NimadmPreflight {
                master,
                client,
                choices,
            } => {
                let (spot, lpp_source) = nim::nimadm::resources(view, master, choices)?;
                Some(FactsQuery::Nimadm {
                    master: master.clone(),
                    client: client.clone(),
                    spot,
                    lpp_source,
                })
            }
            Request::NimReset { master, client } => {
                nim::reset::needs_samples(view, master, client)?.then_some(FactsQuery::NimReset {
                    master: master.clone(),
                    client: client.clone(),
                    partition: nim::reset::partition_of(view, master, client)?,
                    interval: nim::reset::SAMPLE_INTERVAL,
                })
            }
            Request::NimSync { master, choices } => nim::sync::other_source(view, master, choices)?
                .map(|other| FactsQuery::NimSync {
                    master: master.clone(),
                    other,
                    locations: nim::sync::locations(view, master).unwrap_or_default(),
                }),
            Request::NimTakeover { alternate, from } => {
                let (old, source) = nim::takeover::old_source(view, alternate, from.as_deref())?;
                Some(FactsQuery::NimTakeover { old, source })
            }
            _ => None,
        })
    }

    /// Builds the plan from the estate and the facts read for it: pure.
    pub fn build(&self, view: EstateView<'_>, facts: &Facts) -> Result<Plan, PlanError> {
        match self {
            Request::RemoteRestart { from, to, choices } => {
                let Facts::Capacity(capacity) = facts else {
                    return Err(PlanError::cannot_tell(
                        "the target's free capacity and the partitions' sizes were not read",
                    ));
                };
                remote_restart::remote_restart(view, from, to, choices, capacity)
            }
            Request::Relocate { lpar, to } => {
                let Facts::Relocation(facts) = facts else {
                    return Err(PlanError::cannot_tell(
                        "the moves under way and the room on the target were not read",
                    ));
                };
                relocate_with(view, lpar, to, facts)
            }
            Request::Cleanup { system, choices } => cleanup(view, system, *choices),
            Request::Firmware { system, choices } => {
                let Facts::Firmware(facts) = facts else {
                    return Err(PlanError::cannot_tell(
                        "the update access key, the HMC's level and the repository were not read",
                    ));
                };
                firmware(view, system, choices, facts)
            }
            Request::FirmwareAccept { system } => firmware_accept(view, system),
            Request::WparMove {
                wpar,
                from,
                to,
                choices,
            } => {
                let Facts::WparMove(facts) = facts else {
                    return Err(PlanError::cannot_tell(
                        "the facts of the move were not read",
                    ));
                };
                wpar_move(view, wpar, from, to, choices, facts)
            }
            Request::WparRecover {
                host,
                wpar,
                choices,
            } => {
                let Facts::WparRecovery(facts) = facts else {
                    return Err(PlanError::cannot_tell(
                        "what is mounted under the WPAR, what holds it and what is full were not read",
                    ));
                };
                wpar_recover(view, host, wpar, choices, facts)
            }
            Request::NimReset { master, client } => {
                let facts = match facts {
                    Facts::NimReset(facts) => Some(facts.as_ref()),
                    _ => None,
                };
                nim_reset(view, master, client, facts)
            }
            Request::NimSync { master, choices } => {
                let facts = match facts {
                    Facts::NimSync(facts) => Some(facts.as_ref()),
                    _ => None,
                };
                nim_sync(view, master, choices, facts)
            }
            Request::NimTakeover { alternate, from } => {
                let facts = match facts {
                    Facts::NimTakeover(facts) => Some(facts),
                    _ => None,
                };
                nim_takeover(view, alternate, from.as_deref(), facts)
            }
            Request::NimadmPreflight {
                master,
                client,
                choices,
            } => {
                let facts = match facts {
                    Facts::Nimadm(facts) => Some(facts.as_ref()),
                    _ => None,
                };
                nimadm_preflight(view, master, client, choices, facts)
            }
        }
    }
}

/// Notes for a plan built on data a failed refresh left behind: which host's data, and
/// how old it was at `now`. The plan itself stays a pure function of the data.
pub fn stale_notes(view: EstateView<'_>, plan: &Plan, now: std::time::SystemTime) -> Vec<String> {
    let mut hosts: Vec<&str> = plan.steps.iter().map(|step| step.host.as_str()).collect();
    hosts.sort_unstable();
    hosts.dedup();
    hosts
        .into_iter()
        .filter_map(|host| {
            let snapshot = view.snapshots.iter().find(|s| s.name == host && s.stale)?;
            let age = snapshot
                .fetched_at
                .and_then(|at| now.duration_since(at).ok())
                .map_or("of unknown age".to_string(), |age| {
                    format!("{} min old", age.as_secs() / 60)
                });
            Some(format!(
                "what {host} reported is {age}: its last refresh failed ({}); the plan's checks read it again before any change",
                snapshot.error.as_deref().unwrap_or("no reason given")
            ))
        })
        .collect()
}

/// Reads what the plan needs, then builds it: what `powerdeck plan` does.
pub async fn plan<E: Exec>(
    exec: &E,
    view: EstateView<'_>,
    request: &Request,
) -> Result<Plan, PlanError> {
    let facts = match request.facts_query(view)? {
        Some(query) => query.read(exec).await?,
        None => Facts::None,
    };
    let mut plan = request.build(view, &facts)?;
    plan.notes
        .extend(stale_notes(view, &plan, std::time::SystemTime::now()));
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wizard_is_listed_once_with_distinct_names() {
        let mut names: Vec<_> = WIZARDS.iter().map(|spec| spec.name).collect();
        let mut keys: Vec<_> = WIZARDS.iter().map(|spec| spec.key_name).collect();
        names.sort();
        names.dedup();
        keys.sort();
        keys.dedup();
        assert_eq!(names.len(), WIZARDS.len());
        assert_eq!(keys.len(), WIZARDS.len());
        for spec in &WIZARDS {
            assert_eq!(spec.id.spec(), spec);
            assert_eq!(WizardId::from_key_name(spec.key_name), Some(spec.id));
        }
    }

    #[test]
    fn a_plan_on_stale_data_says_how_old() {
        use crate::estate::{SourceData, SourceKind, SourceSnapshot};
        use crate::sources::hmc::commands;
        use crate::wizard::{Step, StepKind};
        use std::time::{Duration, SystemTime};
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mut snapshot = SourceSnapshot::failed("hmc01", SourceKind::Hmc, "no answer");
        snapshot.stale = true;
        snapshot.fetched_at = Some(now - Duration::from_secs(600));
        snapshot.data = SourceData::Hmc(Vec::new());
        let snapshots = [snapshot];
        let step = Step::new(
            "hmc01",
            StepKind::Check,
            commands::lssyscfg_sys(Some("p9-01"), &["name", "state"]).unwrap(),
            "check",
        );
        let plan = Plan {
            wizard: "test",
            title: "t".into(),
            confirm_name: "x".into(),
            attestation: None,
            steps: vec![step],
            parallelism: 1,
            notes: Vec::new(),
        };
        let notes = stale_notes(EstateView::new(&snapshots), &plan, now);
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0].contains("hmc01 reported is 10 min old"),
            "{notes:?}"
        );
        assert!(notes[0].contains("no answer"));
        let fresh = [SourceSnapshot::failed("hmc01", SourceKind::Hmc, "x")];
        assert!(stale_notes(EstateView::new(&fresh), &plan, now).is_empty());
    }
}
