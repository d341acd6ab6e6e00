//! What the console is started with.

use std::collections::BTreeMap;

use crate::config::{Config, SourceKind};

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
    /// Options for a config: its sources and AIX-global placements, labelled with the
    /// config file's name. Theme and keys stay at their defaults.
    pub fn from_config(config: &Config) -> ConsoleOptions {
        ConsoleOptions {
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
        }
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
