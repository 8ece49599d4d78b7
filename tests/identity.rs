//! The child's identity: identifiers and census codes checked on the way in, and a child known
//! again by NHS number (or exact name and date of birth), only within one authority.

use continuum::pb;
use tonic::Code;
use tonic_types::StatusExt;

use crate::api_journey::{describe, receive_and_decide, referral};
use crate::server::{
    CARMARTHENSHIRE, TestServer, WORCESTERSHIRE, as_practitioner, on_each_backend,
};

async fn receive(
    server: &TestServer,
    authority: &str,
    child: impl FnOnce(&mut pb::Child),
) -> Result<pb::Referral, tonic::Status> {
    let d = describe(server, authority).await;
    let mut r = referral(&d, 2);
    child(r.child.as_mut().unwrap());
    server
        .referrals()
        .await
        .create_referral(as_practitioner(
            authority,
            pb::CreateReferralRequest {
                parent: format!("authorities/{authority}"),
                referral: Some(r),
                request_id: String::new(),
            },
        ))
        .await
        .map(tonic::Response::into_inner)
}

async fn a_child_is_known_again_within_one_authority(server: &TestServer) {
    let nhs = |c: &mut pb::Child| {
        c.nhs_number = "943 476 5919".into();
        c.ethnicity = "WBRI".into();
        c.disabilities = vec!["NONE".into()];
    };
    let first = receive(server, WORCESTERSHIRE, nhs).await.unwrap();
    assert_eq!(first.child.as_ref().unwrap().nhs_number, "9434765919");
    assert!(first.earlier_referrals.is_empty());
    assert!(!first.re_referral);

    let again = receive(server, WORCESTERSHIRE, |c| {
        c.nhs_number = "9434765919".into();
        c.given_name = "Amy".into(); // known by NHS number, whatever the name
    })
    .await
    .unwrap();
    assert_eq!(again.earlier_referrals, std::slice::from_ref(&first.name));
    assert!(again.re_referral, "within 12 months of the last one");

    // Without an NHS number: the exact name and date of birth.
    let by_name = receive(server, WORCESTERSHIRE, |_| {}).await.unwrap();
    assert!(
        by_name.earlier_referrals.contains(&first.name),
        "{by_name:?}"
    );

    // Another authority's referral for the same child links to nothing of Worcestershire's.
    let elsewhere = receive(server, CARMARTHENSHIRE, nhs).await.unwrap();
    assert!(elsewhere.earlier_referrals.is_empty());
    assert!(!elsewhere.re_referral);
}

on_each_backend!(a_child_is_known_again_within_one_authority);

async fn bad_identifiers_and_codes_name_the_field(server: &TestServer) {
    type Bad = fn(&mut pb::Child);
    let cases: [(&str, Bad); 6] = [
        ("referral.child.nhs_number", |c| {
            c.nhs_number = "9434765918".into()
        }),
        ("referral.child.upn", |c| c.upn = "A801200005001".into()),
        ("referral.child.ethnicity", |c| c.ethnicity = "XXXX".into()),
        ("referral.child.sex", |c| c.sex = "1".into()),
        ("referral.child.disabilities[1]", |c| {
            c.disabilities = vec!["MOB".into(), "MOB".into()]
        }),
        ("referral.child.disabilities[0]", |c| {
            c.disabilities = vec!["WINGS".into()]
        }),
    ];
    for (field, bad) in cases {
        let status = receive(server, WORCESTERSHIRE, bad).await.unwrap_err();
        assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
        let fields: Vec<String> = status
            .get_error_details()
            .bad_request()
            .unwrap()
            .field_violations
            .iter()
            .map(|v| v.field.clone())
            .collect();
        assert_eq!(fields, [field], "{status:?}");
    }
    assert_eq!(server.row_counts().await[0], 0, "nothing written");
}

on_each_backend!(bad_identifiers_and_codes_name_the_field);

/// Statutory codes: validated on the way in, stored as codes, listed by the API.
async fn statutory_codes_are_checked_and_kept(server: &TestServer) {
    let mut codes = server.authorities().await;
    let factors = codes
        .list_statutory_codes(as_practitioner(
            WORCESTERSHIRE,
            pb::ListStatutoryCodesRequest {
                code_set: "AssessmentFactors".into(),
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert!(factors.specification.contains("Children in need census"));
    let set = &factors.code_sets[0];
    assert!(set.codes.iter().any(|c| c.code == "1A"));
    assert!(set.withdrawn.iter().any(|c| c.code == "18A"));

    let d = describe(server, WORCESTERSHIRE).await;
    let mut bad = referral(&d, 2);
    bad.referral_source = "11".into();
    let refused = server
        .referrals()
        .await
        .create_referral(as_practitioner(
            WORCESTERSHIRE,
            pb::CreateReferralRequest {
                parent: format!("authorities/{WORCESTERSHIRE}"),
                referral: Some(bad),
                request_id: String::new(),
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::InvalidArgument);
    assert!(
        refused.message().contains("referral.referral_source"),
        "{refused:?}"
    );

    // A case opened with its primary need; its assessment; a closure after assessment.
    let (case, _) = crate::api_journey::open_case(server, WORCESTERSHIRE, 2, None).await;
    let mut cases = server.cases().await;
    let deprecated = cases
        .record_assessment(as_practitioner(
            WORCESTERSHIRE,
            pb::RecordAssessmentRequest {
                name: case.name.clone(),
                assessment: Some(pb::Assessment {
                    start_date: crate::api_journey::today(),
                    factors: vec!["18A".into()],
                    ..Default::default()
                }),
                ..Default::default()
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(deprecated.code(), Code::InvalidArgument);
    assert!(
        deprecated.message().contains("assessment.factors[0]"),
        "{deprecated:?}"
    );
    assert!(
        deprecated.message().contains("deprecated"),
        "{deprecated:?}"
    );
    let assessed = cases
        .record_assessment(as_practitioner(
            WORCESTERSHIRE,
            pb::RecordAssessmentRequest {
                name: case.name.clone(),
                assessment: Some(pb::Assessment {
                    start_date: crate::api_journey::today(),
                    authorisation_date: crate::api_journey::today(),
                    factors: vec!["1A".into(), "21".into()],
                }),
                etag: case.etag.clone(),
                ..Default::default()
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(assessed.assessment.unwrap().factors, ["1A", "21"]);

    // RC8 on a case with no assessment is refused naming the field.
    let (other, _) = crate::api_journey::open_case(server, WORCESTERSHIRE, 2, None).await;
    let refused = cases
        .transition_case(as_practitioner(
            WORCESTERSHIRE,
            pb::TransitionCaseRequest {
                name: other.name.clone(),
                kind: continuum_plugin_api::pb::TransitionKind::Close as i32,
                reason: "no further action".into(),
                consent: Some(pb::ConsentRecord {
                    status: continuum_plugin_api::pb::Consent::GivenInWriting as i32,
                    reason: String::new(),
                }),
                closure_reason: "RC8".into(),
                etag: other.etag.clone(),
                ..Default::default()
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::InvalidArgument, "{refused:?}");
    assert!(refused.message().contains("closure_reason"), "{refused:?}");
}

on_each_backend!(statutory_codes_are_checked_and_kept);

/// A referral naming two siblings and an unborn baby: a record for each child, one case each,
/// linked as one family; a decision may leave a child without a case, saying why.
async fn a_family_referral_opens_a_case_for_each_child(server: &TestServer) {
    let d = describe(server, WORCESTERSHIRE).await;
    let mut family = referral(&d, 2);
    family.other_children = vec![
        pb::Child {
            given_name: "Zain".into(),
            family_name: "Khan".into(),
            date_of_birth: "2019-06-02".into(),
            ..Default::default()
        },
        pb::Child {
            given_name: "Baby".into(),
            family_name: "Khan".into(),
            expected_date_of_delivery: crate::api_journey::today(),
            ..Default::default()
        },
    ];
    let decide = async |family: pb::Referral, children: Vec<pb::ChildDecision>| {
        receive_and_decide(
            server,
            WORCESTERSHIRE,
            family,
            pb::ReferralOutcome::OpenCase,
            |d| d.children = children,
        )
        .await
    };
    let decided = decide(family.clone(), Vec::new()).await.unwrap();
    assert_eq!(decided.cases.len(), 3);
    let names: Vec<String> = decided.cases.iter().map(|c| c.name.clone()).collect();
    let children: Vec<String> = decided
        .cases
        .iter()
        .map(|c| c.child.as_ref().unwrap().given_name.clone())
        .collect();
    assert_eq!(children, ["Amira", "Zain", "Baby"]);
    for case in &decided.cases {
        let mut others = case.family_cases.clone();
        others.push(case.name.clone());
        others.sort();
        let mut all = names.clone();
        all.sort();
        assert_eq!(others, all, "each case names its family's others");
    }
    let referral = decided.referral.unwrap();
    assert_eq!(referral.cases, names);
    assert_eq!(referral.case, names[0]);
    let per_child = &referral.decision.as_ref().unwrap().children;
    assert_eq!(per_child.len(), 3);
    assert!(per_child.iter().all(|c| c.open_case));

    // The unborn baby gets no case yet, with the reason recorded.
    let decided = decide(
        family.clone(),
        vec![pb::ChildDecision {
            child: 2,
            reason: "support will start at the birth".into(),
            ..Default::default()
        }],
    )
    .await
    .unwrap();
    assert_eq!(decided.cases.len(), 2);
    let per_child = decided.referral.unwrap().decision.unwrap().children;
    assert!(!per_child[2].open_case);
    assert_eq!(per_child[2].reason, "support will start at the birth");
    assert!(per_child[2].case.is_empty());

    // A child number the referral does not have is refused, naming the field.
    let status = decide(
        family,
        vec![pb::ChildDecision {
            child: 7,
            reason: "x".into(),
            ..Default::default()
        }],
    )
    .await
    .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(status.message().contains("children[0].child"), "{status:?}");
}

on_each_backend!(a_family_referral_opens_a_case_for_each_child);

/// Hostile input is bounded: each field has a documented limit, control characters are refused,
/// and a receive time in year 1 is not a date anyone received a referral on.
async fn oversized_and_hostile_input_names_the_field(server: &TestServer) {
    let d = describe(server, WORCESTERSHIRE).await;
    type Spoil = Box<dyn Fn(&mut pb::Referral)>;
    let cases: Vec<(&str, Spoil)> = vec![
        (
            "referral.child.given_name",
            Box::new(|r| r.child.as_mut().unwrap().given_name = "x".repeat(1_000_000)),
        ),
        (
            "referral.concerns[0].text",
            Box::new(|r| r.concerns[0].text = "attendance\u{0}\u{1b}[2J".into()),
        ),
        (
            "referral.concerns",
            Box::new(|r| r.concerns = vec![r.concerns[0].clone(); 51]),
        ),
        (
            "referral.receive_time",
            Box::new(|r| {
                r.receive_time = Some(prost_types::Timestamp {
                    seconds: -62_135_596_800,
                    nanos: 0,
                })
            }),
        ),
    ];
    for (field, spoil) in cases {
        let mut bad = referral(&d, 2);
        spoil(&mut bad);
        let status = server
            .referrals()
            .await
            .create_referral(as_practitioner(
                WORCESTERSHIRE,
                pb::CreateReferralRequest {
                    parent: format!("authorities/{WORCESTERSHIRE}"),
                    referral: Some(bad),
                    request_id: String::new(),
                },
            ))
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::InvalidArgument, "{field}: {status:?}");
        let fields: Vec<String> = status
            .get_error_details()
            .bad_request()
            .unwrap()
            .field_violations
            .iter()
            .map(|v| v.field.clone())
            .collect();
        assert!(fields.contains(&field.to_owned()), "{field}: {fields:?}");
    }
    assert_eq!(server.row_counts().await[0], 0, "nothing written");
}

on_each_backend!(oversized_and_hostile_input_names_the_field);

/// A closure that waits for a meeting keeps the reason for closure it was asked with, and the
/// case closes with it.
async fn a_waiting_closure_keeps_its_reason(server: &TestServer) {
    let code = "E08000032";
    let d = describe(server, code).await;
    let (case, _) = crate::api_journey::open_case(server, code, 3, Some(("L3", "test"))).await;
    let mut cases = server.cases().await;
    let assessed = cases
        .record_assessment(as_practitioner(
            code,
            pb::RecordAssessmentRequest {
                name: case.name.clone(),
                assessment: Some(pb::Assessment {
                    start_date: crate::api_journey::today(),
                    authorisation_date: crate::api_journey::today(),
                    factors: vec!["21".into()],
                }),
                etag: case.etag.clone(),
                ..Default::default()
            },
        ))
        .await
        .unwrap()
        .into_inner();
    let asked = cases
        .transition_case(as_practitioner(
            code,
            pb::TransitionCaseRequest {
                name: case.name.clone(),
                kind: continuum_plugin_api::pb::TransitionKind::Close as i32,
                reason: "no further action after assessment".into(),
                consent: Some(pb::ConsentRecord {
                    status: continuum_plugin_api::pb::Consent::GivenInWriting as i32,
                    reason: String::new(),
                }),
                forms_completed: d.forms.iter().map(|f| f.code.clone()).collect(),
                closure_reason: "RC8".into(),
                etag: assessed.etag.clone(),
                ..Default::default()
            },
        ))
        .await
        .unwrap_or_else(|e| panic!("the closure should wait for the final meeting: {e:?}"))
        .into_inner();
    let pending = asked.pending_transition.expect("waits for a meeting");
    assert_eq!(pending.closure_reason, "RC8");
}

on_each_backend!(a_waiting_closure_keeps_its_reason);
