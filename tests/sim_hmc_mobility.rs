//! The simulated HMC as strict as the real one on what a relocation checks first
//! (docs/procedures.md, "Relocation"; the simulator's own codes are listed in
//! `src/sim/hmc/mod.rs`): how many moves a system takes part in against how many it
//! supports (`lslparmigr -r sys`, `HSCLA617`), the preferred processor compatibility
//! mode (`HSCLA613`), what a partition holds now (`lshwres --level lpar`), and no
//! recovery while a move runs (`HSCLA612`).

use std::time::Duration;

use powerdeck::sim::host::exec;
use powerdeck::sim::{Estate, World};

const ESTATE: &str = r#"
[[hmc]]
name = "hmc"

[[hmc.systems]]
name = "p10"
type_model = "9080-HEX"
serial_num = "1000001"
generation = "POWER10"
memory_mb = 524288
proc_units = 64.0
max_migrations = 1
lpars = [
  { name = "p10-vios1", id = 1, env = "vioserver", rmc_ipaddr = "10.0.1.1", memory_mb = 4096, proc_units = 1.0, msp = true },
  { name = "mode9", id = 2, rmc_ipaddr = "10.0.1.2", memory_mb = 8192, max_memory_mb = 16384, proc_units = 0.5, compat_mode = "POWER9" },
  { name = "mode9b", id = 3, rmc_ipaddr = "10.0.1.3", memory_mb = 8192, proc_units = 1.5, compat_mode = "POWER9" },
  { name = "native", id = 4, rmc_ipaddr = "10.0.1.4", memory_mb = 8192, proc_units = 0.5 },
  { name = "off10", id = 5, state = "Not Activated", rmc_ipaddr = "10.0.1.5", memory_mb = 8192, proc_units = 0.5, compat_mode = "POWER10" },
  { name = "offdefault", id = 6, state = "Not Activated", memory_mb = 8192, proc_units = 0.5 },
]

[[hmc.systems]]
name = "p9"
type_model = "9009-42A"
serial_num = "2000002"
generation = "POWER9"
memory_mb = 524288
proc_units = 32.0
lpars = [
  { name = "p9-vios1", id = 1, env = "vioserver", rmc_ipaddr = "10.0.2.1", memory_mb = 4096, proc_units = 1.0, msp = true },
]

[[hmc.systems]]
name = "p9b"
type_model = "9009-42A"
serial_num = "3000003"
generation = "POWER9"
memory_mb = 524288
proc_units = 32.0
max_migrations = 1
lpars = [
  { name = "p9b-vios1", id = 1, env = "vioserver", rmc_ipaddr = "10.0.3.1", memory_mb = 4096, proc_units = 1.0, msp = true },
]

[[hmc.systems]]
name = "p9c"
type_model = "9009-42A"
serial_num = "4000004"
generation = "POWER9"
memory_mb = 524288
proc_units = 32.0
lpars = [
  { name = "p9c-vios1", id = 1, env = "vioserver", rmc_ipaddr = "10.0.4.1", memory_mb = 4096, proc_units = 1.0, msp = true },
  { name = "x9", id = 2, rmc_ipaddr = "10.0.4.2", memory_mb = 8192, proc_units = 0.5 },
]

[[hmc.systems]]
name = "p9off"
type_model = "9009-42A"
serial_num = "5000005"
state = "Power Off"
generation = "POWER9"
memory_mb = 524288
proc_units = 32.0
"#;

fn world() -> World {
    World::new(Estate::from_toml(ESTATE, "mobility estate").expect("valid estate"))
}

fn ok(world: &mut World, line: &str) -> String {
    let reply = exec(world, "hmc", line);
    assert_eq!(reply.exit_status, 0, "{line}: {}", reply.stdout_text());
    reply.stdout_text()
}

fn refused(world: &mut World, line: &str, code: &str) -> String {
    let reply = exec(world, "hmc", line);
    let text = reply.stdout_text();
    assert_eq!(reply.exit_status, 1, "{line} should fail: {text}");
    assert!(text.starts_with(&format!("{code} ")), "{line}: {text}");
    text
}

fn wait(world: &mut World, secs: u64) {
    let now = world.now();
    world.advance(now + Duration::from_secs(secs));
}

const SYS: &str = "-F active_lpar_mobility_capable,num_active_migrations_supported,num_active_migrations_in_progress,inactive_lpar_mobility_capable,num_inactive_migrations_supported,num_inactive_migrations_in_progress";

#[test]
fn lslparmigr_sys_counts_moves_from_and_to_a_system_against_its_limit() {
    let mut world = world();
    assert_eq!(
        ok(&mut world, &format!("lslparmigr -r sys -m p10 {SYS}")),
        "1,1,0,1,1,0\n"
    );
    assert_eq!(
        ok(&mut world, "lslparmigr -r sys -m p9"),
        "inactive_lpar_mobility_capable=1,num_inactive_migrations_supported=16,num_inactive_migrations_in_progress=0,active_lpar_mobility_capable=1,num_active_migrations_supported=16,num_active_migrations_in_progress=0\n"
    );
    assert_eq!(
        ok(&mut world, &format!("lslparmigr -r sys -m p9off {SYS}")),
        "unavailable,unavailable,0,unavailable,unavailable,0\n"
    );
    refused(
        &mut world,
        "lslparmigr -r sys -m p9 --filter lpar_names=x",
        "The",
    );
    ok(&mut world, "migrlpar -o m -m p10 -t p9 -p mode9");
    wait(&mut world, 1);
    // Counted on the source and on the target; a stopped move no longer counts.
    assert_eq!(
        ok(&mut world, &format!("lslparmigr -r sys -m p10 {SYS}")),
        "1,1,1,1,1,0\n"
    );
    assert_eq!(
        ok(&mut world, &format!("lslparmigr -r sys -m p9 {SYS}")),
        "1,16,1,1,16,0\n"
    );
    ok(&mut world, "migrlpar -o s -m p10 -p mode9");
    wait(&mut world, 6);
    assert_eq!(
        ok(&mut world, &format!("lslparmigr -r sys -m p9 {SYS}")),
        "1,16,0,1,16,0\n"
    );
}

#[test]
fn a_move_beyond_either_systems_limit_is_refused() {
    let mut world = world();
    ok(&mut world, "migrlpar -o m -m p10 -t p9 -p mode9");
    wait(&mut world, 1);
    // p10 takes part in one active move at most: the source is full.
    let text = refused(
        &mut world,
        "migrlpar -o v -m p10 -t p9b -p mode9b",
        "HSCLA617",
    );
    assert_eq!(
        text,
        "HSCLA617 The managed system p10 already takes part in 1 active partition migrations, the number it supports at once (1). Wait until one completes and try again.\n"
    );
    refused(
        &mut world,
        "migrlpar -o m -m p10 -t p9b -p mode9b",
        "HSCLA617",
    );
    // Inactive moves have their own count.
    ok(&mut world, "migrlpar -o v -m p10 -t p9 -p offdefault");
    // Once the move ends, the next one may go.
    wait(&mut world, 60);
    ok(&mut world, "migrlpar -o v -m p10 -t p9b -p mode9b");
    // p9b takes one at most: a second move into it is refused, naming the target.
    ok(&mut world, "migrlpar -o m -m p10 -t p9b -p mode9b");
    wait(&mut world, 1);
    let text = refused(&mut world, "migrlpar -o v -m p9c -t p9b -p x9", "HSCLA617");
    assert!(
        text.starts_with("HSCLA617 The managed system p9b already"),
        "{text}"
    );
}

#[test]
fn the_preferred_processor_mode_must_be_supported_by_the_target() {
    let mut world = world();
    // Running in POWER10 mode: the current mode is refused first.
    let text = refused(
        &mut world,
        "migrlpar -o v -m p10 -t p9 -p native",
        "HSCLA613",
    );
    assert!(
        text.contains("runs in the POWER10 processor compatibility mode"),
        "{text}"
    );
    // Off, preferring POWER10: an inactive move is refused for its preferred mode.
    let text = refused(
        &mut world,
        "migrlpar -o v -m p10 -t p9 -p off10",
        "HSCLA613",
    );
    assert_eq!(
        text,
        "HSCLA613 The preferred processor compatibility mode of the partition off10 is POWER10, which the destination managed system p9 does not support.\n"
    );
    // Off, preferring default: it goes.
    ok(&mut world, "migrlpar -o v -m p10 -t p9 -p offdefault");
    ok(&mut world, "migrlpar -o v -m p10 -t p9 -p mode9");
}

#[test]
fn lshwres_lpar_level_shows_what_each_partition_holds_now() {
    let mut world = world();
    assert_eq!(
        ok(
            &mut world,
            "lshwres -r mem -m p10 --level lpar --filter lpar_names=mode9 -F curr_mem"
        ),
        "8192\n"
    );
    assert_eq!(
        ok(
            &mut world,
            "lshwres -r mem -m p10 --level lpar --filter lpar_names=mode9"
        ),
        "lpar_name=mode9,lpar_id=2,curr_mem=8192,curr_max_mem=16384,run_mem=8192\n"
    );
    assert_eq!(
        ok(
            &mut world,
            "lshwres -r proc -m p10 --level lpar --filter lpar_names=mode9b -F curr_proc_mode,curr_proc_units,curr_procs"
        ),
        "shared,1.50,2\n"
    );
    // A partition that is off holds nothing.
    assert_eq!(
        ok(
            &mut world,
            "lshwres -r mem -m p10 --level lpar --filter lpar_ids=5 -F lpar_name,curr_mem"
        ),
        "off10,0\n"
    );
    assert_eq!(
        ok(
            &mut world,
            "lshwres -r mem -m p10 --level lpar --filter lpar_names=nosuch"
        ),
        "No results were found.\n"
    );
    assert_eq!(
        ok(
            &mut world,
            "lshwres -r mem -m p10 --level lpar -F lpar_name"
        )
        .lines()
        .count(),
        6
    );
    refused(
        &mut world,
        "lshwres -r mem -m p9off --level lpar -F curr_mem",
        "HSCL0238",
    );
    refused(
        &mut world,
        "lshwres -r mem -m p10 --level sys --filter lpar_names=mode9",
        "The",
    );
}

#[test]
fn no_recovery_while_the_move_runs() {
    let mut world = world();
    ok(&mut world, "migrlpar -o m -m p10 -t p9 -p mode9");
    wait(&mut world, 5);
    let text = refused(&mut world, "migrlpar -o r -m p10 -p mode9", "HSCLA612");
    assert!(text.contains("still in progress"), "{text}");
    ok(&mut world, "migrlpar -o s -m p10 -p mode9");
    wait(&mut world, 6);
    assert!(ok(
        &mut world,
        "lslparmigr -r lpar -m p10 --filter lpar_names=mode9 -F migration_state"
    )
    .contains("Migration Stopped"));
    ok(&mut world, "migrlpar -o r -m p10 -p mode9");
    wait(&mut world, 6);
    assert_eq!(
        ok(
            &mut world,
            "lslparmigr -r lpar -m p10 --filter lpar_names=mode9 -F migration_state"
        ),
        "Not Migrating\n"
    );
}
