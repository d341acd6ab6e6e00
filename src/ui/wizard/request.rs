//! A console wizard's choices as the catalogue's [`Request`]: the one place the screens'
//! state becomes what `plan` would be given on the command line.

use super::{ChoiceValue, Wizard, WizardKind};
use crate::wizard::catalogue::Request;
use crate::wizard::{
    CleanupChoices, Disruptive, FirmwareChoices, FirmwareRepo, NimSyncChoices, NimadmChoices,
    PlanError, RemoteRestartChoices, WparMoveChoices, WparRecoveryChoices,
};

impl Wizard {
    /// The catalogue request for what has been chosen so far.
    pub fn request(&self) -> Result<Request, PlanError> {
        let target = || {
            self.chosen_target()
                .map(|t| t.system.clone())
                .ok_or_else(|| PlanError::invalid("no target chosen"))
        };
        let chosen = self.chosen().map(|choice| &choice.value);
        Ok(match &self.kind {
            WizardKind::RemoteRestart { system, .. } => {
                let lpars: Vec<String> = self
                    .partitions
                    .iter()
                    .filter(|p| p.chosen)
                    .map(|p| p.name.clone())
                    .collect();
                Request::RemoteRestart {
                    from: system.clone(),
                    to: target()?,
                    choices: RemoteRestartChoices {
                        order: lpars.clone(),
                        lpars,
                        parallelism: self.parallelism,
                    },
                }
            }
            WizardKind::Relocate { lpar, .. } => Request::Relocate {
                lpar: lpar.clone(),
                to: target()?,
            },
            WizardKind::Cleanup { system, .. } => Request::Cleanup {
                system: system.clone(),
                choices: CleanupChoices {
                    retain_devices: self.retain_devices,
                },
            },
            WizardKind::Firmware { system, .. } => Request::Firmware {
                system: system.clone(),
                choices: FirmwareChoices {
                    level: None,
                    repository: FirmwareRepo::default(),
                    disruptive: match chosen {
                        Some(ChoiceValue::Evacuate(target)) => Some(Disruptive::Evacuate {
                            target: target.clone(),
                            shutdown: Vec::new(),
                        }),
                        Some(ChoiceValue::Shutdown) => Some(Disruptive::Shutdown),
                        Some(ChoiceValue::PowerOff) => Some(Disruptive::PowerOff),
                        _ => None,
                    },
                    ..FirmwareChoices::default()
                },
            },
            WizardKind::FirmwareAccept { system, .. } => Request::FirmwareAccept {
                system: system.clone(),
            },
            WizardKind::WparMove { host, wpar } => {
                let Some(ChoiceValue::Host(to)) = chosen else {
                    return Err(PlanError::invalid("no target chosen"));
                };
                Request::WparMove {
                    wpar: wpar.clone(),
                    from: host.clone(),
                    to: to.clone(),
                    choices: WparMoveChoices::default(),
                }
            }
            WizardKind::WparRecover { host, wpar } => {
                let (start, recreate) = match chosen {
                    Some(ChoiceValue::Recover { start, recreate }) => (*start, *recreate),
                    _ => (false, false),
                };
                Request::WparRecover {
                    host: host.clone(),
                    wpar: wpar.clone(),
                    choices: WparRecoveryChoices {
                        unmount: Vec::new(),
                        start,
                        recreate,
                    },
                }
            }
            WizardKind::NimReset { master, client } => Request::NimReset {
                master: master.clone(),
                client: client.clone(),
            },
            WizardKind::NimSync { master, alternate } => Request::NimSync {
                master: master.clone(),
                choices: NimSyncChoices {
                    alternate: alternate.clone(),
                    reset_clients: false,
                },
            },
            WizardKind::NimTakeover { master, from } => Request::NimTakeover {
                alternate: master.clone(),
                from: from.clone(),
            },
            WizardKind::NimadmPreflight { master, client } => Request::NimadmPreflight {
                master: master.clone(),
                client: client.clone(),
                choices: NimadmChoices::default(),
            },
            WizardKind::Recovery | WizardKind::RecoveryChoice => {
                return Err(PlanError::invalid(
                    "a recovery plan is built from a halted run, not from choices",
                ))
            }
        })
    }
}
