//! `chsyscfg -r lpar -m SYS -i "name=LPAR,attr=value,..."`: change partition attributes
//! (docs/formats.md, "HMC: reserved storage"). Simulated attributes: the reserved storage
//! assignment (`primary_rs_vios_name`, `secondary_rs_vios_name`, `rs_device_name`),
//! `migration_disabled`, `auto_start`, `remote_restart_capable` and
//! `simplified_remote_restart_capable`.

use std::time::Duration;

use super::args::{Args, PartitionRef, Spec};
use super::listing::split_attributes;
use super::{messages, model, rspool};
use crate::estate::LparState;
use crate::sim::estate::SimSystem;
use crate::sim::reply::Reply;
use crate::sim::world::World;

/// How long `chsyscfg` works.
pub const CHANGE_TIME: Duration = Duration::from_secs(2);

const SPEC: Spec = Spec {
    values: &["-r", "-m", "-i", "-p", "--id", "-f"],
    flags: &["--force"],
    listing: false,
};

/// The changes asked for one partition.
#[derive(Debug, Clone, Default)]
struct Change {
    primary: Option<String>,
    secondary: Option<String>,
    /// `Some(None)` unassigns (`rs_device_name=none`).
    device: Option<Option<String>>,
    migration_disabled: Option<bool>,
    auto_start: Option<bool>,
    rr: Option<bool>,
    srr: Option<bool>,
}

/// Runs `chsyscfg`.
pub fn run(world: &mut World, hmc_name: &str, argv: &[String]) -> Reply {
    let Some(hmc) = model::hmc(world, hmc_name) else {
        return Reply::silent();
    };
    let planned = (|| {
        let args = Args::parse(argv, &SPEC)?;
        if args.help {
            return Err(Reply::ok(
                "Usage: chsyscfg -r lpar -m managed-system -i \"name=partition-name,attribute=value,...\" [--help]\n",
            ));
        }
        if args.get("-r") != Some("lpar") {
            return Err(messages::usage(&["-r"]));
        }
        if args.get("-f").is_some() {
            return Err(messages::usage(&["-f"]));
        }
        let index = model::find_system(hmc, args.need("-m")?)?;
        let system = &hmc.systems[index];
        let (which, change) = read_change(&args)?;
        let lpar = model::find_lpar(system, &which)?;
        check(system, lpar, &change)?;
        Ok((system.name.clone(), system.lpars[lpar].name.clone(), change))
    })();
    let (system, lpar, change) = match planned {
        Ok(planned) => planned,
        Err(reply) => return reply,
    };
    let hmc_name = hmc_name.to_string();
    world.schedule(CHANGE_TIME, move |world| {
        let Some(hmc) = model::hmc_mut(world, &hmc_name) else {
            return;
        };
        let Some(system) = hmc.systems.iter_mut().find(|s| s.name == system) else {
            return;
        };
        let Some(index) = system.lpars.iter().position(|l| l.name == lpar) else {
            return;
        };
        if check(system, index, &change).is_ok() {
            apply(system, index, change);
        }
    });
    Reply::silent().ending_after(CHANGE_TIME)
}

fn flag(name: &str, value: &str) -> Result<bool, Reply> {
    match value {
        "1" => Ok(true),
        "0" => Ok(false),
        _ => Err(messages::usage(&[&format!("-i {name}")])),
    }
}

fn read_change(args: &Args) -> Result<(PartitionRef, Change), Reply> {
    let attrs = split_attributes(args.need("-i")?).map_err(|_| messages::usage(&["-i"]))?;
    let mut which = match (args.get("-p"), args.get("--id")) {
        (None, None) => None,
        _ => Some(args.partition("-p")?),
    };
    let mut change = Change::default();
    for (name, value) in attrs {
        let text = || (value != "none" && !value.is_empty()).then(|| value.clone());
        match name.as_str() {
            "name" => which = Some(PartitionRef::Name(value.clone())),
            "lpar_id" => {
                which = Some(PartitionRef::Id(
                    value
                        .trim()
                        .parse()
                        .map_err(|_| messages::usage(&["-i lpar_id"]))?,
                ))
            }
            "primary_rs_vios_name" => change.primary = Some(value.clone()),
            "secondary_rs_vios_name" => change.secondary = Some(value.clone()),
            "rs_device_name" => change.device = Some(text()),
            "migration_disabled" => change.migration_disabled = Some(flag(&name, &value)?),
            "auto_start" => change.auto_start = Some(flag(&name, &value)?),
            "remote_restart_capable" => change.rr = Some(flag(&name, &value)?),
            "simplified_remote_restart_capable" => change.srr = Some(flag(&name, &value)?),
            other => return Err(messages::invalid_attribute(other)),
        }
    }
    let which = which.ok_or_else(|| messages::usage(&["-i name"]))?;
    Ok((which, change))
}

/// Whether the change can be made now.
fn check(system: &SimSystem, index: usize, change: &Change) -> Result<(), Reply> {
    let lpar = &system.lpars[index];
    if change.rr.is_some() || change.srr.is_some() {
        if model::generation(system) <= 7 && change.rr.is_some_and(|rr| rr != lpar.rr) {
            return Err(Reply::fail_stdout(
                format!(
                    "An error occurred while changing the partition named {}.\nThe managed system does not support changing the remote restart capability of a partition. You must delete the partition and recreate it with the desired remote restart capability.\n",
                    lpar.name
                ),
                1,
            ));
        }
        let wants_rr = change.rr == Some(true) && !system.rr_capable;
        let wants_srr = change.srr == Some(true) && !system.srr_capable;
        if wants_rr || wants_srr {
            return Err(messages::hscl(
                "HSCL2C0C",
                format!(
                    "The managed system {} does not support this kind of partition remote restart.",
                    system.name
                ),
            ));
        }
        if lpar.env.is_vios() {
            return Err(messages::hscl(
                "HSCLA9D4",
                "Remote restart operations can be performed for AIX, Linux, or IBM i partitions only.",
            ));
        }
        if lpar.state != LparState::NotActivated {
            return Err(messages::hscl(
                "HSCL2C0E",
                format!(
                    "The remote restart capability of the partition {} can only be changed while it is not activated.",
                    lpar.name
                ),
            ));
        }
    }
    let touches_rs =
        change.primary.is_some() || change.secondary.is_some() || change.device.is_some();
    if !touches_rs {
        return Ok(());
    }
    if !system.rr_capable {
        return Err(rspool::unsupported(system));
    }
    if !lpar.rr {
        return Err(messages::hscl(
            "HSCL2C0A",
            format!(
                "The partition {} is not capable of PowerVM remote restart; a reserved storage device can only be assigned to a remote restart capable partition.",
                lpar.name
            ),
        ));
    }
    let pool = system
        .rspool
        .as_ref()
        .filter(|pool| pool.created)
        .ok_or_else(|| rspool::no_pool(system))?;
    for vios in change.primary.iter().chain(change.secondary.iter()) {
        if vios != "none" && !pool.vios.contains(vios) {
            return Err(rspool::not_a_vios(system, vios));
        }
    }
    if let Some(Some(device)) = &change.device {
        let found = pool
            .devices
            .iter()
            .find(|d| &d.name == device)
            .ok_or_else(|| rspool::not_in_pool(system, device))?;
        if let Some(holder) = found.lpar.as_ref().filter(|holder| **holder != lpar.name) {
            return Err(messages::hscl(
                "HSCL2C09",
                format!(
                    "The device {device} is already assigned to the partition {holder}. One device cannot be shared by two remote restart partitions."
                ),
            ));
        }
        let need = lpar.max_memory();
        if found.size_mb < need {
            return Err(messages::hscl(
                "HSCL2C0B",
                format!(
                    "The device {device} ({} MB) is smaller than the {need} MB the partition {} needs (see lsrsdevsize).",
                    found.size_mb, lpar.name
                ),
            ));
        }
    }
    Ok(())
}

fn apply(system: &mut SimSystem, index: usize, change: Change) {
    let name = system.lpars[index].name.clone();
    if let Some(device) = &change.device {
        if let Some(pool) = &mut system.rspool {
            for held in pool.devices.iter_mut() {
                if held.lpar.as_deref() == Some(name.as_str()) {
                    held.lpar = None;
                }
                if Some(&held.name) == device.as_ref() {
                    held.lpar = Some(name.clone());
                }
            }
        }
    }
    let lpar = &mut system.lpars[index];
    if let Some(device) = change.device {
        lpar.rs_device = device;
    }
    let none_is_none = |v: String| (v != "none").then_some(v);
    if let Some(primary) = change.primary {
        lpar.primary_rs_vios = none_is_none(primary);
    }
    if let Some(secondary) = change.secondary {
        lpar.secondary_rs_vios = none_is_none(secondary);
    }
    if let Some(disabled) = change.migration_disabled {
        lpar.migration_disabled = disabled;
    }
    if let Some(auto_start) = change.auto_start {
        lpar.auto_start = Some(auto_start);
    }
    if let Some(rr) = change.rr {
        lpar.rr = rr;
    }
    if let Some(srr) = change.srr {
        lpar.srr = srr;
    }
}
