//! `lssyscfg -r lpar` and `-r prof`: partitions and their profiles.

use super::convert::{flag, number, required, text, FromRecord};
use super::record::{split_list, Record};
use crate::estate::Lpar;
use crate::estate::{LparEnv, LparState, Profile, RemoteRestartStatus, RmcState, RsAssignment};

impl FromRecord for Lpar {
    fn from_record(record: &mut Record) -> Result<Self, String> {
        let mut name = None;
        let mut lpar_id = None;
        let mut state = None;
        let mut lpar = Lpar {
            name: String::new(),
            lpar_id: 0,
            lpar_env: LparEnv::Other(String::new()),
            state: LparState::Unknown,
            os_version: None,
            rmc_state: None,
            rmc_ipaddr: None,
            curr_profile: None,
            default_profile: None,
            remote_restart_capable: false,
            simplified_remote_restart_capable: false,
            remote_restart_status: None,
            migration_disabled: false,
            msp: false,
            rs: RsAssignment::default(),
            migration_state: None,
            attributes: Default::default(),
        };
        for (key, value) in record.attributes.iter() {
            match key {
                "name" => name = Some(value.to_string()),
                "lpar_id" => {
                    lpar_id = Some(
                        number(value)
                            .ok_or_else(|| format!("lpar_id {value:?} is not a number"))?,
                    )
                }
                "lpar_env" => lpar.lpar_env = LparEnv::parse(value),
                "state" => state = Some(LparState::parse(value)),
                "os_version" => lpar.os_version = text(value),
                "rmc_state" => lpar.rmc_state = Some(RmcState::parse(value)),
                "rmc_ipaddr" => lpar.rmc_ipaddr = text(value),
                "curr_profile" => lpar.curr_profile = text(value),
                "default_profile" => lpar.default_profile = text(value),
                "remote_restart_capable" => {
                    lpar.remote_restart_capable = flag(value).unwrap_or(false)
                }
                "simplified_remote_restart_capable" => {
                    lpar.simplified_remote_restart_capable = flag(value).unwrap_or(false)
                }
                "remote_restart_status" => {
                    lpar.remote_restart_status = Some(RemoteRestartStatus::parse(value))
                }
                "migration_disabled" => lpar.migration_disabled = flag(value).unwrap_or(false),
                "msp" => lpar.msp = flag(value).unwrap_or(false),
                "primary_rs_vios_name" => lpar.rs.primary_vios = text(value),
                "secondary_rs_vios_name" => lpar.rs.secondary_vios = text(value),
                "curr_rs_vios_name" => lpar.rs.current_vios = text(value),
                "rs_device_name" => lpar.rs.device_name = text(value),
                _ => {}
            }
        }
        lpar.name = required(name, "name")?;
        lpar.lpar_id = lpar_id.ok_or("record has no lpar_id")?;
        lpar.state = state.ok_or("record has no state")?;
        lpar.attributes = std::mem::take(&mut record.attributes);
        Ok(lpar)
    }
}

impl FromRecord for Profile {
    fn from_record(record: &mut Record) -> Result<Self, String> {
        let mut name = None;
        let mut lpar_name = None;
        let mut profile = Profile {
            name: String::new(),
            lpar_name: String::new(),
            lpar_id: None,
            min_mem: None,
            desired_mem: None,
            max_mem: None,
            proc_mode: None,
            desired_procs: None,
            desired_proc_units: None,
            virtual_scsi_adapters: Vec::new(),
            virtual_eth_adapters: Vec::new(),
            virtual_fc_adapters: Vec::new(),
            io_slots: Vec::new(),
            attributes: Default::default(),
        };
        for (key, value) in record.attributes.iter() {
            match key {
                "name" => name = Some(value.to_string()),
                "lpar_name" => lpar_name = Some(value.to_string()),
                "lpar_id" => profile.lpar_id = number(value),
                "min_mem" => profile.min_mem = number(value),
                "desired_mem" => profile.desired_mem = number(value),
                "max_mem" => profile.max_mem = number(value),
                "proc_mode" => profile.proc_mode = text(value),
                "desired_procs" => profile.desired_procs = number(value),
                "desired_proc_units" => profile.desired_proc_units = text(value),
                "virtual_scsi_adapters" => profile.virtual_scsi_adapters = split_list(value),
                "virtual_eth_adapters" => profile.virtual_eth_adapters = split_list(value),
                "virtual_fc_adapters" => profile.virtual_fc_adapters = split_list(value),
                "io_slots" => profile.io_slots = split_list(value),
                _ => {}
            }
        }
        profile.name = required(name, "name")?;
        profile.lpar_name = required(lpar_name, "lpar_name")?;
        profile.attributes = std::mem::take(&mut record.attributes);
        Ok(profile)
    }
}
