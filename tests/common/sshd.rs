//! A real OpenSSH sshd on loopback, serving a fake HMC, for the SSH transport tests.
//!
//! Each [`Sshd`] lives in its own temporary directory: its own ed25519 host key, an
//! authorized client key, a config (`UsePAM no`, `StrictModes no`, loopback port),
//! a log file, and `fake-hmc.sh`, the `ForceCommand` that answers by
//! `$SSH_ORIGINAL_COMMAND` the way an HMC would. Dropping it stops sshd and removes
//! the directory. Every wait is bounded.

use std::fs::{self, File};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use powerdeck::ssh::{Settings, Target};

/// Where the tests expect sshd; `scripts/test` installs it.
pub const SSHD: &str = "/usr/sbin/sshd";

/// The fake HMC: every command a test sends, and what it prints.
pub const FAKE_HMC: &str = r#"#!/bin/sh
# Fake HMC for powerdeck's OpenSSH tests: answers by $SSH_ORIGINAL_COMMAND.
case "$SSH_ORIGINAL_COMMAND" in
"LANG=C lssyscfg -r sys -F name,state")
    printf '%s\n' 'Server-9117-MMD-SN101F170,Operating' 'Server-8286-42A-SN21A4B7V,Power Off'
    ;;
"LANG=C lssyscfg -r sys")
    echo 'name=Server-9117-MMD-SN101F170,type_model=9117-MMD,serial_num=101F170,ipaddr=10.0.0.10,state=Operating,detailed_state=None,active_lpar_mobility_capable=1,powervm_lpar_remote_restart_capable=0'
    echo 'name=Server-8286-42A-SN21A4B7V,type_model=8286-42A,serial_num=21A4B7V,ipaddr=10.0.0.11,state=Power Off,detailed_state=None,active_lpar_mobility_capable=unavailable,powervm_lpar_remote_restart_capable=unavailable'
    ;;
"LANG=C lssyscfg -r lpar -m Server-9117-MMD-SN101F170")
    echo 'name=vios1,lpar_id=1,lpar_env=vioserver,state=Running,resource_config=1,os_version=VIOS 3.1.4.10,curr_profile=default,rmc_state=active,rmc_ipaddr=10.0.0.21,remote_restart_capable=0,simplified_remote_restart_capable=0'
    echo 'name=prdapp01,lpar_id=3,lpar_env=aixlinux,state=Running,resource_config=1,os_version=AIX 7.2 7200-05-06-2320,curr_profile=default,rmc_state=active,rmc_ipaddr=10.0.0.23,remote_restart_capable=0,simplified_remote_restart_capable=1,remote_restart_status=Remote Restartable'
    ;;
"LANG=C lssyscfg -r lpar -m Server-8286-42A-SN21A4B7V")
    echo 'name=tstapp01,lpar_id=2,lpar_env=aixlinux,state=Not Activated,resource_config=0,os_version=Unknown,curr_profile=,rmc_state=inactive,rmc_ipaddr=,remote_restart_capable=0,simplified_remote_restart_capable=0'
    ;;
"LANG=C lslic -m Server-9117-MMD-SN101F170 -t sys -F ecnumber,activated_level,installed_level,accepted_level,activated_spname")
    echo '01AM780,84,84,80,FW780.84'
    ;;
"LANG=C lslparmigr -r lpar -m Server-9117-MMD-SN101F170")
    echo 'name=vios1,lpar_id=1,migration_state=Not Migrating'
    echo 'name=prdapp01,lpar_id=3,migration_state=Not Migrating'
    ;;
"LANG=C lshwres -r rspool -m Server-9117-MMD-SN101F170 --rsubtype rsdev")
    echo 'No results were found.'
    ;;
"LANG=C rrstartlpar -o validate -m down -t up -p lpar1")
    echo "HSCLA9CE The managed system is not in a valid state to support partition remote restart operations."
    exit 1
    ;;
"warn")
    echo "partial listing"
    echo "warning: 1 system not reachable" >&2
    ;;
"exit "*)
    exit "${SSH_ORIGINAL_COMMAND#exit }"
    ;;
"sleep "*)
    exec sleep "${SSH_ORIGINAL_COMMAND#sleep }"
    ;;
"echo "*)
    printf '%s\n' "${SSH_ORIGINAL_COMMAND#echo }"
    ;;
"ppid")
    echo "$PPID"
    ;;
"flood")
    exec yes 'a host that floods its output ..................................................'
    ;;
"longline")
    head -c 300000 /dev/zero | tr '\0' x
    echo
    echo "after"
    ;;
"bulk")
    i=0
    while [ $i -lt 2000 ]; do
        echo "line $i of a long listing ........................................................"
        i=$((i + 1))
    done
    echo "done" >&2
    ;;
*)
    echo "fake-hmc: unknown command: $SSH_ORIGINAL_COMMAND" >&2
    exit 127
    ;;
esac
"#;

/// Options for [`Sshd::start_with`].
#[derive(Debug, Default, Clone)]
pub struct SshdOptions {
    /// Allow password logins as root with this password. sshd then runs in a private
    /// mount namespace (`unshare --mount`) where a copy of `/etc/shadow` holding this
    /// password is bind-mounted: the machine's accounts are not touched.
    pub root_password: Option<String>,
    /// Hide `~/.bashrc` from the login shell sshd runs commands with (Debian's bash
    /// reads it for SSH commands), so round-trip measurements time the transport, not
    /// the shell's start-up. Also uses a private mount namespace.
    pub plain_shell: bool,
}

impl SshdOptions {
    fn needs_namespace(&self) -> bool {
        self.root_password.is_some() || self.plain_shell
    }
}

/// A running sshd; stopped and cleaned up on drop.
pub struct Sshd {
    /// The temporary directory holding keys, config, log and the fake HMC.
    pub dir: PathBuf,
    /// The loopback port sshd listens on.
    pub port: u16,
    /// The user tests log in as (the user running the tests).
    pub user: String,
    /// `ssh-ed25519 AAAA...` of sshd's host key.
    pub host_key: String,
    /// A second ed25519 public key (`ssh-ed25519 AAAA...`), not sshd's: for
    /// changed-key tests.
    pub other_key: String,
    /// The private key sshd accepts (unencrypted).
    pub client_key: PathBuf,
    /// A private key sshd also accepts, encrypted with a passphrase.
    pub encrypted_key: PathBuf,
    /// A `known_hosts` file that holds sshd's host key for `[127.0.0.1]:port`.
    pub known_hosts: PathBuf,
    log: PathBuf,
    /// The local port of the readiness probe's connection, left out of [`Sshd::connections`].
    probe_port: u16,
    child: Child,
}

/// Runs a program to completion with a time limit; `Err` says what failed.
pub fn run(program: &str, args: &[&str], limit: Duration) -> Result<String, String> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| format!("cannot run {program}: {err}"))?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{program} {args:?} did not finish within {limit:?}"
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(err) => return Err(format!("waiting for {program}: {err}")),
        }
    }
    let output = child
        .wait_with_output()
        .map_err(|err| format!("reading {program}'s output: {err}"))?;
    if !output.status.success() {
        return Err(format!(
            "{program} {args:?} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn keygen(path: &Path, passphrase: &str) -> String {
    let path_text = path.to_str().expect("temp paths are UTF-8");
    run(
        "ssh-keygen",
        &[
            "-q", "-t", "ed25519", "-N", passphrase, "-C", "", "-f", path_text,
        ],
        Duration::from_secs(10),
    )
    .unwrap_or_else(|err| panic!("{err}"));
    let public = fs::read_to_string(path.with_extension("pub"))
        .unwrap_or_else(|err| panic!("cannot read {}.pub: {err}", path.display()));
    public.trim().to_string()
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    listener.local_addr().expect("local address").port()
}

fn current_user() -> String {
    run("id", &["-un"], Duration::from_secs(5))
        .map(|name| name.trim().to_string())
        .unwrap_or_else(|err| panic!("{err}"))
}

/// The home directory sshd gives the login shell of the user running the tests: the
/// password database's, whatever `HOME` says here (it may be unset or elsewhere).
fn login_home() -> Option<PathBuf> {
    let entry = run(
        "getent",
        &["passwd", &current_user()],
        Duration::from_secs(5),
    )
    .ok()?;
    let home = entry.trim_end().split(':').nth(5)?;
    (!home.is_empty()).then(|| PathBuf::from(home))
}

/// The message for a machine without sshd: tests fail (never silently pass) with it.
pub fn require_sshd() {
    assert!(
        Path::new(SSHD).exists(),
        "{SSHD} is missing: these tests run a real OpenSSH sshd on loopback. Run the \
         tests with scripts/test, which installs it (Debian: apt-get install \
         openssh-server openssh-client)"
    );
}

impl Sshd {
    /// Starts sshd with key logins only. Panics with a clear message when sshd is
    /// missing or does not come up.
    ///
    /// The login shell's start-up files are hidden where a private mount namespace is
    /// available (see [`SshdOptions::plain_shell`]): a user's `~/.bashrc` that prints to
    /// stderr (pyenv's rehash does, when shells start at the same time) would otherwise
    /// leak into the streams the tests check.
    pub fn start() -> Sshd {
        let plain = SshdOptions {
            plain_shell: true,
            ..SshdOptions::default()
        };
        Self::start_with(plain)
            .or_else(|_| Self::start_with(SshdOptions::default()))
            .unwrap_or_else(|err| panic!("{err}"))
    }

    /// Starts sshd with `options`. `Err` when an optional feature (the password
    /// namespace) is not available here; panics when sshd itself is missing.
    pub fn start_with(options: SshdOptions) -> Result<Sshd, String> {
        require_sshd();
        // sshd's privilege separation directory.
        let _ = fs::create_dir_all("/run/sshd");
        let dir = std::env::temp_dir().join(format!(
            "powerdeck-sshd-{}-{}",
            std::process::id(),
            rand::random::<u64>()
        ));
        fs::create_dir_all(&dir).expect("create the sshd temp dir");
        let dir_text = dir.to_str().expect("temp paths are UTF-8").to_string();

        let host_key = keygen(&dir.join("host_ed25519"), "");
        let other_key = keygen(&dir.join("other_ed25519"), "");
        let client_key = dir.join("client_ed25519");
        let client_public = keygen(&client_key, "");
        let encrypted_key = dir.join("encrypted_ed25519");
        let encrypted_public = keygen(&encrypted_key, "correct horse");
        fs::write(
            dir.join("authorized_keys"),
            format!("{client_public}\n{encrypted_public}\n"),
        )
        .expect("write authorized_keys");
        let fake_hmc = dir.join("fake-hmc.sh");
        fs::write(&fake_hmc, FAKE_HMC).expect("write the fake HMC");
        set_mode(&fake_hmc, 0o755);

        let user = current_user();
        let log = dir.join("sshd.log");
        let mut last_error = String::new();
        // A port picked free can be taken before sshd binds it: try a few.
        for _ in 0..5 {
            let port = free_port();
            let config = dir.join("sshd_config");
            fs::write(&config, sshd_config(&dir_text, port, &options)).expect("write sshd_config");
            let known_hosts = dir.join("known_hosts");
            fs::write(&known_hosts, format!("[127.0.0.1]:{port} {host_key}\n"))
                .expect("write known_hosts");
            let mut child = match spawn_sshd(&dir, &config, &log, &options) {
                Ok(child) => child,
                Err(err) => {
                    let _ = fs::remove_dir_all(&dir);
                    return Err(err);
                }
            };
            match wait_listening(&mut child, port, &log) {
                Ok(probe_port) => {
                    return Ok(Sshd {
                        dir,
                        port,
                        user,
                        host_key,
                        other_key,
                        client_key,
                        encrypted_key,
                        known_hosts,
                        log,
                        probe_port,
                        child,
                    })
                }
                Err(err) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    last_error = err;
                }
            }
        }
        let _ = fs::remove_dir_all(&dir);
        if options.needs_namespace() {
            Err(last_error)
        } else {
            panic!("{last_error}")
        }
    }

    /// A target for this sshd named `name`, logging in with the unencrypted key.
    pub fn target(&self, name: &str) -> Target {
        let mut target = Target::new(name, "127.0.0.1", self.user.clone());
        target.port = self.port;
        target.identity_files = vec![self.client_key.clone()];
        target
    }

    /// Settings using [`Sshd::known_hosts`], short test timeouts and no ssh-agent.
    pub fn settings(&self) -> Settings {
        let mut settings = Settings::new(self.known_hosts.clone());
        settings.agent = None;
        settings.connect_timeout = Duration::from_secs(10);
        settings.command_timeout = Duration::from_secs(20);
        settings.keepalive_interval = Duration::from_secs(5);
        settings
    }

    /// sshd's log so far.
    pub fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// How many logins sshd accepted so far (one per SSH connection).
    pub fn logins(&self) -> usize {
        self.log()
            .lines()
            .filter(|line| {
                line.contains("Accepted publickey for ") || line.contains("Accepted password for ")
            })
            .count()
    }

    /// How many TCP connections sshd accepted so far (logged in or not), not counting
    /// the readiness probe.
    pub fn connections(&self) -> usize {
        let probe = format!("Connection from 127.0.0.1 port {} ", self.probe_port);
        self.log()
            .lines()
            .filter(|line| line.contains("Connection from ") && !line.contains(&probe))
            .count()
    }

    /// `SHA256:...` of sshd's host key, from `ssh-keygen -l`.
    pub fn host_fingerprint(&self) -> String {
        let public = self.dir.join("host_ed25519.pub");
        let listing = run(
            "ssh-keygen",
            &["-l", "-f", public.to_str().expect("UTF-8 path")],
            Duration::from_secs(10),
        )
        .unwrap_or_else(|err| panic!("{err}"));
        listing
            .split_whitespace()
            .nth(1)
            .unwrap_or_else(|| panic!("unexpected ssh-keygen -l output: {listing}"))
            .to_string()
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

fn sshd_config(dir: &str, port: u16, options: &SshdOptions) -> String {
    let password = options.root_password.is_some();
    format!(
        "ListenAddress 127.0.0.1:{port}\n\
         HostKey {dir}/host_ed25519\n\
         PidFile {dir}/sshd.pid\n\
         AuthorizedKeysFile {dir}/authorized_keys\n\
         UsePAM no\n\
         StrictModes no\n\
         PubkeyAuthentication yes\n\
         PasswordAuthentication {}\n\
         KbdInteractiveAuthentication no\n\
         PermitRootLogin {}\n\
         ForceCommand {dir}/fake-hmc.sh\n\
         AllowTcpForwarding yes\n\
         MaxSessions 10\n\
         MaxStartups 100\n\
         PrintMotd no\n\
         LogLevel VERBOSE\n",
        if password { "yes" } else { "no" },
        if password { "yes" } else { "prohibit-password" },
    )
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .unwrap_or_else(|err| panic!("chmod {}: {err}", path.display()));
}

fn spawn_sshd(
    dir: &Path,
    config: &Path,
    log: &Path,
    options: &SshdOptions,
) -> Result<Child, String> {
    let log_file = File::create(log).map_err(|err| format!("create {}: {err}", log.display()))?;
    let log_file2 = log_file
        .try_clone()
        .map_err(|err| format!("clone log handle: {err}"))?;
    let mut command = if options.needs_namespace() {
        // Bind mounts made only inside sshd's own mount namespace.
        let mut mounts = Vec::new();
        if let Some(password) = &options.root_password {
            let shadow = dir.join("shadow");
            fs::write(&shadow, shadow_with_root_password(password)?)
                .map_err(|err| format!("write {}: {err}", shadow.display()))?;
            set_mode(&shadow, 0o600);
            mounts.push((shadow, PathBuf::from("/etc/shadow")));
        }
        if options.plain_shell {
            if let Some(home) = login_home() {
                let bashrc = home.join(".bashrc");
                if bashrc.exists() {
                    let empty = dir.join("empty_bashrc");
                    fs::write(&empty, "")
                        .map_err(|err| format!("write {}: {err}", empty.display()))?;
                    mounts.push((empty, bashrc));
                }
            }
        }
        let mut script = String::from("set -e\n");
        let mut args = Vec::new();
        for (index, (source, mount_point)) in mounts.iter().enumerate() {
            script.push_str(&format!(
                "mount --bind \"${}\" \"${}\"\n",
                2 * index + 3,
                2 * index + 4
            ));
            args.push(source.clone());
            args.push(mount_point.clone());
        }
        script.push_str("exec \"$1\" -D -e -f \"$2\"\n");
        let mut command = Command::new("unshare");
        command
            .args(["--mount", "--propagation", "private", "/bin/sh", "-c"])
            .arg(script)
            .arg("sh")
            .arg(SSHD)
            .arg(config)
            .args(args);
        command
    } else {
        let mut command = Command::new(SSHD);
        command.arg("-D").arg("-e").arg("-f").arg(config);
        command
    };
    command
        .stdin(Stdio::null())
        .stdout(Stdio::from(log_file))
        .stderr(Stdio::from(log_file2))
        .spawn()
        .map_err(|err| format!("cannot start {SSHD}: {err}"))
}

/// A copy of `/etc/shadow` with root's password set to `password` (SHA-512 crypt,
/// computed by perl's `crypt`, which perl-base always has).
fn shadow_with_root_password(password: &str) -> Result<String, String> {
    let current = fs::read_to_string("/etc/shadow")
        .map_err(|err| format!("cannot read /etc/shadow (not root?): {err}"))?;
    let salt = format!("{:016x}", rand::random::<u64>());
    let hash = run(
        "perl",
        &[
            "-e",
            r#"print crypt($ARGV[0], '$6$' . $ARGV[1] . '$')"#,
            password,
            &salt,
        ],
        Duration::from_secs(10),
    )?;
    if !hash.starts_with("$6$") {
        return Err(format!("perl crypt gave no SHA-512 hash: {hash}"));
    }
    let mut found = false;
    let lines: Vec<String> = current
        .lines()
        .map(|line| {
            let mut fields: Vec<&str> = line.split(':').collect();
            if fields.first() == Some(&"root") && fields.len() > 2 {
                found = true;
                fields[1] = &hash;
                // No "must change" or expiry surprises.
                fields[2] = "19000";
                fields.join(":")
            } else {
                line.to_string()
            }
        })
        .collect();
    if !found {
        return Err("no root entry in /etc/shadow".to_string());
    }
    Ok(lines.join("\n") + "\n")
}

/// Waits until sshd accepts connections; returns the local port of the probe
/// connection that got through (sshd logs it like any other).
fn wait_listening(child: &mut Child, port: u16, log: &Path) -> Result<u16, String> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!(
                "sshd exited ({status}) before listening on port {port}; its log:\n{}",
                fs::read_to_string(log).unwrap_or_default()
            ));
        }
        if let Ok(probe) =
            TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(200))
        {
            return probe
                .local_addr()
                .map(|address| address.port())
                .map_err(|err| format!("probe address: {err}"));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    Err(format!(
        "sshd did not listen on 127.0.0.1:{port} within 10 s; its log:\n{}",
        fs::read_to_string(log).unwrap_or_default()
    ))
}
