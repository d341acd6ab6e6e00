//! `lshwres -r rspool [--rsubtype rsdev]`: reserved storage pools and devices.

use super::convert::{number, required, text, FromRecord};
use super::record::{split_list, Record};
use crate::estate::{RsDevice, RsPool, RsState};

impl FromRecord for RsPool {
    fn from_record(record: &mut Record) -> Result<Self, String> {
        let mut pool = RsPool {
            state: None,
            vios_names: Vec::new(),
            vios_ids: Vec::new(),
        };
        for (key, value) in record.attributes.iter() {
            match key {
                "state" => pool.state = Some(RsState::parse(value)),
                "vios_names" => pool.vios_names = split_list(value),
                "vios_ids" => {
                    pool.vios_ids = split_list(value)
                        .iter()
                        .map(|id| {
                            number(id).ok_or_else(|| format!("VIOS id {id:?} is not a number"))
                        })
                        .collect::<Result<_, _>>()?
                }
                _ => {}
            }
        }
        Ok(pool)
    }
}

impl FromRecord for RsDevice {
    fn from_record(record: &mut Record) -> Result<Self, String> {
        let mut device_name = None;
        let mut device = RsDevice {
            device_name: String::new(),
            vios_name: None,
            vios_id: None,
            size: None,
            device_type: None,
            state: None,
            phys_loc: None,
            lpar_name: None,
            lpar_id: None,
            device_selection_type: None,
        };
        for (key, value) in record.attributes.iter() {
            match key {
                "device_name" => device_name = Some(value.to_string()),
                "vios_name" => device.vios_name = text(value),
                "vios_id" => device.vios_id = number(value),
                "size" => {
                    device.size = Some(
                        number(value).ok_or_else(|| format!("size {value:?} is not a number"))?,
                    )
                }
                "type" => device.device_type = text(value),
                "state" => device.state = Some(RsState::parse(value)),
                "phys_loc" => device.phys_loc = text(value),
                "lpar_name" => device.lpar_name = text(value),
                "lpar_id" => device.lpar_id = number(value),
                "device_selection_type" => device.device_selection_type = text(value),
                _ => {}
            }
        }
        device.device_name = required(device_name, "device_name")?;
        Ok(device)
    }
}
