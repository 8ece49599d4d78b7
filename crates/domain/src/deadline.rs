//! When a deadline falls: an event's instant plus a span in the authority's units.

use chrono::{DateTime, Duration, Months, Utc};

use crate::uk_time;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Hours,
    /// Monday to Friday in UK local time. Bank holidays are not known to the service and are
    /// counted as working days (a deadline may then fall a day early, never late).
    WorkingDays,
    CalendarDays,
    Weeks,
    Months,
}

/// The instant a span of `amount` `unit`s after `from` ends. `None` on overflow.
pub fn due(from: DateTime<Utc>, amount: u32, unit: Unit) -> Option<DateTime<Utc>> {
    let n = i64::from(amount);
    match unit {
        Unit::Hours => from.checked_add_signed(Duration::hours(n)),
        Unit::CalendarDays => from.checked_add_signed(Duration::days(n)),
        Unit::Weeks => from.checked_add_signed(Duration::weeks(n)),
        Unit::Months => {
            let local = uk_time::to_local(from).checked_add_months(Months::new(amount))?;
            Some(uk_time::from_local(local))
        }
        Unit::WorkingDays => {
            let local = uk_time::to_local(from);
            let mut date = local.date();
            let mut counted = 0;
            while counted < amount {
                date = date.succ_opt()?;
                if !uk_time::is_weekend(date) {
                    counted += 1;
                }
            }
            Some(uk_time::from_local(date.and_time(local.time())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn working_days_skip_weekends() {
        // Friday 27 Nov 2026 + 1 working day = Monday 30 Nov; + 5 = Friday 4 Dec.
        assert_eq!(
            due(utc("2026-11-27T10:00:00Z"), 1, Unit::WorkingDays),
            Some(utc("2026-11-30T10:00:00Z"))
        );
        assert_eq!(
            due(utc("2026-11-27T10:00:00Z"), 5, Unit::WorkingDays),
            Some(utc("2026-12-04T10:00:00Z"))
        );
        // From a Saturday, the first working day is Monday.
        assert_eq!(
            due(utc("2026-11-28T10:00:00Z"), 1, Unit::WorkingDays),
            Some(utc("2026-11-30T10:00:00Z"))
        );
    }

    #[test]
    fn other_units() {
        let t = utc("2026-11-23T10:00:00Z");
        assert_eq!(due(t, 48, Unit::Hours), Some(utc("2026-11-25T10:00:00Z")));
        assert_eq!(
            due(t, 45, Unit::CalendarDays),
            Some(utc("2027-01-07T10:00:00Z"))
        );
        assert_eq!(due(t, 8, Unit::Weeks), Some(utc("2027-01-18T10:00:00Z")));
        assert_eq!(due(t, 3, Unit::Months), Some(utc("2027-02-23T10:00:00Z")));
    }

    #[test]
    fn months_keep_local_time_across_clock_changes() {
        // 10:00 GMT in February is 10:00 BST in May, i.e. 09:00 UTC.
        assert_eq!(
            due(utc("2026-02-10T10:00:00Z"), 3, Unit::Months),
            Some(utc("2026-05-10T09:00:00Z"))
        );
    }
}
