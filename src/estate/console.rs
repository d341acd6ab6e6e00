//! The management consoles themselves.

use serde::Serialize;

/// HMC software level from `lshmc -V`: what an admin checks before a firmware update or
/// a cross-HMC operation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct HmcVersion {
    /// `7`, `10`.
    pub version: Option<String>,
    /// `7.9.0`, `3`.
    pub release: Option<String>,
    pub service_pack: Option<String>,
    pub build_level: Option<String>,
    /// `V7R7.9.0`.
    pub base_version: Option<String>,
    /// Installed fixes (`MH01454: Required fix for HMC V8R8.2.0 (11-05-2014)`).
    pub fixes: Vec<String>,
}
