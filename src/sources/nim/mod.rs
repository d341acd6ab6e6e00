//! NIM masters: reading `lsnim` and the other outputs the NIM wizards judge, and building
//! the commands they send (docs/formats.md, the "NIM: ..." sections).

pub mod commands;
pub mod lsnim;
pub mod output;

pub use lsnim::{parse_lsnim, parse_lsnim_long, NimEntry};
