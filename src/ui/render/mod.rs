//! Drawing the console: a top line, the current view's table (or the wizard in its
//! place), a prompt while typing, a status line with every source's health, and the
//! help or palette over them.

mod header;
mod help;
mod prompt;
mod status;
mod table;
mod wizard;

use ratatui::layout::{Constraint, Layout};
use ratatui::Frame;

use super::app::{App, Mode, ScreenMap};

pub use help::help_lines;
pub use table::fit_columns;
pub use wizard::{plan_lines, summary_lines};

/// Draws one frame; returns where the table went (for mouse clicks and paging).
pub fn render(frame: &mut Frame, app: &App) -> ScreenMap {
    let area = frame.area();
    frame.buffer_mut().set_style(area, app.theme.text);
    let prompt_open = matches!(app.mode, Mode::Filter | Mode::Palette { .. });
    let [top, prompt_area, body, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(u16::from(prompt_open)),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    header::render(frame, app, top);
    let screen = match app.visible_wizard() {
        Some(shown) => ScreenMap {
            header: None,
            rows: wizard::render(frame, app, shown, body),
            offset: app.view.offset,
        },
        None => table::render(frame, app, body),
    };
    status::render(frame, app, bottom);
    if prompt_open {
        prompt::render(frame, app, prompt_area, body);
    }
    if let Mode::Help { scroll } = app.mode {
        help::render(frame, app, area, scroll);
    }
    screen
}
