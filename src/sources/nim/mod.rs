//! NIM masters: reading `lsnim` and building `lsnim`/`nim` commands (aix-wpar-nim.md §6, §7).

pub mod commands;
pub mod lsnim;

pub use lsnim::{parse_lsnim, parse_lsnim_long, NimEntry};
