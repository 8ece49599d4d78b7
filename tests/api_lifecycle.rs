//! Every shipped authority through the case lifecycle of the public API: a referral is screened
//! by that authority's thresholds, a case opens at the recommended level with that authority's
//! deadlines, the team meets, and closing the case applies exactly the rules the dry run
//! (AuthorityService/CheckTransition) reports: allowed, or FAILED_PRECONDITION naming the same
//! unmet rules with their citations.

use continuum::pb::{self, CaseStatus, MeetingOutcome};
use continuum_plugin_api::pb::{ChildAge, Consent, MeetingKind, TransitionKind, TransitionRequest};
use tonic::Code;
use tonic_types::StatusExt;

use crate::api_journey::{describe, now, open_case, referral};
use crate::server::{TestServer, as_practitioner, on_each_backend};

const AUTHORITIES: &[&str] = &["E08000032", "E10000034", "E06000027", "W06000010"];

async fn hold(server: &TestServer, code: &str, case: &str, kind: MeetingKind) {
    let mut meetings = server.meetings().await;
    let m = meetings
        .schedule_meeting(as_practitioner(
            code,
            pb::ScheduleMeetingRequest {
                parent: case.into(),
                meeting: Some(pb::Meeting {
                    kind: kind as i32,
                    schedule_time: Some(now()),
                    ..Default::default()
                }),
                request_id: String::new(),
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
                held_time: Some(now()),
                attendees: vec!["Family".into(), "Lead practitioner".into()],
                outcome: MeetingOutcome::Close as i32,
                ..Default::default()
            },
        ))
        .await
        .unwrap();
}

async fn every_authority_through_the_lifecycle(server: &TestServer) {
    for code in AUTHORITIES {
        let d = describe(server, code).await;
        let mut cases = server.cases().await;
        let (case, recommendation) = open_case(server, code, 2, None).await;
        assert_eq!(
            recommendation.plugin.as_ref().unwrap().name,
            d.plugin_name,
            "{code}"
        );
        assert!(
            d.levels.iter().any(|l| l.code == recommendation.level),
            "{code}"
        );
        assert_eq!(case.level, recommendation.level, "{code}");
        assert!(
            case.deadlines.iter().all(|dl| dl
                .plugin
                .as_ref()
                .is_some_and(|p| p.name == d.plugin_name && p.version == d.plugin_version)),
            "{code}: every deadline names the plugin that set it"
        );

        hold(server, code, &case.name, MeetingKind::Review).await;
        hold(server, code, &case.name, MeetingKind::FinalMeeting).await;
        let case = cases
            .get_case(as_practitioner(
                code,
                pb::GetCaseRequest {
                    name: case.name.clone(),
                },
            ))
            .await
            .unwrap()
            .into_inner();

        let forms: Vec<String> = d.forms.iter().map(|f| f.code.clone()).collect();
        let mut authorities = server.authorities().await;
        let dry_run = authorities
            .check_transition(as_practitioner(
                code,
                pb::CheckTransitionRequest {
                    authority: format!("authorities/{code}"),
                    request: Some(TransitionRequest {
                        kind: TransitionKind::Close as i32,
                        current_level: case.level.clone(),
                        consent: Consent::GivenInWriting as i32,
                        forms_completed: forms.clone(),
                        meetings_held: vec![
                            MeetingKind::Review as i32,
                            MeetingKind::FinalMeeting as i32,
                        ],
                        age: Some(ChildAge {
                            years: 9,
                            ..Default::default()
                        }),
                        ..Default::default()
                    }),
                },
            ))
            .await
            .unwrap()
            .into_inner()
            .answer
            .unwrap();

        let result = cases
            .transition_case(as_practitioner(
                code,
                pb::TransitionCaseRequest {
                    name: case.name.clone(),
                    kind: TransitionKind::Close as i32,
                    reason: "the plan's outcomes are met".into(),
                    consent: Some(pb::ConsentRecord {
                        status: Consent::GivenInWriting as i32,
                        reason: String::new(),
                    }),
                    forms_completed: forms,
                    etag: case.etag.clone(),
                    ..Default::default()
                },
            ))
            .await;
        match result {
            Ok(closed) => {
                assert!(
                    dry_run.allowed,
                    "{code}: closed although the dry run said {:?}",
                    dry_run.unmet
                );
                assert_eq!(closed.into_inner().status, CaseStatus::Closed as i32);
            }
            Err(status) => {
                assert!(
                    !dry_run.allowed,
                    "{code}: refused although the dry run allowed it: {status:?}"
                );
                assert_eq!(
                    status.code(),
                    Code::FailedPrecondition,
                    "{code}: {status:?}"
                );
                let failure = status
                    .get_error_details()
                    .precondition_failure()
                    .cloned()
                    .expect("a PreconditionFailure");
                let refused: Vec<&str> = failure
                    .violations
                    .iter()
                    .map(|v| v.r#type.as_str())
                    .collect();
                let expected: Vec<&str> =
                    dry_run.unmet.iter().map(|u| u.rule_id.as_str()).collect();
                assert_eq!(refused, expected, "{code}");
                assert!(
                    failure
                        .violations
                        .iter()
                        .all(|v| v.subject.starts_with("shared/seeds/")),
                    "{code}: {failure:?}"
                );
            }
        }
    }
}

on_each_backend!(every_authority_through_the_lifecycle);

/// shared/seeds/002_2258f4b7c0005b84.txt: "If a child or young person has been looked after,
/// that age range is up to and including young people of 20 years of age." The child's record
/// carries the fact; screening passes it to Bradford's thresholds.
async fn a_looked_after_young_person_is_within_bradfords_range(server: &TestServer) {
    let code = "E08000032";
    let d = describe(server, code).await;
    let mut referrals = server.referrals().await;
    for looked_after in [false, true] {
        let mut r = referral(&d, 2);
        let child = r.child.as_mut().unwrap();
        child.date_of_birth = "2007-01-01".into();
        child.looked_after = looked_after;
        let created = referrals
            .create_referral(as_practitioner(
                code,
                pb::CreateReferralRequest {
                    parent: format!("authorities/{code}"),
                    referral: Some(r),
                    request_id: String::new(),
                },
            ))
            .await
            .unwrap()
            .into_inner();
        let screened = referrals
            .screen_referral(as_practitioner(
                code,
                pb::ScreenReferralRequest {
                    name: created.name,
                    request_id: String::new(),
                    etag: created.etag.clone(),
                },
            ))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(
            screened.recommendation.unwrap().within_age_range,
            looked_after,
            "looked after: {looked_after}"
        );
    }
}

on_each_backend!(a_looked_after_young_person_is_within_bradfords_range);
