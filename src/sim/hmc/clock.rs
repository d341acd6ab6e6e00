//! The HMC's wall clock: simulated time since start, counted from a fixed moment, in the
//! `MM/DD/YYYY HH:MM:SS` form of `sys_time` and `time_stamp` (docs/formats.md,
//! "HMC: lssyscfg -r sys", "HMC: lsrefcode").

use std::time::Duration;

/// The moment the simulator starts at: Saturday 14 June 2025, 02:47:13 (the middle of
/// an on-call night), as seconds since 1970-01-01 00:00:00.
pub const EPOCH: i64 = 1_749_869_233;

/// `MM/DD/YYYY HH:MM:SS` of simulated time `now`, shifted by `offset_secs` (negative
/// for the past).
pub fn stamp(now: Duration, offset_secs: i64) -> String {
    let now = i64::try_from(now.as_secs()).unwrap_or(i64::MAX / 4);
    let at = EPOCH.saturating_add(now).saturating_add(offset_secs).max(0);
    let (days, secs) = (at.div_euclid(86_400), at.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{month:02}/{day:02}/{year:04} {:02}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Year, month, day of a day count since 1970-01-01 (proleptic Gregorian calendar).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
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
