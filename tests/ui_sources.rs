//! Sources that fail keep their rows, marked stale with their age; the refresh engine
//! over the in-process simulator feeds the console; NO_COLOR leaves no colour.

mod ui_support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use powerdeck::config::SourceKind;
use powerdeck::refresh::{Engine, Event, Source, SourceSnapshot, SourceStatus};
use powerdeck::sim::local::LocalTransport;
use powerdeck::sim::{Estate, World};
use powerdeck::ui::{self, fixture, Action, App, ConsoleOptions, Request, View};
use ratatui::style::{Color, Modifier};
use ui_support::{draw, names, press, terminal};

const SMALL: &str = r#"
[[hmc]]
name = "hmcA"
[[hmc.systems]]
name = "sysA"
type_model = "9009-22A"
serial_num = "7800001"
memory_mb = 65536
proc_units = 8.0
lpars = [
  { name = "appA", id = 2, os_version = "AIX 7.2", memory_mb = 4096, proc_units = 0.5, srr = true },
  { name = "dbA", id = 3, os_version = "AIX 7.3", memory_mb = 8192, proc_units = 1.0 },
]

[[aix]]
name = "globalA"
oslevel = "7200-05-06-2320"
lpar = "appA"
wpars = [{ name = "wpA", state = "A" }]
"#;

fn small_app() -> App {
    let estate = Estate::from_toml(SMALL, "test estate").unwrap();
    let options = ConsoleOptions {
        globals: fixture::globals(&estate),
        ..ConsoleOptions::default()
    };
    let now = fixture::now();
    let mut app = App::new(options, now);
    for snapshot in fixture::snapshots(&estate, now - Duration::from_secs(30)) {
        ui::update(&mut app, Action::Engine(Event::Snapshot(snapshot)));
    }
    app
}

#[test]
fn a_failed_source_keeps_its_rows_marked_stale() {
    let mut app = small_app();
    press(&mut app, "2");
    assert_eq!(names(&app), ["appA", "dbA"]);

    // The next refresh of hmcA fails: nothing read at all.
    ui::update(
        &mut app,
        Action::Engine(Event::Snapshot(SourceSnapshot::failed(
            "hmcA",
            SourceKind::Hmc,
            "hmcA: connection timed out",
        ))),
    );
    ui::update(
        &mut app,
        Action::Tick(fixture::now() + Duration::from_secs(150)),
    );
    assert_eq!(names(&app), ["appA", "dbA"], "the rows stay");
    let snapshot = &app.snapshots["hmcA"];
    assert!(snapshot.stale);
    assert_eq!(snapshot.status, SourceStatus::Error);

    let terminal = terminal(&mut app, 120, 12);
    let screen = terminal.backend().to_string();
    assert!(screen.contains("hmcA stale 3m"), "{screen}");
    assert!(
        screen.contains("✖ hmcA error stale 3m"),
        "status line:\n{screen}"
    );
    // The stale row is dimmed (the selected one is in reverse video instead).
    let buffer = terminal.backend().buffer();
    let dim = (0..120u16).any(|x| buffer[(x, 4)].modifier.contains(Modifier::DIM));
    assert!(dim, "second row is dimmed");

    // It comes back: fresh again.
    let estate = Estate::from_toml(SMALL, "test estate").unwrap();
    let fresh = fixture::snapshots(&estate, fixture::now() + Duration::from_secs(150));
    ui::update(&mut app, Action::Engine(Event::Snapshot(fresh[0].clone())));
    assert!(!app.snapshots["hmcA"].stale);
    assert!(!draw(&mut app, 120, 12).contains("stale"));
}

#[test]
fn a_source_that_never_answered_is_listed_as_waiting_then_failed() {
    let options = ConsoleOptions {
        sources: vec![("hmcZ".to_string(), SourceKind::Hmc)],
        ..ConsoleOptions::default()
    };
    let mut app = App::new(options, fixture::now());
    press(&mut app, "6");
    assert_eq!(names(&app), ["hmcZ"]);
    assert!(draw(&mut app, 100, 10).contains("waiting"));
    ui::update(
        &mut app,
        Action::Engine(Event::Snapshot(SourceSnapshot::failed(
            "hmcZ",
            SourceKind::Hmc,
            "hmcZ: no route to host",
        ))),
    );
    let screen = draw(&mut app, 100, 10);
    assert!(
        screen.contains("✖ error") && screen.contains("no route to host"),
        "{screen}"
    );
}

#[test]
fn the_refresh_engine_over_the_simulator_feeds_the_console() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let estate = Estate::from_toml(SMALL, "test estate").unwrap();
        let sources: Vec<Source> = estate
            .host_names()
            .into_iter()
            .map(|(name, kind)| Source {
                name: name.to_string(),
                kind: match kind {
                    powerdeck::sim::HostKind::Hmc => SourceKind::Hmc,
                    powerdeck::sim::HostKind::Aix => SourceKind::Aix,
                    powerdeck::sim::HostKind::Nim => SourceKind::Nim,
                },
                interval: Duration::from_secs(3600),
            })
            .collect();
        let transport = Arc::new(LocalTransport::new(Arc::new(Mutex::new(World::new(
            estate,
        )))));
        let (tx, mut rx) = tokio::sync::mpsc::channel(64);
        let engine = Engine::spawn(transport, sources.clone(), tx);
        let options = ConsoleOptions {
            sources: sources.iter().map(|s| (s.name.clone(), s.kind)).collect(),
            ..ConsoleOptions::default()
        };
        let mut app = App::new(options, SystemTime::now());
        press(&mut app, "6");
        let mut snapshots = 0;
        while snapshots < sources.len() {
            let event = tokio::time::timeout(Duration::from_secs(10), rx.recv())
                .await
                .expect("the engine reports within 10 s")
                .expect("the engine is running");
            if matches!(event, Event::Snapshot(_)) {
                snapshots += 1;
            }
            ui::update(&mut app, Action::Engine(event));
        }
        assert_eq!(app.snapshots.len(), sources.len());
        assert_eq!(names(&app), ["globalA", "hmcA"]);
        let screen = draw(&mut app, 120, 12);
        assert!(!screen.contains("waiting"), "{screen}");

        // `r` asks the engine; the runner passes it on; the engine starts again.
        press(&mut app, "r");
        for request in std::mem::take(&mut app.requests) {
            if let Request::Refresh(source) = request {
                engine.refresh_now(source.as_deref());
            }
        }
        let event = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .expect("a refresh starts")
            .expect("the engine is running");
        assert!(matches!(event, Event::Started(_)), "{event:?}");
        ui::update(&mut app, Action::Engine(event));
        assert!(draw(&mut app, 120, 12).contains('↻'));
    });
}

#[test]
fn no_color_shows_no_colour_but_keeps_symbols_and_words() {
    for (keys, words) in [
        (
            "1",
            &["● Operating", "✖ Error - Dump in progress", "▲ update"][..],
        ),
        ("3", &["✖ Broken (B)", "○ Defined (D)", "stale 3m"][..]),
    ] {
        let mut app = ui_support::story_with(ConsoleOptions {
            no_color: true,
            ..ConsoleOptions::default()
        });
        press(&mut app, keys);
        let terminal = terminal(&mut app, 100, 30);
        let screen = terminal.backend().to_string();
        for word in words {
            assert!(screen.contains(word), "{word} missing:\n{screen}");
        }
        for cell in terminal.backend().buffer().content() {
            assert_eq!(cell.fg, Color::Reset, "{cell:?}");
            assert_eq!(cell.bg, Color::Reset, "{cell:?}");
        }
        // Switching theme keeps it colourless.
        press(&mut app, ":theme colorblind<enter>");
        let terminal = ui_support::terminal(&mut app, 100, 30);
        assert!(terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset));
    }
    let _ = View::Sources;
}
