//! The real `powerdeck` binary in a real terminal, driven through tmux (see
//! `common::tmux`): each test has its own tmux server and its own private home (the
//! journal goes there).

mod common;

use std::time::Duration;

use common::tmux::Tmux;

/// The demo starts a simulator and logs in to six hosts: slow on a busy machine.
const START: Duration = Duration::from_secs(90);
const STEP: Duration = Duration::from_secs(15);

#[test]
fn demo_filter_drill_down_help_and_quit() {
    let tmux = Tmux::powerdeck("nav", &["--demo"], &[]);
    let screen = tmux.wait_text("Managed systems [7/7]", START);
    assert!(screen.contains("s824-01") && screen.contains("Error - Dump in progress"));
    tmux.wait_for("every source's first refresh", START, |s| {
        ["hmc01", "hmc02", "aixprd01", "nim01"]
            .iter()
            .all(|source| s.contains(&format!("● {source}")))
    });

    // `/` narrows the list as it is typed.
    tmux.keys(&["/"]);
    tmux.type_text("s924");
    let screen = tmux.wait_text("Managed systems [1/7]", STEP);
    assert!(
        screen.contains("s924-01") && !screen.contains("p770-01"),
        "{screen}"
    );
    // Enter keeps the filter; Enter again drills into the system's partitions.
    tmux.keys(&["Enter"]);
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_text("LPARs on s924-01 (hmc01)", STEP);
    assert!(screen.contains("prdsap01"), "{screen}");
    // Esc goes back (the filter is still there), Esc again clears it.
    tmux.keys(&["Escape"]);
    tmux.wait_text("Managed systems [1/7]", STEP);
    tmux.keys(&["Escape"]);
    tmux.wait_text("Managed systems [7/7]", STEP);
    // `?` shows the help, generated from the key map, wizards included.
    tmux.keys(&["?"]);
    let screen = tmux.wait_text("Help — keys from the key map", STEP);
    assert!(screen.contains("General"), "{screen}");
    tmux.keys(&["Escape"]);
    tmux.wait_for("the help to close", STEP, |s| !s.contains("Help — keys"));
    // `q` quits and gives the terminal back.
    tmux.keys(&["q"]);
    let screen = tmux.wait_text("exited with 0", STEP);
    tmux.wait_text("terminal restored", STEP);
    assert!(
        !screen.contains("Managed systems"),
        "alternate screen left:\n{screen}"
    );
    let alternate = tmux.run(&["display-message", "-p", "-t", "main", "#{alternate_on}"]);
    assert_eq!(String::from_utf8_lossy(&alternate.stdout).trim(), "0");
}

/// `POWERDECK_DEMO_SPEED` makes the demo's simulated time run 200 times faster.
#[test]
fn demo_remote_restart_from_the_systems_view() {
    let tmux = Tmux::powerdeck("rr", &["--demo"], &[("POWERDECK_DEMO_SPEED", "200")]);
    tmux.wait_text("Managed systems [7/7]", START);
    tmux.wait_for("hmc01's first refresh", START, |s| s.contains("● hmc01"));
    // Select s824-01, open the wizard, keep the default target and order.
    tmux.keys(&["/"]);
    tmux.type_text("s824");
    tmux.wait_text("Managed systems [1/7]", STEP);
    tmux.keys(&["Enter"]);
    tmux.keys(&["R"]);
    let screen = tmux.wait_text("Remote restart from s824-01 (hmc01) · 1/5 target", STEP);
    assert!(screen.contains("› s924-01"), "default target:\n{screen}");
    tmux.keys(&["Enter"]);
    tmux.wait_text("2/5 partitions", STEP);
    tmux.keys(&["Enter"]);
    tmux.wait_text("3/5 plan", STEP);
    // The plan shows once the target's capacity has been read over SSH.
    tmux.wait_text("restart order:", STEP);
    tmux.keys(&["Enter"]);
    tmux.wait_text("name:", STEP);
    // The name, then Enter: it runs.
    tmux.type_text("s824-01");
    tmux.keys(&["Enter"]);
    tmux.wait_text("5/5 running", STEP);
    let screen = tmux.wait_for("the run to end", Duration::from_secs(180), |s| {
        s.contains("Completed") || s.contains("Halted") || s.contains("Refused")
    });
    assert!(screen.contains("✓ Completed"), "{screen}");
    // Close the summary; the refresh after the run shows them on s924-01. (Esc goes
    // alone: Esc and a key right behind it read as Alt+key.)
    tmux.keys(&["Enter"]);
    tmux.wait_text("Managed systems [1/7]", STEP);
    tmux.keys(&["Escape"]);
    tmux.wait_text("Managed systems [7/7]", STEP);
    tmux.keys(&["2"]);
    tmux.wait_text("LPARs [", STEP);
    tmux.keys(&["/"]);
    tmux.type_text("s924-01");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the partitions Running on s924-01", STEP, |screen| {
        ["prdapp03", "prddb02", "prdweb02", "devapp02"]
            .iter()
            .all(|lpar| {
                screen.lines().any(|line| {
                    line.contains(lpar) && line.contains("Running") && line.contains("s924-01")
                })
            })
    });
    tmux.keys(&["q"]);
    tmux.wait_text("exited with 0", STEP);
    // The run is in the journal, under XDG_STATE_HOME.
    let journal = tmux.home.state().join("powerdeck/journal.jsonl");
    let text = std::fs::read_to_string(&journal).expect("the journal was written");
    assert!(text.contains("\"outcome\":\"completed\""), "{text}");
}

#[test]
fn read_only_demo_shows_the_plan_and_cannot_run_it() {
    let tmux = Tmux::powerdeck("ro", &["--demo", "--read-only"], &[]);
    tmux.wait_text("READ-ONLY", START);
    tmux.wait_for("hmc01's first refresh", START, |s| s.contains("● hmc01"));
    tmux.keys(&["/"]);
    tmux.type_text("s824");
    tmux.wait_text("Managed systems [1/7]", STEP);
    tmux.keys(&["Enter"]);
    tmux.keys(&["R"]);
    tmux.wait_text("1/5 target", STEP);
    tmux.keys(&["Enter"]);
    tmux.wait_text("2/5 partitions", STEP);
    tmux.keys(&["Enter"]);
    tmux.wait_text("3/5 plan", STEP);
    // The plan shows once the target's capacity has been read over SSH.
    tmux.wait_text("this plan is shown, not run", STEP);
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_text("Read-only mode: this plan cannot run here", STEP);
    assert!(
        !screen.contains("name:"),
        "no confirmation offered:\n{screen}"
    );
    tmux.keys(&["Escape"]);
    tmux.wait_text("2/5 partitions", STEP);
    tmux.keys(&["q"]);
    tmux.wait_text("exited with 0", STEP);
    assert!(
        !tmux.home.state().join("powerdeck/journal.jsonl").exists(),
        "nothing ran, nothing journaled"
    );
}
