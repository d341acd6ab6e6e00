//! Recovering a WPAR left stuck by a failed operation (docs/procedures.md, "WPAR recovery"):
//!
//! * stuck in `T` after a stop that could not unmount a file system the global mounted
//!   under it: unmount what the global left there, `stopwpar -F`, verify `D`;
//! * `Broken`: `stopwpar -F`, verify `D`; when its infrastructure is damaged (it breaks
//!   again on every start) recreate it from its specification: `mkwpar -w -e` writes the
//!   spec, `rmwpar -F` removes the definition (`-p` keeps the file systems of a
//!   non-rootvg WPAR; a rootvg WPAR's disk is never touched), `mkwpar -f SPEC -p`
//!   recreates it on the same data.
//!
//! Optionally the WPAR is started at the end.

use std::time::Duration;

use super::plan::{Condition, Plan, Step, StepKind};
use super::view::EstateView;
use super::wpar_move::{aix_host, run};
use super::PlanError;
use crate::estate::{WparState, WparType};
use crate::exec::Exec;
use crate::sources::aix::commands as aix;
use crate::sources::quote;

/// The operator's choices for a WPAR recovery.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WparRecoveryChoices {
    /// File systems the global environment mounted under the WPAR's directory, to
    /// unmount before the forced stop (found with [`leftover_mounts`]).
    pub unmount: Vec<String>,
    /// Start the WPAR once it is Defined again.
    pub start: bool,
    /// Broken WPAR: recreate it from its specification (its infrastructure is damaged).
    pub recreate: bool,
}

/// Mounts under `directory` in `mount` output that are not the WPAR's own file systems
/// (`lsfs -u W` output) nor namefs mounts of the global's directories: what the global
/// left there (docs/procedures.md, "WPAR recovery", step 1).
pub fn leftover_mounts(mount_output: &str, lsfs_output: &str, directory: &str) -> Vec<String> {
    let own: Vec<&str> = lsfs_output
        .lines()
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                [device, _node, mount_point, ..] if device.starts_with('/') => Some(*mount_point),
                _ => None,
            }
        })
        .collect();
    let base = directory.trim_end_matches('/');
    let mut found = Vec::new();
    for line in mount_output.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        // Local mounts have no node column: `mounted  mounted-over  vfs  date...`.
        let (over, vfs) = match words.as_slice() {
            [mounted, over, vfs, ..] if mounted.starts_with('/') => (*over, *vfs),
            [_node, _mounted, over, vfs, ..] => (*over, *vfs),
            _ => continue,
        };
        let under = over == base
            || over
                .strip_prefix(base)
                .is_some_and(|rest| rest.starts_with('/'));
        if under && vfs != "namefs" && vfs != "procfs" && !own.contains(&over) {
            found.push(over.to_string());
        }
    }
    found
}

/// Reads the mounts the global left under a WPAR (`mount`, `lsfs -u W`; read-only).
pub async fn read_leftover_mounts<T: Exec>(
    transport: &T,
    host: &str,
    wpar: &str,
    directory: &str,
) -> Result<Vec<String>, PlanError> {
    let mounts = run(transport, host, &aix::mount_table())
        .await
        .map_err(PlanError::cannot_tell)?;
    let own = run(transport, host, &aix::lsfs_mount_group(wpar)?)
        .await
        .unwrap_or_default();
    Ok(leftover_mounts(&mounts, &own, directory))
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
/// Defined (and Active with `start`).
pub fn wpar_recover(
    view: EstateView<'_>,
    host: &str,
    wpar: &str,
    choices: &WparRecoveryChoices,
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
            "{wpar} is {state}, not Broken: recreating it from its specification is for damaged Broken WPARs"
        )));
    }
    let directory = found
        .directory
        .clone()
        .unwrap_or_else(|| format!("/wpars/{wpar}"));
    let built = |command: Result<_, _>| command.map_err(PlanError::from);
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
    for mount in &choices.unmount {
        let inside = mount.strip_prefix(&directory).unwrap_or(mount);
        steps.push(Step::new(
            host,
            StepKind::Change,
            built(aix::umount_force(mount))?,
            format!(
                "unmount {mount}: the global mounted it under {wpar} ({inside} inside), so stopwpar cannot unmount the WPAR (0960-630); `fuser -cx {}` shows who still uses it",
                quote::shell(mount)
            ),
        ));
    }
    if state == WparState::Transitional && choices.unmount.is_empty() {
        notes.push(format!(
            "no mount left by the global was found under {directory}: if an operation still runs on {wpar}, wait for it instead"
        ));
    }
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
    let spec = format!("/var/tmp/{wpar}.spec");
    let recreate = || -> Result<Vec<Step>, PlanError> {
        let mut steps = vec![
            Step::new(
                host,
                StepKind::Change,
                built(aix::mkwpar_write_spec(wpar, &spec))?,
                format!("write {wpar}'s specification to {spec}, to recreate it from"),
            ),
            Step::new(
                host,
                StepKind::Change,
                built(aix::rmwpar(wpar, true, !found.rootvg))?,
                if found.rootvg {
                    format!(
                        "remove the damaged definition of {wpar}; the data on its rootvg disk is not touched"
                    )
                } else {
                    format!(
                        "remove the damaged definition of {wpar}, keeping its file systems (-p)"
                    )
                },
            ),
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
            Step::new(
                host,
                StepKind::Change,
                built(aix::mkwpar_from_spec(&spec, true))?,
                format!(
                    "recreate {wpar} from {spec} on its preserved data (-p: without it the data would be replaced)"
                ),
            ),
            state_is(
                vec![WparState::Defined],
                format!("{wpar} is Defined, recreated"),
                StepKind::Verify,
            )?,
        ];
        steps.push(Step::new(
            host,
            StepKind::Change,
            built(aix::startwpar(wpar, false))?,
            format!("start the recreated {wpar}"),
        ));
        Ok(steps)
    };
    if choices.recreate {
        let mut rebuilt = recreate()?;
        if !choices.start {
            rebuilt.pop();
        }
        steps.extend(rebuilt);
        notes.push(format!(
            "{wpar} is recreated from its specification on its own data; its WPAR infrastructure (/etc/wpars, ODM, SRC subsystem cor_{wpar}) is new"
        ));
    }
    if choices.start {
        if !choices.recreate {
            let mut start = Step::new(
                host,
                StepKind::Change,
                built(aix::startwpar(wpar, false))?,
                format!("start {wpar}"),
            );
            if state == WparState::Broken {
                // A damaged WPAR breaks again on start: offer the recreation.
                start = start.recover_with(recreate()?);
            }
            steps.push(start);
        }
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
            "if {wpar} breaks again on start, its infrastructure is damaged: plan again with --recreate"
        ));
    }
    Ok(Plan {
        wizard: "wpar-recover",
        title: format!("Recover {state} WPAR {wpar} on {host}"),
        confirm_name: wpar.to_string(),
        attestation: None,
        steps,
        parallelism: 1,
        notes,
    })
}
