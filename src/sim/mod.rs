//! The simulated Power estate: HMCs, AIX global environments and NIM masters that answer
//! over real SSH like the real ones, stateful and time-driven, with injectable faults.
//! It serves `powerdeck --demo`, `powerdeck sim` and every integration test.

pub mod aix;
pub mod client_files;
pub mod control;
pub mod estate;
pub mod generate;
pub mod hmc;
pub mod host;
pub mod local;
pub mod nim;
pub mod reply;
pub mod server;
pub mod shell;
pub mod world;

pub use estate::{Estate, HostKind};
pub use reply::Reply;
pub use world::World;
