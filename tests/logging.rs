//! The log as a user meets it: the real binary writes `tracing` events to
//! `$XDG_STATE_HOME/powerdeck/powerdeck.log` (0600, in a 0700 directory), never to stdout
//! or stderr, at the level `--log-level` or `POWERDECK_LOG` asks for, and never a
//! password.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::home::Home;
use common::sshd::{Sshd, SshdOptions};

/// Runs powerdeck in `home` with `env` set.
fn powerdeck(home: &Home, args: &[&str], env: &[(&str, &str)]) -> Output {
    home.powerdeck()
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("run powerdeck")
}

/// Where powerdeck logs in `home`.
fn log_path(home: &Home) -> PathBuf {
    home.state().join("powerdeck/powerdeck.log")
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|err| panic!("{}: {err}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Whether `text` holds anything formatted like a log line.
fn has_log_lines(text: &str) -> bool {
    ["ERROR", "WARN", "INFO", "DEBUG", "TRACE"]
        .iter()
        .any(|level| text.contains(&format!(" {level} ")))
        || text.contains("powerdeck::")
}

#[test]
fn demo_inventory_logs_connections_and_commands_to_a_private_file() {
    let home = Home::new("log-demo");
    let out = powerdeck(
        &home,
        &["--demo", "inventory", "--json", "--log-level", "debug"],
        &[],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout).expect("stdout is one JSON document");
    assert!(json["sources"].is_array(), "{stdout}");
    assert!(!has_log_lines(&stderr), "log lines on stderr: {stderr}");

    let log_path = log_path(&home);
    assert_eq!(mode(&log_path), 0o600);
    assert_eq!(mode(log_path.parent().expect("the log's directory")), 0o700);
    let log = std::fs::read_to_string(&log_path).expect("read the log");
    let line = |words: &[&str]| {
        log.lines()
            .find(|line| words.iter().all(|word| line.contains(word)))
            .unwrap_or_else(|| panic!("no line with {words:?} in the log:\n{log}"))
    };
    line(&["DEBUG", "connecting", "host=\"hmc01\"", "port="]);
    line(&[
        "DEBUG",
        "host key known",
        "host=\"hmc01\"",
        "fingerprint=SHA256:",
    ]);
    line(&["INFO", "connected", "host=\"hmc01\"", "login=\"key "]);
    line(&[
        "DEBUG",
        "command run",
        "host=\"hmc01\"",
        "lssyscfg -r sys",
        "elapsed_ms=",
        "exit_status=0",
    ]);
    line(&["DEBUG", "refreshed", "source=\"nim01\"", "elapsed_ms="]);
    assert!(!log.contains('\u{1b}'), "no terminal colours in the file");
}

#[test]
fn the_flag_wins_over_powerdeck_log_which_wins_over_the_default() {
    let home = Home::new("log-levels");
    let quiet = powerdeck(
        &home,
        &["--demo", "inventory", "--json"],
        &[("POWERDECK_LOG", "warn")],
    );
    assert_eq!(quiet.status.code(), Some(0));
    let log = std::fs::read_to_string(log_path(&home)).unwrap_or_default();
    assert!(!log.contains(" INFO ") && !log.contains(" DEBUG "), "{log}");

    let loud = powerdeck(
        &home,
        &["--demo", "--log-level", "debug", "inventory", "--json"],
        &[("POWERDECK_LOG", "error")],
    );
    assert_eq!(loud.status.code(), Some(0));
    let log = std::fs::read_to_string(log_path(&home)).expect("read the log");
    assert!(log.contains(" DEBUG "), "{log}");

    let wrong = powerdeck(
        &home,
        &["--demo", "inventory", "--json"],
        &[("POWERDECK_LOG", "loud")],
    );
    assert!(!wrong.status.success(), "an unknown level is refused");
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("loud"));
}

#[test]
fn without_a_writable_log_powerdeck_still_runs_and_says_so_once() {
    let home = Home::new("log-blocked");
    // A file where the state directory should be: nothing can be created under it.
    let blocked = home.path().join("not-a-directory");
    std::fs::write(&blocked, "").expect("write the blocking file");
    let blocked = blocked.to_str().expect("UTF-8 path");
    let out = powerdeck(
        &home,
        &["--demo", "inventory", "--json"],
        &[("XDG_STATE_HOME", blocked)],
    );
    assert_eq!(out.status.code(), Some(0));
    serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("stdout is still JSON");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("cannot open the log").count(), 1, "{stderr}");
    assert!(stderr.contains("running without a log"), "{stderr}");
}

#[test]
fn a_password_from_password_env_never_reaches_the_log() {
    let password = format!("pd-log-{:016x}", rand::random::<u64>());
    let sshd = match Sshd::start_with(SshdOptions {
        root_password: Some(password.clone()),
        ..SshdOptions::default()
    }) {
        Ok(sshd) => sshd,
        Err(why) => {
            eprintln!(
                "skipped: password login needs sshd in a private mount namespace \
                 (root and unshare --mount): {why}"
            );
            return;
        }
    };
    if sshd.user != "root" {
        eprintln!("skipped: password login is tested as root only");
        return;
    }
    let home = Home::new("log-password");
    let config = home.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[ssh]\nknown_hosts = \"{}\"\n\n[[hmc]]\nname = \"hmc-password\"\nhost = \"127.0.0.1\"\nport = {}\nuser = \"root\"\npassword_env = \"POWERDECK_TEST_LOG_PASSWORD\"\n",
            sshd.known_hosts.display(),
            sshd.port
        ),
    )
    .expect("write the config");
    let config = config.to_str().expect("UTF-8 path");
    let out = powerdeck(
        &home,
        &[
            "--config",
            config,
            "inventory",
            "--json",
            "--log-level",
            "trace",
        ],
        &[("POWERDECK_TEST_LOG_PASSWORD", &password)],
    );
    let log = std::fs::read_to_string(log_path(&home)).expect("read the log");
    assert!(
        log.contains("connected")
            && log.contains("login=\"password from $POWERDECK_TEST_LOG_PASSWORD\""),
        "the password login is logged by its variable's name:\n{log}\nstderr: {}\nsshd: {}",
        String::from_utf8_lossy(&out.stderr),
        sshd.log()
    );
    assert!(
        !log.contains(&password),
        "the password is in the log:\n{log}"
    );
    for stream in [&out.stdout, &out.stderr] {
        assert!(!String::from_utf8_lossy(stream).contains(&password));
    }
}
