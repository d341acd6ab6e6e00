//! Relocation in the console over the simulated demo estate: a move that fails part-way
//! halts, the summary shows `lslparmigr` re-read first and only the way out that state
//! allows (recovery of a failed move), and that way out is chosen, shown as a plan,
//! confirmed and run (docs/procedures.md, "Relocation").

mod ui_support;

use powerdeck::estate::LparState;
use powerdeck::refresh::SourceData;
use powerdeck::sim::Estate;
use powerdeck::ui::{App, Stage, WizardKind};
use powerdeck::wizard::RunSummary;
use ui_support::{select, Live};

/// The demo estate, `lpar`'s next move failing part-way.
fn demo_with_failing_move(lpar: &str) -> Estate {
    let mut estate = Estate::demo();
    for hmc in &mut estate.hmc {
        for system in &mut hmc.systems {
            for partition in &mut system.lpars {
                if partition.name == lpar {
                    partition.fail_migration = true;
                }
            }
        }
    }
    estate
}

fn stage(app: &App) -> Option<Stage> {
    app.wizard.as_ref().map(|w| w.stage)
}

fn finished(app: &App) -> bool {
    stage(app) == Some(Stage::Finished)
}

fn summary_of(app: &App) -> RunSummary {
    app.wizard
        .as_ref()
        .and_then(|w| w.run.as_ref())
        .and_then(|r| r.summary.clone())
        .expect("a finished run")
}

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_move_offers_only_recovery_chosen_then_run() {
    let mut live = Live::start("relocate", demo_with_failing_move("prdweb01"), false).await;
    live.press("2");
    select(&mut live.app, "prdweb01");
    live.press("M");
    let target = live
        .app
        .wizard
        .as_ref()
        .unwrap()
        .targets
        .iter()
        .position(|t| t.system == "e1080-01")
        .unwrap();
    live.press("g");
    for _ in 0..target {
        live.press("j");
    }
    live.press("<enter>");
    live.until("the plan", |app| {
        app.wizard.as_ref().is_some_and(|w| w.plan().is_some())
    })
    .await;
    live.press("<enter>prdweb01<enter>");
    assert_eq!(stage(&live.app), Some(Stage::Running));
    live.until("the run's summary", finished).await;
    let summary = summary_of(&live.app);
    assert!(summary.halted_at.is_some());
    assert!(summary.reread[0]
        .0
        .contains("lslparmigr -r lpar -m e980-01"));
    let labels: Vec<&str> = summary.offers.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(
        labels,
        ["recover prdweb01 (migrlpar -o r): its move stopped or failed"]
    );
    let screen = live.draw(120, 60);
    assert!(
        screen.contains("Offered for the state re-read above (r chooses one"),
        "{screen}"
    );
    assert!(screen.contains("prdweb01,Migration Failed,"), "{screen}");
    // r lists the ways out; Enter shows the chosen one as a plan; its name runs it.
    live.press("r");
    assert!(matches!(
        live.app.wizard.as_ref().map(|w| (&w.kind, w.stage)),
        Some((WizardKind::RecoveryChoice, Stage::Choose))
    ));
    let screen = live.draw(120, 40);
    assert!(screen.contains("What the re-read state allows"), "{screen}");
    live.press("<enter>");
    assert_eq!(stage(&live.app), Some(Stage::Plan));
    let plan = live.app.wizard.as_ref().unwrap().plan().unwrap().clone();
    assert!(
        plan.steps[0].line().contains("lslparmigr"),
        "guarded by a re-read"
    );
    assert!(plan.steps[1]
        .line()
        .contains("migrlpar -o r -m e980-01 -p prdweb01"));
    live.press("<enter>prdweb01<enter>");
    live.until("the recovery's summary", finished).await;
    let recovered = summary_of(&live.app);
    assert!(recovered.completed(), "{recovered:?}");
    live.press("<enter>");
    live.until("the refresh after the recovery", |app| {
        whereabouts(app, "prdweb01") == [("e980-01".to_string(), LparState::Running)]
    })
    .await;
}
