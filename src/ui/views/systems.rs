//! Managed systems: state, model, serial, firmware levels and the flags that ask for
//! an admin's attention (cleanup due, remote-restart source, firmware to accept).

use crate::estate::ManagedSystem;
use crate::refresh::SystemData;

use super::{EstateData, Scope};
use crate::ui::states::{self, ERROR, WARNING};
use crate::ui::table::{Cell, Column, Row, RowKey, Table};
use crate::ui::theme::Tone;

/// The columns.
pub fn columns() -> Vec<Column> {
    vec![
        Column::new("NAME", 0, 24),
        Column::new("STATE", 1, 28),
        Column::new("TYPE-MODEL", 5, 10),
        Column::new("SERIAL", 6, 10),
        Column::new("FW ACT/INS/ACC", 4, 16),
        Column::new("EC", 8, 9),
        Column::new("LPARS", 7, 6),
        Column::new("FLAGS", 2, 36),
        Column::source("HMC", 3),
    ]
}

/// The flags of a system: `needs cleanup`, `RR source`, `update`.
pub fn flags(data: &SystemData) -> Vec<&'static str> {
    let system = &data.system;
    let mut flags = Vec::new();
    if data.lpars.iter().any(|l| {
        l.remote_restart_status
            .as_ref()
            .is_some_and(|s| s.needs_cleanup())
    }) {
        flags.push("needs cleanup");
    }
    if system.state.allows_remote_restart_from()
        && data.lpars.iter().any(|l| {
            l.is_remote_restart_capable()
                && l.remote_restart_status
                    .as_ref()
                    .is_some_and(|s| s.is_restartable())
        })
    {
        flags.push("RR source");
    }
    if system
        .firmware
        .as_ref()
        .is_some_and(|f| f.awaiting_accept())
    {
        flags.push("update");
    }
    flags
}

/// The flags as a cell: ✖ when partitions wait for a remote restart, ▲ otherwise.
pub fn flags_cell(data: &SystemData) -> Cell {
    let flags = flags(data);
    if flags.is_empty() {
        return Cell::none();
    }
    let (symbol, tone) = if flags.contains(&"RR source") {
        (ERROR, Tone::Error)
    } else {
        (WARNING, Tone::Warning)
    };
    Cell::state(symbol, flags.join(", "), tone)
}

/// Firmware levels as `activated/installed/accepted`.
pub fn levels(system: &ManagedSystem) -> Cell {
    let Some(firmware) = &system.firmware else {
        return Cell::none();
    };
    let level = |l: Option<u32>| l.map_or("?".to_string(), |l| l.to_string());
    let text = format!(
        "{}/{}/{}",
        level(firmware.activated_level),
        level(firmware.installed_level),
        level(firmware.accepted_level)
    );
    if firmware.awaiting_accept() || firmware.restart_pending() {
        Cell::toned(text, Tone::Warning)
    } else {
        Cell::text(text)
    }
}

/// The table.
pub fn table(data: &EstateData<'_>, scope: &Scope) -> Table {
    let rows = data
        .systems()
        .filter(|(hmc, _)| scope.contains(hmc, None))
        .map(|(hmc, system_data)| {
            let system = &system_data.system;
            Row::new(
                RowKey::System {
                    hmc: hmc.to_string(),
                    system: system.name.clone(),
                },
                hmc,
                vec![
                    Cell::text(&system.name),
                    states::system(&system.state),
                    Cell::text(&system.type_model),
                    Cell::text(&system.serial_num),
                    levels(system),
                    Cell::optional(system.firmware.as_ref().and_then(|f| f.ecnumber.as_deref())),
                    Cell::text(system_data.lpars.len().to_string()),
                    flags_cell(system_data),
                    Cell::text(hmc),
                ],
            )
        })
        .collect();
    Table::new(
        format!("Managed systems{}", scope.suffix()),
        columns(),
        rows,
    )
    .with_empty("No managed systems reported yet")
}
