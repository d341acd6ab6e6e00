//! The table every view shows: columns, rows of cells with a symbol and a tone, and what
//! each row stands for (so Enter knows where to go).

use std::borrow::Cow;
use std::cmp::Ordering;

use unicode_width::UnicodeWidthStr;

use super::theme::Tone;
use crate::text;

/// What a row stands for: the object Enter drills into and `d` describes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RowKey {
    /// Nothing to open (a heading, an attribute).
    None,
    /// A source (HMC, AIX global, NIM master) by name.
    Source(String),
    /// A managed system on an HMC.
    System {
        /// The HMC.
        hmc: String,
        /// The system's name.
        system: String,
    },
    /// A partition.
    Lpar {
        /// The HMC.
        hmc: String,
        /// The managed system.
        system: String,
        /// The partition's name.
        name: String,
    },
    /// A WPAR on an AIX global.
    Wpar {
        /// The AIX global (source name).
        host: String,
        /// The WPAR's name.
        name: String,
    },
    /// A reserved storage device.
    RsDevice {
        /// The HMC.
        hmc: String,
        /// The managed system.
        system: String,
        /// The device name.
        device: String,
    },
    /// An object of a NIM database.
    Nim {
        /// The NIM master (source name).
        master: String,
        /// The object's name.
        name: String,
    },
    /// An attribute in a detail view.
    Attribute(String),
    /// A wizard run in the journal, by run id.
    Run(String),
}

/// A column of a view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Header text, in capitals like the HMC's own listings.
    pub title: &'static str,
    /// Which columns stay when the terminal is narrow: lower numbers stay longer.
    pub priority: u8,
    /// The widest the column gets.
    pub max: u16,
    /// The source column (HMC, host, master): gets the stale marker of its source.
    pub source: bool,
}

impl Column {
    /// A column.
    pub const fn new(title: &'static str, priority: u8, max: u16) -> Column {
        Column {
            title,
            priority,
            max,
            source: false,
        }
    }

    /// The column naming where a row comes from.
    pub const fn source(title: &'static str, priority: u8) -> Column {
        Column {
            title,
            priority,
            max: 24,
            source: true,
        }
    }
}

/// One cell: an optional state symbol, the text, and what it means.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cell {
    /// A shape that carries the state without colour (`●`, `▲`, `✖`, ...).
    pub symbol: Option<char>,
    /// The words.
    pub text: String,
    /// How it is coloured.
    pub tone: Tone,
}

impl Cell {
    /// Plain text.
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            symbol: None,
            text: text.into(),
            tone: Tone::Normal,
        }
    }

    /// Text with a tone.
    pub fn toned(text: impl Into<String>, tone: Tone) -> Cell {
        Cell {
            symbol: None,
            text: text.into(),
            tone,
        }
    }

    /// A state: symbol, word and tone.
    pub fn state(symbol: char, text: impl Into<String>, tone: Tone) -> Cell {
        Cell {
            symbol: Some(symbol),
            text: text.into(),
            tone,
        }
    }

    /// A dash for "no value".
    pub fn none() -> Cell {
        Cell::toned("—", Tone::Muted)
    }

    /// Text, or a dash when there is none.
    pub fn optional(text: Option<&str>) -> Cell {
        match text {
            Some(text) if !text.is_empty() => Cell::text(text),
            _ => Cell::none(),
        }
    }

    /// A number, or a dash.
    pub fn number(value: Option<impl ToString>) -> Cell {
        value.map_or_else(Cell::none, |v| Cell::text(v.to_string()))
    }

    /// Display width in terminal cells, symbol included.
    pub fn width(&self) -> usize {
        self.text.width() + if self.symbol.is_some() { 2 } else { 0 }
    }
}

/// One row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// One cell per column.
    pub cells: Vec<Cell>,
    /// What the row stands for.
    pub key: RowKey,
    /// The source its data came from (for the stale marker); empty for none.
    pub source: String,
    /// Indentation and tree lines drawn before the first cell (tree view).
    pub prefix: String,
    /// Lower-cased cell texts joined by `\u{1f}`: what the filter searches.
    pub(crate) search: String,
}

impl Row {
    /// A row from its cells.
    pub fn new(key: RowKey, source: impl Into<String>, cells: Vec<Cell>) -> Row {
        Row {
            cells,
            key,
            source: source.into(),
            prefix: String::new(),
            search: String::new(),
        }
    }

    /// The same row drawn after a tree prefix.
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Row {
        self.prefix = prefix.into();
        self
    }
}

/// A view's table, built from the snapshots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// What the view shows (`LPARs`, `LPARs on p001`).
    pub title: String,
    /// The columns.
    pub columns: Vec<Column>,
    /// The rows, in the order the sources gave them.
    pub rows: Vec<Row>,
    /// What to say when there are no rows at all.
    pub empty: String,
    /// Rows can be sorted (not the tree or a detail view, whose order means something).
    pub sortable: bool,
    /// Widest content of each column (header included), for the layout.
    pub widths: Vec<u16>,
    /// The sources the rows come from, each once.
    pub sources: Vec<String>,
}

impl Table {
    /// A table; computes the search text of each row and the column widths.
    ///
    /// Cell texts and the title are made [`text::visible`] here, the one place every view
    /// (detail views included) passes through: a control character in a name shows as an
    /// escape (`\n`, `\e`) instead of vanishing, so two different names never look alike,
    /// and widths, sorting and the filter all see what is drawn.
    pub fn new(title: impl Into<String>, columns: Vec<Column>, mut rows: Vec<Row>) -> Table {
        let mut widths: Vec<u16> = columns.iter().map(|c| c.title.width() as u16 + 1).collect();
        for row in &mut rows {
            let mut search = String::new();
            for cell in &mut row.cells {
                if let Cow::Owned(shown) = text::visible(&cell.text) {
                    cell.text = shown;
                }
            }
            for (index, cell) in row.cells.iter().enumerate() {
                if index > 0 {
                    search.push('\u{1f}');
                }
                search.extend(cell.text.chars().flat_map(char::to_lowercase));
                let mut width = cell.width();
                if index == 0 {
                    width += row.prefix.width();
                }
                if let Some(w) = widths.get_mut(index) {
                    *w = (*w).max(width.min(u16::MAX as usize) as u16);
                }
            }
            row.search = search;
        }
        for (width, column) in widths.iter_mut().zip(&columns) {
            *width = (*width).min(column.max);
        }
        let mut sources: Vec<String> = Vec::new();
        for row in &rows {
            if !row.source.is_empty()
                && sources.last() != Some(&row.source)
                && !sources.contains(&row.source)
            {
                sources.push(row.source.clone());
            }
        }
        Table {
            title: text::visible(&title.into()).into_owned(),
            columns,
            rows,
            empty: "Nothing here yet".to_string(),
            sortable: true,
            widths,
            sources,
        }
    }

    /// Sets the message shown when the table has no rows.
    pub fn with_empty(mut self, message: impl Into<String>) -> Table {
        self.empty = message.into();
        self
    }

    /// Marks the table as keeping its own order (tree, detail).
    pub fn unsorted(mut self) -> Table {
        self.sortable = false;
        self
    }

    /// Row indices ordered by a column; ties keep the sources' order.
    pub fn order(&self, sort: Option<SortOrder>) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.rows.len() as u32).collect();
        if let Some(sort) = sort.filter(|_| self.sortable) {
            if sort.column < self.columns.len() {
                order.sort_by(|&a, &b| {
                    let a = &self.rows[a as usize].cells;
                    let b = &self.rows[b as usize].cells;
                    let ordering = match (a.get(sort.column), b.get(sort.column)) {
                        (Some(a), Some(b)) => natural_cmp(&a.text, &b.text),
                        (a, b) => a.is_some().cmp(&b.is_some()),
                    };
                    if sort.descending {
                        ordering.reverse()
                    } else {
                        ordering
                    }
                });
            }
        }
        order
    }
}

/// Sorting by one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortOrder {
    /// Column index.
    pub column: usize,
    /// Largest first.
    pub descending: bool,
}

/// Compares texts the way an admin reads them: case-insensitively, with runs of
/// digits compared as numbers (`lpar2` before `lpar10`), and "no value" (`—`) last.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    match (a == "—", b == "—") {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    natural(a, b, true).then_with(|| natural(a, b, false))
}

fn natural(a: &str, b: &str, fold_case: bool) -> Ordering {
    let mut a = a.chars().peekable();
    let mut b = b.chars().peekable();
    loop {
        match (a.peek().copied(), b.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let x_digits = digits(&mut a);
                let y_digits = digits(&mut b);
                let x_trim = x_digits.trim_start_matches('0');
                let y_trim = y_digits.trim_start_matches('0');
                let ordering = x_trim
                    .len()
                    .cmp(&y_trim.len())
                    .then_with(|| x_trim.cmp(y_trim))
                    .then_with(|| x_digits.len().cmp(&y_digits.len()));
                if ordering != Ordering::Equal {
                    return ordering;
                }
            }
            (Some(x), Some(y)) => {
                let ordering = if fold_case {
                    x.to_lowercase().cmp(y.to_lowercase())
                } else {
                    x.cmp(&y)
                };
                if ordering != Ordering::Equal {
                    return ordering;
                }
                a.next();
                b.next();
            }
        }
    }
}

fn digits(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut out = String::new();
    while let Some(c) = chars.peek().copied().filter(char::is_ascii_digit) {
        out.push(c);
        chars.next();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut names = vec!["lpar10", "LPAR2", "lpar1", "—", "alpha", "lpar02"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(names, ["alpha", "lpar1", "LPAR2", "lpar02", "lpar10", "—"]);
    }

    #[test]
    fn widths_cover_symbols_and_headers() {
        let table = Table::new(
            "t",
            vec![Column::new("STATE", 0, 30), Column::new("N", 0, 3)],
            vec![Row::new(
                RowKey::None,
                "",
                vec![Cell::state('●', "Running", Tone::Ok), Cell::text("abcdef")],
            )],
        );
        assert_eq!(table.widths, [9, 3]);
        assert_eq!(table.rows[0].search, "running\u{1f}abcdef");
    }

    #[test]
    fn control_characters_show_in_cells_and_title() {
        let table = Table::new(
            "LPARs on p\x1b]8;;",
            vec![Column::new("N", 0, 30)],
            vec![
                Row::new(RowKey::None, "", vec![Cell::text("a\nb")]),
                Row::new(RowKey::None, "", vec![Cell::text("a\\nb")]),
            ],
        );
        assert_eq!(table.title, "LPARs on p\\e]8;;");
        assert_eq!(table.rows[0].cells[0].text, "a\\nb");
        assert_eq!(table.rows[1].cells[0].text, "a\\\\nb");
        assert_eq!(table.widths, [5]);
    }
}
