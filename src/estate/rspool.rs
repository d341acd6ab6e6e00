//! Reserved storage device pools: where original remote restart keeps partition data.

use serde::Serialize;

use super::vocabulary::vocabulary;

vocabulary! {
    /// State of a reserved storage pool or device.
    RsState {
        Active => "Active",
        Inactive => "Inactive",
        Defined => "Defined",
    }
}

/// The reserved storage device pool of one managed system (`lshwres -r rspool`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RsPool {
    pub state: Option<RsState>,
    /// The VIOS that serve the pool's devices.
    pub vios_names: Vec<String>,
    pub vios_ids: Vec<u32>,
}

/// One device in a reserved storage pool (`lshwres -r rspool --rsubtype rsdev`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RsDevice {
    pub device_name: String,
    pub vios_name: Option<String>,
    pub vios_id: Option<u32>,
    /// Size in MB.
    pub size: Option<u64>,
    pub device_type: Option<String>,
    pub state: Option<RsState>,
    pub phys_loc: Option<String>,
    /// The partition holding the device; `None` when the HMC prints `none`.
    pub lpar_name: Option<String>,
    pub lpar_id: Option<u32>,
    /// `manual` devices are for remote restart; `auto` ones serve suspend/resume.
    pub device_selection_type: Option<String>,
}

impl RsDevice {
    /// Free for a remote-restart partition: unassigned and in manual selection mode.
    pub fn is_free(&self) -> bool {
        self.lpar_name.is_none()
            && self.lpar_id.is_none()
            && self.device_selection_type.as_deref() != Some("auto")
    }

    /// Large enough for a partition that needs `required_mb` (from `lsrsdevsize`).
    pub fn fits(&self, required_mb: u64) -> bool {
        self.size.is_some_and(|size| size >= required_mb)
    }
}
