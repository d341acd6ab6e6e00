//! Operations under way: a machine with the estate key `progressing = true` moves on
//! over simulated time, unlike a stuck one (docs/procedures.md, "NIM reset").
//!
//! Its `info` percentage (`BOS install 39% complete : ...`) goes up one point every
//! [`SECS_PER_PERCENT`] simulated seconds from the moment the master is first asked
//! about it, and its log (`nim -o showlog`) gains a line per point. At 100 % the
//! operation completes: Cstate back to ready with `Cstate_result = success`, the machine
//! running, its resources deallocated. A reset (`nim -Fo reset`) stops it where it is.
//!
//! The master catches its machines up before every command it runs, so whatever asks
//! (a refresh, a wizard's samples, a chained `lsnim; sleep 60; lsnim`) sees the
//! progress of the simulated time that passed.

use super::nim_host_mut;
use super::ops::{allocations, READY};
use crate::sim::estate::{NimHost, SimNimObject};
use crate::sim::world::World;

/// Simulated seconds per percentage point of a progressing operation: a BOS install
/// from 0 to 100 % takes about 50 minutes.
pub const SECS_PER_PERCENT: u64 = 30;

/// Brings every progressing machine of master `host` up to the present.
pub fn catch_up(world: &mut World, host: &str) {
    let now = world.now();
    let Some(master) = nim_host_mut(world, host) else {
        return;
    };
    let mut finished = Vec::new();
    for object in master
        .objects
        .iter_mut()
        .filter(|o| o.progressing && o.is_machine())
    {
        let base = percent(object.attr("info")).unwrap_or(0);
        let (base, since) = *object.progress_origin.get_or_insert((base, now));
        let points = now.saturating_sub(since).as_secs() / SECS_PER_PERCENT;
        let done = u64::from(base).saturating_add(points);
        if done >= 100 {
            finished.push(object.name.clone());
        } else {
            let text = with_percent(object.attr("info"), done as u32);
            object.set_attr("info", text);
        }
    }
    for name in finished {
        complete(master, &name);
    }
}

/// Stops a machine's progress (its operation was reset or taken over).
pub fn stop(object: &mut SimNimObject) {
    object.progressing = false;
    object.progress_origin = None;
}

/// The percentage in an `info` text (`BOS install 39% complete`).
pub fn percent(info: Option<&str>) -> Option<u32> {
    let info = info?;
    let at = info.find('%')?;
    let digits: String = info[..at]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok()
}

/// `info` with its percentage replaced by `value` (a BOS install line when it has none).
fn with_percent(info: Option<&str>, value: u32) -> String {
    let Some(info) = info.filter(|i| percent(Some(i)).is_some()) else {
        return format!("BOS install {value}% complete : {}", task(value));
    };
    let at = info.find('%').unwrap_or(info.len());
    let start = info[..at]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map_or(at, |(index, _)| index);
    format!("{}{value}{}", &info[..start], &info[at..])
}

/// What a BOS install is doing at `value` percent.
fn task(value: u32) -> &'static str {
    match value {
        0..=9 => "Making logical volumes.",
        10..=29 => "Restoring base operating system.",
        30..=89 => "Installing additional software.",
        _ => "Network Install Manager customization.",
    }
}

/// The operation of machine `name` finished: ready, successful, running, nothing
/// allocated.
fn complete(master: &mut NimHost, name: &str) {
    let Some(machine) = master.object(name).cloned() else {
        return;
    };
    for (key, value) in allocations(master, &machine) {
        if let Some(resource) = master.object_mut(&value) {
            let count: u64 = resource
                .attr("alloc_count")
                .and_then(|c| c.parse().ok())
                .unwrap_or(0);
            resource.set_attr("alloc_count", count.saturating_sub(1).to_string());
        }
        if let Some(o) = master.object_mut(name) {
            o.attributes.retain(|(k, v)| !(k == &key && v == &value));
        }
    }
    if let Some(o) = master.object_mut(name) {
        let old = o.attr("Cstate").unwrap_or(READY).to_string();
        o.set_attr_after("prev_state", old, "Cstate");
        o.set_attr("Cstate", READY);
        o.set_attr("Mstate", "currently running");
        o.set_attr_after("Cstate_result", "success", "Mstate");
        o.remove_attr("info");
        o.remove_attr("control");
        stop(o);
    }
}

/// The lines of the machine's log as `nim -o showlog` prints them: one per ten points
/// before the operation was first seen, then one per point it has made since.
pub fn log_lines(object: &SimNimObject) -> Vec<String> {
    let Some(now) = percent(object.attr("info")) else {
        return Vec::new();
    };
    let first_seen = object.progress_origin.map_or(now, |(base, _)| base);
    let mut points: Vec<u32> = (1..first_seen).filter(|p| *p == 1 || p % 10 == 0).collect();
    points.extend(first_seen..=now);
    points
        .into_iter()
        .map(|p| format!("BOS install {p}% complete : {}", task(p)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_read_and_replaced() {
        let info = "BOS install 39% complete : Installing additional software.";
        assert_eq!(percent(Some(info)), Some(39));
        assert_eq!(
            with_percent(Some(info), 41),
            "BOS install 41% complete : Installing additional software."
        );
        assert_eq!(percent(Some("no number")), None);
        assert_eq!(
            with_percent(None, 3),
            "BOS install 3% complete : Making logical volumes."
        );
    }
}
