//! Reserved storage devices of every system: where original remote restart keeps
//! partition data, and which devices are still free.

use super::{EstateData, Scope};
use crate::ui::states;
use crate::ui::table::{Cell, Column, Row, RowKey, Table};
use crate::ui::theme::Tone;

/// The columns.
pub fn columns() -> Vec<Column> {
    vec![
        Column::new("SYSTEM", 1, 20),
        Column::new("DEVICE", 0, 16),
        Column::new("VIOS", 3, 16),
        Column::new("SIZE MB", 4, 9),
        Column::new("STATE", 2, 12),
        Column::new("HELD BY", 0, 20),
        Column::new("SELECTION", 6, 9),
        Column::source("HMC", 5),
    ]
}

/// The table.
pub fn table(data: &EstateData<'_>, scope: &Scope) -> Table {
    let mut rows = Vec::new();
    for (hmc, system_data) in data.systems() {
        let system = &system_data.system.name;
        if !scope.contains(hmc, Some(system)) {
            continue;
        }
        for device in &system_data.rs_devices {
            let held = match (&device.lpar_name, device.lpar_id) {
                (Some(name), _) => Cell::text(name),
                (None, Some(id)) => Cell::text(format!("id {id}")),
                (None, None) if device.is_free() => Cell::toned("FREE", Tone::Ok),
                (None, None) => Cell::toned("none (auto)", Tone::Muted),
            };
            rows.push(Row::new(
                RowKey::RsDevice {
                    hmc: hmc.to_string(),
                    system: system.clone(),
                    device: device.device_name.clone(),
                },
                hmc,
                vec![
                    Cell::text(system),
                    Cell::text(&device.device_name),
                    Cell::optional(device.vios_name.as_deref()),
                    Cell::number(device.size),
                    states::rs_device(device.state.as_ref()),
                    held,
                    Cell::optional(device.device_selection_type.as_deref()),
                    Cell::text(hmc),
                ],
            ));
        }
    }
    Table::new(
        format!("Reserved storage{}", scope.suffix()),
        columns(),
        rows,
    )
    .with_empty("No reserved storage devices reported")
}
