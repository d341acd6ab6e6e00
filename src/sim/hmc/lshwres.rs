//! `lshwres`: reserved storage (`-r rspool`, in [`super::rspool`]), a system's memory
//! and processors (`-r mem|proc --level sys`): what it has and what is free, the numbers
//! a remote restart or a relocation must fit in, and what each partition holds now
//! (`-r mem|proc --level lpar [--filter lpar_names=|lpar_ids=]`), what a running
//! partition takes with it when it moves (docs/formats.md, "HMC: lshwres -r mem|proc").
//!
//! A partition that is not on holds nothing (`curr_mem=0`). Every simulated partition
//! uses shared processors. A system that is not `Operating` or `Standby` cannot report
//! its resources: the simulator answers `HSCL0238` there, its own choice of message.

use super::args::{Args, Spec};
use super::listing::{render, Record};
use super::lssyscfg::units_text;
use super::{messages, model, rspool};
use crate::estate::SystemState;
use crate::sim::estate::{HmcHost, SimSystem};
use crate::sim::reply::Reply;

const LSHWRES: Spec = Spec {
    values: &["-r", "-m", "--rsubtype", "--filter", "--level"],
    flags: &[],
    listing: true,
};

const MEMORY_ATTRS: &[&str] = &[
    "configurable_sys_mem",
    "curr_avail_sys_mem",
    "installed_sys_mem",
    "sys_firmware_mem",
];

const LPAR_MEMORY_ATTRS: &[&str] = &[
    "lpar_name",
    "lpar_id",
    "curr_mem",
    "curr_max_mem",
    "run_mem",
];

const LPAR_PROC_ATTRS: &[&str] = &[
    "lpar_name",
    "lpar_id",
    "curr_shared_proc_pool_id",
    "curr_proc_mode",
    "curr_proc_units",
    "curr_procs",
    "curr_sharing_mode",
    "curr_uncap_weight",
    "run_proc_units",
    "run_procs",
];

const PROC_ATTRS: &[&str] = &[
    "configurable_sys_proc_units",
    "curr_avail_sys_proc_units",
    "installed_sys_proc_units",
];

/// Runs `lshwres`.
pub fn run(hmc: &HmcHost, argv: &[String]) -> Reply {
    let result = (|| {
        let args = Args::parse(argv, &LSHWRES)?;
        if args.help {
            return Ok(Reply::ok(
                "Usage: lshwres -r rspool|mem|proc -m managed-system [--level sys] [--rsubtype rsdev] [-F [attribute-names] [--header]] [--help]\n",
            ));
        }
        match args.get("-r") {
            Some("rspool") => Ok(rspool::lshwres(hmc, &args)),
            Some(resource @ ("mem" | "proc")) => system_resources(hmc, &args, resource),
            _ => Err(messages::usage(&["-r"])),
        }
    })();
    result.unwrap_or_else(|reply| reply)
}

fn system_resources(hmc: &HmcHost, args: &Args, resource: &str) -> Result<Reply, Reply> {
    let lpar_level = match args.get("--level") {
        Some("sys") => false,
        Some("lpar") => true,
        _ => return Err(messages::usage(&["--level"])),
    };
    if args.get("--rsubtype").is_some() {
        return Err(messages::usage(&["--rsubtype"]));
    }
    if !lpar_level && args.get("--filter").is_some() {
        return Err(messages::usage(&["--filter"]));
    }
    let index = model::find_system(hmc, args.need("-m")?)?;
    let system = &hmc.systems[index];
    if !matches!(system.state, SystemState::Operating | SystemState::Standby) {
        return Err(messages::not_operating());
    }
    if lpar_level {
        return partition_resources(system, args, resource);
    }
    let (free_mem, free_units) = model::free_capacity(hmc, index);
    let (record, known) = if resource == "mem" {
        let record = Record::new()
            .text("configurable_sys_mem", system.memory_mb.to_string())
            .text("curr_avail_sys_mem", free_mem.to_string())
            .text("installed_sys_mem", system.memory_mb.to_string())
            .text("sys_firmware_mem", "0");
        (record, MEMORY_ATTRS)
    } else {
        let record = Record::new()
            .text("configurable_sys_proc_units", units_text(system.proc_units))
            .text("curr_avail_sys_proc_units", format!("{free_units:.2}"))
            .text("installed_sys_proc_units", units_text(system.proc_units));
        (record, PROC_ATTRS)
    };
    render(&[record], &args.format, known).map(Reply::ok)
}

/// `--level lpar`: what each partition holds now.
fn partition_resources(system: &SimSystem, args: &Args, resource: &str) -> Result<Reply, Reply> {
    let filter = args.filter(&["lpar_names", "lpar_ids"])?;
    let records: Vec<Record> = system
        .lpars
        .iter()
        .filter(|lpar| filter.admits_lpar(&lpar.name, lpar.id))
        .map(|lpar| {
            let on = model::uses_resources(lpar);
            let base = Record::new()
                .text("lpar_name", &lpar.name)
                .text("lpar_id", lpar.id.to_string());
            if resource == "mem" {
                let memory = if on { lpar.memory_mb } else { 0 };
                base.text("curr_mem", memory.to_string())
                    .text(
                        "curr_max_mem",
                        if on { lpar.max_memory() } else { 0 }.to_string(),
                    )
                    .text("run_mem", memory.to_string())
            } else {
                let units = if on { lpar.units() } else { 0.0 };
                let procs = if on { (units.ceil() as u64).max(1) } else { 0 };
                base.text("curr_shared_proc_pool_id", "0")
                    .text("curr_proc_mode", "shared")
                    .text("curr_proc_units", units_text(units))
                    .text("curr_procs", procs.to_string())
                    .text("curr_sharing_mode", "uncap")
                    .text(
                        "curr_uncap_weight",
                        if lpar.env.is_vios() { "255" } else { "128" },
                    )
                    .text("run_proc_units", units_text(units))
                    .text("run_procs", procs.to_string())
            }
        })
        .collect();
    let known = if resource == "mem" {
        LPAR_MEMORY_ATTRS
    } else {
        LPAR_PROC_ATTRS
    };
    render(&records, &args.format, known).map(Reply::ok)
}
