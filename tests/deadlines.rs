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
    let etag = crate::server::case_etag(server, BRADFORD, case).await;
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
                etag,
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

/// Make `event` happen on `case` through the public API; `false` for an event no single call
/// makes (a transition, whose rules need more than a test can give every authority).
async fn fire(
    server: &TestServer,
    code: &str,
    d: &continuum_plugin_api::pb::AuthorityDescription,
    case: &str,
    event: CaseEvent,
) -> bool {
    let mut cases = server.cases().await;
    let etag = crate::server::case_etag(server, code, case).await;
    let contact = |kind: ContactKind| pb::RecordContactRequest {
        name: case.into(),
        etag: etag.clone(),
        contact: Some(pb::ContactRecord {
            kind: kind as i32,
            ..Default::default()
        }),
        ..Default::default()
    };
    let meeting = |kind: MeetingKind| (kind, MeetingOutcome::ContinuePlan);
    let held = match event {
        CaseEvent::CaseAllocated => {
            cases
                .allocate_case(as_practitioner(
                    code,
                    pb::AllocateCaseRequest {
                        name: case.into(),
                        worker: Some(pb::Worker {
                            name: "Sam".into(),
                            role: d.roles[0].code.clone(),
                        }),
                        etag: etag.clone(),
                        ..Default::default()
                    },
                ))
                .await
                .unwrap();
            return true;
        }
        CaseEvent::FirstContactMade | CaseEvent::PhoneCallMade => {
            cases
                .record_contact(as_practitioner(code, contact(ContactKind::PhoneCall)))
                .await
                .unwrap();
            return true;
        }
        CaseEvent::HomeVisitMade => {
            cases
                .record_contact(as_practitioner(code, contact(ContactKind::HomeVisit)))
                .await
                .unwrap();
            return true;
        }
        CaseEvent::OtherContactMade => {
            cases
                .record_contact(as_practitioner(code, contact(ContactKind::Other)))
                .await
                .unwrap();
            return true;
        }
        CaseEvent::PlanAgreed => {
            cases
                .update_plan(as_practitioner(
                    code,
                    pb::UpdatePlanRequest {
                        name: case.into(),
                        plan: Some(pb::Plan {
                            outcomes: vec![pb::PlanOutcome {
                                need: "school attendance".into(),
                                action: "a daily check-in".into(),
                                who: "school".into(),
                                by_date: "2027-06-30".into(),
                                measure: "attendance above 95%".into(),
                            }],
                            update_time: None,
                        }),
                        etag: etag.clone(),
                        ..Default::default()
                    },
                ))
                .await
                .unwrap();
            return true;
        }
        CaseEvent::ConcernOnOpenCase => {
            cases
                .record_concern(as_practitioner(
                    code,
                    pb::RecordConcernRequest {
                        name: case.into(),
                        concern: Some(pb::Concern {
                            text: "new concerns from school".into(),
                            domain: continuum_plugin_api::pb::Domain::ChildDevelopmentalNeeds
                                as i32,
                            ..Default::default()
                        }),
                        etag: etag.clone(),
                        ..Default::default()
                    },
                ))
                .await
                .unwrap();
            return true;
        }
        CaseEvent::StepUpRequested => {
            // A step up to the top level, with consent and every form: it waits for a
            // decision or happens at once; either way it was asked for.
            let now = get_as(server, code, case).await;
            let top = d.levels.last().unwrap().code.clone();
            cases
                .transition_case(as_practitioner(
                    code,
                    pb::TransitionCaseRequest {
                        name: case.into(),
                        kind: TransitionKind::StepUp as i32,
                        target_level: top,
                        reason: "concerns are escalating".into(),
                        consent: Some(pb::ConsentRecord {
                            status: Consent::GivenInWriting as i32,
                            reason: String::new(),
                        }),
                        forms_completed: d.forms.iter().map(|f| f.code.clone()).collect(),
                        etag: now.etag,
                        ..Default::default()
                    },
                ))
                .await
                .unwrap();
            return true;
        }
        CaseEvent::TeamMeetingHeld => meeting(MeetingKind::TeamMeeting),
        CaseEvent::ReviewHeld => meeting(MeetingKind::Review),
        CaseEvent::StepUpConversationHeld => meeting(MeetingKind::StepUpConversation),
        CaseEvent::StepDownMeetingHeld => meeting(MeetingKind::StepDownMeeting),
        CaseEvent::FinalMeetingHeld => meeting(MeetingKind::FinalMeeting),
        CaseEvent::ClosureProposed => (MeetingKind::Review, MeetingOutcome::Close),
        _ => return false,
    };
    let (kind, outcome) = held;
    let mut meetings = server.meetings().await;
    let m = meetings
        .schedule_meeting(as_practitioner(
            code,
            pb::ScheduleMeetingRequest {
                parent: case.into(),
                meeting: Some(pb::Meeting {
                    kind: kind as i32,
                    schedule_time: Some(crate::api_journey::now()),
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
            code,
            pb::RecordMeetingOutcomeRequest {
                name: m.name,
                etag: m.etag,
                attendees: vec!["Family".into(), "Lead practitioner".into()],
                outcome: outcome as i32,
                ..Default::default()
            },
        ))
        .await
        .unwrap();
    true
}

/// Every authority's timescales, on real cases: each deadline kind is started by its event,
/// carries its citation and plugin version, and is met by the first event its rule names.
async fn every_authoritys_deadlines_are_met_by_their_events(server: &TestServer) {
    for code in ["E08000032", "E10000034", "E06000027", "W06000010"] {
        let d = describe(server, code).await;
        let mut shown = std::collections::BTreeSet::new();
        let mut kinds = std::collections::BTreeSet::new();
        for rule in &d.timescales {
            let start = CaseEvent::try_from(rule.event).unwrap();
            for dl in &rule.deadlines {
                kinds.insert(dl.code.clone());
                if shown.contains(&dl.code) {
                    continue;
                }
                let level = if rule.level_code.is_empty() {
                    d.levels[1].code.clone()
                } else {
                    rule.level_code.clone()
                };
                let (case, _) = open_case(server, code, 2, Some((&level, "test"))).await;
                let opened_by = matches!(
                    start,
                    CaseEvent::ReferralAccepted | CaseEvent::ReferralReceived
                );
                if !opened_by && !fire(server, code, &d, &case.name, start).await {
                    continue;
                }
                let now = get_as(server, code, &case.name).await;
                let started = now
                    .deadlines
                    .iter()
                    .find(|x| x.code == dl.code && x.started_by == start as i32)
                    .unwrap_or_else(|| {
                        panic!("{code}: {start:?} at {level} did not start {}", dl.code)
                    });
                let plugin = started.plugin.as_ref().unwrap();
                assert_eq!(
                    (&plugin.name, &plugin.version),
                    (&d.plugin_name, &d.plugin_version)
                );
                assert_eq!(started.citation, dl.citation, "{code} {}", dl.code);
                assert_eq!(started.met_by, dl.met_by, "{code} {}", dl.code);
                let by = CaseEvent::try_from(dl.met_by[0]).unwrap();
                if started.state != DeadlineState::Met as i32 {
                    assert!(
                        fire(server, code, &d, &case.name, by).await,
                        "{code} {}: met by {by:?}, which no call makes",
                        dl.code
                    );
                }
                let after = get_as(server, code, &case.name).await;
                let met = after
                    .deadlines
                    .iter()
                    .find(|x| x.name == started.name)
                    .unwrap();
                assert_eq!(
                    met.state,
                    DeadlineState::Met as i32,
                    "{code} {}: {met:#?}",
                    dl.code
                );
                assert!(dl.met_by.contains(&met.met_event), "{code} {}", dl.code);
                shown.insert(dl.code.clone());
            }
        }
        assert_eq!(
            shown, kinds,
            "{code}: every deadline kind shown on a real case"
        );
    }
}

on_each_backend!(every_authoritys_deadlines_are_met_by_their_events);

async fn get_as(server: &TestServer, code: &str, name: &str) -> pb::Case {
    server
        .cases()
        .await
        .get_case(as_practitioner(
            code,
            pb::GetCaseRequest { name: name.into() },
        ))
        .await
        .unwrap()
        .into_inner()
}

/// RouteContact knows Monday 28 December 2026 is a bank holiday in England without being told;
/// a caller may still say otherwise.
async fn routing_knows_the_bank_holidays(server: &TestServer) {
    let mut authorities = server.authorities().await;
    let mut route = async |public_holiday: Option<bool>| {
        authorities
            .route_contact(as_practitioner(
                BRADFORD,
                pb::RouteContactRequest {
                    authority: format!("authorities/{BRADFORD}"),
                    purpose: continuum_plugin_api::pb::ContactPurpose::SafeguardingReferral as i32,
                    local_time: "2026-12-28T11:00:00".into(),
                    public_holiday,
                    ..Default::default()
                },
            ))
            .await
            .unwrap()
            .into_inner()
            .answer
            .unwrap()
    };
    let holiday = route(None).await;
    assert!(!holiday.open_now, "{holiday:#?}");
    assert_eq!(holiday.next_opening, "2026-12-29T08:30:00");
    assert!(holiday.out_of_hours.is_some(), "{holiday:#?}");
    let overridden = route(Some(false)).await;
    assert!(overridden.open_now, "{overridden:#?}");
}

on_each_backend!(routing_knows_the_bank_holidays);

#[tokio::test]
async fn a_calendar_file_that_does_not_parse_stops_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("closures.json");
    std::fs::write(
        &file,
        "{\n  \"england-and-wales\": {\n    \"division\": \"england-and-wales\",\n    \"events\": [\n      {\"title\": \"Council closure\", \"date\": \"2026-12-32\"}\n    ]\n  }\n}\n",
    )
    .unwrap();
    let config = continuum::config::ServerConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: format!("sqlite://{}", dir.path().join("c.db").display()),
        plugins_dir: crate::support::plugin_dir().to_owned(),
        keys: continuum::config::KeySource::Secret(crate::server::SECRET.to_vec()),
        calendar_file: Some(file.clone()),
        ..Default::default()
    };
    let err = continuum::start(&config)
        .await
        .expect_err("refused")
        .to_string();
    assert!(err.contains(&file.display().to_string()), "{err}");
    assert!(err.contains("line 5"), "{err}");
    assert!(err.contains("2026-12-32"), "{err}");
}
