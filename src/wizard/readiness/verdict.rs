//! What decides a partition's fate before any target is looked at, in the order of
//! docs/procedures.md, "Remote restart readiness": capability, activation since it
//! became capable, and for PowerVM remote restart its reserved storage device.

use crate::estate::{Lpar, RemoteRestartStatus, SystemData};

use super::facts::SystemFacts;
use super::{Reason, Verdict};

/// The verdict when the partition itself stops it; `None` when a target decides.
pub(super) fn before_target(
    data: &SystemData,
    lpar: &Lpar,
    facts: Option<&SystemFacts>,
) -> Option<Verdict> {
    if !lpar.is_remote_restart_capable() {
        return Some(Verdict::not_ready(
            Reason::NotCapable,
            "neither remote_restart_capable nor simplified_remote_restart_capable is set",
        ));
    }
    match &lpar.remote_restart_status {
        None => {
            return Some(Verdict::not_ready(
                Reason::Unknown,
                "the HMC did not list its remote_restart_status",
            ))
        }
        Some(RemoteRestartStatus::Invalid) => {
            return Some(Verdict::not_ready(
                Reason::NeverActivated,
                "remote restart status Invalid: activate it once",
            ))
        }
        Some(status) if !status.is_restartable() => {
            return Some(Verdict::not_ready(
                Reason::Unknown,
                format!("remote restart status is {status}, not Remote Restartable"),
            ))
        }
        Some(_) => {}
    }
    if lpar.needs_reserved_storage() {
        return reserved_device(data, lpar, facts);
    }
    None
}

/// PowerVM remote restart keeps the partition's configuration on its reserved storage
/// device: one must be assigned, and as big as `lsrsdevsize` says.
fn reserved_device(data: &SystemData, lpar: &Lpar, facts: Option<&SystemFacts>) -> Option<Verdict> {
    let Some(name) = &lpar.rs.device_name else {
        return Some(Verdict::not_ready(
            Reason::NoReservedDevice,
            "PowerVM remote restart needs a reserved storage device, and none is assigned",
        ));
    };
    let mut named = data.rs_devices.iter().filter(|d| &d.device_name == name);
    let device = named
        .clone()
        .find(|d| d.lpar_name.as_ref() == Some(&lpar.name))
        .or_else(|| named.next());
    let Some(size) = device.and_then(|d| d.size) else {
        return Some(Verdict::not_ready(
            Reason::Unknown,
            format!("cannot tell the size of its device {name}: not in the reserved storage pool listing"),
        ));
    };
    let need = match facts.and_then(|f| f.device_needs.get(&lpar.name)) {
        Some(Ok(need)) => *need,
        Some(Err(why)) => return Some(Verdict::not_ready(Reason::Unknown, why.clone())),
        None => {
            return Some(Verdict::not_ready(
                Reason::Unknown,
                "the device size it needs (lsrsdevsize) was not read",
            ))
        }
    };
    (size < need).then(|| {
        Verdict::not_ready(
            Reason::ReservedDeviceTooSmall,
            format!("its device {name} has {size} MB; lsrsdevsize asks for {need} MB"),
        )
    })
}
