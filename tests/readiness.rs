//! `powerdeck readiness` on the demo estate: the real binary over SSH (the JSON shape,
//! every reason the demo shows, exit 2 when not covered, exit 1 on a usage error), and
//! in-process over [`LocalTransport`]: facts that cannot be read make partitions
//! `unknown`, and fixing a partition on the simulated HMC makes it ready on the next
//! refresh.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::home::Home;
use powerdeck::config::SourceKind;
use powerdeck::exec::{CommandOutput, Exec, ExecError};
use powerdeck::refresh::{self, Source, SourceSnapshot};
use powerdeck::sim::estate::HostKind;
use powerdeck::sim::local::LocalTransport;
use powerdeck::sim::world::World;
use powerdeck::sim::Estate;
use powerdeck::wizard::readiness::{self, Readiness, Reason, Verdict};
use serde_json::Value;

fn powerdeck(args: &[&str]) -> (i32, String, String) {
    let home = Home::new("readiness");
    let out = home.powerdeck().args(args).output().expect("run powerdeck");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn partition<'a>(json: &'a Value, system: &str, lpar: &str) -> &'a Value {
    json["systems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == system)
        .unwrap_or_else(|| panic!("no system {system}"))["partitions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == lpar)
        .unwrap_or_else(|| panic!("no partition {lpar} on {system}"))
}

#[test]
fn demo_readiness_json_names_every_not_ready_partition_with_its_reason() {
    let (code, stdout, stderr) = powerdeck(&["--demo", "readiness", "--json"]);
    assert_eq!(code, 2, "not every system is covered: {stderr}");
    let json: Value = serde_json::from_str(&stdout).expect("one JSON document");
    let systems = json["systems"].as_array().unwrap();
    assert_eq!(systems.len(), 7);
    for system in systems {
        for key in ["hmc", "name", "state"] {
            assert!(system[key].is_string(), "{key}: {system}");
        }
        let partitions = system["partitions"].as_array().unwrap();
        let all_ready = partitions.iter().all(|p| p["ready"] == true);
        assert_eq!(system["covered"], all_ready, "{system}");
        for p in partitions {
            assert!(p["name"].is_string() && p["priority"].is_u64(), "{p}");
            if p["ready"] == true {
                assert!(p["target"].is_string() && p["mem_mb"].is_u64(), "{p}");
                assert!(p["proc_units"].is_f64(), "{p}");
            } else {
                assert!(p["reason"].is_string() && p["detail"].is_string(), "{p}");
            }
        }
    }
    let s824 = systems.iter().find(|s| s["name"] == "s824-01").unwrap();
    assert_eq!(s824["state"], "Error - Dump in progress");
    let order: Vec<&str> = s824["partitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        ["prddb02", "prdapp03", "prdweb02", "tstdb01", "devapp02"],
        "availability priority, highest first; VIOS not listed"
    );
    let ready = partition(&json, "s824-01", "prddb02");
    assert_eq!(ready["target"], "s924-01");
    assert_eq!(ready["priority"], 250);
    assert_eq!(ready["mem_mb"], 65536);
    assert_eq!(ready["proc_units"], 4.0);
    let off = systems.iter().find(|s| s["name"] == "s922-02").unwrap();
    assert_eq!(off["covered"], true, "nothing runs there: {off}");

    for (system, lpar, reason) in [
        ("s824-01", "tstdb01", "not_capable"),
        ("e1080-01", "tstapp10", "never_activated"),
        ("p770-02", "prdora04", "no_reserved_device"),
        ("p770-02", "prdora05", "reserved_device_too_small"),
        ("e1080-01", "prddb04", "no_target_capacity"),
        ("e1080-01", "prdapp01", "no_compatible_target"),
        ("s924-01", "prdapp02", "no_compatible_target"),
    ] {
        let p = partition(&json, system, lpar);
        assert_eq!(p["ready"], false, "{p}");
        assert_eq!(p["reason"], reason, "{p}");
    }
    assert!(partition(&json, "e1080-01", "tstapp10")["detail"]
        .as_str()
        .unwrap()
        .contains("Invalid"));
    assert_eq!(partition(&json, "p770-01", "prdora01")["target"], "p770-02");
    for lpar in ["prdapp04", "prddb01", "tstdb02"] {
        assert_eq!(partition(&json, "e980-01", lpar)["target"], "e1080-01");
    }
}

#[test]
fn demo_readiness_table_and_a_usage_error() {
    let (code, stdout, stderr) = powerdeck(&["--demo", "readiness"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stdout.contains("s824-01 on hmc01 (Error - Dump in progress): not covered"),
        "{stdout}"
    );
    assert!(stdout.contains("prddb02    ready on s924-01"), "{stdout}");
    assert!(
        stdout.contains("prdora04   no_reserved_device: "),
        "{stdout}"
    );
    assert!(stdout.ends_with("1 of 7 systems covered\n"), "{stdout}");
    let (code, _, stderr) = powerdeck(&["--demo", "readiness", "--bogus"]);
    assert_eq!(code, 1, "a usage error is not 'not covered': {stderr}");
}

// ---------------------------------------------------------------------------------------
// In-process

/// The demo world; commands matching `failing` answer with an HSCL error.
struct Demo {
    world: Arc<Mutex<World>>,
    transport: Arc<Failing>,
}

struct Failing {
    inner: LocalTransport,
    failing: Vec<String>,
}

impl Exec for Failing {
    async fn exec(&self, source: &str, line: String) -> Result<CommandOutput, ExecError> {
        if self.failing.iter().any(|part| line.contains(part.as_str())) {
            return Ok(CommandOutput::new(
                "HSCL0238 The operation failed because the managed system is not in a valid state.\n",
                "",
                1,
            ));
        }
        self.inner.exec(source, line).await
    }
}

impl Demo {
    fn new(failing: &[&str]) -> Demo {
        let world = Arc::new(Mutex::new(World::new(Estate::demo())));
        let transport = Arc::new(Failing {
            inner: LocalTransport::new(world.clone()),
            failing: failing.iter().map(|s| s.to_string()).collect(),
        });
        Demo { world, transport }
    }

    fn sources(&self) -> Vec<Source> {
        let world = self.world.lock().unwrap();
        world
            .estate
            .host_names()
            .into_iter()
            .filter(|(_, kind)| *kind == HostKind::Hmc)
            .map(|(name, _)| Source {
                name: name.to_string(),
                kind: SourceKind::Hmc,
                interval: Duration::from_secs(30),
            })
            .collect()
    }

    async fn readiness(&self) -> (Vec<SourceSnapshot>, Readiness) {
        let snapshots = refresh::refresh_all(self.transport.clone(), &self.sources()).await;
        let facts = readiness::read_facts(self.transport.as_ref(), &snapshots).await;
        let readiness = readiness::assess(&snapshots, &facts);
        (snapshots, readiness)
    }

    /// Runs a change on the simulated HMC and lets it finish.
    async fn change(&self, line: &str) {
        let output = self
            .transport
            .inner
            .exec("hmc01", line.to_string())
            .await
            .unwrap();
        assert_eq!(output.exit_status, Some(0), "{line}: {}", output.stdout);
        let mut world = self.world.lock().unwrap();
        let later = world.now() + Duration::from_secs(60);
        world.advance(later);
    }
}

fn verdict<'a>(readiness: &'a Readiness, system: &str, lpar: &str) -> &'a Verdict {
    let system = readiness.systems.iter().find(|s| s.name == system).unwrap();
    &system
        .partitions
        .iter()
        .find(|p| p.name == lpar)
        .unwrap()
        .verdict
}

fn reason(verdict: &Verdict) -> Option<Reason> {
    match verdict {
        Verdict::NotReady { reason, .. } => Some(*reason),
        Verdict::Ready { .. } => None,
    }
}

#[tokio::test]
async fn facts_that_cannot_be_read_make_partitions_unknown_never_ready() {
    let demo = Demo::new(&["lshwres -r mem -m e1080-01", "lsrsdevsize -m p770-01"]);
    let (_, readiness) = demo.readiness().await;
    // e1080-01 is the only Operating target of e980-01.
    for lpar in ["aixnim01", "prddb01", "tstdb02"] {
        let verdict = verdict(&readiness, "e980-01", lpar);
        assert_eq!(reason(verdict), Some(Reason::Unknown), "{verdict:?}");
        let Verdict::NotReady { detail, .. } = verdict else {
            unreachable!()
        };
        assert!(detail.contains("HSCL0238"), "{detail}");
    }
    let prdora01 = verdict(&readiness, "p770-01", "prdora01");
    assert_eq!(reason(prdora01), Some(Reason::Unknown), "{prdora01:?}");
    let s824 = readiness
        .systems
        .iter()
        .find(|s| s.name == "s824-01")
        .unwrap();
    assert!(
        s824.partitions
            .iter()
            .filter(|p| p.name != "tstdb01")
            .all(|p| p.is_ready()),
        "hmc01's other facts are still read"
    );
    let demo = Demo::new(&["lssyscfg -r prof -m s824-01"]);
    let (_, readiness) = demo.readiness().await;
    let prddb02 = verdict(&readiness, "s824-01", "prddb02");
    assert_eq!(reason(prddb02), Some(Reason::Unknown), "{prddb02:?}");
}

#[tokio::test]
async fn a_partition_fixed_on_the_hmc_is_ready_on_the_next_refresh() {
    let demo = Demo::new(&[]);
    let (_, before) = demo.readiness().await;
    assert_eq!(
        reason(verdict(&before, "p770-02", "prdora04")),
        Some(Reason::NoReservedDevice)
    );
    demo.change("chhwres -r rspool -m p770-02 -o a -p p770-02-vios1 --rsubtype rsdev --device hdisk994 --manual")
        .await;
    demo.change("chsyscfg -r lpar -m p770-02 -i \"name=prdora04,primary_rs_vios_name=p770-02-vios1,secondary_rs_vios_name=p770-02-vios2,rs_device_name=hdisk994\"")
        .await;
    let (_, after) = demo.readiness().await;
    assert_eq!(
        verdict(&after, "p770-02", "prdora04"),
        &Verdict::Ready {
            target: "p770-01".to_string(),
            memory_mb: 32768,
            proc_units: 2.0
        }
    );
}
