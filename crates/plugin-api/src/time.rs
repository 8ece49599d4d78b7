//! Civil date and time helpers shared by plugins, so that every authority reads dates, opening
//! hours and panel days the same way. Pure functions: no clock is read here.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use crate::PluginError;
use crate::pb::{BankHoliday, ContactRequest, OpeningWindow, Span, TimeUnit, Weekday};

pub const DATE_FORMAT: &str = "%Y-%m-%d";
pub const DATE_TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S";
pub const TIME_FORMAT: &str = "%H:%M";

/// Parse a local date-time ("YYYY-MM-DDTHH:MM:SS", seconds optional) from request field `field`.
pub fn parse_date_time(field: &str, value: &str) -> Result<NaiveDateTime, PluginError> {
    NaiveDateTime::parse_from_str(value, DATE_TIME_FORMAT)
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M"))
        .map_err(|_| {
            PluginError::invalid(
                field,
                format!("{value:?} is not a local date-time of the form YYYY-MM-DDTHH:MM:SS"),
            )
        })
}

/// Parse a date ("YYYY-MM-DD") from request field `field`.
pub fn parse_date(field: &str, value: &str) -> Result<NaiveDate, PluginError> {
    NaiveDate::parse_from_str(value, DATE_FORMAT).map_err(|_| {
        PluginError::invalid(
            field,
            format!("{value:?} is not a date of the form YYYY-MM-DD"),
        )
    })
}

/// Parse a time of day ("HH:MM").
pub fn parse_time(value: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(value, TIME_FORMAT).ok()
}

/// Minutes since midnight of a window's edge: "HH:MM", or "24:00" for the end of the day.
pub fn minute_of_day(value: &str) -> Option<u32> {
    if value == "24:00" {
        Some(24 * 60)
    } else {
        parse_time(value).map(minutes)
    }
}

pub fn format_date(date: NaiveDate) -> String {
    date.format(DATE_FORMAT).to_string()
}

pub fn format_date_time(at: NaiveDateTime) -> String {
    at.format(DATE_TIME_FORMAT).to_string()
}

/// The wire weekday of a date.
pub fn weekday_of(date: NaiveDate) -> Weekday {
    match date.weekday() {
        chrono::Weekday::Mon => Weekday::Monday,
        chrono::Weekday::Tue => Weekday::Tuesday,
        chrono::Weekday::Wed => Weekday::Wednesday,
        chrono::Weekday::Thu => Weekday::Thursday,
        chrono::Weekday::Fri => Weekday::Friday,
        chrono::Weekday::Sat => Weekday::Saturday,
        chrono::Weekday::Sun => Weekday::Sunday,
    }
}

/// The first date on or after `from` that falls on `weekday`.
pub fn next_weekday_on_or_after(from: NaiveDate, weekday: Weekday) -> Option<NaiveDate> {
    (0..7)
        .map(|d| from + Duration::days(d))
        .find(|date| weekday_of(*date) == weekday)
}

/// Monday to Thursday: the days many texts give one set of hours for, with Friday's apart
/// ("8.30 - 5.00 Monday to Thursday, 4.30 on Friday").
pub const MONDAY_TO_THURSDAY: [Weekday; 4] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
];

/// Monday to Friday.
pub const MONDAY_TO_FRIDAY: [Weekday; 5] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
];

/// Opening windows Monday to Friday, the same hours each day, each doing `on_bank_holiday` on a
/// bank holiday.
pub fn weekdays(opens: &str, closes: &str, on_bank_holiday: BankHoliday) -> Vec<OpeningWindow> {
    windows(&MONDAY_TO_FRIDAY, opens, closes, on_bank_holiday)
}

/// The same window on each of `days`.
pub fn windows(
    days: &[Weekday],
    opens: &str,
    closes: &str,
    on_bank_holiday: BankHoliday,
) -> Vec<OpeningWindow> {
    days.iter()
        .map(|day| window(*day, opens, closes, on_bank_holiday))
        .collect()
}

/// One opening window starting on `weekday`. `closes` at or before `opens` runs past midnight
/// into the next day ("17:00" to "08:30"). Say what it does on a bank holiday: closed (an office
/// line), as usual, open all day ("weekends and bank holidays"), or other hours
/// ([`bank_holiday_hours`]).
pub fn window(
    weekday: Weekday,
    opens: &str,
    closes: &str,
    on_bank_holiday: BankHoliday,
) -> OpeningWindow {
    OpeningWindow {
        weekday: weekday as i32,
        opens: opens.to_owned(),
        closes: closes.to_owned(),
        on_bank_holiday: on_bank_holiday as i32,
        bank_holiday_opens: String::new(),
        bank_holiday_closes: String::new(),
    }
}

/// `window` opening `opens` to `closes` instead on a bank holiday.
pub fn bank_holiday_hours(window: OpeningWindow, opens: &str, closes: &str) -> OpeningWindow {
    OpeningWindow {
        on_bank_holiday: BankHoliday::OpenTheseHours as i32,
        bank_holiday_opens: opens.to_owned(),
        bank_holiday_closes: closes.to_owned(),
        ..window
    }
}

/// The stretch of time a window is open for when it starts on `date`, if it opens that day:
/// `[start, end)`. A bank holiday (or local closure) applies the window's rule; an unspecified
/// rule is taken as closed.
pub fn window_on(
    w: &OpeningWindow,
    date: NaiveDate,
    closed: &ClosedDates,
) -> Option<(NaiveDateTime, NaiveDateTime)> {
    if w.weekday != weekday_of(date) as i32 {
        return None;
    }
    let usual = stretch(date, &w.opens, &w.closes);
    if !closed.contains(date) {
        return usual;
    }
    match BankHoliday::try_from(w.on_bank_holiday).unwrap_or(BankHoliday::Unspecified) {
        BankHoliday::Unspecified | BankHoliday::Closed => None,
        BankHoliday::AsUsual => usual,
        BankHoliday::OpenAllDay => {
            let midnight = date.and_time(NaiveTime::MIN);
            let end_of_day = midnight + Duration::days(1);
            Some((
                midnight,
                usual.map_or(end_of_day, |(_, end)| end.max(end_of_day)),
            ))
        }
        BankHoliday::OpenTheseHours => stretch(date, &w.bank_holiday_opens, &w.bank_holiday_closes),
    }
}

/// `[opens, closes)` on `date`, running into the next day when `closes` is not after `opens`.
fn stretch(date: NaiveDate, opens: &str, closes: &str) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let opens = parse_time(opens)?;
    let closes = minute_of_day(closes)?;
    let start = date.and_time(opens);
    let day = date.and_time(NaiveTime::MIN);
    let end = if closes > minutes(opens) {
        day + Duration::minutes(closes.into())
    } else {
        day + Duration::days(1) + Duration::minutes(closes.into())
    };
    Some((start, end))
}

/// The dates a contact request says are closed: the bank holidays and local closures of the
/// authority's division that the host's calendar found near the request's date. Plugins hold no
/// calendars; they read this.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClosedDates(Vec<NaiveDate>);

impl ClosedDates {
    /// No closed dates: every weekday is an ordinary day.
    pub fn none() -> Self {
        ClosedDates::default()
    }

    /// The request's `closed_dates`, plus the date of `at` when `public_holiday` is set.
    pub fn of(request: &ContactRequest, at: NaiveDateTime) -> Result<Self, PluginError> {
        let mut dates = request
            .closed_dates
            .iter()
            .enumerate()
            .map(|(i, d)| parse_date(&format!("closed_dates[{i}]"), d))
            .collect::<Result<Vec<_>, _>>()?;
        if request.public_holiday {
            dates.push(at.date());
        }
        dates.sort_unstable();
        dates.dedup();
        Ok(ClosedDates(dates))
    }

    pub fn from_dates(mut dates: Vec<NaiveDate>) -> Self {
        dates.sort_unstable();
        dates.dedup();
        ClosedDates(dates)
    }

    /// Whether `date` is a bank holiday or local closure.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.0.binary_search(&date).is_ok()
    }
}

/// A span of `amount` hours.
pub fn hours(amount: u32) -> Span {
    span(amount, TimeUnit::Hours)
}

/// A span of `amount` working days (the host skips weekends and the division's bank holidays).
pub fn working_days(amount: u32) -> Span {
    span(amount, TimeUnit::WorkingDays)
}

/// A span of `amount` plain days, weekends and bank holidays included.
pub fn days(amount: u32) -> Span {
    span(amount, TimeUnit::CalendarDays)
}

/// A span of `amount` weeks: any whole number (an 8-weekly cadence is `weeks(8)`).
pub fn weeks(amount: u32) -> Span {
    span(amount, TimeUnit::Weeks)
}

/// A span of `amount` calendar months.
pub fn months(amount: u32) -> Span {
    span(amount, TimeUnit::Months)
}

fn span(amount: u32, unit: TimeUnit) -> Span {
    Span {
        amount,
        unit: unit as i32,
    }
}

/// Whether a line with these hours is open at `at`: a window that started that day or the day
/// before (running past midnight) covers it. On a bank holiday or local closure each window does
/// what its `on_bank_holiday` says (an office-hours line is closed).
pub fn is_open(hours: &[OpeningWindow], at: NaiveDateTime, closed: &ClosedDates) -> bool {
    [at.date() - Duration::days(1), at.date()]
        .into_iter()
        .any(|date| {
            hours
                .iter()
                .filter_map(|w| window_on(w, date, closed))
                .any(|(start, end)| start <= at && at < end)
        })
}

/// When a line with these hours next opens strictly after `at` (or at `at` if it opens then),
/// on `at`'s date or the 13 days after it (the days a request's closed dates cover), with each
/// window's bank-holiday rule applied on closed dates (bank holidays, local closures).
pub fn next_opening(
    hours: &[OpeningWindow],
    at: NaiveDateTime,
    closed: &ClosedDates,
) -> Option<NaiveDateTime> {
    (0..14)
        .map(|offset| at.date() + Duration::days(offset))
        .flat_map(|date| hours.iter().filter_map(move |w| window_on(w, date, closed)))
        .map(|(start, _)| start)
        .filter(|start| *start >= at)
        .min()
}

fn minutes(t: NaiveTime) -> u32 {
    t.hour() * 60 + t.minute()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        parse_date_time("t", s).unwrap()
    }

    #[test]
    fn office_hours_open_and_close() {
        let mut hours = weekdays("08:30", "17:00", BankHoliday::Closed);
        hours.retain(|w| w.weekday != Weekday::Friday as i32);
        hours.push(window(
            Weekday::Friday,
            "08:30",
            "16:30",
            BankHoliday::Closed,
        ));
        let open = ClosedDates::none();
        let holiday = ClosedDates::from_dates(vec![at("2026-11-23T00:00:00").date()]);
        // 2026-11-23 is a Monday.
        assert!(is_open(&hours, at("2026-11-23T08:30:00"), &open));
        let evenings = [window(
            Weekday::Monday,
            "17:00",
            "24:00",
            BankHoliday::Closed,
        )];
        assert!(is_open(&evenings, at("2026-11-23T23:59:30"), &open));
        assert!(!is_open(&evenings, at("2026-11-23T16:59:00"), &open));
        assert!(!is_open(&hours, at("2026-11-23T17:00:00"), &open));
        assert!(!is_open(&hours, at("2026-11-23T10:00:00"), &holiday));
        assert!(!is_open(&hours, at("2026-11-27T16:45:00"), &open));
        assert_eq!(
            next_opening(&hours, at("2026-11-27T16:45:00"), &open),
            Some(at("2026-11-30T08:30:00"))
        );
        assert_eq!(
            next_opening(&hours, at("2026-11-23T07:00:00"), &open),
            Some(at("2026-11-23T08:30:00"))
        );
        assert_eq!(
            next_opening(&hours, at("2026-11-23T07:00:00"), &holiday),
            Some(at("2026-11-24T08:30:00"))
        );
    }

    #[test]
    fn christmas_closures_push_the_next_opening_to_the_next_working_day() {
        let hours = weekdays("08:30", "17:00", BankHoliday::Closed);
        // Friday 25 and Monday 28 December 2026 are bank holidays in England and Wales.
        let request = ContactRequest {
            local_time: "2026-12-24T17:30:00".into(),
            closed_dates: vec!["2026-12-25".into(), "2026-12-28".into()],
            ..Default::default()
        };
        let t = at("2026-12-24T17:30:00");
        let closed = ClosedDates::of(&request, t).unwrap();
        assert_eq!(
            next_opening(&hours, t, &closed),
            Some(at("2026-12-29T08:30:00"))
        );
        assert!(!is_open(&hours, at("2026-12-28T10:00:00"), &closed));
        let bad = ContactRequest {
            closed_dates: vec!["28/12/2026".into()],
            ..Default::default()
        };
        assert!(matches!(
            ClosedDates::of(&bad, t),
            Err(PluginError::InvalidRequest { ref field, .. }) if field == "closed_dates[0]"
        ));
    }

    /// An out-of-hours team for "weekends, bank holidays and between 5pm (4.30pm on Fridays) and
    /// 8am": overnight windows running past midnight, the weekend, and all day on a bank holiday.
    fn out_of_hours_team() -> Vec<OpeningWindow> {
        let mut hours = windows(
            &MONDAY_TO_THURSDAY,
            "17:00",
            "08:00",
            BankHoliday::OpenAllDay,
        );
        hours.push(window(
            Weekday::Friday,
            "16:30",
            "24:00",
            BankHoliday::OpenAllDay,
        ));
        hours.push(window(
            Weekday::Saturday,
            "00:00",
            "24:00",
            BankHoliday::AsUsual,
        ));
        hours.push(window(
            Weekday::Sunday,
            "00:00",
            "24:00",
            BankHoliday::AsUsual,
        ));
        hours.push(window(
            Weekday::Monday,
            "00:00",
            "08:00",
            BankHoliday::OpenAllDay,
        ));
        hours
    }

    #[test]
    fn windows_run_past_midnight_and_open_all_day_on_bank_holidays() {
        let hours = out_of_hours_team();
        let none = ClosedDates::none();
        // Monday 23 November 2026: closed in the day, open from 17:00 to 08:00 on Tuesday.
        assert!(!is_open(&hours, at("2026-11-23T12:00:00"), &none));
        assert!(is_open(&hours, at("2026-11-23T17:00:00"), &none));
        assert!(is_open(&hours, at("2026-11-24T03:00:00"), &none));
        assert!(!is_open(&hours, at("2026-11-24T08:00:00"), &none));
        // Sunday night into Monday morning, then closed until Monday evening.
        assert!(is_open(&hours, at("2026-11-30T07:59:00"), &none));
        assert_eq!(
            next_opening(&hours, at("2026-11-30T09:00:00"), &none),
            Some(at("2026-11-30T17:00:00"))
        );
        // Bank holiday Monday 31 August 2026: open all day, and on to Tuesday 08:00.
        let holiday = ClosedDates::from_dates(vec![at("2026-08-31T00:00:00").date()]);
        assert!(is_open(&hours, at("2026-08-31T12:00:00"), &holiday));
        assert!(is_open(&hours, at("2026-09-01T07:30:00"), &holiday));
        assert!(!is_open(&hours, at("2026-09-01T08:00:00"), &holiday));
        // Boxing Day's substitute, Monday 28 December 2026, opens at midnight.
        let christmas = ClosedDates::from_dates(vec![at("2026-12-28T00:00:00").date()]);
        assert_eq!(
            next_opening(&hours, at("2026-12-28T09:00:00"), &ClosedDates::none()),
            Some(at("2026-12-28T17:00:00"))
        );
        assert!(is_open(&hours, at("2026-12-28T10:00:00"), &christmas));
    }

    #[test]
    fn a_night_that_starts_on_a_bank_holiday_follows_its_rule_past_midnight() {
        // Bank holiday Monday 31 August 2026: a night window closed on bank holidays does not
        // open that evening, so it is not open at 02:00 on Tuesday either.
        let nights = vec![window(
            Weekday::Monday,
            "17:00",
            "08:00",
            BankHoliday::Closed,
        )];
        let holiday = ClosedDates::from_dates(vec![at("2026-08-31T00:00:00").date()]);
        assert!(!is_open(&nights, at("2026-09-01T02:00:00"), &holiday));
        assert!(is_open(
            &nights,
            at("2026-09-01T02:00:00"),
            &ClosedDates::none()
        ));
    }

    #[test]
    fn the_next_opening_is_looked_for_only_as_far_as_the_closed_dates_go() {
        // A Friday-only line asked on Friday 18 December 2026 after it closed: Christmas Day
        // and New Year's Day (both Fridays) are closed; 1 January is day 14, beyond the closed
        // dates a request carries, so no opening is claimed rather than a wrong one.
        let fridays = vec![window(
            Weekday::Friday,
            "09:00",
            "17:00",
            BankHoliday::Closed,
        )];
        let request = ContactRequest {
            local_time: "2026-12-18T18:00:00".into(),
            closed_dates: vec!["2026-12-25".into()],
            ..Default::default()
        };
        let t = at("2026-12-18T18:00:00");
        let closed = ClosedDates::of(&request, t).unwrap();
        assert_eq!(next_opening(&fridays, t, &closed), None);
        assert_eq!(
            next_opening(&fridays, at("2026-12-18T08:00:00"), &closed),
            Some(at("2026-12-18T09:00:00"))
        );
    }

    #[test]
    fn bank_holiday_hours_replace_the_usual_ones() {
        let hours = vec![bank_holiday_hours(
            window(
                Weekday::Monday,
                "09:00",
                "17:00",
                BankHoliday::OpenTheseHours,
            ),
            "10:00",
            "14:00",
        )];
        let holiday = ClosedDates::from_dates(vec![at("2026-08-31T00:00:00").date()]);
        assert!(!is_open(&hours, at("2026-08-31T09:30:00"), &holiday));
        assert!(is_open(&hours, at("2026-08-31T13:59:00"), &holiday));
        assert_eq!(
            next_opening(&hours, at("2026-08-31T08:00:00"), &holiday),
            Some(at("2026-08-31T10:00:00"))
        );
        // Unspecified is taken as closed; as usual ignores the holiday.
        let unspecified = vec![window(
            Weekday::Monday,
            "09:00",
            "17:00",
            BankHoliday::Unspecified,
        )];
        assert!(!is_open(&unspecified, at("2026-08-31T10:00:00"), &holiday));
        let as_usual = vec![window(
            Weekday::Monday,
            "09:00",
            "17:00",
            BankHoliday::AsUsual,
        )];
        assert!(is_open(&as_usual, at("2026-08-31T10:00:00"), &holiday));
        // Equal times are a 24-hour window.
        let day = vec![window(
            Weekday::Monday,
            "08:00",
            "08:00",
            BankHoliday::AsUsual,
        )];
        assert!(is_open(
            &day,
            at("2026-11-24T07:59:00"),
            &ClosedDates::none()
        ));
        assert!(!is_open(
            &day,
            at("2026-11-24T08:00:00"),
            &ClosedDates::none()
        ));
    }

    #[test]
    fn weekday_arithmetic() {
        let monday = parse_date("d", "2026-11-23").unwrap();
        assert_eq!(weekday_of(monday), Weekday::Monday);
        assert_eq!(
            next_weekday_on_or_after(monday, Weekday::Wednesday),
            parse_date("d", "2026-11-25").ok()
        );
        assert_eq!(
            next_weekday_on_or_after(monday, Weekday::Monday),
            Some(monday)
        );
        assert_eq!(next_weekday_on_or_after(monday, Weekday::Unspecified), None);
    }

    #[test]
    fn bad_input_names_the_field() {
        let err = parse_date_time("local_time", "tomorrow").unwrap_err();
        assert!(
            matches!(err, PluginError::InvalidRequest { ref field, .. } if field == "local_time")
        );
    }
}
