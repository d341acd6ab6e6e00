//! `NO_COLOR` in the environment turns colours off (a test binary of its own, since it
//! sets an environment variable).

use powerdeck::ui::ConsoleOptions;

#[test]
fn the_no_color_variable_is_honoured() {
    std::env::remove_var("NO_COLOR");
    assert!(!ConsoleOptions::default().honour_no_color().no_color);
    std::env::set_var("NO_COLOR", "");
    assert!(
        !ConsoleOptions::default().honour_no_color().no_color,
        "an empty NO_COLOR does not count"
    );
    std::env::set_var("NO_COLOR", "1");
    assert!(ConsoleOptions::default().honour_no_color().no_color);
    std::env::remove_var("NO_COLOR");
}
