//! Load shedding: past the limit of requests in flight, a burst is answered RESOURCE_EXHAUSTED
//! at once instead of queueing, nothing else fails, and the service recovers.

use continuum::config::{KeySource, ServerConfig};
use continuum::pb;
use continuum::pb::authority_service_client::AuthorityServiceClient;
use tonic::Code;
use tonic::transport::Channel;

use crate::server::{SECRET, WORCESTERSHIRE, as_practitioner};
use crate::support::plugin_dir;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_past_the_limit_is_shed_and_the_service_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let server = continuum::start(&ServerConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: format!("sqlite://{}", dir.path().join("c.db").display()),
        plugins_dir: plugin_dir().to_owned(),
        keys: KeySource::Secret(SECRET.to_vec()),
        max_in_flight: Some(1),
        ..Default::default()
    })
    .await
    .unwrap();
    let mut calls = Vec::new();
    for _ in 0..8 {
        let channel = Channel::from_shared(format!("http://{}", server.addr))
            .unwrap()
            .connect()
            .await
            .unwrap();
        for _ in 0..40 {
            let mut client = AuthorityServiceClient::new(channel.clone());
            calls.push(tokio::spawn(async move {
                client
                    .assess_threshold(as_practitioner(
                        WORCESTERSHIRE,
                        pb::AssessThresholdRequest {
                            authority: format!("authorities/{WORCESTERSHIRE}"),
                            request: Some(Default::default()),
                        },
                    ))
                    .await
                    .map(|_| ())
                    .map_err(|s| s.code())
            }));
        }
    }
    let (mut served, mut shed) = (0, 0);
    for call in calls {
        match call.await.unwrap() {
            Ok(()) => served += 1,
            Err(Code::ResourceExhausted) => shed += 1,
            // A request the plugin refuses is still one served.
            Err(Code::InvalidArgument) => served += 1,
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert!(served > 0, "some were served");
    assert!(shed > 0, "some were shed ({served} served)");
    // Afterwards the service answers as usual.
    let channel = Channel::from_shared(format!("http://{}", server.addr))
        .unwrap()
        .connect()
        .await
        .unwrap();
    AuthorityServiceClient::new(channel)
        .list_authorities(as_practitioner(
            WORCESTERSHIRE,
            pb::ListAuthoritiesRequest {},
        ))
        .await
        .unwrap();
    server.stop().await.unwrap();
}
