//! `rrstartlpar -o validate|restart|cleanup|cancel|recover`, following the simulator rules
//! of docs/formats.md, "HMC: rrstartlpar":
//!
//! * validate and restart need the source system in `Power Off In Progress`, `Power
//!   Off`, `Error`, `Error - Dump in progress`, `Initializing` or `No Connection`, and
//!   the target `Operating`; otherwise `HSCLA9CE`. (A published field report validated
//!   against a running source; the man page rule is followed here for both.)
//! * The partition must be remote restart capable (simplified, or PowerVM with
//!   reserved storage, each needing the matching capability on both systems), have
//!   `remote_restart_status=Remote Restartable`, and (PowerVM kind) an assigned
//!   reserved storage device; the target must have a pool too.
//! * Restart: the source shows `Source Remote Restarting`, a destination partition is
//!   created `Starting` / `Destination Remote Restarting`; at 60 % of the restart the
//!   point of no return is passed (`Remote Restarted` on the source, `Destination
//!   Remote Restarted` on the target); at the end the destination is `Running`. The
//!   source keeps its stale copy (shown `Not Available` while its system is down). If
//!   the id is taken on the target, `HSCLA32F` is printed and the lowest free id used.
//! * Cleanup needs the source `Operating` or `Standby` and every VIOS of the source
//!   running with RMC active (the HMC's own automatic cleanup waits for the same,
//!   docs/procedures.md, "Cleanup"); it deletes the stale copy and, without
//!   `--retaindev`, takes its device out of the pool. `--retaindev` is refused for a
//!   partition without a reserved storage device (simplified remote restart keeps its
//!   data on the HMC). A cleanup that failed (fault injection: `fail_cleanup = true`)
//!   leaves `Source Side Cleanup Failed`, and only a cleanup with `--force` goes on from
//!   there. The destination partition then shows `Remote Restartable` again.
//! * Cancel works before the point of no return; recover after a failed restart (fault
//!   injection: `fail_remote_restart = true`). Both delete the destination partition
//!   and make the source `Remote Restartable` again.

use std::time::Duration;

use super::args::{Args, Spec};
use super::{messages, model, rspool};
use crate::estate::{LparState, RemoteRestartStatus, SystemState};
use crate::sim::estate::hmc::{LparRuntime, RemoteRestartRun, RunStatus};
use crate::sim::estate::{HmcHost, SimLpar, SimSystem};
use crate::sim::reply::{Reply, Stream};
use crate::sim::world::World;

/// How long validation runs (also before a restart starts).
pub const VALIDATE_TIME: Duration = Duration::from_secs(6);
/// How long `-o cleanup` works.
pub const CLEANUP_TIME: Duration = Duration::from_secs(15);
/// How long `-o cancel` works.
pub const CANCEL_TIME: Duration = Duration::from_secs(8);
/// How long `-o recover` works.
pub const RECOVER_TIME: Duration = Duration::from_secs(10);
/// Share of a restart after which it cannot be cancelled.
const COMMIT_SHARE: f64 = 0.6;
/// Share of a restart done when an injected failure strikes.
const FAILURE_SHARE: f64 = 0.4;

/// A restart takes 30 s plus 1.5 s per GB of memory, at most 90 s (validation
/// included).
pub fn restart_time(memory_mb: u64) -> Duration {
    model::secs((30.0 + 1.5 * memory_mb as f64 / 1024.0).min(90.0))
}

const SPEC: Spec = Spec {
    values: &[
        "-o",
        "-m",
        "-t",
        "--ip",
        "-u",
        "-p",
        "--id",
        "--redundantvios",
        "--mpio",
        "--vlanbridge",
        "--redundantvnicbkdev",
        "-i",
        "-f",
        "-w",
        "-d",
        "-r",
    ],
    flags: &[
        "--retaindev",
        "--usecurrdata",
        "--noconnection",
        "--force",
        "-v",
        "--nodetails",
    ],
    listing: false,
};

/// Runs `rrstartlpar`.
pub fn run(world: &mut World, hmc_name: &str, argv: &[String]) -> Reply {
    let args = match Args::parse(argv, &SPEC) {
        Ok(args) => args,
        Err(reply) => return reply,
    };
    if args.help {
        return Reply::ok(
            "Usage: rrstartlpar -o {restart | validate | cancel | cleanup | recover} -m managed-system [-t target-managed-system] {-p partition-name | --id partition-ID} [--retaindev] [--force] [-d detail-level] [-v] [--help]\n",
        );
    }
    let Some(hmc) = model::hmc(world, hmc_name) else {
        return Reply::silent();
    };
    let result = match args.get("-o") {
        Some("validate") => validate(hmc, &args).map(|plan| {
            Reply::silent()
                .then(VALIDATE_TIME, Stream::Stdout, plan.warning())
                .with_status(0)
        }),
        Some("restart") => match validate(hmc, &args) {
            Ok(plan) => Ok(restart(world, hmc_name, plan)),
            Err(reply) => Err(reply),
        },
        Some("cleanup") => cleanup(world, hmc_name, &args),
        Some("cancel") => undo(world, hmc_name, &args, false),
        Some("recover") => undo(world, hmc_name, &args, true),
        Some("set") if args.get("-r") == Some("mc") => {
            Ok(Reply::silent().ending_after(Duration::from_secs(1)))
        }
        _ => Err(messages::usage(&["-o"])),
    };
    result.unwrap_or_else(|reply| reply)
}

/// A checked restart.
struct Plan {
    source: String,
    target: String,
    lpar: String,
    wanted_id: u32,
    dest_id: u32,
    memory_mb: u64,
    fail: bool,
}

impl Plan {
    /// `HSCLA32F` when the partition cannot keep its id on the target.
    fn warning(&self) -> String {
        if self.dest_id == self.wanted_id {
            String::new()
        } else {
            "HSCLA32F The specified partition ID is no longer valid. The next available partition ID will be used.\n".to_string()
        }
    }
}

fn invalid_state() -> Reply {
    messages::hscl(
        "HSCLA9CE",
        "The managed system is not in a valid state to support partition remote restart operations.",
    )
}

fn validate(hmc: &HmcHost, args: &Args) -> Result<Plan, Reply> {
    let (source_index, target_index, lpar_index) = model::move_operands(hmc, args)?;
    let source = &hmc.systems[source_index];
    let target = &hmc.systems[target_index];
    let lpar = &source.lpars[lpar_index];
    rules(hmc, source_index, target_index, lpar)
        .and_then(|()| connection_rule(source, args.has("--noconnection")))
        .map_err(|reply| messages::after(VALIDATE_TIME, reply))?;
    Ok(Plan {
        source: source.name.clone(),
        target: target.name.clone(),
        lpar: lpar.name.clone(),
        wanted_id: lpar.id,
        dest_id: model::free_id(hmc, target_index, lpar.id),
        memory_mb: lpar.memory_mb,
        fail: lpar.fail_remote_restart,
    })
}

/// The rules of docs/formats.md, "HMC: rrstartlpar", in the order the HMC would meet them.
fn rules(
    hmc: &HmcHost,
    source_index: usize,
    target_index: usize,
    lpar: &SimLpar,
) -> Result<(), Reply> {
    let source = &hmc.systems[source_index];
    let target = &hmc.systems[target_index];
    let name = &lpar.name;
    if source_index == target_index {
        return Err(messages::hscl(
            "HSCLA9E3",
            "The source and destination managed systems must be different.",
        ));
    }
    if lpar.env.is_vios() {
        return Err(messages::hscl(
            "HSCLA9D4",
            "Remote restart operations can be performed for AIX, Linux, or IBM i partitions only.",
        ));
    }
    if !source.state.allows_remote_restart_from() || !target.state.accepts_partitions() {
        return Err(invalid_state());
    }
    let simplified = lpar.srr;
    if !(lpar.srr || lpar.rr) {
        return Err(messages::hscl(
            "HSCLA9D1",
            format!("The partition {name} is not capable of remote restart."),
        ));
    }
    for system in [source, target] {
        let capable = if simplified {
            system.srr_capable
        } else {
            system.rr_capable
        };
        if !capable {
            return Err(messages::hscl(
                "HSCLA9D0",
                format!(
                    "The managed system {} does not support {} partition remote restart.",
                    system.name,
                    if simplified { "simplified" } else { "PowerVM" }
                ),
            ));
        }
    }
    if lpar.runtime.remote_restart.is_some() {
        return Err(in_progress(name));
    }
    let status = lpar.remote_restart_status();
    if status != Some(RemoteRestartStatus::RemoteRestartable) {
        let shown = status.map_or("null".to_string(), |s| s.as_str().to_string());
        return Err(messages::hscl(
            "HSCLA9D2",
            format!(
                "The remote restart status of the partition {name} is {shown}. A partition can be remotely restarted only when its status is Remote Restartable."
            ),
        ));
    }
    if !simplified {
        if lpar.rs_device.is_none() {
            return Err(messages::hscl(
                "HSCLA9D3",
                format!(
                    "The partition {name} has no reserved storage device assigned, so its configuration cannot be read for a remote restart."
                ),
            ));
        }
        if !target.rspool.as_ref().is_some_and(|pool| pool.created) {
            return Err(messages::hscl(
                "HSCLA9E2",
                format!(
                    "The destination managed system {} has no reserved storage device pool.",
                    target.name
                ),
            ));
        }
    }
    if lpar.physical_io {
        return Err(messages::hscl(
            "HSCLA9DC",
            format!(
                "The partition {name} owns physical I/O adapters and cannot be remotely restarted."
            ),
        ));
    }
    if model::name_taken(hmc, target_index, name) {
        return Err(messages::hscl(
            "HSCLA9D7",
            format!(
                "A partition named {name} already exists on the destination managed system {}.",
                target.name
            ),
        ));
    }
    let mode = model::curr_mode(source, lpar);
    if !model::compat_modes(target).contains(&mode.as_str()) {
        return Err(messages::hscl(
            "HSCLA9E7",
            format!(
                "The partition {name} runs in the {mode} processor compatibility mode, which the destination managed system {} does not support.",
                target.name
            ),
        ));
    }
    model::check_capacity(hmc, target_index, lpar, ("HSCLA9D5", "HSCLA9D6"))?;
    Ok(())
}

/// A source in `No Connection` cannot tell the HMC whether its partitions still run:
/// the operator must say so with `--noconnection`. Without that state the flag is
/// refused too, so it is never given out of habit. Both messages are this simulator's.
fn connection_rule(source: &SimSystem, no_connection: bool) -> Result<(), Reply> {
    let unreachable = source.state == SystemState::NoConnection;
    match (unreachable, no_connection) {
        (true, false) => Err(messages::hscl(
            "HSCLA9E5",
            format!(
                "The managed system {} is in the No Connection state: the management console cannot verify that its partitions are stopped. Use --noconnection only after verifying that they are.",
                source.name
            ),
        )),
        (false, true) => Err(messages::hscl(
            "HSCLA9E6",
            format!(
                "The --noconnection option is only valid when the managed system {} is in the No Connection state.",
                source.name
            ),
        )),
        _ => Ok(()),
    }
}

fn in_progress(name: &str) -> Reply {
    messages::hscl(
        "HSCLA9DE",
        format!("A remote restart operation is already in progress for the partition {name}."),
    )
}

fn find<'a>(world: &'a mut World, hmc: &str, system: &str, lpar: &str) -> Option<&'a mut SimLpar> {
    model::system_mut(world, hmc, system)?
        .lpars
        .iter_mut()
        .find(|l| l.name == lpar)
}

fn restart(world: &mut World, hmc_name: &str, plan: Plan) -> Reply {
    let now = world.now();
    let total = restart_time(plan.memory_mb);
    let Some(hmc) = model::hmc_mut(world, hmc_name) else {
        return Reply::silent();
    };
    let token = hmc.runtime.token();
    let Some(source_index) = hmc.systems.iter().position(|s| s.name == plan.source) else {
        return Reply::silent();
    };
    let Some(target_index) = hmc.systems.iter().position(|s| s.name == plan.target) else {
        return Reply::silent();
    };
    let Some(lpar) = hmc.systems[source_index]
        .lpars
        .iter_mut()
        .find(|l| l.name == plan.lpar)
    else {
        return Reply::silent();
    };
    lpar.rr_status = Some(RemoteRestartStatus::SourceRemoteRestarting);
    lpar.runtime.remote_restart = Some(RemoteRestartRun {
        token,
        target: plan.target.clone(),
        dest_id: plan.dest_id,
        status: RunStatus::InProgress,
        committed: false,
    });
    let mut copy = lpar.clone();
    copy.id = plan.dest_id;
    copy.runtime = LparRuntime::default();
    copy.fail_migration = false;
    copy.fail_remote_restart = false;
    copy.never_activated = false;
    copy.rr_status = Some(RemoteRestartStatus::DestinationRemoteRestarting);
    model::set_lpar_state(&mut copy, LparState::Starting, now);
    let target = &mut hmc.systems[target_index];
    if !copy.srr {
        take_device(target, &mut copy);
    }
    target.lpars.push(copy);

    let (hmc, source, target, name) = (
        hmc_name.to_string(),
        plan.source.clone(),
        plan.target.clone(),
        plan.lpar.clone(),
    );
    let warning = plan.warning();
    if plan.fail {
        let at = total.mul_f64(FAILURE_SHARE);
        world.schedule(at, move |world| {
            let now = world.now();
            if let Some(lpar) = find(world, &hmc, &source, &name) {
                match lpar.runtime.remote_restart.as_mut() {
                    Some(run) if run.token == token && run.status == RunStatus::InProgress => {
                        run.status = RunStatus::Failed;
                        lpar.fail_remote_restart = false;
                    }
                    _ => return,
                }
            }
            if let Some(copy) = find(world, &hmc, &target, &name) {
                model::set_lpar_state(copy, LparState::NotActivated, now);
            }
        });
        return Reply::silent()
            .then(VALIDATE_TIME, Stream::Stdout, warning)
            .then(
                at.saturating_sub(VALIDATE_TIME),
                Stream::Stdout,
                format!(
                    "HSCLA9E4 The remote restart of the partition {} on the managed system {} failed: the partition configuration could not be restored on the destination. Run rrstartlpar -o recover -m {} -p {} to recover it.\n",
                    plan.lpar, plan.target, plan.source, plan.lpar
                ),
            )
            .with_status(1);
    }
    let commit = total.mul_f64(COMMIT_SHARE);
    {
        let (hmc, source, target, name) =
            (hmc.clone(), source.clone(), target.clone(), name.clone());
        world.schedule(commit, move |world| {
            if let Some(lpar) = find(world, &hmc, &source, &name) {
                match lpar.runtime.remote_restart.as_mut() {
                    Some(run) if run.token == token && run.status == RunStatus::InProgress => {
                        run.committed = true;
                        lpar.rr_status = Some(RemoteRestartStatus::RemoteRestarted);
                    }
                    _ => return,
                }
            }
            if let Some(copy) = find(world, &hmc, &target, &name) {
                copy.rr_status = Some(RemoteRestartStatus::DestinationRemoteRestarted);
            }
        });
    }
    world.schedule(total, move |world| {
        let now = world.now();
        let done = match find(world, &hmc, &source, &name) {
            Some(lpar) => match &lpar.runtime.remote_restart {
                Some(run) if run.token == token && run.committed => {
                    lpar.runtime.remote_restart = None;
                    true
                }
                _ => false,
            },
            None => false,
        };
        let operating = model::system_mut(world, &hmc, &target)
            .is_some_and(|sys| sys.state.accepts_partitions());
        if done && operating {
            if let Some(copy) = find(world, &hmc, &target, &name) {
                if copy.state == LparState::Starting {
                    model::set_lpar_state(copy, LparState::Running, now);
                }
            }
        }
    });
    Reply::silent()
        .then(VALIDATE_TIME, Stream::Stdout, warning)
        .ending_after(total.saturating_sub(VALIDATE_TIME))
}

/// The restarted copy of a PowerVM remote restart partition takes its device in the
/// target's pool when the pool has it (the same SAN disk seen by every VIOS), else
/// runs without one.
fn take_device(target: &mut SimSystem, copy: &mut SimLpar) {
    let device = copy.rs_device.take();
    copy.primary_rs_vios = None;
    copy.secondary_rs_vios = None;
    let Some(pool) = target.rspool.as_mut().filter(|pool| pool.created) else {
        return;
    };
    if let Some(held) = pool
        .devices
        .iter_mut()
        .find(|d| Some(&d.name) == device.as_ref() && d.lpar.is_none())
    {
        held.lpar = Some(copy.name.clone());
        copy.rs_device = Some(held.name.clone());
        copy.primary_rs_vios = pool.vios.first().cloned();
        copy.secondary_rs_vios = pool.vios.get(1).cloned();
    }
}

fn source_lpar<'a>(hmc: &'a HmcHost, args: &Args) -> Result<(&'a SimSystem, &'a SimLpar), Reply> {
    let index = model::find_system(hmc, args.need("-m")?)?;
    let system = &hmc.systems[index];
    let which = args.partition("-p")?;
    let lpar = &system.lpars[model::find_lpar(system, &which)?];
    Ok((system, lpar))
}

fn cleanup(world: &mut World, hmc_name: &str, args: &Args) -> Result<Reply, Reply> {
    let hmc = model::hmc(world, hmc_name).ok_or_else(Reply::silent)?;
    let (system, lpar) = source_lpar(hmc, args)?;
    if !system.state.allows_cleanup() {
        return Err(messages::hscl(
            "HSCLA9D8",
            format!(
                "The source managed system {} is in the {} state. Clean up after a remote restart once it is in the Operating or Standby state.",
                system.name, system.state
            ),
        ));
    }
    if lpar
        .runtime
        .remote_restart
        .as_ref()
        .is_some_and(|run| run.status == RunStatus::InProgress)
    {
        return Err(in_progress(&lpar.name));
    }
    let restarted = matches!(
        lpar.remote_restart_status(),
        Some(RemoteRestartStatus::RemoteRestarted | RemoteRestartStatus::SourceSideCleanupFailed)
    );
    if !restarted {
        return Err(messages::hscl(
            "HSCLA9D9",
            format!(
                "The partition {} has not been remotely restarted; there is nothing to clean up.",
                lpar.name
            ),
        ));
    }
    cleanup_rules(system, lpar, args)?;
    let (hmc_name, system, name) = (hmc_name.to_string(), system.name.clone(), lpar.name.clone());
    let retain = args.has("--retaindev");
    let fail = lpar.fail_cleanup;
    if fail {
        let reply = Reply::silent()
            .then(
                CLEANUP_TIME,
                Stream::Stdout,
                format!(
                    "HSCLA9EB The cleanup of the partition {name} on the source managed system failed. Run rrstartlpar -o cleanup with --force to complete it.\n"
                ),
            )
            .with_status(1);
        world.schedule(CLEANUP_TIME, move |world| {
            if let Some(stale) = find(world, &hmc_name, &system, &name) {
                stale.fail_cleanup = false;
                stale.rr_status = Some(RemoteRestartStatus::SourceSideCleanupFailed);
            }
        });
        return Ok(reply);
    }
    world.schedule(CLEANUP_TIME, move |world| {
        let Some(hmc) = model::hmc_mut(world, &hmc_name) else {
            return;
        };
        let Some(sys) = hmc.systems.iter_mut().find(|s| s.name == system) else {
            return;
        };
        let Some(index) = sys.lpars.iter().position(|l| {
            l.name == name
                && matches!(
                    l.remote_restart_status(),
                    Some(
                        RemoteRestartStatus::RemoteRestarted
                            | RemoteRestartStatus::SourceSideCleanupFailed
                    )
                )
        }) else {
            return;
        };
        let stale = sys.lpars.remove(index);
        if let (Some(device), Some(pool)) = (&stale.rs_device, &mut sys.rspool) {
            if retain {
                for held in pool.devices.iter_mut().filter(|d| &d.name == device) {
                    held.lpar = None;
                }
            } else {
                rspool::release_device(pool, device);
            }
        }
        for other in hmc.systems.iter_mut().filter(|s| s.name != system) {
            for copy in other.lpars.iter_mut().filter(|l| l.name == name) {
                if copy.rr_status == Some(RemoteRestartStatus::DestinationRemoteRestarted) {
                    copy.rr_status = None;
                }
            }
        }
    });
    Ok(Reply::silent().ending_after(CLEANUP_TIME))
}

/// What a cleanup needs besides the system's state and a restarted partition: the
/// source's VIOS up with RMC, `--retaindev` only where a reserved storage device exists,
/// `--force` after a failed cleanup. The codes are this simulator's.
fn cleanup_rules(system: &SimSystem, lpar: &SimLpar, args: &Args) -> Result<(), Reply> {
    let name = &lpar.name;
    if let Some(vios) = model::vios(system).find(|vios| !model::rmc_active(system, vios)) {
        return Err(messages::hscl(
            "HSCLA9E8",
            format!(
                "The Virtual I/O Server {} of the managed system {} is not running with an active RMC connection. Start the source's Virtual I/O Servers before cleaning up the partition {name}.",
                vios.name, system.name
            ),
        ));
    }
    let reserved_storage = lpar.rr && !lpar.srr;
    if args.has("--retaindev") && !reserved_storage {
        return Err(messages::hscl(
            "HSCLA9E9",
            format!(
                "The partition {name} has no reserved storage device: --retaindev applies only to PowerVM remote restart partitions."
            ),
        ));
    }
    if lpar.remote_restart_status() == Some(RemoteRestartStatus::SourceSideCleanupFailed)
        && !args.has("--force")
    {
        return Err(messages::hscl(
            "HSCLA9EA",
            format!(
                "A previous cleanup of the partition {name} failed. Use --force to clean it up."
            ),
        ));
    }
    Ok(())
}

/// `-o cancel` (before the point of no return) and `-o recover` (after a failure):
/// delete the destination copy, make the source restartable again.
fn undo(world: &mut World, hmc_name: &str, args: &Args, recover: bool) -> Result<Reply, Reply> {
    let hmc = model::hmc(world, hmc_name).ok_or_else(Reply::silent)?;
    let (system, lpar) = source_lpar(hmc, args)?;
    let name = lpar.name.clone();
    let run = lpar.runtime.remote_restart.clone();
    match (&run, recover) {
        (None, false) => {
            return Err(messages::hscl(
                "HSCLA9DA",
                format!("No remote restart of the partition {name} is in progress; there is nothing to cancel."),
            ))
        }
        (None, true) => {
            return Err(messages::hscl(
                "HSCLA9DB",
                format!("No remote restart of the partition {name} has failed; there is nothing to recover."),
            ))
        }
        (Some(run), false) if run.committed || run.status != RunStatus::InProgress => {
            return Err(messages::hscl(
                "HSCLA9E0",
                format!(
                    "The remote restart of the partition {name} is past the point of no return and cannot be cancelled."
                ),
            ))
        }
        (Some(run), true) if run.status == RunStatus::InProgress => return Err(in_progress(&name)),
        _ => {}
    }
    let Some(run) = run else {
        return Err(Reply::silent());
    };
    let (hmc_name, system) = (hmc_name.to_string(), system.name.clone());
    let after = if recover { RECOVER_TIME } else { CANCEL_TIME };
    world.schedule(after, move |world| {
        let Some(hmc) = model::hmc_mut(world, &hmc_name) else {
            return;
        };
        let Some(source) = hmc.systems.iter_mut().find(|s| s.name == system) else {
            return;
        };
        let Some(lpar) = source.lpars.iter_mut().find(|l| l.name == name) else {
            return;
        };
        let current = lpar.runtime.remote_restart.as_ref();
        if current.is_none_or(|r| r.token != run.token || (!recover && r.committed)) {
            return;
        }
        lpar.runtime.remote_restart = None;
        lpar.rr_status = None;
        if let Some(target) = hmc.systems.iter_mut().find(|s| s.name == run.target) {
            if let Some(index) = target.lpars.iter().position(|l| {
                l.name == name
                    && l.rr_status == Some(RemoteRestartStatus::DestinationRemoteRestarting)
            }) {
                let copy = target.lpars.remove(index);
                if let (Some(device), Some(pool)) = (&copy.rs_device, &mut target.rspool) {
                    for held in pool.devices.iter_mut().filter(|d| &d.name == device) {
                        held.lpar = None;
                    }
                }
            }
        }
    });
    Ok(Reply::silent().ending_after(after))
}
