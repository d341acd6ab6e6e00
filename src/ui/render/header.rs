//! The top line: product, estate label, where the admin is, read-only badge, key hints.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

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
    // Badges first (a wizard put aside, read-only), then the key hints: what does not
    // fit goes, hints before badges.
    let mut wizard_badge: Vec<Span> = Vec::new();
    if let Some(wizard) = app.wizard.as_deref().filter(|w| w.hidden) {
        let show = app.keymap.hint(KeyAction::ShowWizard).unwrap_or_default();
        let (text, tone) = if wizard.running() {
            (
                format!(" {} {} running · {show} ", states::TRANSITION, wizard.title),
                Tone::Transition,
            )
        } else {
            (format!(" {} ended · {show} ", wizard.title), Tone::Warning)
        };
        wizard_badge.push(Span::styled(text, theme.bar.patch(theme.tone(tone))));
        wizard_badge.push(Span::raw(" "));
    }
    let mut read_only: Vec<Span> = Vec::new();
    if app.options.read_only {
        read_only.push(Span::styled(" READ-ONLY ", theme.badge));
        read_only.push(Span::raw(" "));
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
    let hints = vec![Span::styled(format!("{hints} "), theme.bar)];
    let left = Line::from(left);
    let left_width = (left.width() as u16).min(area.width);
    buffer.set_line(area.x, area.y, &left, area.width);
    let candidates = [
        [wizard_badge.clone(), read_only.clone(), hints].concat(),
        [wizard_badge, read_only.clone()].concat(),
        read_only,
    ];
    let right = candidates.into_iter().map(Line::from).find(|line| {
        !line.spans.is_empty() && (left_width as usize) + line.width() < area.width as usize
    });
    if let Some(right) = right {
        let right_width = right.width() as u16;
        buffer.set_line(
            area.x + area.width - right_width,
            area.y,
            &right,
            right_width,
        );
    }
}
