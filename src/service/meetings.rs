//! MeetingService: the team around the family meets, reviews, and decides.

use chrono::{Duration, Utc};
use continuum_domain::{Violations, names};
use continuum_plugin_api::pb::{CaseEvent as PluginCaseEvent, MeetingKind};
use continuum_storage::{self as storage, meeting};
use prost::Message;

use super::{
    PageRequest, decode, event, new_id, own, plugin_ref, record, remember, replay, request_hash,
    start_deadlines, validate_request_id,
};
use crate::AppState;
use crate::auth::Caller;
use crate::convert::{date, from_timestamp, timestamp};
use crate::error::ApiError;
use crate::pb::{self, CaseStatus, MeetingOutcome, MeetingState};

fn kind_label(kind: i32) -> String {
    MeetingKind::try_from(kind)
        .map(|k| {
            k.as_str_name()
                .trim_start_matches("MEETING_KIND_")
                .to_lowercase()
                .replace('_', " ")
        })
        .unwrap_or_default()
}

pub async fn schedule(
    state: &AppState,
    caller: Caller,
    mut r: pb::ScheduleMeetingRequest,
) -> Result<pb::Meeting, ApiError> {
    caller.require_write()?;
    let n = names::parse_case("parent", &r.parent)?;
    own(&caller, &n.authority, &r.parent)?;
    let mut v = Violations::new();
    validate_request_id(&r.request_id, &mut v);
    match &r.meeting {
        None => v.add("meeting", "is required"),
        Some(m) => {
            v.check(
                matches!(MeetingKind::try_from(m.kind), Ok(k) if k != MeetingKind::Unspecified),
                "meeting.kind",
                "is required: team meeting, review, step-down meeting, final meeting, ...",
            );
            match from_timestamp("meeting.schedule_time", m.schedule_time.as_ref()) {
                Ok(Some(_)) => {}
                Ok(None) => v.add("meeting.schedule_time", "is required"),
                Err(e) => v.0.extend(e.0),
            }
            for (i, who) in m.invitees.iter().enumerate() {
                v.require(who, format!("meeting.invitees[{i}]"));
            }
        }
    }
    v.into_result()?;
    let request_id = std::mem::take(&mut r.request_id);
    let hash = request_hash(&r);

    let txn = state.store().begin_write().await?;
    if let Some(name) = replay(&*txn, &caller, &request_id, "ScheduleMeeting", &hash).await? {
        let m = names::parse_meeting("name", &name)?;
        let row = storage::get_meeting(&*txn, &m.authority, &m.case_id, &m.id)
            .await?
            .ok_or(ApiError::NotFound(name))?;
        return decode(&row.body);
    }
    let case_row = storage::get_case(&*txn, &n.authority, &n.id)
        .await?
        .ok_or_else(|| ApiError::NotFound(r.parent.clone()))?;
    if case_row.status == "CLOSED" {
        return Err(ApiError::precondition(
            "the case is closed",
            "STATE",
            "case status is CLOSED",
        ));
    }
    let now = Utc::now();
    let id = new_id();
    let name = names::meeting(&n.authority, &n.id, &id);
    let meeting = pb::Meeting {
        name: name.clone(),
        state: MeetingState::Scheduled as i32,
        held_time: None,
        attendees: vec![],
        outcome: MeetingOutcome::Unspecified as i32,
        ..r.meeting.clone().unwrap_or_default()
    };
    storage::insert_meeting(
        &*txn,
        meeting::Model {
            id: id.clone(),
            authority_code: n.authority.clone(),
            case_id: n.id.clone(),
            body: meeting.encode_to_vec(),
            created_at: now,
        },
    )
    .await?;
    let e = event(
        "meeting.scheduled",
        &name,
        &caller,
        now,
        format!(
            "{} scheduled, {} invited",
            kind_label(meeting.kind),
            meeting.invitees.len()
        ),
    );
    record(
        &*txn,
        &n.authority,
        case_row.referral_id.as_deref(),
        Some(&n.id),
        e,
        now,
    )
    .await?;
    remember(
        &*txn,
        &caller,
        &request_id,
        "ScheduleMeeting",
        &hash,
        &name,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(meeting)
}

pub async fn record_outcome(
    state: &AppState,
    caller: Caller,
    r: pb::RecordMeetingOutcomeRequest,
) -> Result<pb::Meeting, ApiError> {
    caller.require_write()?;
    let n = names::parse_meeting("name", &r.name)?;
    own(&caller, &n.authority, &r.name)?;
    let plugin = state.authority(&n.authority)?.clone();
    let now = Utc::now();
    let mut v = Violations::new();
    let held = match from_timestamp("held_time", r.held_time.as_ref()) {
        Ok(Some(t)) => {
            v.check(
                t <= now + Duration::minutes(5),
                "held_time",
                "is in the future: record the outcome after the meeting",
            );
            t
        }
        Ok(None) => {
            v.add("held_time", "is required");
            now
        }
        Err(e) => {
            v.0.extend(e.0);
            now
        }
    };
    v.check(
        !r.attendees.is_empty(),
        "attendees",
        "who attended is required",
    );
    for (i, who) in r.attendees.iter().enumerate() {
        v.require(who, format!("attendees[{i}]"));
    }
    let outcome = MeetingOutcome::try_from(r.outcome).unwrap_or(MeetingOutcome::Unspecified);
    v.check(
        outcome != MeetingOutcome::Unspecified,
        "outcome",
        "is required",
    );
    date("next_review_date", &r.next_review_date, &mut v);
    v.into_result()?;

    let txn = state.store().begin_write().await?;
    let row = storage::get_meeting(&*txn, &n.authority, &n.case_id, &n.id)
        .await?
        .ok_or_else(|| ApiError::NotFound(r.name.clone()))?;
    let mut meeting: pb::Meeting = decode(&row.body)?;
    if meeting.state == MeetingState::Held as i32 {
        return Err(ApiError::precondition(
            "the meeting's outcome is already recorded",
            "STATE",
            "meeting state is HELD",
        ));
    }
    let case_row = storage::get_case(&*txn, &n.authority, &n.case_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(r.name.clone()))?;
    let mut case = super::cases::from_row(&case_row)?;
    meeting.state = MeetingState::Held as i32;
    meeting.held_time = Some(timestamp(held));
    meeting.attendees = r.attendees.clone();
    meeting.outcome = outcome as i32;
    meeting.next_review_date = r.next_review_date.clone();
    meeting.notes = r.notes.clone();
    storage::update_meeting_body(
        &*txn,
        &meeting::Model {
            body: meeting.encode_to_vec(),
            ..row.clone()
        },
    )
    .await?;

    // A team meeting or review starts the authority's next timescales on the case.
    let case_event = match MeetingKind::try_from(meeting.kind) {
        Ok(MeetingKind::TeamMeeting) => Some(PluginCaseEvent::TeamMeetingHeld),
        Ok(MeetingKind::Review) => Some(PluginCaseEvent::ReviewHeld),
        _ => None,
    };
    if let Some(case_event) = case_event.filter(|_| case.status == CaseStatus::Open as i32)
        && start_deadlines(&mut case, &plugin, case_event, held)? > 0
    {
        case.update_time = Some(timestamp(now));
        case.etag = String::new();
        let updated = continuum_storage::case::Model {
            body: case.encode_to_vec(),
            updated_at: now,
            ..case_row.clone()
        };
        if !storage::update_case(&*txn, &updated, case_row.version).await? {
            return Err(ApiError::Aborted(
                "the case changed while the meeting was being recorded; retry".into(),
            ));
        }
    }
    let outcome_label = outcome
        .as_str_name()
        .trim_start_matches("MEETING_OUTCOME_")
        .to_lowercase()
        .replace('_', " ");
    let mut e = event(
        "meeting.held",
        &r.name,
        &caller,
        now,
        format!(
            "{} held with {} attending; outcome: {outcome_label}",
            kind_label(meeting.kind),
            meeting.attendees.len()
        ),
    );
    e.plugin = Some(plugin_ref(plugin.description()));
    record(
        &*txn,
        &n.authority,
        case_row.referral_id.as_deref(),
        Some(&n.case_id),
        e,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(meeting)
}

pub async fn list(
    state: &AppState,
    caller: Caller,
    r: pb::ListMeetingsRequest,
) -> Result<pb::ListMeetingsResponse, ApiError> {
    let n = names::parse_case("parent", &r.parent)?;
    own(&caller, &n.authority, &r.parent)?;
    let mut v = Violations::new();
    let page = PageRequest::read(r.page_size, &r.page_token, &r.parent, &mut v);
    v.into_result()?;
    let db = state.store().db();
    storage::get_case(db, &n.authority, &n.id)
        .await?
        .ok_or_else(|| ApiError::NotFound(r.parent.clone()))?;
    let rows = storage::list_meetings(db, &n.authority, &n.id, page.after.as_deref(), page.limit())
        .await?;
    let (rows, next_page_token) = page.finish(rows, |last| last.id.clone());
    let meetings = rows
        .iter()
        .map(|m| decode::<pb::Meeting>(&m.body))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(pb::ListMeetingsResponse {
        meetings,
        next_page_token,
    })
}
