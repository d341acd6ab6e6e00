//! Workload partitions (WPARs) inside an AIX global environment.

use serde::Serialize;

use super::vocabulary::vocabulary;

vocabulary! {
    /// WPAR state: `lswpar` prints a letter, `lswpar -G` and WPAR Manager the word
    /// (docs/formats.md, "AIX: WPAR states").
    WparState {
        Defined => "Defined" | "D",
        Loaded => "Loaded" | "L",
        Active => "Active" | "A",
        Frozen => "Frozen" | "F",
        Paused => "Paused" | "P",
        Maintenance => "Maintenance" | "N",
        Moving => "Moving" | "M",
        Transitional => "Transitional" | "T",
        Broken => "Broken" | "B",
        Error => "Error" | "E",
    }
}

impl WparState {
    /// The one-letter form of `lswpar`'s State column.
    pub fn letter(&self) -> Option<char> {
        Some(match self {
            Self::Defined => 'D',
            Self::Loaded => 'L',
            Self::Active => 'A',
            Self::Frozen => 'F',
            Self::Paused => 'P',
            Self::Maintenance => 'N',
            Self::Moving => 'M',
            Self::Transitional => 'T',
            Self::Broken => 'B',
            Self::Error => 'E',
            Self::Other(_) => return None,
        })
    }

    /// Running normally.
    pub fn is_active(&self) -> bool {
        matches!(self, Self::Active)
    }

    /// Left behind by a failed or interrupted administrative operation: a WPAR in
    /// `T` long after an operation, or `B`, needs the recovery of docs/procedures.md,
    /// "WPAR recovery", before anything else can be done with it.
    pub fn is_stuck(&self) -> bool {
        matches!(self, Self::Transitional | Self::Broken | Self::Error)
    }

    /// An operation is acting on the WPAR right now (it may still finish by itself).
    pub fn is_transitional(&self) -> bool {
        matches!(self, Self::Transitional | Self::Moving | Self::Loaded)
    }
}

vocabulary! {
    /// WPAR type: system or application.
    WparType {
        System => "System" | "S",
        Application => "Application" | "A",
    }
}

impl WparType {
    /// The one-letter form of `lswpar`'s Type column.
    pub fn letter(&self) -> Option<char> {
        match self {
            Self::System => Some('S'),
            Self::Application => Some('A'),
            Self::Other(_) => None,
        }
    }
}

/// A workload partition as `lswpar` (and `lswpar -G`) reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Wpar {
    pub name: String,
    pub state: WparState,
    #[serde(rename = "type")]
    pub wpar_type: WparType,
    pub hostname: Option<String>,
    pub directory: Option<String>,
    /// Its root file systems live on disks of its own (rootvg WPAR).
    pub rootvg: bool,
    /// `None` until `lswpar -G` (or `-a checkpointable`) has been read.
    pub checkpointable: Option<bool>,
    /// Private, writable /usr and /opt (detached WPAR); `None` until known.
    pub private_usr: Option<bool>,
    pub auto_start: Option<bool>,
    /// 0 native, 1 AIX 5.2 versioned, 2 AIX 5.3 versioned.
    pub ostype: Option<u32>,
    pub owner: Option<String>,
    pub uuid: Option<String>,
}

impl Wpar {
    /// A WPAR with just what the plain `lswpar` table shows.
    pub fn new(name: impl Into<String>, state: WparState, wpar_type: WparType) -> Self {
        Wpar {
            name: name.into(),
            state,
            wpar_type,
            hostname: None,
            directory: None,
            rootvg: false,
            checkpointable: None,
            private_usr: None,
            auto_start: None,
            ostype: None,
            owner: None,
            uuid: None,
        }
    }

    /// Versioned WPARs (AIX 5.2/5.3) cannot be synchronised with `syncwpar`.
    pub fn is_versioned(&self) -> bool {
        self.ostype.is_some_and(|ostype| ostype != 0)
    }
}
