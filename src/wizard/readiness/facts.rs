//! What the readiness what-if needs besides the snapshots: the free memory and
//! processing units of every system that could take partitions, the sizes of every
//! system's partitions (from their profiles, since a failed system cannot say what its
//! partitions use), and the reserved storage device size each PowerVM remote restart
//! partition needs (`lsrsdevsize`). All of it is read with read-only commands; what
//! cannot be read is kept as the reason, so the partitions it concerns are `unknown`.

use std::collections::HashMap;

use futures::future::join_all;

use crate::estate::{Lpar, SourceData, SourceSnapshot};
use crate::exec::Exec;
use crate::sources::hmc::commands::{self, SystemResource};
use crate::sources::hmc::{self, Record};
use crate::sources::{read, HostError, RemoteCommand};
use crate::wizard::capacity::PartitionSize;

use super::{m_names, needs_restart};

/// Free memory and processing units of a system, after its own running load.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Free {
    /// `curr_avail_sys_mem`, MB.
    pub memory_mb: u64,
    /// `curr_avail_sys_proc_units`.
    pub proc_units: f64,
}

/// The facts of one managed system. `Err` holds why a fact could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct SystemFacts {
    /// Its free resources, as a target (read only for `Operating` systems).
    pub free: Result<Free, String>,
    /// Every profile of its partitions.
    pub sizes: Result<Vec<PartitionSize>, String>,
    /// By partition: the reserved storage device size it needs, MB (`lsrsdevsize`).
    pub device_needs: HashMap<String, Result<u64, String>>,
}

impl SystemFacts {
    /// The facts of a system with nothing read yet.
    pub fn unread(why: &str) -> Self {
        SystemFacts {
            free: Err(why.to_string()),
            sizes: Err(why.to_string()),
            device_needs: HashMap::new(),
        }
    }

    /// What `lpar` needs on a target: the size from its current profile, else its
    /// default one, else its only one.
    pub fn size_of(&self, lpar: &Lpar) -> Result<&PartitionSize, String> {
        let sizes = self.sizes.as_ref().map_err(Clone::clone)?;
        let mut theirs = sizes.iter().filter(|size| size.lpar == lpar.name);
        let named = lpar.curr_profile.as_ref().or(lpar.default_profile.as_ref());
        let found = match named {
            Some(profile) => theirs.find(|size| &size.profile == profile),
            None => theirs.next().filter(|_| theirs.next().is_none()),
        };
        found.ok_or_else(|| match named {
            Some(profile) => format!("no size read for {} (profile {profile})", lpar.name),
            None => format!("no size read for {} (no profile named)", lpar.name),
        })
    }
}

/// The facts of every managed system, by HMC then by the name `-m` takes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReadinessFacts {
    /// HMC name → system `-m` name → its facts.
    pub systems: HashMap<String, HashMap<String, SystemFacts>>,
}

impl ReadinessFacts {
    /// The facts of `system` (its `-m` name) on `hmc`, if any were read.
    pub fn get(&self, hmc: &str, system: &str) -> Option<&SystemFacts> {
        self.systems.get(hmc)?.get(system)
    }

    /// Sets the facts of `system` on `hmc`.
    pub fn insert(&mut self, hmc: &str, system: &str, facts: SystemFacts) {
        self.systems
            .entry(hmc.to_string())
            .or_default()
            .insert(system.to_string(), facts);
    }
}

/// Reads the facts of every system in `snapshots`, all systems at once.
pub async fn read_facts<E: Exec>(exec: &E, snapshots: &[SourceSnapshot]) -> ReadinessFacts {
    let mut reads = Vec::new();
    for snapshot in snapshots {
        let SourceData::Hmc(systems) = &snapshot.data else {
            continue;
        };
        let names = m_names(systems);
        for (data, name) in systems.iter().zip(names) {
            let hmc = snapshot.name.as_str();
            reads.push(async move {
                let free = async {
                    if data.system.state.accepts_partitions() {
                        read_free(exec, hmc, &name).await
                    } else {
                        Err(format!("{name} is {}", data.system.state))
                    }
                };
                let listed: Vec<&Lpar> = data.lpars.iter().filter(|l| needs_restart(l)).collect();
                let sizes = async {
                    if listed.is_empty() {
                        Ok(Vec::new())
                    } else {
                        read_sizes(exec, hmc, &name).await
                    }
                };
                let needs = join_all(
                    listed
                        .iter()
                        .filter(|lpar| {
                            lpar.needs_reserved_storage() && lpar.rs.device_name.is_some()
                        })
                        .map(|lpar| async {
                            let need = read_device_need(exec, hmc, &name, &lpar.name).await;
                            (lpar.name.clone(), need)
                        }),
                );
                let (free, sizes, needs) = tokio::join!(free, sizes, needs);
                let facts = SystemFacts {
                    free,
                    sizes,
                    device_needs: needs.into_iter().collect(),
                };
                (hmc, name, facts)
            });
        }
    }
    let mut facts = ReadinessFacts::default();
    for (hmc, name, system) in join_all(reads).await {
        facts.insert(hmc, &name, system);
    }
    facts
}

/// `lshwres -r mem|proc -m SYS --level sys`: what `system` has free.
async fn read_free<E: Exec>(exec: &E, hmc: &str, system: &str) -> Result<Free, String> {
    let memory = commands::lshwres_sys(system, SystemResource::Memory, &["curr_avail_sys_mem"]);
    let units = commands::lshwres_sys(
        system,
        SystemResource::Processors,
        &["curr_avail_sys_proc_units"],
    );
    let (memory, units) = (
        memory.map_err(|e| e.to_string())?,
        units.map_err(|e| e.to_string())?,
    );
    let (memory, units) = tokio::join!(
        one_number(exec, hmc, &memory, "curr_avail_sys_mem"),
        one_number(exec, hmc, &units, "curr_avail_sys_proc_units"),
    );
    Ok(Free {
        memory_mb: memory? as u64,
        proc_units: units?,
    })
}

/// `lssyscfg -r prof -m SYS`: the size of every profile of `system`'s partitions.
async fn read_sizes<E: Exec>(
    exec: &E,
    hmc: &str,
    system: &str,
) -> Result<Vec<PartitionSize>, String> {
    let fields = [
        "lpar_name",
        "name",
        "desired_mem",
        "proc_mode",
        "desired_proc_units",
        "desired_procs",
    ];
    let command = commands::lssyscfg_prof(system, &[], &[], &fields).map_err(|e| e.to_string())?;
    let output = run(exec, hmc, &command).await?;
    let parsed = hmc::parse_fields(&output, ',', &fields, false)
        .map_err(|error| cannot_read(&command, &error.to_string()))?;
    parsed
        .items
        .iter()
        .map(|record| size(record).ok_or_else(|| cannot_read(&command, "a profile without sizes")))
        .collect()
}

/// `lsrsdevsize -m SYS -p LPAR`: the reserved storage device size `lpar` needs, MB.
async fn read_device_need<E: Exec>(
    exec: &E,
    hmc: &str,
    system: &str,
    lpar: &str,
) -> Result<u64, String> {
    let command = commands::lsrsdevsize(system, lpar).map_err(|e| e.to_string())?;
    let output = run(exec, hmc, &command).await?;
    let parsed = hmc::parse_records(&output).map_err(|e| cannot_read(&command, &e.to_string()))?;
    match parsed.items.as_slice() {
        [record] => record
            .get("size")
            .and_then(parse_number)
            .map(|mb| mb as u64)
            .ok_or_else(|| cannot_read(&command, "no size")),
        _ => Err(cannot_read(&command, "not one record")),
    }
}

fn size(record: &Record) -> Option<PartitionSize> {
    let get = |name: &str| record.get(name);
    let proc_units = if get("proc_mode") == Some("ded") {
        parse_number(get("desired_procs")?)?
    } else {
        parse_number(get("desired_proc_units")?)?
    };
    Some(PartitionSize {
        lpar: get("lpar_name")?.to_string(),
        profile: get("name")?.to_string(),
        memory_mb: parse_number(get("desired_mem")?)? as u64,
        proc_units,
    })
}

fn parse_number(text: &str) -> Option<f64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|value| value.is_finite() && *value >= 0.0)
}

async fn one_number<E: Exec>(
    exec: &E,
    hmc: &str,
    command: &RemoteCommand,
    field: &str,
) -> Result<f64, String> {
    let output = run(exec, hmc, command).await?;
    let parsed = hmc::parse_fields(&output, ',', &[field], false)
        .map_err(|error| cannot_read(command, &error.to_string()))?;
    match parsed.items.as_slice() {
        [record] => record
            .get(field)
            .and_then(parse_number)
            .ok_or_else(|| cannot_read(command, &format!("no number for {field}"))),
        _ => Err(cannot_read(command, "not one record")),
    }
}

async fn run<E: Exec>(exec: &E, hmc: &str, command: &RemoteCommand) -> Result<String, String> {
    let output = read(exec, hmc, command)
        .await
        .map_err(|error| cannot_read(command, &error.to_string()))?;
    HostError::check(&output)
        .map(str::to_string)
        .map_err(|error| cannot_read(command, &error.to_string()))
}

fn cannot_read(command: &RemoteCommand, why: &str) -> String {
    format!("could not read {}: {why}", command.line())
}
