//! Showing names and messages from hosts to people, one line at a time.
//!
//! Object names, attribute values and error messages come from HMCs, AIX hosts and NIM
//! masters, and a name can hold anything but NUL. Printed as they are, a newline in a
//! name would end a comment of a `plan` script and start a command, an ESC sequence
//! would reach the operator's terminal (OSC 52 writes the clipboard, OSC 8 hides a link,
//! `ESC [2J` clears the screen), a CR would overwrite what came before, and a bidi
//! override would reorder what the operator reads. [`visible`] turns such text into one
//! line of plain characters that shows what is there, and that no two different names
//! share.

use std::borrow::Cow;
use std::fmt::Write;

/// True for a character that acts on the terminal or on the layout instead of being
/// shown: the C0 controls (newline, CR, tab, ESC ...), DEL, the C1 controls, the Unicode
/// line and paragraph separators (U+2028, U+2029) and the bidirectional embeddings,
/// overrides and isolates (U+202A to U+202E, U+2066 to U+2069).
///
/// Exists so that every output (console, `plan` scripts, CSV, messages) agrees on which
/// characters never reach it as they are.
pub fn is_control(c: char) -> bool {
    matches!(
        c,
        '\0'..='\x1f'
            | '\x7f'..='\u{9f}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// `text` as one line of visible, inert characters.
///
/// Exists so that a name or a message from a host can be printed anywhere one line of
/// text goes (a script comment, a table cell, stderr) without acting on the terminal or
/// ending the line, and so that two different names never look alike.
///
/// Every character of [`is_control`] is written as an escape: `\n`, `\r`, `\t`, `\e`
/// (ESC), `\x07` for the other C0 controls and DEL, `\u{9b}` for the rest. A backslash is
/// written `\\` where what follows could otherwise read as an escape (another backslash,
/// one of the letters `n r t e x u`, or a control character), so an escape in the output
/// always stands for a control character and two different texts never look alike. Any
/// other backslash stays single, so a quoted command line (`'it'\''s'`) reads as it runs.
/// Anything else comes back unchanged (without copying when nothing needs escaping).
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c == '\\' || is_control(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek() {
                Some(&next) if starts_escape(next) => out.push_str("\\\\"),
                _ => out.push('\\'),
            },
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x1b' => out.push_str("\\e"),
            c if c <= '\x7f' && is_control(c) => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c if is_control(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Every line of `text` through [`visible`], the line breaks kept.
///
/// Exists for messages powerdeck writes on several lines on purpose (an unknown host
/// key's message puts the `known_hosts` line to add on a line of its own) and prints to
/// stderr: their lines stay lines, and anything else a terminal would act on, from a
/// host's text inside them, is shown as an escape.
pub fn visible_lines(text: &str) -> String {
    text.split('\n').map(visible).collect::<Vec<_>>().join("\n")
}

/// True when a backslash before `next` would read as the start of an escape.
fn starts_escape(next: char) -> bool {
    matches!(next, '\\' | 'n' | 'r' | 't' | 'e' | 'x' | 'u') || is_control(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn controls_are_shown() {
        assert_eq!(visible("lpar1"), "lpar1");
        assert!(matches!(visible("p750-01 'x' $(y)"), Cow::Borrowed(_)));
        assert_eq!(visible("a\nb"), "a\\nb");
        assert_eq!(visible("\r\t"), "\\r\\t");
        assert_eq!(visible("\x1b]52;c;eA==\x07"), "\\e]52;c;eA==\\x07");
        assert_eq!(visible("\0\x7f"), "\\x00\\x7f");
        assert_eq!(visible("\u{9b}2J"), "\\u{9b}2J");
        assert_eq!(
            visible("a\u{2028}b\u{202e}c\u{2066}"),
            "a\\u{2028}b\\u{202e}c\\u{2066}"
        );
        assert_eq!(visible("a\\nb"), "a\\\\nb");
        assert_eq!(visible("a\\\nb"), "a\\\\\\nb");
        assert_eq!(visible("\\\\"), "\\\\\\");
        assert_eq!(visible("'it'\\''s' C:\\dir\\"), "'it'\\''s' C:\\dir\\");
        assert_eq!(visible("zespół ①"), "zespół ①");
    }

    #[test]
    fn lines_stay_lines() {
        assert_eq!(
            visible_lines("add this line:\n[h]:22 ssh-ed25519 AAAA\x1b[2J\r\nor not"),
            "add this line:\n[h]:22 ssh-ed25519 AAAA\\e[2J\\r\nor not"
        );
        assert_eq!(visible_lines("one"), "one");
    }

    /// Pieces that could make two escaped names alike if the escaping were ambiguous.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("\\".to_string()),
            Just("n".to_string()),
            Just("x0".to_string()),
            Just("7".to_string()),
            Just("u{".to_string()),
            Just("}".to_string()),
            Just("e".to_string()),
            any::<char>().prop_map(String::from),
            (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap().to_string()),
            (0x7fu32..0xa0).prop_map(|c| char::from_u32(c).unwrap().to_string()),
            prop::sample::select(vec![
                '\u{2028}', '\u{2029}', '\u{202a}', '\u{202e}', '\u{2069}'
            ])
            .prop_map(String::from),
        ]
    }

    /// Reads the escapes of [`visible`] back: a backslash starts one only before
    /// another backslash or one of `n r t e x u`.
    fn decode(shown: &str) -> String {
        let mut out = String::new();
        let mut chars = shown.chars().peekable();
        while let Some(c) = chars.next() {
            let escape = c == '\\' && chars.peek().is_some_and(|&next| "\\nrtexu".contains(next));
            if !escape {
                out.push(c);
                continue;
            }
            let code = match chars.next() {
                Some('\\') => u32::from('\\'),
                Some('n') => 0x0a,
                Some('r') => 0x0d,
                Some('t') => 0x09,
                Some('e') => 0x1b,
                Some('x') => {
                    let hex: String = chars.by_ref().take(2).collect();
                    u32::from_str_radix(&hex, 16).unwrap()
                }
                _ => {
                    assert_eq!(chars.next(), Some('{'));
                    let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                    u32::from_str_radix(&hex, 16).unwrap()
                }
            };
            out.push(char::from_u32(code).unwrap());
        }
        out
    }

    fn name() -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 0..8).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn output_holds_no_control_character(text in name()) {
            let shown = visible(&text);
            prop_assert!(!shown.chars().any(is_control), "{shown:?}");
        }

        /// The shown form decodes back to the name, so no two names share one.
        #[test]
        fn different_names_look_different(text in name()) {
            prop_assert_eq!(decode(&visible(&text)), text);
        }

        #[test]
        fn plain_text_is_unchanged(text in "[^\\\\\\p{Cc}\u{2028}-\u{202e}\u{2066}-\u{2069}]*") {
            prop_assert_eq!(visible(&text), text.as_str());
        }
    }
}
