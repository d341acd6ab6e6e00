//! The demo estate over SSH with the OpenSSH client and the files `powerdeck sim
//! --write-config` writes: every kind of host answers in its real format, a changing
//! command changes what the listings report after its delay, and refusals carry the
//! host's message and a non-zero exit status.

mod common;

use std::process::Output;
use std::time::{Duration, Instant};

use common::sim::SimLab;
use powerdeck::sim::Estate;

async fn demo(speed: f64) -> SimLab {
    SimLab::start(Estate::demo(), speed).await
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_host_kind_answers_in_its_format() {
    let demo = demo(1.0).await;

    let out = demo
        .ssh("hmc01", "LANG=C lssyscfg -r sys -F name,state")
        .await;
    assert_eq!(out.status.code(), Some(0));
    let systems = stdout(&out);
    assert!(
        systems.contains("s824-01,Error - Dump in progress\n"),
        "{systems}"
    );
    assert!(systems.contains("s924-01,Operating\n"));

    let out = demo
        .ssh(
            "hmc01",
            "LANG=C lssyscfg -r lpar -m s824-01 --filter lpar_names=prdapp03",
        )
        .await;
    let record = stdout(&out);
    assert!(
        record.starts_with("name=prdapp03,lpar_id=3,lpar_env=aixlinux,state=Not Available,"),
        "{record}"
    );
    assert!(record.contains(
        ",simplified_remote_restart_capable=1,remote_restart_status=Remote Restartable,"
    ));

    let out = demo.ssh("hmc02", "LANG=C lshmc -V").await;
    assert!(
        stdout(&out).starts_with("\"version= Version: "),
        "{}",
        stdout(&out)
    );

    let out = demo.ssh("aixprd01", "LC_ALL=C lswpar").await;
    let table = stdout(&out);
    let mut lines = table.lines();
    assert!(lines.next().unwrap().starts_with("Name "));
    assert!(lines.next().unwrap().starts_with("-----"));
    assert!(table.contains("wpbatch01"));

    let out = demo.ssh("aixprd01", "LC_ALL=C lswpar -cq wprpt01").await;
    assert!(stdout(&out).starts_with("wprpt01:B:S:"), "{}", stdout(&out));

    let out = demo.ssh("nim01", "LC_ALL=C lsnim -l tstdb02").await;
    let stanza = stdout(&out);
    assert!(stanza.starts_with("tstdb02:\n   class "), "{stanza}");
    assert!(
        stanza.contains("Cstate         = Base Operating System installation is being performed\n")
            || stanza.contains("Base Operating System installation is being performed")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_carry_the_hosts_message_and_status() {
    // Validation answers after a few simulated seconds; speed 20 keeps the test short.
    let demo = demo(20.0).await;

    let out = demo
        .ssh(
            "hmc01",
            "LANG=C rrstartlpar -o validate -m s924-01 -t s824-01 -p aixprd01",
        )
        .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("HSCLA9CE The managed system is not in a valid state to support partition remote restart operations."), "{}", stdout(&out));

    let out = demo
        .ssh(
            "hmc01",
            "LANG=C migrlpar -o v -m s924-01 -t s824-01 -p prdsap01",
        )
        .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("HSCL"), "{}", stdout(&out));

    let out = demo.ssh("aixprd01", "LC_ALL=C lswpar nosuch").await;
    assert_ne!(out.status.code(), Some(0));
    assert_eq!(
        stderr(&out),
        "lswpar: 0960-419 Could not find a workload partition called nosuch.\n"
    );

    let out = demo.ssh("nim01", "LC_ALL=C lsnim -l nosuch").await;
    assert_eq!(out.status.code(), Some(53));
    assert!(
        stderr(&out).contains("0042-053 lsnim: there is no NIM object named \"nosuch\""),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_shows_in_the_listings_after_its_delay() {
    // Speed 20: a 30 s simulated boot takes 1.5 s.
    let demo = demo(20.0).await;
    let state = |out: &Output| stdout(out).trim().to_string();
    let listing = "LANG=C lssyscfg -r lpar -m s924-01 --filter lpar_names=devweb01 -F state";
    assert_eq!(state(&demo.ssh("hmc01", listing).await), "Not Activated");
    let started = Instant::now();
    let out = demo
        .ssh(
            "hmc01",
            "LANG=C chsysstate -r lpar -m s924-01 -o on -n devweb01",
        )
        .await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert_eq!(stdout(&out), "", "success prints nothing");
    assert_eq!(state(&demo.ssh("hmc01", listing).await), "Starting");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let now = state(&demo.ssh("hmc01", listing).await);
        if now == "Running" {
            break;
        }
        assert!(Instant::now() < deadline, "still {now}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        started.elapsed() >= Duration::from_millis(1000),
        "not before its delay"
    );

    // A second power-on is refused like the HMC refuses it.
    let out = demo
        .ssh(
            "hmc01",
            "LANG=C chsysstate -r lpar -m s924-01 -o on -n devweb01",
        )
        .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("HSCL3681"), "{}", stdout(&out));
}
