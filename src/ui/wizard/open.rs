//! Opening a wizard on the selected object: what it can act on, which systems could
//! take the partitions and why the others cannot — all from the snapshots on screen,
//! asked of the same plan builders that will build the plan.

use crate::estate::SourceKind;
use crate::estate::{NimObject, Wpar, WparState};
use crate::refresh::SourceData;
use crate::refresh::SourceSnapshot;
use crate::wizard::view::SystemRef;
use crate::wizard::{
    self, remote_restart, wpar_recovery, CleanupChoices, Disruptive, EstateView, FirmwareChoices,
    RemoteRestartChoices,
};

use super::{
    Choice, ChoiceValue, Facts, Fit, PartitionChoice, Stage, TargetChoice, Wizard, WizardKind,
};
use crate::ui::app::App;
use crate::ui::keymap::KeyAction;
use crate::ui::table::RowKey;
use crate::wizard::catalogue::WizardId;

/// Why no wizard opened: one line for the operator.
pub type OpenError = String;

/// The HMC snapshots, as the plan builders read them.
pub(super) fn hmc_snapshots(app: &App) -> Vec<SourceSnapshot> {
    app.snapshots
        .values()
        .filter(|s| s.kind == SourceKind::Hmc)
        .cloned()
        .collect()
}

/// Every source's snapshot (the WPAR and NIM plans read the AIX and NIM ones).
pub(crate) fn all_snapshots(app: &App) -> Vec<SourceSnapshot> {
    app.snapshots.values().cloned().collect()
}

/// Opens `kind`'s wizard on the selected row.
pub fn open(app: &App, kind: &WizardKind) -> Result<Wizard, OpenError> {
    let snapshots = hmc_snapshots(app);
    let view = EstateView::new(&snapshots);
    let everything = all_snapshots(app);
    let all = EstateView::new(&everything);
    match kind {
        WizardKind::Firmware { hmc, system } => open_firmware(view, hmc, system),
        WizardKind::FirmwareAccept { hmc, system } => open_firmware_accept(view, hmc, system),
        WizardKind::WparMove { host, wpar } => open_wpar_move(app, host, wpar),
        WizardKind::WparRecover { host, wpar } => open_wpar_recover(app, all, host, wpar),
        WizardKind::NimReset { master, client } => {
            let object = nim_object(app, master, client)?;
            if !object.is_stuck_machine() {
                return Err(format!(
                    "{client} is not stuck ({}): X resets a machine whose operation never finished",
                    cstate_words(object)
                ));
            }
            Ok(nim_wizard(
                kind.clone(),
                format!("Reset NIM client {client} ({master})"),
                vec![format!(
                    "{client} is {}: sample it twice to prove it stuck, then reset it, deallocate its resources, verify it is ready",
                    cstate_words(object)
                )],
                all,
            ))
        }
        WizardKind::NimSync { alternate: Some(name), master }
        | WizardKind::NimTakeover { from: Some(name), master }
            if nim_object(app, master, name)?.object_type != "alternate_master" =>
        {
            Err(format!(
                "{name} is not a NIM master: select the master object of {master} (or its alternate_master object)"
            ))
        }
        WizardKind::NimSync { master, alternate } => Ok(nim_wizard(
            kind.clone(),
            format!("Sync NIM master {master} to its alternate"),
            vec![format!(
                "nim -o sync on {master}: its database and resources are replicated to {}, once {master} is shown to control the clients and the resources' file systems exist there",
                alternate.as_deref().unwrap_or("its alternate master")
            )],
            all,
        )),
        WizardKind::NimTakeover { master, from } => Ok(nim_wizard(
            kind.clone(),
            format!("Takeover on NIM master {master}"),
            vec![format!(
                "nim -o takeover on {master}: it takes over the clients of {}, once that master is shown (or attested) down",
                from.as_deref().unwrap_or("the other master")
            )],
            all,
        )),
        WizardKind::NimadmPreflight { master, client } => {
            let object = nim_object(app, master, client)?;
            if object.object_type != "standalone" {
                return Err(format!(
                    "{client} is a {} object: the nimadm pre-flight is for a standalone client",
                    object.object_type
                ));
            }
            Ok(nim_wizard(
                kind.clone(),
                format!("nimadm pre-flight of {client} ({master})"),
                vec![format!(
                    "{client} is {}: check levels, filesets, disk, cache and remote execution, and remove /bos_inst only if it is a leftover",
                    cstate_words(object)
                )],
                all,
            ))
        }
        WizardKind::RemoteRestart { hmc, system } => open_remote_restart(view, hmc, system),
        WizardKind::Relocate { hmc, system, lpar } => open_relocate(view, hmc, system, lpar),
        WizardKind::Cleanup { hmc, system } => open_cleanup(view, hmc, system),
        WizardKind::Recovery | WizardKind::RecoveryChoice => {
            Err("a recovery plan opens from a halted run's summary".into())
        }
    }
}

/// The wizard a key asks for, on the selected row; an error says what to select.
pub fn kind_for(key: Option<&RowKey>, action: KeyAction) -> Result<WizardKind, OpenError> {
    match (action, key) {
        (KeyAction::Wizard(WizardId::RemoteRestart), Some(RowKey::System { hmc, system })) => {
            Ok(WizardKind::RemoteRestart {
                hmc: hmc.clone(),
                system: system.clone(),
            })
        }
        (KeyAction::Wizard(WizardId::Cleanup), Some(RowKey::System { hmc, system })) => {
            Ok(WizardKind::Cleanup {
                hmc: hmc.clone(),
                system: system.clone(),
            })
        }
        (KeyAction::Wizard(WizardId::Relocate), Some(RowKey::Lpar { hmc, system, name })) => {
            Ok(WizardKind::Relocate {
                hmc: hmc.clone(),
                system: system.clone(),
                lpar: name.clone(),
            })
        }
        (KeyAction::Wizard(WizardId::Firmware), Some(RowKey::System { hmc, system })) => {
            Ok(WizardKind::Firmware {
                hmc: hmc.clone(),
                system: system.clone(),
            })
        }
        (KeyAction::Wizard(WizardId::FirmwareAccept), Some(RowKey::System { hmc, system })) => {
            Ok(WizardKind::FirmwareAccept {
                hmc: hmc.clone(),
                system: system.clone(),
            })
        }
        (KeyAction::Wizard(WizardId::WparMove), Some(RowKey::Wpar { host, name })) => {
            Ok(WizardKind::WparMove {
                host: host.clone(),
                wpar: name.clone(),
            })
        }
        (KeyAction::Wizard(WizardId::WparRecover), Some(RowKey::Wpar { host, name })) => {
            Ok(WizardKind::WparRecover {
                host: host.clone(),
                wpar: name.clone(),
            })
        }
        (KeyAction::Wizard(WizardId::NimReset), Some(RowKey::Nim { master, name })) => {
            Ok(WizardKind::NimReset {
                master: master.clone(),
                client: name.clone(),
            })
        }
        (KeyAction::Wizard(WizardId::NimadmPreflight), Some(RowKey::Nim { master, name })) => {
            Ok(WizardKind::NimadmPreflight {
                master: master.clone(),
                client: name.clone(),
            })
        }
        (
            KeyAction::Wizard(WizardId::NimSync) | KeyAction::Wizard(WizardId::NimTakeover),
            Some(RowKey::Nim { master, name }),
        ) => {
            // The master object itself, or one alternate_master object to name it.
            let other = (name != "master").then(|| name.clone());
            Ok(if action == KeyAction::Wizard(WizardId::NimSync) {
                WizardKind::NimSync {
                    master: master.clone(),
                    alternate: other,
                }
            } else {
                WizardKind::NimTakeover {
                    master: master.clone(),
                    from: other,
                }
            })
        }
        (
            KeyAction::Wizard(WizardId::Firmware) | KeyAction::Wizard(WizardId::FirmwareAccept),
            _,
        ) => Err("Firmware: select a managed system first (systems view)".into()),
        (KeyAction::Wizard(WizardId::WparMove) | KeyAction::Wizard(WizardId::WparRecover), _) => {
            Err("Select a WPAR first (WPAR view)".into())
        }
        (
            KeyAction::Wizard(WizardId::NimReset)
            | KeyAction::Wizard(WizardId::NimSync)
            | KeyAction::Wizard(WizardId::NimTakeover)
            | KeyAction::Wizard(WizardId::NimadmPreflight),
            _,
        ) => Err("Select a NIM object first (NIM view)".into()),
        (KeyAction::Wizard(WizardId::Relocate), _) => {
            Err("Relocate: select a partition first (LPAR view)".into())
        }
        (KeyAction::Wizard(WizardId::Cleanup), _) => {
            Err("Cleanup: select a managed system first (systems view)".into())
        }
        _ => Err("Remote restart: select a failed managed system first (systems view)".into()),
    }
}

fn find<'a>(view: EstateView<'a>, hmc: &str, system: &str) -> Result<SystemRef<'a>, OpenError> {
    view.systems()
        .find(|s| s.hmc == hmc && s.system().name == system)
        .ok_or_else(|| format!("{system} is no longer reported by {hmc}"))
}

fn open_remote_restart(view: EstateView<'_>, hmc: &str, system: &str) -> Result<Wizard, OpenError> {
    let source = find(view, hmc, system)?;
    let state = &source.system().state;
    if !state.allows_remote_restart_from() {
        return Err(format!(
            "{system} is {state}: remote restart is for a failed system (Power Off, Error, No Connection ...); M relocates a partition of a running one"
        ));
    }
    let mut candidates = remote_restart::candidates(source);
    if candidates.is_empty() {
        return Err(format!(
            "nothing to restart: no partition of {system} is remote restart capable"
        ));
    }
    if candidates.iter().all(|c| c.blocked.is_some()) {
        return Err(format!(
            "nothing to restart: no partition of {system} can be restarted now ({})",
            candidates
                .iter()
                .map(|c| format!("{}: {}", c.name, c.blocked.as_deref().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    // Restart order: availability priority, highest first; those that cannot go last.
    candidates.sort_by_key(|c| c.blocked.is_some());
    let partitions: Vec<PartitionChoice> = candidates
        .into_iter()
        .map(|c| PartitionChoice {
            state: source
                .lpar(&c.name)
                .map_or(String::new(), |l| l.state.to_string()),
            chosen: c.blocked.is_none(),
            name: c.name,
            status: c.status,
            blocked: c.blocked,
        })
        .collect();
    let choices = RemoteRestartChoices {
        parallelism: super::DEFAULT_PARALLELISM,
        ..RemoteRestartChoices::default()
    };
    let targets = targets(view, source, |target| {
        if target.hmc != hmc {
            return Fit::No(format!(
                "on {}: remote restart stays on one HMC",
                target.hmc
            ));
        }
        match remote_restart::check_choices(view, system, &target.system().name, &choices) {
            Err(error) => Fit::No(error.reason),
            Ok(_) => Fit::Good(
                "Operating; supports the partitions' remote restart and processor modes".into(),
            ),
        }
    });
    if targets.is_empty() {
        return Err(format!("no other managed system on {hmc} to restart on"));
    }
    let mut wizard = Wizard::new(
        WizardKind::RemoteRestart {
            hmc: hmc.to_string(),
            system: system.to_string(),
        },
        format!("Remote restart from {system} ({hmc})"),
        Stage::Target,
    );
    let ready = partitions.iter().filter(|p| p.chosen).count();
    wizard.about = vec![format!(
        "{system} is {state}: {ready} of its {} remote-restart-capable partitions can restart now",
        partitions.len()
    )];
    wizard.targets = targets;
    wizard.partitions = partitions;
    Ok(wizard)
}

fn open_relocate(
    view: EstateView<'_>,
    hmc: &str,
    system: &str,
    lpar: &str,
) -> Result<Wizard, OpenError> {
    let source = find(view, hmc, system)?;
    let about = match source.lpar(lpar) {
        Some(partition) => format!(
            "{lpar} is {} on {system} ({}); it moves {}",
            partition.state,
            source.system().state,
            if partition.state == crate::estate::LparState::Running {
                "while running (active partition mobility)"
            } else {
                "while shut down (inactive partition mobility)"
            }
        ),
        None => format!("{lpar} is no longer reported on {system}"),
    };
    let targets = targets(view, source, |target| {
        if target.hmc != hmc {
            return Fit::No(format!("on {}: relocation stays on one HMC", target.hmc));
        }
        match wizard::relocate(view, lpar, &target.system().name) {
            Err(error) => Fit::No(error.reason),
            Ok(_) => Fit::Good("Operating".into()),
        }
    });
    let same_hmc: Vec<&TargetChoice> = targets.iter().filter(|t| t.hmc == hmc).collect();
    let Some(first) = same_hmc.first() else {
        return Err(format!(
            "no other managed system on {hmc} to move {lpar} to"
        ));
    };
    // A reason that rules out every system is about the partition, not the targets.
    if !targets.iter().any(|t| t.fit.possible())
        && same_hmc.iter().all(|t| t.fit.note() == first.fit.note())
    {
        return Err(format!("Relocate {lpar}: {}", first.fit.note()));
    }
    let mut wizard = Wizard::new(
        WizardKind::Relocate {
            hmc: hmc.to_string(),
            system: system.to_string(),
            lpar: lpar.to_string(),
        },
        format!("Relocate {lpar} from {system} ({hmc})"),
        Stage::Target,
    );
    wizard.about = vec![about];
    wizard.targets = targets;
    Ok(wizard)
}

fn open_cleanup(view: EstateView<'_>, hmc: &str, system: &str) -> Result<Wizard, OpenError> {
    let found = find(view, hmc, system)?;
    if wizard::cleanup::needs_cleanup(view, system).is_empty() {
        return Err(format!(
            "nothing to clean up on {system}: no remotely restarted copy, no failed migration"
        ));
    }
    wizard::cleanup(view, system, CleanupChoices::default())
        .map_err(|error| format!("Cleanup: {error}"))?;
    let mut wizard = Wizard::new(
        WizardKind::Cleanup {
            hmc: hmc.to_string(),
            system: system.to_string(),
        },
        format!("Clean up {system} ({hmc})"),
        Stage::Options,
    );
    let lpars = &found.data.lpars;
    let restarted: Vec<&str> = lpars
        .iter()
        .filter(|l| {
            l.remote_restart_status
                .as_ref()
                .is_some_and(|s| s.needs_cleanup())
        })
        .map(|l| l.name.as_str())
        .collect();
    let migrated: Vec<&str> = lpars
        .iter()
        .filter(|l| {
            l.migration_state
                .as_ref()
                .is_some_and(|s| s.needs_recovery())
        })
        .map(|l| l.name.as_str())
        .collect();
    let list = |names: &[&str]| {
        if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        }
    };
    let with_device = lpars
        .iter()
        .any(|l| restarted.contains(&l.name.as_str()) && l.needs_reserved_storage());
    wizard.about = vec![
        format!("{system} is {}", found.system().state),
        format!(
            "stale copies of partitions restarted elsewhere: {}",
            list(&restarted)
        ),
        format!("failed migrations to recover: {}", list(&migrated)),
        if with_device {
            "--retaindev applies to the PowerVM remote restart partitions (reserved storage)"
                .to_string()
        } else {
            "--retaindev does not apply: simplified remote restart keeps its data on the HMC, not on a reserved storage device".to_string()
        },
    ];
    Ok(wizard)
}

/// Every other system, each with its fit: the ones that fit first, the same HMC before
/// others, then by name. The first is the default choice.
fn targets<'a>(
    view: EstateView<'a>,
    source: SystemRef<'a>,
    fit: impl Fn(SystemRef<'a>) -> Fit,
) -> Vec<TargetChoice> {
    let mut targets: Vec<TargetChoice> = view
        .systems()
        .filter(|s| !(s.hmc == source.hmc && s.system().name == source.system().name))
        .map(|s| TargetChoice {
            system: s.system().name.clone(),
            hmc: s.hmc.to_string(),
            state: s.system().state.clone(),
            fit: fit(s),
        })
        .collect();
    let rank = |fit: &Fit| match fit {
        Fit::Good(_) => 0,
        Fit::Doubtful(_) => 1,
        Fit::No(_) => 2,
    };
    targets.sort_by(|a, b| {
        rank(&a.fit)
            .cmp(&rank(&b.fit))
            .then_with(|| (a.hmc != source.hmc).cmp(&(b.hmc != source.hmc)))
            .then_with(|| a.hmc.cmp(&b.hmc))
            .then_with(|| a.system.cmp(&b.system))
    });
    targets
}

/// A wizard whose plan is built as it opens (nothing to choose first).
/// A NIM wizard on its plan screen: reading its facts first when it needs any (the
/// plan is built when they are in), else planned at once.
fn nim_wizard(kind: WizardKind, title: String, about: Vec<String>, view: EstateView<'_>) -> Wizard {
    let mut wizard = Wizard::new(kind, title, Stage::Plan);
    wizard.about = about;
    let query = wizard
        .request()
        .and_then(|request| Ok((request.facts_query(view)?, request)));
    match query {
        Ok((Some(query), _)) => wizard.reading = Some(query),
        Ok((None, request)) => wizard.plan = Some(request.build(view, &Facts::None)),
        Err(error) => wizard.plan = Some(Err(error)),
    }
    wizard
}

fn plan_now(
    kind: WizardKind,
    title: String,
    about: Vec<String>,
    plan: Result<wizard::Plan, wizard::PlanError>,
) -> Wizard {
    let mut wizard = Wizard::new(kind, title, Stage::Plan);
    wizard.about = about;
    wizard.plan = Some(plan);
    wizard
}

/// The NIM object `name` of master `master`.
pub(crate) fn nim_object<'a>(
    app: &'a App,
    master: &str,
    name: &str,
) -> Result<&'a NimObject, OpenError> {
    match app.snapshots.get(master).map(|s| &s.data) {
        Some(SourceData::Nim(objects)) => objects
            .iter()
            .find(|o| o.name == name)
            .ok_or_else(|| format!("{name} is no longer reported by {master}")),
        _ => Err(format!("{master} has reported no NIM objects")),
    }
}

fn cstate_words(object: &NimObject) -> String {
    object
        .cstate
        .as_ref()
        .map_or("in no known Cstate".to_string(), |c| c.to_string())
}

/// The WPAR `name` of AIX global `host`.
pub(crate) fn wpar_of<'a>(app: &'a App, host: &str, name: &str) -> Result<&'a Wpar, OpenError> {
    match app.snapshots.get(host).map(|s| &s.data) {
        Some(SourceData::Aix(wpars)) => wpars
            .iter()
            .find(|w| w.name == name)
            .ok_or_else(|| format!("{name} is no longer reported by {host}")),
        _ => Err(format!("{host} has reported no WPARs")),
    }
}

fn open_firmware(view: EstateView<'_>, hmc: &str, system: &str) -> Result<Wizard, OpenError> {
    let source = find(view, hmc, system)?;
    let levels = source.system().firmware.as_ref();
    let level = |l: Option<u32>| l.map_or("?".to_string(), |l| l.to_string());
    let running: Vec<&str> = source
        .data
        .lpars
        .iter()
        .filter(|l| !l.lpar_env.is_vios() && l.state == crate::estate::LparState::Running)
        .map(|l| l.name.as_str())
        .collect();
    let repository = wizard::FirmwareRepo::default();
    let fit = |disruptive: Option<Disruptive>| match wizard::firmware::check_choices(
        view,
        system,
        &FirmwareChoices {
            repository: repository.clone(),
            disruptive,
            ..FirmwareChoices::default()
        },
    ) {
        Ok(_) => (true, String::new()),
        Err(error) => (false, error.reason),
    };
    let mut choices = Vec::new();
    let mut push = |label: String, value: ChoiceValue, disruptive: Option<Disruptive>, ok: &str| {
        let (possible, why) = fit(disruptive);
        choices.push(Choice {
            label,
            note: if possible { ok.to_string() } else { why },
            possible,
            value,
        });
    };
    push(
        "concurrent".to_string(),
        ChoiceValue::Concurrent,
        None,
        "partitions keep running (-l latestconcurrent)",
    );
    for target in view
        .systems()
        .filter(|s| s.hmc == hmc && s.system().name != system)
    {
        let name = target.system().name.clone();
        push(
            format!("disruptive, evacuate to {name}"),
            ChoiceValue::Evacuate(name.clone()),
            Some(Disruptive::Evacuate {
                target: name,
                shutdown: Vec::new(),
            }),
            "running partitions move there first (LPM), then the system powers off",
        );
    }
    push(
        "disruptive, shut down".to_string(),
        ChoiceValue::Shutdown,
        Some(Disruptive::Shutdown),
        "running partitions are shut down first, then the system powers off",
    );
    push(
        "disruptive".to_string(),
        ChoiceValue::PowerOff,
        Some(Disruptive::PowerOff),
        "no client partition runs: the system powers off as it is",
    );
    let mut wizard = Wizard::new(
        WizardKind::Firmware {
            hmc: hmc.to_string(),
            system: system.to_string(),
        },
        format!("Firmware update of {system} ({hmc})"),
        Stage::Choose,
    );
    wizard.about = vec![
        format!(
            "{system} is {}; firmware {} activated, {} installed, {} accepted",
            source.system().state,
            level(levels.and_then(|l| l.activated_level)),
            level(levels.and_then(|l| l.installed_level)),
            level(levels.and_then(|l| l.accepted_level)),
        ),
        format!(
            "repository: ibmwebsite; running client partitions: {}",
            if running.is_empty() {
                "none".to_string()
            } else {
                running.join(", ")
            }
        ),
    ];
    wizard.choice = choices.iter().position(|c| c.possible).unwrap_or(0);
    wizard.choices = choices;
    Ok(wizard)
}

fn open_firmware_accept(
    view: EstateView<'_>,
    hmc: &str,
    system: &str,
) -> Result<Wizard, OpenError> {
    let source = find(view, hmc, system)?;
    let Some(levels) = source.system().firmware.as_ref() else {
        return Err(format!(
            "the firmware levels of {system} are not known (lslic): refresh and try again"
        ));
    };
    if !levels.awaiting_accept() {
        return Err(format!(
            "nothing to accept on {system}: the activated level is the accepted one"
        ));
    }
    let level = |l: Option<u32>| l.map_or("?".to_string(), |l| l.to_string());
    Ok(plan_now(
        WizardKind::FirmwareAccept {
            hmc: hmc.to_string(),
            system: system.to_string(),
        },
        format!("Accept the firmware of {system} ({hmc})"),
        vec![format!(
            "{system}: level {} is activated, {} accepted; accepting makes {} the fallback",
            level(levels.activated_level),
            level(levels.accepted_level),
            level(levels.activated_level),
        )],
        wizard::firmware_accept(view, system),
    ))
}

fn open_wpar_move(app: &App, host: &str, wpar: &str) -> Result<Wizard, OpenError> {
    let found = wpar_of(app, host, wpar)?;
    let choices: Vec<Choice> = app
        .snapshots
        .values()
        .filter(|s| s.kind == SourceKind::Aix && s.name != host)
        .map(|s| {
            let (possible, note) = match (&s.data, s.error.as_deref()) {
                (SourceData::Aix(wpars), _) if wpars.iter().any(|w| w.name == wpar) => {
                    (false, format!("{wpar} is already there"))
                }
                (SourceData::Aix(wpars), None) => {
                    (true, format!("AIX global, {} WPARs", wpars.len()))
                }
                (_, Some(error)) => (false, format!("not answering: {error}")),
                _ => (false, "not read yet".to_string()),
            };
            Choice {
                label: s.name.clone(),
                note,
                possible,
                value: ChoiceValue::Host(s.name.clone()),
            }
        })
        .collect();
    if choices.is_empty() {
        return Err(format!("no other AIX global to move {wpar} to"));
    }
    let mut wizard = Wizard::new(
        WizardKind::WparMove {
            host: host.to_string(),
            wpar: wpar.to_string(),
        },
        format!("Move WPAR {wpar} from {host}"),
        Stage::Choose,
    );
    wizard.about = vec![
        format!(
            "{wpar} is {} on {host}: stop, savewpar to the shared directory, restwpar on the target",
            found.state
        ),
        "levels and sizes are read (read-only) once the target is chosen".to_string(),
    ];
    wizard.choice = choices.iter().position(|c| c.possible).unwrap_or(0);
    wizard.choices = choices;
    Ok(wizard)
}

fn open_wpar_recover(
    app: &App,
    view: EstateView<'_>,
    host: &str,
    wpar: &str,
) -> Result<Wizard, OpenError> {
    let found = wpar_of(app, host, wpar)?;
    if !found.state.is_stuck() {
        return Err(format!(
            "{wpar} is {} on {host}: X recovers a WPAR stuck in T or Broken",
            found.state
        ));
    }
    wpar_recovery::wpar_directory(view, host, wpar).map_err(|error| error.reason)?;
    let broken = found.state == WparState::Broken;
    let mut choices = vec![
        Choice {
            label: "to Defined".to_string(),
            note: "no holder (fuser), umount what the global left, stopwpar -F, verify Defined"
                .to_string(),
            possible: true,
            value: ChoiceValue::Recover {
                start: false,
                recreate: false,
            },
        },
        Choice {
            label: "to Active".to_string(),
            note: "the same, then startwpar and verify Active".to_string(),
            possible: true,
            value: ChoiceValue::Recover {
                start: true,
                recreate: false,
            },
        },
    ];
    if broken {
        choices.push(Choice {
            label: "recreate".to_string(),
            note:
                "last rung: back it up, recreate it from its specification (typed apart), start it"
                    .to_string(),
            possible: true,
            value: ChoiceValue::Recover {
                start: true,
                recreate: true,
            },
        });
    }
    let mut wizard = Wizard::new(
        WizardKind::WparRecover {
            host: host.to_string(),
            wpar: wpar.to_string(),
        },
        format!("Recover WPAR {wpar} on {host}"),
        Stage::Choose,
    );
    wizard.about = vec![
        format!("{wpar} is {} on {host}", found.state),
        "what is mounted under it, what holds it and what is full are read (read-only) before the plan".to_string(),
    ];
    wizard.choices = choices;
    Ok(wizard)
}
