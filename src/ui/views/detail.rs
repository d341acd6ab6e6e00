//! Every attribute of one object, in the order its host printed them: the HMC's full
//! `lssyscfg` record of an LPAR, a NIM object's `lsnim -l` stanza, a source's problems.

use super::{age, sources, systems, EstateData};
use crate::estate::Lpar;
use crate::ui::table::{Cell, Column, Row, RowKey, Table};
use crate::ui::theme::Tone;

/// The columns.
pub fn columns() -> Vec<Column> {
    vec![
        Column::new("ATTRIBUTE", 0, 36),
        Column::new("VALUE", 0, 200),
    ]
}

/// Rows of `name = value`; the names powerdeck adds (not the host's) are muted.
struct Rows(Vec<Row>);

impl Rows {
    fn host(&mut self, name: &str, value: impl Into<String>) {
        let value: String = value.into();
        let cell = if value.is_empty() {
            Cell::toned("(empty)", Tone::Muted)
        } else {
            Cell::text(value)
        };
        self.0.push(Row::new(
            RowKey::Attribute(name.to_string()),
            "",
            vec![Cell::text(name), cell],
        ));
    }

    fn ours(&mut self, name: &str, value: Cell) {
        self.0.push(Row::new(
            RowKey::Attribute(name.to_string()),
            "",
            vec![Cell::toned(name, Tone::Muted), value],
        ));
    }

    fn optional(&mut self, name: &str, value: Option<impl ToString>) {
        match value {
            Some(value) => self.host(name, value.to_string()),
            None => self.ours(name, Cell::none()),
        }
    }
}

fn yes_no(value: bool) -> &'static str {
    if value {
        "yes"
    } else {
        "no"
    }
}

fn lpar_fields(rows: &mut Rows, lpar: &Lpar) {
    rows.host("name", &lpar.name);
    rows.host("lpar_id", lpar.lpar_id.to_string());
    rows.host("lpar_env", lpar.lpar_env.as_str());
    rows.host("state", lpar.state.as_str());
    rows.optional("os_version", lpar.os_version.as_deref());
    rows.optional("rmc_state", lpar.rmc_state.as_ref().map(|s| s.as_str()));
    rows.optional("rmc_ipaddr", lpar.rmc_ipaddr.as_deref());
    rows.optional("curr_profile", lpar.curr_profile.as_deref());
    rows.host(
        "remote_restart_capable",
        if lpar.remote_restart_capable {
            "1"
        } else {
            "0"
        },
    );
    rows.host(
        "simplified_remote_restart_capable",
        if lpar.simplified_remote_restart_capable {
            "1"
        } else {
            "0"
        },
    );
    rows.optional(
        "remote_restart_status",
        lpar.remote_restart_status.as_ref().map(|s| s.as_str()),
    );
}

/// The table for one object.
pub fn table(data: &EstateData<'_>, key: &RowKey) -> Table {
    let mut rows = Rows(Vec::new());
    let title = match key {
        RowKey::Lpar { hmc, system, name } => {
            match data.lpar(hmc, system, name) {
                Some((_, lpar)) => {
                    rows.ours("HMC", Cell::text(hmc));
                    rows.ours("managed system", Cell::text(system));
                    if lpar.attributes.is_empty() {
                        lpar_fields(&mut rows, lpar);
                    } else {
                        for (attribute, value) in lpar.attributes.iter() {
                            rows.host(attribute, value);
                        }
                    }
                    rows.ours(
                        "migration state (lslparmigr)",
                        super::super::states::migration(lpar.migration_state.as_ref()),
                    );
                    let globals = data.globals_in(system, name);
                    if !globals.is_empty() {
                        rows.ours("AIX global (config)", Cell::text(globals.join(", ")));
                    }
                    for (master, machine) in data.nim_machines(name) {
                        rows.ours(
                            "NIM machine",
                            Cell::text(format!(
                                "{} on {master}: {}",
                                machine.name,
                                machine.cstate.as_ref().map_or("—", |c| c.as_str())
                            )),
                        );
                    }
                }
                None => rows.ours("(gone)", Cell::text("the HMC no longer reports it")),
            }
            format!("LPAR {name} on {system} ({hmc})")
        }
        RowKey::System { hmc, system } => {
            let found = data
                .systems()
                .find(|(h, d)| h == hmc && d.system.name == *system);
            match found {
                Some((_, system_data)) => {
                    let s = &system_data.system;
                    rows.ours("HMC", Cell::text(hmc));
                    rows.host("name", &s.name);
                    rows.host("type_model", &s.type_model);
                    rows.host("serial_num", &s.serial_num);
                    rows.host("state", s.state.as_str());
                    rows.optional("detailed_state", s.detailed_state.as_deref());
                    let capability = |v: Option<bool>| v.map(|v| if v { "1" } else { "0" });
                    rows.optional(
                        "active_lpar_mobility_capable",
                        capability(s.capabilities.active_lpar_mobility),
                    );
                    rows.optional(
                        "inactive_lpar_mobility_capable",
                        capability(s.capabilities.inactive_lpar_mobility),
                    );
                    rows.optional(
                        "remote_restart_capable",
                        capability(s.capabilities.remote_restart),
                    );
                    rows.optional(
                        "simplified_remote_restart_capable",
                        capability(s.capabilities.simplified_remote_restart),
                    );
                    match &s.firmware {
                        Some(f) => {
                            rows.optional("ecnumber", f.ecnumber.as_deref());
                            rows.optional("activated_level", f.activated_level);
                            rows.optional("installed_level", f.installed_level);
                            rows.optional("accepted_level", f.accepted_level);
                            rows.optional("activated_spname", f.activated_spname.as_deref());
                            rows.optional("platform_ipl_level", f.platform_ipl_level);
                            rows.optional("deferred_level", f.deferred_level);
                        }
                        None => rows.ours("firmware", Cell::toned("not read", Tone::Muted)),
                    }
                    if let Some(code) = &s.reference_code {
                        rows.host("refcode", code.refcode.as_str());
                        rows.optional("refcode time_stamp", code.time_stamp.as_deref());
                    }
                    rows.ours(
                        "partitions",
                        Cell::text(system_data.lpars.len().to_string()),
                    );
                    rows.ours(
                        "reserved storage devices",
                        Cell::text(system_data.rs_devices.len().to_string()),
                    );
                    rows.ours("flags", systems::flags_cell(system_data));
                }
                None => rows.ours("(gone)", Cell::text("the HMC no longer reports it")),
            }
            format!("Managed system {system} ({hmc})")
        }
        RowKey::Wpar { host, name } => {
            match data.wpars().find(|(h, w)| h == host && w.name == *name) {
                Some((_, w)) => {
                    rows.ours("AIX global", Cell::text(host));
                    rows.host("name", &w.name);
                    rows.host("state", w.state.as_str());
                    rows.host("type", w.wpar_type.as_str());
                    rows.optional("hostname", w.hostname.as_deref());
                    rows.optional("directory", w.directory.as_deref());
                    rows.host("rootvg", yes_no(w.rootvg));
                    rows.optional("checkpointable", w.checkpointable.map(yes_no));
                    rows.optional("private /usr", w.private_usr.map(yes_no));
                    rows.optional("auto start", w.auto_start.map(yes_no));
                    rows.optional("ostype", w.ostype);
                    rows.optional("owner", w.owner.as_deref());
                    rows.optional("uuid", w.uuid.as_deref());
                    if w.state.is_stuck() {
                        rows.ours(
                            "flag",
                            Cell::state(super::super::states::ERROR, "stuck", Tone::Error),
                        );
                    }
                }
                None => rows.ours("(gone)", Cell::text("the global no longer reports it")),
            }
            format!("WPAR {name} on {host}")
        }
        RowKey::RsDevice {
            hmc,
            system,
            device,
        } => {
            let found = data
                .systems()
                .filter(|(h, d)| h == hmc && d.system.name == *system)
                .find_map(|(_, d)| d.rs_devices.iter().find(|r| r.device_name == *device));
            match found {
                Some(d) => {
                    rows.ours("HMC", Cell::text(hmc));
                    rows.ours("managed system", Cell::text(system));
                    rows.host("device_name", &d.device_name);
                    rows.optional("vios_name", d.vios_name.as_deref());
                    rows.optional("vios_id", d.vios_id);
                    rows.optional("size", d.size);
                    rows.optional("type", d.device_type.as_deref());
                    rows.optional("state", d.state.as_ref().map(|s| s.as_str()));
                    rows.optional("phys_loc", d.phys_loc.as_deref());
                    rows.optional("lpar_name", d.lpar_name.as_deref());
                    rows.optional("lpar_id", d.lpar_id);
                    rows.optional("device_selection_type", d.device_selection_type.as_deref());
                }
                None => rows.ours("(gone)", Cell::text("the HMC no longer reports it")),
            }
            format!("Reserved storage device {device} on {system} ({hmc})")
        }
        RowKey::Nim { master, name } => {
            match data
                .nim_objects()
                .find(|(m, o)| m == master && o.name == *name)
            {
                Some((_, o)) => {
                    rows.ours("NIM master", Cell::text(master));
                    rows.host("name", &o.name);
                    rows.host("class", o.class.as_str());
                    rows.host("type", &o.object_type);
                    for (attribute, value) in &o.attributes {
                        rows.host(attribute, value);
                    }
                    if o.is_stuck_machine() {
                        rows.ours(
                            "flag",
                            Cell::state(super::super::states::ERROR, "stuck", Tone::Error),
                        );
                    }
                }
                None => rows.ours("(gone)", Cell::text("the master no longer reports it")),
            }
            format!("NIM object {name} on {master}")
        }
        RowKey::Source(name) => {
            match data.snapshots.get(name) {
                Some(s) => {
                    rows.ours("name", Cell::text(&s.name));
                    rows.ours("kind", Cell::text(s.kind.as_str()));
                    rows.ours("status", super::super::states::source(Some(s.status)));
                    rows.ours(
                        "data age",
                        s.fetched_at
                            .map_or_else(Cell::none, |at| Cell::text(age(data.now, at))),
                    );
                    rows.ours("stale", Cell::text(yes_no(s.stale)));
                    rows.ours("holds", Cell::text(sources::contents(s)));
                    if s.problems.is_empty() {
                        rows.ours("problems", Cell::none());
                    }
                    for (index, problem) in s.problems.iter().enumerate() {
                        rows.ours(
                            &format!("problem {}", index + 1),
                            Cell::toned(problem, Tone::Warning),
                        );
                    }
                }
                None => rows.ours("status", Cell::text("first refresh running")),
            }
            format!("Source {name}")
        }
        RowKey::Attribute(_) | RowKey::None | RowKey::Run(_) => "Details".to_string(),
    };
    Table::new(title, columns(), rows.0)
        .with_empty("Nothing to show")
        .unsorted()
}
