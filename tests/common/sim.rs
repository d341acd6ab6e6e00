//! A simulated estate served over SSH for a test, with the client files `powerdeck sim
//! --write-config` writes, removed when the test ends.

use std::path::PathBuf;
use std::process::{Command, Output};

use powerdeck::config::Config;
use powerdeck::sim::client_files::{self, ClientFiles};
use powerdeck::sim::server::{ServedHost, Simulator};
use powerdeck::sim::Estate;

/// A running simulator and the config, key and known_hosts that reach it.
pub struct SimLab {
    pub simulator: Simulator,
    pub files: ClientFiles,
    pub dir: PathBuf,
}

impl Drop for SimLab {
    fn drop(&mut self) {
        self.simulator.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl SimLab {
    /// Serves `estate` on loopback; `speed` multiplies simulated time.
    pub async fn start(estate: Estate, speed: f64) -> SimLab {
        let dir = std::env::temp_dir().join(format!(
            "powerdeck-simlab-{}-{}",
            std::process::id(),
            rand::random::<u64>()
        ));
        let (simulator, files) = client_files::serve_on_loopback(estate, speed, &dir, "sim")
            .await
            .expect("start the simulated hosts");
        SimLab {
            simulator,
            files,
            dir,
        }
    }

    /// The served host called `name`.
    pub fn host(&self, name: &str) -> ServedHost {
        self.simulator
            .hosts
            .iter()
            .find(|h| h.name == name)
            .unwrap_or_else(|| panic!("no simulated host {name}"))
            .clone()
    }

    /// The config text `sim --write-config` wrote.
    pub fn config_text(&self) -> String {
        std::fs::read_to_string(&self.files.config).expect("read the written config")
    }

    /// The written config, parsed.
    pub fn config(&self) -> Config {
        Config::parse(&self.config_text(), "sim.toml").expect("the written config is valid")
    }

    /// The OpenSSH client command for `line` on `host`, with strict host key checking
    /// against the written known_hosts and only the written key (or `identity`): no
    /// ssh config file and no agent key.
    pub fn ssh_command(&self, host: &str, line: &str, identity: Option<&PathBuf>) -> Command {
        let host = self.host(host);
        let mut command = Command::new("ssh");
        command
            .args([
                "-F",
                "/dev/null",
                "-o",
                "BatchMode=yes",
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "IdentitiesOnly=yes",
            ])
            .arg("-o")
            .arg(format!(
                "UserKnownHostsFile={}",
                self.files.known_hosts.display()
            ))
            .args(["-o", "ConnectTimeout=5", "-i"])
            .arg(identity.unwrap_or(&self.files.identity_file))
            .arg("-p")
            .arg(host.addr.port().to_string())
            .arg(format!("{}@{}", host.user, host.addr.ip()))
            .arg(line);
        command
    }

    /// Runs `line` on `host` with the OpenSSH client.
    pub async fn ssh(&self, host: &str, line: &str) -> Output {
        let mut command = self.ssh_command(host, line, None);
        tokio::task::spawn_blocking(move || command.output())
            .await
            .expect("the ssh task finishes")
            .expect("the OpenSSH client (ssh) runs; scripts/test installs openssh-client")
    }
}

/// A simulated estate and powerdeck's own SSH transport to it, for the wizard tests.
pub struct SshLab {
    pub sim: SimLab,
    pub transport: std::sync::Arc<powerdeck::ssh::SshTransport>,
    pub sources: Vec<powerdeck::refresh::Source>,
}

impl SshLab {
    /// Serves `estate` at `speed` and builds the transport from the written config,
    /// without the user's `~/.ssh/config` or ssh-agent.
    pub async fn start(estate: Estate, speed: f64) -> SshLab {
        let sim = SimLab::start(estate, speed).await;
        let config = sim.config();
        let mut settings = config.ssh_settings();
        settings.agent = None;
        let sources = config
            .sources
            .iter()
            .map(|s| powerdeck::refresh::Source {
                name: s.name.clone(),
                kind: s.kind,
                interval: std::time::Duration::from_secs(30),
            })
            .collect();
        SshLab {
            transport: std::sync::Arc::new(powerdeck::ssh::SshTransport::new(
                settings,
                config.ssh_targets_with(None),
            )),
            sim,
            sources,
        }
    }

    /// Every source read once, over SSH.
    pub async fn refresh(&self) -> Vec<powerdeck::refresh::SourceSnapshot> {
        powerdeck::refresh::refresh_all(self.transport.clone(), &self.sources).await
    }
}
