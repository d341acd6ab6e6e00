//! What the console takes from the environment: `NO_COLOR`, and user themes under
//! `$XDG_CONFIG_HOME/powerdeck/themes/`. One test binary of its own with one test, since
//! it sets environment variables.

use powerdeck::ui::{ConsoleOptions, Theme};
use ratatui::style::Color;

#[test]
fn no_color_and_user_themes() {
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

    let dir = std::env::temp_dir().join(format!("powerdeck-ui-themes-{}", std::process::id()));
    let themes = dir.join("powerdeck").join("themes");
    std::fs::create_dir_all(&themes).unwrap();
    std::fs::write(themes.join("site.toml"), "ok = { fg = \"#00ff00\" }\n").unwrap();
    std::fs::write(themes.join("broken.toml"), "ok = { fg = \"nope\" }\n").unwrap();
    std::env::set_var("XDG_CONFIG_HOME", &dir);
    let site = Theme::load("site").unwrap();
    assert_eq!(site.name, "site");
    assert_eq!(site.ok.fg, Some(Color::Rgb(0, 255, 0)));
    assert_eq!(
        site.error,
        Theme::default().error,
        "unset roles come from dark"
    );
    let error = Theme::load("broken").unwrap_err().to_string();
    assert!(
        error.contains("broken.toml") && error.contains("nope"),
        "{error}"
    );
    assert!(Theme::load("../etc/passwd").is_err());
    assert_eq!(Theme::load("light").unwrap().name, "light");
    std::env::remove_var("XDG_CONFIG_HOME");
    let _ = std::fs::remove_dir_all(&dir);
}
