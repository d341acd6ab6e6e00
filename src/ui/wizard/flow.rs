//! Moving through a wizard: pure functions of the console state, like the rest of
//! `update`. Running a plan is a request the runner carries out; its events come back
//! as actions.

use std::time::SystemTime;

use crate::wizard::catalogue::stale_notes;
use crate::wizard::plan::describe;
use crate::wizard::{Branch, EstateView, ExecEvent, Plan, PlanError, RunSummary, StepOutcome};

use super::open::{all_snapshots, hmc_snapshots};
use super::{
    kind_for, open, Choice, ChoiceValue, Facts, FactsQuery, Run, Stage, Wizard, WizardInput,
    WizardKind, MAX_PARALLELISM,
};
use crate::ui::app::{App, Mode, Request};
use crate::ui::keymap::KeyAction;
use crate::ui::render;

/// A wizard key of the key map (`R`, `M`, `C`, `w`): opens the wizard on the selected
/// row, or shows the one put aside.
pub fn open_from_key(app: &mut App, action: KeyAction) {
    if let Some(wizard) = app.wizard.as_mut() {
        if wizard.hidden {
            wizard.hidden = false;
            return;
        }
    }
    if action == KeyAction::ShowWizard {
        app.say("No wizard in progress");
        return;
    }
    let opened = kind_for(app.selected_key(), action).and_then(|kind| open(app, &kind));
    match opened {
        Ok(wizard) => {
            if let Some(request) = wizard.reading.clone() {
                app.requests.push(Request::ReadFacts(request));
            }
            app.wizard = Some(Box::new(wizard));
            app.message = None;
        }
        Err(reason) => app.say(reason),
    }
}

/// A key-map action while a wizard is on screen. `None` leaves it to the console (help,
/// refresh, mouse); everything else that is not a motion does nothing here.
pub fn key(app: &mut App, action: KeyAction) -> Option<bool> {
    let page = app.page().max(2);
    let area = app.screen.rows;
    let delta: isize = match action {
        KeyAction::Down => 1,
        KeyAction::Up => -1,
        KeyAction::HalfPageDown => (page / 2) as isize,
        KeyAction::HalfPageUp => -((page / 2) as isize),
        KeyAction::PageDown => page as isize,
        KeyAction::PageUp => -(page as isize),
        KeyAction::Top => isize::MIN / 2,
        KeyAction::Bottom => isize::MAX / 2,
        KeyAction::Open => return Some(input(app, WizardInput::Next)),
        KeyAction::Back => return Some(input(app, WizardInput::Back)),
        KeyAction::Quit | KeyAction::Help | KeyAction::Refresh | KeyAction::ToggleMouse => {
            return None
        }
        _ => return Some(false),
    };
    // The plan and the summary scroll no further than their last page.
    let lines = app.visible_wizard().map_or(0, |wizard| match wizard.stage {
        Stage::Plan => render::plan_lines(app, wizard, area.width).len(),
        Stage::Finished => render::summary_lines(app, wizard, area.width).len(),
        _ => 0,
    });
    let wizard = app.wizard.as_mut()?;
    let moved = |at: usize, len: usize| at.saturating_add_signed(delta).min(len.saturating_sub(1));
    match wizard.stage {
        Stage::Target => wizard.target = moved(wizard.target, wizard.targets.len()),
        Stage::Partitions => wizard.partition = moved(wizard.partition, wizard.partitions.len()),
        Stage::Choose => wizard.choice = moved(wizard.choice, wizard.choices.len()),
        Stage::Plan | Stage::Finished => {
            wizard.scroll = wizard
                .scroll
                .saturating_add_signed(delta)
                .min(lines.saturating_sub(area.height as usize))
        }
        Stage::Options | Stage::Confirm | Stage::Running => return Some(false),
    }
    Some(true)
}

/// A wizard key (Enter, Esc, space, J/K, </>, r).
pub fn input(app: &mut App, input: WizardInput) -> bool {
    match input {
        WizardInput::Back => {
            back(app);
            return true;
        }
        WizardInput::Next => {
            next(app);
            return true;
        }
        WizardInput::Recovery => {
            recovery(app);
            return true;
        }
        _ => {}
    }
    let Some(wizard) = app.wizard.as_mut() else {
        return false;
    };
    match (input, wizard.stage) {
        (WizardInput::Toggle, Stage::Partitions) => {
            let Some(partition) = wizard.partitions.get_mut(wizard.partition) else {
                return false;
            };
            if let Some(why) = &partition.blocked {
                let message = format!("{} cannot be restarted: {why}", partition.name);
                app.say(message);
            } else {
                partition.chosen = !partition.chosen;
            }
        }
        (WizardInput::Toggle, Stage::Options) => wizard.retain_devices = !wizard.retain_devices,
        (WizardInput::MoveUp | WizardInput::MoveDown, Stage::Partitions) => {
            let at = wizard.partition;
            let to = if input == WizardInput::MoveUp {
                at.checked_sub(1)
            } else {
                Some(at + 1).filter(|to| *to < wizard.partitions.len())
            };
            if let Some(to) = to {
                wizard.partitions.swap(at, to);
                wizard.partition = to;
            }
        }
        (WizardInput::Fewer, Stage::Partitions) => {
            wizard.parallelism = wizard.parallelism.saturating_sub(1).max(1);
        }
        (WizardInput::More, Stage::Partitions) => {
            wizard.parallelism = (wizard.parallelism + 1).min(MAX_PARALLELISM);
        }
        _ => return false,
    }
    true
}

fn back(app: &mut App) {
    let Some(wizard) = app.wizard.as_mut() else {
        return;
    };
    match wizard.stage {
        Stage::Running => {
            wizard.hidden = true;
            let show = app
                .keymap
                .hint(KeyAction::ShowWizard)
                .unwrap_or_else(|| "w".to_string());
            app.say(format!("The plan keeps running; {show} shows it again"));
        }
        Stage::Finished => {
            app.wizard = None;
        }
        _ => match wizard.back.pop() {
            Some(stage) => {
                wizard.stage = stage;
                wizard.typed.clear();
                wizard.attested = None;
                wizard.scroll = 0;
                // A late answer to a read left behind is ignored.
                if stage == Stage::Choose {
                    wizard.reading = None;
                    wizard.facts = None;
                    wizard.plan = None;
                }
            }
            None => {
                app.wizard = None;
                app.say("Cancelled: nothing was run");
            }
        },
    }
}

fn advance(wizard: &mut Wizard, stage: Stage) {
    wizard.back.push(wizard.stage);
    wizard.stage = stage;
    wizard.scroll = 0;
}

fn next(app: &mut App) {
    let read_only = app.options.read_only;
    let Some(stage) = app.wizard.as_ref().map(|w| w.stage) else {
        return;
    };
    match stage {
        Stage::Target => {
            let Some(wizard) = app.wizard.as_mut() else {
                return;
            };
            let Some(target) = wizard.chosen_target().cloned() else {
                return;
            };
            if !target.fit.possible() {
                app.say(format!("{} cannot: {}", target.system, target.fit.note()));
                return;
            }
            if matches!(wizard.kind, WizardKind::RemoteRestart { .. }) {
                advance(wizard, Stage::Partitions);
            } else {
                to_plan(app);
            }
        }
        Stage::Partitions => {
            let chosen = app
                .wizard
                .as_ref()
                .is_some_and(|w| w.partitions.iter().any(|p| p.chosen));
            if chosen {
                to_plan(app);
            } else {
                app.say("Choose at least one partition (space includes it)");
            }
        }
        Stage::Options => to_plan(app),
        Stage::Choose => {
            let Some(wizard) = app.wizard.as_mut() else {
                return;
            };
            let Some(choice) = wizard.chosen().cloned() else {
                return;
            };
            if !choice.possible {
                app.say(format!("{} cannot: {}", choice.label, choice.note));
                return;
            }
            to_plan(app);
        }
        Stage::Plan => {
            let Some(wizard) = app.wizard.as_mut() else {
                return;
            };
            if let Some(reading) = &wizard.reading {
                let message = format!(
                    "Reading… ({}); the plan shows when it is in",
                    reading.describe()
                );
                app.say(message);
                return;
            }
            match &wizard.plan {
                Some(Ok(_)) if read_only => app.say(
                    "Read-only mode: this plan cannot run here (and the executor would refuse it)",
                ),
                Some(Ok(_)) => {
                    wizard.typed.clear();
                    advance(wizard, Stage::Confirm);
                }
                Some(Err(error)) => {
                    let message = format!("No plan: {error}");
                    app.say(message);
                }
                None => {}
            }
        }
        Stage::Confirm => text_accept(app),
        Stage::Running => app.say("The plan is running: it stops by itself at the first failure"),
        Stage::Finished => app.wizard = None,
    }
}

/// Goes to the plan screen: reads the facts the plan needs first, when it needs some.
fn to_plan(app: &mut App) {
    let snapshots = all_snapshots(app);
    let Some(wizard) = app.wizard.as_mut() else {
        return;
    };
    if wizard.kind == WizardKind::RecoveryChoice {
        show_plan(app);
        return;
    }
    let query = wizard
        .request()
        .and_then(|request| request.facts_query(EstateView::new(&snapshots)));
    match query {
        Ok(Some(query)) => read_then_plan(app, query),
        Ok(None) => show_plan(app),
        Err(error) => {
            wizard.plan = Some(Err(error));
            advance(wizard, Stage::Plan);
        }
    }
}

/// Asks for facts to be read (off the render path) and shows the plan screen, which
/// says `reading…` until they are in.
fn read_then_plan(app: &mut App, request: FactsQuery) {
    let Some(wizard) = app.wizard.as_mut() else {
        return;
    };
    wizard.plan = None;
    wizard.facts = None;
    wizard.reading = Some(request.clone());
    advance(wizard, Stage::Plan);
    app.requests.push(Request::ReadFacts(request));
}

/// Facts read for a wizard: its plan is built with them, if it still waits for them.
pub fn facts_read(app: &mut App, request: FactsQuery, facts: Result<Facts, PlanError>) -> bool {
    let snapshots = all_snapshots(app);
    let now = app.now;
    let Some(wizard) = app.wizard.as_mut() else {
        return false;
    };
    if wizard.reading.as_ref() != Some(&request) || wizard.stage != Stage::Plan {
        return false;
    }
    wizard.reading = None;
    match facts {
        Ok(facts) => {
            wizard.facts = Some(facts);
            let plan = build(EstateView::new(&snapshots), wizard, now);
            wizard.plan = Some(plan);
        }
        Err(error) => {
            wizard.plan = Some(Err(PlanError::cannot_tell(format!(
                "could not read what the plan needs: {error}"
            ))))
        }
    }
    wizard.scroll = 0;
    !wizard.hidden
}

/// Builds the plan from the snapshots on screen and shows it.
fn show_plan(app: &mut App) {
    let snapshots = match app.wizard.as_ref().map(|w| &w.kind) {
        Some(
            WizardKind::RemoteRestart { .. }
            | WizardKind::Relocate { .. }
            | WizardKind::Cleanup { .. },
        ) => hmc_snapshots(app),
        _ => all_snapshots(app),
    };
    let now = app.now;
    let Some(wizard) = app.wizard.as_mut() else {
        return;
    };
    let plan = build(EstateView::new(&snapshots), wizard, now);
    wizard.plan = Some(plan);
    advance(wizard, Stage::Plan);
}

fn build(view: EstateView<'_>, wizard: &Wizard, now: SystemTime) -> Result<Plan, PlanError> {
    if wizard.kind == WizardKind::Recovery {
        return wizard
            .plan
            .clone()
            .unwrap_or_else(|| Err(PlanError::invalid("no recovery plan")));
    }
    if wizard.kind == WizardKind::RecoveryChoice {
        return match wizard.chosen().map(|choice| &choice.value) {
            Some(ChoiceValue::Offer(plan)) => Ok(plan.as_ref().clone()),
            _ => Err(PlanError::invalid("no way out chosen")),
        };
    }
    let facts = wizard.facts.clone().unwrap_or_default();
    let mut plan = wizard.request()?.build(view, &facts)?;
    plan.notes.extend(stale_notes(view, &plan, now));
    Ok(plan)
}

/// What the operator chose, for the journal.
fn choices(wizard: &Wizard) -> Vec<String> {
    let mut choices = Vec::new();
    if let Some(target) = wizard.chosen_target() {
        choices.push(format!("target {}", target.system));
    }
    match &wizard.kind {
        WizardKind::RemoteRestart { .. } => {
            let order: Vec<&str> = wizard
                .partitions
                .iter()
                .filter(|p| p.chosen)
                .map(|p| p.name.as_str())
                .collect();
            choices.push(format!("partitions in order: {}", order.join(", ")));
            choices.push(format!("parallelism {}", wizard.parallelism));
        }
        WizardKind::Cleanup { .. } => choices.push(if wizard.retain_devices {
            "--retaindev".to_string()
        } else {
            "without --retaindev".to_string()
        }),
        WizardKind::Recovery => choices.push("recovery branch of a halted run".to_string()),
        WizardKind::RecoveryChoice => {
            if let Some(choice) = wizard.chosen() {
                choices.push(format!("way out of a halted run: {}", choice.label));
            }
        }
        WizardKind::Firmware { .. } => {
            if let Some(choice) = wizard.chosen() {
                choices.push(choice.label.clone());
            }
            choices.push("repository ibmwebsite".to_string());
        }
        WizardKind::WparMove { .. } => {
            if let Some(choice) = wizard.chosen() {
                choices.push(format!("target {}", choice.label));
            }
            choices.push("source kept stopped".to_string());
        }
        WizardKind::WparRecover { .. } => {
            if let Some(choice) = wizard.chosen() {
                choices.push(choice.label.clone());
            }
            if let Some(Facts::WparRecovery(facts)) = &wizard.facts {
                let mounts = facts.leftover();
                if !mounts.is_empty() {
                    choices.push(format!("unmount {}", mounts.join(", ")));
                }
            }
        }
        WizardKind::Relocate { .. }
        | WizardKind::FirmwareAccept { .. }
        | WizardKind::NimReset { .. }
        | WizardKind::NimSync { .. }
        | WizardKind::NimTakeover { .. }
        | WizardKind::NimadmPreflight { .. } => {}
    }
    choices
}

/// A character typed into (or deleted from) the confirmation.
pub fn text_edit(app: &mut App, change: impl FnOnce(&mut String)) -> bool {
    match app.wizard.as_mut() {
        Some(wizard) if wizard.stage == Stage::Confirm && !wizard.hidden => {
            change(&mut wizard.typed);
            true
        }
        _ => false,
    }
}

/// Enter on the confirmation: runs the plan when the name typed is the plan's.
pub fn text_accept(app: &mut App) {
    let read_only = app.options.read_only;
    let now = app.now;
    let Some(wizard) = app.wizard.as_mut() else {
        return;
    };
    let Some(plan) = wizard.plan().cloned() else {
        return;
    };
    if let Some(attestation) = plan
        .attestation
        .as_ref()
        .filter(|_| wizard.attested.is_none())
    {
        let typed = std::mem::take(&mut wizard.typed);
        if typed == attestation.phrase {
            wizard.attested = Some(typed);
            let message = format!("Attested. Now type {} to run this plan", plan.confirm_name);
            app.say(message);
        } else {
            let message = format!(
                "Type {:?} to attest it, only once you have checked (esc cancels)",
                attestation.phrase
            );
            app.say(message);
        }
        return;
    }
    if wizard.typed != plan.confirm_name {
        let typed = wizard.typed.clone();
        let message = if typed.is_empty() {
            format!("Type {} to run this plan (esc cancels)", plan.confirm_name)
        } else {
            format!(
                "{typed:?} is not {}: nothing runs until it is typed exactly (esc cancels)",
                plan.confirm_name
            )
        };
        app.say(message);
        return;
    }
    if read_only {
        app.say("Read-only mode: this plan cannot run here");
        return;
    }
    let choices = choices(wizard);
    wizard.run = Some(Run::new(&plan, now));
    advance(wizard, Stage::Running);
    wizard.back.clear();
    let confirmation = std::mem::take(&mut wizard.typed);
    app.requests.push(Request::Execute {
        plan: Box::new(plan),
        confirmation,
        attestation: wizard.attested.take(),
        choices,
    });
    app.message = None;
}

/// An event from the executor.
pub fn exec_event(app: &mut App, event: ExecEvent) -> bool {
    let now = app.now;
    match app
        .wizard
        .as_mut()
        .and_then(|w| w.run.as_mut().map(|r| (r, w.hidden)))
    {
        Some((run, hidden)) => {
            run.apply(event, now);
            !hidden
        }
        None => false,
    }
}

/// The executor returned: the summary, a refresh of every source, the journal again.
pub fn run_ended(app: &mut App, summary: RunSummary) -> bool {
    app.requests.push(Request::Refresh(None));
    app.requests.push(Request::LoadJournal);
    let Some(wizard) = app.wizard.as_mut() else {
        return false;
    };
    let completed = summary.completed();
    let refused = summary
        .ran
        .iter()
        .any(|(_, outcome)| matches!(outcome, StepOutcome::Refused(_)));
    if let Some(run) = wizard.run.as_mut() {
        run.end(summary);
    }
    wizard.stage = Stage::Finished;
    wizard.scroll = 0;
    let what = wizard.title.clone();
    let hidden = wizard.hidden;
    let show = app
        .keymap
        .hint(KeyAction::ShowWizard)
        .unwrap_or_else(|| "w".to_string());
    let word = if completed {
        "completed"
    } else if refused {
        "refused"
    } else {
        "halted"
    };
    app.say(if hidden {
        format!("{what}: {word}; {show} shows the summary")
    } else {
        format!("{what}: {word}; refreshing every source")
    });
    true
}

/// The recovery branch of the halted run, as a plan to review and confirm.
fn recovery(app: &mut App) {
    let Some(wizard) = app.wizard.as_ref().filter(|w| w.stage == Stage::Finished) else {
        return;
    };
    let (Some(plan), Some(summary)) = (
        wizard.plan(),
        wizard.run.as_ref().and_then(|r| r.summary.as_ref()),
    ) else {
        return;
    };
    let failed = summary.halted_at.map_or(String::new(), |step| {
        format!(
            "step {} failed: {}",
            step + 1,
            plan.steps.get(step).map_or(String::new(), |s| s.line())
        )
    });
    if !summary.offers.is_empty() {
        let wizard = offers(plan, &summary.offers, &failed);
        app.wizard = Some(Box::new(wizard));
        app.mode = Mode::Normal;
        return;
    }
    if summary.recovery.is_empty() {
        app.say("No recovery branch for this step: look at the re-read state, then decide");
        return;
    }
    let recovery = Plan {
        wizard: plan.wizard,
        title: format!("Recovery: {}", plan.title),
        confirm_name: plan.confirm_name.clone(),
        attestation: None,
        steps: summary.recovery.clone(),
        parallelism: 1,
        notes: vec![
            failed,
            "the recovery branch the failed step offers; nothing else is re-run".to_string(),
        ],
    };
    app.wizard = Some(Box::new(Wizard::for_plan(WizardKind::Recovery, recovery)));
    app.mode = Mode::Normal;
}

/// The ways out a halted run offers, to choose one: each is a plan of its own.
fn offers(plan: &Plan, offers: &[Branch], failed: &str) -> Wizard {
    let mut wizard = Wizard::new(
        WizardKind::RecoveryChoice,
        format!("Ways out: {}", plan.title),
        Stage::Choose,
    );
    wizard.about = vec![
        failed.to_string(),
        "the state was re-read; only what it allows is offered".to_string(),
    ];
    wizard.choices = offers
        .iter()
        .map(|branch| Choice {
            label: branch.label.clone(),
            note: format!(
                "{} step(s), offered because {}",
                branch.steps.len(),
                describe(&branch.when)
            ),
            possible: true,
            value: ChoiceValue::Offer(Box::new(Plan {
                wizard: plan.wizard,
                title: format!("{}: {}", capitalised(&branch.label), plan.title),
                confirm_name: plan.confirm_name.clone(),
                attestation: None,
                steps: branch.steps.clone(),
                parallelism: 1,
                notes: vec![
                    failed.to_string(),
                    format!(
                        "offered because the re-read state shows {}",
                        describe(&branch.when)
                    ),
                ],
            })),
        })
        .collect();
    wizard
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
