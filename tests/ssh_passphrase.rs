//! An encrypted identity file without an ssh-agent: unlocked once with its passphrase
//! (typed at a terminal), then used for every login of the process. In a test binary of
//! its own, because unlocked keys are kept process-wide.

mod common;

use std::time::Duration;

use common::home::quote;
use common::sshd::Sshd;
use common::tmux::Tmux;
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
    let line = format!(
        "{} --config {} inventory --json > {}",
        quote(env!("CARGO_BIN_EXE_powerdeck")),
        quote(&config.display().to_string()),
        quote(&out.display().to_string())
    );
    let tmux = Tmux::start("passphrase", "sh", &["-c", &line], &[]);
    tmux.wait_text("Passphrase for ", Duration::from_secs(20));
    tmux.type_text("correct horse");
    tmux.keys(&["Enter"]);
    let shown = tmux.wait_text("exited with", Duration::from_secs(20));
    assert!(
        !shown.contains("correct horse"),
        "the passphrase is not echoed: {shown}"
    );
    assert!(shown.contains("exited with 0"), "{shown}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(json["sources"][0]["status"], "ok");
}
