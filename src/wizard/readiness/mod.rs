//! Remote restart readiness: for every managed system, as if it failed now, which of its
//! partitions would come back, on which system, and why the others would not
//! (docs/procedures.md, "Remote restart readiness").
//!
//! [`assess`] is a pure function of the snapshots and the [`ReadinessFacts`] read with
//! read-only commands, so the console can recompute it on every refresh and tests can
//! set up every reason. A system is covered when every partition that would need a
//! restart has a place; anything that cannot be told is `unknown`, never ready.

pub mod facts;
mod place;
mod verdict;

#[cfg(test)]
mod tests;

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::estate::{Lpar, LparState, SourceData, SourceSnapshot, SystemData, SystemState};

pub use facts::{read_facts, Free, ReadinessFacts, SystemFacts};

use super::remote_restart::DEFAULT_PRIORITY;

/// Why a partition would not come back, spelled as `readiness --json` prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Neither remote restart capability flag is set.
    NotCapable,
    /// `remote_restart_status=Invalid`: not activated since it became capable.
    NeverActivated,
    /// PowerVM remote restart without a reserved storage device.
    NoReservedDevice,
    /// Its reserved storage device is smaller than `lsrsdevsize` asks for.
    ReservedDeviceTooSmall,
    /// Compatible targets exist, but none has room left for it.
    NoTargetCapacity,
    /// No target supports its kind of remote restart or its processor mode.
    NoCompatibleTarget,
    /// No other managed system on its HMC: remote restart stays on one HMC.
    NotManagedHere,
    /// A fact it depends on is missing or stale.
    Unknown,
}

impl Reason {
    /// The word `readiness --json` and the table print.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::NotCapable => "not_capable",
            Reason::NeverActivated => "never_activated",
            Reason::NoReservedDevice => "no_reserved_device",
            Reason::ReservedDeviceTooSmall => "reserved_device_too_small",
            Reason::NoTargetCapacity => "no_target_capacity",
            Reason::NoCompatibleTarget => "no_compatible_target",
            Reason::NotManagedHere => "not_managed_here",
            Reason::Unknown => "unknown",
        }
    }
}

/// Where a partition would land, or why it would not come back.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// It would be restarted on `target`, taking this much there.
    Ready {
        /// The target system, as `-m` names it.
        target: String,
        /// Desired memory of its profile, MB.
        memory_mb: u64,
        /// Desired processing units of its profile.
        proc_units: f64,
    },
    /// It would stay down.
    NotReady {
        /// Why, as a contract word.
        reason: Reason,
        /// Why, for the operator: what was found and what to fix.
        detail: String,
    },
}

impl Verdict {
    fn not_ready(reason: Reason, detail: impl Into<String>) -> Self {
        Verdict::NotReady {
            reason,
            detail: detail.into(),
        }
    }
}

/// One partition that would need a restart, and its verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct PartitionReadiness {
    /// The partition.
    pub name: String,
    /// `lpar_avail_priority`, or the HMC's default when it did not list one.
    pub priority: u8,
    /// Its target, or why it has none.
    pub verdict: Verdict,
}

impl PartitionReadiness {
    /// It has a place.
    pub fn is_ready(&self) -> bool {
        matches!(self.verdict, Verdict::Ready { .. })
    }
}

impl Serialize for PartitionReadiness {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("name", &self.name)?;
        map.serialize_entry("ready", &self.is_ready())?;
        match &self.verdict {
            Verdict::Ready {
                target,
                memory_mb,
                proc_units,
            } => {
                map.serialize_entry("target", target)?;
                map.serialize_entry("priority", &self.priority)?;
                map.serialize_entry("mem_mb", memory_mb)?;
                map.serialize_entry("proc_units", proc_units)?;
            }
            Verdict::NotReady { reason, detail } => {
                map.serialize_entry("reason", reason)?;
                map.serialize_entry("detail", detail)?;
                map.serialize_entry("priority", &self.priority)?;
            }
        }
        map.end()
    }
}

/// One managed system as if it failed now.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SystemReadiness {
    /// The HMC that manages it.
    pub hmc: String,
    /// The managed system.
    pub name: String,
    /// Its state now (a failed one is judged too: its partitions wait for a restart).
    pub state: SystemState,
    /// Every listed partition is ready, and the list is complete.
    pub covered: bool,
    /// Why the list of partitions may be incomplete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// In restart order: availability priority, highest first, then name.
    pub partitions: Vec<PartitionReadiness>,
}

impl SystemReadiness {
    /// How many listed partitions would not come back.
    pub fn not_ready(&self) -> usize {
        self.partitions.iter().filter(|p| !p.is_ready()).count()
    }
}

/// An HMC that could not be read at all: its systems cannot be judged.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UnreadSource {
    /// The HMC.
    pub name: String,
    /// Why it could not be read.
    pub error: String,
}

/// The what-if for the whole estate.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Readiness {
    /// Every managed system of every HMC that was read, in the HMCs' order.
    pub systems: Vec<SystemReadiness>,
    /// HMCs with no data: nothing about their systems is known.
    pub unread_sources: Vec<UnreadSource>,
}

impl Readiness {
    /// Every system of every HMC is covered.
    pub fn covered(&self) -> bool {
        self.unread_sources.is_empty() && self.systems.iter().all(|s| s.covered)
    }
}

/// Partitions that would need a restart if their system failed: not a VIOS, and running
/// (`Not Available` on a failed system: their last known state was running).
pub fn needs_restart(lpar: &Lpar) -> bool {
    !lpar.lpar_env.is_vios() && (lpar.state.is_on() || lpar.state == LparState::NotAvailable)
}

/// The name `-m` takes for each system of one HMC: the MTMS where two share a name.
pub fn m_names(systems: &[SystemData]) -> Vec<String> {
    systems
        .iter()
        .map(|data| {
            let name = &data.system.name;
            if systems.iter().filter(|s| &s.system.name == name).count() > 1 {
                data.system.mtms()
            } else {
                name.clone()
            }
        })
        .collect()
}

/// The what-if for every managed system in `snapshots`.
pub fn assess(snapshots: &[SourceSnapshot], facts: &ReadinessFacts) -> Readiness {
    let mut readiness = Readiness {
        systems: Vec::new(),
        unread_sources: Vec::new(),
    };
    for snapshot in snapshots {
        let systems = match &snapshot.data {
            SourceData::Hmc(systems) => systems,
            SourceData::Empty if snapshot.kind == crate::estate::SourceKind::Hmc => {
                readiness.unread_sources.push(UnreadSource {
                    name: snapshot.name.clone(),
                    error: snapshot
                        .error
                        .clone()
                        .unwrap_or_else(|| "not read yet".to_string()),
                });
                continue;
            }
            _ => continue,
        };
        let names = m_names(systems);
        let stale = snapshot.stale.then(|| {
            format!(
                "{}'s data is from an earlier refresh: {}",
                snapshot.name,
                snapshot
                    .error
                    .as_deref()
                    .unwrap_or("the last refresh failed")
            )
        });
        let hmc = place::Hmc {
            name: &snapshot.name,
            systems,
            names: &names,
            facts,
        };
        for index in 0..systems.len() {
            readiness
                .systems
                .push(assess_system(&hmc, snapshot, index, stale.as_deref()));
        }
    }
    readiness
}

fn assess_system(
    hmc: &place::Hmc<'_>,
    snapshot: &SourceSnapshot,
    index: usize,
    stale: Option<&str>,
) -> SystemReadiness {
    let data = &hmc.systems[index];
    let name = &hmc.names[index];
    let mut listed: Vec<&Lpar> = data.lpars.iter().filter(|l| needs_restart(l)).collect();
    listed.sort_by(|a, b| {
        priority(b)
            .cmp(&priority(a))
            .then_with(|| a.name.cmp(&b.name))
    });
    let own = hmc.facts.get(hmc.name, name);
    let mut placement = place::Placement::new(hmc, index);
    let partitions: Vec<PartitionReadiness> = listed
        .into_iter()
        .map(|lpar| {
            let verdict = match stale {
                Some(why) => Verdict::not_ready(Reason::Unknown, why),
                None => verdict::before_target(data, lpar, own)
                    .unwrap_or_else(|| placement.place(lpar, own)),
            };
            PartitionReadiness {
                name: lpar.name.clone(),
                priority: priority(lpar),
                verdict,
            }
        })
        .collect();
    let detail = unlisted(snapshot, name);
    SystemReadiness {
        hmc: hmc.name.to_string(),
        name: data.system.name.clone(),
        state: data.system.state.clone(),
        covered: detail.is_none() && partitions.iter().all(PartitionReadiness::is_ready),
        detail,
        partitions,
    }
}

fn priority(lpar: &Lpar) -> u8 {
    lpar.avail_priority().unwrap_or(DEFAULT_PRIORITY)
}

/// The refresh could not list all of a system's partitions: its problems name the
/// `lssyscfg -r lpar -m SYSTEM` listing that failed or skipped a line.
fn unlisted(snapshot: &SourceSnapshot, system: &str) -> Option<String> {
    let listing = format!("lssyscfg -r lpar -m {system}:");
    snapshot
        .problems
        .iter()
        .find(|problem| problem.starts_with(&listing))
        .map(|problem| format!("its partitions may not all be listed: {problem}"))
}
