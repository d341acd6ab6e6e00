//! Asking for the passphrase of an encrypted identity file, once, before connecting,
//! when no ssh-agent is there to hold the key.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use crossterm::terminal;
use powerdeck::config::Config;
use powerdeck::text::visible;

/// Unlocks every encrypted identity file of the config that no agent can provide, by
/// asking on the terminal (three tries each). Does nothing without a terminal or when
/// `SSH_AUTH_SOCK` names an agent: the login then says what to do.
pub fn unlock_identity_files(config: &Config) -> color_eyre::Result<()> {
    if std::env::var_os("SSH_AUTH_SOCK").is_some() || !std::io::stdin().is_terminal() {
        return Ok(());
    }
    let mut files: Vec<PathBuf> = Vec::new();
    for endpoint in config.endpoints() {
        let mut hop = Some(&endpoint);
        while let Some(current) = hop {
            files.extend(current.identity_files.iter().cloned());
            hop = current.jump.as_deref();
        }
    }
    files.sort();
    files.dedup();
    for file in files
        .iter()
        .filter(|file| powerdeck::ssh::needs_passphrase(file))
    {
        for attempt in 1..=3 {
            let file_name = file.display().to_string();
            let passphrase = ask(&format!("Passphrase for {}: ", visible(&file_name)))?;
            match powerdeck::ssh::unlock(file, &passphrase) {
                Ok(()) => break,
                Err(message) if attempt < 3 => eprintln!("{}; try again", visible(&message)),
                Err(message) => {
                    eprintln!("{}; logins with this key will fail", visible(&message))
                }
            }
        }
    }
    Ok(())
}

/// Reads a line from the terminal without echoing it.
fn ask(prompt: &str) -> color_eyre::Result<String> {
    let mut stderr = std::io::stderr();
    write!(stderr, "{prompt}")?;
    stderr.flush()?;
    terminal::enable_raw_mode()?;
    let mut text = String::new();
    let result = loop {
        match event::read() {
            Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => match key.code {
                KeyCode::Enter => break Ok(()),
                KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                    break Err(color_eyre::eyre::eyre!("interrupted"))
                }
                KeyCode::Backspace => {
                    text.pop();
                }
                KeyCode::Char(c) => text.push(c),
                _ => {}
            },
            Ok(_) => {}
            Err(error) => break Err(error.into()),
        }
    };
    terminal::disable_raw_mode()?;
    writeln!(stderr)?;
    result.map(|()| text)
}
