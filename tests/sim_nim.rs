//! The simulated NIM masters, in process: `lsnim` output checked as text against the
//! formats of docs/formats.md (the "NIM: lsnim" sections) and through powerdeck's
//! parsers, the stuck-client reset and deallocation, HANIM sync and takeover between nim01
//! and nim02, the 0042 errors and their exit codes (code mod 256), and the nimadm
//! pre-flight through c_rsh.

use std::time::Duration;

use powerdeck::estate::{Cstate, Mstate, NimClass};
use powerdeck::exec::CommandOutput;
use powerdeck::sim::estate::SimNimObject;
use powerdeck::sim::{host, Estate, Reply, World};
use powerdeck::sources::nim::commands;
use powerdeck::sources::nim::{parse_lsnim, parse_lsnim_long};
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

fn wait(world: &mut World, secs: f64) {
    let to = world.now() + Duration::from_secs_f64(secs);
    world.advance(to);
}

fn finish(world: &mut World, reply: &Reply) {
    let to = world.now() + reply.duration();
    world.advance(to);
}

fn object<'a>(world: &'a World, master: &str, name: &str) -> Option<&'a SimNimObject> {
    world
        .estate
        .nim
        .iter()
        .find(|h| h.name == master)?
        .objects
        .iter()
        .find(|o| o.name == name)
}

fn attr(world: &World, master: &str, name: &str, key: &str) -> Option<String> {
    object(world, master, name)?.attr(key).map(str::to_string)
}

fn output(reply: &Reply) -> CommandOutput {
    CommandOutput::new(reply.stdout_text(), reply.stderr_text(), reply.exit_status)
}

const SMALL_DB: &str = r#"
[[nim]]
name = "nimA"

[[nim.objects]]
name = "master"
class = "machines"
type = "master"

[[nim.objects]]
name = "master_net"
class = "networks"
type = "ent"

[[nim.objects]]
name = "hmc1"
class = "management"
type = "hmc"
attributes = [
  ["id", "1363005068"],
  ["if1", "10-10-30-0-s23-net hmc1 0"],
  ["Cstate", "ready for a NIM operation"],
  ["prev_state", ""],
  ["Mstate", "not running"],
  ["passwd_file", "/etc/ibm/sysmgt/dsm/config/hmc1_passwd"],
]

[[nim.objects]]
name = "a_very_long_client_name"
class = "machines"
type = "standalone"
attributes = [
  ["current_master", "nimA"],
  ["sync_required", "no"],
  ["Cstate", "ready for a NIM operation"],
  ["Mstate", "currently running"],
]
"#;

// --- lsnim formats ---------------------------------------------------------------

#[test]
fn lsnim_plain_listing_pads_name_and_class() {
    let mut world = small(SMALL_DB);
    let reply = run(&mut world, "nimA", "lsnim");
    assert_eq!(reply.exit_status, 0);
    assert_eq!(
        reply.stdout_text(),
        "master           machines         master\n\
         master_net       networks         ent\n\
         hmc1             management       hmc\n\
         a_very_long_client_name machines         standalone\n"
    );
    assert_eq!(
        run(&mut world, "nimA", "lsnim -t hmc").stdout_text(),
        "hmc1             management       hmc\n"
    );
    assert_eq!(
        run(&mut world, "nimA", "lsnim -c networks").stdout_text(),
        "master_net       networks         ent\n"
    );
    assert_eq!(
        run(&mut world, "nimA", "lsnim hmc1").stdout_text(),
        "hmc1             management       hmc\n"
    );
}

#[test]
fn lsnim_long_stanza_pads_to_the_longest_name_of_each_object() {
    let mut world = small(SMALL_DB);
    let reply = run(&mut world, "nimA", "lsnim -l hmc1 a_very_long_client_name");
    assert_eq!(
        reply.stdout_text(),
        "hmc1:\n\
         \x20  class       = management\n\
         \x20  type        = hmc\n\
         \x20  id          = 1363005068\n\
         \x20  if1         = 10-10-30-0-s23-net hmc1 0\n\
         \x20  Cstate      = ready for a NIM operation\n\
         \x20  prev_state  =\n\
         \x20  Mstate      = not running\n\
         \x20  passwd_file = /etc/ibm/sysmgt/dsm/config/hmc1_passwd\n\
         a_very_long_client_name:\n\
         \x20  class          = machines\n\
         \x20  type           = standalone\n\
         \x20  current_master = nimA\n\
         \x20  sync_required  = no\n\
         \x20  Cstate         = ready for a NIM operation\n\
         \x20  Mstate         = currently running\n"
    );
    let parsed = parse_lsnim_long(&reply.stdout_text()).unwrap();
    assert!(parsed.is_clean(), "{:?}", parsed.diagnostics);
    assert_eq!(parsed.items[0].attribute("prev_state"), Some(""));
    assert_eq!(parsed.items[1].current_master.as_deref(), Some("nimA"));
    let picked = run(&mut world, "nimA", "lsnim -a Mstate -a Cstate hmc1");
    assert_eq!(
        picked.stdout_text(),
        "hmc1:\n   Mstate = not running\n   Cstate = ready for a NIM operation\n"
    );
}

#[test]
fn lsnim_unknown_object_gives_0042_053() {
    let mut world = small(SMALL_DB);
    let reply = run(&mut world, "nimA", "lsnim -l fb_script01");
    assert_eq!(reply.stdout_text(), "");
    assert_eq!(
        reply.stderr_text(),
        "0042-053 lsnim: there is no NIM object named \"fb_script01\"\n"
    );
    assert_eq!(reply.exit_status, 53);
    match HostError::check(&output(&reply)) {
        Err(HostError::Aix(message)) => assert_eq!(message.code, "0042-053"),
        other => panic!("{other:?}"),
    }
    let mixed = run(&mut world, "nimA", "lsnim hmc1 nope");
    assert_eq!(
        mixed.stdout_text(),
        "hmc1             management       hmc\n"
    );
    assert!(mixed.stderr_text().contains("\"nope\""));
    assert_eq!(mixed.exit_status, 53);
    assert_eq!(run(&mut world, "nimA", "lsnim -t spot").stdout_text(), "");
    assert_eq!(run(&mut world, "nimA", "lsnim -x").exit_status, 1);
}

#[test]
fn lsnim_query_of_sync() {
    let mut world = demo();
    assert_eq!(
        run(&mut world, "nim01", "lsnim -q sync alternate_master").stdout_text(),
        "the following attributes are optional:\n\t-a verbose=\n\t-a replicate=\n\t-a reset_clients=\n"
    );
    assert_eq!(
        run(&mut world, "nim01", "lsnim -q sync nim02").exit_status,
        0
    );
}

#[test]
fn every_demo_listing_parses_without_diagnostics() {
    let mut world = demo();
    for master in ["nim01", "nim02"] {
        let count = world
            .estate
            .nim
            .iter()
            .find(|h| h.name == master)
            .unwrap()
            .objects
            .len();
        let plain = run(&mut world, master, &commands::lsnim().line());
        let parsed = parse_lsnim(&plain.stdout_text()).unwrap();
        assert!(parsed.is_clean(), "{master}: {:?}", parsed.diagnostics);
        assert_eq!(parsed.items.len(), count);
        assert!(parsed.items.iter().all(|e| e.class.is_known()));

        let long = run(
            &mut world,
            master,
            &commands::lsnim_long(None).unwrap().line(),
        );
        let parsed = parse_lsnim_long(&long.stdout_text()).unwrap();
        assert!(parsed.is_clean(), "{master}: {:?}", parsed.diagnostics);
        assert_eq!(parsed.items.len(), count);
        for item in &parsed.items {
            assert!(item.class.is_known(), "{}", item.name);
            assert!(
                item.cstate.as_ref().is_none_or(Cstate::is_known),
                "{}",
                item.name
            );
            assert!(
                item.mstate.as_ref().is_none_or(Mstate::is_known),
                "{}",
                item.name
            );
        }
        for class in [
            NimClass::Machines,
            NimClass::Resources,
            NimClass::Networks,
            NimClass::Management,
        ] {
            let line = commands::lsnim_class(&class).unwrap().line();
            let reply = run(&mut world, master, &line);
            let parsed = parse_lsnim_long(&reply.stdout_text()).unwrap();
            assert!(parsed.is_clean());
            assert!(parsed.items.iter().all(|o| o.class == class));
        }
    }
    let count_of = |world: &mut World, t: &str| {
        let line = commands::lsnim_type(t).unwrap().line();
        parse_lsnim(&run(world, "nim01", &line).stdout_text())
            .unwrap()
            .items
            .len()
    };
    assert_eq!(count_of(&mut world, "standalone"), 15);
    assert_eq!(count_of(&mut world, "alternate_master"), 1);
    assert_eq!(count_of(&mut world, "wpar"), 2);
    assert_eq!(count_of(&mut world, "hmc"), 1);
    assert_eq!(count_of(&mut world, "cec"), 2);
    let total = world
        .estate
        .nim
        .iter()
        .find(|h| h.name == "nim01")
        .unwrap()
        .objects
        .len();
    assert!((38..=45).contains(&total), "about 40 objects, not {total}");

    let long = run(&mut world, "nim01", "lsnim -l");
    let parsed = parse_lsnim_long(&long.stdout_text()).unwrap();
    let stuck: Vec<&str> = parsed
        .items
        .iter()
        .filter(|o| o.is_stuck_machine())
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(stuck, ["tstdb02"]);
    let tstdb02 = parsed.items.iter().find(|o| o.name == "tstdb02").unwrap();
    assert_eq!(tstdb02.cstate, Some(Cstate::BosInstalling));
    assert_eq!(
        tstdb02.attribute("info"),
        Some("BOS install 39% complete : Installing additional software.")
    );
    let needs_sync: Vec<&str> = parsed
        .items
        .iter()
        .filter(|o| o.sync_required())
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(needs_sync, ["devapp01"]);
}

#[test]
fn demo_stanza_order_follows_the_reference() {
    let mut world = demo();
    let text = run(&mut world, "nim01", "lsnim -l aixprd01").stdout_text();
    let keys: Vec<&str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim()))
        .collect();
    assert_eq!(
        keys,
        [
            "class",
            "type",
            "current_master",
            "sync_required",
            "connect",
            "platform",
            "netboot_kernel",
            "if1",
            "cable_type1",
            "mgmt_profile1",
            "Cstate",
            "prev_state",
            "Mstate",
            "manages",
            "cpuid"
        ]
    );
    assert!(text.starts_with("aixprd01:\n   class          = machines\n"));
}

// --- stuck client ---------------------------------------------------------------

#[test]
fn stuck_client_needs_force_reset_then_deallocate() {
    let mut world = demo();
    let lpp_before = attr(&world, "nim01", "lpp_7100-03-05", "alloc_count");
    assert_eq!(lpp_before.as_deref(), Some("1"));

    let reset = run(
        &mut world,
        "nim01",
        &commands::nim_reset("tstdb02", false).unwrap().line(),
    );
    assert_eq!(reset.exit_status, 204);
    assert_eq!(
        reset.stderr_text(),
        "0042-001 nim: processing error encountered on \"master\":\n\
         0042-204 m_reset: \"tstdb02\" is in the \"Base Operating System installation is being performed\" state;\n\
         \tuse the force option (-F) to reset it\n"
    );
    let dealloc = run(
        &mut world,
        "nim01",
        &commands::nim_deallocate_all("tstdb02").unwrap().line(),
    );
    assert_eq!(dealloc.exit_status, 205);
    assert!(dealloc.stderr_text().contains("0042-205 m_dealloc:"));
    let check = run(
        &mut world,
        "nim01",
        &commands::nim_check("tstdb02").unwrap().line(),
    );
    assert_eq!(check.exit_status, 205);

    let reset = run(
        &mut world,
        "nim01",
        &commands::nim_reset("tstdb02", true).unwrap().line(),
    );
    assert_eq!(
        (reset.exit_status, reset.stdout_text(), reset.stderr_text()),
        (0, String::new(), String::new())
    );
    assert_eq!(
        attr(&world, "nim01", "tstdb02", "Cstate").as_deref(),
        Some("Base Operating System installation is being performed")
    );
    finish(&mut world, &reset);
    assert_eq!(
        attr(&world, "nim01", "tstdb02", "Cstate").as_deref(),
        Some("ready for a NIM operation")
    );
    assert_eq!(
        attr(&world, "nim01", "tstdb02", "prev_state").as_deref(),
        Some("Base Operating System installation is being performed")
    );
    assert_eq!(attr(&world, "nim01", "tstdb02", "info"), None);
    // Reset does not deallocate (docs/formats.md, "NIM: reset and deallocate").
    assert_eq!(
        attr(&world, "nim01", "tstdb02", "spot").as_deref(),
        Some("spot_7100-03-05")
    );

    let dealloc = run(
        &mut world,
        "nim01",
        &commands::nim_deallocate_all("tstdb02").unwrap().line(),
    );
    assert_eq!(dealloc.exit_status, 0);
    assert!(dealloc.duration() > Duration::ZERO);
    assert_eq!(
        attr(&world, "nim01", "tstdb02", "lpp_source").as_deref(),
        Some("lpp_7100-03-05")
    );
    finish(&mut world, &dealloc);
    for key in [
        "boot",
        "bosinst_data",
        "lpp_source",
        "nim_script",
        "spot",
        "control",
    ] {
        assert_eq!(
            attr(&world, "nim01", "tstdb02", key),
            None,
            "{key} is deallocated"
        );
    }
    for resource in [
        "boot",
        "nim_script",
        "lpp_7100-03-05",
        "spot_7100-03-05",
        "bosinst_noprompt",
    ] {
        assert_eq!(
            attr(&world, "nim01", resource, "alloc_count").as_deref(),
            Some("0"),
            "{resource}"
        );
    }
    let text = run(&mut world, "nim01", "lsnim -l tstdb02").stdout_text();
    let parsed = parse_lsnim_long(&text).unwrap();
    assert!(!parsed.items[0].is_stuck_machine());
    assert!(text.ends_with(
        "   Mstate         = in the process of booting\n   cpuid          = 00F660764C1D\n"
    ));

    // Allocate again, then deallocate one resource.
    let alloc = run(
        &mut world,
        "nim01",
        "nim -o allocate -a spot=spot_7100-00-02 -a lpp_source=lpp_7100-00-02 tstdb02",
    );
    assert_eq!(alloc.exit_status, 0);
    finish(&mut world, &alloc);
    assert_eq!(
        attr(&world, "nim01", "tstdb02", "control").as_deref(),
        Some("master")
    );
    assert_eq!(
        attr(&world, "nim01", "spot_7100-00-02", "alloc_count").as_deref(),
        Some("1")
    );
    let one = run(
        &mut world,
        "nim01",
        "nim -o deallocate -a spot=spot_7100-00-02 tstdb02",
    );
    finish(&mut world, &one);
    assert_eq!(attr(&world, "nim01", "tstdb02", "spot"), None);
    assert_eq!(
        attr(&world, "nim01", "tstdb02", "lpp_source").as_deref(),
        Some("lpp_7100-00-02")
    );
    let bad = run(
        &mut world,
        "nim01",
        "nim -o allocate -a spot=lpp_7100-00-02 tstdb02",
    );
    assert_eq!(bad.exit_status, 211);
}

#[test]
fn reset_of_ready_or_enabled_machines_needs_no_force() {
    let mut world = demo();
    let ready = run(&mut world, "nim01", "nim -o reset prdapp01");
    assert_eq!(ready.exit_status, 0);
    let obj = world.estate.nim[0]
        .objects
        .iter_mut()
        .find(|o| o.name == "prdapp01")
        .unwrap();
    obj.set_attr("Cstate", "BOS installation has been enabled");
    let enabled = run(&mut world, "nim01", "nim -o reset prdapp01");
    assert_eq!(enabled.exit_status, 0);
    finish(&mut world, &enabled);
    assert_eq!(
        attr(&world, "nim01", "prdapp01", "Cstate").as_deref(),
        Some("ready for a NIM operation")
    );
    let unknown = run(&mut world, "nim01", "nim -o reset nosuch");
    assert_eq!(unknown.exit_status, 53);
    assert_eq!(
        unknown.stderr_text(),
        "0042-053 nim: there is no NIM object named \"nosuch\"\n"
    );
    let op = run(&mut world, "nim01", "nim -o frobnicate prdapp01");
    assert_eq!(op.exit_status, 209);
    let spot = run(&mut world, "nim01", "nim -o check spot_7100-00-02");
    assert_eq!(spot.exit_status, 0);
    assert!(spot.duration() >= Duration::from_secs(10));
    assert_eq!(run(&mut world, "nim01", "nim -o reset").exit_status, 1);
}

// --- lslpp, sync, takeover ------------------------------------------------------------

#[test]
fn lslpp_from_the_current_master() {
    let mut world = demo();
    let reply = run(
        &mut world,
        "nim01",
        &commands::nim_lslpp("aixprd01").unwrap().line(),
    );
    assert_eq!(reply.exit_status, 0);
    assert!(reply.stdout_text().contains(
        "  bos.rte                       7.1.0.2    C     F    Base Operating System Runtime\n"
    ));
    let down = run(&mut world, "nim01", "nim -o lslpp prdbatch01");
    assert_eq!(down.exit_status, 6);
    assert_eq!(
        down.stderr_text(),
        "0042-001 nim: processing error encountered on \"master\":\n\
         0042-006 m_lslpp: (From_Master) connect Connection refused\n\
         \n\
         prdbatch01: Connection refused\n"
    );
    let not_there = run(&mut world, "nim02", "nim -o lslpp aixprd01");
    assert_eq!(not_there.exit_status, 53);
}

#[test]
fn sync_then_takeover() {
    let mut world = demo();
    // Takeover before any sync: nim02 does not know nim01 yet.
    let early = run(
        &mut world,
        "nim02",
        &commands::nim_takeover("nim01").unwrap().line(),
    );
    assert_eq!(early.exit_status, 53);
    // Without force the alternate's database is not overwritten.
    let unforced = run(&mut world, "nim01", "nim -o sync -a replicate=yes nim02");
    assert_eq!(unforced.exit_status, 206);
    assert!(unforced.stderr_text().starts_with(
        "0042-001 nim: processing error encountered on \"master\":\n0042-206 m_sync_db:"
    ));
    let not_alt = run(&mut world, "nim01", "nim -o sync -a force=yes prdapp01");
    assert_eq!(not_alt.exit_status, 208);

    let sync = run(
        &mut world,
        "nim01",
        &commands::nim_sync("nim02", true).unwrap().line(),
    );
    assert_eq!(sync.exit_status, 0, "{}", sync.stderr_text());
    let text = sync.stdout_text();
    assert!(text.starts_with("a ./etc/objrepos/nim_attr 8 blocks\n"));
    assert!(text.contains("The original NIM database was backed up to the\n        following location prior to this operation:\n        \"/export/nim/backups/nim02."));
    assert!(text.contains("Level check is successful.\n"));
    assert!(text.contains("Finished restoring the NIM database\nUpdating master definition in database from nim02 definition\n"));
    assert!(text.contains("Resetting machines\n  Reset master\n  Reset nim01\n"));
    assert!(text.contains("Replicating resource spot_7100-03-05\n"));
    assert!(text.contains("  Keeping lpp_6100-06-03\n"));
    assert!(text.ends_with("Finished checking SPOTs\nnim_master_recover Complete\n"));
    let secs = sync.duration().as_secs_f64();
    assert!(
        secs > 60.0,
        "replicating resources takes a while, not {secs}"
    );
    assert_eq!(
        object(&world, "nim02", "prdapp01").map(|o| o.name.clone()),
        None
    );
    finish(&mut world, &sync);

    // nim02 now has the database, with nim01 as its alternate master, every machine
    // reset and nothing allocated, and controls no client yet (docs/formats.md,
    // "NIM: alternate master").
    let listing = run(&mut world, "nim02", "lsnim -t alternate_master").stdout_text();
    assert_eq!(
        listing,
        "nim01            machines         alternate_master\n"
    );
    assert_eq!(
        attr(&world, "nim02", "master", "if1").as_deref(),
        Some("10-10-20-0-s24-net nim02 2643EEBC6C02 ent0")
    );
    assert_eq!(
        attr(&world, "nim02", "tstdb02", "Cstate").as_deref(),
        Some("ready for a NIM operation")
    );
    assert_eq!(attr(&world, "nim02", "tstdb02", "spot"), None);
    assert_eq!(
        attr(&world, "nim02", "lpp_7100-03-05", "alloc_count").as_deref(),
        Some("0")
    );
    assert_eq!(
        attr(&world, "nim01", "tstdb02", "spot").as_deref(),
        Some("spot_7100-03-05"),
        "the primary is untouched"
    );
    let parsed = parse_lsnim_long(&run(&mut world, "nim02", "lsnim -l").stdout_text()).unwrap();
    assert!(parsed.is_clean());
    let refused = run(
        &mut world,
        "nim02",
        &commands::nim_lslpp("prdapp01").unwrap().line(),
    );
    assert_eq!(refused.exit_status, 378 % 256);
    assert_eq!(
        refused.stderr_text(),
        "0042-001 nim: processing error encountered on \"master\":\n\
         0042-378 m_lslpp: The current master for \"prdapp01\"\n\
         is \"nim01\". You must run the \"takeover\" operation to\n\
         become the current master before you can execute the \"/usr/lpp/bos.sysmgt/nim/methods/c_ckspot\"\n\
         operation on this client.\n"
    );
    // The nested message says why; the 0042-001 wrapper only says where.
    match HostError::check(&output(&refused)) {
        Err(HostError::Aix(message)) => assert_eq!(message.code, "0042-378"),
        other => panic!("{other:?}"),
    }

    let takeover = run(
        &mut world,
        "nim02",
        &commands::nim_takeover("nim01").unwrap().line(),
    );
    let text = takeover.stdout_text();
    assert!(text.starts_with("                        Performing \"reset\" Operation\n                        \"reset\" Operation Summary\n   Target                  Result\n   ------                  ------\n   prdapp01                RESET\n"));
    assert!(
        text.contains("   Initiating the takeover operation on machine 1 of 15: prdapp01 ...\n")
    );
    assert!(text.contains("                        \"takeover\" Operation Summary\n"));
    assert!(text.contains("   prdapp01                SUCCESS\n"));
    assert!(text.contains("   devapp01                FAILURE\n"));
    assert!(text.contains("Updating the NIM database on the \"alternate_master\" \"nim01\"...\n"));
    assert_eq!(
        takeover.stderr_text(),
        "0042-372 c_switch_master: The client is not configured to allow this master to execute this command\n"
    );
    assert_eq!(takeover.exit_status, 372 % 256);
    assert_eq!(
        attr(&world, "nim02", "prdapp01", "current_master").as_deref(),
        Some("nim01")
    );
    wait(&mut world, takeover.duration().as_secs_f64() - 1.0);
    assert_eq!(
        attr(&world, "nim02", "prdapp01", "current_master").as_deref(),
        Some("nim01")
    );
    wait(&mut world, 1.0);
    for master in ["nim01", "nim02"] {
        assert_eq!(
            attr(&world, master, "prdapp01", "current_master").as_deref(),
            Some("nim02"),
            "{master}"
        );
        assert_eq!(
            attr(&world, master, "devapp01", "current_master").as_deref(),
            Some("nim01"),
            "{master}"
        );
    }
    assert_eq!(
        run(&mut world, "nim02", "nim -o lslpp prdapp01").exit_status,
        0
    );
    let old = run(&mut world, "nim01", "nim -o lslpp prdapp01");
    assert_eq!(old.exit_status, 122);
    assert!(old
        .stderr_text()
        .contains("is \"nim02\". You must run the \"takeover\" operation to"));
    // And back: nim01 takes over from nim02.
    let back = run(&mut world, "nim01", "nim -o takeover nim02");
    assert!(!back
        .stdout_text()
        .contains("Initiating the takeover operation"));
    finish(&mut world, &back);
    assert_eq!(
        attr(&world, "nim01", "prdapp01", "current_master").as_deref(),
        Some("nim01")
    );
}

#[test]
fn sync_without_replicate_drops_resources_the_alternate_lacks() {
    let mut world = demo();
    let sync = run(&mut world, "nim01", "nim -Fo sync nim02");
    assert_eq!(sync.exit_status, 0);
    let text = sync.stdout_text();
    assert!(!text.contains("Replicating"));
    assert!(text.contains(
        "  Removing fb_firstboot\n\
         \x20   0518-307 odmdelete: 1 objects deleted. from nim_attr (serves attr)\n\
         \x20   0518-307 odmdelete: 0 objects deleted. from nim_attr (group memberships)\n\
         \x20   0518-307 odmdelete: 5 objects deleted. from nim_attr (resource attributes)\n\
         \x20   0518-307 odmdelete: 1 objects deleted. from nim_object (resource object)\n\
         \x20 Finished removing fb_firstboot\n"
    ));
    assert!(text.contains("  Keeping lpp_6100-06-03\n"));
    finish(&mut world, &sync);
    let gone = run(&mut world, "nim02", "lsnim fb_firstboot");
    assert_eq!(
        gone.stderr_text(),
        "0042-053 lsnim: there is no NIM object named \"fb_firstboot\"\n"
    );
    assert_eq!(run(&mut world, "nim02", "lsnim prdapp01").exit_status, 0);
}

#[test]
fn sync_to_an_unreachable_alternate_fails() {
    let mut world = demo();
    run(&mut world, "nim01", "simctl fault nim02 stall");
    let sync = run(
        &mut world,
        "nim01",
        "nim -o sync -a force=yes -a replicate=yes nim02",
    );
    assert_eq!(sync.exit_status, 6);
    assert!(sync
        .stderr_text()
        .contains("0042-006 m_sync_db: (From_Master) connect Connection refused"));
    run(&mut world, "nim01", "simctl fault nim02 recover");
    let mut world = demo();
    world.estate.nim[1].objects[0].oslevel = Some("7100-02-01-1245".to_string());
    let level = run(&mut world, "nim01", "nim -Fo sync nim02");
    assert_eq!(level.exit_status, 210);
    assert!(level
        .stderr_text()
        .contains("The level of the NIM master fileset on this machine is: 7.1.2.1"));
}

// --- nimadm pre-flight ---------------------------------------------------------------

#[test]
fn c_rsh_finds_and_removes_a_leftover_bos_inst() {
    let mut world = demo();
    let c_rsh = "/usr/lpp/bos.sysmgt/nim/methods/c_rsh";
    let found = run(
        &mut world,
        "nim01",
        &format!("{c_rsh} prdapp02 'ls -d /bos_inst'"),
    );
    assert_eq!(
        (found.exit_status, found.stdout_text()),
        (0, "/bos_inst\n".to_string())
    );
    assert_eq!(
        run(&mut world, "nim01", &format!("{c_rsh} prdapp02 oslevel -s")).stdout_text(),
        "6100-06-03-1048\n"
    );
    assert_eq!(
        run(&mut world, "nim01", &format!("{c_rsh} aixprd02 oslevel -s")).stdout_text(),
        "6100-06-03-1048\n",
        "a client that is an AIX host of the estate reports that host's level"
    );
    let multibos = run(
        &mut world,
        "nim01",
        &format!("{c_rsh} prdapp02 multibos -R"),
    );
    assert_eq!(multibos.exit_status, 0);
    assert_eq!(
        run(
            &mut world,
            "nim01",
            &format!("{c_rsh} prdapp02 ls -d /bos_inst")
        )
        .stdout_text(),
        "/bos_inst\n",
        "multibos -R may not clean up /bos_inst (docs/formats.md, \"NIM: nimadm\")"
    );
    let rm = run(
        &mut world,
        "nim01",
        &format!("{c_rsh} prdapp02 rm -r /bos_inst"),
    );
    assert_eq!((rm.exit_status, rm.stderr_text()), (0, String::new()));
    let gone = run(
        &mut world,
        "nim01",
        &format!("{c_rsh} prdapp02 ls -d /bos_inst"),
    );
    assert_eq!(
        gone.exit_status, 0,
        "c_rsh does not pass the remote exit status back"
    );
    assert_eq!(
        gone.stderr_text(),
        "ls: 0653-341 The file /bos_inst does not exist.\n"
    );
    let clean = run(
        &mut world,
        "nim01",
        &format!("{c_rsh} prddb01 ls -d /bos_inst"),
    );
    assert_eq!(clean.stdout_text(), "");
    let down = run(&mut world, "nim01", &format!("{c_rsh} prdbatch01 hostname"));
    assert_eq!(
        (down.exit_status, down.stderr_text()),
        (1, "prdbatch01: timedout\n".to_string())
    );
    assert_eq!(
        run(&mut world, "nim01", &format!("{c_rsh} prdapp01 hostname")).stdout_text(),
        "prdapp01\n"
    );
    assert!(run(
        &mut world,
        "nim01",
        &format!("{c_rsh} prdapp01 lssrc -s nimsh")
    )
    .stdout_text()
    .contains(" nimsh            nimclient"));
    assert_eq!(
        run(&mut world, "nim01", "oslevel -s").stdout_text(),
        "7100-03-05-1524\n"
    );
}

// --- no panics ---------------------------------------------------------------------

const PROGRAMS: &[&str] = &["lsnim", "nim", "c_rsh", "oslevel", "hostname"];

const WORDS: &[&str] = &[
    "-l",
    "-c",
    "-t",
    "-a",
    "-q",
    "-o",
    "-F",
    "-Fo",
    "-Z",
    "--",
    "",
    "reset",
    "deallocate",
    "allocate",
    "check",
    "lslpp",
    "sync",
    "takeover",
    "subclass=all",
    "force=yes",
    "replicate=yes",
    "show_progress=yes",
    "spot=spot_7100-00-02",
    "machines",
    "standalone",
    "tstdb02",
    "prdapp02",
    "nim01",
    "nim02",
    "master",
    "boot",
    "spot_7100-03-05",
    "ls",
    "-d",
    "/bos_inst",
    "rm",
    "-r",
    "oslevel",
    "-s",
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
        master in prop::sample::select(&["nim01", "nim02"][..]),
        later in 0u64..400,
    ) {
        let mut world = demo();
        let mut argv = vec![program.to_string()];
        argv.extend(words);
        let command = powerdeck::sim::shell::SimpleCommand { env: Vec::new(), argv };
        let reply = powerdeck::sim::nim::exec(&mut world, master, &command);
        prop_assert!(reply.is_some());
        world.advance(Duration::from_secs(later));
        world.advance(Duration::from_secs(5_000));
        let again = run(&mut world, master, "lsnim -l");
        prop_assert_eq!(again.exit_status, 0);
        let parsed = parse_lsnim_long(&again.stdout_text()).unwrap();
        prop_assert!(parsed.is_clean());
    }
}
