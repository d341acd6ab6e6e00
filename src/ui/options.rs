//! What the console is started with.

use std::collections::BTreeMap;

use crate::config::{Config, ConfigError, SourceKind};

use super::keymap::KeyMap;
use super::theme::Theme;

/// How the console looks and behaves, and what it should expect to hear about.
#[derive(Debug, Clone, Default)]
pub struct ConsoleOptions {
    /// The colour theme (`--theme`, default `dark`).
    pub theme: Theme,
    /// The key map (defaults, with the config's `[keys]` applied).
    pub keymap: KeyMap,
    /// `--read-only`: shown as a badge; no wizard may run.
    pub read_only: bool,
    /// Shown in the top line: which estate this is (`demo`, the config's name, a site).
    pub label: String,
    /// AIX global (source name) → the LPAR it runs in, `system/lpar` or `lpar` (the
    /// config's `lpar = ...`): links WPARs to partitions in the tree and drill-down.
    pub globals: BTreeMap<String, String>,
    /// The configured sources, listed (as waiting) before their first refresh ends.
    pub sources: Vec<(String, SourceKind)>,
    /// Show no colours at all (`NO_COLOR`); states keep their symbols and words.
    pub no_color: bool,
}

impl ConsoleOptions {
    /// Options for a config: its sources and AIX-global placements, its `[keys]` and
    /// its `ui.theme` (unless `theme`, from `--theme`, names another), labelled with the
    /// config file's name. A key or theme the console cannot use is an error naming the
    /// file, line and key.
    pub fn from_config(
        config: &Config,
        theme: Option<&str>,
    ) -> Result<ConsoleOptions, ConfigError> {
        let keymap = KeyMap::with_overrides(&config.keys).map_err(|message| {
            let key = config
                .keys
                .keys()
                .map(|name| format!("keys.{name}"))
                .find(|key| message.contains(key.as_str()))
                .unwrap_or_else(|| "keys".to_string());
            config.error_at(&key, message)
        })?;
        let theme = match (theme, config.theme.as_deref()) {
            (Some(name), _) => Theme::load(name).map_err(|error| ConfigError {
                file: "--theme".to_string(),
                line: 0,
                column: 0,
                key: None,
                message: error.to_string(),
            })?,
            (None, Some(name)) => {
                Theme::load(name).map_err(|error| config.error_at("ui.theme", error.to_string()))?
            }
            (None, None) => Theme::default(),
        };
        Ok(ConsoleOptions {
            theme,
            keymap,
            label: config.origin.clone(),
            globals: config
                .sources
                .iter()
                .filter(|s| s.kind == SourceKind::Aix)
                .filter_map(|s| Some((s.name.clone(), s.lpar.clone()?)))
                .collect(),
            sources: config
                .sources
                .iter()
                .map(|s| (s.name.clone(), s.kind))
                .collect(),
            ..ConsoleOptions::default()
        })
    }

    /// Sets `no_color` when the `NO_COLOR` environment variable is set and not empty
    /// (<https://no-color.org>). [`crate::ui::run`] applies it by itself.
    pub fn honour_no_color(mut self) -> ConsoleOptions {
        if super::theme::no_color_requested() {
            self.no_color = true;
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The config `text`, with `~` meaning `/home/op` whatever `HOME` is.
    fn parse(text: &str) -> Config {
        Config::parse_with_home(text, "c", Some(std::path::Path::new("/home/op"))).unwrap()
    }

    #[test]
    fn a_bad_key_or_theme_names_the_file_line_and_key() {
        let config = parse("[keys]\nquit = \"q\"\nflyaway = \"x\"\n");
        let error = ConsoleOptions::from_config(&config, None).unwrap_err();
        assert_eq!(
            (error.line, error.key.as_deref()),
            (3, Some("keys.flyaway")),
            "{error}"
        );
        let config = parse("[ui]\ntheme = \"neon\"\n");
        let error = ConsoleOptions::from_config(&config, None).unwrap_err();
        assert_eq!(
            (error.line, error.key.as_deref()),
            (2, Some("ui.theme")),
            "{error}"
        );
        let config = parse("[ui]\ntheme = \"light\"\n");
        assert!(ConsoleOptions::from_config(&config, None).is_ok());
        assert!(ConsoleOptions::from_config(&config, Some("neon")).is_err());
    }
}
