//! `lslic -t sys`: firmware levels, installed and retrievable.

use super::convert::{number, text, FromRecord};
use super::record::Record;
use crate::estate::{FirmwareLevels, RetrievableLevels};

impl FromRecord for FirmwareLevels {
    fn from_record(record: &mut Record) -> Result<Self, String> {
        let mut levels = FirmwareLevels::default();
        let mut seen = false;
        for (key, value) in record.attributes.iter() {
            seen |= true;
            match key {
                "ecnumber" | "curr_ecnumber_primary" if levels.ecnumber.is_none() => {
                    levels.ecnumber = text(value)
                }
                "activated_level" => levels.activated_level = level(key, value)?,
                "installed_level" => levels.installed_level = level(key, value)?,
                "accepted_level" => levels.accepted_level = level(key, value)?,
                "activated_spname" => levels.activated_spname = text(value),
                "platform_ipl_level" => levels.platform_ipl_level = level(key, value)?,
                "deferred_level" => levels.deferred_level = level(key, value)?,
                _ => {}
            }
        }
        if !seen || levels.activated_level.is_none() && levels.ecnumber.is_none() {
            return Err("firmware record has neither ecnumber nor activated_level".into());
        }
        Ok(levels)
    }
}

impl FromRecord for RetrievableLevels {
    fn from_record(record: &mut Record) -> Result<Self, String> {
        let mut levels = RetrievableLevels::default();
        for (key, value) in record.attributes.iter() {
            match key {
                "retrievable_release" if value != "None" => levels.release = text(value),
                "concurrent_retrievable_level" => levels.concurrent_level = level(key, value)?,
                "disruptive_retrievable_level" => levels.disruptive_level = level(key, value)?,
                _ => {}
            }
        }
        Ok(levels)
    }
}

/// A level number; `None`, `none` and empty mean no level.
fn level(name: &str, value: &str) -> Result<Option<u32>, String> {
    match value {
        "" | "None" | "none" | "unavailable" => Ok(None),
        _ => number(value)
            .map(Some)
            .ok_or_else(|| format!("{name} {value:?} is not a level number")),
    }
}
