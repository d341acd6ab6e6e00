//! `scripts/test`, the README's test command, with stand-ins for `dpkg-query`,
//! `apt-get`, `sudo`, `id` and `cargo` that log how they were called: it installs only
//! what is missing (one `apt-get update`, with sudo when not root), reinstalls nothing,
//! and where it cannot install it stops before `cargo` and names the command to run.

mod common;

use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::home::TempDir;

/// What the stand-ins see: which packages are installed, who runs the script, which
/// commands exist, and whether `apt-get` works.
struct Machine {
    installed: &'static str,
    uid: u32,
    sudo: bool,
    apt: bool,
    dpkg: bool,
    apt_fails: bool,
}

const EVERYTHING: &str = "openssh-server openssh-client tmux bash";
const FRESH: &str = "openssh-client bash";

impl Machine {
    fn fresh_root() -> Machine {
        Machine {
            installed: FRESH,
            uid: 0,
            sudo: false,
            apt: true,
            dpkg: true,
            apt_fails: false,
        }
    }
}

/// What the script did: its exit status, its stderr, and the logged calls.
struct Run {
    code: Option<i32>,
    stderr: String,
    calls: Vec<String>,
}

impl Run {
    fn called(&self, start: &str) -> Vec<&str> {
        self.calls
            .iter()
            .map(String::as_str)
            .filter(|call| call.starts_with(start))
            .collect()
    }
}

fn stub(dir: &Path, name: &str, body: &str) {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write a stand-in");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

fn run_script(machine: &Machine, args: &[&str]) -> Run {
    let dir = TempDir::new("test-script");
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).expect("create the stand-ins' directory");
    let log = dir.path().join("calls");
    let record = format!("echo \"$(basename \"$0\") $*\" >> '{}'", log.display());
    for real in ["dirname", "basename", "env", "cat"] {
        let target = ["/usr/bin", "/bin"]
            .iter()
            .map(|dir| PathBuf::from(dir).join(real))
            .find(|path| path.exists())
            .unwrap_or_else(|| panic!("no {real} in /usr/bin or /bin"));
        symlink(target, bin.join(real)).expect("link a real tool");
    }
    stub(&bin, "id", &format!("echo {}", machine.uid));
    stub(&bin, "cargo", &record);
    if machine.dpkg {
        stub(
            &bin,
            "dpkg-query",
            &format!(
                "{record}\nfor package; do :; done\nfor p in {}; do\n  [ \"$p\" = \"$package\" ] && {{ printf 'install ok installed'; exit 0; }}\ndone\nexit 1",
                machine.installed
            ),
        );
    }
    if machine.apt {
        let status = if machine.apt_fails { 100 } else { 0 };
        stub(&bin, "apt-get", &format!("{record}\nexit {status}"));
    }
    if machine.sudo {
        stub(&bin, "sudo", &format!("{record}\nexec \"$@\""));
    }
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/test");
    let out = Command::new(&script)
        .args(args)
        .env("PATH", &bin)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap_or_else(|err| panic!("run {}: {err}", script.display()));
    let calls = std::fs::read_to_string(&log).unwrap_or_default();
    Run {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        calls: calls.lines().map(str::to_string).collect(),
    }
}

#[test]
fn with_everything_installed_it_only_runs_the_suite() {
    let machine = Machine {
        installed: EVERYTHING,
        ..Machine::fresh_root()
    };
    let run = run_script(&machine, &["--test", "inventory"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.called("dpkg-query").len(), 4, "{:?}", run.calls);
    assert!(run.called("apt-get").is_empty(), "{:?}", run.calls);
    assert_eq!(run.called("cargo"), ["cargo test --test inventory"]);
}

#[test]
fn as_root_it_installs_what_is_missing_with_one_update() {
    let run = run_script(&Machine::fresh_root(), &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.called("apt-get"),
        [
            "apt-get update -qq",
            "apt-get install -y -qq --no-install-recommends openssh-server tmux"
        ]
    );
    assert_eq!(run.calls.last().map(String::as_str), Some("cargo test"));
}

#[test]
fn as_a_user_it_installs_with_sudo() {
    let machine = Machine {
        uid: 1000,
        sudo: true,
        ..Machine::fresh_root()
    };
    let run = run_script(&machine, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.called("sudo"),
        [
            "sudo apt-get update -qq",
            "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
             --no-install-recommends openssh-server tmux"
        ]
    );
    assert_eq!(run.called("cargo"), ["cargo test"]);
}

#[test]
fn without_root_or_sudo_it_stops_before_building_and_names_the_command() {
    let machine = Machine {
        uid: 1000,
        ..Machine::fresh_root()
    };
    let run = run_script(&machine, &[]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains(
            "su -c 'apt-get update && apt-get install -y --no-install-recommends \
             openssh-server tmux'"
        ),
        "{}",
        run.stderr
    );
    assert!(run.called("apt-get").is_empty(), "{:?}", run.calls);
    assert!(run.called("cargo").is_empty(), "{:?}", run.calls);
}

#[test]
fn when_apt_fails_it_stops_before_building_and_names_the_command() {
    let machine = Machine {
        uid: 1000,
        sudo: true,
        apt_fails: true,
        ..Machine::fresh_root()
    };
    let run = run_script(&machine, &[]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains(
            "apt-get update && apt-get install -y --no-install-recommends openssh-server tmux"
        ),
        "{}",
        run.stderr
    );
    assert!(run.called("cargo").is_empty(), "{:?}", run.calls);
}

#[test]
fn without_apt_it_stops_before_building_and_names_what_is_missing() {
    let machine = Machine {
        apt: false,
        dpkg: false,
        ..Machine::fresh_root()
    };
    let run = run_script(&machine, &[]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("ssh ssh-keygen ssh-agent ssh-add tmux bash")
            && run.stderr.contains("no apt-get here"),
        "{}",
        run.stderr
    );
    assert!(run.called("cargo").is_empty(), "{:?}", run.calls);
}
