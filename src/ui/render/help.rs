//! The help overlay, generated from the key map (so rebound keys show as bound), with
//! the palette commands, the filter syntax and the meaning of every symbol and flag.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

use crate::ui::app::App;
use crate::ui::keymap::{KeyAction, KeyMap};
use crate::ui::states::LEGEND;
use crate::ui::theme::{Theme, Tone};
use crate::ui::views::ViewKind;
use crate::ui::wizard::{input_keys, WizardInput, WIZARD_KEYS};

/// The help text: keys by group, commands, filter, symbols, flags.
pub fn help_lines(keymap: &KeyMap, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let key_width = KeyAction::all()
        .map(|a| keymap.describe_keys(a).chars().count())
        .max()
        .unwrap_or(8)
        .clamp(8, 16);
    let heading = |text: &str| Line::from(Span::styled(format!(" {text}"), theme.title));
    let mut group = "";
    for action in KeyAction::all() {
        if action.group() != group {
            if !group.is_empty() {
                lines.push(Line::default());
            }
            group = action.group();
            lines.push(heading(group));
        }
        lines.push(Line::from(vec![
            Span::styled(
                format!("  {:key_width$}  ", keymap.describe_keys(action)),
                theme.key,
            ),
            Span::styled(action.description().to_string(), theme.popup),
        ]));
    }
    lines.push(Line::default());
    lines.push(heading("On a wizard's screens"));
    let mut seen: Vec<WizardInput> = Vec::new();
    for (_, input, _, about) in WIZARD_KEYS {
        if seen.contains(input) {
            continue;
        }
        seen.push(*input);
        lines.push(Line::from(vec![
            Span::styled(
                format!("  {:key_width$}  ", input_keys(*input).replace('/', " ")),
                theme.key,
            ),
            Span::styled(about.to_string(), theme.popup),
        ]));
    }
    lines.push(Line::styled(
        "  a plan runs only after the name of what is at stake is typed on its last screen",
        theme.popup,
    ));
    lines.push(Line::default());
    lines.push(heading("Commands (:)"));
    for kind in ViewKind::ALL {
        lines.push(Line::from(vec![
            Span::styled(format!("  :{:<key_width$} ", kind.command()), theme.key),
            Span::styled(
                format!("{} (:{} TEXT filters)", kind.title(), kind.command()),
                theme.popup,
            ),
        ]));
    }
    for (command, about) in [
        ("theme NAME", "dark, light, high-contrast, colorblind"),
        ("refresh", "refresh every source now"),
        ("q", "quit"),
    ] {
        lines.push(Line::from(vec![
            Span::styled(format!("  :{command:<key_width$} "), theme.key),
            Span::styled(about.to_string(), theme.popup),
        ]));
    }
    lines.push(Line::default());
    lines.push(heading("Filter (/)"));
    for text in [
        "  letters in order within one cell: /p1db finds p001db01",
        "  several words must all match: /p001 running",
        "  a capital letter makes a word case-sensitive",
        "  !text keeps the rows that do not match",
    ] {
        lines.push(Line::styled(text, theme.popup));
    }
    lines.push(Line::default());
    lines.push(heading("Symbols"));
    for (symbol, tone, meaning) in LEGEND {
        lines.push(Line::from(vec![
            Span::styled(format!("  {symbol}  "), theme.tone(*tone)),
            Span::styled(meaning.to_string(), theme.popup),
        ]));
    }
    lines.push(Line::from(vec![
        Span::styled("  dim ", theme.tone(Tone::Muted).patch(theme.stale)),
        Span::styled(
            "stale: the source failed; its last data, with its age",
            theme.popup,
        ),
    ]));
    lines.push(Line::default());
    lines.push(heading("Flags"));
    for (flag, meaning) in [
        (
            "needs cleanup",
            "LPARs remote-restarted away: rrstartlpar -o cleanup due",
        ),
        ("RR source", "system down with remote-restartable LPARs"),
        (
            "update",
            "firmware activated but not accepted (updlic -o c)",
        ),
        (
            "stuck",
            "WPAR in T/B/E, or NIM machine with an unfinished operation",
        ),
    ] {
        lines.push(Line::from(vec![
            Span::styled(format!("  {flag:<14}"), theme.key),
            Span::styled(meaning.to_string(), theme.popup),
        ]));
    }
    lines
}

pub(super) fn render(frame: &mut Frame, app: &App, area: Rect, scroll: u16) {
    let theme = &app.theme;
    let lines = help_lines(&app.keymap, theme);
    let width = area.width.saturating_sub(4).min(84);
    let height = area.height.saturating_sub(2).min(lines.len() as u16 + 2);
    if width < 10 || height < 3 {
        return;
    }
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let max_scroll = (lines.len() as u16).saturating_sub(height.saturating_sub(2));
    let scroll = scroll.min(max_scroll);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .border_style(theme.border)
        .style(theme.popup)
        .title(Line::styled(" Help — keys from the key map ", theme.title))
        .title_bottom(Line::styled(
            format!(
                " {}/{} scroll · {} closes · {}/{} ",
                app.keymap.hint(KeyAction::Down).unwrap_or_default(),
                app.keymap.hint(KeyAction::Up).unwrap_or_default(),
                app.keymap.hint(KeyAction::Back).unwrap_or_default(),
                (scroll + height.saturating_sub(2)).min(lines.len() as u16),
                lines.len()
            ),
            theme.muted,
        ));
    frame.render_widget(
        Paragraph::new(lines).block(block).scroll((scroll, 0)),
        popup,
    );
}
