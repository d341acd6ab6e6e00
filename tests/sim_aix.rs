//! The simulated AIX global environment, in process: `lswpar` output checked as text
//! against the formats of docs/formats.md (the "AIX: ..." sections) and through
//! powerdeck's own parsers, and every lifecycle command's state change at the right moment
//! of simulated time, with the published failures (0960-xxx codes, non-zero exits).

use std::time::Duration;

use powerdeck::estate::{WparState, WparType};
use powerdeck::exec::CommandOutput;
use powerdeck::sim::estate::SimWpar;
use powerdeck::sim::{host, Estate, Reply, World};
use powerdeck::sources::aix::commands;
use powerdeck::sources::aix::{
    parse_lswpar_delimited, parse_lswpar_general, parse_lswpar_table, parse_wpar_status,
};
use powerdeck::sources::HostError;
use proptest::prelude::*;

fn demo() -> World {
    World::new(Estate::demo())
}

fn small(toml: &str) -> World {
    World::new(Estate::from_toml(toml, "test estate").expect("valid test estate"))
}

fn run(world: &mut World, host_name: &str, line: &str) -> Reply {
    host::exec(world, host_name, line)
}

/// Moves simulated time forward by `secs` (fractions allowed).
fn wait(world: &mut World, secs: f64) {
    let to = world.now() + Duration::from_secs_f64(secs);
    world.advance(to);
}

/// Lets the command that answered `reply` finish.
fn finish(world: &mut World, reply: &Reply) {
    let to = world.now() + reply.duration();
    world.advance(to);
}

fn wpar<'a>(world: &'a World, host_name: &str, name: &str) -> Option<&'a SimWpar> {
    world
        .estate
        .aix
        .iter()
        .find(|h| h.name == host_name)?
        .wpars
        .iter()
        .find(|w| w.name == name)
}

fn state(world: &World, host_name: &str, name: &str) -> Option<WparState> {
    wpar(world, host_name, name).map(|w| w.state.clone())
}

fn free_mb(world: &World, host_name: &str) -> u64 {
    world
        .estate
        .aix
        .iter()
        .find(|h| h.name == host_name)
        .map_or(0, |h| h.free_mb)
}

/// Checks a lifecycle command: `T` until just before it ends, then `end`.
fn check_transition(
    world: &mut World,
    host_name: &str,
    name: &str,
    reply: &Reply,
    end: Option<WparState>,
) {
    let total = reply.duration().as_secs_f64();
    assert!(total > 1.0, "a lifecycle command takes time, not {total}s");
    wait(world, total - 0.5);
    assert_eq!(
        state(world, host_name, name),
        Some(WparState::Transitional),
        "{name} shows T while the command runs"
    );
    wait(world, 0.5);
    assert_eq!(state(world, host_name, name), end);
}

fn output(reply: &Reply) -> CommandOutput {
    CommandOutput::new(reply.stdout_text(), reply.stderr_text(), reply.exit_status)
}

const TWO_WPARS: &str = r#"
[[aix]]
name = "g1"
oslevel = "7100-00-02-1041"

[[aix.wpars]]
name = "syswpar"
uuid = "ff8cade2-5e98-11e0-8628-e2dc60002003"

[[aix.wpars]]
name = "wpsan61"
state = "A"
rootvg = true
hostname = "ora1"
address = "172.16.20.102"
netmask = "255.255.252.0"
"#;

// --- lswpar formats ------------------------------------------------------------

#[test]
fn lswpar_table_is_aligned_with_header_and_dash_line() {
    let mut world = small(TWO_WPARS);
    let reply = run(&mut world, "g1", "lswpar");
    assert_eq!(reply.exit_status, 0);
    assert_eq!(
        reply.stdout_text(),
        "Name     State  Type  Hostname  Directory       RootVG WPAR\n\
         -----------------------------------------------------------\n\
         syswpar  D      S     syswpar   /wpars/syswpar  no\n\
         wpsan61  A      S     ora1      /wpars/wpsan61  yes\n"
    );
    assert_eq!(reply.stderr_text(), "");
    let quiet = run(&mut world, "g1", "lswpar -q wpsan61");
    assert_eq!(
        quiet.stdout_text(),
        "wpsan61  A      S     ora1      /wpars/wpsan61  yes\n"
    );
}

#[test]
fn lswpar_delimited_forms() {
    let mut world = small(TWO_WPARS);
    assert_eq!(
        run(&mut world, "g1", "lswpar -c").stdout_text(),
        "#name:state:type:hostname:directory:rootvgwpar\n\
         syswpar:D:S:syswpar:/wpars/syswpar:no\n\
         wpsan61:A:S:ora1:/wpars/wpsan61:yes\n"
    );
    assert_eq!(
        run(&mut world, "g1", "lswpar -cq wpsan61").stdout_text(),
        "wpsan61:A:S:ora1:/wpars/wpsan61:yes\n"
    );
    assert_eq!(
        run(
            &mut world,
            "g1",
            "lswpar -d '|' -a name,state,checkpointable,uuid syswpar"
        )
        .stdout_text(),
        "#name|state|checkpointable|uuid\nsyswpar|D|no|ff8cade2-5e98-11e0-8628-e2dc60002003\n"
    );
    assert_eq!(
        run(&mut world, "g1", "lswpar -q -c -a directory wpsan61").stdout_text(),
        "/wpars/wpsan61\n"
    );
    assert_eq!(
        run(&mut world, "g1", "lswpar -q -s D -a name").stdout_text(),
        "syswpar\n"
    );
    let bad = run(&mut world, "g1", "lswpar -a bogus");
    assert_ne!(bad.exit_status, 0);
    assert!(bad.stderr_text().contains("bogus"));
}

#[test]
fn lswpar_general_paragraph_layout() {
    let mut world = small(TWO_WPARS);
    let reply = run(&mut world, "g1", "lswpar -G syswpar");
    let rule = "=".repeat(65);
    let expected = format!(
        "{rule}\nsyswpar - Defined\n{rule}\n\
Type:                                S\n\
RootVG WPAR:                         no\n\
Owner:                               root\n\
Hostname:                            syswpar\n\
WPAR-Specific Routing:               no\n\
Virtual IP WPAR:\n\
Directory:                           /wpars/syswpar\n\
Start/Stop Script:\n\
Auto Start:                          no\n\
Private /usr:                        no\n\
Checkpointable:                      no\n\
Application:\n\
\n\
OStype:                              0\n\
UUID:                                ff8cade2-5e98-11e0-8628-e2dc60002003\n"
    );
    assert_eq!(reply.stdout_text(), expected);
    let parsed = parse_lswpar_general(&reply.stdout_text()).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    assert_eq!(
        parsed.items[0].uuid.as_deref(),
        Some("ff8cade2-5e98-11e0-8628-e2dc60002003")
    );
    assert_eq!(parsed.items[0].private_usr, Some(false));
    let both = run(&mut world, "g1", "lswpar -G").stdout_text();
    assert!(both.contains("\n\n=====") && both.contains("wpsan61 - Active"));
    let delimited = run(&mut world, "g1", "lswpar -G -c wpsan61").stdout_text();
    assert!(delimited.starts_with("#name:state:type:rootvgwpar:owner:hostname:"));
    let parsed = parse_lswpar_delimited(&delimited, ':', &[]).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    assert!(parsed.items[0].rootvg);
}

#[test]
fn lswpar_unknown_names_give_0960_419() {
    let mut world = small(TWO_WPARS);
    let reply = run(&mut world, "g1", "lswpar wparm91");
    assert_eq!(reply.stdout_text(), "");
    assert_eq!(
        reply.stderr_text(),
        "lswpar: 0960-419 Could not find a workload partition called wparm91.\n"
    );
    assert_eq!(reply.exit_status, 1);
    match HostError::check(&output(&reply)) {
        Err(HostError::Aix(message)) => assert_eq!(message.code, "0960-419"),
        other => panic!("{other:?}"),
    }
    let mixed = run(&mut world, "g1", "lswpar -cq syswpar nope");
    assert_eq!(
        mixed.stdout_text(),
        "syswpar:D:S:syswpar:/wpars/syswpar:no\n"
    );
    assert!(mixed.stderr_text().contains("called nope."));
    assert_eq!(mixed.exit_status, 1);
}

#[test]
fn lswpar_mounts_and_network() {
    let mut world = small(TWO_WPARS);
    let mounts = run(&mut world, "g1", "lswpar -M syswpar").stdout_text();
    let lines: Vec<&str> = mounts.lines().collect();
    assert_eq!(
        lines[0],
        "Name     Mount Point          Device       Vfs     Nodename  Options"
    );
    assert!(lines[1].chars().all(|c| c == '-'));
    assert_eq!(lines[2], "syswpar  /wpars/syswpar       /dev/fslv00  jfs2");
    assert_eq!(
        lines[4],
        "syswpar  /wpars/syswpar/opt   /opt         namefs            ro"
    );
    assert_eq!(lines.len(), 9, "/ /home /opt /proc /tmp /usr /var");
    let rootvg = run(&mut world, "g1", "lswpar -Mcq wpsan61").stdout_text();
    assert_eq!(
        rootvg,
        "wpsan61:/wpars/wpsan61:/dev/fslv04:jfs2::\n\
         wpsan61:/wpars/wpsan61/etc/objrepos/wboot:/dev/fslv05:jfs2::\n\
         wpsan61:/wpars/wpsan61/opt:/opt:namefs::ro\n\
         wpsan61:/wpars/wpsan61/usr:/usr:namefs::ro\n"
    );
    assert_eq!(
        run(&mut world, "g1", "lswpar -N").stdout_text(),
        "Name     Interface  Address(6)     Mask/Prefix    Broadcast\n\
         ---------------------------------------------------------------\n\
         wpsan61  en0        172.16.20.102  255.255.252.0  172.16.23.255\n"
    );
    assert_eq!(
        run(&mut world, "g1", "lswpar -Ncq").stdout_text(),
        "wpsan61:en0:172.16.20.102:255.255.252.0:172.16.23.255\n"
    );
}

#[test]
fn lswpar_filters_and_bad_flags() {
    let mut world = demo();
    let active = run(&mut world, "aixprd01", "lswpar -q -s A -a name").stdout_text();
    assert_eq!(active, "wpweb01\nwpdb01\nwphttp\n");
    let apps = run(&mut world, "aixprd01", "lswpar -cq -t A").stdout_text();
    assert_eq!(apps, "wphttp:A:A:wphttp:/:no\n");
    let stuck = run(&mut world, "aixprd01", "lswpar -q -s TB -a name,state").stdout_text();
    assert_eq!(
        stuck.split_whitespace().collect::<Vec<_>>(),
        ["wpbatch01", "T", "wprpt01", "B"]
    );
    let bad = run(&mut world, "aixprd01", "lswpar -z");
    assert_eq!(bad.exit_status, 2);
    assert!(bad
        .stderr_text()
        .starts_with("lswpar: Not a recognized flag: z\nUsage: lswpar"));
    let missing = run(&mut world, "aixprd01", "lswpar -a");
    assert!(missing
        .stderr_text()
        .starts_with("lswpar: Flag requires a parameter: a"));
}

#[test]
fn every_demo_listing_parses_without_diagnostics() {
    let mut world = demo();
    let mut names: Vec<&str> = world
        .estate
        .aix
        .iter()
        .flat_map(|h| h.wpars.iter().map(|w| w.name.as_str()))
        .collect();
    assert_eq!(names.len(), 8, "about 8 WPARs in the demo");
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 8, "WPAR names are unique across the demo");
    let lpars: Vec<Option<&str>> = world.estate.aix.iter().map(|h| h.lpar.as_deref()).collect();
    assert_eq!(lpars, [Some("aixprd01"), Some("aixprd02")]);
    for host_name in ["aixprd01", "aixprd02"] {
        let count = world
            .estate
            .aix
            .iter()
            .find(|h| h.name == host_name)
            .unwrap()
            .wpars
            .len();
        let table = run(&mut world, host_name, "lswpar");
        let parsed = parse_lswpar_table(&table.stdout_text()).unwrap();
        assert!(parsed.is_clean(), "{host_name}: {:?}", parsed.diagnostics);
        assert_eq!(parsed.items.len(), count);

        let line = commands::lswpar(&[]).unwrap().line();
        let cq = run(&mut world, host_name, &line);
        assert_eq!(cq.exit_status, 0, "{line}");
        let parsed = parse_lswpar_delimited(&cq.stdout_text(), ':', &[]).unwrap();
        assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
        assert_eq!(parsed.items.len(), count);
        assert!(parsed
            .items
            .iter()
            .all(|w| w.state.is_known() && w.wpar_type.is_known()));

        let line = commands::lswpar_fields(
            &["name", "state", "checkpointable", "privateusr", "ostype"],
            &[],
        )
        .unwrap()
        .line();
        let fields = run(&mut world, host_name, &line);
        let parsed = parse_lswpar_delimited(&fields.stdout_text(), ':', &[]).unwrap();
        assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
        assert!(parsed
            .items
            .iter()
            .all(|w| w.checkpointable.is_some() && w.ostype == Some(0)));

        let general = run(&mut world, host_name, "lswpar -G");
        let parsed = parse_lswpar_general(&general.stdout_text()).unwrap();
        assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
        assert_eq!(parsed.items.len(), count);
        for item in &parsed.items {
            let line = commands::lswpar_general(&item.name).unwrap().line();
            let one = run(&mut world, host_name, &line);
            let parsed = parse_lswpar_general(&one.stdout_text()).unwrap();
            assert!(parsed.is_clean());
            assert_eq!(parsed.items[0].wpar_type, item.wpar_type);
        }
    }
    let parsed = parse_lswpar_delimited(
        &run(&mut world, "aixprd01", "lswpar -cq").stdout_text(),
        ':',
        &[],
    )
    .unwrap();
    let by_name = |name: &str| {
        parsed
            .items
            .iter()
            .find(|w| w.name == name)
            .unwrap()
            .clone()
    };
    assert_eq!(by_name("wpbatch01").state, WparState::Transitional);
    assert_eq!(by_name("wprpt01").state, WparState::Broken);
    assert_eq!(by_name("wphttp").wpar_type, WparType::Application);
    assert!(by_name("wpdb01").rootvg);
    let level = run(&mut world, "aixprd02", &commands::oslevel().line());
    assert_eq!(level.stdout_text(), "6100-06-03-1048\n");
}

// --- start, stop, remove -----------------------------------------------------------

#[test]
fn start_and_stop_pass_through_t() {
    let mut world = small(TWO_WPARS);
    let line = commands::startwpar("syswpar", true).unwrap().line();
    let reply = run(&mut world, "g1", &line);
    assert_eq!(reply.exit_status, 0);
    let text = reply.stdout_text();
    assert!(text.starts_with("Starting workload partition syswpar.\nMounting all workload partition file systems.\nMounting /wpars/syswpar\n"));
    assert!(text.contains("0513-059 The cor_syswpar Subsystem has been started. Subsystem PID is "));
    assert!(text.ends_with("Verifying workload partition startup.\n\nReturn Status = SUCCESS.\n"));
    assert!(parse_wpar_status(&text).succeeded());
    let secs = reply.duration().as_secs_f64();
    assert!(
        (8.0..=15.0).contains(&secs),
        "startwpar takes about 10 s, not {secs}"
    );
    check_transition(&mut world, "g1", "syswpar", &reply, Some(WparState::Active));

    let again = run(&mut world, "g1", "startwpar syswpar");
    assert_eq!(again.exit_status, 1);
    assert_eq!(
        again.stderr_text(),
        "startwpar: 0960-253 Workload partition 'syswpar' is already active.\n"
    );

    let line = commands::stopwpar("syswpar", false, false).unwrap().line();
    let reply = run(&mut world, "g1", &line);
    assert_eq!(reply.exit_status, 0);
    assert_eq!(
        reply.stdout_text(),
        "Stopping workload partition 'syswpar'.\n\
         Stopping workload partition subsystem 'cor_syswpar'.\n\
         0513-044 The cor_syswpar Subsystem was requested to stop.\n\
         stopwpar: 0960-261 Waiting up to 600 seconds for workload partition to halt.\n\
         Shutting down all workload partition processes.\n\
         Unmounting all workload partition file systems.\n"
    );
    let busy = run(&mut world, "g1", "startwpar syswpar");
    assert!(busy
        .stderr_text()
        .contains("0960-247 Error processing workload partition locks."));
    check_transition(
        &mut world,
        "g1",
        "syswpar",
        &reply,
        Some(WparState::Defined),
    );

    let not_active = run(&mut world, "g1", "stopwpar syswpar");
    assert_eq!(not_active.exit_status, 1);
    assert_eq!(
        not_active.stderr_text(),
        "stopwpar: 0960-254 Workload partition 'syswpar' is not currently active.\n"
    );
    let unknown = run(&mut world, "g1", "startwpar ghost");
    assert_eq!(
        unknown.stderr_text(),
        "startwpar: 0960-419 Could not find a workload partition called ghost.\n"
    );
    assert_eq!(unknown.exit_status, 1);
}

#[test]
fn rootvg_start_exports_its_disk_and_stop_force_verbose() {
    let mut world = small(TWO_WPARS);
    let reply = run(&mut world, "g1", "stopwpar -Fv wpsan61");
    let text = reply.stdout_text();
    assert!(text.starts_with("Stopping workload partition wpsan61.\nStopping workload partition subsystem cor_wpsan61.\n0513-044"));
    assert!(text.contains("hdisk2 Defined\nUnmounting all workload partition file systems.\nUnmounting /wpars/wpsan61/usr.\n"));
    assert!(text.ends_with("Unmounting /wpars/wpsan61.\n\nReturn Status = SUCCESS.\n"));
    check_transition(
        &mut world,
        "g1",
        "wpsan61",
        &reply,
        Some(WparState::Defined),
    );
    let start = run(&mut world, "g1", "startwpar wpsan61");
    assert!(start
        .stdout_text()
        .contains("Exporting workload partition devices.\nhdisk2 Defined\nExporting workload partition kernel extensions.\n"));
    finish(&mut world, &start);
    assert_eq!(state(&world, "g1", "wpsan61"), Some(WparState::Active));
}

#[test]
fn stopping_an_application_wpar_removes_it() {
    let mut world = demo();
    let reply = run(&mut world, "aixprd01", "stopwpar wphttp");
    assert_eq!(reply.exit_status, 0);
    finish(&mut world, &reply);
    assert_eq!(state(&world, "aixprd01", "wphttp"), None);
    assert!(!run(&mut world, "aixprd01", "lswpar -cq")
        .stdout_text()
        .contains("wphttp"));
}

#[test]
fn leftover_mount_leaves_the_wpar_in_t_until_unmounted() {
    let mut world = small(
        r#"
[[aix]]
name = "g1"
oslevel = "7100-00-02-1041"

[[aix.wpars]]
name = "mig_wpar_3"
state = "A"
rootvg = true
leftover_mount = "/wpars/mig_wpar_3/SW"
"#,
    );
    let reply = run(&mut world, "g1", "stopwpar mig_wpar_3");
    assert_eq!(reply.exit_status, 1);
    assert_eq!(
        reply.stderr_text(),
        "stopwpar: 0960-630 Failed to unmount /SW.\n\
         stopwpar: 0960-232 ATTENTION: 'wpar_sweep()' returned an unexpected result.\n"
    );
    assert!(reply
        .stdout_text()
        .contains("stopwpar: 0960-242 Waiting for workload partition to halt.\n"));
    finish(&mut world, &reply);
    assert_eq!(
        state(&world, "g1", "mig_wpar_3"),
        Some(WparState::Transitional)
    );
    // Locks are held: 0960-231 / 0960-247 for start and stop (docs/formats.md,
    // "AIX: 0960 messages").
    for line in [
        "startwpar mig_wpar_3",
        "stopwpar mig_wpar_3",
        "rmwpar mig_wpar_3",
    ] {
        let locked = run(&mut world, "g1", line);
        assert_eq!(locked.exit_status, 1, "{line}");
        assert!(locked.stderr_text().contains(
            "0960-231 ATTENTION: '/usr/lib/wpars/wparlockctl' failed with return code 14.\n"
        ));
        assert!(locked
            .stderr_text()
            .ends_with("0960-247 Error processing workload partition locks.\n"));
    }
    // stopwpar -F cannot unmount it either.
    let forced = run(&mut world, "g1", "stopwpar -F mig_wpar_3");
    assert_eq!(forced.exit_status, 1);
    assert_eq!(
        forced
            .stderr_text()
            .matches("0960-630 Failed to unmount /SW.")
            .count(),
        2
    );
    assert!(forced
        .stderr_text()
        .contains("0514-062 Cannot perform the requested function because the"));
    assert!(forced
        .stderr_text()
        .ends_with("stopwpar: 0960-228 ATTENTION: cleanup may not have completed successfully.\n"));
    finish(&mut world, &forced);
    assert_eq!(
        state(&world, "g1", "mig_wpar_3"),
        Some(WparState::Transitional)
    );
    assert!(run(&mut world, "g1", "mount")
        .stdout_text()
        .contains("/wpars/mig_wpar_3/SW"));
    // The recovery of docs/procedures.md, "WPAR recovery": never `umount -f` on a local
    // jfs2 file system (refused), a plain umount.
    let forced_off = run(
        &mut world,
        "g1",
        &commands::umount_force("/wpars/mig_wpar_3/SW")
            .unwrap()
            .line(),
    );
    assert_eq!(forced_off.exit_status, 1);
    assert!(forced_off
        .stderr_text()
        .starts_with("umount: 0506-347 Cannot unmount /wpars/mig_wpar_3/SW: The -f flag"));
    assert!(run(&mut world, "g1", "mount").stdout_text().contains("/SW"));
    let umount = run(
        &mut world,
        "g1",
        &commands::umount("/wpars/mig_wpar_3/SW").unwrap().line(),
    );
    assert_eq!(umount.exit_status, 0);
    assert!(!run(&mut world, "g1", "mount").stdout_text().contains("/SW"));
    let again = run(&mut world, "g1", "umount /wpars/mig_wpar_3/SW");
    assert_eq!(
        again.stderr_text(),
        "umount: Could not find anything to unmount\n"
    );
    let forced = run(
        &mut world,
        "g1",
        &commands::stopwpar("mig_wpar_3", true, false)
            .unwrap()
            .line(),
    );
    assert_eq!(forced.exit_status, 0);
    assert_eq!(
        forced.stdout_text(),
        "Stopping workload partition 'mig_wpar_3'.\n\
         Stopping workload partition subsystem 'cor_mig_wpar_3'.\n\
         0513-004 The Subsystem or Group, cor_mig_wpar_3, is currently inoperative.\n\
         Shutting down all workload partition processes.\n\
         hdisk2 Defined\n\
         Unmounting all workload partition file systems.\n"
    );
    check_transition(
        &mut world,
        "g1",
        "mig_wpar_3",
        &forced,
        Some(WparState::Defined),
    );
    let start = run(&mut world, "g1", "startwpar mig_wpar_3");
    finish(&mut world, &start);
    assert_eq!(state(&world, "g1", "mig_wpar_3"), Some(WparState::Active));
}

#[test]
fn demo_stuck_wpar_recovers_with_umount_and_stop_force() {
    let mut world = demo();
    let mount = run(&mut world, "aixprd01", "mount").stdout_text();
    let leftover = mount
        .lines()
        .find(|l| l.contains("/dev/swlv"))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap()
        .to_string();
    assert_eq!(leftover, "/wpars/wpbatch01/SW");
    assert_eq!(
        run(&mut world, "aixprd01", "startwpar wpbatch01").exit_status,
        1
    );
    assert_eq!(
        run(&mut world, "aixprd01", &format!("umount -f {leftover}")).exit_status,
        1,
        "no forced unmount of a local jfs2 file system"
    );
    assert_eq!(
        run(&mut world, "aixprd01", &format!("umount {leftover}")).exit_status,
        0
    );
    let stop = run(&mut world, "aixprd01", "stopwpar -F wpbatch01");
    assert_eq!(stop.exit_status, 0);
    finish(&mut world, &stop);
    assert_eq!(
        state(&world, "aixprd01", "wpbatch01"),
        Some(WparState::Defined)
    );
    let start = run(&mut world, "aixprd01", "startwpar wpbatch01");
    assert_eq!(start.exit_status, 0);
    finish(&mut world, &start);
    assert_eq!(
        state(&world, "aixprd01", "wpbatch01"),
        Some(WparState::Active)
    );
}

#[test]
fn broken_wpar_restarts_after_stop_force() {
    let mut world = small(
        r#"
[[aix]]
name = "g1"
oslevel = "7100-00-02-1041"

[[aix.wpars]]
name = "w1"
state = "B"
"#,
    );
    let start = run(&mut world, "g1", "startwpar w1");
    assert_eq!(start.exit_status, 1);
    assert!(start
        .stderr_text()
        .contains("startwpar: 0960-232 ATTENTION: 'wpar_sweep()' returned an unexpected result."));
    check_transition(&mut world, "g1", "w1", &start, Some(WparState::Broken));
    let stop = run(&mut world, "g1", "stopwpar w1");
    assert!(stop.stderr_text().contains("0960-247"));
    let rm = run(&mut world, "g1", "rmwpar w1");
    assert_eq!(
        rm.stderr_text(),
        "rmwpar: 0960-257 Workload partition 'w1' is in the Broken state. Use the -F flag to remove it.\n"
    );
    let stop = run(&mut world, "g1", "stopwpar -F w1");
    assert_eq!(stop.exit_status, 0);
    check_transition(&mut world, "g1", "w1", &stop, Some(WparState::Defined));
    let start = run(&mut world, "g1", "startwpar w1");
    assert_eq!(start.exit_status, 0);
    check_transition(&mut world, "g1", "w1", &start, Some(WparState::Active));
}

#[test]
fn damaged_wpar_is_recreated_from_its_spec() {
    let mut world = demo();
    // Appendix A: stop -F and start again — it breaks again.
    let stop = run(&mut world, "aixprd01", "stopwpar -F wprpt01");
    finish(&mut world, &stop);
    assert_eq!(
        state(&world, "aixprd01", "wprpt01"),
        Some(WparState::Defined)
    );
    let start = run(&mut world, "aixprd01", "startwpar -v wprpt01");
    assert_eq!(start.exit_status, 1);
    assert!(parse_wpar_status(&start.stdout_text()).failed());
    finish(&mut world, &start);
    assert_eq!(
        state(&world, "aixprd01", "wprpt01"),
        Some(WparState::Broken)
    );
    // Save the spec, remove, recreate, start.
    let spec = commands::mkwpar_write_spec("wprpt01", "/tmp/wprpt01.spec")
        .unwrap()
        .line();
    let reply = run(&mut world, "aixprd01", &spec);
    assert_eq!((reply.exit_status, reply.stdout_text()), (0, String::new()));
    let text = run(&mut world, "aixprd01", "cat /tmp/wprpt01.spec").stdout_text();
    assert!(text.starts_with("general:\n\tname = \"wprpt01\"\n"));
    assert!(text.contains("\taddress = \"10.10.20.105\"\n"));
    let free_before = free_mb(&world, "aixprd01");
    let rm = run(
        &mut world,
        "aixprd01",
        &commands::rmwpar("wprpt01", true, false).unwrap().line(),
    );
    assert_eq!(rm.exit_status, 0);
    assert!(rm
        .stdout_text()
        .contains("rmwpar: Removing file system /wpars/wprpt01/var.\nrmlv: Logical volume fslv"));
    assert!(rm.stdout_text().ends_with(
        "rmwpar: Removing file system /wpars/wprpt01.\nrmlv: Logical volume fslv12 is removed.\n"
    ));
    check_transition(&mut world, "aixprd01", "wprpt01", &rm, None);
    assert_eq!(free_mb(&world, "aixprd01"), free_before + 1536);
    let mk = run(
        &mut world,
        "aixprd01",
        &commands::mkwpar_from_spec("/tmp/wprpt01.spec", false)
            .unwrap()
            .line(),
    );
    assert_eq!(mk.exit_status, 0);
    assert!(mk
        .stdout_text()
        .starts_with("mkwpar: Creating file systems...\n/\n/home\n"));
    assert!(mk.stdout_text().ends_with(
        "Workload partition wprpt01 created successfully.\nmkwpar: 0960-390 To start the workload partition, execute the following as root:\nstartwpar [-v] wprpt01\n"
    ));
    check_transition(
        &mut world,
        "aixprd01",
        "wprpt01",
        &mk,
        Some(WparState::Defined),
    );
    assert_eq!(free_mb(&world, "aixprd01"), free_before);
    assert_eq!(
        run(&mut world, "aixprd01", "mkwpar -f /tmp/wprpt01.spec").stderr_text(),
        "mkwpar: 0960-259 Workload partition wprpt01 already exists.\n"
    );
    let start = run(&mut world, "aixprd01", "startwpar wprpt01");
    assert_eq!(start.exit_status, 0);
    finish(&mut world, &start);
    assert_eq!(
        state(&world, "aixprd01", "wprpt01"),
        Some(WparState::Active)
    );
}

#[test]
fn rmwpar_preconditions_and_preserve() {
    let mut world = small(TWO_WPARS);
    let active = run(&mut world, "g1", "rmwpar wpsan61");
    assert_eq!(active.exit_status, 1);
    assert_eq!(
        active.stderr_text(),
        "rmwpar: 0960-256 Workload partition 'wpsan61' is active. Stop it first, or use the -s flag.\n"
    );
    let preserve = run(&mut world, "g1", "rmwpar -p -s wpsan61");
    assert_eq!(
        preserve.stderr_text(),
        "rmwpar: 0960-258 The -p flag cannot be used with rootvg workload partitions.\n"
    );
    let forced = run(&mut world, "g1", "rmwpar -F syswpar");
    assert!(forced.stderr_text().starts_with(
        "stopwpar: 0960-254 Workload partition 'syswpar' is not currently active.\numount: Could not find anything to unmount\numount: There are no 'type=syswpar' stanzas\n"
    ));
    finish(&mut world, &forced);
    assert_eq!(state(&world, "g1", "syswpar"), None);
    let stop_first = run(&mut world, "g1", "rmwpar -s wpsan61");
    assert_eq!(stop_first.exit_status, 0);
    assert!(stop_first
        .stdout_text()
        .starts_with("Stopping workload partition 'wpsan61'."));
    assert!(stop_first.stdout_text().ends_with(
        "rmwpar: Removing file system /wpars/wpsan61/usr.\nrmwpar: Removing file system /wpars/wpsan61/opt.\nrmwpar: Removing file system /wpars/wpsan61/etc/objrepos/wboot.\nrmlv: Logical volume fslv05 is removed.\nrmwpar: Removing file system /wpars/wpsan61.\nrmlv: Logical volume fslv04 is removed.\n"
    ));
    check_transition(&mut world, "g1", "wpsan61", &stop_first, None);
    assert_eq!(run(&mut world, "g1", "lswpar").stdout_text(), "");
}

// --- backup, restore, migration ------------------------------------------------------

#[test]
fn move_a_61_wpar_to_71_through_the_shared_directory() {
    let mut world = demo();
    let image = "/export/wpars/wpmig61.savewpar";
    let save = run(
        &mut world,
        "aixprd02",
        &commands::savewpar("wpmig61", image, true).unwrap().line(),
    );
    assert_eq!(save.exit_status, 0);
    assert_eq!(
        save.stdout_text(),
        "Creating information file (/image.data) for wpmig61.\n\
         Creating list of files to back up\n\
         Backing up 4304 files.....\n\
         4304 of 4304 files backed up (100%)\n\
         0512-038 savewpar: Backup Completed Successfully.\n"
    );
    let secs = save.duration().as_secs_f64();
    assert!(
        (30.0..=50.0).contains(&secs),
        "768 MB at 45 s/GB plus overhead, not {secs}"
    );
    // The WPAR keeps running, locked; the image shows up at the end.
    assert_eq!(
        state(&world, "aixprd02", "wpmig61"),
        Some(WparState::Active)
    );
    assert!(run(&mut world, "aixprd02", "stopwpar wpmig61")
        .stderr_text()
        .contains("0960-247"));
    assert_eq!(
        run(&mut world, "aixprd01", &format!("ls {image}")).exit_status,
        2
    );
    finish(&mut world, &save);
    assert_eq!(
        run(&mut world, "aixprd01", &format!("ls {image}")).stdout_text(),
        format!("{image}\n")
    );
    let rm = run(&mut world, "aixprd02", "rmwpar -s wpmig61");
    finish(&mut world, &rm);

    // Without -C the 6.1 image is refused on 7.1 (docs/formats.md, "AIX: restwpar").
    let refused = run(
        &mut world,
        "aixprd01",
        &commands::restwpar(image, commands::Restore::default())
            .unwrap()
            .line(),
    );
    assert_eq!(refused.exit_status, 1);
    assert_eq!(
        refused.stderr_text(),
        "restwpar: 0960-507 Level 6.1.6.3 of bos.rte.libc in saved image does not match level 7.1.0.2 on the running system.\n\
         restwpar: 0960-508 Compatibility check between saved and running system failed.\n\
         Use the -C option to ignore system compatibility levels.\n"
    );
    assert!(refused
        .stdout_text()
        .starts_with(&format!("New volume on {image}:\n")));
    finish(&mut world, &refused);
    assert_eq!(state(&world, "aixprd01", "wpmig61"), None);

    let free_before = free_mb(&world, "aixprd01");
    let restore = run(&mut world, "aixprd01", &format!("restwpar -C -f {image}"));
    assert_eq!(restore.exit_status, 0);
    let text = restore.stdout_text();
    assert!(text.contains("mkwpar: Creating file systems...\n/\nCreating logical volume 'fslv"));
    assert!(text.contains(
        "syncroot: Returns Status = SUCCESS\nWorkload partition wpmig61 created successfully.\n"
    ));
    assert!(restore.stderr_text().contains("0960-507"));
    check_transition(
        &mut world,
        "aixprd01",
        "wpmig61",
        &restore,
        Some(WparState::Defined),
    );
    assert_eq!(free_mb(&world, "aixprd01"), free_before - 768);

    // 0960-667 until migwpar (docs/procedures.md, "WPAR move", step 6).
    let start = run(
        &mut world,
        "aixprd01",
        &commands::startwpar("wpmig61", false).unwrap().line(),
    );
    assert_eq!(start.exit_status, 1);
    assert_eq!(
        start.stderr_text(),
        "startwpar: 0960-667 The operating system level within the workload partition is not supported.\n"
    );
    assert_eq!(
        start.stdout_text(),
        "Starting workload partition 'wpmig61'.\nMounting all workload partition file systems.\nUnmounting all workload partition file systems.\n"
    );
    finish(&mut world, &start);
    assert_eq!(
        state(&world, "aixprd01", "wpmig61"),
        Some(WparState::Defined)
    );
    let sync = run(
        &mut world,
        "aixprd01",
        &commands::syncwpar("wpmig61", false).unwrap().line(),
    );
    assert_eq!(sync.exit_status, 1);
    assert!(sync
        .stdout_text()
        .contains("syncroot: Please log out of the WPAR and execute the migwpar command."));
    assert!(parse_wpar_status(&sync.stdout_text()).failed());
    finish(&mut world, &sync);

    let migrate = run(
        &mut world,
        "aixprd01",
        &commands::migwpar("wpmig61", None).unwrap().line(),
    );
    assert_eq!(migrate.exit_status, 0);
    assert!(migrate
        .stdout_text()
        .starts_with("Shared WPAR list:\nwpmig61\nWPAR wpmig61 mount point:\n/wpars/wpmig61\n"));
    assert!(migrate.stdout_text().ends_with("Cleaning up ...\n"));
    check_transition(
        &mut world,
        "aixprd01",
        "wpmig61",
        &migrate,
        Some(WparState::Defined),
    );
    let start = run(&mut world, "aixprd01", "startwpar wpmig61");
    assert_eq!(start.exit_status, 0);
    finish(&mut world, &start);
    assert_eq!(
        state(&world, "aixprd01", "wpmig61"),
        Some(WparState::Active)
    );
    assert_eq!(
        run(&mut world, "aixprd01", "clogin wpmig61 oslevel -s").stdout_text(),
        "7100-00-02-1041\n"
    );
}

#[test]
fn restore_fails_when_the_disk_is_full_and_works_after_cleanup() {
    let mut world = demo();
    let image = "/export/wpars/wpleg61.savewpar";
    let save = run(
        &mut world,
        "aixprd02",
        &format!("ulimit -f unlimited; savewpar -f {image} wpleg61"),
    );
    assert_eq!(save.exit_status, 0);
    assert!(save
        .stdout_text()
        .starts_with("Mounting all workload partition file systems.\n"));
    // A Defined WPAR stays Defined while it is saved, its lock held.
    assert!(run(&mut world, "aixprd02", "startwpar wpleg61")
        .stderr_text()
        .contains("0960-247"));
    finish(&mut world, &save);
    assert_eq!(
        state(&world, "aixprd02", "wpleg61"),
        Some(WparState::Defined)
    );
    let free = free_mb(&world, "aixprd01");
    assert!(free < 3584, "the demo's aixprd01 is short of space");

    let full = run(&mut world, "aixprd01", &format!("restwpar -C -f {image}"));
    assert_eq!(full.exit_status, 1);
    let err = full.stderr_text();
    assert!(err.contains("0516-404 allocp: This system cannot fulfill the allocation request.\n"));
    assert!(err.contains("0516-822 mklv: Unable to create logical volume.\n"));
    assert!(err.ends_with("wparidata: Error processing image.data\nrestwpar: 0960-514 /usr/sbin/mkwpar exited with return code 1.\n"));
    assert!(full
        .stdout_text()
        .ends_with("mkwpar: Creating file systems...\n/\n"));
    match HostError::check(&output(&full)) {
        Err(HostError::Aix(message)) => {
            assert!(message.code.starts_with("0960") || message.code.starts_with("0516"))
        }
        other => panic!("{other:?}"),
    }
    // Absent once mkwpar has cleaned up, nothing used.
    check_transition(&mut world, "aixprd01", "wpleg61", &full, None);
    assert_eq!(free_mb(&world, "aixprd01"), free);

    // Free space by removing the old export dump, then restore again.
    assert_eq!(
        run(&mut world, "aixprd01", "ls /backup").stdout_text(),
        "wpdb01_export.dmp\n"
    );
    assert_eq!(
        run(&mut world, "aixprd01", "rm /backup/wpdb01_export.dmp").exit_status,
        0
    );
    assert_eq!(free_mb(&world, "aixprd01"), free + 3072);
    let restore = run(&mut world, "aixprd01", &format!("restwpar -C -f {image}"));
    assert_eq!(restore.exit_status, 0);
    check_transition(
        &mut world,
        "aixprd01",
        "wpleg61",
        &restore,
        Some(WparState::Defined),
    );
    assert!(wpar(&world, "aixprd01", "wpleg61").unwrap().private_usr);

    // A detached WPAR needs the install images (docs/formats.md, "AIX: migwpar").
    let no_images = run(&mut world, "aixprd01", "migwpar wpleg61");
    assert_eq!(no_images.exit_status, 1);
    assert_eq!(
        no_images.stderr_text(),
        "migwpar: 0960-270 An installation source (-d) is required to migrate detached workload partition wpleg61.\n"
    );
    let migrate = run(
        &mut world,
        "aixprd01",
        &commands::migwpar("wpleg61", Some("/mnt")).unwrap().line(),
    );
    assert_eq!(migrate.exit_status, 0);
    assert!(migrate
        .stdout_text()
        .starts_with("Detached WPAR list:\nwpleg61\n"));
    assert!(migrate
        .stdout_text()
        .contains("bos.rte                  7.1.0.2      USR      COMMIT      SUCCESS\n"));
    let secs = migrate.duration().as_secs_f64();
    assert!(secs > 300.0, "a detached migration is long, not {secs}");
    check_transition(
        &mut world,
        "aixprd01",
        "wpleg61",
        &migrate,
        Some(WparState::Defined),
    );
    let again = run(&mut world, "aixprd01", "migwpar -d /mnt wpleg61");
    assert!(again.stdout_text().contains("0960-272"));
    let start = run(&mut world, "aixprd01", "startwpar wpleg61");
    assert_eq!(start.exit_status, 0);
}

#[test]
fn restore_needs_the_image_on_this_host() {
    let mut world = demo();
    let save = run(
        &mut world,
        "aixprd02",
        "savewpar -f /home/wpmig61.savewpar wpmig61",
    );
    assert_eq!(save.exit_status, 0);
    finish(&mut world, &save);
    let missing = run(
        &mut world,
        "aixprd01",
        "restwpar -C -f /home/wpmig61.savewpar",
    );
    assert_eq!(missing.exit_status, 1);
    assert_eq!(
        missing.stderr_text(),
        "restwpar: Cannot open /home/wpmig61.savewpar: A file or directory in the path name does not exist.\n"
    );
    // Copy it through the shared directory.
    let out = run(
        &mut world,
        "aixprd02",
        "cp /home/wpmig61.savewpar /export/wpars/",
    );
    assert_eq!(out.exit_status, 0);
    finish(&mut world, &out);
    let copy = run(
        &mut world,
        "aixprd01",
        "cp /export/wpars/wpmig61.savewpar /home/wpmig61.savewpar",
    );
    assert_eq!(copy.exit_status, 0);
    assert!(copy.duration() > Duration::from_secs(5));
    assert_eq!(
        run(&mut world, "aixprd01", "ls /home/wpmig61.savewpar").exit_status,
        2
    );
    finish(&mut world, &copy);
    let listed = run(&mut world, "aixprd01", "ls -l /home/wpmig61.savewpar").stdout_text();
    assert!(listed.contains("805306368"), "{listed}");
    let restore = run(
        &mut world,
        "aixprd01",
        "restwpar -C -n wpnew01 -f /home/wpmig61.savewpar",
    );
    assert_eq!(restore.exit_status, 0, "{}", restore.stderr_text());
    finish(&mut world, &restore);
    let new = wpar(&world, "aixprd01", "wpnew01").unwrap();
    assert_eq!(
        (new.state.clone(), new.directory()),
        (WparState::Defined, "/wpars/wpnew01".to_string())
    );
    let exists = run(
        &mut world,
        "aixprd01",
        "restwpar -C -n wpnew01 -f /home/wpmig61.savewpar",
    );
    assert_eq!(
        exists.stderr_text(),
        "restwpar: 0960-259 Workload partition wpnew01 already exists.\n"
    );
    let not_image = run(
        &mut world,
        "aixprd01",
        "restwpar -f /backup/wpdb01_export.dmp",
    );
    assert!(not_image
        .stderr_text()
        .contains("is not a valid savewpar backup image"));
}

#[test]
fn restwpar_start_flag_and_rootvg_backup_lines() {
    let mut world = demo();
    let save = run(
        &mut world,
        "aixprd01",
        "ulimit -f unlimited && savewpar -i -f /export/wpars/wpdb01.sw wpdb01",
    );
    let text = save.stdout_text();
    assert!(text.starts_with("Bringing up WPAR's rootvg disks for backup. Please wait...\nCreating list of files to back up\n"));
    assert!(text.ends_with("0512-038 savewpar: Backup Completed Successfully.\nReverting back to the previous state of WPAR...\n"));
    let secs = save.duration().as_secs_f64();
    assert!(
        (360.0..=400.0).contains(&secs),
        "8 GB at 45 s/GB, not {secs}"
    );
    finish(&mut world, &save);
    let restore = run(
        &mut world,
        "aixprd02",
        "restwpar -C -s -n wpdb02 -f /export/wpars/wpdb01.sw",
    );
    assert_eq!(restore.exit_status, 0, "{}", restore.stderr_text());
    assert!(restore
        .stdout_text()
        .contains("Creating workload partition's rootvg. Please wait...\n"));
    assert!(restore
        .stderr_text()
        .contains("Level 7.1.0.2 of bos.rte.libc in saved image does not match level 6.1.6.3"));
    check_transition(
        &mut world,
        "aixprd02",
        "wpdb02",
        &restore,
        Some(WparState::Active),
    );
}

#[test]
fn mkwpar_creates_and_refuses() {
    let mut world = small(TWO_WPARS);
    let reply = run(
        &mut world,
        "g1",
        "mkwpar -n mig_wpar_2 -l -r -N address=172.16.20.118 netmask=255.255.252.0",
    );
    assert_eq!(reply.exit_status, 0);
    assert!(reply
        .stdout_text()
        .contains("mkwpar: Copying base files...\n"));
    check_transition(
        &mut world,
        "g1",
        "mig_wpar_2",
        &reply,
        Some(WparState::Defined),
    );
    let created = wpar(&world, "g1", "mig_wpar_2").unwrap();
    assert!(created.private_usr);
    assert_eq!(created.address.as_deref(), Some("172.16.20.118"));
    let bad = run(&mut world, "g1", "mkwpar -n 0bad");
    assert_eq!(
        bad.stderr_text(),
        "mkwpar: 0960-262 0bad is not a valid workload partition name.\n"
    );
    let spec = run(&mut world, "g1", "mkwpar -w -e nope -o /tmp/x.spec");
    assert!(spec.stderr_text().contains("0960-419"));
    let no_spec = run(&mut world, "g1", "mkwpar -f /tmp/none.spec");
    assert!(no_spec
        .stderr_text()
        .contains("A file or directory in the path name does not exist."));
    // A WPAR that does not fit: mklv fails, nothing is left.
    let mut world = small(
        r#"
[[aix]]
name = "g1"
oslevel = "7100-00-02-1041"
free_mb = 100
"#,
    );
    let full = run(&mut world, "g1", "mkwpar -n w1");
    assert_eq!(full.exit_status, 1);
    assert!(full
        .stderr_text()
        .ends_with("mkwpar: 0960-351 Failed to create the / file system.\n"));
    finish(&mut world, &full);
    assert_eq!(state(&world, "g1", "w1"), None);
    let start = run(
        &mut world,
        "g1",
        "mkwpar -n w2 -D rootvg=yes devname=hdisk4 -s",
    );
    assert_eq!(start.exit_status, 0);
    assert!(start.stdout_text().contains("hdisk4 Defined"));
    finish(&mut world, &start);
    assert_eq!(state(&world, "g1", "w2"), Some(WparState::Active));
}

#[test]
fn syncwpar_shared_and_detached() {
    let mut world = demo();
    let shared = run(
        &mut world,
        "aixprd01",
        &commands::syncwpar("wpweb01", false).unwrap().line(),
    );
    assert_eq!(shared.exit_status, 0);
    let stars = "*".repeat(79);
    assert_eq!(
        shared.stdout_text(),
        format!(
            "{stars}\nSynchronizing workload partition wpweb01 (1 of 1).\n{stars}\n\
Executing /usr/sbin/syncroot in workload partition wpweb01.\n\
syncroot: Processing root part installation status.\n\
syncroot: Installp root packages are currently synchronized.\n\
syncroot: RPM root packages are currently synchronized.\n\
syncroot: Root part is currently synchronized.\n\
syncroot: Returns Status = SUCCESS\n\
Workload partition wpweb01 synchronized successfully.\n\nReturn Status = SUCCESS.\n"
        )
    );
    assert!(parse_wpar_status(&shared.stdout_text()).succeeded());
    finish(&mut world, &shared);
    assert_eq!(
        state(&world, "aixprd01", "wpweb01"),
        Some(WparState::Active)
    );

    let detached = run(
        &mut world,
        "aixprd02",
        &commands::syncwpar("wpleg61", true).unwrap().line(),
    );
    assert_eq!(detached.exit_status, 0);
    assert!(detached
        .stdout_text()
        .contains("Synchronizing workload partition 'wpleg61' (1 of 1).\n"));
    assert!(detached
        .stdout_text()
        .contains("Mounting all workload partition file systems.\nLoading workload partition.\n"));
    check_transition(
        &mut world,
        "aixprd02",
        "wpleg61",
        &detached,
        Some(WparState::Defined),
    );

    let wrong = run(&mut world, "aixprd02", "syncwpar wpleg61");
    assert_eq!(wrong.exit_status, 1);
    assert!(wrong.stderr_text().contains("0960-274"));
    assert!(wrong
        .stderr_text()
        .contains("syncwpar: 0960-264 Error synchronizing workload partition wpleg61."));
    assert!(wrong
        .stdout_text()
        .ends_with("\nReturn Status = FAILURE.\n"));
    let all = run(&mut world, "aixprd02", "syncwpar -A");
    assert!(all.stdout_text().contains("(2 of 2)"));
}

#[test]
fn durations_are_realistic() {
    let mut world = demo();
    let start = run(&mut world, "aixprd02", "startwpar wpleg61")
        .duration()
        .as_secs_f64();
    assert!(
        (8.0..=15.0).contains(&start),
        "startwpar ~10 s, not {start}"
    );
    let mut world = demo();
    let stop = run(&mut world, "aixprd02", "stopwpar wpmig61")
        .duration()
        .as_secs_f64();
    assert!((5.0..=15.0).contains(&stop), "stopwpar, not {stop}");
    let mut world = demo();
    let save = run(
        &mut world,
        "aixprd02",
        "ulimit unlimited; savewpar -f /export/wpars/x wpleg61",
    )
    .duration()
    .as_secs_f64();
    assert!(
        (150.0..=180.0).contains(&save),
        "3.5 GB at 45 s/GB, not {save}"
    );
}

#[test]
fn system_commands() {
    let mut world = demo();
    assert_eq!(
        run(&mut world, "aixprd01", "oslevel -s").stdout_text(),
        "7100-00-02-1041\n"
    );
    assert_eq!(run(&mut world, "aixprd01", "uname -W").stdout_text(), "0\n");
    let lsfs = run(&mut world, "aixprd01", "lsfs -u wpweb01").stdout_text();
    assert_eq!(lsfs.lines().count(), 5, "{lsfs}");
    assert!(lsfs.contains("/dev/fslv00     --         /wpars/wpweb01"));
    let lsvg = run(&mut world, "aixprd01", "lsvg rootvg").stdout_text();
    assert!(
        lsvg.contains("FREE PPs:       32 (2048 megabytes)"),
        "{lsvg}"
    );
    assert!(run(&mut world, "aixprd01", "df -m")
        .stdout_text()
        .contains("/export/wpars"));
    let busy = run(&mut world, "aixprd01", "umount /wpars/wpweb01");
    assert!(busy.stderr_text().contains("0506-349"));
    let missing = run(&mut world, "aixprd01", "frobnicate");
    assert_eq!(missing.exit_status, 127);
    assert_eq!(missing.stderr_text(), "ksh: frobnicate:  not found.\n");
    assert_eq!(
        run(&mut world, "aixprd01", "/usr/sbin/lswpar -q -a name wphttp").stdout_text(),
        "wphttp\n"
    );
}

// --- no panics ---------------------------------------------------------------------

const PROGRAMS: &[&str] = &[
    "lswpar",
    "startwpar",
    "stopwpar",
    "rebootwpar",
    "rmwpar",
    "mkwpar",
    "savewpar",
    "restwpar",
    "syncwpar",
    "migwpar",
    "clogin",
    "oslevel",
    "uname",
    "mount",
    "umount",
    "lsfs",
    "df",
    "lsvg",
    "ls",
    "cp",
    "rm",
    "cat",
    "touch",
    "chwpar",
    "instfix",
    "fuser",
    "kill",
    "chfs",
    "showmount",
];

const WORDS: &[&str] = &[
    "-c",
    "-q",
    "-a",
    "-d",
    "-G",
    "-M",
    "-N",
    "-s",
    "-t",
    "-v",
    "-F",
    "-p",
    "-f",
    "-n",
    "-C",
    "-e",
    "-w",
    "-o",
    "-D",
    "-A",
    "-r",
    "-l",
    "-i",
    "--",
    "-",
    "",
    "wpweb01",
    "wpbatch01",
    "wprpt01",
    "wphttp",
    "wpdb01",
    "wpleg61",
    "/export/wpars/x",
    "/export/wpars",
    "/tmp/s",
    "/backup",
    "name,state",
    "address=1.2.3.4",
    "rootvg=yes",
    "|",
    "=",
    "-cq",
    "-Ncq",
    "D",
    "oslevel",
    "syncroot",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn no_command_line_panics(
        program in prop::sample::select(PROGRAMS),
        words in prop::collection::vec(prop_oneof![
            prop::sample::select(WORDS).prop_map(str::to_string),
            "[ -~]{0,12}",
        ], 0..7),
        host_name in prop::sample::select(&["aixprd01", "aixprd02"][..]),
        later in 0u64..400,
    ) {
        let mut world = demo();
        let mut argv = vec![program.to_string()];
        argv.extend(words);
        let command = powerdeck::sim::shell::SimpleCommand { env: Vec::new(), argv };
        let reply = powerdeck::sim::aix::exec(&mut world, host_name, &command);
        prop_assert!(reply.is_some());
        world.advance(Duration::from_secs(later));
        world.advance(Duration::from_secs(5_000));
        let again = run(&mut world, host_name, "lswpar -cq");
        prop_assert_eq!(again.exit_status, 0);
    }
}

#[test]
fn remove_with_preserve_and_recreate_with_p_keeps_the_data() {
    let mut world = small(
        r#"
[[aix]]
name = "g1"
oslevel = "7100-00-02-1041"
free_mb = 4096

[[aix.wpars]]
name = "w1"
oslevel = "7100-00-01-1037"
size_mb = 2048
"#,
    );
    let spec = run(&mut world, "g1", "mkwpar -e w1 -w -o /etc/wpars/w1.spec");
    assert_eq!(spec.exit_status, 0);
    let rm = run(
        &mut world,
        "g1",
        &commands::rmwpar("w1", false, true).unwrap().line(),
    );
    assert_eq!((rm.exit_status, rm.stdout_text()), (0, String::new()));
    finish(&mut world, &rm);
    assert_eq!(state(&world, "g1", "w1"), None);
    assert_eq!(free_mb(&world, "g1"), 4096, "-p keeps the file systems");
    let mk = run(
        &mut world,
        "g1",
        &commands::mkwpar_from_spec("/etc/wpars/w1.spec", true)
            .unwrap()
            .line(),
    );
    assert_eq!(mk.exit_status, 0);
    assert!(!mk.stdout_text().contains("Creating file systems"));
    assert!(mk
        .stdout_text()
        .starts_with("Mounting all workload partition file systems.\n"));
    check_transition(&mut world, "g1", "w1", &mk, Some(WparState::Defined));
    assert_eq!(free_mb(&world, "g1"), 4096);
    assert_eq!(
        wpar(&world, "g1", "w1").unwrap().oslevel.as_deref(),
        Some("7100-00-01-1037"),
        "the preserved data keeps its level until syncwpar"
    );
    let sync = run(&mut world, "g1", "syncwpar w1");
    assert_eq!(sync.exit_status, 0);
    assert!(sync
        .stdout_text()
        .contains("Mounting all workload partition file systems.\nLoading workload partition.\n"));
    check_transition(&mut world, "g1", "w1", &sync, Some(WparState::Defined));
    assert_eq!(wpar(&world, "g1", "w1").unwrap().oslevel, None);
}

// --- strict like AIX: the WPAR move and recovery checks (docs/procedures.md) ---------

#[test]
fn chained_commands_see_each_others_effects() {
    let mut world = demo();
    // The stop takes simulated time: the listing after it sees it ended.
    let reply = run(
        &mut world,
        "aixprd02",
        "stopwpar wpmig61; lswpar -cq wpmig61",
    );
    assert!(reply
        .stdout_text()
        .ends_with("wpmig61:D:S:wpmig61:/wpars/wpmig61:no\n"));
    let reply = run(
        &mut world,
        "aixprd02",
        "sh -c 'startwpar wpmig61 && lswpar -cq wpmig61'",
    );
    assert_eq!(reply.exit_status, 0);
    assert!(reply
        .stdout_text()
        .ends_with("wpmig61:A:S:wpmig61:/wpars/wpmig61:no\n"));
    // `&&` stops at a failure, `||` runs after one; the status is the last that ran.
    let reply = run(
        &mut world,
        "aixprd02",
        "lswpar -cq nosuch && echo reached || echo failed",
    );
    assert_eq!(reply.stdout_text(), "failed\n");
    assert_eq!(reply.exit_status, 0);
    let reply = run(&mut world, "aixprd02", "lswpar -cq nosuch && echo reached");
    assert_eq!(reply.stdout_text(), "");
    assert_eq!(reply.exit_status, 1);
    let bad = run(&mut world, "aixprd02", "oslevel -s &&");
    assert_eq!(bad.exit_status, 2);
    assert_eq!(bad.stderr_text(), "ksh: syntax error: `&&' unexpected\n");
    let interactive = run(&mut world, "aixprd02", "sh");
    assert_eq!(interactive.exit_status, 2);
}

#[test]
fn the_file_size_limit_stops_a_large_savewpar_unless_lifted_in_its_shell() {
    let mut world = demo();
    assert_eq!(
        run(&mut world, "aixprd02", "ulimit -f").stdout_text(),
        "2097151\n"
    );
    let image = "/export/wpars/wpleg61.savewpar";
    // 3.5 GB past root's 1 GB limit: the backup stops there and says why.
    let cut = run(
        &mut world,
        "aixprd02",
        &format!("savewpar -i -f {image} wpleg61"),
    );
    assert_eq!(cut.exit_status, 1);
    assert_eq!(
        cut.stderr_text(),
        format!(
            "backup: 0511-138 Cannot write to file {image}.\nA file cannot be larger than the value set by ulimit.\n"
        )
    );
    assert!(!cut.stdout_text().contains("0512-038"));
    finish(&mut world, &cut);
    let listed = run(&mut world, "aixprd01", &format!("ls -l {image}")).stdout_text();
    assert!(listed.contains(" 1072693248 "), "cut at 1023 MB: {listed}");
    // Restoring what it left creates the WPAR, then fails on its data: half-created.
    let restore = run(
        &mut world,
        "aixprd02",
        &format!("restwpar -n wpcut -f {image}"),
    );
    assert_eq!(restore.exit_status, 1);
    assert_eq!(
        restore.stderr_text(),
        format!(
            "restore: 0511-195 An unexpected end of file was found on {image}.\nrestwpar: 0960-529 The files of workload partition wpcut could not be restored.\n"
        )
    );
    finish(&mut world, &restore);
    assert_eq!(
        state(&world, "aixprd02", "wpcut"),
        Some(WparState::Broken),
        "half-created"
    );
    // The limit lifted in the same shell: the whole image.
    let whole = run(
        &mut world,
        "aixprd02",
        &commands::savewpar_unlimited("wpleg61", image)
            .unwrap()
            .line(),
    );
    assert_eq!(whole.exit_status, 0);
    assert!(whole
        .stdout_text()
        .contains("0512-038 savewpar: Backup Completed Successfully.\n"));
    finish(&mut world, &whole);
    assert!(run(&mut world, "aixprd01", &format!("ls -l {image}"))
        .stdout_text()
        .contains(" 3758096384 "));
    // ... for its own shell only: the next command line starts at the limit again.
    let lifted = run(&mut world, "aixprd02", "ulimit -f unlimited; ulimit -f");
    assert_eq!(lifted.stdout_text(), "unlimited\n");
    assert_eq!(
        run(&mut world, "aixprd02", "sh -c 'ulimit -f 100' && ulimit -f").stdout_text(),
        "2097151\n"
    );
    let copy = run(&mut world, "aixprd02", &format!("cp {image} /backup/"));
    assert!(copy
        .stderr_text()
        .contains("A file cannot be larger than the value set by ulimit."));
}

#[test]
fn instfix_answers_from_the_estate_and_restwpar_needs_iz99829() {
    let mut world = small(
        r#"
[[aix]]
name = "old"
oslevel = "6100-06-03-1048"

[[aix.wpars]]
name = "w61"
size_mb = 512

[[aix]]
name = "new"
oslevel = "7100-00-02-1041"
apars = ["IV00001"]
"#,
    );
    let found = run(&mut world, "new", "instfix -ik IV00001");
    assert_eq!(
        found.stdout_text(),
        "    All filesets for IV00001 were found.\n"
    );
    let missing = run(&mut world, "new", "instfix -ik IZ99829");
    assert_eq!(
        missing.stdout_text(),
        "    There was no data for IZ99829 in the fix database.\n"
    );
    assert_eq!(missing.exit_status, 0, "the answer is in the text");
    assert_eq!(
        run(&mut world, "new", "instfix -F -ik IZ99829").exit_status,
        1
    );
    assert_eq!(run(&mut world, "new", "instfix -k IZ99829").exit_status, 2);
    // A 6.1 image on 7.1 without the fix: the WPAR is made, its files are not.
    let save = run(&mut world, "old", "savewpar -f /export/wpars/w61.img w61");
    finish(&mut world, &save);
    let restore = run(&mut world, "new", "restwpar -C -f /export/wpars/w61.img");
    assert_eq!(restore.exit_status, 1);
    assert!(restore.stderr_text().contains("0960-507"));
    assert!(restore.stderr_text().contains("without fix IZ99829"));
    finish(&mut world, &restore);
    assert_eq!(state(&world, "new", "w61"), Some(WparState::Broken));
    // With the fix it restores.
    let removed = run(&mut world, "new", "rmwpar -F w61");
    finish(&mut world, &removed);
    world.estate.aix[1].apars.push("IZ99829".into());
    let restore = run(&mut world, "new", "restwpar -C -f /export/wpars/w61.img");
    assert_eq!(restore.exit_status, 0, "{}", restore.stderr_text());
    finish(&mut world, &restore);
    assert_eq!(state(&world, "new", "w61"), Some(WparState::Defined));
}

#[test]
fn chwpar_switches_auto_start_with_k_meaning_off() {
    let mut world = demo();
    let general = |world: &mut World| {
        let text = run(world, "aixprd01", "lswpar -G wpweb01").stdout_text();
        parse_lswpar_general(&text).unwrap().items[0].auto_start
    };
    assert_eq!(general(&mut world), Some(true));
    assert_eq!(
        run(&mut world, "aixprd01", "chwpar -K -A wpweb01").exit_status,
        0
    );
    assert_eq!(general(&mut world), Some(false));
    assert_eq!(
        run(&mut world, "aixprd01", "chwpar -A wpweb01").exit_status,
        0
    );
    assert_eq!(general(&mut world), Some(true), "-A alone switches it on");
    let running = run(&mut world, "aixprd01", "chwpar -c wpweb01");
    assert_eq!(
        running.stderr_text(),
        "chwpar: 0960-545 Cannot change the checkpointability (-c) of a running workload partition.\n"
    );
    assert_eq!(
        run(&mut world, "aixprd01", "chwpar -n other wpweb01").exit_status,
        2
    );
    assert!(run(&mut world, "aixprd01", "chwpar -A nosuch")
        .stderr_text()
        .contains("0960-419"));
    assert!(run(&mut world, "aixprd01", "chwpar -A wpbatch01")
        .stderr_text()
        .contains("0960-247"));
}

const HELD: &str = r#"
[[aix]]
name = "g1"
oslevel = "7100-00-02-1041"

[[aix.wpars]]
name = "w1"
state = "B"
size_mb = 1024
leftover_mount = "/wpars/w1/SW"
holders = [
    { pid = 4128872, path = "/wpars/w1/SW/images" },
    { pid = 303, path = "/wpars/w1/home/app", use = "e" },
]
"#;

#[test]
fn holders_keep_file_systems_busy_until_they_end() {
    let mut world = small(HELD);
    let listed = run(&mut world, "g1", "fuser -cx /wpars/w1/SW");
    assert_eq!(listed.stdout_text(), "  4128872c\n");
    assert_eq!(listed.stderr_text(), "/wpars/w1/SW: \n");
    assert_eq!(
        run(&mut world, "g1", "fuser -cx /wpars/w1/home").stdout_text(),
        "  303e\n"
    );
    assert_eq!(
        run(&mut world, "g1", "fuser -cx /wpars/w1").stdout_text(),
        ""
    );
    // Held: no plain unmount, and never a forced one of a local jfs2 file system.
    assert_eq!(
        run(&mut world, "g1", "umount /wpars/w1/SW").stderr_text(),
        "umount: 0506-349 Cannot unmount /dev/swlv: The requested resource is busy.\n"
    );
    assert!(run(&mut world, "g1", "umount -f /wpars/w1/SW")
        .stderr_text()
        .contains("0506-347"));
    assert_eq!(run(&mut world, "g1", "kill 4128872").exit_status, 0);
    assert_eq!(
        run(&mut world, "g1", "kill 4128872").stderr_text(),
        "kill: 4128872: 0403-003 The specified process does not exist.\n"
    );
    assert_eq!(run(&mut world, "g1", "umount /wpars/w1/SW").exit_status, 0);
    // A holder of its own /home: even the forced stop cannot unmount it; Broken.
    let stop = run(&mut world, "g1", "stopwpar -F w1");
    assert_eq!(stop.exit_status, 1);
    let err = stop.stderr_text();
    assert!(
        err.contains("umount: error unmounting /dev/fslv01: Device busy\n"),
        "{err}"
    );
    assert!(
        err.contains("stopwpar: 0960-630 Failed to unmount /home.\n"),
        "{err}"
    );
    finish(&mut world, &stop);
    assert_eq!(state(&world, "g1", "w1"), Some(WparState::Broken));
    assert_eq!(run(&mut world, "g1", "kill -9 303").exit_status, 0);
    let stop = run(&mut world, "g1", "stopwpar -F w1");
    assert_eq!(stop.exit_status, 0, "{}", stop.stderr_text());
    finish(&mut world, &stop);
    assert_eq!(state(&world, "g1", "w1"), Some(WparState::Defined));
}

#[test]
fn a_full_file_system_breaks_every_start_until_grown() {
    let mut world = small(
        r#"
[[aix]]
name = "g1"
oslevel = "7100-00-02-1041"
free_mb = 4096

[[aix.wpars]]
name = "w1"
state = "B"
size_mb = 1024
full_fs = "/var"
"#,
    );
    let df = run(&mut world, "g1", "df -k").stdout_text();
    let var = df.lines().find(|l| l.ends_with(" /wpars/w1/var")).unwrap();
    assert!(var.contains(" 100% "), "{var}");
    assert!(df.contains(" /wpars/w1/home"));
    let one = run(&mut world, "g1", "df -k /wpars/w1/var/log").stdout_text();
    assert_eq!(one.lines().count(), 2, "{one}");
    let stop = run(&mut world, "g1", "stopwpar -F w1");
    finish(&mut world, &stop);
    let start = run(&mut world, "g1", "startwpar w1");
    assert_eq!(start.exit_status, 1);
    finish(&mut world, &start);
    assert_eq!(state(&world, "g1", "w1"), Some(WparState::Broken));
    let grown = run(&mut world, "g1", "chfs -a size=+256M /wpars/w1/var");
    assert_eq!(grown.stdout_text(), "Filesystem size changed to 1048576\n");
    assert_eq!(free_mb(&world, "g1"), 4096 - 256);
    assert!(!run(&mut world, "g1", "df -k /wpars/w1/var")
        .stdout_text()
        .contains("100%"));
    let stop = run(&mut world, "g1", "stopwpar -F w1");
    finish(&mut world, &stop);
    let start = run(&mut world, "g1", "startwpar w1");
    assert_eq!(start.exit_status, 0, "{}", start.stderr_text());
    assert!(run(&mut world, "g1", "chfs -a size=+1M /usr")
        .stderr_text()
        .contains("grows only the file systems of WPARs"));
}

const SHARED: &str = r#"
[[aix]]
name = "rw"
oslevel = "7100-00-02-1041"
shared_free_mb = 2000

[[aix.wpars]]
name = "w1"
size_mb = 512

[[aix]]
name = "ro"
oslevel = "7100-00-02-1041"
shared_mount = "ro"

[[aix]]
name = "local"
oslevel = "7100-00-02-1041"
shared_mount = "unmounted"
"#;

#[test]
fn the_shared_directory_is_seen_only_where_it_is_mounted_and_writable() {
    let mut world = small(SHARED);
    let mounted = |world: &mut World, host: &str| {
        run(world, host, "mount")
            .stdout_text()
            .lines()
            .find(|l| l.contains("/export/wpars"))
            .map(str::to_string)
    };
    assert!(mounted(&mut world, "rw")
        .unwrap()
        .ends_with(" rw,bg,hard,intr"));
    assert!(mounted(&mut world, "ro")
        .unwrap()
        .ends_with(" ro,bg,hard,intr"));
    assert_eq!(mounted(&mut world, "local"), None);
    let probe = commands::write_probe("/export/wpars/.probe")
        .unwrap()
        .line();
    assert_eq!(run(&mut world, "rw", &probe).exit_status, 0);
    let refused = run(&mut world, "ro", &probe);
    assert_eq!(
        refused.stderr_text(),
        "touch: /export/wpars/.probe: The file system has read permission only.\n"
    );
    assert_eq!(refused.exit_status, 1);
    // Written on the unmounted host, the image stays there.
    let save = run(&mut world, "rw", "savewpar -f /export/wpars/w1.img w1");
    finish(&mut world, &save);
    assert_eq!(
        run(&mut world, "ro", "ls /export/wpars/w1.img").exit_status,
        0
    );
    assert_eq!(
        run(&mut world, "local", "ls /export/wpars/w1.img").exit_status,
        2
    );
    assert_eq!(
        run(&mut world, "local", "touch /export/wpars/mine").exit_status,
        0
    );
    assert_eq!(
        run(&mut world, "rw", "ls /export/wpars/mine").exit_status,
        2
    );
    // The export's free space is counted: 2000 MB, 512 used by the image.
    let df = run(&mut world, "rw", "df -k /export/wpars").stdout_text();
    assert!(df.contains(&format!(" {} ", 1488 * 1024)), "{df}");
    let full = run(&mut world, "rw", "savewpar -f /export/wpars/w1.again w1");
    finish(&mut world, &full);
    let second = run(&mut world, "rw", "ulimit -f unlimited; cp /export/wpars/w1.img /export/wpars/c1; cp /export/wpars/w1.img /export/wpars/c2");
    assert!(second
        .stderr_text()
        .contains("There is not enough space in the file system."));
    // Unmounted, then mounted again: NFS mounts may be forced off, it is not jfs2.
    assert_eq!(
        run(&mut world, "ro", "umount -f /export/wpars").exit_status,
        0
    );
    assert_eq!(mounted(&mut world, "ro"), None);
    assert_eq!(
        run(&mut world, "ro", "mount nfs01:/export/wpars /export/wpars").exit_status,
        0
    );
    assert!(mounted(&mut world, "ro")
        .unwrap()
        .ends_with(" rw,bg,hard,intr"));
    assert_eq!(
        run(&mut world, "ro", "showmount -e nfs01").stdout_text(),
        "export list for nfs01:\n/export/wpars (everyone)\n"
    );
    assert_eq!(run(&mut world, "ro", "showmount -e nfs09").exit_status, 1);
}

#[test]
fn lppchk_inside_finds_a_root_part_behind_its_usr_until_synchronised() {
    let mut world = small(
        r#"
[[aix]]
name = "g1"
oslevel = "7100-00-03-1115"

[[aix.wpars]]
name = "w1"
state = "A"
oslevel = "7100-00-02-1041"
"#,
    );
    let check = run(&mut world, "g1", "clogin w1 lppchk -v");
    assert_eq!(check.exit_status, 1);
    assert!(check.stderr_text().contains("bos.rte.libc 7.1.0.3"));
    let sync = run(&mut world, "g1", "syncwpar w1");
    finish(&mut world, &sync);
    let check = run(&mut world, "g1", "clogin w1 lppchk -v");
    assert_eq!((check.exit_status, check.stdout_text()), (0, String::new()));
}
