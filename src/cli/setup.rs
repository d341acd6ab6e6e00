//! What every command starts from: the config file, or the demo estate served
//! in-process over SSH on loopback.

use std::path::{Path, PathBuf};

use color_eyre::eyre::WrapErr;
use powerdeck::config::{self, Config};
use powerdeck::sim::server::Simulator;
use powerdeck::sim::{client_files, Estate};
use powerdeck::ssh::SshTransport;

/// A loaded configuration, and the demo simulator behind it when `--demo` was given.
pub struct Setup {
    pub config: Config,
    /// Keeps the demo estate serving while the command runs.
    pub _demo: Option<Demo>,
}

/// The in-process demo estate; it stops and its files go when this is dropped.
pub struct Demo {
    pub simulator: Simulator,
    dir: PathBuf,
}

impl Drop for Demo {
    fn drop(&mut self) {
        self.simulator.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Setup {
    /// The SSH transport to every configured host, with the `[ssh]` settings.
    pub fn transport(&self) -> std::sync::Arc<SshTransport> {
        std::sync::Arc::new(SshTransport::new(
            self.config.ssh_settings(),
            self.config.ssh_targets(),
        ))
    }
}

/// Loads the config named on the command line (or the default one), or starts the demo.
pub async fn load(config_path: Option<&Path>, demo: bool) -> color_eyre::Result<Setup> {
    if demo {
        return start_demo(Estate::demo(), demo_speed()?).await;
    }
    let path = match config_path {
        Some(path) => path.to_path_buf(),
        None => config::default_path().ok_or_else(|| {
            color_eyre::eyre::eyre!(
                "no config file: neither XDG_CONFIG_HOME nor HOME is set, so there is no \
                 default ($XDG_CONFIG_HOME/powerdeck/config.toml); name one with --config \
                 FILE, or try `powerdeck --demo`"
            )
        })?,
    };
    let config = Config::load(&path)?;
    super::passphrase::unlock_identity_files(&config)?;
    Ok(Setup {
        config,
        _demo: None,
    })
}

/// How fast simulated time runs in the demo: `POWERDECK_DEMO_SPEED` (a positive factor,
/// e.g. `60` to watch an hour-long firmware update in a minute), else real time.
fn demo_speed() -> color_eyre::Result<f64> {
    match std::env::var("POWERDECK_DEMO_SPEED") {
        Ok(text) => match text.trim().parse::<f64>() {
            Ok(speed) if speed.is_finite() && speed > 0.0 => Ok(speed),
            _ => Err(color_eyre::eyre::eyre!(
                "POWERDECK_DEMO_SPEED must be a positive number, not {text:?}"
            )),
        },
        Err(_) => Ok(1.0),
    }
}

/// Serves `estate` on loopback and builds a config for it, as `powerdeck sim` would.
pub async fn start_demo(estate: Estate, speed: f64) -> color_eyre::Result<Setup> {
    let dir = std::env::temp_dir().join(format!(
        "powerdeck-demo-{}-{:016x}",
        std::process::id(),
        rand::random::<u64>()
    ));
    private_dir(&dir)
        .wrap_err_with(|| format!("cannot create the demo's directory {}", dir.display()))?;
    let (simulator, files) = client_files::serve_on_loopback(estate, speed, &dir, "demo")
        .await
        .wrap_err_with(|| format!("cannot start the demo estate (files in {})", dir.display()))?;
    let text = std::fs::read_to_string(&files.config)?;
    let config = Config::parse(&text, "built-in demo estate")?;
    Ok(Setup {
        config,
        _demo: Some(Demo { simulator, dir }),
    })
}

/// Creates `dir`, which must not exist yet, readable by this user only: the demo's key
/// and config go there, so nobody else may have made it or may replace what is in it.
fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}
