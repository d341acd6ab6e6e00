//! The journal of wizard runs. Wizards (relocation, remote restart, cleanup, firmware,
//! WPAR moves) are not part of this build yet, so the journal is always empty; the view
//! exists so the place to look is known from the start.

use std::time::SystemTime;

use super::{age, EstateData};
use crate::ui::table::{Cell, Column, Row, RowKey, Table};

/// One wizard run, as the journal will list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    /// When it started.
    pub started_at: SystemTime,
    /// Which wizard (`remote-restart`, `relocate`, ...).
    pub wizard: String,
    /// What it acted on (`p001 → p002`).
    pub target: String,
    /// How it ended, or that it is running.
    pub outcome: String,
}

/// The columns.
pub fn columns() -> Vec<Column> {
    vec![
        Column::new("AGE", 1, 5),
        Column::new("WIZARD", 0, 16),
        Column::new("TARGET", 0, 40),
        Column::new("OUTCOME", 0, 30),
    ]
}

/// The table.
pub fn table(data: &EstateData<'_>) -> Table {
    let rows = data
        .journal
        .iter()
        .map(|entry| {
            Row::new(
                RowKey::None,
                "",
                vec![
                    Cell::text(age(data.now, entry.started_at)),
                    Cell::text(&entry.wizard),
                    Cell::text(&entry.target),
                    Cell::text(&entry.outcome),
                ],
            )
        })
        .collect();
    Table::new("Journal", columns(), rows).with_empty("No wizard runs yet")
}
