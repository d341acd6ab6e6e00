//! The HMC's wall clock: simulated time since start, counted from a fixed moment, in the
//! `MM/DD/YYYY HH:MM:SS` form of `sys_time` and `time_stamp` (docs/formats.md,
//! "HMC: lssyscfg -r sys", "HMC: lsrefcode").

use std::time::Duration;

use jiff::Timestamp;

/// The moment the simulator starts at: Saturday 14 June 2025, 02:47:13 (the middle of
/// an on-call night), as seconds since 1970-01-01 00:00:00.
pub const EPOCH: i64 = 1_749_869_233;

/// `MM/DD/YYYY HH:MM:SS` of simulated time `now`, shifted by `offset_secs` (negative
/// for the past).
pub fn stamp(now: Duration, offset_secs: i64) -> String {
    let now = i64::try_from(now.as_secs()).unwrap_or(i64::MAX / 4);
    let at = EPOCH.saturating_add(now).saturating_add(offset_secs).max(0);
    Timestamp::from_second(at)
        .unwrap_or(Timestamp::MAX)
        .strftime("%m/%d/%Y %H:%M:%S")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_offsets() {
        assert_eq!(stamp(Duration::ZERO, 0), "06/14/2025 02:47:13");
        assert_eq!(stamp(Duration::from_secs(3600), 0), "06/14/2025 03:47:13");
        assert_eq!(stamp(Duration::ZERO, -3 * 86_400), "06/11/2025 02:47:13");
        assert_eq!(stamp(Duration::ZERO, -EPOCH), "01/01/1970 00:00:00");
    }
}
