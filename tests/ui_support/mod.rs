//! Helpers shared by the console tests: the story estate, drawing into a TestBackend,
//! and pressing keys through the real key map.
#![allow(dead_code)]

use powerdeck::ui::{self, App, ConsoleOptions};
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

/// Sends one terminal event through the key map and `update`.
pub fn send(app: &mut App, event: Event) {
    if let Some(action) = ui::action_for(app, &event) {
        ui::update(app, action);
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
/// `<bs>`, `<up>`, `<down>`, `<c-x>` (ctrl) in angle brackets.
pub fn press(app: &mut App, keys: &str) {
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
