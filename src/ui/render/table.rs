//! The current view's table: only the rows on screen are drawn, so a view of 10,000
//! rows costs what a view of 30 does.

use fuzzy_matcher::skim::SkimMatcherV2;
use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Scrollbar, ScrollbarOrientation, ScrollbarState};
use ratatui::Frame;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::estate::SystemState;
use crate::refresh::SourceData;
use crate::ui::app::{App, ColumnSpan, HeaderMap, Mode, ScreenMap};
use crate::ui::filter::Filter;
use crate::ui::keymap::KeyAction;
use crate::ui::table::{Cell, Column, Row, RowKey};
use crate::ui::theme::Theme;
use crate::ui::views::{systems, ViewKind};
use crate::wizard::catalogue::WizardId;

/// Which columns fit in `available` cells: the most important first (by priority), a
/// column that does not fit whole is narrowed when there is still useful room (never
/// below its header). Returns
/// (column index, x offset, width) in column order, one blank between columns.
pub fn fit_columns(columns: &[Column], widths: &[u16], available: u16) -> Vec<(usize, u16, u16)> {
    let mut order: Vec<usize> = (0..columns.len()).collect();
    order.sort_by_key(|&i| (columns[i].priority, i));
    let mut chosen: Vec<(usize, u16)> = Vec::new();
    let mut used: u16 = 0;
    for i in order {
        let spacing = u16::from(!chosen.is_empty());
        let want = widths.get(i).copied().unwrap_or(1).max(1);
        let remaining = available.saturating_sub(used + spacing);
        if want <= remaining {
            chosen.push((i, want));
            used += want + spacing;
        } else if remaining >= want.min(8).max(columns[i].title.width() as u16 + 1) {
            chosen.push((i, remaining));
            used += remaining + spacing;
        }
    }
    chosen.sort_by_key(|(i, _)| *i);
    let mut x = 0;
    chosen
        .into_iter()
        .map(|(i, width)| {
            let at = x;
            x += width + 1;
            (i, at, width)
        })
        .collect()
}

/// Writes styled pieces into `width` cells; what does not fit ends in `…`.
fn write_pieces(buffer: &mut Buffer, x: u16, y: u16, width: u16, pieces: &[(&str, Style)]) {
    let total: usize = pieces
        .iter()
        .flat_map(|(text, _)| text.chars())
        .map(|c| c.width().unwrap_or(0))
        .sum();
    let fits = total <= width as usize;
    let limit = if fits { width } else { width.saturating_sub(1) };
    let mut at = 0u16;
    let mut last_style = Style::default();
    'outer: for (text, style) in pieces {
        for c in text.chars() {
            let w = c.width().unwrap_or(0) as u16;
            if w == 0 {
                continue;
            }
            if at + w > limit {
                break 'outer;
            }
            if let Some(cell) = buffer.cell_mut((x + at, y)) {
                cell.set_char(c).set_style(*style);
            }
            if w == 2 {
                if let Some(cell) = buffer.cell_mut((x + at + 1, y)) {
                    cell.reset();
                    cell.set_style(*style);
                }
            }
            at += w;
            last_style = *style;
        }
    }
    if !fits && width > 0 {
        if let Some(cell) = buffer.cell_mut((x + at, y)) {
            cell.set_char('…').set_style(last_style);
        }
    }
}

/// Splits `text` into runs of highlighted and plain characters.
fn highlighted<'a>(
    text: &'a str,
    positions: &[usize],
    plain: Style,
    mark: Style,
) -> Vec<(&'a str, Style)> {
    if positions.is_empty() {
        return vec![(text, plain)];
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut current = false;
    for (index, (byte, _)) in text.char_indices().enumerate() {
        let on = positions.binary_search(&index).is_ok();
        if on != current {
            if byte > start {
                pieces.push((&text[start..byte], if current { mark } else { plain }));
            }
            current = on;
            start = byte;
        }
    }
    pieces.push((&text[start..], if current { mark } else { plain }));
    pieces
}

struct RowStyles {
    base: Style,
    stale: Option<String>,
    selected: bool,
}

#[allow(clippy::too_many_arguments)]
fn draw_cell(
    buffer: &mut Buffer,
    theme: &Theme,
    row: &Row,
    column: &Column,
    cell: &Cell,
    first: bool,
    styles: &RowStyles,
    filter: &Filter,
    matcher: &SkimMatcherV2,
    area: Rect,
) {
    let tone = if styles.selected {
        styles.base
    } else {
        let toned = styles.base.patch(theme.tone(cell.tone));
        if styles.stale.is_some() {
            toned.patch(theme.stale)
        } else {
            toned
        }
    };
    let mark = if styles.selected {
        Style::default().add_modifier(theme.highlight.add_modifier)
    } else {
        tone.patch(theme.highlight)
    };
    let symbol;
    let mut pieces: Vec<(&str, Style)> = Vec::new();
    if first && !row.prefix.is_empty() {
        let style = if styles.selected {
            styles.base
        } else {
            styles.base.patch(theme.muted)
        };
        pieces.push((&row.prefix, style));
    }
    if let Some(s) = cell.symbol {
        symbol = format!("{s} ");
        pieces.push((&symbol, tone));
    }
    let positions = filter.highlights(matcher, &cell.text);
    pieces.extend(highlighted(&cell.text, &positions, tone, mark));
    let stale_text;
    if column.source {
        if let Some(stale) = &styles.stale {
            stale_text = format!(" {stale}");
            let style = if styles.selected {
                styles.base
            } else {
                styles.base.patch(theme.warning).patch(theme.stale)
            };
            pieces.push((&stale_text, style));
        }
    }
    write_pieces(buffer, area.x, area.y, area.width, &pieces);
}

/// The wizards the selected row can start, as a footer hint (` R remote restart `).
fn wizard_hint(app: &App) -> Option<String> {
    let key =
        |action: KeyAction, what: &str| app.keymap.hint(action).map(|key| format!("{key} {what}"));
    let hints: Vec<String> = match app.selected_key()? {
        RowKey::System { hmc, system } => {
            let data = app.data();
            let (_, found) = data
                .systems()
                .find(|(h, d)| h == hmc && d.system.name == *system)?;
            let flags = systems::flags(found);
            [
                flags
                    .contains(&"RR source")
                    .then(|| key(KeyAction::Wizard(WizardId::RemoteRestart), "remote restart")),
                flags
                    .contains(&"needs cleanup")
                    .then(|| key(KeyAction::Wizard(WizardId::Cleanup), "cleanup")),
                (found.system.firmware.is_some()
                    && matches!(
                        found.system.state,
                        SystemState::Operating | SystemState::Standby
                    ))
                .then(|| key(KeyAction::Wizard(WizardId::Firmware), "firmware")),
                flags.contains(&"update").then(|| {
                    key(
                        KeyAction::Wizard(WizardId::FirmwareAccept),
                        "accept firmware",
                    )
                }),
            ]
            .into_iter()
            .flatten()
            .flatten()
            .collect()
        }
        RowKey::Lpar { hmc, system, name } => {
            let (_, lpar) = app.data().lpar(hmc, system, name)?;
            if lpar.lpar_env.is_vios() {
                return None;
            }
            key(KeyAction::Wizard(WizardId::Relocate), "relocate")
                .into_iter()
                .collect()
        }
        RowKey::Wpar { host, name } if app.view.view.kind() == Some(ViewKind::Wpars) => {
            let stuck = match app.snapshots.get(host).map(|s| &s.data) {
                Some(SourceData::Aix(wpars)) => wpars
                    .iter()
                    .find(|w| w.name == *name)
                    .is_some_and(|w| w.state.is_stuck()),
                _ => false,
            };
            [
                key(KeyAction::Wizard(WizardId::WparMove), "move"),
                stuck
                    .then(|| key(KeyAction::Wizard(WizardId::WparRecover), "recover"))
                    .flatten(),
            ]
            .into_iter()
            .flatten()
            .collect()
        }
        RowKey::Nim { master, name } if app.view.view.kind() == Some(ViewKind::Nim) => {
            let Some(SourceData::Nim(objects)) = app.snapshots.get(master).map(|s| &s.data) else {
                return None;
            };
            let object = objects.iter().find(|o| o.name == *name)?;
            let alternate = objects.iter().any(|o| o.object_type == "alternate_master");
            let master_row =
                object.object_type == "master" || object.object_type == "alternate_master";
            [
                object
                    .is_stuck_machine()
                    .then(|| key(KeyAction::Wizard(WizardId::NimReset), "reset")),
                (master_row && alternate)
                    .then(|| key(KeyAction::Wizard(WizardId::NimSync), "sync")),
                (master_row && alternate)
                    .then(|| key(KeyAction::Wizard(WizardId::NimTakeover), "takeover")),
                (object.object_type == "standalone" && !object.is_stuck_machine()).then(|| {
                    key(
                        KeyAction::Wizard(WizardId::NimadmPreflight),
                        "nimadm pre-flight",
                    )
                }),
            ]
            .into_iter()
            .flatten()
            .flatten()
            .collect()
        }
        _ => return None,
    };
    (!hints.is_empty()).then(|| format!(" {} ", hints.join(" · ")))
}

/// Draws the table in `area`; returns where its header and rows are.
pub(super) fn render(frame: &mut Frame, app: &App, area: Rect) -> ScreenMap {
    let theme = &app.theme;
    let table = &app.table;
    let data = app.data();
    let title = format!(
        " {} [{}/{}] ",
        table.title,
        app.visible.len(),
        table.rows.len()
    );
    let mut block = Block::bordered()
        .border_style(theme.border)
        .title(Line::styled(title, theme.title));
    if let Some((message, _)) = &app.message {
        block = block.title_bottom(Line::styled(format!(" {message} "), theme.prompt));
    }
    if let Some(hint) = wizard_hint(app) {
        block = block.title_bottom(Line::styled(hint, theme.key).right_aligned());
    }
    if !app.view.filter.is_empty() && app.mode != Mode::Filter {
        block = block.title_bottom(
            Line::styled(format!(" /{} ", app.view.filter), theme.prompt).right_aligned(),
        );
    }
    if area.height < 3 || area.width < 6 {
        return ScreenMap::default();
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 2 || inner.width < 4 {
        return ScreenMap::default();
    }
    let content = Rect {
        x: inner.x + 1,
        width: inner.width - 1,
        ..inner
    };
    let header_y = content.y;
    let rows_area = Rect {
        y: content.y + 1,
        height: content.height - 1,
        ..content
    };
    let page = rows_area.height as usize;

    // Room for "stale 12m" after the source name when a shown source is stale.
    let any_stale = table
        .sources
        .iter()
        .any(|source| app.snapshots.get(source).is_some_and(|s| s.stale));
    let widths: Vec<u16> = table
        .columns
        .iter()
        .zip(&table.widths)
        .map(|(column, width)| {
            if column.source && any_stale {
                width + 10
            } else {
                *width
            }
        })
        .collect();
    let layout = fit_columns(&table.columns, &widths, content.width);

    let buffer = frame.buffer_mut();
    buffer.set_style(
        Rect {
            height: 1,
            ..content
        },
        theme.header,
    );
    let mut header_columns = Vec::new();
    for &(index, x, width) in &layout {
        let column = &table.columns[index];
        let arrow = match app.view.sort {
            Some(sort) if sort.column == index && table.sortable => {
                if sort.descending {
                    "↓"
                } else {
                    "↑"
                }
            }
            _ => "",
        };
        let text = format!("{}{arrow}", column.title);
        write_pieces(
            buffer,
            content.x + x,
            header_y,
            width,
            &[(&text, theme.header)],
        );
        header_columns.push(ColumnSpan {
            x: content.x + x,
            width,
            column: index,
        });
    }

    let count = app.visible.len();
    let selected = app.view.selected.min(count.saturating_sub(1));
    let mut offset = app.view.offset.min(count.saturating_sub(1));
    if selected < offset {
        offset = selected;
    } else if page > 0 && selected >= offset + page {
        offset = selected + 1 - page;
    }

    let filter = Filter::parse(&app.view.filter);
    let matcher = SkimMatcherV2::default();
    for (line, &index) in app.visible.iter().skip(offset).take(page).enumerate() {
        let row = &table.rows[index as usize];
        let y = rows_area.y + line as u16;
        let is_selected = offset + line == selected;
        let stale = data.stale_label(&row.source);
        let mut base = theme.text;
        if is_selected {
            base = base.patch(theme.selected);
            buffer.set_style(
                Rect {
                    x: inner.x,
                    y,
                    width: inner.width,
                    height: 1,
                },
                base,
            );
        } else if stale.is_some() {
            base = base.patch(theme.stale);
        }
        let styles = RowStyles {
            base,
            stale,
            selected: is_selected,
        };
        for &(column, x, width) in &layout {
            let Some(cell) = row.cells.get(column) else {
                continue;
            };
            draw_cell(
                buffer,
                theme,
                row,
                &table.columns[column],
                cell,
                column == 0,
                &styles,
                &filter,
                &matcher,
                Rect {
                    x: content.x + x,
                    y,
                    width,
                    height: 1,
                },
            );
        }
    }
    if count == 0 {
        let message = if table.rows.is_empty() {
            table.empty.clone()
        } else {
            format!("No rows match /{} (esc clears the filter)", app.view.filter)
        };
        let line = Line::from(Span::styled(message, theme.muted));
        let x = rows_area.x + rows_area.width.saturating_sub(line.width() as u16) / 2;
        let y = rows_area.y + rows_area.height.saturating_sub(1) / 2;
        buffer.set_line(x, y, &line, rows_area.width);
    }
    if count > page {
        let mut state = ScrollbarState::new(count.saturating_sub(page) + 1).position(offset);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None)
                .track_symbol(Some("│"))
                .track_style(theme.border)
                .thumb_symbol("█")
                .thumb_style(theme.title),
            area.inner(Margin {
                vertical: 1,
                horizontal: 0,
            }),
            &mut state,
        );
    }
    ScreenMap {
        header: Some(HeaderMap {
            y: header_y,
            columns: header_columns,
        }),
        rows: rows_area,
        offset,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fit_by_priority() {
        let columns = vec![
            Column::new("A", 0, 10),
            Column::new("B", 2, 10),
            Column::new("C", 1, 10),
        ];
        let layout = fit_columns(&columns, &[10, 10, 10], 21);
        assert_eq!(layout, [(0, 0, 10), (2, 11, 10)]);
        let layout = fit_columns(&columns, &[10, 10, 10], 30);
        assert_eq!(layout, [(0, 0, 10), (1, 11, 8), (2, 20, 10)]);
    }

    #[test]
    fn highlight_runs() {
        let plain = Style::default();
        let mark = Style::default().add_modifier(ratatui::style::Modifier::BOLD);
        let pieces = highlighted("p001db", &[0, 4], plain, mark);
        let texts: Vec<&str> = pieces.iter().map(|(t, _)| *t).collect();
        assert_eq!(texts, ["p", "001", "d", "b"]);
    }
}
