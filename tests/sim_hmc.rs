//! The simulated HMC, in process: output formats against the published samples of
//! tests/fixtures/hmc (as text, byte for byte where the capture gives bytes; described in
//! docs/formats.md), round trips through powerdeck's parsers, every mutating command's
//! state change over simulated time, every refusal's HSCL text and exit status, and the
//! demo estate's story.

mod common;

use std::time::Duration;

use common::fixture;
use powerdeck::estate::{
    FirmwareLevels, Lpar, ManagedSystem, MigrationProgress, Profile, ReferenceCode,
    RetrievableLevels, RsDevice, RsPool,
};
use powerdeck::sim::host::exec;
use powerdeck::sim::reply::Reply;
use powerdeck::sim::shell::SimpleCommand;
use powerdeck::sim::{Estate, World};
use powerdeck::sources::hmc::commands::{self, LicRepository, RefcodeOf};
use powerdeck::sources::hmc::{self, parse_hmc_version, split_list, FromRecord};
use powerdeck::sources::HostError;
use proptest::prelude::*;

// ------------------------------------------------------------------ helpers

const LAB: &str = include_str!("fixtures/sim/lab.toml");

fn lab() -> World {
    World::new(Estate::from_toml(LAB, "tests/fixtures/sim/lab.toml").expect("lab estate"))
}

fn demo() -> World {
    World::new(Estate::demo())
}

fn inline(toml: &str) -> World {
    World::new(Estate::from_toml(toml, "inline estate").expect("inline estate"))
}

/// Runs `line` on `host`.
fn run(world: &mut World, host: &str, line: &str) -> Reply {
    exec(world, host, line)
}

/// Runs `line` on the lab's HMC and expects success; returns stdout.
fn ok(world: &mut World, line: &str) -> String {
    ok_on(world, "hmc", line)
}

fn ok_on(world: &mut World, host: &str, line: &str) -> String {
    let reply = run(world, host, line);
    assert_eq!(
        reply.exit_status,
        0,
        "{line} failed: {}{}",
        reply.stdout_text(),
        reply.stderr_text()
    );
    reply.stdout_text()
}

/// Runs `line` on the lab's HMC and expects an `HSCL` refusal with `code`, on stdout,
/// exit 1; returns the text.
fn refused(world: &mut World, line: &str, code: &str) -> String {
    refused_on(world, "hmc", line, code)
}

fn refused_on(world: &mut World, host: &str, line: &str, code: &str) -> String {
    let reply = run(world, host, line);
    let text = reply.stdout_text();
    assert_eq!(
        reply.exit_status, 1,
        "{line} should fail with {code}: {text}"
    );
    assert!(
        text.starts_with(&format!("{code} ")),
        "{line} should print {code}, printed: {text}"
    );
    assert!(reply.stderr_text().is_empty(), "HMC errors go to stdout");
    text
}

/// Moves simulated time `secs` seconds forward.
fn wait(world: &mut World, secs: f64) {
    let now = world.now();
    world.advance(now + Duration::from_secs_f64(secs));
}

/// One attribute of one partition, as `-F` prints it.
fn attr(world: &mut World, host: &str, system: &str, lpar: &str, name: &str) -> String {
    let out = ok_on(
        world,
        host,
        &format!("lssyscfg -r lpar -m {system} --filter lpar_names={lpar} -F {name}"),
    );
    out.trim_end().to_string()
}

fn lpar_state(world: &mut World, system: &str, lpar: &str) -> String {
    attr(world, "hmc", system, lpar, "state")
}

fn system_state(world: &mut World, host: &str, system: &str) -> String {
    ok_on(
        world,
        host,
        &format!("lssyscfg -r sys -m {system} -F state"),
    )
    .trim_end()
    .to_string()
}

/// Parses default-format output with powerdeck's parser and insists on zero
/// diagnostics.
fn parse_clean<T: FromRecord>(text: &str, what: &str) -> Vec<T> {
    let parsed = hmc::parse::<T>(text).unwrap_or_else(|e| panic!("{what}: {e}\n{text}"));
    assert!(
        parsed.is_clean(),
        "{what}: {:?}\n{text}",
        parsed.diagnostics
    );
    parsed.items
}

// ------------------------------------------------------------------ formats

/// A POWER8 estate holding the partition of the published P8 sample (docs/formats.md,
/// "HMC: lssyscfg -r lpar").
const P8_SAMPLE: &str = r#"
[[hmc]]
name = "hmc"
[[hmc.systems]]
name = "p8"
type_model = "8286-42A"
serial_num = "215296V"
generation = "POWER8"
srr_capable = true
memory_mb = 65536
proc_units = 8.0
lpars = [
  { name = "vm61", id = 7, os_version = "AIX 7.1 7100-03-05-1524", rmc_ipaddr = "9.137.62.61", memory_mb = 4096, proc_units = 0.5, srr = true, compat_mode = "POWER8", allow_perf_collection = true },
]
"#;

#[test]
fn p8_partition_record_is_the_reference_sample() {
    let mut world = inline(P8_SAMPLE);
    let out = ok(&mut world, "lssyscfg -r lpar -m p8");
    let sample = fixture("hmc/lssyscfg_lpar_p8_srr.txt");
    // The simulator adds migration_disabled after the sample's last attribute.
    assert_eq!(out, sample.replace('\n', ",migration_disabled=0\n"));
}

const P7_SAMPLE: &str = r#"
[[hmc]]
name = "hmc"
[[hmc.systems]]
name = "p7"
type_model = "8233-E8B"
serial_num = "06C3A0P"
generation = "POWER7"
memory_mb = 65536
proc_units = 8.0
lpars = [
  { name = "lpar05", id = 15, profile = "lpar05", os_version = "AIX 7.1 7100-00-00-0000", rmc_ipaddr = "10.207.111.93", rmc_state = "inactive", memory_mb = 4096, proc_units = 0.5 },
]
"#;

#[test]
fn p7_partition_record_is_the_reference_sample() {
    let mut world = inline(P7_SAMPLE);
    let out = ok(&mut world, "lssyscfg -r lpar -m p7");
    let sample = fixture("hmc/lssyscfg_lpar_p7.txt");
    assert_eq!(out, sample.replace('\n', ",migration_disabled=0\n"));
}

#[test]
fn fields_with_a_space_delimiter_quote_values_holding_it() {
    let mut world = inline(
        r#"
[[hmc]]
name = "hmc"
[[hmc.systems]]
name = "sys"
type_model = "9009-22A"
serial_num = "1234567"
memory_mb = 8192
proc_units = 2.0
lpars = [ { name = "lpar1", id = 1, state = "Not Activated", memory_mb = 1024, proc_units = 0.5 } ]
"#,
    );
    // Unquoted words after -F, as op-test and a published lslic run type them
    // (docs/formats.md, "HMC: -F and --header").
    let out = ok(&mut world, "lssyscfg -r lpar -m sys -F name state");
    assert_eq!(out, fixture("hmc/lssyscfg_lpar_F_space_optest.txt"));
    let out = ok(&mut world, "lssyscfg -r lpar -m sys -F 'name state'");
    assert_eq!(out, fixture("hmc/lssyscfg_lpar_F_space_optest.txt"));
    let out = ok(&mut world, "lssyscfg -r lpar -m sys -Fname:state");
    assert_eq!(out, "lpar1:Not Activated\n");
}

#[test]
fn header_line_and_comma_fields() {
    let mut world = inline(
        r#"
[[hmc]]
name = "hmc"
[[hmc.systems]]
name = "9131-52A-6535CCG"
type_model = "9131-52A"
serial_num = "6535CCG"
memory_mb = 8192
proc_units = 2.0
lpars = [ { name = "lpar-c", id = 3, state = "Not Activated", memory_mb = 1024, proc_units = 0.5 } ]
"#,
    );
    let out = ok(
        &mut world,
        "lssyscfg -r lpar -m 9131-52A-6535CCG -F name,lpar_id,state,rmc_state --header",
    );
    assert_eq!(out, fixture("hmc/lssyscfg_lpar_F_header.txt"));
    let out = ok(&mut world, "lssyscfg -r sys -F name,serial_num,state");
    assert_eq!(out, fixture("hmc/lssyscfg_sys_F_name_serial_state.txt"));
    // The MTMS form of -m works too.
    let out = ok(&mut world, "lssyscfg -r lpar -m '9131-52A*6535CCG' -F name");
    assert_eq!(out, "lpar-c\n");
    // A list value holding the delimiter is quoted whole.
    let out = ok(&mut world, "lssyscfg -r sys -F name,lpar_proc_compat_modes");
    assert_eq!(
        out,
        "9131-52A-6535CCG,\"default,POWER7,POWER8,POWER9,POWER9_base\"\n"
    );
}

#[test]
fn profile_lists_use_two_level_quoting() {
    let mut world = inline(
        r#"
[[hmc]]
name = "hmc"
[[hmc.systems]]
name = "sys"
type_model = "9009-22A"
serial_num = "1234567"
memory_mb = 65536
proc_units = 8.0
lpars = [
  { name = "vios1", id = 1, env = "vioserver", memory_mb = 4096, proc_units = 1.0, vlans = [1, 3, 4, 5] },
  { name = "dump", id = 2, memory_mb = 6144, max_memory_mb = 10240, proc_units = 0.5, vlans = [1, 3, 4, 5] },
]
"#,
    );
    let out = ok(
        &mut world,
        "lssyscfg -r prof -m sys --filter lpar_names=dump",
    );
    assert!(
        out.contains(",\"virtual_eth_adapters=\"\"2/1/1/3,4,5/0/0\"\"\","),
        "{out}"
    );
    assert!(
        out.contains(",\"virtual_serial_adapters=0/server/1/any//any/1,1/server/1/any//any/1\",")
    );
    assert!(out.contains(",virtual_scsi_adapters=3/client/1/vios1/202/1,"));
    assert!(out.starts_with(
        "name=default_profile,lpar_name=dump,lpar_id=2,lpar_env=aixlinux,all_resources=0,min_mem=1536,desired_mem=6144,max_mem=10240,"
    ));
    let profiles = parse_clean::<Profile>(&out, "prof");
    assert_eq!(profiles[0].virtual_eth_adapters, ["2/1/1/3,4,5/0/0"]);
    assert_eq!(profiles[0].max_mem, Some(10240));
    let fc = &profiles[0].virtual_fc_adapters;
    assert_eq!(fc.len(), 1);
    assert!(fc[0].starts_with("5/client/1/vios1/402/c0507608"), "{fc:?}");
    // The VIOS trunk adapter bridges the VLANs: an element holding commas.
    let out = ok(
        &mut world,
        "lssyscfg -r prof -m sys --filter lpar_names=vios1 -F virtual_eth_adapters",
    );
    assert_eq!(out, "\"\"\"2/1/4094/1,3,4,5/1/1\"\",3/0/4095//0/1\"\n");
    assert_eq!(
        split_list(&out.trim_end()[1..out.trim_end().len() - 1].replace("\"\"", "\"")),
        ["2/1/4094/1,3,4,5/1/1", "3/0/4095//0/1"]
    );
}

#[test]
fn filters_by_names_ids_and_profiles() {
    let mut world = lab();
    let names = |world: &mut World, line: &str| ok(world, line).replace('\n', " ");
    // IBM's documented form, powerdeck's quoted form, and Ansible's escaped form.
    for filter in [
        "--filter lpar_names=app1,off1",
        "--filter 'lpar_names=app1,off1'",
        "--filter '\"lpar_names=app1,off1\"'",
    ] {
        assert_eq!(
            names(
                &mut world,
                &format!("lssyscfg -r lpar -m src {filter} -F name")
            ),
            "app1 off1 ",
            "{filter}"
        );
    }
    assert_eq!(
        names(
            &mut world,
            "lssyscfg -r lpar -m src --filter lpar_ids=3,5,99 -F name"
        ),
        "app1 off1 "
    );
    assert_eq!(
        names(
            &mut world,
            "lssyscfg -r prof -m src --filter '\"lpar_names=app1,off1\",profile_names=default_profile' -F lpar_name,name"
        ),
        "app1,default_profile off1,default_profile "
    );
    assert_eq!(
        ok(
            &mut world,
            "lssyscfg -r prof -m src --filter lpar_names=app1,profile_names=other"
        ),
        "No results were found.\n"
    );
    assert_eq!(
        names(
            &mut world,
            "lslparmigr -r lpar -m src --filter lpar_ids=4 -F name"
        ),
        "big1 "
    );
}

#[test]
fn empty_listing_and_command_line_errors() {
    let mut world = lab();
    let reply = run(
        &mut world,
        "hmc",
        "lssyscfg -r lpar -m src --filter lpar_names=nosuch",
    );
    assert_eq!(reply.exit_status, 0);
    assert_eq!(reply.stdout_text(), fixture("hmc/no_results.txt"));
    let reply = run(
        &mut world,
        "hmc",
        "lssyscfg -r lpar -m src --filter lpar_names=nosuch -F name --header",
    );
    assert_eq!(reply.stdout_text(), "No results were found.\n");

    let reply = run(&mut world, "hmc", "LANG=C lssyscfg -r lpar");
    assert_eq!(reply.exit_status, 1);
    assert_eq!(
        reply.stdout_text(),
        fixture("hmc/usage_error_missing_m.txt")
    );
    assert!(matches!(
        HostError::recognise(&reply.stdout_text()),
        Some(HostError::Usage(_))
    ));

    for line in [
        "lssyscfg -r lpar -m src -x",
        "lssyscfg -r frame",
        "lssyscfg -r lpar -m src stray",
        "lssyscfg -r lpar -m src --header",
        "lssyscfg -r lpar -m src --filter bogus=1",
        "lshwres -r mem -m src",
        "chsysstate -r lpar -m src -o dance -n app1",
        "migrlpar -o m -m src -p app1",
    ] {
        let reply = run(&mut world, "hmc", line);
        assert_eq!(reply.exit_status, 1, "{line}");
        assert!(
            matches!(
                HostError::recognise(&reply.stdout_text()),
                Some(HostError::Usage(_))
            ),
            "{line}: {}",
            reply.stdout_text()
        );
    }

    let reply = run(
        &mut world,
        "hmc",
        "lssyscfg -r sys -F name,type_serial,state",
    );
    assert_eq!(reply.exit_status, 1);
    assert_eq!(
        reply.stdout_text(),
        "An invalid attribute was entered.  The invalid attribute is type_serial.  Correct the input and retry the command.\n"
    );
    assert!(matches!(
        HostError::recognise(&reply.stdout_text()),
        Some(HostError::Usage(_))
    ));
    // Attribute names are case-sensitive.
    assert_eq!(
        run(&mut world, "hmc", "lssyscfg -r sys -F UUID").exit_status,
        1
    );
    // Unknown systems and partitions.
    let text = refused(&mut world, "lssyscfg -r lpar -m nosuch", "HSCL8012");
    assert!(text.contains("nosuch"));
    refused(
        &mut world,
        "chsysstate -r lpar -m src -o on -n nosuch",
        "HSCL8012",
    );
    // Not an HMC program: the shell answers.
    let reply = run(&mut world, "hmc", "lswpar");
    assert_eq!(reply.exit_status, 127);
    assert_eq!(reply.stderr_text(), "rbash: lswpar: command not found\n");
}

#[test]
fn lshmc_version_is_byte_for_byte_the_reference() {
    let mut world = inline(
        r#"
[[hmc]]
name = "hmc"
version = "V7R7.9.0M3"
build_level = "20151216.1"
"#,
    );
    let out = ok(&mut world, "lshmc -V");
    assert_eq!(out, fixture("hmc/lshmc_V_v7r7.txt"));
    let version = parse_hmc_version(&out).unwrap();
    assert!(version.is_clean());
    assert_eq!(version.items[0].base_version.as_deref(), Some("V7R7.9.0"));
    assert_eq!(version.items[0].service_pack.as_deref(), Some("3"));

    let mut world = demo();
    let out = ok_on(&mut world, "hmc01", "lshmc -V");
    assert_eq!(
        out,
        "\"version= Version: 10\n Release: 3\n Service Pack: 1060\nHMC Build level 2408210051\n\",\"base_version=V10R3\n\"\n"
    );
    assert_eq!(run(&mut world, "hmc01", "lshmc -v").exit_status, 1);
}

/// The POWER6 box of the published firmware update, with its firmware directory
/// (docs/formats.md, "HMC: lslic", "HMC: updlic").
const SEED_P520: &str = r#"
[[hmc]]
name = "gaff"
[[hmc.systems]]
name = "p520express-8203-E4A-SN0666000"
type_model = "8203-E4A"
serial_num = "0666000"
generation = "POWER6"
lpm_capable = false
memory_mb = 16384
proc_units = 4.0
firmware = { ecnumber = "01EL350", activated_level = 132, installed_level = 132, accepted_level = 132 }
repositories = [ { kind = "mountpoint", directory = "/home/hscroot/fw", concurrent_level = 149, disruptive_level = 149 } ]
lpars = [ { name = "aix1", id = 1, rmc_ipaddr = "192.168.1.10", memory_mb = 4096, proc_units = 1.0 } ]
"#;

#[test]
fn lslic_retrievable_levels_like_the_seed() {
    let mut world = inline(SEED_P520);
    let out = ok_on(
        &mut world,
        "gaff",
        "lslic -m p520express-8203-E4A-SN0666000 -r mountpoint -d /home/hscroot/fw/ -F retrievable_release concurrent_retrievable_level disruptive_retrievable_level",
    );
    assert_eq!(out, fixture("hmc/lslic_retrievable.txt"));
    let parsed = hmc::parse_delimited::<RetrievableLevels>(
        &out,
        ' ',
        &[
            "retrievable_release",
            "concurrent_retrievable_level",
            "disruptive_retrievable_level",
        ],
        false,
    )
    .unwrap();
    assert!(parsed.is_clean());
    assert_eq!(parsed.items[0].concurrent_level, Some(149));
    assert_eq!(parsed.items[0].release, None);
}

#[test]
fn updlic_prints_the_seed_progress_lines_over_time() {
    let mut world = inline(SEED_P520);
    let reply = run(
        &mut world,
        "gaff",
        "updlic -o a -t sys -l latest -m p520express-8203-E4A-SN0666000  -r mountpoint -d /home/hscroot/fw -v",
    );
    assert_eq!(reply.exit_status, 0, "{}", reply.stdout_text());
    let out = reply.stdout_text();
    let sample = fixture("hmc/updlic_progress.txt");
    let skeleton = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.contains(": Writing file ") && l.trim() != "...")
            .map(|l| l.trim_end().to_string())
            .collect()
    };
    assert_eq!(skeleton(&out), skeleton(&sample));
    for line in out.lines().filter(|l| l.contains(": Writing file ")) {
        let rest = line
            .strip_prefix("8203-E4A*0666000 Managed System Primary: Writing file ")
            .unwrap_or_else(|| panic!("{line}"));
        let (file, bytes) = rest.split_once(".  ").expect(line);
        assert!(
            file.len() == 8 && file.bytes().all(|b| b.is_ascii_hexdigit()),
            "{line}"
        );
        let count = bytes.strip_suffix(" bytes written.").expect(line);
        assert!(count.parse::<u64>().is_ok(), "{line}");
    }
    // Output arrives over minutes, not at once.
    assert!(reply.chunks.len() > 10);
    assert!(
        reply.duration() >= Duration::from_secs(180),
        "{:?}",
        reply.duration()
    );
    let levels = |world: &mut World| {
        ok_on(
            world,
            "gaff",
            "lslic -m p520express-8203-E4A-SN0666000 -F activated_level,installed_level,accepted_level,platform_ipl_level",
        )
    };
    assert_eq!(levels(&mut world), "132,132,132,132\n");
    wait(&mut world, reply.duration().as_secs_f64() - 30.0);
    assert_eq!(
        levels(&mut world),
        "132,149,132,132\n",
        "installed, not yet activated"
    );
    wait(&mut world, 30.0);
    assert_eq!(
        levels(&mut world),
        "149,149,132,132\n",
        "concurrent: activated changes, the platform IPL level does not"
    );
    assert_eq!(
        system_state(&mut world, "gaff", "p520express-8203-E4A-SN0666000"),
        "Operating"
    );
    assert_eq!(
        attr(
            &mut world,
            "gaff",
            "p520express-8203-E4A-SN0666000",
            "aix1",
            "state"
        ),
        "Running"
    );
}

#[test]
fn lsrefcode_with_a_space_delimiter() {
    let mut world = demo();
    let out = ok_on(
        &mut world,
        "hmc02",
        "lsrefcode -r lpar -m e1080-01 --filter lpar_names=prdlnx01 -n 3 -F 'time_stamp refcode'",
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert_eq!(lines[0], "\"06/11/2025 02:54:13\" \"Linux ppc64le\"");
    assert_eq!(lines[1], "\"06/11/2025 02:54:12\" CA00E1F5");
    assert_eq!(lines[2], "\"06/11/2025 02:54:11\" CA00E1F1");
    let parsed =
        hmc::parse_delimited::<ReferenceCode>(&out, ' ', &["time_stamp", "refcode"], false)
            .unwrap();
    assert!(parsed.is_clean());
    assert_eq!(parsed.items[0].refcode, "Linux ppc64le");

    let out = ok_on(&mut world, "hmc01", "lsrefcode -r sys -m s824-01");
    assert!(out.starts_with(
        "refcode_num=1,time_stamp=06/14/2025 02:47:13,refcode=B7005442,word2=00000000,"
    ));
    parse_clean::<ReferenceCode>(&out, "lsrefcode -r sys");
    let out = ok_on(
        &mut world,
        "hmc01",
        "lsrefcode -r lpar -m s924-01 --filter lpar_ids=9",
    );
    assert!(out.starts_with("lpar_name=devweb01,lpar_id=9,time_stamp="));
    assert!(out.contains(",refcode=00000000,"));
}

#[test]
fn powered_off_and_crashed_systems_still_answer() {
    let mut world = lab();
    let out = ok(&mut world, "lssyscfg -r sys -m off");
    assert!(out.contains(",state=Power Off,"));
    assert!(out.contains(",power_off_policy=unavailable,active_lpar_mobility_capable=unavailable,"));
    assert!(out.contains(",max_lpars=unavailable,"));
    assert!(out.contains(",powervm_lpar_simplified_remote_restart_capable=unavailable,"));
    let systems = parse_clean::<ManagedSystem>(&out, "sys off");
    assert_eq!(systems[0].capabilities.simplified_remote_restart, None);
    assert_eq!(
        ok(&mut world, "lssyscfg -r lpar -m off -F name,state"),
        "off-vios1,Not Activated\noff-vios2,Not Activated\noff-app1,Not Activated\noff-app2,Not Activated\n"
    );
    let text = refused(&mut world, "lslic -m off -t sys", "HSCL2D0A");
    assert!(text.contains("Power Off"));

    // A crashed system: partitions Not Available, capabilities still known.
    let out = ok(
        &mut world,
        "lssyscfg -r lpar -m down -F name,state,rmc_state,remote_restart_status",
    );
    assert!(out.starts_with("down-vios1,Not Available,inactive,null\n"));
    assert!(out.contains("rr1,Not Available,inactive,Remote Restartable\n"));
    assert!(out.contains("rrinvalid,Not Available,inactive,Invalid\n"));
    assert!(ok(&mut world, "lssyscfg -r sys -m down")
        .contains(",powervm_lpar_simplified_remote_restart_capable=1,"));
    ok(&mut world, "lslic -m down -t sys");

    // No Connection: still listed, partitions Not Available, capabilities unknown.
    ok(&mut world, "simctl state hmc src No Connection");
    assert_eq!(lpar_state(&mut world, "src", "app1"), "Not Available");
    assert!(ok(&mut world, "lssyscfg -r sys -m src")
        .contains(",active_lpar_mobility_capable=unavailable,"));
    // ... and when it reconnects, the partitions ran on.
    ok(&mut world, "simctl state hmc src Operating");
    assert_eq!(lpar_state(&mut world, "src", "app1"), "Running");
}

#[test]
fn reserved_storage_listings() {
    let mut world = lab();
    assert_eq!(
        ok(&mut world, "lshwres -r rspool -m p7a"),
        "state=Active,\"vios_names=p7a-vios1,p7a-vios2\",\"vios_ids=1,2\"\n"
    );
    let pools = parse_clean::<RsPool>(&ok(&mut world, "lshwres -r rspool -m p7a"), "rspool");
    assert_eq!(pools[0].vios_ids, [1, 2]);
    let out = ok(&mut world, "lshwres -r rspool -m p7a --rsubtype rsdev");
    assert!(out.starts_with("device_name=hdisk1,vios_name=p7a-vios1,vios_id=1,size=65536,type=phys,state=Active,phys_loc=U78AA.001.10C94CC-P1-C2-T1-"));
    let devices = parse_clean::<RsDevice>(&out, "rsdev");
    assert_eq!(devices.len(), 3);
    assert_eq!(devices[0].lpar_name.as_deref(), Some("ora1"));
    assert_eq!(devices[0].lpar_id, Some(3));
    assert!(devices[1].is_free());
    assert_eq!(
        ok(
            &mut world,
            "lsmemdev -r avail -m p7a -p p7a-vios1,p7a-vios2 -F device_name,vios_name,size"
        ),
        "hdisk4,p7a-vios1,65536\nhdisk5,p7a-vios2,131072\n"
    );
    assert_eq!(
        ok(
            &mut world,
            "lsmemdev -r avail -m p7a --min 100000 -F device_name"
        ),
        "hdisk5\n"
    );
    assert_eq!(
        ok(&mut world, "lsrsdevsize -m p7a -p ora2"),
        "lpar_name=ora2,lpar_id=4,size=32768\n"
    );
    assert_eq!(
        ok(&mut world, "lsrsdevsize -m p7a -p ora2 -F size"),
        "32768\n"
    );
    // Reserved storage is a PowerVM remote restart (POWER7+) thing.
    refused(&mut world, "lshwres -r rspool -m src", "HSCL2C01");
    refused(&mut world, "lsrsdevsize -m src -p app1", "HSCL2C01");
    refused(&mut world, "lsmemdev -r avail -m p7a -p ora1", "HSCL2C04");
    // A pool not created yet lists nothing, its disks are available.
    assert_eq!(
        ok(&mut world, "lshwres -r rspool -m p7c"),
        "No results were found.\n"
    );
    assert_eq!(
        ok(&mut world, "lsmemdev -r avail -m p7c -F device_name"),
        "hdisk20\nhdisk21\n"
    );
    // The P7 partition record carries the assignment.
    assert_eq!(
        ok(&mut world, "lssyscfg -r lpar -m p7a --filter lpar_names=ora1 -F primary_rs_vios_name,secondary_rs_vios_name,curr_rs_vios_name,rs_device_name"),
        "p7a-vios1,p7a-vios2,p7a-vios1,hdisk1\n"
    );
}

// ------------------------------------------------------------------ migration

#[test]
fn active_migration_moves_the_partition_over_time() {
    let mut world = lab();
    let reply = run(&mut world, "hmc", "migrlpar -o m -m src -t dst -p app1");
    assert_eq!(reply.exit_status, 0, "{}", reply.stdout_text());
    assert_eq!(
        reply.stdout_text(),
        "",
        "a successful migration prints nothing"
    );
    // 20 s + 1 s per GB of its 16 GB.
    assert_eq!(reply.duration(), Duration::from_secs(36));

    wait(&mut world, 1.0);
    assert_eq!(lpar_state(&mut world, "src", "app1"), "Migrating - Running");
    // Shown on the destination too, under the id it will get there (3 is taken).
    assert_eq!(
        ok(
            &mut world,
            "lssyscfg -r lpar -m dst --filter lpar_names=app1 -F name,lpar_id,state"
        ),
        "app1,4,Migrating - Running\n"
    );
    let progress = |world: &mut World, system: &str| {
        let out = ok(
            world,
            &format!("lslparmigr -r lpar -m {system} --filter lpar_names=app1"),
        );
        parse_clean::<MigrationProgress>(&out, "lslparmigr").remove(0)
    };
    let early = progress(&mut world, "src");
    assert_eq!(early.migration_state.as_str(), "Migration Starting");
    assert_eq!(early.dest_sys_name.as_deref(), Some("dst"));
    assert_eq!(early.dest_lpar_id, Some(4));
    wait(&mut world, 12.0);
    let middle = progress(&mut world, "src");
    assert_eq!(middle.migration_state.as_str(), "Migration In Progress");
    wait(&mut world, 10.0);
    let later = progress(&mut world, "dst");
    assert!(later.bytes_transmitted > middle.bytes_transmitted);
    assert!(later.bytes_remaining < middle.bytes_remaining);
    assert_eq!(
        later.bytes_transmitted.unwrap() + later.bytes_remaining.unwrap(),
        16 * 1024 * 1024 * 1024
    );
    assert_eq!(
        ok(
            &mut world,
            "lslparmigr -r sys -m dst -F num_active_migrations_in_progress"
        ),
        "1\n"
    );
    // Done at 36 s: gone from the source, running on the target.
    wait(&mut world, 13.5);
    assert_eq!(
        ok(
            &mut world,
            "lssyscfg -r lpar -m src --filter lpar_names=app1"
        ),
        "No results were found.\n"
    );
    assert_eq!(
        ok(&mut world, "lssyscfg -r lpar -m dst --filter lpar_names=app1 -F lpar_id,state,rmc_state,curr_lpar_proc_compat_mode"),
        "4,Running,active,POWER9\n"
    );
    assert_eq!(
        ok(
            &mut world,
            "lslparmigr -r lpar -m dst --filter lpar_names=app1"
        ),
        "name=app1,lpar_id=4,migration_state=Not Migrating\n"
    );
}

#[test]
fn inactive_migration_and_a_requested_id() {
    let mut world = lab();
    let reply = run(
        &mut world,
        "hmc",
        "migrlpar -o m -m src -t dst -p off1 -i dest_lpar_id=9",
    );
    assert_eq!(reply.exit_status, 0, "{}", reply.stdout_text());
    assert_eq!(reply.duration(), Duration::from_secs(20));
    wait(&mut world, 1.0);
    assert_eq!(
        lpar_state(&mut world, "src", "off1"),
        "Migrating - Not Activated"
    );
    assert!(ok(
        &mut world,
        "lslparmigr -r lpar -m src --filter lpar_names=off1"
    )
    .contains(",migration_state=Migration In Progress,migration_type=inactive,"));
    wait(&mut world, 20.0);
    assert_eq!(
        ok(
            &mut world,
            "lssyscfg -r lpar -m dst --filter lpar_names=off1 -F lpar_id,state"
        ),
        "9,Not Activated\n"
    );
}

#[test]
fn validation_succeeds_quietly_after_a_while() {
    let mut world = lab();
    let reply = run(&mut world, "hmc", "migrlpar -o v -m src -t dst -p app1");
    assert_eq!(reply.exit_status, 0);
    assert_eq!(reply.stdout_text(), "");
    assert_eq!(reply.duration(), Duration::from_secs(8));
    assert_eq!(
        lpar_state(&mut world, "src", "app1"),
        "Running",
        "validate changes nothing"
    );
    // --id names the partition as well as -p.
    assert_eq!(
        run(&mut world, "hmc", "migrlpar -o v -m src -t dst --id 3").exit_status,
        0
    );
}

#[test]
fn migration_refusals() {
    let mut world = lab();
    let cases = [
        ("migrlpar -o v -m src -t src -p app1", "HSCLA602"),
        ("migrlpar -o v -m src -t off -p app1", "HSCLA601"),
        ("migrlpar -o v -m down -t dst -p rr1", "HSCL0238"),
        ("migrlpar -o v -m src -t nolpm -p app1", "HSCLA603"),
        ("migrlpar -o v -m src -t dst -p src-vios1", "HSCLA604"),
        ("migrlpar -o v -m src -t dst -p nomig1", "HSCLA605"),
        ("migrlpar -o v -m src -t dst -p phys1", "HSCLA606"),
        ("migrlpar -o v -m src -t dst -p sms1", "HSCLA607"),
        ("migrlpar -o v -m src -t dst -p normc1", "HSCLA608"),
        ("migrlpar -o v -m src -t dst -p big1", "HSCLA60A"),
        ("migrlpar -o v -m src -t dst -p cpu1", "HSCLA60B"),
        ("migrlpar -o v -m src -t dst -p clash", "HSCLA60C"),
        ("migrlpar -o v -m src -t old -p app1", "HSCLA613"),
        (
            "migrlpar -o v -m src -t dst -p app1 -i dest_lpar_id=3",
            "HSCLA614",
        ),
        ("migrlpar -o v -m src -t dst -p vlan99", "HSCLA616"),
        ("migrlpar -o v -m src -t half -p app1", "HSCLA319"),
        (
            "migrlpar -o v -m src -t dst -p app1 --ip hmc2 -u hscroot",
            "HSCL3653",
        ),
        ("migrlpar -o v -m src -t nosuch -p app1", "HSCL8012"),
        ("migrlpar -o v -m src -t dst -p nosuch", "HSCL8012"),
        ("migrlpar -o s -m src -p app1", "HSCLA60E"),
        ("migrlpar -o r -m src -p app1", "HSCLA60F"),
    ];
    for (line, code) in cases {
        refused(&mut world, line, code);
    }
    // Texts worth an admin's reading.
    let text = refused(
        &mut world,
        "migrlpar -o v -m src -t dst -p nomig1",
        "HSCLA605",
    );
    assert_eq!(
        text,
        "HSCLA605 Partition migration is disabled for the partition nomig1 (migration_disabled=1).\n"
    );
    let text = refused(
        &mut world,
        "migrlpar -o v -m src -t half -p app1",
        "HSCLA319",
    );
    assert!(text.starts_with("HSCLA319 The migrating partition's virtual fibre channel client adapter 6 cannot be hosted by the existing Virtual I/O Server (VIOS) partitions on the destination managed system."));
    assert!(text.contains("\nVIOS_DETAILED_ERROR\nClient Target WWPNs: c0507608"));
    assert!(text.ends_with("End Detailed Message.\n"));
    let text = refused(
        &mut world,
        "migrlpar -o v -m src -t off -p app1",
        "HSCLA601",
    );
    assert!(
        text.contains("s in the Power Off state") || text.contains("is in the Power Off state")
    );
    let text = refused(
        &mut world,
        "migrlpar -o v -m down -t dst -p rr1",
        "HSCL0238",
    );
    assert_eq!(
        text,
        "HSCL0238 This operation is only allowed when the managed system is in the Operating state.\n"
    );
    // Validation errors come after the validation time.
    let reply = run(&mut world, "hmc", "migrlpar -o v -m src -t dst -p nomig1");
    assert_eq!(reply.duration(), Duration::from_secs(8));
    // --vlanbridge 2 lets a partition go where its VLAN is not bridged.
    assert_eq!(
        run(
            &mut world,
            "hmc",
            "migrlpar -o v -m src -t dst -p vlan99 --vlanbridge 2"
        )
        .exit_status,
        0
    );
    // No mover service partition on the target once its VIOS are down.
    ok(
        &mut world,
        "chsysstate -r lpar -m dst -o shutdown --immed -n dst-vios1",
    );
    ok(
        &mut world,
        "chsysstate -r lpar -m dst -o shutdown --immed -n dst-vios2",
    );
    wait(&mut world, 10.0);
    refused(
        &mut world,
        "migrlpar -o v -m src -t dst -p app1",
        "HSCLA609",
    );
}

#[test]
fn a_migration_in_flight_blocks_another_and_can_be_stopped_then_recovered() {
    let mut world = lab();
    ok(&mut world, "migrlpar -o m -m src -t dst -p app1");
    wait(&mut world, 10.0);
    refused(
        &mut world,
        "migrlpar -o m -m src -t dst -p app1",
        "HSCLA60D",
    );
    refused(&mut world, "migrlpar -o r -m src -p app1", "HSCLA612");
    // The destination's memory is counted while the migration runs.
    let free = ok(&mut world, "lssyscfg -r sys -m dst -F curr_avail_sys_mem");
    assert_eq!(free, format!("{}\n", 65536 - 8192 - 16384));
    let reply = run(&mut world, "hmc", "migrlpar -o s -m src -p app1");
    assert_eq!(reply.exit_status, 0);
    assert_eq!(reply.duration(), Duration::from_secs(5));
    wait(&mut world, 5.0);
    assert_eq!(lpar_state(&mut world, "src", "app1"), "Running");
    assert!(ok(
        &mut world,
        "lslparmigr -r lpar -m src --filter lpar_names=app1"
    )
    .contains(",migration_state=Migration Stopped,"));
    assert_eq!(
        ok(
            &mut world,
            "lssyscfg -r lpar -m dst --filter lpar_names=app1"
        ),
        "No results were found.\n"
    );
    wait(&mut world, 60.0);
    assert_eq!(
        lpar_state(&mut world, "src", "app1"),
        "Running",
        "the stopped migration never completes"
    );
    refused(
        &mut world,
        "migrlpar -o m -m src -t dst -p app1",
        "HSCLA60D",
    );
    ok(&mut world, "migrlpar -o r -m src -p app1");
    wait(&mut world, 5.0);
    assert_eq!(
        ok(
            &mut world,
            "lslparmigr -r lpar -m src --filter lpar_names=app1 -F migration_state"
        ),
        "Not Migrating\n"
    );
    assert_eq!(
        run(&mut world, "hmc", "migrlpar -o v -m src -t dst -p app1").exit_status,
        0
    );
}

#[test]
fn an_injected_migration_failure_needs_recovery() {
    let mut world = lab();
    let reply = run(&mut world, "hmc", "migrlpar -o m -m src -t dst -p flaky1");
    assert_eq!(reply.exit_status, 1);
    let text = reply.stdout_text();
    assert!(
        text.starts_with(
            "HSCLA610 The migration of the partition flaky1 to the managed system dst failed"
        ),
        "{text}"
    );
    let fails_at = reply.duration();
    assert!(fails_at > Duration::from_secs(10) && fails_at < Duration::from_secs(28));
    wait(&mut world, fails_at.as_secs_f64() + 0.1);
    // Left migrating on both sides, as op-test finds it.
    assert_eq!(
        lpar_state(&mut world, "src", "flaky1"),
        "Migrating - Running"
    );
    assert_eq!(
        lpar_state(&mut world, "dst", "flaky1"),
        "Migrating - Running"
    );
    assert!(ok(
        &mut world,
        "lslparmigr -r lpar -m src --filter lpar_names=flaky1"
    )
    .contains(",migration_state=Migration Failed,"));
    wait(&mut world, 60.0);
    assert_eq!(
        lpar_state(&mut world, "src", "flaky1"),
        "Migrating - Running"
    );
    ok(&mut world, "migrlpar -o r -m src -p flaky1");
    wait(&mut world, 5.0);
    assert_eq!(lpar_state(&mut world, "src", "flaky1"), "Running");
    assert_eq!(
        ok(
            &mut world,
            "lssyscfg -r lpar -m dst --filter lpar_names=flaky1"
        ),
        "No results were found.\n"
    );
    // The fault fires once: the next try works.
    let reply = run(&mut world, "hmc", "migrlpar -o m -m src -t dst -p flaky1");
    assert_eq!(reply.exit_status, 0);
    wait(&mut world, reply.duration().as_secs_f64());
    assert_eq!(lpar_state(&mut world, "dst", "flaky1"), "Running");
}

#[test]
fn a_powervm_remote_restart_partition_takes_a_device_on_the_target() {
    let mut world = lab();
    let reply = run(&mut world, "hmc", "migrlpar -o m -m p7a -t p7b -p ora1");
    assert_eq!(reply.exit_status, 0, "{}", reply.stdout_text());
    wait(&mut world, reply.duration().as_secs_f64());
    assert_eq!(
        ok(&mut world, "lssyscfg -r lpar -m p7b --filter lpar_names=ora1 -F state,rs_device_name,primary_rs_vios_name"),
        "Running,hdisk1,p7b-vios1\n"
    );
    assert_eq!(
        ok(
            &mut world,
            "lshwres -r rspool -m p7a --rsubtype rsdev -F device_name,lpar_name"
        ),
        "hdisk1,none\nhdisk2,none\nhdisk3,none\n"
    );
    // Back again: p7a has free devices big enough (hdisk3 is too small).
    let reply = run(&mut world, "hmc", "migrlpar -o m -m p7b -t p7a -p ora1");
    assert_eq!(reply.exit_status, 0, "{}", reply.stdout_text());
    // With no free device on the target the move is refused.
    let mut world = lab();
    ok(
        &mut world,
        "chsyscfg -r lpar -m p7b -i name=p7b-vios1,migration_disabled=0",
    );
    ok(
        &mut world,
        "chhwres -r rspool -m p7b -o r -p p7b-vios1 --rsubtype rsdev --device hdisk1",
    );
    ok(
        &mut world,
        "chhwres -r rspool -m p7b -o r -p p7b-vios1 --rsubtype rsdev --device hdisk6",
    );
    wait(&mut world, 10.0);
    refused(
        &mut world,
        "migrlpar -o v -m p7a -t p7b -p ora1",
        "HSCLA615",
    );
}

// ------------------------------------------------------------------ remote restart

#[test]
fn simplified_remote_restart_cycle() {
    let mut world = lab();
    // Validation: the id 3 of rr1 is taken on dst, so the warning comes, exit 0.
    let reply = run(
        &mut world,
        "hmc",
        "rrstartlpar -o validate -m down -t dst -p rr1",
    );
    assert_eq!(reply.exit_status, 0);
    assert_eq!(reply.stdout_text(), fixture("hmc/rrstartlpar_hscla32f.txt"));
    assert_eq!(reply.duration(), Duration::from_secs(6));
    assert_eq!(
        attr(&mut world, "hmc", "down", "rr1", "remote_restart_status"),
        "Remote Restartable"
    );

    let reply = run(
        &mut world,
        "hmc",
        "rrstartlpar -o restart -m down -t dst -p rr1 -d 5 -v",
    );
    assert_eq!(reply.exit_status, 0, "{}", reply.stdout_text());
    assert_eq!(reply.stdout_text(), fixture("hmc/rrstartlpar_hscla32f.txt"));
    // 30 s + 1.5 s per GB of its 8 GB.
    assert_eq!(reply.duration(), Duration::from_secs(42));
    wait(&mut world, 1.0);
    assert_eq!(
        ok(&mut world, "lssyscfg -r lpar -m down --filter lpar_names=rr1 -F lpar_id,state,remote_restart_status"),
        "3,Not Available,Source Remote Restarting\n"
    );
    assert_eq!(
        ok(&mut world, "lssyscfg -r lpar -m dst --filter lpar_names=rr1 -F lpar_id,state,remote_restart_status"),
        "4,Starting,Destination Remote Restarting\n"
    );
    // Past the point of no return (60 %).
    wait(&mut world, 25.0);
    assert_eq!(
        attr(&mut world, "hmc", "down", "rr1", "remote_restart_status"),
        "Remote Restarted"
    );
    assert_eq!(
        attr(&mut world, "hmc", "dst", "rr1", "remote_restart_status"),
        "Destination Remote Restarted"
    );
    refused(
        &mut world,
        "rrstartlpar -o cancel -m down -p rr1",
        "HSCLA9E0",
    );
    wait(&mut world, 16.5);
    assert_eq!(
        ok(
            &mut world,
            "lssyscfg -r lpar -m dst --filter lpar_names=rr1 -F state,rmc_state"
        ),
        "Running,active\n"
    );
    // The stale copy stays on the source until cleanup, which needs the source back.
    assert_eq!(lpar_state(&mut world, "down", "rr1"), "Not Available");
    let text = refused(
        &mut world,
        "rrstartlpar -o cleanup -m down -p rr1",
        "HSCLA9D8",
    );
    assert!(text.contains("Error - Dump in progress"));
    refused(
        &mut world,
        "rrstartlpar -o restart -m down -t dst -p rr1",
        "HSCLA9D2",
    );
    ok(&mut world, "simctl state hmc down Standby");
    // A partition that was never restarted has nothing to clean.
    refused(
        &mut world,
        "rrstartlpar -o cleanup -m down -p rr2",
        "HSCLA9D9",
    );
    // The stale copy cannot be started by mistake.
    ok(&mut world, "simctl state hmc down Operating");
    refused(
        &mut world,
        "chsysstate -r lpar -m down -o on -n rr1 -f default_profile",
        "HSCLA9DF",
    );
    for vios in ["down-vios1", "down-vios2"] {
        ok(
            &mut world,
            &format!("chsysstate -r lpar -m down -o on -n {vios}"),
        );
    }
    wait(&mut world, 62.0);
    let reply = run(
        &mut world,
        "hmc",
        "rrstartlpar -o cleanup -m down -p rr1 -d 5 -v --force",
    );
    assert_eq!(reply.exit_status, 0);
    assert_eq!(reply.duration(), Duration::from_secs(15));
    wait(&mut world, 15.0);
    assert_eq!(
        ok(
            &mut world,
            "lssyscfg -r lpar -m down --filter lpar_names=rr1"
        ),
        "No results were found.\n"
    );
    assert_eq!(
        attr(&mut world, "hmc", "dst", "rr1", "remote_restart_status"),
        "Remote Restartable"
    );
}

#[test]
fn remote_restart_refusals() {
    let mut world = lab();
    let cases = [
        ("rrstartlpar -o validate -m src -t dst -p app1", "HSCLA9CE"),
        ("rrstartlpar -o validate -m down -t off -p rr1", "HSCLA9CE"),
        (
            "rrstartlpar -o validate -m down -t nolpm -p rr1",
            "HSCLA9D0",
        ),
        (
            "rrstartlpar -o validate -m down -t dst -p rrnocap",
            "HSCLA9D1",
        ),
        (
            "rrstartlpar -o validate -m down -t dst -p rrinvalid",
            "HSCLA9D2",
        ),
        (
            "rrstartlpar -o validate -m down -t dst -p down-vios1",
            "HSCLA9D4",
        ),
        (
            "rrstartlpar -o validate -m down -t dst -p rrbig",
            "HSCLA9D5",
        ),
        (
            "rrstartlpar -o validate -m down -t dst -p rrcpu",
            "HSCLA9D6",
        ),
        (
            "rrstartlpar -o validate -m down -t dst -p clash",
            "HSCLA9D7",
        ),
        (
            "rrstartlpar -o validate -m down -t dst -p rrphys",
            "HSCLA9DC",
        ),
        ("rrstartlpar -o validate -m down -t down -p rr1", "HSCLA9E3"),
        (
            "rrstartlpar -o restart -m down -t dst -p rr1 --ip hmc2",
            "HSCL3653",
        ),
        (
            "rrstartlpar -o restart -m down -t dst -p nosuch",
            "HSCL8012",
        ),
        ("rrstartlpar -o cancel -m down -p rr1", "HSCLA9DA"),
        ("rrstartlpar -o recover -m down -p rr1", "HSCLA9DB"),
        ("rrstartlpar -o cleanup -m src -p app1", "HSCLA9D9"),
    ];
    for (line, code) in cases {
        refused(&mut world, line, code);
    }
    let text = refused(
        &mut world,
        "rrstartlpar -o validate -m src -t dst -p app1",
        "HSCLA9CE",
    );
    assert_eq!(text, fixture("hmc/rrstartlpar_hscla9ce.txt"));
    let text = refused(
        &mut world,
        "rrstartlpar -o validate -m down -t dst -p rrinvalid",
        "HSCLA9D2",
    );
    assert!(text.contains("is Invalid."), "{text}");
    // The source states that allow a restart (rrstartlpar man page).
    for state in [
        "Power Off In Progress",
        "Power Off",
        "Error",
        "Error - Dump in progress",
        "Initializing",
    ] {
        ok(&mut world, &format!("simctl state hmc down {state}"));
        let reply = run(
            &mut world,
            "hmc",
            "rrstartlpar -o validate -m down -t dst -p rr1",
        );
        assert_eq!(reply.exit_status, 0, "{state}: {}", reply.stdout_text());
        // --noconnection is for a source the HMC cannot see, and only for that.
        refused(
            &mut world,
            "rrstartlpar -o validate -m down -t dst -p rr1 --noconnection",
            "HSCLA9E6",
        );
    }
    // No Connection: the HMC cannot tell whether the partitions still run, so the
    // restart needs --noconnection (the operator's word that they are down).
    ok(&mut world, "simctl state hmc down No Connection");
    refused(
        &mut world,
        "rrstartlpar -o validate -m down -t dst -p rr1",
        "HSCLA9E5",
    );
    refused(
        &mut world,
        "rrstartlpar -o restart -m down -t dst -p rr1",
        "HSCLA9E5",
    );
    let reply = run(
        &mut world,
        "hmc",
        "rrstartlpar -o validate -m down -t dst -p rr1 --noconnection",
    );
    assert_eq!(reply.exit_status, 0, "{}", reply.stdout_text());
    for state in ["Operating", "Standby", "Recovery"] {
        ok(&mut world, &format!("simctl state hmc down {state}"));
        refused(
            &mut world,
            "rrstartlpar -o validate -m down -t dst -p rr1",
            "HSCLA9CE",
        );
    }
}

#[test]
fn a_restart_can_be_cancelled_before_the_point_of_no_return() {
    let mut world = lab();
    ok(&mut world, "rrstartlpar -o restart -m down -t dst -p rr2");
    wait(&mut world, 7.0);
    refused(
        &mut world,
        "rrstartlpar -o restart -m down -t dst -p rr2",
        "HSCLA9DE",
    );
    refused(
        &mut world,
        "rrstartlpar -o recover -m down -p rr2",
        "HSCLA9DE",
    );
    let reply = run(&mut world, "hmc", "rrstartlpar -o cancel -m down -p rr2");
    assert_eq!(reply.exit_status, 0);
    assert_eq!(reply.duration(), Duration::from_secs(8));
    wait(&mut world, 8.0);
    assert_eq!(
        attr(&mut world, "hmc", "down", "rr2", "remote_restart_status"),
        "Remote Restartable"
    );
    assert_eq!(
        ok(
            &mut world,
            "lssyscfg -r lpar -m dst --filter lpar_names=rr2"
        ),
        "No results were found.\n"
    );
    // Nothing happens at the time the cancelled restart would have ended.
    wait(&mut world, 60.0);
    assert_eq!(
        ok(
            &mut world,
            "lssyscfg -r lpar -m dst --filter lpar_names=rr2"
        ),
        "No results were found.\n"
    );
    assert_eq!(
        run(
            &mut world,
            "hmc",
            "rrstartlpar -o validate -m down -t dst -p rr2"
        )
        .exit_status,
        0
    );
}

#[test]
fn a_failed_restart_is_recovered() {
    let mut world = lab();
    let reply = run(
        &mut world,
        "hmc",
        "rrstartlpar -o restart -m down -t dst -p rrflaky",
    );
    assert_eq!(reply.exit_status, 1);
    assert!(reply
        .stdout_text()
        .contains("HSCLA9E4 The remote restart of the partition rrflaky"));
    wait(&mut world, reply.duration().as_secs_f64() + 0.1);
    assert_eq!(
        attr(
            &mut world,
            "hmc",
            "down",
            "rrflaky",
            "remote_restart_status"
        ),
        "Source Remote Restarting"
    );
    assert_eq!(
        ok(
            &mut world,
            "lssyscfg -r lpar -m dst --filter lpar_names=rrflaky -F state,remote_restart_status"
        ),
        "Not Activated,Destination Remote Restarting\n"
    );
    refused(
        &mut world,
        "rrstartlpar -o cancel -m down -p rrflaky",
        "HSCLA9E0",
    );
    let reply = run(
        &mut world,
        "hmc",
        "rrstartlpar -o recover -m down -p rrflaky",
    );
    assert_eq!(reply.exit_status, 0);
    wait(&mut world, 10.0);
    assert_eq!(
        attr(
            &mut world,
            "hmc",
            "down",
            "rrflaky",
            "remote_restart_status"
        ),
        "Remote Restartable"
    );
    assert_eq!(
        ok(
            &mut world,
            "lssyscfg -r lpar -m dst --filter lpar_names=rrflaky"
        ),
        "No results were found.\n"
    );
    let reply = run(
        &mut world,
        "hmc",
        "rrstartlpar -o restart -m down -t dst -p rrflaky",
    );
    assert_eq!(reply.exit_status, 0);
}

#[test]
fn powervm_remote_restart_with_reserved_storage() {
    let mut world = lab();
    // As in the published field report (docs/formats.md, "HMC: rrstartlpar"): power the
    // source off, too early is refused.
    ok(&mut world, "chsysstate -m p7a -r sys -o off --immed");
    wait(&mut world, 1.0);
    assert_eq!(
        system_state(&mut world, "hmc", "p7a"),
        "Power Off In Progress"
    );
    assert_eq!(lpar_state(&mut world, "p7a", "ora1"), "Not Available");
    wait(&mut world, 20.0);
    assert_eq!(system_state(&mut world, "hmc", "p7a"), "Power Off");
    refused(
        &mut world,
        "rrstartlpar -o validate -m p7a -t p7b -p ora2",
        "HSCLA9D3",
    );
    refused(
        &mut world,
        "rrstartlpar -o validate -m p7a -t p7c -p ora1",
        "HSCLA9E2",
    );
    refused(
        &mut world,
        "rrstartlpar -o validate -m p7a -t dst -p ora1",
        "HSCLA9D0",
    );
    let reply = run(
        &mut world,
        "hmc",
        "rrstartlpar -o restart -m p7a -t p7b -p ora1 -d 5 -v",
    );
    assert_eq!(reply.exit_status, 0, "{}", reply.stdout_text());
    assert_eq!(reply.stdout_text(), "", "id 3 is free on p7b: no warning");
    wait(&mut world, reply.duration().as_secs_f64());
    assert_eq!(
        ok(
            &mut world,
            "lssyscfg -r lpar -m p7b --filter lpar_names=ora1 -F lpar_id,state,rs_device_name"
        ),
        "3,Running,hdisk1\n"
    );
    // Source back, VIOS started by the power-on policy, cleanup without --retaindev:
    // the device leaves the pool.
    ok(&mut world, "chsysstate -m p7a -r sys -o on");
    wait(&mut world, 121.0);
    assert_eq!(system_state(&mut world, "hmc", "p7a"), "Operating");
    // The VIOS are still booting: cleanup waits for them.
    refused(
        &mut world,
        "rrstartlpar -o cleanup -m p7a -p ora1",
        "HSCLA9E8",
    );
    wait(&mut world, 60.0);
    ok(&mut world, "rrstartlpar -o cleanup -m p7a -p ora1");
    wait(&mut world, 15.0);
    assert_eq!(
        ok(
            &mut world,
            "lshwres -r rspool -m p7a --rsubtype rsdev -F device_name"
        ),
        "hdisk2\nhdisk3\n"
    );
    assert!(ok(&mut world, "lsmemdev -r avail -m p7a -F device_name").contains("hdisk1\n"));
}

#[test]
fn cleanup_with_retaindev_keeps_the_device_in_the_pool() {
    let mut world = lab();
    ok(&mut world, "simctl state hmc p7a Error");
    let reply = run(
        &mut world,
        "hmc",
        "rrstartlpar -o restart -m p7a -t p7b -p ora1",
    );
    wait(&mut world, reply.duration().as_secs_f64());
    ok(&mut world, "simctl state hmc p7a Standby");
    for vios in ["p7a-vios1", "p7a-vios2"] {
        ok(
            &mut world,
            &format!("chsysstate -r lpar -m p7a -o on -n {vios}"),
        );
    }
    wait(&mut world, 62.0);
    ok(
        &mut world,
        "rrstartlpar -o cleanup -m p7a -p ora1 --retaindev",
    );
    wait(&mut world, 15.0);
    assert_eq!(
        ok(
            &mut world,
            "lshwres -r rspool -m p7a --rsubtype rsdev -F device_name,lpar_name"
        ),
        "hdisk1,none\nhdisk2,none\nhdisk3,none\n"
    );
}

/// A source back in Standby with its VIOS down, the stale copy of app1 (whose next
/// cleanup fails) and the target running app1.
const BACK: &str = r#"
[[hmc]]
name = "hmc"

[[hmc.systems]]
name = "src"
type_model = "8286-42A"
serial_num = "1111111"
state = "Standby"
generation = "POWER8"
srr_capable = true
memory_mb = 262144
proc_units = 16.0
lpars = [
  { name = "src-vios1", id = 1, env = "vioserver", state = "Not Activated", rmc_ipaddr = "10.0.1.1", memory_mb = 4096, proc_units = 1.0 },
  { name = "src-vios2", id = 2, env = "vioserver", state = "Not Activated", rmc_ipaddr = "10.0.1.2", memory_mb = 4096, proc_units = 1.0 },
  { name = "app1", id = 3, state = "Not Activated", rmc_ipaddr = "10.0.1.3", memory_mb = 8192, proc_units = 0.5, srr = true, rr_status = "Remote Restarted", fail_cleanup = true },
]

[[hmc.systems]]
name = "dst"
type_model = "9009-42A"
serial_num = "2222222"
generation = "POWER9"
srr_capable = true
memory_mb = 262144
proc_units = 16.0
lpars = [
  { name = "dst-vios1", id = 1, env = "vioserver", rmc_ipaddr = "10.0.2.1", memory_mb = 4096, proc_units = 1.0 },
  { name = "app1", id = 3, rmc_ipaddr = "10.0.2.3", memory_mb = 8192, proc_units = 0.5, srr = true, rr_status = "Destination Remote Restarted" },
]
"#;

#[test]
fn cleanup_needs_the_source_vios_and_force_after_a_failed_one() {
    let mut world = inline(BACK);
    let text = refused(
        &mut world,
        "rrstartlpar -o cleanup -m src -p app1",
        "HSCLA9E8",
    );
    assert!(text.contains("src-vios1"), "{text}");
    ok(&mut world, "chsysstate -r lpar -m src -o on -n src-vios1");
    wait(&mut world, 61.0);
    // One VIOS is not enough.
    refused(
        &mut world,
        "rrstartlpar -o cleanup -m src -p app1",
        "HSCLA9E8",
    );
    ok(&mut world, "chsysstate -r lpar -m src -o on -n src-vios2");
    wait(&mut world, 61.0);
    // Simplified remote restart has no reserved storage device to retain.
    refused(
        &mut world,
        "rrstartlpar -o cleanup -m src -p app1 --retaindev",
        "HSCLA9E9",
    );
    // The cleanup fails part-way and says how to go on.
    let reply = run(&mut world, "hmc", "rrstartlpar -o cleanup -m src -p app1");
    assert_eq!(reply.exit_status, 1);
    assert!(
        reply.stdout_text().starts_with("HSCLA9EB "),
        "{}",
        reply.stdout_text()
    );
    assert!(reply.stdout_text().contains("--force"));
    wait(&mut world, reply.duration().as_secs_f64());
    assert_eq!(
        attr(&mut world, "hmc", "src", "app1", "remote_restart_status"),
        "Source Side Cleanup Failed"
    );
    refused(
        &mut world,
        "rrstartlpar -o cleanup -m src -p app1",
        "HSCLA9EA",
    );
    // The stale copy still cannot be started.
    refused(
        &mut world,
        "chsysstate -r lpar -m src -o on -n app1",
        "HSCLA9DF",
    );
    ok(&mut world, "rrstartlpar -o cleanup -m src -p app1 --force");
    wait(&mut world, 15.0);
    assert_eq!(
        ok(
            &mut world,
            "lssyscfg -r lpar -m src --filter lpar_names=app1"
        ),
        "No results were found.\n"
    );
    assert_eq!(
        attr(&mut world, "hmc", "dst", "app1", "remote_restart_status"),
        "Remote Restartable"
    );
}

#[test]
fn an_os_that_hangs_in_its_shutdown_keeps_running_until_a_delayed_shutdown() {
    let mut world = inline(
        r#"
[[hmc]]
name = "hmc"
[[hmc.systems]]
name = "sys"
type_model = "9009-22A"
serial_num = "1234567"
memory_mb = 65536
proc_units = 4.0
lpars = [
  { name = "vios1", id = 1, env = "vioserver", rmc_ipaddr = "10.0.0.1", memory_mb = 4096, proc_units = 1.0 },
  { name = "hung", id = 2, rmc_ipaddr = "10.0.0.2", memory_mb = 4096, proc_units = 0.5, hang_os_shutdown = true },
  { name = "fine", id = 3, rmc_ipaddr = "10.0.0.3", memory_mb = 4096, proc_units = 0.5 },
]
"#,
    );
    ok(
        &mut world,
        "chsysstate -r lpar -m sys -o osshutdown -n hung",
    );
    ok(
        &mut world,
        "chsysstate -r lpar -m sys -o osshutdown -n fine",
    );
    // An OS shutdown takes longer than a delayed one (40 s).
    wait(&mut world, 41.0);
    assert_eq!(lpar_state(&mut world, "sys", "fine"), "Shutting Down");
    wait(&mut world, 5.0);
    assert_eq!(lpar_state(&mut world, "sys", "fine"), "Not Activated");
    wait(&mut world, 600.0);
    assert_eq!(lpar_state(&mut world, "sys", "hung"), "Running");
    ok(&mut world, "chsysstate -r lpar -m sys -o shutdown -n hung");
    wait(&mut world, 41.0);
    assert_eq!(lpar_state(&mut world, "sys", "hung"), "Not Activated");
}

// ------------------------------------------------------------------ power

#[test]
fn partition_power_operations() {
    let mut world = lab();
    let reply = run(
        &mut world,
        "hmc",
        "chsysstate -r lpar -m src -o on -n off1 -f default_profile",
    );
    assert_eq!(reply.exit_status, 0);
    assert_eq!(reply.stdout_text(), "");
    assert_eq!(reply.duration(), Duration::from_secs(2));
    assert_eq!(lpar_state(&mut world, "src", "off1"), "Starting");
    assert_eq!(
        attr(&mut world, "hmc", "src", "off1", "rmc_state"),
        "inactive"
    );
    wait(&mut world, 30.0);
    assert_eq!(lpar_state(&mut world, "src", "off1"), "Running");
    assert_eq!(
        attr(&mut world, "hmc", "src", "off1", "rmc_state"),
        "active"
    );
    refused(
        &mut world,
        "chsysstate -r lpar -m src -o on -n off1",
        "HSCL3681",
    );

    ok(
        &mut world,
        "chsysstate -r lpar -m src -o osshutdown -n off1",
    );
    assert_eq!(lpar_state(&mut world, "src", "off1"), "Shutting Down");
    refused(
        &mut world,
        "chsysstate -r lpar -m src -o on -n off1",
        "HSCL2B03",
    );
    wait(&mut world, 44.0);
    assert_eq!(lpar_state(&mut world, "src", "off1"), "Shutting Down");
    wait(&mut world, 1.0);
    assert_eq!(lpar_state(&mut world, "src", "off1"), "Not Activated");
    refused(
        &mut world,
        "chsysstate -r lpar -m src -o shutdown -n off1",
        "HSCL1558",
    );

    // Immediate restart: down in 8 s, up 30 s later.
    ok(
        &mut world,
        "chsysstate -r lpar -m src -o shutdown --immed --restart --id 3",
    );
    wait(&mut world, 8.0);
    assert_eq!(lpar_state(&mut world, "src", "app1"), "Starting");
    wait(&mut world, 30.0);
    assert_eq!(lpar_state(&mut world, "src", "app1"), "Running");

    // SMS boot stops in Open Firmware.
    ok(
        &mut world,
        "chsysstate -r lpar -m src -o shutdown --immed -n normc1",
    );
    refused(
        &mut world,
        "chsysstate -r lpar -m src -o osshutdown -n normc1",
        "HSCL2B03",
    );
    wait(&mut world, 8.0);
    ok(
        &mut world,
        "chsysstate -r lpar -m src -o on -n normc1 -b sms",
    );
    wait(&mut world, 30.0);
    assert_eq!(lpar_state(&mut world, "src", "normc1"), "Open Firmware");
    let text = refused(
        &mut world,
        "chsysstate -r lpar -m src -o on -n fresh1",
        "HSCL3680",
    );
    assert!(text.contains("-f"));
    refused(
        &mut world,
        "chsysstate -r lpar -m src -o on -n fresh1 -f other",
        "HSCL8012",
    );
    ok(
        &mut world,
        "chsysstate -r lpar -m src -o on -n fresh1 -f default_profile",
    );
    assert_eq!(
        attr(&mut world, "hmc", "src", "fresh1", "remote_restart_status"),
        "Remote Restartable"
    );
    assert_ne!(attr(&mut world, "hmc", "src", "fresh1", "curr_profile"), "");
    refused(
        &mut world,
        "chsysstate -r lpar -m down -o on -n rr1",
        "HSCL0238",
    );
    refused(
        &mut world,
        "chsysstate -r lpar -m p7a -o on -n ora2",
        "HSCLA9E1",
    );
}

#[test]
fn osshutdown_needs_rmc_and_activation_needs_room() {
    let mut world = lab();
    let text = refused(
        &mut world,
        "chsysstate -r lpar -m src -o osshutdown -n normc1",
        "HSCL0DB4",
    );
    assert!(text.contains("--immed"));
    ok(
        &mut world,
        "chsysstate -r lpar -m src -o osshutdown --immed -n app1",
    );
    wait(&mut world, 15.0);
    assert_eq!(lpar_state(&mut world, "src", "app1"), "Not Activated");
    // dst: 64 GB, VIOS 8 GB; a 60 GB partition does not fit.
    let mut world = inline(
        r#"
[[hmc]]
name = "hmc"
[[hmc.systems]]
name = "small"
type_model = "9009-22A"
serial_num = "1234567"
memory_mb = 65536
proc_units = 4.0
lpars = [
  { name = "vios1", id = 1, env = "vioserver", memory_mb = 8192, proc_units = 1.0 },
  { name = "huge", id = 2, state = "Not Activated", memory_mb = 61440, proc_units = 1.0 },
]
"#,
    );
    let text = refused(
        &mut world,
        "chsysstate -r lpar -m small -o on -n huge",
        "HSCL2B04",
    );
    assert!(text.contains("57344 MB"), "{text}");
}

#[test]
fn system_power_cycle_with_the_start_policy() {
    let mut world = lab();
    refused(&mut world, "chsysstate -r sys -m src -o on", "HSCL2B01");
    ok(&mut world, "chsysstate -r sys -m off -o on");
    assert_eq!(system_state(&mut world, "hmc", "off"), "Initializing");
    wait(&mut world, 119.0);
    assert_eq!(system_state(&mut world, "hmc", "off"), "Initializing");
    wait(&mut world, 1.0);
    assert_eq!(system_state(&mut world, "hmc", "off"), "Operating");
    // VIOS start at once, auto_start clients once the VIOS are up.
    assert_eq!(
        ok(&mut world, "lssyscfg -r lpar -m off -F name,state"),
        "off-vios1,Starting\noff-vios2,Starting\noff-app1,Not Activated\noff-app2,Not Activated\n"
    );
    wait(&mut world, 61.0);
    assert_eq!(
        ok(&mut world, "lssyscfg -r lpar -m off -F name,state"),
        "off-vios1,Running\noff-vios2,Running\noff-app1,Starting\noff-app2,Not Activated\n"
    );
    wait(&mut world, 30.0);
    assert_eq!(lpar_state(&mut world, "off", "off-app1"), "Running");

    // A delayed power off takes a minute; partitions are then Not Activated.
    ok(&mut world, "chsysstate -r sys -m off -o off");
    wait(&mut world, 59.0);
    assert_eq!(
        system_state(&mut world, "hmc", "off"),
        "Power Off In Progress"
    );
    wait(&mut world, 1.0);
    assert_eq!(system_state(&mut world, "hmc", "off"), "Power Off");
    assert_eq!(lpar_state(&mut world, "off", "off-app1"), "Not Activated");
    refused(&mut world, "chsysstate -r sys -m off -o off", "HSCL2B02");

    ok(&mut world, "chsysstate -r sys -m off -o onstandby");
    wait(&mut world, 90.0);
    assert_eq!(system_state(&mut world, "hmc", "off"), "Standby");
    assert_eq!(lpar_state(&mut world, "off", "off-vios1"), "Not Activated");
    // Activating a partition takes a Standby system to Operating.
    ok(&mut world, "chsysstate -r lpar -m off -o on -n off-vios1");
    assert_eq!(system_state(&mut world, "hmc", "off"), "Operating");

    // off --immed --restart: 20 s down, then a 120 s IPL.
    refused(
        &mut world,
        "chsysstate -r sys -m src -o off --restart",
        "The command entered",
    );
    ok(
        &mut world,
        "chsysstate -r sys -m src -o off --immed --restart",
    );
    wait(&mut world, 20.0);
    assert_eq!(system_state(&mut world, "hmc", "src"), "Initializing");
    wait(&mut world, 120.0);
    assert_eq!(system_state(&mut world, "hmc", "src"), "Operating");
    assert_eq!(lpar_state(&mut world, "src", "app1"), "Not Activated");
    assert_eq!(lpar_state(&mut world, "src", "src-vios1"), "Starting");
}

// ------------------------------------------------------------------ reserved storage changes

#[test]
fn creating_a_pool_and_adding_devices() {
    let mut world = lab();
    // The published quoting: -a vios_names=\"vios1,vios2\" (docs/formats.md,
    // "HMC: reserved storage").
    let reply = run(
        &mut world,
        "hmc",
        r#"chhwres -r rspool -m p7c -o a -a vios_names=\"p7c-vios1,p7c-vios2\""#,
    );
    assert_eq!(reply.exit_status, 0, "{}", reply.stdout_text());
    assert_eq!(reply.duration(), Duration::from_secs(5));
    assert_eq!(
        ok(&mut world, "lshwres -r rspool -m p7c"),
        "No results were found.\n"
    );
    wait(&mut world, 5.0);
    assert_eq!(
        ok(&mut world, "lshwres -r rspool -m p7c"),
        "state=Active,\"vios_names=p7c-vios1,p7c-vios2\",\"vios_ids=1,2\"\n"
    );
    refused(
        &mut world,
        "chhwres -r rspool -m p7c -o a -a '\"vios_names=p7c-vios1,p7c-vios2\"'",
        "HSCL2C02",
    );
    ok(
        &mut world,
        "chhwres -r rspool -m p7c -o a -p p7c-vios1 --rsubtype rsdev --device hdisk20 --manual",
    );
    ok(
        &mut world,
        "chhwres -r rspool -m p7c -o a -p p7c-vios2 --rsubtype rsdev --device hdisk21",
    );
    wait(&mut world, 5.0);
    assert_eq!(
        ok(&mut world, "lshwres -r rspool -m p7c --rsubtype rsdev -F device_name,vios_name,state,lpar_name,device_selection_type"),
        "hdisk20,p7c-vios1,Inactive,none,manual\nhdisk21,p7c-vios2,Inactive,none,auto\n"
    );
    assert_eq!(
        ok(&mut world, "lsmemdev -r avail -m p7c"),
        "No results were found.\n"
    );
    ok(
        &mut world,
        "chhwres -r rspool -m p7c -o r -p p7c-vios2 --rsubtype rsdev --device hdisk21",
    );
    wait(&mut world, 5.0);
    assert_eq!(
        ok(&mut world, "lsmemdev -r avail -m p7c -F device_name"),
        "hdisk21\n"
    );
    // Removing the pool gives its devices back.
    ok(&mut world, "chhwres -r rspool -m p7c -o r");
    wait(&mut world, 5.0);
    assert_eq!(
        ok(&mut world, "lshwres -r rspool -m p7c"),
        "No results were found.\n"
    );
    assert_eq!(
        ok(&mut world, "lsmemdev -r avail -m p7c -F device_name"),
        "hdisk21\nhdisk20\n"
    );
}

#[test]
fn pool_refusals() {
    let mut world = lab();
    let cases = [
        (
            "chhwres -r rspool -m src -o a -a vios_names=src-vios1",
            "HSCL2C01",
        ),
        (
            "chhwres -r rspool -m p7a -o a -a vios_names=p7a-vios1",
            "HSCL2C02",
        ),
        (
            "chhwres -r rspool -m p7c -o a -p p7c-vios1 --rsubtype rsdev --device hdisk20",
            "HSCL2C03",
        ),
        (
            "chhwres -r rspool -m p7c -o a -a vios_names=web1",
            "HSCL2C04",
        ),
        (
            "chhwres -r rspool -m p7a -o a -p ora1 --rsubtype rsdev --device hdisk4",
            "HSCL2C04",
        ),
        (
            "chhwres -r rspool -m p7a -o a -p p7a-vios1 --rsubtype rsdev --device hdisk5",
            "HSCL2C05",
        ),
        (
            "chhwres -r rspool -m p7a -o a -p p7a-vios1 --rsubtype rsdev --device hdisk2",
            "HSCL2C06",
        ),
        (
            "chhwres -r rspool -m p7a -o r -p p7a-vios1 --rsubtype rsdev --device hdisk1",
            "HSCL2C07",
        ),
        ("chhwres -r rspool -m p7a -o r", "HSCL2C07"),
        (
            "chhwres -r rspool -m p7a -o r -p p7a-vios1 --rsubtype rsdev --device hdisk9",
            "HSCL2C08",
        ),
    ];
    for (line, code) in cases {
        refused(&mut world, line, code);
    }
    let reply = run(
        &mut world,
        "hmc",
        "chhwres -r rspool -m p7a -o a -a bogus=1",
    );
    assert_eq!(reply.exit_status, 1);
    assert!(reply.stdout_text().contains("invalid attribute is bogus"));
}

#[test]
fn assigning_a_reserved_storage_device() {
    let mut world = lab();
    // The device hdisk1 is ora1's.
    let text = refused(
        &mut world,
        r#"chsyscfg -r lpar -m p7a -i "name=ora2,primary_rs_vios_name=p7a-vios1,secondary_rs_vios_name=p7a-vios2,rs_device_name=hdisk1""#,
        "HSCL2C09",
    );
    assert!(text.contains("already assigned to the partition ora1"));
    refused(
        &mut world,
        "chsyscfg -r lpar -m p7a -i name=ora2,rs_device_name=hdisk3",
        "HSCL2C0B",
    );
    refused(
        &mut world,
        "chsyscfg -r lpar -m p7a -i name=ora2,rs_device_name=hdisk4",
        "HSCL2C08",
    );
    refused(
        &mut world,
        "chsyscfg -r lpar -m p7a -i name=web1,rs_device_name=hdisk2",
        "HSCL2C0A",
    );
    refused(
        &mut world,
        "chsyscfg -r lpar -m p7a -i name=ora2,primary_rs_vios_name=web1",
        "HSCL2C04",
    );
    refused(
        &mut world,
        "chsyscfg -r lpar -m src -i name=app1,rs_device_name=hdisk2",
        "HSCL2C01",
    );
    refused(
        &mut world,
        "chsyscfg -r lpar -m p7a -i name=nosuch,rs_device_name=hdisk2",
        "HSCL8012",
    );
    let reply = run(
        &mut world,
        "hmc",
        "chsyscfg -r lpar -m p7a -i name=ora2,bogus=1",
    );
    assert_eq!(reply.exit_status, 1);
    assert!(reply
        .stdout_text()
        .contains("The invalid attribute is bogus."));

    let reply = run(
        &mut world,
        "hmc",
        r#"chsyscfg -r lpar -m p7a -i "name=ora2,primary_rs_vios_name=p7a-vios1,secondary_rs_vios_name=p7a-vios2,rs_device_name=hdisk2""#,
    );
    assert_eq!(reply.exit_status, 0);
    assert_eq!(reply.stdout_text(), "");
    assert_eq!(reply.duration(), Duration::from_secs(2));
    wait(&mut world, 2.0);
    assert_eq!(
        ok(&mut world, "lssyscfg -r lpar -m p7a --filter lpar_names=ora2 -F primary_rs_vios_name,secondary_rs_vios_name,curr_rs_vios_name,rs_device_name"),
        "p7a-vios1,p7a-vios2,p7a-vios1,hdisk2\n"
    );
    assert!(ok(
        &mut world,
        "lshwres -r rspool -m p7a --rsubtype rsdev -F device_name,lpar_name,state"
    )
    .contains("hdisk2,ora2,Active\n"));
    // Now it can be activated.
    ok(
        &mut world,
        "chsysstate -r lpar -m p7a -o on -n ora2 -f default_profile",
    );
    wait(&mut world, 30.0);
    assert_eq!(lpar_state(&mut world, "p7a", "ora2"), "Running");
    // The primary VIOS down, the secondary serves the device.
    ok(
        &mut world,
        "chsysstate -r lpar -m p7a -o shutdown --immed -n p7a-vios1",
    );
    wait(&mut world, 8.0);
    assert_eq!(
        attr(&mut world, "hmc", "p7a", "ora2", "curr_rs_vios_name"),
        "p7a-vios2"
    );
    // Moving to another device releases the first.
    ok(
        &mut world,
        "chhwres -r rspool -m p7a -o a -p p7a-vios1 --rsubtype rsdev --device hdisk4 --manual",
    );
    wait(&mut world, 5.0);
    ok(
        &mut world,
        "chsyscfg -r lpar -m p7a -i name=ora2,rs_device_name=hdisk4",
    );
    wait(&mut world, 2.0);
    assert_eq!(
        ok(
            &mut world,
            "lshwres -r rspool -m p7a --rsubtype rsdev -F device_name,lpar_name"
        ),
        "hdisk1,ora1\nhdisk2,none\nhdisk3,none\nhdisk4,ora2\n"
    );
    refused(
        &mut world,
        "chsyscfg -r lpar -m p7a -i name=ora2,rs_device_name=hdisk9",
        "HSCL2C08",
    );
}

#[test]
fn other_partition_attributes() {
    let mut world = lab();
    let text = run(
        &mut world,
        "hmc",
        "chsyscfg -r lpar -m p7a -p web1 -i remote_restart_capable=1",
    )
    .stdout_text();
    assert_eq!(
        text,
        "An error occurred while changing the partition named web1.\nThe managed system does not support changing the remote restart capability of a partition. You must delete the partition and recreate it with the desired remote restart capability.\n"
    );
    refused(
        &mut world,
        "chsyscfg -r lpar -m src -i name=app1,simplified_remote_restart_capable=0",
        "HSCL2C0E",
    );
    refused(
        &mut world,
        "chsyscfg -r lpar -m nolpm -i name=nolpm-vios1,simplified_remote_restart_capable=1",
        "HSCL2C0C",
    );
    ok(
        &mut world,
        "chsyscfg -r lpar -m src -i name=off1,simplified_remote_restart_capable=1",
    );
    ok(
        &mut world,
        "chsyscfg -r lpar -m src -i name=app1,migration_disabled=1",
    );
    wait(&mut world, 2.0);
    assert_eq!(
        attr(&mut world, "hmc", "src", "off1", "remote_restart_status"),
        "Remote Restartable"
    );
    assert_eq!(
        attr(&mut world, "hmc", "src", "app1", "migration_disabled"),
        "1"
    );
    refused(
        &mut world,
        "migrlpar -o v -m src -t dst -p app1",
        "HSCLA605",
    );
}

// ------------------------------------------------------------------ firmware

#[test]
fn firmware_listing_and_repository_lookup() {
    let mut world = lab();
    let out = ok(&mut world, "lslic -m src -t sys");
    assert_eq!(
        out,
        "lic_type=Managed System,management_status=Enabled,disabled_reason=,activated_level=100,activated_spname=FW950.100,installed_level=100,installed_spname=FW950.100,accepted_level=100,accepted_spname=FW950.100,ecnumber=01VL950,mtms=9009-42A*1111111,deferred_level=None,deferred_spname=None,platform_ipl_level=100,platform_ipl_spname=FW950.100,curr_level_primary=100,curr_power_on_side_primary=temp,pend_power_on_side_primary=temp,temp_level_primary=100,perm_level_primary=100,update_control_primary=HMC,update_access_key_exp_date=06/14/2026\n"
    );
    let levels = parse_clean::<FirmwareLevels>(&out, "lslic");
    assert_eq!(levels[0].ecnumber.as_deref(), Some("01VL950"));
    assert_eq!(
        ok(&mut world, "lslic -m src -t sys -r sftp -h fw.example.com -u fwuser -d /fw -F retrievable_release,concurrent_retrievable_level,disruptive_retrievable_level"),
        "01VL960,110,120\n"
    );
    let out = ok(
        &mut world,
        "lslic -m src -t sys -r mountpoint -d /home/hscroot/fw",
    );
    let retrievable = parse_clean::<RetrievableLevels>(&out, "lslic -r");
    assert!(retrievable[0].newest_is_disruptive());
    refused(&mut world, "lslic -m src -t sys -r ibmwebsite", "HSCL2D03");
    let reply = run(&mut world, "hmc", "lslic -m src -t sys -r mountpoint");
    assert!(reply.stdout_text().ends_with("are -d.\n"));
    refused(&mut world, "lslic -m dst -t sys", "HSCL2D0B");
}

#[test]
fn disruptive_update_is_refused_while_partitions_run() {
    let mut world = lab();
    let text = refused(
        &mut world,
        "updlic -o a -m src -t sys -r mountpoint -d /home/hscroot/fw -l latest",
        "HSCL2D02",
    );
    assert!(text.contains("--allowpoweroff"));
    refused(
        &mut world,
        "updlic -o a -m src -t sys -r mountpoint -d /home/hscroot/fw -l 115",
        "HSCL2D02",
    );
    refused(
        &mut world,
        "updlic -o a -m src -t sys -r mountpoint -d /home/hscroot/fw -l 125",
        "HSCL2D04",
    );
    refused(
        &mut world,
        "updlic -o a -m src -t sys -r mountpoint -d /home/hscroot/fw -l 90",
        "HSCL2D01",
    );
    refused(
        &mut world,
        "updlic -o a -m src -t sys -r ibmwebsite -l latest",
        "HSCL2D03",
    );
    refused(&mut world, "updlic -o r -m src", "HSCL2D06");
    refused(&mut world, "updlic -o d -m src", "HSCL2D01");
    refused(
        &mut world,
        "updlic -o a -m down -t sys -r ibmwebsite -l latest",
        "HSCL2D09",
    );
    let text = refused(
        &mut world,
        "updlic -o u -m src -t sys -r mountpoint -d /home/hscroot/fw -l latest --allowpoweroff",
        "HSCL2D01",
    );
    assert!(text.starts_with("HSCL2D01 No updates available."), "{text}");
    let reply = run(&mut world, "hmc", "updlic -o a -m src -t sys");
    assert!(reply.stdout_text().ends_with("are -r, -l.\n"));
}

#[test]
fn disruptive_update_with_allowpoweroff_restarts_the_system() {
    let mut world = lab();
    let reply = run(
        &mut world,
        "hmc",
        "updlic -o a -m src -t sys -r mountpoint -d /home/hscroot/fw -l latest --allowpoweroff",
    );
    assert_eq!(reply.exit_status, 0, "{}", reply.stdout_text());
    let out = reply.stdout_text();
    assert!(out.contains("9009-42A*1111111 Managed System Primary: Activating updates - Powering off the managed system.\n"));
    assert!(out.ends_with("9009-42A*1111111: Completed All Updates.\n"));
    refused(&mut world, "updlic -o c -m src", "HSCL2D08");
    // Watch the system go down and come back while the command runs.
    let mut seen = Vec::new();
    let total = reply.duration().as_secs();
    for _ in 0..total {
        wait(&mut world, 1.0);
        let state = system_state(&mut world, "hmc", "src");
        if seen.last() != Some(&state) {
            seen.push(state);
        }
    }
    assert_eq!(
        seen,
        [
            "Operating",
            "Power Off In Progress",
            "Power Off",
            "Initializing",
            "Operating"
        ]
    );
    assert_eq!(
        ok(
            &mut world,
            "lslic -m src -F activated_level,installed_level,accepted_level,platform_ipl_level"
        ),
        "120,120,100,120\n"
    );
    assert_eq!(lpar_state(&mut world, "src", "app1"), "Not Activated");
    assert_eq!(lpar_state(&mut world, "src", "src-vios1"), "Starting");
    // Accept.
    let reply = run(&mut world, "hmc", "updlic -o c -m src");
    assert_eq!(reply.exit_status, 0);
    assert_eq!(reply.duration(), Duration::from_secs(45));
    wait(&mut world, 45.0);
    assert_eq!(ok(&mut world, "lslic -m src -F accepted_level"), "120\n");
}

#[test]
fn install_then_remove_and_release_upgrade() {
    let mut world = lab();
    let reply = run(
        &mut world,
        "hmc",
        "updlic -o i -m src -t sys -r mountpoint -d /home/hscroot/fw -l latest",
    );
    assert_eq!(reply.exit_status, 0);
    assert!(!reply.stdout_text().contains("Activating"));
    wait(&mut world, reply.duration().as_secs_f64());
    assert_eq!(
        ok(
            &mut world,
            "lslic -m src -F activated_level,installed_level,deferred_level"
        ),
        "100,120,120\n"
    );
    // The installed level is activated by the next IPL.
    ok(
        &mut world,
        "chsysstate -r sys -m src -o off --immed --restart",
    );
    wait(&mut world, 141.0);
    assert_eq!(
        ok(
            &mut world,
            "lslic -m src -F activated_level,platform_ipl_level"
        ),
        "120,120\n"
    );
    // Back out to the accepted level: below the IPL level, so disruptive.
    refused(&mut world, "updlic -o r -m src", "HSCL2D02");
    let reply = run(&mut world, "hmc", "updlic -o r -m src --allowpoweroff");
    assert_eq!(reply.exit_status, 0, "{}", reply.stdout_text());
    assert!(reply
        .stdout_text()
        .contains("9009-42A*1111111: Removing updates.\n"));
    wait(&mut world, reply.duration().as_secs_f64());
    assert_eq!(
        ok(
            &mut world,
            "lslic -m src -F activated_level,installed_level,accepted_level"
        ),
        "100,100,100\n"
    );
    // A new release from the SFTP server: always disruptive.
    refused(
        &mut world,
        "updlic -o u -m src -t sys -r sftp -h fw.example.com -u fwuser -d /fw -l latest",
        "HSCL2D02",
    );
    let reply = run(&mut world, "hmc", "updlic -o u -m src -t sys -r sftp -h fw.example.com -u fwuser -k /home/hscroot/.ssh/id_rsa -d /fw -l latest --allowpoweroff");
    assert_eq!(reply.exit_status, 0, "{}", reply.stdout_text());
    wait(&mut world, reply.duration().as_secs_f64());
    assert_eq!(
        ok(
            &mut world,
            "lslic -m src -F ecnumber,activated_level,activated_spname"
        ),
        "01VL960,20,FW960.20\n"
    );
}

/// A POWER9 whose update access key expired on 05/31/2025 (the simulator starts on
/// 06/14/2025), a POWER7+ without a key, a POWER10 on an HMC below its firmware's
/// minimum.
const KEYS: &str = r#"
[[hmc]]
name = "hmc"
version = "V10R2M1050"

[[hmc.systems]]
name = "p9"
type_model = "9009-42A"
serial_num = "1111111"
generation = "POWER9"
memory_mb = 262144
proc_units = 16.0
firmware = { ecnumber = "01VL950", activated_level = 70, installed_level = 70, accepted_level = 65, update_access_key_exp_date = "05/31/2025" }
repositories = [
  { kind = "disk", concurrent_level = 75, disruptive_level = 75 },
  { kind = "mountpoint", directory = "/old", concurrent_level = 75, disruptive_level = 75, released = "05/01/2025" },
]

[[hmc.systems]]
name = "p7"
type_model = "9117-MMD"
serial_num = "2222222"
generation = "POWER7+"
memory_mb = 262144
proc_units = 16.0
firmware = { ecnumber = "01AM780", activated_level = 84, installed_level = 84, accepted_level = 84, update_access_key_exp_date = "01/01/2020" }
repositories = [{ kind = "disk", concurrent_level = 86, disruptive_level = 86 }]

[[hmc.systems]]
name = "p10"
type_model = "9080-HEX"
serial_num = "3333333"
generation = "POWER10"
memory_mb = 262144
proc_units = 16.0
firmware = { ecnumber = "01MH1030", activated_level = 70, installed_level = 70, accepted_level = 70 }
repositories = [{ kind = "disk", concurrent_level = 75, disruptive_level = 75, min_hmc = "V10R3M1060" }]
"#;

#[test]
fn updlic_installs_nothing_released_after_the_update_access_key_date() {
    let mut world = inline(KEYS);
    assert_eq!(
        ok(&mut world, "lslic -m p9 -F mtms,update_access_key_exp_date"),
        "9009-42A*1111111,05/31/2025\n"
    );
    assert_eq!(
        ok(&mut world, "lslic -m p7 -F mtms,update_access_key_exp_date"),
        "9117-MMD*2222222,null\n"
    );
    assert_eq!(
        ok(&mut world, "lslic -m p10 -F update_access_key_exp_date"),
        "06/14/2026\n",
        "a POWER8 or later system without a date in the estate gets the default"
    );
    let text = refused(
        &mut world,
        "updlic -o a -m p9 -t sys -r disk -l latestconcurrent",
        "HSCL2D0C",
    );
    assert!(text.contains("expired on 05/31/2025"), "{text}");
    refused(
        &mut world,
        "updlic -o i -m p9 -t sys -r disk -l 75",
        "HSCL2D0C",
    );
    // Levels released before the key's date still go in; the running firmware and
    // accepting or backing out are not affected.
    let reply = run(
        &mut world,
        "hmc",
        "updlic -o a -m p9 -t sys -r mountpoint -d /old -l latestconcurrent",
    );
    assert_eq!(reply.exit_status, 0, "{}", reply.stdout_text());
    // POWER7 has no key.
    let reply = run(
        &mut world,
        "hmc",
        "updlic -o a -m p7 -t sys -r disk -l latestconcurrent",
    );
    assert_eq!(reply.exit_status, 0, "{}", reply.stdout_text());
}

#[test]
fn updlic_needs_the_hmc_level_the_firmware_names() {
    let mut world = inline(KEYS);
    let text = refused(
        &mut world,
        "updlic -o a -m p10 -t sys -r disk -l latestconcurrent",
        "HSCL2D0D",
    );
    assert!(
        text.contains("V10R3M1060") && text.contains("V10R2M1050"),
        "{text}"
    );
}

#[test]
fn an_install_first_copies_the_temporary_side_to_the_permanent_side() {
    let mut world = inline(KEYS);
    // p9 runs 70, never accepted (65). The install copies 70 to the permanent side.
    let reply = run(
        &mut world,
        "hmc",
        "updlic -o a -m p9 -t sys -r mountpoint -d /old -l latestconcurrent",
    );
    assert_eq!(reply.exit_status, 0, "{}", reply.stdout_text());
    wait(&mut world, reply.duration().as_secs_f64());
    assert_eq!(
        ok(
            &mut world,
            "lslic -m p9 -F activated_level,installed_level,accepted_level,perm_level_primary"
        ),
        "75,75,70,70\n"
    );
    // Backing out returns to the level that ran before, not to 65.
    let reply = run(&mut world, "hmc", "updlic -o r -m p9");
    assert_eq!(reply.exit_status, 0, "{}", reply.stdout_text());
    wait(&mut world, reply.duration().as_secs_f64());
    assert_eq!(
        ok(&mut world, "lslic -m p9 -F activated_level,accepted_level"),
        "70,70\n"
    );
}

// ------------------------------------------------------------------ the demo estate

#[test]
fn demo_estate_tells_the_story() {
    let estate = Estate::demo();
    assert!(estate.faults.is_empty(), "no fault is active by default");
    let names: Vec<&str> = estate.hmc.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names, ["hmc01", "hmc02"]);
    let systems: Vec<_> = estate.hmc.iter().flat_map(|h| h.systems.iter()).collect();
    assert!(systems.len() >= 6);
    for generation in ["POWER7+", "POWER8", "POWER9", "POWER10"] {
        assert!(
            systems.iter().any(|s| s.generation == generation),
            "{generation}"
        );
    }
    let lpars = systems.iter().map(|s| s.lpars.len()).sum::<usize>();
    assert!((55..=65).contains(&lpars), "{lpars} partitions");

    let mut world = demo();
    for hmc in ["hmc01", "hmc02"] {
        let out = ok_on(&mut world, hmc, "lssyscfg -r sys -F name");
        for system in out.lines() {
            let vios = ok_on(
                &mut world,
                hmc,
                &format!("lssyscfg -r lpar -m {system} -F name,lpar_env,msp"),
            );
            let vios: Vec<&str> = vios.lines().filter(|l| l.contains(",vioserver,")).collect();
            assert_eq!(
                vios,
                [
                    format!("{system}-vios1,vioserver,1"),
                    format!("{system}-vios2,vioserver,1")
                ],
                "{system}"
            );
        }
    }
    // The LPARs the AIX and NIM simulators serve.
    assert_eq!(
        attr(&mut world, "hmc02", "e980-01", "aixnim01", "state"),
        "Running"
    );
    assert_eq!(
        attr(&mut world, "hmc01", "s924-01", "aixprd01", "state"),
        "Running"
    );
    assert_eq!(
        attr(&mut world, "hmc02", "e1080-01", "aixprd02", "state"),
        "Running"
    );

    // The POWER7+ pair: PowerVM remote restart with reserved storage, one device held.
    for system in ["p770-01", "p770-02"] {
        let out = ok_on(&mut world, "hmc01", &format!("lssyscfg -r sys -m {system} -F powervm_lpar_remote_restart_capable,powervm_lpar_simplified_remote_restart_capable"));
        assert_eq!(out, "1,0\n");
        assert!(ok_on(
            &mut world,
            "hmc01",
            &format!("lshwres -r rspool -m {system}")
        )
        .starts_with("state=Active,"));
    }
    let devices = ok_on(
        &mut world,
        "hmc01",
        "lshwres -r rspool -m p770-01 --rsubtype rsdev -F device_name,lpar_name",
    );
    assert_eq!(
        devices.lines().filter(|l| !l.ends_with(",none")).count(),
        1,
        "{devices}"
    );
    assert_eq!(
        attr(&mut world, "hmc01", "p770-01", "prdora01", "rs_device_name"),
        "hdisk988"
    );

    // The failed POWER8 and its restartable partitions, which all fit on s924-01.
    assert_eq!(
        system_state(&mut world, "hmc01", "s824-01"),
        "Error - Dump in progress"
    );
    let out = ok_on(
        &mut world,
        "hmc01",
        "lssyscfg -r lpar -m s824-01 -F name,state,simplified_remote_restart_capable,remote_restart_status",
    );
    let restartable: Vec<String> = out
        .lines()
        .filter(|l| l.ends_with(",Not Available,1,Remote Restartable"))
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    assert_eq!(restartable, ["prdapp03", "prddb02", "prdweb02", "devapp02"]);
    assert!(out.contains("tstdb01,Not Available,0,null\n"));
    let mut longest = Duration::ZERO;
    for lpar in &restartable {
        let reply = run(
            &mut world,
            "hmc01",
            &format!("rrstartlpar -o restart -m s824-01 -t s924-01 -p {lpar}"),
        );
        assert_eq!(reply.exit_status, 0, "{lpar}: {}", reply.stdout_text());
        longest = longest.max(reply.duration());
    }
    wait(&mut world, longest.as_secs_f64());
    for lpar in &restartable {
        assert_eq!(
            attr(&mut world, "hmc01", "s924-01", lpar, "state"),
            "Running",
            "{lpar}"
        );
    }

    // A firmware update waits for e980-01: concurrent and disruptive levels above 105.
    assert_eq!(
        ok_on(
            &mut world,
            "hmc02",
            "lslic -m e980-01 -t sys -F ecnumber,activated_level"
        ),
        "01VH950,105\n"
    );
    assert_eq!(
        ok_on(&mut world, "hmc02", "lslic -m e980-01 -t sys -r ibmwebsite -F retrievable_release,concurrent_retrievable_level,disruptive_retrievable_level"),
        "None,131,145\n"
    );
    // The odd ones out.
    assert_eq!(
        attr(
            &mut world,
            "hmc01",
            "s924-01",
            "prdsap01",
            "migration_disabled"
        ),
        "1"
    );
    assert_ne!(
        ok_on(
            &mut world,
            "hmc02",
            "lssyscfg -r prof -m e980-01 --filter lpar_names=prdbkp01 -F io_slots"
        ),
        "none\n"
    );
    assert_eq!(
        ok_on(&mut world, "hmc02", "lssyscfg -r lpar -m e1080-01 --filter lpar_names=tstapp09 -F state,curr_profile,remote_restart_status"),
        "Not Activated,,Invalid\n"
    );
    assert_eq!(system_state(&mut world, "hmc02", "s922-02"), "Power Off");
}

/// Every listing powerdeck's builders produce, run on the demo, parsed by powerdeck's
/// parsers: no diagnostics anywhere (also while things move).
#[test]
fn every_demo_listing_parses_cleanly() {
    let mut world = demo();
    check_all_listings(&mut world);
    // Things in flight: a migration, a remote restart, a power-on, a firmware update.
    ok_on(
        &mut world,
        "hmc02",
        "migrlpar -o m -m e980-01 -t e1080-01 -p prdapp04",
    );
    ok_on(
        &mut world,
        "hmc01",
        "rrstartlpar -o restart -m s824-01 -t s924-01 -p prddb02",
    );
    ok_on(&mut world, "hmc02", "chsysstate -r sys -m s922-02 -o on");
    ok_on(
        &mut world,
        "hmc02",
        "updlic -o a -m e980-01 -t sys -r ibmwebsite -l latestconcurrent",
    );
    wait(&mut world, 20.0);
    check_all_listings(&mut world);
    wait(&mut world, 300.0);
    check_all_listings(&mut world);
}

fn line(
    command: Result<powerdeck::sources::RemoteCommand, powerdeck::sources::command::ArgumentError>,
) -> String {
    command.expect("builder").line()
}

fn check_all_listings(world: &mut World) {
    let hmcs: Vec<(String, Vec<String>)> = Estate::demo()
        .hmc
        .iter()
        .map(|h| {
            (
                h.name.clone(),
                h.systems.iter().map(|s| s.name.clone()).collect(),
            )
        })
        .collect();
    for (hmc_name, systems) in hmcs {
        let out = ok_on(world, &hmc_name, &line(commands::lssyscfg_sys(None, &[])));
        assert_eq!(
            parse_clean::<ManagedSystem>(&out, "lssyscfg -r sys").len(),
            systems.len()
        );
        let version =
            parse_hmc_version(&ok_on(world, &hmc_name, &commands::lshmc_version().line())).unwrap();
        assert!(version.is_clean() && version.items.len() == 1);
        for system in &systems {
            let system = system.as_str();
            let out = ok_on(
                world,
                &hmc_name,
                &line(commands::lssyscfg_sys(Some(system), &[])),
            );
            let sys = parse_clean::<ManagedSystem>(&out, "lssyscfg -r sys -m").remove(0);
            let lpars = ok_on(
                world,
                &hmc_name,
                &line(commands::lssyscfg_lpar(system, &[], &[])),
            );
            let lpars = parse_clean::<Lpar>(&lpars, "lssyscfg -r lpar");
            assert!(!lpars.is_empty());
            let names: Vec<&str> = lpars.iter().take(2).map(|l| l.name.as_str()).collect();
            let fields = ["name", "lpar_id", "state", "remote_restart_status"];
            let out = ok_on(
                world,
                &hmc_name,
                &line(commands::lssyscfg_lpar(system, &names, &fields)),
            );
            let parsed = hmc::parse_delimited::<Lpar>(&out, ',', &fields, false).unwrap();
            assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
            assert_eq!(parsed.items.len(), names.len(), "{out}");
            let out = ok_on(
                world,
                &hmc_name,
                &line(commands::lssyscfg_prof(system, &[], &[], &[])),
            );
            parse_clean::<Profile>(&out, "lssyscfg -r prof");
            let out = ok_on(
                world,
                &hmc_name,
                &line(commands::lslparmigr_lpar(system, &[], &[])),
            );
            parse_clean::<MigrationProgress>(&out, "lslparmigr");
            let out = ok_on(
                world,
                &hmc_name,
                &line(commands::lsrefcode(
                    system,
                    RefcodeOf::Partitions(&[]),
                    Some(3),
                    &[],
                )),
            );
            parse_clean::<ReferenceCode>(&out, "lsrefcode -r lpar");
            let out = ok_on(
                world,
                &hmc_name,
                &line(commands::lsrefcode(system, RefcodeOf::System, None, &[])),
            );
            parse_clean::<ReferenceCode>(&out, "lsrefcode -r sys");
            if sys.capabilities.remote_restart == Some(true) {
                let out = ok_on(world, &hmc_name, &line(commands::lshwres_rspool(system)));
                parse_clean::<RsPool>(&out, "lshwres -r rspool");
                let out = ok_on(world, &hmc_name, &line(commands::lshwres_rsdev(system)));
                parse_clean::<RsDevice>(&out, "lshwres --rsubtype rsdev");
                let vios: Vec<&str> = lpars
                    .iter()
                    .filter(|l| l.lpar_env.is_vios())
                    .map(|l| l.name.as_str())
                    .collect();
                ok_on(
                    world,
                    &hmc_name,
                    &line(commands::lsmemdev_avail(system, &vios)),
                );
                ok_on(
                    world,
                    &hmc_name,
                    &line(commands::lsrsdevsize(system, &lpars[2].name)),
                );
            }
            let reply = run(world, &hmc_name, &line(commands::lslic_sys(system, &[])));
            if reply.exit_status == 0 {
                parse_clean::<FirmwareLevels>(&reply.stdout_text(), "lslic");
            } else {
                assert!(
                    reply.stdout_text().starts_with("HSCL2D0A "),
                    "{}",
                    reply.stdout_text()
                );
            }
        }
    }
    let out = ok_on(
        world,
        "hmc02",
        &line(commands::lslic_retrievable(
            "e980-01",
            &LicRepository::Mountpoint {
                directory: "/home/hscroot/fw/VH950",
            },
        )),
    );
    let fields = [
        "retrievable_release",
        "concurrent_retrievable_level",
        "disruptive_retrievable_level",
    ];
    let parsed = hmc::parse_delimited::<RetrievableLevels>(&out, ',', &fields, false).unwrap();
    assert!(parsed.is_clean());
}

/// The commands powerdeck's builders make for changes are understood by the simulator.
#[test]
fn builder_commands_are_accepted() {
    use commands::{
        LicLevel, LicUpdateOp, LparPowerOp, MigrationOp, RemoteRestartOp, RsDeviceAssignment,
        SystemPowerOp,
    };
    let mut world = demo();
    let h1 = "hmc01";
    let cases: Vec<(&str, String)> = vec![
        (
            "hmc02",
            line(commands::migrlpar(
                "e980-01",
                "prdweb01",
                MigrationOp::Validate { target: "e1080-01" },
            )),
        ),
        (
            h1,
            line(commands::rrstartlpar(
                "s824-01",
                "prdapp03",
                RemoteRestartOp::Validate {
                    target: "s924-01",
                    no_connection: false,
                },
            )),
        ),
        (
            h1,
            line(commands::chsysstate_lpar(
                "s924-01",
                "devweb01",
                LparPowerOp::On {
                    profile: Some("default_profile"),
                },
            )),
        ),
        (
            h1,
            line(commands::chsysstate_lpar(
                "s924-01",
                "tstweb01",
                LparPowerOp::OsShutdown { immediate: true },
            )),
        ),
        (
            h1,
            line(commands::chhwres_rsdev_add(
                "p770-01",
                "p770-01-vios1",
                "hdisk991",
            )),
        ),
        (
            h1,
            line(commands::chsyscfg_rs_device(
                "p770-01",
                &RsDeviceAssignment {
                    lpar: "prdora02",
                    primary_vios: "p770-01-vios1",
                    secondary_vios: Some("p770-01-vios2"),
                    device: "hdisk989",
                },
            )),
        ),
        (
            "hmc02",
            line(commands::updlic(
                "e980-01",
                LicUpdateOp::Activate {
                    allow_power_off: false,
                },
                &LicRepository::IbmWebsite,
                LicLevel::LatestConcurrent,
            )),
        ),
        ("hmc02", line(commands::updlic_accept("e1080-01"))),
        (
            "hmc02",
            line(commands::chsysstate_sys(
                "s922-02",
                SystemPowerOp::OnStandby,
            )),
        ),
    ];
    for (hmc, command) in cases {
        let reply = run(&mut world, hmc, &command);
        assert_eq!(reply.exit_status, 0, "{command}: {}", reply.stdout_text());
    }
    let reply = run(
        &mut world,
        h1,
        &line(commands::migrlpar(
            "s924-01",
            "tstapp02",
            MigrationOp::Migrate { target: "s924-01" },
        )),
    );
    assert!(reply.stdout_text().starts_with("HSCLA602 "));
    let reply = run(
        &mut world,
        h1,
        &line(commands::chhwres_rspool_create(
            "p770-01",
            &["p770-01-vios1", "p770-01-vios2"],
        )),
    );
    assert!(
        reply.stdout_text().starts_with("HSCL2C02 "),
        "{}",
        reply.stdout_text()
    );
}

// ------------------------------------------------------------------ robustness

const WORDS: &[&str] = &[
    "-r",
    "-m",
    "-o",
    "-p",
    "-n",
    "--id",
    "-t",
    "-F",
    "--header",
    "--filter",
    "-i",
    "-a",
    "--rsubtype",
    "--device",
    "-l",
    "-d",
    "-h",
    "-u",
    "--immed",
    "--restart",
    "--retaindev",
    "--allowpoweroff",
    "-f",
    "-b",
    "-w",
    "--ip",
    "-s",
    "--min",
    "--max",
    "--manual",
    "-V",
    "--help",
    "--force",
    "sys",
    "lpar",
    "prof",
    "rspool",
    "rsdev",
    "avail",
    "v",
    "m",
    "s",
    "r",
    "a",
    "c",
    "i",
    "u",
    "d",
    "on",
    "off",
    "onstandby",
    "shutdown",
    "osshutdown",
    "validate",
    "restart",
    "cleanup",
    "cancel",
    "recover",
    "set",
    "mc",
    "latest",
    "latestconcurrent",
    "149",
    "01VL941_047",
    "mountpoint",
    "ibmwebsite",
    "sftp",
    "/home/hscroot/fw/VH950",
    "s824-01",
    "s924-01",
    "p770-01",
    "p770-02",
    "e980-01",
    "e1080-01",
    "s922-02",
    "9080-M9S*13E8F2X",
    "prdapp03",
    "prddb02",
    "prdora01",
    "prdora02",
    "tstapp09",
    "prdsap01",
    "prdbkp01",
    "s924-01-vios1",
    "p770-01-vios1",
    "hdisk988",
    "hdisk991",
    "lpar_names=prdapp03,prddb02",
    "\"lpar_names=a,b\"",
    "lpar_ids=3",
    "name,state",
    "name state",
    "name:lpar_id",
    "",
    "0",
    "-1",
    "4294967296",
    "NaN",
    "é",
    "\"",
    "=,=",
    ",,,",
    "dest_lpar_id=99999",
    "name=prdora02,rs_device_name=hdisk989",
    "vios_names=\"p770-01-vios1,p770-01-vios2\"",
];

const PROGRAMS: &[&str] = &[
    "lssyscfg",
    "lshwres",
    "chhwres",
    "chsyscfg",
    "lsmemdev",
    "lsrsdevsize",
    "lslic",
    "updlic",
    "migrlpar",
    "lslparmigr",
    "rrstartlpar",
    "chsysstate",
    "lsrefcode",
    "lshmc",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(WORDS).prop_map(str::to_string),
        1 => "\\PC{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_argv_never_panics(
        program in proptest::sample::select(PROGRAMS),
        args in proptest::collection::vec(word(), 0..10),
        host in proptest::sample::select(&["hmc01", "hmc02"][..]),
        later in 0u64..2000,
    ) {
        let mut world = demo();
        let mut argv = vec![program.to_string()];
        argv.extend(args);
        let command = SimpleCommand { env: vec![("LANG".into(), "C".into())], argv };
        let reply = powerdeck::sim::hmc::exec(&mut world, host, &command);
        let reply = reply.expect("an HMC program");
        prop_assert!(reply.exit_status <= 1, "{:?}", reply);
        world.advance(Duration::from_secs(later));
        // The estate still lists after whatever happened.
        let reply = powerdeck::sim::host::exec(&mut world, host, "lssyscfg -r sys");
        prop_assert_eq!(reply.exit_status, 0);
    }

    #[test]
    fn random_lines_never_panic(line in "\\PC{0,80}") {
        let mut world = demo();
        let _ = exec(&mut world, "hmc01", &line);
    }
}
