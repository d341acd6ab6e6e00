//! `lslparmigr -r lpar`: partition migration state and progress.

use super::convert::{number, required, text, FromRecord};
use super::record::Record;
use crate::estate::{MigrationProgress, MigrationState};

impl FromRecord for MigrationProgress {
    fn from_record(record: &mut Record) -> Result<Self, String> {
        let mut name = None;
        let mut state = None;
        let mut progress = MigrationProgress {
            name: String::new(),
            lpar_id: None,
            migration_state: MigrationState::NotMigrating,
            migration_type: None,
            dest_sys_name: None,
            dest_lpar_id: None,
            bytes_transmitted: None,
            bytes_remaining: None,
        };
        for (key, value) in record.attributes.iter() {
            match key {
                "name" | "lpar_name" => name = Some(value.to_string()),
                "lpar_id" => progress.lpar_id = number(value),
                "migration_state" => state = Some(MigrationState::parse(value)),
                "migration_type" => progress.migration_type = text(value),
                "dest_sys_name" => progress.dest_sys_name = text(value),
                "dest_lpar_id" => progress.dest_lpar_id = number(value),
                "bytes_transmitted" => progress.bytes_transmitted = number(value),
                "bytes_remaining" => progress.bytes_remaining = number(value),
                _ => {}
            }
        }
        progress.name = required(name, "name")?;
        progress.migration_state = state.ok_or("record has no migration_state")?;
        Ok(progress)
    }
}
