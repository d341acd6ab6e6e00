//! The live simulated estate: its state, simulated time, and what is due to happen.

use std::collections::HashMap;
use std::time::Duration;

use super::estate::{Estate, FaultAction};

/// A change scheduled for a moment of simulated time.
type Event = Box<dyn FnOnce(&mut World) + Send>;

struct Pending {
    due: Duration,
    seq: u64,
    event: Event,
}

/// What is currently wrong with one host.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostFaults {
    pub stalled: bool,
    pub dropping: bool,
    pub garbage: bool,
    pub latency: Duration,
}

/// The whole simulated estate at one moment of simulated time.
///
/// Everything here is plain data changed by plain functions: the SSH server moves
/// simulated time forward with [`World::advance`] before each command, and commands
/// schedule their delayed effects with [`World::schedule`]. Tests drive the clock by
/// hand.
pub struct World {
    pub estate: Estate,
    pub faults: HashMap<String, HostFaults>,
    now: Duration,
    next_seq: u64,
    pending: Vec<Pending>,
}

impl World {
    /// A world at time zero with the estate's scripted faults scheduled.
    pub fn new(estate: Estate) -> World {
        let mut faults = HashMap::new();
        for (name, _) in estate.host_names() {
            faults.insert(name.to_string(), HostFaults::default());
        }
        for hmc in &estate.hmc {
            if let Some(fault) = faults.get_mut(&hmc.name) {
                fault.latency = Duration::from_millis(hmc.latency_ms);
            }
        }
        for aix in &estate.aix {
            if let Some(fault) = faults.get_mut(&aix.name) {
                fault.latency = Duration::from_millis(aix.latency_ms);
            }
        }
        for nim in &estate.nim {
            if let Some(fault) = faults.get_mut(&nim.name) {
                fault.latency = Duration::from_millis(nim.latency_ms);
            }
        }
        let scripted = estate.faults.clone();
        let mut world = World {
            estate,
            faults,
            now: Duration::ZERO,
            next_seq: 0,
            pending: Vec::new(),
        };
        for fault in scripted {
            let at = Duration::from_secs_f64(fault.at_secs.max(0.0));
            world.schedule(at, move |world| {
                // A scripted fault that no longer applies is dropped: the estate
                // has moved on.
                let _ = world.apply_fault(&fault.host, &fault.action);
            });
        }
        world
    }

    /// The current simulated time since the simulator started.
    pub fn now(&self) -> Duration {
        self.now
    }

    /// Moves simulated time forward to `now`, applying every event due by then, in
    /// order. Time never goes backwards.
    pub fn advance(&mut self, now: Duration) {
        if now < self.now {
            return;
        }
        loop {
            let next = self
                .pending
                .iter()
                .enumerate()
                .filter(|(_, p)| p.due <= now)
                .min_by_key(|(_, p)| (p.due, p.seq))
                .map(|(index, _)| index);
            let Some(index) = next else { break };
            let pending = self.pending.swap_remove(index);
            self.now = self.now.max(pending.due);
            (pending.event)(self);
        }
        self.now = now;
    }

    /// Runs `event` once `after` of simulated time has passed.
    pub fn schedule(&mut self, after: Duration, event: impl FnOnce(&mut World) + Send + 'static) {
        self.next_seq += 1;
        self.pending.push(Pending {
            due: self.now + after,
            seq: self.next_seq,
            event: Box::new(event),
        });
    }

    /// Number of events still to happen.
    pub fn pending_events(&self) -> usize {
        self.pending.len()
    }

    /// The faults of `host` now (none for an unknown host).
    pub fn host_faults(&self, host: &str) -> HostFaults {
        self.faults.get(host).cloned().unwrap_or_default()
    }

    /// Applies a fault to a host; `Err` says why it cannot be applied.
    pub fn apply_fault(&mut self, host: &str, action: &FaultAction) -> Result<(), String> {
        if let FaultAction::SystemState { system, state } = action {
            let hmc = self
                .estate
                .hmc
                .iter_mut()
                .find(|hmc| hmc.name == host)
                .ok_or_else(|| format!("no HMC called {host}"))?;
            let system = hmc
                .systems
                .iter_mut()
                .find(|s| &s.name == system)
                .ok_or_else(|| format!("{host} manages no system called {system}"))?;
            system.state = crate::estate::SystemState::parse(state);
            return Ok(());
        }
        let faults = self
            .faults
            .get_mut(host)
            .ok_or_else(|| format!("no simulated host called {host}"))?;
        match action {
            FaultAction::Stall => faults.stalled = true,
            FaultAction::Drop => faults.dropping = true,
            FaultAction::Garbage => faults.garbage = true,
            FaultAction::Latency { ms } => faults.latency = Duration::from_millis(*ms),
            FaultAction::Recover => {
                faults.stalled = false;
                faults.dropping = false;
                faults.garbage = false;
            }
            FaultAction::SystemState { .. } => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::estate::ScriptedFault;

    #[test]
    fn events_run_in_time_order() {
        let mut world = World::new(Estate::default());
        world.schedule(Duration::from_secs(5), |w| {
            w.faults.insert("b".into(), HostFaults::default());
        });
        world.schedule(Duration::from_secs(2), |w| {
            w.faults.insert("a".into(), HostFaults::default());
        });
        world.advance(Duration::from_secs(3));
        assert!(world.faults.contains_key("a") && !world.faults.contains_key("b"));
        assert_eq!(world.pending_events(), 1);
        world.advance(Duration::from_secs(1));
        assert_eq!(world.now(), Duration::from_secs(3), "time never goes back");
        world.advance(Duration::from_secs(10));
        assert!(world.faults.contains_key("b"));
    }

    #[test]
    fn events_scheduled_by_events_use_their_due_time() {
        let mut world = World::new(Estate::default());
        world.schedule(Duration::from_secs(1), |w| {
            w.schedule(Duration::from_secs(1), |w| {
                w.faults.insert("second".into(), HostFaults::default());
            });
        });
        world.advance(Duration::from_secs(5));
        assert!(world.faults.contains_key("second"));
    }

    #[test]
    fn scripted_faults_fire() {
        let mut estate = Estate::default();
        estate.nim.push(crate::sim::estate::NimHost {
            name: "nim01".into(),
            hostname: None,
            alternate: None,
            password: None,
            latency_ms: 0,
            objects: Vec::new(),
        });
        estate.faults.push(ScriptedFault {
            at_secs: 30.0,
            host: "nim01".into(),
            action: FaultAction::Stall,
        });
        let mut world = World::new(estate);
        assert!(!world.host_faults("nim01").stalled);
        world.advance(Duration::from_secs(31));
        assert!(world.host_faults("nim01").stalled);
        world.apply_fault("nim01", &FaultAction::Recover).unwrap();
        assert!(!world.host_faults("nim01").stalled);
    }
}
