//! Terminal events to actions: the key map in normal mode and the help, line editing in
//! the filter, the palette and a wizard's confirmation, a wizard's own keys on its
//! screens, clicks and the wheel.

use ratatui::crossterm::event::{
    Event as TermEvent, KeyCode, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

use super::app::{App, Mode};
use super::keymap::{Key, KeyAction};
use super::update::Action;
use super::wizard::{wizard_input, Stage};

/// The action a terminal event stands for in the current mode, if any.
pub fn action_for(app: &App, event: &TermEvent) -> Option<Action> {
    match event {
        TermEvent::Key(key) => {
            if key.kind == KeyEventKind::Release {
                return None;
            }
            let typed = Key::from_event(key);
            let view = app.view.view.kind();
            let wizard = app.visible_wizard().map(|w| w.stage);
            match (&app.mode, wizard) {
                (Mode::Normal, Some(stage)) if stage != Stage::Confirm => {
                    wizard_input(stage, typed)
                        .map(Action::Wizard)
                        .or_else(|| app.keymap.action_in(typed, view).map(Action::Key))
                }
                (Mode::Normal, None) | (Mode::Help { .. }, _) => {
                    app.keymap.action_in(typed, view).map(Action::Key)
                }
                (Mode::Normal, Some(_)) | (Mode::Filter | Mode::Palette { .. }, _) => {
                    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
                    match key.code {
                        KeyCode::Char('c') if ctrl => Some(Action::Key(KeyAction::Quit)),
                        KeyCode::Char('u') if ctrl => Some(Action::ClearInput),
                        KeyCode::Char('n') if ctrl => Some(Action::SuggestionNext),
                        KeyCode::Char('p') if ctrl => Some(Action::SuggestionPrevious),
                        KeyCode::Char(c) if !ctrl => Some(Action::Insert(c)),
                        KeyCode::Backspace => Some(Action::DeleteBack),
                        KeyCode::Enter => Some(Action::Accept),
                        KeyCode::Esc => Some(Action::Cancel),
                        KeyCode::Tab => Some(Action::Complete),
                        KeyCode::Down => Some(Action::SuggestionNext),
                        KeyCode::Up | KeyCode::BackTab => Some(Action::SuggestionPrevious),
                        _ => None,
                    }
                }
            }
        }
        TermEvent::Mouse(mouse) => match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                x: mouse.column,
                y: mouse.row,
            }),
            MouseEventKind::ScrollDown => Some(Action::ScrollDown),
            MouseEventKind::ScrollUp => Some(Action::ScrollUp),
            _ => None,
        },
        TermEvent::Resize(_, _) => Some(Action::Resized),
        // A wizard's confirmation takes typed keys only, never a paste.
        TermEvent::Paste(text) => match app.mode {
            Mode::Filter | Mode::Palette { .. } => {
                text.chars().find(|c| !c.is_control()).map(Action::Insert)
            }
            _ => None,
        },
        TermEvent::FocusGained | TermEvent::FocusLost => None,
    }
}
