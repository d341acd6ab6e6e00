//! The `:` command palette: what can be typed and how it completes.
//!
//! `:lpar`, `:sys`, `:wpar`, `:rsp`, `:nim`, `:src`, `:tree`, `:journal` show a view; a
//! word after a view command becomes its filter (`:lpar p001` = LPARs filtered by
//! `p001`). `:theme NAME` switches the colours, `:help` shows the keys, `:refresh`
//! refreshes every source, `:q` quits.

use super::theme::Theme;
use super::views::ViewKind;

/// A palette command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Show a view, optionally with a filter.
    Show(ViewKind, Option<String>),
    /// Switch theme.
    Theme(String),
    /// Show the help.
    Help,
    /// Refresh every source now.
    Refresh,
    /// Leave.
    Quit,
}

/// One completion: what the input becomes, and a description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The full input after accepting it.
    pub text: String,
    /// What it does.
    pub about: String,
}

/// Fixed commands: name, aliases, description.
const OTHERS: &[(&str, &[&str], &str)] = &[
    ("theme", &["skin"], "switch colours: theme NAME"),
    ("help", &["keys", "?"], "show the keys"),
    ("refresh", &["reload"], "refresh every source now"),
    ("q", &["quit", "exit", "q!"], "quit powerdeck"),
];

/// Parses the palette input.
pub fn parse(input: &str) -> Result<Command, String> {
    let input = input.trim().trim_start_matches(':').trim();
    let (word, rest) = match input.split_once(char::is_whitespace) {
        Some((word, rest)) => (word, rest.trim()),
        None => (input, ""),
    };
    let argument = (!rest.is_empty()).then(|| rest.to_string());
    let word = word.to_ascii_lowercase();
    if word.is_empty() {
        return Err(
            "type a command: lpar, sys, wpar, rsp, nim, src, tree, journal, theme, q".into(),
        );
    }
    for kind in ViewKind::ALL {
        if kind.command() == word || kind.aliases().contains(&word.as_str()) {
            return Ok(Command::Show(kind, argument));
        }
    }
    match word.as_str() {
        "theme" | "skin" => match argument {
            Some(name) => Ok(Command::Theme(name)),
            None => Err(format!(
                "theme needs a name: {}",
                Theme::built_in_names().join(", ")
            )),
        },
        "help" | "keys" | "?" => Ok(Command::Help),
        "refresh" | "reload" => Ok(Command::Refresh),
        "q" | "quit" | "exit" | "q!" => Ok(Command::Quit),
        other => Err(format!(
            "no command {other:?}; Tab completes, :help lists keys"
        )),
    }
}

/// Completions for the input so far: commands whose name or alias starts with the first
/// word, then theme names after `theme `.
pub fn suggestions(input: &str) -> Vec<Suggestion> {
    let input = input.trim_start().trim_start_matches(':');
    if let Some(prefix) = input
        .strip_prefix("theme ")
        .or_else(|| input.strip_prefix("skin "))
    {
        let prefix = prefix.trim();
        return Theme::built_in_names()
            .into_iter()
            .filter(|name| name.starts_with(prefix))
            .map(|name| Suggestion {
                text: format!("theme {name}"),
                about: "built-in theme".to_string(),
            })
            .collect();
    }
    if input.contains(char::is_whitespace) {
        return Vec::new();
    }
    let word = input.to_ascii_lowercase();
    let mut out = Vec::new();
    for kind in ViewKind::ALL {
        let names = std::iter::once(kind.command()).chain(kind.aliases().iter().copied());
        if names.clone().any(|n| n.starts_with(&word)) {
            out.push(Suggestion {
                text: kind.command().to_string(),
                about: kind.title().to_string(),
            });
        }
    }
    for (name, aliases, about) in OTHERS {
        let matched = name.starts_with(&word) || aliases.iter().any(|a| a.starts_with(&word));
        if matched {
            out.push(Suggestion {
                text: if *name == "theme" {
                    "theme ".to_string()
                } else {
                    name.to_string()
                },
                about: about.to_string(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_views_filters_and_themes() {
        assert_eq!(parse("lpar"), Ok(Command::Show(ViewKind::Lpars, None)));
        assert_eq!(
            parse(":lpar  p001 db"),
            Ok(Command::Show(ViewKind::Lpars, Some("p001 db".into())))
        );
        assert_eq!(parse("SYS"), Ok(Command::Show(ViewKind::Systems, None)));
        assert_eq!(parse("theme light"), Ok(Command::Theme("light".into())));
        assert_eq!(parse("q"), Ok(Command::Quit));
        assert!(parse("theme").is_err());
        assert!(parse("frobnicate").unwrap_err().contains("frobnicate"));
    }

    #[test]
    fn completes_commands_and_theme_names() {
        let texts = |input: &str| -> Vec<String> {
            suggestions(input).into_iter().map(|s| s.text).collect()
        };
        assert_eq!(texts("lp"), ["lpar"]);
        assert_eq!(texts("t"), ["tree", "theme "]);
        assert_eq!(texts("theme l"), ["theme light"]);
        assert!(texts("").len() >= 12);
        assert!(texts("zz").is_empty());
    }
}
