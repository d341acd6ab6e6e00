//! Every reason, the placement rules and the JSON shape, on hand-made snapshots.

use std::collections::HashMap;

use super::*;
use crate::estate::{ManagedSystem, RsDevice, SourceKind, SourceStatus, SystemCapabilities};
use crate::sources::hmc;
use crate::wizard::capacity::PartitionSize;

const P9: &[&str] = &["default", "POWER7", "POWER8", "POWER9", "POWER9_base"];
const P7: &[&str] = &["default", "POWER6", "POWER6+", "POWER7"];

/// A simplified-RR partition, Remote Restartable, running in POWER8 mode, with the HMC
/// attributes in `extra` added or overriding.
fn lpar(name: &str, extra: &str) -> Lpar {
    let mut attributes: Vec<(String, String)> = [
        ("name", name),
        ("lpar_id", "3"),
        ("lpar_env", "aixlinux"),
        ("state", "Running"),
        ("curr_profile", "default_profile"),
        ("remote_restart_capable", "0"),
        ("simplified_remote_restart_capable", "1"),
        ("remote_restart_status", "Remote Restartable"),
        ("curr_lpar_proc_compat_mode", "POWER8"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for pair in extra.split(',').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap();
        match attributes.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value.to_string(),
            None => attributes.push((key.to_string(), value.to_string())),
        }
    }
    let line: Vec<String> = attributes.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let parsed = hmc::parse::<Lpar>(&(line.join(",") + "\n")).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    parsed.items.into_iter().next().unwrap()
}

fn system(name: &str, state: &str, modes: &[&str], lpars: Vec<Lpar>) -> SystemData {
    SystemData {
        system: ManagedSystem {
            name: name.to_string(),
            type_model: "9009-42A".to_string(),
            serial_num: format!("78{name}"),
            state: SystemState::parse(state),
            detailed_state: None,
            capabilities: SystemCapabilities {
                remote_restart: Some(modes == P7),
                simplified_remote_restart: Some(modes != P7),
                proc_compat_modes: modes.iter().map(|m| m.to_string()).collect(),
                ..SystemCapabilities::default()
            },
            firmware: None,
            reference_code: None,
        },
        lpars,
        rs_pool: None,
        rs_devices: Vec::new(),
    }
}

fn snapshot(systems: Vec<SystemData>) -> SourceSnapshot {
    SourceSnapshot {
        name: "hmc01".to_string(),
        kind: SourceKind::Hmc,
        status: SourceStatus::Ok,
        error: None,
        error_kind: None,
        problems: Vec::new(),
        fetched_at: None,
        stale: false,
        data: SourceData::Hmc(systems),
    }
}

fn size(lpar: &str, memory_mb: u64, proc_units: f64) -> PartitionSize {
    PartitionSize {
        lpar: lpar.to_string(),
        profile: "default_profile".to_string(),
        memory_mb,
        proc_units,
    }
}

fn facts_for(free: Result<Free, String>, sizes: Vec<PartitionSize>) -> SystemFacts {
    SystemFacts {
        free,
        sizes: Ok(sizes),
        device_needs: HashMap::new(),
    }
}

fn free(memory_mb: u64, proc_units: f64) -> Result<Free, String> {
    Ok(Free {
        memory_mb,
        proc_units,
    })
}

/// hmc01: `src` (whose partitions are judged) and targets, each with its free
/// resources; every partition of `src` takes 16 GB and one processing unit.
struct Case {
    snapshots: Vec<SourceSnapshot>,
    facts: ReadinessFacts,
}

impl Case {
    fn new(src: Vec<Lpar>, targets: Vec<(SystemData, Result<Free, String>)>) -> Case {
        let sizes = src.iter().map(|l| size(&l.name, 16_384, 1.0)).collect();
        let mut facts = ReadinessFacts::default();
        facts.insert("hmc01", "src", facts_for(Err("Error".into()), sizes));
        let mut systems = vec![system("src", "Operating", P9, src)];
        for (target, free) in targets {
            facts.insert("hmc01", &target.system.name, facts_for(free, Vec::new()));
            systems.push(target);
        }
        Case {
            snapshots: vec![snapshot(systems)],
            facts,
        }
    }

    fn source(&mut self) -> &mut SystemData {
        match &mut self.snapshots[0].data {
            SourceData::Hmc(systems) => &mut systems[0],
            _ => unreachable!(),
        }
    }

    fn sizes(&mut self) -> &mut Vec<PartitionSize> {
        let facts = self.facts.systems.get_mut("hmc01").unwrap();
        facts.get_mut("src").unwrap().sizes.as_mut().unwrap()
    }

    fn src(&self) -> SystemReadiness {
        let readiness = assess(&self.snapshots, &self.facts);
        readiness
            .systems
            .into_iter()
            .find(|s| s.name == "src")
            .unwrap()
    }

    /// (name, reason or target) of every listed partition, in restart order.
    fn outcome(&self) -> Vec<(String, String)> {
        self.src()
            .partitions
            .into_iter()
            .map(|p| {
                let what = match p.verdict {
                    Verdict::Ready { target, .. } => target,
                    Verdict::NotReady { reason, .. } => reason.as_str().to_string(),
                };
                (p.name, what)
            })
            .collect()
    }

    fn detail(&self, lpar: &str) -> String {
        let found = self.src().partitions.into_iter().find(|p| p.name == lpar);
        match found.map(|p| p.verdict) {
            Some(Verdict::NotReady { detail, .. }) => detail,
            other => panic!("{lpar}: {other:?}"),
        }
    }
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

fn one_target() -> Vec<(SystemData, Result<Free, String>)> {
    vec![(
        system("tgt", "Operating", P9, Vec::new()),
        free(1_000_000, 100.0),
    )]
}

#[test]
fn a_ready_partition_lands_on_the_target_and_the_system_is_covered() {
    let case = Case::new(vec![lpar("a", "")], one_target());
    assert_eq!(case.outcome(), pairs(&[("a", "tgt")]));
    let src = case.src();
    assert!(src.covered);
    assert_eq!(
        src.partitions[0].verdict,
        Verdict::Ready {
            target: "tgt".into(),
            memory_mb: 16_384,
            proc_units: 1.0
        }
    );
}

#[test]
fn vios_and_partitions_that_do_not_run_are_not_listed_but_not_available_ones_are() {
    let case = Case::new(
        vec![
            lpar("vios1", "lpar_env=vioserver"),
            lpar("off", "state=Not Activated"),
            lpar("lost", "state=Not Available"),
            lpar("up", "state=Open Firmware"),
        ],
        one_target(),
    );
    assert_eq!(case.outcome(), pairs(&[("lost", "tgt"), ("up", "tgt")]));
}

#[test]
fn not_capable() {
    let case = Case::new(
        vec![lpar(
            "a",
            "simplified_remote_restart_capable=0,remote_restart_status=none",
        )],
        one_target(),
    );
    assert_eq!(case.outcome(), pairs(&[("a", "not_capable")]));
    assert!(!case.src().covered);
}

#[test]
fn never_activated() {
    let case = Case::new(
        vec![lpar("a", "remote_restart_status=Invalid")],
        one_target(),
    );
    assert_eq!(case.outcome(), pairs(&[("a", "never_activated")]));
    assert_eq!(
        case.detail("a"),
        "remote restart status Invalid: activate it once"
    );
}

fn powervm(extra: &str) -> Lpar {
    lpar(
        "ora",
        &format!(
            "remote_restart_capable=1,simplified_remote_restart_capable=0,curr_lpar_proc_compat_mode=POWER7{extra}"
        ),
    )
}

fn p7_case(ora: Lpar, device: Option<u64>, need: Option<Result<u64, String>>) -> Case {
    let mut case = Case::new(
        vec![ora],
        vec![(
            system("tgt", "Operating", P7, Vec::new()),
            free(1_000_000, 100.0),
        )],
    );
    let source = case.source();
    source.system.capabilities.remote_restart = Some(true);
    if let Some(size) = device {
        source.rs_devices.push(RsDevice {
            device_name: "hdisk9".to_string(),
            vios_name: Some("vios1".to_string()),
            vios_id: Some(1),
            size: Some(size),
            device_type: Some("phys".to_string()),
            state: None,
            phys_loc: None,
            lpar_name: Some("ora".to_string()),
            lpar_id: Some(3),
            device_selection_type: Some("manual".to_string()),
        });
    }
    if let Some(need) = need {
        let facts = case.facts.systems.get_mut("hmc01").unwrap();
        let src = facts.get_mut("src").unwrap();
        src.device_needs.insert("ora".to_string(), need);
    }
    case
}

#[test]
fn no_reserved_device() {
    let case = p7_case(powervm(""), None, None);
    assert_eq!(case.outcome(), pairs(&[("ora", "no_reserved_device")]));
}

#[test]
fn reserved_device_too_small_and_big_enough() {
    let small = p7_case(
        powervm(",rs_device_name=hdisk9"),
        Some(65_536),
        Some(Ok(98_304)),
    );
    assert_eq!(
        small.outcome(),
        pairs(&[("ora", "reserved_device_too_small")])
    );
    assert_eq!(
        small.detail("ora"),
        "its device hdisk9 has 65536 MB; lsrsdevsize asks for 98304 MB"
    );
    let exact = p7_case(
        powervm(",rs_device_name=hdisk9"),
        Some(98_304),
        Some(Ok(98_304)),
    );
    assert_eq!(exact.outcome(), pairs(&[("ora", "tgt")]));
}

#[test]
fn a_device_size_that_cannot_be_told_is_unknown() {
    let unread = p7_case(
        powervm(",rs_device_name=hdisk9"),
        Some(98_304),
        Some(Err("could not read lsrsdevsize: HSCL2C01".to_string())),
    );
    assert_eq!(unread.outcome(), pairs(&[("ora", "unknown")]));
    assert!(unread.detail("ora").contains("HSCL2C01"));
    let not_asked = p7_case(powervm(",rs_device_name=hdisk9"), Some(98_304), None);
    assert_eq!(not_asked.outcome(), pairs(&[("ora", "unknown")]));
    let not_in_pool = p7_case(powervm(",rs_device_name=hdisk9"), None, Some(Ok(1)));
    assert_eq!(not_in_pool.outcome(), pairs(&[("ora", "unknown")]));
}

#[test]
fn powervm_partitions_need_a_powervm_target() {
    let case = p7_case(
        powervm(",rs_device_name=hdisk9"),
        Some(98_304),
        Some(Ok(98_304)),
    );
    let mut case = case;
    if let SourceData::Hmc(systems) = &mut case.snapshots[0].data {
        systems[1].system.capabilities.remote_restart = Some(false);
    }
    assert_eq!(case.outcome(), pairs(&[("ora", "no_compatible_target")]));
    assert_eq!(
        case.detail("ora"),
        "tgt does not support PowerVM remote restart"
    );
}

#[test]
fn no_compatible_target_names_every_target_s_reason() {
    let case = Case::new(
        vec![lpar("p10", "curr_lpar_proc_compat_mode=POWER10")],
        vec![
            (
                system("p9", "Operating", P9, Vec::new()),
                free(1_000_000, 100.0),
            ),
            (
                system("p7", "Operating", P7, Vec::new()),
                free(1_000_000, 100.0),
            ),
        ],
    );
    assert_eq!(case.outcome(), pairs(&[("p10", "no_compatible_target")]));
    let detail = case.detail("p10");
    assert!(
        detail.contains("POWER10 mode, which p9 does not support"),
        "{detail}"
    );
    assert!(
        detail.contains("p7 does not support simplified remote restart"),
        "{detail}"
    );
}

#[test]
fn not_managed_here_when_the_hmc_has_no_other_system() {
    let case = Case::new(vec![lpar("a", "")], Vec::new());
    assert_eq!(case.outcome(), pairs(&[("a", "not_managed_here")]));
}

#[test]
fn no_target_capacity_when_no_other_system_is_operating() {
    let case = Case::new(
        vec![lpar("a", "")],
        vec![(
            system("off", "Power Off", P9, Vec::new()),
            Err("off".into()),
        )],
    );
    assert_eq!(case.outcome(), pairs(&[("a", "no_target_capacity")]));
    assert!(case.detail("a").contains("off is Power Off"));
}

#[test]
fn capacity_is_summed_over_everything_placed_on_a_target() {
    // Room for two of the three 16 GB partitions; the lowest priority one is left out.
    let case = Case::new(
        vec![
            lpar("low", "lpar_avail_priority=10"),
            lpar("high", "lpar_avail_priority=200"),
            lpar("mid", ""),
        ],
        vec![(
            system("tgt", "Operating", P9, Vec::new()),
            free(40_000, 10.0),
        )],
    );
    assert_eq!(
        case.outcome(),
        pairs(&[
            ("high", "tgt"),
            ("mid", "tgt"),
            ("low", "no_target_capacity")
        ])
    );
    assert_eq!(
        case.detail("low"),
        "it needs 16384 MB and 1.00 processing units; tgt has 7232 MB and 8.00 left"
    );
}

#[test]
fn processing_units_count_like_memory() {
    let case = Case::new(
        vec![lpar("a", "lpar_avail_priority=200"), lpar("b", "")],
        vec![(
            system("tgt", "Operating", P9, Vec::new()),
            free(1_000_000, 1.5),
        )],
    );
    assert_eq!(
        case.outcome(),
        pairs(&[("a", "tgt"), ("b", "no_target_capacity")])
    );
}

#[test]
fn priority_order_decides_who_gets_the_room_then_names() {
    let mut case = Case::new(
        vec![
            lpar("b", ""),
            lpar("a", ""),
            lpar("big", "lpar_avail_priority=250"),
        ],
        vec![(
            system("tgt", "Operating", P9, Vec::new()),
            free(50_000, 10.0),
        )],
    );
    case.sizes()[2].memory_mb = 30_000;
    // big goes first (250), then a and b by name (both 127): only a still fits.
    assert_eq!(
        case.outcome(),
        pairs(&[("big", "tgt"), ("a", "tgt"), ("b", "no_target_capacity")])
    );
    let src = case.src();
    assert_eq!(
        src.partitions
            .iter()
            .map(|p| p.priority)
            .collect::<Vec<_>>(),
        [250, 127, 127]
    );
}

#[test]
fn partitions_spread_to_the_target_with_the_most_memory_left() {
    let case = Case::new(
        vec![
            lpar("a", "lpar_avail_priority=3"),
            lpar("b", "lpar_avail_priority=2"),
            lpar("c", "lpar_avail_priority=1"),
        ],
        vec![
            (
                system("t1", "Operating", P9, Vec::new()),
                free(40_000, 10.0),
            ),
            (
                system("t2", "Operating", P9, Vec::new()),
                free(30_000, 10.0),
            ),
        ],
    );
    // a: t1 (40000 > 30000); b: t2 (30000 > 23616); c: t1 (23616 > 13616).
    assert_eq!(
        case.outcome(),
        pairs(&[("a", "t1"), ("b", "t2"), ("c", "t1")])
    );
}

#[test]
fn a_full_target_is_passed_over_for_a_compatible_one() {
    let case = Case::new(
        vec![lpar("a", "")],
        vec![
            (
                system("small", "Operating", P9, Vec::new()),
                free(1_000, 10.0),
            ),
            (
                system("off", "Power Off", P9, Vec::new()),
                Err("off".into()),
            ),
            (
                system("p7", "Operating", P7, Vec::new()),
                free(1_000_000, 100.0),
            ),
            (
                system("big", "Operating", P9, Vec::new()),
                free(100_000, 10.0),
            ),
        ],
    );
    assert_eq!(case.outcome(), pairs(&[("a", "big")]));
}

#[test]
fn unknown_when_a_size_or_a_target_s_free_resources_cannot_be_read() {
    let mut case = Case::new(vec![lpar("a", ""), lpar("b", "")], one_target());
    case.sizes().retain(|s| s.lpar != "b");
    assert_eq!(case.outcome(), pairs(&[("a", "tgt"), ("b", "unknown")]));
    assert_eq!(
        case.detail("b"),
        "no size read for b (profile default_profile)"
    );

    let case = Case::new(
        vec![lpar("a", "")],
        vec![
            (system("full", "Operating", P9, Vec::new()), free(0, 0.0)),
            (
                system("mute", "Operating", P9, Vec::new()),
                Err("could not read lshwres -r mem -m mute --level sys".into()),
            ),
        ],
    );
    assert_eq!(case.outcome(), pairs(&[("a", "unknown")]));
    assert!(case.detail("a").contains("lshwres"));
}

#[test]
fn unknown_when_the_partition_s_mode_or_status_cannot_be_told() {
    let case = Case::new(
        vec![
            lpar("mode", "curr_lpar_proc_compat_mode=unavailable"),
            lpar("status", "remote_restart_status=Partial Update"),
        ],
        one_target(),
    );
    assert_eq!(
        case.outcome(),
        pairs(&[("mode", "unknown"), ("status", "unknown")])
    );
}

#[test]
fn stale_data_is_unknown_never_ready() {
    let mut case = Case::new(vec![lpar("a", "")], one_target());
    case.snapshots[0].stale = true;
    case.snapshots[0].error = Some("hmc01: network unreachable".into());
    assert_eq!(case.outcome(), pairs(&[("a", "unknown")]));
    assert!(case.detail("a").contains("network unreachable"));
    assert!(!assess(&case.snapshots, &case.facts).covered());
}

#[test]
fn a_system_whose_partitions_were_not_all_listed_is_not_covered() {
    let mut case = Case::new(vec![lpar("a", "")], one_target());
    case.snapshots[0]
        .problems
        .push("lssyscfg -r lpar -m src: HSCL8012 not found".into());
    let src = case.src();
    assert!(!src.covered);
    assert!(src.detail.unwrap().contains("HSCL8012"));
    let tgt = assess(&case.snapshots, &case.facts).systems[1].clone();
    assert!(tgt.covered, "a system with nothing to restart is covered");
}

#[test]
fn an_unread_hmc_leaves_the_estate_not_covered() {
    let case = Case::new(vec![lpar("a", "")], one_target());
    let mut snapshots = case.snapshots.clone();
    snapshots.push(SourceSnapshot::failed(
        "hmc02",
        SourceKind::Hmc,
        "connection refused",
    ));
    let readiness = assess(&snapshots, &case.facts);
    assert!(readiness.systems.iter().all(|s| s.covered));
    assert!(!readiness.covered());
    assert_eq!(readiness.unread_sources[0].name, "hmc02");
}

#[test]
fn json_has_the_contract_shape() {
    let case = Case::new(
        vec![
            lpar("a", "lpar_avail_priority=191"),
            lpar("b", "remote_restart_status=Invalid"),
        ],
        one_target(),
    );
    let readiness = assess(&case.snapshots, &case.facts);
    let json = serde_json::to_value(&readiness).unwrap();
    let src = &json["systems"][0];
    assert_eq!(src["hmc"], "hmc01");
    assert_eq!(src["name"], "src");
    assert_eq!(src["state"], "Operating");
    assert_eq!(src["covered"], false);
    assert!(src.get("detail").is_none());
    assert_eq!(
        src["partitions"][0],
        serde_json::json!({"name": "a", "ready": true, "target": "tgt", "priority": 191,
                           "mem_mb": 16384, "proc_units": 1.0})
    );
    assert_eq!(
        src["partitions"][1],
        serde_json::json!({"name": "b", "ready": false, "reason": "never_activated",
                           "detail": "remote restart status Invalid: activate it once",
                           "priority": 127})
    );
    assert_eq!(json["unread_sources"], serde_json::json!([]));
}
