//! One family's whole journey through the public API, on each backend: referral, screening,
//! decision, case, allocation, team, contact, plan, team meeting, review, step up, step down,
//! final meeting and closure, with its history in order.

use continuum::pb::referral_service_client::ReferralServiceClient;
use continuum::pb::{
    self, CaseStatus, ContactKind, MeetingOutcome, ReferralOutcome, ReferralStatus,
};
use continuum_plugin_api::pb::{AuthorityDescription, Consent, MeetingKind, TransitionKind};
use prost_types::Timestamp;
use tonic::transport::Channel;

use crate::server::{TestServer, WORCESTERSHIRE, as_practitioner, on_each_backend};

/// Now, to the nanosecond: a time a practitioner gives for what just happened (never before the
/// case opened, which was earlier on the same clock).
pub fn now() -> Timestamp {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    Timestamp {
        seconds: now.as_secs() as i64,
        nanos: now.subsec_nanos() as i32,
    }
}

/// Today's UK date, "YYYY-MM-DD" (the server's clock when a test has not moved it).
pub fn today() -> String {
    continuum_domain::uk_time::to_local(chrono::Utc::now())
        .date()
        .format("%Y-%m-%d")
        .to_string()
}

pub async fn describe(server: &TestServer, code: &str) -> AuthorityDescription {
    describe_on(server.channel().await, code).await
}

/// The description of authority `code`, as the server behind `channel` gives it.
pub async fn describe_on(channel: Channel, code: &str) -> AuthorityDescription {
    pb::authority_service_client::AuthorityServiceClient::new(channel)
        .get_authority(as_practitioner(
            code,
            pb::GetAuthorityRequest {
                name: format!("authorities/{code}"),
            },
        ))
        .await
        .unwrap()
        .into_inner()
        .description
        .unwrap()
}

/// A well-formed referral to `d`'s authority with one concern at level `level_rank`.
pub fn referral(d: &AuthorityDescription, level_rank: usize) -> pb::Referral {
    let level = &d.levels[level_rank - 1].code;
    let indicator = d
        .indicators
        .iter()
        .find(|i| &i.level_code == level)
        .expect("an indicator at that level");
    pb::Referral {
        child: Some(pb::Child {
            given_name: "Amira".into(),
            family_name: "Khan".into(),
            date_of_birth: "2017-03-14".into(),
            ..Default::default()
        }),
        household: Some(pb::Household {
            address: "1 Example Street".into(),
            members: vec![pb::HouseholdMember {
                name: "Sara Khan".into(),
                relationship: "mother".into(),
            }],
        }),
        referrer: Some(pb::Referrer {
            name: "Jo Patel".into(),
            agency: "St Mary's Primary School".into(),
            role: "Designated Safeguarding Lead".into(),
            phone: "01905 000000".into(),
            ..Default::default()
        }),
        concerns: vec![pb::Concern {
            indicator_code: indicator.code.clone(),
            text: "Attendance has fallen this term".into(),
            domain: indicator.domain,
        }],
        consent: Some(pb::ConsentRecord {
            status: Consent::GivenInWriting as i32,
            reason: String::new(),
        }),
        ..Default::default()
    }
}

/// Receive `referral`, screen it, and decide it at the recommended level with `outcome`;
/// `adjust` may change the decision request (its level, reason, children ...) before it is sent.
/// The decision's answer, or its refusal.
pub async fn receive_and_decide(
    server: &TestServer,
    code: &str,
    referral: pb::Referral,
    outcome: ReferralOutcome,
    adjust: impl FnOnce(&mut pb::DecideReferralRequest),
) -> Result<pb::DecideReferralResponse, tonic::Status> {
    let mut referrals = server.referrals().await;
    receive_and_decide_with(&mut referrals, code, referral, outcome, adjust).await
}

/// [`receive_and_decide`] with a client of any server.
pub async fn receive_and_decide_with(
    referrals: &mut ReferralServiceClient<Channel>,
    code: &str,
    referral: pb::Referral,
    outcome: ReferralOutcome,
    adjust: impl FnOnce(&mut pb::DecideReferralRequest),
) -> Result<pb::DecideReferralResponse, tonic::Status> {
    let created = referrals
        .create_referral(as_practitioner(
            code,
            pb::CreateReferralRequest {
                parent: format!("authorities/{code}"),
                referral: Some(referral),
                request_id: String::new(),
            },
        ))
        .await
        .unwrap_or_else(|e| panic!("{code}: {e:?}"))
        .into_inner();
    let screened = referrals
        .screen_referral(as_practitioner(
            code,
            pb::ScreenReferralRequest {
                name: created.name.clone(),
                request_id: String::new(),
                etag: created.etag.clone(),
            },
        ))
        .await
        .unwrap_or_else(|e| panic!("{code}: {e:?}"))
        .into_inner();
    let recommendation = screened.recommendation.unwrap();
    let mut decision = pb::DecideReferralRequest {
        name: created.name,
        level: recommendation.level,
        outcome: outcome as i32,
        etag: screened.etag,
        ..Default::default()
    };
    adjust(&mut decision);
    referrals
        .decide_referral(as_practitioner(code, decision))
        .await
        .map(tonic::Response::into_inner)
}

/// Receive a referral with one concern at `level_rank`, screen it, and open a case: at the
/// recommended level, or at `decide` (a level code and the reason it differs).
pub async fn open_case(
    server: &TestServer,
    code: &str,
    level_rank: usize,
    decide: Option<(&str, &str)>,
) -> (pb::Case, pb::Recommendation) {
    let d = describe(server, code).await;
    let decided = receive_and_decide(
        server,
        code,
        referral(&d, level_rank),
        ReferralOutcome::OpenCase,
        |r| {
            if let Some((level, reason)) = decide {
                r.level = level.to_owned();
                r.reason = reason.to_owned();
            }
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{code}: {e:?}"));
    let referral = decided.referral.unwrap();
    (decided.case.unwrap(), referral.recommendation.unwrap())
}

async fn hold_meeting(
    server: &TestServer,
    authority: &str,
    case: &str,
    kind: MeetingKind,
    outcome: MeetingOutcome,
) {
    let mut meetings = server.meetings().await;
    let meeting = meetings
        .schedule_meeting(as_practitioner(
            authority,
            pb::ScheduleMeetingRequest {
                parent: case.into(),
                meeting: Some(pb::Meeting {
                    kind: kind as i32,
                    schedule_time: Some(now()),
                    invitees: vec!["Sara Khan".into(), "Jo Patel".into()],
                    ..Default::default()
                }),
                request_id: String::new(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(meeting.state, pb::MeetingState::Scheduled as i32);
    let held = meetings
        .record_meeting_outcome(as_practitioner(
            authority,
            pb::RecordMeetingOutcomeRequest {
                name: meeting.name.clone(),
                held_time: Some(now()),
                attendees: vec!["Sara Khan".into(), "Jo Patel".into()],
                outcome: outcome as i32,
                next_review_date: "2027-01-15".into(),
                notes: String::new(),
                etag: meeting.etag.clone(),
                request_id: String::new(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(held.state, pb::MeetingState::Held as i32);
}

async fn transition(
    server: &TestServer,
    case: &pb::Case,
    kind: TransitionKind,
    target: &str,
    d: &AuthorityDescription,
) -> pb::Case {
    let mut cases = server.cases().await;
    cases
        .transition_case(as_practitioner(
            WORCESTERSHIRE,
            pb::TransitionCaseRequest {
                name: case.name.clone(),
                kind: kind as i32,
                target_level: target.into(),
                reason: format!("agreed at the meeting: {}", kind.as_str_name()),
                consent: Some(pb::ConsentRecord {
                    status: Consent::GivenInWriting as i32,
                    reason: String::new(),
                }),
                forms_completed: d.forms.iter().map(|f| f.code.clone()).collect(),
                significant_harm_suspected: false,
                etag: case.etag.clone(),
                request_id: String::new(),
                from_authority: String::new(),
                occur_time: Default::default(),
                closure_reason: Default::default(),
            },
        ))
        .await
        .unwrap_or_else(|e| panic!("{kind:?} to {target:?} refused: {e:?}"))
        .into_inner()
}

async fn journey(server: &TestServer) {
    let d = describe(server, WORCESTERSHIRE).await;
    let (l3, l4) = (d.levels[2].code.clone(), d.levels[3].code.clone());
    let mut referrals = server.referrals().await;
    let mut cases = server.cases().await;

    // A referral comes in...
    let created = referrals
        .create_referral(as_practitioner(
            WORCESTERSHIRE,
            pb::CreateReferralRequest {
                parent: format!("authorities/{WORCESTERSHIRE}"),
                referral: Some(referral(&d, 3)),
                request_id: "journey-referral-1".into(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert!(created.name.starts_with("authorities/E10000034/referrals/"));
    assert_eq!(created.status, ReferralStatus::Received as i32);

    // ...the authority's thresholds recommend a level, with reasons and the plugin version...
    let screened = referrals
        .screen_referral(as_practitioner(
            WORCESTERSHIRE,
            pb::ScreenReferralRequest {
                name: created.name.clone(),
                request_id: String::new(),
                etag: created.etag.clone(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    let recommendation = screened.recommendation.clone().unwrap();
    assert_eq!(screened.status, ReferralStatus::Screened as i32);
    assert_eq!(recommendation.level, l3);
    assert!(!recommendation.reasons.is_empty());
    assert!(recommendation.reasons.iter().all(|r| {
        r.citation
            .as_ref()
            .is_some_and(|c| c.source.starts_with("shared/seeds/"))
    }));
    assert_eq!(recommendation.plugin.as_ref().unwrap().name, d.plugin_name);
    assert_eq!(
        recommendation.plugin.as_ref().unwrap().version,
        d.plugin_version
    );

    // ...a practitioner decides, and a case opens at that level...
    let decided = referrals
        .decide_referral(as_practitioner(
            WORCESTERSHIRE,
            pb::DecideReferralRequest {
                name: created.name.clone(),
                level: l3.clone(),
                outcome: ReferralOutcome::OpenCase as i32,
                reason: String::new(),
                request_id: "journey-decision-1".into(),
                etag: screened.etag.clone(),
                occur_time: Default::default(),
                primary_need: Default::default(),
                children: Default::default(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    let decision = decided.referral.as_ref().unwrap().decision.clone().unwrap();
    assert!(!decision.differs_from_recommendation);
    let case = decided.case.unwrap();
    assert_eq!(case.level, l3);
    assert_eq!(case.status, CaseStatus::Open as i32);
    assert_eq!(decided.referral.unwrap().case, case.name);

    // ...is allocated, the team forms, the family is visited and a plan is agreed...
    let case = cases
        .allocate_case(as_practitioner(
            WORCESTERSHIRE,
            pb::AllocateCaseRequest {
                name: case.name.clone(),
                worker: Some(pb::Worker {
                    name: "Chris Morgan".into(),
                    role: d.roles[0].code.clone(),
                }),
                etag: case.etag.clone(),
                occur_time: Default::default(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    let case = cases
        .update_team(as_practitioner(
            WORCESTERSHIRE,
            pb::UpdateTeamRequest {
                name: case.name.clone(),
                join: vec![
                    pb::TeamMember {
                        name: "Jo Patel".into(),
                        agency: "St Mary's Primary School".into(),
                        role: "DSL".into(),
                        join_time: None,
                    },
                    pb::TeamMember {
                        name: "Pat Lee".into(),
                        agency: "School Nursing".into(),
                        role: "School nurse".into(),
                        join_time: None,
                    },
                ],
                leave: vec![],
                etag: case.etag.clone(),
                occur_time: Default::default(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(case.team.len(), 2);
    let case = cases
        .record_contact(as_practitioner(
            WORCESTERSHIRE,
            pb::RecordContactRequest {
                name: case.name.clone(),
                contact: Some(pb::ContactRecord {
                    kind: ContactKind::HomeVisit as i32,
                    contact_time: Some(now()),
                    notes: "Met Sara and Amira".into(),
                    recorded_by: String::new(),
                }),
                etag: case.etag.clone(),
                request_id: String::new(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    let case = cases
        .update_plan(as_practitioner(
            WORCESTERSHIRE,
            pb::UpdatePlanRequest {
                name: case.name.clone(),
                plan: Some(pb::Plan {
                    outcomes: vec![pb::PlanOutcome {
                        need: "Amira attends school every day".into(),
                        action: "Morning routine support".into(),
                        who: "Chris Morgan".into(),
                        by_date: "2027-02-01".into(),
                        measure: "Attendance above 95%".into(),
                    }],
                    update_time: None,
                }),
                etag: case.etag.clone(),
                occur_time: Default::default(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(case.allocated_worker.as_ref().unwrap().name, "Chris Morgan");

    // ...the team meets and reviews, steps up to statutory services and back down...
    hold_meeting(
        server,
        WORCESTERSHIRE,
        &case.name,
        MeetingKind::TeamMeeting,
        MeetingOutcome::ContinuePlan,
    )
    .await;
    hold_meeting(
        server,
        WORCESTERSHIRE,
        &case.name,
        MeetingKind::Review,
        MeetingOutcome::StepUp,
    )
    .await;
    hold_meeting(
        server,
        WORCESTERSHIRE,
        &case.name,
        MeetingKind::StepUpConversation,
        MeetingOutcome::StepUp,
    )
    .await;
    let case = cases
        .get_case(as_practitioner(
            WORCESTERSHIRE,
            pb::GetCaseRequest {
                name: case.name.clone(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    let case = transition(server, &case, TransitionKind::StepUp, &l4, &d).await;
    assert_eq!(case.level, l4);
    hold_meeting(
        server,
        WORCESTERSHIRE,
        &case.name,
        MeetingKind::StepDownMeeting,
        MeetingOutcome::StepDown,
    )
    .await;
    let case = cases
        .get_case(as_practitioner(
            WORCESTERSHIRE,
            pb::GetCaseRequest {
                name: case.name.clone(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    // The step down waits for a manager's agreement that the risk has reduced.
    let case = transition(server, &case, TransitionKind::StepDown, &l3, &d).await;
    assert_eq!(case.level, l4);
    let pending = case
        .pending_transition
        .clone()
        .expect("waits for a manager");
    assert!(
        pending
            .awaiting
            .iter()
            .all(|u| u.decided_by == continuum_plugin_api::pb::Decider::Manager as i32),
        "{pending:#?}"
    );
    let refused = cases
        .decide_transition_request(as_practitioner(
            WORCESTERSHIRE,
            pb::DecideTransitionRequestRequest {
                name: case.name.clone(),
                agree: true,
                etag: case.etag.clone(),
                ..Default::default()
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), tonic::Code::PermissionDenied, "{refused:?}");
    let case = cases
        .decide_transition_request(crate::server::with_token(
            &crate::server::token("maria", WORCESTERSHIRE, continuum::auth::Role::Manager),
            pb::DecideTransitionRequestRequest {
                name: case.name.clone(),
                agree: true,
                reason: "the child's plan is complete and the risk has reduced".into(),
                etag: case.etag.clone(),
                ..Default::default()
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(case.level, l3);
    assert!(case.pending_transition.is_none());

    // ...and closes after a final meeting.
    hold_meeting(
        server,
        WORCESTERSHIRE,
        &case.name,
        MeetingKind::FinalMeeting,
        MeetingOutcome::Close,
    )
    .await;
    let case = cases
        .get_case(as_practitioner(
            WORCESTERSHIRE,
            pb::GetCaseRequest {
                name: case.name.clone(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    let closed = transition(server, &case, TransitionKind::Close, "", &d).await;
    assert_eq!(closed.status, CaseStatus::Closed as i32);
    assert!(closed.close_time.is_some());

    // The whole history, in order, from the referral to the closure.
    let events = cases
        .list_case_events(as_practitioner(
            WORCESTERSHIRE,
            pb::ListCaseEventsRequest {
                name: case.name.clone(),
                page_size: 0,
                page_token: String::new(),
            },
        ))
        .await
        .unwrap()
        .into_inner()
        .events;
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    let held = ["meeting.scheduled", "meeting.held"];
    let mut expected = vec![
        "referral.created",
        "referral.screened",
        "referral.decided",
        "case.opened",
        "case.allocated",
        "case.team_updated",
        "case.contact_recorded",
        "case.plan_updated",
    ];
    expected.extend(held);
    expected.extend(held);
    expected.extend(held);
    expected.push("case.step_up");
    expected.extend(held);
    expected.push("case.transition_requested");
    expected.push("case.step_down");
    expected.extend(held);
    expected.push("case.close");
    assert_eq!(kinds, expected);
    let step_up = events.iter().find(|e| e.kind == "case.step_up").unwrap();
    assert_eq!(
        (step_up.from_level.as_str(), step_up.to_level.as_str()),
        (l3.as_str(), l4.as_str())
    );
    assert!(
        !step_up.rules.is_empty(),
        "the rule check is kept with the event"
    );
    assert_eq!(step_up.plugin.as_ref().unwrap().version, d.plugin_version);
    assert!(step_up.consent.is_some());
    // Everything was done by the practitioner, except the manager's agreement to step down.
    for e in &events {
        let by = if e.kind == "case.step_down" {
            "maria (manager)"
        } else {
            "alice (practitioner)"
        };
        assert_eq!(e.actor, by, "{e:?}");
    }

    // Paging through the same history gives the same events.
    let mut paged = Vec::new();
    let mut token = String::new();
    loop {
        let page = cases
            .list_case_events(as_practitioner(
                WORCESTERSHIRE,
                pb::ListCaseEventsRequest {
                    name: case.name.clone(),
                    page_size: 4,
                    page_token: token,
                },
            ))
            .await
            .unwrap()
            .into_inner();
        paged.extend(page.events);
        token = page.next_page_token;
        if token.is_empty() {
            break;
        }
    }
    assert_eq!(paged, events);
}

on_each_backend!(journey);
