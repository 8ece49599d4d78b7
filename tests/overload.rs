//! Load shedding: past the limit of requests in flight, a burst is answered RESOURCE_EXHAUSTED
//! at once instead of queueing, nothing else fails, and the service recovers.

use continuum::config::{KeySource, ServerConfig};
use continuum::pb;
use continuum::pb::authority_service_client::AuthorityServiceClient;
use tonic::Code;
use tonic::transport::Channel;

use crate::server::{SECRET, WORCESTERSHIRE, as_practitioner};
use crate::support::plugin_dir;

/// A server on SQLite in `dir` that sheds requests past `max_in_flight`.
async fn start(dir: &tempfile::TempDir, max_in_flight: usize) -> continuum::RunningServer {
    continuum::start(&ServerConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: format!("sqlite://{}", dir.path().join("c.db").display()),
        plugins_dir: plugin_dir().to_owned(),
        keys: KeySource::Secret(SECRET.to_vec()),
        max_in_flight: Some(max_in_flight),
        ..Default::default()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_past_the_limit_is_shed_and_the_service_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, 1).await;
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

/// A burst of writes past the limit: the shed ones are refused at once and write nothing, every
/// acknowledged one is stored, and a retry of each shed one (same request id) makes it once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_writes_loses_nothing_acknowledged() {
    use continuum::pb::referral_service_client::ReferralServiceClient;
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, 2).await;
    let channel = Channel::from_shared(format!("http://{}", server.addr))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let d = crate::api_journey::describe_on(channel.clone(), WORCESTERSHIRE).await;
    let request = |i: usize| pb::CreateReferralRequest {
        parent: format!("authorities/{WORCESTERSHIRE}"),
        referral: Some(crate::api_journey::referral(&d, 2)),
        request_id: format!("burst-{i}"),
    };
    let mut calls = Vec::new();
    for i in 0..200 {
        let (mut client, request) = (ReferralServiceClient::new(channel.clone()), request(i));
        calls.push(tokio::spawn(async move {
            let started = std::time::Instant::now();
            let answer = client
                .create_referral(as_practitioner(WORCESTERSHIRE, request))
                .await;
            (i, answer, started.elapsed())
        }));
    }
    let (mut acked, mut shed, mut slowest_shed) = (Vec::new(), Vec::new(), Default::default());
    for call in calls {
        let (i, answer, took) = call.await.unwrap();
        match answer {
            Ok(r) => acked.push(r.into_inner().name),
            Err(status) => {
                assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
                slowest_shed = took.max(slowest_shed);
                shed.push(i);
            }
        }
    }
    println!(
        "burst of 200 writes at a limit of 2 in flight: {} acknowledged, {} shed (slowest refusal {slowest_shed:?})",
        acked.len(),
        shed.len()
    );
    assert!(!acked.is_empty() && !shed.is_empty());
    let mut client = ReferralServiceClient::new(channel);
    for name in &acked {
        client
            .get_referral(as_practitioner(
                WORCESTERSHIRE,
                pb::GetReferralRequest { name: name.clone() },
            ))
            .await
            .unwrap();
    }
    // Retried one at a time, each shed request is made exactly once.
    for &i in &shed {
        let made = client
            .create_referral(as_practitioner(WORCESTERSHIRE, request(i)))
            .await
            .unwrap()
            .into_inner();
        let again = client
            .create_referral(as_practitioner(WORCESTERSHIRE, request(i)))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(made.name, again.name);
    }
    let listed = client
        .list_referrals(as_practitioner(
            WORCESTERSHIRE,
            pb::ListReferralsRequest {
                parent: format!("authorities/{WORCESTERSHIRE}"),
                page_size: 500,
                ..Default::default()
            },
        ))
        .await
        .unwrap()
        .into_inner()
        .referrals;
    assert_eq!(listed.len(), 200, "every request made once, none twice");
    server.stop().await.unwrap();
}
