//! `powerdeck inventory` as a user runs it: the real binary, over real SSH, against the
//! demo estate, against simulated hosts with faults, and against a real OpenSSH sshd.

mod common;

use std::time::{Duration, Instant};

use common::home::Home;
use common::sim::SimLab;
use common::sshd::Sshd;
use powerdeck::config::SourceKind;
use powerdeck::refresh::{self, Source, SourceStatus};
use powerdeck::sim::client_files;
use powerdeck::sim::Estate;
use serde_json::Value;

fn powerdeck(args: &[&str]) -> (i32, Value, String) {
    let home = Home::new("inventory");
    let out = home.powerdeck().args(args).output().expect("run powerdeck");
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn count(json: &Value, kind: &str) -> usize {
    json[kind].as_array().map_or(0, Vec::len)
}

#[test]
fn demo_inventory_has_every_object_kind() {
    let (code, json, stderr) = powerdeck(&["--demo", "inventory", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(count(&json, "sources"), 6);
    assert!(json["sources"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["status"] == "ok" && s["error"].is_null() && s["fetched_at"].is_string()));
    assert_eq!(count(&json, "systems"), 7);
    assert_eq!(count(&json, "lpars"), 62);
    assert!(count(&json, "rspool_devices") >= 1);
    assert_eq!(count(&json, "wpars"), 8);
    assert_eq!(count(&json, "nim_objects"), 45);
    let systems = json["systems"].as_array().unwrap();
    let failed = systems.iter().find(|s| s["name"] == "s824-01").unwrap();
    assert_eq!(failed["state"], "Error - Dump in progress");
    let off = systems.iter().find(|s| s["name"] == "s922-02").unwrap();
    assert_eq!(off["state"], "Power Off");
    assert!(
        off["firmware"].is_null(),
        "no levels from a powered-off system"
    );
    let running = systems.iter().find(|s| s["name"] == "e980-01").unwrap();
    assert!(running["firmware"]["activated_level"].is_u64());
    let lpar = json["lpars"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "prdapp03")
        .unwrap();
    for field in [
        "hmc",
        "system",
        "lpar_id",
        "lpar_env",
        "state",
        "os_version",
        "rmc_state",
        "remote_restart_capable",
        "simplified_remote_restart_capable",
        "remote_restart_status",
        "migration_state",
    ] {
        assert!(lpar.get(field).is_some(), "lpar field {field}");
    }
    assert_eq!(lpar["remote_restart_status"], "Remote Restartable");
    let wpar = &json["wpars"][0];
    assert!(
        ["Active", "Defined", "Transitional", "Broken"].contains(&wpar["state"].as_str().unwrap())
    );
    let stuck = json["nim_objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "tstdb02")
        .unwrap();
    assert_eq!(
        stuck["Cstate"],
        "Base Operating System installation is being performed"
    );
    assert!(stuck["attributes"]["info"]
        .as_str()
        .unwrap()
        .contains("BOS install"));
}

#[test]
fn demo_inventory_as_csv_tables() {
    let home = Home::new("inventory-csv");
    let out = home
        .powerdeck()
        .args(["--demo", "inventory", "--csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let tables: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("# ")).collect();
    assert_eq!(
        tables,
        [
            "sources",
            "systems",
            "lpars",
            "rspool_devices",
            "wpars",
            "nim_objects"
        ]
    );
    assert!(text.contains("\nhmc,system,name,lpar_id,lpar_env,state,"));
    assert!(text.contains(",Error - Dump in progress,"));
}

#[test]
fn a_bad_config_exits_1_naming_file_and_line() {
    let dir = std::env::temp_dir().join(format!("powerdeck-badcfg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.toml");
    std::fs::write(
        &path,
        "[[hmc]]\nname = \"a\"\nhost = \"b\"\npassword = \"x\"\n",
    )
    .unwrap();
    let (code, _, stderr) = powerdeck(&["--config", path.to_str().unwrap(), "inventory", "--json"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(&format!("{}:4:", path.display())),
        "{stderr}"
    );
    assert!(stderr.contains("password_env"));
    let _ = std::fs::remove_dir_all(&dir);
}

const SMALL: &str = r#"
[[hmc]]
name = "hmc01"
[[hmc.systems]]
name = "p9-01"
type_model = "9009-42A"
serial_num = "7800AAA"
memory_mb = 262144
proc_units = 20.0
firmware = { ecnumber = "01VL940", release = "FW940", activated_level = 55, installed_level = 55, accepted_level = 55 }
[[hmc.systems.lpars]]
name = "app01"
id = 3
memory_mb = 8192
proc_units = 1.0

[[hmc]]
name = "hmc02"
[[hmc.systems]]
name = "p9-02"
type_model = "9009-42A"
serial_num = "7800BBB"
memory_mb = 262144
proc_units = 20.0

[[aix]]
name = "aix01"
oslevel = "7200-05-06-2320"
[[aix.wpars]]
name = "wp01"
state = "A"

[[nim]]
name = "nim01"
[[nim.objects]]
name = "master"
class = "machines"
type = "master"
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_host_key_stall_and_drop_fail_only_their_source() {
    let lab = SimLab::start(Estate::from_toml(SMALL, "test").unwrap(), 1.0).await;
    let (simulator, files, dir) = (&lab.simulator, &lab.files, &lab.dir);
    // hmc02's known key is replaced by another key: the refresh must refuse it.
    let known = std::fs::read_to_string(&files.known_hosts).unwrap();
    let hmc02 = simulator.hosts.iter().find(|h| h.name == "hmc02").unwrap();
    let other = client_files::client_key().unwrap();
    let forged = known
        .lines()
        .map(|line| {
            if line.starts_with(&format!("[127.0.0.1]:{} ", hmc02.addr.port())) {
                format!(
                    "[127.0.0.1]:{} {}",
                    hmc02.addr.port(),
                    other.public_key().to_openssh().unwrap()
                )
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&files.known_hosts, forged + "\n").unwrap();
    simulator.exec_local("aix01", "simctl fault aix01 stall");
    simulator.exec_local("nim01", "simctl fault nim01 drop");
    let mut text = std::fs::read_to_string(&files.config).unwrap();
    text = text.replace("command_timeout_secs = 120", "command_timeout_secs = 2");
    text = text.replace("connect_timeout_secs = 10", "connect_timeout_secs = 2");
    let config = powerdeck::config::Config::parse(&text, "sim.toml").unwrap();
    let mut settings = config.ssh_settings();
    settings.agent = None;
    let transport = std::sync::Arc::new(powerdeck::ssh::SshTransport::new(
        settings,
        config.ssh_targets_with(None),
    ));
    let sources: Vec<Source> = config
        .sources
        .iter()
        .map(|s| Source {
            name: s.name.clone(),
            kind: s.kind,
            interval: Duration::from_secs(30),
        })
        .collect();
    let started = Instant::now();
    let snapshots = refresh::refresh_all(transport, &sources).await;
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "a stalled host is bounded by the timeout"
    );
    let by_name = |name: &str| snapshots.iter().find(|s| s.name == name).unwrap();
    assert_eq!(
        by_name("hmc01").status,
        SourceStatus::Ok,
        "{:?}",
        by_name("hmc01").problems
    );
    let forged = by_name("hmc02");
    assert_eq!(forged.status, SourceStatus::Error);
    assert_eq!(forged.kind, SourceKind::Hmc);
    assert!(
        forged
            .error
            .as_deref()
            .unwrap()
            .to_lowercase()
            .contains("host key"),
        "{:?}",
        forged.error
    );
    assert_eq!(
        forged.data,
        refresh::SourceData::Empty,
        "nothing from a host with a changed key"
    );
    let stalled = by_name("aix01");
    assert_eq!(stalled.status, SourceStatus::Error);
    assert!(
        stalled
            .error
            .as_deref()
            .unwrap()
            .contains("did not finish within 2 s"),
        "{:?}",
        stalled.error
    );
    assert_eq!(by_name("nim01").status, SourceStatus::Error);

    // The binary: same config, exit status 2, everything collected still printed.
    let path = dir.join("faulty.toml");
    std::fs::write(&path, &text).unwrap();
    let home = Home::new("inventory-faulty");
    let mut command = home.powerdeck();
    command.args(["--config", path.to_str().unwrap(), "inventory", "--json"]);
    let out = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(count(&json, "systems"), 1, "hmc01's system is still there");
    assert_eq!(count(&json, "lpars"), 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("hmc02 (error)"), "{stderr}");
}

#[test]
fn refresh_never_sends_a_changing_command() {
    struct Recorder(std::sync::Mutex<Vec<String>>);
    impl powerdeck::exec::Exec for Recorder {
        async fn exec(
            &self,
            _source: &str,
            line: String,
        ) -> Result<powerdeck::exec::CommandOutput, powerdeck::exec::ExecError> {
            self.0.lock().unwrap().push(line);
            Ok(powerdeck::exec::CommandOutput::new("", "", 0))
        }
    }
    let recorder = Recorder(Default::default());
    let change = powerdeck::sources::hmc::commands::migrlpar(
        "a",
        "b",
        powerdeck::sources::hmc::commands::MigrationOp::Stop,
    )
    .unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let refused = runtime.block_on(powerdeck::sources::read(&recorder, "hmc01", &change));
    assert!(refused
        .unwrap_err()
        .message
        .contains("refusing to run a changing command"));
    assert!(recorder.0.lock().unwrap().is_empty());
}

#[test]
fn inventory_against_a_real_openssh_server() {
    let sshd = Sshd::start();
    let dir = sshd.dir.join("powerdeck");
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[ssh]\nknown_hosts = \"{}\"\n\n[[hmc]]\nname = \"hmc-real\"\nhost = \"127.0.0.1\"\nport = {}\nuser = \"{}\"\nidentity_file = \"{}\"\n",
            sshd.known_hosts.display(),
            sshd.port,
            sshd.user,
            sshd.client_key.display()
        ),
    )
    .unwrap();
    let (code, json, stderr) =
        powerdeck(&["--config", config.to_str().unwrap(), "inventory", "--json"]);
    assert_eq!(code, 0, "{stderr}\n{}", sshd.log());
    assert_eq!(json["sources"][0]["status"], "ok");
    assert_eq!(count(&json, "systems"), 2);
    assert_eq!(json["systems"][0]["firmware"]["accepted_level"], 80);
    assert!(json["systems"][1]["firmware"].is_null());
    assert_eq!(count(&json, "lpars"), 3);
    assert_eq!(json["lpars"][1]["migration_state"], "Not Migrating");
    assert_eq!(sshd.logins(), 1, "one session, many channels");
}

/// A host answering garbage keeps its last data, marked stale, instead of showing
/// nothing as fresh; bytes that are not UTF-8 are reported.
#[tokio::test]
async fn garbage_from_a_host_keeps_its_last_data_stale() {
    use powerdeck::exec::Exec;
    use powerdeck::refresh::{Source, SourceData, SourceStatus};
    use powerdeck::sim::local::LocalTransport;
    use powerdeck::sim::World;
    use std::sync::{Arc, Mutex};

    let world = Arc::new(Mutex::new(World::new(powerdeck::sim::Estate::demo())));
    let transport = Arc::new(LocalTransport::new(world.clone()));
    for (name, kind) in [
        ("aixprd01", powerdeck::config::SourceKind::Aix),
        ("nim01", powerdeck::config::SourceKind::Nim),
    ] {
        let source = Source {
            name: name.to_string(),
            kind,
            interval: std::time::Duration::from_secs(3600),
        };
        let first = refresh::refresh_source(transport.clone(), &source).await;
        assert_eq!(first.status, SourceStatus::Ok, "{first:?}");
        transport
            .exec(name, format!("simctl fault {name} garbage"))
            .await
            .unwrap();
        let second = refresh::refresh_source(transport.clone(), &source)
            .await
            .carry_over(&first);
        assert_eq!(second.status, SourceStatus::Error, "{name}: {second:?}");
        assert!(second.stale, "{name}: the last data is kept, marked stale");
        assert_eq!(second.data, first.data);
        assert!(
            second
                .error
                .as_deref()
                .unwrap()
                .contains("nothing in the output could be read"),
            "{second:?}"
        );
        assert!(!matches!(&second.data, SourceData::Empty));
        transport
            .exec(name, format!("simctl fault {name} recover"))
            .await
            .unwrap();
    }
}
