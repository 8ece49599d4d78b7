//! The records the service stores, and how each maps to its row: [`Record`], implemented once
//! per record type (referral, case, meeting). A record's full content is the protobuf encoding
//! of its API message (with the etag left out); its queryable fields are columns beside it; its
//! version is its etag.

use std::future::Future;

use chrono::{DateTime, Utc};
use continuum_domain::{Violations, names};
use continuum_storage::Store;
use continuum_storage::{
    self as storage, Row, Stored, agenda_item, case, deadline, meeting, referral,
};
use prost::Message;

use super::common::{decode, etag, own};
use super::tracking::{WorkingDays, late_time};
use crate::auth::Caller;
use crate::convert::from_timestamp;
use crate::error::ApiError;
use crate::pb::{self, AgendaItemState, CaseStatus, DeadlineState, MeetingState, ReferralStatus};

/// A stored record type.
pub(crate) trait Record: Message + Default + Clone + Send + Sync + 'static {
    /// Its parsed resource name.
    type Name: Send + Sync;
    /// What the event stream calls it ("case": "case.created", "case.updated").
    const KIND: &'static str;

    /// Its resource name.
    fn resource_name(&self) -> &str;
    /// It, as an event's payload.
    fn into_payload(self) -> pb::event::Payload;

    fn parse_name(field: &str, name: &str) -> Result<Self::Name, Violations>;
    fn authority(name: &Self::Name) -> &str;
    /// The stored record, if any.
    fn find(
        store: &Store,
        name: &Self::Name,
    ) -> impl Future<Output = Result<Option<Stored>, storage::StorageError>> + Send;
    fn set_etag(&mut self, etag: String);
    /// The row holding this record at `version`, written at `now`: `body` is its encoding.
    /// (A replaced row keeps its creation time: updates do not write it.)
    fn to_row(&self, body: Vec<u8>, version: i64, now: DateTime<Utc>) -> Result<Row, ApiError>;

    /// Rows kept beside the record for queries across records (a case's deadlines), written in
    /// the same change set: those new since `before` (`true`) or changed (`false`).
    fn index_rows(
        &self,
        _before: Option<&Self>,
        _days: Option<&WorkingDays>,
    ) -> Result<Vec<(Row, bool)>, ApiError> {
        Ok(Vec::new())
    }
}

/// A record as read, with what it was read from.
#[derive(Debug, Clone)]
pub(crate) struct Loaded<R: Record> {
    pub record: R,
    pub row: Stored,
}

impl<R: Record> Loaded<R> {
    pub fn version(&self) -> i64 {
        self.row.version
    }
}

/// The message of a stored record, with its etag.
pub(crate) fn from_row<R: Record>(row: &Stored) -> Result<R, ApiError> {
    let mut record: R = decode(&row.body)?;
    record.set_etag(etag(row.version));
    Ok(record)
}

/// Read the record `name` (in `field`) that belongs to the caller's authority; NOT_FOUND
/// otherwise, worded the same whether it is missing or another authority's.
pub(crate) async fn load<R: Record>(
    store: &Store,
    caller: &Caller,
    field: &str,
    name: &str,
) -> Result<Loaded<R>, ApiError> {
    let parsed = R::parse_name(field, name)?;
    own(caller, R::authority(&parsed), name)?;
    let row = R::find(store, &parsed)
        .await?
        .ok_or_else(|| ApiError::NotFound(name.to_owned()))?;
    Ok(Loaded {
        record: from_row::<R>(&row)?,
        row,
    })
}

/// A record again by the name a served request produced (the answer to its retry).
pub(crate) async fn reload<R: Record>(
    state: &crate::AppState,
    ctx: &crate::state::Ctx,
    name: &str,
) -> Result<R, ApiError> {
    Ok(load::<R>(state.store(), &ctx.caller, "name", name)
        .await?
        .record)
}

/// A timestamp field that a record always has once written.
fn required_time(
    field: &str,
    value: Option<&prost_types::Timestamp>,
) -> Result<DateTime<Utc>, ApiError> {
    from_timestamp(field, value)?
        .ok_or_else(|| ApiError::Internal(format!("a record to store has no {field}")))
}

/// The status column's value: the enum value's name less its prefix ("OPEN", "DECIDED").
pub(crate) fn status_column(name: &str, prefix: &str) -> String {
    name.trim_start_matches(prefix).to_owned()
}

impl Record for pb::Referral {
    type Name = names::ReferralName;
    const KIND: &'static str = "referral";

    fn resource_name(&self) -> &str {
        &self.name
    }
    fn into_payload(self) -> pb::event::Payload {
        pb::event::Payload::Referral(self)
    }

    fn parse_name(field: &str, name: &str) -> Result<Self::Name, Violations> {
        names::parse_referral(field, name)
    }
    fn authority(name: &Self::Name) -> &str {
        &name.authority
    }
    async fn find(
        store: &Store,
        name: &Self::Name,
    ) -> Result<Option<Stored>, storage::StorageError> {
        storage::get_referral(store, &name.authority, &name.id).await
    }
    fn set_etag(&mut self, etag: String) {
        self.etag = etag;
    }
    fn to_row(&self, body: Vec<u8>, version: i64, now: DateTime<Utc>) -> Result<Row, ApiError> {
        let name = names::parse_referral("name", &self.name)?;
        let status = ReferralStatus::try_from(self.status).unwrap_or(ReferralStatus::Unspecified);
        let child = self.child.as_ref();
        Ok(Row::Referral(referral::Model {
            id: name.id,
            authority_code: name.authority,
            status: status_column(status.as_str_name(), "REFERRAL_STATUS_"),
            received_at: required_time("receive_time", self.receive_time.as_ref())?,
            child_nhs_number: child
                .map(|c| c.nhs_number.clone())
                .filter(|n| !n.is_empty()),
            child_key: child.and_then(child_key),
            version,
            body,
            created_at: now,
            updated_at: now,
        }))
    }
}

impl Record for pb::Case {
    type Name = names::CaseName;
    const KIND: &'static str = "case";

    fn resource_name(&self) -> &str {
        &self.name
    }
    fn into_payload(self) -> pb::event::Payload {
        pb::event::Payload::Case(self)
    }

    fn parse_name(field: &str, name: &str) -> Result<Self::Name, Violations> {
        names::parse_case(field, name)
    }
    fn authority(name: &Self::Name) -> &str {
        &name.authority
    }
    async fn find(
        store: &Store,
        name: &Self::Name,
    ) -> Result<Option<Stored>, storage::StorageError> {
        storage::get_case(store, &name.authority, &name.id).await
    }
    fn set_etag(&mut self, etag: String) {
        self.etag = etag;
    }
    fn to_row(&self, body: Vec<u8>, version: i64, now: DateTime<Utc>) -> Result<Row, ApiError> {
        let name = names::parse_case("name", &self.name)?;
        let referral_id = match self.referral.as_str() {
            "" => None,
            referral => Some(names::parse_referral("referral", referral)?.id),
        };
        let status = CaseStatus::try_from(self.status).unwrap_or(CaseStatus::Unspecified);
        Ok(Row::Case(case::Model {
            id: name.id,
            authority_code: name.authority,
            referral_id,
            status: status_column(status.as_str_name(), "CASE_STATUS_"),
            level: self.level.clone(),
            allocated_worker: self.allocated_worker.as_ref().map(|w| w.name.clone()),
            version,
            body,
            opened_at: required_time("open_time", self.open_time.as_ref())?,
            updated_at: now,
        }))
    }

    fn index_rows(
        &self,
        before: Option<&Self>,
        days: Option<&WorkingDays>,
    ) -> Result<Vec<(Row, bool)>, ApiError> {
        let mut rows = Vec::new();
        for d in self.deadlines.iter().filter(|d| !d.name.is_empty()) {
            let was = before.and_then(|b| b.deadlines.iter().find(|x| x.name == d.name));
            if was == Some(d) {
                continue;
            }
            let days = days
                .ok_or_else(|| ApiError::Internal("no calendar for the case's authority".into()))?;
            rows.push((deadline_row(self, d, days)?, was.is_none()));
        }
        Ok(rows)
    }
}

/// A case's deadline as its index row.
fn deadline_row(
    case: &pb::Case,
    d: &pb::DeadlineRecord,
    days: &WorkingDays,
) -> Result<Row, ApiError> {
    let name = names::parse_case("name", &case.name)?;
    let id = d
        .name
        .rsplit_once("/deadlines/")
        .map(|(_, id)| id.to_owned())
        .ok_or_else(|| ApiError::Internal(format!("deadline name {:?}", d.name)))?;
    let due = required_time("due_time", d.due_time.as_ref())?;
    let late = late_time(d).unwrap_or(due);
    let met = from_timestamp("met_time", d.met_time.as_ref())?;
    let state = DeadlineState::try_from(d.state).unwrap_or(DeadlineState::Pending);
    Ok(Row::Deadline(deadline::Model {
        id,
        authority_code: name.authority,
        case_id: name.id,
        code: d.code.clone(),
        level: d.level.clone(),
        allocated_worker: Some(d.allocated_worker.clone()).filter(|w| !w.is_empty()),
        state: status_column(state.as_str_name(), "DEADLINE_STATE_"),
        due_at: due.timestamp_millis(),
        late_at: late.timestamp_millis(),
        late_day: days.number(late)?,
        met_at: met.map(|t| t.timestamp_millis()),
        met_day: met.map(|t| days.number(t)).transpose()?,
        body: d.encode_to_vec(),
    }))
}

impl Record for pb::Meeting {
    type Name = names::MeetingName;
    const KIND: &'static str = "meeting";

    fn resource_name(&self) -> &str {
        &self.name
    }
    fn into_payload(self) -> pb::event::Payload {
        pb::event::Payload::Meeting(self)
    }

    fn parse_name(field: &str, name: &str) -> Result<Self::Name, Violations> {
        names::parse_meeting(field, name)
    }
    fn authority(name: &Self::Name) -> &str {
        &name.authority
    }
    async fn find(
        store: &Store,
        name: &Self::Name,
    ) -> Result<Option<Stored>, storage::StorageError> {
        storage::get_meeting(store, &name.authority, &name.case_id, &name.id).await
    }
    fn set_etag(&mut self, etag: String) {
        self.etag = etag;
    }
    fn to_row(&self, body: Vec<u8>, version: i64, now: DateTime<Utc>) -> Result<Row, ApiError> {
        let name = names::parse_meeting("name", &self.name)?;
        Ok(Row::Meeting(meeting::Model {
            id: name.id,
            authority_code: name.authority,
            case_id: name.case_id,
            version,
            body,
            created_at: now,
        }))
    }
}

impl Record for pb::AgendaItem {
    type Name = names::AgendaItemName;
    const KIND: &'static str = "agenda_item";

    fn resource_name(&self) -> &str {
        &self.name
    }
    fn into_payload(self) -> pb::event::Payload {
        pb::event::Payload::AgendaItem(self)
    }

    fn parse_name(field: &str, name: &str) -> Result<Self::Name, Violations> {
        names::parse_agenda_item(field, name)
    }
    fn authority(name: &Self::Name) -> &str {
        &name.authority
    }
    async fn find(
        store: &Store,
        name: &Self::Name,
    ) -> Result<Option<Stored>, storage::StorageError> {
        storage::get_agenda_item(store, &name.authority, &name.panel, &name.id).await
    }
    fn set_etag(&mut self, etag: String) {
        self.etag = etag;
    }
    fn to_row(&self, body: Vec<u8>, version: i64, _now: DateTime<Utc>) -> Result<Row, ApiError> {
        let name = names::parse_agenda_item("name", &self.name)?;
        let state = AgendaItemState::try_from(self.state).unwrap_or(AgendaItemState::Queued);
        Ok(Row::AgendaItem(agenda_item::Model {
            id: name.id,
            authority_code: name.authority,
            panel_code: name.panel,
            sitting_date: self.sitting_date.clone(),
            state: status_column(state.as_str_name(), "AGENDA_ITEM_STATE_"),
            subject: self.subject.clone(),
            version,
            body,
        }))
    }
}

/// The kinds of the meetings held on a case so far (for rules such as "a final meeting before
/// closure").
pub(crate) async fn meetings_held(
    store: &Store,
    authority: &str,
    case_id: &str,
) -> Result<Vec<i32>, ApiError> {
    let rows = storage::list_meetings(store, authority, case_id, None, 10_000).await?;
    let mut held = Vec::new();
    for row in rows {
        let meeting: pb::Meeting = decode(&row.body)?;
        if is_held(&meeting) {
            held.push(meeting.kind);
        }
    }
    Ok(held)
}

/// How a child without an NHS number is known again: exact given name, family name and date of
/// birth (trimmed, case-insensitive); `None` without a date of birth.
pub(crate) fn child_key(child: &pb::Child) -> Option<String> {
    (!child.date_of_birth.is_empty()).then(|| {
        format!(
            "{}|{}|{}",
            child.given_name.trim().to_lowercase(),
            child.family_name.trim().to_lowercase(),
            child.date_of_birth
        )
    })
}

/// Whether a meeting has been held (its outcome recorded).
pub(crate) fn is_held(meeting: &pb::Meeting) -> bool {
    meeting.state == MeetingState::Held as i32
}
