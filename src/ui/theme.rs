//! Colour themes: a style per role (state tones, table parts, prompts), read from TOML.
//!
//! The built-in themes live in `themes/*.toml` and are compiled into the binary, so the
//! console works anywhere. A user theme is a file `NAME.toml` in
//! `$XDG_CONFIG_HOME/powerdeck/themes/` (`~/.config/powerdeck/themes/`) with a name of
//! its own; it may set only some roles, the others come from the `dark` theme. State never depends on colour
//! alone: every state carries a symbol and a word, so `NO_COLOR` loses nothing.

use std::path::PathBuf;
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

/// The built-in themes: name and TOML text.
const BUILT_IN: &[(&str, &str)] = &[
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("colorblind", include_str!("../../themes/colorblind.toml")),
];

/// What a piece of text means, which decides its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Tone {
    /// Ordinary text.
    #[default]
    Normal,
    /// Secondary text: ids, "—", empty values.
    Muted,
    /// Healthy: running, operating, ready.
    Ok,
    /// Needs a look: partial data, open firmware, cleanup due.
    Warning,
    /// Broken: error states, stuck objects, failed sources.
    Error,
    /// Moving: starting, migrating, restarting.
    Transition,
    /// Deliberately off: not activated, powered off, defined.
    Off,
    /// A value this version does not know.
    Unknown,
}

/// A colour theme: one style per role.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// The name it is selected by (`:theme NAME`).
    pub name: String,
    /// Ordinary text.
    pub text: Style,
    /// Secondary text.
    pub muted: Style,
    /// Table header row.
    pub header: Style,
    /// The selected row.
    pub selected: Style,
    /// Borders.
    pub border: Style,
    /// Titles of tables and popups.
    pub title: Style,
    /// The top line and the status line.
    pub bar: Style,
    /// Healthy states.
    pub ok: Style,
    /// States that need a look.
    pub warning: Style,
    /// Broken states.
    pub error: Style,
    /// States in motion.
    pub transition: Style,
    /// Deliberately-off states.
    pub off: Style,
    /// Unknown values.
    pub unknown: Style,
    /// Rows whose source failed its last refresh (added to the row's style).
    pub stale: Style,
    /// Characters the filter matched.
    pub highlight: Style,
    /// The filter and command prompt line.
    pub prompt: Style,
    /// Help and palette popups.
    pub popup: Style,
    /// Key names in the help.
    pub key: Style,
    /// The read-only badge.
    pub badge: Style,
}

/// Why a theme could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThemeError {
    /// No built-in theme and no user theme file has this name.
    #[error("no theme called {name:?}; built-in themes: {}", Theme::built_in_names().join(", "))]
    Unknown {
        /// The name asked for.
        name: String,
    },
    /// The theme file is not valid.
    #[error("{origin}: {message}")]
    Invalid {
        /// The file (or built-in theme) it came from.
        origin: String,
        /// What is wrong, naming the role.
        message: String,
    },
}

impl Default for Theme {
    fn default() -> Self {
        Theme::built_in("dark").unwrap_or_else(Theme::plain)
    }
}

impl Theme {
    /// Names of the built-in themes.
    pub fn built_in_names() -> Vec<&'static str> {
        BUILT_IN.iter().map(|(name, _)| *name).collect()
    }

    /// A built-in theme by name.
    pub fn built_in(name: &str) -> Option<Theme> {
        let (name, text) = BUILT_IN.iter().find(|(n, _)| *n == name)?;
        // Built-in themes are checked by the unit tests; a broken one falls back to plain.
        Some(Theme::from_toml(text, name, Theme::plain()).unwrap_or_else(|_| Theme::plain()))
    }

    /// A theme by name: a built-in one, else the user theme file `NAME.toml` (so a
    /// user theme needs a name of its own; `:theme` resolves names the same way).
    pub fn load(name: &str) -> Result<Theme, ThemeError> {
        if let Some(theme) = Theme::built_in(name) {
            return Ok(theme);
        }
        if let Some(path) = user_theme_path(name) {
            if let Ok(text) = std::fs::read_to_string(&path) {
                return Theme::from_toml(&text, &path.display().to_string(), Theme::default()).map(
                    |mut theme| {
                        theme.name = name.to_string();
                        theme
                    },
                );
            }
        }
        Err(ThemeError::Unknown {
            name: name.to_string(),
        })
    }

    /// Reads theme TOML; roles it does not set keep their style from `base`. `origin`
    /// names the text in errors.
    pub fn from_toml(text: &str, origin: &str, base: Theme) -> Result<Theme, ThemeError> {
        let invalid = |message: String| ThemeError::Invalid {
            origin: origin.to_string(),
            message,
        };
        let file: ThemeFile =
            toml::from_str(text).map_err(|error| invalid(error.message().trim().to_string()))?;
        let mut theme = base;
        if let Some(name) = file.name {
            theme.name = name;
        }
        let roles: [(&str, &Option<StyleSpec>, &mut Style); 19] = [
            ("text", &file.text, &mut theme.text),
            ("muted", &file.muted, &mut theme.muted),
            ("header", &file.header, &mut theme.header),
            ("selected", &file.selected, &mut theme.selected),
            ("border", &file.border, &mut theme.border),
            ("title", &file.title, &mut theme.title),
            ("bar", &file.bar, &mut theme.bar),
            ("ok", &file.ok, &mut theme.ok),
            ("warning", &file.warning, &mut theme.warning),
            ("error", &file.error, &mut theme.error),
            ("transition", &file.transition, &mut theme.transition),
            ("off", &file.off, &mut theme.off),
            ("unknown", &file.unknown, &mut theme.unknown),
            ("stale", &file.stale, &mut theme.stale),
            ("highlight", &file.highlight, &mut theme.highlight),
            ("prompt", &file.prompt, &mut theme.prompt),
            ("popup", &file.popup, &mut theme.popup),
            ("key", &file.key, &mut theme.key),
            ("badge", &file.badge, &mut theme.badge),
        ];
        for (role, spec, style) in roles {
            if let Some(spec) = spec {
                *style = spec
                    .style()
                    .map_err(|message| invalid(format!("{role}: {message}")))?;
            }
        }
        Ok(theme)
    }

    /// A theme with no colours at all, only bold, dim and reverse video: what `NO_COLOR`
    /// gets.
    pub fn plain() -> Theme {
        let plain = Style::default();
        Theme {
            name: "plain".to_string(),
            text: plain,
            muted: plain,
            header: plain.add_modifier(Modifier::BOLD),
            selected: plain.add_modifier(Modifier::REVERSED),
            border: plain,
            title: plain.add_modifier(Modifier::BOLD),
            bar: plain.add_modifier(Modifier::REVERSED),
            ok: plain,
            warning: plain.add_modifier(Modifier::BOLD),
            error: plain.add_modifier(Modifier::BOLD),
            transition: plain,
            off: plain,
            unknown: plain,
            stale: plain.add_modifier(Modifier::DIM),
            highlight: plain.add_modifier(Modifier::UNDERLINED),
            prompt: plain.add_modifier(Modifier::BOLD),
            popup: plain,
            key: plain.add_modifier(Modifier::BOLD),
            badge: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
        }
    }

    /// The same theme with every colour removed (`NO_COLOR`): modifiers stay, and the
    /// selected row and bars are shown in reverse video so they remain visible.
    pub fn without_colors(&self) -> Theme {
        let strip = |style: Style| Style {
            fg: None,
            bg: None,
            underline_color: None,
            ..style
        };
        let mut theme = self.clone();
        for style in theme.styles_mut() {
            *style = strip(*style);
        }
        theme.selected = theme.selected.add_modifier(Modifier::REVERSED);
        theme.bar = theme.bar.add_modifier(Modifier::REVERSED);
        theme.badge = theme.badge.add_modifier(Modifier::REVERSED);
        theme.highlight = theme.highlight.add_modifier(Modifier::UNDERLINED);
        theme
    }

    /// The style of a tone.
    pub fn tone(&self, tone: Tone) -> Style {
        match tone {
            Tone::Normal => self.text,
            Tone::Muted => self.muted,
            Tone::Ok => self.ok,
            Tone::Warning => self.warning,
            Tone::Error => self.error,
            Tone::Transition => self.transition,
            Tone::Off => self.off,
            Tone::Unknown => self.unknown,
        }
    }

    fn styles_mut(&mut self) -> [&mut Style; 19] {
        [
            &mut self.text,
            &mut self.muted,
            &mut self.header,
            &mut self.selected,
            &mut self.border,
            &mut self.title,
            &mut self.bar,
            &mut self.ok,
            &mut self.warning,
            &mut self.error,
            &mut self.transition,
            &mut self.off,
            &mut self.unknown,
            &mut self.stale,
            &mut self.highlight,
            &mut self.prompt,
            &mut self.popup,
            &mut self.key,
            &mut self.badge,
        ]
    }
}

/// `NO_COLOR` is set to a non-empty value (<https://no-color.org>).
pub fn no_color_requested() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty())
}

/// Where a user theme of this name would be.
fn user_theme_path(name: &str) -> Option<PathBuf> {
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return None;
    }
    let dir = crate::config::config_dir()?;
    Some(
        dir.join("powerdeck")
            .join("themes")
            .join(format!("{name}.toml")),
    )
}

/// A theme file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: Option<String>,
    text: Option<StyleSpec>,
    muted: Option<StyleSpec>,
    header: Option<StyleSpec>,
    selected: Option<StyleSpec>,
    border: Option<StyleSpec>,
    title: Option<StyleSpec>,
    bar: Option<StyleSpec>,
    ok: Option<StyleSpec>,
    warning: Option<StyleSpec>,
    error: Option<StyleSpec>,
    transition: Option<StyleSpec>,
    off: Option<StyleSpec>,
    unknown: Option<StyleSpec>,
    stale: Option<StyleSpec>,
    highlight: Option<StyleSpec>,
    prompt: Option<StyleSpec>,
    popup: Option<StyleSpec>,
    key: Option<StyleSpec>,
    badge: Option<StyleSpec>,
}

/// One role in a theme file: `{ fg = "green", bg = "#1c1c1c", modifiers = ["bold"] }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleSpec {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    modifiers: Vec<String>,
}

impl StyleSpec {
    fn style(&self) -> Result<Style, String> {
        let color = |text: &Option<String>| -> Result<Option<Color>, String> {
            text.as_deref()
                .map(|text| {
                    Color::from_str(text).map_err(|_| {
                        format!(
                            "{text:?} is not a colour (a name like \"red\", \"#rrggbb\" or 0-255)"
                        )
                    })
                })
                .transpose()
        };
        let mut style = Style {
            fg: color(&self.fg)?,
            bg: color(&self.bg)?,
            ..Style::default()
        };
        for modifier in &self.modifiers {
            style = style.add_modifier(match modifier.to_ascii_lowercase().as_str() {
                "bold" => Modifier::BOLD,
                "dim" => Modifier::DIM,
                "italic" => Modifier::ITALIC,
                "underlined" | "underline" => Modifier::UNDERLINED,
                "reversed" | "reverse" => Modifier::REVERSED,
                "crossed_out" => Modifier::CROSSED_OUT,
                other => {
                    return Err(format!(
                        "unknown modifier {other:?} (bold, dim, italic, underlined, reversed, crossed_out)"
                    ))
                }
            });
        }
        Ok(style)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_theme_is_valid_and_complete() {
        for (name, text) in BUILT_IN {
            let theme = Theme::from_toml(text, name, Theme::plain())
                .unwrap_or_else(|error| panic!("{name}: {error}"));
            assert_eq!(theme.name, *name);
            // Every role is set in a built-in file: none keeps the plain base.
            let file: ThemeFile = toml::from_str(text).unwrap();
            assert!(
                [
                    file.text.is_some(),
                    file.muted.is_some(),
                    file.header.is_some(),
                    file.selected.is_some(),
                    file.border.is_some(),
                    file.title.is_some(),
                    file.bar.is_some(),
                    file.ok.is_some(),
                    file.warning.is_some(),
                    file.error.is_some(),
                    file.transition.is_some(),
                    file.off.is_some(),
                    file.unknown.is_some(),
                    file.stale.is_some(),
                    file.highlight.is_some(),
                    file.prompt.is_some(),
                    file.popup.is_some(),
                    file.key.is_some(),
                    file.badge.is_some(),
                ]
                .iter()
                .all(|set| *set),
                "{name} leaves a role unset"
            );
        }
    }

    #[test]
    fn partial_theme_patches_the_base() {
        let theme =
            Theme::from_toml("ok = { fg = \"#00ff00\" }", "mine", Theme::default()).unwrap();
        assert_eq!(theme.ok.fg, Some(Color::Rgb(0, 255, 0)));
        assert_eq!(theme.error, Theme::default().error);
    }

    #[test]
    fn bad_values_are_named() {
        let error = Theme::from_toml("ok = { fg = \"greenish\" }", "x.toml", Theme::default())
            .unwrap_err()
            .to_string();
        assert!(error.contains("x.toml") && error.contains("ok") && error.contains("greenish"));
        let error = Theme::from_toml("okay = {}", "x.toml", Theme::default())
            .unwrap_err()
            .to_string();
        assert!(error.contains("okay"), "{error}");
        assert!(Theme::load("no-such-theme-here").is_err());
    }

    #[test]
    fn without_colors_keeps_no_colour() {
        let theme = Theme::default().without_colors();
        for style in theme.clone().styles_mut() {
            assert_eq!(style.fg, None);
            assert_eq!(style.bg, None);
        }
        assert!(theme.selected.add_modifier.contains(Modifier::REVERSED));
    }
}
