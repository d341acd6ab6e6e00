//! Everything a firmware plan depends on, decided before any step is written
//! (docs/procedures.md, "Firmware update"): the system's state and levels, migrations,
//! stale remote restart copies, the partitions to move or shut down and in which order,
//! the update access key, the HMC's level, what the repository offers, and for an
//! evacuation whether every partition can move and fits on the target.

use super::facts::{hmc_date, hmc_level, FirmwareFacts};
use super::{find, list_is, show, Disruptive, FirmwareChoices, FirmwareRepo};
use crate::estate::{FirmwareLevels, HmcVersion, Lpar, RmcState, SystemState};
use crate::wizard::capacity::{self, PartitionSize};
use crate::wizard::plan::{Plan, StepKind};
use crate::wizard::relocate::{relocate, system_name};
use crate::wizard::view::{EstateView, SystemRef};
use crate::wizard::PlanError;

/// The update access key warning starts this many days before expiry, as the HMC's own
/// `HSCL0071` does (docs/procedures.md, "Firmware update").
pub const KEY_WARNING_DAYS: i64 = 30;

/// The priority the HMC gives a partition that was never given one.
const DEFAULT_PRIORITY: u8 = 127;

/// A partition the plan shuts down and starts again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partition {
    /// Its name, as `-n` takes it.
    pub name: String,
    /// RMC is active: its operating system can be asked to shut down.
    pub rmc: bool,
    /// `lpar_avail_priority`: low ones go down first and come up last.
    pub priority: u8,
    /// The profile it is started with again (its current one, else its default).
    pub profile: Option<String>,
}

/// Partitions moved away before a disruptive update, with their relocation plans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evacuation {
    /// Where they go.
    pub target: String,
    /// One relocation plan per partition, in partition order.
    pub moves: Vec<Plan>,
}

/// How a disruptive update empties the system and fills it again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Disruption {
    /// The partitions relocated first, when the operator chose an evacuation.
    pub evacuation: Option<Evacuation>,
    /// Client partitions to shut down, lowest availability priority first.
    pub clients: Vec<Partition>,
    /// Running VIOS: shut down after every client, started before any after the IPL.
    pub vios: Vec<Partition>,
    /// Partitions whose `auto_start` is switched off for the IPL and back on at the end,
    /// so that nothing starts before its VIOS, or at all when it was down before.
    pub auto_start: Vec<String>,
    /// Partitions that were not running: they stay down.
    pub stay_down: Vec<String>,
}

/// What [`check`] found: everything [`super::emit`] needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The HMC that manages the system.
    pub hmc: String,
    /// The system, as `-m` names it.
    pub system: String,
    /// `Operating` or `Standby`: what it returns to.
    pub state: SystemState,
    /// Its levels from the refresh.
    pub levels: FirmwareLevels,
    /// The activated level.
    pub current: u32,
    /// Where the level comes from (`lslic -r`, `updlic -r`).
    pub repository: FirmwareRepo,
    /// `-l LEVEL`; the newest when `None`.
    pub level: Option<u32>,
    /// The lowest level that counts as updated (within the release).
    pub min: u32,
    /// The new release (EC number) of an upgrade (`updlic -o u`).
    pub upgrade: Option<String>,
    /// How a disruptive update empties and refills the system; `None` when concurrent.
    pub disruption: Option<Disruption>,
    /// What the checks found that the operator should know.
    pub notes: Vec<String>,
}

/// The checks the refresh alone can answer; the console uses them to judge its choices
/// before any fact is read.
pub fn check_choices(
    view: EstateView<'_>,
    system: &str,
    choices: &FirmwareChoices,
) -> Result<Checked, PlanError> {
    let found = find(view, system)?;
    let name = system_name(view, found);
    let state = found.system().state.clone();
    if !matches!(state, SystemState::Operating | SystemState::Standby) {
        return Err(PlanError::refused(format!(
            "{name} is {state}: a firmware update needs it Operating (or Standby)"
        )));
    }
    let levels = found.system().firmware.clone().ok_or_else(|| {
        PlanError::cannot_tell(format!(
            "the firmware levels of {name} could not be read (lslic): refresh and try again"
        ))
    })?;
    let current = levels.activated_level.ok_or_else(|| {
        PlanError::cannot_tell(format!("lslic shows no activated level for {name}"))
    })?;
    if choices.upgrade && choices.disruptive.is_none() {
        return Err(PlanError::invalid(
            "a release upgrade (updlic -o u) is always disruptive: choose how the partitions make way (--disruptive, --disruptive-shutdown or --disruptive-evacuate-to)",
        ));
    }
    if let Some(level) = choices.level.filter(|_| !choices.upgrade) {
        if level <= current {
            return Err(PlanError::nothing_to_do(format!(
                "{name} already runs firmware level {current}: level {level} is not newer"
            )));
        }
    }
    let moving: Vec<&str> = found
        .data
        .lpars
        .iter()
        .filter(|l| {
            l.state.is_migrating() || l.migration_state.as_ref().is_some_and(|m| m.is_active())
        })
        .map(|l| l.name.as_str())
        .collect();
    if !moving.is_empty() {
        return Err(PlanError::refused(format!(
            "{} migrating on {name}: update the firmware once the migration is over",
            list_is(&moving)
        )));
    }
    let disruption = match &choices.disruptive {
        None => None,
        Some(disruptive) => Some(disruption(view, found, &name, disruptive)?),
    };
    let mut notes = vec![format!(
        "{name} ({}) runs firmware level {current}, installed {}, accepted {}",
        levels.ecnumber.as_deref().unwrap_or("EC unknown"),
        show(levels.installed_level),
        show(levels.accepted_level)
    )];
    let running = found
        .data
        .lpars
        .iter()
        .filter(|l| !l.lpar_env.is_vios() && l.state.is_on())
        .count();
    if disruption.is_none() && running > 0 {
        notes.push(format!(
            "{running} client partitions keep running during the update"
        ));
    }
    if levels.restart_pending() {
        notes.push(format!(
            "level {} is installed but not activated: it waits for a restart of {name}",
            show(levels.installed_level)
        ));
    }
    Ok(Checked {
        hmc: found.hmc.to_string(),
        system: name,
        state,
        min: choices.level.unwrap_or(current + 1),
        levels,
        current,
        repository: choices.repository.clone(),
        level: choices.level,
        upgrade: None,
        disruption,
        notes,
    })
}

/// Every check: those of [`check_choices`], then the facts read for the plan.
pub fn check(
    view: EstateView<'_>,
    system: &str,
    choices: &FirmwareChoices,
    facts: &FirmwareFacts,
) -> Result<Checked, PlanError> {
    let mut checked = check_choices(view, system, choices)?;
    let found = find(view, system)?;
    access_key(&mut checked, found, facts)?;
    hmc_minimum(&mut checked, choices, facts)?;
    repository(&mut checked, choices, facts)?;
    let evacuation = checked
        .disruption
        .as_ref()
        .and_then(|d| d.evacuation.as_ref());
    if let Some(evacuation) = evacuation {
        let note = evacuation_room(found, evacuation, facts)?;
        checked.notes.push(note);
    }
    Ok(checked)
}

/// The partitions to move, shut down and start again, and what must not start by itself.
fn disruption(
    view: EstateView<'_>,
    found: SystemRef<'_>,
    name: &str,
    disruptive: &Disruptive,
) -> Result<Disruption, PlanError> {
    let lpars = &found.data.lpars;
    let stale: Vec<&str> = lpars
        .iter()
        .filter(|l| {
            l.remote_restart_status
                .as_ref()
                .is_some_and(|s| s.needs_cleanup())
        })
        .map(|l| l.name.as_str())
        .collect();
    if !stale.is_empty() {
        return Err(PlanError::refused(format!(
            "{} the stale copy of a partition restarted on another system: an IPL of {name} must not start it a second time; run the cleanup wizard first",
            list_is(&stale)
        )));
    }
    let passing: Vec<String> = lpars
        .iter()
        .filter(|l| l.state.is_transitional())
        .map(|l| format!("{} is {}", l.name, l.state))
        .collect();
    if !passing.is_empty() {
        return Err(PlanError::refused(format!(
            "{}: wait until it settles",
            passing.join(", ")
        )));
    }
    let running: Vec<&Lpar> = lpars
        .iter()
        .filter(|l| !l.lpar_env.is_vios() && l.state.is_on())
        .collect();
    let names: Vec<&str> = running.iter().map(|l| l.name.as_str()).collect();
    let mut evacuation = None;
    let staying: Vec<&Lpar> = match disruptive {
        Disruptive::PowerOff => {
            if !running.is_empty() {
                return Err(PlanError::refused(format!(
                    "a disruptive update powers {name} off and {} running there: choose --disruptive-evacuate-to SYSTEM or --disruptive-shutdown",
                    list_is(&names)
                )));
            }
            Vec::new()
        }
        Disruptive::Shutdown => running.clone(),
        Disruptive::Evacuate { target, shutdown } => {
            for wanted in shutdown {
                if !names.contains(&wanted.as_str()) {
                    return Err(PlanError::refused(format!(
                        "{wanted} is not a running client partition of {name}: only those are shut down"
                    )));
                }
            }
            let destination = find(view, target)?;
            if destination.system().name == found.system().name {
                return Err(PlanError::invalid(format!(
                    "{target} is the system being updated: evacuate to another one"
                )));
            }
            let mut moves = Vec::new();
            for lpar in running.iter().filter(|l| !shutdown.contains(&l.name)) {
                let plan = movable(view, destination, lpar, target)?;
                moves.push(plan);
            }
            evacuation = Some(Evacuation {
                target: system_name(view, destination),
                moves,
            });
            running
                .iter()
                .copied()
                .filter(|l| shutdown.contains(&l.name))
                .collect()
        }
    };
    let mut clients: Vec<Partition> = staying.iter().map(|l| partition(l)).collect();
    clients.sort_by(|a, b| {
        a.priority
            .cmp(&b.priority)
            .then_with(|| a.name.cmp(&b.name))
    });
    let mut vios: Vec<Partition> = lpars
        .iter()
        .filter(|l| l.lpar_env.is_vios() && l.state.is_on())
        .map(partition)
        .collect();
    vios.sort_by(|a, b| a.name.cmp(&b.name));
    let moved: Vec<&str> = evacuation
        .iter()
        .flat_map(|e| e.moves.iter().map(|m| m.confirm_name.as_str()))
        .collect();
    let mut auto_start = Vec::new();
    for lpar in lpars.iter().filter(|l| !moved.contains(&l.name.as_str())) {
        match lpar.attribute("auto_start").map(str::trim) {
            Some("1") => auto_start.push(lpar.name.clone()),
            Some("0") => {}
            _ => {
                return Err(PlanError::cannot_tell(format!(
                    "cannot tell whether {} starts by itself when {name} powers on (auto_start is not listed): refresh and try again",
                    lpar.name
                )))
            }
        }
    }
    let stay_down = lpars
        .iter()
        .filter(|l| !l.state.is_on() && !moved.contains(&l.name.as_str()))
        .map(|l| l.name.clone())
        .collect();
    Ok(Disruption {
        evacuation,
        clients,
        vios,
        auto_start,
        stay_down,
    })
}

/// The relocation plan of `lpar` to `destination`, or why it cannot move: what the
/// relocation wizard refuses, and a processor compatibility mode the target lacks (both
/// the current and the preferred mode must be supported there).
fn movable(
    view: EstateView<'_>,
    destination: SystemRef<'_>,
    lpar: &Lpar,
    target: &str,
) -> Result<Plan, PlanError> {
    let cannot = |why: String| {
        PlanError::refused(format!(
            "{} cannot be evacuated to {target}: {why} (name it with --shutdown-lpar to shut it down instead)",
            lpar.name
        ))
    };
    let plan = relocate(view, &lpar.name, target).map_err(|error| cannot(error.reason))?;
    let modes = &destination.system().capabilities.proc_compat_modes;
    if modes.is_empty() {
        return Err(PlanError::cannot_tell(format!(
            "cannot tell which processor compatibility modes {target} supports: refresh and try again"
        )));
    }
    let current = lpar.proc_compat_mode().ok_or_else(|| {
        PlanError::cannot_tell(format!(
            "cannot tell the processor compatibility mode of {}",
            lpar.name
        ))
    })?;
    let preferred = lpar
        .attribute("desired_lpar_proc_compat_mode")
        .map(str::trim)
        .filter(|m| !m.is_empty() && *m != "null");
    for mode in std::iter::once(current).chain(preferred) {
        if mode != "default" && !modes.iter().any(|m| m == mode) {
            return Err(cannot(format!(
                "it runs in {mode} mode, which {target} does not support ({})",
                modes.join(", ")
            )));
        }
    }
    Ok(plan)
}

fn partition(lpar: &Lpar) -> Partition {
    Partition {
        name: lpar.name.clone(),
        rmc: lpar.rmc_state.as_ref() == Some(&RmcState::Active),
        priority: lpar.avail_priority().unwrap_or(DEFAULT_PRIORITY),
        profile: lpar.curr_profile.clone().or(lpar.default_profile.clone()),
    }
}

/// A level released after the update access key's date is not installed; an expired key
/// refuses the plan, a key about to expire is a note. POWER7 and older have no key.
fn access_key(
    checked: &mut Checked,
    found: SystemRef<'_>,
    facts: &FirmwareFacts,
) -> Result<(), PlanError> {
    let name = &checked.system;
    let modes = &found.system().capabilities.proc_compat_modes;
    let keyless = !modes.is_empty()
        && !modes
            .iter()
            .any(|m| ["POWER8", "POWER9", "POWER10", "POWER11"].contains(&m.as_str()));
    let Some(expiry) = &facts.access_key_expiry else {
        if keyless {
            checked.notes.push(format!(
                "{name} is a POWER7 or older system: no update access key is needed"
            ));
            return Ok(());
        }
        return Err(PlanError::cannot_tell(format!(
            "cannot read the update access key of {name} (lslic -F update_access_key_exp_date): the HMC installs no level released after its date"
        )));
    };
    let (Some(until), Some(today)) = (
        hmc_date(expiry),
        facts.system_time.as_deref().and_then(hmc_date),
    ) else {
        return Err(PlanError::cannot_tell(format!(
            "cannot compare the update access key date of {name} ({expiry}) with its clock ({})",
            facts.system_time.as_deref().unwrap_or("not read")
        )));
    };
    let days = today
        .until(until)
        .map(|span| i64::from(span.get_days()))
        .unwrap_or(0);
    if until < today {
        return Err(PlanError::refused(format!(
            "the update access key of {name} expired on {expiry}: the HMC installs no firmware released after that date; renew the key first (the running firmware is not affected)"
        )));
    }
    checked.notes.push(if days <= KEY_WARNING_DAYS {
        format!(
            "the update access key of {name} expires in {days} days ({expiry}): renew it soon, or later levels cannot be installed"
        )
    } else {
        format!("the update access key of {name} is valid until {expiry}")
    });
    Ok(())
}

/// The operator's minimum HMC level (from the level's readme) against this HMC's.
fn hmc_minimum(
    checked: &mut Checked,
    choices: &FirmwareChoices,
    facts: &FirmwareFacts,
) -> Result<(), PlanError> {
    let hmc = &checked.hmc;
    let running = facts.hmc_version.as_ref().and_then(version_words);
    let Some(minimum) = &choices.min_hmc else {
        checked.notes.push(format!(
            "the level's readme names a minimum HMC level: {hmc} runs {}; below the minimum the update does not proceed (give it with --min-hmc to have it checked)",
            running.as_ref().map_or("an unknown level", |(words, _)| words.as_str())
        ));
        return Ok(());
    };
    let wanted = hmc_level(minimum).ok_or_else(|| {
        PlanError::invalid(format!(
            "--min-hmc {minimum} is not an HMC level such as V10R2M1050"
        ))
    })?;
    let Some((words, level)) = running else {
        return Err(PlanError::cannot_tell(format!(
            "cannot read the level of {hmc} (lshmc -V) to compare it with {minimum}"
        )));
    };
    if level < wanted {
        return Err(PlanError::refused(format!(
            "{hmc} runs {words}, below {minimum}, the minimum HMC level this firmware needs: update the HMC first"
        )));
    }
    checked
        .notes
        .push(format!("{hmc} runs {words}, at least {minimum}"));
    Ok(())
}

/// `V10R2M1050` from `lshmc -V`, and its numbers.
fn version_words(version: &HmcVersion) -> Option<(String, Vec<u32>)> {
    let words = format!(
        "V{}R{}M{}",
        version.version.as_deref()?.trim(),
        version.release.as_deref()?.trim(),
        version.service_pack.as_deref().unwrap_or("0").trim()
    );
    let level = hmc_level(&words)?;
    Some((words, level))
}

/// What the repository offers decides between an update within the release and an
/// upgrade to a new one (`updlic -o u`), and whether the level can go in concurrently.
fn repository(
    checked: &mut Checked,
    choices: &FirmwareChoices,
    facts: &FirmwareFacts,
) -> Result<(), PlanError> {
    let offered = &facts.retrievable;
    let (name, current) = (checked.system.clone(), checked.current);
    let place = checked.repository.describe();
    let upgrade_hint = |release: &str| {
        format!(
            "{place} offers the new release {release}: moving to it is an upgrade (updlic -o u, --upgrade), always disruptive"
        )
    };
    if choices.upgrade {
        let release = offered.release.clone().ok_or_else(|| {
            PlanError::nothing_to_do(format!(
                "{place} offers no new release for {name}: an update within the release needs no --upgrade"
            ))
        })?;
        checked.notes.push(format!(
            "upgrade of {name} from {} to the new release {release}",
            checked.levels.ecnumber.as_deref().unwrap_or("its release")
        ));
        checked.upgrade = Some(release);
        return Ok(());
    }
    let concurrent = offered.concurrent_level.filter(|l| *l > current);
    let newest = offered
        .concurrent_level
        .max(offered.disruptive_level)
        .filter(|l| *l > current);
    let disruptive = choices.disruptive.is_some();
    let reachable = if disruptive { newest } else { concurrent };
    match (choices.level, reachable) {
        (Some(level), _) if newest.is_none_or(|n| level > n) => {
            return Err(PlanError::refused(format!(
                "{place} does not offer level {level} for {name} (newest: {})",
                show(newest)
            )))
        }
        (Some(level), _) if !disruptive && concurrent.is_none_or(|c| level > c) => {
            return Err(PlanError::refused(format!(
                "level {level} cannot be activated concurrently on {name} (newest concurrent level: {}): choose a disruptive update",
                show(concurrent)
            )))
        }
        (None, None) => {
            return Err(match (&offered.release, newest) {
                (_, Some(level)) => PlanError::refused(format!(
                    "no level newer than {current} activates concurrently on {name}; level {level} needs a restart: choose a disruptive update"
                )),
                (Some(release), None) => PlanError::nothing_to_do(format!(
                    "no level newer than {current} within the release of {name}; {}",
                    upgrade_hint(release)
                )),
                (None, None) => PlanError::nothing_to_do(format!(
                    "{place} offers nothing newer than level {current} for {name}"
                )),
            })
        }
        _ => {}
    }
    if let Some(release) = &offered.release {
        checked.notes.push(format!(
            "{}; this plan stays within the release",
            upgrade_hint(release)
        ));
    }
    Ok(())
}

/// Every partition to move fits on the target together, and none owns physical I/O.
fn evacuation_room(
    found: SystemRef<'_>,
    evacuation: &Evacuation,
    facts: &FirmwareFacts,
) -> Result<String, PlanError> {
    let target = &evacuation.target;
    let read = facts.evacuation.as_ref().ok_or_else(|| {
        PlanError::cannot_tell(format!(
            "the room on {target} and the partitions' sizes were not read"
        ))
    })?;
    let mut sizes: Vec<&PartitionSize> = Vec::new();
    for plan in &evacuation.moves {
        let lpar = found.lpar(&plan.confirm_name).ok_or_else(|| {
            PlanError::not_found(format!("no partition called {}", plan.confirm_name))
        })?;
        let profile = lpar.curr_profile.clone().or(lpar.default_profile.clone());
        let theirs: Vec<_> = read
            .profiles
            .iter()
            .filter(|p| p.lpar_name == lpar.name)
            .collect();
        let chosen = match (&profile, theirs.as_slice()) {
            (Some(named), _) => theirs.iter().find(|p| &p.name == named),
            (None, [only]) => Some(only),
            (None, _) => None,
        };
        let slots = chosen.map(|p| p.io_slots.clone()).ok_or_else(|| {
            PlanError::cannot_tell(format!(
                "cannot tell whether {} owns physical I/O: its profile {} was not read",
                lpar.name,
                profile.as_deref().unwrap_or("(none named)")
            ))
        })?;
        if !slots.is_empty() {
            return Err(PlanError::refused(format!(
                "{} cannot be evacuated to {target}: it owns physical I/O slots ({}), which partition mobility cannot move (name it with --shutdown-lpar to shut it down instead)",
                lpar.name,
                slots.join(", ")
            )));
        }
        let size = read
            .capacity
            .size_of(&lpar.name, profile.as_deref())
            .ok_or_else(|| {
                PlanError::cannot_tell(format!(
                    "cannot tell how much memory and processing {} needs: no profile {} read from the HMC",
                    lpar.name,
                    profile.as_deref().unwrap_or("(none named)")
                ))
            })?;
        sizes.push(size);
    }
    let fit = capacity::fit(&read.capacity, &sizes);
    let wanted = format!(
        "{} partition(s) need {} MB and {:.2} processing units on {target}, which has {} MB and {:.2} free",
        sizes.len(),
        fit.memory_mb,
        fit.proc_units,
        read.capacity.free_memory_mb,
        read.capacity.free_proc_units
    );
    if !fit.all(sizes.len()) {
        return Err(PlanError::refused(format!(
            "{wanted}: only {} fit; shut the others down instead (--shutdown-lpar) or evacuate to a system with more room",
            if fit.fitting.is_empty() {
                "none".to_string()
            } else {
                fit.fitting.join(", ")
            }
        )));
    }
    Ok(format!("capacity: {wanted}"))
}

/// The steps of an evacuation plan that come before its move: the checks and the
/// validation. Every partition's are run before the first one moves.
pub(super) fn before_move(plan: &Plan) -> usize {
    plan.steps
        .iter()
        .position(|step| step.kind == StepKind::Change)
        .unwrap_or(plan.steps.len())
}
