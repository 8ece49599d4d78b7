//! Helpers every service module uses: ownership of names, history events, and pages.

use chrono::{DateTime, NaiveDate, Utc};
use continuum_domain::{Violations, names, page, uk_time};
use continuum_plugin_api::pb::{AuthorityDescription, ChildAge};
use continuum_storage as storage;
use prost::Message;

use crate::auth::Caller;
use crate::convert::timestamp;
use crate::error::ApiError;
use crate::pb;

/// NOT_FOUND unless the record belongs to the caller's authority: another authority's record
/// answers exactly as a missing one.
pub(super) fn own(caller: &Caller, authority: &str, name: &str) -> Result<(), ApiError> {
    if caller.authority == authority {
        Ok(())
    } else {
        Err(ApiError::NotFound(name.to_owned()))
    }
}

/// The caller's authority named by a `parent` field (`authorities/{code}`).
pub(super) fn parent_authority(
    caller: &Caller,
    field: &str,
    parent: &str,
) -> Result<String, ApiError> {
    let name = names::parse_authority(field, parent)?;
    own(caller, &name.authority, parent)?;
    Ok(name.authority)
}

/// A record's etag: its version.
pub(super) fn etag(version: i64) -> String {
    format!("v{version}")
}

pub(super) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub(super) fn decode<M: Message + Default>(bytes: &[u8]) -> Result<M, ApiError> {
    M::decode(bytes)
        .map_err(|e| ApiError::Internal(format!("a stored record does not decode: {e}")))
}

pub(super) fn plugin_ref(d: &AuthorityDescription) -> pb::PluginRef {
    pb::PluginRef {
        name: d.plugin_name.clone(),
        version: d.plugin_version.clone(),
    }
}

/// The UK civil date at `now`.
pub(super) fn today(now: DateTime<Utc>) -> NaiveDate {
    uk_time::to_local(now).date()
}

/// FAILED_PRECONDITION unless the case is open.
pub(super) fn require_open(case: &pb::Case) -> Result<(), ApiError> {
    if case.status == pb::CaseStatus::Closed as i32 {
        return Err(ApiError::precondition(
            "the case is closed",
            "STATE",
            "case status is CLOSED",
        ));
    }
    Ok(())
}

/// A history event of `kind` about `subject`, by the caller, at `at`.
pub(super) fn event(
    kind: &str,
    subject: &str,
    caller: &Caller,
    at: DateTime<Utc>,
    summary: String,
) -> pb::CaseEvent {
    pb::CaseEvent {
        kind: kind.to_owned(),
        subject: subject.to_owned(),
        actor: caller.actor(),
        occur_time: Some(timestamp(at)),
        summary,
        ..Default::default()
    }
}

/// An enum value's name as words: `REFERRAL_OUTCOME_OPEN_CASE` less `prefix` → "open case".
pub(super) fn label(name: &str, prefix: &str) -> String {
    name.trim_start_matches(prefix)
        .to_lowercase()
        .replace('_', " ")
}

/// The child's age as the thresholds want it, on `today`.
pub(super) fn child_age(child: Option<&pb::Child>, today: NaiveDate) -> Option<ChildAge> {
    let child = child?;
    if let Ok(dob) = NaiveDate::parse_from_str(&child.date_of_birth, "%Y-%m-%d") {
        let years = today.years_since(dob).unwrap_or(0);
        return Some(ChildAge {
            years,
            looked_after: child.looked_after,
            learning_difficulty_or_disability: child.learning_difficulty_or_disability,
            ..Default::default()
        });
    }
    let edd = NaiveDate::parse_from_str(&child.expected_date_of_delivery, "%Y-%m-%d").ok()?;
    let weeks_to_go = (edd - today).num_weeks().clamp(0, 40);
    Some(ChildAge {
        unborn: true,
        gestation_weeks: (40 - weeks_to_go) as u32,
        ..Default::default()
    })
}

/// The most bytes of stored records one page of a list returns (past its first record).
pub(super) const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;

/// How many bytes a stored row brings to an answer.
pub(super) trait RowBytes {
    fn bytes(&self) -> usize;
}

impl RowBytes for storage::Stored {
    fn bytes(&self) -> usize {
        self.body.len()
    }
}

impl RowBytes for storage::StoredEvent {
    fn bytes(&self) -> usize {
        self.body.len()
    }
}

impl RowBytes for storage::StoredDeadline {
    fn bytes(&self) -> usize {
        self.body.len()
    }
}

impl RowBytes for storage::audit_event::Model {
    fn bytes(&self) -> usize {
        self.returned.len() + self.resource.len() + self.subject.len() + 200
    }
}

/// A list request's page: its size, the key to resume after, and the filter its token is for.
pub(super) struct PageRequest {
    pub size: u64,
    pub after: Option<String>,
    filter: String,
}

impl PageRequest {
    /// Read `page_size` and `page_token`, adding any violation to `v`.
    pub fn read(page_size: i32, page_token: &str, filter: &str, v: &mut Violations) -> PageRequest {
        let size = page::page_size(page_size).unwrap_or_else(|e| {
            v.0.extend(e.0);
            page::DEFAULT_PAGE_SIZE
        });
        let after = page::decode_token(page_token, filter).unwrap_or_else(|e| {
            v.0.extend(e.0);
            None
        });
        PageRequest {
            size,
            after,
            filter: filter.to_owned(),
        }
    }

    /// How many rows to fetch: one more than the page, to learn whether another page follows.
    pub fn limit(&self) -> u64 {
        self.size + 1
    }

    /// This page's rows and the token for the next page ("" on the last page). A page holds
    /// at most `page_size` rows and, past its first row, at most [`MAX_PAGE_BYTES`] of them, so
    /// an answer stays well within a standard client's 4 MB message limit.
    pub fn finish<R: RowBytes>(
        &self,
        mut rows: Vec<R>,
        key: impl Fn(&R) -> String,
    ) -> (Vec<R>, String) {
        let mut keep = rows.len().min(self.size as usize);
        let mut bytes = 0;
        for (i, row) in rows.iter().take(keep).enumerate() {
            bytes += row.bytes();
            if i > 0 && bytes > MAX_PAGE_BYTES {
                keep = i;
                break;
            }
        }
        let more = rows.len() > keep;
        rows.truncate(keep);
        let next = match (more, rows.last()) {
            (true, Some(last)) => page::encode_token(&key(last), &self.filter),
            _ => String::new(),
        };
        (rows, next)
    }
}

/// What an event cursor is valid for: one authority's stream.
fn event_scope(authority: &str) -> String {
    format!("events|{authority}")
}

pub(super) fn event_cursor(authority: &str, seq: i64) -> String {
    page::encode_token(&seq.to_string(), &event_scope(authority))
}

/// The sequence number a cursor (in `field`) stands for; 0 for none.
pub(super) fn event_after(authority: &str, field: &str, value: &str) -> Result<i64, Violations> {
    let Some(key) = page::decode_token(value, &event_scope(authority)).map_err(|mut v| {
        for f in &mut v.0 {
            f.field = field.to_owned();
        }
        v
    })?
    else {
        return Ok(0);
    };
    key.parse::<i64>()
        .ok()
        .filter(|seq| *seq >= 0)
        .ok_or_else(|| Violations::one(field, "is not a cursor this service issued"))
}
