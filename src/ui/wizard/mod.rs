//! The wizards in the console: remote restart, relocation and cleanup as a short stack
//! of screens over the current view.
//!
//! Every wizard ends the same way: the whole plan on screen, a typed confirmation (the
//! name of what is at stake), then the run with live progress and a summary. Cancel is
//! always the way out: Esc steps back, Enter only moves forward to the next screen, and
//! nothing reaches a host before the name is typed. The plan is built once, from the
//! snapshots on screen, by the pure builders of [`crate::wizard`]; the executor runs it
//! off the render path (see [`super::services`]) and reports back as actions.

mod flow;
mod open;
mod progress;
mod request;

use ratatui::crossterm::event::KeyCode;

use crate::estate::SystemState;
pub use crate::wizard::catalogue::{Facts, FactsQuery};
use crate::wizard::{Plan, PlanError};

use super::keymap::Key;

pub use flow::{
    exec_event, facts_read, input, key, open_from_key, run_ended, text_accept, text_edit,
};
pub use open::{kind_for, open, OpenError};
pub use progress::{partition_progress, PartitionProgress, Run, StepProgress, StepStatus};

/// What the wizard does, and to what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WizardKind {
    /// Restart the partitions of a failed system on a healthy one.
    RemoteRestart {
        /// The HMC managing both.
        hmc: String,
        /// The failed system.
        system: String,
    },
    /// Move a partition to another system.
    Relocate {
        /// The HMC managing the partition's system.
        hmc: String,
        /// Where the partition is now.
        system: String,
        /// The partition.
        lpar: String,
    },
    /// Remove stale copies and recover failed migrations on a system that is back.
    Cleanup {
        /// The HMC.
        hmc: String,
        /// The system.
        system: String,
    },
    /// Update a managed system's firmware.
    Firmware {
        /// The HMC.
        hmc: String,
        /// The system.
        system: String,
    },
    /// Accept the activated firmware level of a managed system.
    FirmwareAccept {
        /// The HMC.
        hmc: String,
        /// The system.
        system: String,
    },
    /// Move a system WPAR to another AIX global.
    WparMove {
        /// The AIX global it runs on.
        host: String,
        /// The WPAR.
        wpar: String,
    },
    /// Recover a WPAR stuck in T or Broken.
    WparRecover {
        /// The AIX global.
        host: String,
        /// The WPAR.
        wpar: String,
    },
    /// Reset and deallocate a stuck NIM client.
    NimReset {
        /// The NIM master.
        master: String,
        /// The client.
        client: String,
    },
    /// Synchronise a NIM master to its alternate.
    NimSync {
        /// The primary master.
        master: String,
        /// The alternate_master object, when one was selected.
        alternate: Option<String>,
    },
    /// Take over the clients of the other master on this alternate master.
    NimTakeover {
        /// The alternate master (the NIM source) that takes over.
        master: String,
        /// The alternate_master object of the old master, when one was selected.
        from: Option<String>,
    },
    /// nimadm pre-flight of a standalone NIM client.
    NimadmPreflight {
        /// The NIM master.
        master: String,
        /// The client.
        client: String,
    },
    /// The recovery branch of a halted run, as a plan of its own.
    Recovery,
    /// The ways out a halted run offers for the state it re-read: one is chosen, then
    /// shown as a plan of its own.
    RecoveryChoice,
}

impl WizardKind {
    /// The screens this wizard goes through, in order.
    pub fn stages(&self) -> &'static [Stage] {
        match self {
            WizardKind::RemoteRestart { .. } => &[
                Stage::Target,
                Stage::Partitions,
                Stage::Plan,
                Stage::Confirm,
                Stage::Running,
            ],
            WizardKind::Relocate { .. } => {
                &[Stage::Target, Stage::Plan, Stage::Confirm, Stage::Running]
            }
            WizardKind::Cleanup { .. } => {
                &[Stage::Options, Stage::Plan, Stage::Confirm, Stage::Running]
            }
            WizardKind::Firmware { .. }
            | WizardKind::WparMove { .. }
            | WizardKind::WparRecover { .. }
            | WizardKind::RecoveryChoice => {
                &[Stage::Choose, Stage::Plan, Stage::Confirm, Stage::Running]
            }
            WizardKind::Recovery
            | WizardKind::FirmwareAccept { .. }
            | WizardKind::NimReset { .. }
            | WizardKind::NimSync { .. }
            | WizardKind::NimTakeover { .. }
            | WizardKind::NimadmPreflight { .. } => &[Stage::Plan, Stage::Confirm, Stage::Running],
        }
    }
}

/// One screen of a wizard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Pick the system that takes the partitions.
    Target,
    /// Remote restart: which partitions, in which order, how many at once.
    Partitions,
    /// Cleanup: keep the reserved storage devices or not.
    Options,
    /// Pick one of a list: how a firmware update treats the partitions, the AIX global
    /// a WPAR moves to, how a stuck WPAR is recovered.
    Choose,
    /// The whole plan, every step.
    Plan,
    /// Type the name to run it.
    Confirm,
    /// The plan runs.
    Running,
    /// The run ended: what ran, what did not, what to do next.
    Finished,
}

impl Stage {
    /// The screen's name in the title.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Target => "target",
            Stage::Partitions => "partitions",
            Stage::Options => "options",
            Stage::Choose => "choose",
            Stage::Plan => "plan",
            Stage::Confirm => "confirm",
            Stage::Running => "running",
            Stage::Finished => "summary",
        }
    }
}

/// How well a system fits as a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fit {
    /// It can take them.
    Good(String),
    /// The plan can be built, but the HMC's validation is likely to refuse.
    Doubtful(String),
    /// It cannot: why.
    No(String),
}

impl Fit {
    /// True unless the plan cannot be built for it.
    pub fn possible(&self) -> bool {
        !matches!(self, Fit::No(_))
    }

    /// The note shown next to the system.
    pub fn note(&self) -> &str {
        match self {
            Fit::Good(note) | Fit::Doubtful(note) | Fit::No(note) => note,
        }
    }
}

/// A system the partitions could go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetChoice {
    /// Its name.
    pub system: String,
    /// Its HMC.
    pub hmc: String,
    /// Its state.
    pub state: SystemState,
    /// Whether it can take them.
    pub fit: Fit,
}

/// A partition of the failed system, for the remote restart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionChoice {
    /// Its name.
    pub name: String,
    /// Its `remote_restart_status`.
    pub status: String,
    /// Its state on the failed system.
    pub state: String,
    /// Why it cannot be restarted now, if it cannot.
    pub blocked: Option<String>,
    /// It is to be restarted.
    pub chosen: bool,
}

/// What a [`Choice`] stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChoiceValue {
    /// Firmware: a concurrent update.
    Concurrent,
    /// Firmware: disruptive, no client partition runs.
    PowerOff,
    /// Firmware: disruptive, shut the running partitions down first.
    Shutdown,
    /// Firmware: disruptive, relocate the running partitions to this system first.
    Evacuate(String),
    /// WPAR move: the AIX global it goes to.
    Host(String),
    /// WPAR recovery: start it at the end; recreate it from its specification.
    Recover {
        /// Start it and verify Active.
        start: bool,
        /// Recreate it (Broken, damaged infrastructure).
        recreate: bool,
    },
    /// After a halt: one of the ways out the re-read state allows, as its plan.
    Offer(Box<Plan>),
}

/// One line of a [`Stage::Choose`] list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// What it is.
    pub label: String,
    /// Why it can or cannot be chosen.
    pub note: String,
    /// A plan can be built with it (or it needs facts read first).
    pub possible: bool,
    /// What it stands for.
    pub value: ChoiceValue,
}

/// A wizard in progress.
#[derive(Debug, Clone)]
pub struct Wizard {
    /// What it does.
    pub kind: WizardKind,
    /// One line naming it (`Remote restart from s824-01 (hmc01)`).
    pub title: String,
    /// What the operator should know first, one line each (the source's state, what
    /// can go, what is to be cleaned up).
    pub about: Vec<String>,
    /// The screen shown.
    pub stage: Stage,
    /// Screens to go back to with Esc, most recent last.
    pub back: Vec<Stage>,
    /// Systems that could take the partitions (relocation, remote restart).
    pub targets: Vec<TargetChoice>,
    /// The highlighted (and chosen) target.
    pub target: usize,
    /// Remote restart: the partitions, in restart order.
    pub partitions: Vec<PartitionChoice>,
    /// The highlighted partition.
    pub partition: usize,
    /// Remote restart: how many restart at once.
    pub parallelism: usize,
    /// Cleanup: `--retaindev`.
    pub retain_devices: bool,
    /// The plan, once built (or why it cannot be).
    pub plan: Option<Result<Plan, PlanError>>,
    /// First line of the plan or summary shown.
    pub scroll: usize,
    /// What has been typed into the confirmation.
    pub typed: String,
    /// The plan's attestation, once typed (asked before the confirmation).
    pub attested: Option<String>,
    /// The run, once confirmed.
    pub run: Option<Run>,
    /// Put aside while its plan runs (the console is usable meanwhile).
    pub hidden: bool,
    /// The list of a [`Stage::Choose`] screen.
    pub choices: Vec<Choice>,
    /// The highlighted (and chosen) line of that list.
    pub choice: usize,
    /// Facts being read for the plan (the plan screen says `reading…` meanwhile).
    pub reading: Option<FactsQuery>,
    /// Facts read for the plan.
    pub facts: Option<Facts>,
}

pub use crate::wizard::catalogue::DEFAULT_PARALLELISM;
/// Most partitions the console restarts at once.
pub const MAX_PARALLELISM: usize = 16;

impl Wizard {
    fn new(kind: WizardKind, title: String, stage: Stage) -> Wizard {
        Wizard {
            kind,
            title,
            about: Vec::new(),
            stage,
            back: Vec::new(),
            targets: Vec::new(),
            target: 0,
            partitions: Vec::new(),
            partition: 0,
            parallelism: DEFAULT_PARALLELISM,
            retain_devices: false,
            plan: None,
            scroll: 0,
            typed: String::new(),
            attested: None,
            run: None,
            hidden: false,
            choices: Vec::new(),
            choice: 0,
            reading: None,
            facts: None,
        }
    }

    /// A wizard that shows, confirms and runs `plan` (a recovery branch).
    pub fn for_plan(kind: WizardKind, plan: Plan) -> Wizard {
        let mut wizard = Wizard::new(kind, plan.title.clone(), Stage::Plan);
        wizard.plan = Some(Ok(plan));
        wizard
    }

    /// The plan, when it could be built.
    pub fn plan(&self) -> Option<&Plan> {
        self.plan.as_ref().and_then(|plan| plan.as_ref().ok())
    }

    /// The chosen line of a [`Stage::Choose`] list.
    pub fn chosen(&self) -> Option<&Choice> {
        self.choices.get(self.choice)
    }

    /// The chosen target.
    pub fn chosen_target(&self) -> Option<&TargetChoice> {
        self.targets.get(self.target)
    }

    /// A plan is running (neither confirmed-and-ended nor not yet started).
    pub fn running(&self) -> bool {
        self.run.as_ref().is_some_and(|run| run.summary.is_none())
    }

    /// `2/5` : where this screen is in the wizard.
    pub fn position(&self) -> String {
        let stages = self.kind.stages();
        let stage = if self.stage == Stage::Finished {
            Stage::Running
        } else {
            self.stage
        };
        let at = stages.iter().position(|s| *s == stage).unwrap_or(0) + 1;
        format!("{at}/{}", stages.len())
    }
}

/// What a key does on a wizard screen (besides moving: the key map's up/down keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WizardInput {
    /// Enter: the next screen (never runs anything by itself).
    Next,
    /// Esc: the previous screen; cancels on the first.
    Back,
    /// Space: include or skip a partition; switch `--retaindev`.
    Toggle,
    /// Move the highlighted partition up the restart order.
    MoveUp,
    /// Move the highlighted partition down the restart order.
    MoveDown,
    /// Fewer restarts at once.
    Fewer,
    /// More restarts at once.
    More,
    /// After a halt: show the recovery branch as a plan of its own (or the ways out
    /// the re-read state allows, to choose one).
    Recovery,
}

/// The wizard's own keys: (key, what it does, on which screens, help text). The key
/// map's up/down, help and quit keys work too; Enter and Esc also follow the key map's
/// `open` and `back`.
pub const WIZARD_KEYS: &[(Key, WizardInput, &[Stage], &str)] = &[
    (
        Key::plain(KeyCode::Enter),
        WizardInput::Next,
        &[
            Stage::Target,
            Stage::Partitions,
            Stage::Options,
            Stage::Choose,
            Stage::Plan,
            Stage::Finished,
        ],
        "next screen (runs nothing)",
    ),
    (
        Key::plain(KeyCode::Esc),
        WizardInput::Back,
        &[
            Stage::Target,
            Stage::Partitions,
            Stage::Options,
            Stage::Choose,
            Stage::Plan,
            Stage::Running,
            Stage::Finished,
        ],
        "back; cancel on the first screen",
    ),
    (
        Key::char(' '),
        WizardInput::Toggle,
        &[Stage::Partitions, Stage::Options],
        "include or skip a partition; --retaindev on/off",
    ),
    (
        Key::char('K'),
        WizardInput::MoveUp,
        &[Stage::Partitions],
        "restart the partition earlier",
    ),
    (
        Key::char('-'),
        WizardInput::MoveUp,
        &[Stage::Partitions],
        "restart the partition earlier",
    ),
    (
        Key::char('J'),
        WizardInput::MoveDown,
        &[Stage::Partitions],
        "restart the partition later",
    ),
    (
        Key::char('+'),
        WizardInput::MoveDown,
        &[Stage::Partitions],
        "restart the partition later",
    ),
    (
        Key::char('<'),
        WizardInput::Fewer,
        &[Stage::Partitions],
        "fewer restarts at once",
    ),
    (
        Key::char('>'),
        WizardInput::More,
        &[Stage::Partitions],
        "more restarts at once",
    ),
    (
        Key::char('r'),
        WizardInput::Recovery,
        &[Stage::Finished],
        "after a halt: the recovery plan, or the ways out to choose from (shown, then confirmed)",
    ),
];

/// The wizard input a key stands for on this screen.
pub fn wizard_input(stage: Stage, key: Key) -> Option<WizardInput> {
    WIZARD_KEYS
        .iter()
        .find(|(k, _, stages, _)| *k == key && stages.contains(&stage))
        .map(|(_, input, _, _)| *input)
}

/// The keys of an input, as the footer shows them (`J/+`).
pub fn input_keys(input: WizardInput) -> String {
    let mut keys: Vec<String> = Vec::new();
    for (key, what, _, _) in WIZARD_KEYS {
        let text = key.to_string();
        if *what == input && !keys.contains(&text) {
            keys.push(text);
        }
    }
    keys.join("/")
}
