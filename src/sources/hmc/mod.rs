//! HMC: parsers of the `ls*` listings, the typed records they yield, and the builders
//! of every HMC command powerdeck sends.
//!
//! Every listing goes through one grammar ([`record`]); the estate types implement
//! [`FromRecord`], so each command's output, in default or `-F` form, is one call:
//! `hmc::parse::<Lpar>(stdout)`.

pub mod commands;
pub mod convert;
pub mod lshmc;
pub mod record;

mod lpar;
mod lslic;
mod lslparmigr;
mod lsrefcode;
mod rspool;
mod system;

pub use convert::{convert, parse, parse_delimited, FromRecord};
pub use lshmc::parse_hmc_version;
pub use record::{parse_fields, parse_records, split_list, Record};
