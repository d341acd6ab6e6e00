//! Looking things up across every HMC's snapshot, for the plan builders.

use crate::estate::{Lpar, ManagedSystem};
use crate::estate::{SourceData, SourceSnapshot, SystemData};

/// The estate as the wizards see it: every HMC's systems and partitions.
#[derive(Debug, Clone, Copy)]
pub struct EstateView<'a> {
    pub snapshots: &'a [SourceSnapshot],
}

/// A system and the HMC that manages it.
#[derive(Debug, Clone, Copy)]
pub struct SystemRef<'a> {
    pub hmc: &'a str,
    pub data: &'a SystemData,
}

impl<'a> SystemRef<'a> {
    /// The managed system.
    pub fn system(&self) -> &'a ManagedSystem {
        &self.data.system
    }

    /// A partition of this system by name.
    pub fn lpar(&self, name: &str) -> Option<&'a Lpar> {
        self.data.lpars.iter().find(|lpar| lpar.name == name)
    }
}

impl<'a> EstateView<'a> {
    /// A view over snapshots.
    pub fn new(snapshots: &'a [SourceSnapshot]) -> Self {
        EstateView { snapshots }
    }

    /// Every managed system of every HMC.
    pub fn systems(&self) -> impl Iterator<Item = SystemRef<'a>> + 'a {
        self.snapshots.iter().flat_map(|snapshot| {
            let systems: &'a [SystemData] = match &snapshot.data {
                SourceData::Hmc(systems) => systems,
                _ => &[],
            };
            systems.iter().map(move |data| SystemRef {
                hmc: &snapshot.name,
                data,
            })
        })
    }

    /// Systems called `name` (by name or MTMS).
    pub fn find_system(&self, name: &str) -> Vec<SystemRef<'a>> {
        self.systems()
            .filter(|s| s.system().name == name || s.system().mtms() == name)
            .collect()
    }

    /// Every (system, partition) with this partition name.
    pub fn find_lpar(&self, name: &str) -> Vec<(SystemRef<'a>, &'a Lpar)> {
        self.systems()
            .filter_map(|system| system.lpar(name).map(|lpar| (system, lpar)))
            .collect()
    }
}
