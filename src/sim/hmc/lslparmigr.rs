//! `lslparmigr -r lpar | sys` (docs/formats.md, "HMC: lslparmigr"): migration state and
//! progress.
//!
//! Idle partitions print `name=..,lpar_id=..,migration_state=Not Migrating`. A
//! migrating one (on the source, and under its destination id on the target) adds
//! `migration_type`, source and destination systems, ids and mover service partitions,
//! and `bytes_transmitted` / `bytes_remaining`, which move from all-remaining to
//! all-sent between 10 % and 90 % of the migration.
//!
//! `-r sys` says whether the system can move partitions and, for each kind (active,
//! inactive), how many moves it takes part in now, from or to it, against how many it
//! supports at once (`max_migrations` of the estate, 16 when unset). Stopped and failed
//! moves wait for `migrlpar -o r` and are not counted. A system whose capabilities the
//! HMC does not know prints `unavailable` for the flags and the limits.

use std::time::Duration;

use super::args::{Args, Spec};
use super::listing::{render, Record};
use super::migration::{sent_bytes, STARTING_SHARE};
use super::{messages, model};
use crate::sim::estate::hmc::{MigrationKind, RunStatus};
use crate::sim::estate::{HmcHost, SimLpar, SimSystem};
use crate::sim::reply::Reply;

const LSLPARMIGR: Spec = Spec {
    values: &["-r", "-m", "-t", "--ip", "-u", "-p", "--id", "--filter"],
    flags: &[],
    listing: true,
};

const LPAR_ATTRS: &[&str] = &[
    "name",
    "lpar_id",
    "migration_state",
    "migration_type",
    "source_sys_name",
    "source_lpar_id",
    "dest_sys_name",
    "dest_lpar_id",
    "source_msp_name",
    "source_msp_id",
    "dest_msp_name",
    "dest_msp_id",
    "bytes_transmitted",
    "bytes_remaining",
    "remote_manager",
    "remote_user",
];

const SYS_ATTRS: &[&str] = &[
    "inactive_lpar_mobility_capable",
    "num_inactive_migrations_supported",
    "num_inactive_migrations_in_progress",
    "active_lpar_mobility_capable",
    "num_active_migrations_supported",
    "num_active_migrations_in_progress",
];

/// Runs `lslparmigr -r lpar | sys`.
pub fn run(hmc: &HmcHost, now: Duration, argv: &[String]) -> Reply {
    let result = (|| {
        let args = Args::parse(argv, &LSLPARMIGR)?;
        if args.help {
            return Ok(Reply::ok(
                "Usage: lslparmigr -r {lpar | sys} -m managed-system [--filter \"lpar_names=...\"] [-F [attribute-names] [--header]] [--help]\n",
            ));
        }
        let index = model::find_system(hmc, args.need("-m")?)?;
        let system = &hmc.systems[index];
        match args.get("-r") {
            Some("lpar") => {
                let filter = args.filter(&["lpar_names", "lpar_ids"])?;
                let mut records: Vec<Record> = system
                    .lpars
                    .iter()
                    .filter(|lpar| filter.admits_lpar(&lpar.name, lpar.id))
                    .map(|lpar| lpar_record(system, lpar, lpar.id, now))
                    .collect();
                for incoming in model::incoming(hmc, &system.name) {
                    if filter.admits_lpar(&incoming.lpar.name, incoming.dest_id) {
                        records.push(lpar_record(
                            incoming.source,
                            incoming.lpar,
                            incoming.dest_id,
                            now,
                        ));
                    }
                }
                render(&records, &args.format, LPAR_ATTRS).map(Reply::ok)
            }
            Some("sys") => {
                if args.get("--filter").is_some() {
                    return Err(messages::usage(&["--filter"]));
                }
                let count = |kind| model::migrations_in_progress(hmc, index, kind).to_string();
                let unknown = model::capabilities_unknown(&system.state);
                let capable = if unknown {
                    "unavailable"
                } else if system.lpm_capable {
                    "1"
                } else {
                    "0"
                };
                let supported = if unknown {
                    "unavailable".to_string()
                } else {
                    model::migrations_supported(system).to_string()
                };
                let record = Record::new()
                    .text("inactive_lpar_mobility_capable", capable)
                    .text("num_inactive_migrations_supported", &supported)
                    .text(
                        "num_inactive_migrations_in_progress",
                        count(MigrationKind::Inactive),
                    )
                    .text("active_lpar_mobility_capable", capable)
                    .text("num_active_migrations_supported", &supported)
                    .text(
                        "num_active_migrations_in_progress",
                        count(MigrationKind::Active),
                    );
                render(&[record], &args.format, SYS_ATTRS).map(Reply::ok)
            }
            _ => Err(messages::usage(&["-r"])),
        }
    })();
    result.unwrap_or_else(|reply| reply)
}

/// A `-r lpar` record; `source` is the system the partition migrates from (or lives
/// on), `id` the id to show.
fn lpar_record(source: &SimSystem, lpar: &SimLpar, id: u32, now: Duration) -> Record {
    let base = Record::new()
        .text("name", &lpar.name)
        .text("lpar_id", id.to_string());
    let Some(run) = &lpar.runtime.migration else {
        return base.text("migration_state", "Not Migrating");
    };
    let elapsed = now.saturating_sub(run.started).as_secs_f64();
    let state = match run.status {
        RunStatus::Stopped => "Migration Stopped",
        RunStatus::Failed => "Migration Failed",
        RunStatus::InProgress
            if run.kind == MigrationKind::Active
                && elapsed < run.duration.as_secs_f64() * STARTING_SHARE =>
        {
            "Migration Starting"
        }
        RunStatus::InProgress => "Migration In Progress",
    };
    let sent = sent_bytes(lpar, now);
    let msp = |msp: &Option<(String, u32)>, part: usize| match (msp, part) {
        (Some((name, _)), 0) => name.clone(),
        (Some((_, id)), _) => id.to_string(),
        (None, _) => String::new(),
    };
    base.text("migration_state", state)
        .text(
            "migration_type",
            match run.kind {
                MigrationKind::Active => "active",
                MigrationKind::Inactive => "inactive",
            },
        )
        .text("source_sys_name", &source.name)
        .text("source_lpar_id", lpar.id.to_string())
        .text("dest_sys_name", &run.target)
        .text("dest_lpar_id", run.dest_id.to_string())
        .text("source_msp_name", msp(&run.source_msp, 0))
        .text("source_msp_id", msp(&run.source_msp, 1))
        .text("dest_msp_name", msp(&run.dest_msp, 0))
        .text("dest_msp_id", msp(&run.dest_msp, 1))
        .text("bytes_transmitted", sent.to_string())
        .text(
            "bytes_remaining",
            run.total_bytes.saturating_sub(sent).to_string(),
        )
        .text("remote_manager", "")
        .text("remote_user", "")
}
