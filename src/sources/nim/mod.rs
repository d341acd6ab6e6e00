//! NIM masters: reading `lsnim` and building `lsnim`/`nim` commands (docs/formats.md, the
//! "NIM: ..." sections).

pub mod commands;
pub mod lsnim;

pub use lsnim::{parse_lsnim, parse_lsnim_long, NimEntry};
