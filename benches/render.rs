//! Console speed on estate-sized data.
//!
//! Goals: drawing the LPAR view of 2,000 partitions into a terminal buffer in ≤ 2 ms,
//! and a filter keystroke over 10,000 rows in ≤ 5 ms. Also measured: rebuilding the
//! LPAR table when a snapshot arrives.
//!
//! `cargo bench --bench render`
//!
//! Measured on the shared 2-core development machine under load (criterion, median):
//!
//! | benchmark | time |
//! |---|---|
//! | `render_lpars/2000/100x30` (select next row, draw) | 0.13 ms |
//! | `render_lpars/2000/200x60` | 0.37 ms |
//! | `render_lpars/10000/200x60` | 0.56 ms |
//! | `filter_keystroke/first_letter/10000` (every row searched) | 2.0 ms |
//! | `filter_keystroke/full_pass_selective/10000` | 2.2 ms |
//! | `filter_keystroke/next_letter/10000` (narrowing the shown rows) | 0.79 ms |
//! | `filter_keystroke/inverted/10000` | 1.2 ms |
//! | `rebuild_lpars/2000` (a snapshot arrives) | 5.8 ms |

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use powerdeck::refresh::Event;
use powerdeck::sim::generate::{self, Scale};
use powerdeck::ui::{self, fixture, Action, App, ConsoleOptions, KeyAction, Mode};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

/// The console over a generated estate (`factor` 1 = 2,000 LPARs), showing LPARs.
fn lpar_app(factor: f64) -> App {
    let estate = generate::estate(Scale::times(factor)).expect("generated estate");
    let mut app = App::new(ConsoleOptions::default(), fixture::now());
    for snapshot in fixture::snapshots(&estate, fixture::now() - Duration::from_secs(5)) {
        ui::update(&mut app, Action::Engine(Event::Snapshot(snapshot)));
    }
    ui::update(&mut app, Action::Key(KeyAction::ShowLpars));
    app
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &mut App) {
    let mut screen = None;
    terminal
        .draw(|frame| screen = Some(ui::render(frame, app)))
        .expect("draw");
    if let Some(screen) = screen {
        app.set_screen(screen);
    }
}

fn render(c: &mut Criterion) {
    let mut group = c.benchmark_group("render_lpars");
    for (rows, factor) in [(2000, 1.0), (10000, 5.0)] {
        let mut app = lpar_app(factor);
        assert_eq!(app.visible.len(), rows);
        for (width, height) in [(100u16, 30u16), (200, 60)] {
            let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
            draw(&mut terminal, &mut app);
            // Move the selection each time so every frame really changes.
            group.bench_function(format!("{rows}/{width}x{height}"), |b| {
                b.iter(|| {
                    ui::update(&mut app, Action::Key(KeyAction::Down));
                    if app.view.selected + 1 >= app.visible.len() {
                        ui::update(&mut app, Action::Key(KeyAction::Top));
                    }
                    draw(&mut terminal, &mut app);
                    black_box(terminal.backend().buffer().area);
                })
            });
        }
    }
    group.finish();
}

/// Each step works on a clone of the console; making and dropping the clones (10,000
/// rows of cells) happens outside the measured time, as `iter_batched` does it.
fn filter(c: &mut Criterion) {
    let mut group = c.benchmark_group("filter_keystroke");
    let mut app = lpar_app(5.0);
    assert_eq!(app.visible.len(), 10_000);
    ui::update(&mut app, Action::Key(KeyAction::Filter));
    assert_eq!(app.mode, Mode::Filter);
    // The first letter: every row is searched.
    group.bench_function("first_letter/10000", |b| {
        b.iter_batched(
            || app.clone(),
            |mut app| {
                ui::update(&mut app, Action::Insert('d'));
                app
            },
            BatchSize::LargeInput,
        )
    });
    // A longer, selective term typed from scratch (worst case: no narrowing).
    let mut typed = app.clone();
    for c in "p01db0".chars() {
        ui::update(&mut typed, Action::Insert(c));
    }
    group.bench_function("full_pass_selective/10000", |b| {
        b.iter_batched(
            || {
                let mut app = typed.clone();
                app.visible = app.order.clone();
                ui::update(&mut app, Action::ClearInput);
                app
            },
            |mut app| {
                for c in "p01db0".chars() {
                    app.view.filter.push(c);
                }
                ui::update(&mut app, Action::Insert('1'));
                app
            },
            BatchSize::LargeInput,
        )
    });
    // Another letter on a filter already typed: only the rows still shown are searched.
    let mut narrowed = app.clone();
    ui::update(&mut narrowed, Action::Insert('p'));
    group.bench_function("next_letter/10000", |b| {
        b.iter_batched(
            || narrowed.clone(),
            |mut app| {
                ui::update(&mut app, Action::Insert('1'));
                app
            },
            BatchSize::LargeInput,
        )
    });
    // `!`: every row is searched and most are kept.
    group.bench_function("inverted/10000", |b| {
        b.iter_batched(
            || {
                let mut app = app.clone();
                ui::update(&mut app, Action::Insert('!'));
                app
            },
            |mut app| {
                ui::update(&mut app, Action::Insert('v'));
                app
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

fn rebuild(c: &mut Criterion) {
    let mut group = c.benchmark_group("rebuild_lpars");
    let mut app = lpar_app(1.0);
    group.bench_function("2000", |b| {
        b.iter(|| {
            app.rebuild();
            black_box(app.visible.len())
        })
    });
    group.finish();
}

criterion_group!(benches, render, filter, rebuild);
criterion_main!(benches);
