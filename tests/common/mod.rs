//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// Marker line in a fixture file: above it, where the sample comes from; below it,
/// the host's output byte for byte.
pub const OUTPUT_MARKER: &str = "--- output\n";

/// The raw host output stored in `tests/fixtures/<path>`, without its source header.
///
/// Every fixture starts with comment lines naming its source (which docs/formats.md
/// section, which published capture) and then `--- output` on a line of its own.
pub fn fixture(path: &str) -> String {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path);
    let text = std::fs::read_to_string(&full)
        .unwrap_or_else(|err| panic!("cannot read fixture {}: {err}", full.display()));
    let (header, output) = text
        .split_once(OUTPUT_MARKER)
        .unwrap_or_else(|| panic!("fixture {} has no '--- output' line", full.display()));
    assert!(
        header.lines().any(|line| line.starts_with("# source:")),
        "fixture {} does not name its source",
        full.display()
    );
    output.to_string()
}

pub mod home;
pub mod sim;
pub mod sshd;
pub mod tmux;
