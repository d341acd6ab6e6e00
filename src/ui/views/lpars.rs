//! LPARs, VIOS included: state, RMC, OS, remote restart capability and status,
//! migration, and where each one lives.

use crate::estate::{Lpar, LparEnv};

use super::{EstateData, Scope};
use crate::ui::states;
use crate::ui::table::{Cell, Column, Row, RowKey, Table};
use crate::ui::theme::Tone;

/// The columns.
pub fn columns() -> Vec<Column> {
    vec![
        Column::new("NAME", 0, 24),
        Column::new("ID", 8, 4),
        Column::new("ENV", 3, 9),
        Column::new("STATE", 1, 26),
        Column::new("RMC", 6, 10),
        Column::new("OS", 10, 28),
        Column::new("RR", 5, 6),
        Column::new("RR STATUS", 4, 38),
        Column::new("MIGRATION", 7, 24),
        Column::new("SYSTEM", 2, 20),
        Column::new("GLOBAL", 11, 16),
        Column::source("HMC", 9),
    ]
}

/// `VIOS`, `AIX/Linux`, `IBM i`.
pub fn env(env: &LparEnv) -> Cell {
    match env {
        LparEnv::VioServer => Cell::toned("VIOS", Tone::Transition),
        LparEnv::AixLinux => Cell::text("AIX/Linux"),
        LparEnv::Os400 => Cell::text("IBM i"),
        LparEnv::Other(other) => Cell::toned(other.clone(), Tone::Unknown),
    }
}

/// Remote restart capability: `RR` (reserved storage), `SRR` (simplified), both, none.
pub fn capability(lpar: &Lpar) -> Cell {
    match (
        lpar.remote_restart_capable,
        lpar.simplified_remote_restart_capable,
    ) {
        (true, true) => Cell::text("RR+SRR"),
        (true, false) => Cell::text("RR"),
        (false, true) => Cell::text("SRR"),
        (false, false) => Cell::none(),
    }
}

/// The table.
pub fn table(data: &EstateData<'_>, scope: &Scope) -> Table {
    let mut rows = Vec::new();
    for (hmc, system_data) in data.systems() {
        let system = &system_data.system.name;
        if !scope.contains(hmc, Some(system)) {
            continue;
        }
        for lpar in &system_data.lpars {
            let name = if lpar.lpar_env.is_vios() {
                Cell::toned(&lpar.name, Tone::Normal)
            } else {
                Cell::text(&lpar.name)
            };
            let globals = data.globals_in(system, &lpar.name);
            rows.push(Row::new(
                RowKey::Lpar {
                    hmc: hmc.to_string(),
                    system: system.clone(),
                    name: lpar.name.clone(),
                },
                hmc,
                vec![
                    name,
                    Cell::text(lpar.lpar_id.to_string()),
                    env(&lpar.lpar_env),
                    states::lpar(&lpar.state),
                    states::rmc(lpar.rmc_state.as_ref(), lpar.state.is_on()),
                    Cell::optional(lpar.os_version.as_deref()),
                    capability(lpar),
                    states::remote_restart(lpar.remote_restart_status.as_ref()),
                    states::migration(lpar.migration_state.as_ref()),
                    Cell::text(system),
                    if globals.is_empty() {
                        Cell::none()
                    } else {
                        Cell::text(globals.join(" "))
                    },
                    Cell::text(hmc),
                ],
            ));
        }
    }
    Table::new(format!("LPARs{}", scope.suffix()), columns(), rows)
        .with_empty("No partitions reported yet")
}
