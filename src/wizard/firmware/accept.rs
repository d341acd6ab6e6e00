//! Accepting a firmware level once it has proven itself: `updlic -o c` copies the
//! temporary side to the permanent side (docs/procedures.md, "Firmware update").

use std::time::Duration;

use super::find;
use crate::estate::SystemState;
use crate::sources::hmc::commands;
use crate::wizard::plan::{Condition, LicLevelKind, Plan, Step, StepKind};
use crate::wizard::relocate::system_name;
use crate::wizard::view::EstateView;
use crate::wizard::PlanError;

/// Builds the plan that accepts the activated firmware level of `system`
/// (`updlic -o c`: the T-side is copied to the P-side).
pub fn firmware_accept(view: EstateView<'_>, system: &str) -> Result<Plan, PlanError> {
    let found = find(view, system)?;
    let hmc = found.hmc;
    let name = system_name(view, found);
    let state = found.system().state.clone();
    if !matches!(state, SystemState::Operating | SystemState::Standby) {
        return Err(PlanError::refused(format!(
            "{name} is {state}: accepting a level needs it Operating (or Standby)"
        )));
    }
    let levels = found.system().firmware.as_ref().ok_or_else(|| {
        PlanError::cannot_tell(format!(
            "the firmware levels of {name} could not be read (lslic): refresh and try again"
        ))
    })?;
    let (Some(activated), Some(accepted)) = (levels.activated_level, levels.accepted_level) else {
        return Err(PlanError::cannot_tell(format!(
            "lslic shows no activated or accepted level for {name}"
        )));
    };
    if activated == accepted {
        return Err(PlanError::nothing_to_do(format!(
            "nothing to accept on {name}: level {activated} is activated and accepted"
        )));
    }
    let built = |command: Result<_, _>| command.map_err(PlanError::from);
    let level = |which, level| Condition::FirmwareLevel {
        system: name.clone(),
        which,
        min: level,
        max: Some(level),
    };
    let steps = vec![
        Step::new(
            hmc,
            StepKind::Check,
            built(commands::lssyscfg_sys(Some(&name), &["name", "state"]))?,
            format!("{name} is still {state}"),
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
            built(commands::lslic_sys(
                &name,
                &["activated_level", "accepted_level"],
            ))?,
            format!("{name} still runs level {activated}, accepted {accepted}"),
        )
        .until(
            Condition::All(vec![
                level(LicLevelKind::Activated, activated),
                level(LicLevelKind::Accepted, accepted),
            ]),
            Duration::ZERO,
        ),
        Step::new(
            hmc,
            StepKind::Change,
            built(commands::updlic_accept(&name))?,
            format!(
                "accept level {activated}: it becomes the committed (P-side) level; level {accepted} can no longer be gone back to"
            ),
        ),
        Step::new(
            hmc,
            StepKind::Verify,
            built(commands::lslic_sys(&name, &["accepted_level"]))?,
            format!("{name} now has level {activated} accepted"),
        )
        .until(
            level(LicLevelKind::Accepted, activated),
            Duration::from_secs(600),
        ),
    ];
    Ok(Plan {
        wizard: "firmware-accept",
        title: format!("Accept firmware level {activated} on {name}"),
        confirm_name: name.clone(),
        attestation: None,
        steps,
        parallelism: 1,
        notes: vec![format!(
            "{name} runs level {activated}; the accepted level {accepted} is the one `updlic -o r` would go back to until now"
        )],
    })
}
