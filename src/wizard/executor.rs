//! Running a confirmed plan: one step at a time (or a bounded group at once), live
//! output, stop at the first failure, re-read the real state, journal everything.
//!
//! The executor never re-runs a changing step by itself: after a failure or a dropped
//! connection it stops, re-reads, and leaves retry, skip, abort or the recovery branch
//! to the operator.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::{mpsc, Semaphore};

use super::condition;
use super::journal::{Journal, JournalRecord};
use super::plan::{Branch, OnFailure, Plan, Step, StepKind};
use crate::exec::{CommandOutput, Exec, OutputLine};
use crate::inventory::rfc3339;
use crate::sources::HostError;

/// How a step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepOutcome {
    Succeeded,
    /// The host answered with a failure (exit status and message).
    Failed(String),
    /// The condition did not hold in time (`Wait`) or at all (`Check`, `Verify`).
    ConditionNotMet(String),
    /// The connection broke; whether the command ran is unknown when `sent`.
    Interrupted {
        message: String,
        sent: bool,
    },
    /// Read-only mode or a missing confirmation: the step was not run.
    Refused(String),
}

impl StepOutcome {
    /// A word for the journal.
    pub fn word(&self) -> &'static str {
        match self {
            StepOutcome::Succeeded => "succeeded",
            StepOutcome::Failed(_) => "failed",
            StepOutcome::ConditionNotMet(_) => "condition-not-met",
            StepOutcome::Interrupted { sent: true, .. } => "unknown",
            StepOutcome::Interrupted { sent: false, .. } => "not-sent",
            StepOutcome::Refused(_) => "refused",
        }
    }
}

/// What the executor reports while it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecEvent {
    StepStarted(usize),
    Output {
        step: usize,
        line: OutputLine,
    },
    /// A `Wait` step polled; `observed` says what it saw.
    Polled {
        step: usize,
        observed: String,
    },
    StepFinished {
        step: usize,
        outcome: StepOutcome,
    },
    /// The plan stopped at `step`; the state was re-read.
    Halted {
        step: usize,
    },
    Completed,
}

/// The result of a run, for the summary screen and the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunSummary {
    pub run_id: String,
    /// Steps that ran, with their outcomes, in the order they finished.
    pub ran: Vec<(usize, StepOutcome)>,
    /// Steps that did not run.
    pub not_run: Vec<usize>,
    /// Where the plan stopped, if it did not complete.
    pub halted_at: Option<usize>,
    /// The state re-read after a halt: (command line, what it printed).
    pub reread: Vec<(String, String)>,
    /// The recovery branch the failed step offers.
    pub recovery: Vec<Step>,
    /// The ways out the failed step offers for the state its probe re-read
    /// ([`OnFailure::Decide`]); each runs as a plan of its own once chosen.
    pub offers: Vec<Branch>,
    /// Journal records that could not be written.
    pub journal_errors: Vec<String>,
}

impl RunSummary {
    /// Every step ran and succeeded.
    pub fn completed(&self) -> bool {
        self.halted_at.is_none()
    }

    /// Exactly what ran and what did not, in words.
    pub fn describe(&self, plan: &Plan) -> String {
        let mut text = String::new();
        for (index, outcome) in &self.ran {
            text.push_str(&format!(
                "ran     {}. {} -> {}\n",
                index + 1,
                plan.steps[*index].line(),
                outcome.word()
            ));
        }
        for index in &self.not_run {
            text.push_str(&format!(
                "not run {}. {}\n",
                index + 1,
                plan.steps[*index].line()
            ));
        }
        for error in &self.journal_errors {
            text.push_str(&format!("journal {error}\n"));
        }
        text
    }
}

/// A step that ended: its index, outcome, output and how long it took.
type Finished = (usize, StepOutcome, Option<CommandOutput>, Duration);

/// Runs plans.
pub struct Executor<R> {
    hosts: Arc<R>,
    journal: Option<Journal>,
    read_only: bool,
    operator: String,
    /// Time between two polls of a `Wait` step.
    pub poll_interval: Duration,
    /// Longest a single command may take.
    pub command_timeout: Duration,
    journal_errors: Vec<String>,
    journal_problem: Option<String>,
    attested: Option<String>,
    stop: Arc<AtomicBool>,
}

impl<R: Exec> Executor<R> {
    /// An executor; `read_only` makes every changing step impossible.
    pub fn new(hosts: Arc<R>, journal: Option<Journal>, read_only: bool) -> Self {
        Executor {
            hosts,
            journal,
            read_only,
            operator: std::env::var("USER")
                .or_else(|_| std::env::var("LOGNAME"))
                .unwrap_or_else(|_| "unknown".to_string()),
            poll_interval: Duration::from_secs(10),
            command_timeout: Duration::from_secs(4 * 3600),
            journal_errors: Vec::new(),
            journal_problem: None,
            attested: None,
            stop: Arc::new(AtomicBool::new(false)),
        }
    }

    /// A handle that asks the run to stop: no further step is launched, a wait ends at
    /// its next poll, and the steps in flight finish and are journaled. What a
    /// terminating signal uses so a run is never silently abandoned.
    pub fn stop_handle(&self) -> Arc<AtomicBool> {
        self.stop.clone()
    }

    /// Uses `flag` as the stop handle (see [`Executor::stop_handle`]), so a stop can be
    /// asked for before the run starts.
    pub fn stop_on(&mut self, flag: Arc<AtomicBool>) {
        self.stop = flag;
    }

    /// Why there is no journal (it could not be opened): said when a change is
    /// refused for want of one.
    pub fn journal_problem(&mut self, reason: impl Into<String>) {
        self.journal_problem = Some(reason.into());
    }

    /// What the operator typed to attest the plan's [`Attestation`](super::Attestation);
    /// a plan that carries one runs only when it matches.
    pub fn attest(&mut self, typed: impl Into<String>) {
        self.attested = Some(typed.into());
    }

    /// Runs `plan` from step `from` (0 for a new run). `confirmation` is what the
    /// operator typed: a plan that changes anything runs only when it equals the plan's
    /// `confirm_name`, and never in read-only mode.
    pub async fn execute(
        &mut self,
        plan: &Plan,
        from: usize,
        confirmation: &str,
        choices: Vec<String>,
        events: mpsc::Sender<ExecEvent>,
    ) -> RunSummary {
        let run_id = format!(
            "{}-{}-{}",
            plan.wizard,
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or(0),
            std::process::id()
        );
        let mut summary = RunSummary {
            run_id: run_id.clone(),
            ran: Vec::new(),
            not_run: Vec::new(),
            halted_at: None,
            reread: Vec::new(),
            recovery: Vec::new(),
            offers: Vec::new(),
            journal_errors: Vec::new(),
        };
        let mut choices = choices;
        choices.push(format!("confirmation typed: {confirmation:?}"));
        if let (Some(attestation), Some(typed)) = (&plan.attestation, &self.attested) {
            choices.push(format!("attested: {:?} ({})", typed, attestation.statement));
        }
        if from > 0 {
            choices.push(format!("resumed at step {}", from + 1));
        }
        self.record(plan, &run_id, "run-started", |r| {
            r.choices = choices.clone()
        });
        let refusal = if plan.changes_anything() && self.read_only {
            Some("read-only mode: this plan changes the estate and cannot run".to_string())
        } else if plan.changes_anything() && confirmation != plan.confirm_name {
            Some(format!(
                "not confirmed: type {:?} to run this plan",
                plan.confirm_name
            ))
        } else {
            plan.attestation
                .as_ref()
                .filter(|a| self.attested.as_deref() != Some(a.phrase.as_str()))
                .map(|attestation| {
                    format!(
                        "not attested: {} Type {:?} to attest it",
                        attestation.statement, attestation.phrase
                    )
                })
        };
        if let Some(reason) = refusal {
            let index = from.min(plan.steps.len().saturating_sub(1));
            summary
                .ran
                .push((index, StepOutcome::Refused(reason.clone())));
            summary.not_run = (from..plan.steps.len()).collect();
            summary.halted_at = Some(index);
            self.record(plan, &run_id, "run-ended", |r| {
                r.outcome = Some(format!("refused: {reason}"))
            });
            let _ = events.send(ExecEvent::Halted { step: index }).await;
            summary.journal_errors = std::mem::take(&mut self.journal_errors);
            return summary;
        }
        let mut index = from;
        while index < plan.steps.len() {
            let group_end = match plan.steps[index].group {
                Some(group) => {
                    let mut end = index;
                    while end < plan.steps.len() && plan.steps[end].group == Some(group) {
                        end += 1;
                    }
                    end
                }
                None => index + 1,
            };
            let (outcomes, not_launched) = self
                .run_group(plan, &run_id, index..group_end, &events)
                .await;
            let failed = outcomes
                .iter()
                .find(|(_, outcome)| *outcome != StepOutcome::Succeeded)
                .map(|(step, _)| *step);
            summary.ran.extend(outcomes);
            if let Some(step) = failed {
                summary.halted_at = Some(step);
                summary.not_run = not_launched
                    .into_iter()
                    .chain(group_end..plan.steps.len())
                    .collect();
                let mut first = Vec::new();
                match &plan.steps[step].on_failure {
                    OnFailure::Stop => {}
                    OnFailure::Recover(recovery) => summary.recovery = recovery.clone(),
                    OnFailure::Decide { probe, branches } => {
                        let (text, output) = self.read_again(plan, &run_id, probe).await;
                        summary.offers = branches
                            .iter()
                            .filter(|branch| {
                                output.as_ref().is_some_and(|output| {
                                    condition::holds(&branch.when, &probe.command, output)
                                        == Ok(true)
                                })
                            })
                            .cloned()
                            .collect();
                        first.push((probe.line(), text));
                    }
                }
                summary.reread = self.reread(plan, &run_id, first).await;
                self.record(plan, &run_id, "run-ended", |r| {
                    r.outcome = Some(format!("halted at step {}", step + 1));
                    r.step = Some(step);
                });
                let _ = events.send(ExecEvent::Halted { step }).await;
                summary.journal_errors = std::mem::take(&mut self.journal_errors);
                return summary;
            }
            let stopped_at = not_launched
                .first()
                .copied()
                .or(
                    (self.stop.load(Ordering::SeqCst) && group_end < plan.steps.len())
                        .then_some(group_end),
                );
            if let Some(at) = stopped_at {
                summary.halted_at = Some(at);
                summary.ran.push((
                    at,
                    StepOutcome::Refused(
                        "stopped on request (a signal): steps in flight finished, nothing further was sent"
                            .to_string(),
                    ),
                ));
                summary.not_run = not_launched
                    .into_iter()
                    .chain(group_end..plan.steps.len())
                    .filter(|step| *step != at)
                    .collect();
                summary.reread = self.reread(plan, &run_id, Vec::new()).await;
                self.record(plan, &run_id, "run-ended", |r| {
                    r.outcome = Some(format!("stopped on request before step {}", at + 1));
                    r.step = Some(at);
                });
                let _ = events.send(ExecEvent::Halted { step: at }).await;
                summary.journal_errors = std::mem::take(&mut self.journal_errors);
                return summary;
            }
            index = group_end;
        }
        self.record(plan, &run_id, "run-ended", |r| {
            r.outcome = Some("completed".to_string())
        });
        let _ = events.send(ExecEvent::Completed).await;
        summary.journal_errors = std::mem::take(&mut self.journal_errors);
        summary
    }

    /// Runs a group of steps at once, at most `plan.parallelism` together. Once a step
    /// fails no further step is launched (those in flight finish and are read back).
    /// A changing step is journaled as sent before it goes out; when that record cannot
    /// be written, the step is not sent. Returns the outcomes and the steps not launched.
    async fn run_group(
        &mut self,
        plan: &Plan,
        run_id: &str,
        range: std::ops::Range<usize>,
        events: &mpsc::Sender<ExecEvent>,
    ) -> (Vec<(usize, StepOutcome)>, Vec<usize>) {
        let permits = Arc::new(Semaphore::new(plan.parallelism.max(1)));
        let stop = Arc::new(AtomicBool::new(false));
        let mut tasks = tokio::task::JoinSet::new();
        let mut outcomes = Vec::new();
        let mut not_launched = Vec::new();
        for index in range.clone() {
            // Slots are taken here, in plan order, so the operator's order holds; a
            // failed step sets `stop` before it gives its slot back. Steps that end
            // meanwhile are journaled at once.
            let permit = loop {
                tokio::select! {
                    biased;
                    Some(joined) = tasks.join_next(), if !tasks.is_empty() => {
                        self.finished(plan, run_id, joined, &mut outcomes);
                    }
                    permit = permits.clone().acquire_owned() => break permit,
                }
            };
            if stop.load(Ordering::SeqCst) || self.stop.load(Ordering::SeqCst) {
                not_launched.push(index);
                continue;
            }
            let step = plan.steps[index].clone();
            if step.changes() {
                if let Err(reason) = self.journal_sent(plan, run_id, index) {
                    stop.store(true, Ordering::SeqCst);
                    outcomes.push((index, StepOutcome::Refused(reason)));
                    continue;
                }
            }
            let hosts = self.hosts.clone();
            let events = events.clone();
            let poll = self.poll_interval;
            let timeout = self.command_timeout;
            let stop = stop.clone();
            let asked = self.stop.clone();
            tasks.spawn(async move {
                let _permit = permit;
                let _ = events.send(ExecEvent::StepStarted(index)).await;
                let started = Instant::now();
                let (outcome, output) =
                    run_step(hosts.as_ref(), &step, index, poll, timeout, &events, &asked).await;
                if outcome != StepOutcome::Succeeded {
                    stop.store(true, Ordering::SeqCst);
                }
                let _ = events
                    .send(ExecEvent::StepFinished {
                        step: index,
                        outcome: outcome.clone(),
                    })
                    .await;
                (index, outcome, output, started.elapsed())
            });
        }
        while let Some(joined) = tasks.join_next().await {
            self.finished(plan, run_id, joined, &mut outcomes);
        }
        outcomes.sort_by_key(|(index, _)| *index);
        (outcomes, not_launched)
    }

    /// Journals a step that ended and keeps its outcome.
    fn finished(
        &mut self,
        plan: &Plan,
        run_id: &str,
        joined: Result<Finished, tokio::task::JoinError>,
        outcomes: &mut Vec<(usize, StepOutcome)>,
    ) {
        let Ok((index, outcome, output, took)) = joined else {
            return;
        };
        let step = &plan.steps[index];
        self.record(plan, run_id, "step", |r| {
            r.step = Some(index);
            r.kind = Some(format!("{:?}", step.kind).to_lowercase());
            r.host = Some(step.host.clone());
            r.command = Some(step.line());
            r.exit_status = output.as_ref().and_then(|o| o.exit_status);
            r.stdout = output.as_ref().map(|o| o.stdout.clone());
            r.stderr = output.as_ref().map(|o| o.stderr.clone());
            r.duration_ms = Some(took.as_millis() as u64);
            r.outcome = Some(match &outcome {
                StepOutcome::Succeeded => "succeeded".to_string(),
                other => format!("{}: {}", other.word(), detail(other)),
            });
        });
        outcomes.push((index, outcome));
    }

    /// Journals that changing step `index` is about to be sent: after a crash the
    /// journal shows it in flight. Without a journal, or when the record cannot be
    /// written, the step must not be sent: the reason is returned.
    fn journal_sent(&mut self, plan: &Plan, run_id: &str, index: usize) -> Result<(), String> {
        let step = &plan.steps[index];
        let record = JournalRecord {
            step: Some(index),
            kind: Some(format!("{:?}", step.kind).to_lowercase()),
            host: Some(step.host.clone()),
            command: Some(step.line()),
            outcome: Some("sent".to_string()),
            ..self.blank(plan, run_id, "sent")
        };
        let Some(journal) = self.journal.as_mut() else {
            return Err(self
                .journal_problem
                .clone()
                .unwrap_or_else(|| "no journal: a change is journaled before it is sent".into()));
        };
        journal.append(&record).map_err(|error| {
            format!(
                "cannot journal step {} before sending it ({}: {error}): it was not sent",
                index + 1,
                journal.path().display()
            )
        })
    }

    /// Re-reads the state the plan depends on: every check step's command again, after
    /// what was re-read `first`.
    async fn reread(
        &mut self,
        plan: &Plan,
        run_id: &str,
        first: Vec<(String, String)>,
    ) -> Vec<(String, String)> {
        let mut results = first;
        let checks: Vec<&Step> = plan
            .steps
            .iter()
            .filter(|s| matches!(s.kind, StepKind::Check | StepKind::Verify | StepKind::Wait))
            .collect();
        for step in checks {
            if results.iter().any(|(seen, _)| *seen == step.line()) {
                continue;
            }
            let (text, _) = self.read_again(plan, run_id, step).await;
            results.push((step.line(), text));
        }
        results
    }

    /// Runs a read step once more, journals what it printed, and returns that text
    /// (or why it could not run) with the output itself.
    async fn read_again(
        &mut self,
        plan: &Plan,
        run_id: &str,
        step: &Step,
    ) -> (String, Option<CommandOutput>) {
        let (sink, mut drain) = mpsc::channel(64);
        tokio::spawn(async move { while drain.recv().await.is_some() {} });
        let line = step.line();
        let output = self
            .hosts
            .exec_streaming(&step.host, line.clone(), Duration::from_secs(120), sink)
            .await;
        let text = match &output {
            Ok(output) => format!("{}{}", output.stdout, output.stderr),
            Err(error) => format!("could not re-read: {}", error.message),
        };
        self.record(plan, run_id, "reread", |r| {
            r.host = Some(step.host.clone());
            r.command = Some(line.clone());
            r.stdout = Some(text.clone());
        });
        (text, output.ok())
    }

    /// A record of `event` for this run, every optional field empty.
    fn blank(&self, plan: &Plan, run_id: &str, event: &str) -> JournalRecord {
        JournalRecord {
            run_id: run_id.to_string(),
            event: event.to_string(),
            at: rfc3339(SystemTime::now()),
            who: self.operator.clone(),
            wizard: plan.wizard.to_string(),
            title: plan.title.clone(),
            step: None,
            kind: None,
            host: None,
            command: None,
            exit_status: None,
            stdout: None,
            stderr: None,
            duration_ms: None,
            outcome: None,
            choices: Vec::new(),
        }
    }

    fn record(
        &mut self,
        plan: &Plan,
        run_id: &str,
        event: &str,
        fill: impl FnOnce(&mut JournalRecord),
    ) {
        let mut record = self.blank(plan, run_id, event);
        fill(&mut record);
        let Some(journal) = self.journal.as_mut() else {
            return;
        };
        // A journal that cannot be written must not stop a recovery in progress; the
        // failure is kept for the run's summary instead (printing it would garble the
        // console's screen).
        if let Err(error) = journal.append(&record) {
            let message = format!(
                "cannot write the journal {}: {error}",
                journal.path().display()
            );
            if !self.journal_errors.contains(&message) {
                self.journal_errors.push(message);
            }
        }
    }
}

fn detail(outcome: &StepOutcome) -> &str {
    match outcome {
        StepOutcome::Succeeded => "",
        StepOutcome::Failed(text)
        | StepOutcome::ConditionNotMet(text)
        | StepOutcome::Refused(text) => text,
        StepOutcome::Interrupted { message, .. } => message,
    }
}

/// Runs one step to its outcome; waits poll until their condition holds.
async fn run_step<R: Exec>(
    hosts: &R,
    step: &Step,
    index: usize,
    poll: Duration,
    timeout: Duration,
    events: &mpsc::Sender<ExecEvent>,
    asked_to_stop: &AtomicBool,
) -> (StepOutcome, Option<CommandOutput>) {
    let deadline = Instant::now() + step.timeout.unwrap_or(Duration::ZERO);
    loop {
        let (sink, mut stream) = mpsc::channel::<OutputLine>(256);
        let forward = {
            let events = events.clone();
            tokio::spawn(async move {
                while let Some(line) = stream.recv().await {
                    let _ = events.send(ExecEvent::Output { step: index, line }).await;
                }
            })
        };
        let command = hosts.exec_streaming(&step.host, step.line(), timeout, sink);
        let result = match &step.follow {
            None => command.await,
            Some(read) => {
                let follow = follow(hosts, read, index, poll, events);
                tokio::pin!(command, follow);
                tokio::select! {
                    result = &mut command => result,
                    never = &mut follow => match never {},
                }
            }
        };
        let _ = forward.await;
        let output = match result {
            Ok(output) => output,
            Err(error) => {
                return (
                    StepOutcome::Interrupted {
                        message: error.message,
                        sent: error.sent,
                    },
                    None,
                )
            }
        };
        let Some(condition) = &step.until else {
            let outcome = match HostError::check(&output) {
                Ok(_) => StepOutcome::Succeeded,
                Err(error) => StepOutcome::Failed(error.to_string()),
            };
            return (outcome, Some(output));
        };
        match condition::holds(condition, &step.command, &output) {
            Ok(true) => return (StepOutcome::Succeeded, Some(output)),
            Ok(false) | Err(_)
                if step.kind == StepKind::Wait && asked_to_stop.load(Ordering::SeqCst) =>
            {
                let observed = condition::observed(condition, &step.command, &output);
                return (
                    StepOutcome::ConditionNotMet(format!(
                        "stopped watching on request (a signal); last seen: {observed}"
                    )),
                    Some(output),
                );
            }
            Ok(false) | Err(_) if step.kind == StepKind::Wait && Instant::now() < deadline => {
                let observed = condition::observed(condition, &step.command, &output);
                let _ = events
                    .send(ExecEvent::Polled {
                        step: index,
                        observed,
                    })
                    .await;
                tokio::time::sleep(poll).await;
            }
            Ok(false) => {
                let observed = condition::observed(condition, &step.command, &output);
                return (StepOutcome::ConditionNotMet(observed), Some(output));
            }
            Err(error) => return (StepOutcome::Failed(error), Some(output)),
        }
    }
}

/// Reads `read` every `poll` while a step runs and reports what its condition sees as
/// that step's progress; it ends only when the step's command ends and drops it.
async fn follow<R: Exec>(
    hosts: &R,
    read: &Step,
    index: usize,
    poll: Duration,
    events: &mpsc::Sender<ExecEvent>,
) -> std::convert::Infallible {
    loop {
        tokio::time::sleep(poll).await;
        let Ok(output) = hosts.exec(&read.host, read.line()).await else {
            continue;
        };
        let observed = match &read.until {
            Some(condition) => condition::observed(condition, &read.command, &output),
            None => output.stdout.trim().to_string(),
        };
        let _ = events
            .send(ExecEvent::Polled {
                step: index,
                observed,
            })
            .await;
    }
}
