//! WPARs of every AIX global: state word and letter, type, host name, directory, rootvg,
//! and a flag on the stuck ones.

use super::{EstateData, Scope};
use crate::ui::states::{self, ERROR};
use crate::ui::table::{Cell, Column, Row, RowKey, Table};
use crate::ui::theme::Tone;

/// The columns.
pub fn columns() -> Vec<Column> {
    vec![
        Column::new("NAME", 0, 20),
        Column::new("STATE", 1, 20),
        Column::new("FLAG", 2, 8),
        Column::new("TYPE", 5, 11),
        Column::new("HOSTNAME", 6, 24),
        Column::new("DIRECTORY", 7, 28),
        Column::new("ROOTVG", 8, 6),
        Column::new("LPAR", 9, 20),
        Column::source("HOST", 3),
    ]
}

/// The table.
pub fn table(data: &EstateData<'_>, scope: &Scope) -> Table {
    let rows = data
        .wpars()
        .filter(|(host, _)| scope.contains(host, None))
        .map(|(host, wpar)| {
            let flag = if wpar.state.is_stuck() {
                Cell::state(ERROR, "stuck", Tone::Error)
            } else {
                Cell::none()
            };
            let lpar = data
                .lpar_of_global(host)
                .map(|(_, system, lpar)| format!("{system}/{lpar}"))
                .or_else(|| data.globals.get(host).cloned());
            Row::new(
                RowKey::Wpar {
                    host: host.to_string(),
                    name: wpar.name.clone(),
                },
                host,
                vec![
                    Cell::text(&wpar.name),
                    states::wpar(&wpar.state),
                    flag,
                    Cell::text(wpar.wpar_type.as_str()),
                    Cell::optional(wpar.hostname.as_deref()),
                    Cell::optional(wpar.directory.as_deref()),
                    Cell::text(if wpar.rootvg { "yes" } else { "no" }),
                    Cell::optional(lpar.as_deref()),
                    Cell::text(host),
                ],
            )
        })
        .collect();
    Table::new(format!("WPARs{}", scope.suffix()), columns(), rows)
        .with_empty("No WPARs reported yet")
}
