//! Logical time. The engine never reads a wall clock: time advances by fixed ticks as
//! commands run, so `AGE` columns and event timestamps are repeatable.

/// Seconds since the simulated cluster was created.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Clock {
    pub now: u64,
}

/// The simulated cluster's birth, as seconds since the Unix epoch (2025-01-01T00:00:00Z).
const EPOCH: u64 = 1_735_689_600;

impl Clock {
    pub fn advance(&mut self, seconds: u64) {
        self.now += seconds;
    }

    /// RFC 3339 UTC time of `now`, as the API server writes timestamps.
    pub fn timestamp(&self) -> String {
        rfc3339(EPOCH + self.now)
    }

    /// Seconds since the cluster's birth for a timestamp this clock wrote (0 if unreadable).
    pub fn seconds_of(timestamp: &str) -> u64 {
        parse_rfc3339(timestamp).map_or(0, |t| t.saturating_sub(EPOCH))
    }
}

/// kubectl's `AGE`: `45s`, `5m12s`, `3h`, `2d` (k8s.io/apimachinery duration.HumanDuration).
pub fn human_duration(seconds: u64) -> String {
    let (s, m, h, d) = (seconds, seconds / 60, seconds / 3600, seconds / 86400);
    if s < 120 {
        format!("{s}s")
    } else if m < 10 {
        if s % 60 == 0 {
            format!("{m}m")
        } else {
            format!("{m}m{}s", s % 60)
        }
    } else if h < 3 {
        format!("{m}m")
    } else if h < 8 {
        if m % 60 == 0 {
            format!("{h}h")
        } else {
            format!("{h}h{}m", m % 60)
        }
    } else if h < 48 {
        format!("{h}h")
    } else if h < 24 * 8 {
        if h % 24 == 0 {
            format!("{d}d")
        } else {
            format!("{d}d{}h", h % 24)
        }
    } else if h < 24 * 365 * 2 {
        format!("{d}d")
    } else {
        format!("{}y", d / 365)
    }
}

/// `date`'s (and dig's `WHEN:`) form of a simulated time: `Wed Jan 01 00:05:00 UTC 2025`.
pub fn ctime(now: u64) -> String {
    let unix = EPOCH + now;
    let days = (unix / 86400) as i64;
    let secs = unix % 86400;
    let (y, m, d) = civil_from_days(days);
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{} {} {d:02} {:02}:{:02}:{:02} UTC {y}",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[m as usize - 1],
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

fn rfc3339(unix: u64) -> String {
    let days = (unix / 86400) as i64;
    let secs = unix % 86400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

fn parse_rfc3339(t: &str) -> Option<u64> {
    let num = |r: std::ops::Range<usize>| t.get(r)?.parse::<i64>().ok();
    let days = days_from_civil(num(0..4)?, num(5..7)?, num(8..10)?);
    let secs = num(11..13)? * 3600 + num(14..16)? * 60 + num(17..19)?;
    u64::try_from(days * 86400 + secs).ok()
}

/// Howard Hinnant's `civil_from_days`.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Howard Hinnant's `days_from_civil`.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ctime_names_the_day_and_month() {
        assert_eq!(ctime(0), "Wed Jan 01 00:00:00 UTC 2025");
        assert_eq!(ctime(86400 * 59 + 3661), "Sat Mar 01 01:01:01 UTC 2025");
    }

    #[test]
    fn timestamps_round_trip() {
        let mut c = Clock::default();
        assert_eq!(c.timestamp(), "2025-01-01T00:00:00Z");
        c.advance(86_400 * 59 + 3_661);
        assert_eq!(c.timestamp(), "2025-03-01T01:01:01Z");
        assert_eq!(Clock::seconds_of(&c.timestamp()), c.now);
    }

    #[test]
    fn ages_read_like_kubectl() {
        assert_eq!(human_duration(45), "45s");
        assert_eq!(human_duration(312), "5m12s");
        assert_eq!(human_duration(3 * 3600), "3h");
        assert_eq!(human_duration(2 * 86400), "2d");
    }
}
