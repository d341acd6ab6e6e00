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
    assert!(text.contains("   prdbatch01              FAILURE\n"));
    assert_eq!(
        takeover.stderr_text(),
        "0042-006 c_switch_master: (From_Master) connect Connection refused\n\
         prdbatch01: Connection refused\n\
         0042-372 c_switch_master: The client is not configured to allow this master to execute this command\n"
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
        for stays in ["devapp01", "prdbatch01"] {
            assert_eq!(
                attr(&world, master, stays, "current_master").as_deref(),
                Some("nim01"),
                "{stays} on {master}"
            );
        }
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

// --- chained commands, progress, the stricter operations -------------------------

/// The demo with `change` applied to one object of one master.
fn demo_with(master: &str, name: &str, change: impl FnOnce(&mut SimNimObject)) -> World {
    let mut estate = Estate::demo();
    let object = estate
        .nim
        .iter_mut()
        .find(|h| h.name == master)
        .and_then(|h| h.objects.iter_mut().find(|o| o.name == name))
        .unwrap_or_else(|| panic!("no {name} on {master}"));
    change(object);
    World::new(estate)
}

#[test]
fn chained_commands_see_each_commands_effect() {
    let mut world = demo();
    let reply = run(
        &mut world,
        "nim01",
        "nim -Fo reset tstdb02; lsnim -a Cstate tstdb02",
    );
    assert_eq!(reply.exit_status, 0);
    assert_eq!(
        reply.stdout_text(),
        "tstdb02:\n   Cstate = ready for a NIM operation\n",
        "the reset (1 s) is done before lsnim runs"
    );
    let start = world.now();
    let reply = run(&mut world, "nim01", "sleep 30; echo done");
    assert_eq!(reply.duration(), Duration::from_secs(30));
    assert_eq!(world.now() - start, Duration::from_secs(30));
    assert_eq!(run(&mut world, "nim01", "sleep x").exit_status, 2);
}

#[test]
fn a_progressing_client_moves_a_stuck_one_does_not() {
    let sample = "lsnim -a Cstate -a info tstdb02; nim -o showlog tstdb02";
    let twice = format!("echo one; {sample}; sleep 60; echo two; {sample}");
    let halves = |reply: &Reply| {
        let text = reply.stdout_text();
        let (one, two) = text.split_once("two\n").unwrap();
        (one.to_string(), two.to_string())
    };
    let mut world = demo();
    let (one, two) = halves(&run(&mut world, "nim01", &twice));
    assert_eq!(
        one.trim_start_matches("one\n"),
        two,
        "a stuck client looks the same a minute later"
    );
    assert!(two.contains("info   = BOS install 39% complete : Installing additional software.\n"));
    assert!(two.ends_with("BOS install 39% complete : Installing additional software.\n"));

    let mut world = demo_with("nim01", "tstdb02", |o| o.progressing = true);
    let (one, two) = halves(&run(&mut world, "nim01", &twice));
    assert!(one.contains("info   = BOS install 39% complete"), "{one}");
    assert!(two.contains("info   = BOS install 41% complete"), "{two}");
    assert!(
        two.ends_with("BOS install 41% complete : Installing additional software.\n"),
        "{two}"
    );
    assert_eq!(
        two.lines().count(),
        one.lines().count() - 1 + 2,
        "a log line a point"
    );
    // It completes on its own: ready, successful, its resources released.
    wait(&mut world, 1_830.0);
    let done = run(&mut world, "nim01", "lsnim -l tstdb02").stdout_text();
    assert!(
        done.contains("Cstate         = ready for a NIM operation\n"),
        "{done}"
    );
    assert!(done.contains("Cstate_result  = success\n"), "{done}");
    assert!(
        done.contains("Mstate         = currently running\n"),
        "{done}"
    );
    assert!(!done.contains("spot") && !done.contains("info"), "{done}");
    assert_eq!(
        attr(&world, "nim01", "spot_7100-03-05", "alloc_count").as_deref(),
        Some("0")
    );
    // A forced reset stops it where it is.
    let mut world = demo_with("nim01", "tstdb02", |o| o.progressing = true);
    let reset = run(
        &mut world,
        "nim01",
        "nim -Fo reset tstdb02; sleep 2000; lsnim -l tstdb02",
    );
    assert!(reset
        .stdout_text()
        .contains("Cstate         = ready for a NIM operation\n"));
    assert!(!reset.stdout_text().contains("Cstate_result"));
    assert!(reset
        .stdout_text()
        .contains("spot           = spot_7100-03-05\n"));
}

const FOREIGN_CLIENT: &str = r#"
[[nim]]
name = "nimA"

[[nim.objects]]
name = "master"
class = "machines"
type = "master"

[[nim.objects]]
name = "spot1"
class = "resources"
type = "spot"
attributes = [["alloc_count", "1"]]

[[nim.objects]]
name = "theirs"
class = "machines"
type = "standalone"
attributes = [
  ["current_master", "nimB"],
  ["Cstate", "customization is being performed"],
  ["Mstate", "currently running"],
  ["info", "installing 12% complete"],
  ["spot", "spot1"],
]
"#;

#[test]
fn a_master_that_does_not_control_a_client_runs_no_operation_on_it() {
    let mut world = small(FOREIGN_CLIENT);
    for (line, method) in [
        ("nim -Fo reset theirs", "m_reset"),
        ("nim -Fo deallocate -a subclass=all theirs", "m_deallocate"),
        ("nim -o showlog theirs", "m_showlog"),
        ("nim -o remove theirs", "m_remove"),
    ] {
        let reply = run(&mut world, "nimA", line);
        assert_eq!(reply.exit_status, 378 % 256, "{line}");
        assert!(
            reply.stderr_text().contains(&format!(
                "0042-378 {method}: The current master for \"theirs\"\nis \"nimB\"."
            )),
            "{line}: {}",
            reply.stderr_text()
        );
    }
    wait(&mut world, 10.0);
    assert_eq!(
        attr(&world, "nimA", "theirs", "Cstate").as_deref(),
        Some("customization is being performed")
    );
}

#[test]
fn a_client_with_resources_cannot_be_removed() {
    let mut world = demo();
    let refused = run(&mut world, "nim01", "nim -o remove tstdb02");
    assert_eq!(refused.exit_status, 52);
    assert_eq!(
        refused.stderr_text(),
        "0042-001 nim: processing error encountered on \"master\":\n\
         0042-052 m_rmmac: unable to remove \"tstdb02\" because resources have been allocated to it\n"
    );
    let freed = run(
        &mut world,
        "nim01",
        "nim -Fo reset tstdb02; nim -o deallocate -a subclass=all tstdb02; nim -o remove tstdb02",
    );
    assert_eq!(freed.exit_status, 0, "{}", freed.stderr_text());
    finish(&mut world, &freed);
    assert!(object(&world, "nim01", "tstdb02").is_none());
}

#[test]
fn replication_without_the_file_systems_fills_root() {
    // nim02 without /export/nim: NIM accepts the sync and writes under /.
    let mut world = demo_with("nim02", "master", |o| o.filesystems.clear());
    let before = run(&mut world, "nim02", "df -k /");
    assert!(
        before.stdout_text().contains("1048576   50%"),
        "{}",
        before.stdout_text()
    );
    let sync = run(
        &mut world,
        "nim01",
        &commands::nim_sync("nim02", false).unwrap().line(),
    );
    assert_eq!(sync.exit_status, 0, "NIM does not refuse this sync");
    let out = sync.stdout_text();
    assert!(out.contains("Replicating resource lpp_7100-00-02\n"));
    assert!(
        sync.stderr_text().starts_with(
            "cp: /export/nim/lpp_source/lpp_7100-00-02: There is not enough space in the file system.\n0042-213 m_sync_db: could not replicate \"lpp_7100-00-02\": / is full\n"
        ),
        "{}",
        sync.stderr_text()
    );
    assert!(out.contains("  Removing lpp_7100-00-02\n"));
    assert!(out.contains("nim_master_recover Complete\n"));
    finish(&mut world, &sync);
    let after = run(&mut world, "nim02", "df -k /").stdout_text();
    assert!(
        after.contains("/dev/hd4          2097152         0  100%"),
        "{after}"
    );
    assert!(object(&world, "nim02", "lpp_7100-00-02").is_none());
    // With the file system mounted there the same sync keeps everything.
    let mut world = demo();
    let sync = run(
        &mut world,
        "nim01",
        &commands::nim_sync("nim02", false).unwrap().line(),
    );
    assert_eq!(sync.stderr_text(), "");
    assert!(!sync.stdout_text().contains("Removing"));
    finish(&mut world, &sync);
    let export = run(&mut world, "nim02", "df -m /export/nim").stdout_text();
    assert!(
        export
            .ends_with("\n/dev/fslv05        102400     70651   32%   716800     8% /export/nim\n"),
        "{export}"
    );
}

#[test]
fn what_the_wizards_read_on_a_master() {
    let mut world = demo();
    let df = run(
        &mut world,
        "nim01",
        "df -k / /export/nim/lpp_source/lpp_7100-03-05 /nowhere",
    );
    assert_eq!(df.exit_status, 1);
    assert_eq!(
        df.stdout_text(),
        "Filesystem    1024-blocks      Free %Used    Iused %Iused Mounted on\n\
         /dev/hd4          2097152   1048576   50%    14336    12% /\n\
         /dev/fslv05     104857600  73400320   30%   716800     7% /export/nim\n"
    );
    assert_eq!(
        df.stderr_text(),
        "df: /nowhere: A file or directory in the path name does not exist.\n"
    );
    let parsed = powerdeck::sources::nim::output::df_rows(&df.stdout_text());
    assert_eq!(parsed[1].free_kb, 73_400_320);
    let ls = run(
        &mut world,
        "nim02",
        "ls -d /export/nim/lpp_source/lpp_6100-06-03 /export/nim/spot/spot_7100-03-05/usr",
    );
    assert_eq!(ls.stdout_text(), "/export/nim/lpp_source/lpp_6100-06-03\n");
    assert_eq!(
        ls.stderr_text(),
        "ls: 0653-341 The file /export/nim/spot/spot_7100-03-05/usr does not exist.\n"
    );
    assert_eq!(
        run(
            &mut world,
            "nim01",
            "du -sk /export/nim/lpp_source/lpp_7100-03-05"
        )
        .stdout_text(),
        "6291456\t/export/nim/lpp_source/lpp_7100-03-05\n"
    );
    assert_eq!(
        run(&mut world, "nim01", "lsvg").stdout_text(),
        "rootvg\nnimadmvg\n"
    );
    assert!(run(&mut world, "nim01", "lsvg nimadmvg")
        .stdout_text()
        .contains("FREE PPs:       1280 (81920 megabytes)"));
    assert_eq!(run(&mut world, "nim01", "lsvg nosuchvg").exit_status, 1);
    let levels = run(
        &mut world,
        "nim01",
        "lslpp -Lc bos.alt_disk_install.rte bos.games",
    );
    assert_eq!(
        levels.stdout_text().lines().nth(1),
        Some("bos.alt_disk_install.rte:bos.alt_disk_install.rte:7.1.3.5: : :C:F:Alternate Disk Installation Runtime: : : : : : :0:0:/:1524")
    );
    assert_eq!(
        levels.stderr_text(),
        "lslpp: 0504-132  Fileset bos.games not installed.\n"
    );
    let spot = run(
        &mut world,
        "nim01",
        "nim -o showres -a lslpp_flags=Lc spot_7100-00-02",
    );
    assert!(spot
        .stdout_text()
        .starts_with("#Package Name:Fileset:Level:"));
    assert!(spot.stdout_text().contains("\nbos.mp64:bos.mp64:7.1.0.2:"));
    let lpp = run(
        &mut world,
        "nim01",
        "nim -o showres -a installp_flags=L lpp_6100-06-03",
    );
    assert!(lpp
        .stdout_text()
        .starts_with("bos.rte:bos.rte:6.1.6.3::I:T:::::N:Base Operating System Runtime ::::0::\n"));
    assert_eq!(
        run(&mut world, "nim01", "nim -o showres tstdb02").exit_status,
        209
    );
}

const MULTIBOS_CLIENT: &str = r#"
[[nim]]
name = "nimA"

[[nim.objects]]
name = "master"
class = "machines"
type = "master"
attributes = [["if1", "net1 nimA 0 ent0"]]

[[nim.objects]]
name = "c1"
class = "machines"
type = "standalone"
bos_inst_dir = true
multibos = "MODE"
disks = [
  { name = "hdisk0", size_mb = 71680, vg = "rootvg" },
  { name = "hdisk1", size_mb = 16384 },
]
rootvg_used_mb = 30720
attributes = [
  ["current_master", "nimA"],
  ["sync_required", "no"],
  ["connect", "nimsh"],
  ["if1", "net1 c1 0"],
  ["Cstate", "ready for a NIM operation"],
  ["Mstate", "currently running"],
]
"#;

fn client_with(multibos: &str) -> World {
    small(&MULTIBOS_CLIENT.replace("MODE", multibos))
}

#[test]
fn c_rsh_shows_what_stands_behind_bos_inst() {
    let c_rsh = "/usr/lpp/bos.sysmgt/nim/methods/c_rsh c1";
    let read = |world: &mut World, command: &str| {
        run(world, "nimA", &format!("{c_rsh} {command}")).stdout_text()
    };
    let mut world = client_with("none");
    assert!(!read(&mut world, "lsvg -l rootvg").contains("bos_"));
    assert!(read(&mut world, "lsvg -l rootvg")
        .contains("hd4                 jfs2       4       4       1    open/syncd    /\n"));
    assert!(!read(&mut world, "mount").contains("/bos_inst"));
    assert_eq!(
        read(&mut world, "lspv"),
        format!(
            "hdisk0          {:<35} rootvg          active\nhdisk1          none                                None\n",
            read(&mut world, "lspv").split_whitespace().nth(1).unwrap()
        )
    );
    assert_eq!(read(&mut world, "bootinfo -s hdisk1"), "16384\n");
    assert!(read(&mut world, "lsvg rootvg").contains("USED PPs:       480 (30720 megabytes)"));
    let niminfo = read(&mut world, "cat /etc/niminfo");
    assert!(
        niminfo.contains("export NIM_MASTER_HOSTNAME=nimA\n"),
        "{niminfo}"
    );
    assert!(
        niminfo.contains("export NIM_SHELL=\"nimsh\"\n"),
        "{niminfo}"
    );

    let mut world = client_with("standby");
    let volumes = read(&mut world, "lsvg -l rootvg");
    assert!(
        volumes.contains(
            "bos_hd4             jfs2       4       4       1    closed/syncd  /bos_inst\n"
        ),
        "{volumes}"
    );
    assert!(
        volumes.contains("hd4                 jfs2       4       4       1    open/syncd    /\n")
    );
    let removed = run(&mut world, "nimA", &format!("{c_rsh} multibos -R"));
    assert!(removed.stdout_text().contains("Return Status = SUCCESS"));
    assert!(!read(&mut world, "lsvg -l rootvg").contains("bos_"));
    assert_eq!(
        read(&mut world, "ls -d /bos_inst"),
        "/bos_inst\n",
        "multibos -R leaves /bos_inst behind"
    );

    let mut world = client_with("mounted");
    assert!(read(&mut world, "mount").contains("/dev/bos_hd4     /bos_inst        jfs2"));
    assert!(read(&mut world, "lsvg -l rootvg")
        .contains("bos_hd4             jfs2       4       4       1    open/syncd    /bos_inst\n"));
    let rm = run(&mut world, "nimA", &format!("{c_rsh} rm -r /bos_inst"));
    assert_eq!(
        rm.exit_status, 0,
        "c_rsh does not pass the remote status back"
    );
    assert!(rm
        .stderr_text()
        .contains("rm: /bos_inst: The requested resource is busy."));
    assert_eq!(read(&mut world, "ls -d /bos_inst"), "/bos_inst\n");

    let mut world = client_with("booted");
    let volumes = read(&mut world, "lsvg -l rootvg");
    assert!(
        volumes.contains(
            "hd4                 jfs2       4       4       1    closed/syncd  /bos_inst\n"
        ),
        "{volumes}"
    );
    assert!(
        volumes.contains("bos_hd4             jfs2       4       4       1    open/syncd    /\n"),
        "{volumes}"
    );
    assert!(read(&mut world, "mount").contains("/dev/bos_hd4     /"));
    assert!(run(&mut world, "nimA", &format!("{c_rsh} multibos -R"))
        .stderr_text()
        .contains("the standby BOS is the running instance"));
}

#[test]
fn nimadm_fails_in_phase_11_with_bos_inst_and_refuses_what_nim_refuses() {
    let nimadm = "nimadm -j nimadmvg -c prdapp02 -s spot_7100-03-05 -l lpp_7100-03-05 -d hdisk1 -Y";
    let mut world = demo();
    let failed = run(&mut world, "nim01", nimadm);
    assert_eq!(failed.exit_status, 187);
    let out = failed.stdout_text();
    assert!(out.contains("+-----------------------------------------------------------------------------+\nExecuting nimadm phase 11.\n"));
    assert!(out
        .contains("Client alt_disk_install command: alt_disk_copy -j -M 7.1 -P3 -d \"hdisk1\"\n"));
    assert!(out.contains(
        "alt_disk_copy: 0505-218 ATTENTION: init_multibos() returned an unexpected result.\n"
    ));
    assert!(out.ends_with("Bootlist is set to the boot disk: hdisk0 blv=hd5\n"));
    assert_eq!(
        failed.stderr_text(),
        "0505-187 nimadm: Error cloning altinst_rootvg on client.\n"
    );
    assert!(failed.duration() >= Duration::from_secs(10 * 600));
    // After the leftover is removed the migration goes through.
    let ok = run(
        &mut world,
        "nim01",
        &format!("/usr/lpp/bos.sysmgt/nim/methods/c_rsh prdapp02 rm -r /bos_inst; {nimadm}"),
    );
    assert_eq!(ok.exit_status, 0, "{}", ok.stderr_text());
    assert!(ok.stdout_text().contains("Executing nimadm phase 12.\n"));
    finish(&mut world, &ok);
    assert!(run(
        &mut world,
        "nim01",
        "/usr/lpp/bos.sysmgt/nim/methods/c_rsh prdapp02 lspv"
    )
    .stdout_text()
    .contains("altinst_rootvg"));
    // What nimadm refuses before phase 1.
    let mut world = demo();
    let refused = |world: &mut World, line: &str| {
        let reply = run(world, "nim01", line);
        assert_ne!(reply.exit_status, 0, "{line}");
        reply.stderr_text()
    };
    assert_eq!(
        refused(&mut world, &nimadm.replace("hdisk1", "hdisk0")),
        "0505-126 alt_disk_install- target disk hdisk0 has a volume group assigned to it.\n"
    );
    assert!(
        refused(&mut world, &nimadm.replace("prdapp02", "prdbatch01"))
            .starts_with("0505-158 nimadm: WARNING, unexpected result from remote command")
    );
    assert!(refused(&mut world, &nimadm.replace("nimadmvg", "nosuchvg"))
        .contains("Unable to find volume group nosuchvg"));
    assert!(refused(&mut world, &nimadm.replace("spot_7100-03-05", "spot_7100-00-02"))
        .contains("0505-206 nimadm: The level of bos.alt_disk_install.rte in SPOT spot_7100-00-02 (7.1.0.2) does not match"));
    assert!(refused(&mut world, &nimadm.replace("prdapp02", "tstdb02"))
        .contains("0042-205 m_alt_disk_mig"));
    assert!(refused(&mut world, &nimadm.replace(" -Y", "")).contains("-Y"));
    let mut world = demo_with("nim01", "master", |o| {
        o.missing_filesets = vec!["bos.alt_disk_install.rte".into()];
    });
    assert!(refused(&mut world, nimadm)
        .contains("bos.alt_disk_install.rte is not installed on the NIM master"));
}

// --- no panics ---------------------------------------------------------------------

const PROGRAMS: &[&str] = &[
    "lsnim", "nim", "c_rsh", "oslevel", "hostname", "nimadm", "df", "ls", "du", "lsvg", "lslpp",
    "sleep",
];

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
    "showlog",
    "showres",
    "remove",
    "-Lc",
    "-k",
    "-sk",
    "mount",
    "lspv",
    "bootinfo",
    "cat",
    "/etc/niminfo",
    "multibos",
    "-R",
    "-Y",
    "-j",
    "nimadmvg",
    "hdisk1",
    "lpp_7100-03-05",
    "/export/nim",
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
