//! AIX global environments: reading `lswpar` and the verdict of WPAR lifecycle
//! commands (aix-wpar-nim.md §1, §2).

pub mod lswpar;
pub mod status;

pub use lswpar::{
    parse_lswpar_delimited, parse_lswpar_general, parse_lswpar_table, DEFAULT_LSWPAR_FIELDS,
};
pub use status::{parse_wpar_status, ReturnStatus, WparCommandStatus};
