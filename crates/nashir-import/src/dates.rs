//! Dates of imported records as unix microseconds (UTC).
//! Owns WordPress's zero date, the GMT-then-local fallback, and JSON Lines' mixed formats.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

/// Parses WordPress's `YYYY-MM-DD HH:MM:SS` (a `T` separator and missing seconds are
/// accepted). `0000-00-00 00:00:00`, WordPress's "no date", gives `None`.
pub(crate) fn parse_wp_datetime(s: &str) -> Option<DateTime> {
    let s = s.trim();
    let bytes = s.as_bytes();
    if bytes.len() < 10 || s.starts_with("0000-00-00") {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i16> { s.get(range)?.parse().ok() };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let (mut hour, mut minute, mut second) = (0, 0, 0);
    if bytes.len() > 10 {
        if !matches!(bytes[10], b' ' | b'T') || bytes.len() < 16 || bytes[13] != b':' {
            return None;
        }
        hour = num(11..13)?;
        minute = num(14..16)?;
        if bytes.len() >= 19 && bytes[16] == b':' {
            second = num(17..19)?;
        }
    }
    let to_i8 = |v: i16| i8::try_from(v).ok();
    DateTime::new(
        year,
        to_i8(month)?,
        to_i8(day)?,
        to_i8(hour)?,
        to_i8(minute)?,
        to_i8(second)?,
        0,
    )
    .ok()
}

/// A WordPress date pair as unix microseconds: the GMT field when it is set, else the
/// local field read in `tz` (WordPress leaves `post_date_gmt` at zero for drafts and
/// pending posts). `None` when neither holds a date.
pub(crate) fn wp_timestamp(gmt: &str, local: &str, tz: &TimeZone) -> Option<i64> {
    if let Some(dt) = parse_wp_datetime(gmt) {
        return TimeZone::UTC
            .to_ambiguous_timestamp(dt)
            .compatible()
            .ok()
            .map(Timestamp::as_microsecond);
    }
    local_timestamp(parse_wp_datetime(local)?, tz)
}

fn local_timestamp(dt: DateTime, tz: &TimeZone) -> Option<i64> {
    tz.to_ambiguous_timestamp(dt)
        .compatible()
        .ok()
        .map(Timestamp::as_microsecond)
}

/// `local − gmt` in seconds for a post that has both dates: the site's UTC offset then.
pub(crate) fn utc_offset_seconds(gmt: &str, local: &str) -> Option<i64> {
    // Both read as if UTC: their difference is the offset.
    let as_seconds = |s: &str| {
        let dt = parse_wp_datetime(s)?;
        TimeZone::UTC
            .to_ambiguous_timestamp(dt)
            .compatible()
            .ok()
            .map(Timestamp::as_second)
    };
    let seconds = as_seconds(local)? - as_seconds(gmt)?;
    // Offsets beyond ±18 h are not offsets but different dates (an edited GMT field).
    (seconds.abs() <= 18 * 3600).then_some(seconds)
}

/// A date of a JSON Lines record: RFC 3339 (`2017-01-20T21:43:00+01:00`, `…Z`), a local
/// date-time (`2017-01-22T18:56:00`, `2017-01-22 18:56`) read in `tz`, or a date
/// (`2017-01-22`), midnight in `tz`. Returns microseconds and whether only a day was given.
pub(crate) fn parse_flexible(s: &str, tz: &TimeZone) -> Result<(i64, bool), String> {
    let s = s.trim();
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Ok((ts.as_microsecond(), false));
    }
    if s.len() == 10
        && let Ok(date) = s.parse::<Date>()
    {
        let micros = local_timestamp(date.to_datetime(jiff::civil::Time::midnight()), tz);
        return micros
            .map(|m| (m, true))
            .ok_or_else(|| format!("date {s:?} is out of range"));
    }
    if let Some(dt) = parse_wp_datetime(s).filter(|_| s.len() > 10) {
        return local_timestamp(dt, tz)
            .map(|m| (m, false))
            .ok_or_else(|| format!("date {s:?} is out of range"));
    }
    Err(format!(
        "invalid date {s:?} (expected YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS, or RFC 3339 with an offset)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tunis() -> TimeZone {
        TimeZone::get("Africa/Tunis").expect("bundled tzdb")
    }

    #[test]
    fn gmt_wins_and_zero_gmt_falls_back_to_local_time() {
        let tz = tunis();
        let gmt = wp_timestamp("2017-06-01 07:30:00", "2017-06-01 08:30:00", &tz);
        assert_eq!(gmt, Some(1_496_302_200_000_000));
        // The same local time, read in Tunis (UTC+1), is the same instant.
        assert_eq!(
            wp_timestamp("0000-00-00 00:00:00", "2017-06-01 08:30:00", &tz),
            gmt
        );
        assert_eq!(
            wp_timestamp("", "2017-06-01 08:30:00", &TimeZone::UTC),
            Some(1_496_305_800_000_000)
        );
        assert_eq!(
            wp_timestamp("0000-00-00 00:00:00", "0000-00-00 00:00:00", &tz),
            None
        );
    }

    #[test]
    fn wordpress_date_shapes() {
        assert!(parse_wp_datetime("2024-06-05 16:04:48").is_some());
        assert!(parse_wp_datetime("2024-06-05T16:04").is_some());
        assert!(parse_wp_datetime("2024-06-05").is_some());
        assert!(parse_wp_datetime("2024-13-05 00:00:00").is_none());
        assert!(parse_wp_datetime("yesterday").is_none());
        assert!(parse_wp_datetime("2024/06/05 16:04:48").is_none());
    }

    #[test]
    fn site_offset_from_both_dates() {
        assert_eq!(
            utc_offset_seconds("2017-06-01 07:30:00", "2017-06-01 08:30:00"),
            Some(3600)
        );
        assert_eq!(
            utc_offset_seconds("2017-06-01 07:30:00", "2017-06-01 02:00:00"),
            Some(-19800)
        );
        assert_eq!(
            utc_offset_seconds("0000-00-00 00:00:00", "2017-06-01 08:30:00"),
            None
        );
        assert_eq!(
            utc_offset_seconds("2010-01-01 00:00:00", "2017-06-01 08:30:00"),
            None
        );
    }

    #[test]
    fn jsonl_date_formats() {
        let tz = tunis();
        assert_eq!(
            parse_flexible("2017-01-20T21:43:00+01:00", &tz),
            Ok((1_484_944_980_000_000, false))
        );
        assert_eq!(
            parse_flexible("2017-01-20T20:43:00Z", &tz),
            Ok((1_484_944_980_000_000, false))
        );
        assert_eq!(
            parse_flexible("2017-01-20T21:43:00", &tz),
            Ok((1_484_944_980_000_000, false))
        );
        assert_eq!(
            parse_flexible("2017-01-20 21:43", &tz),
            Ok((1_484_944_980_000_000, false))
        );
        assert_eq!(
            parse_flexible("2017-01-20", &tz),
            Ok((1_484_866_800_000_000, true))
        );
        assert!(parse_flexible("20/01/2017", &tz).is_err());
        assert!(parse_flexible("2017-02-30", &tz).is_err());
    }
}
