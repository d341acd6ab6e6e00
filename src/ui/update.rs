//! Everything that changes the console: one pure function from (state, action) to the
//! next state. No I/O here: what needs the outside world (a refresh, a theme file,
//! quitting) is left in `App::requests` for the runner.

use std::time::{Duration, SystemTime};

use crate::estate::SourceKind;
use crate::refresh::{Event, SourceStatus};

use super::app::{App, Mode, Request, ViewState, HISTORY_LIMIT};
use super::command::{self, Command};
use super::keymap::KeyAction;
use super::table::{RowKey, SortOrder};
use super::theme::Theme;
use super::views::{age, journal, Scope, View, ViewKind};
use super::wizard::{self, Stage, WizardInput};
use crate::wizard::{ExecEvent, JournalRecord, RunSummary};

/// How long a message stays in the bottom line.
pub const MESSAGE_TIME: Duration = Duration::from_secs(6);

/// Something that happened.
#[derive(Debug, Clone)]
pub enum Action {
    /// A key-map action (in normal mode and in the help).
    Key(KeyAction),
    /// A character typed into the filter or the palette.
    Insert(char),
    /// Backspace in the filter or the palette.
    DeleteBack,
    /// Clear the filter or palette input (ctrl-u).
    ClearInput,
    /// Enter in the filter or the palette.
    Accept,
    /// Esc in the filter or the palette.
    Cancel,
    /// Tab in the palette: take the highlighted suggestion.
    Complete,
    /// Highlight the next suggestion.
    SuggestionNext,
    /// Highlight the previous suggestion.
    SuggestionPrevious,
    /// A palette command.
    Run(Command),
    /// A left click at a terminal cell.
    Click {
        /// Column.
        x: u16,
        /// Row.
        y: u16,
    },
    /// Mouse wheel up.
    ScrollUp,
    /// Mouse wheel down.
    ScrollDown,
    /// The refresh engine reported.
    Engine(Event),
    /// The clock moved (once a second).
    Tick(SystemTime),
    /// The terminal changed size.
    Resized,
    /// A user theme file was read (or not).
    ThemeLoaded(Result<Theme, String>),
    /// A wizard key (Enter, Esc, space, J/K, </>, r) on a wizard screen.
    Wizard(WizardInput),
    /// The executor reported on the running plan.
    Exec(ExecEvent),
    /// The executor returned.
    RunEnded(RunSummary),
    /// SIGINT, SIGTERM or SIGHUP: leave, but never in the middle of a running plan.
    Signal,
    /// The journal file was read (or not).
    JournalLoaded(Result<Vec<JournalRecord>, String>),
    /// Something for the operator from a background task.
    Say(String),
    /// Facts a wizard asked for were read (or could not be).
    FactsRead(
        super::wizard::FactsQuery,
        Result<super::wizard::Facts, crate::wizard::PlanError>,
    ),
}

/// Applies an action. Returns whether the screen must be redrawn.
pub fn update(app: &mut App, action: Action) -> bool {
    let confirming = app.mode == Mode::Normal
        && app
            .visible_wizard()
            .is_some_and(|w| w.stage == Stage::Confirm);
    match action {
        Action::Key(key) => key_action(app, key),
        Action::Insert(c) if confirming => wizard::text_edit(app, |text| text.push(c)),
        Action::DeleteBack if confirming => wizard::text_edit(app, |text| {
            text.pop();
        }),
        Action::ClearInput if confirming => wizard::text_edit(app, String::clear),
        Action::Accept if confirming => {
            wizard::text_accept(app);
            true
        }
        Action::Cancel if confirming => wizard::input(app, WizardInput::Back),
        Action::Insert(c) => edit(app, |text| text.push(c)),
        Action::DeleteBack => edit(app, |text| {
            text.pop();
        }),
        Action::ClearInput => edit(app, String::clear),
        Action::Accept => accept(app),
        Action::Cancel => {
            match app.mode {
                Mode::Filter => {
                    app.view.filter.clear();
                    app.apply_filter();
                }
                Mode::Palette { .. } | Mode::Help { .. } | Mode::Normal => {}
            }
            app.mode = Mode::Normal;
            true
        }
        Action::Complete => {
            if let Mode::Palette { input, selected } = &mut app.mode {
                let suggestions = command::suggestions(input);
                if let Some(s) = suggestions.get(*selected).or(suggestions.first()) {
                    *input = s.text.clone();
                    *selected = 0;
                }
            }
            true
        }
        Action::SuggestionNext | Action::SuggestionPrevious => {
            if let Mode::Palette { input, selected } = &mut app.mode {
                let count = command::suggestions(input).len();
                if count > 0 {
                    *selected = if matches!(action, Action::SuggestionNext) {
                        (*selected + 1) % count
                    } else {
                        (*selected + count - 1) % count
                    };
                }
            }
            true
        }
        Action::Run(command) => {
            run_command(app, command);
            true
        }
        Action::Click { x, y } => click(app, x, y),
        Action::ScrollUp => scroll(app, -3),
        Action::ScrollDown => scroll(app, 3),
        Action::Engine(event) => engine_event(app, event),
        Action::Tick(now) => tick(app, now),
        Action::Resized => {
            app.clamp_selection();
            true
        }
        Action::ThemeLoaded(result) => {
            match result {
                Ok(theme) => {
                    let name = theme.name.clone();
                    app.set_theme(theme);
                    app.say(format!("Theme {name}"));
                }
                Err(error) => app.say(error),
            }
            true
        }
        Action::Wizard(input) => wizard::input(app, input),
        Action::Exec(event) => wizard::exec_event(app, event),
        Action::RunEnded(summary) => {
            let shown = wizard::run_ended(app, summary);
            if app.leave_after_run {
                app.quitting = true;
                app.requests.push(Request::Quit);
            }
            shown
        }
        Action::Signal => signalled(app),
        Action::JournalLoaded(result) => {
            match result {
                Ok(records) => {
                    app.journal = journal::runs(records);
                    if matches!(app.view.view, View::Journal | View::JournalRun(_)) {
                        app.rebuild();
                    }
                }
                Err(error) => app.say(error),
            }
            true
        }
        Action::Say(message) => {
            app.say(message);
            true
        }
        Action::FactsRead(request, facts) => wizard::facts_read(app, request, facts),
    }
}

fn key_action(app: &mut App, key: KeyAction) -> bool {
    if let Mode::Help { scroll } = &mut app.mode {
        match key {
            KeyAction::Down => *scroll = scroll.saturating_add(1),
            KeyAction::Up => *scroll = scroll.saturating_sub(1),
            KeyAction::HalfPageDown | KeyAction::PageDown => *scroll = scroll.saturating_add(10),
            KeyAction::HalfPageUp | KeyAction::PageUp => *scroll = scroll.saturating_sub(10),
            KeyAction::Top => *scroll = 0,
            KeyAction::Bottom => *scroll = u16::MAX,
            KeyAction::Quit => {
                app.mode = Mode::Normal;
                quit(app);
            }
            _ => app.mode = Mode::Normal,
        }
        return true;
    }
    if app.mode == Mode::Normal && app.visible_wizard().is_some() {
        if let Some(redraw) = wizard::key(app, key) {
            return redraw;
        }
    }
    match key {
        KeyAction::Quit => quit(app),
        KeyAction::Help => app.mode = Mode::Help { scroll: 0 },
        KeyAction::Palette => {
            app.mode = Mode::Palette {
                input: String::new(),
                selected: 0,
            }
        }
        KeyAction::Filter => app.mode = Mode::Filter,
        KeyAction::Back => back(app),
        KeyAction::Open => open(app),
        KeyAction::Describe => describe(app),
        KeyAction::Refresh => {
            app.requests.push(Request::Refresh(None));
            app.say("Refreshing every source (read-only commands)");
        }
        KeyAction::ToggleMouse => {
            app.mouse = !app.mouse;
            app.requests.push(Request::Mouse(app.mouse));
            app.say(if app.mouse {
                "Mouse on: click to select and sort"
            } else {
                "Mouse off: the terminal selects text (shift-drag also works with it on)"
            });
        }
        KeyAction::Down => move_by(app, 1),
        KeyAction::Up => move_by(app, -1),
        KeyAction::Top => move_to(app, 0),
        KeyAction::Bottom => move_to(app, usize::MAX),
        KeyAction::HalfPageDown => move_by(app, (app.page() / 2).max(1) as isize),
        KeyAction::HalfPageUp => move_by(app, -((app.page() / 2).max(1) as isize)),
        KeyAction::PageDown => move_by(app, app.page().max(1) as isize),
        KeyAction::PageUp => move_by(app, -(app.page().max(1) as isize)),
        KeyAction::SortNext => sort_step(app, 1),
        KeyAction::SortPrevious => sort_step(app, -1),
        KeyAction::SortReverse => {
            if sortable(app) {
                let sort = app.view.sort.unwrap_or(SortOrder {
                    column: 0,
                    descending: false,
                });
                app.view.sort = Some(SortOrder {
                    descending: !sort.descending,
                    ..sort
                });
                app.resort();
            }
        }
        KeyAction::NextView | KeyAction::PreviousView => {
            let current = app
                .view
                .view
                .kind()
                .or_else(|| app.history.iter().rev().find_map(|v| v.view.kind()))
                .unwrap_or(ViewKind::Systems);
            let at = ViewKind::ALL
                .iter()
                .position(|k| *k == current)
                .unwrap_or(0);
            let count = ViewKind::ALL.len();
            let next = if key == KeyAction::NextView {
                (at + 1) % count
            } else {
                (at + count - 1) % count
            };
            show(app, ViewKind::ALL[next].view());
        }
        KeyAction::ShowSystems => show(app, ViewKind::Systems.view()),
        KeyAction::ShowLpars => show(app, ViewKind::Lpars.view()),
        KeyAction::ShowWpars => show(app, ViewKind::Wpars.view()),
        KeyAction::ShowReservedStorage => show(app, ViewKind::ReservedStorage.view()),
        KeyAction::ShowNim => show(app, ViewKind::Nim.view()),
        KeyAction::ShowSources => show(app, ViewKind::Sources.view()),
        KeyAction::ShowTree => show(app, ViewKind::Tree.view()),
        KeyAction::ShowJournal => {
            app.requests.push(Request::LoadJournal);
            show(app, ViewKind::Journal.view());
        }
        KeyAction::Wizard(_) | KeyAction::ShowWizard => wizard::open_from_key(app, key),
    }
    true
}

/// Leaves the console, unless a plan is running: quitting would leave it half done.
fn quit(app: &mut App) {
    if app.wizard.as_ref().is_some_and(|w| w.running()) {
        let show = app.keymap.hint(KeyAction::ShowWizard).unwrap_or_default();
        app.say(format!(
            "A plan is running: wait for its summary before quitting ({show} shows it)"
        ));
        return;
    }
    app.quitting = true;
    app.requests.push(Request::Quit);
}

/// A terminating signal: leave at once when nothing runs; with a plan running, ask it
/// to stop after the steps in flight and leave once its summary is in (a second signal
/// leaves at once: the journal shows what was sent).
fn signalled(app: &mut App) -> bool {
    let running = app.wizard.as_ref().is_some_and(|w| w.running());
    if !running || app.leave_after_run {
        app.quitting = true;
        app.requests.push(Request::Quit);
        return true;
    }
    app.leave_after_run = true;
    app.requests.push(Request::StopRun);
    app.say(
        "Signal received: the plan finishes the steps in flight, sends nothing further, then powerdeck leaves",
    );
    true
}

/// Goes to a view, remembering the current one. Showing the view already on screen
/// does nothing.
pub fn show(app: &mut App, view: View) {
    if app.view.view == view {
        return;
    }
    let previous = std::mem::replace(&mut app.view, ViewState::new(view));
    app.history.push(previous);
    if app.history.len() > HISTORY_LIMIT {
        app.history.remove(0);
    }
    app.rebuild();
}

fn back(app: &mut App) {
    if !app.view.filter.is_empty() {
        app.view.filter.clear();
        app.apply_filter();
        return;
    }
    match app.history.pop() {
        Some(previous) => {
            app.view = previous;
            app.rebuild();
        }
        None => {
            let quit = app.keymap.hint(KeyAction::Quit).unwrap_or_default();
            app.say(format!("This is the first view ({quit} or :q quits)"));
        }
    }
}

/// Enter: a system shows its LPARs, an LPAR that hosts an AIX global shows that
/// global's WPARs (any other LPAR its attributes), a source what it holds, anything
/// else its attributes.
fn open(app: &mut App) {
    let Some(key) = app.selected_key().cloned() else {
        return;
    };
    let view = match &key {
        RowKey::System { hmc, system } => View::Lpars(Scope::System {
            hmc: hmc.clone(),
            system: system.clone(),
        }),
        RowKey::Lpar { system, name, .. } => {
            let globals = app.data().globals_in(system, name);
            match globals.as_slice() {
                [host] => View::Wpars(Scope::Source(host.to_string())),
                [] => View::Detail(key.clone()),
                _ => View::Wpars(Scope::All),
            }
        }
        RowKey::Source(name) => match app.source_kind(name) {
            Some(SourceKind::Hmc) => View::Systems(Scope::Source(name.clone())),
            Some(SourceKind::Aix) => View::Wpars(Scope::Source(name.clone())),
            Some(SourceKind::Nim) => View::Nim(Scope::Source(name.clone())),
            None => View::Detail(key.clone()),
        },
        RowKey::Wpar { .. } | RowKey::RsDevice { .. } | RowKey::Nim { .. } => {
            View::Detail(key.clone())
        }
        RowKey::Run(run_id) => View::JournalRun(run_id.clone()),
        RowKey::Attribute(_) | RowKey::None => return,
    };
    show(app, view);
}

/// `d`: every attribute of the selected object.
fn describe(app: &mut App) {
    match app.selected_key().cloned() {
        Some(RowKey::Attribute(_) | RowKey::None) | None => {}
        Some(RowKey::Run(run_id)) => show(app, View::JournalRun(run_id)),
        Some(key) => show(app, View::Detail(key)),
    }
}

fn move_by(app: &mut App, delta: isize) {
    let target = app.view.selected.saturating_add_signed(delta);
    move_to(app, target);
}

fn move_to(app: &mut App, index: usize) {
    app.view.selected = index.min(app.visible.len().saturating_sub(1));
    app.clamp_selection();
}

fn sortable(app: &mut App) -> bool {
    if !app.table.sortable {
        app.say("This view keeps its own order");
    }
    app.table.sortable
}

fn sort_step(app: &mut App, step: isize) {
    if !sortable(app) || app.table.columns.is_empty() {
        return;
    }
    let count = app.table.columns.len() as isize;
    let column = match app.view.sort {
        None if step > 0 => 0,
        None => count - 1,
        Some(sort) => (sort.column as isize + step).rem_euclid(count),
    };
    app.view.sort = Some(SortOrder {
        column: column as usize,
        descending: false,
    });
    app.resort();
}

/// Sorts by a column; again on the same column reverses.
pub fn sort_by(app: &mut App, column: usize) {
    if !sortable(app) || column >= app.table.columns.len() {
        return;
    }
    app.view.sort = Some(match app.view.sort {
        Some(sort) if sort.column == column => SortOrder {
            column,
            descending: !sort.descending,
        },
        _ => SortOrder {
            column,
            descending: false,
        },
    });
    app.resort();
}

fn edit(app: &mut App, change: impl FnOnce(&mut String)) -> bool {
    match &mut app.mode {
        Mode::Filter => {
            change(&mut app.view.filter);
            app.view.selected = 0;
            app.view.offset = 0;
            app.apply_filter();
            true
        }
        Mode::Palette { input, selected } => {
            change(input);
            *selected = 0;
            true
        }
        Mode::Normal | Mode::Help { .. } => false,
    }
}

fn accept(app: &mut App) -> bool {
    match std::mem::take(&mut app.mode) {
        Mode::Palette { input, selected } => {
            let command = command::parse(&input).or_else(|error| {
                let suggestions = command::suggestions(&input);
                match suggestions.get(selected).or(suggestions.first()) {
                    Some(s) if !input.trim().is_empty() => command::parse(&s.text),
                    _ => Err(error),
                }
            });
            match command {
                Ok(command) => run_command(app, command),
                Err(error) => app.say(error),
            }
        }
        Mode::Filter | Mode::Normal | Mode::Help { .. } => {}
    }
    true
}

fn run_command(app: &mut App, command: Command) {
    app.mode = Mode::Normal;
    match command {
        Command::Show(kind, filter) => {
            show(app, kind.view());
            if let Some(filter) = filter {
                app.view.filter = filter;
                app.view.selected = 0;
                app.apply_filter();
            }
        }
        Command::Theme(name) => match Theme::built_in(&name) {
            Some(theme) => {
                app.set_theme(theme);
                app.say(format!("Theme {name}"));
            }
            None => app.requests.push(Request::LoadTheme(name)),
        },
        Command::Help => app.mode = Mode::Help { scroll: 0 },
        Command::Refresh => {
            app.requests.push(Request::Refresh(None));
            app.say("Refreshing every source (read-only commands)");
        }
        Command::Quit => quit(app),
    }
}

fn click(app: &mut App, x: u16, y: u16) -> bool {
    if app.mode == Mode::Normal && app.visible_wizard().is_some() {
        return false;
    }
    match app.mode {
        Mode::Help { .. } => {
            app.mode = Mode::Normal;
            return true;
        }
        Mode::Palette { .. } => return false,
        Mode::Filter | Mode::Normal => {}
    }
    if let Some(header) = &app.screen.header {
        if y == header.y {
            let hit = header
                .columns
                .iter()
                .find(|span| x >= span.x && x < span.x + span.width)
                .map(|span| span.column);
            if let Some(column) = hit {
                sort_by(app, column);
                return true;
            }
            return false;
        }
    }
    let rows = app.screen.rows;
    if x >= rows.x && x < rows.x + rows.width && y >= rows.y && y < rows.y + rows.height {
        let index = app.screen.offset + (y - rows.y) as usize;
        if index < app.visible.len() {
            app.view.selected = index;
            app.clamp_selection();
            return true;
        }
    }
    false
}

fn scroll(app: &mut App, delta: isize) -> bool {
    if app.mode == Mode::Normal && app.visible_wizard().is_some() {
        let key = if delta < 0 {
            KeyAction::Up
        } else {
            KeyAction::Down
        };
        let mut redraw = false;
        for _ in 0..delta.unsigned_abs() {
            redraw |= wizard::key(app, key).unwrap_or(false);
        }
        return redraw;
    }
    match &mut app.mode {
        Mode::Help { scroll } => {
            *scroll = scroll.saturating_add_signed(delta as i16);
        }
        _ => move_by(app, delta),
    }
    true
}

fn engine_event(app: &mut App, event: Event) -> bool {
    match event {
        Event::Started(name) => {
            app.refreshing.insert(name);
            if matches!(app.view.view, View::Sources | View::Tree) {
                app.rebuild();
            }
        }
        Event::Snapshot(snapshot) => {
            app.refreshing.remove(&snapshot.name);
            let snapshot = match app.snapshots.get(&snapshot.name) {
                Some(previous) => snapshot.carry_over(previous),
                None => snapshot,
            };
            if snapshot.status == SourceStatus::Error {
                let error = snapshot.error.as_deref().unwrap_or("no answer");
                let kept = if snapshot.stale {
                    "; showing its last data"
                } else {
                    ""
                };
                app.say(format!("{}: {error}{kept}", snapshot.name));
            }
            app.snapshots.insert(snapshot.name.clone(), snapshot);
            app.rebuild();
        }
    }
    true
}

/// What the status line shows that depends on the clock.
fn clock_signature(app: &App) -> Vec<String> {
    app.snapshots
        .values()
        .map(|s| s.fetched_at.map(|at| age(app.now, at)).unwrap_or_default())
        .collect()
}

fn tick(app: &mut App, now: SystemTime) -> bool {
    let before = clock_signature(app);
    app.now = now;
    let mut changed = clock_signature(app) != before;
    // Running steps show how long they have been running.
    changed |= app.visible_wizard().is_some_and(|w| w.running());
    if let Some((_, at)) = &app.message {
        if now.duration_since(*at).unwrap_or_default() >= MESSAGE_TIME {
            app.message = None;
            changed = true;
        }
    }
    if changed
        && matches!(
            app.view.view,
            View::Sources | View::Detail(RowKey::Source(_))
        )
    {
        app.rebuild();
    }
    changed
}
