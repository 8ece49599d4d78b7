//! Bad input, stale etags, retries, authentication and isolation between authorities, through
//! the public API on each backend.

use continuum::auth::Role;
use continuum::pb::{self, ContactKind, ReferralOutcome};
use continuum_plugin_api::pb::{Consent, MeetingKind, TransitionKind};
use tonic::{Code, Status};
use tonic_types::StatusExt;

use crate::api_journey::{describe, now, referral};
use crate::server::{
    CARMARTHENSHIRE, TestServer, WORCESTERSHIRE, as_practitioner, on_each_backend, token,
    with_token,
};

const PARENT: &str = "authorities/E10000034";

/// The fields an INVALID_ARGUMENT status names.
fn bad_fields(status: &Status) -> Vec<String> {
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    let details = status.get_error_details();
    let bad = details.bad_request().expect("a BadRequest detail");
    bad.field_violations
        .iter()
        .map(|v| v.field.clone())
        .collect()
}

fn assert_names(status: &Status, field: &str) {
    let fields = bad_fields(status);
    assert!(
        fields.iter().any(|f| f == field),
        "expected a violation of {field}, got {fields:?} ({})",
        status.message()
    );
}

/// An open case at Worcestershire's level 2.
async fn open_case(server: &TestServer) -> pb::Case {
    let d = describe(server, WORCESTERSHIRE).await;
    crate::api_journey::open_case(
        server,
        WORCESTERSHIRE,
        2,
        Some((&d.levels[1].code, "decided at level 2")),
    )
    .await
    .0
}

async fn bad_input_writes_nothing(server: &TestServer) {
    let d = describe(server, WORCESTERSHIRE).await;
    let case = open_case(server).await;
    let before = server.row_counts().await;
    let mut referrals = server.referrals().await;
    let mut cases = server.cases().await;
    let mut meetings = server.meetings().await;

    // CreateReferral: each kind of bad field named.
    let mut r = referral(&d, 3);
    r.child.as_mut().unwrap().given_name = " ".into();
    r.child.as_mut().unwrap().date_of_birth = "2099-01-01".into();
    r.referrer.as_mut().unwrap().agency.clear();
    r.concerns[0].indicator_code = "NOT-AN-INDICATOR".into();
    r.consent = Some(pb::ConsentRecord {
        status: Consent::Refused as i32,
        reason: String::new(),
    });
    let status = referrals
        .create_referral(as_practitioner(
            WORCESTERSHIRE,
            pb::CreateReferralRequest {
                parent: PARENT.into(),
                referral: Some(r),
                request_id: String::new(),
            },
        ))
        .await
        .unwrap_err();
    for field in [
        "referral.child.given_name",
        "referral.child.date_of_birth",
        "referral.referrer.agency",
        "referral.concerns[0].indicator_code",
        "referral.consent.reason",
    ] {
        assert_names(&status, field);
    }
    let mut unborn = referral(&d, 3);
    let child = unborn.child.as_mut().unwrap();
    child.date_of_birth.clear();
    child.expected_date_of_delivery = "2031-01-01".into();
    let status = referrals
        .create_referral(as_practitioner(
            WORCESTERSHIRE,
            pb::CreateReferralRequest {
                parent: PARENT.into(),
                referral: Some(unborn),
                request_id: String::new(),
            },
        ))
        .await
        .unwrap_err();
    assert_names(&status, "referral.child.expected_date_of_delivery");
    let status = referrals
        .create_referral(as_practitioner(
            WORCESTERSHIRE,
            pb::CreateReferralRequest {
                parent: "authorities".into(),
                referral: Some(referral(&d, 3)),
                request_id: String::new(),
            },
        ))
        .await
        .unwrap_err();
    assert_names(&status, "parent");

    // ScreenReferral: a name that is not a referral's.
    let status = referrals
        .screen_referral(as_practitioner(
            WORCESTERSHIRE,
            pb::ScreenReferralRequest {
                name: "referrals/42".into(),
                request_id: String::new(),
                etag: "\"1\"".into(),
            },
        ))
        .await
        .unwrap_err();
    assert_names(&status, "name");

    // DecideReferral: unknown level; a level that differs without a reason.
    let received = referrals
        .list_referrals(as_practitioner(
            WORCESTERSHIRE,
            pb::ListReferralsRequest {
                parent: PARENT.into(),
                ..Default::default()
            },
        ))
        .await
        .unwrap()
        .into_inner()
        .referrals;
    let decided = &received[0];
    let status = referrals
        .decide_referral(as_practitioner(
            WORCESTERSHIRE,
            pb::DecideReferralRequest {
                name: decided.name.clone(),
                level: "L9".into(),
                outcome: ReferralOutcome::OpenCase as i32,
                ..Default::default()
            },
        ))
        .await
        .unwrap_err();
    assert_names(&status, "level");

    // AllocateCase: a role the authority does not have.
    let status = cases
        .allocate_case(as_practitioner(
            WORCESTERSHIRE,
            pb::AllocateCaseRequest {
                name: case.name.clone(),
                worker: Some(pb::Worker {
                    name: "Sam".into(),
                    role: "WIZARD".into(),
                }),
                etag: case.etag.clone(),
                occur_time: Default::default(),
            },
        ))
        .await
        .unwrap_err();
    assert_names(&status, "worker.role");

    // UpdateTeam: a member with no agency; someone leaving who never joined.
    let status = cases
        .update_team(as_practitioner(
            WORCESTERSHIRE,
            pb::UpdateTeamRequest {
                name: case.name.clone(),
                join: vec![pb::TeamMember {
                    name: "Ann".into(),
                    ..Default::default()
                }],
                leave: vec![],
                etag: String::new(),
                occur_time: Default::default(),
            },
        ))
        .await
        .unwrap_err();
    assert_names(&status, "join[0].agency");
    let status = cases
        .update_team(as_practitioner(
            WORCESTERSHIRE,
            pb::UpdateTeamRequest {
                name: case.name.clone(),
                join: vec![],
                leave: vec!["Nobody".into()],
                etag: case.etag.clone(),
                occur_time: Default::default(),
            },
        ))
        .await
        .unwrap_err();
    assert_names(&status, "leave[0]");

    // RecordContact: no kind, and a time in the future.
    let status = cases
        .record_contact(as_practitioner(
            WORCESTERSHIRE,
            pb::RecordContactRequest {
                name: case.name.clone(),
                contact: Some(pb::ContactRecord::default()),
                ..Default::default()
            },
        ))
        .await
        .unwrap_err();
    assert_names(&status, "contact.kind");
    let status = cases
        .record_contact(as_practitioner(
            WORCESTERSHIRE,
            pb::RecordContactRequest {
                name: case.name.clone(),
                contact: Some(pb::ContactRecord {
                    kind: ContactKind::PhoneCall as i32,
                    contact_time: Some(prost_types::Timestamp {
                        seconds: chrono::Utc::now().timestamp() + 3600,
                        nanos: 0,
                    }),
                    ..Default::default()
                }),
                etag: case.etag.clone(),
                ..Default::default()
            },
        ))
        .await
        .unwrap_err();
    assert_names(&status, "contact.contact_time");

    // UpdatePlan: an outcome without who, and a bad date.
    let status = cases
        .update_plan(as_practitioner(
            WORCESTERSHIRE,
            pb::UpdatePlanRequest {
                name: case.name.clone(),
                plan: Some(pb::Plan {
                    outcomes: vec![pb::PlanOutcome {
                        need: "x".into(),
                        action: "y".into(),
                        measure: "z".into(),
                        by_date: "31/12/2026".into(),
                        ..Default::default()
                    }],
                    update_time: None,
                }),
                etag: String::new(),
                occur_time: Default::default(),
            },
        ))
        .await
        .unwrap_err();
    assert_names(&status, "plan.outcomes[0].who");
    assert_names(&status, "plan.outcomes[0].by_date");

    // TransitionCase: no reason, consent refused without a reason, unknown level.
    let status = cases
        .transition_case(as_practitioner(
            WORCESTERSHIRE,
            pb::TransitionCaseRequest {
                name: case.name.clone(),
                kind: TransitionKind::StepUp as i32,
                target_level: "L9".into(),
                reason: String::new(),
                consent: Some(pb::ConsentRecord {
                    status: Consent::Refused as i32,
                    reason: String::new(),
                }),
                etag: case.etag.clone(),
                ..Default::default()
            },
        ))
        .await
        .unwrap_err();
    for field in ["target_level", "reason", "consent.reason"] {
        assert_names(&status, field);
    }

    // ScheduleMeeting / RecordMeetingOutcome.
    let status = meetings
        .schedule_meeting(as_practitioner(
            WORCESTERSHIRE,
            pb::ScheduleMeetingRequest {
                parent: case.name.clone(),
                meeting: Some(pb::Meeting::default()),
                request_id: String::new(),
            },
        ))
        .await
        .unwrap_err();
    assert_names(&status, "meeting.kind");
    assert_names(&status, "meeting.schedule_time");
    let status = meetings
        .record_meeting_outcome(as_practitioner(
            WORCESTERSHIRE,
            pb::RecordMeetingOutcomeRequest {
                name: format!("{}/meetings/x", case.name),
                ..Default::default()
            },
        ))
        .await
        .unwrap_err();
    assert_names(&status, "attendees");
    assert_names(&status, "attendees");
    assert_names(&status, "outcome");
    assert_names(&status, "etag");

    assert_eq!(
        server.row_counts().await,
        before,
        "a refused request writes nothing"
    );
    let _ = d;
}

async fn a_stale_etag_is_aborted(server: &TestServer) {
    let case = open_case(server).await;
    let mut cases = server.cases().await;
    let d = describe(server, WORCESTERSHIRE).await;
    let allocated = cases
        .allocate_case(as_practitioner(
            WORCESTERSHIRE,
            pb::AllocateCaseRequest {
                name: case.name.clone(),
                worker: Some(pb::Worker {
                    name: "Chris".into(),
                    role: d.roles[0].code.clone(),
                }),
                etag: case.etag.clone(),
                occur_time: Default::default(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_ne!(allocated.etag, case.etag);
    let before = server.row_counts().await;
    let status = cases
        .transition_case(as_practitioner(
            WORCESTERSHIRE,
            pb::TransitionCaseRequest {
                name: case.name.clone(),
                kind: TransitionKind::StepUp as i32,
                target_level: d.levels[2].code.clone(),
                reason: "needs have grown".into(),
                consent: Some(pb::ConsentRecord {
                    status: Consent::GivenVerbally as i32,
                    reason: String::new(),
                }),
                etag: case.etag.clone(),
                ..Default::default()
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Aborted, "{status:?}");
    assert!(status.message().contains("stale"), "{}", status.message());
    assert_eq!(server.row_counts().await, before);
}

async fn a_retried_request_id_returns_the_original(server: &TestServer) {
    let d = describe(server, WORCESTERSHIRE).await;
    let mut referrals = server.referrals().await;
    let request = pb::CreateReferralRequest {
        parent: PARENT.into(),
        referral: Some(referral(&d, 2)),
        request_id: "retry-me".into(),
    };
    let first = referrals
        .create_referral(as_practitioner(WORCESTERSHIRE, request.clone()))
        .await
        .unwrap()
        .into_inner();
    let second = referrals
        .create_referral(as_practitioner(WORCESTERSHIRE, request.clone()))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(first, second);
    let listed = referrals
        .list_referrals(as_practitioner(
            WORCESTERSHIRE,
            pb::ListReferralsRequest {
                parent: PARENT.into(),
                ..Default::default()
            },
        ))
        .await
        .unwrap()
        .into_inner()
        .referrals;
    assert_eq!(listed.len(), 1, "one record for two tries");

    let mut different = request;
    different
        .referral
        .as_mut()
        .unwrap()
        .child
        .as_mut()
        .unwrap()
        .given_name = "Someone Else".into();
    let status = referrals
        .create_referral(as_practitioner(WORCESTERSHIRE, different))
        .await
        .unwrap_err();
    assert_names(&status, "request_id");
}

async fn authorities_never_see_each_other(server: &TestServer) {
    let case = open_case(server).await;
    let referral_name = case.referral.clone();
    let mut referrals = server.referrals().await;
    let mut cases = server.cases().await;
    let mut meetings = server.meetings().await;

    let missing = format!("{PARENT}/referrals/0190aaaa-0000-7000-8000-000000000000");
    let not_found_missing = referrals
        .get_referral(as_practitioner(
            WORCESTERSHIRE,
            pb::GetReferralRequest {
                name: missing.clone(),
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(not_found_missing.code(), Code::NotFound);

    // Carmarthenshire's caller: another authority's records answer as missing ones do.
    let theirs = referrals
        .get_referral(as_practitioner(
            CARMARTHENSHIRE,
            pb::GetReferralRequest {
                name: referral_name.clone(),
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(theirs.code(), Code::NotFound);
    assert_eq!(
        theirs.message(),
        not_found_missing
            .message()
            .replace(&missing, &referral_name)
    );
    let status = cases
        .get_case(as_practitioner(
            CARMARTHENSHIRE,
            pb::GetCaseRequest {
                name: case.name.clone(),
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
    let status = cases
        .transition_case(as_practitioner(
            CARMARTHENSHIRE,
            pb::TransitionCaseRequest {
                name: case.name.clone(),
                kind: TransitionKind::Close as i32,
                reason: "x".into(),
                consent: Some(pb::ConsentRecord {
                    status: Consent::GivenVerbally as i32,
                    reason: String::new(),
                }),
                etag: case.etag.clone(),
                ..Default::default()
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
    let status = meetings
        .schedule_meeting(as_practitioner(
            CARMARTHENSHIRE,
            pb::ScheduleMeetingRequest {
                parent: case.name.clone(),
                meeting: Some(pb::Meeting {
                    kind: MeetingKind::Review as i32,
                    schedule_time: Some(now()),
                    ..Default::default()
                }),
                request_id: String::new(),
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
    let status = referrals
        .list_referrals(as_practitioner(
            CARMARTHENSHIRE,
            pb::ListReferralsRequest {
                parent: PARENT.into(),
                ..Default::default()
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
    let own = referrals
        .list_referrals(as_practitioner(
            CARMARTHENSHIRE,
            pb::ListReferralsRequest {
                parent: format!("authorities/{CARMARTHENSHIRE}"),
                ..Default::default()
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert!(own.referrals.is_empty());
}

async fn a_missing_or_bad_token_is_unauthenticated(server: &TestServer) {
    let mut referrals = server.referrals().await;
    let list = || pb::ListReferralsRequest {
        parent: PARENT.into(),
        ..Default::default()
    };
    let status = referrals
        .list_referrals(tonic::Request::new(list()))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Unauthenticated);
    let status = referrals
        .list_referrals(with_token("not.a.jwt", list()))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Unauthenticated);
    let forged = continuum::auth::mint_hs256(
        b"another-secret-another-secret-another-secret",
        "mallory",
        WORCESTERSHIRE,
        Role::Manager,
        60,
    )
    .unwrap();
    let status = referrals
        .list_referrals(with_token(&forged, list()))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Unauthenticated);
    // A viewer may read but not write.
    let viewer = token("vic", WORCESTERSHIRE, Role::Viewer);
    referrals
        .list_referrals(with_token(&viewer, list()))
        .await
        .unwrap();
    let d = describe(server, WORCESTERSHIRE).await;
    let status = referrals
        .create_referral(with_token(
            &viewer,
            pb::CreateReferralRequest {
                parent: PARENT.into(),
                referral: Some(referral(&d, 2)),
                request_id: String::new(),
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied);
}

async fn referrals_page_and_filter(server: &TestServer) {
    let d = describe(server, WORCESTERSHIRE).await;
    let mut referrals = server.referrals().await;
    for i in 0..5 {
        referrals
            .create_referral(as_practitioner(
                WORCESTERSHIRE,
                pb::CreateReferralRequest {
                    parent: PARENT.into(),
                    referral: Some(referral(&d, 2)),
                    request_id: format!("page-{i}"),
                },
            ))
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    let mut token = String::new();
    loop {
        let page = referrals
            .list_referrals(as_practitioner(
                WORCESTERSHIRE,
                pb::ListReferralsRequest {
                    parent: PARENT.into(),
                    page_size: 2,
                    page_token: token,
                    ..Default::default()
                },
            ))
            .await
            .unwrap()
            .into_inner();
        assert!(page.referrals.len() <= 2);
        seen.extend(page.referrals.into_iter().map(|r| r.name));
        token = page.next_page_token;
        if token.is_empty() {
            break;
        }
    }
    assert_eq!(seen.len(), 5);
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(seen, sorted, "newest first");
    let screened = referrals
        .list_referrals(as_practitioner(
            WORCESTERSHIRE,
            pb::ListReferralsRequest {
                parent: PARENT.into(),
                status: pb::ReferralStatus::Screened as i32,
                ..Default::default()
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert!(screened.referrals.is_empty());
    let status = referrals
        .list_referrals(as_practitioner(
            WORCESTERSHIRE,
            pb::ListReferralsRequest {
                parent: PARENT.into(),
                page_token: "bogus".into(),
                ..Default::default()
            },
        ))
        .await
        .unwrap_err();
    assert_names(&status, "page_token");
}

on_each_backend!(bad_input_writes_nothing);
on_each_backend!(a_stale_etag_is_aborted);
on_each_backend!(a_retried_request_id_returns_the_original);
on_each_backend!(authorities_never_see_each_other);
on_each_backend!(a_missing_or_bad_token_is_unauthenticated);
on_each_backend!(referrals_page_and_filter);

/// Carmarthenshire's step-down protocol: a case stepping down from statutory services to TAF
/// needs JAFF Part 1 and the TAF allocation meeting (shared/seeds/004_409172220b5d16c4.txt).
async fn a_refused_transition_is_failed_precondition_with_citations(server: &TestServer) {
    let d = describe(server, CARMARTHENSHIRE).await;
    let level = |code: &str| {
        d.levels
            .iter()
            .find(|l| l.code == code)
            .map(|l| l.code.clone())
            .expect(code)
    };
    let (assessment, targeted) = (level("ASSESSMENT"), level("TARGETED"));
    let reason = "the social worker's assessment found statutory needs";
    let (case, _) =
        crate::api_journey::open_case(server, CARMARTHENSHIRE, 3, Some((&assessment, reason)))
            .await;
    let before = server.row_counts().await;
    let mut cases = server.cases().await;
    let status = cases
        .transition_case(as_practitioner(
            CARMARTHENSHIRE,
            pb::TransitionCaseRequest {
                name: case.name.clone(),
                kind: TransitionKind::StepDown as i32,
                target_level: targeted,
                reason: "needs can be met by TAF".into(),
                consent: Some(pb::ConsentRecord {
                    status: Consent::GivenVerbally as i32,
                    reason: String::new(),
                }),
                etag: case.etag.clone(),
                ..Default::default()
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::FailedPrecondition, "{status:?}");
    let details = status.get_error_details();
    let failure = details
        .precondition_failure()
        .expect("a PreconditionFailure detail");
    let unmet: Vec<&str> = failure
        .violations
        .iter()
        .map(|v| v.r#type.as_str())
        .collect();
    assert!(unmet.contains(&"CAR-STEP-DOWN-JAFF"), "{unmet:?}");
    assert!(unmet.contains(&"CAR-STEP-DOWN-ALLOCATION"), "{unmet:?}");
    assert!(
        failure.violations.iter().all(|v| v
            .subject
            .starts_with("shared/seeds/004_409172220b5d16c4.txt")),
        "{failure:?}"
    );
    assert_eq!(
        server.row_counts().await,
        before,
        "a refused transition writes nothing"
    );
    let unchanged = cases
        .get_case(as_practitioner(
            CARMARTHENSHIRE,
            pb::GetCaseRequest { name: case.name },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(unchanged.level, assessment);
    assert_eq!(unchanged.etag, case.etag);
}

on_each_backend!(a_refused_transition_is_failed_precondition_with_citations);

async fn health_and_a_minted_token(server: &TestServer) {
    use tonic_health::pb::health_check_response::ServingStatus;
    use tonic_health::pb::{HealthCheckRequest, health_client::HealthClient};

    let mut health = HealthClient::new(server.channel().await);
    for service in [
        "",
        "continuum.v1.ReferralService",
        "continuum.v1.CaseService",
        "continuum.v1.AuthorityService",
    ] {
        let status = health
            .check(HealthCheckRequest {
                service: service.into(),
            })
            .await
            .unwrap()
            .into_inner()
            .status;
        assert_eq!(status, ServingStatus::Serving as i32, "{service:?}");
    }

    // `continuum token`, signed with the server's secret, is accepted.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_continuum"))
        .args([
            "token",
            "--subject",
            "bo",
            "--authority",
            WORCESTERSHIRE,
            "--role",
            "manager",
        ])
        .env(
            "CONTINUUM_JWT_SECRET",
            std::str::from_utf8(crate::server::SECRET).unwrap(),
        )
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let minted = String::from_utf8(output.stdout).unwrap();
    let mut referrals = server.referrals().await;
    referrals
        .list_referrals(with_token(
            minted.trim(),
            pb::ListReferralsRequest {
                parent: PARENT.into(),
                ..Default::default()
            },
        ))
        .await
        .unwrap();
}

on_each_backend!(health_and_a_minted_token);

/// `n` callers allocating case `name` at once, each to a worker of its own, all with `etag`
/// (empty: none): their answers.
async fn allocate_at_once(
    server: &TestServer,
    name: &str,
    etag: &str,
    role: &str,
    n: usize,
) -> Vec<Result<tonic::Response<pb::Case>, tonic::Status>> {
    let mut tasks = Vec::new();
    for i in 0..n {
        let mut cases = server.cases().await;
        let request = pb::AllocateCaseRequest {
            name: name.to_owned(),
            worker: Some(pb::Worker {
                name: format!("worker {i}"),
                role: role.to_owned(),
            }),
            etag: etag.to_owned(),
            ..Default::default()
        };
        tasks.push(tokio::spawn(async move {
            cases
                .allocate_case(as_practitioner(WORCESTERSHIRE, request))
                .await
        }));
    }
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    answers
}

/// Many callers change one case with the etag they all read: exactly one wins, the others are
/// ABORTED; many retries of one create race: there is one record, and every answer names it.
async fn concurrent_writers(server: &TestServer) {
    let d = describe(server, WORCESTERSHIRE).await;
    let case = open_case(server).await;
    let tasks = allocate_at_once(server, &case.name, &case.etag, &d.roles[0].code, 8).await;
    let mut won = 0;
    for task in tasks {
        match task {
            Ok(_) => won += 1,
            Err(status) => assert_eq!(status.code(), Code::Aborted, "{status:?}"),
        }
    }
    assert_eq!(won, 1, "exactly one writer wins with a given etag");

    let request = pb::CreateReferralRequest {
        parent: PARENT.into(),
        referral: Some(referral(&d, 2)),
        request_id: "raced".into(),
    };
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (mut referrals, request) = (server.referrals().await, request.clone());
        tasks.push(tokio::spawn(async move {
            referrals
                .create_referral(as_practitioner(WORCESTERSHIRE, request))
                .await
        }));
    }
    let mut names = std::collections::HashSet::new();
    for task in tasks {
        // The calls that lose the race replay the winner's answer.
        names.insert(task.await.unwrap().unwrap().into_inner().name);
    }
    let mut referrals = server.referrals().await;
    let retried = referrals
        .create_referral(as_practitioner(WORCESTERSHIRE, request))
        .await
        .unwrap()
        .into_inner();
    names.insert(retried.name);
    assert_eq!(names.len(), 1, "one record for one request_id: {names:?}");
    let listed = referrals
        .list_referrals(as_practitioner(
            WORCESTERSHIRE,
            pb::ListReferralsRequest {
                parent: PARENT.into(),
                ..Default::default()
            },
        ))
        .await
        .unwrap()
        .into_inner()
        .referrals;
    assert_eq!(listed.len(), 2, "the case's referral and the raced one");
}

on_each_backend!(concurrent_writers);

/// Twenty people record the outcome of one meeting with the etag they all read: exactly one
/// outcome is recorded, the others are ABORTED, and the case's history holds one "meeting.held".
async fn one_meeting_outcome_wins(server: &TestServer) {
    let case = open_case(server).await;
    let mut meetings = server.meetings().await;
    let meeting = meetings
        .schedule_meeting(as_practitioner(
            WORCESTERSHIRE,
            pb::ScheduleMeetingRequest {
                parent: case.name.clone(),
                meeting: Some(pb::Meeting {
                    kind: MeetingKind::TeamMeeting as i32,
                    schedule_time: Some(now()),
                    ..Default::default()
                }),
                request_id: String::new(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert!(!meeting.etag.is_empty(), "a meeting has an etag");
    let mut tasks = Vec::new();
    for i in 0..20 {
        let (mut meetings, name, etag) = (
            server.meetings().await,
            meeting.name.clone(),
            meeting.etag.clone(),
        );
        tasks.push(tokio::spawn(async move {
            meetings
                .record_meeting_outcome(as_practitioner(
                    WORCESTERSHIRE,
                    pb::RecordMeetingOutcomeRequest {
                        name,
                        etag,
                        held_time: Some(now()),
                        attendees: vec![format!("attendee {i}")],
                        outcome: pb::MeetingOutcome::ContinuePlan as i32,
                        ..Default::default()
                    },
                ))
                .await
        }));
    }
    let mut won = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(m) => won.push(m.into_inner()),
            Err(status) => assert_eq!(status.code(), Code::Aborted, "{status:?}"),
        }
    }
    assert_eq!(
        won.len(),
        1,
        "exactly one outcome is recorded with a given etag"
    );
    assert_ne!(
        won[0].etag, meeting.etag,
        "recording the outcome changes the etag"
    );
    let mut cases = server.cases().await;
    let events = cases
        .list_case_events(as_practitioner(
            WORCESTERSHIRE,
            pb::ListCaseEventsRequest {
                name: case.name.clone(),
                page_size: 100,
                ..Default::default()
            },
        ))
        .await
        .unwrap()
        .into_inner()
        .events;
    let held = events.iter().filter(|e| e.kind == "meeting.held").count();
    assert_eq!(held, 1, "one meeting.held event");
}

on_each_backend!(one_meeting_outcome_wins);

/// Every change to an existing record needs the etag its caller read (AIP-154's required
/// etag): without one it is INVALID_ARGUMENT naming `etag`, and nothing is written, so callers
/// racing on one record can never both win.
async fn every_change_needs_its_etag(server: &TestServer) {
    let d = describe(server, WORCESTERSHIRE).await;
    let case = open_case(server).await;
    let mut cases = server.cases().await;
    let before = server.row_counts().await;
    let worker = Some(pb::Worker {
        name: "Sam".into(),
        role: d.roles[0].code.clone(),
    });
    let refusals = [
        cases
            .allocate_case(as_practitioner(
                WORCESTERSHIRE,
                pb::AllocateCaseRequest {
                    name: case.name.clone(),
                    worker: worker.clone(),
                    ..Default::default()
                },
            ))
            .await
            .unwrap_err(),
        cases
            .record_contact(as_practitioner(
                WORCESTERSHIRE,
                pb::RecordContactRequest {
                    name: case.name.clone(),
                    contact: Some(pb::ContactRecord {
                        kind: ContactKind::PhoneCall as i32,
                        ..Default::default()
                    }),
                    ..Default::default()
                },
            ))
            .await
            .unwrap_err(),
        cases
            .update_team(as_practitioner(
                WORCESTERSHIRE,
                pb::UpdateTeamRequest {
                    name: case.name.clone(),
                    join: vec![pb::TeamMember {
                        name: "Ann".into(),
                        agency: "school".into(),
                        ..Default::default()
                    }],
                    ..Default::default()
                },
            ))
            .await
            .unwrap_err(),
        cases
            .update_plan(as_practitioner(
                WORCESTERSHIRE,
                pb::UpdatePlanRequest {
                    name: case.name.clone(),
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
                    ..Default::default()
                },
            ))
            .await
            .unwrap_err(),
    ];
    for status in &refusals {
        assert_names(status, "etag");
    }
    // Twenty concurrent allocations without an etag: none is made.
    for task in allocate_at_once(server, &case.name, "", &d.roles[0].code, 20).await {
        let status = task.unwrap_err();
        assert_eq!(status.code(), Code::InvalidArgument);
    }
    assert_eq!(server.row_counts().await, before, "nothing was written");
}
on_each_backend!(every_change_needs_its_etag);

/// A list answer is bounded in bytes as well as in items: referrals at the largest size allowed
/// page well within a standard client's 4 MB limit, and every one is reached by paging.
async fn a_page_is_bounded_in_bytes(server: &TestServer) {
    let d = describe(server, WORCESTERSHIRE).await;
    let mut referrals = server.referrals().await;
    let mut big = referral(&d, 2);
    let concern = big.concerns[0].clone();
    big.concerns = (0..50)
        .map(|i| pb::Concern {
            text: format!("{i} {}", "a long account of what was seen ".repeat(120))
                .chars()
                .take(4000)
                .collect(),
            ..concern.clone()
        })
        .collect();
    for _ in 0..12 {
        referrals
            .create_referral(as_practitioner(
                WORCESTERSHIRE,
                pb::CreateReferralRequest {
                    parent: PARENT.into(),
                    referral: Some(big.clone()),
                    request_id: String::new(),
                },
            ))
            .await
            .unwrap();
    }
    let (mut seen, mut pages, mut page_token) = (0, 0, String::new());
    loop {
        let page = referrals
            .list_referrals(as_practitioner(
                WORCESTERSHIRE,
                pb::ListReferralsRequest {
                    parent: PARENT.into(),
                    page_size: 500,
                    page_token,
                    ..Default::default()
                },
            ))
            .await
            .unwrap()
            .into_inner();
        let bytes = prost::Message::encoded_len(&page);
        assert!(bytes < 3 * 1024 * 1024, "a page of {bytes} bytes");
        seen += page.referrals.len();
        pages += 1;
        if page.next_page_token.is_empty() {
            break;
        }
        page_token = page.next_page_token;
    }
    assert_eq!(seen, 12);
    assert!(
        pages > 1,
        "12 referrals of ~200 kB each take more than one page"
    );
}
on_each_backend!(a_page_is_bounded_in_bytes);

/// What a routing or timescale caller says about the child is checked by field, all at once.
async fn what_the_caller_says_is_checked_by_field(server: &TestServer) {
    use continuum_plugin_api::pb::{CaseHistory, ChildAge};
    let mut authorities = server.authorities().await;
    let status = authorities
        .route_contact(as_practitioner(
            WORCESTERSHIRE,
            pb::RouteContactRequest {
                authority: PARENT.into(),
                local_time: "2026-11-23T10:00:00".into(),
                urgency: 9,
                history: Some(CaseHistory {
                    open_level: "L4".into(),
                    days_since_closed: 30,
                    ..Default::default()
                }),
                age: Some(ChildAge {
                    unborn: true,
                    gestation_weeks: 50,
                    ..Default::default()
                }),
                ..Default::default()
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    for field in [
        "urgency",
        "history.open_level",
        "history.days_since_closed",
        "age.gestation_weeks",
    ] {
        assert_names(&status, field);
    }
    let status = authorities
        .preview_timescales(as_practitioner(
            WORCESTERSHIRE,
            pb::PreviewTimescalesRequest {
                authority: PARENT.into(),
                event: continuum_plugin_api::pb::CaseEvent::ReferralAccepted as i32,
                level: "L2".into(),
                age: Some(ChildAge {
                    years: 31,
                    ..Default::default()
                }),
                ..Default::default()
            },
        ))
        .await
        .unwrap_err();
    assert_names(&status, "age.years");
}
on_each_backend!(what_the_caller_says_is_checked_by_field);
