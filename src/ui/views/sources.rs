//! The sources (HMCs, AIX globals, NIM masters): health, age of their data, staleness
//! and what went wrong.

use std::collections::BTreeSet;

use crate::refresh::{SourceData, SourceSnapshot};

use super::{age, EstateData};
use crate::ui::states::{self, REFRESHING};
use crate::ui::table::{Cell, Column, Row, RowKey, Table};
use crate::ui::theme::Tone;

/// The columns.
pub fn columns() -> Vec<Column> {
    vec![
        Column::new("NAME", 0, 20),
        Column::new("STATUS", 0, 14),
        Column::new("KIND", 3, 4),
        Column::new("AGE", 1, 5),
        Column::new("STALE", 2, 6),
        Column::new("OBJECTS", 5, 24),
        Column::new("PROBLEMS", 4, 80),
    ]
}

/// What a snapshot holds, in words.
pub fn contents(snapshot: &SourceSnapshot) -> String {
    match &snapshot.data {
        SourceData::Empty => "nothing yet".to_string(),
        SourceData::Hmc(systems) => {
            let lpars: usize = systems.iter().map(|s| s.lpars.len()).sum();
            format!("{} systems, {lpars} LPARs", systems.len())
        }
        SourceData::Aix(wpars) => format!("{} WPARs", wpars.len()),
        SourceData::Nim(objects) => format!("{} objects", objects.len()),
    }
}

/// The main problem and how many more there are.
pub fn problems(snapshot: &SourceSnapshot) -> Cell {
    let first = snapshot
        .error
        .as_deref()
        .or(snapshot.problems.first().map(String::as_str));
    let Some(first) = first else {
        return Cell::none();
    };
    let more = snapshot.problems.len().saturating_sub(1);
    let first = match snapshot.error_kind {
        Some(kind) => format!("[{}] {first}", kind.label()),
        None => first.to_string(),
    };
    let text = if more > 0 {
        format!("{first} (+{more} more)")
    } else {
        first
    };
    let tone = match snapshot.status {
        crate::refresh::SourceStatus::Error => Tone::Error,
        _ => Tone::Warning,
    };
    Cell::toned(text, tone)
}

/// The table.
pub fn table(data: &EstateData<'_>) -> Table {
    let mut names: BTreeSet<&str> = data.snapshots.keys().map(String::as_str).collect();
    names.extend(data.expected.iter().map(|(name, _)| name.as_str()));
    names.extend(data.refreshing.iter().map(String::as_str));
    let rows = names
        .into_iter()
        .map(|name| {
            let snapshot = data.snapshots.get(name);
            let mut status = states::source(snapshot.map(|s| s.status));
            if snapshot.is_some() && data.refreshing.contains(name) {
                status.text.push(' ');
                status.text.push(REFRESHING);
            }
            let kind = data
                .source_kind(name)
                .map_or_else(Cell::none, |k| Cell::text(k.as_str()));
            let cells = match snapshot {
                Some(snapshot) => vec![
                    Cell::text(name),
                    status,
                    kind,
                    snapshot
                        .fetched_at
                        .map_or_else(Cell::none, |at| Cell::text(age(data.now, at))),
                    if snapshot.stale {
                        Cell::toned("stale", Tone::Warning)
                    } else {
                        Cell::toned("no", Tone::Muted)
                    },
                    Cell::text(contents(snapshot)),
                    problems(snapshot),
                ],
                None => vec![
                    Cell::text(name),
                    status,
                    kind,
                    Cell::none(),
                    Cell::none(),
                    Cell::toned("first refresh running", Tone::Muted),
                    Cell::none(),
                ],
            };
            Row::new(RowKey::Source(name.to_string()), name, cells)
        })
        .collect();
    Table::new("Sources", columns(), rows).with_empty("No sources configured")
}
