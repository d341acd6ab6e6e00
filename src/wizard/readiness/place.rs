//! Where a partition would land when its system fails: another `Operating` system on the
//! same HMC that supports its kind of remote restart and its processor mode, with room
//! for it after the running load (already out of the free resources) and after every
//! partition this what-if placed there before it (docs/procedures.md, "Remote restart
//! readiness"). Of the targets that fit, the one with the most memory left takes it, so
//! restarts spread over the targets *(policy)*.

use crate::estate::{Lpar, SystemData};
use crate::wizard::remote_restart::target_blocker;
use crate::wizard::view::SystemRef;

use super::facts::{ReadinessFacts, SystemFacts};
use super::{Reason, Verdict};

/// One HMC's systems and their facts: the failed system and its possible targets.
pub(super) struct Hmc<'a> {
    pub name: &'a str,
    pub systems: &'a [SystemData],
    /// The `-m` name of each system.
    pub names: &'a [String],
    pub facts: &'a ReadinessFacts,
}

/// The placement of one failed system's partitions, in restart order.
pub(super) struct Placement<'a> {
    hmc: &'a Hmc<'a>,
    source: usize,
    /// Memory (MB) and processing units placed on each system so far.
    placed: Vec<(u64, f64)>,
}

/// A target that is compatible but too full, and what it has left.
struct Full {
    target: usize,
    memory_mb: u64,
    proc_units: f64,
}

impl<'a> Placement<'a> {
    /// Nothing placed yet; system `source` of `hmc` is the one that failed.
    pub fn new(hmc: &'a Hmc<'a>, source: usize) -> Self {
        Placement {
            hmc,
            source,
            placed: vec![(0, 0.0); hmc.systems.len()],
        }
    }

    /// Finds `lpar` a target, and books its size there when it has one.
    pub fn place(&mut self, lpar: &Lpar, own: Option<&SystemFacts>) -> Verdict {
        let hmc = self.hmc;
        let others: Vec<usize> = (0..hmc.systems.len())
            .filter(|&t| t != self.source)
            .collect();
        if others.is_empty() {
            return Verdict::not_ready(
                Reason::NotManagedHere,
                format!(
                    "no other managed system on {}: remote restart stays on one HMC",
                    hmc.name
                ),
            );
        }
        let operating: Vec<usize> = others
            .iter()
            .copied()
            .filter(|&t| hmc.systems[t].system.state.accepts_partitions())
            .collect();
        if operating.is_empty() {
            let states: Vec<String> = others
                .iter()
                .map(|&t| format!("{} is {}", hmc.names[t], hmc.systems[t].system.state))
                .collect();
            return Verdict::not_ready(
                Reason::NoTargetCapacity,
                format!(
                    "no other system on {} is Operating ({})",
                    hmc.name,
                    states.join(", ")
                ),
            );
        }
        let size = match own.map(|facts| facts.size_of(lpar)) {
            Some(Ok(size)) => size,
            Some(Err(why)) => return Verdict::not_ready(Reason::Unknown, why),
            None => {
                return Verdict::not_ready(
                    Reason::Unknown,
                    format!(
                        "the partition sizes of {} were not read",
                        hmc.names[self.source]
                    ),
                )
            }
        };
        let mut cannot_tell = Vec::new();
        let mut incompatible = Vec::new();
        let mut full = Vec::new();
        let mut best: Option<(usize, u64)> = None;
        for target in operating {
            let system = SystemRef {
                hmc: hmc.name,
                data: &hmc.systems[target],
            };
            if let Some(why) = target_blocker(&system, lpar) {
                if why.starts_with("cannot tell") {
                    cannot_tell.push(why);
                } else {
                    incompatible.push(why);
                }
                continue;
            }
            let free = match hmc.facts.get(hmc.name, &hmc.names[target]).map(|f| &f.free) {
                Some(Ok(free)) => free,
                Some(Err(why)) => {
                    cannot_tell.push(why.clone());
                    continue;
                }
                None => {
                    cannot_tell.push(format!(
                        "the free resources of {} were not read",
                        hmc.names[target]
                    ));
                    continue;
                }
            };
            let (memory_used, units_used) = self.placed[target];
            let memory_left = free.memory_mb.saturating_sub(memory_used);
            let units_left = (free.proc_units - units_used).max(0.0);
            if size.memory_mb <= memory_left && size.proc_units <= units_left + 1e-9 {
                if best.is_none_or(|(_, most)| memory_left > most) {
                    best = Some((target, memory_left));
                }
            } else {
                full.push(Full {
                    target,
                    memory_mb: memory_left,
                    proc_units: units_left,
                });
            }
        }
        if let Some((target, _)) = best {
            let booked = &mut self.placed[target];
            booked.0 = booked.0.saturating_add(size.memory_mb);
            booked.1 += size.proc_units;
            return Verdict::Ready {
                target: hmc.names[target].clone(),
                memory_mb: size.memory_mb,
                proc_units: size.proc_units,
            };
        }
        if !cannot_tell.is_empty() {
            return Verdict::not_ready(Reason::Unknown, cannot_tell.join("; "));
        }
        if !full.is_empty() {
            let left: Vec<String> = full
                .iter()
                .map(|f| {
                    format!(
                        "{} has {} MB and {:.2} left",
                        hmc.names[f.target], f.memory_mb, f.proc_units
                    )
                })
                .collect();
            return Verdict::not_ready(
                Reason::NoTargetCapacity,
                format!(
                    "it needs {} MB and {:.2} processing units; {}",
                    size.memory_mb,
                    size.proc_units,
                    left.join(", ")
                ),
            );
        }
        Verdict::not_ready(Reason::NoCompatibleTarget, incompatible.join("; "))
    }
}
