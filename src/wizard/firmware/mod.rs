//! Firmware (LIC) update of a managed system (docs/procedures.md, "Firmware update";
//! docs/formats.md, "HMC: firmware update paths").
//!
//! [`check`] decides everything the plan depends on, from the refresh and from the facts
//! read for it ([`FirmwareFacts`]: the update access key, the HMC's level, what the
//! repository offers, and for an evacuation the target's room and the partitions' sizes
//! and adapters); [`emit`] writes the steps. A disruptive update relocates partitions
//! (every move validated before the first) or shuts them down through their OS, VIOS
//! last, and after the IPL starts the VIOS first; an immediate shutdown is only ever a
//! recovery step the operator chooses. Accepting the new level is a separate plan
//! ([`firmware_accept`]).

mod accept;
mod check;
mod emit;
mod facts;
mod power;
mod repo;

use std::time::Duration;

pub use accept::firmware_accept;
pub use check::{check, check_choices, Checked, Disruption, Evacuation, Partition};
pub use emit::emit;
pub use facts::{read_facts, EvacuationFacts, FirmwareFacts};
pub use power::{SHUTDOWN_TIMEOUT, START_TIMEOUT};
pub use repo::FirmwareRepo;

use super::view::{EstateView, SystemRef};
use super::{Plan, PlanError};

/// How long a system may take to come back after a disruptive activation.
pub const RESTART_TIMEOUT: Duration = Duration::from_secs(2 * 3600);

/// How a disruptive update deals with the partitions running on the system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disruptive {
    /// Power the system off as it is: only when no client partition runs.
    PowerOff,
    /// Relocate every running client partition to `target` first (Live Partition
    /// Mobility); the ones named in `shutdown` (those that cannot move) are shut down.
    Evacuate {
        target: String,
        shutdown: Vec<String>,
    },
    /// Shut every running client partition down first.
    Shutdown,
}

/// The operator's choices for a firmware update.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FirmwareChoices {
    /// `-l LEVEL`; the newest level (concurrent, or any for a disruptive update) when
    /// `None`.
    pub level: Option<u32>,
    /// Where the level comes from.
    pub repository: FirmwareRepo,
    /// `None` for a concurrent update: partitions keep running.
    pub disruptive: Option<Disruptive>,
    /// Move to the repository's new release (`updlic -o u`), always disruptive.
    pub upgrade: bool,
    /// The minimum HMC level the level's readme names, to be checked against the HMC.
    pub min_hmc: Option<String>,
}

/// Builds the plan that updates the firmware of `system`.
pub fn firmware(
    view: EstateView<'_>,
    system: &str,
    choices: &FirmwareChoices,
    facts: &FirmwareFacts,
) -> Result<Plan, PlanError> {
    emit(&check(view, system, choices, facts)?)
}

/// The one system called `name` (by name or MTMS).
fn find<'a>(view: EstateView<'a>, name: &str) -> Result<SystemRef<'a>, PlanError> {
    let found = view.find_system(name);
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(PlanError::not_found(format!(
            "no managed system called {name}"
        ))),
        many => Err(PlanError::invalid(format!(
            "{} systems are called {name} (on {}): name it by its MTMS (type-model*serial)",
            many.len(),
            many.iter().map(|s| s.hmc).collect::<Vec<_>>().join(", ")
        ))),
    }
}

fn show(level: Option<u32>) -> String {
    level.map_or("unknown".to_string(), |l| l.to_string())
}

/// `a is` / `a, b are`.
fn list_is(names: &[&str]) -> String {
    match names {
        [one] => format!("{one} is"),
        many => format!("{} are", many.join(", ")),
    }
}
