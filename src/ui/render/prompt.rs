//! The prompt line while typing a `/` filter or a `:` command, and the palette's
//! suggestions under it.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::ui::app::{App, Mode};
use crate::ui::command;

pub(super) fn render(frame: &mut Frame, app: &App, area: Rect, body: Rect) {
    if area.is_empty() {
        return;
    }
    let theme = &app.theme;
    frame.buffer_mut().set_style(area, theme.prompt);
    match &app.mode {
        Mode::Filter => {
            let text = &app.view.filter;
            let hint = format!(
                "   {} of {} rows · !text hides matches · enter keeps · esc clears",
                app.visible.len(),
                app.table.rows.len()
            );
            let line = Line::from(vec![
                Span::styled(format!(" /{text}"), theme.prompt),
                Span::styled(hint, theme.muted),
            ]);
            frame
                .buffer_mut()
                .set_line(area.x, area.y, &line, area.width);
            frame.set_cursor_position((area.x + 2 + text.width() as u16, area.y));
        }
        Mode::Palette { input, selected } => {
            let line = Line::from(vec![
                Span::styled(format!(" :{input}"), theme.prompt),
                Span::styled("   tab completes · enter runs · esc closes", theme.muted),
            ]);
            frame
                .buffer_mut()
                .set_line(area.x, area.y, &line, area.width);
            frame.set_cursor_position((area.x + 2 + input.width() as u16, area.y));
            let suggestions = command::suggestions(input);
            if suggestions.is_empty() || body.height < 3 || body.width < 8 {
                return;
            }
            let shown = suggestions
                .len()
                .min(body.height.saturating_sub(2) as usize);
            let width = suggestions
                .iter()
                .map(|s| s.text.width() + s.about.width() + 6)
                .max()
                .unwrap_or(20)
                .min(body.width.saturating_sub(2) as usize) as u16;
            let popup = Rect {
                x: body.x + 1,
                y: body.y,
                width,
                height: shown as u16 + 2,
            };
            frame.render_widget(Clear, popup);
            let block = Block::bordered()
                .border_style(theme.border)
                .style(theme.popup);
            let inner = block.inner(popup);
            frame.render_widget(block, popup);
            let name_width = suggestions
                .iter()
                .map(|s| s.text.width())
                .max()
                .unwrap_or(0);
            let first = selected.saturating_sub(shown.saturating_sub(1));
            for (line, (index, suggestion)) in suggestions
                .iter()
                .enumerate()
                .skip(first)
                .take(shown)
                .enumerate()
            {
                let style = if index == *selected {
                    theme.selected
                } else {
                    theme.popup
                };
                let row = Rect {
                    y: inner.y + line as u16,
                    height: 1,
                    ..inner
                };
                frame.buffer_mut().set_style(row, style);
                let text = Line::from(vec![
                    Span::styled(
                        format!(" {:name_width$}  ", suggestion.text),
                        if index == *selected {
                            style.add_modifier(ratatui::style::Modifier::BOLD)
                        } else {
                            style.patch(theme.key)
                        },
                    ),
                    Span::styled(suggestion.about.clone(), style),
                ]);
                frame.buffer_mut().set_line(row.x, row.y, &text, row.width);
            }
        }
        Mode::Normal | Mode::Help { .. } => {}
    }
}
