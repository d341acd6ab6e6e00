//! What a firmware plan reads beyond the refresh, with read-only commands: the system's
//! clock and update access key, the HMC's own level, what the repository offers, and for
//! an evacuation the target's room and the partitions' sizes and physical slots
//! (docs/procedures.md, "Firmware update").

use jiff::civil::Date;

use super::FirmwareRepo;
use crate::estate::{HmcVersion, Profile, RetrievableLevels};
use crate::exec::Exec;
use crate::sources::hmc::{self, commands};
use crate::sources::{read, HostError, RemoteCommand};
use crate::wizard::capacity::{self, CapacityFacts};
use crate::wizard::PlanError;

/// Everything [`super::check`] needs that the refresh does not carry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FirmwareFacts {
    /// `sys_time` of the system (`MM/DD/YYYY HH:MM:SS`): today, for the key's expiry.
    pub system_time: Option<String>,
    /// `update_access_key_exp_date` (`MM/DD/YYYY`); `None` when the HMC printed none
    /// (`null`: a POWER7 or older system has no key).
    pub access_key_expiry: Option<String>,
    /// The HMC's own version (`lshmc -V`), when it could be read.
    pub hmc_version: Option<HmcVersion>,
    /// What the repository offers (`lslic -r`).
    pub retrievable: RetrievableLevels,
    /// For an evacuation: room on the target, sizes and physical slots of the partitions.
    pub evacuation: Option<EvacuationFacts>,
}

/// What an evacuation needs to know before the first partition moves.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvacuationFacts {
    /// Free memory and processing units of the target, and every profile's size.
    pub capacity: CapacityFacts,
    /// Every profile of the system being updated, with its `io_slots`.
    pub profiles: Vec<Profile>,
}

/// Reads the facts of a firmware update of `system` through `hmc`; with `evacuate_to`,
/// also the target's room and the partitions' profiles. Anything unreadable that the plan
/// depends on is "cannot tell"; the HMC's version may be missing.
pub async fn read_facts<E: Exec>(
    exec: &E,
    hmc: &str,
    system: &str,
    repository: &FirmwareRepo,
    evacuate_to: Option<&str>,
) -> Result<FirmwareFacts, PlanError> {
    let clock = run(
        exec,
        hmc,
        &commands::lssyscfg_sys(Some(system), &["name", "sys_time"])?,
    )
    .await?;
    let system_time = value(&clock, &["name", "sys_time"], "sys_time");
    let key = run(
        exec,
        hmc,
        &commands::lslic_sys(system, &["mtms", "update_access_key_exp_date"])?,
    )
    .await?;
    let access_key_expiry = value(
        &key,
        &["mtms", "update_access_key_exp_date"],
        "update_access_key_exp_date",
    );
    let command = commands::lslic_retrievable(system, &repository.lic())?;
    let offered = run(exec, hmc, &command).await?;
    let fields = [
        "retrievable_release",
        "concurrent_retrievable_level",
        "disruptive_retrievable_level",
    ];
    let retrievable = hmc::parse_delimited::<RetrievableLevels>(&offered, ',', &fields, false)
        .ok()
        .and_then(|parsed| parsed.items.into_iter().next())
        .ok_or_else(|| cannot_tell(&command, "no record"))?;
    let hmc_version = match read(exec, hmc, &commands::lshmc_version()).await {
        Ok(output) => HostError::check(&output)
            .ok()
            .and_then(|text| hmc::parse_hmc_version(text).ok())
            .and_then(|parsed| parsed.items.into_iter().next()),
        Err(_) => None,
    };
    let evacuation = match evacuate_to {
        Some(target) => {
            let capacity = capacity::read_capacity(exec, hmc, system, target).await?;
            let fields = ["lpar_name", "name", "io_slots"];
            let command = commands::lssyscfg_prof(system, &[], &[], &fields)?;
            let text = run(exec, hmc, &command).await?;
            let profiles = hmc::parse_delimited::<Profile>(&text, ',', &fields, false)
                .map_err(|error| cannot_tell(&command, &error.to_string()))?
                .items;
            Some(EvacuationFacts { capacity, profiles })
        }
        None => None,
    };
    Ok(FirmwareFacts {
        system_time,
        access_key_expiry,
        hmc_version,
        retrievable,
        evacuation,
    })
}

/// The one record's `field`; `null`, `None` and empty mean no value.
fn value(text: &str, fields: &[&str], field: &str) -> Option<String> {
    let parsed = hmc::parse_fields(text, ',', fields, false).ok()?;
    let found = parsed.items.first()?.get(field)?.trim().to_string();
    (!matches!(found.as_str(), "" | "null" | "None" | "none")).then_some(found)
}

async fn run<E: Exec>(exec: &E, hmc: &str, command: &RemoteCommand) -> Result<String, PlanError> {
    let output = read(exec, hmc, command)
        .await
        .map_err(|error| cannot_tell(command, &error.to_string()))?;
    HostError::check(&output)
        .map(str::to_string)
        .map_err(|error| cannot_tell(command, &error.to_string()))
}

fn cannot_tell(command: &RemoteCommand, why: &str) -> PlanError {
    PlanError::cannot_tell(format!("could not read {}: {why}", command.line()))
}

/// The date of an HMC `MM/DD/YYYY` value (a `sys_time` may carry the time after it).
pub fn hmc_date(text: &str) -> Option<Date> {
    let day = text.split_whitespace().next()?;
    let mut parts = day.split('/').map(|part| part.parse::<i16>().ok());
    let (month, day, year) = (parts.next()??, parts.next()??, parts.next()??);
    if parts.next().is_some() {
        return None;
    }
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

/// The numbers of an HMC level, in order: `V10R2M1050` is 10, 2, 1050 and `V7R7.9.0` is
/// 7, 7, 9, 0; levels compare number by number.
pub fn hmc_level(text: &str) -> Option<Vec<u32>> {
    let numbers: Vec<u32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    (text.trim_start().starts_with(['V', 'v']) && numbers.len() >= 2).then_some(numbers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_levels() {
        assert_eq!(hmc_date("04/01/2040"), Date::new(2040, 4, 1).ok());
        assert_eq!(hmc_date("06/14/2025 02:47:13"), Date::new(2025, 6, 14).ok());
        assert_eq!(hmc_date("2040-04-01"), None);
        assert_eq!(hmc_date("13/01/2040"), None);
        assert_eq!(hmc_level("V10R2M1050"), Some(vec![10, 2, 1050]));
        assert_eq!(hmc_level("V7R7.9.0"), Some(vec![7, 7, 9, 0]));
        assert!(hmc_level("V10R2M1050") < hmc_level("V10R3M1060"));
        assert!(hmc_level("V9R1M940") < hmc_level("V10R1M1010"));
        assert_eq!(hmc_level("latest"), None);
    }
}
