//! Small listings: `lshmc -V` and `lsrefcode` (docs/formats.md, "HMC: lshmc -V",
//! "HMC: lsrefcode").
//!
//! Reference codes are derived from states: a running AIX partition has none posted
//! (empty), a partition that is off `00000000`, one starting `CA00E1F1`, in SMS
//! `CA00E1DC`, shutting down `D200A250`, unreachable `B2008105`; a system `Operating`
//! posts `00000000`, `Initializing` `C1001F00`, powering off `D1008000`, a crash
//! `B7005442`. `-n N` lists the current code and the boot codes before it, one second
//! apart. An estate `refcode` overrides the current code of a partition.

use std::time::Duration;

use super::args::{Args, Spec};
use super::listing::{render, Record};
use super::{clock, messages, model};
use crate::estate::{LparState, SystemState};
use crate::sim::estate::{HmcHost, SimLpar, SimSystem};
use crate::sim::reply::Reply;

/// Runs `lshmc` (only `-V`).
pub fn lshmc(hmc: &HmcHost, argv: &[String]) -> Reply {
    match argv {
        [flag] if flag == "-V" => Reply::ok(version_text(&hmc.version, hmc.build_level.as_deref())),
        [flag] if flag == "--help" => Reply::ok("Usage: lshmc -V [--help]\n"),
        [] => messages::usage(&["-V"]),
        [other, ..] => messages::usage(&[other]),
    }
}

/// The raw `lshmc -V` text for a base version such as `V10R3M1060` or `V7R7.9.0M3`:
/// `Version`, `Release` and `Service Pack` come from the `V`, `R` and `M` parts.
pub fn version_text(version: &str, build_level: Option<&str>) -> String {
    let rest = version.strip_prefix('V').unwrap_or(version);
    let (major, rest) = rest.split_once('R').unwrap_or((rest, ""));
    let (release, service_pack) = rest.split_once('M').unwrap_or((rest, "0"));
    let build = build_level.map_or_else(|| default_build(version), str::to_string);
    format!(
        "\"version= Version: {major}\n Release: {release}\n Service Pack: {service_pack}\nHMC Build level {build}\n\",\"base_version=V{major}R{release}\n\"\n"
    )
}

/// A build level stable for a version: the published V10R3 one (docs/formats.md,
/// "HMC: lshmc -V"), or a date-like number derived from the version text.
fn default_build(version: &str) -> String {
    if version == "V10R3M1060" {
        return "2408210051".to_string();
    }
    let sum = version.bytes().fold(7u32, |acc, b| {
        acc.wrapping_mul(31).wrapping_add(u32::from(b))
    });
    format!(
        "2{:03}{:02}{:02}{:04}",
        400 + sum % 100,
        1 + sum % 12,
        1 + sum % 28,
        sum % 10_000
    )
}

const SPEC: Spec = Spec {
    values: &["-r", "-m", "-s", "-n", "--filter"],
    flags: &[],
    listing: true,
};

const LPAR_ATTRS: &[&str] = &[
    "lpar_name",
    "lpar_id",
    "time_stamp",
    "refcode",
    "word2",
    "word3",
    "word4",
    "word5",
    "word6",
    "word7",
    "word8",
    "word9",
    "fru_call_out_loc_codes",
];

const SYS_ATTRS: &[&str] = &[
    "refcode_num",
    "time_stamp",
    "refcode",
    "word2",
    "word3",
    "word4",
    "word5",
    "word6",
    "word7",
    "word8",
    "word9",
    "fru_call_out_loc_codes",
];

/// Boot progress codes of an AIX partition, most recent first.
const BOOT_CODES: &[&str] = &[
    "CA00E1F5", "CA00E1F1", "CA00E105", "CA00E101", "CA000040", "CA000032", "CA000030", "CA000020",
    "C7004091", "C2008130",
];

/// Runs `lsrefcode -r lpar|sys`.
pub fn lsrefcode(hmc: &HmcHost, now: Duration, argv: &[String]) -> Reply {
    let result = (|| {
        let args = Args::parse(argv, &SPEC)?;
        if args.help {
            return Ok(Reply::ok(
                "Usage: lsrefcode -r {sys | lpar} -m managed-system [-s {p | s}] [-n number] [--filter \"filter-data\"] [-F [attribute-names] [--header]] [--help]\n",
            ));
        }
        let system = &hmc.systems[model::find_system(hmc, args.need("-m")?)?];
        if !matches!(args.get("-s"), None | Some("p" | "s")) {
            return Err(messages::usage(&["-s"]));
        }
        let count: usize = match args.get("-n") {
            None => 1,
            Some(n) => n
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| messages::usage(&["-n"]))?
                .min(BOOT_CODES.len() + 1),
        };
        match args.get("-r") {
            Some("lpar") => {
                let filter = args.filter(&["lpar_names", "lpar_ids"])?;
                let mut records = Vec::new();
                for lpar in system
                    .lpars
                    .iter()
                    .filter(|lpar| filter.admits_lpar(&lpar.name, lpar.id))
                {
                    for (code, stamp) in history(system, lpar, now, count) {
                        records.push(with_words(
                            Record::new()
                                .text("lpar_name", &lpar.name)
                                .text("lpar_id", lpar.id.to_string())
                                .text("time_stamp", stamp)
                                .text("refcode", code),
                        ));
                    }
                }
                render(&records, &args.format, LPAR_ATTRS).map(Reply::ok)
            }
            Some("sys") => {
                if args.get("--filter").is_some() {
                    return Err(messages::usage(&["--filter"]));
                }
                let since = system.runtime.state_since.unwrap_or_default();
                let offset = secs_between(now, since);
                let records = vec![with_words(
                    Record::new()
                        .text("refcode_num", "1")
                        .text("time_stamp", clock::stamp(now, -offset))
                        .text("refcode", system_code(&system.state)),
                )];
                render(&records, &args.format, SYS_ATTRS).map(Reply::ok)
            }
            _ => Err(messages::usage(&["-r"])),
        }
    })();
    result.unwrap_or_else(|reply| reply)
}

fn secs_between(now: Duration, since: Duration) -> i64 {
    i64::try_from(now.saturating_sub(since).as_secs()).unwrap_or(0)
}

fn with_words(mut record: Record) -> Record {
    for word in [
        "word2", "word3", "word4", "word5", "word6", "word7", "word8", "word9",
    ] {
        record = record.text(word, "00000000");
    }
    record.text("fru_call_out_loc_codes", "")
}

fn system_code(state: &SystemState) -> &'static str {
    match state {
        SystemState::Operating | SystemState::Standby | SystemState::PowerOff => "00000000",
        SystemState::Initializing => "C1001F00",
        SystemState::PowerOffInProgress => "D1008000",
        _ => "B7005442",
    }
}

fn current_code(system: &SimSystem, lpar: &SimLpar) -> String {
    let state = model::lpar_state(system, lpar);
    if let (Some(code), LparState::Running) = (&lpar.refcode, &state) {
        return code.clone();
    }
    match state {
        LparState::Running | LparState::MigratingRunning => String::new(),
        LparState::Starting => "CA00E1F1".to_string(),
        LparState::OpenFirmware => "CA00E1DC".to_string(),
        LparState::ShuttingDown => "D200A250".to_string(),
        LparState::NotAvailable | LparState::Error => "B2008105".to_string(),
        _ => "00000000".to_string(),
    }
}

/// The last `count` codes of a partition with their time stamps, newest first.
fn history(
    system: &SimSystem,
    lpar: &SimLpar,
    now: Duration,
    count: usize,
) -> Vec<(String, String)> {
    let since = match lpar.runtime.state_since {
        Some(since) => secs_between(now, since),
        // Before the simulator started: booted a few days ago, partitions a minute apart.
        None => 3 * 86_400 - i64::from(lpar.id.min(10_000)) * 60,
    };
    let mut codes = vec![(current_code(system, lpar), clock::stamp(now, -since))];
    for (index, code) in BOOT_CODES.iter().enumerate().take(count.saturating_sub(1)) {
        let back = since + 1 + index as i64;
        codes.push((code.to_string(), clock::stamp(now, -back)));
    }
    codes
}
