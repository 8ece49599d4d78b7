//! Hostile input through the real server: whatever a request holds, the server refuses it as the
//! caller's mistake, with a message, and never answers INTERNAL or resets the connection.
//!
//! Below the protobuf message, gRPC's own framing (a frame cut short, no message for a unary
//! call, a compressed flag without an encoding) is answered by tonic, as INTERNAL where the gRPC
//! specification says so; this module sends whole frames.

use continuum::auth::Role;
use continuum::pb;
use prost::bytes::{Buf, BufMut};
use prost_types::Timestamp;
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic::transport::Channel;
use tonic::{Code, Status};

use crate::api_journey::{describe, referral};
use crate::server::{Backend, TestServer, WORCESTERSHIRE, as_practitioner, token, with_token};

const AUTHORITY: &str = "authorities/E10000034";

/// The server still says it is serving.
async fn healthy(server: &TestServer, after: &str) {
    use tonic_health::pb::health_check_response::ServingStatus;
    use tonic_health::pb::{HealthCheckRequest, health_client::HealthClient};
    let answer = HealthClient::new(server.channel().await)
        .check(HealthCheckRequest {
            service: String::new(),
        })
        .await
        .unwrap_or_else(|e| panic!("the health check after {after} failed: {e:?}"))
        .into_inner();
    assert_eq!(answer.status(), ServingStatus::Serving, "after {after}");
}

// ---------------------------------------------------------------------------------------------
// Bodies that are not protobuf
// ---------------------------------------------------------------------------------------------

/// A codec that sends and receives bytes as they are, so a request's body can be anything.
#[derive(Debug, Clone, Copy, Default)]
struct RawCodec;

impl Codec for RawCodec {
    type Encode = Vec<u8>;
    type Decode = Vec<u8>;
    type Encoder = RawCodec;
    type Decoder = RawCodec;

    fn encoder(&mut self) -> RawCodec {
        RawCodec
    }

    fn decoder(&mut self) -> RawCodec {
        RawCodec
    }
}

impl Encoder for RawCodec {
    type Item = Vec<u8>;
    type Error = Status;

    fn encode(&mut self, item: Vec<u8>, buf: &mut EncodeBuf<'_>) -> Result<(), Status> {
        buf.put_slice(&item);
        Ok(())
    }
}

impl Decoder for RawCodec {
    type Item = Vec<u8>;
    type Error = Status;

    fn decode(&mut self, buf: &mut DecodeBuf<'_>) -> Result<Option<Vec<u8>>, Status> {
        Ok(Some(buf.copy_to_bytes(buf.remaining()).to_vec()))
    }
}

/// Every unary RPC of the public API, by path.
const UNARY: &[&str] = &[
    "/continuum.v1.ReferralService/CreateReferral",
    "/continuum.v1.ReferralService/GetReferral",
    "/continuum.v1.ReferralService/ListReferrals",
    "/continuum.v1.ReferralService/ScreenReferral",
    "/continuum.v1.ReferralService/DecideReferral",
    "/continuum.v1.CaseService/GetCase",
    "/continuum.v1.CaseService/ListCases",
    "/continuum.v1.CaseService/AllocateCase",
    "/continuum.v1.CaseService/UpdateTeam",
    "/continuum.v1.CaseService/RecordContact",
    "/continuum.v1.CaseService/RecordConcern",
    "/continuum.v1.CaseService/UpdatePlan",
    "/continuum.v1.CaseService/RecordAssessment",
    "/continuum.v1.CaseService/TransitionCase",
    "/continuum.v1.CaseService/DecideTransitionRequest",
    "/continuum.v1.CaseService/ListCaseEvents",
    "/continuum.v1.CaseService/ListDeadlines",
    "/continuum.v1.CaseService/GetComplianceSummary",
    "/continuum.v1.MeetingService/ScheduleMeeting",
    "/continuum.v1.MeetingService/RecordMeetingOutcome",
    "/continuum.v1.MeetingService/ListMeetings",
    "/continuum.v1.PanelService/ListPanelSittings",
    "/continuum.v1.PanelService/GetPanelSitting",
    "/continuum.v1.PanelService/RecordPanelDecision",
    "/continuum.v1.AuthorityService/ListAuthorities",
    "/continuum.v1.AuthorityService/GetAuthority",
    "/continuum.v1.AuthorityService/AssessThreshold",
    "/continuum.v1.AuthorityService/RouteContact",
    "/continuum.v1.AuthorityService/GetNextPanelSitting",
    "/continuum.v1.AuthorityService/PreviewTimescales",
    "/continuum.v1.AuthorityService/CheckTransition",
    "/continuum.v1.AuthorityService/ListStatutoryCodes",
    "/continuum.v1.EventService/ListEvents",
    "/continuum.v1.ExportService/ExportChildren",
];

/// Send `body` as the whole request message of the RPC at `path`.
async fn send_raw(channel: Channel, path: &str, body: Vec<u8>) -> Result<(), Status> {
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready()
        .await
        .map_err(|e| Status::unavailable(e.to_string()))?;
    let path: http::uri::PathAndQuery = path.parse().expect("a valid path");
    let request = with_token(&token("hostile", WORCESTERSHIRE, Role::Practitioner), body);
    grpc.unary(request, path, RawCodec).await.map(|_| ())
}

/// Bytes that are not protobuf for any message: a field cut short, a varint that never ends, a
/// reserved wire type, field number 0, an end-group without a start.
const NOT_PROTOBUF: &[&[u8]] = &[
    &[0x0a, 0x05, b'a'],
    &[0xff; 11],
    &[
        0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
    ],
    &[0x0e, 0x00],
    &[0x0f],
    &[0x02, 0x00],
    &[0x0c],
    &[0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f],
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_that_are_not_protobuf_are_invalid_argument() {
    let server = TestServer::start(Backend::Sqlite).await.unwrap();
    let channel = server.channel().await;
    let mut sent = 0;
    for path in UNARY {
        let mut bodies: Vec<Vec<u8>> = NOT_PROTOBUF.iter().map(|b| b.to_vec()).collect();
        // Field 1 (a string in every request but ListAuthorities') holding bytes that are not
        // UTF-8.
        if !path.ends_with("/ListAuthorities") {
            bodies.push(vec![0x0a, 0x02, 0xc3, 0x28]);
        }
        for body in bodies {
            let status = send_raw(channel.clone(), path, body.clone())
                .await
                .expect_err("bytes that do not decode are refused");
            assert_eq!(
                status.code(),
                Code::InvalidArgument,
                "{path} answered {status:?} to {body:02x?}"
            );
            assert!(!status.message().is_empty(), "{path}: {status:?}");
            sent += 1;
        }
    }
    healthy(&server, "the bodies that are not protobuf").await;
    println!("hostile raw bodies: {sent} requests, every one INVALID_ARGUMENT");
    server.stop().await;
}

/// A refusal travels in HTTP/2 headers, which clients cap (16 KiB in this one): however much a
/// request gets wrong, its refusal fits. A 1 MB name is quoted by its ends; of thousands of bad
/// fields, the first are listed and the rest counted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_fits_in_its_headers() {
    use tonic_types::StatusExt;
    let server = TestServer::start(Backend::Sqlite).await.unwrap();
    let mut referrals = server.referrals().await;
    let name = "é".repeat(500_000);
    let status = referrals
        .get_referral(as_practitioner(
            WORCESTERSHIRE,
            pb::GetReferralRequest { name },
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    assert!(
        status.message().len() <= 1_100,
        "{}",
        status.message().len()
    );
    assert!(
        status
            .message()
            .ends_with("is not a resource name of the form authorities/{code}/referrals/{id}"),
        "{}",
        status.message()
    );

    let d = describe(&server, WORCESTERSHIRE).await;
    let mut r = referral(&d, 1);
    let bad = pb::Concern {
        indicator_code: "NOT-AN-INDICATOR".into(),
        ..Default::default()
    };
    // Too many concerns, and each has an unknown indicator and no domain: 4,001 violations.
    r.concerns = vec![bad; 2_000];
    let status = referrals
        .create_referral(as_practitioner(
            WORCESTERSHIRE,
            pb::CreateReferralRequest {
                parent: AUTHORITY.into(),
                referral: Some(r),
                request_id: String::new(),
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    let listed = status
        .get_error_details()
        .bad_request()
        .expect("a BadRequest detail")
        .field_violations
        .len();
    assert!((1..4_001).contains(&listed), "{listed}");
    assert!(
        status
            .message()
            .ends_with(&format!("(and {} more)", 4_001 - listed)),
        "{}",
        status.message()
    );
    server.stop().await;
}

/// A preview of deadlines counted in working days from an instant in a year the working-day
/// calendar does not cover is the caller's mistake, and so is one whose deadline would fall due
/// past the calendar's last year: neither is the service's failure.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_preview_outside_the_calendars_years_is_refused_as_the_callers() {
    use continuum_plugin_api::pb::CaseEvent;
    const BRADFORD: &str = "E08000032";
    let server = TestServer::start(Backend::Sqlite).await.unwrap();
    let d = describe(&server, BRADFORD).await;
    let rule = d
        .timescales
        .iter()
        .find(|t| t.event == CaseEvent::CaseAllocated as i32)
        .expect("Bradford's allocation starts deadlines counted in working days");
    let mut authorities = server.authorities().await;
    // 1 January 1900; noon on 30 December 2100 (five working days later is in 2101).
    for (seconds, code) in [
        (-2_208_988_800, Code::InvalidArgument),
        (4_133_851_200, Code::OutOfRange),
    ] {
        let status = authorities
            .preview_timescales(as_practitioner(
                BRADFORD,
                pb::PreviewTimescalesRequest {
                    authority: format!("authorities/{BRADFORD}"),
                    event: rule.event,
                    level: rule.level_code.clone(),
                    event_time: Some(Timestamp { seconds, nanos: 0 }),
                },
            ))
            .await
            .unwrap_err();
        assert_eq!(status.code(), code, "{status:?}");
    }
    server.stop().await;
}
