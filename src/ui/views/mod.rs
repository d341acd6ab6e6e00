//! The views: one module per resource, each turning the snapshots into a [`Table`].

pub mod detail;
pub mod journal;
pub mod lpars;
pub mod nim;
pub mod rspool;
pub mod sources;
pub mod systems;
pub mod tree;
pub mod wpars;

use std::collections::{BTreeMap, BTreeSet};
use std::time::SystemTime;

use crate::estate::SourceKind;
use crate::estate::{Lpar, NimObject, Wpar};
use crate::refresh::{SourceData, SourceSnapshot, SystemData};

use super::table::{RowKey, Table};
pub use journal::JournalRun;

/// The resource views the palette, Tab and the number keys reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ViewKind {
    /// Managed systems.
    Systems,
    /// LPARs and VIOS.
    Lpars,
    /// WPARs.
    Wpars,
    /// Reserved storage devices.
    ReservedStorage,
    /// NIM objects.
    Nim,
    /// Sources and their health.
    Sources,
    /// The estate tree.
    Tree,
    /// Wizard runs.
    Journal,
}

impl ViewKind {
    /// In Tab order.
    pub const ALL: [ViewKind; 8] = [
        ViewKind::Systems,
        ViewKind::Lpars,
        ViewKind::Wpars,
        ViewKind::ReservedStorage,
        ViewKind::Nim,
        ViewKind::Sources,
        ViewKind::Tree,
        ViewKind::Journal,
    ];

    /// The palette command (`:lpar`).
    pub fn command(self) -> &'static str {
        match self {
            ViewKind::Systems => "sys",
            ViewKind::Lpars => "lpar",
            ViewKind::Wpars => "wpar",
            ViewKind::ReservedStorage => "rsp",
            ViewKind::Nim => "nim",
            ViewKind::Sources => "src",
            ViewKind::Tree => "tree",
            ViewKind::Journal => "journal",
        }
    }

    /// Other spellings the palette accepts.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            ViewKind::Systems => &["systems", "system", "cec", "ms"],
            ViewKind::Lpars => &["lpars", "vios", "partitions"],
            ViewKind::Wpars => &["wpars"],
            ViewKind::ReservedStorage => &["rspool", "rsdev", "reserved"],
            ViewKind::Nim => &["nims"],
            ViewKind::Sources => &["sources", "source", "hosts"],
            ViewKind::Tree => &["xray"],
            ViewKind::Journal => &["jobs", "history"],
        }
    }

    /// The view's name in titles.
    pub fn title(self) -> &'static str {
        match self {
            ViewKind::Systems => "Managed systems",
            ViewKind::Lpars => "LPARs",
            ViewKind::Wpars => "WPARs",
            ViewKind::ReservedStorage => "Reserved storage",
            ViewKind::Nim => "NIM objects",
            ViewKind::Sources => "Sources",
            ViewKind::Tree => "Estate tree",
            ViewKind::Journal => "Journal",
        }
    }

    /// The unscoped view.
    pub fn view(self) -> View {
        match self {
            ViewKind::Systems => View::Systems(Scope::All),
            ViewKind::Lpars => View::Lpars(Scope::All),
            ViewKind::Wpars => View::Wpars(Scope::All),
            ViewKind::ReservedStorage => View::ReservedStorage(Scope::All),
            ViewKind::Nim => View::Nim(Scope::All),
            ViewKind::Sources => View::Sources,
            ViewKind::Tree => View::Tree,
            ViewKind::Journal => View::Journal,
        }
    }
}

/// Which part of the estate a view shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Scope {
    /// Everything, all sources merged.
    #[default]
    All,
    /// What one source holds (an HMC, AIX global or NIM master).
    Source(String),
    /// One managed system.
    System {
        /// The HMC.
        hmc: String,
        /// The system.
        system: String,
    },
}

impl Scope {
    /// True when an object of `source` (and `system`, on an HMC) is in scope.
    pub fn contains(&self, source: &str, system: Option<&str>) -> bool {
        match self {
            Scope::All => true,
            Scope::Source(name) => name == source,
            Scope::System {
                hmc,
                system: wanted,
            } => hmc == source && system.is_some_and(|s| s == wanted),
        }
    }

    /// ` on p001 (hmc01)` for titles; empty for everything.
    pub fn suffix(&self) -> String {
        match self {
            Scope::All => String::new(),
            Scope::Source(name) => format!(" on {name}"),
            Scope::System { hmc, system } => format!(" on {system} ({hmc})"),
        }
    }
}

/// What is on screen.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum View {
    /// Managed systems.
    Systems(Scope),
    /// LPARs.
    Lpars(Scope),
    /// WPARs.
    Wpars(Scope),
    /// Reserved storage devices.
    ReservedStorage(Scope),
    /// NIM objects.
    Nim(Scope),
    /// Sources.
    Sources,
    /// The estate tree.
    Tree,
    /// Wizard runs.
    Journal,
    /// One wizard run from the journal, step by step (by run id).
    JournalRun(String),
    /// Every attribute of one object.
    Detail(RowKey),
}

impl View {
    /// The resource view it belongs to (`None` for a detail view or one run).
    pub fn kind(&self) -> Option<ViewKind> {
        Some(match self {
            View::Systems(_) => ViewKind::Systems,
            View::Lpars(_) => ViewKind::Lpars,
            View::Wpars(_) => ViewKind::Wpars,
            View::ReservedStorage(_) => ViewKind::ReservedStorage,
            View::Nim(_) => ViewKind::Nim,
            View::Sources => ViewKind::Sources,
            View::Tree => ViewKind::Tree,
            View::Journal => ViewKind::Journal,
            View::JournalRun(_) | View::Detail(_) => return None,
        })
    }

    /// Builds the view's table from what is known.
    pub fn table(&self, data: &EstateData<'_>) -> Table {
        match self {
            View::Systems(scope) => systems::table(data, scope),
            View::Lpars(scope) => lpars::table(data, scope),
            View::Wpars(scope) => wpars::table(data, scope),
            View::ReservedStorage(scope) => rspool::table(data, scope),
            View::Nim(scope) => nim::table(data, scope),
            View::Sources => sources::table(data),
            View::Tree => tree::table(data),
            View::Journal => journal::table(data),
            View::JournalRun(run_id) => journal::run_table(data, run_id),
            View::Detail(key) => detail::table(data, key),
        }
    }
}

/// Everything the console knows, as the views read it.
#[derive(Debug, Clone, Copy)]
pub struct EstateData<'a> {
    /// The last snapshot of each source, by source name.
    pub snapshots: &'a BTreeMap<String, SourceSnapshot>,
    /// Sources the console was started with (shown before their first refresh).
    pub expected: &'a [(String, SourceKind)],
    /// Sources whose refresh is running.
    pub refreshing: &'a BTreeSet<String>,
    /// AIX global (source name) → the LPAR it runs in (`system/lpar` or `lpar`).
    pub globals: &'a BTreeMap<String, String>,
    /// Wizard runs, newest first.
    pub journal: &'a [JournalRun],
    /// The time ages are measured against.
    pub now: SystemTime,
}

impl<'a> EstateData<'a> {
    /// Every managed system with its HMC.
    pub fn systems(&self) -> impl Iterator<Item = (&'a str, &'a SystemData)> + 'a {
        self.snapshots.values().flat_map(|snapshot| {
            let systems: &'a [SystemData] = match &snapshot.data {
                SourceData::Hmc(systems) => systems,
                _ => &[],
            };
            systems.iter().map(move |s| (snapshot.name.as_str(), s))
        })
    }

    /// Every WPAR with its AIX global.
    pub fn wpars(&self) -> impl Iterator<Item = (&'a str, &'a Wpar)> + 'a {
        self.snapshots.values().flat_map(|snapshot| {
            let wpars: &'a [Wpar] = match &snapshot.data {
                SourceData::Aix(wpars) => wpars,
                _ => &[],
            };
            wpars.iter().map(move |w| (snapshot.name.as_str(), w))
        })
    }

    /// Every NIM object with its master.
    pub fn nim_objects(&self) -> impl Iterator<Item = (&'a str, &'a NimObject)> + 'a {
        self.snapshots.values().flat_map(|snapshot| {
            let objects: &'a [NimObject] = match &snapshot.data {
                SourceData::Nim(objects) => objects,
                _ => &[],
            };
            objects.iter().map(move |o| (snapshot.name.as_str(), o))
        })
    }

    /// One partition.
    pub fn lpar(&self, hmc: &str, system: &str, name: &str) -> Option<(&'a SystemData, &'a Lpar)> {
        self.systems()
            .filter(|(h, data)| *h == hmc && data.system.name == system)
            .find_map(|(_, data)| {
                data.lpars
                    .iter()
                    .find(|l| l.name == name)
                    .map(|lpar| (data, lpar))
            })
    }

    /// The AIX globals (source names) that run in this partition, per the config.
    pub fn globals_in(&self, system: &str, lpar: &str) -> Vec<&'a str> {
        self.globals
            .iter()
            .filter(|(_, spec)| match spec.split_once('/') {
                Some((s, l)) => s == system && l == lpar,
                None => spec.as_str() == lpar,
            })
            .map(|(host, _)| host.as_str())
            .collect()
    }

    /// The partition an AIX global runs in: (HMC, system, LPAR), when the config names
    /// it and the HMC reported it.
    pub fn lpar_of_global(&self, host: &str) -> Option<(&'a str, &'a str, &'a str)> {
        let spec = self.globals.get(host)?;
        let (system, lpar) = match spec.split_once('/') {
            Some((s, l)) => (Some(s), l),
            None => (None, spec.as_str()),
        };
        self.systems().find_map(|(hmc, data)| {
            if system.is_some_and(|s| s != data.system.name) {
                return None;
            }
            data.lpars
                .iter()
                .find(|l| l.name == lpar)
                .map(|l| (hmc, data.system.name.as_str(), l.name.as_str()))
        })
    }

    /// NIM machines named like this partition (NIM knows clients by host name, which
    /// admins keep equal to the LPAR name).
    pub fn nim_machines(&self, lpar: &str) -> Vec<(&'a str, &'a NimObject)> {
        self.nim_objects()
            .filter(|(_, o)| o.class == crate::estate::NimClass::Machines && o.name == lpar)
            .collect()
    }

    /// The kind of a source, from its snapshot or the start-up list.
    pub fn source_kind(&self, name: &str) -> Option<SourceKind> {
        self.snapshots.get(name).map(|s| s.kind).or_else(|| {
            self.expected
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, kind)| *kind)
        })
    }

    /// `stale 3m` when the source's data is carried over from an earlier refresh.
    pub fn stale_label(&self, source: &str) -> Option<String> {
        let snapshot = self.snapshots.get(source)?;
        if !snapshot.stale {
            return None;
        }
        Some(match snapshot.fetched_at {
            Some(at) => format!("stale {}", age(self.now, at)),
            None => "stale".to_string(),
        })
    }
}

/// A short age: `42s`, `3m`, `5h`, `2d`.
pub fn age(now: SystemTime, then: SystemTime) -> String {
    let seconds = now.duration_since(then).map_or(0, |d| d.as_secs());
    match seconds {
        0..60 => format!("{seconds}s"),
        60..3600 => format!("{}m", seconds / 60),
        3600..172_800 => format!("{}h", seconds / 3600),
        _ => format!("{}d", seconds / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn ages_are_short() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let at = |s| age(t + Duration::from_secs(s), t);
        assert_eq!(at(0), "0s");
        assert_eq!(at(59), "59s");
        assert_eq!(at(180), "3m");
        assert_eq!(at(7200), "2h");
        assert_eq!(at(200_000), "2d");
        assert_eq!(age(t, t + Duration::from_secs(5)), "0s");
    }

    #[test]
    fn scopes() {
        let scope = Scope::System {
            hmc: "h".into(),
            system: "s".into(),
        };
        assert!(scope.contains("h", Some("s")));
        assert!(!scope.contains("h", Some("t")));
        assert!(!scope.contains("h", None));
        assert!(Scope::Source("h".into()).contains("h", Some("x")));
    }
}
