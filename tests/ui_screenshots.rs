//! The committed screenshots match the code: each SVG in `screenshots/` is what the
//! console draws now. After a deliberate change of the screens, regenerate them with
//! `cargo run --example screenshots` (PNG too) and commit the result.

use std::path::PathBuf;

use powerdeck::ui::screenshot::SCENES;

#[test]
fn committed_svgs_are_current() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    let mut stale = Vec::new();
    for scene in SCENES {
        let path = dir.join(format!("{}.svg", scene.name));
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != scene.svg() {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "out of date: {stale:?}; run `cargo run --example screenshots` and commit the result"
    );
    assert!(SCENES.len() <= 9, "keep the screenshots few");
}

#[test]
fn screenshots_are_deterministic() {
    for scene in SCENES {
        assert_eq!(scene.svg(), scene.svg(), "{}", scene.name);
    }
}
