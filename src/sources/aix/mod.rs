//! AIX global environments: reading `lswpar`, the verdict of WPAR lifecycle
//! commands, and building those commands (docs/formats.md, the "AIX: ..." sections).

pub mod commands;
pub mod lswpar;
pub mod status;

pub use lswpar::{
    parse_lswpar_delimited, parse_lswpar_general, parse_lswpar_table, DEFAULT_LSWPAR_FIELDS,
};
pub use status::{parse_wpar_status, ReturnStatus, WparCommandStatus};
