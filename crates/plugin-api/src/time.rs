//! Civil date and time helpers shared by plugins, so that every authority reads dates, opening
//! hours and panel days the same way. Pure functions: no clock is read here.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use crate::PluginError;
use crate::pb::{OpeningWindow, Weekday};

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

/// Opening windows Monday to Friday, the same hours each day.
pub fn weekdays(opens: &str, closes: &str) -> Vec<OpeningWindow> {
    [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
    ]
    .into_iter()
    .map(|day| window(day, opens, closes))
    .collect()
}

pub fn window(weekday: Weekday, opens: &str, closes: &str) -> OpeningWindow {
    OpeningWindow {
        weekday: weekday as i32,
        opens: opens.to_owned(),
        closes: closes.to_owned(),
    }
}

/// Whether a line with these hours is open at `at`. A public holiday closes office-hours lines.
pub fn is_open(hours: &[OpeningWindow], at: NaiveDateTime, public_holiday: bool) -> bool {
    if public_holiday {
        return false;
    }
    let day = weekday_of(at.date()) as i32;
    let minute = at.hour() * 60 + at.minute();
    hours.iter().any(|w| {
        w.weekday == day
            && matches!(
                (parse_time(&w.opens), minute_of_day(&w.closes)),
                (Some(o), Some(c)) if minute >= minutes(o) && minute < c
            )
    })
}

/// When a line with these hours next opens strictly after `at` (or at `at` if it opens then),
/// looking up to two weeks ahead. `at`'s own date is skipped when it is a public holiday; later
/// dates are assumed to be ordinary days (the caller knows only about the date it asked for).
pub fn next_opening(
    hours: &[OpeningWindow],
    at: NaiveDateTime,
    public_holiday: bool,
) -> Option<NaiveDateTime> {
    let mut best: Option<NaiveDateTime> = None;
    for offset in 0..14 {
        let date = at.date() + Duration::days(offset);
        if offset == 0 && public_holiday {
            continue;
        }
        let day = weekday_of(date) as i32;
        for w in hours.iter().filter(|w| w.weekday == day) {
            let Some(opens) = parse_time(&w.opens) else {
                continue;
            };
            let candidate = date.and_time(opens);
            if candidate >= at && best.is_none_or(|b| candidate < b) {
                best = Some(candidate);
            }
        }
        if best.is_some() {
            break;
        }
    }
    best
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
        let mut hours = weekdays("08:30", "17:00");
        hours.retain(|w| w.weekday != Weekday::Friday as i32);
        hours.push(window(Weekday::Friday, "08:30", "16:30"));
        // 2026-11-23 is a Monday.
        assert!(is_open(&hours, at("2026-11-23T08:30:00"), false));
        let evenings = [window(Weekday::Monday, "17:00", "24:00")];
        assert!(is_open(&evenings, at("2026-11-23T23:59:30"), false));
        assert!(!is_open(&evenings, at("2026-11-23T16:59:00"), false));
        assert!(!is_open(&hours, at("2026-11-23T17:00:00"), false));
        assert!(!is_open(&hours, at("2026-11-23T10:00:00"), true));
        assert!(!is_open(&hours, at("2026-11-27T16:45:00"), false));
        assert_eq!(
            next_opening(&hours, at("2026-11-27T16:45:00"), false),
            Some(at("2026-11-30T08:30:00"))
        );
        assert_eq!(
            next_opening(&hours, at("2026-11-23T07:00:00"), false),
            Some(at("2026-11-23T08:30:00"))
        );
        assert_eq!(
            next_opening(&hours, at("2026-11-23T07:00:00"), true),
            Some(at("2026-11-24T08:30:00"))
        );
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
