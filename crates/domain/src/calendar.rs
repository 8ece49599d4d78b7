//! The UK working-day calendar: the bank holidays of England and Wales, Scotland and Northern
//! Ireland, and the working-day arithmetic built on them.
//!
//! A division's holidays come from three layers, each replacing or adding to the one before:
//!
//! 1. **The statutory rules** (below), for every covered year: New Year's Day (and 2 January
//!    in Scotland), St Patrick's Day (Northern Ireland), Good Friday, Easter Monday (not in
//!    Scotland), the early May, spring and summer bank holidays, the Battle of the Boyne
//!    (Northern Ireland), St Andrew's Day (Scotland, from 2007), Christmas Day and Boxing Day,
//!    with their substitute days.
//! 2. **The shipped one-off table** (`calendar/one-off.json`, in the gov.uk format): the
//!    complete holidays of the years when the rules were overridden by proclamation — 1995 (VE
//!    day), 1999 (millennium), 2002 (Golden Jubilee), 2011 (royal wedding), 2012 (Diamond
//!    Jubilee), 2020 (VE day), 2022 (Platinum Jubilee, state funeral) and 2023 (coronation).
//!    Each listed year replaces the rules for that year, so the table lists every holiday of it;
//!    2020, 2022 and 2023 are as gov.uk publishes them, the earlier years as proclaimed (gov.uk's
//!    list does not reach back that far).
//! 3. **An operator's file** ([`Calendar::with_file`]), in the same format: the published gov.uk
//!    list, or a council's own closures.
//!
//! # The statutory rules
//!
//! From the Banking and Financial Dealings Act 1971, the St Andrew's Day Bank Holiday (Scotland)
//! Act 2007 and the yearly royal proclamations, with the titles gov.uk gives them:
//!
//! | holiday | England and Wales | Scotland | Northern Ireland |
//! |---|---|---|---|
//! | New Year's Day, 1 January | ✓ | ✓ | ✓ |
//! | 2nd January | | ✓ | |
//! | St Patrick's Day, 17 March | | | ✓ |
//! | Good Friday | ✓ | ✓ | ✓ |
//! | Easter Monday | ✓ | | ✓ |
//! | Early May bank holiday, first Monday in May | ✓ | ✓ | ✓ |
//! | Spring bank holiday, last Monday in May | ✓ | ✓ | ✓ |
//! | Battle of the Boyne, 12 July | | | ✓ |
//! | Summer bank holiday | last Monday in August | first Monday in August | last Monday in August |
//! | St Andrew's Day, 30 November (from 2007) | | ✓ | |
//! | Christmas Day, Boxing Day | ✓ | ✓ | ✓ |
//!
//! A fixed-date holiday on a Saturday or Sunday is observed on a substitute day: the holidays of a
//! group that fall on weekdays keep their dates, then each one on a weekend, in order, moves to
//! the next weekday that is not already a holiday. So Christmas on a Saturday gives Monday 27 and
//! Tuesday 28 (Boxing Day); Christmas on a Sunday gives Boxing Day on Monday 26 and Christmas on
//! Tuesday 27. In Scotland 1 and 2 January move together: they are the first two weekdays on or
//! after 1 January (New Year's Day on Sunday: Monday 2 and Tuesday 3).
//!
//! Easter Sunday is found by the Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
//!
//! # The file format and its semantics
//!
//! Files are the published gov.uk `bank-holidays.json` format:
//!
//! ```json
//! {"england-and-wales": {"division": "england-and-wales",
//!     "events": [{"title": "Christmas Day", "date": "2026-12-25", "notes": "", "bunting": true}]},
//!  "scotland": {"division": "scotland", "events": []},
//!  "northern-ireland": {"division": "northern-ireland", "events": []}}
//! ```
//!
//! * For each division object, **every year it lists an event in replaces the holidays of that
//!   year in that division**; years it does not mention are kept. So a file must list all the
//!   holidays of a year it mentions, and dropping in the whole gov.uk file replaces exactly the
//!   years gov.uk publishes.
//! * A division object with `"extend": true` instead **adds** its events to what is there (a
//!   council's closure days between Christmas and New Year, say); nothing is removed.
//! * A division may be left out. An unknown division key, an unknown field in a division object
//!   (a misspelt `"extend"` must not silently replace whole years), a date that is not
//!   `YYYY-MM-DD` or falls outside [`COVERED_YEARS`], and JSON that does not parse are all errors
//!   naming the file, line, column and problem. `notes`, `bunting` and other event fields are
//!   ignored.
//! * Where two events share a date, the one already there (or listed first) keeps its title.
//!
//! # Covered years
//!
//! Every answer is for a date in [`COVERED_YEARS`]; outside them the functions return `None`
//! rather than guess. Results that would land after the last covered day are `None` too.
//!
//! Nothing here reads a clock or a file: the server reads `CONTINUUM_CALENDAR_FILE` and passes its
//! text to [`Calendar::with_file`].

mod file;
mod rules;

use std::collections::BTreeMap;
use std::fmt;
use std::ops::RangeInclusive;
use std::sync::{Arc, LazyLock};

use chrono::{Datelike, Days, NaiveDate};

pub use file::CalendarError;
pub use rules::easter_sunday;

use crate::uk_time::is_weekend;

/// The years the calendar answers for. The statutory rules are known for all of them; one-off
/// changes are known up to the time of writing (the shipped table) or the operator's file.
pub const COVERED_YEARS: RangeInclusive<i32> = 1995..=2100;

/// The day [`Calendar::working_day_number`] counts from: 1 January of the first covered year.
pub const EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(*COVERED_YEARS.start(), 1, 1) {
    Some(date) => date,
    None => panic!("the first covered year has a 1 January"),
};

/// The last covered day.
const LAST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(*COVERED_YEARS.end(), 12, 31) {
    Some(date) => date,
    None => panic!("the last covered year has a 31 December"),
};

/// The name the shipped table's errors would carry.
const ONE_OFF_FILE: &str = "calendar/one-off.json (shipped)";
/// The shipped table of years whose holidays differ from the rules.
const ONE_OFF_TABLE: &str = include_str!("calendar/one-off.json");

/// The three UK jurisdictions with their own bank holidays, as gov.uk divides them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Division {
    /// `"england-and-wales"`.
    EnglandAndWales,
    /// `"scotland"`.
    Scotland,
    /// `"northern-ireland"`.
    NorthernIreland,
}

impl Division {
    /// All three, in gov.uk's order.
    pub const ALL: [Division; 3] = [
        Division::EnglandAndWales,
        Division::Scotland,
        Division::NorthernIreland,
    ];

    /// The gov.uk key: `"england-and-wales"`, `"scotland"` or `"northern-ireland"`.
    pub fn as_key(self) -> &'static str {
        match self {
            Division::EnglandAndWales => "england-and-wales",
            Division::Scotland => "scotland",
            Division::NorthernIreland => "northern-ireland",
        }
    }

    /// The division of a gov.uk key; `None` for any other text.
    pub fn from_key(key: &str) -> Option<Division> {
        Division::ALL.into_iter().find(|d| d.as_key() == key)
    }

    fn index(self) -> usize {
        match self {
            Division::EnglandAndWales => 0,
            Division::Scotland => 1,
            Division::NorthernIreland => 2,
        }
    }
}

/// Writes the gov.uk key.
impl fmt::Display for Division {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_key())
    }
}

/// One division's holidays by date, as the layers are applied.
type Holidays = BTreeMap<NaiveDate, String>;

/// The UK working-day calendar, precomputed over [`COVERED_YEARS`] for the three divisions.
///
/// Cloning is cheap (the tables are shared). Every query is a binary search, O(log n) in the
/// number of holidays, except [`Calendar::holidays`] and [`Calendar::closed_dates`], which also
/// copy out their answer.
#[derive(Debug, Clone)]
pub struct Calendar {
    divisions: Arc<[DivisionDays; 3]>,
}

/// One division's holidays over the covered years.
#[derive(Debug)]
struct DivisionDays {
    /// Every holiday, sorted by date, one per date.
    holidays: Vec<(NaiveDate, Box<str>)>,
    /// The holidays that fall Monday to Friday, sorted: the days a working-day count skips. The
    /// number of them on or before a date is a binary search away.
    closures: Vec<NaiveDate>,
}

impl DivisionDays {
    fn new(holidays: Holidays) -> DivisionDays {
        let holidays: Vec<(NaiveDate, Box<str>)> = holidays
            .into_iter()
            .map(|(date, title)| (date, title.into_boxed_str()))
            .collect();
        let closures = holidays
            .iter()
            .map(|(date, _)| *date)
            .filter(|date| !is_weekend(*date))
            .collect();
        DivisionDays { holidays, closures }
    }

    fn to_holidays(&self) -> Holidays {
        self.holidays
            .iter()
            .map(|(date, title)| (*date, title.to_string()))
            .collect()
    }

    fn find(&self, date: NaiveDate) -> Option<&str> {
        let i = self.holidays.binary_search_by_key(&date, |h| h.0).ok()?;
        self.holidays.get(i).map(|(_, title)| &**title)
    }

    /// The index of the first holiday on or after `date`.
    fn holidays_from(&self, date: NaiveDate) -> usize {
        self.holidays.partition_point(|(d, _)| *d < date)
    }

    /// How many weekday holidays fall on or before `date`.
    fn closures_through(&self, date: NaiveDate) -> usize {
        self.closures.partition_point(|d| *d <= date)
    }
}

/// Built once per process by [`Calendar::uk`].
static UK: LazyLock<Calendar> = LazyLock::new(|| {
    let built = Calendar::from_rules().map(|rules| rules.with_file(ONE_OFF_FILE, ONE_OFF_TABLE));
    match built {
        Some(Ok(calendar)) => calendar,
        // Both are fixed at compile time, and the crate's tests build this calendar.
        Some(Err(error)) => panic!("the shipped one-off table is invalid: {error}"),
        None => panic!("the statutory holiday rules failed for a covered year"),
    }
});

impl Calendar {
    /// The UK calendar: the statutory rules with the shipped table of one-off changes.
    ///
    /// Built on first use (a few milliseconds), then shared: later calls clone an `Arc`.
    ///
    /// # Panics
    ///
    /// If the shipped table did not parse; it is fixed at compile time and the tests parse it.
    pub fn uk() -> Calendar {
        UK.clone()
    }

    /// The statutory rules alone, with no one-off changes. `None` only if a rule could not form
    /// a date, which does not happen for the covered years.
    fn from_rules() -> Option<Calendar> {
        let mut divisions: [Holidays; 3] = Default::default();
        for division in Division::ALL {
            for year in COVERED_YEARS {
                for (date, title) in rules::holidays(division, year)? {
                    divisions[division.index()].insert(date, title.to_owned());
                }
            }
        }
        Some(Calendar::from_holidays(divisions))
    }

    fn from_holidays(divisions: [Holidays; 3]) -> Calendar {
        Calendar {
            divisions: Arc::new(divisions.map(DivisionDays::new)),
        }
    }

    /// This calendar changed by a file in the gov.uk format (see the [module docs](self)): a
    /// division object replaces the years it lists, or with `"extend": true` adds its events.
    /// `file_name` only names the file in errors.
    pub fn with_file(self, file_name: &str, text: &str) -> Result<Calendar, CalendarError> {
        let changes = file::parse(file_name, text)?;
        let mut divisions = self.divisions.each_ref().map(DivisionDays::to_holidays);
        for change in changes {
            let holidays = &mut divisions[change.division.index()];
            change.apply(holidays);
        }
        Ok(Calendar::from_holidays(divisions))
    }

    fn division(&self, division: Division) -> &DivisionDays {
        &self.divisions[division.index()]
    }

    /// Whether `date` is a bank holiday (or an operator's closure) in `division`. `None` outside
    /// the covered years.
    pub fn is_holiday(&self, division: Division, date: NaiveDate) -> Option<bool> {
        covered(date)?;
        Some(self.division(division).find(date).is_some())
    }

    /// The title of the holiday on `date`, as gov.uk writes it (e.g. "Boxing Day", also on its
    /// substitute day). `None` if `date` is not a holiday or not covered.
    pub fn holiday_title(&self, division: Division, date: NaiveDate) -> Option<&str> {
        covered(date)?;
        self.division(division).find(date)
    }

    /// Whether `date` is a working day: Monday to Friday and not a holiday. `None` outside the
    /// covered years.
    pub fn is_working_day(&self, division: Division, date: NaiveDate) -> Option<bool> {
        Some(!is_weekend(date) && !self.is_holiday(division, date)?)
    }

    /// The number of working days from [`EPOCH`] up to and including `date`, so that the working
    /// days between two dates is the difference of their numbers (a deadline met on `met` is
    /// `number(met) - number(due)` working days late). A day that is not a working day has the
    /// number of the working day before it. `None` outside the covered years.
    pub fn working_day_number(&self, division: Division, date: NaiveDate) -> Option<i64> {
        covered(date)?;
        let closures = i64::try_from(self.division(division).closures_through(date)).ok()?;
        Some(weekdays_through(date) - closures)
    }

    /// The `n`-th working day after `date` (`date` itself when `n` is 0, working day or not).
    /// From a Friday, 1 working day is the next Monday unless that is a holiday. `None` if `date`
    /// or the answer is outside the covered years.
    pub fn add_working_days(
        &self,
        division: Division,
        date: NaiveDate,
        n: u32,
    ) -> Option<NaiveDate> {
        let start = self.working_day_number(division, date)?;
        if n == 0 {
            return Some(date);
        }
        let target = start + i64::from(n);
        if self.working_day_number(division, LAST_DAY)? < target {
            return None;
        }
        // Numbers never decrease and rise by one on each working day, so the first day whose
        // number reaches `target` is the answer. Invariant: number(low) < target <= number(high).
        let (mut low, mut high) = (date, LAST_DAY);
        while let Some(mid) = midpoint(low, high) {
            if self.working_day_number(division, mid)? >= target {
                high = mid;
            } else {
                low = mid;
            }
        }
        Some(high)
    }

    /// `date` if it is a working day, else the first working day after it. `None` outside the
    /// covered years.
    pub fn next_working_day_on_or_after(
        &self,
        division: Division,
        date: NaiveDate,
    ) -> Option<NaiveDate> {
        if self.is_working_day(division, date)? {
            Some(date)
        } else {
            self.add_working_days(division, date, 1)
        }
    }

    /// The holidays falling Monday to Friday in the `days` days from `from` (`[from, from + days)`),
    /// in date order: the days a service is closed besides weekends. Weekends are not listed.
    /// `None` unless the whole range is covered.
    pub fn closed_dates(
        &self,
        division: Division,
        from: NaiveDate,
        days: u32,
    ) -> Option<Vec<NaiveDate>> {
        covered(from)?;
        let Some(last_offset) = days.checked_sub(1) else {
            return Some(Vec::new());
        };
        let last = covered(from.checked_add_days(Days::new(u64::from(last_offset)))?)?;
        let closures = &self.division(division).closures;
        let start = closures.partition_point(|d| *d < from);
        let end = closures.partition_point(|d| *d <= last);
        closures.get(start..end).map(<[NaiveDate]>::to_vec)
    }

    /// The holidays of `year` in `division`, in date order, with their titles (weekend-dated
    /// entries from an operator's file included). `None` outside the covered years.
    pub fn holidays(&self, division: Division, year: i32) -> Option<Vec<(NaiveDate, String)>> {
        let first = covered(NaiveDate::from_ymd_opt(year, 1, 1)?)?;
        let next = NaiveDate::from_ymd_opt(year + 1, 1, 1)?;
        let days = self.division(division);
        let range = days.holidays_from(first)..days.holidays_from(next);
        let holidays = days.holidays.get(range)?;
        Some(
            holidays
                .iter()
                .map(|(date, title)| (*date, title.to_string()))
                .collect(),
        )
    }
}

/// `Some(date)` if `date` is in a covered year.
fn covered(date: NaiveDate) -> Option<NaiveDate> {
    COVERED_YEARS.contains(&date.year()).then_some(date)
}

/// The number of Mondays to Fridays in `[EPOCH, date]`; 0 before the epoch's first weekday.
fn weekdays_through(date: NaiveDate) -> i64 {
    // Counted from the Monday on or before the epoch, less the weekdays before the epoch.
    let monday = EPOCH - Days::new(u64::from(EPOCH.weekday().num_days_from_monday()));
    let before_epoch = i64::from(EPOCH.weekday().num_days_from_monday().min(5));
    let days = (date - monday).num_days() + 1;
    days / 7 * 5 + (days % 7).min(5) - before_epoch
}

/// The day halfway between `low` and `high`, if there is one strictly between them.
fn midpoint(low: NaiveDate, high: NaiveDate) -> Option<NaiveDate> {
    let gap = u64::try_from((high - low).num_days()).ok()?;
    if gap > 1 {
        low.checked_add_days(Days::new(gap / 2))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn division_keys_round_trip() {
        for division in Division::ALL {
            assert_eq!(Division::from_key(division.as_key()), Some(division));
            assert_eq!(division.to_string(), division.as_key());
        }
        assert_eq!(Division::from_key("wales"), None);
    }

    #[test]
    fn the_shipped_table_parses() {
        let rules = Calendar::from_rules().unwrap();
        rules.with_file(ONE_OFF_FILE, ONE_OFF_TABLE).unwrap();
    }

    #[test]
    fn weekdays_are_counted_from_the_epoch() {
        // 1995-01-01 is a Sunday: no weekdays yet; Monday 2 January is the first.
        assert_eq!(EPOCH, d("1995-01-01"));
        assert_eq!(weekdays_through(d("1995-01-01")), 0);
        assert_eq!(weekdays_through(d("1995-01-02")), 1);
        assert_eq!(weekdays_through(d("1995-01-06")), 5);
        assert_eq!(weekdays_through(d("1995-01-08")), 5);
        assert_eq!(weekdays_through(d("1995-01-09")), 6);
        let mut count = 0;
        let mut date = EPOCH;
        while date.year() < 1998 {
            if !is_weekend(date) {
                count += 1;
            }
            assert_eq!(weekdays_through(date), count, "{date}");
            date = date.succ_opt().unwrap();
        }
    }

    #[test]
    fn working_day_numbers_rise_on_working_days_only() {
        let calendar = Calendar::uk();
        for division in Division::ALL {
            let mut date = d("2019-12-01");
            let mut previous = calendar.working_day_number(division, date).unwrap();
            while date < d("2028-02-01") {
                date = date.succ_opt().unwrap();
                let number = calendar.working_day_number(division, date).unwrap();
                let working = calendar.is_working_day(division, date).unwrap();
                assert_eq!(number - previous, i64::from(working), "{division} {date}");
                previous = number;
            }
        }
    }

    #[test]
    fn add_working_days_agrees_with_counting_one_by_one() {
        let calendar = Calendar::uk();
        for division in Division::ALL {
            let mut from = d("2020-11-20");
            while from < d("2021-01-20") {
                let mut date = from;
                for n in 0..30 {
                    if n > 0 {
                        date = date.succ_opt().unwrap();
                        while !calendar.is_working_day(division, date).unwrap() {
                            date = date.succ_opt().unwrap();
                        }
                    }
                    assert_eq!(
                        calendar.add_working_days(division, from, n),
                        Some(date),
                        "{division} {from} + {n}"
                    );
                }
                from = from.succ_opt().unwrap();
            }
        }
    }

    #[test]
    fn the_edges_of_the_covered_years() {
        let calendar = Calendar::uk();
        let e = Division::EnglandAndWales;
        assert_eq!(calendar.working_day_number(e, d("1995-01-01")), Some(0));
        // Monday 2 January 1995 was the substitute for New Year's Day.
        assert_eq!(calendar.working_day_number(e, d("1995-01-02")), Some(0));
        assert_eq!(calendar.working_day_number(e, d("1995-01-03")), Some(1));
        assert_eq!(calendar.working_day_number(e, d("1994-12-31")), None);
        // Friday 31 December 2100 is the last covered working day.
        assert_eq!(
            calendar.add_working_days(e, d("2100-12-30"), 1),
            Some(d("2100-12-31"))
        );
        assert_eq!(calendar.add_working_days(e, d("2100-12-30"), 2), None);
        assert_eq!(calendar.add_working_days(e, d("2101-01-03"), 0), None);
        assert_eq!(
            calendar.next_working_day_on_or_after(e, d("2100-12-31")),
            Some(d("2100-12-31"))
        );
        assert_eq!(
            calendar
                .closed_dates(e, d("2100-12-01"), 31)
                .map(|v| v.len()),
            Some(2)
        );
        assert_eq!(calendar.closed_dates(e, d("2100-12-01"), 32), None);
        assert_eq!(calendar.closed_dates(e, d("2101-01-01"), 0), None);
        assert_eq!(calendar.closed_dates(e, d("2100-12-01"), 0), Some(vec![]));
    }
}
