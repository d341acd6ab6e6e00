//! The key map: which keys trigger which console action. It is data, so every key can
//! be rebound (config `[keys]`: `action = "key, key"`), and the help is generated from it.
//!
//! No key changes anything on a host: every action here only moves around the console,
//! asks for a read-only refresh, or opens a wizard, which shows its whole plan and runs
//! it only after the operator types the name of what is at stake.

use std::collections::BTreeMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::views::ViewKind;
use crate::wizard::catalogue::{Subject, WizardId, WIZARDS};

/// A console action a key can trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyAction {
    /// Leave the console.
    Quit,
    /// Show the key help.
    Help,
    /// Open the `:` command palette.
    Palette,
    /// Open the `/` filter.
    Filter,
    /// Close the overlay, clear the filter, or go back to the previous view.
    Back,
    /// Drill down into the selected row.
    Open,
    /// Show every attribute of the selected row.
    Describe,
    /// Refresh every source now.
    Refresh,
    /// Let the terminal have the mouse (to select and copy text) or take it back.
    ToggleMouse,
    /// Select the next row.
    Down,
    /// Select the previous row.
    Up,
    /// Select the first row.
    Top,
    /// Select the last row.
    Bottom,
    /// Move down half a page.
    HalfPageDown,
    /// Move up half a page.
    HalfPageUp,
    /// Move down a page.
    PageDown,
    /// Move up a page.
    PageUp,
    /// Sort by the next column.
    SortNext,
    /// Sort by the previous column.
    SortPrevious,
    /// Reverse the sort order.
    SortReverse,
    /// Show the next resource view.
    NextView,
    /// Show the previous resource view.
    PreviousView,
    /// Managed systems.
    ShowSystems,
    /// LPARs.
    ShowLpars,
    /// WPARs.
    ShowWpars,
    /// Reserved storage devices.
    ShowReservedStorage,
    /// NIM objects.
    ShowNim,
    /// Sources.
    ShowSources,
    /// The estate tree.
    ShowTree,
    /// The journal of wizard runs.
    ShowJournal,
    /// Open a wizard on the selected row (the catalogue lists them and their keys).
    Wizard(WizardId),
    /// Show the wizard that was put aside while its plan runs.
    ShowWizard,
}

impl KeyAction {
    /// Every action but the wizards, in help order.
    const GENERAL: &'static [KeyAction] = &[
        KeyAction::Help,
        KeyAction::Palette,
        KeyAction::Filter,
        KeyAction::Open,
        KeyAction::Describe,
        KeyAction::Back,
        KeyAction::Refresh,
        KeyAction::ToggleMouse,
        KeyAction::Quit,
        KeyAction::Down,
        KeyAction::Up,
        KeyAction::Top,
        KeyAction::Bottom,
        KeyAction::HalfPageDown,
        KeyAction::HalfPageUp,
        KeyAction::PageDown,
        KeyAction::PageUp,
        KeyAction::SortNext,
        KeyAction::SortPrevious,
        KeyAction::SortReverse,
        KeyAction::NextView,
        KeyAction::PreviousView,
        KeyAction::ShowSystems,
        KeyAction::ShowLpars,
        KeyAction::ShowWpars,
        KeyAction::ShowReservedStorage,
        KeyAction::ShowNim,
        KeyAction::ShowSources,
        KeyAction::ShowTree,
        KeyAction::ShowJournal,
    ];

    /// Every action, in help order: the general ones, each wizard of the catalogue,
    /// then the way back to a wizard put aside.
    pub fn all() -> impl Iterator<Item = KeyAction> {
        KeyAction::GENERAL
            .iter()
            .copied()
            .chain(WIZARDS.iter().map(|spec| KeyAction::Wizard(spec.id)))
            .chain(std::iter::once(KeyAction::ShowWizard))
    }

    /// The name used in the config `[keys]` section.
    pub fn name(self) -> &'static str {
        match self {
            KeyAction::Quit => "quit",
            KeyAction::Help => "help",
            KeyAction::Palette => "command",
            KeyAction::Filter => "filter",
            KeyAction::Back => "back",
            KeyAction::Open => "open",
            KeyAction::Describe => "describe",
            KeyAction::Refresh => "refresh",
            KeyAction::ToggleMouse => "mouse",
            KeyAction::Down => "down",
            KeyAction::Up => "up",
            KeyAction::Top => "top",
            KeyAction::Bottom => "bottom",
            KeyAction::HalfPageDown => "half_page_down",
            KeyAction::HalfPageUp => "half_page_up",
            KeyAction::PageDown => "page_down",
            KeyAction::PageUp => "page_up",
            KeyAction::SortNext => "sort_next",
            KeyAction::SortPrevious => "sort_previous",
            KeyAction::SortReverse => "sort_reverse",
            KeyAction::NextView => "next_view",
            KeyAction::PreviousView => "previous_view",
            KeyAction::ShowSystems => "systems",
            KeyAction::ShowLpars => "lpars",
            KeyAction::ShowWpars => "wpars",
            KeyAction::ShowReservedStorage => "reserved_storage",
            KeyAction::ShowNim => "nim",
            KeyAction::ShowSources => "sources",
            KeyAction::ShowTree => "tree",
            KeyAction::ShowJournal => "journal",
            KeyAction::Wizard(id) => id.spec().key_name,
            KeyAction::ShowWizard => "wizard",
        }
    }

    /// What it does, for the help.
    pub fn description(self) -> &'static str {
        match self {
            KeyAction::Quit => "quit powerdeck",
            KeyAction::Help => "this help",
            KeyAction::Palette => "command: :lpar :sys :wpar :rsp :nim :src :tree :theme",
            KeyAction::Filter => "filter rows (fuzzy; !text hides matches)",
            KeyAction::Back => "close / clear filter / previous view",
            KeyAction::Open => "drill down into the selected row",
            KeyAction::Describe => "every attribute of the selected row",
            KeyAction::Refresh => "refresh every source now (read-only)",
            KeyAction::ToggleMouse => "mouse on/off (off: the terminal selects text)",
            KeyAction::Down => "next row",
            KeyAction::Up => "previous row",
            KeyAction::Top => "first row",
            KeyAction::Bottom => "last row",
            KeyAction::HalfPageDown => "half a page down",
            KeyAction::HalfPageUp => "half a page up",
            KeyAction::PageDown => "a page down",
            KeyAction::PageUp => "a page up",
            KeyAction::SortNext => "sort by the next column",
            KeyAction::SortPrevious => "sort by the previous column",
            KeyAction::SortReverse => "reverse the sort order",
            KeyAction::NextView => "next view",
            KeyAction::PreviousView => "previous view",
            KeyAction::ShowSystems => "managed systems",
            KeyAction::ShowLpars => "LPARs and VIOS",
            KeyAction::ShowWpars => "WPARs",
            KeyAction::ShowReservedStorage => "reserved storage devices",
            KeyAction::ShowNim => "NIM objects",
            KeyAction::ShowSources => "sources (HMCs, AIX, NIM) and their health",
            KeyAction::ShowTree => "estate tree: HMC › system › LPAR › WPAR",
            KeyAction::ShowJournal => "journal of wizard runs",
            KeyAction::Wizard(id) => id.spec().help,
            KeyAction::ShowWizard => "back to the wizard whose plan is running",
        }
    }

    /// The help section it is listed under.
    pub fn group(self) -> &'static str {
        match self {
            KeyAction::Down
            | KeyAction::Up
            | KeyAction::Top
            | KeyAction::Bottom
            | KeyAction::HalfPageDown
            | KeyAction::HalfPageUp
            | KeyAction::PageDown
            | KeyAction::PageUp => "Move",
            KeyAction::SortNext | KeyAction::SortPrevious | KeyAction::SortReverse => "Sort",
            KeyAction::NextView
            | KeyAction::PreviousView
            | KeyAction::ShowSystems
            | KeyAction::ShowLpars
            | KeyAction::ShowWpars
            | KeyAction::ShowReservedStorage
            | KeyAction::ShowNim
            | KeyAction::ShowSources
            | KeyAction::ShowTree
            | KeyAction::ShowJournal => "Views",
            KeyAction::Wizard(_) | KeyAction::ShowWizard => "Wizards",
            _ => "General",
        }
    }

    /// The views where the action's keys work, when they work in some views only. Such
    /// a key may also be bound to an action of other views, or to one of every view,
    /// which it shadows in its own views (`S`: sort reverse, but sync in the NIM view).
    pub fn views(self) -> Option<&'static [ViewKind]> {
        match self {
            KeyAction::Wizard(id) => match id.spec().subject {
                Subject::Wpar => Some(&[ViewKind::Wpars]),
                Subject::NimObject => Some(&[ViewKind::Nim]),
                Subject::System | Subject::Lpar => None,
            },
            _ => None,
        }
    }

    /// Two actions cannot share a key when both work in some view.
    fn overlaps(self, other: KeyAction) -> bool {
        match (self.views(), other.views()) {
            (None, None) => true,
            (Some(a), Some(b)) => a.iter().any(|view| b.contains(view)),
            _ => false,
        }
    }

    /// The action with this config name.
    pub fn from_name(name: &str) -> Option<KeyAction> {
        KeyAction::all().find(|a| a.name() == name)
    }
}

/// One key with its modifiers, e.g. `ctrl-d`, `G`, `enter`, `shift-tab`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Ctrl and Alt (Shift is part of the character for letters and symbols).
    pub modifiers: KeyModifiers,
}

impl Key {
    /// A key without modifiers.
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            modifiers: KeyModifiers::NONE,
        }
    }

    /// A character key.
    pub const fn char(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    /// A character with Ctrl.
    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            modifiers: KeyModifiers::CONTROL,
        }
    }

    /// The key a terminal event stands for, normalised: Shift is dropped where the
    /// character already shows it (`G`, `?`), Shift+Tab is `backtab`.
    pub fn from_event(event: &KeyEvent) -> Key {
        let mut modifiers = event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code = match event.code {
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            KeyCode::Tab if event.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            code => code,
        };
        if !matches!(code, KeyCode::Char(_) | KeyCode::BackTab) {
            modifiers |= event.modifiers & KeyModifiers::SHIFT;
        }
        Key { code, modifiers }
    }

    /// Parses `ctrl-d`, `ctrl+d`, `alt-x`, `G`, `?`, `enter`, `esc`, `tab`, `backtab`
    /// (`shift-tab`), `space`, `up`, `pagedown`, `home`, `f5`, ...
    pub fn parse(text: &str) -> Result<Key, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("empty key".to_string());
        }
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            let prefix = ["ctrl-", "ctrl+", "alt-", "alt+", "shift-", "shift+"]
                .iter()
                .find(|p| lower.starts_with(**p) && rest.len() > p.len());
            let Some(prefix) = prefix else { break };
            match &prefix[..prefix.len() - 1] {
                "ctrl" => modifiers |= KeyModifiers::CONTROL,
                "alt" => modifiers |= KeyModifiers::ALT,
                _ => modifiers |= KeyModifiers::SHIFT,
            }
            rest = &rest[prefix.len()..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => {
                if modifiers.contains(KeyModifiers::SHIFT) {
                    modifiers -= KeyModifiers::SHIFT;
                    KeyCode::Char(c.to_ascii_uppercase())
                } else if modifiers.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" if modifiers.contains(KeyModifiers::SHIFT) => {
                    modifiers -= KeyModifiers::SHIFT;
                    KeyCode::BackTab
                }
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "space" => KeyCode::Char(' '),
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" | "pgdown" => KeyCode::PageDown,
                other => match other.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                    Some(n) if (1..=24).contains(&n) => KeyCode::F(n),
                    _ => return Err(format!("unknown key {text:?}")),
                },
            },
        };
        Ok(Key { code, modifiers })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Insert => f.write_str("insert"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// Which keys trigger which action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyMap {
    bindings: BTreeMap<KeyAction, Vec<Key>>,
}

impl Default for KeyMap {
    /// k9s and vim habits: `j`/`k`, `g`/`G`, `ctrl-d`/`ctrl-u`, `:`, `/`, `?`, `esc`.
    fn default() -> Self {
        use KeyCode::*;
        let p = Key::plain;
        let c = Key::char;
        let table: &[(KeyAction, &[Key])] = &[
            (KeyAction::Quit, &[c('q'), Key::ctrl('c')]),
            (KeyAction::Help, &[c('?'), p(F(1))]),
            (KeyAction::Palette, &[c(':')]),
            (KeyAction::Filter, &[c('/')]),
            (KeyAction::Back, &[p(Esc)]),
            (KeyAction::Open, &[p(Enter)]),
            (KeyAction::Describe, &[c('d')]),
            (KeyAction::Refresh, &[c('r'), Key::ctrl('r')]),
            (KeyAction::ToggleMouse, &[c('m')]),
            (KeyAction::Down, &[c('j'), p(Down)]),
            (KeyAction::Up, &[c('k'), p(Up)]),
            (KeyAction::Top, &[c('g'), p(Home)]),
            (KeyAction::Bottom, &[c('G'), p(End)]),
            (KeyAction::HalfPageDown, &[Key::ctrl('d')]),
            (KeyAction::HalfPageUp, &[Key::ctrl('u')]),
            (KeyAction::PageDown, &[Key::ctrl('f'), p(PageDown)]),
            (KeyAction::PageUp, &[Key::ctrl('b'), p(PageUp)]),
            (KeyAction::SortNext, &[c('>'), c('s')]),
            (KeyAction::SortPrevious, &[c('<')]),
            (KeyAction::SortReverse, &[c('S')]),
            (KeyAction::NextView, &[p(Tab)]),
            (KeyAction::PreviousView, &[p(BackTab)]),
            (KeyAction::ShowSystems, &[c('1')]),
            (KeyAction::ShowLpars, &[c('2')]),
            (KeyAction::ShowWpars, &[c('3')]),
            (KeyAction::ShowReservedStorage, &[c('4')]),
            (KeyAction::ShowNim, &[c('5')]),
            (KeyAction::ShowSources, &[c('6')]),
            (KeyAction::ShowTree, &[c('7')]),
            (KeyAction::ShowJournal, &[c('8')]),
            (KeyAction::ShowWizard, &[c('w')]),
        ];
        let wizards = WIZARDS
            .iter()
            .map(|spec| (KeyAction::Wizard(spec.id), vec![c(spec.key)]));
        KeyMap {
            bindings: table
                .iter()
                .map(|(action, keys)| (*action, keys.to_vec()))
                .chain(wizards)
                .collect(),
        }
    }
}

impl KeyMap {
    /// The default map with some actions rebound, as the config `[keys]` section gives
    /// them: action name → `"key"` or `"key, key"`. An empty string unbinds the action.
    /// Unknown actions, unreadable keys and a key bound to two actions are errors that
    /// name the action and the key.
    pub fn with_overrides(overrides: &BTreeMap<String, String>) -> Result<KeyMap, String> {
        let mut map = KeyMap::default();
        for (name, keys) in overrides {
            let action = KeyAction::from_name(name).ok_or_else(|| {
                format!(
                    "keys.{name}: no such action (actions: {})",
                    KeyAction::all()
                        .map(|a| a.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
            let parsed = keys
                .split(',')
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(|k| Key::parse(k).map_err(|error| format!("keys.{name}: {error}")))
                .collect::<Result<Vec<_>, _>>()?;
            map.bindings.insert(action, parsed);
        }
        let mut seen: Vec<(Key, KeyAction)> = Vec::new();
        for (action, keys) in &map.bindings {
            for key in keys {
                if let Some((_, other)) = seen
                    .iter()
                    .find(|(k, other)| k == key && other.overlaps(*action))
                {
                    return Err(format!(
                        "keys: {key} is bound to both {} and {}; rebind one of them",
                        other.name(),
                        action.name()
                    ));
                }
                seen.push((*key, *action));
            }
        }
        Ok(map)
    }

    /// The action a key triggers in every view, if any (see [`KeyMap::action_in`]).
    pub fn action(&self, key: Key) -> Option<KeyAction> {
        self.action_in(key, None)
    }

    /// The action a key triggers in `view`: an action of that view first, then one of
    /// every view.
    pub fn action_in(&self, key: Key, view: Option<ViewKind>) -> Option<KeyAction> {
        let bound = |action: &KeyAction, keys: &Vec<Key>| {
            keys.contains(&key)
                && match action.views() {
                    None => true,
                    Some(views) => view.is_some_and(|v| views.contains(&v)),
                }
        };
        self.bindings
            .iter()
            .filter(|(action, keys)| bound(action, keys))
            .min_by_key(|(action, _)| action.views().is_none())
            .map(|(action, _)| *action)
    }

    /// The keys of an action.
    pub fn keys(&self, action: KeyAction) -> &[Key] {
        self.bindings.get(&action).map_or(&[], Vec::as_slice)
    }

    /// The keys of an action as the help shows them (`j ↓`), or `—` when unbound.
    pub fn describe_keys(&self, action: KeyAction) -> String {
        let keys = self.keys(action);
        if keys.is_empty() {
            return "—".to_string();
        }
        keys.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The first key of an action, for hints (`? help`).
    pub fn hint(&self, action: KeyAction) -> Option<String> {
        self.keys(action).first().map(ToString::to_string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventKind;

    fn event(code: KeyCode, modifiers: KeyModifiers) -> Key {
        Key::from_event(&KeyEvent::new_with_kind(
            code,
            modifiers,
            KeyEventKind::Press,
        ))
    }

    #[test]
    fn parses_and_prints_keys() {
        for text in [
            "ctrl-d",
            "G",
            "?",
            "enter",
            "esc",
            "shift-tab",
            "f5",
            "space",
            "pgdn",
        ] {
            let key = Key::parse(text).unwrap();
            assert_eq!(Key::parse(&key.to_string()).unwrap(), key, "{text}");
        }
        assert_eq!(Key::parse("ctrl+D").unwrap(), Key::ctrl('d'));
        assert_eq!(Key::parse("shift-g").unwrap(), Key::char('G'));
        assert_eq!(Key::parse("backtab").unwrap(), Key::plain(KeyCode::BackTab));
        assert!(Key::parse("hyper-x").is_err());
        assert!(Key::parse("").is_err());
    }

    #[test]
    fn events_are_normalised() {
        assert_eq!(
            event(KeyCode::Char('G'), KeyModifiers::SHIFT),
            Key::char('G')
        );
        assert_eq!(
            event(KeyCode::Char('D'), KeyModifiers::CONTROL),
            Key::ctrl('d')
        );
        assert_eq!(
            event(KeyCode::Tab, KeyModifiers::SHIFT),
            Key::plain(KeyCode::BackTab)
        );
    }

    #[test]
    fn default_map_has_no_clashes_and_binds_everything() {
        let map = KeyMap::with_overrides(&BTreeMap::new()).unwrap();
        for action in KeyAction::all() {
            assert!(!map.keys(action).is_empty(), "{action:?} unbound");
            assert_eq!(KeyAction::from_name(action.name()), Some(action));
        }
        assert_eq!(map.action(Key::char('j')), Some(KeyAction::Down));
        assert_eq!(map.action(Key::ctrl('d')), Some(KeyAction::HalfPageDown));
    }

    #[test]
    fn overrides_rebind_and_report_clashes() {
        let mut overrides = BTreeMap::new();
        overrides.insert("down".to_string(), "n, ctrl-n".to_string());
        let map = KeyMap::with_overrides(&overrides).unwrap();
        assert_eq!(map.action(Key::char('n')), Some(KeyAction::Down));
        assert_eq!(map.action(Key::char('j')), None);

        overrides.insert("up".to_string(), "n".to_string());
        let error = KeyMap::with_overrides(&overrides).unwrap_err();
        assert!(error.contains("n is bound to both"), "{error}");

        let mut unknown = BTreeMap::new();
        unknown.insert("explode".to_string(), "x".to_string());
        assert!(KeyMap::with_overrides(&unknown)
            .unwrap_err()
            .contains("keys.explode"));
    }
}
