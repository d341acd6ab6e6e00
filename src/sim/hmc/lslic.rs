//! `lslic`: firmware levels of a managed system and what a repository offers
//! (docs/formats.md, "HMC: lslic").
//!
//! The `-t sys` record follows the layout of the parser's fixture
//! (`tests/fixtures/hmc/lslic_sys.txt`), followed on POWER8 and later systems by
//! `update_access_key_exp_date` (docs/formats.md, "HMC: lslic"; where the real record
//! puts it is not known, so the end is this simulator's choice); with `-r`, the record
//! is `retrievable_release`, `concurrent_retrievable_level`,
//! `disruptive_retrievable_level`, a level printing `None` when the repository has
//! nothing newer than the activated level.

use super::args::{Args, Spec};
use super::listing::{render, Record};
use super::{messages, model};
use crate::sim::estate::{HmcHost, SimFirmware, SimRepository, SimSystem};
use crate::sim::reply::Reply;

/// Options of `lslic` (and the repository options `updlic` shares).
pub const SPEC: Spec = Spec {
    values: &["-m", "-t", "-r", "-h", "-u", "--passwd", "-k", "-d"],
    flags: &[],
    listing: true,
};

const LEVEL_ATTRS: &[&str] = &[
    "lic_type",
    "management_status",
    "disabled_reason",
    "activated_level",
    "activated_spname",
    "installed_level",
    "installed_spname",
    "accepted_level",
    "accepted_spname",
    "ecnumber",
    "mtms",
    "deferred_level",
    "deferred_spname",
    "platform_ipl_level",
    "platform_ipl_spname",
    "curr_level_primary",
    "curr_power_on_side_primary",
    "pend_power_on_side_primary",
    "temp_level_primary",
    "perm_level_primary",
    "update_control_primary",
    "update_access_key_exp_date",
];

/// The update access key date of a POWER8 or later system whose estate names none: a
/// year after the simulator's start (simulator's choice).
pub const DEFAULT_ACCESS_KEY_EXPIRY: &str = "06/14/2026";

const RETRIEVABLE_ATTRS: &[&str] = &[
    "retrievable_release",
    "concurrent_retrievable_level",
    "disruptive_retrievable_level",
];

/// Runs `lslic`.
pub fn run(hmc: &HmcHost, argv: &[String]) -> Reply {
    let result = (|| {
        let args = Args::parse(argv, &SPEC)?;
        if args.help {
            return Ok(Reply::ok(
                "Usage: lslic -m managed-system [-t {sys | syspower}] [-r {ibmwebsite | ftp | sftp | dvd | disk | mountpoint | usb} [-h host-name] [-u user-ID] [-d directory]] [-F [attribute-names] [--header]] [--help]\n",
            ));
        }
        if !matches!(args.get("-t"), None | Some("sys" | "syspower")) {
            return Err(messages::usage(&["-t"]));
        }
        let system = &hmc.systems[model::find_system(hmc, args.need("-m")?)?];
        let firmware = readable(system)?;
        match args.get("-r") {
            None => render(&[levels(system, firmware)], &args.format, LEVEL_ATTRS).map(Reply::ok),
            Some(kind) => {
                let repository = find_repository(system, kind, &args)?;
                let record = retrievable(firmware, repository);
                render(&[record], &args.format, RETRIEVABLE_ATTRS).map(Reply::ok)
            }
        }
    })();
    result.unwrap_or_else(|reply| reply)
}

/// The firmware of a system whose service processor the HMC can read now; `HSCL2D0A`
/// when it is off or unreachable, `HSCL2D0B` when the estate gives it no firmware.
pub fn readable(system: &SimSystem) -> Result<&SimFirmware, Reply> {
    if model::capabilities_unknown(&system.state) {
        return Err(messages::hscl(
            "HSCL2D0A",
            format!(
                "The LIC levels of the managed system {} cannot be read while it is in the {} state.",
                system.name, system.state
            ),
        ));
    }
    system.firmware.as_ref().ok_or_else(|| {
        messages::hscl(
            "HSCL2D0B",
            format!(
                "The LIC levels of the managed system {} are not available.",
                system.name
            ),
        )
    })
}

/// `update_access_key_exp_date` of a system: none before POWER8.
pub fn access_key_expiry(system: &SimSystem, fw: &SimFirmware) -> Option<String> {
    (model::generation(system) >= 8).then(|| {
        fw.update_access_key_exp_date
            .clone()
            .unwrap_or_else(|| DEFAULT_ACCESS_KEY_EXPIRY.to_string())
    })
}

fn levels(system: &SimSystem, fw: &SimFirmware) -> Record {
    let deferred = (fw.installed_level != fw.activated_level).then_some(fw.installed_level);
    let record = Record::new()
        .text("lic_type", "Managed System")
        .text("management_status", "Enabled")
        .text("disabled_reason", "")
        .text("activated_level", fw.activated_level.to_string())
        .text("activated_spname", fw.spname(fw.activated_level))
        .text("installed_level", fw.installed_level.to_string())
        .text("installed_spname", fw.spname(fw.installed_level))
        .text("accepted_level", fw.accepted_level.to_string())
        .text("accepted_spname", fw.spname(fw.accepted_level))
        .text("ecnumber", &fw.ecnumber)
        .text("mtms", model::mtms(system))
        .text(
            "deferred_level",
            deferred.map_or("None".to_string(), |l| l.to_string()),
        )
        .text(
            "deferred_spname",
            deferred.map_or("None".to_string(), |l| fw.spname(l)),
        )
        .text("platform_ipl_level", fw.ipl_level().to_string())
        .text("platform_ipl_spname", fw.spname(fw.ipl_level()))
        .text("curr_level_primary", fw.activated_level.to_string())
        .text("curr_power_on_side_primary", "temp")
        .text("pend_power_on_side_primary", "temp")
        .text("temp_level_primary", fw.activated_level.to_string())
        .text("perm_level_primary", fw.accepted_level.to_string())
        .text("update_control_primary", "HMC");
    match access_key_expiry(system, fw) {
        Some(date) => record.text("update_access_key_exp_date", date),
        None => record,
    }
}

fn retrievable(fw: &SimFirmware, repository: &SimRepository) -> Record {
    let newer = |level: u32| {
        if level > fw.activated_level {
            level.to_string()
        } else {
            "None".to_string()
        }
    };
    let release = repository
        .release
        .as_ref()
        .filter(|release| **release != fw.ecnumber)
        .cloned()
        .unwrap_or_else(|| "None".to_string());
    Record::new()
        .text("retrievable_release", release)
        .text(
            "concurrent_retrievable_level",
            newer(repository.concurrent_level),
        )
        .text(
            "disruptive_retrievable_level",
            newer(repository.disruptive_level.max(repository.concurrent_level)),
        )
}

/// The repository `-r KIND [-h HOST] [-d DIR]` names, or `HSCL2D03`.
pub fn find_repository<'a>(
    system: &'a SimSystem,
    kind: &str,
    args: &Args,
) -> Result<&'a SimRepository, Reply> {
    const KINDS: &[&str] = &[
        "ibmwebsite",
        "ftp",
        "sftp",
        "dvd",
        "disk",
        "mountpoint",
        "usb",
    ];
    if !KINDS.contains(&kind) {
        return Err(messages::usage(&["-r"]));
    }
    let needs = match kind {
        "mountpoint" => vec!["-d"],
        "ftp" | "sftp" => vec!["-h", "-u"],
        _ => Vec::new(),
    };
    let missing: Vec<&str> = needs
        .into_iter()
        .filter(|option| args.get(option).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(messages::usage(&missing));
    }
    let directory = args.get("-d").map(|d| d.trim_end_matches('/'));
    let host = args.get("-h");
    system
        .repositories
        .iter()
        .find(|repo| {
            let dir = repo.directory.as_deref().map(|d| d.trim_end_matches('/'));
            repo.kind == kind
                && (directory.is_none() || dir.is_none() || directory == dir)
                && (kind != "mountpoint" || directory == dir)
                && (host.is_none() || repo.host.is_none() || host == repo.host.as_deref())
        })
        .ok_or_else(|| {
            let place = match (host, directory) {
                (Some(host), Some(dir)) => format!(" {host}:{dir}"),
                (Some(host), None) => format!(" {host}"),
                (None, Some(dir)) => format!(" {dir}"),
                (None, None) => String::new(),
            };
            messages::hscl(
                "HSCL2D03",
                format!(
                    "No LIC updates for the managed system {} were found in the {kind} repository{place}.",
                    system.name
                ),
            )
        })
}
