//! Snapshots of every view and overlay at 100×30 and 80×24 (ratatui TestBackend + insta),
//! drawn from the story estate. Regenerate after a deliberate change with
//! `INSTA_UPDATE=always cargo test --test ui_snapshots` and review the diff.

mod ui_support;

use ui_support::{draw, press, select, story};

const SIZES: [(u16, u16); 2] = [(100, 30), (80, 24)];

/// Draws the story console after `keys` at both sizes and compares with the snapshots.
fn check(name: &str, keys: &str, setup: impl Fn(&mut powerdeck::ui::App)) {
    for (width, height) in SIZES {
        let mut app = story();
        setup(&mut app);
        press(&mut app, keys);
        let screen = draw(&mut app, width, height);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), screen);
    }
}

fn none(_: &mut powerdeck::ui::App) {}

#[test]
fn systems() {
    check("systems", "", none);
}

#[test]
fn lpars() {
    check("lpars", "2", none);
}

#[test]
fn lpars_of_one_system() {
    check("lpars_of_system", "<enter>", |app| select(app, "p9-dr-b"));
}

#[test]
fn wpars() {
    check("wpars", "3", none);
}

#[test]
fn reserved_storage() {
    check("reserved_storage", "4", none);
}

#[test]
fn nim() {
    check("nim", "5", none);
}

#[test]
fn sources() {
    check("sources", "6", none);
}

#[test]
fn tree() {
    check("tree", "7", none);
}

#[test]
fn journal() {
    check("journal", "8", none);
}

#[test]
fn lpar_detail() {
    check("lpar_detail", "d", |app| {
        press(app, "2");
        select(app, "prddb01");
    });
}

#[test]
fn source_detail() {
    check("source_detail", "d", |app| {
        press(app, "6");
        select(app, "aixglb02");
    });
}

#[test]
fn help() {
    check("help", "?", none);
}

#[test]
fn palette() {
    check("palette", ":t", none);
}

#[test]
fn filter_typing() {
    check("filter_typing", "2/legacy", none);
}

#[test]
fn filter_inverted() {
    check("filter_inverted", "2/!running<enter>", none);
}

#[test]
fn sorted_by_state() {
    check("sorted_by_state", "2ssss", none);
}
