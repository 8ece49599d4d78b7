//! Deadlines tracked over time through the public API, on each backend, with the server's clock
//! moved instead of waited for: a Bradford case allocated on Monday 21 December 2026 has its
//! phone call due on Wednesday 30 December (Christmas Day and the Boxing Day substitute are bank
//! holidays); the call meets it; the first visit goes overdue; closing the case cancels the rest.

use chrono::{DateTime, Utc};
use continuum::pb::{self, CaseStatus, ContactKind, DeadlineState, MeetingOutcome};
use continuum_plugin_api::pb::{CaseEvent, Consent, MeetingKind, TransitionKind};
use prost_types::Timestamp;
use tonic::Code;
use tonic_types::StatusExt;

use crate::api_journey::{describe, open_case};
use crate::server::{TestServer, as_practitioner, on_each_backend};

const BRADFORD: &str = "E08000032";

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn ts(s: &str) -> Option<Timestamp> {
    let t = at(s);
    Some(Timestamp {
        seconds: t.timestamp(),
        nanos: 0,
    })
}

fn time_of(t: &Option<Timestamp>) -> DateTime<Utc> {
    let t = t.as_ref().expect("a timestamp");
    DateTime::from_timestamp(t.seconds, t.nanos as u32).unwrap()
}

/// The case's deadline of kind `code` that is not cancelled or met (or the latest one).
fn deadline<'a>(case: &'a pb::Case, code: &str) -> &'a pb::DeadlineRecord {
    case.deadlines
        .iter()
        .rev()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} deadline on {:#?}", case.deadlines))
}

async fn get(server: &TestServer, name: &str) -> pb::Case {
    server
        .cases()
        .await
        .get_case(as_practitioner(
            BRADFORD,
            pb::GetCaseRequest { name: name.into() },
        ))
        .await
        .unwrap()
        .into_inner()
}

async fn list(server: &TestServer, r: pb::ListDeadlinesRequest) -> pb::ListDeadlinesResponse {
    server
        .cases()
        .await
        .list_deadlines(as_practitioner(
            BRADFORD,
            pb::ListDeadlinesRequest {
                parent: format!("authorities/{BRADFORD}"),
                ..r
            },
        ))
        .await
        .unwrap()
        .into_inner()
}

async fn contact(server: &TestServer, case: &str, kind: ContactKind, when: &str) -> pb::Case {
    server
        .cases()
        .await
        .record_contact(as_practitioner(
            BRADFORD,
            pb::RecordContactRequest {
                name: case.into(),
                contact: Some(pb::ContactRecord {
                    kind: kind as i32,
                    contact_time: ts(when),
                    notes: "spoke with mother".into(),
                    ..Default::default()
                }),
                ..Default::default()
            },
        ))
        .await
        .unwrap()
        .into_inner()
}

async fn bradford_deadlines_over_christmas(server: &TestServer) {
    let d = describe(server, BRADFORD).await;
    // Monday 21 December 2026, 10:00 (GMT, so UTC).
    server.clock.set(at("2026-12-21T10:00:00Z"));
    let (case, _) = open_case(server, BRADFORD, 3, Some(("L3", "targeted support agreed"))).await;
    let allocation = deadline(&case, "FSW-ALLOCATION");
    assert_eq!(allocation.state, DeadlineState::Pending as i32);
    assert_eq!(time_of(&allocation.due_time), at("2026-12-23T10:00:00Z"));

    let mut cases = server.cases().await;
    let allocated = cases
        .allocate_case(as_practitioner(
            BRADFORD,
            pb::AllocateCaseRequest {
                name: case.name.clone(),
                worker: Some(pb::Worker {
                    name: "Sam Family-Support".into(),
                    role: d.roles[0].code.clone(),
                }),
                etag: case.etag.clone(),
                ..Default::default()
            },
        ))
        .await
        .unwrap()
        .into_inner();
    let allocation = deadline(&allocated, "FSW-ALLOCATION");
    assert_eq!(allocation.state, DeadlineState::Met as i32);
    assert_eq!(allocation.met_event, CaseEvent::CaseAllocated as i32);
    assert!(!allocation.met_late);

    // 5 working days: 22, 23, 24, 29 and 30 December (25th and 28th are bank holidays).
    let phone = deadline(&allocated, "FSW-PHONE-CALL");
    assert_eq!(time_of(&phone.due_time), at("2026-12-30T10:00:00Z"));
    assert_eq!(phone.state, DeadlineState::Pending as i32);
    assert_eq!(phone.met_by, vec![CaseEvent::PhoneCallMade as i32]);
    assert!(phone.name.starts_with(&format!("{}/deadlines/", case.name)));
    assert_eq!(phone.allocated_worker, "Sam Family-Support");
    // 10 working days: and 1 January 2027 is one too.
    let visit = deadline(&allocated, "FSW-FIRST-VISIT");
    assert_eq!(time_of(&visit.due_time), at("2027-01-07T10:00:00Z"));
    for dl in &allocated.deadlines {
        let plugin = dl.plugin.as_ref().expect("the plugin that set it");
        assert_eq!(
            (plugin.name.as_str(), plugin.version.as_str()),
            (d.plugin_name.as_str(), d.plugin_version.as_str())
        );
        let citation = dl.citation.as_ref().expect("a citation");
        assert!(citation.source.starts_with("shared/seeds/"), "{dl:?}");
        assert!(!citation.quote.is_empty(), "{dl:?}");
        assert!(!dl.met_by.is_empty(), "{dl:?}");
    }

    // What is due before New Year, soonest first: the allocation (met) and the phone call.
    let due = list(
        server,
        pb::ListDeadlinesRequest {
            due_before: ts("2027-01-01T00:00:00Z"),
            ..Default::default()
        },
    )
    .await;
    let codes: Vec<&str> = due.deadlines.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["FSW-ALLOCATION", "FSW-PHONE-CALL"]);

    // The call, made on Wednesday 23 December and recorded the next day, meets it.
    server.clock.set(at("2026-12-24T09:00:00Z"));
    let called = contact(
        server,
        &case.name,
        ContactKind::PhoneCall,
        "2026-12-23T11:00:00Z",
    )
    .await;
    let phone = deadline(&called, "FSW-PHONE-CALL");
    assert_eq!(phone.state, DeadlineState::Met as i32);
    assert_eq!(time_of(&phone.met_time), at("2026-12-23T11:00:00Z"));
    assert_eq!(phone.met_event, CaseEvent::PhoneCallMade as i32);
    assert!(!phone.met_late);
    assert_eq!(
        deadline(&called, "FSW-FIRST-VISIT").state,
        DeadlineState::Pending as i32,
        "a phone call is not a visit"
    );

    // Friday 8 January 2027: the first visit (due Thursday 7th) is overdue by a working day.
    server.clock.set(at("2027-01-08T12:00:00Z"));
    let overdue = list(
        server,
        pb::ListDeadlinesRequest {
            state: DeadlineState::Overdue as i32,
            ..Default::default()
        },
    )
    .await;
    let codes: Vec<&str> = overdue.deadlines.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["FSW-FIRST-VISIT"]);
    assert_eq!(overdue.deadlines[0].working_days_late, 1);
    let case_now = get(server, &case.name).await;
    assert_eq!(
        deadline(&case_now, "FSW-FIRST-VISIT").state,
        DeadlineState::Overdue as i32
    );
    let pending = list(
        server,
        pb::ListDeadlinesRequest {
            state: DeadlineState::Pending as i32,
            allocated_worker: "Sam Family-Support".into(),
            ..Default::default()
        },
    )
    .await;
    assert!(
        pending
            .deadlines
            .iter()
            .all(|d| d.code != "FSW-FIRST-VISIT"),
        "an overdue deadline is not listed as pending"
    );
    assert!(pending.deadlines.iter().any(|d| d.code == "TAF-FIRST"));

    let summary = summary(server, "2026-12-01", "2027-01-31").await;
    let kind = |code: &str| {
        summary
            .kinds
            .iter()
            .find(|k| k.code == code)
            .unwrap_or_else(|| panic!("no {code} in {summary:#?}"))
            .clone()
    };
    assert_eq!(kind("FSW-PHONE-CALL").met_on_time, 1);
    assert_eq!(kind("FSW-ALLOCATION").met_on_time, 1);
    let visit = kind("FSW-FIRST-VISIT");
    assert_eq!(
        (visit.overdue, visit.met_on_time, visit.met_late),
        (1, 0, 0)
    );
    assert_eq!(visit.median_working_days_late, 1);
    assert_eq!(visit.p90_working_days_late, 1);

    // The visit that day meets it, late; it also meets the 3-weekly visits, which roll on.
    let visited = contact(
        server,
        &case.name,
        ContactKind::HomeVisit,
        "2027-01-08T11:00:00Z",
    )
    .await;
    let first = deadline(&visited, "FSW-FIRST-VISIT");
    assert_eq!(first.state, DeadlineState::Met as i32);
    assert!(first.met_late);
    assert_eq!(first.working_days_late, 1);
    let visits: Vec<&pb::DeadlineRecord> = visited
        .deadlines
        .iter()
        .filter(|d| d.code == "FSW-VISITS")
        .collect();
    assert_eq!(visits.len(), 2, "met, and the next one started");
    assert_eq!(visits[0].state, DeadlineState::Met as i32);
    assert_eq!(visits[1].state, DeadlineState::Pending as i32);
    assert_eq!(time_of(&visits[1].due_time), at("2027-01-29T11:00:00Z"));
    let summary = self::summary(server, "2026-12-01", "2027-01-31").await;
    let visit = summary
        .kinds
        .iter()
        .find(|k| k.code == "FSW-FIRST-VISIT")
        .unwrap();
    assert_eq!((visit.overdue, visit.met_late), (0, 1));

    // Closing the case cancels what is still pending.
    let mut meetings = server.meetings().await;
    let meeting = meetings
        .schedule_meeting(as_practitioner(
            BRADFORD,
            pb::ScheduleMeetingRequest {
                parent: case.name.clone(),
                meeting: Some(pb::Meeting {
                    kind: MeetingKind::FinalMeeting as i32,
                    schedule_time: ts("2027-01-08T12:00:00Z"),
                    ..Default::default()
                }),
                ..Default::default()
            },
        ))
        .await
        .unwrap()
        .into_inner();
    meetings
        .record_meeting_outcome(as_practitioner(
            BRADFORD,
            pb::RecordMeetingOutcomeRequest {
                name: meeting.name,
                etag: meeting.etag,
                attendees: vec!["Sara Khan".into(), "Sam Family-Support".into()],
                outcome: MeetingOutcome::Close as i32,
                ..Default::default()
            },
        ))
        .await
        .unwrap();
    let case_now = get(server, &case.name).await;
    let closed = cases
        .transition_case(as_practitioner(
            BRADFORD,
            pb::TransitionCaseRequest {
                name: case.name.clone(),
                kind: TransitionKind::Close as i32,
                reason: "needs met".into(),
                consent: Some(pb::ConsentRecord {
                    status: Consent::GivenInWriting as i32,
                    reason: String::new(),
                }),
                forms_completed: d.forms.iter().map(|f| f.code.clone()).collect(),
                etag: case_now.etag.clone(),
                ..Default::default()
            },
        ))
        .await
        .unwrap_or_else(|e| panic!("closure refused: {e:?}"))
        .into_inner();
    assert_eq!(closed.status, CaseStatus::Closed as i32);
    let still: Vec<&pb::DeadlineRecord> = closed
        .deadlines
        .iter()
        .filter(|d| {
            d.state == DeadlineState::Pending as i32 || d.state == DeadlineState::Overdue as i32
        })
        .collect();
    assert!(still.is_empty(), "{still:#?}");
    let cancelled = list(
        server,
        pb::ListDeadlinesRequest {
            state: DeadlineState::Cancelled as i32,
            ..Default::default()
        },
    )
    .await;
    assert!(cancelled.deadlines.iter().any(|d| d.code == "TAF-FIRST"));
    assert!(
        cancelled
            .deadlines
            .iter()
            .all(|d| d.cancel_reason == "the case closed")
    );
    assert!(
        list(
            server,
            pb::ListDeadlinesRequest {
                state: DeadlineState::Overdue as i32,
                ..Default::default()
            },
        )
        .await
        .deadlines
        .is_empty()
    );
}

on_each_backend!(bradford_deadlines_over_christmas);

async fn summary(server: &TestServer, from: &str, to: &str) -> pb::ComplianceSummary {
    server
        .cases()
        .await
        .get_compliance_summary(as_practitioner(
            BRADFORD,
            pb::GetComplianceSummaryRequest {
                authority: format!("authorities/{BRADFORD}"),
                from_date: from.into(),
                to_date: to.into(),
            },
        ))
        .await
        .unwrap()
        .into_inner()
}

/// The field a refused call names.
fn field(status: &tonic::Status) -> String {
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    let bad = status
        .get_error_details()
        .bad_request()
        .cloned()
        .expect("a BadRequest");
    bad.field_violations
        .iter()
        .map(|v| v.field.clone())
        .collect::<Vec<_>>()
        .join(",")
}

async fn bad_deadline_queries_name_the_field(server: &TestServer) {
    server.clock.set(at("2026-12-21T10:00:00Z"));
    let mut cases = server.cases().await;
    let parent = format!("authorities/{BRADFORD}");
    let bad = [
        (
            pb::ListDeadlinesRequest {
                due_after: ts("2027-01-01T00:00:00Z"),
                due_before: ts("2026-12-01T00:00:00Z"),
                ..Default::default()
            },
            "due_before",
        ),
        (
            pb::ListDeadlinesRequest {
                state: 99,
                ..Default::default()
            },
            "state",
        ),
        (
            pb::ListDeadlinesRequest {
                code: "NOT-A-DEADLINE".into(),
                ..Default::default()
            },
            "code",
        ),
        (
            pb::ListDeadlinesRequest {
                level: "L9".into(),
                ..Default::default()
            },
            "level",
        ),
    ];
    for (r, expect) in bad {
        let status = cases
            .list_deadlines(as_practitioner(
                BRADFORD,
                pb::ListDeadlinesRequest {
                    parent: parent.clone(),
                    ..r
                },
            ))
            .await
            .unwrap_err();
        assert_eq!(field(&status), expect);
    }

    // A page token from another query.
    for _ in 0..2 {
        open_case(server, BRADFORD, 3, Some(("L3", "test"))).await;
    }
    let first = list(
        server,
        pb::ListDeadlinesRequest {
            page_size: 1,
            ..Default::default()
        },
    )
    .await;
    assert!(!first.next_page_token.is_empty());
    let status = cases
        .list_deadlines(as_practitioner(
            BRADFORD,
            pb::ListDeadlinesRequest {
                parent: parent.clone(),
                page_size: 1,
                page_token: first.next_page_token.clone(),
                code: "FSW-ALLOCATION".into(),
                ..Default::default()
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(field(&status), "page_token");
    // The same query pages on to the end without repeats.
    let mut seen = first
        .deadlines
        .iter()
        .map(|d| d.name.clone())
        .collect::<Vec<_>>();
    let mut token = first.next_page_token;
    while !token.is_empty() {
        let page = list(
            server,
            pb::ListDeadlinesRequest {
                page_size: 1,
                page_token: token,
                ..Default::default()
            },
        )
        .await;
        seen.extend(page.deadlines.iter().map(|d| d.name.clone()));
        token = page.next_page_token;
    }
    let all = list(server, pb::ListDeadlinesRequest::default()).await;
    assert_eq!(
        seen,
        all.deadlines
            .iter()
            .map(|d| d.name.clone())
            .collect::<Vec<_>>()
    );

    let status = cases
        .get_compliance_summary(as_practitioner(
            BRADFORD,
            pb::GetComplianceSummaryRequest {
                authority: parent.clone(),
                from_date: "2027-01-31".into(),
                to_date: "2026-12-01".into(),
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(field(&status), "to_date");
    let status = cases
        .get_compliance_summary(as_practitioner(
            BRADFORD,
            pb::GetComplianceSummaryRequest {
                authority: parent.clone(),
                from_date: "2026-12-1".into(),
                to_date: "2026-12-31".into(),
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(field(&status), "from_date");

    // An occur_time in the future, or before the case opened, is refused and writes nothing.
    let (case, _) = open_case(server, BRADFORD, 3, Some(("L3", "test"))).await;
    for (when, expect) in [
        ("2026-12-22T10:00:00Z", "occur_time"),
        ("2026-12-20T10:00:00Z", "occur_time"),
    ] {
        let status = cases
            .allocate_case(as_practitioner(
                BRADFORD,
                pb::AllocateCaseRequest {
                    name: case.name.clone(),
                    worker: Some(pb::Worker {
                        name: "Sam".into(),
                        role: describe(server, BRADFORD).await.roles[0].code.clone(),
                    }),
                    etag: case.etag.clone(),
                    occur_time: ts(when),
                },
            ))
            .await
            .unwrap_err();
        assert_eq!(field(&status), expect, "{when}");
    }
    assert_eq!(get(server, &case.name).await.etag, case.etag);
}

on_each_backend!(bad_deadline_queries_name_the_field);
