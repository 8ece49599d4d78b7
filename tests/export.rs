//! ExportChildren: the DfE data flow payload validates against the committed schema, and an export
//! after one change holds only that child.

use std::process::Command;

use continuum::pb::export_service_client::ExportServiceClient;
use continuum::pb::{self, ReferralOutcome};

use crate::api_journey::{describe, receive_and_decide, referral};
use crate::server::{TestServer, WORCESTERSHIRE, as_practitioner, on_each_backend};

const SCHEMA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/dfe-children.schema.json");

/// Validate `payload` against the committed schema with Python's jsonschema, when there is one
/// (saying so when there is not).
fn validate(payload: &str) {
    let script = "import json, sys, jsonschema\n\
                  schema = json.load(open(sys.argv[1]))\n\
                  jsonschema.validate(json.loads(sys.stdin.read()), schema)\n";
    let child = Command::new("python3")
        .args(["-c", script, SCHEMA])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("SKIPPED schema validation: python3 is not available");
        return;
    };
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(payload.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("No module named 'jsonschema'") {
        eprintln!("SKIPPED schema validation: Python's jsonschema is not installed");
        return;
    }
    assert!(
        out.status.success(),
        "the payload does not validate: {stderr}"
    );
}

async fn export(server: &TestServer, after: &str) -> pb::ExportChildrenResponse {
    ExportServiceClient::new(server.channel().await)
        .export_children(as_practitioner(
            WORCESTERSHIRE,
            pb::ExportChildrenRequest {
                parent: format!("authorities/{WORCESTERSHIRE}"),
                after: after.into(),
                max_events: 0,
            },
        ))
        .await
        .unwrap()
        .into_inner()
}

async fn exports_validate_and_are_deltas(server: &TestServer) {
    let d = describe(server, WORCESTERSHIRE).await;
    let mut cases = server.cases().await;
    let mut names = Vec::new();
    for (given, nhs) in [("Amira", "9434765919"), ("Zain", "4010232137")] {
        let mut r = referral(&d, 2);
        let child = r.child.as_mut().unwrap();
        child.given_name = given.into();
        child.nhs_number = nhs.into();
        child.sex = "F".into();
        child.ethnicity = "WBRI".into();
        r.referral_source = "2A".into();
        let decided =
            receive_and_decide(server, WORCESTERSHIRE, r, ReferralOutcome::OpenCase, |d| {
                d.primary_need = "N4".into()
            })
            .await
            .unwrap();
        names.push(decided.case.unwrap());
    }
    let first = export(server, "").await;
    assert_eq!(first.children, 2);
    validate(&first.payload);
    let payload: serde_json::Value = serde_json::from_str(&first.payload).unwrap();
    assert_eq!(payload["la_code"], WORCESTERSHIRE);
    let child = &payload["children"][0];
    assert_eq!(child["social_care_episodes"][0]["referral_source"], "2A");
    assert!(
        !first.payload.contains("9434765919"),
        "no NHS number in the child's id or anywhere"
    );

    // One change to one child's case: the next export holds only that child.
    let case = &names[1];
    cases
        .record_assessment(as_practitioner(
            WORCESTERSHIRE,
            pb::RecordAssessmentRequest {
                name: case.name.clone(),
                assessment: Some(pb::Assessment {
                    start_date: crate::api_journey::today(),
                    authorisation_date: crate::api_journey::today(),
                    factors: vec!["1A".into(), "4A".into()],
                }),
                etag: case.etag.clone(),
                ..Default::default()
            },
        ))
        .await
        .unwrap();
    let second = export(server, &first.next_cursor).await;
    assert_eq!(second.children, 1);
    validate(&second.payload);
    let payload: serde_json::Value = serde_json::from_str(&second.payload).unwrap();
    let child = &payload["children"][0];
    assert_eq!(child["child_details"]["first_name"], "Zain");
    assert_eq!(
        child["social_care_episodes"][0]["child_and_family_assessments"][0]["factors"],
        serde_json::json!(["1A", "4A"])
    );
    let third = export(server, &second.next_cursor).await;
    assert_eq!(third.children, 0, "nothing changed since");
}

on_each_backend!(exports_validate_and_are_deltas);
