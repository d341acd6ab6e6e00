//! The `/` filter: fuzzy terms matched within a cell, `!` to invert.
//!
//! `/p001db` keeps rows where some cell holds the letters p, 0, 0, 1, d, b in that
//! order (fuzzy, as fuzzy-matcher's skim algorithm decides a match). Several terms
//! separated by blanks must all match, each in some cell: `/p001 running`. Lower-case
//! terms ignore case; a term with a capital letter respects it (smart case). A leading
//! `!` keeps the rows that do not match: `/!running`.
//!
//! Deciding a match is a subsequence test over pre-lowered row text (the same rule
//! skim applies before it scores), so a keystroke over 10,000 rows stays within a few
//! milliseconds; fuzzy-matcher then places the highlights on the rows on screen.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

use super::table::Row;

/// A parsed filter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filter {
    /// Keep the rows that do not match.
    pub inverted: bool,
    terms: Vec<Term>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    text: String,
    chars: Vec<char>,
    case_sensitive: bool,
}

impl Filter {
    /// Parses the filter text as typed after `/`.
    pub fn parse(text: &str) -> Filter {
        let (inverted, rest) = match text.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let terms = rest
            .split_whitespace()
            .map(|term| {
                let case_sensitive = term.chars().any(char::is_uppercase);
                let text = if case_sensitive {
                    term.to_string()
                } else {
                    term.to_lowercase()
                };
                Term {
                    chars: text.chars().collect(),
                    text,
                    case_sensitive,
                }
            })
            .collect();
        Filter { inverted, terms }
    }

    /// No terms: every row is kept.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The row is kept.
    pub fn keeps(&self, row: &Row) -> bool {
        if self.terms.is_empty() {
            return true;
        }
        let matched = self.terms.iter().all(|term| term.matches(row));
        matched != self.inverted
    }

    /// Character positions in `text` to highlight (none for an inverted filter).
    pub fn highlights(&self, matcher: &SkimMatcherV2, text: &str) -> Vec<usize> {
        if self.inverted || self.terms.is_empty() {
            return Vec::new();
        }
        let mut positions: Vec<usize> = self
            .terms
            .iter()
            .filter_map(|term| matcher.fuzzy_indices(text, &term.text))
            .flat_map(|(_, indices)| indices)
            .collect();
        positions.sort_unstable();
        positions.dedup();
        positions
    }
}

impl Term {
    fn matches(&self, row: &Row) -> bool {
        if self.case_sensitive {
            return row
                .cells
                .iter()
                .any(|cell| subsequence_chars(cell.text.chars(), &self.chars));
        }
        if self.text.is_ascii() {
            subsequence_in_cells(row.search.as_bytes(), self.text.as_bytes())
        } else {
            row.search
                .split('\u{1f}')
                .any(|cell| subsequence_chars(cell.chars(), &self.chars))
        }
    }
}

/// `term` appears in order within one cell of `search` (cells separated by 0x1f).
/// Byte-wise is exact for an ASCII term: its bytes never occur inside a multi-byte
/// UTF-8 sequence.
fn subsequence_in_cells(search: &[u8], term: &[u8]) -> bool {
    if term.is_empty() {
        return true;
    }
    let mut at = 0;
    for &byte in search {
        if byte == 0x1f {
            at = 0;
        } else if byte == term[at] {
            at += 1;
            if at == term.len() {
                return true;
            }
        }
    }
    false
}

fn subsequence_chars(text: impl Iterator<Item = char>, term: &[char]) -> bool {
    let mut at = 0;
    if term.is_empty() {
        return true;
    }
    for c in text {
        if c == term[at] {
            at += 1;
            if at == term.len() {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::table::{Cell, Column, RowKey, Table};

    fn rows(texts: &[&[&str]]) -> Table {
        let columns = vec![Column::new("A", 0, 20), Column::new("B", 0, 20)];
        let rows = texts
            .iter()
            .map(|cells| {
                Row::new(
                    RowKey::None,
                    "",
                    cells.iter().map(|t| Cell::text(*t)).collect(),
                )
            })
            .collect();
        Table::new("t", columns, rows)
    }

    #[test]
    fn fuzzy_within_one_cell_smart_case_and_inverse() {
        let table = rows(&[&["p001db01", "Running"], &["p002app", "Not Activated"]]);
        let keep = |f: &str| -> Vec<usize> {
            let filter = Filter::parse(f);
            (0..table.rows.len())
                .filter(|&i| filter.keeps(&table.rows[i]))
                .collect()
        };
        assert_eq!(keep("pdb"), [0]);
        assert_eq!(keep("run"), [0]);
        assert_eq!(keep("p0 notact"), [1]);
        // Letters spread over two cells do not match.
        assert_eq!(keep("dbrun"), Vec::<usize>::new());
        assert_eq!(keep("!run"), [1]);
        assert_eq!(keep("Run"), [0]);
        assert_eq!(keep("RUN"), Vec::<usize>::new());
        assert_eq!(keep(""), [0, 1]);
        assert_eq!(keep("!"), [0, 1]);
    }

    #[test]
    fn highlights_follow_the_matcher() {
        let matcher = SkimMatcherV2::default();
        let filter = Filter::parse("p1");
        assert_eq!(filter.highlights(&matcher, "p001db"), [0, 3]);
        assert!(Filter::parse("!p1")
            .highlights(&matcher, "p001db")
            .is_empty());
    }
}
