//! Error and warning messages of the HMC (`HSCLxxxx`) and AIX/NIM (`NNNN-NNN`).

use crate::exec::CommandOutput;

/// An HMC message: `HSCLxxxx text`, possibly wrapping nested codes
/// (`HSCL127D: HSCL1288 logical port ...`) and followed by a detail block
/// (`VIOS_DETAILED_ERROR ...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HsclMessage {
    /// `HSCLA9CE`.
    pub code: String,
    /// The rest of the line, nested codes included.
    pub text: String,
    /// Codes nested inside the text, outermost first (`HSCL1288`).
    pub nested: Vec<String>,
    /// Lines after the message line (VIOS detail blocks), trimmed.
    pub detail: Vec<String>,
}

impl HsclMessage {
    /// Reads an `HSCL` code at the start of `line` (leading blanks allowed).
    pub fn parse_line(line: &str) -> Option<HsclMessage> {
        let (code, rest) = split_hscl_code(line.trim_start())?;
        let mut text = rest.strip_prefix(':').unwrap_or(rest).trim().to_string();
        let mut nested = Vec::new();
        let mut tail = text.as_str();
        while let Some((inner, rest)) = split_hscl_code(tail) {
            nested.push(inner.to_string());
            tail = rest.strip_prefix(':').unwrap_or(rest).trim_start();
        }
        text.truncate(text.trim_end().len());
        Some(HsclMessage {
            code: code.to_string(),
            text,
            nested,
            detail: Vec::new(),
        })
    }

    /// The first HSCL message in `text`, with the lines after it as its detail.
    pub fn find(text: &str) -> Option<HsclMessage> {
        let mut lines = text.lines();
        for line in lines.by_ref() {
            if let Some(mut message) = HsclMessage::parse_line(line) {
                message.detail = lines
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .map(str::to_string)
                    .collect();
                return Some(message);
            }
        }
        None
    }

    /// True for the codes the HMC prints while the command still succeeds
    /// (`HSCLA32F`: the next free partition ID will be used).
    pub fn is_warning(&self) -> bool {
        matches!(self.code.as_str(), "HSCLA32F")
    }
}

impl std::fmt::Display for HsclMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code, self.text)
    }
}

fn split_hscl_code(text: &str) -> Option<(&str, &str)> {
    let code = text.get(..8)?;
    let hex = code.strip_prefix("HSCL")?;
    if !hex
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
    {
        return None;
    }
    let rest = &text[8..];
    match rest.chars().next() {
        None | Some(' ' | ':' | '\t') => Some((code, rest)),
        _ => None,
    }
}

/// An AIX or NIM message: `lswpar: 0960-419 Could not find ...`,
/// `0042-053 lsnim: there is no NIM object named "x"`, or a bare `0513-059 ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AixMessage {
    /// The command or method that printed it (`lswpar`, `m_lslpp`), when named.
    pub command: Option<String>,
    /// `0960-419`.
    pub code: String,
    pub text: String,
}

impl AixMessage {
    /// The component part of the code: `0960` WPAR, `0042` NIM, `0505` alt_disk ...
    pub fn component(&self) -> &str {
        &self.code[..4]
    }

    /// Reads one line in any of the three AIX message layouts.
    pub fn parse_line(line: &str) -> Option<AixMessage> {
        let line = line.trim();
        if let Some((code, rest)) = split_aix_code(line) {
            let rest = rest.trim_start();
            let (command, text) = match split_command_prefix(rest) {
                Some((command, text)) => (Some(command.to_string()), text),
                None => (None, rest),
            };
            return Some(AixMessage {
                command,
                code: code.to_string(),
                text: text.trim().to_string(),
            });
        }
        let (command, rest) = split_command_prefix(line)?;
        let (code, text) = split_aix_code(rest.trim_start())?;
        Some(AixMessage {
            command: Some(command.to_string()),
            code: code.to_string(),
            text: text.trim().to_string(),
        })
    }

    /// Every AIX message in `text`, in order.
    pub fn find_all(text: &str) -> Vec<AixMessage> {
        text.lines().filter_map(AixMessage::parse_line).collect()
    }
}

impl std::fmt::Display for AixMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.command {
            Some(command) => write!(f, "{command}: {} {}", self.code, self.text),
            None => write!(f, "{} {}", self.code, self.text),
        }
    }
}

fn split_aix_code(text: &str) -> Option<(&str, &str)> {
    let code = text.get(..8)?;
    let bytes = code.as_bytes();
    let shaped = bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..].iter().all(u8::is_ascii_digit);
    if !shaped {
        return None;
    }
    let rest = &text[8..];
    match rest.chars().next() {
        None | Some(' ' | '\t') => Some((code, rest)),
        _ => None,
    }
}

/// `cmd: rest`, where cmd is one word of a command or method name.
fn split_command_prefix(text: &str) -> Option<(&str, &str)> {
    let (command, rest) = text.split_once(": ")?;
    let plausible = !command.is_empty()
        && command
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/'));
    plausible.then_some((command, rest))
}

/// Why a host command did not give usable output.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HostError {
    /// The HMC refused with an `HSCLxxxx` message.
    #[error("{0}")]
    Hmc(HsclMessage),
    /// AIX or NIM refused with an `NNNN-NNN` message.
    #[error("{0}")]
    Aix(AixMessage),
    /// The HMC rejected the command line itself (missing or invalid parameter or attribute).
    #[error("the HMC rejected the command line: {0}")]
    Usage(String),
    /// The remote shell does not have (or does not allow) the command.
    #[error("command not available on the host: {0}")]
    CommandNotFound(String),
    /// Failed with no message powerdeck recognises.
    #[error("command failed (exit status {}): {text}", exit_status.map_or("none".to_string(), |s| s.to_string()))]
    Failed {
        exit_status: Option<u32>,
        text: String,
    },
}

impl HostError {
    /// Reads the error a host reported in `text` (stdout and stderr together), if the
    /// text is an error at all: an HSCL or AIX message, or an HMC usage complaint.
    ///
    /// Where several messages stand, the one that says why the command failed wins: the
    /// first HSCL message that is not a warning (`HSCLA32F` only informs), and the last
    /// AIX message (AIX commands print warnings and progress codes before their error).
    pub fn recognise(text: &str) -> Option<HostError> {
        let hmc: Vec<HsclMessage> = text
            .lines()
            .enumerate()
            .filter(|(_, line)| HsclMessage::parse_line(line).is_some())
            .filter_map(|(index, _)| {
                let rest: Vec<&str> = text.lines().skip(index).collect();
                HsclMessage::find(&rest.join("\n"))
            })
            .collect();
        if let Some(message) = hmc
            .iter()
            .find(|message| !message.is_warning())
            .or_else(|| hmc.first())
        {
            return Some(HostError::Hmc(message.clone()));
        }
        let flat = flatten(text);
        let lower = flat.to_ascii_lowercase();
        if lower.contains("missing a required parameter")
            || lower.contains("invalid attribute")
            || lower.starts_with("usage:")
        {
            return Some(HostError::Usage(flat));
        }
        if lower.contains("command not found") || lower.contains("restricted:") {
            return Some(HostError::CommandNotFound(flat));
        }
        AixMessage::find_all(text)
            .into_iter()
            .last()
            .map(HostError::Aix)
    }

    /// Judges a finished command: `Ok(stdout)` on exit status 0, otherwise the error the
    /// host gave (or `Failed` with its text).
    pub fn check(output: &CommandOutput) -> Result<&str, HostError> {
        if output.succeeded() {
            return Ok(&output.stdout);
        }
        let text = output.combined();
        if output.exit_status == Some(127) {
            return Err(HostError::CommandNotFound(flatten(&text)));
        }
        Err(
            HostError::recognise(&text).unwrap_or_else(|| HostError::Failed {
                exit_status: output.exit_status,
                text: flatten(&text),
            }),
        )
    }
}

/// Joins wrapped message lines into one.
fn flatten(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hscl_with_nested_code() {
        let m = HsclMessage::parse_line(
            "HSCL127D: HSCL1288 logical port 27004002 is already assigned to the partition.",
        )
        .unwrap();
        assert_eq!(m.code, "HSCL127D");
        assert_eq!(m.nested, vec!["HSCL1288"]);
        assert!(m.text.ends_with("assigned to the partition."));
    }

    #[test]
    fn hscl_needs_four_hex_digits() {
        assert!(HsclMessage::parse_line("HSCLXYZW nope").is_none());
        assert!(HsclMessage::parse_line("HSCL12").is_none());
        assert!(HsclMessage::parse_line("HSCL1234abc").is_none());
    }

    #[test]
    fn wpar_and_nim_message_layouts() {
        let wpar = AixMessage::parse_line(
            "lswpar: 0960-419 Could not find a workload partition called wparm91.",
        )
        .unwrap();
        assert_eq!(wpar.command.as_deref(), Some("lswpar"));
        assert_eq!(wpar.component(), "0960");
        let nim =
            AixMessage::parse_line("0042-053 lsnim: there is no NIM object named \"quimby07\"")
                .unwrap();
        assert_eq!(nim.code, "0042-053");
        assert_eq!(nim.command.as_deref(), Some("lsnim"));
        assert_eq!(nim.text, "there is no NIM object named \"quimby07\"");
        let bare = AixMessage::parse_line(
            "0513-059 The cor_w1 Subsystem has been started. Subsystem PID is 11599938.",
        )
        .unwrap();
        assert_eq!(bare.command, None);
    }

    #[test]
    fn usage_error_without_code() {
        let out = CommandOutput::new(
            "The command entered is either missing a required parameter or a parameter\nvalue is invalid.  The parameters that are missing or have an invalid value\nare -m.\n",
            "",
            1,
        );
        match HostError::check(&out) {
            Err(HostError::Usage(text)) => assert!(text.ends_with("are -m.")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_message_that_explains_the_failure_wins() {
        let text = "HSCLA32F The specified partition ID is no longer valid. The next available partition ID will be used.\nHSCLA9E4 The remote restart failed.\n";
        match HostError::check(&CommandOutput::new(text, "", 1)) {
            Err(HostError::Hmc(message)) => assert_eq!(message.code, "HSCLA9E4"),
            other => panic!("{other:?}"),
        }
        let text = "restwpar: 0960-507 Level 6.1.6.0 of bos.rte.libc in saved image does not match level 7.1.0.0 on the running system.\nrestwpar: 0960-514 /usr/sbin/mkwpar exited with return code 1.\n";
        match HostError::check(&CommandOutput::new("", text, 1)) {
            Err(HostError::Aix(message)) => assert_eq!(message.code, "0960-514"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn exit_127_is_command_not_found() {
        let out = CommandOutput::new("", "rbash: foo: command not found\n", 127);
        assert!(matches!(
            HostError::check(&out),
            Err(HostError::CommandNotFound(_))
        ));
    }

    #[test]
    fn unrecognised_failure_keeps_text_and_status() {
        let out = CommandOutput::new("", "something odd\n", 3);
        assert_eq!(
            HostError::check(&out),
            Err(HostError::Failed {
                exit_status: Some(3),
                text: "something odd".into()
            })
        );
    }
}
