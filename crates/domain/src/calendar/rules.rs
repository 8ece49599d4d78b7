//! The statutory bank holidays of a year in a division, with substitute days (the rules are
//! listed in the [calendar docs](super)).

use chrono::{Days, NaiveDate, Weekday};

use super::Division;
use crate::uk_time::is_weekend;

/// A holiday's date and gov.uk title.
pub(super) type Holiday = (NaiveDate, &'static str);

const NEW_YEAR: &str = "New Year’s Day";
const SECOND_JANUARY: &str = "2nd January";
const ST_PATRICK: &str = "St Patrick’s Day";
const GOOD_FRIDAY: &str = "Good Friday";
const EASTER_MONDAY: &str = "Easter Monday";
const EARLY_MAY: &str = "Early May bank holiday";
const SPRING: &str = "Spring bank holiday";
const BOYNE: &str = "Battle of the Boyne (Orangemen’s Day)";
const SUMMER: &str = "Summer bank holiday";
const ST_ANDREW: &str = "St Andrew’s Day";
const CHRISTMAS: &str = "Christmas Day";
const BOXING_DAY: &str = "Boxing Day";

/// The first year St Andrew's Day was a bank holiday in Scotland.
const ST_ANDREW_FROM: i32 = 2007;

/// Easter Sunday of a Gregorian `year` (Anonymous Gregorian algorithm). `None` only if chrono
/// cannot represent the year.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// The statutory holidays of `year` in `division`, in date order, substitute days applied.
/// `None` only if a date cannot be formed (not for the covered years).
pub(super) fn holidays(division: Division, year: i32) -> Option<Vec<Holiday>> {
    let scotland = division == Division::Scotland;
    let northern_ireland = division == Division::NorthernIreland;
    let date = |month, day| NaiveDate::from_ymd_opt(year, month, day);

    let easter = easter_sunday(year)?;
    let mut days = vec![(easter.checked_sub_days(Days::new(2))?, GOOD_FRIDAY)];
    if !scotland {
        days.push((easter.checked_add_days(Days::new(1))?, EASTER_MONDAY));
    }
    days.push((monday(year, 5, Nth::First)?, EARLY_MAY));
    days.push((monday(year, 5, Nth::Last)?, SPRING));
    let summer = if scotland { Nth::First } else { Nth::Last };
    days.push((monday(year, 8, summer)?, SUMMER));

    // Fixed dates, each group substituting on its own, in the order of the year.
    let mut groups: Vec<Vec<Holiday>> = Vec::new();
    if scotland {
        new_year_in_scotland(year, &mut days)?;
    } else {
        groups.push(vec![(date(1, 1)?, NEW_YEAR)]);
    }
    if northern_ireland {
        groups.push(vec![(date(3, 17)?, ST_PATRICK)]);
        groups.push(vec![(date(7, 12)?, BOYNE)]);
    }
    if scotland && year >= ST_ANDREW_FROM {
        groups.push(vec![(date(11, 30)?, ST_ANDREW)]);
    }
    groups.push(vec![
        (date(12, 25)?, CHRISTMAS),
        (date(12, 26)?, BOXING_DAY),
    ]);
    for group in &groups {
        observe(group, &mut days)?;
    }

    days.sort_unstable();
    Some(days)
}

/// Adds a group of fixed-date holidays to `days`: those on a weekday keep their dates, then each
/// one on a weekend, in order, moves to the next weekday that is not already in `days`.
fn observe(group: &[Holiday], days: &mut Vec<Holiday>) -> Option<()> {
    for &(date, title) in group {
        if !is_weekend(date) {
            days.push((date, title));
        }
    }
    for &(date, title) in group {
        if is_weekend(date) {
            let mut substitute = date;
            while is_weekend(substitute) || days.iter().any(|(d, _)| *d == substitute) {
                substitute = substitute.succ_opt()?;
            }
            days.push((substitute, title));
        }
    }
    Some(())
}

/// Scotland's New Year's Day and 2nd January: the first two weekdays on or after 1 January.
fn new_year_in_scotland(year: i32, days: &mut Vec<Holiday>) -> Option<()> {
    let mut date = NaiveDate::from_ymd_opt(year, 1, 1)?;
    for title in [NEW_YEAR, SECOND_JANUARY] {
        while is_weekend(date) {
            date = date.succ_opt()?;
        }
        days.push((date, title));
        date = date.succ_opt()?;
    }
    Some(())
}

enum Nth {
    First,
    Last,
}

/// The first or last Monday of a month (a 5th Monday is `None` in a month that has only four).
fn monday(year: i32, month: u32, nth: Nth) -> Option<NaiveDate> {
    let nth_monday = |n| NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, n);
    match nth {
        Nth::First => nth_monday(1),
        Nth::Last => nth_monday(5).or_else(|| nth_monday(4)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn easter_sundays() {
        for (year, easter) in [
            (1995, "1995-04-16"),
            (2000, "2000-04-23"),
            (2008, "2008-03-23"), // as early as it gets this century
            (2011, "2011-04-24"),
            (2019, "2019-04-21"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2038, "2038-04-25"), // the latest possible date
            (2100, "2100-03-28"),
        ] {
            assert_eq!(easter_sunday(year), Some(d(easter)), "{year}");
        }
    }

    #[test]
    fn mondays() {
        assert_eq!(monday(2026, 5, Nth::First), Some(d("2026-05-04")));
        assert_eq!(monday(2026, 5, Nth::Last), Some(d("2026-05-25")));
        assert_eq!(monday(2027, 5, Nth::Last), Some(d("2027-05-31")));
        assert_eq!(monday(2026, 8, Nth::First), Some(d("2026-08-03")));
        assert_eq!(monday(2026, 8, Nth::Last), Some(d("2026-08-31")));
    }

    #[test]
    fn st_andrews_day_from_2007() {
        let titles = |year| -> Vec<&str> {
            holidays(Division::Scotland, year)
                .unwrap()
                .into_iter()
                .map(|(_, title)| title)
                .collect()
        };
        assert!(!titles(2006).contains(&ST_ANDREW));
        assert!(titles(2007).contains(&ST_ANDREW));
    }
}
