//! Server reflection answers in both protocols: v1, and v1alpha (grpcurl 1.8 and many GUI
//! clients speak only v1alpha).

use tonic_reflection::pb::{v1, v1alpha};

use crate::server::{Backend, TestServer};

const SERVICES: [&str; 5] = [
    "continuum.v1.ReferralService",
    "continuum.v1.CaseService",
    "continuum.v1.MeetingService",
    "continuum.v1.PanelService",
    "continuum.v1.AuthorityService",
];

#[tokio::test]
async fn both_reflection_protocols_list_the_services() {
    let server = TestServer::start(Backend::Sqlite).await.unwrap();

    let mut alpha =
        v1alpha::server_reflection_client::ServerReflectionClient::new(server.channel().await);
    let request = v1alpha::ServerReflectionRequest {
        message_request: Some(
            v1alpha::server_reflection_request::MessageRequest::ListServices(String::new()),
        ),
        ..Default::default()
    };
    let mut answers = alpha
        .server_reflection_info(tokio_stream::iter([request]))
        .await
        .unwrap()
        .into_inner();
    let answer = answers.message().await.unwrap().unwrap();
    let Some(v1alpha::server_reflection_response::MessageResponse::ListServicesResponse(list)) =
        answer.message_response
    else {
        panic!("not a service list: {answer:?}");
    };
    let names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
    for service in SERVICES {
        assert!(names.iter().any(|n| n == service), "{service} in {names:?}");
    }

    let mut current =
        v1::server_reflection_client::ServerReflectionClient::new(server.channel().await);
    let request = v1::ServerReflectionRequest {
        message_request: Some(v1::server_reflection_request::MessageRequest::ListServices(
            String::new(),
        )),
        ..Default::default()
    };
    let mut answers = current
        .server_reflection_info(tokio_stream::iter([request]))
        .await
        .unwrap()
        .into_inner();
    let answer = answers.message().await.unwrap().unwrap();
    assert!(matches!(
        answer.message_response,
        Some(v1::server_reflection_response::MessageResponse::ListServicesResponse(_))
    ));
    server.stop().await;
}

/// Every call carries a request id back: the caller's own (x-request-id), or one the server gave
/// it, under which the call is logged.
#[tokio::test]
async fn a_request_id_comes_back() {
    let server = TestServer::start(Backend::Sqlite).await.unwrap();
    let mut authorities = server.authorities().await;
    let mut request = crate::server::as_practitioner(
        crate::server::WORCESTERSHIRE,
        continuum::pb::ListAuthoritiesRequest {},
    );
    request
        .metadata_mut()
        .insert("x-request-id", "front-door-42".parse().unwrap());
    let answer = authorities.list_authorities(request).await.unwrap();
    assert_eq!(
        answer.metadata().get("x-request-id").unwrap(),
        "front-door-42"
    );
    // Refused calls too, with one the server chose.
    let refused = authorities
        .list_authorities(continuum::pb::ListAuthoritiesRequest {})
        .await
        .unwrap_err();
    assert!(refused.metadata().get("x-request-id").is_some());
    server.stop().await;
}
