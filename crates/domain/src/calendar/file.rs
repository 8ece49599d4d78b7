//! Reading a calendar file in the gov.uk `bank-holidays.json` format (see the
//! [calendar docs](super) for the semantics).
//!
//! Every check that can fail is made while serde_json reads the text, so that its error carries
//! the line and column: the division keys, the `division` field, each date and its year.

use std::collections::BTreeSet;
use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

use super::{COVERED_YEARS, Division, Holidays};

/// A calendar file that cannot be used: it is not JSON, not the gov.uk format, names an unknown
/// division, or has a bad or uncovered date. Shown as
/// `calendar file NAME, line L, column C: PROBLEM`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("calendar file {file}, line {line}, column {column}: {message}")]
pub struct CalendarError {
    /// The name the caller gave the file.
    pub file: String,
    /// The 1-based line where the problem was found.
    pub line: usize,
    /// The 1-based column where the problem was found.
    pub column: usize,
    /// The problem, e.g. `invalid date "2026-02-30": expected an existing YYYY-MM-DD date`.
    pub message: String,
}

impl CalendarError {
    fn from_json(file: &str, error: &serde_json::Error) -> CalendarError {
        // serde_json's message ends with its position; the position has fields of its own here.
        let full = error.to_string();
        let position = format!(" at line {} column {}", error.line(), error.column());
        CalendarError {
            file: file.to_owned(),
            line: error.line(),
            column: error.column(),
            message: full.strip_suffix(&position).unwrap_or(&full).to_owned(),
        }
    }
}

/// What a file says about one division.
pub(super) struct DivisionChange {
    pub(super) division: Division,
    /// Add the events rather than replace the years they fall in.
    extend: bool,
    /// Date and title, in the file's order.
    events: Vec<(NaiveDate, String)>,
}

impl DivisionChange {
    /// Applies this change to a division's holidays: replaces every year the events fall in, or
    /// with `extend` adds them. A date already present keeps its first title.
    pub(super) fn apply(self, holidays: &mut Holidays) {
        if !self.extend {
            let years: BTreeSet<i32> = self.events.iter().map(|(date, _)| date.year()).collect();
            holidays.retain(|date, _| !years.contains(&date.year()));
        }
        for (date, title) in self.events {
            holidays.entry(date).or_insert(title);
        }
    }
}

/// Reads a calendar file: one change per division it lists, in the file's order.
pub(super) fn parse(file_name: &str, text: &str) -> Result<Vec<DivisionChange>, CalendarError> {
    serde_json::from_str::<CalendarFile>(text)
        .map(|file| file.0)
        .map_err(|error| CalendarError::from_json(file_name, &error))
}

/// The whole file: an object keyed by division.
struct CalendarFile(Vec<DivisionChange>);

impl<'de> Deserialize<'de> for CalendarFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(CalendarFileVisitor)
    }
}

struct CalendarFileVisitor;

impl<'de> Visitor<'de> for CalendarFileVisitor {
    type Value = CalendarFile;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(r#"an object keyed by "england-and-wales", "scotland" or "northern-ireland""#)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CalendarFile, A::Error> {
        let mut changes: Vec<DivisionChange> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let Some(division) = Division::from_key(&key) else {
                return Err(de::Error::custom(format_args!(
                    r#"unknown division "{key}": expected "england-and-wales", "scotland" or "northern-ireland""#
                )));
            };
            if changes.iter().any(|c| c.division == division) {
                return Err(de::Error::custom(format_args!(
                    r#"division "{key}" is listed twice"#
                )));
            }
            let body: DivisionObject = map.next_value()?;
            if let Some(named) = &body.division
                && named != &key
            {
                return Err(de::Error::custom(format_args!(
                    r#"the "{key}" object says "division": "{named}""#
                )));
            }
            changes.push(DivisionChange {
                division,
                extend: body.extend,
                events: body
                    .events
                    .into_iter()
                    .map(|event| (event.date.0, event.title))
                    .collect(),
            });
        }
        Ok(CalendarFile(changes))
    }
}

/// A division's object. Unknown fields are refused: a misspelt `extend` would otherwise turn
/// local closures into a replacement of whole years.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DivisionObject {
    /// gov.uk repeats the key here; if present it must match.
    #[serde(default)]
    division: Option<String>,
    #[serde(default)]
    extend: bool,
    events: Vec<Event>,
}

/// One holiday. gov.uk's `notes` and `bunting`, and any other field, are ignored.
#[derive(serde::Deserialize)]
struct Event {
    title: String,
    date: EventDate,
}

/// A `YYYY-MM-DD` date in a covered year.
struct EventDate(NaiveDate);

impl<'de> Deserialize<'de> for EventDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let Some(date) = parse_date(&text) else {
            return Err(de::Error::custom(format_args!(
                r#"invalid date "{text}": expected an existing YYYY-MM-DD date"#
            )));
        };
        if !COVERED_YEARS.contains(&date.year()) {
            return Err(de::Error::custom(format_args!(
                "date {text} is outside the covered years {}-{}",
                COVERED_YEARS.start(),
                COVERED_YEARS.end()
            )));
        }
        Ok(EventDate(date))
    }
}

/// Exactly `YYYY-MM-DD`, with every digit, naming a day that exists.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let shape_ok = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_exact() {
        assert_eq!(
            parse_date("2026-12-25"),
            NaiveDate::from_ymd_opt(2026, 12, 25)
        );
        for bad in [
            "2026-2-01",
            "2026-02-1 ",
            "2026/02/01",
            "2026-02-30",
            "26-02-01",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }
}
