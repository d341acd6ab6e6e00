//! The console's state: what every source last reported, and what the admin is looking
//! at. Changed only by [`super::update::update`]; drawn by [`super::render::render`].

use std::collections::{BTreeMap, BTreeSet};
use std::time::SystemTime;

use ratatui::layout::Rect;

use crate::estate::SourceKind;
use crate::refresh::SourceSnapshot;

use super::filter::Filter;
use super::keymap::KeyMap;
use super::options::ConsoleOptions;
use super::table::{RowKey, SortOrder, Table};
use super::theme::Theme;
use super::views::{EstateData, JournalRun, View, ViewKind};
use super::wizard::Wizard;

/// Where keys go.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Mode {
    /// The key map applies.
    #[default]
    Normal,
    /// Typing the `/` filter of the current view.
    Filter,
    /// Typing a `:` command.
    Palette {
        /// What has been typed.
        input: String,
        /// The highlighted suggestion.
        selected: usize,
    },
    /// The help overlay.
    Help {
        /// First line shown.
        scroll: u16,
    },
}

/// One view with its own sort, filter and position; the history keeps these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewState {
    /// What is shown.
    pub view: View,
    /// The sort column, if any.
    pub sort: Option<SortOrder>,
    /// The filter text as typed (`!` prefix inverts).
    pub filter: String,
    /// Index of the selected row among the shown rows.
    pub selected: usize,
    /// Index of the first row on screen.
    pub offset: usize,
    /// The object selected, to find it again after a refresh reorders the rows.
    pub selected_key: Option<RowKey>,
}

impl ViewState {
    /// A view at its top, unsorted and unfiltered.
    pub fn new(view: View) -> ViewState {
        ViewState {
            view,
            sort: None,
            filter: String::new(),
            selected: 0,
            offset: 0,
            selected_key: None,
        }
    }
}

/// Something only the runner can do (it owns the terminal and the engine).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Ask the engine to refresh one source now, or all with `None`.
    Refresh(Option<String>),
    /// Load a user theme file by name and answer with `Action::ThemeLoaded`.
    LoadTheme(String),
    /// Capture the mouse (`true`) or leave it to the terminal.
    Mouse(bool),
    /// Run a confirmed plan (the operator typed its name); the executor's events come
    /// back as `Action::Exec`, its summary as `Action::RunEnded`.
    Execute {
        /// The plan as shown.
        plan: Box<crate::wizard::Plan>,
        /// What the operator typed (the executor checks it again).
        confirmation: String,
        /// What the operator typed to attest the plan's attestation, if it has one.
        attestation: Option<String>,
        /// What the operator chose, for the journal.
        choices: Vec<String>,
    },
    /// Read the journal file and answer with `Action::JournalLoaded`.
    LoadJournal,
    /// Read the facts a wizard's plan needs, with read-only commands, in a task of its
    /// own; answer with `Action::FactsRead`.
    ReadFacts(super::wizard::FactsQuery),
    /// Leave the console.
    Quit,
    /// Ask the running plan to stop: no further step, the steps in flight finish.
    StopRun,
}

/// A table column as drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnSpan {
    /// First terminal column.
    pub x: u16,
    /// Width in cells.
    pub width: u16,
    /// Index of the table column.
    pub column: usize,
}

/// The table's header row as drawn.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HeaderMap {
    /// Terminal row.
    pub y: u16,
    /// The columns shown, left to right.
    pub columns: Vec<ColumnSpan>,
}

/// Where things were drawn, for mouse clicks and page sizes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScreenMap {
    /// The table's header row.
    pub header: Option<HeaderMap>,
    /// The area of the table's rows.
    pub rows: Rect,
    /// The row index drawn first.
    pub offset: usize,
}

/// The whole console state.
#[derive(Debug, Clone)]
pub struct App {
    /// The theme in use (without colours under `NO_COLOR`).
    pub theme: Theme,
    /// The key map.
    pub keymap: KeyMap,
    /// What the console was started with.
    pub options: ConsoleOptions,
    /// The last snapshot of each source (failed refreshes keep the earlier data, stale).
    pub snapshots: BTreeMap<String, SourceSnapshot>,
    /// Sources whose refresh is running.
    pub refreshing: BTreeSet<String>,
    /// Wizard runs from the journal file, newest first.
    pub journal: Vec<JournalRun>,
    /// The wizard in progress, if any.
    pub wizard: Option<Box<Wizard>>,
    /// The time ages are shown against.
    pub now: SystemTime,
    /// The current view.
    pub view: ViewState,
    /// Earlier views, most recent last (Esc goes back).
    pub history: Vec<ViewState>,
    /// The current view's table.
    pub table: Table,
    /// Row indices in sort order.
    pub order: Vec<u32>,
    /// Row indices shown: sort order, filtered.
    pub visible: Vec<u32>,
    /// The filter `visible` was computed with.
    pub(crate) visible_filter: String,
    /// Where keys go.
    pub mode: Mode,
    /// A message for the admin and when it was given.
    pub message: Option<(String, SystemTime)>,
    /// Geometry of the last frame.
    pub screen: ScreenMap,
    /// Work for the runner.
    pub requests: Vec<Request>,
    /// The console is closing.
    pub quitting: bool,
    /// A terminating signal came while a plan ran: leave once its summary is in.
    pub leave_after_run: bool,
    /// The console has the mouse (clicks select and sort); off, the terminal selects text.
    pub mouse: bool,
}

/// Most views kept in the history.
pub const HISTORY_LIMIT: usize = 100;

impl App {
    /// A console showing the managed systems, with nothing reported yet.
    pub fn new(options: ConsoleOptions, now: SystemTime) -> App {
        let theme = if options.no_color {
            options.theme.without_colors()
        } else {
            options.theme.clone()
        };
        let mut app = App {
            theme,
            keymap: options.keymap.clone(),
            options,
            snapshots: BTreeMap::new(),
            refreshing: BTreeSet::new(),
            journal: Vec::new(),
            wizard: None,
            now,
            view: ViewState::new(ViewKind::Systems.view()),
            history: Vec::new(),
            table: Table::new("", Vec::new(), Vec::new()),
            order: Vec::new(),
            visible: Vec::new(),
            visible_filter: String::new(),
            mode: Mode::Normal,
            message: None,
            screen: ScreenMap::default(),
            requests: Vec::new(),
            quitting: false,
            leave_after_run: false,
            mouse: true,
        };
        app.rebuild();
        app
    }

    /// What the views read.
    pub fn data(&self) -> EstateData<'_> {
        EstateData {
            snapshots: &self.snapshots,
            expected: &self.options.sources,
            refreshing: &self.refreshing,
            globals: &self.options.globals,
            journal: &self.journal,
            now: self.now,
        }
    }

    /// Rows shown on a page (from the last frame; 20 before the first).
    pub fn page(&self) -> usize {
        match self.screen.rows.height {
            0 => 20,
            height => height as usize,
        }
    }

    /// The selected row's key.
    pub fn selected_key(&self) -> Option<&RowKey> {
        let index = *self.visible.get(self.view.selected)?;
        Some(&self.table.rows[index as usize].key)
    }

    /// Remembers where the last frame put things (the runner calls this after drawing).
    pub fn set_screen(&mut self, screen: ScreenMap) {
        self.view.offset = screen.offset;
        self.screen = screen;
    }

    /// The kind of a source.
    pub fn source_kind(&self, name: &str) -> Option<SourceKind> {
        self.data().source_kind(name)
    }

    /// Rebuilds the current view's table from the snapshots, keeping the selected
    /// object selected where it still exists.
    pub fn rebuild(&mut self) {
        let keep = self
            .selected_key()
            .cloned()
            .or_else(|| self.view.selected_key.clone());
        self.table = self.view.view.table(&self.data());
        self.order = self.table.order(self.view.sort);
        self.visible_filter.clear();
        self.apply_filter();
        if let Some(key) = keep {
            if let Some(at) = self
                .visible
                .iter()
                .position(|&i| self.table.rows[i as usize].key == key)
            {
                self.view.selected = at;
            }
        }
        self.clamp_selection();
    }

    /// Re-sorts the rows (after the sort changed).
    pub fn resort(&mut self) {
        let keep = self.selected_key().cloned();
        self.order = self.table.order(self.view.sort);
        self.visible_filter.clear();
        self.apply_filter();
        if let Some(key) = keep {
            if let Some(at) = self
                .visible
                .iter()
                .position(|&i| self.table.rows[i as usize].key == key)
            {
                self.view.selected = at;
            }
        }
        self.clamp_selection();
    }

    /// Recomputes the shown rows for the current filter. A filter that only grew (more
    /// letters, another term) narrows the rows already shown instead of all of them.
    pub fn apply_filter(&mut self) {
        let text = self.view.filter.clone();
        let filter = Filter::parse(&text);
        let narrowing = !self.visible_filter.is_empty()
            && !self.visible_filter.starts_with('!')
            && !text.starts_with('!')
            && text.starts_with(self.visible_filter.as_str());
        let rows = &self.table.rows;
        let keep = |&i: &u32| filter.keeps(&rows[i as usize]);
        self.visible = if filter.is_empty() {
            self.order.clone()
        } else if narrowing {
            self.visible.iter().copied().filter(keep).collect()
        } else {
            self.order.iter().copied().filter(keep).collect()
        };
        self.visible_filter = if filter.is_empty() {
            String::new()
        } else {
            text
        };
        self.clamp_selection();
    }

    /// Keeps the selection on a row and the offset around it.
    pub fn clamp_selection(&mut self) {
        let count = self.visible.len();
        if count == 0 {
            self.view.selected = 0;
            self.view.offset = 0;
        } else {
            self.view.selected = self.view.selected.min(count - 1);
            let page = self.page();
            if self.view.selected < self.view.offset {
                self.view.offset = self.view.selected;
            } else if self.view.selected >= self.view.offset + page {
                self.view.offset = self.view.selected + 1 - page;
            }
            self.view.offset = self.view.offset.min(count.saturating_sub(1));
        }
        self.view.selected_key = self.selected_key().cloned();
    }

    /// Shows a message in the table's bottom line for a few seconds.
    pub fn say(&mut self, message: impl Into<String>) {
        self.message = Some((message.into(), self.now));
    }

    /// The wizard on screen (not one put aside while it runs).
    pub fn visible_wizard(&self) -> Option<&Wizard> {
        self.wizard.as_deref().filter(|w| !w.hidden)
    }

    /// Uses a theme (without its colours under `NO_COLOR`).
    pub fn set_theme(&mut self, theme: Theme) {
        self.theme = if self.options.no_color {
            theme.without_colors()
        } else {
            theme
        };
    }
}
