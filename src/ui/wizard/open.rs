//! Opening a wizard on the selected object: what it can act on, which systems could
//! take the partitions and why the others cannot — all from the snapshots on screen,
//! asked of the same plan builders that will build the plan.

use crate::config::SourceKind;
use crate::refresh::SourceSnapshot;
use crate::wizard::view::SystemRef;
use crate::wizard::{self, remote_restart, CleanupChoices, EstateView, RemoteRestartChoices};

use super::{Fit, PartitionChoice, Stage, TargetChoice, Wizard, WizardKind};
use crate::ui::app::App;
use crate::ui::keymap::KeyAction;
use crate::ui::table::RowKey;

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

/// Opens `kind`'s wizard on the selected row.
pub fn open(app: &App, kind: &WizardKind) -> Result<Wizard, OpenError> {
    let snapshots = hmc_snapshots(app);
    let view = EstateView::new(&snapshots);
    match kind {
        WizardKind::RemoteRestart { hmc, system } => open_remote_restart(view, hmc, system),
        WizardKind::Relocate { hmc, system, lpar } => open_relocate(view, hmc, system, lpar),
        WizardKind::Cleanup { hmc, system } => open_cleanup(view, hmc, system),
        WizardKind::Recovery => Err("a recovery plan opens from a halted run's summary".into()),
    }
}

/// The wizard a key asks for, on the selected row; an error says what to select.
pub fn kind_for(key: Option<&RowKey>, action: KeyAction) -> Result<WizardKind, OpenError> {
    match (action, key) {
        (KeyAction::RemoteRestart, Some(RowKey::System { hmc, system })) => {
            Ok(WizardKind::RemoteRestart {
                hmc: hmc.clone(),
                system: system.clone(),
            })
        }
        (KeyAction::Cleanup, Some(RowKey::System { hmc, system })) => Ok(WizardKind::Cleanup {
            hmc: hmc.clone(),
            system: system.clone(),
        }),
        (KeyAction::Relocate, Some(RowKey::Lpar { hmc, system, name })) => {
            Ok(WizardKind::Relocate {
                hmc: hmc.clone(),
                system: system.clone(),
                lpar: name.clone(),
            })
        }
        (KeyAction::Relocate, _) => Err("Relocate: select a partition first (LPAR view)".into()),
        (KeyAction::Cleanup, _) => {
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
    // The builder's own order when no priorities are given: by name, restartable first.
    candidates.sort_by(|a, b| {
        a.blocked
            .is_some()
            .cmp(&b.blocked.is_some())
            .then_with(|| a.name.cmp(&b.name))
    });
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
    let needs_srr = partitions.iter().filter(|p| p.chosen).any(|p| {
        source
            .lpar(&p.name)
            .is_some_and(|l| l.simplified_remote_restart_capable)
    });
    let needs_rr = partitions.iter().filter(|p| p.chosen).any(|p| {
        source
            .lpar(&p.name)
            .is_some_and(|l| l.needs_reserved_storage())
    });
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
        match wizard::remote_restart(view, system, &target.system().name, &choices) {
            Err(error) => Fit::No(error.0),
            Ok(_) => {
                let caps = &target.system().capabilities;
                if needs_srr && caps.simplified_remote_restart == Some(false) {
                    Fit::Doubtful(
                        "not simplified-remote-restart capable: the HMC's validation is likely to refuse"
                            .into(),
                    )
                } else if needs_rr && caps.remote_restart == Some(false) {
                    Fit::Doubtful(
                        "not remote-restart capable: the HMC's validation is likely to refuse"
                            .into(),
                    )
                } else if needs_srr {
                    Fit::Good("Operating, simplified remote restart capable".into())
                } else {
                    Fit::Good("Operating".into())
                }
            }
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
            Err(error) => Fit::No(error.0),
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
    wizard.about = vec![
        format!("{system} is {}", found.system().state),
        format!(
            "stale copies of partitions restarted elsewhere: {}",
            list(&restarted)
        ),
        format!("failed migrations to recover: {}", list(&migrated)),
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
