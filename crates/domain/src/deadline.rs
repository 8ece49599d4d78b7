//! When a deadline falls: an event's instant plus a span in the authority's units.

use chrono::{DateTime, Duration, Months, Utc};

use crate::calendar::{Calendar, Division};
use crate::uk_time;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Hours,
    /// Monday to Friday in UK local time, less the bank holidays of the authority's division
    /// (and any closures in the operator's calendar file).
    WorkingDays,
    CalendarDays,
    Weeks,
    Months,
}

/// The instant a span of `amount` `unit`s after `from` ends. `None` on overflow, or for working
/// days outside the calendar's covered years (the service does not guess a holiday it cannot
/// know).
///
/// Hours, calendar days and weeks are exact spans of time. Months and working days keep the UK
/// local time of day of `from` on the target date (10:00 GMT in February is 10:00 BST in May).
/// `n` working days after a day is the `n`-th working day after it in `division` (see
/// [`Calendar::add_working_days`]): from a Friday, 1 working day is the next Monday unless that is
/// a bank holiday; from a Saturday it is the Monday too.
pub fn due(
    calendar: &Calendar,
    division: Division,
    from: DateTime<Utc>,
    amount: u32,
    unit: Unit,
) -> Option<DateTime<Utc>> {
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
            let date = calendar.add_working_days(division, local.date(), amount)?;
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

    /// `due` in England and Wales with the UK calendar.
    fn due_england(from: DateTime<Utc>, amount: u32, unit: Unit) -> Option<DateTime<Utc>> {
        due(
            &Calendar::uk(),
            Division::EnglandAndWales,
            from,
            amount,
            unit,
        )
    }

    #[test]
    fn working_days_skip_weekends() {
        // Friday 27 Nov 2026 + 1 working day = Monday 30 Nov; + 5 = Friday 4 Dec.
        assert_eq!(
            due_england(utc("2026-11-27T10:00:00Z"), 1, Unit::WorkingDays),
            Some(utc("2026-11-30T10:00:00Z"))
        );
        assert_eq!(
            due_england(utc("2026-11-27T10:00:00Z"), 5, Unit::WorkingDays),
            Some(utc("2026-12-04T10:00:00Z"))
        );
        // From a Saturday, the first working day is Monday.
        assert_eq!(
            due_england(utc("2026-11-28T10:00:00Z"), 1, Unit::WorkingDays),
            Some(utc("2026-11-30T10:00:00Z"))
        );
    }

    #[test]
    fn other_units() {
        let t = utc("2026-11-23T10:00:00Z");
        assert_eq!(
            due_england(t, 48, Unit::Hours),
            Some(utc("2026-11-25T10:00:00Z"))
        );
        assert_eq!(
            due_england(t, 45, Unit::CalendarDays),
            Some(utc("2027-01-07T10:00:00Z"))
        );
        assert_eq!(
            due_england(t, 8, Unit::Weeks),
            Some(utc("2027-01-18T10:00:00Z"))
        );
        assert_eq!(
            due_england(t, 3, Unit::Months),
            Some(utc("2027-02-23T10:00:00Z"))
        );
    }

    #[test]
    fn months_keep_local_time_across_clock_changes() {
        // 10:00 GMT in February is 10:00 BST in May, i.e. 09:00 UTC.
        assert_eq!(
            due_england(utc("2026-02-10T10:00:00Z"), 3, Unit::Months),
            Some(utc("2026-05-10T09:00:00Z"))
        );
    }

    #[test]
    fn working_days_skip_bank_holidays() {
        // A Bradford allocation on Monday 21 December 2026: Friday 25 December and Monday 28
        // December (Boxing Day's substitute) are bank holidays in England.
        let allocated = utc("2026-12-21T10:00:00Z");
        assert_eq!(
            due_england(allocated, 5, Unit::WorkingDays),
            Some(utc("2026-12-30T10:00:00Z"))
        );
        // Friday 1 January 2027 is New Year's Day.
        assert_eq!(
            due_england(allocated, 10, Unit::WorkingDays),
            Some(utc("2027-01-07T10:00:00Z"))
        );
        // In Scotland 2 January 2027 (a Saturday) moves to Monday 4 January as well.
        let scotland = due(
            &Calendar::uk(),
            Division::Scotland,
            allocated,
            10,
            Unit::WorkingDays,
        );
        assert_eq!(scotland, Some(utc("2027-01-08T10:00:00Z")));
        // The other units do not know about holidays.
        assert_eq!(
            due_england(allocated, 5, Unit::CalendarDays),
            Some(utc("2026-12-26T10:00:00Z"))
        );
    }

    #[test]
    fn working_days_keep_local_time_across_clock_changes() {
        // Friday 27 March 2026 10:00 GMT + 1 working day: Monday 30 March 10:00 BST = 09:00 UTC.
        assert_eq!(
            due_england(utc("2026-03-27T10:00:00Z"), 1, Unit::WorkingDays),
            Some(utc("2026-03-30T09:00:00Z"))
        );
        // Good Friday 3 April and Easter Monday 6 April 2026 are skipped in England, not Monday in
        // Scotland.
        let thursday = utc("2026-04-02T09:00:00Z");
        assert_eq!(
            due_england(thursday, 1, Unit::WorkingDays),
            Some(utc("2026-04-07T09:00:00Z"))
        );
        assert_eq!(
            due(
                &Calendar::uk(),
                Division::Scotland,
                thursday,
                1,
                Unit::WorkingDays
            ),
            Some(utc("2026-04-06T09:00:00Z"))
        );
    }

    #[test]
    fn working_days_outside_the_calendar_are_unknown() {
        assert_eq!(
            due_england(utc("2100-12-30T10:00:00Z"), 5, Unit::WorkingDays),
            None
        );
        assert_eq!(
            due_england(utc("1990-01-01T10:00:00Z"), 5, Unit::WorkingDays),
            None
        );
        // Exact spans need no calendar.
        assert_eq!(
            due_england(utc("1990-01-01T10:00:00Z"), 5, Unit::CalendarDays),
            Some(utc("1990-01-06T10:00:00Z"))
        );
    }
}
