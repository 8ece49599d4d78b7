//! The body of the `decode_validate` fuzz target (`fuzz/`), also run on the stable toolchain by
//! the integration tests: bytes decoded as one of the public API's request messages (or one of
//! the plugin boundary's requests, as the host sends them), then put through every check the
//! service makes that reads nothing stored (resource names, page sizes and tokens, event
//! cursors, dates, instants, request ids, texts, census codes, and `validate`'s checks of a
//! referral, a concern and consent), and, where the RPC asks the authority, through the
//! authority's own rules called in-process and the working-day arithmetic on their answer.
//! Whatever the bytes, it must not panic.
//!
//! Not part of the service's API: an entry point for testing only. The checks that need stored
//! records (an etag, a case's state) are left to the property tests through the real server.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use continuum_domain::calendar::Calendar;
use continuum_domain::{Violations, census, names, page};
use continuum_plugin_api::Authority;
use continuum_plugin_api::pb as plugin;
use prost::Message;

use super::common::{PageRequest, event_after};
use super::tracking::{WorkingDays, division};
use super::validate::{self, MAX_NAME, MAX_TEXT};
use crate::convert::{date, from_timestamp};
use crate::pb;

/// What [`Target::run`] checks requests against: one authority, the UK calendar, and a fixed
/// day, so that the same bytes always take the same path.
pub struct Target {
    authority: Box<dyn Authority>,
    description: plugin::AuthorityDescription,
    calendar: Calendar,
    now: DateTime<Utc>,
}

/// The messages an input's first byte chooses between (modulo their number): the public API's
/// requests, then the plugin boundary's.
pub const MESSAGES: [&str; 40] = [
    "CreateReferralRequest",
    "GetReferralRequest",
    "ListReferralsRequest",
    "ScreenReferralRequest",
    "DecideReferralRequest",
    "GetCaseRequest",
    "ListCasesRequest",
    "AllocateCaseRequest",
    "UpdateTeamRequest",
    "RecordContactRequest",
    "RecordConcernRequest",
    "UpdatePlanRequest",
    "RecordAssessmentRequest",
    "TransitionCaseRequest",
    "DecideTransitionRequestRequest",
    "ListCaseEventsRequest",
    "ListDeadlinesRequest",
    "GetComplianceSummaryRequest",
    "ScheduleMeetingRequest",
    "RecordMeetingOutcomeRequest",
    "ListMeetingsRequest",
    "ListPanelSittingsRequest",
    "GetPanelSittingRequest",
    "RecordPanelDecisionRequest",
    "ListAuthoritiesRequest",
    "GetAuthorityRequest",
    "AssessThresholdRequest",
    "RouteContactRequest",
    "GetNextPanelSittingRequest",
    "PreviewTimescalesRequest",
    "CheckTransitionRequest",
    "ListStatutoryCodesRequest",
    "ListEventsRequest",
    "WatchEventsRequest",
    "ExportChildrenRequest",
    "ThresholdRequest",
    "ContactRequest",
    "PanelRequest",
    "TimescaleRequest",
    "TransitionRequest",
];

/// An input for [`Target::run`]: `message` (one of [`MESSAGES`]) encoded as `bytes`.
pub fn input(message: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    let kind = MESSAGES.iter().position(|m| *m == message)?;
    let mut input = vec![u8::try_from(kind).ok()?];
    input.extend_from_slice(bytes);
    Some(input)
}

impl Target {
    /// Check requests against `authority`, on 15 January 2026 at noon.
    pub fn new(authority: Box<dyn Authority>) -> Target {
        let description = authority.describe();
        let now = NaiveDate::from_ymd_opt(2026, 1, 15)
            .unwrap_or_default()
            .and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default())
            .and_utc();
        Target {
            authority,
            description,
            calendar: Calendar::uk(),
            now,
        }
    }

    /// Decode `data` as the message its first byte chooses (see [`MESSAGES`]) and check it.
    /// `None` when the rest does not decode as that message; otherwise how many field
    /// violations the checks found.
    pub fn run(&self, data: &[u8]) -> Option<usize> {
        let (&kind, bytes) = data.split_first()?;
        let message = MESSAGES[usize::from(kind) % MESSAGES.len()];
        let mut v = Violations::new();
        self.check(message, bytes, &mut v).ok()?;
        Some(v.0.len())
    }

    fn check(
        &self,
        message: &str,
        bytes: &[u8],
        v: &mut Violations,
    ) -> Result<(), prost::DecodeError> {
        let d = &self.description;
        let today = self.now.date_naive();
        match message {
            "CreateReferralRequest" => {
                let r = pb::CreateReferralRequest::decode(bytes)?;
                parse(names::parse_authority("parent", &r.parent), v);
                validate::request_id(&r.request_id, v);
                if let Some(referral) = &r.referral {
                    validate::referral(referral, d, today, v);
                    if let Err(e) = census::referral_source(&referral.referral_source) {
                        v.add("referral.referral_source", e.to_string());
                    }
                    instant("referral.receive_time", referral.receive_time.as_ref(), v);
                    let mut children = referral.other_children.clone();
                    children.extend(referral.child.clone());
                    children.iter_mut().for_each(validate::normalise_child);
                }
            }
            "GetReferralRequest" => {
                let r = pb::GetReferralRequest::decode(bytes)?;
                parse(names::parse_referral("name", &r.name), v);
            }
            "ListReferralsRequest" => {
                let r = pb::ListReferralsRequest::decode(bytes)?;
                parse(names::parse_authority("parent", &r.parent), v);
                date("received_on_or_after", &r.received_on_or_after, v);
                date("received_before", &r.received_before, v);
                PageRequest::read(r.page_size, &r.page_token, &r.parent, v);
                known::<pb::ReferralStatus>(r.status, "status", v);
            }
            "ScreenReferralRequest" => {
                let r = pb::ScreenReferralRequest::decode(bytes)?;
                parse(names::parse_referral("name", &r.name), v);
                validate::request_id(&r.request_id, v);
            }
            "DecideReferralRequest" => {
                let r = pb::DecideReferralRequest::decode(bytes)?;
                parse(names::parse_referral("name", &r.name), v);
                validate::request_id(&r.request_id, v);
                level(d, &r.level, "level", v);
                known::<pb::ReferralOutcome>(r.outcome, "outcome", v);
                v.text(&r.reason, "reason", MAX_TEXT, true);
                if let Err(e) = census::primary_need(&r.primary_need) {
                    v.add("primary_need", e.to_string());
                }
                for (i, c) in r.children.iter().enumerate() {
                    v.text(&c.reason, format!("children[{i}].reason"), MAX_TEXT, true);
                }
                instant("occur_time", r.occur_time.as_ref(), v);
            }
            "GetCaseRequest" => {
                let r = pb::GetCaseRequest::decode(bytes)?;
                parse(names::parse_case("name", &r.name), v);
            }
            "ListCasesRequest" => {
                let r = pb::ListCasesRequest::decode(bytes)?;
                parse(names::parse_authority("parent", &r.parent), v);
                PageRequest::read(r.page_size, &r.page_token, &r.level, v);
                v.text(&r.level, "level", MAX_NAME, false);
                v.text(&r.allocated_worker, "allocated_worker", MAX_NAME, false);
                known::<pb::CaseStatus>(r.status, "status", v);
            }
            "AllocateCaseRequest" => {
                let r = pb::AllocateCaseRequest::decode(bytes)?;
                parse(names::parse_case("name", &r.name), v);
                if let Some(w) = &r.worker {
                    v.text(&w.name, "worker.name", MAX_NAME, false);
                    v.check(
                        d.roles.iter().any(|role| role.code == w.role),
                        "worker.role",
                        "is not a role",
                    );
                }
                instant("occur_time", r.occur_time.as_ref(), v);
            }
            "UpdateTeamRequest" => {
                let r = pb::UpdateTeamRequest::decode(bytes)?;
                parse(names::parse_case("name", &r.name), v);
                for (i, m) in r.join.iter().enumerate() {
                    v.require(&m.name, format!("join[{i}].name"));
                    v.text(&m.agency, format!("join[{i}].agency"), MAX_NAME, false);
                }
                for (i, name) in r.leave.iter().enumerate() {
                    v.text(name, format!("leave[{i}]"), MAX_NAME, false);
                }
                instant("occur_time", r.occur_time.as_ref(), v);
            }
            "RecordContactRequest" => {
                let r = pb::RecordContactRequest::decode(bytes)?;
                parse(names::parse_case("name", &r.name), v);
                validate::request_id(&r.request_id, v);
                if let Some(c) = &r.contact {
                    known::<pb::ContactKind>(c.kind, "contact.kind", v);
                    instant("contact.contact_time", c.contact_time.as_ref(), v);
                    v.text(&c.notes, "contact.notes", MAX_TEXT, true);
                }
            }
            "RecordConcernRequest" => {
                let r = pb::RecordConcernRequest::decode(bytes)?;
                parse(names::parse_case("name", &r.name), v);
                validate::request_id(&r.request_id, v);
                if let Some(c) = &r.concern {
                    validate::concern(c, "concern", d, v);
                }
                instant("occur_time", r.occur_time.as_ref(), v);
            }
            "UpdatePlanRequest" => {
                let r = pb::UpdatePlanRequest::decode(bytes)?;
                parse(names::parse_case("name", &r.name), v);
                for (i, o) in r.plan.iter().flat_map(|p| &p.outcomes).enumerate() {
                    v.text(&o.need, format!("plan.outcomes[{i}].need"), MAX_TEXT, true);
                    date(&format!("plan.outcomes[{i}].by_date"), &o.by_date, v);
                }
                instant("occur_time", r.occur_time.as_ref(), v);
            }
            "RecordAssessmentRequest" => {
                let r = pb::RecordAssessmentRequest::decode(bytes)?;
                parse(names::parse_case("name", &r.name), v);
                validate::request_id(&r.request_id, v);
                if let Some(a) = &r.assessment {
                    date("assessment.start_date", &a.start_date, v);
                    date("assessment.authorisation_date", &a.authorisation_date, v);
                    for code in &a.factors {
                        if let Err(e) = census::factor(code) {
                            v.add("assessment.factors", e.to_string());
                        }
                    }
                }
            }
            "TransitionCaseRequest" => {
                let r = pb::TransitionCaseRequest::decode(bytes)?;
                parse(names::parse_case("name", &r.name), v);
                validate::request_id(&r.request_id, v);
                known::<plugin::TransitionKind>(r.kind, "kind", v);
                level(d, &r.target_level, "target_level", v);
                v.text(&r.reason, "reason", MAX_TEXT, true);
                validate::consent(r.consent.as_ref(), "consent", v);
                for form in &r.forms_completed {
                    v.check(
                        d.forms.iter().any(|f| &f.code == form),
                        "forms_completed",
                        "is not a form",
                    );
                }
                if let Err(e) = census::reason_for_closure(&r.closure_reason) {
                    v.add("closure_reason", e.to_string());
                }
                instant("occur_time", r.occur_time.as_ref(), v);
            }
            "DecideTransitionRequestRequest" => {
                let r = pb::DecideTransitionRequestRequest::decode(bytes)?;
                parse(names::parse_case("name", &r.name), v);
                validate::request_id(&r.request_id, v);
                v.text(&r.reason, "reason", MAX_TEXT, true);
                instant("occur_time", r.occur_time.as_ref(), v);
            }
            "ListCaseEventsRequest" => {
                let r = pb::ListCaseEventsRequest::decode(bytes)?;
                parse(names::parse_case("name", &r.name), v);
                PageRequest::read(r.page_size, &r.page_token, &r.name, v);
            }
            "ListDeadlinesRequest" => {
                let r = pb::ListDeadlinesRequest::decode(bytes)?;
                parse(names::parse_authority("parent", &r.parent), v);
                PageRequest::read(r.page_size, &r.page_token, &r.code, v);
                known::<pb::DeadlineState>(r.state, "state", v);
                instant("due_after", r.due_after.as_ref(), v);
                instant("due_before", r.due_before.as_ref(), v);
                for (field, value) in [
                    ("allocated_worker", &r.allocated_worker),
                    ("code", &r.code),
                    ("level", &r.level),
                ] {
                    v.text(value, field, MAX_NAME, false);
                }
            }
            "GetComplianceSummaryRequest" => {
                let r = pb::GetComplianceSummaryRequest::decode(bytes)?;
                parse(names::parse_authority("authority", &r.authority), v);
                let from = date("from_date", &r.from_date, v);
                let to = date("to_date", &r.to_date, v);
                if let (Some(from), Some(to)) = (from, to) {
                    v.check(to >= from, "to_date", "is before from_date");
                }
            }
            "ScheduleMeetingRequest" => {
                let r = pb::ScheduleMeetingRequest::decode(bytes)?;
                parse(names::parse_case("parent", &r.parent), v);
                validate::request_id(&r.request_id, v);
                if let Some(m) = &r.meeting {
                    known::<plugin::MeetingKind>(m.kind, "meeting.kind", v);
                    instant("meeting.schedule_time", m.schedule_time.as_ref(), v);
                    for (i, who) in m.invitees.iter().enumerate() {
                        v.text(who, format!("meeting.invitees[{i}]"), MAX_NAME, false);
                    }
                    v.text(&m.notes, "meeting.notes", MAX_TEXT, true);
                    date("meeting.next_review_date", &m.next_review_date, v);
                }
            }
            "RecordMeetingOutcomeRequest" => {
                let r = pb::RecordMeetingOutcomeRequest::decode(bytes)?;
                parse(names::parse_meeting("name", &r.name), v);
                validate::request_id(&r.request_id, v);
                instant("held_time", r.held_time.as_ref(), v);
                for (i, who) in r.attendees.iter().enumerate() {
                    v.text(who, format!("attendees[{i}]"), MAX_NAME, false);
                }
                known::<pb::MeetingOutcome>(r.outcome, "outcome", v);
                v.text(&r.notes, "notes", MAX_TEXT, true);
                date("next_review_date", &r.next_review_date, v);
            }
            "ListMeetingsRequest" => {
                let r = pb::ListMeetingsRequest::decode(bytes)?;
                parse(names::parse_case("parent", &r.parent), v);
                PageRequest::read(r.page_size, &r.page_token, &r.parent, v);
            }
            "ListPanelSittingsRequest" => {
                let r = pb::ListPanelSittingsRequest::decode(bytes)?;
                let from = date("from_date", &r.from_date, v).unwrap_or(today);
                if let Some(n) = parse(names::parse_panel("parent", &r.parent), v) {
                    self.next_panel(&n.panel, &from.format("%Y-%m-%d").to_string());
                }
            }
            "GetPanelSittingRequest" => {
                let r = pb::GetPanelSittingRequest::decode(bytes)?;
                if let Some(s) = parse(names::parse_sitting("name", &r.name), v) {
                    date("name", &s.date, v);
                }
            }
            "RecordPanelDecisionRequest" => {
                let r = pb::RecordPanelDecisionRequest::decode(bytes)?;
                if let Some(s) = parse(names::parse_sitting("sitting", &r.sitting), v) {
                    date("sitting", &s.date, v);
                }
                parse(names::parse_agenda_item("item", &r.item), v);
                validate::request_id(&r.request_id, v);
                for (i, who) in r.present.iter().enumerate() {
                    v.text(who, format!("present[{i}]"), MAX_NAME, false);
                }
                v.text(&r.reason, "reason", MAX_TEXT, true);
                instant("occur_time", r.occur_time.as_ref(), v);
            }
            "ListAuthoritiesRequest" => {
                pb::ListAuthoritiesRequest::decode(bytes)?;
            }
            "GetAuthorityRequest" => {
                let r = pb::GetAuthorityRequest::decode(bytes)?;
                parse(names::parse_authority("name", &r.name), v);
            }
            "AssessThresholdRequest" => {
                let r = pb::AssessThresholdRequest::decode(bytes)?;
                parse(names::parse_authority("authority", &r.authority), v);
                if let Some(request) = &r.request {
                    let _ = self.authority.assess_threshold(request);
                }
            }
            "RouteContactRequest" => {
                let r = pb::RouteContactRequest::decode(bytes)?;
                parse(names::parse_authority("authority", &r.authority), v);
                v.check(
                    plugin::Urgency::try_from(r.urgency).is_ok(),
                    "urgency",
                    "not an urgency",
                );
                validate::case_history(r.history.as_ref(), "history", &self.description, v);
                validate::child_age(r.age.as_ref(), "age", v);
                self.route_contact(&r);
            }
            "GetNextPanelSittingRequest" => {
                let r = pb::GetNextPanelSittingRequest::decode(bytes)?;
                parse(names::parse_authority("authority", &r.authority), v);
                self.next_panel(&r.panel, &r.on_or_after);
            }
            "PreviewTimescalesRequest" => {
                let r = pb::PreviewTimescalesRequest::decode(bytes)?;
                parse(names::parse_authority("authority", &r.authority), v);
                let at = instant("event_time", r.event_time.as_ref(), v).unwrap_or(self.now);
                validate::child_age(r.age.as_ref(), "age", v);
                self.timescales(r.event, &r.level, r.age, at);
            }
            "CheckTransitionRequest" => {
                let r = pb::CheckTransitionRequest::decode(bytes)?;
                parse(names::parse_authority("authority", &r.authority), v);
                if let Some(request) = &r.request {
                    let _ = self.authority.check_transition(request);
                }
            }
            "ListStatutoryCodesRequest" => {
                let r = pb::ListStatutoryCodesRequest::decode(bytes)?;
                let tables = census::TABLES
                    .iter()
                    .filter(|t| t.tag == r.code_set)
                    .count();
                v.check(tables > 0, "code_set", "is not a code set");
            }
            "ListEventsRequest" => {
                let r = pb::ListEventsRequest::decode(bytes)?;
                self.cursor(&r.parent, &r.after, v);
                v.check(r.page_size <= 1_000, "page_size", "too large");
            }
            "WatchEventsRequest" => {
                let r = pb::WatchEventsRequest::decode(bytes)?;
                self.cursor(&r.parent, &r.after, v);
            }
            "ExportChildrenRequest" => {
                let r = pb::ExportChildrenRequest::decode(bytes)?;
                self.cursor(&r.parent, &r.after, v);
                v.check(r.max_events <= 100_000, "max_events", "too large");
            }
            "ThresholdRequest" => {
                let r = plugin::ThresholdRequest::decode(bytes)?;
                let _ = self.authority.assess_threshold(&r);
            }
            "ContactRequest" => {
                let r = plugin::ContactRequest::decode(bytes)?;
                let _ = self.authority.route_contact(&r);
            }
            "PanelRequest" => {
                let r = plugin::PanelRequest::decode(bytes)?;
                let _ = self.authority.next_panel(&r);
            }
            "TimescaleRequest" => {
                let r = plugin::TimescaleRequest::decode(bytes)?;
                self.timescales(r.event, &r.level_code, r.age, self.now);
            }
            "TransitionRequest" => {
                let r = plugin::TransitionRequest::decode(bytes)?;
                let _ = self.authority.check_transition(&r);
            }
            _ => {}
        }
        Ok(())
    }

    /// As RouteContact does: read the local time, find the closures near its date in the
    /// calendar, and ask the authority.
    fn route_contact(&self, r: &pb::RouteContactRequest) {
        let (purpose, local_time, public_holiday) =
            (r.purpose, r.local_time.as_str(), r.public_holiday);
        let Ok(at) = NaiveDateTime::parse_from_str(local_time, "%Y-%m-%dT%H:%M:%S")
            .or_else(|_| NaiveDateTime::parse_from_str(local_time, "%Y-%m-%dT%H:%M"))
        else {
            return;
        };
        let date = at.date();
        let days = WorkingDays {
            calendar: &self.calendar,
            division: division(self.description.nation),
        };
        let Some(closed) = days.closed_near(date) else {
            return;
        };
        let public_holiday = public_holiday.unwrap_or_else(|| closed.contains(&date));
        let _ = self.authority.route_contact(&plugin::ContactRequest {
            purpose,
            local_time: local_time.to_owned(),
            public_holiday,
            closed_dates: closed
                .iter()
                .filter(|d| public_holiday || **d != date)
                .map(|d| d.format("%Y-%m-%d").to_string())
                .collect(),
            urgency: r.urgency,
            history: r.history.clone(),
            age: r.age,
        });
    }

    fn next_panel(&self, panel_code: &str, on_or_after: &str) {
        let _ = self.authority.next_panel(&plugin::PanelRequest {
            panel_code: panel_code.to_owned(),
            on_or_after: on_or_after.to_owned(),
        });
    }

    /// As PreviewTimescales does: the deadlines an event starts, and when each falls due in
    /// the authority's working days.
    fn timescales(
        &self,
        event: i32,
        level: &str,
        age: Option<plugin::ChildAge>,
        at: DateTime<Utc>,
    ) {
        let Ok(answer) = self.authority.timescales(&plugin::TimescaleRequest {
            event,
            level_code: level.to_owned(),
            age,
        }) else {
            return;
        };
        let days = WorkingDays {
            calendar: &self.calendar,
            division: division(self.description.nation),
        };
        for d in &answer.deadlines {
            days.after(at, &d.due_in.unwrap_or_default());
            if let Some(at_most) = &d.at_most {
                days.after(at, at_most);
            }
        }
    }

    /// An event cursor, as EventService and ExportService read one for their `parent`.
    fn cursor(&self, parent: &str, after: &str, v: &mut Violations) {
        if let Some(n) = parse(names::parse_authority("parent", parent), v)
            && let Err(e) = event_after(&n.authority, "after", after)
        {
            v.0.extend(e.0);
        }
        let _ = page::decode_token(after, parent);
    }
}

/// A parsed name, or its violations added to `v`.
fn parse<T>(name: Result<T, Violations>, v: &mut Violations) -> Option<T> {
    name.map_err(|e| v.0.extend(e.0)).ok()
}

/// An optional instant, or its violation added to `v`.
fn instant(
    field: &str,
    ts: Option<&prost_types::Timestamp>,
    v: &mut Violations,
) -> Option<DateTime<Utc>> {
    from_timestamp(field, ts)
        .map_err(|e| v.0.extend(e.0))
        .ok()?
}

/// An enum field holding a value the enum defines.
fn known<E: TryFrom<i32>>(value: i32, field: &str, v: &mut Violations) {
    v.check(E::try_from(value).is_ok(), field, "is not a known value");
}

fn level(d: &plugin::AuthorityDescription, code: &str, field: &str, v: &mut Violations) {
    v.check(
        d.levels.iter().any(|l| l.code == code),
        field,
        "is not a level",
    );
}
