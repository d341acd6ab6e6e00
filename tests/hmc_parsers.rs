//! HMC parsers on real output (tests/fixtures/hmc) and on malformed input.

mod common;

use common::fixture;
use powerdeck::estate::{
    FirmwareLevels, Lpar, LparEnv, LparState, ManagedSystem, MigrationProgress, MigrationState,
    Profile, ReferenceCode, RemoteRestartStatus, RetrievableLevels, RmcState, RsDevice, RsPool,
    RsState, SystemState,
};
use powerdeck::sources::hmc::{self, parse_fields, parse_records, split_list};
use powerdeck::sources::{HostError, HsclMessage};
use proptest::prelude::*;

#[test]
fn lpars_from_polish_v7_capture() {
    let parsed = hmc::parse::<Lpar>(&fixture("hmc/lssyscfg_lpar_v7r7_pl.txt")).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    let names: Vec<_> = parsed.items.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["nim1", "vios2", "dump"]);
    let nim1 = &parsed.items[0];
    assert_eq!(nim1.lpar_id, 5);
    assert_eq!(nim1.lpar_env, LparEnv::AixLinux);
    assert_eq!(nim1.state, LparState::Running);
    assert_eq!(nim1.os_version.as_deref(), Some("AIX 6.1 6100-00-01-0748"));
    assert_eq!(nim1.rmc_state, Some(RmcState::Active));
    assert_eq!(nim1.rmc_ipaddr.as_deref(), Some("192.168.200.235"));
    assert_eq!(nim1.curr_profile.as_deref(), Some("normal"));
    let vios2 = &parsed.items[1];
    assert!(vios2.lpar_env.is_vios());
    assert_eq!(
        vios2.attribute("boot_mode"),
        None,
        "VIOS records have no boot_mode"
    );
    assert_eq!(vios2.os_version.as_deref(), Some("Nieznane"));
    let dump = &parsed.items[2];
    assert_eq!(dump.state, LparState::NotActivated);
    assert!(!dump.state.is_on());
    assert_eq!(dump.rmc_ipaddr, None, "empty rmc_ipaddr= is no address");
    assert_eq!(dump.attribute("rmc_ipaddr"), Some(""));
    assert_eq!(dump.attribute("boot_mode"), Some("sms"));
}

#[test]
fn every_attribute_is_kept_in_order() {
    let parsed = hmc::parse::<Lpar>(&fixture("hmc/lssyscfg_lpar_v7r7_pl.txt")).unwrap();
    let nim1 = &parsed.items[0];
    assert_eq!(nim1.attributes.len(), 20);
    let first: Vec<_> = nim1.attributes.iter().take(3).map(|(n, _)| n).collect();
    assert_eq!(first, ["name", "lpar_id", "lpar_env"]);
    assert_eq!(nim1.attribute("sync_curr_profile"), Some("0"));
}

#[test]
fn simplified_remote_restart_partition_on_p8() {
    let parsed = hmc::parse::<Lpar>(&fixture("hmc/lssyscfg_lpar_p8_srr.txt")).unwrap();
    assert!(parsed.is_clean());
    let vm61 = &parsed.items[0];
    assert_eq!(vm61.name, "vm61");
    assert!(vm61.simplified_remote_restart_capable);
    assert!(!vm61.remote_restart_capable);
    assert!(vm61.is_remote_restart_capable());
    assert!(!vm61.needs_reserved_storage());
    assert_eq!(
        vm61.remote_restart_status,
        Some(RemoteRestartStatus::RemoteRestartable)
    );
    assert!(vm61
        .remote_restart_status
        .as_ref()
        .unwrap()
        .is_restartable());
    assert_eq!(vm61.attribute("curr_lpar_proc_compat_mode"), Some("POWER8"));
}

#[test]
fn p7_partition_without_remote_restart_fields() {
    let parsed = hmc::parse::<Lpar>(&fixture("hmc/lssyscfg_lpar_p7.txt")).unwrap();
    let lpar05 = &parsed.items[0];
    assert_eq!(lpar05.lpar_id, 15);
    assert_eq!(lpar05.rmc_state, Some(RmcState::Inactive));
    assert!(!lpar05.is_remote_restart_capable());
    assert_eq!(lpar05.remote_restart_status, None);
}

#[test]
fn abridged_profiles_keep_good_fields_and_name_bad_ones() {
    let parsed = hmc::parse::<Profile>(&fixture("hmc/lssyscfg_prof_v7r7_abridged.txt")).unwrap();
    assert_eq!(parsed.items.len(), 3);
    assert_eq!(parsed.diagnostics.len(), 3, "{:?}", parsed.diagnostics);
    assert!(parsed
        .diagnostics
        .iter()
        .all(|d| d.message.contains("dropped")));
    assert_eq!(
        parsed
            .diagnostics
            .iter()
            .map(|d| d.line)
            .collect::<Vec<_>>(),
        [1, 2, 3]
    );
    let nim1 = &parsed.items[0];
    assert_eq!(nim1.lpar_name, "nim1");
    assert_eq!(nim1.desired_mem, Some(6144));
    assert_eq!(
        nim1.virtual_scsi_adapters,
        ["2/client/2/vios1/2/1", "3/client/3/vios2/2/1"]
    );
    assert_eq!(nim1.virtual_eth_adapters, ["6/1/6//0/0", "7/0/7//0/0"]);
    assert!(nim1.io_slots.is_empty(), "io_slots=none is no slot");
    let vios2 = &parsed.items[1];
    assert_eq!(vios2.io_slots, ["21010002/none/1", "21050003/none/1"]);
    let dump = &parsed.items[2];
    assert_eq!(
        dump.virtual_eth_adapters,
        ["2/1/1/3,4,5/0/1"],
        "doubled quotes make one element that holds commas"
    );
}

#[test]
fn power5_system_abridged() {
    let parsed =
        hmc::parse::<ManagedSystem>(&fixture("hmc/lssyscfg_sys_power5_abridged.txt")).unwrap();
    let sys = &parsed.items[0];
    assert_eq!(sys.name, "9131-52A-6535CCG");
    assert_eq!(sys.type_model, "9131-52A");
    assert_eq!(sys.serial_num, "6535CCG");
    assert_eq!(sys.mtms(), "9131-52A*6535CCG");
    assert_eq!(sys.state, SystemState::Operating);
    assert_eq!(sys.detailed_state, None, "detailed_state=None is no detail");
    assert_eq!(sys.capabilities.active_lpar_mobility, Some(false));
    assert_eq!(sys.capabilities.remote_restart, Some(false));
    assert!(parsed.diagnostics.iter().all(|d| d.line == 1));
}

#[test]
fn powered_off_system_reports_unavailable_capabilities() {
    let text = "name=9131-52A-6535CCG,type_model=9131-52A,serial_num=6535CCG,state=Power Off,detailed_state=None,sys_time=10/04/2017 16:41:46,power_off_policy=unavailable,active_lpar_mobility_capable=unavailable,max_lpars=unavailable\n";
    let parsed = hmc::parse::<ManagedSystem>(text).unwrap();
    let sys = &parsed.items[0];
    assert_eq!(sys.state, SystemState::PowerOff);
    assert!(sys.state.allows_remote_restart_from());
    assert_eq!(sys.capabilities.active_lpar_mobility, None);
}

#[test]
fn systems_in_f_form() {
    let names = ["name", "serial_num", "state"];
    let parsed = hmc::parse_delimited::<ManagedSystem>(
        &fixture("hmc/lssyscfg_sys_F_name_serial_state.txt"),
        ',',
        &names,
        false,
    )
    .unwrap();
    assert_eq!(parsed.items[0].serial_num, "6535CCG");
    assert_eq!(parsed.items[0].state, SystemState::Operating);

    let names = ["name", "type_model", "serial_num", "state"];
    let parsed = hmc::parse_delimited::<ManagedSystem>(
        &fixture("hmc/lssyscfg_sys_F_no_connection.txt"),
        ',',
        &names,
        false,
    )
    .unwrap();
    let sys = &parsed.items[0];
    assert_eq!(sys.name, "9.3.206.220");
    assert_eq!(sys.state, SystemState::NoConnection);
    assert!(sys.state.needs_attention());
    assert!(sys.state.allows_remote_restart_from());
}

#[test]
fn f_form_without_state_is_a_diagnostic_for_systems() {
    let parsed = hmc::parse_delimited::<ManagedSystem>(
        &fixture("hmc/lssyscfg_sys_F_seed.txt"),
        ',',
        &["name", "type_model", "serial_num"],
        false,
    )
    .unwrap();
    assert!(parsed.items.is_empty());
    assert_eq!(parsed.diagnostics[0].line, 1);
    assert!(parsed.diagnostics[0].message.contains("state"));
    let records = parse_fields(
        &fixture("hmc/lssyscfg_sys_F_seed.txt"),
        ',',
        &["name", "type_model", "serial_num"],
        false,
    )
    .unwrap();
    assert_eq!(records.items[0].get("type_model"), Some("8203-E4A"));
}

#[test]
fn header_names_the_fields() {
    let parsed =
        hmc::parse_delimited::<Lpar>(&fixture("hmc/lssyscfg_lpar_F_header.txt"), ',', &[], true)
            .unwrap();
    assert!(parsed.is_clean());
    let lpar = &parsed.items[0];
    assert_eq!(lpar.name, "lpar-c");
    assert_eq!(lpar.lpar_id, 3);
    assert_eq!(lpar.state, LparState::NotActivated);
    assert_eq!(lpar.rmc_state, Some(RmcState::Inactive));
}

#[test]
fn space_delimited_reference_codes() {
    let parsed = hmc::parse_delimited::<ReferenceCode>(
        &fixture("hmc/lsrefcode_lpar_F_space.txt"),
        ' ',
        &["time_stamp", "refcode"],
        false,
    )
    .unwrap();
    let codes: Vec<_> = parsed.items.iter().map(|c| c.refcode.as_str()).collect();
    assert_eq!(codes, ["Linux ppc64le", "CA000093", "CA00E891"]);
    assert_eq!(
        parsed.items[0].time_stamp.as_deref(),
        Some("03/28/2023 18:38:20")
    );
}

#[test]
fn space_delimited_state_with_a_space() {
    let records = parse_fields(
        &fixture("hmc/lssyscfg_lpar_F_space_optest.txt"),
        ' ',
        &["name", "state"],
        false,
    )
    .unwrap();
    assert_eq!(records.items[0].get("state"), Some("Not Activated"));
}

#[test]
fn no_results_is_an_empty_list() {
    let parsed = hmc::parse::<Lpar>(&fixture("hmc/no_results.txt")).unwrap();
    assert!(parsed.items.is_empty());
    assert!(parsed.is_clean());
    let parsed =
        hmc::parse_delimited::<Lpar>(&fixture("hmc/no_results.txt"), ',', &["name"], true).unwrap();
    assert!(parsed.items.is_empty() && parsed.is_clean());
}

#[test]
fn empty_output_is_flagged() {
    let parsed = hmc::parse::<Lpar>("").unwrap();
    assert!(parsed.items.is_empty());
    assert_eq!(parsed.diagnostics.len(), 1);
    assert!(parsed.diagnostics[0].message.contains("empty output"));
}

#[test]
fn hscl_error_on_stdout_is_an_error_not_records() {
    match hmc::parse::<Lpar>(&fixture("hmc/rrstartlpar_hscla9ce.txt")) {
        Err(HostError::Hmc(message)) => {
            assert_eq!(message.code, "HSCLA9CE");
            assert!(message
                .text
                .starts_with("The managed system is not in a valid state"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn hscla32f_is_a_warning() {
    let message = HsclMessage::find(&fixture("hmc/rrstartlpar_hscla32f.txt")).unwrap();
    assert_eq!(message.code, "HSCLA32F");
    assert!(message.is_warning());
    let error = HsclMessage::find(&fixture("hmc/rrstartlpar_hscla9ce.txt")).unwrap();
    assert!(!error.is_warning());
}

#[test]
fn nested_hscl_codes() {
    let message = HsclMessage::find(&fixture("hmc/hscl127d_nested.txt")).unwrap();
    assert_eq!(message.code, "HSCL127D");
    assert_eq!(message.nested, ["HSCL1288"]);
}

#[test]
fn vios_detail_block_follows_the_message() {
    let message = HsclMessage::find(&fixture("hmc/migrlpar_hscla319_vios_detail.txt")).unwrap();
    assert_eq!(message.code, "HSCLA319");
    assert_eq!(
        message.detail.first().map(String::as_str),
        Some("VIOS_DETAILED_ERROR")
    );
    assert_eq!(
        message.detail.last().map(String::as_str),
        Some("End Detailed Message.")
    );
    assert_eq!(message.detail.len(), 5);
}

#[test]
fn usage_error_is_typed() {
    match hmc::parse::<ManagedSystem>(&fixture("hmc/usage_error_missing_m.txt")) {
        Err(HostError::Usage(text)) => assert!(text.contains("are -m.")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn localized_complaint_never_becomes_records() {
    let parsed = hmc::parse_delimited::<ManagedSystem>(
        &fixture("hmc/invalid_attribute_pl.txt"),
        ',',
        &["name", "type_serial", "state"],
        false,
    )
    .unwrap();
    assert!(parsed.items.is_empty());
    assert_eq!(parsed.diagnostics.len(), 1);
}

#[test]
fn reserved_storage_pool_and_devices() {
    let pools = hmc::parse::<RsPool>(&fixture("hmc/lshwres_rspool.txt")).unwrap();
    assert_eq!(pools.items[0].vios_names, ["vios1", "vios2"]);
    assert_eq!(pools.items[0].vios_ids, [1, 2]);
    assert_eq!(pools.items[0].state, Some(RsState::Active));
    let devices = hmc::parse::<RsDevice>(&fixture("hmc/lshwres_rspool_rsdev.txt")).unwrap();
    assert!(devices.is_clean());
    let [held, free] = &devices.items[..] else {
        panic!("{:?}", devices.items)
    };
    assert_eq!(held.device_name, "hdisk988");
    assert_eq!(held.lpar_name.as_deref(), Some("rrlpar"));
    assert_eq!(held.size, Some(16384));
    assert!(!held.is_free());
    assert_eq!(free.lpar_name, None, "lpar_name=none is unassigned");
    assert!(free.is_free());
    assert!(free.fits(20000) && !free.fits(40000));
}

#[test]
fn migration_progress() {
    let parsed = hmc::parse::<MigrationProgress>(&fixture("hmc/lslparmigr_lpar.txt")).unwrap();
    assert!(parsed.is_clean());
    assert_eq!(
        parsed.items[0].migration_state,
        MigrationState::NotMigrating
    );
    let moving = &parsed.items[1];
    assert!(moving.migration_state.is_active());
    assert_eq!(moving.dest_sys_name.as_deref(), Some("p9-02"));
    assert_eq!(moving.percent_done(), Some(75));
}

#[test]
fn firmware_levels() {
    let parsed = hmc::parse::<FirmwareLevels>(&fixture("hmc/lslic_sys.txt")).unwrap();
    let levels = &parsed.items[0];
    assert_eq!(levels.ecnumber.as_deref(), Some("01VL940"));
    assert_eq!(levels.activated_level, Some(55));
    assert_eq!(levels.accepted_level, Some(50));
    assert_eq!(
        levels.deferred_level, None,
        "deferred_level=None is no level"
    );
    assert_eq!(levels.activated_spname.as_deref(), Some("FW940.20"));
    assert!(levels.awaiting_accept());
    assert!(!levels.restart_pending());
}

#[test]
fn retrievable_levels_with_space_delimiter() {
    let parsed = hmc::parse_delimited::<RetrievableLevels>(
        &fixture("hmc/lslic_retrievable.txt"),
        ' ',
        &[
            "retrievable_release",
            "concurrent_retrievable_level",
            "disruptive_retrievable_level",
        ],
        false,
    )
    .unwrap();
    let levels = &parsed.items[0];
    assert_eq!(levels.release, None, "None means no new release");
    assert_eq!(levels.concurrent_level, Some(149));
    assert_eq!(levels.disruptive_level, Some(149));
    assert!(!levels.newest_is_disruptive());
}

#[test]
fn hmc_version_spanning_lines() {
    let parsed = hmc::parse_hmc_version(&fixture("hmc/lshmc_V_v7r7.txt")).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    let version = &parsed.items[0];
    assert_eq!(version.version.as_deref(), Some("7"));
    assert_eq!(version.release.as_deref(), Some("7.9.0"));
    assert_eq!(version.service_pack.as_deref(), Some("3"));
    assert_eq!(version.build_level.as_deref(), Some("20151216.1"));
    assert_eq!(version.base_version.as_deref(), Some("V7R7.9.0"));
    assert!(version.fixes.is_empty());
}

#[test]
fn hmc_version_with_fixes() {
    let text = "\"version= Version: 8\n Release: 8.2.0\n Service Pack: 0\nHMC Build level 20141105.1\nMH01454: Required fix for HMC V8R8.2.0 (11-05-2014)\n\",\"base_version=V8R8.2.0\n\"\n";
    let version = &hmc::parse_hmc_version(text).unwrap().items[0];
    assert_eq!(
        version.fixes,
        ["MH01454: Required fix for HMC V8R8.2.0 (11-05-2014)"]
    );
}

#[test]
fn unknown_states_are_kept_verbatim() {
    let text = "name=a,lpar_id=1,lpar_env=aixlinux,state=Hibernating,remote_restart_status=Quantum Entangled\n";
    let lpar = &hmc::parse::<Lpar>(text).unwrap().items[0];
    assert_eq!(lpar.state, LparState::Other("Hibernating".into()));
    assert_eq!(lpar.state.to_string(), "Hibernating");
    assert!(!lpar.remote_restart_status.as_ref().unwrap().is_known());
}

#[test]
fn states_match_case_insensitively() {
    assert_eq!(
        SystemState::parse("Error - Dump In Progress"),
        SystemState::ErrorDumpInProgress
    );
    assert_eq!(SystemState::parse("operating"), SystemState::Operating);
    assert_eq!(LparState::parse("shutting down"), LparState::ShuttingDown);
}

#[test]
fn garbage_lines_among_records_are_diagnostics() {
    let text = "name=a,lpar_id=1,state=Running\nConnection to hmc01 closed by remote host.\nname=b,lpar_id=2,state=Running\n";
    let parsed = hmc::parse::<Lpar>(text).unwrap();
    assert_eq!(parsed.items.len(), 2);
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(parsed.diagnostics[0].line, 2);
    assert!(parsed.diagnostics[0]
        .excerpt
        .starts_with("Connection to hmc01"));
}

#[test]
fn truncated_last_record_is_dropped_with_its_line() {
    let text =
        "name=a,lpar_id=1,state=Running\nname=b,lpar_id=2,\"virtual_eth_adapters=6/1/6//0/0,7/0";
    let parsed = hmc::parse::<Lpar>(text).unwrap();
    assert_eq!(parsed.items.len(), 1);
    assert_eq!(parsed.diagnostics[0].line, 2);
    assert!(parsed.diagnostics[0].message.contains("unterminated"));
}

#[test]
fn record_missing_required_fields_names_them() {
    let parsed =
        hmc::parse::<Lpar>("name=a,state=Running\nname=b,lpar_id=x,state=Running\n").unwrap();
    assert!(parsed.items.is_empty());
    assert!(parsed.diagnostics[0].message.contains("lpar_id"));
    assert!(parsed.diagnostics[1].message.contains("not a number"));
    assert_eq!(parsed.diagnostics[1].line, 2);
}

#[test]
fn wrong_value_count_in_f_form() {
    let parsed = parse_fields("a,b,c\nd,e\n", ',', &["x", "y", "z"], false).unwrap();
    assert_eq!(parsed.items.len(), 1);
    assert_eq!(parsed.diagnostics[0].line, 2);
    assert!(parsed.diagnostics[0].message.contains("2 values where 3"));
}

#[test]
fn list_values() {
    assert_eq!(split_list("vios1,vios2"), ["vios1", "vios2"]);
    assert!(split_list("none").is_empty());
    assert!(split_list("").is_empty());
    assert_eq!(split_list("\"a,b\",c"), ["a,b", "c"]);
}

#[test]
fn quoted_single_value_with_comma() {
    let records =
        parse_records("\"text=ACT04285I Zespół FSP, BPA lub BPC nie odpowiada\",time=1\n").unwrap();
    assert_eq!(
        records.items[0].get("text"),
        Some("ACT04285I Zespół FSP, BPA lub BPC nie odpowiada")
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_input_panics(text in "\\PC*") {
        let _ = parse_records(&text);
        let _ = parse_fields(&text, ',', &["name", "state"], true);
        let _ = parse_fields(&text, ' ', &["a", "b"], false);
        let _ = hmc::parse::<Lpar>(&text);
        let _ = hmc::parse::<ManagedSystem>(&text);
        let _ = hmc::parse::<Profile>(&text);
        let _ = hmc::parse::<RsDevice>(&text);
        let _ = hmc::parse::<FirmwareLevels>(&text);
        let _ = hmc::parse_hmc_version(&text);
    }

    #[test]
    fn record_shaped_noise_never_panics(
        fields in proptest::collection::vec("[a-z_\"=,\\n\\r ]{0,12}", 0..20)
    ) {
        let text = fields.join(",");
        let _ = parse_records(&text);
        let _ = hmc::parse::<Lpar>(&text);
        let _ = parse_fields(&text, ',', &["name", "lpar_id"], false);
    }

    #[test]
    fn every_diagnostic_names_a_line_of_the_input(text in "[a-z=,\"\\n]{0,200}") {
        let lines = text.lines().count().max(1);
        if let Ok(parsed) = parse_records(&text) {
            for diagnostic in &parsed.diagnostics {
                prop_assert!(diagnostic.line >= 1 && diagnostic.line <= lines, "{diagnostic:?}");
            }
        }
    }
}
