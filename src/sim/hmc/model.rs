//! Reading the simulated estate the way an HMC presents it: finding systems and
//! partitions by name, the state a partition shows given its system's state, free
//! capacity, free ids, processor compatibility modes.

use std::time::Duration;

use super::args::{Args, PartitionRef};
use super::messages;
use crate::estate::{LparState, SystemState};
use crate::sim::estate::hmc::{MigrationKind, RunStatus};
use crate::sim::estate::{HmcHost, SimLpar, SimSystem};
use crate::sim::reply::Reply;
use crate::sim::world::World;

/// The HMC called `name`.
pub fn hmc<'a>(world: &'a World, name: &str) -> Option<&'a HmcHost> {
    world.estate.hmc.iter().find(|hmc| hmc.name == name)
}

/// The HMC called `name`, to change it.
pub fn hmc_mut<'a>(world: &'a mut World, name: &str) -> Option<&'a mut HmcHost> {
    world.estate.hmc.iter_mut().find(|hmc| hmc.name == name)
}

/// `tttt-mmm*sssssss`.
pub fn mtms(system: &SimSystem) -> String {
    format!("{}*{}", system.type_model, system.serial_num)
}

/// The index of the system `-m` names: its user-defined name or its MTMS.
pub fn find_system(hmc: &HmcHost, name: &str) -> Result<usize, Reply> {
    hmc.systems
        .iter()
        .position(|system| system.name == name || mtms(system) == name)
        .ok_or_else(|| messages::not_found("managed system", name))
}

/// The index of a partition of `system`.
pub fn find_lpar(system: &SimSystem, which: &PartitionRef) -> Result<usize, Reply> {
    system
        .lpars
        .iter()
        .position(|lpar| match which {
            PartitionRef::Name(name) => &lpar.name == name,
            PartitionRef::Id(id) => lpar.id == *id,
        })
        .ok_or_else(|| {
            messages::not_found(
                "partition",
                &format!("{which} on managed system {}", system.name),
            )
        })
}

/// The system has crashed or is off: its partitions are not running any more.
pub fn is_down(state: &SystemState) -> bool {
    matches!(
        state,
        SystemState::PowerOff
            | SystemState::Error
            | SystemState::ErrorTerminated
            | SystemState::ErrorDumpInProgress
    )
}

/// The HMC cannot show live partition states: they print `Not Available` (docs/formats.md,
/// "HMC: partition states": seen right after `chsysstate -o off --immed`).
pub fn hides_partitions(state: &SystemState) -> bool {
    !matches!(
        state,
        SystemState::Operating
            | SystemState::Standby
            | SystemState::PowerOff
            | SystemState::Initializing
    )
}

/// The HMC does not know the system's capabilities now: `*_capable` flags and limits
/// print `unavailable` (docs/formats.md, "HMC: lssyscfg -r sys").
pub fn capabilities_unknown(state: &SystemState) -> bool {
    matches!(
        state,
        SystemState::PowerOff
            | SystemState::NoConnection
            | SystemState::FailedAuthentication
            | SystemState::PendingAuthentication
            | SystemState::VersionMismatch
            | SystemState::Incomplete
    )
}

/// The state a partition shows.
pub fn lpar_state(system: &SimSystem, lpar: &SimLpar) -> LparState {
    if hides_partitions(&system.state) {
        LparState::NotAvailable
    } else {
        lpar.state.clone()
    }
}

/// RMC is connected: the partition runs an OS that has reached the HMC over its
/// `rmc_ipaddr`.
pub fn rmc_active(system: &SimSystem, lpar: &SimLpar) -> bool {
    let state = lpar_state(system, lpar);
    let running = matches!(state, LparState::Running | LparState::MigratingRunning);
    running
        && !lpar.never_activated
        && !lpar.rmc_ipaddr.is_empty()
        && lpar
            .rmc_state
            .as_ref()
            .is_none_or(|rmc| rmc.as_str() == "active")
}

/// The partition holds memory and processors of its system.
pub fn uses_resources(lpar: &SimLpar) -> bool {
    lpar.state.is_on()
}

/// Generation number of a system (`POWER7+` is 7); unknown counts as modern.
pub fn generation(system: &SimSystem) -> u32 {
    let digits: String = system
        .generation
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap_or(9)
}

/// Processor compatibility modes a system supports (`lpar_proc_compat_modes`).
pub fn compat_modes(system: &SimSystem) -> &'static [&'static str] {
    match generation(system) {
        0..=6 => &["default", "POWER6"],
        7 => &["default", "POWER6", "POWER6+", "POWER7"],
        8 => &["default", "POWER6", "POWER6+", "POWER7", "POWER8"],
        9 => &["default", "POWER7", "POWER8", "POWER9", "POWER9_base"],
        _ => &["default", "POWER8", "POWER9", "POWER9_base", "POWER10"],
    }
}

/// The mode a `default` partition runs in on this system.
pub fn native_mode(system: &SimSystem) -> &'static str {
    match generation(system) {
        0..=6 => "POWER6",
        7 => "POWER7",
        8 => "POWER8",
        9 => "POWER9",
        _ => "POWER10",
    }
}

/// `desired_lpar_proc_compat_mode`.
pub fn desired_mode(lpar: &SimLpar) -> String {
    lpar.compat_mode
        .clone()
        .unwrap_or_else(|| "default".to_string())
}

/// `curr_lpar_proc_compat_mode`: kept from before a migration, else the desired mode,
/// else the system's own.
pub fn curr_mode(system: &SimSystem, lpar: &SimLpar) -> String {
    if let Some(mode) = &lpar.runtime.curr_compat_mode {
        return mode.clone();
    }
    match lpar.compat_mode.as_deref() {
        Some(mode) if mode != "default" && compat_modes(system).contains(&mode) => mode.to_string(),
        _ => native_mode(system).to_string(),
    }
}

/// A partition of another system on its way into `target`: shown there while the
/// migration runs or waits for recovery.
pub struct Incoming<'a> {
    /// The system it migrates from.
    pub source: &'a SimSystem,
    /// The partition, still held by the source.
    pub lpar: &'a SimLpar,
    /// Its id on the destination.
    pub dest_id: u32,
    /// Active or inactive.
    pub kind: MigrationKind,
    /// Running, or failed and waiting for `migrlpar -o r`.
    pub status: RunStatus,
}

/// Partitions migrating into the system called `target`.
pub fn incoming<'a>(hmc: &'a HmcHost, target: &str) -> Vec<Incoming<'a>> {
    let mut found = Vec::new();
    for source in &hmc.systems {
        for lpar in &source.lpars {
            if let Some(run) = &lpar.runtime.migration {
                if run.target == target && run.status != RunStatus::Stopped {
                    found.push(Incoming {
                        source,
                        lpar,
                        dest_id: run.dest_id,
                        kind: run.kind,
                        status: run.status,
                    });
                }
            }
        }
    }
    found
}

/// Moves of one kind a system takes part in at once, unless the estate says otherwise.
pub const DEFAULT_MAX_MIGRATIONS: u32 = 16;

/// How many moves of each kind `system` takes part in at once, at most.
pub fn migrations_supported(system: &SimSystem) -> u32 {
    system.max_migrations.unwrap_or(DEFAULT_MAX_MIGRATIONS)
}

/// Moves of `kind` running now from or to system `index` (stopped and failed ones wait
/// for `-o r` and no longer move anything).
pub fn migrations_in_progress(hmc: &HmcHost, index: usize, kind: MigrationKind) -> u32 {
    let Some(system) = hmc.systems.get(index) else {
        return 0;
    };
    let outgoing = system
        .lpars
        .iter()
        .filter_map(|lpar| lpar.runtime.migration.as_ref())
        .filter(|run| run.kind == kind && run.status == RunStatus::InProgress)
        .count();
    let arriving = incoming(hmc, &system.name)
        .iter()
        .filter(|i| i.kind == kind && i.status == RunStatus::InProgress)
        .count();
    u32::try_from(outgoing + arriving).unwrap_or(u32::MAX)
}

/// The source system, target system and partition a move (`migrlpar -o v|m`,
/// `rrstartlpar -o validate|restart`) names with `-m`, `-t` and `-p`/`--id`, as indices
/// into the HMC; a cross-HMC `--ip` is refused as this simulator has one HMC per move.
pub fn move_operands(hmc: &HmcHost, args: &Args) -> Result<(usize, usize, usize), Reply> {
    let source_index = find_system(hmc, args.need("-m")?)?;
    let target_name = args.need("-t")?;
    let which = args.partition("-p")?;
    if let Some(ip) = args.get("--ip") {
        if ip != hmc.name {
            return Err(messages::no_remote_hmc(args.get("-u").unwrap_or("hscroot")));
        }
    }
    let target_index = find_system(hmc, target_name)?;
    let lpar_index = find_lpar(&hmc.systems[source_index], &which)?;
    Ok((source_index, target_index, lpar_index))
}

/// Refuses a partition that does not fit on system `index` of `hmc`, with the HSCL codes
/// the calling command uses for memory and for processing units.
pub fn check_capacity(
    hmc: &HmcHost,
    index: usize,
    lpar: &SimLpar,
    codes: (&str, &str),
) -> Result<(), Reply> {
    let target = &hmc.systems[index].name;
    let name = &lpar.name;
    let (memory, units) = free_capacity(hmc, index);
    if memory < lpar.memory_mb {
        return Err(messages::hscl(
            codes.0,
            format!(
                "There is not enough memory available on the destination managed system {target}: the partition {name} needs {} MB and {memory} MB are available.",
                lpar.memory_mb
            ),
        ));
    }
    if units + 1e-9 < lpar.units() {
        return Err(messages::hscl(
            codes.1,
            format!(
                "There are not enough processing units available on the destination managed system {target}: the partition {name} needs {:.2} and {units:.2} are available.",
                lpar.units()
            ),
        ));
    }
    Ok(())
}

/// Memory (MB) and processing units of `system` not held by its partitions or by
/// active migrations into it.
pub fn free_capacity(hmc: &HmcHost, index: usize) -> (u64, f64) {
    let Some(system) = hmc.systems.get(index) else {
        return (0, 0.0);
    };
    let mut memory = 0u64;
    let mut units = 0.0f64;
    for lpar in system.lpars.iter().filter(|lpar| uses_resources(lpar)) {
        memory = memory.saturating_add(lpar.memory_mb);
        units += lpar.units();
    }
    for incoming in incoming(hmc, &system.name) {
        if incoming.kind == MigrationKind::Active {
            memory = memory.saturating_add(incoming.lpar.memory_mb);
            units += incoming.lpar.units();
        }
    }
    let total_units = if system.proc_units.is_finite() {
        system.proc_units
    } else {
        0.0
    };
    (
        system.memory_mb.saturating_sub(memory),
        (total_units - units).max(0.0),
    )
}

/// A partition name is taken on `system` (by a partition or an incoming migration).
pub fn name_taken(hmc: &HmcHost, index: usize, name: &str) -> bool {
    let Some(system) = hmc.systems.get(index) else {
        return false;
    };
    system.lpars.iter().any(|lpar| lpar.name == name)
        || incoming(hmc, &system.name)
            .iter()
            .any(|incoming| incoming.lpar.name == name)
}

/// `wanted` when it is free on `system`, else the lowest free partition id.
pub fn free_id(hmc: &HmcHost, index: usize, wanted: u32) -> u32 {
    let Some(system) = hmc.systems.get(index) else {
        return wanted.max(1);
    };
    let mut used: Vec<u32> = system.lpars.iter().map(|lpar| lpar.id).collect();
    used.extend(incoming(hmc, &system.name).iter().map(|i| i.dest_id));
    if wanted >= 1 && !used.contains(&wanted) {
        return wanted;
    }
    (1..=u32::MAX)
        .find(|id| !used.contains(id))
        .unwrap_or(u32::MAX)
}

/// The VIOS of a system, in estate order.
pub fn vios(system: &SimSystem) -> impl Iterator<Item = &SimLpar> {
    system.lpars.iter().filter(|lpar| lpar.env.is_vios())
}

/// A running mover service partition with RMC, if the system has one.
pub fn mover(system: &SimSystem) -> Option<(String, u32)> {
    vios(system)
        .find(|vios| vios.msp && rmc_active(system, vios))
        .map(|vios| (vios.name.clone(), vios.id))
}

/// Client partitions of a system (everything but the VIOS).
pub fn clients(system: &SimSystem) -> impl Iterator<Item = &SimLpar> {
    system.lpars.iter().filter(|lpar| !lpar.env.is_vios())
}

/// VLANs a client's adapter carries: port VLAN first (default 1).
pub fn client_vlans(lpar: &SimLpar) -> Vec<u32> {
    if lpar.vlans.is_empty() {
        vec![1]
    } else {
        lpar.vlans.clone()
    }
}

/// VLANs the VIOS of `system` bridge: their explicit lists, else every VLAN its clients
/// use.
pub fn bridged_vlans(system: &SimSystem) -> Vec<u32> {
    let mut vlans: Vec<u32> = vios(system)
        .flat_map(|vios| vios.vlans.iter().copied())
        .collect();
    if vlans.is_empty() {
        vlans = clients(system).flat_map(client_vlans).collect();
        vlans.push(1);
    }
    vlans.sort_unstable();
    vlans.dedup();
    vlans
}

/// A duration of `secs` simulated seconds; nonsense (NaN, negative, huge) is clamped.
pub fn secs(secs: f64) -> Duration {
    if secs.is_finite() && secs > 0.0 {
        Duration::from_secs_f64(secs.min(1.0e7))
    } else {
        Duration::ZERO
    }
}

/// Sets a partition's state and remembers when.
pub fn set_lpar_state(lpar: &mut SimLpar, state: LparState, now: Duration) {
    lpar.state = state;
    lpar.runtime.state_since = Some(now);
}

/// Sets a system's state and remembers when.
pub fn set_system_state(system: &mut SimSystem, state: SystemState, now: Duration) {
    system.state = state;
    system.runtime.state_since = Some(now);
}

/// Brings partitions in line with their systems before a command runs: on a system
/// that is off or has crashed nothing runs any more (its partitions are `Not
/// Activated` underneath whatever the HMC shows), and migrations from or to it have
/// failed. A system's state may change behind the simulator's back (`simctl state`,
/// scripted faults), so this runs before every command.
pub fn settle(hmc: &mut HmcHost, now: Duration) {
    let down: Vec<String> = hmc
        .systems
        .iter()
        .filter(|system| is_down(&system.state))
        .map(|system| system.name.clone())
        .collect();
    if down.is_empty() {
        return;
    }
    for system in &mut hmc.systems {
        let system_down = down.contains(&system.name);
        for lpar in &mut system.lpars {
            if let Some(run) = &mut lpar.runtime.migration {
                if run.status == RunStatus::InProgress
                    && (system_down || down.contains(&run.target))
                {
                    run.status = RunStatus::Failed;
                    run.frozen_bytes = Some(0);
                }
            }
            if system_down && lpar.state != LparState::NotActivated {
                lpar.runtime.power_token = lpar.runtime.power_token.wrapping_add(1);
                set_lpar_state(lpar, LparState::NotActivated, now);
            }
        }
    }
}

/// The system `system` of the HMC `hmc`, to change it (for scheduled events, which
/// find what they change by name).
pub fn system_mut<'a>(world: &'a mut World, hmc: &str, system: &str) -> Option<&'a mut SimSystem> {
    hmc_mut(world, hmc)?
        .systems
        .iter_mut()
        .find(|s| s.name == system)
}
