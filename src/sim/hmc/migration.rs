//! Live Partition Mobility: `migrlpar -o v|m|s|r` (docs/formats.md, "HMC: migrlpar");
//! `lslparmigr` shows it.
//!
//! Both systems must be managed by the same simulated HMC; `--ip` naming another
//! console fails with `HSCL3653` (cross-HMC mobility is not modelled). While a partition
//! migrates it shows `Migrating - Running` (or `Migrating - Not Activated`) on the
//! source and, under its destination id, on the target; `lslparmigr` reports
//! `Migration Starting`, then `Migration In Progress` with `bytes_transmitted` growing
//! and `bytes_remaining` shrinking. At the end it leaves the source and runs on the
//! target (same id if free there, else the lowest free one).
//!
//! `-o s` stops a running migration: the partition is back to its state on the source
//! and `lslparmigr` says `Migration Stopped` until `-o r` clears it. A failed migration
//! (fault injection: `fail_migration = true` on the partition) leaves it `Migrating -
//! Running` on both systems and `Migration Failed` until `-o r` recovers it on the
//! source. The reply of the original `migrlpar -o m` is decided when it starts: a
//! migration stopped from another session still ends that call with exit 0.
//!
//! Validation refuses a move beyond the number of moves either system supports at once
//! (`lslparmigr -r sys`), and one whose processor compatibility modes the target does
//! not support: for an active move the current and the preferred mode, for an inactive
//! one the preferred mode (docs/procedures.md, "Relocation"). `-o r` is refused while
//! the move still runs.

use std::time::Duration;

use super::args::{Args, PartitionRef, Spec};
use super::listing::split_attributes;
use super::{messages, model, profile};
use crate::estate::{LparState, SystemState};
use crate::sim::estate::hmc::{MigrationKind, MigrationRun, RunStatus};
use crate::sim::estate::{HmcHost, SimLpar, SimSystem};
use crate::sim::reply::{Reply, Stream};
use crate::sim::world::World;

/// How long `migrlpar -o v` validates, and how long a validation error takes to come.
pub const VALIDATE_TIME: Duration = Duration::from_secs(8);
/// How long `-o s` and `-o r` work.
pub const STOP_TIME: Duration = Duration::from_secs(5);
/// An inactive migration moves only the configuration.
pub const INACTIVE_TIME: Duration = Duration::from_secs(20);
/// Share of an active migration spent in `Migration Starting`.
pub const STARTING_SHARE: f64 = 0.1;
/// Share of a migration done when an injected failure strikes.
const FAILURE_SHARE: f64 = 0.6;

/// An active migration takes 20 s plus 1 s per GB of memory, at most 60 s.
pub fn active_time(memory_mb: u64) -> Duration {
    model::secs((20.0 + memory_mb as f64 / 1024.0).min(60.0))
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
        "-n",
        "--redundantvios",
        "--mpio",
        "--vlanbridge",
        "--vsi",
        "--npivval",
        "--uuid",
        "--protectstorage",
        "--requirerr",
        "--redundantvnicbkdev",
        "--vniccfg",
        "--redundantmsps",
        "--migsriov",
        "--steps",
        "-i",
        "-f",
        "-w",
        "-d",
    ],
    flags: &[
        "--affinity",
        "--usecurrdata",
        "--force",
        "-v",
        "--nodetails",
    ],
    listing: false,
};

/// Runs `migrlpar`.
pub fn migrlpar(world: &mut World, hmc_name: &str, argv: &[String]) -> Reply {
    let now = world.now();
    let Some(hmc) = model::hmc(world, hmc_name) else {
        return Reply::silent();
    };
    let args = match Args::parse(argv, &SPEC) {
        Ok(args) => args,
        Err(reply) => return reply,
    };
    if args.help {
        return Reply::ok(
            "Usage: migrlpar -o {m | r | s | v} -m managed-system [-t target-managed-system] [--ip IP-address [-u user-ID]] {-p partition-name | --id partition-ID} [-i \"dest_lpar_id=N\"] [--vlanbridge {1 | 2}] [-w wait-time] [-d detail-level] [-v] [--help]\n",
        );
    }
    let result = match args.get("-o") {
        Some("v") => validate(hmc, &args).map(|_| Reply::silent().ending_after(VALIDATE_TIME)),
        Some("m") => match validate(hmc, &args) {
            Ok(plan) => Ok(start(world, hmc_name, plan, now)),
            Err(reply) => Err(reply),
        },
        Some("s") => stop(world, hmc_name, &args),
        Some("r") => recover(world, hmc_name, &args),
        _ => Err(messages::usage(&["-o"])),
    };
    result.unwrap_or_else(|reply| reply)
}

/// A checked migration, ready to start.
struct Plan {
    source: String,
    target: String,
    lpar: String,
    dest_id: u32,
    kind: MigrationKind,
    source_msp: Option<(String, u32)>,
    dest_msp: Option<(String, u32)>,
    fail: bool,
    memory_mb: u64,
}

/// An error found while validating: printed after the validation time.
fn late(reply: Reply) -> Reply {
    messages::after(VALIDATE_TIME, reply)
}

fn validate(hmc: &HmcHost, args: &Args) -> Result<Plan, Reply> {
    let (source_index, target_index, lpar_index) = model::move_operands(hmc, args)?;
    let source = &hmc.systems[source_index];
    let target = &hmc.systems[target_index];
    let lpar = &source.lpars[lpar_index];
    check(hmc, source_index, target_index, lpar, args).map_err(late)?;
    let kind = if lpar.state == LparState::Running {
        MigrationKind::Active
    } else {
        MigrationKind::Inactive
    };
    let dest_id = match requested_id(args)? {
        Some(id) => id,
        None => model::free_id(hmc, target_index, lpar.id),
    };
    Ok(Plan {
        source: source.name.clone(),
        target: target.name.clone(),
        lpar: lpar.name.clone(),
        dest_id,
        kind,
        source_msp: model::mover(source),
        dest_msp: model::mover(target),
        fail: lpar.fail_migration,
        memory_mb: lpar.memory_mb,
    })
}

/// `-i "dest_lpar_id=N"`; other `-i` attributes are accepted and ignored.
fn requested_id(args: &Args) -> Result<Option<u32>, Reply> {
    let Some(text) = args.get("-i") else {
        return Ok(None);
    };
    let pairs = split_attributes(text).map_err(|_| messages::usage(&["-i"]))?;
    pairs
        .iter()
        .find(|(name, _)| name == "dest_lpar_id")
        .map(|(_, value)| value.trim().parse().map_err(|_| messages::usage(&["-i"])))
        .transpose()
}

/// The validation rules of docs/formats.md, "HMC: migrlpar", in the order the HMC would
/// meet them.
fn check(
    hmc: &HmcHost,
    source_index: usize,
    target_index: usize,
    lpar: &SimLpar,
    args: &Args,
) -> Result<(), Reply> {
    let source = &hmc.systems[source_index];
    let target = &hmc.systems[target_index];
    let name = &lpar.name;
    if source_index == target_index {
        return Err(messages::hscl(
            "HSCLA602",
            "The source and destination managed systems must be different.",
        ));
    }
    if source.state != SystemState::Operating {
        return Err(messages::not_operating());
    }
    if target.state != SystemState::Operating {
        return Err(messages::hscl(
            "HSCLA601",
            format!(
                "The destination managed system {} is in the {} state. Partition migration needs it in the Operating state.",
                target.name, target.state
            ),
        ));
    }
    if lpar.env.is_vios() {
        return Err(messages::hscl(
            "HSCLA604",
            format!(
                "The partition {name} is a Virtual I/O Server. Partition migration operations can be performed for AIX, Linux, or IBM i partitions only."
            ),
        ));
    }
    if lpar.migration_disabled {
        return Err(messages::hscl(
            "HSCLA605",
            format!(
                "Partition migration is disabled for the partition {name} (migration_disabled=1)."
            ),
        ));
    }
    if lpar.physical_io {
        return Err(messages::hscl(
            "HSCLA606",
            format!(
                "The partition {name} owns physical I/O adapters. Remove them from the partition and its profile, then try the operation again."
            ),
        ));
    }
    if let Some(run) = &lpar.runtime.migration {
        return Err(messages::hscl(
            "HSCLA60D",
            match run.status {
                RunStatus::InProgress => format!("The partition {name} is already migrating."),
                _ => format!(
                    "The last migration of the partition {name} did not complete. Recover it with migrlpar -o r first."
                ),
            },
        ));
    }
    let kind = match lpar.state {
        LparState::Running => MigrationKind::Active,
        LparState::NotActivated => MigrationKind::Inactive,
        ref state => {
            return Err(messages::hscl(
                "HSCLA607",
                format!(
                    "The partition {name} is in the {state} state. An active migration needs the Running state and an inactive migration the Not Activated state."
                ),
            ))
        }
    };
    if kind == MigrationKind::Active && !model::rmc_active(source, lpar) {
        return Err(messages::hscl(
            "HSCLA608",
            format!(
                "There is no RMC connection to the partition {name}, so it cannot be migrated while it runs. Check the RMC connection (rmc_state) and try again."
            ),
        ));
    }
    for system in [source, target] {
        if !system.lpm_capable {
            return Err(messages::hscl(
                "HSCLA603",
                format!(
                    "The managed system {} does not support {} partition mobility.",
                    system.name,
                    if kind == MigrationKind::Active {
                        "active"
                    } else {
                        "inactive"
                    }
                ),
            ));
        }
    }
    for (index, system) in [(source_index, source), (target_index, target)] {
        let running = model::migrations_in_progress(hmc, index, kind);
        let supported = model::migrations_supported(system);
        if running >= supported {
            return Err(messages::hscl(
                "HSCLA617",
                format!(
                    "The managed system {} already takes part in {running} {} partition migrations, the number it supports at once ({supported}). Wait until one completes and try again.",
                    system.name,
                    if kind == MigrationKind::Active {
                        "active"
                    } else {
                        "inactive"
                    }
                ),
            ));
        }
    }
    let supported = model::compat_modes(target);
    let current = model::curr_mode(source, lpar);
    if kind == MigrationKind::Active && !supported.contains(&current.as_str()) {
        return Err(messages::hscl(
            "HSCLA613",
            format!(
                "The partition {name} runs in the {current} processor compatibility mode, which the destination managed system {} does not support.",
                target.name
            ),
        ));
    }
    let preferred = model::desired_mode(lpar);
    if !supported.contains(&preferred.as_str()) {
        return Err(messages::hscl(
            "HSCLA613",
            format!(
                "The preferred processor compatibility mode of the partition {name} is {preferred}, which the destination managed system {} does not support.",
                target.name
            ),
        ));
    }
    if kind == MigrationKind::Active {
        for system in [source, target] {
            if model::mover(system).is_none() {
                return Err(messages::hscl(
                    "HSCLA609",
                    format!(
                        "No mover service partition with an active RMC connection was found on the managed system {}.",
                        system.name
                    ),
                ));
            }
        }
    }
    let running_vios = model::vios(target)
        .filter(|vios| vios.state == LparState::Running)
        .count();
    let adapters = profile::fc_adapter_count(source, lpar);
    if adapters > running_vios {
        let (a, b) = profile::wwpns(lpar, running_vios);
        return Err(Reply::fail_stdout(
            format!(
                "HSCLA319 The migrating partition's virtual fibre channel client adapter {} cannot be hosted by the existing Virtual I/O Server (VIOS) partitions on the destination managed system. To migrate the partition, set up the necessary VIOS host on the destination managed system, then try the operation again.\nVIOS_DETAILED_ERROR\nClient Target WWPNs: {a} {b}\nThere are no FC adapters\nReturning from npiv_dest_adapter rc=83\nEnd Detailed Message.\n",
                5 + running_vios
            ),
            1,
        ));
    }
    if args.get("--vlanbridge") != Some("2") {
        let bridged = model::bridged_vlans(target);
        if let Some(vlan) = model::client_vlans(lpar)
            .into_iter()
            .find(|vlan| !bridged.contains(vlan))
        {
            return Err(messages::hscl(
                "HSCLA616",
                format!(
                    "The VLAN {vlan} of the partition {name} is not bridged by any Virtual I/O Server on the destination managed system {}.",
                    target.name
                ),
            ));
        }
    }
    if model::name_taken(hmc, target_index, name) {
        return Err(messages::hscl(
            "HSCLA60C",
            format!(
                "A partition named {name} already exists on the destination managed system {}.",
                target.name
            ),
        ));
    }
    if let Some(id) = requested_id(args)? {
        let free = model::free_id(hmc, target_index, id);
        if free != id {
            return Err(messages::hscl(
                "HSCLA614",
                format!(
                    "The partition ID {id} is already in use on the destination managed system {}.",
                    target.name
                ),
            ));
        }
    }
    if lpar.rr && !lpar.srr && target.rr_capable {
        let has_device = target.rspool.as_ref().is_some_and(|pool| {
            pool.created
                && pool
                    .devices
                    .iter()
                    .any(|d| d.lpar.is_none() && d.size_mb >= lpar.max_memory())
        });
        if !has_device {
            return Err(messages::hscl(
                "HSCLA615",
                format!(
                    "No free reserved storage device of at least {} MB is available on the destination managed system {} for the remote restart capable partition {name}.",
                    lpar.max_memory(),
                    target.name
                ),
            ));
        }
    }
    if kind == MigrationKind::Active {
        model::check_capacity(hmc, target_index, lpar, ("HSCLA60A", "HSCLA60B"))?;
    }
    Ok(())
}

fn lpar_mut<'a>(
    world: &'a mut World,
    hmc: &str,
    system: &str,
    lpar: &str,
) -> Option<&'a mut SimLpar> {
    model::system_mut(world, hmc, system)?
        .lpars
        .iter_mut()
        .find(|l| l.name == lpar)
}

fn start(world: &mut World, hmc_name: &str, plan: Plan, now: Duration) -> Reply {
    let duration = match plan.kind {
        MigrationKind::Active => active_time(plan.memory_mb),
        MigrationKind::Inactive => INACTIVE_TIME,
    };
    let Some(hmc) = model::hmc_mut(world, hmc_name) else {
        return Reply::silent();
    };
    let token = hmc.runtime.token();
    let Some(source) = hmc.systems.iter_mut().find(|s| s.name == plan.source) else {
        return Reply::silent();
    };
    let mode = source
        .lpars
        .iter()
        .find(|l| l.name == plan.lpar)
        .map(|lpar| model::curr_mode(source, lpar));
    let Some(lpar) = source.lpars.iter_mut().find(|l| l.name == plan.lpar) else {
        return Reply::silent();
    };
    let (state, total_bytes) = match plan.kind {
        MigrationKind::Active => (
            LparState::MigratingRunning,
            lpar.memory_mb.saturating_mul(1024 * 1024),
        ),
        MigrationKind::Inactive => (LparState::MigratingNotActivated, 0),
    };
    lpar.runtime.curr_compat_mode = mode;
    lpar.runtime.migration = Some(MigrationRun {
        token,
        kind: plan.kind,
        target: plan.target.clone(),
        dest_id: plan.dest_id,
        started: now,
        duration,
        total_bytes,
        status: RunStatus::InProgress,
        source_msp: plan.source_msp,
        dest_msp: plan.dest_msp,
        frozen_bytes: None,
    });
    model::set_lpar_state(lpar, state, now);
    let (hmc, source, name) = (hmc_name.to_string(), plan.source.clone(), plan.lpar.clone());
    if plan.fail {
        let at = duration.mul_f64(FAILURE_SHARE);
        world.schedule(at, move |world| {
            let now = world.now();
            if let Some(lpar) = lpar_mut(world, &hmc, &source, &name) {
                let bytes = sent_bytes(lpar, now);
                if let Some(run) = lpar.runtime.migration.as_mut().filter(|r| r.token == token) {
                    if run.status == RunStatus::InProgress {
                        run.status = RunStatus::Failed;
                        run.frozen_bytes = Some(bytes);
                        lpar.fail_migration = false;
                    }
                }
            }
        });
        return Reply::silent()
            .then(
                at,
                Stream::Stdout,
                format!(
                    "HSCLA610 The migration of the partition {} to the managed system {} failed: the destination stopped responding during the memory transfer. Run migrlpar -o r -m {} -p {} to recover the partition.\n",
                    plan.lpar, plan.target, plan.source, plan.lpar
                ),
            )
            .with_status(1);
    }
    world.schedule(duration, move |world| {
        finish(world, &hmc, &source, &name, token)
    });
    Reply::silent().ending_after(duration)
}

/// Completes a migration: the partition leaves the source and runs on the target.
fn finish(world: &mut World, hmc_name: &str, source: &str, name: &str, token: u64) {
    let now = world.now();
    let Some(hmc) = model::hmc_mut(world, hmc_name) else {
        return;
    };
    let Some(source_index) = hmc.systems.iter().position(|s| s.name == source) else {
        return;
    };
    let Some(index) = hmc.systems[source_index]
        .lpars
        .iter()
        .position(|l| l.name == name)
    else {
        return;
    };
    let lpar = &hmc.systems[source_index].lpars[index];
    let Some(run) = lpar.runtime.migration.clone() else {
        return;
    };
    if run.token != token || run.status != RunStatus::InProgress {
        return;
    }
    let Some(target_index) = hmc.systems.iter().position(|s| s.name == run.target) else {
        return;
    };
    if hmc.systems[target_index].state != SystemState::Operating {
        if let Some(run) = &mut hmc.systems[source_index].lpars[index].runtime.migration {
            run.status = RunStatus::Failed;
        }
        return;
    }
    let mut lpar = hmc.systems[source_index].lpars.remove(index);
    let device = lpar.rs_device.take();
    if let (Some(device), Some(pool)) = (&device, &mut hmc.systems[source_index].rspool) {
        for held in pool.devices.iter_mut().filter(|d| &d.name == device) {
            held.lpar = None;
        }
    }
    lpar.runtime.migration = None;
    lpar.id = run.dest_id;
    let state = match run.kind {
        MigrationKind::Active => LparState::Running,
        MigrationKind::Inactive => LparState::NotActivated,
    };
    model::set_lpar_state(&mut lpar, state, now);
    let target = &mut hmc.systems[target_index];
    if lpar.rr && !lpar.srr && target.rr_capable {
        assign_free_device(target, &mut lpar);
    }
    target.lpars.push(lpar);
}

/// Gives a remote restart partition arriving on `system` a free device of its pool.
fn assign_free_device(system: &mut SimSystem, lpar: &mut SimLpar) {
    let need = lpar.max_memory();
    let Some(pool) = system.rspool.as_mut().filter(|pool| pool.created) else {
        return;
    };
    if let Some(device) = pool
        .devices
        .iter_mut()
        .find(|d| d.lpar.is_none() && d.size_mb >= need)
    {
        device.lpar = Some(lpar.name.clone());
        lpar.rs_device = Some(device.name.clone());
        lpar.primary_rs_vios = pool.vios.first().cloned();
        lpar.secondary_rs_vios = pool.vios.get(1).cloned();
    }
}

/// Bytes sent so far by the migration of `lpar` at `now`.
pub fn sent_bytes(lpar: &SimLpar, now: Duration) -> u64 {
    let Some(run) = &lpar.runtime.migration else {
        return 0;
    };
    if let Some(bytes) = run.frozen_bytes {
        return bytes;
    }
    let elapsed = now.saturating_sub(run.started).as_secs_f64();
    let total = run.duration.as_secs_f64().max(1.0);
    let share = ((elapsed / total - STARTING_SHARE) / (1.0 - 2.0 * STARTING_SHARE)).clamp(0.0, 1.0);
    (run.total_bytes as f64 * share) as u64
}

fn source_lpar(hmc: &HmcHost, args: &Args) -> Result<(String, String), Reply> {
    let index = model::find_system(hmc, args.need("-m")?)?;
    let system = &hmc.systems[index];
    let which: PartitionRef = args.partition("-p")?;
    let lpar = &system.lpars[model::find_lpar(system, &which)?];
    Ok((system.name.clone(), lpar.name.clone()))
}

fn stop(world: &mut World, hmc_name: &str, args: &Args) -> Result<Reply, Reply> {
    let hmc = model::hmc(world, hmc_name).ok_or_else(Reply::silent)?;
    let (system, name) = source_lpar(hmc, args)?;
    let in_progress = hmc
        .systems
        .iter()
        .find(|s| s.name == system)
        .and_then(|s| s.lpars.iter().find(|l| l.name == name))
        .and_then(|l| l.runtime.migration.as_ref())
        .is_some_and(|run| run.status == RunStatus::InProgress);
    if !in_progress {
        return Err(messages::hscl(
            "HSCLA60E",
            format!("The partition {name} is not migrating; there is no migration to stop."),
        ));
    }
    let hmc_name = hmc_name.to_string();
    world.schedule(STOP_TIME, move |world| {
        let now = world.now();
        if let Some(lpar) = lpar_mut(world, &hmc_name, &system, &name) {
            let bytes = sent_bytes(lpar, now);
            if let Some(run) = &mut lpar.runtime.migration {
                if run.status == RunStatus::InProgress {
                    run.status = RunStatus::Stopped;
                    run.frozen_bytes = Some(bytes);
                    let state = match run.kind {
                        MigrationKind::Active => LparState::Running,
                        MigrationKind::Inactive => LparState::NotActivated,
                    };
                    model::set_lpar_state(lpar, state, now);
                }
            }
        }
    });
    Ok(Reply::silent().ending_after(STOP_TIME))
}

fn recover(world: &mut World, hmc_name: &str, args: &Args) -> Result<Reply, Reply> {
    let hmc = model::hmc(world, hmc_name).ok_or_else(Reply::silent)?;
    let (system, name) = source_lpar(hmc, args)?;
    let status = hmc
        .systems
        .iter()
        .find(|s| s.name == system)
        .and_then(|s| s.lpars.iter().find(|l| l.name == name))
        .and_then(|l| l.runtime.migration.as_ref())
        .map(|run| run.status);
    match status {
        None => {
            return Err(messages::hscl(
                "HSCLA60F",
                format!("There is no failed or stopped migration of the partition {name} to recover."),
            ))
        }
        Some(RunStatus::InProgress) => {
            return Err(messages::hscl(
                "HSCLA612",
                format!(
                    "The migration of the partition {name} is still in progress. Stop it with migrlpar -o s before recovering it."
                ),
            ))
        }
        Some(_) => {}
    }
    let hmc_name = hmc_name.to_string();
    world.schedule(STOP_TIME, move |world| {
        let now = world.now();
        let Some(sys) = model::system_mut(world, &hmc_name, &system) else {
            return;
        };
        let operating = sys.state == SystemState::Operating;
        if let Some(lpar) = sys.lpars.iter_mut().find(|l| l.name == name) {
            if let Some(run) = lpar.runtime.migration.take() {
                let state = match (run.kind, operating, &lpar.state) {
                    (_, _, LparState::NotActivated) => LparState::NotActivated,
                    (MigrationKind::Active, true, _) => LparState::Running,
                    _ => LparState::NotActivated,
                };
                model::set_lpar_state(lpar, state, now);
            }
        }
    });
    Ok(Reply::silent().ending_after(STOP_TIME))
}
