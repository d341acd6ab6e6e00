//! What every parser returns: typed records plus what it could not read.

/// Records parsed from a host's output, with a diagnostic for every line that was
/// skipped. A bad line never costs the good ones.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<T> {
    pub items: Vec<T>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<T> Default for Parsed<T> {
    fn default() -> Self {
        Parsed {
            items: Vec::new(),
            diagnostics: Vec::new(),
        }
    }
}

impl<T> Parsed<T> {
    /// Nothing parsed and nothing to complain about.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Records a problem on a 1-based line of the host's output.
    pub fn warn(&mut self, line: usize, text: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::new(line, text, message));
    }

    /// True when every line was understood.
    pub fn is_clean(&self) -> bool {
        self.diagnostics.is_empty()
    }

    /// Converts the records, keeping the diagnostics.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Parsed<U> {
        Parsed {
            items: self.items.into_iter().map(f).collect(),
            diagnostics: self.diagnostics,
        }
    }
}

/// One line of host output that a parser could not use, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// 1-based line number in the output.
    pub line: usize,
    /// What was wrong, in words an admin can act on.
    pub message: String,
    /// The start of the offending line (at most 80 characters).
    pub excerpt: String,
}

impl Diagnostic {
    /// A diagnostic for `text` at 1-based `line`.
    pub fn new(line: usize, text: &str, message: impl Into<String>) -> Self {
        const MAX: usize = 80;
        let excerpt = match text.char_indices().nth(MAX) {
            Some((cut, _)) => format!("{}…", &text[..cut]),
            None => text.to_string(),
        };
        Diagnostic {
            line,
            message: message.into(),
            excerpt,
        }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}: {} ({:?})",
            self.line, self.message, self.excerpt
        )
    }
}
