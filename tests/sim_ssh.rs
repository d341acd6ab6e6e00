//! The simulator over real SSH, driven by the OpenSSH client: the config `sim` writes
//! (key and known_hosts) works with `ssh`, host kinds answer with their shells' rules,
//! and faults behave as documented.

mod common;

use std::time::{Duration, Instant};

use common::home::TempDir;
use common::sim::SimLab;
use powerdeck::sim::client_files;
use powerdeck::sim::Estate;

const ESTATE: &str = r#"
[[hmc]]
name = "hmc01"
password = "s3cret-demo"

[[hmc.systems]]
name = "p9-01"
type_model = "9009-42A"
serial_num = "7812345"
memory_mb = 262144
proc_units = 20.0

[[aix]]
name = "aixprd01"
oslevel = "7100-00-02-1041"
lpar = "aixprd01"

[[nim]]
name = "nim01"
"#;

async fn start(speed: f64) -> SimLab {
    SimLab::start(Estate::from_toml(ESTATE, "test estate").unwrap(), speed).await
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `sim --write-config FILE` where someone planted symlinks at the three names it writes
/// (two to an existing file, one dangling): each link is replaced by the file, nothing
/// is written through a link.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn write_config_replaces_planted_symlinks_and_never_writes_through_them() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let running = start(1.0).await;
    let dir = TempDir::new("sim-symlinks");
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "precious\n").unwrap();
    let dangling = dir.path().join("created-through-a-link");
    symlink(&victim, dir.path().join("lab.toml")).unwrap();
    symlink(&dangling, dir.path().join("lab.id_ed25519")).unwrap();
    symlink(&victim, dir.path().join("lab.known_hosts")).unwrap();

    let key = client_files::client_key().unwrap();
    let config = dir.path().join("lab.toml");
    let files = client_files::write(&config, &running.simulator.hosts, &key).unwrap();

    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert!(
        !dangling.exists(),
        "nothing created through the dangling link"
    );
    for path in [&files.config, &files.identity_file, &files.known_hosts] {
        let kind = std::fs::symlink_metadata(path).unwrap().file_type();
        assert!(
            kind.is_file(),
            "{} is a plain file: {kind:?}",
            path.display()
        );
        assert_eq!(path.parent(), Some(dir.path()), "{}", path.display());
    }
    let key_mode = std::fs::metadata(&files.identity_file)
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(key_mode & 0o777, 0o600);
    let text = std::fs::read_to_string(&files.config).unwrap();
    let written = powerdeck::config::Config::parse(&text, "lab.toml").unwrap();
    assert_eq!(written.ssh.known_hosts, files.known_hosts);
    assert_eq!(written.sources.len(), running.simulator.hosts.len());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn written_config_names_every_host_with_its_key_and_known_hosts() {
    let running = start(1.0).await;
    let config = std::fs::read_to_string(&running.files.config).unwrap();
    let parsed = powerdeck::config::Config::parse(&config, "sim.toml").unwrap();
    assert_eq!(parsed.sources.len(), 3);
    assert_eq!(parsed.sources[0].user.as_deref(), Some("hscroot"));
    assert_eq!(parsed.sources[1].lpar.as_deref(), Some("aixprd01"));
    assert_eq!(parsed.ssh.known_hosts, running.files.known_hosts);
    let known = std::fs::read_to_string(&running.files.known_hosts).unwrap();
    assert_eq!(known.lines().count(), 3);
    assert!(known
        .lines()
        .all(|l| l.starts_with("[127.0.0.1]:") && l.contains(" ssh-ed25519 ")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openssh_client_gets_answers_and_exit_codes() {
    let running = start(1.0).await;
    let out = running
        .ssh("hmc01", "LANG=C echo 'hello  world'; echo done")
        .await;
    assert_eq!(text(&out.stdout), "hello  world\ndone\n");
    assert_eq!(out.status.code(), Some(0));

    let out = running.ssh("hmc01", "nosuchcmd -x").await;
    assert_eq!(text(&out.stderr), "rbash: nosuchcmd: command not found\n");
    assert_eq!(out.status.code(), Some(127));

    let out = running.ssh("hmc01", "lssyscfg -r sys > /tmp/out").await;
    assert!(text(&out.stderr).contains("restricted: cannot redirect output"));
    assert_eq!(out.status.code(), Some(1));

    let out = running.ssh("aixprd01", "nosuchcmd").await;
    assert_eq!(text(&out.stderr), "ksh: nosuchcmd:  not found.\n");
    assert_eq!(out.status.code(), Some(127));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_key_is_refused() {
    let running = start(1.0).await;
    let other = client_files::client_key().unwrap();
    let path = running.files.identity_file.with_extension("other");
    other
        .write_openssh_file(&path, russh::keys::ssh_key::LineEnding::LF)
        .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let mut command = running.ssh_command("nim01", "echo hi", Some(&path));
    let out = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(out.status.code(), Some(255), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("Permission denied"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_garbage_latency_stall_and_drop() {
    let running = start(1.0).await;
    let out = running.ssh("nim01", "simctl fault nim01 garbage").await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = running.ssh("nim01", "lsnim -l").await;
    assert!(text(&out.stdout).contains("deadbeef"));
    running.ssh("nim01", "simctl fault nim01 recover").await;

    running.ssh("aixprd01", "simctl latency aixprd01 400").await;
    let started = Instant::now();
    running.ssh("aixprd01", "echo slow").await;
    assert!(started.elapsed() >= Duration::from_millis(400));
    running.ssh("aixprd01", "simctl latency aixprd01 0").await;

    running.ssh("hmc01", "simctl fault hmc01 stall").await;
    let mut command = running.ssh_command("hmc01", "echo stuck", None);
    let stalled = tokio::task::spawn_blocking(move || {
        let mut child = command
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(800));
        let still_running = child.try_wait().unwrap().is_none();
        let _ = child.kill();
        let _ = child.wait();
        still_running
    })
    .await
    .unwrap();
    assert!(stalled, "a stalled host does not answer");
    let out = running.ssh("hmc01", "simctl hosts").await;
    assert!(
        text(&out.stdout).contains("hmc01 hmc stalled"),
        "{}",
        text(&out.stdout)
    );
    running.ssh("hmc01", "simctl fault hmc01 recover").await;

    running.ssh("nim01", "simctl fault nim01 drop").await;
    let out = running.ssh("nim01", "echo hi").await;
    assert_eq!(
        out.status.code(),
        Some(255),
        "a dropping host refuses connections"
    );
    running
        .simulator
        .exec_local("nim01", "simctl fault nim01 recover");
    let out = running.ssh("nim01", "echo back").await;
    assert_eq!(text(&out.stdout), "back\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_authentication_where_configured() {
    let running = start(1.0).await;
    // russh as a client with the password the estate sets for hmc01.
    let host = running.host("hmc01").clone();
    let config = std::sync::Arc::new(russh::client::Config::default());
    struct Trusting;
    impl russh::client::Handler for Trusting {
        type Error = russh::Error;
        async fn check_server_key(
            &mut self,
            _key: &russh::keys::PublicKeyOrCertificate,
        ) -> Result<bool, Self::Error> {
            Ok(true)
        }
    }
    let mut session = russh::client::connect(config, host.addr, Trusting)
        .await
        .unwrap();
    let wrong = session
        .authenticate_password("hscroot", "guess")
        .await
        .unwrap();
    assert!(!wrong.success());
    let right = session
        .authenticate_password("hscroot", "s3cret-demo")
        .await
        .unwrap();
    assert!(right.success());
}
