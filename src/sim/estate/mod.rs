//! The simulated estate as a TOML file describes it: HMCs with their managed systems,
//! AIX global environments with their WPARs, NIM masters with their databases, and
//! scripted faults. The same types hold the live state while the simulator runs.

pub mod aix;
pub mod hmc;
pub mod nim;

use serde::{Deserialize, Serialize};

pub use aix::{AixHost, SimWpar};
pub use hmc::{
    HmcHost, SimDisk, SimFirmware, SimLpar, SimRepository, SimRsDevice, SimRsPool, SimSystem,
};
pub use nim::{NimHost, SimNimObject};

/// The built-in demo estate: the story an admin recognises (see `src/sim/demo/`).
pub const DEMO_ESTATE: &str = concat!(
    include_str!("../demo/hmc.toml"),
    "\n",
    include_str!("../demo/aix.toml"),
    "\n",
    include_str!("../demo/nim.toml"),
    "\n",
    include_str!("../demo/faults.toml"),
);

/// A whole simulated estate.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Estate {
    #[serde(default)]
    pub hmc: Vec<HmcHost>,
    #[serde(default)]
    pub aix: Vec<AixHost>,
    #[serde(default)]
    pub nim: Vec<NimHost>,
    #[serde(default)]
    pub faults: Vec<ScriptedFault>,
}

/// Why an estate file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum EstateError {
    #[error("{origin}: {source}")]
    Syntax {
        origin: String,
        #[source]
        source: Box<toml::de::Error>,
    },
    #[error("{origin}: {message}")]
    Invalid { origin: String, message: String },
}

impl Estate {
    /// Reads an estate from TOML text; `origin` names it in errors (a file path).
    pub fn from_toml(text: &str, origin: &str) -> Result<Estate, EstateError> {
        let estate: Estate = toml::from_str(text).map_err(|source| EstateError::Syntax {
            origin: origin.to_string(),
            source: Box::new(source),
        })?;
        estate.validate().map_err(|message| EstateError::Invalid {
            origin: origin.to_string(),
            message,
        })?;
        Ok(estate)
    }

    /// The built-in demo estate.
    pub fn demo() -> Estate {
        Estate::from_toml(DEMO_ESTATE, "built-in demo estate")
            .expect("the built-in demo estate is valid (checked by its tests)")
    }

    /// Every host name, in the order the simulator serves them: HMCs, AIX, NIM.
    pub fn host_names(&self) -> Vec<(&str, HostKind)> {
        self.hmc
            .iter()
            .map(|h| (h.name.as_str(), HostKind::Hmc))
            .chain(self.aix.iter().map(|h| (h.name.as_str(), HostKind::Aix)))
            .chain(self.nim.iter().map(|h| (h.name.as_str(), HostKind::Nim)))
            .collect()
    }

    /// Checks what TOML types cannot: unique names, references that resolve.
    pub fn validate(&self) -> Result<(), String> {
        let mut seen = std::collections::HashSet::new();
        for (name, _) in self.host_names() {
            if !seen.insert(name) {
                return Err(format!("host name {name:?} is used twice"));
            }
        }
        for hmc in &self.hmc {
            hmc.validate()?;
        }
        for fault in &self.faults {
            if !seen.contains(fault.host.as_str()) {
                return Err(format!(
                    "fault at {}s names host {:?}, which the estate does not have",
                    fault.at_secs, fault.host
                ));
            }
        }
        Ok(())
    }
}

/// The kind of a simulated host, which decides its shell and its commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HostKind {
    Hmc,
    Aix,
    Nim,
}

/// A fault the estate file schedules: at `at_secs` of simulated time, `action` happens
/// to `host`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptedFault {
    pub at_secs: f64,
    pub host: String,
    pub action: FaultAction,
}

/// What can go wrong with a simulated host, scripted or triggered live with `simctl`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum FaultAction {
    /// A managed system of an HMC changes state (e.g. to `Error - Dump in progress`).
    SystemState { system: String, state: String },
    /// The host stops answering: commands hang until the fault is cleared.
    Stall,
    /// The host drops every connection (and refuses new ones) until cleared.
    Drop,
    /// The host answers every command with garbage.
    Garbage,
    /// Every command takes this long before it answers.
    Latency { ms: u64 },
    /// Clears stall, drop and garbage (latency stays).
    Recover,
}
