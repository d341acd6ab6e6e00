//! Simulated NIM masters and their object databases.

use serde::{Deserialize, Serialize};

use crate::estate::NimClass;

/// One simulated NIM master.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NimHost {
    pub name: String,
    /// The name of this master's own `master` object's host (for `/etc/niminfo`).
    #[serde(default)]
    pub hostname: Option<String>,
    /// The host name (in this estate) of this master's alternate master, if any.
    #[serde(default)]
    pub alternate: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub latency_ms: u64,
    #[serde(default)]
    pub objects: Vec<SimNimObject>,
}

/// One object of the NIM database.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimNimObject {
    pub name: String,
    pub class: NimClass,
    #[serde(rename = "type")]
    pub object_type: String,
    /// Attributes after `class` and `type`, in `lsnim -l` order: `[["Cstate", "..."], ...]`.
    #[serde(default)]
    pub attributes: Vec<(String, String)>,
}
