//! powerdeck with neither `HOME` nor the XDG variables set (as under some service
//! managers): it never falls back to `/` for its config, log or journal, and says what
//! to set.

mod common;

use std::process::{Command, Output};

use common::home::Home;

/// powerdeck in `home` with `HOME`, `XDG_CONFIG_HOME` and `XDG_STATE_HOME` removed.
fn without_home(home: &Home) -> Command {
    let mut command = home.powerdeck();
    command
        .env_remove("HOME")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("XDG_STATE_HOME");
    command
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn inventory_runs_without_a_log_and_says_why_once() {
    let home = Home::new("no-home-log");
    let out = without_home(&home)
        .args(["--demo", "inventory", "--json"])
        .output()
        .expect("run powerdeck");
    let stderr = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("stdout is JSON");
    assert_eq!(
        stderr
            .matches("neither XDG_STATE_HOME nor HOME is set, so there is no place for the log")
            .count(),
        1,
        "{stderr}"
    );
}

#[test]
fn the_default_config_needs_a_home_and_says_so() {
    let home = Home::new("no-home-config");
    let out = without_home(&home)
        .args(["inventory", "--json"])
        .output()
        .expect("run powerdeck");
    let stderr = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no config file: neither XDG_CONFIG_HOME nor HOME is set")
            && stderr.contains("--config FILE"),
        "{stderr}"
    );
}

#[test]
fn a_tilde_in_the_config_needs_a_home_and_names_file_line_and_key() {
    let home = Home::new("no-home-tilde");
    let config = home.path().join("tilde.toml");
    std::fs::write(
        &config,
        "[ssh]\nknown_hosts = \"/nonexistent/known_hosts\"\n\n[[hmc]]\nname = \"hmc01\"\nhost = \"127.0.0.1\"\nidentity_file = \"~/.ssh/id_ed25519\"\n",
    )
    .expect("write the config");
    let out = without_home(&home)
        .arg("--config")
        .arg(&config)
        .args(["inventory", "--json"])
        .output()
        .expect("run powerdeck");
    let stderr = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}:7:17: hmc.identity_file: starts with ~ but HOME is not set: write the full path",
            config.display()
        )),
        "{stderr}"
    );
}

/// Checked before the console takes the terminal, so no terminal is needed here.
#[test]
fn the_console_needs_a_place_for_its_journal() {
    let home = Home::new("no-home-console");
    let out = without_home(&home)
        .arg("--demo")
        .output()
        .expect("run powerdeck");
    let stderr = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the console has no place for its journal of changes"),
        "{stderr}"
    );
}
