//! A run as the console follows it: each step's status from the executor's events, the
//! live output of the running steps, and where each partition of a restart group is.

use std::collections::VecDeque;
use std::time::SystemTime;

use crate::wizard::plan::Condition;
use crate::wizard::{ExecEvent, Plan, RunSummary, Step, StepKind, StepOutcome};

/// Output lines kept for the running screen.
pub const OUTPUT_KEPT: usize = 400;

/// Where a step is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepStatus {
    /// Not started yet.
    Pending,
    /// Running now.
    Running,
    /// Ended.
    Done(StepOutcome),
    /// The plan stopped before it.
    NotRun,
}

/// One step of the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepProgress {
    /// Where it is.
    pub status: StepStatus,
    /// When the console heard it started (its clock).
    pub started: Option<SystemTime>,
    /// For a wait: what the last poll saw.
    pub observed: Option<String>,
}

/// A confirmed plan, running or ended.
#[derive(Debug, Clone)]
pub struct Run {
    /// Per plan step.
    pub steps: Vec<StepProgress>,
    /// Live output, newest last: (step, stderr, line).
    pub output: VecDeque<(usize, bool, String)>,
    /// The executor stopped at this step.
    pub halted: Option<usize>,
    /// The executor's summary, once it returned.
    pub summary: Option<RunSummary>,
    /// When it was confirmed (console clock).
    pub started: SystemTime,
}

impl Run {
    /// A run of `plan` about to start.
    pub fn new(plan: &Plan, now: SystemTime) -> Run {
        Run {
            steps: vec![
                StepProgress {
                    status: StepStatus::Pending,
                    started: None,
                    observed: None,
                };
                plan.steps.len()
            ],
            output: VecDeque::new(),
            halted: None,
            summary: None,
            started: now,
        }
    }

    /// Applies one executor event.
    pub fn apply(&mut self, event: ExecEvent, now: SystemTime) {
        match event {
            ExecEvent::StepStarted(step) => {
                if let Some(progress) = self.steps.get_mut(step) {
                    progress.status = StepStatus::Running;
                    progress.started = Some(now);
                }
            }
            ExecEvent::Output { step, line } => {
                for text in line.text.lines() {
                    self.output.push_back((step, line.stderr, text.to_string()));
                }
                while self.output.len() > OUTPUT_KEPT {
                    self.output.pop_front();
                }
            }
            ExecEvent::Polled { step, observed } => {
                if let Some(progress) = self.steps.get_mut(step) {
                    progress.observed = Some(observed);
                }
            }
            ExecEvent::StepFinished { step, outcome } => {
                if let Some(progress) = self.steps.get_mut(step) {
                    progress.status = StepStatus::Done(outcome);
                }
            }
            ExecEvent::Halted { step } => self.halted = Some(step),
            ExecEvent::Completed => {}
        }
    }

    /// The executor returned: steps it never ran are marked so.
    pub fn end(&mut self, summary: RunSummary) {
        for (index, outcome) in &summary.ran {
            if let Some(progress) = self.steps.get_mut(*index) {
                progress.status = StepStatus::Done(outcome.clone());
            }
        }
        for index in &summary.not_run {
            if let Some(progress) = self.steps.get_mut(*index) {
                if progress.status == StepStatus::Pending {
                    progress.status = StepStatus::NotRun;
                }
            }
        }
        self.halted = summary.halted_at;
        self.summary = Some(summary);
    }

    /// Steps running now.
    pub fn running(&self) -> impl Iterator<Item = usize> + '_ {
        self.steps
            .iter()
            .enumerate()
            .filter(|(_, p)| p.status == StepStatus::Running)
            .map(|(index, _)| index)
    }

    /// Steps that ended well.
    pub fn succeeded(&self) -> usize {
        self.steps
            .iter()
            .filter(|p| p.status == StepStatus::Done(StepOutcome::Succeeded))
            .count()
    }
}

/// The partition a step acts on or waits for, if any.
pub fn step_lpar(step: &Step) -> Option<&str> {
    if let Some(Condition::LparState { lpar, .. } | Condition::LparAbsent { lpar }) = &step.until {
        return Some(lpar);
    }
    let args = step.command.args();
    args.iter()
        .position(|arg| arg == "-p")
        .and_then(|at| args.get(at + 1))
        .map(String::as_str)
}

/// Where one partition of a remote restart (or any multi-partition plan) is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionProgress {
    /// The partition.
    pub name: String,
    /// In words: `validated`, `restarting`, `Starting on s924-01`, `Running`.
    pub status: String,
    /// How it looks: done, moving, failed, waiting.
    pub state: StepStatus,
}

/// Each partition the plan changes, with the status of its latest step.
pub fn partition_progress(plan: &Plan, run: &Run) -> Vec<PartitionProgress> {
    let mut names: Vec<&str> = Vec::new();
    for step in &plan.steps {
        if step.kind == StepKind::Change {
            if let Some(name) = step_lpar(step) {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
    }
    names
        .into_iter()
        .map(|name| {
            let mut status = "waiting its turn".to_string();
            let mut state = StepStatus::Pending;
            for (step, progress) in plan.steps.iter().zip(&run.steps) {
                if step_lpar(step) != Some(name) || progress.status == StepStatus::Pending {
                    continue;
                }
                let what = match step.kind {
                    StepKind::Check => "checked",
                    StepKind::Validate => "validated",
                    StepKind::Change => "changed",
                    StepKind::Wait | StepKind::Verify => "done",
                };
                status = match &progress.status {
                    StepStatus::Running => match (&progress.observed, step.kind) {
                        (Some(observed), _) => observed
                            .strip_prefix(&format!("{name} is "))
                            .unwrap_or(observed)
                            .to_string(),
                        (None, StepKind::Validate) => "validating".to_string(),
                        (None, StepKind::Change) => format!("{} running", step_verb(step)),
                        (None, _) => "checking".to_string(),
                    },
                    StepStatus::Done(StepOutcome::Succeeded) => match step.kind {
                        StepKind::Wait | StepKind::Verify => match &step.until {
                            Some(Condition::LparState { states, .. }) => states
                                .first()
                                .map_or(what.to_string(), |s| s.to_string()),
                            Some(Condition::LparAbsent { .. }) => "gone".to_string(),
                            _ => what.to_string(),
                        },
                        StepKind::Change => format!("{} done", step_verb(step)),
                        _ => what.to_string(),
                    },
                    StepStatus::Done(outcome) => match step.kind {
                        StepKind::Validate => format!("validation {}", outcome.word()),
                        StepKind::Change => format!("{} {}", step_verb(step), outcome.word()),
                        _ => format!("{} {}", what, outcome.word()),
                    },
                    StepStatus::NotRun => "not run".to_string(),
                    StepStatus::Pending => continue,
                };
                state = progress.status.clone();
                if matches!(progress.status, StepStatus::Done(ref o) if *o != StepOutcome::Succeeded)
                {
                    break;
                }
            }
            PartitionProgress {
                name: name.to_string(),
                status,
                state,
            }
        })
        .collect()
}

/// `restart`, `migration`, `stop`, `cleanup`, `recovery` from the command.
fn step_verb(step: &Step) -> &'static str {
    let args = step.command.args();
    let op = args
        .iter()
        .position(|arg| arg == "-o")
        .and_then(|at| args.get(at + 1))
        .map(String::as_str);
    match (step.command.program(), op) {
        ("rrstartlpar", Some("restart")) => "restart",
        ("rrstartlpar", Some("cleanup")) => "cleanup",
        (_, Some("recover")) => "recovery",
        ("migrlpar", Some("m")) => "migration",
        ("migrlpar", Some("s")) => "stop",
        ("migrlpar", Some("r")) => "recovery",
        _ => "change",
    }
}
