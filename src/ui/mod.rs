//! The console: live views of the estate, navigation, filter and themes.
//!
//! Elm-style, like gitui and bottom: one [`App`] holds every source's last snapshot and
//! the view state; terminal and engine events become [`Action`]s; a pure [`update`]
//! changes the `App`; [`render`] draws it; [`run`] owns the terminal and the loop and
//! redraws only when something visible changed. Nothing here waits on a host: data
//! arrives as refresh events, and the only request the console makes of the engine is a
//! read-only refresh. Changes are made only by a [`wizard`]: its whole plan on screen,
//! a typed confirmation, then the executor in a task of its own, its progress arriving
//! as actions like everything else.
//!
//! Every table merges all sources with a column naming where each row comes from. A
//! source whose refresh fails keeps its last data on screen, dimmed and marked
//! `stale 3m`. States carry a symbol and a word as well as a colour.

#![warn(missing_docs)]

pub mod app;
pub mod command;
pub mod filter;
pub mod fixture;
pub mod input;
pub mod keymap;
pub mod options;
pub mod render;
pub mod run;
pub mod screenshot;
pub mod services;
pub mod states;
pub mod table;
pub mod terminal;
pub mod theme;
pub mod update;
pub mod views;
pub mod wizard;

pub use app::{App, ColumnSpan, HeaderMap, Mode, Request, ScreenMap, ViewState};
pub use command::Command;
pub use input::action_for;
pub use keymap::{Key, KeyAction, KeyMap};
pub use options::ConsoleOptions;
pub use render::render;
pub use run::run;
pub use services::Services;
pub use theme::{Theme, ThemeError, Tone};
pub use update::{update, Action};
pub use views::{JournalRun, Scope, View, ViewKind};
pub use wizard::{Stage, Wizard, WizardInput, WizardKind};
