//! `powerdeck sim`: serve a simulated estate until interrupted.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use color_eyre::eyre::{eyre, WrapErr};
use powerdeck::sim::server::{ServeOptions, Simulator};
use powerdeck::sim::Estate;
use powerdeck::sim::{client_files, generate};
use powerdeck::text::visible;

/// Options of `powerdeck sim`.
#[derive(Debug, clap::Args)]
pub struct SimArgs {
    /// Estate file (TOML); default: the built-in demo estate.
    #[arg(long, value_name = "FILE", conflicts_with = "scale")]
    pub estate: Option<PathBuf>,
    /// Serve a generated large estate instead: 1 = 4 HMCs, 40 systems, 2,000 LPARs,
    /// 400 WPARs, 1,500 NIM objects (fractions and multiples allowed).
    #[arg(long, value_name = "FACTOR")]
    pub scale: Option<f64>,
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub listen: IpAddr,
    /// First port; hosts count up from it (default: free ports).
    #[arg(long, value_name = "PORT")]
    pub base_port: Option<u16>,
    /// Write a powerdeck config for the served hosts (plus its key and known_hosts).
    #[arg(long, value_name = "FILE")]
    pub write_config: Option<PathBuf>,
    /// Multiply simulated time (migrations, restarts, updates) by this factor.
    #[arg(long, value_name = "FACTOR", default_value_t = 1.0)]
    pub speed: f64,
}

/// Serves until Ctrl-C.
pub async fn run(args: SimArgs) -> color_eyre::Result<ExitCode> {
    if !(args.speed.is_finite() && args.speed > 0.0) {
        return Err(eyre!(
            "--speed must be a positive number, not {}",
            args.speed
        ));
    }
    let estate = match (&args.estate, args.scale) {
        (_, Some(factor)) if !(factor.is_finite() && factor > 0.0) => {
            return Err(eyre!("--scale must be a positive number, not {factor}"));
        }
        (_, Some(factor)) => generate::estate(generate::Scale::times(factor))?,
        (Some(path), None) => {
            let text = std::fs::read_to_string(path)
                .wrap_err_with(|| format!("cannot read estate file {}", path.display()))?;
            Estate::from_toml(&text, &path.display().to_string())?
        }
        (None, None) => Estate::demo(),
    };
    let key = client_files::client_key()?;
    let options = ServeOptions {
        listen: args.listen,
        base_port: args.base_port,
        speed: args.speed,
        authorized_keys: vec![key.public_key().clone()],
    };
    let simulator = Simulator::start(estate, options)
        .await
        .wrap_err("cannot start the simulated hosts")?;
    for host in &simulator.hosts {
        println!(
            "{:<10} {:<4} {} ({})",
            visible(&host.name),
            format!("{:?}", host.kind).to_lowercase(),
            host.addr,
            visible(&host.user)
        );
    }
    if let Some(path) = &args.write_config {
        let files = client_files::write(path, &simulator.hosts, &key)
            .wrap_err_with(|| format!("cannot write {}", path.display()))?;
        println!(
            "config: {} (key {}, known_hosts {})",
            files.config.display(),
            files.identity_file.display(),
            files.known_hosts.display()
        );
    }
    println!("serving; Ctrl-C stops");
    tokio::signal::ctrl_c().await?;
    simulator.stop();
    Ok(ExitCode::SUCCESS)
}
