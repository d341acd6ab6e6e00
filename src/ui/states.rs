//! How each state looks: a symbol and a tone for every word of the hosts' vocabularies.
//! The symbol carries the meaning without colour (NO_COLOR, colour blindness, a
//! monochrome jump-host terminal); the word is always the host's own spelling.

use crate::estate::{
    Cstate, LparState, MigrationState, Mstate, RemoteRestartStatus, RmcState, RsState, Rstate,
    SystemState, WparState,
};
use crate::refresh::SourceStatus;

use super::table::Cell;
use super::theme::Tone;

/// Healthy.
pub const OK: char = '●';
/// Deliberately off.
pub const OFF: char = '○';
/// Needs a look.
pub const WARNING: char = '▲';
/// Broken.
pub const ERROR: char = '✖';
/// In motion.
pub const TRANSITION: char = '◐';
/// Not known to this version.
pub const UNKNOWN: char = '?';
/// A refresh of the source is running.
pub const REFRESHING: char = '↻';

/// The legend the help shows: symbol, tone, meaning.
pub const LEGEND: &[(char, Tone, &str)] = &[
    (OK, Tone::Ok, "ok: running, operating, ready"),
    (OFF, Tone::Off, "off: not activated, power off, defined"),
    (
        TRANSITION,
        Tone::Transition,
        "moving: starting, migrating, restarting",
    ),
    (
        WARNING,
        Tone::Warning,
        "look: partial, cleanup due, open firmware",
    ),
    (ERROR, Tone::Error, "broken: error, stuck, source failed"),
    (UNKNOWN, Tone::Unknown, "a state this version does not know"),
    (REFRESHING, Tone::Transition, "source refresh running"),
];

fn cell(symbol: char, text: &str, tone: Tone) -> Cell {
    Cell::state(symbol, text, tone)
}

fn by_tone(text: &str, tone: Tone) -> Cell {
    let symbol = match tone {
        Tone::Ok => OK,
        Tone::Off => OFF,
        Tone::Warning => WARNING,
        Tone::Error => ERROR,
        Tone::Transition => TRANSITION,
        Tone::Unknown => UNKNOWN,
        Tone::Normal | Tone::Muted => ' ',
    };
    cell(symbol, text, tone)
}

/// A managed system's state.
pub fn system(state: &SystemState) -> Cell {
    let tone = match state {
        SystemState::Operating => Tone::Ok,
        SystemState::Standby | SystemState::PowerOff => Tone::Off,
        s if s.needs_attention() => Tone::Error,
        s if s.is_transitional() => Tone::Transition,
        SystemState::Other(_) => Tone::Unknown,
        _ => Tone::Warning,
    };
    by_tone(state.as_str(), tone)
}

/// A partition's state.
pub fn lpar(state: &LparState) -> Cell {
    let tone = match state {
        LparState::Running => Tone::Ok,
        LparState::NotActivated => Tone::Off,
        LparState::Error => Tone::Error,
        LparState::NotAvailable | LparState::OpenFirmware | LparState::Suspended => Tone::Warning,
        s if s.is_transitional() => Tone::Transition,
        LparState::Unknown | LparState::Other(_) => Tone::Unknown,
        _ => Tone::Warning,
    };
    by_tone(state.as_str(), tone)
}

/// RMC connection of a partition: only worrying when the partition runs without it.
pub fn rmc(state: Option<&RmcState>, running: bool) -> Cell {
    match state {
        None => Cell::none(),
        Some(RmcState::Active) => by_tone("active", Tone::Ok),
        Some(state @ (RmcState::Inactive | RmcState::None)) if running => {
            by_tone(state.as_str(), Tone::Warning)
        }
        Some(state @ (RmcState::Inactive | RmcState::None)) => by_tone(state.as_str(), Tone::Off),
        Some(other) => by_tone(other.as_str(), Tone::Unknown),
    }
}

/// Remote restart status of a partition.
pub fn remote_restart(status: Option<&RemoteRestartStatus>) -> Cell {
    let Some(status) = status else {
        return Cell::none();
    };
    let tone = match status {
        RemoteRestartStatus::NotCapable => return Cell::none(),
        RemoteRestartStatus::RemoteRestartable => Tone::Ok,
        RemoteRestartStatus::Invalid => Tone::Off,
        s if s.in_progress() => Tone::Transition,
        RemoteRestartStatus::DestinationRemoteRestarted => Tone::Transition,
        s if s.needs_cleanup() && matches!(s, RemoteRestartStatus::RemoteRestarted) => {
            Tone::Warning
        }
        RemoteRestartStatus::Other(_) => Tone::Unknown,
        _ => Tone::Error,
    };
    by_tone(status.as_str(), tone)
}

/// Migration state from `lslparmigr`; `Not Migrating` is shown as a muted `no` (the
/// detail view keeps the host's words).
pub fn migration(state: Option<&MigrationState>) -> Cell {
    match state {
        None => Cell::none(),
        Some(MigrationState::NotMigrating) => Cell::toned("no", Tone::Muted),
        Some(s) if s.is_active() => by_tone(s.as_str(), Tone::Transition),
        Some(s) if s.needs_recovery() => by_tone(s.as_str(), Tone::Error),
        Some(s) => by_tone(s.as_str(), Tone::Unknown),
    }
}

/// A WPAR's state: the word and `lswpar`'s letter (`Active (A)`).
pub fn wpar(state: &WparState) -> Cell {
    let tone = match state {
        WparState::Active => Tone::Ok,
        WparState::Defined => Tone::Off,
        s if s.is_stuck() => Tone::Error,
        s if s.is_transitional() => Tone::Transition,
        WparState::Other(_) => Tone::Unknown,
        _ => Tone::Warning,
    };
    let text = match state.letter() {
        Some(letter) => format!("{} ({letter})", state.as_str()),
        None => state.as_str().to_string(),
    };
    by_tone(&text, tone)
}

/// A reserved storage device's state.
pub fn rs_device(state: Option<&RsState>) -> Cell {
    match state {
        None => Cell::none(),
        Some(RsState::Active) => by_tone("Active", Tone::Ok),
        Some(s @ (RsState::Inactive | RsState::Defined)) => by_tone(s.as_str(), Tone::Off),
        Some(s) => by_tone(s.as_str(), Tone::Unknown),
    }
}

/// A NIM machine's control state.
pub fn cstate(state: Option<&Cstate>) -> Cell {
    match state {
        None => Cell::none(),
        Some(s) if s.is_ready() => by_tone(s.as_str(), Tone::Ok),
        Some(s @ Cstate::WparDefinedNotCreated) => by_tone(s.as_str(), Tone::Off),
        Some(s @ Cstate::Other(_)) => by_tone(s.as_str(), Tone::Unknown),
        Some(s) => by_tone(s.as_str(), Tone::Warning),
    }
}

/// A NIM machine's state.
pub fn mstate(state: Option<&Mstate>) -> Cell {
    match state {
        None => Cell::none(),
        Some(Mstate::Running) => by_tone("currently running", Tone::Ok),
        Some(Mstate::NotRunning) => by_tone("not running", Tone::Off),
        Some(s @ Mstate::Booting) => by_tone(s.as_str(), Tone::Transition),
        Some(s) => by_tone(s.as_str(), Tone::Unknown),
    }
}

/// A NIM resource's state.
pub fn rstate(state: Option<&Rstate>) -> Cell {
    match state {
        None => Cell::none(),
        Some(Rstate::Ready) => by_tone("ready for use", Tone::Ok),
        Some(s @ Rstate::Unavailable) => by_tone(s.as_str(), Tone::Warning),
        Some(s) => by_tone(s.as_str(), Tone::Unknown),
    }
}

/// A source's health.
pub fn source(status: Option<SourceStatus>) -> Cell {
    match status {
        None => cell(REFRESHING, "waiting", Tone::Transition),
        Some(SourceStatus::Ok) => by_tone("ok", Tone::Ok),
        Some(SourceStatus::Partial) => by_tone("partial", Tone::Warning),
        Some(SourceStatus::Error) => by_tone("error", Tone::Error),
    }
}

/// The symbol and tone of a source's health, for the status line.
pub fn source_mark(status: Option<SourceStatus>) -> (char, Tone) {
    let cell = source(status);
    (cell.symbol.unwrap_or(' '), cell.tone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_state_has_a_symbol_and_a_word() {
        for state in SystemState::KNOWN {
            let cell = system(state);
            assert!(cell.symbol.is_some_and(|s| s != ' ') && !cell.text.is_empty());
        }
        for state in LparState::KNOWN {
            assert!(lpar(state).symbol.is_some_and(|s| s != ' '));
        }
        for state in WparState::KNOWN {
            let cell = wpar(state);
            assert!(cell.symbol.is_some_and(|s| s != ' ') && cell.text.ends_with(')'));
        }
        assert_eq!(system(&SystemState::parse("Quantum")).symbol, Some(UNKNOWN));
        assert_eq!(wpar(&WparState::Broken).tone, Tone::Error);
        assert_eq!(
            remote_restart(Some(&RemoteRestartStatus::RemoteRestarted)).tone,
            Tone::Warning
        );
        assert_eq!(
            remote_restart(Some(&RemoteRestartStatus::SourceSideCleanupFailed)).tone,
            Tone::Error
        );
    }
}
