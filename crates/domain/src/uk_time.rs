//! UK civil time (Europe/London): GMT in winter, BST (UTC+1) from 01:00 UTC on the last Sunday of
//! March to 01:00 UTC on the last Sunday of October. Plugins answer in local time; the service
//! stores instants in UTC.

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};

fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }?;
    let last = first_of_next.pred_opt()?;
    let back = last.weekday().num_days_from_sunday();
    Some(last - Duration::days(i64::from(back)))
}

/// The UTC instants BST starts and ends in `year`.
fn bst_bounds(year: i32) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let one_am = NaiveTime::from_hms_opt(1, 0, 0)?;
    let start = last_sunday(year, 3)?.and_time(one_am).and_utc();
    let end = last_sunday(year, 10)?.and_time(one_am).and_utc();
    Some((start, end))
}

fn offset_hours(at: DateTime<Utc>) -> i64 {
    match bst_bounds(at.year()) {
        Some((start, end)) if at >= start && at < end => 1,
        _ => 0,
    }
}

/// The UK local date-time of an instant.
pub fn to_local(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc() + Duration::hours(offset_hours(at))
}

/// The instant of a UK local date-time. In the autumn hour that happens twice the earlier is
/// taken; a spring-forward time that does not exist is read as GMT.
pub fn from_local(local: NaiveDateTime) -> DateTime<Utc> {
    let as_bst = Utc.from_utc_datetime(&(local - Duration::hours(1)));
    if offset_hours(as_bst) == 1 {
        as_bst
    } else {
        Utc.from_utc_datetime(&local)
    }
}

pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn summer_and_winter() {
        assert_eq!(
            to_local(utc("2026-07-01T12:00:00Z")).to_string(),
            "2026-07-01 13:00:00"
        );
        assert_eq!(
            to_local(utc("2026-11-23T12:00:00Z")).to_string(),
            "2026-11-23 12:00:00"
        );
        // 2026: BST from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(
            to_local(utc("2026-03-29T00:59:59Z")).to_string(),
            "2026-03-29 00:59:59"
        );
        assert_eq!(
            to_local(utc("2026-03-29T01:00:00Z")).to_string(),
            "2026-03-29 02:00:00"
        );
        assert_eq!(
            to_local(utc("2026-10-25T01:00:00Z")).to_string(),
            "2026-10-25 01:00:00"
        );
    }

    #[test]
    fn local_round_trip() {
        for s in [
            "2026-07-01T12:00:00Z",
            "2026-11-23T09:30:00Z",
            "2026-03-29T01:00:00Z",
        ] {
            assert_eq!(from_local(to_local(utc(s))), utc(s), "{s}");
        }
    }
}
