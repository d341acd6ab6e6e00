//! `lssyscfg -r sys | lpar | prof` (docs/formats.md, "HMC: lssyscfg" and the three
//! sections after it).
//!
//! Records follow the real captures: a partition of a POWER8-or-later system prints the
//! attributes of the P8 sample (`tests/fixtures/hmc/lssyscfg_lpar_p8_srr.txt`) in that
//! order, a POWER7(+) partition those of the P7 sample (`lssyscfg_lpar_p7.txt`); both are
//! followed by `migration_disabled`, `msp` (VIOS only) and, on systems with PowerVM remote
//! restart, the reserved storage assignment.

use std::time::Duration;

use super::args::{Args, Spec};
use super::listing::{render, Record};
use super::{messages, model, profile};
use crate::estate::LparState;
use crate::sim::estate::{HmcHost, SimLpar, SimSystem};
use crate::sim::reply::Reply;

/// Options of `lssyscfg`.
pub const SPEC: Spec = Spec {
    values: &["-r", "-m", "-e", "--filter"],
    flags: &["--osrefresh", "--lastvalidcfg"],
    listing: true,
};

/// Every attribute of a `-r sys` record.
pub const SYS_ATTRS: &[&str] = &[
    "name",
    "type_model",
    "serial_num",
    "ipaddr",
    "ipv6addr",
    "state",
    "detailed_state",
    "sys_time",
    "power_off_policy",
    "active_lpar_mobility_capable",
    "inactive_lpar_mobility_capable",
    "active_lpar_share_idle_procs_capable",
    "active_mem_expansion_capable",
    "hardware_active_mem_expansion_capable",
    "active_mem_sharing_capable",
    "bsr_capable",
    "cod_mem_capable",
    "cod_proc_capable",
    "electronic_err_reporting_capable",
    "firmware_power_saver_capable",
    "hardware_power_saver_capable",
    "hardware_discovery_capable",
    "hca_capable",
    "huge_page_mem_capable",
    "lpar_avail_priority_capable",
    "lpar_proc_compat_mode_capable",
    "lpar_remote_restart_capable",
    "powervm_lpar_remote_restart_capable",
    "powervm_lpar_simplified_remote_restart_capable",
    "lpar_suspend_capable",
    "micro_lpar_capable",
    "os400_capable",
    "redundant_err_path_reporting_capable",
    "shared_eth_failover_capable",
    "sp_failover_capable",
    "vet_activation_capable",
    "virtual_fc_capable",
    "virtual_io_server_capable",
    "virtual_switch_capable",
    "vtpm_capable",
    "assign_5250_cpw_percent",
    "max_lpars",
    "max_power_ctrl_lpars",
    "max_remote_restart_capable_lpars",
    "max_suspend_capable_lpars",
    "hca_bandwidth_capabilities",
    "service_lpar_id",
    "service_lpar_name",
    "lpar_proc_compat_modes",
    "curr_sys_keylock",
    "pend_sys_keylock",
    "curr_power_on_side",
    "pend_power_on_side",
    "curr_power_on_speed",
    "pend_power_on_speed",
    "power_on_type",
    "power_on_option",
    "power_on_lpar_start_policy",
    "pend_power_on_option",
    "pend_power_on_lpar_start_policy",
    "mfg_default_config",
    "curr_mfg_default_boot_mode",
    "pend_mfg_default_boot_mode",
    "configurable_sys_mem",
    "curr_avail_sys_mem",
    "configurable_sys_proc_units",
    "curr_avail_sys_proc_units",
];

/// Every attribute a `-r lpar` record may have.
pub const LPAR_ATTRS: &[&str] = &[
    "name",
    "lpar_id",
    "lpar_env",
    "state",
    "resource_config",
    "os_version",
    "logical_serial_num",
    "default_profile",
    "curr_profile",
    "work_group_id",
    "shared_proc_pool_util_auth",
    "allow_perf_collection",
    "power_ctrl_lpar_ids",
    "boot_mode",
    "lpar_keylock",
    "auto_start",
    "redundant_err_path_reporting",
    "rmc_state",
    "rmc_ipaddr",
    "time_ref",
    "lpar_avail_priority",
    "desired_lpar_proc_compat_mode",
    "curr_lpar_proc_compat_mode",
    "suspend_capable",
    "remote_restart_capable",
    "simplified_remote_restart_capable",
    "remote_restart_status",
    "sync_curr_profile",
    "affinity_group_id",
    "vtpm_enabled",
    "migration_disabled",
    "msp",
    "primary_rs_vios_name",
    "primary_rs_vios_id",
    "secondary_rs_vios_name",
    "secondary_rs_vios_id",
    "curr_rs_vios_name",
    "rs_device_name",
];

/// Runs `lssyscfg`.
pub fn run(hmc: &HmcHost, now: Duration, argv: &[String]) -> Reply {
    let args = match Args::parse(argv, &SPEC) {
        Ok(args) => args,
        Err(reply) => return reply,
    };
    if args.help {
        return Reply::ok(
            "Usage: lssyscfg -r {lpar | prof | sys} [-m managed-system] [--filter \"filter-data\"] [-F [attribute-names] [--header]] [--help]\n",
        );
    }
    let result = match args.get("-r") {
        Some("sys") => systems(hmc, now, &args),
        Some("lpar") => partitions(hmc, &args),
        Some("prof") => profiles(hmc, &args),
        _ => Err(messages::usage(&["-r"])),
    };
    result.unwrap_or_else(|reply| reply)
}

fn systems(hmc: &HmcHost, now: Duration, args: &Args) -> Result<Reply, Reply> {
    if args.get("--filter").is_some() {
        return Err(messages::usage(&["--filter"]));
    }
    let records: Vec<Record> = match args.get("-m") {
        Some(name) => {
            let index = model::find_system(hmc, name)?;
            vec![system_record(hmc, index, now)]
        }
        None => (0..hmc.systems.len())
            .map(|index| system_record(hmc, index, now))
            .collect(),
    };
    render(&records, &args.format, SYS_ATTRS).map(Reply::ok)
}

fn partitions(hmc: &HmcHost, args: &Args) -> Result<Reply, Reply> {
    let index = model::find_system(hmc, args.need("-m")?)?;
    let filter = args.filter(&["lpar_names", "lpar_ids", "work_groups"])?;
    let system = &hmc.systems[index];
    let mut records: Vec<Record> = system
        .lpars
        .iter()
        .filter(|lpar| filter.admits_lpar(&lpar.name, lpar.id))
        .map(|lpar| lpar_record(system, lpar, lpar.id, None))
        .collect();
    for incoming in model::incoming(hmc, &system.name) {
        if filter.admits_lpar(&incoming.lpar.name, incoming.dest_id) {
            let state = model::lpar_state(incoming.source, incoming.lpar);
            records.push(lpar_record(
                system,
                incoming.lpar,
                incoming.dest_id,
                Some(state),
            ));
        }
    }
    render(&records, &args.format, LPAR_ATTRS).map(Reply::ok)
}

fn profiles(hmc: &HmcHost, args: &Args) -> Result<Reply, Reply> {
    let index = model::find_system(hmc, args.need("-m")?)?;
    let filter = args.filter(&["lpar_names", "lpar_ids", "profile_names"])?;
    let system = &hmc.systems[index];
    let records: Vec<Record> = system
        .lpars
        .iter()
        .filter(|lpar| filter.admits_lpar(&lpar.name, lpar.id))
        .filter(|lpar| {
            filter
                .values("profile_names")
                .is_none_or(|names| names.contains(&lpar.profile))
        })
        .map(|lpar| profile::record(system, lpar))
        .collect();
    render(&records, &args.format, profile::ATTRS).map(Reply::ok)
}

/// A `-r sys` record.
pub fn system_record(hmc: &HmcHost, index: usize, now: Duration) -> Record {
    let system = &hmc.systems[index];
    let unknown = model::capabilities_unknown(&system.state);
    let generation = model::generation(system);
    let cap = |on: bool| -> String {
        if unknown {
            "unavailable".to_string()
        } else if on {
            "1".to_string()
        } else {
            "0".to_string()
        }
    };
    let number = |value: String| {
        if unknown {
            "unavailable".to_string()
        } else {
            value
        }
    };
    let (free_mem, free_units) = model::free_capacity(hmc, index);
    let modes: Vec<String> = if unknown {
        vec!["unavailable".to_string()]
    } else {
        model::compat_modes(system)
            .iter()
            .map(|m| m.to_string())
            .collect()
    };
    let remote_restart_max = if system.rr_capable || system.srr_capable {
        "1000"
    } else {
        "0"
    };
    Record::new()
        .text("name", &system.name)
        .text("type_model", &system.type_model)
        .text("serial_num", &system.serial_num)
        .text("ipaddr", ipaddr(system))
        .text("ipv6addr", "")
        .text("state", system.state.as_str())
        .text("detailed_state", "None")
        .text("sys_time", super::clock::stamp(now, 0))
        .text("power_off_policy", number("0".into()))
        .text("active_lpar_mobility_capable", cap(system.lpm_capable))
        .text("inactive_lpar_mobility_capable", cap(system.lpm_capable))
        .text("active_lpar_share_idle_procs_capable", cap(true))
        .text("active_mem_expansion_capable", cap(true))
        .text(
            "hardware_active_mem_expansion_capable",
            cap(generation >= 8),
        )
        .text("active_mem_sharing_capable", cap(true))
        .text("bsr_capable", cap(true))
        .text("cod_mem_capable", cap(true))
        .text("cod_proc_capable", cap(true))
        .text("electronic_err_reporting_capable", cap(true))
        .text("firmware_power_saver_capable", cap(true))
        .text("hardware_power_saver_capable", cap(true))
        .text("hardware_discovery_capable", cap(false))
        .text("hca_capable", cap(generation <= 7))
        .text("huge_page_mem_capable", cap(true))
        .text("lpar_avail_priority_capable", cap(true))
        .text("lpar_proc_compat_mode_capable", cap(true))
        .text("lpar_remote_restart_capable", cap(false))
        .text(
            "powervm_lpar_remote_restart_capable",
            cap(system.rr_capable),
        )
        .text(
            "powervm_lpar_simplified_remote_restart_capable",
            cap(system.srr_capable),
        )
        .text("lpar_suspend_capable", cap(system.rr_capable))
        .text("micro_lpar_capable", cap(true))
        .text("os400_capable", cap(true))
        .text("redundant_err_path_reporting_capable", cap(true))
        .text("shared_eth_failover_capable", cap(true))
        .text("sp_failover_capable", cap(generation <= 8))
        .text("vet_activation_capable", cap(true))
        .text("virtual_fc_capable", cap(true))
        .text("virtual_io_server_capable", cap(true))
        .text("virtual_switch_capable", cap(true))
        .text("vtpm_capable", cap(generation >= 8))
        .text("assign_5250_cpw_percent", number("0".into()))
        .text("max_lpars", number("1000".into()))
        .text("max_power_ctrl_lpars", number("1".into()))
        .text(
            "max_remote_restart_capable_lpars",
            number(remote_restart_max.into()),
        )
        .text(
            "max_suspend_capable_lpars",
            number(if system.rr_capable { "1000" } else { "0" }.into()),
        )
        .text("hca_bandwidth_capabilities", "null")
        .text("service_lpar_id", number("none".into()))
        .text("service_lpar_name", number("none".into()))
        .list("lpar_proc_compat_modes", modes)
        .text("curr_sys_keylock", "norm")
        .text("pend_sys_keylock", "norm")
        .text("curr_power_on_side", "temp")
        .text("pend_power_on_side", "temp")
        .text("curr_power_on_speed", "norm")
        .text("pend_power_on_speed", "norm")
        .text("power_on_type", "power on")
        .text("power_on_option", "standby")
        .text("power_on_lpar_start_policy", "autostart")
        .text("pend_power_on_option", "standby")
        .text("pend_power_on_lpar_start_policy", "autostart")
        .text("mfg_default_config", "0")
        .text("curr_mfg_default_boot_mode", "norm")
        .text("pend_mfg_default_boot_mode", "norm")
        .text("configurable_sys_mem", number(system.memory_mb.to_string()))
        .text("curr_avail_sys_mem", number(free_mem.to_string()))
        .text(
            "configurable_sys_proc_units",
            number(units_text(system.proc_units)),
        )
        .text(
            "curr_avail_sys_proc_units",
            number(format!("{free_units:.2}")),
        )
}

/// Processing units with two decimals (nonsense prints `0.00`).
pub fn units_text(units: f64) -> String {
    if units.is_finite() && units > 0.0 {
        format!("{units:.2}")
    } else {
        "0.00".to_string()
    }
}

/// The service processor address: as configured, else derived from the serial number.
pub fn ipaddr(system: &SimSystem) -> String {
    if let Some(ip) = &system.ipaddr {
        return ip.clone();
    }
    let sum = system.serial_num.bytes().fold(0u32, |acc, b| {
        acc.wrapping_mul(31).wrapping_add(u32::from(b))
    });
    format!("10.10.{}.{}", 10 + sum % 200, 10 + (sum / 200) % 240)
}

/// A `-r lpar` record; `shown` overrides the state (a partition shown on the
/// destination of its migration), `id` the partition id.
pub fn lpar_record(
    system: &SimSystem,
    lpar: &SimLpar,
    id: u32,
    shown: Option<LparState>,
) -> Record {
    let state = shown.unwrap_or_else(|| model::lpar_state(system, lpar));
    let vios = lpar.env.is_vios();
    let modern = model::generation(system) >= 8;
    let rmc = model::rmc_active(system, lpar);
    let os_version = if lpar.os_version.is_empty() || lpar.never_activated {
        "Unknown".to_string()
    } else {
        lpar.os_version.clone()
    };
    let curr_profile = if lpar.never_activated {
        String::new()
    } else {
        lpar.profile.clone()
    };
    let resource_config = !matches!(state, LparState::NotActivated) && !lpar.never_activated;
    let mut record = Record::new()
        .text("name", &lpar.name)
        .text("lpar_id", id.to_string())
        .text("lpar_env", lpar.env.as_str())
        .text("state", state.as_str())
        .flag("resource_config", resource_config)
        .text("os_version", os_version)
        .text("logical_serial_num", format!("{}{id:X}", system.serial_num))
        .text("default_profile", &lpar.profile)
        .text("curr_profile", curr_profile)
        .text("work_group_id", "none")
        .flag("shared_proc_pool_util_auth", lpar.allow_perf_collection)
        .flag("allow_perf_collection", lpar.allow_perf_collection)
        .text("power_ctrl_lpar_ids", "none");
    if !vios {
        record = record.text("boot_mode", "norm");
    }
    record = record
        .text("lpar_keylock", "norm")
        .flag("auto_start", lpar.starts_with_system())
        .text("redundant_err_path_reporting", "0")
        .text("rmc_state", if rmc { "active" } else { "inactive" })
        .text(
            "rmc_ipaddr",
            if lpar.never_activated {
                ""
            } else {
                &lpar.rmc_ipaddr
            },
        )
        .text("time_ref", "0")
        .text(
            "lpar_avail_priority",
            lpar.lpar_avail_priority
                .unwrap_or(if vios { 191 } else { 127 })
                .to_string(),
        )
        .text("desired_lpar_proc_compat_mode", model::desired_mode(lpar))
        .text("curr_lpar_proc_compat_mode", model::curr_mode(system, lpar))
        .text("suspend_capable", "0")
        .flag("remote_restart_capable", lpar.rr);
    let status = lpar.remote_restart_status();
    if modern {
        record = record.flag("simplified_remote_restart_capable", lpar.srr);
        if let Some(status) = &status {
            record = record.text("remote_restart_status", status.as_str());
        }
        record = record
            .text("sync_curr_profile", "0")
            .text("affinity_group_id", "none")
            .text("vtpm_enabled", "0");
    } else {
        if let (true, Some(status)) = (system.rr_capable, &status) {
            record = record.text("remote_restart_status", status.as_str());
        }
        record = record.text("affinity_group_id", "none");
    }
    record = record.flag("migration_disabled", lpar.migration_disabled);
    if vios {
        record = record.flag("msp", lpar.msp);
    }
    if system.rr_capable && !vios {
        record = rs_assignment(record, system, lpar);
    }
    record
}

/// The reserved storage attributes of a partition on a system with PowerVM remote
/// restart (docs/formats.md, "HMC: reserved storage").
fn rs_assignment(record: Record, system: &SimSystem, lpar: &SimLpar) -> Record {
    let id_of = |name: &Option<String>| {
        name.as_ref()
            .and_then(|name| system.lpars.iter().find(|l| &l.name == name))
            .map_or("none".to_string(), |vios| vios.id.to_string())
    };
    let name_or_none = |name: &Option<String>| name.clone().unwrap_or_else(|| "none".into());
    let running = |name: &Option<String>| {
        name.as_ref().is_some_and(|name| {
            system
                .lpars
                .iter()
                .any(|l| &l.name == name && model::rmc_active(system, l))
        })
    };
    let current = if lpar.rs_device.is_none() {
        "none".to_string()
    } else if running(&lpar.primary_rs_vios) {
        name_or_none(&lpar.primary_rs_vios)
    } else if running(&lpar.secondary_rs_vios) {
        name_or_none(&lpar.secondary_rs_vios)
    } else {
        "none".to_string()
    };
    record
        .text("primary_rs_vios_name", name_or_none(&lpar.primary_rs_vios))
        .text("primary_rs_vios_id", id_of(&lpar.primary_rs_vios))
        .text(
            "secondary_rs_vios_name",
            name_or_none(&lpar.secondary_rs_vios),
        )
        .text("secondary_rs_vios_id", id_of(&lpar.secondary_rs_vios))
        .text("curr_rs_vios_name", current)
        .text("rs_device_name", name_or_none(&lpar.rs_device))
}
