//! NIM masters: reading `lsnim` (aix-wpar-nim.md §6).

pub mod lsnim;

pub use lsnim::{parse_lsnim, parse_lsnim_long, NimEntry};
