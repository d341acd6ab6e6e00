//! The console driven by keys and clicks through the real key map: filter (and `!`),
//! sort, drill-down, history, vim motions, the palette, the generated help.

mod ui_support;

use std::collections::BTreeMap;

use powerdeck::ui::{ConsoleOptions, KeyMap, Mode, Request, Scope, View};
use ratatui::style::Modifier;
use ui_support::{
    click, column, draw, names, press, select, selected, story, story_with, terminal,
};

#[test]
fn filter_is_fuzzy_within_a_cell_and_inverts_with_a_bang() {
    let mut app = story();
    press(&mut app, "2");
    let all = app.visible.len();
    assert_eq!(all, 17);

    press(&mut app, "/lgcy0");
    assert_eq!(app.mode, Mode::Filter);
    assert_eq!(names(&app), ["legacy01", "legacy02"]);
    press(&mut app, "<bs><bs><bs><bs>");
    let with_l = app
        .table
        .rows
        .iter()
        .filter(|r| r.cells.iter().any(|c| c.text.to_lowercase().contains('l')))
        .count();
    assert_eq!(
        app.visible.len(),
        with_l,
        "/l keeps rows with an l in some cell"
    );
    assert!(with_l < all);
    press(&mut app, "<c-u>legacy02<enter>");
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(names(&app), ["legacy02"]);

    // Esc clears the filter before it goes back.
    press(&mut app, "<esc>");
    assert_eq!(app.visible.len(), all);
    assert!(matches!(app.view.view, View::Lpars(Scope::All)));

    // `!` keeps the rows that do not match.
    press(&mut app, "/!running<enter>");
    let states = column(&app, 3);
    assert!(!states.is_empty());
    assert!(states.iter().all(|s| !s.contains("Running")), "{states:?}");
    let running = app
        .table
        .rows
        .iter()
        .filter(|r| r.cells[3].text.contains("Running"))
        .count();
    assert_eq!(app.visible.len(), all - running);

    // A capital letter makes the term case-sensitive.
    press(&mut app, "<esc>/VIOS<enter>");
    assert_eq!(app.visible.len(), 5);
    press(&mut app, "<esc>/Vios<enter>");
    assert!(app.visible.is_empty());
    let screen = draw(&mut app, 100, 30);
    assert!(screen.contains("No rows match /Vios"), "{screen}");
}

#[test]
fn filter_matches_are_highlighted() {
    let mut app = story();
    press(&mut app, "2/prddb<enter>");
    assert_eq!(names(&app), ["prddb01"]);
    let terminal = terminal(&mut app, 100, 30);
    let buffer = terminal.backend().buffer();
    // Row 3 holds the first table row; its name starts two cells in.
    let marked: String = (0..100u16)
        .filter(|&x| {
            let cell = &buffer[(x, 3)];
            cell.modifier.contains(Modifier::UNDERLINED)
        })
        .map(|x| buffer[(x, 3)].symbol().to_string())
        .collect();
    assert_eq!(marked, "prddb");
}

#[test]
fn sort_cycles_columns_reverses_and_follows_header_clicks() {
    let mut app = story();
    press(&mut app, "2s");
    let sorted = names(&app);
    let mut expected = sorted.clone();
    expected.sort_by(|a, b| powerdeck::ui::table::natural_cmp(a, b));
    assert_eq!(sorted, expected);
    assert_eq!(sorted.first().map(String::as_str), Some("aixglb01"));

    press(&mut app, "S");
    let reversed: Vec<String> = sorted.iter().rev().cloned().collect();
    assert_eq!(names(&app), reversed);

    // `>` goes to the next column: ID, numerically.
    press(&mut app, ">");
    let ids: Vec<u32> = column(&app, 1)
        .iter()
        .map(|id| id.parse().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] <= w[1]), "{ids:?}");

    // Clicking the STATE header sorts by state; clicking again reverses.
    let screen = draw(&mut app, 100, 30);
    let header = screen.lines().nth(2).unwrap();
    let x = header.find("STATE").unwrap() - 1; // the line is quoted
    let x = header[..x].chars().count() as u16;
    click(&mut app, x, 2);
    assert_eq!(
        app.view.sort.map(|s| (s.column, s.descending)),
        Some((3, false))
    );
    assert!(draw(&mut app, 100, 30).contains("STATE↑"));
    click(&mut app, x, 2);
    assert_eq!(
        app.view.sort.map(|s| (s.column, s.descending)),
        Some((3, true))
    );
    assert!(draw(&mut app, 100, 30).contains("STATE↓"));
}

#[test]
fn the_selection_survives_a_sort() {
    let mut app = story();
    press(&mut app, "2");
    select(&mut app, "oldapp01");
    press(&mut app, "sS");
    assert_eq!(selected(&app), "oldapp01");
}

#[test]
fn enter_drills_down_and_esc_walks_back() {
    let mut app = story();
    select(&mut app, "p9-dr-b");
    press(&mut app, "<enter>");
    assert_eq!(
        app.view.view,
        View::Lpars(Scope::System {
            hmc: "hmc01".into(),
            system: "p9-dr-b".into()
        })
    );
    assert_eq!(names(&app), ["vios1b", "oldapp01", "drtest01"]);

    // An LPAR that hosts no AIX global opens its attributes, all of them.
    select(&mut app, "oldapp01");
    press(&mut app, "<enter>");
    assert!(matches!(app.view.view, View::Detail(_)));
    let attributes = names(&app);
    assert!(attributes.contains(&"remote_restart_status".to_string()));
    assert!(attributes.contains(&"rs_device_name".to_string()));
    let status_row = app
        .table
        .rows
        .iter()
        .find(|r| r.cells[0].text == "remote_restart_status")
        .unwrap();
    assert_eq!(status_row.cells[1].text, "Remote Restarted");

    press(&mut app, "<esc>");
    assert_eq!(names(&app), ["vios1b", "oldapp01", "drtest01"]);
    assert_eq!(selected(&app), "oldapp01");
    press(&mut app, "<esc>");
    assert!(matches!(app.view.view, View::Systems(Scope::All)));
    assert_eq!(selected(&app), "p9-dr-b");
    press(&mut app, "<esc>");
    assert!(app
        .message
        .as_ref()
        .is_some_and(|(m, _)| m.contains("first view")));
}

#[test]
fn a_global_opens_its_wpars_from_its_lpar_its_source_and_the_tree() {
    let mut app = story();
    press(&mut app, "2");
    select(&mut app, "aixglb01");
    press(&mut app, "<enter>");
    assert_eq!(app.view.view, View::Wpars(Scope::Source("aixglb01".into())));
    assert_eq!(app.visible.len(), 5);
    // `d` still describes the LPAR itself.
    press(&mut app, "<esc>d");
    assert!(matches!(app.view.view, View::Detail(_)));

    press(&mut app, "6");
    select(&mut app, "aixglb02");
    press(&mut app, "<enter>");
    assert_eq!(app.view.view, View::Wpars(Scope::Source("aixglb02".into())));
    assert_eq!(names(&app), ["wpbatch01", "wpbatch02"]);

    press(&mut app, "7");
    select(&mut app, "p8-legacy-c");
    press(&mut app, "<enter>");
    assert_eq!(
        app.view.view,
        View::Lpars(Scope::System {
            hmc: "hmc02".into(),
            system: "p8-legacy-c".into()
        })
    );
}

#[test]
fn vim_motions_and_paging() {
    let mut app = story();
    press(&mut app, "2");
    press(&mut app, "G");
    assert_eq!(app.view.selected, 16);
    press(&mut app, "g");
    assert_eq!(app.view.selected, 0);
    press(&mut app, "jjk");
    assert_eq!(app.view.selected, 1);
    draw(&mut app, 80, 10); // a short terminal: 5 rows on a page
    press(&mut app, "<c-d>");
    assert_eq!(app.view.selected, 3);
    press(&mut app, "<c-d><c-d><c-d>");
    assert_eq!(app.view.selected, 9);
    let screen = draw(&mut app, 80, 10);
    assert!(
        screen.contains("drtest01"),
        "the selected row stays on screen:\n{screen}"
    );
    press(&mut app, "<c-u>");
    assert_eq!(app.view.selected, 7);
}

#[test]
fn tab_and_number_keys_switch_views() {
    let mut app = story();
    press(&mut app, "<tab>");
    assert!(matches!(app.view.view, View::Lpars(_)));
    press(&mut app, "<backtab><backtab>");
    assert_eq!(app.view.view, View::Journal);
    press(&mut app, "5");
    assert!(matches!(app.view.view, View::Nim(_)));
    assert_eq!(app.history.len(), 4);
}

#[test]
fn palette_completes_and_runs_commands() {
    let mut app = story();
    press(&mut app, ":lp<tab>");
    assert_eq!(
        app.mode,
        Mode::Palette {
            input: "lpar".into(),
            selected: 0
        }
    );
    press(&mut app, "<enter>");
    assert!(matches!(app.view.view, View::Lpars(Scope::All)));

    press(&mut app, ":wpar wpold<enter>");
    assert!(matches!(app.view.view, View::Wpars(Scope::All)));
    assert_eq!(names(&app), ["wpold03"]);

    press(&mut app, ":theme li<tab><enter>");
    assert_eq!(app.theme.name, "light");

    press(&mut app, ":theme<down><enter>");
    assert_eq!(
        app.theme.name, "light",
        "an incomplete command runs its suggestion"
    );

    press(&mut app, ":rs<enter>");
    assert!(matches!(app.view.view, View::ReservedStorage(_)));

    press(&mut app, ":frobnicate<enter>");
    assert!(app
        .message
        .as_ref()
        .is_some_and(|(m, _)| m.contains("frobnicate")));

    press(&mut app, ":q<enter>");
    assert!(app.quitting);
    assert!(app.requests.contains(&Request::Quit));
}

#[test]
fn r_asks_the_engine_for_a_refresh_and_nothing_else() {
    let mut app = story();
    press(&mut app, "r");
    assert_eq!(app.requests, [Request::Refresh(None)]);
    app.requests.clear();
    // Every other key in every view asks for nothing at all (the mouse key only hands
    // the mouse to the terminal), apart from quitting.
    let keys = [
        "j",
        "k",
        "g",
        "G",
        "<c-d>",
        "<c-u>",
        "<c-f>",
        "<c-b>",
        "d",
        "<enter>",
        "s",
        "S",
        "<",
        ">",
        "/x<esc>",
        ":y<esc>",
        "?",
        "<esc>",
        "<tab>",
        "<backtab>",
        "<esc>",
        "m",
    ];
    for view in ["1", "2", "3", "4", "5", "6", "7", "8"] {
        press(&mut app, view);
        for key in keys {
            press(&mut app, key);
        }
        press(&mut app, "<esc><esc>");
    }
    // The journal view reads the local journal file; nothing reaches a host.
    assert!(
        app.requests
            .iter()
            .all(|r| matches!(r, Request::Mouse(_) | Request::LoadJournal)),
        "{:?}",
        app.requests
    );
    assert!(!app.quitting);
}

#[test]
fn mouse_selects_rows_and_scrolls() {
    let mut app = story();
    press(&mut app, "2");
    draw(&mut app, 100, 30);
    click(&mut app, 10, 6); // row 3 of the table (rows start at y 3)
    assert_eq!(app.view.selected, 3);
    assert_eq!(selected(&app), "prdapp01");
}

#[test]
fn help_is_generated_from_the_key_map() {
    let mut overrides = BTreeMap::new();
    overrides.insert("down".to_string(), "n, ctrl-n".to_string());
    overrides.insert("describe".to_string(), "i".to_string());
    let keymap = KeyMap::with_overrides(&overrides).unwrap();
    let mut app = story_with(ConsoleOptions {
        keymap,
        ..ConsoleOptions::default()
    });
    press(&mut app, "2n");
    assert_eq!(app.view.selected, 1, "n moves down now");
    press(&mut app, "j");
    assert_eq!(app.view.selected, 1, "j does nothing any more");
    press(&mut app, "?");
    let screen = draw(&mut app, 100, 40);
    assert!(screen.contains("n ctrl-n"), "{screen}");
    assert!(screen.contains("i            every attribute"), "{screen}");
    assert!(!screen.contains("j ↓"), "{screen}");
    press(&mut app, "<esc>i");
    assert!(matches!(app.view.view, View::Detail(_)));
}

#[test]
fn works_at_80_by_24_and_survives_tiny_terminals() {
    let mut app = story();
    for keys in [
        "1", "2", "3", "4", "5", "6", "7", "8", "?", "<esc>:", "<esc>/x",
    ] {
        press(&mut app, keys);
        for (w, h) in [(80, 24), (20, 5), (1, 1), (200, 3)] {
            draw(&mut app, w, h);
        }
    }
}
