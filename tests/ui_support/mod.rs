//! Helpers shared by the console tests: the story estate, drawing into a TestBackend,
//! and pressing keys through the real key map.
#![allow(dead_code)]

use powerdeck::ui::{self, App, ConsoleOptions};
use powerdeck::wizard::capacity::{CapacityFacts, PartitionSize};
use powerdeck::wizard::catalogue::{Facts, FactsQuery};
use powerdeck::wizard::relocate_facts::{MigrationSlots, Mobility, MoveCapacity, RelocationFacts};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::Terminal;

/// The story estate's console, drawn once at 100×30 so page sizes are known.
pub fn story() -> App {
    story_with(ConsoleOptions::default())
}

/// The story estate's console with options.
pub fn story_with(options: ConsoleOptions) -> App {
    let mut app = ui::fixture::story_app(options);
    draw(&mut app, 100, 30);
    app
}

/// Draws the console into a `width`×`height` test terminal.
pub fn terminal(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    let mut screen = None;
    terminal
        .draw(|frame| screen = Some(ui::render(frame, app)))
        .expect("draw");
    if let Some(screen) = screen {
        app.set_screen(screen);
    }
    terminal
}

/// The screen as text, one quoted line per row (insta's TestBackend form).
pub fn draw(app: &mut App, width: u16, height: u16) -> String {
    terminal(app, width, height).backend().to_string()
}

/// Sends one terminal event through the key map and `update`, then answers the
/// capacity reads it asked for (see [`answer_capacity`]).
pub fn send(app: &mut App, event: Event) {
    send_only(app, event);
    answer_capacity(app);
}

/// Sends one terminal event through the key map and `update`; requests stay pending.
fn send_only(app: &mut App, event: Event) {
    if let Some(action) = ui::action_for(app, &event) {
        ui::update(app, action);
    }
}

/// Screen tests run without hosts: a capacity read (remote restart) is answered at once
/// with room for everything, every partition 4 GB and 0.5 processing units in its
/// current profile, and a relocation's read with no move under way and the same room.
/// Other reads stay pending, as they would without services; the tests over the
/// simulator (`Live`) read the real answers.
pub fn answer_capacity(app: &mut App) {
    let pending = std::mem::take(&mut app.requests);
    for request in pending {
        let query = match request {
            ui::Request::ReadFacts(query @ FactsQuery::Relocation { .. }) => {
                let facts = Facts::Relocation(roomy_relocation(&query));
                ui::update(app, ui::Action::FactsRead(query, Ok(facts)));
                continue;
            }
            ui::Request::ReadFacts(query @ FactsQuery::Capacity { .. }) => query,
            other => {
                app.requests.push(other);
                continue;
            }
        };
        let sizes = app
            .snapshots
            .values()
            .filter_map(|snapshot| match &snapshot.data {
                powerdeck::refresh::SourceData::Hmc(systems) => Some(systems),
                _ => None,
            })
            .flatten()
            .flat_map(|system| &system.lpars)
            .map(|lpar| PartitionSize {
                lpar: lpar.name.clone(),
                profile: lpar
                    .curr_profile
                    .clone()
                    .or(lpar.default_profile.clone())
                    .unwrap_or_default(),
                memory_mb: 4096,
                proc_units: 0.5,
            })
            .collect();
        let facts = Facts::Capacity(CapacityFacts {
            free_memory_mb: 1 << 20,
            free_proc_units: 256.0,
            sizes,
        });
        ui::update(app, ui::Action::FactsRead(query, Ok(facts)));
    }
}

/// No move under way on either system (16 supported) and, for an active move, a 4 GB
/// partition of 0.5 processing units against a roomy target.
fn roomy_relocation(query: &FactsQuery) -> RelocationFacts {
    let FactsQuery::Relocation { lpar, active, .. } = query else {
        return RelocationFacts::default();
    };
    let slots = MigrationSlots {
        capable: Some(true),
        supported: Some(16),
        in_progress: Some(0),
    };
    let mobility = Mobility {
        active: slots,
        inactive: slots,
    };
    RelocationFacts {
        source: mobility,
        target: mobility,
        capacity: active.then(|| MoveCapacity {
            size: PartitionSize {
                lpar: lpar.clone(),
                profile: "(current)".to_string(),
                memory_mb: 4096,
                proc_units: 0.5,
            },
            free_memory_mb: 1 << 20,
            free_proc_units: 256.0,
        }),
    }
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new_with_kind(
        code,
        modifiers,
        KeyEventKind::Press,
    ))
}

/// Presses keys: characters as typed, and `<enter>`, `<esc>`, `<tab>`, `<backtab>`,
/// `<bs>`, `<up>`, `<down>`, `<c-x>` (ctrl) in angle brackets. Capacity reads are
/// answered at once (see [`answer_capacity`]).
pub fn press(app: &mut App, keys: &str) {
    press_with(app, keys, send);
}

/// Like [`press`], leaving every request to whoever serves them.
pub fn press_only(app: &mut App, keys: &str) {
    press_with(app, keys, send_only);
}

fn press_with(app: &mut App, keys: &str, send: fn(&mut App, Event)) {
    let mut rest = keys;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            if let Some(end) = rest.find('>') {
                let name = &rest[1..end];
                if !name.is_empty() {
                    let event = match name {
                        "enter" => key(KeyCode::Enter, KeyModifiers::NONE),
                        "esc" => key(KeyCode::Esc, KeyModifiers::NONE),
                        "tab" => key(KeyCode::Tab, KeyModifiers::NONE),
                        "backtab" => key(KeyCode::BackTab, KeyModifiers::SHIFT),
                        "bs" => key(KeyCode::Backspace, KeyModifiers::NONE),
                        "up" => key(KeyCode::Up, KeyModifiers::NONE),
                        "down" => key(KeyCode::Down, KeyModifiers::NONE),
                        other => match other.strip_prefix("c-") {
                            Some(letter) => key(
                                KeyCode::Char(letter.chars().next().unwrap_or('c')),
                                KeyModifiers::CONTROL,
                            ),
                            None => panic!("unknown key <{other}>"),
                        },
                    };
                    send(app, event);
                    rest = &rest[end + 1..];
                    continue;
                }
            }
        }
        let modifiers = if c.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        send(app, key(KeyCode::Char(c), modifiers));
        rest = &rest[c.len_utf8()..];
    }
}

/// A left click at a terminal cell.
pub fn click(app: &mut App, x: u16, y: u16) {
    send(
        app,
        Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        }),
    );
}

/// The text of one column of the shown rows, in order.
pub fn column(app: &App, index: usize) -> Vec<String> {
    app.visible
        .iter()
        .map(|&i| app.table.rows[i as usize].cells[index].text.clone())
        .collect()
}

/// The first column of the shown rows (names).
pub fn names(app: &App) -> Vec<String> {
    column(app, 0)
}

/// The name in the selected row.
pub fn selected(app: &App) -> String {
    let index = app.visible[app.view.selected] as usize;
    app.table.rows[index].cells[0].text.clone()
}

/// Selects the row whose first cell is `name` by pressing `j` from the top.
pub fn select(app: &mut App, name: &str) {
    press(app, "g");
    let at = names(app)
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no row {name:?} in {:?}", names(app)));
    for _ in 0..at {
        press(app, "j");
    }
    assert_eq!(selected(app), name);
}

/// A console wired to the in-process simulator: the refresh engine and the wizard
/// services over a `LocalTransport` (simulated time fast-forwards through each command),
/// with its journal in a directory of its own. Keys go through the real key map; the
/// requests and background results are pumped like `ui::run` does.
pub struct Live {
    /// The console.
    pub app: App,
    /// The simulated estate.
    pub world: std::sync::Arc<std::sync::Mutex<powerdeck::sim::World>>,
    /// The journal file.
    pub journal: std::path::PathBuf,
    services: ui::Services<powerdeck::sim::local::LocalTransport>,
    actions: tokio::sync::mpsc::Receiver<ui::Action>,
    events: tokio::sync::mpsc::Receiver<powerdeck::refresh::Event>,
    sources: usize,
    dir: std::path::PathBuf,
}

impl Drop for Live {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Live {
    /// The console over `estate`, after every source's first refresh. Call from a
    /// multi-threaded tokio runtime.
    pub async fn start(name: &str, estate: powerdeck::sim::Estate, read_only: bool) -> Live {
        use powerdeck::config::SourceKind;
        use powerdeck::refresh::{Engine, Source};
        use powerdeck::sim::{local::LocalTransport, HostKind, World};
        use std::sync::{Arc, Mutex};
        use std::time::Duration;

        let dir = std::env::temp_dir().join(format!(
            "powerdeck-ui-{name}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let sources: Vec<Source> = estate
            .host_names()
            .into_iter()
            .map(|(name, kind)| Source {
                name: name.to_string(),
                kind: match kind {
                    HostKind::Hmc => SourceKind::Hmc,
                    HostKind::Aix => SourceKind::Aix,
                    HostKind::Nim => SourceKind::Nim,
                },
                interval: Duration::from_secs(3600),
            })
            .collect();
        let options = ConsoleOptions {
            globals: ui::fixture::globals(&estate),
            sources: sources.iter().map(|s| (s.name.clone(), s.kind)).collect(),
            label: format!("{name} (simulated)"),
            read_only,
            ..ConsoleOptions::default()
        };
        let world = Arc::new(Mutex::new(World::new(estate)));
        let transport = Arc::new(LocalTransport::new(world.clone()));
        let (events_tx, events) = tokio::sync::mpsc::channel(256);
        let engine = Engine::spawn(transport.clone(), sources.clone(), events_tx);
        let (actions_tx, actions) = tokio::sync::mpsc::channel(1024);
        let journal = dir.join("journal.jsonl");
        let mut services =
            ui::Services::new(engine, transport, journal.clone(), read_only, actions_tx);
        services.poll_interval = Some(Duration::from_millis(5));
        // The fixture's clock: ages and run times on screen do not depend on the day.
        let app = App::new(options, ui::fixture::now());
        let mut live = Live {
            app,
            world,
            journal,
            services,
            actions,
            events,
            sources: sources.len(),
            dir,
        };
        let count = live.sources;
        live.until("every source's first refresh", |app| {
            app.snapshots.len() == count && app.refreshing.is_empty()
        })
        .await;
        draw(&mut live.app, 100, 30);
        live
    }

    /// Presses keys (see [`press`]), then carries out what they asked for; fact reads
    /// go to the simulator (wait for their answer with [`Live::until`]).
    pub fn press(&mut self, keys: &str) {
        press_only(&mut self.app, keys);
        self.serve();
    }

    /// Hands the console's requests to the services, as the runner does.
    fn serve(&mut self) {
        for request in std::mem::take(&mut self.app.requests) {
            let _ = self.services.handle(request);
        }
    }

    /// Pumps refresh events and background results into the console until `done`
    /// holds; fails after 30 s, saying what it waited for.
    pub async fn until(&mut self, what: &str, done: impl Fn(&App) -> bool) {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            self.serve();
            if done(&self.app) {
                return;
            }
            let action = tokio::select! {
                action = self.actions.recv() => action,
                event = self.events.recv() => event.map(ui::Action::Engine),
                _ = tokio::time::sleep_until(deadline) => {
                    let screen = draw(&mut self.app, 100, 30);
                    panic!("waited 30 s for {what}; the screen:\n{screen}");
                }
            };
            if let Some(action) = action {
                ui::update(&mut self.app, action);
            }
        }
    }

    /// Pumps until nothing has arrived for `quiet`.
    pub async fn settle(&mut self, quiet: std::time::Duration) {
        loop {
            self.serve();
            let action = tokio::select! {
                action = self.actions.recv() => action,
                event = self.events.recv() => event.map(ui::Action::Engine),
                _ = tokio::time::sleep(quiet) => return,
            };
            if let Some(action) = action {
                ui::update(&mut self.app, action);
            }
        }
    }

    /// The screen at `width`×`height`.
    pub fn draw(&mut self, width: u16, height: u16) -> String {
        draw(&mut self.app, width, height)
    }
}
