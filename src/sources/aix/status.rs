//! The verdict of a WPAR lifecycle command (`startwpar -v`, `stopwpar -v`, `syncwpar`,
//! `syncroot`...): its `Return Status = ...` line and the AIX messages it printed
//! (docs/formats.md, "AIX: messages", "AIX: startwpar and stopwpar" to "AIX: syncwpar",
//! "AIX: 0960 messages").

use crate::sources::AixMessage;

/// What a WPAR command's `Return Status` line said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnStatus {
    /// `Return Status = SUCCESS.`
    Success,
    /// `Return Status = FAILURE.`
    Failure,
}

/// What a WPAR lifecycle command reported, so a wizard step can tell success from
/// failure and show the admin the message codes (0960-xxx and others) behind it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WparCommandStatus {
    /// `None` when no `Return Status` line was printed (commands run without `-v`).
    /// `Failure` when any such line (syncwpar's own or an embedded syncroot's) failed.
    pub return_status: Option<ReturnStatus>,
    /// Every AIX message in the output, in order (`0960-264`, `0513-059`, `0503-008`...).
    pub messages: Vec<AixMessage>,
}

impl WparCommandStatus {
    /// True only when the command printed `Return Status = SUCCESS.` and nothing failed.
    pub fn succeeded(&self) -> bool {
        self.return_status == Some(ReturnStatus::Success)
    }

    /// True when the command printed `Return Status = FAILURE.`
    pub fn failed(&self) -> bool {
        self.return_status == Some(ReturnStatus::Failure)
    }

    /// The WPAR-command messages (`0960-xxx`) only.
    pub fn wpar_messages(&self) -> impl Iterator<Item = &AixMessage> {
        self.messages.iter().filter(|m| m.component() == "0960")
    }

    /// True when the output carried `code` (e.g. `0960-667`, which calls for migwpar).
    pub fn has_code(&self, code: &str) -> bool {
        self.messages.iter().any(|m| m.code == code)
    }
}

/// Reads the `Return Status` verdict and the AIX messages of a WPAR command's output.
///
/// Accepts syncroot's spelling `syncroot: Returns Status = SUCCESS` too. Any FAILURE
/// line wins over SUCCESS lines, so a failed inner step is never hidden.
pub fn parse_wpar_status(text: &str) -> WparCommandStatus {
    let mut status = WparCommandStatus {
        return_status: None,
        messages: AixMessage::find_all(text),
    };
    for line in text.lines() {
        let Some(verdict) = return_status_of(line) else {
            continue;
        };
        if status.return_status != Some(ReturnStatus::Failure) {
            status.return_status = Some(verdict);
        }
    }
    status
}

/// `Return Status = SUCCESS.` / `syncroot: Returns Status = FAILURE` → the verdict.
fn return_status_of(line: &str) -> Option<ReturnStatus> {
    let line = line.trim();
    let line = line.split_once(": ").map_or(line, |(prefix, rest)| {
        if prefix.contains(char::is_whitespace) {
            line
        } else {
            rest
        }
    });
    let rest = line
        .strip_prefix("Return Status")
        .or_else(|| line.strip_prefix("Returns Status"))?;
    let word = rest.trim_start().strip_prefix('=')?.trim();
    let word = word.strip_suffix('.').unwrap_or(word).trim();
    if word.eq_ignore_ascii_case("SUCCESS") {
        Some(ReturnStatus::Success)
    } else if word.eq_ignore_ascii_case("FAILURE") {
        Some(ReturnStatus::Failure)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_spellings() {
        assert_eq!(
            return_status_of("Return Status = SUCCESS."),
            Some(ReturnStatus::Success)
        );
        assert_eq!(
            return_status_of("syncroot: Returns Status = FAILURE"),
            Some(ReturnStatus::Failure)
        );
        assert_eq!(return_status_of("Return Status = MAYBE."), None);
        assert_eq!(return_status_of("Status = SUCCESS."), None);
    }

    #[test]
    fn failure_wins() {
        let status =
            parse_wpar_status("syncroot: Returns Status = FAILURE\nReturn Status = SUCCESS.\n");
        assert!(status.failed());
        assert!(!status.succeeded());
    }

    #[test]
    fn no_verdict_without_status_line() {
        let status = parse_wpar_status("Starting workload partition 'w1'.\n");
        assert_eq!(status.return_status, None);
        assert!(status.messages.is_empty());
    }
}
