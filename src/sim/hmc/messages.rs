//! What the simulated HMC prints when it refuses: command-line complaints without a
//! code (docs/formats.md, "HMC: -F and --header", "HMC: errors") and `HSCLxxxx` messages
//! ("HMC: HSCL codes"), all on stdout with exit 1.
//!
//! The codes and texts docs/formats.md does not give are this simulator's choice; the
//! table in the module documentation of [`crate::sim::hmc`] lists every one.

use crate::sim::reply::Reply;

/// The empty-listing line (exit 0, docs/formats.md, "HMC: empty listings").
pub const NO_RESULTS: &str = "No results were found.\n";

/// Width the HMC wraps its command-line complaint at (the published capture is wrapped,
/// docs/formats.md, "HMC: errors").
const WRAP: usize = 75;

/// The complaint about missing or invalid parameters, wrapped like the HMC prints it:
/// `... The parameters that are missing or have an invalid value are -m.`
pub fn usage(params: &[&str]) -> Reply {
    let text = format!(
        "The command entered is either missing a required parameter or a parameter value is invalid.  The parameters that are missing or have an invalid value are {}.",
        params.join(", ")
    );
    Reply::fail_stdout(wrap(&text, WRAP), 1)
}

/// The English form of the localized "invalid attribute" message of docs/formats.md,
/// "HMC: -F and --header".
pub fn invalid_attribute(name: &str) -> Reply {
    Reply::fail_stdout(
        format!(
            "An invalid attribute was entered.  The invalid attribute is {name}.  Correct the input and retry the command.\n"
        ),
        1,
    )
}

/// An `HSCLxxxx text` message on stdout, exit 1.
pub fn hscl(code: &str, text: impl AsRef<str>) -> Reply {
    Reply::fail_stdout(format!("{code} {}\n", text.as_ref()), 1)
}

/// `HSCL0238` (verbatim, docs/formats.md, "HMC: HSCL codes"): the managed system must be
/// `Operating`.
pub fn not_operating() -> Reply {
    hscl(
        "HSCL0238",
        "This operation is only allowed when the managed system is in the Operating state.",
    )
}

/// `HSCL8012`: a managed system, partition or profile that does not exist.
pub fn not_found(what: &str, name: &str) -> Reply {
    hscl(
        "HSCL8012",
        format!("The {what} {name} could not be found. Check the name and try again."),
    )
}

/// `HSCL3653` (docs/formats.md, "HMC: migrlpar"): SSH between management consoles not set
/// up.
pub fn no_remote_hmc(user: &str) -> Reply {
    hscl(
        "HSCL3653",
        format!(
            "The Secure Shell (SSH) communication configuration between the source and destination management consoles has not been set up correctly for remote user {user}. Run the mkauthkeys command to set up the SSH communication authentication keys."
        ),
    )
}

/// The same refusal, printed only after `delay` of work (errors found by a validation
/// that takes time).
pub fn after(delay: std::time::Duration, reply: Reply) -> Reply {
    let mut delayed = Reply::silent().then(delay, crate::sim::reply::Stream::Stdout, "");
    delayed.chunks.extend(reply.chunks);
    delayed
        .ending_after(reply.tail)
        .with_status(reply.exit_status)
}

/// Wraps `text` at `width` columns on spaces, keeping runs of spaces inside a line
/// (the HMC puts two after a full stop) and dropping them at a break.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    let mut gap = String::new();
    let mut word = String::new();
    let flush = |line: &mut String, gap: &mut String, word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        if !line.is_empty() && line.len() + gap.len() + word.len() > width {
            out.push_str(line);
            out.push('\n');
            line.clear();
            gap.clear();
        }
        line.push_str(gap);
        line.push_str(word);
        gap.clear();
        word.clear();
    };
    for c in text.chars() {
        if c == ' ' {
            flush(&mut line, &mut gap, &mut word, &mut out);
            if !line.is_empty() {
                gap.push(' ');
            }
        } else {
            word.push(c);
        }
    }
    flush(&mut line, &mut gap, &mut word, &mut out);
    out.push_str(&line);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_wraps_like_the_reference_capture() {
        assert_eq!(
            usage(&["-m"]).stdout_text(),
            "The command entered is either missing a required parameter or a parameter\nvalue is invalid.  The parameters that are missing or have an invalid value\nare -m.\n"
        );
    }
}
