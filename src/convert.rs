//! Small conversions between wire and domain values.

use chrono::{DateTime, NaiveDate, Utc};
use continuum_domain::Violations;
use continuum_domain::deadline::Unit;
use continuum_plugin_api::pb::TimeUnit;
use prost_types::Timestamp;

pub fn timestamp(at: DateTime<Utc>) -> Timestamp {
    Timestamp {
        seconds: at.timestamp(),
        nanos: at.timestamp_subsec_nanos() as i32,
    }
}

/// A stored record's instant; `None` when unset or out of range (stored instants were checked
/// on the way in).
pub fn instant(ts: Option<&Timestamp>) -> Option<DateTime<Utc>> {
    ts.and_then(|t| DateTime::from_timestamp(t.seconds, t.nanos.max(0) as u32))
}

/// A required or optional timestamp field; `None` when unset.
pub fn from_timestamp(
    field: &str,
    ts: Option<&Timestamp>,
) -> Result<Option<DateTime<Utc>>, Violations> {
    match ts {
        None => Ok(None),
        Some(ts) => DateTime::from_timestamp(ts.seconds, ts.nanos.max(0) as u32)
            .map(Some)
            .ok_or_else(|| Violations::one(field, "is not a valid timestamp")),
    }
}

/// A "YYYY-MM-DD" date field; `None` when empty.
pub fn date(field: &str, value: &str, violations: &mut Violations) -> Option<NaiveDate> {
    if value.is_empty() {
        return None;
    }
    // Strict ISO 8601: four-digit year, two-digit month and day, no sign ("2017-3-4" and
    // "+2017-03-04" are refused, though chrono alone would read them).
    let shape = value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        Ok(d) if shape => Some(d),
        _ => {
            violations.add(
                field,
                format!("{value:?} is not a date of the form YYYY-MM-DD"),
            );
            None
        }
    }
}

pub fn unit(unit: i32) -> Option<Unit> {
    match TimeUnit::try_from(unit).ok()? {
        TimeUnit::Hours => Some(Unit::Hours),
        TimeUnit::WorkingDays => Some(Unit::WorkingDays),
        TimeUnit::CalendarDays => Some(Unit::CalendarDays),
        TimeUnit::Weeks => Some(Unit::Weeks),
        TimeUnit::Months => Some(Unit::Months),
        TimeUnit::Unspecified => None,
    }
}
