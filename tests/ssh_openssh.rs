//! The SSH transport against a real OpenSSH sshd on loopback (the server real HMCs,
//! AIX hosts and NIM masters run), with a fake HMC as its `ForceCommand`.
//!
//! Each test starts its own sshd (see `common::sshd`), so tests run in parallel and
//! count logins without seeing each other. Every wait is bounded.

mod common;

use std::future::Future;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::sshd::{run, Sshd, SshdOptions};
use powerdeck::ssh::{OutputStream, Pool, Session, Settings, SshError, Target};
use tokio::sync::mpsc;

/// Upper bound for any one step of a test, so a bug shows up as a failure, not a hang.
const STEP: Duration = Duration::from_secs(30);

async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(STEP, future)
        .await
        .unwrap_or_else(|_| panic!("{what} did not finish within {STEP:?}"))
}

async fn connect(sshd: &Sshd, target: &Target, settings: &Settings) -> Session {
    within(
        "connect",
        Session::connect_with_agent(target, settings, None),
    )
    .await
    .unwrap_or_else(|err| panic!("connect failed: {err}\nsshd log:\n{}", sshd.log()))
}

async fn connect_err(target: &Target, settings: &Settings) -> SshError {
    within(
        "connect",
        Session::connect_with_agent(target, settings, None),
    )
    .await
    .expect_err("the connection should be refused")
}

fn kill(signal: &str, pid: &str) {
    run("kill", &[signal, pid], Duration::from_secs(5)).unwrap_or_else(|err| panic!("{err}"));
}

/// The pid of the sshd process serving `session`'s connection (the parent of the
/// fake HMC).
async fn connection_pid(session: &Session) -> String {
    let output = within("ppid", session.exec("ppid", STEP))
        .await
        .expect("ppid");
    let pid = output.stdout.trim().to_string();
    assert!(
        !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()),
        "{output:?}"
    );
    pid
}

#[tokio::test]
async fn key_login_keeps_stdout_stderr_and_exit_status_apart() {
    let sshd = Sshd::start();
    let session = connect(&sshd, &sshd.target("hmc01"), &sshd.settings()).await;

    let listing = within(
        "lssyscfg",
        session.exec("LANG=C lssyscfg -r sys -F name,state", STEP),
    )
    .await
    .expect("lssyscfg");
    assert_eq!(
        listing.stdout,
        "Server-9117-MMD-SN101F170,Operating\nServer-8286-42A-SN21A4B7V,Power Off\n"
    );
    assert_eq!(listing.stderr, "");
    assert_eq!(listing.exit_status, Some(0));

    // An HMC error arrives on stdout with a non-zero exit status.
    let failed = within(
        "rrstartlpar",
        session.exec(
            "LANG=C rrstartlpar -o validate -m down -t up -p lpar1",
            STEP,
        ),
    )
    .await
    .expect("rrstartlpar");
    assert!(failed.stdout.starts_with("HSCLA9CE "), "{failed:?}");
    assert_eq!(failed.stderr, "");
    assert_eq!(failed.exit_status, Some(1));

    let warned = within("warn", session.exec("warn", STEP))
        .await
        .expect("warn");
    assert_eq!(warned.stdout, "partial listing\n");
    assert_eq!(warned.stderr, "warning: 1 system not reachable\n");
    assert_eq!(warned.exit_status, Some(0));

    let exit = within("exit 3", session.exec("exit 3", STEP))
        .await
        .expect("exit");
    assert_eq!(exit.exit_status, Some(3));

    let unknown = within("unknown", session.exec("no-such-command", STEP))
        .await
        .expect("unknown");
    assert_eq!(unknown.exit_status, Some(127));
    assert!(unknown.stderr.contains("unknown command"), "{unknown:?}");
    assert_eq!(sshd.logins(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_execs_share_one_session_within_max_sessions() {
    let sshd = Sshd::start();
    let session = connect(&sshd, &sshd.target("hmc01"), &sshd.settings()).await;

    // 8 at once: the default max_channels, under sshd's MaxSessions 10.
    let runs = (0..8).map(|i| {
        let session = session.clone();
        tokio::spawn(async move { (i, session.exec(&format!("echo run {i}"), STEP).await) })
    });
    for run in runs {
        let (i, output) = within("exec", run).await.expect("task");
        let output = output.expect("exec");
        assert_eq!(output.stdout, format!("run {i}\n"));
        assert_eq!(output.exit_status, Some(0));
    }

    // 40 at once: the channel bound queues them so sshd never sees more than 8.
    let runs: Vec<_> = (0..40)
        .map(|i| {
            let session = session.clone();
            tokio::spawn(async move { session.exec(&format!("echo {i}"), STEP).await })
        })
        .collect();
    for (i, run) in runs.into_iter().enumerate() {
        let output = within("exec", run).await.expect("task").expect("exec");
        assert_eq!(output.stdout, format!("{i}\n"));
    }
    assert_eq!(sshd.logins(), 1, "{}", sshd.log());
}

/// sshd frees a closed session's slot a moment after the close, so back-to-back fast
/// commands at `max_channels` = `MaxSessions` (10) see refused channel opens; the
/// session retries them and every command succeeds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fast_back_to_back_execs_at_max_sessions_all_succeed() {
    let sshd = Sshd::start_with(SshdOptions {
        plain_shell: true,
        ..SshdOptions::default()
    })
    .unwrap_or_else(|why| {
        eprintln!("note: running with the login shell's rc file: {why}");
        Sshd::start()
    });
    let mut settings = sshd.settings();
    settings.max_channels = 10;
    let session = connect(&sshd, &sshd.target("hmc01"), &settings).await;
    let workers: Vec<_> = (0..10)
        .map(|worker| {
            let session = session.clone();
            tokio::spawn(async move {
                for i in 0..8 {
                    let output = session
                        .exec(&format!("echo {worker}-{i}"), STEP)
                        .await
                        .unwrap_or_else(|err| panic!("exec {worker}-{i}: {err}"));
                    assert_eq!(output.stdout, format!("{worker}-{i}\n"));
                }
            })
        })
        .collect();
    for worker in workers {
        within("worker", worker).await.expect("worker");
    }
    assert_eq!(sshd.logins(), 1);
}

#[tokio::test]
async fn unknown_host_key_is_refused_with_fingerprint_and_line_to_add() {
    let sshd = Sshd::start();
    let mut settings = sshd.settings();
    settings.known_hosts = sshd.dir.join("empty_known_hosts");
    std::fs::write(&settings.known_hosts, "# nothing yet\n").expect("write");

    let error = connect_err(&sshd.target("hmc01"), &settings).await;
    match &error {
        SshError::UnknownHostKey {
            host,
            fingerprint,
            line_to_add,
            known_hosts,
            other_key_lines,
        } => {
            assert_eq!(host, &format!("[127.0.0.1]:{}", sshd.port));
            assert_eq!(fingerprint, &sshd.host_fingerprint());
            assert_eq!(
                line_to_add,
                &format!("[127.0.0.1]:{} {}", sshd.port, sshd.host_key)
            );
            assert_eq!(known_hosts, &settings.known_hosts);
            assert!(other_key_lines.is_empty());
        }
        other => panic!("expected UnknownHostKey, got {other:?}"),
    }
    let message = error.to_string();
    assert!(message.contains(&sshd.host_fingerprint()), "{message}");
    assert!(message.contains("accept_new_host_keys"), "{message}");
    // Nothing was recorded and no login happened.
    assert_eq!(
        std::fs::read_to_string(&settings.known_hosts).expect("read"),
        "# nothing yet\n"
    );
    assert_eq!(sshd.logins(), 0);
}

#[tokio::test]
async fn accept_new_records_the_key_then_connects_without_it() {
    let sshd = Sshd::start();
    let mut settings = sshd.settings();
    settings.known_hosts = sshd.dir.join("fresh/.ssh/known_hosts");
    settings.accept_new_host_keys = true;

    let session = connect(&sshd, &sshd.target("hmc01"), &settings).await;
    within("echo", session.exec("echo hi", STEP))
        .await
        .expect("exec");
    let recorded = std::fs::read_to_string(&settings.known_hosts).expect("file created");
    assert_eq!(
        recorded,
        format!("[127.0.0.1]:{} {}\n", sshd.port, sshd.host_key)
    );

    // The recorded key is now simply known.
    settings.accept_new_host_keys = false;
    let again = connect(&sshd, &sshd.target("hmc01"), &settings).await;
    within("echo", again.exec("echo again", STEP))
        .await
        .expect("exec");
    assert_eq!(
        std::fs::read_to_string(&settings.known_hosts).expect("read"),
        recorded,
        "a known key is not appended twice"
    );
}

/// A host whose ed25519 key is not recorded but an ECDSA key is: not a new host, so
/// accept-new does not record the key, and the refusal does not suggest turning on
/// what is already on.
#[tokio::test]
async fn a_new_key_type_of_a_known_host_is_refused_with_accept_new_on() {
    let sshd = Sshd::start();
    let ecdsa = sshd.dir.join("other_ecdsa");
    run(
        "ssh-keygen",
        &[
            "-q",
            "-t",
            "ecdsa",
            "-N",
            "",
            "-C",
            "",
            "-f",
            ecdsa.to_str().unwrap(),
        ],
        Duration::from_secs(10),
    )
    .unwrap_or_else(|err| panic!("{err}"));
    let ecdsa_public = std::fs::read_to_string(ecdsa.with_extension("pub")).expect("read");
    let mut settings = sshd.settings();
    settings.known_hosts = sshd.dir.join("ecdsa_known_hosts");
    let content = format!("# comment\n[127.0.0.1]:{} {}", sshd.port, ecdsa_public);
    std::fs::write(&settings.known_hosts, &content).expect("write");
    settings.accept_new_host_keys = true;

    let error = connect_err(&sshd.target("hmc01"), &settings).await;
    assert!(
        matches!(&error, SshError::UnknownHostKey { other_key_lines, .. } if other_key_lines == &[2]),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(!message.contains("set accept_new_host_keys"), "{message}");
    assert!(message.contains("holds a key of another type"), "{message}");
    assert!(message.contains(&sshd.host_fingerprint()), "{message}");
    assert_eq!(
        std::fs::read_to_string(&settings.known_hosts).expect("read"),
        content,
        "nothing recorded"
    );
    assert_eq!(sshd.logins(), 0);
}

#[tokio::test]
async fn changed_host_key_is_refused_even_with_accept_new() {
    let sshd = Sshd::start();
    let mut settings = sshd.settings();
    settings.known_hosts = sshd.dir.join("changed_known_hosts");
    let content = format!(
        "# the host was reinstalled, or someone is in between\n[127.0.0.1]:{} {}\n",
        sshd.port, sshd.other_key
    );
    std::fs::write(&settings.known_hosts, &content).expect("write");
    settings.accept_new_host_keys = true;

    let error = connect_err(&sshd.target("hmc01"), &settings).await;
    match &error {
        SshError::HostKeyChanged {
            host,
            fingerprint,
            known_hosts,
            line,
        } => {
            assert_eq!(host, &format!("[127.0.0.1]:{}", sshd.port));
            assert_eq!(fingerprint, &sshd.host_fingerprint());
            assert_eq!(known_hosts, &settings.known_hosts);
            assert_eq!(*line, 2);
        }
        other => panic!("expected HostKeyChanged, got {other:?}"),
    }
    let message = error.to_string();
    assert!(
        message.contains(&format!("line 2 of {}", settings.known_hosts.display())),
        "{message}"
    );
    assert_eq!(
        std::fs::read_to_string(&settings.known_hosts).expect("read"),
        content,
        "the file is left alone"
    );
    assert_eq!(sshd.logins(), 0);
}

#[tokio::test]
async fn revoked_host_key_is_refused() {
    let sshd = Sshd::start();
    let mut settings = sshd.settings();
    settings.known_hosts = sshd.dir.join("revoked_known_hosts");
    std::fs::write(
        &settings.known_hosts,
        format!(
            "[127.0.0.1]:{} {}\n@revoked * {}\n",
            sshd.port, sshd.host_key, sshd.host_key
        ),
    )
    .expect("write");
    let error = connect_err(&sshd.target("hmc01"), &settings).await;
    assert!(
        matches!(error, SshError::HostKeyRevoked { line: 2, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn hashed_known_hosts_from_ssh_keygen_is_understood() {
    let sshd = Sshd::start();
    let mut settings = sshd.settings();
    settings.known_hosts = sshd.dir.join("hashed_known_hosts");
    std::fs::copy(&sshd.known_hosts, &settings.known_hosts).expect("copy");
    run(
        "ssh-keygen",
        &["-H", "-f", settings.known_hosts.to_str().expect("UTF-8")],
        Duration::from_secs(10),
    )
    .unwrap_or_else(|err| panic!("{err}"));
    let hashed = std::fs::read_to_string(&settings.known_hosts).expect("read");
    assert!(hashed.starts_with("|1|"), "{hashed}");

    let session = connect(&sshd, &sshd.target("hmc01"), &settings).await;
    within("echo", session.exec("echo hashed", STEP))
        .await
        .expect("exec");
}

#[tokio::test]
async fn timeout_fires_and_the_session_stays_usable() {
    let sshd = Sshd::start();
    let session = connect(&sshd, &sshd.target("hmc01"), &sshd.settings()).await;
    let started = Instant::now();
    let error = within("sleep", session.exec("sleep 5", Duration::from_millis(500)))
        .await
        .expect_err("must time out");
    let elapsed = started.elapsed();
    assert!(
        matches!(&error, SshError::Timeout { after, .. } if *after == Duration::from_millis(500)),
        "{error:?}"
    );
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
    assert!(
        error.to_string().contains("may still be running"),
        "{error}"
    );

    let output = within("echo", session.exec("echo still here", STEP))
        .await
        .expect("exec after a timeout");
    assert_eq!(output.stdout, "still here\n");
}

#[tokio::test]
async fn streaming_delivers_tagged_chunks_matching_the_result() {
    let sshd = Sshd::start();
    let session = connect(&sshd, &sshd.target("hmc01"), &sshd.settings()).await;
    let (sender, mut receiver) = mpsc::channel(16);
    let collector = tokio::spawn(async move {
        let mut chunks = Vec::new();
        while let Some(chunk) = receiver.recv().await {
            chunks.push(chunk);
        }
        chunks
    });
    let output = within("bulk", session.exec_streaming("bulk", STEP, sender))
        .await
        .expect("bulk");
    let chunks = within("collector", collector)
        .await
        .expect("collector task");
    assert_eq!(output.stdout.lines().count(), 2000);
    assert_eq!(output.stderr, "done\n");
    let streamed_stdout: String = chunks
        .iter()
        .filter(|chunk| chunk.stream == OutputStream::Stdout)
        .map(|chunk| chunk.text.as_str())
        .collect();
    let streamed_stderr: String = chunks
        .iter()
        .filter(|chunk| chunk.stream == OutputStream::Stderr)
        .map(|chunk| chunk.text.as_str())
        .collect();
    assert_eq!(streamed_stdout, output.stdout);
    assert_eq!(streamed_stderr, output.stderr);
    assert!(
        chunks.len() > 2,
        "output arrived in {} chunk(s)",
        chunks.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pool_reuses_one_session_and_coalesces_first_connects() {
    let sshd = Sshd::start();
    let pool = std::sync::Arc::new(Pool::new(sshd.settings()));
    let target = sshd.target("hmc01");

    // 8 first calls at once: one login.
    let runs: Vec<_> = (0..8)
        .map(|i| {
            let pool = pool.clone();
            let target = target.clone();
            tokio::spawn(async move { pool.exec(&target, &format!("echo {i}")).await })
        })
        .collect();
    for (i, run) in runs.into_iter().enumerate() {
        let output = within("exec", run).await.expect("task").expect("exec");
        assert_eq!(output.stdout, format!("{i}\n"));
    }
    for _ in 0..5 {
        within("exec", pool.exec(&target, "echo again"))
            .await
            .expect("exec");
    }
    assert_eq!(sshd.logins(), 1, "{}", sshd.log());
    assert_eq!(pool.connected().await, vec!["hmc01".to_string()]);

    // Forgetting the target makes the next call log in again.
    assert!(pool.forget("hmc01"));
    within("exec", pool.exec(&target, "echo fresh"))
        .await
        .expect("exec");
    assert_eq!(sshd.logins(), 2);
}

#[tokio::test]
async fn pool_reconnects_after_the_connection_dropped() {
    let sshd = Sshd::start();
    let pool = Pool::new(sshd.settings());
    let target = sshd.target("hmc01");
    let session = within("session", pool.session(&target))
        .await
        .expect("session");
    let pid = connection_pid(&session).await;
    kill("-KILL", &pid);

    let output = within("exec", pool.exec(&target, "echo back"))
        .await
        .expect("the pool reconnects");
    assert_eq!(output.stdout, "back\n");
    assert_eq!(sshd.logins(), 2, "{}", sshd.log());
}

#[tokio::test]
async fn a_drop_mid_command_is_reported_and_not_retried() {
    let sshd = Sshd::start();
    let pool = Pool::new(sshd.settings());
    let target = sshd.target("hmc01");
    let session = within("session", pool.session(&target))
        .await
        .expect("session");
    let pid = connection_pid(&session).await;
    let killer = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        kill("-KILL", &pid);
    });
    let error = within("sleep", pool.exec(&target, "sleep 5"))
        .await
        .expect_err("the connection dropped");
    within("killer", killer).await.expect("killer task");
    assert!(
        matches!(
            error,
            SshError::Disconnected {
                command_sent: true,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("may or may not have completed"),
        "{error}"
    );
    assert_eq!(
        sshd.logins(),
        1,
        "the command was not re-sent on a new login"
    );
}

#[tokio::test]
async fn keepalive_notices_a_frozen_host() {
    let sshd = Sshd::start();
    let mut settings = sshd.settings();
    settings.keepalive_interval = Duration::from_millis(300);
    let session = connect(&sshd, &sshd.target("hmc01"), &settings).await;
    let pid = connection_pid(&session).await;
    kill("-STOP", &pid);
    let started = Instant::now();
    while !session.is_closed() && started.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let closed = session.is_closed();
    kill("-KILL", &pid);
    assert!(closed, "a frozen host was not noticed within 10 s");
}

#[tokio::test]
async fn pool_never_retries_a_host_key_refusal() {
    let sshd = Sshd::start();
    let mut settings = sshd.settings();
    settings.known_hosts = sshd.dir.join("nothing_known");
    let pool = Pool::new(settings);
    let error = within("exec", pool.exec(&sshd.target("hmc01"), "echo x"))
        .await
        .expect_err("refused");
    assert!(
        matches!(error, SshError::UnknownHostKey { .. }),
        "{error:?}"
    );
    // sshd logs each connection as it accepts it; give a retry time to show up.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        sshd.connections(),
        1,
        "one attempt, no retry:\n{}",
        sshd.log()
    );
    assert_eq!(sshd.logins(), 0);
}

#[tokio::test]
async fn proxy_jump_tunnels_through_the_jump_host() {
    let sshd = Sshd::start();
    // The jump host is the same sshd; it forwards to itself on loopback.
    let mut target = sshd.target("hmc-behind-jump");
    target.jump = Some(Box::new(sshd.target("jump01")));
    let session = connect(&sshd, &target, &sshd.settings()).await;
    let output = within(
        "lssyscfg",
        session.exec("LANG=C lssyscfg -r sys -F name,state", STEP),
    )
    .await
    .expect("exec through the jump host");
    assert_eq!(output.stdout.lines().count(), 2);
    assert_eq!(
        sshd.logins(),
        2,
        "one login to the jump host, one through it"
    );
}

#[tokio::test]
async fn wrong_key_and_encrypted_key_without_agent_say_what_was_tried() {
    let sshd = Sshd::start();
    let mut target = sshd.target("hmc01");
    let unauthorized = sshd.dir.join("other_ed25519");
    target.identity_files = vec![unauthorized.clone(), sshd.encrypted_key.clone()];
    let error = connect_err(&target, &sshd.settings()).await;
    let SshError::Auth { user, tried, .. } = &error else {
        panic!("expected Auth, got {error:?}");
    };
    assert_eq!(user, &sshd.user);
    assert!(
        tried[0].contains(&unauthorized.display().to_string()) && tried[0].contains("not accepted"),
        "{tried:?}"
    );
    assert!(
        tried[1].contains(&sshd.encrypted_key.display().to_string())
            && tried[1].contains("encrypted")
            && tried[1].contains("ssh-add"),
        "{tried:?}"
    );
}

/// An ssh-agent for one test, on its own socket; killed on drop.
struct Agent {
    socket: std::path::PathBuf,
    child: Child,
}

impl Agent {
    fn start(dir: &Path) -> Agent {
        let socket = dir.join("agent.sock");
        let child = Command::new("ssh-agent")
            .arg("-D")
            .arg("-a")
            .arg(&socket)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start ssh-agent (openssh-client)");
        let started = Instant::now();
        while !socket.exists() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "ssh-agent did not create its socket"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        Agent { socket, child }
    }

    /// Adds a key, answering its passphrase through SSH_ASKPASS.
    fn add(&self, dir: &Path, key: &Path, passphrase: &str) {
        let askpass = dir.join("askpass.sh");
        std::fs::write(&askpass, format!("#!/bin/sh\necho '{passphrase}'\n")).expect("askpass");
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&askpass, std::fs::Permissions::from_mode(0o700))
                .expect("chmod askpass");
        }
        let output = Command::new("ssh-add")
            .arg(key)
            .env("SSH_AUTH_SOCK", &self.socket)
            .env("SSH_ASKPASS", &askpass)
            .env("SSH_ASKPASS_REQUIRE", "force")
            .env("DISPLAY", ":0")
            .stdin(Stdio::null())
            .output()
            .expect("run ssh-add");
        assert!(output.status.success(), "ssh-add failed: {output:?}");
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn ssh_agent_signs_for_an_encrypted_identity_file() {
    let sshd = Sshd::start();
    let agent = Agent::start(&sshd.dir);
    agent.add(&sshd.dir, &sshd.encrypted_key, "correct horse");

    let mut target = sshd.target("hmc01");
    target.identity_files = vec![sshd.encrypted_key.clone()];
    let session = within(
        "connect",
        Session::connect_with_agent(&target, &sshd.settings(), Some(&agent.socket)),
    )
    .await
    .unwrap_or_else(|err| panic!("agent login failed: {err}\n{}", sshd.log()));
    within("echo", session.exec("echo via agent", STEP))
        .await
        .expect("exec");

    // With no identity files, every agent key is offered.
    target.identity_files.clear();
    within(
        "connect",
        Session::connect_with_agent(&target, &sshd.settings(), Some(&agent.socket)),
    )
    .await
    .expect("agent login with all agent keys");
}

#[tokio::test]
async fn password_from_an_environment_variable() {
    let password = format!("pd-{:016x}", rand::random::<u64>());
    let sshd = match Sshd::start_with(SshdOptions {
        root_password: Some(password.clone()),
        ..SshdOptions::default()
    }) {
        Ok(sshd) => sshd,
        Err(why) => {
            eprintln!(
                "skipped: password login needs sshd in a private mount namespace \
                 (root and unshare --mount) to give root a test password without touching \
                 the machine's accounts: {why}"
            );
            return;
        }
    };
    if sshd.user != "root" {
        eprintln!("skipped: password login is tested as root only");
        return;
    }
    // A variable name no other test uses; set before any connect in this test.
    let variable = "POWERDECK_TEST_SSH_PASSWORD";
    let wrong_variable = "POWERDECK_TEST_SSH_WRONG_PASSWORD";
    std::env::set_var(variable, &password);
    std::env::set_var(wrong_variable, "not-the-password");

    let mut target = sshd.target("hmc01");
    target.identity_files.clear();
    target.password_env = Some(variable.to_string());
    let session = connect(&sshd, &target, &sshd.settings()).await;
    let output = within("echo", session.exec("echo by password", STEP))
        .await
        .expect("exec");
    assert_eq!(output.stdout, "by password\n");

    target.password_env = Some(wrong_variable.to_string());
    let error = connect_err(&target, &sshd.settings()).await;
    let message = error.to_string();
    assert!(matches!(error, SshError::Auth { .. }), "{error:?}");
    assert!(message.contains(wrong_variable), "{message}");
    assert!(!message.contains("not-the-password"), "{message}");
    assert!(!message.contains(&password), "{message}");

    target.password_env = Some("POWERDECK_TEST_SSH_UNSET".to_string());
    let error = connect_err(&target, &sshd.settings()).await;
    assert!(
        error
            .to_string()
            .contains("POWERDECK_TEST_SSH_UNSET is not set"),
        "{error}"
    );
}

/// Round-trips per second on one session, sequential and 8 in parallel. Run with
/// `cargo test --release --test ssh_openssh -- --ignored --nocapture round_trips`.
/// As root, sshd runs with `~/.bashrc` hidden so the shell's start-up is not measured.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement, not a check"]
async fn round_trips_per_second() {
    let sshd = Sshd::start_with(SshdOptions {
        plain_shell: true,
        ..SshdOptions::default()
    })
    .unwrap_or_else(|why| {
        eprintln!("measuring with the login shell's start-up included: {why}");
        Sshd::start()
    });
    let session = connect(&sshd, &sshd.target("hmc01"), &sshd.settings()).await;
    let count = 400;
    let started = Instant::now();
    for _ in 0..count {
        session.exec("echo x", STEP).await.expect("exec");
    }
    let sequential = count as f64 / started.elapsed().as_secs_f64();
    let started = Instant::now();
    let workers: Vec<_> = (0..8)
        .map(|_| {
            let session = session.clone();
            tokio::spawn(async move {
                for _ in 0..count / 8 {
                    session.exec("echo x", STEP).await.expect("exec");
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.expect("worker");
    }
    let parallel = count as f64 / started.elapsed().as_secs_f64();
    eprintln!(
        "exec round-trips per second on one session: {sequential:.0} sequential, \
         {parallel:.0} with 8 in parallel"
    );
}

/// Resident memory of this test process, in kB.
fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn a_flooding_host_is_cut_off_and_memory_stays_flat() {
    let sshd = Sshd::start();
    let mut settings = sshd.settings();
    settings.max_output_bytes = 1024 * 1024;
    let session = connect(&sshd, &sshd.target("hmc01"), &settings).await;
    let before = rss_kb();
    for _ in 0..3 {
        let error = within("flood", session.exec("flood", STEP))
            .await
            .expect_err("a flood ends in an error");
        assert!(
            matches!(error, SshError::OutputLimit { limit, .. } if limit == 1024 * 1024),
            "{error}"
        );
    }
    let grown = rss_kb().saturating_sub(before);
    assert!(
        grown < 32 * 1024,
        "RSS grew by {grown} kB over three floods"
    );
    // The session is still usable.
    let output = within("echo", session.exec("echo still here", STEP))
        .await
        .expect("echo");
    assert_eq!(output.stdout, "still here\n");
}

#[tokio::test]
async fn a_long_line_keeps_its_start_and_a_mark() {
    let sshd = Sshd::start();
    let mut settings = sshd.settings();
    settings.max_line_bytes = 4096;
    let session = connect(&sshd, &sshd.target("hmc01"), &settings).await;
    let output = within("longline", session.exec("longline", STEP))
        .await
        .expect("longline");
    let lines: Vec<&str> = output.stdout.lines().collect();
    assert_eq!(
        lines.len(),
        2,
        "{}",
        &output.stdout[..200.min(output.stdout.len())]
    );
    assert!(lines[0].starts_with(&"x".repeat(4096)));
    assert!(
        lines[0].ends_with("[line cut by powerdeck]"),
        "{}",
        &lines[0][4000..]
    );
    assert_eq!(lines[1], "after");
}
