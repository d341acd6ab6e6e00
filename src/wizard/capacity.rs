//! Will the partitions fit? The target's free memory and processing units, and what each
//! partition needs, read before a remote restart or a relocation so the plan refuses at
//! planning time rather than at the HMC's error half way through.
//!
//! The failed source of a remote restart cannot report what its partitions use now, so
//! their sizes come from their profiles, which the HMC keeps (docs/procedures.md, "Remote
//! restart"). A partition that moves while it runs takes what it holds now, which its
//! running source reports (docs/procedures.md, "Relocation").

use crate::exec::{CommandOutput, Exec};
use crate::sources::hmc::commands::{self, SystemResource};
use crate::sources::hmc::{self, Record};
use crate::sources::{read, HostError, RemoteCommand};

use super::PlanError;

/// What one partition needs on the system it lands on.
#[derive(Debug, Clone, PartialEq)]
pub struct PartitionSize {
    /// The partition.
    pub lpar: String,
    /// The profile the size comes from (`(current)` for what a running partition holds).
    pub profile: String,
    /// Desired memory, MB.
    pub memory_mb: u64,
    /// Desired processing units (dedicated processors count one unit each).
    pub proc_units: f64,
}

/// The target's free resources and the sizes of the source's partitions.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CapacityFacts {
    /// `curr_avail_sys_mem` of the target, MB.
    pub free_memory_mb: u64,
    /// `curr_avail_sys_proc_units` of the target.
    pub free_proc_units: f64,
    /// Every profile of the source's partitions.
    pub sizes: Vec<PartitionSize>,
}

impl CapacityFacts {
    /// The size of `lpar` from `profile` (its current or default one), or its only
    /// profile when none is named.
    pub fn size_of(&self, lpar: &str, profile: Option<&str>) -> Option<&PartitionSize> {
        let mut theirs = self.sizes.iter().filter(|size| size.lpar == lpar);
        match profile {
            Some(profile) => theirs.find(|size| size.profile == profile),
            None => {
                let first = theirs.next()?;
                theirs.next().is_none().then_some(first)
            }
        }
    }
}

/// What `needed` partitions take together, and whether it fits in the free resources.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// Memory they need together, MB.
    pub memory_mb: u64,
    /// Processing units they need together.
    pub proc_units: f64,
    /// The partitions that fit, taken in order until one does not.
    pub fitting: Vec<String>,
}

impl Fit {
    /// Everything fits.
    pub fn all(&self, count: usize) -> bool {
        self.fitting.len() == count
    }
}

/// Sums `sizes` in order against the free resources of `facts`.
pub fn fit(facts: &CapacityFacts, sizes: &[&PartitionSize]) -> Fit {
    let mut memory_mb = 0u64;
    let mut proc_units = 0.0f64;
    let mut fitting = Vec::new();
    let mut full = false;
    for size in sizes {
        memory_mb = memory_mb.saturating_add(size.memory_mb);
        proc_units += size.proc_units;
        full =
            full || memory_mb > facts.free_memory_mb || proc_units > facts.free_proc_units + 1e-9;
        if !full {
            fitting.push(size.lpar.clone());
        }
    }
    Fit {
        memory_mb,
        proc_units,
        fitting,
    }
}

/// Reads the free memory and processing units of `target` and the profiles of
/// `source`'s partitions through the HMC `hmc`. Anything unreadable is "cannot tell".
pub async fn read_capacity<E: Exec>(
    exec: &E,
    hmc: &str,
    source: &str,
    target: &str,
) -> Result<CapacityFacts, PlanError> {
    let (free_memory_mb, free_proc_units) = read_free(exec, hmc, target).await?;
    let fields = [
        "lpar_name",
        "name",
        "desired_mem",
        "proc_mode",
        "desired_proc_units",
        "desired_procs",
    ];
    let command = commands::lssyscfg_prof(source, &[], &[], &fields)?;
    let output = run(exec, hmc, &command).await?;
    let parsed = hmc::parse_fields(&output, ',', &fields, false)
        .map_err(|error| cannot_tell(&command, &error.to_string()))?;
    let sizes = parsed
        .items
        .iter()
        .map(|record| size(record).ok_or_else(|| cannot_tell(&command, "a profile without sizes")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CapacityFacts {
        free_memory_mb,
        free_proc_units,
        sizes,
    })
}

/// The memory (MB) and processing units `system` has free now
/// (`lshwres -r mem|proc --level sys`).
pub async fn read_free<E: Exec>(
    exec: &E,
    hmc: &str,
    system: &str,
) -> Result<(u64, f64), PlanError> {
    let memory = one_value(
        exec,
        hmc,
        commands::lshwres_sys(system, SystemResource::Memory, &["curr_avail_sys_mem"])?,
        "curr_avail_sys_mem",
    )
    .await?;
    let units = one_value(
        exec,
        hmc,
        commands::lshwres_sys(
            system,
            SystemResource::Processors,
            &["curr_avail_sys_proc_units"],
        )?,
        "curr_avail_sys_proc_units",
    )
    .await?;
    Ok((
        parse_number(&memory).ok_or_else(|| {
            PlanError::cannot_tell(format!("curr_avail_sys_mem of {system} is {memory:?}"))
        })? as u64,
        parse_number(&units).ok_or_else(|| {
            PlanError::cannot_tell(format!(
                "curr_avail_sys_proc_units of {system} is {units:?}"
            ))
        })?,
    ))
}

/// What a running partition holds now (`lshwres -r mem|proc --level lpar`): its
/// current memory, and its current processing units (its processors when dedicated).
/// A move takes exactly that to the target, whatever its profile says.
pub async fn read_current_size<E: Exec>(
    exec: &E,
    hmc: &str,
    system: &str,
    lpar: &str,
) -> Result<PartitionSize, PlanError> {
    let memory = one_value(
        exec,
        hmc,
        commands::lshwres_lpar(system, SystemResource::Memory, lpar, &["curr_mem"])?,
        "curr_mem",
    )
    .await?;
    let fields = ["curr_proc_mode", "curr_proc_units", "curr_procs"];
    let command = commands::lshwres_lpar(system, SystemResource::Processors, lpar, &fields)?;
    let output = run(exec, hmc, &command).await?;
    let parsed = hmc::parse_fields(&output, ',', &fields, false)
        .map_err(|error| cannot_tell(&command, &error.to_string()))?;
    let [record] = parsed.items.as_slice() else {
        return Err(cannot_tell(&command, "not one record"));
    };
    let get = |name: &str| record.attributes.get(name).unwrap_or_default();
    let units = if get("curr_proc_mode") == "ded" {
        get("curr_procs")
    } else {
        get("curr_proc_units")
    };
    Ok(PartitionSize {
        lpar: lpar.to_string(),
        profile: "(current)".to_string(),
        memory_mb: parse_number(&memory)
            .ok_or_else(|| PlanError::cannot_tell(format!("curr_mem of {lpar} is {memory:?}")))?
            as u64,
        proc_units: parse_number(units).ok_or_else(|| {
            PlanError::cannot_tell(format!(
                "the current processing units of {lpar} are {units:?}"
            ))
        })?,
    })
}

fn size(record: &Record) -> Option<PartitionSize> {
    let get = |name: &str| record.attributes.get(name);
    let dedicated = get("proc_mode") == Some("ded");
    let proc_units = if dedicated {
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

async fn one_value<E: Exec>(
    exec: &E,
    hmc: &str,
    command: RemoteCommand,
    field: &str,
) -> Result<String, PlanError> {
    let output = run(exec, hmc, &command).await?;
    let parsed = hmc::parse_fields(&output, ',', &[field], false)
        .map_err(|error| cannot_tell(&command, &error.to_string()))?;
    match parsed.items.as_slice() {
        [record] => record
            .attributes
            .get(field)
            .map(str::to_string)
            .ok_or_else(|| cannot_tell(&command, "no value")),
        _ => Err(cannot_tell(&command, "not one record")),
    }
}

async fn run<E: Exec>(exec: &E, hmc: &str, command: &RemoteCommand) -> Result<String, PlanError> {
    let output: CommandOutput = read(exec, hmc, command)
        .await
        .map_err(|error| cannot_tell(command, &error.to_string()))?;
    HostError::check(&output)
        .map(str::to_string)
        .map_err(|error| cannot_tell(command, &error.to_string()))
}

fn cannot_tell(command: &RemoteCommand, why: &str) -> PlanError {
    PlanError::cannot_tell(format!("could not read {}: {why}", command.line()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(lpar: &str, memory_mb: u64, proc_units: f64) -> PartitionSize {
        PartitionSize {
            lpar: lpar.to_string(),
            profile: "default".to_string(),
            memory_mb,
            proc_units,
        }
    }

    #[test]
    fn partitions_fit_in_order_until_one_does_not() {
        let facts = CapacityFacts {
            free_memory_mb: 10_000,
            free_proc_units: 2.0,
            sizes: Vec::new(),
        };
        let (a, b, c) = (
            size("a", 4_000, 0.5),
            size("b", 4_000, 1.0),
            size("c", 4_000, 0.5),
        );
        let fit = fit(&facts, &[&a, &b, &c]);
        assert_eq!(fit.fitting, ["a", "b"]);
        assert_eq!((fit.memory_mb, fit.proc_units), (12_000, 2.0));
        assert!(!fit.all(3));
        let exact = super::fit(&facts, &[&a, &b]);
        assert!(exact.all(2));
        let units = CapacityFacts {
            free_memory_mb: 100_000,
            free_proc_units: 1.4,
            sizes: Vec::new(),
        };
        assert_eq!(super::fit(&units, &[&a, &b]).fitting, ["a"]);
    }

    #[test]
    fn a_partition_with_two_profiles_needs_its_profile_named() {
        let mut other = size("a", 8_000, 1.0);
        other.profile = "big".to_string();
        let facts = CapacityFacts {
            sizes: vec![size("a", 4_000, 0.5), other],
            ..CapacityFacts::default()
        };
        assert_eq!(
            facts.size_of("a", Some("big")).map(|s| s.memory_mb),
            Some(8_000)
        );
        assert_eq!(facts.size_of("a", None), None);
        assert_eq!(facts.size_of("b", None), None);
    }
}
