//! The steps of a checked firmware update (docs/procedures.md, "Firmware update"): re-read
//! what the plan was built on, make the system empty when the update is disruptive
//! (every move validated before the first one, clients down before the VIOS, nothing left
//! to start by itself), `updlic`, verify the level, then bring the VIOS back before the
//! partitions that need them.

use std::time::Duration;

use super::check::{before_move, Checked, Disruption};
use super::power::{self, START_TIMEOUT};
use super::{show, RESTART_TIMEOUT};
use crate::sources::hmc::commands::{self, LicLevel, LicUpdateOp};
use crate::sources::quote;
use crate::wizard::plan::{Condition, LicLevelKind, Plan, Step, StepKind};
use crate::wizard::PlanError;

/// How long the new level may take to show as activated once `updlic` returned.
const VERIFY_TIMEOUT: Duration = Duration::from_secs(600);

/// The plan of a checked firmware update.
pub fn emit(checked: &Checked) -> Result<Plan, PlanError> {
    let (hmc, name, state) = (&checked.hmc, &checked.system, &checked.state);
    let repository = checked.repository.lic();
    let disruptive = checked.disruption.is_some();
    let mut steps = checks(checked)?;
    let mut notes = checked.notes.clone();
    let level = match (checked.level, disruptive) {
        (Some(level), _) => Level::Given(level.to_string()),
        (None, false) => Level::Newest { concurrent: true },
        (None, true) => Level::Newest { concurrent: false },
    };
    let op = match (&checked.upgrade, disruptive) {
        (Some(_), _) => LicUpdateOp::Upgrade {
            allow_power_off: true,
        },
        (None, true) => LicUpdateOp::Activate {
            allow_power_off: true,
        },
        (None, false) => LicUpdateOp::Activate {
            allow_power_off: false,
        },
    };
    if let Some(disruption) = &checked.disruption {
        steps.extend(empty_the_system(checked, disruption, &mut notes)?);
    }
    steps.push(Step::new(
        hmc,
        StepKind::Change,
        commands::updlic(name, op, &repository, level.lic())?,
        match (&checked.upgrade, disruptive) {
            (Some(release), _) => format!(
                "retrieve, install and activate {} of the new release {release}; --allowpoweroff lets the HMC power {name} off and on",
                level.words()
            ),
            (None, true) => format!(
                "retrieve, install and activate {}; --allowpoweroff lets the HMC power {name} off and on to activate it",
                level.words()
            ),
            (None, false) => format!(
                "retrieve, install and activate {} while the partitions keep running (the platform IPL level stays)",
                level.words()
            ),
        },
    ));
    if disruptive {
        steps.push(
            Step::new(
                hmc,
                StepKind::Wait,
                commands::lssyscfg_sys(Some(name), &["name", "state"])?,
                format!("{name} is back in {state} after the restart"),
            )
            .until(
                Condition::SystemState {
                    system: name.clone(),
                    states: vec![state.clone()],
                },
                RESTART_TIMEOUT,
            ),
        );
    }
    steps.push(verify(checked)?.recover_with(back_out(checked)?));
    if let Some(disruption) = &checked.disruption {
        steps.extend(fill_the_system(checked, disruption, &mut notes)?);
    }
    notes.push(back_out_note(checked));
    notes.push(format!(
        "the new level is not accepted by this plan: once it has proven itself, run `powerdeck plan firmware-accept --system {}`",
        quote::shell(name)
    ));
    let title = match (&checked.upgrade, disruptive) {
        (Some(release), _) => format!("Firmware upgrade of {name} to the release {release}"),
        (None, true) => format!("Disruptive firmware update of {name} to {}", level.words()),
        (None, false) => format!("Concurrent firmware update of {name} to {}", level.words()),
    };
    Ok(Plan {
        wizard: "firmware",
        title,
        confirm_name: name.clone(),
        attestation: None,
        steps,
        parallelism: 1,
        notes,
    })
}

/// Re-reads the state, the migrations, the levels and the repository the plan was built
/// on.
fn checks(checked: &Checked) -> Result<Vec<Step>, PlanError> {
    let (hmc, name, state) = (&checked.hmc, &checked.system, &checked.state);
    let levels = &checked.levels;
    let current = checked.current;
    let place = checked.repository.describe();
    let (offered, words) = match (&checked.upgrade, checked.level, &checked.disruption) {
        (Some(release), _, _) => (
            Condition::HmcAttribute {
                record: None,
                attribute: "retrievable_release".into(),
                value: release.clone(),
            },
            format!("{place} offers the new release {release}"),
        ),
        (None, level, disruption) => (
            Condition::FirmwareRetrievable {
                concurrent: disruption.is_none(),
                min: checked.min,
            },
            match (level, disruption.is_some()) {
                (Some(level), false) => {
                    format!("{place} offers level {level}, and it can be activated concurrently")
                }
                (Some(level), true) => format!("{place} offers level {level}"),
                (None, false) => {
                    format!("{place} offers a concurrent level newer than {current}")
                }
                (None, true) => format!("{place} offers a level newer than {current}"),
            },
        ),
    };
    Ok(vec![
        Step::new(
            hmc,
            StepKind::Check,
            commands::lssyscfg_sys(Some(name), &["name", "state"])?,
            format!("{name} is still {state}: updlic works only then"),
        )
        .until(
            Condition::SystemState {
                system: name.clone(),
                states: vec![state.clone()],
            },
            Duration::ZERO,
        ),
        Step::new(
            hmc,
            StepKind::Check,
            commands::lslparmigr_lpar(name, &[], &["name", "migration_state"])?,
            format!("no partition is migrating to or from {name}"),
        )
        .until(Condition::NoMigration, Duration::ZERO),
        Step::new(
            hmc,
            StepKind::Check,
            commands::lslic_sys(
                name,
                &["activated_level", "installed_level", "accepted_level"],
            )?,
            format!(
                "{name} still runs level {current} (installed {}, accepted {})",
                show(levels.installed_level),
                show(levels.accepted_level)
            ),
        )
        .until(
            Condition::FirmwareLevel {
                system: name.clone(),
                which: LicLevelKind::Activated,
                min: current,
                max: Some(current),
            },
            Duration::ZERO,
        ),
        Step::new(
            hmc,
            StepKind::Check,
            commands::lslic_retrievable(name, &checked.repository.lic())?,
            words,
        )
        .until(offered, Duration::ZERO),
    ])
}

/// Moves, shutdowns and `auto_start` changes, in that order, before `updlic`.
fn empty_the_system(
    checked: &Checked,
    disruption: &Disruption,
    notes: &mut Vec<String>,
) -> Result<Vec<Step>, PlanError> {
    let (hmc, name) = (&checked.hmc, &checked.system);
    let mut steps = Vec::new();
    if let Some(evacuation) = &disruption.evacuation {
        for plan in &evacuation.moves {
            steps.extend(plan.steps[..before_move(plan)].iter().cloned());
        }
        for plan in &evacuation.moves {
            steps.extend(plan.steps[before_move(plan)..].iter().cloned());
        }
        if !evacuation.moves.is_empty() {
            let moved: Vec<&str> = evacuation
                .moves
                .iter()
                .map(|m| m.confirm_name.as_str())
                .collect();
            notes.push(format!(
                "every move is validated before the first one starts; relocated to {} before the update, and left there (move them back with the relocate wizard): {}",
                evacuation.target,
                moved.join(", ")
            ));
        }
    }
    for partition in &disruption.clients {
        steps.extend(power::shut_down(hmc, name, partition)?);
    }
    for vios in &disruption.vios {
        steps.extend(power::shut_down(hmc, name, vios)?);
    }
    for lpar in &disruption.auto_start {
        steps.push(power::auto_start(hmc, name, lpar, false)?);
    }
    let names = |list: &[super::check::Partition]| {
        list.iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !disruption.clients.is_empty() {
        notes.push(format!(
            "shut down through their OS, lowest availability priority first (a delayed shutdown where RMC is not active; an immediate one only if you choose it when a delayed one does not end): {}",
            names(&disruption.clients)
        ));
    }
    if !disruption.vios.is_empty() {
        notes.push(format!(
            "the VIOS go down after every client and come up before any: {}",
            names(&disruption.vios)
        ));
    }
    if !disruption.auto_start.is_empty() {
        notes.push(format!(
            "must not start by themselves after the IPL, so auto_start is off until the end: {}",
            disruption.auto_start.join(", ")
        ));
    }
    if !disruption.stay_down.is_empty() {
        notes.push(format!(
            "not running before the update, so not started after it: {}",
            disruption.stay_down.join(", ")
        ));
    }
    Ok(steps)
}

/// After the IPL: the VIOS first, then the partitions by availability priority (highest
/// first), then `auto_start` as it was.
fn fill_the_system(
    checked: &Checked,
    disruption: &Disruption,
    notes: &mut Vec<String>,
) -> Result<Vec<Step>, PlanError> {
    let (hmc, name) = (&checked.hmc, &checked.system);
    let mut steps = Vec::new();
    for vios in &disruption.vios {
        steps.extend(power::start(hmc, name, vios, true)?);
    }
    for partition in disruption.clients.iter().rev() {
        steps.extend(power::start(hmc, name, partition, false)?);
    }
    for lpar in &disruption.auto_start {
        steps.push(power::auto_start(hmc, name, lpar, true)?);
    }
    if !disruption.clients.is_empty() {
        notes.push(format!(
            "after the IPL each partition is started once the VIOS run with RMC active, highest availability priority first, each given {} min",
            START_TIMEOUT.as_secs() / 60
        ));
    }
    Ok(steps)
}

/// The new level (or release) is activated.
fn verify(checked: &Checked) -> Result<Step, PlanError> {
    let (hmc, name) = (&checked.hmc, &checked.system);
    if let Some(release) = &checked.upgrade {
        return Ok(Step::new(
            hmc,
            StepKind::Verify,
            commands::lslic_sys(name, &["ecnumber"])?,
            format!("{name} now runs the release {release}"),
        )
        .until(
            Condition::HmcAttribute {
                record: None,
                attribute: "ecnumber".into(),
                value: release.clone(),
            },
            VERIFY_TIMEOUT,
        ));
    }
    Ok(Step::new(
        hmc,
        StepKind::Verify,
        commands::lslic_sys(name, &["activated_level"])?,
        match checked.level {
            Some(level) => format!("{name} now runs level {level}"),
            None => format!("{name} now runs a level newer than {}", checked.current),
        },
    )
    .until(
        Condition::FirmwareLevel {
            system: name.clone(),
            which: LicLevelKind::Activated,
            min: checked.min,
            max: checked.level,
        },
        VERIFY_TIMEOUT,
    ))
}

/// The level on the temporary side now: the install copies it to the permanent side,
/// and a back-out returns to it.
fn temporary_level(checked: &Checked) -> u32 {
    checked.levels.installed_level.unwrap_or(checked.current)
}

/// `updlic -o r`, offered when the new level does not come up as it should.
fn back_out(checked: &Checked) -> Result<Vec<Step>, PlanError> {
    let (hmc, name) = (&checked.hmc, &checked.system);
    let back = temporary_level(checked);
    let remove = Step::new(
        hmc,
        StepKind::Change,
        commands::updlic_remove(name, checked.disruption.is_some())?,
        format!(
            "back out: remove the new level and activate level {back}, which the install copied to the permanent side"
        ),
    );
    if checked.upgrade.is_some() {
        return Ok(vec![remove]);
    }
    Ok(vec![
        remove,
        Step::new(
            hmc,
            StepKind::Verify,
            commands::lslic_sys(name, &["activated_level"])?,
            format!("{name} runs level {back} again"),
        )
        .until(
            Condition::FirmwareLevel {
                system: name.clone(),
                which: LicLevelKind::Activated,
                min: back,
                max: Some(back),
            },
            VERIFY_TIMEOUT,
        ),
    ])
}

/// What the permanent side will hold, and how to go back to it.
fn back_out_note(checked: &Checked) -> String {
    let name = &checked.system;
    let back = temporary_level(checked);
    let accepted = checked.levels.accepted_level;
    let replaced = match accepted {
        Some(accepted) if accepted != back => format!(", replacing the accepted level {accepted}"),
        _ => String::new(),
    };
    format!(
        "back-out: before the new level is written to the temporary side, the HMC copies the level there ({back}) to the permanent side{replaced}; if the new level misbehaves, `updlic -o r -m {}{}` removes it and activates level {back} again (the `backupFile_FirmwareUpdate` lines of updlic are a backup of the partition profiles, not of the firmware)",
        quote::shell(name),
        if checked.disruption.is_some() {
            " --allowpoweroff"
        } else {
            ""
        }
    )
}

/// The level `updlic -l` asks for.
enum Level {
    /// `latestconcurrent`, or `latest` for a disruptive update.
    Newest { concurrent: bool },
    /// `-l LEVEL`.
    Given(String),
}

impl Level {
    fn lic(&self) -> LicLevel<'_> {
        match self {
            Level::Given(level) => LicLevel::Level(level),
            Level::Newest { concurrent: true } => LicLevel::LatestConcurrent,
            Level::Newest { concurrent: false } => LicLevel::Latest,
        }
    }

    fn words(&self) -> String {
        match self {
            Level::Given(level) => format!("level {level}"),
            Level::Newest { concurrent: true } => "the newest concurrent level".to_string(),
            Level::Newest { concurrent: false } => "the newest level".to_string(),
        }
    }
}
