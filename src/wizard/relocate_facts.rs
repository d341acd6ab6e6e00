//! What a relocation reads from the HMC just before it is planned: how many moves each
//! system runs against how many it supports (`lslparmigr -r sys`), and, for a running
//! partition, what it holds now against what the target has free (docs/procedures.md,
//! "Relocation").

use crate::exec::Exec;
use crate::sources::hmc::{self, commands, Record};
use crate::sources::{read, HostError};

use super::capacity::{self, PartitionSize};
use super::PlanError;

/// The `lslparmigr -r sys` attributes a relocation reads (docs/formats.md,
/// "HMC: lslparmigr").
pub const SYS_FIELDS: &[&str] = &[
    "inactive_lpar_mobility_capable",
    "num_inactive_migrations_supported",
    "num_inactive_migrations_in_progress",
    "active_lpar_mobility_capable",
    "num_active_migrations_supported",
    "num_active_migrations_in_progress",
];

/// Moves of one kind (active or inactive) on one system; `None` where the HMC printed
/// no number (`unavailable`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MigrationSlots {
    /// `*_lpar_mobility_capable`.
    pub capable: Option<bool>,
    /// `num_*_migrations_supported`: how many may run at once.
    pub supported: Option<u32>,
    /// `num_*_migrations_in_progress`: how many run now, from or to the system.
    pub in_progress: Option<u32>,
}

/// Both kinds of moves on one system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mobility {
    /// Moves of running partitions.
    pub active: MigrationSlots,
    /// Moves of partitions that are off.
    pub inactive: MigrationSlots,
}

impl Mobility {
    /// The slots of the kind of move a partition makes.
    pub fn for_kind(&self, active: bool) -> &MigrationSlots {
        if active {
            &self.active
        } else {
            &self.inactive
        }
    }

    fn from_record(record: &Record) -> Mobility {
        let number = |name: &str| record.get(name).and_then(|v| v.trim().parse().ok());
        let flag = |name: &str| match record.get(name).map(str::trim) {
            Some("1") => Some(true),
            Some("0") => Some(false),
            _ => None,
        };
        Mobility {
            active: MigrationSlots {
                capable: flag("active_lpar_mobility_capable"),
                supported: number("num_active_migrations_supported"),
                in_progress: number("num_active_migrations_in_progress"),
            },
            inactive: MigrationSlots {
                capable: flag("inactive_lpar_mobility_capable"),
                supported: number("num_inactive_migrations_supported"),
                in_progress: number("num_inactive_migrations_in_progress"),
            },
        }
    }
}

/// What a running partition holds and what the target has free.
#[derive(Debug, Clone, PartialEq)]
pub struct MoveCapacity {
    /// The partition's current memory and processing units.
    pub size: PartitionSize,
    /// `curr_avail_sys_mem` of the target, MB.
    pub free_memory_mb: u64,
    /// `curr_avail_sys_proc_units` of the target.
    pub free_proc_units: f64,
}

/// Everything [`super::relocate::check`] needs beyond the refreshed estate.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RelocationFacts {
    /// Moves on the source system.
    pub source: Mobility,
    /// Moves on the target system.
    pub target: Mobility,
    /// For an active move; an inactive one takes nothing on the target until the
    /// partition is activated there.
    pub capacity: Option<MoveCapacity>,
}

/// Reads the facts through the HMC `hmc`: moves on `source` and `target`, and, when
/// `active`, what `lpar` holds on `source` and what `target` has free.
pub async fn read_relocation_facts<E: Exec>(
    exec: &E,
    hmc: &str,
    source: &str,
    target: &str,
    lpar: &str,
    active: bool,
) -> Result<RelocationFacts, PlanError> {
    let capacity = if active {
        let size = capacity::read_current_size(exec, hmc, source, lpar).await?;
        let (free_memory_mb, free_proc_units) = capacity::read_free(exec, hmc, target).await?;
        Some(MoveCapacity {
            size,
            free_memory_mb,
            free_proc_units,
        })
    } else {
        None
    };
    Ok(RelocationFacts {
        source: read_mobility(exec, hmc, source).await?,
        target: read_mobility(exec, hmc, target).await?,
        capacity,
    })
}

/// `lslparmigr -r sys -m SYSTEM`, read.
pub async fn read_mobility<E: Exec>(
    exec: &E,
    hmc: &str,
    system: &str,
) -> Result<Mobility, PlanError> {
    let command = commands::lslparmigr_sys(system, SYS_FIELDS)?;
    let cannot_tell =
        |why: String| PlanError::cannot_tell(format!("could not read {}: {why}", command.line()));
    let output = read(exec, hmc, &command)
        .await
        .map_err(|error| cannot_tell(error.to_string()))?;
    let stdout = HostError::check(&output).map_err(|error| cannot_tell(error.to_string()))?;
    let parsed = hmc::parse_fields(stdout, ',', SYS_FIELDS, false)
        .map_err(|error| cannot_tell(error.to_string()))?;
    match parsed.items.as_slice() {
        [record] => Ok(Mobility::from_record(record)),
        _ => Err(cannot_tell("not one record".to_string())),
    }
}
