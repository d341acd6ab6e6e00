//! `chsysstate`: power control of managed systems and partitions, with the transitions of
//! docs/formats.md, "HMC: chsysstate", played out over simulated time.
//!
//! Power-on policy (the simulator's choice): when a system reaches `Operating`, its
//! partitions with `auto_start` (by default the VIOS) are started; client partitions
//! with `auto_start` start once the VIOS have had time to boot. A partition started
//! while no VIOS of its system runs (and that owns no physical I/O) finds no boot disk
//! and stops in `Open Firmware`. A partition that was remotely restarted elsewhere
//! (`Remote Restarted`) is never started: it waits for `rrstartlpar -o cleanup`.
//!
//! An OS shutdown (`-o osshutdown`) asks the partition's operating system through RMC:
//! without an active RMC connection it is refused with `HSCL0DB4` (docs/formats.md,
//! "HMC: chsysstate"), and it takes longer than a delayed shutdown. A partition whose OS
//! hangs while shutting down (`hang_os_shutdown` in the estate) accepts the request and
//! keeps running; only a delayed or immediate shutdown stops it then.

use std::time::Duration;

use super::args::{Args, Spec};
use super::{messages, model};
use crate::estate::{LparState, RemoteRestartStatus, SystemState};
use crate::sim::estate::{SimLpar, SimSystem};
use crate::sim::reply::Reply;
use crate::sim::world::World;

/// How long `chsysstate` itself works before it returns.
pub const COMMAND_TIME: Duration = Duration::from_secs(2);
/// `Starting` to `Running` for a client partition.
pub const LPAR_BOOT: Duration = Duration::from_secs(30);
/// `Starting` to `Running` for a VIOS.
pub const VIOS_BOOT: Duration = Duration::from_secs(60);
/// `Shutting Down` to `Not Activated`: delayed shutdown, immediate, OS shutdown, OS
/// shutdown with `--immed`.
pub const SHUTDOWN: Duration = Duration::from_secs(40);
/// See [`SHUTDOWN`].
pub const SHUTDOWN_IMMED: Duration = Duration::from_secs(8);
/// See [`SHUTDOWN`].
pub const OS_SHUTDOWN: Duration = Duration::from_secs(45);
/// See [`SHUTDOWN`].
pub const OS_SHUTDOWN_IMMED: Duration = Duration::from_secs(15);
/// `Initializing` to `Operating` (system IPL).
pub const SYSTEM_IPL: Duration = Duration::from_secs(120);
/// `Initializing` to `Standby`.
pub const SYSTEM_STANDBY: Duration = Duration::from_secs(90);
/// `Power Off In Progress` to `Power Off`: normal and `--immed`.
pub const SYSTEM_OFF: Duration = Duration::from_secs(60);
/// See [`SYSTEM_OFF`].
pub const SYSTEM_OFF_IMMED: Duration = Duration::from_secs(20);

const SPEC: Spec = Spec {
    values: &[
        "-r",
        "-m",
        "-o",
        "-n",
        "--id",
        "-f",
        "-b",
        "-k",
        "-i",
        "--bootstring",
    ],
    flags: &["--immed", "--restart", "--force"],
    listing: false,
};

/// Runs `chsysstate`.
pub fn run(world: &mut World, hmc: &str, argv: &[String]) -> Reply {
    let args = match Args::parse(argv, &SPEC) {
        Ok(args) => args,
        Err(reply) => return reply,
    };
    if args.help {
        return Reply::ok(
            "Usage: chsysstate -m managed-system -r sys -o {on | onstandby | off} [--immed] [--restart]\n       chsysstate -m managed-system -r lpar -o {on | shutdown | osshutdown} {-n partition-name | --id partition-ID} [-f profile-name] [-b boot-mode] [--immed] [--restart] [--help]\n",
        );
    }
    let result = match args.get("-r") {
        Some("sys") => system_op(world, hmc, &args),
        Some("lpar") => lpar_op(world, hmc, &args),
        _ => Err(messages::usage(&["-r"])),
    };
    result.unwrap_or_else(|reply| reply)
}

fn system_op(world: &mut World, hmc_name: &str, args: &Args) -> Result<Reply, Reply> {
    let op = args.need("-o")?;
    let hmc = model::hmc(world, hmc_name).ok_or_else(Reply::silent)?;
    let system = &hmc.systems[model::find_system(hmc, args.need("-m")?)?];
    let name = system.name.clone();
    match op {
        "on" | "onstandby" => {
            if system.state != SystemState::PowerOff {
                return Err(messages::hscl(
                    "HSCL2B01",
                    format!(
                        "The managed system {name} is not powered off. It is in the {} state.",
                        system.state
                    ),
                ));
            }
            power_on(world, hmc_name, &name, op == "onstandby");
        }
        "off" => {
            let allowed = matches!(
                system.state,
                SystemState::Operating
                    | SystemState::Standby
                    | SystemState::Error
                    | SystemState::ErrorTerminated
                    | SystemState::ErrorDumpInProgress
            );
            if !allowed {
                return Err(messages::hscl(
                    "HSCL2B02",
                    format!(
                        "The managed system {name} cannot be powered off in the {} state.",
                        system.state
                    ),
                ));
            }
            if args.has("--restart") && !args.has("--immed") {
                return Err(messages::usage(&["--restart"]));
            }
            let after = if args.has("--immed") {
                SYSTEM_OFF_IMMED
            } else {
                SYSTEM_OFF
            };
            power_off(world, hmc_name, &name, after, args.has("--restart"));
        }
        _ => return Err(messages::usage(&["-o"])),
    }
    Ok(Reply::silent().ending_after(COMMAND_TIME))
}

/// Starts powering a system on: `Initializing` now, `Operating` (or `Standby`) after the
/// IPL, when the installed firmware becomes the activated level and auto-start
/// partitions start.
pub fn power_on(world: &mut World, hmc: &str, system: &str, standby: bool) {
    let now = world.now();
    let Some(sys) = model::system_mut(world, hmc, system) else {
        return;
    };
    sys.runtime.power_token = sys.runtime.power_token.wrapping_add(1);
    let token = sys.runtime.power_token;
    model::set_system_state(sys, SystemState::Initializing, now);
    let ipl = if standby { SYSTEM_STANDBY } else { SYSTEM_IPL };
    let (hmc, system) = (hmc.to_string(), system.to_string());
    world.schedule(ipl, move |world| {
        let now = world.now();
        let Some(sys) = model::system_mut(world, &hmc, &system) else {
            return;
        };
        if sys.runtime.power_token != token || sys.state != SystemState::Initializing {
            return;
        }
        let state = if standby {
            SystemState::Standby
        } else {
            SystemState::Operating
        };
        model::set_system_state(sys, state, now);
        if let Some(firmware) = &mut sys.firmware {
            firmware.activated_level = firmware.installed_level;
            firmware.platform_ipl_level = Some(firmware.installed_level);
        }
        if standby {
            return;
        }
        let starting: Vec<(String, bool)> = sys
            .lpars
            .iter()
            .filter(|lpar| lpar.starts_with_system() && may_start(lpar))
            .map(|lpar| (lpar.name.clone(), lpar.env.is_vios()))
            .collect();
        for (lpar, vios) in starting {
            if vios {
                start_partition(world, &hmc, &system, &lpar, false);
            } else {
                let (hmc, system) = (hmc.clone(), system.clone());
                world.schedule(VIOS_BOOT, move |world| {
                    start_partition(world, &hmc, &system, &lpar, false);
                });
            }
        }
    });
}

/// Starts powering a system off: `Power Off In Progress` now, `Power Off` after `after`
/// (every partition `Not Activated`), then with `restart` a new IPL.
pub fn power_off(world: &mut World, hmc: &str, system: &str, after: Duration, restart: bool) {
    let now = world.now();
    let Some(sys) = model::system_mut(world, hmc, system) else {
        return;
    };
    sys.runtime.power_token = sys.runtime.power_token.wrapping_add(1);
    let token = sys.runtime.power_token;
    model::set_system_state(sys, SystemState::PowerOffInProgress, now);
    for lpar in &mut sys.lpars {
        lpar.runtime.power_token = lpar.runtime.power_token.wrapping_add(1);
        if lpar.state.is_on() {
            model::set_lpar_state(lpar, LparState::ShuttingDown, now);
        }
    }
    let (hmc, system) = (hmc.to_string(), system.to_string());
    world.schedule(after, move |world| {
        let now = world.now();
        let Some(sys) = model::system_mut(world, &hmc, &system) else {
            return;
        };
        if sys.runtime.power_token != token || sys.state != SystemState::PowerOffInProgress {
            return;
        }
        model::set_system_state(sys, SystemState::PowerOff, now);
        if let Some(hmc) = model::hmc_mut(world, &hmc) {
            model::settle(hmc, now);
        }
        if restart {
            power_on(world, &hmc, &system, false);
        }
    });
}

/// A partition that must not be started, by itself or by hand: the stale source copy of
/// a remote restart, until its cleanup (a failed cleanup leaves it stale).
fn may_start(lpar: &SimLpar) -> bool {
    !lpar.remote_restart_status().is_some_and(|status| {
        status.needs_cleanup() || status == RemoteRestartStatus::SourceRemoteRestarting
    })
}

/// Activates a partition: `Starting` now, `Running` (or `Open Firmware`) after its boot
/// time. Does nothing if the partition or its system is gone or not in a state to start.
pub fn start_partition(world: &mut World, hmc: &str, system: &str, lpar: &str, sms: bool) {
    let now = world.now();
    let Some(sys) = model::system_mut(world, hmc, system) else {
        return;
    };
    if !matches!(sys.state, SystemState::Operating | SystemState::Standby) {
        return;
    }
    if sys.state == SystemState::Standby {
        model::set_system_state(sys, SystemState::Operating, now);
    }
    let Some(part) = sys.lpars.iter_mut().find(|l| l.name == lpar) else {
        return;
    };
    if part.state.is_on() {
        return;
    }
    part.runtime.power_token = part.runtime.power_token.wrapping_add(1);
    let token = part.runtime.power_token;
    model::set_lpar_state(part, LparState::Starting, now);
    part.runtime.curr_compat_mode = None;
    if part.never_activated {
        part.never_activated = false;
        if part.rr_status == Some(RemoteRestartStatus::Invalid) {
            part.rr_status = None;
        }
    }
    let boot = if part.env.is_vios() {
        VIOS_BOOT
    } else {
        LPAR_BOOT
    };
    let (hmc, system, lpar) = (hmc.to_string(), system.to_string(), lpar.to_string());
    world.schedule(boot, move |world| {
        let now = world.now();
        let Some(sys) = model::system_mut(world, &hmc, &system) else {
            return;
        };
        if sys.state != SystemState::Operating {
            return;
        }
        let disks = has_boot_disk(sys, &lpar);
        let Some(part) = sys.lpars.iter_mut().find(|l| l.name == lpar) else {
            return;
        };
        if part.runtime.power_token != token || part.state != LparState::Starting {
            return;
        }
        let state = if sms || !disks {
            LparState::OpenFirmware
        } else {
            LparState::Running
        };
        model::set_lpar_state(part, state, now);
    });
}

/// A client finds its boot disk through a running VIOS (or its own adapters).
fn has_boot_disk(system: &SimSystem, lpar: &str) -> bool {
    let Some(part) = system.lpars.iter().find(|l| l.name == lpar) else {
        return false;
    };
    part.env.is_vios()
        || part.physical_io
        || model::vios(system).next().is_none()
        || model::vios(system).any(|vios| vios.state == LparState::Running)
}

fn lpar_op(world: &mut World, hmc_name: &str, args: &Args) -> Result<Reply, Reply> {
    let op = args.need("-o")?;
    let hmc = model::hmc(world, hmc_name).ok_or_else(Reply::silent)?;
    let index = model::find_system(hmc, args.need("-m")?)?;
    let system = &hmc.systems[index];
    let which = args.partition("-n")?;
    if !matches!(system.state, SystemState::Operating | SystemState::Standby) {
        return Err(messages::not_operating());
    }
    let lpar = &system.lpars[model::find_lpar(system, &which)?];
    let (system_name, lpar_name) = (system.name.clone(), lpar.name.clone());
    let busy = || {
        messages::hscl(
            "HSCL2B03",
            format!(
                "The partition {lpar_name} is in the {} state. Try again when the current operation has finished.",
                lpar.state
            ),
        )
    };
    match op {
        "on" => {
            if let Some(profile) = args.get("-f") {
                if profile != lpar.profile {
                    return Err(messages::not_found(
                        "partition profile",
                        &format!("{profile} of partition {lpar_name}"),
                    ));
                }
            } else if lpar.never_activated {
                return Err(messages::hscl(
                    "HSCL3680",
                    format!(
                        "The partition {lpar_name} has never been activated, so it has no current configuration to activate. Specify a partition profile with -f."
                    ),
                ));
            }
            match lpar.state {
                LparState::NotActivated | LparState::NotAvailable => {}
                LparState::Running
                | LparState::Starting
                | LparState::OpenFirmware
                | LparState::Error => {
                    return Err(messages::hscl(
                        "HSCL3681",
                        format!("The partition {lpar_name} is already powered on."),
                    ))
                }
                _ => return Err(busy()),
            }
            if !may_start(lpar) {
                return Err(messages::hscl(
                    "HSCLA9DF",
                    format!(
                        "The partition {lpar_name} was remotely restarted on another managed system. Run rrstartlpar -o cleanup before activating it here."
                    ),
                ));
            }
            if system.rr_capable && lpar.rr && !lpar.srr && lpar.rs_device.is_none() {
                return Err(messages::hscl(
                    "HSCLA9E1",
                    format!(
                        "The partition {lpar_name} is remote restart capable but has no reserved storage device. Assign one with chsyscfg (rs_device_name) before activating it."
                    ),
                ));
            }
            let (memory, units) = model::free_capacity(hmc, index);
            if memory < lpar.memory_mb || units + 1e-9 < lpar.units() {
                return Err(messages::hscl(
                    "HSCL2B04",
                    format!(
                        "There are not enough resources available on the managed system {system_name} to activate the partition {lpar_name}: it needs {} MB of memory and {:.2} processing units; {memory} MB and {units:.2} units are available.",
                        lpar.memory_mb,
                        lpar.units()
                    ),
                ));
            }
            let sms = matches!(args.get("-b"), Some("sms" | "of"));
            start_partition(world, hmc_name, &system_name, &lpar_name, sms);
        }
        "shutdown" | "osshutdown" => {
            match lpar.state {
                LparState::Running | LparState::OpenFirmware | LparState::Error => {}
                LparState::NotActivated | LparState::NotAvailable => {
                    return Err(messages::hscl(
                        "HSCL1558",
                        format!("The partition {lpar_name} is already powered off."),
                    ))
                }
                _ => return Err(busy()),
            }
            if op == "osshutdown" && !model::rmc_active(system, lpar) {
                return Err(messages::hscl(
                    "HSCL0DB4",
                    format!(
                        "The operating system of the partition {lpar_name} cannot be shut down because there is no RMC connection to it. Use chsysstate -o shutdown --immed instead."
                    ),
                ));
            }
            if op == "osshutdown" && lpar.hang_os_shutdown {
                return Ok(Reply::silent().ending_after(COMMAND_TIME));
            }
            let after = match (op, args.has("--immed")) {
                ("shutdown", false) => SHUTDOWN,
                ("shutdown", true) => SHUTDOWN_IMMED,
                (_, false) => OS_SHUTDOWN,
                (_, true) => OS_SHUTDOWN_IMMED,
            };
            shut_down(
                world,
                hmc_name,
                &system_name,
                &lpar_name,
                after,
                args.has("--restart"),
            );
        }
        _ => return Err(messages::usage(&["-o"])),
    }
    Ok(Reply::silent().ending_after(COMMAND_TIME))
}

/// `Shutting Down` now, `Not Activated` after `after`, then with `restart` started again.
fn shut_down(
    world: &mut World,
    hmc: &str,
    system: &str,
    lpar: &str,
    after: Duration,
    restart: bool,
) {
    let now = world.now();
    let Some(part) = model::system_mut(world, hmc, system)
        .and_then(|sys| sys.lpars.iter_mut().find(|l| l.name == lpar))
    else {
        return;
    };
    part.runtime.power_token = part.runtime.power_token.wrapping_add(1);
    let token = part.runtime.power_token;
    model::set_lpar_state(part, LparState::ShuttingDown, now);
    let (hmc, system, lpar) = (hmc.to_string(), system.to_string(), lpar.to_string());
    world.schedule(after, move |world| {
        let now = world.now();
        let Some(part) = model::system_mut(world, &hmc, &system)
            .and_then(|sys| sys.lpars.iter_mut().find(|l| l.name == lpar))
        else {
            return;
        };
        if part.runtime.power_token != token || part.state != LparState::ShuttingDown {
            return;
        }
        model::set_lpar_state(part, LparState::NotActivated, now);
        if restart {
            start_partition(world, &hmc, &system, &lpar, false);
        }
    });
}
