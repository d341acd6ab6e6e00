//! The plan executor against a scripted host: confirmation, read-only refusal, halts
//! with a re-read, no blind re-run of a changing step, waits, bounded parallel groups,
//! and a journal that holds every step.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use powerdeck::estate::LparState;
use powerdeck::exec::{CommandOutput, Exec, ExecError, ExecErrorKind};
use powerdeck::sources::hmc::commands::{self, MigrationOp};
use powerdeck::wizard::{
    Condition, ExecEvent, Executor, Journal, Plan, Step, StepKind, StepOutcome,
};
use tokio::sync::mpsc;

type Answer = Result<CommandOutput, ExecError>;

/// Answers by the first matching substring, each answer used once (the last repeats).
#[derive(Default)]
struct Scripted {
    answers: Mutex<Vec<(String, VecDeque<Answer>)>>,
    calls: Mutex<Vec<String>>,
    running: AtomicUsize,
    most_at_once: AtomicUsize,
}

impl Scripted {
    fn answer(self, pattern: &str, answers: Vec<Answer>) -> Self {
        self.answers
            .lock()
            .unwrap()
            .push((pattern.to_string(), answers.into()));
        self
    }

    fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }
}

fn ok(stdout: &str) -> Answer {
    Ok(CommandOutput::new(stdout, "", 0))
}

impl Exec for Scripted {
    async fn exec(&self, _host: &str, line: String) -> Result<CommandOutput, ExecError> {
        self.calls.lock().unwrap().push(line.clone());
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_at_once.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(20)).await;
        self.running.fetch_sub(1, Ordering::SeqCst);
        let answer = {
            let mut answers = self.answers.lock().unwrap();
            let (_, queue) = answers
                .iter_mut()
                .find(|(pattern, _)| line.contains(pattern.as_str()))
                .unwrap_or_else(|| panic!("unscripted command {line}"));
            if queue.len() > 1 {
                queue.pop_front().unwrap()
            } else {
                queue.front().unwrap().clone()
            }
        };
        answer
    }
}

fn relocation_plan() -> Plan {
    let check = Step::new(
        "hmc01",
        StepKind::Check,
        commands::lssyscfg_lpar("p9-01", &["app01"], &["name", "state"]).unwrap(),
        "app01 is Running",
    )
    .until(
        Condition::LparState {
            lpar: "app01".into(),
            states: vec![LparState::Running],
        },
        Duration::ZERO,
    );
    let migrate = Step::new(
        "hmc01",
        StepKind::Change,
        commands::migrlpar("p9-01", "app01", MigrationOp::Migrate { target: "p9-02" }).unwrap(),
        "migrate",
    )
    .recover_with(vec![Step::new(
        "hmc01",
        StepKind::Change,
        commands::migrlpar("p9-01", "app01", MigrationOp::Recover).unwrap(),
        "recover",
    )]);
    let wait = Step::new(
        "hmc01",
        StepKind::Wait,
        commands::lssyscfg_lpar("p9-02", &["app01"], &["name", "state"]).unwrap(),
        "app01 runs on p9-02",
    )
    .until(
        Condition::LparState {
            lpar: "app01".into(),
            states: vec![LparState::Running],
        },
        Duration::from_secs(5),
    );
    Plan {
        wizard: "relocate",
        title: "Relocate app01".into(),
        confirm_name: "app01".into(),
        attestation: None,
        steps: vec![check, migrate, wait],
        parallelism: 1,
        notes: Vec::new(),
    }
}

fn journal_path(test: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!(
        "powerdeck-journal-{test}-{}.jsonl",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&path);
    path
}

async fn run(
    runner: Scripted,
    plan: &Plan,
    read_only: bool,
    confirmation: &str,
    journal: &std::path::Path,
) -> (powerdeck::wizard::RunSummary, Arc<Scripted>, Vec<ExecEvent>) {
    let runner = Arc::new(runner);
    let mut executor = Executor::new(
        runner.clone(),
        Some(Journal::open(journal).unwrap()),
        read_only,
    );
    executor.poll_interval = Duration::from_millis(10);
    let (tx, mut rx) = mpsc::channel(1024);
    let summary = executor
        .execute(plan, 0, confirmation, Vec::new(), tx)
        .await;
    let mut events = Vec::new();
    while let Ok(event) = rx.try_recv() {
        events.push(event);
    }
    (summary, runner, events)
}

#[tokio::test]
async fn completes_and_journals_every_step() {
    let path = journal_path("complete");
    let runner = Scripted::default()
        .answer("-m p9-01 --filter", vec![ok("app01,Running\n")])
        .answer("migrlpar -o m", vec![ok("")])
        .answer(
            "-m p9-02 --filter",
            vec![
                ok("No results were found.\n"),
                ok("app01,Migrating - Running\n"),
                ok("app01,Running\n"),
            ],
        );
    let (summary, runner, events) = run(runner, &relocation_plan(), false, "app01", &path).await;
    assert!(summary.completed(), "{summary:?}");
    assert_eq!(runner.calls().len(), 5, "check, migrate, three polls");
    assert!(events.iter().any(|e| matches!(e, ExecEvent::Polled { step: 2, observed } if observed == "app01 is not listed")));
    assert!(events.contains(&ExecEvent::Completed));
    let records = Journal::read(&path).unwrap();
    let kinds: Vec<_> = records.iter().map(|r| r.event.as_str()).collect();
    assert_eq!(
        kinds,
        ["run-started", "step", "sent", "step", "step", "run-ended"],
        "the migration is journaled as sent before it goes out"
    );
    for sent_then_done in &records[2..4] {
        assert_eq!(
            sent_then_done.command.as_deref(),
            Some("LANG=C migrlpar -o m -m p9-01 -t p9-02 -p app01")
        );
    }
    assert_eq!(records[2].exit_status, None);
    assert_eq!(records[3].exit_status, Some(0));
    assert_eq!(records[5].outcome.as_deref(), Some("completed"));
    assert!(records[0].choices.iter().any(|c| c.contains("app01")));
}

#[tokio::test]
async fn read_only_runs_nothing() {
    let path = journal_path("readonly");
    let (summary, runner, _) = run(
        Scripted::default(),
        &relocation_plan(),
        true,
        "app01",
        &path,
    )
    .await;
    assert!(runner.calls().is_empty());
    assert!(matches!(&summary.ran[0].1, StepOutcome::Refused(why) if why.contains("read-only")));
    assert_eq!(summary.not_run, [0, 1, 2]);
    let records = Journal::read(&path).unwrap();
    assert!(records
        .last()
        .unwrap()
        .outcome
        .as_deref()
        .unwrap()
        .starts_with("refused"));
}

#[tokio::test]
async fn wrong_confirmation_runs_nothing() {
    let path = journal_path("confirm");
    let (summary, runner, _) = run(
        Scripted::default(),
        &relocation_plan(),
        false,
        "app0",
        &path,
    )
    .await;
    assert!(runner.calls().is_empty());
    assert!(
        matches!(&summary.ran[0].1, StepOutcome::Refused(why) if why.contains("type \"app01\""))
    );
}

#[tokio::test]
async fn a_failed_change_halts_rereads_and_offers_recovery() {
    let path = journal_path("failed");
    let runner = Scripted::default()
        .answer("-m p9-01 --filter", vec![ok("app01,Running\n")])
        .answer(
            "migrlpar -o m",
            vec![Ok(CommandOutput::new(
                "HSCLA319 The migrating partition's virtual fibre channel client adapter 4 cannot be hosted by the existing Virtual I/O Server (VIOS) partitions on the destination managed system.\n",
                "",
                1,
            ))],
        )
        .answer("-m p9-02 --filter", vec![ok("No results were found.\n")]);
    let (summary, runner, events) = run(runner, &relocation_plan(), false, "app01", &path).await;
    assert_eq!(summary.halted_at, Some(1));
    assert!(matches!(&summary.ran[1].1, StepOutcome::Failed(m) if m.starts_with("HSCLA319")));
    assert_eq!(summary.not_run, [2]);
    assert_eq!(
        summary.recovery[0].line(),
        "LANG=C migrlpar -o r -m p9-01 -p app01"
    );
    assert_eq!(
        summary.reread.len(),
        2,
        "the check and the wait commands, read again"
    );
    let migrations = runner
        .calls()
        .iter()
        .filter(|c| c.contains("migrlpar"))
        .count();
    assert_eq!(migrations, 1, "never re-run blindly");
    assert!(events.contains(&ExecEvent::Halted { step: 1 }));
    let text = summary.describe(&relocation_plan());
    assert!(text.contains("ran     2. LANG=C migrlpar -o m -m p9-01 -t p9-02 -p app01 -> failed"));
    assert!(text.contains("not run 3."));
    let records = Journal::read(&path).unwrap();
    assert_eq!(records.iter().filter(|r| r.event == "reread").count(), 2);
}

#[tokio::test]
async fn a_dropped_connection_is_reported_as_unknown_and_not_retried() {
    let path = journal_path("dropped");
    let runner = Scripted::default()
        .answer("-m p9-01 --filter", vec![ok("app01,Running\n")])
        .answer(
            "migrlpar -o m",
            vec![Err(ExecError {
                kind: ExecErrorKind::Disconnected,
                message: "connection to hmc01 dropped".into(),
                sent: true,
            })],
        )
        .answer("-m p9-02 --filter", vec![ok("app01,Migrating - Running\n")]);
    let (summary, runner, _) = run(runner, &relocation_plan(), false, "app01", &path).await;
    assert!(matches!(
        &summary.ran[1].1,
        StepOutcome::Interrupted { sent: true, .. }
    ));
    assert_eq!(
        runner
            .calls()
            .iter()
            .filter(|c| c.contains("migrlpar"))
            .count(),
        1
    );
    assert!(summary
        .reread
        .iter()
        .any(|(_, text)| text.contains("Migrating - Running")));
    let records = Journal::read(&path).unwrap();
    assert!(records.iter().any(|r| r
        .outcome
        .as_deref()
        .is_some_and(|o| o.starts_with("unknown"))));
}

#[tokio::test]
async fn a_wait_gives_up_after_its_timeout() {
    let path = journal_path("timeout");
    let mut plan = relocation_plan();
    plan.steps[2].timeout = Some(Duration::from_millis(100));
    let runner = Scripted::default()
        .answer("-m p9-01 --filter", vec![ok("app01,Running\n")])
        .answer("migrlpar", vec![ok("")])
        .answer("-m p9-02 --filter", vec![ok("app01,Migrating - Running\n")]);
    let (summary, _, _) = run(runner, &plan, false, "app01", &path).await;
    assert_eq!(summary.halted_at, Some(2));
    assert!(
        matches!(&summary.ran[2].1, StepOutcome::ConditionNotMet(seen) if seen == "app01 is Migrating - Running")
    );
}

#[tokio::test]
async fn parallel_groups_stay_within_the_bound() {
    let path = journal_path("parallel");
    let steps = (0..6)
        .map(|n| {
            Step::new(
                "hmc01",
                StepKind::Change,
                commands::rrstartlpar(
                    "p7-01",
                    &format!("lpar{n}"),
                    commands::RemoteRestartOp::Restart {
                        target: "p9-01",
                        no_connection: false,
                    },
                )
                .unwrap(),
                "restart",
            )
            .in_group(1)
        })
        .collect();
    let plan = Plan {
        wizard: "remote-restart",
        title: "restart".into(),
        confirm_name: "p7-01".into(),
        attestation: None,
        steps,
        parallelism: 2,
        notes: Vec::new(),
    };
    let runner = Scripted::default().answer("rrstartlpar", vec![ok("")]);
    let (summary, runner, _) = run(runner, &plan, false, "p7-01", &path).await;
    assert!(summary.completed());
    assert_eq!(runner.calls().len(), 6);
    assert_eq!(runner.most_at_once.load(Ordering::SeqCst), 2);
}

fn restart_group(count: usize, parallelism: usize) -> Plan {
    let steps = (0..count)
        .map(|n| {
            Step::new(
                "hmc01",
                StepKind::Change,
                commands::rrstartlpar(
                    "p7-01",
                    &format!("lpar{n}"),
                    commands::RemoteRestartOp::Restart {
                        target: "p9-01",
                        no_connection: false,
                    },
                )
                .unwrap(),
                "restart",
            )
            .in_group(1)
        })
        .collect();
    Plan {
        wizard: "remote-restart",
        title: "restart".into(),
        confirm_name: "p7-01".into(),
        attestation: None,
        steps,
        parallelism,
        notes: Vec::new(),
    }
}

#[tokio::test]
async fn a_failure_in_a_parallel_group_launches_no_further_change() {
    let path = journal_path("group-stop");
    let failed = Ok(CommandOutput::new(
        "HSCLA9E4 The remote restart of the partition lpar1 failed.\n",
        "",
        1,
    ));
    let runner = Scripted::default()
        .answer("-p lpar1", vec![failed])
        .answer("rrstartlpar", vec![ok("")]);
    let (summary, runner, _) = run(runner, &restart_group(6, 2), false, "p7-01", &path).await;
    assert_eq!(summary.halted_at, Some(1));
    let calls = runner.calls();
    // lpar0 and lpar1 were in flight together; once lpar1 failed nothing else went out.
    assert_eq!(calls.len(), 2, "{calls:?}");
    let ran: Vec<usize> = summary.ran.iter().map(|(step, _)| *step).collect();
    assert_eq!(ran, [0, 1], "both in-flight steps are read back");
    assert_eq!(summary.not_run, [2, 3, 4, 5]);
}

#[tokio::test]
async fn a_change_is_journaled_as_sent_before_it_goes_out() {
    let path = journal_path("sent-first");
    let runner = Scripted::default().answer("rrstartlpar", vec![ok("")]);
    let (summary, _, _) = run(runner, &restart_group(2, 1), false, "p7-01", &path).await;
    assert!(summary.completed());
    let records = Journal::read(&path).unwrap();
    let events: Vec<(String, Option<usize>)> =
        records.iter().map(|r| (r.event.clone(), r.step)).collect();
    assert_eq!(
        events,
        [
            ("run-started".to_string(), None),
            ("sent".to_string(), Some(0)),
            ("step".to_string(), Some(0)),
            ("sent".to_string(), Some(1)),
            ("step".to_string(), Some(1)),
            ("run-ended".to_string(), None),
        ]
    );
    assert!(records[1].command.as_deref().unwrap().contains("-p lpar0"));
}

#[tokio::test]
async fn without_a_journal_no_change_is_sent() {
    let runner = Arc::new(Scripted::default().answer("rrstartlpar", vec![ok("")]));
    let mut executor = Executor::new(runner.clone(), None, false);
    executor.journal_problem("the journal /x/journal.jsonl cannot be opened (disk full)");
    let (tx, _rx) = mpsc::channel(1024);
    let summary = executor
        .execute(&restart_group(2, 1), 0, "p7-01", Vec::new(), tx)
        .await;
    assert!(runner.calls().is_empty(), "{:?}", runner.calls());
    assert_eq!(summary.halted_at, Some(0));
    assert!(
        matches!(&summary.ran[0].1, StepOutcome::Refused(why) if why.contains("disk full")),
        "{:?}",
        summary.ran
    );
}

#[tokio::test]
async fn an_unwritable_journal_stops_the_change_before_it_is_sent() {
    let path = journal_path("full");
    let journal = Journal::open(&path).unwrap();
    // The file goes away and a directory takes its place: appends now fail.
    std::fs::remove_file(&path).unwrap();
    let runner = Arc::new(Scripted::default().answer("rrstartlpar", vec![ok("")]));
    let mut executor = Executor::new(runner.clone(), Some(journal), false);
    // /dev/full refuses every write the way a full disk does.
    let full = Journal::open(std::path::Path::new("/dev/full"));
    let executor = match full {
        Ok(full) => {
            executor = Executor::new(runner.clone(), Some(full), false);
            executor
        }
        Err(_) => executor,
    };
    let mut executor = executor;
    let (tx, _rx) = mpsc::channel(1024);
    let summary = executor
        .execute(&restart_group(1, 1), 0, "p7-01", Vec::new(), tx)
        .await;
    assert!(runner.calls().is_empty(), "{:?}", runner.calls());
    assert!(
        matches!(&summary.ran[0].1, StepOutcome::Refused(why) if why.contains("it was not sent")),
        "{:?}",
        summary.ran
    );
}
