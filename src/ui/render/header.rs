//! The top line: product, estate label, where the admin is, read-only badge, key hints.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::ui::app::App;
use crate::ui::keymap::KeyAction;
use crate::ui::states;
use crate::ui::theme::Tone;

pub(super) fn render(frame: &mut Frame, app: &App, area: Rect) {
    if area.is_empty() {
        return;
    }
    let theme = &app.theme;
    let buffer = frame.buffer_mut();
    buffer.set_style(area, theme.bar);
    let mut left = vec![Span::styled(" powerdeck", theme.title)];
    if !app.options.label.is_empty() {
        left.push(Span::styled(format!(" · {}", app.options.label), theme.bar));
    }
    let depth = app.history.len();
    if depth > 0 {
        let back = app.keymap.hint(KeyAction::Back).unwrap_or_default();
        left.push(Span::styled(
            format!("  ‹ {depth} back ({back})"),
            theme.bar,
        ));
    }
    let mut right: Vec<Span> = Vec::new();
    if let Some(wizard) = app.wizard.as_deref().filter(|w| w.hidden) {
        let show = app.keymap.hint(KeyAction::ShowWizard).unwrap_or_default();
        let (text, style) = if wizard.running() {
            (
                format!(" {} {} running · {show} ", states::TRANSITION, wizard.title),
                theme.tone(Tone::Transition),
            )
        } else {
            (
                format!(" {} ended · {show} ", wizard.title),
                theme.tone(Tone::Warning),
            )
        };
        right.push(Span::styled(text, theme.bar.patch(style)));
        right.push(Span::raw(" "));
    }
    if app.options.read_only {
        right.push(Span::styled(" READ-ONLY ", theme.badge));
        right.push(Span::raw(" "));
    }
    let hint = |action: KeyAction, what: &str| {
        app.keymap
            .hint(action)
            .map(|key| format!("{key} {what}"))
            .unwrap_or_default()
    };
    let hints = [
        hint(KeyAction::Help, "help"),
        hint(KeyAction::Palette, "command"),
        hint(KeyAction::Filter, "filter"),
    ]
    .into_iter()
    .filter(|h| !h.is_empty())
    .collect::<Vec<_>>()
    .join("  ");
    right.push(Span::styled(format!("{hints} "), theme.bar));
    let right = Line::from(right);
    let right_width = right.width() as u16;
    let left = Line::from(left);
    let left_width = (left.width() as u16).min(area.width);
    buffer.set_line(area.x, area.y, &left, area.width);
    if left_width + right_width < area.width {
        buffer.set_line(
            area.x + area.width - right_width,
            area.y,
            &right,
            right_width,
        );
    } else if app.options.read_only && left_width + 11 < area.width {
        let badge = Span::styled(" READ-ONLY ", theme.badge);
        buffer.set_span(
            area.x + area.width - badge.content.width() as u16,
            area.y,
            &badge,
            11,
        );
    }
}
