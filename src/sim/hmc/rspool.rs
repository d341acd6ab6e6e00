//! Reserved storage for PowerVM (original) remote restart (docs/formats.md,
//! "HMC: reserved storage"):
//! `lshwres -r rspool [--rsubtype rsdev]`, `chhwres -r rspool` (create or remove the
//! pool, add or remove devices), `lsmemdev -r avail` and `lsrsdevsize`.
//!
//! `lsrsdevsize` output is this simulator's choice (no capture was ever published):
//! `lpar_name=NAME,lpar_id=ID,size=MB`, where the size is the partition's maximum memory
//! (about the size a field report measured).

use std::time::Duration;

use super::args::{Args, PartitionRef, Spec};
use super::listing::{render, split_attributes, split_values, Record};
use super::{messages, model};
use crate::sim::estate::{HmcHost, SimDisk, SimRsDevice, SimRsPool, SimSystem};
use crate::sim::reply::Reply;
use crate::sim::world::World;

/// How long `chhwres -r rspool` works.
pub const CHANGE_TIME: Duration = Duration::from_secs(5);

const POOL_ATTRS: &[&str] = &["state", "vios_names", "vios_ids"];

const DEVICE_ATTRS: &[&str] = &[
    "device_name",
    "vios_name",
    "vios_id",
    "size",
    "type",
    "state",
    "phys_loc",
    "is_redundant",
    "redundant_device_name",
    "redundant_vios_name",
    "redundant_vios_id",
    "redundant_state",
    "redundant_phys_loc",
    "lpar_name",
    "lpar_id",
    "device_selection_type",
];

const DISK_ATTRS: &[&str] = &[
    "device_name",
    "vios_name",
    "vios_id",
    "size",
    "type",
    "phys_loc",
];

/// `HSCL2C01`: the system has no PowerVM remote restart, so no reserved storage.
pub fn unsupported(system: &SimSystem) -> Reply {
    messages::hscl(
        "HSCL2C01",
        format!(
            "The managed system {} does not support reserved storage device pools.",
            system.name
        ),
    )
}

/// Runs `lshwres -r rspool` (arguments already parsed by [`super::lshwres`]).
pub fn lshwres(hmc: &HmcHost, args: &Args) -> Reply {
    let result = (|| {
        if args.get("--filter").is_some() {
            return Err(messages::usage(&["--filter"]));
        }
        let system = &hmc.systems[model::find_system(hmc, args.need("-m")?)?];
        if !system.rr_capable {
            return Err(unsupported(system));
        }
        let pool = system.rspool.as_ref().filter(|pool| pool.created);
        match args.get("--rsubtype") {
            None => {
                let records: Vec<Record> =
                    pool.map(|p| pool_record(system, p)).into_iter().collect();
                render(&records, &args.format, POOL_ATTRS).map(Reply::ok)
            }
            Some("rsdev") => {
                let records: Vec<Record> = pool
                    .map(|pool| {
                        pool.devices
                            .iter()
                            .map(|device| device_record(system, pool, device))
                            .collect()
                    })
                    .unwrap_or_default();
                render(&records, &args.format, DEVICE_ATTRS).map(Reply::ok)
            }
            Some(_) => Err(messages::usage(&["--rsubtype"])),
        }
    })();
    result.unwrap_or_else(|reply| reply)
}

fn vios_id(system: &SimSystem, name: &str) -> String {
    system
        .lpars
        .iter()
        .find(|lpar| lpar.name == name)
        .map_or("none".to_string(), |lpar| lpar.id.to_string())
}

fn pool_record(system: &SimSystem, pool: &SimRsPool) -> Record {
    Record::new()
        .text("state", "Active")
        .list("vios_names", pool.vios.clone())
        .list(
            "vios_ids",
            pool.vios.iter().map(|name| vios_id(system, name)).collect(),
        )
}

/// A made-up but stable physical location code for a VIOS disk.
fn phys_loc(system: &SimSystem, vios: &str, device: &str) -> String {
    let lun: u64 = device
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0);
    let port = if vios.ends_with('2') { "T2" } else { "T1" };
    format!(
        "U78AA.001.{}-P1-C2-{port}-W500507680210ABCD-L{:X}000000000000",
        system.serial_num,
        lun % 0x1000
    )
}

fn device_record(system: &SimSystem, pool: &SimRsPool, device: &SimRsDevice) -> Record {
    let assigned = device.lpar.as_ref().and_then(|name| {
        system
            .lpars
            .iter()
            .find(|lpar| &lpar.name == name)
            .map(|lpar| (lpar.name.clone(), lpar.id.to_string()))
    });
    let state = if assigned.is_some() {
        "Active"
    } else {
        "Inactive"
    };
    let mut record = Record::new()
        .text("device_name", &device.name)
        .text("vios_name", &device.vios)
        .text("vios_id", vios_id(system, &device.vios))
        .text("size", device.size_mb.to_string())
        .text("type", "phys")
        .text("state", state)
        .text("phys_loc", phys_loc(system, &device.vios, &device.name));
    match pool.vios.iter().find(|vios| **vios != device.vios) {
        Some(other) => {
            record = record
                .text("is_redundant", "1")
                .text("redundant_device_name", &device.name)
                .text("redundant_vios_name", other)
                .text("redundant_vios_id", vios_id(system, other))
                .text("redundant_state", state)
                .text("redundant_phys_loc", phys_loc(system, other, &device.name));
        }
        None => record = record.text("is_redundant", "0"),
    }
    let (name, id) = assigned.unwrap_or_else(|| ("none".to_string(), "none".to_string()));
    record
        .text("lpar_name", name)
        .text("lpar_id", id)
        .text("device_selection_type", &device.selection)
}

const CHHWRES: Spec = Spec {
    values: &[
        "-r",
        "-m",
        "-o",
        "-p",
        "--id",
        "-a",
        "--rsubtype",
        "--device",
        "-w",
        "-d",
    ],
    flags: &["--manual", "--force"],
    listing: false,
};

/// A change `chhwres -r rspool` asked for.
#[derive(Debug, Clone)]
enum PoolChange {
    Create(Vec<String>),
    Remove,
    AddDevice {
        vios: String,
        device: String,
        manual: bool,
    },
    RemoveDevice {
        device: String,
    },
}

/// Runs `chhwres` (only `-r rspool` is simulated).
pub fn chhwres(world: &mut World, hmc_name: &str, argv: &[String]) -> Reply {
    let Some(hmc) = model::hmc(world, hmc_name) else {
        return Reply::silent();
    };
    let planned = (|| {
        let args = Args::parse(argv, &CHHWRES)?;
        if args.help {
            return Err(Reply::ok(
                "Usage: chhwres -r rspool -m managed-system -o {a | r} [-a \"vios_names=...\"] [-p vios --rsubtype rsdev --device device-name [--manual]] [--help]\n",
            ));
        }
        if args.get("-r") != Some("rspool") {
            return Err(messages::usage(&["-r"]));
        }
        let index = model::find_system(hmc, args.need("-m")?)?;
        if !matches!(args.get("--rsubtype"), None | Some("rsdev")) {
            return Err(messages::usage(&["--rsubtype"]));
        }
        let change = match (args.need("-o")?, args.get("--rsubtype")) {
            ("a", None) => {
                let attrs =
                    split_attributes(args.need("-a")?).map_err(|_| messages::usage(&["-a"]))?;
                let mut names = None;
                for (name, value) in attrs {
                    match name.as_str() {
                        "vios_names" => names = Some(split_values(&value)),
                        other => return Err(messages::invalid_attribute(other)),
                    }
                }
                PoolChange::Create(names.ok_or_else(|| messages::usage(&["-a"]))?)
            }
            ("r", None) => PoolChange::Remove,
            ("a", Some("rsdev")) => PoolChange::AddDevice {
                vios: vios_arg(&hmc.systems[index], &args)?,
                device: args.need("--device")?.to_string(),
                manual: args.has("--manual"),
            },
            ("r", Some("rsdev")) => {
                vios_arg(&hmc.systems[index], &args)?;
                PoolChange::RemoveDevice {
                    device: args.need("--device")?.to_string(),
                }
            }
            _ => return Err(messages::usage(&["-o"])),
        };
        check(&hmc.systems[index], &change)?;
        Ok((hmc.systems[index].name.clone(), change))
    })();
    let (system, change) = match planned {
        Ok(planned) => planned,
        Err(reply) => return reply,
    };
    let hmc_name = hmc_name.to_string();
    world.schedule(CHANGE_TIME, move |world| {
        if let Some(hmc) = model::hmc_mut(world, &hmc_name) {
            if let Some(system) = hmc.systems.iter_mut().find(|s| s.name == system) {
                if check(system, &change).is_ok() {
                    apply(system, change);
                }
            }
        }
    });
    Reply::silent().ending_after(CHANGE_TIME)
}

/// The VIOS named by `-p` (or `--id`), which must be a VIOS of the system.
fn vios_arg(system: &SimSystem, args: &Args) -> Result<String, Reply> {
    let which = args.partition("-p")?;
    let index = model::find_lpar(system, &which)?;
    let lpar = &system.lpars[index];
    if !lpar.env.is_vios() {
        return Err(not_a_vios(system, &lpar.name));
    }
    Ok(lpar.name.clone())
}

/// `HSCL2C04`.
pub fn not_a_vios(system: &SimSystem, name: &str) -> Reply {
    messages::hscl(
        "HSCL2C04",
        format!(
            "{name} is not a Virtual I/O Server partition of the managed system {}.",
            system.name
        ),
    )
}

/// `HSCL2C03`.
pub fn no_pool(system: &SimSystem) -> Reply {
    messages::hscl(
        "HSCL2C03",
        format!(
            "There is no reserved storage device pool on the managed system {}.",
            system.name
        ),
    )
}

/// Whether `change` can be made to `system` now.
fn check(system: &SimSystem, change: &PoolChange) -> Result<(), Reply> {
    if !system.rr_capable {
        return Err(unsupported(system));
    }
    if !matches!(
        system.state,
        crate::estate::SystemState::Operating | crate::estate::SystemState::Standby
    ) {
        return Err(messages::not_operating());
    }
    let pool = system.rspool.as_ref().filter(|pool| pool.created);
    match change {
        PoolChange::Create(names) => {
            if pool.is_some() {
                return Err(messages::hscl(
                    "HSCL2C02",
                    format!(
                        "A reserved storage device pool already exists on the managed system {}.",
                        system.name
                    ),
                ));
            }
            if names.is_empty() {
                return Err(messages::usage(&["-a"]));
            }
            for name in names {
                let is_vios = model::vios(system).any(|vios| &vios.name == name);
                if !is_vios {
                    return Err(not_a_vios(system, name));
                }
            }
        }
        PoolChange::Remove => {
            let pool = pool.ok_or_else(|| no_pool(system))?;
            if let Some(device) = pool.devices.iter().find(|d| d.lpar.is_some()) {
                return Err(assigned(device));
            }
        }
        PoolChange::AddDevice { vios, device, .. } => {
            let pool = pool.ok_or_else(|| no_pool(system))?;
            if !pool.vios.contains(vios) {
                return Err(not_a_vios(system, vios));
            }
            if pool.devices.iter().any(|d| &d.name == device) {
                return Err(messages::hscl(
                    "HSCL2C06",
                    format!("The device {device} is already in the reserved storage device pool."),
                ));
            }
            if !pool
                .available
                .iter()
                .any(|disk| &disk.name == device && &disk.vios == vios)
            {
                return Err(messages::hscl(
                    "HSCL2C05",
                    format!(
                        "The device {device} is not an available device of the Virtual I/O Server {vios}. Run lsmemdev -r avail to list the devices that can be added."
                    ),
                ));
            }
        }
        PoolChange::RemoveDevice { device } => {
            let pool = pool.ok_or_else(|| no_pool(system))?;
            let found = pool
                .devices
                .iter()
                .find(|d| &d.name == device)
                .ok_or_else(|| not_in_pool(system, device))?;
            if found.lpar.is_some() {
                return Err(assigned(found));
            }
        }
    }
    Ok(())
}

/// `HSCL2C08`.
pub fn not_in_pool(system: &SimSystem, device: &str) -> Reply {
    messages::hscl(
        "HSCL2C08",
        format!(
            "The device {device} is not in the reserved storage device pool of the managed system {}.",
            system.name
        ),
    )
}

fn assigned(device: &SimRsDevice) -> Reply {
    messages::hscl(
        "HSCL2C07",
        format!(
            "The device {} is assigned to the partition {} and cannot be removed from the reserved storage device pool.",
            device.name,
            device.lpar.as_deref().unwrap_or("unknown")
        ),
    )
}

fn apply(system: &mut SimSystem, change: PoolChange) {
    match change {
        PoolChange::Create(names) => match &mut system.rspool {
            Some(pool) => {
                pool.vios = names;
                pool.created = true;
            }
            None => {
                system.rspool = Some(SimRsPool {
                    vios: names,
                    devices: Vec::new(),
                    available: Vec::new(),
                    created: true,
                })
            }
        },
        PoolChange::Remove => {
            if let Some(pool) = &mut system.rspool {
                for device in std::mem::take(&mut pool.devices) {
                    pool.available.push(SimDisk {
                        name: device.name,
                        vios: device.vios,
                        size_mb: device.size_mb,
                    });
                }
                pool.created = false;
            }
        }
        PoolChange::AddDevice {
            vios,
            device,
            manual,
        } => {
            if let Some(pool) = &mut system.rspool {
                if let Some(at) = pool
                    .available
                    .iter()
                    .position(|disk| disk.name == device && disk.vios == vios)
                {
                    let disk = pool.available.remove(at);
                    pool.devices.push(SimRsDevice {
                        name: disk.name,
                        vios: disk.vios,
                        size_mb: disk.size_mb,
                        lpar: None,
                        selection: if manual { "manual" } else { "auto" }.to_string(),
                    });
                }
            }
        }
        PoolChange::RemoveDevice { device } => {
            if let Some(pool) = &mut system.rspool {
                release_device(pool, &device);
            }
        }
    }
}

/// Takes a device out of the pool, back to the VIOS's available disks.
pub fn release_device(pool: &mut SimRsPool, device: &str) {
    if let Some(at) = pool.devices.iter().position(|d| d.name == device) {
        let device = pool.devices.remove(at);
        pool.available.push(SimDisk {
            name: device.name,
            vios: device.vios,
            size_mb: device.size_mb,
        });
    }
}

const LSMEMDEV: Spec = Spec {
    values: &["-r", "-m", "-p", "--id", "--min", "--max", "--filter"],
    flags: &[],
    listing: true,
};

/// Runs `lsmemdev -r avail`: disks of the VIOS that could join the pool.
pub fn lsmemdev(hmc: &HmcHost, argv: &[String]) -> Reply {
    let result = (|| {
        let args = Args::parse(argv, &LSMEMDEV)?;
        if args.help {
            return Ok(Reply::ok(
                "Usage: lsmemdev -r avail -m managed-system [-p vios-names | --id vios-id] [--min MB] [--max MB] [-F [attribute-names] [--header]] [--help]\n",
            ));
        }
        if args.get("-r") != Some("avail") {
            return Err(messages::usage(&["-r"]));
        }
        if args.get("--filter").is_some() {
            return Err(messages::usage(&["--filter"]));
        }
        let system = &hmc.systems[model::find_system(hmc, args.need("-m")?)?];
        let wanted: Vec<String> = match (args.get("-p"), args.get("--id")) {
            (Some(list), _) => split_values(list),
            (None, Some(_)) => {
                let index = model::find_lpar(system, &args.partition("-p")?)?;
                vec![system.lpars[index].name.clone()]
            }
            (None, None) => model::vios(system).map(|v| v.name.clone()).collect(),
        };
        for name in &wanted {
            if !model::vios(system).any(|vios| &vios.name == name) {
                return Err(not_a_vios(system, name));
            }
        }
        let bound = |option: &'static str| -> Result<Option<u64>, Reply> {
            args.get(option)
                .map(|v| v.trim().parse().map_err(|_| messages::usage(&[option])))
                .transpose()
        };
        let (min, max) = (bound("--min")?, bound("--max")?);
        let records: Vec<Record> = system
            .rspool
            .iter()
            .flat_map(|pool| pool.available.iter())
            .filter(|disk| wanted.contains(&disk.vios))
            .filter(|disk| min.is_none_or(|min| disk.size_mb >= min))
            .filter(|disk| max.is_none_or(|max| disk.size_mb <= max))
            .map(|disk| {
                Record::new()
                    .text("device_name", &disk.name)
                    .text("vios_name", &disk.vios)
                    .text("vios_id", vios_id(system, &disk.vios))
                    .text("size", disk.size_mb.to_string())
                    .text("type", "phys")
                    .text("phys_loc", phys_loc(system, &disk.vios, &disk.name))
            })
            .collect();
        render(&records, &args.format, DISK_ATTRS).map(Reply::ok)
    })();
    result.unwrap_or_else(|reply| reply)
}

const LSRSDEVSIZE: Spec = Spec {
    values: &["-m", "-p", "--id"],
    flags: &[],
    listing: true,
};

/// Runs `lsrsdevsize -m SYS -p LPAR`.
pub fn lsrsdevsize(hmc: &HmcHost, argv: &[String]) -> Reply {
    let result = (|| {
        let args = Args::parse(argv, &LSRSDEVSIZE)?;
        if args.help {
            return Ok(Reply::ok(
                "Usage: lsrsdevsize -m managed-system {-p partition-name | --id partition-ID} [-F [attribute-names] [--header]] [--help]\n",
            ));
        }
        let system = &hmc.systems[model::find_system(hmc, args.need("-m")?)?];
        let which: PartitionRef = args.partition("-p")?;
        if !system.rr_capable {
            return Err(unsupported(system));
        }
        let lpar = &system.lpars[model::find_lpar(system, &which)?];
        let record = Record::new()
            .text("lpar_name", &lpar.name)
            .text("lpar_id", lpar.id.to_string())
            .text("size", lpar.max_memory().to_string());
        render(&[record], &args.format, &["lpar_name", "lpar_id", "size"]).map(Reply::ok)
    })();
    result.unwrap_or_else(|reply| reply)
}
