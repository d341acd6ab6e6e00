//! The estate: what an admin sees on an IBM Power estate, as typed data.
//!
//! These types carry the vocabulary of the HMC, AIX and NIM and the operational rules
//! tied to it (which system states allow a remote restart, which WPAR states are stuck).
//! They hold no I/O; parsers in [`crate::sources`] fill them.

mod vocabulary;

pub mod attributes;
pub mod console;
pub mod lpar;
pub mod nim;
pub mod rspool;
pub mod snapshot;
pub mod system;
pub mod wpar;

pub use attributes::Attributes;
pub use console::HmcVersion;
pub use lpar::{
    Lpar, LparEnv, LparState, MigrationProgress, MigrationState, Profile, ReferenceCode,
    RemoteRestartStatus, RmcState, RsAssignment,
};
pub use nim::{Cstate, Mstate, NimClass, NimObject, Rstate};
pub use rspool::{RsDevice, RsPool, RsState};
pub use snapshot::{ReadFailure, SourceData, SourceKind, SourceSnapshot, SourceStatus, SystemData};
pub use system::{
    FirmwareLevels, ManagedSystem, RetrievableLevels, SystemCapabilities, SystemState,
};
pub use wpar::{Wpar, WparState, WparType};
