//! Whole-process benchmark of the SSH transport and the refresh engine, side by side with
//! what an admin's shell loop does (issue "SSH transport, refresh engine and inventory",
//! item 6). Run it with:
//!
//! ```text
//! cargo bench --bench refresh
//! ```
//!
//! 1. **Full refresh.** The generated estate at scale 1 (4 HMCs, 40 systems, 2,000
//!    LPARs, 20 AIX globals with 400 WPARs, 2 NIM masters with 1,500 objects) is served
//!    in-process over SSH on loopback with 250 ms of latency added to every command.
//!    `refresh::refresh_all` over `SshTransport` (russh, one pooled session per host)
//!    reads it cold (a new pool: the 26 logins are part of it) and warm (sessions
//!    open), several times each; the medians are reported. A recording decorator around
//!    the transport counts the commands and when each ran. Every command must exit 0,
//!    every source must be `ok` and the snapshot must hold every object.
//! 2. **Critical path.** For each host, the rounds of 250 ms it needs at least: its
//!    dependency chain (on an HMC `lssyscfg -r sys`, then one round of per-system
//!    listings, which are independent; on AIX and NIM the one listing) or, when longer,
//!    its channel floor (at most `Settings::max_channels` = 8 commands at a time on one
//!    connection, as an HMC's sshd allows), counted from the commands actually sent. No
//!    client holding that bound can refresh the host faster. The slowest host's is the
//!    goal's yardstick (refresh ≤ 1.5 × it).
//! 3. **Naive baseline.** The same command lines, one OpenSSH `ssh` process each, one
//!    after the other, as an admin's shell loop runs them. By default a sample (every
//!    command of the first HMC, the first AIX global and the first NIM master) is timed
//!    and extrapolated linearly, per kind of host, to the full command count;
//!    `POWERDECK_BENCH_FULL_BASELINE=1` times every command instead (about 45 s more).
//! 4. **Round-trips.** Sequential `echo x` execs on one russh session (2 s) vs one `ssh`
//!    process per command (5 s), against a simulated host without latency and against
//!    a real OpenSSH sshd on loopback (its own config, keys and port; the login shell's
//!    `~/.bashrc`, which may start pyenv and such, is hidden in a private mount
//!    namespace so the shell's start-up is not what is measured).
//!
//! Prints the figures and a Markdown table (stdout; progress goes to stderr). Exits 1
//! when a check fails (a command, a source or a count); a missed goal is a FAIL in the
//! table, and exits 1 only with `POWERDECK_BENCH_STRICT=1`. `POWERDECK_BENCH_TIMELINE=1`
//! also prints when each command of the slowest host ran, for the median refreshes.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use powerdeck::config::Config;
use powerdeck::exec::CommandOutput;
use powerdeck::exec::{Exec, ExecError};
use powerdeck::refresh::{self, Source, SourceData, SourceSnapshot, SourceStatus};
use powerdeck::sim::client_files;
use powerdeck::sim::generate::{self, Scale};
use powerdeck::sim::server::{ServeOptions, ServedHost, Simulator};
use powerdeck::sim::HostKind;
use powerdeck::ssh::{Session, Settings, SshTransport, Target};
use russh::keys::ssh_key::LineEnding;
use russh::keys::PrivateKey;

/// Latency the simulator adds to every command during the refresh.
const LATENCY: Duration = Duration::from_millis(250);
/// The promised sizes of the scale-1 estate.
const SYSTEMS: usize = 40;
const LPARS: usize = 2000;
const WPARS: usize = 400;
const NIM_OBJECTS: usize = 1500;
/// Goals.
const GOAL_CRITICAL_PATH_RATIO: f64 = 1.5;
const GOAL_BASELINE_SPEEDUP: f64 = 10.0;
const GOAL_ROUND_TRIP_RATIO: f64 = 10.0;
/// How long each round-trip loop runs.
const RUSSH_LOOP: Duration = Duration::from_secs(2);
const SSH_LOOP: Duration = Duration::from_secs(5);
/// Refreshes timed: cold (new pool) and warm (open sessions); the median is reported.
const COLD_RUNS: usize = 3;
const WARM_RUNS: usize = 5;
/// Upper bound for one command of the benchmark, so a bug fails instead of hanging.
const STEP: Duration = Duration::from_secs(60);
const SSHD: &str = "/usr/sbin/sshd";

type Failure = String;

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("refresh bench: cannot start tokio: {error}");
            return ExitCode::FAILURE;
        }
    };
    match run(&runtime) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("refresh bench: a goal was missed (see FAIL above)");
            let strict = std::env::var_os("POWERDECK_BENCH_STRICT")
                .is_some_and(|value| !value.is_empty() && value != "0");
            if strict {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(failure) => {
            eprintln!("refresh bench failed: {failure}");
            ExitCode::FAILURE
        }
    }
}

fn run(runtime: &tokio::runtime::Runtime) -> Result<bool, Failure> {
    require_ssh_client()?;
    let dir = TempDir::new("powerdeck-bench")?;

    // 1. The estate, served with 250 ms per command on every host.
    progress("generating the scale-1 estate and serving it on loopback");
    let mut estate = generate::estate(Scale::times(1.0)).map_err(|e| e.to_string())?;
    let latency_ms = LATENCY.as_millis() as u64;
    estate
        .hmc
        .iter_mut()
        .for_each(|h| h.latency_ms = latency_ms);
    estate
        .aix
        .iter_mut()
        .for_each(|h| h.latency_ms = latency_ms);
    estate
        .nim
        .iter_mut()
        .for_each(|h| h.latency_ms = latency_ms);
    let key = client_files::client_key().map_err(|e| format!("client key: {e}"))?;
    let simulator = runtime
        .block_on(Simulator::start(
            estate,
            ServeOptions {
                listen: [127, 0, 0, 1].into(),
                base_port: None,
                speed: 1.0,
                authorized_keys: vec![key.public_key().clone()],
            },
        ))
        .map_err(|e| format!("cannot start the simulator: {e}"))?;
    let files = client_files::write(&dir.path.join("bench.toml"), &simulator.hosts, &key)
        .map_err(|e| format!("cannot write the client files: {e}"))?;
    let text = fs::read_to_string(&files.config).map_err(|e| e.to_string())?;
    let config = Config::parse(&text, "benchmark estate").map_err(|e| e.to_string())?;
    let sources: Vec<Source> = config
        .sources
        .iter()
        .map(|source| Source {
            name: source.name.clone(),
            kind: source.kind,
            interval: config.refresh.interval(source.kind),
        })
        .collect();
    let max_channels = SshTransport::new(config.ssh_settings(), config.ssh_targets_with(None))
        .pool()
        .settings()
        .max_channels;

    // Cold: a new pool each time, so the logins are part of the refresh. Warm: the
    // last pool again, its sessions open.
    let mut cold_runs: Vec<(Duration, Vec<Sent>)> = Vec::new();
    let mut transport = None;
    let mut counts = None;
    for run in 1..=COLD_RUNS {
        progress(&format!(
            "full refresh, cold {run}/{COLD_RUNS} (new pool, logins included)"
        ));
        let fresh = Arc::new(Recording::new(SshTransport::new(
            config.ssh_settings(),
            config.ssh_targets_with(None),
        )));
        let (took, log, snapshots) = timed_refresh(runtime, &fresh, &sources);
        counts = Some(verify(&snapshots, &log)?);
        cold_runs.push((took, log));
        transport = Some(fresh);
    }
    let transport = transport.ok_or("no refresh ran")?;
    let counts = counts.ok_or("no refresh ran")?;
    let mut warm_runs: Vec<(Duration, Vec<Sent>)> = Vec::new();
    for run in 1..=WARM_RUNS {
        progress(&format!(
            "full refresh, warm {run}/{WARM_RUNS} (pooled sessions)"
        ));
        let (took, log, snapshots) = timed_refresh(runtime, &transport, &sources);
        verify(&snapshots, &log)?;
        warm_runs.push((took, log));
    }
    cold_runs.sort_by_key(|(took, _)| *took);
    warm_runs.sort_by_key(|(took, _)| *took);
    let median = |runs: &[(Duration, Vec<Sent>)]| runs[runs.len() / 2].0;
    let spread = |runs: &[(Duration, Vec<Sent>)]| {
        format!("{}–{}", secs(runs[0].0), secs(runs[runs.len() - 1].0))
    };
    let cold = median(&cold_runs);
    let warm = median(&warm_runs);
    let cold_log = cold_runs[cold_runs.len() / 2].1.clone();
    let warm_log = warm_runs[warm_runs.len() / 2].1.clone();

    // 2. Critical paths, from the command lines actually sent.
    let hosts: HashMap<&str, &ServedHost> = simulator
        .hosts
        .iter()
        .map(|host| (host.name.as_str(), host))
        .collect();
    let paths = critical_paths(&cold_log, max_channels);
    let slowest = paths
        .iter()
        .max_by_key(|path| (path.rounds(), path.chain, path.host.clone()))
        .ok_or("no command was sent")?;
    let chain_time = LATENCY * slowest.rounds() as u32;
    let floor_time = LATENCY * slowest.channel_floor as u32;
    let per_kind = |kind: HostKind| {
        cold_log
            .iter()
            .filter(|sent| hosts.get(sent.source.as_str()).map(|h| h.kind) == Some(kind))
            .count()
    };
    let finish = |log: &[Sent]| {
        let mut last: BTreeMap<&str, Duration> = BTreeMap::new();
        for sent in log {
            let end = last.entry(&sent.source).or_default();
            *end = (*end).max(sent.end);
        }
        last.into_iter()
            .max_by_key(|(_, end)| *end)
            .map(|(host, end)| (host.to_string(), end))
            .unwrap_or_default()
    };
    let (cold_last_host, cold_last) = finish(&cold_log);
    if std::env::var_os("POWERDECK_BENCH_TIMELINE").is_some() {
        for (name, log) in [("cold", &cold_log), ("warm", &warm_log)] {
            let (host, _) = finish(log);
            let mut mine: Vec<&Sent> = log.iter().filter(|s| s.source == host).collect();
            mine.sort_by_key(|s| s.start);
            eprintln!("{name} refresh, {host}:");
            for sent in mine {
                eprintln!(
                    "  {:>5} ms .. {:>5} ms  {:>6} B  {}",
                    sent.start.as_millis(),
                    sent.end.as_millis(),
                    sent.stdout.len(),
                    sent.line
                );
            }
        }
    }

    // 3. The naive baseline: one `ssh` per command line, sequentially.
    let full_baseline = std::env::var_os("POWERDECK_BENCH_FULL_BASELINE")
        .is_some_and(|value| !value.is_empty() && value != "0");
    let mut ordered = cold_log.clone();
    ordered.sort_by_key(|sent| sent.start);
    let sample: Vec<&Sent> = if full_baseline {
        ordered.iter().collect()
    } else {
        let first = |kind: HostKind| {
            let mut names: Vec<&str> = hosts
                .values()
                .filter(|h| h.kind == kind)
                .map(|h| h.name.as_str())
                .collect();
            names.sort();
            names.first().map(|name| name.to_string())
        };
        let picked: Vec<String> = [HostKind::Hmc, HostKind::Aix, HostKind::Nim]
            .into_iter()
            .filter_map(first)
            .collect();
        ordered
            .iter()
            .filter(|sent| picked.contains(&sent.source))
            .collect()
    };
    progress(&format!(
        "naive baseline: {} commands, one `ssh` process each, sequentially (≈ {:.0} s)",
        sample.len(),
        sample.len() as f64 * 0.3
    ));
    let mut spent: HashMap<HostKind, (Duration, usize)> = HashMap::new();
    let mut differing: Vec<String> = Vec::new();
    let baseline_started = Instant::now();
    for (index, sent) in sample.iter().enumerate() {
        let host = hosts
            .get(sent.source.as_str())
            .ok_or_else(|| format!("{} is not served", sent.source))?;
        let login = SshLogin {
            port: host.addr.port(),
            user: host.user.clone(),
            key: files.identity_file.clone(),
            known_hosts: files.known_hosts.clone(),
        };
        let (took, stdout) = login.run(&sent.line)?;
        if without_clock(&stdout) != without_clock(&sent.stdout) {
            differing.push(format!("{} on {}", sent.line, sent.source));
        }
        let entry = spent.entry(host.kind).or_default();
        entry.0 += took;
        entry.1 += 1;
        if (index + 1) % 10 == 0 {
            progress(&format!("  {}/{} commands", index + 1, sample.len()));
        }
    }
    let sample_time = baseline_started.elapsed();
    let mean = |kind: HostKind| {
        spent
            .get(&kind)
            .map(|(time, count)| time.as_secs_f64() / *count as f64)
            .unwrap_or(0.0)
    };
    let kinds = [HostKind::Hmc, HostKind::Aix, HostKind::Nim];
    let baseline_secs = if full_baseline {
        sample_time.as_secs_f64()
    } else {
        kinds.iter().map(|&k| mean(k) * per_kind(k) as f64).sum()
    };

    // 4. Round-trips.
    progress("round-trips on the simulated host (no latency)");
    let rt_host = hosts
        .values()
        .filter(|h| h.kind == HostKind::Aix)
        .map(|h| h.name.clone())
        .min()
        .ok_or("no AIX host served")?;
    let reply = simulator.exec_local(&rt_host, &format!("simctl latency {rt_host} 0"));
    if reply.exit_status != 0 {
        return Err(format!("simctl latency {rt_host} 0 failed"));
    }
    let sim_target = transport
        .inner
        .target(&rt_host)
        .ok_or("no target for the round-trip host")?
        .clone();
    let session = runtime
        .block_on(transport.inner.pool().session(&sim_target))
        .map_err(|e| e.to_string())?;
    let sim_russh = runtime.block_on(russh_round_trips(&session))?;
    let sim_host = hosts[rt_host.as_str()];
    let sim_login = SshLogin {
        port: sim_host.addr.port(),
        user: sim_host.user.clone(),
        key: files.identity_file.clone(),
        known_hosts: files.known_hosts.clone(),
    };
    let sim_ssh = sim_login.round_trips()?;
    drop(session);

    progress("round-trips on a real OpenSSH sshd");
    let sshd = match Sshd::start(&dir.path) {
        Ok(sshd) => Some(sshd),
        Err(why) => {
            eprintln!("note: no OpenSSH sshd round-trips: {why}");
            None
        }
    };
    let sshd_figures = match &sshd {
        Some(sshd) => {
            let session = runtime
                .block_on(Session::connect_with_agent(
                    &sshd.target,
                    &sshd.settings,
                    None,
                ))
                .map_err(|e| format!("russh to sshd: {e}\nsshd log:\n{}", sshd.log()))?;
            let russh = runtime.block_on(russh_round_trips(&session))?;
            runtime.block_on(session.disconnect());
            let ssh = sshd.login.round_trips()?;
            Some((russh, ssh))
        }
        None => None,
    };
    let sshd_shell = sshd.as_ref().map(|sshd| sshd.shell_note.clone());
    drop(sshd);
    simulator.stop();

    // Report.
    let ssh_version = ssh_version();
    let total = cold_log.len();
    let count_kind = |kind: HostKind| hosts.values().filter(|h| h.kind == kind).count();
    let mut all_pass = true;
    let mut verdict = |pass: bool| {
        all_pass &= pass;
        if pass {
            "PASS"
        } else {
            "FAIL"
        }
    };
    let ms = LATENCY.as_millis();
    println!();
    println!("## powerdeck refresh benchmark");
    println!();
    println!(
        "- Estate: {} hosts ({} HMCs, {} AIX globals, {} NIM masters), {} systems, {} LPARs, \
         {} WPARs, {} NIM objects, served in-process over SSH on loopback with {ms} ms added \
         to every command. A full refresh sends {total} commands ({} HMC, {} AIX, {} NIM).",
        hosts.len(),
        count_kind(HostKind::Hmc),
        count_kind(HostKind::Aix),
        count_kind(HostKind::Nim),
        counts.systems,
        counts.lpars,
        counts.wpars,
        counts.nim_objects,
        per_kind(HostKind::Hmc),
        per_kind(HostKind::Aix),
        per_kind(HostKind::Nim),
    );
    println!(
        "- Refresh (`refresh_all` over `SshTransport`): cold, a new pool so the {} logins \
         are included, median of {COLD_RUNS} {} (range {}; the last host to finish, {}, at {}); \
         warm, sessions open, median of {WARM_RUNS} {} (range {}). Every source `ok`, every \
         object counted.",
        hosts.len(),
        secs(cold),
        spread(&cold_runs),
        cold_last_host,
        secs(cold_last),
        secs(warm),
        spread(&warm_runs),
    );
    println!(
        "- Critical path: the slowest host, {}{}, must run {} commands one after the other \
         (host-wide commands, then one round of per-system commands, from the commands \
         actually sent); its {} commands on one connection of at most {} channels \
         (`Settings::max_channels`) need at least {} rounds of {ms} ms; the longer of the \
         two, {}, is the critical path.",
        slowest.host,
        match paths
            .iter()
            .filter(|path| path.rounds() == slowest.rounds())
            .count()
        {
            1 => String::new(),
            ties => format!(" ({ties} hosts tie)"),
        },
        slowest.chain,
        slowest.commands,
        max_channels,
        slowest.channel_floor,
        secs(chain_time),
    );
    if full_baseline {
        println!(
            "- Naive baseline: all {} commands measured, one `ssh` process each, in a row: \
             {} ({:.0} ms per command).",
            sample.len(),
            secs_f(baseline_secs),
            baseline_secs * 1000.0 / sample.len().max(1) as f64,
        );
    } else {
        println!(
            "- Naive baseline: a sample of {} commands (every command of the first HMC, AIX \
             global and NIM master), one `ssh` process each, in a row, measured {}: {:.0} ms \
             per command on the HMC, {:.0} on AIX, {:.0} on NIM; extrapolated linearly per \
             kind of host to the {total} commands: {}. \
             `POWERDECK_BENCH_FULL_BASELINE=1` measures them all.",
            sample.len(),
            secs(sample_time),
            mean(HostKind::Hmc) * 1000.0,
            mean(HostKind::Aix) * 1000.0,
            mean(HostKind::Nim) * 1000.0,
            secs_f(baseline_secs),
        );
    }
    if differing.is_empty() {
        println!(
            "- Every baseline command printed what the same command printed over russh \
             (the HMC clock `sys_time` aside)."
        );
    } else {
        println!(
            "- {} baseline commands printed something else than over russh: {}",
            differing.len(),
            differing
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    println!(
        "- Round-trips: sequential `echo x`, one russh session vs one `ssh` process per \
         command, on {rt_host} (simulated, no latency) and on OpenSSH sshd on loopback{}.",
        match &sshd_shell {
            Some(note) => format!(" ({note})"),
            None => String::new(),
        }
    );
    println!("- Machine: {} CPUs; {ssh_version}; russh 0.65.", cpus());
    println!();
    println!("| Measurement | powerdeck (russh) | Reference | Ratio | Goal | Result |");
    println!("|---|---|---|---|---|---|");
    let ratio = cold.as_secs_f64() / chain_time.as_secs_f64();
    println!(
        "| Full refresh, cold ({} logins incl.), vs slowest host's critical path ({}: {} rounds × {ms} ms) | {} | {} | {:.2} × | ≤ {GOAL_CRITICAL_PATH_RATIO} × | {} |",
        hosts.len(),
        slowest.host,
        slowest.rounds(),
        secs(cold),
        secs(chain_time),
        ratio,
        verdict(ratio <= GOAL_CRITICAL_PATH_RATIO),
    );
    let warm_ratio = warm.as_secs_f64() / chain_time.as_secs_f64();
    println!(
        "| Full refresh, warm sessions, vs the same critical path | {} | {} | {:.2} × | ≤ {GOAL_CRITICAL_PATH_RATIO} × | {} |",
        secs(warm),
        secs(chain_time),
        warm_ratio,
        verdict(warm_ratio <= GOAL_CRITICAL_PATH_RATIO),
    );
    println!(
        "| Full refresh, cold, vs the channel floor ({} rounds of {ms} ms at {max_channels} channels) | {} | {} | {:.2} × | — | info |",
        slowest.channel_floor,
        secs(cold),
        secs(floor_time),
        cold.as_secs_f64() / floor_time.as_secs_f64(),
    );
    let speedup = baseline_secs / cold.as_secs_f64();
    println!(
        "| Full refresh, cold, vs naive sequential `ssh host cmd` loop ({total} commands{}) | {} | {} | {:.0} × faster | ≥ {GOAL_BASELINE_SPEEDUP} × | {} |",
        if full_baseline {
            String::new()
        } else {
            format!(", extrapolated from {} measured", sample.len())
        },
        secs(cold),
        secs_f(baseline_secs),
        speedup,
        verdict(speedup >= GOAL_BASELINE_SPEEDUP),
    );
    let rt = sim_russh / sim_ssh;
    println!(
        "| Exec round-trips/s, simulated host: one russh session vs one `ssh` per command | {} /s | {} /s | {:.0} × | ≥ {GOAL_ROUND_TRIP_RATIO} × | {} |",
        thousands(sim_russh),
        thousands(sim_ssh),
        rt,
        verdict(rt >= GOAL_ROUND_TRIP_RATIO),
    );
    match sshd_figures {
        Some((russh, ssh)) => {
            let rt = russh / ssh;
            println!(
                "| Exec round-trips/s, OpenSSH sshd: one russh session vs one `ssh` per command | {} /s | {} /s | {:.0} × | ≥ {GOAL_ROUND_TRIP_RATIO} × | {} |",
                thousands(russh),
                thousands(ssh),
                rt,
                verdict(rt >= GOAL_ROUND_TRIP_RATIO),
            );
        }
        None => println!(
            "| Exec round-trips/s, OpenSSH sshd | — | — | — | ≥ {GOAL_ROUND_TRIP_RATIO} × | SKIPPED (no sshd) |"
        ),
    }
    println!();
    Ok(all_pass)
}

// ---------------------------------------------------------------------------------------
// The refresh and what it sent.

/// One command the refresh sent, and when (relative to the refresh's start).
#[derive(Debug, Clone)]
struct Sent {
    source: String,
    line: String,
    start: Duration,
    end: Duration,
    ok: bool,
    stdout: String,
}

/// A transport that records every command it passes on.
struct Recording<T> {
    inner: T,
    epoch: Mutex<Instant>,
    log: Mutex<Vec<Sent>>,
}

impl<T> Recording<T> {
    fn new(inner: T) -> Self {
        Recording {
            inner,
            epoch: Mutex::new(Instant::now()),
            log: Mutex::new(Vec::new()),
        }
    }

    /// Starts a new log, timed from now.
    fn restart(&self) {
        *lock(&self.epoch) = Instant::now();
        lock(&self.log).clear();
    }

    fn take(&self) -> Vec<Sent> {
        std::mem::take(&mut *lock(&self.log))
    }
}

impl<T: Exec> Exec for Recording<T> {
    async fn exec(&self, source: &str, line: String) -> Result<CommandOutput, ExecError> {
        let epoch = *lock(&self.epoch);
        let start = epoch.elapsed();
        let result = self.inner.exec(source, line.clone()).await;
        let end = epoch.elapsed();
        let (ok, stdout) = match &result {
            Ok(output) => (output.exit_status == Some(0), output.stdout.clone()),
            Err(_) => (false, String::new()),
        };
        lock(&self.log).push(Sent {
            source: source.to_string(),
            line,
            start,
            end,
            ok,
            stdout,
        });
        result
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn timed_refresh<T: Exec>(
    runtime: &tokio::runtime::Runtime,
    transport: &Arc<Recording<T>>,
    sources: &[Source],
) -> (Duration, Vec<Sent>, Vec<SourceSnapshot>) {
    transport.restart();
    let started = Instant::now();
    let snapshots = runtime.block_on(refresh::refresh_all(transport.clone(), sources));
    let took = started.elapsed();
    (took, transport.take(), snapshots)
}

struct Counts {
    systems: usize,
    lpars: usize,
    wpars: usize,
    nim_objects: usize,
}

/// Every command exited 0, every source is `ok`, and every object of the estate is in
/// the snapshot.
fn verify(snapshots: &[SourceSnapshot], log: &[Sent]) -> Result<Counts, Failure> {
    if let Some(failed) = log.iter().find(|sent| !sent.ok) {
        return Err(format!(
            "{} on {} did not exit 0",
            failed.line, failed.source
        ));
    }
    let mut counts = Counts {
        systems: 0,
        lpars: 0,
        wpars: 0,
        nim_objects: 0,
    };
    for snapshot in snapshots {
        if snapshot.status != SourceStatus::Ok {
            return Err(format!(
                "{} is {:?}: {}",
                snapshot.name,
                snapshot.status,
                snapshot.problems.join("; ")
            ));
        }
        match &snapshot.data {
            SourceData::Hmc(systems) => {
                counts.systems += systems.len();
                counts.lpars += systems.iter().map(|s| s.lpars.len()).sum::<usize>();
            }
            SourceData::Aix(wpars) => counts.wpars += wpars.len(),
            SourceData::Nim(objects) => counts.nim_objects += objects.len(),
            SourceData::Empty => return Err(format!("{} has no data", snapshot.name)),
        }
    }
    let expected = (SYSTEMS, LPARS, WPARS, NIM_OBJECTS);
    let got = (
        counts.systems,
        counts.lpars,
        counts.wpars,
        counts.nim_objects,
    );
    if got != expected {
        return Err(format!(
            "the snapshot holds (systems, LPARs, WPARs, NIM objects) = {got:?}, not {expected:?}"
        ));
    }
    Ok(counts)
}

/// One host's dependency chain, from the commands the refresh sent it.
struct CriticalPath {
    host: String,
    /// Commands sent to the host.
    commands: usize,
    /// Commands that must run one after the other: the host-wide ones (before the
    /// per-system fan-out), then one per-system (`-m SYSTEM`) round, since
    /// `src/refresh/hmc.rs` asks for a system's listings at the same time.
    chain: usize,
    /// Waves of at most `max_channels` commands the host needs at least: the host-wide
    /// commands, then the per-system commands packed `max_channels` at a time (never
    /// fewer than the longest per-system sequence).
    channel_floor: usize,
}

impl CriticalPath {
    /// Rounds of one latency the host needs at least: its chain, or its channel floor
    /// when the channel bound holds it back more.
    fn rounds(&self) -> usize {
        self.chain.max(self.channel_floor)
    }
}

fn critical_paths(log: &[Sent], max_channels: usize) -> Vec<CriticalPath> {
    let mut by_host: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for sent in log {
        by_host.entry(&sent.source).or_default().push(&sent.line);
    }
    by_host
        .into_iter()
        .map(|(host, lines)| {
            let mut host_wide = 0;
            let mut per_system: HashMap<String, usize> = HashMap::new();
            for line in &lines {
                match managed_system(line) {
                    Some(system) => *per_system.entry(system).or_default() += 1,
                    None => host_wide += 1,
                }
            }
            let longest = per_system.values().copied().max().unwrap_or(0);
            let fanned: usize = per_system.values().sum();
            CriticalPath {
                host: host.to_string(),
                commands: lines.len(),
                chain: host_wide + longest.min(1),
                channel_floor: host_wide + fanned.div_ceil(max_channels.max(1)),
            }
        })
        .collect()
}

/// The `-m SYSTEM` argument of an HMC command line.
fn managed_system(line: &str) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    words
        .windows(2)
        .find(|pair| pair[0] == "-m")
        .map(|pair| pair[1].trim_matches(['\'', '"']).to_string())
}

// ---------------------------------------------------------------------------------------
// Round-trips.

/// Sequential `echo x` execs on one session for [`RUSSH_LOOP`]: execs per second.
async fn russh_round_trips(session: &Session) -> Result<f64, Failure> {
    let echo = || async {
        let output = session
            .exec("echo x", STEP)
            .await
            .map_err(|e| e.to_string())?;
        if output.stdout != "x\n" || output.exit_status != Some(0) {
            return Err(format!("echo x answered {output:?}"));
        }
        Ok::<(), Failure>(())
    };
    for _ in 0..20 {
        echo().await?;
    }
    let started = Instant::now();
    let mut count = 0u32;
    while started.elapsed() < RUSSH_LOOP {
        echo().await?;
        count += 1;
    }
    Ok(f64::from(count) / started.elapsed().as_secs_f64())
}

/// How the OpenSSH client logs in to one host, as an admin's loop would.
struct SshLogin {
    port: u16,
    user: String,
    key: PathBuf,
    known_hosts: PathBuf,
}

impl SshLogin {
    /// `ssh -o BatchMode=yes -i KEY -o UserKnownHostsFile=... -p PORT user@127.0.0.1 LINE`,
    /// with no ssh_config and no agent so that nothing of this machine's setup (a
    /// ControlMaster, say) changes what is measured.
    fn command(&self, line: &str) -> Command {
        let mut command = Command::new("ssh");
        command
            .arg("-F")
            .arg("/dev/null")
            .args(["-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-i"])
            .arg(&self.key)
            .arg("-o")
            .arg(format!("UserKnownHostsFile={}", self.known_hosts.display()))
            .args([
                "-o",
                "GlobalKnownHostsFile=/dev/null",
                "-o",
                "StrictHostKeyChecking=yes",
                "-p",
            ])
            .arg(self.port.to_string())
            .arg(format!("{}@127.0.0.1", self.user))
            .arg(line)
            .env_remove("SSH_AUTH_SOCK")
            .stdin(Stdio::null());
        command
    }

    /// Runs `line` in a fresh `ssh` process: how long it took, and its stdout.
    fn run(&self, line: &str) -> Result<(Duration, String), Failure> {
        let started = Instant::now();
        let output = self
            .command(line)
            .output()
            .map_err(|e| format!("cannot run ssh: {e}"))?;
        let took = started.elapsed();
        if !output.status.success() {
            return Err(format!(
                "ssh -p {} {}@127.0.0.1 {line:?} failed ({}): {}",
                self.port,
                self.user,
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        Ok((took, String::from_utf8_lossy(&output.stdout).into_owned()))
    }

    /// One `ssh ... 'echo x'` process after the other for [`SSH_LOOP`]: execs per second.
    fn round_trips(&self) -> Result<f64, Failure> {
        let (_, stdout) = self.run("echo x")?;
        if stdout != "x\n" {
            return Err(format!("ssh echo x printed {stdout:?}"));
        }
        let started = Instant::now();
        let mut count = 0u32;
        while started.elapsed() < SSH_LOOP || count < 3 {
            self.run("echo x")?;
            count += 1;
        }
        Ok(f64::from(count) / started.elapsed().as_secs_f64())
    }
}

// ---------------------------------------------------------------------------------------
// A real OpenSSH sshd on loopback (the minimal part of tests/common/sshd.rs).

struct Sshd {
    child: Child,
    /// How sshd's login shell starts: whether `~/.bashrc` was hidden.
    shell_note: String,
    log: PathBuf,
    target: Target,
    settings: Settings,
    login: SshLogin,
}

impl Sshd {
    /// Starts sshd in `parent/sshd` with fresh keys on a free loopback port. The login
    /// shell's `~/.bashrc` (which can start pyenv and the like: hundreds of ms per
    /// command) is hidden in a private mount namespace when `unshare` allows it.
    fn start(parent: &Path) -> Result<Sshd, Failure> {
        if !Path::new(SSHD).exists() {
            return Err(format!(
                "{SSHD} is missing (apt-get install openssh-server)"
            ));
        }
        let _ = fs::create_dir_all("/run/sshd");
        let dir = parent.join("sshd");
        fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let host_key = write_key(&dir.join("host_ed25519"))?;
        let client_key = write_key(&dir.join("client_ed25519"))?;
        let public = |key: &PrivateKey| {
            key.public_key()
                .to_openssh()
                .map_err(|e| format!("encode a public key: {e}"))
        };
        fs::write(dir.join("authorized_keys"), public(&client_key)? + "\n")
            .map_err(|e| e.to_string())?;
        let user = std::env::var("USER")
            .ok()
            .filter(|u| !u.is_empty())
            .or_else(|| {
                Command::new("id")
                    .arg("-un")
                    .output()
                    .ok()
                    .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            })
            .ok_or("cannot tell the current user")?;
        let empty_rc = dir.join("empty_bashrc");
        fs::write(&empty_rc, "").map_err(|e| e.to_string())?;
        let bashrc = std::env::var_os("HOME")
            .map(|home| Path::new(&home).join(".bashrc"))
            .filter(|path| path.exists());
        let log = dir.join("sshd.log");
        let mut last_error = String::new();
        for hide_rc in [true, false] {
            if hide_rc && bashrc.is_none() {
                continue;
            }
            let port = free_port()?;
            let config = dir.join("sshd_config");
            fs::write(&config, sshd_config(&dir, port)).map_err(|e| e.to_string())?;
            let known_hosts = dir.join("known_hosts");
            fs::write(
                &known_hosts,
                format!("[127.0.0.1]:{port} {}\n", public(&host_key)?),
            )
            .map_err(|e| e.to_string())?;
            let log_file = fs::File::create(&log).map_err(|e| e.to_string())?;
            let log_err = log_file.try_clone().map_err(|e| e.to_string())?;
            let mut command = match (&bashrc, hide_rc) {
                (Some(bashrc), true) => {
                    let mut command = Command::new("unshare");
                    command
                        .args(["--mount", "--propagation", "private", "/bin/sh", "-c"])
                        .arg("set -e; mount --bind \"$3\" \"$4\"; exec \"$1\" -D -e -f \"$2\"")
                        .arg("sh")
                        .arg(SSHD)
                        .arg(&config)
                        .arg(&empty_rc)
                        .arg(bashrc);
                    command
                }
                _ => {
                    let mut command = Command::new(SSHD);
                    command.arg("-D").arg("-e").arg("-f").arg(&config);
                    command
                }
            };
            let mut child = command
                .stdin(Stdio::null())
                .stdout(Stdio::from(log_file))
                .stderr(Stdio::from(log_err))
                .spawn()
                .map_err(|e| format!("cannot start sshd: {e}"))?;
            match wait_listening(&mut child, port) {
                Ok(()) => {
                    let shell_note = match (&bashrc, hide_rc) {
                        (Some(rc), true) => format!("{} hidden from the login shell", rc.display()),
                        (Some(rc), false) => {
                            eprintln!(
                                "note: sshd runs commands with {} (could not hide it: \
                                 {last_error}); its start-up is part of every sshd round-trip",
                                rc.display()
                            );
                            format!("with {}: could not hide it", rc.display())
                        }
                        (None, _) => "no ~/.bashrc to hide".to_string(),
                    };
                    let client_file = dir.join("client_ed25519");
                    let mut target = Target::new("sshd", "127.0.0.1", user.clone());
                    target.port = port;
                    target.identity_files = vec![client_file.clone()];
                    let settings = Settings::new(known_hosts.clone());
                    return Ok(Sshd {
                        child,
                        shell_note,
                        log,
                        target,
                        settings,
                        login: SshLogin {
                            port,
                            user,
                            key: client_file,
                            known_hosts,
                        },
                    });
                }
                Err(why) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    last_error = format!("{why}: {}", fs::read_to_string(&log).unwrap_or_default());
                }
            }
        }
        Err(last_error)
    }

    fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn sshd_config(dir: &Path, port: u16) -> String {
    let dir = dir.display();
    format!(
        "ListenAddress 127.0.0.1:{port}\n\
         HostKey {dir}/host_ed25519\n\
         PidFile {dir}/sshd.pid\n\
         AuthorizedKeysFile {dir}/authorized_keys\n\
         UsePAM no\n\
         StrictModes no\n\
         PubkeyAuthentication yes\n\
         PasswordAuthentication no\n\
         KbdInteractiveAuthentication no\n\
         PermitRootLogin prohibit-password\n\
         MaxSessions 10\n\
         MaxStartups 100\n\
         PrintMotd no\n\
         LogLevel ERROR\n"
    )
}

/// A fresh ed25519 key written in OpenSSH format, mode 0600.
fn write_key(path: &Path) -> Result<PrivateKey, Failure> {
    let key = client_files::client_key().map_err(|e| e.to_string())?;
    key.write_openssh_file(path, LineEnding::LF)
        .map_err(|e| format!("write {}: {e}", path.display()))?;
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600)).map_err(|e| e.to_string())?;
    Ok(key)
}

fn free_port() -> Result<u16, Failure> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

fn wait_listening(child: &mut Child, port: u16) -> Result<(), Failure> {
    let address: SocketAddr = ([127, 0, 0, 1], port).into();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("sshd exited ({status})"));
        }
        if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    Err(format!("sshd did not listen on {address} within 10 s"))
}

// ---------------------------------------------------------------------------------------
// Small things.

struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn new(prefix: &str) -> Result<TempDir, Failure> {
        let path = std::env::temp_dir().join(format!("{prefix}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).map_err(|e| format!("create {}: {e}", path.display()))?;
        Ok(TempDir { path })
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

fn require_ssh_client() -> Result<(), Failure> {
    Command::new("ssh")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|_| ())
        .map_err(|e| format!("the OpenSSH client `ssh` is needed for the baseline: {e}"))
}

fn ssh_version() -> String {
    Command::new("ssh")
        .arg("-V")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stderr).trim().to_string())
        .unwrap_or_else(|_| "ssh (version unknown)".to_string())
}

fn cpus() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

fn progress(what: &str) {
    eprintln!("refresh bench: {what}");
}

fn secs(duration: Duration) -> String {
    secs_f(duration.as_secs_f64())
}

fn secs_f(seconds: f64) -> String {
    if seconds >= 10.0 {
        format!("{seconds:.1} s")
    } else {
        format!("{seconds:.2} s")
    }
}

/// `sys_time=...` (the HMC's clock, which moves between two runs of a command) blanked.
fn without_clock(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("sys_time=") {
        let value = at + "sys_time=".len();
        out.push_str(&rest[..value]);
        let end = rest[value..]
            .find([',', '\n'])
            .map_or(rest.len(), |len| value + len);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `3,412` for 3412.4.
fn thousands(value: f64) -> String {
    if value < 100.0 {
        return format!("{value:.1}");
    }
    let digits = format!("{:.0}", value);
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}
