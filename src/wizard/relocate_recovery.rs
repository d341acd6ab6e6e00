//! What a relocation offers when the move fails or the connection drops: `lslparmigr`
//! is read again first, and the ways out depend on what it says (docs/procedures.md,
//! "Relocation", after a failure).
//!
//! * The move still runs: keep watching it, or stop it (`migrlpar -o s`) and recover it
//!   (`migrlpar -o r`) once the HMC says it no longer runs. Recovery is never offered
//!   for a move in progress.
//! * The move stopped or failed: recover it (`migrlpar -o r`).
//! * The partition left the source: follow it to its end on the target.
//! * Not migrating and still on the source: nothing to undo; the re-read state says
//!   where it is.

use std::time::Duration;

use super::plan::{Branch, Condition, OnFailure, Step, StepKind};
use super::relocate::Checked;
use super::PlanError;
use crate::estate::MigrationState;
use crate::sources::hmc::commands::{self, MigrationOp};

/// How long a migration may take before the plan stops waiting.
pub const MIGRATION_TIMEOUT: Duration = Duration::from_secs(2 * 3600);

/// How long a stop or a recovery may take to show in `lslparmigr`.
pub const SETTLE_TIMEOUT: Duration = Duration::from_secs(600);

/// `lslparmigr -r lpar -m SRC --filter lpar_names=L` with the progress fields: the read
/// that follows a move and decides what to offer after a failure.
pub fn progress_read(hmc: &str, source: &str, lpar: &str) -> Result<Step, PlanError> {
    Ok(Step::new(
        hmc,
        StepKind::Check,
        commands::lslparmigr_lpar(
            source,
            &[lpar],
            &[
                "name",
                "migration_state",
                "bytes_transmitted",
                "bytes_remaining",
            ],
        )?,
        format!("where the move of {lpar} stands: migration state, bytes sent and remaining"),
    )
    .until(
        Condition::Migration {
            lpar: lpar.to_string(),
            states: vec![MigrationState::NotMigrating],
            or_gone: true,
        },
        Duration::ZERO,
    ))
}

fn migrating(lpar: &str, states: &[MigrationState], or_gone: bool) -> Condition {
    Condition::Migration {
        lpar: lpar.to_string(),
        states: states.to_vec(),
        or_gone,
    }
}

const RUNNING: &[MigrationState] = &[MigrationState::Starting, MigrationState::InProgress];
const HALF_DONE: &[MigrationState] = &[MigrationState::Stopped, MigrationState::Failed];
const SETTLED: &[MigrationState] = &[
    MigrationState::NotMigrating,
    MigrationState::Stopped,
    MigrationState::Failed,
];

/// Re-read `lslparmigr` first, then offer what its answer allows. Each offered plan
/// handles its own failure the same way, `depth` times over; below that it stops and
/// shows the re-read state.
pub fn after_failure(checked: &Checked, depth: u32) -> Result<OnFailure, PlanError> {
    if depth == 0 {
        return Ok(OnFailure::Stop);
    }
    let (hmc, src, dst, lpar) = (
        &checked.hmc,
        &checked.source,
        &checked.target,
        &checked.lpar,
    );
    let again = || after_failure(checked, depth - 1);
    let follow = |states: &[MigrationState], timeout, why: String| -> Result<Step, PlanError> {
        let read = progress_read(hmc, src, lpar)?;
        Ok(Step::new(hmc, StepKind::Wait, read.command, why)
            .until(migrating(lpar, states, true), timeout)
            .with_failure(again()?))
    };
    let migrlpar = |op, why: String| -> Result<Step, PlanError> {
        Ok(Step::new(
            hmc,
            StepKind::Change,
            commands::migrlpar(src, lpar, op)?,
            why,
        )
        .with_failure(again()?))
    };
    let back_on_source = || -> Result<Step, PlanError> {
        Ok(Step::new(
            hmc,
            StepKind::Verify,
            commands::lssyscfg_lpar(src, &[lpar], &["name", "state"])?,
            format!("{lpar} is {} on {src} again", checked.state),
        )
        .until(
            Condition::LparState {
                lpar: lpar.clone(),
                states: vec![checked.state.clone()],
            },
            Duration::from_secs(300),
        ))
    };
    let arrived = || -> Result<Vec<Step>, PlanError> {
        Ok(vec![
            Step::new(
                hmc,
                StepKind::Wait,
                commands::lssyscfg_lpar(dst, &[lpar], &["name", "state"])?,
                format!("{lpar} shows {} on {dst}", checked.state),
            )
            .until(
                Condition::LparState {
                    lpar: lpar.clone(),
                    states: vec![checked.state.clone()],
                },
                SETTLE_TIMEOUT,
            ),
            Step::new(
                hmc,
                StepKind::Verify,
                commands::lssyscfg_lpar(src, &[lpar], &["name", "state"])?,
                format!("{lpar} is no longer on {src}"),
            )
            .until(
                Condition::LparAbsent { lpar: lpar.clone() },
                Duration::from_secs(300),
            ),
        ])
    };
    let recover = |guarded: bool| -> Result<Vec<Step>, PlanError> {
        let mut steps = Vec::new();
        if guarded {
            steps.push(
                Step::new(
                    hmc,
                    StepKind::Check,
                    progress_read(hmc, src, lpar)?.command,
                    format!("{lpar} is no longer migrating: its move stopped or failed"),
                )
                .until(migrating(lpar, HALF_DONE, false), Duration::ZERO),
            );
        }
        steps.push(migrlpar(
            MigrationOp::Recover,
            format!("recover {lpar} from the move that did not complete, on the source's HMC"),
        )?);
        steps.push(follow(
            &[MigrationState::NotMigrating],
            SETTLE_TIMEOUT,
            format!("{lpar} no longer shows a migration on {src}"),
        )?);
        steps.push(back_on_source()?);
        Ok(steps)
    };
    let mut watch = vec![
        follow(
            SETTLED,
            MIGRATION_TIMEOUT,
            format!("follow the move of {lpar} until it is no longer in progress (bytes sent and remaining meanwhile)"),
        )?,
        Step::new(
            hmc,
            StepKind::Check,
            progress_read(hmc, src, lpar)?.command,
            format!("the move completed: {lpar} has left {src} (a move that stopped or failed halts here)"),
        )
        .until(migrating(lpar, &[], true), Duration::ZERO)
        .with_failure(again()?),
    ];
    watch.extend(arrived()?);
    let mut stop = vec![
        migrlpar(
            MigrationOp::Stop,
            format!("stop the move of {lpar}, on the HMC that manages the source"),
        )?,
        follow(
            SETTLED,
            SETTLE_TIMEOUT,
            format!("the HMC says the move of {lpar} no longer runs"),
        )?,
    ];
    stop.extend(recover(false)?);
    let branches = vec![
        Branch {
            label: format!("keep watching the move of {lpar}"),
            when: migrating(lpar, RUNNING, false),
            steps: watch,
        },
        Branch {
            label: format!(
                "stop the move of {lpar} (migrlpar -o s), then recover it (migrlpar -o r) once the HMC says it no longer runs"
            ),
            when: migrating(lpar, RUNNING, false),
            steps: stop,
        },
        Branch {
            label: format!("recover {lpar} (migrlpar -o r): its move stopped or failed"),
            when: migrating(lpar, HALF_DONE, false),
            steps: recover(true)?,
        },
        Branch {
            label: format!("{lpar} has left {src}: follow it to its end on {dst}"),
            when: migrating(lpar, &[], true),
            steps: arrived()?,
        },
    ];
    Ok(OnFailure::Decide {
        probe: Box::new(progress_read(hmc, src, lpar)?),
        branches,
    })
}
