//! Simulated AIX global environments and their WPARs.

use serde::{Deserialize, Serialize};

use crate::estate::{WparState, WparType};

/// One simulated AIX global environment.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AixHost {
    pub name: String,
    /// `oslevel -s`, e.g. `7100-00-02-1041`.
    pub oslevel: String,
    /// The LPAR this global runs in, `<system>/<lpar>` or just the LPAR name.
    #[serde(default)]
    pub lpar: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub latency_ms: u64,
    /// Free space for WPAR backups and restores, MB.
    #[serde(default = "default_free_mb")]
    pub free_mb: u64,
    #[serde(default)]
    pub wpars: Vec<SimWpar>,
}

fn default_free_mb() -> u64 {
    20_480
}

/// One WPAR.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimWpar {
    pub name: String,
    #[serde(default = "defined")]
    pub state: WparState,
    #[serde(rename = "type", default = "system")]
    pub wpar_type: WparType,
    #[serde(default)]
    pub hostname: Option<String>,
    #[serde(default)]
    pub directory: Option<String>,
    #[serde(default)]
    pub rootvg: bool,
    #[serde(default)]
    pub checkpointable: bool,
    /// Detached WPAR (private /usr and /opt).
    #[serde(default)]
    pub private_usr: bool,
    #[serde(default)]
    pub auto_start: bool,
    #[serde(default)]
    pub uuid: Option<String>,
    /// OS level inside a detached WPAR, when it differs from the global's.
    #[serde(default)]
    pub oslevel: Option<String>,
    /// Size of the WPAR's file systems, MB (savewpar image size).
    #[serde(default = "default_wpar_mb")]
    pub size_mb: u64,
    /// A global mount left under the WPAR's directory: stopping it leaves it in `T`.
    #[serde(default)]
    pub leftover_mount: Option<String>,
}

fn defined() -> WparState {
    WparState::Defined
}

fn system() -> WparType {
    WparType::System
}

fn default_wpar_mb() -> u64 {
    1_024
}
