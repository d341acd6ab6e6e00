//! The wizards in the console, driven by keys through the real key map: remote restart
//! from the systems view, relocation from the LPAR view, cleanup, read-only mode, plan
//! errors; snapshots of every screen (ratatui TestBackend + insta) at 100×30 and 80×24;
//! then the remote restart run to completion over the in-process simulator, a halted
//! run with its recovery branch, and the journal of both.
//!
//! Regenerate the snapshots after a deliberate change with
//! `INSTA_UPDATE=always cargo test --test ui_wizards` and review the diff.

mod ui_support;

use powerdeck::estate::LparState;
use powerdeck::exec::OutputLine;
use powerdeck::refresh::{Event, SourceData};
use powerdeck::sim::Estate;
use powerdeck::ui::{self, Action, App, ConsoleOptions, Request, Stage, View, WizardKind};
use powerdeck::wizard::{ExecEvent, JournalRecord, RunSummary, StepOutcome};
use ui_support::{draw, press, select, story, story_with, Live};

const SIZES: [(u16, u16); 2] = [(100, 30), (80, 24)];

/// Draws the console at both sizes and compares with the snapshots.
fn check(name: &str, app: &mut App) {
    for (width, height) in SIZES {
        let screen = draw(app, width, height);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), screen);
    }
    draw(app, 100, 30);
}

/// The story console with the remote restart wizard open on p8-legacy-c.
fn remote_restart() -> App {
    let mut app = story();
    select(&mut app, "p8-legacy-c");
    press(&mut app, "R");
    assert!(
        matches!(
            app.wizard.as_ref().map(|w| &w.kind),
            Some(WizardKind::RemoteRestart { system, .. }) if system == "p8-legacy-c"
        ),
        "{:?}",
        app.message
    );
    app
}

fn stage(app: &App) -> Option<Stage> {
    app.wizard.as_ref().map(|w| w.stage)
}

fn executes(app: &App) -> usize {
    app.requests
        .iter()
        .filter(|r| matches!(r, Request::Execute { .. }))
        .count()
}

#[test]
fn remote_restart_target_pick() {
    let mut app = remote_restart();
    assert_eq!(stage(&app), Some(Stage::Target));
    let wizard = app.wizard.as_ref().unwrap();
    assert_eq!(wizard.chosen_target().unwrap().system, "p10-test-d");
    check("wizard_rr_target", &mut app);
}

#[test]
fn remote_restart_partitions_order_and_parallelism() {
    let mut app = remote_restart();
    press(&mut app, "<enter>");
    assert_eq!(stage(&app), Some(Stage::Partitions));
    check("wizard_rr_partitions", &mut app);
    let order = |app: &App| -> Vec<String> {
        app.wizard
            .as_ref()
            .unwrap()
            .partitions
            .iter()
            .filter(|p| p.chosen)
            .map(|p| p.name.clone())
            .collect()
    };
    assert_eq!(order(&app), ["legacy01", "legacy02"]);
    // J moves the highlighted partition later, K earlier; + and - too.
    press(&mut app, "J");
    assert_eq!(order(&app), ["legacy02", "legacy01"]);
    press(&mut app, "-");
    assert_eq!(order(&app), ["legacy01", "legacy02"]);
    press(&mut app, "+K");
    assert_eq!(order(&app), ["legacy01", "legacy02"]);
    // Space skips one; none at all cannot go on.
    press(&mut app, "g ");
    assert_eq!(order(&app), ["legacy02"]);
    press(&mut app, "j <enter>");
    assert!(order(&app).is_empty());
    assert_eq!(stage(&app), Some(Stage::Partitions));
    assert!(app.message.as_ref().unwrap().0.contains("at least one"));
    press(&mut app, " ");
    // Parallelism: default 2, between 1 and 16.
    press(&mut app, "<<<");
    assert_eq!(app.wizard.as_ref().unwrap().parallelism, 1);
    press(&mut app, ">>>");
    assert_eq!(app.wizard.as_ref().unwrap().parallelism, 4);
    press(&mut app, "<enter>");
    let plan = app.wizard.as_ref().unwrap().plan().unwrap().clone();
    assert_eq!(plan.parallelism, 4);
    let restarts: Vec<String> = plan
        .steps
        .iter()
        .filter(|s| s.line().contains("-o restart"))
        .map(|s| s.line())
        .collect();
    assert_eq!(restarts.len(), 1, "only legacy02: {restarts:?}");
    assert!(restarts[0].contains("-p legacy02"));
}

#[test]
fn remote_restart_plan_review_shows_every_step() {
    let mut app = remote_restart();
    press(&mut app, "<enter><enter>");
    assert_eq!(stage(&app), Some(Stage::Plan));
    let plan = app.wizard.as_ref().unwrap().plan().unwrap().clone();
    check("wizard_rr_plan", &mut app);
    // Scrolled through, the screen shows every step's exact command line (wide enough
    // not to wrap them).
    let mut seen = String::new();
    for _ in 0..10 {
        seen.push_str(&draw(&mut app, 200, 30));
        press(&mut app, "<c-d>");
    }
    for step in &plan.steps {
        assert!(seen.contains(&step.line()), "{} not shown", step.line());
        assert!(seen.contains(&step.why), "{} not shown", step.why);
    }
    // G goes to the end, k comes back one line at once.
    draw(&mut app, 100, 30);
    press(&mut app, "G");
    let bottom = app.wizard.as_ref().unwrap().scroll;
    assert!(bottom > 0);
    press(&mut app, "k");
    assert_eq!(app.wizard.as_ref().unwrap().scroll, bottom - 1);
}

#[test]
fn remote_restart_confirmation_needs_the_exact_name() {
    let mut app = remote_restart();
    press(&mut app, "<enter><enter><enter>");
    assert_eq!(stage(&app), Some(Stage::Confirm));
    press(&mut app, "p8-legacy");
    check("wizard_rr_confirm", &mut app);
    // Enter with anything else does nothing but say so.
    press(&mut app, "<enter>");
    assert_eq!(stage(&app), Some(Stage::Confirm));
    assert_eq!(executes(&app), 0);
    let (message, _) = app.message.clone().unwrap();
    assert!(
        message.contains("\"p8-legacy\" is not p8-legacy-c"),
        "{message}"
    );
    check("wizard_rr_confirm_wrong", &mut app);
    // Esc goes back to the plan, and again to the partitions: nothing asked for.
    press(&mut app, "<esc>");
    assert_eq!(stage(&app), Some(Stage::Plan));
    press(&mut app, "<esc><esc><esc>");
    assert!(app.wizard.is_none());
    assert_eq!(executes(&app), 0);
    assert!(app.message.unwrap().0.contains("Cancelled"));
}

#[test]
fn no_single_key_runs_anything() {
    // Every key the wizards know, on every screen, many times: nothing is sent until a
    // name is typed on the confirmation.
    let mut app = remote_restart();
    for _ in 0..3 {
        press(&mut app, "<enter> JK+-<>jkgG<c-d><c-u>r<enter>");
    }
    assert_eq!(stage(&app), Some(Stage::Confirm));
    press(&mut app, "<enter><enter>xyz<enter><bs><bs><bs><enter>");
    assert_eq!(executes(&app), 0);
    assert!(app
        .requests
        .iter()
        .all(|r| matches!(r, Request::Refresh(_) | Request::LoadJournal)));
    press(&mut app, "<c-u>p8-legacy-c<enter>");
    assert_eq!(executes(&app), 1);
    assert_eq!(stage(&app), Some(Stage::Running));
}

/// A running remote restart on the story estate, the executor's events made up.
fn running() -> App {
    let mut app = remote_restart();
    press(&mut app, "<enter><enter><enter>p8-legacy-c<enter>");
    let Some(Request::Execute {
        plan, confirmation, ..
    }) = app
        .requests
        .iter()
        .find(|r| matches!(r, Request::Execute { .. }))
        .cloned()
    else {
        panic!("no execute request: {:?}", app.requests);
    };
    assert_eq!(confirmation, "p8-legacy-c");
    app.requests.clear();
    let restart = |name: &str| {
        plan.steps
            .iter()
            .position(|s| s.line().contains("-o restart") && s.line().contains(name))
            .unwrap()
    };
    let mut events = Vec::new();
    for step in 0..restart("legacy01") {
        events.push(ExecEvent::StepStarted(step));
        events.push(ExecEvent::StepFinished {
            step,
            outcome: StepOutcome::Succeeded,
        });
    }
    events.push(ExecEvent::Output {
        step: 0,
        line: OutputLine {
            stderr: false,
            text: "p8-legacy-c,Error - Dump in progress\n".to_string(),
        },
    });
    for name in ["legacy01", "legacy02"] {
        events.push(ExecEvent::StepStarted(restart(name)));
    }
    events.push(ExecEvent::StepFinished {
        step: restart("legacy01"),
        outcome: StepOutcome::Succeeded,
    });
    let wait = plan.steps.len() - 2;
    events.push(ExecEvent::StepStarted(wait));
    events.push(ExecEvent::Polled {
        step: wait,
        observed: "legacy01 is Starting".to_string(),
    });
    for event in events {
        ui::update(&mut app, Action::Exec(event));
    }
    ui::update(
        &mut app,
        Action::Tick(ui::fixture::now() + std::time::Duration::from_secs(42)),
    );
    app
}

#[test]
fn remote_restart_running() {
    let mut app = running();
    assert_eq!(stage(&app), Some(Stage::Running));
    check("wizard_rr_running", &mut app);
    // Quitting is refused while it runs; Esc puts it aside and w brings it back.
    press(&mut app, "q");
    assert!(!app.quitting);
    press(&mut app, "<esc>");
    assert!(app.wizard.as_ref().unwrap().hidden);
    let screen = draw(&mut app, 100, 30);
    assert!(
        screen.contains("Remote restart from p8-legacy-c (hmc02) running · w"),
        "{screen}"
    );
    press(&mut app, "2");
    assert!(matches!(app.view.view, View::Lpars(_)));
    // Put aside, it still keeps the console from quitting under it.
    press(&mut app, "q:q<enter>");
    assert!(!app.quitting);
    assert!(app
        .message
        .as_ref()
        .unwrap()
        .0
        .contains("A plan is running"));
    press(&mut app, "w");
    assert!(!app.wizard.as_ref().unwrap().hidden);
}

#[test]
fn read_only_shows_the_plan_and_refuses() {
    let mut app = story_with(ConsoleOptions {
        read_only: true,
        ..ConsoleOptions::default()
    });
    select(&mut app, "p8-legacy-c");
    press(&mut app, "R<enter><enter>");
    assert_eq!(stage(&app), Some(Stage::Plan));
    press(&mut app, "<enter>");
    assert_eq!(stage(&app), Some(Stage::Plan), "no confirmation offered");
    assert!(app.message.as_ref().unwrap().0.contains("Read-only"));
    check("wizard_read_only", &mut app);
    assert_eq!(executes(&app), 0);
}

#[test]
fn relocate_from_the_lpar_view() {
    let mut app = story();
    press(&mut app, "2");
    // prddb01 runs in POWER10 mode: the only other system of its HMC is a POWER9.
    select(&mut app, "prddb01");
    press(&mut app, "M");
    assert_eq!(stage(&app), None);
    let said = app.message.as_ref().unwrap().0.clone();
    assert!(
        said.contains("prddb01 runs in POWER10 mode, which p9-dr-b does not support"),
        "{said}"
    );
    // prdapp01 is kept in POWER9 mode, so it can go.
    select(&mut app, "prdapp01");
    let screen = draw(&mut app, 100, 30);
    assert!(screen.contains("M relocate"), "footer hint:\n{screen}");
    press(&mut app, "M");
    assert_eq!(stage(&app), Some(Stage::Target));
    check("wizard_relocate_target", &mut app);
    let wizard = app.wizard.as_ref().unwrap();
    // p9-dr-b is the only system on hmc01 besides the source; the others are on hmc02.
    assert_eq!(wizard.chosen_target().unwrap().system, "p9-dr-b");
    assert!(wizard.targets[1..].iter().all(|t| !t.fit.possible()));
    // A system that cannot take it says why and stays.
    press(&mut app, "j<enter>");
    assert_eq!(stage(&app), Some(Stage::Target));
    assert!(app.message.as_ref().unwrap().0.contains("on hmc02"));
    press(&mut app, "k<enter>");
    assert_eq!(stage(&app), Some(Stage::Plan));
    let plan = app.wizard.as_ref().unwrap().plan().unwrap().clone();
    assert_eq!(plan.confirm_name, "prdapp01");
    assert!(plan
        .steps
        .iter()
        .any(|s| s.line().contains("migrlpar -o m")));
    // The moves under way and the room on the target were read before the plan.
    assert!(
        plan.notes
            .iter()
            .any(|n| n == "active moves now: p10-prod-a runs 0 of 16; p9-dr-b runs 0 of 16"),
        "{:?}",
        plan.notes
    );
    press(&mut app, "<enter>prdapp01<enter>");
    assert_eq!(executes(&app), 1);
}

#[test]
fn relocate_refuses_a_vios_with_one_line() {
    let mut app = story();
    press(&mut app, "2");
    select(&mut app, "vios1a");
    press(&mut app, "M");
    assert!(app.wizard.is_none());
    let (message, _) = app.message.clone().unwrap();
    assert!(message.contains("Virtual I/O Server"), "{message}");
    assert!(!message.contains('\n'));
}

#[test]
fn cleanup_options_then_plan() {
    let mut app = story();
    select(&mut app, "p9-dr-b");
    let screen = draw(&mut app, 100, 30);
    assert!(screen.contains("C cleanup"), "footer hint:\n{screen}");
    press(&mut app, "C");
    assert_eq!(stage(&app), Some(Stage::Options));
    check("wizard_cleanup_options", &mut app);
    press(&mut app, " ");
    assert!(app.wizard.as_ref().unwrap().retain_devices);
    press(&mut app, "<enter>");
    let plan = app.wizard.as_ref().unwrap().plan().unwrap().clone();
    assert!(plan
        .steps
        .iter()
        .any(|s| s.line().contains("rrstartlpar -o cleanup") && s.line().contains("--retaindev")));
    check("wizard_cleanup_plan", &mut app);
}

#[test]
fn wizards_need_the_right_row_and_state() {
    let mut app = story();
    // p10-prod-a is Operating: no remote restart from it.
    select(&mut app, "p10-prod-a");
    press(&mut app, "R");
    assert!(app.wizard.is_none());
    assert!(app.message.as_ref().unwrap().0.contains("is Operating"));
    // Nothing to clean up there either.
    press(&mut app, "C");
    assert!(app
        .message
        .as_ref()
        .unwrap()
        .0
        .contains("nothing to clean up"));
    // p8-legacy-c is still down: it cannot be cleaned up yet.
    select(&mut app, "p8-legacy-c");
    press(&mut app, "C");
    assert!(app.wizard.is_none());
    // A system is not a partition.
    press(&mut app, "M");
    assert!(app
        .message
        .as_ref()
        .unwrap()
        .0
        .contains("select a partition"));
    // w with no wizard says so.
    press(&mut app, "w");
    assert!(app.message.as_ref().unwrap().0.contains("No wizard"));
}

#[test]
fn a_plan_error_is_one_line_on_the_plan_screen() {
    let mut app = remote_restart();
    press(&mut app, "<enter>");
    // Before the plan is built, a refresh reports the target gone to Error.
    let mut snapshot = app.snapshots["hmc02"].clone();
    if let SourceData::Hmc(systems) = &mut snapshot.data {
        for system in systems.iter_mut() {
            if system.system.name == "p10-test-d" {
                system.system.state = powerdeck::estate::SystemState::Error;
            }
        }
    }
    ui::update(&mut app, Action::Engine(Event::Snapshot(snapshot)));
    press(&mut app, "<enter>");
    assert_eq!(stage(&app), Some(Stage::Plan));
    let error = app
        .wizard
        .as_ref()
        .unwrap()
        .plan
        .clone()
        .unwrap()
        .unwrap_err();
    assert!(error.reason.contains("must be Operating"), "{error}");
    check("wizard_plan_error", &mut app);
    press(&mut app, "<enter>");
    assert_eq!(stage(&app), Some(Stage::Plan));
    assert!(app.message.as_ref().unwrap().0.starts_with("No plan:"));
}

/// Journal records of two runs, as the executor writes them.
fn journal_records() -> Vec<JournalRecord> {
    let record = |run: &str, event: &str, at: &str| JournalRecord {
        run_id: run.to_string(),
        event: event.to_string(),
        at: at.to_string(),
        who: "oncall".to_string(),
        wizard: if run == "rr" {
            "remote-restart".to_string()
        } else {
            "relocate".to_string()
        },
        title: if run == "rr" {
            "Remote restart from s824-01 to s924-01".to_string()
        } else {
            "Relocate prdweb01 from e980-01 to e1080-01".to_string()
        },
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
    };
    let step =
        |run: &str, at: &str, index: usize, kind: &str, command: &str, out: &str, ok: bool| {
            JournalRecord {
                step: Some(index),
                kind: Some(kind.to_string()),
                host: Some("hmc01".to_string()),
                command: Some(command.to_string()),
                exit_status: Some(if ok { 0 } else { 1 }),
                stdout: Some(out.to_string()),
                stderr: Some(String::new()),
                duration_ms: Some(if ok { 6000 } else { 36_000 }),
                outcome: Some(if ok {
                    "succeeded".to_string()
                } else {
                    "failed: HSCLA9E4 The remote restart of the partition prddb02 failed"
                        .to_string()
                }),
                ..record(run, "step", at)
            }
        };
    vec![
        JournalRecord {
            choices: vec!["target e1080-01".into(), "confirmation typed: \"prdweb01\"".into()],
            ..record("lpm", "run-started", "2025-06-14T01:10:00Z")
        },
        JournalRecord {
            outcome: Some("completed".into()),
            ..record("lpm", "run-ended", "2025-06-14T01:14:02Z")
        },
        JournalRecord {
            choices: vec![
                "target s924-01".into(),
                "partitions in order: prddb02".into(),
                "parallelism 2".into(),
                "confirmation typed: \"s824-01\"".into(),
            ],
            ..record("rr", "run-started", "2025-06-14T02:51:07Z")
        },
        step(
            "rr",
            "2025-06-14T02:51:07Z",
            0,
            "check",
            "LANG=C lssyscfg -r sys -m s824-01 -F name,state",
            "s824-01,Error - Dump in progress\n",
            true,
        ),
        step(
            "rr",
            "2025-06-14T02:51:13Z",
            1,
            "validate",
            "LANG=C rrstartlpar -o validate -m s824-01 -t s924-01 -p prddb02",
            "",
            true,
        ),
        step(
            "rr",
            "2025-06-14T02:51:49Z",
            2,
            "change",
            "LANG=C rrstartlpar -o restart -m s824-01 -t s924-01 -p prddb02",
            "HSCLA9E4 The remote restart of the partition prddb02 on the managed system s924-01 failed\n",
            false,
        ),
        JournalRecord {
            host: Some("hmc01".into()),
            command: Some("LANG=C lssyscfg -r sys -m s824-01 -F name,state".into()),
            stdout: Some("s824-01,Error - Dump in progress\n".into()),
            ..record("rr", "reread", "2025-06-14T02:51:50Z")
        },
        JournalRecord {
            outcome: Some("halted at step 3".into()),
            step: Some(2),
            ..record("rr", "run-ended", "2025-06-14T02:51:50Z")
        },
    ]
}

#[test]
fn journal_lists_runs_and_replays_one() {
    let mut app = story();
    press(&mut app, "8");
    assert_eq!(
        app.requests,
        [Request::LoadJournal],
        "the view reads the file"
    );
    app.requests.clear();
    ui::update(&mut app, Action::JournalLoaded(Ok(journal_records())));
    check("journal_runs", &mut app);
    assert_eq!(
        ui_support::names(&app),
        ["2025-06-14 02:51:07", "2025-06-14 01:10:00"],
        "newest first"
    );
    press(&mut app, "<enter>");
    assert!(matches!(&app.view.view, View::JournalRun(id) if id == "rr"));
    check("journal_replay", &mut app);
    let screen = draw(&mut app, 100, 30);
    assert!(screen.contains("rrstartlpar -o restart -m s824-01 -t s924-01 -p prddb02"));
    assert!(screen.contains("│ HSCLA9E4"));
    press(&mut app, "<esc>");
    assert!(matches!(app.view.view, View::Journal));
    ui::update(
        &mut app,
        Action::JournalLoaded(Err("cannot read the journal /x: denied".into())),
    );
    assert!(app.message.as_ref().unwrap().0.contains("denied"));
}

/// The demo estate, one partition of s824-01 failing its remote restart when asked to.
fn demo_with_failing(lpar: &str) -> Estate {
    let mut estate = Estate::demo();
    for hmc in &mut estate.hmc {
        for system in &mut hmc.systems {
            for partition in &mut system.lpars {
                if partition.name == lpar {
                    partition.fail_remote_restart = true;
                }
            }
        }
    }
    estate
}

/// Every copy of a partition: (system, state), from the console's snapshots.
fn whereabouts(app: &App, lpar: &str) -> Vec<(String, LparState)> {
    app.snapshots
        .values()
        .filter_map(|s| match &s.data {
            SourceData::Hmc(systems) => Some(systems),
            _ => None,
        })
        .flatten()
        .flat_map(|system| {
            system
                .lpars
                .iter()
                .filter(|l| l.name == lpar)
                .map(|l| (system.system.name.clone(), l.state.clone()))
        })
        .collect()
}

fn has_plan(app: &App) -> bool {
    app.wizard.as_ref().is_some_and(|w| w.plan.is_some())
}

fn finished(app: &App) -> bool {
    stage(app) == Some(Stage::Finished)
}

/// The executor's summary of the wizard's run.
fn summary_of(app: &App) -> RunSummary {
    app.wizard
        .as_ref()
        .and_then(|w| w.run.as_ref())
        .and_then(|r| r.summary.clone())
        .expect("a finished run")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_restart_by_keys_to_completion_over_the_simulator() {
    let mut live = Live::start("rr", Estate::demo(), false).await;
    select(&mut live.app, "s824-01");
    // Open, keep the default target and order, review the plan, type the name, go.
    live.press("R<enter><enter>");
    // The plan shows once the simulator has answered the capacity reads.
    live.until("the capacity and the plan", has_plan).await;
    live.press("<enter>s824-01<enter>");
    assert_eq!(stage(&live.app), Some(Stage::Running));
    live.until("the run's summary", finished).await;
    let summary = summary_of(&live.app);
    assert!(
        summary.completed(),
        "{}",
        summary.describe(live.app.wizard.as_ref().unwrap().plan().unwrap())
    );
    check("wizard_rr_completed", &mut live.app);
    // The run asked for a refresh: the partitions run on s924-01 now.
    live.until("the refresh after the run", |app| {
        whereabouts(app, "prddb02").contains(&("s924-01".to_string(), LparState::Running))
    })
    .await;
    for lpar in ["prdapp03", "prddb02", "prdweb02", "devapp02"] {
        assert!(
            whereabouts(&live.app, lpar).contains(&("s924-01".to_string(), LparState::Running)),
            "{lpar}: {:?}",
            whereabouts(&live.app, lpar)
        );
    }
    // The world itself changed, not just the console's idea of it.
    let hmc = powerdeck::sim::local::LocalTransport::new(live.world.clone());
    let listing = powerdeck::exec::Exec::exec(
        &hmc,
        "hmc01",
        "lssyscfg -r lpar -m s924-01 -F name,state".to_string(),
    )
    .await
    .unwrap();
    for lpar in ["prdapp03", "prddb02", "prdweb02", "devapp02"] {
        assert!(
            listing.stdout.contains(&format!("{lpar},Running")),
            "{}",
            listing.stdout
        );
    }
    // The journal has the run, and the journal view shows it.
    live.press("<enter>8");
    live.until("the journal", |app| !app.journal.is_empty())
        .await;
    let screen = live.draw(100, 30);
    assert!(
        screen.contains("Remote restart from s824-01 to s924-01") && screen.contains("completed"),
        "{screen}"
    );
    live.press("<enter>");
    let screen = live.draw(120, 40);
    assert!(
        screen.contains("confirmation typed: \"s824-01\""),
        "{screen}"
    );
    assert!(
        screen.contains("rrstartlpar -o restart -m s824-01"),
        "{screen}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_halted_remote_restart_offers_its_recovery_never_a_rerun() {
    let mut live = Live::start("halt", demo_with_failing("prddb02"), false).await;
    select(&mut live.app, "s824-01");
    live.press("R<enter>");
    // Only prddb02, so the summary is short.
    for name in ["devapp02", "prdapp03", "prdweb02"] {
        let at = live
            .app
            .wizard
            .as_ref()
            .unwrap()
            .partitions
            .iter()
            .position(|p| p.name == name)
            .unwrap();
        live.press("g");
        for _ in 0..at {
            live.press("j");
        }
        live.press(" ");
    }
    live.press("<enter>");
    live.until("the capacity and the plan", has_plan).await;
    live.press("<enter>s824-01<enter>");
    live.until("the run's summary", finished).await;
    let summary = summary_of(&live.app);
    assert!(summary.halted_at.is_some());
    assert!(!summary.reread.is_empty(), "the state was read again");
    assert_eq!(summary.recovery.len(), 1);
    check("wizard_rr_halted", &mut live.app);
    // r shows the recovery branch as a plan of its own, to review and confirm.
    live.press("r");
    assert!(matches!(
        live.app.wizard.as_ref().map(|w| (&w.kind, w.stage)),
        Some((WizardKind::Recovery, Stage::Plan))
    ));
    let plan = live.app.wizard.as_ref().unwrap().plan().unwrap().clone();
    assert_eq!(plan.steps.len(), 1);
    assert!(plan.steps[0].line().contains("rrstartlpar -o recover"));
    check("wizard_recovery_plan", &mut live.app);
    live.press("<enter>s824-01<enter>");
    live.until("the recovery's summary", finished).await;
    let summary = summary_of(&live.app);
    assert!(summary.completed(), "{summary:?}");
    // The failed restart was sent once; nothing re-ran it.
    live.press("<enter>");
    let records = powerdeck::wizard::Journal::read(&live.journal).unwrap();
    let restarts = records
        .iter()
        .filter(|r| {
            r.event == "sent"
                && r.command
                    .as_deref()
                    .is_some_and(|c| c.contains("-o restart") && c.contains("prddb02"))
        })
        .count();
    assert_eq!(restarts, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_console_never_runs_and_the_executor_would_refuse() {
    let mut live = Live::start("ro", Estate::demo(), true).await;
    select(&mut live.app, "s824-01");
    live.press("R<enter><enter>");
    live.until("the capacity and the plan", has_plan).await;
    live.press("<enter>s824-01<enter>");
    assert_eq!(stage(&live.app), Some(Stage::Plan));
    assert_eq!(executes(&live.app), 0);
    // Even a request that got through would be refused by the executor.
    let plan = live.app.wizard.as_ref().unwrap().plan().unwrap().clone();
    live.app.requests.push(Request::Execute {
        plan: Box::new(plan),
        confirmation: "s824-01".to_string(),
        attestation: None,
        choices: Vec::new(),
    });
    let mut wizard = live.app.wizard.take().unwrap();
    wizard.run = Some(ui::wizard::Run::new(
        wizard.plan().unwrap(),
        ui::fixture::now(),
    ));
    wizard.stage = Stage::Running;
    live.app.wizard = Some(wizard);
    live.until("the refusal", finished).await;
    assert!(matches!(
        &summary_of(&live.app).ran[0].1,
        StepOutcome::Refused(why) if why.contains("read-only")
    ));
    live.settle(std::time::Duration::from_millis(200)).await;
    assert!(
        !whereabouts(&live.app, "prddb02")
            .iter()
            .any(|(system, _)| system == "s924-01"),
        "nothing restarted"
    );
}

#[test]
fn wizard_screens_survive_tiny_terminals() {
    let sizes = [(20, 5), (1, 1), (200, 3), (30, 10), (40, 8)];
    let mut screens: Vec<App> = Vec::new();
    let mut app = remote_restart();
    for keys in ["", "<enter>", "<enter>", "<enter>p8"] {
        press(&mut app, keys);
        screens.push(app.clone());
    }
    screens.push(running());
    let mut cleanup = story();
    select(&mut cleanup, "p9-dr-b");
    press(&mut cleanup, "C");
    screens.push(cleanup);
    for mut app in screens {
        for (w, h) in sizes {
            draw(&mut app, w, h);
            press(&mut app, "jGk<c-d>");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signal_during_a_run_stops_it_after_the_steps_in_flight_then_leaves() {
    let mut live = Live::start("signal", Estate::demo(), false).await;
    select(&mut live.app, "s824-01");
    live.press("R<enter><enter>");
    live.until("the capacity and the plan", has_plan).await;
    ui_support::press_only(&mut live.app, "<enter>s824-01<enter>");
    assert_eq!(stage(&live.app), Some(Stage::Running));
    // SIGTERM as the runner delivers it, before the run got anywhere: the console does
    // not leave mid-plan, and the plan sends nothing further.
    ui::update(&mut live.app, Action::Signal);
    assert!(!live.app.quitting, "never left in the middle of a plan");
    live.press("");
    live.until("the run's summary", finished).await;
    let summary = summary_of(&live.app);
    let plan = live.app.wizard.as_ref().unwrap().plan().unwrap().clone();
    assert!(
        summary
            .ran
            .iter()
            .any(|(_, outcome)| matches!(outcome, StepOutcome::Refused(why) if why.contains("stopped on request"))),
        "{}",
        summary.describe(&plan)
    );
    assert!(live.app.quitting, "leaves once the summary is in");
    let records = powerdeck::wizard::Journal::read(&live.journal).unwrap();
    let ended = records
        .iter()
        .rev()
        .find(|r| r.event == "run-ended")
        .unwrap();
    assert!(
        ended
            .outcome
            .as_deref()
            .unwrap()
            .starts_with("stopped on request"),
        "{ended:?}"
    );
    assert!(
        !records.iter().any(|r| r.event == "sent"),
        "asked to stop before the first step: nothing was sent"
    );
    // Whatever was sent was finished and journaled: no "sent" without its "step".
    for sent in records.iter().filter(|r| r.event == "sent") {
        assert!(
            records
                .iter()
                .any(|r| r.event == "step" && r.step == sent.step),
            "step {:?} sent and never finished",
            sent.step
        );
    }
}
