//! The steps of a checked WPAR move (docs/procedures.md, "WPAR move"): the checks
//! re-read before anything changes (both globals write to the shared directory), the
//! auto start switched off on the source, the stop, the save with the file-size limit
//! lifted, the restore, migration and synchronisation, the start, the verification
//! inside the WPAR, and the recovery branch every step offers until the copy runs on
//! the target: remove what the restore left there and bring the source back.

use std::time::Duration;

use super::plan::{Condition, Plan, Step, StepKind};
use super::wpar_move::{Checked, SourceAfterMove, APAR_6_ON_7};
use super::PlanError;
use crate::estate::WparState;
use crate::sources::aix::commands::{self as aix, Inside, Restore};
use crate::sources::command::Built;

/// The steps of a checked move.
pub fn emit(checked: &Checked) -> Result<Plan, PlanError> {
    let Checked {
        wpar,
        from,
        to,
        state,
        ..
    } = checked;
    let (wpar, from, to) = (wpar.as_str(), from.as_str(), to.as_str());
    let active = *state == WparState::Active;
    let auto_on = checked.auto_start == Some(true);
    let built = |command: Built| command.map_err(PlanError::from);
    let check = |host: &str, command: Built, why: String, condition: Condition| {
        Ok::<Step, PlanError>(
            Step::new(host, StepKind::Check, built(command)?, why).until(condition, Duration::ZERO),
        )
    };
    let verify = |host: &str, command: Built, why: String, condition: Condition| {
        Ok::<Step, PlanError>(
            Step::new(host, StepKind::Verify, built(command)?, why)
                .until(condition, Duration::ZERO),
        )
    };
    let state_is = |states: Vec<WparState>| Condition::WparState {
        wpar: wpar.to_string(),
        states,
    };

    // Giving the move up: what the restore left on the target goes, the source comes
    // back as it was (running, starting at boot). Never offered once the target runs.
    let source_back = || -> Result<Vec<Step>, PlanError> {
        let mut steps = Vec::new();
        if active {
            steps.push(Step::new(
                from,
                StepKind::Change,
                built(aix::startwpar(wpar, false))?,
                format!("start {wpar} again on {from}: the move is given up"),
            ));
        }
        if auto_on {
            steps.push(Step::new(
                from,
                StepKind::Change,
                built(aix::chwpar_auto_start(wpar, true))?,
                format!("give {wpar} its auto start back on {from}"),
            ));
        }
        Ok(steps)
    };
    let give_up = || -> Result<Vec<Step>, PlanError> {
        let mut steps = vec![Step::new(
            to,
            StepKind::Change,
            built(aix::rmwpar(wpar, true, false))?,
            format!(
                "remove what the restore left of {wpar} on {to}, if anything: no half-created copy stays behind"
            ),
        )
        .until(
            Condition::Any(vec![
                Condition::Succeeds,
                Condition::WparAbsent {
                    wpar: wpar.to_string(),
                },
            ]),
            Duration::ZERO,
        )];
        steps.extend(source_back()?);
        Ok(steps)
    };
    let recoverable = |step: Step, recovery: Vec<Step>| {
        if recovery.is_empty() {
            step
        } else {
            step.recover_with(recovery)
        }
    };

    let mut steps = vec![
        check(
            from,
            aix::lswpar(&[wpar]),
            format!("{wpar} is still {state} on {from}"),
            state_is(vec![state.clone()]),
        )?,
        check(
            to,
            aix::lswpar(&[wpar]),
            format!("{to} has no WPAR called {wpar} yet"),
            Condition::WparAbsent {
                wpar: wpar.to_string(),
            },
        )?,
        check(
            from,
            Ok(aix::oslevel()),
            format!("{from} still runs AIX {}", checked.source_level),
            Condition::OsLevel {
                level: checked.source_level.clone(),
            },
        )?,
        check(
            to,
            Ok(aix::oslevel()),
            format!("{to} still runs AIX {}", checked.target_level),
            Condition::OsLevel {
                level: checked.target_level.clone(),
            },
        )?,
    ];
    if checked.needs_apar {
        steps.push(check(
            to,
            aix::instfix(APAR_6_ON_7),
            format!(
                "{to} has APAR {APAR_6_ON_7}, without which an image saved on AIX {}.{} cannot be restored on {}.{}",
                checked.source_version.0,
                checked.source_version.1,
                checked.target_version.0,
                checked.target_version.1
            ),
            Condition::Prints {
                text: format!("All filesets for {APAR_6_ON_7} were found."),
            },
        )?);
    }
    let dir = &checked.shared_dir;
    steps.push(match checked.size_mb {
        Some(size) => check(
            to,
            aix::lsvg("rootvg"),
            format!("{to}'s rootvg has room for the {size} MB of {wpar}'s file systems"),
            Condition::VgFree { min_mb: size },
        )?,
        None => check(
            to,
            aix::lsvg("rootvg"),
            format!(
                "{to}'s rootvg free space, to compare by eye: the size of {wpar} could not be read"
            ),
            Condition::Succeeds,
        )?,
    });
    for host in [from, to] {
        steps.push(check(
            host,
            Ok(aix::mount_table()),
            format!(
                "{dir} is {} on {host}, read-write: both globals see the same image",
                checked.export
            ),
            Condition::SharedDir {
                path: dir.clone(),
                export: checked.export.clone(),
            },
        )?);
    }
    steps.push(match checked.size_mb {
        Some(size) => check(
            from,
            aix::df_kb(&[dir]),
            format!(
                "{dir} has room for the image of {wpar}, up to {size} MB (the size of its file systems)"
            ),
            Condition::DfFree { min_mb: size },
        )?,
        None => check(
            from,
            aix::df_kb(&[dir]),
            format!("free space in {dir}, to compare by eye: the size of {wpar} could not be read"),
            Condition::Succeeds,
        )?,
    });
    let probe = format!("{}/.powerdeck-probe-{wpar}", dir.trim_end_matches('/'));
    for host in [from, to] {
        steps.push(Step::new(
            host,
            StepKind::Validate,
            built(aix::write_probe(&probe))?,
            format!(
                "{host} can write in {dir} (a probe file, removed at once), before anything stops"
            ),
        ));
    }

    steps.push(Step::new(
        from,
        StepKind::Change,
        built(aix::chwpar_auto_start(wpar, false))?,
        format!(
            "switch {wpar}'s auto start off on {from} (-K -A; -A alone would switch it on): the copy left there must not start at the next boot of {from}"
        ),
    ));
    steps.push(verify(
        from,
        aix::lswpar_general(wpar),
        format!("{wpar} no longer starts at boot on {from}"),
        Condition::WparAutoStart {
            wpar: wpar.to_string(),
            on: false,
        },
    )?);
    if active {
        steps.push(Step::new(
            from,
            StepKind::Change,
            built(aix::stopwpar(wpar, false, false))?,
            format!(
                "stop {wpar} on {from}: the image is then consistent, and the two copies (same name, host name and address) never run at the same time"
            ),
        ));
        steps.push(verify(
            from,
            aix::lswpar(&[wpar]),
            format!("{wpar} is Defined on {from}"),
            state_is(vec![WparState::Defined]),
        )?);
    }
    steps.push(recoverable(
        Step::new(
            from,
            StepKind::Change,
            built(aix::savewpar_unlimited(wpar, &checked.image))?,
            format!(
                "back {wpar} up with its image.data to {}, with the file-size limit lifted for this command (the image can pass it)",
                checked.image
            ),
        )
        .until(
            Condition::Prints {
                text: "0512-038 savewpar: Backup Completed Successfully.".to_string(),
            },
            Duration::ZERO,
        ),
        source_back()?,
    ));
    steps.push(recoverable(
        Step::new(
            to,
            StepKind::Change,
            built(aix::restwpar(
                &checked.image,
                Restore {
                    new_name: None,
                    start: false,
                    compatible: checked.compatible,
                },
            ))?,
            if checked.compatible {
                format!(
                    "recreate {wpar} on {to} from the image; -C accepts an image saved on {} ({to} runs {}): the 0960-507 level warning is expected",
                    checked.source_level, checked.target_level
                )
            } else {
                format!(
                    "recreate {wpar} on {to} from the image, both globals at {}",
                    checked.target_level
                )
            },
        )
        .until(
            Condition::Prints {
                text: format!("Workload partition {wpar} created successfully"),
            },
            Duration::ZERO,
        ),
        give_up()?,
    ));
    steps.push(recoverable(
        verify(
            to,
            aix::lswpar(&[wpar]),
            format!("{wpar} is Defined on {to}"),
            state_is(vec![WparState::Defined]),
        )?,
        give_up()?,
    ));
    steps.push(recoverable(
        verify(
            to,
            aix::lswpar_general(wpar),
            format!("{wpar} does not start by itself on {to} before it is verified"),
            Condition::WparAutoStart {
                wpar: wpar.to_string(),
                on: false,
            },
        )?,
        give_up()?,
    ));
    let (sv, tv) = (checked.source_version, checked.target_version);
    if checked.migrate {
        let images = if checked.detached {
            checked.images.as_deref()
        } else {
            None
        };
        steps.push(recoverable(
            Step::new(
                to,
                StepKind::Change,
                built(aix::migwpar(wpar, images))?,
                format!(
                    "migrate {wpar} from AIX {}.{} to {}.{}: it cannot start on {to} before (0960-667){}",
                    sv.0,
                    sv.1,
                    tv.0,
                    tv.1,
                    if checked.detached {
                        "; a detached WPAR installs its own /usr from the images"
                    } else {
                        ""
                    }
                ),
            ),
            give_up()?,
        ));
    }
    steps.push(recoverable(
        Step::new(
            to,
            StepKind::Change,
            built(aix::syncwpar(wpar, checked.detached))?,
            format!(
                "synchronise {wpar}'s software with {to}{}",
                if checked.detached {
                    " (detached: -D)"
                } else {
                    ""
                }
            ),
        ),
        give_up()?,
    ));
    steps.push(recoverable(
        Step::new(
            to,
            StepKind::Change,
            built(aix::startwpar(wpar, false))?,
            format!("start {wpar} on {to}"),
        ),
        give_up()?,
    ));
    steps.push(recoverable(
        verify(
            to,
            aix::lswpar(&[wpar]),
            format!("{wpar} is Active on {to}"),
            state_is(vec![WparState::Active]),
        )?,
        give_up()?,
    ));
    steps.push(verify(
        to,
        aix::clogin(wpar, Inside::Oslevel),
        format!(
            "inside {wpar}, oslevel -s says {}: it runs the target's level",
            checked.target_level
        ),
        Condition::OsLevel {
            level: checked.target_level.clone(),
        },
    )?);
    steps.push(verify(
        to,
        aix::clogin(wpar, Inside::Lppchk),
        format!("inside {wpar}, lppchk -v finds its software consistent (it prints nothing)"),
        Condition::PrintsNothing,
    )?);
    steps.push(
        Step::new(
            to,
            StepKind::Verify,
            built(aix::clogin(wpar, Inside::Syncroot))?,
            format!("inside {wpar}, syncroot finds its root part in line with /usr"),
        )
        .until(
            Condition::Prints {
                text: "syncroot: Returns Status = SUCCESS".to_string(),
            },
            Duration::ZERO,
        ),
    );
    let mut notes =
        vec![format!(
        "{wpar} ({}{}, {state}) moves from {from} (AIX {}) to {to} (AIX {}) through {}, {} on both",
        if checked.detached { "detached" } else { "shared" },
        checked
            .size_mb
            .map_or(String::new(), |size| format!(", {size} MB")),
        checked.source_level,
        checked.target_level,
        checked.image,
        checked.export
    )];
    notes.push(format!(
        "{wpar}'s auto start is switched off on {from} first (chwpar -K -A; -A alone would switch it on): the stopped copy there never comes back by itself"
    ));
    notes.push(format!(
        "savewpar runs as sh -c 'ulimit -f unlimited && savewpar ...': the image can pass the file-size limit, which is lifted for that one command; {} has room for it",
        checked.shared_dir
    ));
    if checked.needs_apar {
        notes.push(format!(
            "{to} has APAR {APAR_6_ON_7}, which an AIX 6.1 image needs on 7.1"
        ));
    }
    if auto_on {
        steps.push(Step::new(
            to,
            StepKind::Change,
            built(aix::chwpar_auto_start(wpar, true))?,
            format!("give {wpar} its auto start on {to}, as it had on {from}: the copy there is the one that runs now"),
        ));
        notes.push(format!(
            "{wpar} started at boot on {from}; it does so on {to} once verified there"
        ));
    }
    match checked.source_after {
        SourceAfterMove::Stop => notes.push(format!(
            "{wpar} stays Defined on {from}, auto start off, as a fallback; remove it there once the copy on {to} has proven itself"
        )),
        SourceAfterMove::Remove => {
            steps.push(Step::new(
                from,
                StepKind::Change,
                built(aix::rmwpar(wpar, false, false))?,
                format!(
                    "remove the stopped {wpar} and its file systems from {from}: the copy runs on {to}"
                ),
            ));
            steps.push(verify(
                from,
                aix::lswpar(&[wpar]),
                format!("{from} no longer has {wpar}"),
                Condition::WparAbsent {
                    wpar: wpar.to_string(),
                },
            )?);
            notes.push(format!(
                "{wpar} is removed from {from} at the end (its mount group holds only its own file systems); the image {} stays as a backup",
                checked.image
            ));
        }
    }
    notes.push(format!(
        "until {wpar} runs on {to}, a failed step offers to remove what the restore left there and to bring {wpar} back on {from}; once it runs on {to}, nothing starts it on {from} again"
    ));
    if active {
        notes.push(format!(
            "{wpar} is down from its stop on {from} until it starts on {to}"
        ));
    }
    notes.extend(checked.stale.iter().cloned());
    Ok(Plan {
        wizard: "wpar-move",
        title: format!("Move WPAR {wpar} from {from} to {to}"),
        confirm_name: wpar.to_string(),
        attestation: None,
        steps,
        parallelism: 1,
        notes,
    })
}
