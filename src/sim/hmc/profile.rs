//! Partition profiles (`lssyscfg -r prof`, docs/formats.md, "HMC: lssyscfg -r prof"),
//! synthesized from what the estate says about a partition: memory, processing units,
//! VLANs, physical I/O, and the VIOS of its system (virtual SCSI and NPIV adapters pair
//! each client with each VIOS).
//!
//! Attribute order follows the published `mksyscfg -i` line (docs/formats.md,
//! "HMC: quoting").

use super::listing::Record;
use super::model;
use crate::sim::estate::{SimLpar, SimSystem};

/// Every attribute of a profile record.
pub const ATTRS: &[&str] = &[
    "name",
    "lpar_name",
    "lpar_id",
    "lpar_env",
    "all_resources",
    "min_mem",
    "desired_mem",
    "max_mem",
    "min_num_huge_pages",
    "desired_num_huge_pages",
    "max_num_huge_pages",
    "mem_mode",
    "mem_expansion",
    "hpt_ratio",
    "proc_mode",
    "min_proc_units",
    "desired_proc_units",
    "max_proc_units",
    "min_procs",
    "desired_procs",
    "max_procs",
    "sharing_mode",
    "uncap_weight",
    "shared_proc_pool_id",
    "shared_proc_pool_name",
    "affinity_group_id",
    "io_slots",
    "lpar_io_pool_ids",
    "max_virtual_slots",
    "virtual_serial_adapters",
    "virtual_scsi_adapters",
    "virtual_eth_adapters",
    "virtual_eth_vsi_profiles",
    "virtual_fc_adapters",
    "vtpm_adapters",
    "hca_adapters",
    "boot_mode",
    "conn_monitoring",
    "auto_start",
    "power_ctrl_lpar_ids",
    "work_group_id",
    "redundant_err_path_reporting",
    "bsr_arrays",
    "lpar_proc_compat_mode",
    "sriov_eth_logical_ports",
];

/// Client slot of the first virtual SCSI adapter; the second VIOS gets the next one.
const CLIENT_VSCSI_SLOT: u32 = 3;
/// Client slot of the first NPIV adapter.
const CLIENT_VFC_SLOT: u32 = 5;
/// VIOS slots serving a client are this plus the client's id.
const VIOS_VSCSI_BASE: u32 = 200;
const VIOS_VFC_BASE: u32 = 400;

/// The profile record of a partition.
pub fn record(system: &SimSystem, lpar: &SimLpar) -> Record {
    let vios = lpar.env.is_vios();
    let units = lpar.units();
    let desired_units = if units > 0.0 { units } else { 0.05 };
    let min_units = round_to(desired_units / 4.0, 0.05).max(if model::generation(system) <= 7 {
        0.1
    } else {
        0.05
    });
    let min_units = min_units.min(desired_units);
    let max_units = desired_units * 2.0;
    let desired_procs = (desired_units.ceil() as u64).max(1);
    let max_procs = (max_units.ceil() as u64).max(desired_procs);
    Record::new()
        .text("name", &lpar.profile)
        .text("lpar_name", &lpar.name)
        .text("lpar_id", lpar.id.to_string())
        .text("lpar_env", lpar.env.as_str())
        .text("all_resources", "0")
        .text("min_mem", min_memory(lpar).to_string())
        .text("desired_mem", lpar.memory_mb.to_string())
        .text("max_mem", lpar.max_memory().to_string())
        .text("min_num_huge_pages", "0")
        .text("desired_num_huge_pages", "0")
        .text("max_num_huge_pages", "0")
        .text("mem_mode", "ded")
        .text("mem_expansion", "0.0")
        .text(
            "hpt_ratio",
            if model::generation(system) <= 7 {
                "1:64"
            } else {
                "1:128"
            },
        )
        .text("proc_mode", "shared")
        .text("min_proc_units", units_text(min_units))
        .text("desired_proc_units", units_text(desired_units))
        .text("max_proc_units", units_text(max_units))
        .text("min_procs", "1")
        .text("desired_procs", desired_procs.to_string())
        .text("max_procs", max_procs.to_string())
        .text("sharing_mode", "uncap")
        .text("uncap_weight", if vios { "255" } else { "128" })
        .text("shared_proc_pool_id", "0")
        .text("shared_proc_pool_name", "DefaultPool")
        .text("affinity_group_id", "none")
        .list("io_slots", io_slots(lpar))
        .text("lpar_io_pool_ids", "none")
        .text("max_virtual_slots", if vios { "1000" } else { "64" })
        .list(
            "virtual_serial_adapters",
            vec![
                "0/server/1/any//any/1".to_string(),
                "1/server/1/any//any/1".to_string(),
            ],
        )
        .list("virtual_scsi_adapters", scsi_adapters(system, lpar))
        .list("virtual_eth_adapters", eth_adapters(system, lpar))
        .text("virtual_eth_vsi_profiles", "none")
        .list("virtual_fc_adapters", fc_adapters(system, lpar))
        .text("vtpm_adapters", "none")
        .text("hca_adapters", "none")
        .text("boot_mode", "norm")
        .text("conn_monitoring", "1")
        .flag("auto_start", lpar.starts_with_system())
        .text("power_ctrl_lpar_ids", "none")
        .text("work_group_id", "none")
        .text("redundant_err_path_reporting", "0")
        .text("bsr_arrays", "0")
        .text("lpar_proc_compat_mode", model::desired_mode(lpar))
        .text("sriov_eth_logical_ports", "none")
}

/// `min_mem`: a quarter of the desired memory in 256 MB steps, at least 256 MB (never
/// above the desired memory).
pub fn min_memory(lpar: &SimLpar) -> u64 {
    (lpar.memory_mb / 4 / 256 * 256)
        .max(256)
        .min(lpar.memory_mb)
}

/// `1.5`, `0.25`, `2.0`: units as the HMC prints them in profiles.
fn units_text(units: f64) -> String {
    let text = format!("{units:.2}");
    let text = text.trim_end_matches('0');
    if text.ends_with('.') {
        format!("{text}0")
    } else {
        text.to_string()
    }
}

fn round_to(value: f64, step: f64) -> f64 {
    (value / step).round() * step
}

/// Physical slots: a VIOS owns its adapters, a client only when the estate says so.
fn io_slots(lpar: &SimLpar) -> Vec<String> {
    let base = 0x2101_0000u32.wrapping_add(lpar.id.wrapping_mul(0x100));
    if lpar.env.is_vios() {
        vec![
            format!("{:08X}/none/1", base.wrapping_add(1)),
            format!("{:08X}/none/1", base.wrapping_add(2)),
        ]
    } else if lpar.physical_io {
        vec![format!("{:08X}/none/1", base.wrapping_add(3))]
    } else {
        Vec::new()
    }
}

/// NPIV client adapters a partition has: one per VIOS (at most two), none for a VIOS or
/// a partition with physical I/O.
pub fn fc_adapter_count(system: &SimSystem, lpar: &SimLpar) -> usize {
    if lpar.env.is_vios() || lpar.physical_io {
        0
    } else {
        model::vios(system).take(2).count()
    }
}

/// The two WWPNs of a partition's `index`-th NPIV adapter; they follow the partition
/// wherever it moves.
pub fn wwpns(lpar: &SimLpar, index: usize) -> (String, String) {
    let hash = lpar
        .name
        .bytes()
        .chain(std::iter::once(index as u8))
        .fold(0xcbf2_9ce4_8422_2325u64, |acc, b| {
            (acc ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    let low = (hash as u32) & 0xffff_fffe;
    (
        format!("c0507608{low:08x}"),
        format!("c0507608{:08x}", low | 1),
    )
}

fn scsi_adapters(system: &SimSystem, lpar: &SimLpar) -> Vec<String> {
    if lpar.env.is_vios() {
        let index = model::vios(system)
            .position(|v| v.name == lpar.name)
            .unwrap_or(0) as u32;
        return model::clients(system)
            .map(|client| {
                format!(
                    "{}/server/{}/{}/{}/0",
                    VIOS_VSCSI_BASE.saturating_add(client.id),
                    client.id,
                    client.name,
                    CLIENT_VSCSI_SLOT + index
                )
            })
            .collect();
    }
    model::vios(system)
        .take(2)
        .enumerate()
        .map(|(index, vios)| {
            format!(
                "{}/client/{}/{}/{}/1",
                CLIENT_VSCSI_SLOT + index as u32,
                vios.id,
                vios.name,
                VIOS_VSCSI_BASE.saturating_add(lpar.id)
            )
        })
        .collect()
}

fn fc_adapters(system: &SimSystem, lpar: &SimLpar) -> Vec<String> {
    if lpar.env.is_vios() {
        let index = model::vios(system)
            .position(|v| v.name == lpar.name)
            .unwrap_or(0) as u32;
        return model::clients(system)
            .filter(|client| fc_adapter_count(system, client) > index as usize)
            .map(|client| {
                format!(
                    "{}/server/{}/{}/{}//0",
                    VIOS_VFC_BASE.saturating_add(client.id),
                    client.id,
                    client.name,
                    CLIENT_VFC_SLOT + index
                )
            })
            .collect();
    }
    model::vios(system)
        .take(fc_adapter_count(system, lpar))
        .enumerate()
        .map(|(index, vios)| {
            let (a, b) = wwpns(lpar, index);
            format!(
                "{}/client/{}/{}/{}/{a},{b}/1",
                CLIENT_VFC_SLOT + index as u32,
                vios.id,
                vios.name,
                VIOS_VFC_BASE.saturating_add(lpar.id)
            )
        })
        .collect()
}

fn eth_adapters(system: &SimSystem, lpar: &SimLpar) -> Vec<String> {
    if lpar.env.is_vios() {
        let index = model::vios(system)
            .position(|v| v.name == lpar.name)
            .unwrap_or(0);
        let vlans: Vec<String> = if lpar.vlans.is_empty() {
            model::bridged_vlans(system)
        } else {
            lpar.vlans.clone()
        }
        .iter()
        .map(u32::to_string)
        .collect();
        return vec![
            format!("2/1/4094/{}/{}/1", vlans.join(","), index + 1),
            "3/0/4095//0/1".to_string(),
        ];
    }
    let vlans = model::client_vlans(lpar);
    let extra: Vec<String> = vlans.iter().skip(1).map(u32::to_string).collect();
    if extra.is_empty() {
        vec![format!("2/0/{}//0/0", vlans[0])]
    } else {
        vec![format!("2/1/{}/{}/0/0", vlans[0], extra.join(","))]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_print_like_profiles() {
        assert_eq!(units_text(2.0), "2.0");
        assert_eq!(units_text(0.5), "0.5");
        assert_eq!(units_text(0.25), "0.25");
    }
}
