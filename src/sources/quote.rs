//! Quoting of dynamic values for the remote shell and for HMC attribute lists.
//!
//! Two layers, applied in this order when a command line is built:
//!
//! 1. **HMC attribute lists** (`-i`, `-a`, `--filter`, comma lists such as `-p vios1,vios2`)
//!    use the two-level CSV grammar of docs/formats.md, "HMC: quoting": a field
//!    `attr=value` is wrapped in `"` (inner `"` doubled) when it contains `,` or `"`, and the
//!    elements of a list value are quoted the same way before they are joined.
//!    [`hmc_attributes`] and [`hmc_list`] build these strings; the result is one argument
//!    word.
//! 2. **The remote shell** (HMC restricted bash, AIX ksh; both POSIX) then receives every
//!    argument word through [`shell`], which single-quotes anything that is not made only of
//!    plainly safe characters.
//!
//! Neither layer can carry a NUL byte; [`crate::sources::command::RemoteCommand`] refuses
//! such values with a typed error before they get here.

use std::borrow::Cow;

use crate::text;

/// Quotes one argument word for a POSIX shell (HMC restricted bash, AIX ksh, dash).
///
/// Words made only of `[A-Za-z0-9_@%+=:,./-]` (and not empty) come back unchanged, so plans
/// and transcripts read like what an admin would type (`lssyscfg -r lpar -m p750-01`).
/// Anything else is wrapped in single quotes, inside which a POSIX shell expands nothing;
/// a `'` in the word is written `'\''` (close, escaped quote, reopen). The empty word is
/// `''`. The result always reaches the program as exactly one argument with the original
/// bytes, whatever the word contains (`;`, `|`, `$()`, backticks, globs, `~`, newlines,
/// non-ASCII ...), except NUL, which no shell command line can hold.
pub fn shell(word: &str) -> Cow<'_, str> {
    if !word.is_empty() && word.bytes().all(is_shell_safe) {
        return Cow::Borrowed(word);
    }
    let mut quoted = String::with_capacity(word.len() + 2);
    quoted.push('\'');
    for c in word.chars() {
        if c == '\'' {
            quoted.push_str("'\\''");
        } else {
            quoted.push(c);
        }
    }
    quoted.push('\'');
    Cow::Owned(quoted)
}

/// Quotes one argument word for a shell script that people read (`powerdeck plan`).
///
/// Exists because [`shell`] keeps a word's control characters as they are inside its
/// quotes: a shell reads them right, but printed they reach the terminal of whoever
/// reviews the script, and a newline makes the rest of a name look like a line of its
/// own. A word without a [`text::is_control`] character is quoted by [`shell`]. In a word
/// with one, each newline is written `"$nl"` (the script sets `nl` first, with
/// [`SCRIPT_NEWLINE`]), each run of other control characters `"$(printf '\ooo...')"` (the
/// octal bytes of their UTF-8), and the text between goes through [`shell`]; the pieces
/// touch, so the program still receives exactly the original word.
pub fn script_word(word: &str) -> Cow<'_, str> {
    if !word.chars().any(text::is_control) {
        return shell(word);
    }
    let mut quoted = String::with_capacity(word.len() * 2);
    let mut plain = String::new();
    let mut octal = String::new();
    for c in word.chars() {
        if !text::is_control(c) {
            push_printf(&mut quoted, &mut octal);
            plain.push(c);
            continue;
        }
        push_plain(&mut quoted, &mut plain);
        if c == '\n' {
            push_printf(&mut quoted, &mut octal);
            quoted.push_str("\"$nl\"");
        } else {
            for byte in c.encode_utf8(&mut [0; 4]).bytes() {
                octal.push_str(&format!("\\{byte:03o}"));
            }
        }
    }
    push_plain(&mut quoted, &mut plain);
    push_printf(&mut quoted, &mut octal);
    Cow::Owned(quoted)
}

/// The script line that sets `nl` to one newline for [`script_word`]; the `.` keeps the
/// command substitution from dropping it.
pub const SCRIPT_NEWLINE: &str = "nl=$(printf '\\n.'); nl=${nl%.}";

/// Appends `plain` quoted by [`shell`], if any, and empties it.
fn push_plain(quoted: &mut String, plain: &mut String) {
    if !plain.is_empty() {
        quoted.push_str(&shell(plain));
        plain.clear();
    }
}

/// Appends a `printf` of the octal escapes in `octal`, if any, and empties it.
fn push_printf(quoted: &mut String, octal: &mut String) {
    if !octal.is_empty() {
        quoted.push_str(&format!("\"$(printf '{octal}')\""));
        octal.clear();
    }
}

/// Bytes that no POSIX shell (nor bash outside POSIX mode) treats specially anywhere in an
/// argument word. `~` is left out (tilde expansion, also after `=` and `:` in bash), as are
/// `{}` (brace expansion), globs, quotes, blanks and every operator character.
fn is_shell_safe(byte: u8) -> bool {
    byte.is_ascii_alphanumeric()
        || matches!(
            byte,
            b'_' | b'@' | b'%' | b'+' | b'=' | b':' | b',' | b'.' | b'/' | b'-'
        )
}

/// One `attr=value` field of an HMC attribute list (`-i`, `-a` or `--filter` data).
///
/// Exists so that every attribute list powerdeck sends is encoded by one function that
/// follows docs/formats.md, "HMC: quoting", instead of by ad-hoc `format!` calls that
/// forget a comma in a name.
/// The attribute name is a static identifier of powerdeck's own (`lpar_names`,
/// `rs_device_name`); only values come from the estate or the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HmcAttr {
    name: &'static str,
    value: HmcValue,
}

/// The value side of an [`HmcAttr`]: one value, or a list whose elements are quoted one by
/// one (the HMC's second CSV level).
#[derive(Debug, Clone, PartialEq, Eq)]
enum HmcValue {
    Single(String),
    List(Vec<String>),
}

impl HmcAttr {
    /// `name=value` with a single (non-list) value, e.g. `name=lpar1` in `chsyscfg -i`.
    /// A value containing `,` or `"` makes the whole field quoted: `"name=a,b"`.
    pub fn single(name: &'static str, value: impl Into<String>) -> Self {
        debug_assert!(is_attribute_name(name), "bad HMC attribute name {name:?}");
        HmcAttr {
            name,
            value: HmcValue::Single(value.into()),
        }
    }

    /// `name=v1,v2,...` with a list value, e.g. `lpar_names=a,b` in `--filter` or
    /// `vios_names=vios1,vios2` in `chhwres -a`. Each element is CSV-quoted on its own first.
    pub fn list<I, S>(name: &'static str, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        debug_assert!(is_attribute_name(name), "bad HMC attribute name {name:?}");
        HmcAttr {
            name,
            value: HmcValue::List(values.into_iter().map(Into::into).collect()),
        }
    }

    /// The attribute name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The field as the HMC reads it: `attr=value`, quoted as a whole when needed.
    pub fn encode(&self) -> String {
        let value = match &self.value {
            HmcValue::Single(value) => Cow::Borrowed(value.as_str()),
            HmcValue::List(values) => Cow::Owned(hmc_list(values)),
        };
        csv_field(&format!("{}={}", self.name, value)).into_owned()
    }
}

/// Encodes an HMC attribute list: the fields of [`HmcAttr::encode`] joined by `,`.
///
/// `hmc_attributes(&[HmcAttr::list("virtual_eth_adapters", ["2/1/1/3,4,5/0/1"])])` gives
/// `"virtual_eth_adapters=""2/1/1/3,4,5/0/1"""`, byte for byte the form of docs/formats.md,
/// "HMC: quoting".
/// The result is one argument word; it still goes through [`shell`] on the command line.
pub fn hmc_attributes(attrs: &[HmcAttr]) -> String {
    attrs
        .iter()
        .map(HmcAttr::encode)
        .collect::<Vec<_>>()
        .join(",")
}

/// Encodes a comma-separated list of values with the HMC's element quoting (an element
/// containing `,` or `"` is wrapped in `"` with `"` doubled), e.g. for `-p vios1,vios2`.
/// Inside an attribute list it is the second CSV level of docs/formats.md, "HMC: quoting".
pub fn hmc_list<S: AsRef<str>>(values: &[S]) -> String {
    values
        .iter()
        .map(|value| csv_field(value.as_ref()))
        .collect::<Vec<_>>()
        .join(",")
}

/// One CSV field with `"` as quote and `""` as escaped quote, quoted only when it must be.
fn csv_field(text: &str) -> Cow<'_, str> {
    if !text.contains([',', '"']) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(format!("\"{}\"", text.replace('"', "\"\"")))
}

/// HMC attribute names are lower-case identifiers (`lpar_names`, `rs_device_name`).
pub(crate) fn is_attribute_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_words_pass_through() {
        for word in [
            "lpar1",
            "p750-01",
            "9131-52A-6535CCG",
            "/home/hscroot/fw/",
            "a=b,c:d",
            "x@y%z+1",
        ] {
            assert!(matches!(shell(word), Cow::Borrowed(_)), "{word}");
            assert_eq!(shell(word), word);
        }
    }

    #[test]
    fn everything_else_is_single_quoted() {
        assert_eq!(shell(""), "''");
        assert_eq!(shell("Not Activated"), "'Not Activated'");
        assert_eq!(shell("9131-52A*6535CCG"), "'9131-52A*6535CCG'");
        assert_eq!(shell("it's"), "'it'\\''s'");
        assert_eq!(shell("'"), "''\\'''");
        assert_eq!(shell("~root"), "'~root'");
        assert_eq!(shell("$(reboot)"), "'$(reboot)'");
        assert_eq!(shell("zespół"), "'zespół'");
    }

    #[test]
    fn script_words_print_no_control_character() {
        assert_eq!(script_word("lpar1"), "lpar1");
        assert_eq!(script_word("it's"), shell("it's"));
        assert_eq!(
            script_word("a\x1b]52;c;eA==\x07 b"),
            "a\"$(printf '\\033')\"']52;c;eA=='\"$(printf '\\007')\"' b'"
        );
        assert_eq!(script_word("x\n;y\n"), "x\"$nl\"';y'\"$nl\"");
        assert_eq!(
            script_word("\r\u{202e}"),
            "\"$(printf '\\015\\342\\200\\256')\""
        );
        for word in ["a\nb", "\x1b[2J", "p\u{85}q", "w$(x)\t'"] {
            assert!(!script_word(word).chars().any(text::is_control), "{word:?}");
        }
    }

    #[test]
    fn single_value_with_comma_quotes_the_field() {
        let text = hmc_attributes(&[HmcAttr::single("name", "a,b"), HmcAttr::single("x", "1")]);
        assert_eq!(text, "\"name=a,b\",x=1");
    }

    #[test]
    fn list_elements_are_quoted_one_by_one() {
        let text = hmc_attributes(&[HmcAttr::list("lpar_names", ["a,b", "c"])]);
        assert_eq!(text, "\"lpar_names=\"\"a,b\"\",c\"");
        let text = hmc_attributes(&[HmcAttr::list("lpar_names", ["lpar1"])]);
        assert_eq!(text, "lpar_names=lpar1");
    }

    #[test]
    fn quotes_are_doubled_at_each_level() {
        let text = hmc_attributes(&[HmcAttr::list("lpar_names", ["a\"b"])]);
        assert_eq!(text, "\"lpar_names=\"\"a\"\"\"\"b\"\"\"");
        assert_eq!(hmc_list(&["a\"b", "c"]), "\"a\"\"b\",c");
    }
}
