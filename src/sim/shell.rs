//! The part of a POSIX shell the simulated hosts need: words, quotes, `;`, `&&`, `||`,
//! and `NAME=value` prefixes. Anything else is refused the way the hosts' shells refuse
//! it.

/// One command of a command line: environment assignments and its words.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SimpleCommand {
    pub env: Vec<(String, String)>,
    pub argv: Vec<String>,
}

/// When a command of a list runs, after the one before it (`a ; b`, `a && b`, `a || b`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum When {
    /// First of the line, or after `;`: always.
    #[default]
    Always,
    /// After `&&`: only when the status so far is 0.
    IfSucceeded,
    /// After `||`: only when the status so far is not 0.
    IfFailed,
}

impl When {
    /// Whether a command with this connector runs when the list's status so far is
    /// `status` (POSIX: `&&` and `||` bind left to right with equal precedence).
    pub fn runs(self, status: u32) -> bool {
        match self {
            When::Always => true,
            When::IfSucceeded => status == 0,
            When::IfFailed => status != 0,
        }
    }
}

/// One command of a command line and the connector in front of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// Whether it runs, after the status of the commands before it.
    pub when: When,
    /// The command.
    pub command: SimpleCommand,
}

/// What one shell keeps between the commands of a line: the limits `ulimit` sets.
///
/// Exists because a limit raised by `ulimit` holds for the commands after it in the same
/// shell only (`ulimit -f unlimited && savewpar ...`, docs/procedures.md, "WPAR move"),
/// and each SSH command line runs in a new shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ShellState {
    /// The file-size limit (`ulimit -f`) in 512-byte blocks; `None` is unlimited.
    pub file_blocks: Option<u64>,
}

impl ShellState {
    /// True when a file of `mb` megabytes can be written under the file-size limit.
    pub fn file_fits(&self, mb: u64) -> bool {
        self.file_blocks
            .is_none_or(|blocks| mb.saturating_mul(2048) <= blocks)
    }

    /// The largest file the limit lets through, MB (rounded down).
    pub fn largest_file_mb(&self) -> Option<u64> {
        self.file_blocks.map(|blocks| blocks / 2048)
    }
}

/// Which shell a simulated host runs; it decides the wording of errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShellFlavour {
    /// The HMC's restricted bash.
    Rbash,
    /// AIX's Korn shell.
    Ksh,
}

impl ShellFlavour {
    /// The shell's name as it prefixes its messages.
    pub fn name(self) -> &'static str {
        match self {
            ShellFlavour::Rbash => "rbash",
            ShellFlavour::Ksh => "ksh",
        }
    }

    /// The message and exit status for a command the host does not have.
    pub fn not_found(self, command: &str) -> (String, u32) {
        match self {
            ShellFlavour::Rbash => (format!("rbash: {command}: command not found\n"), 127),
            ShellFlavour::Ksh => (format!("ksh: {command}:  not found.\n"), 127),
        }
    }
}

/// Why a command line was refused before anything ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellError {
    pub message: String,
    pub exit_status: u32,
}

/// Splits `line` into simple commands, as `flavour` would (connectors dropped).
pub fn parse(line: &str, flavour: ShellFlavour) -> Result<Vec<SimpleCommand>, ShellError> {
    Ok(parse_list(line, flavour)?
        .into_iter()
        .map(|listed| listed.command)
        .collect())
}

/// Splits `line` into simple commands with their connectors (`;`, `&&`, `||`), as
/// `flavour` would.
pub fn parse_list(line: &str, flavour: ShellFlavour) -> Result<Vec<Listed>, ShellError> {
    let shell = flavour.name();
    let mut commands: Vec<Listed> = Vec::new();
    let mut current = SimpleCommand::default();
    let mut when = When::Always;
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    let unsupported = |what: &str| ShellError {
        message: format!("{shell}: {what}: not available on this host\n"),
        exit_status: 2,
    };
    let eof = |quote: char| ShellError {
        message: format!(
            "{shell}: -c: line 1: unexpected EOF while looking for matching `{quote}'\n"
        ),
        exit_status: 2,
    };
    let unexpected = |token: &str| ShellError {
        message: format!("{shell}: syntax error: `{token}' unexpected\n"),
        exit_status: 2,
    };
    // Ends the command being read; `next` is the connector in front of the following
    // one (a connector needs a command on both sides).
    let mut end_command = |current: &mut SimpleCommand,
                           when: &mut When,
                           next: Option<When>,
                           token: &str|
     -> Result<(), ShellError> {
        let empty = current.argv.is_empty() && current.env.is_empty();
        if empty {
            if next.is_some() || *when != When::Always {
                return Err(unexpected(token));
            }
        } else {
            commands.push(Listed {
                when: *when,
                command: std::mem::take(current),
            });
        }
        *when = next.unwrap_or(When::Always);
        Ok(())
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(eof('\'')),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some('\n') => {}
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err(eof('"')),
                        },
                        Some('$' | '`') => return Err(unsupported("substitution")),
                        Some(c) => word.push(c),
                        None => return Err(eof('"')),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(c) => {
                    in_word = true;
                    word.push(c);
                }
                None => {}
            },
            ' ' | '\t' => finish_word(&mut current, &mut word, &mut in_word),
            ';' | '\n' => {
                finish_word(&mut current, &mut word, &mut in_word);
                if current.argv.is_empty() && current.env.is_empty() && when != When::Always {
                    if c == ';' {
                        return Err(unexpected(";"));
                    }
                    // A line end after `&&` continues the list.
                    continue;
                }
                end_command(&mut current, &mut when, None, ";")?;
            }
            '&' if chars.peek() == Some(&'&') => {
                chars.next();
                finish_word(&mut current, &mut word, &mut in_word);
                end_command(&mut current, &mut when, Some(When::IfSucceeded), "&&")?;
            }
            '|' if chars.peek() == Some(&'|') => {
                chars.next();
                finish_word(&mut current, &mut word, &mut in_word);
                end_command(&mut current, &mut when, Some(When::IfFailed), "||")?;
            }
            '>' | '<' if flavour == ShellFlavour::Rbash => {
                let target: String = chars
                    .by_ref()
                    .skip_while(|c| *c == ' ' || *c == '>' || *c == '&')
                    .take_while(|c| !c.is_whitespace() && *c != ';')
                    .collect();
                return Err(ShellError {
                    message: format!("rbash: {target}: restricted: cannot redirect output\n"),
                    exit_status: 1,
                });
            }
            '|' | '&' | '>' | '<' | '(' | ')' | '`' | '$' => {
                return Err(unsupported(&c.to_string()))
            }
            '#' if !in_word => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                finish_word(&mut current, &mut word, &mut in_word);
                if !(current.argv.is_empty() && current.env.is_empty()) {
                    end_command(&mut current, &mut when, None, ";")?;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    finish_word(&mut current, &mut word, &mut in_word);
    let token = match when {
        When::IfSucceeded => "&&",
        When::IfFailed => "||",
        When::Always => ";",
    };
    end_command(&mut current, &mut when, None, token)?;
    for listed in &commands {
        if let Some(program) = listed.command.argv.first() {
            if flavour == ShellFlavour::Rbash && program.contains('/') {
                return Err(ShellError {
                    message: format!(
                        "rbash: {program}: restricted: cannot specify `/' in command names\n"
                    ),
                    exit_status: 1,
                });
            }
        }
    }
    Ok(commands)
}

/// Ends the word being read: an assignment while no program is named yet, else an arg.
fn finish_word(command: &mut SimpleCommand, word: &mut String, in_word: &mut bool) {
    if !*in_word {
        return;
    }
    *in_word = false;
    let word = std::mem::take(word);
    if command.argv.is_empty() {
        if let Some((name, value)) = word.split_once('=') {
            let is_name = !name.is_empty()
                && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                && !name.as_bytes()[0].is_ascii_digit();
            if is_name {
                command.env.push((name.to_string(), value.to_string()));
                return;
            }
        }
    }
    command.argv.push(word);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(line: &str) -> Vec<Vec<String>> {
        parse(line, ShellFlavour::Rbash)
            .unwrap()
            .into_iter()
            .map(|c| c.argv)
            .collect()
    }

    #[test]
    fn words_quotes_and_env() {
        let commands = parse(
            "LANG=C lssyscfg -r lpar -m 'p 750' --filter \"lpar_names=a\\\"b\"",
            ShellFlavour::Rbash,
        )
        .unwrap();
        assert_eq!(commands[0].env, [("LANG".to_string(), "C".to_string())]);
        assert_eq!(
            commands[0].argv,
            [
                "lssyscfg",
                "-r",
                "lpar",
                "-m",
                "p 750",
                "--filter",
                "lpar_names=a\"b"
            ]
        );
    }

    #[test]
    fn sequences_and_empty_words() {
        assert_eq!(
            argv("echo a; echo ''"),
            [vec!["echo", "a"], vec!["echo", ""]]
        );
        assert_eq!(argv("'a'\\''b'"), [vec!["a'b"]]);
    }

    #[test]
    fn and_or_lists() {
        let listed = parse_list("a && b || c; d", ShellFlavour::Ksh).unwrap();
        let whens: Vec<When> = listed.iter().map(|l| l.when).collect();
        assert_eq!(
            whens,
            [
                When::Always,
                When::IfSucceeded,
                When::IfFailed,
                When::Always
            ]
        );
        assert_eq!(listed[1].command.argv, ["b"]);
        assert!(When::IfSucceeded.runs(0) && !When::IfSucceeded.runs(1));
        assert!(When::IfFailed.runs(2) && !When::IfFailed.runs(0));
        assert_eq!(argv("'a&&b' \\&\\&"), [vec!["a&&b", "&&"]]);
        for bad in ["&& a", "a &&", "a && ; b", "a || || b", "a & b", "a | b"] {
            assert!(parse(bad, ShellFlavour::Ksh).is_err(), "{bad}");
        }
        assert_eq!(
            parse("a &&", ShellFlavour::Ksh).unwrap_err().message,
            "ksh: syntax error: `&&' unexpected\n"
        );
    }

    #[test]
    fn file_size_limit() {
        let limited = ShellState {
            file_blocks: Some(2_097_151),
        };
        assert!(limited.file_fits(1023) && !limited.file_fits(1024));
        assert_eq!(limited.largest_file_mb(), Some(1023));
        assert!(ShellState::default().file_fits(u64::MAX));
    }

    #[test]
    fn refusals() {
        let err = parse("lssyscfg > /tmp/x", ShellFlavour::Rbash).unwrap_err();
        assert!(err.message.contains("restricted: cannot redirect output"));
        let err = parse("/bin/ls", ShellFlavour::Rbash).unwrap_err();
        assert!(err.message.contains("cannot specify `/'"));
        assert_eq!(err.exit_status, 1);
        let err = parse("echo 'open", ShellFlavour::Ksh).unwrap_err();
        assert!(err.message.starts_with("ksh: -c: line 1: unexpected EOF"));
        assert!(parse("a $(b)", ShellFlavour::Ksh).is_err());
        assert!(parse("/usr/sbin/lswpar -cq", ShellFlavour::Ksh).is_ok());
    }
}
