//! MeetingService: the team around the family meets, reviews, and decides.

use continuum_domain::{Violations, names};
use continuum_plugin_api::pb::{CaseEvent as PluginCaseEvent, MeetingKind};
use continuum_storage as storage;

use super::common::{PageRequest, event, label, new_id, own, plugin_ref, require_open};
use super::records::{Loaded, from_row, is_held, load, reload};
use super::tracking::{Timescales, case_opened, occur_time};
use super::validate;
use super::write::{Change, Etag, RequestId, Writes, write};
use crate::AppState;
use crate::convert::{date, from_timestamp, timestamp};
use crate::error::ApiError;
use crate::pb::{self, CaseStatus, MeetingOutcome, MeetingState};
use crate::state::Ctx;

/// The most people invited to, or attending, one meeting.
const MAX_PEOPLE: usize = 50;

fn kind_label(kind: i32) -> String {
    MeetingKind::try_from(kind)
        .map(|k| label(k.as_str_name(), "MEETING_KIND_"))
        .unwrap_or_default()
}

pub async fn schedule(
    state: &AppState,
    ctx: Ctx,
    mut r: pb::ScheduleMeetingRequest,
) -> Result<pb::Meeting, ApiError> {
    ctx.caller.require_write()?;
    let n = names::parse_case("parent", &r.parent)?;
    own(&ctx.caller, &n.authority, &r.parent)?;
    let mut v = Violations::new();
    validate::request_id(&r.request_id, &mut v);
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
            v.count(&m.invitees, "meeting.invitees", MAX_PEOPLE);
            for (i, who) in m.invitees.iter().enumerate() {
                v.require(who, format!("meeting.invitees[{i}]"));
                v.text(
                    who,
                    format!("meeting.invitees[{i}]"),
                    validate::MAX_NAME,
                    false,
                );
            }
            v.text(&m.notes, "meeting.notes", validate::MAX_TEXT, true);
            date("meeting.next_review_date", &m.next_review_date, &mut v);
        }
    }
    v.into_result()?;
    let request_id = RequestId::take(&mut r, |r| &mut r.request_id);
    let change = ScheduleMeeting {
        parent: r.parent,
        meeting: r.meeting.unwrap_or_default(),
    };
    write(state, &ctx, request_id, Etag::none(), &change).await
}

struct ScheduleMeeting {
    parent: String,
    meeting: pb::Meeting,
}

impl Change for ScheduleMeeting {
    /// The case the meeting is for.
    type Read = Loaded<pb::Case>;
    type Output = pb::Meeting;

    fn method(&self) -> &'static str {
        "ScheduleMeeting"
    }

    async fn read(&self, state: &AppState, ctx: &Ctx) -> Result<Self::Read, ApiError> {
        load(state.store(), &ctx.caller, "parent", &self.parent).await
    }

    /// Scheduling a meeting does not change the case: no etag to check.
    fn version(_: &Self::Read) -> Option<i64> {
        None
    }

    fn apply(&self, ctx: &Ctx, case: Self::Read, w: &mut Writes) -> Result<pb::Meeting, ApiError> {
        require_open(&case.record)?;
        let name = names::meeting(&case.row.authority_code, &case.row.id, &new_id());
        let mut meeting = pb::Meeting {
            name: name.clone(),
            state: MeetingState::Scheduled as i32,
            held_time: None,
            attendees: vec![],
            outcome: MeetingOutcome::Unspecified as i32,
            etag: String::new(),
            ..self.meeting.clone()
        };
        w.insert(&mut meeting)?;
        let e = event(
            "meeting.scheduled",
            &name,
            &ctx.caller,
            ctx.now,
            format!(
                "{} scheduled, {} invited",
                kind_label(meeting.kind),
                meeting.invitees.len()
            ),
        );
        w.event(case.row.referral_id.as_deref(), Some(&case.row.id), e);
        Ok(meeting)
    }

    fn resource(output: &pb::Meeting) -> &str {
        &output.name
    }

    async fn replay(
        &self,
        state: &AppState,
        ctx: &Ctx,
        resource: &str,
    ) -> Result<pb::Meeting, ApiError> {
        reload(state, ctx, resource).await
    }
}

pub async fn record_outcome(
    state: &AppState,
    ctx: Ctx,
    mut r: pb::RecordMeetingOutcomeRequest,
) -> Result<pb::Meeting, ApiError> {
    ctx.caller.require_write()?;
    let n = names::parse_meeting("name", &r.name)?;
    own(&ctx.caller, &n.authority, &r.name)?;
    let plugin = state.authority(&n.authority)?.clone();
    let mut v = Violations::new();
    validate::request_id(&r.request_id, &mut v);
    if let Err(e) = from_timestamp("held_time", r.held_time.as_ref()) {
        v.0.extend(e.0);
    }
    v.check(
        !r.attendees.is_empty(),
        "attendees",
        "who attended is required",
    );
    v.count(&r.attendees, "attendees", MAX_PEOPLE);
    for (i, who) in r.attendees.iter().enumerate() {
        v.require(who, format!("attendees[{i}]"));
        v.text(who, format!("attendees[{i}]"), validate::MAX_NAME, false);
    }
    v.text(&r.notes, "notes", validate::MAX_TEXT, true);
    let outcome = MeetingOutcome::try_from(r.outcome).unwrap_or(MeetingOutcome::Unspecified);
    v.check(
        outcome != MeetingOutcome::Unspecified,
        "outcome",
        "is required",
    );
    date("next_review_date", &r.next_review_date, &mut v);
    v.check(
        !r.etag.is_empty(),
        "etag",
        "is required: send the etag of the meeting you read",
    );
    v.into_result()?;

    let request_id = RequestId::take(&mut r, |r| &mut r.request_id);
    let etag = r.etag.clone();
    let change = RecordOutcome {
        case: names::case(&n.authority, &n.case_id),
        request: r,
        outcome,
        timescales: state.timescales(&plugin),
    };
    write(state, &ctx, request_id, Etag::required(&etag), &change).await
}

struct RecordOutcome<'a> {
    request: pb::RecordMeetingOutcomeRequest,
    /// The name of the meeting's case.
    case: String,
    outcome: MeetingOutcome,
    timescales: Timescales<'a>,
}

impl Change for RecordOutcome<'_> {
    /// The meeting and its case (whose deadlines a team meeting or review starts).
    type Read = (Loaded<pb::Meeting>, Loaded<pb::Case>);
    type Output = pb::Meeting;

    fn method(&self) -> &'static str {
        "RecordMeetingOutcome"
    }

    async fn read(&self, state: &AppState, ctx: &Ctx) -> Result<Self::Read, ApiError> {
        let store = state.store();
        let meeting = load(store, &ctx.caller, "name", &self.request.name).await?;
        let case = load(store, &ctx.caller, "name", &self.case).await?;
        Ok((meeting, case))
    }

    fn version(read: &Self::Read) -> Option<i64> {
        Some(read.0.version())
    }

    fn apply(&self, ctx: &Ctx, read: Self::Read, w: &mut Writes) -> Result<pb::Meeting, ApiError> {
        let (loaded, loaded_case) = read;
        let r = &self.request;
        let mut meeting = loaded.record.clone();
        if is_held(&meeting) {
            return Err(ApiError::precondition(
                "the meeting's outcome is already recorded",
                "STATE",
                "meeting state is HELD",
            ));
        }
        let opened = case_opened(&loaded_case.record);
        let held = occur_time("held_time", r.held_time.as_ref(), ctx.now, opened)?;
        meeting.state = MeetingState::Held as i32;
        meeting.held_time = Some(timestamp(held));
        meeting.attendees = r.attendees.clone();
        meeting.outcome = self.outcome as i32;
        meeting.next_review_date = r.next_review_date.clone();
        meeting.notes = r.notes.clone();
        w.update(&loaded, &mut meeting)?;

        // A meeting held meets the case's deadlines that wait for it, and starts the
        // authority's next timescales; a meeting that decides to close proposes closure.
        let mut case = loaded_case.record.clone();
        let case_event = match MeetingKind::try_from(meeting.kind) {
            Ok(MeetingKind::TeamMeeting) => Some(PluginCaseEvent::TeamMeetingHeld),
            Ok(MeetingKind::Review) => Some(PluginCaseEvent::ReviewHeld),
            Ok(MeetingKind::StepUpConversation) => Some(PluginCaseEvent::StepUpConversationHeld),
            Ok(MeetingKind::StepDownMeeting) => Some(PluginCaseEvent::StepDownMeetingHeld),
            Ok(MeetingKind::FinalMeeting) => Some(PluginCaseEvent::FinalMeetingHeld),
            _ => None,
        };
        let closure =
            (self.outcome == MeetingOutcome::Close).then_some(PluginCaseEvent::ClosureProposed);
        if case.status == CaseStatus::Open as i32 {
            let mut changed = 0;
            for case_event in case_event.into_iter().chain(closure) {
                changed += self.timescales.on_event(&mut case, case_event, held)?;
            }
            if changed > 0 {
                case.update_time = Some(timestamp(ctx.now));
                w.update(&loaded_case, &mut case)?;
            }
        }
        let mut e = event(
            "meeting.held",
            &r.name,
            &ctx.caller,
            held,
            format!(
                "{} held with {} attending; outcome: {}",
                kind_label(meeting.kind),
                meeting.attendees.len(),
                label(self.outcome.as_str_name(), "MEETING_OUTCOME_"),
            ),
        );
        e.plugin = Some(plugin_ref(self.timescales.plugin.description()));
        w.event(
            loaded_case.row.referral_id.as_deref(),
            Some(&loaded_case.row.id),
            e,
        );
        Ok(meeting)
    }

    fn resource(output: &pb::Meeting) -> &str {
        &output.name
    }

    async fn replay(
        &self,
        state: &AppState,
        ctx: &Ctx,
        resource: &str,
    ) -> Result<pb::Meeting, ApiError> {
        reload(state, ctx, resource).await
    }
}

pub async fn list(
    state: &AppState,
    ctx: Ctx,
    r: pb::ListMeetingsRequest,
) -> Result<pb::ListMeetingsResponse, ApiError> {
    let n = names::parse_case("parent", &r.parent)?;
    own(&ctx.caller, &n.authority, &r.parent)?;
    let mut v = Violations::new();
    let page = PageRequest::read(r.page_size, &r.page_token, &r.parent, &mut v);
    v.into_result()?;
    let store = state.store();
    storage::get_case(store, &n.authority, &n.id)
        .await?
        .ok_or_else(|| ApiError::NotFound(r.parent.clone()))?;
    let rows = storage::list_meetings(
        store,
        &n.authority,
        &n.id,
        page.after.as_deref(),
        page.limit(),
    )
    .await?;
    let (rows, next_page_token) = page.finish(rows, |last| last.id.clone());
    let meetings = rows
        .iter()
        .map(from_row::<pb::Meeting>)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(pb::ListMeetingsResponse {
        meetings,
        next_page_token,
    })
}
