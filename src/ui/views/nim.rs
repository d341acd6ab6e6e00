//! Objects of every NIM master: class, type, Cstate/Mstate/Rstate, the controlling
//! master, and a flag on stuck machines.

use super::{EstateData, Scope};
use crate::ui::states::{self, ERROR, WARNING};
use crate::ui::table::{Cell, Column, Row, RowKey, Table};
use crate::ui::theme::Tone;

/// The columns.
pub fn columns() -> Vec<Column> {
    vec![
        Column::new("NAME", 0, 22),
        Column::new("CLASS", 4, 10),
        Column::new("TYPE", 3, 16),
        Column::new("CSTATE", 1, 44),
        Column::new("FLAG", 2, 16),
        Column::new("MSTATE", 6, 28),
        Column::new("RSTATE", 7, 22),
        Column::new("CURRENT MASTER", 8, 16),
        Column::source("MASTER", 5),
    ]
}

/// The table.
pub fn table(data: &EstateData<'_>, scope: &Scope) -> Table {
    let rows = data
        .nim_objects()
        .filter(|(master, _)| scope.contains(master, None))
        .map(|(master, object)| {
            let flag = if object.is_stuck_machine() {
                Cell::state(ERROR, "stuck", Tone::Error)
            } else if object.sync_required() {
                Cell::state(WARNING, "sync required", Tone::Warning)
            } else {
                Cell::none()
            };
            Row::new(
                RowKey::Nim {
                    master: master.to_string(),
                    name: object.name.clone(),
                },
                master,
                vec![
                    Cell::text(&object.name),
                    Cell::text(object.class.as_str()),
                    Cell::text(&object.object_type),
                    states::cstate(object.cstate.as_ref()),
                    flag,
                    states::mstate(object.mstate.as_ref()),
                    states::rstate(object.rstate.as_ref()),
                    Cell::optional(object.current_master.as_deref()),
                    Cell::text(master),
                ],
            )
        })
        .collect();
    Table::new(format!("NIM objects{}", scope.suffix()), columns(), rows)
        .with_empty("No NIM objects reported yet")
}
