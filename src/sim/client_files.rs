//! The files a client needs to reach the simulator: a powerdeck config for exactly the
//! served hosts, a client key, and a known_hosts file with the hosts' keys.

use std::path::{Path, PathBuf};

use russh::keys::ssh_key::LineEnding;
use russh::keys::{Algorithm, PrivateKey};

use super::estate::HostKind;
use super::server::ServedHost;

/// A fresh ed25519 key for a client of the simulator.
pub fn client_key() -> std::io::Result<PrivateKey> {
    PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).map_err(std::io::Error::other)
}

/// Where [`write()`] put things.
#[derive(Debug, Clone)]
pub struct ClientFiles {
    pub config: PathBuf,
    pub identity_file: PathBuf,
    pub known_hosts: PathBuf,
}

/// `known_hosts` lines for the served hosts (`[127.0.0.1]:port ssh-ed25519 ...`).
pub fn known_hosts_text(hosts: &[ServedHost]) -> String {
    let mut text = String::new();
    for host in hosts {
        let key = host
            .host_key
            .to_openssh()
            .unwrap_or_else(|_| String::from("unencodable-key"));
        let address = host.addr.ip();
        let name = if host.addr.port() == 22 {
            address.to_string()
        } else {
            format!("[{address}]:{}", host.addr.port())
        };
        text.push_str(&format!("{name} {key}\n"));
    }
    text
}

/// A powerdeck config naming every served host.
pub fn config_text(hosts: &[ServedHost], identity_file: &Path, known_hosts: &Path) -> String {
    let mut text = String::from(
        "# powerdeck configuration for a simulated estate (written by `powerdeck sim`).\n\n",
    );
    text.push_str(&format!(
        "[ssh]\nknown_hosts = {}\naccept_new_host_keys = false\nconnect_timeout_secs = 10\ncommand_timeout_secs = 120\n\n[refresh]\ninterval_secs = 30\n",
        toml_string(&known_hosts.display().to_string())
    ));
    for host in hosts {
        let table = match host.kind {
            HostKind::Hmc => "hmc",
            HostKind::Aix => "aix",
            HostKind::Nim => "nim",
        };
        text.push_str(&format!(
            "\n[[{table}]]\nname = {}\nhost = {}\nport = {}\nuser = {}\nidentity_file = {}\n",
            toml_string(&host.name),
            toml_string(&host.addr.ip().to_string()),
            host.addr.port(),
            toml_string(&host.user),
            toml_string(&identity_file.display().to_string()),
        ));
        if let Some(lpar) = &host.lpar {
            text.push_str(&format!("lpar = {}\n", toml_string(lpar)));
        }
    }
    text
}

/// Writes the config to `config`, and the key and known_hosts beside it.
///
/// Each file is written whole to a new file in the same directory, then renamed over
/// its name: a symlink planted at one of the three names is replaced, never written
/// through.
pub fn write(
    config: &Path,
    hosts: &[ServedHost],
    key: &PrivateKey,
) -> std::io::Result<ClientFiles> {
    let dir = config
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let stem = config
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_else(|| "powerdeck-sim".to_string());
    let identity_file = dir.join(format!("{stem}.id_ed25519"));
    let known_hosts = dir.join(format!("{stem}.known_hosts"));
    let key_text = key
        .to_openssh(LineEnding::LF)
        .map_err(std::io::Error::other)?;
    replace_file(&identity_file, key_text.as_bytes(), 0o600)?;
    replace_file(&known_hosts, known_hosts_text(hosts).as_bytes(), 0o644)?;
    let identity_file = std::fs::canonicalize(&identity_file)?;
    let known_hosts = std::fs::canonicalize(&known_hosts)?;
    let text = config_text(hosts, &identity_file, &known_hosts);
    replace_file(config, text.as_bytes(), 0o644)?;
    Ok(ClientFiles {
        config: config.to_path_buf(),
        identity_file,
        known_hosts,
    })
}

/// Puts `contents` at `path` as a new file with permissions `mode`: written to a fresh
/// file beside it (created exclusively, so no link is followed), then renamed over
/// `path`, which replaces whatever was there, a symlink included.
fn replace_file(path: &Path, contents: &[u8], mode: u32) -> std::io::Result<()> {
    use std::io::Write;
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other(format!("{} names no file", path.display())))?;
    let temporary = path.with_file_name(format!(
        ".{}.{:016x}.tmp",
        name.to_string_lossy(),
        rand::random::<u64>()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let written = options.open(&temporary).and_then(|mut file| {
        file.write_all(contents)?;
        file.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&temporary, path));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    renamed
}

/// A TOML basic string.
fn toml_string(value: &str) -> String {
    toml::Value::String(value.to_string()).to_string()
}

/// Serves `estate` on loopback for one client: a fresh client key is the only key
/// allowed in, and the config, key and known_hosts to reach the hosts are written to
/// `dir/<name>.toml` and beside it. What `--demo` and the tests start from.
pub async fn serve_on_loopback(
    estate: super::Estate,
    speed: f64,
    dir: &Path,
    name: &str,
) -> std::io::Result<(super::server::Simulator, ClientFiles)> {
    std::fs::create_dir_all(dir)?;
    let key = client_key()?;
    let simulator = super::server::Simulator::start(
        estate,
        super::server::ServeOptions {
            listen: std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
            base_port: None,
            speed,
            authorized_keys: vec![key.public_key().clone()],
        },
    )
    .await?;
    let files = write(&dir.join(format!("{name}.toml")), &simulator.hosts, &key)?;
    Ok((simulator, files))
}
