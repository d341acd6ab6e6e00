//! Firmware (LIC) update of a managed system (docs/procedures.md, "Firmware update";
//! docs/formats.md, "HMC: firmware update paths"): check the levels, the repository and
//! the system, then `updlic -o a`, and verify the new activated level.
//! A disruptive update powers the system off, so its running partitions are first
//! relocated elsewhere or shut down, as the operator chooses. Accepting the new level
//! (`updlic -o c`) is a separate plan, run once the level has proven itself.

use std::time::Duration;

use super::plan::{Condition, LicLevelKind, Plan, Step, StepKind};
use super::relocate::{relocate, system_name};
use super::view::{EstateView, SystemRef};
use super::PlanError;
use crate::estate::{Lpar, LparState, RmcState, SystemState};
use crate::sources::hmc::commands::{self, LicLevel, LicRepository, LicUpdateOp, LparPowerOp};
use crate::sources::quote;

/// How long a system may take to come back after a disruptive activation.
pub const RESTART_TIMEOUT: Duration = Duration::from_secs(2 * 3600);
/// How long a partition may take to shut down.
pub const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// Where the firmware comes from, as the operator names it on the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum FirmwareRepo {
    /// `ibmwebsite`: IBM Fix Central, straight from the HMC.
    #[default]
    IbmWebsite,
    /// `disk`: updates already on the HMC's disk.
    Disk,
    /// `mountpoint:DIR`: a directory on the HMC.
    Mountpoint { directory: String },
    /// `ftp:[USER@]HOST[:DIR]` (user `anonymous` unless given).
    Ftp {
        host: String,
        user: String,
        directory: Option<String>,
    },
    /// `sftp:[USER@]HOST[:DIR]` (user `hscroot` unless given), with an SSH key stored on
    /// the HMC.
    Sftp {
        host: String,
        user: String,
        key: Option<String>,
        directory: Option<String>,
    },
}

impl FirmwareRepo {
    /// Reads `ibmwebsite`, `disk`, `mountpoint:DIR`, `ftp:[USER@]HOST[:DIR]` or
    /// `sftp:[USER@]HOST[:DIR]`.
    pub fn parse(text: &str) -> Result<FirmwareRepo, PlanError> {
        let bad = || {
            PlanError::invalid(format!(
                "repository {text:?} is not one of ibmwebsite, disk, mountpoint:DIR, ftp:[USER@]HOST[:DIR], sftp:[USER@]HOST[:DIR]"
            ))
        };
        let (kind, rest) = match text.split_once(':') {
            Some((kind, rest)) => (kind, Some(rest)),
            None => (text, None),
        };
        let remote = |rest: Option<&str>, default_user: &str| {
            let rest = rest.filter(|r| !r.is_empty()).ok_or_else(bad)?;
            let (place, directory) = match rest.split_once(':') {
                Some((place, directory)) if !directory.is_empty() => {
                    (place, Some(directory.to_string()))
                }
                Some((place, _)) => (place, None),
                None => (rest, None),
            };
            let (user, host) = match place.split_once('@') {
                Some((user, host)) => (user.to_string(), host.to_string()),
                None => (default_user.to_string(), place.to_string()),
            };
            if host.is_empty() || user.is_empty() {
                return Err(bad());
            }
            Ok((host, user, directory))
        };
        match (kind, rest) {
            ("ibmwebsite", None) => Ok(FirmwareRepo::IbmWebsite),
            ("disk", None) => Ok(FirmwareRepo::Disk),
            ("mountpoint", Some(directory)) if !directory.is_empty() => {
                Ok(FirmwareRepo::Mountpoint {
                    directory: directory.to_string(),
                })
            }
            ("ftp", rest) => {
                let (host, user, directory) = remote(rest, "anonymous")?;
                Ok(FirmwareRepo::Ftp {
                    host,
                    user,
                    directory,
                })
            }
            ("sftp", rest) => {
                let (host, user, directory) = remote(rest, "hscroot")?;
                Ok(FirmwareRepo::Sftp {
                    host,
                    user,
                    key: None,
                    directory,
                })
            }
            _ => Err(bad()),
        }
    }

    /// The `-r` options of `lslic`/`updlic` for this repository.
    pub fn lic(&self) -> LicRepository<'_> {
        match self {
            FirmwareRepo::IbmWebsite => LicRepository::IbmWebsite,
            FirmwareRepo::Disk => LicRepository::Disk,
            FirmwareRepo::Mountpoint { directory } => LicRepository::Mountpoint { directory },
            FirmwareRepo::Ftp {
                host,
                user,
                directory,
            } => LicRepository::Ftp {
                host,
                user,
                directory: directory.as_deref(),
            },
            FirmwareRepo::Sftp {
                host,
                user,
                key,
                directory,
            } => LicRepository::Sftp {
                host,
                user,
                ssh_key: key.as_deref(),
                directory: directory.as_deref(),
            },
        }
    }

    /// The repository in words.
    pub fn describe(&self) -> String {
        match self {
            FirmwareRepo::IbmWebsite => "IBM Fix Central".to_string(),
            FirmwareRepo::Disk => "the HMC's disk".to_string(),
            FirmwareRepo::Mountpoint { directory } => format!("{directory} on the HMC"),
            FirmwareRepo::Ftp {
                host, directory, ..
            }
            | FirmwareRepo::Sftp {
                host, directory, ..
            } => format!("{host}:{}", directory.as_deref().unwrap_or("")),
        }
    }
}

/// How a disruptive update deals with the partitions running on the system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disruptive {
    /// Power the system off as it is: only when no client partition runs.
    PowerOff,
    /// Relocate every running client partition to `target` first (Live Partition
    /// Mobility); the ones named in `shutdown` (those that cannot move) are shut down.
    Evacuate {
        target: String,
        shutdown: Vec<String>,
    },
    /// Shut every running client partition down first.
    Shutdown,
}

/// The operator's choices for a firmware update.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FirmwareChoices {
    /// `-l LEVEL`; the newest level (concurrent, or any for a disruptive update) when
    /// `None`.
    pub level: Option<u32>,
    pub repository: FirmwareRepo,
    /// `None` for a concurrent update: partitions keep running.
    pub disruptive: Option<Disruptive>,
}

/// Builds the plan that updates the firmware of `system`.
pub fn firmware(
    view: EstateView<'_>,
    system: &str,
    choices: &FirmwareChoices,
) -> Result<Plan, PlanError> {
    let found = find(view, system)?;
    let hmc = found.hmc;
    let name = system_name(view, found);
    let state = found.system().state.clone();
    if !matches!(state, SystemState::Operating | SystemState::Standby) {
        return Err(PlanError::refused(format!(
            "{name} is {state}: a firmware update needs it Operating (or Standby)"
        )));
    }
    let levels = found.system().firmware.as_ref().ok_or_else(|| {
        PlanError::cannot_tell(format!(
            "the firmware levels of {name} could not be read (lslic): refresh and try again"
        ))
    })?;
    let current = levels.activated_level.ok_or_else(|| {
        PlanError::cannot_tell(format!("lslic shows no activated level for {name}"))
    })?;
    if let Some(level) = choices.level {
        if level <= current {
            return Err(PlanError::nothing_to_do(format!(
                "{name} already runs firmware level {current}: level {level} is not newer"
            )));
        }
    }
    let wanted = choices.level.unwrap_or(current + 1);
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
    let running: Vec<&Lpar> = found
        .data
        .lpars
        .iter()
        .filter(|l| !l.lpar_env.is_vios() && l.state.is_on())
        .collect();

    let built = |command: Result<_, _>| command.map_err(PlanError::from);
    let repository = choices.repository.lic();
    let mut steps = vec![
        Step::new(
            hmc,
            StepKind::Check,
            built(commands::lssyscfg_sys(Some(&name), &["name", "state"]))?,
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
            built(commands::lslparmigr_lpar(
                &name,
                &[],
                &["name", "migration_state"],
            ))?,
            format!("no partition is migrating to or from {name}"),
        )
        .until(Condition::NoMigration, Duration::ZERO),
        Step::new(
            hmc,
            StepKind::Check,
            built(commands::lslic_sys(
                &name,
                &["activated_level", "installed_level", "accepted_level"],
            ))?,
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
            built(commands::lslic_retrievable(&name, &repository))?,
            match (choices.level, choices.disruptive.is_some()) {
                (Some(level), false) => format!(
                    "{} offers level {level}, and it can be activated concurrently",
                    choices.repository.describe()
                ),
                (Some(level), true) => {
                    format!("{} offers level {level}", choices.repository.describe())
                }
                (None, false) => format!(
                    "{} offers a concurrent level newer than {current}",
                    choices.repository.describe()
                ),
                (None, true) => format!(
                    "{} offers a level newer than {current}",
                    choices.repository.describe()
                ),
            },
        )
        .until(
            Condition::FirmwareRetrievable {
                concurrent: choices.disruptive.is_none(),
                min: wanted,
            },
            Duration::ZERO,
        ),
    ];
    let mut notes = vec![format!(
        "{name} ({}) runs firmware level {current}, installed {}, accepted {}",
        levels.ecnumber.as_deref().unwrap_or("EC unknown"),
        show(levels.installed_level),
        show(levels.accepted_level)
    )];
    if levels.restart_pending() {
        notes.push(format!(
            "level {} is installed but not activated: it waits for a restart of {name}",
            show(levels.installed_level)
        ));
    }
    if levels.awaiting_accept() {
        notes.push(format!(
            "level {current} was never accepted: the update keeps level {} as the backup (P-side)",
            show(levels.accepted_level)
        ));
    }

    let level = match choices.level {
        Some(level) => WantedLevel::Level(level.to_string()),
        None => WantedLevel::Newest,
    };
    match &choices.disruptive {
        None => {
            steps.push(Step::new(
                hmc,
                StepKind::Change,
                built(commands::updlic(
                    &name,
                    LicUpdateOp::Activate {
                        allow_power_off: false,
                    },
                    &repository,
                    level.as_lic(false),
                ))?,
                format!(
                    "retrieve, install and activate {} while the partitions keep running (the platform IPL level stays)",
                    level.words(true)
                ),
            ));
            if !running.is_empty() {
                notes.push(format!(
                    "{} client partitions keep running during the update",
                    running.len()
                ));
            }
        }
        Some(disruptive) => {
            let names: Vec<&str> = running.iter().map(|l| l.name.as_str()).collect();
            match disruptive {
                Disruptive::PowerOff => {
                    if !running.is_empty() {
                        return Err(PlanError::refused(format!(
                            "a disruptive update powers {name} off and {} running there: choose --disruptive-evacuate-to SYSTEM or --disruptive-shutdown",
                            list_is(&names)
                        )));
                    }
                }
                Disruptive::Shutdown => {
                    for lpar in &running {
                        steps.extend(shutdown_steps(hmc, &name, lpar)?);
                    }
                    if !running.is_empty() {
                        notes.push(format!(
                            "shut down for the update, not restarted by this plan: {}",
                            names.join(", ")
                        ));
                    }
                }
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
                    let mut moved = Vec::new();
                    for lpar in &running {
                        if shutdown.contains(&lpar.name) {
                            steps.extend(shutdown_steps(hmc, &name, lpar)?);
                            continue;
                        }
                        let plan = relocate(view, &lpar.name, target).map_err(|error| {
                            PlanError::refused(format!(
                                "{} cannot be evacuated to {target}: {error} (name it with --shutdown-lpar to shut it down instead)",
                                lpar.name
                            ))
                        })?;
                        steps.extend(plan.steps);
                        moved.push(lpar.name.as_str());
                    }
                    if !moved.is_empty() {
                        notes.push(format!(
                            "relocated to {target} before the update (and left there): {}",
                            moved.join(", ")
                        ));
                    }
                    if !shutdown.is_empty() {
                        notes.push(format!(
                            "shut down for the update, not restarted by this plan: {}",
                            shutdown.join(", ")
                        ));
                    }
                }
            }
            let vios = found
                .data
                .lpars
                .iter()
                .filter(|l| l.lpar_env.is_vios() && l.state.is_on())
                .count();
            notes.push(format!(
                "disruptive: {name} powers off and restarts{}",
                if vios > 0 {
                    format!("; its {vios} VIOS go down with it and start again by their policy")
                } else {
                    String::new()
                }
            ));
            steps.push(Step::new(
                hmc,
                StepKind::Change,
                built(commands::updlic(
                    &name,
                    LicUpdateOp::Activate {
                        allow_power_off: true,
                    },
                    &repository,
                    level.as_lic(true),
                ))?,
                format!(
                    "retrieve, install and activate {}; --allowpoweroff lets the HMC power {name} off and on to activate it",
                    level.words(false)
                ),
            ));
            steps.push(
                Step::new(
                    hmc,
                    StepKind::Wait,
                    built(commands::lssyscfg_sys(Some(&name), &["name", "state"]))?,
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
    }
    steps.push(
        Step::new(
            hmc,
            StepKind::Verify,
            built(commands::lslic_sys(&name, &["activated_level"]))?,
            match choices.level {
                Some(level) => format!("{name} now runs level {level}"),
                None => format!("{name} now runs a level newer than {current}"),
            },
        )
        .until(
            Condition::FirmwareLevel {
                system: name.clone(),
                which: LicLevelKind::Activated,
                min: wanted,
                max: choices.level,
            },
            Duration::from_secs(600),
        ),
    );
    notes.push(format!(
        "the new level is not accepted by this plan: once it has proven itself, run `powerdeck plan firmware-accept --system {}`",
        quote::shell(&name)
    ));
    Ok(Plan {
        wizard: "firmware",
        title: format!(
            "{} firmware update of {name} to {}",
            if choices.disruptive.is_some() {
                "Disruptive"
            } else {
                "Concurrent"
            },
            level.words(choices.disruptive.is_none())
        ),
        confirm_name: name.clone(),
        attestation: None,
        steps,
        parallelism: 1,
        notes,
    })
}

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

/// The level `updlic -l` asks for.
enum WantedLevel {
    /// `latestconcurrent`, or `latest` for a disruptive update.
    Newest,
    /// `-l LEVEL`.
    Level(String),
}

impl WantedLevel {
    fn as_lic(&self, disruptive: bool) -> LicLevel<'_> {
        match (self, disruptive) {
            (WantedLevel::Level(level), _) => LicLevel::Level(level),
            (WantedLevel::Newest, false) => LicLevel::LatestConcurrent,
            (WantedLevel::Newest, true) => LicLevel::Latest,
        }
    }

    fn words(&self, concurrent: bool) -> String {
        match (self, concurrent) {
            (WantedLevel::Level(level), _) => format!("level {level}"),
            (WantedLevel::Newest, true) => "the newest concurrent level".to_string(),
            (WantedLevel::Newest, false) => "the newest level".to_string(),
        }
    }
}

/// Shuts one partition down and waits until it is Not Activated: through the OS when
/// RMC is active, else an immediate shutdown from the HMC.
fn shutdown_steps(hmc: &str, system: &str, lpar: &Lpar) -> Result<Vec<Step>, PlanError> {
    let rmc = lpar.rmc_state.as_ref() == Some(&RmcState::Active);
    let (op, why) = if rmc {
        (
            LparPowerOp::OsShutdown { immediate: false },
            format!(
                "shut {} down through its operating system (RMC is active)",
                lpar.name
            ),
        )
    } else {
        (
            LparPowerOp::Shutdown { immediate: true },
            format!(
                "stop {} at once from the HMC: without RMC its operating system cannot be asked to shut down",
                lpar.name
            ),
        )
    };
    Ok(vec![
        Step::new(
            hmc,
            StepKind::Change,
            commands::chsysstate_lpar(system, &lpar.name, op)?,
            why,
        ),
        Step::new(
            hmc,
            StepKind::Wait,
            commands::lssyscfg_lpar(system, &[lpar.name.as_str()], &["name", "state"])?,
            format!("{} is Not Activated", lpar.name),
        )
        .until(
            Condition::LparState {
                lpar: lpar.name.clone(),
                states: vec![LparState::NotActivated],
            },
            SHUTDOWN_TIMEOUT,
        ),
    ])
}

/// The one system called `name` (by name or MTMS).
fn find<'a>(view: EstateView<'a>, name: &str) -> Result<SystemRef<'a>, PlanError> {
    let found = view.find_system(name);
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(PlanError::not_found(format!(
            "no managed system called {name}"
        ))),
        many => Err(PlanError::invalid(format!(
            "{} systems are called {name} (on {}): name it by its MTMS (type-model*serial)",
            many.len(),
            many.iter().map(|s| s.hmc).collect::<Vec<_>>().join(", ")
        ))),
    }
}

fn show(level: Option<u32>) -> String {
    level.map_or("unknown".to_string(), |l| l.to_string())
}

/// `a is` / `a, b are`.
fn list_is(names: &[&str]) -> String {
    match names {
        [one] => format!("{one} is"),
        many => format!("{} are", many.join(", ")),
    }
}
