//! The Wizards II plans in the console, driven by keys through the real key map over the
//! in-process simulator (`LocalTransport` on `Estate::demo()`): firmware update and
//! accept from the systems view, WPAR move and recovery from the WPAR view, NIM reset,
//! sync, takeover and nimadm pre-flight from the NIM view. Snapshots of the screens
//! (ratatui TestBackend + insta) at 100×30; two runs to completion that check the world
//! changed; read-only mode; no single key runs anything.
//!
//! Regenerate the snapshots after a deliberate change with
//! `INSTA_UPDATE=always cargo test --test ui_wizards_ii` and review the diff.

mod ui_support;

use std::collections::BTreeMap;

use powerdeck::estate::{Cstate, WparState};
use powerdeck::refresh::SourceData;
use powerdeck::sim::Estate;
use powerdeck::ui::{App, Key, KeyAction, KeyMap, Request, Stage, ViewKind, WizardKind};
use powerdeck::wizard::catalogue::WizardId;
use ui_support::{names, press, select, Live};

fn stage(app: &App) -> Option<Stage> {
    app.wizard.as_ref().map(|w| w.stage)
}

fn kind(app: &App) -> Option<WizardKind> {
    app.wizard.as_ref().map(|w| w.kind.clone())
}

fn message(app: &App) -> String {
    app.message
        .as_ref()
        .map(|m| m.0.clone())
        .unwrap_or_default()
}

fn executes(app: &App) -> usize {
    app.requests
        .iter()
        .filter(|r| matches!(r, Request::Execute { .. }))
        .count()
}

fn confirm_name(app: &App) -> String {
    app.wizard
        .as_ref()
        .and_then(|w| w.plan())
        .map(|p| p.confirm_name.clone())
        .expect("a plan")
}

fn plan_text(app: &App) -> String {
    app.wizard
        .as_ref()
        .and_then(|w| w.plan())
        .map(|p| {
            p.steps
                .iter()
                .map(|s| s.line())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .expect("a plan")
}

fn has_plan(app: &App) -> bool {
    app.wizard.as_ref().is_some_and(|w| w.plan.is_some())
}

fn finished(app: &App) -> bool {
    stage(app) == Some(Stage::Finished)
}

/// Selects the row `name` of source `source` (the first column), from the top.
fn select_in(app: &mut App, name: &str, source: &str) {
    press(app, "g");
    let at = app
        .visible
        .iter()
        .position(|&i| {
            let row = &app.table.rows[i as usize];
            row.cells[0].text == name && row.cells.iter().any(|c| c.text == source)
        })
        .unwrap_or_else(|| panic!("no row {name:?} of {source} in {:?}", names(app)));
    for _ in 0..at {
        press(app, "j");
    }
}

fn wpar_state(app: &App, host: &str, wpar: &str) -> Option<WparState> {
    match app.snapshots.get(host).map(|s| &s.data) {
        Some(SourceData::Aix(wpars)) => wpars
            .iter()
            .find(|w| w.name == wpar)
            .map(|w| w.state.clone()),
        _ => None,
    }
}

fn cstate(app: &App, master: &str, name: &str) -> Option<Cstate> {
    match app.snapshots.get(master).map(|s| &s.data) {
        Some(SourceData::Nim(objects)) => objects
            .iter()
            .find(|o| o.name == name)
            .and_then(|o| o.cstate.clone()),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn firmware_update_choice_plan_and_confirmation() {
    let mut live = Live::start("fw", Estate::demo(), false).await;
    select(&mut live.app, "e980-01");
    live.press("F");
    assert_eq!(
        stage(&live.app),
        Some(Stage::Choose),
        "{}",
        message(&live.app)
    );
    // The highlighted line's reason shows in full below the list.
    live.press("j");
    insta::assert_snapshot!("firmware_choose_100x30", live.draw(100, 30));
    live.press("g");
    // Concurrent is the default; Enter reads the key, the HMC level and the repository,
    // then shows the whole plan; nothing runs.
    live.press("<enter>");
    assert_eq!(stage(&live.app), Some(Stage::Plan));
    live.until("the facts and the plan", has_plan).await;
    assert!(
        plan_text(&live.app).contains("updlic"),
        "{}",
        plan_text(&live.app)
    );
    insta::assert_snapshot!("firmware_plan_100x30", live.draw(100, 30));
    live.press("<enter>");
    assert_eq!(stage(&live.app), Some(Stage::Confirm));
    live.press("e980");
    insta::assert_snapshot!("firmware_confirm_100x30", live.draw(100, 30));
    // A wrong name runs nothing; Esc steps back, and back again, and cancels.
    live.press("<enter>");
    assert_eq!(stage(&live.app), Some(Stage::Confirm));
    assert_eq!(executes(&live.app), 0);
    live.press("<esc><esc><esc>");
    assert!(live.app.wizard.is_none());
    assert!(message(&live.app).contains("nothing was run"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn firmware_disruptive_evacuation_and_accept() {
    let mut live = Live::start("fw-dis", Estate::demo(), false).await;
    select(&mut live.app, "e980-01");
    live.press("F");
    let choices: Vec<String> = live
        .app
        .wizard
        .as_ref()
        .unwrap()
        .choices
        .iter()
        .map(|c| c.label.clone())
        .collect();
    let at = choices
        .iter()
        .position(|c| c == "disruptive, shut down")
        .unwrap_or_else(|| panic!("{choices:?}"));
    live.press("g");
    for _ in 0..at {
        live.press("j");
    }
    live.press("<enter>");
    assert_eq!(
        stage(&live.app),
        Some(Stage::Plan),
        "{}",
        message(&live.app)
    );
    live.until("the facts and the plan", has_plan).await;
    let plan = plan_text(&live.app);
    assert!(
        plan.contains("chsysstate") && plan.contains("updlic"),
        "{plan}"
    );
    // An evacuation the plan builder refuses cannot be chosen; Enter says why.
    live.press("<esc>g");
    let at = choices
        .iter()
        .position(|c| c.starts_with("disruptive, evacuate to"))
        .unwrap();
    for _ in 0..at {
        live.press("j");
    }
    live.press("<enter>");
    assert_eq!(stage(&live.app), Some(Stage::Choose));
    assert!(
        message(&live.app).contains("cannot"),
        "{}",
        message(&live.app)
    );
    // A system without an activated-but-unaccepted level refuses A in one line.
    live.press("<esc>");
    assert!(live.app.wizard.is_none());
    live.press("A");
    assert!(live.app.wizard.is_none());
    assert!(
        message(&live.app).contains("nothing to accept"),
        "{}",
        message(&live.app)
    );
    // e1080-01 waits for its accept.
    select(&mut live.app, "e1080-01");
    let screen = live.draw(100, 30);
    assert!(screen.contains("A accept firmware"), "{screen}");
    live.press("A");
    assert_eq!(
        stage(&live.app),
        Some(Stage::Plan),
        "{}",
        message(&live.app)
    );
    assert!(
        plan_text(&live.app).contains("updlic"),
        "{}",
        plan_text(&live.app)
    );
    assert!(matches!(
        kind(&live.app),
        Some(WizardKind::FirmwareAccept { .. })
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wpar_move_reads_facts_in_the_background_then_shows_the_plan() {
    let mut live = Live::start("wpar-move", Estate::demo(), false).await;
    live.press("3");
    select_in(&mut live.app, "wpmig61", "aixprd02");
    let screen = live.draw(100, 30);
    assert!(screen.contains("W move"), "{screen}");
    live.press("W");
    assert_eq!(
        stage(&live.app),
        Some(Stage::Choose),
        "{}",
        message(&live.app)
    );
    let wizard = live.app.wizard.as_ref().unwrap();
    assert_eq!(wizard.chosen().unwrap().label, "aixprd01");
    live.press("<enter>");
    // The plan screen says reading… until the read-only commands answer.
    assert_eq!(stage(&live.app), Some(Stage::Plan));
    assert!(!has_plan(&live.app));
    let screen = live.draw(100, 30);
    assert!(screen.contains("reading…"), "{screen}");
    insta::assert_snapshot!("wpar_move_reading_100x30", screen);
    live.press("<enter>");
    assert_eq!(stage(&live.app), Some(Stage::Plan));
    live.until("the facts and the plan", has_plan).await;
    let plan = plan_text(&live.app);
    assert!(
        plan.contains("savewpar") && plan.contains("restwpar"),
        "{plan}"
    );
    insta::assert_snapshot!("wpar_move_plan_100x30", live.draw(100, 30));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stuck_wpar_recovery_by_keys_to_completion() {
    let mut live = Live::start("wpar-recover", Estate::demo(), false).await;
    live.press("3");
    select_in(&mut live.app, "wpbatch01", "aixprd01");
    let screen = live.draw(100, 30);
    assert!(screen.contains("X recover"), "{screen}");
    live.press("X");
    assert_eq!(
        stage(&live.app),
        Some(Stage::Choose),
        "{}",
        message(&live.app)
    );
    live.press("<enter>");
    live.until("the mounts and the plan", has_plan).await;
    let plan = plan_text(&live.app);
    assert!(plan.contains("umount /wpars/wpbatch01/SW"), "{plan}");
    assert!(plan.contains("fuser -cx /wpars/wpbatch01/SW"), "{plan}");
    assert!(!plan.contains("umount -f"), "{plan}");
    assert!(plan.contains("stopwpar -F wpbatch01"), "{plan}");
    insta::assert_snapshot!("wpar_recover_plan_100x30", live.draw(100, 30));
    let name = confirm_name(&live.app);
    live.press(&format!("<enter>{name}<enter>"));
    assert_eq!(
        stage(&live.app),
        Some(Stage::Running),
        "{}",
        message(&live.app)
    );
    live.until("the run's summary", finished).await;
    let summary = live
        .app
        .wizard
        .as_ref()
        .and_then(|w| w.run.as_ref())
        .and_then(|r| r.summary.clone())
        .unwrap();
    assert!(summary.completed(), "{:?}", summary);
    live.until("the refresh after the run", |app| {
        wpar_state(app, "aixprd01", "wpbatch01") == Some(WparState::Defined)
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stuck_nim_client_reset_by_keys_to_completion() {
    let mut live = Live::start("nim-reset", Estate::demo(), false).await;
    live.press("5");
    select_in(&mut live.app, "tstdb02", "nim01");
    let screen = live.draw(100, 30);
    assert!(screen.contains("X reset"), "{screen}");
    live.press("X");
    assert_eq!(
        stage(&live.app),
        Some(Stage::Plan),
        "{}",
        message(&live.app)
    );
    live.until("the two samples and the plan", has_plan).await;
    let plan = plan_text(&live.app);
    assert!(plan.contains("nim -F -o reset tstdb02"), "{plan}");
    assert!(plan.contains("deallocate"), "{plan}");
    insta::assert_snapshot!("nim_reset_plan_100x30", live.draw(100, 30));
    let name = confirm_name(&live.app);
    live.press(&format!("<enter>{name}<enter>"));
    assert_eq!(
        stage(&live.app),
        Some(Stage::Running),
        "{}",
        message(&live.app)
    );
    live.until("the run's summary", finished).await;
    live.until("the refresh after the run", |app| {
        cstate(app, "nim01", "tstdb02").is_some_and(|c| c.is_ready())
    })
    .await;
    assert_eq!(
        cstate(&live.app, "nim01", "tstdb02").unwrap().to_string(),
        "ready for a NIM operation"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nim_sync_takeover_and_nimadm_preflight_open_on_their_rows() {
    let mut live = Live::start("nim-more", Estate::demo(), false).await;
    live.press("5");
    select_in(&mut live.app, "master", "nim01");
    let screen = live.draw(100, 30);
    assert!(screen.contains("S sync"), "{screen}");
    // In the NIM view S syncs; in other views it still reverses the sort.
    live.press("S");
    assert!(
        matches!(kind(&live.app), Some(WizardKind::NimSync { .. })),
        "{}",
        message(&live.app)
    );
    live.until("the other master's file systems and the plan", has_plan)
        .await;
    assert!(
        plan_text(&live.app).contains("nim -o sync"),
        "{}",
        plan_text(&live.app)
    );
    live.press("<esc>");
    select_in(&mut live.app, "master", "nim02");
    live.press("T");
    assert!(
        matches!(kind(&live.app), Some(WizardKind::NimTakeover { .. })),
        "{}",
        message(&live.app)
    );
    live.press("<esc>");
    select_in(&mut live.app, "prdapp02", "nim01");
    live.press("P");
    assert!(
        matches!(kind(&live.app), Some(WizardKind::NimadmPreflight { .. })),
        "{}",
        message(&live.app)
    );
    live.until("the nimadm facts and the plan", has_plan).await;
    assert!(
        plan_text(&live.app).contains("/bos_inst"),
        "{}",
        plan_text(&live.app)
    );
    live.press("<esc>");
    // X on a client that is not stuck says so in one line.
    select_in(&mut live.app, "prdapp02", "nim01");
    live.press("X");
    assert!(live.app.wizard.is_none());
    assert!(
        message(&live.app).contains("not stuck"),
        "{}",
        message(&live.app)
    );
    // S and T want a master row.
    select_in(&mut live.app, "prdapp02", "nim01");
    live.press("S");
    assert!(live.app.wizard.is_none());
    assert!(
        message(&live.app).contains("not a NIM master"),
        "{}",
        message(&live.app)
    );
    live.press("1S");
    assert!(live.app.wizard.is_none());
    assert!(live.app.view.sort.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_shows_the_plans_and_runs_nothing() {
    let mut live = Live::start("ro", Estate::demo(), true).await;
    live.press("5");
    select_in(&mut live.app, "tstdb02", "nim01");
    live.press("X");
    assert_eq!(stage(&live.app), Some(Stage::Plan));
    live.until("the plan", has_plan).await;
    live.press("<enter>");
    assert_eq!(stage(&live.app), Some(Stage::Plan));
    assert!(
        message(&live.app).contains("Read-only"),
        "{}",
        message(&live.app)
    );
    live.press("<esc>3");
    select_in(&mut live.app, "wpbatch01", "aixprd01");
    live.press("X<enter>");
    live.until("the plan", has_plan).await;
    live.press("<enter>");
    assert_eq!(stage(&live.app), Some(Stage::Plan));
    assert_eq!(executes(&live.app), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_single_key_runs_anything() {
    let mut live = Live::start("keys", Estate::demo(), false).await;
    live.press("5");
    select_in(&mut live.app, "tstdb02", "nim01");
    live.press("X");
    live.until("the plan", has_plan).await;
    for key in ["<enter>", "y", " ", "<enter>", "<enter>"] {
        live.press(key);
        assert_eq!(executes(&live.app), 0, "{key}");
        assert_ne!(stage(&live.app), Some(Stage::Running), "{key}");
    }
}

#[test]
fn the_new_keys_are_in_the_key_map_and_rebindable() {
    let map = KeyMap::default();
    assert_eq!(
        map.action_in(Key::char('F'), Some(ViewKind::Systems)),
        Some(KeyAction::Wizard(WizardId::Firmware))
    );
    assert_eq!(
        map.action_in(Key::char('A'), Some(ViewKind::Systems)),
        Some(KeyAction::Wizard(WizardId::FirmwareAccept))
    );
    assert_eq!(
        map.action_in(Key::char('W'), Some(ViewKind::Wpars)),
        Some(KeyAction::Wizard(WizardId::WparMove))
    );
    assert_eq!(
        map.action_in(Key::char('X'), Some(ViewKind::Wpars)),
        Some(KeyAction::Wizard(WizardId::WparRecover))
    );
    assert_eq!(
        map.action_in(Key::char('X'), Some(ViewKind::Nim)),
        Some(KeyAction::Wizard(WizardId::NimReset))
    );
    assert_eq!(
        map.action_in(Key::char('S'), Some(ViewKind::Nim)),
        Some(KeyAction::Wizard(WizardId::NimSync))
    );
    assert_eq!(
        map.action_in(Key::char('S'), Some(ViewKind::Lpars)),
        Some(KeyAction::SortReverse)
    );
    assert_eq!(
        map.action_in(Key::char('T'), Some(ViewKind::Nim)),
        Some(KeyAction::Wizard(WizardId::NimTakeover))
    );
    assert_eq!(
        map.action_in(Key::char('P'), Some(ViewKind::Nim)),
        Some(KeyAction::Wizard(WizardId::NimadmPreflight))
    );
    assert_eq!(map.action_in(Key::char('X'), Some(ViewKind::Systems)), None);
    let mut overrides = BTreeMap::new();
    overrides.insert("nim_sync".to_string(), "Y".to_string());
    let map = KeyMap::with_overrides(&overrides).unwrap();
    assert_eq!(
        map.action_in(Key::char('Y'), Some(ViewKind::Nim)),
        Some(KeyAction::Wizard(WizardId::NimSync))
    );
    assert_eq!(
        map.action_in(Key::char('S'), Some(ViewKind::Nim)),
        Some(KeyAction::SortReverse)
    );
    // Two actions of the same view cannot share a key.
    overrides.insert("nim_takeover".to_string(), "Y".to_string());
    assert!(KeyMap::with_overrides(&overrides)
        .unwrap_err()
        .contains("Y is bound to both"));
    let help =
        powerdeck::ui::render::help_lines(&KeyMap::default(), &powerdeck::ui::Theme::default())
            .iter()
            .map(|l| l.to_string())
            .collect::<Vec<_>>()
            .join("\n");
    for text in [
        "firmware update",
        "recover a stuck",
        "reset + deallocate",
        "nimadm pre-flight",
    ] {
        assert!(help.contains(text), "{text}: {help}");
    }
}
