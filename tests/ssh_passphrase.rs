//! An encrypted identity file without an ssh-agent: unlocked once with its passphrase
//! (typed at a terminal), then used for every login of the process. In a test binary of
//! its own, because unlocked keys are kept process-wide.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::sshd::Sshd;
use powerdeck::ssh::{self, Session};

#[tokio::test]
async fn an_unlocked_key_logs_in_without_an_agent() {
    let sshd = Sshd::start();
    let mut target = sshd.target("hmc-encrypted");
    target.identity_files = vec![sshd.encrypted_key.clone()];
    assert!(ssh::needs_passphrase(&sshd.encrypted_key));
    let refused = Session::connect_with_agent(&target, &sshd.settings(), None).await;
    assert!(refused.is_err(), "locked and no agent: refused");

    let wrong = ssh::unlock(&sshd.encrypted_key, "wrong horse").unwrap_err();
    assert!(wrong.starts_with("wrong passphrase for "), "{wrong}");
    assert!(
        !wrong.contains("wrong horse"),
        "the passphrase is never repeated"
    );
    ssh::unlock(&sshd.encrypted_key, "correct horse").unwrap();
    assert!(!ssh::needs_passphrase(&sshd.encrypted_key));

    let session = Session::connect_with_agent(&target, &sshd.settings(), None)
        .await
        .expect("the unlocked key logs in");
    let output = session
        .exec("echo unlocked", Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(output.stdout, "unlocked\n");
}

/// `powerdeck inventory` on a terminal asks for the passphrase, without echoing it.
#[test]
fn the_command_line_asks_for_the_passphrase_on_a_terminal() {
    let sshd = Sshd::start();
    let config = sshd.dir.join("encrypted.toml");
    std::fs::write(
        &config,
        format!(
            "[ssh]\nknown_hosts = \"{}\"\n\n[[hmc]]\nname = \"hmc-encrypted\"\nhost = \"127.0.0.1\"\nport = {}\nuser = \"{}\"\nidentity_file = \"{}\"\n",
            sshd.known_hosts.display(),
            sshd.port,
            sshd.user,
            sshd.encrypted_key.display()
        ),
    )
    .unwrap();
    let out = sshd.dir.join("inventory.json");
    let socket = format!("powerdeck-pass-{}", std::process::id());
    let tmux = |args: &[&str]| {
        Command::new("tmux")
            .arg("-L")
            .arg(&socket)
            .args(args)
            .output()
            .expect("tmux runs (.ci/run installs it)")
    };
    let line = format!(
        "env -u SSH_AUTH_SOCK {} --config {} inventory --json > {}; echo exit=$? >> {}.done; sleep 30",
        env!("CARGO_BIN_EXE_powerdeck"),
        config.display(),
        out.display(),
        out.display()
    );
    tmux(&["new-session", "-d", "-x", "120", "-y", "30", &line]);
    let screen = || String::from_utf8_lossy(&tmux(&["capture-pane", "-p"]).stdout).into_owned();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !screen().contains("Passphrase for ") {
        assert!(Instant::now() < deadline, "no prompt: {}", screen());
        std::thread::sleep(Duration::from_millis(50));
    }
    tmux(&["send-keys", "correct horse", "Enter"]);
    let done = std::path::PathBuf::from(format!("{}.done", out.display()));
    while !done.exists() {
        assert!(Instant::now() < deadline, "no answer: {}", screen());
        std::thread::sleep(Duration::from_millis(50));
    }
    let shown = screen();
    tmux(&["kill-server"]);
    assert!(
        !shown.contains("correct horse"),
        "the passphrase is not echoed: {shown}"
    );
    assert_eq!(std::fs::read_to_string(&done).unwrap().trim(), "exit=0");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(json["sources"][0]["status"], "ok");
}
