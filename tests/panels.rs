//! Panels that decide, moves that wait for them, and consent enforced at decision time, through
//! the public API on each backend, with the server's clock moved instead of waited for.

use chrono::{DateTime, Utc};
use continuum::pb::{
    self, AgendaItemKind, AgendaItemState, DeadlineState, MeetingOutcome, ReferralOutcome,
};
use continuum_plugin_api::pb::{Consent, Decider, MeetingKind, TransitionKind};
use prost_types::Timestamp;
use tonic::Code;
use tonic_types::StatusExt;

use crate::api_journey::{describe, open_case, receive_and_decide, referral};
use crate::server::{
    CARMARTHENSHIRE, TestServer, WORCESTERSHIRE, as_practitioner, on_each_backend,
};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn ts(s: &str) -> Option<Timestamp> {
    Some(Timestamp {
        seconds: at(s).timestamp(),
        nanos: 0,
    })
}

const SITTING: &str = "authorities/W06000010/panels/TAF_ALLOCATION/sittings/2026-11-25";

/// A Carmarthenshire case at ASSESSMENT (opened Monday 14 September 2026) whose step down to
/// TARGETED, asked for ten weeks later with JAFF Part 1 and signed consent, waits for the TAF
/// allocation meeting.
async fn step_down_request(server: &TestServer) -> pb::Case {
    server.clock.set(at("2026-09-14T10:00:00Z"));
    let (case, _) = open_case(server, CARMARTHENSHIRE, 2, Some(("ASSESSMENT", "test"))).await;
    server.clock.set(at("2026-11-23T10:00:00Z"));
    let requested = server
        .cases()
        .await
        .transition_case(as_practitioner(
            CARMARTHENSHIRE,
            pb::TransitionCaseRequest {
                name: case.name.clone(),
                kind: TransitionKind::StepDown as i32,
                target_level: "TARGETED".into(),
                reason: "the family's needs can be met by TAF".into(),
                consent: Some(pb::ConsentRecord {
                    status: Consent::GivenInWriting as i32,
                    reason: String::new(),
                }),
                forms_completed: vec!["JAFF_PART_1".into()],
                etag: case.etag.clone(),
                ..Default::default()
            },
        ))
        .await
        .unwrap_or_else(|e| panic!("the step down should wait, not be refused: {e:?}"))
        .into_inner();
    assert_eq!(requested.level, "ASSESSMENT", "it has not moved yet");
    let pending = requested
        .pending_transition
        .as_ref()
        .expect("a pending request");
    assert!(!pending.awaiting.is_empty());
    assert!(
        pending
            .awaiting
            .iter()
            .all(|u| u.decided_by == Decider::Panel as i32
                && u.citation.as_ref().is_some_and(|c| !c.quote.is_empty())),
        "{pending:#?}"
    );
    assert!(!pending.agenda_item.is_empty());
    requested
}

async fn sitting(server: &TestServer, name: &str) -> pb::PanelSitting {
    server
        .panels()
        .await
        .get_panel_sitting(as_practitioner(
            CARMARTHENSHIRE,
            pb::GetPanelSittingRequest { name: name.into() },
        ))
        .await
        .unwrap()
        .into_inner()
}

fn item_of<'a>(sitting: &'a pb::PanelSitting, case: &pb::Case) -> &'a pb::AgendaItem {
    sitting
        .agenda
        .iter()
        .find(|i| i.subject == case.name)
        .unwrap_or_else(|| panic!("{} is not on {:#?}", case.name, sitting.agenda))
}

fn decision(item: &pb::AgendaItem, code: &str, reason: &str) -> pb::RecordPanelDecisionRequest {
    pb::RecordPanelDecisionRequest {
        sitting: SITTING.into(),
        item: item.name.clone(),
        decision: code.into(),
        present: vec!["TAF Manager".into(), "Health visitor".into()],
        reason: reason.into(),
        etag: item.etag.clone(),
        ..Default::default()
    }
}

/// The field a refused call names.
fn field(status: &tonic::Status) -> String {
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    status
        .get_error_details()
        .bad_request()
        .map(|b| {
            b.field_violations
                .iter()
                .map(|v| v.field.clone())
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default()
}

async fn carmarthenshire_step_down_goes_to_the_allocation_meeting(server: &TestServer) {
    let case = step_down_request(server).await;

    // The next sittings from Monday 23 November 2026: Wednesdays.
    let sittings = server
        .panels()
        .await
        .list_panel_sittings(as_practitioner(
            CARMARTHENSHIRE,
            pb::ListPanelSittingsRequest {
                parent: "authorities/W06000010/panels/TAF_ALLOCATION".into(),
                from_date: "2026-11-23".into(),
                count: 3,
            },
        ))
        .await
        .unwrap()
        .into_inner();
    let dates: Vec<&str> = sittings.sittings.iter().map(|s| s.date.as_str()).collect();
    assert_eq!(dates, ["2026-11-25", "2026-12-02", "2026-12-09"]);

    let agenda = sitting(server, SITTING).await;
    let item = item_of(&agenda, &case).clone();
    assert_eq!(item.kind, AgendaItemKind::TransitionRequest as i32);
    assert_eq!(item.state, AgendaItemState::Queued as i32);
    assert_eq!(item.requested_level, "TARGETED");
    assert!(!item.conditions.is_empty());
    assert_eq!(
        case.pending_transition.as_ref().unwrap().agenda_item,
        item.name
    );

    // Bad decisions name the field and write nothing.
    let mut panels = server.panels().await;
    server.clock.set(at("2026-11-25T14:00:00Z"));
    let bad = [
        (
            pb::RecordPanelDecisionRequest {
                sitting: "authorities/W06000010/panels/TAF_ALLOCATION/sittings/2026-11-24".into(),
                ..decision(&item, "ACCEPT_MULTI_AGENCY", "")
            },
            "sitting",
        ),
        (decision(&item, "ACCEPT_EVERYTHING", ""), "decision"),
        (decision(&item, "DECLINE", ""), "reason"),
        (
            pb::RecordPanelDecisionRequest {
                sitting: "authorities/W06000010/panels/TAF_ALLOCATION/sittings/2026-12-02".into(),
                ..decision(&item, "ACCEPT_MULTI_AGENCY", "")
            },
            "item",
        ),
    ];
    for (request, expect) in bad {
        let status = panels
            .record_panel_decision(as_practitioner(CARMARTHENSHIRE, request))
            .await
            .unwrap_err();
        assert_eq!(field(&status), expect);
    }
    let stale = panels
        .record_panel_decision(as_practitioner(
            CARMARTHENSHIRE,
            pb::RecordPanelDecisionRequest {
                etag: "v9".into(),
                ..decision(&item, "ACCEPT_MULTI_AGENCY", "")
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(stale.code(), Code::Aborted, "{stale:?}");
    assert_eq!(
        item_of(&sitting(server, SITTING).await, &case).etag,
        item.etag,
        "nothing written"
    );

    // Ten members record the decision at once: exactly one is recorded.
    let mut calls = Vec::new();
    for _ in 0..10 {
        let mut panels = server.panels().await;
        let request = decision(&item, "ACCEPT_MULTI_AGENCY", "");
        calls.push(tokio::spawn(async move {
            panels
                .record_panel_decision(as_practitioner(CARMARTHENSHIRE, request))
                .await
        }));
    }
    let mut won = Vec::new();
    for call in calls {
        match call.await.unwrap() {
            Ok(item) => won.push(item.into_inner()),
            Err(status) => assert_eq!(status.code(), Code::Aborted, "{status:?}"),
        }
    }
    assert_eq!(won.len(), 1);
    let decided = &won[0];
    assert_eq!(decided.state, AgendaItemState::Decided as i32);
    let d = decided.decision.as_ref().unwrap();
    assert_eq!(
        (d.code.as_str(), d.level.as_str()),
        ("ACCEPT_MULTI_AGENCY", "TARGETED")
    );

    let moved = server
        .cases()
        .await
        .get_case(as_practitioner(
            CARMARTHENSHIRE,
            pb::GetCaseRequest {
                name: case.name.clone(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(moved.level, "TARGETED");
    assert!(moved.pending_transition.is_none());
    let history = events(server, CARMARTHENSHIRE, &case.name).await;
    assert!(
        history
            .iter()
            .any(|e| e.kind == "case.transition_requested")
    );
    assert!(history.iter().any(|e| e.kind == "case.step_down"));

    // Another family's request, declined: the worker who asked is to be told why.
    let other = step_down_request(server).await;
    let agenda = sitting(server, SITTING).await;
    let item = item_of(&agenda, &other).clone();
    server.clock.set(at("2026-11-25T15:00:00Z"));
    server
        .panels()
        .await
        .record_panel_decision(as_practitioner(
            CARMARTHENSHIRE,
            decision(&item, "DECLINE", "needs are still at the assessment level"),
        ))
        .await
        .unwrap();
    let history = events(server, CARMARTHENSHIRE, &other.name).await;
    let declined = history
        .iter()
        .find(|e| e.kind == "case.transition_request_declined")
        .expect("the decline is recorded");
    assert!(declined.summary.contains("Tell"), "{declined:?}");
    assert_eq!(declined.reason, "needs are still at the assessment level");
}

on_each_backend!(carmarthenshire_step_down_goes_to_the_allocation_meeting);

async fn events(server: &TestServer, code: &str, case: &str) -> Vec<pb::CaseEvent> {
    server
        .cases()
        .await
        .list_case_events(as_practitioner(
            code,
            pb::ListCaseEventsRequest {
                name: case.into(),
                page_size: 500,
                ..Default::default()
            },
        ))
        .await
        .unwrap()
        .into_inner()
        .events
}

/// A referral queued for the panel, declined: the referrer's details are in the record.
async fn a_declined_referral_records_whom_to_tell(server: &TestServer) {
    server.clock.set(at("2026-11-23T10:00:00Z"));
    let d = describe(server, CARMARTHENSHIRE).await;
    let mut referrals = server.referrals().await;
    let created = referrals
        .create_referral(as_practitioner(
            CARMARTHENSHIRE,
            pb::CreateReferralRequest {
                parent: format!("authorities/{CARMARTHENSHIRE}"),
                referral: Some(referral(&d, 2)),
                request_id: String::new(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    let screened = referrals
        .screen_referral(as_practitioner(
            CARMARTHENSHIRE,
            pb::ScreenReferralRequest {
                name: created.name.clone(),
                request_id: String::new(),
                etag: created.etag.clone(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    let level = screened.recommendation.clone().unwrap().level;
    referrals
        .decide_referral(as_practitioner(
            CARMARTHENSHIRE,
            pb::DecideReferralRequest {
                name: created.name.clone(),
                level,
                outcome: ReferralOutcome::QueueForPanel as i32,
                etag: screened.etag.clone(),
                ..Default::default()
            },
        ))
        .await
        .unwrap();
    let agenda = sitting(server, SITTING).await;
    let item = agenda
        .agenda
        .iter()
        .find(|i| i.subject == created.name)
        .expect("the referral is on the next Wednesday's agenda")
        .clone();
    assert_eq!(item.kind, AgendaItemKind::Referral as i32);
    assert!(item.recommendation.is_some());
    server.clock.set(at("2026-11-25T14:00:00Z"));
    server
        .panels()
        .await
        .record_panel_decision(as_practitioner(
            CARMARTHENSHIRE,
            decision(&item, "DECLINE", "universal services can meet these needs"),
        ))
        .await
        .unwrap();
    // The referral's history (read through a case is not possible: none opened) is in the
    // sitting: the item is decided with the reason.
    let agenda = sitting(server, SITTING).await;
    let decided = agenda.agenda.iter().find(|i| i.name == item.name).unwrap();
    let decision = decided.decision.as_ref().unwrap();
    assert_eq!(decision.reason, "universal services can meet these needs");
    assert!(decision.case.is_empty());
}

on_each_backend!(a_declined_referral_records_whom_to_tell);

/// Worcestershire: a step up asked for on an early help case starts the 24-hour conversation
/// deadline at the case's current level; holding the conversation meets it; the move then
/// happens on the meeting's agreement.
async fn a_worcestershire_step_up_waits_for_the_conversation(server: &TestServer) {
    server.clock.set(at("2026-11-23T10:00:00Z"));
    let d = describe(server, WORCESTERSHIRE).await;
    let (case, _) = open_case(server, WORCESTERSHIRE, 3, Some(("L3", "test"))).await;
    let mut cases = server.cases().await;
    let requested = cases
        .transition_case(as_practitioner(
            WORCESTERSHIRE,
            pb::TransitionCaseRequest {
                name: case.name.clone(),
                kind: TransitionKind::StepUp as i32,
                target_level: "L4".into(),
                reason: "concerns are escalating".into(),
                consent: Some(pb::ConsentRecord {
                    status: Consent::GivenInWriting as i32,
                    reason: String::new(),
                }),
                forms_completed: d.forms.iter().map(|f| f.code.clone()).collect(),
                etag: case.etag.clone(),
                ..Default::default()
            },
        ))
        .await
        .unwrap_or_else(|e| panic!("the step up should wait for the conversation: {e:?}"))
        .into_inner();
    assert_eq!(requested.level, "L3");
    let pending = requested.pending_transition.as_ref().expect("pending");
    assert!(
        pending
            .awaiting
            .iter()
            .all(|u| u.decided_by == Decider::Meeting as i32),
        "{pending:#?}"
    );
    let conversation = requested
        .deadlines
        .iter()
        .find(|dl| dl.code == "WOR-STEP-UP-CONVERSATION")
        .expect("the 24-hour conversation deadline");
    assert_eq!(conversation.level, "L3");
    assert_eq!(conversation.state, DeadlineState::Pending as i32);

    server.clock.set(at("2026-11-24T09:00:00Z"));
    let mut meetings = server.meetings().await;
    let m = meetings
        .schedule_meeting(as_practitioner(
            WORCESTERSHIRE,
            pb::ScheduleMeetingRequest {
                parent: case.name.clone(),
                meeting: Some(pb::Meeting {
                    kind: MeetingKind::StepUpConversation as i32,
                    schedule_time: ts("2026-11-24T09:00:00Z"),
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
            WORCESTERSHIRE,
            pb::RecordMeetingOutcomeRequest {
                name: m.name,
                etag: m.etag,
                attendees: vec!["EIFS worker".into(), "MASH social worker".into()],
                outcome: MeetingOutcome::StepUp as i32,
                ..Default::default()
            },
        ))
        .await
        .unwrap();
    let now = cases
        .get_case(as_practitioner(
            WORCESTERSHIRE,
            pb::GetCaseRequest {
                name: case.name.clone(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    let conversation = now
        .deadlines
        .iter()
        .find(|dl| dl.code == "WOR-STEP-UP-CONVERSATION")
        .unwrap();
    assert_eq!(conversation.state, DeadlineState::Met as i32);
    assert!(!conversation.met_late);

    let moved = cases
        .decide_transition_request(as_practitioner(
            WORCESTERSHIRE,
            pb::DecideTransitionRequestRequest {
                name: case.name.clone(),
                agree: true,
                reason: "agreed at the conversation".into(),
                etag: now.etag.clone(),
                ..Default::default()
            },
        ))
        .await
        .unwrap_or_else(|e| panic!("the step up should happen now: {e:?}"))
        .into_inner();
    assert_eq!(moved.level, "L4");
    assert!(moved.pending_transition.is_none());
}

on_each_backend!(a_worcestershire_step_up_waits_for_the_conversation);

/// Consent at decision time: early help with consent refused is refused, with the rule's
/// citation; a safeguarding referral made without consent for fear of significant harm, with
/// the reason, goes ahead.
async fn consent_is_enforced_when_deciding(server: &TestServer) {
    let d = describe(server, WORCESTERSHIRE).await;
    let decide = async |mut referral: pb::Referral, outcome: ReferralOutcome| {
        referral.receive_time = None;
        receive_and_decide(server, WORCESTERSHIRE, referral, outcome, |_| {}).await
    };
    let mut refused = referral(&d, 2);
    refused.consent = Some(pb::ConsentRecord {
        status: Consent::Refused as i32,
        reason: "the parents do not want services involved".into(),
    });
    let status = decide(refused, ReferralOutcome::OpenCase)
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::FailedPrecondition, "{status:?}");
    let failure = status
        .get_error_details()
        .precondition_failure()
        .cloned()
        .expect("a PreconditionFailure");
    assert_eq!(failure.violations[0].r#type, "CONSENT");
    assert!(
        failure.violations[0].subject.starts_with("shared/seeds/"),
        "{failure:?}"
    );

    let mut safeguarding = referral(&d, 4);
    safeguarding.significant_harm_suspected = true;
    safeguarding.consent = Some(pb::ConsentRecord {
        status: Consent::NotSought as i32,
        reason: "seeking consent would place the child at risk of significant harm".into(),
    });
    let decided = decide(safeguarding, ReferralOutcome::ReferStatutory)
        .await
        .unwrap_or_else(|e| panic!("a safeguarding referral without consent goes ahead: {e:?}"));
    assert_eq!(
        decided.referral.unwrap().consent.unwrap().reason,
        "seeking consent would place the child at risk of significant harm"
    );
}

on_each_backend!(consent_is_enforced_when_deciding);
