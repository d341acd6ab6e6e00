//! The status line: every source's health and the age of its data; a summary with the
//! failing sources named when there are too many to list.

use std::collections::BTreeSet;

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use crate::refresh::SourceStatus;
use crate::ui::app::App;
use crate::ui::states::{self, REFRESHING};
use crate::ui::views::age;

/// One source's entry: (symbol, symbol style, text).
fn entries(app: &App) -> Vec<(char, Style, String, Option<SourceStatus>)> {
    let mut names: BTreeSet<&str> = app.snapshots.keys().map(String::as_str).collect();
    names.extend(app.options.sources.iter().map(|(n, _)| n.as_str()));
    names.extend(app.refreshing.iter().map(String::as_str));
    names
        .into_iter()
        .map(|name| {
            let snapshot = app.snapshots.get(name);
            let status = snapshot.map(|s| s.status);
            let (symbol, tone) = states::source_mark(status);
            let mut text = name.to_string();
            if let Some(snapshot) = snapshot {
                match snapshot.status {
                    SourceStatus::Ok => {}
                    SourceStatus::Partial => text.push_str(" partial"),
                    SourceStatus::Error => text.push_str(" error"),
                }
                if let Some(at) = snapshot.fetched_at {
                    if snapshot.stale {
                        text.push_str(&format!(" stale {}", age(app.now, at)));
                    } else {
                        text.push_str(&format!(" {}", age(app.now, at)));
                    }
                }
                if app.refreshing.contains(name) {
                    text.push(' ');
                    text.push(REFRESHING);
                }
            }
            (symbol, app.theme.tone(tone), text, status)
        })
        .collect()
}

pub(super) fn render(frame: &mut Frame, app: &App, area: Rect) {
    if area.is_empty() {
        return;
    }
    let theme = &app.theme;
    let buffer = frame.buffer_mut();
    buffer.set_style(area, theme.bar);
    let entries = entries(app);
    if entries.is_empty() {
        buffer.set_line(
            area.x,
            area.y,
            &Line::styled(" no sources configured", theme.bar),
            area.width,
        );
        return;
    }
    let mut spans = vec![Span::styled(" ", theme.bar)];
    for (symbol, style, text, _) in &entries {
        spans.push(Span::styled(symbol.to_string(), theme.bar.patch(*style)));
        spans.push(Span::styled(format!(" {text}  "), theme.bar));
    }
    let mut line = Line::from(spans);
    if line.width() > area.width as usize {
        let count = |wanted: Option<SourceStatus>| {
            entries.iter().filter(|(_, _, _, s)| *s == wanted).count()
        };
        let mut spans = vec![Span::styled(
            format!(" {} sources:", entries.len()),
            theme.bar,
        )];
        for (wanted, word) in [
            (Some(SourceStatus::Ok), "ok"),
            (Some(SourceStatus::Partial), "partial"),
            (Some(SourceStatus::Error), "error"),
            (None, "waiting"),
        ] {
            let n = count(wanted);
            if n > 0 {
                let (symbol, tone) = states::source_mark(wanted);
                spans.push(Span::styled(
                    format!(" {symbol}"),
                    theme.bar.patch(theme.tone(tone)),
                ));
                spans.push(Span::styled(format!(" {n} {word}"), theme.bar));
            }
        }
        spans.push(Span::styled(" │", theme.bar));
        for (symbol, style, text, status) in &entries {
            if matches!(status, Some(SourceStatus::Error | SourceStatus::Partial)) {
                spans.push(Span::styled(format!(" {symbol}"), theme.bar.patch(*style)));
                spans.push(Span::styled(format!(" {text}"), theme.bar));
            }
        }
        line = Line::from(spans);
    }
    buffer.set_line(area.x, area.y, &line, area.width);
}
