//! `lssyscfg -r sys`: managed systems.

use super::convert::{flag, required, FromRecord};
use super::record::Record;
use crate::estate::{ManagedSystem, SystemCapabilities, SystemState};

impl FromRecord for ManagedSystem {
    fn from_record(record: &mut Record) -> Result<Self, String> {
        let (mut name, mut type_model, mut serial_num, mut state) = (None, None, None, None);
        let mut detailed_state = None;
        let mut capabilities = SystemCapabilities::default();
        for (key, value) in record.attributes.iter() {
            match key {
                "name" => name = Some(value.to_string()),
                "type_model" => type_model = Some(value.to_string()),
                "serial_num" => serial_num = Some(value.to_string()),
                "state" => state = Some(SystemState::parse(value)),
                "detailed_state" if value != "None" && !value.is_empty() => {
                    detailed_state = Some(value.to_string())
                }
                "active_lpar_mobility_capable" => capabilities.active_lpar_mobility = flag(value),
                "inactive_lpar_mobility_capable" => {
                    capabilities.inactive_lpar_mobility = flag(value)
                }
                "powervm_lpar_remote_restart_capable" => capabilities.remote_restart = flag(value),
                "powervm_lpar_simplified_remote_restart_capable" => {
                    capabilities.simplified_remote_restart = flag(value)
                }
                "lpar_proc_compat_modes" => {
                    capabilities.proc_compat_modes = value
                        .split(',')
                        .map(str::trim)
                        .filter(|mode| !mode.is_empty() && *mode != "unavailable")
                        .map(str::to_string)
                        .collect()
                }
                _ => {}
            }
        }
        Ok(ManagedSystem {
            name: required(name, "name")?,
            type_model: type_model.unwrap_or_default(),
            serial_num: serial_num.unwrap_or_default(),
            state: state.ok_or("record has no state")?,
            detailed_state,
            capabilities,
            firmware: None,
            reference_code: None,
        })
    }
}
