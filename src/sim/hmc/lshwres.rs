//! `lshwres`: reserved storage (`-r rspool`, in [`super::rspool`]) and a system's memory
//! and processors (`-r mem|proc --level sys`): what it has and what is free, the numbers
//! a remote restart or a relocation must fit in (docs/formats.md, "HMC: lshwres -r
//! mem|proc").
//!
//! A system that is not `Operating` or `Standby` cannot report its resources: the
//! simulator answers `HSCL0238` there, its own choice of message.

use super::args::{Args, Spec};
use super::listing::{render, Record};
use super::lssyscfg::units_text;
use super::{messages, model, rspool};
use crate::estate::SystemState;
use crate::sim::estate::HmcHost;
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
    if args.get("--level") != Some("sys") || args.get("--rsubtype").is_some() {
        return Err(messages::usage(&["--level"]));
    }
    if args.get("--filter").is_some() {
        return Err(messages::usage(&["--filter"]));
    }
    let index = model::find_system(hmc, args.need("-m")?)?;
    let system = &hmc.systems[index];
    if !matches!(system.state, SystemState::Operating | SystemState::Standby) {
        return Err(messages::not_operating());
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
