//! `simctl`: the simulator's own control command, reachable over SSH on every simulated
//! host, to inject faults and inspect simulated time during a demo or a test.
//!
//! ```text
//! simctl hosts                                  list hosts, kinds and faults
//! simctl time                                   simulated seconds since start
//! simctl fault HOST stall|drop|garbage|recover  break or mend a host
//! simctl latency HOST MS                        add latency to every command
//! simctl state HMC SYSTEM STATE...              set a managed system's state
//! ```

use super::estate::FaultAction;
use super::reply::Reply;
use super::world::World;

/// The control command's name.
pub const PROGRAM: &str = "simctl";

const USAGE: &str = "usage: simctl hosts | time | fault HOST stall|drop|garbage|recover | latency HOST MS | state HMC SYSTEM STATE...\n";

/// Runs one `simctl` command.
pub fn exec(world: &mut World, args: &[String]) -> Reply {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["hosts"] => Ok(hosts(world)),
        ["time"] => Ok(format!("{:.3}\n", world.now().as_secs_f64())),
        ["fault", host, what] => {
            let action = match *what {
                "stall" => Some(FaultAction::Stall),
                "drop" => Some(FaultAction::Drop),
                "garbage" => Some(FaultAction::Garbage),
                "recover" => Some(FaultAction::Recover),
                _ => None,
            };
            match action {
                Some(action) => world.apply_fault(host, &action).map(|()| String::new()),
                None => Err(format!("unknown fault {what:?}")),
            }
        }
        ["latency", host, ms] => match ms.parse() {
            Ok(ms) => world
                .apply_fault(host, &FaultAction::Latency { ms })
                .map(|()| String::new()),
            Err(_) => Err(format!("latency must be milliseconds, not {ms:?}")),
        },
        ["state", host, system, state @ ..] if !state.is_empty() => world
            .apply_fault(
                host,
                &FaultAction::SystemState {
                    system: system.to_string(),
                    state: state.join(" "),
                },
            )
            .map(|()| String::new()),
        _ => Err("unknown control command".to_string()),
    };
    match result {
        Ok(text) => Reply::ok(text),
        Err(message) => Reply::fail_stderr(format!("simctl: {message}\n{USAGE}"), 2),
    }
}

fn hosts(world: &World) -> String {
    let mut text = String::new();
    for (name, kind) in world.estate.host_names() {
        let faults = world.host_faults(name);
        let mut notes = Vec::new();
        if faults.stalled {
            notes.push("stalled".to_string());
        }
        if faults.dropping {
            notes.push("dropping".to_string());
        }
        if faults.garbage {
            notes.push("garbage".to_string());
        }
        if !faults.latency.is_zero() {
            notes.push(format!("latency={}ms", faults.latency.as_millis()));
        }
        text.push_str(&format!("{name} {kind:?} {}\n", notes.join(",")).to_lowercase());
    }
    text
}
