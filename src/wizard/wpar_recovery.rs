//! Recovering a WPAR left stuck in `T` or Broken by a failed operation, rung by rung as
//! the Redbook's Appendix A does (docs/procedures.md, "WPAR recovery", whose step numbers
//! these are):
//!
//! 2. the holders: no process of the global may hold its file systems (`fuser -cx`);
//! 3. a plain `umount` of what the global mounted under it (never `-f` on a local
//!    journaled file system);
//! 4. an NFS-based WPAR: its server still exports its file systems (`showmount -e`);
//! 5. `stopwpar -F`, verified Defined;
//! 6. a start that breaks it again: a full file system, checked with `df`;
//! 7. the last rung, only for a WPAR still Broken, with its own typed confirmation and a
//!    backup first: recreate it from its specification on its own data (`mkwpar -w -e`,
//!    `rmwpar -F`, `mkwpar -f SPEC -p`).
//!
//! The facts ([`read_facts`], read-only) decide before anything runs: a held file system
//! or a full one refuses the plan with the reason; the plan's check steps read them again.

use std::time::Duration;

use super::aix_checks::{self, MountEntry};
use super::plan::{Attestation, Condition, Plan, Step, StepKind};
use super::view::EstateView;
use super::wpar_move::{
    aix_host, mount_group_points, mount_group_size_mb, run, DEFAULT_SHARED_DIR,
};
use super::PlanError;
use crate::estate::{WparState, WparType};
use crate::exec::Exec;
use crate::sources::aix::commands as aix;
use crate::sources::command::Built;
use crate::sources::quote;

/// The operator's choices for a WPAR recovery.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WparRecoveryChoices {
    /// File systems the global environment mounted under the WPAR's directory, to
    /// unmount before the forced stop; empty: those the facts found
    /// ([`WparRecoveryFacts::leftover`]).
    pub unmount: Vec<String>,
    /// Start the WPAR once it is Defined again.
    pub start: bool,
    /// The last rung, for a WPAR still Broken: recreate it from its specification (its
    /// infrastructure is damaged), after a backup, with its own confirmation.
    pub recreate: bool,
}

/// What the global says about the stuck WPAR, read just before planning.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WparRecoveryFacts {
    /// What is mounted at or under the WPAR's directory (`mount`), in mount order.
    pub mounted: Vec<MountEntry>,
    /// The mount points of its own file systems (`lsfs -u W`).
    pub own: Vec<String>,
    /// Its file systems, MB (`lsfs -u W`).
    pub size_mb: Option<u64>,
    /// The processes holding each mounted file system (`fuser -cx`), where any do.
    pub holders: Vec<(String, Vec<String>)>,
    /// Its file systems `df -k` shows 100% used.
    pub full: Vec<String>,
    /// Free space where the backup before a recreation goes (`df -k`), MB.
    pub backup_free_mb: Option<u64>,
    /// What could not be read, in words.
    pub problems: Vec<String>,
}

impl WparRecoveryFacts {
    /// Mounts under the WPAR's directory that are not its own file systems nor namefs
    /// or procfs mounts of the global's directories: what the global left there
    /// (docs/procedures.md, "WPAR recovery", step 1).
    pub fn leftover(&self) -> Vec<String> {
        self.mounted
            .iter()
            .filter(|entry| !is_shared_view(entry) && !self.own.contains(&entry.over))
            .map(|entry| entry.over.clone())
            .collect()
    }

    /// The mounted file systems whose holders matter: every one but the namefs and
    /// procfs views of the global's own directories (`fuser` there would list every
    /// process of the global).
    pub fn checked_for_holders(&self) -> Vec<&MountEntry> {
        self.mounted
            .iter()
            .filter(|entry| !is_shared_view(entry))
            .collect()
    }
}

/// A namefs or procfs view of a directory of the global (`/usr`, `/opt`, `/proc`).
fn is_shared_view(entry: &MountEntry) -> bool {
    entry.vfs == "namefs" || entry.vfs == "procfs"
}

/// Mounts under `directory` in `mount` output that are not the WPAR's own file systems
/// (`lsfs -u W` output) nor namefs/procfs views: what the global left there.
pub fn leftover_mounts(mount_output: &str, lsfs_output: &str, directory: &str) -> Vec<String> {
    WparRecoveryFacts {
        mounted: mounted_under(mount_output, directory),
        own: mount_group_points(lsfs_output),
        ..Default::default()
    }
    .leftover()
}

fn mounted_under(mount_output: &str, directory: &str) -> Vec<MountEntry> {
    aix_checks::parse_mounts(mount_output)
        .into_iter()
        .filter(|entry| aix_checks::is_under(&entry.over, directory))
        .collect()
}

/// Where the backup before a recreation goes: the shared directory, off the global's
/// rootvg.
pub const BACKUP_DIR: &str = DEFAULT_SHARED_DIR;

/// Reads what the recovery depends on (`mount`, `lsfs -u W`, `fuser -cx` per mounted
/// file system, `df -k`; read-only).
pub async fn read_facts<T: Exec>(
    transport: &T,
    host: &str,
    wpar: &str,
    directory: &str,
) -> Result<WparRecoveryFacts, PlanError> {
    let mut facts = WparRecoveryFacts::default();
    let mounts = run(transport, host, &aix::mount_table())
        .await
        .map_err(PlanError::cannot_tell)?;
    facts.mounted = mounted_under(&mounts, directory);
    match run(transport, host, &aix::lsfs_mount_group(wpar)?).await {
        Ok(text) => {
            facts.own = mount_group_points(&text);
            facts.size_mb = mount_group_size_mb(&text);
        }
        Err(error) => facts.problems.push(error),
    }
    let checked: Vec<String> = facts
        .checked_for_holders()
        .iter()
        .map(|entry| entry.over.clone())
        .collect();
    for mount in checked {
        match run(transport, host, &aix::fuser(&mount)?).await {
            Ok(text) => {
                let holders = aix_checks::fuser_holders(&text);
                if !holders.is_empty() {
                    facts.holders.push((mount, holders));
                }
            }
            Err(error) => facts.problems.push(error),
        }
    }
    match run(transport, host, &aix::df_kb(&[])?).await {
        Ok(text) => facts.full = aix_checks::full_under(&text, directory),
        Err(error) => facts.problems.push(error),
    }
    match run(transport, host, &aix::df_kb(&[BACKUP_DIR])?).await {
        Ok(text) => facts.backup_free_mb = aix_checks::df_free_mb(&text),
        Err(error) => facts.problems.push(error),
    }
    Ok(facts)
}

/// The WPAR's base directory as the last refresh saw it.
pub fn wpar_directory(view: EstateView<'_>, host: &str, wpar: &str) -> Result<String, PlanError> {
    let (_, wpars) = aix_host(view, host)?;
    let found = wpars
        .iter()
        .find(|w| w.name == wpar)
        .ok_or_else(|| PlanError::not_found(format!("{host} has no WPAR called {wpar}")))?;
    Ok(found
        .directory
        .clone()
        .unwrap_or_else(|| format!("/wpars/{wpar}")))
}

/// Builds the plan that brings stuck (`T`) or Broken WPAR `wpar` of `host` back to
/// Defined (and Active with `start`), rung by rung; `facts` are what [`read_facts`]
/// found.
pub fn wpar_recover(
    view: EstateView<'_>,
    host: &str,
    wpar: &str,
    choices: &WparRecoveryChoices,
    facts: &WparRecoveryFacts,
) -> Result<Plan, PlanError> {
    let (_, wpars) = aix_host(view, host)?;
    let found = wpars
        .iter()
        .find(|w| w.name == wpar)
        .ok_or_else(|| PlanError::not_found(format!("{host} has no WPAR called {wpar}")))?;
    let state = found.state.clone();
    if !matches!(state, WparState::Transitional | WparState::Broken) {
        return Err(PlanError::nothing_to_do(format!(
            "nothing to recover: {wpar} is {state} on {host} (this wizard handles Transitional and Broken WPARs)"
        )));
    }
    if found.wpar_type == WparType::Application {
        return Err(PlanError::refused(format!(
            "{wpar} is an application WPAR: stopwpar -F {wpar} ends it, there is nothing to recover"
        )));
    }
    if choices.recreate && state != WparState::Broken {
        return Err(PlanError::refused(format!(
            "{wpar} is {state}, not Broken: recreating it is the last rung, for a WPAR still Broken after the forced stop and a start"
        )));
    }
    if !facts.problems.is_empty() {
        return Err(PlanError::cannot_tell(format!(
            "could not read what holds or fills {wpar}'s file systems: {}",
            facts.problems.join("; ")
        )));
    }
    if !facts.holders.is_empty() {
        let held: Vec<String> = facts
            .holders
            .iter()
            .map(|(mount, holders)| {
                format!(
                    "{mount} by {}",
                    holders
                        .iter()
                        .map(|h| aix_checks::fuser_meaning(h))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .collect();
        return Err(PlanError::refused(format!(
            "processes of {host} hold {wpar}'s file systems (fuser -cx): {}; while they do, nothing under it can be unmounted and stopwpar -F leaves it Broken: end them, or move that shell out of {wpar}'s tree, then plan again",
            held.join("; ")
        )));
    }
    if (choices.start || choices.recreate) && !facts.full.is_empty() {
        return Err(PlanError::refused(format!(
            "{} of {wpar} is 100% full (df): a WPAR with a full file system breaks again on start, and recreating it would not help; grow it from the global (chfs -a size=+256M {}) or free space, then plan again",
            facts.full.join(", "),
            quote::shell(&facts.full[0])
        )));
    }
    let backup = format!("{BACKUP_DIR}/{wpar}.before-recreate.savewpar");
    if choices.recreate && !found.rootvg {
        if let (Some(size), Some(free)) = (facts.size_mb, facts.backup_free_mb) {
            if size > free {
                return Err(PlanError::refused(format!(
                    "{BACKUP_DIR} has {free} MB free, and the backup of {wpar} before it is recreated can take up to {size} MB: make room there first"
                )));
            }
        }
    }
    let directory = found
        .directory
        .clone()
        .unwrap_or_else(|| format!("/wpars/{wpar}"));
    let unmount = if choices.unmount.is_empty() {
        facts.leftover()
    } else {
        choices.unmount.clone()
    };

    let built = |command: Built| command.map_err(PlanError::from);
    let state_is = |states: Vec<WparState>, why: String, kind: StepKind| {
        Ok::<Step, PlanError>(
            Step::new(host, kind, built(aix::lswpar(&[wpar]))?, why).until(
                Condition::WparState {
                    wpar: wpar.to_string(),
                    states,
                },
                Duration::ZERO,
            ),
        )
    };
    let mut notes = Vec::new();
    let mut steps = vec![state_is(
        vec![state.clone()],
        format!("{wpar} is still {state} on {host}"),
        StepKind::Check,
    )?];

    // Step 2: nothing of the global holds what is about to be unmounted.
    let mut held_checks: Vec<String> = unmount.clone();
    for entry in facts.checked_for_holders() {
        if !held_checks.contains(&entry.over) {
            held_checks.push(entry.over.clone());
        }
    }
    for mount in &held_checks {
        steps.push(
            Step::new(
                host,
                StepKind::Check,
                built(aix::fuser(mount))?,
                format!(
                    "no process of {host} holds {mount} (`fuser -cx {}` lists them): a held file system cannot be unmounted",
                    quote::shell(mount)
                ),
            )
            .until(Condition::NoHolders, Duration::ZERO),
        );
    }
    // Step 3: a plain unmount of what the global left under it.
    for mount in &unmount {
        let inside = mount.strip_prefix(&directory).unwrap_or(mount);
        steps.push(Step::new(
            host,
            StepKind::Change,
            built(aix::umount(mount))?,
            format!(
                "unmount {mount}: the global mounted it under {wpar} ({inside} inside), so stopwpar cannot unmount the WPAR (0960-630); a plain umount, never -f on a local file system"
            ),
        ));
    }
    if state == WparState::Transitional && unmount.is_empty() {
        notes.push(format!(
            "no mount left by the global was found under {directory}: if an operation still runs on {wpar}, wait for it instead"
        ));
    }
    // Step 4: an NFS-based WPAR needs its server.
    for entry in facts.mounted.iter().filter(|e| e.is_remote()) {
        let Some(node) = &entry.node else { continue };
        steps.push(
            Step::new(
                host,
                StepKind::Check,
                built(aix::showmount(node))?,
                format!(
                    "{node} answers and still exports {} ({} of {wpar} is mounted from it)",
                    entry.mounted, entry.over
                ),
            )
            .until(
                Condition::Exported {
                    path: entry.mounted.clone(),
                },
                Duration::ZERO,
            ),
        );
    }
    // Step 5: the forced stop.
    steps.push(Step::new(
        host,
        StepKind::Change,
        built(aix::stopwpar(wpar, true, false))?,
        format!(
            "force {wpar} down: stop its processes, unmount its file systems, release its locks (0960-231/0960-247 until then)"
        ),
    ));
    steps.push(state_is(
        vec![WparState::Defined],
        format!("{wpar} is Defined again"),
        StepKind::Verify,
    )?);

    // Step 7, chosen: back up, then recreate from the specification.
    let mut attestation = None;
    if choices.recreate {
        let spec = format!("/var/tmp/{wpar}.spec");
        match (found.rootvg, facts.size_mb) {
            (false, Some(size)) => steps.push(
                Step::new(
                    host,
                    StepKind::Check,
                    built(aix::df_kb(&[BACKUP_DIR]))?,
                    format!("{BACKUP_DIR} has room for the backup of {wpar}, up to {size} MB"),
                )
                .until(Condition::DfFree { min_mb: size }, Duration::ZERO),
            ),
            _ => notes.push(format!(
                "the size of {wpar}'s data could not be read from the global: the backup itself shows whether {BACKUP_DIR} has room"
            )),
        }
        steps.push(
            Step::new(
                host,
                StepKind::Change,
                built(aix::savewpar_unlimited(wpar, &backup))?,
                format!(
                    "back {wpar} up to {backup} before anything is removed (the file-size limit lifted for this command)"
                ),
            )
            .until(
                Condition::Prints {
                    text: "0512-038 savewpar: Backup Completed Successfully.".to_string(),
                },
                Duration::ZERO,
            ),
        );
        steps.push(Step::new(
            host,
            StepKind::Change,
            built(aix::mkwpar_write_spec(wpar, &spec))?,
            format!("write {wpar}'s specification to {spec}, to recreate it from"),
        ));
        steps.push(Step::new(
            host,
            StepKind::Change,
            built(aix::rmwpar(wpar, true, !found.rootvg))?,
            if found.rootvg {
                format!(
                    "remove the damaged definition of {wpar}; the data on its rootvg disk is not touched"
                )
            } else {
                format!("remove the damaged definition of {wpar}, keeping its file systems (-p)")
            },
        ));
        steps.push(
            Step::new(
                host,
                StepKind::Verify,
                built(aix::lswpar(&[wpar]))?,
                format!("{host} no longer lists {wpar}"),
            )
            .until(
                Condition::WparAbsent {
                    wpar: wpar.to_string(),
                },
                Duration::ZERO,
            ),
        );
        steps.push(Step::new(
            host,
            StepKind::Change,
            built(aix::mkwpar_from_spec(&spec, true))?,
            format!(
                "recreate {wpar} from {spec} on its preserved data (-p: without it the data would be replaced)"
            ),
        ));
        steps.push(state_is(
            vec![WparState::Defined],
            format!("{wpar} is Defined, recreated"),
            StepKind::Verify,
        )?);
        notes.push(format!(
            "{wpar} is recreated from its specification on its own data, after a backup to {backup}; its WPAR infrastructure (/etc/wpars, ODM, SRC subsystem cor_{wpar}) is new"
        ));
        attestation = Some(Attestation {
            statement: format!(
                "{wpar} will be removed and recreated: rmwpar -F deletes its definition{}, and mkwpar -f -p makes a new one on the same data. This is the last rung of the recovery, for a WPAR still Broken after the forced stop and a start, with no full file system. A backup image is written to {backup} first, and nothing is removed if it fails.",
                if found.rootvg {
                    " (the data on its rootvg disk is not touched)"
                } else {
                    " (its file systems are kept with -p)"
                }
            ),
            phrase: format!("recreate {wpar}"),
        });
    }

    // Step 6: the start; when it breaks, a full file system is the first suspect.
    if choices.start {
        steps.push(
            Step::new(
                host,
                StepKind::Change,
                built(aix::startwpar(wpar, false))?,
                format!("start {wpar}"),
            )
            .recover_with(vec![Step::new(
                host,
                StepKind::Check,
                built(aix::df_kb(&[]))?,
                format!(
                    "{wpar} broke on start: df shows whether one of its file systems is full (grow it, then start again)"
                ),
            )
            .until(
                Condition::NoneFull {
                    under: directory.clone(),
                },
                Duration::ZERO,
            )]),
        );
        steps.push(state_is(
            vec![WparState::Active],
            format!("{wpar} is Active"),
            StepKind::Verify,
        )?);
    } else {
        notes.push(format!(
            "{wpar} is left Defined: start it with startwpar {} (or plan again with --start)",
            quote::shell(wpar)
        ));
    }
    if state == WparState::Broken && !choices.recreate {
        notes.push(format!(
            "if {wpar} breaks again on start with no file system full, the Redbook's last plain remedy is a reboot of {host}; after that, the last rung is to plan again with --recreate (a backup first, its own confirmation)"
        ));
    }
    Ok(Plan {
        wizard: "wpar-recover",
        title: format!("Recover {state} WPAR {wpar} on {host}"),
        confirm_name: wpar.to_string(),
        attestation,
        steps,
        parallelism: 1,
        notes,
    })
}
